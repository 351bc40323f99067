/* cbc form and cbc stats: the official form as rows of figures, shared by
 * the renderers (text, CSV, JSON in cmd_form.c; xlsx in form_xlsx.c) and by
 * the monthly series (cmd_stats.c). */
#ifndef CBC_CLI_FORM_H
#define CBC_CLI_FORM_H

#include "cli.h"

/* One row of a form table: a unit (or a period, for a series) and its form. */
typedef struct form_row {
  const char *key;             /* the unit's external id, or the period's text */
  const char *name;            /* the unit's name, or "合计" for a node's total row */
  const cbc_stats_form *form;  /* borrowed */
  int total;                   /* 1: the node's own form under its children */
} form_row;

/* What `cbc form` renders: the node's form, or its children's forms and the
 * node's own as the last (total) row. */
typedef struct form_doc {
  cbc_unit *unit;                       /* the node */
  cbc_period period;
  char period_text[CBC_PERIOD_TEXT_MAX]; /* canonical: "2026-11" */
  char first_day[16], last_day[16];     /* local dates: "2026-11-01", "2026-11-30" */
  cbc_stats_form *own;                  /* the node's form */
  cbc_stats_forms *children;            /* with --children; NULL otherwise */
  cbc_unit **child_units;               /* one per child form */
  form_row *rows;                       /* children then the node (--children), or the node */
  size_t n_rows;
} form_doc;

/* The xlsx rendering (form_xlsx.c): writes the workbook to @p path.
 * @return CLI_OK or an exit status (message printed). */
int form_write_xlsx(cli_ctx *ctx, const form_doc *doc, const char *path);

/* The heading line under the title: "填报单位：NAME（ID）  统计期间：..."; into buf. */
const char *form_subtitle(const form_doc *doc, char *buf, size_t size);

/* JSON helpers the series shares. */
json_t *form_figures_json(const cbc_stats_form *form);
json_t *form_labels_json(void);
json_t *form_period_json(cli_ctx *ctx, const cbc_period *period);

/* A text table of rows × (key, name, the figures), with the form's headings. */
cli_table *form_table(const char *key_heading, const char *name_heading,
                      const form_row *rows, size_t n_rows);

#endif
