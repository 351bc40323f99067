/* Activities (docs/domain.md §5, include/cbc/activity.h): training sessions,
 * drills, cadre assignments and visits, proposals; who took part; and the
 * compliance questions.  Every bad input is refused and changes nothing. */
#include "helpers.h"
#include "invariants.h"
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int setup(void **state)
{
  now = cbc_test_date(2024, 6, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
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

static cbc_training_record session(cbc_db *db, const char *unit, cbc_training_kind kind,
                                   const cbc_attendee *att, size_t n)
{
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = kind;
  r.unit_id = U(db, unit);
  r.held_at = now - DAY;
  r.minutes = 90;
  r.title = "岗位安全操作规程";
  r.attendees = att;
  r.n_attendees = n;
  return r;
}

static void test_training_session(void **state)
{
  cbc_db *db = *state;
  cbc_attendee att[] = { { E(db, "A2"), 0 }, { E(db, "A1"), 1 }, { E(db, "C1"), 1 } };
  cbc_training_record r = session(db, "T1", CBC_TRAINING_ALL_STAFF, att, 3);
  int64_t id;
  assert_cbc_ok(cbc_training_add(&id, db, &r));
  cbc_training *t;
  assert_cbc_ok(cbc_training_lookup(&t, db, id));
  assert_int_equal(t->kind, CBC_TRAINING_ALL_STAFF);
  assert_int_equal(t->unit_id, U(db, "T1"));
  assert_int_equal(t->held_at, now - DAY);
  assert_int_equal(t->minutes, 90);
  assert_string_equal(t->title, "岗位安全操作规程");
  assert_int_equal(t->recorded_at, now);
  assert_int_equal(t->n_attendees, 3);
  assert_int_equal(t->attendees[0].employee_id, E(db, "A1")); /* by id */
  assert_int_equal(t->attendees[0].passed, 1);
  assert_int_equal(t->attendees[1].employee_id, E(db, "A2"));
  assert_int_equal(t->attendees[1].passed, 0);
  cbc_training_free(t);
  assert_string_equal(cbc_training_kind_name(CBC_TRAINING_LEADER_CLASS), "leader class");
  assert_null(cbc_training_kind_name((cbc_training_kind)99));
  assert_cbc_error(cbc_training_lookup(&t, db, id + 1), CBC_ENOTFOUND, "not found");
  assert_null(t);
}

static void test_training_bad_input_changes_nothing(void **state)
{
  cbc_db *db = *state;
  cbc_attendee ok[] = { { E(db, "A1"), 1 } };
  cbc_attendee twice[] = { { E(db, "A1"), 1 }, { E(db, "A1"), 0 } };
  cbc_attendee outside[] = { { E(db, "B1"), 1 } };   /* B1 is in T2 */
  cbc_attendee worker[] = { { E(db, "A1"), 1 } };
  cbc_attendee bad_pass[] = { { E(db, "A1"), 2 } };
  cbc_attendee nobody[] = { { 999, 1 } };
  cbc_training_record r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.kind = (cbc_training_kind)42;
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "training kind");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.minutes = 0;
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "minutes");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.title = "";
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "title");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.held_at = now + 60;
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "after the database's clock");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.unit_id = 9999;
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_ENOTFOUND, NULL);
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, twice, 2);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "listed twice");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, outside, 1);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "is not in unit");
  r = session(db, "T1", CBC_TRAINING_LEADER_CLASS, worker, 1);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "heads no unit");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, bad_pass, 1);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "passed");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, nobody, 1);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_ENOTFOUND, NULL);
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 0);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "attendees");
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, ok, 1);
  r.version = CBC_TRAINING_RECORD_VERSION + 1;
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "version");
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "A2"), now - 10 * DAY));
  cbc_attendee gone[] = { { E(db, "A2"), 1 } };
  r = session(db, "T1", CBC_TRAINING_ALL_STAFF, gone, 1);
  assert_cbc_error(cbc_training_add(NULL, db, &r), CBC_EINVAL, "had left");
  assert_cbc_error(cbc_training_add(NULL, NULL, &r), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_training_add(NULL, db, NULL), CBC_EINVAL, NULL);
  /* nothing was stored: the first good session gets the first id */
  cbc_attendee heads[] = { { E(db, "L1"), 1 }, { E(db, "L2"), 1 }, { E(db, "P1"), 1 } };
  r = session(db, "E1", CBC_TRAINING_LEADER_CLASS, heads, 3);
  int64_t id;
  assert_cbc_ok(cbc_training_add(&id, db, &r));
  assert_int_equal(id, 1);
  cbc_training_record init;
  assert_cbc_ok(cbc_training_record_init(&init, CBC_TRAINING_RECORD_VERSION));
  assert_int_equal(init.version, CBC_TRAINING_RECORD_VERSION);
  assert_cbc_error(cbc_training_record_init(&init, 0), CBC_EINVAL, "version");
}

