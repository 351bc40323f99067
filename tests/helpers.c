/* Shared test helpers (tests/helpers.h). */
#include "helpers.h"
#include "hazard_internal.h"
#include "pg_helpers.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cbc_test_check_ok(int rc, const char *expr, const char *file, int line)
{
  if (rc == 0)
    return;
  const cbc_error *e = cbc_error_last();
  print_error("%s returned %d (%s): %s\n", expr, rc, cbc_error_name(rc), e->message);
  _fail(file, line);
}

void cbc_test_check_error(int rc, int code, const char *needle, const char *expr,
                          const char *file, int line)
{
  const cbc_error *e = cbc_error_last();
  if (rc != code) {
    print_error("%s returned %d (%s), expected %d (%s); last error: %s\n", expr, rc,
                cbc_error_name(rc), code, cbc_error_name(code), e->message);
    _fail(file, line);
  }
  if (code != 0 && e->code != code) {
    print_error("%s: cbc_error_last() has code %d, expected %d\n", expr, e->code, code);
    _fail(file, line);
  }
  if (needle && !strstr(e->message, needle)) {
    print_error("%s: message \"%s\" does not contain \"%s\"\n", expr, e->message, needle);
    _fail(file, line);
  }
}

int64_t cbc_test_clock(void *payload) { return *(int64_t *)payload; }

cbc_db *cbc_test_db_file(const char *path, int64_t *now)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.clock = cbc_test_clock;
  opts.clock_payload = now;
  opts.synchronous = CBC_DB_SYNC_NORMAL;
  cbc_db *db = NULL;
  assert_cbc_ok(cbc_db_open(&db, path, &opts));
  return db;
}

bool cbc_test_on_postgres(void)
{
  const char *engine = getenv("CBC_TEST_ENGINE");
  return engine && strcmp(engine, "postgresql") == 0;
}

static void drop_pg_schemas(void) { cbc_test_pg_drop("schemas"); }

/* A fresh PostgreSQL schema's target, in a buffer of the caller's. */
static const char *new_pg_database(char *target, size_t size)
{
  static bool dropping;
  if (cbc_test_pg_schema(target, size) != 0)
    fail_msg("no PostgreSQL database for the test (CBC_TEST_ENGINE=postgresql)");
  if (!dropping)
    atexit(drop_pg_schemas);
  dropping = true;
  return target;
}

cbc_db *cbc_test_db(int64_t *now)
{
  char target[160];
  return cbc_test_db_file(cbc_test_on_postgres() ? new_pg_database(target, sizeof(target))
                                                 : ":memory:",
                          now);
}

const char *cbc_test_target(const char *name)
{
  static char target[160];
  if (cbc_test_on_postgres())
    return new_pg_database(target, sizeof(target));
  const char *path = cbc_test_path(name);
  cbc_test_unlink(path);
  return path;
}

const char *cbc_test_path(const char *name)
{
  static char dir[256], path[512];
  if (!dir[0]) {
    snprintf(dir, sizeof(dir), "/tmp/cbc-test-%ld", (long)getpid());
    mkdir(dir, 0700);
  }
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  return path;
}

