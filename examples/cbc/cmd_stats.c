/* cbc stats: beyond the form — a node's hazards broken down with rates, a
 * year's monthly series with its quarters and total, and rebuilding the
 * aggregates from the records. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "form.h"
#include "table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* breakdown                                                           */

static const char breakdown_usage[] =
  "usage: cbc stats breakdown DB UNIT PERIOD [--by DIMENSION] [--json]\n"
  "\n"
  "The hazards of UNIT's subtree in PERIOD beyond the form: how many were\n"
  "reported, rejected, rectified, closed (on time), overdue at the period's\n"
  "end and reopened; days to close (mean, median); the rectification, on-time\n"
  "and disposal rates; and the count of hazards for every value of a\n"
  "dimension, zeros included (resolved_level counts the hazards closed in the\n"
  "period, the others those reported in it).  Computed from the records.\n"
  "PERIOD is 2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-15.\n"
  "\n"
  "  --by DIMENSION   only this dimension's counts: severity, kind, category,\n"
  "                   check_item, source or resolved_level (or the Chinese\n"
  "                   label); default every dimension\n";

/* How a breakdown figure prints in text: a count, days, or a rate. */
typedef enum figure_kind { FIG_COUNT, FIG_DAYS, FIG_RATE } figure_kind;

static figure_kind figure_kind_of(int figure)
{
  if (figure >= CBC_FIGURE_RECTIFICATION_RATE)
    return FIG_RATE;
  return figure >= CBC_FIGURE_MEAN_DAYS_TO_CLOSE ? FIG_DAYS : FIG_COUNT;
}

/* The enum whose values a dimension counts. */
static cbc_enum_type dimension_values(cbc_stats_dimension d)
{
  switch (d) {
  case CBC_DIM_SEVERITY: return CBC_ENUM_SEVERITY;
  case CBC_DIM_KIND: return CBC_ENUM_HAZARD_KIND;
  case CBC_DIM_CATEGORY: return CBC_ENUM_HAZARD_CATEGORY;
  case CBC_DIM_CHECK_ITEM: return CBC_ENUM_CHECK_ITEM;
  case CBC_DIM_SOURCE: return CBC_ENUM_HAZARD_SOURCE;
  case CBC_DIM_RESOLVED_LEVEL: return CBC_ENUM_LEVEL;
  }
  return CBC_ENUM_LEVEL;
}

/* The figures as the library renders them (names, order, 4 decimals). */
static int breakdown_figures_json(cli_ctx *ctx, const cbc_stats_breakdown *b, json_t **out)
{
  char *text = NULL;
  int rc = cbc_stats_breakdown_render(&text, ctx->db, b, CBC_STATS_JSON);
  if (rc)
    return cli_fail(ctx, rc);
  json_t *doc = json_loads(text, 0, NULL);
  cbc_free(text);
  json_t *figures = json_object_get(doc, "figures");
  *out = figures ? json_incref(figures) : NULL;
  json_decref(doc);
  return *out ? CLI_OK : cli_failf(ctx, CLI_INTERNAL, "the library's breakdown has no figures");
}

static json_t *counts_json(const cbc_stats_breakdown *b, int by)
{
  json_t *list = json_array();
  for (size_t i = 0; list && i < b->n_counts; i++) {
    const cbc_stats_count *c = &b->counts[i];
    if (by && (int)c->dimension != by)
      continue;
    cbc_enum_type type = dimension_values(c->dimension);
    json_array_append_new(list, json_pack("{s:s,s:o,s:o,s:I}", "dimension",
                                          cbc_stats_dimension_name(c->dimension), "value",
                                          cli_json_enum(type, c->value), "label",
                                          cli_json_str(cbc_enum_label(type, c->value)), "count",
                                          (json_int_t)c->count));
  }
  return list;
}

static int breakdown_json(cli_ctx *ctx, const cbc_stats_breakdown *b, const cbc_period *p,
                          json_t *figures, int by)
{
  return cli_print_json(json_pack(
    "{s:o,s:o,s:o,s:O,s:o}", "unit", cli_json_unit_ref(ctx, b->unit_id), "period",
    form_period_json(ctx, p), "by",
    by ? json_string(cbc_stats_dimension_name((cbc_stats_dimension)by)) : json_null(),
    "figures", figures, "counts", counts_json(b, by)));
}

static void figure_text(json_t *value, figure_kind kind, char *buf, size_t size)
{
  if (json_is_integer(value))
    snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
  else if (kind == FIG_RATE)
    snprintf(buf, size, "%.2f%%", json_number_value(value) * 100);
  else
    snprintf(buf, size, "%.1f", json_number_value(value));
}

