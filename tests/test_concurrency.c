/* The concurrency regime (docs/testing.md): processes, each with a couple of
 * threads on handles of their own, start at the same instant on one file:
 *   - opening a new (missing or zero-length) file: every open succeeds,
 *     with one schema at the current version;
 *   - upgrading a file of every older schema version: likewise;
 *   - rebuilding the statistics in steps from every worker at once: no step
 *     fails but with CBC_EBUSY, nothing counts twice;
 *   - hazard lifecycle moves, activities, groups and reward evaluations:
 *     every call returns 0 or CBC_EBUSY, every acknowledged write is in the
 *     file and nothing else is, every history replays, and the aggregates
 *     equal the records and a rebuild.
 * Workers are this executable run again ("worker ..."); a failed
 * assertion there exits non-zero, which fails the test here.
 * With CBC_TEST_NETNS="ns1 ns2 ..." (tests/pg_hosts), worker p runs in
 * network namespace p mod n, a host of its own reaching PostgreSQL over
 * TCP; the writers' test then checks that the server saw one client
 * address per namespace, none of them the parent's.
 * CBC_TEST_LONG=1 runs more rounds, processes and calls. */
#include "helpers.h"
#include "invariants.h"
#include "workload.h"
#include "store/store.h"
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now;
static bool long_mode;
static const char *self_exe;

enum { THREADS = 2, MAX_PROCS = 16 };

/* ---- workers ---- */

typedef struct worker {
  const char *path, *mode, *log_dir;
  int index, thread, go_fd, steps;
  int failed;
  pthread_t tid;
} worker;

static cbc_db *worker_open(const worker *wk, int64_t *clock_now, int *rc)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = clock_now;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  /* one thread in two waits barely: CBC_EBUSY must then change nothing */
  o.busy_timeout_ms = wk->thread % 2 && !strcmp(wk->mode, "work") ? 1 : 10000;
  cbc_db *db = NULL;
  *rc = cbc_db_open(&db, wk->path, &o);
  return db;
}

static void report_failure(worker *wk, const char *what, int rc)
{
  fprintf(stderr, "worker %d.%d (%s): %s returned %d: %s\n", wk->index, wk->thread, wk->mode,
          what, rc, cbc_error_last()->message);
  wk->failed = 1;
}

/* Open (creating or upgrading), then check the version. */
static void open_once(worker *wk)
{
  int64_t clock_now = now;
  int rc, open_rc, version = 0;
  cbc_db *db = worker_open(wk, &clock_now, &open_rc);
  if (open_rc)
    return report_failure(wk, "cbc_db_open", open_rc);
  if ((rc = cbc_db_schema_version(&version, db)) != 0 || version != CBC_STORE_SCHEMA_VERSION)
    report_failure(wk, "the schema version", version);
  cbc_db_close(db);
}

/* Open, then rebuild the statistics in small steps until they are complete:
 * every step returns 0, 1 (more to do) or CBC_EBUSY (tried again). */
static void rebuild_steps(worker *wk)
{
  int64_t clock_now = now;
  int rc;
  cbc_db *db = worker_open(wk, &clock_now, &rc);
  if (rc)
    return report_failure(wk, "cbc_db_open", rc);
  while ((rc = cbc_stats_rebuild_step(db, 7, 0, NULL)) == 1 || rc == CBC_EBUSY)
    ;
  if (rc)
    report_failure(wk, "cbc_stats_rebuild_step", rc);
  cbc_db_close(db);
}

/* The address the server sees this connection come from, as a number
 * (0 for a Unix socket or SQLite). */
static int64_t client_address(cbc_db *db)
{
  if (!cbc_test_on_postgres())
    return 0;
  return cbc_test_sql_int(db, "SELECT coalesce(inet_client_addr() - '0.0.0.0'::inet, 0)");
}

/* Write calls until done; every result is 0 or CBC_EBUSY.  The client
 * address goes to w<p>-<t>.addr beside the log. */
