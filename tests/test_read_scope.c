/* Who may read what (docs/authorization.md, "Who may read"): every cell of
 * the rule (people of two enterprises, cadres and inspectors of the region
 * above, of another region and of a region below it, people who left, a
 * transferred reporter, an anonymous tip-off), the ledger with a viewer
 * against an oracle over randomised trees and hazards, older filter
 * versions, bad input, and allocation failures. */
#include "helpers.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000000;

/* The shared tree (helpers.h) with E2 under R1, and another region:
 *   R2 region "Zibo city"                     I2 bureau inspector
 *     R3 region "Zhangdian district"          C3 union cadre
 *       E3 enterprise "Ceramics"
 *         W3 workshop "Glazing" / T4 team     Y1 worker */
static void seed_other_region(cbc_db *db)
{
  static const cbc_unit_record units[] = {
    { 1, "R2", NULL, CBC_UNIT_REGION, "Zibo city", NULL, 0 },
    { 1, "R3", "R2", CBC_UNIT_REGION, "Zhangdian district", NULL, 0 },
    { 1, "E3", "R3", CBC_UNIT_ENTERPRISE, "Ceramics", "building materials", 0 },
    { 1, "W3", "E3", CBC_UNIT_WORKSHOP, "Glazing", NULL, 0 },
    { 1, "T4", "W3", CBC_UNIT_TEAM, "Glaze shift", NULL, 0 },
  };
  static const cbc_employee_record people[] = {
    { 1, "I2", "Ma Lin", "inspector", "R2", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
    { 1, "C3", "Gao Yu", "union cadre", "R3", CBC_ROLE_UNION_CADRE, 1, 0 },
    { 1, "Y1", "Luo Bin", "glazer", "T4", CBC_ROLE_WORKER, 1, 0 },
  };
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    assert_cbc_ok(cbc_unit_upsert(NULL, db, &units[i]));
  for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
    assert_cbc_ok(cbc_employee_upsert(NULL, db, &people[i]));
}

static void seed(cbc_db *db)
{
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  seed_other_region(db);
}

static int setup(void **state)
{
  now = 1700000000;
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

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static cbc_hazard_record record_at(int64_t reporter_id, int64_t unit_id)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter_id;
  r.unit_id = unit_id;
  r.title = "防护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = reporter_id ? CBC_SOURCE_SELF_CHECK : CBC_SOURCE_HOTLINE;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

/* Report as @p reporter (NULL: an anonymous tip-off, whose key goes to
 * @p key when asked for) on @p unit. */
static int64_t report(cbc_db *db, const char *reporter, const char *unit, char **key)
{
  cbc_hazard_record r = record_at(reporter ? E(db, reporter) : 0, U(db, unit));
  int64_t id;
  char *followup = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, reporter ? NULL : &followup, db, &r));
  if (key)
    *key = followup;
  else
    cbc_free(followup);
  now += 60;
  return id;
}

static int unit_readable(cbc_db *db, const char *unit, const char *who)
{
  int yes = -1;
  assert_cbc_ok(cbc_unit_readable(&yes, db, U(db, unit), E(db, who)));
  return yes;
}

static int hazard_readable(cbc_db *db, int64_t hazard, const char *who)
{
  int yes = -1;
  assert_cbc_ok(cbc_hazard_readable(&yes, db, hazard, E(db, who)));
  return yes;
}

static int64_t count_as(cbc_db *db, const char *viewer, int64_t unit_id, int64_t reporter_id)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = E(db, viewer);
  f.unit_id = unit_id;
  f.reporter_id = reporter_id;
  int64_t n = -1;
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  return n;
}

/* ------------------------------------------------------------- the scope */

static void test_scope_roots(void **state)
{
  cbc_db *db = *state;
  static const struct { const char *who, *root; } cells[] = {
    { "A1", "E1" }, { "L1", "E1" }, { "D1", "E1" }, { "S1", "E1" }, { "P1", "E1" },
    { "X1", "E2" }, { "XL", "E2" }, { "XS", "E2" }, { "XP", "E2" },
    { "I1", "R1" }, { "C1", "R1" }, { "I2", "R2" }, { "C3", "R3" }, { "Y1", "E3" },
  };
  for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
    int64_t root = -1;
    assert_cbc_ok(cbc_employee_read_scope(&root, db, E(db, cells[i].who)));
    assert_int_equal(root, U(db, cells[i].root));
  }
}

/* Each person against each unit: their enterprise's whole subtree, or
 * their region node's (region nodes below it included). */
