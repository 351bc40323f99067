/* The overdue sweep in batches (include/cbc/hazard.h cbc_hazard_sweep(),
 * docs/ledger.md "The overdue sweep"): each batch its own transaction that
 * other connections can write between; the same events as one transaction;
 * at most one escalation per hazard and lapse (a deadline corrected to
 * another past date is the same lapse; one approved to a later date is a
 * new one once it passes, also in a file upgraded from schema 12), so a
 * sweep stopped after some batches — by its callback, a failed allocation
 * or a killed process — and run again escalates every overdue hazard
 * exactly once; a stop asked for after the last batch is no error; bad arguments
 * change nothing; a read-only handle finds but does not escalate. */
#include "helpers.h"
#include "db_internal.h"
#include "hazard_internal.h"
#include "store/store_internal.h"
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now = 1700000000;
static const int64_t DAY = 86400;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

/* N_HAZARDS hazards, every third of them in a state or level the sweep
 * leaves alone: waiting for verification, or at ENTERPRISE.  All are
 * overdue a week from now; the rest are escalated, TEAM -> WORKSHOP. */
#define N_HAZARDS 15
static void make_hazards(cbc_db *db, size_t n)
{
  int64_t leader = E(db, "L1"), principal = E(db, "P1");
  for (size_t i = 0; i < n; i++) {
    int64_t id = cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "防护栏松动");
    cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
    r.severity = CBC_SEVERITY_GENERAL;
    r.level = i % 3 == 2 ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM;
    r.measures = "紧固护栏螺栓";
    r.deadline = now + 7 * DAY;
    r.contingency_plan = "设置警示带";
    assert_cbc_ok(cbc_hazard_register(db, id, i % 3 == 2 ? principal : leader, &r));
    if (i % 3 == 1) {
      assert_cbc_ok(cbc_hazard_start(db, id, leader));
      if (i % 6 == 1)
        assert_cbc_ok(cbc_hazard_submit(db, id, leader, "done", NULL, 0));
    }
  }
}

/* How many hazards the sweep should escalate among make_hazards(n)'s. */
static size_t movable_of(size_t n)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    m += i % 3 == 0 || (i % 3 == 1 && i % 6 != 1);
  return m;
}

static int64_t count_sql(cbc_db *db, const char *sql) { return cbc_test_sql_int(db, sql); }

static int64_t overdue_events(cbc_db *db)
{
  return count_sql(db, "SELECT count(*) FROM hazard_events WHERE action = 13");
}

/* Every hazard has at most one overdue escalation, each movable one exactly
 * one, at WORKSHOP now; and every history replays to its row. */
static void assert_escalated_once(cbc_db *db, size_t n)
{
  assert_int_equal(count_sql(db, "SELECT count(*) FROM (SELECT hazard_id FROM hazard_events"
                                 " WHERE action = 13 GROUP BY hazard_id HAVING count(*) > 1) d"),
                   0);
  assert_int_equal(overdue_events(db), movable_of(n));
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events e JOIN hazards h"
                                 " ON h.id = e.hazard_id WHERE e.action = 13 AND"
                                 " (h.level != 3 OR e.level != 3 OR e.actor_id != 0)"),
                   0);
  for (int64_t id = 1; id <= (int64_t)n; id++)
    cbc_test_assert_replay(db, id);
}

typedef struct progress_log {
  int calls;
  size_t last_done, last_escalated;
  int stop_after;      /* > 0: return 42 from that call */
  int kill_after;      /* > 0: SIGKILL the process at that call */
  cbc_db *other;       /* a second connection that writes at each call */
  int other_writes;
} progress_log;

static int on_progress(const cbc_sweep_progress *p, void *payload)
{
  progress_log *log = payload;
  log->calls++;
  assert_true(p->done > log->last_done);
  assert_true(p->done <= p->found);
  assert_true(p->escalated >= log->last_escalated);
  log->last_done = p->done;
  log->last_escalated = p->escalated;
  if (log->other) { /* no busy wait: this succeeds only if the batch has committed */
    int64_t id;
    char *key;
    cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
    r.reporter_id = E(log->other, "B1");
    r.unit_id = cbc_test_unit_id(log->other, "T2");
    r.title = r.description = r.location = "楼梯扶手松动";
    r.kind = CBC_HAZARD_HARD;
    r.category = CBC_CATEGORY_SAFETY;
    r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
    r.source = CBC_SOURCE_SELF_CHECK;
    r.observed_at = now;
    r.proposed_severity = CBC_SEVERITY_GENERAL;
    assert_cbc_ok(cbc_hazard_report(&id, &key, log->other, &r));
    cbc_free(key);
    log->other_writes++;
  }
  if (log->kill_after && log->calls == log->kill_after)
    kill(getpid(), SIGKILL);
  return log->stop_after && log->calls == log->stop_after ? 42 : 0;
}

