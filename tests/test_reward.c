/* Rewards (include/cbc/reward.h, docs/domain.md §4): the policy and its bad
 * input, discovery rewards and their anti-gaming rules, the award ledger,
 * proposals, the labour medal, Worker Pioneer, Ankang Cup, fines and the
 * period summary. */
#include "helpers.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t HOUR = 3600;

static const cbc_unit_record units[] = {
  { 1, "CITY", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0 },
  { 1, "E1", "CITY", CBC_UNIT_ENTERPRISE, "钢厂", NULL, 1 },
  { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "T1", "W1", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "T2", "W1", CBC_UNIT_TEAM, "乙班", NULL, 0 },
};

static const cbc_employee_record people[] = {
  { 1, "a1", "a1", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "a2", "a2", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L1", "L1", NULL, "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "b1", "b1", NULL, "T2", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L2", "L2", NULL, "T2", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "P1", "P1", NULL, "T2", CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "S1", "S1", NULL, "T2", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 },
};

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }
static int64_t at(int month, int day) { return cbc_test_date(2025, month, day) + 9 * HOUR; }

static int setup(void **state)
{
  now = at(1, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, sizeof(units) / sizeof(units[0]), people,
                             sizeof(people) / sizeof(people[0]), NULL));
  cbc_sync_result_free(res);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

/* A report of @p severity by @p who (NULL: an anonymous hotline tip-off,
 * its key in *key) in @p unit at @p when. */
static int64_t report_as(cbc_db *db, const char *who, const char *unit, int64_t when,
                         cbc_severity severity, char **key)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = who ? E(db, who) : 0;
  r.unit_id = U(db, unit);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = who ? CBC_SOURCE_SELF_CHECK : CBC_SOURCE_HOTLINE;
  r.proposed_severity = severity;
  now = when;
  int64_t id;
  char *k = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &k, db, &r));
  if (key)
    *key = k;
  else
    cbc_free(k);
  return id;
}

static int64_t report(cbc_db *db, const char *who, int64_t when, cbc_severity severity)
{
  return report_as(db, who, "T1", when, severity, NULL);
}

static void registered(cbc_db *db, int64_t id, cbc_severity severity, int64_t when)
{
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = severity;
  g.level = severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.deadline = when + 20 * 24 * HOUR;
  g.contingency_plan = "警示";
  g.plan = severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
  now = when;
  const char *who = severity == CBC_SEVERITY_MAJOR ? "P1" : "L1";
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, who), &g));
}

/* Register, rectify and verify hazard @p id, from @p when on. */
static void close_hazard(cbc_db *db, int64_t id, cbc_severity severity, int64_t when)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  cbc_hazard_state state = h->state;
  int64_t responsible = h->responsible_id;
  cbc_hazard_free(h);
  if (state == CBC_HAZARD_REPORTED) {
    registered(db, id, severity, when);
    assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
    responsible = h->responsible_id;
    cbc_hazard_free(h);
    assert_cbc_ok(cbc_hazard_start(db, id, responsible));
  }
  now = when + HOUR;
  assert_cbc_ok(cbc_hazard_submit(db, id, responsible, "已整改", NULL, 0));
  now = when + 2 * HOUR;
  const char *verifier = responsible == E(db, "P1") ? "S1" : "P1";
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, verifier), 1, NULL, NULL, 0));
}

static cbc_period month(int m)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2025, m, 0, 0 };
  return p;
}

static size_t award_count(cbc_db *db)
{
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  size_t n = all->count;
  cbc_awards_free(all);
  return n;
}

/* The decision of @p rule about (kind, id) in @p ds, or NULL. */
static const cbc_reward_decision *decision(const cbc_reward_decisions *ds, cbc_reward_rule rule,
                                           cbc_subject_kind kind, int64_t id)
{
  for (size_t i = 0; i < ds->count; i++)
    if (ds->decisions[i].rule == rule && ds->decisions[i].subject_kind == kind &&
        ds->decisions[i].subject_id == id)
      return &ds->decisions[i];
  return NULL;
}

static void set_policy(cbc_db *db, const char *json)
{
  assert_cbc_ok(cbc_policy_set(NULL, db, json, E(db, "K1")));
}

/* ---------------------------------------------------------------- policy */

static void test_policy_versions(void **state)
{
  cbc_db *db = *state;
  char *doc, *defaults;
  int64_t v;
  assert_cbc_ok(cbc_policy_defaults(&defaults));
  assert_cbc_ok(cbc_policy_get(&doc, &v, db, 0));
  assert_int_equal(v, 1); /* nothing stored: version 1 is the defaults */
  assert_string_equal(doc, defaults);
  cbc_free(doc);
  assert_non_null(strstr(defaults, "\"amount_fen\": 50000"));
  assert_cbc_ok(cbc_policy_set(&v, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1500}}}",
                               E(db, "K1")));
  assert_int_equal(v, 2);
  assert_cbc_ok(cbc_policy_get(&doc, &v, db, 0));
  assert_int_equal(v, 2);
  assert_non_null(strstr(doc, "\"amount_fen\": 1500"));
  assert_non_null(strstr(doc, "\"ankang_cup\"")); /* complete: the rest are defaults */
  cbc_free(doc);
  assert_cbc_ok(cbc_policy_get(&doc, &v, db, 1)); /* version 1 was stored with the first set */
  assert_string_equal(doc, defaults);
  cbc_free(doc);
  cbc_free(defaults);
  assert_cbc_error(cbc_policy_get(&doc, &v, db, 3), CBC_ENOTFOUND, "version 3");
  assert_string_equal(cbc_reward_rule_name(CBC_RULE_ANKANG_CUP), "ankang_cup");
  assert_null(cbc_reward_rule_name((cbc_reward_rule)0));
  assert_cbc_error(cbc_policy_set(NULL, db, "{}", E(db, "a1")), CBC_EPERM, "union cadre");
  /* the library's own (pretty-printed) document goes back in as it is */
  assert_cbc_ok(cbc_policy_get(&doc, NULL, db, 2));
  assert_cbc_ok(cbc_policy_set(&v, db, doc, E(db, "K1")));
  assert_int_equal(v, 3);
  char *again;
  assert_cbc_ok(cbc_policy_get(&again, NULL, db, 3));
  assert_string_equal(again, doc);
  cbc_free(again);
  cbc_free(doc);
}