static void test_units_every_cell(void **state)
{
  cbc_db *db = *state;
  static const char *const people[] = { "A1", "L1", "S1", "P1", "X1", "XL", "XS", "XP",
                                        "I1", "C1", "I2", "C3", "Y1" };
  static const char *const units[] = { "R1", "E1", "W1", "W2", "T1", "T2", "T3", "E2", "W9",
                                       "T9", "R2", "R3", "E3", "W3", "T4" };
  /* readable[person] as the units (in that order) they may read, as 0/1 */
  static const char *const readable[] = {
    "011111100000000", "011111100000000", "011111100000000", "011111100000000",
    "000000011100000", "000000011100000", "000000011100000", "000000011100000",
    "111111111100000", "111111111100000", "000000000011111", "000000000001111",
    "000000000000111",
  };
  size_t cells = 0;
  for (size_t p = 0; p < sizeof(people) / sizeof(people[0]); p++)
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++, cells++)
      if (unit_readable(db, units[u], people[p]) != readable[p][u] - '0')
        fail_msg("%s reading %s: expected %c", people[p], units[u], readable[p][u]);
  print_message("%zu unit cells\n", cells);
}

/* Hazards of E1, E2 and E3 (and an anonymous one in E1) against the same
 * people; everyone also reads what they reported. */
static void test_hazards_every_cell(void **state)
{
  cbc_db *db = *state;
  int64_t h[] = { report(db, "A1", "T1", NULL), report(db, "X1", "T9", NULL),
                  report(db, "Y1", "T4", NULL), report(db, NULL, "T2", NULL),
                  report(db, "S1", "E1", NULL), report(db, "XS", "W9", NULL) };
  static const char *const people[] = { "A1", "L1", "S1", "P1", "X1", "XL", "XS", "XP",
                                        "I1", "C1", "I2", "C3", "Y1" };
  static const char *const readable[] = {
    "100110", "100110", "100110", "100110", "010001", "010001", "010001", "010001",
    "110111", "110111", "001000", "001000", "001000",
  };
  for (size_t p = 0; p < sizeof(people) / sizeof(people[0]); p++)
    for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
      if (hazard_readable(db, h[i], people[p]) != readable[p][i] - '0')
        fail_msg("%s reading hazard %zu: expected %c", people[p], i, readable[p][i]);
  /* the ledger agrees: each enterprise's people see its hazards only */
  assert_int_equal(count_as(db, "A1", 0, 0), 3);
  assert_int_equal(count_as(db, "XP", 0, 0), 2);
  assert_int_equal(count_as(db, "I1", 0, 0), 5);
  assert_int_equal(count_as(db, "C3", 0, 0), 1);
  assert_int_equal(count_as(db, "I2", U(db, "E3"), 0), 1);
  assert_int_equal(count_as(db, "I1", U(db, "E2"), 0), 2);
}

/* The worker of E1 is refused E2's ledger, the region's and another
 * region's; the cadre of R3 is refused R2 above him. */
static void test_ledger_refuses_outside(void **state)
{
  cbc_db *db = *state;
  report(db, "X1", "T9", NULL);
  static const struct { const char *who, *unit; } outside[] = {
    { "A1", "E2" }, { "A1", "T9" }, { "A1", "R1" }, { "P1", "E2" }, { "XS", "T1" },
    { "I1", "E3" }, { "I1", "R2" }, { "C3", "R2" }, { "I2", "R1" }, { "Y1", "R3" },
  };
  for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.viewer_id = E(db, outside[i].who);
    f.unit_id = U(db, outside[i].unit);
    int64_t n = -1;
    cbc_hazard_iter *it = (cbc_hazard_iter *)&n;
    assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM, "is outside what employee");
    assert_int_equal(n, 0);
    assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EPERM, "may read");
    assert_null(it);
  }
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = E(db, "A1");
  f.unit_id = U(db, "T9");
  int64_t n;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM,
                   "not allowed: unit T9 (Kiln shift) is outside what employee A1 (Wang Fang)"
                   " may read");
}

/* ------------------------------------------------------------- left, moved */

static void test_inactive_reads_nothing(void **state)
{
  cbc_db *db = *state;
  int64_t own = report(db, "A1", "T1", NULL);
  report(db, "B1", "T2", NULL);
  int64_t a1 = E(db, "A1");
  assert_cbc_ok(cbc_employee_deactivate(db, a1, now));
  int64_t root = -1;
  assert_cbc_error(cbc_employee_read_scope(&root, db, a1), CBC_EPERM,
                   "employee A1 (Wang Fang) has left; an inactive employee reads nothing");
  assert_int_equal(root, 0);
  assert_int_equal(unit_readable(db, "T1", "A1"), 0);
  assert_int_equal(unit_readable(db, "E1", "A1"), 0);
  assert_int_equal(hazard_readable(db, own, "A1"), 0);
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = a1;
  int64_t n = -1;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM, "inactive");
  f.reporter_id = a1; /* not even their own reports */
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM, "inactive");
  /* an unknown unit is still an error, not a silent 0 */
  int yes = -1;
  assert_cbc_error(cbc_unit_readable(&yes, db, 999999, a1), CBC_ENOTFOUND, NULL);
  assert_int_equal(yes, 0);
  /* back at work, they read again */
  cbc_employee_record back = { 1, "A1", "Wang Fang", "roller", "T1", CBC_ROLE_WORKER, 1, 0 };
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &back));
  assert_int_equal(hazard_readable(db, own, "A1"), 1);
  assert_int_equal(count_as(db, "A1", 0, 0), 2);
}

