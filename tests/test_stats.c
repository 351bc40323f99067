/* The statistics (docs/domain.md §6, include/cbc/stats.h): the official form for
 * every kind of node and period, against figures computed by hand from a
 * fixture with three months of records, a hazard reported across a month
 * boundary in UTC+8, a closure undone by a review, and an enterprise that
 * moved to another district; the aggregates, the records and a rebuild must
 * agree. */
#include "helpers.h"
#include "invariants.h"
#include "db_internal.h"
#include "internal.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int64_t now;
static const int64_t HOUR = 3600;

static const cbc_unit_record units[] = {
  { 1, "CITY", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0 },
  { 1, "DA", "CITY", CBC_UNIT_REGION, "历下区", NULL, 0 },
  { 1, "DB", "CITY", CBC_UNIT_REGION, "槐荫区", NULL, 0 },
  { 1, "E1", "DA", CBC_UNIT_ENTERPRISE, "钢厂", NULL, 1 },
  { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "T1", "W1", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "T2", "W1", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "E2", "DA", CBC_UNIT_ENTERPRISE, "医院", NULL, 0 },
  { 1, "T4", "E2", CBC_UNIT_TEAM, "后勤班", NULL, 0 },
  { 1, "E3", "DB", CBC_UNIT_ENTERPRISE, "化工厂", NULL, 1 },
  { 1, "W3", "E3", CBC_UNIT_WORKSHOP, "合成车间", NULL, 0 },
  { 1, "T3", "W3", CBC_UNIT_TEAM, "丙班", NULL, 0 },
};

static const cbc_employee_record people[] = {
  { 1, "a1", "a1", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "a2", "a2", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L1", "L1", NULL, "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "b1", "b1", NULL, "T2", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L2", "L2", NULL, "T2", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "P1", "P1", NULL, "T2", CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "c1", "c1", NULL, "T4", CBC_ROLE_WORKER, 1, 0 },
  { 1, "P2", "P2", NULL, "T4", CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "d1", "d1", NULL, "T3", CBC_ROLE_WORKER, 1, 0 },
  { 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 },
  { 1, "I1", "I1", NULL, "CITY", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
};

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }
static int64_t at(int month, int day, int hour) { return cbc_test_date(2024, month, day) + hour * HOUR; }

static int64_t report(cbc_db *db, const char *who, const char *unit, int64_t when,
                      cbc_severity severity)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, who);
  r.unit_id = U(db, unit);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = severity;
  now = when;
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  return id;
}

static void training(cbc_db *db, const char *unit, cbc_training_kind kind, int64_t when,
                     const char *const *who, const int *passed, size_t n)
{
  cbc_attendee att[8];
  for (size_t i = 0; i < n; i++)
    att[i] = (cbc_attendee){ E(db, who[i]), passed[i] };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = kind;
  r.unit_id = U(db, unit);
  r.held_at = when;
  r.minutes = 60;
  r.title = "培训";
  r.attendees = att;
  r.n_attendees = n;
  now = when + HOUR;
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
}

static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1800000000, "监护" };

/* Three months of 2024 (see the figures in the tests below). */
static void fixture(cbc_db *db)
{
  now = at(1, 1, 0);
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, sizeof(units) / sizeof(units[0]), people,
                             sizeof(people) / sizeof(people[0]), NULL));
  cbc_sync_result_free(res);
  now = at(1, 2, 9);
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "K1"), U(db, "E1"), at(1, 1, 0), 0));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "K1"), U(db, "E3"), cbc_test_date(2023, 6, 1),
                                 at(1, 15, 0)));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "K1"), U(db, "E2"), at(3, 1, 0), 0));
  /* January */
  int64_t h1 = report(db, "a1", "T1", at(1, 10, 9), CBC_SEVERITY_GENERAL);
  const char *s1[] = { "a1", "a2", "b1" };
  const int s1_pass[] = { 1, 0, 1 };
  training(db, "E1", CBC_TRAINING_ALL_STAFF, at(1, 15, 9), s1, s1_pass, 3);
  const char *s2[] = { "L1", "P1", "P2" };
  const int s2_pass[] = { 1, 1, 1 };
  training(db, "DA", CBC_TRAINING_LEADER_CLASS, at(1, 20, 9), s2, s2_pass, 3);
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "K1");
  v.unit_id = U(db, "E2");
  v.visited_at = at(1, 25, 9);
  now = at(1, 25, 18);
  assert_cbc_ok(cbc_visit_add(NULL, db, &v));
  /* 2024-01-31 20:00 UTC is February 1st, 04:00 in UTC+8 */
  report(db, "a2", "T1", at(2, 1, 4), CBC_SEVERITY_GENERAL);
  /* February: H1 closed (undone in March), H3 major and listed, a drill, a proposal */
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "紧固";
  g.deadline = at(3, 31, 0);
  g.contingency_plan = "警示";
  now = at(2, 3, 9);
  assert_cbc_ok(cbc_hazard_register(db, h1, E(db, "L1"), &g));
  assert_cbc_ok(cbc_hazard_start(db, h1, E(db, "L1")));
  assert_cbc_ok(cbc_hazard_submit(db, h1, E(db, "L1"), "已紧固", NULL, 0));
  now = at(2, 10, 9);
  assert_cbc_ok(cbc_hazard_verify(db, h1, E(db, "P1"), 1, NULL, NULL, 0));
  int64_t h3 = report(db, "c1", "T4", at(2, 12, 9), CBC_SEVERITY_MAJOR);
  cbc_hazard_registration major = g;
  major.severity = CBC_SEVERITY_MAJOR;
  major.level = CBC_LEVEL_ENTERPRISE;
  major.plan = &plan;
  now = at(2, 13, 9);
  assert_cbc_ok(cbc_hazard_register(db, h3, E(db, "P2"), &major));
  now = at(2, 14, 9);
  assert_cbc_ok(cbc_hazard_list_supervision(db, h3, E(db, "I1"), "历下区应急管理局", "督字1号",
                                            0));
  int64_t teams[] = { U(db, "T1"), U(db, "T2") };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, "W1");
  d.held_at = at(2, 20, 9);
  d.scenario = "火灾疏散";
  d.team_ids = teams;
  d.n_teams = 2;
  now = at(2, 20, 12);
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "d1");
  p.title = "金点子";
  p.text = "加装报警器";
  now = at(2, 25, 9);
  assert_cbc_ok(cbc_proposal_submit(NULL, db, &p));
  /* March: review reopens H1; E3 moves to district A; H1 closed again */
  now = at(3, 5, 9);
  assert_cbc_ok(cbc_hazard_reopen(db, h1, E(db, "P1"), "回头看发现松动"));
  now = at(3, 10, 9);
  assert_cbc_ok(cbc_unit_move(db, U(db, "E3"), U(db, "DA")));
  now = at(3, 12, 9);
  assert_cbc_ok(cbc_hazard_submit(db, h1, E(db, "L1"), "重新紧固", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, h1, E(db, "P1"), 1, NULL, NULL, 0));
  now = at(4, 1, 9);
}