static cbc_drill_record drill(cbc_db *db, const char *unit, const int64_t *teams, size_t n)
{
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, unit);
  d.held_at = now - 2 * DAY;
  d.scenario = "轧机火灾疏散";
  d.team_ids = teams;
  d.n_teams = n;
  return d;
}

static void test_drills(void **state)
{
  cbc_db *db = *state;
  int64_t w1_teams[] = { U(db, "T2"), U(db, "T1") };
  int64_t foreign[] = { U(db, "T3") };
  int64_t twice[] = { U(db, "T1"), U(db, "T1") };
  int64_t not_team[] = { U(db, "W1") };
  cbc_drill_record d = drill(db, "W1", foreign, 1);
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "is not under unit");
  d = drill(db, "W1", twice, 2);
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "listed twice");
  d = drill(db, "E1", not_team, 1);
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "is a workshop");
  d = drill(db, "T1", w1_teams, 1);
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "is a team");
  d = drill(db, "R1", w1_teams, 1);
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "is a region");
  d = drill(db, "W1", w1_teams, 2);
  d.held_at = now + 1;
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "after the database's clock");
  d = drill(db, "W1", w1_teams, 2);
  d.scenario = NULL;
  assert_cbc_error(cbc_drill_add(NULL, db, &d), CBC_EINVAL, "scenario");
  d = drill(db, "W1", w1_teams, 2);
  int64_t id;
  assert_cbc_ok(cbc_drill_add(&id, db, &d));
  assert_int_equal(id, 1); /* the refused ones stored nothing */
  cbc_drill *got;
  assert_cbc_ok(cbc_drill_lookup(&got, db, id));
  assert_int_equal(got->unit_id, U(db, "W1"));
  assert_string_equal(got->scenario, "轧机火灾疏散");
  assert_int_equal(got->n_teams, 2);
  assert_int_equal(got->team_ids[0], U(db, "T1"));
  assert_int_equal(got->team_ids[1], U(db, "T2"));
  cbc_drill_free(got);
}

