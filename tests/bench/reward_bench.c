/* Benchmark of the reward evaluation (docs/rewards.md, issue 14), with its
 * generator.
 *
 *   reward_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *                [--months M] [--runs R] [--quick] [--dir DIR] [--keep FILE]
 *
 * The generator builds the city of bench_city.h (D districts, E enterprises
 * of 2 workshops and 10 teams each, N employees), then M months of records
 * through the public API: H hazards (one in ten closed, two in ten left
 * open with deadlines, one in a thousand major and listed), and per
 * enterprise and month a training session of one team, a proposal, and a
 * drill of every team every six months.  After the generation the policy
 * is set so that general hazards pay too: the first real evaluation of the
 * year then proposes one award per hazard closed in it.
 *
 *   city_year_first_s  the first real evaluation of the whole city for the
 *                      first year (it writes the awards)    target <= 60
 *   city_year_s        the same again, median of R (finds them)
 *   month_s            a real evaluation of the whole city for one month,
 *                      median over R months                 target <= 10
 *   enterprise_year_ms one enterprise's year, median over R enterprises
 *   max_write_ms       the longest a writer on another connection waited
 *                      for its own one-row write transaction while the
 *                      evaluations ran: the longest write transaction
 *                      the library held                     target <= 1000
 *   raw_year_s         lean raw SQLite computing the same candidate
 *                      lists (the year's closed hazards with their
 *                      reporters; each unit's hazard figures by the time
 *                      indexes, members, trained members, drills and
 *                      each team's drills), statements prepared once;
 *                      city_year_vs_raw the ratio.  The raw side makes
 *                      no decision, reads no duplicate group, no
 *                      registration and no month's activity, and writes
 *                      nothing: the ratio is the price of all that
 *   peak_rss_mb        VmHWM of this process             target <= 256
 * Only the public API and SQLite. */
#include "bench_city.h"
#include <cbc.h>
#include <sqlite3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ generation */

static void month_hazards(cbc_db *db, const city *w, int m, size_t count)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  int64_t start = city_month_start(m), span = 27 * 86400;
  for (size_t j = 0; j < count; j++) {
    if (j % 1000 == 0) {
      if (j)
        city_ok(cbc_db_commit(db), "commit");
      city_ok(cbc_db_begin(db), "begin");
    }
    size_t k = city_random() % w->c.employees, e = k / (CITY_TEAMS * w->per_team);
    int team = (int)(k / w->per_team % CITY_TEAMS);
    city_now = start + (int64_t)j * span / (int64_t)count;
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
  if (count)
    city_ok(cbc_db_commit(db), "commit");
}

static void enterprise_month(cbc_db *db, const city *w, size_t e, int m)
{
  int team = m % CITY_TEAMS;
  cbc_attendee att[64];
  size_t n = w->per_team < 64 ? w->per_team : 64;
  for (size_t i = 0; i < n; i++)
    att[i] = (cbc_attendee){ city_person(w, e, team, i), 1 };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = w->enterprise[e];
  t.held_at = city_now - 3600;
  t.minutes = 90;
  t.title = "安全培训";
  t.attendees = att;
  t.n_attendees = n;
  city_ok(cbc_training_add(NULL, db, &t), "training");
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = city_person(w, e, team, 2);
  p.title = "金点子";
  p.text = "改进防护";
  city_ok(cbc_proposal_submit(NULL, db, &p), "proposal");
  if (m % 6 == 2) {
    cbc_drill_record d = CBC_DRILL_RECORD_INIT;
    d.unit_id = w->enterprise[e];
    d.held_at = city_now - 3600;
    d.scenario = "疏散演练";
    d.team_ids = &w->team[e * CITY_TEAMS];
    d.n_teams = CITY_TEAMS;
    city_ok(cbc_drill_add(NULL, db, &d), "drill");
  }
}

