/* Every public iterator stays at its end: after its _next has returned
 * CBC_ITEROVER, further calls return CBC_ITEROVER again with a NULL row,
 * never the first row once more (SQLite starts a statement over when it is
 * stepped after its end).  Covered: the hazard ledger (whole, one page,
 * sorted with a text search), units (children, subtree), employees, and the
 * five activity listings (all, and by unit subtree).  Also the employee
 * history of an id that is no employee. */
#include "helpers.h"
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* ------------------------------------------------------------ fixture */

static void hazard(cbc_db *db, const char *title)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = U(db, "T1");
  r.title = title;
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_FIXED_POSITION;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  now += 3600;
}

static void training(cbc_db *db, const char *unit, const char *who)
{
  cbc_attendee att[] = { { E(db, who), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = U(db, unit);
  r.held_at = now - DAY;
  r.minutes = 60;
  r.title = "岗位安全";
  r.attendees = att;
  r.n_attendees = 1;
  int64_t id;
  assert_cbc_ok(cbc_training_add(&id, db, &r));
}

static void drill(cbc_db *db, const char *team)
{
  int64_t teams[] = { U(db, team) };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, "E1");
  d.held_at = now - DAY;
  d.scenario = "火灾疏散";
  d.team_ids = teams;
  d.n_teams = 1;
  int64_t id;
  assert_cbc_ok(cbc_drill_add(&id, db, &d));
}

static void visit(cbc_db *db, const char *unit)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, unit);
  v.visited_at = now - DAY;
  v.findings = "护栏缺失";
  int64_t id;
  assert_cbc_ok(cbc_visit_add(&id, db, &v));
}

static void proposal(cbc_db *db, const char *who)
{
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, who);
  p.title = "加装护栏";
  p.text = "在轧机两侧加装护栏";
  int64_t id;
  assert_cbc_ok(cbc_proposal_submit(&id, db, &p));
}

/* Two or three records of every kind, so that a listing that started over
 * would be seen. */
static void seed(cbc_db *db)
{
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  hazard(db, "消防通道堵塞");
  hazard(db, "护栏缺失");
  hazard(db, "安全通道无照明");
  training(db, "T1", "A1");
  training(db, "T2", "B1");
  training(db, "E2", "X1");
  drill(db, "T1");
  drill(db, "T2");
  visit(db, "E1");
  visit(db, "E2");
  proposal(db, "A1");
  proposal(db, "X1");
  int64_t id;
  assert_cbc_ok(cbc_cadre_assign(&id, db, E(db, "C1"), U(db, "E1"), now - 30 * DAY, 0));
  assert_cbc_ok(cbc_cadre_assign(&id, db, E(db, "C1"), U(db, "E2"), now - 30 * DAY, 0));
}

static int setup(void **state)
{
  now = cbc_test_date(2026, 3, 1);
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

/* ------------------------------------------------- one harness, all types */

/* An iterator seen through its three functions: open, the next row's id
 * (asserting that the row is NULL exactly when rc is not 0), free. */
typedef struct iter_ops {
  const char *what;
  int (*open)(void **out, cbc_db *db);
  int (*next)(int64_t *id, void *it);
  void (*close)(void *it);
} iter_ops;

#define NEXT_AND_CLOSE(type)                                                 \
  static int type##_next_id(int64_t *id, void *it)                           \
  {                                                                          \
    const type *row = NULL;                                                  \
    int rc = type##_iter_next(&row, it);                                     \
    assert_true((row != NULL) == (rc == 0));                                 \
    *id = row ? row->id : 0;                                                 \
    return rc;                                                               \
  }                                                                          \
  static void type##_release(void *it) { type##_iter_free(it); }

NEXT_AND_CLOSE(cbc_hazard)
NEXT_AND_CLOSE(cbc_unit)
NEXT_AND_CLOSE(cbc_employee)
NEXT_AND_CLOSE(cbc_training)
NEXT_AND_CLOSE(cbc_drill)
NEXT_AND_CLOSE(cbc_visit)
NEXT_AND_CLOSE(cbc_proposal)
NEXT_AND_CLOSE(cbc_cadre_assignment)

/* An opener: after @p filter_decl, @p call opens iterator `it` of @p type. */
#define OPENER(fn, type, filter_decl, call)                                  \
  static int fn(void **out, cbc_db *db)                                      \
  {                                                                          \
    type##_iter *it = NULL;                                                  \
    filter_decl;                                                             \
    int rc = call;                                                           \
    *out = it;                                                               \
    return rc;                                                               \
  }
#define NO_FILTER (void)db

static cbc_activity_filter in_unit(cbc_db *db, const char *unit)
{
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  f.unit_id = U(db, unit);
  return f;
}

static cbc_hazard_filter one_page(void)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.limit = 1;
  return f;
}

