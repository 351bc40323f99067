/* Benchmark of the hazard ledger (docs/ledger.md), with its generator.
 *
 *   ledger_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *                [--months M] [--runs R] [--quick] [--dir DIR] [--keep FILE]
 *                [--filter unit|open|major|overdue|listed|month|reporter|text3|text2]
 *   (or CBC_LEDGER_BENCH_HAZARDS=H in the environment)
 *
 * The generator builds the city of bench_city.h (D districts, E enterprises
 * of 2 workshops and 10 teams each, N employees), then H hazards over M
 * months through the public API, in groups of 1000: one in ten closed, two
 * in ten left open (registered and started, with deadlines 1 to 60 days
 * ahead, so those of the earlier months are overdue at the end), one in a
 * thousand major and listed; the titles and descriptions come from a set of
 * Chinese phrases.
 *
 * For every filter (the unit alone, open states, major, overdue, listed, a
 * month, a reporter, 3-character and 2-character text) at the root, a
 * district, an enterprise and a team:
 *   count_vs_sql  cbc_hazard_count() ÷ the best hand-written count  target <= 2
 *   list_vs_sql   iterating every row with cbc_hazard_iter_*() ÷ the best
 *                 hand-written SELECT stepping the same rows in id order
 *                                                                   target <= 2
 *   page_ms       the first page of 50 (cbc_hazard_iter_new + 50 rows)
 *                                                                   target <= 20
 * and, first, the file's size:
 *   bytes_per_hazard  the file's pages ÷ the hazards in it   target <= 250
 *                     (then each table's and index's share, from dbstat)
 * "Best hand-written" is the fastest of the ways a careful programmer
 * would write it on the same file: without a unit condition at the root,
 * the subtree's units as an IN list, or the hazards joined to their unit's
 * path; SQLite picks the indexes.  Medians of R runs, in the process's CPU
 * time; ratios count times from 0.5 ms up (FLOOR_MS).  Only the public API
 * and SQLite. */
#include "bench_city.h"
#include <cbc.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE 50

/* Queries are timed in the process's CPU time: both sides run in this
 * process on a file in the page cache, and the machine is shared. */
static double cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------- the hazards */

static const char *const titles[] = { "配电箱门未关闭", "电线老化裸露", "防护栏松动",
                                      "灭火器过期", "安全通道堵塞", "行车吊钩磨损",
                                      "粉尘浓度超标", "未佩戴安全帽", "消防栓被遮挡",
                                      "叉车超速行驶", "压力表失灵", "脚手架缺扣件" };
static const char *const places[] = { "一号车间东侧", "仓库门口", "配料区", "二楼平台",
                                      "锅炉房", "装卸区", "办公楼楼梯", "厂区道路" };

static void generate(cbc_db *db, const city *w)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  char description[128];
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
    r.title = titles[city_random() % 12];
    snprintf(description, sizeof(description), "%s发现%s", places[city_random() % 8],
             titles[city_random() % 12]);
    r.description = description;
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

/* ---------------------------------------------------------- the queries */

enum { F_UNIT, F_OPEN, F_MAJOR, F_OVERDUE, F_LISTED, F_PERIOD, F_REPORTER, F_TEXT3, F_TEXT2,
       N_FILTERS };
static const char *const filter_names[N_FILTERS] = { "unit", "open", "major", "overdue",
                                                     "listed", "month", "reporter",
                                                     "text3", "text2" };
enum { L_ROOT, L_DISTRICT, L_ENTERPRISE, L_TEAM, N_LEVELS };
static const char *const level_names[N_LEVELS] = { "root", "district", "enterprise", "team" };

typedef struct query {
  cbc_hazard_filter f;
  int64_t month_from, month_to, at;
  char lo[64], hi[64];
} query;

/* The enterprise the queries look at (its district, itself, its team 3),
 * and the reporter they name: a worker of that team. */
static size_t queried_enterprise(const city *w) { return w->c.enterprises / 2 + 1; }
static size_t queried_reporter(const city *w)
{
  return (queried_enterprise(w) * CITY_TEAMS + 3) * w->per_team + 2;
}

