/* The moves of the hazard lifecycle on a stored hazard: levels, five items,
 * listed supervision, extensions, verification, review, fixed on the spot,
 * who may act, and that every history replays to the stored state
 * (docs/domain.md §2–3, docs/authorization.md). */
#include "helpers.h"
#include "hazard_internal.h"
#include <string.h>

static int64_t now = 1700000000;
static const int64_t DAY = 86400;

static int setup(void **state)
{
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
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
  return cbc_test_report(db, reporter, unit, sev, "防护栏松动");
}

static const cbc_rectification_plan plan = { "更换护栏", "停机更换", "5万元, 钢材",
                                             "设备科, 孙华", 1800000000, "停机挂牌, 专人监护" };

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

static cbc_hazard *get(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  return h;
}

static cbc_hazard_state state_of(cbc_db *db, int64_t id)
{
  cbc_hazard *h = get(db, id);
  cbc_hazard_state s = h->state;
  cbc_hazard_free(h);
  return s;
}

/* Every stored history replays to the stored row. */
static void assert_all_replay(cbc_db *db)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t seen = 0;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0) {
    assert_true(cbc_test_assert_replay(db, h->id) > 0);
    seen++;
  }
  cbc_hazard_iter_free(it);
  assert_true(seen > 0);
}

static void test_team_lifecycle(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  /* a worker may not register; the team leader of another team may not */
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "A1"), &r), CBC_EPERM, "registering");
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L2"), &r), CBC_EPERM, "registering");
  assert_cbc_error(cbc_hazard_start(db, id, E(db, "L1")), CBC_ESTATE,
                   "START is not allowed in state REPORTED");
  now += 60;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_REGISTERED);
  assert_int_equal(h->level, CBC_LEVEL_TEAM);
  assert_int_equal(h->responsible_id, E(db, "L1")); /* resolved from the tree */
  assert_string_equal(h->measures, "紧固护栏螺栓");
  assert_int_equal(h->funds_fen, 20000);
  assert_int_equal(h->deadline, r.deadline);
  assert_string_equal(h->contingency_plan, "设置警示带");
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  cbc_attachment photo = { 1, "file:///after.jpg", "image/jpeg", 99,
                           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };
  assert_cbc_error(cbc_hazard_submit(db, id, E(db, "A1"), "done", NULL, 0), CBC_EPERM,
                   "responsible person");
  assert_cbc_error(cbc_hazard_submit(db, id, E(db, "L1"), "", NULL, 0), CBC_EINVAL, "note");
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "L1"), "螺栓已紧固", &photo, 1));
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "L1"), 1, NULL, NULL, 0), CBC_EPERM,
                   "nobody verifies a rectification they submitted");
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "D1"), 1, NULL, NULL, 0), CBC_EPERM,
                   "verification");
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "S1"), 0, "", NULL, 0), CBC_EINVAL, "note");
  now += 60;
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, "验收合格", NULL, 0));
  h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_CLOSED);
  assert_int_equal(h->resolved_level, CBC_LEVEL_TEAM);
  assert_int_equal(h->closed_at, now);
  assert_int_equal(h->n_attachments, 1);
  assert_int_equal(h->attachments[0].stage, CBC_STAGE_RECTIFICATION);
  cbc_hazard_free(h);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 5);
  cbc_hazard_action want[] = { CBC_ACTION_REPORT, CBC_ACTION_REGISTER, CBC_ACTION_START,
                               CBC_ACTION_SUBMIT, CBC_ACTION_VERIFY_PASS };
  for (size_t i = 0; i < n; i++)
    assert_int_equal(ev[i].action, want[i]);
  assert_int_equal(ev[4].actor_id, E(db, "S1"));
  cbc_hazard_events_free(ev, n);
  assert_all_replay(db);
}

