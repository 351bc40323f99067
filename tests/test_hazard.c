/* The hazard ledger: reporting, history, replay (docs/domain.md §2–3). */
#include "helpers.h"
#include "hazard_internal.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static int setup(void **state)
{
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

static const char *sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

static cbc_hazard_record record(cbc_db *db)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = cbc_test_employee_id(db, "A1");
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = "轧机防护罩缺失";
  r.description = "2号轧机传动部位防护罩拆下后未复位";
  r.location = "轧钢车间 2号线";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.observed_at = now - 3600;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}


static void test_report_named(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = record(db);
  cbc_attachment photo = { 1, "https://files.example/h/1.jpg", "image/jpeg", 123456, sha };
  r.attachments = &photo;
  r.n_attachments = 1;
  int64_t id = 0;
  char *key = (char *)1;
  assert_cbc_ok(cbc_hazard_report(&id, &key, db, &r));
  assert_null(key);
  assert_true(id > 0);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  assert_int_equal(h->state, CBC_HAZARD_REPORTED);
  assert_int_equal(h->reporter_id, r.reporter_id);
  assert_int_equal(h->unit_id, r.unit_id);
  assert_int_equal(h->enterprise_id, cbc_test_unit_id(db, "E1"));
  assert_string_equal(h->title, r.title);
  assert_string_equal(h->location, r.location);
  assert_int_equal(h->check_item, CBC_CHECK_EQUIPMENT_GUARDING);
  assert_int_equal(h->observed_at, now - 3600);
  assert_int_equal(h->reported_at, now);
  assert_int_equal(h->severity, 0);
  assert_int_equal(h->level, 0);
  assert_int_equal(h->n_attachments, 1);
  assert_string_equal(h->attachments[0].uri, photo.uri);
  assert_string_equal(h->attachments[0].sha256, sha);
  assert_int_equal(h->attachments[0].stage, CBC_STAGE_REPORT);
  assert_int_equal(h->attachments[0].size, 123456);
  assert_int_equal(h->attachments[0].added_by, r.reporter_id);
  cbc_hazard_free(h);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 1);
  assert_int_equal(ev[0].action, CBC_ACTION_REPORT);
  assert_int_equal(ev[0].from_state, 0);
  assert_int_equal(ev[0].to_state, CBC_HAZARD_REPORTED);
  assert_int_equal(ev[0].actor_id, r.reporter_id);
  assert_non_null(strstr(ev[0].data, "\"title\":\"轧机防护罩缺失\""));
  cbc_hazard_events_free(ev, n);
  cbc_test_assert_replay(db, id);
}

static void test_report_anonymous(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = record(db);
  r.reporter_id = 0;
  int64_t id;
  char *key = NULL;
  assert_cbc_error(cbc_hazard_report(&id, &key, db, &r), CBC_EINVAL, "only hotline");
  r.source = CBC_SOURCE_HOTLINE;
  assert_cbc_error(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL, "out_followup");
  assert_cbc_ok(cbc_hazard_report(&id, &key, db, &r));
  assert_int_equal(strlen(key), 32);
  char *key2 = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &key2, db, &r));
  assert_string_not_equal(key, key2);
  cbc_free(key);
  cbc_free(key2);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  assert_int_equal(h->reporter_id, 0);
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);
}

static void expect_refused(cbc_db *db, cbc_hazard_record *r, int code, const char *needle)
{
  int64_t id = 0;
  char *key = NULL;
  assert_cbc_error(cbc_hazard_report(&id, &key, db, r), code, needle);
  assert_null(key);
  cbc_hazard *h = NULL;
  assert_int_equal(cbc_hazard_lookup(&h, db, 1), CBC_ENOTFOUND); /* nothing was written */
}

