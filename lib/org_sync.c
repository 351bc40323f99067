/* The HR sync engine (lib/org_sync.h): one write transaction applying unit
 * and employee records, with full-mode deactivation, row errors and counts. */
#include "org_sync.h"
#include "org_internal.h"
#include "request.h"
#include "unit_cache.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable set of ids (ids are dense rowids). */
typedef struct idset {
  unsigned char *bits;
  size_t nbytes;
} idset;

static int idset_add(idset *s, int64_t id)
{
  size_t byte = (size_t)id >> 3;
  if (byte >= s->nbytes) {
    size_t n = s->nbytes ? s->nbytes : 4096;
    while (n <= byte)
      n *= 2;
    unsigned char *b = cbc__realloc(s->bits, n);
    if (!b)
      return cbc__error_oom();
    memset(b + s->nbytes, 0, n - s->nbytes);
    s->bits = b;
    s->nbytes = n;
  }
  s->bits[byte] |= (unsigned char)(1u << (id & 7));
  return 0;
}

static bool idset_has(const idset *s, int64_t id)
{
  size_t byte = (size_t)id >> 3;
  return byte < s->nbytes && (s->bits[byte] & (1u << (id & 7)));
}

struct cbc__sync {
  cbc_db *db;
  cbc_store *st;
  cbc_sync_options opts;
  int64_t at;
  cbc_sync_result *res;
  idset seen_units, seen_employees;
  bool employees_empty; /* no employee existed: every new row is an insert */
  cbc__unit_cache units_by_ext; /* for employee records; cleared when units change */
  bool units_given, employees_given; /* full mode sweeps only what was given */
  const cbc__request *rq; /* the request key, recorded at the commit; NULL for none */
  cbc__error_saved caller_error; /* rejected rows are no failure: a call that succeeds
                                    gives the thread's error back as it found it */
};

int cbc__sync_utc_offset(const cbc__sync *s) { return s->db->utc_offset; }

static int check_options(const cbc_sync_options *o)
{
  int rc = cbc__check_version("cbc_sync_options", o->version, CBC_SYNC_OPTIONS_VERSION);
  if (rc)
    return rc;
  if (o->mode != CBC_SYNC_INCREMENTAL && o->mode != CBC_SYNC_FULL)
    return cbc__error(CBC_EINVAL, "cbc_sync_options: unknown mode %d", (int)o->mode);
  if (o->flags & ~(unsigned int)CBC_SYNC_STRICT)
    return cbc__error(CBC_EINVAL, "cbc_sync_options: unknown flags 0x%x", o->flags);
  return cbc__time_check("cbc_sync_options: effective_at", o->effective_at);
}

/* The bytes of a caller's options of @p version (checked): version 2
 * appended request_key, version 3 encoding and column_map. */
static size_t options_size(unsigned int version)
{
  return version >= 3   ? sizeof(cbc_sync_options)
         : version == 2 ? offsetof(cbc_sync_options, encoding)
                        : offsetof(cbc_sync_options, request_key);
}

CBC_EXTERN(int) cbc_sync_options_init(cbc_sync_options *opts, unsigned int version)
{
  CBC__CHECK_ARG(opts);
  int rc = cbc__check_version("cbc_sync_options", version, CBC_SYNC_OPTIONS_VERSION);
  if (rc)
    return rc;
  cbc_sync_options defaults = CBC_SYNC_OPTIONS_INIT;
  defaults.version = version;
  memcpy(opts, &defaults, options_size(version)); /* an older struct is shorter */
  return 0;
}

void cbc__sync_options_read(cbc_sync_options *out, const cbc_sync_options *opts)
{
  cbc_sync_options d = CBC_SYNC_OPTIONS_INIT;
  *out = d;
  if (opts)
    memcpy(out, opts, options_size(opts->version));
}

static void sync_free(cbc__sync *s)
{
  cbc__free(s->seen_units.bits);
  cbc__free(s->seen_employees.bits);
  cbc__unit_cache_clear(&s->units_by_ext);
  cbc_sync_result_free(s->res);
  cbc__free(s);
}

