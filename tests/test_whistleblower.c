/* The whistle-blower reward as the national rule (安全生产领域举报奖励办法,
 * 安监总财〔2018〕19号; docs/rewards.md): the preset, a share of the
 * administrative penalty computed by hand, the award made when the penalty
 * arrives after the closure or at a closure after it, the first valid
 * report only, major hazards only, the anonymous reporter's claim by key,
 * and who may record a penalty.  Runs on either engine (CBC_TEST_ENGINE). */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static int64_t now;
static const int64_t HOUR = 3600;

static const cbc_unit_record units[] = {
  { 1, "CITY", NULL, CBC_UNIT_REGION, "济南市", NULL, 0 },
  { 1, "E1", "CITY", CBC_UNIT_ENTERPRISE, "钢厂", NULL, 1 },
  { 1, "T1", "E1", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "T2", "E1", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "OTHER", NULL, CBC_UNIT_REGION, "淄博市", NULL, 0 },
  { 1, "E2", "OTHER", CBC_UNIT_ENTERPRISE, "化工厂", NULL, 1 },
  { 1, "T3", "E2", CBC_UNIT_TEAM, "丙班", NULL, 0 },
};

static const cbc_employee_record people[] = {
  { 1, "a1", "a1", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "a2", "a2", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L1", "L1", NULL, "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "P1", "P1", NULL, "T2", CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "S1", "S1", NULL, "T2", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 },
  { 1, "I1", "I1", NULL, "CITY", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
  { 1, "I2", "I2", NULL, "OTHER", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
};

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }
static int64_t at(int month, int day) { return cbc_test_date(2026, month, day) + 9 * HOUR; }

#define YUAN 100 /* fen */

/* An org, and the preset set by the union. */
static cbc_db *fixture(bool preset)
{
  now = at(1, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, sizeof(units) / sizeof(units[0]), people,
                             sizeof(people) / sizeof(people[0]), NULL));
  cbc_sync_result_free(res);
  char *doc = NULL;
  assert_cbc_ok(cbc_policy_preset(&doc, "whistleblower_2018"));
  if (preset)
    assert_cbc_ok(cbc_policy_set(NULL, db, doc, E(db, "K1")));
  cbc_free(doc);
  return db;
}

/* A hotline tip-off (anonymous when @p who is NULL, its key in *key). */
static int64_t tip(cbc_db *db, const char *who, int64_t when, cbc_severity severity, char **key)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = who ? E(db, who) : 0;
  r.unit_id = U(db, "T1");
  r.title = "违规动火";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_HOTLINE;
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

static void registered(cbc_db *db, int64_t id, cbc_severity severity)
{
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = severity;
  g.level = severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.deadline = now + 20 * 24 * HOUR;
  g.contingency_plan = "警示";
  g.plan = severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
  now += HOUR;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, severity == CBC_SEVERITY_MAJOR ? "P1" : "L1"),
                                    &g));
}

/* Rectify and verify a registered hazard. */
static void closed(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  int64_t responsible = h->responsible_id;
  cbc_hazard_free(h);
  assert_cbc_ok(cbc_hazard_start(db, id, responsible));
  now += HOUR;
  assert_cbc_ok(cbc_hazard_submit(db, id, responsible, "已整改", NULL, 0));
  now += HOUR;
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, responsible == E(db, "P1") ? "S1" : "P1"), 1,
                                  NULL, NULL, 0));
}

static void penalty(cbc_db *db, int64_t id, int64_t fen)
{
  now += HOUR;
  assert_cbc_ok(cbc_hazard_record_penalty(db, id, E(db, "I1"), fen, "济应急罚〔2026〕1号"));
}

static int64_t awards(cbc_db *db) { return cbc_test_sql_int(db, "SELECT count(*) FROM awards"); }

/* The award of hazard @p id's discovery, or NULL. */
static cbc_award *award_of(cbc_db *db, int64_t id)
{
  char sql[128];
  snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM awards WHERE hazard_id = %lld",
           (long long)id);
  int64_t award = cbc_test_sql_int(db, sql);
  cbc_award *a = NULL;
  if (award)
    assert_cbc_ok(cbc_award_lookup(&a, db, award));
  return a;
}

/* ------------------------------------------------------------- preset */

