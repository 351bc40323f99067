/**
 * @file cbc/account.h
 * @brief Standalone sign-in: passwords per employee, kept only as argon2id
 *        hashes, and a limit on failed sign-ins (docs/security.md).
 *
 * Most hosts authenticate people themselves (HR single sign-on) and only
 * name the employee to libcbc.  A front end without such a host signs
 * people in here: an administrator sets each employee's password
 * (cbc_account_set_password()), and cbc_account_login() checks an HR
 * external id and a password.  The rules live in the library, so every
 * front end of one database gets the same behaviour: only argon2id hashes
 * are stored (libsodium's crypto_pwhash_str() with its INTERACTIVE limits),
 * every refusal of a sign-in has one message whatever its reason, and an
 * account is locked for #CBC_LOGIN_LOCK_SECONDS after
 * #CBC_LOGIN_MAX_FAILURES failed sign-ins in a row, counted in the database
 * so that every process of the file shares the count.
 *
 * Each hash or check of a password costs about 0.1 s and 64 MiB of memory
 * on purpose: that is what makes a stolen file's hashes slow to guess.
 * @since 1.2
 */
#ifndef CBC_ACCOUNT_H
#define CBC_ACCOUNT_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Sign-in limits
 * @{ */
/** Failed sign-ins in a row that lock an account.  @since 1.2 */
#define CBC_LOGIN_MAX_FAILURES 5
/** How long a lock lasts, in seconds of the database's clock (15 minutes).
 * Each further failure once the count has reached #CBC_LOGIN_MAX_FAILURES
 * locks the account again for as long: a guesser gets one try per lock,
 * until a sign-in with the right password (or a new password) resets the
 * count.  @since 1.2 */
#define CBC_LOGIN_LOCK_SECONDS 900
/** The shortest password, in bytes.  @since 1.2 */
#define CBC_PASSWORD_MIN 8
/** The longest password, in bytes.  @since 1.2 */
#define CBC_PASSWORD_MAX 1024
/** @} */

/**
 * Set an employee's password: store its argon2id hash (never the password),
 * and reset the count of failed sign-ins and any lock.  The caller's
 * password is only read; the library wipes its own copies.
 *
 * The hash is computed before the write transaction opens, so the write
 * lock is not held for it.
 * @param db           the database (writable)
 * @param employee_id  an active employee
 * @param password     #CBC_PASSWORD_MIN to #CBC_PASSWORD_MAX bytes of valid
 *                     UTF-8 (NUL ends it)
 * @return 0; CBC_EINVAL (NULL arguments, a password too short, too long or
 *         not UTF-8); CBC_ENOTFOUND (no such employee); CBC_EPERM (the
 *         employee has left, or the database is read-only); CBC_EBUSY;
 *         CBC_EIO; CBC_ENOMEM (also when the hash's 64 MiB cannot be had)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_account_set_password(cbc_db *db, int64_t employee_id, const char *password);

/**
 * Remove an employee's password, its count of failures and its lock:
 * signing in as the employee is then impossible until a new password is
 * set.  Removing a password that is not there succeeds; an employee who
 * has left may have theirs removed.
 * @param db           the database (writable)
 * @param employee_id  the employee
 * @return 0; CBC_EINVAL (NULL db); CBC_ENOTFOUND (no such employee);
 *         CBC_EPERM (read-only); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_account_clear(cbc_db *db, int64_t employee_id);

/**
 * Sign an employee in by their HR external id and password.
 *
 * On success the count of failed sign-ins is reset, and a hash made with
 * other limits than the library's current ones is replaced by a new hash of
 * the same password.
 *
 * Every refusal for who is signing in — a wrong password, an unknown
 * external id, an employee without a password, an employee who has left —
 * is CBC_EPERM with one message, "sign-in refused: wrong external id or
 * password", and costs the same check of a password: the answer does not
 * tell whether an account exists.  A refusal of an employee with a
 * password counts as a failure in the database (a small write transaction
 * of its own; inside a cbc_db_begin() group, with the group): after
 * #CBC_LOGIN_MAX_FAILURES in a row the account is locked for
 * #CBC_LOGIN_LOCK_SECONDS by cbc_db_now(), and while it is locked every
 * sign-in, with the right password too, fails with CBC_EBUSY and a
 * message that says until when.  Concurrent sign-ins from any number of
 * processes count every failure, and a right password checked while
 * another process's failure locked the account is refused as locked.
 * @param[out] out_employee_id  the employee's id on success; 0 otherwise
 * @param db           the database (writable: failures are recorded)
 * @param external_id  the employee's external id (as from HR)
 * @param password     the password as typed
 * @return 0; CBC_EPERM (refused, as above; or the database is read-only);
 *         CBC_EBUSY (the account is locked; or the database is busy);
 *         CBC_EINVAL (NULL arguments, an external id or password that no
 *         account can have: empty, too long, not UTF-8 — nothing is
 *         counted); CBC_EIO; CBC_ECORRUPT; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_account_login(int64_t *out_employee_id, cbc_db *db, const char *external_id,
                                  const char *password);

/** An employee's sign-in account, for administrators (library-allocated;
 * fields may be appended).  @since 1.2 */
typedef struct cbc_account_info {
  int64_t employee_id;  /**< the employee */
  int has_password;     /**< 1 when a password is set, 0 when none */
  int failures;         /**< failed sign-ins since the last success or new password */
  int64_t locked_until; /**< the end of the current lock; 0 when not locked now */
  int64_t changed_at;   /**< when the password was last set; 0 when none is set */
} cbc_account_info;

/**
 * An employee's account: whether a password is set, the count of failed
 * sign-ins and the lock.  Never the hash.
 * @param[out] out     owned by the caller, freed with cbc_account_info_free()
 * @param db           the database
 * @param employee_id  the employee (one without a password has an account
 *                     with has_password 0)
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND (no such employee);
 *         CBC_EBUSY; CBC_EIO; CBC_ECORRUPT; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_account_status(cbc_account_info **out, cbc_db *db, int64_t employee_id);

/** Free an account from cbc_account_status().  Accepts NULL.  @since 1.2 */
CBC_EXTERN(void) cbc_account_info_free(cbc_account_info *info);

#ifdef __cplusplus
}
#endif

#endif /* CBC_ACCOUNT_H */
