/* The hazard state machine table, its DOT rendering, and the authorization
 * rules (docs/domain.md §3, docs/authorization.md): every cell is checked against
 * tables written here from the documents, not from the code. */
#include "helpers.h"
#include "fsm.h"
#include <stdio.h>
#include <string.h>

enum { X = -1, SAME = 0 }; /* X: illegal; SAME: the state does not change */
#define R CBC_HAZARD_REPORTED
#define G CBC_HAZARD_REGISTERED
#define F CBC_HAZARD_RECTIFYING
#define P CBC_HAZARD_PENDING_VERIFICATION
#define C CBC_HAZARD_CLOSED
#define J CBC_HAZARD_REJECTED

/* expected[state][action]: rows are (none), REPORTED .. REJECTED; columns are
 * REPORT .. AMEND (docs/domain.md §3 diagram and cbc/hazard.h). */
static const int expected[7][16] = {
  /*         -  REP REJ REG STA ESC LIST REQ DEC SUB VPASS VFAIL REOP OVD PLAN AMEND */
  /* none */ { X, R, X, X, X, X, X, X, X, X, X, X, X, X, X, X },
  /* R    */ { X, X, J, G, X, X, X, X, X, X, X, X, X, X, X, X },
  /* G    */ { X, X, X, X, F, SAME, SAME, SAME, SAME, X, X, X, X, SAME, SAME, SAME },
  /* F    */ { X, X, X, X, X, SAME, SAME, SAME, SAME, P, X, X, X, SAME, SAME, SAME },
  /* P    */ { X, X, X, X, X, X, SAME, X, X, X, C, F, X, X, X, SAME },
  /* C    */ { X, X, X, X, X, X, X, X, X, X, X, X, F, X, X, X },
  /* J    */ { X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X },
};

static void test_every_cell(void **state)
{
  (void)state;
  for (int s = 0; s <= CBC_HAZARD_REJECTED; s++) {
    for (int a = CBC_ACTION_REPORT; a <= CBC_ACTION_AMEND; a++) {
      cbc_hazard_state to = (cbc_hazard_state)99;
      int rc = cbc_hazard_transition(&to, (cbc_hazard_state)s, (cbc_hazard_action)a);
      int want = expected[s][a];
      if (want == X) {
        assert_int_equal(rc, CBC_ESTATE);
        /* the message names the action, and the state when there is one */
        assert_non_null(strstr(cbc_error_last()->message, cbc_hazard_action_name(a)));
        if (s)
          assert_non_null(strstr(cbc_error_last()->message, cbc_hazard_state_name(s)));
      } else {
        if (rc)
          fail_msg("state %d action %s: %s", s, cbc_hazard_action_name(a),
                   cbc_error_last()->message);
        assert_int_equal(to, want == SAME ? s : want);
      }
    }
  }
}

static void test_bad_arguments(void **state)
{
  (void)state;
  cbc_hazard_state to;
  assert_cbc_error(cbc_hazard_transition(NULL, CBC_HAZARD_REPORTED, CBC_ACTION_REJECT),
                   CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_transition(&to, CBC_HAZARD_REPORTED, (cbc_hazard_action)0),
                   CBC_EINVAL, "unknown hazard action");
  assert_cbc_error(cbc_hazard_transition(&to, CBC_HAZARD_REPORTED,
                                         (cbc_hazard_action)(CBC_ACTION_AMEND + 1)),
                   CBC_EINVAL, "unknown hazard action");
  assert_cbc_error(cbc_hazard_transition(&to, (cbc_hazard_state)7, CBC_ACTION_START),
                   CBC_EINVAL, "unknown hazard state");
  assert_cbc_error(cbc_hazard_fsm_dot(NULL), CBC_EINVAL, NULL);
}

static void test_names(void **state)
{
  (void)state;
  assert_string_equal(cbc_hazard_state_name(CBC_HAZARD_PENDING_VERIFICATION),
                      "PENDING_VERIFICATION");
  assert_string_equal(cbc_hazard_action_name(CBC_ACTION_LIST_SUPERVISION), "LIST_SUPERVISION");
  assert_string_equal(cbc_hazard_action_name(CBC_ACTION_FILE_PLAN), "FILE_PLAN");
  assert_string_equal(cbc_hazard_action_name(CBC_ACTION_AMEND), "AMEND");
  assert_null(cbc_hazard_action_name((cbc_hazard_action)(CBC_ACTION_AMEND + 1)));
  assert_string_equal(cbc_level_name(CBC_LEVEL_WORKSHOP), "WORKSHOP");
  assert_null(cbc_hazard_state_name((cbc_hazard_state)0));
  assert_null(cbc_hazard_state_name((cbc_hazard_state)7));
  assert_null(cbc_hazard_action_name((cbc_hazard_action)0));
  assert_null(cbc_level_name((cbc_level)5));
  for (int s = 1; s <= 6; s++)
    assert_non_null(cbc_hazard_state_name((cbc_hazard_state)s));
  for (int a = 1; a <= 15; a++)
    assert_non_null(cbc_hazard_action_name((cbc_hazard_action)a));
}

