/* The 1.0 consumer: the reward policy, evaluation, the award ledger,
 * fines and the period summary. */
#include "consumer_1_0.h"

#include <stdio.h>
#include <string.h>

static const cbc_period nov = { CBC_PERIOD_MONTH, 2026, 11, 0, 0 };

static void check_policy(c10 *s)
{
  char *json = NULL;
  int64_t version = 0;
  OK(cbc_policy_defaults(&json));
  CHECK(strstr(json, "\"major_hazard\"") && strstr(json, "\"ankang_cup\""));
  cbc_free(json);
  OK(cbc_policy_get(&json, &version, s->db, 0));
  CHECK(version >= 2 && strstr(json, "1500")); /* as set before the first closure */
  cbc_free(json);
  OK(cbc_policy_get(&json, NULL, s->db, 1));
  cbc_free(json);
  ERR(cbc_policy_get(&json, NULL, s->db, version + 1000), CBC_ENOTFOUND);
}

/* The discovery decision for one hazard, and its award's id. */
static int64_t discovery_award(c10 *s, int64_t hazard, cbc_reward_rule rule, int64_t finder)
{
  cbc_reward_decisions *d = NULL;
  OK(cbc_reward_explain_hazard(&d, s->db, hazard));
  CHECK(d->count >= 1 && d->decisions[0].rule == rule && d->decisions[0].eligible == 1);
  CHECK(d->decisions[0].hazard_id == hazard && d->decisions[0].reasons[0]);
  CHECK(finder == 0 || (d->decisions[0].subject_kind == CBC_SUBJECT_EMPLOYEE &&
                        d->decisions[0].subject_id == finder));
  int64_t award = d->decisions[0].award_id;
  cbc_reward_decisions_free(d);
  CHECK(award > 0);
  return award;
}

static cbc_award_state award_state(c10 *s, int64_t award)
{
  cbc_award *a = NULL;
  OK(cbc_award_lookup(&a, s->db, award));
  cbc_award_state st = a->state;
  cbc_award_free(a);
  return st;
}

/* The major hazard's award: approved and paid. */
static int64_t pay_major(c10 *s, int64_t u1)
{
  int64_t award = discovery_award(s, s->hazards[1], CBC_RULE_MAJOR_HAZARD,
                                  c10_person(s, "C10-A2"));
  cbc_award *a = NULL;
  OK(cbc_award_lookup(&a, s->db, award));
  char cause[64];
  snprintf(cause, sizeof(cause), "hazard:%lld", (long long)s->hazards[1]);
  CHECK(a->state == CBC_AWARD_PROPOSED && a->amount_fen > 0 && strcmp(a->cause, cause) == 0);
  CHECK(a->policy_version >= 2 && a->review == 0 && strcmp(a->payment_ref, "") == 0);
  cbc_award_free(a);
  ERR(cbc_award_approve(s->db, award, c10_person(s, "C10-A1")), CBC_EPERM);
  ERR(cbc_award_pay(s->db, award, u1, "转账001", NULL), CBC_ESTATE);
  OK(cbc_award_approve(s->db, award, u1));
  OK(cbc_award_pay(s->db, award, u1, "转账001", NULL));
  ERR(cbc_award_pay(s->db, award, u1, "转账001", NULL), CBC_ESTATE);
  OK(cbc_award_lookup(&a, s->db, award));
  CHECK(a->state == CBC_AWARD_PAID && a->paid_by == u1 && strcmp(a->payment_ref, "转账001") == 0);
  cbc_award_free(a);
  return award;
}

/* The tip-off's award: found and paid only by its follow-up key. */
static int64_t pay_tip_off(c10 *s, int64_t u1)
{
  cbc_award *a = NULL;
  OK(cbc_award_by_key(&a, s->db, s->key_paid));
  int64_t award = a->id;
  CHECK(a->subject_kind == CBC_SUBJECT_ANONYMOUS && a->rule == CBC_RULE_HOTLINE_TIP);
  CHECK(a->amount_fen > 0 && a->state == CBC_AWARD_PROPOSED);
  cbc_award_free(a);
  ERR(cbc_award_by_key(&a, s->db, s->key_dup), CBC_ENOTFOUND);
  OK(cbc_award_approve(s->db, award, u1));
  ERR(cbc_award_pay(s->db, award, u1, "现金002", NULL), CBC_EINVAL);
  ERR(cbc_award_pay(s->db, award, u1, "现金002", s->key_dup), CBC_EINVAL);
  OK(cbc_award_pay(s->db, award, u1, "现金002", s->key_paid));
  CHECK(award_state(s, award) == CBC_AWARD_PAID);
  return award;
}

