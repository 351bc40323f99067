/* The crash loop (docs/testing.md): a writer process (this executable run
 * again as "writer ...") makes the workload's mix of write calls — org
 * syncs with transfers and leavers, the hazard lifecycle with rejects and
 * reopens, activities, reward evaluations, cbc_db_begin() groups — with
 * synchronous=FULL, appending every acknowledged call to a log it fsyncs.
 * The parent SIGKILLs it after a random delay (seeded: CBC_TEST_SEED, the
 * seed is printed), also while it creates or migrates the file, then
 * checks: integrity_check, every acknowledged write present, every history
 * replays, the aggregates equal the records and a rebuild.  The next round
 * goes on with the same file; every few rounds the file starts again,
 * missing, empty or at an older schema version.
 * Under valgrind 5 kills (one file), the aggregates checked after the last.
 * CBC_TEST_LONG=1: 500 kills instead of 40. */
#include "helpers.h"
#include "invariants.h"
#include "workload.h"
#include "store/store.h"
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const int64_t DAY = 86400;
static const char *self_exe;
static int renew = 5; /* rounds per file */

/* ---- the writer ---- */

static bool seeded(cbc_db *db)
{
  cbc_unit *u = NULL;
  int rc = cbc_unit_lookup_external(&u, db, "E1");
  cbc_unit_free(u);
  return rc == 0;
}

/* argv: writer <path> <log> <seed> <clock start>; runs until killed. */
static int writer_main(char **argv)
{
  int64_t now = strtoll(argv[4], NULL, 10);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.synchronous = CBC_DB_SYNC_FULL; /* acknowledged means durable */
  cbc_db *db;
  assert_cbc_ok(cbc_db_open(&db, argv[1], &o));
  if (!seeded(db))
    cbc_wl_seed(db);
  int fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0600);
  assert_true(fd >= 0);
  cbc_wl w;
  cbc_wl_init(&w, db, &now, strtoull(argv[3], NULL, 10),
              CBC_WL_SYNC | CBC_WL_GROUPS | CBC_WL_REWARDS, fd, true, true);
  for (;;) {
    int rc = cbc_wl_step(&w);
    if (rc) {
      fprintf(stderr, "writer: a write call returned %d: %s\n", rc, cbc_error_last()->message);
      return 3;
    }
  }
}

/* ---- the parent ---- */

typedef struct crash_run {
  char path[600], log[600];
  uint64_t rng;
  int kills, in_migration, before_file;
  long verified;
  cbc_wl_counts acked; /* of every file, once its log is complete */
} crash_run;

static void add_counts(cbc_wl_counts *sum, const cbc_wl_counts *c)
{
  sum->lines += c->lines;
  sum->hazards += c->hazards;
  sum->trainings += c->trainings;
  sum->drills += c->drills;
  sum->visits += c->visits;
  sum->awards += c->awards;
  sum->syncs += c->syncs;
}

static uint64_t next_rand(crash_run *c)
{
  c->rng = c->rng * 6364136223846793005u + 1442695040888963407u;
  return c->rng >> 33;
}

/* A new file for the next rounds: missing, empty, or at an older schema. */
static void renew_file(crash_run *c, int round)
{
  cbc_test_unlink(c->path);
  unlink(c->log);
  int kind = (round / renew) % (CBC_STORE_SCHEMA_VERSION + 1);
  if (kind == 1)
    close(open(c->path, O_WRONLY | O_CREAT, 0600));
  else if (kind > 1)
    cbc_wl_old_file(c->path, kind - 1, kind % 2 == 0);
}

/* Run the writer for @p delay_us microseconds, then SIGKILL it. */
static void run_and_kill(crash_run *c, int round, long delay_us)
{
  char seed[32], start[32];
  snprintf(seed, sizeof(seed), "%llu", (unsigned long long)next_rand(c));
  snprintf(start, sizeof(start), "%lld", (long long)(cbc_wl_epoch() + round * DAY));
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    execl(self_exe, "test_crash", "writer", c->path, c->log, seed, start, (char *)NULL);
    _exit(127);
  }
  struct timespec t = { delay_us / 1000000, (delay_us % 1000000) * 1000 };
  nanosleep(&t, NULL);
  kill(pid, SIGKILL);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
    fail_msg("round %d: the writer ended by itself (status 0x%x)", round, status);
  c->kills++;
}