/* The DOT text has exactly one edge per legal cell, and docs/lifecycle.dot
 * is that text. */
static void test_dot_matches_table(void **state)
{
  (void)state;
  char *dot = NULL;
  assert_cbc_ok(cbc_hazard_fsm_dot(&dot));
  size_t edges = 0, legal = 0;
  for (const char *p = dot; (p = strstr(p, " -> ")) != NULL; p += 4)
    edges++;
  char want[128];
  for (int s = 0; s <= CBC_HAZARD_REJECTED; s++) {
    for (int a = 1; a <= CBC_ACTION_AMEND; a++) {
      if (expected[s][a] == X)
        continue;
      legal++;
      int to = expected[s][a] == SAME ? s : expected[s][a];
      snprintf(want, sizeof(want), "  %s -> %s [label=\"", s ? cbc_hazard_state_name(s) : "start",
               cbc_hazard_state_name(to));
      if (!strstr(dot, want))
        fail_msg("edge missing from the DOT: %s (%s)", want, cbc_hazard_action_name(a));
    }
  }
  assert_int_equal(edges, legal);
  FILE *f = fopen(CBC_SOURCE_DIR "/docs/lifecycle.dot", "rb");
  assert_non_null(f);
  char file[8192];
  size_t n = fread(file, 1, sizeof(file) - 1, f);
  fclose(f);
  file[n] = '\0';
  if (strcmp(file, dot) != 0)
    fail_msg("docs/lifecycle.dot is stale: regenerate it with scripts/lifecycle-dot");
  cbc_free(dot);
}

/* ---- authorization: the matrix of docs/authorization.md as data ---- */

enum scope { NOWHERE, IN_TEAM, IN_WORKSHOP, IN_ENTERPRISE, IN_REGION };
static const char *const scope_names[] = { "outside", "same team", "same workshop",
                                           "same enterprise", "region above" };

/* Facts for an actor holding @p role at @p scope (nested: a team is inside
 * its workshop and enterprise). */
static cbc__actor_facts facts(unsigned int role, enum scope scope)
{
  cbc__actor_facts f = { 7, role, true, false, false, false, false, false, false };
  f.same_team = scope == IN_TEAM;
  f.same_workshop = scope == IN_TEAM || scope == IN_WORKSHOP;
  f.same_enterprise = scope >= IN_TEAM && scope <= IN_ENTERPRISE;
  f.in_region = scope == IN_REGION;
  return f;
}

/* "Authority at level L" of the document. */
static bool oracle_authority(unsigned int role, enum scope sc, cbc_level level)
{
  if (role == CBC_ROLE_TEAM_LEADER)
    return sc == IN_TEAM && level <= CBC_LEVEL_TEAM;
  if (role == CBC_ROLE_WORKSHOP_DIRECTOR)
    return (sc == IN_TEAM || sc == IN_WORKSHOP) && level <= CBC_LEVEL_WORKSHOP;
  if (role == CBC_ROLE_SAFETY_OFFICER || role == CBC_ROLE_PRINCIPAL)
    return sc >= IN_TEAM && sc <= IN_ENTERPRISE;
  return false;
}

/* What a correction changes (cbc__hazard_facts). */
static bool amends_record, amends_later_deadline;