/* A1 reports in E1, then moves to E2: he reads E2 and his own old report,
 * not the rest of E1; "my reports" lists it wherever it is. */
static void test_transferred_reporter(void **state)
{
  cbc_db *db = *state;
  int64_t own = report(db, "A1", "T1", NULL);
  int64_t other = report(db, "B1", "T1", NULL);
  int64_t there = report(db, "X1", "T9", NULL);
  int64_t a1 = E(db, "A1");
  assert_cbc_ok(cbc_employee_transfer(db, a1, U(db, "T9"), now));
  int64_t later = report(db, "A1", "T9", NULL);
  int64_t root;
  assert_cbc_ok(cbc_employee_read_scope(&root, db, a1));
  assert_int_equal(root, U(db, "E2"));
  assert_int_equal(hazard_readable(db, own, "A1"), 1);
  assert_int_equal(hazard_readable(db, other, "A1"), 0);
  assert_int_equal(hazard_readable(db, there, "A1"), 1);
  assert_int_equal(hazard_readable(db, later, "A1"), 1);
  /* his old team leader still reads it; his new colleagues do not */
  assert_int_equal(hazard_readable(db, own, "L1"), 1);
  assert_int_equal(hazard_readable(db, own, "X1"), 0);
  /* the ledger: his scope is E2; his reports, wherever they are */
  assert_int_equal(count_as(db, "A1", 0, 0), 2);
  assert_int_equal(count_as(db, "A1", 0, a1), 2);
  assert_int_equal(count_as(db, "A1", U(db, "T1"), a1), 1); /* his report in T1, by unit */
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = a1;
  f.reporter_id = a1;
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  assert_cbc_ok(cbc_hazard_iter_next(&h, it));
  assert_int_equal(h->id, own);
  assert_cbc_ok(cbc_hazard_iter_next(&h, it));
  assert_int_equal(h->id, later);
  assert_int_equal(cbc_hazard_iter_next(&h, it), CBC_ITEROVER);
  cbc_hazard_iter_free(it);
  f.reporter_id = 0;
  f.unit_id = U(db, "T1");
  int64_t n;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM, "outside");
  /* someone else's reports through his viewer: only within his scope */
  assert_int_equal(count_as(db, "A1", 0, E(db, "B1")), 0);
  assert_int_equal(count_as(db, "A1", 0, E(db, "X1")), 1);
}

/* An anonymous tip-off has no employee: its reporter reads by key only; the
 * enterprise's people and the region above read it as any other. */
static void test_anonymous(void **state)
{
  cbc_db *db = *state;
  char *key = NULL;
  int64_t h = report(db, NULL, "T2", &key);
  assert_non_null(key);
  cbc_hazard_answer *a = NULL;
  assert_cbc_ok(cbc_hazard_answer_by_key(&a, db, key));
  assert_int_equal(a->hazard_id, h);
  cbc_hazard_answer_free(a);
  cbc_free(key);
  assert_int_equal(hazard_readable(db, h, "A1"), 1);
  assert_int_equal(hazard_readable(db, h, "C1"), 1);
  assert_int_equal(hazard_readable(db, h, "X1"), 0);
  assert_int_equal(hazard_readable(db, h, "I2"), 0);
  /* reporter 0 in a filter means "any", never "the anonymous ones" */
  assert_int_equal(count_as(db, "X1", 0, 0), 0);
}

/* Paging with a viewer: the pages of the scope, in order, none twice. */
static void test_paging_with_viewer(void **state)
{
  cbc_db *db = *state;
  int64_t mine[12];
  size_t n_mine = 0;
  for (int i = 0; i < 24; i++) {
    int64_t id = report(db, i % 2 ? "X1" : "B1", i % 2 ? "T9" : "T2", NULL);
    if (!(i % 2))
      mine[n_mine++] = id;
  }
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = E(db, "S1");
  f.limit = 5;
  char *cursor = NULL;
  size_t seen = 0;
  for (;;) {
    cbc_hazard_iter *it;
    const cbc_hazard *h;
    f.after = cursor;
    assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
    size_t page = 0;
    int rc;
    while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
      assert_true(seen < n_mine);
      assert_int_equal(h->id, mine[seen++]);
      page++;
    }
    assert_int_equal(rc, CBC_ITEROVER);
    cbc_free(cursor);
    cursor = NULL;
    if (page)
      assert_cbc_ok(cbc_hazard_iter_cursor(&cursor, it));
    cbc_hazard_iter_free(it);
    if (page < f.limit)
      break;
  }
  cbc_free(cursor);
  assert_int_equal(seen, n_mine);
}

