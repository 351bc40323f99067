/* The integrity check of the statistics (lib/check.h): for every unit and
 * every month, quarter and year in which records or aggregates lie, the
 * form from the aggregates equals the form from the records, and the forms
 * keep their own rules (people trained <= people who took part, leaders
 * trained <= people trained, a quarter or a year counts at least the people
 * of each of its months). */
#include "check.h"
#include "calendar.h"
#include "stats_internal.h"

#define N_FIGURES CBC_STATS_FIELD_COUNT
/* A figure's index in the arrays of figures below: fields run from 1. */
#define AT(field) ((field) - 1)
/* The 17 calendar periods of a year, in this order: its months (0..11),
 * its quarters, the year. */
#define QUARTER_AT(q) (12 + (q)) /* q = 0..3 */
#define YEAR_AT 16
#define PERIODS_PER_YEAR 17

static void figures_of(const cbc_stats_form *f, int64_t out[N_FIGURES])
{
  for (int i = 0; i < N_FIGURES; i++)
    out[i] = cbc_stats_form_value(f, (cbc_stats_field)(i + 1));
}

static cbc_period period_of(int year, int i)
{
  cbc_period p = { CBC_PERIOD_MONTH, year, i + 1, 0, 0 };
  if (i >= QUARTER_AT(0)) {
    p.kind = i == YEAR_AT ? CBC_PERIOD_YEAR : CBC_PERIOD_QUARTER;
    p.number = i == YEAR_AT ? 0 : i - QUARTER_AT(0) + 1;
  }
  return p;
}

/* "2026-01", "2026-Q1", "2026": the calendar periods of the years
 * 1970..9999 the check walks always have a text. */
static const char *period_text(cbc_db *db, const cbc_period *p, char buf[CBC_PERIOD_TEXT_MAX])
{
  cbc_period_format(buf, CBC_PERIOD_TEXT_MAX, db, p);
  return buf;
}

static int form_of(cbc_db *db, int64_t unit, const cbc_period *p, unsigned int flags,
                   int64_t out[N_FIGURES])
{
  cbc_stats_form *f = NULL;
  int rc = cbc_stats_form_get(&f, db, unit, p, flags);
  if (!rc)
    figures_of(f, out);
  cbc_stats_form_free(f);
  return rc;
}

/* The first figure in which the two forms differ, or -1. */
static int first_difference(const int64_t a[N_FIGURES], const int64_t b[N_FIGURES])
{
  for (int i = 0; i < N_FIGURES; i++)
    if (a[i] != b[i])
      return i;
  return -1;
}

/* One (unit, period): the aggregates' form into @p agg, compared with the
 * records' form; a difference is computed again before it is reported, so
 * a record another process wrote in between is no finding. */
static int compare(cbc_db *db, cbc_check_report *r, int64_t unit, const cbc_period *p,
                   int64_t agg[N_FIGURES])
{
  int64_t rec[N_FIGURES];
  int diff = -1, rc = 0;
  for (int attempt = 0; attempt < 2 && !rc && (attempt == 0 || diff >= 0); attempt++) {
    rc = form_of(db, unit, p, 0, agg);
    if (!rc)
      rc = form_of(db, unit, p, CBC_STATS_FROM_RECORDS, rec);
    diff = rc ? -1 : first_difference(agg, rec);
  }
  r->forms_compared += !rc;
  char when[CBC_PERIOD_TEXT_MAX];
  if (!rc && diff >= 0)
    rc = cbc__check_add(r, CBC_FINDING_STATS, unit,
                        "unit %lld, %s: %s is %lld in the aggregates but %lld in the records "
                        "(cbc_stats_rebuild() rebuilds them)",
                        (long long)unit, period_text(db, p, when),
                        cbc__str(cbc_stats_field_name((cbc_stats_field)(diff + 1))),
                        (long long)agg[diff], (long long)rec[diff]);
  if (!rc && (agg[AT(CBC_STATS_FIELD_EMPLOYEES_TRAINED)] >
                  agg[AT(CBC_STATS_FIELD_EMPLOYEES_TOOK_PART)] ||
              agg[AT(CBC_STATS_FIELD_LEADERS_TRAINED)] >
                  agg[AT(CBC_STATS_FIELD_EMPLOYEES_TRAINED)]))
    rc = cbc__check_add(r, CBC_FINDING_STATS, unit,
                        "unit %lld, %s: more people trained than took part (or leaders "
                        "trained than people trained)",
                        (long long)unit, period_text(db, p, when));
  return rc;
}

/* The counts of distinct people of a quarter or year cover those of each of
 * its months. */