static int setup(void **state)
{
  cbc_db *db = cbc_test_db(&now);
  fixture(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static cbc_period month(int m)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2024, m, 0, 0 };
  return p;
}

/* The figures in form order. */
typedef struct figures {
  int64_t v[11];
} figures;

static figures of(const cbc_stats_form *f)
{
  figures x = { { f->units_ran, f->employees_took_part, f->training_sessions,
                  f->employees_trained, f->leader_classes, f->leaders_trained,
                  f->units_assigned, f->supervision_visits, f->hazards_found, f->hazards_listed,
                  f->hazards_rectified } } ;
  return x;
}

static figures get(cbc_db *db, const char *unit, cbc_period p, unsigned int flags)
{
  cbc_stats_form *f;
  assert_cbc_ok(cbc_stats_form_get(&f, db, U(db, unit), &p, flags));
  figures x = of(f);
  cbc_stats_form_free(f);
  return x;
}

static void expect(cbc_db *db, const char *unit, cbc_period p, const int64_t want[11])
{
  figures got = get(db, unit, p, 0);
  for (int i = 0; i < 11; i++)
    if (got.v[i] != want[i])
      fail_msg("%s, period %d/%d: figure %d is %lld, expected %lld", unit, (int)p.kind,
               p.number, i, (long long)got.v[i], (long long)want[i]);
}

/*                            ran took sess trnd lcls ldrs asgn vis found list rect */
static void test_enterprise_by_hand(void **state)
{
  cbc_db *db = *state;
  const int64_t jan[11] = { 1, 5, 1, 5, 0, 2, 1, 0, 1, 0, 0 };
  const int64_t feb[11] = { 1, 6, 0, 0, 0, 0, 1, 0, 1, 0, 0 }; /* H1's closure undone */
  const int64_t mar[11] = { 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 };
  const int64_t q1[11] = { 1, 6, 1, 5, 0, 2, 1, 0, 2, 0, 1 };
  expect(db, "E1", month(1), jan);
  expect(db, "E1", month(2), feb);
  expect(db, "E1", month(3), mar);
  cbc_period q = { CBC_PERIOD_QUARTER, 2024, 1, 0, 0 };
  expect(db, "E1", q, q1);
  const int64_t e2_feb[11] = { 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0 };
  expect(db, "E2", month(2), e2_feb);
  const int64_t e2_jan[11] = { 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0 }; /* P2's class, K1's visit */
  expect(db, "E2", month(1), e2_jan);
}

static void test_regions_by_hand(void **state)
{
  cbc_db *db = *state;
  /* district A now holds E3 too: its January has E3's cadre assignment */
  const int64_t da_jan[11] = { 1, 6, 2, 6, 1, 3, 2, 1, 1, 0, 0 };
  const int64_t db_jan[11] = { 0 };
  const int64_t city_jan[11] = { 1, 7, 2, 6, 1, 3, 2, 1, 1, 0, 0 };
  const int64_t city_feb[11] = { 3, 8, 0, 0, 0, 0, 1, 0, 2, 1, 0 };
  const int64_t city_year[11] = { 3, 10, 2, 6, 1, 3, 3, 1, 3, 1, 1 };
  expect(db, "DA", month(1), da_jan);
  expect(db, "DB", month(1), db_jan);
  expect(db, "CITY", month(1), city_jan);
  expect(db, "CITY", month(2), city_feb);
  cbc_period y = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  expect(db, "CITY", y, city_year);
  /* a range is computed from the records: February 1st 00:00 to 05:00 holds H2 */
  cbc_period r = { CBC_PERIOD_RANGE, 0, 0, at(2, 1, 0), at(2, 1, 5) };
  const int64_t early_feb[11] = { 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0 };
  expect(db, "CITY", r, early_feb);
}

static void test_teams_and_workshops_from_records(void **state)
{
  cbc_db *db = *state;
  const int64_t t1_feb[11] = { 0, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0 }; /* a2's H2; a1, L1 drilled */
  const int64_t w1_jan[11] = { 0, 5, 0, 5, 0, 2, 0, 0, 1, 0, 0 };
  expect(db, "T1", month(2), t1_feb);
  expect(db, "W1", month(1), w1_jan);
}

/* Ranges by hand: ending the day before a session, one day, across a year
 * boundary, a month given as a range, mid-month to mid-month; each also
 * by every plan of the records (by unit, by time) for every node. */
