/* cbc: what the workbooks (form_xlsx.c, table_xlsx.c, filing_xlsx.c) share. */
#ifndef CBC_CLI_XLSX_H
#define CBC_CLI_XLSX_H

#include "cli.h"

#include <xlsxwriter.h>

/* The font of every cell: the one Chinese paper forms are printed in. */
#define FONT "宋体"

/* A cell format in FONT at @p size points, vertically centred, bold and
 * bordered (thin) as asked, with the number format @p number (NULL: the
 * default); NULL when memory runs out. */
lxw_format *cli_xlsx_format(lxw_workbook *wb, int bold, int border, double size,
                            const char *number);

/* The block a filed report's text starts with (cmd_filing.c): each field's
 * label and value, in order; a value points into buf or at the filing. */
#define FILING_HEAD_MAX 12
typedef struct filing_head {
  const char *label[FILING_HEAD_MAX];
  const char *value[FILING_HEAD_MAX];
  char buf[FILING_HEAD_MAX][512];
  size_t n;
} filing_head;

/* What 'cbc filing show --format xlsx' writes: the head, then the report
 * of kind @c kind made from its JSON as filed. */
typedef struct filing_book {
  int kind;              /* a cbc_filing_kind */
  const char *json;      /* the report's JSON as filed */
  const filing_head *head;
} filing_book;

/* The xlsx rendering of a filing_book (@p arg) into @p path (a
 * cli_named_fn).  @return CLI_OK or an exit status (message printed). */
int filing_write_xlsx(cli_ctx *ctx, const char *path, const void *arg);

#endif
