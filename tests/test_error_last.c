/* cbc_error_last() is left alone by every call that succeeds (common.h):
 * a sentinel failure is made on purpose, then every public call runs on its
 * success path in one broad scenario (org, sync, import, every hazard move,
 * activities, statistics, rewards, iterators to their end) and the error
 * must still be the sentinel after each.  An iterator's CBC_ITEROVER is not
 * a failure: it leaves the error alone too. */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;
static size_t g_calls; /* success-path calls checked */
static cbc_error g_sentinel;
static char g_sentinel_message[512];

/* Make a call fail on purpose and remember what it left. */
static void set_sentinel(cbc_db *db)
{
  cbc_unit *u = NULL;
  assert_int_equal(cbc_unit_lookup(&u, db, 987654321), CBC_ENOTFOUND);
  g_sentinel = *cbc_error_last();
  snprintf(g_sentinel_message, sizeof(g_sentinel_message), "%s", g_sentinel.message);
}

static void check_untouched(const char *expr, const char *file, int line)
{
  const cbc_error *e = cbc_error_last();
  g_calls++;
  if (e->code == g_sentinel.code && strcmp(e->message, g_sentinel_message) == 0)
    return;
  print_error("%s succeeded but changed cbc_error_last() to %d \"%s\"\n", expr, e->code,
              e->message);
  _fail(file, line);
}

