/* The hazard statistics table (include/cbc/stats.h, docs/statistics.md "The
 * hazard table"): every figure of a fixture whose figures were worked out
 * by hand, per enterprise, rolled up over a region and by industry; the
 * renderings; bad arguments.  Runs on either engine (CBC_TEST_ENGINE). */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

#define HOUR 3600
#define DAY (24 * HOUR)

static int64_t now;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* A hazard of @p unit at @p when: reported by @p who, or an anonymous
 * tip-off when @p who is NULL. */
static int64_t report(cbc_db *db, const char *who, const char *unit, int64_t when,
                      cbc_severity severity)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = who ? E(db, who) : 0;
  r.unit_id = U(db, unit);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = who ? CBC_SOURCE_SELF_CHECK : CBC_SOURCE_HOTLINE;
  r.proposed_severity = severity;
  now = when;
  int64_t id;
  char *key = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &key, db, &r));
  cbc_free(key);
  return id;
}

/* Register @p id at @p when: a major hazard at ENTERPRISE level with its
 * plan by the principal, a general one at TEAM level by the leader. */
static void registered(cbc_db *db, int64_t id, cbc_severity severity, int64_t funds_fen,
                       int64_t when)
{
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = severity;
  g.level = severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.funds_fen = funds_fen;
  g.deadline = when + 60 * DAY;
  g.contingency_plan = "警示";
  g.plan = severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
  now = when;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, severity == CBC_SEVERITY_MAJOR ? "P1" : "L1"),
                                    &g));
}

/* Rectify and verify registered hazard @p id at @p when. */
static void closed(cbc_db *db, int64_t id, int64_t when)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  int64_t responsible = h->responsible_id;
  cbc_hazard_free(h);
  now = when - 2 * HOUR;
  assert_cbc_ok(cbc_hazard_start(db, id, responsible));
  now = when - HOUR;
  assert_cbc_ok(cbc_hazard_submit(db, id, responsible, "已整改", NULL, 0));
  now = when;
  const char *verifier = responsible == E(db, "P1") ? "S1" : "P1";
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, verifier), 1, NULL, NULL, 0));
}

static void add_enterprise(cbc_db *db, const char *ext, const char *industry,
                           const char *team)
{
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  int64_t id;
  u.external_id = ext;
  u.parent_external_id = "R1";
  u.kind = CBC_UNIT_ENTERPRISE;
  u.name = ext;
  u.industry = industry;
  assert_cbc_ok(cbc_unit_upsert(&id, db, &u));
  u.external_id = team;
  u.parent_external_id = ext;
  u.kind = CBC_UNIT_TEAM;
  u.name = team;
  u.industry = NULL;
  assert_cbc_ok(cbc_unit_upsert(&id, db, &u));
}

/* The fixture, Q1 2026 being the period the figures below are for:
 *   E1 (metallurgy, the seed org's steelworks):
 *     h0 major, reported 2025-12-20, plan and 2,000,000 fen, closed 03-20
 *     h1 general, 01-10, closed 02-01          h2 general, 01-20, open
 *     h3 major, 02-05, plan and 1,250,000 fen, closed 04-05 (after Q1)
 *     h4 rejected, 03-01                       h5 general, 04-02 (after Q1)
 *   E3 (metallurgy): h6 an anonymous tip-off proposed general, 03-10
 *   E2 (chemicals):  h7 an anonymous tip-off proposed major, 03-15
 *   E4 (no industry): h8 an anonymous tip-off proposed general, 01-05 */
