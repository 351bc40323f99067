/* SQL for the hazards' administrative penalties (include/cbc/reward.h):
 * one immutable row per hazard, chained (docs/history.md). */
#include "store_internal.h"
#include <string.h>

int cbc_store__penalty_insert(cbc_store *st, const cbc_hazard_penalty *p, int64_t tenant)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_PENALTY_INSERT,
                      "INSERT INTO penalties(hazard_id, amount_fen, document, recorded_by,"
                      " recorded_at, enterprise_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, p->hazard_id);
  drv_bind_int64(s, 2, p->amount_fen);
  store_bind_text(s, 3, p->document);
  drv_bind_int64(s, 4, p->recorded_by);
  drv_bind_int64(s, 5, p->recorded_at);
  drv_bind_int64(s, 6, tenant);
  rc = store_exec_stmt(st, s, "recording a penalty");
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_PENALTY, p->hazard_id);
}

int cbc_store__penalty_get(cbc_store *st, int64_t hazard_id, cbc_hazard_penalty *out,
                           bool *found)
{
  drv_stmt *s;
  memset(out, 0, sizeof(*out));
  int rc = store_stmt(st, STMT_PENALTY_GET, "SELECT amount_fen, document, recorded_by,"
                      " recorded_at FROM penalties WHERE hazard_id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, hazard_id);
  rc = store_step_maybe(st, s, "reading a penalty", found);
  if (!rc && *found) {
    out->hazard_id = hazard_id;
    out->amount_fen = drv_column_int64(s, 0);
    out->recorded_by = drv_column_int64(s, 2);
    out->recorded_at = drv_column_int64(s, 3);
    if (!(out->document = cbc__strdup(store_col_text(s, 1))))
      rc = cbc__error_oom();
  }
  drv_reset(s);
  return rc;
}