static void test_policy_bad_input(void **state)
{
  cbc_db *db = *state;
  set_policy(db, "{\"rules\": {\"hotline_tip\": {\"amount_fen\": 30000}}}");
  static const struct {
    const char *json, *needle;
  } bad[] = {
    { "{\"rules\": {", "malformed JSON" },
    { "[1, 2]", "not a JSON object" },
    { "{\"rules\": {\"golden_hammer\": {}}}", "unknown rule 'golden_hammer'" },
    { "{\"rules\": {\"major_hazard\": {\"amount\": 1}}}", "unknown key 'amount' in rule major_hazard" },
    { "{\"bonus\": true}", "unknown key 'bonus'" },
    { "{\"rules\": {\"major_hazard\": {\"amount_fen\": -100}}}", "may not be negative" },
    { "{\"rules\": {\"major_hazard\": {\"amount_fen\": 12.5}}}", "whole number of fen" },
    { "{\"rules\": {\"major_hazard\": {\"amount_fen\": 100000000001}}}", "too large" },
    { "{\"rules\": {\"major_hazard\": {\"amount_fen\": \"500\"}}}", "whole number of fen" },
    { "{\"rules\": {\"worker_pioneer\": {\"on_time_rate\": 100.5}}}", "0..100" },
    { "{\"rules\": {\"ankang_cup\": {\"disposal_rate\": -1}}}", "0..100" },
    { "{\"rules\": {\"ankang_cup\": {\"drills\": -2}}}", "may not be negative" },
    { "{\"rules\": {\"ankang_cup\": {\"enabled\": 1}}}", "true or false" },
    { "{\"rules\": {\"ankang_cup\": 5}}", "must be an object" },
    { "{\"rules\": {\"major_hazard\": {\"amount_fen\": 1}, \"major_hazard\": {}}}", "duplicate" },
    { "", "policy" },
  };
  char *before, *after;
  int64_t v0, v1;
  assert_cbc_ok(cbc_policy_get(&before, &v0, db, 0));
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    assert_cbc_error(cbc_policy_set(NULL, db, bad[i].json, E(db, "K1")), CBC_EINVAL,
                     bad[i].needle);
  assert_cbc_ok(cbc_policy_get(&after, &v1, db, 0));
  assert_int_equal(v1, v0);
  assert_string_equal(after, before);
  cbc_free(before);
  cbc_free(after);
}

/* ------------------------------------------------------------- discovery */

static void test_major_hazard_award_once(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "a1", at(3, 2), CBC_SEVERITY_MAJOR);
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(3, 5));
  assert_int_equal(award_count(db), 1); /* made when it closed */
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, CBC_AWARD_PROPOSED, CBC_SUBJECT_EMPLOYEE,
                               E(db, "a1")));
  assert_int_equal(list->count, 1);
  const cbc_award *a = list->items[0];
  assert_int_equal(a->rule, CBC_RULE_MAJOR_HAZARD);
  assert_int_equal(a->amount_fen, 50000);
  assert_int_equal(a->hazard_id, h);
  assert_int_equal(a->policy_version, 1);
  assert_int_equal(a->proposed_at, at(3, 5) + 2 * HOUR);
  char cause[32];
  snprintf(cause, sizeof(cause), "hazard:%lld", (long long)h);
  assert_string_equal(a->cause, cause);
  int64_t award = a->id;
  cbc_awards_free(list);

  cbc_period march = month(3);
  cbc_reward_decisions *ds;
  for (int pass = 0; pass < 2; pass++) { /* evaluating again adds nothing */
    assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &march, 0));
    const cbc_reward_decision *d =
      decision(ds, CBC_RULE_MAJOR_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1"));
    assert_non_null(d);
    assert_true(d->eligible);
    assert_int_equal(d->award_id, award);
    assert_string_equal(d->reasons, "major hazard 1 verified and closed; report 1 is the first "
                                    "valid of 1 report");
    d = decision(ds, CBC_RULE_LABOUR_MEDAL, CBC_SUBJECT_EMPLOYEE, E(db, "a1"));
    assert_non_null(d);
    assert_true(d->eligible);
    assert_string_equal(d->reasons, "major hazards found and closed 1 >= 1");
    assert_int_equal(ds->policy_version, 1);
    cbc_reward_decisions_free(ds);
    assert_int_equal(award_count(db), 2); /* the discovery and the medal */
  }
}

/* A hazard's decisions follow the policy its award was made under; the
 * labour medal counts the finding whatever the discovery rule pays. */
static void test_decisions_follow_the_awards_policy(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "a1", at(3, 2), CBC_SEVERITY_MAJOR);
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(3, 5));
  set_policy(db, "{\"rules\": {\"major_hazard\": {\"amount_fen\": 0}}}");
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, h));
  assert_int_equal(ds->count, 1);
  assert_int_equal(ds->decisions[0].amount_fen, 50000); /* as awarded under version 1 */
  cbc_reward_decisions_free(ds);
  int64_t later = report(db, "a2", at(3, 10), CBC_SEVERITY_MAJOR);
  close_hazard(db, later, CBC_SEVERITY_MAJOR, at(3, 12));
  cbc_period march = month(3);
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "E1"), &march, 0));
  assert_null(decision(ds, CBC_RULE_MAJOR_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a2")));
  const cbc_reward_decision *d =
    decision(ds, CBC_RULE_LABOUR_MEDAL, CBC_SUBJECT_EMPLOYEE, E(db, "a2"));
  assert_non_null(d);
  assert_true(d->eligible);
  assert_int_equal(ds->policy_version, 2);
  cbc_reward_decisions_free(ds);
}

static void test_first_valid_reporter(void **state)
{
  cbc_db *db = *state;
  set_policy(db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 2000}}}");
  int64_t early = report(db, "a2", at(4, 1), CBC_SEVERITY_GENERAL);
  int64_t kept = report(db, "a1", at(4, 2), CBC_SEVERITY_GENERAL);
  int64_t late = report(db, "b1", at(4, 3), CBC_SEVERITY_GENERAL);
  int64_t bogus = report(db, "b1", at(4, 3) + HOUR, CBC_SEVERITY_GENERAL);
  now = at(4, 4);
  assert_cbc_ok(cbc_hazard_reject(db, early, E(db, "L1"), NULL, kept));
  assert_cbc_ok(cbc_hazard_reject(db, late, E(db, "L1"), NULL, kept));
  assert_cbc_ok(cbc_hazard_reject(db, bogus, E(db, "L1"), "不是隐患", 0));
  close_hazard(db, kept, CBC_SEVERITY_GENERAL, at(4, 6));
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, kept));
  assert_int_equal(ds->count, 3);
  const cbc_reward_decision *d = decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE,
                                          E(db, "a2"));
  assert_true(d->eligible);
  assert_int_equal(d->amount_fen, 2000);
  assert_true(d->award_id > 0);
  d = decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1"));
  assert_false(d->eligible);
  assert_non_null(strstr(d->reasons, "only the first valid reporter is rewarded"));
  d = decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "b1"));
  assert_false(d->eligible);
  assert_int_equal(d->amount_fen, 0);
  cbc_reward_decisions_free(ds);
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, bogus));
  assert_int_equal(ds->count, 1);
  assert_false(ds->decisions[0].eligible);
  assert_non_null(strstr(ds->decisions[0].reasons, "rejected reports earn nothing"));
  cbc_reward_decisions_free(ds);
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, late));
  assert_non_null(strstr(ds->decisions[0].reasons, "duplicate of hazard"));
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 1);
}

