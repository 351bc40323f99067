/* cbc_org_import() over HR files as HR systems write them (tests/data/hr):
 * GBK and GB18030, UTF-8 with a BOM, UTF-16, header aliases in Chinese and
 * English, columns that are no field, the caller's column map, dates in
 * several forms, TSV, and files whose every row fails (docs/integration.md,
 * "Importing files"). */
#include "helpers.h"
#include "org_file.h"
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
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

#define DATA(name) CBC_TEST_DATA_DIR "/hr/" name

static cbc_sync_options options(const char *encoding, const char *const *map, unsigned int flags)
{
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.encoding = encoding;
  o.column_map = map;
  o.flags = flags;
  return o;
}

static cbc_sync_result *import_ok(cbc_db *db, const char *units, const char *emps,
                                  const cbc_sync_options *o)
{
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_import(&r, db, units, emps, CBC_FORMAT_AUTO, o, NULL, NULL));
  assert_non_null(r);
  assert_true(r->applied);
  return r;
}

/* The tree of units_zh.csv, from the UTF-8 file. */
static void seed_units(cbc_db *db)
{
  cbc_sync_result *r = import_ok(db, DATA("units_zh.csv"), NULL, NULL);
  assert_int_equal(r->units.added, 7);
  assert_int_equal(r->error_count, 0);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
}

static void write_bytes(const char *path, const void *bytes, size_t n)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, n, f), n);
  fclose(f);
}

/* @p text (UTF-8) converted to @p encoding; *n its length; free() it. */
static char *convert(const char *text, const char *encoding, size_t *n)
{
  iconv_t cd = iconv_open(encoding, "UTF-8");
  assert_true(cd != (iconv_t)-1);
  size_t left = strlen(text), room = left * 4 + 16;
  char *out = malloc(room), *dst = out, *src = (char *)text;
  assert_non_null(out);
  assert_true(iconv(cd, &src, &left, &dst, &room) != (size_t)-1);
  iconv_close(cd);
  *n = (size_t)(dst - out);
  return out;
}

static const char *write_converted(const char *name, const char *text, const char *encoding)
{
  static char paths[4][512];
  static int next;
  char *p = paths[next++ % 4];
  snprintf(p, 512, "%s", cbc_test_path(name));
  size_t n;
  char *bytes = convert(text, encoding, &n);
  write_bytes(p, bytes, n);
  free(bytes);
  return p;
}

static const char *write_text(const char *name, const char *text)
{
  static char paths[4][512];
  static int next;
  char *p = paths[next++ % 4];
  snprintf(p, 512, "%s", cbc_test_path(name));
  cbc_test_write_file(p, text);
  return p;
}

static void assert_employee(cbc_db *db, const char *ext, const char *name, int64_t unit_ext_id,
                            int64_t hire_date, int active)
{
  cbc_employee *e = NULL;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, ext));
  assert_string_equal(e->name, name);
  if (unit_ext_id)
    assert_int_equal(e->unit_id, unit_ext_id);
  assert_int_equal(e->hire_date, hire_date);
  assert_int_equal(e->active, active);
  cbc_employee_free(e);
}

static void assert_employee_absent(cbc_db *db, const char *ext)
{
  cbc_employee *e = NULL;
  assert_int_equal(cbc_employee_lookup_external(&e, db, ext), CBC_ENOTFOUND);
}

static bool has_warning(const cbc_sync_result *r, const char *column, const char *needle)
{
  for (size_t i = 0; i < r->warnings_kept; i++)
    if (strcmp(r->warnings[i].column, column) == 0 && strstr(r->warnings[i].message, needle))
      return true;
  return false;
}

/* ------------------------------------------------------------ encodings */

