/* The engine driver under the store (docs/decisions.md, "A second engine:
 * PostgreSQL"): a connection to an SQLite file or to a PostgreSQL database,
 * prepared statements with bound parameters, rows read column by column,
 * and each engine's errors mapped onto the library's codes.  The SQL text
 * is the same for both engines: SQLite's placeholders (?N), which the
 * PostgreSQL driver renumbers ($N), and SQLite's planner hints, which it
 * drops (INDEXED BY, NOT INDEXED; CROSS JOIN ... ON is read as JOIN).
 *
 * Errors: every call returning int returns 0 (or, for drv_step, DRV_ROW
 * or DRV_DONE) or a negative CBC code with the thread's error set
 * ("<what>: <the engine's message>").  Not exported. */
#ifndef CBC_STORE_DRIVER_H
#define CBC_STORE_DRIVER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum drv_engine { DRV_SQLITE = 1, DRV_POSTGRES = 2 } drv_engine;

/* drv_step's answers besides an error. */
#define DRV_ROW 1  /* a row is ready to be read */
#define DRV_DONE 2 /* the statement has run to its end */

typedef struct drv_conn drv_conn;
typedef struct drv_pg_conn drv_pg_conn;
typedef struct drv_pg_stmt drv_pg_stmt;

/* A prepared statement of either engine; exactly one of the two is set. */
typedef struct drv_stmt {
  sqlite3_stmt *lite;
  drv_pg_stmt *pg;
} drv_stmt;

typedef struct drv_options {
  bool readonly;       /* SQLite: open read-only */
  bool create;         /* SQLite: create the file when missing */
  int busy_timeout_ms; /* how long a write waits for another's lock */
} drv_options;

/* Whether @p target names a PostgreSQL database ("postgresql://..." or
 * "postgres://...") rather than an SQLite file. */
bool drv_is_postgres(const char *target);

/* Connect to @p target: a PostgreSQL URI, or an SQLite file path
 * (":memory:" too).  *out is NULL on failure.  CBC_ENOTFOUND for a missing
 * file without @p o->create; CBC_EIO for a server that cannot be reached
 * or refuses the login. */
int drv_open(drv_conn **out, const char *target, const drv_options *o);
/* Roll back an open transaction and disconnect; every statement must have
 * been finalized.  NULL is ignored. */
void drv_close(drv_conn *c);
drv_engine drv_engine_of(const drv_conn *c);
/* The SQLite connection, for what only SQLite has (its PRAGMAs, SQL
 * functions written in C, FTS5); NULL for PostgreSQL. */
sqlite3 *drv_sqlite(const drv_conn *c);

/* Run @p sql (one or more statements, no parameters, rows ignored). */
int drv_exec(drv_conn *c, const char *sql, const char *what);
/* The same, and *out the first column of the last statement's first row
 * (0 without rows): on PostgreSQL, several statements in one round trip.
 * CBC_EINVAL on SQLite, which has no use for it. */
int drv_exec_int(drv_conn *c, const char *sql, const char *what, int64_t *out);
/* Prepare @p sql; @p persistent when it will be kept and run many times.
 * Freed with drv_finalize. */
int drv_prepare(drv_conn *c, const char *sql, bool persistent, drv_stmt **out);
/* Free a statement (NULL is ignored). */
void drv_finalize(drv_stmt *s);

/* Whether a transaction is open on the connection, also one an error has
 * spoiled (SQLite may end one by itself after an error; PostgreSQL keeps
 * a failed one open until it is rolled back). */
bool drv_in_txn(const drv_conn *c);
/* Whether the open transaction can take no more statements but ROLLBACK:
 * PostgreSQL's after any error in it; never on SQLite, where a failed
 * statement undoes only itself. */
bool drv_txn_spoiled(const drv_conn *c);
/* Whether the last error the connection reported was PostgreSQL's choice
 * of it as a deadlock's or a serialization failure's victim (SQLSTATE
 * 40P01, 40001: its transaction is lost, but may run again); never on
 * SQLite. */
bool drv_victim(const drv_conn *c);
/* Begin a transaction: SQLite takes the write lock at once for @p write
 * (BEGIN IMMEDIATE); PostgreSQL begins at READ COMMITTED. */
int drv_begin(drv_conn *c, bool write);
/* The statement drv_begin runs, for a caller that keeps it prepared. */
const char *drv_begin_sql(const drv_conn *c, bool write);

/* ---- the PostgreSQL driver (driver_pg.c), reached through the inline
 * functions below */
