/* Discovery rewards (docs/rewards.md, anti-gaming): a closed hazard's
 * reports, the first valid reporter, the decisions; what a hazard's
 * closure and reopening do to the ledger; the explanation of one hazard. */
#include "reward_internal.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The rule a report earns under: tip-offs by their channel, else by the
 * severity (as registered; a report not yet assessed: as proposed). */
static cbc_reward_rule discovery_rule(const cbc_store_candidate *c, const cbc_hazard *h)
{
  cbc_severity severity = h->severity ? h->severity : h->proposed_severity;
  if (c->source == CBC_SOURCE_HOTLINE)
    return CBC_RULE_HOTLINE_TIP;
  return severity == CBC_SEVERITY_MAJOR ? CBC_RULE_MAJOR_HAZARD : CBC_RULE_GENERAL_HAZARD;
}

/* Whether @p rule pays a share of the hazard's penalty under @p p. */
static bool pays_share(const cbc__policy *p, cbc_reward_rule rule)
{
  return rule == CBC_RULE_HOTLINE_TIP && p->tip_percent > 0;
}

/* A share of penalty @p fine_fen (0: none recorded) under @p p: the
 * percent, rounded to the fen, then at least the minimum and at most the
 * maximum (0: none); 0 for a hazard the rule leaves out. */
static int64_t share_of(const cbc__policy *p, const cbc_hazard *h, int64_t fine_fen)
{
  if (!fine_fen || (p->tip_major_only && h->severity != CBC_SEVERITY_MAJOR))
    return 0;
  int64_t share = (int64_t)((double)fine_fen * p->tip_percent / 100.0 + 0.5);
  if (share < p->tip_min)
    share = p->tip_min;
  return p->tip_max && share > p->tip_max ? p->tip_max : share;
}

/* What @p rule pays for hazard @p h, whose penalty is @p fine_fen. */
static int64_t rule_pays(const cbc__policy *p, cbc_reward_rule rule, const cbc_hazard *h,
                         int64_t fine_fen)
{
  return pays_share(p, rule) ? share_of(p, h, fine_fen) : p->amount[rule];
}

static void discovery_decision(cbc_reward_decision *d, const cbc_store_candidate *c,
                               const cbc_hazard *h, const cbc__policy *p, int64_t fine_fen)
{
  memset(d, 0, sizeof(*d));
  d->rule = discovery_rule(c, h);
  d->subject_kind = c->reporter_id ? CBC_SUBJECT_EMPLOYEE : CBC_SUBJECT_ANONYMOUS;
  d->subject_id = c->reporter_id ? c->reporter_id : c->hazard_id;
  d->hazard_id = h->id;
  d->amount_fen = rule_pays(p, d->rule, h, fine_fen);
}

/* A hazard's reports, in report order, and the first valid one. */
typedef struct group {
  cbc_store_candidate *c;
  size_t n;
  size_t first;        /* n: none is valid */
  int64_t responsible; /* at registration, when the policy excludes them; else 0 */
  int64_t fine_fen;    /* its administrative penalty; 0 when none is recorded */
} group;

/* The reports of hazard @p h and its penalty, not yet judged (first = n). */
static int group_read(cbc_db *db, const cbc_hazard *h, group *g)
{
  cbc_hazard_penalty penalty;
  bool found;
  memset(g, 0, sizeof(*g));
  int rc = cbc_store__discovery_candidates(db->store, h->id, &g->c, &g->n);
  g->first = g->n;
  if (!rc)
    rc = cbc_store__penalty_get(db->store, h->id, &penalty, &found);
  if (!rc && found)
    g->fine_fen = penalty.amount_fen;
  cbc__free(!rc && found ? penalty.document : NULL);
  return rc;
}

/* Find the first valid report under policy @p p. */
static int group_judge(cbc_db *db, const cbc__policy *p, const cbc_hazard *h, group *g)
{
  int rc = 0;
  g->responsible = 0;
  if (g->n && !p->responsible_rewarded)
    rc = cbc_store__registered_responsible(db->store, h->id, &g->responsible);
  for (g->first = 0; g->first < g->n; g->first++)
    if (!g->c[g->first].reporter_id || g->c[g->first].reporter_id != g->responsible)
      break;
  return rc;
}

