/* Listing the campaign's activity records by unit subtree and period, and
 * the lookups of visits and assignments (include/cbc/activity.h).  The five
 * iterators share one implementation; each public type only names the kind
 * of row it yields. */
#include "activity_internal.h"
#include <stdint.h>
#include <string.h>

/* cbc_activity_kind_name() is in lib/label.c, from the one table of names. */

CBC__STRUCT_INIT_FN(cbc_activity_filter_init, cbc_activity_filter, CBC_ACTIVITY_FILTER_VERSION,
                    CBC_ACTIVITY_FILTER_INIT)

/* -------------------------------------------------------------- lookups */

CBC_EXTERN(void) cbc_visit_free(cbc_visit *visit)
{
  if (!visit)
    return;
  cbc__free(visit->findings);
  cbc__free(visit->void_reason);
  cbc__free(visit);
}

CBC_EXTERN(void) cbc_cadre_assignment_free(cbc_cadre_assignment *assignment)
{
  if (!assignment)
    return;
  cbc__free(assignment->void_reason);
  cbc__free(assignment);
}

/* The borrowed rows copied into @p out. */
static int get_visit(cbc_store *st, int64_t id, void *out)
{
  cbc_visit *v = out, row;
  int rc = cbc_store__visit_get(st, id, &row);
  if (rc)
    return rc;
  *v = row;
  v->findings = cbc__strdup(row.findings);
  v->void_reason = cbc__strdup(row.void_reason);
  return v->findings && v->void_reason ? 0 : cbc__error_oom();
}
static void release_visit(void *p) { cbc_visit_free(p); }

CBC_EXTERN(int) cbc_visit_lookup(cbc_visit **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  void *p;
  int rc = cbc__activity_lookup(&p, sizeof(cbc_visit), db, id, get_visit, release_visit);
  *out = p;
  return rc;
}

static int get_assignment(cbc_store *st, int64_t id, void *out)
{
  cbc_cadre_assignment *a = out, row;
  int rc = cbc_store__assignment_get(st, id, &row);
  if (rc)
    return rc;
  *a = row;
  a->void_reason = cbc__strdup(row.void_reason);
  return a->void_reason ? 0 : cbc__error_oom();
}
static void release_assignment(void *p) { cbc_cadre_assignment_free(p); }

CBC_EXTERN(int) cbc_cadre_assignment_lookup(cbc_cadre_assignment **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  void *p;
  int rc = cbc__activity_lookup(&p, sizeof(cbc_cadre_assignment), db, id, get_assignment,
                                release_assignment);
  *out = p;
  return rc;
}

/* ------------------------------------------------------------ iterators */

typedef struct activity_iter {
  cbc_store_cursor *cursor;
  cbc_activity_kind kind;
  union {
    cbc_training training;
    cbc_drill drill;
    cbc_visit visit;
    cbc_proposal proposal;
    cbc_cadre_assignment assignment;
  } row; /* the current row, borrowed from the cursor */
} activity_iter;

struct cbc_training_iter { activity_iter it; };
struct cbc_drill_iter { activity_iter it; };
struct cbc_visit_iter { activity_iter it; };
struct cbc_proposal_iter { activity_iter it; };
struct cbc_cadre_assignment_iter { activity_iter it; };

static int filter_check(const cbc_activity_filter *f)
{
  int rc = cbc__check_version("cbc_activity_filter", f->version, CBC_ACTIVITY_FILTER_VERSION);
  if (rc)
    return rc;
  if (f->flags & ~CBC_ACTIVITY_WITH_VOIDED)
    return cbc__error(CBC_EINVAL, "filter: unknown flags 0x%x",
                      f->flags & ~CBC_ACTIVITY_WITH_VOIDED);
  if (f->unit_id < 0 || f->from < 0 || f->to < 0)
    return cbc__error(CBC_EINVAL, "filter: negative unit or time");
  if (f->from > CBC_TIME_MAX + 1 || f->to > CBC_TIME_MAX + 1)
    return cbc__time_check("filter: a time", f->from > CBC_TIME_MAX + 1 ? f->from : f->to);
  if (f->to && f->to <= f->from)
    return cbc__error(CBC_EINVAL, "filter: an empty or inverted period");
  return 0;
}

/* Start an iterator (allocated by the caller, @p size bytes, the
 * activity_iter first) over the records of @p kind that @p filter selects. */
static int iter_new(void **out, size_t size, cbc_db *db, cbc_activity_kind kind,
                    const cbc_activity_filter *filter)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  const cbc_activity_filter all = CBC_ACTIVITY_FILTER_INIT;
  const cbc_activity_filter *f = filter ? filter : &all;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int rc = cbc__db_check(db);
  if (!rc)
    rc = filter_check(f);
  if (!rc && f->unit_id)
    rc = cbc_store__unit_range(db->store, f->unit_id, lo, hi, sizeof(lo));
  if (db)
    cbc_store__done(db->store);
  if (rc)
    return rc;
  activity_iter *it = cbc__calloc(1, size);
  if (!it)
    return cbc__error_oom();
  it->kind = kind;
  rc = cbc_store__activity_query(&it->cursor, db->store, kind, f->unit_id ? lo : NULL,
                                 f->unit_id ? hi : NULL, f->from, f->to,
                                 (f->flags & CBC_ACTIVITY_WITH_VOIDED) != 0);
  if (rc) {
    cbc__free(it);
    return rc;
  }
  *out = it;
  return 0;
}

static int iter_next(const void **out, activity_iter *it)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(it);
  int rc = cbc_store__cursor_activity(it->cursor, it->kind, &it->row);
  if (!rc)
    *out = &it->row;
  return rc;
}

static void iter_free(activity_iter *it)
{
  if (!it)
    return;
  cbc_store__cursor_free(it->cursor);
  cbc__free(it);
}

/* The public functions of one kind's iterator. */
#define ACTIVITY_ITER_FNS(name, row_type, kind)                                          \
  CBC_EXTERN(int) name##_iter_new(name##_iter **out, cbc_db *db,                         \
                                  const cbc_activity_filter *filter)                     \
  {                                                                                      \
    void *it = NULL;                                                                     \
    int rc = iter_new(out ? &it : NULL, sizeof(name##_iter), db, kind, filter);          \
    if (out)                                                                             \
      *out = it;                                                                         \
    return rc;                                                                           \
  }                                                                                      \
  CBC_EXTERN(int) name##_iter_next(const row_type **out, name##_iter *it)                \
  {                                                                                      \
    const void *row = NULL;                                                              \
    int rc = iter_next(out ? &row : NULL, it ? &it->it : NULL);                          \
    if (out)                                                                             \
      *out = row;                                                                        \
    return rc;                                                                           \
  }                                                                                      \
  CBC_EXTERN(void) name##_iter_free(name##_iter *it) { iter_free(it ? &it->it : NULL); }

ACTIVITY_ITER_FNS(cbc_training, cbc_training, CBC_ACTIVITY_TRAINING)
ACTIVITY_ITER_FNS(cbc_drill, cbc_drill, CBC_ACTIVITY_DRILL)
ACTIVITY_ITER_FNS(cbc_visit, cbc_visit, CBC_ACTIVITY_VISIT)
ACTIVITY_ITER_FNS(cbc_proposal, cbc_proposal, CBC_ACTIVITY_PROPOSAL)
ACTIVITY_ITER_FNS(cbc_cadre_assignment, cbc_cadre_assignment, CBC_ACTIVITY_ASSIGNMENT)
