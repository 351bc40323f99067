/* Standalone sign-in (include/cbc/account.h): passwords stored only as
 * argon2id hashes, one message for every refusal, the lock after
 * CBC_LOGIN_MAX_FAILURES failures and its expiry, rehashing, exact counts
 * across processes, bad input, allocation failures and the migration.
 *
 * Hashes are made with libsodium's smallest limits here (each costs
 * microseconds instead of 0.1 s and 64 MiB), through the library's own
 * tuning (lib/account_internal.h); test_interactive_limits makes and checks
 * the few real ones. */
#include "helpers.h"
#include "account_internal.h"
#include "db_internal.h"
#include "store/store.h"
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now;
static int verifications;
static char cheap_dummy[crypto_pwhash_STRBYTES];

#define PASSWORD "correct horse 电池"
#define OTHER "wrong horse battery"
#define DUMMY_PASSWORD "the dummy's password"
#define REFUSED "sign-in refused: wrong external id or password"

static int counting_verify(const char *hash, const char *password, unsigned long long len)
{
  verifications++;
  return crypto_pwhash_str_verify(hash, password, len);
}

/* The cheapest limits libsodium allows, a dummy hash of a known password
 * made with them, and a count of every password check. */
static void cheap_cost(unsigned long long opslimit)
{
  cbc__password.opslimit = opslimit;
  cbc__password.memlimit = crypto_pwhash_MEMLIMIT_MIN;
  assert_int_equal(crypto_pwhash_str(cheap_dummy, DUMMY_PASSWORD, strlen(DUMMY_PASSWORD),
                                     opslimit, crypto_pwhash_MEMLIMIT_MIN), 0);
  cbc__password.dummy_hash = cheap_dummy;
  cbc__password.verify = counting_verify;
}

static int setup(void **state)
{
  assert_true(sodium_init() >= 0);
  cheap_cost(crypto_pwhash_OPSLIMIT_MIN);
  now = cbc_test_date(2026, 11, 10) + 9 * 3600;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  *state = db;
  return 0;
}

/* For the tests that open their own databases (a test allocator may only
 * be installed while no handle is open). */
static int setup_cost(void **state)
{
  assert_true(sodium_init() >= 0);
  cheap_cost(crypto_pwhash_OPSLIMIT_MIN);
  now = cbc_test_date(2026, 11, 10) + 9 * 3600;
  *state = NULL;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  cbc__password = cbc__password_default;
  return 0;
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

static cbc_account_info status(cbc_db *db, const char *ext)
{
  cbc_account_info *info = NULL;
  assert_cbc_ok(cbc_account_status(&info, db, E(db, ext)));
  cbc_account_info copy = *info;
  cbc_account_info_free(info);
  return copy;
}

static int login(cbc_db *db, const char *ext, const char *password)
{
  int64_t id = -1;
  int rc = cbc_account_login(&id, db, ext, password);
  assert_true(rc ? id == 0 : id == E(db, ext));
  return rc;
}

/* The stored hash, read through the store as the library reads it. */
static void stored_hash(cbc_db *db, const char *ext, char out[CBC_STORE_ACCOUNT_HASH])
{
  cbc_store_account a;
  bool found;
  assert_cbc_ok(cbc_store__account_get(db->store, 0, ext, &a, &found));
  cbc_store__done(db->store);
  assert_true(found && a.has_password);
  memcpy(out, a.hash, CBC_STORE_ACCOUNT_HASH);
}

static void assert_refused(cbc_db *db, const char *ext, const char *password)
{
  int before = verifications;
  assert_int_equal(login(db, ext, password), CBC_EPERM);
  assert_string_equal(cbc_error_last()->message, REFUSED);
  assert_int_equal(verifications, before + 1); /* one check, whatever the reason */
}

/* ------------------------------------------------------------ the rules */

static void test_set_and_sign_in(void **state)
{
  cbc_db *db = *state;
  cbc_account_info a = status(db, "A1");
  assert_int_equal(a.has_password, 0);
  assert_int_equal(a.changed_at, 0);
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  a = status(db, "A1");
  assert_int_equal(a.employee_id, E(db, "A1"));
  assert_int_equal(a.has_password, 1);
  assert_int_equal(a.failures, 0);
  assert_int_equal(a.locked_until, 0);
  assert_int_equal(a.changed_at, now);
  char hash[CBC_STORE_ACCOUNT_HASH];
  stored_hash(db, "A1", hash);
  assert_true(strncmp(hash, "$argon2id$", 10) == 0);
  assert_null(strstr(hash, PASSWORD));
  assert_cbc_ok(login(db, "A1", PASSWORD));
  assert_refused(db, "A1", OTHER);
  assert_refused(db, "A1", OTHER);
  assert_int_equal(status(db, "A1").failures, 2);
  assert_cbc_ok(login(db, "A1", PASSWORD)); /* resets the count */
  assert_int_equal(status(db, "A1").failures, 0);
  /* a new password replaces the old one */
  now += 60;
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), OTHER));
  assert_refused(db, "A1", PASSWORD);
  assert_cbc_ok(login(db, "A1", OTHER));
  assert_int_equal(status(db, "A1").changed_at, now);
  /* another employee's password is another account */
  assert_refused(db, "A2", OTHER);
}

