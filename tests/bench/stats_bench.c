/* Benchmark of the statistics (issue 4), with its generator.
 *
 *   stats_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *               [--months M] [--runs R] [--quick] [--dir DIR] [--keep FILE]
 *               [--forms-only]
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
 * 3. sql_vs_form: the same root figures by SQL over the base tables as a
 *    careful programmer writes it (raw SQLite, same file: a count per figure
 *    over the index of its time column, statements prepared once), ÷ the
 *    form                                                  target >= 10
 * 4. recording overhead: recording 3 months of the same world (its org:
 *    1,000,000 employees at full size; its hazards and activities) into a
 *    copy of its org with the aggregates kept ÷ with CBC_DB_DEFER_STATS, for
 *    the hazards and for the activities, medians over R runs
 *                                                          target <= 1.20
 * 5. form_team_ms, form_workshop_ms (and _quarter_ms, _year_ms): the form of
 *    a random team or workshop for a random month (quarter, year), median
 *    over 300 (node, period) pairs                         target <= 5 ms
 * 6. form_range_enterprise_ms: an enterprise's form for a random range of
 *    1 to 400 whole days, median over 300                  target <= 200 ms
 *    Each of 5 and 6 with the lean SQL of the same figures in the same run
 *    (ratio), the CPU time, and the first forms again from the records by
 *    time (the plan they all took before; the figures must be equal).
 * 7. children_range_district_ms: a district's children side by side for a
 *    random range; peak_rss_mb: VmHWM of this process.
 * 8. form_district_{month,quarter,year}_ms, form_root_{month,quarter,year}_ms:
 *    the form of a random district (the root) for a random calendar period,
 *    median over 25 (5 with --quick)                       target <= 5 ms
 * --keep FILE reuses (or makes, and keeps) the generated database;
 * --forms-only measures the forms alone (no rebuild, no overhead).
 * Only the public API and SQLite. */
#include "bench_city.h"
#include <cbc.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_LEADERS 20
#define OVERHEAD_MONTHS 3 /* a quarter: visits, a drill, a leader class */

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

#define PARTICIPANTS                                                                        \
  "SELECT reporter_id AS e FROM hazards WHERE reporter_id IS NOT NULL AND reported_at >= ?1" \
  " AND reported_at < ?2 UNION SELECT employee_id FROM training_attendees WHERE held_at >= ?1" \
  " AND held_at < ?2 UNION SELECT proposer_id FROM proposals WHERE submitted_at >= ?1"       \
  " AND submitted_at < ?2 AND voided_at = 0 UNION SELECT cadre_id FROM visits"              \
  " WHERE visited_at >= ?1 AND visited_at < ?2 AND voided_at = 0 UNION SELECT m.id"         \
  " FROM drill_teams d JOIN employees m ON m.unit_id = d.team_id WHERE d.held_at >= ?1"     \
  " AND d.held_at < ?2"

/* The root's monthly figures as a careful SQL programmer computes them: the
 * root is the whole city, so no grouping, each figure one count over the
 * index of its time column (covering where the schema has one: reported,
 * closed, listed), the statements prepared once. */
static const char *const root_sql[] = {
  "SELECT count(*) FROM hazards WHERE reported_at >= ?1 AND reported_at < ?2",
  "SELECT count(*) FROM hazards WHERE state = 5 AND closed_at >= ?1 AND closed_at < ?2",
  "SELECT count(*) FROM hazard_events WHERE action = 6 AND at >= ?1 AND at < ?2",
  "SELECT count(*), count(*) FILTER (WHERE kind = 6) FROM trainings WHERE held_at >= ?1"
  " AND held_at < ?2 AND voided_at = 0",
  "SELECT count(*) FROM visits WHERE visited_at >= ?1 AND visited_at < ?2 AND voided_at = 0",
  "SELECT count(*) FROM (" PARTICIPANTS ")",
  "SELECT count(DISTINCT employee_id) FROM training_attendees WHERE held_at >= ?1"
  " AND held_at < ?2",
  "SELECT count(DISTINCT employee_id) FROM training_attendees WHERE kind = 6"
  " AND held_at >= ?1 AND held_at < ?2",
  "SELECT count(*) FROM (SELECT enterprise_id FROM hazards WHERE reported_at >= ?1"
  " AND reported_at < ?2 UNION SELECT enterprise_id FROM drills WHERE held_at >= ?1"
  " AND held_at < ?2)",
};
#define N_ROOT_SQL (sizeof(root_sql) / sizeof(root_sql[0]))

