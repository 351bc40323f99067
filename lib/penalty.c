/* Administrative penalties (include/cbc/reward.h): a bureau inspector
 * records the fine imposed for a hazard, once; a hotline tip-off's reward
 * may be a share of it (lib/reward_discovery.c, docs/rewards.md). */
#include "hazard_internal.h"
#include "reward_internal.h"
#include "fsm.h"
#include "org_scope.h"
#include <string.h>

typedef struct penalty_args {
  int64_t hazard_id, actor_id, amount_fen;
  const char *document;
} penalty_args;

static int check_args(const penalty_args *a)
{
  if (a->amount_fen < 1 || a->amount_fen > CBC_MAX_AMOUNT_FEN)
    return cbc__error(CBC_EINVAL, "a penalty is 1..%lld fen, not %lld",
                      (long long)CBC_MAX_AMOUNT_FEN, (long long)a->amount_fen);
  return cbc__text_check("document", a->document, 1, CBC_MAX_TITLE);
}

/* The hazard takes a penalty: registered, not rejected, none recorded. */
static int check_hazard(cbc_db *db, const cbc_hazard *h)
{
  cbc_hazard_penalty old;
  bool found;
  if (h->state == CBC_HAZARD_REJECTED)
    return cbc__error(CBC_ESTATE, "hazard %lld was rejected: no penalty is recorded for it",
                      (long long)h->id);
  if (!h->severity)
    return cbc__error(CBC_ESTATE, "hazard %lld is not registered yet", (long long)h->id);
  int rc = cbc_store__penalty_get(db->store, h->id, &old, &found);
  if (!rc && found)
    rc = cbc__error(CBC_ESTATE, "hazard %lld already has its penalty (%s)", (long long)h->id,
                    old.document);
  cbc__free(!rc || found ? old.document : NULL);
  return rc;
}

/* A bureau inspector sitting in a region node at or above the hazard. */
static int check_inspector(cbc_db *db, int64_t actor_id, const cbc_hazard *h)
{
  cbc__actor_facts f;
  int rc = cbc__hazard_actor_facts(db, actor_id, h, &f);
  if (!rc && !(f.active && (f.roles & CBC_ROLE_BUREAU_INSPECTOR) && f.in_region))
    rc = cbc__error(CBC_EPERM, "not allowed: a penalty is recorded by an active bureau "
                               "inspector over the hazard's unit");
  return rc;
}

static int record_penalty(cbc_db *db, const void *args, int64_t *out_id)
{
  const penalty_args *a = args;
  cbc_hazard *h = NULL;
  (void)out_id;
  int rc = cbc_hazard_lookup(&h, db, a->hazard_id);
  if (!rc) /* who first: a refusal tells nobody else about the penalty */
    rc = check_inspector(db, a->actor_id, h);
  if (!rc)
    rc = check_hazard(db, h);
  cbc_hazard_penalty p = { a->hazard_id, a->amount_fen, (char *)a->document, a->actor_id,
                           cbc_db_now(db) };
  if (!rc)
    rc = cbc_store__penalty_insert(db->store, &p, h->enterprise_id);
  if (!rc)
    rc = cbc__reward_penalty_recorded(db, h);
  cbc_hazard_free(h);
  return rc;
}

CBC_EXTERN(int) cbc_hazard_record_penalty(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                          int64_t amount_fen, const char *document)
{
  penalty_args a = { hazard_id, actor_id, amount_fen, document };
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = check_args(&a);
  return rc ? rc : cbc__db_write_call(db, 0, record_penalty, &a, NULL);
}

/* Whether the person may record the hazard's penalty now: the same
 * checks as the recording, their refusals an answer. */
static int weigh_penalty(cbc_db *db, const cbc__question *q, unsigned int *yes)
{
  cbc_hazard *h = NULL;
  int rc = cbc_hazard_lookup(&h, db, q->id);
  int refused = rc ? 0 : check_inspector(db, q->actor_id, h);
  if (!rc && !refused)
    refused = check_hazard(db, h);
  if (!rc && !cbc__is_refusal(refused))
    rc = refused;
  *yes = !rc && !refused;
  cbc_hazard_free(h);
  return rc;
}

CBC_EXTERN(int) cbc_hazard_may_record_penalty(int *out, cbc_db *db, int64_t hazard_id,
                                              int64_t actor_id)
{
  CBC__CHECK_ARG(out);
  unsigned int yes = 0;
  cbc__question q = { 0, hazard_id, actor_id };
  int rc = cbc__question_answer(&yes, db, "hazard", weigh_penalty, &q);
  *out = (int)yes;
  return rc;
}

CBC_EXTERN(void) cbc_hazard_penalty_free(cbc_hazard_penalty *penalty)
{
  if (!penalty)
    return;
  cbc__free(penalty->document);
  cbc__free(penalty);
}

CBC_EXTERN(int) cbc_hazard_penalty_get(cbc_hazard_penalty **out, cbc_db *db, int64_t hazard_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_hazard *h = NULL;
  bool found = false;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_hazard_lookup(&h, db, hazard_id); /* CBC_ENOTFOUND names the hazard */
  cbc_hazard_free(h);
  cbc_hazard_penalty *p = rc ? NULL : cbc__calloc(1, sizeof(*p));
  if (!rc && !p)
    rc = cbc__error_oom();
  if (!rc)
    rc = cbc_store__penalty_get(db->store, hazard_id, p, &found);
  if (!rc && !found)
    rc = cbc__error(CBC_ENOTFOUND, "hazard %lld has no penalty recorded", (long long)hazard_id);
  cbc_store__done(db->store);
  if (rc) {
    cbc_hazard_penalty_free(p);
    return rc;
  }
  *out = p;
  return 0;
}