int cbc__sync_request_start(cbc__request *rq, int kind, const cbc_sync_options *opts)
{
  cbc_sync_options d = CBC_SYNC_OPTIONS_INIT;
  const cbc_sync_options *o = opts ? opts : &d;
  memset(rq, 0, sizeof(*rq)); /* not keyed, whatever fails below */
  int rc = check_options(o);
  if (!rc)
    rc = cbc__request_start(rq, (cbc__request_kind)kind, CBC__REQUEST_KEY_OF(o, 2));
  if (rc)
    return rc;
  cbc__request_int(rq, o->mode);
  cbc__request_int(rq, o->flags);
  cbc__request_int(rq, o->effective_at);
  return 0;
}

void cbc__sync_request_records(cbc__request *rq, const cbc_unit_record *units, size_t n_units,
                               const cbc_employee_record *emps, size_t n_emps)
{
  if (!rq->keyed)
    return;
  cbc__request_int(rq, (int64_t)n_units);
  for (size_t i = 0; i < n_units; i++) {
    const cbc_unit_record *u = &units[i];
    cbc__request_text(rq, u->external_id);
    cbc__request_text(rq, u->parent_external_id);
    cbc__request_int(rq, u->kind);
    cbc__request_text(rq, u->name);
    cbc__request_text(rq, u->industry);
    cbc__request_int(rq, u->high_risk);
  }
  cbc__request_int(rq, (int64_t)n_emps);
  for (size_t i = 0; i < n_emps; i++) {
    const cbc_employee_record *e = &emps[i];
    cbc__request_text(rq, e->external_id);
    cbc__request_text(rq, e->name);
    cbc__request_text(rq, e->post);
    cbc__request_text(rq, e->unit_external_id);
    cbc__request_int(rq, e->roles);
    cbc__request_int(rq, e->active);
    cbc__request_int(rq, e->hire_date);
  }
}

/* A sync's result as its request key keeps it: the counts. */
static int result_to_json(const cbc_sync_result *r, char **out)
{
  const cbc_sync_counts *u = &r->units, *e = &r->employees;
  return cbc__json_dump(json_pack("{s:[IIIII],s:[IIIII],s:I}", "units", (json_int_t)u->added,
                                  (json_int_t)u->updated, (json_int_t)u->moved,
                                  (json_int_t)u->deactivated, (json_int_t)u->unchanged,
                                  "employees", (json_int_t)e->added, (json_int_t)e->updated,
                                  (json_int_t)e->moved, (json_int_t)e->deactivated,
                                  (json_int_t)e->unchanged, "errors",
                                  (json_int_t)r->error_count),
                        JSON_COMPACT, out);
}

static int result_from_json(const char *text, cbc_sync_result *r)
{
  json_int_t v[11] = { 0 };
  json_t *root = text ? json_loads(text, 0, NULL) : NULL;
  int bad = !root || json_unpack(root, "{s:[IIIII],s:[IIIII],s:I}", "units", &v[0], &v[1],
                                 &v[2], &v[3], &v[4], "employees", &v[5], &v[6], &v[7], &v[8],
                                 &v[9], "errors", &v[10]);
  json_decref(root);
  for (int i = 0; i < 11 && !bad; i++)
    bad = v[i] < 0;
  if (bad)
    return cbc__error(CBC_ECORRUPT, "a damaged result of a recorded sync request");
  size_t *u = &r->units.added, *e = &r->employees.added;
  for (int i = 0; i < 5; i++)
    u[i] = (size_t)v[i], e[i] = (size_t)v[5 + i];
  r->error_count = (size_t)v[10];
  r->applied = 1; /* the first call's changes were committed */
  return 0;
}

/* Inside the session's transaction: the first call's result when its
 * request key was applied before. */
static int sync_replay(cbc__sync *s, cbc_sync_result **replayed)
{
  bool found = false;
  int64_t unused;
  char *text = NULL;
  int rc = cbc__request_replay(s->db, s->rq, &found, &unused, &text);
  if (!rc && found) {
    rc = result_from_json(text, s->res);
    if (!rc)
      *replayed = s->res, s->res = NULL;
  }
  cbc__free(text);
  return rc;
}

/* The counts are final: keep them with the request key. */
static int sync_record(cbc__sync *s)
{
  char *text = NULL;
  int rc = result_to_json(s->res, &text);
  if (!rc)
    rc = cbc__request_record(s->db, s->rq, 0, text);
  cbc__free(text);
  return rc;
}