typedef struct root_counts {
  sqlite3_stmt *s[N_ROOT_SQL];
} root_counts;

static void root_counts_prepare(sqlite3 *raw, root_counts *r)
{
  for (size_t i = 0; i < N_ROOT_SQL; i++)
    if (sqlite3_prepare_v3(raw, root_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->s[i], NULL) !=
        SQLITE_OK) {
      fprintf(stderr, "stats_bench: %s\n", sqlite3_errmsg(raw));
      exit(1);
    }
}

static void root_counts_free(root_counts *r)
{
  for (size_t i = 0; i < N_ROOT_SQL; i++)
    sqlite3_finalize(r->s[i]);
}

/* The root's figures of month @p m by SQL; milliseconds, hazards found. */
static double root_sql_ms(root_counts *r, int m, int64_t *found)
{
  double t0 = city_wall_s();
  int64_t from = city_month_start(m), to = city_month_start(m + 1);
  for (size_t i = 0; i < N_ROOT_SQL; i++) {
    sqlite3_stmt *s = r->s[i];
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    if (sqlite3_step(s) == SQLITE_ROW && i == 0)
      *found = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
  }
  return (city_wall_s() - t0) * 1000;
}

/* ------------------------------------- forms of teams, workshops, ranges */

/* The same figures as a careful SQL programmer would compute them for one
 * subtree (?1: its unit) and [?2, ?3): each unit's records through its
 * (unit, time) index, the subtree's present members' own records through
 * their (person, time) indexes; no history of who was where (the library
 * reads it), so it counts at most as much work as the library's plan. */
#define LEAN_SUBTREE                                                                        \
  "WITH x(lo) AS (SELECT path FROM units WHERE id = ?1), sub(id) AS (SELECT u.id FROM x"    \
  " CROSS JOIN units u WHERE u.path >= x.lo AND u.path < substr(x.lo, 1, length(x.lo) - 1)" \
  " || '0') "
static const char *const lean_sql[] = {
  LEAN_SUBTREE "SELECT count(*) FILTER (WHERE h.reported_at >= ?2 AND h.reported_at < ?3),"
  " count(*) FILTER (WHERE h.state = 5 AND h.closed_at >= ?2 AND h.closed_at < ?3),"
  " sum((SELECT count(*) FROM hazard_events v WHERE v.hazard_id = h.id AND v.action = 6"
  " AND v.at >= ?2 AND v.at < ?3)) FROM sub CROSS JOIN hazards h ON h.unit_id = sub.id",
  LEAN_SUBTREE "SELECT (SELECT count(*) FROM sub CROSS JOIN trainings t ON t.unit_id = sub.id"
  " WHERE t.held_at >= ?2 AND t.held_at < ?3 AND t.voided_at = 0), (SELECT count(*) FROM sub"
  " CROSS JOIN visits v ON v.unit_id = sub.id WHERE v.visited_at >= ?2 AND v.visited_at < ?3"
  " AND v.voided_at = 0)",
  LEAN_SUBTREE ", mem(e) AS (SELECT e.id FROM sub CROSS JOIN employees e ON e.unit_id = sub.id)"
  " SELECT count(*) FROM (SELECT m.e FROM mem m CROSS JOIN hazards h ON h.reporter_id = m.e"
  " WHERE h.reported_at >= ?2 AND h.reported_at < ?3 UNION SELECT m.e FROM mem m CROSS JOIN"
  " training_attendees a ON a.employee_id = m.e WHERE a.held_at >= ?2 AND a.held_at < ?3"
  " UNION SELECT m.e FROM mem m CROSS JOIN proposals p ON p.proposer_id = m.e"
  " WHERE p.submitted_at >= ?2 AND p.submitted_at < ?3 AND p.voided_at = 0"
  " UNION SELECT e.id FROM sub CROSS JOIN drill_teams d ON d.team_id = sub.id CROSS JOIN"
  " employees e ON e.unit_id = d.team_id WHERE d.held_at >= ?2 AND d.held_at < ?3)",
};
#define N_LEAN (sizeof(lean_sql) / sizeof(lean_sql[0]))

