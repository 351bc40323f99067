/* Locks of concurrent writers on PostgreSQL (docs/decisions.md,
 * "Concurrent writers on PostgreSQL"): a record waits for another
 * connection that holds one of its people's participation, a record
 * PostgreSQL picks as a deadlock's victim runs again inside the library
 * and succeeds (an HR sync too), and a hazard's move waits for another host's move of the
 * same hazard and then sees it.  Another process plays the other host, with the driver
 * and the same advisory locks the store takes.  Run under
 * scripts/with-postgres. */
#include "helpers.h"
#include "pg_helpers.h"
#include "store/driver.h"
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now;
static char target[160];

/* The year the store keys a participation lock by (UTC+8). */
#define YEAR 2024

/* The store's participation lock of a person (YEAR), or a person's row. */
#define PARTICIPATION "SELECT pg_advisory_xact_lock(2024, %lld)"
#define EMPLOYEE_ROW "SELECT 1 FROM employees WHERE id = %lld FOR UPDATE"

/* The other host: take lock @p lock (a format of one %lld) of @p first,
 * tell the parent through @p ready, wait @p pause_ms, then take @p second's
 * (0: none), and commit. */
static void other_host(int ready, const char *lock, int64_t first, int64_t second,
                       int pause_ms)
{
  drv_conn *c = NULL;
  const drv_options o = { false, false, 10000 };
  char sql[160];
  int rc = drv_open(&c, target, &o);
  if (!rc)
    rc = drv_begin(c, true);
  snprintf(sql, sizeof(sql), lock, (long long)first);
  if (!rc)
    rc = drv_exec(c, sql, "locking");
  if (write(ready, "x", 1) != 1)
    rc = -1;
  struct timespec pause = { pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L };
  nanosleep(&pause, NULL);
  snprintf(sql, sizeof(sql), lock, (long long)second);
  if (!rc && second)
    rc = drv_exec(c, sql, "locking");
  if (!rc)
    rc = drv_exec(c, "COMMIT", "committing");
  if (rc)
    fprintf(stderr, "other host: %s\n", cbc_error_last()->message);
  drv_close(c);
  _exit(rc ? 1 : 0);
}

/* How long the other host holds its first lock before asking for the
 * second: the call under test must be waiting by then, so that it waited
 * first and is the deadlock's victim.  300 ms was too short on a loaded
 * machine (the other host became the victim). */
#define PAUSE_BEFORE_CYCLE_MS 1000

/* Start the other host and wait until it holds its first lock. */
static pid_t start_other_host(const char *lock, int64_t first, int64_t second, int pause_ms)
{
  int fds[2];
  char x;
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    other_host(fds[1], lock, first, second, pause_ms);
  }
  close(fds[1]);
  assert_int_equal(read(fds[0], &x, 1), 1);
  close(fds[0]);
  return pid;
}

