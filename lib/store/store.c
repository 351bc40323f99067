/* The SQLite connection: opening, pragmas, statements, transactions. */
#include "store_internal.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int store_failed(cbc_store *st, int code)
{
  if (code < 0 && st && st->in_call && !st->call_error) {
    st->call_error = code;
    st->call_victim = drv_victim(st->conn);
  }
  return code;
}

int store_error(cbc_store *st, int sqlite_rc, const char *what)
{
  return store_failed(st, drv_sqlite_error(st ? st->db : NULL, sqlite_rc, what));
}

int store_prepare(cbc_store *st, const char *sql, bool persistent, drv_stmt **out)
{
  return store_failed(st, drv_prepare(st->conn, sql, persistent, out));
}

int store_step(cbc_store *st, drv_stmt *s, const char *what)
{
  return store_failed(st, drv_step(s, what));
}

/* Whether the connection holds a transaction that can still take
 * statements.  SQLite ends one by itself after some errors (an I/O error
 * or SQLITE_FULL in any statement, a failed COMMIT); PostgreSQL spoils one
 * after any error until it is rolled back.  So every failure is followed by
 * this question rather than by assumptions. */
static bool txn_open(const cbc_store *st)
{
  return drv_in_txn(st->conn) && !drv_txn_spoiled(st->conn);
}

/* A write after the engine rolled the call's transaction back, or spoiled
 * it (an error some optional read, such as a cache's, passed over):
 * refused, with the code of the error that caused it. */
static int rolled_back_error(const cbc_store *st, const char *what)
{
  int cause = st->call_error ? st->call_error : CBC_EIO;
  return cbc__error(cause, "%s: the call's transaction was lost to an earlier error (%s); "
                    "nothing more is written", what,
                    cause == CBC_ENOMEM ? "out of memory" : cbc_error_name(cause));
}

/* Reset every cached statement still holding a row, so no read snapshot
 * outlives the public call that took it. */
static void store_release_pending(cbc_store *st)
{
  for (int i = 0; i < STMT__COUNT; i++)
    if (st->stmts[i] && drv_busy(st->stmts[i]))
      drv_reset(st->stmts[i]);
}

void cbc_store__done(cbc_store *st)
{
  if (!st->in_call)
    store_release_pending(st);
}

int store_stmt(cbc_store *st, store_stmt_id id, const char *sql, drv_stmt **out)
{
  *out = NULL;
  drv_stmt *s = st->stmts[id];
  if (!s) {
    int rc = store_prepare(st, sql, true, &s);
    if (rc)
      return rc;
    st->stmts[id] = s;
  } else {
    drv_reset(s);
    drv_clear_bindings(s);
  }
  *out = s;
  return 0;
}

int store_exec_stmt(cbc_store *st, drv_stmt *s, const char *what)
{
  bool writes = !drv_readonly(s);
  if (st->in_call && writes && !txn_open(st))
    return rolled_back_error(st, what);
  int rc = store_step(st, s, what);
  int err = rc < 0 ? rc : 0;
  if (!err && writes)
    st->call_wrote = true;
  drv_reset(s);
  return err;
}

int store_exec_insert(cbc_store *st, drv_stmt *s, const char *what, int64_t *out_id)
{
  if (st->in_call && !txn_open(st))
    return rolled_back_error(st, what);
  int rc = store_failed(st, drv_step_insert(s, what, out_id));
  drv_reset(s);
  if (!rc)
    st->call_wrote = true;
  return rc;
}

int store_step_row(cbc_store *st, drv_stmt *s, const char *what)
{
  int rc = store_step(st, s, what);
  if (rc == DRV_ROW)
    return 0;
  int err = rc == DRV_DONE ? CBC_ENOTFOUND : rc;
  drv_reset(s);
  return err == CBC_ENOTFOUND ? cbc__error(CBC_ENOTFOUND, "%s: not found", what) : err;
}

