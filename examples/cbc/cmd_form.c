/* cbc form: the official monthly form (“查保促”集中行动情况统计表) of a node,
 * or its children side by side, as text, CSV, JSON or xlsx, to stdout or to
 * a file written whole or not at all. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "form.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char form_usage[] =
  "usage: cbc form DB UNIT PERIOD [--children] [--format text|csv|json|xlsx]\n"
  "                [--output FILE]\n"
  "\n"
  "The official form (“查保促”集中行动情况统计表) of UNIT for PERIOD, rolled up\n"
  "over UNIT's subtree (docs/statistics.md defines each figure).  With\n"
  "--children, the forms of UNIT's open children side by side, one row per\n"
  "child, as unions collect them, and UNIT's own form as the last row (合计):\n"
  "the children's rows plus what was recorded at UNIT itself (a district\n"
  "union's leader classes and its cadres' participation, visits to an\n"
  "enterprise as a whole).  units_ran counts enterprises: 0 below one.\n"
  "UNIT is an external id or a path (R1/E1).  PERIOD is 2026-11, 2026-Q4, 2026\n"
  "or 2026-11-01..2026-11-15, in the database's UTC offset.\n"
  "\n"
  "  --children        the children's forms, then UNIT's as the total row\n"
  "  --format FORMAT   text (default: an aligned table with the form's Chinese\n"
  "                    headings), csv (UTF-8 with a byte-order mark, so that Excel\n"
  "                    opens it; one header row of the Chinese headings, then one\n"
  "                    row per unit: 单位编号, 单位名称, 统计期间 and the figures in\n"
  "                    the form's order), json (the same as --json: stable keys,\n"
  "                    the headings under \"labels\") or xlsx (a workbook laid out\n"
  "                    like the paper form; to a file, or to stdout when it is not\n"
  "                    a terminal)\n"
  "  --output FILE     write to FILE instead of stdout ('-': stdout): a new file,\n"
  "                    or one that replaces FILE whole once complete (never a\n"
  "                    partial file; nothing is written when the command fails)\n";

typedef enum form_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON, FORMAT_XLSX } form_format;

static int parse_format(cli_ctx *ctx, const char *text, form_format *out)
{
  static const char *const names[] = {"text", "csv", "json", "xlsx"};
  for (int i = 0; i < 4; i++)
    if (strcmp(text, names[i]) == 0) {
      *out = (form_format)i;
      return CLI_OK;
    }
  return cli_usage_error(ctx, "unknown --format '%s' (text, csv, json or xlsx)", text);
}

/* ------------------------------------------------------------------ */
/* Helpers the series shares (form.h).                                 */

json_t *form_figures_json(const cbc_stats_form *form)
{
  json_t *o = json_object();
  for (int i = 1; o && i <= CBC_STATS_FIELD_COUNT; i++)
    json_object_set_new(o, cbc_stats_field_name((cbc_stats_field)i),
                        json_integer(cbc_stats_form_value(form, (cbc_stats_field)i)));
  return o;
}

json_t *form_labels_json(void)
{
  json_t *o = json_object();
  for (int i = 1; o && i <= CBC_STATS_FIELD_COUNT; i++)
    json_object_set_new(o, cbc_stats_field_name((cbc_stats_field)i),
                        json_string(cbc_enum_label(CBC_ENUM_FORM_FIELD, i)));
  return o;
}

/* {"kind", "text", "from", "to"}: to is exclusive, as cbc_period_bounds(). */
json_t *form_period_json(cli_ctx *ctx, const cbc_period *period)
{
  char text[CBC_PERIOD_TEXT_MAX];
  int64_t from = 0, to = 0;
  cbc_period_bounds(&from, &to, ctx->db, period);
  cbc_period_format(text, sizeof text, ctx->db, period);
  return json_pack("{s:s,s:s,s:o,s:o}", "kind", cbc_period_kind_name(period->kind), "text",
                   text, "from", cli_json_time(ctx, from), "to", cli_json_time(ctx, to));
}

