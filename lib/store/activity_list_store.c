/* SQL for listing the campaign's activity records by unit subtree and
 * period, reading their rows, and voiding them (include/cbc/activity.h,
 * docs/activities.md "Voiding"). */
#include "activity_rows.h"
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ rows */

/* Void fields start at column @p i; a voided row names when and by whom. */
static int void_fields(drv_stmt *s, int i, const char *what, int64_t id, int64_t *at,
                       int64_t *by, char **reason)
{
  *at = drv_column_int64(s, i);
  *by = drv_column_int64(s, i + 1);
  *reason = (char *)store_col_text(s, i + 2);
  if (*at < 0 || *at > CBC_TIME_MAX || *by < 0 || (*at != 0) != (*by != 0))
    return cbc__error(CBC_ECORRUPT, "%s %lld: a damaged void (time or actor out of range)",
                      what, (long long)id);
  return 0;
}

int store_training_row(drv_stmt *s, cbc_training *t)
{
  memset(t, 0, sizeof(*t));
  t->id = drv_column_int64(s, 0);
  t->kind = (cbc_training_kind)drv_column_int(s, 1);
  t->unit_id = drv_column_int64(s, 2);
  t->held_at = drv_column_int64(s, 3);
  t->minutes = drv_column_int(s, 4);
  t->title = (char *)store_col_text(s, 5);
  t->recorded_at = drv_column_int64(s, 6);
  int rc = void_fields(s, 7, "training session", t->id, &t->voided_at, &t->voided_by,
                       &t->void_reason);
  return rc ? rc : cbc_store__training_row_check(t);
}

static bool time_ok(int64_t t) { return t >= CBC_TIME_MIN && t <= CBC_TIME_MAX; }

static int times_check(const char *what, int64_t id, const int64_t *times, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!time_ok(times[i]))
      return cbc__error(CBC_ECORRUPT, "%s %lld: a damaged row (time out of range)", what,
                        (long long)id);
  return 0;
}

int store_drill_row(drv_stmt *s, cbc_drill *d)
{
  memset(d, 0, sizeof(*d));
  d->id = drv_column_int64(s, 0);
  d->unit_id = drv_column_int64(s, 1);
  d->held_at = drv_column_int64(s, 2);
  d->scenario = (char *)store_col_text(s, 3);
  d->recorded_at = drv_column_int64(s, 4);
  const int64_t times[] = { d->held_at, d->recorded_at };
  int rc = void_fields(s, 5, "drill", d->id, &d->voided_at, &d->voided_by, &d->void_reason);
  return rc ? rc : times_check("drill", d->id, times, 2);
}

int store_visit_row(drv_stmt *s, cbc_visit *v)
{
  memset(v, 0, sizeof(*v));
  v->id = drv_column_int64(s, 0);
  v->cadre_id = drv_column_int64(s, 1);
  v->unit_id = drv_column_int64(s, 2);
  v->visited_at = drv_column_int64(s, 3);
  v->findings = (char *)store_col_text(s, 4);
  v->recorded_at = drv_column_int64(s, 5);
  const int64_t times[] = { v->visited_at, v->recorded_at };
  int rc = void_fields(s, 6, "visit", v->id, &v->voided_at, &v->voided_by, &v->void_reason);
  return rc ? rc : times_check("visit", v->id, times, 2);
}

int store_proposal_row(drv_stmt *s, cbc_proposal *p)
{
  memset(p, 0, sizeof(*p));
  p->id = drv_column_int64(s, 0);
  p->proposer_id = drv_column_int64(s, 1);
  p->unit_id = drv_column_int64(s, 2);
  p->title = (char *)store_col_text(s, 3);
  p->text = (char *)store_col_text(s, 4);
  p->submitted_at = drv_column_int64(s, 5);
  p->status = (cbc_proposal_status)drv_column_int(s, 6);
  p->decided_by = drv_column_int64(s, 7);
  p->decided_at = drv_column_int64(s, 8);
  p->note = (char *)store_col_text(s, 9);
  int rc = void_fields(s, 10, "proposal", p->id, &p->voided_at, &p->voided_by, &p->void_reason);
  return rc ? rc : cbc_store__proposal_row_check(p);
}

