/* quickstart: build a demo 查保促 database from an embedded HR export, print
 * the organisation it mirrors, walk a few hazards through their lifecycle
 * and print the ledger, record a month's campaign activities and print the
 * district's monthly form.
 *
 *   quickstart [DATABASE]      (default: an in-memory database)
 *
 * Uses only the public API (<cbc.h>). */
#include <cbc.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The demo "HR export": a district union with two enterprises. */
static const cbc_unit_record demo_units[] = {
  { 1, "JN", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0 },
  { 1, "JN-LX", "JN", CBC_UNIT_REGION, "历下区总工会", NULL, 0 },
  { 1, "ENT-STEEL", "JN-LX", CBC_UNIT_ENTERPRISE, "济钢集团第二轧钢厂", "冶金", 1 },
  { 1, "WS-ROLL", "ENT-STEEL", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "WS-SAFE", "ENT-STEEL", CBC_UNIT_WORKSHOP, "安全环保科", NULL, 0 },
  { 1, "TM-A", "WS-ROLL", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "TM-B", "WS-ROLL", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "TM-OFF", "WS-SAFE", CBC_UNIT_TEAM, "科室组", NULL, 0 },
  { 1, "ENT-HOSP", "JN-LX", CBC_UNIT_ENTERPRISE, "历下区人民医院", "医疗卫生", 0 },
  { 1, "WS-LOG", "ENT-HOSP", CBC_UNIT_WORKSHOP, "后勤保障科", NULL, 0 },
  { 1, "TM-BOIL", "WS-LOG", CBC_UNIT_TEAM, "锅炉班", NULL, 0 },
};

