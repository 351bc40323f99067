/* SQL for rebuilding the statistics' aggregates in steps (lib/stats_rebuild.c,
 * docs/statistics.md "Rebuilding"): clearing them a chunk at a time, the
 * attribution units in id order, and, per attribution unit, the records
 * that count for it and the people who were ever in it. */
#include "store_internal.h"
#include "membership.h"
#include <stdio.h>
#include <string.h>

/* Delete up to @p limit rows of one table: stat_months first, then
 * participation, stat_rollups and stat_active (all WITHOUT ROWID: chosen
 * by their primary keys). */
static int clear_chunk(cbc_store *st, const char *sql, int64_t limit, int64_t *deleted)
{
  drv_stmt *s;
  int rc = store_prepare(st, sql, false, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, limit);
  rc = store_exec_stmt(st, s, "clearing the statistics");
  *deleted = rc ? 0 : drv_changes(s);
  drv_finalize(s);
  return rc;
}

int cbc_store__stats_clear_some(cbc_store *st, int64_t limit, int64_t *deleted)
{
  static const char *const sql[] = {
    "DELETE FROM stat_months WHERE (month, unit_id) IN"
    " (SELECT month, unit_id FROM stat_months LIMIT ?1)",
    "DELETE FROM participation WHERE (employee_id, year, unit_id) IN"
    " (SELECT employee_id, year, unit_id FROM participation LIMIT ?1)",
    "DELETE FROM stat_rollups WHERE (month, unit_id) IN"
    " (SELECT month, unit_id FROM stat_rollups LIMIT ?1)",
    "DELETE FROM stat_active WHERE (unit_id, year) IN"
    " (SELECT unit_id, year FROM stat_active LIMIT ?1)",
  };
  int rc = 0;
  *deleted = 0;
  st->org_generation++; /* the handle caches participation */
  for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]) && !rc && *deleted < limit; i++) {
    int64_t n = 0;
    rc = clear_chunk(st, sql[i], limit - *deleted, &n);
    *deleted += n;
  }
  return rc;
}

/* Attribution units are the units of kinds 1 (region nodes) and 2
 * (enterprises): workshops and teams count for their enterprise
 * (ATTRIBUTION_OF, lib/store/membership.h). */
#define ATTRIBUTION_UNIT "kind IN (1, 2)"

