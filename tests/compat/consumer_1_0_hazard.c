/* The 1.0 consumer: hazards through every move of their lifecycle, the
 * event hook, groups, the ledger's iterator, answers and the sweep. */
#include "consumer_1_0.h"

#include <stdio.h>
#include <string.h>

/* The hazard ids of every event the hook delivered. */
static int64_t g_hooked[4096];
static size_t g_n_hooked;

static int hook(const cbc_hazard_event *ev, void *payload)
{
  (void)payload;
  CHECK(ev->id > 0 && ev->to_state >= CBC_HAZARD_REPORTED && ev->data && ev->data[0] == '{');
  CHECK(g_n_hooked < COUNT(g_hooked));
  g_hooked[g_n_hooked++] = ev->hazard_id;
  return 0;
}

static void advance(c10 *s, int64_t seconds) { s->now += seconds; }

static cbc_hazard_record record(c10 *s, const char *reporter, const char *unit,
                                const char *title, cbc_hazard_source source, cbc_severity sev)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter ? c10_person(s, reporter) : 0;
  r.unit_id = c10_unit(s, unit);
  r.title = title;
  r.description = "现场发现";
  r.location = "2号轧机";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = source;
  r.observed_at = s->now - 600;
  r.proposed_severity = sev;
  return r;
}

static int64_t own(c10 *s, int64_t id)
{
  CHECK(s->n_hazards < COUNT(s->hazards));
  s->hazards[s->n_hazards++] = id;
  advance(s, 60);
  return id;
}

static int64_t report(c10 *s, const char *reporter, const char *unit, const char *title,
                      cbc_severity sev)
{
  cbc_hazard_record r = record(s, reporter, unit, title, CBC_SOURCE_SELF_CHECK, sev);
  int64_t id = 0;
  char *key = (char *)"untouched";
  OK(cbc_hazard_report(&id, &key, s->db, &r));
  CHECK(id > 0 && key == NULL); /* a named report has no follow-up key */
  return own(s, id);
}

static int64_t tip_off(c10 *s, const char *unit, const char *title, char **key)
{
  cbc_hazard_record r = record(s, NULL, unit, title, CBC_SOURCE_HOTLINE, CBC_SEVERITY_GENERAL);
  int64_t id = 0;
  OK(cbc_hazard_report(&id, key, s->db, &r));
  CHECK(*key && strlen(*key) == 32);
  return own(s, id);
}

static cbc_hazard_registration general_at(c10 *s, cbc_level level, int64_t days)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = level;
  g.measures = "紧固护栏";
  g.funds_fen = 5000;
  g.deadline = s->now + days * C10_DAY;
  g.contingency_plan = "设置警示带";
  return g;
}

static cbc_hazard_state state_of(c10 *s, int64_t id)
{
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  cbc_hazard_state st = h->state;
  cbc_hazard_free(h);
  return st;
}

static const cbc_attachment photo = {
  CBC_ATTACHMENT_VERSION, "file:///evidence/c10-1.jpg", "image/jpeg", 2048,
  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
};