static cbc_hazard_filter searched(void)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "通道";
  f.sort = CBC_HAZARD_SORT_UPDATED;
  f.descending = 1;
  return f;
}

OPENER(hazards_all, cbc_hazard, NO_FILTER, cbc_hazard_iter_new(&it, db, NULL))
OPENER(hazards_page, cbc_hazard, cbc_hazard_filter f = one_page(),
       cbc_hazard_iter_new(&it, db, &f))
OPENER(hazards_text, cbc_hazard, cbc_hazard_filter f = searched(),
       cbc_hazard_iter_new(&it, db, &f))
OPENER(units_roots, cbc_unit, NO_FILTER, cbc_unit_iter_children(&it, db, 0))
OPENER(units_subtree, cbc_unit, NO_FILTER, cbc_unit_iter_subtree(&it, db, U(db, "E1")))
OPENER(employees, cbc_employee, NO_FILTER, cbc_employee_iter_subtree(&it, db, U(db, "R1"), 0))
OPENER(employees_after, cbc_employee, NO_FILTER,
       cbc_employee_iter_subtree_after(&it, db, U(db, "E1"), 0, U(db, "T2"), 0x7fffffff))
OPENER(trainings, cbc_training, NO_FILTER, cbc_training_iter_new(&it, db, NULL))
OPENER(trainings_e1, cbc_training, cbc_activity_filter f = in_unit(db, "E1"),
       cbc_training_iter_new(&it, db, &f))
OPENER(drills, cbc_drill, NO_FILTER, cbc_drill_iter_new(&it, db, NULL))
OPENER(visits, cbc_visit, NO_FILTER, cbc_visit_iter_new(&it, db, NULL))
OPENER(visits_e2, cbc_visit, cbc_activity_filter f = in_unit(db, "E2"),
       cbc_visit_iter_new(&it, db, &f))
OPENER(proposals, cbc_proposal, NO_FILTER, cbc_proposal_iter_new(&it, db, NULL))
OPENER(assignments, cbc_cadre_assignment, NO_FILTER,
       cbc_cadre_assignment_iter_new(&it, db, NULL))

/* Each iterator and the rows the fixture gives it. */
static const struct {
  iter_ops ops;
  size_t rows;
} iterators[] = {
#define OPS(open, type) { #open, open, type##_next_id, type##_release }
  { OPS(hazards_all, cbc_hazard), 3 },
  { OPS(hazards_page, cbc_hazard), 1 },
  { OPS(hazards_text, cbc_hazard), 2 },
  { OPS(units_roots, cbc_unit), 1 },
  { OPS(units_subtree, cbc_unit), 6 },
  { OPS(employees, cbc_employee), 14 },
  { OPS(employees_after, cbc_employee), 3 },  /* E1 past T2: T3's D1, P1, S1 */
  { OPS(trainings, cbc_training), 3 },
  { OPS(trainings_e1, cbc_training), 2 },
  { OPS(drills, cbc_drill), 2 },
  { OPS(visits, cbc_visit), 2 },
  { OPS(visits_e2, cbc_visit), 1 },
  { OPS(proposals, cbc_proposal), 2 },
  { OPS(assignments, cbc_cadre_assignment), 2 },
#undef OPS
};

#define N_ITERATORS (sizeof(iterators) / sizeof(iterators[0]))