static void test_escalation_to_enterprise(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_INDIVIDUAL);
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  cbc_hazard *first = get(db, id);
  assert_int_equal(first->responsible_id, E(db, "A1"));
  cbc_hazard_free(first);
  assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "A1"), "", 0), CBC_EINVAL, "reason");
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "A1"), "需要班组协调", 0));
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->level, CBC_LEVEL_TEAM);
  assert_int_equal(h->responsible_id, E(db, "L1"));
  cbc_hazard_free(h);
  /* W1 has no director: escalating needs a named responsible person, one
   * under W1 (D1 directs W2) */
  assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "L1"), "车间解决", 0), CBC_ENOTFOUND,
                   "workshop director");
  assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "L1"), "车间解决", E(db, "D1")),
                   CBC_EINVAL, "at WORKSHOP level works under the hazard's workshop");
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "L1"), "车间解决", E(db, "B1")));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "B1")));
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "B1"), "需企业投入", 0));
  h = get(db, id);
  assert_int_equal(h->level, CBC_LEVEL_ENTERPRISE);
  assert_int_equal(h->responsible_id, E(db, "P1"));
  cbc_hazard_free(h);
  assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "P1"), "更高", 0), CBC_ESTATE,
                   "already at ENTERPRISE");
  /* at enterprise level the administration files the plan before submitting */
  assert_cbc_error(cbc_hazard_submit(db, id, E(db, "P1"), "done", NULL, 0), CBC_ESTATE,
                   "plan must be filed");
  assert_cbc_error(cbc_hazard_file_plan(db, id, E(db, "L1"), &plan), CBC_EPERM, "administration");
  cbc_rectification_plan partial = plan;
  partial.safety_measures = "";
  assert_cbc_error(cbc_hazard_file_plan(db, id, E(db, "S1"), &partial), CBC_EINVAL,
                   "plan safety measures");
  assert_cbc_ok(cbc_hazard_file_plan(db, id, E(db, "S1"), &plan));
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "P1"), "护栏已更换", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0));
  h = get(db, id);
  assert_int_equal(h->resolved_level, CBC_LEVEL_ENTERPRISE);
  assert_true(h->has_plan);
  assert_string_equal(h->plan.goals, "更换护栏");
  cbc_hazard_free(h);
  assert_all_replay(db);
}

/* The responsible person resolved from the tree follows org changes made
 * after an earlier resolution (the handle caches role holders). */
static void test_responsible_follows_org_changes(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  int64_t first = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_hazard_register(db, first, E(db, "L1"), &r));
  cbc_hazard *h = get(db, first);
  assert_int_equal(h->responsible_id, E(db, "L1"));
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L1"), now));
  int64_t second = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  assert_cbc_error(cbc_hazard_register(db, second, E(db, "S1"), &r), CBC_ENOTFOUND,
                   "team leader");
  cbc_employee_record rec = CBC_EMPLOYEE_RECORD_INIT;
  rec.external_id = "L9";
  rec.name = "新班长";
  rec.unit_external_id = "T1";
  rec.roles = CBC_ROLE_TEAM_LEADER;
  int64_t l9;
  assert_cbc_ok(cbc_employee_upsert(&l9, db, &rec));
  assert_cbc_ok(cbc_hazard_register(db, second, E(db, "S1"), &r));
  h = get(db, second);
  assert_int_equal(h->responsible_id, l9);
  cbc_hazard_free(h);
}

static void test_major_and_listed_supervision(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A2", "T1", CBC_SEVERITY_MAJOR);
  cbc_hazard_registration r = reg(CBC_SEVERITY_MAJOR, CBC_LEVEL_TEAM);
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL, "ENTERPRISE level");
  r.level = CBC_LEVEL_ENTERPRISE;
  r.plan = NULL;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL,
                   "needs its rectification plan");
  r.plan = &plan;
  /* rejecting or registering a major report takes enterprise authority */
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EPERM, NULL);
  assert_cbc_error(cbc_hazard_reject(db, id, E(db, "L1"), "不是隐患", 0), CBC_EPERM, NULL);
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "S1"), &r));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "P1")));
  assert_cbc_error(cbc_hazard_list_supervision(db, id, E(db, "S1"), "历下区应急管理局", "督〔2026〕1号", 0),
                   CBC_EPERM, "bureau inspectors");
  assert_cbc_error(cbc_hazard_list_supervision(db, id, E(db, "I1"), "", "x", 0), CBC_EINVAL,
                   "authority");
  now += DAY;
  assert_cbc_ok(cbc_hazard_list_supervision(db, id, E(db, "I1"), "历下区应急管理局",
                                            "督〔2026〕1号", 0));
  assert_cbc_error(cbc_hazard_list_supervision(db, id, E(db, "I1"), "a", "b", 0), CBC_ESTATE,
                   "already listed");
  cbc_hazard *h = get(db, id);
  assert_true(h->listed);
  assert_string_equal(h->listing_authority, "历下区应急管理局");
  assert_int_equal(h->listed_by, E(db, "I1"));
  assert_int_equal(h->listed_at, now);
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "P1"), "整改完成", NULL, 0));
  /* listed: only the listing authority verifies and de-lists */
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0), CBC_EPERM,
                   "listing authority");
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "I1"), 1, "摘牌", NULL, 0));
  h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_CLOSED);
  assert_false(h->listed);
  cbc_hazard_free(h);
  /* a general hazard is never listed */
  int64_t g = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration gr = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, g, E(db, "L1"), &gr));
  assert_cbc_error(cbc_hazard_list_supervision(db, g, E(db, "I1"), "a", "b", 0), CBC_ESTATE,
                   "major hazards only");
  assert_all_replay(db);
}

