/* The packed form of hazard events (lib/event_codec.h, docs/storage.md):
 * every move packs and unpacks to the JSON it always had, the packed bytes
 * are compact and canonical, damaged bytes are refused, and schema step
 * 13 -> 14 converts a file of JSON events without losing a byte of any
 * history. */
#include "helpers.h"
#include "event_codec.h"
#include "hazard_internal.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1780000000;
static const int64_t DAY = 86400;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

/* ------------------------------------------------------------ the codec */

static const char odd_text[] = "引号\"反斜杠\\换行\n制表\t\xe2\x80\xa8 😀";

/* A move with every field set, for @p action. */
static cbc__move full_move(cbc_hazard_action action)
{
  cbc__move m = { 0 };
  m.action = action;
  m.at = 1780000000;
  m.actor_id = 77;
  m.reporter_id = 12345678;
  m.unit_id = 900001;
  m.enterprise_id = 900000;
  m.observed_at = m.at - 3600;
  m.title = "配电箱门未关闭";
  m.description = odd_text;
  m.location = "一号车间东侧";
  m.kind = CBC_HAZARD_SOFT;
  m.category = CBC_CATEGORY_OCCUPATIONAL_HEALTH;
  m.check_item = CBC_CHECK_KEY_POINT_CONTROL;
  m.source = CBC_SOURCE_SUPERVISION_VISIT;
  m.proposed_severity = CBC_SEVERITY_MAJOR;
  m.severity = CBC_SEVERITY_MAJOR;
  m.level = CBC_LEVEL_ENTERPRISE;
  m.responsible_id = INT64_MAX;
  m.measures = "停产整顿";
  m.funds_fen = CBC_MAX_AMOUNT_FEN;
  m.deadline = m.at + 60 * DAY;
  m.contingency_plan = "设置警示带";
  m.has_plan = 1;
  m.plan = (cbc_rectification_plan){ "更换护栏", "停机更换", "5万元, 钢材", "设备科, 孙华",
                                     CBC_TIME_MAX, "停机挂牌, 专人监护" };
  m.reason = "备件未到";
  m.duplicate_of = 3;
  m.authority = "历下区应急管理局";
  m.document = "督〔2026〕1号";
  m.listed_at = 1;
  m.approve = 1;
  m.note = "已整改";
  m.amended = action == CBC_ACTION_AMEND ? CBC_AMEND_ALL : 0; /* a valid move */
  return m;
}

/* Pack @p m, unpack it, and compare with cbc__move_to_json(); for a valid
 * move also that its JSON read back packs to the same bytes (canonical).
 * Returns the packed length. */
static size_t round_trip(const cbc__move *m, const cbc_hazard *row, bool valid)
{
  char *expected, *json;
  unsigned char *packed;
  size_t len;
  assert_cbc_ok(cbc__move_to_json(m, &expected));
  assert_cbc_ok(cbc__move_pack(m, row, &packed, &len));
  cbc_hazard_event ev = { 5, 1, m->at, m->actor_id, m->action, 0, 0, 0, NULL };
  assert_cbc_ok(cbc__event_json(packed, len, &ev, row, &json));
  assert_string_equal(json, expected);
  cbc__move back;
  void *holder;
  unsigned char *again;
  size_t again_len;
  ev.data = json;
  if (valid) {
    assert_cbc_ok(cbc__move_from_event(&back, &ev, &holder));
    assert_cbc_ok(cbc__move_pack(&back, row, &again, &again_len));
    assert_int_equal(again_len, len);
    assert_memory_equal(again, packed, len);
    cbc__move_json_free(holder);
    cbc__free(again);
  }
  cbc__free(json);
  cbc__free(expected);
  cbc__free(packed);
  return len;
}

static size_t assert_round_trip(const cbc__move *m, const cbc_hazard *row)
{
  return round_trip(m, row, true);
}