static void print_breakdown_figures(json_t *figures)
{
  static const char *const head[] = {"指标", "数值"};
  cli_table *t = cli_table_new(2, head);
  const char *name;
  json_t *value;
  json_object_foreach(figures, name, value) {
    int figure = 0;
    const char *label = cbc_enum_parse(&figure, CBC_ENUM_BREAKDOWN_FIGURE, name) == 0
                          ? cbc_enum_label(CBC_ENUM_BREAKDOWN_FIGURE, figure) : name;
    char buf[32];
    figure_text(value, figure_kind_of(figure), buf, sizeof buf);
    const char *row[] = {label, buf};
    if (t)
      cli_table_row(t, row);
  }
  if (t)
    cli_table_print(t, stdout);
}

/* One table per dimension: its values' labels and counts. */
static void print_breakdown_counts(const cbc_stats_breakdown *b, int by)
{
  cli_table *t = NULL;
  int current = 0;
  for (size_t i = 0; i < b->n_counts; i++) {
    const cbc_stats_count *c = &b->counts[i];
    if (by && (int)c->dimension != by)
      continue;
    if ((int)c->dimension != current) {
      if (t)
        cli_table_print(t, stdout);
      const char *head[] = {cbc_enum_label(CBC_ENUM_STATS_DIMENSION, c->dimension), "隐患数"};
      current = (int)c->dimension;
      fputc('\n', stdout);
      t = cli_table_new(2, head);
    }
    char count[24];
    snprintf(count, sizeof count, "%" PRId64, c->count);
    const char *label = cbc_enum_label(dimension_values(c->dimension), c->value);
    const char *row[] = {label ? label : "?", count};
    if (t)
      cli_table_row(t, row);
  }
  if (t)
    cli_table_print(t, stdout);
}

static void print_period_line(cli_ctx *ctx, const char *what, int64_t unit_id,
                              const cbc_period *p)
{
  char text[CBC_PERIOD_TEXT_MAX], a[40], z[40];
  int64_t from = 0, to = 0;
  cbc_unit *u = NULL;
  cbc_period_bounds(&from, &to, ctx->db, p);
  cbc_period_format(text, sizeof text, ctx->db, p);
  cbc_unit_lookup(&u, ctx->db, unit_id);
  printf("%s：%s（%s）  %s（%.10s 至 %.10s）\n\n", what, u ? u->name : "?",
         u ? u->external_id : "?", text, cli_time_text(ctx, from, a),
         cli_time_text(ctx, to - 1, z));
  cbc_unit_free(u);
}

static int cmd_breakdown(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3], *by_text = NULL;
  cli_opt opts[] = {{"--by", CLI_STRING, &by_text}, {NULL, CLI_FLAG, NULL}};
  int64_t unit;
  int by = 0;
  cbc_period period;
  int rc = cli_parse(ctx, breakdown_usage, opts, argc, argv, pos, 3, 3);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  if ((rc = cli_unit(ctx, pos[1], &unit)) != CLI_OK ||
      (rc = cli_period(ctx, pos[2], &period)) != CLI_OK ||
      (by_text && (rc = cli_enum(ctx, CBC_ENUM_STATS_DIMENSION, by_text, &by)) != CLI_OK))
    return rc;
  cbc_stats_breakdown *b = NULL;
  json_t *figures = NULL;
  if ((rc = cbc_stats_breakdown_get(&b, ctx->db, unit, &period)) != 0)
    return cli_fail(ctx, rc);
  rc = breakdown_figures_json(ctx, b, &figures);
  if (rc == CLI_OK && ctx->json) {
    rc = breakdown_json(ctx, b, &period, figures, by);
  } else if (rc == CLI_OK) {
    print_period_line(ctx, "隐患统计", unit, &period);
    print_breakdown_figures(figures);
    print_breakdown_counts(b, by);
  }
  json_decref(figures);
  cbc_stats_breakdown_free(b);
  return rc;
}

/* ------------------------------------------------------------------ */
/* series                                                              */

static const char series_usage[] =
  "usage: cbc stats series DB UNIT YEAR [--json]\n"
  "\n"
  "UNIT's forms for the twelve months of YEAR side by side, then its four\n"
  "quarters and the whole year.  A quarter's or a year's distinct-people\n"
  "figures count each person once, so they are not the sum of its months;\n"
  "the other figures are.\n";

/* The 17 periods of a year: its months, quarters and itself. */
#define SERIES_ROWS 17