int drv_pg_open(drv_pg_conn **out, const char *uri, const drv_options *o);
void drv_pg_close(drv_pg_conn *c);
int drv_pg_exec(drv_pg_conn *c, const char *sql, const char *what);
int drv_pg_exec_int(drv_pg_conn *c, const char *sql, const char *what, int64_t *out);
int drv_pg_prepare(drv_pg_conn *c, const char *sql, drv_pg_stmt **out);
void drv_pg_finalize(drv_pg_stmt *s);
bool drv_pg_in_txn(const drv_pg_conn *c);
bool drv_pg_txn_spoiled(const drv_pg_conn *c);
bool drv_pg_victim(const drv_pg_conn *c);
int drv_pg_bind_int64(drv_pg_stmt *s, int i, int64_t v);
int drv_pg_bind_text(drv_pg_stmt *s, int i, const char *text, int len, bool copy);
int drv_pg_bind_blob(drv_pg_stmt *s, int i, const void *data, int len, bool copy);
bool drv_pg_readonly(const drv_pg_stmt *s);
int drv_pg_bind_null(drv_pg_stmt *s, int i);
int drv_pg_param_count(const drv_pg_stmt *s);
int drv_pg_step(drv_pg_stmt *s, const char *what);
int drv_pg_step_insert(drv_pg_stmt *s, const char *what, int64_t *id);
void drv_pg_reset(drv_pg_stmt *s);
void drv_pg_clear_bindings(drv_pg_stmt *s);
bool drv_pg_busy(const drv_pg_stmt *s);
void drv_pg_page(drv_pg_stmt *s, int rows);
int drv_pg_column_count(const drv_pg_stmt *s);
bool drv_pg_column_null(const drv_pg_stmt *s, int i);
bool drv_pg_column_is_blob(const drv_pg_stmt *s, int i);
int64_t drv_pg_column_int64(const drv_pg_stmt *s, int i);
const char *drv_pg_column_text(const drv_pg_stmt *s, int i);
const void *drv_pg_column_blob(const drv_pg_stmt *s, int i);
int drv_pg_column_bytes(const drv_pg_stmt *s, int i);
int64_t drv_pg_changes(const drv_pg_stmt *s);

/* ---- the SQLite driver's step and error mapping (driver_sqlite.c) */
/* The library's code for SQLite result code @p rc, and the error set with
 * @p what and SQLite's message (from @p db when given): for the store's
 * SQLite-only pieces, which call SQLite directly. */
int drv_sqlite_error(sqlite3 *db, int rc, const char *what);
int drv_sqlite_step(sqlite3_stmt *s, const char *what);
int drv_sqlite_step_insert(sqlite3_stmt *s, const char *what, int64_t *id);
int drv_sqlite_bind_error(sqlite3_stmt *s, int i, int rc);

/* ---- statements: binding (parameters from 1), stepping, reading
 * (columns from 0).  A text or blob bound is copied (but by the _static
 * calls).  A parameter number above the statement's highest is ignored
 * (the store binds a filter's parameters by fixed numbers whatever SQL it
 * built); 0 or below is CBC_EINVAL.  A column's text or blob stays valid
 * until the statement steps again, is reset or is finalized. */

