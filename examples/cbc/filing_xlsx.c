/* cbc filing show --format xlsx: a filed report as a workbook made from its
 * JSON as filed, never recomputed — the title, the filing's block (who
 * filed, who signed, when, ...), then the report: the major-hazard report
 * as its three parts of heading | value rows, the monthly form as heading |
 * value rows, the hazard table as a row per figure (合计, then each
 * industry), and the congress report as its table with its major hazards
 * on a second sheet. */
#define _POSIX_C_SOURCE 200809L
#include "xlsx.h"

#include <stdio.h>
#include <string.h>

#define TITLE_ROW 0
#define FIRST_HEAD_ROW 2
#define LABEL_WIDTH 34.0
#define VALUE_WIDTH 60.0
#define FIGURE_WIDTH 14.0
#define LINE_HEIGHT 15.0

typedef struct formats {
  lxw_format *title, *part, *heading, *label, *plain, *text, *count, *rate, *funds;
} formats;

static int make_formats(lxw_workbook *wb, formats *x)
{
  x->title = cli_xlsx_format(wb, 1, 0, 16, NULL);
  x->part = cli_xlsx_format(wb, 1, 0, 12, NULL);
  x->heading = cli_xlsx_format(wb, 1, 1, 11, NULL);
  x->label = cli_xlsx_format(wb, 0, 1, 11, NULL);
  x->plain = cli_xlsx_format(wb, 0, 0, 11, NULL);
  x->text = cli_xlsx_format(wb, 0, 1, 11, NULL);
  x->count = cli_xlsx_format(wb, 0, 1, 11, "0");
  x->rate = cli_xlsx_format(wb, 0, 1, 11, "0.0\"%\"");
  x->funds = cli_xlsx_format(wb, 0, 1, 11, "0.00####");
  if (!x->title || !x->part || !x->heading || !x->label || !x->plain || !x->text ||
      !x->count || !x->rate || !x->funds)
    return -1;
  format_set_align(x->heading, LXW_ALIGN_CENTER);
  format_set_text_wrap(x->heading);
  format_set_text_wrap(x->label);
  format_set_text_wrap(x->text);
  return 0;
}

/* One value as filed: text as text, a count or a rate (a real) as a
 * number, a yes/no as 是/否, nothing as —. */
static void write_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v,
                        const formats *x)
{
  if (json_is_string(v))
    worksheet_write_string(ws, r, c, json_string_value(v), x->text);
  else if (json_is_boolean(v))
    worksheet_write_string(ws, r, c, json_is_true(v) ? "是" : "否", x->text);
  else if (json_is_number(v))
    worksheet_write_number(ws, r, c, json_number_value(v),
                           json_is_real(v) ? x->rate : x->count);
  else
    worksheet_write_string(ws, r, c, "—", x->text);
}

/* A heading | value row, tall enough for the value wrapped in VALUE_WIDTH. */
static lxw_row_t item_row(lxw_worksheet *ws, lxw_row_t r, const char *label, json_t *v,
                          const formats *x)
{
  size_t w = json_is_string(v) ? cli_display_width(json_string_value(v)) : 0;
  size_t lines = w / ((size_t)VALUE_WIDTH - 2) + 1;
  worksheet_write_string(ws, r, 0, label, x->label);
  write_value(ws, r, 1, v, x);
  if (lines > 1)
    worksheet_set_row(ws, r, LINE_HEIGHT * (double)lines + 3, NULL);
  return r + 1;
}

/* Every item of @p section in the JSON's order, under its heading. */
static lxw_row_t section_rows(lxw_worksheet *ws, lxw_row_t r, json_t *section, json_t *labels,
                              const formats *x)
{
  const char *key;
  json_t *v;
  json_object_foreach(section, key, v) {
    const char *label = json_string_value(json_object_get(labels, key));
    r = item_row(ws, r, label ? label : key, v, x);
  }
  return r;
}