/* ---------------------------------------------------------- old versions */

/* The filter as a 1.0 / 1.1 caller (version 1) and an earlier 1.2 caller
 * (version 2, up to limit) compiled it, followed by bytes that must not be
 * read as a viewer. */
typedef struct filter_v1 {
  unsigned int version;
  unsigned int states;
  cbc_severity severity;
  cbc_level level;
  int64_t unit_id, reporter_id, responsible_id, overdue_at, reported_from, reported_to,
    closed_from, closed_to;
} filter_v1;

typedef struct filter_v2 {
  filter_v1 v1;
  int listed;
  const char *text;
  cbc_hazard_sort sort;
  int descending;
  const char *after;
  size_t limit;
} filter_v2;

static void test_older_filter_versions(void **state)
{
  cbc_db *db = *state;
  report(db, "A1", "T1", NULL);
  report(db, "X1", "T9", NULL);
  report(db, "Y1", "T4", NULL);
  struct {
    filter_v2 f;
    unsigned char junk[64];
  } old;
  memset(&old, 0x11, sizeof(old)); /* a "viewer" of 0x1111... were it read */
  memset(&old.f, 0, sizeof(old.f));
  int64_t n = -1;
  for (unsigned int version = 1; version <= 2; version++) {
    old.f.v1.version = version;
    const cbc_hazard_filter *as_new = (const cbc_hazard_filter *)(const void *)&old.f;
    assert_cbc_ok(cbc_hazard_count(&n, db, as_new));
    assert_int_equal(n, 3); /* the trusted host's view: everything */
    cbc_hazard_iter *it;
    assert_cbc_ok(cbc_hazard_iter_new(&it, db, as_new));
    cbc_hazard_iter_free(it);
  }
  assert_int_equal(offsetof(cbc_hazard_filter, viewer_id), sizeof(filter_v2));
  /* the init function writes a version-2 struct's own bytes only */
  memset(&old, 0x5A, sizeof(old));
  assert_cbc_ok(cbc_hazard_filter_init((cbc_hazard_filter *)(void *)&old.f, 2));
  assert_int_equal(old.f.v1.version, 2);
  assert_int_equal(old.f.limit, 0);
  for (size_t i = 0; i < sizeof(old.junk); i++)
    assert_int_equal(old.junk[i], 0x5A);
  cbc_hazard_filter full;
  memset(&full, 0x5A, sizeof(full));
  assert_cbc_ok(cbc_hazard_filter_init(&full, CBC_HAZARD_FILTER_VERSION));
  assert_int_equal(full.version, 3);
  assert_int_equal(full.viewer_id, 0);
}

/* ------------------------------------------------------------- bad input */