void cbc_test_unlink(const char *path)
{
  char buf[600];
  unlink(path);
  snprintf(buf, sizeof(buf), "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof(buf), "%s-shm", path);
  unlink(buf);
}

int64_t cbc_test_date(int year, int month, int day)
{
  /* days from civil (proleptic Gregorian), then shift to UTC+8 midnight */
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = (int64_t)era * 146097 + doe - 719468;
  return days * 86400 - 8 * 3600;
}

/* ---- fault-injecting allocator ---- */
static long g_count, g_fail_at, g_failed;

static void *fault_malloc(size_t size, void *payload)
{
  (void)payload;
  g_count++;
  if (g_fail_at && --g_fail_at == 0) {
    g_failed = 1;
    return NULL;
  }
  return malloc(size);
}

static void *fault_realloc(void *ptr, size_t size, void *payload)
{
  (void)payload;
  g_count++;
  if (g_fail_at && --g_fail_at == 0) {
    g_failed = 1;
    return NULL;
  }
  return realloc(ptr, size);
}

static void fault_free(void *ptr, void *payload)
{
  (void)payload;
  free(ptr);
}

void cbc_test_alloc_install(int route_sqlite)
{
  cbc_allocator a = CBC_ALLOCATOR_INIT;
  a.malloc_fn = fault_malloc;
  a.realloc_fn = fault_realloc;
  a.free_fn = fault_free;
  g_count = g_fail_at = g_failed = 0;
  assert_cbc_ok(cbc_allocator_set(&a, route_sqlite ? CBC_ALLOCATOR_ROUTE_SQLITE : 0));
}

void cbc_test_alloc_uninstall(void) { assert_cbc_ok(cbc_allocator_set(NULL, 0)); }

void cbc_test_fail_after(long n)
{
  g_fail_at = n;
  g_failed = 0;
}

long cbc_test_alloc_count(void) { return g_count; }
int cbc_test_alloc_failed(void) { return (int)g_failed; }

long cbc_test_fault_stride(void)
{
  const char *v = getenv("CBC_TEST_FAULT_STRIDE");
  long n = v ? strtol(v, NULL, 10) : 1;
  return n >= 1 && n <= 1000 ? n : 1;
}

void cbc_test_copy_file(const char *from, const char *to)
{
  cbc_test_unlink(to);
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  assert_non_null(in);
  assert_non_null(out);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
    assert_int_equal(fwrite(buf, 1, n, out), n);
  fclose(in);
  assert_int_equal(fclose(out), 0);
}

static int test_long(void)
{
  const char *env_long = getenv("CBC_TEST_LONG");
  return env_long && *env_long && strcmp(env_long, "0") != 0;
}

int cbc_test_light(void)
{
  const char *light = getenv("CBC_TEST_LIGHT");
  if (test_long())
    return 0;
  if (light && *light)
    return strcmp(light, "0") != 0;
  return cbc_test_fault_stride() > 1;
}

long cbc_test_spread_stride(long total, long points)
{
  if (test_long())
    return 1;
  return cbc_test_fault_stride() * (total / points > 1 ? total / points : 1);
}

long cbc_test_sweep_stride(long total)
{
  long k = cbc_test_fault_stride();
  if (test_long())
    return 1;
  if (k == 1)
    return total / 4000 > 1 ? total / 4000 : 1;
  return k * (total / 800 > 1 ? total / 800 : 1);
}

/* ---- the shared org fixture ---- */
void cbc_test_seed_org(cbc_db *db)
{
  static const cbc_unit_record units[] = {
    { 1, "R1", NULL, CBC_UNIT_REGION, "Jinan district", NULL, 0 },
    { 1, "E1", "R1", CBC_UNIT_ENTERPRISE, "Steelworks", "metallurgy", 1 },
    { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "Rolling mill", NULL, 0 },
    { 1, "W2", "E1", CBC_UNIT_WORKSHOP, "Safety department", NULL, 0 },
    { 1, "T1", "W1", CBC_UNIT_TEAM, "Shift A", NULL, 0 },
    { 1, "T2", "W1", CBC_UNIT_TEAM, "Shift B", NULL, 0 },
    { 1, "T3", "W2", CBC_UNIT_TEAM, "Office", NULL, 0 },
  };
  static const cbc_employee_record emps[] = {
    { 1, "L1", "Li Lei", "shift lead", "T1", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
    { 1, "A1", "Wang Fang", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
    { 1, "A2", "Zhang Wei", "crane operator", "T1", CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP, 1, 0 },
    { 1, "L2", "Liu Yang", "shift lead", "T2", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { 1, "B1", "Chen Jing", "roller", "T2", CBC_ROLE_WORKER, 1, 0 },
    { 1, "D1", "Zhao Min", "director", "T3", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
    { 1, "P1", "Sun Hua", "general manager", "T3", CBC_ROLE_PRINCIPAL, 1, 0 },
    { 1, "S1", "Zhou Qiang", "safety engineer", "T3", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
    { 1, "I1", "Wu Gang", "inspector", "R1", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
    { 1, "C1", "Zheng Li", "union cadre", "R1", CBC_ROLE_UNION_CADRE, 1, 0 },
  };
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  assert_cbc_ok(cbc_org_sync(&res, db, units, sizeof(units) / sizeof(units[0]), emps,
                             sizeof(emps) / sizeof(emps[0]), &opts));
  cbc_sync_result_free(res);
}

cbc_hazard_record cbc_test_record(cbc_db *db, const char *reporter_ext, const char *unit_ext,
                                  cbc_severity sev, const char *title)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = cbc_test_employee_id(db, reporter_ext);
  r.unit_id = cbc_test_unit_id(db, unit_ext);
  r.title = title;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = sev;
  return r;
}

cbc_hazard_registration cbc_test_team_registration(int64_t deadline)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "关门上锁";
  g.deadline = deadline;
  g.contingency_plan = "挂警示牌";
  return g;
}

int64_t cbc_test_report(cbc_db *db, const char *reporter_ext, const char *unit_ext,
                        cbc_severity sev, const char *title)
{
  cbc_hazard_record r = cbc_test_record(db, reporter_ext, unit_ext, sev, title);
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  return id;
}

void cbc_test_seed_second_enterprise(cbc_db *db, const char *region_ext)
{
  cbc_unit_record units[] = {
    { 1, "E2", region_ext, CBC_UNIT_ENTERPRISE, "Cement works", "building materials", 0 },
    { 1, "W9", "E2", CBC_UNIT_WORKSHOP, "Kiln", NULL, 0 },
    { 1, "T9", "W9", CBC_UNIT_TEAM, "Kiln shift", NULL, 0 },
  };
  static const cbc_employee_record people[] = {
    { 1, "X1", "Qian Jun", "kiln worker", "T9", CBC_ROLE_WORKER, 1, 0 },
    { 1, "XL", "Feng Tao", "shift lead", "T9", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { 1, "XS", "He Ping", "safety engineer", "T9", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
    { 1, "XP", "Jiang Bo", "plant manager", "T9", CBC_ROLE_PRINCIPAL, 1, 0 },
  };
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    assert_cbc_ok(cbc_unit_upsert(NULL, db, &units[i]));
  for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
    assert_cbc_ok(cbc_employee_upsert(NULL, db, &people[i]));
}

int64_t cbc_test_unit_id(cbc_db *db, const char *external_id)
{
  cbc_unit *u = NULL;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, external_id));
  int64_t id = u->id;
  cbc_unit_free(u);
  return id;
}

int64_t cbc_test_employee_id(cbc_db *db, const char *external_id)
{
  cbc_employee *e = NULL;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, external_id));
  int64_t id = e->id;
  cbc_employee_free(e);
  return id;
}

void cbc_test_write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  fclose(f);
}

static void assert_same_hazard(const cbc_hazard *h, const cbc_hazard *stored)
{
  const int64_t got[] = { h->state, h->reporter_id, h->unit_id, h->enterprise_id, h->kind,
                          h->category, h->check_item, h->source, h->observed_at,
                          h->reported_at, h->proposed_severity, h->severity, h->level,
                          h->resolved_level, h->responsible_id, h->funds_fen, h->deadline,
                          h->original_deadline, h->has_plan, h->plan.time_limit,
                          h->duplicate_of, h->listed, h->listed_at, h->listed_by,
                          h->extension_pending, h->reopen_count, h->submitted_by,
                          h->closed_at, h->updated_at };
  const int64_t want[] = { stored->state, stored->reporter_id, stored->unit_id,
                           stored->enterprise_id, stored->kind, stored->category,
                           stored->check_item, stored->source, stored->observed_at,
                           stored->reported_at, stored->proposed_severity, stored->severity,
                           stored->level, stored->resolved_level, stored->responsible_id,
                           stored->funds_fen, stored->deadline, stored->original_deadline,
                           stored->has_plan, stored->plan.time_limit, stored->duplicate_of,
                           stored->listed, stored->listed_at, stored->listed_by,
                           stored->extension_pending, stored->reopen_count,
                           stored->submitted_by, stored->closed_at, stored->updated_at };
  for (size_t i = 0; i < sizeof(got) / sizeof(got[0]); i++)
    if (got[i] != want[i])
      fail_msg("hazard %lld: integer field %zu replays to %lld, stored %lld",
               (long long)stored->id, i, (long long)got[i], (long long)want[i]);
  const char *got_s[] = { h->title, h->description, h->location, h->measures,
                          h->contingency_plan, h->plan.goals, h->plan.methods,
                          h->plan.funds_materials, h->plan.responsible_bodies,
                          h->plan.safety_measures, h->reject_reason, h->listing_authority,
                          h->listing_document, h->last_note };
  const char *want_s[] = { stored->title, stored->description, stored->location,
                           stored->measures, stored->contingency_plan, stored->plan.goals,
                           stored->plan.methods, stored->plan.funds_materials,
                           stored->plan.responsible_bodies, stored->plan.safety_measures,
                           stored->reject_reason, stored->listing_authority,
                           stored->listing_document, stored->last_note };
  for (size_t i = 0; i < sizeof(got_s) / sizeof(got_s[0]); i++)
    assert_string_equal(cbc__str(got_s[i]), cbc__str(want_s[i]));
}

size_t cbc_test_assert_replay(cbc_db *db, int64_t id)
{
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  void **holders = calloc(n ? n : 1, sizeof(void *)); /* the fold borrows their strings */
  assert_non_null(holders);
  cbc_hazard h = { 0 };
  h.id = id;
  for (size_t i = 0; i < n; i++) {
    cbc__move m;
    assert_cbc_ok(cbc__move_from_event(&m, &ev[i], &holders[i]));
    assert_cbc_ok(cbc__hazard_fold(&h, &m));
    assert_int_equal(h.state, ev[i].to_state);
  }
  cbc_hazard *stored;
  assert_cbc_ok(cbc_hazard_lookup(&stored, db, id));
  assert_same_hazard(&h, stored);
  cbc_hazard_free(stored);
  for (size_t i = 0; i < n; i++)
    cbc__move_json_free(holders[i]);
  free(holders);
  cbc_hazard_events_free(ev, n);
  return n;
}

size_t cbc_test_org_size(cbc_db *db)
{
  size_t n = 0;
  cbc_unit_iter *roots, *sub;
  const cbc_unit *root, *u;
  assert_cbc_ok(cbc_unit_iter_children(&roots, db, 0));
  while (cbc_unit_iter_next(&root, roots) == 0) {
    assert_cbc_ok(cbc_unit_iter_subtree(&sub, db, root->id));
    while (cbc_unit_iter_next(&u, sub) == 0)
      n++;
    cbc_unit_iter_free(sub);
    cbc_employee_iter *people;
    const cbc_employee *e;
    assert_cbc_ok(cbc_employee_iter_subtree(&people, db, root->id, CBC_EMPLOYEE_ITER_INACTIVE));
    while (cbc_employee_iter_next(&e, people) == 0)
      n++;
    cbc_employee_iter_free(people);
  }
  cbc_unit_iter_free(roots);
  return n;
}

int64_t cbc_test_sql_int(cbc_db *db, const char *sql)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(db->store->conn, sql, false, &s));
  int rc = drv_step(s, "a test's query");
  if (rc < 0)
    fail_msg("%s: %s", sql, cbc_error_last()->message);
  int64_t v = rc == DRV_ROW ? drv_column_int64(s, 0) : 0;
  drv_finalize(s);
  return v;
}

void cbc_test_sql_exec(cbc_db *db, const char *sql)
{
  if (drv_exec(db->store->conn, sql, "a test's statement") != 0)
    fail_msg("%s: %s", sql, cbc_error_last()->message);
}

int64_t cbc_test_all_rows(cbc_db *db)
{
  const char *list = cbc_test_on_postgres()
                       ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                       : "SELECT name FROM sqlite_schema WHERE type = 'table'";
  drv_stmt *tables = NULL;
  int64_t total = 0;
  assert_cbc_ok(drv_prepare(db->store->conn, list, false, &tables));
  while (drv_step(tables, "listing tables") == DRV_ROW) {
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", drv_column_text(tables, 0));
    total += cbc_test_sql_int(db, sql);
  }
  drv_finalize(tables);
  return total;
}
