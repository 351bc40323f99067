/* The award ledger and internal fines (include/cbc/reward.h): the moves of
 * an award, each a write checked first; fines; the period summary. */
#include "reward_internal.h"
#include "followup.h"
#include "org_scope.h"
#include <string.h>

CBC__STRUCT_INIT_FN(cbc_fine_record_init, cbc_fine_record, CBC_FINE_RECORD_VERSION,
                    CBC_FINE_RECORD_INIT)

CBC_EXTERN(void) cbc_award_free(cbc_award *a)
{
  if (!a)
    return;
  cbc__free(a->cause);
  cbc__free(a->reasons);
  cbc__free(a->payment_ref);
  cbc__free(a->decline_reason);
  cbc__free(a->review_note);
  cbc__free(a);
}

CBC_EXTERN(void) cbc_awards_free(cbc_awards *awards)
{
  if (!awards)
    return;
  for (size_t i = 0; i < awards->count; i++)
    cbc_award_free(awards->items[i]);
  cbc__free(awards->items);
  cbc__free(awards);
}

CBC_EXTERN(int) cbc_award_lookup(cbc_award **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  return rc ? rc : cbc_store__award_get(db->store, id, out);
}

CBC__STRUCT_INIT_FN(cbc_award_filter_init, cbc_award_filter, CBC_AWARD_FILTER_VERSION,
                    CBC_AWARD_FILTER_INIT)

/* [from, to) with 0 for an open end, as the listings take it. */
static int range_check(int64_t from, int64_t to)
{
  if (from < 0 || to < 0 || (to && to <= from))
    return cbc__error(CBC_EINVAL, "an empty or inverted range");
  return to ? cbc__time_range_check("the range", from, to) : cbc__time_check("the range", from);
}

/* The subtree [lo, hi) of @p unit_id; *subtree false for 0 (every unit). */
static int subtree_of(cbc_db *db, int64_t unit_id, char *lo, char *hi, bool *subtree)
{
  *subtree = unit_id != 0;
  if (unit_id < 0)
    return cbc__error(CBC_EINVAL, "a negative unit id");
  return unit_id ? cbc_store__unit_range(db->store, unit_id, lo, hi, CBC_STORE_PATH_MAX) : 0;
}

CBC_EXTERN(int) cbc_award_select(cbc_awards **out, cbc_db *db, const cbc_award_filter *filter)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  const cbc_award_filter all = CBC_AWARD_FILTER_INIT;
  const cbc_award_filter *f = filter ? filter : &all;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  bool subtree = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc__check_version("cbc_award_filter", f->version, CBC_AWARD_FILTER_VERSION);
  if (!rc && (f->state < 0 || f->state > CBC_AWARD_DECLINED))
    rc = cbc__error(CBC_EINVAL, "unknown award state %d", f->state);
  if (!rc && (f->subject_kind < 0 || f->subject_kind > CBC_SUBJECT_UNIT))
    rc = cbc__error(CBC_EINVAL, "unknown subject kind %d", f->subject_kind);
  if (!rc)
    rc = range_check(f->from, f->to);
  if (!rc)
    rc = subtree_of(db, f->unit_id, lo, hi, &subtree);
  return rc ? rc : cbc_store__award_list(db->store, subtree ? lo : NULL, subtree ? hi : NULL,
                                         f->from, f->to ? f->to : INT64_MAX, f->state,
                                         f->subject_kind, f->subject_id, out);
}

CBC_EXTERN(int) cbc_award_list(cbc_awards **out, cbc_db *db, int64_t from, int64_t to,
                               int state, int subject_kind, int64_t subject_id)
{
  cbc_award_filter f = CBC_AWARD_FILTER_INIT;
  f.from = from, f.to = to, f.state = state;
  f.subject_kind = subject_kind, f.subject_id = subject_id;
  return cbc_award_select(out, db, &f);
}

