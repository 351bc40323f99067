/* The fold: a hazard is what its moves made it (DOMAIN.md §3, "the state of
 * a hazard is a function of its history").  Pure; used by every action and
 * by the replay of a history. */
#include "hazard_internal.h"
#include "fsm.h"
#include <string.h>

/* Replace an owned string with a copy of @p v ("" for NULL). */
static int set_text(char **field, const char *v)
{
  char *copy = cbc__strdup(v ? v : "");
  if (!copy)
    return cbc__error_oom();
  cbc__free(*field);
  *field = copy;
  return 0;
}

static int set_plan_text(const char **field, const char *v)
{
  char *owned = (char *)*field;
  int rc = set_text(&owned, v);
  *field = owned;
  return rc;
}

static int fold_plan(cbc_hazard *h, const cbc__move *m)
{
  if (!m->has_plan)
    return 0;
  h->has_plan = 1;
  h->plan.time_limit = m->plan.time_limit;
  int rc = set_plan_text(&h->plan.goals, m->plan.goals);
  if (!rc)
    rc = set_plan_text(&h->plan.methods, m->plan.methods);
  if (!rc)
    rc = set_plan_text(&h->plan.funds_materials, m->plan.funds_materials);
  if (!rc)
    rc = set_plan_text(&h->plan.responsible_bodies, m->plan.responsible_bodies);
  if (!rc)
    rc = set_plan_text(&h->plan.safety_measures, m->plan.safety_measures);
  return rc;
}

static int fold_report(cbc_hazard *h, const cbc__move *m)
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
  int rc = set_text(&h->title, m->title);
  if (!rc)
    rc = set_text(&h->description, m->description);
  if (!rc)
    rc = set_text(&h->location, m->location);
  return rc;
}

static int fold_register(cbc_hazard *h, const cbc__move *m)
{
  h->severity = (cbc_severity)m->severity;
  h->level = (cbc_level)m->level;
  h->responsible_id = m->responsible_id;
  h->funds_fen = m->funds_fen;
  h->original_deadline = h->deadline = m->deadline;
  int rc = set_text(&h->measures, m->measures);
  if (!rc)
    rc = set_text(&h->contingency_plan, m->contingency_plan);
  return rc ? rc : fold_plan(h, m);
}

static int fold_supervision(cbc_hazard *h, const cbc__move *m)
{
  h->listed = 1;
  h->listed_at = m->listed_at;
  h->listed_by = m->actor_id;
  int rc = set_text(&h->listing_authority, m->authority);
  return rc ? rc : set_text(&h->listing_document, m->document);
}

/* The moves' own effects, beyond the state. */
static int fold_effects(cbc_hazard *h, const cbc__move *m)
{
  switch (m->action) {
  case CBC_ACTION_REPORT: return fold_report(h, m);
  case CBC_ACTION_REJECT:
    h->duplicate_of = m->duplicate_of;
    return set_text(&h->reject_reason, m->reason);
  case CBC_ACTION_REGISTER: return fold_register(h, m);
  case CBC_ACTION_ESCALATE:
  case CBC_ACTION_ESCALATE_OVERDUE:
    h->level = (cbc_level)m->level;
    h->responsible_id = m->responsible_id;
    return 0;
  case CBC_ACTION_LIST_SUPERVISION: return fold_supervision(h, m);
  case CBC_ACTION_REQUEST_EXTENSION:
    h->extension_pending = 1;
    h->extension_requested_deadline = m->deadline;
    return 0;
  case CBC_ACTION_DECIDE_EXTENSION:
    h->extension_pending = 0;
    if (m->approve)
      h->deadline = h->extension_requested_deadline;
    return 0;
  case CBC_ACTION_SUBMIT:
    h->submitted_by = m->actor_id;
    return set_text(&h->last_note, m->note);
  case CBC_ACTION_VERIFY_PASS:
    h->closed_at = m->at;
    h->resolved_level = h->level;
    h->listed = 0;
    return set_text(&h->last_note, m->note);
  case CBC_ACTION_VERIFY_FAIL:
    h->reopen_count++;
    h->submitted_by = 0;
    return set_text(&h->last_note, m->note);
  case CBC_ACTION_REOPEN:
    h->reopen_count++;
    h->closed_at = 0;
    h->resolved_level = (cbc_level)0;
    return set_text(&h->last_note, m->reason);
  case CBC_ACTION_FILE_PLAN: return fold_plan(h, m);
  default: return 0; /* START: the state only */
  }
}

int cbc__hazard_fold(cbc_hazard *h, const cbc__move *m)
{
  const cbc__transition *t;
  int rc = cbc__fsm_step(&t, h->state, m->action);
  if (!rc)
    rc = fold_effects(h, m);
  if (rc)
    return rc;
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