static void test_general_hazard_pays_nothing_by_default(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "a1", at(5, 1), CBC_SEVERITY_GENERAL);
  close_hazard(db, h, CBC_SEVERITY_GENERAL, at(5, 2));
  assert_int_equal(award_count(db), 0);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, h));
  assert_int_equal(ds->count, 0); /* a rule paying 0 makes no decision */
  cbc_reward_decisions_free(ds);
}

static void test_responsible_reporter(void **state)
{
  cbc_db *db = *state;
  set_policy(db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1000}}}");
  int64_t own = report(db, "L1", at(5, 1), CBC_SEVERITY_GENERAL); /* L1 leads T1 */
  close_hazard(db, own, CBC_SEVERITY_GENERAL, at(5, 2));
  assert_int_equal(award_count(db), 0);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, own));
  assert_int_equal(ds->count, 1);
  assert_false(ds->decisions[0].eligible);
  assert_non_null(strstr(ds->decisions[0].reasons, "was the responsible person when hazard"));
  cbc_reward_decisions_free(ds);
  set_policy(db, "{\"responsible_reporter_rewarded\": true,"
                 " \"rules\": {\"general_hazard\": {\"amount_fen\": 1000}}}");
  int64_t again = report(db, "L1", at(5, 3), CBC_SEVERITY_GENERAL);
  close_hazard(db, again, CBC_SEVERITY_GENERAL, at(5, 4));
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, CBC_SUBJECT_EMPLOYEE, E(db, "L1")));
  assert_int_equal(list->count, 1);
  assert_int_equal(list->items[0]->hazard_id, again);
  assert_int_equal(list->items[0]->policy_version, 3);
  cbc_awards_free(list);
}

/* The first valid report decides, also when its rule pays nothing. */
static void test_first_valid_report_decides_the_rule(void **state)
{
  cbc_db *db = *state;
  int64_t own = report(db, "L1", at(5, 1), CBC_SEVERITY_GENERAL); /* L1 will be responsible */
  int64_t tip = report_as(db, NULL, "T1", at(5, 2), CBC_SEVERITY_GENERAL, NULL);
  now = at(5, 3);
  assert_cbc_ok(cbc_hazard_reject(db, tip, E(db, "L1"), NULL, own));
  close_hazard(db, own, CBC_SEVERITY_GENERAL, at(5, 4));
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, own));
  assert_int_equal(ds->count, 2);
  const cbc_reward_decision *d = decision(ds, CBC_RULE_HOTLINE_TIP, CBC_SUBJECT_ANONYMOUS, tip);
  assert_true(d->eligible); /* L1 may not be rewarded: the tip-off is the first valid */
  assert_int_equal(d->amount_fen, 20000);
  assert_true(d->award_id > 0);
  d = decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "L1"));
  assert_false(d->eligible);
  cbc_reward_decisions_free(ds);
  int64_t first = report(db, "a2", at(6, 1), CBC_SEVERITY_GENERAL);
  int64_t later = report_as(db, NULL, "T1", at(6, 2), CBC_SEVERITY_GENERAL, NULL);
  now = at(6, 3);
  assert_cbc_ok(cbc_hazard_reject(db, later, E(db, "L1"), NULL, first));
  close_hazard(db, first, CBC_SEVERITY_GENERAL, at(6, 4));
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, first));
  assert_int_equal(ds->count, 0); /* a2 came first, and general hazards pay nothing */
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 1);
}

/* Hazard @p id's explanation, every field of every decision, as one text
 * (owned by the caller, free()). */
static char *explained(cbc_db *db, int64_t id)
{
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, id));
  char text[4096];
  size_t len = (size_t)snprintf(text, sizeof(text), "policy %lld, %zu:",
                                (long long)ds->policy_version, ds->count);
  for (size_t i = 0; i < ds->count && len < sizeof(text); i++) {
    const cbc_reward_decision *d = &ds->decisions[i];
    len += (size_t)snprintf(text + len, sizeof(text) - len,
                            " [%d %d %lld %d %lld %lld %lld %lld %s]", (int)d->rule,
                            (int)d->subject_kind, (long long)d->subject_id, d->eligible,
                            (long long)d->hazard_id, (long long)d->proposal_id,
                            (long long)d->amount_fen, (long long)d->award_id, d->reasons);
  }
  assert_true(len < sizeof(text));
  cbc_reward_decisions_free(ds);
  char *copy = malloc(len + 1);
  assert_non_null(copy);
  return memcpy(copy, text, len + 1);
}

/* Reports rejected as duplicates after the closure do not compete: the
 * decision stays as made, also through a reopen and a second closure. */
static void test_late_duplicate_earns_nothing(void **state)
{
  cbc_db *db = *state;
  set_policy(db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 2000}}}");
  int64_t own = report(db, "L1", at(5, 1), CBC_SEVERITY_GENERAL); /* L1 will be responsible */
  close_hazard(db, own, CBC_SEVERITY_GENERAL, at(5, 2));
  assert_int_equal(award_count(db), 0); /* no valid reporter when it closed */
  char *before = explained(db, own);
  assert_non_null(strstr(before, "was the responsible person"));
  int64_t late = report(db, "a1", at(5, 6), CBC_SEVERITY_GENERAL);
  now = at(5, 7);
  assert_cbc_ok(cbc_hazard_reject(db, late, E(db, "L1"), NULL, own));
  char *after = explained(db, own);
  assert_string_equal(after, before);
  free(after);
  cbc_period may = month(5);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &may, 0));
  assert_null(decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1")));
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 0);
  /* reopened and closed again: the first closure still decides */
  now = at(5, 10);
  assert_cbc_ok(cbc_hazard_reopen(db, own, E(db, "P1"), "回头看"));
  close_hazard(db, own, CBC_SEVERITY_GENERAL, at(5, 12));
  after = explained(db, own);
  assert_string_equal(after, before);
  free(after);
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &may, 0));
  assert_null(decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1")));
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 0);
  free(before);
  /* with a rewarded finder, a late duplicate adds no "came later" decision */
  int64_t found = report(db, "a2", at(6, 1), CBC_SEVERITY_GENERAL);
  close_hazard(db, found, CBC_SEVERITY_GENERAL, at(6, 2));
  before = explained(db, found);
  int64_t again = report(db, "b1", at(6, 5), CBC_SEVERITY_GENERAL);
  now = at(6, 6);
  assert_cbc_ok(cbc_hazard_reject(db, again, E(db, "L1"), NULL, found));
  after = explained(db, found);
  assert_string_equal(after, before);
  free(after);
  free(before);
  assert_int_equal(award_count(db), 1);
}

/* A duplicate rejected before the closure competes as before (and may
 * win); one still pending at the closure does not enter once rejected. */
