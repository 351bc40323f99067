/* Iterators, history, responsibility and the batch sync entry point
 * (include/cbc/org.h). */
#include "org_internal.h"
#include "org_scope.h"
#include "org_sync.h"
#include "request.h"
#include <string.h>

struct cbc_unit_iter {
  cbc_store_cursor *cursor;
  cbc_unit current;
};

struct cbc_employee_iter {
  cbc_store_cursor *cursor;
  cbc_employee current;
};

/* The unit must exist (0 means "the roots" where @p allow_root). */
static int unit_exists(cbc_db *db, int64_t id, bool allow_root)
{
  cbc_unit u;
  if (id == 0 && allow_root)
    return 0;
  int rc = cbc_store__unit_get(db->store, id, &u);
  cbc_store__done(db->store);
  return rc;
}

static int unit_iter_new(cbc_unit_iter **out, cbc_db *db, int64_t id, bool subtree)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = unit_exists(db, id, !subtree);
  if (rc)
    return rc;
  cbc_unit_iter *it = cbc__calloc(1, sizeof(*it));
  if (!it)
    return cbc__error_oom();
  rc = subtree ? cbc_store__units_subtree(&it->cursor, db->store, id)
               : cbc_store__units_children(&it->cursor, db->store, id);
  if (rc) {
    cbc__free(it);
    return rc;
  }
  *out = it;
  return 0;
}

CBC_EXTERN(int) cbc_unit_iter_children(cbc_unit_iter **out, cbc_db *db, int64_t parent_id)
{
  return unit_iter_new(out, db, parent_id, false);
}

CBC_EXTERN(int) cbc_unit_iter_subtree(cbc_unit_iter **out, cbc_db *db, int64_t root_id)
{
  return unit_iter_new(out, db, root_id, true);
}

CBC_EXTERN(int) cbc_unit_iter_next(const cbc_unit **out, cbc_unit_iter *it)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(it);
  int rc = cbc_store__cursor_unit(it->cursor, &it->current);
  if (!rc)
    *out = &it->current;
  return rc;
}

CBC_EXTERN(void) cbc_unit_iter_free(cbc_unit_iter *it)
{
  if (!it)
    return;
  cbc_store__cursor_free(it->cursor);
  cbc__free(it);
}

CBC_EXTERN(int) cbc_employee_iter_subtree_after(cbc_employee_iter **out, cbc_db *db,
                                                int64_t unit_id, unsigned int flags,
                                                int64_t after_unit_id, int64_t after_employee_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  if (flags & ~(unsigned int)CBC_EMPLOYEE_ITER_INACTIVE)
    return cbc__error(CBC_EINVAL, "unknown employee iterator flags 0x%x", flags);
  if (after_unit_id < 0 || after_employee_id < 0 || (after_unit_id == 0) != (after_employee_id == 0))
    return cbc__error(CBC_EINVAL, "a cursor names both the unit and the employee, or neither");
  int rc = cbc__db_check(db);
  if (!rc)
    rc = unit_exists(db, unit_id, false);
  if (!rc && after_unit_id)
    rc = unit_exists(db, after_unit_id, false);
  if (rc)
    return rc;
  cbc_employee_iter *it = cbc__calloc(1, sizeof(*it));
  if (!it)
    return cbc__error_oom();
  rc = cbc_store__employees_subtree(&it->cursor, db->store, unit_id,
                                    (flags & CBC_EMPLOYEE_ITER_INACTIVE) != 0, after_unit_id,
                                    after_employee_id);
  if (rc) {
    cbc__free(it);
    return rc;
  }
  *out = it;
  return 0;
}

CBC_EXTERN(int) cbc_employee_iter_subtree(cbc_employee_iter **out, cbc_db *db, int64_t unit_id,
                                          unsigned int flags)
{
  return cbc_employee_iter_subtree_after(out, db, unit_id, flags, 0, 0);
}

CBC_EXTERN(int) cbc_employee_iter_next(const cbc_employee **out, cbc_employee_iter *it)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(it);
  int rc = cbc_store__cursor_employee(it->cursor, &it->current);
  if (!rc)
    *out = &it->current;
  return rc;
}

CBC_EXTERN(void) cbc_employee_iter_free(cbc_employee_iter *it)
{
  if (!it)
    return;
  cbc_store__cursor_free(it->cursor);
  cbc__free(it);
}

/* The JOINED entry is derived from the employee row (the initial load
 * writes one row per employee); the stored events follow it. */
CBC_EXTERN(int) cbc_employee_history(cbc_employee_event **out, size_t *count, cbc_db *db,
                                     int64_t id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(count);
  *count = 0;
  cbc_employee e;
  cbc_employee_event *stored = NULL;
  size_t n = 0;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__employee_get(db->store, id, &e);
  if (!rc)
    rc = cbc_store__employee_events(db->store, id, &stored, &n);
  if (db)
    cbc_store__done(db->store);
  if (rc)
    return rc; /* e is read only below: it holds nothing when the lookup failed */
  cbc_employee_event *all = cbc__calloc(n + 1, sizeof(*all));
  if (!all) {
    cbc__free(stored);
    return cbc__error_oom();
  }
  /* joined into the unit the first transfer left, else the current one */
  const cbc_employee_event joined = { id, CBC_EMPLOYEE_JOINED, e.created_at, 0,
                                      n ? stored[0].from_unit : e.unit_id };
  all[0] = joined;
  if (n)
    memcpy(all + 1, stored, n * sizeof(*all));
  cbc__free(stored);
  *out = all;
  *count = n + 1;
  return 0;
}