/* GBK with Chinese headers, Chinese kinds, roles and yes/no: detected. */
static void test_gbk_files_are_detected(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r = import_ok(db, DATA("units_gbk.csv"), DATA("employees_gbk.csv"), NULL);
  assert_int_equal(r->units.added, 7);
  assert_int_equal(r->employees.added, 6);
  assert_int_equal(r->error_count, 0);
  assert_int_equal(r->warning_count, 2); /* one per file: the guessed encoding */
  assert_true(has_warning(r, "", "units_gbk.csv: not UTF-8: read as GB18030"));
  assert_true(has_warning(r, "", "employees_gbk.csv: not UTF-8: read as GB18030"));
  cbc_sync_result_free(r);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "E01"));
  assert_string_equal(u->name, "济南钢铁二厂");
  assert_string_equal(u->industry, "冶金");
  assert_int_equal(u->kind, CBC_UNIT_ENTERPRISE);
  assert_int_equal(u->high_risk, 1);
  cbc_unit_free(u);
  int64_t t01 = cbc_test_unit_id(db, "T01"), t02 = cbc_test_unit_id(db, "T02");
  assert_employee(db, "1001", "李强", t01, cbc_test_date(2015, 3, 1), 1);
  assert_employee(db, "1002", "王芳", t01, cbc_test_date(2019, 3, 1), 1);
  assert_employee(db, "1003", "张伟", t02, cbc_test_date(2019, 3, 1), 1);
  assert_employee(db, "1004", "刘洋", t02, cbc_test_date(2019, 3, 1), 0);
  assert_employee(db, "1005", "陈静", 0, cbc_test_date(2018, 7, 16), 1);
  assert_employee(db, "1006", "赵磊", 0, cbc_test_date(2010, 1, 4), 1);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "1001"));
  assert_int_equal(e->roles, CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER);
  assert_string_equal(e->post, "班长");
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "1005"));
  assert_int_equal(e->roles, CBC_ROLE_SAFETY_OFFICER);
  cbc_employee_free(e);
}

/* Declared, GBK is read as GB18030 without a warning; the UTF-8 twin gives
 * the same records. */
static void test_declared_encodings(void **state)
{
  cbc_db *db = *state;
  static const char *const names[] = { "gbk", "GB18030", "cp936", "GB2312" };
  for (size_t i = 0; i < 4; i++) {
    cbc_sync_options o = options(names[i], NULL, 0);
    cbc_sync_result *r = import_ok(db, DATA("units_gbk.csv"), DATA("employees_gbk.csv"), &o);
    assert_int_equal(r->warning_count, 0);
    assert_int_equal(r->error_count, 0);
    assert_int_equal(r->units.added + r->units.unchanged, 7);
    assert_int_equal(r->employees.added + r->employees.unchanged, 6);
    cbc_sync_result_free(r);
  }
  cbc_sync_options o = options("UTF-8", NULL, 0);
  cbc_sync_result *r = import_ok(db, DATA("units_zh.csv"), DATA("employees_zh.csv"), &o);
  assert_int_equal(r->units.unchanged, 7);
  assert_int_equal(r->employees.unchanged, 6);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
}

/* A GBK file declared as UTF-8: Chinese headers are refused at the header;
 * English headers let every row fail, which is an error, not a success. */
static void test_gbk_declared_as_utf8_fails(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t before = cbc_test_org_size(db);
  cbc_sync_options o = options("utf-8", NULL, 0);
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, DATA("employees_gbk.csv"), CBC_FORMAT_AUTO, &o,
                                  NULL, NULL),
                   CBC_EINVAL, "employees_gbk.csv:1: the header is not text in UTF-8");
  assert_null(r);
  const char *path = write_converted("gbk_en.csv",
                                     "external_id,name,unit_external_id,roles\n"
                                     "7001,李强,T01,\n7002,王芳,T01,\n7003,张伟,T02,班长\n",
                                     "GBK");
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_AUTO, &o, NULL, NULL),
                   CBC_EINVAL, "every row (3) was rejected");
  assert_non_null(strstr(cbc_error_last()->message, "read as UTF-8"));
  assert_non_null(r); /* the row errors say why */
  assert_false(r->applied);
  assert_int_equal(r->error_count, 3);
  assert_non_null(strstr(r->errors[0].message, "UTF-8"));
  assert_non_null(strstr(r->errors[2].message, "unknown role '")); /* quoting GBK bytes */
  for (size_t i = 0; i < r->errors_kept; i++) /* still UTF-8 */
    assert_true(cbc__utf8_valid(r->errors[i].message, strlen(r->errors[i].message)));
  cbc_sync_result_free(r);
  assert_int_equal(cbc_test_org_size(db), before);
  assert_employee_absent(db, "7001");
  /* undeclared, the same file is read as GB18030 */
  r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->employees.added, 3);
  cbc_sync_result_free(r);
  assert_employee(db, "7002", "王芳", cbc_test_unit_id(db, "T01"), 0, 1);
}

/* GB18030's four-byte sequences (𠮷, a name character GBK lacks), a BOM
 * (U+FEFF in GB18030), and UTF-16 with a BOM as Excel's "Unicode text". */