int store_collect(cbc_store *st, drv_stmt *s, size_t size, fill_fn fill, void **out,
                   size_t *count)
{
  size_t cap = 0;
  int rc;
  *out = NULL;
  *count = 0;
  while ((rc = store_step(st, s, "reading rows")) == DRV_ROW) {
    if (*count == cap) {
      cap = cap ? cap * 2 : 16;
      void *grown = cbc__realloc(*out, cap * size);
      if (!grown) {
        drv_reset(s);
        cbc__free(*out);
        *out = NULL;
        *count = 0;
        return cbc__error_oom();
      }
      *out = grown;
    }
    fill(s, (char *)*out + *count * size);
    (*count)++;
  }
  drv_reset(s);
  if (rc == DRV_DONE)
    return 0;
  cbc__free(*out);
  *out = NULL;
  *count = 0;
  return rc;
}

int store_bind_range(cbc_store *st, drv_stmt *s, int first, const char *lo, const char *hi)
{
  /* The texts are copied (an allocation): a failed copy would leave the
   * range unbound and the rows silently missing. */
  int rc = drv_bind_text(s, first, lo, -1);
  if (!rc)
    rc = drv_bind_text(s, first + 1, hi, -1);
  return store_failed(st, rc);
}

int store_collect_range(cbc_store *st, store_stmt_id id, const char *sql, const char *lo,
                        const char *hi, int64_t t3, int64_t t4, size_t size, fill_fn fill,
                        void **out, size_t *count)
{
  drv_stmt *s;
  *out = NULL;
  *count = 0;
  int rc = store_stmt(st, id, sql, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, t3);
  if (drv_param_count(s) >= 4)
    drv_bind_int64(s, 4, t4);
  return store_collect(st, s, size, fill, out, count);
}

int store_stmt_built(cbc_store *st, store_stmt_id id, store_sql_fn build, const void *arg,
                     drv_stmt **out)
{
  char sql[STORE_BUILT_SQL_MAX] = "";
  if (!st->stmts[id])
    build(sql, sizeof(sql), arg);
  return store_stmt(st, id, sql, out);
}

int store_int_by_id(cbc_store *st, store_stmt_id id, const char *sql, int64_t key, int64_t *out)
{
  return store_int_by_keys(st, id, sql, key, 0, out);
}

int store_int_by_keys(cbc_store *st, store_stmt_id id, const char *sql, int64_t key,
                      int64_t key2, int64_t *out)
{
  drv_stmt *s;
  bool found;
  *out = 0;
  int rc = store_stmt(st, id, sql, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, key);
  if (drv_param_count(s) >= 2)
    drv_bind_int64(s, 2, key2);
  rc = store_step_maybe(st, s, "reading a value", &found);
  if (!rc && found)
    *out = drv_column_int64(s, 0);
  drv_reset(s);
  return rc;
}

void store_fill_int64(drv_stmt *s, void *element)
{
  *(int64_t *)element = drv_column_int64(s, 0);
}

int store_step_maybe(cbc_store *st, drv_stmt *s, const char *what, bool *found)
{
  int rc = store_step(st, s, what);
  *found = rc == DRV_ROW;
  if (rc == DRV_ROW || rc == DRV_DONE)
    return 0;
  drv_reset(s);
  return rc;
}

/* Whether the transaction already holds advisory lock (@p space, @p key),
 * exclusively or, for @p shared, either way. */
static bool lock_held(const cbc_store *st, int space, int64_t key, bool shared)
{
  for (int i = 0; i < st->n_held; i++)
    if (st->held[i].space == space && st->held[i].key == key && (shared || !st->held[i].shared))
      return true;
  return false;
}

