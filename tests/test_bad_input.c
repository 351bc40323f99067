/* A catalogue of bad calls (issue 10, defect 6): for the public functions
 * of every header, NULL pointers, out-of-range enums (0, max + 1, -1,
 * INT_MAX, INT_MIN), times at INT64_MIN, -1, just past CBC_TIME_MAX and at
 * INT64_MAX, huge counts and amounts.  Each must return its documented code
 * with cbc_error_last() saying so and the database unchanged (a digest of
 * every row, read by a separate raw SQLite connection, after every call).
 * Then damaged databases, edited through raw SQLite the way a broken disk or
 * a hand edit would (empty and garbage unit paths, out-of-range enum
 * columns, malformed event JSON, negative counters): every read that meets
 * the damage returns CBC_ECORRUPT (or a clean error), never undefined
 * behaviour.  The number of bad inputs checked is printed. */
#include "helpers.h"
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;
static char g_path[512];
static uint64_t g_digest;
static size_t g_bad; /* bad inputs checked */

/* ------------------------------------------------------------- digest */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
  for (const unsigned char *s = p; n--; s++)
    h = (h ^ *s) * 1099511628211ull;
  return h;
}

static uint64_t table_digest(sqlite3 *raw, const char *table)
{
  char sql[160];
  sqlite3_stmt *s;
  snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
  assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
  uint64_t sum = 0;
  while (sqlite3_step(s) == SQLITE_ROW) { /* rows in any order */
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      const void *v = sqlite3_column_blob(s, i);
      h = fnv(h, v ? v : "", (size_t)sqlite3_column_bytes(s, i));
      h = fnv(h, "\x1f", 1);
    }
    sum += h;
  }
  sqlite3_finalize(s);
  return fnv(sum, table, strlen(table));
}

/* Every row of every table (the guesses a key lookup counts are meant to be
 * written, so followup_misses is left out). */
static uint64_t digest(void)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_open_v2(g_path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name <> 'followup_misses' ORDER BY name",
                                      -1, &s, NULL),
                   SQLITE_OK);
  uint64_t d = 0;
  while (sqlite3_step(s) == SQLITE_ROW)
    d = d * 31 + table_digest(raw, (const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return d;
}

/* Run raw SQL on the file (the cbc handle must be closed). */
static void raw_exec(const char *sql)
{
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(g_path, &raw), SQLITE_OK);
  char *err = NULL;
  /* a damaged file need not obey the schema's CHECK constraints */
  sqlite3_exec(raw, "PRAGMA ignore_check_constraints = ON", NULL, NULL, NULL);
  if (sqlite3_exec(raw, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err);
  sqlite3_close(raw);
}

/* -------------------------------------------------------- the checks */

static void bad_check(int rc, int code, const char *expr, const char *file, int line)
{
  cbc_test_check_error(rc, code, NULL, expr, file, line);
  if (digest() != g_digest) {
    print_error("%s: refused, but the database changed\n", expr);
    _fail(file, line);
  }
  g_bad++;
}

/* A bad call: returns @p code, says so in cbc_error_last(), changes nothing. */
#define BAD(expr, code) bad_check((expr), (code), #expr, __FILE__, __LINE__)
/* A bad value to a function without a return code: NULL (or 0) back. */
#define BAD_NAME(expr)    \
  do {                    \
    assert_null(expr);    \
    g_bad++;              \
  } while (0)

/* Out-of-range values for an enum whose values are lo..hi. */
#define FOR_BAD_ENUM(var, lo, hi)                                                        \
  for (int bad_i_ = 0, var; bad_i_ < 6 && ((var = (int[]){ (lo) - 1, (hi) + 1, -1, INT_MAX, \
                                                          INT_MIN, 0 }[bad_i_]), 1);     \
       bad_i_++)                                                                         \
    if (var != 0 || (lo) > 0)

/* Times outside [CBC_TIME_MIN, CBC_TIME_MAX]. */
static const int64_t bad_times[] = { INT64_MIN, -1, CBC_TIME_MAX + 1, INT64_MAX };
#define N_BAD_TIMES (sizeof(bad_times) / sizeof(bad_times[0]))

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* ------------------------------------------------------------ fixture */

static cbc_hazard_record report_record(cbc_db *db)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = U(db, "T1");
  r.title = "防护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

static cbc_hazard_registration registration(void)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = CBC_SEVERITY_GENERAL;
  r.level = CBC_LEVEL_TEAM;
  r.measures = "紧固护栏螺栓";
  r.funds_fen = 20000;
  r.deadline = now + 7 * DAY;
  r.contingency_plan = "设置警示带";
  return r;
}

typedef struct fixture {
  cbc_db *db;
  int64_t reported;   /* a hazard in REPORTED */
  int64_t registered; /* a hazard in REGISTERED at TEAM level, L1 responsible */
  int64_t training;
} fixture;

