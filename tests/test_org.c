/* The organisation: units, employees, rules, iterators, responsibility,
 * history (docs/domain.md §1). */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static int setup(void **state)
{
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

static void test_lookup_unit(void **state)
{
  cbc_db *db = *state;
  cbc_unit *u = NULL;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "E1"));
  assert_string_equal(u->name, "Steelworks");
  assert_int_equal(u->kind, CBC_UNIT_ENTERPRISE);
  assert_string_equal(u->industry, "metallurgy");
  assert_int_equal(u->high_risk, 1);
  assert_int_equal(u->parent_id, cbc_test_unit_id(db, "R1"));
  assert_int_equal(u->created_at, now);
  assert_false(u->closed);
  int64_t id = u->id;
  cbc_unit_free(u);
  assert_cbc_ok(cbc_unit_lookup(&u, db, id));
  assert_string_equal(u->external_id, "E1");
  cbc_unit_free(u);
  assert_cbc_error(cbc_unit_lookup(&u, db, 999), CBC_ENOTFOUND, "999");
  assert_null(u);
  assert_cbc_error(cbc_unit_lookup_external(&u, db, "nope"), CBC_ENOTFOUND, "nope");
}

static void test_lookup_employee(void **state)
{
  cbc_db *db = *state;
  cbc_employee *e = NULL;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "A2"));
  assert_string_equal(e->name, "Zhang Wei");
  assert_string_equal(e->post, "crane operator");
  assert_int_equal(e->roles, CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP);
  assert_int_equal(e->unit_id, cbc_test_unit_id(db, "T1"));
  assert_true(e->active);
  int64_t id = e->id;
  cbc_employee_free(e);
  assert_cbc_ok(cbc_employee_lookup(&e, db, id));
  assert_string_equal(e->external_id, "A2");
  cbc_employee_free(e);
  assert_cbc_error(cbc_employee_lookup(&e, db, 12345), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_employee_lookup_external(&e, db, "zz"), CBC_ENOTFOUND, "zz");
}

static size_t collect_units(cbc_unit_iter *it, char names[][8], size_t max)
{
  const cbc_unit *u;
  size_t n = 0;
  int rc;
  while ((rc = cbc_unit_iter_next(&u, it)) == 0)
    if (n < max)
      strcpy(names[n++], u->external_id);
  assert_int_equal(rc, CBC_ITEROVER);
  cbc_unit_iter_free(it);
  return n;
}

static void test_children_and_subtree(void **state)
{
  cbc_db *db = *state;
  cbc_unit_iter *it;
  char names[16][8];
  assert_cbc_ok(cbc_unit_iter_children(&it, db, 0));
  assert_int_equal(collect_units(it, names, 16), 1);
  assert_string_equal(names[0], "R1");
  assert_cbc_ok(cbc_unit_iter_children(&it, db, cbc_test_unit_id(db, "W1")));
  assert_int_equal(collect_units(it, names, 16), 2);
  assert_string_equal(names[0], "T1");
  assert_string_equal(names[1], "T2");
  assert_cbc_ok(cbc_unit_iter_subtree(&it, db, cbc_test_unit_id(db, "E1")));
  assert_int_equal(collect_units(it, names, 16), 6);
  const char *want[] = { "E1", "W1", "T1", "T2", "W2", "T3" };
  for (int i = 0; i < 6; i++)
    assert_string_equal(names[i], want[i]);
  assert_cbc_error(cbc_unit_iter_subtree(&it, db, 4242), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_unit_iter_children(&it, db, 4242), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_unit_iter_subtree(NULL, db, 1), CBC_EINVAL, NULL);
}

static size_t count_employees(cbc_db *db, const char *unit, unsigned int flags)
{
  cbc_employee_iter *it;
  const cbc_employee *e;
  size_t n = 0;
  int rc;
  assert_cbc_ok(cbc_employee_iter_subtree(&it, db, cbc_test_unit_id(db, unit), flags));
  while ((rc = cbc_employee_iter_next(&e, it)) == 0)
    n++;
  assert_int_equal(rc, CBC_ITEROVER);
  cbc_employee_iter_free(it);
  return n;
}