static void test_reject_and_duplicates(void **state)
{
  cbc_db *db = *state;
  int64_t a = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  int64_t b = report(db, "A2", "T1", CBC_SEVERITY_GENERAL);
  int64_t c = report(db, "B1", "T2", CBC_SEVERITY_GENERAL);
  assert_cbc_error(cbc_hazard_reject(db, a, E(db, "L1"), "", 0), CBC_EINVAL, "reason");
  assert_cbc_error(cbc_hazard_reject(db, a, E(db, "L1"), NULL, a), CBC_EINVAL, "itself");
  /* an unknown duplicate_of is a bad argument (hazard.h), not an unknown hazard */
  assert_cbc_error(cbc_hazard_reject(db, a, E(db, "L1"), NULL, 999), CBC_EINVAL,
                   "duplicate_of 999: no such hazard");
  assert_cbc_error(cbc_hazard_reject(db, a, E(db, "L1"), NULL, -3), CBC_EINVAL,
                   "duplicate_of -3");
  assert_cbc_ok(cbc_hazard_reject(db, c, E(db, "L2"), "不构成隐患", 0));
  assert_cbc_error(cbc_hazard_reject(db, a, E(db, "L1"), NULL, c), CBC_EINVAL, "was rejected");
  assert_cbc_ok(cbc_hazard_reject(db, b, E(db, "L1"), NULL, a));
  cbc_hazard *h = get(db, b);
  assert_int_equal(h->state, CBC_HAZARD_REJECTED);
  assert_int_equal(h->duplicate_of, a);
  cbc_hazard_free(h);
  assert_cbc_error(cbc_hazard_reopen(db, b, E(db, "S1"), "再看看"), CBC_ESTATE,
                   "REOPEN is not allowed in state REJECTED");
  assert_all_replay(db);
}

static void test_extensions(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  assert_cbc_error(cbc_hazard_decide_extension(db, id, E(db, "S1"), 1, NULL), CBC_ESTATE,
                   "no extension request");
  assert_cbc_error(cbc_hazard_request_extension(db, id, E(db, "L1"), r.deadline, "x"),
                   CBC_EINVAL, "not after the current");
  assert_cbc_ok(cbc_hazard_request_extension(db, id, E(db, "L1"), r.deadline + 3 * DAY,
                                             "备件未到"));
  assert_cbc_error(cbc_hazard_request_extension(db, id, E(db, "L1"), r.deadline + 4 * DAY, "y"),
                   CBC_ESTATE, "already pending");
  /* decided above the responsible level: not by the team leader */
  assert_cbc_error(cbc_hazard_decide_extension(db, id, E(db, "L1"), 1, NULL), CBC_EPERM,
                   "above the hazard's level");
  assert_cbc_error(cbc_hazard_decide_extension(db, id, E(db, "S1"), 2, NULL), CBC_EINVAL,
                   "approve");
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, E(db, "S1"), 1, "同意"));
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->deadline, r.deadline + 3 * DAY);
  assert_int_equal(h->original_deadline, r.deadline);
  assert_false(h->extension_pending);
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_request_extension(db, id, E(db, "L1"), r.deadline + 9 * DAY, "再延"));
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, E(db, "S1"), 0, "不同意"));
  h = get(db, id);
  assert_int_equal(h->deadline, r.deadline + 3 * DAY);
  cbc_hazard_free(h);
  assert_all_replay(db);
}

static void test_verify_fail_and_review(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "L1"), "done", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 0, "螺栓仍松动", NULL, 0));
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
  assert_int_equal(h->reopen_count, 1);
  assert_string_equal(h->last_note, "螺栓仍松动");
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "L1"), "重新紧固", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0));
  /* 回头看: a union cadre above the enterprise reopens it; history stays */
  assert_cbc_error(cbc_hazard_reopen(db, id, E(db, "A1"), "x"), CBC_EPERM, "review");
  assert_cbc_error(cbc_hazard_reopen(db, id, E(db, "C1"), ""), CBC_EINVAL, "reason");
  assert_cbc_ok(cbc_hazard_reopen(db, id, E(db, "C1"), "回头看发现复发"));
  h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
  assert_int_equal(h->reopen_count, 2);
  assert_int_equal(h->closed_at, 0);
  cbc_hazard_free(h);
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 8);
  assert_int_equal(ev[4].action, CBC_ACTION_VERIFY_FAIL);
  assert_int_equal(ev[6].action, CBC_ACTION_VERIFY_PASS);
  assert_int_equal(ev[7].action, CBC_ACTION_REOPEN);
  cbc_hazard_events_free(ev, n);
  assert_all_replay(db);
}

