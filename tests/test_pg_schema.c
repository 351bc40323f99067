/* The schema on PostgreSQL (lib/store/schema_pg.c) against SQLite's, table
 * for table: the same tables and columns in the same order, the same
 * NOT NULL columns and defaults, primary keys, unique constraints and
 * named indexes (columns, uniqueness, partial or not); the same rules
 * (append-only histories, a report fixed once written, ids in report
 * order) run by the same SQL through the driver on both engines; and a
 * creation that fails leaves nothing behind.  Runs under
 * scripts/with-postgres (as test_driver). */
#include "helpers.h"
#include "pg_helpers.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1767225600; /* 2026-01-01 */
static char pg_target[128]; /* postgresql:///cbc_schema_<pid> */
static char sqlite_target[256];

/* A growing text of lines, one fact of a schema each, sorted later. */
typedef struct facts {
  char **lines;
  size_t n, cap;
} facts;

static void fact(facts *f, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (f->n == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 64;
    f->lines = realloc(f->lines, f->cap * sizeof(*f->lines));
    assert_non_null(f->lines);
  }
  f->lines[f->n] = strdup(buf);
  assert_non_null(f->lines[f->n++]);
}

static int by_text(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void facts_free(facts *f)
{
  for (size_t i = 0; i < f->n; i++)
    free(f->lines[i]);
  free(f->lines);
}

/* Run @p sql and hand each row's first @p n columns, as text, to @p each. */
static void rows(drv_conn *c, const char *sql, int n, void (*each)(facts *, char **), facts *f)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(c, sql, false, &s));
  int rc;
  while ((rc = drv_step(s, "reading the catalogue")) == DRV_ROW) {
    char *cols[8];
    for (int i = 0; i < n; i++)
      cols[i] = (char *)(drv_column_text(s, i) ? drv_column_text(s, i) : "");
    each(f, cols);
  }
  assert_int_equal(rc, DRV_DONE);
  drv_finalize(s);
}

static void column_fact(facts *f, char **c)
{
  fact(f, "column %s.%s #%s notnull=%s default=%s", c[0], c[1], c[2], c[3], c[4]);
}

static void key_fact(facts *f, char **c) { fact(f, "%s %s(%s)", c[0], c[1], c[2]); }

static void index_fact(facts *f, char **c)
{
  fact(f, "index %s on %s(%s) unique=%s partial=%s", c[0], c[1], c[2], c[3], c[4]);
}

/* What SQLite's catalogue says of the schema (its text search's tables,
 * which PostgreSQL's trigram index replaces, left out). */
static void sqlite_facts(drv_conn *c, facts *f)
{
  static const char tables[] = "(SELECT name FROM sqlite_schema WHERE type = 'table'"
                               " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'hazards_fts%')";
  rows(c, "SELECT t.name, c.name, c.cid + 1,"
          " CASE WHEN c.\"notnull\" OR c.pk > 0 THEN 1 ELSE 0 END,"
          " CASE WHEN c.dflt_value IS NULL THEN 0 ELSE 1 END"
          " FROM (SELECT name FROM sqlite_schema WHERE type = 'table'"
          " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'hazards_fts%') t,"
          " pragma_table_info(t.name) c",
       5, column_fact, f);
  char sql[1024];
  snprintf(sql, sizeof(sql), /* the key's columns in key order: a window over them */
           "SELECT DISTINCT 'primary key', t.name, group_concat(c.name, ',') OVER"
           " (PARTITION BY t.name ORDER BY c.pk ROWS BETWEEN UNBOUNDED PRECEDING"
           " AND UNBOUNDED FOLLOWING)"
           " FROM %s t, pragma_table_info(t.name) c WHERE c.pk > 0", tables);
  rows(c, sql, 3, key_fact, f);
  snprintf(sql, sizeof(sql), /* pragma_index_info lists an index's columns in order */
           "SELECT 'unique', t.name, (SELECT group_concat(name, ',')"
           " FROM pragma_index_info(i.name))"
           " FROM %s t, pragma_index_list(t.name) i WHERE i.origin = 'u'", tables);
  rows(c, sql, 3, key_fact, f);
  snprintf(sql, sizeof(sql),
           "SELECT i.name, t.name, (SELECT group_concat(name, ',')"
           " FROM pragma_index_info(i.name)), i.\"unique\", i.partial"
           " FROM %s t, pragma_index_list(t.name) i WHERE i.origin = 'c'", tables);
  rows(c, sql, 5, index_fact, f);
}

/* The same from PostgreSQL's catalogue (its `meta` table, which holds
 * what SQLite keeps in its header, and its trigram index left out). */
