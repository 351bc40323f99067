/* Who may record activity records, and what a person may do to one
 * (include/cbc/activity.h, docs/activities.md "Who may record" and "What
 * may this person do"): the recorder named in a training session or drill,
 * cbc_cadre_assign_by() and cbc_cadre_release_by(), every refusal storing
 * nothing, old record versions unchecked, request keys, and the two
 * questions — cbc_activity_moves() and cbc_activity_may_record() — agreeing
 * with the calls over randomised records and actors, and under allocation
 * failures. */
#include "helpers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static int64_t jan(int day) { return cbc_test_date(2024, 1, day) + 10 * 3600; }

/* ------------------------------------------------------------ fixture */

/* A second district (R2) with its own union cadre (C2), and an inactive
 * union cadre of R1 (C0), beside the seed org and E2 under R1. */
static void seed_second_district(cbc_db *db)
{
  cbc_unit_record r2 = CBC_UNIT_RECORD_INIT;
  r2.external_id = "R2";
  r2.kind = CBC_UNIT_REGION;
  r2.name = "Licheng district";
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &r2));
  const struct {
    const char *ext, *unit;
  } cadres[] = { { "C2", "R2" }, { "C0", "R1" } };
  for (size_t i = 0; i < 2; i++) {
    cbc_employee_record c = CBC_EMPLOYEE_RECORD_INIT;
    c.external_id = cadres[i].ext;
    c.name = "工会干部";
    c.unit_external_id = cadres[i].unit;
    c.roles = CBC_ROLE_UNION_CADRE;
    assert_cbc_ok(cbc_employee_upsert(NULL, db, &c));
  }
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "C0"), now));
}

/* Close a new empty team T8 under W1. */
static void close_a_team(cbc_db *db)
{
  cbc_unit_record t8 = CBC_UNIT_RECORD_INIT;
  t8.external_id = "T8";
  t8.parent_external_id = "W1";
  t8.kind = CBC_UNIT_TEAM;
  t8.name = "Shift C";
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &t8));
  assert_cbc_ok(cbc_unit_close(db, U(db, "T8")));
}

