/* Where a unit and an employee sit in the tree (team, workshop, enterprise),
 * and who took part in the campaign when, cached per database handle until
 * this connection writes org data or rolls back, or another connection
 * commits, so the hazard moves and the statistics do not re-read them on
 * every call.  Not exported. */
#ifndef CBC_ORG_SCOPE_H
#define CBC_ORG_SCOPE_H

#include "db_internal.h"

typedef struct cbc__scope {
  int64_t unit;        /* the unit itself */
  int64_t parent;      /* 0 for a root */
  cbc_unit_kind kind;
  bool closed;
  int64_t team, workshop, enterprise; /* at or above it; 0 when none */
  int64_t holder[CBC_LEVEL_ENTERPRISE + 1]; /* responsible per level; 0 = not looked up */
} cbc__scope;

typedef struct cbc__actor {
  int64_t id;
  unsigned int roles;
  bool active;
  int64_t unit_since;  /* when they joined it: from then on they are there */
  cbc__scope place;    /* the scope of the employee's unit */
} cbc__actor;

int cbc__scope_of_unit(cbc_db *db, int64_t unit_id, cbc__scope *out);
/* The unit a record of @p unit_id belongs to and counts for: its
 * enterprise, or the unit itself when it is above the enterprises (a
 * region node).  It is the statistics' attribution unit and the tenant key
 * of the record's rows (docs/scale-out.md), fixed when they are written. */
int cbc__tenant_of(cbc_db *db, int64_t unit_id, int64_t *out);
int cbc__actor_of(cbc_db *db, int64_t employee_id, cbc__actor *out);
/* The same from an employee row already read, which it caches. */
int cbc__actor_from(cbc_db *db, const cbc_employee *e, cbc__actor *out);
/* @p first and every unit above it, nearest first, into @p ids (at most
 * CBC_STORE_DEPTH_MAX; none when @p first is 0): the region nodes whose
 * roll-ups a record of an enterprise under @p first, or of region @p first
 * itself, adds to.  CBC_ECORRUPT for a tree deeper than a path can be. */
int cbc__regions_from(cbc_db *db, int64_t first, int64_t ids[CBC_STORE_DEPTH_MAX], size_t *n);
/* The responsible person for @p level (TEAM..ENTERPRISE) above @p unit_id,
 * as cbc_org_responsible() finds it; found holders are cached. */
int cbc__responsible_of(cbc_db *db, int64_t unit_id, cbc_level level, int64_t *out);
/* An employee's participation months of @p year in attribution unit
 * @p unit_id (cbc_store__participation_get), and writing them, through the
 * same cache. */
int cbc__participation_of(cbc_db *db, int64_t employee_id, int year, int64_t unit_id,
                          unsigned int masks[3]);
int cbc__participation_put(cbc_db *db, int64_t employee_id, int year, int64_t unit_id,
                           const unsigned int masks[3], bool exists);
/* Free the caches of a handle. */
void cbc__scope_cache_free(cbc_db *db);

#endif