static void test_every_field_round_trips(void **state)
{
  (void)state;
  for (int a = CBC_ACTION_REPORT; a <= CBC_ACTION_AMEND; a++) {
    cbc__move m = full_move((cbc_hazard_action)a);
    assert_round_trip(&m, NULL);
    m.has_plan = 0; /* the plan's fields are not written without it, as in the JSON */
    assert_round_trip(&m, NULL);
    cbc__move empty = { 0 };
    empty.action = (cbc_hazard_action)a;
    empty.at = 1780000000;
    /* the version byte alone (an amendment that changes nothing is refused) */
    assert_int_equal(round_trip(&empty, NULL, a != CBC_ACTION_AMEND), 1);
  }
  /* extremes: negative and huge integers, times far from the event's */
  cbc__move m = full_move(CBC_ACTION_AMEND);
  m.at = CBC_TIME_MAX;
  m.deadline = 1;
  m.funds_fen = INT64_MIN;
  m.reporter_id = -1;
  m.kind = -2147483647 - 1;
  m.amended = 0xffffffffu;
  round_trip(&m, NULL, false); /* out of range: the reads refuse it after unpacking */
  m.at = INT64_MIN;
  m.deadline = INT64_MAX;
  round_trip(&m, NULL, false);
}

/* A report whose fields are the row's is a reference to them. */
static void test_report_refers_to_its_row(void **state)
{
  (void)state;
  cbc__move m = full_move(CBC_ACTION_REPORT);
  m.has_plan = 0;
  cbc__move report = { 0 };
  report.action = CBC_ACTION_REPORT;
  report.at = m.at;
  report.actor_id = report.reporter_id = m.reporter_id;
  report.unit_id = m.unit_id;
  report.enterprise_id = m.enterprise_id;
  report.observed_at = m.at;
  report.title = m.title;
  report.description = m.description;
  report.kind = CBC_HAZARD_HARD;
  report.category = CBC_CATEGORY_SAFETY;
  report.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  report.source = CBC_SOURCE_SELF_CHECK;
  report.proposed_severity = CBC_SEVERITY_GENERAL;
  cbc_hazard row = { 0 };
  assert_cbc_ok(cbc__hazard_fold(&row, &report));
  size_t inline_len = assert_round_trip(&report, NULL);
  size_t ref_len = assert_round_trip(&report, &row);
  print_message("report: %zu bytes inline, %zu referring to the row\n", inline_len, ref_len);
  assert_int_equal(ref_len, 8); /* version, reference, kind, category, check item */
  assert_true(inline_len > ref_len + 40);
  /* the classification stays in the event: a correction may change the row's */
  row.kind = CBC_HAZARD_SOFT;
  assert_int_equal(assert_round_trip(&report, &row), 8);
  /* a row that says something else is not referred to */
  row.title = "别的标题";
  assert_int_equal(assert_round_trip(&report, &row), inline_len);
  /* only a report refers to its row */
  row.title = (char *)report.title;
  report.action = CBC_ACTION_REGISTER;
  assert_int_equal(assert_round_trip(&report, &row), inline_len);
}

/* Bytes that are not a canonical packing are refused (a damaged file). */
static void test_damaged_bytes_refused(void **state)
{
  (void)state;
  static const struct {
    const char *bytes;
    size_t len;
    cbc_hazard_action action;
    const char *why;
  } bad[] = {
    { "", 0, CBC_ACTION_START, "empty" },
    { "\x02", 1, CBC_ACTION_START, "unknown version" },
    { "\x01\x23\x02\x21\x02", 5, CBC_ACTION_AMEND, "tags out of order" },
    { "\x01\x21\x02\x21\x02", 5, CBC_ACTION_AMEND, "a tag twice" },
    { "\x01\x7f\x02", 3, CBC_ACTION_AMEND, "an unknown tag" },
    { "\x01\x80", 2, CBC_ACTION_AMEND, "a cut varint" },
    { "\x01\x89\x00\x02", 4, CBC_ACTION_AMEND, "an overlong tag" },
    { "\x01\x21\x00", 3, CBC_ACTION_AMEND, "a zero integer" },
    { "\x01\x21\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 12, CBC_ACTION_AMEND, "beyond 64 bits" },
    { "\x01\x09\x80\x80\x80\x80\x10", 7, CBC_ACTION_AMEND, "beyond an int" },
    { "\x01\x21", 2, CBC_ACTION_AMEND, "a missing value" },
    { "\x01\x22\x00", 3, CBC_ACTION_SUBMIT, "an empty text" },
    { "\x01\x22\x05" "abc", 6, CBC_ACTION_SUBMIT, "a text beyond the end" },
    { "\x01\x22\x02\xc3\x28", 5, CBC_ACTION_SUBMIT, "invalid UTF-8" },
    { "\x01\x22\x02" "a\0", 5, CBC_ACTION_SUBMIT, "a NUL in a text" },
    { "\x01\x16\x02" "ab", 5, CBC_ACTION_FILE_PLAN, "a plan field without has_plan" },
    { "\x01\x15\x04", 3, CBC_ACTION_FILE_PLAN, "has_plan 2" },
    { "\x01\x01", 2, CBC_ACTION_REGISTER, "a reference outside a report" },
    { "\x01\x01\x06\x02" "ab", 6, CBC_ACTION_REPORT, "a report field after the reference" },
  };
  cbc_hazard row = { 0 };
  row.title = row.description = row.location = (char *)"";
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cbc_hazard_event ev = { 42, 1, now, 7, bad[i].action, 0, 0, 0, NULL };
    char *json = NULL;
    int rc = cbc__event_json((const unsigned char *)bad[i].bytes, bad[i].len, &ev, &row, &json);
    if (rc != CBC_ECORRUPT)
      fail_msg("%s: %d, %s", bad[i].why, rc, json ? json : "");
    assert_non_null(strstr(cbc_error_last()->message, "hazard event 42"));
    assert_null(json);
  }
  /* a reference needs the row */
  cbc_hazard_event ev = { 42, 1, now, 7, CBC_ACTION_REPORT, 0, 0, 0, NULL };
  char *json;
  assert_int_equal(cbc__event_json((const unsigned char *)"\x01\x01", 2, &ev, NULL, &json),
                   CBC_ECORRUPT);
  assert_cbc_ok(cbc__event_json((const unsigned char *)"\x01\x01", 2, &ev, &row, &json));
  assert_string_equal(json, "{}");
  cbc__free(json);
}