static void test_fixed_on_the_spot(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = "地面油污";
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_FIXED_POSITION;
  r.source = CBC_SOURCE_SNAPSHOT;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id;
  assert_cbc_error(cbc_hazard_fix_on_spot(&id, db, &r, "", NULL, 0), CBC_EINVAL, "measures");
  r.proposed_severity = CBC_SEVERITY_MAJOR;
  assert_cbc_error(cbc_hazard_fix_on_spot(&id, db, &r, "清理", NULL, 0), CBC_EINVAL, "general");
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  r.reporter_id = 0;
  r.source = CBC_SOURCE_HOTLINE;
  assert_cbc_error(cbc_hazard_fix_on_spot(&id, db, &r, "清理", NULL, 0), CBC_EINVAL, "named");
  r.reporter_id = E(db, "A1");
  assert_cbc_ok(cbc_hazard_fix_on_spot(&id, db, &r, "已清理并撒吸油砂", NULL, 0));
  cbc_hazard *h = get(db, id);
  assert_int_equal(h->state, CBC_HAZARD_PENDING_VERIFICATION);
  assert_int_equal(h->level, CBC_LEVEL_INDIVIDUAL);
  assert_int_equal(h->responsible_id, E(db, "A1"));
  assert_int_equal(h->submitted_by, E(db, "A1"));
  cbc_hazard_free(h);
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "A1"), 1, NULL, NULL, 0), CBC_EPERM, NULL);
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "L1"), 1, NULL, NULL, 0));
  assert_int_equal(state_of(db, id), CBC_HAZARD_CLOSED);
  assert_all_replay(db);
}

static void test_bad_moves_change_nothing(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  r.deadline = now - 1;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "deadline");
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  r.funds_fen = -1;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "negative");
  r = reg(CBC_SEVERITY_GENERAL, (cbc_level)9);
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "unknown level");
  r = reg((cbc_severity)5, CBC_LEVEL_TEAM);
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "severity");
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  r.version = 0;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "version 0");
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), NULL), CBC_EINVAL, NULL);
  static char long_text[CBC_MAX_TEXT + 2];
  memset(long_text, 'm', sizeof(long_text) - 1);
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  r.measures = long_text;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &r), CBC_EINVAL, "measures is 8001");
  r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_error(cbc_hazard_register(db, 999, E(db, "L1"), &r), CBC_ENOTFOUND, "hazard 999");
  assert_cbc_error(cbc_hazard_register(db, id, 999, &r), CBC_ENOTFOUND, "employee 999");
  assert_cbc_error(cbc_hazard_register(db, id, 0, &r), CBC_EINVAL, "actor");
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L2"), 0));
  assert_cbc_error(cbc_hazard_reject(db, id, E(db, "L2"), "x", 0), CBC_EPERM, "inactive");
  cbc_attachment no_uri = { 1, NULL, "image/png", 1,
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };
  assert_cbc_error(cbc_hazard_submit(db, id, E(db, "L1"), "x", &no_uri, 1), CBC_EINVAL, "uri");
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "S1"), 7, NULL, NULL, 0), CBC_EINVAL, "pass");
  assert_cbc_error(cbc_hazard_start(NULL, id, 1), CBC_EINVAL, NULL);
  /* still as reported, with one event */
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 1);
  cbc_hazard_events_free(ev, n);
  assert_int_equal(state_of(db, id), CBC_HAZARD_REPORTED);
}

static size_t count_matching(cbc_db *db, const cbc_hazard_filter *f)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t n = 0;
  int64_t last = 0;
  int rc;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, f));
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    assert_true(h->id > last); /* stable order: by id */
    last = h->id;
    n++;
  }
  assert_int_equal(rc, CBC_ITEROVER);
  cbc_hazard_iter_free(it);
  return n;
}

