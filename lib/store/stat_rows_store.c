/* The statistics' counter rows (docs/statistics.md, "Where the figures come
 * from"): stat_months, per attribution unit (an enterprise or a region node)
 * and local month, and stat_rollups, per region node and month, the sum of
 * stat_months over every attribution unit at or below it together with how
 * many enterprises below it ran the campaign, and stat_active, the months
 * each enterprise was active in, per year (schema step 17).
 *
 * Adding to a unit's month says what it changes in the ran columns; the
 * caller (lib/stats_count.c) sums those and the counters per region and
 * month, and adds them to the roll-ups, in the same transaction.  A unit's
 * move takes its rows from its old regions and gives them to its new ones;
 * a form sums one unit's months.  The "ran"
 * columns follow the rule of the distinct-people columns: ran_m counts an
 * enterprise in each month it was active (activity > 0), ran_q in its first
 * active month of a quarter, ran_y in its first active month of a year, so
 * that a quarter or a year is the sum of its months. */
#include "store_internal.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const columns[CBC_ROLLUP__COUNT] = {
  "activity", "took_part_m", "took_part_q", "took_part_y", "sessions", "trained_m",
  "trained_q", "trained_y", "leader_classes", "leaders_m", "leaders_q", "leaders_y", "visits",
  "found", "listed", "rectified", "ran_m", "ran_q", "ran_y",
};

/* A cache key bit: the roll-up UPSERT of a set of columns. */
#define ROLLUP_KEY (1u << 31)
/* The months ?2 .. ?3 (year * 100 + month, from a month: December, whose
 * k + 88 is in the next hundred, is followed by the next January; no '%'
 * here, as the text goes through snprintf formats). */
#define MONTHS                                                                           \
  "WITH RECURSIVE m(k) AS (SELECT ?2 UNION ALL SELECT k + CASE WHEN (k + 88) / 100 >"    \
  " k / 100 THEN 89 ELSE 1 END FROM m WHERE k < ?3) "

/* The UPSERT adding to the columns in @p key's mask, of stat_months or
 * (ROLLUP_KEY) of stat_rollups.  Cached per key; the least recently
 * prepared is dropped when the cache is full. */
static int upsert_stmt(cbc_store *st, unsigned int key, drv_stmt **out)
{
  for (size_t i = 0; i < STORE_STAT_CACHE; i++)
    if (st->stat_adds[i].stmt && st->stat_adds[i].mask == key) {
      *out = st->stat_adds[i].stmt;
      return 0;
    }
  /* the stored value named by its table: PostgreSQL would not know
   * whether a bare column is the row's or excluded's */
  const char *table = key & ROLLUP_KEY ? "stat_rollups" : "stat_months";
  char cols[512] = "", vals[256] = "", sets[1536] = "", sql[2560];
  size_t lc = 0, lv = 0, ls = 0;
  for (int i = 0, p = 3; i < CBC_ROLLUP__COUNT; i++) {
    if (!(key & (1u << i)))
      continue;
    lc += (size_t)snprintf(cols + lc, sizeof(cols) - lc, ", %s", columns[i]);
    lv += (size_t)snprintf(vals + lv, sizeof(vals) - lv, ", ?%d", p++);
    ls += (size_t)snprintf(sets + ls, sizeof(sets) - ls, "%s%s = %s.%s + excluded.%s",
                           ls ? ", " : "", columns[i], table, columns[i], columns[i]);
  }
  snprintf(sql, sizeof(sql), "INSERT INTO %s(month, unit_id%s) VALUES (?2, ?1%s)"
           " ON CONFLICT(month, unit_id) DO UPDATE SET %s", table, cols, vals, sets);
  drv_stmt *s;
  int rc = store_prepare(st, sql, true, &s);
  if (rc)
    return rc;
  size_t slot = st->stat_adds_next++ % STORE_STAT_CACHE;
  drv_finalize(st->stat_adds[slot].stmt);
  st->stat_adds[slot].mask = key;
  st->stat_adds[slot].stmt = s;
  *out = s;
  return 0;
}

/* The non-zero columns of @p delta (the first @p n), as bits. */
static unsigned int mask_of(const int64_t *delta, int n)
{
  unsigned int mask = 0;
  for (int i = 0; i < n; i++)
    if (delta[i])
      mask |= 1u << i;
  return mask;
}

static void bind_delta(drv_stmt *s, int64_t unit_id, int month, unsigned int mask,
                       const int64_t *delta)
{
  drv_bind_int64(s, 1, unit_id);
  drv_bind_int64(s, 2, month);
  for (int i = 0, p = 3; i < CBC_ROLLUP__COUNT; i++)
    if (mask & (1u << i))
      drv_bind_int64(s, p++, delta[i]);
}