/* Wrong password, unknown external id, no password, an employee who left:
 * one code, one message and one password check each, so neither the
 * answer nor its time tells which. */
static void test_one_answer_for_every_refusal(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  assert_cbc_ok(cbc_account_set_password(db, E(db, "B1"), PASSWORD));
  assert_cbc_ok(cbc_employee_deactivate(db, E(db, "B1"), now));
  assert_refused(db, "A1", OTHER);           /* wrong password */
  assert_refused(db, "NOBODY", PASSWORD);    /* unknown external id */
  assert_refused(db, "A2", PASSWORD);        /* no password set */
  assert_refused(db, "B1", PASSWORD);        /* left, with the right password */
  /* the unknown id's check is against the dummy hash: even its password
   * signs nobody in */
  assert_refused(db, "NOBODY", DUMMY_PASSWORD);
  assert_refused(db, "A2", DUMMY_PASSWORD);
  assert_refused(db, "B1", DUMMY_PASSWORD);
  /* refusals of accounts count; of no account, nothing is written */
  assert_int_equal(status(db, "A1").failures, 1);
  assert_int_equal(status(db, "B1").failures, 2);
  assert_int_equal(status(db, "A2").failures, 0);
  assert_int_equal(status(db, "A2").has_password, 0);
}

static void test_lock_and_expiry(void **state)
{
  cbc_db *db = *state;
  int64_t id = E(db, "A1");
  assert_cbc_ok(cbc_account_set_password(db, id, PASSWORD));
  for (int i = 1; i < CBC_LOGIN_MAX_FAILURES; i++) {
    now += 10;
    assert_refused(db, "A1", OTHER);
    assert_int_equal(status(db, "A1").locked_until, 0);
  }
  now += 10;
  assert_refused(db, "A1", OTHER); /* the fifth: refused as usual, and locks */
  int64_t until = now + CBC_LOGIN_LOCK_SECONDS;
  cbc_account_info a = status(db, "A1");
  assert_int_equal(a.failures, CBC_LOGIN_MAX_FAILURES);
  assert_int_equal(a.locked_until, until);
  /* while locked: CBC_EBUSY saying until when (2026-11-10 09:15:50 in
   * UTC+8), the right password too, with no password check */
  int before = verifications;
  assert_cbc_error(login(db, "A1", PASSWORD), CBC_EBUSY, "locked until 2026-11-10T09:15:50+08:00");
  assert_cbc_error(login(db, "A1", OTHER), CBC_EBUSY, "locked until");
  now = until - 1;
  assert_cbc_error(login(db, "A1", PASSWORD), CBC_EBUSY, "locked until");
  assert_int_equal(verifications, before);
  assert_int_equal(status(db, "A1").failures, CBC_LOGIN_MAX_FAILURES); /* not counted */
  /* the lock runs out: one more failure locks again at once */
  now = until;
  assert_int_equal(status(db, "A1").locked_until, 0);
  assert_refused(db, "A1", OTHER);
  assert_int_equal(status(db, "A1").locked_until, now + CBC_LOGIN_LOCK_SECONDS);
  assert_int_equal(status(db, "A1").failures, CBC_LOGIN_MAX_FAILURES + 1);
  /* after it, the right password signs in and resets everything */
  now += CBC_LOGIN_LOCK_SECONDS;
  assert_cbc_ok(login(db, "A1", PASSWORD));
  a = status(db, "A1");
  assert_int_equal(a.failures, 0);
  assert_int_equal(a.locked_until, 0);
  /* an administrator's new password lifts a lock */
  for (int i = 0; i < CBC_LOGIN_MAX_FAILURES; i++)
    assert_refused(db, "A1", OTHER);
  assert_cbc_error(login(db, "A1", PASSWORD), CBC_EBUSY, "locked");
  assert_cbc_ok(cbc_account_set_password(db, id, PASSWORD));
  assert_int_equal(status(db, "A1").failures, 0);
  assert_cbc_ok(login(db, "A1", PASSWORD));
  /* and so does removing the password (the account is gone) */
  for (int i = 0; i < CBC_LOGIN_MAX_FAILURES; i++)
    assert_refused(db, "A1", OTHER);
  assert_cbc_ok(cbc_account_clear(db, id));
  a = status(db, "A1");
  assert_int_equal(a.failures, 0);
  assert_int_equal(a.locked_until, 0);
}

