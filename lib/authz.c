/* Who may make which move on a hazard (docs/domain.md §3, docs/authorization.md).
 * Pure rules over facts the caller computed from the org tree. */
#include "fsm.h"

#define HAS(a, r) (((a)->roles & (r)) != 0)

/* Authority over a hazard handled at @p level: the team leader inside the
 * team (up to TEAM), the workshop director inside the workshop (up to
 * WORKSHOP), the safety officers and the principal across the enterprise. */
static bool authority(const cbc__actor_facts *a, cbc_level level)
{
  if (HAS(a, CBC_ROLE_TEAM_LEADER) && a->same_team && level <= CBC_LEVEL_TEAM)
    return true;
  if (HAS(a, CBC_ROLE_WORKSHOP_DIRECTOR) && a->same_workshop && level <= CBC_LEVEL_WORKSHOP)
    return true;
  return HAS(a, CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_PRINCIPAL) && a->same_enterprise;
}

static bool inspector(const cbc__actor_facts *a)
{
  return HAS(a, CBC_ROLE_BUREAU_INSPECTOR) && a->in_region;
}

static int deny(const char *rule) { return cbc__error(CBC_EPERM, "not allowed: %s", rule); }

/* Approving an extension takes someone above the responsible level. */
static int decide_extension(const cbc__actor_facts *a, const cbc__hazard_facts *h)
{
  if (h->level < CBC_LEVEL_ENTERPRISE)
    return authority(a, (cbc_level)(h->level + 1))
               ? 0 : deny("an extension is decided above the hazard's level");
  if ((HAS(a, CBC_ROLE_PRINCIPAL) && a->same_enterprise && !a->is_responsible) || inspector(a))
    return 0;
  return deny("an enterprise-level extension is decided by the principal or a bureau inspector");
}

static int verify(const cbc__actor_facts *a, const cbc__hazard_facts *h)
{
  if (a->is_submitter)
    return deny("nobody verifies a rectification they submitted");
  if (h->severity == CBC_SEVERITY_MAJOR && h->listed)
    return inspector(a) ? 0 : deny("a listed hazard is verified by the listing authority");
  if (h->severity == CBC_SEVERITY_MAJOR)
    return authority(a, CBC_LEVEL_ENTERPRISE)
               ? 0 : deny("a major hazard is verified at enterprise level");
  return authority(a, h->level) ? 0 : deny("verification needs authority at the hazard's level");
}

/* A correction is made by whoever may register at the hazard's level; moving
 * the deadline later is what an extension does, so it also takes whoever
 * may approve one (docs/authorization.md). */
static int amend(const cbc__actor_facts *a, const cbc__hazard_facts *h)
{
  if (h->amends_record && !authority(a, h->level))
    return deny("a correction needs authority at the hazard's level (who registers there)");
  int rc = h->amends_later_deadline ? decide_extension(a, h) : 0;
  if (rc)
    cbc__error_prefix("moving the deadline later by a correction");
  return rc;
}

int cbc__authz_check(cbc_hazard_action action, const cbc__actor_facts *a,
                     const cbc__hazard_facts *h)
{
  if (action == CBC_ACTION_ESCALATE_OVERDUE)
    return a->id == 0 ? 0 : deny("only the overdue sweep escalates for being overdue");
  if (!a->active)
    return deny("inactive employees cannot act");
  switch (action) {
  case CBC_ACTION_REPORT:
    return 0;
  case CBC_ACTION_REJECT:
    return authority(a, h->severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM)
               ? 0 : deny("rejecting a report needs authority over its unit");
  case CBC_ACTION_REGISTER:
    return authority(a, h->level) ? 0 : deny("registering needs authority at the chosen level");
  case CBC_ACTION_START:
  case CBC_ACTION_ESCALATE:
  case CBC_ACTION_REQUEST_EXTENSION:
  case CBC_ACTION_SUBMIT:
    /* a responsible person transferred out of the enterprise no longer acts */
    return (a->is_responsible && a->same_enterprise) || authority(a, h->level)
               ? 0 : deny("only the responsible person (under the hazard's enterprise) or "
                          "authority at the hazard's level");
  case CBC_ACTION_DECIDE_EXTENSION:
    return decide_extension(a, h);
  case CBC_ACTION_LIST_SUPERVISION:
    return inspector(a) ? 0 : deny("only bureau inspectors over the unit list for supervision");
  case CBC_ACTION_VERIFY_PASS:
  case CBC_ACTION_VERIFY_FAIL:
    return verify(a, h);
  case CBC_ACTION_FILE_PLAN:
    return authority(a, CBC_LEVEL_ENTERPRISE)
               ? 0 : deny("the rectification plan is filed by the enterprise administration");
  case CBC_ACTION_AMEND:
    return amend(a, h);
  case CBC_ACTION_REOPEN:
    return authority(a, h->level) || inspector(a) ||
                   (HAS(a, CBC_ROLE_UNION_CADRE) && a->in_region)
               ? 0 : deny("a review is reopened by authority at its level, a bureau inspector "
                          "or a union cadre over the unit");
  default:
    return cbc__error(CBC_EINVAL, "unknown hazard action %d", (int)action);
  }
}