static void test_early_duplicate_competes(void **state)
{
  cbc_db *db = *state;
  set_policy(db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 2000}}}");
  int64_t early = report(db, "a1", at(7, 1), CBC_SEVERITY_GENERAL);
  int64_t own = report(db, "L1", at(7, 2), CBC_SEVERITY_GENERAL);
  int64_t pending = report(db, "a2", at(7, 3), CBC_SEVERITY_GENERAL);
  now = at(7, 4);
  assert_cbc_ok(cbc_hazard_reject(db, early, E(db, "L1"), NULL, own));
  close_hazard(db, own, CBC_SEVERITY_GENERAL, at(7, 5));
  char *before = explained(db, own);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, own));
  assert_int_equal(ds->count, 2);
  const cbc_reward_decision *d =
    decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1"));
  assert_non_null(d);
  assert_true(d->eligible);
  assert_int_equal(d->amount_fen, 2000);
  assert_true(d->award_id > 0);
  cbc_reward_decisions_free(ds);
  now = at(7, 10);
  assert_cbc_ok(cbc_hazard_reject(db, pending, E(db, "L1"), NULL, own));
  char *after = explained(db, own);
  assert_string_equal(after, before);
  free(after);
  free(before);
  cbc_period july = month(7);
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &july, 0));
  d = decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1"));
  assert_non_null(d);
  assert_true(d->eligible);
  assert_null(decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a2")));
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 1);
}

/* The attack of issue 10: a team leader makes his own worker's earlier
 * report a "duplicate" of another enterprise's hazard so that the worker,
 * not its finder, is paid when it closes.  Refused; the finder is paid. */
static void test_no_reward_redirected_across_enterprises(void **state)
{
  cbc_db *db = *state;
  cbc_test_seed_second_enterprise(db, "CITY");
  set_policy(db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 2000}}}");
  int64_t planted = report_as(db, "a1", "T1", at(8, 1), CBC_SEVERITY_GENERAL, NULL);
  int64_t theirs = report_as(db, "X1", "T9", at(8, 2), CBC_SEVERITY_GENERAL, NULL);
  now = at(8, 3);
  assert_cbc_error(cbc_hazard_reject(db, planted, E(db, "L1"), NULL, theirs), CBC_EINVAL,
                   "belongs to another enterprise");
  /* nor can E2 be made to name E1's people responsible */
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.deadline = at(8, 20);
  g.contingency_plan = "警示";
  g.responsible_id = E(db, "L1");
  assert_cbc_error(cbc_hazard_register(db, theirs, E(db, "XL"), &g), CBC_EINVAL, "enterprise");
  g.responsible_id = 0;
  assert_cbc_ok(cbc_hazard_register(db, theirs, E(db, "XL"), &g));
  assert_cbc_ok(cbc_hazard_start(db, theirs, E(db, "XL")));
  assert_cbc_ok(cbc_hazard_submit(db, theirs, E(db, "XL"), "已整改", NULL, 0));
  now = at(8, 4);
  assert_cbc_ok(cbc_hazard_verify(db, theirs, E(db, "XS"), 1, NULL, NULL, 0));
  cbc_period august = month(8);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &august, 0));
  const cbc_reward_decision *d =
    decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "X1"));
  assert_non_null(d);
  assert_true(d->eligible);
  assert_int_equal(d->hazard_id, theirs);
  assert_null(decision(ds, CBC_RULE_GENERAL_HAZARD, CBC_SUBJECT_EMPLOYEE, E(db, "a1")));
  cbc_reward_decisions_free(ds);
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, CBC_SUBJECT_EMPLOYEE, E(db, "a1")));
  assert_int_equal(list->count, 0);
  cbc_awards_free(list);
  assert_int_equal(award_count(db), 1);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, planted));
  assert_int_equal(h->state, CBC_HAZARD_REPORTED);
  cbc_hazard_free(h);
  assert_true(cbc_test_assert_replay(db, planted) == 1);
}

static void test_anonymous_tip_paid_by_key(void **state)
{
  cbc_db *db = *state;
  char *key;
  int64_t h = report_as(db, NULL, "T1", at(6, 1), CBC_SEVERITY_GENERAL, &key);
  close_hazard(db, h, CBC_SEVERITY_GENERAL, at(6, 2));
  cbc_award *a;
  assert_cbc_ok(cbc_award_by_key(&a, db, key));
  assert_int_equal(a->rule, CBC_RULE_HOTLINE_TIP);
  assert_int_equal(a->subject_kind, CBC_SUBJECT_ANONYMOUS);
  assert_int_equal(a->subject_id, h);
  assert_int_equal(a->amount_fen, 20000);
  int64_t id = a->id;
  cbc_award_free(a);
  int64_t k1 = E(db, "K1");
  now = at(6, 10);
  assert_cbc_ok(cbc_award_approve(db, id, k1));
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证1", NULL), CBC_EINVAL, "follow-up key");
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证1", "not-the-key"), CBC_EINVAL,
                   "not this tip-off's");
  assert_cbc_ok(cbc_award_pay(db, id, k1, "凭证1", key));
  assert_cbc_ok(cbc_award_by_key(&a, db, key));
  assert_int_equal(a->state, CBC_AWARD_PAID);
  assert_int_equal(a->paid_by, k1);
  assert_int_equal(a->paid_at, at(6, 10));
  assert_string_equal(a->payment_ref, "凭证1");
  cbc_award_free(a);
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证2", key), CBC_ESTATE, "only an approved");
  assert_cbc_error(cbc_award_by_key(&a, db, "no-such-key"), CBC_ENOTFOUND, NULL);
  cbc_free(key);
}

static void test_reopen_flags_for_review(void **state)
{
  cbc_db *db = *state;
  int64_t k1 = E(db, "K1");
  int64_t h = report(db, "a1", at(7, 1), CBC_SEVERITY_MAJOR);
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(7, 2));
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, 0, 0));
  int64_t id = list->items[0]->id;
  cbc_awards_free(list);
  assert_cbc_ok(cbc_award_approve(db, id, k1));
  now = at(7, 20);
  assert_cbc_ok(cbc_hazard_reopen(db, h, E(db, "P1"), "回头看发现问题"));
  cbc_award *a;
  assert_cbc_ok(cbc_award_lookup(&a, db, id));
  assert_int_equal(a->review, 1);
  assert_int_equal(a->flagged_at, at(7, 20));
  cbc_award_free(a);
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证", NULL), CBC_ESTATE, "flagged for review");
  assert_cbc_error(cbc_award_review(db, id, k1, "整改属实"), CBC_ESTATE, "not closed again");
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(7, 25));
  assert_int_equal(award_count(db), 1); /* closing again made no second award */
  assert_cbc_ok(cbc_award_review(db, id, k1, "整改属实"));
  assert_cbc_error(cbc_award_review(db, id, k1, "again"), CBC_ESTATE, "not flagged");
  assert_cbc_ok(cbc_award_pay(db, id, k1, "凭证", NULL));
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证", NULL), CBC_ESTATE, NULL);
  now = at(8, 1);
  assert_cbc_ok(cbc_hazard_reopen(db, h, E(db, "P1"), "再次回头看"));
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(8, 5));
  assert_cbc_ok(cbc_award_lookup(&a, db, id));
  assert_int_equal(a->state, CBC_AWARD_PAID); /* paid once; flagged, never paid again */
  assert_int_equal(a->review, 1);
  cbc_award_free(a);
  assert_cbc_error(cbc_award_pay(db, id, k1, "凭证", NULL), CBC_ESTATE, NULL);
  assert_int_equal(award_count(db), 1);
}