typedef struct lean {
  sqlite3_stmt *s[N_LEAN];
} lean;

static void lean_prepare(sqlite3 *raw, lean *l)
{
  for (size_t i = 0; i < N_LEAN; i++)
    if (sqlite3_prepare_v3(raw, lean_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &l->s[i], NULL) !=
        SQLITE_OK) {
      fprintf(stderr, "stats_bench: %s\n", sqlite3_errmsg(raw));
      exit(1);
    }
}

static void lean_free(lean *l)
{
  for (size_t i = 0; i < N_LEAN; i++)
    sqlite3_finalize(l->s[i]);
}

/* The lean figures of @p unit for [from, to); milliseconds, hazards found. */
static double lean_ms(lean *l, int64_t unit, int64_t from, int64_t to, int64_t *found)
{
  double t0 = city_wall_s();
  for (size_t i = 0; i < N_LEAN; i++) {
    sqlite3_bind_int64(l->s[i], 1, unit);
    sqlite3_bind_int64(l->s[i], 2, from);
    sqlite3_bind_int64(l->s[i], 3, to);
    if (sqlite3_step(l->s[i]) == SQLITE_ROW && i == 0)
      *found = sqlite3_column_int64(l->s[i], 0);
    sqlite3_reset(l->s[i]);
  }
  return (city_wall_s() - t0) * 1000;
}

/* CPU seconds of this process: on a machine shared with other work, the
 * wall-clock medians include waiting for a core. */
static double cpu_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A node's form for @p p (flags 0 or CBC_STATS_FROM_RECORDS); milliseconds,
 * and the CPU milliseconds into @p cpu_ms. */
static double period_form_ms(cbc_db *db, int64_t unit, const cbc_period *p, unsigned int flags,
                             cbc_stats_form *copy, double *cpu_ms)
{
  cbc_stats_form *f;
  double t0 = city_wall_s(), c0 = cpu_s();
  city_ok(cbc_stats_form_get(&f, db, unit, p, flags), "form");
  double t = (city_wall_s() - t0) * 1000;
  *cpu_ms = (cpu_s() - c0) * 1000;
  *copy = *f;
  cbc_stats_form_free(f);
  return t;
}

static bool same_figures(const cbc_stats_form *a, const cbc_stats_form *b)
{
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++)
    if (cbc_stats_form_value(a, (cbc_stats_field)i) != cbc_stats_form_value(b, (cbc_stats_field)i))
      return false;
  return true;
}

/* A random calendar period of @p kind within the generated months. */
static cbc_period random_period(const city *w, cbc_period_kind kind)
{
  int m = (int)(city_random() % (uint64_t)w->c.months);
  cbc_period p = { kind, 2024 + m / 12, m % 12 + 1, 0, 0 };
  if (kind == CBC_PERIOD_QUARTER)
    p.number = (p.number + 2) / 3;
  else if (kind == CBC_PERIOD_YEAR)
    p.number = 0;
  return p;
}

/* A random range of whole local days (1 to 400) starting within the
 * generated months, never exactly a calendar period. */