/* Add @p delta to the row of (@p unit_id, @p month) of stat_months or
 * (@p key ROLLUP_KEY) stat_rollups. */
static int row_add(cbc_store *st, unsigned int key, int64_t unit_id, int month,
                   const int64_t *delta)
{
  unsigned int mask = mask_of(delta, key ? CBC_ROLLUP__COUNT : CBC_STAT__COUNT);
  drv_stmt *s;
  if (!mask)
    return 0;
  int rc = upsert_stmt(st, mask | key, &s);
  if (rc)
    return rc;
  bind_delta(s, unit_id, month, mask, delta);
  return store_exec_stmt(st, s, "updating the statistics");
}

/* The region nodes whose roll-ups a move changes, as a list. */
typedef struct regions {
  int64_t ids[CBC_STORE_DEPTH_MAX];
  size_t n;
} regions;

int cbc_store__rollup_add(cbc_store *st, int64_t region_id, int month,
                          const int64_t delta[CBC_ROLLUP__COUNT])
{
  return row_add(st, ROLLUP_KEY, region_id, month, delta);
}

/* Add @p delta to month @p month of each of @p r's regions. */
static int rollup_add(cbc_store *st, const regions *r, int month,
                      const int64_t delta[CBC_ROLLUP__COUNT])
{
  int rc = 0;
  for (size_t i = 0; i < r->n && !rc; i++)
    rc = cbc_store__rollup_add(st, r->ids[i], month, delta);
  return rc;
}

/* ------------------------------------------------ enterprises that ran */

/* Add @p sign times what an enterprise active in the months @p bits (bit
 * m - 1 for month m) counts in the ran columns of each month. */
static void ran_of_year(unsigned int bits, int sign, int64_t ran[12][3])
{
  for (int m = 0; m < 12; m++) {
    if (!(bits & (1u << m)))
      continue;
    unsigned int before_in_quarter = bits & ((1u << m) - 1) & (7u << (3 * (m / 3)));
    ran[m][0] += sign;
    ran[m][1] += before_in_quarter ? 0 : sign;
    ran[m][2] += bits & ((1u << m) - 1) ? 0 : sign;
  }
}

/* The months of @p year in which enterprise @p unit_id was active, as
 * stat_active keeps them (one row per enterprise and year: reading the
 * year's twelve stat_months rows instead cost four times as much). */
static int active_months(cbc_store *st, int64_t unit_id, int year, unsigned int *bits)
{
  int64_t months;
  int rc = store_int_by_keys(st, STMT_ACTIVE_MONTHS, "SELECT months FROM stat_active"
                             " WHERE unit_id = ?1 AND year = ?2", unit_id, year, &months);
  *bits = (unsigned int)months & 0xFFFu;
  return rc;
}

static int active_months_set(cbc_store *st, int64_t unit_id, int year, unsigned int bits)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ACTIVE_MONTHS_SET, "INSERT INTO stat_active(unit_id, year,"
                      " months) VALUES (?1, ?2, ?3) ON CONFLICT(unit_id, year)"
                      " DO UPDATE SET months = excluded.months", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, unit_id);
  drv_bind_int64(s, 2, year);
  drv_bind_int64(s, 3, (int)bits);
  return store_exec_stmt(st, s, "updating the statistics");
}

/* The activity of (@p unit_id, @p month), 0 without a row. */
static int activity_of(cbc_store *st, int64_t unit_id, int month, int64_t *out)
{
  return store_int_by_keys(st, STMT_ACTIVITY_OF, "SELECT activity FROM stat_months"
                           " WHERE month = ?2 AND unit_id = ?1", unit_id, month, out);
}

/* What enterprise @p unit_id's @p delta to @p month changes in its regions'
 * ran columns, month by month of the year (@p ran, added to): when the
 * month becomes active or inactive, what its year counts now less what it
 * counted before.  Read before the row is written. */
static int ran_change(cbc_store *st, int64_t unit_id, int month, int64_t delta,
                      int64_t ran[12][3])
{
  int64_t before;
  unsigned int others = 0;
  /* held until commit: two records never both flip one month */
  int rc = store_lock_key(st, -(month / 100), unit_id, false);
  if (!rc)
    rc = activity_of(st, unit_id, month, &before);
  if (!rc && (before < 0 || before > INT64_MAX / 2)) /* a count; no overflow below */
    rc = cbc__error(CBC_ECORRUPT, "unit %lld: a stored statistics counter is out of range (a "
                    "damaged database; cbc_stats_rebuild() recomputes them)",
                    (long long)unit_id);
  if (rc || (before > 0) == (before + delta > 0))
    return rc;
  unsigned int bit = 1u << (month % 100 - 1), now;
  rc = active_months(st, unit_id, month / 100, &others);
  if (rc)
    return rc;
  others &= ~bit;
  now = others | (before + delta > 0 ? bit : 0);
  ran_of_year(now, 1, ran);
  ran_of_year(others | (before > 0 ? bit : 0), -1, ran);
  return active_months_set(st, unit_id, month / 100, now);
}