int store_assignment_row(drv_stmt *s, cbc_cadre_assignment *a)
{
  memset(a, 0, sizeof(*a));
  a->id = drv_column_int64(s, 0);
  a->cadre_id = drv_column_int64(s, 1);
  a->unit_id = drv_column_int64(s, 2);
  a->from = drv_column_int64(s, 3);
  a->to = drv_column_int64(s, 4);
  a->recorded_at = drv_column_int64(s, 5);
  const int64_t times[] = { a->from, a->to, a->recorded_at };
  int rc = void_fields(s, 6, "cadre assignment", a->id, &a->voided_at, &a->voided_by,
                       &a->void_reason);
  return rc ? rc : times_check("cadre assignment", a->id, times, 3);
}

/* -------------------------------------------------------------- lookups */

/* Cached single-row query @p sql by id, its row left in the statement. */
static int row_by_id(cbc_store *st, store_stmt_id which, const char *sql, int64_t id,
                     const char *what, drv_stmt **out)
{
  int rc = store_stmt(st, which, sql, out);
  if (rc)
    return rc;
  drv_bind_int64(*out, 1, id);
  rc = store_step_row(st, *out, what);
  return rc == CBC_ENOTFOUND ? cbc__error(rc, "%s %lld not found", what, (long long)id) : rc;
}

int cbc_store__visit_get(cbc_store *st, int64_t id, cbc_visit *v)
{
  drv_stmt *s;
  memset(v, 0, sizeof(*v));
  int rc = row_by_id(st, STMT_VISIT_GET, "SELECT " VISIT_COLUMNS " FROM visits x WHERE x.id = ?1",
                     id, "visit", &s);
  return rc ? rc : store_visit_row(s, v);
}

int cbc_store__assignment_get(cbc_store *st, int64_t id, cbc_cadre_assignment *a)
{
  drv_stmt *s;
  memset(a, 0, sizeof(*a));
  int rc = row_by_id(st, STMT_ASSIGNMENT_GET,
                     "SELECT " ASSIGNMENT_COLUMNS " FROM cadre_assignments x WHERE x.id = ?1", id,
                     "cadre assignment", &s);
  return rc ? rc : store_assignment_row(s, a);
}

/* -------------------------------------------------------------- listings */

/* Per kind: the table, its columns, its time (the order, then id), when
 * a row lies in the period [?3, ?4) (?4 is INT64_MAX when open), and its
 * kind of chained record. */
static const struct {
  const char *table, *columns, *time, *in_period;
  int chained;
} kinds[] = {
  [CBC_ACTIVITY_TRAINING] = { "trainings", TRAINING_COLUMNS, "x.held_at",
                              "x.held_at >= ?3 AND x.held_at < ?4", CBC_HISTORY_TRAINING },
  [CBC_ACTIVITY_DRILL] = { "drills", DRILL_COLUMNS, "x.held_at",
                           "x.held_at >= ?3 AND x.held_at < ?4", CBC_HISTORY_DRILL },
  [CBC_ACTIVITY_VISIT] = { "visits", VISIT_COLUMNS, "x.visited_at",
                           "x.visited_at >= ?3 AND x.visited_at < ?4", CBC_HISTORY_VISIT },
  [CBC_ACTIVITY_PROPOSAL] = { "proposals", PROPOSAL_COLUMNS, "x.submitted_at",
                              "x.submitted_at >= ?3 AND x.submitted_at < ?4",
                              CBC_HISTORY_PROPOSAL },
  /* an assignment is in the period when its own [from, to) overlaps it */
  [CBC_ACTIVITY_ASSIGNMENT] = { "cadre_assignments", ASSIGNMENT_COLUMNS, "x.from_at",
                                "x.from_at < ?4 AND (x.to_at = 0 OR x.to_at > ?3)",
                                CBC_HISTORY_ASSIGNMENT },
};

/* The subtree is the units' path range (one range of units_path, then the
 * table's (unit_id, time) index per unit: CROSS JOIN keeps the planner
 * from scanning every unit's records of the period instead), never a list
 * of ids; without a unit the table's time index gives the order. */
