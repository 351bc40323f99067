/* The engine driver (lib/store/driver.h): the same cases on SQLite and on
 * PostgreSQL.  The PostgreSQL half needs a server reachable through
 * libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD): ctest runs
 * this program under scripts/with-postgres, which starts a throwaway
 * cluster when none is given; each run creates a database of its own. */
#include "helpers.h"
#include "pg_helpers.h"
#include "store/driver.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct engine {
  const char *name;
  char target[256]; /* a file path or a postgresql:// URI */
} engine;

static engine sqlite_engine = { "SQLite", "" };
static engine pg_engine = { "PostgreSQL", "" };

static drv_conn *open_target(const engine *e)
{
  drv_conn *c = NULL;
  const drv_options o = { false, true, 200 };
  assert_cbc_ok(drv_open(&c, e->target, &o));
  return c;
}

static void exec_ok(drv_conn *c, const char *sql) { assert_cbc_ok(drv_exec(c, sql, "test")); }

static drv_stmt *prepare_ok(drv_conn *c, const char *sql)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(c, sql, true, &s));
  return s;
}

/* A table of every kind of value, empty. */
static void fresh_table(drv_conn *c)
{
  exec_ok(c, "DROP TABLE IF EXISTS t");
  exec_ok(c, drv_engine_of(c) == DRV_POSTGRES
               ? "CREATE TABLE t(id BIGINT PRIMARY KEY, n BIGINT, s TEXT, b BYTEA, k INTEGER)"
               : "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB, k INTEGER)");
}

static int64_t one_int(drv_conn *c, const char *sql)
{
  drv_stmt *s = prepare_ok(c, sql);
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  int64_t v = drv_column_int64(s, 0);
  assert_int_equal(drv_step(s, "test"), DRV_DONE);
  drv_finalize(s);
  return v;
}

/* ---------------------------------------------------------------- cases */

/* Integers at their limits, Chinese text, bytes with NUL and 0xFF, NULL:
 * each read back as bound. */
static void test_values_round_trip(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  static const unsigned char bytes[] = { 0x00, 0xFF, 0x5C, 0x78, 0x27, 0x00 };
  const char *text = "消防通道堵塞 'quoted' \\ ?1";
  drv_stmt *ins = prepare_ok(c, "INSERT INTO t(id, n, s, b, k) VALUES (?1, ?2, ?3, ?4, ?5)");
  assert_int_equal(drv_param_count(ins), 5);
  const int64_t ns[] = { INT64_MIN, INT64_MAX, 0 };
  for (int i = 0; i < 3; i++) {
    drv_reset(ins);
    drv_clear_bindings(ins);
    assert_cbc_ok(drv_bind_int64(ins, 1, i + 1));
    assert_cbc_ok(drv_bind_int64(ins, 2, ns[i]));
    assert_cbc_ok(i == 2 ? drv_bind_null(ins, 3) : drv_bind_text(ins, 3, text, -1));
    assert_cbc_ok(i == 2 ? drv_bind_null(ins, 4) : drv_bind_blob(ins, 4, bytes, sizeof(bytes)));
    assert_int_equal(drv_step(ins, "inserting"), DRV_DONE);
    assert_int_equal(drv_changes(ins), 1);
  }
  drv_finalize(ins);
  drv_stmt *sel = prepare_ok(c, "SELECT id, n, s, b, k FROM t ORDER BY id");
  for (int i = 0; i < 3; i++) {
    assert_int_equal(drv_step(sel, "reading"), DRV_ROW);
    assert_int_equal(drv_column_count(sel), 5);
    assert_int_equal(drv_column_int64(sel, 0), i + 1);
    assert_true(drv_column_int64(sel, 1) == ns[i]);
    assert_true(drv_column_null(sel, 4));
    assert_int_equal(drv_column_int64(sel, 4), 0);
    if (i == 2) {
      assert_null(drv_column_text(sel, 2));
      assert_true(drv_column_null(sel, 3));
      assert_null(drv_column_blob(sel, 3));
      assert_int_equal(drv_column_bytes(sel, 3), 0);
      continue;
    }
    assert_string_equal(drv_column_text(sel, 2), text);
    assert_int_equal(drv_column_bytes(sel, 2), (int)strlen(text));
    assert_int_equal(drv_column_bytes(sel, 3), (int)sizeof(bytes));
    assert_memory_equal(drv_column_blob(sel, 3), bytes, sizeof(bytes));
  }
  assert_int_equal(drv_step(sel, "reading"), DRV_DONE);
  drv_finalize(sel);
  drv_close(c);
}