/* Allocation failures while packing and unpacking: CBC_ENOMEM, nothing
 * leaked. */
static void test_codec_allocation_failures(void **state)
{
  (void)state;
  cbc__move m = full_move(CBC_ACTION_REGISTER);
  cbc_hazard_event ev = { 5, 1, m.at, m.actor_id, m.action, 0, 0, 0, NULL };
  long points = 0;
  cbc_test_alloc_install(0);
  for (long n = 1;; n++) {
    unsigned char *packed = NULL;
    char *json = NULL;
    size_t len;
    cbc_test_fail_after(n);
    int rc = cbc__move_pack(&m, NULL, &packed, &len);
    if (!rc)
      rc = cbc__event_json(packed, len, &ev, NULL, &json);
    cbc__free(packed);
    cbc__free(json);
    if (!cbc_test_alloc_failed()) {
      assert_cbc_ok(rc);
      break;
    }
    assert_int_equal(rc, CBC_ENOMEM);
    points++;
  }
  cbc_test_alloc_uninstall();
  print_message("codec: %ld allocation failure points\n", points);
  assert_true(points >= 3);
}

/* ------------------------------------------------ histories in a file */

static const cbc_rectification_plan plan = { "更换护栏", "停机更换", "5万元, 钢材",
                                             "设备科, 孙华", 1800000000, "停机挂牌, 专人监护" };
static const cbc_attachment photo = { CBC_ATTACHMENT_VERSION, "file:///照片/配电箱.jpg",
                                      "image/jpeg", 20481,
                                      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };

static int64_t report(cbc_db *db, const char *reporter, cbc_severity sev, const char *title)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter ? E(db, reporter) : 0;
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = title;
  r.description = "配电箱门未关闭, 箱内 \"线头\" 裸露\n需立即处理";
  r.location = "一号车间东侧";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = reporter ? CBC_SOURCE_SELF_CHECK : CBC_SOURCE_HOTLINE;
  r.proposed_severity = sev;
  r.observed_at = now - 600;
  r.attachments = &photo;
  r.n_attachments = 1;
  int64_t id;
  char *key = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &key, db, &r));
  cbc_free(key);
  now += 60;
  return id;
}

static cbc_hazard_registration reg(cbc_severity sev, cbc_level level)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = sev;
  r.level = level;
  r.measures = "紧固护栏螺栓";
  r.funds_fen = 20000;
  r.deadline = now + 7 * DAY;
  r.contingency_plan = "设置警示带";
  r.plan = sev == CBC_SEVERITY_MAJOR ? &plan : NULL;
  return r;
}

/* Hazards whose histories hold every action there is, with Chinese texts
 * and attachments; their ids in @p ids (returns how many). */
