/* Corrections of a registered hazard's five items and classification
 * (cbc_hazard_amend, docs/authorization.md "Corrections"): a move in the
 * history that replays to the row, only before closure, only by whoever
 * registers at the level, a later deadline only by whoever approves
 * extensions; bad input changes nothing; groups, the event hook, allocation
 * failures, and random histories with corrections keep every invariant. */
#include "helpers.h"
#include "invariants.h"
#include "hazard_internal.h"
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int setup(void **state)
{
  now = cbc_test_date(2026, 3, 2) + 9 * 3600;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

static int64_t report(cbc_db *db, const char *reporter, const char *unit, cbc_severity sev)
{
  return cbc_test_report(db, reporter, unit, sev, "配电箱门损坏");
}

static const cbc_rectification_plan plan = { "更换配电箱", "停电更换", "2万元", "电工班",
                                             1900000000, "停电挂牌" };

/* A general hazard reported by A1 on T1 and registered by L1 at TEAM level. */
static int64_t registered(cbc_db *db)
{
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = CBC_SEVERITY_GENERAL;
  r.level = CBC_LEVEL_TEAM;
  r.measures = "更换门锁";
  r.funds_fen = 30000;
  r.deadline = now + 10 * DAY;
  r.contingency_plan = "设置警示牌";
  now += 60;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  now += 60;
  return id;
}

static cbc_hazard *get(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  return h;
}

static size_t history_length(cbc_db *db, int64_t id)
{
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  cbc_hazard_events_free(ev, n);
  return n;
}

static cbc_hazard_amendment amendment(unsigned int fields)
{
  cbc_hazard_amendment a;
  assert_cbc_ok(cbc_hazard_amendment_init(&a, CBC_HAZARD_AMENDMENT_VERSION));
  a.fields = fields;
  a.reason = "登记时录入有误";
  return a;
}

/* The database has no findings (file, histories, statistics). */
static void assert_sound(cbc_db *db)
{
  cbc_check_report *r;
  assert_cbc_ok(cbc_db_check(&r, db, 0));
  for (size_t i = 0; i < r->count; i++)
    print_error("finding: %s\n", r->findings[i].message);
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
}

static int collect_event(const cbc_hazard_event *ev, void *payload)
{
  cbc_hazard_action *last = payload;
  *last = ev->action;
  return 0;
}

static void test_init(void **state)
{
  (void)state;
  cbc_hazard_amendment a, init = CBC_HAZARD_AMENDMENT_INIT;
  memset(&a, 0x5a, sizeof(a));
  assert_cbc_ok(cbc_hazard_amendment_init(&a, CBC_HAZARD_AMENDMENT_VERSION));
  assert_int_equal(a.version, CBC_HAZARD_AMENDMENT_VERSION);
  assert_int_equal(a.fields, 0);
  assert_null(a.reason);
  assert_memory_equal(&a.responsible_id, &init.responsible_id, sizeof(int64_t));
  assert_cbc_error(cbc_hazard_amendment_init(&a, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_amendment_init(&a, CBC_HAZARD_AMENDMENT_VERSION + 1), CBC_EINVAL,
                   NULL);
  assert_cbc_error(cbc_hazard_amendment_init(NULL, 1), CBC_EINVAL, NULL);
  assert_string_equal(cbc_hazard_action_name(CBC_ACTION_AMEND), "AMEND");
}

/* Every field corrected at once; the history keeps the registration and
 * the correction, and replays to the row. */
static void test_amend_everything(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db);
  cbc_hazard_action last = (cbc_hazard_action)0;
  assert_cbc_ok(cbc_hazard_set_event_hook(db, collect_event, &last));
  cbc_hazard_amendment a = amendment(CBC_AMEND_ALL & ~(unsigned int)CBC_AMEND_SEVERITY);
  a.responsible_id = E(db, "A2");
  a.measures = "更换整个配电箱门";
  a.funds_fen = 0; /* a value too: recorded by its bit */
  a.deadline = now + 5 * DAY; /* earlier: the team leader may */
  a.contingency_plan = "断电并设置围栏";
  a.kind = CBC_HAZARD_SOFT;
  a.category = CBC_CATEGORY_OCCUPATIONAL_HEALTH;
  a.check_item = CBC_CHECK_RULES;
  assert_cbc_ok(cbc_hazard_amend(db, id, E(db, "L1"), &a));
  assert_int_equal(last, CBC_ACTION_AMEND);
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_REGISTERED);
  assert_int_equal(h->responsible_id, E(db, "A2"));
  assert_string_equal(h->measures, a.measures);
  assert_int_equal(h->funds_fen, 0);
  assert_int_equal(h->deadline, a.deadline);
  assert_int_equal(h->original_deadline, a.deadline);
  assert_string_equal(h->contingency_plan, a.contingency_plan);
  assert_int_equal(h->kind, CBC_HAZARD_SOFT);
  assert_int_equal(h->category, CBC_CATEGORY_OCCUPATIONAL_HEALTH);
  assert_int_equal(h->check_item, CBC_CHECK_RULES);
  assert_int_equal(h->severity, CBC_SEVERITY_GENERAL);
  assert_int_equal(h->updated_at, now);
  cbc_hazard_free(h);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 3);
  assert_int_equal(ev[2].action, CBC_ACTION_AMEND);
  assert_int_equal(ev[2].from_state, CBC_HAZARD_REGISTERED);
  assert_int_equal(ev[2].to_state, CBC_HAZARD_REGISTERED);
  assert_int_equal(ev[2].actor_id, E(db, "L1"));
  assert_non_null(strstr(ev[2].data, "\"reason\":\"登记时录入有误\""));
  assert_non_null(strstr(ev[2].data, "\"amended\":479"));
  assert_non_null(strstr(ev[1].data, "\"measures\":\"更换门锁\"")); /* kept */
  cbc_hazard_events_free(ev, n);
  assert_int_equal(cbc_test_assert_replay(db, id), 3);
  /* the iterator's filters see the corrected row */
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.responsible_id = E(db, "A2");
  cbc_hazard_iter *it;
  const cbc_hazard *row;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  assert_cbc_ok(cbc_hazard_iter_next(&row, it));
  assert_int_equal(row->id, id);
  cbc_hazard_iter_free(it);
  assert_sound(db);
}