static void test_report_bad_input(void **state)
{
  cbc_db *db = *state;
  char long_title[CBC_MAX_TITLE + 2];
  memset(long_title, 't', sizeof(long_title) - 1);
  long_title[sizeof(long_title) - 1] = '\0';
  static char long_text[CBC_MAX_TEXT + 2];
  memset(long_text, 'd', sizeof(long_text) - 1);
  long_text[sizeof(long_text) - 1] = '\0';
  cbc_attachment good = { 1, "file:///a.jpg", "image/jpeg", 1, sha };
  cbc_hazard_record r;
#define CASE(edit, code, needle) \
  do { r = record(db); edit; expect_refused(db, &r, code, needle); } while (0)
  CASE(r.version = 0, CBC_EINVAL, "version 0");
  CASE(r.version = CBC_HAZARD_RECORD_VERSION + 1, CBC_EINVAL, "newer");
  CASE(r.title = "", CBC_EINVAL, "title is empty");
  CASE(r.title = long_title, CBC_EINVAL, "title is 301 bytes");
  CASE(r.description = long_text, CBC_EINVAL, "description is 8001 bytes");
  CASE(r.location = "\xff", CBC_EINVAL, "location is not valid UTF-8");
  CASE(r.kind = 3, CBC_EINVAL, "unknown hazard kind");
  CASE(r.category = 0, CBC_EINVAL, "unknown hazard category");
  CASE(r.check_item = 7, CBC_EINVAL, "unknown check item");
  CASE(r.source = 8, CBC_EINVAL, "unknown hazard source");
  CASE(r.proposed_severity = 3, CBC_EINVAL, "unknown severity");
  CASE(r.observed_at = now + 1, CBC_EINVAL, "future");
  CASE(r.observed_at = -1, CBC_EINVAL, "future or negative");
  CASE(r.unit_id = 0, CBC_EINVAL, "invalid reporter or unit");
  CASE(r.unit_id = 999, CBC_ENOTFOUND, "unit 999");
  CASE(r.unit_id = cbc_test_unit_id(db, "R1"), CBC_ESTATE, "not part of an enterprise");
  CASE(r.reporter_id = 999, CBC_ENOTFOUND, "employee 999");
  CASE((r.attachments = NULL, r.n_attachments = 1), CBC_EINVAL, "attachments is NULL");
  CASE((r.attachments = &good, r.n_attachments = CBC_MAX_ATTACHMENTS + 1), CBC_EINVAL,
       "the limit is 32");
  cbc_attachment bad[] = {
    { 1, NULL, "image/jpeg", 1, sha }, { 1, "u", "jpeg", 1, sha }, { 1, "u", "image/", 1, sha },
    { 1, "u", "image/jpeg", -1, sha }, { 1, "u", "image/jpeg", 1, "ABC" },
    { 0, "u", "image/jpeg", 1, sha },
  };
  const char *needles[] = { "uri is empty", "media_type", "media_type", "size is negative",
                            "sha256", "version 0" };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CASE((r.attachments = &bad[i], r.n_attachments = 1), CBC_EINVAL, needles[i]);
#undef CASE
  /* an inactive reporter may not act; a closed unit takes no reports */
  cbc_hazard_record ok = record(db);
  assert_cbc_ok(cbc_employee_deactivate(db, ok.reporter_id, 0));
  expect_refused(db, &ok, CBC_EPERM, "inactive employees cannot act");
  ok = record(db);
  ok.reporter_id = cbc_test_employee_id(db, "B1");
  ok.unit_id = cbc_test_unit_id(db, "T1");
  const char *people[] = { "L1", "A2" };
  for (int i = 0; i < 2; i++)
    assert_cbc_ok(cbc_employee_deactivate(db, cbc_test_employee_id(db, people[i]), 0));
  assert_cbc_ok(cbc_unit_close(db, ok.unit_id));
  expect_refused(db, &ok, CBC_ESTATE, "closed");
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_report(NULL, NULL, NULL, &ok), CBC_EINVAL, NULL);
  cbc_hazard *h;
  assert_cbc_error(cbc_hazard_lookup(&h, db, 42), CBC_ENOTFOUND, "hazard 42");
  assert_cbc_error(cbc_hazard_lookup(NULL, db, 1), CBC_EINVAL, NULL);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_error(cbc_hazard_history(&ev, &n, db, 42), CBC_ENOTFOUND, NULL);
  cbc_hazard_free(NULL);
  cbc_hazard_events_free(NULL, 0);
}

static void test_history_is_append_only(void **state)
{
  (void)state;
  const char *path = cbc_test_path("append.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_hazard_record r = record(db);
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &r));
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "UPDATE hazard_events SET at = 0", NULL, NULL, NULL),
                   SQLITE_CONSTRAINT);
  assert_int_equal(sqlite3_exec(raw, "DELETE FROM hazard_events", NULL, NULL, NULL),
                   SQLITE_CONSTRAINT);
  sqlite3_close(raw);
  cbc_test_unlink(path);
}

