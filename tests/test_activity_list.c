/* Listing activity records by unit subtree and period, and voiding them
 * (include/cbc/activity.h, docs/activities.md "Listing" and "Voiding"):
 * what each listing yields and in which order, units moved elsewhere, the
 * rule for who may void, every refusal changing nothing, and the
 * statistics and participation after voids (aggregates = records =
 * rebuild), over fixed and randomised histories and under allocation
 * failures. */
#include "helpers.h"
#include "invariants.h"
#include "db_internal.h"
#include "store/store.h"
#include "store/store_internal.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static int64_t jan(int day) { return cbc_test_date(2024, 1, day) + 10 * 3600; }
static int64_t feb(int day) { return cbc_test_date(2024, 2, day) + 10 * 3600; }
static int64_t mar(int day) { return cbc_test_date(2024, 3, day) + 10 * 3600; }

/* ------------------------------------------------------------ fixture */

/* The records every test starts from, by name. */
typedef struct records {
  int64_t t_t1_jan, t_t2_feb, t_w2_mar, t_e2_feb, t_t1_feb_a, t_t1_feb_b; /* trainings */
  int64_t d_e1_jan, d_w1_feb, d_e2_mar;                                  /* drills */
  int64_t v_e1_jan, v_t1_feb, v_e2_feb;                                  /* visits */
  int64_t p_a1_jan, p_x1_feb;                                            /* proposals */
  int64_t a_e1, a_e2;                                                    /* assignments */
} records;

static records R;

static int64_t training(cbc_db *db, const char *unit, int64_t at, const char *who,
                        cbc_training_kind kind)
{
  cbc_attendee att[] = { { E(db, who), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = kind;
  r.unit_id = U(db, unit);
  r.held_at = at;
  r.minutes = 60;
  r.title = "岗位安全";
  r.attendees = att;
  r.n_attendees = 1;
  int64_t id;
  assert_cbc_ok(cbc_training_add(&id, db, &r));
  return id;
}

static int64_t drill(cbc_db *db, const char *unit, int64_t at, const char *team1,
                     const char *team2)
{
  int64_t teams[] = { U(db, team1), team2 ? U(db, team2) : 0 };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, unit);
  d.held_at = at;
  d.scenario = "火灾疏散";
  d.team_ids = teams;
  d.n_teams = team2 ? 2 : 1;
  int64_t id;
  assert_cbc_ok(cbc_drill_add(&id, db, &d));
  return id;
}

static int64_t visit(cbc_db *db, const char *unit, int64_t at)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, unit);
  v.visited_at = at;
  v.findings = "护栏缺失";
  int64_t id;
  assert_cbc_ok(cbc_visit_add(&id, db, &v));
  return id;
}

static int64_t proposal(cbc_db *db, const char *who, int64_t at)
{
  now = at; /* proposals are dated by the clock */
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, who);
  p.title = "加装护栏";
  p.text = "在轧机两侧加装护栏";
  int64_t id;
  assert_cbc_ok(cbc_proposal_submit(&id, db, &p));
  return id;
}

static void seed_records(cbc_db *db)
{
  R.t_t1_jan = training(db, "T1", jan(10), "A1", CBC_TRAINING_ALL_STAFF);
  R.t_t2_feb = training(db, "T2", feb(5), "B1", CBC_TRAINING_ALL_STAFF);
  R.t_w2_mar = training(db, "W2", mar(3), "D1", CBC_TRAINING_LEADER_CLASS);
  R.t_e2_feb = training(db, "E2", feb(7), "X1", CBC_TRAINING_ALL_STAFF);
  /* two at the same second: by id */
  R.t_t1_feb_a = training(db, "T1", feb(20), "A2", CBC_TRAINING_WARNING_EDUCATION);
  R.t_t1_feb_b = training(db, "T1", feb(20), "L1", CBC_TRAINING_WARNING_EDUCATION);
  R.d_e1_jan = drill(db, "E1", jan(15), "T3", NULL);
  R.d_w1_feb = drill(db, "W1", feb(12), "T1", "T2");
  R.d_e2_mar = drill(db, "E2", mar(1), "T9", NULL);
  R.v_e1_jan = visit(db, "E1", jan(20));
  R.v_t1_feb = visit(db, "T1", feb(2));
  R.v_e2_feb = visit(db, "E2", feb(9));
  assert_cbc_ok(cbc_cadre_assign(&R.a_e1, db, E(db, "C1"), U(db, "E1"), jan(1), mar(1)));
  assert_cbc_ok(cbc_cadre_assign(&R.a_e2, db, E(db, "C1"), U(db, "E2"), feb(1), 0));
  R.p_a1_jan = proposal(db, "A1", jan(25));
  R.p_x1_feb = proposal(db, "X1", feb(14));
  now = cbc_test_date(2024, 4, 1);
}

