/* Evaluating the reward policy (include/cbc/reward.h, docs/rewards.md):
 * the decisions list and its award records, adopted proposals, the labour
 * medal, and the period evaluation.  Discovery is in lib/reward_discovery.c,
 * the collective rules in lib/reward_collective.c. */
#include "reward_internal.h"
#include "org_scope.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ decisions */

static int find_award(cbc_db *db, const cbc_reward_decision *d, const char *cause, int64_t *id)
{
  return cbc_store__award_find(db->store, d->rule, d->subject_kind, d->subject_id, cause,
                               d->hazard_id, id);
}

static int make_award(cbc_db *db, const cbc__decisions *ds, const cbc_reward_decision *d,
                      const char *cause, int64_t unit_id, const char *reasons, int64_t *id)
{
  cbc_award a = { 0 };
  a.rule = d->rule;
  a.subject_kind = d->subject_kind;
  a.subject_id = d->subject_id;
  a.cause = (char *)cause;
  a.hazard_id = d->hazard_id;
  a.proposal_id = d->proposal_id;
  a.policy_version = ds->policy->version;
  a.amount_fen = d->amount_fen;
  a.reasons = (char *)reasons;
  a.proposed_at = cbc_db_now(db);
  int rc = cbc__policy_store_first(db);
  return rc ? rc : cbc_store__award_insert(db->store, &a, unit_id, id);
}

/* Room for one more decision (and its unit, with later set). */
static int decisions_grow(cbc__decisions *ds)
{
  cbc_reward_decisions *all = ds->d;
  if (all->count < ds->cap)
    return 0;
  size_t cap = ds->cap ? 2 * ds->cap : 16;
  cbc_reward_decision *grown = cbc__realloc(all->decisions, cap * sizeof(*grown));
  if (!grown)
    return cbc__error_oom();
  all->decisions = grown;
  if (ds->later) {
    int64_t *units = cbc__realloc(ds->units, cap * sizeof(*units));
    if (!units)
      return cbc__error_oom();
    ds->units = units;
  }
  ds->cap = cap;
  return 0;
}

int cbc__decision_add(cbc_db *db, cbc__decisions *ds, const cbc_reward_decision *d,
                      const char *cause, int64_t unit_id, const char *reasons)
{
  cbc_reward_decisions *all = ds->d;
  int rc = decisions_grow(ds);
  if (rc)
    return rc;
  cbc_reward_decision *out = &all->decisions[all->count];
  *out = *d;
  out->award_id = 0;
  out->reasons = cbc__strdup(reasons);
  if (!out->reasons)
    return cbc__error_oom();
  if (ds->later)
    ds->units[all->count] = unit_id;
  all->count++;
  rc = d->eligible ? find_award(db, d, cause, &out->award_id) : 0;
  if (!rc && d->eligible && !out->award_id && ds->write && !ds->later)
    rc = make_award(db, ds, d, cause, unit_id, reasons, &out->award_id);
  return rc;
}

/* The cause a decision's award is made under (cbc__decision_add's
 * callers: a hazard's discovery, a proposal, else the period). */
static void decision_cause(const cbc__decisions *ds, const cbc_reward_decision *d, char *out,
                           size_t size)
{
  if (d->hazard_id)
    snprintf(out, size, "hazard:%" PRId64, d->hazard_id);
  else if (d->proposal_id)
    snprintf(out, size, "proposal:%" PRId64, d->proposal_id);
  else
    snprintf(out, size, "%s", ds->cause);
}

static bool award_due(const cbc_reward_decision *d) { return d->eligible && !d->award_id; }

typedef struct batch {
  cbc__decisions *ds;
  size_t first, end; /* decisions [first, end) */
  uint64_t seen;     /* the store's generation when deciding began */
  bool *stale;       /* set: it has moved since, nothing was written */
} batch;

/* One batch's awards, inside its write transaction: each found again (a
 * concurrent closure or evaluation may have made it since it was decided)
 * or made.  Only while nothing has changed since deciding began (no commit
 * by another connection, no org write of ours): then a decision made now
 * would be the same.  Otherwise nothing is written and *stale is set. */
static int write_batch(cbc_db *db, const void *args, int64_t *unused)
{
  const batch *b = args;
  cbc__decisions *ds = b->ds;
  int rc = 0;
  (void)unused;
  if (cbc_store__org_generation(db->store) != b->seen) {
    *b->stale = true;
    return 0;
  }
  for (size_t i = b->first; i < b->end && !rc; i++) {
    cbc_reward_decision *d = &ds->d->decisions[i];
    char cause[64];
    if (!award_due(d))
      continue;
    decision_cause(ds, d, cause, sizeof(cause));
    rc = find_award(db, d, cause, &d->award_id);
    if (!rc && !d->award_id)
      rc = make_award(db, ds, d, cause, ds->units[i], d->reasons, &d->award_id);
  }
  return rc;
}