static void other_host_done(pid_t pid)
{
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static cbc_db *fresh_db(void)
{
  assert_int_equal(cbc_test_pg_fresh("locks", target, sizeof(target)), 0);
  now = cbc_test_date(YEAR, 6, 1);
  cbc_db *db = cbc_test_db_file(target, &now);
  cbc_test_seed_org(db);
  return db;
}

/* The deadlocks the server has counted in this database (this backend's
 * own counts flushed first). */
static int64_t deadlocks(cbc_db *db)
{
  cbc_test_sql_int(db, "SELECT 0 FROM pg_stat_force_next_flush()");
  return cbc_test_sql_int(db, "SELECT deadlocks FROM pg_stat_database"
                              " WHERE datname = current_database()");
}

/* A training of A1 and A2 at T1, the day before the clock. */
static int train(cbc_db *db, int64_t *id)
{
  cbc_attendee att[] = { { cbc_test_employee_id(db, "A2"), 1 },
                         { cbc_test_employee_id(db, "A1"), 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.held_at = now - 86400;
  r.minutes = 60;
  r.title = "班前会";
  r.attendees = att;
  r.n_attendees = 2;
  return cbc_training_add(id, db, &r);
}

static void assert_trained(cbc_db *db, int64_t id)
{
  cbc_training *t;
  assert_cbc_ok(cbc_training_lookup(&t, db, id));
  assert_int_equal(t->n_attendees, 2);
  cbc_training_free(t);
}

/* Another host holds A2's participation for 1.5 s: the record waits for
 * it, then counts. */
static void test_record_waits_for_another_host(void **state)
{
  (void)state;
  cbc_db *db = fresh_db();
  pid_t other = start_other_host(PARTICIPATION, cbc_test_employee_id(db, "A2"), 0, 1500);
  int64_t id = 0;
  assert_cbc_ok(train(db, &id));
  other_host_done(other);
  assert_trained(db, id);
  cbc_db_close(db);
}

/* Another host holds A2's participation, then asks for A1's, which the
 * record (locking A1 before A2) holds: PostgreSQL breaks the deadlock by
 * failing the record, which waited first; the record runs again once the
 * other host is through, and succeeds. */
static void test_deadlock_victim_runs_again(void **state)
{
  (void)state;
  cbc_db *db = fresh_db();
  pid_t other = start_other_host(PARTICIPATION, cbc_test_employee_id(db, "A2"),
                                 cbc_test_employee_id(db, "A1"), PAUSE_BEFORE_CYCLE_MS);
  int64_t id = 0;
  assert_cbc_ok(train(db, &id));
  other_host_done(other);
  assert_int_equal(deadlocks(db), 1);
  assert_trained(db, id);
  cbc_db_close(db);
}

/* An HR sync renaming A1, then A2, while another host holds A2's row and
 * then asks for A1's: the sync, which waited first, is the deadlock's
 * victim (the server counts one deadlock); it runs again inside the
 * library once the other host is through, and both names change. */
static void test_sync_deadlock_victim_runs_again(void **state)
{
  (void)state;
  cbc_db *db = fresh_db();
  int64_t a1 = cbc_test_employee_id(db, "A1"), a2 = cbc_test_employee_id(db, "A2");
  cbc_employee_record e[] = {
    { 1, "A1", "王芳", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
    { 1, "A2", "张伟", "crane operator", "T1", CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP, 1, 0 },
  };
  pid_t other = start_other_host(EMPLOYEE_ROW, a2, a1, PAUSE_BEFORE_CYCLE_MS);
  cbc_sync_result *res = NULL;
  assert_cbc_ok(cbc_org_sync(&res, db, NULL, 0, e, 2, NULL));
  assert_int_equal(res->error_count, 0);
  cbc_sync_result_free(res);
  other_host_done(other);
  assert_int_equal(deadlocks(db), 1);
  cbc_employee *got;
  assert_cbc_ok(cbc_employee_lookup(&got, db, a1));
  assert_string_equal(got->name, "王芳");
  cbc_employee_free(got);
  assert_cbc_ok(cbc_employee_lookup(&got, db, a2));
  assert_string_equal(got->name, "张伟");
  cbc_employee_free(got);
  cbc_db_close(db);
}

/* Another host holds the statistics' lock exclusively (a rebuild's step)
 * past this handle's busy timeout: a report is CBC_EBUSY and leaves no
 * transaction behind; once the host is through, the same report succeeds. */
static void test_write_waits_for_a_rebuild_step(void **state)
{
  (void)state;
  cbc_db *seeded = fresh_db();
  cbc_db_close(seeded); /* the other host's process inherits no handle */
  pid_t other = start_other_host("SELECT pg_advisory_xact_lock(0, %lld)", 2, 0, 1500);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.busy_timeout_ms = 200;
  cbc_db *db = NULL;
  assert_cbc_ok(cbc_db_open(&db, target, &o));
  cbc_hazard_record r = cbc_test_record(db, "A1", "T1", CBC_SEVERITY_GENERAL, "配电箱门未关");
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &r), CBC_EBUSY, NULL);
  assert_false(cbc_db_in_group(db));
  other_host_done(other);
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM hazards"), 1);
  cbc_db_close(db);
}

/* A hazard reported by A1 at T1, and its team-level registration. */
static int64_t report(cbc_db *db)
{
  cbc_hazard_record r = cbc_test_record(db, "A1", "T1", CBC_SEVERITY_GENERAL, "配电箱门未关");
  r.description = "门锁损坏";
  r.location = "二车间";
  r.observed_at = now - 3600;
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  return id;
}

/* Another host registers the hazard in a group it keeps open for 1.5 s;
 * the same registration here waits for its commit, then finds the hazard
 * registered (CBC_ESTATE), and the history holds one registration.
 * Without the move's row lock both read "reported" and both register. */
static void test_move_waits_for_another_hosts_move(void **state)
{
  (void)state;
  cbc_db *db = fresh_db();
  int64_t id = report(db), leader = cbc_test_employee_id(db, "L1");
  cbc_hazard_registration g = cbc_test_team_registration(now + 86400);
  cbc_db_close(db); /* the other host's process inherits no handle */
  int fds[2];
  char x;
  assert_int_equal(pipe(fds), 0);
  pid_t other = fork();
  assert_true(other >= 0);
  if (other == 0) { /* the other host: a handle of its own */
    close(fds[0]);
    cbc_db_options o = CBC_DB_OPTIONS_INIT;
    o.clock = cbc_test_clock;
    o.clock_payload = &now;
    cbc_db *mine = NULL;
    int rc = cbc_db_open(&mine, target, &o);
    if (!rc)
      rc = cbc_db_begin(mine);
    if (!rc)
      rc = cbc_hazard_register(mine, id, leader, &g);
    if (write(fds[1], "x", 1) != 1)
      rc = -1;
    struct timespec pause = { 1, 500000000L };
    nanosleep(&pause, NULL);
    if (!rc)
      rc = cbc_db_commit(mine);
    cbc_db_close(mine);
    _exit(rc ? 1 : 0);
  }
  close(fds[1]);
  assert_int_equal(read(fds[0], &x, 1), 1);
  close(fds[0]);
  db = cbc_test_db_file(target, &now);
  assert_cbc_error(cbc_hazard_register(db, id, leader, &g), CBC_ESTATE, NULL);
  other_host_done(other);
  assert_int_equal(cbc_test_assert_replay(db, id), 2); /* reported, registered */
  cbc_db_close(db);
}

int main(void)
{
  if (!cbc_test_pg_available("test_pg_locks"))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_record_waits_for_another_host),
    cmocka_unit_test(test_deadlock_victim_runs_again),
    cmocka_unit_test(test_sync_deadlock_victim_runs_again),
    cmocka_unit_test(test_write_waits_for_a_rebuild_step),
    cmocka_unit_test(test_move_waits_for_another_hosts_move),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  cbc_test_pg_drop("locks");
  return failed;
}
