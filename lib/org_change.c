/* The rules of the org tree and the one place where units and employees
 * change (include/cbc/org.h; docs/domain.md §1). */
#include "org_internal.h"
#include <string.h>

static int kind_check(cbc_unit_kind kind)
{
  if (kind < CBC_UNIT_REGION || kind > CBC_UNIT_TEAM)
    return cbc__error(CBC_EINVAL, "unknown unit kind %d", (int)kind);
  return 0;
}

int cbc__unit_record_check(const cbc_unit_record *rec)
{
  int rc = cbc__check_version("cbc_unit_record", rec->version, CBC_UNIT_RECORD_VERSION);
  if (!rc)
    rc = cbc__text_check("external_id", rec->external_id, 1, CBC_MAX_EXTERNAL_ID);
  if (!rc)
    rc = cbc__text_check("parent_external_id", rec->parent_external_id, 0, CBC_MAX_EXTERNAL_ID);
  if (!rc)
    rc = kind_check(rec->kind);
  if (!rc)
    rc = cbc__text_check("name", rec->name, 1, CBC_MAX_NAME);
  if (!rc)
    rc = cbc__text_check("industry", rec->industry, 0, CBC_MAX_LABEL);
  if (rc)
    return rc;
  if (rec->high_risk != 0 && rec->high_risk != 1)
    return cbc__error(CBC_EINVAL, "high_risk must be 0 or 1, not %d", rec->high_risk);
  if (rec->kind != CBC_UNIT_ENTERPRISE && (rec->high_risk || (rec->industry && *rec->industry)))
    return cbc__error(CBC_EINVAL, "industry and high_risk are for enterprises only");
  if (rec->parent_external_id && strcmp(rec->parent_external_id, rec->external_id) == 0)
    return cbc__error(CBC_EINVAL, "unit '%s' cannot be its own parent", rec->external_id);
  return 0;
}

int cbc__employee_record_check(const cbc_employee_record *rec)
{
  int rc = cbc__check_version("cbc_employee_record", rec->version, CBC_EMPLOYEE_RECORD_VERSION);
  if (!rc)
    rc = cbc__text_check("external_id", rec->external_id, 1, CBC_MAX_EXTERNAL_ID);
  if (!rc)
    rc = cbc__text_check("name", rec->name, 1, CBC_MAX_NAME);
  if (!rc)
    rc = cbc__text_check("post", rec->post, 0, CBC_MAX_LABEL);
  if (!rc)
    rc = cbc__text_check("unit_external_id", rec->unit_external_id, 1, CBC_MAX_EXTERNAL_ID);
  if (rc)
    return rc;
  if (rec->roles & ~CBC_ROLE_ALL)
    return cbc__error(CBC_EINVAL, "unknown role bits 0x%x", rec->roles & ~CBC_ROLE_ALL);
  if (rec->active != 0 && rec->active != 1)
    return cbc__error(CBC_EINVAL, "active must be 0 or 1, not %d", rec->active);
  return cbc__time_check("hire_date", rec->hire_date);
}

int cbc__unit_parent_check(cbc_unit_kind kind, cbc_unit_kind parent_kind)
{
  bool ok;
  switch (kind) {
  case CBC_UNIT_REGION:
  case CBC_UNIT_ENTERPRISE: ok = parent_kind == 0 || parent_kind == CBC_UNIT_REGION; break;
  case CBC_UNIT_WORKSHOP: ok = parent_kind == CBC_UNIT_ENTERPRISE; break;
  case CBC_UNIT_TEAM:
    ok = parent_kind == CBC_UNIT_WORKSHOP || parent_kind == CBC_UNIT_ENTERPRISE;
    break;
  default: return kind_check(kind);
  }
  if (ok)
    return 0;
  if (parent_kind == 0)
    return cbc__error(CBC_ESTATE, "a %s cannot be a root unit", cbc_unit_kind_name(kind));
  return cbc__error(CBC_ESTATE, "a %s cannot be placed under a %s", cbc_unit_kind_name(kind),
                    cbc_unit_kind_name(parent_kind));
}