/* The unit of each level, and a reporter who works under it. */
static void make_query(query *q, const city *w, int filter, int level)
{
  size_t e = queried_enterprise(w);
  int64_t units[N_LEVELS] = { w->root, w->district[e % w->c.districts], w->enterprise[e],
                              w->team[e * CITY_TEAMS + 3] };
  q->f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  q->f.unit_id = units[level];
  q->month_from = city_month_start(w->c.months / 2);
  q->month_to = city_month_start(w->c.months / 2 + 1);
  q->at = city_month_start(w->c.months) - 86400;
  switch (filter) {
  case F_OPEN: q->f.states = CBC_HAZARD_STATES_OPEN; break;
  case F_MAJOR: q->f.severity = CBC_SEVERITY_MAJOR; break;
  case F_OVERDUE: q->f.overdue_at = q->at; break;
  case F_LISTED: q->f.listed = 1; break;
  case F_PERIOD: q->f.reported_from = q->month_from; q->f.reported_to = q->month_to; break;
  case F_REPORTER: q->f.reporter_id = w->employee[queried_reporter(w)]; break;
  case F_TEXT3: q->f.text = "配电箱"; break;
  case F_TEXT2: q->f.text = "电线"; break;
  default: break;
  }
}

/* The filter's own condition as a careful programmer writes it: in the
 * form SQLite can read from an index, and (a different statement only
 * where it differs) in the form it checks row by row, for when another
 * condition should drive: the columns behind a unary +, the text with LIKE. */
static const char *filter_sql(int filter, bool plain)
{
  static const char *const indexed[N_FILTERS] = {
    [F_UNIT] = "1",
    [F_OPEN] = "h.state BETWEEN 2 AND 4",
    [F_MAJOR] = "h.severity = 2",
    [F_OVERDUE] = "h.state BETWEEN 2 AND 4 AND h.deadline > 0 AND h.deadline < ?5",
    [F_LISTED] = "h.listed = 1",
    [F_PERIOD] = "h.reported_at >= ?3 AND h.reported_at < ?4",
    [F_REPORTER] = "h.reporter_id = ?6",
    [F_TEXT3] = "h.id IN (SELECT rowid FROM hazards_fts WHERE hazards_fts MATCH '\"配电箱\"')",
    [F_TEXT2] = "(h.title LIKE '%电线%' OR h.description LIKE '%电线%')",
  };
  static const char *const per_row[N_FILTERS] = {
    [F_OPEN] = "+h.state BETWEEN 2 AND 4",
    [F_MAJOR] = "+h.severity = 2",
    [F_OVERDUE] = "+h.state BETWEEN 2 AND 4 AND +h.deadline > 0 AND +h.deadline < ?5",
    [F_LISTED] = "+h.listed = 1",
    [F_PERIOD] = "+h.reported_at >= ?3 AND +h.reported_at < ?4",
    [F_REPORTER] = "+h.reporter_id = ?6",
    [F_TEXT3] = "(h.title LIKE '%配电箱%' OR h.description LIKE '%配电箱%')",
  };
  return plain ? per_row[filter] : indexed[filter];
}

/* The month as the range of ids it holds, for a programmer who knows that
 * the ids follow report times (the generator reports in time order): the
 * first id reported at or after each end, from hazards_reported. */
static const char month_ids_sql[] =
  "h.id >= (SELECT id FROM hazards WHERE reported_at >= ?3 ORDER BY reported_at, id LIMIT 1)"
  " AND h.id < coalesce((SELECT id FROM hazards WHERE reported_at >= ?4"
  " ORDER BY reported_at, id LIMIT 1), 9223372036854775807)";

/* The ways to apply the subtree: none (the root), the units as an IN list
 * (hazards_unit), the hazard's unit path looked up by primary key, the
 * units as an IN list checked per row. */
enum { U_NONE, U_IN, U_PATH, U_IN_ROW };
static const char *const unit_sql[] = {
  "", " AND h.unit_id IN (SELECT id FROM units WHERE path >= ?1 AND path < ?2)",
  " AND (SELECT path FROM units u WHERE u.id = h.unit_id) BETWEEN ?1 AND ?2",
  " AND +h.unit_id IN (SELECT id FROM units WHERE path >= ?1 AND path < ?2)",
};

/* One hand-written statement: how the subtree is applied, whether the
 * filter is checked per row (plain), for the text whether the search
 * index's rows are joined to the hazards in rowid order (streamed, where
 * IN (SELECT rowid ...) collects them all first), for the month whether
 * it is read as its range of ids. */
typedef struct way {
  int unit;
  bool plain, fts_join, month_ids;
} way;