static int setup(void **state)
{
  now = cbc_test_date(2024, 4, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  seed_records(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

/* ------------------------------------------------------------ listing */

#define MAX_LISTED 64

/* The ids a listing yields, in order; each row's time checked not to go
 * backwards (then ids ascending), and the voided ones counted. */
typedef struct listed {
  size_t n, voided;
  int64_t ids[MAX_LISTED];
} listed;

static void take(listed *l, int64_t id, int64_t t, int64_t voided_at, int64_t *last_t)
{
  assert_true(l->n < MAX_LISTED);
  if (l->n)
    assert_true(t > *last_t || (t == *last_t && id > l->ids[l->n - 1]));
  *last_t = t;
  l->ids[l->n++] = id;
  l->voided += voided_at != 0;
}

/* Run one kind's iterator to its end (every iterator type in turn). */
static int run_listing(cbc_db *db, cbc_activity_kind kind, const cbc_activity_filter *f,
                       listed *l)
{
  int64_t last = 0;
  int rc = 0;
  memset(l, 0, sizeof(*l));
#define DRAIN(type, row_type, time_field)                                      \
  do {                                                                         \
    type##_iter *it = NULL;                                                    \
    const row_type *row;                                                       \
    rc = type##_iter_new(&it, db, f);                                          \
    while (!rc && (rc = type##_iter_next(&row, it)) == 0)                      \
      take(l, row->id, row->time_field, row->voided_at, &last);                \
    type##_iter_free(it);                                                      \
  } while (0)
  switch (kind) {
  case CBC_ACTIVITY_TRAINING: DRAIN(cbc_training, cbc_training, held_at); break;
  case CBC_ACTIVITY_DRILL: DRAIN(cbc_drill, cbc_drill, held_at); break;
  case CBC_ACTIVITY_VISIT: DRAIN(cbc_visit, cbc_visit, visited_at); break;
  case CBC_ACTIVITY_PROPOSAL: DRAIN(cbc_proposal, cbc_proposal, submitted_at); break;
  default: DRAIN(cbc_cadre_assignment, cbc_cadre_assignment, from); break;
  }
#undef DRAIN
  return rc == CBC_ITEROVER ? 0 : rc;
}

static listed list(cbc_db *db, cbc_activity_kind kind, const char *unit, int64_t from,
                   int64_t to, unsigned int flags)
{
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  f.unit_id = unit ? U(db, unit) : 0;
  f.from = from;
  f.to = to;
  f.flags = flags;
  listed l;
  assert_cbc_ok(run_listing(db, kind, &f, &l));
  return l;
}

/* Assert the listing is exactly @p ids (0-terminated), in that order. */
static void expect_ids(listed l, const int64_t *ids)
{
  size_t n = 0;
  while (ids[n])
    n++;
  if (l.n != n)
    fail_msg("listed %zu records, expected %zu", l.n, n);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(l.ids[i], ids[i]);
}
#define EXPECT(l, ...) expect_ids((l), (const int64_t[]){ __VA_ARGS__, 0 })
#define EXPECT_NONE(l) assert_int_equal((l).n, 0)

static void test_list_by_subtree_and_period(void **state)
{
  cbc_db *db = *state;
  const cbc_activity_kind T = CBC_ACTIVITY_TRAINING, D = CBC_ACTIVITY_DRILL,
                          V = CBC_ACTIVITY_VISIT, P = CBC_ACTIVITY_PROPOSAL,
                          A = CBC_ACTIVITY_ASSIGNMENT;
  /* every unit, every time: by time, then id */
  EXPECT(list(db, T, NULL, 0, 0, 0), R.t_t1_jan, R.t_t2_feb, R.t_e2_feb, R.t_t1_feb_a,
         R.t_t1_feb_b, R.t_w2_mar);
  EXPECT(list(db, T, "R1", 0, 0, 0), R.t_t1_jan, R.t_t2_feb, R.t_e2_feb, R.t_t1_feb_a,
         R.t_t1_feb_b, R.t_w2_mar);
  EXPECT(list(db, T, "E1", 0, 0, 0), R.t_t1_jan, R.t_t2_feb, R.t_t1_feb_a, R.t_t1_feb_b,
         R.t_w2_mar);
  EXPECT(list(db, T, "W1", 0, 0, 0), R.t_t1_jan, R.t_t2_feb, R.t_t1_feb_a, R.t_t1_feb_b);
  EXPECT(list(db, T, "T1", 0, 0, 0), R.t_t1_jan, R.t_t1_feb_a, R.t_t1_feb_b);
  EXPECT(list(db, T, "E2", 0, 0, 0), R.t_e2_feb);
  /* periods are [from, to): February; from February on; before February */
  EXPECT(list(db, T, "E1", feb(1) - 10 * 3600, mar(1) - 10 * 3600, 0), R.t_t2_feb,
         R.t_t1_feb_a, R.t_t1_feb_b);
  EXPECT(list(db, T, NULL, feb(20), 0, 0), R.t_t1_feb_a, R.t_t1_feb_b, R.t_w2_mar);
  EXPECT(list(db, T, NULL, 0, feb(20), 0), R.t_t1_jan, R.t_t2_feb, R.t_e2_feb);
  EXPECT_NONE(list(db, T, "T3", 0, 0, 0));
  /* drills by the holding unit */
  EXPECT(list(db, D, "R1", 0, 0, 0), R.d_e1_jan, R.d_w1_feb, R.d_e2_mar);
  EXPECT(list(db, D, "E1", 0, 0, 0), R.d_e1_jan, R.d_w1_feb);
  EXPECT(list(db, D, "W1", 0, 0, 0), R.d_w1_feb);
  EXPECT_NONE(list(db, D, "T1", 0, 0, 0)); /* it took part; W1 held it */
  EXPECT(list(db, D, NULL, feb(1), 0, 0), R.d_w1_feb, R.d_e2_mar);
  /* visits by the visited unit */
  EXPECT(list(db, V, NULL, 0, 0, 0), R.v_e1_jan, R.v_t1_feb, R.v_e2_feb);
  EXPECT(list(db, V, "E1", 0, 0, 0), R.v_e1_jan, R.v_t1_feb);
  EXPECT(list(db, V, "T1", 0, 0, 0), R.v_t1_feb);
  EXPECT(list(db, V, "R1", feb(1), feb(3), 0), R.v_t1_feb);
  /* proposals by the unit they concern (the proposer's team by default) */
  EXPECT(list(db, P, NULL, 0, 0, 0), R.p_a1_jan, R.p_x1_feb);
  EXPECT(list(db, P, "T1", 0, 0, 0), R.p_a1_jan);
  EXPECT(list(db, P, "E2", 0, 0, 0), R.p_x1_feb);
  EXPECT_NONE(list(db, P, "T2", 0, 0, 0));
  /* assignments overlapping the period, by start */
  EXPECT(list(db, A, NULL, 0, 0, 0), R.a_e1, R.a_e2);
  EXPECT(list(db, A, "E2", 0, 0, 0), R.a_e2);
  EXPECT(list(db, A, NULL, jan(5), jan(6), 0), R.a_e1);
  EXPECT(list(db, A, NULL, mar(1), 0, 0), R.a_e2); /* E1's ended at March 1st */
  EXPECT(list(db, A, NULL, mar(1) - 1, 0, 0), R.a_e1, R.a_e2);
  EXPECT_NONE(list(db, A, "T1", 0, 0, 0));
}

/* Rows carry the stored fields; training and drill rows come without
 * attendees and teams. */
static void test_listing_rows(void **state)
{
  cbc_db *db = *state;
  cbc_training_iter *ti;
  const cbc_training *t;
  assert_cbc_ok(cbc_training_iter_new(&ti, db, NULL));
  assert_cbc_ok(cbc_training_iter_next(&t, ti));
  assert_int_equal(t->id, R.t_t1_jan);
  assert_int_equal(t->kind, CBC_TRAINING_ALL_STAFF);
  assert_int_equal(t->unit_id, U(db, "T1"));
  assert_int_equal(t->held_at, jan(10));
  assert_string_equal(t->title, "岗位安全");
  assert_int_equal(t->n_attendees, 0);
  assert_null(t->attendees);
  assert_int_equal(t->voided_at, 0);
  assert_string_equal(t->void_reason, "");
  cbc_training_iter_free(ti);
  cbc_visit *v;
  assert_cbc_ok(cbc_visit_lookup(&v, db, R.v_t1_feb));
  assert_int_equal(v->cadre_id, E(db, "C1"));
  assert_int_equal(v->unit_id, U(db, "T1"));
  assert_int_equal(v->visited_at, feb(2));
  assert_string_equal(v->findings, "护栏缺失");
  assert_true(v->recorded_at > 0);
  assert_int_equal(v->voided_by, 0);
  cbc_visit_free(v);
  assert_cbc_error(cbc_visit_lookup(&v, db, 999), CBC_ENOTFOUND, "visit 999");
  assert_null(v);
  cbc_cadre_assignment *a;
  assert_cbc_ok(cbc_cadre_assignment_lookup(&a, db, R.a_e1));
  assert_int_equal(a->cadre_id, E(db, "C1"));
  assert_int_equal(a->unit_id, U(db, "E1"));
  assert_int_equal(a->from, jan(1));
  assert_int_equal(a->to, mar(1));
  cbc_cadre_assignment_free(a);
  assert_cbc_error(cbc_cadre_assignment_lookup(&a, db, 999), CBC_ENOTFOUND, "999");
  cbc_proposal_iter *pi;
  const cbc_proposal *p;
  assert_cbc_ok(cbc_proposal_iter_new(&pi, db, NULL));
  assert_cbc_ok(cbc_proposal_iter_next(&p, pi));
  assert_int_equal(p->proposer_id, E(db, "A1"));
  assert_string_equal(p->text, "在轧机两侧加装护栏");
  assert_int_equal(p->status, CBC_PROPOSAL_SUBMITTED);
  assert_cbc_ok(cbc_proposal_iter_next(&p, pi));
  assert_int_equal(cbc_proposal_iter_next(&p, pi), CBC_ITEROVER);
  assert_null(p);
  cbc_proposal_iter_free(pi);
  assert_string_equal(cbc_activity_kind_name(CBC_ACTIVITY_ASSIGNMENT), "assignment");
  assert_null(cbc_activity_kind_name((cbc_activity_kind)0));
  assert_null(cbc_activity_kind_name((cbc_activity_kind)6));
}

static void test_bad_filters(void **state)
{
  cbc_db *db = *state;
  cbc_training_iter *it = (cbc_training_iter *)1;
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  f.version = 2;
  assert_cbc_error(cbc_training_iter_new(&it, db, &f), CBC_EINVAL, "cbc_activity_filter");
  assert_null(it);
  f.version = 0;
  assert_cbc_error(cbc_drill_iter_new(NULL, db, &f), CBC_EINVAL, "out");
  f = (cbc_activity_filter)CBC_ACTIVITY_FILTER_INIT;
  f.flags = 2;
  assert_cbc_error(cbc_visit_iter_new((cbc_visit_iter **)&it, db, &f), CBC_EINVAL, "flags");
  f.flags = 0;
  f.from = -1;
  assert_cbc_error(cbc_proposal_iter_new((cbc_proposal_iter **)&it, db, &f), CBC_EINVAL,
                   "negative");
  f.from = feb(1);
  f.to = feb(1);
  assert_cbc_error(cbc_cadre_assignment_iter_new((cbc_cadre_assignment_iter **)&it, db, &f),
                   CBC_EINVAL, "inverted");
  f.to = CBC_TIME_MAX + 2;
  assert_cbc_error(cbc_training_iter_new(&it, db, &f), CBC_EINVAL, NULL);
  f.to = 0;
  f.unit_id = 999;
  assert_cbc_error(cbc_training_iter_new(&it, db, &f), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_training_iter_new(&it, NULL, NULL), CBC_EINVAL, NULL);
  const cbc_training *t = (const cbc_training *)1;
  assert_cbc_error(cbc_training_iter_next(&t, NULL), CBC_EINVAL, NULL);
  assert_null(t);
  cbc_training_iter_free(NULL);
  cbc_visit_free(NULL);
  cbc_cadre_assignment_free(NULL);
  assert_cbc_error(cbc_activity_filter_init(NULL, 1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_activity_filter_init(&f, 2), CBC_EINVAL, NULL);
  memset(&f, 0xff, sizeof(f));
  assert_cbc_ok(cbc_activity_filter_init(&f, CBC_ACTIVITY_FILTER_VERSION));
  assert_int_equal(f.version, CBC_ACTIVITY_FILTER_VERSION);
  assert_int_equal(f.unit_id + f.from + f.to + f.flags, 0);
}

/* A unit moved takes its records along (the subtree as it is now, as the
 * statistics roll up: docs/statistics.md "Attribution"): W1 to E2, then
 * E2 to a second district. */
static void test_listing_follows_moves(void **state)
{
  cbc_db *db = *state;
  cbc_unit_record r2 = CBC_UNIT_RECORD_INIT;
  r2.external_id = "R2";
  r2.kind = CBC_UNIT_REGION;
  r2.name = "Licheng district";
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &r2));
  assert_cbc_ok(cbc_unit_move(db, U(db, "E2"), U(db, "R2")));
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "R2", 0, 0, 0), R.t_e2_feb);
  EXPECT(list(db, CBC_ACTIVITY_DRILL, "R2", 0, 0, 0), R.d_e2_mar);
  EXPECT(list(db, CBC_ACTIVITY_DRILL, "R1", 0, 0, 0), R.d_e1_jan, R.d_w1_feb);
  EXPECT(list(db, CBC_ACTIVITY_ASSIGNMENT, "R2", 0, 0, 0), R.a_e2);
  EXPECT(list(db, CBC_ACTIVITY_PROPOSAL, "R1", 0, 0, 0), R.p_a1_jan);
  /* a district move keeps every enterprise's figures: void in both districts */
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_e2_feb, E(db, "XP"), "重复"));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_w1_feb, E(db, "P1"), "重复"));
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
  /* a workshop moved to another enterprise: its sessions and drills go too */
  assert_cbc_ok(cbc_unit_move(db, U(db, "W1"), U(db, "E2")));
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "E2", 0, 0, 0), R.t_t1_jan, R.t_t2_feb,
         R.t_t1_feb_a, R.t_t1_feb_b);
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "E1", 0, 0, 0), R.t_w2_mar);
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "E2", 0, 0, CBC_ACTIVITY_WITH_VOIDED), R.t_t1_jan,
         R.t_t2_feb, R.t_e2_feb, R.t_t1_feb_a, R.t_t1_feb_b);
  EXPECT(list(db, CBC_ACTIVITY_DRILL, "E2", 0, 0, CBC_ACTIVITY_WITH_VOIDED), R.d_w1_feb,
         R.d_e2_mar);
  EXPECT(list(db, CBC_ACTIVITY_VISIT, "R2", 0, 0, 0), R.v_t1_feb, R.v_e2_feb);
  /* and who may void them follows the tree too: E2's principal now */
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"),
                   CBC_EPERM, "authority");
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "XP"), "x"));
}

