/**
 * @file cbc/reward.h
 * @brief Rewards and honours (docs/domain.md §4): the policy, explainable
 *        evaluation, the award ledger, and internal fines.
 *
 * The **policy** is a JSON document stored in the database in numbered
 * versions; the rules, their keys and their defaults are in docs/rewards.md.
 * Amounts are in fen (1/100 yuan), rates in percent (0..100).
 *
 * **Evaluation** applies the current policy to the records: for a period
 * and a subtree (cbc_reward_evaluate()), and by itself when a hazard is
 * verified and closed (its discovery reward).  It returns decisions, each
 * with its subject, rule, verdict and the figures behind it; the same data
 * and the same policy always give the same decisions in the same order.
 * Every eligible decision becomes an **award** record, once: evaluating
 * again finds the record instead of adding a second one.
 *
 * An award moves proposed → approved → paid (money) or proposed → approved
 * (honours), or is declined with a reason; each step keeps who and when.
 * The union over an award's unit acts on it (an active union cadre sitting
 * in a region node at or above the unit; since 1.2, not any union cadre);
 * cbc_award_moves() says which steps a person may take now.  A hazard
 * reopened after closure flags its award for review; a flagged award is
 * neither approved nor paid until the union over its unit reviews it.
 */
#ifndef CBC_REWARD_H
#define CBC_REWARD_H

