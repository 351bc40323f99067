/* HR synchronisation from arrays: modes, counts, row errors, strict mode,
 * duplicates, ordering, transfers and leaving (docs/domain.md §1). */
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static int64_t now = 1700000000;

static int setup(void **state)
{
  *state = cbc_test_db(&now);
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static const cbc_unit_record base_units[] = {
  { 1, "T1", "W1", CBC_UNIT_TEAM, "Shift A", NULL, 0 },   /* children before parents */
  { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "Mill", NULL, 0 },
  { 1, "E1", "R1", CBC_UNIT_ENTERPRISE, "Works", "steel", 1 },
  { 1, "R1", NULL, CBC_UNIT_REGION, "District", NULL, 0 },
  { 1, "T2", "W1", CBC_UNIT_TEAM, "Shift B", NULL, 0 },
};
#define N_UNITS (sizeof(base_units) / sizeof(base_units[0]))

static const cbc_employee_record base_emps[] = {
  { 1, "e1", "One", "p", "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "e2", "Two", "p", "T1", 0, 1, 0 },
  { 1, "e3", "Three", "p", "T2", 0, 1, 0 },
};
#define N_EMPS (sizeof(base_emps) / sizeof(base_emps[0]))

static cbc_sync_result *sync_ok(cbc_db *db, const cbc_unit_record *u, size_t nu,
                                const cbc_employee_record *e, size_t ne, cbc_sync_mode mode)
{
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.mode = mode;
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_sync(&r, db, u, nu, e, ne, &o));
  assert_non_null(r);
  assert_true(r->applied);
  return r;
}

static void assert_counts(const cbc_sync_counts *c, size_t added, size_t updated, size_t moved,
                          size_t deactivated, size_t unchanged)
{
  assert_int_equal(c->added, added);
  assert_int_equal(c->updated, updated);
  assert_int_equal(c->moved, moved);
  assert_int_equal(c->deactivated, deactivated);
  assert_int_equal(c->unchanged, unchanged);
}

static void test_first_sync_and_resync(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r = sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL);
  assert_counts(&r->units, 5, 0, 0, 0, 0);
  assert_counts(&r->employees, 3, 0, 0, 0, 0);
  assert_int_equal(r->error_count, 0);
  cbc_sync_result_free(r);
  r = sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL);
  assert_counts(&r->units, 0, 0, 0, 0, 5);
  assert_counts(&r->employees, 0, 0, 0, 0, 3);
  cbc_sync_result_free(r);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T1"));
  int64_t w1 = cbc_test_unit_id(db, "W1");
  assert_int_equal(u->parent_id, w1);
  cbc_unit_free(u);
}

static void test_changes_are_counted(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  cbc_unit_record units[N_UNITS];
  cbc_employee_record emps[N_EMPS];
  memcpy(units, base_units, sizeof(units));
  memcpy(emps, base_emps, sizeof(emps));
  units[3].name = "District (renamed)";
  emps[0].post = "senior";             /* updated */
  emps[1].unit_external_id = "T2";     /* moved */
  now += 60;
  cbc_sync_result *r = sync_ok(db, units, N_UNITS, emps, N_EMPS, CBC_SYNC_INCREMENTAL);
  assert_counts(&r->units, 0, 1, 0, 0, 4);
  assert_counts(&r->employees, 0, 2, 1, 0, 1);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e2"));
  assert_int_equal(e->unit_id, cbc_test_unit_id(db, "T2"));
  assert_int_equal(e->unit_since, now);
  int64_t id = e->id;
  cbc_employee_free(e);
  cbc_employee_event *ev;
  size_t n;
  assert_cbc_ok(cbc_employee_history(&ev, &n, db, id));
  assert_int_equal(n, 2);
  assert_int_equal(ev[1].kind, CBC_EMPLOYEE_TRANSFERRED);
  assert_int_equal(ev[1].at, now);
  cbc_free(ev);
}