static void test_filters(void **state)
{
  cbc_db *db = *state;
  int64_t a = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  now += DAY;
  int64_t b = report(db, "B1", "T2", CBC_SEVERITY_GENERAL);
  int64_t c = report(db, "A2", "T1", CBC_SEVERITY_MAJOR);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, a, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_reject(db, b, E(db, "L2"), "不是隐患", 0));
  cbc_hazard_registration mr = reg(CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE);
  assert_cbc_ok(cbc_hazard_register(db, c, E(db, "S1"), &mr));
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  assert_int_equal(count_matching(db, NULL), 3);
  f.states = 1u << CBC_HAZARD_REGISTERED;
  assert_int_equal(count_matching(db, &f), 2);
  f.states = 0;
  f.severity = CBC_SEVERITY_MAJOR;
  assert_int_equal(count_matching(db, &f), 1);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.level = CBC_LEVEL_TEAM;
  assert_int_equal(count_matching(db, &f), 1);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.unit_id = cbc_test_unit_id(db, "T1");
  assert_int_equal(count_matching(db, &f), 2);
  f.unit_id = cbc_test_unit_id(db, "W1");
  assert_int_equal(count_matching(db, &f), 3);
  f.unit_id = cbc_test_unit_id(db, "W2");
  assert_int_equal(count_matching(db, &f), 0);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.reporter_id = E(db, "A2");
  assert_int_equal(count_matching(db, &f), 1);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.responsible_id = E(db, "L1");
  assert_int_equal(count_matching(db, &f), 1);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.reported_from = now;
  assert_int_equal(count_matching(db, &f), 2);
  f.reported_from = 0;
  f.reported_to = now;
  assert_int_equal(count_matching(db, &f), 1);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.overdue_at = now + 8 * DAY;
  assert_int_equal(count_matching(db, &f), 2);
  f.overdue_at = now + DAY;
  assert_int_equal(count_matching(db, &f), 0);
  /* bad filters */
  cbc_hazard_iter *it;
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.states = 1u << 9;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "state bits");
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.reported_from = 10, f.reported_to = 5;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "inverted");
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.unit_id = 999;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_ENOTFOUND, NULL);
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.version = 0;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "version 0");
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.level = (cbc_level)7;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "level");
}

static void test_answers(void **state)
{
  cbc_db *db = *state;
  int64_t a = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  int64_t b = report(db, "A2", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_answer *ans;
  assert_cbc_ok(cbc_hazard_answer_for(&ans, db, a, E(db, "A1")));
  assert_int_equal(ans->state, CBC_HAZARD_REPORTED);
  assert_string_equal(ans->answer, "");
  cbc_hazard_answer_free(ans);
  assert_cbc_error(cbc_hazard_answer_for(&ans, db, a, E(db, "A2")), CBC_EPERM, "not reported");
  assert_cbc_ok(cbc_hazard_reject(db, b, E(db, "L1"), "同一处", a));
  assert_cbc_ok(cbc_hazard_answer_for(&ans, db, b, E(db, "A2")));
  assert_string_equal(ans->answer, "duplicate of hazard 1: 同一处");
  cbc_hazard_answer_free(ans);
  /* an anonymous tip-off hears its answer through the key */
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.unit_id = cbc_test_unit_id(db, "T2");
  r.title = "违章指挥";
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_RULES;
  r.source = CBC_SOURCE_HOTLINE;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t c;
  char *key;
  assert_cbc_ok(cbc_hazard_report(&c, &key, db, &r));
  cbc_hazard_registration g = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, c, E(db, "L2"), &g));
  assert_cbc_ok(cbc_hazard_start(db, c, E(db, "L2")));
  assert_cbc_ok(cbc_hazard_submit(db, c, E(db, "L2"), "已纠正", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, c, E(db, "S1"), 1, NULL, NULL, 0));
  assert_cbc_ok(cbc_hazard_answer_by_key(&ans, db, key));
  assert_int_equal(ans->hazard_id, c);
  assert_int_equal(ans->state, CBC_HAZARD_CLOSED);
  assert_string_equal(ans->answer, "rectified and verified");
  assert_string_equal(ans->title, "违章指挥");
  cbc_hazard_answer_free(ans);
  cbc_free(key);
  assert_cbc_error(cbc_hazard_answer_by_key(&ans, db, "0000"), CBC_ENOTFOUND, "follow-up key");
  assert_cbc_error(cbc_hazard_answer_by_key(&ans, db, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_answer_for(&ans, db, 999, 1), CBC_ENOTFOUND, NULL);
  cbc_hazard_answer_free(NULL);
}