/* The unit filter is the subtree's path range and the time range of an
 * index, never a list of unit ids, so its cost does not grow with the
 * history of other units. */
static void test_query_plans_use_indexes(void **state)
{
  CBC_TEST_SQLITE_ONLY();
  cbc_db *db = *state;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  assert_cbc_ok(cbc_store__unit_range(db->store, U(db, "E1"), lo, hi, sizeof(lo)));
  for (int k = CBC_ACTIVITY_TRAINING; k <= CBC_ACTIVITY_ASSIGNMENT; k++) {
    for (int with_unit = 0; with_unit < 2; with_unit++) {
      cbc_store_cursor *c;
      assert_cbc_ok(cbc_store__activity_query(&c, db->store, (cbc_activity_kind)k,
                                              with_unit ? lo : NULL, with_unit ? hi : NULL,
                                              feb(1), mar(1), false));
      char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(c->stmt->lite));
      sqlite3_stmt *plan;
      assert_int_equal(sqlite3_prepare_v2(db->store->db, sql, -1, &plan, NULL), SQLITE_OK);
      bool unit_by_path = false, table_by_index = false;
      while (sqlite3_step(plan) == SQLITE_ROW) {
        const char *step = (const char *)sqlite3_column_text(plan, 3);
        print_message("%s (%s): %s\n", cbc_activity_kind_name((cbc_activity_kind)k),
                      with_unit ? "E1" : "all", step);
        unit_by_path |= strstr(step, "units_path") != NULL;
        table_by_index |= strncmp(step, "SEARCH x", 8) == 0 ||
                          (strncmp(step, "SCAN x USING INDEX", 18) == 0 && !with_unit);
        assert_null(strstr(step, "LIST SUBQUERY"));
      }
      sqlite3_finalize(plan);
      sqlite3_free(sql);
      cbc_store__cursor_free(c);
      assert_true(unit_by_path == (bool)with_unit);
      /* assignments of every unit: a small table, an overlap no index orders */
      if (with_unit || k != CBC_ACTIVITY_ASSIGNMENT)
        assert_true(table_by_index);
    }
  }
}