static int setup(void **state)
{
  static fixture fx;
  now = cbc_test_date(2024, 3, 10);
  snprintf(g_path, sizeof(g_path), "%s", cbc_test_path("bad_input.db"));
  cbc_test_unlink(g_path);
  fx.db = cbc_test_db_file(g_path, &now);
  cbc_test_seed_org(fx.db);
  cbc_hazard_record r = report_record(fx.db);
  assert_cbc_ok(cbc_hazard_report(&fx.reported, NULL, fx.db, &r));
  assert_cbc_ok(cbc_hazard_report(&fx.registered, NULL, fx.db, &r));
  cbc_hazard_registration g = registration();
  assert_cbc_ok(cbc_hazard_register(fx.db, fx.registered, E(fx.db, "L1"), &g));
  cbc_attendee att[] = { { E(fx.db, "A1"), 1 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = U(fx.db, "T1");
  t.held_at = now - DAY;
  t.minutes = 60;
  t.title = "规程";
  t.attendees = att;
  t.n_attendees = 1;
  assert_cbc_ok(cbc_training_add(&fx.training, fx.db, &t));
  g_digest = digest();
  *state = &fx;
  return 0;
}

static int teardown(void **state)
{
  fixture *fx = *state;
  cbc_db_close(fx->db);
  cbc_test_unlink(g_path);
  return 0;
}

/* ------------------------------------------------ common.h and db.h */

static void test_common_and_db(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  cbc_allocator al = CBC_ALLOCATOR_INIT;
  BAD(cbc_allocator_init(NULL, CBC_ALLOCATOR_VERSION), CBC_EINVAL);
  BAD(cbc_allocator_init(&al, 0), CBC_EINVAL);
  BAD(cbc_allocator_init(&al, CBC_ALLOCATOR_VERSION + 1), CBC_EINVAL);
  BAD(cbc_allocator_init(&al, UINT_MAX), CBC_EINVAL);
  assert_string_equal(cbc_error_name(INT_MIN), "unknown");
  assert_string_equal(cbc_error_name(INT_MAX), "unknown");
  assert_string_equal(cbc_error_name(-12), "unknown");
  g_bad += 3;
  cbc_db_options o;
  BAD(cbc_db_options_init(NULL, CBC_DB_OPTIONS_VERSION), CBC_EINVAL);
  BAD(cbc_db_options_init(&o, 0), CBC_EINVAL);
  BAD(cbc_db_options_init(&o, CBC_DB_OPTIONS_VERSION + 1), CBC_EINVAL);
  cbc_db *other = NULL;
  BAD(cbc_db_open(NULL, g_path, NULL), CBC_EINVAL);
  BAD(cbc_db_open(&other, NULL, NULL), CBC_EINVAL);
  const struct {
    void (*set)(cbc_db_options *o, int v);
  } *unused = NULL;
  (void)unused;
  int offsets[] = { 86400, -86400, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 4; i++) {
    cbc_db_options bad = CBC_DB_OPTIONS_INIT;
    bad.utc_offset_seconds = offsets[i];
    BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
    assert_null(other);
  }
  FOR_BAD_ENUM(v, CBC_DB_SYNC_NORMAL, CBC_DB_SYNC_FULL)
  {
    cbc_db_options bad = CBC_DB_OPTIONS_INIT;
    bad.synchronous = (cbc_db_sync)v;
    BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
  }
  unsigned int flags[] = { 1u << 3, 1u << 31, UINT_MAX };
  for (size_t i = 0; i < 3; i++) {
    cbc_db_options bad = CBC_DB_OPTIONS_INIT;
    bad.flags = flags[i];
    BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
  }
  cbc_db_options bad = CBC_DB_OPTIONS_INIT;
  bad.busy_timeout_ms = -1;
  BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
  bad = (cbc_db_options)CBC_DB_OPTIONS_INIT;
  bad.version = 0;
  BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
  bad.version = UINT_MAX;
  BAD(cbc_db_open(&other, g_path, &bad), CBC_EINVAL);
  int version;
  BAD(cbc_db_schema_version(NULL, db), CBC_EINVAL);
  BAD(cbc_db_schema_version(&version, NULL), CBC_EINVAL);
  BAD(cbc_db_begin(NULL), CBC_EINVAL);
  BAD(cbc_db_commit(NULL), CBC_EINVAL);
  BAD(cbc_db_rollback(NULL), CBC_EINVAL);
  BAD(cbc_db_commit(db), CBC_ESTATE);
  BAD(cbc_db_rollback(db), CBC_ESTATE);
  assert_int_equal(cbc_db_now(NULL), 0);
  assert_int_equal(cbc_db_in_group(NULL), 0);
  g_bad += 2;
}

/* ---------------------------------------------------------- org.h */

static void test_org(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  unsigned int roles;
  BAD(cbc_roles_parse(NULL, "worker"), CBC_EINVAL);
  BAD(cbc_roles_parse(&roles, NULL), CBC_EINVAL);
  BAD(cbc_roles_parse(&roles, "worker|boss"), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_UNIT_REGION, CBC_UNIT_TEAM)
  BAD_NAME(cbc_unit_kind_name((cbc_unit_kind)v));
  BAD_NAME(cbc_role_name(0));
  BAD_NAME(cbc_role_name(3));
  BAD_NAME(cbc_role_name(UINT_MAX));
  cbc_unit_record ur;
  BAD(cbc_unit_record_init(NULL, CBC_UNIT_RECORD_VERSION), CBC_EINVAL);
  BAD(cbc_unit_record_init(&ur, 0), CBC_EINVAL);
  BAD(cbc_unit_record_init(&ur, UINT_MAX), CBC_EINVAL);
  cbc_employee_record er;
  BAD(cbc_employee_record_init(NULL, CBC_EMPLOYEE_RECORD_VERSION), CBC_EINVAL);
  BAD(cbc_employee_record_init(&er, 0), CBC_EINVAL);
  BAD(cbc_employee_record_init(&er, UINT_MAX), CBC_EINVAL);

  int64_t id;
  const cbc_unit_record good_unit = { 1, "T9", "W1", CBC_UNIT_TEAM, "Shift Z", NULL, 0 };
  BAD(cbc_unit_upsert(&id, db, NULL), CBC_EINVAL);
  BAD(cbc_unit_upsert(&id, NULL, &good_unit), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_UNIT_REGION, CBC_UNIT_TEAM)
  {
    ur = good_unit;
    ur.kind = (cbc_unit_kind)v;
    BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
  }
  int flags01[] = { 2, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 4; i++) {
    ur = good_unit;
    ur.kind = CBC_UNIT_ENTERPRISE;
    ur.parent_external_id = "R1";
    ur.high_risk = flags01[i];
    BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
  }
  const char *bad_names[] = { NULL, "", "a\nb", "a\tb", "a\rb", "\x1b[31m", "\xff\xfe",
                              "\xed\xa0\x80" /* a surrogate */ };
  for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
    ur = good_unit;
    ur.name = bad_names[i];
    BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
    ur = good_unit;
    ur.external_id = bad_names[i];
    BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
    BAD(cbc_unit_rename(db, U(db, "T1"), bad_names[i]), CBC_EINVAL);
  }
  char longer[CBC_MAX_EXTERNAL_ID + 2];
  memset(longer, 'x', sizeof(longer) - 1);
  longer[sizeof(longer) - 1] = '\0';
  ur = good_unit;
  ur.external_id = longer;
  BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
  ur = good_unit;
  ur.version = 0;
  BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);
  ur.version = UINT_MAX;
  BAD(cbc_unit_upsert(&id, db, &ur), CBC_EINVAL);

  const cbc_employee_record good_emp = { 1, "N9", "New", "post", "T1", CBC_ROLE_WORKER, 1, 0 };
  BAD(cbc_employee_upsert(&id, db, NULL), CBC_EINVAL);
  cbc_employee_record e = good_emp;
  for (size_t i = 0; i < N_BAD_TIMES; i++) { /* a hire date at INT64_MAX was accepted */
    e = good_emp;
    e.hire_date = bad_times[i];
    BAD(cbc_employee_upsert(&id, db, &e), CBC_EINVAL);
  }
  unsigned int bad_roles[] = { 1u << 9, 1u << 31, UINT_MAX };
  for (size_t i = 0; i < 3; i++) {
    e = good_emp;
    e.roles = bad_roles[i];
    BAD(cbc_employee_upsert(&id, db, &e), CBC_EINVAL);
  }
  for (size_t i = 0; i < 4; i++) {
    e = good_emp;
    e.active = flags01[i];
    BAD(cbc_employee_upsert(&id, db, &e), CBC_EINVAL);
  }
  for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
    e = good_emp;
    e.name = bad_names[i];
    BAD(cbc_employee_upsert(&id, db, &e), CBC_EINVAL);
  }
  e = good_emp;
  e.post = "a\nb"; /* a post is single-line */
  BAD(cbc_employee_upsert(&id, db, &e), CBC_EINVAL);

  cbc_unit *u;
  cbc_employee *emp;
  BAD(cbc_unit_lookup(NULL, db, 1), CBC_EINVAL);
  BAD(cbc_unit_lookup(&u, NULL, 1), CBC_EINVAL);
  BAD(cbc_unit_lookup(&u, db, INT64_MAX), CBC_ENOTFOUND);
  BAD(cbc_unit_lookup(&u, db, INT64_MIN), CBC_ENOTFOUND);
  BAD(cbc_unit_lookup_external(&u, db, NULL), CBC_EINVAL);
  BAD(cbc_employee_lookup(NULL, db, 1), CBC_EINVAL);
  BAD(cbc_employee_lookup(&emp, db, -1), CBC_ENOTFOUND);
  BAD(cbc_employee_lookup_external(&emp, db, NULL), CBC_EINVAL);
  BAD(cbc_unit_move(db, U(db, "T1"), -1), CBC_EINVAL);
  BAD(cbc_unit_move(db, U(db, "T1"), INT64_MIN), CBC_EINVAL);
  BAD(cbc_unit_move(db, U(db, "W1"), U(db, "T1")), CBC_ESTATE); /* a cycle */
  BAD(cbc_unit_close(db, U(db, "T1")), CBC_ESTATE);             /* has members */
  BAD(cbc_unit_close(NULL, 1), CBC_EINVAL);
  for (size_t i = 0; i < N_BAD_TIMES; i++) { /* a deactivation at INT64_MAX was accepted */
    BAD(cbc_employee_transfer(db, E(db, "A1"), U(db, "T2"), bad_times[i]), CBC_EINVAL);
    BAD(cbc_employee_deactivate(db, E(db, "A1"), bad_times[i]), CBC_EINVAL);
  }
  cbc_unit_iter *ui;
  cbc_employee_iter *ei;
  const cbc_unit *cu;
  const cbc_employee *ce;
  BAD(cbc_unit_iter_children(NULL, db, 0), CBC_EINVAL);
  BAD(cbc_unit_iter_subtree(&ui, db, INT64_MAX), CBC_ENOTFOUND);
  BAD(cbc_unit_iter_next(&cu, NULL), CBC_EINVAL);
  BAD(cbc_employee_iter_subtree(&ei, db, U(db, "E1"), 2), CBC_EINVAL);
  BAD(cbc_employee_iter_subtree(&ei, db, U(db, "E1"), UINT_MAX), CBC_EINVAL);
  BAD(cbc_employee_iter_next(&ce, NULL), CBC_EINVAL);
  cbc_employee_event *hist;
  size_t n;
  BAD(cbc_employee_history(NULL, &n, db, 1), CBC_EINVAL);
  BAD(cbc_employee_history(&hist, NULL, db, 1), CBC_EINVAL);
  int64_t who;
  FOR_BAD_ENUM(v, CBC_LEVEL_TEAM, CBC_LEVEL_ENTERPRISE)
  BAD(cbc_org_responsible(&who, db, U(db, "T1"), (cbc_level)v), CBC_EINVAL);
  BAD(cbc_org_responsible(NULL, db, U(db, "T1"), CBC_LEVEL_TEAM), CBC_EINVAL);
}

