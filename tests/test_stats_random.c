/* Random histories against the statistics' invariants (tests/invariants.h):
 * a small org of two regions, four enterprises, workshops and teams lives
 * through about fourteen months across a year boundary — hires (some with
 * unknown or earlier hire dates), transfers within and across enterprises
 * (some backdated within the month, before records already counted),
 * departures and returns, trainings (leader classes too), drills, visits,
 * cadre assignments, proposals, voids of any of those records, hazards
 * reported and closed, enterprises and a district moving in the tree
 * (which the region roll-ups follow), some of it in
 * groups that are committed or rolled back.  At checkpoints and at the
 * end, for every unit and every month, quarter and year: the aggregates
 * equal the records and a rebuild, trained <= took part, a quarter or year
 * counts at least as many people as each of its months; and every hazard's
 * history replays to its row.
 *
 * Seeds: CBC_TEST_SEED=n runs that one; else four fixed ones (two under
 * valgrind, cbc_test_light()), or with CBC_TEST_LONG=1 more seeds and
 * longer histories.  Each prints its seed. */
#include "helpers.h"
#include "invariants.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

/* ------------------------------------------------------------ the org */

static const cbc_unit_record units[] = {
  { 1, "CITY", NULL, CBC_UNIT_REGION, "市总工会", NULL, 0 },
  { 1, "R1", "CITY", CBC_UNIT_REGION, "甲区", NULL, 0 },
  { 1, "R2", "CITY", CBC_UNIT_REGION, "乙区", NULL, 0 },
  { 1, "E1", "R1", CBC_UNIT_ENTERPRISE, "钢厂", NULL, 1 },
  { 1, "W11", "E1", CBC_UNIT_WORKSHOP, "轧钢", NULL, 0 },
  { 1, "T111", "W11", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "T112", "W11", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "W12", "E1", CBC_UNIT_WORKSHOP, "炼铁", NULL, 0 },
  { 1, "T121", "W12", CBC_UNIT_TEAM, "丙班", NULL, 0 },
  { 1, "E2", "R1", CBC_UNIT_ENTERPRISE, "医院", NULL, 0 },
  { 1, "T201", "E2", CBC_UNIT_TEAM, "后勤班", NULL, 0 },
  { 1, "W21", "E2", CBC_UNIT_WORKSHOP, "设备科", NULL, 0 },
  { 1, "T211", "W21", CBC_UNIT_TEAM, "维修班", NULL, 0 },
  { 1, "E3", "R2", CBC_UNIT_ENTERPRISE, "化工厂", NULL, 1 },
  { 1, "W31", "E3", CBC_UNIT_WORKSHOP, "合成", NULL, 0 },
  { 1, "T311", "W31", CBC_UNIT_TEAM, "丁班", NULL, 0 },
  { 1, "T312", "W31", CBC_UNIT_TEAM, "戊班", NULL, 0 },
  { 1, "E4", "R2", CBC_UNIT_ENTERPRISE, "水泥厂", NULL, 0 },
  { 1, "T401", "E4", CBC_UNIT_TEAM, "窑班", NULL, 0 },
};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

/* The teams, with their enterprise (0..3) and their unit's index. */
static const struct {
  const char *ext;
  int enterprise;
} teams[] = {
  { "T111", 0 }, { "T112", 0 }, { "T121", 0 }, { "T201", 1 },
  { "T211", 1 }, { "T311", 2 }, { "T312", 2 }, { "T401", 3 },
};
#define N_TEAMS ((int)(sizeof(teams) / sizeof(teams[0])))
static const char *const enterprises[] = { "E1", "E2", "E3", "E4" };
#define N_ENTERPRISES 4

/* ----------------------------------------------------------- the model */

#define MAX_PEOPLE 160

typedef struct person {
  int64_t id;
  char ext[16];
  int team;           /* index into teams */
  bool active;
  bool head;          /* a team leader or a principal: stays, attends leader classes */
  int64_t last_change; /* effective time of the last transfer, leaving or return */
} person;

typedef struct hazard_ref {
  int64_t id;
  int team;
  int stage; /* 0 reported, 1 registered, 2 started, 3 submitted, 4 closed */
} hazard_ref;

#define MAX_HAZARDS 400

typedef struct model {
  person people[MAX_PEOPLE];
  int n_people;
  hazard_ref hazards[MAX_HAZARDS];
  int n_hazards;
  int next_ext;
} model;