/* A lock's end near the end of time is clamped, not overflowed. */
static void test_lock_at_end_of_time(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  now = CBC_TIME_MAX - 5;
  for (int i = 0; i < CBC_LOGIN_MAX_FAILURES; i++)
    assert_refused(db, "A1", OTHER);
  assert_int_equal(status(db, "A1").locked_until, CBC_TIME_MAX);
  assert_cbc_error(login(db, "A1", PASSWORD), CBC_EBUSY, "locked until 9999-12-31");
}

/* A hash made with other limits than the current ones is replaced at the
 * next sign-in with the right password, and only then. */
static void test_rehash(void **state)
{
  cbc_db *db = *state;
  char before[CBC_STORE_ACCOUNT_HASH], after[CBC_STORE_ACCOUNT_HASH];
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  int64_t changed = now;
  stored_hash(db, "A1", before);
  assert_non_null(strstr(before, ",t=1,"));
  cheap_cost(crypto_pwhash_OPSLIMIT_MIN + 1);
  now += 60;
  assert_refused(db, "A1", OTHER);
  stored_hash(db, "A1", after);
  assert_string_equal(after, before); /* a wrong password rehashes nothing */
  assert_cbc_ok(login(db, "A1", PASSWORD));
  stored_hash(db, "A1", after);
  assert_string_not_equal(after, before);
  assert_non_null(strstr(after, ",t=2,"));
  assert_int_equal(crypto_pwhash_str_needs_rehash(after, crypto_pwhash_OPSLIMIT_MIN + 1,
                                                  crypto_pwhash_MEMLIMIT_MIN), 0);
  assert_int_equal(status(db, "A1").changed_at, changed); /* the password is the same */
  assert_cbc_ok(login(db, "A1", PASSWORD));
  stored_hash(db, "A1", before);
  assert_string_equal(before, after); /* current limits: kept */
}

/* Only an employee on the payroll gets a password; one who left keeps
 * theirs stored but cannot use it, and may have it removed. */
