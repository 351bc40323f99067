/* cbc_org_import(): the cases tests/test_import_files.c does not reach —
 * jansson's stopping point on a FILE*, line numbers after multi-line
 * records, row errors numbered by data row and by JSON element (also across
 * the 4096-row chunks), the database's UTC offset for hire dates, the field
 * limit, unreadable files and progress over JSON.  Every failing call is
 * checked to leave the database as it was. */
#include "helpers.h"
#include <jansson.h>
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

static const char *write_tmp(const char *name, const char *text)
{
  static char paths[8][512];
  static int next;
  char *p = paths[next++ % 8];
  snprintf(p, 512, "%s", cbc_test_path(name));
  cbc_test_write_file(p, text);
  return p;
}

static const char *units_csv =
  "external_id,parent_external_id,kind,name\n"
  "T1,W1,team,一班\n"
  "W1,E1,workshop,车间\n"
  "E1,,enterprise,工厂\n";

static cbc_sync_result *import(cbc_db *db, const char *units, const char *emps,
                               unsigned int flags)
{
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = flags;
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_import(&r, db, units, emps, CBC_FORMAT_AUTO, &o, NULL, NULL));
  assert_non_null(r);
  return r;
}

static void seed_units(cbc_db *db)
{
  cbc_sync_result_free(import(db, write_tmp("seed.csv", units_csv), NULL, 0));
}

static void assert_unit_absent(cbc_db *db, const char *ext)
{
  cbc_unit *u = NULL;
  assert_cbc_error(cbc_unit_lookup_external(&u, db, ext), CBC_ENOTFOUND, NULL);
}

static void assert_employee_absent(cbc_db *db, const char *ext)
{
  cbc_employee *e = NULL;
  assert_cbc_error(cbc_employee_lookup_external(&e, db, ext), CBC_ENOTFOUND, NULL);
}

static void assert_row_error(const cbc_sync_result *r, size_t i, cbc_record_kind kind,
                             size_t row, const char *needle)
{
  assert_true(i < r->errors_kept);
  assert_int_equal(r->errors[i].record, kind);
  assert_int_equal(r->errors[i].row, row);
  if (!strstr(r->errors[i].message, needle))
    fail_msg("row error %zu: '%s' lacks '%s'", i, r->errors[i].message, needle);
}

/* The JSON reader relies on json_loadf(JSON_DISABLE_EOF_CHECK) leaving the
 * stream right after an object's '}', so the ',' or ']' is still ours. */
static void test_jansson_stops_after_the_object(void **state)
{
  (void)state;
  FILE *f = tmpfile();
  assert_non_null(f);
  fputs("{\"a\": \"中\"} ,{\"b\": [1]}]", f);
  rewind(f);
  json_error_t err;
  json_t *first = json_loadf(f, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &err);
  assert_non_null(first);
  assert_int_equal(getc(f), ' ');
  assert_int_equal(getc(f), ',');
  json_t *second = json_loadf(f, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &err);
  assert_non_null(second);
  assert_int_equal(getc(f), ']');
  json_decref(first);
  json_decref(second);
  fclose(f);
}

/* Lines are physical lines: a quoted line break moves the count on. */
static void test_csv_line_numbers_after_multiline_record(void **state)
{
  cbc_db *db = *state;
  const char *text =
    "external_id,name,kind\r\n"
    "E1,\"two\r\nlines\",enterprise\r\n" /* lines 2-3 */
    "E2,ok,enterprise\r"                 /* line 4, a lone CR ends it */
    "E3,ragged\n";                       /* line 5 */
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("lines.csv", text), NULL, CBC_FORMAT_AUTO,
                                  NULL, NULL, NULL), CBC_EINVAL, "lines.csv:5: 2 fields");
  assert_null(r);
  assert_unit_absent(db, "E2");
}