static bool oracle(cbc_hazard_action a, unsigned int role, enum scope sc, bool responsible,
                   bool submitter, cbc_severity sev, cbc_level level, bool listed)
{
  bool inspector = role == CBC_ROLE_BUREAU_INSPECTOR && sc == IN_REGION;
  switch (a) {
  case CBC_ACTION_REPORT: return true;
  case CBC_ACTION_REJECT:
    return oracle_authority(role, sc, sev == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE
                                                                : CBC_LEVEL_TEAM);
  case CBC_ACTION_REGISTER: return oracle_authority(role, sc, level);
  case CBC_ACTION_START: case CBC_ACTION_ESCALATE: case CBC_ACTION_REQUEST_EXTENSION:
  case CBC_ACTION_SUBMIT: /* the responsible person only while under the enterprise */
    return (responsible && sc >= IN_TEAM && sc <= IN_ENTERPRISE) ||
           oracle_authority(role, sc, level);
  case CBC_ACTION_DECIDE_EXTENSION:
    if (level < CBC_LEVEL_ENTERPRISE)
      return oracle_authority(role, sc, (cbc_level)(level + 1));
    return (role == CBC_ROLE_PRINCIPAL && sc >= IN_TEAM && sc <= IN_ENTERPRISE && !responsible) ||
           inspector;
  case CBC_ACTION_LIST_SUPERVISION: return inspector;
  case CBC_ACTION_VERIFY_PASS: case CBC_ACTION_VERIFY_FAIL:
    if (submitter)
      return false;
    if (sev == CBC_SEVERITY_MAJOR)
      return listed ? inspector : oracle_authority(role, sc, CBC_LEVEL_ENTERPRISE);
    return oracle_authority(role, sc, level);
  case CBC_ACTION_REOPEN:
    return oracle_authority(role, sc, level) || inspector ||
           (role == CBC_ROLE_UNION_CADRE && sc == IN_REGION);
  case CBC_ACTION_ESCALATE_OVERDUE: return false; /* people never; the sweep only */
  case CBC_ACTION_FILE_PLAN: return oracle_authority(role, sc, CBC_LEVEL_ENTERPRISE);
  case CBC_ACTION_AMEND: /* who registers; a later deadline also who decides extensions */
    return (!amends_record || oracle_authority(role, sc, level)) &&
           (!amends_later_deadline || oracle(CBC_ACTION_DECIDE_EXTENSION, role, sc, responsible,
                                             submitter, sev, level, listed));
  default: return false;
  }
}

static void test_authorization_matrix(void **state)
{
  (void)state;
  size_t cells = 0;
  for (int a = 1; a <= CBC_ACTION_AMEND; a++)
    for (unsigned int role = 1; role & CBC_ROLE_ALL; role <<= 1)
      for (int sc = NOWHERE; sc <= IN_REGION; sc++)
        for (int flags = 0; flags < 32; flags++)
          for (int level = CBC_LEVEL_INDIVIDUAL; level <= CBC_LEVEL_ENTERPRISE; level++)
            for (int sev = CBC_SEVERITY_GENERAL; sev <= CBC_SEVERITY_MAJOR; sev++) {
              cbc__actor_facts f = facts(role, (enum scope)sc);
              f.is_responsible = flags & 1;
              f.is_submitter = (flags & 2) != 0;
              bool listed = (flags & 4) != 0;
              amends_record = (flags & 8) != 0;
              amends_later_deadline = (flags & 16) != 0;
              cbc__hazard_facts h = { (cbc_severity)sev, (cbc_level)level, listed,
                                      amends_record, amends_later_deadline };
              bool want = oracle((cbc_hazard_action)a, role, (enum scope)sc, f.is_responsible,
                                 f.is_submitter, (cbc_severity)sev, (cbc_level)level, listed);
              int rc = cbc__authz_check((cbc_hazard_action)a, &f, &h);
              if ((rc == 0) != want || (rc != 0 && rc != CBC_EPERM))
                fail_msg("%s by %s (%s, responsible %d, submitter %d, listed %d, level %s, "
                         "severity %d): got %d (%s), want %s",
                         cbc_hazard_action_name(a), cbc_role_name(role), scope_names[sc],
                         f.is_responsible, f.is_submitter, listed, cbc_level_name(level), sev,
                         rc, cbc_error_last()->message, want ? "allowed" : "refused");
              if (rc)
                assert_non_null(strstr(cbc_error_last()->message, "not allowed: "));
              cells++;
            }
  assert_int_equal(cells, 15u * 9 * 5 * 32 * 4 * 2);
}

