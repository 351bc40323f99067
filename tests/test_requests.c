/* Request keys: writes a host can retry safely (docs/integration.md,
 * "Retrying safely").  A retry returns the first result and writes
 * nothing; the same key with other arguments is refused; a failed call
 * records nothing. */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <string.h>

#define DAY 86400
static int64_t now = 1719800000; /* 2024-07-01 */

static int setup(void **state)
{
  now = 1719800000;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static int64_t count_of(cbc_db *db, const char *table)
{
  char sql[200];
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
  return cbc_test_sql_int(db, sql);
}

static cbc_hazard_record named(cbc_db *db, const char *key)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = U(db, "T1");
  r.title = "轧机防护罩缺失";
  r.description = "2号轧机传动部位防护罩拆下后未复位";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SNAPSHOT;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  r.request_key = key;
  return r;
}

static void test_report_retry_returns_first_id(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = named(db, "phone-7f3a:report-1");
  int64_t first = 0, again = 0;
  assert_cbc_ok(cbc_hazard_report(&first, NULL, db, &r));
  int64_t rows = cbc_test_all_rows(db);
  now += 300; /* the phone retries after a time-out */
  assert_cbc_ok(cbc_hazard_report(&again, NULL, db, &r));
  assert_int_equal(again, first);
  assert_int_equal(cbc_test_all_rows(db), rows);
  assert_int_equal(count_of(db, "hazards"), 1);
  /* the same arguments without a key are a new report */
  r.request_key = NULL;
  assert_cbc_ok(cbc_hazard_report(&again, NULL, db, &r));
  assert_int_not_equal(again, first);
}

static void test_same_key_other_arguments(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = named(db, "k-1");
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &r));
  int64_t rows = cbc_test_all_rows(db);
  r.title = "另一个隐患";
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &r), CBC_ECONFLICT,
                   "request key was used for a hazard report with other arguments");
  r.title = "轧机防护罩缺失";
  r.observed_at = now - 60;
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &r), CBC_ECONFLICT, NULL);
  assert_int_equal(cbc_test_all_rows(db), rows);
}

static void test_bad_request_keys(void **state)
{
  cbc_db *db = *state;
  char longest[CBC_MAX_REQUEST_KEY + 2];
  memset(longest, 'k', sizeof(longest) - 1);
  longest[sizeof(longest) - 1] = '\0';
  const char *bad[] = { "", "two\nlines", "\xff\xfe", longest };
  int64_t rows = cbc_test_all_rows(db);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cbc_hazard_record r = named(db, bad[i]);
    assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &r), CBC_EINVAL, "request_key");
    assert_cbc_error(cbc_cadre_assign_keyed(NULL, db, E(db, "C1"), U(db, "E1"), now - DAY, 0,
                                            bad[i]), CBC_EINVAL, "request_key");
  }
  assert_int_equal(cbc_test_all_rows(db), rows);
  longest[CBC_MAX_REQUEST_KEY] = '\0'; /* exactly the limit */
  cbc_hazard_record r = named(db, longest);
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &r));
}

/* A failed first attempt records nothing: the retry applies it, once. */
static void test_failed_first_attempt(void **state)
{
  (void)state;
  const char *path = cbc_test_path("retry.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.busy_timeout_ms = 0;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  cbc_db *phone = NULL;
  assert_cbc_ok(cbc_db_open(&phone, path, &o));
  assert_cbc_ok(cbc_db_begin(db)); /* another writer holds the lock */
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "C1"), U(db, "R1"), now - DAY, 0));
  cbc_hazard_record r = named(phone, "retry-1");
  assert_cbc_error(cbc_hazard_report(NULL, NULL, phone, &r), CBC_EBUSY, NULL);
  assert_cbc_ok(cbc_db_commit(db));
  int64_t id = 0, again = 0;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, phone, &r));
  assert_cbc_ok(cbc_hazard_report(&again, NULL, phone, &r));
  assert_int_equal(again, id);
  assert_int_equal(count_of(phone, "hazards"), 1);
  /* a call refused by a check records nothing either */
  cbc_hazard_record gone = named(phone, "retry-2");
  gone.unit_id = 4242;
  assert_cbc_error(cbc_hazard_report(NULL, NULL, phone, &gone), CBC_ENOTFOUND, NULL);
  gone.unit_id = U(db, "T2"); /* other arguments: a new request, not a conflict */
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, phone, &gone));
  assert_int_equal(count_of(phone, "hazards"), 2);
  cbc_db_close(phone);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Keys are scoped per kind of call. */