static void test_gb18030_and_utf16(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  const char *text = "\xEF\xBB\xBF" "工号,姓名,班组\n8001,𠮷祥,T01\n8002,欧阳娜娜,T02\n";
  cbc_sync_result *r = import_ok(db, NULL, write_converted("gb.csv", text, "GB18030"), NULL);
  assert_int_equal(r->employees.added, 2);
  assert_true(has_warning(r, "", "read as GB18030"));
  cbc_sync_result_free(r);
  assert_employee(db, "8001", "𠮷祥", cbc_test_unit_id(db, "T01"), 0, 1);
  const char *tsv = "\xEF\xBB\xBF" "工号\t姓名\t班组\n8003\t沈𠮷\tT02\n";
  r = import_ok(db, NULL, write_converted("unicode.txt", tsv, "UTF-16LE"), NULL);
  assert_int_equal(r->employees.added, 1);
  assert_true(has_warning(r, "", "read as UTF-16"));
  cbc_sync_result_free(r);
  assert_employee(db, "8003", "沈𠮷", cbc_test_unit_id(db, "T02"), 0, 1);
}

static void test_utf8_with_bom(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_result *r = import_ok(db, NULL, DATA("employees_bom.csv"), NULL);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 0);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
  assert_employee(db, "2001", "孙涛", cbc_test_unit_id(db, "T01"), cbc_test_date(2020, 5, 6), 1);
}

/* A lone lead byte at the end of the file fails its row only, naming the
 * encoding; a truncated UTF-8 sequence likewise. */
static void test_truncated_sequence_at_end(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t n;
  char *gbk = convert("工号,班组,姓名\n9001,T01,李强\n9002,T01,王芳\n9003,T01,张", "GBK", &n);
  const char *path = cbc_test_path("cut.csv");
  write_bytes(path, gbk, n - 1); /* 张 loses its second byte */
  free(gbk);
  cbc_sync_options o = options("gbk", NULL, 0);
  cbc_sync_result *r = import_ok(db, NULL, path, &o);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 1);
  assert_int_equal(r->errors[0].row, 3);
  assert_non_null(strstr(r->errors[0].message, "a byte sequence that is no GB18030 character"));
  cbc_sync_result_free(r);
  /* detected: the same bytes are still GB18030 (the cut is at the end) */
  r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->error_count, 1);
  cbc_sync_result_free(r);
  const char utf8[] = "工号,班组,姓名\n9004,T01,李强\n9005,T01,\xE5\xBC";
  write_bytes(path, utf8, sizeof(utf8) - 1);
  r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->employees.added, 1);
  assert_int_equal(r->error_count, 1);
  assert_non_null(strstr(r->errors[0].message, "UTF-8"));
  cbc_sync_result_free(r);
}

/* Build a file of @p rows rows in which one two-byte GBK character of a
 * name straddles the end of the first read chunk (byte CBC__TEXT_CHUNK). */
static char *straddling_gbk(size_t *n)
{
  size_t cap = 3 * CBC__TEXT_CHUNK, len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t hn;
  char *head = convert("工号,姓名,班组,岗位\n", "GBK", &hn);
  memcpy(buf, head, hn);
  len = hn;
  free(head);
  int id = 10000;
  while (len + 200 < CBC__TEXT_CHUNK)
    len += (size_t)sprintf(buf + len, "%d,filler,T01,\n", id++);
  /* a row whose post (the last field, under 300 bytes) pads the file up to
   * where the next row's name starts one byte before the chunk's end */
  size_t row_head = (size_t)snprintf(NULL, 0, "%d,", id + 1);
  size_t pad_row = (size_t)snprintf(NULL, 0, "%d,pad,T01,\n", id);
  size_t gap = CBC__TEXT_CHUNK - 1 - len - row_head - pad_row;
  len += (size_t)sprintf(buf + len, "%d,pad,T01,%.*s\n", id, (int)gap,
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
                         "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp");
  len += (size_t)sprintf(buf + len, "%d,", id + 1);
  assert_int_equal(len, CBC__TEXT_CHUNK - 1);
  size_t nn;
  char *name = convert("张伟,T02,\n", "GBK", &nn);
  memcpy(buf + len, name, nn);
  len += nn;
  free(name);
  *n = len;
  return buf;
}

