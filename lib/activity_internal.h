/* Shared by the activity files (lib/activity.c, lib/activity_query.c,
 * lib/activity_list.c, lib/activity_void.c, lib/activity_authz.c,
 * lib/activity_moves.c).  Not exported. */
#ifndef CBC_ACTIVITY_INTERNAL_H
#define CBC_ACTIVITY_INTERNAL_H

#include "db_internal.h"

/* A lookup: allocate @p size bytes at *out, fill them with @p get, free
 * them with @p release on error; the read ends with the call. */
typedef int (*cbc__activity_get_fn)(cbc_store *st, int64_t id, void *out);
typedef void (*cbc__activity_release_fn)(void *p);
int cbc__activity_lookup(void **out, size_t size, cbc_db *db, int64_t id,
                         cbc__activity_get_fn get, cbc__activity_release_fn release);

/* --- who may (lib/activity_authz.c; the rules are lib/authz.c) */

/* A record as the rules see it: its kind and unit, its own person (a
 * visit's cadre, a proposal's proposer; 0) and whether a proposal was
 * decided. */
typedef struct cbc__activity_subject {
  cbc_activity_kind kind;
  int64_t unit_id, author_id;
  bool decided;
} cbc__activity_subject;

/* 0 when @p actor_id may void the record (cbc__authz_void); CBC_EPERM
 * naming the rule (an inactive actor too); CBC_ENOTFOUND (unknown actor or
 * unit); a storage error. */
int cbc__activity_may_void(cbc_db *db, const cbc__activity_subject *s, int64_t actor_id);
/* 0 when @p actor_id may record a training session or drill on
 * @p unit_id, or assign or release a union cadre there (kind
 * CBC_ACTIVITY_ASSIGNMENT) (cbc__authz_record); errors as above. */
int cbc__activity_may_record(cbc_db *db, cbc_activity_kind kind, int64_t unit_id,
                             int64_t actor_id);
/* 0 when @p actor_id may decide a proposal about @p unit_id; errors as
 * above. */
int cbc__proposal_may_decide(cbc_db *db, int64_t actor_id, int64_t unit_id);

/* --- the moves' own checks, shared with cbc_activity_moves() */

/* The record stands (CBC_ESTATE once voided) and @p actor_id may void it. */
int cbc__activity_void_allowed(cbc_db *db, cbc_activity_kind kind, int64_t id,
                               int64_t actor_id);
/* The proposal is submitted, not voided nor decided (CBC_ESTATE), and
 * @p actor_id may decide it. */
int cbc__proposal_decide_allowed(cbc_db *db, int64_t proposal_id, int64_t actor_id);
/* The assignment is open and stands (CBC_ESTATE); @p row gets it (a
 * borrowed row). */
int cbc__assignment_open(cbc_db *db, int64_t assignment_id, cbc_cadre_assignment *row);

/* --- the add calls' own checks, shared with cbc_activity_may_record() */

/* @p unit_id is an open unit of a kind that may hold a record of @p kind
 * (CBC_EINVAL naming what it is; CBC_ENOTFOUND).  @p u gets it. */
int cbc__activity_unit_check(cbc_db *db, cbc_activity_kind kind, int64_t unit_id, cbc_unit *u);
/* An employee on the payroll at @p at (CBC_EINVAL when gone before it);
 * @p e gets the borrowed row.  A union cadre besides with
 * cbc__activity_cadre_at(). */
int cbc__activity_employee_at(cbc_db *db, int64_t id, int64_t at, const char *what,
                              cbc_employee *e);
int cbc__activity_cadre_at(cbc_db *db, int64_t id, int64_t at);

#endif
