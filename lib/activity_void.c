/* Voiding an activity record (include/cbc/activity.h, docs/activities.md
 * "Voiding"): the record stays, marked with when, by whom and why; what it
 * counted is taken back from the statistics in the same transaction.  All
 * checks come before the first write. */
#include "activity_internal.h"
#include "stats_internal.h"
#include <string.h>

typedef struct void_args {
  cbc_activity_kind kind;
  int64_t id, actor_id;
  const char *reason;
} void_args;

/* What the rule and the statistics need of a record. */
typedef struct voidable {
  int64_t unit_id, at;   /* its unit and time, where it counted */
  int64_t author_id;     /* its own person: a visit's cadre, a proposal's proposer; 0 */
  int64_t voided_at;     /* 0 while it stands */
  bool decided;          /* a proposal already decided */
  unsigned int counters; /* what it counted in its unit's month (1 << cbc_store_stat) */
  int64_t *people;       /* who took part through it; owned */
  size_t n_people;
} voidable;

#define COUNTER(c) (1u << (c))

/* Append @p m ids to the owned array (*ids, *n). */
static int append_ids(int64_t **ids, size_t *n, const int64_t *more, size_t m)
{
  if (!m)
    return 0;
  int64_t *grown = cbc__realloc(*ids, (*n + m) * sizeof(int64_t));
  if (!grown)
    return cbc__error_oom();
  memcpy(grown + *n, more, m * sizeof(int64_t));
  *ids = grown;
  *n += m;
  return 0;
}

static int read_training(cbc_db *db, int64_t id, voidable *r)
{
  cbc_training t;
  int rc = cbc_store__training_get(db->store, id, &t);
  if (!rc) {
    r->unit_id = t.unit_id;
    r->at = t.held_at;
    r->voided_at = t.voided_at;
    r->counters = cbc__stats_training_counters(t.kind);
  }
  for (size_t i = 0; i < t.n_attendees && !rc; i++)
    rc = append_ids(&r->people, &r->n_people, &t.attendees[i].employee_id, 1);
  cbc__free(t.title);
  cbc__free(t.attendees);
  cbc__free(t.void_reason);
  return rc;
}

/* A drill's people are its teams' members at its time, as it counted them. */
static int read_drill(cbc_db *db, int64_t id, voidable *r)
{
  cbc_drill d;
  int rc = cbc_store__drill_get(db->store, id, &d);
  if (!rc) {
    r->unit_id = d.unit_id;
    r->at = d.held_at;
    r->voided_at = d.voided_at;
    r->counters = COUNTER(CBC_STAT_ACTIVITY);
  }
  for (size_t i = 0; i < d.n_teams && !rc; i++) {
    int64_t *members;
    size_t n;
    rc = cbc_store__team_members_at(db->store, d.team_ids[i], d.held_at, &members, &n);
    if (!rc)
      rc = append_ids(&r->people, &r->n_people, members, n);
    cbc__free(members);
  }
  cbc__free(d.scenario);
  cbc__free(d.team_ids);
  cbc__free(d.void_reason);
  return rc;
}

static int read_visit(cbc_db *db, int64_t id, voidable *r)
{
  cbc_visit v;
  int rc = cbc_store__visit_get(db->store, id, &v);
  if (rc)
    return rc;
  r->unit_id = v.unit_id;
  r->at = v.visited_at;
  r->author_id = v.cadre_id;
  r->voided_at = v.voided_at;
  r->counters = COUNTER(CBC_STAT_VISITS);
  return append_ids(&r->people, &r->n_people, &v.cadre_id, 1);
}

static int read_proposal(cbc_db *db, int64_t id, voidable *r)
{
  cbc_proposal p;
  int rc = cbc_store__proposal_get(db->store, id, &p);
  if (rc)
    return rc;
  r->unit_id = p.unit_id;
  r->at = p.submitted_at;
  r->author_id = p.proposer_id;
  r->voided_at = p.voided_at;
  r->decided = p.status != CBC_PROPOSAL_SUBMITTED;
  r->counters = COUNTER(CBC_STAT_ACTIVITY);
  return append_ids(&r->people, &r->n_people, &p.proposer_id, 1);
}

/* An assignment counts in units_assigned, which is always read from the
 * assignments: nothing to take back. */
static int read_assignment(cbc_db *db, int64_t id, voidable *r)
{
  cbc_cadre_assignment a;
  int rc = cbc_store__assignment_get(db->store, id, &a);
  if (rc)
    return rc;
  r->unit_id = a.unit_id;
  r->at = a.from;
  r->voided_at = a.voided_at;
  return 0;
}

static int read_record(cbc_db *db, cbc_activity_kind kind, int64_t id, voidable *r)
{
  switch (kind) {
  case CBC_ACTIVITY_TRAINING: return read_training(db, id, r);
  case CBC_ACTIVITY_DRILL: return read_drill(db, id, r);
  case CBC_ACTIVITY_VISIT: return read_visit(db, id, r);
  case CBC_ACTIVITY_PROPOSAL: return read_proposal(db, id, r);
  default: return read_assignment(db, id, r);
  }
}

/* Read the record, see that it stands and that the actor may void it. */
static int void_check(cbc_db *db, cbc_activity_kind kind, int64_t id, int64_t actor_id,
                      voidable *r)
{
  int rc = read_record(db, kind, id, r);
  if (!rc && r->voided_at)
    rc = cbc__error(CBC_ESTATE, "%s %lld was already voided", cbc_activity_kind_name(kind),
                    (long long)id);
  cbc__activity_subject s = { kind, r->unit_id, r->author_id, r->decided };
  return rc ? rc : cbc__activity_may_void(db, &s, actor_id);
}

int cbc__activity_void_allowed(cbc_db *db, cbc_activity_kind kind, int64_t id,
                               int64_t actor_id)
{
  voidable r;
  memset(&r, 0, sizeof(r));
  int rc = void_check(db, kind, id, actor_id, &r);
  cbc__free(r.people);
  return rc;
}

static int void_record(cbc_db *db, const void *args, int64_t *out_id)
{
  const void_args *a = args;
  voidable r;
  (void)out_id;
  memset(&r, 0, sizeof(r));
  int rc = cbc_activity_kind_name(a->kind)
               ? cbc__long_text_check("reason", a->reason, 1, CBC_MAX_ACTIVITY_TEXT)
               : cbc__error(CBC_EINVAL, "unknown activity kind %d", (int)a->kind);
  if (!rc)
    rc = void_check(db, a->kind, a->id, a->actor_id, &r);
  if (!rc)
    rc = cbc_store__activity_void(db->store, a->kind, a->id, cbc_db_now(db), a->actor_id,
                                  a->reason);
  if (!rc)
    rc = cbc__stats_voided(db, r.unit_id, r.at, r.counters, r.people, r.n_people);
  cbc__free(r.people);
  return rc;
}

CBC_EXTERN(int) cbc_activity_void(cbc_db *db, cbc_activity_kind kind, int64_t id,
                                  int64_t actor_id, const char *reason)
{
  void_args a = { kind, id, actor_id, reason };
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, void_record, &a, NULL);
}