static void test_supervision(void **state)
{
  cbc_db *db = *state;
  int64_t c1 = E(db, "C1"), e1 = U(db, "E1"), start = cbc_test_date(2024, 1, 1), a;
  assert_cbc_error(cbc_cadre_assign(NULL, db, E(db, "A1"), e1, start, 0), CBC_EINVAL,
                   "not a union cadre");
  assert_cbc_error(cbc_cadre_assign(NULL, db, c1, U(db, "T1"), start, 0), CBC_EINVAL,
                   "is a team");
  assert_cbc_error(cbc_cadre_assign(NULL, db, c1, e1, start, start), CBC_EINVAL, "inverted");
  assert_cbc_error(cbc_cadre_assign(NULL, db, c1, 4242, start, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_ok(cbc_cadre_assign(&a, db, c1, e1, start, 0));
  assert_cbc_error(cbc_cadre_assign(NULL, db, c1, e1, start + 30 * DAY, 0), CBC_ECONFLICT,
                   "already assigned");
  assert_cbc_error(cbc_cadre_release(db, a, start), CBC_EINVAL, "ends after it starts");
  assert_cbc_ok(cbc_cadre_release(db, a, start + 90 * DAY));
  assert_cbc_error(cbc_cadre_release(db, a, start + 91 * DAY), CBC_ESTATE, "already ended");
  assert_cbc_error(cbc_cadre_release(db, a + 1, start + 91 * DAY), CBC_ENOTFOUND, NULL);
  /* after the end, a new period may start; an overlapping one may not */
  assert_cbc_error(cbc_cadre_assign(NULL, db, c1, e1, start + 10 * DAY, start + 100 * DAY),
                   CBC_ECONFLICT, NULL);
  assert_cbc_ok(cbc_cadre_assign(NULL, db, c1, e1, start + 90 * DAY, 0));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, c1, U(db, "R1"), start, 0));

  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = c1;
  v.unit_id = e1;
  v.visited_at = now - DAY;
  v.findings = "消防通道堆放杂物";
  int64_t visit;
  assert_cbc_ok(cbc_visit_add(&visit, db, &v));
  assert_int_equal(visit, 1);
  v.cadre_id = E(db, "A1");
  assert_cbc_error(cbc_visit_add(NULL, db, &v), CBC_EINVAL, "not a union cadre");
  v.cadre_id = c1;
  v.visited_at = now + DAY;
  assert_cbc_error(cbc_visit_add(NULL, db, &v), CBC_EINVAL, "after the database's clock");
  v.visited_at = now;
  v.findings = "\x01";
  assert_cbc_error(cbc_visit_add(NULL, db, &v), CBC_EINVAL, "findings");
}

static void test_proposals(void **state)
{
  cbc_db *db = *state;
  cbc_proposal_record r = CBC_PROPOSAL_RECORD_INIT;
  r.proposer_id = E(db, "A1");
  r.title = "轧辊加装防护罩";
  r.text = "在二号轧机入口加装可拆卸防护罩";
  int64_t id;
  assert_cbc_ok(cbc_proposal_submit(&id, db, &r));
  cbc_proposal *p;
  assert_cbc_ok(cbc_proposal_lookup(&p, db, id));
  assert_int_equal(p->unit_id, U(db, "T1")); /* the proposer's team */
  assert_int_equal(p->status, CBC_PROPOSAL_SUBMITTED);
  assert_int_equal(p->submitted_at, now);
  assert_int_equal(p->decided_by, 0);
  cbc_proposal_free(p);
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "A2"), 1, NULL), CBC_EPERM,
                   "may not decide");
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "I1"), 1, NULL), CBC_EPERM, NULL);
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "P1"), 2, NULL), CBC_EINVAL, "adopted");
  now += 3600;
  assert_cbc_ok(cbc_proposal_decide(db, id, E(db, "P1"), 1, "下月实施"));
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "S1"), 1, NULL), CBC_ESTATE,
                   "already decided (adopted)");
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "S1"), 0, NULL), CBC_ESTATE, NULL);
  assert_cbc_ok(cbc_proposal_lookup(&p, db, id));
  assert_int_equal(p->status, CBC_PROPOSAL_ADOPTED);
  assert_int_equal(p->decided_by, E(db, "P1"));
  assert_int_equal(p->decided_at, now);
  assert_string_equal(p->note, "下月实施");
  cbc_proposal_free(p);
  /* a union cadre may decide; "not adopted" is a decision too */
  assert_cbc_ok(cbc_proposal_submit(&id, db, &r));
  assert_cbc_ok(cbc_proposal_decide(db, id, E(db, "C1"), 0, NULL));
  assert_cbc_error(cbc_proposal_decide(db, id, E(db, "C1"), 1, NULL), CBC_ESTATE,
                   "not adopted");
  r.text = "";
  assert_cbc_error(cbc_proposal_submit(NULL, db, &r), CBC_EINVAL, "text");
  r.text = "x";
  r.unit_id = 777;
  assert_cbc_error(cbc_proposal_submit(NULL, db, &r), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_proposal_decide(db, 99, E(db, "P1"), 1, NULL), CBC_ENOTFOUND, NULL);
}