int cbc_store__stat_add(cbc_store *st, int64_t unit_id, bool enterprise, int month,
                        const int64_t delta[CBC_STAT__COUNT], int64_t ran[12][3])
{
  int rc = 0;
  if (!mask_of(delta, CBC_STAT__COUNT))
    return 0;
  if (enterprise && delta[CBC_STAT_ACTIVITY])
    rc = ran_change(st, unit_id, month, delta[CBC_STAT_ACTIVITY], ran);
  return rc ? rc : row_add(st, 0, unit_id, month, delta);
}

/* ------------------------------------------------------------- reading */

/* The sums of a unit's months ?2 .. ?3: of a region's roll-ups (@p arg
 * points to true), or of an attribution unit's stat_months, whose last
 * column then counts its active months. */
static void sum_sql(char *sql, size_t size, const void *arg)
{
  bool region = *(const bool *)arg;
  size_t len = (size_t)snprintf(sql, size, MONTHS "SELECT ");
  for (int i = 0; i < CBC_ROLLUP__COUNT; i++) {
    char value[64] = "CASE WHEN s.activity > 0 THEN 1 ELSE 0 END"; /* its months that ran */
    if (i < CBC_STAT__COUNT || region)
      snprintf(value, sizeof(value), "s.%s", columns[i]);
    len += (size_t)snprintf(sql + len, size - len, "%scoalesce(sum(%s), 0)", i ? ", " : "",
                            value);
  }
  snprintf(sql + len, size - len, " FROM m CROSS JOIN %s s ON s.month = m.k AND s.unit_id = ?1",
           region ? "stat_rollups" : "stat_months");
}

int cbc_store__stat_sum(cbc_store *st, int64_t unit_id, bool region, int first, int last,
                        int granularity, int64_t sums[CBC_STAT__COUNT], int64_t *units_ran)
{
  drv_stmt *s;
  int rc = store_stmt_built(st, region ? STMT_ROLLUP_SUM : STMT_STAT_SUM_UNIT, sum_sql, &region,
                            &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, unit_id);
  drv_bind_int64(s, 2, first);
  drv_bind_int64(s, 3, last);
  rc = store_step_row(st, s, "statistics");
  for (int i = 0; i < CBC_STAT__COUNT && !rc; i++)
    sums[i] = drv_column_int64(s, i);
  /* an enterprise ran if any month of the period was active */
  if (!rc)
    *units_ran = region ? drv_column_int64(s, CBC_ROLLUP_RAN_M + granularity)
                        : drv_column_int64(s, CBC_ROLLUP_RAN_M) > 0;
  drv_reset(s);
  return rc;
}

/* ---------------------------------------------------------------- moves */

/* Columns [1, 1 + @p n) of a stored row, each times @p sign: counts, so a
 * negative one is damage (and would overflow once negated). */
static int stored_counts(drv_stmt *s, int n, int sign, int64_t *out)
{
  for (int i = 0; i < n; i++) {
    int64_t v = drv_column_int64(s, 1 + i);
    if (v < 0)
      return cbc__error(CBC_ECORRUPT, "a stored statistics counter is negative (a damaged "
                                      "database; cbc_stats_rebuild() recomputes them)");
    out[i] = sign * v;
  }
  return 0;
}

/* A region's rows, each given with @p sign to regions @p r. */
/* The month and the first @p arg (an int) columns of a unit's rows: of
 * stat_rollups (CBC_ROLLUP__COUNT), or of stat_months (CBC_STAT__COUNT)
 * through the months ?2 .. ?3, in order. */
static void rows_sql(char *sql, size_t size, const void *arg)
{
  int n = *(const int *)arg;
  size_t len = (size_t)snprintf(sql, size, "%sSELECT s.month",
                                n == CBC_ROLLUP__COUNT ? "" : MONTHS);
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(sql + len, size - len, ", s.%s", columns[i]);
  snprintf(sql + len, size - len, "%s",
           n == CBC_ROLLUP__COUNT ? " FROM stat_rollups s WHERE s.unit_id = ?1"
                                  : " FROM m CROSS JOIN stat_months s ON s.month = m.k"
                                    " AND s.unit_id = ?1 ORDER BY s.month");
}