/* -------------------------------------------------------------- voiding */

static int64_t form_value(cbc_db *db, const char *unit, int month, size_t field)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2024, month, 0, 0 };
  cbc_stats_form *f;
  assert_cbc_ok(cbc_stats_form_get(&f, db, U(db, unit), &p, 0));
  int64_t v = *(const int64_t *)((const char *)f + field);
  cbc_stats_form_free(f);
  return v;
}
#define FORM(db, unit, month, field) form_value(db, unit, month, offsetof(cbc_stats_form, field))

static int took_part(cbc_db *db, const char *who, int64_t from, int64_t to)
{
  int out;
  assert_cbc_ok(cbc_employee_took_part(&out, db, E(db, who), from, to));
  return out;
}

static void test_void_marks_and_hides(void **state)
{
  cbc_db *db = *state;
  now = cbc_test_date(2024, 4, 2);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "L1"),
                                  "录入重复\n已另行登记"));
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "T1", 0, 0, 0), R.t_t1_feb_a, R.t_t1_feb_b);
  listed all = list(db, CBC_ACTIVITY_TRAINING, "T1", 0, 0, CBC_ACTIVITY_WITH_VOIDED);
  EXPECT(all, R.t_t1_jan, R.t_t1_feb_a, R.t_t1_feb_b);
  assert_int_equal(all.voided, 1);
  cbc_training *t;
  assert_cbc_ok(cbc_training_lookup(&t, db, R.t_t1_jan));
  assert_int_equal(t->voided_at, now);
  assert_int_equal(t->voided_by, E(db, "L1"));
  assert_string_equal(t->void_reason, "录入重复\n已另行登记");
  assert_int_equal(t->n_attendees, 1); /* kept */
  assert_int_equal(t->attendees[0].employee_id, E(db, "A1"));
  assert_string_equal(t->title, "岗位安全");
  cbc_training_free(t);
  /* every kind */
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_w1_feb, E(db, "P1"), "未举行"));
  cbc_drill *d;
  assert_cbc_ok(cbc_drill_lookup(&d, db, R.d_w1_feb));
  assert_int_equal(d->n_teams, 2);
  assert_int_equal(d->voided_by, E(db, "P1"));
  assert_string_equal(d->void_reason, "未举行");
  cbc_drill_free(d);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e1_jan, E(db, "C1"), "误录"));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_PROPOSAL, R.p_a1_jan, E(db, "A1"), "撤回"));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_ASSIGNMENT, R.a_e1, E(db, "C1"), "误录"));
  EXPECT(list(db, CBC_ACTIVITY_DRILL, NULL, 0, 0, 0), R.d_e1_jan, R.d_e2_mar);
  EXPECT(list(db, CBC_ACTIVITY_VISIT, NULL, 0, 0, 0), R.v_t1_feb, R.v_e2_feb);
  EXPECT(list(db, CBC_ACTIVITY_PROPOSAL, NULL, 0, 0, 0), R.p_x1_feb);
  EXPECT(list(db, CBC_ACTIVITY_ASSIGNMENT, NULL, 0, 0, 0), R.a_e2);
  listed v = list(db, CBC_ACTIVITY_VISIT, NULL, 0, 0, CBC_ACTIVITY_WITH_VOIDED);
  assert_int_equal(v.n, 3);
  assert_int_equal(v.voided, 1);
  cbc_proposal *p;
  assert_cbc_ok(cbc_proposal_lookup(&p, db, R.p_a1_jan));
  assert_string_equal(p->void_reason, "撤回");
  cbc_proposal_free(p);
  cbc_cadre_assignment *a;
  assert_cbc_ok(cbc_cadre_assignment_lookup(&a, db, R.a_e1));
  assert_int_equal(a->voided_by, E(db, "C1"));
  cbc_cadre_assignment_free(a);
  /* a voided record cannot be voided, decided or released again */
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e1_jan, E(db, "C1"), "x"),
                   CBC_ESTATE, "already voided");
  assert_cbc_error(cbc_proposal_decide(db, R.p_a1_jan, E(db, "P1"), 1, NULL), CBC_ESTATE,
                   "voided");
  int64_t again;
  assert_cbc_error(cbc_cadre_assign(&again, db, E(db, "C1"), U(db, "E2"), mar(2), 0),
                   CBC_ECONFLICT, NULL); /* E2's is still open: a real overlap */
  /* the voided E1 assignment no longer overlaps anything */
  assert_cbc_ok(cbc_cadre_assign(&again, db, E(db, "C1"), U(db, "E1"), jan(1), 0));
  assert_cbc_error(cbc_cadre_release(db, R.a_e1, mar(5)), CBC_ESTATE, "voided");
}