static cbc_db *fixture(void)
{
  now = cbc_test_date(2025, 12, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  add_enterprise(db, "E2", "chemicals", "T9");
  add_enterprise(db, "E3", "metallurgy", "T8");
  add_enterprise(db, "E4", NULL, "T7");
  int64_t h0 = report(db, "A1", "T1", cbc_test_date(2025, 12, 20), CBC_SEVERITY_MAJOR);
  registered(db, h0, CBC_SEVERITY_MAJOR, 2000000, cbc_test_date(2025, 12, 21));
  int64_t h8 = report(db, NULL, "T7", cbc_test_date(2026, 1, 5), CBC_SEVERITY_GENERAL);
  int64_t h1 = report(db, "A1", "T1", cbc_test_date(2026, 1, 10), CBC_SEVERITY_GENERAL);
  registered(db, h1, CBC_SEVERITY_GENERAL, 0, cbc_test_date(2026, 1, 11));
  int64_t h2 = report(db, "A2", "T1", cbc_test_date(2026, 1, 20), CBC_SEVERITY_GENERAL);
  registered(db, h2, CBC_SEVERITY_GENERAL, 0, cbc_test_date(2026, 1, 21));
  closed(db, h1, cbc_test_date(2026, 2, 1));
  int64_t h3 = report(db, "A1", "T1", cbc_test_date(2026, 2, 5), CBC_SEVERITY_MAJOR);
  registered(db, h3, CBC_SEVERITY_MAJOR, 1250000, cbc_test_date(2026, 2, 6));
  int64_t h4 = report(db, "A2", "T1", cbc_test_date(2026, 3, 1), CBC_SEVERITY_GENERAL);
  now = cbc_test_date(2026, 3, 2);
  assert_cbc_ok(cbc_hazard_reject(db, h4, E(db, "L1"), "不是隐患", 0));
  report(db, NULL, "T8", cbc_test_date(2026, 3, 10), CBC_SEVERITY_GENERAL);
  report(db, NULL, "T9", cbc_test_date(2026, 3, 15), CBC_SEVERITY_MAJOR);
  closed(db, h0, cbc_test_date(2026, 3, 20));
  report(db, "A1", "T2", cbc_test_date(2026, 4, 2), CBC_SEVERITY_GENERAL);
  closed(db, h3, cbc_test_date(2026, 4, 5));
  (void)h8;
  now = cbc_test_date(2026, 6, 1);
  return db;
}

/* A row's figures, in figure order, as a line to compare. */
static void figures(const cbc_hazard_table_row *row, char *out, size_t size)
{
  size_t n = 0;
  for (int f = CBC_HT_UNITS_CHECKED; f <= CBC_HAZARD_TABLE_FIGURE_COUNT && n < size; f++)
    n += (size_t)snprintf(out + n, size - n, "%s%lld", f > 1 ? " " : "",
                          (long long)cbc_hazard_table_value(row, (cbc_hazard_table_figure)f));
}

static void assert_row(const cbc_hazard_table_row *row, const char *industry, const char *want)
{
  char got[256];
  assert_non_null(row);
  if (industry)
    assert_string_equal(row->industry, industry);
  else
    assert_null(row->industry);
  figures(row, got, sizeof(got));
  assert_string_equal(got, want);
}

static cbc_hazard_table *table_of(cbc_db *db, const char *unit, cbc_period p)
{
  cbc_hazard_table *t = NULL;
  assert_cbc_ok(cbc_hazard_table_get(&t, db, U(db, unit), &p));
  assert_non_null(t);
  return t;
}

static const cbc_period q1 = { CBC_PERIOD_QUARTER, 2026, 1, 0, 0 };

/* Figures: units checked; general found, rectified; major found,
 * rectified; plan majors, its six items, funds in fen. */
static void test_enterprise_quarter(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_hazard_table *t = table_of(db, "E1", q1);
  /* found in Q1: h1 h2 general (h1 rectified), h3 major (closed after Q1);
   * h4 rejected checks the unit but is no hazard; plan: h0 (open at the
   * start of Q1) and h3, 2 + 1.25 万元 */
  assert_row(t->total, NULL, "1 2 1 1 0 2 2 2 2 2 2 2 3250000");
  assert_int_equal(t->n_industries, 1);
  assert_row(t->industries[0], "metallurgy", "1 2 1 1 0 2 2 2 2 2 2 2 3250000");
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_GENERAL), 500);
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_MAJOR), 0);
  cbc_hazard_table_free(t);
  /* Q2: h5 found; h3 closed in it but found in Q1; the plan's h3 open at
   * Q2's start, h0 closed before it */
  cbc_period q2 = { CBC_PERIOD_QUARTER, 2026, 2, 0, 0 };
  t = table_of(db, "E1", q2);
  assert_row(t->total, NULL, "1 1 0 0 0 1 1 1 1 1 1 1 1250000");
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_MAJOR), -1);
  cbc_hazard_table_free(t);
  cbc_db_close(db);
}