typedef struct series {
  cbc_stats_forms *months;
  cbc_stats_form *others[5]; /* Q1..Q4, the year */
  cbc_period periods[SERIES_ROWS];
  char keys[SERIES_ROWS][CBC_PERIOD_TEXT_MAX], names[SERIES_ROWS][16];
  form_row rows[SERIES_ROWS];
} series;

static void series_free(series *s)
{
  cbc_stats_forms_free(s->months);
  for (int i = 0; i < 5; i++)
    cbc_stats_form_free(s->others[i]);
}

static void series_periods(series *s, int year)
{
  for (int i = 0; i < SERIES_ROWS; i++) {
    cbc_period *p = &s->periods[i];
    if (i < 12) {
      *p = (cbc_period){CBC_PERIOD_MONTH, year, i + 1, 0, 0};
      snprintf(s->names[i], sizeof s->names[i], "%d月", i + 1);
    } else if (i < 16) {
      *p = (cbc_period){CBC_PERIOD_QUARTER, year, i - 11, 0, 0};
      snprintf(s->names[i], sizeof s->names[i], "第%d季度", i - 11);
    } else {
      *p = (cbc_period){CBC_PERIOD_YEAR, year, 0, 0, 0};
      snprintf(s->names[i], sizeof s->names[i], "全年");
    }
  }
}

