/* The responsible person found from the org tree and the handle's scope
 * cache (lib/org_scope.c, lib/store/org_store.c): answers equal an oracle
 * computed from the records, whatever the tree and roles, and the cache,
 * grown past its first size, follows changes made by another connection. */
#include "helpers.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000000;

/* ------------------------------------------------ random trees, oracle */

#define TEAMS 6
#define PEOPLE 48

typedef struct world {
  int team_parent[TEAMS]; /* 0: workshop W0, 1: workshop W1, 2: the enterprise itself */
  unsigned int roles[PEOPLE];
  int team[PEOPLE];
  bool active[PEOPLE];
  int64_t id[PEOPLE], team_id[TEAMS], workshop_id[2], enterprise_id;
} world;

static const unsigned int role_pool[] = { CBC_ROLE_WORKER, CBC_ROLE_TEAM_LEADER,
                                          CBC_ROLE_WORKSHOP_DIRECTOR, CBC_ROLE_PRINCIPAL,
                                          CBC_ROLE_SAFETY_OFFICER };

static void unit(cbc_db *db, int64_t *id, const char *ext, const char *parent, cbc_unit_kind kind)
{
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = ext;
  r.parent_external_id = parent;
  r.kind = kind;
  r.name = ext;
  assert_cbc_ok(cbc_unit_upsert(id, db, &r));
}

/* A random enterprise: teams under two workshops or the enterprise itself,
 * people with random roles (often several holders, often none), some gone. */
static void build_world(cbc_db *db, world *w, unsigned int seed)
{
  srand(seed);
  int64_t region;
  unit(db, &region, "R", NULL, CBC_UNIT_REGION);
  unit(db, &w->enterprise_id, "E", "R", CBC_UNIT_ENTERPRISE);
  unit(db, &w->workshop_id[0], "W0", "E", CBC_UNIT_WORKSHOP);
  unit(db, &w->workshop_id[1], "W1", "E", CBC_UNIT_WORKSHOP);
  for (int t = 0; t < TEAMS; t++) {
    char ext[16];
    snprintf(ext, sizeof(ext), "T%d", t);
    w->team_parent[t] = rand() % 3;
    unit(db, &w->team_id[t], ext, w->team_parent[t] == 2 ? "E" : w->team_parent[t] ? "W1" : "W0",
         CBC_UNIT_TEAM);
  }
  for (int i = 0; i < PEOPLE; i++) {
    char ext[16], team[16];
    snprintf(ext, sizeof(ext), "P%d", i);
    w->team[i] = rand() % TEAMS;
    snprintf(team, sizeof(team), "T%d", w->team[i]);
    w->roles[i] = 0;
    for (size_t k = 0; k < sizeof(role_pool) / sizeof(role_pool[0]); k++)
      if (rand() % 4 == 0)
        w->roles[i] |= role_pool[k];
    cbc_employee_record r = CBC_EMPLOYEE_RECORD_INIT;
    r.external_id = ext;
    r.name = ext;
    r.unit_external_id = team;
    r.roles = w->roles[i] ? w->roles[i] : CBC_ROLE_WORKER;
    w->roles[i] = r.roles;
    assert_cbc_ok(cbc_employee_upsert(&w->id[i], db, &r));
    w->active[i] = true;
  }
}

/* Whether team @p t lies in the scope of @p level for a hazard of team @p at. */
static bool in_scope(const world *w, int t, int at, cbc_level level)
{
  if (level == CBC_LEVEL_TEAM)
    return t == at;
  if (level == CBC_LEVEL_WORKSHOP)
    return w->team_parent[t] == w->team_parent[at];
  return true;
}

/* The oracle: the lowest id among the active holders of @p role in the scope. */
static int64_t lowest_holder(const world *w, int at, cbc_level level, unsigned int role)
{
  int64_t best = 0;
  for (int i = 0; i < PEOPLE; i++)
    if (w->active[i] && (w->roles[i] & role) && in_scope(w, w->team[i], at, level) &&
        (best == 0 || w->id[i] < best))
      best = w->id[i];
  return best;
}

static int64_t expected(const world *w, int at, cbc_level level)
{
  if (level == CBC_LEVEL_WORKSHOP && w->team_parent[at] == 2)
    return 0; /* no workshop above the team */
  if (level == CBC_LEVEL_TEAM)
    return lowest_holder(w, at, level, CBC_ROLE_TEAM_LEADER);
  if (level == CBC_LEVEL_WORKSHOP)
    return lowest_holder(w, at, level, CBC_ROLE_WORKSHOP_DIRECTOR);
  int64_t p = lowest_holder(w, at, level, CBC_ROLE_PRINCIPAL);
  return p ? p : lowest_holder(w, at, level, CBC_ROLE_SAFETY_OFFICER);
}

static void check_world(cbc_db *db, const world *w)
{
  for (int t = 0; t < TEAMS; t++)
    for (cbc_level level = CBC_LEVEL_TEAM; level <= CBC_LEVEL_ENTERPRISE; level++) {
      int64_t who = -1, want = expected(w, t, level);
      int rc = cbc_org_responsible(&who, db, w->team_id[t], level);
      if (want == 0) {
        assert_int_equal(rc, CBC_ENOTFOUND);
        assert_int_equal(who, 0);
      } else {
        assert_cbc_ok(rc);
        assert_int_equal(who, want);
      }
    }
  /* asked of a workshop or the enterprise itself: the same scope */
  int64_t who;
  for (int k = 0; k < 2; k++) {
    int rc = cbc_org_responsible(&who, db, w->workshop_id[k], CBC_LEVEL_TEAM);
    assert_int_equal(rc, CBC_ENOTFOUND); /* no team at or above a workshop */
  }
}

