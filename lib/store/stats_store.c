/* SQL for the statistics: participation marks, the form computed from the
 * records, and the record scans a rebuild replays (the counters' rows are
 * store/stat_rows_store.c's). */
#include "store_internal.h"
#include "membership.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cbc_store__participation_get(cbc_store *st, int64_t employee_id, int year, int64_t unit_id,
                                 unsigned int masks[3])
{
  drv_stmt *s;
  /* held until commit: two records never both count one first participation */
  int rc = cbc_store__participation_lock(st, year, employee_id);
  if (!rc)
    rc = store_stmt(st, STMT_PARTICIPATION_GET,
                    "SELECT took_part, trained, leaders FROM participation"
                    " WHERE employee_id = ?1 AND year = ?2 AND unit_id = ?3", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, year);
  drv_bind_int64(s, 3, unit_id);
  bool found;
  rc = store_step_maybe(st, s, "participation", &found);
  for (int i = 0; i < 3; i++)
    masks[i] = found ? (unsigned int)drv_column_int(s, i) : 0;
  drv_reset(s);
  return rc;
}

int cbc_store__participation_put(cbc_store *st, int64_t employee_id, int year, int64_t unit_id,
                                 const unsigned int masks[3], bool exists)
{
  drv_stmt *s;
  int rc = exists ? store_stmt(st, STMT_PARTICIPATION_UPDATE,
                               "UPDATE participation SET took_part = ?4, trained = ?5,"
                               " leaders = ?6 WHERE employee_id = ?1 AND year = ?2"
                               " AND unit_id = ?3", &s)
                  : store_stmt(st, STMT_PARTICIPATION_PUT,
                               "INSERT INTO participation(employee_id, year, unit_id, took_part,"
                               " trained, leaders) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, year);
  drv_bind_int64(s, 3, unit_id);
  for (int i = 0; i < 3; i++)
    drv_bind_int64(s, i + 4, (int)masks[i]);
  return store_exec_stmt(st, s, "recording participation");
}

/* A row read from the file: a year or month bits out of range are marked
 * (year 0) for participation_since to refuse as damage. */
static void fill_participation(drv_stmt *s, void *element)
{
  cbc_store_participation *p = element;
  int64_t year = drv_column_int64(s, 0);
  bool sound = year >= 1970 && year <= 9999;
  p->year = sound ? (int)year : 0;
  p->unit_id = drv_column_int64(s, 1);
  for (int i = 0; i < 3; i++) {
    int64_t bits = drv_column_int64(s, 2 + i);
    if (bits < 0 || bits >= (1 << 12))
      p->year = 0;
    p->masks[i] = (unsigned int)(bits & 0xFFF);
  }
}

static int check_participation(const cbc_store_participation *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (list[i].year == 0 || list[i].unit_id <= 0)
      return cbc__error(CBC_ECORRUPT, "a participation row is damaged (year, unit %lld or "
                                      "month bits out of range)", (long long)list[i].unit_id);
  return 0;
}

int cbc_store__participation_since(cbc_store *st, int64_t employee_id, int year,
                                   cbc_store_participation **out, size_t *n)
{
  drv_stmt *s;
  *out = NULL;
  *n = 0;
  int rc = store_stmt(st, STMT_PARTICIPATION_SINCE,
                      "SELECT year, unit_id, took_part, trained, leaders FROM participation"
                      " WHERE employee_id = ?1 AND year >= ?2 ORDER BY year, unit_id", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, year);
  void *list;
  rc = store_collect(st, s, sizeof(cbc_store_participation), fill_participation, &list, n);
  if (!rc && (rc = check_participation(list, *n)) != 0) {
    cbc__free(list);
    list = NULL;
    *n = 0;
  }
  *out = list;
  return rc;
}

int cbc_store__participation_forget(cbc_store *st, int64_t employee_id, int year)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_PARTICIPATION_FORGET,
                      "DELETE FROM participation WHERE employee_id = ?1 AND year >= ?2", &s);
  if (rc)
    return rc;
  st->org_generation++; /* the handle caches participation */
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, year);
  return store_exec_stmt(st, s, "forgetting participation");
}

