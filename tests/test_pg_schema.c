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
#include "db_internal.h"
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

/* The tenant key (schema step 18, docs/scale-out.md) is where the engines
 * differ on purpose: SQLite added the column with the default it requires
 * (PostgreSQL's has none: tenant_in_every_key() checks), and PostgreSQL's
 * keys end with it where SQLite keeps the rowid.  So a default of a tenant
 * column, and a key's or an index's last column when it is the tenant,
 * are left out of the comparison. */
static void column_fact(facts *f, char **c)
{
  bool tenant = strcmp(c[1], "enterprise_id") == 0;
  fact(f, "column %s.%s #%s notnull=%s default=%s", c[0], c[1], c[2], c[3], tenant ? "-" : c[4]);
}

/* @p columns without a last ",enterprise_id", as a length to print. */
static int without_tenant(const char *columns)
{
  static const char tail[] = ",enterprise_id";
  size_t n = strlen(columns), t = sizeof(tail) - 1;
  return (int)(n > t && strcmp(columns + n - t, tail) == 0 ? n - t : n);
}

static void key_fact(facts *f, char **c)
{
  fact(f, "%s %s(%.*s)", c[0], c[1], without_tenant(c[2]), c[2]);
}

static void index_fact(facts *f, char **c)
{
  fact(f, "index %s on %s(%.*s) unique=%s partial=%s", c[0], c[1], without_tenant(c[2]), c[2],
       c[3], c[4]);
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
    assert_cbc_ok(cbc_store__pg_schema_create(c, CBC_STORE_SCHEMA_VERSION));
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
           " from_state, to_state, level, data, enterprise_id)"
           " VALUES (%lld, 0, 1, 1, 0, 1, 0, ?1, 1)",
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
                   CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(one_int(p, "SELECT value FROM meta WHERE key = 'application_id'"),
                   CBC_STORE_APPLICATION_ID);
  drv_close(p);
  drv_close(s);
}

/* The tenant tables with their tenant column (docs/scale-out.md), as SQL
 * rows. */
#define TENANT_TABLES                                                                    \
  "(VALUES ('hazards', 'enterprise_id'), ('hazard_events', 'enterprise_id'),"            \
  " ('hazard_attachments', 'enterprise_id'), ('overdue_escalations', 'enterprise_id'),"  \
  " ('trainings', 'enterprise_id'), ('training_attendees', 'enterprise_id'),"            \
  " ('voided_training_attendees', 'enterprise_id'), ('drills', 'enterprise_id'),"        \
  " ('drill_teams', 'enterprise_id'), ('voided_drill_teams', 'enterprise_id'),"          \
  " ('visits', 'enterprise_id'), ('proposals', 'enterprise_id'),"                        \
  " ('awards', 'enterprise_id'), ('fines', 'enterprise_id'),"                            \
  " ('participation', 'unit_id'), ('stat_months', 'unit_id'), ('stat_active', 'unit_id')," \
  " ('filings', 'enterprise_id'), ('history_chain', 'enterprise_id'),"                     \
  " ('penalties', 'enterprise_id'))"                                                      \
  " AS tt(name, tenant) JOIN pg_class t ON t.relname = tt.name"                          \
  " JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = 'public'"              \
  " JOIN pg_attribute ta ON ta.attrelid = t.oid AND ta.attname = tt.tenant"

static void print_row(facts *f, char **c)
{
  (void)f;
  print_message("without its tenant: %s %s\n", c[0], c[1]);
}

/* On PostgreSQL, every primary key, unique constraint and unique index of
 * a tenant table holds its tenant column, and every reference between two
 * of them carries it (what hash partitions and Citus's shards require);
 * the column is NOT NULL without a default, so no insert can leave it out.
 * Checked on a database created afresh (base and step 18). */
