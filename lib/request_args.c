/* The canonical arguments of the keyed activity calls, for the digest a
 * retry is compared by (lib/request.h).  Arrays are read only within the
 * limits the calls enforce: a record beyond them is refused before anything
 * is recorded. */
#include "request.h"

void cbc__training_request_args(cbc__request *rq, const void *args)
{
  const cbc_training_record *r = args;
  cbc__request_int(rq, r->kind);
  cbc__request_int(rq, r->unit_id);
  cbc__request_int(rq, r->held_at);
  cbc__request_int(rq, r->minutes);
  cbc__request_text(rq, r->title);
  size_t n = r->attendees && r->n_attendees <= CBC_MAX_ATTENDEES ? r->n_attendees : 0;
  cbc__request_int(rq, (int64_t)n);
  for (size_t i = 0; i < n; i++) {
    cbc__request_int(rq, r->attendees[i].employee_id);
    cbc__request_int(rq, r->attendees[i].passed);
  }
  if (r->version >= 3 && r->recorded_by) /* keys used without one keep their digest */
    cbc__request_int(rq, r->recorded_by);
}

void cbc__drill_request_args(cbc__request *rq, const void *args)
{
  const cbc_drill_record *r = args;
  cbc__request_int(rq, r->unit_id);
  cbc__request_int(rq, r->held_at);
  cbc__request_text(rq, r->scenario);
  size_t n = r->team_ids && r->n_teams <= CBC_MAX_DRILL_TEAMS ? r->n_teams : 0;
  cbc__request_int(rq, (int64_t)n);
  for (size_t i = 0; i < n; i++)
    cbc__request_int(rq, r->team_ids[i]);
  if (r->version >= 3 && r->recorded_by) /* keys used without one keep their digest */
    cbc__request_int(rq, r->recorded_by);
}

void cbc__visit_request_args(cbc__request *rq, const void *args)
{
  const cbc_visit_record *r = args;
  cbc__request_int(rq, r->cadre_id);
  cbc__request_int(rq, r->unit_id);
  cbc__request_int(rq, r->visited_at);
  cbc__request_text(rq, r->findings);
}

void cbc__proposal_request_args(cbc__request *rq, const void *args)
{
  const cbc_proposal_record *r = args;
  cbc__request_int(rq, r->proposer_id);
  cbc__request_int(rq, r->unit_id);
  cbc__request_text(rq, r->title);
  cbc__request_text(rq, r->text);
}

int cbc__request_keyed_call(cbc_db *db, cbc__request_kind kind, const char *key,
                            cbc__request_args_fn args_fn, cbc__write_fn fn, const void *args,
                            int64_t *out_id)
{
  cbc__request rq;
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = cbc__request_start(&rq, kind, key);
  if (rc)
    return rc;
  args_fn(&rq, args);
  cbc__request_end(&rq);
  return cbc__request_write_call(db, CBC__WRITE_CHECKED_FIRST, &rq, fn, args, out_id);
}