/* --------------------------------------------------------------- ledger */

static void test_ledger_moves(void **state)
{
  cbc_db *db = *state;
  int64_t k1 = E(db, "K1");
  int64_t h1 = report(db, "a1", at(3, 1), CBC_SEVERITY_MAJOR);
  int64_t h2 = report(db, "b1", at(3, 2), CBC_SEVERITY_MAJOR);
  close_hazard(db, h1, CBC_SEVERITY_MAJOR, at(3, 3));
  close_hazard(db, h2, CBC_SEVERITY_MAJOR, at(3, 4));
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, 0, 0));
  assert_int_equal(list->count, 2);
  int64_t first = list->items[0]->id, second = list->items[1]->id;
  cbc_awards_free(list);
  assert_cbc_error(cbc_award_pay(db, first, k1, "凭证", NULL), CBC_ESTATE, "only an approved");
  assert_cbc_error(cbc_award_approve(db, first, E(db, "P1")), CBC_EPERM, "union cadre");
  assert_cbc_error(cbc_award_decline(db, second, k1, ""), CBC_EINVAL, "reason");
  now = at(3, 20);
  assert_cbc_ok(cbc_award_decline(db, second, k1, "重复申报"));
  assert_cbc_error(cbc_award_approve(db, second, k1), CBC_ESTATE, "declined");
  assert_cbc_error(cbc_award_decline(db, second, k1, "again"), CBC_ESTATE, "declined");
  assert_cbc_error(cbc_award_approve(db, 999, k1), CBC_ENOTFOUND, NULL);
  assert_cbc_ok(cbc_award_approve(db, first, k1));
  assert_cbc_error(cbc_award_approve(db, first, k1), CBC_ESTATE, "approved");
  assert_cbc_error(cbc_award_pay(db, first, k1, "", NULL), CBC_EINVAL, "payment reference");
  assert_cbc_error(cbc_award_pay(db, first, k1, "凭证", "key"), CBC_EINVAL, "no claim key");
  cbc_award *a;
  assert_cbc_ok(cbc_award_lookup(&a, db, second));
  assert_int_equal(a->state, CBC_AWARD_DECLINED);
  assert_int_equal(a->declined_by, k1);
  assert_int_equal(a->declined_at, at(3, 20));
  assert_string_equal(a->decline_reason, "重复申报");
  cbc_award_free(a);
  assert_cbc_ok(cbc_award_lookup(&a, db, first));
  assert_int_equal(a->state, CBC_AWARD_APPROVED);
  assert_int_equal(a->approved_by, k1);
  cbc_award_free(a);
  /* the labour medal is an honour: approved, never paid */
  cbc_period march = month(3);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "E1"), &march, 0));
  const cbc_reward_decision *d =
    decision(ds, CBC_RULE_LABOUR_MEDAL, CBC_SUBJECT_EMPLOYEE, E(db, "b1"));
  assert_true(d->eligible); /* b1's discovery award was declined; the finding stands */
  int64_t medal = d->award_id;
  cbc_reward_decisions_free(ds);
  assert_cbc_ok(cbc_award_approve(db, medal, k1));
  assert_cbc_error(cbc_award_pay(db, medal, k1, "凭证", NULL), CBC_ESTATE, "honour");
  assert_cbc_error(cbc_award_list(&list, db, 0, 0, 9, 0, 0), CBC_EINVAL, "state");
  assert_cbc_error(cbc_award_list(&list, db, 5, 5, 0, 0, 0), CBC_EINVAL, "range");
}

static void test_proposals(void **state)
{
  cbc_db *db = *state;
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "b1");
  p.title = "金点子";
  p.text = "加装护栏";
  int64_t yes, no;
  now = at(9, 1);
  assert_cbc_ok(cbc_proposal_submit(&yes, db, &p));
  assert_cbc_ok(cbc_proposal_submit(&no, db, &p));
  now = at(9, 5);
  assert_cbc_ok(cbc_proposal_decide(db, yes, E(db, "P1"), 1, "采纳"));
  assert_cbc_ok(cbc_proposal_decide(db, no, E(db, "P1"), 0, "不采纳"));
  cbc_period sept = month(9);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "E1"), &sept, 0));
  const cbc_reward_decision *d = decision(ds, CBC_RULE_PROPOSAL, CBC_SUBJECT_EMPLOYEE,
                                          E(db, "b1"));
  assert_non_null(d);
  assert_int_equal(d->proposal_id, yes);
  assert_int_equal(d->amount_fen, 10000);
  size_t proposals = 0;
  for (size_t i = 0; i < ds->count; i++)
    proposals += ds->decisions[i].rule == CBC_RULE_PROPOSAL;
  assert_int_equal(proposals, 1);
  cbc_reward_decisions_free(ds);
}

/* ------------------------------------------------------------ collective */

static void training(cbc_db *db, const char *const *who, size_t n, int64_t when)
{
  cbc_attendee att[8];
  for (size_t i = 0; i < n; i++)
    att[i] = (cbc_attendee){ E(db, who[i]), 1 };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = U(db, "E1");
  r.held_at = when;
  r.minutes = 60;
  r.title = "培训";
  r.attendees = att;
  r.n_attendees = n;
  now = when + HOUR;
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
}

static void drill(cbc_db *db, const char *const *teams, size_t n, int64_t when)
{
  int64_t ids[4];
  for (size_t i = 0; i < n; i++)
    ids[i] = U(db, teams[i]);
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, "E1");
  d.held_at = when;
  d.scenario = "疏散";
  d.team_ids = ids;
  d.n_teams = n;
  now = when + HOUR;
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
}

/* A year in which T1 does everything and T2 lags. */
static void collective_year(cbc_db *db)
{
  set_policy(db, "{\"rules\": {\"worker_pioneer\": {\"hazards_closed\": 1},"
                 " \"ankang_cup\": {\"months_without_data\": 11}}}");
  const char *t1[] = { "a1", "a2", "L1" }, *t2[] = { "b1" }, *both[] = { "T1", "T2" },
             *one[] = { "T1" };
  training(db, t1, 3, at(2, 10));
  training(db, t2, 1, at(2, 11));
  drill(db, both, 2, at(4, 10));
  drill(db, one, 1, at(9, 10));
  int64_t h = report(db, "a1", at(5, 1), CBC_SEVERITY_GENERAL);
  close_hazard(db, h, CBC_SEVERITY_GENERAL, at(5, 2));
  report_as(db, "b1", "T2", at(5, 3), CBC_SEVERITY_GENERAL, NULL); /* still open */
  now = cbc_test_date(2026, 1, 10);
}

