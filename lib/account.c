/* Standalone sign-in (include/cbc/account.h, docs/security.md): passwords
 * kept only as argon2id hashes (libsodium), one answer for every refusal,
 * and a count of failed sign-ins in the database that locks an account.
 *
 * A password is checked outside any transaction (it takes about 0.1 s);
 * what the check means is decided afterwards under the write lock, against
 * the account as it is then: a failure is one more in the stored count
 * (never a count read earlier plus one), and a right password is refused
 * when another process's failures locked the account meanwhile.  So every
 * process of a file shares one exact count and one lock. */
#include "account_internal.h"
#include "calendar.h"
#include "db_internal.h"
#include <sodium.h>
#include <string.h>

typedef char cbc__account_hash_room[CBC_STORE_ACCOUNT_HASH == crypto_pwhash_STRBYTES ? 1 : -1];

/* An argon2id hash, with the INTERACTIVE limits, of 32 random bytes nobody
 * kept: checking a password against it costs what checking a stored hash
 * costs, and matches nothing. */
#define INTERACTIVE_DUMMY_HASH                                                      \
  "$argon2id$v=19$m=65536,t=2,p=1$JdlPqc9G+kKaa7vxSBBofA$"                         \
  "k2hel8A44FGWo7NazjUfPCt1PTfRjQuFI2rvemhe+JM"

#define PASSWORD_COST_DEFAULT                                                       \
  { crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,        \
    INTERACTIVE_DUMMY_HASH, crypto_pwhash_str_verify }

cbc__password_cost cbc__password = PASSWORD_COST_DEFAULT;
const cbc__password_cost cbc__password_default = PASSWORD_COST_DEFAULT;

/* One message for every refusal of who signs in, so that it does not tell
 * which external ids have accounts. */
static int refused(void)
{
  return cbc__error(CBC_EPERM, "sign-in refused: wrong external id or password");
}

static int locked(cbc_db *db, int64_t until)
{
  char when[48];
  cbc__format_time(when, sizeof(when), until, cbc_db_utc_offset(db));
  return cbc__error(CBC_EBUSY, "sign-in refused: %d or more failed sign-ins in a row; the "
                    "account is locked until %s", CBC_LOGIN_MAX_FAILURES, when);
}

static int sodium_ready(void)
{
  return sodium_init() < 0 ? cbc__error(CBC_EIO, "libsodium could not be initialised") : 0;
}

/* A password any account may have: its length in *len. */
static int password_check(const char *password, size_t *len)
{
  *len = strnlen(password, CBC_PASSWORD_MAX + 1);
  if (*len < CBC_PASSWORD_MIN || *len > CBC_PASSWORD_MAX)
    return cbc__error(CBC_EINVAL, "a password is %d to %d bytes long", CBC_PASSWORD_MIN,
                      CBC_PASSWORD_MAX);
  if (!cbc__utf8_valid(password, *len))
    return cbc__error(CBC_EINVAL, "the password is not valid UTF-8");
  return 0;
}

static int hash_password(char out[CBC_STORE_ACCOUNT_HASH], const char *password, size_t len)
{
  int rc = sodium_ready();
  if (!rc && crypto_pwhash_str_alg(out, password, len, cbc__password.opslimit,
                                   cbc__password.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    rc = cbc__error(CBC_ENOMEM, "hashing the password needs %zu KiB of memory, which could "
                    "not be had", cbc__password.memlimit / 1024);
  return rc;
}

static bool password_matches(const char *hash, const char *password, size_t len)
{
  return cbc__password.verify(hash, password, len) == 0;
}

static int64_t lock_end(int64_t now)
{
  return now > CBC_TIME_MAX - CBC_LOGIN_LOCK_SECONDS ? CBC_TIME_MAX
                                                      : now + CBC_LOGIN_LOCK_SECONDS;
}

/* The account of employee @p id; CBC_ENOTFOUND when no such employee. */
static int employee_account(cbc_db *db, int64_t id, cbc_store_account *a)
{
  bool found;
  int rc = cbc_store__account_get(db->store, id, NULL, a, &found);
  if (!rc && !found)
    rc = cbc__error(CBC_ENOTFOUND, "no employee has id %lld", (long long)id);
  return rc;
}

/* Only an employee on the payroll gets a password. */
static int password_settable(cbc_db *db, int64_t id)
{
  cbc_store_account a;
  int rc = employee_account(db, id, &a);
  if (!rc && !a.active) {
    rc = cbc__error(CBC_EPERM, "has left: a password is set only for an employee on the "
                    "payroll");
    cbc__error_prefix_employee(db, "employee", id);
  }
  return rc;
}

/* ------------------------------------------------------ administration */

typedef struct set_args {
  int64_t employee_id;
  const char *hash;
} set_args;

static int set_in_transaction(cbc_db *db, const void *args, int64_t *out_id)
{
  const set_args *a = args;
  (void)out_id;
  int rc = password_settable(db, a->employee_id);
  return rc ? rc : cbc_store__account_put(db->store, a->employee_id, a->hash, cbc_db_now(db));
}

CBC_EXTERN(int) cbc_account_set_password(cbc_db *db, int64_t employee_id, const char *password)
{
  CBC__CHECK_ARG(password);
  char hash[CBC_STORE_ACCOUNT_HASH];
  size_t len;
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = password_check(password, &len);
  /* checked before the costly hash too, and again with the write */
  if (!rc)
    rc = password_settable(db, employee_id);
  if (db)
    cbc_store__done(db->store);
  if (!rc)
    rc = hash_password(hash, password, len);
  if (rc)
    return rc;
  set_args args = {employee_id, hash};
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, set_in_transaction, &args, NULL);
}

static int clear_in_transaction(cbc_db *db, const void *args, int64_t *out_id)
{
  int64_t id = *(const int64_t *)args;
  cbc_store_account a;
  (void)out_id;
  int rc = employee_account(db, id, &a);
  return rc || !a.has_password ? rc : cbc_store__account_delete(db->store, id);
}

CBC_EXTERN(int) cbc_account_clear(cbc_db *db, int64_t employee_id)
{
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, clear_in_transaction, &employee_id,
                            NULL);
}

