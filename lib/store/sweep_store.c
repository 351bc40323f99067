/* The overdue sweep's queries (lib/hazard_sweep.c): the ids of the overdue
 * hazards from the open-deadline index alone, and the mark that says when
 * (the time the sweep judged by) the sweep last escalated a hazard (table
 * overdue_escalations, schema step 12 -> 13). */
#include "store_internal.h"

/* The partial index hazards_open_deadline (schema step 2 -> 3) holds the
 * open hazards by deadline and carries their ids: the query reads no row. */
int cbc_store__overdue_ids(cbc_store *st, int64_t at, int64_t **out, size_t *count)
{
  drv_stmt *s;
  *out = NULL;
  *count = 0;
  int rc = store_stmt(st, STMT_SWEEP_IDS,
                      "SELECT id FROM hazards INDEXED BY hazards_open_deadline"
                      " WHERE state BETWEEN 2 AND 4 AND deadline < ?1",
                      &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, at);
  void *ids = NULL;
  rc = store_collect(st, s, sizeof(int64_t), store_fill_int64, &ids, count);
  *out = ids;
  return rc;
}

int cbc_store__overdue_escalated_at(cbc_store *st, int64_t id, int64_t *at)
{
  return store_int_by_id(st, STMT_SWEEP_MARK_GET,
                         "SELECT escalated_at FROM overdue_escalations WHERE hazard_id = ?1", id,
                         at);
}

int cbc_store__overdue_escalated_set(cbc_store *st, int64_t id, int64_t tenant, int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_SWEEP_MARK_SET,
                      "INSERT INTO overdue_escalations(hazard_id, enterprise_id, escalated_at)"
                      " VALUES (?1, ?2, ?3) ON CONFLICT(hazard_id, enterprise_id)"
                      " DO UPDATE SET escalated_at = excluded.escalated_at", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  drv_bind_int64(s, 2, tenant);
  drv_bind_int64(s, 3, at);
  return store_exec_stmt(st, s, "marking an overdue escalation");
}
