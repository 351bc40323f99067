/* The tamper-evident history (include/cbc/history.h): the chains' heads,
 * the checkpoint hook's checkpoints, and the verifier, which recomputes
 * every chain from the records (lib/store/chain_store.c keeps the rows
 * and the encoding). */
#include "history_internal.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* cbc_history_kind_name() and cbc_history_fault_name() are in lib/label.c. */

void cbc__history_checkpoint_of(const cbc_store_chain_head *h, cbc_history_checkpoint *out)
{
  memset(out, 0, sizeof(*out));
  out->tenant_id = h->tenant;
  out->seq = h->seq;
  if (h->seq > 0)
    sodium_bin2hex(out->hash, sizeof(out->hash), h->hash, 32);
}

int cbc__history_head(cbc_db *db, int64_t tenant, cbc_history_checkpoint *out)
{
  cbc_store_chain_head h;
  int rc = cbc_store__chain_head(db->store, tenant, &h);
  if (!rc)
    cbc__history_checkpoint_of(&h, out);
  return rc;
}

CBC_EXTERN(int) cbc_history_head(cbc_history_checkpoint *out, cbc_db *db, int64_t tenant_id)
{
  int rc = cbc__db_check(db);
  if (!rc && !out)
    rc = cbc__error(CBC_EINVAL, "invalid argument: out is NULL");
  if (!rc && tenant_id < 0)
    rc = cbc__error(CBC_EINVAL, "invalid argument: tenant %" PRId64 " is negative", tenant_id);
  if (rc)
    return rc;
  rc = cbc__history_head(db, tenant_id, out);
  cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_history_set_checkpoint_hook(cbc_db *db, cbc_history_checkpoint_fn fn,
                                                void *payload)
{
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  db->checkpoint_hook = fn;
  db->checkpoint_payload = payload;
  if (!fn)
    db->checkpoints.n = db->checkpoints.mark = 0;
  return 0;
}

/* ------------------------------------------------------------ verifying */

CBC_EXTERN(void) cbc_history_verdict_free(cbc_history_verdict *verdict)
{
  if (!verdict)
    return;
  cbc__free(verdict->message);
  cbc__free(verdict);
}

/* The walk's state: the chain being read and the checkpoints held. */
typedef struct walk {
  cbc_db *db;
  cbc_history_verdict *v;
  const cbc_history_checkpoint *held;
  size_t n_held;
  int64_t tenant; /* the chain being read */
  int64_t seq;    /* its last link read (0: none yet) */
  uint8_t hash[32];
  bool started;
} walk;

/* Record the fault (the first one: the walk stops at it). */
static int fault(walk *w, cbc_history_fault f, int64_t tenant, int64_t seq, int kind,
                 int64_t id, const char *fmt, ...) CBC__PRINTF(7, 8);
static int fault(walk *w, cbc_history_fault f, int64_t tenant, int64_t seq, int kind,
                 int64_t id, const char *fmt, ...)
{
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  char *message = cbc__strdup(text);
  if (!message)
    return cbc__error_oom();
  cbc__free(w->v->message);
  w->v->message = message;
  w->v->fault = f;
  w->v->tenant_id = tenant;
  w->v->seq = seq;
  w->v->kind = (cbc_history_kind)kind;
  w->v->record_id = id;
  return 0;
}

static const char *kind_name(int kind)
{
  const char *name = cbc_history_kind_name((cbc_history_kind)kind);
  return name ? name : "unknown kind";
}

/* Whether a checkpoint held for link (@p tenant, @p seq) has another
 * hash than @p hash (every one held for it is compared). */
static bool held_differs(const walk *w, int64_t tenant, int64_t seq, const uint8_t hash[32])
{
  char mine[65];
  sodium_bin2hex(mine, sizeof(mine), hash, 32);
  for (size_t i = 0; i < w->n_held; i++)
    if (w->held[i].tenant_id == tenant && w->held[i].seq == seq &&
        strcmp(mine, w->held[i].hash) != 0)
      return true;
  return false;
}

/* Whether record @p l names differs from its newest link even when read
 * again (a writer may have moved it on since the link was read). */
static int record_still_differs(cbc_db *db, const cbc_store_link *l, bool *differs,
                                bool *missing)
{
  uint8_t now[32], linked[32];
  int64_t tenant;
  bool found, linked_found;
  int rc = cbc_store__chain_digest(db->store, l->kind, l->record_id, now, &tenant, &found);
  if (!rc)
    rc = cbc_store__chain_latest_digest(db->store, l->kind, l->record_id, linked,
                                        &linked_found);
  *missing = !found;
  *differs = found && (!linked_found || memcmp(now, linked, 32) != 0);
  return rc;
}

/* Check the record a newest link vouches for. */
static int check_record(walk *w, const cbc_store_link *l)
{
  uint8_t now[32];
  int64_t tenant;
  bool found, differs, missing;
  w->v->records_checked++;
  int rc = cbc_store__chain_digest(w->db->store, l->kind, l->record_id, now, &tenant, &found);
  if (rc || (found && memcmp(now, l->digest, 32) == 0))
    return rc;
  rc = record_still_differs(w->db, l, &differs, &missing);
  if (rc || (!differs && !missing))
    return rc;
  if (missing)
    return fault(w, CBC_HISTORY_RECORD_MISSING, l->tenant, l->seq, l->kind, l->record_id,
                 "link %" PRId64 " of chain %" PRId64 " names %s %" PRId64 ", which is not there",
                 l->seq, l->tenant, kind_name(l->kind), l->record_id);
  return fault(w, CBC_HISTORY_RECORD_ALTERED, l->tenant, l->seq, l->kind, l->record_id,
               "%s %" PRId64 " is not what link %" PRId64 " of chain %" PRId64 " vouches for",
               kind_name(l->kind), l->record_id, l->seq, l->tenant);
}

/* Check one link: it follows the link before it, agrees with a checkpoint
 * held for it, and (when newest) with its record. */
static int check_link(walk *w, const cbc_store_link *l)
{
  if (!w->started || l->tenant != w->tenant) {
    w->started = true;
    w->tenant = l->tenant;
    w->seq = 0;
    memset(w->hash, 0, sizeof(w->hash));
  }
  uint8_t expect[32];
  cbc_store__chain_link_hash(w->hash, l->tenant, w->seq + 1, l->kind, l->record_id, l->digest,
                             expect);
  if (!l->well_formed || l->seq != w->seq + 1 || memcmp(expect, l->hash, 32) != 0)
    return fault(w, CBC_HISTORY_LINK_ALTERED, l->tenant, l->seq, l->kind, l->record_id,
                 "link %" PRId64 " of chain %" PRId64 " does not follow from link %" PRId64
                 " (a link was changed, removed, added or moved)", l->seq, l->tenant, w->seq);
  w->seq = l->seq;
  memcpy(w->hash, l->hash, 32);
  w->v->links_checked++;
  if (held_differs(w, l->tenant, l->seq, l->hash))
    return fault(w, CBC_HISTORY_CHECKPOINT_DIFFERS, l->tenant, l->seq, 0, 0,
                 "chain %" PRId64 " differs at link %" PRId64 " from the checkpoint held: it"
                 " was rewritten since", l->tenant, l->seq);
  return l->latest ? check_record(w, l) : 0;
}

static int walk_links(walk *w)
{
  cbc_store_cursor *c = NULL;
  cbc_store_link l;
  int rc = cbc_store__chain_links(&c, w->db->store);
  while (!rc && (rc = cbc_store__cursor_link(c, &l)) == 0 && !w->v->fault)
    rc = check_link(w, &l);
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* A checkpoint past its chain's end: the chain was cut back. */
static int check_held_reached(walk *w)
{
  for (size_t i = 0; i < w->n_held && !w->v->fault; i++) {
    const cbc_history_checkpoint *cp = &w->held[i];
    uint8_t hash[32];
    bool found = cp->seq == 0;
    int rc = found ? 0 : cbc_store__chain_link_at(w->db->store, cp->tenant_id, cp->seq, hash,
                                                  &found);
    if (rc)
      return rc;
    if (!found)
      rc = fault(w, CBC_HISTORY_CHECKPOINT_DIFFERS, cp->tenant_id, cp->seq, 0, 0,
                 "chain %" PRId64 " has no link %" PRId64 " although a checkpoint held has"
                 " it: it was cut back", cp->tenant_id, cp->seq);
    if (rc)
      return rc;
  }
  return 0;
}

static int find_unchained(walk *w)
{
  for (int kind = CBC_HISTORY_HAZARD; kind <= CBC_HISTORY_PENALTY && !w->v->fault; kind++) {
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = cbc_store__chain_unchained(w->db->store, kind, INT64_MIN, 1, &ids, &n);
    if (!rc && n)
      rc = fault(w, CBC_HISTORY_RECORD_UNCHAINED, 0, 0, kind, ids[0],
                 "%s %" PRId64 " has no link in any chain: it was added behind the library's"
                 " back", kind_name(kind), ids[0]);
    cbc__free(ids);
    if (rc)
      return rc;
  }
  return 0;
}

static int check_held(const cbc_history_checkpoint *held, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const cbc_history_checkpoint *cp = &held[i];
    size_t len = strnlen(cp->hash, sizeof(cp->hash));
    bool hex = len == 64 && strspn(cp->hash, "0123456789abcdef") == 64;
    if (cp->seq < 0 || cp->tenant_id < 0 || (cp->seq > 0 && !hex) ||
        (cp->seq == 0 && len != 0))
      return cbc__error(CBC_EINVAL, "checkpoint %zu: a chain's head is a tenant and sequence"
                                    " number of 0 or more and 64 lowercase hex digits (none"
                                    " for sequence number 0)", i);
  }
  return 0;
}

static int verify(walk *w)
{
  bool built;
  int rc = cbc_store__chain_built(w->db->store, &built);
  if (!rc && !built)
    rc = cbc__error(CBC_ESTATE, "the records written before the history's chains began have"
                                " no links yet: open the database read-write once");
  if (!rc)
    rc = walk_links(w);
  if (!rc && !w->v->fault)
    rc = check_held_reached(w);
  if (!rc && !w->v->fault)
    rc = find_unchained(w);
  return rc;
}

CBC_EXTERN(int) cbc_history_verify(cbc_history_verdict **out, cbc_db *db,
                                   const cbc_history_checkpoint *held, size_t n_held)
{
  int rc = out ? 0 : cbc__error(CBC_EINVAL, "invalid argument: out is NULL");
  if (out)
    *out = NULL;
  if (!rc)
    rc = cbc__db_check(db);
  if (!rc && n_held && !held)
    rc = cbc__error(CBC_EINVAL, "invalid argument: %zu checkpoints but none given", n_held);
  if (!rc)
    rc = check_held(held, n_held);
  if (rc)
    return rc;
  cbc_history_verdict *v = cbc__calloc(1, sizeof(*v));
  if (!v || !(v->message = cbc__strdup(""))) {
    cbc__free(v);
    return cbc__error_oom();
  }
  walk w = { db, v, held, n_held, 0, 0, { 0 }, false };
  rc = verify(&w);
  cbc_store__done(db->store);
  if (rc) {
    cbc_history_verdict_free(v);
    return rc;
  }
  *out = v;
  return 0;
}