static void test_overdue_sweep(void **state)
{
  cbc_db *db = *state;
  int64_t a = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  int64_t b = report(db, "A2", "T1", CBC_SEVERITY_GENERAL);
  int64_t c = report(db, "B1", "T2", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, a, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_register(db, b, E(db, "L1"), &r));
  r.deadline = now + 30 * DAY;
  assert_cbc_ok(cbc_hazard_register(db, c, E(db, "L2"), &r));
  assert_cbc_ok(cbc_hazard_start(db, b, E(db, "L1")));
  assert_cbc_ok(cbc_hazard_submit(db, b, E(db, "L1"), "done", NULL, 0));
  int64_t *ids;
  size_t n;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, db, now + 8 * DAY, 0));
  assert_int_equal(n, 2); /* a and b (b waits for verification past its deadline) */
  assert_int_equal(ids[0], a);
  assert_int_equal(ids[1], b);
  cbc_free(ids);
  assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, db, now + 8 * DAY, CBC_SWEEP_ESCALATE));
  assert_int_equal(n, 2);
  cbc_free(ids);
  cbc_hazard *h = get(db, a);
  assert_int_equal(h->level, CBC_LEVEL_WORKSHOP);        /* escalated by the system */
  assert_int_equal(h->responsible_id, E(db, "L1"));      /* no director in W1: kept */
  cbc_hazard_free(h);
  assert_int_equal(state_of(db, b), CBC_HAZARD_PENDING_VERIFICATION); /* not escalated */
  cbc_hazard_event *ev;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, a));
  assert_int_equal(ev[n - 1].action, CBC_ACTION_ESCALATE_OVERDUE);
  assert_int_equal(ev[n - 1].actor_id, 0);
  assert_non_null(strstr(ev[n - 1].data, "\"reason\":\"overdue\""));
  cbc_hazard_events_free(ev, n);
  assert_cbc_error(cbc_hazard_sweep_overdue(&ids, &n, db, -1, 0), CBC_EINVAL, "negative");
  assert_cbc_error(cbc_hazard_sweep_overdue(&ids, &n, db, 0, 0x10), CBC_EINVAL, "flags");
  assert_cbc_error(cbc_hazard_sweep_overdue(NULL, &n, db, 0, 0), CBC_EINVAL, NULL);
  assert_all_replay(db);
}

typedef struct hook_log {
  int calls;
  cbc_hazard_action actions[16];
  int64_t ids[16];
  int fail_with;
} hook_log;

static int on_event(const cbc_hazard_event *ev, void *payload)
{
  hook_log *log = payload;
  if (log->calls < 16) {
    log->actions[log->calls] = ev->action;
    log->ids[log->calls] = ev->id;
  }
  log->calls++;
  assert_non_null(ev->data);
  return log->fail_with;
}

static void test_event_hook(void **state)
{
  cbc_db *db = *state;
  hook_log log = { 0, { 0 }, { 0 }, 0 };
  assert_cbc_ok(cbc_hazard_set_event_hook(db, on_event, &log));
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  assert_int_equal(log.calls, 1);
  assert_int_equal(log.actions[0], CBC_ACTION_REPORT);
  /* a refused move is not announced */
  assert_cbc_error(cbc_hazard_start(db, id, E(db, "L1")), CBC_ESTATE, NULL);
  assert_int_equal(log.calls, 1);
  /* inside a group: only after the commit; a rolled-back group: never */
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  assert_int_equal(log.calls, 1);
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(log.calls, 1);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  assert_cbc_error(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0), CBC_ESTATE, NULL);
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(log.calls, 3);
  assert_int_equal(log.actions[1], CBC_ACTION_REGISTER);
  assert_int_equal(log.actions[2], CBC_ACTION_START);
  assert_true(log.ids[2] > log.ids[1]);
  /* a failing hook never undoes the committed change */
  log.fail_with = 77;
  cbc_error_clear();
  assert_int_equal(cbc_hazard_submit(db, id, E(db, "L1"), "done", NULL, 0), 0);
  assert_int_equal(cbc_error_last()->code, 77);
  assert_non_null(strstr(cbc_error_last()->message, "the change is committed"));
  assert_int_equal(state_of(db, id), CBC_HAZARD_PENDING_VERIFICATION);
  /* removed: silence */
  assert_cbc_ok(cbc_hazard_set_event_hook(db, NULL, NULL));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0));
  assert_int_equal(log.calls, 4);
  assert_cbc_error(cbc_hazard_set_event_hook(NULL, on_event, &log), CBC_EINVAL, NULL);
}

