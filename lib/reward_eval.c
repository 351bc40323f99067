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
  int64_t tenant;
  int rc = cbc__policy_store_first(db);
  if (!rc)
    rc = cbc__tenant_of(db, unit_id, &tenant);
  return rc ? rc : cbc_store__award_insert(db->store, &a, unit_id, tenant, id);
}

/* Room for one more decision. */
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
  all->count++;
  rc = d->eligible ? find_award(db, d, cause, &out->award_id) : 0;
  if (!rc && d->eligible && !out->award_id && ds->write) {
    rc = make_award(db, ds, d, cause, unit_id, reasons, &out->award_id);
    ds->made += !rc;
  }
  return rc;
}

/* Forget the decisions and finders added since there were @p count and
 * @p found. */
static void decisions_truncate(cbc__decisions *ds, size_t count, size_t found)
{
  for (size_t i = count; i < ds->d->count; i++)
    cbc__free((void *)ds->d->decisions[i].reasons);
  ds->d->count = count;
  ds->n_found = found;
}

/* Whether a decision added since there were @p count calls for an award
 * not made yet. */
static bool awards_due(const cbc__decisions *ds, size_t count)
{
  for (size_t i = count; i < ds->d->count; i++)
    if (ds->d->decisions[i].eligible && !ds->d->decisions[i].award_id)
      return true;
  return false;
}

/* Note a closed major hazard's finder, for the labour medal. */
static int found_add(cbc__decisions *ds, int64_t finder, int64_t hazard_id)
{
  if (ds->n_found == ds->found_cap) {
    size_t cap = ds->found_cap ? 2 * ds->found_cap : 16;
    int64_t(*grown)[2] = cbc__realloc(ds->found, cap * sizeof(*grown));
    if (!grown)
      return cbc__error_oom();
    ds->found = grown;
    ds->found_cap = cap;
  }
  ds->found[ds->n_found][0] = finder;
  ds->found[ds->n_found++][1] = hazard_id;
  return 0;
}