int cbc__sync_begin(cbc__sync **out, cbc_db *db, const cbc_sync_options *opts)
{
  return cbc__sync_begin_request(out, db, opts, NULL, NULL);
}

int cbc__sync_begin_request(cbc__sync **out, cbc_db *db, const cbc_sync_options *opts,
                            const cbc__request *rq, cbc_sync_result **replayed)
{
  *out = NULL;
  if (replayed)
    *replayed = NULL;
  int rc = cbc__db_check_write(db);
  cbc_sync_options d = CBC_SYNC_OPTIONS_INIT;
  if (!rc)
    rc = check_options(opts ? opts : &d);
  if (rc)
    return rc;
  cbc__sync *s = cbc__calloc(1, sizeof(*s));
  if (!s || !(s->res = cbc__calloc(1, sizeof(*s->res)))) {
    cbc__free(s);
    return cbc__error_oom();
  }
  s->db = db;
  s->st = db->store;
  cbc__error_save(&s->caller_error);
  cbc__sync_options_read(&s->opts, opts); /* an older caller's options are shorter */
  s->rq = rq && rq->keyed ? rq : NULL;
  s->at = s->opts.effective_at ? s->opts.effective_at : cbc_db_now(db);
  int64_t count = 0;
  rc = cbc__db_write_begin(db, 0);
  if (!rc && s->rq)
    rc = sync_replay(s, replayed);
  if (!rc && replayed && *replayed) { /* nothing to do: end the transaction */
    sync_free(s);
    rc = cbc__db_write_end(db, 0);
    if (rc) { /* the caller gets no result with an error */
      cbc_sync_result_free(*replayed);
      *replayed = NULL;
    }
    return rc;
  }
  if (!rc)
    rc = cbc_store__employee_count(s->st, &count);
  if (rc) {
    cbc__db_write_end(db, rc);
    sync_free(s);
    return rc;
  }
  s->employees_empty = count == 0;
  *out = s;
  return 0;
}

static bool strict(const cbc__sync *s) { return (s->opts.flags & CBC_SYNC_STRICT) != 0; }

static int keep_row_error(cbc__sync *s, cbc_record_kind kind, size_t row, int code,
                          const char *ext, const char *msg)
{
  cbc_sync_result *r = s->res;
  r->error_count++;
  if (r->errors_kept >= s->opts.max_errors)
    return 0;
  cbc_sync_row_error *grown = cbc__realloc(r->errors, (r->errors_kept + 1) * sizeof(*grown));
  if (!grown)
    return cbc__error_oom();
  r->errors = grown;
  cbc_sync_row_error *e = &r->errors[r->errors_kept];
  e->record = kind;
  e->row = row;
  e->code = code;
  e->external_id = cbc__strdup(ext && cbc__utf8_valid(ext, strlen(ext)) ? ext : "");
  e->message = cbc__strdup(msg);
  if (!e->external_id || !e->message) {
    cbc__free(e->external_id);
    cbc__free(e->message);
    return cbc__error_oom();
  }
  r->errors_kept++;
  return 0;
}

/* Record the current thread error as a row error.  In strict mode the
 * error is turned into the call's failure. */
static int row_failed(cbc__sync *s, cbc_record_kind kind, size_t row, const char *ext)
{
  const cbc_error *err = cbc_error_last();
  int code = err->code;
  if (code == CBC_ENOMEM || code == CBC_EIO || code == CBC_EBUSY || code == CBC_ECORRUPT)
    return code; /* not the row's fault: the whole call fails */
  char msg[512];
  snprintf(msg, sizeof(msg), "%s", err->message);
  int rc = keep_row_error(s, kind, row, code, ext, msg);
  if (rc)
    return rc;
  if (!strict(s))
    return 0;
  return cbc__error(code, "%s row %zu ('%s'): %s", kind == CBC_RECORD_UNIT ? "unit" : "employee",
                    row, cbc__str(ext), msg);
}

const cbc_sync_result *cbc__sync_result_so_far(const cbc__sync *s) { return s->res; }

