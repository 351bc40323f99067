/* Test databases on a PostgreSQL server (tests/pg_helpers.h), made and
 * dropped through the engine driver on the server's "postgres" database. */
#include "pg_helpers.h"
#include "cbc.h"
#include "store/driver.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cbc_test_pg_available(const char *test)
{
  if (getenv("PGHOST"))
    return 1;
  fprintf(stderr, "%s: no PostgreSQL (PGHOST unset); run it as scripts/with-postgres %s\n",
          test, test);
  return 0;
}

/* Run @p sql on the server's maintenance database; 0 or -1. */
static int admin_exec(const char *sql)
{
  drv_conn *admin = NULL;
  const drv_options o = { false, false, 2000 };
  int rc = drv_open(&admin, "postgresql:///postgres", &o);
  if (!rc)
    rc = drv_exec(admin, sql, "managing a test database");
  drv_close(admin);
  if (rc)
    fprintf(stderr, "%s\n", cbc_error_last()->message);
  return rc ? -1 : 0;
}

int cbc_test_pg_drop(const char *prefix)
{
  char sql[160];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS cbc_%s_%ld WITH (FORCE)", prefix,
           (long)getpid());
  return admin_exec(sql);
}

int cbc_test_pg_fresh(const char *prefix, char *target, size_t size)
{
  char sql[160];
  snprintf(sql, sizeof(sql), "CREATE DATABASE cbc_%s_%ld", prefix, (long)getpid());
  if (cbc_test_pg_drop(prefix) != 0 || admin_exec(sql) != 0)
    return -1;
  snprintf(target, size, "postgresql:///cbc_%s_%ld", prefix, (long)getpid());
  return 0;
}
