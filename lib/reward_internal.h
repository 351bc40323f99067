/* Rewards (include/cbc/reward.h): the parsed policy, and what the hazard
 * moves call.  Not exported. */
#ifndef CBC_REWARD_INTERNAL_H
#define CBC_REWARD_INTERNAL_H

#include "db_internal.h"
#include "cbc/reward.h"

/* A policy, parsed (lib/policy.c; the keys are in docs/rewards.md). */
typedef struct cbc__policy {
  int64_t version;
  int64_t amount[CBC_RULE_PROPOSAL + 1]; /* fen, by rule MAJOR_HAZARD..PROPOSAL */
  bool responsible_rewarded;
  bool medal_on;
  int64_t medal_major;
  bool pioneer_on;
  int64_t pioneer_closed, pioneer_overdue_major;
  double pioneer_on_time, pioneer_training, pioneer_drill;
  bool cup_on;
  int64_t cup_drills, cup_months_without_data;
  double cup_training, cup_drill_teams, cup_disposal;
  bool cup_from_filings;         /* Ankang Cup counts monthly forms not filed on time */
  int64_t cup_months_not_filed; /* ... at most this many */
  int64_t form_due_day;     /* the monthly form's due day, 1..31 (filing.c) */
  bool form_due_next_month; /* of the month after the period's */
  int64_t major_report_days; /* the major-hazard report's due: days after the report's day */
  double tip_percent;        /* hotline_tip: a share of the penalty instead (0: off) ... */
  int64_t tip_min, tip_max;  /* ... at least, and at most (0: no cap) ... */
  bool tip_major_only;       /* ... and for major hazards only */
} cbc__policy;

/* The current policy (version 1 = the defaults when none is stored). */
int cbc__policy_current(cbc_db *db, cbc__policy *out);
/* Store version 1 (the defaults) if nothing is stored yet, inside a write. */
int cbc__policy_store_first(cbc_db *db);
void cbc__policy_cache_free(cbc_db *db);
/* CBC_EPERM unless @p actor_id is an active union cadre (CBC_ENOTFOUND: unknown). */
int cbc__cadre_check(cbc_db *db, int64_t actor_id);
/* CBC_EPERM unless @p actor_id is the union over @p unit_id: an active union
 * cadre sitting in a region node at or above it; the message says the
 * person may not @p doing (e.g. "act on the awards of") over the unit. */
int cbc__union_over_check(cbc_db *db, int64_t unit_id, int64_t actor_id, const char *doing);

/* Called by every hazard move inside its write, after the row is written
 * (@p h as it is now): a verified closure makes its discovery award; a
 * reopen flags it for review. */
int cbc__reward_hazard_moved(cbc_db *db, const cbc_hazard *h, cbc_hazard_action action);
/* After hazard @p h's penalty was recorded (cbc_hazard_record_penalty): a
 * closed hazard's award, when the policy pays tip-offs a share of it. */
int cbc__reward_penalty_recorded(cbc_db *db, const cbc_hazard *h);

/* The decisions being built by an evaluation (lib/reward_eval.c). */
typedef struct cbc__decisions {
  cbc_reward_decisions *d;
  size_t cap;
  bool write;          /* make award records, in the caller's write transaction */
  size_t made;         /* award records made */
  const char *cause;   /* the period's cause, "period:..." */
  const cbc__policy *policy;
  int64_t (*found)[2]; /* the period's closed major hazards: (finder, hazard) */
  size_t n_found, found_cap;
} cbc__decisions;

int cbc__decisions_new(cbc__decisions *ds, const cbc__policy *policy, bool write);
/* Add a decision; @p reasons is copied.  With write set and eligible, the
 * award record is found or made now, inside the caller's write (unit_id:
 * where the summary counts it). */
int cbc__decision_add(cbc_db *db, cbc__decisions *ds, const cbc_reward_decision *d,
                      const char *cause, int64_t unit_id, const char *reasons);
/* The labour-medal decisions an evaluation makes in one transaction: the
 * finders of at most this many (docs/rewards.md, "At scale"). */
#define CBC__AWARD_BATCH CBC_EVALUATE_AWARD_BATCH
/* An evaluation's chunk, by default: subtrees holding at most this many
 * hazards reported in the period are decided and written in one
 * transaction. */
#define CBC__CHUNK_HAZARDS 20000
void cbc__decisions_free(cbc__decisions *ds);
/* Called between an evaluation's transactions (tests: another
 * connection's writes), with the number of the chunk about to be
 * evaluated and the payload. */
typedef void (*cbc__chunk_hook)(size_t chunk, void *payload);
/* cbc_reward_evaluate_as() (actor_id 0: cbc_reward_evaluate()) in chunks
 * of at most @p chunk_hazards hazards (CBC__CHUNK_HAZARDS; tests force
 * small ones), @p hook (may be NULL) called before each chunk and before
 * the labour medal's batches; *chunks (may be NULL) gets the number of
 * chunks evaluated. */
int cbc__reward_evaluate_chunked(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                 const cbc_period *period, unsigned int flags,
                                 int64_t actor_id, int64_t chunk_hazards, cbc__chunk_hook hook,
                                 void *payload, size_t *chunks);
/* The discovery decisions of closed hazard @p h (lib/reward_discovery.c),
 * under the policy its award was made with if it has one; *finder: the
 * employee whose report was the first valid one, whatever the rule pays
 * (0: none, or an anonymous tip-off). */
int cbc__reward_discovery(cbc_db *db, cbc__decisions *ds, const cbc_hazard *h, int64_t *finder);
/* Policy version @p version, parsed. */
int cbc__policy_version(cbc_db *db, int64_t version, cbc__policy *out);
/* The collective rules (lib/reward_collective.c). */
int cbc__reward_collective(cbc_db *db, cbc__decisions *ds, int64_t unit_id, int64_t from,
                           int64_t to);

#endif