static void test_bad_input_changes_nothing(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "A1", "T1", NULL);
  int64_t a1 = E(db, "A1"), t1 = U(db, "T1");
  size_t org = cbc_test_org_size(db);
  int64_t root = -1;
  int yes = -1;
  assert_cbc_error(cbc_employee_read_scope(NULL, db, a1), CBC_EINVAL, "out_unit_id");
  assert_cbc_error(cbc_employee_read_scope(&root, NULL, a1), CBC_EINVAL, NULL);
  assert_int_equal(root, 0);
  root = -1;
  assert_cbc_error(cbc_employee_read_scope(&root, db, 0), CBC_EINVAL, "employee_id: 0");
  assert_cbc_error(cbc_employee_read_scope(&root, db, -3), CBC_EINVAL, "is not an id");
  assert_cbc_error(cbc_employee_read_scope(&root, db, 999999), CBC_ENOTFOUND, NULL);
  assert_int_equal(root, 0);
  assert_cbc_error(cbc_unit_readable(NULL, db, t1, a1), CBC_EINVAL, "out");
  assert_cbc_error(cbc_unit_readable(&yes, NULL, t1, a1), CBC_EINVAL, NULL);
  assert_int_equal(yes, 0);
  yes = -1;
  assert_cbc_error(cbc_unit_readable(&yes, db, 0, a1), CBC_EINVAL, "unit_id");
  assert_cbc_error(cbc_unit_readable(&yes, db, t1, -1), CBC_EINVAL, "employee_id");
  assert_cbc_error(cbc_unit_readable(&yes, db, 999999, a1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_unit_readable(&yes, db, t1, 999999), CBC_ENOTFOUND, NULL);
  assert_int_equal(yes, 0);
  yes = -1;
  assert_cbc_error(cbc_hazard_readable(NULL, db, h, a1), CBC_EINVAL, "out");
  assert_cbc_error(cbc_hazard_readable(&yes, NULL, h, a1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_readable(&yes, db, 0, a1), CBC_EINVAL, "hazard_id");
  assert_cbc_error(cbc_hazard_readable(&yes, db, h, 0), CBC_EINVAL, "employee_id");
  assert_cbc_error(cbc_hazard_readable(&yes, db, 999999, a1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_hazard_readable(&yes, db, h, 999999), CBC_ENOTFOUND, NULL);
  assert_int_equal(yes, 0);
  /* a filter's viewer: negative, unknown; the caller's struct is left as
   * it was (the narrowing works on a copy) */
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT, kept;
  int64_t n = -1;
  f.viewer_id = -1;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "viewer_id");
  f.viewer_id = 999999;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_ENOTFOUND, "filter: viewer_id 999999");
  f.viewer_id = a1;
  kept = f;
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  assert_int_equal(n, 1);
  assert_memory_equal(&f, &kept, sizeof(f));
  f.unit_id = 999999;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_ENOTFOUND, NULL);
  /* nothing changed */
  assert_int_equal(cbc_test_org_size(db), org);
  cbc_hazard_filter all = CBC_HAZARD_FILTER_INIT;
  assert_cbc_ok(cbc_hazard_count(&n, db, &all));
  assert_int_equal(n, 1);
  assert_int_equal(hazard_readable(db, h, "A1"), 1);
}

/* ------------------------------------------------------ randomised trees */

#define MAX_UNITS 96
#define MAX_PEOPLE 160
#define MAX_HAZARDS 400

typedef struct tree {
  int n_units, n_people, n_hazards;
  int64_t unit[MAX_UNITS];
  int parent[MAX_UNITS]; /* index, -1 at a root */
  cbc_unit_kind kind[MAX_UNITS];
  int64_t person[MAX_PEOPLE];
  int seat[MAX_PEOPLE]; /* their unit's index */
  int active[MAX_PEOPLE];
  int64_t hazard[MAX_HAZARDS];
  int hazard_unit[MAX_HAZARDS];
  int reporter[MAX_HAZARDS]; /* person index, -1 anonymous */
  int64_t reported_at[MAX_HAZARDS];
  uint64_t rng;
} tree;

static unsigned int rnd(tree *t, unsigned int n)
{
  t->rng ^= t->rng << 13;
  t->rng ^= t->rng >> 7;
  t->rng ^= t->rng << 17;
  return (unsigned int)(t->rng % n);
}

static int add_unit(cbc_db *db, tree *t, int parent, cbc_unit_kind kind)
{
  char ext[16], parent_ext[16];
  int i = t->n_units++;
  assert_true(i < MAX_UNITS);
  snprintf(ext, sizeof(ext), "U%d", i);
  snprintf(parent_ext, sizeof(parent_ext), "U%d", parent);
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = ext;
  r.parent_external_id = parent >= 0 ? parent_ext : NULL;
  r.kind = kind;
  r.name = ext;
  assert_cbc_ok(cbc_unit_upsert(&t->unit[i], db, &r));
  t->parent[i] = parent;
  t->kind[i] = kind;
  return i;
}

static void add_person(cbc_db *db, tree *t, int seat, unsigned int roles)
{
  char ext[16], seat_ext[16];
  int i = t->n_people++;
  assert_true(i < MAX_PEOPLE);
  snprintf(ext, sizeof(ext), "P%d", i);
  snprintf(seat_ext, sizeof(seat_ext), "U%d", seat);
  cbc_employee_record r = CBC_EMPLOYEE_RECORD_INIT;
  r.external_id = ext;
  r.name = ext;
  r.unit_external_id = seat_ext;
  r.roles = roles;
  assert_cbc_ok(cbc_employee_upsert(&t->person[i], db, &r));
  t->seat[i] = seat;
  t->active[i] = 1;
}

/* Teams under an enterprise, some through workshops, each with people of
 * every enterprise role. */