static sqlite3_stmt *raw_prepare(sqlite3 *raw, const query *q, int filter, way w, bool count,
                                 int limit)
{
  char sql[1024];
  const char *what = count ? "count(*)" : "h.*", *order = count ? "" : " ORDER BY h.id";
  if (w.fts_join)
    snprintf(sql, sizeof(sql), "SELECT %s FROM hazards_fts JOIN hazards h"
             " ON h.id = hazards_fts.rowid WHERE hazards_fts MATCH '\"配电箱\"'%s%s%s", what,
             unit_sql[w.unit], count ? "" : " ORDER BY hazards_fts.rowid",
             limit ? " LIMIT 50" : "");
  else
    snprintf(sql, sizeof(sql), "SELECT %s FROM hazards h WHERE %s%s%s%s", what,
             w.month_ids ? month_ids_sql : filter_sql(filter, w.plain), unit_sql[w.unit], order,
             limit ? " LIMIT 50" : "");
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(raw, sql, -1, &s, NULL) != SQLITE_OK) {
    fprintf(stderr, "ledger_bench: %s: %s\n", sql, sqlite3_errmsg(raw));
    exit(1);
  }
  sqlite3_bind_text(s, 1, q->lo, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, q->hi, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, q->month_from);
  sqlite3_bind_int64(s, 4, q->month_to);
  sqlite3_bind_int64(s, 5, q->at);
  sqlite3_bind_int64(s, 6, q->f.reporter_id);
  return s;
}

/* The hand-written statements worth trying for @p filter at @p level:
 * at the root no unit condition; below it the subtree as an IN list or by
 * the unit's path, with the filter's index, and the subtree's units
 * driving with the filter checked per row; for the 3-character text also
 * the search index joined in rowid order; for the month also its range of
 * ids, the subtree checked per row.  Their number. */
static int raw_ways(int filter, int level, way *out)
{
  int n = 0;
  if (level == L_ROOT) {
    out[n++] = (way){ U_NONE, false, false, false };
  } else {
    out[n++] = (way){ U_IN, false, false, false };
    out[n++] = (way){ U_PATH, false, false, false };
    if (filter_sql(filter, true))
      out[n++] = (way){ U_IN, true, false, false };
  }
  if (filter == F_TEXT3)
    out[n++] = (way){ level == L_ROOT ? U_NONE : U_PATH, false, true, false };
  if (filter == F_PERIOD && level == L_ROOT)
    out[n++] = (way){ U_NONE, false, false, true };
  if (filter == F_PERIOD && level != L_ROOT) {
    out[n++] = (way){ U_IN_ROW, false, false, true };
    out[n++] = (way){ U_PATH, false, false, true };
  }
  return n;
}

/* The fastest hand-written way, in ms; its row count in @p rows (every
 * way must find the same). */
static double raw_ms(sqlite3 *raw, const query *q, int filter, int level, bool count, int limit,
                     int64_t *rows)
{
  way ways[8];
  int n_ways = raw_ways(filter, level, ways);
  double best = 1e30;
  for (int i = 0; i < n_ways; i++) {
    double t0 = cpu_s();
    sqlite3_stmt *s = raw_prepare(raw, q, filter, ways[i], count, limit);
    int64_t n = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
      n = count ? sqlite3_column_int64(s, 0) : n + 1;
    sqlite3_finalize(s);
    double ms = (cpu_s() - t0) * 1000;
    if (i && n != *rows) {
      fprintf(stderr, "ledger_bench: %s at %s: SQL way %d found %" PRId64 ", way 0 %" PRId64
                      "\n", filter_names[filter], level_names[level], i, n, *rows);
      exit(1);
    }
    *rows = n;
    if (ms < best)
      best = ms;
  }
  return best;
}

static double lib_list_ms(cbc_db *db, const cbc_hazard_filter *f, int64_t *rows)
{
  double t0 = cpu_s();
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  int64_t n = 0;
  city_ok(cbc_hazard_iter_new(&it, db, f), "iter");
  while (cbc_hazard_iter_next(&h, it) == 0)
    n++;
  cbc_hazard_iter_free(it);
  *rows = n;
  return (cpu_s() - t0) * 1000;
}

static double lib_count_ms(cbc_db *db, const cbc_hazard_filter *f, int64_t *rows)
{
  double t0 = cpu_s();
  city_ok(cbc_hazard_count(rows, db, f), "count");
  return (cpu_s() - t0) * 1000;
}

/* The median of @p n (at most 16) times; @p v keeps its order. */
static double median(const double *v, int n)
{
  double s[16];
  memcpy(s, v, (size_t)n * sizeof(*s));
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
      double t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  return s[n / 2];
}

/* The path range of a unit, as the library stores it ('/a/b/' .. '/a/b0'). */
static void unit_range(sqlite3 *raw, int64_t unit, char *lo, char *hi)
{
  sqlite3_stmt *s;
  sqlite3_prepare_v2(raw, "SELECT path FROM units WHERE id = ?1", -1, &s, NULL);
  sqlite3_bind_int64(s, 1, unit);
  if (sqlite3_step(s) != SQLITE_ROW)
    exit(1);
  snprintf(lo, 64, "%s", (const char *)sqlite3_column_text(s, 0));
  snprintf(hi, 64, "%s", lo);
  hi[strlen(hi) - 1] = '0'; /* '/' + 1 */
  sqlite3_finalize(s);
}