static void test_void_rules(void **state)
{
  cbc_db *db = *state;
  const cbc_activity_kind T = CBC_ACTIVITY_TRAINING;
  /* a training held by team T1: its leader, W1's line, E1's principal and
   * safety officer, a union cadre over it */
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "A1"), "x"), CBC_EPERM,
                   "not allowed");                         /* attended it */
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "L2"), "x"), CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "D1"), "x"), CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "I1"), "x"), CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "XP"), "x"), CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "XS"), "x"), CBC_EPERM, NULL);
  assert_cbc_ok(cbc_activity_void(db, T, R.t_t1_jan, E(db, "L1"), "x"));
  assert_cbc_ok(cbc_activity_void(db, T, R.t_t1_feb_a, E(db, "S1"), "x"));
  assert_cbc_ok(cbc_activity_void(db, T, R.t_t1_feb_b, E(db, "C1"), "x"));
  /* W2's leader class: its director (D1), not T1's leader */
  assert_cbc_error(cbc_activity_void(db, T, R.t_w2_mar, E(db, "L1"), "x"), CBC_EPERM, NULL);
  assert_cbc_ok(cbc_activity_void(db, T, R.t_w2_mar, E(db, "D1"), "x"));
  /* an enterprise's drill: its principal or safety officer, not a team leader */
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_e2_mar, E(db, "XL"), "x"),
                   CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_e2_mar, E(db, "P1"), "x"),
                   CBC_EPERM, NULL);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_e2_mar, E(db, "XS"), "x"));
  /* supervision is the union's: never the supervised enterprise */
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e2_feb, E(db, "XP"), "x"),
                   CBC_EPERM, "supervision visit");
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_ASSIGNMENT, R.a_e2, E(db, "XP"), "x"),
                   CBC_EPERM, "union cadre");
  /* a proposal: its proposer until it is decided; then authority over it */
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_PROPOSAL, R.p_x1_feb, E(db, "A1"), "x"),
                   CBC_EPERM, NULL);
  assert_cbc_ok(cbc_proposal_decide(db, R.p_x1_feb, E(db, "XP"), 1, "采纳"));
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_PROPOSAL, R.p_x1_feb, E(db, "X1"), "x"),
                   CBC_EPERM, NULL);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_PROPOSAL, R.p_x1_feb, E(db, "XL"), "x"));
  /* an inactive actor does nothing */
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "L2"), now));
  assert_cbc_error(cbc_activity_void(db, T, R.t_t2_feb, E(db, "L2"), "x"), CBC_EPERM,
                   "inactive");
  /* a union cadre of another district cannot void this one's records */
  cbc_unit_record r2 = CBC_UNIT_RECORD_INIT;
  r2.external_id = "R2";
  r2.kind = CBC_UNIT_REGION;
  r2.name = "Licheng district";
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &r2));
  cbc_employee_record c2 = CBC_EMPLOYEE_RECORD_INIT;
  c2.external_id = "C2";
  c2.name = "Lin Xue";
  c2.unit_external_id = "R2";
  c2.roles = CBC_ROLE_UNION_CADRE;
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &c2));
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e2_feb, E(db, "C2"), "x"),
                   CBC_EPERM, NULL);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e2_feb, E(db, "C1"), "x"));
}