static void work(worker *wk)
{
  int64_t clock_now = cbc_wl_epoch() + 86400 + wk->index * 7 + wk->thread;
  int rc;
  cbc_db *db = worker_open(wk, &clock_now, &rc);
  if (rc)
    return report_failure(wk, "cbc_db_open", rc);
  char log[512];
  snprintf(log, sizeof(log), "%s/w%d-%d.addr", wk->log_dir, wk->index, wk->thread);
  FILE *addr = fopen(log, "w");
  if (!addr || fprintf(addr, "%" PRId64 "\n", client_address(db)) < 0 || fclose(addr) != 0)
    return report_failure(wk, "writing the client address", -1);
  snprintf(log, sizeof(log), "%s/w%d-%d.log", wk->log_dir, wk->index, wk->thread);
  int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  cbc_wl w;
  cbc_wl_init(&w, db, &clock_now, (uint64_t)(wk->index * 100 + wk->thread + 1),
              CBC_WL_GROUPS | CBC_WL_REWARDS, fd, false, false);
  for (int i = 0; i < wk->steps && !wk->failed; i++)
    if ((rc = cbc_wl_step(&w)) != 0 && rc != CBC_EBUSY)
      report_failure(wk, "a write call", rc);
  printf("worker %d.%d: %ld calls, %ld acknowledged, %ld CBC_EBUSY\n", wk->index, wk->thread,
         w.calls, w.acked, w.busy);
  cbc_wl_free(&w);
  close(fd);
  cbc_db_close(db);
}

/* One clock for every process, as the machine's is, but running a second
 * every millisecond, so that a report that waits for the write lock
 * mostly sees the clock move on meanwhile. */
static int64_t realtime_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Counted from CBC_TEST_CLOCK_BASE (ms), which the parent sets. */
static int64_t shared_fast_clock(void *unused)
{
  (void)unused;
  const char *base = getenv("CBC_TEST_CLOCK_BASE");
  return cbc_wl_epoch() + realtime_ms() - (base ? strtoll(base, NULL, 10) : 0);
}

/* Reports only, timed by the shared clock: ids must keep following
 * report times (docs/ledger.md, the report-order setting). */
static void report_hazards(worker *wk)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = shared_fast_clock;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  o.busy_timeout_ms = 10000;
  cbc_db *db = NULL;
  int rc = cbc_db_open(&db, wk->path, &o);
  if (rc)
    return report_failure(wk, "cbc_db_open", rc);
  cbc_hazard_record r = cbc_test_record(db, wk->thread ? "A1" : "B1", wk->thread ? "T1" : "T2",
                                        CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  for (int i = 0; i < wk->steps && !wk->failed; i++)
    if ((rc = cbc_hazard_report(NULL, NULL, db, &r)) != 0)
      report_failure(wk, "cbc_hazard_report", rc);
  cbc_db_close(db);
}

static void *worker_thread(void *arg)
{
  worker *wk = arg;
  char go;
  if (read(wk->go_fd, &go, 1) != 0) /* the parent's barrier: EOF for everyone at once */
    wk->failed = 1;
  else if (!strcmp(wk->mode, "work"))
    work(wk);
  else if (!strcmp(wk->mode, "report"))
    report_hazards(wk);
  else if (!strcmp(wk->mode, "rebuild"))
    rebuild_steps(wk);
  else
    open_once(wk);
  return NULL;
}

/* argv: worker <path> <open|work> <index> <go fd> <ready fd> <steps> <log dir> */
static int worker_main(char **argv)
{
  worker wk[THREADS];
  int ready_fd = atoi(argv[5]);
  for (int t = 0; t < THREADS; t++) {
    wk[t] = (worker){ argv[1], argv[2], argv[7], atoi(argv[3]), t, atoi(argv[4]),
                      atoi(argv[6]), 0, 0 };
    if (pthread_create(&wk[t].tid, NULL, worker_thread, &wk[t]) != 0)
      return 2;
  }
  char one = 1;
  if (write(ready_fd, &one, 1) != 1)
    return 2;
  close(ready_fd);
  int failed = 0;
  for (int t = 0; t < THREADS; t++) {
    pthread_join(wk[t].tid, NULL);
    failed |= wk[t].failed;
  }
  return failed;
}

/* ---- the parent ---- */

