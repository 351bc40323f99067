/* cbc_org_import(): CSV and JSON HR exports, modes, row errors, malformed
 * files, progress and aborting (docs/domain.md §1). */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static int setup(void **state)
{
  *state = cbc_test_db(&now);
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static const char *units_csv =
  "\xEF\xBB\xBF" "external_id,parent_external_id,kind,name,industry,high_risk\r\n"
  "T1,W1,team,\"甲班, 一号\",,0\r\n"           /* child before parent, quoted comma */
  "W1,E1,workshop,轧钢车间,,\r\n"
  "E1,,enterprise,\"济钢 \"\"二厂\"\"\",冶金,true\r\n"
  "T2,E1,team,\"Shift \"\"B\"\"\",,\r\n";

static const char *employees_csv =
  "external_id,name,post,unit_external_id,roles,active,hire_date\n"
  "e1,李强,班长,T1,team_leader|worker,1,2020-02-29\n"
  "e2,王芳,,T1,,,\n"
  "e3,张伟,天车工,T2,worker,false,2019-12-31\n";

static const char *write_tmp(const char *name, const char *text)
{
  static char paths[8][512];
  static int next;
  char *p = paths[next++ % 8];
  snprintf(p, 512, "%s", cbc_test_path(name));
  cbc_test_write_file(p, text);
  return p;
}

static cbc_sync_result *import_ok(cbc_db *db, const char *units, const char *emps,
                                  cbc_sync_mode mode)
{
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.mode = mode;
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_import(&r, db, units, emps, CBC_FORMAT_AUTO, &o, NULL, NULL));
  assert_non_null(r);
  return r;
}

static void test_csv_happy_path(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r = import_ok(db, write_tmp("u.csv", units_csv),
                                 write_tmp("e.csv", employees_csv), CBC_SYNC_FULL);
  assert_int_equal(r->units.added, 4);
  assert_int_equal(r->employees.added, 3);
  assert_int_equal(r->error_count, 0);
  cbc_sync_result_free(r);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "E1"));
  assert_string_equal(u->name, "济钢 \"二厂\"");
  assert_string_equal(u->industry, "冶金");
  assert_int_equal(u->high_risk, 1);
  cbc_unit_free(u);
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T1"));
  assert_string_equal(u->name, "甲班, 一号");
  cbc_unit_free(u);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
  assert_int_equal(e->roles, CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER);
  assert_int_equal(e->hire_date, cbc_test_date(2020, 2, 29));
  assert_true(e->active);
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e3"));
  assert_false(e->active);
  cbc_employee_free(e);
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T2"));
  assert_string_equal(u->name, "Shift \"B\"");
  cbc_unit_free(u);
}

static const char *units_json =
  "\xEF\xBB\xBF [\n"
  "  {\"external_id\": \"T1\", \"parent_external_id\": \"W1\", \"kind\": \"team\", \"name\": \"甲班\"},\n"
  "  {\"external_id\": \"W1\", \"parent_external_id\": \"E1\", \"kind\": \"workshop\", \"name\": \"车间\"},\n"
  "  {\"external_id\": \"E1\", \"kind\": \"enterprise\", \"name\": \"厂\", \"industry\": \"化工\","
  "   \"high_risk\": true, \"parent_external_id\": null}\n"
  "]\n";

static const char *employees_json =
  "[{\"external_id\": \"e1\", \"name\": \"李强\", \"unit_external_id\": \"T1\","
  "  \"roles\": [\"team_leader\", \"worker\"], \"active\": 1, \"hire_date\": \"2021-07-01\"},"
  " {\"external_id\": \"e2\", \"name\": \"王芳\", \"unit_external_id\": \"T1\", \"roles\": \"worker\","
  "  \"active\": false}]";

static void test_json_happy_path(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r = import_ok(db, write_tmp("u.json", units_json),
                                 write_tmp("e.JSON", employees_json), CBC_SYNC_INCREMENTAL);
  assert_int_equal(r->units.added, 3);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 0);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
  assert_int_equal(e->roles, CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER);
  assert_int_equal(e->hire_date, cbc_test_date(2021, 7, 1));
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e2"));
  assert_false(e->active);
  cbc_employee_free(e);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "E1"));
  assert_int_equal(u->high_risk, 1);
  cbc_unit_free(u);
}

