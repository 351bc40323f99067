/* Opening a PostgreSQL database (lib/store/schema_pg.c): an empty one is
 * created only when asked, and by one of several concurrent openers; a
 * database of other tables or of a newer libcbc is refused and left as it
 * was; a read-only handle reads and refuses writes.  Run under
 * scripts/with-postgres. */
#include "helpers.h"
#include "pg_helpers.h"
#include "store/driver.h"
#include "store/store.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int64_t now = 1700000000;
static char target[224];

static drv_conn *connect_to(void)
{
  drv_conn *c = NULL;
  const drv_options o = { false, false, 2000 };
  assert_cbc_ok(drv_open(&c, target, &o));
  return c;
}

static int64_t one_int(const char *sql)
{
  drv_conn *c = connect_to();
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(c, sql, false, &s));
  assert_int_equal(drv_step(s, "reading"), DRV_ROW);
  int64_t v = drv_column_int64(s, 0);
  drv_finalize(s);
  drv_close(c);
  return v;
}

static void exec_sql(const char *sql)
{
  drv_conn *c = connect_to();
  assert_cbc_ok(drv_exec(c, sql, "preparing"));
  drv_close(c);
}

static int64_t tables(void)
{
  return one_int("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
}

static int open_with(cbc_db **db, unsigned int flags)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = flags;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  return cbc_db_open(db, target, &o);
}

static int64_t add_unit(cbc_db *db, const char *external_id)
{
  int64_t id = 0;
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = external_id;
  r.name = external_id;
  r.kind = CBC_UNIT_REGION;
  assert_cbc_ok(cbc_unit_upsert(&id, db, &r));
  return id;
}

static int setup(void **state)
{
  (void)state;
  return cbc_test_pg_fresh("open", target, sizeof(target));
}

/* Without CBC_DB_CREATE an empty database is CBC_ENOTFOUND and stays
 * empty; with it the schema is made at the version this build writes. */
static void test_empty_database_is_created_when_asked(void **state)
{
  (void)state;
  cbc_db *db = NULL;
  assert_cbc_error(open_with(&db, 0), CBC_ENOTFOUND, "holds no libcbc schema");
  assert_null(db);
  assert_int_equal(tables(), 0);
  assert_cbc_ok(open_with(&db, CBC_DB_CREATE));
  int version = 0;
  assert_cbc_ok(cbc_db_schema_version(&version, db));
  assert_int_equal(version, CBC_STORE_SCHEMA_VERSION);
  add_unit(db, "R1");
  cbc_db_close(db);
  assert_int_equal(one_int("SELECT count(*) FROM units WHERE external_id = 'R1'"), 1);
}

/* A libcbc database in a schema of its own, named alone on the search
 * path while pg_trgm lives in public: created, and its text search works. */
static void test_schema_of_its_own(void **state)
{
  (void)state;
  exec_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
  exec_sql("CREATE SCHEMA own");
  char base[160];
  snprintf(base, sizeof(base), "%.159s", target);
  snprintf(target, sizeof(target), "%s?options=-csearch_path%%3Down", base);
  cbc_db *db = NULL;
  assert_cbc_ok(open_with(&db, CBC_DB_CREATE));
  cbc_test_seed_org(db);
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "配电箱";
  int64_t n = 0;
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  assert_int_equal(n, 1);
  cbc_db_close(db);
  assert_int_equal(one_int("SELECT count(*) FROM pg_tables WHERE schemaname = 'own'"
                           " AND tablename = 'hazards'"), 1);
  snprintf(target, sizeof(target), "%s", base);
}

/* A second open finds what the first wrote; a read-only handle reads it
 * and refuses to write. */
static void test_reopen_and_read_only(void **state)
{
  (void)state;
  cbc_db *db = NULL;
  assert_cbc_ok(open_with(&db, 0));
  cbc_unit *u = NULL;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "R1"));
  assert_string_equal(u->name, "R1");
  cbc_unit_free(u);
  cbc_db_close(db);
  assert_cbc_ok(open_with(&db, CBC_DB_READONLY));
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "R1"));
  cbc_unit_free(u);
  int64_t id = 0;
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = "R2";
  r.name = "R2";
  r.kind = CBC_UNIT_REGION;
  assert_cbc_error(cbc_unit_upsert(&id, db, &r), CBC_EPERM, NULL);
  cbc_db_close(db);
  assert_int_equal(one_int("SELECT count(*) FROM units"), 1);
}

/* A newer schema version is CBC_EVERSION, another application's id
 * CBC_ECORRUPT; neither open writes. */
