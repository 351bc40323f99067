/* The organisation's public calls (include/cbc/org.h): names, lookups,
 * single changes, iterators, responsibility, and cbc_org_sync. */
#include "org_internal.h"
#include "org_sync.h"
#include <string.h>

/* cbc_unit_kind_name() and cbc_role_name() are in lib/label.c. */

static int role_bit(const char *name, size_t len, unsigned int *out)
{
  for (unsigned int bit = 1; bit & CBC_ROLE_ALL; bit <<= 1) {
    const char *known = cbc_role_name(bit);
    if (strlen(known) == len && memcmp(known, name, len) == 0) {
      *out |= bit;
      return 0;
    }
  }
  return cbc__error(CBC_EINVAL, "unknown role '%.*s'", (int)(len > 64 ? 64 : len), name);
}

CBC_EXTERN(int) cbc_roles_parse(unsigned int *out, const char *text)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(text);
  unsigned int roles = 0;
  const char *p = text;
  while (*p) {
    size_t len = strcspn(p, "|,;");
    const char *start = p, *end = p + len;
    while (start < end && *start == ' ')
      start++;
    while (end > start && end[-1] == ' ')
      end--;
    if (end > start) {
      int rc = role_bit(start, (size_t)(end - start), &roles);
      if (rc)
        return rc;
    }
    p += len + (p[len] != '\0');
  }
  *out = roles;
  return 0;
}

CBC__STRUCT_INIT_FN(cbc_unit_record_init, cbc_unit_record, CBC_UNIT_RECORD_VERSION,
                    CBC_UNIT_RECORD_INIT)
CBC__STRUCT_INIT_FN(cbc_employee_record_init, cbc_employee_record, CBC_EMPLOYEE_RECORD_VERSION,
                    CBC_EMPLOYEE_RECORD_INIT)

CBC_EXTERN(void) cbc_unit_free(cbc_unit *unit)
{
  if (!unit)
    return;
  cbc__free(unit->external_id);
  cbc__free(unit->name);
  cbc__free(unit->industry);
  cbc__free(unit);
}

CBC_EXTERN(void) cbc_employee_free(cbc_employee *employee)
{
  if (!employee)
    return;
  cbc__free(employee->external_id);
  cbc__free(employee->name);
  cbc__free(employee->post);
  cbc__free(employee);
}

/* ---------------------------------------------------------- lookups */

