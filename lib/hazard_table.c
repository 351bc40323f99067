/* The hazard statistics table (include/cbc/stats.h, docs/statistics.md "The
 * hazard table"): a node's hazards of a period counted by the statutory
 * table's columns, in total and by their enterprise's industry.  Computed
 * from the records in one pass; rendered in lib/stats_render.c. */
#include "stats_internal.h"
#include <stdlib.h>
#include <string.h>

CBC_EXTERN(const char *) cbc_hazard_table_title(void)
{
  return "生产经营单位事故隐患排查治理情况统计分析表";
}

static void row_free(cbc_hazard_table_row *row)
{
  if (row)
    cbc__free(row->industry);
  cbc__free(row);
}

CBC_EXTERN(void) cbc_hazard_table_free(cbc_hazard_table *table)
{
  if (!table)
    return;
  row_free(table->total);
  for (size_t i = 0; i < table->n_industries; i++)
    row_free(table->industries[i]);
  cbc__free(table->industries);
  cbc__free(table);
}

/* The figures' offsets in a row, in figure order. */
static const size_t figure_offsets[CBC_HAZARD_TABLE_FIGURE_COUNT + 1] = {
  0,
  offsetof(cbc_hazard_table_row, units_checked),
  offsetof(cbc_hazard_table_row, general_found),
  offsetof(cbc_hazard_table_row, general_rectified),
  offsetof(cbc_hazard_table_row, major_found),
  offsetof(cbc_hazard_table_row, major_rectified),
  offsetof(cbc_hazard_table_row, plan_majors),
  offsetof(cbc_hazard_table_row, plan_goals),
  offsetof(cbc_hazard_table_row, plan_methods),
  offsetof(cbc_hazard_table_row, plan_funds_materials),
  offsetof(cbc_hazard_table_row, plan_responsible),
  offsetof(cbc_hazard_table_row, plan_time_limit),
  offsetof(cbc_hazard_table_row, plan_safety_measures),
  offsetof(cbc_hazard_table_row, plan_funds_fen),
};

static int64_t *figure_at(cbc_hazard_table_row *row, int figure)
{
  return (int64_t *)((char *)row + figure_offsets[figure]);
}

CBC_EXTERN(int64_t) cbc_hazard_table_value(const cbc_hazard_table_row *row,
                                           cbc_hazard_table_figure figure)
{
  if (!row || figure < CBC_HT_UNITS_CHECKED || figure > CBC_HAZARD_TABLE_FIGURE_COUNT)
    return -1;
  return *figure_at((cbc_hazard_table_row *)row, (int)figure);
}

CBC_EXTERN(int) cbc_hazard_table_rate(const cbc_hazard_table_row *row, cbc_severity severity)
{
  if (!row || (severity != CBC_SEVERITY_GENERAL && severity != CBC_SEVERITY_MAJOR))
    return -1;
  bool major = severity == CBC_SEVERITY_MAJOR;
  int64_t found = major ? row->major_found : row->general_found;
  int64_t rectified = major ? row->major_rectified : row->general_rectified;
  return found ? (int)(rectified * 1000 / found) : -1;
}

/* ------------------------------------------------------------- counting */

/* The tally of one pass: the row of the current industry, and the last
 * enterprise counted as checked in it (the rows come by enterprise). */
typedef struct tally {
  cbc_hazard_table *t;
  int64_t from, to;
  cbc_hazard_table_row *row;
  int64_t last_checked;
} tally;

/* A new row for @p industry at the end of the table's industries. */
static int industry_row(tally *y, const char *industry)
{
  cbc_hazard_table *t = y->t;
  cbc_hazard_table_row **grown =
    cbc__realloc(t->industries, (t->n_industries + 1) * sizeof(*grown));
  if (!grown)
    return cbc__error_oom();
  t->industries = grown;
  cbc_hazard_table_row *row = cbc__calloc(1, sizeof(*row));
  if (row && !(row->industry = cbc__strdup(industry))) {
    cbc__free(row);
    row = NULL;
  }
  if (!row)
    return cbc__error_oom();
  t->industries[t->n_industries++] = row;
  y->row = row;
  y->last_checked = 0;
  return 0;
}

/* Count one hazard into the current industry's row; each condition is the
 * figure's definition (include/cbc/stats.h, cbc_hazard_table_row). */
static void count(tally *y, const cbc_store_table_hazard *h)
{
  cbc_hazard_table_row *r = y->row;
  bool found = h->reported_at >= y->from && h->reported_at < y->to;
  bool rejected = h->state == CBC_HAZARD_REJECTED;
  bool closed = h->state == CBC_HAZARD_CLOSED;
  if (found && h->enterprise_id != y->last_checked) {
    r->units_checked++;
    y->last_checked = h->enterprise_id;
  }
  if (found && !rejected) {
    bool major = h->severity == CBC_SEVERITY_MAJOR;
    *(major ? &r->major_found : &r->general_found) += 1;
    *(major ? &r->major_rectified : &r->general_rectified) += closed && h->closed_at < y->to;
  }
  if (h->severity != CBC_SEVERITY_MAJOR || !h->has_plan || rejected ||
      (closed && h->closed_at < y->from))
    return;
  r->plan_majors++;
  for (int i = 0; i < 6; i++)
    *figure_at(r, CBC_HT_PLAN_GOALS + i) += h->plan_items[i] != 0;
  r->plan_funds_fen += h->funds_fen;
}

static int count_hazard(const cbc_store_table_hazard *h, void *payload)
{
  tally *y = payload;
  int rc = 0;
  if (!y->row || strcmp(y->row->industry, h->industry) != 0)
    rc = industry_row(y, h->industry);
  if (!rc)
    count(y, h);
  return rc;
}

static int by_industry(const void *a, const void *b)
{
  return strcmp((*(cbc_hazard_table_row *const *)a)->industry,
                (*(cbc_hazard_table_row *const *)b)->industry);
}

/* The total: the industries' rows summed, figure by figure. */
static void sum_industries(cbc_hazard_table *t)
{
  for (size_t i = 0; i < t->n_industries; i++)
    for (int f = CBC_HT_UNITS_CHECKED; f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++)
      *figure_at(t->total, f) += *figure_at(t->industries[i], f);
}

CBC_EXTERN(int) cbc_hazard_table_get(cbc_hazard_table **out, cbc_db *db, int64_t unit_id,
                                     const cbc_period *period)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  cbc_hazard_table *t = cbc__calloc(1, sizeof(*t));
  if (t && !(t->total = cbc__calloc(1, sizeof(*t->total)))) {
    cbc__free(t);
    t = NULL;
  }
  int rc = t ? cbc__db_check(db) : cbc__error_oom();
  if (!rc)
    rc = cbc_period_bounds(&t->from, &t->to, db, period);
  if (!rc)
    rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  tally y = { t, t ? t->from : 0, t ? t->to : 0, NULL, 0 };
  if (!rc)
    rc = cbc_store__hazard_table(db->store, lo, hi, t->from, t->to, count_hazard, &y);
  if (!rc) {
    t->unit_id = unit_id;
    if (t->n_industries > 1)
      qsort(t->industries, t->n_industries, sizeof(*t->industries), by_industry);
    sum_industries(t);
    *out = t;
  } else {
    cbc_hazard_table_free(t);
  }
  if (db)
    cbc_store__done(db->store);
  return rc;
}