static void test_full_mode_deactivates_and_closes(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  /* e3 leaves; T2 is gone from HR */
  now += 3600;
  cbc_sync_result *r = sync_ok(db, base_units, N_UNITS - 1, base_emps, 2, CBC_SYNC_FULL);
  assert_counts(&r->employees, 0, 0, 0, 1, 2);
  assert_counts(&r->units, 0, 0, 0, 1, 4);
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e3"));
  assert_false(e->active);
  assert_int_equal(e->left_at, now);
  cbc_employee_free(e);
  cbc_unit *u;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "T2"));
  assert_true(u->closed);
  cbc_unit_free(u);
  /* incremental mode leaves absent records alone */
  now += 3600;
  r = sync_ok(db, base_units, 1, base_emps, 1, CBC_SYNC_INCREMENTAL);
  assert_counts(&r->employees, 0, 0, 0, 0, 1);
  cbc_sync_result_free(r);
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e2"));
  assert_true(e->active);
  cbc_employee_free(e);
  /* coming back: T2 reopens, e3 returns */
  r = sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL);
  assert_counts(&r->units, 0, 1, 0, 0, 4);
  assert_counts(&r->employees, 0, 1, 0, 0, 2);
  cbc_sync_result_free(r);
}

static void test_full_mode_keeps_units_with_people(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  /* T2 absent but e3 still in it: T2 stays open and is reported */
  cbc_sync_result *r = sync_ok(db, base_units, N_UNITS - 1, base_emps, N_EMPS, CBC_SYNC_FULL);
  assert_int_equal(r->units.deactivated, 0);
  assert_int_equal(r->error_count, 1);
  assert_int_equal(r->errors[0].record, CBC_RECORD_UNIT);
  assert_int_equal(r->errors[0].code, CBC_ESTATE);
  assert_string_equal(r->errors[0].external_id, "T2");
  assert_non_null(strstr(r->errors[0].message, "active employees"));
  cbc_sync_result_free(r);
  /* the whole employee array omitted: people are left alone in full mode */
  r = sync_ok(db, base_units, N_UNITS, NULL, 0, CBC_SYNC_FULL);
  assert_int_equal(r->employees.deactivated, 0);
  cbc_sync_result_free(r);
}

static void test_row_errors_non_strict(void **state)
{
  cbc_db *db = *state;
  cbc_unit_record units[N_UNITS + 3];
  memcpy(units, base_units, sizeof(base_units));
  units[N_UNITS] = (cbc_unit_record){ 1, "T3", "nowhere", CBC_UNIT_TEAM, "x", NULL, 0 };
  units[N_UNITS + 1] = (cbc_unit_record){ 1, "W1", "E1", CBC_UNIT_WORKSHOP, "dup", NULL, 0 };
  units[N_UNITS + 2] = (cbc_unit_record){ 1, "T4", "T3", CBC_UNIT_TEAM, "x", NULL, 0 };
  cbc_employee_record emps[] = {
    { 1, "e1", "One", NULL, "T1", 0, 1, 0 },
    { 1, "e1", "One again", NULL, "T1", 0, 1, 0 },
    { 1, "e2", "Two", NULL, "W1", 0, 1, 0 },
    { 1, "e3", "", NULL, "T1", 0, 1, 0 },
    { 1, "e4", "Four", NULL, "T3", 0, 1, 0 },
    { 1, "e5", "Five", NULL, "T2", 0, 1, 0 },
  };
  cbc_sync_result *r = NULL;
  assert_cbc_ok(cbc_org_sync(&r, db, units, N_UNITS + 3, emps, 6, NULL));
  assert_true(r->applied);
  assert_int_equal(r->units.added, 5);
  assert_int_equal(r->employees.added, 2);
  assert_int_equal(r->error_count, 7);
  assert_int_equal(r->errors_kept, 7);
  struct { cbc_record_kind k; size_t row; int code; const char *ext, *needle; } want[] = {
    { CBC_RECORD_UNIT, 5, CBC_ENOTFOUND, "T3", "'nowhere' not found" },
    { CBC_RECORD_UNIT, 6, CBC_ECONFLICT, "W1", "appears twice" },
    { CBC_RECORD_UNIT, 7, CBC_ENOTFOUND, "T4", "rejected" },
    { CBC_RECORD_EMPLOYEE, 1, CBC_ECONFLICT, "e1", "appears twice" },
    { CBC_RECORD_EMPLOYEE, 2, CBC_EINVAL, "e2", "workshop" },
    { CBC_RECORD_EMPLOYEE, 3, CBC_EINVAL, "e3", "name is empty" },
    { CBC_RECORD_EMPLOYEE, 4, CBC_ENOTFOUND, "e4", "T3" },
  };
  for (size_t i = 0; i < 7; i++) {
    assert_int_equal(r->errors[i].record, want[i].k);
    assert_int_equal(r->errors[i].row, want[i].row);
    assert_int_equal(r->errors[i].code, want[i].code);
    assert_string_equal(r->errors[i].external_id, want[i].ext);
    if (!strstr(r->errors[i].message, want[i].needle))
      fail_msg("error %zu: '%s' lacks '%s'", i, r->errors[i].message, want[i].needle);
  }
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e1"));
  assert_string_equal(e->name, "One"); /* the first occurrence applies */
  cbc_employee_free(e);
}

