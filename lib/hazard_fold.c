/* The fold: a hazard is what its moves made it (docs/domain.md §3, "the state of
 * a hazard is a function of its history").  Pure; used by every action and
 * by the replay of a history. */
#include "hazard_internal.h"
#include "fsm.h"
#include <string.h>

/* The hazard's strings are borrowed: a fold points them at the move's own
 * strings, which the caller keeps alive while it uses the hazard (a live move
 * for the length of its call, a replay while it holds the parsed events). */
static char *text(const char *v) { return (char *)(v ? v : ""); }

static void fold_plan(cbc_hazard *h, const cbc__move *m)
{
  if (!m->has_plan)
    return;
  h->has_plan = 1;
  h->plan.time_limit = m->plan.time_limit;
  h->plan.goals = text(m->plan.goals);
  h->plan.methods = text(m->plan.methods);
  h->plan.funds_materials = text(m->plan.funds_materials);
  h->plan.responsible_bodies = text(m->plan.responsible_bodies);
  h->plan.safety_measures = text(m->plan.safety_measures);
}

static void fold_report(cbc_hazard *h, const cbc__move *m)
{
  h->reporter_id = m->reporter_id;
  h->unit_id = m->unit_id;
  h->enterprise_id = m->enterprise_id;
  h->kind = (cbc_hazard_kind)m->kind;
  h->category = (cbc_hazard_category)m->category;
  h->check_item = (cbc_check_item)m->check_item;
  h->source = (cbc_hazard_source)m->source;
  h->observed_at = m->observed_at;
  h->reported_at = m->at;
  h->proposed_severity = (cbc_severity)m->proposed_severity;
  h->title = text(m->title);
  h->description = text(m->description);
  h->location = text(m->location);
}

static void fold_register(cbc_hazard *h, const cbc__move *m)
{
  h->severity = (cbc_severity)m->severity;
  h->level = (cbc_level)m->level;
  h->responsible_id = m->responsible_id;
  h->funds_fen = m->funds_fen;
  h->original_deadline = h->deadline = m->deadline;
  h->measures = text(m->measures);
  h->contingency_plan = text(m->contingency_plan);
  fold_plan(h, m);
}

static void fold_supervision(cbc_hazard *h, const cbc__move *m)
{
  h->listed = 1;
  h->listed_at = m->listed_at;
  h->listed_by = m->actor_id;
  h->listing_authority = text(m->authority);
  h->listing_document = text(m->document);
}

/* A correction: the fields its bits name take the move's values. */
static void fold_amend(cbc_hazard *h, const cbc__move *m)
{
  unsigned int f = m->amended;
  if (f & CBC_AMEND_RESPONSIBLE)
    h->responsible_id = m->responsible_id;
  if (f & CBC_AMEND_MEASURES)
    h->measures = text(m->measures);
  if (f & CBC_AMEND_FUNDS)
    h->funds_fen = m->funds_fen;
  if (f & CBC_AMEND_DEADLINE) /* the registered limit corrected: extensions superseded */
    h->original_deadline = h->deadline = m->deadline;
  if (f & CBC_AMEND_CONTINGENCY_PLAN)
    h->contingency_plan = text(m->contingency_plan);
  if (f & CBC_AMEND_SEVERITY)
    h->severity = (cbc_severity)m->severity;
  if (f & CBC_AMEND_KIND)
    h->kind = (cbc_hazard_kind)m->kind;
  if (f & CBC_AMEND_CATEGORY)
    h->category = (cbc_hazard_category)m->category;
  if (f & CBC_AMEND_CHECK_ITEM)
    h->check_item = (cbc_check_item)m->check_item;
}