static void test_newer_or_foreign_header_refused(void **state)
{
  (void)state;
  cbc_db *db = NULL;
  exec_sql("UPDATE meta SET value = value + 1 WHERE key = 'schema_version'");
  assert_cbc_error(open_with(&db, CBC_DB_CREATE), CBC_EVERSION, "newer than this libcbc");
  assert_null(db);
  exec_sql("UPDATE meta SET value = value - 1 WHERE key = 'schema_version';"
           " UPDATE meta SET value = 7 WHERE key = 'application_id'");
  assert_cbc_error(open_with(&db, CBC_DB_CREATE), CBC_ECORRUPT, "not a libcbc database");
  char sql[128];
  snprintf(sql, sizeof(sql), "UPDATE meta SET value = 0 WHERE key = 'schema_version';"
           " UPDATE meta SET value = %d WHERE key = 'application_id'", CBC_STORE_APPLICATION_ID);
  exec_sql(sql);
  assert_cbc_error(open_with(&db, CBC_DB_CREATE), CBC_ECORRUPT, "schema version 0");
  assert_int_equal(one_int("SELECT count(*) FROM units"), 1);
}

/* A database holding someone else's tables is refused and untouched. */
static void test_other_tables_refused(void **state)
{
  (void)state;
  assert_int_equal(cbc_test_pg_fresh("open", target, sizeof(target)), 0);
  exec_sql("CREATE TABLE mine(v TEXT); INSERT INTO mine VALUES ('kept')");
  cbc_db *db = NULL;
  assert_cbc_error(open_with(&db, CBC_DB_CREATE), CBC_ECORRUPT, "not a libcbc database");
  assert_int_equal(tables(), 1);
  assert_int_equal(one_int("SELECT count(*) FROM mine WHERE v = 'kept'"), 1);
}

#define OPENERS 4

/* OPENERS processes open the database at once with @p flags, each adding a
 * region node; every one must succeed. */
static void open_at_once(unsigned int flags)
{
  pid_t pids[OPENERS];
  for (int i = 0; i < OPENERS; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0) {
      cbc_db *db = NULL;
      char ext[16];
      snprintf(ext, sizeof(ext), "P%d", i);
      int rc = open_with(&db, flags);
      int64_t id = 0;
      cbc_unit_record r = CBC_UNIT_RECORD_INIT;
      r.external_id = ext;
      r.name = ext;
      r.kind = CBC_UNIT_REGION;
      if (!rc)
        rc = cbc_unit_upsert(&id, db, &r);
      if (rc)
        fprintf(stderr, "opener %d: %s\n", i, cbc_error_last()->message);
      cbc_db_close(db);
      _exit(rc ? 1 : 0);
    }
  }
  for (int i = 0; i < OPENERS; i++) {
    int status = 0;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
}

/* Several processes create one empty database at once: every open
 * succeeds, the schema is made once, every opener's write is there. */
static void test_concurrent_creators(void **state)
{
  (void)state;
  assert_int_equal(cbc_test_pg_fresh("open", target, sizeof(target)), 0);
  open_at_once(CBC_DB_CREATE);
  assert_int_equal(one_int("SELECT count(*) FROM meta WHERE key = 'application_id'"), 1);
  assert_int_equal(one_int("SELECT count(*) FROM units"), OPENERS);
}

/* Several processes open a database of the base schema (17) at once: one
 * upgrades it (the others wait on the creators' lock and find it done; a
 * second run of step 18 would fail on its first column), every open
 * succeeds and every opener's write is there. */
static void test_concurrent_upgraders(void **state)
{
  (void)state;
  assert_int_equal(cbc_test_pg_fresh("open", target, sizeof(target)), 0);
  drv_conn *c = connect_to();
  assert_cbc_ok(cbc_store__pg_schema_create(c, CBC_STORE_PG_BASE_VERSION));
  drv_close(c);
  assert_int_equal(one_int("SELECT value FROM meta WHERE key = 'schema_version'"),
                   CBC_STORE_PG_BASE_VERSION);
  open_at_once(0);
  assert_int_equal(one_int("SELECT value FROM meta WHERE key = 'schema_version'"),
                   CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(one_int("SELECT count(*) FROM information_schema.columns"
                           " WHERE table_name = 'hazard_events'"
                           " AND column_name = 'enterprise_id'"), 1);
  assert_int_equal(one_int("SELECT count(*) FROM units"), OPENERS);
}

int main(void)
{
  if (!cbc_test_pg_available("test_pg_open"))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_empty_database_is_created_when_asked),
    cmocka_unit_test(test_reopen_and_read_only),
    cmocka_unit_test(test_newer_or_foreign_header_refused),
    cmocka_unit_test(test_other_tables_refused),
    cmocka_unit_test(test_concurrent_creators),
    cmocka_unit_test(test_concurrent_upgraders),
    cmocka_unit_test(test_schema_of_its_own),
  };
  int failed = cmocka_run_group_tests(tests, setup, NULL);
  cbc_test_pg_drop("open");
  return failed;
}