static void test_ranges_by_hand(void **state)
{
  cbc_db *db = *state;
  int64_t dec20 = cbc_test_date(2023, 12, 20);
  static const char *const nodes[] = { "CITY", "DA", "DB", "E1", "E2", "E3", "W1", "W3",
                                       "T1", "T2", "T3", "T4" };
  const struct {
    const char *unit;
    int64_t from, to;
    int64_t want[11]; /* ran took sess trnd lcls ldrs asgn vis found list rect */
  } cases[] = {
    { "E1", at(1, 10, 0), at(1, 15, 0), { 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0 } }, /* a1's H1 */
    { "E1", at(1, 15, 0), at(1, 16, 0), { 1, 3, 1, 3, 0, 0, 1, 0, 0, 0, 0 } }, /* one day */
    { "T1", at(1, 15, 0), at(1, 16, 0), { 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0 } },
    { "W1", at(1, 15, 9), at(1, 15, 10), { 0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0 } }, /* an hour */
    { "E1", at(2, 1, 0), at(3, 1, 0), { 1, 6, 0, 0, 0, 0, 1, 0, 1, 0, 0 } }, /* February */
    { "E1", dec20, at(1, 11, 0), { 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0 } },
    { "CITY", dec20, at(1, 11, 0), { 1, 1, 0, 0, 0, 0, 2, 0, 1, 0, 0 } }, /* E3 assigned */
    { "E3", dec20, at(1, 11, 0), { 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 } },
    /* P2's leader class (held by DA), K1's visit, c1's H3 listed */
    { "E2", at(1, 20, 0), at(2, 15, 0), { 1, 2, 0, 1, 0, 1, 0, 1, 1, 1, 0 } },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cbc_period r = { CBC_PERIOD_RANGE, 0, 0, cases[i].from, cases[i].to };
    expect(db, cases[i].unit, r, cases[i].want);
    for (size_t n = 0; n < sizeof(nodes) / sizeof(nodes[0]); n++)
      cbc_test_assert_form_plans_agree(db, U(db, nodes[n]), r);
  }
}

/* A range that is exactly a calendar month, quarter or year is answered by
 * the aggregates, as the period itself; a second more or less is not. */
static void test_calendar_ranges_use_aggregates(void **state)
{
  cbc_db *db = *state;
  int64_t delta[CBC_STAT__COUNT] = { 0 };
  delta[CBC_STAT_SESSIONS] = 7; /* a mark only the aggregates carry */
  int64_t ran[12][3] = { { 0 } };
  assert_cbc_ok(cbc_store__stat_add(db->store, U(db, "E1"), true, 202402, delta, ran));
  const cbc_period calendar[] = { month(2), { CBC_PERIOD_QUARTER, 2024, 1, 0, 0 },
                                  { CBC_PERIOD_YEAR, 2024, 0, 0, 0 } };
  for (size_t i = 0; i < sizeof(calendar) / sizeof(calendar[0]); i++) {
    cbc_period r = { CBC_PERIOD_RANGE, 0, 0, 0, 0 };
    assert_cbc_ok(cbc_period_bounds(&r.from, &r.to, db, &calendar[i]));
    figures as_period = get(db, "E1", calendar[i], 0), as_range = get(db, "E1", r, 0);
    assert_memory_equal(&as_period, &as_range, sizeof(as_period));
    assert_int_equal(as_range.v[2], 7 + (i > 0)); /* the quarter and year: January's too */
    r.to--;
    assert_int_equal(get(db, "E1", r, 0).v[2], i > 0);
    assert_int_equal(get(db, "DA", r, 0).v[2], 2 * (i > 0));
  }
}

/* Every node, every period: the aggregates, the records and a rebuild agree. */
static void assert_all_agree(cbc_db *db)
{
  static const char *const nodes[] = { "CITY", "DA", "DB", "E1", "E2", "E3", "W1", "T1", "T4" };
  cbc_period periods[6] = { month(1), month(2), month(3), month(4),
                            { CBC_PERIOD_QUARTER, 2024, 1, 0, 0 },
                            { CBC_PERIOD_YEAR, 2024, 0, 0, 0 } };
  for (size_t n = 0; n < sizeof(nodes) / sizeof(nodes[0]); n++)
    for (size_t p = 0; p < 6; p++) {
      figures a = get(db, nodes[n], periods[p], 0);
      figures r = get(db, nodes[n], periods[p], CBC_STATS_FROM_RECORDS);
      if (memcmp(&a, &r, sizeof(a)) != 0)
        fail_msg("%s, period %zu: the aggregates and the records disagree", nodes[n], p);
    }
}

static void test_aggregates_match_records_and_rebuild(void **state)
{
  cbc_db *db = *state;
  assert_all_agree(db);
  figures before = get(db, "CITY", month(2), 0);
  assert_cbc_ok(cbc_stats_rebuild(db));
  figures after = get(db, "CITY", month(2), 0);
  assert_memory_equal(&before, &after, sizeof(before));
  assert_all_agree(db);
  /* and for every unit, month, quarter and year, with the distinct-count rules */
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
  assert_true(cbc_test_assert_all_replay(db) > 0);
}

