/* Anonymous follow-up keys (docs/security.md).  A key is 128 random bits
 * shown as 32 hex digits; the database keeps only its BLAKE2b hash
 * (libsodium), found through an index and compared in constant time.  Keys
 * that find nothing are counted per time window in the database itself, so
 * every handle and process of one file shares one limit on guesses; a
 * read-only handle, which cannot write the count, also keeps its own. */
#include "followup.h"
#include "db_internal.h"
#include <sodium.h>

/* Domain separation: these hashes are of follow-up keys and nothing else. */
static const char hash_domain[] = "libcbc follow-up key v1";

int cbc__followup_hash_bytes(const void *key, size_t len, unsigned char out[CBC__FOLLOWUP_HASH_LEN])
{
  if (sodium_init() < 0)
    return cbc__error(CBC_EIO, "libsodium could not be initialised");
  crypto_generichash(out, CBC__FOLLOWUP_HASH_LEN, key, len, (const unsigned char *)hash_domain,
                     sizeof(hash_domain) - 1);
  return 0;
}

int cbc__followup_new(char **key, unsigned char hash[CBC__FOLLOWUP_HASH_LEN])
{
  unsigned char raw[CBC__FOLLOWUP_KEY_LEN / 2];
  *key = NULL;
  if (sodium_init() < 0)
    return cbc__error(CBC_EIO, "libsodium could not be initialised");
  char *text = cbc__malloc(CBC__FOLLOWUP_KEY_LEN + 1);
  if (!text)
    return cbc__error_oom();
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(text, CBC__FOLLOWUP_KEY_LEN + 1, raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  int rc = cbc__followup_hash_bytes(text, CBC__FOLLOWUP_KEY_LEN, hash);
  if (rc)
    cbc__free(text);
  else
    *key = text;
  return rc;
}

/* The form keys are handed out in: 32 hex digits, lower case (upper case is
 * accepted and folded, for keys typed back by hand). */
static bool canonical_key(const char *key, char out[CBC__FOLLOWUP_KEY_LEN + 1])
{
  size_t n = 0;
  for (; key[n] && n < CBC__FOLLOWUP_KEY_LEN; n++) {
    char c = key[n];
    if (c >= 'A' && c <= 'F')
      c = (char)(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
    out[n] = c;
  }
  out[n] = '\0';
  return n == CBC__FOLLOWUP_KEY_LEN && key[n] == '\0';
}

/* ---------------------------------------------------------- the limit */

static int64_t window_of(int64_t now) { return now / CBC_FOLLOWUP_GUESS_WINDOW; }

/* Wrong keys seen in the current window: the database's count, and on a
 * read-only handle its own (which the database could not record). */
static int misses_now(cbc_db *db, int64_t window, int64_t *out)
{
  int rc = cbc_store__followup_misses(db->store, window, out);
  if (!rc && (db->flags & CBC_DB_READONLY) && db->followup_window == window)
    *out += db->followup_misses;
  return rc;
}

static int limit_check(cbc_db *db, int64_t now)
{
  int64_t misses = 0;
  int rc = misses_now(db, window_of(now), &misses);
  if (!rc && misses >= CBC_FOLLOWUP_GUESS_LIMIT)
    rc = cbc__error(CBC_EBUSY, "%lld wrong follow-up keys in this %d-second window (the limit "
                    "is %d): lookups by key resume in %lld s", (long long)misses,
                    CBC_FOLLOWUP_GUESS_WINDOW, CBC_FOLLOWUP_GUESS_LIMIT,
                    (long long)(CBC_FOLLOWUP_GUESS_WINDOW - now % CBC_FOLLOWUP_GUESS_WINDOW));
  return rc;
}

/* Count a wrong key: in the database (its own small write; inside a
 * cbc_db_begin() group, with the group), or on a read-only handle in the
 * handle. */
static int count_miss(cbc_db *db, int64_t now)
{
  int64_t window = window_of(now);
  if (db->flags & CBC_DB_READONLY) {
    if (db->followup_window != window)
      db->followup_window = window, db->followup_misses = 0;
    db->followup_misses++;
    return 0;
  }
  cbc_store__done(db->store);
  int rc = cbc__db_write_begin(db, CBC__WRITE_CHECKED_FIRST);
  if (!rc)
    rc = cbc__db_write_end(db, cbc_store__followup_miss_add(db->store, window));
  if (rc)
    cbc__error_prefix("counting a wrong follow-up key");
  return rc;
}

static int not_found(void)
{
  return cbc__error(CBC_ENOTFOUND, "no hazard has this follow-up key");
}

int cbc__followup_find(cbc_db *db, const char *key, bool count_misses, int64_t *hazard_id)
{
  char canonical[CBC__FOLLOWUP_KEY_LEN + 1];
  unsigned char hash[CBC__FOLLOWUP_HASH_LEN], stored[CBC__FOLLOWUP_HASH_LEN];
  int64_t now = cbc_db_now(db);
  /* a key of the wrong form can match nothing: it teaches a guesser nothing
   * and is not counted */
  if (!canonical_key(key, canonical))
    return cbc__error(CBC_ENOTFOUND, "no hazard has this follow-up key (a key is %d hex "
                      "digits)", CBC__FOLLOWUP_KEY_LEN);
  int rc = limit_check(db, now);
  if (!rc)
    rc = cbc__followup_hash_bytes(canonical, CBC__FOLLOWUP_KEY_LEN, hash);
  sodium_memzero(canonical, sizeof(canonical));
  if (!rc)
    rc = cbc_store__hazard_by_followup(db->store, hash, hazard_id, stored);
  /* the index found the row by equality; the constant-time comparison
   * keeps that decision from resting on a comparison that exits early */
  if (!rc && sodium_memcmp(hash, stored, CBC__FOLLOWUP_HASH_LEN) != 0)
    rc = CBC_ENOTFOUND;
  if (rc != CBC_ENOTFOUND)
    return rc;
  if (count_misses && (rc = count_miss(db, now)) != 0)
    return rc;
  return not_found();
}
