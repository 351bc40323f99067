/* Rebuilding the aggregates in steps (cbc_stats_rebuild_step(),
 * docs/statistics.md "Rebuilding"): no open rebuilds; steps equal a one-shot
 * rebuild and the records; a rebuild interrupted (allocation failures, a
 * killed process) goes on from its last step; writes by other handles between
 * steps count once; forms asked between steps are the records' forms; a
 * change of UTC offset is rebuilt explicitly.
 *
 * The histories are those of tests/test_stats_random.c (2 districts, 4
 * enterprises, hires, backdated transfers, departures and returns, trainings,
 * drills, visits, proposals, hazards closed, voids, groups rolled back),
 * included so both suites drive the same generator. */
#define main stats_random_main
int stats_random_main(void);
#include "test_stats_random.c"
#undef main

#include "stats_internal.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static cbc_db *open_file(const char *path, unsigned int flags, int offset)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  o.flags = flags & CBC_DB_READONLY ? flags : flags | CBC_DB_CREATE;
  o.utc_offset_seconds = offset;
  cbc_db *db = NULL;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  return db;
}

/* Light (under valgrind, cbc_test_light()): every history a third as long,
 * fewer budgets, rounds and kills, and the forms checked at the first step
 * only: the normal and ASan runs cover the full sizes, valgrind the memory
 * of the same paths. */
static bool light(void) { return cbc_test_light(); }

static int scaled(int n)
{
  return light() ? n / 3 : n;
}

/* A history of @p n_ops operations written to @p path through a handle with
 * @p flags (CBC_DB_DEFER_STATS: a bulk load); the handle stays open. */
static history *new_history(const char *path, unsigned int flags, uint64_t seed, int n_ops)
{
  history *h = calloc(1, sizeof(*h));
  assert_non_null(h);
  cbc_test_unlink(path);
  h->rng = seed * 0x9E3779B97F4A7C15ull + 1;
  h->db = open_file(path, flags, 8 * 3600);
  seed_org(h);
  int64_t step = 2 * 400 * DAY / n_ops;
  for (int i = 0; i < n_ops; i++) {
    now += pick_time(h, step);
    if (pick(h, 10) == 0)
      grouped_ops(h);
    else
      one_op(h);
  }
  return h;
}

static void free_history(history *h)
{
  cbc_db_close(h->db);
  free(h);
}

/* The aggregates answer the forms as the records do, for every unit and
 * calendar period (cbc_db_check, CBC_CHECK_STATS). */
static void assert_forms_agree(cbc_db *db) { cbc_test_assert_stats_agree(db, 2023, 2024); }

static bool is_power_of_two(long n) { return n > 0 && (n & (n - 1)) == 0; }

/* Steps of @p budget until done; returns how many. */
static int finish(cbc_db *db, int64_t budget)
{
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  int rc, steps = 0;
  while ((rc = cbc_stats_rebuild_step(db, budget, 0, &p)) == 1) {
    steps++;
    assert_true(p.units_done <= p.units_total);
  }
  assert_cbc_ok(rc);
  assert_int_equal(p.units_done, p.units_total);
  return steps + 1;
}

/* The aggregates of a finished rebuild equal the records and a one-shot
 * rebuild's, for every unit and period. */
static void assert_rebuilt(cbc_db *db) { cbc_test_assert_stats_rebuild(db, 2023, 2024); }

/* One record written through a deferring handle: the aggregates go stale. */
static void deferred_record(history *h, const char *path)
{
  cbc_db *kept = h->db;
  h->db = open_file(path, CBC_DB_DEFER_STATS, 8 * 3600);
  now += 3600;
  op_training(h);
  op_report(h);
  cbc_db_close(h->db);
  h->db = kept;
}

/* After a bulk load the next ordinary open rebuilds nothing: the first step
 * finds every unit still to do, and the forms come from the records. */
