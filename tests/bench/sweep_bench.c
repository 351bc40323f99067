/* Benchmark of the overdue sweep (cbc_hazard_sweep(), docs/ledger.md "The
 * overdue sweep"), with its generator.
 *
 *   sweep_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *               [--months M] [--runs R] [--batch B] [--quick] [--dir DIR] [--keep FILE]
 *
 * The generator builds the city of bench_city.h, then H hazards over M
 * months through the public API (the aggregates kept, as in use), in
 * groups of 1000: one in ten closed, two in ten registered at TEAM level and
 * started with deadlines 1 to 60 days ahead (overdue by the end but those
 * of the last two months), one in a thousand major and listed, the rest
 * reported.  The sweep judges at the end of the last month.
 *
 *   find_ms          cbc_hazard_sweep() finding (no escalation): the ids, by id
 *                    (this and the next two in the thread's CPU time)
 *   raw_ids_ms       the lean raw query: SELECT id ... over the open-deadline
 *                    partial index, prepared once, ids collected into an array
 *   find_vs_raw_ids  find_ms ÷ raw_ids_ms                        target <= 2
 *   find_rows_ms     the 1.1 way, for reference: the rows through the
 *                    ledger iterator (overdue_at)
 *   escalate_s       the escalation of every overdue hazard (default batch,
 *                    or --batch), once: it consumes the lapse; wall time,
 *                    with the rests between batches (as long as each batch)
 *   escalate_cpu_s   the same in the sweeping thread's CPU time
 *   escalate_batch_max_cpu_ms  the longest batch in the sweeping thread's CPU
 *                    time (the first one includes the finding): the lock's
 *                    hold on an idle machine
 *   escalate_batch_max_ms  the longest time the write lock was held, seen by
 *                    a probe connection that tries BEGIN IMMEDIATE without
 *                    waiting every 0.5 ms                        target < 1000
 *   writer_wait_max_ms  the longest cbc_hazard_report() of a writer on its
 *                    own handle, one every 20 ms during the escalation
 *                                                                target < 1000
 *   peak_rss_mb      VmHWM                                       target <= 256
 * Medians of R runs for the finding; the escalation runs once, on the file
 * itself, or on a copy of the --keep file.  Only the public API, SQLite and
 * POSIX threads. */
#include "bench_city.h"
#include <cbc.h>
#include <sqlite3.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------- the hazards */

static void generate(cbc_db *db, const city *w)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.title = r.description = r.location = "防护栏松动";
  size_t per_month = w->c.hazards / (size_t)w->c.months;
  int64_t span = 27 * 86400;
  for (size_t j = 0; j < w->c.hazards; j++) {
    if (j % 1000 == 0) {
      if (j)
        city_ok(cbc_db_commit(db), "commit");
      city_ok(cbc_db_begin(db), "begin");
    }
    int m = (int)(j / per_month);
    size_t k = city_random() % w->c.employees, e = k / (CITY_TEAMS * w->per_team);
    int team = (int)(k / w->per_team % CITY_TEAMS);
    city_now = city_month_start(m) + (int64_t)(j % per_month) * span / (int64_t)per_month;
    r.reporter_id = w->employee[k];
    r.unit_id = w->team[e * CITY_TEAMS + (size_t)team];
    r.proposed_severity = j % 1000 == 5 ? CBC_SEVERITY_MAJOR : CBC_SEVERITY_GENERAL;
    int64_t id;
    city_ok(cbc_hazard_report(&id, NULL, db, &r), "report");
    if (j % 1000 == 5)
      city_list_major(db, w, id, e);
    else if (j % 10 == 0)
      city_close_hazard(db, w, id, e, team);
    else if (j % 10 <= 2)
      city_register_general(db, w, id, e, team,
                            city_now + (int64_t)(1 + city_random() % 60) * 86400);
  }
  if (w->c.hazards)
    city_ok(cbc_db_commit(db), "commit");
}

/* ---------------------------------------------------------- the finding */

static double mono_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The calling thread's CPU time: the machine may be shared, and the probe
 * and the writer run in threads of their own. */
static double thread_cpu_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double raw_ids_ms(sqlite3_stmt *s, int64_t at, size_t *count)
{
  double t0 = thread_cpu_s() * 1e3;
  size_t n = 0, cap = 1024;
  int64_t *ids = malloc(cap * sizeof(int64_t));
  sqlite3_bind_int64(s, 1, at);
  while (ids && sqlite3_step(s) == SQLITE_ROW) {
    if (n == cap) {
      int64_t *grown = realloc(ids, (cap *= 2) * sizeof(int64_t));
      if (!grown)
        break;
      ids = grown;
    }
    ids[n++] = sqlite3_column_int64(s, 0);
  }
  sqlite3_reset(s);
  free(ids);
  *count = n;
  return thread_cpu_s() * 1e3 - t0;
}

