/* Opening databases, options, ownership and schema versions, the clock,
 * transaction groups (include/cbc/db.h). */
#include "helpers.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static void test_open_memory_and_defaults(void **state)
{
  (void)state;
  cbc_db *db = NULL;
  assert_cbc_ok(cbc_db_open(&db, ":memory:", NULL));
  int v = 0;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(cbc_db_utc_offset(db), 8 * 3600);
  int64_t t = cbc_db_now(db);
  assert_true(t > 1700000000);
  cbc_db_close(db);
  cbc_db_close(NULL);
  assert_int_equal(cbc_db_now(NULL), 0);
}

/* Which targets are a server's databases, without opening anything. */
static void test_target_is_server(void **state)
{
  (void)state;
  assert_int_equal(cbc_db_target_is_server("postgresql://host/db"), 1);
  assert_int_equal(cbc_db_target_is_server("postgres:///db?options=-csearch_path%3Ds1"), 1);
  assert_int_equal(cbc_db_target_is_server("campaign.db"), 0);
  assert_int_equal(cbc_db_target_is_server(":memory:"), 0);
  assert_int_equal(cbc_db_target_is_server("./postgresql://x"), 0); /* a file's path */
  assert_int_equal(cbc_db_target_is_server("POSTGRESQL://x"), 0);   /* as libpq reads it */
  assert_int_equal(cbc_db_target_is_server(""), 0);
  assert_int_equal(cbc_db_target_is_server(NULL), 0);
}

static void test_options_validation(void **state)
{
  (void)state;
  cbc_db *db = (cbc_db *)1;
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.version = 0;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "version 0");
  assert_null(db);
  o.version = CBC_DB_OPTIONS_VERSION + 1;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "newer");
  assert_cbc_ok(cbc_db_options_init(&o, CBC_DB_OPTIONS_VERSION));
  o.flags = 0x100;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "unknown flags");
  o.flags = CBC_DB_CREATE | CBC_DB_READONLY;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "exclude");
  o.flags = CBC_DB_CREATE;
  o.busy_timeout_ms = -1;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "busy_timeout_ms");
  o.busy_timeout_ms = 0;
  o.utc_offset_seconds = 86400;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "utc_offset_seconds");
  o.utc_offset_seconds = -5 * 3600;
  o.synchronous = (cbc_db_sync)0;
  assert_cbc_error(cbc_db_open(&db, ":memory:", &o), CBC_EINVAL, "synchronous");
  o.synchronous = CBC_DB_SYNC_NORMAL;
  assert_cbc_ok(cbc_db_open(&db, ":memory:", &o));
  assert_int_equal(cbc_db_utc_offset(db), -5 * 3600);
  cbc_db_close(db);
  assert_cbc_error(cbc_db_open(NULL, ":memory:", NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_open(&db, NULL, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_open(&db, "", NULL), CBC_EINVAL, "empty");
  assert_cbc_error(cbc_db_open(&db, "bad\xff.db", NULL), CBC_EINVAL, "UTF-8");
  assert_cbc_error(cbc_db_options_init(NULL, 1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_options_init(&o, 0), CBC_EINVAL, NULL);
}

static void test_clock_is_injected(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  assert_int_equal(cbc_db_now(db), now);
  now += 42;
  assert_int_equal(cbc_db_now(db), now);
  cbc_db_close(db);
}

static void test_file_lifecycle(void **state)
{
  (void)state;
  const char *path = cbc_test_path("life.db");
  cbc_test_unlink(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = 0;
  cbc_db *db;
  assert_cbc_error(cbc_db_open(&db, path, &o), CBC_ENOTFOUND, "does not exist");
  db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  /* reopen: data persists, WAL is on */
  db = cbc_test_db_file(path, &now);
  assert_true(cbc_test_unit_id(db, "T1") > 0);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  sqlite3_stmt *s;
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, NULL);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
  sqlite3_finalize(s);
  sqlite3_prepare_v2(raw, "PRAGMA application_id", -1, &s, NULL);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(s, 0), 0x43424331);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  cbc_test_unlink(path);
}

static void raw_exec(const char *path, const char *sql)
{
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
}

static void test_refuses_foreign_files(void **state)
{
  (void)state;
  cbc_db *db = NULL;
  const char *path = cbc_test_path("foreign.db");
  cbc_test_unlink(path);
  raw_exec(path, "CREATE TABLE t(x)");
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_ECORRUPT, "not a libcbc database");
  assert_null(db);
  cbc_test_unlink(path);
  raw_exec(path, "PRAGMA application_id=1234");
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_ECORRUPT, "not a libcbc database");
  cbc_test_unlink(path);
  cbc_test_write_file(path, "this is a text file, not a database at all, padded to be long "
                            "enough for SQLite to read a header from it............");
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_ECORRUPT, "not a libcbc database");
  cbc_test_unlink(path);
}

