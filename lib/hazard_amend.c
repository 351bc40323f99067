/* Corrections (更正, include/cbc/hazard.h cbc_hazard_amend): a registered
 * hazard's five items and classification corrected before closure, as a
 * move of its own (CBC_ACTION_AMEND) through the moves' pipeline, so the
 * history keeps what was first registered and what was corrected, and why. */
#include "hazard_internal.h"
#include "fsm.h"

CBC__STRUCT_INIT_FN(cbc_hazard_amendment_init, cbc_hazard_amendment,
                    CBC_HAZARD_AMENDMENT_VERSION, CBC_HAZARD_AMENDMENT_INIT)

static bool known(int v, int lo, int hi) { return v >= lo && v <= hi; }

/* The classification, as cbc_hazard_report() and cbc_hazard_register()
 * check it. */
static int classification_check(const cbc_hazard_amendment *a)
{
  unsigned int f = a->fields;
  if ((f & CBC_AMEND_SEVERITY) && !known(a->severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR))
    return cbc__error(CBC_EINVAL, "unknown severity %d", (int)a->severity);
  if ((f & CBC_AMEND_KIND) && !known(a->kind, CBC_HAZARD_HARD, CBC_HAZARD_SOFT))
    return cbc__error(CBC_EINVAL, "unknown hazard kind %d", (int)a->kind);
  if ((f & CBC_AMEND_CATEGORY) &&
      !known(a->category, CBC_CATEGORY_SAFETY, CBC_CATEGORY_OCCUPATIONAL_HEALTH))
    return cbc__error(CBC_EINVAL, "unknown hazard category %d", (int)a->category);
  if ((f & CBC_AMEND_CHECK_ITEM) &&
      !known(a->check_item, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL))
    return cbc__error(CBC_EINVAL, "unknown check item %d", (int)a->check_item);
  return 0;
}

/* The five items, as cbc_hazard_register() checks them (the deadline
 * against the report: @p reported_at). */
static int items_check(const cbc_hazard_amendment *a, int64_t reported_at)
{
  unsigned int f = a->fields;
  int rc = 0;
  if (f & CBC_AMEND_MEASURES)
    rc = cbc__long_text_check("measures", a->measures, 1, CBC_MAX_TEXT);
  if (!rc && (f & CBC_AMEND_CONTINGENCY_PLAN))
    rc = cbc__long_text_check("contingency_plan", a->contingency_plan, 1, CBC_MAX_TEXT);
  if (rc)
    return rc;
  if ((f & CBC_AMEND_RESPONSIBLE) && a->responsible_id <= 0)
    return cbc__error(CBC_EINVAL, "invalid responsible id %lld: name the person",
                      (long long)a->responsible_id);
  if ((f & CBC_AMEND_FUNDS) && (a->funds_fen < 0 || a->funds_fen > CBC_MAX_AMOUNT_FEN))
    return cbc__error(CBC_EINVAL, "funds are negative or exceed CBC_MAX_AMOUNT_FEN");
  if (!(f & CBC_AMEND_DEADLINE))
    return 0;
  if (a->deadline <= reported_at)
    return cbc__error(CBC_EINVAL, "the deadline is not after the report");
  return cbc__time_check("the deadline", a->deadline);
}

/* The amendment as given: every bad argument is CBC_EINVAL. */
static int amendment_check(const cbc_hazard_amendment *a, const cbc_hazard *h)
{
  if (!a)
    return cbc__error(CBC_EINVAL, "invalid argument: amendment");
  int rc = cbc__check_version("cbc_hazard_amendment", a->version, CBC_HAZARD_AMENDMENT_VERSION);
  if (rc)
    return rc;
  if (a->fields == 0)
    return cbc__error(CBC_EINVAL, "the amendment names no field to change");
  if (a->fields & ~(unsigned int)CBC_AMEND_ALL)
    return cbc__error(CBC_EINVAL, "unknown amendment fields 0x%x",
                      a->fields & ~(unsigned int)CBC_AMEND_ALL);
  rc = cbc__long_text_check("reason", a->reason, 1, CBC_MAX_TEXT);
  if (!rc)
    rc = classification_check(a);
  return rc ? rc : items_check(a, h->reported_at);
}

/* A deadline is corrected once a pending extension request is decided. */
static int deadline_state_check(const cbc_hazard *h)
{
  return h->extension_pending ? cbc__error(CBC_ESTATE, "an extension request is pending: "
                                                       "decide it before correcting the "
                                                       "deadline")
                              : 0;
}

