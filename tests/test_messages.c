/* Messages name people and units as users know them: by the HR system's
 * external id and name (docs/integration.md), never by the internal row id.
 * Hazards, awards and activities keep their numeric ids. */
#include "helpers.h"
#include "internal.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int setup(void **state)
{
  now = cbc_test_date(2024, 6, 1);
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
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* Whether @p msg holds @p id as a number of its own (not the digits of an
 * external id such as "T1"). */
static bool holds_number(const char *msg, int64_t id)
{
  for (const char *p = msg; *p; p++) {
    if (!isdigit((unsigned char)*p) || (p > msg && isalnum((unsigned char)p[-1])))
      continue;
    char *end;
    if (strtoll(p, &end, 10) == id)
      return true;
    p = end - 1;
  }
  return false;
}

/* The last error, @p code, names each of @p refs ("employee A1 (Wang Fang)")
 * and none of the internal @p ids (0-terminated). */
static void assert_named(int rc, int code, const char *const *refs, const int64_t *ids)
{
  const char *msg = cbc_error_last()->message;
  print_message("%s\n", msg);
  assert_int_equal(rc, code);
  for (; *refs; refs++)
    if (!strstr(msg, *refs))
      fail_msg("\"%s\" does not name %s", msg, *refs);
  for (; *ids; ids++)
    if (holds_number(msg, *ids))
      fail_msg("\"%s\" names internal id %lld", msg, (long long)*ids);
}

#define NAMED(rc, code, ...) \
  assert_named((rc), (code), (const char *const[]){ __VA_ARGS__, NULL }, ids)

static int64_t report(cbc_db *db, const char *reporter, int64_t unit_id, int64_t *out_id)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, reporter);
  r.unit_id = unit_id;
  r.title = "防护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return cbc_hazard_report(out_id, NULL, db, &r);
}

static cbc_hazard_registration team_registration(void)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = CBC_SEVERITY_GENERAL;
  r.level = CBC_LEVEL_TEAM;
  r.measures = "紧固护栏螺栓";
  r.deadline = now + 7 * DAY;
  r.contingency_plan = "设置警示带";
  return r;
}

/* An inactive actor: the refusal names who was refused. */
static void test_inactive_actor(void **state)
{
  cbc_db *db = *state;
  int64_t hazard, s1 = E(db, "S1");
  assert_cbc_ok(report(db, "A1", U(db, "T1"), &hazard));
  assert_cbc_ok(cbc_employee_deactivate(db, s1, now));
  cbc_hazard_registration r = team_registration();
  int64_t ids[] = { s1, 0 };
  NAMED(cbc_hazard_register(db, hazard, s1, &r), CBC_EPERM,
        "employee S1 (Zhou Qiang): not allowed: inactive employees cannot act");
}

static void test_closed_unit(void **state)
{
  cbc_db *db = *state;
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  u.external_id = "T4";
  u.parent_external_id = "W1";
  u.kind = CBC_UNIT_TEAM;
  u.name = "丁班";
  int64_t t4, hazard;
  assert_cbc_ok(cbc_unit_upsert(&t4, db, &u));
  assert_cbc_ok(cbc_unit_close(db, t4));
  int64_t ids[] = { t4, 0 };
  NAMED(report(db, "A1", t4, &hazard), CBC_ESTATE, "unit T4 (丁班) is closed");
}