static int sweep(cbc_db *db, size_t batch, progress_log *log, size_t *escalated)
{
  cbc_sweep_options o;
  assert_cbc_ok(cbc_sweep_options_init(&o, CBC_SWEEP_OPTIONS_VERSION));
  o.at = now + 8 * DAY;
  o.flags = CBC_SWEEP_ESCALATE;
  o.batch = batch;
  o.progress = log ? on_progress : NULL;
  o.payload = log;
  int64_t *ids = NULL;
  size_t count = 0;
  int rc = cbc_hazard_sweep(&ids, &count, escalated, db, &o);
  for (size_t i = 1; i < count; i++)
    assert_true(ids[i - 1] < ids[i]); /* by id */
  cbc_free(ids);
  return rc;
}

/* Every history as text, every field of every event (through the public
 * call, whatever the stored form), for comparing two databases. */
static char *histories(cbc_db *db, size_t n_hazards)
{
  size_t len = 0, cap = 1 << 16;
  char *out = malloc(cap);
  assert_non_null(out);
  for (int64_t id = 1; id <= (int64_t)n_hazards; id++) {
    cbc_hazard_event *ev;
    size_t n;
    assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
    for (size_t i = 0; i < n; i++) {
      char line[2048];
      int k = snprintf(line, sizeof(line), "%lld %lld %lld %lld %d %d %d %d %s\n",
                       (long long)ev[i].id, (long long)ev[i].hazard_id, (long long)ev[i].at,
                       (long long)ev[i].actor_id, (int)ev[i].action, (int)ev[i].from_state,
                       (int)ev[i].to_state, (int)ev[i].level, ev[i].data);
      assert_true(k > 0 && (size_t)k < sizeof(line));
      if (ev[i].action == CBC_ACTION_ESCALATE_OVERDUE)
        assert_non_null(strstr(ev[i].data, "\"reason\":\"overdue\""));
      while (len + (size_t)k + 1 > cap) {
        cap *= 2;
        out = realloc(out, cap);
        assert_non_null(out);
      }
      memcpy(out + len, line, (size_t)k);
      len += (size_t)k;
    }
    cbc_hazard_events_free(ev, n);
  }
  out[len] = '\0';
  return out;
}

static cbc_db *fresh(void)
{
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  return db;
}

/* One batch (the one-transaction sweep of 1.1) and batches of 1, 2 and 4
 * write the same events: actor 0, reason "overdue", one level up. */
static void test_batches_write_the_same_events(void **state)
{
  (void)state;
  cbc_db *one = fresh();
  size_t escalated;
  int64_t *ids;
  size_t n;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, one, now + 8 * DAY, 0));
  assert_int_equal(n, N_HAZARDS); /* all found, whatever their state or level */
  cbc_free(ids);
  assert_cbc_ok(sweep(one, N_HAZARDS, NULL, &escalated));
  assert_int_equal(escalated, movable_of(N_HAZARDS));
  assert_escalated_once(one, N_HAZARDS);
  char *expected = histories(one, N_HAZARDS); /* also: reason "overdue" */
  const size_t batches[] = { 1, 2, 4 };
  for (size_t i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
    cbc_db *db = fresh();
    progress_log log = { 0 };
    assert_cbc_ok(sweep(db, batches[i], &log, &escalated));
    assert_int_equal(log.calls, (N_HAZARDS + batches[i] - 1) / batches[i]);
    assert_int_equal(log.last_done, N_HAZARDS);
    assert_int_equal(log.last_escalated, escalated);
    assert_int_equal(escalated, movable_of(N_HAZARDS));
    char *got = histories(db, N_HAZARDS);
    assert_string_equal(got, expected);
    free(got);
    cbc_db_close(db);
  }
  free(expected);
  cbc_db_close(one);
}

/* A second sweep of the same lapse escalates nothing; a new deadline that
 * lapses too makes the hazard eligible once more. */
