/* Reading activities back (include/cbc/activity.h): lookups, who took part,
 * and the compliance questions over training and drills. */
#include "activity_internal.h"
#include "calendar.h"
#include "db_internal.h"
#include "org_scope.h"
#include <string.h>

#define DAY 86400
#define INDUCTION_LEVELS ((1u << CBC_TRAINING_INDUCTION_ENTERPRISE) | \
                          (1u << CBC_TRAINING_INDUCTION_WORKSHOP) |   \
                          (1u << CBC_TRAINING_INDUCTION_TEAM))

/* ------------------------------------------------------------- lookups */

CBC_EXTERN(void) cbc_training_free(cbc_training *training)
{
  if (!training)
    return;
  cbc__free(training->title);
  cbc__free(training->attendees);
  cbc__free(training->void_reason);
  cbc__free(training);
}

CBC_EXTERN(void) cbc_drill_free(cbc_drill *drill)
{
  if (!drill)
    return;
  cbc__free(drill->scenario);
  cbc__free(drill->team_ids);
  cbc__free(drill->void_reason);
  cbc__free(drill);
}

CBC_EXTERN(void) cbc_proposal_free(cbc_proposal *proposal)
{
  if (!proposal)
    return;
  cbc__free(proposal->title);
  cbc__free(proposal->text);
  cbc__free(proposal->note);
  cbc__free(proposal->void_reason);
  cbc__free(proposal);
}

int cbc__activity_lookup(void **out, size_t size, cbc_db *db, int64_t id,
                         cbc__activity_get_fn get, cbc__activity_release_fn release)
{
  *out = NULL;
  int rc = cbc__db_check(db);
  void *p = rc ? NULL : cbc__calloc(1, size);
  if (!rc && !p)
    rc = cbc__error_oom();
  if (!rc && (rc = get(db->store, id, p)) != 0)
    release(p);
  if (!rc)
    *out = p;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

static int get_training(cbc_store *st, int64_t id, void *out)
{
  return cbc_store__training_get(st, id, out);
}
static void release_training(void *p) { cbc_training_free(p); }

CBC_EXTERN(int) cbc_training_lookup(cbc_training **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  void *p;
  int rc = cbc__activity_lookup(&p, sizeof(cbc_training), db, id, get_training,
                                release_training);
  *out = p;
  return rc;
}

static int get_drill(cbc_store *st, int64_t id, void *out)
{
  return cbc_store__drill_get(st, id, out);
}
static void release_drill(void *p) { cbc_drill_free(p); }

CBC_EXTERN(int) cbc_drill_lookup(cbc_drill **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  void *p;
  int rc = cbc__activity_lookup(&p, sizeof(cbc_drill), db, id, get_drill,
                                release_drill);
  *out = p;
  return rc;
}

/* The borrowed row copied into @p out. */
static int get_proposal(cbc_store *st, int64_t id, void *out)
{
  cbc_proposal *p = out, row;
  int rc = cbc_store__proposal_get(st, id, &row);
  if (rc)
    return rc;
  *p = row;
  p->title = cbc__strdup(row.title);
  p->text = cbc__strdup(row.text);
  p->note = cbc__strdup(row.note);
  p->void_reason = cbc__strdup(row.void_reason);
  return p->title && p->text && p->note && p->void_reason ? 0 : cbc__error_oom();
}
static void release_proposal(void *p) { cbc_proposal_free(p); }

CBC_EXTERN(int) cbc_proposal_lookup(cbc_proposal **out, cbc_db *db, int64_t id)
{
  CBC__CHECK_ARG(out);
  void *p;
  int rc = cbc__activity_lookup(&p, sizeof(cbc_proposal), db, id, get_proposal,
                                release_proposal);
  *out = p;
  return rc;
}

/* ------------------------------------------------- participation, compliance */

CBC_EXTERN(int) cbc_employee_took_part(int *out, cbc_db *db, int64_t employee_id, int64_t from,
                                       int64_t to)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  cbc_employee e;
  bool took = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc__time_range_check("the period", from, to);
  if (!rc)
    rc = cbc_store__employee_get(db->store, employee_id, &e);
  if (!rc)
    rc = cbc_store__took_part(db->store, employee_id, from, to, &took);
  *out = took;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

static int year_check(int year)
{
  return year >= 1970 && year <= 9999
             ? 0
             : cbc__error(CBC_EINVAL, "the year %d is outside 1970..9999", year);
}

/* Common start of the subtree questions: the handle, the out pair, the
 * unit's range. */
static int subtree_start(cbc_db *db, const void *out, size_t *count, int64_t unit_id, char *lo,
                         char *hi)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(count);
  *count = 0;
  int rc = cbc__db_check(db);
  return rc ? rc : cbc_store__unit_range(db->store, unit_id, lo, hi, CBC_STORE_PATH_MAX);
}