static void test_preset(void **state)
{
  (void)state;
  char *doc = NULL, *defaults = NULL, *stored = NULL;
  assert_cbc_ok(cbc_policy_preset(&doc, "whistleblower_2018"));
  assert_non_null(strstr(doc, "\"percent_of_fine\": 15"));
  assert_non_null(strstr(doc, "\"min_fen\": 300000"));
  assert_non_null(strstr(doc, "\"max_fen\": 30000000"));
  assert_non_null(strstr(doc, "\"major_only\": true"));
  assert_cbc_ok(cbc_policy_defaults(&defaults));
  assert_non_null(strstr(defaults, "\"percent_of_fine\": 0"));
  assert_non_null(strstr(defaults, "\"major_only\": false"));
  assert_int_equal(strlen(doc) > 0, 1);
  cbc_db *db = fixture(true);
  assert_cbc_ok(cbc_policy_get(&stored, NULL, db, 0));
  assert_string_equal(stored, doc); /* canonical: it is what is stored */
  char *none = (char *)"x";
  assert_cbc_error(cbc_policy_preset(&none, "no_such"), CBC_ENOTFOUND, "whistleblower_2018");
  assert_null(none);
  assert_cbc_error(cbc_policy_preset(&none, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_policy_preset(NULL, "whistleblower_2018"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_policy_set(NULL, db, "{\"rules\": {\"hotline_tip\": {\"percent_of_fine\":"
                                            " 101}}}", E(db, "K1")), CBC_EINVAL,
                   "hotline_tip.percent_of_fine");
  assert_cbc_error(cbc_policy_set(NULL, db, "{\"rules\": {\"hotline_tip\": {\"min_fen\": -1}}}",
                                  E(db, "K1")), CBC_EINVAL, "hotline_tip.min_fen");
  cbc_free(doc);
  cbc_free(defaults);
  cbc_free(stored);
  cbc_db_close(db);
}

/* -------------------------------------------------------------- share */

/* 15 % of the penalty, at least 3,000 and at most 300,000 yuan, by hand. */
static void test_share_by_hand(void **state)
{
  (void)state;
  static const struct {
    int64_t fine, award;
  } cases[] = {
    { 10000 * YUAN, 3000 * YUAN },     /* 1,500 is below the least */
    { 20000 * YUAN, 3000 * YUAN },     /* exactly 3,000 */
    { 500000 * YUAN, 75000 * YUAN },   /* 15 % */
    { 2000000 * YUAN, 300000 * YUAN }, /* exactly the most */
    { 3000000 * YUAN, 300000 * YUAN }, /* 450,000 is above it */
  };
  cbc_db *db = fixture(true);
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int64_t h = tip(db, "a1", at(2, 1 + (int)i), CBC_SEVERITY_MAJOR, NULL);
    registered(db, h, CBC_SEVERITY_MAJOR);
    closed(db, h);
    penalty(db, h, cases[i].fine);
    cbc_award *a = award_of(db, h);
    assert_non_null(a);
    assert_int_equal(a->rule, CBC_RULE_HOTLINE_TIP);
    assert_int_equal(a->amount_fen, cases[i].award);
    assert_int_equal(a->subject_id, E(db, "a1"));
    cbc_award_free(a);
  }
  /* rounded to the fen: 15 % of 333 fen is 49.95 */
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"hotline_tip\": {\"amount_fen\": 0,"
                                         " \"percent_of_fine\": 15}}}", E(db, "K1")));
  int64_t h = tip(db, "a2", at(3, 1), CBC_SEVERITY_GENERAL, NULL);
  registered(db, h, CBC_SEVERITY_GENERAL);
  closed(db, h);
  penalty(db, h, 333);
  cbc_award *a = award_of(db, h);
  assert_non_null(a);
  assert_int_equal(a->amount_fen, 50);
  cbc_award_free(a);
  cbc_db_close(db);
}

/* ------------------------------------------------------------- timing */

/* Closed before the penalty: no award, and the explanation says it waits;
 * the penalty makes it, once; the anonymous reporter finds it by key. */