int cbc__employee_unit_check(const cbc_unit *unit, unsigned int roles)
{
  if (unit->closed)
    return cbc__error(CBC_ESTATE, "unit '%s' is closed", unit->external_id);
  if (unit->kind == CBC_UNIT_TEAM)
    return 0;
  if (unit->kind == CBC_UNIT_REGION && roles && !(roles & ~CBC__ROLES_EXTERNAL))
    return 0;
  return cbc__error(CBC_EINVAL, "unit '%s' is a %s: employees belong to teams (only union "
                                "cadres, bureau inspectors and experts may sit in a region node)",
                    unit->external_id, cbc_unit_kind_name(unit->kind));
}

int cbc__unit_close_check(cbc_store *st, const cbc_unit *unit)
{
  int64_t children, members;
  int rc = cbc_store__unit_open_children(st, unit->id, &children);
  if (!rc)
    rc = cbc_store__unit_active_members(st, unit->id, &members);
  if (rc)
    return rc;
  if (children)
    return cbc__error(CBC_ESTATE, "unit '%s' still has %lld open child units",
                      unit->external_id, (long long)children);
  if (members)
    return cbc__error(CBC_ESTATE, "unit '%s' still has %lld active employees", unit->external_id,
                      (long long)members);
  return 0;
}

/* The parent of @p next must exist, be open, fit its kind and not lie
 * inside the unit itself. */
static int unit_parent_valid(cbc_store *st, const cbc_unit *next)
{
  if (next->parent_id == 0)
    return cbc__unit_parent_check(next->kind, (cbc_unit_kind)0);
  cbc_unit parent;
  int rc = cbc_store__unit_get(st, next->parent_id, &parent);
  if (rc)
    return rc;
  if (parent.closed && !next->closed)
    return cbc__error(CBC_ESTATE, "parent unit '%s' is closed", parent.external_id);
  rc = cbc__unit_parent_check(next->kind, parent.kind);
  if (rc || next->id == 0)
    return rc;
  bool inside;
  rc = cbc_store__unit_within(st, next->parent_id, next->id, &inside);
  if (!rc && inside)
    rc = cbc__error(CBC_ESTATE, "moving unit '%s' under '%s' would make a cycle",
                    cbc__str(next->external_id), parent.external_id);
  return rc;
}

static bool unit_same(const cbc_unit *a, const cbc_unit *b)
{
  return strcmp(a->name, b->name) == 0 && strcmp(a->industry, b->industry) == 0 &&
         a->high_risk == b->high_risk && a->closed == b->closed;
}

int cbc__unit_apply(cbc_store *st, const cbc_unit *old, const cbc_unit *next, int64_t at,
                    int64_t *out_id, cbc__change *change)
{
  cbc_unit n = *next;
  *change = CBC__UNCHANGED;
  if (old && old->kind != n.kind)
    return cbc__error(CBC_ECONFLICT, "unit '%s' is a %s; its kind cannot change to %s",
                      old->external_id, cbc_unit_kind_name(old->kind), cbc_unit_kind_name(n.kind));
  bool moved = old && old->parent_id != n.parent_id;
  if (!old || moved || (old->closed && !n.closed)) {
    int rc = unit_parent_valid(st, &n);
    if (rc)
      return rc;
  }
  if (!old) {
    n.created_at = at;
    *change = CBC__ADDED;
    return cbc_store__unit_insert(st, &n, out_id);
  }
  *out_id = old->id;
  if (n.closed && !old->closed) {
    int rc = cbc__unit_close_check(st, old);
    if (rc)
      return rc;
  }
  bool same = unit_same(old, &n);
  if (moved) {
    int rc = cbc_store__unit_reparent(st, old->id, n.parent_id);
    if (rc)
      return rc;
  }
  if (!same) {
    int rc = cbc_store__unit_update(st, &n);
    if (rc)
      return rc;
  }
  *change = moved ? CBC__MOVED
          : same  ? CBC__UNCHANGED
          : (n.closed && !old->closed) ? CBC__DEACTIVATED : CBC__UPDATED;
  return 0;
}

static int add_event(cbc_store *st, int64_t id, cbc_employee_event_kind kind, int64_t at,
                     int64_t from, int64_t to)
{
  cbc_employee_event ev = { id, kind, at, from, to };
  return cbc_store__employee_event_add(st, &ev);
}