static void test_other_offset_rebuilds(void **state)
{
  (void)state;
  const char *path = cbc_test_path("stats.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  fixture(db);
  cbc_db_close(db);
  /* the same file in UTC: H2 (2024-01-31 20:00 UTC) is January's */
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.utc_offset_seconds = 0;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  assert_int_equal(get(db, "E1", month(1), 0).v[8], 2);
  assert_int_equal(get(db, "E1", month(2), 0).v[8], 0);
  assert_all_agree(db);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Two handles of one file: one counts records of E1 (and caches where E1
 * sits), the other moves E1 to the other district and the district under
 * its sibling; the first handle's next records roll up where E1 is now,
 * and every region's form still equals its records. */
static void test_rollups_follow_another_handles_moves(void **state)
{
  (void)state;
  const char *path = cbc_test_path("rollup-moves.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  fixture(db);
  cbc_db *other = cbc_test_db_file(path, &now);
  cbc_period april = month(4);
  report(db, "a1", "T1", at(4, 2, 9), CBC_SEVERITY_GENERAL);
  assert_int_equal(get(db, "DA", april, 0).v[8], 1);
  assert_cbc_ok(cbc_unit_move(other, U(other, "E1"), U(other, "DB")));
  report(db, "a2", "T1", at(4, 3, 9), CBC_SEVERITY_GENERAL);
  assert_int_equal(get(db, "DA", april, 0).v[8], 0);
  assert_int_equal(get(db, "DB", april, 0).v[8], 2);
  assert_cbc_ok(cbc_unit_move(other, U(other, "DB"), U(other, "DA")));
  report(db, "a1", "T1", at(4, 4, 9), CBC_SEVERITY_GENERAL);
  assert_int_equal(get(other, "DA", april, 0).v[8], 3);
  assert_int_equal(get(other, "CITY", april, 0).v[8], 3);
  assert_all_agree(other);
  cbc_db_close(other);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A tree deeper than the handle keeps paths for (STORE_ANCESTOR_DEPTH):
 * district A moved under a chain of twelve regions below the city; every
 * region of the chain counts its records, before and after a rebuild. */
static void test_rollups_of_a_deep_tree(void **state)
{
  cbc_db *db = *state;
  char ext[12][8];
  int64_t parent = U(db, "CITY"), chain[12];
  for (int i = 0; i < 12; i++) {
    snprintf(ext[i], sizeof(ext[i]), "L%d", i);
    cbc_unit_record r = { 1, ext[i], NULL, CBC_UNIT_REGION, ext[i], NULL, 0 };
    assert_cbc_ok(cbc_unit_upsert(&chain[i], db, &r));
    assert_cbc_ok(cbc_unit_move(db, chain[i], parent));
    parent = chain[i];
  }
  assert_cbc_ok(cbc_unit_move(db, U(db, "DA"), parent));
  report(db, "a1", "T1", at(4, 2, 9), CBC_SEVERITY_GENERAL);
  cbc_period april = month(4), y = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  for (int i = 0; i < 12; i++) {
    assert_int_equal(get(db, ext[i], april, 0).v[8], 1);
    figures a = get(db, ext[i], y, 0), r = get(db, ext[i], y, CBC_STATS_FROM_RECORDS);
    assert_memory_equal(&a, &r, sizeof(a));
  }
  assert_all_agree(db);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* A bulk load with CBC_DB_DEFER_STATS: forms come from the records until a
 * rebuild, and the next ordinary open rebuilds. */
static void test_deferred_statistics(void **state)
{
  (void)state;
  const char *path = cbc_test_path("deferred.db");
  cbc_test_unlink(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.flags |= CBC_DB_DEFER_STATS;
  cbc_db *db;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  fixture(db);
  const int64_t city_feb[11] = { 3, 8, 0, 0, 0, 0, 1, 0, 2, 1, 0 };
  expect(db, "CITY", month(2), city_feb); /* from the records */
  assert_cbc_error(cbc_stats_rebuild(db), CBC_ESTATE, "defers");
  cbc_db *other = cbc_test_db_file(path, &now); /* an ordinary handle rebuilds */
  expect(other, "CITY", month(2), city_feb);
  assert_all_agree(other);
  report(db, "a1", "T1", at(4, 2, 9), CBC_SEVERITY_GENERAL); /* deferred again */
  cbc_period april = month(4);
  assert_int_equal(get(other, "E1", april, 0).v[8], 1);
  assert_cbc_ok(cbc_stats_rebuild(other));
  assert_all_agree(other);
  cbc_db_close(other);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

static void test_renderings(void **state)
{
  cbc_db *db = *state;
  cbc_stats_form *f;
  cbc_period p = month(1);
  assert_cbc_ok(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0));
  char *text, *json, *csv;
  assert_cbc_ok(cbc_stats_form_render(&text, db, f, CBC_STATS_TEXT));
  assert_non_null(strstr(text, "“查保促”集中行动情况统计表"));
  assert_non_null(strstr(text, "填报单位：钢厂"));
  assert_non_null(strstr(text, "统计期间：2024-01-01 至 2024-01-31"));
  /* values right-aligned at column 42, CJK characters two columns wide */
  assert_non_null(strstr(text, "参与活动职工人数" "                         " "5\n"));
  assert_non_null(strstr(text, "挂牌督办" "                                 " "0\n"));
  assert_cbc_ok(cbc_stats_form_render(&json, db, f, CBC_STATS_JSON));
  assert_non_null(strstr(json, "\"unit\":\"钢厂\",\"from\":\"2024-01-01\",\"last\":\"2024-01-31\""));
  assert_non_null(strstr(json, "\"employees_took_part\":5,"));
  assert_cbc_ok(cbc_stats_form_render(&csv, db, f, CBC_STATS_CSV));
  assert_non_null(strstr(csv, ",\"钢厂\",2024-01-01,2024-01-31,hazards_found,\"查出安全隐患数\",1\r\n"));
  cbc_free(text);
  cbc_free(json);
  cbc_free(csv);
  /* a unit name that a spreadsheet would run is neutralised */
  now = at(4, 2, 0);
  assert_cbc_ok(cbc_unit_rename(db, U(db, "E1"), "=HYPERLINK(\"x\")"));
  assert_cbc_ok(cbc_stats_form_render(&csv, db, f, CBC_STATS_CSV));
  assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\")\","));
  cbc_free(csv);
  assert_cbc_ok(cbc_stats_form_render(&json, db, f, CBC_STATS_JSON));
  assert_non_null(strstr(json, "\"unit\":\"=HYPERLINK(\\\"x\\\")\""));
  cbc_free(json);
  assert_cbc_error(cbc_stats_form_render(&csv, db, f, (cbc_stats_format)7), CBC_EINVAL,
                   "format");
  assert_null(csv);
  cbc_stats_form_free(f);
}

static int64_t cell(const cbc_stats_breakdown *b, cbc_stats_dimension d, int value)
{
  for (size_t i = 0; i < b->n_counts; i++)
    if (b->counts[i].dimension == d && b->counts[i].value == value)
      return b->counts[i].count;
  fail_msg("no cell %d/%d", (int)d, value);
  return -1;
}

static void test_breakdown_by_hand(void **state)
{
  cbc_db *db = *state;
  cbc_period q1 = { CBC_PERIOD_QUARTER, 2024, 1, 0, 0 };
  cbc_stats_breakdown *b;
  assert_cbc_ok(cbc_stats_breakdown_get(&b, db, U(db, "CITY"), &q1));
  assert_int_equal(b->reported, 3);
  assert_int_equal(b->rejected, 0);
  assert_int_equal(b->rectified, 1);      /* H1, closed again in March */
  assert_int_equal(b->closed, 1);
  assert_int_equal(b->closed_on_time, 1); /* March 12th, deadline March 31st */
  assert_int_equal(b->overdue_at_end, 1); /* H3, due March 31st, open on April 1st */
  assert_int_equal(b->reopens, 1);        /* the review of H1 */
  assert_true(b->mean_days_to_close == 62.0 && b->median_days_to_close == 62.0);
  assert_true(b->rectification_rate > 0.333 && b->rectification_rate < 0.334);
  assert_true(b->on_time_rate == 1.0);
  assert_true(b->disposal_rate > 0.333 && b->disposal_rate < 0.334);
  assert_int_equal(b->n_counts, 2 + 2 + 2 + 6 + 7 + 4);
  assert_int_equal(cell(b, CBC_DIM_SEVERITY, CBC_SEVERITY_GENERAL), 2);
  assert_int_equal(cell(b, CBC_DIM_SEVERITY, CBC_SEVERITY_MAJOR), 1);
  assert_int_equal(cell(b, CBC_DIM_CHECK_ITEM, CBC_CHECK_EQUIPMENT_GUARDING), 3);
  assert_int_equal(cell(b, CBC_DIM_CHECK_ITEM, CBC_CHECK_RULES), 0);
  assert_int_equal(cell(b, CBC_DIM_SOURCE, CBC_SOURCE_SELF_CHECK), 3);
  assert_int_equal(cell(b, CBC_DIM_RESOLVED_LEVEL, CBC_LEVEL_TEAM), 1);
  char *json, *csv;
  assert_cbc_ok(cbc_stats_breakdown_render(&json, db, b, CBC_STATS_JSON));
  assert_non_null(strstr(json, "\"reported\":3,"));
  assert_non_null(strstr(json, "\"mean_days_to_close\":62.0,"));
  assert_non_null(strstr(json, "\"rectification_rate\":0.3333,"));
  assert_non_null(strstr(json, "\"on_time_rate\":1.0,"));
  assert_non_null(strstr(json, "{\"dimension\":\"severity\",\"value\":2,\"count\":1}"));
  assert_cbc_ok(cbc_stats_breakdown_render(&csv, db, b, CBC_STATS_CSV));
  assert_non_null(strstr(csv, ",2024-01-01,2024-03-31,overdue_at_end,1\r\n"));
  assert_non_null(strstr(csv, ",2024-01-01,2024-03-31,rectification_rate,0.3333\r\n"));
  assert_non_null(strstr(csv, ",2024-01-01,2024-03-31,mean_days_to_close,62.0000\r\n"));
  assert_non_null(strstr(csv, ",2024-01-01,2024-03-31,resolved_level=2,1\r\n"));
  cbc_free(json);
  cbc_free(csv);
  assert_cbc_error(cbc_stats_breakdown_render(&csv, db, b, CBC_STATS_TEXT), CBC_EINVAL, NULL);
  cbc_stats_breakdown_free(b);
  cbc_period empty = { CBC_PERIOD_RANGE, 0, 0, 10, 5 };
  assert_cbc_error(cbc_stats_breakdown_get(&b, db, U(db, "CITY"), &empty), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_stats_breakdown_get(&b, db, 4242, &q1), CBC_ENOTFOUND, NULL);
  assert_null(b);
}

static void test_series_and_children(void **state)
{
  cbc_db *db = *state;
  cbc_stats_forms *f;
  assert_cbc_ok(cbc_stats_series(&f, db, U(db, "E1"), 2024, 1, 3));
  assert_int_equal(f->count, 3);
  assert_int_equal(f->forms[0]->hazards_found, 1);
  assert_int_equal(f->forms[1]->hazards_found, 1);
  assert_int_equal(f->forms[2]->hazards_rectified, 1);
  assert_int_equal(f->forms[2]->from, at(3, 1, 0));
  cbc_stats_forms_free(f);
  cbc_period jan = month(1);
  assert_cbc_ok(cbc_stats_children(&f, db, U(db, "DA"), &jan, 0));
  assert_int_equal(f->count, 3); /* E1, E2, and E3 since its move */
  int64_t found = 0, visits = 0;
  for (size_t i = 0; i < f->count; i++)
    found += f->forms[i]->hazards_found, visits += f->forms[i]->supervision_visits;
  assert_int_equal(found, 1);
  assert_int_equal(visits, 1);
  cbc_stats_forms_free(f);
  assert_cbc_error(cbc_stats_series(&f, db, U(db, "E1"), 2024, 13, 1), CBC_EINVAL, "month");
  assert_cbc_error(cbc_stats_series(&f, db, U(db, "E1"), 2024, 1, 0), CBC_EINVAL, "months");
  assert_cbc_error(cbc_stats_children(&f, db, 31337, &jan, 0), CBC_ENOTFOUND, NULL);
  assert_null(f);
  /* a team has no children; its bad period and flags are refused all the same */
  cbc_period inverted = { CBC_PERIOD_RANGE, 0, 0, at(2, 1, 0), at(1, 1, 0) };
  assert_cbc_error(cbc_stats_children(&f, db, U(db, "T1"), &inverted, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_stats_children(&f, db, U(db, "T1"), &jan, 8), CBC_EINVAL, "flags");
  assert_cbc_ok(cbc_stats_children(&f, db, U(db, "T1"), &jan, 0));
  assert_int_equal(f->count, 0);
  cbc_stats_forms_free(f);
}

/* A database of schema 7 (participation per employee and year, counted
 * where the person was when the record was written) is marked per
 * attribution unit from its records when this version first opens it. */
static void test_migration_to_participation_by_unit(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v7.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  fixture(db);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  /* the old aggregates: E1's January counted 99 people, the file says so */
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 "INSERT INTO participation VALUES (1, 2024, 1,"
                                     " 0, 0); UPDATE stat_months SET took_part_m = 99;"
                                     "PRAGMA user_version=7", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  const int64_t jan[11] = { 1, 5, 1, 5, 0, 2, 1, 0, 1, 0, 0 };
  expect(db, "E1", month(1), jan);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

static int64_t raw_scalar(const char *path, const char *sql)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return v;
}

#define STATS_OFFSET "SELECT value FROM settings WHERE key = 'stats_utc_offset'"

/* A database of schema 16 (aggregates without region roll-ups): the open
 * marks them stale and rebuilds nothing; forms are the records' answer
 * meanwhile, and cbc_stats_rebuild() builds the roll-ups with the rest.
 * One without records keeps its (empty) aggregates complete. */
static void test_migration_to_rollups(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v16.db");
  for (int with_records = 1; with_records >= 0; with_records--) {
    cbc_test_unlink(path);
    cbc_db *db = cbc_test_db_file(path, &now);
    if (with_records)
      fixture(db);
    cbc_db_close(db);
    int64_t complete = raw_scalar(path, STATS_OFFSET);
    assert_true(complete != INT64_MIN);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 "PRAGMA user_version=16", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(raw);
    db = cbc_test_db_file(path, &now);
    int v;
    assert_cbc_ok(cbc_db_schema_version(&v, db));
    assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
    cbc_db_close(db);
    assert_int_equal(raw_scalar(path, STATS_OFFSET), with_records ? INT64_MIN : complete);
    assert_int_equal(raw_scalar(path, "SELECT count(*) FROM stat_rollups"), 0);
    db = cbc_test_db_file(path, &now);
    if (with_records) {
      const int64_t city_year[11] = { 3, 10, 2, 6, 1, 3, 3, 1, 3, 1, 1 };
      expect(db, "CITY", (cbc_period){ CBC_PERIOD_YEAR, 2024, 0, 0, 0 }, city_year);
      assert_cbc_ok(cbc_stats_rebuild(db));
      assert_all_agree(db);
    }
    cbc_db_close(db);
    assert_int_equal(raw_scalar(path, STATS_OFFSET), complete);
    assert_true((raw_scalar(path, "SELECT count(*) FROM stat_rollups") > 0) == with_records);
  }
  cbc_test_unlink(path);
}

/* A database of schema 4 (records, no aggregates) gets them built from its
 * records when it is first opened by this version. */
static void test_migration_builds_aggregates(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v4.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  fixture(db);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 CBC_TEST_UNDO_V7
                                     "DROP TABLE policies; DROP TABLE awards; DROP TABLE fines;"
                                     "DROP INDEX hazards_duplicate;"
                                     "DROP TABLE stat_months; DROP TABLE participation;"
                                     "DROP TABLE settings; DROP INDEX hazards_closed;"
                                     "DROP INDEX hazards_reported; DROP INDEX hazard_events_listing;"
                                     "PRAGMA user_version=4", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  const int64_t city_year[11] = { 3, 10, 2, 6, 1, 3, 3, 1, 3, 1, 1 };
  cbc_period y = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  expect(db, "CITY", y, city_year);
  assert_all_agree(db);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Inside a group the counter changes wait for the commit; a read in the
 * group sees them, a rollback forgets them, a failed call in between keeps
 * the earlier calls' changes. */
static void test_group_pending(void **state)
{
  cbc_db *db = *state;
  cbc_period april = month(4);
  assert_cbc_ok(cbc_db_begin(db));
  report(db, "a1", "T1", at(4, 2, 9), CBC_SEVERITY_GENERAL);
  assert_int_equal(get(db, "E1", april, 0).v[8], 1);
  report(db, "b1", "T2", at(4, 3, 9), CBC_SEVERITY_GENERAL);
  assert_cbc_error(cbc_unit_rename(db, U(db, "T1"), ""), CBC_EINVAL, NULL);
  report(db, "a2", "T1", at(4, 4, 9), CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(get(db, "E1", april, 0).v[8], 3);
  assert_int_equal(get(db, "E1", april, 0).v[1], 3); /* a1, b1, a2 took part */
  assert_all_agree(db);
  assert_cbc_ok(cbc_db_begin(db));
  report(db, "L1", "T1", at(4, 5, 9), CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(get(db, "E1", april, 0).v[8], 3);
  assert_int_equal(get(db, "E1", april, 0).v[1], 3);
  assert_all_agree(db);
}

/* Rates and days are written without printf's %f, which follows the
 * process's locale ("0,5" under a comma locale would shift a CSV column and
 * turn into 0 in JSON). */
static void test_decimals_ignore_the_locale(void **state)
{
  (void)state;
  static const struct {
    double v;
    int decimals;
    bool trim;
    const char *want;
  } cases[] = {
    { 0.5, 4, false, "0.5000" }, { 1.0 / 3.0, 4, false, "0.3333" }, { 2.0 / 3.0, 4, false, "0.6667" },
    { 62, 4, false, "62.0000" }, { -0.5, 4, false, "-0.5000" }, { -0.00001, 4, false, "0.0000" },
    { 25, 1, false, "25.0" }, { 99.95, 1, false, "100.0" }, { 95.5, 4, true, "95.5" },
    { 100, 4, true, "100" }, { 0.25, 4, true, "0.25" }, { 7, 0, false, "7" },
    { 1e15, 4, false, "0" }, { 0.0 / 0.0, 4, false, "0" },
  };
  char out[32];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cbc__decimal(out, sizeof(out), cases[i].v, cases[i].decimals, cases[i].trim);
    if (strcmp(out, cases[i].want) != 0)
      fail_msg("case %zu: %s, expected %s", i, out, cases[i].want);
  }
}

static void test_bad_periods(void **state)
{
  cbc_db *db = *state;
  cbc_stats_form *f = NULL;
  cbc_period p = month(13);
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "month");
  p = (cbc_period){ CBC_PERIOD_QUARTER, 2024, 5, 0, 0 };
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "quarter");
  p = (cbc_period){ CBC_PERIOD_YEAR, 1969, 0, 0, 0 };
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "1969");
  p = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, at(2, 1, 0), at(2, 1, 0) };
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "empty");
  p = (cbc_period){ CBC_PERIOD_RANGE, 0, 0, at(2, 1, 0), at(1, 1, 0) };
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "inverted");
  p = (cbc_period){ (cbc_period_kind)9, 2024, 1, 0, 0 };
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 0), CBC_EINVAL, "kind");
  p = month(1);
  assert_cbc_error(cbc_stats_form_get(&f, db, 987654, &p, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), &p, 8), CBC_EINVAL, "flags");
  assert_cbc_error(cbc_stats_form_get(&f, NULL, U(db, "E1"), &p, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_stats_form_get(&f, db, U(db, "E1"), NULL, 0), CBC_EINVAL, NULL);
  assert_null(f);
  int64_t from, to;
  p = (cbc_period){ CBC_PERIOD_QUARTER, 2024, 4, 0, 0 };
  assert_cbc_ok(cbc_period_bounds(&from, &to, db, &p));
  assert_int_equal(from, cbc_test_date(2024, 10, 1));
  assert_int_equal(to, cbc_test_date(2025, 1, 1));
}