cli_table *form_table(const char *key_heading, const char *name_heading,
                      const form_row *rows, size_t n_rows)
{
  const char *head[2 + CBC_STATS_FIELD_COUNT] = {key_heading, name_heading};
  char numbers[CBC_STATS_FIELD_COUNT][24];
  const char *cells[2 + CBC_STATS_FIELD_COUNT];
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
    head[1 + i] = cbc_enum_label(CBC_ENUM_FORM_FIELD, i);
  cli_table *t = cli_table_new(2 + CBC_STATS_FIELD_COUNT, head);
  for (size_t r = 0; t && r < n_rows; r++) {
    cells[0] = rows[r].key;
    cells[1] = rows[r].name;
    for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
      snprintf(numbers[i - 1], sizeof numbers[0], "%" PRId64,
               cbc_stats_form_value(rows[r].form, (cbc_stats_field)i));
      cells[1 + i] = numbers[i - 1];
    }
    if (cli_table_row(t, cells) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  return t;
}

const char *form_subtitle(const form_doc *doc, char *buf, size_t size)
{
  snprintf(buf, size, "填报单位：%s（%s）    统计期间：%s（%s 至 %s）", doc->unit->name,
           doc->unit->external_id, doc->period_text, doc->first_day, doc->last_day);
  return buf;
}

/* ------------------------------------------------------------------ */
/* Loading the forms.                                                  */

static void doc_free(form_doc *doc)
{
  for (size_t i = 0; doc->child_units && i < doc->children->count; i++)
    cbc_unit_free(doc->child_units[i]);
  free(doc->child_units);
  free(doc->rows);
  cbc_stats_forms_free(doc->children);
  cbc_stats_form_free(doc->own);
  cbc_unit_free(doc->unit);
}

/* The period's canonical text and its first and last local days. */
static int doc_period(cli_ctx *ctx, form_doc *doc)
{
  int64_t from, to;
  char buf[40];
  int rc = cbc_period_bounds(&from, &to, ctx->db, &doc->period);
  if (rc == 0)
    rc = cbc_period_format(doc->period_text, sizeof doc->period_text, ctx->db, &doc->period);
  if (rc)
    return cli_fail(ctx, rc);
  snprintf(doc->first_day, sizeof doc->first_day, "%.10s", cli_time_text(ctx, from, buf));
  snprintf(doc->last_day, sizeof doc->last_day, "%.10s", cli_time_text(ctx, to - 1, buf));
  return CLI_OK;
}

/* The children's forms and units, and the rows: each child, then the total. */
static int doc_children(cli_ctx *ctx, form_doc *doc)
{
  int rc = cbc_stats_children(&doc->children, ctx->db, doc->unit->id, &doc->period, 0);
  if (rc)
    return cli_fail(ctx, rc);
  size_t n = doc->children->count;
  doc->child_units = calloc(n + 1, sizeof *doc->child_units);
  doc->rows = calloc(n + 1, sizeof *doc->rows);
  if (!doc->child_units || !doc->rows)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const cbc_stats_form *f = doc->children->forms[i];
    if ((rc = cbc_unit_lookup(&doc->child_units[i], ctx->db, f->unit_id)) != 0)
      return cli_fail(ctx, rc);
    doc->rows[i] = (form_row){doc->child_units[i]->external_id, doc->child_units[i]->name, f, 0};
  }
  doc->rows[n] = (form_row){doc->unit->external_id, "合计", doc->own, 1};
  doc->n_rows = n + 1;
  return CLI_OK;
}

static int doc_load(cli_ctx *ctx, form_doc *doc, const char *unit, const char *period,
                    int children)
{
  int64_t id;
  int rc = cli_unit(ctx, unit, &id);
  if (rc == CLI_OK)
    rc = cli_period(ctx, period, &doc->period);
  if (rc == CLI_OK)
    rc = doc_period(ctx, doc);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_unit_lookup(&doc->unit, ctx->db, id)) != 0 ||
      (rc = cbc_stats_form_get(&doc->own, ctx->db, id, &doc->period, 0)) != 0)
    return cli_fail(ctx, rc);
  if (children)
    return doc_children(ctx, doc);
  doc->rows = calloc(1, sizeof *doc->rows);
  if (!doc->rows)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  doc->rows[0] = (form_row){doc->unit->external_id, doc->unit->name, doc->own, 0};
  doc->n_rows = 1;
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Text, CSV and JSON.                                                 */