CBC_EXTERN(int) cbc_compliance_untrained(int64_t **out, size_t *count, cbc_db *db,
                                         int64_t unit_id, int year)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t from, to;
  if (out)
    *out = NULL;
  int rc = subtree_start(db, out, count, unit_id, lo, hi);
  if (!rc)
    rc = year_check(year);
  if (!rc) {
    cbc__year_bounds(year, cbc_db_utc_offset(db), &from, &to);
    rc = cbc_store__untrained(db->store, lo, hi, from, to, out, count);
  }
  if (db)
    cbc_store__done(db->store);
  return rc;
}

/* The most recent of the needs the rules find in @p f; false when none. */
static bool training_need(const cbc_store_training_facts *f, int64_t at, cbc_training_need *n)
{
  memset(n, 0, sizeof(*n));
  n->employee_id = f->employee_id;
  if (f->hire_date > 0 && f->hire_date <= at && at - f->hire_date < 365 * DAY &&
      (f->induction_passed & INDUCTION_LEVELS) != INDUCTION_LEVELS) {
    n->reason = CBC_NEED_INDUCTION;
    n->since = f->hire_date;
    n->missing = INDUCTION_LEVELS & ~f->induction_passed;
  }
  if (f->transfer_at > n->since && f->retrained_at < f->transfer_at) {
    n->reason = CBC_NEED_TRANSFER;
    n->since = f->transfer_at;
    n->missing = 0;
  }
  bool long_absence = f->return_at > 0 && f->left_before_return_at > 0 &&
                      f->return_at - f->left_before_return_at >= 183 * DAY;
  if (long_absence && f->return_at > n->since && f->retrained_at < f->return_at) {
    n->reason = CBC_NEED_LONG_ABSENCE;
    n->since = f->return_at;
    n->missing = 0;
  }
  return n->reason != 0;
}

CBC_EXTERN(int) cbc_compliance_training_needs(cbc_training_need **out, size_t *count,
                                              cbc_db *db, int64_t unit_id, int64_t at)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  cbc_store_training_facts *facts = NULL;
  size_t n = 0;
  if (out)
    *out = NULL;
  int rc = subtree_start(db, out, count, unit_id, lo, hi);
  if (!rc)
    rc = cbc__time_check("the time asked about", at);
  at = !rc && at == 0 ? cbc_db_now(db) : at;
  if (!rc)
    rc = cbc_store__training_facts(db->store, lo, hi, at, &facts, &n);
  cbc_training_need *needs = !rc && n ? cbc__malloc(n * sizeof(*needs)) : NULL;
  if (!rc && n && !needs)
    rc = cbc__error_oom();
  for (size_t i = 0; i < n && !rc; i++)
    if (training_need(&facts[i], at, &needs[*count]))
      (*count)++;
  cbc__free(facts);
  if (rc || !*count) {
    cbc__free(needs);
    needs = NULL;
    *count = 0;
  }
  *out = needs;
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_compliance_drills(cbc_drill_gap **out, size_t *count, cbc_db *db,
                                      int64_t unit_id, int year)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  cbc__scope sc;
  int64_t from, to;
  if (out)
    *out = NULL;
  int rc = subtree_start(db, out, count, unit_id, lo, hi);
  if (!rc)
    rc = year_check(year);
  if (!rc)
    rc = cbc__scope_of_unit(db, unit_id, &sc);
  if (!rc) {
    bool below = sc.kind == CBC_UNIT_WORKSHOP || sc.kind == CBC_UNIT_TEAM;
    cbc__year_bounds(year, cbc_db_utc_offset(db), &from, &to);
    rc = cbc_store__drill_gaps(db->store, lo, hi, below ? sc.enterprise : 0, from, to, out,
                               count);
  }
  if (db)
    cbc_store__done(db->store);
  return rc;
}