/* ------------------------------------------------ participation over time */

/* The people figures (took part, trained, leaders trained) of @p unit in
 * @p p: the aggregates' when they answer, asserted equal to the records'. */
typedef struct people_figures {
  int64_t took, trained, leaders;
} people_figures;

static people_figures people_in(cbc_db *db, const char *unit, cbc_period p)
{
  figures a = get(db, unit, p, 0), r = get(db, unit, p, CBC_STATS_FROM_RECORDS);
  if (memcmp(&a, &r, sizeof(a)) != 0)
    fail_msg("%s, period %d/%d: the aggregates and the records disagree", unit, (int)p.kind,
             p.number);
  return (people_figures){ a.v[1], a.v[3], a.v[5] };
}

static void expect_people(cbc_db *db, const char *unit, cbc_period p, int64_t took,
                          int64_t trained)
{
  people_figures got = people_in(db, unit, p);
  if (got.took != took || got.trained != trained)
    fail_msg("%s, period %d/%d: took part %lld, trained %lld; expected %lld, %lld", unit,
             (int)p.kind, p.number, (long long)got.took, (long long)got.trained,
             (long long)took, (long long)trained);
}

static void drill_at(cbc_db *db, const char *unit, const char *team, int64_t when)
{
  int64_t teams[] = { U(db, team) };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, unit);
  d.held_at = when;
  d.scenario = "演练";
  d.team_ids = teams;
  d.n_teams = 1;
  now = when + 3 * HOUR;
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
}