static void test_kinds_independent(void **state)
{
  cbc_db *db = *state;
  const char *key = "shared-key";
  cbc_hazard_record r = named(db, key);
  int64_t hazard = 0, visit = 0, assignment = 0;
  assert_cbc_ok(cbc_hazard_report(&hazard, NULL, db, &r));
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, "E1");
  v.visited_at = now - DAY;
  v.findings = "消防通道堆放杂物";
  v.request_key = key;
  assert_cbc_ok(cbc_visit_add(&visit, db, &v));
  assert_cbc_ok(cbc_cadre_assign_keyed(&assignment, db, E(db, "C1"), U(db, "E1"), now - DAY, 0,
                                       key));
  /* fixed on the spot: a kind of its own, retried like a report */
  int64_t fixed = 0, again = 0;
  assert_cbc_ok(cbc_hazard_fix_on_spot(&fixed, db, &r, "已复位", NULL, 0));
  assert_int_not_equal(fixed, hazard);
  int64_t rows = cbc_test_all_rows(db);
  assert_cbc_ok(cbc_hazard_fix_on_spot(&again, db, &r, "已复位", NULL, 0));
  assert_int_equal(again, fixed);
  assert_int_equal(cbc_test_all_rows(db), rows);
  assert_cbc_error(cbc_hazard_fix_on_spot(NULL, db, &r, "已更换", NULL, 0), CBC_ECONFLICT,
                   "fix on the spot");
  assert_int_equal(count_of(db, "hazards"), 2);
  assert_int_equal(count_of(db, "visits"), 1);
  assert_int_equal(count_of(db, "cadre_assignments"), 1);
  assert_int_equal(count_of(db, "requests"), 4);
}

/* In a group, the key is recorded with the call: it answers retries in the
 * group and after the commit, and a rolled-back group forgets it. */
static void test_keys_in_groups(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = named(db, "group-1");
  int64_t id = 0, again = 0;
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(count_of(db, "hazards"), 0);
  assert_int_equal(count_of(db, "requests"), 0);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r)); /* applied anew */
  assert_cbc_ok(cbc_hazard_report(&again, NULL, db, &r));
  assert_int_equal(again, id);
  assert_cbc_ok(cbc_db_commit(db));
  assert_cbc_ok(cbc_hazard_report(&again, NULL, db, &r));
  assert_int_equal(again, id);
  assert_int_equal(count_of(db, "hazards"), 1);
}

static cbc_hazard_record anonymous(cbc_db *db, const char *key)
{
  cbc_hazard_record r = named(db, key);
  r.reporter_id = 0;
  r.source = CBC_SOURCE_HOTLINE;
  return r;
}

/* An anonymous report retried: the same hazard, and a new follow-up key in
 * place of the first (the library keeps no key to hand out again; only the
 * client holding the request key can retry, and it never saw the first). */
static void test_anonymous_retry_gets_new_key(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = anonymous(db, "hotline-call-42");
  int64_t id = 0, again = 0;
  char *first = NULL, *second = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &first, db, &r));
  int64_t rows = cbc_test_all_rows(db);
  assert_cbc_ok(cbc_hazard_report(&again, &second, db, &r));
  assert_int_equal(again, id);
  assert_int_equal(cbc_test_all_rows(db), rows);
  assert_non_null(second);
  assert_string_not_equal(first, second);
  cbc_hazard_answer *a = NULL;
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, first), CBC_ENOTFOUND, NULL);
  assert_cbc_ok(cbc_hazard_answer_by_key(&a, db, second));
  assert_int_equal(a->hazard_id, id);
  cbc_hazard_answer_free(a);
  /* a named report with the same key is other arguments */
  cbc_hazard_record n = named(db, "hotline-call-42");
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &n), CBC_ECONFLICT, NULL);
  cbc_free(first);
  cbc_free(second);
}