static void test_participation(void **state)
{
  cbc_db *db = *state;
  int64_t june = cbc_test_date(2024, 6, 1), july = cbc_test_date(2024, 7, 1);
  int64_t may = cbc_test_date(2024, 5, 1);
  int took;
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "A1"), may, july));
  assert_int_equal(took, 0);
  cbc_hazard_record h = CBC_HAZARD_RECORD_INIT;
  h.reporter_id = E(db, "A1");
  h.unit_id = U(db, "T1");
  h.title = "地面油污";
  h.kind = CBC_HAZARD_HARD;
  h.category = CBC_CATEGORY_SAFETY;
  h.check_item = CBC_CHECK_FIXED_POSITION;
  h.source = CBC_SOURCE_SELF_CHECK;
  h.proposed_severity = CBC_SEVERITY_GENERAL;
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &h)); /* reported at june 1 00:00 */
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "A1"), june, july));
  assert_int_equal(took, 1);
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "A1"), may, june)); /* [from, to) */
  assert_int_equal(took, 0);
  int64_t t2[] = { U(db, "T2") };
  cbc_drill_record d = drill(db, "W1", t2, 1); /* May 30 */
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "B1"), may, june));
  assert_int_equal(took, 1); /* a member of a drilling team */
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "L1"), may, july));
  assert_int_equal(took, 0);
  /* a member who had left before the drill did not take part in it */
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L2"), d.held_at - DAY));
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, "L2"), may, june));
  assert_int_equal(took, 0);
  assert_cbc_error(cbc_employee_took_part(&took, db, E(db, "A1"), july, june), CBC_EINVAL,
                   "inverted");
  assert_cbc_error(cbc_employee_took_part(&took, db, E(db, "A1"), june, june), CBC_EINVAL,
                   NULL);
  assert_cbc_error(cbc_employee_took_part(&took, db, 4040, may, june), CBC_ENOTFOUND, NULL);
}

/* cbc_employee_took_part() reads drill membership at the drill's time
 * (docs/activities.md): members then, whatever was synced later; joining
 * at that second counts, leaving or moving out at that second does not. */
static void test_took_part_follows_membership(void **state)
{
  cbc_db *db = *state;
  int64_t t1[] = { U(db, "T1") };
  cbc_drill_record d = drill(db, "W1", t1, 1); /* May 30, T1: L1, A1, A2 */
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  int64_t may = cbc_test_date(2024, 5, 1), june = cbc_test_date(2024, 6, 1);
  cbc_employee_record n = CBC_EMPLOYEE_RECORD_INIT;
  n.external_id = "N9";
  n.name = "新员工";
  n.unit_external_id = "T1";
  n.hire_date = d.held_at + 1; /* a second too late */
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &n));
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "B1"), U(db, "T1"), d.held_at));
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "A2"), U(db, "T2"), d.held_at));
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "A1"), d.held_at));
  const struct {
    const char *who;
    int took;
  } want[] = { { "L1", 1 }, { "A1", 0 }, { "A2", 0 }, { "B1", 1 }, { "N9", 0 }, { "L2", 0 } };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    int took;
    assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, want[i].who), may, june));
    if (took != want[i].took)
      fail_msg("%s: took part %d, expected %d", want[i].who, took, want[i].took);
  }
  /* an earlier move is refused: the history's times never decrease */
  assert_cbc_error(cbc_employee_transfer(db, E(db, "B1"), U(db, "T2"), d.held_at - 1),
                   CBC_EINVAL, "dated before");
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

