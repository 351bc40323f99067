/* cbc demo: the campaign's calendar — trainings, drills, cadres' visits,
 * proposals, fines, and the monthly reward evaluation. */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"

#include <string.h>

#define DAY INT64_C(86400)

static int check(demo *d, const char *what, int rc)
{
  return rc ? demo_fail(d, what, rc) : CLI_OK;
}

static int training(demo *d, int e, int month)
{
  demo_enterprise *ent = &d->ent[e];
  cbc_attendee people[DEMO_MAX_TEAMS * (DEMO_MAX_TEAM_SIZE + 1)];
  size_t n = 0;
  int w = month % ent->n_workshops;
  for (int t = 0; t < ent->n_teams; t++) {
    demo_team *team = &ent->teams[t];
    if (ent->team_workshop[t] != w)
      continue;
    people[n++] = (cbc_attendee){team->leader, 1};
    for (int m = 0; m < team->n_members; m++)
      people[n++] = (cbc_attendee){team->members[m], demo_rand(d, 100) < 92};
  }
  cbc_training_record rec = CBC_TRAINING_RECORD_INIT;
  rec.kind = CBC_TRAINING_ALL_STAFF;
  rec.unit_id = ent->workshops[w];
  rec.held_at = d->now;
  rec.minutes = 120;
  rec.title = "岗位安全操作规程与隐患排查方法";
  rec.attendees = people;
  rec.n_attendees = n;
  return check(d, "recording a training session", cbc_training_add(NULL, d->db, &rec));
}

static int leader_class(demo *d)
{
  cbc_attendee people[DEMO_ENTERPRISES * 5];
  size_t n = 0;
  for (int e = 0; e < DEMO_ENTERPRISES; e++) {
    people[n++] = (cbc_attendee){d->ent[e].principal, 1};
    for (int w = 0; w < d->ent[e].n_workshops; w++)
      people[n++] = (cbc_attendee){d->ent[e].directors[w], 1};
  }
  cbc_training_record rec = CBC_TRAINING_RECORD_INIT;
  rec.kind = CBC_TRAINING_LEADER_CLASS;
  rec.unit_id = d->district;
  rec.held_at = d->now;
  rec.minutes = 240;
  rec.title = "企业主要负责人安全生产责任专题培训班";
  rec.attendees = people;
  rec.n_attendees = n;
  return check(d, "recording a leaders' class", cbc_training_add(NULL, d->db, &rec));
}

static int drill(demo *d, int e)
{
  demo_enterprise *ent = &d->ent[e];
  int64_t teams[DEMO_MAX_TEAMS];
  for (int t = 0; t < ent->n_teams; t++)
    teams[t] = ent->teams[t].unit;
  cbc_drill_record rec = CBC_DRILL_RECORD_INIT;
  rec.unit_id = ent->unit;
  rec.held_at = d->now;
  rec.scenario = e % 2 ? "火灾事故应急疏散演练" : "有限空间中毒窒息救援演练";
  rec.team_ids = teams;
  rec.n_teams = (size_t)ent->n_teams;
  return check(d, "recording a drill", cbc_drill_add(NULL, d->db, &rec));
}

/* Cadre 1 looks after the first three enterprises, cadre 2 the others. */
static int64_t cadre_for(demo *d, int e)
{
  return d->cadres[e < 3 ? 0 : 1];
}

static int assign_cadres(demo *d)
{
  int rc = CLI_OK;
  for (int e = 0; e < DEMO_ENTERPRISES && rc == CLI_OK; e++)
    rc = check(d, "assigning a cadre",
               cbc_cadre_assign(NULL, d->db, cadre_for(d, e), d->ent[e].unit, d->now, 0));
  return rc;
}

static int visit(demo *d, int e)
{
  static const char *const notes[] = {"消防通道畅通，隐患台账记录完整",
                                      "个别班组交接班记录不全，已督促整改",
                                      "重大隐患治理方案落实到位，资金已到位",
                                      "职工对查保促活动知晓率高，随手拍参与踊跃"};
  cbc_visit_record rec = CBC_VISIT_RECORD_INIT;
  rec.cadre_id = cadre_for(d, e);
  rec.unit_id = d->ent[e].unit;
  rec.visited_at = d->now;
  rec.findings = notes[demo_rand(d, 4)];
  return check(d, "recording a visit", cbc_visit_add(NULL, d->db, &rec));
}