static void test_sequence_across_chunk_boundary(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t n;
  char *bytes = straddling_gbk(&n);
  assert_true((unsigned char)bytes[CBC__TEXT_CHUNK - 1] >= 0x81); /* a lead byte */
  const char *path = cbc_test_path("straddle.csv");
  write_bytes(path, bytes, n);
  free(bytes);
  static const char *const encodings[] = { NULL, "gbk" };
  for (int i = 0; i < 2; i++) {
    cbc_sync_options o = options(encodings[i], NULL, 0);
    cbc_sync_result *r = import_ok(db, NULL, path, &o);
    assert_int_equal(r->error_count, 0);
    cbc_sync_result_free(r);
  }
  cbc_employee *e;
  int64_t last = 0;
  cbc_employee_iter *it;
  const cbc_employee *x;
  assert_cbc_ok(cbc_employee_iter_subtree(&it, db, cbc_test_unit_id(db, "T02"), 0));
  while (cbc_employee_iter_next(&x, it) == 0)
    last = x->id;
  cbc_employee_iter_free(it);
  assert_cbc_ok(cbc_employee_lookup(&e, db, last));
  assert_string_equal(e->name, "张伟");
  cbc_employee_free(e);
}

/* UTF-8 larger than the detection window, whose window ends inside a
 * character: still UTF-8. */
static void test_utf8_detection_window_ends_mid_character(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t cap = 4 * CBC__TEXT_CHUNK, len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  len += (size_t)sprintf(buf, "external_id,name,unit_external_id\n");
  size_t first = len + 3; /* the first non-ASCII byte: row 0's name */
  for (int i = 0; len + 64 < cap; i++) /* "x": the window then ends inside a character */
    len += (size_t)sprintf(buf + len, "u%d,%s,T01\n", i, i == 0 ? "欧阳娜娜x" : i % 2 ? "李强"
                                                                                : "欧阳娜娜");
  assert_int_equal((unsigned char)buf[first], 0xE6);
  assert_int_equal((unsigned char)buf[first + CBC__TEXT_CHUNK] & 0xC0, 0x80);
  const char *path = cbc_test_path("big_utf8.csv");
  write_bytes(path, buf, len);
  free(buf);
  cbc_sync_result *r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->error_count, 0);
  assert_int_equal(r->warning_count, 0);
  assert_true(r->employees.added > 5000);
  cbc_sync_result_free(r);
}

static void test_unknown_encoding_is_refused_first(void **state)
{
  cbc_db *db = *state;
  cbc_sync_options o = options("klingon-8", NULL, 0);
  cbc_sync_result *r = NULL;
  /* the file does not exist: refused before it is looked for */
  assert_cbc_error(cbc_org_import(&r, db, cbc_test_path("none.csv"), NULL, CBC_FORMAT_AUTO, &o,
                                  NULL, NULL),
                   CBC_EINVAL, "unknown encoding 'klingon-8'");
  o = options("auto", NULL, 0);
  assert_cbc_error(cbc_org_import(&r, db, cbc_test_path("none.csv"), NULL, CBC_FORMAT_AUTO, &o,
                                  NULL, NULL), CBC_ENOTFOUND, NULL);
}

/* -------------------------------------------------------------- columns */

static void test_unknown_columns_warn(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_result *r = import_ok(db, NULL, DATA("employees_extra.csv"), NULL);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 0);
  assert_int_equal(r->warning_count, 2);
  assert_int_equal(r->warnings_kept, 2);
  assert_int_equal(r->warnings[0].record, CBC_RECORD_EMPLOYEE);
  assert_string_equal(r->warnings[0].column, "Phone");
  assert_true(has_warning(r, "Phone", "the column 'Phone' is no field of the employees: ignored"));
  assert_true(has_warning(r, "邮箱", "'邮箱'"));
  cbc_sync_result_free(r);
  assert_employee(db, "3002", "郑洁", cbc_test_unit_id(db, "T02"), cbc_test_date(2021, 2, 15), 1);
  /* max_errors bounds the warnings kept, not the count */
  cbc_sync_options o = options(NULL, NULL, 0);
  o.max_errors = 1;
  r = import_ok(db, NULL, DATA("employees_extra.csv"), &o);
  assert_int_equal(r->warning_count, 2);
  assert_int_equal(r->warnings_kept, 1);
  cbc_sync_result_free(r);
}

