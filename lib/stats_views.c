/* Beyond the form (include/cbc/stats.h): a node's monthly series, its
 * children side by side, and the breakdown of its hazards with rates. */
#include "stats_internal.h"
#include <stdlib.h>
#include <string.h>

CBC_EXTERN(void) cbc_stats_forms_free(cbc_stats_forms *forms)
{
  if (!forms)
    return;
  for (size_t i = 0; i < forms->count; i++)
    cbc_stats_form_free(forms->forms[i]);
  cbc__free(forms->forms);
  cbc__free(forms);
}

/* Forms of @p n (unit, period) pairs into a new cbc_stats_forms. */
static int forms_of(cbc_stats_forms **out, cbc_db *db, const int64_t *units,
                    const cbc_period *periods, size_t n, unsigned int flags)
{
  cbc_stats_forms *f = cbc__calloc(1, sizeof(*f));
  if (!f || (n && !(f->forms = cbc__calloc(n, sizeof(cbc_stats_form *))))) {
    cbc__free(f);
    return cbc__error_oom();
  }
  int rc = 0;
  for (; f->count < n && !rc; f->count += rc ? 0 : 1)
    rc = cbc_stats_form_get(&f->forms[f->count], db, units[f->count], &periods[f->count],
                            flags);
  if (rc) {
    cbc_stats_forms_free(f);
    return rc;
  }
  *out = f;
  return 0;
}

CBC_EXTERN(int) cbc_stats_series(cbc_stats_forms **out, cbc_db *db, int64_t unit_id, int year,
                                 int month, int months)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  if (!rc && (months < 1 || months > 120))
    rc = cbc__error(CBC_EINVAL, "a series has 1..120 months, not %d", months);
  if (!rc && (month < 1 || month > 12))
    rc = cbc__error(CBC_EINVAL, "month %d is not 1..12", month);
  if (!rc && (year < 1970 || year > 9999)) /* before year + months could overflow */
    rc = cbc__error(CBC_EINVAL, "the year %d is outside 1970..9999", year);
  if (rc)
    return rc;
  int64_t *units = cbc__calloc((size_t)months, sizeof(int64_t));
  cbc_period *periods = cbc__calloc((size_t)months, sizeof(cbc_period));
  if (units && periods) {
    for (int i = 0; i < months; i++) {
      int m = month - 1 + i;
      units[i] = unit_id;
      periods[i] = (cbc_period){ CBC_PERIOD_MONTH, year + m / 12, m % 12 + 1, 0, 0 };
    }
    rc = forms_of(out, db, units, periods, (size_t)months, 0);
  } else {
    rc = cbc__error_oom();
  }
  cbc__free(units);
  cbc__free(periods);
  return rc;
}

CBC_EXTERN(int) cbc_stats_children(cbc_stats_forms **out, cbc_db *db, int64_t unit_id,
                                   const cbc_period *period, unsigned int flags)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  cbc_unit_iter *it = NULL;
  const cbc_unit *u;
  int64_t *units = NULL;
  cbc_period *periods = NULL;
  size_t n = 0, cap = 0;
  int64_t from, to;
  int rc = cbc_period_bounds(&from, &to, db, period); /* refused even with no children */
  if (!rc && (flags & ~(unsigned int)CBC_STATS_FROM_RECORDS))
    rc = cbc__error(CBC_EINVAL, "unknown statistics flags 0x%x", flags);
  if (!rc)
    rc = cbc_unit_iter_children(&it, db, unit_id);
  while (!rc && (rc = cbc_unit_iter_next(&u, it)) == 0) {
    if (u->closed)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      int64_t *gu = cbc__realloc(units, cap * sizeof(*units));
      units = gu ? gu : units;
      cbc_period *gp = gu ? cbc__realloc(periods, cap * sizeof(*periods)) : NULL;
      periods = gp ? gp : periods;
      if (!gu || !gp) {
        rc = cbc__error_oom();
        break;
      }
    }
    units[n] = u->id;
    periods[n++] = *period;
  }
  cbc_unit_iter_free(it);
  if (rc == CBC_ITEROVER)
    rc = forms_of(out, db, units, periods, n, flags);
  cbc__free(units);
  cbc__free(periods);
  return rc;
}

CBC_EXTERN(void) cbc_stats_breakdown_free(cbc_stats_breakdown *breakdown)
{
  if (!breakdown)
    return;
  cbc__free(breakdown->counts);
  cbc__free(breakdown);
}

static double ratio(int64_t part, int64_t whole) { return whole ? (double)part / (double)whole : 0; }

/* Rates and days to close from the counts and the sorted durations. */
static void finish(cbc_stats_breakdown *b, const int64_t *durations, size_t n)
{
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += (double)durations[i] / 86400.0;
  b->mean_days_to_close = n ? sum / (double)n : 0;
  b->median_days_to_close =
    !n ? 0
       : n % 2 ? (double)durations[n / 2] / 86400.0
               : ((double)durations[n / 2 - 1] + (double)durations[n / 2]) / 2 / 86400.0;
  b->rectification_rate = ratio(b->rectified, b->reported);
  b->on_time_rate = ratio(b->closed_on_time, b->closed);
  b->disposal_rate = ratio(b->rectified + b->rejected, b->reported);
}

CBC_EXTERN(int) cbc_stats_breakdown_get(cbc_stats_breakdown **out, cbc_db *db, int64_t unit_id,
                                        const cbc_period *period)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t *durations = NULL;
  size_t n = 0;
  cbc_stats_breakdown *b = cbc__calloc(1, sizeof(*b));
  int rc = b ? cbc__db_check(db) : cbc__error_oom();
  if (!rc)
    rc = cbc_period_bounds(&b->from, &b->to, db, period);
  if (!rc)
    rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = cbc_store__breakdown(db->store, lo, hi, b->from, b->to, b, &durations, &n);
  if (!rc) {
    b->unit_id = unit_id;
    finish(b, durations, n);
    *out = b;
  } else {
    cbc_stats_breakdown_free(b);
  }
  cbc__free(durations);
  if (db)
    cbc_store__done(db->store);
  return rc;
}