static void test_employee_who_left(void **state)
{
  cbc_db *db = *state;
  int64_t a1 = E(db, "A1"), b1 = E(db, "B1");
  assert_cbc_ok(cbc_account_set_password(db, a1, PASSWORD));
  assert_cbc_ok(cbc_employee_deactivate(db, a1, now));
  assert_cbc_ok(cbc_employee_deactivate(db, b1, now));
  assert_cbc_error(cbc_account_set_password(db, b1, PASSWORD), CBC_EPERM, "B1");
  assert_int_equal(status(db, "B1").has_password, 0);
  assert_cbc_error(cbc_account_set_password(db, a1, OTHER), CBC_EPERM, "on the payroll");
  assert_refused(db, "A1", PASSWORD);
  assert_refused(db, "A1", OTHER); /* the old password stays, unusable */
  assert_cbc_ok(cbc_account_clear(db, a1));
  assert_int_equal(status(db, "A1").has_password, 0);
}

static void test_clear(void **state)
{
  cbc_db *db = *state;
  int64_t id = E(db, "A1");
  assert_cbc_ok(cbc_account_set_password(db, id, PASSWORD));
  assert_refused(db, "A1", OTHER);
  assert_cbc_ok(cbc_account_clear(db, id));
  cbc_account_info a = status(db, "A1");
  assert_int_equal(a.has_password, 0);
  assert_int_equal(a.failures, 0);
  assert_int_equal(a.changed_at, 0);
  assert_refused(db, "A1", PASSWORD);
  assert_cbc_ok(cbc_account_clear(db, id)); /* nothing to remove: fine */
  assert_int_equal(status(db, "A1").failures, 0);
}

/* Inside a cbc_db_begin() group a failure is counted with the group. */
static void test_in_group(void **state)
{
  cbc_db *db = *state;
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  assert_cbc_ok(cbc_db_begin(db));
  assert_refused(db, "A1", OTHER);
  assert_int_equal(status(db, "A1").failures, 1);
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(status(db, "A1").failures, 0);
  assert_cbc_ok(cbc_db_begin(db));
  assert_refused(db, "A1", OTHER);
  assert_cbc_ok(login(db, "A1", PASSWORD));
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(status(db, "A1").failures, 0);
}

/* ------------------------------------------------------------ bad input */

/* The whole accounts table, to show a refused call changed nothing. */
static char *accounts_text(cbc_db *db)
{
  cbc_store_account a;
  bool found;
  char line[300];
  size_t cap = 4096, used = 0;
  char *text = calloc(1, cap);
  for (const char *const *ext = (const char *const[]){"A1", "A2", "B1", "L1", NULL}; *ext;
       ext++) {
    assert_cbc_ok(cbc_store__account_get(db->store, 0, *ext, &a, &found));
    int n = snprintf(line, sizeof(line), "%s %d %s %lld %lld %lld\n", *ext, a.has_password,
                     a.hash, (long long)a.failures, (long long)a.locked_until,
                     (long long)a.changed_at);
    assert_true(used + (size_t)n < cap);
    memcpy(text + used, line, (size_t)n + 1);
    used += (size_t)n;
  }
  cbc_store__done(db->store);
  return text;
}