/* ?N in any order and more than once, a bare ? numbered after the highest,
 * and a ? inside a literal, an identifier or a comment left alone. */
static void test_placeholders(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  drv_stmt *s = prepare_ok(c, "SELECT ?2 - ?1, ?1 * ?1, '?1 stays' AS \"?2\", ? -- ?4\n"
                              "/* ?5 */");
  assert_int_equal(drv_param_count(s), 3);
  assert_cbc_ok(drv_bind_int64(s, 1, 7));
  assert_cbc_ok(drv_bind_int64(s, 2, 100));
  assert_cbc_ok(drv_bind_int64(s, 3, -5));
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 93);
  assert_int_equal(drv_column_int64(s, 1), 49);
  assert_string_equal(drv_column_text(s, 2), "?1 stays");
  assert_int_equal(drv_column_int64(s, 3), -5);
  drv_finalize(s);
  /* a NULL bound as text or bytes is a NULL of that type, where nothing
   * else in the SQL would type it */
  s = prepare_ok(c, "SELECT ?1 IS NULL, ?2 IS NULL, coalesce(?1, 'none')");
  assert_cbc_ok(drv_bind_text(s, 1, NULL, -1));
  assert_cbc_ok(drv_bind_blob(s, 2, NULL, 0));
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 1);
  assert_int_equal(drv_column_int64(s, 1), 1);
  assert_string_equal(drv_column_text(s, 2), "none");
  drv_reset(s);
  assert_cbc_ok(drv_bind_text(s, 1, "x", -1)); /* the same statement with a value */
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 0);
  assert_string_equal(drv_column_text(s, 2), "x");
  drv_finalize(s);
  /* SQLite's planner hints: the same answer on both engines */
  fresh_table(c);
  exec_ok(c, "CREATE INDEX t_k ON t(k); INSERT INTO t(id, k, s) VALUES (1, 5, 'a'), (2, 6, 'b')");
  s = prepare_ok(c, "SELECT count(*), 'CROSS JOIN t INDEXED BY t_k' FROM t a cross  join t b"
                    " INDEXED BY t_k ON b.k = a.k WHERE a.k > ?1 AND b.id NOT IN"
                    " (SELECT id FROM t NOT INDEXED WHERE s = 'x')");
  assert_cbc_ok(drv_bind_int64(s, 1, 5));
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 1);
  assert_string_equal(drv_column_text(s, 1), "CROSS JOIN t INDEXED BY t_k");
  drv_finalize(s);
  s = prepare_ok(c, "SELECT ?3 + 1"); /* ?1 and ?2 are not in the SQL */
  assert_int_equal(drv_param_count(s), 3);
  assert_cbc_ok(drv_bind_text(s, 1, "unused", -1));
  assert_cbc_ok(drv_bind_int64(s, 3, 41));
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 42);
  drv_finalize(s);
  drv_close(c);
}

/* A statement run again with other values, and with NULL where an integer
 * was; the rows each run changed. */
