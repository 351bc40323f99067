/* The scope cache (lib/org_scope.h): direct-mapped tables keyed by id.
 * Every slot carries the org generation it was filled in, so moving on
 * costs no clearing (PRAGMA data_version moves on every other connection's
 * commit).  The unit and person tables grow with the org's ids up to
 * MAX_SLOTS: in a city of 130,000 units and 1,000,000 employees a move's
 * team, its leader and the enterprise's officer are then mostly still there
 * when the hazard's next move comes (tests/bench/hazard_bench.c pipelines
 * them 1000 calls apart), where 4096 slots held about a third of them. */
#include "org_scope.h"
#include "org_internal.h"
#include <string.h>

#define MIN_SLOTS 4096 /* per table; a miss only costs the queries it saves */
#define MAX_SLOTS 65536 /* per table: 5 MB of units, 7 MB of people at most */
#define MAX_DEPTH 64 /* of the tree, as cbc_store__unit_ancestor_of_kind() reads it */
/* Participation is looked up for every person a record names (a drill's
 * whole teams), so its table is larger. */
#define PARTICIPATION_SLOTS 32768

typedef struct participation_slot {
  int64_t employee, unit;
  uint64_t generation;
  int year;
  unsigned int masks[3];
} participation_slot;

typedef struct unit_slot {
  uint64_t generation;
  cbc__scope scope;
} unit_slot;

typedef struct actor_slot {
  uint64_t generation;
  cbc__actor actor;
} actor_slot;

struct cbc__scope_cache {
  uint64_t generation;
  size_t unit_slots, actor_slots; /* powers of two */
  unit_slot *units;
  actor_slot *actors;
  participation_slot *participation; /* PARTICIPATION_SLOTS; NULL until needed */
};

/* The table size for ids up to @p max_id: a power of two in
 * [MIN_SLOTS, MAX_SLOTS]. */
static size_t slots_for(int64_t max_id)
{
  size_t n = MIN_SLOTS;
  while (n < MAX_SLOTS && (int64_t)n < max_id)
    n *= 2;
  return n;
}

/* Grow the unit and person tables to the org's ids (never shrink: ids are
 * not reused).  A failed query or allocation keeps the tables as they are,
 * and leaves no error behind (the cache only saves queries). */
static void fit_tables(cbc_db *db, cbc__scope_cache *c)
{
  cbc__error_saved before;
  cbc__error_save(&before);
  int64_t max_unit = 0, max_employee = 0;
  if (cbc_store__unit_max_id(db->store, &max_unit) != 0 ||
      cbc_store__employee_max_id(db->store, &max_employee) != 0) {
    cbc__error_restore(&before);
    return;
  }
  size_t nu = slots_for(max_unit), na = slots_for(max_employee);
  unit_slot *units = nu > c->unit_slots ? cbc__calloc(nu, sizeof(*units)) : NULL;
  actor_slot *actors = na > c->actor_slots ? cbc__calloc(na, sizeof(*actors)) : NULL;
  if (units) {
    cbc__free(c->units);
    c->units = units, c->unit_slots = nu;
  }
  if (actors) {
    cbc__free(c->actors);
    c->actors = actors, c->actor_slots = na;
  }
  cbc__error_restore(&before);
}

static cbc__scope_cache *cache_for(cbc_db *db)
{
  uint64_t gen = cbc_store__org_generation(db->store);
  if (!db->scopes) {
    db->scopes = cbc__calloc(1, sizeof(*db->scopes));
    if (!db->scopes)
      return NULL;
    db->scopes->generation = gen + 1; /* fitted below */
  }
  cbc__scope_cache *c = db->scopes;
  if (c->generation != gen) { /* the org may have grown */
    c->generation = gen;
    fit_tables(db, c);
  }
  return c->units && c->actors ? c : NULL;
}

/* The slot for unit @p unit_id, and whether it holds it now. */
static unit_slot *unit_slot_of(cbc__scope_cache *c, int64_t unit_id, bool *fresh)
{
  unit_slot *slot = &c->units[(uint64_t)unit_id & (c->unit_slots - 1)];
  *fresh = slot->generation == c->generation && slot->scope.unit == unit_id && unit_id;
  return slot;
}

static int scope_at(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out);

/* A unit's scope from its own row and its parent's scope, which the cache
 * mostly has (the workshops and enterprises above the many teams are
 * fewer): a miss costs one read of the unit, not one read per ancestor and
 * kind. */