CBC_EXTERN(int) cbc_unit_lookup(cbc_unit **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_unit u;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__unit_get(db->store, id, &u);
  if (!rc)
    rc = cbc__unit_copy(out, &u);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_unit_lookup_external(cbc_unit **out, cbc_db *db, const char *external_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(external_id);
  cbc_unit u;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__unit_get_external(db->store, external_id, &u);
  if (!rc)
    rc = cbc__unit_copy(out, &u);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_employee_lookup(cbc_employee **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_employee e;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__employee_get(db->store, id, &e);
  if (!rc)
    rc = cbc__employee_copy(out, &e);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_employee_lookup_external(cbc_employee **out, cbc_db *db,
                                             const char *external_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(external_id);
  cbc_employee e;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__employee_get_external(db->store, external_id, &e);
  if (!rc)
    rc = cbc__employee_copy(out, &e);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

/* ---------------------------------------------------- single records */

/* Run one record through the sync engine, strictly, so a single upsert
 * and a batch share every rule. */
static int upsert_one(cbc_db *db, const cbc_unit_record *unit, const cbc_employee_record *emp)
{
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  int rc;
  for (int runs = 1;; runs++) {
    cbc__sync *s;
    if ((rc = cbc__sync_begin(&s, db, &opts)) == 0) {
      rc = unit ? cbc__sync_units(s, unit, 1, 0, NULL) : cbc__sync_employees(s, emp, 1, 0, NULL);
      rc = cbc__sync_finish(s, NULL, rc);
    }
    if (!cbc__db_rerun(db, rc, runs))
      return rc;
  }
}

CBC_EXTERN(int) cbc_unit_upsert(int64_t *out_id, cbc_db *db, const cbc_unit_record *rec)
{
  CBC__CHECK_ARG(rec);
  int rc = upsert_one(db, rec, NULL);
  cbc_unit u;
  if (!rc && out_id && (rc = cbc_store__unit_get_external(db->store, rec->external_id, &u)) == 0)
    *out_id = u.id;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_employee_upsert(int64_t *out_id, cbc_db *db, const cbc_employee_record *rec)
{
  CBC__CHECK_ARG(rec);
  int rc = upsert_one(db, NULL, rec);
  cbc_employee e;
  if (!rc && out_id &&
      (rc = cbc_store__employee_get_external(db->store, rec->external_id, &e)) == 0)
    *out_id = e.id;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

/* Change one stored unit in its own write call: @p edit adjusts the copy. */
typedef int (*unit_edit_fn)(cbc_db *db, cbc_unit *u, const void *arg);

typedef struct unit_change_args {
  int64_t id;
  unit_edit_fn edit;
  const void *arg;
} unit_change_args;

static int unit_change_in(cbc_db *db, const void *args, int64_t *out_id)
{
  const unit_change_args *a = args;
  cbc_unit found, *old = NULL;
  int rc = cbc_store__unit_get(db->store, a->id, &found);
  if (!rc)
    rc = cbc__unit_copy(&old, &found);
  if (!rc) {
    cbc_unit next = *old;
    cbc__change change;
    rc = a->edit(db, &next, a->arg);
    if (!rc)
      rc = cbc__unit_apply(db->store, old, &next, cbc_db_now(db), out_id, &change);
  }
  cbc_unit_free(old);
  return rc;
}

static int unit_change(cbc_db *db, int64_t id, unit_edit_fn edit, const void *arg)
{
  const unit_change_args a = { id, edit, arg };
  return cbc__db_write_call(db, 0, unit_change_in, &a, NULL);
}

static int edit_name(cbc_db *db, cbc_unit *u, const void *arg)
{
  (void)db;
  u->name = (char *)arg;
  return cbc__text_check("name", arg, 1, CBC_MAX_NAME);
}

static int edit_parent(cbc_db *db, cbc_unit *u, const void *arg)
{
  (void)db;
  u->parent_id = *(const int64_t *)arg;
  return u->parent_id < 0 ? cbc__error(CBC_EINVAL, "invalid parent id") : 0;
}

static int edit_close(cbc_db *db, cbc_unit *u, const void *arg)
{
  (void)arg;
  if (u->closed)
    return cbc__error(CBC_ESTATE, "unit '%s' is already closed", u->external_id);
  u->closed = 1;
  u->closed_at = cbc_db_now(db);
  return 0;
}

CBC_EXTERN(int) cbc_unit_rename(cbc_db *db, int64_t id, const char *name)
{
  CBC__CHECK_ARG(name);
  return unit_change(db, id, edit_name, name);
}

CBC_EXTERN(int) cbc_unit_move(cbc_db *db, int64_t id, int64_t new_parent_id)
{
  return unit_change(db, id, edit_parent, &new_parent_id);
}

CBC_EXTERN(int) cbc_unit_close(cbc_db *db, int64_t id) { return unit_change(db, id, edit_close, NULL); }

/* Change one stored employee in its own write call. */
typedef struct employee_change_args {
  int64_t id, unit_id;
  int active;
  int64_t at;
} employee_change_args;

static int employee_change_in(cbc_db *db, const void *args, int64_t *out_id)
{
  const employee_change_args *a = args;
  cbc_employee old, next;
  cbc_unit unit;
  int rc = cbc_store__employee_get(db->store, a->id, &old);
  if (!rc && !old.active)
    rc = cbc__error(CBC_ESTATE, "employee '%s' is not active", old.external_id);
  int64_t last = 0; /* the history's times never decrease */
  if (!rc && a->at)
    rc = cbc_store__employee_last_change(db->store, a->id, &last);
  if (!rc && a->at < last)
    rc = cbc__error(CBC_EINVAL, "employee '%s' last changed at %lld: a change cannot be dated "
                    "before it", old.external_id, (long long)last);
  if (!rc && a->unit_id == old.unit_id && a->active) {
    char in[CBC__REF_SIZE]; /* (reads units: old, an employee row, stays) */
    cbc__describe_unit(db, "unit", a->unit_id, in);
    rc = cbc__error(CBC_EINVAL, "employee '%s' is already in %s", old.external_id, in);
  }
  if (!rc && a->active)
    rc = cbc_store__unit_get(db->store, a->unit_id, &unit);
  if (!rc && a->active)
    rc = cbc__employee_unit_check(&unit, old.roles);
  if (!rc) {
    next = old;
    next.unit_id = a->unit_id;
    next.active = a->active;
    cbc__change change;
    rc = cbc__employee_apply(db->store, &old, &next, a->at ? a->at : cbc_db_now(db), out_id,
                             &change);
  }
  return rc;
}

static int employee_change(cbc_db *db, int64_t id, int64_t unit_id, int active, int64_t at)
{
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = cbc__time_check("the time", at);
  const employee_change_args a = { id, unit_id, active, at };
  return rc ? rc : cbc__db_write_call(db, 0, employee_change_in, &a, NULL);
}

CBC_EXTERN(int) cbc_employee_transfer(cbc_db *db, int64_t id, int64_t unit_id, int64_t at)
{
  return employee_change(db, id, unit_id, 1, at);
}

CBC_EXTERN(int) cbc_employee_deactivate(cbc_db *db, int64_t id, int64_t at)
{
  int rc = cbc__db_check(db);
  cbc_employee e;
  if (!rc)
    rc = cbc_store__employee_get(db->store, id, &e);
  if (db)
    cbc_store__done(db->store);
  return rc ? rc : employee_change(db, id, e.unit_id, 0, at);
}
