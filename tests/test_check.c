/* The integrity check (cbc_db_check): a sound database has no findings;
 * each kind of damage made with raw SQL through a separate connection (a
 * hazard row that disagrees with its history, a history that cannot be
 * replayed, an aggregate off by one, a corrupt page) is found and named; a
 * file that is not a libcbc database is refused at open; the check reads
 * only, and survives allocation failures without false findings. */
#include "helpers.h"
#include "invariants.h"
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

static int64_t report(cbc_db *db, const char *unit)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = cbc_test_unit_id(db, unit);
  r.title = "消防通道堵塞";
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_FIXED_POSITION;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  return id;
}

/* A few hazards in several states, a training session, over two months. */
static void populate(cbc_db *db)
{
  cbc_test_seed_org(db);
  int64_t l1 = E(db, "L1"), s1 = E(db, "S1");
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = CBC_SEVERITY_GENERAL;
  reg.level = CBC_LEVEL_TEAM;
  reg.measures = "清理通道";
  reg.funds_fen = 100;
  reg.contingency_plan = "专人值守";
  for (int i = 0; i < 4; i++) {
    int64_t id = report(db, "T1");
    now += 3600;
    reg.deadline = now + 7 * DAY;
    assert_cbc_ok(cbc_hazard_register(db, id, l1, &reg));
    if (i >= 1)
      assert_cbc_ok(cbc_hazard_start(db, id, l1));
    if (i >= 2)
      assert_cbc_ok(cbc_hazard_submit(db, id, l1, "已清理", NULL, 0));
    if (i >= 3)
      assert_cbc_ok(cbc_hazard_verify(db, id, s1, 1, NULL, NULL, 0));
    now += 20 * DAY;
  }
  int64_t rejected = report(db, "T2");
  assert_cbc_ok(cbc_hazard_reject(db, rejected, E(db, "L2"), "重复", 0));
  cbc_attendee a = { E(db, "A1"), 1 };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.unit_id = cbc_test_unit_id(db, "E1");
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.title = "消防知识";
  t.minutes = 90;
  t.held_at = now - DAY;
  t.attendees = &a;
  t.n_attendees = 1;
  assert_cbc_ok(cbc_training_add(NULL, db, &t));
}

static cbc_check_report *check(cbc_db *db, unsigned int flags)
{
  cbc_check_report *r = NULL;
  assert_cbc_ok(cbc_db_check(&r, db, flags));
  assert_non_null(r);
  return r;
}

static void print_findings(const cbc_check_report *r)
{
  for (size_t i = 0; i < r->count; i++)
    print_message("  %s %lld: %s\n", cbc_finding_kind_name(r->findings[i].kind),
                  (long long)r->findings[i].object_id, r->findings[i].message);
}

/* The findings of @p kind, each about @p object_id (-1: any). */
static size_t findings(const cbc_check_report *r, cbc_finding_kind kind, int64_t object_id)
{
  size_t n = 0;
  for (size_t i = 0; i < r->count; i++)
    if (r->findings[i].kind == kind)
      n += object_id < 0 || r->findings[i].object_id == object_id;
  return n;
}

static bool mentions(const cbc_check_report *r, const char *needle)
{
  for (size_t i = 0; i < r->count; i++)
    if (strstr(r->findings[i].message, needle))
      return true;
  return false;
}

/* A database file with the population, closed (its WAL checkpointed). */
static const char *populated_file(const char *name)
{
  now = cbc_test_date(2026, 1, 10) + 9 * 3600;
  const char *path = cbc_test_path(name);
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  populate(db);
  cbc_db_close(db);
  return path;
}