/* The title, then the filing's block; the row after a blank one. */
static lxw_row_t write_head(lxw_worksheet *ws, const char *title, const filing_head *h,
                            const formats *x)
{
  worksheet_write_string(ws, TITLE_ROW, 0, title, x->title);
  worksheet_set_row(ws, TITLE_ROW, 30, NULL);
  lxw_row_t r = FIRST_HEAD_ROW;
  for (size_t i = 0; i < h->n; i++, r++) {
    worksheet_write_string(ws, r, 0, h->label[i], x->plain);
    worksheet_write_string(ws, r, 1, h->value[i], x->plain);
  }
  return r + 1;
}

static void write_major_report(lxw_worksheet *ws, lxw_row_t r, json_t *j, const formats *x)
{
  static const struct {
    const char *heading, *sections[2];
  } parts[] = {{"一、隐患的现状及其产生原因", {"state", "cause"}},
               {"二、隐患的危害程度和整改难易程度分析", {"analysis", NULL}},
               {"三、隐患的治理方案", {"plan", NULL}}};
  json_t *labels = json_object_get(j, "labels");
  for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
    worksheet_write_string(ws, r++, 0, parts[p].heading, x->part);
    for (size_t s = 0; s < 2 && parts[p].sections[s]; s++)
      r = section_rows(ws, r, json_object_get(j, parts[p].sections[s]), labels, x);
    r++;
  }
  worksheet_set_column(ws, 0, 0, LABEL_WIDTH, NULL);
  worksheet_set_column(ws, 1, 1, VALUE_WIDTH, NULL);
}

static void write_monthly_form(lxw_worksheet *ws, lxw_row_t r, json_t *j, const formats *x)
{
  section_rows(ws, r, json_object_get(j, "figures"), json_object_get(j, "labels"), x);
  worksheet_set_column(ws, 0, 0, LABEL_WIDTH, NULL);
  worksheet_set_column(ws, 1, 1, VALUE_WIDTH, NULL);
}

/* The row of figure @p key: its heading, the total's, then each
 * industry's; the funds (filed in 分) in 万元. */
static lxw_row_t figure_row(lxw_worksheet *ws, lxw_row_t r, json_t *t, const char *key,
                            const formats *x)
{
  json_t *rows = json_object_get(t, "industries");
  int funds = strcmp(key, "plan_funds_fen") == 0;
  const char *label = funds ? "落实治理资金（万元）"
                            : json_string_value(json_object_get(json_object_get(t, "labels"), key));
  worksheet_write_string(ws, r, 0, label ? label : key, x->label);
  for (size_t c = 0; c <= json_array_size(rows); c++) {
    json_t *v = json_object_get(c ? json_array_get(rows, c - 1) : json_object_get(t, "total"), key);
    if (funds)
      worksheet_write_number(ws, r, (lxw_col_t)(1 + c), (double)json_integer_value(v) / 1e6,
                             x->funds);
    else
      write_value(ws, r, (lxw_col_t)(1 + c), v, x);
  }
  return r + 1;
}

/* The hazard table @p t from row @p r: 项目 | 合计 | each industry, then a
 * row per figure in the JSON's order, each rate after its rectified count. */
static lxw_row_t write_table(lxw_worksheet *ws, lxw_row_t r, json_t *t, const formats *x)
{
  json_t *rows = json_object_get(t, "industries"), *total = json_object_get(t, "total"), *v;
  const char *key, *end;
  char rate[64];
  worksheet_write_string(ws, r, 0, "项目", x->heading);
  worksheet_write_string(ws, r, 1, "合计", x->heading);
  for (size_t j = 0; j < json_array_size(rows); j++) {
    const char *name = json_string_value(json_object_get(json_array_get(rows, j), "industry"));
    worksheet_write_string(ws, r, (lxw_col_t)(2 + j), name && *name ? name : "未填行业",
                           x->heading);
  }
  r++;
  json_object_foreach(total, key, v) {
    if ((end = strstr(key, "_rate")) && end[5] == '\0')
      continue;
    r = figure_row(ws, r, t, key, x);
    if ((end = strstr(key, "_rectified")) && end[10] == '\0') {
      snprintf(rate, sizeof rate, "%.*s_rate", (int)(end - key), key);
      if (json_object_get(total, rate))
        r = figure_row(ws, r, t, rate, x);
    }
  }
  worksheet_set_column(ws, 0, 0, LABEL_WIDTH, NULL);
  worksheet_set_column(ws, 1, (lxw_col_t)(1 + json_array_size(rows)), FIGURE_WIDTH, NULL);
  return r;
}