/* Before closure only: REGISTERED, RECTIFYING, PENDING_VERIFICATION. */
static void test_states(void **state)
{
  cbc_db *db = *state;
  int64_t l1 = E(db, "L1"), s1 = E(db, "S1");
  cbc_hazard_amendment a = amendment(CBC_AMEND_MEASURES);
  a.measures = "更正后的措施";
  int64_t reported = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  assert_cbc_error(cbc_hazard_amend(db, reported, l1, &a), CBC_ESTATE,
                   "AMEND is not allowed in state REPORTED");
  int64_t rejected = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_hazard_reject(db, rejected, l1, "不是隐患", 0));
  assert_cbc_error(cbc_hazard_amend(db, rejected, l1, &a), CBC_ESTATE, "REJECTED");
  int64_t id = registered(db);
  assert_cbc_ok(cbc_hazard_start(db, id, l1));
  assert_cbc_ok(cbc_hazard_amend(db, id, l1, &a));
  assert_cbc_ok(cbc_hazard_submit(db, id, l1, "已更换", NULL, 0));
  assert_cbc_ok(cbc_hazard_amend(db, id, s1, &a));
  assert_cbc_ok(cbc_hazard_verify(db, id, s1, 1, NULL, NULL, 0));
  size_t n = history_length(db, id);
  assert_cbc_error(cbc_hazard_amend(db, id, s1, &a), CBC_ESTATE, "CLOSED");
  assert_int_equal(history_length(db, id), n);
  assert_cbc_ok(cbc_hazard_reopen(db, id, s1, "回头看发现复发"));
  assert_cbc_ok(cbc_hazard_amend(db, id, s1, &a)); /* open again */
  assert_int_equal(cbc_test_assert_replay(db, id), n + 2);
  assert_sound(db);
}

/* One bad amendment: the code and message, and nothing written. */
static void expect_bad(cbc_db *db, int64_t id, int64_t actor, const cbc_hazard_amendment *a,
                       int code, const char *needle)
{
  size_t n = history_length(db, id);
  cbc_hazard *before = get(db, id);
  assert_cbc_error(cbc_hazard_amend(db, id, actor, a), code, needle);
  cbc_hazard *after = get(db, id);
  assert_int_equal(history_length(db, id), n);
  assert_int_equal(after->updated_at, before->updated_at);
  assert_int_equal(after->responsible_id, before->responsible_id);
  assert_int_equal(after->deadline, before->deadline);
  assert_string_equal(after->measures, before->measures);
  cbc_hazard_free(before);
  cbc_hazard_free(after);
}

