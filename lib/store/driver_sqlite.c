/* The SQLite driver (lib/store/driver.h): opening a file, running and
 * preparing SQL, and SQLite's result codes as the library's. */
#include "driver_internal.h"
#include "internal.h"
#include <string.h>
#include <unistd.h>

static int code_of(int rc)
{
  switch (rc & 0xFF) {
  case SQLITE_BUSY: case SQLITE_LOCKED: return CBC_EBUSY;
  case SQLITE_NOMEM: return CBC_ENOMEM;
  case SQLITE_CORRUPT: case SQLITE_NOTADB: return CBC_ECORRUPT;
  case SQLITE_READONLY: return CBC_EPERM;
  case SQLITE_CONSTRAINT: return CBC_ECONFLICT;
  case SQLITE_RANGE: case SQLITE_MISUSE: return CBC_EINVAL;
  default: return CBC_EIO;
  }
}

int drv_sqlite_error(sqlite3 *db, int rc, const char *what)
{
  int code = code_of(rc);
  if (code == CBC_ENOMEM)
    return cbc__error(CBC_ENOMEM, "%s: out of memory", what);
  return cbc__error(code, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

int drv_sqlite_step(sqlite3_stmt *s, const char *what)
{
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW)
    return DRV_ROW;
  if (rc == SQLITE_DONE)
    return DRV_DONE;
  return drv_sqlite_error(sqlite3_db_handle(s), rc, what);
}

int drv_sqlite_step_insert(sqlite3_stmt *s, const char *what, int64_t *id)
{
  int rc = drv_sqlite_step(s, what);
  if (rc < 0)
    return rc;
  if (sqlite3_changes(sqlite3_db_handle(s)) == 0) /* ON CONFLICT DO NOTHING did nothing */
    return cbc__error(CBC_ECONFLICT, "%s: the row is already there", what);
  *id = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
  return 0;
}

int drv_sqlite_bind_error(sqlite3_stmt *s, int i, int rc)
{
  if (rc == SQLITE_RANGE && i > sqlite3_bind_parameter_count(s))
    return 0; /* not in this statement's SQL: ignored */
  return drv_sqlite_error(sqlite3_db_handle(s), rc, "binding a parameter");
}

/* Open the file and set what must hold before its first read: the busy
 * timeout (a concurrent opener may hold a lock from the very start) and
 * foreign keys. */
int drv_sqlite_open(sqlite3 **out, const char *path, const drv_options *o)
{
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  bool memory = strcmp(path, ":memory:") == 0;
  *out = NULL;
  if (o->readonly)
    flags |= SQLITE_OPEN_READONLY;
  else
    flags |= SQLITE_OPEN_READWRITE | (o->create ? SQLITE_OPEN_CREATE : 0);
  if (!memory && !(flags & SQLITE_OPEN_CREATE) && access(path, F_OK) != 0)
    return cbc__error(CBC_ENOTFOUND, "database file '%s' does not exist", path);
  int rc = sqlite3_open_v2(path, out, flags, NULL);
  if (rc != SQLITE_OK) {
    rc = drv_sqlite_error(*out, rc, "opening the database");
    cbc__error_prefix("'%s'", path);
    return rc;
  }
  sqlite3_extended_result_codes(*out, 1);
  sqlite3_busy_timeout(*out, o->busy_timeout_ms);
  return drv_sqlite_exec(*out, "PRAGMA foreign_keys=ON", "enabling foreign keys");
}

void drv_sqlite_close(sqlite3 *db)
{
  if (db && !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close_v2(db);
}

int drv_sqlite_exec(sqlite3 *db, const char *sql, const char *what)
{
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? 0 : drv_sqlite_error(db, rc, what);
}

int drv_sqlite_prepare(sqlite3 *db, const char *sql, bool persistent, sqlite3_stmt **out)
{
  int rc = sqlite3_prepare_v3(db, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, out,
                              NULL);
  return rc == SQLITE_OK ? 0 : drv_sqlite_error(db, rc, "preparing a statement");
}