/* A refused void changes nothing: the record, the figures, who took part. */
static void test_void_errors_change_nothing(void **state)
{
  cbc_db *db = *state;
  char long_reason[CBC_MAX_ACTIVITY_TEXT + 2];
  memset(long_reason, 'x', sizeof(long_reason) - 1);
  long_reason[sizeof(long_reason) - 1] = '\0';
  int64_t sessions = FORM(db, "E1", 1, training_sessions);
  const cbc_activity_kind T = CBC_ACTIVITY_TRAINING;
  assert_cbc_error(cbc_activity_void(db, T, 999, E(db, "P1"), "x"), CBC_ENOTFOUND, "999");
  assert_cbc_error(cbc_activity_void(db, (cbc_activity_kind)0, R.t_t1_jan, E(db, "P1"), "x"),
                   CBC_EINVAL, "kind");
  assert_cbc_error(cbc_activity_void(db, (cbc_activity_kind)6, R.t_t1_jan, E(db, "P1"), "x"),
                   CBC_EINVAL, "kind");
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "P1"), NULL), CBC_EINVAL,
                   "reason");
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "P1"), ""), CBC_EINVAL, "reason");
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "P1"), long_reason), CBC_EINVAL,
                   "reason");
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "P1"), "\xff"), CBC_EINVAL,
                   "reason");
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, 999, "x"), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_activity_void(db, T, R.t_t1_jan, E(db, "A1"), "x"), CBC_EPERM, NULL);
  assert_cbc_error(cbc_activity_void(NULL, T, R.t_t1_jan, E(db, "P1"), "x"), CBC_EINVAL, NULL);
  cbc_training *t;
  assert_cbc_ok(cbc_training_lookup(&t, db, R.t_t1_jan));
  assert_int_equal(t->voided_at, 0);
  assert_int_equal(t->n_attendees, 1);
  cbc_training_free(t);
  assert_int_equal(FORM(db, "E1", 1, training_sessions), sessions);
  assert_true(took_part(db, "A1", jan(1), jan(11)));
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* What a void takes back: the record's counters, and the people who took
 * part through it alone (participation, trained, leaders), everywhere the
 * figures come from; compliance sees the session gone. */