static void test_unit_row_errors(void **state)
{
  cbc_db *db = *state;
  const char *text =
    "external_id,parent_external_id,kind,name,industry,high_risk\n"
    "E1,,enterprise,厂,化工,1\n"
    "F1,,factory,x,,\n"         /* unknown kind */
    "E2,,enterprise,y,,maybe\n" /* bad boolean */
    "W1,E1,workshop,车间,,\n";
  const char *path = write_tmp("units_bad.csv", text);
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, path, NULL, CBC_FORMAT_CSV, &o, NULL, NULL),
                   CBC_EINVAL, "factory");
  assert_false(r->applied);
  cbc_sync_result_free(r);
  assert_unit_absent(db, "E1");
  r = import(db, path, NULL, 0);
  assert_int_equal(r->units.added, 2);
  assert_int_equal(r->error_count, 2);
  assert_row_error(r, 0, CBC_RECORD_UNIT, 2, "unknown unit kind 'factory'");
  assert_row_error(r, 1, CBC_RECORD_UNIT, 3, "'maybe'");
  assert_string_equal(r->errors[0].external_id, "F1");
  cbc_sync_result_free(r);
}

static const char *employees_json_bad =
  "[{\"external_id\": \"e1\", \"name\": \"李强\", \"unit_external_id\": \"T1\"},\n"
  " {\"external_id\": \"e2\", \"name\": \"王芳\", \"unit_external_id\": \"T1\", \"roles\": \"boss\"},\n"
  " {\"external_id\": \"e3\", \"name\": \"张伟\", \"unit_external_id\": \"T1\", \"hire_date\": \"2021-13-01\"},\n"
  " {\"external_id\": \"e4\", \"name\": \"赵六\", \"unit_external_id\": \"T1\", \"active\": \"perhaps\"},\n"
  " {\"external_id\": \"e5\", \"name\": \"孙七\", \"unit_external_id\": \"T9\"}]";

static void test_json_row_errors_by_element(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  const char *path = write_tmp("emps_bad.json", employees_json_bad);
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_JSON, &o, NULL, NULL),
                   CBC_EINVAL, "'boss'");
  cbc_sync_result_free(r);
  assert_employee_absent(db, "e1");
  r = import(db, NULL, path, 0);
  assert_int_equal(r->employees.added, 1);
  assert_int_equal(r->error_count, 4);
  assert_row_error(r, 0, CBC_RECORD_EMPLOYEE, 2, "'boss'");
  assert_row_error(r, 1, CBC_RECORD_EMPLOYEE, 3, "2021-13-01");
  assert_row_error(r, 2, CBC_RECORD_EMPLOYEE, 4, "'perhaps'");
  assert_row_error(r, 3, CBC_RECORD_EMPLOYEE, 5, "T9");
  assert_int_equal(r->errors[3].code, CBC_ENOTFOUND);
  cbc_sync_result_free(r);
}

static void test_json_value_forms(void **state)
{
  cbc_db *db = *state;
  const char *units =
    "[{\"external_id\": \"E1\", \"kind\": \"enterprise\", \"name\": \"厂\", \"high_risk\": 1,"
    "  \"industry\": null, \"parent_external_id\": null},"
    " {\"external_id\": \"W1\", \"kind\": \"workshop\", \"name\": \"车间\", \"parent_external_id\": \"E1\"},"
    " {\"external_id\": \"T1\", \"kind\": \"team\", \"name\": \"班\", \"parent_external_id\": \"W1\","
    "  \"high_risk\": false}]";
  const char *emps =
    "[{\"external_id\": \"e1\", \"name\": \"李强\", \"unit_external_id\": \"T1\","
    "  \"roles\": \"team_leader|safety_officer\", \"active\": true, \"post\": null},"
    " {\"external_id\": \"e2\", \"name\": \"王芳\", \"unit_external_id\": \"T1\","
    "  \"roles\": [], \"active\": 0, \"hire_date\": null}]";
  cbc_sync_result *r = import(db, write_tmp("forms_u.json", units), write_tmp("forms_e.json", emps),
                              CBC_SYNC_STRICT);
  assert_int_equal(r->units.added, 3);
  assert_int_equal(r->employees.added, 2);
  cbc_sync_result_free(r);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "E1"));
  assert_int_equal(u->high_risk, 1);
  assert_string_equal(u->industry, "");
  cbc_unit_free(u);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
  assert_int_equal(e->roles, CBC_ROLE_TEAM_LEADER | CBC_ROLE_SAFETY_OFFICER);
  assert_true(e->active);
  assert_string_equal(e->post, "");
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e2"));
  assert_int_equal(e->roles, CBC_ROLE_WORKER); /* none given */
  assert_false(e->active);
  assert_int_equal(e->hire_date, 0);
  cbc_employee_free(e);
}