CBC_EXTERN(int) cbc_award_by_key(cbc_award **out, cbc_db *db, const char *followup_key)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(followup_key);
  *out = NULL;
  int64_t hazard_id;
  cbc_awards *found = NULL;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc__followup_find(db, followup_key, true, &hazard_id);
  if (!rc)
    rc = cbc_store__award_list(db->store, NULL, NULL, 0, INT64_MAX, 0, CBC_SUBJECT_ANONYMOUS,
                               hazard_id, &found);
  if (!rc && found->count == 0)
    rc = cbc__error(CBC_ENOTFOUND, "no award for this follow-up key");
  if (!rc) {
    *out = found->items[0]; /* a tip-off has at most one award */
    found->items[0] = NULL;
  }
  cbc_awards_free(found);
  return rc;
}

/* ---------------------------------------------------------------- moves */

/* Each step is checked in pieces that cbc_award_moves() calls too, so the
 * answer and the step cannot disagree (docs/rewards.md, "What may this
 * person do now"): the person (move_actor_check), the award as it stands
 * (move_ready), then what the step's arguments bring (move_apply). */

typedef struct move_args {
  cbc_award_step move;
  int64_t award_id, actor_id;
  const char *text;      /* payment reference, reason, note */
  const char *claim_key; /* PAY, anonymous */
} move_args;

static bool is_honour(const cbc_award *a)
{
  return a->rule >= CBC_RULE_LABOUR_MEDAL;
}

/* An anonymous award is paid only against its tip-off's follow-up key. */
static int claim_check(cbc_db *db, const cbc_award *a, const char *key)
{
  int64_t hazard_id;
  if (a->subject_kind != CBC_SUBJECT_ANONYMOUS)
    return key ? cbc__error(CBC_EINVAL, "award %lld is not an anonymous tip-off's: no claim key",
                            (long long)a->id)
               : 0;
  if (!key)
    return cbc__error(CBC_EINVAL, "award %lld is an anonymous tip-off's: it is paid only "
                      "against the follow-up key", (long long)a->id);
  int rc = cbc__followup_find(db, key, false, &hazard_id);
  if (rc == CBC_ENOTFOUND || (!rc && hazard_id != a->subject_id))
    return cbc__error(CBC_EINVAL, "the claim key is not this tip-off's");
  return rc;
}

/* Replace an owned text field of the award with a copy of @p text. */
static int set_text(char **field, const char *text)
{
  char *copy = cbc__strdup(text);
  if (!copy)
    return cbc__error_oom();
  cbc__free(*field);
  *field = copy;
  return 0;
}

static int state_error(const cbc_award *a, const char *what)
{
  const char *state = cbc_award_state_name(a->state);
  return cbc__error(CBC_ESTATE, "award %lld is %s: %s", (long long)a->id, state ? state : "?",
                    what);
}

/* A review needs the hazard closed again: its award is then judged on the
 * rectification that stands. */
static int review_check(cbc_db *db, const cbc_award *a)
{
  cbc_hazard_state state;
  int rc = cbc_store__hazard_state(db->store, a->hazard_id, &state);
  if (!rc && state != CBC_HAZARD_CLOSED)
    rc = cbc__error(CBC_ESTATE, "hazard %lld is not closed again yet: review award %lld after "
                    "its verification", (long long)a->hazard_id, (long long)a->id);
  return rc;
}

/* Whether the award as it stands takes @p move, whatever its arguments:
 * 0, or CBC_ESTATE with why not. */