static void pg_facts(drv_conn *c, facts *f)
{
  rows(c, "SELECT table_name, column_name, ordinal_position,"
          " CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END,"
          " CASE WHEN column_default IS NULL THEN 0 ELSE 1 END"
          " FROM information_schema.columns WHERE table_schema = 'public'"
          " AND table_name <> 'meta'",
       5, column_fact, f);
  static const char constraint[] =
    "SELECT %s, t.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.n)"
    "  FROM unnest(x.conkey) WITH ORDINALITY k(att, n)"
    "  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att)"
    " FROM pg_constraint x JOIN pg_class t ON t.oid = x.conrelid"
    " JOIN pg_namespace s ON s.oid = t.relnamespace"
    " WHERE s.nspname = 'public' AND x.contype = '%c' AND t.relname <> 'meta'";
  char sql[1024];
  snprintf(sql, sizeof(sql), constraint, "'primary key'", 'p');
  rows(c, sql, 3, key_fact, f);
  snprintf(sql, sizeof(sql), constraint, "'unique'", 'u');
  rows(c, sql, 3, key_fact, f);
  rows(c, "SELECT i.relname, t.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.n)"
          "  FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(att, n)"
          "  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att),"
          " CASE WHEN x.indisunique THEN 1 ELSE 0 END,"
          " CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END"
          " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
          " JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace"
          " WHERE s.nspname = 'public' AND t.relname <> 'meta' AND i.relname <> 'hazards_text'"
          " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = x.indexrelid)",
       5, index_fact, f);
}

/* ---------------------------------------------------------------- setup */

static drv_conn *connect_to(const char *target)
{
  drv_conn *c = NULL;
  const drv_options o = { false, false, 2000 };
  assert_cbc_ok(drv_open(&c, target, &o));
  return c;
}

/* A fresh database of this run's own, its schema created or not. */
static drv_conn *fresh_pg(bool create)
{
  assert_int_equal(cbc_test_pg_fresh("schema", pg_target, sizeof(pg_target)), 0);
  drv_conn *c = connect_to(pg_target);
  if (create)
    assert_cbc_ok(cbc_store__pg_schema_create(c));
  return c;
}

static drv_conn *fresh_sqlite(void)
{
  cbc_test_unlink(sqlite_target);
  cbc_db *db = cbc_test_db_file(sqlite_target, &now); /* creates schema 17 */
  cbc_db_close(db);
  return connect_to(sqlite_target);
}

static int setup(void **state)
{
  (void)state;
  if (!cbc_test_pg_available("test_pg_schema"))
    return -1;
  snprintf(sqlite_target, sizeof(sqlite_target), "%s", cbc_test_path("schema.db"));
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  cbc_test_unlink(sqlite_target);
  return cbc_test_pg_drop("schema");
}

/* ---------------------------------------------------------------- cases */

static void test_same_tables_keys_and_indexes(void **state)
{
  (void)state;
  facts lite = { 0 }, pg = { 0 };
  drv_conn *s = fresh_sqlite(), *p = fresh_pg(true);
  sqlite_facts(s, &lite);
  pg_facts(p, &pg);
  qsort(lite.lines, lite.n, sizeof(*lite.lines), by_text);
  qsort(pg.lines, pg.n, sizeof(*pg.lines), by_text);
  size_t i = 0, j = 0, differences = 0;
  while (i < lite.n || j < pg.n) {
    int cmp = i == lite.n ? 1 : j == pg.n ? -1 : strcmp(lite.lines[i], pg.lines[j]);
    if (cmp)
      print_message("only in %s: %s\n", cmp < 0 ? "SQLite" : "PostgreSQL",
                    cmp < 0 ? lite.lines[i] : pg.lines[j]);
    differences += cmp != 0;
    i += cmp <= 0;
    j += cmp >= 0;
  }
  print_message("%zu facts of SQLite's schema, %zu of PostgreSQL's, %zu differences\n", lite.n,
                pg.n, differences);
  assert_true(lite.n > 300); /* every table's every column, keys, indexes */
  assert_int_equal(differences, 0);
  facts_free(&lite);
  facts_free(&pg);
  drv_close(p);
  drv_close(s);
}

static int64_t one_int(drv_conn *c, const char *sql)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(c, sql, false, &s));
  assert_int_equal(drv_step(s, "reading"), DRV_ROW);
  int64_t v = drv_column_int64(s, 0);
  drv_finalize(s);
  return v;
}

static int64_t insert(drv_conn *c, const char *sql)
{
  drv_stmt *s = NULL;
  int64_t id = 0;
  assert_cbc_ok(drv_prepare(c, sql, false, &s));
  assert_cbc_ok(drv_step_insert(s, "inserting", &id));
  drv_finalize(s);
  return id;
}

/* A hazard of unit 1 reported by employee 1 at @p at. */
static int64_t hazard_at(drv_conn *c, int64_t at)
{
  char sql[512];
  snprintf(sql, sizeof(sql),
           "INSERT INTO hazards(state, reporter_id, unit_id, enterprise_id, title, description,"
           " location, kind, category, check_item, source, observed_at, reported_at,"
           " proposed_severity, updated_at) VALUES (1, 1, 1, 1, '消防通道', '堵塞', '一车间',"
           " 1, 1, 1, 1, %lld, %lld, 1, %lld)", (long long)at, (long long)at, (long long)at);
  return insert(c, sql);
}