int cbc__decisions_write(cbc_db *db, cbc__decisions *ds, uint64_t seen, bool *stale)
{
  int rc = 0;
  *stale = false;
  for (size_t i = 0; i < ds->d->count && !rc && !*stale;) {
    batch b = { ds, i, i, seen, stale };
    size_t due = 0;
    for (; b.end < ds->d->count && due < CBC__AWARD_BATCH; b.end++)
      due += award_due(&ds->d->decisions[b.end]);
    rc = due ? cbc__db_write_call(db, 0, write_batch, &b, NULL) : 0;
    i = b.end;
  }
  return rc;
}

/* Forget the decisions made (keeping their room), to decide again. */
static void decisions_clear(cbc__decisions *ds)
{
  for (size_t i = 0; i < ds->d->count; i++)
    cbc__free((void *)ds->d->decisions[i].reasons);
  ds->d->count = 0;
}

void cbc__decisions_free(cbc__decisions *ds)
{
  cbc_reward_decisions_free(ds->d);
  cbc__free(ds->units);
  ds->d = NULL;
  ds->units = NULL;
}

CBC_EXTERN(void) cbc_reward_decisions_free(cbc_reward_decisions *decisions)
{
  if (!decisions)
    return;
  for (size_t i = 0; i < decisions->count; i++)
    cbc__free((void *)decisions->decisions[i].reasons);
  cbc__free(decisions->decisions);
  cbc__free(decisions);
}

int cbc__decisions_new(cbc__decisions *ds, const cbc__policy *policy, bool write)
{
  memset(ds, 0, sizeof(*ds));
  ds->d = cbc__calloc(1, sizeof(*ds->d));
  if (!ds->d)
    return cbc__error_oom();
  ds->d->policy_version = policy->version;
  ds->policy = policy;
  ds->write = write;
  return 0;
}

/* ------------------------------------------------------------ proposals */

static int proposals(cbc_db *db, cbc__decisions *ds, const char *lo, const char *hi,
                     int64_t from, int64_t to)
{
  int64_t(*rows)[3] = NULL;
  size_t n = 0;
  int64_t amount = ds->policy->amount[CBC_RULE_PROPOSAL];
  int rc = amount ? cbc_store__proposals_adopted_in(db->store, lo, hi, from, to, &rows, &n) : 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char cause[40], why[120];
    cbc_reward_decision d = { 0 };
    d.rule = CBC_RULE_PROPOSAL;
    d.subject_kind = CBC_SUBJECT_EMPLOYEE;
    d.subject_id = rows[i][1];
    d.eligible = 1;
    d.proposal_id = rows[i][0];
    d.amount_fen = amount;
    snprintf(cause, sizeof(cause), "proposal:%" PRId64, rows[i][0]);
    snprintf(why, sizeof(why), "proposal %" PRId64 " adopted in the period", rows[i][0]);
    rc = cbc__decision_add(db, ds, &d, cause, rows[i][2], why);
  }
  cbc__free(rows);
  return rc;
}

/* ---------------------------------------------------------- labour medal */

static int by_subject(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* One decision per finder of the period's closed major hazards (@p finders,
 * one entry per hazard, sorted here). */
static int medal(cbc_db *db, cbc__decisions *ds, int64_t *finders, size_t n)
{
  int rc = 0;
  if (n)
    qsort(finders, n, sizeof(*finders), by_subject);
  for (size_t i = 0; i < n && !rc;) {
    size_t j = i;
    while (j < n && finders[j] == finders[i])
      j++;
    char why[160];
    int64_t found = (int64_t)(j - i), need = ds->policy->medal_major;
    cbc_reward_decision d = { 0 };
    d.rule = CBC_RULE_LABOUR_MEDAL;
    d.subject_kind = CBC_SUBJECT_EMPLOYEE;
    d.subject_id = finders[i];
    d.eligible = found >= need;
    snprintf(why, sizeof(why), "major hazards found and closed %" PRId64 " %s %" PRId64, found,
             d.eligible ? ">=" : "<", need);
    cbc__actor a;
    rc = cbc__actor_of(db, finders[i], &a);
    if (!rc)
      rc = cbc__decision_add(db, ds, &d, ds->cause, a.place.unit, why);
    i = j;
  }
  return rc;
}

