/* The driver's connection-level calls (lib/store/driver.h), each handed to
 * the engine the connection was opened on. */
#include "driver_internal.h"
#include "internal.h"
#include <string.h>

bool drv_is_postgres(const char *target)
{
  return target && (strncmp(target, "postgresql://", 13) == 0 ||
                    strncmp(target, "postgres://", 11) == 0);
}

int drv_open(drv_conn **out, const char *target, const drv_options *o)
{
  *out = NULL;
  drv_conn *c = cbc__calloc(1, sizeof(*c));
  if (!c)
    return cbc__error_oom();
  int rc = drv_is_postgres(target) ? drv_pg_open(&c->pg, target, o)
                                   : drv_sqlite_open(&c->lite, target, o);
  if (rc) {
    drv_close(c);
    return rc;
  }
  *out = c;
  return 0;
}

void drv_close(drv_conn *c)
{
  if (!c)
    return;
  if (c->pg)
    drv_pg_close(c->pg);
  else
    drv_sqlite_close(c->lite);
  cbc__free(c);
}

drv_engine drv_engine_of(const drv_conn *c) { return c->pg ? DRV_POSTGRES : DRV_SQLITE; }

sqlite3 *drv_sqlite(const drv_conn *c) { return c->lite; }

int drv_exec(drv_conn *c, const char *sql, const char *what)
{
  return c->pg ? drv_pg_exec(c->pg, sql, what) : drv_sqlite_exec(c->lite, sql, what);
}

int drv_exec_int(drv_conn *c, const char *sql, const char *what, int64_t *out)
{
  *out = 0;
  return c->pg ? drv_pg_exec_int(c->pg, sql, what, out)
               : cbc__error(CBC_EINVAL, "%s: not on SQLite", what);
}

int drv_prepare(drv_conn *c, const char *sql, bool persistent, drv_stmt **out)
{
  *out = NULL;
  drv_stmt *s = cbc__calloc(1, sizeof(*s));
  if (!s)
    return cbc__error_oom();
  int rc = c->pg ? drv_pg_prepare(c->pg, sql, &s->pg)
                 : drv_sqlite_prepare(c->lite, sql, persistent, &s->lite);
  if (rc) {
    cbc__free(s);
    return rc;
  }
  *out = s;
  return 0;
}

void drv_finalize(drv_stmt *s)
{
  if (!s)
    return;
  if (s->pg)
    drv_pg_finalize(s->pg);
  else
    sqlite3_finalize(s->lite);
  cbc__free(s);
}

bool drv_in_txn(const drv_conn *c)
{
  return c->pg ? drv_pg_in_txn(c->pg) : !sqlite3_get_autocommit(c->lite);
}

bool drv_txn_spoiled(const drv_conn *c) { return c->pg && drv_pg_txn_spoiled(c->pg); }

bool drv_victim(const drv_conn *c) { return c->pg && drv_pg_victim(c->pg); }

const char *drv_begin_sql(const drv_conn *c, bool write)
{
  if (c->pg)
    return write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                 : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  return write ? "BEGIN IMMEDIATE" : "BEGIN";
}

int drv_begin(drv_conn *c, bool write)
{
  return drv_exec(c, drv_begin_sql(c, write), "beginning a transaction");
}