/* The congress report's major hazards, a row each, on their own sheet. */
static void write_major_hazards(lxw_worksheet *ws, json_t *list, const formats *x)
{
  static const char *const keys[] = {"hazard_id", "title",  "unit",        "state",
                                     "reported",  "deadline", "closed",    "responsible",
                                     "funds_wan", "listed"};
  static const char *const heads[] = {"隐患编号", "隐患名称", "所在部位", "治理状态",
                                      "上报日期", "整改时限", "销号日期", "责任人",
                                      "治理资金（万元）", "挂牌督办"};
  const size_t n = sizeof keys / sizeof keys[0];
  worksheet_write_string(ws, TITLE_ROW, 0, "重大事故隐患", x->title);
  worksheet_set_row(ws, TITLE_ROW, 30, NULL);
  for (size_t c = 0; c < n; c++)
    worksheet_write_string(ws, 1, (lxw_col_t)c, heads[c], x->heading);
  for (size_t i = 0; i < json_array_size(list); i++)
    for (size_t c = 0; c < n; c++)
      write_value(ws, (lxw_row_t)(2 + i), (lxw_col_t)c,
                  json_object_get(json_array_get(list, i), keys[c]), x);
  worksheet_set_column(ws, 0, (lxw_col_t)(n - 1), FIGURE_WIDTH, NULL);
  worksheet_set_column(ws, 1, 1, LABEL_WIDTH, NULL);
}

/* The report's title as filed (the monthly form has none: its kind's). */
static const char *report_title(json_t *j, int kind)
{
  const char *t = json_string_value(json_object_get(j, "report"));
  if (!t)
    t = json_string_value(json_object_get(j, "title"));
  if (!t)
    t = cbc_enum_label(CBC_ENUM_FILING_KIND, kind);
  return t ? t : "";
}

static int write_book(lxw_workbook *wb, const filing_book *b, json_t *j, const formats *x)
{
  lxw_worksheet *ws = workbook_add_worksheet(wb, "报表");
  lxw_worksheet *more =
    ws && b->kind == CBC_FILING_CONGRESS_REPORT ? workbook_add_worksheet(wb, "重大事故隐患") : ws;
  if (!ws || !more)
    return -1;
  lxw_row_t r = write_head(ws, report_title(j, b->kind), b->head, x);
  if (b->kind == CBC_FILING_MAJOR_HAZARD_REPORT)
    write_major_report(ws, r, j, x);
  else if (b->kind == CBC_FILING_MONTHLY_FORM)
    write_monthly_form(ws, r, j, x);
  else if (b->kind == CBC_FILING_HAZARD_TABLE)
    write_table(ws, r, j, x);
  else if (b->kind == CBC_FILING_CONGRESS_REPORT) {
    write_table(ws, r, json_object_get(j, "table"), x);
    write_major_hazards(more, json_object_get(j, "major_hazards"), x);
  }
  worksheet_set_paper(ws, 9); /* A4 */
  worksheet_fit_to_pages(ws, 1, 0);
  return 0;
}

int filing_write_xlsx(cli_ctx *ctx, const char *path, const void *arg)
{
  const filing_book *b = arg;
  json_error_t jerr;
  json_t *j = json_loads(b->json, 0, &jerr);
  if (!j) /* the library keeps only what it rendered */
    return cli_failf(ctx, CLI_INTERNAL, "the filed report is not JSON: %s", jerr.text);
  lxw_workbook *wb = workbook_new(path);
  formats x;
  int ok = wb && make_formats(wb, &x) == 0 && write_book(wb, b, j, &x) == 0;
  json_decref(j);
  if (!ok) {
    workbook_close(wb);
    return cli_failf(ctx, CLI_INTERNAL, "cannot start the workbook (out of memory)");
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    return cli_failf(ctx, CLI_IO, "cannot write the workbook: %s", lxw_strerror(err));
  return CLI_OK;
}