static int not_responsible(const char *rule)
{
  return cbc__error(CBC_EINVAL, "the responsible person %s", rule);
}

/* Who can act at a level for the hazard's unit: someone under the level's
 * unit, or with authority at the level (who may act on it anyway); never
 * someone outside its enterprise (an inspector above it, another
 * enterprise's people), never an inactive one.  The role holder each level
 * resolves from the tree qualifies. */
int cbc__authz_responsible(const cbc__responsible_facts *p, cbc_level level)
{
  if (!cbc_level_name(level))
    return cbc__error(CBC_EINVAL, "unknown level %d", (int)level);
  if (!p->person.active)
    return not_responsible("is not active");
  if (!p->person.same_enterprise)
    return not_responsible("must work under the hazard's enterprise");
  if (authority(&p->person, level))
    return 0;
  switch (level) {
  case CBC_LEVEL_INDIVIDUAL:
    return p->is_reporter || p->in_team
               ? 0 : not_responsible("at INDIVIDUAL level is the reporter, a member of the "
                                     "hazard's team or authority at the level");
  case CBC_LEVEL_TEAM:
    return p->in_team ? 0 : not_responsible("at TEAM level is a member of the hazard's team or "
                                            "authority at the level");
  case CBC_LEVEL_WORKSHOP:
    return p->in_workshop ? 0 : not_responsible("at WORKSHOP level works under the hazard's "
                                                "workshop or has authority at the level");
  default:
    return 0; /* ENTERPRISE: anyone under it */
  }
}

/* A duplicate names another live hazard of its own enterprise, so nobody can
 * move a report into another enterprise's reward group. */
int cbc__authz_duplicate(int64_t original_id, const cbc__original_facts *o)
{
  const char *why = !o->exists          ? "no such hazard"
                    : o->is_self         ? "a hazard cannot duplicate itself"
                    : o->rejected        ? "it was rejected; it cannot be the original"
                    : !o->same_enterprise ? "it belongs to another enterprise"
                                          : NULL;
  return why ? cbc__error(CBC_EINVAL, "duplicate_of %lld: %s", (long long)original_id, why) : 0;
}

/* The union answers for the campaign's records of its area. */
static bool union_over(const cbc__actor_facts *a)
{
  return HAS(a, CBC_ROLE_UNION_CADRE) && a->in_region;
}

/* The enterprise's line of authority over a unit: its team's leader, its
 * workshop's director, its enterprise's principal and safety officers.  A
 * region node (level 0) has none. */
static bool line_over(const cbc__actor_facts *a, cbc_level level)
{
  return level && authority(a, level);
}

/* Corrections of the campaign's records stay with those who answer for
 * them: the union over its area, the enterprise's line of authority over
 * its own sessions, drills and proposals; supervision (visits,
 * assignments) is the union's alone, so a supervised enterprise cannot
 * void the visits made to it. */
int cbc__authz_void(const cbc__void_facts *f)
{
  const cbc__actor_facts *a = &f->actor;
  if (!a->active)
    return deny("inactive employees cannot act");
  if (union_over(a))
    return 0;
  switch (f->kind) {
  case CBC_ACTIVITY_VISIT:
    return f->is_author ? 0 : deny("a supervision visit is voided by the cadre who made it or "
                                   "a union cadre over the unit");
  case CBC_ACTIVITY_ASSIGNMENT:
    return deny("a cadre assignment is voided by a union cadre over the unit");
  case CBC_ACTIVITY_PROPOSAL:
    if (f->is_author && !f->decided)
      return 0; /* withdrawn by its proposer until it is decided */
    break;
  default:
    break;
  }
  return line_over(a, f->level)
             ? 0 : deny("an activity record is voided by someone with authority over its unit "
                        "or a union cadre over it");
}

/* Who may record is who may void, less the record's own person (there is
 * no record yet): the union over its area for anything, the line of
 * authority over the unit for its sessions and drills.  Assigning (and
 * releasing) cadres is the union's alone.  Visits and proposals are
 * recorded by their own person, whose check is the record's own. */
int cbc__authz_record(const cbc__void_facts *f)
{
  const cbc__actor_facts *a = &f->actor;
  if (!a->active)
    return deny("inactive employees cannot act");
  if (union_over(a))
    return 0;
  switch (f->kind) {
  case CBC_ACTIVITY_TRAINING:
  case CBC_ACTIVITY_DRILL:
    return line_over(a, f->level)
               ? 0 : deny("a training session or drill is recorded by someone with authority "
                          "over its unit or a union cadre over it");
  case CBC_ACTIVITY_ASSIGNMENT:
    return deny("union cadres are assigned and released by a union cadre over the unit");
  default:
    return cbc__error(CBC_EINVAL, "activity kind %d is recorded by its own person",
                      (int)f->kind);
  }
}
