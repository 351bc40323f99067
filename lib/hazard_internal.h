/* The hazard's moves: what a move carries, its JSON form in the history, and
 * the fold that applies it to a hazard.  The live path and the replay of a
 * history use the same fold, so a hazard's state is a function of its
 * history (lib/hazard_move.c).  Not exported. */
#ifndef CBC_HAZARD_INTERNAL_H
#define CBC_HAZARD_INTERNAL_H

#include "db_internal.h"

/* Everything a move may carry; unused fields are 0 / NULL.  Strings are
 * borrowed. */
typedef struct cbc__move {
  cbc_hazard_action action;
  int64_t at, actor_id;
  /* REPORT */
  int64_t reporter_id, unit_id, enterprise_id, observed_at;
  const char *title, *description, *location;
  int kind, category, check_item, source, proposed_severity;
  /* REGISTER; ESCALATE (level, responsible_id); FILE_PLAN (plan) */
  int severity, level;
  int64_t responsible_id, funds_fen, deadline;
  const char *measures, *contingency_plan;
  int has_plan;
  cbc_rectification_plan plan;
  /* REJECT, ESCALATE, extensions, REOPEN */
  const char *reason;
  int64_t duplicate_of;
  /* LIST_SUPERVISION */
  const char *authority, *document;
  int64_t listed_at;
  /* DECIDE_EXTENSION */
  int approve;
  /* SUBMIT, VERIFY_* */
  const char *note;
  /* AMEND: the cbc_amend_field bits it changes (the values above, the
   * reason); a funds of 0 is only known by its bit */
  unsigned int amended;
} cbc__move;

/* The move's data as a JSON object (only the fields that are set), owned by
 * the caller (cbc__free). */
int cbc__move_to_json(const cbc__move *m, char **out);
/* Parse an event's data back.  Strings point into *json_holder, which the
 * caller frees with cbc__move_json_free(). */
int cbc__move_from_event(cbc__move *m, const cbc_hazard_event *ev, void **json_holder);
void cbc__move_json_free(void *json_holder);

/* Apply a move to a hazard whose strings are borrowed: the ones the move
 * sets afterwards point at the move's own strings, so the caller keeps the
 * move's strings alive while it uses the hazard.  State and timestamps
 * follow the transition table.  Pure: no I/O, no allocation. */
int cbc__hazard_fold(cbc_hazard *h, const cbc__move *m);

/* Append a move to the history (after the hazard row is written), with its
 * attachments at @p stage. */
int cbc__hazard_record_event(cbc_db *db, const cbc_hazard *h, const cbc__move *m,
                             cbc_hazard_state from, const cbc_attachment *a, size_t n,
                             cbc_attachment_stage stage);

/* The time a report is recorded at (*at), read once the write lock is held
 * (on PostgreSQL, the reports' lock: cbc_store__reports_lock): writers
 * hold it one at a time, so report times rise with the ids handed out, as
 * the ledger's report-order setting expects (docs/ledger.md); never before
 * @p checked_at, the time the record was checked against.  0, or the
 * lock's error (CBC_EBUSY past the busy timeout). */
int cbc__hazard_report_time(cbc_db *db, int64_t checked_at, int64_t *at);

/* Check a new hazard as given (fields, enums, attachments, times). */
int cbc__hazard_record_check(const cbc_hazard_record *r, int64_t now);
/* Report inside an open write call; @p followup_hash (may be NULL) is the
 * hash of an anonymous report's follow-up key. */
int cbc__hazard_report_in_txn(cbc_db *db, const cbc_hazard_record *r, int64_t now,
                              const unsigned char *followup_hash, int64_t *out_id);
/* Add a report's arguments to a request's digest (lib/request.h). */
struct cbc__request;
void cbc__hazard_request_args(struct cbc__request *rq, const cbc_hazard_record *r);

/* Validate attachments given by the caller. */
int cbc__attachments_check(const cbc_attachment *a, size_t n);