void cbc__decisions_free(cbc__decisions *ds)
{
  cbc_reward_decisions_free(ds->d);
  cbc__free(ds->found);
  ds->d = NULL;
  ds->found = NULL;
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

static int by_found(const void *a, const void *b)
{
  const int64_t *x = a, *y = b;
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The medal decision of @p finder, who found @p found of the period's
 * closed major hazards. */
static int medal_decision(cbc_db *db, cbc__decisions *ds, int64_t finder, int64_t found)
{
  char why[160];
  int64_t need = ds->policy->medal_major;
  cbc_reward_decision d = { 0 };
  d.rule = CBC_RULE_LABOUR_MEDAL;
  d.subject_kind = CBC_SUBJECT_EMPLOYEE;
  d.subject_id = finder;
  d.eligible = found >= need;
  snprintf(why, sizeof(why), "major hazards found and closed %" PRId64 " %s %" PRId64, found,
           d.eligible ? ">=" : "<", need);
  cbc__actor a;
  int rc = cbc__actor_of(db, finder, &a);
  return rc ? rc : cbc__decision_add(db, ds, &d, ds->cause, a.place.unit, why);
}

/* Whether hazard @p id is (still) closed in [from, to). */
static int still_closed(cbc_db *db, int64_t id, int64_t from, int64_t to, bool *out)
{
  cbc_hazard h;
  int rc = cbc_store__hazard_get_move(db->store, id, &h);
  *out = !rc && h.state == CBC_HAZARD_CLOSED && h.closed_at >= from && h.closed_at < to;
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

/* The discovery decisions of the hazards closed in the period; the
 * finders of the major ones noted for the labour medal. */
static int hazards(cbc_db *db, cbc__decisions *ds, const char *lo, const char *hi, int64_t from,
                   int64_t to)
{
  int64_t *ids = NULL;
  size_t n = 0;
  bool large = false;
  int rc = cbc_store__subtree_is_large(db->store, lo, hi, &large);
  if (!rc)
    rc = cbc_store__hazards_closed_in(db->store, lo, hi, from, to, large, &ids, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    cbc_hazard h;
    int64_t finder = 0;
    rc = cbc_store__hazard_get_move(db->store, ids[i], &h);
    if (!rc)
      rc = cbc__reward_discovery(db, ds, &h, &finder);
    if (!rc && finder && h.severity == CBC_SEVERITY_MAJOR && ds->policy->medal_on)
      rc = found_add(ds, finder, h.id);
  }
  cbc__free(ids);
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

/* A real evaluation is decided and written in chunks, each chunk in one
 * write transaction of its own (docs/rewards.md, "At scale"): a part is
 * a unit's whole subtree, or a region's own records only (the region
 * split among its children's parts); a chunk is consecutive parts. */
typedef struct eval_part {
  int64_t unit_id;
  bool own; /* the unit's own records, not its descendants' */
} eval_part;

typedef struct eval_plan {
  eval_part *parts;
  size_t n, cap;
  size_t *ends; /* chunk k: parts [ends[k - 1] (0 for k = 0), ends[k]) */
  size_t chunks, chunk_cap;
  int64_t load;     /* the hazards of the chunk being filled */
  int64_t limit;    /* the most hazards a chunk is filled with */
  int64_t from, to; /* the period: a part's hazards are those reported in it */
} eval_plan;

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return 0;
  size_t more = *cap ? 2 * *cap : 16;
  void *grown = cbc__realloc(*items, more * size);
  if (!grown)
    return cbc__error_oom();
  *items = grown;
  *cap = more;
  return 0;
}

static size_t plan_filled(const eval_plan *plan)
{
  return plan->chunks ? plan->ends[plan->chunks - 1] : 0;
}

/* End the chunk being filled (if it holds a part). */
static int plan_close(eval_plan *plan)
{
  if (plan->n == plan_filled(plan))
    return 0;
  int rc = grow((void **)&plan->ends, &plan->chunk_cap, plan->chunks, sizeof(*plan->ends));
  if (!rc)
    plan->ends[plan->chunks++] = plan->n;
  plan->load = 0;
  return rc;
}

/* Add a part holding @p hazards, in a new chunk when it would overfill
 * the one being filled. */
static int plan_add(eval_plan *plan, int64_t unit_id, bool own, int64_t hazards)
{
  int rc = plan->load + hazards > plan->limit ? plan_close(plan) : 0;
  if (!rc)
    rc = grow((void **)&plan->parts, &plan->cap, plan->n, sizeof(*plan->parts));
  if (rc)
    return rc;
  plan->parts[plan->n++] = (eval_part){ unit_id, own };
  plan->load += hazards;
  return 0;
}

static void plan_free(eval_plan *plan)
{
  cbc__free(plan->parts);
  cbc__free(plan->ends);
}

/* [lo, hi) of a unit's own records: its path only (a child's path is the
 * unit's followed by printable characters); false if there is no room. */
static bool own_range(const char *lo, char *hi, size_t size)
{
  size_t len = strlen(lo);
  if (len + 2 > size)
    return false;
  memcpy(hi, lo, len);
  hi[len] = '\x01';
  hi[len + 1] = '\0';
  return true;
}

/* The ids and kinds of a unit's children (open or closed: their records
 * count). */
static int children_of(cbc_db *db, int64_t unit_id, int64_t (**out)[2], size_t *n)
{
  cbc_store_cursor *c = NULL;
  size_t cap = 0;
  cbc_unit u;
  *out = NULL;
  *n = 0;
  int rc = cbc_store__units_children(&c, db->store, unit_id);
  while (!rc && (rc = cbc_store__cursor_unit(c, &u)) == 0 &&
         (rc = grow((void **)out, &cap, *n, sizeof(**out))) == 0) {
    (*out)[*n][0] = u.id;
    (*out)[(*n)++][1] = u.kind;
  }
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* Plan unit @p unit_id's subtree: one part when it holds at most a
 * chunk's hazards, or is not a region (the Ankang Cup and Worker Pioneer
 * decide on an enterprise's, a workshop's or a team's whole subtree);
 * else the region's own records and each child's subtree, planned so. */
static int plan_unit(cbc_db *db, eval_plan *plan, int64_t unit_id, int kind)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t hazards = 0, (*children)[2] = NULL;
  size_t n = 0;
  int rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = cbc_store__hazards_in_range(db->store, lo, hi, plan->from, plan->to, &hazards);
  if (rc)
    return rc;
  if (hazards <= plan->limit || kind != CBC_UNIT_REGION || !own_range(lo, hi, sizeof(hi)))
    return plan_add(plan, unit_id, false, hazards);
  rc = cbc_store__hazards_in_range(db->store, lo, hi, plan->from, plan->to, &hazards);
  if (!rc)
    rc = plan_add(plan, unit_id, true, hazards);
  if (!rc)
    rc = children_of(db, unit_id, &children, &n);
  for (size_t i = 0; i < n && !rc; i++)
    rc = plan_unit(db, plan, children[i][0], (int)children[i][1]);
  cbc__free(children);
  return rc;
}

static int plan_make(cbc_db *db, eval_plan *plan, int64_t unit_id, int kind)
{
  int rc = plan_unit(db, plan, unit_id, kind);
  if (!rc)
    rc = plan_close(plan);
  cbc_store__done(db->store);
  return rc;
}

typedef struct evaluate_args {
  int64_t unit_id;
  cbc__decisions *ds;
  int64_t actor_id;    /* 0: none (cbc_reward_evaluate) */
  bool real;           /* not a dry run */
  cbc__policy *policy; /* ds->policy, read again by each transaction */
  const eval_plan *plan;
  cbc__chunk_hook hook;
  void *payload;
} evaluate_args;

/* A part's decisions (and, writing, their awards). */
static int evaluate_part(cbc_db *db, const evaluate_args *a, const eval_part *part)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t from = a->ds->d->from, to = a->ds->d->to;
  int rc = cbc_store__unit_range(db->store, part->unit_id, lo, hi, sizeof(lo));
  if (!rc && part->own)
    own_range(lo, hi, sizeof(hi)); /* there was room when planned */
  if (!rc)
    rc = hazards(db, a->ds, lo, hi, from, to);
  if (!rc)
    rc = proposals(db, a->ds, lo, hi, from, to);
  if (!rc && !part->own)
    rc = cbc__reward_collective(db, a->ds, part->unit_id, from, to);
  return rc;
}

/* The current policy and, for an actor, the right to evaluate: read again
 * by each transaction, which decides under them. */
static int evaluate_begin(cbc_db *db, const evaluate_args *a)
{
  int rc = cbc__policy_current(db, a->policy);
  if (!rc)
    a->ds->d->policy_version = a->policy->version;
  if (!rc && a->actor_id)
    rc = evaluator_check(db, a->unit_id, a->actor_id, a->real);
  return rc;
}

/* Parts or finders [first, end) of an evaluation. */
typedef struct eval_slice {
  const evaluate_args *a;
  size_t first, end;
} eval_slice;

/* One chunk, decided and (writing) its awards found or made, all in the
 * caller's transaction. */
static int evaluate_chunk(cbc_db *db, const void *args, int64_t *unused)
{
  const eval_slice *c = args;
  int rc = evaluate_begin(db, c->a);
  (void)unused;
  for (size_t i = c->first; i < c->end && !rc; i++)
    rc = evaluate_part(db, c->a, &c->a->plan->parts[i]);
  return rc;
}

/* The labour medal of the finders ds->found[first, end) (sorted): each
 * counted by their hazards still closed in the period, as this
 * transaction sees them. */
static int medal_batch(cbc_db *db, const void *args, int64_t *unused)
{
  const eval_slice *m = args;
  cbc__decisions *ds = m->a->ds;
  int64_t(*found)[2] = ds->found;
  int rc = evaluate_begin(db, m->a);
  (void)unused;
  for (size_t i = m->first; i < m->end && !rc;) {
    int64_t closed = 0;
    size_t j = i;
    for (; j < m->end && found[j][0] == found[i][0] && !rc; j++) {
      bool still = false;
      if (j > i && found[j][1] == found[j - 1][1])
        continue; /* a hazard met twice (its unit moved between chunks) */
      rc = still_closed(db, found[j][1], ds->d->from, ds->d->to, &still);
      closed += still;
    }
    if (!rc && closed && ds->policy->medal_on)
      rc = medal_decision(db, ds, found[i][0], closed);
    i = j;
  }
  return rc;
}

static int read_step(cbc_db *db, const eval_slice *slice, cbc__write_fn fn)
{
  int rc = fn(db, slice, NULL);
  cbc_store__done(db->store);
  return rc;
}

/* Run @p fn over @p slice, the hook called before: a dry run reads
 * without a transaction.  A real one decides and writes in a write
 * transaction of its own; when *optimistic (the step before made no
 * award: a repeated evaluation), it first decides reading without one,
 * and if every eligible decision found its award, that is the step (it
 * writes nothing, and other writers do not wait); else the reading
 * is forgotten and the step decided again in the write.  *optimistic:
 * whether this step made no award. */
static int evaluate_step(cbc_db *db, const eval_slice *slice, size_t step, cbc__write_fn fn,
                         bool *optimistic)
{
  const evaluate_args *a = slice->a;
  cbc__decisions *ds = a->ds;
  size_t count = ds->d->count, found = ds->n_found, made = ds->made;
  if (a->hook)
    a->hook(step, a->payload);
  if (!ds->write)
    return read_step(db, slice, fn);
  if (*optimistic) {
    ds->write = false;
    int rc = read_step(db, slice, fn);
    ds->write = true;
    if (rc || !awards_due(ds, count))
      return rc;
    decisions_truncate(ds, count, found);
  }
  int rc = cbc__db_write_call(db, 0, fn, slice, NULL);
  *optimistic = ds->made == made;
  return rc;
}

/* Each chunk in turn, then the labour medal in batches of at most
 * CBC__AWARD_BATCH finders: every award is one that a decision made in
 * the transaction writing it makes, and no transaction holds more than a
 * chunk (docs/rewards.md, "At scale"). */
static int evaluate_call(cbc_db *db, const evaluate_args *a)
{
  const eval_plan *plan = a->plan;
  cbc__decisions *ds = a->ds;
  int rc = 0;
  size_t step = 0;
  bool optimistic = true;
  for (; step < plan->chunks && !rc; step++) {
    eval_slice c = { a, step ? plan->ends[step - 1] : 0, plan->ends[step] };
    rc = evaluate_step(db, &c, step, evaluate_chunk, &optimistic);
  }
  if (!rc && ds->n_found)
    qsort(ds->found, ds->n_found, sizeof(*ds->found), by_found);
  for (size_t i = 0; i < ds->n_found && !rc; step++) {
    eval_slice m = { a, i, i };
    for (size_t finders = 0; m.end < ds->n_found; m.end++) {
      bool next = m.end == i || ds->found[m.end][0] != ds->found[m.end - 1][0];
      if (next && finders++ == CBC__AWARD_BATCH)
        break;
    }
    rc = evaluate_step(db, &m, step, medal_batch, &optimistic);
    i = m.end;
  }
  return rc;
}

/* The evaluation's setup: its period, unit and plan, its policy. */
static int evaluate_setup(cbc_db *db, int64_t unit_id, const cbc_period *period, bool write,
                          eval_plan *plan, int64_t *from, int64_t *to, cbc__policy *p)
{
  cbc_unit *u = NULL;
  int rc = write ? cbc__db_check_write(db) : cbc__db_check(db);
  if (!rc)
    rc = cbc_period_bounds(from, to, db, period);
  if (!rc)
    rc = cbc_unit_lookup(&u, db, unit_id);
  plan->from = *from;
  plan->to = *to;
  if (!rc)
    rc = plan_make(db, plan, unit_id, u->kind);
  cbc_unit_free(u);
  if (!rc)
    rc = cbc__policy_current(db, p);
  return rc;
}

int cbc__reward_evaluate_chunked(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                 const cbc_period *period, unsigned int flags,
                                 int64_t actor_id, int64_t chunk_hazards, cbc__chunk_hook hook,
                                 void *payload, size_t *chunks)
{
  char cause[64];
  int64_t from = 0, to = 0;
  cbc__policy p;
  cbc__decisions ds;
  eval_plan plan = { 0 };
  bool write = !(flags & CBC_EVALUATE_DRY_RUN);
  plan.limit = chunk_hazards > 0 ? chunk_hazards : CBC__CHUNK_HAZARDS;
  int rc = flags_check(flags);
  if (!rc)
    rc = evaluate_setup(db, unit_id, period, write, &plan, &from, &to, &p);
  if (!rc)
    rc = cbc__decisions_new(&ds, &p, write);
  if (rc) {
    plan_free(&plan);
    return rc;
  }
  period_cause(period, cause, sizeof(cause));
  ds.cause = cause;
  ds.d->from = from;
  ds.d->to = to;
  evaluate_args a = { unit_id, &ds, actor_id, write, &p, &plan, hook, payload };
  rc = evaluate_call(db, &a);
  if (chunks)
    *chunks = plan.chunks;
  plan_free(&plan);
  cbc__free(ds.found);
  ds.found = NULL;
  if (rc) {
    cbc__decisions_free(&ds);
    return rc;
  }
  if (ds.d->count)
    qsort(ds.d->decisions, ds.d->count, sizeof(*ds.d->decisions), by_decision);
  *out = ds.d;
  return 0;
}

static int evaluate_for(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                        const cbc_period *period, unsigned int flags, int64_t actor_id)
{
  return cbc__reward_evaluate_chunked(out, db, unit_id, period, flags, actor_id, 0, NULL, NULL,
                                      NULL);
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
