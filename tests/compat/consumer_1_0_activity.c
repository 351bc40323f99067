/* The 1.0 consumer: the campaign's activities, compliance, and the
 * statistics (the form, its renderings, series, children, breakdowns). */
#include "consumer_1_0.h"

#include <string.h>

static void add_trainings(c10 *s)
{
  cbc_attendee all[] = { { c10_person(s, "C10-L1"), 1 }, { c10_person(s, "C10-A1"), 1 },
                         { c10_person(s, "C10-A2"), 0 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = c10_unit(s, "C10-WS1");
  t.held_at = s->now - 3600;
  t.minutes = 90;
  t.title = "轧机安全操作规程";
  t.attendees = all;
  t.n_attendees = COUNT(all);
  int64_t id = 0;
  OK(cbc_training_add(&id, s->db, &t));
  cbc_training *got = NULL;
  OK(cbc_training_lookup(&got, s->db, id));
  CHECK(got->kind == CBC_TRAINING_ALL_STAFF && got->n_attendees == 3 && got->minutes == 90);
  CHECK(got->held_at == t.held_at && strcmp(got->title, t.title) == 0 && got->recorded_at == s->now);
  for (size_t i = 1; i < got->n_attendees; i++)
    CHECK(got->attendees[i].employee_id > got->attendees[i - 1].employee_id);
  cbc_training_free(got);
  all[1] = all[0];
  ERR(cbc_training_add(NULL, s->db, &t), CBC_EINVAL); /* an attendee twice */
  cbc_attendee leaders[] = { { c10_person(s, "C10-P1"), 1 }, { c10_person(s, "C10-D1"), 1 },
                             { c10_person(s, "C10-L1"), 1 } };
  t.kind = CBC_TRAINING_LEADER_CLASS;
  t.unit_id = c10_unit(s, "C10-ENT");
  t.title = "单位负责人培训班";
  t.attendees = leaders;
  t.n_attendees = COUNT(leaders);
  OK(cbc_training_add(NULL, s->db, &t));
  leaders[2].employee_id = c10_person(s, "C10-A1");
  ERR(cbc_training_add(NULL, s->db, &t), CBC_EINVAL); /* heads no unit */
  ERR(cbc_training_lookup(&got, s->db, 987654321), CBC_ENOTFOUND);
}

static void add_drill(c10 *s)
{
  int64_t teams[] = { c10_unit(s, "C10-TB"), c10_unit(s, "C10-TA") };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = c10_unit(s, "C10-WS1");
  d.held_at = s->now - 1800;
  d.scenario = "轧机火灾疏散";
  d.team_ids = teams;
  d.n_teams = 2;
  int64_t id = 0;
  OK(cbc_drill_add(&id, s->db, &d));
  cbc_drill *got = NULL;
  OK(cbc_drill_lookup(&got, s->db, id));
  CHECK(got->n_teams == 2 && got->team_ids[0] == teams[1] && got->team_ids[1] == teams[0]);
  CHECK(got->unit_id == d.unit_id && strcmp(got->scenario, d.scenario) == 0);
  cbc_drill_free(got);
  teams[1] = teams[0];
  ERR(cbc_drill_add(NULL, s->db, &d), CBC_EINVAL);
  d.unit_id = teams[0];
  d.n_teams = 1;
  ERR(cbc_drill_add(NULL, s->db, &d), CBC_EINVAL); /* a team holds no drill */
}

static void add_supervision(c10 *s)
{
  int64_t u1 = c10_person(s, "C10-U1"), ent = c10_unit(s, "C10-ENT"), id = 0;
  OK(cbc_cadre_assign(&id, s->db, u1, ent, s->now - 10 * C10_DAY, 0));
  ERR(cbc_cadre_assign(NULL, s->db, u1, ent, s->now - 5 * C10_DAY, 0), CBC_ECONFLICT);
  ERR(cbc_cadre_assign(NULL, s->db, c10_person(s, "C10-A1"), ent, s->now, 0), CBC_EINVAL);
  OK(cbc_cadre_release(s->db, id, s->now - 3600));
  ERR(cbc_cadre_release(s->db, id, s->now), CBC_ESTATE);
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = u1;
  v.unit_id = ent;
  v.visited_at = s->now - 600;
  v.findings = "消防通道畅通；轧机护栏已加固";
  OK(cbc_visit_add(&id, s->db, &v));
  CHECK(id > 0);
  v.cadre_id = c10_person(s, "C10-A1");
  ERR(cbc_visit_add(NULL, s->db, &v), CBC_EINVAL);
}

static void add_proposals(c10 *s)
{
  int64_t p1 = c10_person(s, "C10-P1"), b1 = c10_person(s, "C10-B1"), id = 0, other = 0;
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = b1;
  p.title = "我为安全生产献一计";
  p.text = "轧机入口加装光电保护";
  OK(cbc_proposal_submit(&id, s->db, &p));
  p.proposer_id = c10_person(s, "C10-A1");
  OK(cbc_proposal_submit(&other, s->db, &p));
  ERR(cbc_proposal_decide(s->db, other, c10_person(s, "C10-A2"), 1, NULL), CBC_EPERM);
  OK(cbc_proposal_decide(s->db, id, p1, 1, "采纳"));
  ERR(cbc_proposal_decide(s->db, id, p1, 0, NULL), CBC_ESTATE);
  OK(cbc_proposal_decide(s->db, other, c10_person(s, "C10-D1"), 0, NULL));
  cbc_proposal *got = NULL;
  OK(cbc_proposal_lookup(&got, s->db, id));
  CHECK(got->status == CBC_PROPOSAL_ADOPTED && got->decided_by == p1 && got->proposer_id == b1);
  CHECK(got->unit_id == c10_unit(s, "C10-TB") && strcmp(got->note, "采纳") == 0);
  cbc_proposal_free(got);
  OK(cbc_proposal_lookup(&got, s->db, other));
  CHECK(got->status == CBC_PROPOSAL_NOT_ADOPTED && strcmp(got->note, "") == 0);
  cbc_proposal_free(got);
}

static int holds(const int64_t *ids, size_t n, int64_t id)
{
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id)
      return 1;
  return 0;
}

static void check_compliance(c10 *s)
{
  int took = -1, ent_row = 0, quiet_team = 0;
  OK(cbc_employee_took_part(&took, s->db, c10_person(s, "C10-A1"), C10_NOV_FROM, C10_NOV_TO));
  CHECK(took == 1);
  OK(cbc_employee_took_part(&took, s->db, c10_person(s, "C10-D2"), C10_NOV_FROM, C10_NOV_TO));
  CHECK(took == 0);
  ERR(cbc_employee_took_part(&took, s->db, c10_person(s, "C10-D2"), C10_NOV_TO, C10_NOV_FROM),
      CBC_EINVAL);
  int64_t *ids = NULL, ent = c10_unit(s, "C10-ENT");
  size_t n = 0;
  OK(cbc_compliance_untrained(&ids, &n, s->db, ent, 2026));
  CHECK(holds(ids, n, c10_person(s, "C10-A2")) && !holds(ids, n, c10_person(s, "C10-A1")));
  cbc_free(ids);
  ERR(cbc_compliance_untrained(&ids, &n, s->db, ent, 1969), CBC_EINVAL);
  cbc_training_need *needs = NULL;
  OK(cbc_compliance_training_needs(&needs, &n, s->db, ent, 0));
  int64_t n1 = c10_person(s, "C10-N1");
  size_t induction = 0;
  for (size_t i = 0; i < n; i++)
    induction += needs[i].employee_id == n1 && needs[i].reason == CBC_NEED_INDUCTION &&
                 needs[i].missing != 0;
  cbc_free(needs);
  CHECK(induction == 1);
  cbc_drill_gap *gaps = NULL;
  OK(cbc_compliance_drills(&gaps, &n, s->db, ent, 2026));
  for (size_t i = 0; i < n; i++) {
    ent_row += gaps[i].enterprise_id == ent && gaps[i].team_id == 0 && gaps[i].drills == 1;
    quiet_team += gaps[i].team_id == c10_unit(s, "C10-TO") && gaps[i].drills == 0;
  }
  cbc_free(gaps);
  CHECK(ent_row == 1 && quiet_team == 1);
}

void c10_exercise_activities(c10 *s)
{
  add_trainings(s);
  add_drill(s);
  add_supervision(s);
  add_proposals(s);
  check_compliance(s);
}

/* ---- statistics ---- */

static int same_figures(const cbc_stats_form *a, const cbc_stats_form *b)
{
  return a->from == b->from && a->to == b->to && a->units_ran == b->units_ran &&
         a->employees_took_part == b->employees_took_part &&
         a->training_sessions == b->training_sessions &&
         a->employees_trained == b->employees_trained && a->leader_classes == b->leader_classes &&
         a->leaders_trained == b->leaders_trained && a->units_assigned == b->units_assigned &&
         a->supervision_visits == b->supervision_visits && a->hazards_found == b->hazards_found &&
         a->hazards_listed == b->hazards_listed && a->hazards_rectified == b->hazards_rectified;
}

static cbc_stats_form *november(c10 *s, const char *unit, unsigned int flags)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2026, 11, 0, 0 };
  cbc_stats_form *f = NULL;
  OK(cbc_stats_form_get(&f, s->db, c10_unit(s, unit), &p, flags));
  return f;
}

