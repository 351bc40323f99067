/* SQL for the integrity check (lib/check.c): SQLite's own check of the file
 * (a PostgreSQL server checks its own storage: data checksums, amcheck, run
 * by its administrator), and the span of time the statistics' records and aggregates cover.  Reads
 * only; the check runs rarely, so nothing is cached. */
#include "store_internal.h"
#include <string.h>

int cbc_store__integrity_check(cbc_store *st, cbc_store_problem_fn each, void *payload)
{
  if (store_on_postgres(st))
    return 0;
  drv_stmt *s;
  int rc = store_prepare(st, "PRAGMA integrity_check", false, &s);
  int step;
  while (!rc && (step = store_step(st, s, "checking the file's integrity")) == DRV_ROW) {
    const char *line = drv_column_text(s, 0);
    if (line && strcmp(line, "ok") != 0)
      rc = each(line, payload);
  }
  if (!rc && step < 0)
    rc = step;
  drv_finalize(s);
  return rc;
}

int cbc_store__report_order_broken(cbc_store *st, int64_t *hazard_id)
{
  drv_stmt *s;
  *hazard_id = 0;
  int rc = store_prepare(st, "SELECT id FROM (SELECT id, reported_at < lag(reported_at)"
                       " OVER (ORDER BY id) AS back FROM hazards) o WHERE back"
                       " AND (SELECT value FROM settings"
                       " WHERE key = 'hazard_ids_in_report_order') = 1 LIMIT 1", false, &s);
  int step = rc ? DRV_DONE : store_step(st, s, "checking the order of reports");
  if (step == DRV_ROW)
    *hazard_id = drv_column_int64(s, 0);
  else if (step < 0)
    rc = step;
  drv_finalize(s);
  return rc;
}

/* Each tenant table's rows that carry another tenant than their parent,
 * or a tenant that is no enterprise or region node (0, say: an insert
 * that left it out on SQLite, where the column has a default). */
#define CHILD_OF(child, parent, table, key)                                              \
  " SELECT '" child "', '" parent "', count(*) FROM " child " c JOIN " table " p"        \
  " ON p.id = c." key " WHERE c.enterprise_id <> p.enterprise_id"
#define RECORD(table)                                                                    \
  " SELECT '" table "', '', count(*) FROM " table " r WHERE NOT EXISTS (SELECT 1"       \
  " FROM units u WHERE u.id = r.enterprise_id AND u.kind IN (1, 2))"
static const char tenant_sql[] =
  "SELECT t, parent, n FROM (SELECT '' AS t, '' AS parent, 0 AS n UNION ALL"
  RECORD("hazards") " UNION ALL" RECORD("trainings")
  " UNION ALL" RECORD("drills") " UNION ALL" RECORD("visits") " UNION ALL" RECORD("proposals")
  " UNION ALL" RECORD("awards") " UNION ALL" RECORD("fines") " UNION ALL" RECORD("filings")
  " UNION ALL"
  CHILD_OF("hazard_events", "hazard", "hazards", "hazard_id") " UNION ALL"
  CHILD_OF("hazard_attachments", "hazard", "hazards", "hazard_id") " UNION ALL"
  CHILD_OF("overdue_escalations", "hazard", "hazards", "hazard_id") " UNION ALL"
  CHILD_OF("training_attendees", "training", "trainings", "training_id") " UNION ALL"
  CHILD_OF("voided_training_attendees", "training", "trainings", "training_id") " UNION ALL"
  CHILD_OF("drill_teams", "drill", "drills", "drill_id") " UNION ALL"
  CHILD_OF("voided_drill_teams", "drill", "drills", "drill_id")
  ") x WHERE n > 0";
#undef CHILD_OF
#undef RECORD

int cbc_store__tenant_mismatches(cbc_store *st, cbc_store_tenant_fn each, void *payload)
{
  drv_stmt *s;
  int rc = store_prepare(st, tenant_sql, false, &s);
  int step = DRV_DONE;
  while (!rc && (step = store_step(st, s, "checking the tenant keys")) == DRV_ROW) {
    const char *parent = drv_column_text(s, 1);
    rc = each(drv_column_text(s, 0), parent && *parent ? parent : NULL,
              drv_column_int64(s, 2), payload);
  }
  if (!rc && step < 0)
    rc = step;
  drv_finalize(s);
  return rc;
}

/* The earliest and latest times of the records the form counts, and the
 * first and last months (year * 100 + month) of the aggregates. */
static const char span_sql[] =
  "WITH t(at) AS ("
  "  SELECT reported_at FROM hazards UNION ALL"
  "  SELECT closed_at FROM hazards WHERE closed_at > 0 UNION ALL"
  "  SELECT at FROM hazard_events WHERE action = 6 UNION ALL"
  "  SELECT held_at FROM trainings UNION ALL SELECT held_at FROM drills UNION ALL"
  "  SELECT visited_at FROM visits UNION ALL SELECT submitted_at FROM proposals)"
  " SELECT (SELECT min(at) FROM t), (SELECT max(at) FROM t),"
  "        (SELECT min(month) FROM stat_months), (SELECT max(month) FROM stat_months)";

int cbc_store__stats_span(cbc_store *st, int64_t times[2], int64_t months[2])
{
  drv_stmt *s;
  int rc = store_prepare(st, span_sql, false, &s);
  int step = rc ? DRV_DONE : store_step(st, s, "finding the statistics' span");
  if (!rc && step != DRV_ROW)
    rc = step < 0 ? step : cbc__error(CBC_EIO, "finding the statistics' span: no row");
  for (int i = 0; i < 2 && !rc; i++) {
    times[i] = drv_column_int64(s, i); /* NULL (no records) reads 0 */
    months[i] = drv_column_int64(s, 2 + i);
  }
  drv_finalize(s);
  return rc;
}

/* Each enterprise's active months per year as stat_months says them
 * (activity > 0), and as stat_active keeps them; a year without an active
 * month may keep a row of 0. */
static const char active_broken_sql[] =
  "WITH derived(unit_id, year, months) AS ("
  "  SELECT m.unit_id, m.month / 100, sum(CAST(1 AS BIGINT) << CAST(m.month % 100 - 1 AS INTEGER))"
  "  FROM stat_months m JOIN units u ON u.id = m.unit_id AND u.kind = 2"
  "  WHERE m.activity > 0 GROUP BY m.unit_id, m.month / 100),"
  " kept(unit_id, year, months) AS ("
  "  SELECT unit_id, year, months FROM stat_active WHERE months <> 0)"
  " SELECT unit_id, year FROM (SELECT * FROM derived EXCEPT SELECT * FROM kept"
  "  UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM derived) b) d"
  " ORDER BY unit_id, year LIMIT 1";

int cbc_store__active_months_broken(cbc_store *st, int64_t *unit_id, int *year)
{
  drv_stmt *s;
  *unit_id = 0;
  *year = 0;
  int rc = store_prepare(st, active_broken_sql, false, &s);
  int step = rc ? DRV_DONE : store_step(st, s, "checking the enterprises' active months");
  if (step == DRV_ROW) {
    *unit_id = drv_column_int64(s, 0);
    *year = drv_column_int(s, 1);
  } else if (step < 0)
    rc = step;
  drv_finalize(s);
  return rc;
}