static void test_sync(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  cbc_sync_options o;
  BAD(cbc_sync_options_init(NULL, CBC_SYNC_OPTIONS_VERSION), CBC_EINVAL);
  BAD(cbc_sync_options_init(&o, 0), CBC_EINVAL);
  BAD(cbc_sync_options_init(&o, UINT_MAX), CBC_EINVAL);
  const cbc_unit_record units[] = { { 1, "T8", "W1", CBC_UNIT_TEAM, "Shift Y", NULL, 0 } };
  cbc_sync_result *res;
  BAD(cbc_org_sync(NULL, db, units, 1, NULL, 0, NULL), CBC_EINVAL);
  BAD(cbc_org_sync(&res, db, NULL, 1, NULL, 0, NULL), CBC_EINVAL);
  BAD(cbc_org_sync(&res, db, units, 0, NULL, SIZE_MAX, NULL), CBC_EINVAL);
  BAD(cbc_org_sync(&res, NULL, units, 1, NULL, 0, NULL), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_SYNC_INCREMENTAL, CBC_SYNC_FULL)
  {
    if (v == 0) /* CBC_SYNC_INCREMENTAL is 0 */
      continue;
    o = (cbc_sync_options)CBC_SYNC_OPTIONS_INIT;
    o.mode = (cbc_sync_mode)v;
    BAD(cbc_org_sync(&res, db, units, 1, NULL, 0, &o), CBC_EINVAL);
  }
  o = (cbc_sync_options)CBC_SYNC_OPTIONS_INIT;
  o.flags = UINT_MAX;
  BAD(cbc_org_sync(&res, db, units, 1, NULL, 0, &o), CBC_EINVAL);
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    o = (cbc_sync_options)CBC_SYNC_OPTIONS_INIT;
    o.effective_at = bad_times[i];
    BAD(cbc_org_sync(&res, db, units, 1, NULL, 0, &o), CBC_EINVAL);
  }
  o = (cbc_sync_options)CBC_SYNC_OPTIONS_INIT;
  o.version = UINT_MAX;
  BAD(cbc_org_sync(&res, db, units, 1, NULL, 0, &o), CBC_EINVAL);
  BAD(cbc_org_import(NULL, db, "u.csv", NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL), CBC_EINVAL);
  BAD(cbc_org_import(&res, db, NULL, NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_FORMAT_AUTO, CBC_FORMAT_TSV)
  {
    if (v == 0)
      continue;
    BAD(cbc_org_import(&res, db, cbc_test_path("none.csv"), NULL, (cbc_file_format)v, NULL,
                       NULL, NULL),
        CBC_EINVAL);
  }
  BAD(cbc_org_import(&res, db, cbc_test_path("missing.csv"), NULL, CBC_FORMAT_CSV, NULL, NULL,
                     NULL),
      CBC_ENOTFOUND);
  /* the handle is checked before any file is read */
  BAD(cbc_org_import(&res, NULL, cbc_test_path("missing.csv"), NULL, CBC_FORMAT_CSV, NULL, NULL,
                     NULL),
      CBC_EINVAL);
}

/* -------------------------------------------------------- hazard.h */

static void test_hazard_report(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  int64_t id;
  const cbc_hazard_record good = report_record(db);
  cbc_hazard_record r;
  BAD(cbc_hazard_report(&id, NULL, db, NULL), CBC_EINVAL);
  BAD(cbc_hazard_report(&id, NULL, NULL, &good), CBC_EINVAL);
#define ENUM_FIELD(field, type, lo, hi)                   \
  FOR_BAD_ENUM(v, lo, hi)                                 \
  {                                                       \
    r = good;                                             \
    r.field = (type)v;                                    \
    BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL); \
    BAD(cbc_hazard_fix_on_spot(&id, db, &r, "清理", NULL, 0), CBC_EINVAL); \
  }
  ENUM_FIELD(kind, cbc_hazard_kind, CBC_HAZARD_HARD, CBC_HAZARD_SOFT)
  ENUM_FIELD(category, cbc_hazard_category, CBC_CATEGORY_SAFETY,
             CBC_CATEGORY_OCCUPATIONAL_HEALTH)
  ENUM_FIELD(check_item, cbc_check_item, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL)
  ENUM_FIELD(source, cbc_hazard_source, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SUPERVISION_VISIT)
  ENUM_FIELD(proposed_severity, cbc_severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR)
#undef ENUM_FIELD
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    r = good;
    r.observed_at = bad_times[i];
    BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  }
  r = good;
  r.observed_at = now + 1; /* in the future */
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r = good;
  r.n_attachments = 1; /* no array */
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  cbc_attachment att = { CBC_ATTACHMENT_VERSION, "file:///a.jpg", "image/jpeg", 10,
                         "0000000000000000000000000000000000000000000000000000000000000000" };
  r.attachments = &att;
  r.n_attachments = SIZE_MAX;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r.n_attachments = CBC_MAX_ATTACHMENTS + 1;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  cbc_attachment bad_att = att;
  bad_att.size = INT64_MIN;
  r.attachments = &bad_att;
  r.n_attachments = 1;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r = good;
  r.title = "two\nlines"; /* titles stay single-line */
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r = good;
  r.description = "bell\a"; /* long texts refuse other control characters */
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r.description = "lone\rCR";
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r = good;
  r.reporter_id = INT64_MIN;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  r = good;
  r.unit_id = INT64_MAX;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_ENOTFOUND);
  r = good;
  r.version = UINT_MAX;
  BAD(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL);
  BAD(cbc_hazard_fix_on_spot(&id, db, &good, NULL, NULL, 0), CBC_EINVAL);
  BAD(cbc_hazard_fix_on_spot(&id, db, &good, "x\x01", NULL, 0), CBC_EINVAL);
}