static void test_bad_input(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db), l1 = E(db, "L1");
  cbc_hazard *h = get(db, id);
  int64_t reported_at = h->reported_at;
  cbc_hazard_free(h);
  assert_cbc_error(cbc_hazard_amend(db, id, l1, NULL), CBC_EINVAL, "amendment");
  cbc_hazard_amendment a = amendment(CBC_AMEND_MEASURES);
  a.measures = "x";
  assert_cbc_error(cbc_hazard_amend(NULL, id, l1, &a), CBC_EINVAL, NULL);
  expect_bad(db, id, 0, &a, CBC_EINVAL, "actor");
  expect_bad(db, id, -5, &a, CBC_EINVAL, "actor");
  assert_cbc_error(cbc_hazard_amend(db, 9999, l1, &a), CBC_ENOTFOUND, "hazard 9999");
  expect_bad(db, id, 9999, &a, CBC_ENOTFOUND, NULL);
  const struct {
    unsigned int version, fields;
    const char *needle;
  } shapes[] = {
    { 0, CBC_AMEND_MEASURES, "version" },
    { CBC_HAZARD_AMENDMENT_VERSION + 1, CBC_AMEND_MEASURES, "version" },
    { CBC_HAZARD_AMENDMENT_VERSION, 0, "no field" },
    { CBC_HAZARD_AMENDMENT_VERSION, CBC_AMEND_MEASURES | (1u << 9), "unknown amendment fields" },
    { CBC_HAZARD_AMENDMENT_VERSION, 1u << 31, "unknown amendment fields" },
  };
  for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
    cbc_hazard_amendment b = a;
    b.version = shapes[i].version;
    b.fields = shapes[i].fields;
    expect_bad(db, id, l1, &b, CBC_EINVAL, shapes[i].needle);
  }
  cbc_hazard_amendment b = a;
  b.reason = NULL;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "reason");
  b.reason = "";
  expect_bad(db, id, l1, &b, CBC_EINVAL, "reason");
  b = amendment(CBC_AMEND_MEASURES);
  expect_bad(db, id, l1, &b, CBC_EINVAL, "measures"); /* named but missing */
  b = amendment(CBC_AMEND_CONTINGENCY_PLAN);
  b.contingency_plan = "";
  expect_bad(db, id, l1, &b, CBC_EINVAL, "contingency_plan");
  b = amendment(CBC_AMEND_FUNDS);
  b.funds_fen = -1;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "funds");
  b.funds_fen = CBC_MAX_AMOUNT_FEN + 1;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "funds");
  b = amendment(CBC_AMEND_DEADLINE);
  b.deadline = reported_at;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "not after the report");
  b.deadline = CBC_TIME_MAX + 1;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "deadline");
  const int bad_enums[] = { 0, 3, -1, 99 };
  for (size_t i = 0; i < 4; i++) {
    b = amendment(CBC_AMEND_SEVERITY);
    b.severity = (cbc_severity)bad_enums[i];
    expect_bad(db, id, l1, &b, CBC_EINVAL, "severity");
    b = amendment(CBC_AMEND_KIND);
    b.kind = (cbc_hazard_kind)bad_enums[i];
    expect_bad(db, id, l1, &b, CBC_EINVAL, "kind");
    b = amendment(CBC_AMEND_CATEGORY);
    b.category = (cbc_hazard_category)bad_enums[i];
    expect_bad(db, id, l1, &b, CBC_EINVAL, "category");
    b = amendment(CBC_AMEND_CHECK_ITEM);
    b.check_item = (cbc_check_item)(bad_enums[i] == 3 ? 7 : bad_enums[i]);
    expect_bad(db, id, l1, &b, CBC_EINVAL, "check item");
  }
  /* the responsible person: named, an employee, active, able to act at the
   * level for the hazard's unit (as at registration) */
  b = amendment(CBC_AMEND_RESPONSIBLE);
  b.responsible_id = 0;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "responsible");
  b.responsible_id = 9999;
  expect_bad(db, id, l1, &b, CBC_EINVAL, "no such employee");
  b.responsible_id = E(db, "X1"); /* another enterprise's worker */
  expect_bad(db, id, l1, &b, CBC_EINVAL, "enterprise");
  b.responsible_id = E(db, "B1"); /* another team's worker, at TEAM level */
  expect_bad(db, id, l1, &b, CBC_EINVAL, "responsible_id");
  /* fields not named are not read */
  b = amendment(CBC_AMEND_FUNDS);
  b.funds_fen = 5;
  b.severity = (cbc_severity)77;
  b.measures = "";
  assert_cbc_ok(cbc_hazard_amend(db, id, l1, &b));
  h = get(db, id);
  assert_int_equal(h->funds_fen, 5);
  assert_string_equal(h->measures, "更换门锁");
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);
}