static void test_employees_of_subtree(void **state)
{
  cbc_db *db = *state;
  assert_int_equal(count_employees(db, "R1", 0), 10);
  assert_int_equal(count_employees(db, "E1", 0), 8);
  assert_int_equal(count_employees(db, "W1", 0), 5);
  assert_int_equal(count_employees(db, "T2", 0), 2);
  assert_cbc_ok(cbc_employee_deactivate(db, cbc_test_employee_id(db, "B1"), 0));
  assert_int_equal(count_employees(db, "T2", 0), 1);
  assert_int_equal(count_employees(db, "T2", CBC_EMPLOYEE_ITER_INACTIVE), 2);
  cbc_employee_iter *it;
  assert_cbc_error(cbc_employee_iter_subtree(&it, db, 1, 0x80), CBC_EINVAL, "flags");
}

/* The ids of @p unit's subtree employees in order, @p page at a time
 * through the keyset cursor; returns how many. */
static size_t paged_employees(cbc_db *db, const char *unit, unsigned int flags, size_t page,
                              int64_t *ids, size_t max)
{
  int64_t after_unit = 0, after_id = 0;
  size_t n = 0;
  for (;;) {
    cbc_employee_iter *it;
    const cbc_employee *e;
    size_t got = 0;
    int rc;
    assert_cbc_ok(cbc_employee_iter_subtree_after(&it, db, cbc_test_unit_id(db, unit), flags,
                                                  after_unit, after_id));
    while (got < page && (rc = cbc_employee_iter_next(&e, it)) == 0) {
      assert_true(n < max);
      ids[n++] = e->id;
      after_unit = e->unit_id;
      after_id = e->id;
      got++;
    }
    cbc_employee_iter_free(it);
    if (got < page)
      return n;
  }
}

static void test_employees_paged(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_employee_deactivate(db, cbc_test_employee_id(db, "B1"), 0));
  const char *units[] = { "R1", "E1", "W1", "T2", "T3" };
  for (size_t u = 0; u < 5; u++)
    for (unsigned int flags = 0; flags <= CBC_EMPLOYEE_ITER_INACTIVE; flags++) {
      int64_t whole[32], paged[32];
      size_t n = paged_employees(db, units[u], flags, 1000, whole, 32);
      assert_int_equal(n, count_employees(db, units[u], flags));
      for (size_t page = 1; page <= 4; page++) {
        assert_int_equal(paged_employees(db, units[u], flags, page, paged, 32), n);
        assert_memory_equal(paged, whole, n * sizeof(int64_t));
      }
    }
}

static void test_employees_paged_bad_cursor(void **state)
{
  cbc_db *db = *state;
  cbc_employee_iter *it = NULL;
  int64_t e1 = cbc_test_unit_id(db, "E1"), t1 = cbc_test_unit_id(db, "T1");
  int64_t a1 = cbc_test_employee_id(db, "A1");
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, e1, 0, t1, 0), CBC_EINVAL, "neither");
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, e1, 0, 0, a1), CBC_EINVAL, "neither");
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, e1, 0, -1, a1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, e1, 0x80, t1, a1), CBC_EINVAL,
                   "flags");
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, e1, 0, 4242, a1), CBC_ENOTFOUND,
                   NULL);
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, t1, 0, cbc_test_unit_id(db, "W1"),
                                                   a1),
                   CBC_EINVAL, "not in the subtree");
  assert_cbc_error(cbc_employee_iter_subtree_after(&it, db, t1, 0, cbc_test_unit_id(db, "T2"),
                                                   a1),
                   CBC_EINVAL, "not in the subtree");
  assert_null(it);
  /* the cursor's employee need not be in its unit any more, nor exist */
  assert_cbc_ok(cbc_employee_iter_subtree_after(&it, db, e1, 0, t1, 999999));
  const cbc_employee *e;
  assert_cbc_ok(cbc_employee_iter_next(&e, it));
  assert_int_not_equal(e->unit_id, t1);
  cbc_employee_iter_free(it);
}

