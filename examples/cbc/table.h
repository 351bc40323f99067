/* cbc stats table: the hazard statistics table as the library renders it,
 * shared by its renderers (text, CSV, JSON in cmd_stats.c; xlsx in
 * table_xlsx.c). */
#ifndef CBC_CLI_TABLE_H
#define CBC_CLI_TABLE_H

#include "cli.h"

/* The figures' rows of a table: every figure, each rate after its
 * rectified count. */
#define TABLE_ROWS (CBC_HAZARD_TABLE_FIGURE_COUNT + 2)

typedef struct table_doc {
  cbc_unit *unit;                         /* the node */
  char period_text[CBC_PERIOD_TEXT_MAX];  /* canonical: "2026-Q4" */
  json_t *json;                           /* the library's JSON rendering */
  const char *keys[TABLE_ROWS];           /* the rows' keys, in the paper's order */
  size_t n_keys;
} table_doc;

/* The xlsx rendering of a table_doc (@p arg) into @p path (a cli_named_fn).
 * @return CLI_OK or an exit status (message printed). */
int table_write_xlsx(cli_ctx *ctx, const char *path, const void *arg);

#endif