/* The region: E1, E3 and E4's general hazards, E2's major one; by
 * industry, "" (E4) first in byte order, then chemicals, metallurgy (E1
 * and E3: two units checked). */
static void test_region_by_industry(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_hazard_table *t = table_of(db, "R1", q1);
  assert_row(t->total, NULL, "4 4 1 2 0 2 2 2 2 2 2 2 3250000");
  assert_int_equal(t->n_industries, 3);
  assert_row(t->industries[0], "", "1 1 0 0 0 0 0 0 0 0 0 0 0");
  assert_row(t->industries[1], "chemicals", "1 0 0 1 0 0 0 0 0 0 0 0 0");
  assert_row(t->industries[2], "metallurgy", "2 3 1 1 0 2 2 2 2 2 2 2 3250000");
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_GENERAL), 250);
  cbc_hazard_table_free(t);
  /* the year: h0 counted found in 2025, h5 in 2026 */
  cbc_period y = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 };
  t = table_of(db, "R1", y);
  assert_row(t->total, NULL, "4 5 1 2 1 2 2 2 2 2 2 2 3250000");
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_MAJOR), 500);
  cbc_hazard_table_free(t);
  /* a team below E1: T2's one hazard of the year (h5) */
  t = table_of(db, "T2", y);
  assert_row(t->total, NULL, "1 1 0 0 0 0 0 0 0 0 0 0 0");
  cbc_hazard_table_free(t);
  cbc_db_close(db);
}

static char *rendered(cbc_db *db, const cbc_hazard_table *t, cbc_stats_format format)
{
  char *out = NULL;
  assert_cbc_ok(cbc_hazard_table_render(&out, db, t, format));
  assert_non_null(out);
  return out;
}

static void test_renderings(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_hazard_table *t = table_of(db, "R1", q1);
  char *text = rendered(db, t, CBC_STATS_TEXT);
  assert_non_null(strstr(text, "生产经营单位事故隐患排查治理情况统计分析表\n"));
  assert_non_null(strstr(text, "统计期间：2026-01-01 至 2026-03-31"));
  assert_non_null(strstr(text, "【行业：未填行业】"));
  assert_non_null(strstr(text, "一般事故隐患整改率"));
  assert_non_null(strstr(text, "25.0%\n"));
  assert_non_null(strstr(text, "3.25\n")); /* 3,250,000 fen in 万元 */
  assert_non_null(strstr(text, "—\n"));    /* E4 found no major hazard */
  cbc_free(text);
  char *json = rendered(db, t, CBC_STATS_JSON);
  assert_non_null(strstr(json, "\"title\":\"生产经营单位事故隐患排查治理情况统计分析表\""));
  assert_non_null(strstr(json, "\"total\":{\"units_checked\":4,\"general_found\":4,"));
  assert_non_null(strstr(json, "\"general_rate\":25.0") || strstr(json, "\"general_rate\":25,"));
  assert_non_null(strstr(json, "{\"industry\":\"chemicals\",\"units_checked\":1,"));
  assert_non_null(strstr(json, "\"general_rate\":null"));
  assert_non_null(strstr(json, "\"plan_funds_fen\":\"落实治理资金（分）\""));
  cbc_free(json);
  char *csv = rendered(db, t, CBC_STATS_CSV);
  assert_true(strncmp(csv, "unit_id,unit,from,last,row,industry,figure,label,value\r\n", 56) ==
              0);
  char line[256];
  snprintf(line, sizeof(line), "%lld,\"Jinan district\",2026-01-01,2026-03-31,industry,"
           "\"metallurgy\",units_checked,\"排查治理单位数\",2\r\n", (long long)U(db, "R1"));
  assert_non_null(strstr(csv, line));
  assert_non_null(strstr(csv, ",total,\"\",general_rate,\"一般事故隐患整改率\",25.0\r\n"));
  assert_non_null(strstr(csv, ",industry,\"chemicals\",general_rate,\"一般事故隐患整改率\",\r\n"));
  cbc_free(csv);
  cbc_hazard_table_free(t);
  cbc_db_close(db);
}