static void test_penalty_after_closure(void **state)
{
  (void)state;
  cbc_db *db = fixture(true);
  char *key = NULL;
  int64_t h = tip(db, NULL, at(4, 1), CBC_SEVERITY_MAJOR, &key);
  registered(db, h, CBC_SEVERITY_MAJOR);
  closed(db, h);
  assert_int_equal(awards(db), 0);
  cbc_reward_decisions *ds = NULL;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, h));
  assert_int_equal(ds->count, 1);
  assert_false(ds->decisions[0].eligible);
  assert_non_null(strstr(ds->decisions[0].reasons, "administrative penalty, which is not recorded"));
  cbc_reward_decisions_free(ds);
  cbc_period april = { CBC_PERIOD_MONTH, 2026, 4, 0, 0 };
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &april, 0));
  cbc_reward_decisions_free(ds);
  assert_int_equal(awards(db), 0); /* the evaluation waits too */

  penalty(db, h, 1000000 * YUAN);
  cbc_award *a = NULL;
  assert_cbc_ok(cbc_award_by_key(&a, db, key));
  assert_int_equal(a->subject_kind, CBC_SUBJECT_ANONYMOUS);
  assert_int_equal(a->amount_fen, 150000 * YUAN);
  assert_int_equal(a->proposed_at, now);
  cbc_award_free(a);
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, h));
  assert_true(ds->decisions[0].eligible);
  assert_non_null(strstr(ds->decisions[0].reasons, "15% of the penalty of 100000000 fen"));
  cbc_reward_decisions_free(ds);
  assert_cbc_error(cbc_hazard_record_penalty(db, h, E(db, "I1"), 5, "二次"), CBC_ESTATE,
                   "already has its penalty");
  /* someone else learns nothing of it: refused for who they are */
  assert_cbc_error(cbc_hazard_record_penalty(db, h, E(db, "P1"), 5, "二次"), CBC_EPERM,
                   "bureau inspector");
  assert_int_equal(awards(db), 1);
  cbc_hazard_penalty *p = NULL;
  assert_cbc_ok(cbc_hazard_penalty_get(&p, db, h));
  assert_int_equal(p->amount_fen, 1000000 * YUAN);
  assert_string_equal(p->document, "济应急罚〔2026〕1号");
  assert_int_equal(p->recorded_by, E(db, "I1"));
  assert_int_equal(p->recorded_at, now);
  cbc_hazard_penalty_free(p);
  cbc_free(key);
  cbc_db_close(db);
}

/* A penalty recorded before the closure: the closure makes the award. */
static void test_penalty_before_closure(void **state)
{
  (void)state;
  cbc_db *db = fixture(true);
  int64_t h = tip(db, "a1", at(5, 1), CBC_SEVERITY_MAJOR, NULL);
  registered(db, h, CBC_SEVERITY_MAJOR);
  penalty(db, h, 100000 * YUAN);
  assert_int_equal(awards(db), 0);
  closed(db, h);
  cbc_award *a = award_of(db, h);
  assert_non_null(a);
  assert_int_equal(a->amount_fen, 15000 * YUAN);
  cbc_award_free(a);
  cbc_db_close(db);
}

/* ------------------------------------------------------------ who earns */

/* Only the first valid report earns; a general hazard earns nothing under
 * the preset; without it, the flat amount and no share. */
static void test_first_valid_and_major_only(void **state)
{
  (void)state;
  cbc_db *db = fixture(true);
  int64_t first = tip(db, "a1", at(6, 1), CBC_SEVERITY_MAJOR, NULL);
  int64_t later = tip(db, "a2", at(6, 2), CBC_SEVERITY_MAJOR, NULL);
  now += HOUR;
  assert_cbc_ok(cbc_hazard_reject(db, later, E(db, "P1"), "重复举报", first));
  registered(db, first, CBC_SEVERITY_MAJOR);
  closed(db, first);
  penalty(db, first, 400000 * YUAN);
  cbc_reward_decisions *ds = NULL;
  assert_cbc_ok(cbc_reward_explain_hazard(&ds, db, first));
  assert_int_equal(ds->count, 2);
  assert_true(ds->decisions[0].eligible);
  assert_int_equal(ds->decisions[0].subject_id, E(db, "a1"));
  assert_int_equal(ds->decisions[0].amount_fen, 60000 * YUAN);
  assert_false(ds->decisions[1].eligible);
  assert_int_equal(ds->decisions[1].amount_fen, 0);
  assert_non_null(strstr(ds->decisions[1].reasons, "only the first valid reporter"));
  cbc_reward_decisions_free(ds);
  assert_int_equal(awards(db), 1);

  int64_t general = tip(db, "a2", at(7, 1), CBC_SEVERITY_GENERAL, NULL);
  registered(db, general, CBC_SEVERITY_GENERAL);
  closed(db, general);
  penalty(db, general, 400000 * YUAN);
  assert_int_equal(awards(db), 1); /* major hazards only */
  cbc_db_close(db);

  db = fixture(false); /* the defaults: the flat amount, the penalty aside */
  int64_t h = tip(db, "a1", at(8, 1), CBC_SEVERITY_MAJOR, NULL);
  registered(db, h, CBC_SEVERITY_MAJOR);
  penalty(db, h, 400000 * YUAN);
  closed(db, h);
  cbc_award *a = award_of(db, h);
  assert_non_null(a);
  assert_int_equal(a->amount_fen, 20000);
  cbc_award_free(a);
  cbc_db_close(db);
}