CBC_EXTERN(int) cbc_account_status(cbc_account_info **out, cbc_db *db, int64_t employee_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_store_account a;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = employee_account(db, employee_id, &a);
  if (db)
    cbc_store__done(db->store);
  if (rc)
    return rc;
  cbc_account_info *info = cbc__calloc(1, sizeof(*info));
  if (!info)
    return cbc__error_oom();
  info->employee_id = a.employee_id;
  info->has_password = a.has_password;
  info->failures = (int)a.failures;
  info->locked_until = a.locked_until > cbc_db_now(db) ? a.locked_until : 0;
  info->changed_at = a.changed_at;
  *out = info;
  return 0;
}

CBC_EXTERN(void) cbc_account_info_free(cbc_account_info *info)
{
  cbc__free(info);
}

/* -------------------------------------------------------------- sign-in */

typedef enum login_outcome { SIGNED_IN, REFUSED, LOCKED } login_outcome;

typedef struct login_args {
  const cbc_store_account *checked; /* the account the password was checked against */
  bool match;
  const char *new_hash;             /* a rehash of the password, or NULL */
  int64_t now;
  login_outcome *outcome;
  int64_t *locked_until;
} login_args;

/* Under the write lock: what the check means for the account as it is now. */
static int login_in_transaction(cbc_db *db, const void *args, int64_t *out_id)
{
  const login_args *a = args;
  int64_t id = a->checked->employee_id;
  cbc_store_account now;
  (void)out_id;
  *a->outcome = REFUSED;
  int rc = employee_account(db, id, &now);
  /* a password removed or replaced while it was checked: the check was of
   * no password the account has, and counts against nothing */
  if (rc || !now.has_password || strcmp(now.hash, a->checked->hash) != 0)
    return rc;
  if (!a->match)
    return cbc_store__account_failed(db->store, id, CBC_LOGIN_MAX_FAILURES, lock_end(a->now));
  if (now.locked_until > a->now) {
    *a->outcome = LOCKED;
    *a->locked_until = now.locked_until;
    return 0;
  }
  *a->outcome = SIGNED_IN;
  return cbc_store__account_succeeded(db->store, id, a->new_hash);
}

/* Check the password, against the account's hash when it may sign in and
 * otherwise against the dummy at the same cost; then record the outcome. */
static int check_and_record(cbc_db *db, const cbc_store_account *acc, const char *password,
                            size_t len, int64_t now)
{
  bool usable = acc->has_password && acc->active;
  char new_hash[CBC_STORE_ACCOUNT_HASH];
  bool match = password_matches(usable ? acc->hash : cbc__password.dummy_hash, password, len);
  match = match && usable;
  if (!acc->has_password)
    return refused();
  bool rehash = match && crypto_pwhash_str_needs_rehash(acc->hash, cbc__password.opslimit,
                                                         cbc__password.memlimit) != 0;
  int rc = rehash ? hash_password(new_hash, password, len) : 0;
  login_outcome outcome = REFUSED;
  int64_t until = 0;
  login_args args = {acc, match, rehash ? new_hash : NULL, now, &outcome, &until};
  if (!rc)
    rc = cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, login_in_transaction, &args, NULL);
  if (rc)
    cbc__error_prefix("recording a sign-in");
  else if (outcome == LOCKED)
    rc = locked(db, until);
  else if (outcome == REFUSED)
    rc = refused();
  return rc;
}

CBC_EXTERN(int) cbc_account_login(int64_t *out_employee_id, cbc_db *db, const char *external_id,
                                  const char *password)
{
  CBC__CHECK_ARG(out_employee_id);
  *out_employee_id = 0;
  CBC__CHECK_ARG(external_id);
  CBC__CHECK_ARG(password);
  cbc_store_account acc;
  bool found = false;
  size_t len;
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = cbc__text_check("external id", external_id, 1, CBC_MAX_EXTERNAL_ID);
  if (!rc)
    rc = password_check(password, &len);
  if (!rc)
    rc = sodium_ready();
  if (!rc)
    rc = cbc_store__account_get(db->store, 0, external_id, &acc, &found);
  if (db)
    cbc_store__done(db->store);
  if (rc)
    return rc;
  if (!found)
    memset(&acc, 0, sizeof(acc)); /* checked against the dummy like any other refusal */
  int64_t now = cbc_db_now(db);
  if (acc.has_password && acc.locked_until > now)
    return locked(db, acc.locked_until);
  rc = check_and_record(db, &acc, password, len, now);
  if (!rc)
    *out_employee_id = acc.employee_id;
  return rc;
}