static void generate(cbc_db *db, const city *w)
{
  for (int m = 0; m < w->c.months; m++) {
    month_hazards(db, w, m, w->c.hazards / (size_t)w->c.months);
    city_now = city_month_start(m) + 27 * 86400 + 12 * 3600;
    city_ok(cbc_db_begin(db), "begin");
    for (size_t e = 0; e < w->c.enterprises; e++)
      enterprise_month(db, w, e, m);
    city_ok(cbc_db_commit(db), "commit");
  }
  /* general hazards pay from now on: the year's closures are still due */
  city_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1000}}}",
                         w->cadre[0]), "policy");
}

/* ------------------------------------------------------- the write probe */

/* A writer on its own connection: one-row write transactions, 5 ms apart,
 * each timed from BEGIN IMMEDIATE to COMMIT (its busy handler retries every
 * millisecond until the library's transaction ends).  Its table is left
 * in the file. */
typedef struct probe {
  const char *path;
  volatile int stop;
  double worst_ms;
  long writes;
  pthread_t thread;
} probe;

static void probe_exec(sqlite3 *raw, const char *sql)
{
  if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK) {
    fprintf(stderr, "reward_bench: probe: %s\n", sqlite3_errmsg(raw));
    exit(1);
  }
}

/* Retry every millisecond, for ever: the wait is what is measured. */
static int probe_busy(void *unused, int tries)
{
  (void)unused;
  (void)tries;
  usleep(1000);
  return 1;
}

static void *probe_run(void *arg)
{
  probe *p = arg;
  sqlite3 *raw;
  if (sqlite3_open(p->path, &raw) != SQLITE_OK)
    exit(1);
  sqlite3_busy_handler(raw, probe_busy, NULL);
  while (!p->stop) {
    double t0 = city_wall_s();
    probe_exec(raw, "BEGIN IMMEDIATE; INSERT INTO bench_probe VALUES (1); COMMIT");
    double ms = (city_wall_s() - t0) * 1000;
    p->worst_ms = ms > p->worst_ms ? ms : p->worst_ms;
    p->writes++;
    usleep(5000);
  }
  sqlite3_close(raw);
  return NULL;
}

static void probe_start(probe *p, const char *path)
{
  memset(p, 0, sizeof(*p));
  p->path = path;
  sqlite3 *raw;
  if (sqlite3_open(path, &raw) != SQLITE_OK)
    exit(1);
  probe_exec(raw, "CREATE TABLE IF NOT EXISTS bench_probe(n INTEGER)");
  sqlite3_close(raw);
  if (pthread_create(&p->thread, NULL, probe_run, p))
    exit(1);
}

static void probe_stop(probe *p)
{
  p->stop = 1;
  pthread_join(p->thread, NULL);
}

/* ------------------------------------------------------------ measures */

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

/* One evaluation: its wall time in seconds; *count its decisions. */
static double evaluate_s(cbc_db *db, int64_t unit, const cbc_period *p, size_t *count)
{
  cbc_reward_decisions *d;
  double t0 = city_wall_s();
  city_ok(cbc_reward_evaluate(&d, db, unit, p, 0), "evaluate");
  double s = city_wall_s() - t0;
  if (count)
    *count = d->count;
  cbc_reward_decisions_free(d);
  return s;
}

static cbc_period year_of(int m) { return (cbc_period){ CBC_PERIOD_YEAR, 2024 + m / 12, 0, 0, 0 }; }
static cbc_period month_of(int m)
{
  return (cbc_period){ CBC_PERIOD_MONTH, 2024 + m / 12, m % 12 + 1, 0, 0 };
}

/* ------------------------------------------------------ raw SQLite lists */

