/* The breakdown (cbc_stats_breakdown_get) against its definitions: a random
 * history of hazards in two enterprises over fourteen months — reported
 * with every kind, category, check item and source, registered with
 * deadlines, rectified, verified or failed, rejected, closed and reopened
 * by review — and then, for every unit and every month, quarter, year and
 * a range, each figure and each dimension's cell computed by its own SQL
 * query over the records (include/cbc/stats.h, cbc_stats_breakdown) must
 * equal what the library's single pass over the subtree's hazards counted;
 * the days to close from the sorted durations.  Also every allocation the
 * breakdown makes failing in turn. */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

#define MAX_HAZARDS 400

typedef struct history {
  cbc_db *db;
  uint64_t rng;
  int64_t ids[MAX_HAZARDS];
  int team[MAX_HAZARDS];
  cbc_hazard_state state[MAX_HAZARDS];
  int n;
  int moves[7]; /* applied, by the state each move left (reopens under RECTIFYING) */
  int rejects, fails, reviews;
} history;

/* The teams reported in, their leaders, reporters and the principal who
 * verifies, rejects and reviews. */
static const struct {
  const char *team, *leader, *reporter, *principal;
} teams[] = {
  { "T1", "L1", "A1", "P1" }, { "T1", "L1", "A2", "P1" }, { "T2", "L2", "B1", "P1" },
  { "T9", "XL", "X1", "XP" },
};
#define N_TEAMS ((int)(sizeof(teams) / sizeof(teams[0])))

static int pick(history *h, int n)
{
  h->rng ^= h->rng << 13;
  h->rng ^= h->rng >> 7;
  h->rng ^= h->rng << 17;
  return (int)(h->rng % (uint64_t)n);
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

static void report(history *h)
{
  int t = pick(h, N_TEAMS);
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(h->db, teams[t].reporter);
  r.unit_id = cbc_test_unit_id(h->db, teams[t].team);
  r.title = "隐患";
  r.kind = (cbc_hazard_kind)(1 + pick(h, 2));
  r.category = (cbc_hazard_category)(1 + pick(h, 2));
  r.check_item = (cbc_check_item)(1 + pick(h, 6));
  r.source = (cbc_hazard_source)(1 + pick(h, 7));
  r.proposed_severity = pick(h, 5) ? CBC_SEVERITY_GENERAL : CBC_SEVERITY_MAJOR;
  if (cbc_hazard_report(&h->ids[h->n], NULL, h->db, &r) != 0) {
    r.source = CBC_SOURCE_SELF_CHECK; /* a source this reporter may not name */
    assert_cbc_ok(cbc_hazard_report(&h->ids[h->n], NULL, h->db, &r));
  }
  h->team[h->n] = t;
  h->state[h->n++] = CBC_HAZARD_REPORTED;
}

static int register_general(history *h, int i, int64_t leader)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = (cbc_level)(1 + pick(h, 2));
  g.measures = "整改";
  g.deadline = now + (1 + pick(h, 40)) * DAY;
  g.contingency_plan = "警示";
  return cbc_hazard_register(h->db, h->ids[i], leader, &g);
}

/* One move of hazard @p i from its state; the state it reaches, or 0 when
 * the library refused (a major hazard registered as general, say). */
static cbc_hazard_state move(history *h, int i)
{
  int64_t leader = E(h->db, teams[h->team[i]].leader);
  int64_t principal = E(h->db, teams[h->team[i]].principal);
  cbc_db *db = h->db;
  switch (h->state[i]) {
  case CBC_HAZARD_REPORTED:
    if (pick(h, 6) == 0)
      return cbc_hazard_reject(db, h->ids[i], principal, "不是隐患", 0) ? 0
                                                                       : CBC_HAZARD_REJECTED;
    return register_general(h, i, leader) ? 0 : CBC_HAZARD_REGISTERED;
  case CBC_HAZARD_REGISTERED:
    return cbc_hazard_start(db, h->ids[i], leader) ? 0 : CBC_HAZARD_RECTIFYING;
  case CBC_HAZARD_RECTIFYING:
    return cbc_hazard_submit(db, h->ids[i], leader, "已整改", NULL, 0)
             ? 0 : CBC_HAZARD_PENDING_VERIFICATION;
  case CBC_HAZARD_PENDING_VERIFICATION: {
    int pass = pick(h, 4) != 0;
    if (cbc_hazard_verify(db, h->ids[i], principal, pass, pass ? NULL : "未整改到位", NULL, 0))
      return 0;
    h->fails += !pass;
    return pass ? CBC_HAZARD_CLOSED : CBC_HAZARD_RECTIFYING;
  }
  case CBC_HAZARD_CLOSED:
    if (pick(h, 8) || cbc_hazard_reopen(db, h->ids[i], principal, "回头看发现问题"))
      return 0;
    h->reviews++;
    return CBC_HAZARD_RECTIFYING;
  default: return 0;
  }
}