static void test_worker_pioneer(void **state)
{
  cbc_db *db = *state;
  collective_year(db);
  cbc_period year = { CBC_PERIOD_YEAR, 2025, 0, 0, 0 };
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "E1"), &year, 0));
  const cbc_reward_decision *d =
    decision(ds, CBC_RULE_WORKER_PIONEER, CBC_SUBJECT_TEAM, U(db, "T1"));
  assert_true(d->eligible);
  assert_string_equal(d->reasons,
                      "hazards closed 1 >= 1; on-time rate 100.0% >= 90% (1/1); training "
                      "coverage 100.0% >= 100% (3/3); drill coverage 100.0% >= 100% (1/1); "
                      "overdue major hazards at the end 0 <= 0");
  assert_true(d->award_id > 0);
  d = decision(ds, CBC_RULE_WORKER_PIONEER, CBC_SUBJECT_TEAM, U(db, "T2"));
  assert_false(d->eligible);
  assert_int_equal(d->award_id, 0);
  assert_string_equal(d->reasons,
                      "hazards closed 0 < 1; on-time rate: no hazards closed; training coverage "
                      "25.0% < 100% (1/4); drill coverage 100.0% >= 100% (1/1); overdue major "
                      "hazards at the end 0 <= 0");
  d = decision(ds, CBC_RULE_WORKER_PIONEER, CBC_SUBJECT_WORKSHOP, U(db, "W1"));
  assert_false(d->eligible);
  assert_non_null(strstr(d->reasons, "training coverage 57.1% < 100% (4/7)"));
  cbc_reward_decisions_free(ds);
}

static void test_ankang_cup(void **state)
{
  cbc_db *db = *state;
  collective_year(db);
  cbc_period year = { CBC_PERIOD_YEAR, 2025, 0, 0, 0 };
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year, CBC_EVALUATE_DRY_RUN));
  const cbc_reward_decision *d = decision(ds, CBC_RULE_ANKANG_CUP, CBC_SUBJECT_UNIT, U(db, "E1"));
  assert_false(d->eligible);
  /* activity in Feb, Apr, May, Sep: 8 empty months <= 11 */
  assert_string_equal(d->reasons,
                      "training coverage 57.1% < 100% (4/7); drills 2 >= 2; teams in enough "
                      "drills 50.0% < 100% (1/2); disposal rate 50.0% < 95% (1/2); months "
                      "without campaign data 8 <= 11");
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), 0); /* a dry run writes nothing */
  set_policy(db, "{\"rules\": {\"ankang_cup\": {\"training_coverage\": 50, "
                 "\"drill_team_participation\": 50, \"disposal_rate\": 50, "
                 "\"months_without_data\": 8}}}");
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year, 0));
  d = decision(ds, CBC_RULE_ANKANG_CUP, CBC_SUBJECT_UNIT, U(db, "E1"));
  assert_true(d->eligible);
  assert_true(d->award_id > 0);
  cbc_reward_decisions_free(ds);
}

static void test_evaluation_is_deterministic(void **state)
{
  cbc_db *db = *state;
  collective_year(db);
  cbc_period year = { CBC_PERIOD_YEAR, 2025, 0, 0, 0 };
  cbc_reward_decisions *x, *y;
  assert_cbc_ok(cbc_reward_evaluate(&x, db, U(db, "CITY"), &year, CBC_EVALUATE_DRY_RUN));
  assert_cbc_ok(cbc_reward_evaluate(&y, db, U(db, "CITY"), &year, CBC_EVALUATE_DRY_RUN));
  assert_int_equal(x->count, y->count);
  assert_int_equal(x->count, 4); /* T1, T2, W1, E1 */
  for (size_t i = 0; i < x->count; i++) {
    assert_int_equal(x->decisions[i].rule, y->decisions[i].rule);
    assert_int_equal(x->decisions[i].subject_id, y->decisions[i].subject_id);
    assert_int_equal(x->decisions[i].eligible, y->decisions[i].eligible);
    assert_string_equal(x->decisions[i].reasons, y->decisions[i].reasons);
    if (i)
      assert_true(x->decisions[i - 1].rule <= x->decisions[i].rule);
  }
  cbc_reward_decisions_free(x);
  cbc_reward_decisions_free(y);
}

static void test_evaluate_bad_input(void **state)
{
  cbc_db *db = *state;
  cbc_reward_decisions *ds;
  cbc_period inverted = { CBC_PERIOD_RANGE, 0, 0, at(5, 1), at(4, 1) };
  cbc_period empty = { CBC_PERIOD_RANGE, 0, 0, at(5, 1), at(5, 1) };
  cbc_period march = month(3);
  assert_cbc_error(cbc_reward_evaluate(&ds, db, U(db, "E1"), &inverted, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_evaluate(&ds, db, U(db, "E1"), &empty, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_evaluate(&ds, db, 9999, &march, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_reward_evaluate(&ds, db, U(db, "E1"), &march, 0x10), CBC_EINVAL, "flags");
  assert_cbc_error(cbc_reward_evaluate(&ds, db, U(db, "E1"), NULL, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_explain_hazard(&ds, db, 12345), CBC_ENOTFOUND, NULL);
  assert_int_equal(award_count(db), 0);
}

/* ----------------------------------------------------------------- fines */

static void test_fines_and_summary(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "a1", at(10, 1), CBC_SEVERITY_MAJOR);
  close_hazard(db, h, CBC_SEVERITY_MAJOR, at(10, 2));
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = E(db, "L1");
  f.amount_fen = 20000;
  f.reason = "隐患失控";
  f.hazard_id = h;
  int64_t p1 = E(db, "P1"), fine;
  now = at(10, 3);
  assert_cbc_ok(cbc_fine_issue(&fine, db, &f, p1));
  cbc_fine_record v = CBC_FINE_RECORD_INIT;
  v.employee_id = E(db, "b1");
  v.amount_fen = 5000;
  v.reason = "三违";
  v.violation = "未戴安全帽";
  assert_cbc_ok(cbc_fine_issue(NULL, db, &v, p1));
  cbc_fine_record bad = f;
  bad.amount_fen = 0;
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "positive");
  bad.amount_fen = -5;
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "positive");
  bad.amount_fen = CBC_MAX_AMOUNT_FEN + 1;
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "at most");
  bad = f;
  bad.violation = "x";
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "exactly one");
  bad = v;
  bad.violation = NULL;
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "exactly one");
  bad = f;
  bad.reason = "";
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_EINVAL, "reason");
  bad = f;
  bad.hazard_id = 777;
  assert_cbc_error(cbc_fine_issue(NULL, db, &bad, p1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_fine_issue(NULL, db, &f, E(db, "a2")), CBC_EPERM, "may not fine");
  assert_cbc_error(cbc_fine_issue(NULL, db, &f, E(db, "K1")), CBC_EPERM, "may not fine");
  cbc_period oct = month(10);
  cbc_reward_summary *s;
  assert_cbc_ok(cbc_reward_summary_get(&s, db, U(db, "E1"), &oct));
  assert_int_equal(s->fines, 2);
  assert_int_equal(s->fined_fen, 25000);
  assert_int_equal(s->n_fines, 2);
  assert_int_equal(s->fine_list[0].id, fine);
  assert_int_equal(s->fine_list[0].hazard_id, h);
  assert_int_equal(s->fine_list[0].unit_id, U(db, "T1"));
  assert_string_equal(s->fine_list[1].violation, "未戴安全帽");
  assert_int_equal(s->awards[0], 1);
  assert_int_equal(s->awards[CBC_AWARD_PROPOSED], 1);
  assert_int_equal(s->awarded_fen, 50000);
  assert_int_equal(s->paid_fen, 0);
  cbc_reward_summary_free(s);
  assert_cbc_ok(cbc_reward_summary_get(&s, db, U(db, "T2"), &oct));
  assert_int_equal(s->fines, 1);
  assert_int_equal(s->awards[0], 0);
  cbc_reward_summary_free(s);
}