#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Limits, in bytes of UTF-8
 * @{ */
#define CBC_MAX_POLICY 65536     /**< a policy document */
#define CBC_MAX_REWARD_TEXT 2000 /**< reasons, notes, payment references, fine reasons;
                                      a payment reference is single-line, the others are
                                      long texts with tabs and line breaks (org.h) */
/** The largest amount, in fen (a billion yuan), of a policy's reward or of a fine. */
#define CBC_MAX_AMOUNT_FEN 100000000000
/** @} */

/* ------------------------------------------------------------------ */
/** @name The policy
 * @{ */

/**
 * The built-in default policy as a complete JSON document (every rule and
 * key, pretty-printed).  A database starts with it as version 1.
 * @param[out] out  owned by the caller, freed with cbc_free()
 * @return 0; CBC_EINVAL (NULL @p out); CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_policy_defaults(char **out);

/**
 * A named policy preset as a complete JSON document: the built-in defaults
 * with the preset's keys, ready for cbc_policy_set() (docs/rewards.md).
 * Presets:
 * - "whistleblower_2018": the national rule for rewarding reports in work
 *   safety (安全生产领域举报奖励办法, 安监总财〔2018〕19号) as the
 *   `hotline_tip` rule: a verified major-hazard tip-off earns 15 % of the
 *   administrative penalty (cbc_hazard_record_penalty()), at least 3,000
 *   and at most 300,000 yuan; only the first valid report; an anonymous
 *   reporter claims with the follow-up key.
 * @param[out] out  owned by the caller, freed with cbc_free()
 * @param name      the preset
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND (no such preset:
 *         the message lists them); CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_policy_preset(char **out, const char *name);

/**
 * Store a new version of the policy.  Keys left out keep the values of the
 * built-in defaults (not of the current version), so a stored version is
 * always the complete document cbc_policy_get() returns.
 * @param[out] out_version  the new version number (may be NULL)
 * @param db                the database
 * @param json              the document; at most CBC_MAX_POLICY bytes
 * @param actor_id          who sets it: an active union cadre
 * @return 0; CBC_EINVAL (malformed JSON; an unknown rule or key; a value
 *         of the wrong type; a negative amount; a rate outside 0..100; the
 *         message names the key); CBC_ENOTFOUND (unknown actor); CBC_EPERM
 *         (not a union cadre; read-only); CBC_EBUSY; CBC_EIO; CBC_ENOMEM.
 *         Nothing is stored on error.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_policy_set(int64_t *out_version, cbc_db *db, const char *json,
                               int64_t actor_id);

/**
 * A stored version of the policy, as a complete JSON document.
 * @param[out] out          owned by the caller, freed with cbc_free()
 * @param[out] out_version  the version returned (may be NULL)
 * @param db                the database
 * @param version           the version, or 0 for the current one
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND (no such version); CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_policy_get(char **out, int64_t *out_version, cbc_db *db, int64_t version);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Evaluation
 * @{ */

/** The rules a policy configures. */
typedef enum cbc_reward_rule {
  CBC_RULE_MAJOR_HAZARD = 1,   /**< "major_hazard": finder of a verified major hazard */
  CBC_RULE_GENERAL_HAZARD = 2, /**< "general_hazard": finder of a verified general hazard */
  CBC_RULE_HOTLINE_TIP = 3,    /**< "hotline_tip": a verified 12350 / 有奖举报 tip-off */
  CBC_RULE_PROPOSAL = 4,       /**< "adopted_proposal": an adopted 合理化建议 */
  CBC_RULE_LABOUR_MEDAL = 5,   /**< "labour_medal": recommendation for 劳动奖章 */
  CBC_RULE_WORKER_PIONEER = 6, /**< "worker_pioneer": 工人先锋号, teams and workshops */
  CBC_RULE_ANKANG_CUP = 7      /**< "ankang_cup": 安康杯 eligibility, enterprises */
} cbc_reward_rule;

/**
 * The policy name of a rule ("major_hazard", ...).
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_reward_rule_name(cbc_reward_rule rule);

/** Who a decision is about. */
typedef enum cbc_subject_kind {
  CBC_SUBJECT_EMPLOYEE = 1,  /**< subject_id: an employee */
  CBC_SUBJECT_ANONYMOUS = 2, /**< subject_id: the anonymous tip-off's hazard; paid only
                                  against its follow-up key */
  CBC_SUBJECT_TEAM = 3,      /**< subject_id: a team */
  CBC_SUBJECT_WORKSHOP = 4,  /**< subject_id: a workshop */
  CBC_SUBJECT_UNIT = 5       /**< subject_id: an enterprise */
} cbc_subject_kind;

/**
 * The name of a subject kind ("employee", "anonymous", "team", "workshop", "unit").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_subject_kind_name(cbc_subject_kind kind);

/** One decision of an evaluation. */
typedef struct cbc_reward_decision {
  cbc_reward_rule rule;          /**< the rule */
  cbc_subject_kind subject_kind; /**< who */
  int64_t subject_id;            /**< see cbc_subject_kind */
  int eligible;                  /**< 1 eligible, 0 not */
  int64_t hazard_id;             /**< the hazard it is for, or 0 */
  int64_t proposal_id;           /**< the proposal it is for, or 0 */
  int64_t amount_fen;            /**< money for an eligible reward; 0 for honours */
  const char *reasons;           /**< the figures that decided it, "; "-separated,
                                      e.g. "training coverage 93.4% < 100%" */
  int64_t award_id;              /**< its award record (new or found), or 0 */
} cbc_reward_decision;

/** The decisions of one evaluation (library-allocated; fields may be appended). */
typedef struct cbc_reward_decisions {
  int64_t policy_version;         /**< the policy version applied */
  int64_t from;                   /**< the period's start (0 for one hazard) */
  int64_t to;                     /**< its end, exclusive (0 for one hazard) */
  size_t count;                   /**< number of decisions */
  cbc_reward_decision *decisions; /**< by rule, then subject, then hazard or proposal */
} cbc_reward_decisions;

/** The most finders whose labour-medal decisions a real evaluation makes
 * and writes in one transaction; the other decisions are made and written
 * by chunks of the unit tree (cbc_reward_evaluate()). @since 1.2 */
#define CBC_EVALUATE_AWARD_BATCH 256

/** Flags for cbc_reward_evaluate(). */
typedef enum cbc_evaluate_flag {
  CBC_EVALUATE_DRY_RUN = 1u << 0 /**< decide only; write no award */
} cbc_evaluate_flag;

/**
 * Evaluate every rule of the current policy for a period over the subtree
 * of a unit: discovery rewards for the hazards closed in the period,
 * rewards for the proposals adopted in it, the labour-medal recommendation,
 * Worker Pioneer for every open team and workshop, Ankang Cup for every open
 * enterprise.  Eligible decisions become award records (proposed) unless
 * @p flags has CBC_EVALUATE_DRY_RUN; existing ones are found, not repeated.
 *
 * A real evaluation is made in chunks of the unit tree (a region's
 * children's subtrees, packed up to a bounded number of hazards; a small
 * subtree is one chunk), each chunk decided and its awards written in one
 * write transaction of its own, then the labour medal in transactions of
 * at most CBC_EVALUATE_AWARD_BATCH finders: no writer waits long for a
 * whole city's year, and every award is one a decision made in the
 * transaction writing it makes (docs/rewards.md, "At scale").  Each
 * transaction applies the policy current then.  Inside a cbc_db_begin()
 * group they are the group's.  On an error, or a process killed midway,
 * the chunks committed before it stay (whole chunks or nothing); calling
 * again finishes the ledger: an award is unique for its rule, subject and
 * cause, so the rerun finds those and makes only the missing ones, and
 * the ledger is the one an uninterrupted run makes.
 * @param[out] out    owned by the caller, freed with cbc_reward_decisions_free()
 * @param db          the database
 * @param unit_id     the subtree's root
 * @param period      the period (see cbc_period_bounds())
 * @param flags       cbc_evaluate_flag bits
 * @return 0; CBC_EINVAL (a bad period or flags); CBC_ENOTFOUND (unknown
 *         unit); CBC_EPERM (read-only, without DRY_RUN); CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM.  On an error only the awards of whole chunks are
 *         stored (none when it came before the first; always none for bad
 *         arguments); evaluate again to finish.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_reward_evaluate(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                    const cbc_period *period, unsigned int flags);

/**
 * cbc_reward_evaluate() on behalf of a person, for front ends that act for
 * their users (docs/rewards.md, "Who may evaluate").  A real evaluation
 * proposes awards, so it is the union's: @p actor_id must be an active
 * union cadre sitting in a region node at or above @p unit_id (the union
 * over the unit).  A dry run writes nothing: whoever may read the unit
 * (cbc_unit_readable()) may run it.  Refused, it writes nothing.
 * @param[out] out    owned by the caller, freed with cbc_reward_decisions_free()
 * @param db          the database
 * @param unit_id     the subtree's root
 * @param period      the period (see cbc_period_bounds())
 * @param flags       cbc_evaluate_flag bits
 * @param actor_id    the person evaluating: an employee
 * @return 0; CBC_EINVAL (a bad period or flags; an actor id below 1);
 *         CBC_ENOTFOUND (unknown unit or employee); CBC_EPERM (the person
 *         may not, the message says why; read-only, without DRY_RUN);
 *         CBC_EBUSY; CBC_EIO; CBC_ENOMEM.  On an error only whole chunks
 *         are stored, as for cbc_reward_evaluate() (none on a refusal: the
 *         right is checked in every chunk's transaction, the first
 *         included).
 * @since 1.2
 */
CBC_EXTERN(int) cbc_reward_evaluate_as(cbc_reward_decisions **out, cbc_db *db, int64_t unit_id,
                                       const cbc_period *period, unsigned int flags,
                                       int64_t actor_id);

/**
 * Whether cbc_reward_evaluate_as() with @p flags would let @p actor_id
 * evaluate over @p unit_id, by the same check, so a front end offers a real
 * evaluation only to those it then accepts.  Like cbc_award_moves() it
 * weighs the person, not the handle: a read-only handle still refuses a
 * real evaluation.  Writes nothing; leaves the thread's error as it was on
 * success.
 * @param[out] out    1 allowed, 0 not; 0 on error
 * @param db          the database
 * @param unit_id     the subtree's root
 * @param flags       cbc_evaluate_flag bits (CBC_EVALUATE_DRY_RUN: a dry run)
 * @param actor_id    the person asking: an employee
 * @return 0; CBC_EINVAL (NULL @p out or @p db; unknown flags; an id below
 *         1); CBC_ENOTFOUND (unknown unit or employee); CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_reward_may_evaluate(int *out, cbc_db *db, int64_t unit_id,
                                        unsigned int flags, int64_t actor_id);

/**
 * The discovery decision(s) for one hazard, as made when it closed (its
 * award, if any, is found, never added here).  Only the reports rejected as
 * its duplicates before its first closing verification compete, so a report
 * rejected as a duplicate later (or a reopen and second closure) leaves the
 * explanation as it was (docs/rewards.md).
 * @param[out] out    owned by the caller, freed with cbc_reward_decisions_free()
 * @param db          the database
 * @param hazard_id   the hazard
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_reward_explain_hazard(cbc_reward_decisions **out, cbc_db *db,
                                          int64_t hazard_id);

/** Free decisions.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_reward_decisions_free(cbc_reward_decisions *decisions);
/** @} */

/* ------------------------------------------------------------------ */
/** @name The award ledger
 * @{ */

/** Where an award is. */
typedef enum cbc_award_state {
  CBC_AWARD_PROPOSED = 1, /**< made by an evaluation */
  CBC_AWARD_APPROVED = 2, /**< approved by a union cadre */
  CBC_AWARD_PAID = 3,     /**< money handed over (not for honours) */
  CBC_AWARD_DECLINED = 4  /**< declined, with a reason; final */
} cbc_award_state;

/**
 * The name of an award state ("proposed", "approved", "paid", "declined").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_award_state_name(cbc_award_state state);

/** An award record (library-allocated; fields may be appended). */
typedef struct cbc_award {
  int64_t id;                    /**< libcbc's id */
  cbc_reward_rule rule;          /**< the rule */
  cbc_subject_kind subject_kind; /**< who */
  int64_t subject_id;            /**< see cbc_subject_kind */
  char *cause;                   /**< what it is for: "hazard:12", "proposal:3",
                                      "period:2026", "period:2026-Q2", "period:2026-05",
                                      or "period:FROM-TO" (seconds) */
  int64_t hazard_id;             /**< the hazard, or 0 */
  int64_t proposal_id;           /**< the proposal, or 0 */
  int64_t policy_version;        /**< the policy version that made it */
  int64_t amount_fen;            /**< 0 for honours */
  char *reasons;                 /**< the decision's reasons */
  cbc_award_state state;         /**< where it is */
  int64_t proposed_at;           /**< when the evaluation made it */
  int64_t approved_by;           /**< who approved it, or 0 */
  int64_t approved_at;           /**< when, or 0 */
  int64_t paid_by;               /**< who paid it, or 0 */
  int64_t paid_at;               /**< when, or 0 */
  char *payment_ref;             /**< the payment's reference, or "" */
  int64_t declined_by;           /**< who declined it, or 0 */
  int64_t declined_at;           /**< when, or 0 */
  char *decline_reason;          /**< why, or "" */
  int review;                    /**< 1 while flagged for review (its hazard reopened) */
  int64_t flagged_at;            /**< when it was last flagged, or 0 */
  int64_t reviewed_by;           /**< who last reviewed it, or 0 */
  int64_t reviewed_at;           /**< when, or 0 */
  char *review_note;             /**< the review's note, or "" */
  int64_t unit_id;               /**< where it counts (cbc_reward_summary_get()): its
                                      hazard's or proposal's unit, the finder's unit
                                      for the labour medal, the honoured unit
                                      (@since 1.2) */
} cbc_award;

/**
 * Look an award up.
 * @param[out] out  owned by the caller, freed with cbc_award_free()
 * @param db        the database
 * @param id        the award
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_lookup(cbc_award **out, cbc_db *db, int64_t id);

/** Free an award.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_award_free(cbc_award *award);

/** Awards selected by cbc_award_list() (library-allocated). */
typedef struct cbc_awards {
  size_t count;      /**< number of awards */
  cbc_award **items; /**< by id */
} cbc_awards;

/** Free a list of awards.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_awards_free(cbc_awards *awards);

/**
 * The awards proposed in [from, to), optionally only those in one state or
 * of one subject.
 * @param[out] out          owned by the caller, freed with cbc_awards_free()
 * @param db                the database
 * @param from              start (seconds); 0 for the beginning
 * @param to                end, exclusive; 0 for no end
 * @param state             a cbc_award_state, or 0 for all
 * @param subject_kind      a cbc_subject_kind, or 0 for all subjects
 * @param subject_id        with @p subject_kind: the subject
 * @return 0; CBC_EINVAL (a bad state, subject or range); CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_list(cbc_awards **out, cbc_db *db, int64_t from, int64_t to,
                               int state, int subject_kind, int64_t subject_id);

/** Version of cbc_award_filter understood by this header. */
#define CBC_AWARD_FILTER_VERSION 1

/** Which awards cbc_award_select() lists.  @since 1.2 */
typedef struct cbc_award_filter {
  unsigned int version; /**< CBC_AWARD_FILTER_VERSION */
  int64_t unit_id;      /**< awards that count in this unit's subtree (as
                             cbc_reward_summary_get() counts them, the tree as it
                             is now); 0 for every unit */
  int64_t from;         /**< proposed at or after @c from (seconds); 0 open */
  int64_t to;           /**< proposed before @c to; 0 open */
  int state;            /**< a cbc_award_state, or 0 for all */
  int subject_kind;     /**< a cbc_subject_kind, or 0 for all subjects */
  int64_t subject_id;   /**< with @c subject_kind: the subject */
} cbc_award_filter;

/** Static initializer for cbc_award_filter (every award). */
#define CBC_AWARD_FILTER_INIT { CBC_AWARD_FILTER_VERSION, 0, 0, 0, 0, 0, 0 }

/**
 * Initialise a cbc_award_filter for @p version (as CBC_AWARD_FILTER_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version of 0 or newer than the library)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_award_filter_init(cbc_award_filter *filter, unsigned int version);

/**
 * The awards a filter selects, by id: cbc_award_list() with a unit subtree.
 * @param[out] out  owned by the caller, freed with cbc_awards_free() (an
 *                  empty list has count 0)
 * @param db        the database
 * @param filter    NULL for every award; borrowed for the call
 * @return 0; CBC_EINVAL (NULL @p out or @p db; the filter's version; a
 *         negative unit; a bad state, subject or range); CBC_ENOTFOUND
 *         (unknown unit); CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_award_select(cbc_awards **out, cbc_db *db, const cbc_award_filter *filter);

/**
 * Approve a proposed award.
 * @param db        the database
 * @param award_id  the award
 * @param actor_id  the union over the award's unit: an active union cadre
 *                  sitting in a region node at or above it
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND (award or actor); CBC_EPERM (not the
 *         union over the award's unit; read-only); CBC_ESTATE (not proposed, e.g. declined;
 *         flagged for review); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_approve(cbc_db *db, int64_t award_id, int64_t actor_id);

/**
 * Record that an approved money award was paid.
 * @param db           the database
 * @param award_id     the award
 * @param actor_id     the union over the award's unit (as for approving)
 * @param payment_ref  the payment's reference (voucher, transfer), 1..CBC_MAX_REWARD_TEXT bytes
 * @param claim_key    for an anonymous tip-off's award: the follow-up key
 *                     the tip-off's reporter presents; NULL for any other
 * @return 0; CBC_EINVAL (a bad reference; a key missing, given for a named
 *         award, or not this tip-off's); CBC_ENOTFOUND; CBC_EPERM; CBC_ESTATE
 *         (not approved; an honour; flagged for review; already paid);
 *         CBC_EBUSY (also while the limit on wrong follow-up keys holds: a
 *         claim key obeys it, without counting); CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_pay(cbc_db *db, int64_t award_id, int64_t actor_id,
                              const char *payment_ref, const char *claim_key);

/**
 * Decline a proposed or approved award.
 * @param db        the database
 * @param award_id  the award
 * @param actor_id  the union over the award's unit (as for approving)
 * @param reason    why, 1..CBC_MAX_REWARD_TEXT bytes
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_EPERM; CBC_ESTATE (paid or
 *         already declined); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_decline(cbc_db *db, int64_t award_id, int64_t actor_id,
                                  const char *reason);

/**
 * Review an award flagged after its hazard was reopened: it stands, and may
 * be approved or paid again (never a second time), or the reviewer declines
 * it with cbc_award_decline() instead.
 * @param db        the database
 * @param award_id  the award
 * @param actor_id  the union over the award's unit (as for approving)
 * @param note      what the review found, 1..CBC_MAX_REWARD_TEXT bytes
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_EPERM; CBC_ESTATE (not flagged;
 *         its hazard is not closed again); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_review(cbc_db *db, int64_t award_id, int64_t actor_id,
                                 const char *note);

/** The steps on an award, for cbc_award_moves().  @since 1.2 */
typedef enum cbc_award_step {
  CBC_AWARD_STEP_APPROVE = 1, /**< "approve": cbc_award_approve() */
  CBC_AWARD_STEP_PAY = 2,     /**< "pay": cbc_award_pay() */
  CBC_AWARD_STEP_DECLINE = 3, /**< "decline": cbc_award_decline() */
  CBC_AWARD_STEP_REVIEW = 4   /**< "review": cbc_award_review() */
} cbc_award_step;

/**
 * The name of an award step ("approve", "pay", "decline", "review").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_award_step_name(cbc_award_step step);

/** The bit of @p step in cbc_award_moves()'s answer.  @since 1.2 */
#define CBC_AWARD_MOVE(step) ((unsigned int)1 << (step))

/**
 * The steps a person may take on an award now, so a front end offers only
 * those (docs/rewards.md, "What may this person do now").  Answered by the
 * steps' own checks, without the arguments only a real step has: a step's
 * bit is set when the person may act on the award (the union over its unit) and
 * the award as it stands takes the step — APPROVE a proposed award not
 * flagged for review; PAY an approved money award not flagged; DECLINE a
 * proposed or approved one; REVIEW a flagged one whose hazard is closed
 * again.  So a bit means some valid arguments succeed: PAY of an anonymous
 * tip-off's award still needs its follow-up key (and obeys the limit on
 * wrong keys, CBC_EBUSY), the texts must be valid, and a read-only handle
 * refuses every step though the bits are set.  An inactive employee gets 0.
 * Writes nothing, and leaves the thread's error as it was on success (the
 * refusals it weighs are not errors).
 * @param[out] out   CBC_AWARD_MOVE(step) bits of cbc_award_step; 0 on error
 * @param db         the database
 * @param award_id   the award
 * @param actor_id   the person asking: an employee
 * @return 0; CBC_EINVAL (NULL @p out or @p db, an id below 1);
 *         CBC_ENOTFOUND (unknown award or employee, as the steps answer);
 *         CBC_EIO; CBC_ECORRUPT (a damaged row); CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_award_moves(unsigned int *out, cbc_db *db, int64_t award_id,
                                int64_t actor_id);

/**
 * The award of an anonymous tip-off, found by its follow-up key (so the
 * reporter can ask about it without a name).  The key is looked up as by
 * cbc_hazard_answer_by_key(), under the same limit on wrong keys.
 * @param[out] out           owned by the caller, freed with cbc_award_free()
 * @param db                 the database
 * @param followup_key       the key cbc_hazard_report() returned for the tip-off
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND (no such key, not 32 hex digits, or no
 *         award for it); CBC_EBUSY (the limit on wrong keys is reached, @since
 *         1.1); CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_award_by_key(cbc_award **out, cbc_db *db, const char *followup_key);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Internal fines (内部罚单)
 * @{ */

/** Version of cbc_fine_record understood by this header. */
#define CBC_FINE_RECORD_VERSION 1

/** A fine as given: for a hazard, or for a described violation (三违). */
typedef struct cbc_fine_record {
  unsigned int version;  /**< CBC_FINE_RECORD_VERSION */
  int64_t employee_id;   /**< who is fined: an employee on the payroll */
  int64_t amount_fen;    /**< 1..CBC_MAX_AMOUNT_FEN */
  const char *reason;    /**< required, 1..CBC_MAX_REWARD_TEXT bytes */
  int64_t hazard_id;     /**< the hazard it is for, or 0 */
  const char *violation; /**< the violation it is for, when no hazard; else NULL */
} cbc_fine_record;

/** Static initializer for cbc_fine_record. */
#define CBC_FINE_RECORD_INIT { CBC_FINE_RECORD_VERSION, 0, 0, NULL, 0, NULL }

/**
 * Initialize a cbc_fine_record (as CBC_FINE_RECORD_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version this library does not know)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_fine_record_init(cbc_fine_record *rec, unsigned int version);

/**
 * Issue an internal fine, dated by the database's clock.  Exactly one of
 * @c hazard_id and @c violation says what it is for; a hazard's fine must
 * be for a person of the hazard's enterprise.
 * @param[out] out_id  the fine's id (may be NULL)
 * @param db           the database
 * @param rec          the fine; borrowed for the call
 * @param actor_id     who issues it: a principal or safety officer of the
 *                     fined employee's enterprise
 * @return 0; CBC_EINVAL (a bad field; neither or both of hazard and
 *         violation; a hazard of another enterprise); CBC_ENOTFOUND
 *         (employee, hazard or actor); CBC_EPERM (the actor may not fine
 *         here; read-only); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_fine_issue(int64_t *out_id, cbc_db *db, const cbc_fine_record *rec,
                               int64_t actor_id);

/** A stored fine (library-allocated; fields may be appended). */
typedef struct cbc_fine {
  int64_t id;          /**< libcbc's id */
  int64_t employee_id; /**< who */
  int64_t unit_id;     /**< the employee's unit when fined */
  int64_t amount_fen;  /**< how much */
  char *reason;        /**< why */
  int64_t hazard_id;   /**< the hazard, or 0 */
  char *violation;     /**< the violation, or "" */
  int64_t issued_by;   /**< who issued it */
  int64_t issued_at;   /**< when */
} cbc_fine;

/**
 * The fines issued in [from, to) to the employees of a unit's subtree (by
 * the unit they were in when fined), by id.
 * @param[out] out    the fines, owned by the caller, freed with
 *                    cbc_fines_free(); NULL when there are none
 * @param[out] count  how many
 * @param db          the database
 * @param unit_id     the subtree's root, or 0 for every unit
 * @param from        start (seconds); 0 for the beginning
 * @param to          end, exclusive; 0 for no end
 * @return 0; CBC_EINVAL (NULL arguments; a negative unit; an empty,
 *         inverted or out-of-range range); CBC_ENOTFOUND (unknown unit);
 *         CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_fine_list(cbc_fine **out, size_t *count, cbc_db *db, int64_t unit_id,
                              int64_t from, int64_t to);

/** Free what cbc_fine_list() returned.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_fines_free(cbc_fine *fines, size_t count);

/** A period's rewards and fines over a subtree (library-allocated). */
typedef struct cbc_reward_summary {
  int64_t unit_id;           /**< the subtree's root */
  int64_t from;              /**< the period's start */
  int64_t to;                /**< its end, exclusive */
  int64_t awards[5];         /**< awards proposed in the period, by cbc_award_state
                                  (index 0: all) */
  int64_t awarded_fen;       /**< money of those awards not declined */
  int64_t paid_fen;          /**< money paid in the period */
  int64_t fines;             /**< fines issued in the period */
  int64_t fined_fen;         /**< their total */
  size_t n_fines;            /**< length of @c fine_list */
  cbc_fine *fine_list;       /**< the period's fines, by id */
} cbc_reward_summary;

/**
 * The period summary of rewards and fines for the subtree of a unit: the
 * awards of its employees, teams, workshops and enterprises (anonymous
 * tip-offs count where their hazard is), and the fines of its employees
 * (by the unit they were in when fined).
 * @param[out] out  owned by the caller, freed with cbc_reward_summary_free()
 * @param db        the database
 * @param unit_id   the subtree's root
 * @param period    the period (see cbc_period_bounds())
 * @return 0; CBC_EINVAL (a bad period); CBC_ENOTFOUND (unknown unit);
 *         CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_reward_summary_get(cbc_reward_summary **out, cbc_db *db, int64_t unit_id,
                                       const cbc_period *period);

/** Free a summary.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_reward_summary_free(cbc_reward_summary *summary);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Administrative penalties (行政处罚)
 * The penalty a safety bureau imposed on an enterprise for a hazard, as a
 * bureau inspector records it: the input of the whistle-blower reward
 * (`hotline_tip` with `percent_of_fine`, docs/rewards.md).
 * @{ */

/** A recorded penalty (library-allocated; fields may be appended).
 * @since 1.2 */
typedef struct cbc_hazard_penalty {
  int64_t hazard_id;   /**< the hazard */
  int64_t amount_fen;  /**< the fine imposed, fen */
  char *document;      /**< the penalty decision's number (处罚决定书文号) */
  int64_t recorded_by; /**< the bureau inspector */
  int64_t recorded_at; /**< when, by the database's clock */
} cbc_hazard_penalty;

/**
 * Record the administrative penalty imposed for a hazard, once.  When the
 * hazard is closed and the policy pays hotline tip-offs a share of the
 * penalty, the award is made in the same transaction; a hazard closed later
 * gets it at its closure.
 * @param db          the database, read-write
 * @param hazard_id   a registered hazard (not rejected)
 * @param actor_id    an active bureau inspector sitting in a region node at
 *                    or above the hazard's unit
 * @param amount_fen  1..CBC_MAX_AMOUNT_FEN
 * @param document    the decision's number, 1..CBC_MAX_TITLE bytes of
 *                    single-line UTF-8; borrowed
 * @return 0; CBC_EINVAL (a bad amount or document); CBC_ENOTFOUND (hazard or
 *         actor); CBC_EPERM (not such an inspector; read-only); CBC_ESTATE
 *         (not registered, rejected, or a penalty already recorded);
 *         CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_record_penalty(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                          int64_t amount_fen, const char *document);

/**
 * Whether a person may record a hazard's penalty now, by the same checks as
 * cbc_hazard_record_penalty() (an active bureau inspector over the hazard's
 * unit; a registered, not rejected hazard without one).  Writes nothing.
 * @param[out] out     1 or 0; 0 on error
 * @param db           the database
 * @param hazard_id    the hazard
 * @param actor_id     the person asking
 * @return 0; CBC_EINVAL (NULL arguments, an id below 1); CBC_ENOTFOUND
 *         (unknown hazard or person); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_may_record_penalty(int *out, cbc_db *db, int64_t hazard_id,
                                              int64_t actor_id);

/**
 * A hazard's recorded penalty.
 * @param[out] out  owned by the caller, freed with cbc_hazard_penalty_free()
 * @param db        the database
 * @param hazard_id the hazard
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND (no such hazard, or
 *         no penalty recorded); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_penalty_get(cbc_hazard_penalty **out, cbc_db *db, int64_t hazard_id);

/**
 * Free a penalty.  Accepts NULL.
 * @since 1.2
 */
CBC_EXTERN(void) cbc_hazard_penalty_free(cbc_hazard_penalty *penalty);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