/* About fourteen months from 2024-01-01: reports and moves of random hazards. */
static void live(history *h, int steps)
{
  now = cbc_test_date(2024, 1, 1);
  for (int s = 0; s < steps; s++) {
    now += pick(h, 2 * DAY);
    if (h->n < MAX_HAZARDS && (h->n < 5 || pick(h, 3) == 0)) {
      report(h);
      continue;
    }
    int i = pick(h, h->n);
    cbc_hazard_state to = move(h, i);
    if (to) {
      h->rejects += to == CBC_HAZARD_REJECTED;
      h->state[i] = to;
      h->moves[to]++;
    }
  }
}

/* ------------------------------------------------- the figures by SQL */

#define SUBTREE " AND unit_id IN (SELECT id FROM units WHERE path >= ?1 AND path < ?2)"

/* Each figure's definition, one query each, in cbc_stats_breakdown's order
 * from @c reported to @c reopens. */
static const char *const figure_sql[7] = {
  "SELECT count(*) FROM hazards WHERE reported_at >= ?3 AND reported_at < ?4" SUBTREE,
  "SELECT count(*) FROM hazards WHERE state = 6 AND reported_at >= ?3 AND reported_at < ?4"
  SUBTREE,
  "SELECT count(*) FROM hazards WHERE state = 5 AND reported_at >= ?3 AND reported_at < ?4"
  SUBTREE,
  "SELECT count(*) FROM hazards WHERE state = 5 AND closed_at >= ?3 AND closed_at < ?4" SUBTREE,
  "SELECT count(*) FROM hazards WHERE state = 5 AND closed_at >= ?3 AND closed_at < ?4"
  " AND closed_at <= deadline" SUBTREE,
  "SELECT count(*) FROM hazards WHERE reported_at < ?4 AND deadline > 0 AND deadline < ?4"
  " AND state != 6 AND NOT (state = 5 AND closed_at < ?4)" SUBTREE,
  "SELECT count(*) FROM hazard_events v JOIN hazards h ON h.id = v.hazard_id"
  " WHERE v.action IN (11, 12) AND v.at >= ?3 AND v.at < ?4"
  " AND h.unit_id IN (SELECT id FROM units WHERE path >= ?1 AND path < ?2)",
};

/* Each dimension's value expression and whether it counts the hazards
 * closed in the period (else those reported in it), in the counts' order. */
static const struct {
  cbc_stats_dimension dimension;
  const char *expr;
  int max;
  int closed;
} dims[] = {
  { CBC_DIM_SEVERITY, "coalesce(nullif(severity, 0), proposed_severity)", 2, 0 },
  { CBC_DIM_KIND, "kind", 2, 0 },
  { CBC_DIM_CATEGORY, "category", 2, 0 },
  { CBC_DIM_CHECK_ITEM, "check_item", 6, 0 },
  { CBC_DIM_SOURCE, "source", 7, 0 },
  { CBC_DIM_RESOLVED_LEVEL, "resolved_level", 4, 1 },
};

static drv_stmt *query(drv_conn *raw, const char *sql, const char *lo, const char *hi,
                           int64_t from, int64_t to)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(raw, sql, false, &s));
  assert_cbc_ok(drv_bind_text(s, 1, lo, -1));
  assert_cbc_ok(drv_bind_text(s, 2, hi, -1));
  assert_cbc_ok(drv_bind_int64(s, 3, from));
  assert_cbc_ok(drv_bind_int64(s, 4, to));
  return s;
}