static int move_ready(cbc_db *db, cbc_award_step move, const cbc_award *a)
{
  static const char flagged[] = "it is flagged for review (its hazard was reopened)";
  switch (move) {
  case CBC_AWARD_STEP_APPROVE:
    if (a->state != CBC_AWARD_PROPOSED)
      return state_error(a, "only a proposed award is approved");
    return a->review ? state_error(a, flagged) : 0;
  case CBC_AWARD_STEP_PAY:
    if (is_honour(a))
      return state_error(a, "an honour is approved, not paid");
    if (a->state != CBC_AWARD_APPROVED)
      return state_error(a, "only an approved award is paid");
    return a->review ? state_error(a, flagged) : 0;
  case CBC_AWARD_STEP_DECLINE:
    if (a->state != CBC_AWARD_PROPOSED && a->state != CBC_AWARD_APPROVED)
      return state_error(a, "only a proposed or approved award is declined");
    return 0;
  case CBC_AWARD_STEP_REVIEW:
    if (!a->review)
      return state_error(a, "it is not flagged for review");
    return a->hazard_id ? review_check(db, a) : 0;
  }
  return cbc__error(CBC_EINVAL, "unknown award step %d", (int)move);
}

/* The union over the award's unit acts on it: CBC_EPERM for anyone else
 * (a cadre of another region, or one sitting inside an enterprise). */
static int move_actor_check(cbc_db *db, const cbc_award *a, int64_t actor_id)
{
  return cbc__union_over_check(db, a->unit_id, actor_id, "act on the awards of");
}

/* Apply a ready move to @p a in memory, with the checks its arguments need. */
static int move_apply(cbc_db *db, const move_args *m, cbc_award *a)
{
  int64_t now = cbc_db_now(db);
  switch (m->move) {
  case CBC_AWARD_STEP_APPROVE:
    a->state = CBC_AWARD_APPROVED, a->approved_by = m->actor_id, a->approved_at = now;
    return 0;
  case CBC_AWARD_STEP_PAY: {
    a->state = CBC_AWARD_PAID, a->paid_by = m->actor_id, a->paid_at = now;
    int rc = claim_check(db, a, m->claim_key);
    return rc ? rc : set_text(&a->payment_ref, m->text);
  }
  case CBC_AWARD_STEP_DECLINE:
    a->state = CBC_AWARD_DECLINED, a->declined_by = m->actor_id, a->declined_at = now;
    a->review = 0;
    return set_text(&a->decline_reason, m->text);
  case CBC_AWARD_STEP_REVIEW:
    a->review = 0, a->reviewed_by = m->actor_id, a->reviewed_at = now;
    return set_text(&a->review_note, m->text);
  }
  return cbc__error(CBC_EINVAL, "unknown award step %d", (int)m->move);
}

static int award_move_in(cbc_db *db, const void *args, int64_t *unused)
{
  const move_args *m = args;
  cbc_award *a = NULL;
  (void)unused;
  /* a payment reference is single-line; a reason or a note is long text */
  int rc = m->move == CBC_AWARD_STEP_PAY
             ? cbc__text_check("payment reference", m->text, 1, CBC_MAX_REWARD_TEXT)
             : cbc__long_text_check(m->move == CBC_AWARD_STEP_DECLINE ? "reason" : "note",
                                    m->text, m->move == CBC_AWARD_STEP_APPROVE ? 0 : 1,
                                    CBC_MAX_REWARD_TEXT);
  if (!rc)
    rc = cbc_store__award_get(db->store, m->award_id, &a);
  if (!rc)
    rc = move_actor_check(db, a, m->actor_id);
  if (!rc)
    rc = move_ready(db, m->move, a);
  if (!rc)
    rc = move_apply(db, m, a);
  if (!rc)
    rc = cbc_store__award_save(db->store, a);
  cbc_award_free(a);
  return rc;
}

static int award_move(cbc_db *db, const move_args *m)
{
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, award_move_in, m, NULL);
}

CBC_EXTERN(int) cbc_award_approve(cbc_db *db, int64_t award_id, int64_t actor_id)
{
  move_args m = { CBC_AWARD_STEP_APPROVE, award_id, actor_id, NULL, NULL };
  return award_move(db, &m);
}

CBC_EXTERN(int) cbc_award_pay(cbc_db *db, int64_t award_id, int64_t actor_id,
                              const char *payment_ref, const char *claim_key)
{
  move_args m = { CBC_AWARD_STEP_PAY, award_id, actor_id, payment_ref, claim_key };
  return award_move(db, &m);
}

