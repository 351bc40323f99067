/* The scope cache (lib/org_scope.h): direct-mapped tables keyed by id,
 * emptied when the store's org generation moves on. */
#include "org_scope.h"
#include "org_internal.h"
#include <string.h>

#define SLOTS 4096 /* per table; a miss only costs the queries it saves */
#define MAX_DEPTH 64 /* of the tree, as cbc_store__unit_ancestor_of_kind() reads it */
/* Participation is looked up for every person a record names (a drill's
 * whole teams), so its table is larger; its slots carry the generation
 * they were filled in, so moving on costs no clearing. */
#define PARTICIPATION_SLOTS 32768

typedef struct participation_slot {
  int64_t employee, unit;
  uint64_t generation;
  int year;
  unsigned int masks[3];
} participation_slot;

struct cbc__scope_cache {
  uint64_t generation;
  cbc__scope units[SLOTS];
  cbc__actor actors[SLOTS];
  participation_slot *participation; /* PARTICIPATION_SLOTS; NULL until needed */
};

static cbc__scope_cache *cache_for(cbc_db *db)
{
  uint64_t gen = cbc_store__org_generation(db->store);
  if (!db->scopes) {
    db->scopes = cbc__calloc(1, sizeof(*db->scopes));
    if (!db->scopes)
      return NULL;
    db->scopes->generation = gen;
  }
  if (db->scopes->generation != gen) {
    participation_slot *kept = db->scopes->participation;
    memset(db->scopes, 0, sizeof(*db->scopes));
    db->scopes->generation = gen;
    db->scopes->participation = kept;
  }
  return db->scopes;
}

static int scope_slot(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out,
                      cbc__scope **slot_out);

/* A unit's scope from its own row and its parent's scope, which the cache
 * mostly has (the workshops and enterprises above the many teams are few):
 * a miss costs one read of the unit, not one read per ancestor and kind. */
static int walk(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out)
{
  cbc_unit u;
  int rc = cbc_store__unit_get(db->store, unit_id, &u);
  if (rc)
    return rc;
  out->unit = unit_id;
  out->kind = u.kind;
  out->closed = u.closed != 0;
  cbc__scope up, *unused;
  memset(&up, 0, sizeof(up));
  if (u.parent_id && depth < MAX_DEPTH)
    rc = scope_slot(db, u.parent_id, depth + 1, &up, &unused);
  out->team = u.kind == CBC_UNIT_TEAM ? unit_id : up.team;
  out->workshop = u.kind == CBC_UNIT_WORKSHOP ? unit_id : up.workshop;
  out->enterprise = u.kind == CBC_UNIT_ENTERPRISE ? unit_id : up.enterprise;
  return rc;
}

/* The cache slot of @p unit_id, filled; NULL without cache memory.
 * @p depth: how far below the unit first asked for this one lies. */
static int scope_slot(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out,
                      cbc__scope **slot_out)
{
  cbc__scope_cache *c = cache_for(db);
  cbc__scope *slot = c ? &c->units[(uint64_t)unit_id % SLOTS] : NULL;
  *slot_out = slot;
  if (slot && slot->unit == unit_id && unit_id) {
    *out = *slot;
    return 0;
  }
  memset(out, 0, sizeof(*out));
  int rc = walk(db, unit_id, depth, out);
  if (!rc && slot)
    *slot = *out;
  return rc;
}

int cbc__scope_of_unit(cbc_db *db, int64_t unit_id, cbc__scope *out)
{
  cbc__scope *slot;
  return scope_slot(db, unit_id, 0, out, &slot);
}

int cbc__responsible_of(cbc_db *db, int64_t unit_id, cbc_level level, int64_t *out)
{
  cbc__scope sc, *slot;
  int rc = scope_slot(db, unit_id, 0, &sc, &slot);
  bool cacheable = !rc && slot && level >= CBC_LEVEL_TEAM && level <= CBC_LEVEL_ENTERPRISE;
  if (cacheable && sc.holder[level]) {
    *out = sc.holder[level];
    return 0;
  }
  rc = cbc__org_responsible(out, db, unit_id, level);
  if (!rc && cacheable)
    slot->holder[level] = *out;
  return rc;
}

int cbc__actor_of(cbc_db *db, int64_t employee_id, cbc__actor *out)
{
  cbc__scope_cache *c = cache_for(db);
  cbc__actor *slot = c ? &c->actors[(uint64_t)employee_id % SLOTS] : NULL;
  if (slot && slot->id == employee_id && employee_id) {
    *out = *slot;
    return 0;
  }
  cbc_employee e;
  int rc = cbc_store__employee_get(db->store, employee_id, &e);
  return rc ? rc : cbc__actor_from(db, &e, out);
}

int cbc__actor_from(cbc_db *db, const cbc_employee *e, cbc__actor *out)
{
  out->id = e->id;
  out->roles = e->roles;
  out->active = e->active != 0;
  out->unit_since = e->unit_since;
  int rc = cbc__scope_of_unit(db, e->unit_id, &out->place);
  cbc__scope_cache *c = rc ? NULL : cache_for(db);
  if (c && e->id)
    c->actors[(uint64_t)e->id % SLOTS] = *out;
  return rc;
}

/* The participation slot of @p employee_id (NULL when memory is short). */
static participation_slot *participation_slot_of(cbc_db *db, int64_t employee_id)
{
  cbc__scope_cache *c = cache_for(db);
  if (c && !c->participation)
    c->participation = cbc__calloc(PARTICIPATION_SLOTS, sizeof(*c->participation));
  return c && c->participation
           ? &c->participation[(uint64_t)employee_id % PARTICIPATION_SLOTS] : NULL;
}

int cbc__participation_of(cbc_db *db, int64_t employee_id, int year, int64_t unit_id,
                          unsigned int masks[3])
{
  participation_slot *slot = participation_slot_of(db, employee_id);
  if (slot && slot->employee == employee_id && slot->year == year && slot->unit == unit_id &&
      slot->generation == db->scopes->generation && employee_id) {
    memcpy(masks, slot->masks, sizeof(slot->masks));
    return 0;
  }
  int rc = cbc_store__participation_get(db->store, employee_id, year, unit_id, masks);
  if (!rc && slot)
    *slot = (participation_slot){ employee_id, unit_id, db->scopes->generation, year,
                                  { masks[0], masks[1], masks[2] } };
  return rc;
}

int cbc__participation_put(cbc_db *db, int64_t employee_id, int year, int64_t unit_id,
                           const unsigned int masks[3], bool exists)
{
  int rc = cbc_store__participation_put(db->store, employee_id, year, unit_id, masks, exists);
  participation_slot *slot = rc ? NULL : participation_slot_of(db, employee_id);
  if (slot) /* a rollback of this write moves the generation on */
    *slot = (participation_slot){ employee_id, unit_id, db->scopes->generation, year,
                                  { masks[0], masks[1], masks[2] } };
  return rc;
}

void cbc__scope_cache_free(cbc_db *db)
{
  if (db->scopes)
    cbc__free(db->scopes->participation);
  cbc__free(db->scopes);
  db->scopes = NULL;
}
