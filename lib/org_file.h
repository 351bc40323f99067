/* Reading HR export files row by row, for cbc_org_import() in lib/org_file.c:
 * the file's bytes as UTF-8 whatever its encoding (lib/org_file_text.c),
 * header names to fields (lib/org_file_columns.c), CSV and TSV
 * (lib/org_file_csv.c), JSON (lib/org_file_json.c), and the values' text to
 * records (lib/org_file_values.c).  Not exported. */
#ifndef CBC_ORG_FILE_H
#define CBC_ORG_FILE_H

#include "internal.h"
#include <stdio.h>

#define CBC__FILE_MAX_COLUMNS 8             /* fields of one kind of file */
#define CBC__FILE_MAX_FIELDS 256            /* columns in one CSV/TSV record */
#define CBC__FILE_MAX_FIELD (64 * 1024)     /* bytes in one CSV field */
#define CBC__FILE_MAX_RECORD (1024 * 1024)  /* bytes in one CSV record */
#define CBC__FILE_MAX_ELEMENT (1024 * 1024) /* bytes in one JSON array element */
#define CBC__TEXT_CHUNK (64 * 1024)         /* bytes read, and decoded, at a time */

/* ------------------------------------------------------------- text */

/* A file's bytes as UTF-8.  UTF-8 passes through (a BOM is skipped); other
 * encodings are converted with iconv a chunk at a time.  Undeclared, the
 * encoding is decided at the first non-ASCII byte, from up to
 * CBC__TEXT_CHUNK bytes from there: valid UTF-8 is UTF-8, else text that
 * decodes as GB18030 is GB18030, else it is passed through as UTF-8 (and
 * its rows fail UTF-8 validation).  A byte sequence that is no character of
 * a converted encoding comes out as the byte 0xFF (never part of UTF-8),
 * counted by cbc__text_invalid() when it is read. */
typedef struct cbc__text_in cbc__text_in;

/* 0, or CBC_EINVAL for an encoding iconv does not know (NULL, "" and
 * "auto" mean detection). */
int cbc__text_encoding_check(const char *encoding);
/* Read @p file (owned by the caller) in @p encoding (checked). */
int cbc__text_open(cbc__text_in **out, FILE *file, const char *path, const char *encoding);
void cbc__text_close(cbc__text_in *in);
/* The next byte, or EOF at the end or on a read error (cbc__text_failed). */
int cbc__text_getc(cbc__text_in *in);
/* Give back the byte the last cbc__text_getc() returned (EOF is ignored). */
void cbc__text_ungetc(cbc__text_in *in, int ch);
bool cbc__text_failed(const cbc__text_in *in);
/* Invalid sequences read so far. */
size_t cbc__text_invalid(const cbc__text_in *in);
/* The encoding in use ("UTF-8" until another is decided) and whether it was
 * detected rather than declared. */
const char *cbc__text_encoding(const cbc__text_in *in);
bool cbc__text_detected(const cbc__text_in *in);

/* ---------------------------------------------------------- columns */

/* The fields of one kind of file and the other names they go by. */
typedef struct cbc__file_alias {
  const char *name; /* normalised: see cbc__file_field() */
  int field;
} cbc__file_alias;

typedef struct cbc__file_columns {
  const char *const *names;
  size_t n;
  unsigned int required; /* bit i: names[i] must be present */
  const cbc__file_alias *aliases;
  size_t n_aliases;
} cbc__file_columns;

extern const cbc__file_columns cbc__unit_columns, cbc__employee_columns;
enum { CBC__U_EXT, CBC__U_NAME, CBC__U_KIND, CBC__U_PARENT, CBC__U_INDUSTRY, CBC__U_HIGH_RISK };
enum { CBC__E_EXT, CBC__E_NAME, CBC__E_POST, CBC__E_UNIT, CBC__E_ROLES, CBC__E_ACTIVE,
       CBC__E_HIRE };

#define CBC__COLUMN_UNKNOWN (-1) /* no field: a warning, or refused when strict */
#define CBC__COLUMN_IGNORED (-2) /* the caller's map says "COLUMN=" */

/* What a reader needs to map names to fields. */
typedef struct cbc__file_spec {
  const cbc__file_columns *columns;
  const char *const *column_map; /* the caller's "COLUMN=FIELD" strings, checked */
  /* told once of each column (JSON: key) that is no field; non-zero stops */
  int (*unknown_column)(void *payload, const char *column);
  void *payload;
} cbc__file_spec;

/* 0, or CBC_EINVAL for a map entry that is not COLUMN=FIELD with FIELD a
 * field of the units or of the employees (or empty), or a column twice. */
int cbc__file_map_check(const char *const *column_map);
/* The field @p name (@p len bytes) holds: the caller's map first, then the
 * field names and aliases, compared without ASCII case, spaces (also
 * U+3000), '_', '-', '.' and '*'.  An index in spec->columns,
 * CBC__COLUMN_IGNORED or CBC__COLUMN_UNKNOWN. */
int cbc__file_field(const cbc__file_spec *spec, const char *name, size_t len);
/* CBC_EINVAL "two columns mean one field", naming both and the file. */
int cbc__file_field_twice(const cbc__file_spec *spec, const char *path, const char *where,
                          const char *first, const char *second, int field);

/* ---------------------------------------------------------- readers */

/* One row: a value per field (NULL when absent), valid until the next read;
 * the line (CSV) or element number (JSON) it started at. */
typedef struct cbc__file_row {
  const char *values[CBC__FILE_MAX_COLUMNS];
  size_t line;
} cbc__file_row;

typedef struct cbc__row_reader cbc__row_reader;

struct cbc__row_reader {
  /* 0 with a row, CBC_ITEROVER at the end, or an error naming path and line */
  int (*next)(cbc__row_reader *r, cbc__file_row *row);
  void (*free)(cbc__row_reader *r);
  cbc__text_in *text;
  const char *path;
  const cbc__file_spec *spec;
};

/* Open a reader over @p text (owned by the caller).  A header that does not
 * fit the spec fails here.  @p delimiter is ',' or '\t', or 0 for the first
 * of them met outside quotes in the header (',' if none). */
int cbc__csv_reader_new(cbc__row_reader **out, cbc__text_in *text, const char *path,
                        const cbc__file_spec *spec, char delimiter);
int cbc__json_reader_new(cbc__row_reader **out, cbc__text_in *text, const char *path,
                         const cbc__file_spec *spec);

/* ----------------------------------------------------------- values */

/* A row's text as a record (strings borrowed from the row); CBC_EINVAL
 * naming the bad value. */
int cbc__file_to_unit(const cbc__file_row *row, cbc_unit_record *u);
int cbc__file_to_employee(const cbc__file_row *row, int utc_offset, cbc_employee_record *e);
/* A date in one of the forms cbc_org_import() documents, at local midnight
 * in @p utc_offset; "" and NULL give 0. */
int cbc__file_date(const char *text, int utc_offset, int64_t *out);

#endif