static void grow_enterprise(cbc_db *db, tree *t, int region)
{
  static const unsigned int roles[] = { CBC_ROLE_WORKER, CBC_ROLE_TEAM_LEADER,
                                        CBC_ROLE_WORKSHOP_DIRECTOR, CBC_ROLE_SAFETY_OFFICER,
                                        CBC_ROLE_PRINCIPAL };
  int e = add_unit(db, t, region, CBC_UNIT_ENTERPRISE);
  int workshops = 1 + (int)rnd(t, 2);
  for (int w = 0; w <= workshops; w++) {
    int above = w == workshops ? e : add_unit(db, t, e, CBC_UNIT_WORKSHOP);
    if (w == workshops && rnd(t, 2))
      break; /* a team right under the enterprise, sometimes */
    int team = add_unit(db, t, above, CBC_UNIT_TEAM);
    for (int p = 0, n = 1 + (int)rnd(t, 3); p < n; p++)
      add_person(db, t, team, roles[rnd(t, 5)]);
  }
}

/* Root regions with region nodes below, enterprises under them, and
 * cadres, inspectors and experts in the region nodes. */
static void grow_tree(cbc_db *db, tree *t)
{
  static const unsigned int external[] = { CBC_ROLE_UNION_CADRE, CBC_ROLE_BUREAU_INSPECTOR,
                                           CBC_ROLE_EXPERT };
  int regions[8], n_regions = 0;
  for (int r = 0; r < 2; r++) {
    regions[n_regions++] = add_unit(db, t, -1, CBC_UNIT_REGION);
    for (int c = 0, n = 1 + (int)rnd(t, 2); c < n; c++) { /* each below the last */
      int below = add_unit(db, t, regions[n_regions - 1], CBC_UNIT_REGION);
      regions[n_regions++] = below;
    }
  }
  for (int e = 0; e < 7; e++)
    grow_enterprise(db, t, regions[rnd(t, (unsigned int)n_regions)]);
  for (int r = 0; r < n_regions; r++)
    add_person(db, t, regions[r], external[rnd(t, 3)]);
}

/* A unit inside an enterprise (its enterprise, a workshop or a team). */
static int enterprise_unit(tree *t)
{
  for (;;) {
    int u = (int)rnd(t, (unsigned int)t->n_units);
    if (t->kind[u] != CBC_UNIT_REGION)
      return u;
  }
}

static void report_randomly(cbc_db *db, tree *t, int n)
{
  for (int i = 0; i < n; i++) {
    int who = rnd(t, 10) ? (int)rnd(t, (unsigned int)t->n_people) : -1;
    if (who >= 0 && !t->active[who])
      continue;
    int u = enterprise_unit(t);
    cbc_hazard_record r = record_at(who >= 0 ? t->person[who] : 0, t->unit[u]);
    char *key = NULL;
    int h = t->n_hazards++;
    assert_true(h < MAX_HAZARDS);
    assert_cbc_ok(cbc_hazard_report(&t->hazard[h], who >= 0 ? NULL : &key, db, &r));
    cbc_free(key);
    t->hazard_unit[h] = u;
    t->reporter[h] = who;
    t->reported_at[h] = now;
    now += 60;
  }
}

/* Transfers (teams to teams, region people between region nodes) and
 * leavers. */
static void move_people(cbc_db *db, tree *t)
{
  for (int i = 0; i < t->n_people / 4; i++) {
    int p = (int)rnd(t, (unsigned int)t->n_people), to;
    do
      to = (int)rnd(t, (unsigned int)t->n_units);
    while ((t->kind[to] == CBC_UNIT_REGION) != (t->kind[t->seat[p]] == CBC_UNIT_REGION) ||
           (t->kind[to] != CBC_UNIT_REGION && t->kind[to] != CBC_UNIT_TEAM));
    if (!t->active[p] || to == t->seat[p])
      continue;
    assert_cbc_ok(cbc_employee_transfer(db, t->person[p], t->unit[to], now));
    t->seat[p] = to;
  }
  for (int i = 0; i < t->n_people / 10; i++) {
    int p = (int)rnd(t, (unsigned int)t->n_people);
    if (t->active[p])
      assert_cbc_ok(cbc_employee_deactivate(db, t->person[p], now));
    t->active[p] = 0;
  }
  now += 60;
}

/* The oracle, from the tree the test built. */
static bool under(const tree *t, int u, int top)
{
  for (; u >= 0; u = t->parent[u])
    if (u == top)
      return true;
  return false;
}

static int scope_root(const tree *t, int p)
{
  for (int u = t->seat[p]; u >= 0; u = t->parent[u])
    if (t->kind[u] == CBC_UNIT_ENTERPRISE)
      return u;
  return t->seat[p];
}

/* One ledger query with a viewer against the oracle: its count, and its
 * rows read a page of 7 at a time. */
typedef struct ledger_case {
  int viewer, unit, reporter; /* indexes; -1: none */
  int64_t reported_from;
} ledger_case;

