/**
 * @file cbc/history.h
 * @brief Tamper-evident history: every record the ledger's promises rest
 *        on is chained with SHA-256, so an edit made behind the library's
 *        back is found and named (docs/history.md).
 *
 * Each tenant (an enterprise, or a region node for its own records) has a
 * chain; records that belong to no one enterprise (employees' histories,
 * cadres' assignments, policy versions) are in the database's own chain,
 * tenant 0.  Every write of a chained record appends a link, in the same
 * transaction, whose hash covers the previous link's hash, the link's
 * sequence number, the record's kind and id, and the SHA-256 of a
 * canonical encoding of the record that the library builds field by
 * field, so either storage engine gives the same bytes.  A record that
 * changes by the rules (an award approved, a training voided) gets a new
 * link; its newest link vouches for what it holds now.
 *
 * The head of a chain (its last sequence number and hash) is a checkpoint:
 * the checkpoint hook hears each new head after its transaction commits,
 * and every filed report prints its enterprise's head, so someone outside
 * the database holds it.  cbc_history_verify() recomputes every chain from
 * the records and compares it with the checkpoints it is given.
 */
#ifndef CBC_HISTORY_H
#define CBC_HISTORY_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kinds of chained record.  @since 1.2 */
typedef enum cbc_history_kind {
  CBC_HISTORY_HAZARD = 1,         /**< a hazard's report: the fields fixed when it was made */
  CBC_HISTORY_HAZARD_EVENT = 2,   /**< a move in a hazard's history */
  CBC_HISTORY_ATTACHMENT = 3,     /**< a hazard's attachment (evidence) */
  CBC_HISTORY_EMPLOYEE_EVENT = 4, /**< a move in an employee's history (chain 0) */
  CBC_HISTORY_TRAINING = 5,       /**< a training session with its attendees */
  CBC_HISTORY_DRILL = 6,          /**< a drill with its teams */
  CBC_HISTORY_ASSIGNMENT = 7,     /**< a cadre's assignment to a unit (chain 0) */
  CBC_HISTORY_VISIT = 8,          /**< a supervision visit */
  CBC_HISTORY_PROPOSAL = 9,       /**< a proposal and its decision */
  CBC_HISTORY_AWARD = 10,         /**< an award and its steps */
  CBC_HISTORY_FINE = 11,          /**< an internal fine */
  CBC_HISTORY_POLICY = 12,        /**< a version of the reward policy (chain 0; its id is the
                                       version) */
  CBC_HISTORY_FILING = 13,        /**< a filed report */
  CBC_HISTORY_PENALTY = 14        /**< an administrative penalty (include/cbc/reward.h) */
} cbc_history_kind;

/** What cbc_history_verify() found.  @since 1.2 */
typedef enum cbc_history_fault {
  CBC_HISTORY_SOUND = 0,          /**< every chain and record matches */
  CBC_HISTORY_LINK_ALTERED = 1,   /**< a link's hash or sequence number does not follow from
                                       the link before it: a link was edited, removed,
                                       inserted or moved */
  CBC_HISTORY_RECORD_ALTERED = 2, /**< a record differs from what its newest link vouches
                                       for */
  CBC_HISTORY_RECORD_MISSING = 3, /**< a link names a record that is not there */
  CBC_HISTORY_RECORD_UNCHAINED = 4, /**< a record has no link: it was added behind the
                                         library's back (seq is 0) */
  CBC_HISTORY_CHECKPOINT_DIFFERS = 5 /**< a chain disagrees with a checkpoint given: it was
                                          rewritten or cut back since (kind and record_id
                                          are 0) */
} cbc_history_fault;

/** A chain's head: a checkpoint to hold outside the database.  Fixed
 * size: it is the caller's in and out.  @since 1.2 */
typedef struct cbc_history_checkpoint {
  int64_t tenant_id; /**< the chain: an enterprise, a region node, 0 for the database's */
  int64_t seq;       /**< how many links the chain had (0: none) */
  char hash[65];     /**< the SHA-256 of its last link, 64 lowercase hex digits ("" when
                          seq is 0) */
} cbc_history_checkpoint;