/* ---- cross-enterprise moves (docs/authorization.md, the responsible
 * person and duplicates): refused, and the hazard left as it was ---- */

/* What a refused move must leave alone. */
typedef struct snapshot {
  cbc_hazard_state state;
  cbc_level level;
  int64_t responsible_id, updated_at, duplicate_of;
  size_t events;
} snapshot;

static snapshot snap(cbc_db *db, int64_t id)
{
  cbc_hazard *h = get(db, id);
  snapshot s = { h->state, h->level, h->responsible_id, h->updated_at, h->duplicate_of, 0 };
  cbc_hazard_free(h);
  s.events = cbc_test_assert_replay(db, id);
  return s;
}

static void assert_unchanged(cbc_db *db, int64_t id, const snapshot *before)
{
  snapshot now_ = snap(db, id);
  assert_memory_equal(&now_, before, sizeof(now_));
}

static void test_register_refuses_outside_responsible(void **state)
{
  cbc_db *db = *state;
  cbc_test_seed_second_enterprise(db, "R1");
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  snapshot before = snap(db, id);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  now += 60;
  static const struct {
    const char *who;
    cbc_level level;
    const char *why;
  } refused[] = {
    { "X1", CBC_LEVEL_TEAM, "must work under the hazard's enterprise" },    /* another enterprise */
    { "XL", CBC_LEVEL_TEAM, "must work under the hazard's enterprise" },    /* even its leader */
    { "I1", CBC_LEVEL_ENTERPRISE, "must work under the hazard's enterprise" }, /* the bureau */
    { "C1", CBC_LEVEL_INDIVIDUAL, "must work under the hazard's enterprise" },
    { "B1", CBC_LEVEL_TEAM, "at TEAM level is a member of the hazard's team" },
    { "B1", CBC_LEVEL_INDIVIDUAL, "is the reporter, a member of the hazard's team" },
    { "D1", CBC_LEVEL_WORKSHOP, "at WORKSHOP level works under the hazard's workshop" },
  };
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    r.level = refused[i].level;
    r.responsible_id = E(db, refused[i].who);
    assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL, refused[i].why);
    assert_non_null(strstr(cbc_error_last()->message, "responsible_id"));
    assert_unchanged(db, id, &before);
  }
  r.level = CBC_LEVEL_TEAM;
  r.responsible_id = 999;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL,
                   "responsible_id 999: no such employee");
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "A2"), now));
  r.responsible_id = E(db, "A2");
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL, "is not active");
  assert_unchanged(db, id, &before);
  /* a member of the team (not its leader) may be named; the enterprise's
   * people at ENTERPRISE level; authority at a level (P1 at WORKSHOP) */
  r.responsible_id = E(db, "A1");
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  assert_int_equal(snap(db, id).responsible_id, E(db, "A1"));
  assert_cbc_error(cbc_hazard_start(db, id, E(db, "X1")), CBC_EPERM, "responsible person");
  int64_t major = report(db, "A1", "T1", CBC_SEVERITY_MAJOR);
  cbc_hazard_registration m = reg(CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE);
  m.responsible_id = E(db, "D1");
  assert_cbc_ok(cbc_hazard_register(db, major, E(db, "S1"), &m));
  int64_t third = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration w = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_WORKSHOP);
  w.responsible_id = E(db, "P1");
  assert_cbc_ok(cbc_hazard_register(db, third, E(db, "S1"), &w));
  assert_all_replay(db);
}

static void test_escalate_refuses_outside_responsible(void **state)
{
  cbc_db *db = *state;
  cbc_test_seed_second_enterprise(db, "R1");
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &r));
  snapshot before = snap(db, id);
  now += 60;
  const char *outside[] = { "X1", "XS", "I1", "D1" }; /* D1: under W2, not W1 */
  for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
    assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "L1"), "车间解决", E(db, outside[i])),
                     CBC_EINVAL, "responsible_id");
    assert_unchanged(db, id, &before);
  }
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "L1"), "车间解决", E(db, "B1")));
  before = snap(db, id);
  assert_int_equal(before.level, CBC_LEVEL_WORKSHOP);
  assert_cbc_error(cbc_hazard_escalate(db, id, E(db, "B1"), "企业解决", E(db, "XS")), CBC_EINVAL,
                   "must work under the hazard's enterprise");
  assert_unchanged(db, id, &before);
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "B1"), "企业解决", E(db, "D1")));
  /* a responsible person transferred out of the enterprise no longer acts */
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "D1"), cbc_test_unit_id(db, "T9"), now));
  before = snap(db, id);
  assert_cbc_error(cbc_hazard_start(db, id, E(db, "D1")), CBC_EPERM, "responsible person");
  assert_unchanged(db, id, &before);
  assert_all_replay(db);
}