/* Below half a millisecond the library's fixed cost of planning (its index
 * probes, ≈ 0.1–0.4 ms) is all a ratio would show: times are compared
 * from this floor up. */
#define FLOOR_MS 0.5
static double floored(double ms) { return ms > FLOOR_MS ? ms : FLOOR_MS; }

/* Each run's count and list ratios and page time, in the order run. */
static void print_runs(const double *c_lib, const double *c_raw, const double *l_lib,
                       const double *l_raw, const double *page, int runs)
{
  printf("    runs (count, list, page ms):");
  for (int r = 0; r < runs; r++)
    printf("%s %.2f %.2f %.2f", r ? " |" : "", floored(c_lib[r]) / floored(c_raw[r]),
           floored(l_lib[r]) / floored(l_raw[r]), page[r]);
  printf("\n");
}

typedef struct result {
  double count_ratio, list_ratio, page_ms, raw_page_ms;
} result;

static result measure(cbc_db *db, sqlite3 *raw, const city *w, int filter, int level, int runs)
{
  query q;
  make_query(&q, w, filter, level);
  unit_range(raw, q.f.unit_id, q.lo, q.hi);
  double c_lib[16], c_raw[16], l_lib[16], l_raw[16], p_lib[16], p_raw[16];
  int64_t n_lib = 0, n_raw = 0, n_list = 0, n_rawlist = 0, n_page = 0, n_rawpage = 0;
  for (int r = 0; r < runs; r++) {
    c_lib[r] = lib_count_ms(db, &q.f, &n_lib);
    c_raw[r] = raw_ms(raw, &q, filter, level, true, 0, &n_raw);
    l_lib[r] = lib_list_ms(db, &q.f, &n_list);
    l_raw[r] = raw_ms(raw, &q, filter, level, false, 0, &n_rawlist);
    cbc_hazard_filter page = q.f;
    page.limit = PAGE;
    p_lib[r] = lib_list_ms(db, &page, &n_page);
    p_raw[r] = raw_ms(raw, &q, filter, level, false, PAGE, &n_rawpage);
  }
  if (n_lib != n_raw || n_list != n_rawlist || n_list != n_lib || n_page != n_rawpage) {
    fprintf(stderr, "ledger_bench: %s at %s: the library found %" PRId64 "/%" PRId64
                    "/%" PRId64 ", SQL %" PRId64 "/%" PRId64 "/%" PRId64 "\n",
            filter_names[filter], level_names[level], n_lib, n_list, n_page, n_raw, n_rawlist,
            n_rawpage);
    exit(1);
  }
  result res = { 0, 0, median(p_lib, runs), median(p_raw, runs) };
  double cl = median(c_lib, runs), cr = median(c_raw, runs);
  double ll = median(l_lib, runs), lr = median(l_raw, runs);
  res.count_ratio = floored(cl) / floored(cr);
  res.list_ratio = floored(ll) / floored(lr);
  printf("  %-8s %-10s rows %9" PRId64 "  count %9.2f ms / SQL %9.2f ms = %5.2f  list %9.2f ms"
         " / SQL %9.2f ms = %5.2f  page %6.2f ms (SQL %6.2f ms)\n",
         filter_names[filter], level_names[level], n_lib, cl, cr, res.count_ratio, ll, lr,
         res.list_ratio, res.page_ms, res.raw_page_ms);
  print_runs(c_lib, c_raw, l_lib, l_raw, p_lib, runs);
  return res;
}

/* ------------------------------------------------------------ storage */

/* The file's size per hazard (every table and index; free pages, which a
 * migration leaves until a VACUUM, counted apart), then each table's and
 * index's bytes per hazard from SQLite's dbstat table, largest first. */
