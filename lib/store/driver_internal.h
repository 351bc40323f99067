/* Private to the driver's files (driver.c, driver_sqlite.c, driver_pg.c):
 * the connection and each engine's connection-level calls. */
#ifndef CBC_STORE_DRIVER_INTERNAL_H
#define CBC_STORE_DRIVER_INTERNAL_H

#include "driver.h"

/* A connection of either engine; exactly one of the two is set. */
struct drv_conn {
  sqlite3 *lite;
  drv_pg_conn *pg;
};

int drv_sqlite_open(sqlite3 **out, const char *path, const drv_options *o);
void drv_sqlite_close(sqlite3 *db);
int drv_sqlite_exec(sqlite3 *db, const char *sql, const char *what);
int drv_sqlite_prepare(sqlite3 *db, const char *sql, bool persistent, sqlite3_stmt **out);

#endif
