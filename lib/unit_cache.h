/* A session cache of units by external id (id, kind, closed), so a batch of
 * employees does not look their team up row by row.  Not exported. */
#ifndef CBC_UNIT_CACHE_H
#define CBC_UNIT_CACHE_H

#include "store/store.h"

typedef struct cbc__unit_slot {
  char *external_id; /* NULL = empty slot */
  int64_t id;
  cbc_unit_kind kind;
  int closed;
} cbc__unit_slot;

typedef struct cbc__unit_cache {
  cbc__unit_slot *slots;
  size_t cap, n; /* cap is 0 or a power of two */
} cbc__unit_cache;

/* The unit with @p external_id, from the cache or the store.  The returned
 * unit has only id, kind, closed and external_id set, and stays valid until
 * the cache is cleared. */
int cbc__unit_cache_get(cbc__unit_cache *c, cbc_store *st, const char *external_id,
                        cbc_unit *out);
/* Forget everything (units changed); the cache stays usable. */
void cbc__unit_cache_clear(cbc__unit_cache *c);

#endif
