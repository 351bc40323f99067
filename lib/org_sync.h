/* The HR synchronisation engine, shared by cbc_org_sync() (arrays),
 * cbc_org_import() (files, streamed in chunks) and the single-record upserts.
 * One session is one write transaction.  Not exported. */
#ifndef CBC_ORG_SYNC_H
#define CBC_ORG_SYNC_H

#include "internal.h"

typedef struct cbc__sync cbc__sync;

/* Validate @p opts (NULL = defaults), open the write transaction, and start
 * a session.  On failure nothing is open and *out is NULL. */
int cbc__sync_begin(cbc__sync **out, cbc_db *db, const cbc_sync_options *opts);

/* Sync and import with a request key (lib/request.h): check the options
 * and start the request of @p kind with their key, digesting the options;
 * the caller digests its input and ends the request, then opens the
 * session with cbc__sync_begin_request().  When the key was applied before,
 * that returns 0 with *out NULL and *replayed the first call's result
 * (counts only); otherwise the key is recorded when the session commits. */
struct cbc__request;
int cbc__sync_request_start(struct cbc__request *rq, int kind, const cbc_sync_options *opts);
void cbc__sync_request_records(struct cbc__request *rq, const cbc_unit_record *units,
                               size_t n_units, const cbc_employee_record *emps, size_t n_emps);
int cbc__sync_begin_request(cbc__sync **out, cbc_db *db, const cbc_sync_options *opts,
                            const struct cbc__request *rq, cbc_sync_result **replayed);

/* Apply unit records.  They may come in any order; parents inside the same
 * call are applied first.  Row numbers reported are rows[index] when @p rows
 * is given, else row_base + index.
 * Row problems are recorded in the session; the return is non-zero only for
 * failures that end the session (I/O, memory, strict-mode row error). */
int cbc__sync_units(cbc__sync *s, const cbc_unit_record *units, size_t n, size_t row_base,
                    const size_t *rows);

/* Apply employee records; may be called many times (streaming).  Units must
 * already have been given (or exist).  Same return rules as units. */
int cbc__sync_employees(cbc__sync *s, const cbc_employee_record *emps, size_t n,
                        size_t row_base, const size_t *rows);

/* Record a row error found before the records reach the engine (e.g. a
 * malformed CSV field).  Returns non-zero in strict mode. */
int cbc__sync_row_error(cbc__sync *s, cbc_record_kind kind, size_t row, int code,
                        const char *external_id, const char *fmt, ...) CBC__PRINTF(6, 7);

/* End the session.  With rc == 0: apply full-mode deactivation and closing,
 * then commit (in strict mode any row error fails the call instead).  With
 * rc != 0: roll back.  Frees the session.  *out (may be NULL) receives the
 * result whenever one is meaningful.  Returns the final rc. */
int cbc__sync_finish(cbc__sync *s, cbc_sync_result **out, int rc);

/* Copy a caller's options (NULL = the defaults), of whatever version, into
 * a whole struct of this version's defaults. */
void cbc__sync_options_read(cbc_sync_options *out, const cbc_sync_options *opts);

/* The result as it stands (row errors in the order they were found). */
const cbc_sync_result *cbc__sync_result_so_far(const cbc__sync *s);

/* Record a warning in the result (kept up to max_errors, all counted).
 * 0, or CBC_ENOMEM. */
int cbc__sync_warning(cbc__sync *s, cbc_record_kind kind, const char *column, const char *fmt,
                      ...) CBC__PRINTF(4, 5);

/* The database's UTC offset, for date parsing by importers. */
int cbc__sync_utc_offset(const cbc__sync *s);

#endif