/* cbc_award_select() and cbc_fine_list(): by the subtree where the summary
 * counts them, the period, state and subject; bad filters refused. */
static void test_award_and_fine_listings(void **state)
{
  cbc_db *db = *state;
  int64_t h1 = report(db, "a1", at(4, 1), CBC_SEVERITY_MAJOR);            /* in T1 */
  int64_t h2 = report_as(db, "b1", "T2", at(5, 1), CBC_SEVERITY_MAJOR, NULL);
  close_hazard(db, h1, CBC_SEVERITY_MAJOR, at(4, 2));
  close_hazard(db, h2, CBC_SEVERITY_MAJOR, at(5, 2));
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = E(db, "b1");
  f.amount_fen = 5000;
  f.reason = "三违";
  f.violation = "未戴安全帽";
  now = at(5, 3);
  assert_cbc_ok(cbc_fine_issue(NULL, db, &f, E(db, "P1")));
  cbc_award_filter filter;
  assert_cbc_ok(cbc_award_filter_init(&filter, CBC_AWARD_FILTER_VERSION));
  cbc_awards *list;
  assert_cbc_ok(cbc_award_select(&list, db, NULL));
  assert_int_equal(list->count, 2);
  assert_int_equal(list->items[0]->hazard_id, h1);
  assert_int_equal(list->items[0]->unit_id, U(db, "T1")); /* the appended field */
  assert_int_equal(list->items[1]->unit_id, U(db, "T2"));
  cbc_awards_free(list);
  filter.unit_id = U(db, "T2");
  assert_cbc_ok(cbc_award_select(&list, db, &filter));
  assert_int_equal(list->count, 1);
  assert_int_equal(list->items[0]->hazard_id, h2);
  cbc_awards_free(list);
  filter.unit_id = U(db, "E1");
  filter.from = at(5, 1);
  assert_cbc_ok(cbc_award_select(&list, db, &filter));
  assert_int_equal(list->count, 1); /* h1's award was proposed in April */
  cbc_awards_free(list);
  filter.from = 0;
  filter.state = CBC_AWARD_APPROVED;
  assert_cbc_ok(cbc_award_select(&list, db, &filter));
  assert_int_equal(list->count, 0);
  cbc_awards_free(list);
  filter.state = 0;
  filter.subject_kind = CBC_SUBJECT_EMPLOYEE;
  filter.subject_id = E(db, "a1");
  assert_cbc_ok(cbc_award_select(&list, db, &filter));
  assert_int_equal(list->count, 1);
  assert_int_equal(list->items[0]->hazard_id, h1);
  cbc_awards_free(list);
  cbc_award_filter bad = CBC_AWARD_FILTER_INIT;
  bad.unit_id = 9999;
  assert_cbc_error(cbc_award_select(&list, db, &bad), CBC_ENOTFOUND, NULL);
  assert_null(list);
  bad.unit_id = -1;
  assert_cbc_error(cbc_award_select(&list, db, &bad), CBC_EINVAL, "negative");
  bad = (cbc_award_filter)CBC_AWARD_FILTER_INIT;
  bad.version = CBC_AWARD_FILTER_VERSION + 1;
  assert_cbc_error(cbc_award_select(&list, db, &bad), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_award_filter_init(&bad, 0), CBC_EINVAL, NULL);
  bad = (cbc_award_filter)CBC_AWARD_FILTER_INIT;
  bad.from = at(5, 1), bad.to = at(4, 1);
  assert_cbc_error(cbc_award_select(&list, db, &bad), CBC_EINVAL, "range");
  bad.to = 0, bad.state = 5;
  assert_cbc_error(cbc_award_select(&list, db, &bad), CBC_EINVAL, "state");
  assert_cbc_error(cbc_award_select(NULL, db, NULL), CBC_EINVAL, NULL);

  cbc_fine *fines;
  size_t n;
  assert_cbc_ok(cbc_fine_list(&fines, &n, db, 0, 0, 0));
  assert_int_equal(n, 1);
  assert_int_equal(fines[0].unit_id, U(db, "T2"));
  assert_int_equal(fines[0].amount_fen, 5000);
  assert_string_equal(fines[0].violation, "未戴安全帽");
  assert_int_equal(fines[0].issued_at, at(5, 3));
  cbc_fines_free(fines, n);
  assert_cbc_ok(cbc_fine_list(&fines, &n, db, U(db, "T1"), 0, 0));
  assert_int_equal(n, 0);
  assert_null(fines);
  assert_cbc_ok(cbc_fine_list(&fines, &n, db, U(db, "E1"), at(5, 4), 0));
  assert_int_equal(n, 0);
  assert_cbc_ok(cbc_fine_list(&fines, &n, db, U(db, "E1"), at(5, 1), at(6, 1)));
  assert_int_equal(n, 1);
  cbc_fines_free(fines, n);
  assert_cbc_error(cbc_fine_list(&fines, &n, db, 9999, 0, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_fine_list(&fines, &n, db, -3, 0, 0), CBC_EINVAL, "negative");
  assert_cbc_error(cbc_fine_list(&fines, &n, db, 0, at(6, 1), at(5, 1)), CBC_EINVAL, "range");
  assert_cbc_error(cbc_fine_list(&fines, NULL, db, 0, 0, 0), CBC_EINVAL, NULL);
  cbc_fines_free(NULL, 3);
}

/* Under an allocation failure at any point, the listings fail with
 * CBC_ENOMEM and hand out nothing (no leak: valgrind and ASan runs), or
 * list everything. */
static void test_listings_under_allocation_failures(void **state)
{
  (void)state;
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_db *db;
    setup((void **)&db);
    int64_t h = report(db, "a1", at(4, 1), CBC_SEVERITY_MAJOR);
    close_hazard(db, h, CBC_SEVERITY_MAJOR, at(4, 2));
    cbc_fine_record f = CBC_FINE_RECORD_INIT;
    f.employee_id = E(db, "b1");
    f.amount_fen = 5000;
    f.reason = "三违";
    f.violation = "未戴安全帽";
    assert_cbc_ok(cbc_fine_issue(NULL, db, &f, E(db, "P1")));
    cbc_award_filter filter = CBC_AWARD_FILTER_INIT;
    filter.unit_id = U(db, "E1");
    cbc_awards *list = NULL;
    cbc_fine *fines = NULL;
    size_t count = 99;
    cbc_test_fail_after(n);
    int rc_awards = cbc_award_select(&list, db, &filter);
    int rc_fines = cbc_fine_list(&fines, &count, db, filter.unit_id, 0, 0);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc_awards) {
      assert_int_equal(rc_awards, CBC_ENOMEM);
      assert_null(list);
    } else {
      assert_int_equal(list->count, 1);
    }
    if (rc_fines) {
      assert_int_equal(rc_fines, CBC_ENOMEM);
      assert_null(fines);
      assert_int_equal(count, 0);
    } else {
      assert_int_equal(count, 1);
      assert_string_equal(fines[0].violation, "未戴安全帽");
    }
    cbc_awards_free(list);
    cbc_fines_free(fines, count);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc_awards);
      assert_cbc_ok(rc_fines);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride > 10);
}