static int setup(void **state)
{
  now = cbc_test_date(2024, 4, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  seed_second_district(db);
  close_a_team(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

/* How many records of @p kind stand (nothing stored on a refusal). */
static int count(cbc_db *db, cbc_activity_kind kind)
{
  int n = 0, rc = 0;
  switch (kind) {
  case CBC_ACTIVITY_TRAINING: {
    cbc_training_iter *it;
    const cbc_training *row;
    assert_cbc_ok(cbc_training_iter_new(&it, db, NULL));
    while ((rc = cbc_training_iter_next(&row, it)) == 0)
      n++;
    cbc_training_iter_free(it);
    break;
  }
  case CBC_ACTIVITY_DRILL: {
    cbc_drill_iter *it;
    const cbc_drill *row;
    assert_cbc_ok(cbc_drill_iter_new(&it, db, NULL));
    while ((rc = cbc_drill_iter_next(&row, it)) == 0)
      n++;
    cbc_drill_iter_free(it);
    break;
  }
  default: {
    cbc_cadre_assignment_iter *it;
    const cbc_cadre_assignment *row;
    assert_cbc_ok(cbc_cadre_assignment_iter_new(&it, db, NULL));
    while ((rc = cbc_cadre_assignment_iter_next(&row, it)) == 0)
      n++;
    cbc_cadre_assignment_iter_free(it);
    break;
  }
  }
  assert_int_equal(rc, CBC_ITEROVER);
  return n;
}

/* A training session on @p unit with a union cadre attending (who may
 * attend any session), recorded by @p recorder (0: unchecked). */
static int add_training(cbc_db *db, int64_t unit_id, int64_t recorder, const char *key,
                        int64_t *id)
{
  cbc_attendee att[] = { { E(db, "C1"), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = unit_id;
  r.held_at = jan(10);
  r.minutes = 60;
  r.title = "岗位安全";
  r.attendees = att;
  r.n_attendees = 1;
  r.request_key = key;
  r.recorded_by = recorder;
  return cbc_training_add(id, db, &r);
}

/* A drill on @p unit with team @p team_id, recorded by @p recorder. */
static int add_drill(cbc_db *db, int64_t unit_id, int64_t team_id, int64_t recorder, int64_t *id)
{
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = unit_id;
  d.held_at = jan(12);
  d.scenario = "火灾疏散";
  d.team_ids = &team_id;
  d.n_teams = 1;
  d.recorded_by = recorder;
  return cbc_drill_add(id, db, &d);
}

/* ------------------------------------------------------ who may record */

static void expect_training(cbc_db *db, const char *unit, const char *who, int code)
{
  int before = count(db, CBC_ACTIVITY_TRAINING);
  int64_t id = -1;
  int rc = add_training(db, U(db, unit), E(db, who), NULL, &id);
  if (rc != code)
    fail_msg("training on %s recorded by %s: %d, expected %d (%s)", unit, who, rc, code,
             cbc_error_last()->message);
  assert_int_equal(count(db, CBC_ACTIVITY_TRAINING), before + !code);
  if (code == CBC_EPERM)
    assert_non_null(strstr(cbc_error_last()->message, "not allowed"));
}

/* A training session: the line of authority over its unit, a union cadre
 * over it; nobody else, nothing stored on a refusal. */
static void test_training_recorder(void **state)
{
  cbc_db *db = *state;
  expect_training(db, "T1", "A1", CBC_EPERM); /* a worker of the team */
  expect_training(db, "T1", "L2", CBC_EPERM); /* another team's leader */
  expect_training(db, "T1", "D1", CBC_EPERM); /* W2's director, not W1's */
  expect_training(db, "T1", "I1", CBC_EPERM); /* a bureau inspector */
  expect_training(db, "T1", "XP", CBC_EPERM); /* another enterprise's principal */
  expect_training(db, "T1", "C2", CBC_EPERM); /* another district's cadre */
  expect_training(db, "T1", "C0", CBC_EPERM); /* an inactive cadre */
  expect_training(db, "T1", "L1", 0);
  expect_training(db, "T1", "P1", 0);
  expect_training(db, "T1", "S1", 0);
  expect_training(db, "T1", "C1", 0);
  expect_training(db, "W2", "D1", 0);
  expect_training(db, "W2", "L1", CBC_EPERM); /* a team leader, not over a workshop */
  expect_training(db, "E2", "XS", 0);
  expect_training(db, "R1", "C1", 0);         /* the district union's own session */
  expect_training(db, "R1", "P1", CBC_EPERM); /* a region node has no line of authority */
  /* an unknown or negative recorder; 0 records unchecked */
  int before = count(db, CBC_ACTIVITY_TRAINING);
  assert_cbc_error(add_training(db, U(db, "T1"), 9999, NULL, NULL), CBC_ENOTFOUND, NULL);
  assert_cbc_error(add_training(db, U(db, "T1"), -1, NULL, NULL), CBC_EINVAL, "recorder");
  assert_int_equal(count(db, CBC_ACTIVITY_TRAINING), before);
  assert_cbc_ok(add_training(db, U(db, "T1"), 0, NULL, NULL));
}

/* A version 2 record ends before recorded_by: recorded unchecked, as
 * before; its init writes only its own bytes. */
static void test_old_versions_unchecked(void **state)
{
  cbc_db *db = *state;
  struct {
    cbc_training_record r;
    int64_t guard;
  } t;
  memset(&t, 0x5a, sizeof(t));
  assert_cbc_ok(cbc_training_record_init(&t.r, 2));
  assert_int_equal(t.r.recorded_by, 0x5a5a5a5a5a5a5a5a); /* beyond a version 2 struct */
  t.r.recorded_by = E(db, "A1");                         /* ignored: not in version 2 */
  cbc_attendee att[] = { { E(db, "A1"), 1 } };
  t.r.kind = CBC_TRAINING_ALL_STAFF;
  t.r.unit_id = U(db, "T1");
  t.r.held_at = jan(10);
  t.r.minutes = 30;
  t.r.title = "班前会";
  t.r.attendees = att;
  t.r.n_attendees = 1;
  assert_cbc_ok(cbc_training_add(NULL, db, &t.r));
  cbc_drill_record d;
  memset(&d, 0x5a, sizeof(d));
  assert_cbc_ok(cbc_drill_record_init(&d, 1));
  assert_int_equal(d.recorded_by, 0x5a5a5a5a5a5a5a5a);
  assert_cbc_ok(cbc_drill_record_init(&d, CBC_DRILL_RECORD_VERSION));
  assert_int_equal(d.recorded_by, 0);
  int64_t team = U(db, "T1");
  d.version = 2;
  d.recorded_by = E(db, "A1");
  d.unit_id = U(db, "W1");
  d.held_at = jan(11);
  d.scenario = "泄漏";
  d.team_ids = &team;
  d.n_teams = 1;
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  assert_cbc_error(cbc_training_record_init(&t.r, CBC_TRAINING_RECORD_VERSION + 1), CBC_EINVAL,
                   NULL);
}

/* A drill: its enterprise's principal and safety officers, its workshop's
 * director, a union cadre over it; never a team leader (a drill is held by
 * an enterprise or workshop). */
static void test_drill_recorder(void **state)
{
  cbc_db *db = *state;
  const struct {
    const char *unit, *team, *who;
    int code;
  } cases[] = {
    { "E1", "T3", "P1", 0 },         { "E1", "T3", "S1", 0 },        { "E1", "T3", "C1", 0 },
    { "E1", "T3", "D1", CBC_EPERM }, { "E1", "T3", "L1", CBC_EPERM }, { "E1", "T3", "XS", CBC_EPERM },
    { "E1", "T3", "C2", CBC_EPERM }, { "E1", "T3", "A1", CBC_EPERM }, { "W2", "T3", "D1", 0 },
    { "W1", "T1", "D1", CBC_EPERM }, { "W1", "T1", "L1", CBC_EPERM }, { "E2", "T9", "XP", 0 },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int before = count(db, CBC_ACTIVITY_DRILL);
    int rc = add_drill(db, U(db, cases[i].unit), U(db, cases[i].team), E(db, cases[i].who),
                       NULL);
    if (rc != cases[i].code)
      fail_msg("drill on %s recorded by %s: %d (%s)", cases[i].unit, cases[i].who, rc,
               cbc_error_last()->message);
    assert_int_equal(count(db, CBC_ACTIVITY_DRILL), before + !rc);
  }
  assert_cbc_error(add_drill(db, U(db, "E1"), U(db, "T3"), 9999, NULL), CBC_ENOTFOUND, NULL);
  assert_cbc_error(add_drill(db, U(db, "E1"), U(db, "T3"), -5, NULL), CBC_EINVAL, "recorder");
  /* the record's own errors come first */
  assert_cbc_error(add_drill(db, U(db, "T1"), U(db, "T1"), E(db, "A1"), NULL), CBC_EINVAL,
                   "team");
}

/* Assigning and releasing union cadres is the union's over the unit. */
static void test_assign_and_release_by(void **state)
{
  cbc_db *db = *state;
  int64_t c1 = E(db, "C1"), e1 = U(db, "E1"), id = -1;
  const char *refused[] = { "P1", "S1", "I1", "A1", "C2", "C0" };
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
    assert_cbc_error(cbc_cadre_assign_by(&id, db, E(db, refused[i]), c1, e1, jan(1), 0, NULL),
                     CBC_EPERM, "not allowed");
    assert_int_equal(id, 0);
  }
  assert_int_equal(count(db, CBC_ACTIVITY_ASSIGNMENT), 0);
  assert_cbc_error(cbc_cadre_assign_by(&id, db, 0, c1, e1, jan(1), 0, NULL), CBC_EINVAL, "actor");
  assert_cbc_error(cbc_cadre_assign_by(&id, db, 9999, c1, e1, jan(1), 0, NULL), CBC_ENOTFOUND,
                   NULL);
  /* the assignment's own errors come first */
  assert_cbc_error(cbc_cadre_assign_by(&id, db, E(db, "P1"), c1, U(db, "W1"), jan(1), 0, NULL),
                   CBC_EINVAL, "workshop");
  /* another district's cadre may be assigned here, by this district's union */
  assert_cbc_ok(cbc_cadre_assign_by(&id, db, c1, E(db, "C2"), e1, jan(1), 0, "k-1"));
  int64_t again = 0;
  assert_cbc_ok(cbc_cadre_assign_by(&again, db, c1, E(db, "C2"), e1, jan(1), 0, "k-1"));
  assert_int_equal(again, id);
  assert_cbc_error(cbc_cadre_assign_by(&again, db, E(db, "C2"), E(db, "C2"), e1, jan(1), 0,
                                       "k-1"),
                   CBC_ECONFLICT, NULL);
  assert_int_equal(count(db, CBC_ACTIVITY_ASSIGNMENT), 1);
  /* releasing: the same rule, after the state and the time */
  assert_cbc_error(cbc_cadre_release_by(db, id, E(db, "P1"), jan(20)), CBC_EPERM, "not allowed");
  assert_cbc_error(cbc_cadre_release_by(db, id, E(db, "C2"), jan(20)), CBC_EPERM, NULL);
  assert_cbc_error(cbc_cadre_release_by(db, id, E(db, "P1"), jan(1)), CBC_EINVAL, "after");
  assert_cbc_error(cbc_cadre_release_by(db, id, 0, jan(20)), CBC_EINVAL, "actor");
  cbc_cadre_assignment *a;
  assert_cbc_ok(cbc_cadre_assignment_lookup(&a, db, id));
  assert_int_equal(a->to, 0);
  cbc_cadre_assignment_free(a);
  assert_cbc_ok(cbc_cadre_release_by(db, id, c1, jan(20)));
  assert_cbc_error(cbc_cadre_release_by(db, id, c1, jan(21)), CBC_ESTATE, "ended");
  assert_cbc_error(cbc_cadre_release_by(db, id, E(db, "P1"), jan(21)), CBC_ESTATE, NULL);
}

/* The recorder is part of what a retry with the same key must repeat;
 * a key used without one keeps its digest. */
static void test_request_keys(void **state)
{
  cbc_db *db = *state;
  int64_t t1 = U(db, "T1"), first = 0, again = 0;
  assert_cbc_ok(add_training(db, t1, E(db, "L1"), "t-1", &first));
  assert_cbc_ok(add_training(db, t1, E(db, "L1"), "t-1", &again));
  assert_int_equal(again, first);
  assert_cbc_error(add_training(db, t1, E(db, "P1"), "t-1", &again), CBC_ECONFLICT, NULL);
  assert_cbc_error(add_training(db, t1, 0, "t-1", &again), CBC_ECONFLICT, NULL);
  assert_cbc_ok(add_training(db, t1, 0, "t-2", &first));
  assert_cbc_ok(add_training(db, t1, 0, "t-2", &again));
  assert_int_equal(again, first);
  assert_int_equal(count(db, CBC_ACTIVITY_TRAINING), 2);
}

/* -------------------------------------------------------- the questions */

static unsigned int moves(cbc_db *db, cbc_activity_kind kind, int64_t id, const char *who)
{
  unsigned int bits = 99;
  assert_cbc_ok(cbc_activity_moves(&bits, db, kind, id, E(db, who)));
  return bits;
}

static int may_record(cbc_db *db, cbc_activity_kind kind, const char *unit, const char *who)
{
  int yes = 99;
  assert_cbc_ok(cbc_activity_may_record(&yes, db, kind, unit ? U(db, unit) : 0, E(db, who)));
  return yes;
}

enum { VOID = CBC_ACTIVITY_MAY_VOID, DECIDE = CBC_ACTIVITY_MAY_DECIDE,
       RELEASE = CBC_ACTIVITY_MAY_RELEASE };

static void test_moves_answers(void **state)
{
  cbc_db *db = *state;
  const cbc_activity_kind P = CBC_ACTIVITY_PROPOSAL, A = CBC_ACTIVITY_ASSIGNMENT;
  int64_t t, p, a;
  assert_cbc_ok(add_training(db, U(db, "T1"), 0, NULL, &t));
  assert_int_equal(moves(db, CBC_ACTIVITY_TRAINING, t, "A1"), 0);
  assert_int_equal(moves(db, CBC_ACTIVITY_TRAINING, t, "L1"), VOID);
  assert_int_equal(moves(db, CBC_ACTIVITY_TRAINING, t, "C0"), 0);
  cbc_proposal_record pr = CBC_PROPOSAL_RECORD_INIT;
  pr.proposer_id = E(db, "A1");
  pr.title = "加装护栏";
  pr.text = "在轧机两侧加装护栏";
  assert_cbc_ok(cbc_proposal_submit(&p, db, &pr));
  assert_int_equal(moves(db, P, p, "A1"), VOID);          /* withdraw it */
  assert_int_equal(moves(db, P, p, "P1"), VOID | DECIDE);
  assert_int_equal(moves(db, P, p, "D1"), DECIDE);        /* W2's director: decides, E1-wide */
  assert_int_equal(moves(db, P, p, "C1"), VOID | DECIDE); /* the union over its unit */
  assert_int_equal(moves(db, P, p, "C2"), 0);             /* another district's cadre: neither */
  assert_cbc_error(cbc_proposal_decide(db, p, E(db, "C2"), 1, NULL), CBC_EPERM, "over its unit");
  assert_int_equal(moves(db, P, p, "XP"), 0);
  assert_cbc_ok(cbc_proposal_decide(db, p, E(db, "P1"), 1, NULL));
  assert_int_equal(moves(db, P, p, "A1"), 0);
  assert_int_equal(moves(db, P, p, "P1"), VOID);
  assert_cbc_ok(cbc_cadre_assign(&a, db, E(db, "C1"), U(db, "E1"), jan(1), 0));
  assert_int_equal(moves(db, A, a, "C1"), VOID | RELEASE);
  assert_int_equal(moves(db, A, a, "P1"), 0);
  assert_int_equal(moves(db, A, a, "C2"), 0);
  assert_cbc_ok(cbc_cadre_release(db, a, jan(2)));
  assert_int_equal(moves(db, A, a, "C1"), VOID);
  assert_cbc_ok(cbc_activity_void(db, A, a, E(db, "C1"), "录错"));
  assert_int_equal(moves(db, A, a, "C1"), 0);
  /* errors; a success leaves the thread's error as it was */
  unsigned int bits = 7;
  assert_cbc_error(cbc_activity_moves(&bits, db, (cbc_activity_kind)0, t, E(db, "L1")),
                   CBC_EINVAL, "kind");
  assert_int_equal(bits, 0);
  assert_cbc_error(cbc_activity_moves(&bits, db, P, 0, E(db, "L1")), CBC_EINVAL, "record");
  assert_cbc_error(cbc_activity_moves(&bits, db, P, p, 0), CBC_EINVAL, "actor");
  assert_cbc_error(cbc_activity_moves(&bits, db, P, 9999, E(db, "L1")), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_moves(&bits, db, P, p, 9999), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_moves(NULL, db, P, p, E(db, "L1")), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_activity_moves(&bits, NULL, P, p, E(db, "L1")), CBC_EINVAL, NULL);
  char before[256];
  snprintf(before, sizeof(before), "%s", cbc_error_last()->message);
  assert_cbc_ok(cbc_activity_moves(&bits, db, CBC_ACTIVITY_TRAINING, t, E(db, "A1")));
  assert_string_equal(cbc_error_last()->message, before);
  int yes;
  assert_cbc_ok(cbc_activity_may_record(&yes, db, CBC_ACTIVITY_VISIT, U(db, "T1"), E(db, "A1")));
  assert_string_equal(cbc_error_last()->message, before);
}

static void test_may_record_answers(void **state)
{
  cbc_db *db = *state;
  const cbc_activity_kind T = CBC_ACTIVITY_TRAINING, D = CBC_ACTIVITY_DRILL,
                          V = CBC_ACTIVITY_VISIT, P = CBC_ACTIVITY_PROPOSAL,
                          A = CBC_ACTIVITY_ASSIGNMENT;
  assert_int_equal(may_record(db, T, "T1", "A1"), 0);
  assert_int_equal(may_record(db, T, "T1", "L1"), 1);
  assert_int_equal(may_record(db, T, "T1", "C1"), 1);
  assert_int_equal(may_record(db, T, "T1", "C0"), 0);
  assert_int_equal(may_record(db, D, "T1", "P1"), 0); /* a team holds no drill */
  assert_int_equal(may_record(db, D, "E1", "P1"), 1);
  assert_int_equal(may_record(db, V, "T1", "C2"), 1); /* a cadre visits anywhere */
  assert_int_equal(may_record(db, V, "T1", "P1"), 0);
  assert_int_equal(may_record(db, V, "T1", "C0"), 0);
  assert_int_equal(may_record(db, P, NULL, "A1"), 1);
  assert_int_equal(may_record(db, P, "E2", "A1"), 1);
  assert_int_equal(may_record(db, P, NULL, "C0"), 0);
  assert_int_equal(may_record(db, A, "E1", "C1"), 1);
  assert_int_equal(may_record(db, A, "W1", "C1"), 0); /* assigned to enterprises, regions */
  assert_int_equal(may_record(db, A, "E1", "P1"), 0);
  assert_int_equal(may_record(db, A, "R2", "C2"), 1);
  assert_int_equal(may_record(db, A, "E1", "C2"), 0);
  assert_int_equal(may_record(db, T, "T8", "C1"), 0); /* closed */
  int yes = 7;
  assert_cbc_error(cbc_activity_may_record(&yes, db, (cbc_activity_kind)6, U(db, "T1"),
                                           E(db, "L1")), CBC_EINVAL, "kind");
  assert_int_equal(yes, 0);
  assert_cbc_error(cbc_activity_may_record(&yes, db, T, 0, E(db, "L1")), CBC_EINVAL, "unit");
  assert_cbc_error(cbc_activity_may_record(&yes, db, P, -1, E(db, "L1")), CBC_EINVAL, "unit");
  assert_cbc_error(cbc_activity_may_record(&yes, db, T, U(db, "T1"), 0), CBC_EINVAL, "actor");
  assert_cbc_error(cbc_activity_may_record(&yes, db, T, 9999, E(db, "L1")), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_may_record(&yes, db, T, U(db, "T1"), 9999), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_may_record(&yes, db, V, U(db, "T1"), 9999), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_may_record(NULL, db, T, U(db, "T1"), E(db, "L1")), CBC_EINVAL,
                   NULL);
}

/* ------------------------------------------- the questions vs the calls */

typedef struct rnd {
  uint64_t s;
} rnd;

static uint64_t next(rnd *r)
{
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}
static int pick(rnd *r, int n) { return (int)(next(r) % (uint64_t)n); }

static const char *const people[] = { "A1", "A2", "L1", "L2", "B1", "D1", "P1", "S1", "I1",
                                      "C1", "C2", "C0", "X1", "XL", "XS", "XP" };
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))
static const char *const units[] = { "R1", "E1", "W1", "W2", "T1", "T2", "T3",
                                     "E2", "W9", "T9", "R2", "T8" };
#define N_UNITS (sizeof(units) / sizeof(units[0]))

/* A team under each unit, for a drill on it (NULL: none). */
static const char *team_under(const char *unit)
{
  return strcmp(unit, "E1") == 0 || strcmp(unit, "W2") == 0 ? "T3"
         : strcmp(unit, "W1") == 0                           ? "T1"
         : strcmp(unit, "E2") == 0 || strcmp(unit, "W9") == 0 ? "T9"
                                                              : NULL;
}

#define MAX_RECORDS 64

typedef struct made {
  cbc_activity_kind kind;
  int64_t id;
} made;

/* Records of every kind on random units, some voided, decided, released. */
static size_t random_records(cbc_db *db, rnd *r, made *out)
{
  size_t n = 0;
  int64_t cadres[] = { E(db, "C1"), E(db, "C2") };
  while (n < MAX_RECORDS) {
    const char *unit = units[pick(r, N_UNITS)];
    const char *who = people[pick(r, N_PEOPLE)];
    int64_t id = 0;
    cbc_activity_kind kind = (cbc_activity_kind)(1 + pick(r, 5));
    int rc;
    if (kind == CBC_ACTIVITY_TRAINING) {
      rc = add_training(db, U(db, unit), 0, NULL, &id);
    } else if (kind == CBC_ACTIVITY_DRILL) {
      rc = team_under(unit) ? add_drill(db, U(db, unit), U(db, team_under(unit)), 0, &id) : 1;
    } else if (kind == CBC_ACTIVITY_VISIT) {
      cbc_visit_record v = CBC_VISIT_RECORD_INIT;
      v.cadre_id = cadres[pick(r, 2)];
      v.unit_id = U(db, unit);
      v.visited_at = jan(3);
      v.findings = "";
      rc = cbc_visit_add(&id, db, &v);
    } else if (kind == CBC_ACTIVITY_PROPOSAL) {
      cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
      p.proposer_id = E(db, who);
      p.unit_id = pick(r, 2) ? U(db, unit) : 0;
      p.title = "建议";
      p.text = "改进";
      rc = cbc_proposal_submit(&id, db, &p);
      if (!rc && pick(r, 3) == 0) { /* decided by C1 where C1 is the union over it */
        int decided = cbc_proposal_decide(db, id, E(db, "C1"), pick(r, 2), NULL);
        assert_true(decided == 0 || decided == CBC_EPERM);
      }
    } else {
      rc = cbc_cadre_assign(&id, db, cadres[pick(r, 2)], U(db, unit), jan(1) + (int64_t)n, 0);
      if (!rc && pick(r, 3) == 0)
        assert_cbc_ok(cbc_cadre_release(db, id, jan(20)));
    }
    if (rc)
      continue; /* a unit that cannot hold it, an inactive proposer: try another */
    if (pick(r, 5) == 0 && cbc_activity_void(db, kind, id, E(db, "C1"), "随机作废"))
      assert_cbc_ok(cbc_activity_void(db, kind, id, E(db, "C2"), "随机作废")); /* in R2 */
    out[n].kind = kind;
    out[n++].id = id;
  }
  return n;
}

/* Make @p move on the record inside a group rolled back after. */
static int try_move(cbc_db *db, const made *m, unsigned int move, int64_t actor)
{
  assert_cbc_ok(cbc_db_begin(db));
  int rc = move == CBC_ACTIVITY_MAY_VOID ? cbc_activity_void(db, m->kind, m->id, actor, "试")
           : move == CBC_ACTIVITY_MAY_DECIDE ? cbc_proposal_decide(db, m->id, actor, 1, NULL)
                                            : cbc_cadre_release_by(db, m->id, actor, jan(25));
  assert_cbc_ok(cbc_db_rollback(db));
  return rc;
}

/* Every bit given succeeds; every bit withheld is refused (CBC_EPERM,
 * CBC_ESTATE): 64 random records × 16 people, in five random worlds (one
 * in a light run, cbc_test_light(): valgrind). */
static void test_moves_agree_with_the_moves(void **state)
{
  (void)state;
  long given = 0, withheld = 0;
  uint64_t worlds = cbc_test_light() ? 1 : 5;
  for (uint64_t seed = 1; seed <= worlds; seed++) {
    cbc_db *db;
    setup((void **)&db);
    rnd r = { 0x9e3779b97f4a7c15ull * seed };
    made recs[MAX_RECORDS];
    size_t n = random_records(db, &r, recs);
    for (size_t i = 0; i < n; i++) {
      for (size_t p = 0; p < N_PEOPLE; p++) {
        int64_t actor = E(db, people[p]);
        unsigned int bits;
        assert_cbc_ok(cbc_activity_moves(&bits, db, recs[i].kind, recs[i].id, actor));
        for (unsigned int move = 1; move <= CBC_ACTIVITY_MAY_RELEASE; move <<= 1) {
          if ((move == DECIDE && recs[i].kind != CBC_ACTIVITY_PROPOSAL) ||
              (move == RELEASE && recs[i].kind != CBC_ACTIVITY_ASSIGNMENT)) {
            assert_false(bits & move);
            continue;
          }
          int rc = try_move(db, &recs[i], move, actor);
          if (bits & move) {
            if (rc)
              fail_msg("%s %lld, move %u by %s: given but %s",
                       cbc_activity_kind_name(recs[i].kind), (long long)recs[i].id, move,
                       people[p], cbc_error_last()->message);
            given++;
          } else {
            if (rc != CBC_EPERM && rc != CBC_ESTATE)
              fail_msg("%s %lld, move %u by %s: withheld but %d",
                       cbc_activity_kind_name(recs[i].kind), (long long)recs[i].id, move,
                       people[p], rc);
            withheld++;
          }
        }
      }
    }
    cbc_db_close(db);
  }
  print_message("%ld moves given and made, %ld withheld and refused\n", given, withheld);
  assert_true(given > 60 * (long)worlds && withheld > 200 * (long)worlds);
}

/* Record @p kind on @p unit as @p actor, the record otherwise valid. */
static int try_record(cbc_db *db, cbc_activity_kind kind, const char *unit, int64_t actor)
{
  int64_t unit_id = U(db, unit);
  assert_cbc_ok(cbc_db_begin(db));
  int rc;
  if (kind == CBC_ACTIVITY_TRAINING) {
    rc = add_training(db, unit_id, actor, NULL, NULL);
  } else if (kind == CBC_ACTIVITY_DRILL) {
    const char *team = team_under(unit);
    rc = add_drill(db, unit_id, team ? U(db, team) : U(db, "T1"), actor, NULL);
  } else if (kind == CBC_ACTIVITY_VISIT) {
    cbc_visit_record v = CBC_VISIT_RECORD_INIT;
    v.cadre_id = actor;
    v.unit_id = unit_id;
    v.visited_at = now; /* who may record is asked of now */
    v.findings = "";
    rc = cbc_visit_add(NULL, db, &v);
  } else if (kind == CBC_ACTIVITY_PROPOSAL) {
    cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
    p.proposer_id = actor;
    p.unit_id = unit_id;
    p.title = "建议";
    p.text = "改进";
    rc = cbc_proposal_submit(NULL, db, &p);
  } else {
    rc = cbc_cadre_assign_by(NULL, db, actor, E(db, "C2"), unit_id, 1000, 2000, NULL);
  }
  assert_cbc_ok(cbc_db_rollback(db));
  return rc;
}

/* cbc_activity_may_record() says 1 exactly when the add succeeds: every
 * kind × unit × person, with a unit closed and people gone. */
static void test_may_record_agrees_with_the_adds(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L2"), now));
  long yes = 0, no = 0;
  for (int k = CBC_ACTIVITY_TRAINING; k <= CBC_ACTIVITY_ASSIGNMENT; k++)
    for (size_t u = 0; u < N_UNITS; u++)
      for (size_t p = 0; p < N_PEOPLE; p++) {
        int64_t actor = E(db, people[p]);
        int may;
        assert_cbc_ok(cbc_activity_may_record(&may, db, (cbc_activity_kind)k, U(db, units[u]),
                                              actor));
        int rc = try_record(db, (cbc_activity_kind)k, units[u], actor);
        if (may != (rc == 0))
          fail_msg("%s on %s by %s: may_record %d, the add %d (%s)",
                   cbc_activity_kind_name((cbc_activity_kind)k), units[u], people[p], may, rc,
                   rc ? cbc_error_last()->message : "");
        if (!may && rc != CBC_EPERM && rc != CBC_EINVAL)
          fail_msg("refused with %d", rc);
        may ? yes++ : no++;
      }
  print_message("%ld may record and did, %ld may not and were refused\n", yes, no);
  assert_true(yes > 100 && no > 300);
}

/* ------------------------------------------------ allocation failures */

typedef struct sweep {
  int64_t c1, p1, l1, e1, t1, t3, proposal;
} sweep;

static cbc_db *sweep_db(sweep *x)
{
  now = cbc_test_date(2024, 4, 1);
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  x->c1 = E(db, "C1");
  x->p1 = E(db, "P1");
  x->l1 = E(db, "L1");
  x->e1 = U(db, "E1");
  x->t1 = U(db, "T1");
  x->t3 = U(db, "T3");
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "A1");
  p.title = "建议";
  p.text = "改进";
  assert_cbc_ok(cbc_proposal_submit(&x->proposal, db, &p));
  return db;
}

/* The new calls, in order: questions, recorded adds, assign and release. */
static int new_calls(cbc_db *db, const sweep *x, int64_t *assignment)
{
  unsigned int bits = 0;
  int may = 0;
  cbc_attendee att[] = { { x->c1, 1 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = x->t1;
  t.held_at = jan(10);
  t.minutes = 60;
  t.title = "岗位安全";
  t.attendees = att;
  t.n_attendees = 1;
  t.recorded_by = x->l1;
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = x->e1;
  d.held_at = jan(12);
  d.scenario = "火灾疏散";
  d.team_ids = &x->t3;
  d.n_teams = 1;
  d.recorded_by = x->p1;
  int rc = cbc_activity_moves(&bits, db, CBC_ACTIVITY_PROPOSAL, x->proposal, x->p1);
  if (!rc)
    rc = cbc_activity_may_record(&may, db, CBC_ACTIVITY_DRILL, x->e1, x->p1);
  if (!rc)
    rc = cbc_training_add(NULL, db, &t);
  if (!rc)
    rc = cbc_drill_add(NULL, db, &d);
  if (!rc)
    rc = cbc_cadre_assign_by(assignment, db, x->c1, x->c1, x->e1, jan(1), 0, NULL);
  if (!rc)
    rc = cbc_cadre_release_by(db, *assignment, x->c1, jan(20));
  if (!rc && (bits != (VOID | DECIDE) || !may))
    fail_msg("answers %u %d", bits, may);
  return rc;
}

/* Every allocation of the new calls can fail (about 2,000, most of them
 * SQLite's preparing statements): the sweep tries about 400 failure points
 * spread evenly over them (that many times fewer under
 * CBC_TEST_FAULT_STRIDE); each failure is an out of memory error, and what
 * failed left nothing half-written. */
static void test_allocation_failures(void **state)
{
  (void)state;
  sweep x;
  int64_t assignment = 0;
  cbc_db *db = sweep_db(&x);
  long before = cbc_test_alloc_count();
  assert_cbc_ok(new_calls(db, &x, &assignment));
  long total = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  long points = 0, stride = cbc_test_fault_stride() * (total / 400 > 1 ? total / 400 : 1);
  print_message("%ld allocations; failing every %ld-th\n", total, stride);
  for (long n = 1;; n += stride) {
    db = sweep_db(&x);
    assignment = 0;
    cbc_test_fail_after(n);
    int rc = new_calls(db, &x, &assignment);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc)
      assert_non_null(strstr(cbc_error_last()->message, "memory"));
    /* an assignment stored was stored whole, and released only whole */
    if (assignment) {
      cbc_cadre_assignment *a;
      assert_cbc_ok(cbc_cadre_assignment_lookup(&a, db, assignment));
      assert_int_equal(a->unit_id, x.e1);
      assert_true(a->to == 0 || a->to == jan(20));
      cbc_cadre_assignment_free(a);
    }
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride > 100);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_training_recorder, setup, teardown),
    cmocka_unit_test_setup_teardown(test_old_versions_unchecked, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drill_recorder, setup, teardown),
    cmocka_unit_test_setup_teardown(test_assign_and_release_by, setup, teardown),
    cmocka_unit_test_setup_teardown(test_request_keys, setup, teardown),
    cmocka_unit_test_setup_teardown(test_moves_answers, setup, teardown),
    cmocka_unit_test_setup_teardown(test_may_record_answers, setup, teardown),
    cmocka_unit_test(test_moves_agree_with_the_moves),
    cmocka_unit_test_setup_teardown(test_may_record_agrees_with_the_adds, setup, teardown),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
