/* Reads over a unit subtree under allocation failures: binding the
 * subtree's path range copies its texts, and a copy that fails must fail
 * the call (CBC_ENOMEM, nothing handed out), never leave the range unbound
 * so that the call answers as if the subtree held nothing.  Every listing,
 * iterator and figure here either fails with CBC_ENOMEM or gives exactly
 * what it gives without failures. */
#include "helpers.h"
#include <stdbool.h>
#include <string.h>

static int64_t now;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }
static int64_t day(int month, int d) { return cbc_test_date(2024, month, d) + 10 * 3600; }

/* ------------------------------------------------------------ fixture */

static void training(cbc_db *db, const char *unit, int64_t at, const char *who)
{
  cbc_attendee att[] = { { E(db, who), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = U(db, unit);
  r.held_at = at;
  r.minutes = 60;
  r.title = "岗位安全";
  r.attendees = att;
  r.n_attendees = 1;
  assert_cbc_ok(cbc_training_add(NULL, db, &r));
}

static void drill(cbc_db *db, const char *unit, int64_t at, const char *team)
{
  int64_t teams[] = { U(db, team) };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, unit);
  d.held_at = at;
  d.scenario = "火灾疏散";
  d.team_ids = teams;
  d.n_teams = 1;
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
}

static void visit(cbc_db *db, const char *unit, int64_t at)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, unit);
  v.visited_at = at;
  v.findings = "护栏缺失";
  assert_cbc_ok(cbc_visit_add(NULL, db, &v));
}

static void proposal(cbc_db *db, const char *who, int64_t at)
{
  now = at; /* proposals are dated by the clock */
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, who);
  p.title = "加装护栏";
  p.text = "在轧机两侧加装护栏";
  assert_cbc_ok(cbc_proposal_submit(NULL, db, &p));
}

static void hazard(cbc_db *db, const char *who, const char *unit, int64_t at)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, who);
  r.unit_id = U(db, unit);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  now = at;
  assert_cbc_ok(cbc_hazard_report(NULL, NULL, db, &r));
}

/* Records in E1's subtree and one in E2's, so that a subtree listing has
 * rows to lose and rows to leave out. */
static cbc_db *seeded_db(void)
{
  now = cbc_test_date(2024, 4, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  training(db, "T1", day(1, 10), "A1");
  training(db, "W2", day(2, 5), "D1");
  training(db, "E2", day(2, 7), "X1");
  drill(db, "E1", day(1, 15), "T3");
  drill(db, "E2", day(3, 1), "T9");
  visit(db, "E1", day(1, 20));
  visit(db, "T1", day(2, 2));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "C1"), U(db, "E1"), day(1, 1), 0));
  proposal(db, "A1", day(1, 25));
  proposal(db, "X1", day(2, 14));
  hazard(db, "A1", "T1", day(2, 3));
  hazard(db, "B1", "T2", day(3, 3));
  now = cbc_test_date(2024, 4, 1);
  return db;
}

/* ------------------------------------------------------------ the reads */

/* What every read gave: a row count for the listings, the figures for the
 * rest.  Compared whole between a run under failures and one without. */
typedef struct answers {
  size_t trainings, drills, visits, proposals, assignments; /* E1's subtree, 2024 */
  size_t units, employees;                                  /* E1's subtree */
  size_t gaps;
  cbc_drill_gap gap[8];
  int64_t responsible;
  int64_t form_region[CBC_STATS_FIELD_COUNT + 1];  /* R1 from the aggregates */
  int64_t form_records[CBC_STATS_FIELD_COUNT + 1]; /* E1 from the records */
  int64_t breakdown[4];                            /* E1's reported, rectified, closed, cells */
} answers;

/* Each read's code: 0 or the code it failed with. */
enum { R_TRAININGS, R_DRILLS, R_VISITS, R_PROPOSALS, R_ASSIGNMENTS, R_UNITS, R_EMPLOYEES,
       R_GAPS, R_RESPONSIBLE, R_FORM_REGION, R_FORM_RECORDS, R_BREAKDOWN, R__COUNT };

/* Step an iterator to its end: 0 with *n rows, or the code a step failed
 * with (the iterator handing out no row then). */