int cbc__sync_warning(cbc__sync *s, cbc_record_kind kind, const char *column, const char *fmt,
                      ...)
{
  cbc_sync_result *r = s->res;
  r->warning_count++;
  if (r->warnings_kept >= s->opts.max_errors)
    return 0;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  cbc_sync_warning *grown = cbc__realloc(r->warnings, (r->warnings_kept + 1) * sizeof(*grown));
  if (!grown)
    return cbc__error_oom();
  r->warnings = grown;
  cbc_sync_warning *w = &r->warnings[r->warnings_kept];
  w->record = kind;
  w->column = cbc__strdup(cbc__str(column));
  w->message = cbc__strdup(msg);
  if (!w->column || !w->message) {
    cbc__free(w->column);
    cbc__free(w->message);
    return cbc__error_oom();
  }
  r->warnings_kept++;
  return 0;
}

int cbc__sync_row_error(cbc__sync *s, cbc_record_kind kind, size_t row, int code,
                        const char *external_id, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  cbc__error_v(code, fmt, ap);
  va_end(ap);
  return row_failed(s, kind, row, external_id);
}

static void count_change(cbc_sync_counts *c, cbc__change change)
{
  switch (change) {
  case CBC__ADDED: c->added++; break;
  case CBC__UPDATED: c->updated++; break;
  case CBC__MOVED: c->updated++; c->moved++; break;
  case CBC__DEACTIVATED: c->deactivated++; break;
  default: c->unchanged++; break;
  }
}

/* ---------------------------------------------------------------- units */

/* A record of the batch, as sorted: by external id to find parents and
 * duplicates, then by depth to apply parents first. */
typedef struct plan_entry {
  const char *ext;
  size_t index;
  int depth;
} plan_entry;

typedef struct unit_plan {
  const cbc_unit_record *units;
  size_t n;
  plan_entry *order; /* valid records */
  size_t n_valid;
  long *parent;      /* index of the parent record in the batch, or -1 */
  int *depth;        /* -1 unknown, -2 being visited, -3 in a cycle */
  bool *failed;
  size_t row_base;   /* row numbers: rows[i], or row_base + i */
  const size_t *rows;
} unit_plan;

static size_t plan_row(const unit_plan *p, size_t i)
{
  return p->rows ? p->rows[i] : p->row_base + i;
}