static double find_ms(cbc_db *db, int64_t at, size_t *count)
{
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = at;
  int64_t *ids;
  double t0 = thread_cpu_s() * 1e3;
  city_ok(cbc_hazard_sweep(&ids, count, NULL, db, &o), "sweep (finding)");
  double ms = thread_cpu_s() * 1e3 - t0;
  cbc_free(ids);
  return ms;
}

static double find_rows_ms(cbc_db *db, int64_t at, size_t *count)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.overdue_at = at;
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  double t0 = thread_cpu_s() * 1e3;
  city_ok(cbc_hazard_iter_new(&it, db, &f), "iterator");
  *count = 0;
  while (cbc_hazard_iter_next(&h, it) == 0)
    ++*count;
  cbc_hazard_iter_free(it);
  return thread_cpu_s() * 1e3 - t0;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof(double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------- the escalation */

typedef struct watch {
  const char *path;
  int64_t reporter, unit;
  int stop; /* set with __atomic builtins: the threads poll it */
  double lock_max_ms;   /* the probe: longest span the lock was held */
  double writer_max_ms; /* the writer: longest report */
  int writes;
} watch;

static void *probe(void *arg)
{
  watch *w = arg;
  sqlite3 *raw;
  if (sqlite3_open_v2(w->path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return NULL;
  double busy_since = -1;
  struct timespec pause = { 0, 500000 };
  while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
    int rc = sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    double t = mono_ms();
    if (rc == SQLITE_OK) {
      sqlite3_exec(raw, "ROLLBACK", NULL, NULL, NULL);
      if (busy_since >= 0 && t - busy_since > w->lock_max_ms)
        w->lock_max_ms = t - busy_since;
      busy_since = -1;
    } else if (busy_since < 0) {
      busy_since = t;
    }
    nanosleep(&pause, NULL);
  }
  sqlite3_close(raw);
  return NULL;
}

static void *writer(void *arg)
{
  watch *w = arg;
  cbc_db *db = city_open(w->path, 0, false);
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.title = r.description = r.location = "楼梯扶手松动";
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  r.reporter_id = w->reporter;
  r.unit_id = w->unit;
  struct timespec pause = { 0, 20000000 };
  while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
    int64_t id;
    double t0 = mono_ms();
    city_ok(cbc_hazard_report(&id, NULL, db, &r), "the writer's report");
    double ms = mono_ms() - t0;
    w->writer_max_ms = ms > w->writer_max_ms ? ms : w->writer_max_ms;
    w->writes++;
    nanosleep(&pause, NULL);
  }
  cbc_db_close(db);
  return NULL;
}

/* After each committed batch: the sweeping thread's CPU time since the
 * last one is the batch's (the rest in between sleeps). */
typedef struct batches {
  int count;
  double last_cpu_ms, max_cpu_ms;
} batches;

static int on_batch(const cbc_sweep_progress *p, void *payload)
{
  batches *b = payload;
  double now = thread_cpu_s() * 1e3;
  (void)p;
  if (now - b->last_cpu_ms > b->max_cpu_ms)
    b->max_cpu_ms = now - b->last_cpu_ms;
  b->last_cpu_ms = now;
  b->count++;
  return 0;
}

static void escalate(const char *path, int64_t at, size_t batch, watch *w)
{
  cbc_db *db = city_open(path, 0, false);
  w->path = path;
  pthread_t probe_thread, writer_thread;
  pthread_create(&probe_thread, NULL, probe, w);
  pthread_create(&writer_thread, NULL, writer, w);
  batches b = { 0, 0, 0 };
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = at;
  o.flags = CBC_SWEEP_ESCALATE;
  o.batch = batch;
  o.progress = on_batch;
  o.payload = &b;
  int64_t *ids;
  size_t found, escalated;
  double t0 = mono_ms(), cpu0 = thread_cpu_s();
  b.last_cpu_ms = cpu0 * 1e3; /* the first batch's time includes the finding */
  city_ok(cbc_hazard_sweep(&ids, &found, &escalated, db, &o), "sweep (escalating)");
  double s = (mono_ms() - t0) / 1e3, cpu = thread_cpu_s() - cpu0;
  __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
  pthread_join(probe_thread, NULL);
  pthread_join(writer_thread, NULL);
  cbc_free(ids);
  cbc_db_close(db);
  printf("escalated %zu of %zu found in %d batches of %zu\n", escalated, found, b.count,
         batch ? batch : (size_t)CBC_SWEEP_BATCH_DEFAULT);
  printf("escalate_s %.2f\n", s);
  printf("escalate_cpu_s %.2f\n", cpu);
  printf("escalate_cpu_us_per_hazard %.1f\n", escalated ? cpu * 1e6 / (double)escalated : 0);
  printf("escalate_batch_max_cpu_ms %.1f\n", b.max_cpu_ms);
  printf("escalate_batch_max_ms %.1f (target < 1000 %s)\n", w->lock_max_ms,
         w->lock_max_ms < 1000 ? "PASS" : "MISS");
  printf("writer_wait_max_ms %.1f over %d writes (target < 1000 %s)\n", w->writer_max_ms,
         w->writes, w->writer_max_ms < 1000 ? "PASS" : "MISS");
}

/* ---------------------------------------------------------- the program */

static double peak_rss_mb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (!strncmp(line, "VmHWM:", 6))
      kb = strtod(line + 6, NULL);
  if (f)
    fclose(f);
  return kb < 0 ? -1 : kb / 1024;
}