static int took_part(cbc_db *db, const char *who, int64_t from, int64_t to)
{
  int took;
  assert_cbc_ok(cbc_employee_took_part(&took, db, E(db, who), from, to));
  return took;
}

static void hire(cbc_db *db, const char *ext, const char *team, int64_t hire_date)
{
  cbc_employee_record r = CBC_EMPLOYEE_RECORD_INIT;
  r.external_id = ext;
  r.name = ext;
  r.unit_external_id = team;
  r.hire_date = hire_date;
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &r));
}

/* a1 reports in E1 on April 2nd, moves to E2's T4 on the 10th and trains
 * there on the 15th with c1: each enterprise counts who took part there. */
static void test_transfer_counts_in_both_enterprises(void **state)
{
  cbc_db *db = *state;
  cbc_period q2 = { CBC_PERIOD_QUARTER, 2024, 2, 0, 0 };
  report(db, "a1", "T1", at(4, 2, 9), CBC_SEVERITY_GENERAL);
  now = at(4, 10, 9);
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "a1"), U(db, "T4"), 0));
  const char *who[] = { "a1", "c1" };
  const int passed[] = { 1, 1 };
  training(db, "E2", CBC_TRAINING_ALL_STAFF, at(4, 15, 9), who, passed, 2);
  expect_people(db, "E1", month(4), 1, 0); /* a1's report */
  expect_people(db, "E2", month(4), 2, 2); /* was: took part 1, trained 2 */
  expect_people(db, "E2", q2, 2, 2);       /* was: fewer than its month */
  expect_people(db, "T1", month(4), 1, 0);
  expect_people(db, "T4", month(4), 2, 2);
  /* a region adds up its enterprises: a1 once in each */
  expect_people(db, "DA", month(4), 3, 2);
  expect_people(db, "CITY", q2, 3, 2);
  assert_int_equal(took_part(db, "a1", at(4, 1, 0), at(5, 1, 0)), 1);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* A drill of T1 on April 5th at 09:00 counts the members of T1 at that
 * second, whatever was synced afterwards. */