static const char *const raw_sql[] = {
  /* the year's closed hazards and their reporters (discovery, medal) */
  "SELECT id, reporter_id, source, severity FROM hazards WHERE state = 5"
  " AND closed_at >= ?1 AND closed_at < ?2",
  /* each unit's hazard figures by the time indexes */
  "SELECT unit_id, count(*), sum(closed_at <= deadline) FROM hazards WHERE state = 5"
  " AND closed_at >= ?1 AND closed_at < ?2 GROUP BY unit_id",
  "SELECT unit_id, count(*), sum(state IN (5, 6)) FROM hazards WHERE reported_at >= ?1"
  " AND reported_at < ?2 GROUP BY unit_id",
  "SELECT unit_id, count(*) FROM hazards INDEXED BY hazards_major WHERE severity = 2"
  " AND reported_at < ?2 AND deadline > 0 AND deadline < ?2 AND state != 6"
  " AND NOT (state = 5 AND closed_at < ?2) GROUP BY unit_id",
  /* each unit's members and trained members */
  "SELECT unit_id, count(*), sum(EXISTS (SELECT 1 FROM training_attendees a WHERE"
  " a.employee_id = e.id AND a.held_at >= ?1 AND a.held_at < ?2)) FROM employees e"
  " WHERE e.active = 1 OR e.left_at > ?2 GROUP BY unit_id",
  /* each team's drills, and each unit's */
  "SELECT team_id, count(*) FROM drill_teams WHERE held_at >= ?1 AND held_at < ?2"
  " GROUP BY team_id",
  "SELECT unit_id, count(*) FROM drills WHERE held_at >= ?1 AND held_at < ?2"
  " AND voided_at = 0 GROUP BY unit_id",
};
#define N_RAW (sizeof(raw_sql) / sizeof(raw_sql[0]))

static double raw_year_s(sqlite3 *raw, sqlite3_stmt **s, int64_t from, int64_t to)
{
  double t0 = city_wall_s();
  int64_t sink = 0;
  for (size_t i = 0; i < N_RAW; i++) {
    sqlite3_bind_int64(s[i], 1, from);
    sqlite3_bind_int64(s[i], 2, to);
    while (sqlite3_step(s[i]) == SQLITE_ROW)
      sink += sqlite3_column_int64(s[i], 1);
    if (sqlite3_reset(s[i]) != SQLITE_OK) {
      fprintf(stderr, "reward_bench: raw: %s\n", sqlite3_errmsg(raw));
      exit(1);
    }
  }
  return sink >= 0 ? city_wall_s() - t0 : 0;
}

static long peak_rss_kb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
      break;
  if (f)
    fclose(f);
  return kb;
}

/* ---------------------------------------------------------------- main */

static void measure(cbc_db *db, const city *w, const char *path, int runs)
{
  double t[16];
  size_t n_year = 0, n_month = 0;
  probe pr;
  probe_start(&pr, path);
  double first = evaluate_s(db, w->root, &(cbc_period){ CBC_PERIOD_YEAR, 2024, 0, 0, 0 },
                            &n_year);
  printf("city_year_first_s %.2f  (%zu decisions)\n", first, n_year);
  for (int r = 0; r < runs; r++)
    t[r] = evaluate_s(db, w->root, &(cbc_period){ CBC_PERIOD_YEAR, 2024, 0, 0, 0 }, NULL);
  double year = median(t, runs);
  printf("city_year_s %.2f\n", year);
  for (int r = 0; r < runs; r++) {
    cbc_period p = month_of(12 + r % (w->c.months - 12 > 0 ? w->c.months - 12 : 1));
    t[r] = evaluate_s(db, w->root, &p, &n_month);
  }
  double month = median(t, runs);
  printf("month_s %.2f  (%zu decisions in the last)\n", month, n_month);
  for (int r = 0; r < runs; r++) {
    cbc_period p = year_of(0);
    t[r] = evaluate_s(db, w->enterprise[(size_t)r * w->c.enterprises / (size_t)runs], &p, NULL);
  }
  printf("enterprise_year_ms %.1f\n", median(t, runs) * 1000);
  probe_stop(&pr);
  printf("max_write_ms %.1f  (%ld probe writes)\n", pr.worst_ms, pr.writes);

  sqlite3 *raw;
  sqlite3_stmt *s[N_RAW];
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    exit(1);
  for (size_t i = 0; i < N_RAW; i++)
    if (sqlite3_prepare_v2(raw, raw_sql[i], -1, &s[i], NULL) != SQLITE_OK) {
      fprintf(stderr, "reward_bench: %s\n", sqlite3_errmsg(raw));
      exit(1);
    }
  for (int r = 0; r < runs; r++)
    t[r] = raw_year_s(raw, s, city_month_start(0), city_month_start(12));
  double raw_year = median(t, runs);
  for (size_t i = 0; i < N_RAW; i++)
    sqlite3_finalize(s[i]);
  sqlite3_close(raw);
  printf("raw_year_s %.2f\n", raw_year);
  printf("city_year_vs_raw %.2f\n", raw_year > 0 ? year / raw_year : 0);
  long kb = peak_rss_kb();
  printf("peak_rss_mb %.1f\n", kb / 1024.0);
  printf("city_year: %.2f s, target <= 60 %s\n", first > year ? first : year,
         (first > year ? first : year) <= 60 ? "PASS" : "MISS");
  printf("month: %.2f s, target <= 10 %s\n", month, month <= 10 ? "PASS" : "MISS");
  printf("write transaction: %.1f ms, target <= 1000 %s\n", pr.worst_ms,
         pr.worst_ms <= 1000 ? "PASS" : "MISS");
  printf("peak rss: %.1f MB, target <= 256 %s\n", kb / 1024.0, kb <= 256 * 1024 ? "PASS" : "MISS");
}