typedef struct history {
  cbc_db *db;
  model m;
  uint64_t rng;
  int64_t team_ids[N_TEAMS], enterprise_ids[N_ENTERPRISES], cadre;
  int64_t principal[N_ENTERPRISES], leader[N_TEAMS];
  long applied, refused;
} history;

static uint64_t next_random(history *h)
{
  h->rng ^= h->rng << 13;
  h->rng ^= h->rng >> 7;
  h->rng ^= h->rng << 17;
  return h->rng;
}

static int pick(history *h, int n) { return (int)(next_random(h) % (uint64_t)n); }
static int64_t pick_time(history *h, int64_t span) { return span > 0 ? (int64_t)(next_random(h) % (uint64_t)span) : 0; }

/* A call's result: applied, or refused for a reason the model allows. */
static void outcome(history *h, int rc, const char *what)
{
  if (rc == 0) {
    h->applied++;
    return;
  }
  if (rc != CBC_EINVAL && rc != CBC_ESTATE && rc != CBC_ECONFLICT && rc != CBC_EPERM)
    fail_msg("%s: unexpected %s: %s", what, cbc_error_name(rc), cbc_error_last()->message);
  h->refused++;
}

/* A random active person, heads excluded when @p workers_only; -1 if none. */
static int some_person(history *h, bool workers_only)
{
  for (int tries = 0; tries < 40; tries++) {
    int i = pick(h, h->m.n_people);
    if (h->m.people[i].active && !(workers_only && h->m.people[i].head))
      return i;
  }
  return -1;
}

/* -------------------------------------------------------------- org ops */

static int add_person(history *h, int team, bool head, unsigned int roles, int64_t hire_date)
{
  model *m = &h->m;
  if (m->n_people == MAX_PEOPLE)
    return -1;
  person *p = &m->people[m->n_people];
  snprintf(p->ext, sizeof(p->ext), "P%03d", m->next_ext++);
  cbc_employee_record r = CBC_EMPLOYEE_RECORD_INIT;
  r.external_id = p->ext;
  r.name = p->ext;
  r.unit_external_id = teams[team].ext;
  r.roles = roles;
  r.hire_date = hire_date;
  int rc = cbc_employee_upsert(&p->id, h->db, &r);
  outcome(h, rc, "hire");
  if (rc)
    return -1;
  p->team = team;
  p->active = true;
  p->head = head;
  p->last_change = 0;
  return m->n_people++;
}

static void op_hire(history *h)
{
  int64_t dates[3] = { 0, now, now - pick_time(h, 40 * DAY) }; /* unknown, today, earlier */
  add_person(h, pick(h, N_TEAMS), false, CBC_ROLE_WORKER, dates[pick(h, 3)]);
}

/* A change's effective time: now, or backdated within the last 20 days but
 * not before the person's last change (the history's times never decrease). */
static int64_t change_time(history *h, const person *p)
{
  if (pick(h, 3) == 0)
    return now;
  int64_t t = now - pick_time(h, 20 * DAY);
  return t < p->last_change ? p->last_change : t;
}

static void op_transfer(history *h)
{
  int i = some_person(h, true);
  if (i < 0)
    return;
  person *p = &h->m.people[i];
  int to = pick(h, N_TEAMS);
  if (pick(h, 2)) /* within the enterprise half of the time, when it has another team */
    for (int k = 0; k < N_TEAMS; k++)
      if (teams[k].enterprise == teams[p->team].enterprise && k != p->team)
        to = k;
  if (to == p->team)
    return;
  int64_t at = change_time(h, p);
  int rc = cbc_employee_transfer(h->db, p->id, h->team_ids[to], at);
  outcome(h, rc, "transfer");
  if (!rc) {
    p->team = to;
    p->last_change = at;
  }
}

static void op_leave(history *h)
{
  int i = some_person(h, true);
  if (i < 0)
    return;
  person *p = &h->m.people[i];
  int64_t at = change_time(h, p);
  int rc = cbc_employee_deactivate(h->db, p->id, at);
  outcome(h, rc, "leave");
  if (!rc) {
    p->active = false;
    p->last_change = at;
  }
}

static void op_return(history *h)
{
  for (int tries = 0; tries < 20; tries++) {
    person *p = &h->m.people[pick(h, h->m.n_people)];
    if (p->active)
      continue;
    int team = pick(h, 2) ? p->team : pick(h, N_TEAMS);
    cbc_employee_record r = CBC_EMPLOYEE_RECORD_INIT;
    r.external_id = p->ext;
    r.name = p->ext;
    r.unit_external_id = teams[team].ext;
    int rc = cbc_employee_upsert(NULL, h->db, &r);
    outcome(h, rc, "return");
    if (!rc) {
      p->active = true;
      p->team = team;
      p->last_change = p->last_change > now ? p->last_change : now;
    }
    return;
  }
}

