/* A streaming RFC 4180 CSV reader, also for TSV (the same quoting, a tab
 * between fields): header row, quoted fields with "" escapes and line
 * breaks, CRLF or LF.  Memory is bounded by CBC__FILE_MAX_RECORD. */
#include "org_file.h"
#include <string.h>

#define MAX_FIELDS CBC__FILE_MAX_FIELDS

typedef struct csv_reader {
  cbc__row_reader base;
  int map[MAX_FIELDS];      /* file column → field, or CBC__COLUMN_UNKNOWN / _IGNORED */
  size_t n_fields;          /* columns in the header */
  char *buf;                /* the fields of the current record, NUL-separated */
  size_t len, cap;
  size_t starts[MAX_FIELDS];
  size_t n;                 /* fields read in the current record */
  size_t field_start;       /* where the current field starts in buf */
  size_t line;              /* the next line to read */
  char delimiter;           /* ',' or '\t'; 0 until the header shows it */
} csv_reader;

/* Room for one more byte in the record buffer. */
static int reserve(csv_reader *c)
{
  if (c->len + 1 < c->cap)
    return 0;
  size_t cap = c->cap ? c->cap * 2 : 256;
  char *b = cbc__realloc(c->buf, cap);
  if (!b)
    return cbc__error_oom();
  c->buf = b;
  c->cap = cap;
  return 0;
}

/* Add a byte to the current field; fields are bounded, so memory is too. */
static int push_char(csv_reader *c, char ch)
{
  if (ch == '\0')
    return cbc__error(CBC_EINVAL, "%s:%zu: a NUL byte (the file is not text in its encoding)",
                      c->base.path, c->line);
  if (c->len - c->field_start >= CBC__FILE_MAX_FIELD)
    return cbc__error(CBC_EINVAL, "%s:%zu: a field is longer than %d bytes", c->base.path,
                      c->line, CBC__FILE_MAX_FIELD);
  if (c->len >= CBC__FILE_MAX_RECORD)
    return cbc__error(CBC_EINVAL, "%s:%zu: a record is longer than %d bytes", c->base.path,
                      c->line, CBC__FILE_MAX_RECORD);
  int rc = reserve(c);
  if (!rc)
    c->buf[c->len++] = ch;
  return rc;
}

/* Terminate the current field and start the next. */
static int end_field(csv_reader *c)
{
  if (c->n >= MAX_FIELDS)
    return cbc__error(CBC_EINVAL, "%s:%zu: more than %d fields", c->base.path, c->line,
                      MAX_FIELDS);
  int rc = reserve(c);
  if (rc)
    return rc;
  c->starts[c->n++] = c->field_start;
  c->buf[c->len++] = '\0';
  c->field_start = c->len;
  return 0;
}

/* The header decides the delimiter: the first ',' or tab outside quotes. */
static bool is_delimiter(csv_reader *c, int ch)
{
  if (!c->delimiter && (ch == ',' || ch == '\t'))
    c->delimiter = (char)ch;
  return ch == c->delimiter;
}

/* Read one record into c->buf / c->starts.  CBC_ITEROVER at end of file. */
static int read_record(csv_reader *c, size_t *start_line)
{
  cbc__text_in *f = c->base.text;
  c->len = c->n = c->field_start = 0;
  *start_line = c->line;
  int ch = cbc__text_getc(f);
  if (ch == EOF)
    return cbc__text_failed(f) ? cbc__error(CBC_EIO, "%s: read error", c->base.path)
                               : CBC_ITEROVER;
  bool quoted = false, was_quoted = false;
  int rc = 0;
  for (; !rc; ch = cbc__text_getc(f)) {
    if (ch == EOF) {
      if (cbc__text_failed(f))
        return cbc__error(CBC_EIO, "%s: read error", c->base.path);
      if (quoted)
        return cbc__error(CBC_EINVAL, "%s:%zu: a quoted field is not closed", c->base.path,
                          *start_line);
      return end_field(c);
    }
    if (quoted) {
      if (ch == '"') {
        int next = cbc__text_getc(f);
        if (next == '"') {
          rc = push_char(c, '"');
          continue;
        }
        cbc__text_ungetc(f, next);
        quoted = false;
        continue;
      }
      if (ch == '\n')
        c->line++;
      rc = push_char(c, (char)ch);
    } else if (ch == '"' && c->len == c->field_start && !was_quoted) {
      quoted = was_quoted = true;
    } else if (is_delimiter(c, ch)) {
      rc = end_field(c);
      was_quoted = false;
    } else if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && (ch = cbc__text_getc(f)) != '\n')
        cbc__text_ungetc(f, ch);
      c->line++;
      return end_field(c);
    } else if (was_quoted) {
      return cbc__error(CBC_EINVAL, "%s:%zu: text after a closing quote", c->base.path,
                        *start_line);
    } else {
      rc = push_char(c, (char)ch);
    }
  }
  return rc;
}