static int check_cover(cbc_db *db, cbc_check_report *r, int64_t unit, int year,
                       int64_t forms[PERIODS_PER_YEAR][N_FIGURES])
{
  static const int distinct[] = { AT(CBC_STATS_FIELD_EMPLOYEES_TOOK_PART),
                                  AT(CBC_STATS_FIELD_EMPLOYEES_TRAINED),
                                  AT(CBC_STATS_FIELD_LEADERS_TRAINED) };
  char when[CBC_PERIOD_TEXT_MAX];
  int rc = 0;
  for (int m = 0; m < 12 && !rc; m++) {
    const cbc_period month = period_of(year, m);
    const int outer[2] = { QUARTER_AT(m / 3), YEAR_AT };
    for (int k = 0; k < 2 && !rc; k++) {
      bool fewer = false;
      for (int d = 0; d < 3; d++)
        fewer = fewer || forms[outer[k]][distinct[d]] < forms[m][distinct[d]];
      if (fewer)
        rc = cbc__check_add(r, CBC_FINDING_STATS, unit,
                            "unit %lld, %s: its %s counts fewer people than the month",
                            (long long)unit, period_text(db, &month, when),
                            cbc_period_kind_name(k ? CBC_PERIOD_YEAR : CBC_PERIOD_QUARTER));
    }
  }
  return rc;
}

static int check_unit_year(cbc_db *db, cbc_check_report *r, int64_t unit, int year)
{
  int64_t forms[PERIODS_PER_YEAR][N_FIGURES];
  int rc = 0;
  for (int i = 0; i < PERIODS_PER_YEAR && !rc; i++) {
    cbc_period p = period_of(year, i);
    rc = compare(db, r, unit, &p, forms[i]);
  }
  return rc ? rc : check_cover(db, r, unit, year, forms);
}

/* Every unit id: the roots, each followed by its subtree. */
static int unit_ids(cbc_db *db, int64_t **ids, size_t *n)
{
  cbc_unit_iter *roots = NULL, *sub = NULL;
  const cbc_unit *u, *v;
  size_t cap = 0;
  int rc = cbc_unit_iter_children(&roots, db, 0);
  while (!rc && (rc = cbc_unit_iter_next(&u, roots)) == 0) {
    int64_t root = u->id; /* u is borrowed until the next call on roots */
    rc = cbc_unit_iter_subtree(&sub, db, root);
    while (!rc && (rc = cbc_unit_iter_next(&v, sub)) == 0) {
      if (*n == cap) {
        cap = cap ? cap * 2 : 64;
        int64_t *grown = cbc__realloc(*ids, cap * sizeof(*grown));
        if (!grown) {
          rc = cbc__error_oom();
          break;
        }
        *ids = grown;
      }
      (*ids)[(*n)++] = v->id;
    }
    cbc_unit_iter_free(sub);
    sub = NULL;
    rc = rc == CBC_ITEROVER ? 0 : rc;
  }
  cbc_unit_iter_free(roots);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* The local years the records and the aggregates cover; *first > *last
 * when there are none. */
static int year_span(cbc_db *db, int *first, int *last)
{
  int64_t times[2], months[2];
  int rc = cbc_store__stats_span(db->store, times, months);
  *first = 10000;
  *last = 0;
  if (rc)
    return rc;
  for (int i = 0; i < 2; i++) {
    int y = 0, m, d;
    if (times[i] > 0) {
      cbc__local_date(times[i], cbc_db_utc_offset(db), &y, &m, &d);
      *first = y < *first ? y : *first;
      *last = y > *last ? y : *last;
    }
    if (months[i] > 0) {
      y = (int)(months[i] / 100);
      *first = y < *first ? y : *first;
      *last = y > *last ? y : *last;
    }
  }
  if (*first < 1970) /* the form's periods start in 1970 */
    *first = 1970;
  if (*last > 9999)
    *last = 9999;
  return 0;
}

/* The months each enterprise was active in, kept per year for the region
 * roll-ups' ran marks (stat_active), agree with its aggregates; a damaged
 * row would count an enterprise as running in a region's later forms.
 * Compared only when the aggregates are complete: a rebuild clears and
 * fills the two tables at different steps. */
static int check_active_months(cbc_db *db, cbc_check_report *r)
{
  int64_t unit = 0;
  int year;
  bool complete;
  int rc = cbc__stats_ready(db, &complete);
  if (!rc && complete)
    rc = cbc_store__active_months_broken(db->store, &unit, &year);
  if (!rc && unit)
    rc = cbc__check_add(r, CBC_FINDING_STATS, unit,
                        "unit %lld, %d: the months it was active in are kept wrong "
                        "(stat_active; cbc_stats_rebuild() rebuilds them)",
                        (long long)unit, year);
  return rc;
}

int cbc__check_stats(cbc_db *db, cbc_check_report *r)
{
  int64_t *units = NULL;
  size_t n = 0;
  int first, last;
  int rc = year_span(db, &first, &last);
  if (!rc && first <= last)
    rc = unit_ids(db, &units, &n);
  for (size_t u = 0; u < n && !rc; u++)
    for (int y = first; y <= last && !rc; y++)
      rc = check_unit_year(db, r, units[u], y);
  cbc__free(units);
  return rc ? rc : check_active_months(db, r);
}
