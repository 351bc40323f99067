/* The tamper-evident history's internal calls (lib/history.c,
 * lib/history_queue.c).  Not exported. */
#ifndef CBC_HISTORY_INTERNAL_H
#define CBC_HISTORY_INTERNAL_H

#include "db_internal.h"

/* A stored chain head as the public checkpoint. */
void cbc__history_checkpoint_of(const cbc_store_chain_head *h, cbc_history_checkpoint *out);
/* The head of @p tenant's chain: inside a write call, locked until it ends
 * and with the links of its transaction so far. */
int cbc__history_head(cbc_db *db, int64_t tenant, cbc_history_checkpoint *out);

/* The checkpoint hook's queue (lib/history_queue.c): a write call starts
 * (remember where), ends well (queue the heads it moved), ends badly
 * (forget them; with @p whole, the whole group's), commits (deliver each
 * chain's newest head, then forget), and the handle closes. */
void cbc__checkpoints_mark(cbc_db *db);
int cbc__checkpoints_queue(cbc_db *db);
void cbc__checkpoints_drop(cbc_db *db, bool whole);
void cbc__checkpoints_deliver(cbc_db *db);
void cbc__checkpoints_free(cbc_db *db);

#endif /* CBC_HISTORY_INTERNAL_H */