/* Whether any report's rule pays under @p p (else a closure decides nothing). */
static bool any_pays(const cbc__policy *p, const cbc_hazard *h, const group *g)
{
  for (size_t i = 0; i < g->n; i++)
    if (rule_pays(p, discovery_rule(&g->c[i], h), h, g->fine_fen))
      return true;
  return false;
}

/* Whether the first valid report's rule would pay a share of a penalty not
 * recorded yet: the decision waits for it (cbc_hazard_record_penalty). */
static bool awaits_penalty(const cbc__policy *p, const cbc_hazard *h, const group *g)
{
  if (g->first == g->n || g->fine_fen)
    return false;
  return pays_share(p, discovery_rule(&g->c[g->first], h)) &&
         (!p->tip_major_only || h->severity == CBC_SEVERITY_MAJOR);
}

/* The one decision while a share awaits the penalty: not yet eligible. */
static int awaiting(cbc_db *db, cbc__decisions *ds, const cbc__policy *p, const cbc_hazard *h,
                    const group *g, const char *cause)
{
  char why[240];
  cbc_reward_decision d;
  discovery_decision(&d, &g->c[g->first], h, p, 0);
  snprintf(why, sizeof(why), "hazard %" PRId64 " verified and closed; report %" PRId64
           " is the first valid; its reward is a share of the administrative penalty, which"
           " is not recorded yet", h->id, g->c[g->first].hazard_id);
  return cbc__decision_add(db, ds, &d, cause, h->unit_id, why);
}

/* One decision per report when the first valid report's rule pays (or,
 * with none valid, when any would): earlier reports say why they may not
 * be rewarded, later ones that they came later. */
static int group_decisions(cbc_db *db, cbc__decisions *ds, const cbc__policy *p,
                           const cbc_hazard *h, const group *g)
{
  char cause[40], why[320];
  const char *named = cbc_severity_name(h->severity);
  const char *kind = named ? named : "unassessed";
  bool pays = false;
  for (size_t i = 0; i < g->n; i++)
    pays = pays || ((i == g->first || g->first == g->n) &&
                    rule_pays(p, discovery_rule(&g->c[i], h), h, g->fine_fen));
  snprintf(cause, sizeof(cause), "hazard:%" PRId64, h->id);
  if (!pays && awaits_penalty(p, h, g))
    return awaiting(db, ds, p, h, g, cause);
  int rc = 0;
  for (size_t i = 0; pays && i < g->n && !rc; i++) {
    cbc_reward_decision d;
    discovery_decision(&d, &g->c[i], h, p, g->fine_fen);
    d.eligible = i == g->first;
    if (i < g->first)
      snprintf(why, sizeof(why), "reporter %" PRId64 " was the responsible person when hazard %"
               PRId64 " was registered", g->c[i].reporter_id, h->id);
    else if (i > g->first)
      snprintf(why, sizeof(why), "report %" PRId64 " came after report %" PRId64
               " of the same %s hazard %" PRId64 "; only the first valid reporter is rewarded",
               g->c[i].hazard_id, g->c[g->first].hazard_id, kind, h->id);
    else
      snprintf(why, sizeof(why), "%s hazard %" PRId64 " verified and closed; report %" PRId64
               " is the first valid of %zu report%s", kind, h->id, g->c[i].hazard_id, g->n,
               g->n == 1 ? "" : "s");
    if (i == g->first && pays_share(p, d.rule))
      snprintf(why + strlen(why), sizeof(why) - strlen(why), "; %g%% of the penalty of %"
               PRId64 " fen", p->tip_percent, g->fine_fen);
    if (!d.eligible)
      d.amount_fen = 0;
    rc = cbc__decision_add(db, ds, &d, cause, h->unit_id, why);
  }
  return rc;
}

/* The policy a hazard's discovery is judged by: the version its award was
 * made with, if it has one (so the explanation matches the ledger), else
 * the evaluation's. */
static int policy_for(cbc_db *db, const cbc__decisions *ds, const cbc_hazard *h,
                      cbc__policy *local, const cbc__policy **use)
{
  int64_t version = 0;
  *use = ds->policy;
  int rc = cbc_store__award_policy_of_hazard(db->store, h->id, &version);
  if (!rc && version && version != ds->policy->version) {
    rc = cbc__policy_version(db, version, local);
    *use = local;
  }
  return rc;
}