/* The reopened hazard's award: flagged, reviewed, declined. */
static void review_reopened(c10 *s, int64_t u1)
{
  int64_t award = discovery_award(s, s->hazards[0], CBC_RULE_GENERAL_HAZARD,
                                  c10_person(s, "C10-A1"));
  cbc_award *a = NULL;
  OK(cbc_award_lookup(&a, s->db, award));
  CHECK(a->review == 1 && a->flagged_at > 0 && a->amount_fen == 1500);
  cbc_award_free(a);
  ERR(cbc_award_approve(s->db, award, u1), CBC_ESTATE);
  OK(cbc_award_review(s->db, award, u1, "整改到位，奖励维持"));
  OK(cbc_award_lookup(&a, s->db, award));
  CHECK(a->review == 0 && a->reviewed_by == u1 && strcmp(a->review_note, "整改到位，奖励维持") == 0);
  cbc_award_free(a);
  OK(cbc_award_decline(s->db, award, u1, "同一隐患已另行奖励"));
  ERR(cbc_award_decline(s->db, award, u1, "再拒"), CBC_ESTATE);
  CHECK(award_state(s, award) == CBC_AWARD_DECLINED);
}

/* Evaluation decides the same way twice and never adds an award twice. */
static void evaluate_month(c10 *s)
{
  int64_t dist = c10_unit(s, "C10-DIST");
  cbc_reward_decisions *dry = NULL, *first = NULL, *again = NULL;
  OK(cbc_reward_evaluate(&dry, s->db, dist, &nov, CBC_EVALUATE_DRY_RUN));
  OK(cbc_reward_evaluate(&first, s->db, dist, &nov, 0));
  OK(cbc_reward_evaluate(&again, s->db, dist, &nov, 0));
  CHECK(dry->count == first->count && first->count == again->count && first->count > 0);
  CHECK(first->from == C10_NOV_FROM && first->to == C10_NOV_TO);
  size_t proposals = 0;
  for (size_t i = 0; i < first->count; i++) {
    const cbc_reward_decision *a = &first->decisions[i], *b = &again->decisions[i];
    CHECK(a->rule == b->rule && a->subject_id == b->subject_id && a->award_id == b->award_id);
    CHECK(a->eligible == (a->award_id != 0) && a->reasons && a->reasons[0]);
    proposals += a->rule == CBC_RULE_PROPOSAL && a->eligible;
  }
  CHECK(proposals == 1);
  cbc_reward_decisions_free(dry);
  cbc_reward_decisions_free(first);
  cbc_reward_decisions_free(again);
  ERR(cbc_reward_evaluate(&dry, s->db, dist, &nov, 1u << 5), CBC_EINVAL);
}

static void issue_fines(c10 *s)
{
  int64_t s1 = c10_person(s, "C10-S1"), b1 = c10_person(s, "C10-B1");
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = b1;
  f.amount_fen = 20000;
  f.reason = "班前未检查护栏";
  f.violation = "违章作业 (三违)";
  ERR(cbc_fine_issue(NULL, s->db, &f, c10_person(s, "C10-A1")), CBC_EPERM);
  int64_t id = 0;
  OK(cbc_fine_issue(&id, s->db, &f, s1));
  CHECK(id > 0);
  f.hazard_id = s->hazards[0];
  ERR(cbc_fine_issue(NULL, s->db, &f, s1), CBC_EINVAL); /* both hazard and violation */
}

static void check_summary(c10 *s, int64_t paid_major, int64_t paid_tip)
{
  cbc_reward_summary *sum = NULL;
  OK(cbc_reward_summary_get(&sum, s->db, c10_unit(s, "C10-DIST"), &nov));
  CHECK(sum->fines == 1 && sum->fined_fen == 20000 && sum->n_fines == 1);
  CHECK(sum->fine_list[0].employee_id == c10_person(s, "C10-B1"));
  CHECK(sum->fine_list[0].issued_by == c10_person(s, "C10-S1"));
  CHECK(strcmp(sum->fine_list[0].violation, "违章作业 (三违)") == 0);
  CHECK(sum->awards[CBC_AWARD_PAID] == 2 && sum->awards[CBC_AWARD_DECLINED] == 1);
  CHECK(sum->awards[0] >= 4);
  cbc_award *a = NULL, *b = NULL;
  OK(cbc_award_lookup(&a, s->db, paid_major));
  OK(cbc_award_lookup(&b, s->db, paid_tip));
  CHECK(sum->paid_fen == a->amount_fen + b->amount_fen);
  cbc_award_free(a);
  cbc_award_free(b);
  cbc_reward_summary_free(sum);
}

static void check_award_list(c10 *s, int64_t paid_major)
{
  cbc_awards *list = NULL;
  OK(cbc_award_list(&list, s->db, C10_NOV_FROM, 0, CBC_AWARD_PAID, CBC_SUBJECT_EMPLOYEE,
                    c10_person(s, "C10-A2")));
  CHECK(list->count == 1 && list->items[0]->id == paid_major);
  cbc_awards_free(list);
  ERR(cbc_award_list(&list, s->db, 0, 0, 9, 0, 0), CBC_EINVAL);
}

void c10_exercise_rewards(c10 *s)
{
  int64_t u1 = c10_person(s, "C10-U1");
  check_policy(s);
  int64_t major = pay_major(s, u1);
  int64_t tip = pay_tip_off(s, u1);
  review_reopened(s, u1);
  evaluate_month(s);
  issue_fines(s);
  check_summary(s, major, tip);
  check_award_list(s, major);
}
