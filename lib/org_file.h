/* Reading HR export files row by row (CSV in lib/org_file_csv.c, JSON in
 * lib/org_file_json.c), for cbc_org_import() in lib/org_file.c.  Not
 * exported. */
#ifndef CBC_ORG_FILE_H
#define CBC_ORG_FILE_H

#include "internal.h"
#include <stdio.h>

#define CBC__FILE_MAX_COLUMNS 8
#define CBC__FILE_MAX_FIELD (64 * 1024)     /* bytes in one CSV field */
#define CBC__FILE_MAX_ELEMENT (1024 * 1024) /* bytes in one JSON array element */

/* The columns one kind of file has. */
typedef struct cbc__file_columns {
  const char *const *names;
  size_t n;
  unsigned int required; /* bit i: names[i] must be present */
} cbc__file_columns;

/* One row: a value per known column (NULL when absent), valid until the
 * next read; the line (CSV) or element number (JSON) it started at. */
typedef struct cbc__file_row {
  const char *values[CBC__FILE_MAX_COLUMNS];
  size_t line;
} cbc__file_row;

typedef struct cbc__row_reader cbc__row_reader;

struct cbc__row_reader {
  /* 0 with a row, CBC_ITEROVER at the end, or an error naming path and line */
  int (*next)(cbc__row_reader *r, cbc__file_row *row);
  void (*free)(cbc__row_reader *r);
  FILE *file;
  const char *path;
  const cbc__file_columns *columns;
};

/* Open a reader over @p file (owned by the caller).  A header that does not
 * fit @p columns fails here. */
int cbc__csv_reader_new(cbc__row_reader **out, FILE *file, const char *path,
                        const cbc__file_columns *columns);
int cbc__json_reader_new(cbc__row_reader **out, FILE *file, const char *path,
                         const cbc__file_columns *columns);

/* Index of @p name in @p columns, or -1. */
int cbc__file_column(const cbc__file_columns *columns, const char *name, size_t len);
/* Skip a UTF-8 byte order mark at the start of @p file; a file that starts
 * with 0xEF but not a BOM is refused (no HR export starts with U+F000..). */
int cbc__file_skip_bom(FILE *file, const char *path);

#endif
