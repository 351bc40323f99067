/* The integrity check's parts (lib/check.c, lib/check_stats.c): each adds
 * its findings to the report.  Not exported. */
#ifndef CBC_CHECK_H
#define CBC_CHECK_H

#include "db_internal.h"

/* At most this many findings of each kind are listed. */
#define CBC__CHECK_MAX_FINDINGS 1000

/* Add a finding (its message formatted); CBC_ENOMEM when out of memory.
 * Findings beyond CBC__CHECK_MAX_FINDINGS of the kind are dropped. */
int cbc__check_add(cbc_check_report *r, cbc_finding_kind kind, int64_t object_id,
                   const char *fmt, ...) CBC__PRINTF(4, 5);

/* The statistics' aggregates against the records, for every unit and every
 * month, quarter and year that holds records or aggregates. */
int cbc__check_stats(cbc_db *db, cbc_check_report *r);

#endif