static void test_hazard_moves(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  int64_t l1 = E(db, "L1"), s1 = E(db, "S1");
  const cbc_hazard_registration good = registration();
  cbc_hazard_registration g;
  FOR_BAD_ENUM(v, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR)
  {
    g = good;
    g.severity = (cbc_severity)v;
    BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
  }
  FOR_BAD_ENUM(v, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE)
  {
    g = good;
    g.level = (cbc_level)v;
    BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
  }
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    g = good;
    g.deadline = bad_times[i];
    BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
  }
  int64_t bad_funds[] = { -1, INT64_MIN, CBC_MAX_AMOUNT_FEN + 1, INT64_MAX };
  for (size_t i = 0; i < 4; i++) {
    g = good;
    g.funds_fen = bad_funds[i];
    BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
  }
  cbc_rectification_plan plan = { "目标", "方法", "资金", "机构", 0, "措施" };
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    g = good;
    g.plan = &plan;
    plan.time_limit = bad_times[i];
    BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
    BAD(cbc_hazard_file_plan(db, fx->registered, s1, &plan), CBC_EINVAL);
  }
  g = good;
  g.version = 0;
  BAD(cbc_hazard_register(db, fx->reported, l1, &g), CBC_EINVAL);
  BAD(cbc_hazard_register(db, fx->reported, l1, NULL), CBC_EINVAL);
  BAD(cbc_hazard_register(db, INT64_MAX, l1, &good), CBC_ENOTFOUND);
  BAD(cbc_hazard_register(db, fx->reported, INT64_MIN, &good), CBC_EINVAL);
  BAD(cbc_hazard_register(db, fx->reported, 0, &good), CBC_EINVAL);
  BAD(cbc_hazard_file_plan(db, fx->registered, s1, NULL), CBC_EINVAL);
  for (size_t i = 0; i < N_BAD_TIMES; i++)
    BAD(cbc_hazard_request_extension(db, fx->registered, l1, bad_times[i], "原因"), CBC_EINVAL);
  BAD(cbc_hazard_request_extension(db, fx->registered, l1, now + 30 * DAY, NULL), CBC_EINVAL);
  BAD(cbc_hazard_reject(db, fx->reported, l1, NULL, 0), CBC_EINVAL);
  BAD(cbc_hazard_reject(db, fx->reported, l1, "x", fx->reported), CBC_EINVAL);
  BAD(cbc_hazard_escalate(db, fx->registered, l1, "", 0), CBC_EINVAL);
  BAD(cbc_hazard_escalate(db, fx->registered, l1, "原因", -1), CBC_EINVAL);
  BAD(cbc_hazard_escalate(db, fx->registered, l1, "原因", INT64_MIN), CBC_EINVAL);
  int bad_flags[] = { 2, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 4; i++)
    BAD(cbc_hazard_decide_extension(db, fx->registered, s1, bad_flags[i], "x"), CBC_EINVAL);
  BAD(cbc_hazard_submit(db, fx->registered, l1, "note", NULL, 1), CBC_EINVAL);
  BAD(cbc_hazard_verify(db, fx->registered, s1, 1, NULL, NULL, SIZE_MAX), CBC_EINVAL);
  for (size_t i = 0; i < 4; i++)
    BAD(cbc_hazard_verify(db, fx->registered, s1, bad_flags[i], "x", NULL, 0), CBC_EINVAL);
  BAD(cbc_hazard_start(NULL, fx->registered, l1), CBC_EINVAL);
  BAD(cbc_hazard_start(db, fx->registered, INT64_MIN), CBC_EINVAL);
}

static void test_hazard_queries(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  FOR_BAD_ENUM(v, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED)
  BAD_NAME(cbc_hazard_state_name((cbc_hazard_state)v));
  FOR_BAD_ENUM(v, CBC_ACTION_REPORT, CBC_ACTION_AMEND)
  BAD_NAME(cbc_hazard_action_name((cbc_hazard_action)v));
  FOR_BAD_ENUM(v, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE)
  BAD_NAME(cbc_level_name((cbc_level)v));
  cbc_hazard_state to;
  FOR_BAD_ENUM(v, CBC_ACTION_REPORT, CBC_ACTION_AMEND)
  BAD(cbc_hazard_transition(&to, CBC_HAZARD_REPORTED, (cbc_hazard_action)v), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED)
  {
    if (v == 0) /* 0 is "before the report" */
      continue;
    BAD(cbc_hazard_transition(&to, (cbc_hazard_state)v, CBC_ACTION_REGISTER), CBC_EINVAL);
  }
  BAD(cbc_hazard_transition(NULL, CBC_HAZARD_REPORTED, CBC_ACTION_REGISTER), CBC_EINVAL);
  BAD(cbc_hazard_fsm_dot(NULL), CBC_EINVAL);
  cbc_hazard *h;
  BAD(cbc_hazard_lookup(NULL, db, 1), CBC_EINVAL);
  BAD(cbc_hazard_lookup(&h, db, INT64_MIN), CBC_ENOTFOUND);
  cbc_hazard_event *ev;
  size_t n;
  BAD(cbc_hazard_history(NULL, &n, db, 1), CBC_EINVAL);
  BAD(cbc_hazard_history(&ev, NULL, db, 1), CBC_EINVAL);
  cbc_hazard_iter *it;
  cbc_hazard_filter f;
  const cbc_hazard_filter good = CBC_HAZARD_FILTER_INIT;
  BAD(cbc_hazard_iter_new(NULL, db, &good), CBC_EINVAL);
  f = good;
  f.version = UINT_MAX;
  BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
  f = good;
  f.states = 1u << 7;
  BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
  f.states = UINT_MAX;
  BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
  FOR_BAD_ENUM(v, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR)
  {
    if (v == 0) /* 0 is "any" */
      continue;
    f = good;
    f.severity = (cbc_severity)v;
    BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
  }
  FOR_BAD_ENUM(v, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE)
  {
    if (v == 0)
      continue;
    f = good;
    f.level = (cbc_level)v;
    BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
  }
  int64_t *times[] = { &f.overdue_at, &f.reported_from, &f.reported_to, &f.closed_from,
                       &f.closed_to };
  for (size_t k = 0; k < 5; k++)
    for (size_t i = 0; i < N_BAD_TIMES; i++) {
      if (bad_times[i] == CBC_TIME_MAX + 1)
        continue; /* an exclusive end may be one past the last second */
      f = good;
      *times[k] = bad_times[i];
      BAD(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL);
    }
  const cbc_hazard *ch;
  BAD(cbc_hazard_iter_next(&ch, NULL), CBC_EINVAL);
  cbc_hazard_answer *a;
  BAD(cbc_hazard_answer_for(NULL, db, fx->reported, E(db, "A1")), CBC_EINVAL);
  BAD(cbc_hazard_answer_for(&a, db, fx->reported, E(db, "A2")), CBC_EPERM);
  BAD(cbc_hazard_answer_by_key(&a, db, NULL), CBC_EINVAL);
  int64_t *ids;
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    BAD(cbc_hazard_sweep_overdue(&ids, &n, db, bad_times[i], 0), CBC_EINVAL);
    BAD(cbc_hazard_sweep_overdue(&ids, &n, db, bad_times[i], CBC_SWEEP_ESCALATE), CBC_EINVAL);
  }
  BAD(cbc_hazard_sweep_overdue(&ids, &n, db, 0, 2), CBC_EINVAL);
  BAD(cbc_hazard_sweep_overdue(&ids, &n, db, 0, UINT_MAX), CBC_EINVAL);
  BAD(cbc_hazard_sweep_overdue(NULL, &n, db, 0, 0), CBC_EINVAL);
  BAD(cbc_hazard_set_event_hook(NULL, NULL, NULL), CBC_EINVAL);
}

/* ------------------------------------------------------ activity.h */