static inline int drv_bind_int64(drv_stmt *s, int i, int64_t v)
{
  if (s->lite) {
    int rc = sqlite3_bind_int64(s->lite, i, v);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_int64(s->pg, i, v);
}

/* @p len < 0: up to the terminating NUL. */
static inline int drv_bind_text(drv_stmt *s, int i, const char *text, int len)
{
  if (s->lite) {
    int rc = sqlite3_bind_text(s->lite, i, text, len, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_text(s->pg, i, text, len, true);
}

/* drv_bind_text without a copy: @p text must stay as it is until the
 * statement is reset or the parameter bound again. */
static inline int drv_bind_text_static(drv_stmt *s, int i, const char *text, int len)
{
  if (s->lite) {
    int rc = sqlite3_bind_text(s->lite, i, text, len, SQLITE_STATIC);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_text(s->pg, i, text, len, false);
}

static inline int drv_bind_blob(drv_stmt *s, int i, const void *data, int len)
{
  if (s->lite) {
    int rc = sqlite3_bind_blob(s->lite, i, data, len, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_blob(s->pg, i, data, len, true);
}

/* drv_bind_blob without a copy, as drv_bind_text_static. */
static inline int drv_bind_blob_static(drv_stmt *s, int i, const void *data, int len)
{
  if (s->lite) {
    int rc = sqlite3_bind_blob(s->lite, i, data, len, SQLITE_STATIC);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_blob(s->pg, i, data, len, false);
}

static inline int drv_bind_null(drv_stmt *s, int i)
{
  if (s->lite) {
    int rc = sqlite3_bind_null(s->lite, i);
    return rc == SQLITE_OK ? 0 : drv_sqlite_bind_error(s->lite, i, rc);
  }
  return drv_pg_bind_null(s->pg, i);
}

/* Whether the statement only reads (PostgreSQL: it starts with SELECT,
 * VALUES or WITH; the store writes no data-modifying WITH). */
static inline bool drv_readonly(const drv_stmt *s)
{
  return s->lite ? sqlite3_stmt_readonly(s->lite) != 0 : drv_pg_readonly(s->pg);
}

/* The highest parameter number the SQL uses. */
static inline int drv_param_count(const drv_stmt *s)
{
  return s->lite ? sqlite3_bind_parameter_count(s->lite) : drv_pg_param_count(s->pg);
}

/* DRV_ROW, DRV_DONE, or an error whose message starts with @p what.  After
 * DRV_DONE or an error, reset the statement before stepping it again. */
static inline int drv_step(drv_stmt *s, const char *what)
{
  return s->lite ? drv_sqlite_step(s->lite, what) : drv_pg_step(s->pg, what);
}

/* Run an INSERT into a table whose key is `id`, and hand back the new
 * row's id (SQLite: its rowid; PostgreSQL: the statement runs with
 * RETURNING id added).  0 or an error; reset the statement afterwards.
 * An INSERT ... ON CONFLICT DO NOTHING that inserted nothing is
 * CBC_ECONFLICT ("<what>: the row is already there"), and on PostgreSQL,
 * unlike a constraint's error, leaves the transaction usable: the form for
 * an insert whose conflict the caller reports and goes on. */
static inline int drv_step_insert(drv_stmt *s, const char *what, int64_t *id)
{
  return s->lite ? drv_sqlite_step_insert(s->lite, what, id) : drv_pg_step_insert(s->pg, what, id);
}

/* Back to before the first step; the bindings stay. */
static inline void drv_reset(drv_stmt *s)
{
  if (s->lite)
    sqlite3_reset(s->lite);
  else
    drv_pg_reset(s->pg);
}

/* Every parameter back to NULL. */
static inline void drv_clear_bindings(drv_stmt *s)
{
  if (s->lite)
    sqlite3_clear_bindings(s->lite);
  else
    drv_pg_clear_bindings(s->pg);
}

/* Read a reading statement's rows @p rows at a time: on PostgreSQL
 * through a cursor (DECLARE ... WITH HOLD, FETCH, CLOSE at its end or
 * reset), so that a result of millions of rows never sits whole in memory;
 * SQLite steps row by row anyway.  For results without a bound (every
 * hazard of a ledger, every employee of a subtree): a bounded one costs
 * two more round trips this way. */
static inline void drv_page(drv_stmt *s, int rows)
{
  if (!s->lite)
    drv_pg_page(s->pg, rows);
}

/* Whether the statement has been stepped, has not run to its end and has
 * not been reset. */
static inline bool drv_busy(const drv_stmt *s)
{
  return s->lite ? sqlite3_stmt_busy(s->lite) != 0 : drv_pg_busy(s->pg);
}

static inline int drv_column_count(const drv_stmt *s)
{
  return s->lite ? sqlite3_column_count(s->lite) : drv_pg_column_count(s->pg);
}

static inline bool drv_column_null(const drv_stmt *s, int i)
{
  return s->lite ? sqlite3_column_type(s->lite, i) == SQLITE_NULL
                 : drv_pg_column_null(s->pg, i);
}

/* Whether the column holds bytes (a BLOB, a bytea) rather than text or a
 * number. */
static inline bool drv_column_is_blob(const drv_stmt *s, int i)
{
  return s->lite ? sqlite3_column_type(s->lite, i) == SQLITE_BLOB
                 : drv_pg_column_is_blob(s->pg, i);
}

/* The column as an integer: 0 for NULL; PostgreSQL's booleans are 0 and 1. */
static inline int64_t drv_column_int64(const drv_stmt *s, int i)
{
  return s->lite ? sqlite3_column_int64(s->lite, i) : drv_pg_column_int64(s->pg, i);
}

static inline int drv_column_int(const drv_stmt *s, int i)
{
  return (int)drv_column_int64(s, i);
}

/* The column as UTF-8 text, NULL for NULL (or when SQLite runs out of
 * memory converting it). */
static inline const char *drv_column_text(const drv_stmt *s, int i)
{
  return s->lite ? (const char *)sqlite3_column_text(s->lite, i) : drv_pg_column_text(s->pg, i);
}

/* The column's bytes (NULL for NULL or empty) and how many. */
static inline const void *drv_column_blob(const drv_stmt *s, int i)
{
  return s->lite ? sqlite3_column_blob(s->lite, i) : drv_pg_column_blob(s->pg, i);
}

static inline int drv_column_bytes(const drv_stmt *s, int i)
{
  return s->lite ? sqlite3_column_bytes(s->lite, i) : drv_pg_column_bytes(s->pg, i);
}

/* The rows the statement's last run inserted, updated or deleted. */
static inline int64_t drv_changes(const drv_stmt *s)
{
  return s->lite ? sqlite3_changes64(sqlite3_db_handle(s->lite)) : drv_pg_changes(s->pg);
}

#endif