int cbc__reward_discovery(cbc_db *db, cbc__decisions *ds, const cbc_hazard *h, int64_t *finder)
{
  cbc__policy local;
  const cbc__policy *p;
  group g = { 0 };
  *finder = 0;
  int rc = policy_for(db, ds, h, &local, &p);
  if (!rc)
    rc = group_read(db, h, &g);
  if (!rc)
    rc = group_judge(db, p, h, &g);
  if (!rc && g.first < g.n)
    *finder = g.c[g.first].reporter_id;
  if (!rc)
    rc = group_decisions(db, ds, p, h, &g);
  cbc__free(g.c);
  return rc;
}

/* At a closure: the award, when a rule pays and the hazard has none yet
 * (closed before and reopened: it keeps the one it has).  The common
 * closure that pays nothing costs one query. */
static int closed(cbc_db *db, const cbc__policy *p, const cbc_hazard *h)
{
  cbc__decisions ds;
  group g;
  int64_t version = 0;
  int rc = group_read(db, h, &g);
  bool decide = !rc && any_pays(p, h, &g);
  if (decide)
    rc = cbc_store__award_policy_of_hazard(db->store, h->id, &version);
  decide = decide && !rc && !version;
  if (decide)
    rc = group_judge(db, p, h, &g);
  if (decide && !rc && (rc = cbc__decisions_new(&ds, p, true)) == 0) {
    rc = group_decisions(db, &ds, p, h, &g);
    cbc_reward_decisions_free(ds.d);
  }
  cbc__free(g.c);
  return rc;
}

/* A hazard that is not closed earns nothing; say why. */
static int not_closed(cbc_db *db, cbc__decisions *ds, const cbc_hazard *h)
{
  char why[200];
  cbc_reward_decision d;
  cbc_store_candidate c = { h->id, h->reporter_id, h->source, h->unit_id };
  discovery_decision(&d, &c, h, ds->policy, 0);
  d.amount_fen = 0;
  if (h->state == CBC_HAZARD_REJECTED && h->duplicate_of)
    snprintf(why, sizeof(why), "hazard %" PRId64 " was rejected as a duplicate of hazard %"
             PRId64 ", whose closure decides", h->id, h->duplicate_of);
  else
    snprintf(why, sizeof(why), "hazard %" PRId64 " is %s: %s", h->id,
             cbc_hazard_state_name(h->state),
             h->state == CBC_HAZARD_REJECTED ? "rejected reports earn nothing"
                                             : "only a verified, closed hazard is rewarded");
  return cbc__decision_add(db, ds, &d, "", h->unit_id, why);
}

int cbc__reward_hazard_moved(cbc_db *db, const cbc_hazard *h, cbc_hazard_action action)
{
  cbc__policy p;
  if (action == CBC_ACTION_REOPEN)
    return cbc_store__award_flag_hazard(db->store, h->id, cbc_db_now(db));
  if (action != CBC_ACTION_VERIFY_PASS)
    return 0;
  int rc = cbc__policy_current(db, &p);
  if (rc || (p.amount[CBC_RULE_MAJOR_HAZARD] == 0 && p.amount[CBC_RULE_GENERAL_HAZARD] == 0 &&
             p.amount[CBC_RULE_HOTLINE_TIP] == 0 && p.tip_percent == 0))
    return rc;
  return closed(db, &p, h);
}

int cbc__reward_penalty_recorded(cbc_db *db, const cbc_hazard *h)
{
  cbc__policy p;
  if (h->state != CBC_HAZARD_CLOSED)
    return 0; /* its closure decides */
  int rc = cbc__policy_current(db, &p);
  return rc || p.tip_percent == 0 ? rc : closed(db, &p, h);
}

CBC_EXTERN(int) cbc_reward_explain_hazard(cbc_reward_decisions **out, cbc_db *db,
                                          int64_t hazard_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc__policy p;
  cbc__decisions ds;
  cbc_hazard *h = NULL;
  int64_t finder;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_hazard_lookup(&h, db, hazard_id);
  if (!rc)
    rc = cbc__policy_current(db, &p);
  if (!rc && (rc = cbc__decisions_new(&ds, &p, false)) == 0) {
    rc = h->state == CBC_HAZARD_CLOSED ? cbc__reward_discovery(db, &ds, h, &finder)
                                       : not_closed(db, &ds, h);
    if (rc)
      cbc_reward_decisions_free(ds.d);
    else
      *out = ds.d;
  }
  cbc_hazard_free(h);
  return rc;
}