static int series_load(cli_ctx *ctx, series *s, int64_t unit, int year)
{
  series_periods(s, year);
  int rc = cbc_stats_series(&s->months, ctx->db, unit, year, 1, 12);
  for (int i = 0; rc == 0 && i < 5; i++)
    rc = cbc_stats_form_get(&s->others[i], ctx->db, unit, &s->periods[12 + i], 0);
  if (rc == 0 && s->months->count != 12)
    return cli_failf(ctx, CLI_INTERNAL, "the series has %zu months", s->months->count);
  for (int i = 0; rc == 0 && i < SERIES_ROWS; i++) {
    rc = cbc_period_format(s->keys[i], sizeof s->keys[i], ctx->db, &s->periods[i]);
    s->rows[i] = (form_row){s->keys[i], s->names[i],
                            i < 12 ? s->months->forms[i] : s->others[i - 12], i == 16};
  }
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

static json_t *series_entry(cli_ctx *ctx, const series *s, int i)
{
  return json_pack("{s:o,s:o}", "period", form_period_json(ctx, &s->periods[i]), "figures",
                   form_figures_json(s->rows[i].form));
}

static int series_json(cli_ctx *ctx, const series *s, int64_t unit, int year)
{
  json_t *months = json_array(), *quarters = json_array();
  for (int i = 0; months && quarters && i < 16; i++)
    json_array_append_new(i < 12 ? months : quarters, series_entry(ctx, s, i));
  return cli_print_json(json_pack("{s:o,s:i,s:o,s:o,s:o,s:o}", "unit",
                                  cli_json_unit_ref(ctx, unit), "year", year, "labels",
                                  form_labels_json(), "months", months, "quarters", quarters,
                                  "total", series_entry(ctx, s, 16)));
}

static int series_text(cli_ctx *ctx, const series *s, int64_t unit, int year)
{
  cbc_unit *u = NULL;
  cbc_unit_lookup(&u, ctx->db, unit);
  printf("%s\n填报单位：%s（%s）\n统计年度：%d\n\n", cbc_stats_form_title(), u ? u->name : "?",
         u ? u->external_id : "?", year);
  cbc_unit_free(u);
  cli_table *t = form_table("期间", "", s->rows, SERIES_ROWS);
  if (!t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  cli_table_print(t, stdout);
  return CLI_OK;
}

static int cmd_series(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3];
  int64_t unit, year;
  int rc = cli_parse(ctx, series_usage, NULL, argc, argv, pos, 3, 3);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  if ((rc = cli_unit(ctx, pos[1], &unit)) != CLI_OK ||
      (rc = cli_int(ctx, "YEAR", pos[2], 1970, 9999, &year)) != CLI_OK)
    return rc;
  series s;
  memset(&s, 0, sizeof s);
  rc = series_load(ctx, &s, unit, (int)year);
  if (rc == CLI_OK)
    rc = ctx->json ? series_json(ctx, &s, unit, (int)year) : series_text(ctx, &s, unit, (int)year);
  series_free(&s);
  return rc;
}

/* ------------------------------------------------------------------ */
/* rebuild                                                             */

static const char rebuild_usage[] =
  "usage: cbc stats rebuild DB [--batch N] [--progress] [--json] [--quiet]\n"
  "\n"
  "Rebuild the statistics' aggregates from the records: after a bulk load,\n"
  "after a change of UTC offset, or when 'cbc check --stats' reports a\n"
  "difference.  The rebuild runs in steps of about N records each (default\n"
  "20000, about a second), each its own transaction, so other writers wait\n"
  "at most one step; forms stay right meanwhile.  Killed or interrupted, it\n"
  "goes on from its last step when run again.  --progress prints a line per\n"
  "step on stderr.  The forms read the same before and after on a sound\n"
  "database.  Prints one line (nothing with --quiet).\n";

static double seconds_since(const struct timespec *start)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Steps of @p batch until done (complete aggregates are rebuilt too, a
 * rebuild under way goes on, as cbc_stats_rebuild() does); *steps how many
 * ran, @p p where the last left it. */
static int rebuild_steps(cli_ctx *ctx, int64_t batch, int progress, const struct timespec *start,
                         long *steps, cbc_stats_progress *p)
{
  int rc;
  *steps = 0;
  while ((rc = cbc_stats_rebuild_step(ctx->db, batch, CBC_STATS_REBUILD_ANEW, p)) >= 0) {
    ++*steps;
    if (progress)
      fprintf(stderr, "step %ld: %lld of %lld units rebuilt (%lld rows cleared, %lld records), "
              "%.1f s\n", *steps, (long long)p->units_done, (long long)p->units_total,
              (long long)p->rows_cleared, (long long)p->records, seconds_since(start));
    if (rc == 0)
      return 0;
  }
  return rc;
}

static int cmd_rebuild(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1], *batch_text = NULL;
  int show = 0;
  int64_t batch = CBC_STATS_STEP_DEFAULT;
  const cli_opt opts[] = {{"--batch", CLI_STRING, &batch_text},
                          {"--progress", CLI_FLAG, &show},
                          {NULL, CLI_FLAG, NULL}};
  struct timespec start;
  int rc = cli_parse(ctx, rebuild_usage, opts, argc, argv, pos, 1, 1);
  if (rc == CLI_OK && batch_text)
    rc = cli_int(ctx, "--batch", batch_text, 1, 1000000000, &batch);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  clock_gettime(CLOCK_MONOTONIC, &start);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  long steps = 0;
  if ((rc = rebuild_steps(ctx, batch, show, &start, &steps, &p)) != 0)
    return cli_fail(ctx, rc);
  double took = seconds_since(&start);
  if (ctx->json)
    return cli_print_json(json_pack("{s:s,s:b,s:f,s:i,s:I}", "path", pos[0], "rebuilt", 1,
                                      "seconds", (double)(int64_t)(took * 1000) / 1000,
                                      "steps", (int)steps, "units", (json_int_t)p.units_total));
  if (!ctx->quiet)
    printf("Rebuilt the statistics of %s from its records in %.2f s (%ld steps)\n", pos[0], took,
           steps);
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* table                                                               */

static const char table_usage[] =
  "usage: cbc stats table DB UNIT PERIOD [--format text|csv|json|xlsx] [--output FILE]\n"
  "\n"
  "The hazard statistics table an enterprise files every quarter and year\n"
  "(生产经营单位事故隐患排查治理情况统计分析表; 安全生产事故隐患排查治理暂行规定\n"
  "art. 14), for UNIT's subtree in PERIOD: the enterprises that checked; general\n"
  "and major hazards found and rectified, with the rectification rates; the\n"
  "major hazards under a rectification plan with each of its six items and\n"
  "their funds (万元).  The total first, then each industry of the subtree's\n"
  "enterprises.  Computed from the records (docs/statistics.md, \"The hazard\n"
  "table\").  PERIOD is 2026-Q4 or 2026 (any period works).\n"
  "\n"
  "  --format FORMAT   text (default: the table as filed, a block per row),\n"
  "                    csv (one line per row and figure: unit_id, unit, from,\n"
  "                    last, row (total or industry), industry, figure, label,\n"
  "                    value), json (the same as --json) or xlsx (a workbook laid\n"
  "                    out like the paper table, the industries as columns; to a\n"
  "                    file, or to stdout when it is not a terminal)\n"
  "  --output FILE     write to FILE instead of stdout ('-': stdout): a new file,\n"
  "                    or one that replaces FILE whole once complete (never a\n"
  "                    partial file; nothing is written when the command fails)\n";

/* The rows' keys: every figure, each rate after its rectified count. */
static void table_keys(table_doc *t)
{
  t->n_keys = 0;
  for (int f = 1; f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++) {
    t->keys[t->n_keys++] = cbc_enum_name(CBC_ENUM_HAZARD_TABLE_FIGURE, f);
    if (f == CBC_HT_GENERAL_RECTIFIED)
      t->keys[t->n_keys++] = "general_rate";
    else if (f == CBC_HT_MAJOR_RECTIFIED)
      t->keys[t->n_keys++] = "major_rate";
  }
}

static int text_to(cli_ctx *ctx, FILE *out, const void *arg)
{
  (void)ctx;
  return fputs(arg, out) < 0 ? CLI_IO : CLI_OK;
}

/* The table of UNIT for PERIOD, rendered as @p format into *text (the
 * library's rendering; JSON for xlsx, parsed into doc->json). */
static int table_load(cli_ctx *ctx, table_doc *doc, int64_t unit, const cbc_period *period,
                      cbc_stats_format format, char **text)
{
  cbc_hazard_table *t = NULL;
  int rc = cbc_hazard_table_get(&t, ctx->db, unit, period);
  if (!rc)
    rc = cbc_hazard_table_render(text, ctx->db, t, format);
  if (!rc)
    rc = cbc_unit_lookup(&doc->unit, ctx->db, unit);
  if (!rc)
    rc = cbc_period_format(doc->period_text, sizeof doc->period_text, ctx->db, period);
  cbc_hazard_table_free(t);
  if (rc)
    return cli_fail(ctx, rc);
  table_keys(doc);
  if (format == CBC_STATS_JSON && !(doc->json = json_loads(*text, 0, NULL)))
    return cli_failf(ctx, CLI_INTERNAL, "the library's hazard table is not JSON");
  return CLI_OK;
}

static int cmd_table(cli_ctx *ctx, int argc, char **argv)
{
  static const char *const names[] = {"text", "csv", "json", "xlsx"};
  static const cbc_stats_format formats[] = {CBC_STATS_TEXT, CBC_STATS_CSV, CBC_STATS_JSON,
                                             CBC_STATS_JSON};
  const char *pos[3], *format_text = NULL, *output = NULL;
  cli_opt opts[] = {{"--format", CLI_STRING, &format_text},
                    {"--output", CLI_STRING, &output}, {NULL, CLI_FLAG, NULL}};
  int64_t unit;
  cbc_period period;
  int rc = cli_parse(ctx, table_usage, opts, argc, argv, pos, 3, 3);
  if (rc != CLI_OK)
    return rc;
  int format = ctx->json ? 2 : 0; /* text, csv, json, xlsx: names[] */
  for (int i = 0; format_text && i < 4; i++)
    format = strcmp(format_text, names[i]) == 0 ? i : format;
  if (format_text && strcmp(format_text, names[format]) != 0)
    return cli_usage_error(ctx, "unknown --format '%s' (text, csv, json or xlsx)", format_text);
  if (ctx->json && format != 2)
    return cli_usage_error(ctx, "--json is --format json, not --format %s", format_text);
  if (output && strcmp(output, "-") == 0)
    output = NULL;
  if (output && !*output)
    return cli_usage_error(ctx, "--output needs a file name");
  if (format == 3 && !output && isatty(STDOUT_FILENO))
    return cli_usage_error(ctx, "an xlsx workbook is binary: write it with --output FILE "
                                "(or redirect stdout to a file)");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK || (rc = cli_unit(ctx, pos[1], &unit)) != CLI_OK ||
      (rc = cli_period(ctx, pos[2], &period)) != CLI_OK)
    return rc;
  table_doc doc;
  char *text = NULL;
  memset(&doc, 0, sizeof doc);
  rc = table_load(ctx, &doc, unit, &period, formats[format], &text);
  if (rc == CLI_OK)
    rc = format == 3 ? cli_write_named(ctx, output, table_write_xlsx, &doc)
                     : cli_write_stream(ctx, output, text_to, text);
  cbc_free(text);
  json_decref(doc.json);
  cbc_unit_free(doc.unit);
  return rc;
}

/* ------------------------------------------------------------------ */

int cmd_stats(cli_ctx *ctx, int argc, char **argv)
{
  static const cli_command table[] = {
    {"breakdown", cmd_breakdown, "hazards by a dimension, with rates and days to close"},
    {"series", cmd_series, "a year's months, quarters and total side by side"},
    {"table", cmd_table, "the hazard statistics table filed each quarter and year"},
    {"rebuild", cmd_rebuild, "rebuild the aggregates from the records"},
    {NULL, NULL, NULL}};
  return cli_dispatch(ctx, "stats", "The campaign's statistics beyond the official form "
                                    "('cbc form' prints the form).", table, argc, argv);
}
