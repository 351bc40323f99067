/* The cbc_db handle, shared by the domain modules.  Not exported. */
#ifndef CBC_DB_INTERNAL_H
#define CBC_DB_INTERNAL_H

#include "internal.h"
#include "store/store.h"

struct cbc_db {
  cbc_store *store;
  cbc_clock_fn clock;
  void *clock_payload;
  int utc_offset;
  unsigned int flags;
};

/* Check a handle argument (sets CBC_EINVAL for NULL). */
int cbc__db_check(const cbc_db *db);
/* Check the handle and that it is writable (CBC_EPERM when read-only). */
int cbc__db_check_write(const cbc_db *db);

/* Every write call is wrapped in begin/end: a transaction of its own, or a
 * savepoint inside a cbc_db_begin() group.  end commits when rc == 0 and
 * rolls back otherwise, keeping the first error; it returns the final rc. */
int cbc__db_write_begin(cbc_db *db);
int cbc__db_write_end(cbc_db *db, int rc);

/* Number of open handles in the process (the allocator may not change then). */
int cbc__db_open_count(void);

#endif