static void test_parent_kind_rules(void **state)
{
  cbc_db *db = *state;
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = "X";
  r.name = "X";
  struct { cbc_unit_kind kind; const char *parent; int rc; } cases[] = {
    { CBC_UNIT_TEAM, "R1", CBC_ESTATE },       { CBC_UNIT_TEAM, NULL, CBC_ESTATE },
    { CBC_UNIT_WORKSHOP, "R1", CBC_ESTATE },   { CBC_UNIT_WORKSHOP, "W1", CBC_ESTATE },
    { CBC_UNIT_ENTERPRISE, "E1", CBC_ESTATE }, { CBC_UNIT_REGION, "E1", CBC_ESTATE },
    { CBC_UNIT_TEAM, "T1", CBC_ESTATE },       { CBC_UNIT_WORKSHOP, NULL, CBC_ESTATE },
    { CBC_UNIT_TEAM, "E1", 0 },                { CBC_UNIT_TEAM, "W2", 0 },
    { CBC_UNIT_WORKSHOP, "E1", 0 },            { CBC_UNIT_ENTERPRISE, "R1", 0 },
    { CBC_UNIT_ENTERPRISE, NULL, 0 },          { CBC_UNIT_REGION, "R1", 0 },
    { CBC_UNIT_REGION, NULL, 0 },
  };
  char ext[16];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    snprintf(ext, sizeof(ext), "X%zu", i);
    r.external_id = ext;
    r.kind = cases[i].kind;
    r.parent_external_id = cases[i].parent;
    int64_t id = 0;
    assert_cbc_error(cbc_unit_upsert(&id, db, &r), cases[i].rc, cases[i].rc ? "cannot" : NULL);
    cbc_unit *u = NULL;
    assert_int_equal(cbc_unit_lookup_external(&u, db, ext), cases[i].rc ? CBC_ENOTFOUND : 0);
    cbc_unit_free(u);
  }
}

static void test_unit_bad_input(void **state)
{
  cbc_db *db = *state;
  char long_name[CBC_MAX_NAME + 2];
  memset(long_name, 'n', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';
  char long_id[CBC_MAX_EXTERNAL_ID + 2];
  memset(long_id, 'i', sizeof(long_id) - 1);
  long_id[sizeof(long_id) - 1] = '\0';
  struct { cbc_unit_record r; const char *needle; int rc; } cases[] = {
    { { 0, "Y", NULL, CBC_UNIT_REGION, "Y", NULL, 0 }, "version 0", CBC_EINVAL },
    { { 99, "Y", NULL, CBC_UNIT_REGION, "Y", NULL, 0 }, "newer", CBC_EINVAL },
    { { 1, NULL, NULL, CBC_UNIT_REGION, "Y", NULL, 0 }, "external_id is empty", CBC_EINVAL },
    { { 1, "", NULL, CBC_UNIT_REGION, "Y", NULL, 0 }, "external_id is empty", CBC_EINVAL },
    { { 1, long_id, NULL, CBC_UNIT_REGION, "Y", NULL, 0 }, "limit is 64", CBC_EINVAL },
    { { 1, "Y", NULL, (cbc_unit_kind)0, "Y", NULL, 0 }, "unknown unit kind", CBC_EINVAL },
    { { 1, "Y", NULL, (cbc_unit_kind)7, "Y", NULL, 0 }, "unknown unit kind", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, "", NULL, 0 }, "name is empty", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, long_name, NULL, 0 }, "limit is 300", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, "\xff\xfe", NULL, 0 }, "UTF-8", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, "a\tb", NULL, 0 }, "control", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, "\xed\xa0\x80", NULL, 0 }, "UTF-8", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_REGION, "\xc0\xaf", NULL, 0 }, "UTF-8", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_TEAM, "Y", "x", 0 }, "enterprises only", CBC_EINVAL },
    { { 1, "Y", NULL, CBC_UNIT_ENTERPRISE, "Y", NULL, 2 }, "high_risk", CBC_EINVAL },
    { { 1, "Y", "Y", CBC_UNIT_REGION, "Y", NULL, 0 }, "own parent", CBC_EINVAL },
    { { 1, "Y", "nope", CBC_UNIT_REGION, "Y", NULL, 0 }, "'nope' not found", CBC_ENOTFOUND },
    { { 1, "T1", "W1", CBC_UNIT_WORKSHOP, "Y", NULL, 0 }, "kind cannot change", CBC_ECONFLICT },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    assert_cbc_error(cbc_unit_upsert(NULL, db, &cases[i].r), cases[i].rc, cases[i].needle);
    cbc_unit *u = NULL;
    assert_int_equal(cbc_unit_lookup_external(&u, db, "Y"), CBC_ENOTFOUND);
  }
  assert_cbc_error(cbc_unit_upsert(NULL, NULL, &cases[0].r), CBC_EINVAL, "NULL");
  assert_cbc_error(cbc_unit_upsert(NULL, db, NULL), CBC_EINVAL, NULL);
  /* a valid CJK name of 100 characters (300 bytes) is accepted */
  char cjk[CBC_MAX_NAME + 1] = "";
  for (int i = 0; i < 100; i++)
    strcat(cjk, "\xe7\x8f\xad"); /* 班 */
  cbc_unit_record ok = { 1, "CJK", "W1", CBC_UNIT_TEAM, cjk, NULL, 0 };
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &ok));
}

