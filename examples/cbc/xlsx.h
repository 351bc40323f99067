/* cbc: what the workbooks (form_xlsx.c, table_xlsx.c) share. */
#ifndef CBC_CLI_XLSX_H
#define CBC_CLI_XLSX_H

#include <xlsxwriter.h>

/* The font of every cell: the one Chinese paper forms are printed in. */
#define FONT "宋体"

/* A cell format in FONT at @p size points, vertically centred, bold and
 * bordered (thin) as asked, with the number format @p number (NULL: the
 * default); NULL when memory runs out. */
lxw_format *cli_xlsx_format(lxw_workbook *wb, int bold, int border, double size,
                            const char *number);

#endif
