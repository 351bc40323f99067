/* Invariants checked after every test regime (tests/invariants.h). */
#include "invariants.h"
#include "db_internal.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

void cbc_test_assert_integrity(const char *path)
{
  if (strncmp(path, "postgresql://", 13) == 0) /* the server checks its own storage */
    return;
  sqlite3 *raw = NULL;
  sqlite3_stmt *s = NULL;
  /* read-write: a file killed while it was still in rollback-journal mode
   * (during creation) has a hot journal that only a writer may roll back */
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  const char *verdict = (const char *)sqlite3_column_text(s, 0);
  if (!verdict || strcmp(verdict, "ok") != 0)
    fail_msg("integrity_check of %s: %s", path, verdict ? verdict : "(null)");
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

/* The library's check (cbc_db_check) of @p flags, failing with each
 * finding; the report is the caller's. */
static cbc_check_report *assert_no_findings(cbc_db *db, unsigned int flags)
{
  cbc_check_report *r;
  assert_cbc_ok(cbc_db_check(&r, db, flags));
  for (size_t i = 0; i < r->count; i++)
    print_error("%s finding about %lld: %s\n", cbc_finding_kind_name(r->findings[i].kind),
                (long long)r->findings[i].object_id, r->findings[i].message);
  if (r->count)
    fail_msg("cbc_db_check: %zu findings", r->count);
  return r;
}

size_t cbc_test_assert_all_replay(cbc_db *db)
{
  cbc_check_report *r = assert_no_findings(db, CBC_CHECK_HISTORIES);
  size_t n = r->hazards_checked;
  cbc_check_report_free(r);
  return n;
}

/* Every unit id, roots first, then each root's subtree. */
static int64_t *all_units(cbc_db *db, size_t *count)
{
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  cbc_unit_iter *roots, *sub;
  const cbc_unit *u, *v;
  assert_cbc_ok(cbc_unit_iter_children(&roots, db, 0));
  while (cbc_unit_iter_next(&u, roots) == 0) {
    assert_cbc_ok(cbc_unit_iter_subtree(&sub, db, u->id));
    while (cbc_unit_iter_next(&v, sub) == 0) {
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        ids = realloc(ids, cap * sizeof(*ids));
        assert_non_null(ids);
      }
      ids[n++] = v->id;
    }
    cbc_unit_iter_free(sub);
  }
  cbc_unit_iter_free(roots);
  *count = n;
  return ids;
}

/* The 17 calendar periods of a year: months, quarters, the year. */
enum { PERIODS_PER_YEAR = 17 };
static cbc_period period_of(int year, int i)
{
  cbc_period p = { CBC_PERIOD_MONTH, year, i + 1, 0, 0 };
  if (i >= 12) {
    p.kind = i == 16 ? CBC_PERIOD_YEAR : CBC_PERIOD_QUARTER;
    p.number = i == 16 ? 0 : i - 11;
  }
  return p;
}

static void form_of(cbc_stats_form *out, cbc_db *db, int64_t unit, cbc_period p,
                    unsigned int flags)
{
  cbc_stats_form *f;
  assert_cbc_ok(cbc_stats_form_get(&f, db, unit, &p, flags));
  *out = *f;
  cbc_stats_form_free(f);
}

static void assert_same_form(const cbc_stats_form *a, const cbc_stats_form *b, int64_t unit,
                             cbc_period p, const char *what)
{
  const int64_t x[] = { a->units_ran, a->employees_took_part, a->training_sessions,
                        a->employees_trained, a->leader_classes, a->leaders_trained,
                        a->units_assigned, a->supervision_visits, a->hazards_found,
                        a->hazards_listed, a->hazards_rectified };
  const int64_t y[] = { b->units_ran, b->employees_took_part, b->training_sessions,
                        b->employees_trained, b->leader_classes, b->leaders_trained,
                        b->units_assigned, b->supervision_visits, b->hazards_found,
                        b->hazards_listed, b->hazards_rectified };
  for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
    if (x[i] != y[i])
      fail_msg("unit %lld, period kind %d %d/%d, figure %zu: %s %lld vs %lld", (long long)unit,
               (int)p.kind, p.year, p.number, i, what, (long long)x[i], (long long)y[i]);
}

/* The aggregates' forms of every unit and period of the years. */
static cbc_stats_form *aggregate_forms(cbc_db *db, const int64_t *units, size_t n_units,
                                       int first_year, int years)
{
  size_t per_unit = (size_t)years * PERIODS_PER_YEAR;
  cbc_stats_form *all = calloc(n_units * per_unit, sizeof(*all));
  assert_non_null(all);
  for (size_t u = 0; u < n_units; u++)
    for (int y = 0; y < years; y++)
      for (int i = 0; i < PERIODS_PER_YEAR; i++)
        form_of(&all[u * per_unit + (size_t)y * PERIODS_PER_YEAR + (size_t)i], db, units[u],
                period_of(first_year + y, i), 0);
  return all;
}