/* Who registers at the level corrects; nobody else, least of all another
 * enterprise's people; a later deadline takes whoever approves extensions. */
static void test_authorization(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db);
  cbc_hazard_amendment a = amendment(CBC_AMEND_MEASURES);
  a.measures = "更正";
  const char *refused[] = { "XP", "XS", "XL", "X1", "A1", "A2", "L2", "B1", "I1", "C1" };
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    expect_bad(db, id, E(db, refused[i]), &a, CBC_EPERM, "not allowed");
  const char *allowed[] = { "L1", "S1", "P1" };
  for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
    assert_cbc_ok(cbc_hazard_amend(db, id, E(db, allowed[i]), &a));
  /* the deadline: earlier by the team leader; later needs authority above
   * TEAM level (the safety officer), as an extension would */
  cbc_hazard *h = get(db, id);
  int64_t deadline = h->deadline;
  cbc_hazard_free(h);
  cbc_hazard_amendment d = amendment(CBC_AMEND_DEADLINE);
  d.deadline = deadline - DAY;
  assert_cbc_ok(cbc_hazard_amend(db, id, E(db, "L1"), &d));
  d.deadline = deadline + 30 * DAY;
  expect_bad(db, id, E(db, "L1"), &d, CBC_EPERM, "moving the deadline later");
  assert_cbc_ok(cbc_hazard_amend(db, id, E(db, "S1"), &d));
  h = get(db, id);
  assert_int_equal(h->deadline, deadline + 30 * DAY);
  cbc_hazard_free(h);
  /* an inactive employee, and a read-only handle */
  cbc_employee_record gone = { CBC_EMPLOYEE_RECORD_VERSION, "L1", "李强", "班长", "T1",
                               CBC_ROLE_TEAM_LEADER, 0, 0 };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  cbc_sync_result *res = NULL;
  assert_cbc_ok(cbc_org_sync(&res, db, NULL, 0, &gone, 1, &o));
  cbc_sync_result_free(res);
  expect_bad(db, id, E(db, "L1"), &a, CBC_EPERM, "inactive");
  assert_sound(db);
}

static void test_read_only(void **state)
{
  (void)state;
  const char *path = cbc_test_path("amend-ro.db");
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t id = registered(db), l1 = E(db, "L1");
  cbc_db_close(db);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  cbc_hazard_amendment a = amendment(CBC_AMEND_FUNDS);
  assert_cbc_error(cbc_hazard_amend(db, id, l1, &a), CBC_EPERM, NULL);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Severity: general -> major needs ENTERPRISE level and a plan on file;
 * major -> general is refused while listed; the statistics and the
 * ledger's filters follow. */
static void test_severity(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db), l1 = E(db, "L1"), s1 = E(db, "S1");
  cbc_hazard_amendment major = amendment(CBC_AMEND_SEVERITY);
  major.severity = CBC_SEVERITY_MAJOR;
  expect_bad(db, id, l1, &major, CBC_ESTATE, "ENTERPRISE level");
  assert_cbc_ok(cbc_hazard_escalate(db, id, l1, "班组无法处理", E(db, "B1")));
  assert_cbc_ok(cbc_hazard_escalate(db, id, s1, "车间无法处理", s1));
  expect_bad(db, id, s1, &major, CBC_ESTATE, "plan");
  assert_cbc_ok(cbc_hazard_file_plan(db, id, s1, &plan));
  expect_bad(db, id, l1, &major, CBC_EPERM, "not allowed"); /* no authority there */
  assert_cbc_ok(cbc_hazard_amend(db, id, s1, &major));
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.severity = CBC_SEVERITY_MAJOR;
  cbc_hazard_iter *it;
  const cbc_hazard *row;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  assert_cbc_ok(cbc_hazard_iter_next(&row, it));
  assert_int_equal(row->id, id);
  assert_int_equal(cbc_hazard_iter_next(&row, it), CBC_ITEROVER);
  cbc_hazard_iter_free(it);
  /* listed: it stays major */
  assert_cbc_ok(cbc_hazard_list_supervision(db, id, E(db, "I1"), "历下区应急管理局", "督〔2026〕1号",
                                            0));
  cbc_hazard_amendment general = amendment(CBC_AMEND_SEVERITY);
  general.severity = CBC_SEVERITY_GENERAL;
  expect_bad(db, id, s1, &general, CBC_ESTATE, "stays major");
  /* a major hazard registered as such, not listed, corrected to general */
  int64_t other = report(db, "A1", "T1", CBC_SEVERITY_MAJOR);
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = CBC_SEVERITY_MAJOR;
  r.level = CBC_LEVEL_ENTERPRISE;
  r.measures = "m";
  r.deadline = now + DAY;
  r.contingency_plan = "c";
  r.plan = &plan;
  assert_cbc_ok(cbc_hazard_register(db, other, s1, &r));
  assert_cbc_ok(cbc_hazard_amend(db, other, s1, &general));
  cbc_hazard *h = get(db, other);
  assert_int_equal(h->severity, CBC_SEVERITY_GENERAL);
  assert_int_equal(h->level, CBC_LEVEL_ENTERPRISE);
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);
  cbc_test_assert_replay(db, other);
  cbc_test_assert_stats_rebuild(db, 2026, 2026);
  assert_sound(db);
}