static const struct {
  cbc_unit_kind kind;
  unsigned int roles[2]; /* tried in order */
  const char *what;
} responsible_rules[] = {
  [CBC_LEVEL_TEAM] = { CBC_UNIT_TEAM, { CBC_ROLE_TEAM_LEADER, 0 }, "team leader" },
  [CBC_LEVEL_WORKSHOP] = { CBC_UNIT_WORKSHOP, { CBC_ROLE_WORKSHOP_DIRECTOR, 0 },
                           "workshop director" },
  [CBC_LEVEL_ENTERPRISE] = { CBC_UNIT_ENTERPRISE,
                             { CBC_ROLE_PRINCIPAL, CBC_ROLE_SAFETY_OFFICER },
                             "principal or safety officer" },
};

/* The unit of @p kind at or above @p unit_id (0 when none), from the scope
 * cache (lib/org_scope.h), which the hazard moves have mostly filled: no
 * query when it has the unit. */
static int scope_of_kind(cbc_db *db, int64_t unit_id, cbc_unit_kind kind, int64_t *out)
{
  cbc__scope sc;
  int rc = cbc__scope_of_unit(db, unit_id, &sc);
  *out = 0;
  if (!rc)
    *out = kind == CBC_UNIT_TEAM ? sc.team : kind == CBC_UNIT_WORKSHOP ? sc.workshop
                                                                       : sc.enterprise;
  return rc;
}

int cbc__org_responsible(int64_t *out_employee_id, cbc_db *db, int64_t unit_id, cbc_level level)
{
  CBC__CHECK_ARG(out_employee_id);
  *out_employee_id = 0;
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  if (level < CBC_LEVEL_TEAM || level > CBC_LEVEL_ENTERPRISE)
    return cbc__error(CBC_EINVAL, level == CBC_LEVEL_INDIVIDUAL
                                      ? "the individual level is the person at the post"
                                      : "unknown level %d", (int)level);
  int64_t scope;
  rc = scope_of_kind(db, unit_id, responsible_rules[level].kind, &scope);
  if (rc)
    return rc;
  if (!scope)
    return cbc__error(CBC_ENOTFOUND, "unit %lld has no %s above it", (long long)unit_id,
                      cbc_unit_kind_name(responsible_rules[level].kind));
  for (int i = 0; i < 2 && responsible_rules[level].roles[i]; i++) {
    rc = cbc_store__employee_with_role(db->store, scope, responsible_rules[level].roles[i],
                                       out_employee_id);
    if (rc || *out_employee_id)
      return rc;
  }
  return cbc__error(CBC_ENOTFOUND, "unit %lld has no active %s", (long long)scope,
                    responsible_rules[level].what);
}

CBC_EXTERN(int) cbc_org_responsible(int64_t *out_employee_id, cbc_db *db, int64_t unit_id,
                                    cbc_level level)
{
  int rc = cbc__org_responsible(out_employee_id, db, unit_id, level);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(void) cbc_sync_result_free(cbc_sync_result *result)
{
  if (!result)
    return;
  for (size_t i = 0; i < result->errors_kept; i++) {
    cbc__free(result->errors[i].external_id);
    cbc__free(result->errors[i].message);
  }
  cbc__free(result->errors);
  for (size_t i = 0; i < result->warnings_kept; i++) {
    cbc__free(result->warnings[i].column);
    cbc__free(result->warnings[i].message);
  }
  cbc__free(result->warnings);
  cbc__free(result);
}

/* One run of cbc_org_sync()'s transaction. */
static int org_sync_run(cbc_sync_result **out, cbc_db *db, const cbc__request *rq,
                        const cbc_unit_record *units, size_t n_units,
                        const cbc_employee_record *employees, size_t n_employees,
                        const cbc_sync_options *opts)
{
  cbc__sync *s;
  int rc = cbc__sync_begin_request(&s, db, opts, rq, out);
  if (rc || !s) /* failed, or a retry answered with the first result */
    return rc;
  if (n_units)
    rc = cbc__sync_units(s, units, n_units, 0, NULL);
  if (!rc && n_employees)
    rc = cbc__sync_employees(s, employees, n_employees, 0, NULL);
  return cbc__sync_finish(s, out, rc);
}

CBC_EXTERN(int) cbc_org_sync(cbc_sync_result **out, cbc_db *db, const cbc_unit_record *units,
                             size_t n_units, const cbc_employee_record *employees,
                             size_t n_employees, const cbc_sync_options *opts)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(units || n_units == 0);
  CBC__CHECK_ARG(employees || n_employees == 0);
  cbc__request rq;
  int rc = cbc__sync_request_start(&rq, CBC__REQ_ORG_SYNC, opts);
  if (rc)
    return rc;
  cbc__sync_request_records(&rq, units, n_units, employees, n_employees);
  cbc__request_end(&rq);
  for (int runs = 1;; runs++) {
    rc = org_sync_run(out, db, &rq, units, n_units, employees, n_employees, opts);
    if (!cbc__db_rerun(db, rc, runs))
      return rc;
    cbc_sync_result_free(*out); /* the rows' errors of the lost run */
    *out = NULL;
  }
}
