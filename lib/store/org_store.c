/* SQL for org units and employees.
 *
 * Units carry a materialised path of their ancestors' ids ("/a/b/self/"),
 * each id written as its digit count then its digits so that paths sort
 * parent-first and siblings by id.  A subtree is the path range
 * [path, path-with-last-'/'-as-'0'). */
#include "store_internal.h"
#include "membership.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_COLS \
  "id, coalesce(parent_id, 0), kind, external_id, name, industry, high_risk, created_at, closed_at"
#define EMP_COLS \
  "e.id, e.external_id, e.name, e.post, e.unit_id, e.roles, e.active, e.hire_date, " \
  "e.unit_since, e.left_at, e.created_at"

/* Values read from the file are checked like a caller's: a damaged row is
 * CBC_ECORRUPT, never a value the library would index or shift with. */
static int read_unit(drv_stmt *s, cbc_unit *u)
{
  u->id = drv_column_int64(s, 0);
  u->parent_id = drv_column_int64(s, 1);
  u->kind = (cbc_unit_kind)drv_column_int(s, 2);
  u->external_id = (char *)store_col_text(s, 3);
  u->name = (char *)store_col_text(s, 4);
  u->industry = (char *)store_col_text(s, 5);
  u->high_risk = drv_column_int(s, 6);
  u->created_at = drv_column_int64(s, 7);
  u->closed_at = drv_column_int64(s, 8);
  u->closed = u->closed_at != 0;
  if (u->kind < CBC_UNIT_REGION || u->kind > CBC_UNIT_TEAM || !*u->external_id ||
      (u->high_risk != 0 && u->high_risk != 1) || u->id <= 0 || u->parent_id < 0 ||
      u->created_at < CBC_TIME_MIN || u->created_at > CBC_TIME_MAX ||
      u->closed_at < CBC_TIME_MIN || u->closed_at > CBC_TIME_MAX)
    return cbc__error(CBC_ECORRUPT, "unit %lld: a damaged row (kind %d, flags or times out "
                                    "of range)", (long long)u->id, (int)u->kind);
  return 0;
}

static int read_employee(drv_stmt *s, cbc_employee *e)
{
  e->id = drv_column_int64(s, 0);
  e->external_id = (char *)store_col_text(s, 1);
  e->name = (char *)store_col_text(s, 2);
  e->post = (char *)store_col_text(s, 3);
  e->unit_id = drv_column_int64(s, 4);
  e->roles = (unsigned int)drv_column_int(s, 5);
  e->active = drv_column_int(s, 6);
  e->hire_date = drv_column_int64(s, 7);
  e->unit_since = drv_column_int64(s, 8);
  e->left_at = drv_column_int64(s, 9);
  e->created_at = drv_column_int64(s, 10);
  const int64_t times[] = { e->hire_date, e->unit_since, e->left_at, e->created_at };
  bool bad = (e->roles & ~CBC_ROLE_ALL) || (e->active != 0 && e->active != 1) ||
             !*e->external_id || e->id <= 0 || e->unit_id <= 0;
  for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
    bad = bad || times[i] < CBC_TIME_MIN || times[i] > CBC_TIME_MAX;
  return bad ? cbc__error(CBC_ECORRUPT, "employee %lld: a damaged row (roles, active flag or "
                                        "times out of range)", (long long)e->id)
             : 0;
}

/* The engine's change counter: SQLite's PRAGMA data_version moves on every
 * other connection's commit; on PostgreSQL, meta's org_generation moves on
 * every write to what the caches keep (store/schema_pg.c). */
const char change_counter_pg[] = "SELECT value FROM meta WHERE key = 'org_generation'";

static const char *change_counter_sql(const cbc_store *st)
{
  return store_on_postgres(st) ? change_counter_pg : "PRAGMA data_version";
}

/* Our own org writes, and the engine's change counter, read once per write
 * call or group.  On SQLite the group's write lock keeps other writers out
 * meanwhile; on PostgreSQL others may commit org changes during a group,
 * and the group's calls see the org as its first read found it (their
 * statements may see those commits: docs/decisions.md, "Caches see other
 * hosts' commits"). */