static cbc_period random_range(const city *w)
{
  int64_t days = (int64_t)w->c.months * 30;
  int64_t start = city_month_start(0) + (int64_t)(city_random() % (uint64_t)days) * 86400 + 86400;
  int64_t length = 1 + (int64_t)(city_random() % 400);
  return (cbc_period){ CBC_PERIOD_RANGE, 0, 0, start, start + length * 86400 };
}

/* The units measured: a random team, its workshop, its enterprise. */
typedef enum { NODE_TEAM, NODE_WORKSHOP, NODE_ENTERPRISE } node_kind;

static int64_t random_node(cbc_db *db, const city *w, node_kind kind)
{
  size_t e = (size_t)(city_random() % w->c.enterprises);
  int64_t team = w->team[e * CITY_TEAMS + (size_t)(city_random() % CITY_TEAMS)];
  if (kind == NODE_ENTERPRISE)
    return w->enterprise[e];
  if (kind == NODE_TEAM)
    return team;
  cbc_unit *u;
  city_ok(cbc_unit_lookup(&u, db, team), "unit");
  int64_t parent = u->parent_id;
  cbc_unit_free(u);
  return parent;
}

typedef struct form_measure {
  double lib_ms, raw_ms, records_ms; /* medians: the library, lean SQL, the old plan */
  double lib_cpu_ms;                 /* the library's median CPU time */
} form_measure;

/* @p n forms of random @p kind nodes for periods from @p period (NULL:
 * random ranges); the first @p checks also from the records by time (the
 * plan every such form took before), which must give the same figures. */
static form_measure measure_forms(cbc_db *db, lean *l, const city *w, node_kind kind,
                                  cbc_period_kind period, size_t n, size_t checks)
{
  double *lib = city_calloc(n, sizeof(double)), *raw = city_calloc(n, sizeof(double));
  double *cpu = city_calloc(n, sizeof(double)), rec[16], rec_cpu;
  checks = checks > 16 ? 16 : checks > n ? n : checks;
  for (size_t i = 0; i < n; i++) {
    int64_t unit = random_node(db, w, kind), from, to, found = 0;
    cbc_period p = period == CBC_PERIOD_RANGE ? random_range(w) : random_period(w, period);
    cbc_stats_form f, g;
    lib[i] = period_form_ms(db, unit, &p, 0, &f, &cpu[i]);
    city_ok(cbc_period_bounds(&from, &to, db, &p), "bounds");
    raw[i] = lean_ms(l, unit, from, to, &found);
    if (found != f.hazards_found) {
      fprintf(stderr, "stats_bench: unit %" PRId64 ": lean SQL found %" PRId64 ", the form %"
                      PRId64 "\n", unit, found, f.hazards_found);
      exit(1);
    }
    if (i >= checks)
      continue;
    rec[i] = period_form_ms(db, unit, &p, CBC_STATS_FROM_RECORDS, &g, &rec_cpu);
    if (!same_figures(&f, &g)) {
      fprintf(stderr, "stats_bench: unit %" PRId64 ": the form differs from the records\n",
              unit);
      exit(1);
    }
  }
  form_measure m = { median(lib, n), median(raw, n), checks ? median(rec, checks) : 0,
                     median(cpu, n) };
  free(lib);
  free(raw);
  free(cpu);
  return m;
}

static void print_measure(const char *name, const form_measure *m, size_t n, double target)
{
  printf("%s %.3f\n", name, m->lib_ms);
  printf("  %s: median %.3f ms (CPU %.3f ms) over %zu forms (lean SQL %.3f ms: %.2fx; from "
         "the records by time, as before, %.1f ms), target <= %g %s\n", name, m->lib_ms,
         m->lib_cpu_ms, n, m->raw_ms, m->raw_ms > 0 ? m->lib_ms / m->raw_ms : 0, m->records_ms,
         target, m->lib_ms <= target ? "PASS" : "MISS");
}

/* The children of a district side by side for a random range (each an
 * enterprise's range form); median milliseconds over @p n. */