/* The network namespaces of CBC_TEST_NETNS, or none. */
static int netns_names(char names[][64], int max)
{
  const char *list = getenv("CBC_TEST_NETNS");
  int n = 0;
  for (const char *p = list ? list : ""; *p && n < max;) {
    size_t len = strcspn(p, " ");
    if (len > 0 && len < 64)
      snprintf(names[n++], 64, "%.*s", (int)len, p);
    p += len + (p[len] == ' ');
  }
  return n;
}

/* Exec the worker, in namespace @p ns when it is set (through ip(8),
 * which keeps the pipes' descriptors open). */
static void exec_worker(const char *ns, const char *path, const char *mode, char args[][32],
                        const char *log_dir)
{
  if (ns)
    execlp("ip", "ip", "netns", "exec", ns, self_exe, "worker", path, mode, args[0], args[1],
           args[2], args[3], log_dir, (char *)NULL);
  else
    execl(self_exe, "test_concurrency", "worker", path, mode, args[0], args[1], args[2],
          args[3], log_dir, (char *)NULL);
  _exit(127);
}

/* Start @p procs workers, release them at once, and wait for them all. */
static void run_workers(const char *path, const char *mode, int procs, int steps,
                        const char *log_dir)
{
  char ns[MAX_PROCS][64];
  int n_ns = netns_names(ns, MAX_PROCS);
  int go[2], ready[2];
  assert_int_equal(pipe(go), 0);
  assert_int_equal(pipe(ready), 0);
  pid_t pids[MAX_PROCS];
  for (int p = 0; p < procs; p++) {
    char args[5][32];
    snprintf(args[0], 32, "%d", p);
    snprintf(args[1], 32, "%d", go[0]);
    snprintf(args[2], 32, "%d", ready[1]);
    snprintf(args[3], 32, "%d", steps);
    fflush(NULL);
    pids[p] = fork();
    assert_true(pids[p] >= 0);
    if (pids[p] == 0) {
      close(go[1]);
      close(ready[0]);
      exec_worker(n_ns ? ns[p % n_ns] : NULL, path, mode, args, log_dir);
    }
  }
  close(ready[1]);
  for (int p = 0; p < procs; p++) { /* every worker is at the barrier */
    char one;
    assert_int_equal(read(ready[0], &one, 1), 1);
  }
  close(ready[0]);
  close(go[1]); /* go */
  close(go[0]);
  for (int p = 0; p < procs; p++) {
    int status;
    assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      fail_msg("%s worker %d failed (status 0x%x)", mode, p, status);
  }
}