static void test_rerun_and_changes(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  drv_stmt *ins = prepare_ok(c, "INSERT INTO t(id, k) VALUES (?1, ?2)");
  for (int i = 1; i <= 10; i++) {
    drv_reset(ins);
    assert_cbc_ok(drv_bind_int64(ins, 1, i));
    assert_cbc_ok(i % 2 ? drv_bind_int64(ins, 2, i % 3) : drv_bind_null(ins, 2));
    assert_int_equal(drv_step(ins, "inserting"), DRV_DONE);
  }
  drv_finalize(ins);
  drv_stmt *up = prepare_ok(c, "UPDATE t SET n = ?2 WHERE k = ?1");
  const int64_t expected[] = { 2, 2, 1 }; /* k = 0: 3, 9; 1: 1, 7; 2: 5 */
  for (int k = 0; k < 3; k++) {
    drv_reset(up);
    assert_cbc_ok(drv_bind_int64(up, 1, k));
    assert_cbc_ok(drv_bind_int64(up, 2, 100 + k));
    assert_false(drv_busy(up));
    assert_int_equal(drv_step(up, "updating"), DRV_DONE);
    assert_int_equal(drv_changes(up), expected[k]);
  }
  drv_finalize(up);
  assert_int_equal(one_int(c, "SELECT count(*) FROM t WHERE k IS NULL AND n IS NULL"), 5);
  assert_int_equal(one_int(c, "SELECT sum(n) FROM t"), 2 * 100 + 2 * 101 + 102);
  drv_stmt *sel = prepare_ok(c, "SELECT id FROM t WHERE n = ?1 ORDER BY id");
  assert_cbc_ok(drv_bind_int64(sel, 1, 101));
  assert_int_equal(drv_step(sel, "reading"), DRV_ROW);
  assert_true(drv_busy(sel));
  assert_int_equal(drv_column_int64(sel, 0), 1);
  drv_reset(sel); /* before its end: it starts over with its bindings */
  assert_false(drv_busy(sel));
  assert_int_equal(drv_step(sel, "reading"), DRV_ROW);
  assert_int_equal(drv_column_int64(sel, 0), 1);
  assert_int_equal(drv_step(sel, "reading"), DRV_ROW);
  assert_int_equal(drv_column_int64(sel, 0), 7);
  assert_int_equal(drv_step(sel, "reading"), DRV_DONE);
  drv_reset(sel);
  assert_cbc_ok(drv_bind_null(sel, 1));
  assert_int_equal(drv_step(sel, "reading"), DRV_DONE); /* n = NULL is never true */
  drv_finalize(sel);
  drv_close(c);
}

/* An INSERT hands back its row's id, run after run, with the same SQL on
 * both engines; a failed INSERT hands back none. */
static void test_insert_ids(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  exec_ok(c, "DROP TABLE IF EXISTS ids");
  exec_ok(c, drv_engine_of(c) == DRV_POSTGRES
               ? "CREATE TABLE ids(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                 " name TEXT UNIQUE)"
               : "CREATE TABLE ids(id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
  drv_stmt *s = prepare_ok(c, "INSERT INTO ids(name) VALUES (?1)");
  int64_t id = 0, last = 0;
  for (int i = 0; i < 3; i++) {
    char name[16];
    snprintf(name, sizeof(name), "n%d", i);
    drv_reset(s);
    assert_cbc_ok(drv_bind_text(s, 1, name, -1));
    assert_cbc_ok(drv_step_insert(s, "adding", &id));
    assert_true(id > last);
    last = id;
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT id FROM ids WHERE name = 'n%d'", i);
    assert_int_equal(one_int(c, sql), id);
  }
  drv_reset(s);
  assert_cbc_ok(drv_bind_text(s, 1, "n0", -1));
  id = -1;
  assert_cbc_error(drv_step_insert(s, "adding", &id), CBC_ECONFLICT, "adding: ");
  assert_int_equal(id, -1);
  drv_finalize(s);
  /* a conflict DO NOTHING absorbs is reported, and the transaction goes on */
  assert_cbc_ok(drv_begin(c, true));
  s = prepare_ok(c, "INSERT INTO ids(name) VALUES (?1) ON CONFLICT DO NOTHING");
  assert_cbc_ok(drv_bind_text(s, 1, "n1", -1));
  assert_cbc_error(drv_step_insert(s, "adding", &id), CBC_ECONFLICT, "already there");
  assert_int_equal(id, -1);
  assert_false(drv_txn_spoiled(c));
  drv_reset(s);
  assert_cbc_ok(drv_bind_text(s, 1, "n9", -1));
  assert_cbc_ok(drv_step_insert(s, "adding", &id));
  drv_finalize(s);
  exec_ok(c, "COMMIT");
  assert_int_equal(one_int(c, "SELECT count(*) FROM ids"), 4);
  drv_close(c);
}