static void test_full_mode_from_files(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(import_ok(db, write_tmp("u.csv", units_csv),
                                 write_tmp("e.csv", employees_csv), CBC_SYNC_FULL));
  const char *fewer = "external_id,name,unit_external_id\ne1,李强,T1\n";
  cbc_sync_result *r = import_ok(db, NULL, write_tmp("e2.csv", fewer), CBC_SYNC_FULL);
  assert_int_equal(r->employees.deactivated, 1); /* e2; e3 was already inactive */
  assert_int_equal(r->employees.updated, 1);     /* e1 lost its post, roles, hire date */
  assert_int_equal(r->units.deactivated, 0);     /* no units file: units are left alone */
  cbc_sync_result_free(r);
}

static void test_row_errors_and_strict(void **state)
{
  cbc_db *db = *state;
  const char *bad =
    "external_id,name,unit_external_id,roles,active,hire_date\n"
    "x1,A,T1,boss,,\n"          /* unknown role */
    "x2,B,T1,,maybe,\n"         /* bad boolean */
    "x3,C,T1,,,2021-02-30\n"    /* bad date */
    "x4,D,T1,,,\n"              /* fine */
    "x5,,T1,,,\n"               /* empty name */
    "x6,\"two\nlines\",T1,,,\n"; /* a quoted line break: parsed, then refused */
  const char *u = write_tmp("u.csv", units_csv), *e = write_tmp("bad.csv", bad);
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, u, e, CBC_FORMAT_CSV, &o, NULL, NULL), CBC_EINVAL,
                   "'boss'");
  assert_false(r->applied);
  cbc_sync_result_free(r);
  cbc_unit *unit = NULL;
  assert_cbc_error(cbc_unit_lookup_external(&unit, db, "T1"), CBC_ENOTFOUND, NULL);
  o.flags = 0;
  assert_cbc_ok(cbc_org_import(&r, db, u, e, CBC_FORMAT_CSV, &o, NULL, NULL));
  assert_int_equal(r->employees.added, 1);
  assert_int_equal(r->error_count, 5);
  size_t rows[] = { 1, 2, 3, 5, 6 };
  const char *needles[] = { "'boss'", "'maybe'", "2021-02-30", "name is empty",
                            "control character" };
  for (int i = 0; i < 5; i++) {
    assert_int_equal(r->errors[i].record, CBC_RECORD_EMPLOYEE);
    assert_int_equal(r->errors[i].row, rows[i]);
    if (!strstr(r->errors[i].message, needles[i]))
      fail_msg("row error %d: '%s' lacks '%s'", i, r->errors[i].message, needles[i]);
  }
  cbc_sync_result_free(r);
}

/* A malformed file fails the whole import and changes nothing. */
static void expect_malformed(cbc_db *db, const char *name, const char *units_text,
                             const char *emps_text, const char *needle)
{
  const char *u = units_text ? write_tmp(name, units_text) : NULL;
  char ename[64];
  snprintf(ename, sizeof(ename), "e_%s", name);
  const char *e = emps_text ? write_tmp(ename, emps_text) : NULL;
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_import(&r, db, u, e, CBC_FORMAT_AUTO, NULL, NULL, NULL), CBC_EINVAL,
                   needle);
  assert_null(r);
  cbc_unit *unit = NULL;
  assert_int_equal(cbc_unit_lookup_external(&unit, db, "E1"), CBC_ENOTFOUND);
}

static void test_malformed_files(void **state)
{
  cbc_db *db = *state;
  const char *good_units = units_csv;
  expect_malformed(db, "a.csv", "external_id,name,kind,单位名称\nE1,x,enterprise,red\n", NULL,
                   "'name' and '单位名称' both mean the field name");
  expect_malformed(db, "b.csv", "external_id,name\nE1,x\n", NULL,
                   "required column 'kind' is missing");
  expect_malformed(db, "c.csv", "external_id,name,kind,name\nE1,x,enterprise,y\n", NULL,
                   "both mean the field name");
  expect_malformed(db, "d.csv", "external_id,name,kind\nE1,x,enterprise\nE2,y\n", NULL,
                   "d.csv:3: 2 fields where the header has 3");
  expect_malformed(db, "e.csv", "", NULL, "empty");
  expect_malformed(db, "f.csv", "external_id,name,kind\nE1,\"open,enterprise\n", NULL,
                   "not closed");
  expect_malformed(db, "g.csv", good_units, "external_id,name\ne1,x\n",
                   "'unit_external_id' is missing");
  expect_malformed(db, "a.json", "{\"external_id\": \"E1\"}", NULL, "not a JSON array");
  expect_malformed(db, "b.json", "[1, 2]", NULL, "element 1");
  expect_malformed(db, "c.json", "[[]]", NULL, "element 1 is not an object");
  expect_malformed(db, "d.json",
                   "[{\"external_id\": \"E1\", \"kind\": \"enterprise\", \"name\": \"x\","
                   " \"编号\": \"E2\"}]", NULL,
                   "element 1: 'external_id' and '编号' both mean the field external_id");
  expect_malformed(db, "e.json",
                   "[{\"external_id\": \"E1\", \"kind\": \"enterprise\", \"name\": \"x\"}] trailing",
                   NULL, "after the closing ']'");
  expect_malformed(db, "f.json", "[{\"external_id\": \"E1\", \"kind\": \"enterprise\"} {}]",
                   NULL, "expected ',' or ']'");
  expect_malformed(db, "g.json", "[{\"external_id\": \"E1\", \"name\": {\"x\": 1}}]", NULL,
                   "wrong type");
  expect_malformed(db, "h.json", "[{\"a\": 1, \"a\": 2}]", NULL, "element 1");
}