static void test_bad_input_changes_nothing(void **state)
{
  cbc_db *db = *state;
  int64_t a1 = E(db, "A1"), out = -1;
  char long_pw[CBC_PASSWORD_MAX + 2], long_ext[CBC_MAX_EXTERNAL_ID + 2];
  memset(long_pw, 'x', sizeof(long_pw) - 1);
  long_pw[sizeof(long_pw) - 1] = '\0';
  memset(long_ext, 'E', sizeof(long_ext) - 1);
  long_ext[sizeof(long_ext) - 1] = '\0';
  assert_cbc_ok(cbc_account_set_password(db, a1, PASSWORD));
  assert_refused(db, "A1", OTHER);
  char *before = accounts_text(db);
  int checks = verifications;
  assert_cbc_error(cbc_account_set_password(NULL, a1, PASSWORD), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_set_password(db, a1, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_set_password(db, a1, "1234567"), CBC_EINVAL, "8 to 1024");
  assert_cbc_error(cbc_account_set_password(db, a1, long_pw), CBC_EINVAL, "8 to 1024");
  assert_cbc_error(cbc_account_set_password(db, a1, "abcdefg\xff"), CBC_EINVAL, "UTF-8");
  assert_cbc_error(cbc_account_set_password(db, a1, "abcdefg\xe7\x94"), CBC_EINVAL, "UTF-8");
  assert_cbc_error(cbc_account_set_password(db, 99999, PASSWORD), CBC_ENOTFOUND, "99999");
  assert_cbc_error(cbc_account_clear(db, 99999), CBC_ENOTFOUND, "99999");
  assert_cbc_error(cbc_account_clear(NULL, a1), CBC_EINVAL, NULL);
  cbc_account_info junk, *info = &junk;
  assert_cbc_error(cbc_account_status(&info, db, 99999), CBC_ENOTFOUND, NULL);
  assert_null(info);
  assert_cbc_error(cbc_account_status(NULL, db, a1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_status(&info, NULL, a1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_login(NULL, db, "A1", PASSWORD), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_login(&out, NULL, "A1", PASSWORD), CBC_EINVAL, NULL);
  assert_int_equal(out, 0);
  assert_cbc_error(cbc_account_login(&out, db, NULL, PASSWORD), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_login(&out, db, "A1", NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_account_login(&out, db, "", PASSWORD), CBC_EINVAL, "external id");
  assert_cbc_error(cbc_account_login(&out, db, long_ext, PASSWORD), CBC_EINVAL, "external id");
  assert_cbc_error(cbc_account_login(&out, db, "A\n1", PASSWORD), CBC_EINVAL, "external id");
  assert_cbc_error(cbc_account_login(&out, db, "A1", "short"), CBC_EINVAL, "8 to 1024");
  assert_cbc_error(cbc_account_login(&out, db, "A1", long_pw), CBC_EINVAL, "8 to 1024");
  assert_cbc_error(cbc_account_login(&out, db, "A1", "abcdefg\xc0\x80"), CBC_EINVAL, "UTF-8");
  assert_int_equal(verifications, checks); /* no password was checked ... */
  char *after = accounts_text(db);
  assert_string_equal(after, before);      /* ... and nothing counted */
  free(before);
  free(after);
  /* the longest and shortest passwords are fine */
  long_pw[CBC_PASSWORD_MAX] = '\0';
  assert_cbc_ok(cbc_account_set_password(db, a1, long_pw));
  assert_cbc_ok(login(db, "A1", long_pw));
  assert_cbc_ok(cbc_account_set_password(db, a1, "12345678"));
  assert_cbc_ok(login(db, "A1", "12345678"));
}

/* A read-only handle shows accounts but cannot sign in (it could not
 * count a failure) nor change them. */
static void test_read_only(void **state)
{
  (void)state;
  const char *path = cbc_test_path("readonly.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t a1 = E(db, "A1"), out;
  assert_cbc_ok(cbc_account_set_password(db, a1, PASSWORD));
  cbc_db_close(db);
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.flags = CBC_DB_READONLY;
  assert_cbc_ok(cbc_db_open(&db, path, &opts));
  assert_cbc_error(cbc_account_login(&out, db, "A1", PASSWORD), CBC_EPERM, "read-only");
  assert_cbc_error(cbc_account_set_password(db, a1, OTHER), CBC_EPERM, "read-only");
  assert_cbc_error(cbc_account_clear(db, a1), CBC_EPERM, "read-only");
  cbc_account_info *info;
  assert_cbc_ok(cbc_account_status(&info, db, a1));
  assert_int_equal(info->has_password, 1);
  cbc_account_info_free(info);
  cbc_account_info_free(NULL);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* ---------------------------------------------------- the real limits */

/* The library's own limits: libsodium's INTERACTIVE ones, argon2id, and a
 * dummy hash made with them (a sign-in with no account costs what one with
 * an account does).  Two real hashes (about 0.1 s and 64 MiB each, far more
 * under valgrind); with CBC_TEST_LONG=1 also a sign-in and a refusal. */
static void test_interactive_limits(void **state)
{
  cbc_db *db = *state;
  cbc__password = cbc__password_default;
  assert_int_equal(cbc__password.opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  assert_int_equal(cbc__password.memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  assert_int_equal(crypto_pwhash_str_needs_rehash(cbc__password.dummy_hash,
                                                  crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                  crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
  assert_true(strncmp(cbc__password.dummy_hash, "$argon2id$", 10) == 0);
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  char hash[CBC_STORE_ACCOUNT_HASH];
  stored_hash(db, "A1", hash);
  assert_true(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
  int64_t out;
  assert_int_equal(cbc_account_login(&out, db, "NOBODY", PASSWORD), CBC_EPERM);
  const char *env_long = getenv("CBC_TEST_LONG");
  if (env_long && strcmp(env_long, "1") == 0) {
    assert_cbc_ok(login(db, "A1", PASSWORD));
    assert_int_equal(login(db, "A1", OTHER), CBC_EPERM);
    assert_int_equal(status(db, "A1").failures, 1);
  }
}

/* ------------------------------------------------- allocation failures */

/* Set, refuse, sign in, show, clear: a failed allocation anywhere gives
 * CBC_ENOMEM and leaves a database whose account still works. */
static int account_scenario(cbc_db *db, int64_t id)
{
  int64_t out;
  cbc_account_info *info = NULL;
  int rc = cbc_account_set_password(db, id, PASSWORD);
  if (!rc) {
    rc = cbc_account_login(&out, db, "A1", OTHER);
    rc = rc == CBC_EPERM && strcmp(cbc_error_last()->message, REFUSED) == 0 ? 0 : rc;
  }
  if (!rc)
    rc = cbc_account_login(&out, db, "A1", PASSWORD);
  if (!rc)
    rc = cbc_account_status(&info, db, id);
  if (!rc && (info->failures != 0 || !info->has_password))
    rc = -100;
  cbc_account_info_free(info);
  if (!rc)
    rc = cbc_account_clear(db, id);
  return rc;
}

/* A copy of @p template (a seeded database: seeding each time would cost
 * most of the sweep under valgrind), opened with the counting allocator. */
static cbc_db *sweep_db(const char *template_path, int64_t *id)
{
  char path[600];
  snprintf(path, sizeof(path), "%s", cbc_test_path("sweep.db"));
  cbc_test_unlink(path);
  FILE *in = fopen(template_path, "rb"), *out = fopen(path, "wb");
  assert_true(in && out);
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
    assert_int_equal(fwrite(buf, 1, n, out), n);
  fclose(in);
  assert_int_equal(fclose(out), 0);
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db_file(path, &now);
  *id = E(db, "A1");
  return db;
}

static void assert_account_works(cbc_db *db, int64_t id)
{
  cbc_account_info *info;
  assert_cbc_ok(cbc_account_status(&info, db, id));
  assert_true(info->failures <= 1);
  cbc_account_info_free(info);
  assert_cbc_ok(cbc_account_set_password(db, id, OTHER));
  assert_cbc_ok(login(db, "A1", OTHER));
}

static void test_allocation_failures(void **state)
{
  (void)state;
  int64_t id;
  char template_path[600];
  snprintf(template_path, sizeof(template_path), "%s", cbc_test_path("template.db"));
  cbc_test_unlink(template_path);
  cbc_db *db = cbc_test_db_file(template_path, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  db = sweep_db(template_path, &id);
  long before = cbc_test_alloc_count();
  assert_cbc_ok(account_scenario(db, id));
  long total = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  long points = 0, stride = cbc_test_sweep_stride(total);
  print_message("%ld allocations; failing every %ld-th\n", total, stride);
  for (long n = 1;; n += stride) {
    db = sweep_db(template_path, &id);
    cbc_test_fail_after(n);
    int rc = account_scenario(db, id);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      assert_int_equal(rc, CBC_ENOMEM);
      assert_non_null(strstr(cbc_error_last()->message, "memory"));
    }
    assert_account_works(db, id);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride >= total);
  cbc_test_unlink(template_path);
  cbc_test_unlink(cbc_test_path("sweep.db"));
}

/* ------------------------------------------------------ two processes */

#define HAMMER_TRIES 30

/* A clock shared by the processes whose seconds pass in microseconds: a
 * lock (CBC_LOGIN_LOCK_SECONDS) ends within a millisecond, so most tries
 * are checked and counted, and a lock now and then shows that tries
 * refused as locked are not counted. */
static int64_t fast_clock(void *payload)
{
  struct timespec ts;
  (void)payload;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return INT64_C(1800000000) + (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A child: wrong passwords until HAMMER_TRIES of them were checked and
 * refused as wrong (waiting out the locks between); exits with that
 * count, or 255 on any other answer. */
static void hammer(const char *path)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.clock = fast_clock;
  opts.busy_timeout_ms = 60000;
  opts.synchronous = CBC_DB_SYNC_NORMAL;
  cbc_db *db;
  int64_t out;
  int counted = 0;
  if (cbc_db_open(&db, path, &opts) != 0)
    _exit(255);
  for (long locked = 0; counted < HAMMER_TRIES && locked < 100000;) {
    int rc = cbc_account_login(&out, db, "A1", OTHER);
    if (rc == CBC_EPERM)
      counted++;
    else if (rc == CBC_EBUSY && strstr(cbc_error_last()->message, "locked until"))
      locked++, nanosleep(&(struct timespec){0, 200000}, NULL);
    else
      _exit(255);
  }
  cbc_db_close(db);
  _exit(counted);
}

static void test_concurrent_failures_counted_exactly(void **state)
{
  (void)state;
  const char *path = cbc_test_path("hammer.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  cbc_db_close(db); /* no connection crosses the fork */
  pid_t pids[2];
  int counted = 0;
  fflush(NULL);
  for (int p = 0; p < 2; p++) {
    pids[p] = fork();
    assert_true(pids[p] >= 0);
    if (pids[p] == 0)
      hammer(path);
  }
  for (int p = 0; p < 2; p++) {
    int st;
    assert_int_equal(waitpid(pids[p], &st, 0), pids[p]);
    assert_true(WIFEXITED(st));
    assert_int_not_equal(WEXITSTATUS(st), 255);
    counted += WEXITSTATUS(st);
  }
  db = cbc_test_db_file(path, &now);
  assert_int_equal(counted, 2 * HAMMER_TRIES);
  assert_int_equal(status(db, "A1").failures, counted);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* ------------------------------------------------------------ migration */

/* A database of schema 11 (before accounts) gains the table when this
 * version opens it: its employees have no password, and can get one. */
static void test_migration_from_v11(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v11.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "DROP TABLE accounts; PRAGMA user_version=11", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(status(db, "A1").has_password, 0);
  assert_cbc_ok(cbc_account_set_password(db, E(db, "A1"), PASSWORD));
  assert_cbc_ok(login(db, "A1", PASSWORD));
  assert_refused(db, "L1", PASSWORD);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_set_and_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_one_answer_for_every_refusal, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lock_and_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lock_at_end_of_time, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rehash, setup, teardown),
    cmocka_unit_test_setup_teardown(test_employee_who_left, setup, teardown),
    cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
    cmocka_unit_test_setup_teardown(test_in_group, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_read_only, setup_cost, teardown),
    cmocka_unit_test_setup_teardown(test_interactive_limits, setup, teardown),
    cmocka_unit_test_setup_teardown(test_allocation_failures, setup_cost, teardown),
    cmocka_unit_test_setup_teardown(test_concurrent_failures_counted_exactly, setup_cost, teardown),
    cmocka_unit_test_setup_teardown(test_migration_from_v11, setup_cost, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