static int count_query(cbc_store *st, store_stmt_id id, const char *sql, const char *lo,
                       const char *hi, int64_t from, int64_t to, int64_t *out)
{
  drv_stmt *s;
  *out = 0;
  int rc = store_stmt(st, id, sql, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  rc = store_step_row(st, s, "statistics");
  *out = rc ? 0 : drv_column_int64(s, 0);
  drv_reset(s);
  return rc;
}

int cbc_store__units_assigned(cbc_store *st, const char *lo, const char *hi, int64_t from,
                              int64_t to, int64_t *out)
{
  /* a subtree holding every unit (the only root) reads the assignments'
   * index alone: at full size 0.8 ms instead of 17 for a path check each */
  return count_query(st, STMT_UNITS_ASSIGNED,
                     "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM units WHERE path < ?1)"
                     " AND NOT EXISTS (SELECT 1 FROM units WHERE path >= ?2)"
                     " THEN (SELECT count(DISTINCT unit_id) FROM cadre_assignments"
                     "  WHERE from_at < ?4 AND (to_at = 0 OR to_at > ?3) AND voided_at = 0)"
                     " ELSE (SELECT count(DISTINCT a.unit_id) FROM cadre_assignments a"
                     "  JOIN units u ON u.id = a.unit_id WHERE u.path >= ?1 AND u.path < ?2"
                     "  AND a.from_at < ?4 AND (a.to_at = 0 OR a.to_at > ?3)"
                     "  AND a.voided_at = 0) END",
                     lo, hi, from, to, out);
}

/* The units of the subtree, as a table expression. */
#define SUBTREE "(SELECT id FROM units WHERE path >= ?1 AND path < ?2)"
/* Who took part in [?3, ?4): the employee e, the kind k (0 took part, 1
 * trained, 2 trained as a leader), and the unit u they were in then (what
 * they did themselves: where they were; a drill: the drilled team). */
#define PARTICIPANTS                                                                     \
  "SELECT hz.reporter_id AS e, 0 AS k, " UNIT_AT("hz.reporter_id", "hz.reported_at")       \
  " AS u FROM hazards hz WHERE hz.reporter_id IS NOT NULL AND hz.reported_at >= ?3"        \
  " AND hz.reported_at < ?4"                                                               \
  " UNION ALL SELECT a.employee_id, CASE a.kind WHEN 6 THEN 2 ELSE 1 END, "                \
  UNIT_AT("a.employee_id", "a.held_at") " FROM training_attendees a"                      \
  " WHERE a.held_at >= ?3 AND a.held_at < ?4"                                              \
  " UNION ALL SELECT pr.proposer_id, 0, " UNIT_AT("pr.proposer_id", "pr.submitted_at")     \
  " FROM proposals pr WHERE pr.submitted_at >= ?3 AND pr.submitted_at < ?4"                \
  " AND pr.voided_at = 0"                                                                  \
  " UNION ALL SELECT vi.cadre_id, 0, " UNIT_AT("vi.cadre_id", "vi.visited_at")             \
  " FROM visits vi WHERE vi.visited_at >= ?3 AND vi.visited_at < ?4 AND vi.voided_at = 0"  \
  " UNION ALL SELECT m.e, 0, m.team FROM ("                                                \
  DRILL_MEMBERS("d.held_at >= ?3 AND d.held_at < ?4") ") m"
/* The people who took part in the subtree in one of the kinds @p kinds (an
 * SQL condition on k), counted once per attribution unit: each enterprise
 * counts those who took part there, and a region adds up its enterprises. */
#define PEOPLE(kinds)                                                                    \
  "SELECT count(*) FROM (SELECT DISTINCT p.e, " ATTRIBUTION_OF("p.u") " FROM ("           \
  PARTICIPANTS ") p WHERE " kinds " AND p.u IN " SUBTREE ") q"

static const struct {
  size_t field; /* offsetof in cbc_stats_form */
  const char *sql;
} record_figures[] = {
  { offsetof(cbc_stats_form, units_ran),
    "SELECT count(*) FROM units x WHERE x.kind = 2 AND x.path >= ?1 AND x.path < ?2 AND ("
    " EXISTS(SELECT 1 FROM hazards h WHERE h.enterprise_id = x.id AND h.reported_at >= ?3"
    "  AND h.reported_at < ?4)"
    " OR EXISTS(SELECT 1 FROM drills d WHERE d.enterprise_id = x.id AND d.held_at >= ?3"
    "  AND d.held_at < ?4 AND d.voided_at = 0)"
    " OR EXISTS(SELECT 1 FROM trainings t JOIN units u ON u.id = t.unit_id"
    "  WHERE t.held_at >= ?3 AND t.held_at < ?4 AND t.voided_at = 0 AND u.path >= x.path"
    "  AND u.path < substr(x.path, 1, length(x.path) - 1) || '0')"
    " OR EXISTS(SELECT 1 FROM proposals p JOIN units u ON u.id = p.unit_id"
    "  WHERE p.submitted_at >= ?3 AND p.submitted_at < ?4 AND p.voided_at = 0"
    "  AND u.path >= x.path"
    "  AND u.path < substr(x.path, 1, length(x.path) - 1) || '0'))" },
  { offsetof(cbc_stats_form, employees_took_part),
    PEOPLE("p.k >= 0") },
  { offsetof(cbc_stats_form, training_sessions),
    "SELECT count(*) FROM trainings WHERE held_at >= ?3 AND held_at < ?4 AND voided_at = 0"
    " AND unit_id IN " SUBTREE },
  { offsetof(cbc_stats_form, employees_trained),
    PEOPLE("p.k > 0") },
  { offsetof(cbc_stats_form, leader_classes),
    "SELECT count(*) FROM trainings WHERE kind = 6 AND held_at >= ?3 AND held_at < ?4"
    " AND voided_at = 0 AND unit_id IN " SUBTREE },
  { offsetof(cbc_stats_form, leaders_trained),
    PEOPLE("p.k = 2") },
  { offsetof(cbc_stats_form, supervision_visits),
    "SELECT count(*) FROM visits WHERE visited_at >= ?3 AND visited_at < ?4 AND voided_at = 0"
    " AND unit_id IN " SUBTREE },
  { offsetof(cbc_stats_form, hazards_found),
    "SELECT count(*) FROM hazards WHERE reported_at >= ?3 AND reported_at < ?4"
    " AND unit_id IN " SUBTREE },
  { offsetof(cbc_stats_form, hazards_listed),
    "SELECT count(*) FROM hazard_events v JOIN hazards h ON h.id = v.hazard_id"
    " WHERE v.action = 6 AND v.at >= ?3 AND v.at < ?4 AND h.unit_id IN " SUBTREE },
  { offsetof(cbc_stats_form, hazards_rectified),
    "SELECT count(*) FROM hazards WHERE state = 5 AND closed_at >= ?3 AND closed_at < ?4"
    " AND unit_id IN " SUBTREE },
};

int cbc_store__form_records(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_stats_form *f)
{
  int rc = 0;
  size_t n = sizeof(record_figures) / sizeof(record_figures[0]);
  for (size_t i = 0; i < n && !rc; i++)
    rc = count_query(st, (store_stmt_id)(STMT_FORM_RECORDS_0 + i), record_figures[i].sql, lo,
                     hi, from, to, (int64_t *)((char *)f + record_figures[i].field));
  return rc;
}

/* ------------------------------------------------- the records by unit */

/* The same figures as record_figures, read from the subtree's side: each
 * unit's records through its (unit, time) index, each person who was ever
 * in one of its units through their (person, time) indexes.  A team's month
 * reads the team's hazards and its members' records, not the whole city's
 * month (≈ 1.5 s for a team at 10 M hazards before, docs/statistics.md,
 * "Which answer is used").  Each query counts what its record_figures
 * counterpart counts, term by term. */

/* The end of unit x's path range (paths end in '/'; '0' follows it). */
#define X_HI "substr(x.path, 1, length(x.path) - 1) || '0'"
/* Records of x's subtree, by unit: @p table aliased t, joined by unit_id. */
#define X_UNITS_HAVE(table, time)                                                        \
  "EXISTS(SELECT 1 FROM units u CROSS JOIN " table " t ON t.unit_id = u.id"               \
  " WHERE u.path >= x.path AND u.path < " X_HI " AND t." time " >= ?3 AND t." time        \
  " < ?4 AND t.voided_at = 0)"

/* units_ran.  A hazard counts for the enterprise fixed when it was
 * reported: those of x's units are found by unit; the last term finds, by
 * time, one reported from a unit that has left x since, and is reached only
 * when x shows no activity at all through its own units. */
#define BY_UNIT_UNITS_RAN                                                                \
  "SELECT count(*) FROM units x WHERE x.kind = 2 AND x.path >= ?1 AND x.path < ?2 AND ("  \
  " EXISTS(SELECT 1 FROM units u CROSS JOIN hazards h ON h.unit_id = u.id"                \
  "  WHERE u.path >= x.path AND u.path < " X_HI " AND h.enterprise_id = x.id"             \
  "  AND h.reported_at >= ?3 AND h.reported_at < ?4)"                                     \
  " OR EXISTS(SELECT 1 FROM drills d WHERE d.enterprise_id = x.id AND d.held_at >= ?3"    \
  "  AND d.held_at < ?4 AND d.voided_at = 0)"                                             \
  " OR " X_UNITS_HAVE("trainings", "held_at")                                             \
  " OR " X_UNITS_HAVE("proposals", "submitted_at")                                        \
  " OR EXISTS(SELECT 1 FROM hazards h WHERE h.enterprise_id = x.id AND h.reported_at >= ?3" \
  "  AND h.reported_at < ?4))"

/* The people who could have taken part in the subtree: whoever is in one
 * of its units now or has moved into or out of one (UNIT_AT only ever
 * answers a unit of the person's history). */
#define BY_UNIT_PEOPLE_CTE                                                               \
  "WITH sub(id) AS MATERIALIZED (SELECT id FROM units WHERE path >= ?1 AND path < ?2),"   \
  " cand(e) AS (SELECT id FROM employees WHERE unit_id IN (SELECT id FROM sub)"          \
  " UNION SELECT employee_id FROM employee_events WHERE to_unit IN (SELECT id FROM sub)"  \
  " UNION SELECT employee_id FROM employee_events"                                        \
  " WHERE from_unit IN (SELECT id FROM sub)),"                                            \
  " p(e, k, u) AS ("                                                                      \
  "SELECT c.e, 0, " UNIT_AT("c.e", "hz.reported_at") " FROM cand c CROSS JOIN hazards hz" \
  " ON hz.reporter_id = c.e WHERE hz.reported_at >= ?3 AND hz.reported_at < ?4"           \
  " UNION ALL SELECT c.e, CASE a.kind WHEN 6 THEN 2 ELSE 1 END, "                         \
  UNIT_AT("c.e", "a.held_at") " FROM cand c CROSS JOIN training_attendees a"              \
  " ON a.employee_id = c.e WHERE a.held_at >= ?3 AND a.held_at < ?4"                      \
  " UNION ALL SELECT c.e, 0, " UNIT_AT("c.e", "pr.submitted_at") " FROM cand c"           \
  " CROSS JOIN proposals pr ON pr.proposer_id = c.e WHERE pr.submitted_at >= ?3"          \
  " AND pr.submitted_at < ?4 AND pr.voided_at = 0"                                        \
  " UNION ALL SELECT c.e, 0, " UNIT_AT("c.e", "vi.visited_at") " FROM cand c"             \
  " CROSS JOIN visits vi ON vi.cadre_id = c.e WHERE vi.visited_at >= ?3"                  \
  " AND vi.visited_at < ?4 AND vi.voided_at = 0"                                          \
  " UNION ALL SELECT m.e, 0, m.team FROM ("                                               \
  DRILL_MEMBERS("d.team_id IN (SELECT id FROM sub) AND d.held_at >= ?3 AND d.held_at < ?4")  \
  ") m)"

/* employees_took_part, employees_trained, leaders_trained: each a count of
 * distinct (person, attribution unit) pairs among the rows of its kinds,
 * which is the number of groups holding such a row. */
#define BY_UNIT_PEOPLE                                                                   \
  BY_UNIT_PEOPLE_CTE " SELECT count(*), coalesce(sum(trained), 0), coalesce(sum(leader), 0)" \
  " FROM (SELECT max(CASE WHEN p.k > 0 THEN 1 ELSE 0 END) AS trained,"                   \
  " max(CASE p.k WHEN 2 THEN 1 ELSE 0 END) AS leader FROM p"                              \
  " WHERE p.u IN (SELECT id FROM sub) GROUP BY p.e, " ATTRIBUTION_OF("p.u") ") g"

/* training_sessions, leader_classes, supervision_visits. */
#define BY_UNIT_ACTIVITIES                                                               \
  "SELECT (SELECT count(*) FROM units u CROSS JOIN trainings t ON t.unit_id = u.id"       \
  "  WHERE u.path >= ?1 AND u.path < ?2 AND t.held_at >= ?3 AND t.held_at < ?4"           \
  "  AND t.voided_at = 0),"                                                               \
  " (SELECT count(*) FROM units u CROSS JOIN trainings t ON t.unit_id = u.id"             \
  "  WHERE u.path >= ?1 AND u.path < ?2 AND t.held_at >= ?3 AND t.held_at < ?4"           \
  "  AND t.voided_at = 0 AND t.kind = 6),"                                                \
  " (SELECT count(*) FROM units u CROSS JOIN visits v ON v.unit_id = u.id"                \
  "  WHERE u.path >= ?1 AND u.path < ?2 AND v.visited_at >= ?3 AND v.visited_at < ?4"     \
  "  AND v.voided_at = 0)"

/* hazards_found, hazards_listed, hazards_rectified: one pass over the
 * subtree's hazards (a team has about a hundred in all).  The listings are
 * looked up only for a hazard ever listed: its row is the fold of its
 * history (cbc_db_check() replays it), and listed_at is set by every
 * listing and never cleared (lib/hazard_fold.c). */
#define BY_UNIT_HAZARDS                                                                  \
  "SELECT coalesce(sum(CASE WHEN h.reported_at >= ?3 AND h.reported_at < ?4 THEN 1"      \
  " ELSE 0 END), 0),"                                                                     \
  " coalesce(sum(CASE WHEN h.listed_at > 0 THEN (SELECT count(*) FROM hazard_events v"    \
  "  WHERE v.hazard_id = h.id AND v.action = 6 AND v.at >= ?3 AND v.at < ?4) END), 0),"   \
  " coalesce(sum(CASE WHEN h.state = 5 AND h.closed_at >= ?3 AND h.closed_at < ?4"        \
  " THEN 1 ELSE 0 END), 0)"                                                               \
  " FROM units u CROSS JOIN hazards h ON h.unit_id = u.id"                                \
  " WHERE u.path >= ?1 AND u.path < ?2"

#define FIELD(name) offsetof(cbc_stats_form, name)
static const struct {
  const char *sql;
  int n;            /* columns */
  size_t fields[3]; /* their fields in cbc_stats_form */
} by_unit_figures[] = {
  { BY_UNIT_UNITS_RAN, 1, { FIELD(units_ran) } },
  { BY_UNIT_PEOPLE, 3,
    { FIELD(employees_took_part), FIELD(employees_trained), FIELD(leaders_trained) } },
  { BY_UNIT_ACTIVITIES, 3,
    { FIELD(training_sessions), FIELD(leader_classes), FIELD(supervision_visits) } },
  { BY_UNIT_HAZARDS, 3, { FIELD(hazards_found), FIELD(hazards_listed), FIELD(hazards_rectified) } },
};
typedef char cbc__by_unit_ids_match[sizeof(by_unit_figures) / sizeof(by_unit_figures[0]) ==
                                    STMT_FORM_BY_UNIT_LAST - STMT_FORM_BY_UNIT_0 + 1 ? 1 : -1];

/* One by-unit query: its row's columns into their fields of @p f. */
static int by_unit_figure(cbc_store *st, size_t i, const char *lo, const char *hi, int64_t from,
                          int64_t to, cbc_stats_form *f)
{
  drv_stmt *s;
  int rc = store_stmt(st, (store_stmt_id)(STMT_FORM_BY_UNIT_0 + i), by_unit_figures[i].sql, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  rc = store_step_row(st, s, "statistics");
  for (int c = 0; c < by_unit_figures[i].n && !rc; c++)
    *(int64_t *)((char *)f + by_unit_figures[i].fields[c]) = drv_column_int64(s, c);
  drv_reset(s);
  return rc;
}

int cbc_store__form_records_by_unit(cbc_store *st, const char *lo, const char *hi,
                                    int64_t from, int64_t to, cbc_stats_form *f)
{
  int rc = 0;
  for (size_t i = 0; i < sizeof(by_unit_figures) / sizeof(by_unit_figures[0]) && !rc; i++)
    rc = by_unit_figure(st, i, lo, hi, from, to, f);
  return rc;
}

int cbc_store__subtree_share(cbc_store *st, const char *lo, const char *hi, int64_t *units,
                             int64_t *all)
{
  drv_stmt *s;
  *units = *all = 0;
  int rc = store_stmt(st, STMT_SUBTREE_SHARE,
                      "SELECT (SELECT count(*) FROM units WHERE path >= ?1 AND path < ?2),"
                      " (SELECT count(*) FROM units)", &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  rc = store_step_row(st, s, "statistics");
  if (!rc) {
    *units = drv_column_int64(s, 0);
    *all = drv_column_int64(s, 1);
  }
  drv_reset(s);
  return rc;
}

/* ------------------------------------------------------------ breakdowns */

/* The dimensions, in the order of a breakdown's counts: their values 1..max
 * and whether they count the hazards closed in the period (else those
 * reported in it).  Their columns in BREAKDOWN_ROWS follow B_DIMENSIONS in
 * this order. */
static const struct {
  cbc_stats_dimension dimension;
  int max;
  bool closed;
} dimensions[] = {
  { CBC_DIM_SEVERITY, 2, false },   { CBC_DIM_KIND, 2, false },
  { CBC_DIM_CATEGORY, 2, false },   { CBC_DIM_CHECK_ITEM, 6, false },
  { CBC_DIM_SOURCE, 7, false },     { CBC_DIM_RESOLVED_LEVEL, 4, true },
};
#define N_DIMENSIONS (sizeof(dimensions) / sizeof(dimensions[0]))

/* Every hazard of the subtree, each read once: the times and state the
 * figures test, its value in each dimension, and its reopens in the period
 * (looked up only for a hazard whose reopen_count says it has any).  One
 * pass, where a query per figure and dimension read the subtree's rows
 * fourteen times: a district of a city of a million hazards (10,000 rows
 * through hazards_unit) took ≈ 450 ms, now ≈ 30 ms (tests/bench/README.md,
 * "The web pages"). */
#define BREAKDOWN_ROWS                                                                   \
  "SELECT reported_at, state, closed_at, deadline,"                                       \
  " coalesce(nullif(severity, 0), proposed_severity), kind, category, check_item, source," \
  " resolved_level, CASE WHEN reopen_count > 0 THEN (SELECT count(*) FROM hazard_events v" \
  " WHERE v.hazard_id = h.id AND v.action IN (11, 12) AND v.at >= ?3 AND v.at < ?4)"     \
  " ELSE 0 END FROM hazards h WHERE unit_id IN " SUBTREE
enum { B_REPORTED_AT, B_STATE, B_CLOSED_AT, B_DEADLINE, B_DIMENSIONS, B_REOPENS = 10 };
typedef char cbc__breakdown_columns_match[B_DIMENSIONS + N_DIMENSIONS == B_REOPENS ? 1 : -1];

/* The tally of one pass: the breakdown's counts, and the days to close
 * (seconds) of the hazards closed in the period, unsorted. */
typedef struct tally {
  cbc_stats_breakdown *b;
  int64_t from, to;
  int64_t *durations;
  size_t n, cap;
} tally;

static int add_duration(tally *t, int64_t seconds)
{
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    int64_t *grown = cbc__realloc(t->durations, cap * sizeof(int64_t));
    if (!grown)
      return cbc__error_oom();
    t->durations = grown, t->cap = cap;
  }
  t->durations[t->n++] = seconds;
  return 0;
}

/* Count one hazard into the dimensions' cells of the set it belongs to. */
static void add_dimensions(tally *t, drv_stmt *s, bool closed)
{
  cbc_stats_count *cells = t->b->counts;
  for (size_t d = 0; d < N_DIMENSIONS; cells += dimensions[d++].max) {
    int v = drv_column_int(s, B_DIMENSIONS + (int)d);
    if (dimensions[d].closed == closed && v >= 1 && v <= dimensions[d].max)
      cells[v - 1].count++;
  }
}

/* One hazard (the current row of @p s) into the tally; each condition is
 * the figure's definition (include/cbc/stats.h, cbc_stats_breakdown). */
static int add_hazard(tally *t, drv_stmt *s)
{
  cbc_stats_breakdown *b = t->b;
  int64_t reported = drv_column_int64(s, B_REPORTED_AT);
  int64_t closed_at = drv_column_int64(s, B_CLOSED_AT);
  int64_t deadline = drv_column_int64(s, B_DEADLINE);
  int state = drv_column_int(s, B_STATE);
  bool closed = state == CBC_HAZARD_CLOSED;
  b->reopens += drv_column_int64(s, B_REOPENS);
  if (reported < t->to && deadline > 0 && deadline < t->to && state != CBC_HAZARD_REJECTED &&
      !(closed && closed_at < t->to))
    b->overdue_at_end++;
  if (reported >= t->from && reported < t->to) {
    b->reported++;
    b->rejected += state == CBC_HAZARD_REJECTED;
    b->rectified += closed;
    add_dimensions(t, s, false);
  }
  if (!closed || closed_at < t->from || closed_at >= t->to)
    return 0;
  b->closed++;
  b->closed_on_time += closed_at <= deadline;
  add_dimensions(t, s, true);
  return add_duration(t, closed_at - reported);
}

static int cmp_int64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The cells of every dimension's values, zeros included. */
static int breakdown_cells(cbc_stats_breakdown *b)
{
  size_t cells = 0;
  for (size_t d = 0; d < N_DIMENSIONS; d++)
    cells += (size_t)dimensions[d].max;
  b->counts = cbc__calloc(cells, sizeof(cbc_stats_count));
  if (!b->counts)
    return cbc__error_oom();
  for (size_t d = 0, at = 0; d < N_DIMENSIONS; at += (size_t)dimensions[d++].max)
    for (int v = 1; v <= dimensions[d].max; v++)
      b->counts[at + (size_t)v - 1] = (cbc_stats_count){ dimensions[d].dimension, v, 0 };
  b->n_counts = cells;
  return 0;
}

int cbc_store__breakdown(cbc_store *st, const char *lo, const char *hi, int64_t from,
                         int64_t to, cbc_stats_breakdown *b, int64_t **durations, size_t *n)
{
  tally t = { b, from, to, NULL, 0, 0 };
  drv_stmt *s;
  *durations = NULL;
  *n = 0;
  int rc = breakdown_cells(b);
  if (!rc)
    rc = store_stmt(st, STMT_BREAKDOWN, BREAKDOWN_ROWS, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  int step = DRV_DONE;
  while (!rc && (step = store_step(st, s, "breaking hazards down")) == DRV_ROW)
    rc = add_hazard(&t, s);
  drv_reset(s);
  if (!rc && step < 0)
    rc = step;
  if (rc) {
    cbc__free(t.durations);
    return rc;
  }
  if (t.n)
    qsort(t.durations, t.n, sizeof(int64_t), cmp_int64);
  *durations = t.durations;
  *n = t.n;
  return 0;
}

int cbc_store__setting_get(cbc_store *st, const char *key, int64_t *value, bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_SETTING_GET, "SELECT value FROM settings WHERE key = ?1", &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, key);
  rc = store_step_maybe(st, s, "setting", found);
  *value = *found ? drv_column_int64(s, 0) : 0;
  drv_reset(s);
  return rc;
}

int cbc_store__setting_put(cbc_store *st, const char *key, int64_t value)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_SETTING_PUT,
                      "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value", &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, key);
  drv_bind_int64(s, 2, value);
  return store_exec_stmt(st, s, "recording a setting");
}