static void test_activities(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  cbc_attendee att[] = { { E(db, "A1"), 1 } };
  cbc_training_record good = CBC_TRAINING_RECORD_INIT, t;
  good.kind = CBC_TRAINING_ALL_STAFF;
  good.unit_id = U(db, "T1");
  good.held_at = now - DAY;
  good.minutes = 60;
  good.title = "规程";
  good.attendees = att;
  good.n_attendees = 1;
  int64_t id;
  FOR_BAD_ENUM(v, CBC_TRAINING_ALL_STAFF, CBC_TRAINING_WARNING_EDUCATION)
  {
    BAD_NAME(cbc_training_kind_name((cbc_training_kind)v));
    t = good;
    t.kind = (cbc_training_kind)v;
    BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  }
  int bad_minutes[] = { 0, 1441, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 5; i++) {
    t = good;
    t.minutes = bad_minutes[i];
    BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  }
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    t = good;
    t.held_at = bad_times[i];
    BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  }
  size_t bad_counts[] = { 0, CBC_MAX_ATTENDEES + 1, SIZE_MAX };
  for (size_t i = 0; i < 3; i++) {
    t = good;
    t.n_attendees = bad_counts[i];
    BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  }
  t = good;
  t.attendees = NULL;
  BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  t = good;
  t.title = "a\nb";
  BAD(cbc_training_add(&id, db, &t), CBC_EINVAL);
  BAD(cbc_training_add(&id, db, NULL), CBC_EINVAL);
  cbc_training_record tr;
  BAD(cbc_training_record_init(&tr, UINT_MAX), CBC_EINVAL);
  cbc_training *tp;
  BAD(cbc_training_lookup(NULL, db, fx->training), CBC_EINVAL);
  BAD(cbc_training_lookup(&tp, db, INT64_MAX), CBC_ENOTFOUND);

  int64_t teams[] = { U(db, "T1") };
  cbc_drill_record dgood = CBC_DRILL_RECORD_INIT, d;
  dgood.unit_id = U(db, "W1");
  dgood.held_at = now - DAY;
  dgood.scenario = "疏散";
  dgood.team_ids = teams;
  dgood.n_teams = 1;
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    d = dgood;
    d.held_at = bad_times[i];
    BAD(cbc_drill_add(&id, db, &d), CBC_EINVAL);
  }
  size_t bad_teams[] = { 0, CBC_MAX_DRILL_TEAMS + 1, SIZE_MAX };
  for (size_t i = 0; i < 3; i++) {
    d = dgood;
    d.n_teams = bad_teams[i];
    BAD(cbc_drill_add(&id, db, &d), CBC_EINVAL);
  }
  d = dgood;
  d.team_ids = NULL;
  BAD(cbc_drill_add(&id, db, &d), CBC_EINVAL);
  cbc_drill *dp;
  BAD(cbc_drill_lookup(&dp, db, -5), CBC_ENOTFOUND);

  int64_t c1 = E(db, "C1"), e1 = U(db, "E1");
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    BAD(cbc_cadre_assign(&id, db, c1, e1, bad_times[i], 0), CBC_EINVAL);
    if (bad_times[i] > 0)
      BAD(cbc_cadre_assign(&id, db, c1, e1, now - DAY, bad_times[i]), CBC_EINVAL);
  }
  BAD(cbc_cadre_assign(&id, db, c1, e1, now, now - DAY), CBC_EINVAL);
  for (size_t i = 0; i < N_BAD_TIMES; i++)
    BAD(cbc_cadre_release(db, 1, bad_times[i]), CBC_EINVAL);
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = c1;
  v.unit_id = e1;
  v.findings = "bell\a";
  v.visited_at = now - DAY;
  BAD(cbc_visit_add(&id, db, &v), CBC_EINVAL);
  v.findings = "ok";
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    v.visited_at = bad_times[i];
    BAD(cbc_visit_add(&id, db, &v), CBC_EINVAL);
  }
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "A1");
  p.title = "题目";
  p.text = "nul\x02";
  BAD(cbc_proposal_submit(&id, db, &p), CBC_EINVAL);
  p.text = NULL;
  BAD(cbc_proposal_submit(&id, db, &p), CBC_EINVAL);
  int bad_flags[] = { 2, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 4; i++)
    BAD(cbc_proposal_decide(db, 1, E(db, "P1"), bad_flags[i], NULL), CBC_EINVAL);
  int took;
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    if (bad_times[i] != CBC_TIME_MAX + 1)
      BAD(cbc_employee_took_part(&took, db, E(db, "A1"), 0, bad_times[i]), CBC_EINVAL);
    BAD(cbc_employee_took_part(&took, db, E(db, "A1"), bad_times[i], INT64_MAX), CBC_EINVAL);
  }
  BAD(cbc_employee_took_part(NULL, db, E(db, "A1"), 0, 10), CBC_EINVAL);
  int64_t *untrained;
  size_t n;
  cbc_drill_gap *gaps;
  cbc_training_need *needs;
  int bad_years[] = { 0, 1969, 10000, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 6; i++) {
    BAD(cbc_compliance_untrained(&untrained, &n, db, e1, bad_years[i]), CBC_EINVAL);
    BAD(cbc_compliance_drills(&gaps, &n, db, e1, bad_years[i]), CBC_EINVAL);
  }
  for (size_t i = 0; i < N_BAD_TIMES; i++)
    BAD(cbc_compliance_training_needs(&needs, &n, db, e1, bad_times[i]), CBC_EINVAL);
  BAD(cbc_compliance_untrained(NULL, &n, db, e1, 2024), CBC_EINVAL);
}

/* ---------------------------------------------------- stats.h, reward.h */