/* The same SQL on both engines: the histories refuse changes, a report is
 * fixed, a report out of time order turns the ledger's assumption off. */
static void rules_hold(drv_conn *c)
{
  assert_int_equal(insert(c, "INSERT INTO units(kind, external_id, name, created_at, path)"
                             " VALUES (2, 'E1', '一厂', 0, '/11/')"), 1);
  insert(c, "INSERT INTO employees(external_id, name, unit_id, roles, active, hire_date,"
            " created_at, unit_since) VALUES ('P1', '张三', 1, 0, 1, 0, 0, 0)");
  int64_t h = hazard_at(c, now);
  insert(c, "INSERT INTO employee_events(employee_id, kind, at) VALUES (1, 1, 0)");
  char sql[256];
  snprintf(sql, sizeof(sql), "INSERT INTO hazard_events(hazard_id, at, actor_id, action,"
           " from_state, to_state, level, data) VALUES (%lld, 0, 1, 1, 0, 1, 0, ?1)",
           (long long)h);
  drv_stmt *s = NULL;
  int64_t event;
  assert_cbc_ok(drv_prepare(c, sql, false, &s));
  assert_cbc_ok(drv_bind_blob(s, 1, "\x01", 1));
  assert_cbc_ok(drv_step_insert(s, "recording", &event));
  drv_finalize(s);
  assert_cbc_error(drv_exec(c, "UPDATE hazard_events SET at = 1", "editing"), CBC_ECONFLICT,
                   "hazard history is append-only");
  assert_cbc_error(drv_exec(c, "DELETE FROM hazard_events", "deleting"), CBC_ECONFLICT,
                   "hazard history is append-only");
  assert_cbc_error(drv_exec(c, "DELETE FROM employee_events", "deleting"), CBC_ECONFLICT,
                   "employee history is append-only");
  assert_cbc_error(drv_exec(c, "UPDATE hazards SET title = 'x'", "editing"), CBC_ECONFLICT,
                   "a hazard's report is fixed");
  assert_cbc_ok(drv_exec(c, "UPDATE hazards SET state = 2, title = title", "moving"));
  assert_int_equal(one_int(c, "SELECT value FROM settings"
                              " WHERE key = 'hazard_ids_in_report_order'"), 1);
  hazard_at(c, now + 60);
  assert_int_equal(one_int(c, "SELECT value FROM settings"
                              " WHERE key = 'hazard_ids_in_report_order'"), 1);
  hazard_at(c, now - 60); /* reported before the one before it */
  assert_int_equal(one_int(c, "SELECT value FROM settings"
                              " WHERE key = 'hazard_ids_in_report_order'"), 0);
  assert_cbc_error(drv_exec(c, "INSERT INTO units(kind, external_id, name, created_at, path)"
                               " VALUES (9, 'E9', 'x', 0, '/19/')", "adding"),
                   CBC_ECONFLICT, NULL); /* CHECK(kind BETWEEN 1 AND 4) */
}

static void test_same_rules(void **state)
{
  (void)state;
  drv_conn *s = fresh_sqlite(), *p = fresh_pg(true);
  rules_hold(s);
  rules_hold(p);
  assert_int_equal(one_int(p, "SELECT value FROM meta WHERE key = 'schema_version'"),
                   CBC_STORE_PG_SCHEMA_VERSION);
  assert_int_equal(one_int(p, "SELECT value FROM meta WHERE key = 'application_id'"),
                   CBC_STORE_APPLICATION_ID);
  drv_close(p);
  drv_close(s);
}

/* A creation that fails half-way (a table of the schema's already there)
 * creates nothing, and leaves what was there. */
static void test_failed_creation_leaves_nothing(void **state)
{
  (void)state;
  drv_conn *p = fresh_pg(false);
  assert_cbc_ok(drv_exec(p, "CREATE TABLE visits(mine TEXT); INSERT INTO visits VALUES ('a')",
                         "preparing"));
  assert_cbc_error(cbc_store__pg_schema_create(p), CBC_EIO, "creating the tables: ");
  assert_false(drv_in_txn(p));
  assert_int_equal(one_int(p, "SELECT count(*) FROM information_schema.tables"
                              " WHERE table_schema = 'public'"), 1);
  assert_int_equal(one_int(p, "SELECT count(*) FROM visits WHERE mine = 'a'"), 1);
  drv_close(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_same_tables_keys_and_indexes),
    cmocka_unit_test(test_same_rules),
    cmocka_unit_test(test_failed_creation_leaves_nothing),
  };
  return cmocka_run_group_tests_name("pg_schema", tests, setup, teardown);
}