static void test_max_errors_keeps_count(void **state)
{
  cbc_db *db = *state;
  cbc_employee_record emps[20];
  char ids[20][8];
  for (int i = 0; i < 20; i++) {
    snprintf(ids[i], sizeof(ids[i]), "x%d", i);
    emps[i] = (cbc_employee_record){ 1, ids[i], "n", NULL, "missing", 0, 1, 0 };
  }
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.max_errors = 5;
  cbc_sync_result *r;
  assert_cbc_ok(cbc_org_sync(&r, db, NULL, 0, emps, 20, &o));
  assert_int_equal(r->error_count, 20);
  assert_int_equal(r->errors_kept, 5);
  assert_int_equal(r->errors[4].row, 4);
  cbc_sync_result_free(r);
}

static void test_strict_changes_nothing(void **state)
{
  cbc_db *db = *state;
  cbc_employee_record emps[N_EMPS + 1];
  memcpy(emps, base_emps, sizeof(base_emps));
  emps[N_EMPS] = (cbc_employee_record){ 1, "bad", "Bad", NULL, "W1", 0, 1, 0 };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r = NULL;
  assert_cbc_error(cbc_org_sync(&r, db, base_units, N_UNITS, emps, N_EMPS + 1, &o), CBC_EINVAL,
                   "employee row 3 ('bad')");
  assert_non_null(r);
  assert_false(r->applied);
  assert_int_equal(r->error_count, 1);
  cbc_sync_result_free(r);
  cbc_unit *u = NULL;
  assert_cbc_error(cbc_unit_lookup_external(&u, db, "R1"), CBC_ENOTFOUND, NULL);
  cbc_employee *e = NULL;
  assert_cbc_error(cbc_employee_lookup_external(&e, db, "e1"), CBC_ENOTFOUND, NULL);
}

static void test_cycles_in_batch(void **state)
{
  cbc_db *db = *state;
  cbc_unit_record units[] = {
    { 1, "A", "B", CBC_UNIT_REGION, "a", NULL, 0 },
    { 1, "B", "A", CBC_UNIT_REGION, "b", NULL, 0 },
    { 1, "C", "A", CBC_UNIT_REGION, "c", NULL, 0 },
    { 1, "D", NULL, CBC_UNIT_REGION, "d", NULL, 0 },
  };
  cbc_sync_result *r;
  assert_cbc_ok(cbc_org_sync(&r, db, units, 4, NULL, 0, NULL));
  assert_int_equal(r->units.added, 1);
  assert_int_equal(r->error_count, 3);
  assert_non_null(strstr(r->errors[0].message, "cycle"));
  assert_non_null(strstr(r->errors[2].message, "cycle"));
  cbc_sync_result_free(r);
}

static void test_move_between_syncs(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  cbc_unit_record moves[] = {
    { 1, "E2", "R1", CBC_UNIT_ENTERPRISE, "Second works", NULL, 0 },
    { 1, "W1", "E2", CBC_UNIT_WORKSHOP, "Mill", NULL, 0 }, /* the mill changes owner */
  };
  cbc_sync_result *r = sync_ok(db, moves, 2, NULL, 0, CBC_SYNC_INCREMENTAL);
  assert_counts(&r->units, 1, 1, 1, 0, 0);
  cbc_sync_result_free(r);
  /* its teams and people moved with it */
  cbc_employee_iter *it;
  const cbc_employee *e;
  size_t n = 0;
  assert_cbc_ok(cbc_employee_iter_subtree(&it, db, cbc_test_unit_id(db, "E2"), 0));
  while (cbc_employee_iter_next(&e, it) == 0)
    n++;
  cbc_employee_iter_free(it);
  assert_int_equal(n, 3);
  /* a unit cannot be moved under its own descendant */
  cbc_unit_record bad[] = { { 1, "R1", "E2", CBC_UNIT_REGION, "District", NULL, 0 } };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  assert_cbc_error(cbc_org_sync(&r, db, bad, 1, NULL, 0, &o), CBC_ESTATE, "cannot be placed");
  cbc_sync_result_free(r);
}