static void test_tenant_in_every_key(void **state)
{
  (void)state;
  drv_conn *p = fresh_pg(true);
  assert_int_equal(one_int(p, "SELECT count(*) FROM " TENANT_TABLES), 20);
  assert_int_equal(one_int(p, "SELECT count(*) FROM " TENANT_TABLES " WHERE ta.attnotnull"
                              " AND NOT ta.atthasdef"), 20);
  assert_true(one_int(p, "SELECT count(*) FROM " TENANT_TABLES
                         " JOIN pg_index x ON x.indrelid = t.oid AND x.indisunique") >= 20);
  static const char keys_without[] =
    "SELECT tt.name, i.relname FROM " TENANT_TABLES
    " JOIN pg_index x ON x.indrelid = t.oid AND x.indisunique"
    " JOIN pg_class i ON i.oid = x.indexrelid WHERE NOT ta.attnum = ANY(x.indkey)";
  facts none = { 0 };
  rows(p, keys_without, 2, print_row, &none);
  char sql[2048];
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s) k", keys_without);
  assert_int_equal(one_int(p, sql), 0);
  static const char references[] =
    "SELECT count(*) FROM " TENANT_TABLES " JOIN pg_constraint c ON c.conrelid = t.oid"
    " AND c.contype = 'f' JOIN pg_class r ON r.oid = c.confrelid"
    " WHERE r.relname IN ('hazards', 'hazard_events', 'trainings', 'drills')";
  assert_int_equal(one_int(p, references), 9); /* with the penalties' hazard */
  snprintf(sql, sizeof(sql), "%s AND NOT ta.attnum = ANY(c.conkey)", references);
  assert_int_equal(one_int(p, sql), 0);
  drv_close(p);
}

/* Rows of a schema-17 database, the same SQL on both engines: region R (1)
 * holds enterprises E1 (2) and E2 (6); E1 holds workshop W (3) with team
 * T1 (4), and team T2 (5) directly; E2 holds team T3 (7).  Hazard 1 is
 * T1's, hazard 2 T3's; trainings at T1, R and T3; a drill of W; visits to
 * T2 and R; a proposal of T3; an award of W; a fine in T3. */
static const char v17_rows[] =
  "INSERT INTO units(id, parent_id, kind, external_id, name, created_at, path) VALUES"
  " (1, NULL, 1, 'R', 'R', 0, '/11/'), (2, 1, 2, 'E1', 'E1', 0, '/11/12/'),"
  " (3, 2, 3, 'W', 'W', 0, '/11/12/13/'), (4, 3, 4, 'T1', 'T1', 0, '/11/12/13/14/'),"
  " (5, 2, 4, 'T2', 'T2', 0, '/11/12/15/'), (6, 1, 2, 'E2', 'E2', 0, '/11/16/'),"
  " (7, 6, 4, 'T3', 'T3', 0, '/11/16/17/');"
  "INSERT INTO employees(id, external_id, name, unit_id, roles, active, hire_date,"
  " created_at, unit_since) VALUES (1, 'P1', 'P1', 4, 0, 1, 0, 0, 0);"
  "INSERT INTO hazards(id, state, reporter_id, unit_id, enterprise_id, title, description,"
  " location, kind, category, check_item, source, observed_at, reported_at,"
  " proposed_severity, updated_at) VALUES (1, 2, 1, 4, 2, 't', 'd', 'l', 1, 1, 1, 1, 0, 0,"
  " 1, 0), (2, 2, 1, 7, 6, 't', 'd', 'l', 1, 1, 1, 1, 0, 0, 1, 0);"
  "INSERT INTO hazard_events(id, hazard_id, at, actor_id, action, from_state, to_state,"
  " level, data) VALUES (1, 1, 0, 1, 1, 0, 1, 0, ''), (2, 1, 0, 1, 2, 1, 2, 1, ''),"
  " (3, 2, 0, 1, 1, 0, 1, 0, '');" /* the same bytes on both engines */
  "INSERT INTO hazard_attachments(id, hazard_id, event_id, uri, media_type, size, sha256,"
  " stage, added_at, added_by) VALUES (1, 1, 2, 'u', 'image/png', 1, 's', 1, 0, 1);"
  "INSERT INTO overdue_escalations(hazard_id, escalated_at) VALUES (2, 77);"
  "INSERT INTO trainings(id, kind, unit_id, held_at, minutes, title, recorded_at) VALUES"
  " (1, 1, 4, 0, 60, 't', 0), (2, 1, 1, 0, 60, 't', 0), (3, 1, 7, 0, 60, 't', 0);"
  "INSERT INTO training_attendees(training_id, employee_id, passed, kind, held_at)"
  " VALUES (1, 1, 1, 1, 0);"
  "INSERT INTO voided_training_attendees(training_id, employee_id, passed, kind, held_at)"
  " VALUES (3, 1, 1, 1, 0);"
  "INSERT INTO drills(id, unit_id, enterprise_id, held_at, scenario, recorded_at)"
  " VALUES (1, 3, 2, 0, 's', 0);"
  "INSERT INTO drill_teams(drill_id, team_id, held_at) VALUES (1, 4, 0);"
  "INSERT INTO voided_drill_teams(drill_id, team_id, held_at) VALUES (1, 5, 0);"
  "INSERT INTO visits(id, cadre_id, unit_id, visited_at, findings, recorded_at) VALUES"
  " (1, 1, 5, 0, 'f', 0), (2, 1, 1, 0, 'f', 0);"
  "INSERT INTO proposals(id, proposer_id, unit_id, title, text, submitted_at, status)"
  " VALUES (1, 1, 7, 't', 't', 0, 1);"
  "INSERT INTO awards(id, rule, subject_kind, subject_id, cause, unit_id, policy_version,"
  " amount_fen, reasons, state, proposed_at) VALUES (1, 1, 1, 1, 'c', 3, 1, 100, 'r', 1, 0);"
  "INSERT INTO fines(id, employee_id, unit_id, amount_fen, reason, issued_by, issued_at)"
  " VALUES (1, 1, 7, 100, 'r', 1, 0);";