#define DRAIN(prefix, row_type, it, n)                            \
  do {                                                            \
    const row_type *row_;                                         \
    int rc_;                                                      \
    while ((rc_ = prefix##_iter_next(&row_, it)) == 0)            \
      (*(n))++;                                                   \
    if (rc_ != CBC_ITEROVER)                                      \
      assert_null(row_);                                          \
    prefix##_iter_free(it);                                       \
    return rc_ == CBC_ITEROVER ? 0 : rc_;                         \
  } while (0)

/* An activity listing's new and steps: a failed new hands out no iterator. */
#define ACTIVITY_COUNT_FN(prefix, row_type)                                          \
  static int count_##prefix(cbc_db *db, const cbc_activity_filter *f, size_t *n)    \
  {                                                                                  \
    prefix##_iter *it = (prefix##_iter *)1;                                          \
    int rc = prefix##_iter_new(&it, db, f);                                          \
    if (rc) {                                                                        \
      assert_null(it);                                                               \
      return rc;                                                                     \
    }                                                                                \
    DRAIN(prefix, row_type, it, n);                                                  \
  }
ACTIVITY_COUNT_FN(cbc_training, cbc_training)
ACTIVITY_COUNT_FN(cbc_drill, cbc_drill)
ACTIVITY_COUNT_FN(cbc_visit, cbc_visit)
ACTIVITY_COUNT_FN(cbc_proposal, cbc_proposal)
ACTIVITY_COUNT_FN(cbc_cadre_assignment, cbc_cadre_assignment)

static int count_units(cbc_db *db, int64_t root, size_t *n)
{
  cbc_unit_iter *it = (cbc_unit_iter *)1;
  int rc = cbc_unit_iter_subtree(&it, db, root);
  if (rc) {
    assert_null(it);
    return rc;
  }
  DRAIN(cbc_unit, cbc_unit, it, n);
}

static int count_employees(cbc_db *db, int64_t unit, size_t *n)
{
  cbc_employee_iter *it = (cbc_employee_iter *)1;
  int rc = cbc_employee_iter_subtree(&it, db, unit, CBC_EMPLOYEE_ITER_INACTIVE);
  if (rc) {
    assert_null(it);
    return rc;
  }
  DRAIN(cbc_employee, cbc_employee, it, n);
}

static int drill_gaps(cbc_db *db, int64_t unit, answers *a)
{
  cbc_drill_gap *gaps = (cbc_drill_gap *)1;
  size_t n = 99;
  int rc = cbc_compliance_drills(&gaps, &n, db, unit, 2024);
  if (rc) {
    assert_null(gaps);
    assert_int_equal(n, 0);
    return rc;
  }
  assert_true(n <= sizeof(a->gap) / sizeof(a->gap[0]));
  a->gaps = n;
  if (n)
    memcpy(a->gap, gaps, n * sizeof(*gaps));
  cbc_free(gaps);
  return 0;
}

static int form(cbc_db *db, int64_t unit, unsigned int flags, int64_t *values)
{
  cbc_period year = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  cbc_stats_form *f = (cbc_stats_form *)1;
  int rc = cbc_stats_form_get(&f, db, unit, &year, flags);
  if (rc) {
    assert_null(f);
    return rc;
  }
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
    values[i] = cbc_stats_form_value(f, (cbc_stats_field)i);
  values[0] = f->units_ran;
  cbc_stats_form_free(f);
  return 0;
}

static int breakdown(cbc_db *db, int64_t unit, int64_t *values)
{
  cbc_period year = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  cbc_stats_breakdown *b = (cbc_stats_breakdown *)1;
  int rc = cbc_stats_breakdown_get(&b, db, unit, &year);
  if (rc) {
    assert_null(b);
    return rc;
  }
  values[0] = b->reported, values[1] = b->rectified, values[2] = b->closed;
  values[3] = 0;
  for (size_t i = 0; i < b->n_counts; i++)
    values[3] += b->counts[i].count;
  cbc_stats_breakdown_free(b);
  return 0;
}

/* The units the reads ask about, looked up before any failure is set. */
typedef struct units {
  int64_t e1, t1, r1;
} units;

static units units_of(cbc_db *db)
{
  return (units){ U(db, "E1"), U(db, "T1"), U(db, "R1") };
}

/* Run every read, each rc in @p rcs; @p a gets what the successful ones gave. */
static void read_all(cbc_db *db, units u, answers *a, int rcs[R__COUNT])
{
  int64_t e1 = u.e1, t1 = u.t1, r1 = u.r1;
  memset(a, 0, sizeof(*a));
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  f.unit_id = e1;
  f.from = cbc_test_date(2024, 1, 1);
  f.to = cbc_test_date(2025, 1, 1);
  rcs[R_TRAININGS] = count_cbc_training(db, &f, &a->trainings);
  rcs[R_DRILLS] = count_cbc_drill(db, &f, &a->drills);
  rcs[R_VISITS] = count_cbc_visit(db, &f, &a->visits);
  rcs[R_PROPOSALS] = count_cbc_proposal(db, &f, &a->proposals);
  rcs[R_ASSIGNMENTS] = count_cbc_cadre_assignment(db, &f, &a->assignments);
  rcs[R_UNITS] = count_units(db, e1, &a->units);
  rcs[R_EMPLOYEES] = count_employees(db, e1, &a->employees);
  rcs[R_GAPS] = drill_gaps(db, e1, a);
  a->responsible = -1;
  rcs[R_RESPONSIBLE] = cbc_org_responsible(&a->responsible, db, t1, CBC_LEVEL_ENTERPRISE);
  rcs[R_FORM_REGION] = form(db, r1, 0, a->form_region);
  rcs[R_FORM_RECORDS] = form(db, e1, CBC_STATS_FROM_RECORDS, a->form_records);
  rcs[R_BREAKDOWN] = breakdown(db, e1, a->breakdown);
}

/* Clear what read @p r gave, after it failed: the comparison then checks
 * it handed out nothing beyond what its helper asserted. */
static void forget(answers *a, int r)
{
  switch (r) {
  case R_TRAININGS: a->trainings = 0; break;
  case R_DRILLS: a->drills = 0; break;
  case R_VISITS: a->visits = 0; break;
  case R_PROPOSALS: a->proposals = 0; break;
  case R_ASSIGNMENTS: a->assignments = 0; break;
  case R_UNITS: a->units = 0; break;
  case R_EMPLOYEES: a->employees = 0; break;
  case R_GAPS: a->gaps = 0; break;
  case R_RESPONSIBLE: a->responsible = 0; break;
  case R_FORM_REGION: memset(a->form_region, 0, sizeof(a->form_region)); break;
  case R_FORM_RECORDS: memset(a->form_records, 0, sizeof(a->form_records)); break;
  default: memset(a->breakdown, 0, sizeof(a->breakdown)); break;
  }
}

/* Whether two runs' answers are the same, field by field. */
static bool same(const answers *x, const answers *y)
{
  bool eq = x->trainings == y->trainings && x->drills == y->drills && x->visits == y->visits &&
            x->proposals == y->proposals && x->assignments == y->assignments &&
            x->units == y->units && x->employees == y->employees && x->gaps == y->gaps &&
            x->responsible == y->responsible &&
            !memcmp(x->form_region, y->form_region, sizeof(x->form_region)) &&
            !memcmp(x->form_records, y->form_records, sizeof(x->form_records)) &&
            !memcmp(x->breakdown, y->breakdown, sizeof(x->breakdown));
  for (size_t i = 0; eq && i < x->gaps; i++)
    eq = x->gap[i].enterprise_id == y->gap[i].enterprise_id &&
         x->gap[i].team_id == y->gap[i].team_id && x->gap[i].drills == y->gap[i].drills;
  return eq;
}

/* ------------------------------------------------------------ tests */

/* The fixture's answers are not empty: an unbound range would show. */
static void test_answers_without_failures(void **state)
{
  (void)state;
  cbc_db *db = seeded_db();
  answers a;
  int rcs[R__COUNT];
  read_all(db, units_of(db), &a, rcs);
  for (int r = 0; r < R__COUNT; r++)
    assert_cbc_ok(rcs[r]);
  assert_int_equal(a.trainings, 2);
  assert_int_equal(a.drills, 1);
  assert_int_equal(a.visits, 2);
  assert_int_equal(a.proposals, 1);
  assert_int_equal(a.assignments, 1);
  assert_int_equal(a.units, 6); /* E1, W1, W2, T1, T2, T3 */
  assert_true(a.employees >= 8);
  assert_true(a.gaps >= 1);
  assert_int_equal(a.responsible, E(db, "P1"));
  assert_true(a.form_region[CBC_STATS_FIELD_HAZARDS_FOUND] == 2);
  assert_true(a.form_records[CBC_STATS_FIELD_TRAINING_SESSIONS] == 2);
  assert_true(a.form_records[CBC_STATS_FIELD_SUPERVISION_VISITS] == 2);
  assert_true(a.form_records[CBC_STATS_FIELD_UNITS_ASSIGNED] == 1);
  assert_int_equal(a.breakdown[0], 2);
  assert_true(a.breakdown[3] > 0);
  cbc_db_close(db);
}

/* Fail the n-th allocation of the reads, for every n (or every
 * CBC_TEST_FAULT_STRIDE-th) until a run sees no failure: each read fails
 * with CBC_ENOMEM handing out nothing, or answers in full.  The database
 * is seeded once; the reads change nothing in it. */
static void test_reads_under_allocation_failures(void **state)
{
  (void)state;
  answers want, got;
  int rcs[R__COUNT];
  cbc_test_alloc_install(1);
  cbc_db *db = seeded_db();
  units u = units_of(db);
  read_all(db, u, &want, rcs);
  for (int r = 0; r < R__COUNT; r++)
    assert_cbc_ok(rcs[r]);
  long points = 0, failed_reads = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_fail_after(n);
    read_all(db, u, &got, rcs);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    answers expect = want;
    for (int r = 0; r < R__COUNT; r++) {
      if (rcs[r] == 0)
        continue;
      if (rcs[r] != CBC_ENOMEM)
        fail_msg("read %d at failure point %ld: %d (%s)", r, n, rcs[r],
                 cbc_error_last()->message);
      forget(&expect, r);
      forget(&got, r);
      failed_reads++;
    }
    if (!same(&got, &expect))
      fail_msg("failure point %ld: a read answered 0 with part of its answer", n);
    if (!failed)
      break;
    points++;
  }
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  print_message("%ld allocation failure points, %ld reads failed with CBC_ENOMEM\n", points,
                failed_reads);
  assert_true(points * stride > 100);
  assert_true(failed_reads > 0);
}

/* Re-sending employees as stored finds each of them (a cursor seeking by
 * external id, whose bind copies the id): under a failure the sync fails
 * with CBC_ENOMEM and no result, or finds all of them unchanged — never
 * takes one for a new employee. */
static void test_sync_under_allocation_failures(void **state)
{
  (void)state;
  static const cbc_employee_record again[] = {
    { 1, "A1", "Wang Fang", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
    { 1, "B1", "Chen Jing", "roller", "T2", CBC_ROLE_WORKER, 1, 0 },
    { 1, "X1", "Qian Jun", "kiln worker", "T9", CBC_ROLE_WORKER, 1, 0 },
  };
  const size_t n = sizeof(again) / sizeof(again[0]);
  cbc_test_alloc_install(1);
  cbc_db *db = seeded_db();
  size_t size = cbc_test_org_size(db);
  long points = 0, failed_syncs = 0, stride = cbc_test_fault_stride();
  for (long k = 1;; k += stride) {
    cbc_sync_result *res = (cbc_sync_result *)1;
    cbc_test_fail_after(k);
    int rc = cbc_org_sync(&res, db, NULL, 0, again, n, NULL);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      if (rc != CBC_ENOMEM)
        fail_msg("failure point %ld: %d (%s)", k, rc, cbc_error_last()->message);
      assert_null(res);
      failed_syncs++;
    } else {
      if (res->employees.unchanged != n || res->error_count != 0)
        fail_msg("failure point %ld: %zu of %zu unchanged, %zu row errors", k,
                 res->employees.unchanged, n, res->error_count);
      assert_int_equal(res->employees.added, 0);
      cbc_sync_result_free(res);
    }
    assert_int_equal(cbc_test_org_size(db), size);
    if (!failed)
      break;
    points++;
  }
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  print_message("%ld allocation failure points, %ld syncs failed with CBC_ENOMEM\n", points,
                failed_syncs);
  /* SQLite's allocations reach the library's allocator too */
  assert_true(points * stride > (cbc_test_on_postgres() ? 10 : 100));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_answers_without_failures),
    cmocka_unit_test(test_reads_under_allocation_failures),
    cmocka_unit_test(test_sync_under_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