/* --------------------------------------------------------------- period */

static void period_cause(const cbc_period *p, char *out, size_t size)
{
  if (p->kind == CBC_PERIOD_YEAR)
    snprintf(out, size, "period:%d", p->year);
  else if (p->kind == CBC_PERIOD_QUARTER)
    snprintf(out, size, "period:%d-Q%d", p->year, p->number);
  else if (p->kind == CBC_PERIOD_MONTH)
    snprintf(out, size, "period:%d-%02d", p->year, p->number);
  else
    snprintf(out, size, "period:%" PRId64 "-%" PRId64, p->from, p->to);
}

/* The discovery decisions of the hazards closed in the period, and the
 * labour medal for the finders of the major ones. */
static int hazards(cbc_db *db, cbc__decisions *ds, const char *lo, const char *hi, int64_t from,
                   int64_t to)
{
  int64_t *ids = NULL, *finders = NULL;
  size_t n = 0, n_finders = 0;
  bool large = false;
  int rc = cbc_store__subtree_is_large(db->store, lo, hi, &large);
  if (!rc)
    rc = cbc_store__hazards_closed_in(db->store, lo, hi, from, to, large, &ids, &n);
  if (!rc && n && !(finders = cbc__malloc(n * sizeof(*finders))))
    rc = cbc__error_oom();
  for (size_t i = 0; i < n && !rc; i++) {
    cbc_hazard h;
    int64_t finder = 0;
    rc = cbc_store__hazard_get_move(db->store, ids[i], &h);
    if (!rc)
      rc = cbc__reward_discovery(db, ds, &h, &finder);
    if (!rc && finder && h.severity == CBC_SEVERITY_MAJOR)
      finders[n_finders++] = finder;
  }
  if (!rc && ds->policy->medal_on)
    rc = medal(db, ds, finders, n_finders);
  cbc__free(ids);
  cbc__free(finders);
  return rc;
}

static int by_decision(const void *a, const void *b)
{
  const cbc_reward_decision *x = a, *y = b;
  const int64_t kx[] = { x->rule, x->subject_kind, x->subject_id, x->hazard_id, x->proposal_id };
  const int64_t ky[] = { y->rule, y->subject_kind, y->subject_id, y->hazard_id, y->proposal_id };
  for (int i = 0; i < 5; i++)
    if (kx[i] != ky[i])
      return kx[i] < ky[i] ? -1 : 1;
  return 0;
}

/* ------------------------------------------------------ who may evaluate */

/* Whether @p actor_id may evaluate over @p unit_id (docs/rewards.md, "Who
 * may evaluate"): a dry run, whoever may read the unit; a real one, which
 * proposes awards, the union over the unit — an active union cadre sitting
 * in a region node at or above it.  0, or CBC_EPERM with the rule. */
static int evaluator_check(cbc_db *db, int64_t unit_id, int64_t actor_id, bool write)
{
  if (write)
    return cbc__union_over_check(db, unit_id, actor_id, "evaluate for real (a dry run is open "
                                                        "to its readers) over");
  cbc__actor a;
  int readable = 0;
  int rc = cbc__actor_of(db, actor_id, &a);
  if (!rc)
    rc = cbc_unit_readable(&readable, db, unit_id, actor_id);
  if (rc || readable)
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", actor_id, who);
  return cbc__error(CBC_EPERM, "%s may not read unit %lld", who, (long long)unit_id);
}

static int flags_check(unsigned int flags)
{
  return flags & ~(unsigned int)CBC_EVALUATE_DRY_RUN
           ? cbc__error(CBC_EINVAL, "unknown evaluation flags 0x%x", flags)
           : 0;
}

CBC_EXTERN(int) cbc_reward_may_evaluate(int *out, cbc_db *db, int64_t unit_id,
                                        unsigned int flags, int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  cbc_unit *u = NULL;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = flags_check(flags);
  if (!rc && actor_id < 1)
    rc = cbc__error(CBC_EINVAL, "invalid actor id %lld", (long long)actor_id);
  if (!rc)
    rc = cbc_unit_lookup(&u, db, unit_id);
  cbc_unit_free(u);
  if (rc)
    return rc;
  cbc__error_saved before; /* a refusal is the answer, not this call's error */
  cbc__error_save(&before);
  rc = evaluator_check(db, unit_id, actor_id, !(flags & CBC_EVALUATE_DRY_RUN));
  cbc_store__done(db->store);
  if (rc == CBC_EPERM || !rc) {
    *out = !rc;
    cbc__error_restore(&before);
    rc = 0;
  }
  return rc;
}