/* The file's schema as text, to compare files. */
static char *schema_of(const char *path)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT group_concat(type || ' ' || name || ' ' || "
                                           "coalesce(sql, ''), char(10)) FROM (SELECT * FROM "
                                           "sqlite_schema ORDER BY name)", -1, &s, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  char *text = strdup((const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return text;
}

/* A file at the current version, sound, with the schema one opener makes. */
static void assert_current(const char *path, const char *expected_schema)
{
  cbc_test_assert_integrity(path);
  char *schema = schema_of(path);
  assert_string_equal(schema, expected_schema);
  free(schema);
  cbc_db *db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  cbc_db_close(db);
}

static char *reference_schema(void)
{
  const char *path = cbc_test_path("reference.db");
  cbc_test_unlink(path);
  cbc_db_close(cbc_test_db_file(path, &now));
  char *schema = schema_of(path);
  cbc_test_unlink(path);
  return schema;
}

static void test_concurrent_create(void **state)
{
  CBC_TEST_SQLITE_ONLY(); /* a file's creation; PostgreSQL's: test_pg_open */
  (void)state;
  char *schema = reference_schema();
  int rounds = long_mode ? 100 : cbc_wl_under_valgrind() ? 5 : 20, procs = 8;
  char path[600];
  for (int r = 0; r < rounds; r++) {
    snprintf(path, sizeof(path), "%s", cbc_test_path("create.db"));
    cbc_test_unlink(path);
    if (r % 2) /* a zero-length file, as a creator leaves it before its first write */
      close(open(path, O_WRONLY | O_CREAT, 0600));
    run_workers(path, "open", procs, 0, "");
    assert_current(path, schema);
  }
  printf("concurrent create: %d rounds x %d processes x %d threads, all opens succeeded\n",
         rounds, procs, THREADS);
  cbc_test_unlink(path);
  free(schema);
}

static void test_concurrent_upgrade(void **state)
{
  CBC_TEST_SQLITE_ONLY(); /* SQLite's older schema versions */
  (void)state;
  char *schema = reference_schema();
  char path[600];
  snprintf(path, sizeof(path), "%s", cbc_test_path("upgrade.db"));
  int repeats = long_mode ? 5 : 1, procs = 4, runs = 0;
  for (int rep = 0; rep < repeats; rep++)
    for (int v = 1; v < CBC_STORE_SCHEMA_VERSION; v++, runs++) {
      cbc_wl_old_file(path, v, (v + rep) % 2 == 0);
      run_workers(path, "open", procs, 0, "");
      assert_current(path, schema);
    }
  printf("concurrent upgrade: %d runs from versions 1..%d, %d processes x %d threads each\n",
         runs, CBC_STORE_SCHEMA_VERSION - 1, procs, THREADS);
  cbc_test_unlink(path);
  free(schema);
}

/* Aggregates left stale by a bulk load (CBC_DB_DEFER_STATS) are rebuilt in
 * steps by many workers at once: none fails, nothing counts twice. */
static void test_concurrent_stats_build(void **state)
{
  (void)state;
  char path[600];
  snprintf(path, sizeof(path), "%s", cbc_test_target("stale.db"));
  now = cbc_wl_epoch();
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags |= CBC_DB_DEFER_STATS;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  int rounds = long_mode ? 10 : cbc_wl_under_valgrind() ? 1 : 3;
  int fd = open("/dev/null", O_WRONLY);
  for (int r = 0; r < rounds; r++) {
    cbc_db *db;
    assert_cbc_ok(cbc_db_open(&db, path, &o));
    if (r == 0)
      cbc_wl_seed(db);
    cbc_wl w;
    cbc_wl_init(&w, db, &now, (uint64_t)r + 1, CBC_WL_SYNC | CBC_WL_GROUPS, fd, false, true);
    for (int i = 0; i < 200; i++)
      assert_cbc_ok(cbc_wl_step(&w));
    cbc_wl_free(&w);
    cbc_db_close(db);
    run_workers(path, "rebuild", 8, 0, "");
    cbc_test_assert_consistent(path, &now, 2024, 2024);
  }
  close(fd);
  printf("concurrent statistics build: %d rounds of 200 calls with deferred statistics, then 8 "
         "processes x %d threads rebuilding in steps of 7; the aggregates equal the records "
         "and a rebuild\n",
         rounds, THREADS);
  cbc_test_unlink(path);
}

/* The workers' client addresses (their files removed); with
 * CBC_TEST_NETNS, one per namespace, none the parent's (@p own), each
 * worker's threads sharing their host's. */
static void assert_hosts_apart(const char *dir, int procs, int64_t own)
{
  char ns[MAX_PROCS][64], path[700];
  int n_ns = netns_names(ns, MAX_PROCS);
  int64_t seen[MAX_PROCS] = { 0 };
  for (int i = 0; i < procs * THREADS; i++) {
    snprintf(path, sizeof(path), "%s/w%d-%d.addr", dir, i / THREADS, i % THREADS);
    FILE *f = fopen(path, "r");
    long long a = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lld", &a), 1);
    fclose(f);
    unlink(path);
    if (!n_ns)
      continue;
    int host = i / THREADS % n_ns;
    assert_true(a != 0 && a != own); /* over TCP, from elsewhere */
    if (!seen[host])
      seen[host] = a;
    assert_int_equal(seen[host], a);
    for (int h = 0; h < host; h++)
      assert_true(seen[h] != a);
  }
  if (n_ns)
    printf("%d hosts in network namespaces, each its own client address on the server\n",
           n_ns);
}

static void test_concurrent_writers(void **state)
{
  (void)state;
  char path[600], dir[600], logs[MAX_PROCS * THREADS][700];
  snprintf(path, sizeof(path), "%s", cbc_test_target("writers.db"));
  snprintf(dir, sizeof(dir), "%s", cbc_test_path("logs"));
  mkdir(dir, 0700);
  now = cbc_wl_epoch();
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_wl_seed(db);
  cbc_db_close(db);
  cbc_wl_counts base, got;
  cbc_wl_row_counts(&base, path);
  int procs = long_mode ? 8 : 4;
  int steps = long_mode ? 1500 : cbc_wl_under_valgrind() ? 50 : 150;
  run_workers(path, "work", procs, steps, dir);
  const char *names[MAX_PROCS * THREADS];
  for (int i = 0; i < procs * THREADS; i++) {
    snprintf(logs[i], sizeof(logs[i]), "%s/w%d-%d.log", dir, i / THREADS, i % THREADS);
    names[i] = logs[i];
  }
  now = cbc_wl_epoch() + 40 * 86400;
  db = cbc_test_db_file(path, &now);
  assert_hosts_apart(dir, procs, client_address(db));
  cbc_wl_verify(&got, db, path, names, (size_t)(procs * THREADS), true, &base);
  size_t replayed = cbc_test_assert_all_replay(db);
  cbc_db_close(db);
  cbc_test_assert_consistent(path, &now, 2024, 2024);
  printf("concurrent writers: %d processes x %d threads x %d calls; %ld acknowledged calls "
         "verified (%ld hazards, %ld trainings, %ld drills, %ld visits, %ld awards), %zu "
         "histories replayed\n", procs, THREADS, steps, got.lines, got.hazards, got.trainings,
         got.drills, got.visits, got.awards, replayed);
  for (int i = 0; i < procs * THREADS; i++)
    unlink(logs[i]);
  rmdir(dir);
  cbc_test_unlink(path);
}

/* Processes and threads reporting at once, each reading the one clock:
 * the reports are numbered in the order of their times, so the ledger's
 * report-order setting stays set and the file check agrees. */
static void test_concurrent_reports_keep_their_order(void **state)
{
  (void)state;
  char path[600];
  snprintf(path, sizeof(path), "%s", cbc_test_target("reporters.db"));
  now = cbc_wl_epoch();
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_wl_seed(db);
  cbc_db_close(db);
  int procs = long_mode ? 8 : 4, steps = long_mode ? 2000 : cbc_wl_under_valgrind() ? 40 : 300;
  char base[32];
  snprintf(base, sizeof(base), "%" PRId64, realtime_ms());
  setenv("CBC_TEST_CLOCK_BASE", base, 1);
  run_workers(path, "report", procs, steps, "");
  unsetenv("CBC_TEST_CLOCK_BASE");
  now = cbc_wl_epoch() + 400 * 86400;
  db = cbc_test_db_file(path, &now);
  int64_t hazards;
  assert_cbc_ok(cbc_hazard_count(&hazards, db, NULL));
  assert_int_equal(hazards, procs * THREADS * steps);
  int64_t in_order = cbc_test_sql_int(db, "SELECT value FROM settings"
                                          " WHERE key = 'hazard_ids_in_report_order'");
  int64_t times = cbc_test_sql_int(db, "SELECT count(DISTINCT reported_at) FROM hazards");
  cbc_check_report *r;
  assert_cbc_ok(cbc_db_check(&r, db, CBC_CHECK_FILE));
  assert_int_equal(r->count, 0);
  cbc_check_report_free(r);
  cbc_db_close(db);
  printf("concurrent reports: %d processes x %d threads x %d reports, %" PRId64
         " distinct report times; ids follow report times: %" PRId64 "\n", procs, THREADS,
         steps, times, in_order);
  assert_int_equal(in_order, 1);
  assert_true(times > 10); /* the clock moved while they raced */
  cbc_test_unlink(path);
}

int main(int argc, char **argv)
{
  if (argc == 9 && !strcmp(argv[1], "worker"))
    return worker_main(argv + 1);
  const char *env = getenv("CBC_TEST_LONG");
  long_mode = env && !strcmp(env, "1");
  self_exe = cbc_wl_self(argv[0]);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_concurrent_create),
    cmocka_unit_test(test_concurrent_upgrade),
    cmocka_unit_test(test_concurrent_stats_build),
    cmocka_unit_test(test_concurrent_writers),
    cmocka_unit_test(test_concurrent_reports_keep_their_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