/* What step 18 made of v17_rows: each row's tenant, worked out by hand. */
static void tenants_filled(drv_conn *c)
{
  static const struct {
    const char *sql;
    int64_t want;
  } expect[] = {
    { "SELECT enterprise_id FROM hazard_events WHERE id = 1", 2 },
    { "SELECT enterprise_id FROM hazard_events WHERE id = 2", 2 },
    { "SELECT enterprise_id FROM hazard_events WHERE id = 3", 6 },
    { "SELECT enterprise_id FROM hazard_attachments WHERE id = 1", 2 },
    { "SELECT enterprise_id FROM overdue_escalations WHERE hazard_id = 2", 6 },
    { "SELECT escalated_at FROM overdue_escalations WHERE hazard_id = 2", 77 },
    { "SELECT count(*) FROM overdue_escalations", 1 },
    { "SELECT enterprise_id FROM trainings WHERE id = 1", 2 }, /* T1 under W under E1 */
    { "SELECT enterprise_id FROM trainings WHERE id = 2", 1 }, /* R: its own */
    { "SELECT enterprise_id FROM trainings WHERE id = 3", 6 },
    { "SELECT enterprise_id FROM training_attendees WHERE training_id = 1", 2 },
    { "SELECT enterprise_id FROM voided_training_attendees WHERE training_id = 3", 6 },
    { "SELECT enterprise_id FROM drill_teams WHERE drill_id = 1", 2 },
    { "SELECT enterprise_id FROM voided_drill_teams WHERE drill_id = 1", 2 },
    { "SELECT enterprise_id FROM visits WHERE id = 1", 2 }, /* T2 directly under E1 */
    { "SELECT enterprise_id FROM visits WHERE id = 2", 1 },
    { "SELECT enterprise_id FROM proposals WHERE id = 1", 6 },
    { "SELECT enterprise_id FROM awards WHERE id = 1", 2 }, /* W */
    { "SELECT enterprise_id FROM fines WHERE id = 1", 6 },
  };
  for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
    int64_t got = one_int(c, expect[i].sql);
    if (got != expect[i].want)
      fail_msg("%s: %lld, expected %lld", expect[i].sql, (long long)got,
               (long long)expect[i].want);
  }
}