/* One form as a table of (heading, figure), as on the paper form. */
static cli_table *figures_table(const cbc_stats_form *form)
{
  static const char *const head[] = {"项目", "数值"};
  char number[24];
  cli_table *t = cli_table_new(2, head);
  for (int i = 1; t && i <= CBC_STATS_FIELD_COUNT; i++) {
    snprintf(number, sizeof number, "%" PRId64, cbc_stats_form_value(form, (cbc_stats_field)i));
    const char *row[] = {cbc_enum_label(CBC_ENUM_FORM_FIELD, i), number};
    if (cli_table_row(t, row) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  return t;
}

static int render_text(cli_ctx *ctx, const form_doc *doc, FILE *out)
{
  cli_table *t = doc->children ? form_table("编号", "单位", doc->rows, doc->n_rows)
                               : figures_table(doc->own);
  if (!t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  fprintf(out, "%s\n填报单位：%s（%s）\n统计期间：%s（%s 至 %s）\n\n", cbc_stats_form_title(),
          doc->unit->name, doc->unit->external_id, doc->period_text, doc->first_day,
          doc->last_day);
  cli_table_print(t, out);
  return CLI_OK;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled; a leading = + - @ gets a ' first so that a
 * spreadsheet does not run a unit's name as a formula (as the library's
 * CSV does). */
static void csv_field(FILE *out, const char *s)
{
  int formula = s[0] && strchr("=+-@", s[0]);
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  if (quote)
    fputc('"', out);
  if (formula)
    fputc('\'', out);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', out);
    fputc(*s, out);
  }
  if (quote)
    fputc('"', out);
}

static int render_csv(cli_ctx *ctx, const form_doc *doc, FILE *out)
{
  (void)ctx;
  fputs("\xEF\xBB\xBF单位编号,单位名称,统计期间", out);
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
    fputc(',', out);
    csv_field(out, cbc_enum_label(CBC_ENUM_FORM_FIELD, i));
  }
  fputs("\r\n", out);
  for (size_t r = 0; r < doc->n_rows; r++) {
    csv_field(out, doc->rows[r].key);
    fputc(',', out);
    csv_field(out, doc->rows[r].name);
    fputc(',', out);
    csv_field(out, doc->period_text);
    for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
      fprintf(out, ",%" PRId64, cbc_stats_form_value(doc->rows[r].form, (cbc_stats_field)i));
    fputs("\r\n", out);
  }
  return CLI_OK;
}

static json_t *doc_json(cli_ctx *ctx, const form_doc *doc)
{
  json_t *o = json_pack("{s:o,s:o,s:s,s:o,s:o}", "unit", cli_json_unit_ref(ctx, doc->unit->id),
                        "period", form_period_json(ctx, &doc->period), "title",
                        cbc_stats_form_title(), "figures", form_figures_json(doc->own),
                        "labels", form_labels_json());
  if (!o || !doc->children)
    return o;
  json_t *list = json_array();
  for (size_t r = 0; list && r + 1 < doc->n_rows; r++)
    json_array_append_new(list, json_pack("{s:o,s:o}", "unit",
                                          cli_json_unit_ref(ctx, doc->rows[r].form->unit_id),
                                          "figures", form_figures_json(doc->rows[r].form)));
  json_object_set_new(o, "children", list ? list : json_null());
  return o;
}

static int render_json(cli_ctx *ctx, const form_doc *doc, FILE *out)
{
  int rc = cli_write_json(doc_json(ctx, doc), out);
  return rc == CLI_INTERNAL ? cli_failf(ctx, rc, "out of memory") : rc;
}

typedef int (*render_fn)(cli_ctx *ctx, const form_doc *doc, FILE *out);

/* Text, CSV or JSON: straight to stdout, or to FILE written whole. */
typedef struct stream_args {
  const form_doc *doc;
  render_fn render;
} stream_args;

static int stream_to(cli_ctx *ctx, FILE *out, const void *arg)
{
  const stream_args *a = arg;
  return a->render(ctx, a->doc, out);
}

static int write_stream(cli_ctx *ctx, const form_doc *doc, render_fn render, const char *path)
{
  stream_args a = {doc, render};
  return cli_write_stream(ctx, path, stream_to, &a);
}

/* xlsx: libxlsxwriter writes a named file. */
static int xlsx_to(cli_ctx *ctx, const char *tmp, const void *arg)
{
  return form_write_xlsx(ctx, arg, tmp);
}

static int write_xlsx(cli_ctx *ctx, const form_doc *doc, const char *path)
{
  return cli_write_named(ctx, path, xlsx_to, doc);
}

/* ------------------------------------------------------------------ */

int cmd_form(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3], *format_text = NULL, *output = NULL;
  int children = 0;
  form_format format = FORMAT_TEXT;
  cli_opt opts[] = {{"--children", CLI_FLAG, &children},
                    {"--format", CLI_STRING, &format_text},
                    {"--output", CLI_STRING, &output},
                    {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, form_usage, opts, argc, argv, pos, 3, 3);
  if (rc != CLI_OK)
    return rc;
  if (format_text && (rc = parse_format(ctx, format_text, &format)) != CLI_OK)
    return rc;
  if (output && strcmp(output, "-") == 0) /* as tar's and curl's -o -: stdout */
    output = NULL;
  if (ctx->json && format_text && format != FORMAT_JSON)
    return cli_usage_error(ctx, "--json is --format json, not --format %s", format_text);
  if (ctx->json)
    format = FORMAT_JSON;
  if (format == FORMAT_XLSX && !output && isatty(STDOUT_FILENO))
    return cli_usage_error(ctx, "an xlsx workbook is binary: write it with --output FILE "
                                "(or redirect stdout to a file)");
  if (output && !*output)
    return cli_usage_error(ctx, "--output needs a file name");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  form_doc doc;
  memset(&doc, 0, sizeof doc);
  rc = doc_load(ctx, &doc, pos[1], pos[2], children);
  if (rc == CLI_OK) {
    static const render_fn renderers[] = {render_text, render_csv, render_json};
    rc = format == FORMAT_XLSX ? write_xlsx(ctx, &doc, output)
                               : write_stream(ctx, &doc, renderers[format], output);
  }
  doc_free(&doc);
  return rc;
}