static void check_renderings(c10 *s, const cbc_stats_form *f)
{
  static const cbc_stats_format formats[] = { CBC_STATS_TEXT, CBC_STATS_JSON, CBC_STATS_CSV };
  for (size_t i = 0; i < COUNT(formats); i++) {
    char *text = NULL;
    OK(cbc_stats_form_render(&text, s->db, f, formats[i]));
    CHECK(strstr(text, "一点零钢铁厂") != NULL);
    CHECK(formats[i] != CBC_STATS_TEXT || strstr(text, "查出安全隐患数"));
    CHECK(formats[i] != CBC_STATS_JSON || (text[0] == '{' && strstr(text, "\"figures\"")));
    cbc_free(text);
  }
  char *text = NULL;
  ERR(cbc_stats_form_render(&text, s->db, f, (cbc_stats_format)9), CBC_EINVAL);
}

static void check_form(c10 *s, size_t hazards)
{
  cbc_stats_form *f = november(s, "C10-ENT", 0), *r = november(s, "C10-ENT", CBC_STATS_FROM_RECORDS);
  CHECK(same_figures(f, r) && f->from == C10_NOV_FROM && f->to == C10_NOV_TO);
  CHECK(f->hazards_found == (int64_t)hazards && f->hazards_listed == 1 && f->hazards_rectified >= 3);
  CHECK(f->training_sessions == 2 && f->leader_classes == 1 && f->supervision_visits == 1);
  CHECK(f->units_assigned == 1 && f->units_ran == 1 && f->employees_took_part >= 5);
  check_renderings(s, f);
  /* The regions add their one enterprise's figures (and the people of the
   * union node itself, the cadre and the inspector). */
  cbc_stats_form *city = november(s, "C10-CITY", 0), *dist = november(s, "C10-DIST", 0);
  CHECK(same_figures(city, dist) && city->hazards_found == f->hazards_found);
  CHECK(city->units_ran == 1 && city->employees_took_part >= f->employees_took_part);
  cbc_stats_form_free(dist);
  cbc_stats_form_free(city);
  OK(cbc_stats_rebuild(s->db));
  cbc_stats_form *again = november(s, "C10-ENT", 0);
  CHECK(same_figures(f, again));
  cbc_stats_form_free(again);
  cbc_stats_form_free(r);
  cbc_stats_form_free(f);
}

