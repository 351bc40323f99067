/* What a person may do to an activity record, and whether they may record
 * one (include/cbc/activity.h cbc_activity_moves, cbc_activity_may_record;
 * docs/activities.md "What may this person do"): each move's and each add
 * call's own checks, by their own code (lib/activity_internal.h), without
 * the arguments only a real move has. */
#include "activity_internal.h"


/* Add @p bit to @p moves when @p refused is 0; a refusal is an answer, any
 * other error the call's. */
static int weigh(unsigned int *moves, unsigned int bit, int refused)
{
  if (!refused)
    *moves |= bit;
  return cbc__is_refusal(refused) ? 0 : refused;
}

static int weigh_moves(cbc_db *db, const cbc__question *q, unsigned int *moves)
{
  cbc_activity_kind kind = (cbc_activity_kind)q->kind;
  int64_t id = q->id, actor_id = q->actor_id;
  int rc = weigh(moves, CBC_ACTIVITY_MAY_VOID, cbc__activity_void_allowed(db, kind, id, actor_id));
  if (!rc && kind == CBC_ACTIVITY_PROPOSAL)
    rc = weigh(moves, CBC_ACTIVITY_MAY_DECIDE, cbc__proposal_decide_allowed(db, id, actor_id));
  if (!rc && kind == CBC_ACTIVITY_ASSIGNMENT) {
    cbc_cadre_assignment row;
    int refused = cbc__assignment_open(db, id, &row);
    if (!refused)
      refused = cbc__activity_may_record(db, CBC_ACTIVITY_ASSIGNMENT, row.unit_id, actor_id);
    rc = weigh(moves, CBC_ACTIVITY_MAY_RELEASE, refused);
  }
  return rc;
}

/* The arguments both questions take; CBC_EINVAL naming the bad one. */
static int question_check(cbc_db *db, cbc_activity_kind kind, const char *what, int64_t id,
                          int64_t lowest, int64_t actor_id)
{
  int rc = cbc__db_check(db);
  if (!rc && !cbc_activity_kind_name(kind))
    rc = cbc__error(CBC_EINVAL, "unknown activity kind %d", (int)kind);
  if (!rc && (id < lowest || actor_id < 1))
    rc = cbc__error(CBC_EINVAL, "invalid %s id %lld", id < lowest ? what : "actor",
                    (long long)(id < lowest ? id : actor_id));
  return rc;
}

CBC_EXTERN(int) cbc_activity_moves(unsigned int *out, cbc_db *db, cbc_activity_kind kind,
                                   int64_t record_id, int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  int rc = question_check(db, kind, "record", record_id, 1, actor_id);
  if (rc)
    return rc;
  cbc__question q = { (int)kind, record_id, actor_id };
  return cbc__question_answer(out, db, "record", weigh_moves, &q);
}

/* The add call's checks of the unit and the person: the recorder's for a
 * training session, drill or assignment, the visiting cadre's for a visit,
 * the proposer's for a proposal. */
static int may_record(cbc_db *db, cbc_activity_kind kind, int64_t unit_id, int64_t actor_id)
{
  cbc_employee e;
  cbc_unit u;
  int rc = 0;
  if (kind == CBC_ACTIVITY_PROPOSAL) {
    rc = cbc__activity_employee_at(db, actor_id, cbc_db_now(db), "proposer", &e);
    if (!rc && !unit_id)
      unit_id = e.unit_id;
  }
  if (!rc)
    rc = cbc__activity_unit_check(db, kind, unit_id, &u);
  if (rc || kind == CBC_ACTIVITY_PROPOSAL)
    return rc;
  if (kind == CBC_ACTIVITY_VISIT)
    return cbc__activity_cadre_at(db, actor_id, cbc_db_now(db));
  return cbc__activity_may_record(db, kind, unit_id, actor_id);
}

CBC_EXTERN(int) cbc_activity_may_record(int *out, cbc_db *db, cbc_activity_kind kind,
                                        int64_t unit_id, int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  int rc = question_check(db, kind, "unit", unit_id, kind == CBC_ACTIVITY_PROPOSAL ? 0 : 1,
                          actor_id);
  if (rc)
    return rc;
  cbc__error_saved before;
  cbc__error_save(&before);
  int refused = may_record(db, kind, unit_id, actor_id);
  cbc_store__done(db->store);
  /* the add calls refuse a person or unit that may not as a bad argument
   * (CBC_EINVAL: not a cadre, gone, a closed unit, a unit of another kind)
   * or as a refusal (CBC_EPERM) */
  if (refused && refused != CBC_EINVAL && refused != CBC_EPERM)
    return refused;
  *out = !refused;
  cbc__error_restore(&before);
  return 0;
}
