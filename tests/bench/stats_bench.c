/* Benchmark of the statistics (issue 4), with its generator.
 *
 *   stats_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *               [--months M] [--runs R] [--quick] [--dir DIR]
 *
 * The generator builds the city of bench_city.h (D districts, E enterprises
 * of 2 workshops and 10 teams each, N employees), then M months of records
 * through the public API: H hazards (one in ten closed, one in a thousand major and
 * listed), and per enterprise and month a training session and a proposal,
 * a drill every six months, a supervision visit every quarter, and per
 * district a leader class every quarter.
 *
 * 1. form_root_ms: the monthly form for the root, median over the months
 *                                                          target < 50 ms
 * 2. form_enterprise_ms: the monthly form of one enterprise, median over
 *    1000 (enterprise, month) pairs                        target < 1 ms
 * 3. groupby_vs_form: the same root figures by plain GROUP BY queries over
 *    the base tables (raw SQLite, same file), ÷ the form    target >= 10
 * 4. recording overhead: recording the same records into a fresh smaller
 *    database with the aggregates kept ÷ with CBC_DB_DEFER_STATS, for the
 *    hazards and for the activities, medians over R runs   target <= 1.20
 * Only the public API and SQLite. */
#include "bench_city.h"
#include <cbc.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LEADERS 20

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
  }
  if (count)
    city_ok(cbc_db_commit(db), "commit");
}

static void training(cbc_db *db, int64_t unit, cbc_training_kind kind, const int64_t *who,
                     size_t n)
{
  cbc_attendee att[MAX_LEADERS + 64];
  for (size_t i = 0; i < n; i++)
    att[i] = (cbc_attendee){ who[i], 1 };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = kind;
  t.unit_id = unit;
  t.held_at = city_now - 3600;
  t.minutes = 90;
  t.title = "安全培训";
  t.attendees = att;
  t.n_attendees = n;
  city_ok(cbc_training_add(NULL, db, &t), "training");
}

static void enterprise_month(cbc_db *db, const city *w, size_t e, int m)
{
  int team = m % CITY_TEAMS;
  int64_t who[64];
  size_t n = w->per_team < 64 ? w->per_team : 64;
  for (size_t i = 0; i < n; i++)
    who[i] = city_person(w, e, team, i);
  training(db, w->enterprise[e], CBC_TRAINING_ALL_STAFF, who, n);
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
  if (m % 3 == 0) {
    cbc_visit_record v = CBC_VISIT_RECORD_INIT;
    v.cadre_id = w->cadre[e % w->c.districts];
    v.unit_id = w->enterprise[e];
    v.visited_at = city_now - 3600;
    city_ok(cbc_visit_add(NULL, db, &v), "visit");
  }
}

static void month_activities(cbc_db *db, const city *w, int m)
{
  city_now = city_month_start(m) + 27 * 86400 + 12 * 3600;
  city_ok(cbc_db_begin(db), "begin");
  for (size_t e = 0; e < w->c.enterprises; e++)
    enterprise_month(db, w, e, m);
  for (size_t d = 0; m % 3 == 1 && d < w->c.districts; d++) {
    int64_t who[MAX_LEADERS];
    size_t n = 0;
    for (size_t e = d; e < w->c.enterprises && n < MAX_LEADERS; e += w->c.districts)
      who[n++] = city_person(w, e, 0, 1);
    if (n)
      training(db, w->district[d], CBC_TRAINING_LEADER_CLASS, who, n);
  }
  city_ok(cbc_db_commit(db), "commit");
}

typedef struct timing {
  double hazards, activities;
} timing;

/* Record every month; the time spent on hazards and on activities. */
static timing record(cbc_db *db, const city *w)
{
  timing t = { 0, 0 };
  city_now = city_month_start(0);
  for (size_t e = 0; e < w->c.enterprises; e++)
    city_ok(cbc_cadre_assign(NULL, db, w->cadre[e % w->c.districts], w->enterprise[e], city_now, 0),
       "assign");
  for (int m = 0; m < w->c.months; m++) {
    double t0 = city_wall_s();
    month_hazards(db, w, m, w->c.hazards / (size_t)w->c.months);
    double t1 = city_wall_s();
    month_activities(db, w, m);
    t.hazards += t1 - t0;
    t.activities += city_wall_s() - t1;
  }
  return t;
}