static void test_rename_move_close(void **state)
{
  cbc_db *db = *state;
  int64_t t2 = cbc_test_unit_id(db, "T2"), w2 = cbc_test_unit_id(db, "W2");
  int64_t w1 = cbc_test_unit_id(db, "W1"), r1 = cbc_test_unit_id(db, "R1");
  assert_cbc_ok(cbc_unit_rename(db, t2, "夜班"));
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup(&u, db, t2));
  assert_string_equal(u->name, "夜班");
  cbc_unit_free(u);
  assert_cbc_error(cbc_unit_rename(db, t2, ""), CBC_EINVAL, "name");
  assert_cbc_error(cbc_unit_rename(db, 999, "x"), CBC_ENOTFOUND, NULL);
  /* move T2 under W2; the subtree of W2 now has it */
  assert_cbc_ok(cbc_unit_move(db, t2, w2));
  assert_int_equal(count_employees(db, "W2", 0), 5);
  assert_int_equal(count_employees(db, "W1", 0), 3);
  /* bad moves: wrong kind, cycles, unknown parent */
  assert_cbc_error(cbc_unit_move(db, t2, r1), CBC_ESTATE, "cannot be placed under");
  assert_cbc_error(cbc_unit_move(db, r1, cbc_test_unit_id(db, "E1")), CBC_ESTATE, NULL);
  cbc_unit_record sub = { 1, "R2", "R1", CBC_UNIT_REGION, "sub", NULL, 0 };
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &sub));
  assert_cbc_error(cbc_unit_move(db, r1, cbc_test_unit_id(db, "R2")), CBC_ESTATE, "cycle");
  assert_cbc_error(cbc_unit_move(db, r1, r1), CBC_ESTATE, "cycle");
  assert_cbc_error(cbc_unit_move(db, t2, 999), CBC_ENOTFOUND, NULL);
  /* close: refused while it has people or open children */
  assert_cbc_error(cbc_unit_close(db, w1), CBC_ESTATE, "open child units");
  int64_t t1 = cbc_test_unit_id(db, "T1");
  assert_cbc_error(cbc_unit_close(db, t1), CBC_ESTATE, "active employees");
  const char *people[] = { "L1", "A1", "A2" };
  for (int i = 0; i < 3; i++)
    assert_cbc_ok(cbc_employee_deactivate(db, cbc_test_employee_id(db, people[i]), 0));
  now += 100;
  assert_cbc_ok(cbc_unit_close(db, t1));
  assert_cbc_error(cbc_unit_close(db, t1), CBC_ESTATE, "already closed");
  assert_cbc_ok(cbc_unit_lookup(&u, db, t1));
  assert_true(u->closed);
  assert_int_equal(u->closed_at, now);
  cbc_unit_free(u);
  /* history stays: the closed team still lists its former members */
  assert_int_equal(count_employees(db, "T1", CBC_EMPLOYEE_ITER_INACTIVE), 3);
  /* nobody may join a closed team */
  cbc_employee_record e = { 1, "N1", "New", NULL, "T1", 0, 1, 0 };
  assert_cbc_error(cbc_employee_upsert(NULL, db, &e), CBC_ESTATE, "closed");
  /* the HR system sending the unit again reopens it */
  cbc_unit_record again = { 1, "T1", "W1", CBC_UNIT_TEAM, "Shift A", NULL, 0 };
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &again));
  assert_cbc_ok(cbc_unit_lookup(&u, db, t1));
  assert_false(u->closed);
  cbc_unit_free(u);
}

