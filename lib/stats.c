/* The statistics (include/cbc/stats.h): periods, and the form from the
 * aggregates (an enterprise's months, a region's roll-ups: calendar
 * periods, and ranges that are one) or from the records (everything else,
 * and on request). */
#include "stats_internal.h"
#include "calendar.h"
#include "org_scope.h"

/* The months [first, last] (year * 100 + month) of a calendar period. */
static void period_months(const cbc_period *p, int *first, int *last)
{
  int base = p->year * 100;
  if (p->kind == CBC_PERIOD_MONTH)
    *first = *last = base + p->number;
  else if (p->kind == CBC_PERIOD_QUARTER)
    *first = base + 3 * p->number - 2, *last = base + 3 * p->number;
  else
    *first = base + 1, *last = base + 12;
}

static int period_check(const cbc_period *p)
{
  bool calendar = p->kind >= CBC_PERIOD_MONTH && p->kind <= CBC_PERIOD_YEAR;
  if (p->kind == CBC_PERIOD_RANGE)
    return cbc__time_range_check("the period", p->from, p->to);
  if (!calendar)
    return cbc__error(CBC_EINVAL, "unknown period kind %d", (int)p->kind);
  if (p->year < 1970 || p->year > 9999)
    return cbc__error(CBC_EINVAL, "the year %d is outside 1970..9999", p->year);
  int most = p->kind == CBC_PERIOD_MONTH ? 12 : p->kind == CBC_PERIOD_QUARTER ? 4 : 0;
  if (most ? p->number < 1 || p->number > most : p->number != 0)
    return cbc__error(CBC_EINVAL, "period number %d does not fit a %s", p->number,
                      cbc_period_kind_name(p->kind));
  return 0;
}

CBC_EXTERN(int) cbc_period_bounds(int64_t *from, int64_t *to, cbc_db *db,
                                  const cbc_period *period)
{
  CBC__CHECK_ARG(from);
  CBC__CHECK_ARG(to);
  *from = *to = 0;
  CBC__CHECK_ARG(period);
  int rc = cbc__db_check(db);
  if (!rc)
    rc = period_check(period);
  if (rc)
    return rc;
  if (period->kind == CBC_PERIOD_RANGE) {
    *from = period->from;
    *to = period->to;
    return 0;
  }
  int first, last, off = cbc_db_utc_offset(db);
  period_months(period, &first, &last);
  *from = cbc__local_midnight(first / 100, first % 100, 1, off);
  *to = last % 100 == 12 ? cbc__local_midnight(last / 100 + 1, 1, 1, off)
                         : cbc__local_midnight(last / 100, last % 100 + 1, 1, off);
  return 0;
}

CBC_EXTERN(void) cbc_stats_form_free(cbc_stats_form *form) { cbc__free(form); }

/* A calendar period's granularity: 0 month, 1 quarter, 2 year (the
 * aggregates' distinct-count columns follow it). */
static int granularity(const cbc_period *p)
{
  return p->kind == CBC_PERIOD_MONTH ? 0 : p->kind == CBC_PERIOD_QUARTER ? 1 : 2;
}

/* The distinct-employee column of each figure for the period's granularity. */
static void fill_from_sums(cbc_stats_form *f, const cbc_period *p, const int64_t *s)
{
  int g = granularity(p);
  f->employees_took_part = s[CBC_STAT_TOOK_PART_M + g];
  f->training_sessions = s[CBC_STAT_SESSIONS];
  f->employees_trained = s[CBC_STAT_TRAINED_M + g];
  f->leader_classes = s[CBC_STAT_LEADER_CLASSES];
  f->leaders_trained = s[CBC_STAT_LEADERS_M + g];
  f->supervision_visits = s[CBC_STAT_VISITS];
  f->hazards_found = s[CBC_STAT_FOUND];
  f->hazards_listed = s[CBC_STAT_LISTED];
  f->hazards_rectified = s[CBC_STAT_RECTIFIED];
}

static int form_from_aggregates(cbc_db *db, cbc_stats_form *f, const cbc__scope *sc,
                                const cbc_period *p)
{
  int64_t sums[CBC_STAT__COUNT];
  int first, last;
  period_months(p, &first, &last);
  int rc = cbc_store__stat_sum(db->store, sc->unit, sc->kind == CBC_UNIT_REGION, first, last,
                               granularity(p), sums, &f->units_ran);
  for (size_t i = 0; !rc && i < CBC_STAT__COUNT; i++)
    if (sums[i] < 0 || f->units_ran < 0) /* counters from the file are untrusted */
      rc = cbc__error(CBC_ECORRUPT, "unit %lld: a stored statistics counter is negative (a "
                      "damaged database; cbc_stats_rebuild() recomputes them)",
                      (long long)f->unit_id);
  if (!rc)
    fill_from_sums(f, p, sums);
  return rc;
}