static void test_untrained_by_local_year(void **state)
{
  cbc_db *db = *state;
  /* 2023-12-31 17:00 UTC is 2024-01-01 01:00 in UTC+8: it counts for 2024 */
  cbc_attendee att[] = { { E(db, "A1"), 1 }, { E(db, "A2"), 0 } };
  cbc_training_record r = session(db, "T1", CBC_TRAINING_ALL_STAFF, att, 2);
  r.held_at = cbc_test_date(2024, 1, 1) + 3600;
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
  int64_t *ids;
  size_t n;
  assert_cbc_ok(cbc_compliance_untrained(&ids, &n, db, U(db, "T1"), 2024));
  assert_int_equal(n, 2); /* L1, and A2 who did not pass */
  assert_int_equal(ids[0], E(db, "L1"));
  assert_int_equal(ids[1], E(db, "A2"));
  cbc_free(ids);
  assert_cbc_ok(cbc_compliance_untrained(&ids, &n, db, U(db, "T1"), 2023));
  assert_int_equal(n, 3);
  cbc_free(ids);
  assert_cbc_ok(cbc_compliance_untrained(&ids, &n, db, U(db, "E1"), 2024));
  assert_int_equal(n, 7); /* E1's eight employees but A1 */
  cbc_free(ids);
  assert_cbc_error(cbc_compliance_untrained(&ids, &n, db, 5555, 2024), CBC_ENOTFOUND, NULL);
  assert_null(ids);
  assert_cbc_error(cbc_compliance_untrained(&ids, &n, db, U(db, "E1"), 1969), CBC_EINVAL,
                   "year");
}

static const cbc_training_need *need_of(const cbc_training_need *needs, size_t n, int64_t id)
{
  for (size_t i = 0; i < n; i++)
    if (needs[i].employee_id == id)
      return &needs[i];
  return NULL;
}

static void test_training_needs(void **state)
{
  cbc_db *db = *state;
  cbc_employee_record hire = CBC_EMPLOYEE_RECORD_INIT;
  hire.external_id = "N1";
  hire.name = "新员工";
  hire.unit_external_id = "T1";
  hire.hire_date = now - 20 * DAY;
  int64_t n1;
  assert_cbc_ok(cbc_employee_upsert(&n1, db, &hire));
  cbc_attendee a_n1[] = { { n1, 1 } };
  cbc_training_record r = session(db, "E1", CBC_TRAINING_INDUCTION_ENTERPRISE, a_n1, 1);
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
  /* A2 transferred to T2 ten days ago; B1 away for 200 days, L2 for 100 */
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "A2"), U(db, "T2"), now - 10 * DAY));
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "B1"), now - 210 * DAY));
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L2"), now - 110 * DAY));
  int64_t then = now;
  now -= 10 * DAY;
  cbc_employee_record back = CBC_EMPLOYEE_RECORD_INIT;
  back.external_id = "B1";
  back.name = "Chen Jing";
  back.unit_external_id = "T2";
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &back));
  back.external_id = "L2";
  back.name = "Liu Yang";
  back.roles = CBC_ROLE_TEAM_LEADER;
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &back));
  now = then;
  cbc_training_need *needs;
  size_t n;
  assert_cbc_ok(cbc_compliance_training_needs(&needs, &n, db, U(db, "E1"), 0));
  assert_int_equal(n, 3);
  const cbc_training_need *x = need_of(needs, n, n1);
  assert_non_null(x);
  assert_int_equal(x->reason, CBC_NEED_INDUCTION);
  assert_int_equal(x->since, now - 20 * DAY);
  assert_int_equal(x->missing, (1u << CBC_TRAINING_INDUCTION_WORKSHOP) |
                                   (1u << CBC_TRAINING_INDUCTION_TEAM));
  x = need_of(needs, n, E(db, "A2"));
  assert_non_null(x);
  assert_int_equal(x->reason, CBC_NEED_TRANSFER);
  assert_int_equal(x->since, now - 10 * DAY);
  x = need_of(needs, n, E(db, "B1"));
  assert_non_null(x);
  assert_int_equal(x->reason, CBC_NEED_LONG_ABSENCE);
  assert_null(need_of(needs, n, E(db, "L2"))); /* 100 days away: no re-training needed */
  cbc_free(needs);
  /* re-training after the transfer settles A2; asked before it, A2 still needs it */
  cbc_attendee a_a2[] = { { E(db, "A2"), 1 } };
  r = session(db, "T2", CBC_TRAINING_RETRAINING, a_a2, 1);
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
  assert_cbc_ok(cbc_compliance_training_needs(&needs, &n, db, U(db, "T2"), 0));
  assert_int_equal(n, 1);
  assert_int_equal(needs[0].employee_id, E(db, "B1"));
  cbc_free(needs);
  assert_cbc_ok(cbc_compliance_training_needs(&needs, &n, db, U(db, "T2"), now - 2 * DAY));
  assert_int_equal(n, 2);
  cbc_free(needs);
  assert_cbc_error(cbc_compliance_training_needs(&needs, &n, db, U(db, "T2"), -5), CBC_EINVAL,
                   NULL);
}