/* A hazard of team @p t registered at @p level by the holder the tree gives
 * (who may register it there) names that holder responsible. */
static void check_register(cbc_db *db, const world *w, int t)
{
  int64_t leader = expected(w, t, CBC_LEVEL_TEAM), reporter = 0;
  for (int i = 0; i < PEOPLE && !reporter; i++)
    if (w->active[i] && w->team[i] == t)
      reporter = w->id[i];
  if (!leader || !reporter)
    return;
  int64_t id;
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter;
  r.unit_id = w->team_id[t];
  r.title = "loose guard";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "fix";
  g.contingency_plan = "warn";
  g.deadline = now + 86400;
  assert_cbc_ok(cbc_hazard_register(db, id, leader, &g));
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  assert_int_equal(h->responsible_id, leader);
  cbc_hazard_free(h);
}

/* Random trees: every team and level against the oracle, again after
 * random people leave (the cache follows the org writes). */
static void test_responsible_matches_oracle(void **state)
{
  (void)state;
  for (unsigned int seed = 1; seed <= 25; seed++) {
    cbc_db *db = cbc_test_db(&now);
    world w;
    build_world(db, &w, seed);
    check_world(db, &w);
    for (int t = 0; t < TEAMS; t++)
      check_register(db, &w, t);
    for (int round = 0; round < 4; round++) {
      for (int k = 0; k < PEOPLE / 6; k++) {
        int i = rand() % PEOPLE;
        if (!w.active[i])
          continue;
        now += 60;
        assert_cbc_ok(cbc_employee_deactivate(db, w.id[i], now));
        w.active[i] = false;
      }
      check_world(db, &w);
      check_register(db, &w, rand() % TEAMS);
    }
    cbc_db_close(db);
  }
}

/* --------------------------------------------- a cache grown past 4096 */

static cbc_hazard_record report_by(int64_t reporter, int64_t team)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter;
  r.unit_id = team;
  r.title = "oil on the floor";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

/* One handle caches people while the org is small, the org then grows past
 * the cache's first size (4096 slots, so ids k and k + 4096 shared a slot),
 * and people the handle has cached leave through another connection: the
 * handle sees each change, for each of two people whose ids once collided. */
static void test_grown_cache_follows_other_connections(void **state)
{
  (void)state;
  const char *path = cbc_test_target("scope.db");
  cbc_db *a = cbc_test_db_file(path, &now), *b = cbc_test_db_file(path, &now);
  cbc_test_seed_org(a);
  int64_t low = cbc_test_employee_id(a, "A1"), t1 = cbc_test_unit_id(a, "T1"), id;
  cbc_hazard_record r = report_by(low, t1);
  assert_cbc_ok(cbc_hazard_report(&id, NULL, a, &r)); /* a caches A1 in a small table */
  assert_cbc_ok(cbc_db_begin(b));
  int64_t high = 0;
  for (int i = 0; high < low + 4096; i++) {
    char ext[16];
    snprintf(ext, sizeof(ext), "X%d", i);
    cbc_employee_record e = CBC_EMPLOYEE_RECORD_INIT;
    e.external_id = ext;
    e.name = ext;
    e.unit_external_id = "T1";
    assert_cbc_ok(cbc_employee_upsert(&high, b, &e));
  }
  assert_cbc_ok(cbc_db_commit(b));
  assert_int_equal(high, low + 4096);
  /* a grows its tables and caches both */
  r = report_by(high, t1);
  assert_cbc_ok(cbc_hazard_report(&id, NULL, a, &r));
  r = report_by(low, t1);
  assert_cbc_ok(cbc_hazard_report(&id, NULL, a, &r));
  assert_cbc_ok(cbc_employee_deactivate(b, high, 0));
  r = report_by(high, t1);
  assert_cbc_error(cbc_hazard_report(&id, NULL, a, &r), CBC_EPERM, "inactive");
  r = report_by(low, t1);
  assert_cbc_ok(cbc_hazard_report(&id, NULL, a, &r));
  assert_cbc_ok(cbc_employee_deactivate(b, low, 0));
  assert_cbc_error(cbc_hazard_report(&id, NULL, a, &r), CBC_EPERM, "inactive");
  /* a leader cached as the responsible person leaves: the next is found */
  int64_t l1 = cbc_test_employee_id(a, "L1"), who;
  assert_cbc_ok(cbc_org_responsible(&who, a, t1, CBC_LEVEL_TEAM));
  assert_int_equal(who, l1);
  assert_cbc_ok(cbc_employee_deactivate(b, l1, 0));
  assert_cbc_error(cbc_org_responsible(&who, a, t1, CBC_LEVEL_TEAM), CBC_ENOTFOUND,
                   "team leader");
  cbc_db_close(a);
  cbc_db_close(b);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_responsible_matches_oracle),
    cmocka_unit_test(test_grown_cache_follows_other_connections),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