/* A malformed employees file after a good units file: nothing at all. */
static void test_json_roles_must_be_strings(void **state)
{
  cbc_db *db = *state;
  const char *emps =
    "[{\"external_id\": \"e1\", \"name\": \"李强\", \"unit_external_id\": \"T1\", \"roles\": [1]}]";
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("u.csv", units_csv),
                                  write_tmp("roles.json", emps), CBC_FORMAT_AUTO, NULL, NULL,
                                  NULL), CBC_EINVAL, "element 1: 'roles'");
  assert_null(r);
  assert_unit_absent(db, "E1");
}

static void test_incremental_leaves_others(void **state)
{
  cbc_db *db = *state;
  const char *all = "external_id,name,unit_external_id\ne1,李强,T1\ne2,王芳,T1\n";
  cbc_sync_result_free(import(db, write_tmp("u.csv", units_csv), write_tmp("all.csv", all), 0));
  const char *one = "external_id,name,unit_external_id,active\ne1,李强强,T1,1\n";
  cbc_sync_result *r = import(db, NULL, write_tmp("one.csv", one), 0);
  assert_int_equal(r->employees.updated, 1);
  assert_int_equal(r->employees.deactivated, 0);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e2"));
  assert_true(e->active);
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
  assert_string_equal(e->name, "李强强");
  cbc_employee_free(e);
}

/* Hire dates are local midnight in the database's own UTC offset. */
static void test_hire_date_in_db_offset(void **state)
{
  (void)state;
  const int offsets[] = { 0, 8 * 3600, -5 * 3600 };
  const int64_t utc_midnight = 1614556800; /* 2021-03-01T00:00:00Z */
  const char *emps = "external_id,name,unit_external_id,hire_date\ne1,李强,T1,2021-03-01\n";
  for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
    cbc_db_options opts = CBC_DB_OPTIONS_INIT;
    opts.utc_offset_seconds = offsets[i];
    cbc_db *db = NULL;
    assert_cbc_ok(cbc_db_open(&db, ":memory:", &opts));
    cbc_sync_result_free(import(db, write_tmp("u.csv", units_csv), write_tmp("h.csv", emps),
                                CBC_SYNC_STRICT));
    cbc_employee *e;
    assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
    assert_int_equal(e->hire_date, utc_midnight - offsets[i]);
    cbc_employee_free(e);
    cbc_db_close(db);
  }
}

/* A field over 64 KiB is a malformed file, not a row error. */
static void test_field_limit(void **state)
{
  cbc_db *db = *state;
  size_t big = 70 * 1024;
  const char *head = "external_id,name,kind\nE1,ok,enterprise\nE2,\"";
  char *text = test_malloc(strlen(head) + big + 32);
  strcpy(text, head);
  memset(text + strlen(head), 'x', big);
  strcpy(text + strlen(head) + big, "\",enterprise\n");
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_import(&r, db, write_tmp("long.csv", text), NULL, CBC_FORMAT_AUTO,
                                  NULL, NULL, NULL), CBC_EINVAL, "long.csv:3: a field is longer");
  assert_null(r);
  assert_unit_absent(db, "E1");
  test_free(text);
}

static void test_unreadable_files(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_result *r = (cbc_sync_result *)1;
  /* a directory opens but cannot be read (root ignores file modes) */
  char dir[512];
  snprintf(dir, sizeof(dir), "%s", cbc_test_path(""));
  assert_cbc_error(cbc_org_import(&r, db, NULL, dir, CBC_FORMAT_CSV, NULL, NULL, NULL),
                   CBC_EIO, dir);
  assert_null(r);
  assert_cbc_error(cbc_org_import(&r, db, cbc_test_path("nope.json"), NULL, CBC_FORMAT_AUTO,
                                  NULL, NULL, NULL), CBC_ENOTFOUND, "nope.json");
  /* a missing employees file after a good units file rolls the units back */
  const char *more = write_tmp("more.csv", "external_id,name,kind\nE9,新厂,enterprise\n");
  char gone[512]; /* cbc_test_path() returns a static buffer */
  snprintf(gone, sizeof(gone), "%s", cbc_test_path("gone.csv"));
  assert_cbc_error(cbc_org_import(&r, db, more, gone, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_ENOTFOUND, "gone.csv");
  assert_unit_absent(db, "E9");
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T1")); /* the earlier import stays */
  cbc_unit_free(u);
}

/* Duplicates and row numbers carry across the 4096-row chunks. */
static void test_rows_across_chunks(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  char path[512];
  snprintf(path, sizeof(path), "%s", cbc_test_path("chunks.csv"));
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("external_id,name,unit_external_id,hire_date\n", f);
  for (int i = 1; i <= 9000; i++) {
    if (i == 5000)
      fputs("m1,again,T1,\n", f); /* a duplicate of row 1, in the second chunk */
    else if (i == 8200)
      fputs("m8200,bad date,T1,2021-02-29\n", f);
    else
      fprintf(f, "m%d,Name %d,T1,\n", i, i);
  }
  fclose(f);
  cbc_sync_result *r = import(db, NULL, path, 0);
  assert_int_equal(r->employees.added, 8998);
  assert_int_equal(r->error_count, 2);
  assert_row_error(r, 0, CBC_RECORD_EMPLOYEE, 5000, "");
  assert_string_equal(r->errors[0].external_id, "m1");
  assert_row_error(r, 1, CBC_RECORD_EMPLOYEE, 8200, "2021-02-29");
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "m1"));
  assert_string_equal(e->name, "Name 1"); /* the first occurrence applies */
  cbc_employee_free(e);
}