static int64_t count_of(drv_conn *raw, const char *sql, const char *lo, const char *hi,
                        int64_t from, int64_t to)
{
  drv_stmt *s = query(raw, sql, lo, hi, from, to);
  assert_int_equal(drv_step(s, "the oracle"), DRV_ROW);
  int64_t n = drv_column_int64(s, 0);
  drv_finalize(s);
  return n;
}

static int64_t cell_of(drv_conn *raw, size_t d, int value, const char *lo, const char *hi,
                       int64_t from, int64_t to)
{
  char sql[512];
  const char *t = dims[d].closed ? "closed_at" : "reported_at";
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM hazards WHERE %s = %d AND %s >= ?3"
           " AND %s < ?4%s" SUBTREE, dims[d].expr, value, t, t,
           dims[d].closed ? " AND state = 5" : "");
  return count_of(raw, sql, lo, hi, from, to);
}

/* The mean and median days to close of the hazards closed in the period. */
static void days_of(drv_conn *raw, const char *lo, const char *hi, int64_t from, int64_t to,
                    double *mean, double *median)
{
  drv_stmt *s = query(raw, "SELECT closed_at - reported_at FROM hazards WHERE state = 5"
                               " AND closed_at >= ?3 AND closed_at < ?4" SUBTREE " ORDER BY 1",
                          lo, hi, from, to);
  int64_t v[MAX_HAZARDS];
  size_t n = 0;
  double sum = 0;
  while (drv_step(s, "the oracle") == DRV_ROW) {
    v[n] = drv_column_int64(s, 0);
    sum += (double)v[n++] / 86400.0;
  }
  drv_finalize(s);
  *mean = n ? sum / (double)n : 0;
  *median = !n ? 0 : n % 2 ? (double)v[n / 2] / 86400.0
                           : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2 / 86400.0;
}

static int64_t cell(const cbc_stats_breakdown *b, cbc_stats_dimension d, int value)
{
  for (size_t i = 0; i < b->n_counts; i++)
    if (b->counts[i].dimension == d && b->counts[i].value == value)
      return b->counts[i].count;
  fail_msg("no cell %d/%d", (int)d, value);
  return -1;
}

/* The breakdown of @p unit for @p p equals its definitions; returns the
 * hazards it counted as reported (to show the comparisons saw some). */
static int64_t assert_breakdown(cbc_db *db, int64_t unit, const cbc_period *p)
{
  drv_conn *raw = db->store->conn;
  char lo[128], hi[128];
  drv_stmt *s = query(raw, "SELECT path FROM units WHERE id = ?3", "", "", unit, 0);
  assert_int_equal(drv_step(s, "the oracle"), DRV_ROW);
  snprintf(lo, sizeof(lo), "%s", drv_column_text(s, 0));
  drv_finalize(s);
  snprintf(hi, sizeof(hi), "%s", lo);
  hi[strlen(hi) - 1] = '0'; /* '/a/b/' .. '/a/b0' */
  cbc_stats_breakdown *b;
  assert_cbc_ok(cbc_stats_breakdown_get(&b, db, unit, p));
  const int64_t got[7] = { b->reported, b->rejected,       b->rectified, b->closed,
                           b->closed_on_time, b->overdue_at_end, b->reopens };
  for (int f = 0; f < 7; f++)
    if (got[f] != count_of(raw, figure_sql[f], lo, hi, b->from, b->to))
      fail_msg("unit %lld, [%lld, %lld): figure %d is %lld, its query %lld", (long long)unit,
               (long long)b->from, (long long)b->to, f, (long long)got[f],
               (long long)count_of(raw, figure_sql[f], lo, hi, b->from, b->to));
  size_t cells = 0;
  for (size_t d = 0; d < sizeof(dims) / sizeof(dims[0]); d++)
    for (int v = 1; v <= dims[d].max; v++, cells++)
      assert_int_equal(cell(b, dims[d].dimension, v), cell_of(raw, d, v, lo, hi, b->from, b->to));
  assert_int_equal(b->n_counts, cells);
  double mean, median;
  days_of(raw, lo, hi, b->from, b->to, &mean, &median);
  assert_true(b->mean_days_to_close == mean && b->median_days_to_close == median);
  int64_t reported = b->reported;
  cbc_stats_breakdown_free(b);
  return reported;
}