static void test_attendee_outside_the_unit(void **state)
{
  cbc_db *db = *state;
  cbc_attendee outside[] = { { E(db, "B1"), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = U(db, "T1");
  r.held_at = now - DAY;
  r.minutes = 90;
  r.title = "岗位安全操作规程";
  r.attendees = outside;
  r.n_attendees = 1;
  int64_t ids[] = { outside[0].employee_id, r.unit_id, 0 };
  NAMED(cbc_training_add(NULL, db, &r), CBC_EINVAL, "attendee B1 (Chen Jing) is not in",
        "unit T1 (Shift A)");
}

static void test_cadre_already_assigned(void **state)
{
  cbc_db *db = *state;
  int64_t c1 = E(db, "C1"), e1 = U(db, "E1"), start = cbc_test_date(2024, 1, 1);
  assert_cbc_ok(cbc_cadre_assign(NULL, db, c1, e1, start, 0));
  int64_t ids[] = { c1, e1, 0 };
  NAMED(cbc_cadre_assign(NULL, db, c1, e1, start + 30 * DAY, 0), CBC_ECONFLICT,
        "cadre C1 (Zheng Li) is already assigned to unit E1 (Steelworks)");
}

/* A team leader of another enterprise may not register this one's hazard. */
static void test_actor_of_another_enterprise(void **state)
{
  cbc_db *db = *state;
  int64_t hazard, xl = E(db, "XL");
  assert_cbc_ok(report(db, "A1", U(db, "T1"), &hazard));
  cbc_hazard_registration r = team_registration();
  int64_t ids[] = { xl, 0 };
  NAMED(cbc_hazard_register(db, hazard, xl, &r), CBC_EPERM,
        "employee XL (Feng Tao): not allowed");
}

static void test_fine_by_a_non_principal(void **state)
{
  cbc_db *db = *state;
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = E(db, "B1");
  f.amount_fen = 5000;
  f.reason = "三违";
  f.violation = "未戴安全帽";
  int64_t a2 = E(db, "A2");
  int64_t ids[] = { a2, 0 };
  NAMED(cbc_fine_issue(NULL, db, &f, a2), CBC_EPERM, "employee A2 (Zhang Wei) may not fine");
}

/* More of them: a cadre rule, a proposal decider, a leader class, a drill
 * team, a hazard's reporter. */
static void test_other_refusals(void **state)
{
  cbc_db *db = *state;
  int64_t a1 = E(db, "A1"), t1 = U(db, "T1"), t3 = U(db, "T3"), w1 = U(db, "W1");
  int64_t ids[] = { a1, t1, t3, w1, 0 };
  NAMED(cbc_cadre_assign(NULL, db, a1, U(db, "E1"), cbc_test_date(2024, 1, 1), 0), CBC_EINVAL,
        "employee A1 (Wang Fang) is not a union cadre");
  NAMED(cbc_policy_set(NULL, db, "{}", a1), CBC_EPERM,
        "employee A1 (Wang Fang) is not an active union cadre");
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  int64_t teams[] = { t3 };
  d.unit_id = w1;
  d.held_at = now - DAY;
  d.scenario = "火灾疏散";
  d.team_ids = teams;
  d.n_teams = 1;
  NAMED(cbc_drill_add(NULL, db, &d), CBC_EINVAL,
        "team T3 (Office) is not under unit W1 (Rolling mill)");
  int64_t hazard;
  assert_cbc_ok(report(db, "L1", t1, &hazard));
  cbc_hazard_answer *answer = NULL;
  NAMED(cbc_hazard_answer_for(&answer, db, hazard, a1), CBC_EPERM,
        "was not reported by employee A1 (Wang Fang)");
  assert_null(answer);
}

/* Deciding a proposal: someone gone, and someone without the role. */
static void test_proposal_deciders(void **state)
{
  cbc_db *db = *state;
  cbc_proposal_record r = CBC_PROPOSAL_RECORD_INIT;
  r.proposer_id = E(db, "A1");
  r.title = "轧辊加装防护罩";
  r.text = "在二号轧机入口加装可拆卸防护罩";
  int64_t proposal, p1 = E(db, "P1"), a2 = E(db, "A2");
  assert_cbc_ok(cbc_proposal_submit(&proposal, db, &r));
  assert_cbc_ok(cbc_employee_deactivate(db, p1, now));
  int64_t ids[] = { p1, a2, 0 };
  NAMED(cbc_proposal_decide(db, proposal, p1, 1, NULL), CBC_EPERM,
        "employee P1 (Sun Hua) is not active");
  NAMED(cbc_proposal_decide(db, proposal, a2, 1, NULL), CBC_EPERM,
        "employee A2 (Zhang Wei) may not decide this proposal");
}

/* The fallback: an unknown id, and the error being reported kept. */
static void test_unknown_id_and_long_name(void **state)
{
  cbc_db *db = *state;
  char ref[CBC__REF_SIZE];
  cbc__error(CBC_EPERM, "the error being reported");
  cbc__describe_employee(db, "employee", 4242, ref);
  assert_string_equal(ref, "employee #4242");
  cbc__describe_unit(db, "drill team", 4243, ref);
  assert_string_equal(ref, "drill team #4243");
  cbc__describe_unit(NULL, "unit", 7, ref);
  assert_string_equal(ref, "unit #7");
  assert_int_equal(cbc_error_last()->code, CBC_EPERM);
  assert_string_equal(cbc_error_last()->message, "the error being reported");

  /* a long name is cut on a character boundary */
  char name[CBC_MAX_NAME + 1] = "";
  for (int i = 0; i < CBC_MAX_NAME / 3; i++)
    strcat(name, "甲");
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  u.external_id = "T5";
  u.parent_external_id = "W1";
  u.kind = CBC_UNIT_TEAM;
  u.name = name;
  int64_t t5;
  assert_cbc_ok(cbc_unit_upsert(&t5, db, &u));
  cbc__describe_unit(db, "unit", t5, ref);
  assert_true(strncmp(ref, "unit T5 (甲甲", strlen("unit T5 (甲甲")) == 0);
  assert_true(cbc__utf8_valid(ref, strlen(ref)));
  size_t len = strlen(ref);
  assert_true(len > 4 && strcmp(ref + len - 4, "…)") == 0);
}

/* Under an allocation failure at any point, a refusal stays a refusal
 * (CBC_EPERM, naming the actor, or "employee #id" when the lookup itself
 * failed) or the call fails with CBC_ENOMEM; no leak. */
static void test_refusal_under_allocation_failures(void **state)
{
  (void)state;
  long points = 0, fallbacks = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_db *db;
    setup((void **)&db);
    cbc_fine_record f = CBC_FINE_RECORD_INIT;
    f.employee_id = E(db, "B1");
    f.amount_fen = 5000;
    f.reason = "三违";
    f.violation = "未戴安全帽";
    int64_t a2 = E(db, "A2");
    char fallback[32];
    snprintf(fallback, sizeof(fallback), "employee #%lld may not fine", (long long)a2);
    cbc_test_fail_after(n);
    int rc = cbc_fine_issue(NULL, db, &f, a2);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    const char *msg = cbc_error_last()->message;
    if (rc == CBC_EPERM && strstr(msg, fallback))
      fallbacks++;
    else if (rc == CBC_EPERM)
      assert_non_null(strstr(msg, "employee A2 (Zhang Wei) may not fine"));
    else
      assert_int_equal(rc, CBC_ENOMEM);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed)
      break;
    points++;
  }
  print_message("%ld allocation failure points, %ld fell back to the id\n", points, fallbacks);
  assert_true(points * stride > 10);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_inactive_actor, setup, teardown),
    cmocka_unit_test_setup_teardown(test_closed_unit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_attendee_outside_the_unit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cadre_already_assigned, setup, teardown),
    cmocka_unit_test_setup_teardown(test_actor_of_another_enterprise, setup, teardown),
    cmocka_unit_test_setup_teardown(test_fine_by_a_non_principal, setup, teardown),
    cmocka_unit_test_setup_teardown(test_other_refusals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_proposal_deciders, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_id_and_long_name, setup, teardown),
    cmocka_unit_test(test_refusal_under_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