static int proposals(demo *d)
{
  static const char *const titles[] = {"关于增设车间通道隔离护栏的建议",
                                       "关于高温岗位增加防暑降温措施的建议",
                                       "关于完善交接班安全确认制度的建议",
                                       "关于在危险区域加装视频监控的建议"};
  for (int i = 0; i < 2; i++) {
    int e = (int)demo_rand(d, DEMO_ENTERPRISES);
    demo_team *team = &d->ent[e].teams[demo_rand(d, (uint32_t)d->ent[e].n_teams)];
    cbc_proposal_record rec = CBC_PROPOSAL_RECORD_INIT;
    int64_t id = 0;
    rec.proposer_id = team->members[demo_rand(d, (uint32_t)team->n_members)];
    rec.title = titles[demo_rand(d, 4)];
    rec.text = "结合本岗位实际，建议尽快落实，以消除作业中的安全隐患。";
    int rc = cbc_proposal_submit(&id, d->db, &rec);
    if (rc == 0 && demo_rand(d, 100) < 80)
      rc = cbc_proposal_decide(d->db, id, d->ent[e].principal, demo_rand(d, 100) < 65,
                               "经安全生产委员会研究");
    if (rc != 0)
      return demo_fail(d, "recording a proposal", rc);
  }
  return CLI_OK;
}

static int fine(demo *d)
{
  demo_enterprise *ent = &d->ent[demo_rand(d, DEMO_ENTERPRISES)];
  demo_team *team = &ent->teams[demo_rand(d, (uint32_t)ent->n_teams)];
  cbc_fine_record rec = CBC_FINE_RECORD_INIT;
  rec.employee_id = team->members[demo_rand(d, (uint32_t)team->n_members)];
  rec.amount_fen = 20000;
  rec.reason = "高处作业未系安全带，经教育后再次违反";
  rec.violation = "违反高处作业安全管理规定";
  return check(d, "issuing a fine", cbc_fine_issue(NULL, d->db, &rec, ent->safety_officer));
}

/* ------------------------------------------------------------------ */

/* Last month's rewards: evaluated, every proposed award approved by the
 * cadre, money for employees paid. */
static int settle_rewards(demo *d, const cbc_period *month)
{
  cbc_reward_decisions *dec = NULL;
  cbc_awards *awards = NULL;
  int rc = cbc_reward_evaluate(&dec, d->db, d->district, month, 0);
  cbc_reward_decisions_free(dec);
  if (rc == 0) /* the month's discovery rewards were proposed as hazards closed */
    rc = cbc_award_list(&awards, d->db, 0, 0, CBC_AWARD_PROPOSED, 0, 0);
  for (size_t i = 0; rc == 0 && awards && i < awards->count; i++) {
    const cbc_award *a = awards->items[i];
    char ref[48];
    if (a->review) /* its hazard was reopened: it waits for a review */
      continue;
    d->now += 60;
    rc = cbc_award_approve(d->db, a->id, d->cadres[0]);
    snprintf(ref, sizeof ref, "工会转账%lld", (long long)a->id);
    if (rc == 0 && a->amount_fen > 0 && a->subject_kind == CBC_SUBJECT_EMPLOYEE)
      rc = cbc_award_pay(d->db, a->id, d->cadres[0], ref, NULL);
  }
  cbc_awards_free(awards);
  return check(d, "settling the month's rewards", rc);
}

/* Day @p dom (1-based) of month @p month (1..12). */
static int calendar_day(demo *d, int dom, const cbc_period *month)
{
  int rc = CLI_OK, m = month->number;
  for (int e = 0; e < DEMO_ENTERPRISES && rc == CLI_OK; e++) {
    d->now += 600;
    if (dom == 8)
      rc = training(d, e, m);
    else if (dom == 12)
      rc = visit(d, e);
    else if (dom == 20 && (m == 6 || m == 9))
      rc = drill(d, e);
  }
  d->now += 600;
  if (rc == CLI_OK && dom == 18)
    rc = proposals(d);
  if (rc == CLI_OK && dom == 22 && (m == 7 || m == 10))
    rc = leader_class(d);
  if (rc == CLI_OK && dom == 26 && (m == 8 || m == 10))
    rc = fine(d);
  return rc;
}

int demo_activities(demo *d, int64_t day, int64_t first_day)
{
  cbc_period month, last;
  int64_t from, to;
  int rc = cbc_period_containing(&month, d->db, CBC_PERIOD_MONTH, day);
  if (rc == 0)
    rc = cbc_period_bounds(&from, &to, d->db, &month);
  if (rc != 0)
    return demo_fail(d, "reading the calendar", rc);
  int dom = (int)((day - from) / DAY) + 1;
  /* activities in the afternoon, after the day's hazards; never back in time */
  if (d->now < day + 17 * 3600)
    d->now = day + 17 * 3600;
  if (day == first_day)
    rc = assign_cadres(d);
  if (rc == CLI_OK && dom == 1 && day != first_day) {
    rc = cbc_period_containing(&last, d->db, CBC_PERIOD_MONTH, day - DAY);
    rc = rc ? demo_fail(d, "reading the calendar", rc) : settle_rewards(d, &last);
  }
  return rc == CLI_OK ? calendar_day(d, dom, &month) : rc;
}