static size_t every_action(cbc_db *db, int64_t ids[6])
{
  /* 1: report, register, start, extension asked and granted, a correction,
   * submit with evidence, verify failed, submit, verified, reopened */
  int64_t a = ids[0] = report(db, "A1", CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, a, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_start(db, a, E(db, "L1")));
  assert_cbc_ok(cbc_hazard_request_extension(db, a, E(db, "L1"), r.deadline + 3 * DAY, "备件未到"));
  assert_cbc_ok(cbc_hazard_decide_extension(db, a, E(db, "S1"), 1, "同意"));
  cbc_hazard_amendment am = CBC_HAZARD_AMENDMENT_INIT;
  am.fields = CBC_AMEND_MEASURES | CBC_AMEND_KIND | CBC_AMEND_FUNDS;
  am.measures = "更换门锁并加装警示";
  am.kind = CBC_HAZARD_SOFT;
  am.funds_fen = 0;
  am.reason = "登记有误";
  assert_cbc_ok(cbc_hazard_amend(db, a, E(db, "L1"), &am));
  assert_cbc_ok(cbc_hazard_submit(db, a, E(db, "L1"), "已整改", &photo, 1));
  assert_cbc_ok(cbc_hazard_verify(db, a, E(db, "S1"), 0, "螺栓仍松动", NULL, 0));
  assert_cbc_ok(cbc_hazard_submit(db, a, E(db, "L1"), "重新紧固", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, a, E(db, "S1"), 1, "合格", &photo, 1));
  assert_cbc_ok(cbc_hazard_reopen(db, a, E(db, "C1"), "回头看发现复发"));
  /* 2: an anonymous report rejected as a duplicate */
  int64_t b = ids[1] = report(db, NULL, CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  assert_cbc_ok(cbc_hazard_reject(db, b, E(db, "L1"), "重复上报", a));
  /* 3: major, registered with its plan, listed for supervision, escalated
   * (from individual level upwards), the plan filed again */
  int64_t c = ids[2] = report(db, "A2", CBC_SEVERITY_MAJOR, "防护栏松动");
  r = reg(CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE);
  assert_cbc_ok(cbc_hazard_register(db, c, E(db, "S1"), &r));
  assert_cbc_ok(cbc_hazard_start(db, c, E(db, "P1")));
  now += DAY;
  assert_cbc_ok(cbc_hazard_list_supervision(db, c, E(db, "I1"), "历下区应急管理局",
                                            "督〔2026〕1号", 0));
  assert_cbc_ok(cbc_hazard_file_plan(db, c, E(db, "S1"), &plan));
  int64_t d = ids[3] = report(db, "A1", CBC_SEVERITY_GENERAL, "灭火器过期");
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_INDIVIDUAL);
  assert_cbc_ok(cbc_hazard_register(db, d, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_escalate(db, d, E(db, "A1"), "需要班组协调", 0));
  /* 4: overdue, escalated by the sweep */
  int64_t e = ids[4] = report(db, "B1", CBC_SEVERITY_GENERAL, "安全通道堵塞");
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_INDIVIDUAL);
  r.deadline = now + DAY;
  assert_cbc_ok(cbc_hazard_register(db, e, E(db, "L1"), &r));
  int64_t *over;
  size_t n_over;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&over, &n_over, db, now + 2 * DAY,
                                         CBC_SWEEP_ESCALATE));
  cbc_free(over);
  /* 5: fixed on the spot, with evidence */
  cbc_hazard_record fr = CBC_HAZARD_RECORD_INIT;
  fr.reporter_id = E(db, "A1");
  fr.unit_id = cbc_test_unit_id(db, "T1");
  fr.title = "地面油污";
  fr.kind = CBC_HAZARD_SOFT;
  fr.category = CBC_CATEGORY_SAFETY;
  fr.check_item = CBC_CHECK_FIXED_POSITION;
  fr.source = CBC_SOURCE_SNAPSHOT;
  fr.proposed_severity = CBC_SEVERITY_GENERAL;
  assert_cbc_ok(cbc_hazard_fix_on_spot(&ids[5], db, &fr, "已清理并撒吸油砂", &photo, 1));
  return 6;
}

/* The actions seen in the histories of @p ids, as bits. */
static unsigned int actions_seen(cbc_db *db, const int64_t *ids, size_t n)
{
  unsigned int seen = 0;
  for (size_t i = 0; i < n; i++) {
    cbc_hazard_event *ev;
    size_t k;
    assert_cbc_ok(cbc_hazard_history(&ev, &k, db, ids[i]));
    for (size_t j = 0; j < k; j++)
      seen |= 1u << ev[j].action;
    cbc_hazard_events_free(ev, k);
  }
  return seen;
}