static void test_strict_refuses_unknown_columns(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t before = cbc_test_org_size(db);
  cbc_sync_options o = options(NULL, NULL, CBC_SYNC_STRICT);
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, DATA("employees_extra.csv"), CBC_FORMAT_AUTO, &o,
                                  NULL, NULL),
                   CBC_EINVAL, "the column 'Phone' is no field of the employees (strict");
  assert_null(r);
  assert_int_equal(cbc_test_org_size(db), before);
  const char *json = write_text("extra.json", "[{\"工号\": \"3101\", \"姓名\": \"甲\", "
                                "\"部门\": \"T01\", \"phone\": \"1\"}]");
  assert_cbc_error(cbc_org_import(&r, db, NULL, json, CBC_FORMAT_AUTO, &o, NULL, NULL),
                   CBC_EINVAL, "'phone'");
  assert_int_equal(cbc_test_org_size(db), before);
  /* mapped to nothing, the columns are accepted in strict mode */
  static const char *const ignore[] = { "phone=", "邮箱=", NULL };
  o = options(NULL, ignore, CBC_SYNC_STRICT);
  r = import_ok(db, NULL, DATA("employees_extra.csv"), &o);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
}

/* JSON keys go through the same aliases; an unknown key warns once. */
static void test_json_aliases_and_unknown_keys(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  const char *json = write_text("zh.json",
    "[{\"工号\": \"3201\", \"姓名\": \"甲\", \"部门\": \"T01\", \"手机\": \"1\", \"入职日期\": \"2019/3/1\"},"
    " {\"工号\": \"3202\", \"姓名\": \"乙\", \"部门\": \"T02\", \"手机\": \"2\", \"角色\": [\"班组长\"]},"
    " {\"Employee ID\": \"3203\", \"NAME\": \"丙\", \"Unit\": \"T02\", \"手机\": \"3\"}]");
  cbc_sync_result *r = import_ok(db, NULL, json, NULL);
  assert_int_equal(r->employees.added, 3);
  assert_int_equal(r->warning_count, 1);
  assert_true(has_warning(r, "手机", "no field"));
  cbc_sync_result_free(r);
  assert_employee(db, "3201", "甲", cbc_test_unit_id(db, "T01"), cbc_test_date(2019, 3, 1), 1);
  assert_employee(db, "3203", "丙", cbc_test_unit_id(db, "T02"), 0, 1);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "3202"));
  assert_int_equal(e->roles, CBC_ROLE_TEAM_LEADER);
  cbc_employee_free(e);
}

/* A warning keeps at most 256 bytes of a column's name, cut between
 * characters; a JSON key is told once however often it comes. */
static void test_long_unknown_names_are_cut(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t n = 3 * 40000;
  char *key = malloc(n + 1);
  assert_non_null(key);
  for (size_t i = 0; i < n; i += 3)
    memcpy(key + i, "备", 3);
  key[n] = '\0';
  const char *path = cbc_test_path("long.json");
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("[", f);
  for (int i = 0; i < 3; i++)
    fprintf(f, "%s{\"工号\": \"37%02d\", \"姓名\": \"甲\", \"班组\": \"T01\", \"%s\": 1}",
            i ? "," : "", i, key);
  fputs("]", f);
  fclose(f);
  free(key);
  cbc_sync_result *r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->employees.added, 3);
  assert_int_equal(r->warning_count, 1);
  assert_int_equal(strlen(r->warnings[0].column), 255); /* 85 characters of 3 bytes */
  assert_true(cbc__utf8_valid(r->warnings[0].message, strlen(r->warnings[0].message)));
  cbc_sync_result_free(r);
}

/* 部门 and 班组 both mean the unit: an error until the map says which. */
static void test_two_columns_for_one_field(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t before = cbc_test_org_size(db);
  const char *path = write_text("both.csv", "工号,姓名,部门,班组\n3301,甲,轧钢车间,T01\n");
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "both.csv:1: '部门' and '班组' both mean the field "
                   "unit_external_id");
  assert_int_equal(cbc_test_org_size(db), before);
  static const char *const map[] = { "部门=", NULL };
  cbc_sync_options o = options(NULL, map, 0);
  r = import_ok(db, NULL, path, &o);
  assert_int_equal(r->employees.added, 1);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
}

/* A map over Chinese headers no alias knows; it wins over the aliases. */
static void test_column_map(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  const char *path = write_text("map.csv", "人员代码,名字,所在班组,编号,备注\n"
                                           "3401,甲,T01,x-1,新员工\n3402,乙,T02,x-2,\n");
  static const char *const map[] = { " 人员代码 =external_id", "名字=name",
                                     "所在班组=unit_external_id", "编号=post", "备注=",
                                     "上级=parent_external_id", NULL };
  cbc_sync_options o = options(NULL, map, CBC_SYNC_STRICT);
  cbc_sync_result *r = import_ok(db, NULL, path, &o);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "3401"));
  assert_string_equal(e->post, "x-1"); /* 编号 is an alias of external_id, the map wins */
  cbc_employee_free(e);
}