/* ------------------------------------------------------------- queries */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
  qsort(v, n, sizeof(double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double form_ms(cbc_db *db, int64_t unit, int m, cbc_stats_form *copy)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2024 + m / 12, m % 12 + 1, 0, 0 };
  cbc_stats_form *f;
  double t0 = city_wall_s();
  city_ok(cbc_stats_form_get(&f, db, unit, &p, 0), "form");
  double t = (city_wall_s() - t0) * 1000;
  if (copy)
    *copy = *f;
  cbc_stats_form_free(f);
  return t;
}

static int64_t scalar(sqlite3 *raw, const char *sql, int64_t from, int64_t to)
{
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(raw, sql, -1, &s, NULL) != SQLITE_OK) {
    fprintf(stderr, "stats_bench: %s\n", sqlite3_errmsg(raw));
    exit(1);
  }
  sqlite3_bind_int64(s, 1, from);
  sqlite3_bind_int64(s, 2, to);
  int64_t total = 0;
  while (sqlite3_step(s) == SQLITE_ROW) /* grouped rows summed, as a roll-up by hand */
    total += sqlite3_column_int64(s, sqlite3_column_count(s) - 1);
  sqlite3_finalize(s);
  return total;
}

#define PARTICIPANTS                                                                        \
  "SELECT reporter_id AS e FROM hazards WHERE reporter_id IS NOT NULL AND reported_at >= ?1" \
  " AND reported_at < ?2 UNION SELECT employee_id FROM training_attendees WHERE held_at >= ?1" \
  " AND held_at < ?2 UNION SELECT proposer_id FROM proposals WHERE submitted_at >= ?1"       \
  " AND submitted_at < ?2 UNION SELECT cadre_id FROM visits WHERE visited_at >= ?1"          \
  " AND visited_at < ?2 UNION SELECT m.id FROM drill_teams d JOIN employees m"               \
  " ON m.unit_id = d.team_id WHERE d.held_at >= ?1 AND d.held_at < ?2"

/* The root's monthly figures by plain GROUP BY over the base tables. */
static double groupby_ms(sqlite3 *raw, int m, int64_t *found)
{
  static const char *const sql[] = {
    "SELECT enterprise_id, count(*) FROM hazards WHERE reported_at >= ?1 AND reported_at < ?2"
    " GROUP BY enterprise_id",
    "SELECT enterprise_id, count(*) FROM hazards WHERE state = 5 AND closed_at >= ?1"
    " AND closed_at < ?2 GROUP BY enterprise_id",
    "SELECT h.enterprise_id, count(*) FROM hazard_events v JOIN hazards h ON h.id = v.hazard_id"
    " WHERE v.action = 6 AND v.at >= ?1 AND v.at < ?2 GROUP BY h.enterprise_id",
    "SELECT unit_id, kind = 6, count(*) FROM trainings WHERE held_at >= ?1 AND held_at < ?2"
    " GROUP BY unit_id, kind = 6",
    "SELECT unit_id, count(*) FROM visits WHERE visited_at >= ?1 AND visited_at < ?2"
    " GROUP BY unit_id",
    "SELECT count(*) FROM (" PARTICIPANTS ")",
    "SELECT count(DISTINCT employee_id) FROM training_attendees WHERE held_at >= ?1"
    " AND held_at < ?2",
    "SELECT count(DISTINCT employee_id) FROM training_attendees WHERE kind = 6"
    " AND held_at >= ?1 AND held_at < ?2",
    "SELECT count(*) FROM (SELECT enterprise_id FROM hazards WHERE reported_at >= ?1"
    " AND reported_at < ?2 UNION SELECT enterprise_id FROM drills WHERE held_at >= ?1"
    " AND held_at < ?2)",
  };
  double t0 = city_wall_s();
  int64_t from = city_month_start(m), to = city_month_start(m + 1);
  for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
    int64_t v = scalar(raw, sql[i], from, to);
    if (i == 0)
      *found = v;
  }
  return (city_wall_s() - t0) * 1000;
}

/* ---------------------------------------------------------------- main */