#define EVERY_ACTION (((1u << (CBC_ACTION_AMEND + 1)) - 1) & ~1u)

typedef struct hooked {
  char *json[64];
  int64_t id[64];
  size_t n;
} hooked;

static int hook(const cbc_hazard_event *ev, void *payload)
{
  hooked *h = payload;
  if (h->n < 64) {
    h->id[h->n] = ev->id;
    h->json[h->n++] = strdup(ev->data);
  }
  return 0;
}

static long long scalar(sqlite3 *raw, const char *sql)
{
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  long long v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

/* The history the hook heard at each commit is the history read back,
 * byte for byte, and every event is stored packed. */
static void test_history_is_what_the_hook_heard(void **state)
{
  (void)state;
  const char *path = cbc_test_path("event_encoding_hook.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  hooked heard = { { 0 }, { 0 }, 0 };
  assert_cbc_ok(cbc_hazard_set_event_hook(db, hook, &heard));
  int64_t ids[6];
  size_t n = every_action(db, ids);
  assert_int_equal(actions_seen(db, ids, n), EVERY_ACTION);
  size_t matched = 0;
  for (size_t i = 0; i < n; i++) {
    cbc_hazard_event *ev;
    size_t k;
    assert_cbc_ok(cbc_hazard_history(&ev, &k, db, ids[i]));
    for (size_t j = 0; j < k; j++)
      for (size_t h = 0; h < heard.n; h++)
        if (heard.id[h] == ev[j].id) {
          assert_string_equal(ev[j].data, heard.json[h]);
          matched++;
        }
    cbc_hazard_events_free(ev, k);
    cbc_test_assert_replay(db, ids[i]);
  }
  assert_int_equal(matched, heard.n);
  assert_true(matched >= 25);
  for (size_t h = 0; h < heard.n; h++)
    free(heard.json[h]);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(scalar(raw, "SELECT count(*) FROM hazard_events WHERE typeof(data) != 'blob'"),
                   0);
  sqlite3_close(raw);
  cbc_test_unlink(path);
}

/* A damaged packed event in the file: the history says CBC_ECORRUPT. */
static void test_damaged_event_in_file(void **state)
{
  (void)state;
  const char *path = cbc_test_path("event_encoding_damaged.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t id = report(db, "A1", CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER hazard_events_append_only_u;"
                                     "UPDATE hazard_events SET data = x'0101ff'",
                                NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_error(cbc_hazard_history(&ev, &n, db, id), CBC_ECORRUPT, "not a valid packed");
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Allocation failures while reading a packed history: CBC_ENOMEM and
 * nothing returned, nothing leaked (under valgrind). */
static void test_history_allocation_failures(void **state)
{
  (void)state;
  const char *path = cbc_test_path("event_encoding_oom.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t ids[6];
  every_action(db, ids);
  cbc_hazard_event *ev;
  size_t n, want;
  assert_cbc_ok(cbc_hazard_history(&ev, &want, db, ids[0]));
  cbc_hazard_events_free(ev, want);
  cbc_db_close(db);
  cbc_test_alloc_install(0);
  db = cbc_test_db_file(path, &now);
  long points = 0, stride = cbc_test_fault_stride();
  for (long k = 1;; k += stride) {
    cbc_test_fail_after(k);
    int rc = cbc_hazard_history(&ev, &n, db, ids[0]);
    cbc_test_fail_after(0);
    if (rc == 0) {
      assert_int_equal(n, want);
      cbc_hazard_events_free(ev, n);
      break;
    }
    assert_int_equal(rc, CBC_ENOMEM);
    assert_null(ev);
    assert_int_equal(n, 0);
    points++;
  }
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  print_message("history of %zu events: %ld allocation failure points\n", want, points);
  assert_true(points >= 10 / stride);
  cbc_test_unlink(path);
}

/* A report's own fields are fixed: the packed report refers to them. */
static void test_report_fields_fixed(void **state)
{
  (void)state;
  const char *path = cbc_test_path("event_encoding_fixed.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  report(db, "A1", CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  static const char *const changes[] = {
    "UPDATE hazards SET title = '电缆沟积水'", "UPDATE hazards SET description = ''",
    "UPDATE hazards SET location = 'x'", "UPDATE hazards SET reporter_id = NULL",
    "UPDATE hazards SET unit_id = unit_id + 1", "UPDATE hazards SET observed_at = 1",
    "UPDATE hazards SET source = 2", "UPDATE hazards SET proposed_severity = 2",
    "UPDATE hazards SET enterprise_id = 1",
  };
  for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
    assert_int_equal(sqlite3_exec(raw, changes[i], NULL, NULL, NULL), SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(raw), "report is fixed"));
  }
  /* writing the same value, or any other column, is no change to the report */
  assert_int_equal(sqlite3_exec(raw, "UPDATE hazards SET title = title, kind = 2", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(raw);
  cbc_test_unlink(path);
}

/* ------------------------------------------------------- the migration */

typedef struct history {
  int64_t id;
  cbc_hazard_event *ev;
  size_t n;
} history;

static void read_histories(cbc_db *db, const int64_t *ids, size_t n, history *out)
{
  for (size_t i = 0; i < n; i++) {
    out[i].id = ids[i];
    assert_cbc_ok(cbc_hazard_history(&out[i].ev, &out[i].n, db, ids[i]));
  }
}

static void assert_same_histories(const history *a, const history *b, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(a[i].n, b[i].n);
    for (size_t j = 0; j < a[i].n; j++) {
      const cbc_hazard_event *x = &a[i].ev[j], *y = &b[i].ev[j];
      assert_int_equal(x->id, y->id);
      assert_int_equal(x->hazard_id, y->hazard_id);
      assert_int_equal(x->at, y->at);
      assert_int_equal(x->actor_id, y->actor_id);
      assert_int_equal(x->action, y->action);
      assert_int_equal(x->from_state, y->from_state);
      assert_int_equal(x->to_state, y->to_state);
      assert_int_equal(x->level, y->level);
      assert_string_equal(x->data, y->data);
    }
  }
}

static void free_histories(history *h, size_t n)
{
  for (size_t i = 0; i < n; i++)
    cbc_hazard_events_free(h[i].ev, h[i].n);
}

static void exec_ok(sqlite3 *raw, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec(raw, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err);
}

/* Make the file what libcbc wrote at schema version 13: every event's data
 * as its JSON text, no fixed-report trigger. */
static void store_as_v13(sqlite3 *raw, const history *h, size_t n)
{
  exec_ok(raw, "BEGIN; DROP TRIGGER hazard_events_append_only_u;"
               "DROP TRIGGER hazards_report_fixed");
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "UPDATE hazard_events SET data = ?2 WHERE id = ?1",
                                      -1, &s, NULL), SQLITE_OK);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < h[i].n; j++) {
      sqlite3_bind_int64(s, 1, h[i].ev[j].id);
      sqlite3_bind_text(s, 2, h[i].ev[j].data, -1, SQLITE_STATIC);
      assert_int_equal(sqlite3_step(s), SQLITE_DONE);
      sqlite3_reset(s);
    }
  sqlite3_finalize(s);
  exec_ok(raw, "CREATE TRIGGER hazard_events_append_only_u BEFORE UPDATE ON hazard_events"
               "  BEGIN SELECT RAISE(ABORT, 'hazard history is append-only'); END;"
               CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "PRAGMA user_version=13; COMMIT");
}

/* JSON an older or hand-made writer left, which the encoding cannot give
 * back byte for byte (spacing, key order, extra keys): kept as text, read
 * as before.  Each says what the event it replaces said, so the history
 * still replays. */
static const struct {
  cbc_hazard_action action;
  const char *json;
} legacy[] = {
  { CBC_ACTION_SUBMIT, "{\"note\": \"已整改\"}" },
  { CBC_ACTION_AMEND, "{\"amended\":70,\"reason\":\"登记有误\",\"measures\":\"更换门锁并加装警示\","
                      "\"kind\":2}" },
  { CBC_ACTION_VERIFY_FAIL, "{\"note\":\"螺栓仍松动\",\"extra\":1}" },
};
#define N_LEGACY (sizeof(legacy) / sizeof(legacy[0]))

/* Put the legacy texts in place of the first events of their actions. */
static void use_legacy(history *h)
{
  for (size_t k = 0; k < N_LEGACY; k++) {
    size_t j = 0;
    while (j < h->n && h->ev[j].action != legacy[k].action)
      j++;
    assert_true(j < h->n);
    cbc__free(h->ev[j].data);
    h->ev[j].data = cbc__strdup(legacy[k].json);
  }
}

static void test_migration_from_v13(void **state)
{
  (void)state;
  const char *path = cbc_test_path("event_encoding_v13.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t ids[7];
  size_t n = every_action(db, ids);
  /* a report whose JSON says another title than its row (tampered, or an
   * old fix): the migration keeps what the history said */
  ids[n++] = report(db, "A2", CBC_SEVERITY_GENERAL, "电线老化裸露");
  history before[7];
  read_histories(db, ids, n, before);
  cbc_hazard *att_before;
  assert_cbc_ok(cbc_hazard_lookup(&att_before, db, ids[0]));
  cbc_db_close(db);
  /* the file as the previous version wrote it, with odd JSON added */
  history *odd = &before[n - 1];
  cbc__free(odd->ev[0].data);
  odd->ev[0].data = cbc__strdup(
    "{\"reporter_id\":5,\"unit_id\":4,\"enterprise_id\":2,\"observed_at\":1780000000,"
    "\"title\":\"旧标题\",\"kind\":1,\"category\":1,\"check_item\":3,\"source\":1,"
    "\"proposed_severity\":1}");
  use_legacy(&before[0]);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  store_as_v13(raw, before, n);
  long long events = scalar(raw, "SELECT count(*) FROM hazard_events");
  long long text_bytes = scalar(raw, "SELECT sum(length(CAST(data AS BLOB))) FROM hazard_events");
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now); /* migrates 13 -> 14 */
  history migrated[7];
  read_histories(db, ids, n, migrated);
  assert_same_histories(before, migrated, n);
  for (size_t i = 0; i + 1 < n; i++) /* the odd report says another title than its row */
    cbc_test_assert_replay(db, ids[i]);
  assert_int_equal(actions_seen(db, ids, n), EVERY_ACTION);
  cbc_db_close(db);
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(scalar(raw, "PRAGMA user_version"), CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(scalar(raw, "SELECT count(*) FROM hazard_events"), events);
  long long texts = scalar(raw, "SELECT count(*) FROM hazard_events WHERE typeof(data) = 'text'");
  long long packed_bytes = scalar(raw, "SELECT sum(length(CAST(data AS BLOB))) FROM hazard_events");
  print_message("migration: %lld events, %lld kept as JSON; data %lld -> %lld bytes\n", events,
                texts, text_bytes, packed_bytes);
  /* the odd report packs inline (its JSON is what the encoding gives back);
   * the legacy texts stay */
  assert_int_equal(texts, (long long)N_LEGACY);
  assert_true(packed_bytes * 3 < text_bytes);
  /* the history is append-only again, and the reports fixed */
  assert_int_equal(sqlite3_exec(raw, "UPDATE hazard_events SET at = 0", NULL, NULL, NULL),
                   SQLITE_CONSTRAINT);
  assert_int_equal(sqlite3_exec(raw, "UPDATE hazards SET title = 'x'", NULL, NULL, NULL),
                   SQLITE_CONSTRAINT);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  cbc_hazard *att_after;
  assert_cbc_ok(cbc_hazard_lookup(&att_after, db, ids[0]));
  assert_int_equal(att_after->n_attachments, att_before->n_attachments);
  assert_true(att_after->n_attachments >= 3);
  for (size_t i = 0; i < att_after->n_attachments; i++) {
    assert_string_equal(att_after->attachments[i].uri, att_before->attachments[i].uri);
    assert_string_equal(att_after->attachments[i].sha256, att_before->attachments[i].sha256);
    assert_int_equal(att_after->attachments[i].stage, att_before->attachments[i].stage);
  }
  cbc_hazard_free(att_before);
  cbc_hazard_free(att_after);
  cbc_db_close(db);
  free_histories(before, n);
  free_histories(migrated, n);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_field_round_trips),
    cmocka_unit_test(test_report_refers_to_its_row),
    cmocka_unit_test(test_damaged_bytes_refused),
    cmocka_unit_test(test_codec_allocation_failures),
    cmocka_unit_test(test_history_is_what_the_hook_heard),
    cmocka_unit_test(test_damaged_event_in_file),
    cmocka_unit_test(test_history_allocation_failures),
    cmocka_unit_test(test_report_fields_fixed),
    cmocka_unit_test(test_migration_from_v13),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
