/* Version, errors, the allocator and fault injection (include/cbc/common.h). */
#include "helpers.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static void test_version(void **state)
{
  (void)state;
  int major = -1, minor = -1, patch = -1;
  assert_string_equal(cbc_version(&major, &minor, &patch), CBC_VERSION_STRING);
  assert_int_equal(major, CBC_VERSION_MAJOR);
  assert_int_equal(minor, CBC_VERSION_MINOR);
  assert_int_equal(patch, CBC_VERSION_PATCH);
  assert_non_null(cbc_version(NULL, NULL, NULL));
  assert_int_equal(CBC_VERSION_NUMBER, (major << 16) | (minor << 8) | patch);
}

static void test_error_names_and_clear(void **state)
{
  (void)state;
  assert_string_equal(cbc_error_name(CBC_OK), "CBC_OK");
  assert_string_equal(cbc_error_name(CBC_ENOTFOUND), "CBC_ENOTFOUND");
  assert_string_equal(cbc_error_name(CBC_ITEROVER), "CBC_ITEROVER");
  assert_string_equal(cbc_error_name(-99), "unknown");
  assert_string_equal(cbc_error_name(5), "unknown");
  cbc_error_clear();
  assert_int_equal(cbc_error_last()->code, 0);
  assert_string_equal(cbc_error_last()->message, "no error");
  cbc_db *db;
  assert_int_equal(cbc_db_open(&db, NULL, NULL), CBC_EINVAL);
  assert_int_equal(cbc_error_last()->code, CBC_EINVAL);
  /* a success leaves the last error alone */
  assert_cbc_ok(cbc_db_open(&db, ":memory:", NULL));
  assert_int_equal(cbc_error_last()->code, CBC_EINVAL);
  cbc_db_close(db);
  cbc_free(NULL);
}

static void *other_thread(void *arg)
{
  (void)arg;
  cbc_error_clear();
  cbc_unit *u;
  cbc_unit_lookup(&u, NULL, 1);
  return NULL;
}

static void test_errors_are_per_thread(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  cbc_unit *u;
  assert_int_equal(cbc_unit_lookup(&u, db, 77), CBC_ENOTFOUND);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
  pthread_join(t, NULL);
  assert_int_equal(cbc_error_last()->code, CBC_ENOTFOUND);
  assert_non_null(strstr(cbc_error_last()->message, "77"));
  cbc_db_close(db);
}

