/* Team membership over time (lib/store/membership.h): where an employee was
 * at a time, and the employees whose past an org write changed, kept in a
 * temporary table (rolled back with the call that wrote them) until the
 * statistics attribute them again at the end of the call. */
#include "store_internal.h"
#include "membership.h"

int cbc_store__employee_unit_at(cbc_store *st, int64_t employee_id, int64_t at, int64_t *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_UNIT_AT, "SELECT " UNIT_AT("?1", "?2"), &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, at);
  rc = store_step_row(st, s, "employee history");
  *out = rc ? 0 : drv_column_int64(s, 0);
  drv_reset(s);
  return rc;
}

int cbc_store__employee_last_change(cbc_store *st, int64_t employee_id, int64_t *out)
{
  return store_int_by_id(st, STMT_LAST_CHANGE, "SELECT coalesce(max(at), 0) FROM employee_events"
                         " WHERE employee_id = ?1", employee_id, out);
}

/* The latest drill's time; -1 without drills (one seek of drills_held),
 * cached while no other connection commits (every inserted employee asks;
 * cbc_store__drill_insert forgets it). */
static int latest_drill(cbc_store *st, int64_t *out)
{
  cbc_store__org_generation(st); /* reads PRAGMA data_version once per transaction */
  bool cacheable = st->data_version_known;
  if (cacheable && st->latest_drill_seen == st->data_version + 1) {
    *out = st->latest_drill;
    return 0;
  }
  drv_stmt *s;
  int rc = store_stmt(st, STMT_LATEST_DRILL, "SELECT coalesce(max(held_at), -1) FROM drills", &s);
  if (rc)
    return rc;
  rc = store_step_row(st, s, "drills");
  *out = rc ? -1 : drv_column_int64(s, 0);
  drv_reset(s);
  if (!rc && cacheable) {
    st->latest_drill = *out;
    st->latest_drill_seen = st->data_version + 1;
  }
  return rc;
}

/* Whether the employee has participation marks of @p year or later. */
static int marked_since(cbc_store *st, int64_t employee_id, int year, bool *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_MARKED_SINCE, "SELECT 1 FROM participation"
                      " WHERE employee_id = ?1 AND year >= ?2 LIMIT 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, year);
  rc = store_step_maybe(st, s, "participation", out);
  drv_reset(s);
  return rc;
}

/* The notes' table; creating it is undone with a call rolled back. */
static int moved_table(cbc_store *st)
{
  return store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS cbc_moved(employee_id INTEGER NOT NULL,"
                    " since INTEGER NOT NULL)", "noting a change of membership");
}

#define YEAR_SECONDS 31556952 /* the Gregorian mean */

int store_membership_changed(cbc_store *st, int64_t employee_id, int64_t since,
                             bool may_have_records)
{
  int64_t latest;
  int rc = latest_drill(st, &latest);
  bool needed = since <= latest;
  /* a year early: no UTC offset moves a mark of a later year before it */
  if (!rc && !needed && may_have_records)
    rc = marked_since(st, employee_id, (int)(1970 + since / YEAR_SECONDS) - 1, &needed);
  if (rc || !needed)
    return rc;
  rc = moved_table(st);
  drv_stmt *s;
  if (!rc)
    rc = store_stmt(st, STMT_MOVED_ADD, "INSERT INTO cbc_moved VALUES (?1, ?2)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, since);
  rc = store_exec_stmt(st, s, "noting a change of membership");
  if (!rc)
    st->membership_moved = true;
  return rc;
}

int cbc_store__membership_changed(cbc_store *st, int64_t employee_id, int64_t since)
{
  return store_membership_changed(st, employee_id, since, true);
}

static void fill_moved(drv_stmt *s, void *element)
{
  cbc_store_moved *m = element;
  m->employee_id = drv_column_int64(s, 0);
  m->since = drv_column_int64(s, 1);
}

int cbc_store__membership_moved(cbc_store *st, cbc_store_moved **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  if (!st->membership_moved)
    return 0;
  drv_stmt *s;
  void *list = NULL;
  int rc = moved_table(st); /* gone when the call that made it was rolled back */
  if (!rc)
    rc = store_stmt(st, STMT_MOVED_LIST, "SELECT employee_id, min(since) FROM cbc_moved"
                      " GROUP BY employee_id ORDER BY employee_id", &s);
  if (!rc)
    rc = store_collect(st, s, sizeof(cbc_store_moved), fill_moved, &list, n);
  if (!rc)
    rc = store_exec(st, "DELETE FROM cbc_moved", "noting a change of membership");
  if (!rc)
    st->membership_moved = false;
  if (rc) {
    cbc__free(list);
    list = NULL;
    *n = 0;
  }
  *out = list;
  return rc;
}
