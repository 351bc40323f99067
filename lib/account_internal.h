/* What standalone sign-in (lib/account.c) hashes with.  Not exported. */
#ifndef CBC_ACCOUNT_INTERNAL_H
#define CBC_ACCOUNT_INTERNAL_H

#include "internal.h"

/* Checks a password against a hash in libsodium's string form: 0 when it
 * matches (crypto_pwhash_str_verify). */
typedef int (*cbc__password_verify_fn)(const char *hash, const char *password,
                                       unsigned long long len);

/* The limits new hashes are made with (a stored hash made with others is
 * replaced at the next sign-in), a hash of nothing anyone knows made with
 * them that a sign-in with no stored hash checks instead, and the check.
 * The library's are libsodium's INTERACTIVE limits and its own check;
 * tests lower the limits to keep each hash cheap, and count the checks.
 * Only ever changed while no other thread uses the library. */
typedef struct cbc__password_cost {
  unsigned long long opslimit;
  size_t memlimit;
  const char *dummy_hash;
  cbc__password_verify_fn verify;
} cbc__password_cost;

extern cbc__password_cost cbc__password;
/* The library's own, to restore after a test changed cbc__password. */
extern const cbc__password_cost cbc__password_default;

#endif