static void test_allocator_arguments(void **state)
{
  (void)state;
  cbc_allocator a = CBC_ALLOCATOR_INIT;
  assert_cbc_error(cbc_allocator_set(&a, 0), CBC_EINVAL, "needs malloc_fn");
  a.version = 0;
  assert_cbc_error(cbc_allocator_set(&a, 0), CBC_EINVAL, "version 0");
  a.version = 9;
  assert_cbc_error(cbc_allocator_set(&a, 0), CBC_EINVAL, "newer");
  assert_cbc_error(cbc_allocator_set(NULL, 0x8), CBC_EINVAL, "flags");
  assert_cbc_ok(cbc_allocator_init(&a, CBC_ALLOCATOR_VERSION));
  assert_null(a.malloc_fn);
  assert_cbc_error(cbc_allocator_init(&a, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_allocator_init(NULL, 1), CBC_EINVAL, NULL);
  /* not while a database is open */
  cbc_db *db = cbc_test_db(&now);
  assert_cbc_error(cbc_allocator_set(NULL, 0), CBC_ESTATE, "while a database is open");
  cbc_db_close(db);
  assert_cbc_ok(cbc_allocator_set(NULL, 0));
}

/* Allocations counted while opening a database. */
static long allocations_of_open(int route_sqlite)
{
  cbc_test_alloc_install(route_sqlite);
  cbc_db *db = cbc_test_db(&now);
  long n = cbc_test_alloc_count();
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return n;
}

static void test_allocator_reaches_sqlite_only_when_asked(void **state)
{
  CBC_TEST_SQLITE_ONLY();
  (void)state;
  long own = allocations_of_open(0), both = allocations_of_open(1);
  assert_true(own >= 2);          /* the handle and the store */
  assert_true(both > own + 10);   /* SQLite's allocations come through too */
  /* failing the 3rd allocation hits SQLite's own when routed */
  cbc_test_alloc_install(1);
  cbc_test_fail_after(3);
  cbc_db *db = NULL;
  int rc = cbc_db_open(&db, ":memory:", NULL);
  assert_true(cbc_test_alloc_failed());
  assert_int_not_equal(rc, 0);
  assert_null(db);
  cbc_test_alloc_uninstall();
  /* without routing, a failure point past libcbc's own allocations is never reached */
  cbc_test_alloc_install(0);
  cbc_test_fail_after(own + 1);
  assert_cbc_ok(cbc_db_open(&db, ":memory:", NULL));
  assert_false(cbc_test_alloc_failed());
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

/* Iterate to the end; CBC_ITEROVER becomes 0. */
static int drain_units(cbc_unit_iter *it)
{
  const cbc_unit *u;
  int rc;
  while ((rc = cbc_unit_iter_next(&u, it)) == 0) {
  }
  cbc_unit_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

static int drain_employees(cbc_employee_iter *it)
{
  const cbc_employee *e;
  int rc;
  while ((rc = cbc_employee_iter_next(&e, it)) == 0) {
  }
  cbc_employee_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* A batch sync; when it fails because of the injected failure, nothing of it
 * may be left behind. */
static int scenario_sync(cbc_db *db)
{
  cbc_unit_record units[] = {
    { 1, "E", NULL, CBC_UNIT_ENTERPRISE, "Works", "chem", 1 },
    { 1, "W", "E", CBC_UNIT_WORKSHOP, "W", NULL, 0 },
    { 1, "T", "W", CBC_UNIT_TEAM, "T", NULL, 0 },
    { 1, "T2", "W", CBC_UNIT_TEAM, "T2", NULL, 0 },
  };
  cbc_employee_record emps[] = {
    { 1, "a", "A", "p", "T", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { 1, "b", "B", "p", "T", 0, 1, 0 },
  };
  cbc_sync_options so = CBC_SYNC_OPTIONS_INIT;
  so.flags = CBC_SYNC_STRICT;
  so.mode = CBC_SYNC_FULL;
  cbc_sync_result *res = NULL;
  int rc = cbc_org_sync(&res, db, units, 4, emps, 2, &so);
  cbc_sync_result_free(res);
  if (rc && cbc_test_alloc_failed()) {
    cbc_unit *left = NULL;
    assert_int_equal(cbc_unit_lookup_external(&left, db, "E"), CBC_ENOTFOUND);
  }
  return rc;
}

/* Single-record calls and queries. */
static int scenario_single(cbc_db *db)
{
  cbc_unit_record r = { 1, "T3", "W", CBC_UNIT_TEAM, "T3", NULL, 0 };
  cbc_employee_record er = { 1, "c", "C", NULL, "T3", 0, 1, 0 };
  int64_t t3 = 0, c = 0, who;
  unsigned int roles;
  cbc_unit_iter *ui;
  cbc_employee_iter *ei;
  int rc = cbc_unit_upsert(&t3, db, &r);
  if (!rc)
    rc = cbc_employee_upsert(&c, db, &er);
  if (!rc)
    rc = cbc_unit_rename(db, t3, "Team three");
  if (!rc)
    rc = cbc_employee_transfer(db, c, 3, 0);
  if (!rc)
    rc = cbc_unit_close(db, t3);
  if (!rc)
    rc = cbc_unit_move(db, 4, 2);
  if (!rc)
    rc = cbc_employee_deactivate(db, c, 0);
  if (!rc && !(rc = cbc_unit_iter_subtree(&ui, db, 1)))
    rc = drain_units(ui);
  if (!rc && !(rc = cbc_unit_iter_children(&ui, db, 0)))
    rc = drain_units(ui);
  if (!rc && !(rc = cbc_employee_iter_subtree(&ei, db, 1, CBC_EMPLOYEE_ITER_INACTIVE)))
    rc = drain_employees(ei);
  if (!rc)
    rc = cbc_org_responsible(&who, db, 3, CBC_LEVEL_TEAM);
  if (!rc)
    rc = cbc_roles_parse(&roles, "worker|expert");
  return rc;
}

/* Lookups and history. */
static int scenario_lookups(cbc_db *db)
{
  cbc_employee *e = NULL;
  cbc_unit *u = NULL;
  cbc_employee_event *ev = NULL;
  size_t n;
  int rc = cbc_employee_lookup_external(&e, db, "b");
  if (!rc)
    rc = cbc_unit_lookup(&u, db, e->unit_id);
  if (!rc)
    rc = cbc_employee_history(&ev, &n, db, e->id);
  cbc_free(ev);
  cbc_unit_free(u);
  cbc_employee_free(e);
  return rc;
}

/* Everything a scenario does; returns the first failure. */
static int scenario(void)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  cbc_db *db;
  int rc = cbc_db_open(&db, ":memory:", &o);
  if (rc)
    return rc;
  rc = scenario_sync(db);
  if (!rc)
    rc = scenario_single(db);
  if (!rc)
    rc = scenario_lookups(db);
  if (!rc && !(rc = cbc_db_begin(db)))
    rc = cbc_db_commit(db);
  cbc_db_close(db);
  return rc;
}

/* Every allocation of the scenario fails once, in a scenario of its own
 * (each one creates a database: under valgrind the points are spread,
 * cbc_test_sweep_stride()). */
static void test_every_allocation_failure_is_clean(void **state)
{
  (void)state;
  cbc_test_alloc_install(1);
  assert_cbc_ok(scenario());
  long total = cbc_test_alloc_count();
  cbc_test_alloc_uninstall();
  long failures = 0, stride = cbc_test_sweep_stride(total);
  print_message("%ld allocations; failing every %ld-th\n", total, stride);
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_test_fail_after(n);
    int rc = scenario();
    int failed = cbc_test_alloc_failed();
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    failures++;
    if (rc != 0)
      assert_non_null(cbc_error_last()->message);
  }
  assert_true(failures * stride > 100); /* many allocations, each failed once */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_version),
    cmocka_unit_test(test_error_names_and_clear),
    cmocka_unit_test(test_errors_are_per_thread),
    cmocka_unit_test(test_allocator_arguments),
    cmocka_unit_test(test_allocator_reaches_sqlite_only_when_asked),
    cmocka_unit_test(test_every_allocation_failure_is_clean),
  };
  return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