/* Bounded memory and strict parsing of hostile files. */
static void test_hostile_files(void **state)
{
  cbc_db *db = *state;
  /* an unclosed quote in a large file stops at the field limit */
  char big[512];
  snprintf(big, sizeof(big), "%s", cbc_test_path("unclosed.csv"));
  FILE *f = fopen(big, "wb");
  assert_non_null(f);
  fputs("external_id,name,kind\nE1,\"never closed", f);
  for (int i = 0; i < 200000; i++)
    fputs("xxxxxxxxxx", f);
  fclose(f);
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, big, NULL, CBC_FORMAT_CSV, NULL, NULL, NULL),
                   CBC_EINVAL, "longer than 65536 bytes");
  /* a huge JSON element stops at the element limit */
  f = fopen(big, "wb");
  assert_non_null(f);
  fputs("[{\"external_id\": \"E1\", \"name\": \"", f);
  for (int i = 0; i < 200000; i++)
    fputs("yyyyyyyyyy", f);
  fputs("\"}]", f);
  fclose(f);
  assert_cbc_error(cbc_org_import(&r, db, big, NULL, CBC_FORMAT_JSON, NULL, NULL, NULL),
                   CBC_EINVAL, "larger than 1048576 bytes");
  /* a NUL byte is not text */
  f = fopen(big, "wb");
  assert_non_null(f);
  fwrite("external_id,name,kind\nE1,A\0junk,enterprise\n", 1, 43, f);
  fclose(f);
  assert_cbc_error(cbc_org_import(&r, db, big, NULL, CBC_FORMAT_CSV, NULL, NULL, NULL),
                   CBC_EINVAL, "NUL byte");
  /* a directory is not a readable file, as CSV or JSON */
  assert_cbc_error(cbc_org_import(&r, db, "/tmp", NULL, CBC_FORMAT_CSV, NULL, NULL, NULL),
                   CBC_EIO, "not a readable file");
  assert_cbc_error(cbc_org_import(&r, db, "/tmp", NULL, CBC_FORMAT_JSON, NULL, NULL, NULL),
                   CBC_EIO, "not a readable file");
  /* a stray 0xEF is no BOM (the header is refused as text of no encoding);
   * \v is not JSON whitespace */
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("ef.csv", "\xEF,x,y"), NULL, CBC_FORMAT_CSV,
                                  NULL, NULL, NULL), CBC_EINVAL, "ef.csv:1: the header is not text");
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("vt.json", "\v[]"), NULL, CBC_FORMAT_JSON,
                                  NULL, NULL, NULL), CBC_EINVAL, "not a JSON array");
  cbc_unit *u = NULL;
  assert_cbc_error(cbc_unit_lookup_external(&u, db, "E1"), CBC_ENOTFOUND, NULL);
}