static void test_drill_counts_members_at_its_time(void **state)
{
  cbc_db *db = *state;
  int64_t held = at(4, 5, 9);
  drill_at(db, "W1", "T1", held); /* a1, a2, L1 */
  expect_people(db, "E1", month(4), 3, 0);
  now = at(4, 6, 9);
  hire(db, "n1", "T1", at(4, 1, 0)); /* hired before: a member */
  hire(db, "n2", "T1", at(4, 6, 0)); /* hired after: not */
  hire(db, "n3", "T1", held);        /* hired at that second: a member */
  hire(db, "n4", "T1", 0);           /* hire date unknown: no start is assumed */
  expect_people(db, "E1", month(4), 6, 0);
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L1"), held));             /* left then */
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "b1"), U(db, "T1"), held));  /* joined then */
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "a2"), U(db, "T2"), held));  /* moved out */
  expect_people(db, "E1", month(4), 5, 0); /* a1, n1, n3, n4, b1 */
  expect_people(db, "T1", month(4), 5, 0);
  expect_people(db, "T2", month(4), 0, 0); /* not drilled */
  int64_t from = at(4, 1, 0), to = at(5, 1, 0);
  assert_int_equal(took_part(db, "b1", from, to), 1);
  assert_int_equal(took_part(db, "L1", from, to), 0);
  assert_int_equal(took_part(db, "a2", from, to), 0);
  assert_int_equal(took_part(db, "n2", from, to), 0);
  assert_int_equal(took_part(db, "n3", from, to), 1);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* A transfer synced late, dated before records already counted, moves
 * them: b1's report on the 19th and E2's drill on the 20th count in E2
 * once b1's move to T4 on the 18th is known. */