static void test_activity_retries(void **state)
{
  cbc_db *db = *state;
  cbc_attendee att[2] = { { E(db, "A1"), 1 }, { E(db, "L1"), 0 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = U(db, "T1");
  t.held_at = now - DAY;
  t.minutes = 90;
  t.title = "全员安全培训";
  t.attendees = att;
  t.n_attendees = 2;
  t.request_key = "training-1";
  int64_t team = U(db, "T1");
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, "W1");
  d.held_at = now - DAY;
  d.scenario = "火灾疏散";
  d.team_ids = &team;
  d.n_teams = 1;
  d.request_key = "drill-1";
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, "E1");
  v.visited_at = now - DAY;
  v.findings = "第一段\n第二段";
  v.request_key = "visit-1";
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "A2");
  p.title = "金点子";
  p.text = "加装护栏";
  p.request_key = "proposal-1";
  int64_t ids[5], again[5];
  for (int round = 0; round < 2; round++) {
    int64_t *out = round ? again : ids;
    int64_t rows = cbc_test_all_rows(db);
    assert_cbc_ok(cbc_training_add(&out[0], db, &t));
    assert_cbc_ok(cbc_drill_add(&out[1], db, &d));
    assert_cbc_ok(cbc_visit_add(&out[2], db, &v));
    assert_cbc_ok(cbc_proposal_submit(&out[3], db, &p));
    assert_cbc_ok(cbc_cadre_assign_keyed(&out[4], db, E(db, "C1"), U(db, "E1"), now - DAY, 0,
                                         "assign-1"));
    if (round)
      assert_int_equal(cbc_test_all_rows(db), rows);
  }
  for (int i = 0; i < 5; i++)
    assert_int_equal(again[i], ids[i]);
  int64_t rows = cbc_test_all_rows(db);
  att[1].passed = 1;
  assert_cbc_error(cbc_training_add(NULL, db, &t), CBC_ECONFLICT, "training");
  d.held_at -= 60;
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_ECONFLICT, "drill");
  v.findings = "第一段";
  assert_cbc_error(cbc_visit_add(NULL, db, &v), CBC_ECONFLICT, "visit");
  p.text = "加装护栏和警示牌";
  assert_cbc_error(cbc_proposal_submit(NULL, db, &p), CBC_ECONFLICT, "proposal");
  assert_cbc_error(cbc_cadre_assign_keyed(NULL, db, E(db, "C1"), U(db, "R1"), now - DAY, 0,
                                          "assign-1"), CBC_ECONFLICT, "cadre assignment");
  assert_int_equal(cbc_test_all_rows(db), rows);
  /* without a key, the unkeyed call is unchanged: a second assignment overlaps */
  assert_cbc_error(cbc_cadre_assign_keyed(NULL, db, E(db, "C1"), U(db, "E1"), now - DAY, 0,
                                          NULL), CBC_ECONFLICT, "already assigned");
}

/* Callers built against version 1 of a record (no request_key) still work,
 * and the init functions write no byte past a version-1 struct. */
typedef struct visit_v1 {
  unsigned int version;
  int64_t cadre_id, unit_id, visited_at;
  const char *findings;
} visit_v1;

static void test_version_1_records(void **state)
{
  cbc_db *db = *state;
  struct {
    visit_v1 v;
    unsigned char canary[32];
  } buf;
  memset(&buf, 0xA5, sizeof(buf));
  assert_cbc_ok(cbc_visit_record_init((cbc_visit_record *)&buf.v, 1));
  for (size_t i = offsetof(cbc_visit_record, request_key); i < sizeof(buf); i++)
    assert_int_equal(((unsigned char *)&buf)[i], 0xA5);
  buf.v.cadre_id = E(db, "C1");
  buf.v.unit_id = U(db, "E1");
  buf.v.visited_at = now - DAY;
  buf.v.findings = "";
  int64_t a = 0, b = 0;
  assert_cbc_ok(cbc_visit_add(&a, db, (const cbc_visit_record *)&buf.v));
  assert_cbc_ok(cbc_visit_add(&b, db, (const cbc_visit_record *)&buf.v));
  assert_int_not_equal(a, b); /* no key: two visits */
  cbc_sync_options o;
  memset(&o, 0xA5, sizeof(o));
  assert_cbc_ok(cbc_sync_options_init(&o, 1));
  assert_int_equal(((unsigned char *)&o)[offsetof(cbc_sync_options, request_key)], 0xA5);
  cbc_sync_result *res = NULL;
  assert_cbc_ok(cbc_org_sync(&res, db, NULL, 0, NULL, 0, &o)); /* request_key not read */
  cbc_sync_result_free(res);
}