static int move_region(cbc_store *st, int64_t unit_id, const regions *r, int sign)
{
  static const int n = CBC_ROLLUP__COUNT;
  drv_stmt *s;
  int rc = store_stmt_built(st, STMT_ROLLUP_ROWS, rows_sql, &n, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, unit_id);
  int step = DRV_DONE;
  while (!rc && (step = store_step(st, s, "moving statistics")) == DRV_ROW) {
    int64_t delta[CBC_ROLLUP__COUNT];
    rc = stored_counts(s, CBC_ROLLUP__COUNT, sign, delta);
    if (!rc)
      rc = rollup_add(st, r, drv_column_int(s, 0), delta);
  }
  if (!rc && step < 0)
    rc = step;
  drv_reset(s);
  return rc;
}

static bool month_valid(int64_t month)
{
  return month / 100 >= 1970 && month / 100 <= 9999 && month % 100 >= 1 && month % 100 <= 12;
}

/* An enterprise's rows of one year (@p rows, months @p months), with what
 * they count in the ran columns, given with @p sign to regions @p r. */
static int move_year(cbc_store *st, const regions *r, int sign, size_t n,
                     const int *months, int64_t (*rows)[CBC_STAT__COUNT])
{
  int64_t ran[12][3] = { { 0 } };
  unsigned int bits = 0;
  for (size_t i = 0; i < n; i++)
    bits |= rows[i][CBC_STAT_ACTIVITY] > 0 ? 1u << (months[i] % 100 - 1) : 0;
  ran_of_year(bits, sign, ran);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    int64_t delta[CBC_ROLLUP__COUNT];
    for (int c = 0; c < CBC_STAT__COUNT; c++)
      delta[c] = sign * rows[i][c];
    memcpy(&delta[CBC_ROLLUP_RAN_M], ran[months[i] % 100 - 1], sizeof(ran[0]));
    rc = rollup_add(st, r, months[i], delta);
  }
  return rc;
}

/* An enterprise's rows, year by year (a year's ran columns need all its
 * months), read through the months its file spans. */
static int move_enterprise(cbc_store *st, int64_t unit_id, const regions *r, int sign)
{
  static const int n_columns = CBC_STAT__COUNT;
  drv_stmt *s;
  int64_t first = 0, last = 0;
  int rc = store_int_by_id(st, STMT_STAT_MONTH_FIRST, "SELECT min(month) FROM stat_months",
                           0, &first);
  if (!rc)
    rc = store_int_by_id(st, STMT_STAT_MONTH_LAST, "SELECT max(month) FROM stat_months", 0,
                         &last);
  if (!rc && first && !month_valid(first))
    rc = cbc__error(CBC_ECORRUPT, "a statistics row has the month %lld", (long long)first);
  if (!rc && first)
    rc = store_stmt_built(st, STMT_STAT_UNIT_ROWS, rows_sql, &n_columns, &s);
  if (rc || !first)
    return rc;
  drv_bind_int64(s, 1, unit_id);
  drv_bind_int64(s, 2, first);
  drv_bind_int64(s, 3, last);
  int months[12], year = 0;
  int64_t rows[12][CBC_STAT__COUNT];
  size_t n = 0;
  int step = DRV_DONE;
  while (!rc && (step = store_step(st, s, "moving statistics")) == DRV_ROW) {
    int month = drv_column_int(s, 0);
    if (n && month / 100 != year) {
      rc = move_year(st, r, sign, n, months, rows);
      n = 0;
    }
    year = month / 100;
    months[n] = month;
    if (!rc)
      rc = stored_counts(s, CBC_STAT__COUNT, 1, rows[n++]);
  }
  if (!rc && step < 0)
    rc = step;
  drv_reset(s);
  return rc || !n ? rc : move_year(st, r, sign, n, months, rows);
}

int cbc_store__stat_move(cbc_store *st, int64_t unit_id, int64_t parent_id, int sign)
{
  int64_t kind = 0;
  regions r;
  if (!parent_id)
    return 0;
  int rc = store_int_by_id(st, STMT_UNIT_KIND, "SELECT kind FROM units WHERE id = ?1", unit_id,
                           &kind);
  if (rc || (kind != CBC_UNIT_REGION && kind != CBC_UNIT_ENTERPRISE))
    return rc;
  rc = cbc_store__unit_ancestors(st, parent_id, r.ids, CBC_STORE_DEPTH_MAX, &r.n);
  if (rc)
    return rc;
  return kind == CBC_UNIT_REGION ? move_region(st, unit_id, &r, sign)
                                 : move_enterprise(st, unit_id, &r, sign);
}
