/* Rules and changes of the organisation, shared by the public calls in
 * lib/org.c and the sync engine in lib/org_sync.c.  Not exported. */
#ifndef CBC_ORG_INTERNAL_H
#define CBC_ORG_INTERNAL_H

#include "db_internal.h"

/* Roles that may sit in a region node instead of a team. */
#define CBC__ROLES_EXTERNAL \
  (CBC_ROLE_EXPERT | CBC_ROLE_UNION_CADRE | CBC_ROLE_BUREAU_INSPECTOR)

/* Validate the fields of a record (not its references). */
int cbc__unit_record_check(const cbc_unit_record *rec);
int cbc__employee_record_check(const cbc_employee_record *rec);

/* Whether a unit of @p kind may sit under a parent of @p parent_kind
 * (0 = no parent).  Sets CBC_ESTATE with the rule when not. */
int cbc__unit_parent_check(cbc_unit_kind kind, cbc_unit_kind parent_kind);
/* Whether @p unit may hold an employee with @p roles. */
int cbc__employee_unit_check(const cbc_unit *unit, unsigned int roles);

/* What an apply call changed. */
typedef enum cbc__change {
  CBC__UNCHANGED = 0,
  CBC__ADDED = 1,
  CBC__UPDATED = 2,
  CBC__MOVED = 3,       /* updated, and the parent / unit changed */
  CBC__DEACTIVATED = 4  /* employee left or unit closed */
} cbc__change;

/* Create (old == NULL) or change a unit to look like @p next (its
 * parent_id resolved).  Checks the kind, parent fit, cycles and closing
 * rules.  Returns the id in *out_id. */
int cbc__unit_apply(cbc_store *st, const cbc_unit *old, const cbc_unit *next, int64_t at,
                    int64_t *out_id, cbc__change *change);
/* cbc_org_responsible() without releasing the store's pending rows: the
 * holder of @p level's role above @p unit_id, or CBC_ENOTFOUND naming it. */
int cbc__org_responsible(int64_t *out_employee_id, cbc_db *db, int64_t unit_id,
                         cbc_level level);
/* Whether a unit may close now (no open children, no active members). */
int cbc__unit_close_check(cbc_store *st, const cbc_unit *unit);

/* Create (old == NULL) or change an employee to look like @p next, writing
 * the history events (transfer, leaving, return) dated @p at. */
int cbc__employee_apply(cbc_store *st, const cbc_employee *old, cbc_employee *next, int64_t at,
                        int64_t *out_id, cbc__change *change);

/* Copy a borrowed unit / employee into caller-owned memory. */
int cbc__unit_copy(cbc_unit **out, const cbc_unit *src);
int cbc__employee_copy(cbc_employee **out, const cbc_employee *src);

#endif