static double overhead(const city_config *small, const char *path, int runs, double *activities)
{
  double hz[16], act[16];
  for (int r = 0; r < runs; r++) {
    timing with, without;
    for (int deferred = 0; deferred < 2; deferred++) {
      city w;
      city_init(&w, small);
      cbc_db *db = city_open(path, deferred ? CBC_DB_DEFER_STATS : 0, true);
      city_build(db, &w);
      city_random_reset();
      timing t = record(db, &w);
      *(deferred ? &without : &with) = t;
      cbc_db_close(db);
      city_free(&w);
    }
    hz[r] = with.hazards / without.hazards;
    act[r] = with.activities / without.activities;
    printf("  overhead run %d: hazards %.3f s / %.3f s, activities %.3f s / %.3f s\n", r + 1,
           with.hazards, without.hazards, with.activities, without.activities);
  }
  *activities = median(act, (size_t)runs);
  return median(hz, (size_t)runs);
}

int main(int argc, char **argv)
{
  city_program = "stats_bench";
  city_config c = { 10000, 100, 1000000, 10000000, 24 };
  int runs = 3;
  const char *dir = "/tmp";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 200, 10, 20000, 200000, 24 }, runs = 1;
    else if (city_option(argc, argv, &i, &c, &runs, &dir))
      continue;
    else {
      fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] "
                      "[--hazards H] [--months M] [--runs R] [--quick] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  if (!c.enterprises || !c.districts || c.districts > c.enterprises || c.months < 1 ||
      c.months > 120 || runs < 1 || runs > 15)
    return 2;
  char path[512], small_path[512];
  snprintf(path, sizeof(path), "%s/cbc-stats-bench-%d.db", dir, (int)getpid());
  snprintf(small_path, sizeof(small_path), "%s/cbc-stats-bench-%d-small.db", dir, (int)getpid());

  city w;
  city_init(&w, &c);
  printf("stats_bench: %zu enterprises in %zu districts, %zu employees, %zu hazards over %d "
         "months\n", c.enterprises, c.districts, w.c.employees, c.hazards, c.months);
  cbc_db *db = city_open(path, 0, true);
  double t0 = city_wall_s();
  city_build(db, &w);
  double t1 = city_wall_s();
  timing rec = record(db, &w);
  printf("  generated: org %.1f s, hazards %.1f s, activities %.1f s\n", t1 - t0, rec.hazards,
         rec.activities);

  double root[120], ent[1000];
  cbc_stats_form f;
  for (int m = 0; m < c.months; m++)
    root[m] = form_ms(db, w.root, m, &f);
  for (int i = 0; i < 1000; i++)
    ent[i] = form_ms(db, w.enterprise[city_random() % c.enterprises],
                     (int)(city_random() % (uint64_t)c.months), NULL);
  double root_ms = median(root, (size_t)c.months), ent_ms = median(ent, 1000);

  sqlite3 *raw;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return 1;
  double gb[3], form_same[3];
  for (int i = 0; i < 3; i++) {
    int m = c.months / 2 - 1 + i;
    int64_t found;
    gb[i] = groupby_ms(raw, m, &found);
    form_same[i] = form_ms(db, w.root, m, &f);
    if (found != f.hazards_found) {
      fprintf(stderr, "stats_bench: month %d: GROUP BY found %" PRId64 ", the form %" PRId64
                      "\n", m, found, f.hazards_found);
      return 1;
    }
  }
  sqlite3_close(raw);
  cbc_db_close(db);
  double gb_ms = median(gb, 3), same_ms = median(form_same, 3);

  city_config small = { c.enterprises < 200 ? c.enterprises : 200,
                        c.districts < 10 ? c.districts : 10, 20000, c.hazards < 200000 ? c.hazards : 200000, 12 };
  double act_over, hz_over = overhead(&small, small_path, runs, &act_over);

  printf("form_root_ms: median %.2f ms over %d months, target < 50 %s\n", root_ms, c.months,
         root_ms < 50 ? "PASS" : "MISS");
  printf("form_enterprise_ms: median %.3f ms over 1000 forms, target < 1 %s\n", ent_ms,
         ent_ms < 1 ? "PASS" : "MISS");
  printf("groupby_vs_form: median %.1f ms by GROUP BY vs %.2f ms: %.0fx, target >= 10 %s\n",
         gb_ms, same_ms, gb_ms / same_ms, gb_ms / same_ms >= 10 ? "PASS" : "MISS");
  printf("recording_overhead: hazards %.2fx, activities %.2fx with the aggregates, "
         "target <= 1.20 %s\n", hz_over, act_over,
         hz_over <= 1.2 && act_over <= 1.2 ? "PASS" : "MISS");
  city_free(&w);
  city_remove_db(path);
  city_remove_db(small_path);
  return 0;
}