uint64_t cbc_store__org_generation(cbc_store *st)
{
  drv_stmt *s = NULL;
  if (st->data_version_known)
    return ((uint64_t)st->data_version << 32) + st->org_generation;
  cbc__error_saved before; /* a failure here only costs the caches */
  cbc__error_save(&before);
  if (store_stmt(st, STMT_DATA_VERSION, change_counter_sql(st), &s) != 0 ||
      drv_step(s, "reading the data version") != DRV_ROW) {
    if (s)
      drv_reset(s);
    cbc__error_restore(&before);
    return ++st->org_generation; /* unknown: make every cache miss */
  }
  st->data_version = drv_column_int64(s, 0);
  st->data_version_known = st->in_call || st->in_group;
  drv_reset(s);
  return ((uint64_t)st->data_version << 32) + st->org_generation;
}

/* ---------------------------------------------------------------- units */

/* Run a cached one-row query keyed by ?1: @p text when given, else @p id.
 * Not found names the key. */
static int get_row(cbc_store *st, store_stmt_id sid, const char *sql, int64_t id,
                   const char *text, const char *what, drv_stmt **out)
{
  int rc = store_stmt(st, sid, sql, out);
  if (rc)
    return rc;
  if (text)
    store_bind_text(*out, 1, text);
  else
    drv_bind_int64(*out, 1, id);
  rc = store_step_row(st, *out, what);
  if (rc != CBC_ENOTFOUND)
    return rc;
  return text ? cbc__error(CBC_ENOTFOUND, "no %s has external id '%s'", what, text)
              : cbc__error(CBC_ENOTFOUND, "%s %lld not found", what, (long long)id);
}

int cbc_store__unit_get(cbc_store *st, int64_t id, cbc_unit *u)
{
  drv_stmt *s;
  int rc = get_row(st, STMT_UNIT_GET, "SELECT " UNIT_COLS " FROM units WHERE id = ?1", id, NULL,
                   "unit", &s);
  return rc ? rc : read_unit(s, u);
}

int cbc_store__unit_find_external(cbc_store *st, const char *external_id, cbc_unit *u,
                                  bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_UNIT_GET_EXT,
                      "SELECT " UNIT_COLS " FROM units WHERE external_id = ?1", &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, external_id);
  rc = store_step_maybe(st, s, "unit", found);
  return rc || !*found ? rc : read_unit(s, u);
}

int cbc_store__unit_get_external(cbc_store *st, const char *external_id, cbc_unit *u)
{
  bool found;
  int rc = cbc_store__unit_find_external(st, external_id, u, &found);
  if (!rc && !found)
    rc = cbc__error(CBC_ENOTFOUND, "no unit has external id '%s'", external_id);
  return rc;
}

/* Whether @p path is a path as path_append() writes them ("/" then
 * segments "<digit count><digits>/") ending with the segment of @p id. */
static bool path_valid(const char *path, int64_t id)
{
  if (path[0] != '/')
    return false;
  const char *p = path + 1, *last = NULL;
  while (*p) {
    int n = *p - '0';
    if (n < 1 || n > 19)
      return false;
    for (int i = 1; i <= n; i++)
      if (p[i] < '0' || p[i] > '9')
        return false;
    if (p[n + 1] != '/')
      return false;
    last = p;
    p += n + 2;
  }
  char digits[24], own[32];
  int n = snprintf(digits, sizeof(digits), "%lld", (long long)id);
  snprintf(own, sizeof(own), "%c%s/", '0' + n, digits);
  return last && strcmp(last, own) == 0;
}

/* The path of unit @p id into buf ("/" for id 0). */
static int unit_path(cbc_store *st, int64_t id, char *buf, size_t size)
{
  if (id == 0) {
    snprintf(buf, size, "/");
    return 0;
  }
  drv_stmt *s;
  int rc = get_row(st, STMT_UNIT_PATH, "SELECT path FROM units WHERE id = ?1", id, NULL, "unit",
                   &s);
  if (rc)
    return rc;
  const char *p = store_col_text(s, 0);
  if (strlen(p) + 1 > size)
    return cbc__error(CBC_ECORRUPT, "unit %lld: the tree is too deep", (long long)id);
  if (!path_valid(p, id))
    return cbc__error(CBC_ECORRUPT, "unit %lld: its stored path '%.64s' is damaged",
                      (long long)id, p);
  snprintf(buf, size, "%s", p);
  return 0;
}