static void copy_file(const char *from, const char *to)
{
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char buf[1 << 16];
  size_t n;
  while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
    if (fwrite(buf, 1, n, out) != n)
      break;
  if (!in || !out || ferror(in) || fclose(out) != 0) {
    fprintf(stderr, "sweep_bench: copying %s failed\n", from);
    exit(1);
  }
  fclose(in);
}

static void measure_finding(cbc_db *db, const char *path, int64_t at, int runs)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(raw, "SELECT id FROM hazards WHERE state BETWEEN 2 AND 4"
                              " AND deadline < ?1", -1, &s, NULL) != SQLITE_OK) {
    fprintf(stderr, "sweep_bench: %s\n", sqlite3_errmsg(raw));
    exit(1);
  }
  double lib[16], rawv[16];
  size_t n_lib = 0, n_raw = 0, n_rows = 0;
  for (int i = 0; i < runs; i++) {
    lib[i] = find_ms(db, at, &n_lib);
    rawv[i] = raw_ids_ms(s, at, &n_raw);
  }
  double rows = find_rows_ms(db, at, &n_rows);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  if (n_lib != n_raw || n_lib != n_rows) {
    fprintf(stderr, "sweep_bench: found %zu, raw %zu, rows %zu\n", n_lib, n_raw, n_rows);
    exit(1);
  }
  double l = median(lib, runs), r = median(rawv, runs);
  printf("overdue %zu\n", n_lib);
  printf("find_ms %.2f\nraw_ids_ms %.2f\nfind_rows_ms %.2f\n", l, r, rows);
  printf("find_vs_raw_ids %.2f (target <= 2 %s)\n", l / r, l / r <= 2 ? "PASS" : "MISS");
}

int main(int argc, char **argv)
{
  city_program = "sweep_bench";
  setvbuf(stdout, NULL, _IOLBF, 0);
  city_config c = { 10000, 100, 1000000, 10000000, 24 };
  int runs = 3;
  size_t batch = 0;
  const char *dir = "/tmp", *keep = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 50, 5, 5000, 20000, 12 }, runs = 3;
    else if (city_option(argc, argv, &i, &c, &runs, &dir))
      continue;
    else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
      keep = argv[++i];
    else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
      batch = strtoull(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] "
                      "[--hazards H] [--months M] [--runs R] [--batch B] [--quick] "
                      "[--dir DIR] [--keep FILE]\n", argv[0]);
      return 2;
    }
  }
  if (!c.enterprises || !c.districts || c.districts > c.enterprises || c.months < 3 ||
      c.months > 120 || runs < 1 || runs > 15 || c.hazards < (size_t)c.months)
    return 2;
  char path[512], work[600];
  snprintf(path, sizeof(path), "%s/cbc-sweep-bench-%d.db", dir, (int)getpid());
  if (keep)
    snprintf(path, sizeof(path), "%s", keep);
  city w;
  city_init(&w, &c);
  printf("sweep_bench: %zu enterprises in %zu districts, %zu employees, %zu hazards over %d "
         "months, medians of %d\n", c.enterprises, c.districts, w.c.employees, c.hazards,
         c.months, runs);
  bool reuse = keep && access(keep, F_OK) == 0;
  cbc_db *db = city_open(path, 0, !reuse);
  if (reuse) {
    city_find_units(db, &w);
    w.employee[0] = city_employee_id(db, "e0");
  } else {
    double t0 = city_wall_s();
    city_build(db, &w);
    generate(db, &w);
    printf("generated in %.1f s\n", city_wall_s() - t0);
  }
  int64_t at = city_month_start(c.months);
  measure_finding(db, path, at, runs);
  cbc_db_close(db);
  snprintf(work, sizeof(work), "%s", path);
  if (keep) { /* the escalation consumes the lapse: escalate a copy */
    snprintf(work, sizeof(work), "%s/cbc-sweep-bench-%d-copy.db", dir, (int)getpid());
    copy_file(path, work);
  }
  watch wt = { NULL, w.employee[0], w.team[0], 0, 0, 0, 0 };
  city_now = at;
  escalate(work, at, batch, &wt);
  printf("peak_rss_mb %.1f (target <= 256 %s)\n", peak_rss_mb(),
         peak_rss_mb() <= 256 ? "PASS" : "MISS");
  if (!keep || strcmp(work, path))
    city_remove_db(work);
  city_free(&w);
  return 0;
}