/* A hazard reported on a workshop has no team: the workshop stands for it. */
static void test_responsible_on_a_workshop_hazard(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "W1", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration r = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  r.responsible_id = E(db, "D1");
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "S1"), &r), CBC_EINVAL, "TEAM level");
  r.responsible_id = E(db, "B1");
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "S1"), &r));
  assert_all_replay(db);
}

/* Fixed on the spot makes the reporter responsible: not an outsider. */
static void test_outsider_cannot_fix_on_the_spot(void **state)
{
  cbc_db *db = *state;
  cbc_test_seed_second_enterprise(db, "R1");
  cbc_hazard_filter all = CBC_HAZARD_FILTER_INIT;
  size_t before = count_matching(db, &all);
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "X1");
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = "地面油污";
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_FIXED_POSITION;
  r.source = CBC_SOURCE_SNAPSHOT;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id = 0;
  assert_cbc_error(cbc_hazard_fix_on_spot(&id, db, &r, "已清理", NULL, 0), CBC_EINVAL,
                   "must work under the hazard's enterprise");
  assert_int_equal(count_matching(db, &all), before); /* nothing stored */
  /* reported normally, it cannot be registered at INDIVIDUAL level with its
   * reporter as the default responsible person either */
  int64_t h = report(db, "X1", "T1", CBC_SEVERITY_GENERAL);
  snapshot was = snap(db, h);
  cbc_hazard_registration g = reg(CBC_SEVERITY_GENERAL, CBC_LEVEL_INDIVIDUAL);
  assert_cbc_error(cbc_hazard_register(db, h, E(db, "L1"), &g), CBC_EINVAL, "enterprise");
  assert_unchanged(db, h, &was);
}

static void test_duplicate_of_another_enterprise(void **state)
{
  cbc_db *db = *state;
  cbc_test_seed_second_enterprise(db, "R1");
  int64_t theirs = report(db, "X1", "T9", CBC_SEVERITY_GENERAL);
  int64_t ours = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  snapshot before = snap(db, ours);
  now += 60;
  assert_cbc_error(cbc_hazard_reject(db, ours, E(db, "L1"), NULL, theirs), CBC_EINVAL,
                   "belongs to another enterprise");
  assert_unchanged(db, ours, &before);
  /* whoever asks, in either direction */
  assert_cbc_error(cbc_hazard_reject(db, ours, E(db, "XL"), NULL, theirs), CBC_EINVAL,
                   "another enterprise");
  assert_cbc_error(cbc_hazard_reject(db, theirs, E(db, "L1"), NULL, ours), CBC_EINVAL,
                   "another enterprise");
  assert_cbc_error(cbc_hazard_reject(db, theirs, E(db, "L1"), "不是隐患", 0), CBC_EPERM, NULL);
  assert_unchanged(db, ours, &before);
  int64_t second = report(db, "A2", "T1", CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_hazard_reject(db, second, E(db, "L1"), NULL, ours));
  assert_all_replay(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_team_lifecycle, setup, teardown),
    cmocka_unit_test_setup_teardown(test_escalation_to_enterprise, setup, teardown),
    cmocka_unit_test_setup_teardown(test_responsible_follows_org_changes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_major_and_listed_supervision, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reject_and_duplicates, setup, teardown),
    cmocka_unit_test_setup_teardown(test_extensions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_verify_fail_and_review, setup, teardown),
    cmocka_unit_test_setup_teardown(test_fixed_on_the_spot, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_moves_change_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
    cmocka_unit_test_setup_teardown(test_overdue_sweep, setup, teardown),
    cmocka_unit_test_setup_teardown(test_event_hook, setup, teardown),
    cmocka_unit_test_setup_teardown(test_register_refuses_outside_responsible, setup, teardown),
    cmocka_unit_test_setup_teardown(test_escalate_refuses_outside_responsible, setup, teardown),
    cmocka_unit_test_setup_teardown(test_responsible_on_a_workshop_hazard, setup, teardown),
    cmocka_unit_test_setup_teardown(test_outsider_cannot_fix_on_the_spot, setup, teardown),
    cmocka_unit_test_setup_teardown(test_duplicate_of_another_enterprise, setup, teardown),
  };
  return cmocka_run_group_tests_name("hazard_moves", tests, NULL, NULL);
}