/* Its rows, then CBC_ITEROVER three times: at the end and after it.  Every
 * iterator is tried before the verdict, which names each that restarted. */
static void test_stays_at_end(void **state)
{
  cbc_db *db = *state;
  size_t restarted = 0;
  for (size_t i = 0; i < N_ITERATORS; i++) {
    const iter_ops *ops = &iterators[i].ops;
    void *it = NULL;
    int64_t id = 0;
    size_t rows = 0, after_end = 0;
    int rc;
    assert_cbc_ok(ops->open(&it, db));
    while ((rc = ops->next(&id, it)) == 0)
      rows++;
    assert_int_equal(rc, CBC_ITEROVER);
    assert_int_equal(rows, iterators[i].rows);
    for (int again = 0; again < 2; again++)
      after_end += ops->next(&id, it) != CBC_ITEROVER || id != 0;
    print_message("%s: %zu rows, %zu after the end\n", ops->what, rows, after_end);
    restarted += after_end > 0;
    ops->close(it);
  }
  assert_int_equal(restarted, 0);
}

/* An iterator that has no row at all is at its end from the start. */
static void test_empty_stays_at_end(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "没有这个隐患";
  cbc_hazard_iter *hazards;
  const cbc_hazard *h = NULL;
  assert_cbc_ok(cbc_hazard_iter_new(&hazards, db, &f));
  for (int i = 0; i < 3; i++)
    assert_int_equal(cbc_hazard_iter_next(&h, hazards), CBC_ITEROVER);
  assert_null(h);
  cbc_hazard_iter_free(hazards);
  cbc_unit_iter *units;
  const cbc_unit *u = NULL;
  assert_cbc_ok(cbc_unit_iter_children(&units, db, U(db, "T1"))); /* a team has none */
  for (int i = 0; i < 3; i++)
    assert_int_equal(cbc_unit_iter_next(&u, units), CBC_ITEROVER);
  assert_null(u);
  cbc_unit_iter_free(units);
}

/* The ledger's cursor after the end is still the last row's: the next
 * page starts after it, and is empty. */
static void test_ledger_cursor_after_end(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  char *at_last = NULL, *after_end = NULL;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  int rc;
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    cbc_free(at_last);
    assert_cbc_ok(cbc_hazard_iter_cursor(&at_last, it));
  }
  assert_int_equal(rc, CBC_ITEROVER);
  assert_int_equal(cbc_hazard_iter_next(&h, it), CBC_ITEROVER);
  assert_cbc_ok(cbc_hazard_iter_cursor(&after_end, it));
  assert_string_equal(after_end, at_last);
  cbc_hazard_iter_free(it);
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.after = after_end;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  assert_int_equal(cbc_hazard_iter_next(&h, it), CBC_ITEROVER);
  cbc_hazard_iter_free(it);
  cbc_free(at_last);
  cbc_free(after_end);
}

/* ------------------------------------------------- employee history */

/* An id that is no employee: not found, nothing handed out (its lookup's
 * failure is checked before anything of the row is read: ASan and
 * valgrind runs of this suite watch that). */
static void test_history_of_unknown_employee(void **state)
{
  cbc_db *db = *state;
  const int64_t unknown[] = { 999999, 0, -1, INT64_MAX };
  for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
    cbc_employee_event *ev = (cbc_employee_event *)&ev;
    size_t n = 7;
    assert_cbc_error(cbc_employee_history(&ev, &n, db, unknown[i]), CBC_ENOTFOUND, "not found");
    assert_null(ev);
    assert_int_equal(n, 0);
  }
  cbc_employee_event *ev = NULL;
  size_t n = 0;
  assert_cbc_ok(cbc_employee_history(&ev, &n, db, E(db, "A1")));
  assert_int_equal(n, 1);
  assert_int_equal(ev[0].kind, CBC_EMPLOYEE_JOINED);
  assert_int_equal(ev[0].to_unit, U(db, "T1"));
  cbc_free(ev);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_stays_at_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty_stays_at_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ledger_cursor_after_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_history_of_unknown_employee, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