/* The deadline: refused while an extension waits; after an approved one,
 * the correction replaces both deadlines; a past deadline is accepted and
 * the overdue sweep then finds the hazard. */
static void test_deadline(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db), l1 = E(db, "L1"), s1 = E(db, "S1");
  cbc_hazard *h = get(db, id);
  int64_t registered_deadline = h->deadline, reported_at = h->reported_at;
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_request_extension(db, id, l1, registered_deadline + 10 * DAY, "缺货"));
  cbc_hazard_amendment d = amendment(CBC_AMEND_DEADLINE);
  d.deadline = registered_deadline - DAY;
  expect_bad(db, id, s1, &d, CBC_ESTATE, "pending");
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, s1, 1, NULL));
  h = get(db, id);
  assert_int_equal(h->deadline, registered_deadline + 10 * DAY);
  assert_int_equal(h->original_deadline, registered_deadline);
  cbc_hazard_free(h);
  d.deadline = reported_at + 1; /* already past */
  assert_cbc_ok(cbc_hazard_amend(db, id, l1, &d));
  h = get(db, id);
  assert_int_equal(h->deadline, reported_at + 1);
  assert_int_equal(h->original_deadline, reported_at + 1);
  cbc_hazard_free(h);
  int64_t *ids;
  size_t n;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, db, 0, 0));
  assert_int_equal(n, 1);
  assert_int_equal(ids[0], id);
  cbc_free(ids);
  /* a later extension asks from the corrected deadline */
  assert_cbc_ok(cbc_hazard_request_extension(db, id, l1, now + DAY, "重新安排"));
  cbc_test_assert_replay(db, id);
}

/* In a group: rolled back with it (no event delivered), committed with it. */
static void test_group(void **state)
{
  cbc_db *db = *state;
  int64_t id = registered(db), l1 = E(db, "L1");
  cbc_hazard_action last = (cbc_hazard_action)0;
  assert_cbc_ok(cbc_hazard_set_event_hook(db, collect_event, &last));
  cbc_hazard_amendment a = amendment(CBC_AMEND_KIND);
  a.kind = CBC_HAZARD_SOFT;
  size_t n = history_length(db, id);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_amend(db, id, l1, &a));
  assert_cbc_ok(cbc_hazard_start(db, id, l1));
  assert_int_equal(last, 0); /* not before the commit */
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(last, 0);
  assert_int_equal(history_length(db, id), n);
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->kind, CBC_HAZARD_HARD);
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_amend(db, id, l1, &a));
  assert_cbc_error(cbc_hazard_amend(db, id, E(db, "X1"), &a), CBC_EPERM, NULL);
  assert_cbc_ok(cbc_hazard_start(db, id, l1));
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(last, CBC_ACTION_START);
  assert_int_equal(history_length(db, id), n + 2);
  h = get(db, id);
  assert_int_equal(h->kind, CBC_HAZARD_SOFT);
  assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);
}