static void test_employee_placement(void **state)
{
  cbc_db *db = *state;
  struct { cbc_employee_record r; int rc; const char *needle; } cases[] = {
    { { 1, "N", "n", NULL, "W1", 0, 1, 0 }, CBC_EINVAL, "is a workshop" },
    { { 1, "N", "n", NULL, "E1", 0, 1, 0 }, CBC_EINVAL, "is a enterprise" },
    { { 1, "N", "n", NULL, "R1", CBC_ROLE_WORKER, 1, 0 }, CBC_EINVAL, "region" },
    { { 1, "N", "n", NULL, "R1", CBC_ROLE_EXPERT | CBC_ROLE_TEAM_LEADER, 1, 0 }, CBC_EINVAL,
      "region" },
    { { 1, "N", "n", NULL, "nope", 0, 1, 0 }, CBC_ENOTFOUND, "nope" },
    { { 1, "N", "n", NULL, "T1", 0x400, 1, 0 }, CBC_EINVAL, "role bits" },
    { { 1, "N", "n", NULL, "T1", 0, 2, 0 }, CBC_EINVAL, "active" },
    { { 1, "N", "n", NULL, "T1", 0, 1, -5 }, CBC_EINVAL, "hire_date" },
    { { 1, "N", "", NULL, "T1", 0, 1, 0 }, CBC_EINVAL, "name is empty" },
    { { 1, "N", "n", "\x80", "T1", 0, 1, 0 }, CBC_EINVAL, "post is not valid UTF-8" },
    { { 1, "N", "n", NULL, NULL, 0, 1, 0 }, CBC_EINVAL, "unit_external_id" },
    { { 2, "N", "n", NULL, "T1", 0, 1, 0 }, CBC_EINVAL, "newer" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    assert_cbc_error(cbc_employee_upsert(NULL, db, &cases[i].r), cases[i].rc, cases[i].needle);
    cbc_employee *e = NULL;
    assert_int_equal(cbc_employee_lookup_external(&e, db, "N"), CBC_ENOTFOUND);
  }
  cbc_employee_record ok = { 1, "N", "n", NULL, "R1", CBC_ROLE_EXPERT, 1, 0 };
  int64_t id = 0;
  assert_cbc_ok(cbc_employee_upsert(&id, db, &ok));
  assert_true(id > 0);
  cbc_employee_record worker = { 1, "N2", "n", NULL, "T1", 0, 1, 0 };
  assert_cbc_ok(cbc_employee_upsert(&id, db, &worker));
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup(&e, db, id));
  assert_int_equal(e->roles, CBC_ROLE_WORKER); /* 0 means worker */
  cbc_employee_free(e);
}