/* --------------------------------------------------------- activity ops */

static void op_training(history *h)
{
  int e = pick(h, N_ENTERPRISES);
  bool leaders = pick(h, 4) == 0;
  cbc_attendee att[6];
  size_t n = 0;
  for (int i = 0; i < h->m.n_people && n < 6; i++) {
    const person *p = &h->m.people[i];
    if (p->active && teams[p->team].enterprise == e && (!leaders || p->head) && pick(h, 2))
      att[n++] = (cbc_attendee){ p->id, pick(h, 4) != 0 };
  }
  if (!n)
    return;
  static const cbc_training_kind kinds[] = { CBC_TRAINING_ALL_STAFF, CBC_TRAINING_RETRAINING,
                                             CBC_TRAINING_WARNING_EDUCATION,
                                             CBC_TRAINING_SPECIAL_OPERATION };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = leaders ? CBC_TRAINING_LEADER_CLASS : kinds[pick(h, 4)];
  r.unit_id = h->enterprise_ids[e];
  r.held_at = now - pick_time(h, 3 * DAY);
  r.minutes = 60;
  r.title = "培训";
  r.attendees = att;
  r.n_attendees = n;
  outcome(h, cbc_training_add(NULL, h->db, &r), "training");
}

static void op_drill(history *h)
{
  int e = pick(h, N_ENTERPRISES);
  int64_t ids[2];
  size_t n = 0;
  for (int k = 0; k < N_TEAMS && n < 2; k++)
    if (teams[k].enterprise == e && (n == 0 || pick(h, 2)))
      ids[n++] = h->team_ids[k];
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = h->enterprise_ids[e];
  d.held_at = now - pick_time(h, 3 * DAY);
  d.scenario = "演练";
  d.team_ids = ids;
  d.n_teams = n;
  outcome(h, cbc_drill_add(NULL, h->db, &d), "drill");
}

static void op_visit(history *h)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = h->cadre;
  v.unit_id = h->enterprise_ids[pick(h, N_ENTERPRISES)];
  v.visited_at = now - pick_time(h, 2 * DAY);
  outcome(h, cbc_visit_add(NULL, h->db, &v), "visit");
}

static void op_assign(history *h)
{
  int64_t from = now - pick_time(h, 60 * DAY), to = pick(h, 2) ? 0 : from + 30 * DAY;
  outcome(h, cbc_cadre_assign(NULL, h->db, h->cadre, h->enterprise_ids[pick(h, N_ENTERPRISES)],
                              from, to), "assignment");
}

/* The tree changes: an enterprise moves to the other district, or district
 * R2 moves under R1 (a deeper tree) and back under the city.  Roll-ups
 * follow the tree as it is now (docs/statistics.md). */
static void op_move_unit(history *h)
{
  int64_t r1 = cbc_test_unit_id(h->db, "R1"), r2 = cbc_test_unit_id(h->db, "R2");
  if (pick(h, 3) == 0) {
    cbc_unit *u;
    assert_cbc_ok(cbc_unit_lookup(&u, h->db, r2));
    int64_t parent = u->parent_id == r1 ? cbc_test_unit_id(h->db, "CITY") : r1;
    cbc_unit_free(u);
    outcome(h, cbc_unit_move(h->db, r2, parent), "district move");
    return;
  }
  int64_t e = h->enterprise_ids[pick(h, N_ENTERPRISES)];
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup(&u, h->db, e));
  int64_t parent = u->parent_id == r1 ? r2 : r1;
  cbc_unit_free(u);
  outcome(h, cbc_unit_move(h->db, e, parent), "enterprise move");
}

static void op_proposal(history *h)
{
  int i = some_person(h, false);
  if (i < 0)
    return;
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = h->m.people[i].id;
  p.title = "建议";
  p.text = "加装护栏";
  outcome(h, cbc_proposal_submit(NULL, h->db, &p), "proposal");
}

/* Void a standing record of a random kind picked from its listing, as the
 * district R1's cadre or a random enterprise's principal (refused outside
 * what they answer for: docs/activities.md, "Voiding"). */