/* Closed, failed at verification, closed, reopened on review, closed. */
static int64_t walk_general(c10 *s)
{
  int64_t l1 = c10_person(s, "C10-L1"), d1 = c10_person(s, "C10-D1");
  int64_t id = report(s, "C10-A1", "C10-TA", "护栏松动", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration g = general_at(s, CBC_LEVEL_TEAM, 7);
  OK(cbc_hazard_register(s->db, id, l1, &g));
  OK(cbc_hazard_start(s->db, id, l1));
  OK(cbc_hazard_submit(s->db, id, l1, "已紧固", &photo, 1));
  ERR(cbc_hazard_verify(s->db, id, l1, 1, NULL, NULL, 0), CBC_EPERM); /* the submitter */
  OK(cbc_hazard_verify(s->db, id, d1, 0, "仍有松动", NULL, 0));
  CHECK(state_of(s, id) == CBC_HAZARD_RECTIFYING);
  OK(cbc_hazard_submit(s->db, id, l1, "重新紧固", NULL, 0));
  OK(cbc_hazard_verify(s->db, id, d1, 1, "验收合格", NULL, 0));
  advance(s, 3600);
  OK(cbc_hazard_reopen(s->db, id, c10_person(s, "C10-U1"), "回头看发现复松"));
  OK(cbc_hazard_submit(s->db, id, l1, "更换螺栓", NULL, 0));
  OK(cbc_hazard_verify(s->db, id, d1, 1, "验收合格", NULL, 0));
  ERR(cbc_hazard_start(s->db, id, l1), CBC_ESTATE);
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  CHECK(h->state == CBC_HAZARD_CLOSED && h->reopen_count == 2 && h->level == CBC_LEVEL_TEAM);
  CHECK(h->responsible_id == l1 && h->resolved_level == CBC_LEVEL_TEAM && h->closed_at == s->now);
  CHECK(h->n_attachments == 1 && h->attachments[0].stage == CBC_STAGE_RECTIFICATION);
  CHECK(strcmp(h->attachments[0].sha256, photo.sha256) == 0 && h->attachments[0].size == 2048);
  CHECK(strcmp(h->last_note, "验收合格") == 0 && strcmp(h->measures, "紧固护栏") == 0);
  cbc_hazard_free(h);
  return id;
}

static const cbc_rectification_plan plan_text = {
  "更换2号轧机主传动防护", "停机更换, 加装联锁", "资金8万元", "设备科; 孙华", 0, "停机挂牌, 专人监护"
};

/* Registered major, listed for supervision, extended, verified by the bureau. */
static void walk_major(c10 *s)
{
  int64_t s1 = c10_person(s, "C10-S1"), p1 = c10_person(s, "C10-P1");
  int64_t i1 = c10_person(s, "C10-I1");
  int64_t id = report(s, "C10-A2", "C10-WS1", "主传动防护缺失", CBC_SEVERITY_MAJOR);
  cbc_rectification_plan plan = plan_text;
  plan.time_limit = s->now + 28 * C10_DAY;
  cbc_hazard_registration m = general_at(s, CBC_LEVEL_ENTERPRISE, 28);
  m.severity = CBC_SEVERITY_MAJOR;
  m.plan = &plan;
  ERR(cbc_hazard_register(s->db, id, s1, NULL), CBC_EINVAL);
  OK(cbc_hazard_register(s->db, id, s1, &m));
  OK(cbc_hazard_list_supervision(s->db, id, i1, "兼容区应急管理局", "兼应急督〔2026〕1号", 0));
  ERR(cbc_hazard_list_supervision(s->db, id, i1, "兼容区应急管理局", "又一号", 0), CBC_ESTATE);
  OK(cbc_hazard_start(s->db, id, p1));
  OK(cbc_hazard_request_extension(s->db, id, p1, m.deadline + 14 * C10_DAY, "设备到货延迟"));
  ERR(cbc_hazard_request_extension(s->db, id, p1, m.deadline + 20 * C10_DAY, "再延"),
      CBC_ESTATE);
  OK(cbc_hazard_decide_extension(s->db, id, i1, 1, NULL));
  OK(cbc_hazard_submit(s->db, id, p1, "已更换防护装置", NULL, 0));
  ERR(cbc_hazard_verify(s->db, id, s1, 1, NULL, NULL, 0), CBC_EPERM); /* listed: the bureau */
  OK(cbc_hazard_verify(s->db, id, i1, 1, "验收合格", &photo, 1));
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  CHECK(h->state == CBC_HAZARD_CLOSED && h->severity == CBC_SEVERITY_MAJOR && h->listed == 0);
  CHECK(h->responsible_id == p1 && h->has_plan && strcmp(h->plan.goals, plan.goals) == 0);
  CHECK(h->original_deadline == m.deadline && h->deadline == m.deadline + 14 * C10_DAY);
  CHECK(h->listed_by == i1 && strcmp(h->listing_authority, "兼容区应急管理局") == 0);
  CHECK(h->extension_pending == 0 && h->n_attachments == 1 && h->funds_fen == 5000);
  CHECK(h->attachments[0].stage == CBC_STAGE_VERIFICATION && h->attachments[0].added_by == i1);
  cbc_hazard_free(h);
}

static void walk_fixed_on_spot(c10 *s)
{
  cbc_hazard_record r = record(s, "C10-B1", "C10-TB", "地面油污", CBC_SOURCE_SNAPSHOT,
                               CBC_SEVERITY_GENERAL);
  int64_t id = 0;
  OK(cbc_hazard_fix_on_spot(&id, s->db, &r, "已清理并撒吸油砂", &photo, 1));
  own(s, id);
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  CHECK(h->state == CBC_HAZARD_PENDING_VERIFICATION && h->level == CBC_LEVEL_INDIVIDUAL);
  CHECK(h->responsible_id == r.reporter_id && h->submitted_by == r.reporter_id);
  cbc_hazard_free(h);
  OK(cbc_hazard_verify(s->db, id, c10_person(s, "C10-L2"), 1, NULL, NULL, 0));
  r.proposed_severity = CBC_SEVERITY_MAJOR;
  ERR(cbc_hazard_fix_on_spot(&id, s->db, &r, "不行", NULL, 0), CBC_EINVAL);
}

/* Two tip-offs: one a duplicate, one rectified (its award is paid against
 * the key, in the rewards part). */
static void walk_tip_offs(c10 *s, int64_t original)
{
  int64_t l1 = c10_person(s, "C10-L1"), l2 = c10_person(s, "C10-L2");
  int64_t dup = tip_off(s, "C10-TA", "护栏松动(匿名举报)", &s->key_dup);
  OK(cbc_hazard_reject(s->db, dup, l1, NULL, original));
  cbc_hazard_answer *a = NULL;
  OK(cbc_hazard_answer_by_key(&a, s->db, s->key_dup));
  CHECK(a->hazard_id == dup && a->state == CBC_HAZARD_REJECTED && strstr(a->answer, "duplicate"));
  cbc_hazard_answer_free(a);
  ERR(cbc_hazard_answer_by_key(&a, s->db, "0123456789abcdef0123456789abcdef"), CBC_ENOTFOUND);
  int64_t paid = tip_off(s, "C10-TB", "配电箱门未锁(匿名举报)", &s->key_paid);
  cbc_hazard_registration g = general_at(s, CBC_LEVEL_TEAM, 7);
  OK(cbc_hazard_register(s->db, paid, l2, &g));
  OK(cbc_hazard_start(s->db, paid, l2));
  OK(cbc_hazard_submit(s->db, paid, l2, "已加锁", NULL, 0));
  OK(cbc_hazard_verify(s->db, paid, c10_person(s, "C10-D1"), 1, NULL, NULL, 0));
  OK(cbc_hazard_answer_by_key(&a, s->db, s->key_paid));
  CHECK(a->state == CBC_HAZARD_CLOSED && a->answer[0]);
  cbc_hazard_answer_free(a);
  cbc_hazard_record r = record(s, NULL, "C10-TA", "匿名但非热线", CBC_SOURCE_SNAPSHOT,
                               CBC_SEVERITY_GENERAL);
  char *key = NULL;
  ERR(cbc_hazard_report(NULL, &key, s->db, &r), CBC_EINVAL);
}

/* Overdue: found by the sweep, escalated by it, then by hand to the
 * enterprise, which needs a plan before submitting. */
static void walk_overdue(c10 *s)
{
  int64_t l1 = c10_person(s, "C10-L1"), d1 = c10_person(s, "C10-D1");
  int64_t p1 = c10_person(s, "C10-P1");
  int64_t id = report(s, "C10-A1", "C10-TA", "行车限位失灵", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration g = general_at(s, CBC_LEVEL_TEAM, 2);
  OK(cbc_hazard_register(s->db, id, l1, &g));
  advance(s, 3 * C10_DAY);
  int64_t *ids = NULL;
  size_t n = 0, found = 0;
  OK(cbc_hazard_sweep_overdue(&ids, &n, s->db, 0, 0));
  for (size_t i = 0; i < n; i++)
    found += ids[i] == id;
  cbc_free(ids);
  CHECK(found == 1);
  OK(cbc_hazard_sweep_overdue(&ids, &n, s->db, s->now, CBC_SWEEP_ESCALATE));
  cbc_free(ids);
  ERR(cbc_hazard_sweep_overdue(&ids, &n, s->db, 0, 1u << 7), CBC_EINVAL);
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  CHECK(h->level == CBC_LEVEL_WORKSHOP && h->responsible_id == d1);
  cbc_hazard_free(h);
  OK(cbc_hazard_escalate(s->db, id, d1, "车间无法解决", 0));
  ERR(cbc_hazard_escalate(s->db, id, p1, "再升", 0), CBC_ESTATE);
  OK(cbc_hazard_start(s->db, id, p1));
  ERR(cbc_hazard_submit(s->db, id, p1, "无方案", NULL, 0), CBC_ESTATE);
  cbc_rectification_plan plan = plan_text;
  plan.time_limit = s->now + 30 * C10_DAY;
  OK(cbc_hazard_file_plan(s->db, id, c10_person(s, "C10-S1"), &plan));
}

static void walk_rest(c10 *s)
{
  int64_t l2 = c10_person(s, "C10-L2"), a1 = c10_person(s, "C10-A1");
  int64_t rejected = report(s, "C10-L2", "C10-TB", "不是隐患的报告", CBC_SEVERITY_GENERAL);
  ERR(cbc_hazard_reject(s->db, rejected, c10_person(s, "C10-D1"), NULL, 0), CBC_EINVAL);
  OK(cbc_hazard_reject(s->db, rejected, c10_person(s, "C10-D1"), "符合规范，不是隐患", 0));
  cbc_hazard_answer *a = NULL;
  OK(cbc_hazard_answer_for(&a, s->db, rejected, l2));
  CHECK(a->state == CBC_HAZARD_REJECTED && strstr(a->answer, "不是隐患"));
  cbc_hazard_answer_free(a);
  ERR(cbc_hazard_answer_for(&a, s->db, rejected, a1), CBC_EPERM);
  report(s, "C10-A1", "C10-TA", "消防通道堆物", CBC_SEVERITY_GENERAL); /* stays reported */
  int64_t registered = report(s, "C10-B1", "C10-TB", "安全帽破损", CBC_SEVERITY_GENERAL);
  cbc_hazard_registration g = general_at(s, CBC_LEVEL_TEAM, 7);
  OK(cbc_hazard_register(s->db, registered, l2, &g));
  cbc_hazard *h = NULL;
  ERR(cbc_hazard_lookup(&h, s->db, 987654321), CBC_ENOTFOUND);
  cbc_hazard_record r = record(s, "C10-A1", "C10-TA", NULL, CBC_SOURCE_SELF_CHECK,
                               CBC_SEVERITY_GENERAL);
  ERR(cbc_hazard_report(NULL, NULL, s->db, &r), CBC_EINVAL);
}

/* A rolled-back group leaves nothing and tells the hook nothing. */
static void walk_groups(c10 *s)
{
  size_t hooked = g_n_hooked;
  cbc_hazard_record r = record(s, "C10-A1", "C10-TA", "组内报告", CBC_SOURCE_SELF_CHECK,
                               CBC_SEVERITY_GENERAL);
  int64_t id = 0;
  OK(cbc_db_begin(s->db));
  ERR(cbc_db_begin(s->db), CBC_ESTATE);
  CHECK(cbc_db_in_group(s->db) == 1);
  OK(cbc_hazard_report(&id, NULL, s->db, &r));
  OK(cbc_db_rollback(s->db));
  CHECK(cbc_db_in_group(s->db) == 0 && g_n_hooked == hooked);
  cbc_hazard *h = NULL;
  ERR(cbc_hazard_lookup(&h, s->db, id), CBC_ENOTFOUND);
  ERR(cbc_db_commit(s->db), CBC_ESTATE);
  OK(cbc_db_begin(s->db));
  OK(cbc_hazard_report(&id, NULL, s->db, &r));
  CHECK(g_n_hooked == hooked); /* not before the commit */
  OK(cbc_db_commit(s->db));
  CHECK(g_n_hooked == hooked + 1 && g_hooked[hooked] == id);
  own(s, id);
}

static void check_transitions(void)
{
  cbc_hazard_state to = 0;
  OK(cbc_hazard_transition(&to, 0, CBC_ACTION_REPORT));
  CHECK(to == CBC_HAZARD_REPORTED);
  OK(cbc_hazard_transition(&to, CBC_HAZARD_REPORTED, CBC_ACTION_REGISTER));
  CHECK(to == CBC_HAZARD_REGISTERED);
  OK(cbc_hazard_transition(&to, CBC_HAZARD_RECTIFYING, CBC_ACTION_LIST_SUPERVISION));
  CHECK(to == CBC_HAZARD_RECTIFYING);
  ERR(cbc_hazard_transition(&to, CBC_HAZARD_CLOSED, CBC_ACTION_START), CBC_ESTATE);
  ERR(cbc_hazard_transition(NULL, CBC_HAZARD_CLOSED, CBC_ACTION_START), CBC_EINVAL);
  char *dot = NULL;
  OK(cbc_hazard_fsm_dot(&dot));
  CHECK(strstr(dot, "digraph") && strstr(dot, "PENDING_VERIFICATION"));
  cbc_free(dot);
}

/* Every history starts with the report, ends in the hazard's state, and
 * was delivered to the hook move by move. */
static size_t check_histories(c10 *s)
{
  size_t total = 0;
  for (size_t i = 0; i < s->n_hazards; i++) {
    cbc_hazard_event *ev = NULL;
    size_t n = 0, hooked = 0;
    OK(cbc_hazard_history(&ev, &n, s->db, s->hazards[i]));
    CHECK(n >= 1 && ev[0].action == CBC_ACTION_REPORT && ev[0].from_state == 0);
    for (size_t k = 1; k < n; k++)
      CHECK(ev[k].id > ev[k - 1].id && ev[k].from_state == ev[k - 1].to_state);
    CHECK(ev[n - 1].to_state == state_of(s, s->hazards[i]));
    for (size_t k = 0; k < g_n_hooked; k++)
      hooked += g_hooked[k] == s->hazards[i];
    CHECK(hooked == n);
    total += n;
    cbc_hazard_events_free(ev, n);
  }
  return total;
}

static size_t count_ledger(c10 *s, const cbc_hazard_filter *f)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t n = 0;
  int64_t last = 0;
  OK(cbc_hazard_iter_new(&it, s->db, f));
  int rc;
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    CHECK(h->id > last && h->n_attachments == 0 && h->title[0]);
    last = h->id;
    n++;
  }
  CHECK(rc == CBC_ITEROVER);
  cbc_hazard_iter_free(it);
  return n;
}