int cbc_store__unit_ancestors(cbc_store *st, int64_t id, int64_t *ids, size_t max, size_t *n)
{
  char path[CBC_STORE_PATH_MAX];
  *n = 0;
  int rc = unit_path(st, id, path, sizeof(path));
  for (const char *p = path + 1; !rc && *p; p += *p - '0' + 2) { /* checked: "/Nd..d/..." */
    if (*n == max)
      return cbc__error(CBC_ECORRUPT, "unit %lld: its path is deeper than %zu units",
                        (long long)id, max);
    ids[(*n)++] = strtoll(p + 1, NULL, 10);
  }
  return rc;
}

/* Append the segment of @p id to a parent path. */
static int path_append(char *buf, size_t size, int64_t id)
{
  char digits[24];
  int n = snprintf(digits, sizeof(digits), "%lld", (long long)id);
  size_t len = strlen(buf);
  if (len + (size_t)n + 3 > size)
    return cbc__error(CBC_EINVAL, "the org tree is too deep");
  snprintf(buf + len, size - len, "%c%s/", '0' + n, digits);
  return 0;
}

/* The exclusive upper bound of a subtree's path range. */
static void path_upper(char *hi, const char *path, size_t size)
{
  snprintf(hi, size, "%s", path);
  hi[strlen(hi) - 1] = '0';
}

static int set_path(cbc_store *st, int64_t id, const char *path)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_UNIT_REPATH, "UPDATE units SET path = ?2 WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  store_bind_text(s, 2, path);
  return store_exec_stmt(st, s, "setting a unit path");
}

int cbc_store__unit_insert(cbc_store *st, const cbc_unit *u, int64_t *out_id)
{
  st->org_generation++;
  char path[CBC_STORE_PATH_MAX];
  int rc = unit_path(st, u->parent_id, path, sizeof(path));
  drv_stmt *s;
  if (!rc)
    rc = store_stmt(st, STMT_UNIT_INSERT,
                    "INSERT INTO units(parent_id, kind, external_id, name, industry, high_risk,"
                    " created_at, closed_at, path) VALUES (nullif(?1, 0),?2,?3,?4,?5,?6,?7,?8,'')"
                    " ON CONFLICT DO NOTHING",
                    &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, u->parent_id);
  drv_bind_int64(s, 2, u->kind);
  store_bind_text(s, 3, u->external_id);
  store_bind_text(s, 4, u->name);
  store_bind_text(s, 5, u->industry);
  drv_bind_int64(s, 6, u->high_risk);
  drv_bind_int64(s, 7, u->created_at);
  drv_bind_int64(s, 8, u->closed_at);
  int64_t id;
  rc = store_exec_insert(st, s, "inserting a unit", &id);
  if (rc)
    return rc;
  rc = path_append(path, sizeof(path), id);
  if (!rc)
    rc = set_path(st, id, path);
  if (!rc)
    *out_id = id;
  return rc;
}

