/* Shared by the activity files (lib/activity_query.c, lib/activity_list.c,
 * lib/activity_void.c).  Not exported. */
#ifndef CBC_ACTIVITY_INTERNAL_H
#define CBC_ACTIVITY_INTERNAL_H

#include "db_internal.h"

/* A lookup: allocate @p size bytes at *out, fill them with @p get, free
 * them with @p release on error; the read ends with the call. */
typedef int (*cbc__activity_get_fn)(cbc_store *st, int64_t id, void *out);
typedef void (*cbc__activity_release_fn)(void *p);
int cbc__activity_lookup(void **out, size_t size, cbc_db *db, int64_t id,
                         cbc__activity_get_fn get, cbc__activity_release_fn release);

#endif