static void test_periods_and_stats(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  int64_t from, to, e1 = U(db, "E1");
  cbc_period bad[64];
  size_t nb = 0;
  FOR_BAD_ENUM(v, CBC_PERIOD_MONTH, CBC_PERIOD_RANGE)
  bad[nb++] = (cbc_period){ (cbc_period_kind)v, 2024, 1, 0, 0 };
  int bad_years[] = { 1969, 10000, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 5; i++)
    bad[nb++] = (cbc_period){ CBC_PERIOD_MONTH, bad_years[i], 1, 0, 0 };
  int bad_months[] = { 0, 13, -1, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 5; i++) {
    bad[nb++] = (cbc_period){ CBC_PERIOD_MONTH, 2024, bad_months[i], 0, 0 };
    bad[nb++] = (cbc_period){ CBC_PERIOD_QUARTER, 2024, bad_months[i] == 13 ? 5 : bad_months[i],
                              0, 0 };
  }
  bad[nb++] = (cbc_period){ CBC_PERIOD_YEAR, 2024, 1, 0, 0 };
  for (size_t i = 0; i < N_BAD_TIMES; i++) { /* a period ending at INT64_MAX was accepted */
    bad[nb++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, bad_times[i], now };
    if (bad_times[i] > 0)
      bad[nb++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, now,
                                bad_times[i] == INT64_MAX ? INT64_MAX : bad_times[i] + 1 };
  }
  bad[nb++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, now, now };
  bad[nb++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, now, now - 1 };
  bad[nb++] = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, INT64_MIN, INT64_MAX };
  cbc_stats_form *f;
  cbc_stats_forms *forms;
  cbc_stats_breakdown *b;
  cbc_reward_decisions *ds;
  cbc_reward_summary *sum;
  for (size_t i = 0; i < nb; i++) {
    BAD(cbc_period_bounds(&from, &to, db, &bad[i]), CBC_EINVAL);
    BAD(cbc_stats_form_get(&f, db, e1, &bad[i], 0), CBC_EINVAL);
    BAD(cbc_stats_children(&forms, db, e1, &bad[i], 0), CBC_EINVAL);
    BAD(cbc_stats_breakdown_get(&b, db, e1, &bad[i]), CBC_EINVAL);
    BAD(cbc_reward_evaluate(&ds, db, e1, &bad[i], CBC_EVALUATE_DRY_RUN), CBC_EINVAL);
    BAD(cbc_reward_evaluate(&ds, db, e1, &bad[i], 0), CBC_EINVAL);
    BAD(cbc_reward_summary_get(&sum, db, e1, &bad[i]), CBC_EINVAL);
  }
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  BAD(cbc_period_bounds(NULL, &to, db, &month), CBC_EINVAL);
  BAD(cbc_period_bounds(&from, &to, db, NULL), CBC_EINVAL);
  BAD(cbc_period_bounds(&from, &to, NULL, &month), CBC_EINVAL);
  BAD(cbc_stats_form_get(&f, db, e1, &month, 2), CBC_EINVAL);
  BAD(cbc_stats_form_get(&f, db, e1, &month, UINT_MAX), CBC_EINVAL);
  BAD(cbc_stats_form_get(&f, db, INT64_MAX, &month, 0), CBC_ENOTFOUND);
  BAD(cbc_stats_children(&forms, db, e1, &month, UINT_MAX), CBC_EINVAL);
  BAD(cbc_reward_evaluate(&ds, db, e1, &month, UINT_MAX), CBC_EINVAL);
  int series_bad[][3] = { { 2024, 0, 1 },       { 2024, 13, 1 },   { 2024, 1, 0 },
                          { 2024, 1, 121 },     { 2024, 1, -1 },   { 2024, 1, INT_MAX },
                          { INT_MAX, 12, 120 }, { INT_MIN, 1, 1 }, { 1969, 1, 1 } };
  for (size_t i = 0; i < sizeof(series_bad) / sizeof(series_bad[0]); i++)
    BAD(cbc_stats_series(&forms, db, e1, series_bad[i][0], series_bad[i][1], series_bad[i][2]),
        CBC_EINVAL);

  /* renderings of hand-made forms and breakdowns */
  assert_cbc_ok(cbc_stats_form_get(&f, db, e1, &month, 0));
  char *out;
  FOR_BAD_ENUM(v, CBC_STATS_TEXT, CBC_STATS_CSV)
  BAD(cbc_stats_form_render(&out, db, f, (cbc_stats_format)v), CBC_EINVAL);
  cbc_stats_form made = *f;
  int64_t bad_ends[][2] = { { 0, INT64_MAX }, { INT64_MIN, 0 }, { INT64_MIN, INT64_MAX },
                            { 5, 5 },         { 10, 5 },       { CBC_TIME_MAX, INT64_MAX } };
  for (size_t i = 0; i < 6; i++) {
    made.from = bad_ends[i][0];
    made.to = bad_ends[i][1];
    for (int fmt = CBC_STATS_TEXT; fmt <= CBC_STATS_CSV; fmt++)
      BAD(cbc_stats_form_render(&out, db, &made, (cbc_stats_format)fmt), CBC_EINVAL);
  }
  BAD(cbc_stats_form_render(NULL, db, f, CBC_STATS_JSON), CBC_EINVAL);
  BAD(cbc_stats_form_render(&out, db, NULL, CBC_STATS_JSON), CBC_EINVAL);
  made = *f;
  made.unit_id = INT64_MAX;
  BAD(cbc_stats_form_render(&out, db, &made, CBC_STATS_JSON), CBC_ENOTFOUND);
  cbc_stats_form_free(f);
  assert_cbc_ok(cbc_stats_breakdown_get(&b, db, e1, &month));
  cbc_stats_breakdown mb = *b;
  cbc_stats_count cells[2];
  memcpy(cells, b->counts, sizeof(cells));
  mb.counts = cells;
  mb.n_counts = 2;
  FOR_BAD_ENUM(v, CBC_DIM_SEVERITY, CBC_DIM_RESOLVED_LEVEL)
  { /* an out-of-range dimension crashed the rendering */
    cells[1].dimension = (cbc_stats_dimension)v;
    BAD(cbc_stats_breakdown_render(&out, db, &mb, CBC_STATS_JSON), CBC_EINVAL);
    BAD(cbc_stats_breakdown_render(&out, db, &mb, CBC_STATS_CSV), CBC_EINVAL);
  }
  mb.counts = NULL;
  BAD(cbc_stats_breakdown_render(&out, db, &mb, CBC_STATS_JSON), CBC_EINVAL);
  mb = *b;
  for (size_t i = 0; i < 6; i++) {
    mb.from = bad_ends[i][0];
    mb.to = bad_ends[i][1];
    BAD(cbc_stats_breakdown_render(&out, db, &mb, CBC_STATS_JSON), CBC_EINVAL);
    BAD(cbc_stats_breakdown_render(&out, db, &mb, CBC_STATS_CSV), CBC_EINVAL);
  }
  mb = *b;
  FOR_BAD_ENUM(v, CBC_STATS_JSON, CBC_STATS_CSV)
  BAD(cbc_stats_breakdown_render(&out, db, &mb, (cbc_stats_format)v), CBC_EINVAL);
  BAD(cbc_stats_breakdown_render(&out, db, NULL, CBC_STATS_JSON), CBC_EINVAL);
  cbc_stats_breakdown_free(b);
  BAD(cbc_stats_rebuild(NULL), CBC_EINVAL);
}

static void test_rewards(void **state)
{
  fixture *fx = *state;
  cbc_db *db = fx->db;
  int64_t c1 = E(db, "C1");
  FOR_BAD_ENUM(v, CBC_RULE_MAJOR_HAZARD, CBC_RULE_ANKANG_CUP)
  BAD_NAME(cbc_reward_rule_name((cbc_reward_rule)v));
  int64_t version;
  char *doc;
  BAD(cbc_policy_defaults(NULL), CBC_EINVAL);
  BAD(cbc_policy_set(&version, db, NULL, c1), CBC_EINVAL);
  BAD(cbc_policy_set(&version, db, "{", c1), CBC_EINVAL);
  BAD(cbc_policy_set(&version, db, "[]", c1), CBC_EINVAL);
  BAD(cbc_policy_set(&version, db, "{\"rules\": {\"major_hazard\": {\"amount_fen\": -1}}}", c1),
      CBC_EINVAL);
  BAD(cbc_policy_set(&version, db,
                     "{\"rules\": {\"major_hazard\": {\"amount_fen\": 9223372036854775807}}}", c1),
      CBC_EINVAL);
  BAD(cbc_policy_get(&doc, &version, db, -1), CBC_EINVAL);
  BAD(cbc_policy_get(&doc, &version, db, INT64_MIN), CBC_EINVAL);
  BAD(cbc_policy_get(&doc, &version, db, INT64_MAX), CBC_ENOTFOUND);
  cbc_awards *list;
  int bad_states[] = { -1, 5, INT_MAX, INT_MIN };
  for (size_t i = 0; i < 4; i++) {
    BAD(cbc_award_list(&list, db, 0, 0, bad_states[i], 0, 0), CBC_EINVAL);
    BAD(cbc_award_list(&list, db, 0, 0, 0, bad_states[i] == 5 ? 6 : bad_states[i], 0),
        CBC_EINVAL);
  }
  for (size_t i = 0; i < N_BAD_TIMES; i++) {
    BAD(cbc_award_list(&list, db, bad_times[i], 0, 0, 0, 0), CBC_EINVAL);
    if (bad_times[i] != CBC_TIME_MAX + 1)
      BAD(cbc_award_list(&list, db, 0, bad_times[i], 0, 0, 0), CBC_EINVAL);
  }
  cbc_award *a;
  BAD(cbc_award_lookup(&a, db, INT64_MIN), CBC_ENOTFOUND);
  BAD(cbc_award_approve(db, INT64_MAX, c1), CBC_ENOTFOUND);
  BAD(cbc_award_pay(db, 1, c1, NULL, NULL), CBC_EINVAL);
  BAD(cbc_award_pay(db, 1, c1, "ref\nnext", NULL), CBC_EINVAL); /* a reference is single-line */
  BAD(cbc_award_decline(db, 1, c1, NULL), CBC_EINVAL);
  BAD(cbc_award_by_key(&a, db, NULL), CBC_EINVAL);
  cbc_fine_record good = CBC_FINE_RECORD_INIT, fr;
  good.employee_id = E(db, "B1");
  good.amount_fen = 5000;
  good.reason = "未佩戴安全帽";
  good.violation = "违章作业";
  int64_t id;
  int64_t bad_amounts[] = { 0, -1, INT64_MIN, CBC_MAX_AMOUNT_FEN + 1, INT64_MAX };
  for (size_t i = 0; i < 5; i++) {
    fr = good;
    fr.amount_fen = bad_amounts[i];
    BAD(cbc_fine_issue(&id, db, &fr, E(db, "P1")), CBC_EINVAL);
  }
  fr = good;
  fr.reason = "\x7f";
  BAD(cbc_fine_issue(&id, db, &fr, E(db, "P1")), CBC_EINVAL);
  fr = good;
  fr.version = UINT_MAX;
  BAD(cbc_fine_issue(&id, db, &fr, E(db, "P1")), CBC_EINVAL);
  BAD(cbc_fine_issue(&id, db, NULL, E(db, "P1")), CBC_EINVAL);
  cbc_reward_decisions *ds;
  BAD(cbc_reward_explain_hazard(&ds, db, INT64_MAX), CBC_ENOTFOUND);
  BAD(cbc_reward_explain_hazard(NULL, db, fx->reported), CBC_EINVAL);
}