/* One run of the scenario below with its n-th allocation failing (0: none)
 * from the closure on; whether the failure happened in @p failed.  Its
 * allocations from the closure on. */
static long apply_whole_at(long n, int *failed)
{
  cbc_period year = { CBC_PERIOD_YEAR, 2025, 0, 0, 0 };
  cbc_test_alloc_install(1);
  cbc_db *db;
  setup((void **)&db);
  collective_year(db);
  int64_t h = report(db, "a1", at(6, 1), CBC_SEVERITY_MAJOR);
  registered(db, h, CBC_SEVERITY_MAJOR, at(6, 2));
  assert_cbc_ok(cbc_hazard_start(db, h, E(db, "P1")));
  assert_cbc_ok(cbc_hazard_submit(db, h, E(db, "P1"), "已整改", NULL, 0));
  int64_t s1 = E(db, "S1"), u = U(db, "CITY");
  now = cbc_test_date(2026, 1, 10);
  cbc_reward_decisions *ds = NULL;
  long before = cbc_test_alloc_count();
  cbc_test_fail_after(n);
  int closed_rc = cbc_hazard_verify(db, h, s1, 1, NULL, NULL, 0);
  int rc = cbc_reward_evaluate(&ds, db, u, &year, 0);
  long allocations = cbc_test_alloc_count() - before;
  *failed = cbc_test_alloc_failed();
  cbc_test_fail_after(0);
  size_t eligible = 0;
  for (size_t i = 0; ds && i < ds->count; i++)
    eligible += ds->decisions[i].eligible && ds->decisions[i].hazard_id == 0;
  cbc_reward_decisions_free(ds);
  cbc_hazard *hz;
  assert_cbc_ok(cbc_hazard_lookup(&hz, db, h));
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, 0, 0));
  size_t of_hazard = 0, of_period = 0;
  for (size_t i = 0; i < list->count; i++) {
    of_hazard += list->items[i]->hazard_id == h;
    of_period += strncmp(list->items[i]->cause, "period:", 7) == 0;
  }
  assert_int_equal(of_hazard, hz->state == CBC_HAZARD_CLOSED);
  assert_int_equal(closed_rc == 0, hz->state == CBC_HAZARD_CLOSED);
  assert_int_equal(of_period, rc ? 0 : eligible); /* T1's Worker Pioneer, and the medal when closed */
  cbc_hazard_free(hz);
  cbc_awards_free(list);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  if (!*failed) {
    assert_cbc_ok(closed_rc);
    assert_cbc_ok(rc);
  }
  return allocations;
}

/* Under an allocation failure at any point, a closure and an evaluation
 * apply whole or not at all: a closed hazard has its award and an open one
 * none; a failed evaluation leaves no period award (they fit one batch:
 * tests/test_reward_scale.c fails larger ones midway), a finished one
 * exactly its eligible decisions'.  Each point sets the scenario up anew, so the
 * points are spread (cbc_test_sweep_stride()). */
static void test_allocation_failures_apply_whole(void **state)
{
  (void)state;
  int failed;
  long total = apply_whole_at(0, &failed), points = 0;
  long stride = cbc_test_sweep_stride(total);
  for (long n = 1;; n += stride) {
    apply_whole_at(n, &failed);
    if (!failed)
      break;
    points++;
  }
  print_message("%ld allocations; %ld failure points (every %ld-th)\n", total, points, stride);
  assert_true(points * stride > 50);
}

/* The step-6 migration from a version-5 file adds the reward tables. */
static void test_migration_from_v5(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v5.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 CBC_TEST_UNDO_V7
                                     "DROP TABLE policies; DROP TABLE awards; DROP TABLE fines;"
                                     "DROP INDEX hazards_duplicate; PRAGMA user_version=5",
                                NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  char *doc;
  assert_cbc_ok(cbc_policy_get(&doc, NULL, db, 0));
  cbc_free(doc);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_policy_versions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_policy_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_major_hazard_award_once, setup, teardown),
    cmocka_unit_test_setup_teardown(test_decisions_follow_the_awards_policy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_first_valid_reporter, setup, teardown),
    cmocka_unit_test_setup_teardown(test_general_hazard_pays_nothing_by_default, setup, teardown),
    cmocka_unit_test_setup_teardown(test_responsible_reporter, setup, teardown),
    cmocka_unit_test_setup_teardown(test_first_valid_report_decides_the_rule, setup, teardown),
    cmocka_unit_test_setup_teardown(test_late_duplicate_earns_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_early_duplicate_competes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_no_reward_redirected_across_enterprises, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_anonymous_tip_paid_by_key, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reopen_flags_for_review, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ledger_moves, setup, teardown),
    cmocka_unit_test_setup_teardown(test_proposals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_worker_pioneer, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ankang_cup, setup, teardown),
    cmocka_unit_test_setup_teardown(test_evaluation_is_deterministic, setup, teardown),
    cmocka_unit_test_setup_teardown(test_evaluate_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_fines_and_summary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_award_and_fine_listings, setup, teardown),
    cmocka_unit_test(test_listings_under_allocation_failures),
    cmocka_unit_test(test_migration_from_v5),
    cmocka_unit_test(test_allocation_failures_apply_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