static bool expected_row(const tree *t, const ledger_case *c, int h)
{
  if (t->reported_at[h] < c->reported_from)
    return false;
  if (c->reporter >= 0 && t->reporter[h] != c->reporter)
    return false;
  if (c->unit >= 0 && !under(t, t->hazard_unit[h], c->unit))
    return false;
  return c->reporter == c->viewer || under(t, t->hazard_unit[h], scope_root(t, c->viewer));
}

static long check_ledger(cbc_db *db, const tree *t, const ledger_case *c)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = t->person[c->viewer];
  f.unit_id = c->unit >= 0 ? t->unit[c->unit] : 0;
  f.reporter_id = c->reporter >= 0 ? t->person[c->reporter] : 0;
  f.reported_from = c->reported_from;
  int64_t n = -1;
  bool refused = !t->active[c->viewer] ||
                 (c->reporter != c->viewer && c->unit >= 0 &&
                  !under(t, c->unit, scope_root(t, c->viewer)));
  if (refused) {
    assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EPERM, "not allowed");
    return 0;
  }
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  int64_t expected[MAX_HAZARDS], listed[MAX_HAZARDS];
  size_t n_expected = 0, n_listed = 0;
  for (int h = 0; h < t->n_hazards; h++)
    if (expected_row(t, c, h))
      expected[n_expected++] = t->hazard[h];
  assert_int_equal(n, (int64_t)n_expected);
  char *cursor = NULL;
  f.limit = 7;
  for (size_t page = f.limit; page == f.limit;) {
    cbc_hazard_iter *it;
    const cbc_hazard *row;
    int rc;
    f.after = cursor;
    assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
    for (page = 0; (rc = cbc_hazard_iter_next(&row, it)) == 0; page++) {
      assert_true(n_listed < MAX_HAZARDS);
      listed[n_listed++] = row->id;
    }
    assert_int_equal(rc, CBC_ITEROVER);
    cbc_free(cursor);
    cursor = NULL;
    if (page)
      assert_cbc_ok(cbc_hazard_iter_cursor(&cursor, it));
    cbc_hazard_iter_free(it);
  }
  cbc_free(cursor);
  assert_int_equal(n_listed, n_expected);
  if (n_listed)
    assert_memory_equal(listed, expected, n_listed * sizeof(listed[0]));
  return 1;
}

/* cbc_hazard_readable() over every hazard, for one viewer, is exactly the
 * union of their scope's ledger and "my reports". */
static void check_union(cbc_db *db, const tree *t, int p, long *readable_calls)
{
  int64_t scope = 0, mine = 0, both = 0, readable = 0;
  for (int h = 0; h < t->n_hazards; h++) {
    int yes = -1;
    assert_cbc_ok(cbc_hazard_readable(&yes, db, t->hazard[h], t->person[p]));
    (*readable_calls)++;
    bool own = t->reporter[h] == p, inside = under(t, t->hazard_unit[h], scope_root(t, p));
    assert_int_equal(yes, t->active[p] && (own || inside));
    readable += yes;
    both += own && inside;
  }
  if (!t->active[p])
    return;
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = t->person[p];
  assert_cbc_ok(cbc_hazard_count(&scope, db, &f));
  f.reporter_id = t->person[p];
  assert_cbc_ok(cbc_hazard_count(&mine, db, &f));
  assert_int_equal(readable, scope + mine - both);
}

static void check_tree(cbc_db *db, tree *t, long *figures)
{
  for (int p = 0; p < t->n_people; p++) {
    int64_t root = -1;
    int rc = cbc_employee_read_scope(&root, db, t->person[p]);
    assert_int_equal(rc, t->active[p] ? 0 : CBC_EPERM);
    assert_int_equal(root, t->active[p] ? t->unit[scope_root(t, p)] : 0);
    for (int u = 0; u < t->n_units; u++, figures[0]++) {
      int yes = -1;
      assert_cbc_ok(cbc_unit_readable(&yes, db, t->unit[u], t->person[p]));
      assert_int_equal(yes, t->active[p] && under(t, u, scope_root(t, p)));
    }
    check_union(db, t, p, &figures[1]);
    int units[] = { -1, (int)rnd(t, (unsigned int)t->n_units), t->seat[p],
                    t->parent[t->seat[p]] };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
      int64_t from = rnd(t, 3) ? 0 : t->reported_at[rnd(t, (unsigned int)t->n_hazards)];
      int someone = (int)rnd(t, (unsigned int)t->n_people);
      ledger_case cases[] = { { p, units[i], -1, from }, { p, units[i], p, from },
                              { p, units[i], someone, 0 } };
      for (size_t c = 0; c < 3; c++, figures[2]++)
        figures[3] += check_ledger(db, t, &cases[c]);
    }
  }
}