int cbc_store__unit_update(cbc_store *st, const cbc_unit *u)
{
  st->org_generation++;
  drv_stmt *s;
  int rc = store_stmt(st, STMT_UNIT_UPDATE,
                      "UPDATE units SET name = ?2, industry = ?3, high_risk = ?4, closed_at = ?5"
                      " WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, u->id);
  store_bind_text(s, 2, u->name);
  store_bind_text(s, 3, u->industry);
  drv_bind_int64(s, 4, u->high_risk);
  drv_bind_int64(s, 5, u->closed ? u->closed_at : 0);
  return store_exec_stmt(st, s, "updating a unit");
}

int cbc_store__unit_reparent(cbc_store *st, int64_t id, int64_t new_parent)
{
  st->org_generation++;
  char old_path[CBC_STORE_PATH_MAX], new_path[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t old_parent;
  /* its statistics leave its old regions' roll-ups, and join the new ones' */
  int rc = store_int_by_id(st, STMT_UNIT_PARENT, "SELECT coalesce(parent_id, 0) FROM units"
                           " WHERE id = ?1", id, &old_parent);
  if (!rc)
    rc = cbc_store__stat_move(st, id, old_parent, -1);
  if (!rc)
    rc = unit_path(st, id, old_path, sizeof(old_path));
  if (!rc)
    rc = unit_path(st, new_parent, new_path, sizeof(new_path));
  if (!rc)
    rc = path_append(new_path, sizeof(new_path), id);
  drv_stmt *s;
  if (!rc)
    rc = store_stmt(st, STMT_UNIT_REPARENT, "UPDATE units SET parent_id = nullif(?2, 0) "
                                            "WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  drv_bind_int64(s, 2, new_parent);
  rc = store_exec_stmt(st, s, "moving a unit");
  if (rc)
    return rc;
  path_upper(hi, old_path, sizeof(hi));
  char sql[] = "UPDATE units SET path = ?2 || substr(path, length(?1) + 1) "
               "WHERE path >= ?1 AND path < ?3";
  drv_stmt *m;
  rc = store_prepare(st, sql, false, &m);
  if (rc)
    return rc;
  store_bind_text(m, 1, old_path);
  store_bind_text(m, 2, new_path);
  store_bind_text(m, 3, hi);
  rc = store_exec_stmt(st, m, "moving a subtree");
  drv_finalize(m);
  st->org_generation++; /* the paths read so far are gone */
  return rc ? rc : cbc_store__stat_move(st, id, new_parent, 1);
}

/* Compared in C on the checked paths, so a damaged path is CBC_ECORRUPT,
 * not a wrong answer. */
int cbc_store__unit_within(cbc_store *st, int64_t id, int64_t ancestor, bool *out)
{
  char path[CBC_STORE_PATH_MAX], above[CBC_STORE_PATH_MAX];
  if (id == 0 || ancestor == 0)
    return cbc__error(CBC_ENOTFOUND, "unit %lld or %lld not found", (long long)id,
                      (long long)ancestor);
  int rc = unit_path(st, id, path, sizeof(path));
  if (!rc)
    rc = unit_path(st, ancestor, above, sizeof(above));
  if (!rc)
    *out = strncmp(path, above, strlen(above)) == 0;
  return rc;
}

int cbc_store__unit_ancestor_of_kind(cbc_store *st, int64_t id, cbc_unit_kind kind, int64_t *out)
{
  drv_stmt *s;
  *out = 0;
  for (int depth = 0; id != 0 && depth < 64; depth++) {
    int rc = store_stmt(st, STMT_UNIT_ANCESTOR_KIND,
                        "SELECT kind, coalesce(parent_id, 0) FROM units WHERE id = ?1", &s);
    if (rc)
      return rc;
    drv_bind_int64(s, 1, id);
    rc = store_step_row(st, s, "unit");
    if (rc == CBC_ENOTFOUND)
      return cbc__error(CBC_ENOTFOUND, "unit %lld not found", (long long)id);
    if (rc)
      return rc;
    if (drv_column_int(s, 0) == (int)kind) {
      *out = id;
      return 0;
    }
    id = drv_column_int64(s, 1);
  }
  return 0;
}

static int count_query(cbc_store *st, store_stmt_id sid, const char *sql, int64_t id,
                       int64_t *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, sid, sql, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "counting");
  if (!rc)
    *out = drv_column_int64(s, 0);
  return rc;
}

int cbc_store__unit_open_children(cbc_store *st, int64_t id, int64_t *out)
{
  return count_query(st, STMT_UNIT_OPEN_CHILDREN,
                     "SELECT count(*) FROM units WHERE parent_id = ?1 AND closed_at = 0", id, out);
}

int cbc_store__unit_active_members(cbc_store *st, int64_t id, int64_t *out)
{
  return count_query(st, STMT_UNIT_ACTIVE_MEMBERS,
                     "SELECT count(*) FROM employees WHERE unit_id = ?1 AND active = 1", id, out);
}

int cbc_store__unit_max_id(cbc_store *st, int64_t *out)
{
  return count_query(st, STMT_UNIT_MAX_ID, "SELECT coalesce(max(id), 0) + 0 * ?1 FROM units", 0,
                     out);
}

/* -------------------------------------------------------------- cursors */

/* The children by units_parent (a root has a NULL parent): the condition
 * coalesce(parent_id, 0) = ?1 could not use the index and scanned every
 * unit (a city of 130,000 units: 15 ms for each listing of a district's
 * children, tests/bench/README.md, "The web pages"). */
int cbc_store__units_children(cbc_store_cursor **out, cbc_store *st, int64_t parent_id)
{
  return store_cursor_ints(out, st,
                           parent_id ? "SELECT " UNIT_COLS " FROM units WHERE parent_id = ?1"
                                       " ORDER BY id"
                                     : "SELECT " UNIT_COLS " FROM units WHERE parent_id IS NULL"
                                       " AND ?1 = 0 ORDER BY id", 1, &parent_id);
}

int cbc_store__unit_range(cbc_store *st, int64_t unit_id, char *lo, char *hi, size_t size)
{
  int rc = unit_path(st, unit_id, lo, size);
  if (!rc)
    path_upper(hi, lo, size);
  return rc;
}

/* Bind a subtree's path range to parameters 1 and 2 of a cursor. */
static int bind_subtree(cbc_store_cursor *c, int64_t root_id)
{
  char path[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int rc = unit_path(c->st, root_id, path, sizeof(path));
  if (rc)
    return rc;
  path_upper(hi, path, sizeof(hi));
  return store_bind_range(c->st, c->stmt, 1, path, hi);
}

static int subtree_cursor(cbc_store_cursor **out, cbc_store *st, int64_t root_id,
                          const char *sql)
{
  int rc = store_cursor_new(out, st, sql);
  if (!rc)
    store_cursor_paged(*out);
  if (!rc && (rc = bind_subtree(*out, root_id)) != 0) {
    cbc_store__cursor_free(*out);
    *out = NULL;
  }
  return rc;
}

int cbc_store__units_subtree(cbc_store_cursor **out, cbc_store *st, int64_t root_id)
{
  return subtree_cursor(out, st, root_id, "SELECT " UNIT_COLS " FROM units "
                                          "WHERE path >= ?1 AND path < ?2 ORDER BY path");
}

int cbc_store__cursor_unit(cbc_store_cursor *c, cbc_unit *u)
{
  int rc = store_cursor_step(c);
  return rc ? rc : read_unit(c->stmt, u);
}

/* Bind an employee listing's range: the subtree of @p root_id from the
 * unit @p after_unit_id on (?1, ?2) and the keyset (?3 the unit's path,
 * ?4 the employee id to start after; the root's path and 0 without one). */
static int bind_employees_after(cbc_store_cursor *c, int64_t root_id, int64_t after_unit_id,
                                int64_t after_id)
{
  char path[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX], from[CBC_STORE_PATH_MAX];
  int rc = unit_path(c->st, root_id, path, sizeof(path));
  if (rc)
    return rc;
  path_upper(hi, path, sizeof(hi));
  snprintf(from, sizeof(from), "%s", path);
  if (after_unit_id && (rc = unit_path(c->st, after_unit_id, from, sizeof(from))) != 0)
    return rc;
  if (strcmp(from, path) < 0 || strcmp(from, hi) >= 0)
    return cbc__error(CBC_EINVAL, "unit %lld is not in the subtree of unit %lld",
                      (long long)after_unit_id, (long long)root_id);
  rc = store_bind_range(c->st, c->stmt, 1, from, hi);
  if (!rc)
    rc = drv_bind_text(c->stmt, 3, from, -1);
  if (!rc)
    rc = drv_bind_int64(c->stmt, 4, after_id);
  return store_failed(c->st, rc);
}

int cbc_store__employees_subtree(cbc_store_cursor **out, cbc_store *st, int64_t unit_id,
                                 bool include_inactive, int64_t after_unit_id, int64_t after_id)
{
  int rc = store_cursor_new(out, st,
                            include_inactive
                                ? "SELECT " EMP_COLS " FROM units u JOIN employees e"
                                  " ON e.unit_id = u.id WHERE u.path >= ?1 AND u.path < ?2"
                                  " AND (u.path > ?3 OR e.id > ?4) ORDER BY u.path, e.id"
                                : "SELECT " EMP_COLS " FROM units u JOIN employees e"
                                  " ON e.unit_id = u.id WHERE u.path >= ?1 AND u.path < ?2"
                                  " AND (u.path > ?3 OR e.id > ?4) AND e.active = 1"
                                  " ORDER BY u.path, e.id");
  if (!rc)
    store_cursor_paged(*out);
  if (!rc && (rc = bind_employees_after(*out, unit_id, after_unit_id, after_id)) != 0) {
    cbc_store__cursor_free(*out);
    *out = NULL;
  }
  return rc;
}

int cbc_store__cursor_employee(cbc_store_cursor *c, cbc_employee *e)
{
  int rc = store_cursor_step(c);
  return rc ? rc : read_employee(c->stmt, e);
}

int cbc_store__employees_from(cbc_store_cursor **out, cbc_store *st, const char *external_id)
{
  int rc = store_cursor_new(out, st, "SELECT " EMP_COLS " FROM employees e"
                                     " WHERE e.external_id >= ?1 ORDER BY e.external_id");
  if (rc)
    return rc;
  store_cursor_paged(*out);
  /* copied (an allocation): unbound, the seek would find no employee */
  rc = store_failed(st, drv_bind_text((*out)->stmt, 1, external_id, -1));
  if (!rc)
    return 0;
  cbc_store__cursor_free(*out);
  *out = NULL;
  return rc;
}

int cbc_store__units_open_ids(cbc_store_cursor **out, cbc_store *st)
{
  return store_cursor_new(out, st, "SELECT id FROM units WHERE closed_at = 0 ORDER BY path DESC");
}

int cbc_store__employees_active_ids(cbc_store_cursor **out, cbc_store *st)
{
  int rc = store_cursor_new(out, st, "SELECT id FROM employees WHERE active = 1");
  if (!rc)
    store_cursor_paged(*out);
  return rc;
}

/* ------------------------------------------------------------ employees */

int cbc_store__employee_get(cbc_store *st, int64_t id, cbc_employee *e)
{
  drv_stmt *s;
  int rc = get_row(st, STMT_EMP_GET, "SELECT " EMP_COLS " FROM employees e WHERE e.id = ?1", id,
                   NULL, "employee", &s);
  return rc ? rc : read_employee(s, e);
}

int cbc_store__employee_get_external(cbc_store *st, const char *external_id, cbc_employee *e)
{
  drv_stmt *s;
  int rc = get_row(st, STMT_EMP_GET_EXT,
                   "SELECT " EMP_COLS " FROM employees e WHERE e.external_id = ?1", 0, external_id,
                   "employee", &s);
  return rc ? rc : read_employee(s, e);
}

static void bind_employee(drv_stmt *s, const cbc_employee *e)
{
  store_bind_text(s, 1, e->external_id);
  store_bind_text(s, 2, e->name);
  store_bind_text(s, 3, e->post);
  drv_bind_int64(s, 4, e->unit_id);
  drv_bind_int64(s, 5, (int)e->roles);
  drv_bind_int64(s, 6, e->active);
  drv_bind_int64(s, 7, e->hire_date);
  drv_bind_int64(s, 8, e->unit_since);
  drv_bind_int64(s, 9, e->left_at);
  drv_bind_int64(s, 10, e->created_at);
}

int cbc_store__employee_insert(cbc_store *st, const cbc_employee *e, int64_t *out_id)
{
  st->org_generation++;
  drv_stmt *s;
  int rc = store_stmt(st, STMT_EMP_INSERT,
                      "INSERT INTO employees(external_id, name, post, unit_id, roles, active,"
                      " hire_date, unit_since, left_at, created_at)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT DO NOTHING", &s);
  if (rc)
    return rc;
  bind_employee(s, e);
  rc = store_exec_insert(st, s, "inserting an employee", out_id);
  /* a member of their team from their hire date: drills since count them */
  return rc ? rc : store_membership_changed(st, *out_id, e->hire_date, false);
}

int cbc_store__employee_update(cbc_store *st, const cbc_employee *e)
{
  st->org_generation++;
  drv_stmt *s;
  int rc = store_stmt(st, STMT_EMP_UPDATE,
                      "UPDATE employees SET name = ?2, post = ?3, unit_id = ?4,"
                      " roles = ?5, active = ?6, hire_date = ?7, unit_since = ?8, left_at = ?9,"
                      " created_at = ?10 WHERE id = ?11", &s);
  if (rc)
    return rc;
  bind_employee(s, e);
  drv_bind_int64(s, 11, e->id);
  return store_exec_stmt(st, s, "updating an employee");
}

int cbc_store__employee_event_add(cbc_store *st, const cbc_employee_event *ev)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_EMP_EVENT_ADD,
                      "INSERT INTO employee_events(employee_id, kind, at, from_unit, to_unit)"
                      " VALUES (?1,?2,?3,?4,?5)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, ev->employee_id);
  drv_bind_int64(s, 2, ev->kind);
  drv_bind_int64(s, 3, ev->at);
  drv_bind_int64(s, 4, ev->from_unit);
  drv_bind_int64(s, 5, ev->to_unit);
  int64_t id;
  rc = store_exec_insert(st, s, "recording employee history", &id);
  if (!rc)
    rc = cbc_store__chain_note(st, CBC_HISTORY_EMPLOYEE_EVENT, id);
  return rc ? rc : store_membership_changed(st, ev->employee_id, ev->at, true);
}

int cbc_store__employee_events(cbc_store *st, int64_t id, cbc_employee_event **out, size_t *count)
{
  drv_stmt *s;
  *out = NULL;
  *count = 0;
  int rc = store_stmt(st, STMT_EMP_EVENTS,
                      "SELECT kind, at, from_unit, to_unit FROM employee_events"
                      " WHERE employee_id = ?1 ORDER BY id", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  size_t cap = 0;
  while ((rc = store_step(st, s, "reading employee history")) == DRV_ROW) {
    if (*count == cap) {
      cap = cap ? cap * 2 : 8;
      cbc_employee_event *grown = cbc__realloc(*out, cap * sizeof(**out));
      if (!grown) {
        drv_reset(s);
        cbc__free(*out);
        *out = NULL;
        return cbc__error_oom();
      }
      *out = grown;
    }
    cbc_employee_event *ev = &(*out)[(*count)++];
    ev->employee_id = id;
    ev->kind = (cbc_employee_event_kind)drv_column_int(s, 0);
    ev->at = drv_column_int64(s, 1);
    ev->from_unit = drv_column_int64(s, 2);
    ev->to_unit = drv_column_int64(s, 3);
  }
  drv_reset(s);
  if (rc != DRV_DONE) {
    cbc__free(*out);
    *out = NULL;
    *count = 0;
    return rc;
  }
  return 0;
}

int cbc_store__employee_count(cbc_store *st, int64_t *out)
{
  return count_query(st, STMT_EMP_COUNT, "SELECT count(*) + 0 * ?1 FROM employees", 0, out);
}

int cbc_store__employee_max_id(cbc_store *st, int64_t *out)
{
  return count_query(st, STMT_EMP_MAX_ID, "SELECT coalesce(max(id), 0) + 0 * ?1 FROM employees",
                     0, out);
}

/* The lowest id among the active holders of @p roles in the subtree
 * ?1..?2 of unit ?4.  A unit without children (every team: nothing is
 * placed under one) is its own subtree: its members by employees_unit in
 * id order, stopping at the first holder (a team's leader is mostly its
 * first member), where the join reads every member of the subtree. */
static const char with_role_sql[] =
  "SELECT CASE WHEN EXISTS (SELECT 1 FROM units WHERE parent_id = ?4)"
  " THEN (SELECT min(e.id) FROM units u JOIN employees e ON e.unit_id = u.id"
  "       WHERE u.path >= ?1 AND u.path < ?2 AND e.active = 1 AND (e.roles & ?3) != 0)"
  " ELSE (SELECT id FROM employees WHERE unit_id = ?4 AND active = 1 AND (roles & ?3) != 0"
  "       ORDER BY id LIMIT 1) END";

int cbc_store__employee_with_role(cbc_store *st, int64_t unit_id, unsigned int roles,
                                  int64_t *out)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  drv_stmt *s;
  *out = 0;
  int rc = cbc_store__unit_range(st, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = store_stmt(st, STMT_EMP_WITH_ROLE, with_role_sql, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, (int)roles);
  drv_bind_int64(s, 4, unit_id);
  rc = store_step(st, s, "finding a role holder");
  if (rc == DRV_ROW)
    *out = drv_column_int64(s, 0);
  drv_reset(s);
  return rc < 0 ? rc : 0;
}