static void test_backdated_transfer_reattributes(void **state)
{
  cbc_db *db = *state;
  report(db, "b1", "T2", at(4, 19, 9), CBC_SEVERITY_GENERAL);
  drill_at(db, "E2", "T4", at(4, 20, 9)); /* c1, P2 */
  expect_people(db, "E1", month(4), 1, 0);
  expect_people(db, "E2", month(4), 2, 0);
  now = at(4, 25, 9);
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "b1"), U(db, "T4"), at(4, 18, 9)));
  expect_people(db, "E1", month(4), 0, 0);
  expect_people(db, "E2", month(4), 3, 0);
  expect_people(db, "T2", month(4), 0, 0);
  expect_people(db, "DA", month(4), 3, 0);
  /* the hazard itself stays where it was found */
  assert_int_equal(get(db, "E1", month(4), 0).v[8], 1);
  /* the history's times never decrease */
  assert_cbc_error(cbc_employee_transfer(db, E(db, "b1"), U(db, "T2"), at(4, 17, 9)),
                   CBC_EINVAL, "dated before");
  /* E1's January, marked before any of this, is untouched */
  const int64_t jan[11] = { 1, 5, 1, 5, 0, 2, 1, 0, 1, 0, 0 };
  expect(db, "E1", month(1), jan);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* A hire date corrected to before a drill makes them a member at it; a
 * departure and return around a drill leave them out of it. */
static void test_hire_date_and_return_around_drill(void **state)
{
  cbc_db *db = *state;
  now = at(4, 2, 9);
  hire(db, "n5", "T4", at(4, 10, 0));
  drill_at(db, "E2", "T4", at(4, 8, 9)); /* c1, P2 */
  expect_people(db, "E2", month(4), 2, 0);
  now = at(4, 12, 9);
  hire(db, "n5", "T4", at(4, 1, 0)); /* the date corrected */
  expect_people(db, "E2", month(4), 3, 0);
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "c1"), at(4, 12, 9)));
  drill_at(db, "E2", "T4", at(4, 14, 9)); /* P2, n5 */
  now = at(4, 16, 9);
  cbc_employee_record back = CBC_EMPLOYEE_RECORD_INIT;
  back.external_id = "c1";
  back.name = "c1";
  back.unit_external_id = "T4";
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &back)); /* returns on the 16th */
  drill_at(db, "E2", "T4", at(5, 2, 9)); /* May: c1, P2, n5 */
  expect_people(db, "E2", month(4), 3, 0);
  expect_people(db, "E2", month(5), 3, 0);
  assert_int_equal(took_part(db, "c1", at(4, 13, 0), at(4, 15, 0)), 0);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_enterprise_by_hand, setup, teardown),
    cmocka_unit_test_setup_teardown(test_regions_by_hand, setup, teardown),
    cmocka_unit_test_setup_teardown(test_teams_and_workshops_from_records, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ranges_by_hand, setup, teardown),
    cmocka_unit_test_setup_teardown(test_calendar_ranges_use_aggregates, setup, teardown),
    cmocka_unit_test_setup_teardown(test_aggregates_match_records_and_rebuild, setup, teardown),
    cmocka_unit_test(test_other_offset_rebuilds),
    cmocka_unit_test(test_deferred_statistics),
    cmocka_unit_test(test_migration_builds_aggregates),
    cmocka_unit_test_setup_teardown(test_rollups_of_a_deep_tree, setup, teardown),
    cmocka_unit_test(test_migration_to_rollups),
    cmocka_unit_test(test_rollups_follow_another_handles_moves),
    cmocka_unit_test(test_migration_to_participation_by_unit),
    cmocka_unit_test_setup_teardown(test_transfer_counts_in_both_enterprises, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drill_counts_members_at_its_time, setup, teardown),
    cmocka_unit_test_setup_teardown(test_backdated_transfer_reattributes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hire_date_and_return_around_drill, setup, teardown),
    cmocka_unit_test_setup_teardown(test_group_pending, setup, teardown),
    cmocka_unit_test_setup_teardown(test_renderings, setup, teardown),
    cmocka_unit_test(test_decimals_ignore_the_locale),
    cmocka_unit_test_setup_teardown(test_breakdown_by_hand, setup, teardown),
    cmocka_unit_test_setup_teardown(test_series_and_children, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_periods, setup, teardown),
  };
  return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