static void test_once_per_deadline(void **state)
{
  (void)state;
  cbc_db *db = fresh();
  size_t escalated;
  assert_cbc_ok(sweep(db, 4, NULL, &escalated));
  assert_int_equal(escalated, movable_of(N_HAZARDS));
  assert_cbc_ok(sweep(db, 4, NULL, &escalated));
  assert_int_equal(escalated, 0);
  int64_t *ids;
  size_t n;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, db, now + 8 * DAY, CBC_SWEEP_ESCALATE));
  assert_int_equal(n, N_HAZARDS); /* still found: they are still overdue */
  cbc_free(ids);
  assert_escalated_once(db, N_HAZARDS);
  /* hazard 1 (WORKSHOP now) gets a later deadline, which lapses too */
  assert_cbc_ok(cbc_hazard_request_extension(db, 1, E(db, "L1"), now + 9 * DAY, "待备件"));
  assert_cbc_ok(cbc_hazard_decide_extension(db, 1, E(db, "P1"), 1, NULL));
  assert_cbc_ok(sweep(db, 4, NULL, &escalated));
  assert_int_equal(escalated, 0); /* not overdue at now + 8 days any more */
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = now + 10 * DAY;
  o.flags = CBC_SWEEP_ESCALATE;
  assert_cbc_ok(cbc_hazard_sweep(&ids, &n, &escalated, db, &o));
  cbc_free(ids);
  assert_int_equal(escalated, 1);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, 1));
  assert_int_equal(h->level, CBC_LEVEL_ENTERPRISE);
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, 1);
  cbc_db_close(db);
}

/* The callback's non-zero return stops the sweep after its batch: what was
 * committed stays, the rerun does the rest, nobody twice. */
static void test_stopped_sweep_resumes(void **state)
{
  (void)state;
  cbc_db *db = fresh();
  progress_log log = { 0 };
  log.stop_after = 2;
  size_t escalated;
  assert_cbc_error(sweep(db, 3, &log, &escalated), 42, "progress callback");
  assert_int_equal(log.calls, 2);
  assert_int_equal(escalated, log.last_escalated);
  assert_int_equal(overdue_events(db), escalated);
  assert_true(escalated > 0 && escalated < movable_of(N_HAZARDS));
  size_t rest;
  assert_cbc_ok(sweep(db, 3, NULL, &rest));
  assert_int_equal(escalated + rest, movable_of(N_HAZARDS));
  assert_escalated_once(db, N_HAZARDS);
  cbc_db_close(db);
}

/* Every allocation of an escalating sweep fails once, in a scenario of its
 * own: the batches before the failure stay, the failing one is rolled back
 * whole, and the rerun escalates every overdue hazard exactly once. */
static void test_failed_sweep_resumes(void **state)
{
  (void)state;
  cbc_test_alloc_install(1);
  cbc_db *db = fresh();
  long before = cbc_test_alloc_count();
  assert_cbc_ok(sweep(db, 2, NULL, NULL));
  long total = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  long stride = cbc_test_sweep_stride(total), points = 0, partial = 0;
  for (long k = 1; k <= total; k += stride) {
    cbc_test_alloc_install(1);
    db = fresh();
    cbc_test_fail_after(k);
    size_t escalated = 0, rest = 0;
    int rc = sweep(db, 2, NULL, &escalated);
    cbc_test_fail_after(0);
    if (rc)
      assert_non_null(cbc_error_last()->message);
    assert_int_equal(overdue_events(db), escalated); /* what it says it committed */
    partial += rc && escalated > 0;
    assert_cbc_ok(sweep(db, 2, NULL, &rest));
    assert_int_equal(escalated + rest, movable_of(N_HAZARDS));
    assert_escalated_once(db, N_HAZARDS);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    points++;
  }
  print_message("%ld allocations in the sweep; %ld failure points, %ld after some batches\n",
                total, points, partial);
  assert_true(partial > 0);
}

/* A child process sweeping a file is killed after 3 batches; the rerun in
 * the parent finishes the job. */
