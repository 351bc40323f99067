/* The checkpoint hook's queue (include/cbc/history.h): the heads each
 * write call moved wait for their transaction to commit, as the event
 * hook's events do (lib/db.c), and each chain's newest is delivered. */
#include "history_internal.h"
#include <stdlib.h>

void cbc__checkpoints_mark(cbc_db *db) { db->checkpoints.mark = db->checkpoints.n; }

int cbc__checkpoints_queue(cbc_db *db)
{
  cbc__checkpoint_queue *q = &db->checkpoints;
  const cbc_store_chain_head *heads;
  size_t n;
  cbc_store__chain_advanced(db->store, &heads, &n);
  if (!db->checkpoint_hook || !n)
    return 0;
  if (q->n + n > q->cap) {
    size_t cap = q->cap ? q->cap : 16;
    while (cap < q->n + n)
      cap *= 2;
    cbc_history_checkpoint *grown = cbc__realloc(q->heads, cap * sizeof(*grown));
    if (!grown)
      return cbc__error_oom();
    q->heads = grown;
    q->cap = cap;
  }
  for (size_t i = 0; i < n; i++)
    cbc__history_checkpoint_of(&heads[i], &q->heads[q->n++]);
  return 0;
}

void cbc__checkpoints_drop(cbc_db *db, bool whole)
{
  cbc__checkpoint_queue *q = &db->checkpoints;
  q->n = whole ? 0 : q->mark;
  if (q->mark > q->n)
    q->mark = q->n;
}

/* Entries by chain, then by when they were queued. */
typedef struct queued {
  const cbc_history_checkpoint *cp;
  size_t at;
} queued;

static int by_chain(const void *a, const void *b)
{
  const queued *x = a, *y = b;
  if (x->cp->tenant_id != y->cp->tenant_id)
    return x->cp->tenant_id < y->cp->tenant_id ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

static int by_time(const void *a, const void *b)
{
  const queued *x = a, *y = b;
  return x->at < y->at ? -1 : x->at > y->at;
}

static void deliver(cbc_db *db, const cbc_history_checkpoint *cp)
{
  int rc = db->checkpoint_hook(cp, db->checkpoint_payload);
  if (rc)
    cbc__error(rc, "the checkpoint hook returned %d for chain %lld (the change is committed)",
               rc, (long long)cp->tenant_id);
}

void cbc__checkpoints_deliver(cbc_db *db)
{
  cbc__checkpoint_queue *q = &db->checkpoints;
  size_t n = q->n;
  queued *order = n > 1 ? cbc__calloc(n, sizeof(*order)) : NULL;
  if (n == 1 && db->checkpoint_hook)
    deliver(db, &q->heads[0]);
  if (order) { /* each chain's last entry, in the order those were queued */
    for (size_t i = 0; i < n; i++)
      order[i] = (queued){ &q->heads[i], i };
    qsort(order, n, sizeof(*order), by_chain);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
      if (i + 1 == n || order[i + 1].cp->tenant_id != order[i].cp->tenant_id)
        order[kept++] = order[i];
    qsort(order, kept, sizeof(*order), by_time);
    for (size_t i = 0; i < kept && db->checkpoint_hook; i++)
      deliver(db, order[i].cp);
    cbc__free(order);
  } else if (n > 1) {
    for (size_t i = 0; i < n && db->checkpoint_hook; i++) /* no memory to sort: every head */
      deliver(db, &q->heads[i]);
  }
  q->n = q->mark = 0;
}

void cbc__checkpoints_free(cbc_db *db)
{
  cbc__free(db->checkpoints.heads);
  db->checkpoints.heads = NULL;
  db->checkpoints.n = db->checkpoints.cap = db->checkpoints.mark = 0;
}