/* A call that must succeed and leave the error alone. */
#define OK(expr)                                      \
  do {                                                \
    assert_cbc_ok(expr);                              \
    check_untouched(#expr, __FILE__, __LINE__);       \
  } while (0)
/* A call without a return code that must leave the error alone. */
#define QUIET(expr)                                   \
  do {                                                \
    expr;                                             \
    check_untouched(#expr, __FILE__, __LINE__);       \
  } while (0)
/* An iterator's next, to its end: CBC_ITEROVER leaves the error alone. */
#define DRAIN(next_call)                                   \
  do {                                                     \
    int rc_;                                               \
    while ((rc_ = (next_call)) == 0)                       \
      check_untouched(#next_call, __FILE__, __LINE__);     \
    assert_int_equal(rc_, CBC_ITEROVER);                   \
    check_untouched(#next_call " (end)", __FILE__, __LINE__); \
  } while (0)

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static int on_event(const cbc_hazard_event *ev, void *payload)
{
  (void)ev;
  ++*(int *)payload;
  return 0;
}

static int on_progress(const cbc_import_progress *p, void *payload)
{
  (void)p;
  (void)payload;
  return 0;
}

static cbc_hazard_record record(cbc_db *db, const char *reporter, cbc_severity sev)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, reporter);
  r.unit_id = U(db, "T1");
  r.title = "防护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = sev;
  return r;
}

static const cbc_rectification_plan plan = { "更换护栏", "停机更换", "5万元, 钢材",
                                             "设备科, 孙华", 0, "停机挂牌, 专人监护" };

static cbc_hazard_registration registration(cbc_severity sev, cbc_level level,
                                            const cbc_rectification_plan *p)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = sev;
  r.level = level;
  r.measures = "紧固护栏螺栓";
  r.funds_fen = 20000;
  r.deadline = now + 7 * DAY;
  r.contingency_plan = "设置警示带";
  r.plan = p;
  return r;
}

static void org_calls(cbc_db *db)
{
  int major, minor, patch;
  unsigned int roles;
  cbc_allocator al;
  QUIET(cbc_version(&major, &minor, &patch));
  QUIET(cbc_error_name(CBC_EINVAL));
  OK(cbc_allocator_init(&al, CBC_ALLOCATOR_VERSION));
  QUIET(cbc_db_now(db));
  QUIET(cbc_db_utc_offset(db));
  int version;
  OK(cbc_db_schema_version(&version, db));
  OK(cbc_roles_parse(&roles, "worker|team_leader"));
  QUIET(cbc_role_name(CBC_ROLE_WORKER));
  QUIET(cbc_unit_kind_name(CBC_UNIT_TEAM));
  cbc_unit_record ur;
  cbc_employee_record er;
  OK(cbc_unit_record_init(&ur, CBC_UNIT_RECORD_VERSION));
  OK(cbc_employee_record_init(&er, CBC_EMPLOYEE_RECORD_VERSION));
  /* a new unit and a new employee: the internal lookups miss, silently */
  ur.external_id = "T4";
  ur.parent_external_id = "W1";
  ur.kind = CBC_UNIT_TEAM;
  ur.name = "Shift C";
  int64_t t4, n1;
  OK(cbc_unit_upsert(&t4, db, &ur));
  OK(cbc_unit_upsert(&t4, db, &ur)); /* unchanged */
  er.external_id = "N1";
  er.name = "New Hire";
  er.unit_external_id = "T4";
  er.hire_date = now - DAY;
  OK(cbc_employee_upsert(&n1, db, &er));
  cbc_unit *u;
  cbc_employee *e;
  OK(cbc_unit_lookup(&u, db, t4));
  QUIET(cbc_unit_free(u));
  OK(cbc_unit_lookup_external(&u, db, "T4"));
  QUIET(cbc_unit_free(u));
  OK(cbc_employee_lookup(&e, db, n1));
  QUIET(cbc_employee_free(e));
  OK(cbc_employee_lookup_external(&e, db, "N1"));
  QUIET(cbc_employee_free(e));
  OK(cbc_unit_rename(db, t4, "Shift C (night)"));
  OK(cbc_unit_move(db, t4, U(db, "W2")));
  OK(cbc_employee_transfer(db, n1, U(db, "T1"), 0));
  OK(cbc_employee_deactivate(db, n1, 0));
  OK(cbc_unit_close(db, t4));
  cbc_unit_iter *ui;
  cbc_employee_iter *ei;
  const cbc_unit *cu;
  const cbc_employee *ce;
  OK(cbc_unit_iter_children(&ui, db, U(db, "E1")));
  DRAIN(cbc_unit_iter_next(&cu, ui));
  QUIET(cbc_unit_iter_free(ui));
  OK(cbc_unit_iter_subtree(&ui, db, U(db, "R1")));
  DRAIN(cbc_unit_iter_next(&cu, ui));
  QUIET(cbc_unit_iter_free(ui));
  OK(cbc_employee_iter_subtree(&ei, db, U(db, "R1"), CBC_EMPLOYEE_ITER_INACTIVE));
  DRAIN(cbc_employee_iter_next(&ce, ei));
  QUIET(cbc_employee_iter_free(ei));
  cbc_employee_event *ev;
  size_t n;
  OK(cbc_employee_history(&ev, &n, db, n1));
  QUIET(cbc_free(ev));
  int64_t who;
  OK(cbc_org_responsible(&who, db, U(db, "T1"), CBC_LEVEL_TEAM));
}

static void sync_calls(cbc_db *db)
{
  cbc_sync_options opts;
  OK(cbc_sync_options_init(&opts, CBC_SYNC_OPTIONS_VERSION));
  const cbc_unit_record units[] = {
    { 1, "T5", "W1", CBC_UNIT_TEAM, "Shift D", NULL, 0 },
    { 1, "T1", "W1", CBC_UNIT_TEAM, "Shift A", NULL, 0 },
  };
  const cbc_employee_record people[] = {
    { 1, "N2", "Second Hire", "roller", "T5", CBC_ROLE_WORKER, 1, 0 },
    { 1, "A1", "Wang Fang", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
  };
  cbc_sync_result *res;
  OK(cbc_org_sync(&res, db, units, 2, people, 2, &opts));
  assert_int_equal(res->error_count, 0);
  QUIET(cbc_sync_result_free(res));
  /* rejected rows are reported in the result: the call still succeeds */
  const cbc_employee_record stray[] = {
    { 1, "N4", "Stray", "roller", "NO-SUCH-TEAM", CBC_ROLE_WORKER, 1, 0 },
  };
  OK(cbc_org_sync(&res, db, NULL, 0, stray, 1, &opts));
  assert_int_equal(res->error_count, 1);
  QUIET(cbc_sync_result_free(res));
  char units_path[600], people_path[600];
  snprintf(units_path, sizeof(units_path), "%s", cbc_test_path("error_last_units.csv"));
  snprintf(people_path, sizeof(people_path), "%s", cbc_test_path("error_last_people.csv"));
  cbc_test_write_file(units_path, "external_id,name,kind,parent_external_id\n"
                                  "T6,Shift E,team,W1\n");
  cbc_test_write_file(people_path, "external_id,name,unit_external_id,roles\n"
                                   "N3,Third Hire,T6,worker\n"
                                   "N5,Bad Role,T6,boss\n");
  OK(cbc_org_import(&res, db, units_path, people_path, CBC_FORMAT_AUTO, &opts, on_progress,
                    NULL));
  assert_int_equal(res->error_count, 1);
  QUIET(cbc_sync_result_free(res));
  cbc_test_unlink(units_path);
  cbc_test_unlink(people_path);
}

/* Every move of the lifecycle, each on its success path. */
static void hazard_calls(cbc_db *db, int64_t *general_out)
{
  int events = 0;
  OK(cbc_hazard_set_event_hook(db, on_event, &events));
  cbc_hazard_record r = record(db, "A1", CBC_SEVERITY_GENERAL);
  int64_t general, dup, major, spot, anon;
  OK(cbc_hazard_report(&general, NULL, db, &r));
  OK(cbc_hazard_report(&dup, NULL, db, &r));
  OK(cbc_hazard_reject(db, dup, E(db, "L1"), NULL, general));
  cbc_hazard_registration g = registration(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM, NULL);
  OK(cbc_hazard_register(db, general, E(db, "L1"), &g));
  OK(cbc_hazard_request_extension(db, general, E(db, "L1"), g.deadline + 3 * DAY, "等备件"));
  OK(cbc_hazard_decide_extension(db, general, E(db, "S1"), 1, "同意"));
  OK(cbc_hazard_start(db, general, E(db, "L1")));
  OK(cbc_hazard_submit(db, general, E(db, "L1"), "done", NULL, 0));
  OK(cbc_hazard_verify(db, general, E(db, "S1"), 0, "螺栓仍松动", NULL, 0));
  OK(cbc_hazard_submit(db, general, E(db, "L1"), "重新紧固", NULL, 0));
  OK(cbc_hazard_verify(db, general, E(db, "S1"), 1, NULL, NULL, 0));
  OK(cbc_hazard_reopen(db, general, E(db, "C1"), "回头看发现复发"));
  OK(cbc_hazard_submit(db, general, E(db, "L1"), "再次紧固", NULL, 0));
  OK(cbc_hazard_verify(db, general, E(db, "S1"), 1, NULL, NULL, 0));
  r = record(db, "A2", CBC_SEVERITY_MAJOR);
  OK(cbc_hazard_report(&major, NULL, db, &r));
  cbc_rectification_plan p = plan;
  p.time_limit = now + 30 * DAY;
  cbc_hazard_registration m = registration(CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM, NULL);
  OK(cbc_hazard_register(db, major, E(db, "L1"), &m));
  OK(cbc_hazard_escalate(db, major, E(db, "L1"), "车间解决", E(db, "B1")));
  OK(cbc_hazard_escalate(db, major, E(db, "B1"), "需企业投入", 0));
  OK(cbc_hazard_file_plan(db, major, E(db, "S1"), &p));
  cbc_hazard_record s = record(db, "A1", CBC_SEVERITY_GENERAL);
  OK(cbc_hazard_fix_on_spot(&spot, db, &s, "已清理并撒吸油砂", NULL, 0));
  cbc_hazard_record t = record(db, "A1", CBC_SEVERITY_MAJOR);
  t.reporter_id = 0;
  t.source = CBC_SOURCE_HOTLINE;
  char *key = NULL;
  OK(cbc_hazard_report(&anon, &key, db, &t));
  cbc_hazard_registration a = registration(CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE, &p);
  OK(cbc_hazard_register(db, anon, E(db, "S1"), &a));
  OK(cbc_hazard_start(db, anon, E(db, "P1")));
  now += DAY;
  OK(cbc_hazard_list_supervision(db, anon, E(db, "I1"), "历下区应急管理局", "督〔2026〕1号", 0));
  OK(cbc_hazard_submit(db, anon, E(db, "P1"), "护栏已更换", NULL, 0));
  OK(cbc_hazard_verify(db, anon, E(db, "I1"), 1, NULL, NULL, 0));
  cbc_hazard_answer *ans;
  OK(cbc_hazard_answer_by_key(&ans, db, key));
  QUIET(cbc_hazard_answer_free(ans));
  OK(cbc_hazard_answer_for(&ans, db, general, E(db, "A1")));
  QUIET(cbc_hazard_answer_free(ans));
  cbc_hazard *h;
  OK(cbc_hazard_lookup(&h, db, general));
  QUIET(cbc_hazard_free(h));
  cbc_hazard_event *ev;
  size_t n;
  OK(cbc_hazard_history(&ev, &n, db, general));
  QUIET(cbc_hazard_events_free(ev, n));
  cbc_hazard_iter *it;
  const cbc_hazard *ch;
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  OK(cbc_hazard_iter_new(&it, db, &f));
  DRAIN(cbc_hazard_iter_next(&ch, it));
  QUIET(cbc_hazard_iter_free(it));
  /* overdue at TEAM level in T1, whose workshop has no director: the
   * sweep's escalation keeps the responsible person, silently */
  int64_t late;
  cbc_hazard_record lr = record(db, "A1", CBC_SEVERITY_GENERAL);
  OK(cbc_hazard_report(&late, NULL, db, &lr));
  OK(cbc_hazard_register(db, late, E(db, "L1"), &g));
  int64_t *ids;
  OK(cbc_hazard_sweep_overdue(&ids, &n, db, now + 60 * DAY, 0));
  QUIET(cbc_free(ids));
  OK(cbc_hazard_sweep_overdue(&ids, &n, db, now + 60 * DAY, CBC_SWEEP_ESCALATE));
  QUIET(cbc_free(ids));
  OK(cbc_hazard_lookup(&h, db, late));
  assert_int_equal(h->level, CBC_LEVEL_WORKSHOP);
  assert_int_equal(h->responsible_id, E(db, "L1"));
  QUIET(cbc_hazard_free(h));
  QUIET(cbc_hazard_state_name(CBC_HAZARD_CLOSED));
  QUIET(cbc_hazard_action_name(CBC_ACTION_REPORT));
  QUIET(cbc_level_name(CBC_LEVEL_TEAM));
  cbc_hazard_state to;
  OK(cbc_hazard_transition(&to, CBC_HAZARD_REPORTED, CBC_ACTION_REGISTER));
  char *dot;
  OK(cbc_hazard_fsm_dot(&dot));
  QUIET(cbc_free(dot));
  OK(cbc_hazard_set_event_hook(db, NULL, NULL));
  assert_true(events > 0);
  cbc_free(key);
  *general_out = general;
}

static void activity_calls(cbc_db *db)
{
  cbc_attendee att[] = { { E(db, "A1"), 1 }, { E(db, "A2"), 0 } };
  cbc_training_record tr;
  OK(cbc_training_record_init(&tr, CBC_TRAINING_RECORD_VERSION));
  tr.kind = CBC_TRAINING_ALL_STAFF;
  tr.unit_id = U(db, "T1");
  tr.held_at = now - DAY;
  tr.minutes = 90;
  tr.title = "岗位安全操作规程";
  tr.attendees = att;
  tr.n_attendees = 2;
  int64_t id;
  OK(cbc_training_add(&id, db, &tr));
  cbc_training *t;
  OK(cbc_training_lookup(&t, db, id));
  QUIET(cbc_training_free(t));
  QUIET(cbc_training_kind_name(CBC_TRAINING_ALL_STAFF));
  int64_t teams[] = { U(db, "T1") };
  cbc_drill_record dr;
  OK(cbc_drill_record_init(&dr, CBC_DRILL_RECORD_VERSION));
  dr.unit_id = U(db, "W1");
  dr.held_at = now - DAY;
  dr.scenario = "轧机火灾疏散";
  dr.team_ids = teams;
  dr.n_teams = 1;
  OK(cbc_drill_add(&id, db, &dr));
  cbc_drill *d;
  OK(cbc_drill_lookup(&d, db, id));
  QUIET(cbc_drill_free(d));
  int64_t assignment;
  OK(cbc_cadre_assign(&assignment, db, E(db, "C1"), U(db, "E1"), now - 10 * DAY, 0));
  cbc_visit_record v;
  OK(cbc_visit_record_init(&v, CBC_VISIT_RECORD_VERSION));
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, "E1");
  v.visited_at = now - DAY;
  v.findings = "消防通道堆放杂物";
  OK(cbc_visit_add(&id, db, &v));
  OK(cbc_cadre_release(db, assignment, now));
  cbc_proposal_record pr;
  OK(cbc_proposal_record_init(&pr, CBC_PROPOSAL_RECORD_VERSION));
  pr.proposer_id = E(db, "A1");
  pr.title = "轧辊加装防护罩";
  pr.text = "在二号轧机入口加装可拆卸防护罩";
  OK(cbc_proposal_submit(&id, db, &pr));
  OK(cbc_proposal_decide(db, id, E(db, "P1"), 1, "下月实施"));
  cbc_proposal *p;
  OK(cbc_proposal_lookup(&p, db, id));
  QUIET(cbc_proposal_free(p));
  int took;
  OK(cbc_employee_took_part(&took, db, E(db, "A1"), now - 30 * DAY, now + 1));
  int64_t *untrained;
  size_t n;
  OK(cbc_compliance_untrained(&untrained, &n, db, U(db, "E1"), 2023));
  QUIET(cbc_free(untrained));
  cbc_training_need *needs;
  OK(cbc_compliance_training_needs(&needs, &n, db, U(db, "E1"), 0));
  QUIET(cbc_free(needs));
  cbc_drill_gap *gaps;
  OK(cbc_compliance_drills(&gaps, &n, db, U(db, "E1"), 2023));
  QUIET(cbc_free(gaps));
}

static void stats_calls(cbc_db *db)
{
  cbc_period month = { CBC_PERIOD_MONTH, 2023, 11, 0, 0 };
  int64_t from, to;
  OK(cbc_period_bounds(&from, &to, db, &month));
  cbc_stats_form *f;
  OK(cbc_stats_form_get(&f, db, U(db, "E1"), &month, 0));
  char *text;
  for (int fmt = CBC_STATS_TEXT; fmt <= CBC_STATS_CSV; fmt++) {
    OK(cbc_stats_form_render(&text, db, f, (cbc_stats_format)fmt));
    QUIET(cbc_free(text));
  }
  QUIET(cbc_stats_form_free(f));
  OK(cbc_stats_form_get(&f, db, U(db, "T1"), &month, CBC_STATS_FROM_RECORDS));
  QUIET(cbc_stats_form_free(f));
  cbc_stats_forms *forms;
  OK(cbc_stats_series(&forms, db, U(db, "E1"), 2023, 10, 3));
  QUIET(cbc_stats_forms_free(forms));
  OK(cbc_stats_children(&forms, db, U(db, "R1"), &month, 0));
  QUIET(cbc_stats_forms_free(forms));
  cbc_stats_breakdown *b;
  OK(cbc_stats_breakdown_get(&b, db, U(db, "R1"), &month));
  OK(cbc_stats_breakdown_render(&text, db, b, CBC_STATS_JSON));
  QUIET(cbc_free(text));
  OK(cbc_stats_breakdown_render(&text, db, b, CBC_STATS_CSV));
  QUIET(cbc_free(text));
  QUIET(cbc_stats_breakdown_free(b));
  OK(cbc_stats_rebuild(db));
}

static void reward_calls(cbc_db *db, int64_t general)
{
  char *doc;
  OK(cbc_policy_defaults(&doc));
  QUIET(cbc_free(doc));
  int64_t version;
  OK(cbc_policy_set(&version, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 2000}}}",
                    E(db, "C1")));
  OK(cbc_policy_get(&doc, &version, db, 0));
  QUIET(cbc_free(doc));
  QUIET(cbc_reward_rule_name(CBC_RULE_GENERAL_HAZARD));
  cbc_period month = { CBC_PERIOD_MONTH, 2023, 11, 0, 0 };
  cbc_reward_decisions *ds;
  OK(cbc_reward_evaluate(&ds, db, U(db, "E1"), &month, CBC_EVALUATE_DRY_RUN));
  QUIET(cbc_reward_decisions_free(ds));
  OK(cbc_reward_evaluate(&ds, db, U(db, "E1"), &month, 0));
  QUIET(cbc_reward_decisions_free(ds));
  OK(cbc_reward_explain_hazard(&ds, db, general));
  QUIET(cbc_reward_decisions_free(ds));
  cbc_awards *awards;
  OK(cbc_award_list(&awards, db, 0, 0, 0, 0, 0));
  for (size_t i = 0; i < awards->count; i++) {
    const cbc_award *a = awards->items[i];
    if (a->state != CBC_AWARD_PROPOSED || a->subject_kind != CBC_SUBJECT_EMPLOYEE)
      continue;
    OK(cbc_award_approve(db, a->id, E(db, "C1")));
    if (a->amount_fen)
      OK(cbc_award_pay(db, a->id, E(db, "C1"), "凭证1", NULL));
    cbc_award *one;
    OK(cbc_award_lookup(&one, db, a->id));
    QUIET(cbc_award_free(one));
  }
  QUIET(cbc_awards_free(awards));
  cbc_fine_record fr;
  OK(cbc_fine_record_init(&fr, CBC_FINE_RECORD_VERSION));
  fr.employee_id = E(db, "B1");
  fr.amount_fen = 5000;
  fr.reason = "未佩戴安全帽";
  fr.violation = "违章作业";
  int64_t fine;
  OK(cbc_fine_issue(&fine, db, &fr, E(db, "P1")));
  cbc_reward_summary *sum;
  OK(cbc_reward_summary_get(&sum, db, U(db, "E1"), &month));
  QUIET(cbc_reward_summary_free(sum));
}