static void test_transfer_and_history(void **state)
{
  cbc_db *db = *state;
  int64_t a1 = cbc_test_employee_id(db, "A1");
  int64_t t1 = cbc_test_unit_id(db, "T1"), t2 = cbc_test_unit_id(db, "T2");
  int64_t t3 = cbc_test_unit_id(db, "T3");
  int64_t created = now;
  int64_t when = cbc_test_date(2024, 3, 1);
  assert_cbc_ok(cbc_employee_transfer(db, a1, t2, when));
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup(&e, db, a1));
  assert_int_equal(e->unit_id, t2);
  assert_int_equal(e->unit_since, when);
  cbc_employee_free(e);
  assert_cbc_error(cbc_employee_transfer(db, a1, t2, 0), CBC_EINVAL, "already in unit");
  assert_cbc_error(cbc_employee_transfer(db, a1, cbc_test_unit_id(db, "W1"), 0), CBC_EINVAL,
                   "workshop");
  assert_cbc_error(cbc_employee_transfer(db, a1, 999, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_employee_transfer(db, 999, t1, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_employee_transfer(db, a1, t1, -1), CBC_EINVAL, "negative");
  now += 10;
  assert_cbc_ok(cbc_employee_deactivate(db, a1, 0));
  assert_cbc_error(cbc_employee_deactivate(db, a1, 0), CBC_ESTATE, "not active");
  assert_cbc_error(cbc_employee_transfer(db, a1, t1, 0), CBC_ESTATE, "not active");
  /* the HR system brings them back into another team */
  now += 10;
  cbc_employee_record back = { 1, "A1", "Wang Fang", "roller", "T3", CBC_ROLE_WORKER, 1, 0 };
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &back));
  cbc_employee_event *ev;
  size_t n;
  assert_cbc_ok(cbc_employee_history(&ev, &n, db, a1));
  assert_int_equal(n, 4);
  assert_int_equal(ev[0].kind, CBC_EMPLOYEE_JOINED);
  assert_int_equal(ev[0].at, created);
  assert_int_equal(ev[0].to_unit, t1);
  assert_int_equal(ev[1].kind, CBC_EMPLOYEE_TRANSFERRED);
  assert_int_equal(ev[1].from_unit, t1);
  assert_int_equal(ev[1].to_unit, t2);
  assert_int_equal(ev[1].at, when);
  assert_int_equal(ev[2].kind, CBC_EMPLOYEE_LEFT);
  assert_int_equal(ev[2].from_unit, t2);
  assert_int_equal(ev[3].kind, CBC_EMPLOYEE_RETURNED);
  assert_int_equal(ev[3].to_unit, t3);
  cbc_free(ev);
  assert_cbc_error(cbc_employee_history(&ev, &n, db, 999), CBC_ENOTFOUND, NULL);
}

static void test_responsible(void **state)
{
  cbc_db *db = *state;
  int64_t who;
  int64_t t1 = cbc_test_unit_id(db, "T1"), t3 = cbc_test_unit_id(db, "T3");
  assert_cbc_ok(cbc_org_responsible(&who, db, t1, CBC_LEVEL_TEAM));
  assert_int_equal(who, cbc_test_employee_id(db, "L1"));
  /* W1 has no director of its own */
  assert_cbc_error(cbc_org_responsible(&who, db, t1, CBC_LEVEL_WORKSHOP), CBC_ENOTFOUND,
                   "workshop director");
  assert_cbc_ok(cbc_org_responsible(&who, db, t3, CBC_LEVEL_WORKSHOP));
  assert_int_equal(who, cbc_test_employee_id(db, "D1"));
  assert_cbc_ok(cbc_org_responsible(&who, db, t1, CBC_LEVEL_ENTERPRISE));
  assert_int_equal(who, cbc_test_employee_id(db, "P1"));
  /* without a principal, the safety officer */
  assert_cbc_ok(cbc_employee_deactivate(db, cbc_test_employee_id(db, "P1"), 0));
  assert_cbc_ok(cbc_org_responsible(&who, db, cbc_test_unit_id(db, "E1"), CBC_LEVEL_ENTERPRISE));
  assert_int_equal(who, cbc_test_employee_id(db, "S1"));
  assert_cbc_error(cbc_org_responsible(&who, db, t1, CBC_LEVEL_INDIVIDUAL), CBC_EINVAL,
                   "individual");
  assert_cbc_error(cbc_org_responsible(&who, db, t1, (cbc_level)9), CBC_EINVAL, "unknown level");
  assert_cbc_error(cbc_org_responsible(&who, db, cbc_test_unit_id(db, "R1"), CBC_LEVEL_TEAM),
                   CBC_ENOTFOUND, "no team");
  assert_cbc_error(cbc_org_responsible(&who, db, 999, CBC_LEVEL_TEAM), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_org_responsible(NULL, db, t1, CBC_LEVEL_TEAM), CBC_EINVAL, NULL);
}

