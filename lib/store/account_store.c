/* Sign-in accounts (include/cbc/account.h): the rows of table accounts, read
 * together with their employee.  The rules are in lib/account.c. */
#include "store_internal.h"
#include <string.h>

#define ACCOUNT_SELECT                                                              \
  "SELECT e.id, e.active, a.hash, a.failures, a.locked_until, a.changed_at "        \
  "FROM employees e LEFT JOIN accounts a ON a.employee_id = e.id "

/* A row read back: the hash must fit, counts and times be in range. */
static int read_account(drv_stmt *s, cbc_store_account *a)
{
  memset(a, 0, sizeof(*a));
  a->employee_id = drv_column_int64(s, 0);
  a->active = drv_column_int(s, 1) != 0;
  a->has_password = !drv_column_null(s, 2);
  if (!a->has_password)
    return 0;
  const char *hash = store_col_text(s, 2);
  size_t len = strlen(hash);
  a->failures = drv_column_int64(s, 3);
  a->locked_until = drv_column_int64(s, 4);
  a->changed_at = drv_column_int64(s, 5);
  if (len == 0 || len >= sizeof(a->hash) || a->failures < 0 || a->failures > INT32_MAX ||
      a->locked_until < 0 || a->locked_until > CBC_TIME_MAX || a->changed_at < 0 ||
      a->changed_at > CBC_TIME_MAX)
    return cbc__error(CBC_ECORRUPT, "account of employee %lld: the stored row is out of range "
                      "(a damaged database)", (long long)a->employee_id);
  memcpy(a->hash, hash, len + 1);
  return 0;
}

int cbc_store__account_get(cbc_store *st, int64_t employee_id, const char *external_id,
                           cbc_store_account *out, bool *found)
{
  drv_stmt *s;
  int rc = external_id
               ? store_stmt(st, STMT_ACCOUNT_GET_EXT, ACCOUNT_SELECT "WHERE e.external_id = ?1", &s)
               : store_stmt(st, STMT_ACCOUNT_GET, ACCOUNT_SELECT "WHERE e.id = ?1", &s);
  if (rc)
    return rc;
  if (external_id)
    store_bind_text(s, 1, external_id);
  else
    drv_bind_int64(s, 1, employee_id);
  rc = store_step_maybe(st, s, "reading an account", found);
  if (!rc && *found)
    rc = read_account(s, out);
  drv_reset(s);
  return rc;
}

int cbc_store__account_put(cbc_store *st, int64_t employee_id, const char *hash, int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ACCOUNT_PUT,
                      "INSERT INTO accounts(employee_id, hash, failures, locked_until, changed_at)"
                      " VALUES (?1, ?2, 0, 0, ?3) ON CONFLICT(employee_id) DO UPDATE SET"
                      " hash = ?2, failures = 0, locked_until = 0, changed_at = ?3", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  store_bind_text(s, 2, hash);
  drv_bind_int64(s, 3, at);
  return store_exec_stmt(st, s, "setting a password");
}

int cbc_store__account_delete(cbc_store *st, int64_t employee_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ACCOUNT_DELETE, "DELETE FROM accounts WHERE employee_id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  return store_exec_stmt(st, s, "removing a password");
}

int cbc_store__account_failed(cbc_store *st, int64_t employee_id, int64_t max_failures,
                              int64_t until)
{
  drv_stmt *s;
  /* the right-hand sides read the row as it was: failures + 1 is the new count */
  int rc = store_stmt(st, STMT_ACCOUNT_FAILED,
                      "UPDATE accounts SET failures = failures + 1, locked_until = CASE"
                      " WHEN failures + 1 >= ?2 THEN ?3 ELSE locked_until END"
                      " WHERE employee_id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, max_failures);
  drv_bind_int64(s, 3, until);
  return store_exec_stmt(st, s, "counting a failed sign-in");
}

int cbc_store__account_succeeded(cbc_store *st, int64_t employee_id, const char *new_hash)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ACCOUNT_SUCCEEDED,
                      "UPDATE accounts SET failures = 0, locked_until = 0,"
                      " hash = coalesce(?2, hash) WHERE employee_id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  if (new_hash)
    store_bind_text(s, 2, new_hash);
  return store_exec_stmt(st, s, "recording a sign-in");
}