static void test_drill_compliance(void **state)
{
  cbc_db *db = *state;
  int64_t both[] = { U(db, "T1"), U(db, "T2") }, t1[] = { U(db, "T1") };
  cbc_drill_record d = drill(db, "W1", both, 2);
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  cbc_drill_gap *gaps;
  size_t n;
  assert_cbc_ok(cbc_compliance_drills(&gaps, &n, db, U(db, "R1"), 2024));
  assert_int_equal(n, 4); /* E1 held 1; T1 1, T2 1, T3 0 */
  assert_int_equal(gaps[0].enterprise_id, U(db, "E1"));
  assert_int_equal(gaps[0].team_id, 0);
  assert_int_equal(gaps[0].drills, 1);
  assert_int_equal(gaps[3].team_id, U(db, "T3"));
  assert_int_equal(gaps[3].drills, 0);
  cbc_free(gaps);
  d = drill(db, "E1", t1, 1);
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  assert_cbc_ok(cbc_compliance_drills(&gaps, &n, db, U(db, "E1"), 2024));
  assert_int_equal(n, 2); /* E1 held 2 and T1 took part in 2: T2 and T3 short */
  assert_int_equal(gaps[0].team_id, U(db, "T2"));
  assert_int_equal(gaps[0].drills, 1);
  assert_int_equal(gaps[1].team_id, U(db, "T3"));
  cbc_free(gaps);
  /* asked of a workshop: its teams, and the enterprise above it */
  assert_cbc_ok(cbc_compliance_drills(&gaps, &n, db, U(db, "W1"), 2024));
  assert_int_equal(n, 1);
  assert_int_equal(gaps[0].team_id, U(db, "T2"));
  cbc_free(gaps);
  assert_cbc_ok(cbc_compliance_drills(&gaps, &n, db, U(db, "W1"), 2023));
  assert_int_equal(n, 3); /* another year: E1 held none */
  assert_int_equal(gaps[0].team_id, 0);
  assert_int_equal(gaps[0].drills, 0);
  cbc_free(gaps);
  assert_cbc_error(cbc_compliance_drills(&gaps, &n, db, U(db, "W1"), 10000), CBC_EINVAL, NULL);
}

/* ---------------------------------------------------- allocation failures */

/* Forms from the aggregates and from the records agree for E1 and R1. */
static void assert_forms_agree(cbc_db *db)
{
  const char *nodes[] = { "E1", "R1" };
  cbc_period june = { CBC_PERIOD_MONTH, 2024, 6, 0, 0 };
  for (size_t i = 0; i < 2; i++) {
    cbc_stats_form *a, *r;
    assert_cbc_ok(cbc_stats_form_get(&a, db, U(db, nodes[i]), &june, 0));
    assert_cbc_ok(cbc_stats_form_get(&r, db, U(db, nodes[i]), &june, CBC_STATS_FROM_RECORDS));
    a->units_assigned = r->units_assigned;
    assert_memory_equal(a, r, sizeof(*a));
    cbc_stats_form_free(a);
    cbc_stats_form_free(r);
  }
}

/* Every kind of record, and every way of reading the statistics; the ids
 * are looked up before any allocation may fail. */
typedef struct scenario {
  cbc_attendee att[2];
  int64_t teams[2], officer, principal, region, enterprise;
  cbc_training_record training;
  cbc_drill_record drill;
  cbc_visit_record visit;
  cbc_proposal_record proposal;
} scenario;

