/* Hazard calls inside a cbc_db_begin() group: a call refused by its checks
 * leaves the group and its earlier calls alone; a call that fails after it
 * has written (a storage error: here an injected allocation failure) rolls
 * the whole group back; never is a call half-applied (docs/decisions.md,
 * "Calls inside a group"). */
#include "helpers.h"
#include <stdbool.h>
#include <string.h>

static int64_t now = 1700000000;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

static cbc_hazard_record record(cbc_db *db)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = "配电箱门未关";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

static size_t count_hazards(cbc_db *db)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t n = 0;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0) {
    cbc_test_assert_replay(db, h->id);
    n++;
  }
  cbc_hazard_iter_free(it);
  return n;
}

static int count_event(const cbc_hazard_event *ev, void *payload)
{
  (void)ev;
  ++*(int *)payload;
  return 0;
}

static void test_refused_call_keeps_the_group(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  int delivered = 0;
  assert_cbc_ok(cbc_hazard_set_event_hook(db, count_event, &delivered));
  cbc_hazard_record r = record(db);
  cbc_hazard_registration g = cbc_test_team_registration(now + 86400);
  int64_t id;
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  assert_cbc_error(cbc_hazard_start(db, id, E(db, "L1")), CBC_ESTATE, "REPORTED");
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "A2"), &g), CBC_EPERM, NULL);
  g.funds_fen = -1;
  assert_cbc_error(cbc_hazard_register(db, id, E(db, "L1"), &g), CBC_EINVAL, "negative");
  g.funds_fen = 0;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &g));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  assert_true(cbc_db_in_group(db));
  assert_int_equal(delivered, 0);
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(delivered, 3);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
  cbc_hazard_free(h);
  assert_int_equal(cbc_test_assert_replay(db, id), 3);
  cbc_db_close(db);
}

/* One hazard's lifecycle inside a group; stops at the first error. */
static int lifecycle(cbc_db *db, int64_t l1, int64_t s1, const cbc_hazard_record *r)
{
  cbc_hazard_registration g = cbc_test_team_registration(now + 86400);
  int64_t id = 0;
  int rc = cbc_hazard_report(&id, NULL, db, r);
  if (!rc)
    rc = cbc_hazard_register(db, id, l1, &g);
  if (!rc)
    rc = cbc_hazard_start(db, id, l1);
  if (!rc)
    rc = cbc_hazard_submit(db, id, l1, "已关门上锁", NULL, 0);
  if (!rc)
    rc = cbc_hazard_verify(db, id, s1, 1, NULL, NULL, 0);
  return rc;
}

typedef struct outcome {
  int completed, kept, rolled_back;
} outcome;

/* Fail the @p n-th allocation inside the group; false once none failed. */
static bool run_with_failure(long n, outcome *o)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  int delivered = 0;
  assert_cbc_ok(cbc_hazard_set_event_hook(db, count_event, &delivered));
  cbc_hazard_record r = record(db);
  int64_t l1 = E(db, "L1"), s1 = E(db, "S1");
  assert_cbc_ok(lifecycle(db, l1, s1, &r)); /* one committed before the group */
  delivered = 0;
  assert_cbc_ok(cbc_db_begin(db));
  cbc_test_fail_after(n);
  int rc = lifecycle(db, l1, s1, &r);
  if (!rc)
    rc = lifecycle(db, l1, s1, &r);
  bool failed = cbc_test_alloc_failed();
  cbc_test_fail_after(0);
  if (!failed) {
    assert_cbc_ok(rc);
    assert_cbc_ok(cbc_db_commit(db));
    assert_int_equal(count_hazards(db), 3);
    o->completed++;
  } else if (rc && strstr(cbc_error_last()->message, "transaction group was rolled back")) {
    assert_true(cbc_db_in_group(db));
    assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &r), CBC_ESTATE, "cbc_db_rollback");
    assert_cbc_error(cbc_db_commit(db), CBC_ESTATE, "nothing was committed");
    assert_false(cbc_db_in_group(db));
    assert_int_equal(delivered, 0);
    assert_int_equal(count_hazards(db), 1);
    o->rolled_back++;
  } else {
    /* the failing call (if the failure reached one) changed nothing; the
     * group and the calls before it stand */
    assert_cbc_ok(cbc_db_commit(db));
    size_t n_hazards = count_hazards(db);
    assert_true(n_hazards >= 1 && n_hazards <= 3);
    o->kept++;
  }
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return failed;
}

static void test_failure_after_a_write_rolls_the_group_back(void **state)
{
  (void)state;
  outcome o = { 0, 0, 0 };
  long n = 1, stride = cbc_test_fault_stride(), points = 0;
  for (; run_with_failure(n, &o); points++)
    n += stride;
  assert_int_equal(o.completed, 1);
  /* on PostgreSQL the failing allocations are the library's own (libpq
   * has its own allocator), which with the caches warm all come after a
   * call's first write */
  assert_true(o.kept > 0 || cbc_test_on_postgres());
  assert_true(o.rolled_back > 0);
  print_message("%ld failure points (every %ld-th of %ld): %d kept the group, %d rolled it "
                "back\n", points, stride, n - 1, o.kept, o.rolled_back);
}

/* A rolled-back group leaves no org change behind in the handle's caches. */
static void test_rollback_forgets_cached_org(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_hazard_record r = record(db);
  cbc_hazard_registration g = cbc_test_team_registration(now + 86400);
  int64_t first, second;
  assert_cbc_ok(cbc_hazard_report(&first, NULL, db, &r));
  assert_cbc_ok(cbc_hazard_report(&second, NULL, db, &r));
  cbc_employee_record a2 = CBC_EMPLOYEE_RECORD_INIT;
  a2.external_id = "A2";
  a2.name = "Wang Fang";
  a2.unit_external_id = "T1";
  a2.roles = CBC_ROLE_TEAM_LEADER;
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &a2));
  assert_cbc_ok(cbc_hazard_register(db, first, E(db, "A2"), &g)); /* A2 acts as a leader */
  assert_cbc_ok(cbc_db_rollback(db));
  assert_cbc_error(cbc_hazard_register(db, second, E(db, "A2"), &g), CBC_EPERM, NULL);
  cbc_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_refused_call_keeps_the_group),
    cmocka_unit_test(test_failure_after_a_write_rolls_the_group_back),
    cmocka_unit_test(test_rollback_forgets_cached_org),
  };
  return cmocka_run_group_tests_name("hazard_groups", tests, NULL, NULL);
}