/* Which statements write, as the store asks to know whether a failed call
 * wrote: the same answer on both engines, also for a write after a CTE
 * and for the words inside quotes. */
static void test_readonly(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  static const struct {
    const char *sql;
    bool readonly;
  } cases[] = {
    { "SELECT n FROM t WHERE id = ?1", true },
    { "SELECT 'INSERT', \"update\" FROM (SELECT 1 AS \"update\") x", true },
    { "SELECT 1 AS inserted_at -- DELETE", true },
    { "WITH x(a) AS (SELECT 1) SELECT a FROM x", true },
    { "INSERT INTO t(id) VALUES (?1)", false },
    { "WITH x(a) AS (SELECT ?1) INSERT INTO t(id) SELECT a FROM x", false },
    { "update t SET n = 1", false },
    { "DELETE FROM t", false },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    drv_stmt *s = prepare_ok(c, cases[i].sql);
    if (drv_readonly(s) != cases[i].readonly)
      fail_msg("%s: readonly %d", cases[i].sql, (int)drv_readonly(s));
    drv_finalize(s);
  }
  if (drv_engine_of(c) == DRV_POSTGRES) { /* a row lock changes nothing */
    drv_stmt *s = prepare_ok(c, "SELECT n FROM t WHERE id = ?1 FOR UPDATE");
    assert_true(drv_readonly(s));
    drv_finalize(s);
  }
  drv_close(c);
}

/* Commit, rollback, savepoints; what another connection sees. */
static void test_transactions(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e), *other = open_target(e);
  fresh_table(c);
  assert_false(drv_in_txn(c));
  assert_cbc_ok(drv_begin(c, true));
  assert_true(drv_in_txn(c));
  exec_ok(c, "INSERT INTO t(id) VALUES (1)");
  assert_int_equal(one_int(other, "SELECT count(*) FROM t"), 0);
  exec_ok(c, "COMMIT");
  assert_false(drv_in_txn(c));
  assert_int_equal(one_int(other, "SELECT count(*) FROM t"), 1);
  assert_cbc_ok(drv_begin(c, true));
  exec_ok(c, "INSERT INTO t(id) VALUES (2)");
  exec_ok(c, "SAVEPOINT sp");
  exec_ok(c, "INSERT INTO t(id) VALUES (3)");
  exec_ok(c, "ROLLBACK TO sp");
  exec_ok(c, "RELEASE sp");
  exec_ok(c, "INSERT INTO t(id) VALUES (4)");
  exec_ok(c, "COMMIT");
  assert_int_equal(one_int(other, "SELECT sum(id) FROM t"), 1 + 2 + 4);
  assert_cbc_ok(drv_begin(c, true));
  exec_ok(c, "DELETE FROM t");
  exec_ok(c, "ROLLBACK");
  assert_int_equal(one_int(other, "SELECT count(*) FROM t"), 3);
  drv_close(other);
  drv_close(c);
}

/* Several statements in one round trip, the last one's value read
 * (PostgreSQL; SQLite has no use for it and refuses). */
static void test_exec_int(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  int64_t v = -1;
  int rc = drv_exec_int(c, "SELECT 1; SELECT 42", "test", &v);
  if (drv_engine_of(c) == DRV_POSTGRES) {
    assert_cbc_ok(rc);
    assert_int_equal(v, 42);
    assert_cbc_error(drv_exec_int(c, "SELECT 1; SELECT nonsense", "test", &v), CBC_EIO, "test");
    assert_int_equal(v, 0);
  } else {
    assert_cbc_error(rc, CBC_EINVAL, "not on SQLite");
  }
  drv_close(c);
}

/* The server's open cursors on this connection (PostgreSQL; 0 on SQLite). */
static int64_t open_cursors(drv_conn *c)
{
  if (drv_engine_of(c) != DRV_POSTGRES)
    return 0;
  return one_int(c, "SELECT count(*) FROM pg_cursors WHERE name LIKE 'cbc_k%'");
}