int cbc_store__attribution_unit_after(cbc_store *st, int64_t after, int64_t *id, int *kind)
{
  cbc_store_cursor *c;
  const int64_t args[1] = { after };
  *id = 0;
  *kind = 0;
  int rc = store_cursor_ints(&c, st, "SELECT id, kind FROM units WHERE id > ?1 AND "
                             ATTRIBUTION_UNIT " ORDER BY id LIMIT 1", 1, args);
  if (!rc && (rc = store_cursor_step(c)) == 0) {
    *id = drv_column_int64(c->stmt, 0);
    *kind = drv_column_int(c->stmt, 1);
  }
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

int cbc_store__attribution_units_count(cbc_store *st, int64_t through, int64_t *done,
                                       int64_t *total)
{
  cbc_store_cursor *c;
  const int64_t args[1] = { through };
  int rc = store_cursor_ints(&c, st, "SELECT count(*), coalesce(sum(CASE WHEN id <= ?1 THEN 1 ELSE 0 END), 0) FROM units"
                             " WHERE " ATTRIBUTION_UNIT, 1, args);
  if (!rc)
    rc = store_cursor_step(c);
  *total = rc ? 0 : drv_column_int64(c->stmt, 0);
  *done = rc ? 0 : drv_column_int64(c->stmt, 1);
  cbc_store__cursor_free(c);
  return rc;
}

int cbc_store__stats_has_records(cbc_store *st, bool *out)
{
  cbc_store_cursor *c;
  int rc = store_cursor_new(&c, st, "SELECT EXISTS(SELECT 1 FROM hazards)"
                            " OR EXISTS(SELECT 1 FROM trainings) OR EXISTS(SELECT 1 FROM drills)"
                            " OR EXISTS(SELECT 1 FROM visits) OR EXISTS(SELECT 1 FROM proposals)"
                            " OR EXISTS(SELECT 1 FROM stat_months)"
                            " OR EXISTS(SELECT 1 FROM participation)");
  if (!rc)
    rc = store_cursor_step(c);
  *out = rc || drv_column_int(c->stmt, 0);
  cbc_store__cursor_free(c);
  return rc;
}

int cbc_store__setting_delete(cbc_store *st, const char *key)
{
  drv_stmt *s;
  int rc = store_prepare(st, "DELETE FROM settings WHERE key = ?1", false, &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, key);
  rc = store_exec_stmt(st, s, "deleting a setting");
  drv_finalize(s);
  return rc;
}

/* The units whose records count for attribution unit ?1: an enterprise's
 * subtree [?2, ?3) (?4 = 1), or a region node alone (?4 = 0). */
#define UNITS_OF                                                                         \
  "(SELECT id FROM units WHERE ?4 <> 0 AND path >= ?2 AND path < ?3 UNION ALL SELECT ?1"  \
  " WHERE ?4 = 0)"

/* What the people who were ever in one of the units took part in, each row
 * (employee, time, training kind or 0, unit they were in then or the drilled
 * team), as cbc_store__participations_of (lib/store/activity_store.c) gives
 * one person's: whoever took part there was in one of its units at the time,
 * so is among those in one now or whose history moved them into or out of
 * one.  One query per attribution unit instead of one per person. */
#define PEOPLE_OF_UNIT                                                                   \
  "WITH p(e) AS (SELECT id FROM employees WHERE unit_id IN " UNITS_OF                     \
  " UNION SELECT employee_id FROM employee_events WHERE to_unit IN " UNITS_OF             \
  " UNION SELECT employee_id FROM employee_events WHERE from_unit IN " UNITS_OF ")"       \
  " SELECT p.e, hz.reported_at, 0, " UNIT_AT("p.e", "hz.reported_at")                    \
  " FROM p JOIN hazards hz ON hz.reporter_id = p.e WHERE hz.reporter_id IS NOT NULL"     \
  " UNION ALL SELECT p.e, a.held_at, a.kind, " UNIT_AT("p.e", "a.held_at")               \
  " FROM p JOIN training_attendees a ON a.employee_id = p.e"                             \
  " UNION ALL SELECT p.e, pr.submitted_at, 0, " UNIT_AT("p.e", "pr.submitted_at")        \
  " FROM p JOIN proposals pr ON pr.proposer_id = p.e WHERE pr.voided_at = 0"             \
  " UNION ALL SELECT p.e, vi.visited_at, 0, " UNIT_AT("p.e", "vi.visited_at")            \
  " FROM p JOIN visits vi ON vi.cadre_id = p.e WHERE vi.voided_at = 0"                   \
  " UNION ALL SELECT p.e, d.held_at, 0, d.team_id FROM p JOIN drill_teams d"             \
  " ON d.team_id IN (SELECT te.unit_id FROM employees te WHERE te.id = p.e"              \
  "  UNION SELECT tv.to_unit FROM employee_events tv WHERE tv.employee_id = p.e"         \
  "  UNION SELECT tv.from_unit FROM employee_events tv WHERE tv.employee_id = p.e)"      \
  " WHERE " MEMBER_UNIT_AT("p.e", "d.held_at") " = d.team_id"

static const char *const unit_replay_sql[] = {
  [CBC_UNIT_REPLAY_HAZARDS] = "SELECT enterprise_id, reported_at, state, closed_at FROM hazards"
                              " WHERE unit_id IN " UNITS_OF,
  [CBC_UNIT_REPLAY_LISTINGS] = "SELECT h.enterprise_id, v.at FROM hazards h"
                               " JOIN hazard_events v ON v.hazard_id = h.id"
                               " WHERE h.unit_id IN " UNITS_OF " AND v.action = 6",
  /* voided records count for nothing (their attendance and drill teams were
   * moved aside, schema step 9) */
  [CBC_UNIT_REPLAY_TRAININGS] = "SELECT unit_id, held_at, kind FROM trainings"
                                " WHERE unit_id IN " UNITS_OF " AND voided_at = 0",
  [CBC_UNIT_REPLAY_DRILLS] = "SELECT unit_id, held_at FROM drills"
                             " WHERE enterprise_id IN " UNITS_OF " AND voided_at = 0",
  [CBC_UNIT_REPLAY_VISITS] = "SELECT unit_id, visited_at FROM visits"
                             " WHERE unit_id IN " UNITS_OF " AND voided_at = 0",
  [CBC_UNIT_REPLAY_PROPOSALS] = "SELECT unit_id, submitted_at FROM proposals"
                                " WHERE unit_id IN " UNITS_OF " AND voided_at = 0",
  [CBC_UNIT_REPLAY_PEOPLE] = PEOPLE_OF_UNIT,
};

int cbc_store__unit_replay(cbc_store_cursor **out, cbc_store *st, cbc_store_unit_replay which,
                           int64_t unit_id, bool enterprise)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  *out = NULL;
  int rc = cbc_store__unit_range(st, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = store_cursor_new(out, st, unit_replay_sql[which]);
  if (!rc)
    rc = store_bind_range(st, (*out)->stmt, 2, lo, hi);
  if (!rc) {
    drv_bind_int64((*out)->stmt, 1, unit_id);
    drv_bind_int64((*out)->stmt, 4, enterprise);
  } else if (*out) {
    cbc_store__cursor_free(*out);
    *out = NULL;
  }
  return rc;
}