static void op_void(history *h)
{
  int64_t ids[32];
  size_t n = 0;
  int rc = 0;
  cbc_activity_kind kind = (cbc_activity_kind)(1 + pick(h, 5));
  /* candidates: the first 32 listed, some later ones taking their places */
#define COLLECT(type)                                                                   \
  do {                                                                                  \
    type##_iter *it = NULL;                                                             \
    const type *row;                                                                    \
    rc = type##_iter_new(&it, h->db, NULL);                                             \
    while (!rc && (rc = type##_iter_next(&row, it)) == 0)                               \
      if (n < 32 || pick(h, 2))                                                         \
        ids[n < 32 ? n++ : (size_t)pick(h, 32)] = row->id;                              \
    type##_iter_free(it);                                                               \
  } while (0)
  switch (kind) {
  case CBC_ACTIVITY_TRAINING: COLLECT(cbc_training); break;
  case CBC_ACTIVITY_DRILL: COLLECT(cbc_drill); break;
  case CBC_ACTIVITY_VISIT: COLLECT(cbc_visit); break;
  case CBC_ACTIVITY_PROPOSAL: COLLECT(cbc_proposal); break;
  default: COLLECT(cbc_cadre_assignment); break;
  }
#undef COLLECT
  assert_int_equal(rc, CBC_ITEROVER);
  if (!n)
    return;
  int64_t actor = pick(h, 2) ? h->cadre : h->principal[pick(h, N_ENTERPRISES)];
  outcome(h, cbc_activity_void(h->db, kind, ids[pick(h, (int)n)], actor, "作废"), "void");
}

static void op_report(history *h)
{
  int i = some_person(h, false);
  if (i < 0 || h->m.n_hazards == MAX_HAZARDS)
    return;
  const person *p = &h->m.people[i];
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = p->id;
  r.unit_id = h->team_ids[p->team];
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  hazard_ref *ref = &h->m.hazards[h->m.n_hazards];
  int rc = cbc_hazard_report(&ref->id, NULL, h->db, &r);
  outcome(h, rc, "report");
  if (!rc) {
    ref->team = p->team;
    ref->stage = 0;
    h->m.n_hazards++;
  }
}

/* One step of a random open hazard towards closure, by its team's leader
 * and its enterprise's principal. */
static void op_hazard_step(history *h)
{
  if (!h->m.n_hazards)
    return;
  hazard_ref *z = &h->m.hazards[pick(h, h->m.n_hazards)];
  int64_t leader = h->leader[z->team], principal = h->principal[teams[z->team].enterprise];
  int rc;
  switch (z->stage) {
  case 0: {
    cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
    g.severity = CBC_SEVERITY_GENERAL;
    g.level = CBC_LEVEL_TEAM;
    g.measures = "整改";
    g.deadline = now + 30 * DAY;
    g.contingency_plan = "警示";
    rc = cbc_hazard_register(h->db, z->id, leader, &g);
    break;
  }
  case 1: rc = cbc_hazard_start(h->db, z->id, leader); break;
  case 2: rc = cbc_hazard_submit(h->db, z->id, leader, "已整改", NULL, 0); break;
  case 3: rc = cbc_hazard_verify(h->db, z->id, principal, 1, NULL, NULL, 0); break;
  default: return;
  }
  outcome(h, rc, "hazard move");
  z->stage += rc == 0;
}

/* --------------------------------------------------------------- driver */

typedef void (*op_fn)(history *h);
static const struct {
  op_fn fn;
  int weight;
} ops[] = {
  { op_hire, 6 },     { op_transfer, 10 }, { op_leave, 4 },  { op_return, 3 },
  { op_training, 9 }, { op_drill, 8 },     { op_visit, 3 },  { op_assign, 1 },
  { op_proposal, 4 }, { op_report, 12 },   { op_hazard_step, 10 }, { op_void, 3 },
  { op_move_unit, 2 },
};

static void one_op(history *h)
{
  int total = 0;
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
    total += ops[i].weight;
  int r = pick(h, total);
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
    if (r < ops[i].weight) {
      ops[i].fn(h);
      return;
    }
    r -= ops[i].weight;
  }
}

/* A few ops in a group, committed, or rolled back with the model restored. */
static void grouped_ops(history *h)
{
  model saved = h->m;
  assert_cbc_ok(cbc_db_begin(h->db));
  for (int n = 1 + pick(h, 4); n > 0; n--)
    one_op(h);
  if (pick(h, 3) == 0) {
    assert_cbc_ok(cbc_db_rollback(h->db));
    h->m = saved;
  } else {
    assert_cbc_ok(cbc_db_commit(h->db));
  }
}

static void seed_org(history *h)
{
  now = cbc_test_date(2023, 11, 1);
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, h->db, units, N_UNITS, NULL, 0, NULL));
  cbc_sync_result_free(res);
  for (int k = 0; k < N_TEAMS; k++)
    h->team_ids[k] = cbc_test_unit_id(h->db, teams[k].ext);
  for (int e = 0; e < N_ENTERPRISES; e++)
    h->enterprise_ids[e] = cbc_test_unit_id(h->db, enterprises[e]);
  for (int e = 0; e < N_ENTERPRISES; e++) {
    int first = 0;
    while (teams[first].enterprise != e)
      first++;
    int i = add_person(h, first, true, CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 0);
    h->principal[e] = h->m.people[i].id;
  }
  for (int k = 0; k < N_TEAMS; k++) {
    int i = add_person(h, k, true, CBC_ROLE_TEAM_LEADER, 0);
    h->leader[k] = h->m.people[i].id;
    for (int w = 0; w < 3; w++)
      add_person(h, k, false, CBC_ROLE_WORKER, pick(h, 2) ? 0 : now - pick_time(h, 900 * DAY));
  }
  cbc_employee_record k1 = CBC_EMPLOYEE_RECORD_INIT;
  k1.external_id = "K1";
  k1.name = "K1";
  k1.unit_external_id = "R1";
  k1.roles = CBC_ROLE_UNION_CADRE;
  assert_cbc_ok(cbc_employee_upsert(&h->cadre, h->db, &k1));
}

