/* SQL for request keys (lib/request.c): the writes already applied, by the
 * hash of their key, with the digest of their arguments and their result. */
#include "store_internal.h"
#include <string.h>

int cbc_store__request_get(cbc_store *st, int kind, const unsigned char *key_hash,
                           bool *found, unsigned char *digest, int64_t *result_id,
                           char **result)
{
  drv_stmt *s;
  *result = NULL;
  int rc = store_stmt(st, STMT_REQUEST_GET,
                      "SELECT digest, result_id, result FROM requests "
                      "WHERE kind = ?1 AND key_hash = ?2", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, kind);
  drv_bind_blob_static(s, 2, key_hash, CBC_STORE_REQUEST_HASH);
  rc = store_step_maybe(st, s, "reading a request key", found);
  if (!rc && *found && drv_column_bytes(s, 0) != CBC_STORE_REQUEST_HASH)
    rc = cbc__error(CBC_ECORRUPT, "a damaged request digest");
  if (!rc && *found) {
    memcpy(digest, drv_column_blob(s, 0), CBC_STORE_REQUEST_HASH);
    *result_id = drv_column_int64(s, 1);
    if (!drv_column_null(s, 2) && !(*result = cbc__strdup(store_col_text(s, 2))))
      rc = CBC_ENOMEM;
  }
  drv_reset(s);
  return rc;
}

int cbc_store__request_put(cbc_store *st, int kind, const unsigned char *key_hash,
                           const unsigned char *digest, int64_t result_id, const char *result,
                           int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_REQUEST_PUT,
                      "INSERT INTO requests(kind, key_hash, digest, result_id, result, at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, kind);
  drv_bind_blob_static(s, 2, key_hash, CBC_STORE_REQUEST_HASH);
  drv_bind_blob_static(s, 3, digest, CBC_STORE_REQUEST_HASH);
  drv_bind_int64(s, 4, result_id);
  if (result)
    store_bind_text(s, 5, result);
  drv_bind_int64(s, 6, at);
  return store_exec_stmt(st, s, "recording a request key");
}