static void test_random_trees(void **state)
{
  (void)state;
  long figures[4] = { 0, 0, 0, 0 }; /* unit cells, hazard cells, ledger queries, answered */
  int hazards = 0, people = 0;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    now = 1700000000;
    cbc_db *db = cbc_test_db(&now);
    tree *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->rng = 0x9E3779B97F4A7C15ull * seed;
    grow_tree(db, t);
    report_randomly(db, t, 120);
    move_people(db, t);
    report_randomly(db, t, 60);
    check_tree(db, t, figures);
    hazards += t->n_hazards;
    people += t->n_people;
    free(t);
    cbc_db_close(db);
  }
  print_message("3 trees, %d people, %d hazards: %ld unit cells, %ld hazard cells, "
                "%ld ledger queries (%ld answered, the rest refused)\n",
                people, hazards, figures[0], figures[1], figures[2], figures[3]);
}

/* ------------------------------------------------------- allocation failures */

/* Every read call on a fresh handle (cold caches, no statement prepared)
 * with its n-th allocation failing: an error with a message and zeroed
 * outputs, or the right answer.  Returns the allocations the calls made. */
static long reads_at(const char *path, long n, int *failed)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db_file(path, &now);
  int64_t a1 = E(db, "A1"), i2 = E(db, "I2"), t9 = U(db, "T9"), e3 = U(db, "E3");
  int64_t e1 = U(db, "E1");
  long before = cbc_test_alloc_count();
  cbc_test_fail_after(n);
  int64_t root = -1, count = -1;
  int unit_yes = -1, own_yes = -1, region_yes = -1, rcs[7];
  rcs[0] = cbc_employee_read_scope(&root, db, a1);
  rcs[1] = cbc_unit_readable(&unit_yes, db, t9, a1);
  rcs[2] = cbc_hazard_readable(&own_yes, db, 1, a1);
  rcs[3] = cbc_unit_readable(&region_yes, db, e3, i2);
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.viewer_id = i2;
  rcs[4] = cbc_hazard_count(&count, db, &f);
  cbc_hazard_iter *it = NULL;
  f.viewer_id = a1;
  f.limit = 2;
  rcs[5] = cbc_hazard_iter_new(&it, db, &f);
  f.unit_id = t9;
  int64_t refused = -1;
  rcs[6] = cbc_hazard_count(&refused, db, &f);
  long allocations = cbc_test_alloc_count() - before;
  *failed = cbc_test_alloc_failed();
  cbc_test_fail_after(0);
  const cbc_hazard *h;
  size_t rows = 0;
  while (it && cbc_hazard_iter_next(&h, it) == 0)
    rows++;
  cbc_hazard_iter_free(it);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  for (int i = 0; i < 6; i++)
    if (rcs[i])
      assert_int_equal(rcs[i], CBC_ENOMEM);
  assert_int_equal(root, rcs[0] ? 0 : e1); /* the outputs are zero on error */
  assert_int_equal(unit_yes, 0);
  assert_int_equal(own_yes, rcs[2] ? 0 : 1);
  assert_int_equal(region_yes, rcs[3] ? 0 : 1);
  assert_int_equal(count, rcs[4] ? 0 : 1);
  assert_int_equal(rows, rcs[5] ? 0 : 2);
  assert_true(rcs[6] == CBC_EPERM || rcs[6] == CBC_ENOMEM);
  assert_int_equal(refused, 0);
  if (!*failed)
    assert_int_equal(rcs[6], CBC_EPERM);
  return allocations;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  const char *path = cbc_test_path("read_scope.db");
  cbc_test_unlink(path);
  now = 1700000000;
  cbc_db *db = cbc_test_db_file(path, &now);
  seed(db);
  report(db, "A1", "T1", NULL); /* hazard 1 */
  report(db, "B1", "T2", NULL);
  report(db, "Y1", "T4", NULL);
  report(db, "XS", "W9", NULL);
  cbc_db_close(db);
  int failed;
  long total = reads_at(path, 0, &failed), points = 0;
  long stride = cbc_test_sweep_stride(total);
  for (long n = 1;; n += stride) {
    reads_at(path, n, &failed);
    if (!failed)
      break;
    points++;
  }
  print_message("%ld allocations; %ld failure points (every %ld-th)\n", total, points, stride);
  assert_true(points * stride > 20);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_scope_roots, setup, teardown),
    cmocka_unit_test_setup_teardown(test_units_every_cell, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hazards_every_cell, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ledger_refuses_outside, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inactive_reads_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_transferred_reporter, setup, teardown),
    cmocka_unit_test_setup_teardown(test_anonymous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_paging_with_viewer, setup, teardown),
    cmocka_unit_test_setup_teardown(test_older_filter_versions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
    cmocka_unit_test(test_random_trees),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests_name("read_scope", tests, NULL, NULL);
}