/* ------------------------------------------------- damaged databases */

typedef void (*probe_fn)(cbc_db *db, const fixture *fx);

static void copy_file_db(const char *from, const char *to)
{
  sqlite3 *src, *dst;
  assert_int_equal(sqlite3_open(from, &src), SQLITE_OK);
  assert_int_equal(sqlite3_open(to, &dst), SQLITE_OK);
  sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
  assert_non_null(bk);
  assert_int_equal(sqlite3_backup_step(bk, -1), SQLITE_DONE);
  sqlite3_backup_finish(bk);
  sqlite3_close(src);
  sqlite3_close(dst);
}

/* Damage the closed file with @p sql, reopen it and run @p probe, then put
 * the sound file back. */
static void with_damage(fixture *fx, const char *sql, probe_fn probe)
{
  char save[700];
  snprintf(save, sizeof(save), "%s.saved", g_path);
  cbc_db_close(fx->db);
  fx->db = NULL;
  copy_file_db(g_path, save);
  raw_exec(sql);
  fx->db = cbc_test_db_file(g_path, &now);
  probe(fx->db, fx);
  cbc_db_close(fx->db);
  fx->db = NULL;
  copy_file_db(save, g_path);
  cbc_test_unlink(save);
  fx->db = cbc_test_db_file(g_path, &now);
  g_digest = digest();
}

#define CORRUPT(expr) BAD(expr, CBC_ECORRUPT)

static void probe_unit_path(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  int64_t t1 = U(db, "T1");
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  cbc_stats_form *f;
  cbc_stats_breakdown *b;
  cbc_unit_iter *ui;
  cbc_employee_iter *ei;
  cbc_hazard_iter *hi;
  cbc_hazard_filter hf = CBC_HAZARD_FILTER_INIT;
  hf.unit_id = t1;
  CORRUPT(cbc_stats_form_get(&f, db, t1, &month, 0));
  CORRUPT(cbc_stats_breakdown_get(&b, db, t1, &month));
  CORRUPT(cbc_unit_iter_subtree(&ui, db, t1));
  CORRUPT(cbc_employee_iter_subtree(&ei, db, t1, 0));
  CORRUPT(cbc_hazard_iter_new(&hi, db, &hf));
  CORRUPT(cbc_unit_move(db, t1, U(db, "W2")));
}

static void probe_unit_kind(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  cbc_unit *u;
  cbc_unit_iter *ui;
  const cbc_unit *cu;
  CORRUPT(cbc_unit_lookup_external(&u, db, "W1"));
  assert_cbc_ok(cbc_unit_iter_children(&ui, db, cbc_test_unit_id(db, "E1") ));
  int rc;
  while ((rc = cbc_unit_iter_next(&cu, ui)) == 0)
    ;
  cbc_unit_iter_free(ui);
  bad_check(rc, CBC_ECORRUPT, "iterating over a damaged unit", __FILE__, __LINE__);
}

static void probe_employee(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  cbc_employee *e;
  CORRUPT(cbc_employee_lookup_external(&e, db, "A2"));
  int64_t id;
  cbc_employee_record r = { 1, "A2", "Zhang Wei", "crane operator", "T1", CBC_ROLE_WORKER, 1, 0 };
  int rc = cbc_employee_upsert(&id, db, &r); /* meets the row */
  bad_check(rc, CBC_ECORRUPT, "upserting over a damaged employee", __FILE__, __LINE__);
}

static void probe_hazard(cbc_db *db, const fixture *fx)
{
  g_digest = digest();
  cbc_hazard *h;
  cbc_hazard_iter *it;
  const cbc_hazard *ch;
  CORRUPT(cbc_hazard_lookup(&h, db, fx->registered));
  CORRUPT(cbc_hazard_start(db, fx->registered, E(db, "L1")));
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  int rc;
  while ((rc = cbc_hazard_iter_next(&ch, it)) == 0)
    ;
  cbc_hazard_iter_free(it);
  bad_check(rc, CBC_ECORRUPT, "iterating over a damaged hazard", __FILE__, __LINE__);
  cbc_hazard_answer *a;
  CORRUPT(cbc_hazard_answer_for(&a, db, fx->registered, E(db, "A1")));
}

static void probe_event(cbc_db *db, const fixture *fx)
{
  g_digest = digest();
  cbc_hazard_event *ev;
  size_t n;
  CORRUPT(cbc_hazard_history(&ev, &n, db, fx->registered));
}

static void probe_award(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  cbc_award *a;
  cbc_awards *list;
  CORRUPT(cbc_award_lookup(&a, db, 1));
  CORRUPT(cbc_award_list(&list, db, 0, 0, 0, 0, 0));
}

static void probe_training(cbc_db *db, const fixture *fx)
{
  g_digest = digest();
  cbc_training *t;
  CORRUPT(cbc_training_lookup(&t, db, fx->training));
}

static void probe_proposal(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  cbc_proposal *p;
  CORRUPT(cbc_proposal_lookup(&p, db, 1));
  CORRUPT(cbc_proposal_decide(db, 1, E(db, "P1"), 1, NULL));
}

static void probe_counters(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  cbc_stats_form *f;
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  CORRUPT(cbc_stats_form_get(&f, db, U(db, "E1"), &month, 0));
}

/* A damaged counter is refused when a move would carry it to other
 * regions' roll-ups, and by the region's form when it is a roll-up's;
 * nothing is written. */
