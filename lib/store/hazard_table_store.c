/* SQL for the hazard table (lib/hazard_table.c): the subtree's hazards of a
 * period, each read once, grouped by their enterprise's industry. */
#include "store_internal.h"

#define SUBTREE "(SELECT id FROM units WHERE path >= ?1 AND path < ?2)"
#define FILLED(col) "CASE WHEN h." col " <> '' THEN 1 ELSE 0 END"
#define TABLE_COLUMNS                                                                    \
  "SELECT e.industry, h.enterprise_id, h.reported_at, h.closed_at, h.funds_fen, h.state," \
  " coalesce(nullif(h.severity, 0), h.proposed_severity), h.has_plan, " FILLED("plan_goals") \
  ", " FILLED("plan_methods") ", " FILLED("plan_funds_materials") ", "                    \
  FILLED("plan_responsible_bodies") ", CASE WHEN h.plan_time_limit > 0 THEN 1 ELSE 0 END, " \
  FILLED("plan_safety_measures") " FROM hazards h JOIN units e ON e.id = h.enterprise_id"
/* The period's reports (hazards_unit), then the major hazards with a plan
 * from before it still open at its start (hazards_unit_major: registered
 * major hazards have a deadline).  A hazard is in one part or the other. */
static const char table_sql[] =
  "SELECT * FROM (" TABLE_COLUMNS " WHERE h.unit_id IN " SUBTREE
  " AND h.reported_at >= ?3 AND h.reported_at < ?4"
  " UNION ALL " TABLE_COLUMNS " WHERE h.unit_id IN " SUBTREE
  " AND h.severity = 2 AND h.deadline > 0 AND h.has_plan = 1 AND h.reported_at < ?3"
  " AND h.state <> 6 AND (h.state <> 5 OR h.closed_at >= ?3)) t ORDER BY 1, 2";
enum { T_INDUSTRY, T_ENTERPRISE, T_REPORTED, T_CLOSED, T_FUNDS, T_STATE, T_SEVERITY,
       T_HAS_PLAN, T_PLAN_ITEMS };

static void read_row(drv_stmt *s, cbc_store_table_hazard *h)
{
  const char *industry = drv_column_text(s, T_INDUSTRY);
  h->industry = industry ? industry : "";
  h->enterprise_id = drv_column_int64(s, T_ENTERPRISE);
  h->reported_at = drv_column_int64(s, T_REPORTED);
  h->closed_at = drv_column_int64(s, T_CLOSED);
  h->funds_fen = drv_column_int64(s, T_FUNDS);
  h->state = drv_column_int(s, T_STATE);
  h->severity = drv_column_int(s, T_SEVERITY);
  h->has_plan = drv_column_int(s, T_HAS_PLAN);
  for (int i = 0; i < 6; i++)
    h->plan_items[i] = drv_column_int(s, T_PLAN_ITEMS + i);
}

int cbc_store__hazard_table(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_store_table_fn each, void *payload)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HAZARD_TABLE, table_sql, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  int step = DRV_DONE;
  cbc_store_table_hazard h;
  while (!rc && (step = store_step(st, s, "reading the hazard table's hazards")) == DRV_ROW) {
    read_row(s, &h);
    rc = each(&h, payload);
  }
  drv_reset(s);
  return !rc && step < 0 ? step : rc;
}

static void fill_hazard_id(drv_stmt *s, void *element)
{
  *(int64_t *)element = drv_column_int64(s, 0);
}

int cbc_store__major_hazards_open(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                  int64_t to, int64_t **out, size_t *n)
{
  return store_collect_range(st, STMT_MAJOR_OPEN_IN,
                             "SELECT h.id FROM units u JOIN hazards h ON h.unit_id = u.id"
                             " WHERE u.path >= ?1 AND u.path < ?2 AND h.severity = 2"
                             " AND h.state <> 6 AND h.reported_at < ?4"
                             " AND (h.state <> 5 OR h.closed_at >= ?3) ORDER BY h.id",
                             lo, hi, from, to, sizeof(**out), fill_hazard_id, (void **)out, n);
}