static void group_calls(cbc_db *db)
{
  OK(cbc_db_begin(db));
  QUIET(cbc_db_in_group(db));
  cbc_unit_record ur = { 1, "T7", "W1", CBC_UNIT_TEAM, "Shift F", NULL, 0 };
  OK(cbc_unit_upsert(NULL, db, &ur));
  OK(cbc_db_commit(db));
  OK(cbc_db_begin(db));
  OK(cbc_unit_rename(db, U(db, "T7"), "Shift G"));
  OK(cbc_db_rollback(db));
}

static void test_success_leaves_error_alone(void **state)
{
  (void)state;
  now = cbc_test_date(2023, 11, 10);
  const char *path = cbc_test_path("error_last.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  set_sentinel(db);
  int64_t general;
  org_calls(db);
  sync_calls(db);
  hazard_calls(db, &general);
  activity_calls(db);
  stats_calls(db);
  reward_calls(db, general);
  group_calls(db);
  QUIET(cbc_db_close(db));
  cbc_db_options opts;
  OK(cbc_db_options_init(&opts, CBC_DB_OPTIONS_VERSION));
  opts.clock = cbc_test_clock;
  opts.clock_payload = &now;
  OK(cbc_db_open(&db, path, &opts)); /* an existing file */
  QUIET(cbc_db_close(db));
  cbc_test_unlink(path);
  print_message("cbc_error_last() untouched by %zu successful calls\n", g_calls);
  assert_true(g_calls > 150);
}

/* cbc_error_clear() is the one call meant to change it. */
static void test_clear(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  set_sentinel(db);
  cbc_error_clear();
  assert_int_equal(cbc_error_last()->code, 0);
  assert_string_equal(cbc_error_last()->message, "no error");
  cbc_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_success_leaves_error_alone),
    cmocka_unit_test(test_clear),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