static void test_bad_column_maps(void **state)
{
  cbc_db *db = *state;
  static const char *const bad[][3] = {
    { "phone=mobile", NULL, "'mobile' is no field" },
    { "phone", NULL, "column_map[0] is not COLUMN=FIELD" },
    { "=name", NULL, "column_map[0] is not COLUMN=FIELD" },
    { "a=name", " A =post", "column_map[1]: the column is mapped twice" },
    { "a=Name", NULL, "'Name' is no field" },
    { "a=name", "\xFF=post", "column_map[1] is not COLUMN=FIELD" },
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    const char *map[] = { bad[i][0], bad[i][1], NULL };
    cbc_sync_options o = options(NULL, map, 0);
    cbc_sync_result *r = NULL;
    /* refused before the (missing) file is looked for */
    assert_cbc_error(cbc_org_import(&r, db, NULL, cbc_test_path("none.csv"), CBC_FORMAT_AUTO,
                                    &o, NULL, NULL), CBC_EINVAL, bad[i][2]);
    assert_null(r);
  }
}

/* Header names: case, spaces, '_', '-', '*' and U+3000 do not matter. */
static void test_header_spellings(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  const char *path = write_text("spell.csv", "*EXTERNAL-ID, Full Name ,unit external id,"
                                             "\xE3\x80\x80入职 日期\n3501,甲,T01,2020-1-2\n");
  cbc_sync_result *r = import_ok(db, NULL, path, NULL);
  assert_int_equal(r->employees.added, 1);
  assert_int_equal(r->warning_count, 0);
  cbc_sync_result_free(r);
  assert_employee(db, "3501", "甲", cbc_test_unit_id(db, "T01"), cbc_test_date(2020, 1, 2), 1);
}

/* ---------------------------------------------------------- dates, TSV */

static void test_date_forms(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_result *r = import_ok(db, NULL, DATA("employees_dates.csv"), NULL);
  assert_int_equal(r->employees.added, 8);
  assert_int_equal(r->error_count, 3);
  static const char *const bad[] = { "2019-02-30", "2019/13/1", "2019-3-1-" };
  for (int i = 0; i < 3; i++) {
    assert_int_equal(r->errors[i].row, 9 + i);
    assert_non_null(strstr(r->errors[i].message, bad[i]));
    assert_non_null(strstr(r->errors[i].message, "is not a date"));
  }
  cbc_sync_result_free(r);
  char ext[8];
  for (int i = 1; i <= 8; i++) {
    snprintf(ext, sizeof(ext), "500%d", i);
    cbc_employee *e;
    assert_cbc_ok(cbc_employee_lookup_external(&e, db, ext));
    assert_int_equal(e->hire_date, cbc_test_date(2019, 3, 1));
    cbc_employee_free(e);
  }
}

static void test_date_parser(void **state)
{
  (void)state;
  int64_t t;
  static const char *const good[] = { "2020-02-29", "2020-2-29", "2020/2/29", "20200229",
                                      "2020.2.29", "2020年2月29日", "2020年02月29", " 2020-02-29\t" };
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    assert_cbc_ok(cbc__file_date(good[i], 8 * 3600, &t));
    assert_int_equal(t, cbc_test_date(2020, 2, 29));
  }
  static const char *const bad[] = { "2019-02-29", "2019-2-", "2019/3-1", "2019031", "201903011",
                                     "19-3-1", "2019-003-01", "2019年3/1", "2019-3-1日",
                                     "1899-12-31", "2019-00-10", "2019-1-32", "2019 -3-1", "-" };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    assert_cbc_error(cbc__file_date(bad[i], 0, &t), CBC_EINVAL, "is not a date");
  assert_cbc_ok(cbc__file_date("  ", 0, &t));
  assert_int_equal(t, 0);
}

