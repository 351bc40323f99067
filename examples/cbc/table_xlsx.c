/* cbc stats table --format xlsx: the hazard statistics table as a workbook
 * laid out like the paper table — the title merged across the top, the
 * unit and the period under it, a bordered heading row (项目, 合计, then
 * each industry), one row per figure with the rates after the rectified
 * counts and the funds in 万元; numbers as numbers, portrait, one page
 * wide.  Everything written comes from the library's JSON rendering. */
#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include "xlsx.h"

#include <stdio.h>
#include <string.h>

#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEADING_ROW 2
#define FIRST_ROW 3

typedef struct formats {
  lxw_format *title, *subtitle, *heading, *text, *count, *rate, *funds;
} formats;

static int make_formats(lxw_workbook *wb, formats *x)
{
  x->title = cli_xlsx_format(wb, 1, 0, 16, NULL);
  x->subtitle = cli_xlsx_format(wb, 0, 0, 11, NULL);
  x->heading = cli_xlsx_format(wb, 1, 1, 11, NULL);
  x->text = cli_xlsx_format(wb, 0, 1, 11, NULL);
  x->count = cli_xlsx_format(wb, 0, 1, 11, "0");
  x->rate = cli_xlsx_format(wb, 0, 1, 11, "0.0\"%\"");
  x->funds = cli_xlsx_format(wb, 0, 1, 11, "0.00####");
  if (!x->title || !x->subtitle || !x->heading || !x->text || !x->count || !x->rate ||
      !x->funds)
    return -1;
  format_set_align(x->title, LXW_ALIGN_CENTER);
  format_set_align(x->heading, LXW_ALIGN_CENTER);
  format_set_text_wrap(x->heading);
  return 0;
}

/* One cell of figure @p key of @p row: a count, a rate (— when null), or
 * the funds in 万元. */
static void write_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *row,
                        const char *key, const formats *x)
{
  json_t *v = json_object_get(row, key);
  if (strcmp(key, "plan_funds_fen") == 0)
    worksheet_write_number(ws, r, c, (double)json_integer_value(v) / 1e6, x->funds);
  else if (json_is_null(v))
    worksheet_write_string(ws, r, c, "—", x->text);
  else
    worksheet_write_number(ws, r, c, json_number_value(v),
                           json_is_real(v) ? x->rate : x->count);
}

/* The figures' rows: every figure in order, each rate after its rectified
 * count. */
static void write_rows(lxw_worksheet *ws, const table_doc *t, const formats *x)
{
  json_t *total = json_object_get(t->json, "total");
  json_t *industries = json_object_get(t->json, "industries");
  json_t *labels = json_object_get(t->json, "labels");
  lxw_row_t r = FIRST_ROW;
  for (size_t i = 0; i < t->n_keys; r++, i++) {
    const char *key = t->keys[i];
    const char *label = strcmp(key, "plan_funds_fen") == 0
                          ? "落实治理资金（万元）"
                          : json_string_value(json_object_get(labels, key));
    worksheet_write_string(ws, r, 0, label ? label : key, x->text);
    write_value(ws, r, 1, total, key, x);
    for (size_t j = 0; j < json_array_size(industries); j++)
      write_value(ws, r, (lxw_col_t)(2 + j), json_array_get(industries, j), key, x);
  }
}

static void write_head(lxw_worksheet *ws, const table_doc *t, const formats *x)
{
  json_t *industries = json_object_get(t->json, "industries");
  lxw_col_t last = (lxw_col_t)(1 + json_array_size(industries));
  char subtitle[512];
  snprintf(subtitle, sizeof subtitle, "填报单位：%s（%s）    统计期间：%s（%s 至 %s）",
           t->unit->name, t->unit->external_id, t->period_text,
           json_string_value(json_object_get(t->json, "from")),
           json_string_value(json_object_get(t->json, "last")));
  const char *title = json_string_value(json_object_get(t->json, "title"));
  if (last > 1) {
    worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW, last, title, x->title);
    worksheet_merge_range(ws, SUBTITLE_ROW, 0, SUBTITLE_ROW, last, subtitle, x->subtitle);
  } else {
    worksheet_write_string(ws, TITLE_ROW, 0, title, x->title);
    worksheet_write_string(ws, SUBTITLE_ROW, 0, subtitle, x->subtitle);
  }
  worksheet_write_string(ws, HEADING_ROW, 0, "项目", x->heading);
  worksheet_write_string(ws, HEADING_ROW, 1, "合计", x->heading);
  for (size_t j = 0; j < json_array_size(industries); j++) {
    const char *name =
      json_string_value(json_object_get(json_array_get(industries, j), "industry"));
    worksheet_write_string(ws, HEADING_ROW, (lxw_col_t)(2 + j),
                           name && *name ? name : "未填行业", x->heading);
  }
  worksheet_set_column(ws, 0, 0, 34, NULL);
  worksheet_set_column(ws, 1, last, 14, NULL);
  worksheet_set_row(ws, TITLE_ROW, 30, NULL);
  worksheet_set_row(ws, SUBTITLE_ROW, 20, NULL);
  worksheet_set_paper(ws, 9); /* A4 */
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_freeze_panes(ws, FIRST_ROW, 1);
}

int table_write_xlsx(cli_ctx *ctx, const char *path, const void *arg)
{
  const table_doc *t = arg;
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "隐患统计分析表") : NULL;
  formats x;
  if (!ws || make_formats(wb, &x) != 0) {
    workbook_close(wb);
    return cli_failf(ctx, CLI_INTERNAL, "cannot start the workbook (out of memory)");
  }
  write_head(ws, t, &x);
  write_rows(ws, t, &x);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    return cli_failf(ctx, CLI_IO, "cannot write the workbook: %s", lxw_strerror(err));
  return CLI_OK;
}