/* Damage the file with raw SQL through a separate connection. */
static void raw_sql(const char *path, const char *sql)
{
  sqlite3 *raw;
  char *err = NULL;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  if (sqlite3_exec(raw, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err);
  assert_int_equal(sqlite3_changes(raw) > 0 || strncmp(sql, "PRAGMA", 6) == 0, 1);
  sqlite3_close(raw);
}

static void test_sound(void **state)
{
  (void)state;
  const char *path = populated_file("check-sound.db");
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(db, 0);
  print_findings(r);
  assert_int_equal(r->count, 0);
  assert_null(r->findings);
  assert_int_equal(r->hazards_checked, 5);
  assert_int_equal(r->forms_compared, 7u * 17); /* every unit, the year 2026 */
  cbc_check_report_free(r);
  r = check(db, CBC_CHECK_FILE);
  assert_int_equal(r->hazards_checked + r->forms_compared + r->count, 0);
  cbc_check_report_free(r);
  r = check(db, CBC_CHECK_HISTORIES);
  assert_int_equal(r->hazards_checked, 5);
  assert_int_equal(r->forms_compared, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
  /* a read-only handle checks too */
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  r = check(db, CBC_CHECK_ALL);
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

static void test_empty_and_bad_arguments(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 1, 10);
  cbc_db *db = cbc_test_db(&now);
  cbc_check_report *r = check(db, 0);
  assert_int_equal(r->count + r->hazards_checked + r->forms_compared, 0);
  cbc_check_report_free(r);
  r = (cbc_check_report *)1;
  assert_cbc_error(cbc_db_check(&r, db, CBC_CHECK_ALL + 1), CBC_EINVAL, "unknown check flags");
  assert_null(r);
  assert_cbc_error(cbc_db_check(&r, db, 1u << 31), CBC_EINVAL, "unknown check flags");
  assert_cbc_error(cbc_db_check(NULL, db, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_check(&r, NULL, 0), CBC_EINVAL, NULL);
  cbc_check_report_free(NULL);
  assert_string_equal(cbc_finding_kind_name(CBC_FINDING_FILE), "FILE");
  assert_string_equal(cbc_finding_kind_name(CBC_FINDING_HISTORY), "HISTORY");
  assert_string_equal(cbc_finding_kind_name(CBC_FINDING_STATS), "STATS");
  assert_null(cbc_finding_kind_name((cbc_finding_kind)0));
  assert_null(cbc_finding_kind_name((cbc_finding_kind)4));
  cbc_db_close(db);
}

/* A row that disagrees with its history: each field named; the check
 * repairs nothing. */
static void test_row_against_history(void **state)
{
  (void)state;
  const char *path = populated_file("check-row.db");
  raw_sql(path, "UPDATE hazards SET funds_fen = funds_fen + 1 WHERE id = 2;"
                "UPDATE hazards SET measures = 'tampered' WHERE id = 3;"
                "UPDATE hazards SET state = 5 WHERE id = 1");
  cbc_db *db = cbc_test_db_file(path, &now);
  for (int pass = 0; pass < 2; pass++) { /* the same twice: nothing was repaired */
    cbc_check_report *r = check(db, 0);
    print_findings(r);
    assert_int_equal(r->count, 3);
    assert_int_equal(findings(r, CBC_FINDING_HISTORY, 1), 1);
    assert_int_equal(findings(r, CBC_FINDING_HISTORY, 2), 1);
    assert_int_equal(findings(r, CBC_FINDING_HISTORY, 3), 1);
    assert_true(mentions(r, "hazard 2: its funds_fen is 101 where its history gives 100"));
    assert_true(mentions(r, "hazard 3: its measures"));
    assert_true(mentions(r, "hazard 1: its state is 5"));
    assert_int_equal(r->hazards_checked, 5);
    cbc_check_report_free(r);
  }
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A hazard whose report time is set back behind the hazard before it, with
 * the ledger's setting left saying ids follow report times: the file
 * check finds it (the ledger would miss it in a period's page). */
static void test_report_order_setting(void **state)
{
  (void)state;
  const char *path = populated_file("check-order.db");
  raw_sql(path, "UPDATE hazards SET reported_at = reported_at - 40 * 86400 WHERE id = 3;"
                "UPDATE settings SET value = 1 WHERE key = 'hazard_ids_in_report_order'");
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(db, CBC_CHECK_FILE);
  print_findings(r);
  assert_int_equal(r->count, 1);
  assert_int_equal(r->findings[0].kind, CBC_FINDING_FILE);
  assert_true(mentions(r, "hazard 3 was reported before the hazard before it"));
  cbc_check_report_free(r);
  cbc_db_close(db);
  /* with the setting off, the order is nobody's promise */
  raw_sql(path, "UPDATE settings SET value = 0 WHERE key = 'hazard_ids_in_report_order'");
  db = cbc_test_db_file(path, &now);
  r = check(db, CBC_CHECK_FILE);
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Every row the library writes carries its tenant (docs/scale-out.md):
 * the record's unit's enterprise, or the unit itself above enterprises;
 * a hazard's, a training's rows their parent's.  On either engine. */
static void test_tenants_written(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 1, 10) + 9 * 3600;
  cbc_db *db = cbc_test_db(&now);
  populate(db); /* hazards of T1, a training of E1 */
  cbc_attendee a = { E(db, "A1"), 1 };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.title = "班前会";
  t.minutes = 30;
  t.held_at = now - DAY;
  t.attendees = &a;
  t.n_attendees = 1;
  int64_t by_team = 0, by_region = 0;
  t.unit_id = cbc_test_unit_id(db, "T1"); /* T1 < W1 < E1 */
  assert_cbc_ok(cbc_training_add(&by_team, db, &t));
  t.unit_id = cbc_test_unit_id(db, "R1");
  assert_cbc_ok(cbc_training_add(&by_region, db, &t));
  int64_t e1 = cbc_test_unit_id(db, "E1"), r1 = cbc_test_unit_id(db, "R1");
  char sql[160];
  snprintf(sql, sizeof(sql), "SELECT enterprise_id FROM trainings WHERE id = %lld",
           (long long)by_team);
  assert_int_equal(cbc_test_sql_int(db, sql), e1);
  snprintf(sql, sizeof(sql), "SELECT enterprise_id FROM training_attendees"
           " WHERE training_id = %lld", (long long)by_team);
  assert_int_equal(cbc_test_sql_int(db, sql), e1);
  snprintf(sql, sizeof(sql), "SELECT enterprise_id FROM trainings WHERE id = %lld",
           (long long)by_region); /* a region node's own training is its own */
  assert_int_equal(cbc_test_sql_int(db, sql), r1);
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM hazard_events WHERE enterprise_id = %lld",
           (long long)e1);
  assert_true(cbc_test_sql_int(db, sql) >= 4);
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM hazard_events e JOIN hazards h"
                                        " ON h.id = e.hazard_id"
                                        " WHERE e.enterprise_id <> h.enterprise_id"), 0);
  cbc_check_report *r = check(db, CBC_CHECK_FILE);
  print_findings(r);
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
}

/* The check of @p flags of @p path after @p sql damaged it, printed; the
 * handle it ran on in @p db. */
static cbc_check_report *check_damaged(const char *path, const char *sql, unsigned int flags,
                                       cbc_db **db)
{
  raw_sql(path, sql);
  *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(*db, flags);
  print_findings(r);
  return r;
}

/* Tenant keys edited behind the library's back: a record's tenant that is
 * no unit (0, what an insert leaving the column out writes on SQLite), a
 * history event and an attendance whose tenant is not their parent's. */
static void test_tenant_damaged(void **state)
{
  (void)state;
  const char *path = populated_file("check-tenant.db");
  cbc_db *db;
  cbc_check_report *r = check_damaged(
    path, "UPDATE trainings SET enterprise_id = 0;"
          "UPDATE training_attendees SET enterprise_id = enterprise_id + 1;"
          "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state, to_state,"
          " level, data, enterprise_id) SELECT 1, max(at), 1, 15, 2, 2, 2, '{}', 999"
          " FROM hazard_events WHERE hazard_id = 1", CBC_CHECK_FILE, &db);
  assert_int_equal(r->count, 3);
  assert_int_equal(findings(r, CBC_FINDING_FILE, 0), 3);
  assert_true(mentions(r, "1 rows of trainings carry a tenant (enterprise_id) that is no"
                          " enterprise or region node"));
  assert_true(mentions(r, "1 rows of training_attendees carry another tenant (enterprise_id)"
                          " than their training"));
  assert_true(mentions(r, "1 rows of hazard_events carry another tenant (enterprise_id) than"
                          " their hazard"));
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A history that cannot be replayed: an event appended that the
 * transition table forbids, and one whose data is damaged. */
static void test_history_damaged(void **state)
{
  (void)state;
  const char *path = populated_file("check-history.db");
  cbc_db *db;
  cbc_check_report *r = check_damaged(
    path, "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state, to_state,"
          " level, data) SELECT 4, max(at), 1, 4, 5, 3, 2, '{}'"
          " FROM hazard_events WHERE hazard_id = 4;"
          "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state, to_state,"
          " level, data) SELECT 1, max(at), 1, 15, 2, 2, 2, '{\"amended\":2}'"
          " FROM hazard_events WHERE hazard_id = 1", CBC_CHECK_HISTORIES, &db);
  assert_int_equal(r->count, 2);
  assert_int_equal(findings(r, CBC_FINDING_HISTORY, 4), 1);
  assert_int_equal(findings(r, CBC_FINDING_HISTORY, 1), 1);
  assert_true(mentions(r, "START is not allowed in state CLOSED"));
  assert_true(mentions(r, "damaged amendment"));
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* cbc_stats_rebuild() leaves nothing for the check to find; the database
 * at @p path is closed and removed. */
static void rebuild_repairs(cbc_db *db, const char *path)
{
  assert_cbc_ok(cbc_stats_rebuild(db));
  cbc_check_report *r = check(db, 0);
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* An aggregate off by one in @p table (stat_months: an enterprise's month;
 * stat_rollups: the region's roll-up of it): found in the forms that read
 * it, the month, its quarter and the year of @p unit_ext's, and nowhere
 * else; cbc_stats_rebuild() repairs it. */
static void aggregate_off_by_one(const char *table, const char *unit_ext)
{
  const char *path = populated_file("check-stats.db");
  char sql[512];
  snprintf(sql, sizeof(sql), "UPDATE %s SET found = found + 1 WHERE (month, unit_id) = "
           "(SELECT month, unit_id FROM %s WHERE found > 0 ORDER BY month LIMIT 1)", table,
           table);
  raw_sql(path, sql);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(db, 0);
  print_findings(r);
  assert_int_equal(findings(r, CBC_FINDING_STATS, cbc_test_unit_id(db, unit_ext)), 3);
  assert_int_equal(r->count, 3);
  assert_true(mentions(r, "2026-01: hazards_found is 3 in the aggregates but 2 in the records"));
  /* the quarter and the year as cbc_period_format() writes them */
  assert_true(mentions(r, "2026-Q1: hazards_found is"));
  assert_true(mentions(r, ", 2026: hazards_found is"));
  cbc_check_report_free(r);
  rebuild_repairs(db, path);
}

static void test_aggregate_off_by_one(void **state)
{
  (void)state;
  aggregate_off_by_one("stat_months", "E1");
}

static void test_rollup_off_by_one(void **state)
{
  (void)state;
  aggregate_off_by_one("stat_rollups", "R1");
}

/* An enterprise's active months kept wrong (stat_active: a month flipped,
 * or the year's row gone) change no form today, but would count it as
 * running, or not, in its regions' later forms: the check names the
 * enterprise and the year; cbc_stats_rebuild() repairs it. */
static void active_months_damaged(const char *sql)
{
  const char *path = populated_file("check-active.db");
  raw_sql(path, sql);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(db, 0);
  print_findings(r);
  assert_int_equal(r->count, 1);
  assert_int_equal(findings(r, CBC_FINDING_STATS, cbc_test_unit_id(db, "E1")), 1);
  assert_true(mentions(r, ", 2026: the months it was active in are kept wrong (stat_active"));
  cbc_check_report_free(r);
  rebuild_repairs(db, path);
}

static void test_active_months_damaged(void **state)
{
  (void)state;
  active_months_damaged("UPDATE stat_active SET months = (months | 2048) - (months & 2048)"
                        " WHERE unit_id = (SELECT id FROM units WHERE external_id = 'E1')");
  active_months_damaged("DELETE FROM stat_active"
                        " WHERE unit_id = (SELECT id FROM units WHERE external_id = 'E1')");
}

/* A corrupt page of an index: SQLite's check names it. */
static void test_corrupt_page(void **state)
{
  (void)state;
  const char *path = populated_file("check-page.db");
  sqlite3 *raw;
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT (SELECT rootpage FROM sqlite_schema WHERE "
                                           "name = 'hazards_open_deadline'), "
                                           "(SELECT page_size FROM pragma_page_size)",
                                      -1, &s, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  long root = (long)sqlite3_column_int64(s, 0), page = (long)sqlite3_column_int64(s, 1);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  assert_true(root > 1 && page >= 512);
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  unsigned char garbage[64];
  memset(garbage, 0xA5, sizeof(garbage));
  assert_int_equal(fseek(f, (root - 1) * page, SEEK_SET), 0);
  assert_int_equal(fwrite(garbage, 1, sizeof(garbage), f), sizeof(garbage));
  fclose(f);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_check_report *r = check(db, 0);
  print_findings(r);
  assert_true(findings(r, CBC_FINDING_FILE, 0) >= 1);
  assert_true(mentions(r, "integrity_check: "));
  cbc_check_report_free(r);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Files that are not libcbc databases are refused at open. */
static void test_not_a_database(void **state)
{
  (void)state;
  const char *path = cbc_test_path("check-text.db");
  cbc_test_write_file(path, "this is a text file, not a database\n");
  cbc_db *db = NULL;
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_ECORRUPT, NULL);
  assert_null(db);
  cbc_test_unlink(path);
  path = cbc_test_path("check-other.db");
  cbc_test_unlink(path);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL,
                                NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_ECORRUPT, "not a libcbc database");
  assert_null(db);
  cbc_test_unlink(path);
}

/* Fail the n-th allocation of each check of @p flags, for n = 1, 1 + step,
 * ...: the check fails with CBC_ENOMEM or completes, and never reports a
 * finding that is not there.  Returns the failure points that failed it. */
static long sweep(cbc_db *db, unsigned int flags, long step, long *allocations)
{
  long n = 1, failures = 0;
  for (;; n += step) {
    cbc_check_report *r = NULL;
    cbc_test_fail_after(n);
    int rc = cbc_db_check(&r, db, flags);
    bool failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      assert_true(failed);
      assert_int_equal(rc, CBC_ENOMEM);
      assert_null(r);
      failures++;
    } else {
      if (r->count)
        print_findings(r);
      assert_int_equal(r->count, 0);
    }
    cbc_check_report_free(r);
    if (!failed)
      break;
  }
  *allocations = n;
  return failures;
}

/* The file and the histories at every failure point (every stride-th
 * under valgrind); the statistics, which compute hundreds of forms, at
 * every 41st. */
static void test_allocation_failures(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 1, 10) + 9 * 3600;
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  populate(db);
  long stride = cbc_test_fault_stride(), n_histories, n_stats;
  long f_histories = sweep(db, CBC_CHECK_FILE | CBC_CHECK_HISTORIES, stride, &n_histories);
  long f_stats = sweep(db, CBC_CHECK_STATS, 41 * stride, &n_stats);
  print_message("check: file and histories %ld failure points of %ld allocations, "
                "statistics %ld of %ld\n", f_histories, n_histories, f_stats, n_stats);
  assert_true(f_histories > 0 && f_stats > 0);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sound),
    cmocka_unit_test(test_empty_and_bad_arguments),
    cmocka_unit_test(test_row_against_history),
    cmocka_unit_test(test_report_order_setting),
    cmocka_unit_test(test_history_damaged),
    cmocka_unit_test(test_tenants_written),
    cmocka_unit_test(test_tenant_damaged),
    cmocka_unit_test(test_aggregate_off_by_one),
    cmocka_unit_test(test_rollup_off_by_one),
    cmocka_unit_test(test_active_months_damaged),
    cmocka_unit_test(test_corrupt_page),
    cmocka_unit_test(test_not_a_database),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
