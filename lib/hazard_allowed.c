/* What a person may do on a hazard now (include/cbc/hazard.h
 * cbc_hazard_moves, docs/authorization.md "What may this person do now"):
 * each move's own checks on the hazard as it stands — the transition table,
 * its conditions that no argument changes, the authorization rules over the
 * facts the moves build — by the moves' own code (lib/hazard_internal.h),
 * without the arguments only a real move has. */
#include "hazard_internal.h"
#include "fsm.h"

/* The moves a person makes on an existing hazard: REPORT makes a new one,
 * and the overdue escalation is the sweep's. */
static const cbc_hazard_action person_moves[] = {
  CBC_ACTION_REJECT,           CBC_ACTION_REGISTER,         CBC_ACTION_START,
  CBC_ACTION_ESCALATE,         CBC_ACTION_LIST_SUPERVISION, CBC_ACTION_REQUEST_EXTENSION,
  CBC_ACTION_DECIDE_EXTENSION, CBC_ACTION_SUBMIT,           CBC_ACTION_VERIFY_PASS,
  CBC_ACTION_VERIFY_FAIL,      CBC_ACTION_REOPEN,           CBC_ACTION_FILE_PLAN,
  CBC_ACTION_AMEND,
};
#define N_PERSON_MOVES (sizeof(person_moves) / sizeof(person_moves[0]))

/* Registering takes authority at the level the registration chooses: the
 * actor may register when some level is theirs (a general hazard may be
 * registered at any level, and whoever has authority at a level may be
 * named responsible there). */
static int may_register(const cbc_hazard *h, const cbc__actor_facts *af)
{
  cbc__hazard_facts hf;
  cbc__hazard_facts_of(h, &hf);
  hf.severity = CBC_SEVERITY_GENERAL;
  int rc = 0;
  for (int level = CBC_LEVEL_INDIVIDUAL; level <= CBC_LEVEL_ENTERPRISE; level++) {
    hf.level = (cbc_level)level;
    if ((rc = cbc__authz_check(CBC_ACTION_REGISTER, af, &hf)) == 0)
      return 0;
  }
  return rc;
}

/* 0 when the actor may make @p action on @p h now; else the refusal
 * (CBC_ESTATE, CBC_EPERM) in the order the move itself checks. */
static int may_make(const cbc_hazard *h, const cbc__actor_facts *af, cbc_hazard_action action)
{
  int rc = cbc__hazard_step_check(h, action);
  if (!rc)
    rc = cbc__hazard_move_ready(h, action);
  if (rc)
    return rc;
  if (action == CBC_ACTION_REGISTER)
    return may_register(h, af);
  if (action == CBC_ACTION_AMEND)
    return cbc__hazard_amend_allowed(h, af);
  cbc__hazard_facts hf;
  cbc__hazard_facts_of(h, &hf);
  return cbc__authz_check(action, af, &hf);
}


/* The moves, with the hazard's row held: every read after it shares its
 * read snapshot, so the hazard and the org tree are seen as of one moment. */
static int weigh_moves(cbc_db *db, const cbc__question *q, unsigned int *moves)
{
  cbc_hazard h;
  cbc__actor_facts af;
  int rc = cbc_store__hazard_get_move(db->store, q->id, &h);
  if (!rc)
    rc = cbc__hazard_actor_facts(db, q->actor_id, &h, &af);
  for (size_t i = 0; i < N_PERSON_MOVES && !rc; i++) {
    int refused = may_make(&h, &af, person_moves[i]);
    if (!refused)
      *moves |= CBC_MOVE(person_moves[i]);
    else if (!cbc__is_refusal(refused))
      rc = refused;
  }
  return rc;
}

CBC_EXTERN(int) cbc_hazard_moves(unsigned int *out, cbc_db *db, int64_t hazard_id,
                                 int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  cbc__question q = { 0, hazard_id, actor_id };
  return cbc__question_answer(out, db, "hazard", weigh_moves, &q);
}