int cbc_store__activity_query(cbc_store_cursor **out, cbc_store *st, cbc_activity_kind kind,
                              const char *lo, const char *hi, int64_t from, int64_t to,
                              bool with_voided)
{
  char sql[1024];
  *out = NULL;
  if (kind < CBC_ACTIVITY_TRAINING || kind > CBC_ACTIVITY_ASSIGNMENT)
    return cbc__error(CBC_EINVAL, "unknown activity kind %d", (int)kind);
  snprintf(sql, sizeof(sql), "SELECT %s FROM %s%s x%s WHERE %s%s AND (?5 <> 0 OR x.voided_at = 0)"
           " ORDER BY %s, x.id", kinds[kind].columns, lo ? "units u CROSS JOIN " : "",
           kinds[kind].table, lo ? " ON x.unit_id = u.id" : "", kinds[kind].in_period,
           lo ? " AND u.path >= ?1 AND u.path < ?2" : "", kinds[kind].time);
  int rc = store_cursor_new(out, st, sql);
  if (rc)
    return rc;
  store_cursor_paged(*out);
  drv_stmt *s = (*out)->stmt;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to ? to : INT64_MAX);
  drv_bind_int64(s, 5, with_voided);
  /* no cursor over an unbound range: it would list nothing */
  rc = store_bind_range(st, s, 1, lo, hi);
  if (rc) {
    cbc_store__cursor_free(*out);
    *out = NULL;
  }
  return rc;
}

int cbc_store__cursor_activity(cbc_store_cursor *c, cbc_activity_kind kind, void *row)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  switch (kind) {
  case CBC_ACTIVITY_TRAINING: return store_training_row(c->stmt, row);
  case CBC_ACTIVITY_DRILL: return store_drill_row(c->stmt, row);
  case CBC_ACTIVITY_VISIT: return store_visit_row(c->stmt, row);
  case CBC_ACTIVITY_PROPOSAL: return store_proposal_row(c->stmt, row);
  default: return store_assignment_row(c->stmt, row);
  }
}

/* --------------------------------------------------------------- voiding */

/* Run @p sql once with ?1 = @p id and the void's fields as ?2..?4; the
 * rows it changed in *@p changed. */
static int exec_void_sql(cbc_store *st, const char *sql, int64_t id, int64_t at, int64_t by,
                         const char *reason, int64_t *changed)
{
  drv_stmt *s;
  int rc = store_prepare(st, sql, false, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  if (drv_param_count(s) >= 4) {
    drv_bind_int64(s, 2, at);
    drv_bind_int64(s, 3, by);
    store_bind_text(s, 4, reason);
  }
  rc = store_exec_stmt(st, s, "voiding an activity record");
  *changed = drv_changes(s);
  drv_finalize(s);
  return rc;
}

/* A voided record's attendance or teams move to their own tables (schema
 * step 9), so what counts them reads live records only. */
static const char *const moves[][2] = {
  [CBC_ACTIVITY_TRAINING] = {
    "INSERT INTO voided_training_attendees(training_id, employee_id, passed, kind, held_at,"
    " enterprise_id) SELECT training_id, employee_id, passed, kind, held_at, enterprise_id"
    " FROM training_attendees WHERE training_id = ?1",
    "DELETE FROM training_attendees WHERE training_id = ?1" },
  [CBC_ACTIVITY_DRILL] = {
    "INSERT INTO voided_drill_teams(drill_id, team_id, held_at, enterprise_id)"
    " SELECT drill_id, team_id, held_at, enterprise_id FROM drill_teams WHERE drill_id = ?1",
    "DELETE FROM drill_teams WHERE drill_id = ?1" },
};

int cbc_store__activity_void(cbc_store *st, cbc_activity_kind kind, int64_t id, int64_t at,
                             int64_t by, const char *reason)
{
  char sql[256];
  if (kind < CBC_ACTIVITY_TRAINING || kind > CBC_ACTIVITY_ASSIGNMENT)
    return cbc__error(CBC_EINVAL, "unknown activity kind %d", (int)kind);
  snprintf(sql, sizeof(sql), "UPDATE %s SET voided_at = ?2, voided_by = ?3, void_reason = ?4"
           " WHERE id = ?1 AND voided_at = 0", kinds[kind].table);
  int64_t changed;
  int rc = exec_void_sql(st, sql, id, at, by, reason, &changed);
  if (!rc && changed != 1) /* checked by the caller first */
    rc = cbc__error(CBC_ESTATE, "%s %lld is not there to void", cbc_activity_kind_name(kind),
                    (long long)id);
  for (int i = 0; i < 2 && !rc && kind <= CBC_ACTIVITY_DRILL; i++)
    rc = exec_void_sql(st, moves[kind][i], id, at, by, reason, &changed);
  return rc ? rc : cbc_store__chain_note(st, kinds[kind].chained, id);
}