static double children_range_ms(cbc_db *db, const city *w, size_t n)
{
  double *t = city_calloc(n, sizeof(double));
  for (size_t i = 0; i < n; i++) {
    cbc_period p = random_range(w);
    cbc_stats_forms *forms;
    double t0 = city_wall_s();
    city_ok(cbc_stats_children(&forms, db, w->district[city_random() % w->c.districts], &p, 0),
            "children");
    t[i] = (city_wall_s() - t0) * 1000;
    cbc_stats_forms_free(forms);
  }
  double m = median(t, n);
  free(t);
  return m;
}

/* Peak resident set (VmHWM) in MB, or -1. */
static double peak_rss_mb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
      break;
  if (f)
    fclose(f);
  return kb < 0 ? -1 : (double)kb / 1024;
}

/* Rebuilding every aggregate of the file at @p path in bounded steps
 * (cbc_stats_rebuild_step, issue 14): seconds per million hazards, the
 * longest step (each its own write transaction: what another writer may
 * wait), the steps, and the peak resident set.  No SQL baseline: a careful
 * programmer's rebuild is this replay. */
static void measure_rebuild(const char *path, size_t hazards)
{
  cbc_db *db = city_open(path, 0, false);
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  double t0 = city_wall_s(), longest = 0;
  int rc, steps = 0;
  do {
    double s0 = city_wall_s();
    rc = cbc_stats_rebuild_step(db, CBC_STATS_STEP_DEFAULT, CBC_STATS_REBUILD_ANEW, &p);
    double ms = (city_wall_s() - s0) * 1000;
    longest = ms > longest ? ms : longest;
    steps++;
  } while (rc == 1);
  double total = city_wall_s() - t0;
  cbc_db_close(db);
  if (rc) {
    fprintf(stderr, "stats_bench: the rebuild failed: %d\n", rc);
    exit(1);
  }
  printf("rebuild_s_per_million_hazards: %.1f s (%.1f s for %zu hazards, %lld units, %d steps)\n",
         total * 1e6 / (double)hazards, total, hazards, (long long)p.units_total, steps);
  printf("rebuild_longest_step_ms: %.0f ms, target <= 1000 %s\n", longest,
         longest <= 1000 ? "PASS" : "MISS");
  printf("rebuild_peak_rss_mb: %.0f MB\n", peak_rss_mb());
}

/* Region forms (issue 14: any node, any calendar period, <= 5 ms): a
 * random district's month, quarter and year, and the root's, medians over
 * @p n (the root over its periods in turn); each checked once against the
 * records by time. */
static void region_forms(cbc_db *db, const city *w, size_t n)
{
  static const struct {
    const char *name;
    cbc_period_kind period;
  } kinds[] = { { "month", CBC_PERIOD_MONTH }, { "quarter", CBC_PERIOD_QUARTER },
                { "year", CBC_PERIOD_YEAR } };
  double *t = city_calloc(n, sizeof(double)), cpu;
  for (int root = 0; root < 2; root++)
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
      for (size_t i = 0; i < n; i++) {
        int64_t unit = root ? w->root : w->district[city_random() % w->c.districts];
        cbc_period p = random_period(w, kinds[k].period);
        cbc_stats_form f, g;
        t[i] = period_form_ms(db, unit, &p, 0, &f, &cpu);
        if (i == 0) {
          period_form_ms(db, unit, &p, CBC_STATS_FROM_RECORDS, &g, &cpu);
          if (!same_figures(&f, &g)) {
            fprintf(stderr, "stats_bench: region %" PRId64 ": the form differs from the "
                            "records\n", unit);
            exit(1);
          }
        }
      }
      double ms = median(t, n);
      printf("form_%s_%s_ms %.3f (median over %zu, target <= 5 %s)\n",
             root ? "root" : "district", kinds[k].name, ms, n, ms <= 5 ? "PASS" : "MISS");
    }
  free(t);
}