static void test_open_does_not_rebuild(void **state)
{
  (void)state;
  const char *path = cbc_test_path("load.db");
  history *h = new_history(path, CBC_DB_DEFER_STATS, 1, scaled(300));
  cbc_db_close(h->db);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  h->db = open_file(path, 0, 8 * 3600);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  bool ready = true;
  assert_cbc_ok(cbc__stats_ready(h->db, &ready));
  assert_false(ready);
  assert_forms_agree(h->db);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  assert_int_equal(cbc_stats_rebuild_step(h->db, 1, 0, &p), 1); /* one unit of seven */
  assert_int_equal(p.units_done, 1);
  assert_int_equal(p.units_total, 7);
  int steps = finish(h->db, 40);
  assert_true(steps > 3);
  assert_rebuilt(h->db);
  printf("open after a deferred load of 300 operations: %.2f ms, no rebuild; then %d steps "
         "of 40 records over %lld attribution units\n",
         (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
         steps, (long long)p.units_total);
  free_history(h);
  cbc_test_unlink(path);
}

/* A new database needs no rebuild: its empty aggregates are complete. */
static void test_new_database_complete(void **state)
{
  (void)state;
  const char *path = cbc_test_path("new.db");
  cbc_test_unlink(path);
  cbc_db *db = open_file(path, CBC_DB_CREATE, 8 * 3600);
  bool ready = false;
  assert_cbc_ok(cbc__stats_ready(db, &ready));
  assert_true(ready);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  assert_int_equal(cbc_stats_rebuild_step(db, 1, 0, &p), 0);
  assert_int_equal(p.units_done, p.units_total);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Steps of any size give the one-shot rebuild's aggregates, which are the
 * records'; between steps every form is the records'. */
static void test_steps_equal_one_shot(void **state)
{
  (void)state;
  const char *path = cbc_test_path("steps.db");
  history *h = new_history(path, CBC_DB_DEFER_STATS, 2, scaled(300));
  const int64_t budgets[] = { 7, 100000, 1, 60 };
  for (size_t i = 0; i < (light() ? 2 : sizeof(budgets) / sizeof(budgets[0])); i++) {
    cbc_db *r = open_file(path, 0, 8 * 3600);
    cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
    int steps = 0, rc;
    while ((rc = cbc_stats_rebuild_step(r, budgets[i], 0, &p)) == 1)
      if (is_power_of_two(++steps) && (!light() || steps == 1)) /* reads every form twice */
        assert_forms_agree(r);
    assert_cbc_ok(rc);
    assert_rebuilt(r);
    printf("budget %lld: %d steps, forms equal the records' between them\n",
           (long long)budgets[i], steps + 1);
    cbc_db_close(r);
    deferred_record(h, path);
  }
  free_history(h);
  cbc_test_unlink(path);
}

/* Another handle writes between the steps (every kind of operation, org
 * changes backdated, groups rolled back): each write counts exactly once
 * when the rebuild finishes, and forms between steps are the records'.  A
 * deferring handle's write makes the rebuild start over. */
static void test_writes_between_steps(void **state)
{
  (void)state;
  const char *path = cbc_test_path("interleaved.db");
  long writes = 0, steps = 0, restarts = 0, rounds = 0;
  for (uint64_t seed = light() ? 4 : 3; seed < 5; seed++) {
    history *h = new_history(path, CBC_DB_DEFER_STATS, seed, scaled(200));
    cbc_db_close(h->db); /* the bulk load is over: an ordinary writer goes on */
    h->db = open_file(path, 0, 8 * 3600);
    cbc_db *r = open_file(path, 0, 8 * 3600);
    for (int round = 0; round < (light() ? 3 : 6); round++, rounds++) {
      cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
      unsigned int flags = CBC_STATS_REBUILD_ANEW; /* the first step of a round */
      int rc;
      while ((rc = cbc_stats_rebuild_step(r, 1 + pick(h, 25), flags, &p)) == 1) {
        flags = 0;
        steps++;
        for (int n = 1 + pick(h, 3); n > 0; n--, writes++) {
          now += pick_time(h, 2 * DAY);
          if (pick(h, 10) == 0)
            grouped_ops(h);
          else
            one_op(h);
        }
        if (is_power_of_two(steps) && (!light() || steps == 1)) /* reads every form twice */
          assert_forms_agree(r);
        if (seed == 4 && round == 2 && restarts == 0) { /* a bulk loader writes mid-rebuild */
          deferred_record(h, path);
          assert_int_equal(cbc_stats_rebuild_step(r, 1, 0, &p), 1);
          assert_int_equal(p.units_done, 0);
          restarts++;
        }
      }
      assert_cbc_ok(rc);
      assert_forms_agree(r); /* complete: every form from the aggregates */
    }
    assert_rebuilt(r);
    cbc_db_close(r);
    free_history(h);
  }
  printf("%ld writes between %ld steps of 1..25 records, %ld rebuilds, %ld "
         "restart; each write counted once\n", writes, steps, rounds, restarts);
  assert_true(restarts == 1 && writes > (light() ? 30 : 100));
  cbc_test_unlink(path);
}

/* A rebuild failing at every allocation (every stride-th) goes on, from the
 * last committed step, to the records' aggregates. */
static void test_allocation_failures(void **state)
{
  (void)state;
  const char *path = cbc_test_path("faults.db");
  cbc_test_alloc_install(1);
  history *h = new_history(path, CBC_DB_DEFER_STATS, 6, scaled(120));
  cbc_db_close(h->db);
  h->db = open_file(path, 0, 8 * 3600);
  long before = cbc_test_alloc_count();
  assert_cbc_ok(cbc_stats_rebuild(h->db));
  long total = cbc_test_alloc_count() - before;
  long stride = cbc_test_sweep_stride(total), points = 0, failed = 0;
  if (stride < total / 400) /* each point is a whole rebuild */
    stride = total / 400;
  for (long n = 1;; n += stride, points++) {
    cbc_test_fail_after(n);
    int rc = cbc_stats_rebuild(h->db); /* starts anew */
    bool hit = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      assert_true(hit);
      assert_int_equal(rc, CBC_ENOMEM);
      failed++;
      finish(h->db, CBC_STATS_STEP_DEFAULT); /* goes on */
    }
    if (n % (50 * stride) == 1 || !hit)
      assert_forms_agree(h->db);
    if (!hit)
      break;
  }
  assert_rebuilt(h->db);
  printf("rebuild: %ld allocations, %ld failure points tried, %ld failed and resumed\n", total,
         points, failed);
  assert_true(failed > 0);
  free_history(h);
  cbc_test_alloc_uninstall();
  cbc_test_unlink(path);
}

/* A process killed in the middle of a rebuild: the next one goes on from
 * the last committed step. */
static void test_killed_mid_rebuild(void **state)
{
  (void)state;
  const char *path = cbc_test_path("killed.db");
  history *h = new_history(path, CBC_DB_DEFER_STATS, 7, scaled(300));
  cbc_db_close(h->db);
  h->db = open_file(path, 0, 8 * 3600);
  int whole = finish(h->db, 2); /* a whole rebuild of the never-built aggregates */
  deferred_record(h, path);     /* stale again, with complete ones to clear: more steps */
  int whole_stale = finish(h->db, 2);
  deferred_record(h, path);
  cbc_db_close(h->db);
  h->db = NULL;
  whole = whole > whole_stale ? whole : whole_stale;
  const int kill_after[] = { 12, 1, 4, 30 };
  for (size_t i = 0; i < (light() ? 1 : sizeof(kill_after) / sizeof(kill_after[0])); i++) {
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* the child rebuilds in small steps until killed */
      close(pipefd[0]);
      cbc_db *db;
      cbc_db_options o = CBC_DB_OPTIONS_INIT;
      o.synchronous = CBC_DB_SYNC_NORMAL;
      if (cbc_db_open(&db, path, &o) != 0)
        _exit(2);
      for (int rc = 1; rc == 1;)
        if ((rc = cbc_stats_rebuild_step(db, 2, 0, NULL)) >= 0 && write(pipefd[1], "s", 1) != 1)
          _exit(3);
      _exit(4); /* finished before it was killed */
    }
    close(pipefd[1]);
    char c;
    int seen = 0;
    while (seen < kill_after[i] && read(pipefd[0], &c, 1) == 1)
      seen++;
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(pipefd[0]);
    assert_true(WIFSIGNALED(status));
    cbc_db *db = open_file(path, 0, 8 * 3600);
    int rest = finish(db, 2);
    assert_true(rest + seen <= whole + 5); /* went on from where it was killed */
    assert_rebuilt(db);
    cbc_db_close(db);
    printf("killed after %d of %d steps: %d more finished it, rebuilt right\n", seen, whole,
           rest);
    h->db = open_file(path, 0, 8 * 3600);
    deferred_record(h, path);
    cbc_db_close(h->db);
    h->db = NULL;
  }
  free(h);
  cbc_test_unlink(path);
}