/* -------------------------------------------------------- who records */

static void refused(cbc_db *db, int64_t h, const char *who, int64_t fen, const char *doc,
                    int code, const char *needle)
{
  int64_t before = cbc_test_sql_int(db, "SELECT count(*) FROM penalties");
  int64_t actor = who ? E(db, who) : 999999;
  assert_cbc_error(cbc_hazard_record_penalty(db, h, actor, fen, doc), code, needle);
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM penalties"), before);
}

/* The question front ends ask: the answer of the recording's own checks. */
static int may(cbc_db *db, int64_t h, const char *who)
{
  int yes = -1;
  assert_cbc_ok(cbc_hazard_may_record_penalty(&yes, db, h, E(db, who)));
  return yes;
}

static void test_who_records_a_penalty(void **state)
{
  (void)state;
  cbc_db *db = fixture(true);
  int64_t h = tip(db, "a1", at(9, 1), CBC_SEVERITY_MAJOR, NULL);
  const char *doc = "罚字1号";
  assert_int_equal(may(db, h, "I1"), 0); /* not registered yet */
  refused(db, h, "I1", 100, doc, CBC_ESTATE, "not registered");
  registered(db, h, CBC_SEVERITY_MAJOR);
  assert_int_equal(may(db, h, "I1"), 1);
  assert_int_equal(may(db, h, "I2"), 0);
  assert_int_equal(may(db, h, "P1"), 0);
  int yes = 5;
  assert_cbc_error(cbc_hazard_may_record_penalty(&yes, db, h + 100, E(db, "I1")),
                   CBC_ENOTFOUND, NULL);
  assert_int_equal(yes, 0);
  assert_cbc_error(cbc_hazard_may_record_penalty(&yes, db, h, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_may_record_penalty(NULL, db, h, 1), CBC_EINVAL, NULL);
  refused(db, h, "P1", 100, doc, CBC_EPERM, "bureau inspector");
  refused(db, h, "K1", 100, doc, CBC_EPERM, "bureau inspector");
  refused(db, h, "I2", 100, doc, CBC_EPERM, "over the hazard's unit"); /* another city */
  refused(db, h, NULL, 100, doc, CBC_ENOTFOUND, NULL);
  refused(db, h, "I1", 0, doc, CBC_EINVAL, "1..");
  refused(db, h, "I1", -5, doc, CBC_EINVAL, "1..");
  refused(db, h, "I1", CBC_MAX_AMOUNT_FEN + 1, doc, CBC_EINVAL, "1..");
  refused(db, h, "I1", 100, "", CBC_EINVAL, "document");
  refused(db, h, "I1", 100, NULL, CBC_EINVAL, "document");
  refused(db, h, "I1", 100, "两行\n文号", CBC_EINVAL, "document");
  refused(db, h + 100, "I1", 100, doc, CBC_ENOTFOUND, NULL);
  int64_t dup = tip(db, "a2", at(9, 2), CBC_SEVERITY_MAJOR, NULL);
  now += HOUR;
  assert_cbc_ok(cbc_hazard_reject(db, dup, E(db, "P1"), "重复", h));
  refused(db, dup, "I1", 100, doc, CBC_ESTATE, "rejected");
  cbc_hazard_penalty *p = NULL;
  assert_cbc_error(cbc_hazard_penalty_get(&p, db, h), CBC_ENOTFOUND, "no penalty");
  assert_cbc_error(cbc_hazard_penalty_get(&p, db, h + 100), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_hazard_penalty_get(NULL, db, h), CBC_EINVAL, NULL);
  assert_null(p);
  assert_cbc_ok(cbc_hazard_record_penalty(db, h, E(db, "I1"), 100, doc));
  assert_int_equal(may(db, h, "I1"), 0); /* recorded once */
  cbc_history_verdict *v = NULL; /* chained like every record */
  assert_cbc_ok(cbc_history_verify(&v, db, NULL, 0));
  assert_int_equal(v->fault, CBC_HISTORY_SOUND);
  cbc_history_verdict_free(v);
  cbc_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_preset),
    cmocka_unit_test(test_share_by_hand),
    cmocka_unit_test(test_penalty_after_closure),
    cmocka_unit_test(test_penalty_before_closure),
    cmocka_unit_test(test_first_valid_and_major_only),
    cmocka_unit_test(test_who_records_a_penalty),
  };
  return cmocka_run_group_tests_name("whistleblower", tests, NULL, NULL);
}