static void test_void_updates_statistics_and_participation(void **state)
{
  cbc_db *db = *state;
  int64_t year_from = cbc_test_date(2024, 1, 1), year_to = cbc_test_date(2025, 1, 1);
  assert_int_equal(FORM(db, "E1", 1, training_sessions), 1);
  assert_int_equal(FORM(db, "T1", 1, training_sessions), 1);
  assert_true(took_part(db, "A1", jan(1), jan(11)));
  int64_t *untrained;
  size_t n;
  assert_cbc_ok(cbc_compliance_untrained(&untrained, &n, db, U(db, "T1"), 2024));
  size_t untrained_before = n;
  cbc_free(untrained);
  /* A1: a January session and a proposal; void the session, then the
   * proposal: only then has A1 not taken part in January */
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"));
  assert_int_equal(FORM(db, "E1", 1, training_sessions), 0);
  assert_int_equal(FORM(db, "T1", 1, training_sessions), 0);
  assert_int_equal(FORM(db, "E1", 1, employees_trained), 0);
  assert_false(took_part(db, "A1", jan(1), jan(11)));
  assert_true(took_part(db, "A1", jan(1), feb(1))); /* the proposal of the 25th */
  assert_cbc_ok(cbc_compliance_untrained(&untrained, &n, db, U(db, "T1"), 2024));
  assert_int_equal(n, untrained_before + 1);
  cbc_free(untrained);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_PROPOSAL, R.p_a1_jan, E(db, "A1"), "x"));
  assert_false(took_part(db, "A1", year_from, feb(1)));
  assert_true(took_part(db, "A1", year_from, year_to)); /* T1 in W1's drill */
  /* B1 took part in February through T2's session and W1's drill */
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_w1_feb, E(db, "P1"), "x"));
  assert_true(took_part(db, "B1", feb(1), mar(1)));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t2_feb, E(db, "L2"), "x"));
  assert_false(took_part(db, "B1", year_from, year_to));
  /* the cadre's visits: E1's January visit count, and C1's participation */
  assert_int_equal(FORM(db, "E1", 1, supervision_visits), 1);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_VISIT, R.v_e1_jan, E(db, "C1"), "x"));
  assert_int_equal(FORM(db, "E1", 1, supervision_visits), 0);
  assert_int_equal(FORM(db, "R1", 1, supervision_visits), 0);
  assert_true(took_part(db, "C1", feb(1), mar(1))); /* February's visits stand */
  assert_false(took_part(db, "C1", jan(1), feb(1)));
  /* an assignment: units_assigned */
  assert_int_equal(FORM(db, "E1", 2, units_assigned), 1);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_ASSIGNMENT, R.a_e1, E(db, "C1"), "x"));
  assert_int_equal(FORM(db, "E1", 2, units_assigned), 0);
  /* leaders: D1's leader class */
  assert_int_equal(FORM(db, "E1", 3, leader_classes), 1);
  assert_int_equal(FORM(db, "E1", 3, leaders_trained), 1);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_w2_mar, E(db, "D1"), "x"));
  assert_int_equal(FORM(db, "E1", 3, leader_classes), 0);
  assert_int_equal(FORM(db, "E1", 3, leaders_trained), 0);
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* Voiding is one transaction, and part of a cbc_db_begin() group. */
static void test_void_in_groups(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"));
  assert_false(took_part(db, "A1", jan(1), jan(11)));
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"),
                   CBC_ESTATE, NULL);
  assert_cbc_ok(cbc_db_rollback(db));
  assert_true(took_part(db, "A1", jan(1), jan(11)));
  EXPECT(list(db, CBC_ACTIVITY_TRAINING, "T1", 0, feb(1), 0), R.t_t1_jan);
  assert_int_equal(FORM(db, "E1", 1, training_sessions), 1);
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_e1_jan, E(db, "P1"), "x"));
  assert_cbc_error(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_e1_jan, E(db, "A1"), "x"),
                   CBC_ESTATE, NULL); /* a refused call leaves the group open */
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(FORM(db, "E1", 1, training_sessions), 0);
  EXPECT_NONE(list(db, CBC_ACTIVITY_DRILL, "E1", 0, feb(1), 0));
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
}

/* ------------------------------------------------- randomised histories */

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

static const char *const workers[] = { "A1", "A2", "B1", "L1", "L2", "X1", "XL" };
static const char *const teams_of[] = { "T1", "T1", "T2", "T1", "T2", "T9", "T9" };

/* A standing record of @p kind picked at random from a listing; 0 if none. */
static int64_t some_record(cbc_db *db, rnd *r, cbc_activity_kind kind)
{
  listed l;
  assert_cbc_ok(run_listing(db, kind, NULL, &l));
  return l.n ? l.ids[pick(r, (int)l.n)] : 0;
}

static void random_op(cbc_db *db, rnd *r, int64_t t)
{
  int w = pick(r, 7);
  switch (pick(r, 8)) {
  case 0: /* held by the enterprise: transfers stay within it */
    training(db, w >= 5 ? "E2" : "E1", t, workers[w],
             pick(r, 3) ? CBC_TRAINING_ALL_STAFF : CBC_TRAINING_RETRAINING);
    break;
  case 1:
    drill(db, w >= 5 ? "E2" : "W1", t, w >= 5 ? "T9" : "T1", w >= 5 ? NULL : "T2");
    break;
  case 2:
    visit(db, teams_of[w], t);
    break;
  case 3: {
    cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
    p.proposer_id = E(db, workers[w]);
    p.title = "建议";
    p.text = "改进";
    assert_cbc_ok(cbc_proposal_submit(NULL, db, &p));
    break;
  }
  case 4: { /* a transfer within E1, dated at t: later records follow it */
    const char *to = strcmp(teams_of[w], "T9") == 0 ? "T9" : pick(r, 2) ? "T1" : "T2";
    int rc = cbc_employee_transfer(db, E(db, workers[w]), U(db, to), t);
    if (rc && rc != CBC_EINVAL)
      fail_msg("transfer: %s", cbc_error_last()->message);
    break;
  }
  default: { /* void a standing record of a random kind, as the district's cadre */
    cbc_activity_kind kind = (cbc_activity_kind)(1 + pick(r, 5));
    int64_t id = some_record(db, r, kind);
    if (id)
      assert_cbc_ok(cbc_activity_void(db, kind, id, E(db, "C1"), "随机作废"));
    break;
  }
  }
}

static void test_statistics_after_random_voids(void **state)
{
  (void)state;
  const char *env_long = getenv("CBC_TEST_LONG");
  bool is_long = env_long && *env_long && strcmp(env_long, "0") != 0;
  int seeds = is_long ? 12 : cbc_test_light() ? 1 : 3; /* one under valgrind */
  for (int seed = 1; seed <= seeds; seed++) {
    rnd r = { (uint64_t)seed * 0x9E3779B97F4A7C15ull + 7 };
    now = cbc_test_date(2023, 11, 1);
    cbc_db *db = cbc_test_db(&now);
    cbc_test_seed_org(db);
    cbc_test_seed_second_enterprise(db, "R1");
    size_t compared = 0;
    int64_t t = now;
    for (int i = 0; i < 160; i++) {
      t += pick(&r, 3 * (int)DAY);
      now = t + DAY;
      if (pick(&r, 8) == 0) { /* a few calls in a group, some rolled back */
        assert_cbc_ok(cbc_db_begin(db));
        random_op(db, &r, t);
        random_op(db, &r, t);
        assert_cbc_ok(pick(&r, 3) ? cbc_db_commit(db) : cbc_db_rollback(db));
      } else {
        random_op(db, &r, t);
      }
      if (i % 40 == 39)
        compared += cbc_test_assert_stats_agree(db, 2023, 2025);
    }
    cbc_test_assert_stats_rebuild(db, 2023, 2025);
    listed all = list(db, CBC_ACTIVITY_TRAINING, NULL, 0, 0, CBC_ACTIVITY_WITH_VOIDED);
    print_message("seed %d: %zu sessions (%zu voided); %zu (unit, period) comparisons\n", seed,
                  all.n, all.voided, compared);
    cbc_db_close(db);
  }
}

