/* Who may record, void, decide and release activity records
 * (docs/activities.md, "Who may record" and "Voiding"): the facts of an
 * actor relative to a record's unit, built here once for every rule; the
 * rules themselves are lib/authz.c. */
#include "activity_internal.h"
#include "fsm.h"
#include "org_scope.h"
#include <string.h>

/* The authority level a unit of @p kind stands for; 0 for a region node. */
static cbc_level level_of(cbc_unit_kind kind)
{
  return kind == CBC_UNIT_TEAM       ? CBC_LEVEL_TEAM
         : kind == CBC_UNIT_WORKSHOP ? CBC_LEVEL_WORKSHOP
         : kind == CBC_UNIT_ENTERPRISE ? CBC_LEVEL_ENTERPRISE
                                       : (cbc_level)0;
}

/* The facts of @p actor_id relative to the subject's unit. */
static int facts_of(cbc_db *db, const cbc__activity_subject *s, int64_t actor_id,
                    cbc__void_facts *f)
{
  cbc__actor actor;
  cbc__scope sc;
  bool inside = false;
  int rc = cbc__actor_of(db, actor_id, &actor);
  if (!rc)
    rc = cbc__scope_of_unit(db, s->unit_id, &sc);
  if (!rc && actor.place.kind == CBC_UNIT_REGION)
    rc = cbc_store__unit_within(db->store, s->unit_id, actor.place.unit, &inside);
  if (rc)
    return rc;
  memset(f, 0, sizeof(*f));
  f->actor.id = actor_id;
  f->actor.roles = actor.roles;
  f->actor.active = actor.active;
  f->actor.same_team = sc.team && actor.place.unit == sc.team;
  f->actor.same_workshop = sc.workshop && actor.place.workshop == sc.workshop;
  f->actor.same_enterprise = sc.enterprise && actor.place.enterprise == sc.enterprise;
  f->actor.in_region = inside;
  f->kind = s->kind;
  f->level = level_of(sc.kind);
  f->is_author = s->author_id != 0 && s->author_id == actor_id;
  f->decided = s->decided;
  return 0;
}

int cbc__activity_may_void(cbc_db *db, const cbc__activity_subject *s, int64_t actor_id)
{
  cbc__void_facts f;
  int rc = facts_of(db, s, actor_id, &f);
  return rc ? rc : cbc__authz_void(&f);
}

int cbc__activity_may_record(cbc_db *db, cbc_activity_kind kind, int64_t unit_id,
                             int64_t actor_id)
{
  cbc__activity_subject s = { kind, unit_id, 0, false };
  cbc__void_facts f;
  int rc = facts_of(db, &s, actor_id, &f);
  return rc ? rc : cbc__authz_record(&f);
}

#define DECIDERS (CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_WORKSHOP_DIRECTOR)

/* Who may decide a proposal about @p unit_id (see cbc_proposal_decide). */
int cbc__proposal_may_decide(cbc_db *db, int64_t actor_id, int64_t unit_id)
{
  cbc__actor a;
  cbc__scope sc;
  bool union_over = false; /* a union cadre sitting in a region node over the unit */
  int rc = cbc__actor_of(db, actor_id, &a);
  if (!rc)
    rc = cbc__scope_of_unit(db, unit_id, &sc);
  if (!rc && (a.roles & CBC_ROLE_UNION_CADRE) && a.place.kind == CBC_UNIT_REGION)
    rc = cbc_store__unit_within(db->store, unit_id, a.place.unit, &union_over);
  if (rc)
    return rc;
  bool in_enterprise = sc.enterprise && a.place.enterprise == sc.enterprise;
  if (a.active && (union_over || ((a.roles & DECIDERS) && in_enterprise)))
    return 0;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", actor_id, who);
  if (!a.active)
    return cbc__error(CBC_EPERM, "%s is not active", who);
  return cbc__error(CBC_EPERM, "%s may not decide this proposal: a principal, safety officer or "
                    "workshop director of its enterprise, or a union cadre over its unit decides",
                    who);
}