static void test_tsv(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_result *r = import_ok(db, NULL, DATA("employees.tsv"), NULL);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 0);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "4002"));
  assert_string_equal(e->post, "文员, 兼职");
  assert_int_equal(e->hire_date, cbc_test_date(2017, 9, 1));
  cbc_employee_free(e);
  /* tab-separated content named .csv is recognised by its header */
  const char *tabs = "工号\t姓名\t班组\t岗位\n4003\t甲\tT01\t焊工, 二级\n";
  r = import_ok(db, NULL, write_text("tabs.csv", tabs), NULL);
  assert_int_equal(r->employees.added, 1);
  cbc_sync_result_free(r);
  /* explicit CBC_FORMAT_TSV on any name; explicit CSV keeps the comma */
  const char *path = write_text("tabs.dat", "工号\t姓名\t班组\n4004\t乙\tT02\n");
  assert_cbc_ok(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_TSV, NULL, NULL, NULL));
  assert_int_equal(r->employees.added, 1);
  cbc_sync_result_free(r);
  r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_CSV, NULL, NULL, NULL),
                   CBC_EINVAL, "required column");
}

/* ---------------------------------------------------- every row fails */

static void test_every_row_failing_is_an_error(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t before = cbc_test_org_size(db);
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, DATA("employees_all_bad.csv"), CBC_FORMAT_AUTO,
                                  NULL, NULL, NULL),
                   CBC_EINVAL, "employees_all_bad.csv: every row (3) was rejected, so nothing "
                   "was imported; the first: '03/01/2019' is not a date");
  assert_non_null(r);
  assert_false(r->applied);
  assert_int_equal(r->error_count, 3);
  cbc_sync_result_free(r);
  assert_int_equal(cbc_test_org_size(db), before);
  /* the units file too, in full mode: nothing is closed */
  const char *units = write_text("bad_units.csv", "单位编号,单位名称,单位类型\nX1,甲,工厂\n");
  cbc_sync_options o = options(NULL, NULL, 0);
  o.mode = CBC_SYNC_FULL;
  assert_cbc_error(cbc_org_import(&r, db, units, NULL, CBC_FORMAT_AUTO, &o, NULL, NULL),
                   CBC_EINVAL, "every row (1) was rejected");
  cbc_sync_result_free(r);
  assert_int_equal(cbc_test_org_size(db), before);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T01"));
  assert_false(u->closed);
  cbc_unit_free(u);
  /* a header alone is no failure */
  r = import_ok(db, NULL, write_text("empty.csv", "工号,姓名,部门\n"), NULL);
  cbc_sync_result_free(r);
}

/* ---------------------------------------------------------- hostile */

static void test_huge_line(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  size_t before = cbc_test_org_size(db);
  /* 40 ignored columns of 30 KB: each field is allowed, the record is not */
  const char *path = cbc_test_path("huge.csv");
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("external_id,name,unit_external_id", f);
  for (int i = 0; i < 40; i++)
    fprintf(f, ",extra%d", i);
  fputs("\n9901,甲,T01", f);
  for (int i = 0; i < 40; i++) {
    fputc(',', f);
    for (int j = 0; j < 30000; j++)
      fputc('x', f);
  }
  fputc('\n', f);
  fclose(f);
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "huge.csv:2: a record is longer than 1048576 bytes");
  assert_int_equal(cbc_test_org_size(db), before);
  /* more columns than a record may have */
  f = fopen(path, "wb");
  assert_non_null(f);
  fputs("external_id,name,unit_external_id", f);
  for (int i = 0; i < CBC__FILE_MAX_FIELDS; i++)
    fprintf(f, ",c%d", i);
  fputs("\n", f);
  fclose(f);
  assert_cbc_error(cbc_org_import(&r, db, NULL, path, CBC_FORMAT_AUTO, NULL, NULL, NULL),
                   CBC_EINVAL, "more than 256 fields");
}

/* The new reading paths under every allocation failure: an error and
 * nothing changed, or the whole import.  *step: the imports that
 * succeeded. */
