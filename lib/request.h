/* Request keys (docs/integration.md, "Retrying safely"): a write made with
 * a caller's request key is recorded with the key's hash, the digest of its
 * arguments and its result, in the write's own transaction; the same key
 * again (for the same kind of call) returns the first result and applies
 * nothing, the same key with other arguments is CBC_ECONFLICT.  Not
 * exported. */
#ifndef CBC_REQUEST_H
#define CBC_REQUEST_H

#include "db_internal.h"
#include <sodium.h>
#include <stddef.h>
#include <string.h>

/* The kinds of keyed calls; keys are scoped per kind.  Stored: never
 * renumber. */
typedef enum cbc__request_kind {
  CBC__REQ_HAZARD_REPORT = 1,
  CBC__REQ_FIX_ON_SPOT = 2,
  CBC__REQ_ORG_SYNC = 3,
  CBC__REQ_ORG_IMPORT = 4,
  CBC__REQ_TRAINING = 5,
  CBC__REQ_DRILL = 6,
  CBC__REQ_VISIT = 7,
  CBC__REQ_PROPOSAL = 8,
  CBC__REQ_CADRE_ASSIGN = 9
} cbc__request_kind;

#define CBC__REQUEST_HASH_LEN 32

typedef struct cbc__request {
  cbc__request_kind kind;
  bool keyed; /* false: no key was given; nothing is looked up or recorded */
  unsigned char key_hash[CBC__REQUEST_HASH_LEN];
  unsigned char digest[CBC__REQUEST_HASH_LEN];
  crypto_generichash_state state; /* the digest being built */
} cbc__request;

/* Start a request of @p kind with @p key (NULL: not keyed): check the key
 * (CBC_EINVAL naming it), hash it, and start the digest of the arguments. */
int cbc__request_start(cbc__request *rq, cbc__request_kind kind, const char *key);
/* Add the call's arguments to the digest, each in a self-delimiting form
 * (NULL text differs from ""); no-ops when not keyed. */
void cbc__request_int(cbc__request *rq, int64_t v);
void cbc__request_text(cbc__request *rq, const char *s);
void cbc__request_bytes(cbc__request *rq, const void *p, size_t n);
/* The digest is complete (call before the write call). */
void cbc__request_end(cbc__request *rq);

/* Inside the write call, before writing: *replayed when the key was
 * applied before (then *id and *result — owned, may be NULL — are the first
 * call's); CBC_ECONFLICT when it was, with other arguments.  Not keyed:
 * *replayed false. */
int cbc__request_replay(cbc_db *db, const cbc__request *rq, bool *replayed, int64_t *id,
                        char **result);
/* The same for calls whose result is an id alone. */
int cbc__request_replay_id(cbc_db *db, const cbc__request *rq, bool *replayed, int64_t *id);
/* Inside the write call, after its writes: record the key with the result
 * (no-op when not keyed). */
int cbc__request_record(cbc_db *db, const cbc__request *rq, int64_t id, const char *result);

/* cbc__db_write_call for a call that may be keyed: the first call applies
 * @p fn and is recorded; a retry returns its id and writes nothing. */
int cbc__request_write_call(cbc_db *db, unsigned int flags, const cbc__request *rq,
                            cbc__write_fn fn, const void *args, int64_t *out_id);

/* The keyed calls of lib/activity.c: add the record's arguments to the
 * digest (lib/request_args.c). */
typedef void (*cbc__request_args_fn)(cbc__request *rq, const void *args);
void cbc__training_request_args(cbc__request *rq, const void *args);
void cbc__drill_request_args(cbc__request *rq, const void *args);
void cbc__visit_request_args(cbc__request *rq, const void *args);
void cbc__proposal_request_args(cbc__request *rq, const void *args);
/* A checked-first write call that may carry @p key (NULL: none): start
 * the request, digest @p args with @p args_fn, then
 * cbc__request_write_call(). */
int cbc__request_keyed_call(cbc_db *db, cbc__request_kind kind, const char *key,
                            cbc__request_args_fn args_fn, cbc__write_fn fn, const void *args,
                            int64_t *out_id);

/* The request key of a versioned record: present from version @p since on
 * (older callers' structs end before the field). */
#define CBC__REQUEST_KEY_OF(rec, since) ((rec)->version >= (since) ? (rec)->request_key : NULL)

/* CBC__STRUCT_INIT_FN for a struct whose version @p since appended
 * request_key: an older version's struct is shorter, so only its own bytes
 * are written. */
#define CBC__KEYED_INIT_FN(fn, type, known, init, since)                        \
  CBC__SIZED_INIT_FN(fn, type, known,                                         \
                     (version >= (since) ? sizeof(type) : offsetof(type, request_key)), init)

#endif
