/* Anonymous follow-up keys (docs/security.md): what the library hands an
 * anonymous reporter, and how it finds the hazard again without keeping
 * the key.  Not exported. */
#ifndef CBC_FOLLOWUP_H
#define CBC_FOLLOWUP_H

#include "internal.h"

#define CBC__FOLLOWUP_KEY_LEN 32  /* hex digits: 128 random bits */
#define CBC__FOLLOWUP_HASH_LEN 32 /* BLAKE2b-256 */

/* The hash the database keeps for a key of @p len bytes as given (the
 * migration hashes stored keys with it; lookups pass the canonical form). */
int cbc__followup_hash_bytes(const void *key, size_t len,
                             unsigned char out[CBC__FOLLOWUP_HASH_LEN]);

/* A new key (*key owned by the caller, freed with cbc__free) and its hash. */
int cbc__followup_new(char **key, unsigned char hash[CBC__FOLLOWUP_HASH_LEN]);

/* Find the hazard of a key a caller gives, within the guess limit:
 * CBC_ENOTFOUND for a key of the wrong form or no hazard, CBC_EBUSY while
 * the limit holds.  With @p count_misses a key that finds nothing is counted
 * against the limit (the read calls); without (a claim inside a write call,
 * by a named actor) the limit is only obeyed. */
int cbc__followup_find(cbc_db *db, const char *key, bool count_misses, int64_t *hazard_id);

#endif