static void test_killed_sweep_resumes(void **state)
{
  (void)state;
  const char *path = cbc_test_path("killed.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  cbc_db_close(db);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    cbc_db *mine = cbc_test_db_file(path, &now);
    progress_log log = { 0 };
    log.kill_after = 3;
    sweep(mine, 2, &log, NULL);
    _exit(0); /* not reached */
  }
  int status;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  db = cbc_test_db_file(path, &now);
  int64_t done = overdue_events(db);
  assert_true(done > 0 && done < (int64_t)movable_of(N_HAZARDS));
  size_t rest;
  assert_cbc_ok(sweep(db, 2, NULL, &rest));
  assert_int_equal((size_t)done + rest, movable_of(N_HAZARDS));
  assert_escalated_once(db, N_HAZARDS);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Between batches the write lock is free: a second connection that does not
 * wait at all writes at every batch's end. */
static void test_other_connection_writes_between_batches(void **state)
{
  (void)state;
  const char *path = cbc_test_path("between.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.clock = cbc_test_clock;
  opts.clock_payload = &now;
  opts.busy_timeout_ms = 0;
  progress_log log = { 0 };
  assert_cbc_ok(cbc_db_open(&log.other, path, &opts));
  assert_cbc_ok(sweep(db, 4, &log, NULL));
  assert_int_equal(log.other_writes, (N_HAZARDS + 3) / 4);
  assert_escalated_once(db, N_HAZARDS);
  cbc_db_close(log.other);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

static int64_t monotonic_us(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* A writer in another process reporting hazards all through a long sweep:
 * its writes go through while the sweep runs, none waiting anywhere near
 * the whole sweep.  The child reports its longest wait and how many writes
 * ended inside the sweep's time span (the monotonic clock is the
 * machine's). */
typedef struct writer_report {
  int64_t longest_us;
  int during;
} writer_report;

static void writer_child(const char *path, int stop_fd, int result_fd)
{
  static int64_t starts[100000], ended[100000];
  int n = 0;
  int64_t span[2] = { 0, 0 };
  cbc_db *db = cbc_test_db_file(path, &now);
  int64_t reporter = E(db, "B1"), unit = cbc_test_unit_id(db, "T2");
  writer_report rep;
  memset(&rep, 0, sizeof(rep)); /* the padding is written too */
  while (n < 100000) {
    struct timespec pause = { 0, 2000000 };
    nanosleep(&pause, NULL);
    cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
    r.reporter_id = reporter;
    r.unit_id = unit;
    r.title = r.description = r.location = "楼梯扶手松动";
    r.kind = CBC_HAZARD_HARD;
    r.category = CBC_CATEGORY_SAFETY;
    r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
    r.source = CBC_SOURCE_SELF_CHECK;
    r.observed_at = now;
    r.proposed_severity = CBC_SEVERITY_GENERAL;
    int64_t id;
    char *key;
    starts[n] = monotonic_us();
    if (cbc_hazard_report(&id, &key, db, &r) != 0)
      _exit(3);
    cbc_free(key);
    ended[n] = monotonic_us();
    n++;
    if (read(stop_fd, span, sizeof(span)) == (ssize_t)sizeof(span))
      break;
  }
  for (int i = 0; i < n; i++) {
    if (ended[i] > span[0] && starts[i] < span[1]) {
      rep.during += ended[i] <= span[1];
      if (ended[i] - starts[i] > rep.longest_us)
        rep.longest_us = ended[i] - starts[i];
    }
  }
  cbc_db_close(db);
  if (write(result_fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
    _exit(4);
  _exit(0);
}

static void test_concurrent_writer_is_not_blocked(void **state)
{
  (void)state;
  const char *path = cbc_test_path("writer.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  assert_cbc_ok(cbc_db_begin(db));
  make_hazards(db, 600);
  assert_cbc_ok(cbc_db_commit(db));
  cbc_db_close(db); /* no handle crosses the fork */
  int stop[2], result[2];
  assert_int_equal(pipe(stop), 0);
  assert_int_equal(pipe(result), 0);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    close(stop[1]);
    close(result[0]);
    fcntl(stop[0], F_SETFL, O_NONBLOCK);
    writer_child(path, stop[0], result[1]);
  }
  close(stop[0]);
  close(result[1]);
  db = cbc_test_db_file(path, &now);
  struct timespec warm = { 0, 50000000 };
  nanosleep(&warm, NULL);
  int64_t span[2];
  span[0] = monotonic_us();
  int64_t *ids;
  size_t n, escalated;
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = now + 8 * DAY;
  o.flags = CBC_SWEEP_ESCALATE;
  o.batch = 25;
  assert_cbc_ok(cbc_hazard_sweep(&ids, &n, &escalated, db, &o));
  span[1] = monotonic_us();
  cbc_free(ids);
  assert_int_equal(escalated, movable_of(600));
  assert_int_equal(write(stop[1], span, sizeof(span)), (ssize_t)sizeof(span));
  writer_report rep;
  assert_int_equal(read(result[0], &rep, sizeof(rep)), (ssize_t)sizeof(rep));
  int status;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  close(stop[1]);
  close(result[0]);
  print_message("sweep of %zu escalations: %lld ms; the writer: %d writes during it, the "
                "longest %lld ms\n", escalated, (long long)(span[1] - span[0]) / 1000,
                rep.during, (long long)rep.longest_us / 1000);
  assert_true(rep.during >= 2);
  assert_true(rep.longest_us < span[1] - span[0]); /* never blocked for the whole sweep */
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Bad arguments are refused and write nothing; a read-only handle finds the
 * overdue hazards but may not escalate them. */
static void test_bad_arguments_change_nothing(void **state)
{
  (void)state;
  const char *path = cbc_test_path("bad.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  int64_t events = count_sql(db, "SELECT count(*) FROM hazard_events");
  int64_t *ids = (int64_t *)&events;
  size_t n = 7, escalated = 7;
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.flags = CBC_SWEEP_ESCALATE;
  o.at = now + 8 * DAY;
  assert_cbc_error(cbc_hazard_sweep(NULL, &n, &escalated, db, &o), CBC_EINVAL, "out");
  assert_int_equal(escalated, 0);
  assert_cbc_error(cbc_hazard_sweep(&ids, NULL, NULL, db, &o), CBC_EINVAL, "count");
  assert_null(ids);
  assert_cbc_error(cbc_hazard_sweep(&ids, &n, NULL, NULL, &o), CBC_EINVAL, NULL);
  assert_int_equal(n, 0);
  const unsigned int versions[] = { 0, CBC_SWEEP_OPTIONS_VERSION + 1 };
  for (size_t i = 0; i < 2; i++) {
    o.version = versions[i];
    assert_cbc_error(cbc_hazard_sweep(&ids, &n, NULL, db, &o), CBC_EINVAL, "version");
    assert_cbc_error(cbc_sweep_options_init(&o, versions[i]), CBC_EINVAL, "version");
  }
  assert_cbc_error(cbc_sweep_options_init(NULL, CBC_SWEEP_OPTIONS_VERSION), CBC_EINVAL, NULL);
  o.version = CBC_SWEEP_OPTIONS_VERSION;
  o.flags = CBC_SWEEP_ESCALATE | 4;
  assert_cbc_error(cbc_hazard_sweep(&ids, &n, NULL, db, &o), CBC_EINVAL, "flags");
  o.flags = CBC_SWEEP_ESCALATE;
  const int64_t bad_times[] = { -1, INT64_MIN, CBC_TIME_MAX + 1 };
  for (size_t i = 0; i < 3; i++) {
    o.at = bad_times[i];
    assert_cbc_error(cbc_hazard_sweep(&ids, &n, NULL, db, &o), CBC_EINVAL, "time");
  }
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events"), events);
  cbc_db_close(db);
  cbc_db_options ro = CBC_DB_OPTIONS_INIT;
  ro.flags = CBC_DB_READONLY;
  ro.clock = cbc_test_clock;
  ro.clock_payload = &now;
  assert_cbc_ok(cbc_db_open(&db, path, &ro));
  o.at = now + 8 * DAY;
  assert_cbc_error(cbc_hazard_sweep(&ids, &n, &escalated, db, &o), CBC_EPERM, NULL);
  assert_null(ids);
  assert_int_equal(escalated, 0);
  o.flags = 0;
  assert_cbc_ok(cbc_hazard_sweep(&ids, &n, &escalated, db, &o));
  assert_int_equal(n, N_HAZARDS);
  assert_int_equal(escalated, 0);
  cbc_free(ids);
  assert_cbc_ok(cbc_hazard_sweep(&ids, &n, NULL, db, NULL)); /* defaults: at now, none */
  assert_int_equal(n, 0);
  assert_null(ids);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events"), events);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* An escalating sweep at @p at (0: the handle's clock); how many it escalated. */
static size_t sweep_at(cbc_db *db, int64_t at)
{
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = at;
  o.flags = CBC_SWEEP_ESCALATE;
  int64_t *ids;
  size_t n, escalated;
  assert_cbc_ok(cbc_hazard_sweep(&ids, &n, &escalated, db, &o));
  cbc_free(ids);
  return escalated;
}

static int64_t responsible_of(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  int64_t r = h->responsible_id;
  cbc_hazard_free(h);
  return r;
}

static void amend_deadline(cbc_db *db, int64_t id, int64_t deadline)
{
  cbc_hazard_amendment a = CBC_HAZARD_AMENDMENT_INIT;
  a.fields = CBC_AMEND_DEADLINE;
  a.deadline = deadline;
  a.reason = "笔误";
  assert_cbc_ok(cbc_hazard_amend(db, id, E(db, "P1"), &a));
}

static void extend(cbc_db *db, int64_t id, int64_t until, int approve)
{
  assert_cbc_ok(cbc_hazard_request_extension(db, id, responsible_of(db, id), until, "待备件"));
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, E(db, "P1"), approve, approve ? NULL : "不准"));
}

/* A lapsed deadline corrected to another lapsed one is the same lapse: the
 * sweep that follows, the same day, escalates nothing.  Corrected to a date
 * still ahead of the last escalation, it is a new lapse once that passes. */
static void test_deadline_corrected_to_past(void **state)
{
  (void)state;
  cbc_db *db = fresh();
  int64_t t0 = now;
  assert_int_equal(sweep_at(db, t0 + 10 * DAY), movable_of(N_HAZARDS));
  now += 10 * DAY;
  amend_deadline(db, 1, t0 + 6 * DAY); /* a day earlier: lapsed all the same */
  amend_deadline(db, 4, t0 + 9 * DAY); /* later, but lapsed before that sweep */
  assert_int_equal(sweep_at(db, 0), 0);
  amend_deadline(db, 4, t0 + 11 * DAY); /* ahead of the escalation made at +10 */
  assert_int_equal(sweep_at(db, 0), 0);
  now += 2 * DAY;
  assert_int_equal(sweep_at(db, 0), 1);
  assert_int_equal(sweep_at(db, 0), 0);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events WHERE action = 13"
                                 " AND hazard_id = 4"), 2);
  cbc_test_assert_replay(db, 1);
  cbc_test_assert_replay(db, 4);
  now = t0;
  cbc_db_close(db);
}

/* A stop asked for by the callback after the last batch stops nothing: the
 * sweep is complete and returns 0. */
static void test_stop_after_last_batch(void **state)
{
  (void)state;
  cbc_db *db = fresh();
  progress_log log = { 0 };
  log.stop_after = 3; /* batches of 5: the third is the last */
  size_t escalated;
  assert_cbc_ok(sweep(db, 5, &log, &escalated));
  assert_int_equal(log.calls, 3);
  assert_int_equal(escalated, movable_of(N_HAZARDS));
  assert_escalated_once(db, N_HAZARDS);
  cbc_db_close(db);
}

/* From a version 12 file: a hazard an earlier libcbc escalated for being
 * overdue is marked and not escalated again for its deadline — also when
 * that sweep judged by a time ahead of its clock, as here (its event bears
 * the clock's time, before the deadline). */
static void test_migration_from_v12(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v12.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  assert_cbc_ok(sweep(db, 0, NULL, NULL));
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "DROP TABLE overdue_escalations; PRAGMA user_version = 12",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM overdue_escalations"),
                   movable_of(N_HAZARDS));
  size_t escalated;
  assert_cbc_ok(sweep(db, 0, NULL, &escalated));
  assert_int_equal(escalated, 0);
  assert_escalated_once(db, N_HAZARDS);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Closes @p db and makes its file a version 12 one: no marks, and every
 * event's data back to JSON text (as cbc_hazard_history() gives it), as
 * libcbc before step 13 -> 14 stored it. */
static void downgrade_to_v12(cbc_db *db, const char *path, size_t n_hazards)
{
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "DROP TABLE overdue_escalations;"
                                     " DROP TRIGGER hazard_events_append_only_u;"
                                     " PRAGMA user_version = 12", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "UPDATE hazard_events SET data = ?1 WHERE id = ?2",
                                      -1, &s, NULL),
                   SQLITE_OK);
  for (int64_t id = 1; id <= (int64_t)n_hazards; id++) {
    cbc_hazard_event *ev;
    size_t n;
    assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
    for (size_t i = 0; i < n; i++) {
      sqlite3_bind_text(s, 1, ev[i].data, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 2, ev[i].id);
      assert_int_equal(sqlite3_step(s), SQLITE_DONE);
      sqlite3_reset(s);
    }
    cbc_hazard_events_free(ev, n);
  }
  sqlite3_finalize(s);
  cbc_db_close(db);
  sqlite3_close(raw);
}

/* From a version 12 file where an earlier libcbc escalated hazards and they
 * moved afterwards: started, an extension refused, submitted and failed at
 * verification, the deadline corrected to another past date.  The upgrade
 * marks them all; the next sweep escalates none of them again.  One whose
 * extension was approved to a later date is escalated once that lapses. */
static void test_migration_from_v12_moved_since(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v12m.db");
  cbc_test_unlink(path);
  int64_t t0 = now;
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  make_hazards(db, N_HAZARDS);
  now += 8 * DAY;
  assert_int_equal(sweep_at(db, 0), movable_of(N_HAZARDS));
  int64_t r7 = responsible_of(db, 7);
  assert_cbc_ok(cbc_hazard_start(db, 1, responsible_of(db, 1)));
  extend(db, 4, now + 30 * DAY, 0);
  assert_cbc_ok(cbc_hazard_start(db, 7, r7));
  assert_cbc_ok(cbc_hazard_submit(db, 7, r7, "done", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, 7, E(db, "P1"), 0, "螺栓仍松动", NULL, 0));
  amend_deadline(db, 10, t0 + 6 * DAY);
  extend(db, 13, now + DAY, 1);
  downgrade_to_v12(db, path, N_HAZARDS);
  db = cbc_test_db_file(path, &now);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM overdue_escalations"),
                   movable_of(N_HAZARDS));
  assert_int_equal(sweep_at(db, 0), 0);
  now += 2 * DAY; /* hazard 13's extension lapses */
  assert_int_equal(sweep_at(db, 0), 1);
  assert_int_equal(sweep_at(db, 0), 0);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events WHERE action = 13"),
                   movable_of(N_HAZARDS) + 1);
  assert_int_equal(count_sql(db, "SELECT count(*) FROM hazard_events WHERE action = 13"
                                 " AND hazard_id = 13"), 2);
  for (int64_t id = 1; id <= N_HAZARDS; id++)
    cbc_test_assert_replay(db, id);
  cbc_db_close(db);
  cbc_test_unlink(path);
  now = t0;
}

static int compare_ids(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The finding's sort (a radix sort over as many digits as the largest id
 * has) agrees with qsort: small and large arrays, ids of every magnitude,
 * duplicates. */
static void test_sort_ids(void **state)
{
  (void)state;
  static int64_t ids[5000], expected[5000];
  uint64_t x = 88172645463325252u;
  const size_t sizes[] = { 0, 1, 2, 64, 65, 1000, 5000 };
  const int bits[] = { 4, 11, 12, 22, 23, 40, 62 };
  for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
    for (size_t b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
      for (size_t i = 0; i < sizes[s]; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        ids[i] = expected[i] = (int64_t)(x >> (64 - bits[b])) + 1;
      }
      qsort(expected, sizes[s], sizeof(int64_t), compare_ids);
      cbc__sort_ids(ids, sizes[s]);
      if (sizes[s])
        assert_memory_equal(ids, expected, sizes[s] * sizeof(int64_t));
    }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_batches_write_the_same_events),
    cmocka_unit_test(test_once_per_deadline),
    cmocka_unit_test(test_stopped_sweep_resumes),
    cmocka_unit_test(test_failed_sweep_resumes),
    cmocka_unit_test(test_killed_sweep_resumes),
    cmocka_unit_test(test_other_connection_writes_between_batches),
    cmocka_unit_test(test_concurrent_writer_is_not_blocked),
    cmocka_unit_test(test_bad_arguments_change_nothing),
    cmocka_unit_test(test_deadline_corrected_to_past),
    cmocka_unit_test(test_stop_after_last_batch),
    cmocka_unit_test(test_migration_from_v12),
    cmocka_unit_test(test_migration_from_v12_moved_since),
    cmocka_unit_test(test_sort_ids),
  };
  return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