/* A statement read 3 rows a page: every row in order, whatever runs on the
 * connection between its steps (a write, another paged statement, a
 * committed transaction); a page exactly full at the end; a reset midway
 * and a finalize close its cursor; one declared in a transaction that is
 * rolled back fails cleanly at its next page. */
static void test_paged_reading(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  exec_ok(c, "INSERT INTO t(id, n) SELECT x, x * 10 FROM (SELECT 1 AS x UNION ALL SELECT 2"
             " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6"
             " UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) v");
  drv_stmt *s = prepare_ok(c, "SELECT id, n FROM t WHERE id >= ?1 ORDER BY id");
  drv_stmt *other = prepare_ok(c, "SELECT id FROM t WHERE id <= ?1 ORDER BY id DESC");
  drv_page(s, 3);
  drv_page(other, 2);
  if (drv_engine_of(c) == DRV_POSTGRES) /* cursors planned for all their rows, no JIT */
    assert_int_equal(one_int(c, "SELECT CASE WHEN current_setting('cursor_tuple_fraction')"
                                " = '1' AND current_setting('jit') = 'off' THEN 1 ELSE 0 END"),
                     1);
  for (int round = 0; round < 2; round++) { /* 9 rows: a last page exactly full */
    drv_bind_int64(s, 1, 1);
    drv_bind_int64(other, 1, 9);
    for (int64_t id = 1; id <= 9; id++) {
      assert_int_equal(drv_step(s, "paging"), DRV_ROW);
      assert_int_equal(drv_column_int64(s, 0), id);
      assert_int_equal(drv_column_int64(s, 1), id * 10);
      assert_int_equal(drv_step(other, "paging"), DRV_ROW);
      assert_int_equal(drv_column_int64(other, 0), 10 - id);
      if (id == 1) /* both read through cursors */
        assert_int_equal(open_cursors(c), drv_engine_of(c) == DRV_POSTGRES ? 2 : 0);
      if (id == 4) { /* a write and a transaction between pages */
        assert_cbc_ok(drv_begin(c, true));
        exec_ok(c, "UPDATE t SET n = 0 WHERE id = 1");
        exec_ok(c, "COMMIT");
      }
    }
    assert_int_equal(drv_step(s, "paging"), DRV_DONE);
    assert_int_equal(drv_step(other, "paging"), DRV_DONE);
    assert_int_equal(open_cursors(c), 0);
    drv_reset(s);
    drv_reset(other);
    exec_ok(c, "UPDATE t SET n = 10 WHERE id = 1");
  }
  drv_bind_int64(s, 1, 2); /* reset midway */
  assert_int_equal(drv_step(s, "paging"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 2);
  drv_reset(s);
  assert_int_equal(open_cursors(c), 0);
  drv_bind_int64(s, 1, 1);
  assert_cbc_ok(drv_begin(c, true));
  assert_int_equal(drv_step(s, "paging"), DRV_ROW);
  exec_ok(c, "ROLLBACK");
  for (int i = 0; i < 2; i++) /* the rest of the first page */
    assert_int_equal(drv_step(s, "paging"), DRV_ROW);
  int rc = drv_step(s, "paging");
  if (drv_engine_of(c) == DRV_POSTGRES) /* the cursor went with the transaction */
    assert_cbc_error(rc, CBC_EIO, "paging");
  else
    assert_int_equal(rc, DRV_ROW);
  drv_finalize(s);
  drv_bind_int64(other, 1, 9);
  assert_int_equal(drv_step(other, "paging"), DRV_ROW);
  drv_finalize(other);
  assert_int_equal(open_cursors(c), 0);
  drv_close(c);
}

/* A duplicate key is a conflict, a syntax error an I/O error (as SQLite's
 * generic error is), both named by the caller's words; a transaction an
 * error spoiled stays open until it is rolled back; closing rolls back. */
static void test_errors(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  exec_ok(c, "INSERT INTO t(id) VALUES (1)");
  assert_cbc_ok(drv_begin(c, true));
  drv_stmt *s = prepare_ok(c, "INSERT INTO t(id) VALUES (?1)");
  assert_cbc_ok(drv_bind_int64(s, 1, 1));
  assert_cbc_error(drv_step(s, "adding a row"), CBC_ECONFLICT, "adding a row: ");
  drv_reset(s);
  /* SQLite undid the statement alone; PostgreSQL spoiled the transaction */
  assert_true(drv_in_txn(c));
  assert_int_equal(drv_txn_spoiled(c), drv_engine_of(c) == DRV_POSTGRES);
  exec_ok(c, "ROLLBACK");
  assert_false(drv_in_txn(c));
  assert_false(drv_txn_spoiled(c));
  assert_cbc_ok(drv_bind_int64(s, 1, 2));
  assert_int_equal(drv_step(s, "adding a row"), DRV_DONE);
  drv_finalize(s);
  s = NULL;
  int rc = drv_prepare(c, "SELEC nothing", true, &s);
  if (!rc) /* PostgreSQL prepares at the first run */
    rc = drv_step(s, "reading nothing");
  assert_cbc_error(rc, CBC_EIO, "syntax error");
  drv_finalize(s);
  assert_cbc_error(drv_exec(c, "SELECT * FROM no_such_table", "reading"), CBC_EIO, "reading: ");
  s = prepare_ok(c, "SELECT ?1");
  cbc_error_clear();
  assert_cbc_ok(drv_bind_int64(s, 2, 1)); /* not in the SQL: ignored */
  assert_cbc_ok(drv_bind_text(s, 3, "x", -1));
  assert_int_equal(cbc_error_last()->code, 0);
  assert_cbc_error(drv_bind_text(s, 0, "x", -1), CBC_EINVAL, NULL);
  assert_cbc_ok(drv_bind_int64(s, 1, 42));
  assert_int_equal(drv_step(s, "test"), DRV_ROW);
  assert_int_equal(drv_column_int64(s, 0), 42);
  drv_finalize(s);
  assert_cbc_ok(drv_begin(c, true));
  exec_ok(c, "INSERT INTO t(id) VALUES (3)");
  drv_close(c); /* never committed */
  c = open_target(e);
  assert_int_equal(one_int(c, "SELECT count(*) FROM t"), 2);
  drv_close(c);
}

/* A write that waits for another connection's lock longer than the busy
 * timeout is CBC_EBUSY; once the lock is gone it goes through. */
static void test_busy(void **state)
{
  const engine *e = *state;
  drv_conn *a = open_target(e), *b = open_target(e);
  fresh_table(a);
  exec_ok(a, "INSERT INTO t(id, n) VALUES (1, 0)");
  assert_cbc_ok(drv_begin(a, true));
  exec_ok(a, "UPDATE t SET n = n + 1 WHERE id = 1");
  int rc = drv_begin(b, true); /* SQLite: the write lock */
  if (!rc)
    rc = drv_exec(b, "UPDATE t SET n = n + 10 WHERE id = 1", "updating"); /* PostgreSQL */
  assert_cbc_error(rc, CBC_EBUSY, NULL);
  if (drv_in_txn(b))
    exec_ok(b, "ROLLBACK");
  exec_ok(a, "COMMIT");
  assert_cbc_ok(drv_begin(b, true));
  exec_ok(b, "UPDATE t SET n = n + 10 WHERE id = 1");
  exec_ok(b, "COMMIT");
  assert_int_equal(one_int(a, "SELECT n FROM t WHERE id = 1"), 11);
  drv_close(b);
  drv_close(a);
}

/* What cannot be opened: a missing SQLite file without create, a server
 * nobody listens on, and by the library a database of other tables. */
static void test_open_failures(void **state)
{
  const engine *e = *state;
  drv_conn *c = NULL;
  const drv_options o = { false, false, 100 };
  if (strcmp(e->name, "SQLite") == 0) {
    assert_cbc_error(drv_open(&c, cbc_test_path("missing.db"), &o), CBC_ENOTFOUND,
                     "does not exist");
  } else {
    assert_cbc_error(drv_open(&c, "postgresql://127.0.0.1:1/none?connect_timeout=2", &o),
                     CBC_EIO, "connecting to PostgreSQL: ");
    cbc_db *db = NULL; /* the database holds this test's table, not libcbc's schema */
    assert_cbc_error(cbc_db_open(&db, e->target, NULL), CBC_ECORRUPT,
                     "not a libcbc database");
    assert_null(db);
  }
  assert_null(c);
}

/* Every allocation of a prepare, a bind of text and a blob, a run and its
 * reads failing in turn: CBC_ENOMEM or the right answer, nothing leaked. */
static void test_allocation_failures(void **state)
{
  const engine *e = *state;
  drv_conn *c = open_target(e);
  fresh_table(c);
  drv_engine engine = drv_engine_of(c);
  drv_close(c);
  cbc_test_alloc_install(engine == DRV_SQLITE); /* SQLite's own allocations too */
  long failed = 0, points = 0;
  for (long n = 1;; n++, points++) {
    cbc_test_fail_after(n);
    drv_conn *k = NULL;
    drv_stmt *s = NULL;
    const drv_options o = { false, true, 200 };
    int rc = drv_open(&k, e->target, &o);
    if (!rc)
      rc = drv_prepare(k, "SELECT ?1 || ?2, ?3, length(?3)", false, &s);
    if (!rc)
      rc = drv_bind_text(s, 1, "隐患", -1);
    if (!rc)
      rc = drv_bind_text(s, 2, "台账", -1);
    if (!rc)
      rc = drv_bind_blob(s, 3, "\x01\x00\x02", 3);
    if (!rc && (rc = drv_step(s, "reading")) == DRV_ROW) {
      assert_string_equal(drv_column_text(s, 0), "隐患台账");
      assert_int_equal(drv_column_bytes(s, 1), 3);
      assert_int_equal(drv_column_int64(s, 2), 3);
      rc = 0;
    }
    drv_finalize(s);
    drv_close(k);
    bool injected = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (!injected) {
      assert_cbc_ok(rc);
      break;
    }
    if (rc) {
      assert_int_equal(rc, CBC_ENOMEM);
      failed++;
    }
  }
  cbc_test_alloc_uninstall();
  printf("%s: %ld failure points, %ld refused with CBC_ENOMEM\n", e->name, points, failed);
  assert_true(points > 3);
}

/* ---------------------------------------------------------------- setup */

static int setup_sqlite(void **state)
{
  snprintf(sqlite_engine.target, sizeof(sqlite_engine.target), "%s",
           cbc_test_path("driver.db"));
  cbc_test_unlink(sqlite_engine.target);
  *state = &sqlite_engine;
  return 0;
}

static int teardown_sqlite(void **state)
{
  (void)state;
  cbc_test_unlink(sqlite_engine.target);
  return 0;
}

/* A database of this run's own on the server libpq's environment names. */
static int setup_pg(void **state)
{
  if (!cbc_test_pg_available("test_driver") ||
      cbc_test_pg_fresh("driver", pg_engine.target, sizeof(pg_engine.target)) != 0)
    return -1;
  *state = &pg_engine;
  return 0;
}

static int teardown_pg(void **state)
{
  (void)state;
  return cbc_test_pg_drop("driver");
}

#define CASES                                                                             \
  cmocka_unit_test(test_values_round_trip), cmocka_unit_test(test_placeholders),          \
    cmocka_unit_test(test_rerun_and_changes), cmocka_unit_test(test_insert_ids),          \
    cmocka_unit_test(test_readonly), cmocka_unit_test(test_transactions),                 \
    cmocka_unit_test(test_paged_reading), cmocka_unit_test(test_exec_int),                \
    cmocka_unit_test(test_errors), cmocka_unit_test(test_busy),                           \
    cmocka_unit_test(test_open_failures), cmocka_unit_test(test_allocation_failures)

int main(void)
{
  const struct CMUnitTest cases[] = { CASES };
  int failed = cmocka_run_group_tests_name("driver on SQLite", cases, setup_sqlite,
                                           teardown_sqlite);
  failed += cmocka_run_group_tests_name("driver on PostgreSQL", cases, setup_pg, teardown_pg);
  return failed;
}