/* A damaged AMEND event (unknown bits, a named field missing) is reported
 * as damage when the history is read back, never folded. */
static void test_damaged_event(void **state)
{
  (void)state;
  cbc_hazard_event ev = { 7, 1, now, 1, CBC_ACTION_AMEND, CBC_HAZARD_REGISTERED,
                          CBC_HAZARD_REGISTERED, CBC_LEVEL_TEAM, NULL };
  /* no bits; unknown bits; severity and measures named but absent; negative */
  const char *bad[] = { "{\"reason\":\"r\"}", "{\"amended\":512,\"reason\":\"r\"}",
                        "{\"amended\":32,\"reason\":\"r\"}", "{\"amended\":2}",
                        "{\"amended\":-1}" };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cbc__move m;
    void *holder;
    ev.data = (char *)bad[i];
    int rc = cbc__move_from_event(&m, &ev, &holder);
    cbc__move_json_free(holder);
    if (rc != CBC_ECORRUPT)
      fail_msg("%s: %d", bad[i], rc);
  }
  cbc_hazard_event start = ev;
  start.action = CBC_ACTION_START;
  start.data = (char *)"{\"amended\":2,\"measures\":\"x\"}";
  cbc__move m;
  void *holder;
  assert_int_equal(cbc__move_from_event(&m, &start, &holder), CBC_ECORRUPT);
  cbc__move_json_free(holder);
  ev.data = (char *)"{\"amended\":4,\"reason\":\"r\"}"; /* funds to 0: valid */
  assert_cbc_ok(cbc__move_from_event(&m, &ev, &holder));
  assert_int_equal(m.amended, CBC_AMEND_FUNDS);
  assert_int_equal(m.funds_fen, 0);
  cbc__move_json_free(holder);
}

/* ------------------------------------------------- allocation failures */

static bool amend_with_failure(long n, int *failed_points)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  int64_t id = registered(db), l1 = E(db, "L1");
  cbc_hazard_amendment a = amendment(CBC_AMEND_MEASURES | CBC_AMEND_RESPONSIBLE |
                                     CBC_AMEND_CHECK_ITEM | CBC_AMEND_DEADLINE);
  a.measures = "更正措施";
  a.responsible_id = E(db, "A2");
  a.check_item = CBC_CHECK_RULES;
  a.deadline = now + DAY;
  size_t before = history_length(db, id);
  cbc_test_fail_after(n);
  int rc = cbc_hazard_amend(db, id, l1, &a);
  bool failed = cbc_test_alloc_failed();
  cbc_test_fail_after(0);
  cbc_hazard *h = get(db, id);
  if (failed && rc) {
    (*failed_points)++;
    assert_int_equal(history_length(db, id), before);
    assert_string_equal(h->measures, "更换门锁");
    assert_int_equal(h->responsible_id, l1);
  } else {
    assert_cbc_ok(rc);
    assert_int_equal(history_length(db, id), before + 1);
    assert_string_equal(h->measures, "更正措施");
  }
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return failed;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  int failed_points = 0;
  long n = 1, stride = cbc_test_fault_stride();
  while (amend_with_failure(n, &failed_points))
    n += stride;
  print_message("amend: %d failure points of %ld allocations\n", failed_points, n);
  assert_true(failed_points > 0);
}

/* ---------------------------------------------- random histories */

typedef struct walk {
  cbc_db *db;
  uint64_t rng;
  int64_t *ids;
  size_t n;
  int amends, refused;
} walk;

static uint64_t next_random(walk *w)
{
  w->rng ^= w->rng << 13;
  w->rng ^= w->rng >> 7;
  w->rng ^= w->rng << 17;
  return w->rng;
}

static int pick(walk *w, int n) { return (int)(next_random(w) % (uint64_t)n); }

/* who acts: mostly those who may, sometimes those who may not */
static const char *const people[] = { "L1", "S1", "P1", "L1", "S1", "A1", "L2", "B1", "I1", "X1" };

static cbc_hazard_amendment random_amendment(walk *w, const cbc_hazard *h)
{
  cbc_hazard_amendment a = amendment((unsigned int)(1 + pick(w, CBC_AMEND_ALL)));
  static const char *const responsible[] = { "A1", "A2", "L1", "S1", "B1" };
  a.responsible_id = E(w->db, responsible[pick(w, 5)]);
  a.measures = pick(w, 2) ? "更正措施" : "重新核定措施";
  a.funds_fen = pick(w, 3) * 1000;
  a.deadline = h->reported_at + (1 + pick(w, 40)) * DAY;
  a.contingency_plan = "更正预案";
  a.severity = (cbc_severity)(1 + pick(w, 2));
  a.kind = (cbc_hazard_kind)(1 + pick(w, 2));
  a.category = (cbc_hazard_category)(1 + pick(w, 2));
  a.check_item = (cbc_check_item)(1 + pick(w, 6));
  return a;
}