static void test_created_inactive_has_left_event(void **state)
{
  cbc_db *db = *state;
  cbc_employee_record gone = { 1, "x", "X", NULL, "T1", 0, 0, 0 };
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, &gone, 1, CBC_SYNC_INCREMENTAL));
  gone.active = 1;
  cbc_sync_result_free(sync_ok(db, NULL, 0, &gone, 1, CBC_SYNC_INCREMENTAL));
  cbc_employee_event *ev;
  size_t n;
  assert_cbc_ok(cbc_employee_history(&ev, &n, db, cbc_test_employee_id(db, "x")));
  assert_int_equal(n, 3);
  assert_int_equal(ev[0].kind, CBC_EMPLOYEE_JOINED);
  assert_int_equal(ev[0].to_unit, cbc_test_unit_id(db, "T1"));
  assert_int_equal(ev[1].kind, CBC_EMPLOYEE_LEFT);
  assert_int_equal(ev[2].kind, CBC_EMPLOYEE_RETURNED);
  cbc_free(ev);
}

static void test_bad_arguments(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result *r = (cbc_sync_result *)1;
  assert_cbc_error(cbc_org_sync(NULL, db, NULL, 0, NULL, 0, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_org_sync(&r, NULL, NULL, 0, NULL, 0, NULL), CBC_EINVAL, "NULL");
  assert_null(r);
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 3, NULL, 0, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 3, NULL), CBC_EINVAL, NULL);
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.version = 0;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 0, &o), CBC_EINVAL, "version 0");
  o.version = CBC_SYNC_OPTIONS_VERSION + 1;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 0, &o), CBC_EINVAL, "newer");
  o.version = 1;
  o.mode = (cbc_sync_mode)7;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 0, &o), CBC_EINVAL, "mode");
  o.mode = CBC_SYNC_FULL;
  o.flags = 0x10;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 0, &o), CBC_EINVAL, "flags");
  o.flags = 0;
  o.effective_at = -1;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, NULL, 0, &o), CBC_EINVAL, "effective_at");
  assert_cbc_ok(cbc_sync_options_init(&o, 1));
  assert_int_equal(o.max_errors, 1000);
  assert_cbc_error(cbc_sync_options_init(&o, 0), CBC_EINVAL, NULL);
  cbc_sync_result_free(NULL);
}

static void test_effective_at(void **state)
{
  cbc_db *db = *state;
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.mode = CBC_SYNC_FULL;
  o.effective_at = cbc_test_date(2023, 6, 30);
  cbc_sync_result *r;
  assert_cbc_ok(cbc_org_sync(&r, db, base_units, N_UNITS, base_emps, 2, &o));
  cbc_sync_result_free(r);
  cbc_employee *e;
  assert_cbc_ok(cbc_employee_lookup_external(&e, db, "e3"));
  assert_int_equal(e->left_at, cbc_test_date(2023, 6, 30));
  cbc_employee_free(e);
}

static void test_inside_group(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_db_begin(db));
  cbc_sync_result_free(sync_ok(db, base_units, N_UNITS, base_emps, N_EMPS, CBC_SYNC_FULL));
  /* a failing strict sync inside the group undoes only itself */
  cbc_employee_record bad = { 1, "zz", "", NULL, "T1", 0, 1, 0 };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r;
  assert_cbc_error(cbc_org_sync(&r, db, NULL, 0, &bad, 1, &o), CBC_EINVAL, NULL);
  cbc_sync_result_free(r);
  assert_int_equal(cbc_test_employee_id(db, "e1") > 0, 1);
  assert_cbc_ok(cbc_db_rollback(db));
  cbc_employee *e = NULL;
  assert_cbc_error(cbc_employee_lookup_external(&e, db, "e1"), CBC_ENOTFOUND, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_first_sync_and_resync, setup, teardown),
    cmocka_unit_test_setup_teardown(test_changes_are_counted, setup, teardown),
    cmocka_unit_test_setup_teardown(test_full_mode_deactivates_and_closes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_full_mode_keeps_units_with_people, setup, teardown),
    cmocka_unit_test_setup_teardown(test_row_errors_non_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_max_errors_keeps_count, setup, teardown),
    cmocka_unit_test_setup_teardown(test_strict_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cycles_in_batch, setup, teardown),
    cmocka_unit_test_setup_teardown(test_move_between_syncs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_created_inactive_has_left_event, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_effective_at, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inside_group, setup, teardown),
  };
  return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