/* Whether the aggregates can answer: a calendar period for an enterprise or
 * region node, aggregates usable for it (cbc__stats_usable), not refused by flags. */
static int use_aggregates(cbc_db *db, const cbc__scope *sc, const cbc_period *p,
                          unsigned int flags, bool *out)
{
  *out = false;
  if ((flags & CBC_STATS_FROM_RECORDS) || p->kind == CBC_PERIOD_RANGE ||
      (sc->kind != CBC_UNIT_ENTERPRISE && sc->kind != CBC_UNIT_REGION))
    return 0;
  int rc = cbc__stats_settle(db); /* changes pending in an open group */
  return rc ? rc : cbc__stats_usable(db, sc, out);
}

/* A range that is exactly a calendar month, quarter or year, as that period
 * (so the aggregates answer it: the reward rules ask for months as ranges);
 * any other period as it is. */
static cbc_period calendar_of(cbc_db *db, const cbc_period *p)
{
  int off = cbc_db_utc_offset(db), y, m, d;
  if (p->kind != CBC_PERIOD_RANGE)
    return *p;
  cbc__local_date(p->from, off, &y, &m, &d);
  if (y < 1970 || y > 9999 || d != 1 || cbc__local_midnight(y, m, 1, off) != p->from)
    return *p;
  const cbc_period calendar[3] = { { CBC_PERIOD_MONTH, y, m, 0, 0 },
                                   { CBC_PERIOD_QUARTER, y, (m + 2) / 3, 0, 0 },
                                   { CBC_PERIOD_YEAR, y, 0, 0, 0 } };
  for (int i = 0; i < 3; i++) {
    int first, last;
    period_months(&calendar[i], &first, &last);
    int64_t to = last % 100 == 12 ? cbc__local_midnight(y + 1, 1, 1, off)
                                  : cbc__local_midnight(y, last % 100 + 1, 1, off);
    if (first % 100 == m && to == p->to)
      return calendar[i];
  }
  return *p;
}

/* The form from the records.  By unit (cbc_store__form_records_by_unit)
 * for a subtree up to an enterprise, and for a region holding at most an
 * eighth of the units: its cost follows the subtree.  By time for larger
 * regions, whose subtree is most of the records anyway, and always with
 * CBC_STATS_FROM_RECORDS: the records' definition, which cbc_db_check()
 * and the tests compare both the aggregates and the by-unit plan with. */
static int form_from_records(cbc_db *db, cbc_stats_form *f, const cbc__scope *sc,
                             const char *lo, const char *hi, unsigned int flags)
{
  int64_t units, all;
  bool by_unit = !(flags & CBC_STATS_FROM_RECORDS);
  int rc = 0;
  if (by_unit && sc->kind == CBC_UNIT_REGION &&
      (rc = cbc_store__subtree_share(db->store, lo, hi, &units, &all)) == 0)
    by_unit = units * 8 <= all;
  if (rc)
    return rc;
  return by_unit ? cbc_store__form_records_by_unit(db->store, lo, hi, f->from, f->to, f)
                 : cbc_store__form_records(db->store, lo, hi, f->from, f->to, f);
}

static int form(cbc_db *db, cbc_stats_form *f, int64_t unit_id, const cbc_period *p,
                unsigned int flags)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  cbc__scope sc;
  bool aggregates;
  int rc = cbc_period_bounds(&f->from, &f->to, db, p);
  if (!rc && (flags & ~(unsigned int)CBC_STATS_FROM_RECORDS))
    rc = cbc__error(CBC_EINVAL, "unknown statistics flags 0x%x", flags);
  if (!rc)
    rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = cbc__scope_of_unit(db, unit_id, &sc);
  cbc_period calendar = rc ? *p : calendar_of(db, p);
  if (!rc)
    rc = use_aggregates(db, &sc, &calendar, flags, &aggregates);
  if (rc)
    return rc;
  f->unit_id = unit_id;
  rc = aggregates ? form_from_aggregates(db, f, &sc, &calendar)
                  : form_from_records(db, f, &sc, lo, hi, flags);
  return rc ? rc : cbc_store__units_assigned(db->store, lo, hi, f->from, f->to,
                                             &f->units_assigned);
}

CBC_EXTERN(int) cbc_stats_form_get(cbc_stats_form **out, cbc_db *db, int64_t unit_id,
                                   const cbc_period *period, unsigned int flags)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  int rc = cbc__db_check(db);
  cbc_stats_form *f = rc ? NULL : cbc__calloc(1, sizeof(*f));
  if (!rc && !f)
    rc = cbc__error_oom();
  if (!rc)
    rc = form(db, f, unit_id, period, flags);
  if (db)
    cbc_store__done(db->store);
  if (rc) {
    cbc__free(f);
    return rc;
  }
  *out = f;
  return 0;
}