int store_lock_key(cbc_store *st, int space, int64_t key, bool shared)
{
  if (!store_on_postgres(st) || !st->in_call || lock_held(st, space, key, shared))
    return 0;
  drv_stmt *s;
  int rc = shared ? store_stmt(st, STMT_KEY_LOCK_SHARED,
                               "SELECT pg_advisory_xact_lock_shared(CAST(?1 AS INTEGER),"
                               " CAST(?2 % 2147483647 AS INTEGER))", &s)
                  : store_stmt(st, STMT_KEY_LOCK, "SELECT pg_advisory_xact_lock(CAST(?1 AS"
                               " INTEGER), CAST(?2 % 2147483647 AS INTEGER))", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, space);
  drv_bind_int64(s, 2, key);
  rc = store_exec_stmt(st, s, "waiting for a lock another connection holds");
  if (!rc && st->n_held < STORE_HELD_LOCKS) {
    st->held[st->n_held].space = space;
    st->held[st->n_held].shared = shared;
    st->held[st->n_held++].key = key;
  }
  return rc;
}

int cbc_store__reports_lock(cbc_store *st) { return store_lock_key(st, 0, 1, false); }

/* The statistics' lock's key (cbc_store__stats_lock). */
#define STATS_LOCK_SPACE 0
#define STATS_LOCK_KEY 2

int cbc_store__stats_lock(cbc_store *st, bool rebuilding)
{
  return store_lock_key(st, STATS_LOCK_SPACE, STATS_LOCK_KEY, !rebuilding);
}

int cbc_store__participation_lock(cbc_store *st, int year, int64_t employee_id)
{
  return store_lock_key(st, year, employee_id, false);
}

int store_exec(cbc_store *st, const char *sql, const char *what)
{
  return store_failed(st, drv_exec(st->conn, sql, what));
}