/* The aggregates against the records, and the forms' own rules, are the
 * library's check (cbc_db_check, CBC_CHECK_STATS): every unit, every year
 * that holds records or aggregates. */
size_t cbc_test_assert_stats_agree(cbc_db *db, int first_year, int last_year)
{
  (void)first_year, (void)last_year;
  cbc_check_report *r = assert_no_findings(db, CBC_CHECK_STATS);
  size_t n = r->forms_compared;
  cbc_check_report_free(r);
  return n;
}

void cbc_test_assert_stats_rebuild(cbc_db *db, int first_year, int last_year)
{
  size_t n_units;
  int64_t *units = all_units(db, &n_units);
  int years = last_year - first_year + 1;
  cbc_test_assert_stats_agree(db, first_year, last_year);
  cbc_stats_form *before = aggregate_forms(db, units, n_units, first_year, years);
  assert_cbc_ok(cbc_stats_rebuild(db));
  cbc_test_assert_stats_agree(db, first_year, last_year);
  cbc_stats_form *after = aggregate_forms(db, units, n_units, first_year, years);
  for (size_t u = 0; u < n_units; u++)
    for (int i = 0; i < years * PERIODS_PER_YEAR; i++) {
      size_t k = u * (size_t)years * PERIODS_PER_YEAR + (size_t)i;
      assert_same_form(&before[k], &after[k], units[u],
                       period_of(first_year + i / PERIODS_PER_YEAR, i % PERIODS_PER_YEAR),
                       "before vs after a rebuild");
    }
  free(before);
  free(after);
  free(units);
}

void cbc_test_assert_consistent(const char *path, int64_t *now, int first_year, int last_year)
{
  cbc_test_assert_integrity(path);
  cbc_db *db = cbc_test_db_file(path, now);
  cbc_check_report_free(assert_no_findings(db, CBC_CHECK_ALL));
  cbc_test_assert_stats_rebuild(db, first_year, last_year);
  cbc_db_close(db);
}

/* The form of the records read by unit, whatever the library would choose
 * (units_assigned is not theirs: taken from @p answered). */
static void by_unit_form(cbc_stats_form *out, cbc_db *db, int64_t unit, cbc_period p,
                         const cbc_stats_form *answered)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t from, to;
  memset(out, 0, sizeof(*out));
  assert_cbc_ok(cbc_period_bounds(&from, &to, db, &p));
  assert_cbc_ok(cbc_store__unit_range(db->store, unit, lo, hi, sizeof(lo)));
  assert_cbc_ok(cbc_store__form_records_by_unit(db->store, lo, hi, from, to, out));
  cbc_store__done(db->store);
  out->unit_id = unit, out->from = from, out->to = to;
  out->units_assigned = answered->units_assigned;
}

void cbc_test_assert_form_plans_agree(cbc_db *db, int64_t unit, cbc_period p)
{
  cbc_stats_form answered, by_time, by_unit;
  form_of(&answered, db, unit, p, 0);
  form_of(&by_time, db, unit, p, CBC_STATS_FROM_RECORDS);
  by_unit_form(&by_unit, db, unit, p, &answered);
  assert_same_form(&answered, &by_time, unit, p, "as answered vs the records by time");
  assert_same_form(&by_unit, &by_time, unit, p, "the records by unit vs by time");
  assert_true(answered.from == by_time.from && answered.to == by_time.to);
}

/* A random range within [from, to): whole local days, arbitrary seconds,
 * or a calendar period's own bounds. */
static cbc_period random_range(cbc_db *db, int64_t from, int64_t to, uint64_t *rng)
{
  static const int64_t day = 86400, offset = 8 * 3600;
  *rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;
  uint64_t r = *rng;
  int64_t span = to - from, start = from + (int64_t)(r % (uint64_t)span);
  int64_t length = 1 + (int64_t)((r >> 20) % (uint64_t)(span / 2 + 1));
  cbc_period p = { CBC_PERIOD_RANGE, 0, 0, start, start + length };
  if (r % 3 == 0) { /* whole local days, from one to about half the span */
    p.from = (start + offset) / day * day - offset;
    p.to = p.from + (length / day + 1) * day;
  } else if (r % 3 == 1) { /* exactly a month, quarter or year, given as a range */
    cbc_period c;
    assert_cbc_ok(cbc_period_containing(&c, db, (cbc_period_kind)(1 + (r >> 8) % 3), start));
    assert_cbc_ok(cbc_period_bounds(&p.from, &p.to, db, &c));
  }
  return p;
}

size_t cbc_test_assert_ranges_agree(cbc_db *db, int64_t from, int64_t to, int n, uint64_t seed)
{
  size_t n_units, compared = 0;
  int64_t *units = all_units(db, &n_units);
  uint64_t rng = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t u = 0; u < n_units; u++)
    for (int i = 0; i < n; i++, compared++)
      cbc_test_assert_form_plans_agree(db, units[u], random_range(db, from, to, &rng));
  free(units);
  return compared;
}