static void test_names_and_roles(void **state)
{
  (void)state;
  assert_string_equal(cbc_unit_kind_name(CBC_UNIT_TEAM), "team");
  assert_null(cbc_unit_kind_name((cbc_unit_kind)0));
  assert_string_equal(cbc_role_name(CBC_ROLE_BUREAU_INSPECTOR), "bureau_inspector");
  assert_null(cbc_role_name(CBC_ROLE_WORKER | CBC_ROLE_EXPERT));
  assert_null(cbc_role_name(1u << 20));
  unsigned int roles;
  assert_cbc_ok(cbc_roles_parse(&roles, " team_leader | worker;expert,"));
  assert_int_equal(roles, CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER | CBC_ROLE_EXPERT);
  assert_cbc_ok(cbc_roles_parse(&roles, ""));
  assert_int_equal(roles, 0);
  assert_cbc_error(cbc_roles_parse(&roles, "worker|boss"), CBC_EINVAL, "'boss'");
  assert_cbc_error(cbc_roles_parse(NULL, "worker"), CBC_EINVAL, NULL);
  for (unsigned int bit = 1; bit & CBC_ROLE_ALL; bit <<= 1) {
    assert_cbc_ok(cbc_roles_parse(&roles, cbc_role_name(bit)));
    assert_int_equal(roles, bit);
  }
  cbc_unit_record ur;
  assert_cbc_ok(cbc_unit_record_init(&ur, CBC_UNIT_RECORD_VERSION));
  assert_int_equal(ur.version, 1);
  assert_cbc_error(cbc_unit_record_init(&ur, 0), CBC_EINVAL, NULL);
  cbc_employee_record er;
  assert_cbc_ok(cbc_employee_record_init(&er, 1));
  assert_int_equal(er.active, 1);
  assert_cbc_error(cbc_employee_record_init(&er, 2), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_employee_record_init(NULL, 1), CBC_EINVAL, NULL);
}

static void test_readonly_refuses_writes(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ro.db");
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  int64_t t1 = cbc_test_unit_id(db, "T1");
  assert_cbc_error(cbc_unit_rename(db, t1, "x"), CBC_EPERM, "read-only");
  cbc_employee_record e = { 1, "N", "n", NULL, "T1", 0, 1, 0 };
  assert_cbc_error(cbc_employee_upsert(NULL, db, &e), CBC_EPERM, "read-only");
  assert_cbc_error(cbc_employee_deactivate(db, cbc_test_employee_id(db, "A1"), 0), CBC_EPERM,
                   NULL);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_lookup_unit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lookup_employee, setup, teardown),
    cmocka_unit_test_setup_teardown(test_children_and_subtree, setup, teardown),
    cmocka_unit_test_setup_teardown(test_employees_of_subtree, setup, teardown),
    cmocka_unit_test_setup_teardown(test_employees_paged, setup, teardown),
    cmocka_unit_test_setup_teardown(test_employees_paged_bad_cursor, setup, teardown),
    cmocka_unit_test_setup_teardown(test_parent_kind_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unit_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rename_move_close, setup, teardown),
    cmocka_unit_test_setup_teardown(test_employee_placement, setup, teardown),
    cmocka_unit_test_setup_teardown(test_transfer_and_history, setup, teardown),
    cmocka_unit_test_setup_teardown(test_responsible, setup, teardown),
    cmocka_unit_test(test_names_and_roles),
    cmocka_unit_test(test_readonly_refuses_writes),
  };
  return cmocka_run_group_tests_name("org", tests, NULL, NULL);
}