static void test_refuses_newer_schema(void **state)
{
  (void)state;
  const char *path = cbc_test_path("newer.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_db_close(db);
  raw_exec(path, "PRAGMA user_version=99");
  assert_cbc_error(cbc_db_open(&db, path, NULL), CBC_EVERSION, "schema version 99");
  assert_null(db);
  cbc_test_unlink(path);
}

static void test_readonly_open(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ro2.db");
  cbc_test_unlink(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  cbc_db *db;
  assert_cbc_error(cbc_db_open(&db, path, &o), CBC_ENOTFOUND, NULL);
  db = cbc_test_db_file(path, &now);
  cbc_db_close(db);
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  assert_cbc_error(cbc_db_begin(db), CBC_EPERM, "read-only");
  cbc_db_close(db);
  /* an older schema cannot be upgraded read-only */
  raw_exec(path, "PRAGMA user_version=0; PRAGMA application_id=0x43424331");
  assert_cbc_error(cbc_db_open(&db, path, &o), CBC_ESTATE, "open it once read-write");
  cbc_test_unlink(path);
}

static void test_groups(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  assert_false(cbc_db_in_group(db));
  assert_cbc_error(cbc_db_commit(db), CBC_ESTATE, "no transaction group");
  assert_cbc_error(cbc_db_rollback(db), CBC_ESTATE, "no transaction group");
  assert_cbc_ok(cbc_db_begin(db));
  assert_true(cbc_db_in_group(db));
  assert_cbc_error(cbc_db_begin(db), CBC_ESTATE, "already open");
  cbc_test_seed_org(db);
  assert_cbc_ok(cbc_db_commit(db));
  assert_false(cbc_db_in_group(db));
  assert_true(cbc_test_unit_id(db, "T1") > 0);
  assert_cbc_ok(cbc_db_begin(db));
  int64_t t1 = cbc_test_unit_id(db, "T1");
  assert_cbc_ok(cbc_unit_rename(db, t1, "renamed"));
  assert_cbc_ok(cbc_db_rollback(db));
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup(&u, db, t1));
  assert_string_equal(u->name, "Shift A");
  cbc_unit_free(u);
  /* closing with an open group rolls it back */
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_unit_rename(db, t1, "lost"));
  cbc_db_close(db);
  assert_cbc_error(cbc_db_begin(NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_commit(NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_rollback(NULL), CBC_EINVAL, NULL);
  assert_false(cbc_db_in_group(NULL));
  int v;
  assert_cbc_error(cbc_db_schema_version(&v, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_db_schema_version(NULL, NULL), CBC_EINVAL, NULL);
}

static void test_busy_between_connections(void **state)
{
  (void)state;
  const char *path = cbc_test_path("busy.db");
  cbc_test_unlink(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.busy_timeout_ms = 0;
  cbc_db *a, *b;
  assert_cbc_ok(cbc_db_open(&a, path, &o));
  assert_cbc_ok(cbc_db_open(&b, path, &o));
  assert_cbc_ok(cbc_db_begin(a));
  assert_cbc_error(cbc_db_begin(b), CBC_EBUSY, NULL);
  cbc_unit_record r = { 1, "R", NULL, CBC_UNIT_REGION, "r", NULL, 0 };
  assert_cbc_error(cbc_unit_upsert(NULL, b, &r), CBC_EBUSY, NULL);
  assert_cbc_ok(cbc_unit_upsert(NULL, a, &r));
  assert_cbc_ok(cbc_db_commit(a));
  /* b sees a's commit (no stale read snapshot is left behind) */
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, b, "R"));
  cbc_unit_free(u);
  cbc_unit_record r2 = { 1, "R2", NULL, CBC_UNIT_REGION, "r2", NULL, 0 };
  assert_cbc_ok(cbc_unit_upsert(NULL, a, &r2));
  assert_cbc_ok(cbc_unit_lookup_external(&u, b, "R2"));
  cbc_unit_free(u);
  cbc_db_close(a);
  cbc_db_close(b);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_open_memory_and_defaults),
    cmocka_unit_test(test_target_is_server),
    cmocka_unit_test(test_options_validation),
    cmocka_unit_test(test_clock_is_injected),
    cmocka_unit_test(test_file_lifecycle),
    cmocka_unit_test(test_refuses_foreign_files),
    cmocka_unit_test(test_refuses_newer_schema),
    cmocka_unit_test(test_readonly_open),
    cmocka_unit_test(test_groups),
    cmocka_unit_test(test_busy_between_connections),
  };
  return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