static const char *const units[] = { "R1", "E1", "W1", "T1", "T2", "W2", "E2", "T9" };

static void test_breakdown_equals_definitions(void **state)
{
  (void)state;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    history *h = calloc(1, sizeof(*h));
    assert_non_null(h);
    h->rng = seed * 0x9E3779B97F4A7C15ull + 1;
    h->db = cbc_test_db(&now);
    cbc_test_seed_org(h->db);
    cbc_test_seed_second_enterprise(h->db, "R1");
    live(h, 1500);
    /* the history reached every path the figures tell apart */
    assert_true(h->rejects > 0 && h->fails > 0 && h->reviews > 0);
    assert_true(h->moves[CBC_HAZARD_CLOSED] > 10 && h->n >= 300);
    cbc_period periods[14 + 5 + 2 + 1];
    size_t np = 0;
    for (int m = 0; m < 14; m++)
      periods[np++] = (cbc_period){ CBC_PERIOD_MONTH, 2024 + m / 12, m % 12 + 1, 0, 0 };
    for (int q = 0; q < 5; q++)
      periods[np++] = (cbc_period){ CBC_PERIOD_QUARTER, 2024 + q / 4, q % 4 + 1, 0, 0 };
    periods[np++] = (cbc_period){ CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
    periods[np++] = (cbc_period){ CBC_PERIOD_YEAR, 2025, 0, 0, 0 };
    periods[np++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, cbc_test_date(2024, 3, 15) + 3600,
                                  cbc_test_date(2024, 7, 2) };
    int64_t seen = 0;
    size_t compared = 0;
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
      for (size_t p = 0; p < np; p++, compared++)
        seen += assert_breakdown(h->db, cbc_test_unit_id(h->db, units[u]), &periods[p]);
    print_message("seed %llu: %d hazards (%d rejected, %d failed verifications, %d reviews, "
                  "%d closings); %zu breakdowns compared, %lld reported hazards counted\n",
                  (unsigned long long)seed, h->n, h->rejects, h->fails, h->reviews,
                  h->moves[CBC_HAZARD_CLOSED], compared, (long long)seen);
    assert_true(seen > 0);
    cbc_db_close(h->db);
    free(h);
  }
}

/* Every allocation of a breakdown (its SQL's too) failing in turn: CBC_ENOMEM
 * and no breakdown, until one runs without a failure and counts the same. */
static void test_breakdown_allocation_failures(void **state)
{
  (void)state;
  history *h = calloc(1, sizeof(*h));
  assert_non_null(h);
  h->rng = 7;
  cbc_test_alloc_install(1);
  h->db = cbc_test_db(&now);
  cbc_test_seed_org(h->db);
  cbc_test_seed_second_enterprise(h->db, "R1");
  live(h, 600);
  cbc_period year = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  int64_t r1 = cbc_test_unit_id(h->db, "R1");
  cbc_stats_breakdown *want;
  assert_cbc_ok(cbc_stats_breakdown_get(&want, h->db, r1, &year));
  assert_true(want->closed > 0);
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_stats_breakdown *b = (cbc_stats_breakdown *)1;
    cbc_test_fail_after(n);
    int rc = cbc_stats_breakdown_get(&b, h->db, r1, &year);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (!failed) {
      assert_cbc_ok(rc);
      assert_true(b->closed == want->closed && b->reported == want->reported &&
                  b->median_days_to_close == want->median_days_to_close);
      cbc_stats_breakdown_free(b);
      break;
    }
    if (rc) {
      assert_int_equal(rc, CBC_ENOMEM);
      assert_null(b);
    } else {
      cbc_stats_breakdown_free(b); /* SQLite recovered from its failed allocation */
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points > 0);
  cbc_stats_breakdown_free(want);
  cbc_db_close(h->db);
  cbc_test_alloc_uninstall();
  free(h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_breakdown_equals_definitions),
    cmocka_unit_test(test_breakdown_allocation_failures),
  };
  return cmocka_run_group_tests_name("breakdown", tests, NULL, NULL);
}