/* Every form measure below the enterprise, across ranges, and of regions (issue 14). */
static void below_and_across(cbc_db *db, const char *path, const city *w, bool quick)
{
  static const struct {
    const char *name;
    node_kind node;
    cbc_period_kind period;
    double target;
  } measures[] = {
    { "form_team_ms", NODE_TEAM, CBC_PERIOD_MONTH, 5 },
    { "form_team_quarter_ms", NODE_TEAM, CBC_PERIOD_QUARTER, 5 },
    { "form_team_year_ms", NODE_TEAM, CBC_PERIOD_YEAR, 5 },
    { "form_workshop_ms", NODE_WORKSHOP, CBC_PERIOD_MONTH, 5 },
    { "form_workshop_quarter_ms", NODE_WORKSHOP, CBC_PERIOD_QUARTER, 5 },
    { "form_workshop_year_ms", NODE_WORKSHOP, CBC_PERIOD_YEAR, 5 },
    { "form_range_enterprise_ms", NODE_ENTERPRISE, CBC_PERIOD_RANGE, 200 },
  };
  sqlite3 *raw;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    exit(1);
  lean l;
  lean_prepare(raw, &l);
  size_t n = quick ? 50 : 300, checks = quick ? 1 : 3;
  for (size_t i = 0; i < sizeof(measures) / sizeof(measures[0]); i++) {
    form_measure m = measure_forms(db, &l, w, measures[i].node, measures[i].period, n, checks);
    print_measure(measures[i].name, &m, n, measures[i].target);
  }
  lean_free(&l);
  sqlite3_close(raw);
  size_t nc = quick ? 3 : 5;
  printf("children_range_district_ms %.1f\n  (median over %zu random ranges)\n",
         children_range_ms(db, w, nc), nc);
  region_forms(db, w, quick ? 5 : 25);
  printf("peak_rss_mb %.1f\n", peak_rss_mb());
}

/* ---------------------------------------------------------------- main */

/* The recording overhead in the world of @p oc (the org synced once into
 * @p org_path; each side of each run records its months into a fresh copy
 * at @p path): kept aggregates ÷ CBC_DB_DEFER_STATS, medians over @p runs. */
static double overhead(const city_config *oc, const char *org_path, const char *path, int runs,
                       double *activities)
{
  double hz[16], act[16];
  city w;
  city_init(&w, oc);
  cbc_db *db = city_open(org_path, 0, true);
  city_build(db, &w);
  cbc_db_close(db);
  for (int r = 0; r < runs; r++) {
    timing with, without;
    for (int deferred = 0; deferred < 2; deferred++) {
      city_copy_db(org_path, path);
      db = city_open(path, deferred ? CBC_DB_DEFER_STATS : 0, false);
      city_random_reset();
      timing t = record(db, &w);
      *(deferred ? &without : &with) = t;
      cbc_db_close(db);
    }
    hz[r] = with.hazards / without.hazards;
    act[r] = with.activities / without.activities;
    printf("  overhead run %d: hazards %.3f s / %.3f s, activities %.3f s / %.3f s\n", r + 1,
           with.hazards, without.hazards, with.activities, without.activities);
  }
  city_free(&w);
  city_remove_db(org_path);
  *activities = median(act, (size_t)runs);
  return median(hz, (size_t)runs);
}

