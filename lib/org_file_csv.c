/* A streaming RFC 4180 CSV reader: UTF-8, optional BOM, header row, quoted
 * fields with "" escapes and line breaks, CRLF or LF.  Memory is bounded by
 * the longest record. */
#include "org_file.h"
#include <string.h>

typedef struct csv_reader {
  cbc__row_reader base;
  int map[CBC__FILE_MAX_COLUMNS * 4]; /* file column → known column, or -1 */
  size_t n_fields;                    /* columns in the header */
  char *buf;                          /* the fields of the current record, NUL-separated */
  size_t len, cap;
  size_t starts[CBC__FILE_MAX_COLUMNS * 4];
  size_t n;                           /* fields read in the current record */
  size_t field_start;                 /* where the current field starts in buf */
  size_t line;                        /* the next line to read */
} csv_reader;

#define MAX_FIELDS (CBC__FILE_MAX_COLUMNS * 4)

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
    return cbc__error(CBC_EINVAL, "%s:%zu: a NUL byte (the file is not UTF-8 text)",
                      c->base.path, c->line);
  if (c->len - c->field_start >= CBC__FILE_MAX_FIELD)
    return cbc__error(CBC_EINVAL, "%s:%zu: a field is longer than %d bytes", c->base.path,
                      c->line, CBC__FILE_MAX_FIELD);
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

/* Read one record into c->buf / c->starts.  CBC_ITEROVER at end of file. */
static int read_record(csv_reader *c, size_t *start_line)
{
  FILE *f = c->base.file;
  c->len = c->n = c->field_start = 0;
  *start_line = c->line;
  int ch = getc(f);
  if (ch == EOF)
    return ferror(f) ? cbc__error(CBC_EIO, "%s: read error", c->base.path) : CBC_ITEROVER;
  bool quoted = false, was_quoted = false;
  int rc = 0;
  for (; !rc; ch = getc(f)) {
    if (ch == EOF) {
      if (ferror(f))
        return cbc__error(CBC_EIO, "%s: read error", c->base.path);
      if (quoted)
        return cbc__error(CBC_EINVAL, "%s:%zu: a quoted field is not closed", c->base.path,
                          *start_line);
      return end_field(c);
    }
    if (quoted) {
      if (ch == '"') {
        int next = getc(f);
        if (next == '"') {
          rc = push_char(c, '"');
          continue;
        }
        ungetc(next, f);
        quoted = false;
        continue;
      }
      if (ch == '\n')
        c->line++;
      rc = push_char(c, (char)ch);
    } else if (ch == '"' && c->len == c->field_start && !was_quoted) {
      quoted = was_quoted = true;
    } else if (ch == ',') {
      rc = end_field(c);
      was_quoted = false;
    } else if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && (ch = getc(f)) != '\n')
        ungetc(ch, f);
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
    row->values[c->map[i]] = c->buf + c->starts[i];
  return 0;
}

static void csv_free(cbc__row_reader *r)
{
  csv_reader *c = (csv_reader *)r;
  cbc__free(c->buf);
  cbc__free(c);
}

/* Map the header's names to known columns. */
static int read_header(csv_reader *c)
{
  size_t line;
  int rc = read_record(c, &line);
  if (rc == CBC_ITEROVER)
    return cbc__error(CBC_EINVAL, "%s: the file is empty (a header row is needed)", c->base.path);
  if (rc)
    return rc;
  const cbc__file_columns *cols = c->base.columns;
  unsigned int seen = 0;
  for (size_t i = 0; i < c->n; i++) {
    const char *name = c->buf + c->starts[i];
    int k = cbc__file_column(cols, name, strlen(name));
    if (k < 0)
      return cbc__error(CBC_EINVAL, "%s:1: unknown column '%s'", c->base.path, name);
    if (seen & (1u << k))
      return cbc__error(CBC_EINVAL, "%s:1: column '%s' appears twice", c->base.path, name);
    seen |= 1u << k;
    c->map[i] = k;
  }
  for (size_t k = 0; k < cols->n; k++)
    if ((cols->required & (1u << k)) && !(seen & (1u << k)))
      return cbc__error(CBC_EINVAL, "%s:1: the required column '%s' is missing", c->base.path,
                        cols->names[k]);
  c->n_fields = c->n;
  return 0;
}

int cbc__csv_reader_new(cbc__row_reader **out, FILE *file, const char *path,
                        const cbc__file_columns *columns)
{
  *out = NULL;
  csv_reader *c = cbc__calloc(1, sizeof(*c));
  if (!c)
    return cbc__error_oom();
  c->base = (cbc__row_reader){ csv_next, csv_free, file, path, columns };
  c->line = 1;
  int rc = cbc__file_skip_bom(file, path);
  if (!rc)
    rc = read_header(c);
  if (rc) {
    csv_free(&c->base);
    return rc;
  }
  *out = &c->base;
  return 0;
}