static void test_sync_retry(void **state)
{
  cbc_db *db = *state;
  cbc_employee_record emps[] = {
    { 1, "N1", "Ma Li", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
    { 1, "N2", "Hu Jun", "roller", "T2", CBC_ROLE_WORKER, 1, 0 },
    { 1, "", "nobody", "", "T2", CBC_ROLE_WORKER, 1, 0 }, /* a row error */
  };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.request_key = "hr-batch-2024-07-01";
  cbc_sync_result *first = NULL, *again = NULL;
  assert_cbc_ok(cbc_org_sync(&first, db, NULL, 0, emps, 3, &o));
  assert_int_equal(first->employees.added, 2);
  assert_int_equal(first->error_count, 1);
  int64_t rows = cbc_test_all_rows(db);
  assert_cbc_ok(cbc_org_sync(&again, db, NULL, 0, emps, 3, &o));
  assert_int_equal(cbc_test_all_rows(db), rows);
  assert_memory_equal(&again->units, &first->units, sizeof(first->units));
  assert_memory_equal(&again->employees, &first->employees, sizeof(first->employees));
  assert_int_equal(again->error_count, 1);
  assert_int_equal(again->errors_kept, 0);
  assert_int_equal(again->applied, 1);
  cbc_sync_result_free(again);
  cbc_sync_result_free(first);
  emps[1].post = "crane operator";
  assert_cbc_error(cbc_org_sync(&again, db, NULL, 0, emps, 3, &o), CBC_ECONFLICT, "HR sync");
  assert_null(again);
  o.mode = CBC_SYNC_FULL; /* the options are arguments too */
  emps[1].post = "roller";
  assert_cbc_error(cbc_org_sync(&again, db, NULL, 0, emps, 3, &o), CBC_ECONFLICT, NULL);
  assert_int_equal(cbc_test_all_rows(db), rows);
}

static void test_import_retry(void **state)
{
  cbc_db *db = *state;
  const char *path = cbc_test_path("retry-employees.csv");
  cbc_test_write_file(path, "external_id,name,post,unit_external_id,roles,active,hire_date\n"
                            "N1,马力,轧钢工,T1,worker,1,2020-02-29\n");
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.request_key = "import-1";
  cbc_sync_result *res = NULL;
  assert_cbc_ok(cbc_org_import(&res, db, NULL, path, CBC_FORMAT_AUTO, &o, NULL, NULL));
  assert_int_equal(res->employees.added, 1);
  cbc_sync_result_free(res);
  int64_t rows = cbc_test_all_rows(db);
  assert_cbc_ok(cbc_org_import(&res, db, NULL, path, CBC_FORMAT_AUTO, &o, NULL, NULL));
  assert_int_equal(res->employees.added, 1);
  assert_int_equal(res->applied, 1);
  cbc_sync_result_free(res);
  assert_int_equal(cbc_test_all_rows(db), rows);
  /* a sync's keys are not an import's */
  cbc_sync_result *sync = NULL;
  assert_cbc_ok(cbc_org_sync(&sync, db, NULL, 0, NULL, 0, &o));
  cbc_sync_result_free(sync);
  cbc_test_write_file(path, "external_id,name,post,unit_external_id,roles,active,hire_date\n"
                            "N1,马力,天车工,T1,worker,1,2020-02-29\n");
  assert_cbc_error(cbc_org_import(&res, db, NULL, path, CBC_FORMAT_AUTO, &o, NULL, NULL),
                   CBC_ECONFLICT, "HR import");
  assert_null(res);
  cbc_test_unlink(path);
}

/* Allocation failures at every point of a keyed report leave nothing or
 * exactly one hazard, and the retry then answers with that one. */
static void test_allocation_failures_keyed_report(void **state)
{
  (void)state;
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_db *db = cbc_test_db(&now);
    cbc_test_seed_org(db);
    cbc_hazard_record r = anonymous(db, "sweep-key");
    int64_t id = 0, again = 0;
    char *key = NULL;
    cbc_test_fail_after(n);
    int rc = cbc_hazard_report(&id, &key, db, &r);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    int64_t hazards = count_of(db, "hazards");
    assert_true(hazards == (rc == 0 ? 1 : 0));
    assert_int_equal(count_of(db, "requests"), hazards);
    cbc_free(key);
    key = NULL;
    assert_cbc_ok(cbc_hazard_report(&again, &key, db, &r));
    if (rc == 0)
      assert_int_equal(again, id);
    assert_int_equal(count_of(db, "hazards"), 1);
    cbc_hazard_answer *a = NULL;
    assert_cbc_ok(cbc_hazard_answer_by_key(&a, db, key));
    assert_int_equal(a->hazard_id, again);
    cbc_hazard_answer_free(a);
    cbc_free(key);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride > 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_report_retry_returns_first_id, setup, teardown),
    cmocka_unit_test_setup_teardown(test_same_key_other_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_request_keys, setup, teardown),
    cmocka_unit_test(test_failed_first_attempt),
    cmocka_unit_test_setup_teardown(test_kinds_independent, setup, teardown),
    cmocka_unit_test_setup_teardown(test_keys_in_groups, setup, teardown),
    cmocka_unit_test_setup_teardown(test_anonymous_retry_gets_new_key, setup, teardown),
    cmocka_unit_test_setup_teardown(test_activity_retries, setup, teardown),
    cmocka_unit_test_setup_teardown(test_version_1_records, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sync_retry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_import_retry, setup, teardown),
    cmocka_unit_test(test_allocation_failures_keyed_report),
  };
  return cmocka_run_group_tests_name("requests", tests, NULL, NULL);
}
