/* cbc: printing results as JSON or as text tables. */
#define _XOPEN_SOURCE 700
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int cli_write_json(json_t *doc, FILE *out)
{
  if (!doc)
    return CLI_INTERNAL;
  /* 15 significant digits, as the library renders reals: 0.1875, not
   * 0.18750000000000000. */
  int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
  json_decref(doc);
  fputc('\n', out);
  return rc == 0 && fflush(out) == 0 && !ferror(out) ? CLI_OK : CLI_IO;
}

int cli_print_json(json_t *doc)
{
  return cli_write_json(doc, stdout);
}

json_t *cli_json_time(cli_ctx *ctx, int64_t t)
{
  char buf[40];
  return t ? json_string(cli_time_iso(ctx, t, buf)) : json_null();
}

json_t *cli_json_enum(cbc_enum_type type, int value)
{
  const char *name = value ? cbc_enum_name(type, value) : NULL;
  return name ? json_string(name) : json_null();
}

json_t *cli_json_str(const char *s)
{
  return s ? json_string(s) : json_null();
}

const char *cli_unit_ext(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_unit *u = NULL;
  if (id == 0 || cbc_unit_lookup(&u, ctx->db, id) != 0)
    return NULL;
  snprintf(buf, size, "%s", u->external_id);
  cbc_unit_free(u);
  return buf;
}

const char *cli_employee_ext(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_employee *e = NULL;
  if (id == 0 || cbc_employee_lookup(&e, ctx->db, id) != 0)
    return NULL;
  snprintf(buf, size, "%s", e->external_id);
  cbc_employee_free(e);
  return buf;
}

static json_t *ref(int64_t id, const char *external_id, const char *name)
{
  return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "external_id", external_id,
                   "name", name);
}

json_t *cli_json_unit_ref(cli_ctx *ctx, int64_t id)
{
  cbc_unit *u = NULL;
  if (id == 0 || cbc_unit_lookup(&u, ctx->db, id) != 0)
    return json_null();
  json_t *j = ref(u->id, u->external_id, u->name);
  cbc_unit_free(u);
  return j;
}

json_t *cli_json_employee_ref(cli_ctx *ctx, int64_t id)
{
  cbc_employee *e = NULL;
  if (id == 0 || cbc_employee_lookup(&e, ctx->db, id) != 0)
    return json_null();
  json_t *j = ref(e->id, e->external_id, e->name);
  cbc_employee_free(e);
  return j;
}

/* ------------------------------------------------------------------ */

size_t cli_display_width(const char *s)
{
  mbstate_t st;
  size_t width = 0;
  memset(&st, 0, sizeof st);
  while (*s) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
      memset(&st, 0, sizeof st);
      width++;
      s++;
      continue;
    }
    int w = wcwidth(wc);
    width += w < 0 ? 1 : (size_t)w;
    s += n;
  }
  return width;
}

struct cli_table {
  int columns;
  size_t rows, cap;
  char **cells; /* rows × columns; row 0 = the headings */
};

cli_table *cli_table_new(int columns, const char *const *headings)
{
  cli_table *t = calloc(1, sizeof *t);
  if (t) {
    t->columns = columns;
    if (cli_table_row(t, headings) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  return t;
}

int cli_table_row(cli_table *t, const char *const *cells)
{
  if (t->rows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **bigger = realloc(t->cells, cap * (size_t)t->columns * sizeof *bigger);
    if (!bigger)
      return -1;
    t->cells = bigger;
    t->cap = cap;
  }
  char **row = t->cells + t->rows * (size_t)t->columns;
  for (int c = 0; c < t->columns; c++) {
    row[c] = strdup(cells[c] ? cells[c] : "");
    if (!row[c]) {
      while (c--)
        free(row[c]);
      return -1;
    }
  }
  t->rows++;
  return 0;
}

/* Line breaks and tabs inside a cell would break the columns. */
static void print_cell(FILE *out, const char *s)
{
  for (; *s; s++)
    fputc(*s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s, out);
}

void cli_table_print(cli_table *t, FILE *out)
{
  size_t *width = calloc((size_t)t->columns, sizeof *width);
  if (!width) {
    cli_table_free(t);
    return;
  }
  for (size_t r = 0; r < t->rows; r++)
    for (int c = 0; c < t->columns; c++) {
      size_t w = cli_display_width(t->cells[r * (size_t)t->columns + c]);
      if (w > width[c])
        width[c] = w;
    }
  for (size_t r = 0; r < t->rows; r++) {
    for (int c = 0; c < t->columns; c++) {
      const char *cell = t->cells[r * (size_t)t->columns + c];
      print_cell(out, cell);
      if (c + 1 < t->columns)
        fprintf(out, "%*s", (int)(width[c] - cli_display_width(cell) + 2), "");
    }
    fputc('\n', out);
  }
  free(width);
  cli_table_free(t);
}

void cli_table_free(cli_table *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < t->rows * (size_t)t->columns; i++)
    free(t->cells[i]);
  free(t->cells);
  free(t);
}