/* A handle with another UTC offset reads the records, and its writes mark
 * the aggregates stale; it rebuilds them for its offset when asked, and the
 * first offset's handle likewise. */
static void test_offset_change(void **state)
{
  (void)state;
  const char *path = cbc_test_path("offset.db");
  history *h = new_history(path, 0, 8, scaled(200)); /* aggregates kept for UTC+8 */
  cbc_db *utc = open_file(path, 0, 0);
  bool ready;
  assert_cbc_ok(cbc__stats_ready(utc, &ready));
  assert_false(ready);
  if (!light()) { /* each reads every form of two years from the records */
    assert_forms_agree(utc);
    assert_forms_agree(h->db);
  }
  cbc_db *beijing = h->db;
  h->db = utc; /* UTC writes: the UTC+8 aggregates go stale, not wrong */
  op_report(h);
  op_training(h);
  h->db = beijing;
  assert_cbc_ok(cbc__stats_ready(beijing, &ready));
  assert_false(ready);
  if (!light())
    assert_forms_agree(beijing);
  assert_cbc_ok(cbc_stats_rebuild(utc));
  assert_cbc_ok(cbc__stats_ready(utc, &ready));
  assert_true(ready);
  assert_rebuilt(utc);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  assert_int_equal(cbc_stats_rebuild_step(beijing, 30, 0, &p), 1);
  h->db = utc; /* a UTC write during the UTC+8 rebuild starts it over */
  op_report(h);
  h->db = beijing;
  assert_int_equal(cbc_stats_rebuild_step(beijing, 1, 0, &p), 1);
  assert_int_equal(p.units_done, 0);
  finish(beijing, 30);
  assert_rebuilt(beijing);
  assert_cbc_ok(cbc__stats_ready(utc, &ready));
  assert_false(ready);
  assert_forms_agree(utc);
  cbc_db_close(utc);
  free_history(h);
  cbc_test_unlink(path);
}