/* The moves' own effects, beyond the state. */
static void fold_effects(cbc_hazard *h, const cbc__move *m)
{
  switch (m->action) {
  case CBC_ACTION_REPORT: fold_report(h, m); break;
  case CBC_ACTION_REJECT:
    h->duplicate_of = m->duplicate_of;
    h->reject_reason = text(m->reason);
    break;
  case CBC_ACTION_REGISTER: fold_register(h, m); break;
  case CBC_ACTION_ESCALATE:
  case CBC_ACTION_ESCALATE_OVERDUE:
    h->level = (cbc_level)m->level;
    h->responsible_id = m->responsible_id;
    break;
  case CBC_ACTION_LIST_SUPERVISION: fold_supervision(h, m); break;
  case CBC_ACTION_REQUEST_EXTENSION:
    h->extension_pending = 1;
    h->extension_requested_deadline = m->deadline;
    break;
  case CBC_ACTION_DECIDE_EXTENSION:
    h->extension_pending = 0;
    if (m->approve)
      h->deadline = h->extension_requested_deadline;
    break;
  case CBC_ACTION_SUBMIT:
    h->submitted_by = m->actor_id;
    h->last_note = text(m->note);
    break;
  case CBC_ACTION_VERIFY_PASS:
    h->closed_at = m->at;
    h->resolved_level = h->level;
    h->listed = 0;
    h->last_note = text(m->note);
    break;
  case CBC_ACTION_VERIFY_FAIL:
    h->reopen_count++;
    h->submitted_by = 0;
    h->last_note = text(m->note);
    break;
  case CBC_ACTION_REOPEN:
    h->reopen_count++;
    h->closed_at = 0;
    h->resolved_level = (cbc_level)0;
    h->last_note = text(m->reason);
    break;
  case CBC_ACTION_FILE_PLAN: fold_plan(h, m); break;
  case CBC_ACTION_AMEND: fold_amend(h, m); break;
  default: break; /* START: the state only */
  }
}

int cbc__hazard_fold(cbc_hazard *h, const cbc__move *m)
{
  const cbc__transition *t;
  int rc = cbc__fsm_step(&t, h->state, m->action);
  if (rc)
    return rc;
  fold_effects(h, m);
  if (t->to)
    h->state = t->to;
  h->updated_at = m->at;
  return 0;
}

void cbc__hazard_clear(cbc_hazard *h)
{
  char **texts[] = { &h->title, &h->description, &h->location, &h->measures,
                     &h->contingency_plan, &h->reject_reason, &h->listing_authority,
                     &h->listing_document, &h->last_note };
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    cbc__free(*texts[i]);
    *texts[i] = NULL;
  }
  const char **plan[] = { &h->plan.goals, &h->plan.methods, &h->plan.funds_materials,
                          &h->plan.responsible_bodies, &h->plan.safety_measures };
  for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
    cbc__free((char *)*plan[i]);
    *plan[i] = NULL;
  }
  for (size_t i = 0; i < h->n_attachments; i++) {
    cbc__free(h->attachments[i].uri);
    cbc__free(h->attachments[i].media_type);
    cbc__free(h->attachments[i].sha256);
  }
  cbc__free(h->attachments);
  h->attachments = NULL;
  h->n_attachments = 0;
}

CBC_EXTERN(void) cbc_hazard_free(cbc_hazard *hazard)
{
  if (!hazard)
    return;
  cbc__hazard_clear(hazard);
  cbc__free(hazard);
}

int cbc__hazard_copy(cbc_hazard **out, const cbc_hazard *src)
{
  cbc_hazard *h = cbc__calloc(1, sizeof(*h));
  if (!h)
    return cbc__error_oom();
  *h = *src;
  h->attachments = NULL;
  h->n_attachments = 0;
  char **texts[] = { &h->title, &h->description, &h->location, &h->measures,
                     &h->contingency_plan, &h->reject_reason, &h->listing_authority,
                     &h->listing_document, &h->last_note };
  const char **plan[] = { &h->plan.goals, &h->plan.methods, &h->plan.funds_materials,
                          &h->plan.responsible_bodies, &h->plan.safety_measures };
  bool ok = true;
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
    ok = (*texts[i] = cbc__strdup(*texts[i] ? *texts[i] : "")) != NULL && ok;
  for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++)
    ok = (*plan[i] = cbc__strdup(*plan[i] ? *plan[i] : "")) != NULL && ok;
  if (!ok) {
    cbc_hazard_free(h);
    return cbc__error_oom();
  }
  *out = h;
  return 0;
}