static bool blank_record(const csv_reader *c) { return c->n == 1 && c->buf[0] == '\0'; }

static int csv_next(cbc__row_reader *r, cbc__file_row *row)
{
  csv_reader *c = (csv_reader *)r;
  int rc;
  do {
    rc = read_record(c, &row->line);
  } while (rc == 0 && blank_record(c));
  if (rc)
    return rc;
  if (c->n != c->n_fields)
    return cbc__error(CBC_EINVAL, "%s:%zu: %zu fields where the header has %zu",
                      r->path, row->line, c->n, c->n_fields);
  memset(row->values, 0, sizeof(row->values));
  for (size_t i = 0; i < c->n; i++)
    if (c->map[i] >= 0)
      row->values[c->map[i]] = c->buf + c->starts[i];
  return 0;
}

static void csv_free(cbc__row_reader *r)
{
  csv_reader *c = (csv_reader *)r;
  cbc__free(c->buf);
  cbc__free(c);
}

/* Map one header name to its field; a second column for a field is an error. */
static int map_column(csv_reader *c, size_t i, int *column_of)
{
  const char *name = c->buf + c->starts[i];
  int k = cbc__file_field(c->base.spec, name, strlen(name));
  c->map[i] = k;
  if (k == CBC__COLUMN_UNKNOWN)
    return c->base.spec->unknown_column(c->base.spec->payload, name);
  if (k < 0)
    return 0;
  if (column_of[k] >= 0)
    return cbc__file_field_twice(c->base.spec, c->base.path, ":1",
                                 c->buf + c->starts[column_of[k]], name, k);
  column_of[k] = (int)i;
  return 0;
}

/* Map the header's names to fields. */
static int read_header(csv_reader *c)
{
  size_t line;
  int rc = read_record(c, &line);
  if (rc == CBC_ITEROVER)
    return cbc__error(CBC_EINVAL, "%s: the file is empty (a header row is needed)", c->base.path);
  if (rc)
    return rc;
  if (!c->delimiter)
    c->delimiter = ',';
  if (!cbc__utf8_valid(c->buf, c->len) || cbc__text_invalid(c->base.text))
    return cbc__error(CBC_EINVAL, "%s:1: the header is not text in %s: is the file in another "
                      "encoding? (cbc_sync_options.encoding)", c->base.path,
                      cbc__text_encoding(c->base.text));
  const cbc__file_columns *cols = c->base.spec->columns;
  int column_of[CBC__FILE_MAX_COLUMNS];
  for (size_t k = 0; k < CBC__FILE_MAX_COLUMNS; k++)
    column_of[k] = -1;
  for (size_t i = 0; !rc && i < c->n; i++)
    rc = map_column(c, i, column_of);
  for (size_t k = 0; !rc && k < cols->n; k++)
    if ((cols->required & (1u << k)) && column_of[k] < 0)
      rc = cbc__error(CBC_EINVAL, "%s:1: the required column '%s' is missing", c->base.path,
                      cols->names[k]);
  c->n_fields = c->n;
  return rc;
}

int cbc__csv_reader_new(cbc__row_reader **out, cbc__text_in *text, const char *path,
                        const cbc__file_spec *spec, char delimiter)
{
  *out = NULL;
  csv_reader *c = cbc__calloc(1, sizeof(*c));
  if (!c)
    return cbc__error_oom();
  c->base = (cbc__row_reader){ csv_next, csv_free, text, path, spec };
  c->line = 1;
  c->delimiter = delimiter;
  int rc = read_header(c);
  if (rc) {
    csv_free(&c->base);
    return rc;
  }
  *out = &c->base;
  return 0;
}