CBC_EXTERN(int) cbc_award_decline(cbc_db *db, int64_t award_id, int64_t actor_id,
                                  const char *reason)
{
  move_args m = { CBC_AWARD_STEP_DECLINE, award_id, actor_id, reason, NULL };
  return award_move(db, &m);
}

CBC_EXTERN(int) cbc_award_review(cbc_db *db, int64_t award_id, int64_t actor_id,
                                 const char *note)
{
  move_args m = { CBC_AWARD_STEP_REVIEW, award_id, actor_id, note, NULL };
  return award_move(db, &m);
}

/* ------------------------------------------------------ the moves now */


/* The steps @p actor_id may take on award @p award_id: the person first, as
 * the steps check them (a refused person takes none), then each step's
 * readiness.  Errors other than refusals are the call's. */
static int weigh_moves(cbc_db *db, const cbc__question *q, unsigned int *moves)
{
  cbc_award *a = NULL;
  int rc = cbc_store__award_get(db->store, q->id, &a);
  int refused = rc ? 0 : move_actor_check(db, a, q->actor_id);
  if (!rc && !cbc__is_refusal(refused))
    rc = refused;
  for (int step = CBC_AWARD_STEP_APPROVE; !rc && !refused && step <= CBC_AWARD_STEP_REVIEW;
       step++) {
    int not_ready = move_ready(db, (cbc_award_step)step, a);
    if (!not_ready)
      *moves |= CBC_AWARD_MOVE(step);
    else if (!cbc__is_refusal(not_ready))
      rc = not_ready;
  }
  cbc_award_free(a);
  return rc;
}

CBC_EXTERN(int) cbc_award_moves(unsigned int *out, cbc_db *db, int64_t award_id,
                                int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  cbc__question q = { 0, award_id, actor_id };
  return cbc__question_answer(out, db, "award", weigh_moves, &q);
}

/* ---------------------------------------------------------------- fines */

#define FINERS (CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER)

typedef struct fine_args {
  const cbc_fine_record *r;
  int64_t actor_id;
} fine_args;

static int fine_refused(cbc_db *db, int code, int64_t employee_id, const char *why)
{
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", employee_id, who);
  return cbc__error(code, "%s %s", who, why);
}

static int fine_checks(cbc_db *db, const fine_args *f, cbc__actor *fined)
{
  const cbc_fine_record *r = f->r;
  cbc__actor by;
  int rc = cbc__check_version("cbc_fine_record", r->version, CBC_FINE_RECORD_VERSION);
  if (!rc && (r->amount_fen <= 0 || r->amount_fen > CBC_MAX_AMOUNT_FEN))
    rc = cbc__error(CBC_EINVAL, "a fine's amount is positive and at most %lld fen, not %lld",
                    (long long)CBC_MAX_AMOUNT_FEN, (long long)r->amount_fen);
  if (!rc)
    rc = cbc__long_text_check("reason", r->reason, 1, CBC_MAX_REWARD_TEXT);
  if (!rc && (r->hazard_id != 0) == (r->violation != NULL))
    rc = cbc__error(CBC_EINVAL, "a fine is for a hazard or for a violation: give exactly one");
  if (!rc && r->violation)
    rc = cbc__long_text_check("violation", r->violation, 1, CBC_MAX_REWARD_TEXT);
  if (!rc)
    rc = cbc__actor_of(db, r->employee_id, fined);
  if (!rc && !fined->active)
    rc = fine_refused(db, CBC_EINVAL, r->employee_id, "has left");
  if (!rc)
    rc = cbc__actor_of(db, f->actor_id, &by);
  if (!rc && (!by.active || !(by.roles & FINERS) ||
              by.place.enterprise != fined->place.enterprise || !by.place.enterprise))
    rc = fine_refused(db, CBC_EPERM, f->actor_id, "may not fine here: a principal or safety "
                      "officer of the fined employee's enterprise does");
  return rc;
}