/* The moves' pipeline (lib/hazard_act.c), for moves kept in files of their
 * own (lib/hazard_amend.c).  A prepare function fills the move from the
 * caller's arguments and the stored hazard, and the hazard facts the rules
 * need; it returns an error for bad arguments. */
struct cbc__hazard_facts;
typedef int (*cbc__prepare_fn)(cbc_db *db, const cbc_hazard *h, cbc__move *m,
                               struct cbc__hazard_facts *hf, const void *args);

typedef struct cbc__move_spec {
  cbc_hazard_action action;
  cbc__prepare_fn prepare;
  const void *args;
  const cbc_attachment *evidence;
  size_t n_evidence;
  cbc_attachment_stage stage;
  bool own_flow; /* part of cbc_hazard_fix_on_spot: the flow itself is the rule */
} cbc__move_spec;

/* A public move: the argument checks, then in one write transaction the
 * transition table, @p spec's prepare, the authorization rules, the fold,
 * the row, its event, the statistics and the rewards. */
int cbc__hazard_move(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                     const cbc__move_spec *spec);
/* The overdue sweep's move on @p h (borrowed from cbc_store__hazard_get_move,
 * inside the caller's write transaction): ESCALATE_OVERDUE one level as the
 * system (actor 0, reason "overdue"), the responsible person resolved at
 * the new level or kept when nobody holds the role (lib/hazard_sweep.c). */
int cbc__hazard_escalate_overdue(cbc_db *db, cbc_hazard *h);
/* Sort hazard ids (all >= 1) ascending (lib/hazard_sweep.c). */
void cbc__sort_ids(int64_t *ids, size_t n);
/* The pieces of a move that cbc_hazard_moves() weighs too (lib/hazard_act.c),
 * so the question "may this person make it now" and the move itself answer
 * by the same code:
 * - where the actor stands relative to @p h (docs/authorization.md); an
 *   unknown actor is CBC_ENOTFOUND; */
struct cbc__actor_facts;
int cbc__hazard_actor_facts(cbc_db *db, int64_t actor_id, const cbc_hazard *h,
                            struct cbc__actor_facts *f);
/* - what the rules need of @p h as it stands (a move's prepare function
 *   then adds what its arguments change); */
void cbc__hazard_facts_of(const cbc_hazard *h, struct cbc__hazard_facts *hf);
/* - the transition table from @p h's state, and a major hazard for the
 *   moves only major ones allow (CBC_ESTATE otherwise); */
int cbc__hazard_step_check(const cbc_hazard *h, cbc_hazard_action action);
/* - the move's own conditions on @p h that no argument changes: the level
 *   for ESCALATE and FILE_PLAN, not yet listed, a request pending (or not)
 *   and a later deadline possible for the extensions, the plan on file to
 *   SUBMIT at ENTERPRISE level (CBC_ESTATE naming the condition); */
int cbc__hazard_move_ready(const cbc_hazard *h, cbc_hazard_action action);
/* - whether the actor may make some correction of @p h now (lib/hazard_amend.c):
 *   0, or the refusal (CBC_EPERM, CBC_ESTATE). */
int cbc__hazard_amend_allowed(const cbc_hazard *h, const struct cbc__actor_facts *af);

/* Whether any deadline later than @p h's current one can be set (times end
 * at CBC_TIME_MAX): an extension or a correction moving it later needs one. */
static inline bool cbc__later_deadline_exists(const cbc_hazard *h)
{
  return h->deadline < CBC_TIME_MAX;
}

/* Whether employee @p id may be responsible for @p h at @p level (the rule
 * of cbc_hazard_register(); CBC_EINVAL naming responsible_id otherwise). */
int cbc__hazard_responsible_check(cbc_db *db, const cbc_hazard *h, cbc_level level, int64_t id);

/* Copy a borrowed hazard into owned memory (*out freed with cbc_hazard_free). */
int cbc__hazard_copy(cbc_hazard **out, const cbc_hazard *src);
/* Free the strings and attachments of an owned hazard (not the struct). */
void cbc__hazard_clear(cbc_hazard *h);

#endif