/* The invariants now; returns the (unit, period) comparisons made: every
 * unit and period of both years, before and after a rebuild, and every
 * unit over @p ranges random ranges (days, seconds, calendar periods given
 * as ranges) by each plan of the records. */
static size_t check(history *h, int ranges)
{
  int64_t from, to, ignored;
  cbc_period y2023 = { CBC_PERIOD_YEAR, 2023, 0, 0, 0 }, y2024 = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  cbc_test_assert_stats_rebuild(h->db, 2023, 2024);
  cbc_test_assert_all_replay(h->db);
  assert_cbc_ok(cbc_period_bounds(&from, &ignored, h->db, &y2023));
  assert_cbc_ok(cbc_period_bounds(&ignored, &to, h->db, &y2024));
  return 2 * N_UNITS * 2 * 17 + cbc_test_assert_ranges_agree(h->db, from, to, ranges, h->rng);
}

static void run_history(uint64_t seed, int n_ops, int ranges)
{
  history *h = calloc(1, sizeof(*h));
  assert_non_null(h);
  h->rng = seed * 0x9E3779B97F4A7C15ull + 1;
  h->db = cbc_test_db(&now);
  seed_org(h);
  /* about thirteen months from 2023-11-01: the mean step is 400 days / n */
  int64_t step = 2 * 400 * DAY / n_ops;
  size_t compared = 0;
  for (int i = 0; i < n_ops; i++) {
    now += pick_time(h, step);
    if (pick(h, 10) == 0)
      grouped_ops(h);
    else
      one_op(h);
    if ((i + 1) % (n_ops / 3) == 0 && i + 1 < n_ops)
      compared += check(h, 1);
  }
  compared += check(h, ranges);
  printf("seed %llu: %d operations (%ld applied, %ld refused), %d people, %d hazards, "
         "ending %lld; %zu (unit, period) comparisons\n", (unsigned long long)seed, n_ops,
         h->applied, h->refused, h->m.n_people, h->m.n_hazards, (long long)now, compared);
  cbc_db_close(h->db);
  free(h);
}

static void test_random_histories(void **state)
{
  (void)state;
  const char *one = getenv("CBC_TEST_SEED");
  const char *env_long = getenv("CBC_TEST_LONG");
  bool is_long = env_long && *env_long && strcmp(env_long, "0") != 0;
  if (one && *one) {
    run_history(strtoull(one, NULL, 10), is_long ? 800 : 300, is_long ? 12 : 3);
    return;
  }
  int seeds = is_long ? 24 : cbc_test_light() ? 2 : 4;
  for (int s = 1; s <= seeds; s++)
    run_history((uint64_t)s, is_long ? 800 : 300, is_long ? 12 : 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_random_histories),
  };
  return cmocka_run_group_tests_name("stats_random", tests, NULL, NULL);
}