static void test_inactive_and_system(void **state)
{
  (void)state;
  cbc__hazard_facts h = { CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM, false, true, false };
  for (int a = 1; a <= CBC_ACTION_AMEND; a++) {
    cbc__actor_facts f = facts(CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_PRINCIPAL, IN_TEAM);
    f.is_responsible = true;
    f.active = false;
    assert_cbc_error(cbc__authz_check((cbc_hazard_action)a, &f, &h), CBC_EPERM,
                     a == CBC_ACTION_ESCALATE_OVERDUE ? "overdue sweep" : "inactive");
  }
  cbc__actor_facts sys = { 0, 0, true, false, false, false, false, false, false };
  assert_cbc_ok(cbc__authz_check(CBC_ACTION_ESCALATE_OVERDUE, &sys, &h));
  assert_cbc_error(cbc__authz_check((cbc_hazard_action)0, &sys, &h), CBC_EINVAL, NULL);
}

/* ---- who may be the responsible person, and which hazard a duplicate
 * may name (docs/authorization.md, "The responsible person") ---- */

/* The document's rule: active, under the hazard's enterprise, and either
 * with authority at the level or, at INDIVIDUAL, the reporter or a team
 * member, at TEAM a team member, at WORKSHOP under the workshop. */
static bool oracle_responsible(unsigned int role, enum scope sc, bool reporter, bool active,
                               cbc_level level)
{
  if (!active || sc < IN_TEAM || sc > IN_ENTERPRISE)
    return false;
  if (oracle_authority(role, sc, level))
    return true;
  switch (level) {
  case CBC_LEVEL_INDIVIDUAL: return reporter || sc == IN_TEAM;
  case CBC_LEVEL_TEAM: return sc == IN_TEAM;
  case CBC_LEVEL_WORKSHOP: return sc == IN_TEAM || sc == IN_WORKSHOP;
  default: return true;
  }
}

static void test_responsible_matrix(void **state)
{
  (void)state;
  size_t cells = 0;
  for (unsigned int role = 1; role & CBC_ROLE_ALL; role <<= 1)
    for (int sc = NOWHERE; sc <= IN_REGION; sc++)
      for (int flags = 0; flags < 4; flags++)
        for (int level = CBC_LEVEL_INDIVIDUAL; level <= CBC_LEVEL_ENTERPRISE; level++) {
          cbc__responsible_facts p = { facts(role, (enum scope)sc), flags & 1, false, false };
          p.person.active = (flags & 2) != 0;
          p.in_team = p.person.same_team;
          p.in_workshop = p.person.same_workshop;
          bool want = oracle_responsible(role, (enum scope)sc, p.is_reporter, p.person.active,
                                         (cbc_level)level);
          int rc = cbc__authz_responsible(&p, (cbc_level)level);
          if ((rc == 0) != want || (rc != 0 && rc != CBC_EINVAL))
            fail_msg("responsible at %s: %s (%s, reporter %d, active %d): got %d (%s), want %s",
                     cbc_level_name(level), cbc_role_name(role), scope_names[sc], p.is_reporter,
                     p.person.active, rc, cbc_error_last()->message,
                     want ? "allowed" : "refused");
          if (rc)
            assert_non_null(strstr(cbc_error_last()->message, "the responsible person "));
          cells++;
        }
  assert_int_equal(cells, 9u * 5 * 4 * 4);
  cbc__responsible_facts anyone = { facts(CBC_ROLE_PRINCIPAL, IN_TEAM), true, true, true };
  assert_cbc_error(cbc__authz_responsible(&anyone, (cbc_level)9), CBC_EINVAL, "unknown level");
}

static void test_duplicate_matrix(void **state)
{
  (void)state;
  static const char *const why[] = { "no such hazard", "cannot duplicate itself",
                                     "was rejected", "another enterprise" };
  for (int bits = 0; bits < 16; bits++) {
    cbc__original_facts o = { (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0,
                              (bits & 8) != 0 };
    /* the first broken condition, in the order above; none: allowed */
    int broken = !o.exists ? 0 : o.is_self ? 1 : o.rejected ? 2 : !o.same_enterprise ? 3 : -1;
    int rc = cbc__authz_duplicate(42, &o);
    if (broken < 0) {
      assert_cbc_ok(rc);
      continue;
    }
    assert_cbc_error(rc, CBC_EINVAL, why[broken]);
    assert_non_null(strstr(cbc_error_last()->message, "duplicate_of 42"));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_cell),
    cmocka_unit_test(test_bad_arguments),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_dot_matches_table),
    cmocka_unit_test(test_authorization_matrix),
    cmocka_unit_test(test_inactive_and_system),
    cmocka_unit_test(test_responsible_matrix),
    cmocka_unit_test(test_duplicate_matrix),
  };
  return cmocka_run_group_tests_name("fsm", tests, NULL, NULL);
}