int main(int argc, char **argv)
{
  city_program = "stats_bench";
  city_config c = { 10000, 100, 1000000, 10000000, 24 };
  int runs = 3;
  const char *dir = "/tmp", *keep = NULL;
  bool quick = false, forms_only = false;
  setvbuf(stdout, NULL, _IOLBF, 0); /* a long run shows its progress */
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 200, 10, 20000, 200000, 24 }, runs = 1, quick = true;
    else if (!strcmp(argv[i], "--forms-only"))
      forms_only = true;
    else if (city_option(argc, argv, &i, &c, &runs, &dir))
      continue;
    else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
      keep = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] "
                      "[--hazards H] [--months M] [--runs R] [--quick] [--dir DIR] "
                      "[--keep FILE] [--forms-only]\n", argv[0]);
      return 2;
    }
  }
  if (!c.enterprises || !c.districts || c.districts > c.enterprises || c.months < 1 ||
      c.months > 120 || runs < 1 || runs > 15)
    return 2;
  char path[512], small_path[512], org_path[512];
  snprintf(path, sizeof(path), "%s/cbc-stats-bench-%d.db", dir, (int)getpid());
  snprintf(small_path, sizeof(small_path), "%s/cbc-stats-bench-%d-small.db", dir, (int)getpid());
  snprintf(org_path, sizeof(org_path), "%s/cbc-stats-bench-%d-org.db", dir, (int)getpid());
  if (keep) /* a file the same generator made in an earlier run is reused */
    snprintf(path, sizeof(path), "%s", keep);
  bool reuse = keep && access(keep, F_OK) == 0;

  city w;
  city_init(&w, &c);
  printf("stats_bench: %zu enterprises in %zu districts, %zu employees, %zu hazards over %d "
         "months\n", c.enterprises, c.districts, w.c.employees, c.hazards, c.months);
  cbc_db *db = city_open(path, 0, !reuse);
  if (reuse) {
    city_find_units(db, &w);
  } else {
    double t0 = city_wall_s();
    city_build(db, &w);
    double t1 = city_wall_s();
    timing rec = record(db, &w);
    printf("  generated: org %.1f s, hazards %.1f s, activities %.1f s\n", t1 - t0,
           rec.hazards, rec.activities);
  }

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
  root_counts rc;
  root_counts_prepare(raw, &rc);
  for (int i = 0; i < 3; i++) {
    int m = c.months / 2 - 1 + i;
    int64_t found = 0;
    gb[i] = root_sql_ms(&rc, m, &found);
    form_same[i] = form_ms(db, w.root, m, &f);
    if (found != f.hazards_found) {
      fprintf(stderr, "stats_bench: month %d: SQL found %" PRId64 ", the form %" PRId64
                      "\n", m, found, f.hazards_found);
      return 1;
    }
  }
  root_counts_free(&rc);
  sqlite3_close(raw);
  below_and_across(db, path, &w, quick);
  cbc_db_close(db);
  if (!forms_only)
    measure_rebuild(path, c.hazards);
  double gb_ms = median(gb, 3), same_ms = median(form_same, 3);

  /* the overhead in the same world: its org, and its hazards and
   * activities of OVERHEAD_MONTHS months (every kind of activity) */
  int om = c.months < OVERHEAD_MONTHS ? c.months : OVERHEAD_MONTHS;
  city_config oc = { c.enterprises, c.districts, c.employees, c.hazards / (size_t)c.months *
                     (size_t)om, om };
  double act_over = 0, hz_over = forms_only ? 0 : overhead(&oc, org_path, small_path, runs,
                                                           &act_over);

  printf("form_root_ms: median %.2f ms over %d months, target < 50 %s\n", root_ms, c.months,
         root_ms < 50 ? "PASS" : "MISS");
  printf("form_enterprise_ms: median %.3f ms over 1000 forms, target < 1 %s\n", ent_ms,
         ent_ms < 1 ? "PASS" : "MISS");
  printf("sql_vs_form: median %.2f ms by lean SQL counts vs %.2f ms: %.1fx, target >= 10 %s\n",
         gb_ms, same_ms, gb_ms / same_ms, gb_ms / same_ms >= 10 ? "PASS" : "MISS");
  if (!forms_only)
    printf("recording_overhead: hazards %.2fx, activities %.2fx with the aggregates, "
           "target <= 1.20 %s\n", hz_over, act_over,
           hz_over <= 1.2 && act_over <= 1.2 ? "PASS" : "MISS");
  city_free(&w);
  if (!keep)
    city_remove_db(path);
  city_remove_db(small_path);
  return 0;
}