/* One random move on hazard @p id by a random person; refusals are fine
 * (they change nothing), other failures are not. */
static void random_move(walk *w, int64_t id)
{
  cbc_db *db = w->db;
  cbc_hazard *h = get(db, id);
  int64_t actor = E(db, people[pick(w, 10)]);
  int rc, op = pick(w, 10);
  if (op < 4) {
    cbc_hazard_amendment a = random_amendment(w, h);
    rc = cbc_hazard_amend(db, id, actor, &a);
    w->amends += rc == 0;
  } else if (op == 4) {
    rc = cbc_hazard_start(db, id, actor);
  } else if (op == 5) {
    rc = cbc_hazard_escalate(db, id, actor, "提级", 0);
  } else if (op == 6) {
    rc = cbc_hazard_submit(db, id, actor, "已整改", NULL, 0);
  } else if (op == 7) {
    rc = cbc_hazard_verify(db, id, actor, pick(w, 2), "验收", NULL, 0);
  } else if (op == 8) {
    rc = h->extension_pending ? cbc_hazard_decide_extension(db, id, actor, pick(w, 2), NULL)
                              : cbc_hazard_request_extension(db, id, actor,
                                                             h->deadline + DAY, "延期");
  } else {
    rc = h->state == CBC_HAZARD_CLOSED ? cbc_hazard_reopen(db, id, actor, "回头看")
                                       : cbc_hazard_file_plan(db, id, actor, &plan);
  }
  cbc_hazard_free(h);
  if (rc && rc != CBC_EPERM && rc != CBC_ESTATE && rc != CBC_EINVAL && rc != CBC_ENOTFOUND)
    fail_msg("unexpected %d: %s", rc, cbc_error_last()->message);
  w->refused += rc != 0;
}

static void run_walk(uint64_t seed, int steps)
{
  now = cbc_test_date(2026, 1, 5) + 9 * 3600;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  walk w = { db, seed, NULL, 0, 0, 0 };
  w.ids = calloc((size_t)steps, sizeof(int64_t));
  assert_non_null(w.ids);
  for (int i = 0; i < steps; i++) {
    now += 3 * 3600 + pick(&w, 86400);
    if (w.n == 0 || pick(&w, 5) == 0) {
      w.ids[w.n++] = registered(db);
      continue;
    }
    bool group = pick(&w, 6) == 0;
    if (group)
      assert_cbc_ok(cbc_db_begin(db));
    random_move(&w, w.ids[pick(&w, (int)w.n)]);
    random_move(&w, w.ids[pick(&w, (int)w.n)]);
    if (group && pick(&w, 3) == 0)
      assert_cbc_ok(cbc_db_rollback(db));
    else if (group)
      assert_cbc_ok(cbc_db_commit(db));
  }
  cbc_test_assert_all_replay(db);
  cbc_test_assert_stats_rebuild(db, 2026, 2026);
  assert_sound(db);
  print_message("seed %llu: %zu hazards, %d corrections, %d refused moves\n",
                (unsigned long long)seed, w.n, w.amends, w.refused);
  assert_true(w.amends > 0);
  free(w.ids);
  cbc_db_close(db);
}

static void test_random_histories(void **state)
{
  (void)state;
  const uint64_t seeds[] = { 0x9E3779B97F4A7C15ull, 12345, 0xC0FFEEull };
  for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
    run_walk(seeds[i], 300);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_init),
    cmocka_unit_test_setup_teardown(test_amend_everything, setup, teardown),
    cmocka_unit_test_setup_teardown(test_states, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_authorization, setup, teardown),
    cmocka_unit_test(test_read_only),
    cmocka_unit_test_setup_teardown(test_severity, setup, teardown),
    cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
    cmocka_unit_test_setup_teardown(test_group, setup, teardown),
    cmocka_unit_test(test_damaged_event),
    cmocka_unit_test(test_allocation_failures),
    cmocka_unit_test(test_random_histories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