/* The upgrade's chains (step 19 -> 20 and the first open's links) on
 * both engines: sound, and the same, hash for hash. */
static void same_chains(cbc_db *lite, cbc_db *pg)
{
  const char *list = "SELECT DISTINCT enterprise_id FROM history_chain ORDER BY 1";
  int64_t n = cbc_test_sql_int(lite, "SELECT count(DISTINCT enterprise_id) FROM history_chain");
  assert_true(n > 1);
  assert_int_equal(cbc_test_sql_int(pg, "SELECT count(*) FROM history_chain"),
                   cbc_test_sql_int(lite, "SELECT count(*) FROM history_chain"));
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(lite->store->conn, list, false, &s));
  while (drv_step(s, "listing chains") == DRV_ROW) {
    cbc_history_checkpoint a, b;
    assert_cbc_ok(cbc_history_head(&a, lite, drv_column_int64(s, 0)));
    assert_cbc_ok(cbc_history_head(&b, pg, drv_column_int64(s, 0)));
    assert_int_equal(a.seq, b.seq);
    assert_string_equal(a.hash, b.hash);
  }
  drv_finalize(s);
  cbc_db *both[] = { lite, pg };
  for (int i = 0; i < 2; i++) {
    cbc_history_verdict *v = NULL;
    assert_cbc_ok(cbc_history_verify(&v, both[i], NULL, 0));
    assert_int_equal(v->fault, CBC_HISTORY_SOUND);
    cbc_history_verdict_free(v);
  }
}

/* Opening a schema-17 database upgrades it to 18 on either engine and fills
 * every tenant column from the tree; then to 20, whose chains it builds. */
static void test_step_18_fills_the_tenants(void **state)
{
  (void)state;
  drv_conn *s = fresh_sqlite();
  assert_cbc_ok(drv_exec(s, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "PRAGMA user_version=17", "making version 17"));
  assert_cbc_ok(drv_exec(s, v17_rows, "writing version-17 rows"));
  drv_close(s);
  cbc_db_close(cbc_test_db_file(sqlite_target, &now));
  s = connect_to(sqlite_target);
  tenants_filled(s);
  drv_close(s);

  drv_conn *p = fresh_pg(false);
  assert_cbc_ok(cbc_store__pg_schema_create(p, CBC_STORE_PG_BASE_VERSION));
  assert_cbc_ok(drv_exec(p, v17_rows, "writing version-17 rows"));
  cbc_db *db = NULL;
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  assert_cbc_error(cbc_db_open(&db, pg_target, &o), CBC_ESTATE, "needs upgrading to 20");
  o.flags = 0;
  assert_cbc_ok(cbc_db_open(&db, pg_target, &o));
  int version = 0;
  assert_cbc_ok(cbc_db_schema_version(&version, db));
  assert_int_equal(version, CBC_STORE_SCHEMA_VERSION);
  cbc_db *lite = cbc_test_db_file(sqlite_target, &now);
  same_chains(lite, db);
  cbc_db_close(lite);
  cbc_db_close(db);
  tenants_filled(p);
  drv_close(p);
}

/* A creation that fails half-way (a table of the schema's already there)
 * creates nothing, and leaves what was there. */
static void test_failed_creation_leaves_nothing(void **state)
{
  (void)state;
  drv_conn *p = fresh_pg(false);
  assert_cbc_ok(drv_exec(p, "CREATE TABLE visits(mine TEXT); INSERT INTO visits VALUES ('a')",
                         "preparing"));
  assert_cbc_error(cbc_store__pg_schema_create(p, CBC_STORE_SCHEMA_VERSION), CBC_EIO, "creating the tables: ");
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
    cmocka_unit_test(test_tenant_in_every_key),
    cmocka_unit_test(test_step_18_fills_the_tenants),
    cmocka_unit_test(test_failed_creation_leaves_nothing),
  };
  return cmocka_run_group_tests_name("pg_schema", tests, setup, teardown);
}
