/* Who may read what (docs/authorization.md, "Who may read";
 * lib/read_scope.h): an employee's read scope, whether a unit or a hazard
 * is inside it, and the ledger's filter narrowed to it.  Places come from
 * the scope cache (lib/org_scope.h), so checking every row of a page inside
 * an enterprise costs no query. */
#include "read_scope.h"
#include "org_scope.h"

/* An employee's read scope: the unit at its top, and whether that unit is
 * an enterprise (a unit's cached place then answers; a region node needs
 * the unit's path). */
typedef struct read_scope {
  int64_t root;
  bool enterprise;
  bool active;
} read_scope;

static int id_check(const char *what, int64_t id)
{
  return id > 0 ? 0 : cbc__error(CBC_EINVAL, "%s: %lld is not an id", what, (long long)id);
}

/* The scope of @p employee_id as their place makes it, active or not:
 * their enterprise when they sit under one, else their region node. */
static int scope_of(cbc_db *db, int64_t employee_id, read_scope *out)
{
  cbc__actor a;
  int rc = cbc__actor_of(db, employee_id, &a);
  if (rc)
    return rc;
  out->active = a.active;
  out->enterprise = a.place.enterprise != 0;
  out->root = out->enterprise ? a.place.enterprise : a.place.unit;
  return 0;
}

/* The scope, refusing an employee who left: they read nothing. */
static int active_scope_of(cbc_db *db, int64_t employee_id, read_scope *out)
{
  int rc = scope_of(db, employee_id, out);
  if (rc || out->active)
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", employee_id, who);
  return cbc__error(CBC_EPERM, "not allowed: %s has left; an inactive employee reads nothing",
                    who);
}

/* Whether @p unit_id is in the subtree of @p sc's root (CBC_ENOTFOUND for
 * an unknown unit). */
static int unit_inside(cbc_db *db, const read_scope *sc, int64_t unit_id, bool *out)
{
  cbc__scope place;
  *out = false;
  int rc = cbc__scope_of_unit(db, unit_id, &place);
  if (rc || sc->enterprise) {
    *out = !rc && place.enterprise == sc->root;
    return rc;
  }
  return cbc_store__unit_within(db->store, unit_id, sc->root, out);
}

CBC_EXTERN(int) cbc_employee_read_scope(int64_t *out_unit_id, cbc_db *db, int64_t employee_id)
{
  CBC__CHECK_ARG(out_unit_id);
  *out_unit_id = 0;
  read_scope sc;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = id_check("employee_id", employee_id);
  if (!rc)
    rc = active_scope_of(db, employee_id, &sc);
  if (!rc)
    *out_unit_id = sc.root;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_unit_readable(int *out, cbc_db *db, int64_t unit_id, int64_t employee_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  read_scope sc;
  bool inside = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = id_check("unit_id", unit_id);
  if (!rc)
    rc = id_check("employee_id", employee_id);
  if (!rc)
    rc = scope_of(db, employee_id, &sc);
  if (!rc) /* for an inactive employee too: an unknown unit is an error */
    rc = unit_inside(db, &sc, unit_id, &inside);
  *out = !rc && sc.active && inside;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

/* The unit and the reporter of a hazard (0 when anonymous). */
static int hazard_place(cbc_db *db, int64_t hazard_id, int64_t *unit_id, int64_t *reporter_id)
{
  cbc_hazard h; /* borrowed until the next store call: copied out at once */
  int rc = cbc_store__hazard_get(db->store, hazard_id, &h);
  *unit_id = rc ? 0 : h.unit_id;
  *reporter_id = rc ? 0 : h.reporter_id;
  return rc;
}

CBC_EXTERN(int) cbc_hazard_readable(int *out, cbc_db *db, int64_t hazard_id,
                                    int64_t employee_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  read_scope sc;
  int64_t unit_id = 0, reporter_id = 0;
  bool inside = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = id_check("hazard_id", hazard_id);
  if (!rc)
    rc = id_check("employee_id", employee_id);
  if (!rc)
    rc = hazard_place(db, hazard_id, &unit_id, &reporter_id);
  if (!rc)
    rc = scope_of(db, employee_id, &sc);
  bool own = reporter_id == employee_id; /* the answer they are owed, wherever they are */
  if (!rc && sc.active && !own)
    rc = unit_inside(db, &sc, unit_id, &inside);
  *out = !rc && sc.active && (own || inside);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

int cbc__filter_narrow_to_viewer(cbc_db *db, cbc_hazard_filter *f)
{
  read_scope sc;
  bool inside;
  if (!f->viewer_id)
    return 0;
  int rc = active_scope_of(db, f->viewer_id, &sc);
  if (rc == CBC_ENOTFOUND)
    cbc__error_prefix("filter: viewer_id %lld", (long long)f->viewer_id);
  if (rc || f->reporter_id == f->viewer_id) /* their own reports, wherever they are */
    return rc;
  if (!f->unit_id) {
    f->unit_id = sc.root;
    return 0;
  }
  rc = unit_inside(db, &sc, f->unit_id, &inside);
  if (rc || inside)
    return rc;
  char unit[CBC__REF_SIZE], who[CBC__REF_SIZE];
  cbc__describe_unit(db, "unit", f->unit_id, unit);
  cbc__describe_employee(db, "employee", f->viewer_id, who);
  return cbc__error(CBC_EPERM, "not allowed: %s is outside what %s may read", unit, who);
}