static int cmp_by_ext(const void *a, const void *b)
{
  const plan_entry *x = a, *y = b;
  int c = strcmp(x->ext, y->ext);
  return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

static int cmp_by_depth(const void *a, const void *b)
{
  const plan_entry *x = a, *y = b;
  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static long find_ext(const unit_plan *p, const char *ext)
{
  size_t lo = 0, hi = p->n_valid;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(p->order[mid].ext, ext);
    if (c == 0)
      return (long)p->order[mid].index;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* Depth of record i in the batch's own forest; -3 when on or under a cycle. */
static int plan_depth(unit_plan *p, size_t i)
{
  if (p->depth[i] != -1)
    return p->depth[i] == -2 ? -3 : p->depth[i];
  p->depth[i] = -2;
  int d = p->parent[i] < 0 ? 0 : plan_depth(p, (size_t)p->parent[i]);
  p->depth[i] = d < 0 ? -3 : d + 1;
  return p->depth[i];
}

static void plan_free(unit_plan *p)
{
  cbc__free(p->order);
  cbc__free(p->parent);
  cbc__free(p->depth);
  cbc__free(p->failed);
}

/* Drop later occurrences of an external id (p->order sorted by id). */
static int plan_dedupe(cbc__sync *s, unit_plan *p)
{
  size_t kept = 0;
  int rc = 0;
  for (size_t k = 0; k < p->n_valid && !rc; k++) {
    plan_entry *e = &p->order[k];
    if (kept && strcmp(p->order[kept - 1].ext, e->ext) == 0) {
      cbc__error(CBC_ECONFLICT, "external id '%s' appears twice in the batch (first at row %zu)",
                 e->ext, plan_row(p, p->order[kept - 1].index));
      rc = row_failed(s, CBC_RECORD_UNIT, plan_row(p, e->index), e->ext);
      continue;
    }
    p->order[kept++] = *e;
  }
  p->n_valid = kept;
  return rc;
}

/* Validate every record, drop duplicates, and order the rest parents first
 * (in p->order).  Row errors are recorded in the session. */
static int plan_units(cbc__sync *s, unit_plan *p)
{
  size_t n = p->n;
  p->order = cbc__calloc(n, sizeof(plan_entry));
  p->parent = cbc__calloc(n, sizeof(long));
  p->depth = cbc__calloc(n, sizeof(int));
  p->failed = cbc__calloc(n, sizeof(bool));
  if (!p->order || !p->parent || !p->depth || !p->failed)
    return cbc__error_oom();
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    p->depth[i] = -1;
    if (cbc__unit_record_check(&p->units[i]) == 0)
      p->order[p->n_valid++] = (plan_entry){ p->units[i].external_id, i, 0 };
    else
      rc = row_failed(s, CBC_RECORD_UNIT, plan_row(p, i), p->units[i].external_id);
  }
  qsort(p->order, p->n_valid, sizeof(plan_entry), cmp_by_ext);
  if (!rc)
    rc = plan_dedupe(s, p);
  for (size_t k = 0; k < p->n_valid; k++) {
    const cbc_unit_record *r = &p->units[p->order[k].index];
    p->parent[p->order[k].index] = r->parent_external_id && *r->parent_external_id
                                       ? find_ext(p, r->parent_external_id) : -1;
  }
  for (size_t k = 0; k < p->n_valid; k++)
    p->order[k].depth = plan_depth(p, p->order[k].index);
  qsort(p->order, p->n_valid, sizeof(plan_entry), cmp_by_depth);
  return rc;
}

/* Apply one valid unit record whose in-batch parent (if any) is applied. */
static int apply_unit_record(cbc__sync *s, const cbc_unit_record *r)
{
  cbc_unit next = { 0 };
  int rc = 0;
  if (r->parent_external_id && *r->parent_external_id) {
    cbc_unit parent;
    rc = cbc_store__unit_get_external(s->st, r->parent_external_id, &parent);
    if (rc == CBC_ENOTFOUND)
      rc = cbc__error(CBC_ENOTFOUND, "parent unit '%s' not found", r->parent_external_id);
    next.parent_id = parent.id;
  }
  cbc_unit *old = NULL, stored;
  bool found = false;
  if (!rc)
    rc = cbc_store__unit_find_external(s->st, r->external_id, &stored, &found);
  if (!rc && found)
    rc = cbc__unit_copy(&old, &stored);
  if (!rc && old && idset_has(&s->seen_units, old->id))
    rc = cbc__error(CBC_ECONFLICT, "unit '%s' was already synchronised in this batch",
                    r->external_id);
  next.id = old ? old->id : 0;
  next.kind = r->kind;
  next.external_id = (char *)r->external_id;
  next.name = (char *)r->name;
  next.industry = (char *)cbc__str(r->industry);
  next.high_risk = r->high_risk;
  int64_t id = 0;
  cbc__change change = CBC__UNCHANGED;
  if (!rc)
    rc = cbc__unit_apply(s->st, old, &next, s->at, &id, &change);
  cbc_unit_free(old);
  if (!rc) {
    count_change(&s->res->units, change);
    rc = idset_add(&s->seen_units, id);
  }
  return rc;
}

int cbc__sync_units(cbc__sync *s, const cbc_unit_record *units, size_t n, size_t row_base,
                    const size_t *rows)
{
  unit_plan p = { units, n, NULL, 0, NULL, NULL, NULL, row_base, rows };
  cbc__unit_cache_clear(&s->units_by_ext);
  s->units_given = true;
  int rc = plan_units(s, &p);
  for (size_t k = 0; k < p.n_valid && !rc; k++) {
    size_t i = p.order[k].index;
    const cbc_unit_record *r = &units[i];
    if (p.depth[i] == -3) {
      cbc__error(CBC_ESTATE, "unit '%s' is part of a cycle of parents in the batch",
                 r->external_id);
    } else if (p.parent[i] >= 0 && p.failed[p.parent[i]]) {
      cbc__error(CBC_ENOTFOUND, "parent unit '%s' was rejected", r->parent_external_id);
    } else if (apply_unit_record(s, r) == 0) {
      continue;
    }
    p.failed[i] = true;
    rc = row_failed(s, CBC_RECORD_UNIT, plan_row(&p, i), r->external_id);
  }
  plan_free(&p);
  return rc;
}

/* ------------------------------------------------------------ employees */

/* Finds stored employees for a batch sorted by external id: a cursor walks
 * the table in the same order, stepping over a few rows when the keys are
 * close and seeking again when they are not, so re-sending a whole export
 * costs a scan, not a B-tree descent per row. */
typedef struct employee_walk {
  cbc_store_cursor *cursor;
  cbc_employee row;
  bool have;
} employee_walk;

#define WALK_MAX_STEPS 32

static int walk_step(employee_walk *w)
{
  int rc = cbc_store__cursor_employee(w->cursor, &w->row);
  w->have = rc == 0;
  return rc == CBC_ITEROVER ? 0 : rc;
}

static int walk_seek(cbc__sync *s, employee_walk *w, const char *ext)
{
  cbc_store__cursor_free(w->cursor);
  w->cursor = NULL;
  int rc = cbc_store__employees_from(&w->cursor, s->st, ext);
  return rc ? rc : walk_step(w);
}

/* *found = the stored employee with @p ext, or NULL. */
static int walk_find(cbc__sync *s, employee_walk *w, const char *ext, const cbc_employee **found)
{
  int rc = 0;
  *found = NULL;
  for (int i = 0; !rc && w->have && strcmp(w->row.external_id, ext) < 0 && i < WALK_MAX_STEPS; i++)
    rc = walk_step(w);
  if (!rc && (!w->cursor || !w->have || strcmp(w->row.external_id, ext) < 0))
    rc = walk_seek(s, w, ext);
  if (!rc && w->have && strcmp(w->row.external_id, ext) == 0)
    *found = &w->row;
  return rc;
}

/* The record as the employee it describes (strings borrowed from it). */
static int employee_from_record(cbc__sync *s, const cbc_employee_record *r, cbc_employee *next)
{
  cbc_unit unit;
  int rc = cbc__employee_record_check(r);
  if (!rc)
    rc = cbc__unit_cache_get(&s->units_by_ext, s->st, r->unit_external_id, &unit);
  if (rc)
    return rc;
  memset(next, 0, sizeof(*next));
  next->external_id = (char *)r->external_id;
  next->name = (char *)r->name;
  next->post = (char *)cbc__str(r->post);
  next->unit_id = unit.id;
  next->roles = r->roles ? r->roles : CBC_ROLE_WORKER;
  next->active = r->active;
  next->hire_date = r->hire_date;
  return cbc__employee_unit_check(&unit, next->roles);
}

static int apply_employee_record(cbc__sync *s, employee_walk *w, const cbc_employee_record *r)
{
  cbc_employee next;
  const cbc_employee *old = NULL;
  int rc = employee_from_record(s, r, &next);
  if (!rc && !s->employees_empty)
    rc = walk_find(s, w, r->external_id, &old);
  if (!rc && old && idset_has(&s->seen_employees, old->id))
    rc = cbc__error(CBC_ECONFLICT, "external id '%s' appears twice in the batch",
                    r->external_id);
  int64_t id;
  cbc__change change;
  if (!rc)
    rc = cbc__employee_apply(s->st, old, &next, s->at, &id, &change);
  if (rc == CBC_ECONFLICT && !old)
    rc = cbc__error(CBC_ECONFLICT, "external id '%s' appears twice in the batch",
                    r->external_id);
  if (!rc) {
    count_change(&s->res->employees, change);
    rc = idset_add(&s->seen_employees, id);
  }
  return rc;
}

typedef struct emp_order {
  const char *ext;
  size_t index;
} emp_order;

static int cmp_emp_order(const void *a, const void *b)
{
  const emp_order *x = a, *y = b;
  int c = strcmp(x->ext, y->ext);
  return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/* The order to apply records in: by external id (stable) when stored rows
 * must be found, else as given. */
static emp_order *employee_order(const cbc__sync *s, const cbc_employee_record *emps, size_t n)
{
  emp_order *order = cbc__calloc(n, sizeof(*order));
  if (!order)
    return NULL;
  for (size_t i = 0; i < n; i++)
    order[i] = (emp_order){ emps[i].external_id ? emps[i].external_id : "", i };
  if (!s->employees_empty)
    qsort(order, n, sizeof(*order), cmp_emp_order);
  return order;
}

int cbc__sync_employees(cbc__sync *s, const cbc_employee_record *emps, size_t n,
                        size_t row_base, const size_t *rows)
{
  s->employees_given = true;
  if (n == 0)
    return 0;
  emp_order *order = employee_order(s, emps, n);
  if (!order)
    return cbc__error_oom();
  employee_walk walk = { NULL, { 0 }, false };
  int rc = 0;
  for (size_t k = 0; k < n && !rc; k++) {
    size_t i = order[k].index;
    if (apply_employee_record(s, &walk, &emps[i]) != 0)
      rc = row_failed(s, CBC_RECORD_EMPLOYEE, rows ? rows[i] : row_base + i,
                      emps[i].external_id);
  }
  cbc_store__cursor_free(walk.cursor);
  cbc__free(order);
  return rc;
}

/* ------------------------------------------------------------ full mode */

/* Ids from a cursor that are not in @p seen. */
static int collect_unseen(cbc_store_cursor *c, const idset *seen, int64_t **out, size_t *n)
{
  size_t cap = 0;
  int64_t id;
  int rc;
  while ((rc = cbc_store__cursor_id(c, &id)) == 0) {
    if (idset_has(seen, id))
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      int64_t *grown = cbc__realloc(*out, cap * sizeof(int64_t));
      if (!grown) {
        rc = cbc__error_oom();
        break;
      }
      *out = grown;
    }
    (*out)[(*n)++] = id;
  }
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

static int deactivate_absent_employees(cbc__sync *s)
{
  cbc_store_cursor *c;
  int64_t *ids = NULL;
  size_t n = 0;
  int rc = cbc_store__employees_active_ids(&c, s->st);
  if (!rc)
    rc = collect_unseen(c, &s->seen_employees, &ids, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    cbc_employee e;
    int64_t id;
    cbc__change change;
    rc = cbc_store__employee_get(s->st, ids[i], &e);
    if (rc)
      break;
    cbc_employee next = e;
    next.active = 0;
    rc = cbc__employee_apply(s->st, &e, &next, s->at, &id, &change);
    if (!rc)
      count_change(&s->res->employees, change);
  }
  cbc__free(ids);
  return rc;
}

static int close_absent_unit(cbc__sync *s, int64_t id)
{
  cbc_unit found, *old = NULL;
  int rc = cbc_store__unit_get(s->st, id, &found);
  if (!rc)
    rc = cbc__unit_copy(&old, &found);
  if (rc)
    return rc;
  cbc_unit next = *old;
  next.closed = 1;
  next.closed_at = s->at;
  cbc__change change;
  rc = cbc__unit_apply(s->st, old, &next, s->at, &id, &change);
  if (!rc)
    count_change(&s->res->units, change);
  else
    rc = row_failed(s, CBC_RECORD_UNIT, 0, old->external_id);
  cbc_unit_free(old);
  return rc;
}

static int close_absent_units(cbc__sync *s)
{
  cbc_store_cursor *c;
  int64_t *ids = NULL;
  size_t n = 0;
  int rc = cbc_store__units_open_ids(&c, s->st);
  if (!rc)
    rc = collect_unseen(c, &s->seen_units, &ids, &n);
  for (size_t i = 0; i < n && !rc; i++)
    rc = close_absent_unit(s, ids[i]);
  cbc__free(ids);
  return rc;
}

static int cmp_row_error(const void *a, const void *b)
{
  const cbc_sync_row_error *x = a, *y = b;
  if (x->record != y->record)
    return x->record < y->record ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

int cbc__sync_finish(cbc__sync *s, cbc_sync_result **out, int rc)
{
  if (out)
    *out = NULL;
  if (!rc && s->opts.mode == CBC_SYNC_FULL) {
    if (s->employees_given)
      rc = deactivate_absent_employees(s);
    if (!rc && s->units_given)
      rc = close_absent_units(s);
  }
  if (!rc && s->rq)
    rc = sync_record(s);
  rc = cbc__db_write_end(s->db, rc);
  if (!rc)
    cbc__error_restore(&s->caller_error);
  cbc_sync_result *res = s->res;
  res->applied = rc == 0;
  if (res->errors_kept > 1)
    qsort(res->errors, res->errors_kept, sizeof(*res->errors), cmp_row_error);
  if (out && (rc == 0 || res->error_count)) {
    *out = res;
    s->res = NULL;
  }
  sync_free(s);
  return rc;
}