/* The schema version the killed writer left, -1 for no file.  Read-write:
 * a writer killed while switching the file to WAL leaves a hot rollback
 * journal, which only a read-write connection may roll back (any next
 * opener does; a read-only one fails with SQLITE_READONLY_ROLLBACK). */
static int version_left(const char *path)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  if (access(path, F_OK) != 0)
    return -1;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int v = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return v;
}

/* The checks after a kill; the reopen also finishes a cut creation. */
static void check_after_kill(crash_run *c, int round)
{
  int v = version_left(c->path);
  c->before_file += v < 0;
  c->in_migration += v >= 0 && v < CBC_STORE_SCHEMA_VERSION;
  if (v >= 0)
    cbc_test_assert_integrity(c->path);
  int64_t now = cbc_wl_epoch() + (round + 1) * DAY;
  cbc_db *db = cbc_test_db_file(c->path, &now);
  if (access(c->log, F_OK) == 0) {
    const char *logs[] = { c->log };
    cbc_wl_counts got;
    cbc_wl_verify(&got, db, c->path, logs, 1, false, NULL);
    c->verified += got.lines;
    if (round % renew == renew - 1)
      add_counts(&c->acked, &got); /* the file's log is complete */
  }
  cbc_test_assert_all_replay(db);
  cbc_db_close(db);
  /* the aggregates against the records and a rebuild: every round, or
   * under valgrind (about 9 minutes for ten rounds) a file's last */
  if (cbc_wl_under_valgrind() && round % renew != renew - 1)
    return;
  time_t last = (time_t)(now + 8 * 3600);
  struct tm tm;
  gmtime_r(&last, &tm);
  cbc_test_assert_consistent(c->path, &now, 2024, tm.tm_year + 1900);
}

static void test_crash_loop(void **state)
{
  (void)state;
  const char *env = getenv("CBC_TEST_LONG"), *seed_env = getenv("CBC_TEST_SEED");
  bool long_mode = env && !strcmp(env, "1");
  int rounds = long_mode ? 500 : cbc_wl_under_valgrind() ? 5 : 40;
  renew = long_mode ? 10 : 5;
  crash_run c = { .rng = seed_env ? strtoull(seed_env, NULL, 10) : (uint64_t)time(NULL) };
  printf("crash loop: seed %llu (CBC_TEST_SEED to repeat)\n", (unsigned long long)c.rng);
  snprintf(c.path, sizeof(c.path), "%s", cbc_test_path("crash.db"));
  snprintf(c.log, sizeof(c.log), "%s", cbc_test_path("crash.log"));
  for (int r = 0; r < rounds; r++) {
    bool fresh = r % renew == 0;
    if (fresh)
      renew_file(&c, r);
    /* on a new file, early kills land in the creation or the migration */
    long delay_us = fresh ? (long)(next_rand(&c) % 40000) : 10000 + (long)(next_rand(&c) % 300000);
    run_and_kill(&c, r, delay_us);
    check_after_kill(&c, r);
  }
  if (rounds % renew) { /* the last file's log */
    const char *logs[] = { c.log };
    int64_t now = cbc_wl_epoch() + (rounds + 1) * DAY;
    cbc_db *db = cbc_test_db_file(c.path, &now);
    cbc_wl_counts got;
    cbc_wl_verify(&got, db, c.path, logs, 1, false, NULL);
    add_counts(&c.acked, &got);
    cbc_db_close(db);
  }
  printf("crash loop: %d kills (%d before the file existed, %d during creation or migration); "
         "%ld acknowledged calls (on %ld hazards, %ld trainings, %ld drills, %ld visits, "
         "%ld awards, %ld org syncs), %ld checks of them after the kills\n", c.kills,
         c.before_file, c.in_migration, c.acked.lines, c.acked.hazards, c.acked.trainings,
         c.acked.drills, c.acked.visits, c.acked.awards, c.acked.syncs, c.verified);
  cbc_test_unlink(c.path);
  unlink(c.log);
}

int main(int argc, char **argv)
{
  if (argc == 6 && !strcmp(argv[1], "writer"))
    return writer_main(argv + 1);
  self_exe = cbc_wl_self(argv[0]);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_crash_loop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