/* ------------------------------------------------ allocation failures */

static int list_everything(cbc_db *db, int64_t unit_id)
{
  int rc = 0;
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  f.unit_id = unit_id;
  f.flags = CBC_ACTIVITY_WITH_VOIDED;
  for (int k = CBC_ACTIVITY_TRAINING; k <= CBC_ACTIVITY_ASSIGNMENT && !rc; k++) {
    listed l;
    rc = run_listing(db, (cbc_activity_kind)k, &f, &l);
  }
  return rc;
}

/* The swept calls: ids looked up before (a lookup's assertion would fail). */
typedef struct sweep_ids {
  int64_t cadre, e1;
} sweep_ids;

static int void_everything(cbc_db *db, const sweep_ids *x)
{
  const struct {
    cbc_activity_kind kind;
    int64_t id;
  } all[] = { { CBC_ACTIVITY_TRAINING, R.t_t1_jan }, { CBC_ACTIVITY_DRILL, R.d_w1_feb },
              { CBC_ACTIVITY_VISIT, R.v_e1_jan }, { CBC_ACTIVITY_PROPOSAL, R.p_a1_jan },
              { CBC_ACTIVITY_ASSIGNMENT, R.a_e1 } };
  int rc = 0;
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]) && !rc; i++)
    rc = cbc_activity_void(db, all[i].kind, all[i].id, x->cadre, "作废");
  cbc_visit *v = NULL;
  cbc_cadre_assignment *a = NULL;
  if (!rc)
    rc = cbc_visit_lookup(&v, db, R.v_e1_jan);
  if (!rc)
    rc = cbc_cadre_assignment_lookup(&a, db, R.a_e1);
  cbc_visit_free(v);
  cbc_cadre_assignment_free(a);
  return rc ? rc : list_everything(db, x->e1);
}

/* A void either happened whole or not at all: its mark, its attendance
 * moved aside, and the figures agree with the records either way. */
static void assert_whole(cbc_db *db)
{
  cbc_training *t;
  assert_cbc_ok(cbc_training_lookup(&t, db, R.t_t1_jan));
  int part = took_part(db, "A1", jan(1), jan(11));
  assert_int_equal(part, t->voided_at == 0);
  assert_int_equal(t->n_attendees, 1);
  cbc_training_free(t);
  cbc_test_assert_stats_agree(db, 2024, 2024);
}

/* A database with the fixture's records, under the counting allocator. */
static cbc_db *sweep_db(sweep_ids *x)
{
  now = cbc_test_date(2024, 4, 1);
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  seed_records(db);
  x->cadre = E(db, "C1");
  x->e1 = U(db, "E1");
  return db;
}

/* Every allocation of the five voids, their lookups and listings can fail
 * (about 12,000, most of them SQLite's preparing statements): the sweep
 * tries about 400 failure points spread evenly over them
 * (cbc_test_spread_stride). */
static void test_allocation_failures(void **state)
{
  (void)state;
  sweep_ids x;
  cbc_db *db = sweep_db(&x);
  long before = cbc_test_alloc_count();
  assert_cbc_ok(void_everything(db, &x));
  long total = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  long points = 0, stride = cbc_test_spread_stride(total, 400);
  print_message("%ld allocations; failing every %ld-th\n", total, stride);
  for (long n = 1;; n += stride) {
    db = sweep_db(&x);
    cbc_test_fail_after(n);
    int rc = void_everything(db, &x);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc)
      assert_non_null(strstr(cbc_error_last()->message, "memory"));
    assert_whole(db);
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

/* ------------------------------------------------------------ migration */

/* A database of schema 8 (no voids) gains them when this version opens
 * it: every record stands, and can be voided. */
static void test_migration_from_v8(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v8.db");
  cbc_test_unlink(path);
  now = cbc_test_date(2024, 4, 1);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  seed_records(db);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 "PRAGMA user_version=8", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  listed l = list(db, CBC_ACTIVITY_TRAINING, NULL, 0, 0, CBC_ACTIVITY_WITH_VOIDED);
  assert_int_equal(l.n, 6);
  assert_int_equal(l.voided, 0);
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_TRAINING, R.t_t1_jan, E(db, "P1"), "x"));
  assert_cbc_ok(cbc_activity_void(db, CBC_ACTIVITY_DRILL, R.d_w1_feb, E(db, "P1"), "x"));
  assert_false(took_part(db, "A1", jan(1), jan(11)));
  cbc_test_assert_stats_rebuild(db, 2024, 2024);
  cbc_db_close(db);
  cbc_test_assert_integrity(path);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_list_by_subtree_and_period, setup, teardown),
    cmocka_unit_test_setup_teardown(test_listing_rows, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_filters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_listing_follows_moves, setup, teardown),
    cmocka_unit_test_setup_teardown(test_query_plans_use_indexes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_void_marks_and_hides, setup, teardown),
    cmocka_unit_test_setup_teardown(test_void_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_void_errors_change_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_void_updates_statistics_and_participation, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_void_in_groups, setup, teardown),
    cmocka_unit_test(test_statistics_after_random_voids),
    cmocka_unit_test(test_allocation_failures),
    cmocka_unit_test(test_migration_from_v8),
  };
  return cmocka_run_group_tests_name("activity_list", tests, NULL, NULL);
}