static void scenario_init(scenario *x, cbc_db *db)
{
  x->att[0] = (cbc_attendee){ E(db, "A1"), 1 };
  x->att[1] = (cbc_attendee){ E(db, "L1"), 0 };
  x->teams[0] = U(db, "T1");
  x->teams[1] = U(db, "T2");
  x->principal = E(db, "P1");
  x->region = U(db, "R1");
  x->enterprise = U(db, "E1");
  x->training = session(db, "T1", CBC_TRAINING_ALL_STAFF, x->att, 2);
  x->drill = drill(db, "W1", x->teams, 2);
  x->visit = (cbc_visit_record)CBC_VISIT_RECORD_INIT;
  x->visit.cadre_id = E(db, "C1");
  x->visit.unit_id = x->enterprise;
  x->visit.visited_at = now - DAY;
  x->proposal = (cbc_proposal_record)CBC_PROPOSAL_RECORD_INIT;
  x->proposal.proposer_id = E(db, "A2");
  x->proposal.title = "金点子";
  x->proposal.text = "加装护栏";
}

static int activity_scenario(cbc_db *db, const scenario *x)
{
  cbc_period june = { CBC_PERIOD_MONTH, 2024, 6, 0, 0 };
  cbc_stats_form *f = NULL;
  cbc_stats_breakdown *b = NULL;
  char *text = NULL;
  int64_t id;
  int rc = cbc_training_add(NULL, db, &x->training);
  if (!rc)
    rc = cbc_drill_add(NULL, db, &x->drill);
  if (!rc)
    rc = cbc_visit_add(NULL, db, &x->visit);
  if (!rc)
    rc = cbc_proposal_submit(&id, db, &x->proposal);
  if (!rc)
    rc = cbc_proposal_decide(db, id, x->principal, 1, "采纳");
  if (!rc)
    rc = cbc_stats_form_get(&f, db, x->region, &june, 0);
  if (!rc)
    rc = cbc_stats_form_render(&text, db, f, CBC_STATS_TEXT);
  if (!rc)
    rc = cbc_stats_breakdown_get(&b, db, x->enterprise, &june);
  cbc_free(text);
  cbc_stats_form_free(f);
  cbc_stats_breakdown_free(b);
  return rc;
}

/* The scenario's allocations (about 3,400) counted once; the sweep tries
 * about 400 failure points spread evenly over them (under valgrind that
 * many times fewer), every one with CBC_TEST_LONG=1. */
static long scenario_stride(void)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  scenario x;
  scenario_init(&x, db);
  long before = cbc_test_alloc_count();
  assert_cbc_ok(activity_scenario(db, &x));
  long total = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  long stride = cbc_test_spread_stride(total, 400);
  print_message("%ld allocations; failing every %ld-th\n", total, stride);
  return stride;
}

static void test_allocation_failures_leave_records_whole(void **state)
{
  (void)state;
  long points = 0, stride = scenario_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_db *db = cbc_test_db(&now);
    cbc_test_seed_org(db);
    scenario x;
    scenario_init(&x, db);
    cbc_test_fail_after(n);
    int rc = activity_scenario(db, &x);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc)
      assert_non_null(strstr(cbc_error_last()->message, "memory"));
    assert_forms_agree(db); /* no record is counted but not stored, or the reverse */
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride > 50);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_training_session, setup, teardown),
    cmocka_unit_test_setup_teardown(test_training_bad_input_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drills, setup, teardown),
    cmocka_unit_test_setup_teardown(test_supervision, setup, teardown),
    cmocka_unit_test_setup_teardown(test_proposals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_participation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_took_part_follows_membership, setup, teardown),
    cmocka_unit_test_setup_teardown(test_untrained_by_local_year, setup, teardown),
    cmocka_unit_test_setup_teardown(test_training_needs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drill_compliance, setup, teardown),
    cmocka_unit_test(test_allocation_failures_leave_records_whole),
  };
  return cmocka_run_group_tests_name("activity", tests, NULL, NULL);
}