static void check_ledger(c10 *s)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.unit_id = c10_unit(s, "C10-ENT");
  CHECK(count_ledger(s, &f) == s->n_hazards);
  f.states = 1u << CBC_HAZARD_CLOSED;
  CHECK(count_ledger(s, &f) == 4);
  f.states = 0;
  f.severity = CBC_SEVERITY_MAJOR;
  CHECK(count_ledger(s, &f) == 1);
  f.severity = 0;
  f.reporter_id = c10_person(s, "C10-A1");
  CHECK(count_ledger(s, &f) == 4);
  f.reporter_id = 0;
  f.overdue_at = s->now;
  CHECK(count_ledger(s, &f) == 1);
  f.overdue_at = 0;
  f.reported_from = C10_BASE;
  f.reported_to = s->now + 1;
  f.unit_id = c10_unit(s, "C10-TB");
  CHECK(count_ledger(s, &f) == 4);
  f.states = 1u << 9;
  cbc_hazard_iter *it = NULL;
  ERR(cbc_hazard_iter_new(&it, s->db, &f), CBC_EINVAL);
  f.states = 0;
  f.version = 0;
  ERR(cbc_hazard_iter_new(&it, s->db, &f), CBC_EINVAL);
}

static void set_policy(c10 *s)
{
  int64_t version = 0;
  OK(cbc_policy_set(&version, s->db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1500}}}",
                    c10_person(s, "C10-U1")));
  CHECK(version >= 2);
  ERR(cbc_policy_set(NULL, s->db, "{\"rules\": {\"no_such_rule\": {}}}",
                     c10_person(s, "C10-U1")), CBC_EINVAL);
  ERR(cbc_policy_set(NULL, s->db, "{}", c10_person(s, "C10-A1")), CBC_EPERM);
}

void c10_exercise_hazards(c10 *s)
{
  OK(cbc_hazard_set_event_hook(s->db, hook, NULL));
  ERR(cbc_hazard_set_event_hook(NULL, hook, NULL), CBC_EINVAL);
  set_policy(s); /* general hazards pay, from their first closure on */
  int64_t first = walk_general(s);
  walk_major(s);
  walk_fixed_on_spot(s);
  walk_tip_offs(s, first);
  walk_overdue(s);
  walk_rest(s);
  walk_groups(s);
  check_transitions();
  size_t events = check_histories(s);
  check_ledger(s);
  s->hook_events = events;
  OK(cbc_hazard_set_event_hook(s->db, NULL, NULL));
}