static void test_strict_dates_and_reals(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(import_ok(db, write_tmp("u.csv", units_csv), NULL, CBC_SYNC_FULL));
  const char *emps =
    "external_id,name,unit_external_id,hire_date\n"
    "d1,a,T1, 2020-01-1 \n"   /* spaces around it are trimmed */
    "d2,b,T1,2020- 1-01\n"
    "d3,c,T1,2020-+1-01\n"
    "d4,d,T1,2020-01-01x\n"
    "d5,e,T1,2020-01-01\n";
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_import(&r, db, NULL, write_tmp("d.csv", emps), CBC_FORMAT_AUTO, NULL,
                               NULL, NULL));
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 3);
  for (int i = 0; i < 3; i++)
    assert_non_null(strstr(r->errors[i].message, "is not a date (2019-03-01"));
  cbc_sync_result_free(r);
  /* a whole-number real is a number; 0.5 is no boolean and the file is refused */
  const char *half = "[{\"external_id\": \"f2\", \"name\": \"g\", \"unit_external_id\": \"T1\","
                     " \"active\": 0.5}]";
  assert_cbc_error(cbc_org_import(&r, db, NULL, write_tmp("h.json", half), CBC_FORMAT_AUTO, NULL,
                                  NULL, NULL), CBC_EINVAL, "wrong type");
  const char *reals = "[{\"external_id\": \"f1\", \"name\": \"f\", \"unit_external_id\": \"T1\","
                      " \"active\": 0.0}]";
  assert_cbc_ok(cbc_org_import(&r, db, NULL, write_tmp("r.json", reals), CBC_FORMAT_AUTO, NULL,
                               NULL, NULL));
  assert_int_equal(r->employees.added, 1);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "f1"));
  assert_false(e->active);
  cbc_employee_free(e);
}

static void test_bad_arguments(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r;
  assert_cbc_error(cbc_org_import(&r, db, NULL, NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "no file");
  assert_cbc_error(cbc_org_import(NULL, db, "x.csv", NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, NULL);
  assert_cbc_error(cbc_org_import(&r, NULL, "x.csv", NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, NULL);
  assert_cbc_error(cbc_org_import(&r, db, "x.dat", NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "cannot tell the format");
  assert_cbc_error(cbc_org_import(&r, db, "x.xlsx", NULL, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "save the sheet as CSV");
  assert_cbc_error(cbc_org_import(&r, db, "x.csv", NULL, (cbc_file_format)9, NULL, NULL, NULL),
                   CBC_EINVAL, "unknown file format");
  assert_cbc_error(cbc_org_import(&r, db, cbc_test_path("missing.csv"), NULL, CBC_FORMAT_AUTO,
                                  NULL, NULL, NULL), CBC_ENOTFOUND, "missing.csv");
  /* an explicit format wins over the name */
  const char *p = write_tmp("units.txt", units_csv);
  assert_cbc_ok(cbc_org_import(&r, db, p, NULL, CBC_FORMAT_CSV, NULL, NULL, NULL));
  assert_int_equal(r->units.added, 4);
  cbc_sync_result_free(r);
}

typedef struct progress_log {
  int calls;
  size_t last_rows;
  uint64_t last_bytes, total;
  int abort_at;
} progress_log;

static int on_progress(const cbc_import_progress *p, void *payload)
{
  progress_log *log = payload;
  log->calls++;
  log->last_rows = p->rows;
  log->last_bytes = p->bytes;
  log->total = p->total_bytes;
  return log->calls == log->abort_at ? 42 : 0;
}

static void test_progress_and_abort(void **state)
{
  cbc_db *db = *state;
  /* 25,000 employees: progress at 10,000 and 20,000 and at the end */
  char path[512];
  snprintf(path, sizeof(path), "%s", cbc_test_path("many.csv"));
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("external_id,name,unit_external_id\n", f);
  for (int i = 0; i < 25000; i++)
    fprintf(f, "m%d,Name %d,T1\n", i, i);
  fclose(f);
  cbc_sync_result_free(import_ok(db, write_tmp("u.csv", units_csv), NULL, CBC_SYNC_FULL));
  progress_log log = { 0, 0, 0, 0, 0 };
  cbc_sync_result *r;
  assert_cbc_ok(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_AUTO, NULL, on_progress, &log));
  assert_int_equal(r->employees.added, 25000);
  cbc_sync_result_free(r);
  assert_int_equal(log.calls, 3);
  assert_int_equal(log.last_rows, 25000);
  assert_int_equal(log.last_bytes, log.total);
  assert_true(log.total > 0);
  /* aborting on the second call rolls everything back */
  cbc_db_close(db);
  db = *state = cbc_test_db(&now);
  progress_log abort_log = { 0, 0, 0, 0, 2 };
  r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("u.csv", units_csv), path, CBC_FORMAT_AUTO,
                                  NULL, on_progress, &abort_log), 42, "aborted");
  assert_null(r);
  cbc_unit *u = NULL;
  assert_cbc_error(cbc_unit_lookup_external(&u, db, "T1"), CBC_ENOTFOUND, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_csv_happy_path, setup, teardown),
    cmocka_unit_test_setup_teardown(test_json_happy_path, setup, teardown),
    cmocka_unit_test_setup_teardown(test_full_mode_from_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_row_errors_and_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_malformed_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_strict_dates_and_reals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_progress_and_abort, setup, teardown),
  };
  return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