/* An empty subtree and period; bad arguments change nothing and say why. */
static void test_empty_and_bad_arguments(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 6, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_hazard_table *t = table_of(db, "E1", q1);
  assert_row(t->total, NULL, "0 0 0 0 0 0 0 0 0 0 0 0 0");
  assert_int_equal(t->n_industries, 0);
  assert_int_equal(cbc_hazard_table_rate(t->total, CBC_SEVERITY_GENERAL), -1);
  char *out = NULL;
  assert_cbc_error(cbc_hazard_table_render(&out, db, t, (cbc_stats_format)9), CBC_EINVAL,
                   "format");
  assert_null(out);
  cbc_hazard_table bad = *t;
  bad.total = NULL;
  assert_cbc_error(cbc_hazard_table_render(&out, db, &bad, CBC_STATS_TEXT), CBC_EINVAL,
                   "misses a row");
  cbc_hazard_table_row odd = { (char *)"\xff", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  cbc_hazard_table_row *rows[] = { &odd };
  bad = *t;
  bad.n_industries = 1;
  bad.industries = rows;
  assert_cbc_error(cbc_hazard_table_render(&out, db, &bad, CBC_STATS_JSON), CBC_EINVAL,
                   "UTF-8");
  cbc_hazard_table_free(t);
  cbc_hazard_table *none = NULL;
  assert_cbc_error(cbc_hazard_table_get(&none, db, 999999, &q1), CBC_ENOTFOUND, NULL);
  cbc_period wrong = { CBC_PERIOD_QUARTER, 2026, 5, 0, 0 };
  assert_cbc_error(cbc_hazard_table_get(&none, db, U(db, "E1"), &wrong), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_table_get(&none, db, U(db, "E1"), NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_table_get(NULL, db, U(db, "E1"), &q1), CBC_EINVAL, NULL);
  assert_null(none);
  assert_int_equal(cbc_hazard_table_value(NULL, CBC_HT_UNITS_CHECKED), -1);
  assert_int_equal(cbc_hazard_table_rate(NULL, CBC_SEVERITY_MAJOR), -1);
  cbc_hazard_table_free(NULL);
  cbc_db_close(db);
}

/* Every allocation failing in turn (every stride-th under valgrind), the
 * table's and its rendering's: CBC_ENOMEM and nothing out, or the table
 * whole; nothing leaked. */
static void test_allocation_failures(void **state)
{
  (void)state;
  cbc_test_alloc_install(1);
  cbc_db *db = fixture();
  int64_t region = U(db, "R1");
  long stride = cbc_test_fault_stride(), points = 0, n = 1;
  for (;; n += stride) {
    cbc_hazard_table *t = NULL;
    char *out = NULL;
    cbc_test_fail_after(n);
    int rc = cbc_hazard_table_get(&t, db, region, &q1);
    if (!rc)
      rc = cbc_hazard_table_render(&out, db, t, CBC_STATS_JSON);
    bool failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      assert_true(failed);
      assert_int_equal(rc, CBC_ENOMEM);
      assert_null(out);
      points++;
    } else {
      assert_non_null(strstr(out, "\"units_checked\":4"));
    }
    cbc_free(out);
    cbc_hazard_table_free(t);
    if (!failed)
      break;
  }
  print_message("hazard table: %ld failure points of %ld allocations\n", points, n);
  assert_true(points > 0);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_enterprise_quarter),
    cmocka_unit_test(test_region_by_industry),
    cmocka_unit_test(test_renderings),
    cmocka_unit_test(test_empty_and_bad_arguments),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests_name("hazard_table", tests, NULL, NULL);
}