typedef struct progress_log {
  int calls, abort_at;
  cbc_record_kind kinds[8];
  size_t rows[8];
} progress_log;

static int on_progress(const cbc_import_progress *p, void *payload)
{
  progress_log *log = payload;
  if (log->calls < 8) {
    log->kinds[log->calls] = p->record;
    log->rows[log->calls] = p->rows;
  }
  log->calls++;
  return log->calls == log->abort_at ? 7 : 0;
}

static const char *write_many_json(int n)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s", cbc_test_path("many.json"));
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("[\n", f);
  for (int i = 0; i < n; i++)
    fprintf(f, "%s{\"external_id\": \"j%d\", \"name\": \"职工%d\", \"unit_external_id\": \"T1\"}\n",
            i ? "," : "", i, i);
  fputs("]\n", f);
  fclose(f);
  return path;
}

static void test_progress_over_json(void **state)
{
  cbc_db *db = *state;
  const char *units =
    "[{\"external_id\": \"E1\", \"kind\": \"enterprise\", \"name\": \"厂\"},"
    " {\"external_id\": \"W1\", \"kind\": \"workshop\", \"name\": \"车间\", \"parent_external_id\": \"E1\"},"
    " {\"external_id\": \"T1\", \"kind\": \"team\", \"name\": \"班\", \"parent_external_id\": \"W1\"}]";
  const char *upath = write_tmp("pu.json", units), *epath = write_many_json(10001);
  progress_log stop = { 0, 2, { 0 }, { 0 } }; /* abort at 10,000 employees */
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_import(&r, db, upath, epath, CBC_FORMAT_AUTO, NULL, on_progress, &stop),
                   7, "aborted");
  assert_null(r);
  assert_unit_absent(db, "T1");
  assert_employee_absent(db, "j0");
  progress_log log = { 0, 0, { 0 }, { 0 } };
  assert_cbc_ok(cbc_org_import(&r, db, upath, epath, CBC_FORMAT_AUTO, NULL, on_progress, &log));
  assert_int_equal(r->employees.added, 10001);
  cbc_sync_result_free(r);
  assert_int_equal(log.calls, 3); /* units end; employees at 10,000 and at the end */
  assert_int_equal(log.kinds[0], CBC_RECORD_UNIT);
  assert_int_equal(log.rows[0], 3);
  assert_int_equal(log.kinds[1], CBC_RECORD_EMPLOYEE);
  assert_int_equal(log.rows[1], 10000);
  assert_int_equal(log.rows[2], 10001);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_jansson_stops_after_the_object),
    cmocka_unit_test_setup_teardown(test_csv_line_numbers_after_multiline_record, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unit_row_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_json_row_errors_by_element, setup, teardown),
    cmocka_unit_test_setup_teardown(test_json_value_forms, setup, teardown),
    cmocka_unit_test_setup_teardown(test_json_roles_must_be_strings, setup, teardown),
    cmocka_unit_test_setup_teardown(test_incremental_leaves_others, setup, teardown),
    cmocka_unit_test(test_hire_date_in_db_offset),
    cmocka_unit_test_setup_teardown(test_field_limit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreadable_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rows_across_chunks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_progress_over_json, setup, teardown),
  };
  return cmocka_run_group_tests_name("import_more", tests, NULL, NULL);
}