static void print_storage(sqlite3 *raw)
{
  sqlite3_stmt *s;
  double n = 1;
  if (sqlite3_prepare_v2(raw, "SELECT count(*) FROM hazards", -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
    n = (double)sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  if (sqlite3_prepare_v2(raw, "SELECT page_count * page_size, freelist_count * page_size"
                              " FROM pragma_page_count, pragma_page_size, pragma_freelist_count",
                         -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    printf("bytes_per_hazard %.1f\n", (double)sqlite3_column_int64(s, 0) / n);
    printf("free_bytes_per_hazard %.1f\n", (double)sqlite3_column_int64(s, 1) / n);
  }
  sqlite3_finalize(s);
  if (sqlite3_prepare_v2(raw, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                              " ORDER BY 2 DESC", -1, &s, NULL) != SQLITE_OK) {
    printf("  (no per-table figures: this SQLite lacks the dbstat table)\n");
    return;
  }
  while (sqlite3_step(s) == SQLITE_ROW)
    if ((double)sqlite3_column_int64(s, 1) / n >= 0.05)
      printf("  bytes_per_hazard.%s %.1f\n", (const char *)sqlite3_column_text(s, 0),
             (double)sqlite3_column_int64(s, 1) / n);
  sqlite3_finalize(s);
}

/* ---------------------------------------------------------------- main */

/* A file kept from an earlier run (--keep): the same generator made it, so
 * only the ids the queries name are looked up. */
static void find_ids(cbc_db *db, city *w)
{
  city_find_units(db, w);
  char ext[32];
  snprintf(ext, sizeof(ext), "e%zu", queried_reporter(w));
  w->employee[queried_reporter(w)] = city_employee_id(db, ext);
}

int main(int argc, char **argv)
{
  city_program = "ledger_bench";
  setvbuf(stdout, NULL, _IOLBF, 0); /* progress, when the output is a file */
  city_config c = { 10000, 100, 1000000, 10000000, 24 };
  const char *env = getenv("CBC_LEDGER_BENCH_HAZARDS");
  if (env)
    c.hazards = strtoull(env, NULL, 10);
  int runs = 3;
  const char *dir = "/tmp", *keep = NULL, *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 200, 10, 20000, 200000, 12 }, runs = 1;
    else if (city_option(argc, argv, &i, &c, &runs, &dir))
      continue;
    else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
      keep = argv[++i];
    else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
      only = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] "
                      "[--hazards H] [--months M] [--runs R] [--quick] [--dir DIR] "
                      "[--keep FILE] [--filter NAME]\n", argv[0]);
      return 2;
    }
  }
  if (!c.enterprises || !c.districts || c.districts > c.enterprises || c.months < 2 ||
      c.months > 120 || runs < 1 || runs > 15 || c.hazards < (size_t)c.months)
    return 2;
  char path[512];
  snprintf(path, sizeof(path), "%s/cbc-ledger-bench-%d.db", dir, (int)getpid());
  if (keep)
    snprintf(path, sizeof(path), "%s", keep);
  city w;
  city_init(&w, &c);
  printf("ledger_bench: %zu enterprises in %zu districts, %zu employees, %zu hazards over %d "
         "months, medians of %d\n", c.enterprises, c.districts, w.c.employees, c.hazards,
         c.months, runs);
  bool reuse = keep && access(keep, F_OK) == 0;
  /* the ledger does not read the aggregates */
  cbc_db *db = city_open(path, CBC_DB_DEFER_STATS, !reuse);
  double t0 = city_wall_s();
  if (reuse) {
    find_ids(db, &w);
  } else {
    city_build(db, &w);
    generate(db, &w);
    printf("  generated in %.1f s\n", city_wall_s() - t0);
    if (keep) { /* a kept file is a loaded database: its aggregates are rebuilt, as a loader does */
      cbc_db *plain = city_open(path, 0, false);
      double r0 = city_wall_s();
      if (cbc_stats_rebuild(plain) != 0)
        return 1;
      cbc_db_close(plain);
      printf("  aggregates of the kept file rebuilt in %.1f s\n", city_wall_s() - r0);
    }
  }
  sqlite3 *raw;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return 1;
  print_storage(raw);
  double worst_count = 0, worst_list = 0, worst_page = 0;
  for (int filter = 0; filter < N_FILTERS; filter++)
    for (int level = 0; level < N_LEVELS && (!only || !strcmp(only, filter_names[filter]));
         level++) {
      result r = measure(db, raw, &w, filter, level, runs);
      worst_count = r.count_ratio > worst_count ? r.count_ratio : worst_count;
      worst_list = r.list_ratio > worst_list ? r.list_ratio : worst_list;
      worst_page = r.page_ms > worst_page ? r.page_ms : worst_page;
    }
  sqlite3_close(raw);
  cbc_db_close(db);
  printf("count_vs_sql: worst %.2f, target <= 2 %s\n", worst_count,
         worst_count <= 2 ? "PASS" : "MISS");
  printf("list_vs_sql: worst %.2f, target <= 2 %s\n", worst_list,
         worst_list <= 2 ? "PASS" : "MISS");
  printf("page_ms: worst %.2f ms, target <= 20 %s\n", worst_page,
         worst_page <= 20 ? "PASS" : "MISS");
  city_free(&w);
  if (!keep)
    city_remove_db(path);
  return 0;
}