static void check_periods(c10 *s)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2026, 11, 0, 0 };
  int64_t from = 0, to = 0;
  OK(cbc_period_bounds(&from, &to, s->db, &p));
  CHECK(from == C10_NOV_FROM && to == C10_NOV_TO);
  p.number = 13;
  ERR(cbc_period_bounds(&from, &to, s->db, &p), CBC_EINVAL);
  cbc_period q = { CBC_PERIOD_QUARTER, 2026, 4, 0, 0 };
  OK(cbc_period_bounds(&from, &to, s->db, &q));
  CHECK(to == C10_NOV_TO + 31 * C10_DAY);
  cbc_period r = { CBC_PERIOD_RANGE, 0, 0, C10_NOV_TO, C10_NOV_FROM };
  ERR(cbc_period_bounds(&from, &to, s->db, &r), CBC_EINVAL);
}

static void check_series_and_children(c10 *s)
{
  cbc_stats_form *f = november(s, "C10-ENT", 0);
  cbc_stats_forms *forms = NULL;
  OK(cbc_stats_series(&forms, s->db, c10_unit(s, "C10-ENT"), 2026, 9, 3));
  CHECK(forms->count == 3 && same_figures(forms->forms[2], f));
  cbc_stats_forms_free(forms);
  ERR(cbc_stats_series(&forms, s->db, c10_unit(s, "C10-ENT"), 2026, 0, 3), CBC_EINVAL);
  cbc_period p = { CBC_PERIOD_MONTH, 2026, 11, 0, 0 };
  OK(cbc_stats_children(&forms, s->db, c10_unit(s, "C10-DIST"), &p, 0));
  CHECK(forms->count == 1 && forms->forms[0]->unit_id == c10_unit(s, "C10-ENT"));
  CHECK(same_figures(forms->forms[0], f)); /* the enterprise, without the union node */
  cbc_stats_forms_free(forms);
  cbc_stats_form_free(f);
}

static void check_breakdown(c10 *s, size_t hazards)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2026, 11, 0, 0 };
  cbc_stats_breakdown *b = NULL;
  OK(cbc_stats_breakdown_get(&b, s->db, c10_unit(s, "C10-ENT"), &p));
  CHECK(b->reported == (int64_t)hazards && b->rejected == 2 && b->closed >= 3);
  CHECK(b->rectification_rate > 0 && b->n_counts > 0);
  int64_t by_severity = 0;
  for (size_t i = 0; i < b->n_counts; i++)
    by_severity += b->counts[i].dimension == CBC_DIM_SEVERITY ? b->counts[i].count : 0;
  CHECK(by_severity == b->reported);
  char *text = NULL;
  OK(cbc_stats_breakdown_render(&text, s->db, b, CBC_STATS_JSON));
  CHECK(text[0] == '{');
  cbc_free(text);
  OK(cbc_stats_breakdown_render(&text, s->db, b, CBC_STATS_CSV));
  cbc_free(text);
  ERR(cbc_stats_breakdown_render(&text, s->db, b, CBC_STATS_TEXT), CBC_EINVAL);
  cbc_stats_breakdown_free(b);
}

void c10_exercise_stats(c10 *s)
{
  check_periods(s);
  check_form(s, s->n_hazards);
  check_series_and_children(s);
  check_breakdown(s, s->n_hazards);
}
