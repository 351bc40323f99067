/* Request keys: writes a caller can retry safely (docs/integration.md).
 * The key itself is not kept, only its hash: a file reader cannot replay
 * another client's request (which for an anonymous report would hand out a
 * new follow-up key). */
#include "request.h"

static const char key_domain[] = "libcbc request key v1";
static const char digest_domain[] = "libcbc request arguments v1";

typedef char cbc__request_hash_fits[CBC__REQUEST_HASH_LEN == CBC_STORE_REQUEST_HASH ? 1 : -1];

int cbc__request_start(cbc__request *rq, cbc__request_kind kind, const char *key)
{
  memset(rq, 0, sizeof(*rq));
  rq->kind = kind;
  if (!key)
    return 0;
  int rc = cbc__text_check("request_key", key, 1, CBC_MAX_REQUEST_KEY);
  if (rc)
    return rc;
  if (sodium_init() < 0)
    return cbc__error(CBC_EIO, "libsodium could not be initialised");
  crypto_generichash(rq->key_hash, sizeof(rq->key_hash), (const unsigned char *)key,
                     strlen(key), (const unsigned char *)key_domain, sizeof(key_domain) - 1);
  crypto_generichash_init(&rq->state, (const unsigned char *)digest_domain,
                          sizeof(digest_domain) - 1, sizeof(rq->digest));
  rq->keyed = true;
  return 0;
}

/* Integers as 8 bytes, little-endian, whatever the host's order. */
static void put_u64(cbc__request *rq, uint64_t v)
{
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char)(v >> (8 * i));
  crypto_generichash_update(&rq->state, b, sizeof(b));
}

/* Each value starts with a tag, texts with their length: no two argument
 * lists share an encoding. */
enum { TAG_INT = 1, TAG_TEXT = 2, TAG_NULL = 3, TAG_BYTES = 4 };

static void put_tag(cbc__request *rq, unsigned char tag)
{
  crypto_generichash_update(&rq->state, &tag, 1);
}

void cbc__request_int(cbc__request *rq, int64_t v)
{
  if (!rq->keyed)
    return;
  put_tag(rq, TAG_INT);
  put_u64(rq, (uint64_t)v);
}

void cbc__request_text(cbc__request *rq, const char *s)
{
  if (!rq->keyed)
    return;
  if (!s) {
    put_tag(rq, TAG_NULL);
    return;
  }
  size_t n = strlen(s);
  put_tag(rq, TAG_TEXT);
  put_u64(rq, n);
  crypto_generichash_update(&rq->state, (const unsigned char *)s, n);
}

void cbc__request_bytes(cbc__request *rq, const void *p, size_t n)
{
  if (!rq->keyed)
    return;
  put_tag(rq, TAG_BYTES);
  put_u64(rq, n);
  crypto_generichash_update(&rq->state, p, n);
}

void cbc__request_end(cbc__request *rq)
{
  if (rq->keyed)
    crypto_generichash_final(&rq->state, rq->digest, sizeof(rq->digest));
}

static const char *const kind_names[] = {
  "?", "hazard report", "fix on the spot", "HR sync", "HR import", "training", "drill",
  "visit", "proposal", "cadre assignment"
};

int cbc__request_replay(cbc_db *db, const cbc__request *rq, bool *replayed, int64_t *id,
                        char **result)
{
  unsigned char digest[CBC__REQUEST_HASH_LEN];
  *replayed = false;
  *result = NULL;
  if (!rq->keyed)
    return 0;
  bool found = false;
  int rc = cbc_store__request_get(db->store, rq->kind, rq->key_hash, &found, digest, id, result);
  if (rc || !found)
    return rc;
  if (sodium_memcmp(digest, rq->digest, sizeof(digest)) != 0) {
    cbc__free(*result);
    *result = NULL;
    return cbc__error(CBC_ECONFLICT, "this request key was used for a %s with other arguments",
                      kind_names[rq->kind]);
  }
  *replayed = true;
  return 0;
}

int cbc__request_replay_id(cbc_db *db, const cbc__request *rq, bool *replayed, int64_t *id)
{
  char *result = NULL;
  int rc = cbc__request_replay(db, rq, replayed, id, &result);
  cbc__free(result);
  return rc;
}

int cbc__request_record(cbc_db *db, const cbc__request *rq, int64_t id, const char *result)
{
  if (!rq->keyed)
    return 0;
  return cbc_store__request_put(db->store, rq->kind, rq->key_hash, rq->digest, id, result,
                                cbc_db_now(db));
}

/* The write of a keyed call: the first result, or the call and its record. */
/* A keyed call's body: its request's replay, or the call and its record. */
typedef struct keyed_args {
  const cbc__request *rq;
  cbc__write_fn fn;
  const void *args;
} keyed_args;

static int keyed_write(cbc_db *db, const void *args, int64_t *id)
{
  const keyed_args *k = args;
  bool replayed = false;
  int rc = cbc__request_replay_id(db, k->rq, &replayed, id);
  if (rc || replayed)
    return rc;
  rc = k->fn(db, k->args, id);
  return rc ? rc : cbc__request_record(db, k->rq, *id, NULL);
}

int cbc__request_write_call(cbc_db *db, unsigned int flags, const cbc__request *rq,
                            cbc__write_fn fn, const void *args, int64_t *out_id)
{
  const keyed_args k = { rq, fn, args };
  return cbc__db_write_call(db, flags, keyed_write, &k, out_id);
}