/* ---------------------------------------------------------- evaluation */

typedef struct evaluate_args {
  int64_t unit_id;
  const cbc_period *period;
  cbc__decisions *ds;
  int64_t actor_id;    /* 0: none (cbc_reward_evaluate) */
  cbc__policy *policy; /* ds->policy, read again by evaluate_in_write */
  uint64_t seen;       /* the store's generation before the policy was read */
} evaluate_args;

static int evaluate(cbc_db *db, const evaluate_args *a)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t from = a->ds->d->from, to = a->ds->d->to;
  int rc = a->actor_id ? evaluator_check(db, a->unit_id, a->actor_id, a->ds->write) : 0;
  if (!rc)
    rc = cbc_store__unit_range(db->store, a->unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = hazards(db, a->ds, lo, hi, from, to);
  if (!rc)
    rc = proposals(db, a->ds, lo, hi, from, to);
  if (!rc)
    rc = cbc__reward_collective(db, a->ds, a->unit_id, from, to);
  return rc;
}

/* Decide again and make the awards at once, all in this write: the
 * current policy, each decision's award found (the batches written
 * before) or made. */
static int evaluate_in_write(cbc_db *db, const void *args, int64_t *unused)
{
  const evaluate_args *a = args;
  int rc = cbc__policy_current(db, a->policy);
  (void)unused;
  if (rc)
    return rc;
  decisions_clear(a->ds);
  a->ds->later = false;
  a->ds->d->policy_version = a->policy->version;
  return evaluate(db, a);
}

/* The decisions, read without a transaction of their own; a real
 * evaluation then makes their awards in batches (cbc__decisions_write).
 * If the database changed between deciding and a batch (another
 * connection's commit: a hazard reopened, a policy set, someone left),
 * the decisions may be stale: the rest is decided again and written in
 * one write transaction, so every award is one a decision made in the
 * transaction writing it would make (docs/rewards.md, "At scale"). */
static int evaluate_call(cbc_db *db, const evaluate_args *a)
{
  bool stale = false;
  int rc = evaluate(db, a);
  cbc_store__done(db->store);
  if (!rc && a->ds->write)
    rc = cbc__decisions_write(db, a->ds, a->seen, &stale);
  if (!rc && stale)
    rc = cbc__db_write_call(db, 0, evaluate_in_write, a, NULL);
  return rc;
}

/* Both evaluations; @p actor_id 0 for none. */
static int evaluate_for(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                        const cbc_period *period, unsigned int flags, int64_t actor_id)
{
  char cause[64];
  int64_t from, to;
  cbc__policy p;
  cbc__decisions ds;
  cbc_unit *u = NULL;
  bool write = !(flags & CBC_EVALUATE_DRY_RUN);
  int rc = flags_check(flags);
  if (!rc)
    rc = write ? cbc__db_check_write(db) : cbc__db_check(db);
  uint64_t seen = rc ? 0 : cbc_store__org_generation(db->store); /* before any read */
  if (!rc)
    rc = cbc_period_bounds(&from, &to, db, period);
  if (!rc)
    rc = cbc_unit_lookup(&u, db, unit_id);
  cbc_unit_free(u);
  if (!rc)
    rc = cbc__policy_current(db, &p);
  if (rc || (rc = cbc__decisions_new(&ds, &p, write)) != 0)
    return rc;
  ds.later = write;
  period_cause(period, cause, sizeof(cause));
  ds.cause = cause;
  ds.d->from = from;
  ds.d->to = to;
  evaluate_args a = { unit_id, period, &ds, actor_id, &p, seen };
  rc = evaluate_call(db, &a);
  cbc__free(ds.units);
  ds.units = NULL;
  if (rc) {
    cbc__decisions_free(&ds);
    return rc;
  }
  if (ds.d->count)
    qsort(ds.d->decisions, ds.d->count, sizeof(*ds.d->decisions), by_decision);
  *out = ds.d;
  return 0;
}

CBC_EXTERN(int) cbc_reward_evaluate(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                    const cbc_period *period, unsigned int flags)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(period);
  *out = NULL;
  return evaluate_for(out, db, unit_id, period, flags, 0);
}

CBC_EXTERN(int) cbc_reward_evaluate_as(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                       const cbc_period *period, unsigned int flags,
                                       int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(period);
  *out = NULL;
  if (actor_id < 1)
    return cbc__error(CBC_EINVAL, "invalid actor id %lld", (long long)actor_id);
  return evaluate_for(out, db, unit_id, period, flags, actor_id);
}