/* What the hazard's place in its lifecycle allows: the rules of registration
 * and listing hold after a correction too. */
static int state_check(const cbc_hazard_amendment *a, const cbc_hazard *h)
{
  unsigned int f = a->fields;
  if ((f & CBC_AMEND_SEVERITY) && a->severity == CBC_SEVERITY_MAJOR) {
    if (h->level != CBC_LEVEL_ENTERPRISE)
      return cbc__error(CBC_ESTATE, "a major hazard is handled at ENTERPRISE level: escalate "
                                    "it first");
    if (!h->has_plan)
      return cbc__error(CBC_ESTATE, "a major hazard needs its rectification plan: file it "
                                    "first");
  }
  if ((f & CBC_AMEND_SEVERITY) && a->severity == CBC_SEVERITY_GENERAL && h->listed)
    return cbc__error(CBC_ESTATE, "a hazard listed for supervision stays major");
  return (f & CBC_AMEND_DEADLINE) ? deadline_state_check(h) : 0;
}

/* The move carries the values of the fields named, and nothing else. */
static void take_fields(cbc__move *m, const cbc_hazard_amendment *a)
{
  unsigned int f = m->amended = a->fields;
  m->responsible_id = (f & CBC_AMEND_RESPONSIBLE) ? a->responsible_id : 0;
  m->measures = (f & CBC_AMEND_MEASURES) ? a->measures : NULL;
  m->funds_fen = (f & CBC_AMEND_FUNDS) ? a->funds_fen : 0;
  m->deadline = (f & CBC_AMEND_DEADLINE) ? a->deadline : 0;
  m->contingency_plan = (f & CBC_AMEND_CONTINGENCY_PLAN) ? a->contingency_plan : NULL;
  m->severity = (f & CBC_AMEND_SEVERITY) ? a->severity : 0;
  m->kind = (f & CBC_AMEND_KIND) ? a->kind : 0;
  m->category = (f & CBC_AMEND_CATEGORY) ? a->category : 0;
  m->check_item = (f & CBC_AMEND_CHECK_ITEM) ? a->check_item : 0;
  m->reason = a->reason;
}

/* The authorization facts of an amendment: a correction of the record, or
 * only the deadline moved later (docs/authorization.md). */
static void amend_facts(cbc__hazard_facts *hf, bool record, bool later_deadline)
{
  hf->amends_record = record;
  hf->amends_later_deadline = later_deadline;
}

int cbc__hazard_amend_allowed(const cbc_hazard *h, const cbc__actor_facts *af)
{
  cbc__hazard_facts hf;
  cbc__hazard_facts_of(h, &hf);
  amend_facts(&hf, true, false); /* e.g. the measures reworded */
  if (cbc__authz_check(CBC_ACTION_AMEND, af, &hf) == 0)
    return 0;
  amend_facts(&hf, false, true); /* only the deadline, later: who may approve an extension */
  int rc = deadline_state_check(h);
  if (!rc && !cbc__later_deadline_exists(h))
    rc = cbc__error(CBC_ESTATE, "the deadline cannot be moved later than CBC_TIME_MAX");
  return rc ? rc : cbc__authz_check(CBC_ACTION_AMEND, af, &hf);
}

static int prep_amend(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                      const void *args)
{
  const cbc_hazard_amendment *a = args;
  int rc = amendment_check(a, h);
  if (!rc)
    rc = state_check(a, h);
  if (!rc && (a->fields & CBC_AMEND_RESPONSIBLE))
    rc = cbc__hazard_responsible_check(db, h, h->level, a->responsible_id);
  if (rc)
    return rc;
  take_fields(m, a);
  bool later = (a->fields & CBC_AMEND_DEADLINE) && a->deadline > h->deadline;
  amend_facts(hf, (a->fields & ~(unsigned int)CBC_AMEND_DEADLINE) || !later, later);
  return 0;
}

CBC_EXTERN(int) cbc_hazard_amend(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                 const cbc_hazard_amendment *amendment)
{
  if (!amendment) /* before the state: a missing argument is EINVAL whatever it is */
    return cbc__error(CBC_EINVAL, "invalid argument: amendment");
  cbc__move_spec s = { CBC_ACTION_AMEND, prep_amend, amendment, NULL, 0, 0, false };
  return cbc__hazard_move(db, hazard_id, actor_id, &s);
}