/* The history events of a change, and the derived fields of @p n. */
static int employee_events(cbc_store *st, const cbc_employee *o, cbc_employee *n, int64_t at,
                           cbc__change *change)
{
  bool moved = o->unit_id != n->unit_id;
  /* a history's times never decrease (lib/store/membership.h): a change
   * dated before the last one (a clock set back) takes effect with it */
  int64_t last;
  int rc = cbc_store__employee_last_change(st, o->id, &last);
  if (rc)
    return rc;
  at = at < last ? last : at;
  if (o->active && !n->active) {
    n->left_at = at;
    rc = add_event(st, o->id, CBC_EMPLOYEE_LEFT, at, o->unit_id, moved ? n->unit_id : 0);
    *change = CBC__DEACTIVATED;
  } else if (!o->active && n->active) {
    n->left_at = 0;
    n->unit_since = at;
    rc = add_event(st, o->id, CBC_EMPLOYEE_RETURNED, at, o->unit_id, n->unit_id);
    *change = CBC__UPDATED;
  } else if (moved) {
    n->unit_since = at;
    rc = add_event(st, o->id, CBC_EMPLOYEE_TRANSFERRED, at, o->unit_id, n->unit_id);
    *change = CBC__MOVED;
  }
  return rc;
}

/* The earlier of two hire dates of the same employee (the start of their
 * first team membership; 0, unknown, is the earliest). */
static int64_t first_start(const cbc_employee *a, const cbc_employee *b)
{
  return a->hire_date < b->hire_date ? a->hire_date : b->hire_date;
}

static bool employee_same(const cbc_employee *a, const cbc_employee *b)
{
  return a->unit_id == b->unit_id && a->roles == b->roles && a->active == b->active &&
         a->hire_date == b->hire_date && strcmp(a->name, b->name) == 0 &&
         strcmp(a->post, b->post) == 0;
}

int cbc__employee_apply(cbc_store *st, const cbc_employee *old, cbc_employee *next, int64_t at,
                        int64_t *out_id, cbc__change *change)
{
  *change = CBC__UNCHANGED;
  if (!old) {
    next->created_at = at;
    next->unit_since = next->hire_date ? next->hire_date : at;
    next->left_at = next->active ? 0 : at;
    *change = CBC__ADDED;
    int rc = cbc_store__employee_insert(st, next, out_id);
    /* first seen as already gone: the history says so */
    if (!rc && !next->active)
      rc = add_event(st, *out_id, CBC_EMPLOYEE_LEFT, at, next->unit_id, 0);
    return rc;
  }
  *out_id = old->id;
  next->id = old->id;
  next->created_at = old->created_at;
  next->unit_since = old->unit_since;
  next->left_at = old->left_at;
  if (employee_same(old, next))
    return 0;
  *change = CBC__UPDATED;
  int rc = employee_events(st, old, next, at, change);
  if (!rc && old->hire_date != next->hire_date) /* they started at another time */
    rc = cbc_store__membership_changed(st, old->id, first_start(old, next));
  return rc ? rc : cbc_store__employee_update(st, next);
}

int cbc__unit_copy(cbc_unit **out, const cbc_unit *src)
{
  cbc_unit *u = cbc__calloc(1, sizeof(*u));
  if (!u)
    return cbc__error_oom();
  *u = *src;
  u->external_id = cbc__strdup(src->external_id);
  u->name = cbc__strdup(src->name);
  u->industry = cbc__strdup(src->industry);
  if (!u->external_id || !u->name || !u->industry) {
    cbc_unit_free(u);
    return cbc__error_oom();
  }
  *out = u;
  return 0;
}

int cbc__employee_copy(cbc_employee **out, const cbc_employee *src)
{
  cbc_employee *e = cbc__calloc(1, sizeof(*e));
  if (!e)
    return cbc__error_oom();
  *e = *src;
  e->external_id = cbc__strdup(src->external_id);
  e->name = cbc__strdup(src->name);
  e->post = cbc__strdup(src->post);
  if (!e->external_id || !e->name || !e->post) {
    cbc_employee_free(e);
    return cbc__error_oom();
  }
  *out = e;
  return 0;
}