static int walk(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out)
{
  cbc_unit u;
  int rc = cbc_store__unit_get(db->store, unit_id, &u);
  if (rc)
    return rc;
  out->unit = unit_id;
  out->parent = u.parent_id;
  out->kind = u.kind;
  out->closed = u.closed != 0;
  cbc__scope up;
  memset(&up, 0, sizeof(up));
  if (u.parent_id && depth < MAX_DEPTH)
    rc = scope_at(db, u.parent_id, depth + 1, &up);
  out->team = u.kind == CBC_UNIT_TEAM ? unit_id : up.team;
  out->workshop = u.kind == CBC_UNIT_WORKSHOP ? unit_id : up.workshop;
  out->enterprise = u.kind == CBC_UNIT_ENTERPRISE ? unit_id : up.enterprise;
  return rc;
}

/* The scope of @p unit_id, from the cache or read and cached.
 * @p depth: how far below the unit first asked for this one lies.  The
 * slot is looked up again after the walk: the walk may have moved the
 * cache on. */
static int scope_at(cbc_db *db, int64_t unit_id, int depth, cbc__scope *out)
{
  cbc__scope_cache *c = cache_for(db);
  bool fresh = false;
  unit_slot *slot = c ? unit_slot_of(c, unit_id, &fresh) : NULL;
  if (fresh) {
    *out = slot->scope;
    return 0;
  }
  memset(out, 0, sizeof(*out));
  int rc = walk(db, unit_id, depth, out);
  c = rc ? NULL : cache_for(db);
  if (c && unit_id) {
    slot = unit_slot_of(c, unit_id, &fresh);
    slot->generation = c->generation;
    slot->scope = *out;
  }
  return rc;
}

int cbc__scope_of_unit(cbc_db *db, int64_t unit_id, cbc__scope *out)
{
  return scope_at(db, unit_id, 0, out);
}

int cbc__tenant_of(cbc_db *db, int64_t unit_id, int64_t *out)
{
  cbc__scope sc;
  int rc = scope_at(db, unit_id, 0, &sc);
  *out = sc.enterprise ? sc.enterprise : unit_id;
  return rc;
}

int cbc__regions_from(cbc_db *db, int64_t first, int64_t ids[CBC_STORE_DEPTH_MAX], size_t *n)
{
  cbc__scope sc;
  int rc = 0;
  *n = 0;
  for (int64_t at = first; at && !rc; at = sc.parent) {
    if (*n == CBC_STORE_DEPTH_MAX)
      return cbc__error(CBC_ECORRUPT, "unit %lld: the tree above it is deeper than %d units",
                        (long long)first, CBC_STORE_DEPTH_MAX);
    ids[(*n)++] = at;
    rc = scope_at(db, at, 0, &sc);
  }
  return rc;
}

int cbc__responsible_of(cbc_db *db, int64_t unit_id, cbc_level level, int64_t *out)
{
  cbc__scope sc;
  int rc = scope_at(db, unit_id, 0, &sc);
  bool cacheable = !rc && level >= CBC_LEVEL_TEAM && level <= CBC_LEVEL_ENTERPRISE;
  if (cacheable && sc.holder[level]) {
    *out = sc.holder[level];
    return 0;
  }
  rc = cbc__org_responsible(out, db, unit_id, level);
  cbc__scope_cache *c = !rc && cacheable ? cache_for(db) : NULL;
  bool fresh = false;
  unit_slot *slot = c ? unit_slot_of(c, unit_id, &fresh) : NULL;
  if (fresh)
    slot->scope.holder[level] = *out;
  return rc;
}

int cbc__actor_of(cbc_db *db, int64_t employee_id, cbc__actor *out)
{
  cbc__scope_cache *c = cache_for(db);
  actor_slot *slot = c ? &c->actors[(uint64_t)employee_id & (c->actor_slots - 1)] : NULL;
  if (slot && slot->generation == c->generation && slot->actor.id == employee_id &&
      employee_id) {
    *out = slot->actor;
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
  if (c && e->id) {
    actor_slot *slot = &c->actors[(uint64_t)e->id & (c->actor_slots - 1)];
    slot->generation = c->generation;
    slot->actor = *out;
  }
  return rc;
}

/* The participation slot of @p employee_id (NULL when memory is short, and
 * on a shared engine, where every other host's record writes participation:
 * cbc_store__shared). */
static participation_slot *participation_slot_of(cbc_db *db, int64_t employee_id)
{
  if (cbc_store__shared(db->store))
    return NULL;
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
  if (db->scopes) {
    cbc__free(db->scopes->participation);
    cbc__free(db->scopes->units);
    cbc__free(db->scopes->actors);
  }
  cbc__free(db->scopes);
  db->scopes = NULL;
}