/* Milliseconds on a monotonic clock, for waits the busy handler does not cover. */
static int64_t monotonic_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* PRAGMA journal_mode=WAL writes the header of a rollback-journal file: it
 * takes a read lock, then upgrades it, and SQLite does not call the busy
 * handler for that upgrade (it could deadlock another reader's upgrade), so
 * a concurrent opener creating or migrating the file makes it fail at once.
 * Retry it, with the connection holding no lock in between, until the busy
 * timeout.  On a file already in WAL mode it reads only. */
static int switch_to_wal(cbc_store *st, int busy_timeout_ms)
{
  int64_t deadline = monotonic_ms() + busy_timeout_ms;
  int rc;
  while ((rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) != SQLITE_OK &&
         (rc & 0xFF) == SQLITE_BUSY && monotonic_ms() < deadline)
    sqlite3_sleep(2);
  return rc == SQLITE_OK ? 0 : store_error(st, rc, "switching to WAL");
}

/* The connection's settings; the busy timeout was set at open. */
static int apply_pragmas(cbc_store *st, const cbc_db_options *o)
{
  int rc = 0;
  if (!st->readonly)
    rc = switch_to_wal(st, o->busy_timeout_ms);
  if (!rc)
    rc = store_exec(st, o->synchronous == CBC_DB_SYNC_FULL ? "PRAGMA synchronous=FULL"
                                                            : "PRAGMA synchronous=NORMAL",
                    "setting synchronous");
  return rc;
}

/* An SQLite file: its header checked before WAL mode is switched on, so a
 * file that is not ours is never written; each migration step checks it
 * again under the write lock (store/schema.c). */
static int open_sqlite(cbc_store *st, const cbc_db_options *o)
{
  int version = 0;
  st->db = drv_sqlite(st->conn);
  int rc = store_schema_check(st, &version);
  if (!rc)
    rc = apply_pragmas(st, o);
  if (!rc)
    rc = store_register_functions(st); /* before a migration calls them */
  if (!rc)
    rc = store_schema_migrate(st, version);
  return rc;
}

/* A PostgreSQL database: its schema checked, or created when it is empty
 * (store/schema_pg.c).  None of SQLite's settings or C functions apply. */
static int open_postgres(cbc_store *st, const cbc_db_options *o)
{
  return cbc_store__pg_schema_open(st->conn, (o->flags & CBC_DB_CREATE) != 0, st->readonly);
}

/* Give the records written before the history's chains began their
 * links (schema step 19 -> 20), once: openers after the first find the
 * setting that says so, concurrent ones wait for the first's lock. */
static int build_chains(cbc_store *st)
{
  bool built;
  int rc = cbc_store__chain_built(st, &built);
  if (rc || built)
    return rc;
  rc = cbc_store__write_begin(st, false, false);
  if (!rc)
    rc = cbc_store__write_end(st, cbc_store__chain_build(st));
  if (rc)
    cbc__error_prefix("building the history's chains");
  return rc;
}

int cbc_store__open(cbc_store **out, const char *path, const cbc_db_options *o)
{
  *out = NULL;
  cbc_store *st = cbc__calloc(1, sizeof(*st));
  if (!st)
    return cbc__error_oom();
  st->readonly = (o->flags & CBC_DB_READONLY) != 0;
  const drv_options d = { st->readonly, (o->flags & CBC_DB_CREATE) != 0, o->busy_timeout_ms };
  int rc = drv_open(&st->conn, path, &d);
  if (!rc)
    rc = drv_engine_of(st->conn) == DRV_POSTGRES ? open_postgres(st, o) : open_sqlite(st, o);
  if (!rc && !st->readonly)
    rc = build_chains(st);
  if (rc) {
    cbc__error_saved saved;
    cbc__error_save(&saved);
    cbc_store__close(st);
    cbc__error_restore(&saved);
    return rc;
  }
  *out = st;
  return 0;
}

bool cbc_store__shared(const cbc_store *st) { return store_on_postgres(st); }

void cbc_store__close(cbc_store *st)
{
  if (!st)
    return;
  for (int i = 0; i < STMT__COUNT; i++)
    drv_finalize(st->stmts[i]);
  for (int i = 0; i < STORE_UPDATE_CACHE; i++)
    drv_finalize(st->updates[i].stmt);
  for (int i = 0; i < STORE_STAT_CACHE; i++)
    drv_finalize(st->stat_adds[i].stmt);
  drv_close(st->conn);
  cbc_store__chain_free(st);
  cbc__free(st);
}

static int run_cached(cbc_store *st, store_stmt_id id, const char *sql, const char *what)
{
  drv_stmt *s;
  int rc = store_stmt(st, id, sql, &s);
  return rc ? rc : store_exec_stmt(st, s, what);
}

/* Forget what was read inside a transaction that is being undone, and
 * the locks it held (an undone savepoint released those it took). */
static void forget_reads(cbc_store *st)
{
  st->org_generation++; /* caches may hold what is being undone */
  st->data_version_known = false;
  st->n_held = 0;
  cbc_store__chain_forget(st);
}

/* Roll back whatever transaction the engine still holds, spoiled or not;
 * 0 when none is left. */
static int discard_txn(cbc_store *st, const char *what)
{
  if (!drv_in_txn(st->conn))
    return 0;
  cbc__error_saved saved;
  cbc__error_save(&saved);
  int rc = run_cached(st, STMT_ROLLBACK, "ROLLBACK", what);
  if (!drv_in_txn(st->conn)) { /* ROLLBACK ends the transaction even when it reports an error */
    cbc__error_restore(&saved);
    rc = 0;
  }
  return rc;
}

/* Undo the whole group after a failed call that cannot be undone alone
 * (SQLite may have done it already).  The group stays "open but failed"
 * until the host ends it, so no later call runs outside it. */
static void fail_group(cbc_store *st)
{
  forget_reads(st);
  cbc__error_saved saved;
  cbc__error_save(&saved);
  discard_txn(st, "rolling back the transaction group");
  cbc__error_restore(&saved);
  st->group_failed = true;
}

/* End the group: the host's commit, rollback, or a commit SQLite undid. */
static void end_group(cbc_store *st)
{
  st->in_group = st->group_failed = false;
  forget_reads(st);
}

/* BEGIN a write call outside a group.  On PostgreSQL in one round trip
 * with what the call asks for next: the statistics' lock, shared or for a
 * rebuild's step exclusive (cbc_store__stats_lock), and the caches' change
 * counter (cbc_store__org_generation). */
static int begin_call(cbc_store *st, bool stats_exclusive)
{
  st->n_held = 0;
  cbc_store__chain_forget(st); /* a new transaction: heads are read again */
  if (!store_on_postgres(st))
    return run_cached(st, STMT_BEGIN, drv_begin_sql(st->conn, true), "starting a transaction");
  char sql[256];
  int64_t counter = 0;
  snprintf(sql, sizeof(sql), "%s; SELECT pg_advisory_xact_lock%s(%d, %d); %s",
           drv_begin_sql(st->conn, true), stats_exclusive ? "" : "_shared", STATS_LOCK_SPACE,
           STATS_LOCK_KEY, change_counter_pg);
  int rc = store_failed(st, drv_exec_int(st->conn, sql, "starting a transaction", &counter));
  if (rc) {
    discard_txn(st, "rolling back"); /* a lock that timed out spoiled it */
    return rc;
  }
  st->held[0].space = STATS_LOCK_SPACE;
  st->held[0].key = STATS_LOCK_KEY;
  st->held[0].shared = !stats_exclusive;
  st->n_held = 1;
  st->data_version = counter;
  st->data_version_known = true;
  return 0;
}

int cbc_store__write_begin(cbc_store *st, bool checked_first, bool stats_exclusive)
{
  if (st->in_call)
    return cbc__error(CBC_ESTATE, "a write call is already in progress on this database");
  if (cbc_store__group_failed(st))
    return cbc__error(CBC_ESTATE, "the transaction group was rolled back after a failed call; "
                                  "end it with cbc_db_rollback()");
  bool savepoint = st->in_group && !checked_first;
  int rc = 0;
  if (!st->in_group) {
    rc = discard_txn(st, "ending a transaction a failed rollback left open");
    if (!rc)
      rc = begin_call(st, stats_exclusive);
  } else if (savepoint) {
    rc = run_cached(st, STMT_SAVEPOINT, "SAVEPOINT cbc_call", "starting a savepoint");
  }
  if (!rc) {
    st->chain.n_pending = st->chain.n_advanced = 0;
    st->in_call = true;
    st->call_savepoint = savepoint;
    st->call_wrote = false;
    st->call_error = 0;
    st->call_victim = false;
  }
  return rc;
}

void cbc_store__fail_group(cbc_store *st)
{
  if (st->in_group && !st->group_failed)
    fail_group(st);
}

/* Undo a call's savepoint; false when that failed and the group must go. */
static bool undo_savepoint(cbc_store *st)
{
  int rc = run_cached(st, STMT_ROLLBACK_TO, "ROLLBACK TO cbc_call", "rolling back a savepoint");
  if (!rc)
    rc = run_cached(st, STMT_RELEASE, "RELEASE cbc_call", "releasing a savepoint");
  return !rc && txn_open(st);
}

/* Undo a failed call; true when that took the whole group with it. */
static bool rollback_call(cbc_store *st)
{
  cbc__error_saved saved;
  cbc__error_save(&saved);
  bool group_lost = false;
  forget_reads(st);
  store_release_pending(st);
  if (!st->in_group) {
    discard_txn(st, "rolling back");
  } else if (!txn_open(st) || (!st->call_savepoint && st->call_wrote) ||
             (st->call_savepoint && !undo_savepoint(st))) {
    fail_group(st);
    group_lost = true;
  } /* else: a checked-first call that wrote nothing has nothing to undo */
  cbc__error_restore(&saved);
  return group_lost;
}

int cbc_store__write_end(cbc_store *st, int rc)
{
  if (!st->in_call)
    return rc;
  if (rc == 0) /* the call's records chained, in its transaction */
    rc = cbc_store__chain_flush(st);
  st->in_call = false;
  st->data_version_known = st->in_group;
  store_release_pending(st);
  bool committing = rc == 0 && !st->in_group;
  if (rc == 0 && st->in_group && !txn_open(st)) /* an error was lost on the way */
    rc = cbc__error(CBC_EIO, "SQLite rolled the transaction group back after an error");

  if (committing)
    rc = run_cached(st, STMT_COMMIT, "COMMIT", "committing");
  else if (rc == 0 && st->call_savepoint)
    rc = run_cached(st, STMT_RELEASE, "RELEASE cbc_call", "releasing a savepoint");
  if (rc && rollback_call(st))
    cbc__error_prefix("the transaction group was rolled back");
  else if (rc && committing)
    cbc__error_prefix("nothing was committed");
  return rc;
}

int cbc_store__group_begin(cbc_store *st)
{
  if (st->in_group)
    return cbc__error(CBC_ESTATE, "a transaction group is already open");
  int rc = discard_txn(st, "ending a transaction a failed rollback left open");
  if (!rc)
    rc = run_cached(st, STMT_BEGIN, drv_begin_sql(st->conn, true), "starting a transaction group");
  st->n_held = 0;
  cbc_store__chain_forget(st);
  if (!rc)
    st->in_group = true;
  return rc;
}

int cbc_store__group_commit(cbc_store *st)
{
  if (!st->in_group)
    return cbc__error(CBC_ESTATE, "no transaction group is open");
  store_release_pending(st);
  if (cbc_store__group_failed(st)) {
    discard_txn(st, "rolling back the transaction group");
    end_group(st);
    return cbc__error(CBC_ESTATE, "the transaction group was rolled back after a failed call; "
                                  "nothing was committed");
  }
  int rc = run_cached(st, STMT_COMMIT, "COMMIT", "committing the transaction group");
  if (!rc) {
    st->in_group = st->data_version_known = false;
    cbc_store__chain_forget(st);
  } else if (txn_open(st)) { /* e.g. SQLITE_BUSY: SQLite kept it */
    cbc__error_prefix("the transaction group is still open (retry the commit or roll it "
                      "back)");
  } else {
    end_group(st);
    cbc__error_prefix("the transaction group was rolled back, nothing was committed");
  }
  return rc;
}

int cbc_store__group_rollback(cbc_store *st)
{
  if (!st->in_group)
    return cbc__error(CBC_ESTATE, "no transaction group is open");
  store_release_pending(st);
  end_group(st);
  return discard_txn(st, "rolling back the transaction group");
}

bool cbc_store__group_failed(cbc_store *st)
{
  if (st->in_group && !st->group_failed && !st->in_call && !txn_open(st))
    fail_group(st); /* SQLite ended it after an error in a read */
  return st->group_failed;
}

bool cbc_store__in_group(const cbc_store *st) { return st->in_group; }

bool cbc_store__call_may_rerun(const cbc_store *st) { return st->call_victim && !st->in_group; }

int store_cursor_new(cbc_store_cursor **out, cbc_store *st, const char *sql)
{
  *out = NULL;
  cbc_store_cursor *c = cbc__calloc(1, sizeof(*c));
  if (!c)
    return cbc__error_oom();
  int rc = store_prepare(st, sql, false, &c->stmt);
  if (rc) {
    cbc__free(c);
    return rc;
  }
  c->st = st;
  *out = c;
  return 0;
}

void store_cursor_paged(cbc_store_cursor *c) { drv_page(c->stmt, STORE_PAGE_ROWS); }

int store_cursor_ints(cbc_store_cursor **out, cbc_store *st, const char *sql, int n,
                      const int64_t *values)
{
  int rc = store_cursor_new(out, st, sql);
  for (int i = 0; i < n && !rc; i++)
    drv_bind_int64((*out)->stmt, i + 1, values[i]);
  return rc;
}

int store_cursor_step(cbc_store_cursor *c)
{
  if (c->done)
    return CBC_ITEROVER;
  int rc = store_step(c->st, c->stmt, "reading rows");
  if (rc == DRV_ROW)
    return 0;
  if (rc == DRV_DONE) {
    c->done = true;
    return CBC_ITEROVER;
  }
  return rc;
}

int cbc_store__cursor_id(cbc_store_cursor *c, int64_t *out)
{
  int rc = store_cursor_step(c);
  if (!rc)
    *out = drv_column_int64(c->stmt, 0);
  return rc;
}

void cbc_store__cursor_free(cbc_store_cursor *c)
{
  if (!c)
    return;
  drv_finalize(c->stmt);
  cbc__free(c);
}