static void probe_counters_move(cbc_db *db, const fixture *fx)
{
  (void)fx;
  const cbc_unit_record r2 = { 1, "R2", NULL, CBC_UNIT_REGION, "Second district", NULL, 0 };
  int64_t id;
  assert_cbc_ok(cbc_unit_upsert(&id, db, &r2));
  g_digest = digest();
  CORRUPT(cbc_unit_move(db, U(db, "E1"), id));
  CORRUPT(cbc_unit_move(db, U(db, "R1"), id));
  cbc_stats_form *f;
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  CORRUPT(cbc_stats_form_get(&f, db, U(db, "R1"), &month, 0));
}

/* A backdated transfer re-counts the person's participation from the
 * rows the file holds. */
static void probe_participation(cbc_db *db, const fixture *fx)
{
  (void)fx;
  g_digest = digest();
  CORRUPT(cbc_employee_transfer(db, E(db, "A1"), U(db, "T2"), now - 5 * DAY));
}

static void test_damaged_database(void **state)
{
  fixture *fx = *state;
  size_t before = g_bad;
  const char *paths[] = {
    "UPDATE units SET path = '' WHERE external_id = 'T1'",
    "UPDATE units SET path = 'garbage' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/11/' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/9/' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/1/2/' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/x5/' WHERE external_id = 'T1'",
    "UPDATE units SET path = '/16/' WHERE external_id = 'T1'",
  };
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
    with_damage(fx, paths[i], probe_unit_path);
  const char *kinds[] = { "UPDATE units SET kind = 0 WHERE external_id = 'W1'",
                          "UPDATE units SET kind = 99 WHERE external_id = 'W1'",
                          "UPDATE units SET kind = -2147483648 WHERE external_id = 'W1'",
                          "UPDATE units SET kind = 9223372036854775807 WHERE external_id = 'W1'",
                          "UPDATE units SET high_risk = 7 WHERE external_id = 'W1'",
                          "UPDATE units SET closed_at = -5 WHERE external_id = 'W1'" };
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
    with_damage(fx, kinds[i], probe_unit_kind);
  const char *emps[] = { "UPDATE employees SET roles = -1 WHERE external_id = 'A2'",
                         "UPDATE employees SET active = 3 WHERE external_id = 'A2'",
                         ("UPDATE employees SET hire_date = 9223372036854775807"
                          " WHERE external_id = 'A2'"),
                         "UPDATE employees SET left_at = -1 WHERE external_id = 'A2'" };
  for (size_t i = 0; i < sizeof(emps) / sizeof(emps[0]); i++)
    with_damage(fx, emps[i], probe_employee);
  const char *hazards[] = { "UPDATE hazards SET state = 99", "UPDATE hazards SET state = 0",
                            "UPDATE hazards SET kind = -7", "UPDATE hazards SET category = 3",
                            "UPDATE hazards SET check_item = 2147483647",
                            /* a damaged file has no trigger keeping the report fixed */
                            "DROP TRIGGER hazards_report_fixed; UPDATE hazards SET source = 8",
                            "UPDATE hazards SET level = 6",
                            "UPDATE hazards SET severity = 3",
                            "UPDATE hazards SET deadline = 9223372036854775807",
                            "UPDATE hazards SET funds_fen = -100",
                            "UPDATE hazards SET reopen_count = -1" };
  for (size_t i = 0; i < sizeof(hazards) / sizeof(hazards[0]); i++)
    with_damage(fx, hazards[i], probe_hazard);
  const char *events[] = { "UPDATE hazard_events SET action = 77",
                           "UPDATE hazard_events SET to_state = 12",
                           "UPDATE hazard_events SET level = -3",
                           "UPDATE hazard_events SET at = -9223372036854775808",
                           "UPDATE hazard_events SET data = '{not json'",
                           "UPDATE hazard_events SET data = '[1, 2]'",
                           "UPDATE hazard_events SET data = '{\"kind\": 99}'",
                           "UPDATE hazard_events SET data = '{\"level\": 4294967297}'",
                           "UPDATE hazard_events SET data = '{\"deadline\": 9223372036854775807}'" };
  for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
    char sql[400]; /* a damaged file has no trigger to keep it append-only */
    snprintf(sql, sizeof(sql), "DROP TRIGGER hazard_events_append_only_u; %s", events[i]);
    with_damage(fx, sql, probe_event);
  }
  const char *trainings[] = { "UPDATE trainings SET kind = 42", "UPDATE trainings SET kind = 0",
                              "UPDATE trainings SET minutes = -1" };
  for (size_t i = 0; i < sizeof(trainings) / sizeof(trainings[0]); i++)
    with_damage(fx, trainings[i], probe_training);
  const char *proposals[] = {
    "INSERT INTO proposals(id, proposer_id, unit_id, title, text, submitted_at, status)"
    " VALUES (1, 2, 5, 't', 'x', 0, 0)",
    "INSERT INTO proposals(id, proposer_id, unit_id, title, text, submitted_at, status)"
    " VALUES (1, 2, 5, 't', 'x', 0, 4)",
    "INSERT INTO proposals(id, proposer_id, unit_id, title, text, submitted_at, status)"
    " VALUES (1, 2, 5, 't', 'x', -1, 1)",
  };
  for (size_t i = 0; i < sizeof(proposals) / sizeof(proposals[0]); i++)
    with_damage(fx, proposals[i], probe_proposal);
  const char *counters[] = { "UPDATE stat_months SET found = -1",
                             "UPDATE stat_months SET took_part_m = -9223372036854775808" };
  for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
    with_damage(fx, counters[i], probe_counters);
  with_damage(fx, "UPDATE stat_months SET found = -1; UPDATE stat_rollups SET found = -1",
              probe_counters_move);
  const char *participation[] = { "UPDATE participation SET year = 99999",
                                  "UPDATE participation SET year = 4294969320",
                                  "UPDATE participation SET unit_id = 0",
                                  "UPDATE participation SET trained = -1",
                                  "UPDATE participation SET took_part = 1 << 40" };
  for (size_t i = 0; i < sizeof(participation) / sizeof(participation[0]); i++)
    with_damage(fx, participation[i], probe_participation);
  /* rule, subject kind, amount, state */
  const char *award = "INSERT INTO awards(id, rule, subject_kind, subject_id, cause, unit_id,"
                      " policy_version, amount_fen, reasons, state, proposed_at)"
                      " VALUES (1, %s, %s, 1, 'x', 1, 1, %s, 'r', %s, 0)";
  const char *award_cols[][4] = { { "99", "1", "0", "1" }, { "1", "0", "0", "1" },
                                  { "1", "1", "0", "9" },  { "0", "1", "0", "1" },
                                  { "1", "1", "-1", "1" }, { "1", "6", "0", "0" } };
  for (size_t i = 0; i < sizeof(award_cols) / sizeof(award_cols[0]); i++) {
    char sql[400];
    snprintf(sql, sizeof(sql), award, award_cols[i][0], award_cols[i][1], award_cols[i][2],
             award_cols[i][3]);
    with_damage(fx, sql, probe_award);
  }
  print_message("%zu reads of a damaged database checked\n", g_bad - before);
}

static void test_report_count(void **state)
{
  (void)state;
  print_message("bad inputs checked: %zu\n", g_bad);
  assert_true(g_bad > 500);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_common_and_db),   cmocka_unit_test(test_org),
    cmocka_unit_test(test_sync),            cmocka_unit_test(test_hazard_report),
    cmocka_unit_test(test_hazard_moves),    cmocka_unit_test(test_hazard_queries),
    cmocka_unit_test(test_activities),      cmocka_unit_test(test_periods_and_stats),
    cmocka_unit_test(test_rewards),         cmocka_unit_test(test_damaged_database),
    cmocka_unit_test(test_report_count),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