int cbc_store__cursor_ints(cbc_store_cursor *c, int64_t *values, int n)
{
  int rc = store_cursor_step(c);
  for (int i = 0; i < n && !rc; i++)
    values[i] = drv_column_int64(c->stmt, i);
  return rc;
}

int cbc_store__team_members_at(cbc_store *st, int64_t team_id, int64_t at, int64_t **ids,
                               size_t *n)
{
  drv_stmt *s;
  *ids = NULL;
  *n = 0;
  int rc = store_stmt(st, STMT_TEAM_MEMBERS_AT,
                      "SELECT tm.id FROM employees tm WHERE tm.unit_id = ?1"
                      " AND " MEMBER_UNIT_AT("tm.id", "?2") " = ?1"
                      " UNION SELECT tv.employee_id FROM employee_events tv WHERE tv.to_unit = ?1"
                      " AND tv.at <= ?2 AND " MEMBER_UNIT_AT("tv.employee_id", "?2") " = ?1"
                      " UNION SELECT tv.employee_id FROM employee_events tv"
                      " WHERE tv.from_unit = ?1 AND " MEMBER_UNIT_AT("tv.employee_id", "?2")
                      " = ?1 ORDER BY 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, team_id);
  drv_bind_int64(s, 2, at);
  return store_collect(st, s, sizeof(int64_t), store_fill_int64, (void **)ids, n);
}