static const cbc_employee_record demo_employees[] = {
  { 1, "E1001", "李强", "甲班班长", "TM-A", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1002", "王芳", "轧机操作工", "TM-A", CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP, 1, 0 },
  { 1, "E1003", "张伟", "天车工", "TM-A", CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1004", "刘洋", "乙班班长", "TM-B", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1005", "陈静", "轧机操作工", "TM-B", CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1009", "马超", "轧钢车间主任", "TM-A", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "E1006", "赵敏", "车间主任", "TM-OFF", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "E1007", "孙华", "厂长", "TM-OFF", CBC_ROLE_PRINCIPAL, 1, 0 },
  { 1, "E1008", "周强", "安全员", "TM-OFF", CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "H2001", "吴刚", "锅炉班班长", "TM-BOIL", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "H2002", "郑丽", "司炉工", "TM-BOIL", CBC_ROLE_WORKER, 1, 0 },
  { 1, "H2003", "冯军", "院长", "TM-BOIL", CBC_ROLE_PRINCIPAL, 1, 0 },
  { 1, "H2004", "褚红", "后勤保障科科长", "TM-BOIL", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "U3001", "何静", "工会干部", "JN-LX", CBC_ROLE_UNION_CADRE, 1, 0 },
  { 1, "B4001", "高峰", "应急管理局监察员", "JN-LX", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int fail(const char *what)
{
  const cbc_error *e = cbc_error_last();
  fprintf(stderr, "quickstart: %s: %s (%s)\n", what, e->message, cbc_error_name(e->code));
  return 1;
}

static int sync_demo(cbc_db *db)
{
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.mode = CBC_SYNC_FULL;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  if (cbc_org_sync(&res, db, demo_units, COUNT(demo_units), demo_employees,
                   COUNT(demo_employees), &opts) != 0) {
    cbc_sync_result_free(res);
    return fail("HR sync");
  }
  printf("HR sync: units +%zu ~%zu =%zu, employees +%zu ~%zu =%zu\n\n", res->units.added,
         res->units.updated, res->units.unchanged, res->employees.added,
         res->employees.updated, res->employees.unchanged);
  cbc_sync_result_free(res);
  return 0;
}

static void print_roles(unsigned int roles)
{
  const char *sep = "";
  for (unsigned int bit = 1; bit & CBC_ROLE_ALL; bit <<= 1) {
    if (roles & bit) {
      printf("%s%s", sep, cbc_role_name(bit));
      sep = ",";
    }
  }
}

/* The people sitting directly in a team (or region node). */
static int print_members(cbc_db *db, const cbc_unit *unit, int depth)
{
  cbc_employee_iter *it;
  const cbc_employee *e;
  int rc;
  if (cbc_employee_iter_subtree(&it, db, unit->id, 0) != 0)
    return fail("listing employees");
  while ((rc = cbc_employee_iter_next(&e, it)) == 0) {
    if (e->unit_id != unit->id)
      continue;
    printf("%*s- %s %s (%s) [", depth * 2 + 2, "", e->external_id, e->name, e->post);
    print_roles(e->roles);
    printf("]\n");
  }
  cbc_employee_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : fail("listing employees");
}

static void print_responsible(cbc_db *db, const cbc_unit *unit)
{
  cbc_level level = unit->kind == CBC_UNIT_TEAM       ? CBC_LEVEL_TEAM
                    : unit->kind == CBC_UNIT_WORKSHOP ? CBC_LEVEL_WORKSHOP
                                                      : CBC_LEVEL_ENTERPRISE;
  int64_t who;
  cbc_employee *e = NULL;
  if (unit->kind == CBC_UNIT_REGION)
    return;
  if (cbc_org_responsible(&who, db, unit->id, level) == 0 &&
      cbc_employee_lookup(&e, db, who) == 0)
    printf("  responsible: %s", e->name);
  else
    printf("  responsible: (none)");
  cbc_employee_free(e);
}

/* Print the tree below @p id, children by id. */
static int print_tree(cbc_db *db, int64_t id, int depth)
{
  cbc_unit_iter *it;
  const cbc_unit *u;
  int rc;
  if (cbc_unit_iter_children(&it, db, id) != 0)
    return fail("listing units");
  while ((rc = cbc_unit_iter_next(&u, it)) == 0) {
    cbc_unit *copy = NULL;
    if (cbc_unit_lookup(&copy, db, u->id) != 0)
      break;
    printf("%*s%s %s [%s]%s", depth * 2, "", copy->external_id, copy->name,
           cbc_unit_kind_name(copy->kind), copy->high_risk ? " 高危" : "");
    print_responsible(db, copy);
    printf("\n");
    rc = print_members(db, copy, depth);
    if (!rc)
      rc = print_tree(db, copy->id, depth + 1);
    cbc_unit_free(copy);
    if (rc)
      break;
  }
  cbc_unit_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* ------------------------------------------------------------ hazards */

static int64_t person(cbc_db *db, const char *external_id)
{
  cbc_employee *e = NULL;
  int64_t id = cbc_employee_lookup_external(&e, db, external_id) == 0 ? e->id : 0;
  cbc_employee_free(e);
  return id;
}

static int64_t place(cbc_db *db, const char *external_id)
{
  cbc_unit *u = NULL;
  int64_t id = cbc_unit_lookup_external(&u, db, external_id) == 0 ? u->id : 0;
  cbc_unit_free(u);
  return id;
}

/* The host's notifications (SMS, mail...) would go here. */
static int notify(const cbc_hazard_event *ev, void *payload)
{
  (void)payload;
  printf("  [notify] hazard %" PRId64 ": %s -> %s\n", ev->hazard_id,
         cbc_hazard_action_name(ev->action), cbc_hazard_state_name(ev->to_state));
  return 0;
}

static cbc_hazard_record hazard(cbc_db *db, const char *reporter, const char *unit,
                                const char *title, cbc_hazard_source source, cbc_severity sev)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter ? person(db, reporter) : 0;
  r.unit_id = place(db, unit);
  r.title = title;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = source;
  r.proposed_severity = sev;
  return r;
}

static int walk_hazards(cbc_db *db, char **key, int64_t *major_id)
{
  const int64_t week = 7 * 86400, now = cbc_db_now(db);
  static const cbc_rectification_plan plan = {
    "更换2号轧机主传动防护", "停机更换, 加装联锁", "资金8万元, 钢材2吨", "设备科; 孙华",
    0, "停机挂牌, 专人监护, 应急预案演练"
  };
  cbc_rectification_plan p = plan;
  p.time_limit = now + 4 * week;
  cbc_hazard_registration team = CBC_HAZARD_REGISTRATION_INIT, major = team;
  team.severity = CBC_SEVERITY_GENERAL, team.level = CBC_LEVEL_TEAM;
  team.measures = "紧固护栏", team.funds_fen = 5000, team.deadline = now + week;
  team.contingency_plan = "设置警示带";
  major = team;
  major.severity = CBC_SEVERITY_MAJOR, major.level = CBC_LEVEL_ENTERPRISE;
  major.measures = "更换防护装置", major.funds_fen = 8000000, major.plan = &p;
  cbc_hazard_record a = hazard(db, "E1002", "TM-A", "护栏松动", CBC_SOURCE_SNAPSHOT,
                               CBC_SEVERITY_GENERAL);
  cbc_hazard_record b = hazard(db, "E1003", "WS-ROLL", "主传动防护缺失", CBC_SOURCE_SELF_CHECK,
                               CBC_SEVERITY_MAJOR);
  cbc_hazard_record c = hazard(db, "E1005", "TM-B", "地面油污", CBC_SOURCE_SELF_CHECK,
                               CBC_SEVERITY_GENERAL);
  cbc_hazard_record d = hazard(db, NULL, "TM-A", "护栏松动(匿名举报)", CBC_SOURCE_HOTLINE,
                               CBC_SEVERITY_GENERAL);
  int64_t ha = 0, hb = 0, hc = 0, hd = 0; /* clang: set only on the success path */
  int rc = cbc_hazard_report(&ha, NULL, db, &a);
  rc = rc ? rc : cbc_hazard_register(db, ha, person(db, "E1001"), &team);
  rc = rc ? rc : cbc_hazard_start(db, ha, person(db, "E1001"));
  rc = rc ? rc : cbc_hazard_submit(db, ha, person(db, "E1001"), "已紧固", NULL, 0);
  rc = rc ? rc : cbc_hazard_verify(db, ha, person(db, "E1008"), 1, "验收合格", NULL, 0);
  rc = rc ? rc : cbc_hazard_report(&hb, NULL, db, &b);
  rc = rc ? rc : cbc_hazard_register(db, hb, person(db, "E1008"), &major);
  rc = rc ? rc : cbc_hazard_list_supervision(db, hb, person(db, "B4001"), "历下区应急管理局",
                                             "历应急督〔2026〕7号", 0);
  rc = rc ? rc : cbc_hazard_start(db, hb, person(db, "E1007"));
  rc = rc ? rc : cbc_hazard_fix_on_spot(&hc, db, &c, "已清理并撒吸油砂", NULL, 0);
  rc = rc ? rc : cbc_hazard_report(&hd, key, db, &d);
  rc = rc ? rc : cbc_hazard_reject(db, hd, person(db, "E1001"), "已由职工报告", ha);
  *major_id = hb;
  return rc ? fail("walking the hazards") : 0;
}

static const char *name_of(cbc_db *db, int64_t id)
{
  static char buf[64];
  cbc_employee *e = NULL;
  snprintf(buf, sizeof(buf), "%s", id && cbc_employee_lookup(&e, db, id) == 0 ? e->name : "-");
  cbc_employee_free(e);
  return buf;
}

static int print_ledger(cbc_db *db)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  int rc;
  printf("\nLedger (台账):\n  %-3s %-22s %-8s %-10s %-8s %s\n", "id", "state", "severity",
         "level", "listed", "responsible / title");
  if (cbc_hazard_iter_new(&it, db, NULL) != 0)
    return fail("listing hazards");
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    printf("  %-3" PRId64 " %-22s %-8s %-10s %-8s %s / %s\n", h->id,
           cbc_hazard_state_name(h->state),
           h->severity == CBC_SEVERITY_MAJOR ? "重大" : h->severity ? "一般" : "-",
           h->level ? cbc_level_name(h->level) : "-", h->listed ? "挂牌" : "",
           name_of(db, h->responsible_id), h->title);
  }
  cbc_hazard_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : fail("listing hazards");
}

static void print_answer(cbc_db *db, const char *key)
{
  cbc_hazard_answer *a = NULL;
  if (key && cbc_hazard_answer_by_key(&a, db, key) == 0)
    printf("\nThe anonymous tip-off hears (件件有回声): %s — %s\n",
           cbc_hazard_state_name(a->state), a->answer);
  cbc_hazard_answer_free(a);
}

/* This month's activities at the steelworks: a training session, a drill,
 * a cadre's assignment and visit. */
static int record_activities(cbc_db *db)
{
  int64_t earlier = cbc_db_now(db) - 60, team_a = place(db, "TM-A"), team_b = place(db, "TM-B");
  cbc_attendee attendees[] = { { person(db, "E1001"), 1 }, { person(db, "E1002"), 1 },
                               { person(db, "E1003"), 0 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = team_a;
  t.held_at = earlier;
  t.minutes = 120;
  t.title = "轧机安全操作规程";
  t.attendees = attendees;
  t.n_attendees = 3;
  if (cbc_training_add(NULL, db, &t) != 0)
    return fail("recording a training session");
  int64_t teams[] = { team_a, team_b };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = place(db, "WS-ROLL");
  d.held_at = earlier;
  d.scenario = "轧机火灾疏散";
  d.team_ids = teams;
  d.n_teams = 2;
  if (cbc_drill_add(NULL, db, &d) != 0)
    return fail("recording a drill");
  int64_t cadre = person(db, "U3001"), steel = place(db, "ENT-STEEL");
  if (cbc_cadre_assign(NULL, db, cadre, steel, earlier, 0) != 0)
    return fail("assigning a cadre");
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = cadre;
  v.unit_id = steel;
  v.visited_at = earlier;
  v.findings = "消防通道畅通；轧机护栏已加固";
  return cbc_visit_add(NULL, db, &v) != 0 ? fail("recording a visit") : 0;
}

/* The current month in the database's UTC offset. */
static cbc_period this_month(cbc_db *db)
{
  time_t local = (time_t)(cbc_db_now(db) + cbc_db_utc_offset(db));
  const struct tm *tm = gmtime(&local);
  cbc_period month = { CBC_PERIOD_MONTH, tm->tm_year + 1900, tm->tm_mon + 1, 0, 0 };
  return month;
}

/* This month's official form for the district union, as on paper. */
static int print_form(cbc_db *db)
{
  cbc_period month = this_month(db);
  cbc_stats_form *form = NULL;
  char *text = NULL;
  if (cbc_stats_form_get(&form, db, place(db, "JN-LX"), &month, 0) != 0 ||
      cbc_stats_form_render(&text, db, form, CBC_STATS_TEXT) != 0) {
    cbc_stats_form_free(form);
    return fail("the monthly form");
  }
  printf("\n%s", text);
  cbc_free(text);
  cbc_stats_form_free(form);
  return 0;
}

/* The major hazard is rectified and verified (its finder's award is made
 * then), a proposal is adopted, and a fine issued; then the month is
 * evaluated and every decision printed with its reasons. */
static int reward_month(cbc_db *db, int64_t major_id)
{
  int64_t principal = person(db, "E1007"), officer = person(db, "E1008");
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = person(db, "E1005");
  p.title = "我为安全生产献一计";
  p.text = "轧机入口加装光电保护";
  int64_t proposal;
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = person(db, "E1004");
  f.amount_fen = 20000;
  f.reason = "班前未检查护栏";
  f.violation = "违章指挥 (三违)";
  if (cbc_hazard_submit(db, major_id, principal, "已更换防护装置", NULL, 0) != 0 ||
      cbc_hazard_verify(db, major_id, person(db, "B4001"), 1, "验收合格", NULL, 0) != 0)
    return fail("closing the major hazard");
  if (cbc_proposal_submit(&proposal, db, &p) != 0 ||
      cbc_proposal_decide(db, proposal, principal, 1, "采纳") != 0)
    return fail("adopting a proposal");
  if (cbc_fine_issue(NULL, db, &f, officer) != 0)
    return fail("issuing a fine");
  return 0;
}

static const char *subject_name(cbc_db *db, const cbc_reward_decision *d)
{
  static char buf[160];
  cbc_unit *u = NULL;
  if (d->subject_kind == CBC_SUBJECT_EMPLOYEE)
    return name_of(db, d->subject_id);
  if (d->subject_kind == CBC_SUBJECT_ANONYMOUS)
    return "匿名举报人";
  snprintf(buf, sizeof(buf), "%s", cbc_unit_lookup(&u, db, d->subject_id) == 0 ? u->name : "-");
  cbc_unit_free(u);
  return buf;
}

static int print_rewards(cbc_db *db, const cbc_period *month)
{
  cbc_reward_decisions *ds = NULL;
  cbc_reward_summary *s = NULL;
  if (cbc_reward_evaluate(&ds, db, place(db, "JN-LX"), month, 0) != 0)
    return fail("evaluating the rewards");
  printf("\nRewards for the month (policy version %" PRId64 "):\n", ds->policy_version);
  for (size_t i = 0; i < ds->count; i++) {
    const cbc_reward_decision *d = &ds->decisions[i];
    printf("  %-16s %-10s %-13s", cbc_reward_rule_name(d->rule), subject_name(db, d),
           d->eligible ? "eligible" : "not eligible");
    if (d->amount_fen)
      printf(" %" PRId64 ".%02d yuan", d->amount_fen / 100, (int)(d->amount_fen % 100));
    printf("\n      %s\n", d->reasons);
  }
  cbc_reward_decisions_free(ds);
  if (cbc_reward_summary_get(&s, db, place(db, "JN-LX"), month) != 0)
    return fail("the reward summary");
  printf("  awards proposed %" PRId64 " (%" PRId64 " fen), fines %" PRId64 " (%" PRId64
         " fen)\n", s->awards[0], s->awarded_fen, s->fines, s->fined_fen);
  cbc_reward_summary_free(s);
  return 0;
}

static const char usage[] =
  "usage: quickstart [NEW-DATABASE]\n"
  "Walks a small campaign through the C API, in memory or in a new database\n"
  "file (an existing file is refused: the walk-through starts from nothing).\n"
  "The command-line front end is `cbc` (cbc --help).\n";

int main(int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : ":memory:";
  cbc_db *db;
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    int help = argc == 2 && strcmp(argv[1], "--help") == 0;
    fputs(usage, help ? stdout : stderr);
    return help ? 0 : 2;
  }
  FILE *existing = argc == 2 ? fopen(path, "rb") : NULL;
  if (existing) {
    fclose(existing);
    fprintf(stderr, "quickstart: %s exists; give a new file name\n", path);
    return 2;
  }
  printf("libcbc %s — 查身边隐患、保职工安全、促企业发展\ndatabase: %s\n\n",
         cbc_version(NULL, NULL, NULL), path);
  if (cbc_db_open(&db, path, NULL) != 0)
    return fail("opening the database");
  int rc = sync_demo(db);
  if (!rc) {
    printf("Organisation:\n");
    rc = print_tree(db, 0, 1);
  }
  char *key = NULL;
  int64_t major_id = 0;
  if (!rc) {
    printf("\nHazards:\n");
    cbc_hazard_set_event_hook(db, notify, NULL);
    rc = walk_hazards(db, &key, &major_id);
  }
  if (!rc)
    rc = print_ledger(db);
  if (!rc)
    print_answer(db, key);
  if (!rc)
    rc = record_activities(db);
  if (!rc)
    rc = print_form(db);
  if (!rc)
    rc = reward_month(db, major_id);
  if (!rc) {
    cbc_period month = this_month(db);
    rc = print_rewards(db, &month);
  }
  cbc_free(key);
  cbc_db_close(db);
  return rc ? 1 : 0;
}