/* Bad arguments and handles that may not rebuild: an error, nothing done. */
static void test_bad_arguments(void **state)
{
  (void)state;
  const char *path = cbc_test_path("bad.db");
  history *h = new_history(path, CBC_DB_DEFER_STATS, 9, 60);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  assert_cbc_error(cbc_stats_rebuild_step(NULL, 1, 0, &p), CBC_EINVAL, "NULL");
  assert_cbc_error(cbc_stats_rebuild_step(h->db, 1, 0, &p), CBC_ESTATE, "defers");
  cbc_db_close(h->db);
  h->db = open_file(path, 0, 8 * 3600);
  assert_cbc_error(cbc_stats_rebuild_step(h->db, 0, 0, &p), CBC_EINVAL, "max_work");
  assert_cbc_error(cbc_stats_rebuild_step(h->db, -5, 0, &p), CBC_EINVAL, "max_work");
  assert_cbc_error(cbc_stats_rebuild_step(h->db, 1, 2, &p), CBC_EINVAL, "flags");
  cbc_stats_progress wrong = { 99, 0, 0, 0, 0 };
  assert_cbc_error(cbc_stats_rebuild_step(h->db, 1, 0, &wrong), CBC_EINVAL, "version");
  cbc_db *ro = open_file(path, CBC_DB_READONLY, 8 * 3600);
  assert_cbc_error(cbc_stats_rebuild_step(ro, 1, 0, &p), CBC_EPERM, "read-only");
  assert_cbc_error(cbc_stats_rebuild(ro), CBC_EPERM, "read-only");
  cbc_db_close(ro);
  assert_int_equal(cbc_stats_rebuild_step(h->db, 1, 0, &p), 1); /* the first step */
  assert_int_equal(p.units_done, 1);
  finish(h->db, 1000);
  assert_rebuilt(h->db);
  free_history(h);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_open_does_not_rebuild), cmocka_unit_test(test_new_database_complete),
    cmocka_unit_test(test_steps_equal_one_shot),  cmocka_unit_test(test_writes_between_steps),
    cmocka_unit_test(test_allocation_failures),   cmocka_unit_test(test_killed_mid_rebuild),
    cmocka_unit_test(test_offset_change),         cmocka_unit_test(test_bad_arguments),
  };
  return cmocka_run_group_tests_name("stats_rebuild", tests, NULL, NULL);
}
