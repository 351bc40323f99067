/* Test databases on a PostgreSQL server (tests/pg_helpers.h), made and
 * dropped through the engine driver on the server's "postgres" database. */
#include "pg_helpers.h"
#include "cbc.h"
#include "store/driver.h"
#include "store/store_internal.h"
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

/* Run @p sql on database @p target; 0 or -1. */
static int exec_on(const char *target, const char *sql)
{
  drv_conn *admin = NULL;
  const drv_options o = { false, false, 2000 };
  int rc = drv_open(&admin, target, &o);
  if (!rc)
    rc = drv_exec(admin, sql, "managing a test database");
  drv_close(admin);
  if (rc)
    fprintf(stderr, "%s\n", cbc_error_last()->message);
  return rc ? -1 : 0;
}

/* Run @p sql on the server's maintenance database; 0 or -1. */
static int admin_exec(const char *sql) { return exec_on("postgresql:///postgres", sql); }

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

/* Empty schema s<n> to what the library's creation leaves (its tables'
 * rows gone, ids from 1, the one setting a new database has), triggers
 * off meanwhile: far cheaper than creating it again. */
static int reset_schema(const char *base, int n)
{
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "DO $$ DECLARE r record; BEGIN SET LOCAL session_replication_role = replica;"
           " FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 's%d'"
           "   AND tablename <> 'meta' LOOP EXECUTE format('DELETE FROM s%d.%%I', r.tablename);"
           " END LOOP;"
           " FOR r IN SELECT oid::regclass AS q FROM pg_class WHERE relkind = 'S'"
           "   AND relnamespace = 's%d'::regnamespace LOOP PERFORM setval(r.q, 1, false);"
           " END LOOP;"
           " IF to_regclass('s%d.settings') IS NOT NULL THEN INSERT INTO s%d.settings"
           "   VALUES ('hazard_ids_in_report_order', 1); END IF; END $$",
           n, n, n, n, n);
  return exec_on(base, sql);
}

/* A schema of this process's that no connection uses (the connections'
 * application_name names their schema), or 0. */
static int free_schema(const char *base, int made)
{
  char sql[256];
  int64_t n = 0;
  drv_conn *c = NULL;
  drv_stmt *s = NULL;
  const drv_options o = { false, false, 2000 };
  snprintf(sql, sizeof(sql),
           "SELECT coalesce(min(n), 0) FROM generate_series(1, %d) n WHERE NOT EXISTS"
           " (SELECT 1 FROM pg_stat_activity WHERE application_name = 'cbc_s' || n)",
           made);
  int rc = drv_open(&c, base, &o);
  if (!rc)
    rc = drv_prepare(c, sql, false, &s);
  if (!rc && drv_step(s, "finding a free schema") == DRV_ROW)
    n = drv_column_int64(s, 0);
  drv_finalize(s);
  drv_close(c);
  return (int)n;
}

/* The text of file @p path, malloc'd; NULL with the reason on stderr. */
static char *file_text(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long n = -1;
  if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
    text = malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) == (size_t)n)
    text[n] = '\0';
  else {
    free(text);
    text = NULL;
    fprintf(stderr, "cannot read %s\n", path);
  }
  if (f)
    fclose(f);
  return text;
}

/* With CBC_TEST_PG_PARTITIONS=N: the library's schema created in the new
 * schema @p target names, then its tenant tables partitioned into N by
 * scripts/pg-partition-by-tenant.sql, the way docs/scale-out.md says a
 * province would; the suites then run on that.  0 or -1. */
static int partition_by_tenant(const char *target)
{
  const char *n = getenv("CBC_TEST_PG_PARTITIONS");
  if (!n || !*n)
    return 0;
  char call[64];
  snprintf(call, sizeof(call), "SELECT cbc_partition_by_tenant(%d)", atoi(n));
  char *script = file_text(CBC_SOURCE_DIR "/scripts/pg-partition-by-tenant.sql");
  drv_conn *c = NULL;
  const drv_options o = { false, false, 2000 };
  int rc = script ? drv_open(&c, target, &o) : -1;
  if (!rc)
    rc = cbc_store__pg_schema_create(c, CBC_STORE_SCHEMA_VERSION);
  if (!rc)
    rc = drv_exec(c, script, "defining the partitioning");
  if (!rc)
    rc = drv_exec(c, call, "partitioning by tenant");
  drv_stmt *s = NULL;
  if (!rc) /* the 20 tenant tables, and no other, partitioned */
    rc = drv_prepare(c, "SELECT count(*) FROM pg_class WHERE relkind = 'p'"
                        " AND relnamespace = current_schema()::regnamespace", false, &s);
  if (!rc && (drv_step(s, "counting partitioned tables") != DRV_ROW ||
              drv_column_int64(s, 0) != 20))
    rc = cbc__error(CBC_EIO, "the tenant tables are not partitioned");
  drv_finalize(s);
  if (rc && script)
    fprintf(stderr, "%s\n", cbc_error_last()->message);
  drv_close(c);
  free(script);
  return rc ? -1 : 0;
}

int cbc_test_pg_schema(char *target, size_t size)
{
  static char base[96];
  static int made;
  char sql[64];
  if (!base[0] && (cbc_test_pg_fresh("schemas", base, sizeof(base)) != 0 ||
                   exec_on(base, "CREATE EXTENSION pg_trgm") != 0)) {
    base[0] = '\0';
    return -1;
  }
  int n = free_schema(base, made);
  if (n && reset_schema(base, n) != 0)
    return -1;
  bool fresh = !n;
  if (fresh) {
    n = ++made;
    snprintf(sql, sizeof(sql), "CREATE SCHEMA s%d", n);
    if (exec_on(base, sql) != 0)
      return -1;
  }
  snprintf(target, size, "%s?application_name=cbc_s%d&options=-csearch_path%%3Ds%d,public",
           base, n, n);
  return fresh ? partition_by_tenant(target) : 0;
}