/* A version-1 database (the org only) is upgraded step by step. */
/* Undo schema steps 6 (rewards), 5 (statistics) and 4 (activities) on a raw
 * connection. */
#define DROP_ACTIVITIES                                                            \
  "DROP TABLE policies; DROP TABLE awards; DROP TABLE fines;"                    \
  "DROP INDEX hazards_duplicate;"                                                \
  "DROP TABLE stat_months; DROP TABLE participation; DROP TABLE settings;"       \
  "DROP INDEX hazards_closed; DROP INDEX hazards_reported;"                      \
  "DROP INDEX hazard_events_listing;"                                            \
  "DROP TABLE proposals; DROP TABLE visits; DROP TABLE cadre_assignments;"       \
  "DROP TABLE drill_teams; DROP TABLE drills; DROP TABLE training_attendees;"    \
  "DROP TABLE trainings;"

static void test_migration_from_v1(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v1.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 CBC_TEST_UNDO_V7 DROP_ACTIVITIES
                                     "DROP TABLE hazard_attachments;"
                                     "DROP TABLE hazard_events; DROP TABLE hazards;"
                                     "PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_true(cbc_test_unit_id(db, "T1") > 0); /* the org survived */
  cbc_hazard_record r = record(db);
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &r));
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A version-2 file (open-deadline index over an IN list) migrates to 3. */
static void test_migration_from_v2(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v2.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 CBC_TEST_UNDO_V7 DROP_ACTIVITIES
                                     "DROP INDEX hazards_reporter_time;"
                                     "CREATE INDEX hazards_reporter ON hazards(reporter_id)"
                                     " WHERE reporter_id IS NOT NULL;"
                                     "DROP INDEX hazards_open_deadline; CREATE INDEX "
                                     "hazards_open_deadline ON hazards(deadline) WHERE state IN "
                                     "(2, 3, 4); PRAGMA user_version=2", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  cbc_db_close(db);
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT sql FROM sqlite_schema WHERE name = "
                                           "'hazards_open_deadline'", -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_non_null(strstr((const char *)sqlite3_column_text(s, 0), "BETWEEN 2 AND 4"));
  sqlite3_finalize(s);
  sqlite3_close(raw);
  cbc_test_unlink(path);
}

/* Org data cached by one handle follows changes made through another:
 * a single call, then a group of two org changes (on PostgreSQL the change
 * counter moves once per transaction: the group's second change, and the
 * next transaction's, must still be seen). */
static void test_cache_sees_other_connections(void **state)
{
  (void)state;
  char path[600];
  snprintf(path, sizeof(path), "%s", cbc_test_target("two.db"));
  cbc_db *a = cbc_test_db_file(path, &now), *b = cbc_test_db_file(path, &now);
  cbc_test_seed_org(a);
  cbc_hazard_record r = record(a);
  int64_t h1, h2;
  assert_cbc_ok(cbc_hazard_report(&h1, NULL, a, &r)); /* a caches the reporter */
  assert_cbc_ok(cbc_employee_deactivate(b, r.reporter_id, 0));
  assert_cbc_error(cbc_hazard_report(&h2, NULL, a, &r), CBC_EPERM, "inactive");
  for (int round = 0; round < 2; round++) {
    r.reporter_id = cbc_test_employee_id(a, round ? "B1" : "A2");
    r.unit_id = cbc_test_unit_id(a, round ? "T2" : "T1");
    assert_cbc_ok(cbc_hazard_report(&h2, NULL, a, &r));
    assert_cbc_ok(cbc_db_begin(b));
    assert_cbc_ok(cbc_unit_rename(b, cbc_test_unit_id(b, "T2"), round ? "二班" : "三班"));
    assert_cbc_ok(cbc_employee_deactivate(b, r.reporter_id, 0));
    assert_cbc_ok(cbc_db_commit(b));
    assert_cbc_error(cbc_hazard_report(&h2, NULL, a, &r), CBC_EPERM, "inactive");
  }
  cbc_db_close(a);
  cbc_db_close(b);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_report_named, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_anonymous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_bad_input, setup, teardown),
    cmocka_unit_test(test_history_is_append_only),
    cmocka_unit_test(test_migration_from_v1),
    cmocka_unit_test(test_migration_from_v2),
    cmocka_unit_test(test_cache_sees_other_connections),
  };
  return cmocka_run_group_tests_name("hazard", tests, NULL, NULL);
}