/** What cbc_history_verify() found (library-allocated; fields may be
 * appended).  @since 1.2 */
typedef struct cbc_history_verdict {
  cbc_history_fault fault;  /**< CBC_HISTORY_SOUND, or the first fault found */
  int64_t tenant_id;        /**< the chain of the fault */
  int64_t seq;              /**< the link of the fault (0 for an unchained record) */
  cbc_history_kind kind;    /**< the record's kind (0 for a checkpoint) */
  int64_t record_id;        /**< the record's id (0 for a checkpoint) */
  char *message;            /**< what is wrong, for people (English, one line); "" when
                                 sound */
  int64_t links_checked;    /**< links read up to the fault */
  int64_t records_checked;  /**< records compared with their newest link up to the fault */
} cbc_history_verdict;

/**
 * Recompute the chains from the records and report the first fault: the
 * chains in ascending tenant order, each link in sequence order (its hash,
 * every checkpoint given for it, then, when it is its record's newest link,
 * the record), then the checkpoints given beyond their chain's end, then any
 * record without a link, by kind and id.  Reads only; a difference is read
 * again before it is reported, so a concurrent writer causes no fault.  A
 * whole province's history takes minutes.
 * @param[out] out   the verdict, owned by the caller, freed with
 *                   cbc_history_verdict_free(); fault 0 when sound
 * @param db         the database
 * @param held       checkpoints held outside the database (NULL when @p n_held
 *                   is 0): each chain must have had exactly that head at
 *                   that sequence number
 * @param n_held     how many
 * @return 0 (sound or not: the verdict says); CBC_EINVAL (NULL arguments, a
 *         checkpoint whose hash is not 64 hex digits or whose seq is
 *         negative); CBC_ENOMEM; CBC_EBUSY; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_history_verify(cbc_history_verdict **out, cbc_db *db,
                                   const cbc_history_checkpoint *held, size_t n_held);

/**
 * Free a verdict from cbc_history_verify().  Accepts NULL.
 * @param verdict  the verdict
 * @since 1.2
 */
CBC_EXTERN(void) cbc_history_verdict_free(cbc_history_verdict *verdict);

/**
 * The head of one chain as committed now.
 * @param[out] out    filled (a chain without links: seq 0, hash "")
 * @param db          the database
 * @param tenant_id   the chain: an enterprise, a region node, or 0
 * @return 0; CBC_EINVAL (NULL arguments, a negative tenant); CBC_EBUSY;
 *         CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_history_head(cbc_history_checkpoint *out, cbc_db *db, int64_t tenant_id);

/**
 * The checkpoint hook: called after a transaction commits (inside a
 * cbc_db_begin() group: when cbc_db_commit() succeeds) with the newest head
 * of each chain it extended, once per chain, in the order the chains were
 * last extended.
 * The checkpoint is borrowed for the call.  Like the event hook, a
 * non-zero return never undoes the commit (cbc_error_last() says so), and
 * the hook must not call back into the same handle.
 * @since 1.2
 */
typedef int (*cbc_history_checkpoint_fn)(const cbc_history_checkpoint *checkpoint,
                                         void *payload);

/**
 * Register (or with NULL, remove) the checkpoint hook of a handle.
 * @param db       the database
 * @param fn       the hook, or NULL
 * @param payload  passed to @p fn
 * @return 0; CBC_EINVAL for a NULL db
 * @since 1.2
 */
CBC_EXTERN(int) cbc_history_set_checkpoint_hook(cbc_db *db, cbc_history_checkpoint_fn fn,
                                                void *payload);

/**
 * A record kind's name ("hazard_event", ...), or NULL for an unknown value.
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_history_kind_name(cbc_history_kind kind);

/**
 * A fault's name ("sound", "link_altered", ...), or NULL for an unknown
 * value.
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_history_fault_name(cbc_history_fault fault);

#ifdef __cplusplus
}
#endif

#endif