static int fine_hazard_check(cbc_db *db, int64_t hazard_id, const cbc__actor *fined)
{
  cbc_hazard *h = NULL;
  int rc = cbc_hazard_lookup(&h, db, hazard_id);
  if (!rc && h->enterprise_id != fined->place.enterprise)
    rc = cbc__error(CBC_EINVAL, "hazard %lld is in another enterprise", (long long)hazard_id);
  cbc_hazard_free(h);
  return rc;
}

static int fine_issue(cbc_db *db, const void *args, int64_t *out_id)
{
  const fine_args *f = args;
  cbc__actor fined;
  int rc = fine_checks(db, f, &fined);
  if (!rc && f->r->hazard_id)
    rc = fine_hazard_check(db, f->r->hazard_id, &fined);
  int64_t tenant;
  if (!rc)
    rc = cbc__tenant_of(db, fined.place.unit, &tenant);
  return rc ? rc : cbc_store__fine_insert(db->store, f->r, fined.place.unit, tenant,
                                          f->actor_id, cbc_db_now(db), out_id);
}

CBC_EXTERN(int) cbc_fine_issue(int64_t *out_id, cbc_db *db, const cbc_fine_record *rec,
                               int64_t actor_id)
{
  CBC__CHECK_ARG(rec);
  fine_args f = { rec, actor_id };
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, fine_issue, &f, out_id);
}

CBC_EXTERN(void) cbc_fines_free(cbc_fine *fines, size_t count)
{
  if (!fines)
    return;
  for (size_t i = 0; i < count; i++) {
    cbc__free(fines[i].reason);
    cbc__free(fines[i].violation);
  }
  cbc__free(fines);
}

CBC_EXTERN(int) cbc_fine_list(cbc_fine **out, size_t *count, cbc_db *db, int64_t unit_id,
                              int64_t from, int64_t to)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(count);
  *out = NULL;
  *count = 0;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  bool subtree = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = range_check(from, to);
  if (!rc)
    rc = subtree_of(db, unit_id, lo, hi, &subtree);
  if (!rc)
    rc = cbc_store__fines_in(db->store, subtree ? lo : NULL, subtree ? hi : NULL, from,
                             to ? to : INT64_MAX, out, count);
  if (rc) { /* a copy of a text ran out of memory: the rows read are freed */
    cbc_fines_free(*out, *count);
    *out = NULL;
    *count = 0;
  }
  return rc;
}

/* -------------------------------------------------------------- summary */

CBC_EXTERN(void) cbc_reward_summary_free(cbc_reward_summary *s)
{
  if (!s)
    return;
  cbc_fines_free(s->fine_list, s->n_fines);
  cbc__free(s);
}

CBC_EXTERN(int) cbc_reward_summary_get(cbc_reward_summary **out, cbc_db *db, int64_t unit_id,
                                       const cbc_period *period)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(period);
  *out = NULL;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t from, to;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_period_bounds(&from, &to, db, period);
  if (!rc)
    rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  cbc_reward_summary *s = rc ? NULL : cbc__calloc(1, sizeof(*s));
  if (!rc && !s)
    rc = cbc__error_oom();
  if (rc)
    return rc;
  s->unit_id = unit_id, s->from = from, s->to = to;
  rc = cbc_store__award_totals(db->store, lo, hi, from, to, s->awards, &s->awarded_fen,
                               &s->paid_fen);
  if (!rc)
    rc = cbc_store__fines_in(db->store, lo, hi, from, to, &s->fine_list, &s->n_fines);
  for (size_t i = 0; !rc && i < s->n_fines; i++) {
    s->fines++;
    s->fined_fen += s->fine_list[i].amount_fen;
  }
  if (rc)
    cbc_reward_summary_free(s);
  else
    *out = s;
  return rc;
}
