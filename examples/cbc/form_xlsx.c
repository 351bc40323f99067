/* cbc form --format xlsx: the form as a workbook laid out like the paper
 * form — the title merged across the top, the unit and the period under it,
 * one bordered row of the form's Chinese headings, then one row per unit
 * (the total in bold), numbers as numbers; landscape, one page wide. */
#define _POSIX_C_SOURCE 200809L
#include "form.h"

#include "xlsx.h"

#include <stdio.h>
#include <string.h>

#define KEY_COL 0
#define NAME_COL 1
#define FIRST_FIGURE_COL 2
#define LAST_COL (FIRST_FIGURE_COL + CBC_STATS_FIELD_COUNT - 1)

#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEADING_ROW 2
#define FIRST_DATA_ROW 3

/* A figure column is this wide (in widths of '0'; a Chinese character takes
 * two), its heading wrapped over as many lines as it needs. */
#define FIGURE_WIDTH 12.0
#define LINE_HEIGHT 15.0

typedef struct xlsx_formats {
  lxw_format *title, *subtitle, *heading, *text, *number, *total_text, *total_number;
} xlsx_formats;

lxw_format *cli_xlsx_format(lxw_workbook *wb, int bold, int border, double size,
                            const char *number)
{
  lxw_format *f = workbook_add_format(wb);
  if (!f)
    return NULL;
  format_set_font_name(f, FONT);
  format_set_font_size(f, size);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (bold)
    format_set_bold(f);
  if (border)
    format_set_border(f, LXW_BORDER_THIN);
  if (number)
    format_set_num_format(f, number);
  return f;
}

static lxw_format *new_format(lxw_workbook *wb, int bold, int border, double size)
{
  return cli_xlsx_format(wb, bold, border, size, NULL);
}

static int make_formats(lxw_workbook *wb, xlsx_formats *x)
{
  x->title = new_format(wb, 1, 0, 16);
  x->subtitle = new_format(wb, 0, 0, 11);
  x->heading = new_format(wb, 1, 1, 11);
  x->text = new_format(wb, 0, 1, 11);
  x->number = new_format(wb, 0, 1, 11);
  x->total_text = new_format(wb, 1, 1, 11);
  x->total_number = new_format(wb, 1, 1, 11);
  if (!x->title || !x->subtitle || !x->heading || !x->text || !x->number || !x->total_text ||
      !x->total_number)
    return -1;
  format_set_align(x->title, LXW_ALIGN_CENTER);
  format_set_align(x->heading, LXW_ALIGN_CENTER);
  format_set_text_wrap(x->heading);
  format_set_num_format(x->number, "0");
  format_set_num_format(x->total_number, "0");
  return 0;
}

/* Columns sized for their widest text (CJK counted double), figure columns
 * for their numbers; the heading row tall enough for the wrapped headings. */
static void size_columns(lxw_worksheet *ws, const form_doc *doc)
{
  size_t key = cli_display_width("单位编号"), name = cli_display_width("单位名称"), lines = 1;
  for (size_t r = 0; r < doc->n_rows; r++) {
    size_t k = cli_display_width(doc->rows[r].key), n = cli_display_width(doc->rows[r].name);
    key = k > key ? k : key;
    name = n > name ? n : name;
  }
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
    size_t w = cli_display_width(cbc_enum_label(CBC_ENUM_FORM_FIELD, i));
    size_t l = (w + (size_t)FIGURE_WIDTH - 3) / ((size_t)FIGURE_WIDTH - 2);
    lines = l > lines ? l : lines;
  }
  worksheet_set_column(ws, KEY_COL, KEY_COL, (double)key + 3, NULL);
  worksheet_set_column(ws, NAME_COL, NAME_COL, (double)name + 3, NULL);
  worksheet_set_column(ws, FIRST_FIGURE_COL, LAST_COL, FIGURE_WIDTH, NULL);
  worksheet_set_row(ws, TITLE_ROW, 30, NULL);
  worksheet_set_row(ws, SUBTITLE_ROW, 20, NULL);
  worksheet_set_row(ws, HEADING_ROW, LINE_HEIGHT * (double)lines + 6, NULL);
}

static void write_head(lxw_worksheet *ws, const form_doc *doc, const xlsx_formats *x)
{
  char subtitle[512];
  worksheet_merge_range(ws, TITLE_ROW, KEY_COL, TITLE_ROW, LAST_COL, cbc_stats_form_title(),
                        x->title);
  worksheet_merge_range(ws, SUBTITLE_ROW, KEY_COL, SUBTITLE_ROW, LAST_COL,
                        form_subtitle(doc, subtitle, sizeof subtitle), x->subtitle);
  worksheet_write_string(ws, HEADING_ROW, KEY_COL, "单位编号", x->heading);
  worksheet_write_string(ws, HEADING_ROW, NAME_COL, "单位名称", x->heading);
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
    worksheet_write_string(ws, HEADING_ROW, (lxw_col_t)(FIRST_FIGURE_COL + i - 1),
                           cbc_enum_label(CBC_ENUM_FORM_FIELD, i), x->heading);
}

static void write_rows(lxw_worksheet *ws, const form_doc *doc, const xlsx_formats *x)
{
  for (size_t r = 0; r < doc->n_rows; r++) {
    const form_row *row = &doc->rows[r];
    lxw_row_t at = (lxw_row_t)(FIRST_DATA_ROW + r);
    lxw_format *text = row->total ? x->total_text : x->text;
    lxw_format *number = row->total ? x->total_number : x->number;
    worksheet_write_string(ws, at, KEY_COL, row->key, text);
    worksheet_write_string(ws, at, NAME_COL, row->name, text);
    for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
      worksheet_write_number(ws, at, (lxw_col_t)(FIRST_FIGURE_COL + i - 1),
                             (double)cbc_stats_form_value(row->form, (cbc_stats_field)i),
                             number);
  }
}

/* Printed like the paper form: landscape, one page wide, the headings
 * repeated on every page. */
static void page_setup(lxw_worksheet *ws)
{
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9); /* A4 */
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, TITLE_ROW, HEADING_ROW);
  worksheet_freeze_panes(ws, FIRST_DATA_ROW, FIRST_FIGURE_COL);
}

int form_write_xlsx(cli_ctx *ctx, const form_doc *doc, const char *path)
{
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "统计表") : NULL;
  xlsx_formats x;
  if (!ws || make_formats(wb, &x) != 0) {
    workbook_close(wb);
    return cli_failf(ctx, CLI_INTERNAL, "cannot start the workbook (out of memory)");
  }
  /* The document's properties (libxlsxwriter 1.1 takes them as char *). */
  char title[128], subject[CBC_PERIOD_TEXT_MAX];
  lxw_doc_properties props;
  memset(&props, 0, sizeof props);
  snprintf(title, sizeof title, "%s", cbc_stats_form_title());
  snprintf(subject, sizeof subject, "%s", doc->period_text);
  props.title = title;
  props.subject = subject;
  props.company = doc->unit->name;
  workbook_set_properties(wb, &props);
  size_columns(ws, doc);
  write_head(ws, doc, &x);
  write_rows(ws, doc, &x);
  page_setup(ws);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    return cli_failf(ctx, CLI_IO, "cannot write the workbook: %s", lxw_strerror(err));
  return CLI_OK;
}