int main(int argc, char **argv)
{
  city_program = "reward_bench";
  setvbuf(stdout, NULL, _IOLBF, 0);
  city_config c = { 10000, 100, 1000000, 10000000, 24 };
  int runs = 3;
  const char *dir = "/tmp", *keep = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 50, 5, 5000, 50000, 24 }, runs = 1;
    else if (city_option(argc, argv, &i, &c, &runs, &dir))
      continue;
    else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
      keep = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] "
                      "[--hazards H] [--months M] [--runs R] [--quick] [--dir DIR] "
                      "[--keep FILE]\n", argv[0]);
      return 2;
    }
  }
  if (!c.enterprises || !c.districts || c.districts > c.enterprises || c.months < 13 ||
      c.months > 120 || runs < 1 || runs > 15 || c.hazards < (size_t)c.months)
    return 2;
  char path[512];
  snprintf(path, sizeof(path), "%s/cbc-reward-bench-%d.db", dir, (int)getpid());
  if (keep)
    snprintf(path, sizeof(path), "%s", keep);
  city w;
  city_init(&w, &c);
  printf("reward_bench: %zu enterprises in %zu districts, %zu employees, %zu hazards over %d "
         "months, medians of %d\n", c.enterprises, c.districts, w.c.employees, c.hazards,
         c.months, runs);
  bool reuse = keep && access(keep, F_OK) == 0;
  char cmd[1200];
  snprintf(cmd, sizeof(cmd), "cp '%s.orig' '%s'", path, path);
  if (reuse && system(cmd) != 0) /* back to the file as generated, before any award */
    return 1;
  cbc_db *db = city_open(path, 0, !reuse);
  if (reuse) {
    city_find_units(db, &w);
  } else {
    double t0 = city_wall_s();
    city_build(db, &w);
    generate(db, &w);
    printf("  generated in %.1f s\n", city_wall_s() - t0);
    if (keep) { /* keep the file as generated, before any award */
      cbc_db_close(db);
      snprintf(cmd, sizeof(cmd), "cp '%s' '%s.orig'", path, path);
      if (system(cmd) != 0)
        return 1;
      db = city_open(path, 0, false);
    }
  }
  city_now = city_month_start(c.months) + 86400;
  measure(db, &w, path, runs);
  cbc_db_close(db);
  city_free(&w);
  if (!keep)
    city_remove_db(path);
  return 0;
}