static int import_under_faults(cbc_db *db, int *step)
{
  static const char *const map[] = { "部门=", "手机=", NULL };
  cbc_sync_options o = options(NULL, map, 0);
  const char *json = write_text("fault.json", "[{\"工号\": \"3601\", \"姓名\": \"甲\", "
                                "\"班组\": \"T01\", \"手机\": \"1\"}]");
  const char *units[] = { DATA("units_gbk.csv"), NULL, NULL, NULL };
  const char *emps[] = { DATA("employees_gbk.csv"), DATA("employees_extra.csv"), json,
                         DATA("employees.tsv") };
  int rc = 0;
  for (*step = 0; !rc && *step < 4; ++*step) {
    cbc_sync_result *r = NULL;
    rc = cbc_org_import(&r, db, units[*step], emps[*step], CBC_FORMAT_AUTO, *step ? &o : NULL,
                        NULL, NULL);
    cbc_sync_result_free(r);
    if (rc)
      break;
  }
  return rc;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  static const size_t size_after[] = { 0, 13, 15, 16, 18 }; /* units and employees */
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    int64_t t = now;
    int step = 0;
    cbc_test_alloc_install(1); /* before the database opens */
    cbc_db *db = cbc_test_db(&t);
    cbc_test_fail_after(n);
    int rc = import_under_faults(db, &step);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    size_t after = cbc_test_org_size(db);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      assert_int_equal(after, size_after[4]);
      break;
    }
    points++;
    if (rc != 0) {
      assert_non_null(cbc_error_last()->message);
      assert_int_equal(after, size_after[step]); /* the failed import changed nothing */
    } else {
      assert_int_equal(after, size_after[4]); /* a failure absorbed: all of it */
    }
  }
  print_message("allocation failure points: %ld (stride %ld)\n", points, stride);
  assert_true(points * stride > 100);
}

/* ------------------------------------------------------------- options */

/* Version 2 options (no encoding, no map) still work; a key covers the
 * encoding and the map. */
static void test_options_versions_and_keys(void **state)
{
  cbc_db *db = *state;
  seed_units(db);
  cbc_sync_options o;
  assert_cbc_ok(cbc_sync_options_init(&o, 2));
  assert_int_equal(o.version, 2);
  cbc_sync_result *r = import_ok(db, NULL, DATA("employees_gbk.csv"), &o);
  assert_int_equal(r->employees.added, 6);
  cbc_sync_result_free(r);
  assert_cbc_ok(cbc_sync_options_init(&o, CBC_SYNC_OPTIONS_VERSION));
  assert_null(o.encoding);
  assert_null(o.column_map);
  o.request_key = "hr-2026-11";
  o.encoding = "gbk";
  r = import_ok(db, NULL, DATA("employees_gbk.csv"), &o);
  cbc_sync_result_free(r);
  r = import_ok(db, NULL, DATA("employees_gbk.csv"), &o); /* a retry: replayed */
  assert_int_equal(r->employees.unchanged, 6);
  cbc_sync_result_free(r);
  static const char *const map[] = { "在职=", NULL };
  o.column_map = map;
  assert_cbc_error(cbc_org_import(&r, db, NULL, DATA("employees_gbk.csv"), CBC_FORMAT_AUTO, &o,
                                  NULL, NULL), CBC_ECONFLICT, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_gbk_files_are_detected, setup, teardown),
    cmocka_unit_test_setup_teardown(test_declared_encodings, setup, teardown),
    cmocka_unit_test_setup_teardown(test_gbk_declared_as_utf8_fails, setup, teardown),
    cmocka_unit_test_setup_teardown(test_gb18030_and_utf16, setup, teardown),
    cmocka_unit_test_setup_teardown(test_utf8_with_bom, setup, teardown),
    cmocka_unit_test_setup_teardown(test_truncated_sequence_at_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sequence_across_chunk_boundary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_utf8_detection_window_ends_mid_character, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_unknown_encoding_is_refused_first, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_columns_warn, setup, teardown),
    cmocka_unit_test_setup_teardown(test_strict_refuses_unknown_columns, setup, teardown),
    cmocka_unit_test_setup_teardown(test_json_aliases_and_unknown_keys, setup, teardown),
    cmocka_unit_test_setup_teardown(test_long_unknown_names_are_cut, setup, teardown),
    cmocka_unit_test_setup_teardown(test_two_columns_for_one_field, setup, teardown),
    cmocka_unit_test_setup_teardown(test_column_map, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_column_maps, setup, teardown),
    cmocka_unit_test_setup_teardown(test_header_spellings, setup, teardown),
    cmocka_unit_test_setup_teardown(test_date_forms, setup, teardown),
    cmocka_unit_test(test_date_parser),
    cmocka_unit_test_setup_teardown(test_tsv, setup, teardown),
    cmocka_unit_test_setup_teardown(test_every_row_failing_is_an_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_huge_line, setup, teardown),
    cmocka_unit_test(test_allocation_failures),
    cmocka_unit_test_setup_teardown(test_options_versions_and_keys, setup, teardown),
  };
  return cmocka_run_group_tests_name("import_real", tests, NULL, NULL);
}
