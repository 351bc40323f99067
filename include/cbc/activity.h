/**
 * @file cbc/activity.h
 * @brief The campaign's activities that the statistics count (docs/domain.md §5):
 *        training, emergency drills, union supervision, proposals, and the
 *        compliance questions a safety officer asks of them.
 *
 * Activities are records: each call adds one, in one transaction, after
 * checking it against the org tree and the clock.  Times are seconds since
 * the epoch (UTC); "a year" is a calendar year in the database's UTC offset.
 * Who counts as having taken part in the campaign is defined in
 * docs/activities.md.
 */
#ifndef CBC_ACTIVITY_H
#define CBC_ACTIVITY_H

#include "org.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Limits on activity text, in bytes of UTF-8
 * @{ */
#define CBC_MAX_ACTIVITY_TITLE 300  /**< training titles, drill scenarios, proposal titles;
                                         single-line */
#define CBC_MAX_ACTIVITY_TEXT 8000  /**< proposal text, visit findings, decision notes; long
                                         texts with tabs and line breaks (org.h) */
#define CBC_MAX_ATTENDEES 100000    /**< per training session */
#define CBC_MAX_DRILL_TEAMS 10000   /**< per drill */
/** @} */

/** Kinds of safety training (教育培训). */
typedef enum cbc_training_kind {
  CBC_TRAINING_ALL_STAFF = 1,            /**< 全员安全培训, yearly for everyone */
  CBC_TRAINING_INDUCTION_ENTERPRISE = 2, /**< 三级教育: enterprise level */
  CBC_TRAINING_INDUCTION_WORKSHOP = 3,   /**< 三级教育: workshop level */
  CBC_TRAINING_INDUCTION_TEAM = 4,       /**< 三级教育: team level */
  CBC_TRAINING_RETRAINING = 5,           /**< after a transfer or ≥ 6 months off the post */
  CBC_TRAINING_LEADER_CLASS = 6,         /**< 单位负责人培训班, for unit heads */
  CBC_TRAINING_SPECIAL_OPERATION = 7,    /**< 特种作业 */
  CBC_TRAINING_WARNING_EDUCATION = 8     /**< 警示教育 */
} cbc_training_kind;

/**
 * The English name of a training kind ("all staff", "enterprise induction", ...).
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_training_kind_name(cbc_training_kind kind);

/** One attendee of a training session. */
typedef struct cbc_attendee {
  int64_t employee_id; /**< who */
  int passed;          /**< 1 passed, 0 attended without passing */
} cbc_attendee;

/* ------------------------------------------------------------------ */
/** @name Training sessions
 * @{ */

/** Version of cbc_training_record understood by this header. */
#define CBC_TRAINING_RECORD_VERSION 3

/**
 * A training session as given.  Attendees must be employees of the holding
 * unit's subtree, not gone before the session; union cadres, experts and
 * bureau inspectors may attend any session.  A leader class is for unit
 * heads: principals, workshop directors and team leaders.
 */
typedef struct cbc_training_record {
  unsigned int version;            /**< CBC_TRAINING_RECORD_VERSION */
  cbc_training_kind kind;          /**< required */
  int64_t unit_id;                 /**< the unit (or union node) that held it */
  int64_t held_at;                 /**< when; not after the database's clock */
  int minutes;                     /**< length, 1..1440 */
  const char *title;               /**< required, 1..CBC_MAX_ACTIVITY_TITLE bytes */
  const cbc_attendee *attendees;   /**< at least one, each employee once */
  size_t n_attendees;              /**< 1..CBC_MAX_ATTENDEES */
  const char *request_key;         /**< NULL, or a key that makes the call safe to retry
                                        (docs/integration.md, "Retrying safely"): 1..
                                        CBC_MAX_REQUEST_KEY bytes; @since 1.1 (version 2) */
  int64_t recorded_by;             /**< who records it: an active employee with authority
                                        over the unit or a union cadre over it
                                        (docs/activities.md, "Who may record"); 0 records
                                        without that check, as versions 1 and 2 do;
                                        @since 1.2 (version 3) */
} cbc_training_record;

/** Static initializer for cbc_training_record. */
#define CBC_TRAINING_RECORD_INIT { CBC_TRAINING_RECORD_VERSION, (cbc_training_kind)0, 0, 0, 0, \
                                   NULL, NULL, 0, NULL, 0 }

/**
 * Initialize a cbc_training_record (as CBC_TRAINING_RECORD_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version this library does not know)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_training_record_init(cbc_training_record *rec, unsigned int version);

/**
 * Record a training session with its attendees.
 * @param[out] out_id  the new session's id (may be NULL)
 * @param db           the database
 * @param rec          the session; borrowed for the call
 * @return 0; CBC_EINVAL (a bad field, a duplicate attendee, a time after the
 *         clock, an attendee outside the unit or gone before the session, a
 *         leader class attendee who heads no unit, a negative recorder);
 *         CBC_ENOTFOUND (unknown unit, employee or recorder); CBC_EPERM (a
 *         recorder who may not record it, an inactive one, or read-only);
 *         CBC_EBUSY; CBC_EIO; CBC_ENOMEM.  Nothing is stored on error.  The
 *         recorder is checked after the record itself.
 * With a request key (record version 2) the call is safe to retry: the same
 * key and record return the first id and write nothing; the same key with
 * another record is CBC_ECONFLICT (docs/integration.md, "Retrying safely").
 * CBC_EINVAL also for a bad request key.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_training_add(int64_t *out_id, cbc_db *db, const cbc_training_record *rec);

/** A stored training session (library-allocated; fields may be appended). */
typedef struct cbc_training {
  int64_t id;                /**< libcbc's id */
  cbc_training_kind kind;    /**< the kind */
  int64_t unit_id;           /**< the holding unit */
  int64_t held_at;           /**< when */
  int minutes;               /**< length */
  char *title;               /**< the title */
  int64_t recorded_at;       /**< when it was recorded */
  size_t n_attendees;        /**< length of @c attendees */
  cbc_attendee *attendees;   /**< by employee id */
  int64_t voided_at;         /**< when it was voided; 0 while it stands (cbc_activity_void());
                                  @since 1.2 */
  int64_t voided_by;         /**< who voided it; 0 while it stands; @since 1.2 */
  char *void_reason;         /**< why; "" while it stands; @since 1.2 */
} cbc_training;

/**
 * Look a training session up.
 * @param[out] out  owned by the caller, freed with cbc_training_free()
 * @param db        the database
 * @param id        the session
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_training_lookup(cbc_training **out, cbc_db *db, int64_t id);

/** Free a training session.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_training_free(cbc_training *training);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Emergency drills (应急演练)
 * @{ */

/** Version of cbc_drill_record understood by this header. */
#define CBC_DRILL_RECORD_VERSION 3

/** A drill as given: the teams taking part must be teams under the unit. */
typedef struct cbc_drill_record {
  unsigned int version;     /**< CBC_DRILL_RECORD_VERSION */
  int64_t unit_id;          /**< the enterprise or workshop holding it */
  int64_t held_at;          /**< when; not after the database's clock */
  const char *scenario;     /**< required, 1..CBC_MAX_ACTIVITY_TITLE bytes */
  const int64_t *team_ids;  /**< the participating teams, each once */
  size_t n_teams;           /**< 1..CBC_MAX_DRILL_TEAMS */
  const char *request_key;         /**< NULL, or a key that makes the call safe to retry
                                        (docs/integration.md, "Retrying safely"): 1..
                                        CBC_MAX_REQUEST_KEY bytes; @since 1.1 (version 2) */
  int64_t recorded_by;      /**< who records it, as cbc_training_record::recorded_by;
                                 @since 1.2 (version 3) */
} cbc_drill_record;

/** Static initializer for cbc_drill_record. */
#define CBC_DRILL_RECORD_INIT { CBC_DRILL_RECORD_VERSION, 0, 0, NULL, NULL, 0, NULL, 0 }

/**
 * Initialize a cbc_drill_record (as CBC_DRILL_RECORD_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version this library does not know)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_drill_record_init(cbc_drill_record *rec, unsigned int version);

/**
 * Record an emergency drill.
 * @param[out] out_id  the new drill's id (may be NULL)
 * @param db           the database
 * @param rec          the drill; borrowed for the call
 * @return 0; CBC_EINVAL (a bad field, a time after the clock, a team listed
 *         twice, a unit that is not an enterprise or workshop, a participant
 *         that is not a team under the unit, a negative recorder);
 *         CBC_ENOTFOUND (unknown unit or recorder); CBC_EPERM (a recorder
 *         who may not record it, an inactive one, or read-only); CBC_EBUSY;
 *         CBC_EIO; CBC_ENOMEM.  Nothing is stored on error.
 * With a request key (record version 2) the call is safe to retry: the same
 * key and record return the first id and write nothing; the same key with
 * another record is CBC_ECONFLICT (docs/integration.md, "Retrying safely").
 * CBC_EINVAL also for a bad request key.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_drill_add(int64_t *out_id, cbc_db *db, const cbc_drill_record *rec);

/** A stored drill (library-allocated; fields may be appended). */
typedef struct cbc_drill {
  int64_t id;           /**< libcbc's id */
  int64_t unit_id;      /**< the holding unit */
  int64_t held_at;      /**< when */
  char *scenario;       /**< the scenario */
  int64_t recorded_at;  /**< when it was recorded */
  size_t n_teams;       /**< length of @c team_ids */
  int64_t *team_ids;    /**< ascending */
  int64_t voided_at;         /**< when it was voided; 0 while it stands (cbc_activity_void());
                                  @since 1.2 */
  int64_t voided_by;         /**< who voided it; 0 while it stands; @since 1.2 */
  char *void_reason;         /**< why; "" while it stands; @since 1.2 */
} cbc_drill;

/**
 * Look a drill up.
 * @param[out] out  owned by the caller, freed with cbc_drill_free()
 * @param db        the database
 * @param id        the drill
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_drill_lookup(cbc_drill **out, cbc_db *db, int64_t id);

/** Free a drill.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_drill_free(cbc_drill *drill);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Union supervision (督导): cadres assigned to units (包靠) and visits
 * @{ */

/**
 * Assign a union cadre to a unit (包靠) from @p from until @p to.
 * @param[out] out_id  the assignment's id (may be NULL)
 * @param db           the database
 * @param cadre_id     an active employee holding CBC_ROLE_UNION_CADRE
 * @param unit_id      an open enterprise or region node
 * @param from         start of the period
 * @param to           end of the period (exclusive), or 0 while open-ended
 * @return 0; CBC_EINVAL (not a cadre, inactive, an inverted period, a unit of
 *         another kind); CBC_ECONFLICT (the cadre's assignment to that unit
 *         overlaps one already recorded); CBC_ENOTFOUND; CBC_EPERM; CBC_EBUSY;
 *         CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_cadre_assign(int64_t *out_id, cbc_db *db, int64_t cadre_id, int64_t unit_id,
                                 int64_t from, int64_t to);

/**
 * cbc_cadre_assign() made safe to retry with a request key
 * (docs/integration.md, "Retrying safely"): the first call with @p request_key
 * assigns and records the key in the same transaction; a retry with the same
 * key and arguments returns the first assignment's id and writes nothing.
 * @param[out] out_id     the assignment's id (may be NULL)
 * @param db              the database
 * @param cadre_id, unit_id, from, to  as cbc_cadre_assign()
 * @param request_key     1..CBC_MAX_REQUEST_KEY bytes of single-line UTF-8,
 *                        borrowed; NULL behaves as cbc_cadre_assign()
 * @return as cbc_cadre_assign(); CBC_EINVAL also for a bad @p request_key;
 *         CBC_ECONFLICT also when the key was used for an assignment with
 *         other arguments
 * @since 1.1
 */
CBC_EXTERN(int) cbc_cadre_assign_keyed(int64_t *out_id, cbc_db *db, int64_t cadre_id,
                                       int64_t unit_id, int64_t from, int64_t to,
                                       const char *request_key);

/**
 * cbc_cadre_assign_keyed() by a named person: @p actor_id must be an
 * active union cadre sitting in a region node over @p unit_id
 * (docs/activities.md, "Who may record"), checked after the assignment
 * itself.
 * @param[out] out_id     the assignment's id (may be NULL)
 * @param db              the database
 * @param actor_id        who assigns: an employee
 * @param cadre_id, unit_id, from, to  as cbc_cadre_assign()
 * @param request_key     NULL, or as cbc_cadre_assign_keyed(); the actor is
 *                        part of what a retry must repeat
 * @return as cbc_cadre_assign_keyed(); CBC_EINVAL also for an @p actor_id
 *         below 1; CBC_ENOTFOUND also for an unknown actor; CBC_EPERM also
 *         for an actor who may not assign there, or an inactive one.
 *         Nothing is stored on error.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_cadre_assign_by(int64_t *out_id, cbc_db *db, int64_t actor_id,
                                    int64_t cadre_id, int64_t unit_id, int64_t from, int64_t to,
                                    const char *request_key);

/**
 * End an open-ended assignment at @p at.
 * @param db             the database
 * @param assignment_id  the assignment, from cbc_cadre_assign()
 * @param at             the end of the period (exclusive), after its start
 * @return 0; CBC_EINVAL (@p at not after its start); CBC_ESTATE (already
 *         ended); CBC_ENOTFOUND; CBC_EPERM; CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_cadre_release(cbc_db *db, int64_t assignment_id, int64_t at);

/**
 * cbc_cadre_release() by a named person: @p actor_id must be an active
 * union cadre sitting in a region node over the assignment's unit, as for
 * assigning (docs/activities.md, "Who may record"), checked after the
 * assignment's state and @p at.
 * @param db             the database
 * @param assignment_id  the assignment
 * @param actor_id       who releases it: an employee
 * @param at             as cbc_cadre_release()
 * @return as cbc_cadre_release(); CBC_EINVAL also for an @p actor_id below
 *         1; CBC_ENOTFOUND also for an unknown actor; CBC_EPERM also for an
 *         actor who may not release it, or an inactive one.  Nothing
 *         changes on error.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_cadre_release_by(cbc_db *db, int64_t assignment_id, int64_t actor_id,
                                     int64_t at);

/** Version of cbc_visit_record understood by this header. */
#define CBC_VISIT_RECORD_VERSION 2

/** A supervision visit as given.  Hazards found on it are reported with
 * cbc_hazard_report() (source CBC_SOURCE_SUPERVISION_VISIT, the cadre as
 * reporter). */
typedef struct cbc_visit_record {
  unsigned int version;    /**< CBC_VISIT_RECORD_VERSION */
  int64_t cadre_id;        /**< an employee holding CBC_ROLE_UNION_CADRE */
  int64_t unit_id;         /**< the unit visited */
  int64_t visited_at;      /**< when; not after the database's clock */
  const char *findings;    /**< may be empty; up to CBC_MAX_ACTIVITY_TEXT bytes */
  const char *request_key;         /**< NULL, or a key that makes the call safe to retry
                                        (docs/integration.md, "Retrying safely"): 1..
                                        CBC_MAX_REQUEST_KEY bytes; @since 1.1 (version 2) */
} cbc_visit_record;

/** Static initializer for cbc_visit_record. */
#define CBC_VISIT_RECORD_INIT { CBC_VISIT_RECORD_VERSION, 0, 0, 0, NULL, NULL }

/**
 * Initialize a cbc_visit_record (as CBC_VISIT_RECORD_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version this library does not know)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_visit_record_init(cbc_visit_record *rec, unsigned int version);

/**
 * Record a supervision visit.
 * @param[out] out_id  the visit's id (may be NULL)
 * @param db           the database
 * @param rec          the visit; borrowed for the call
 * @return 0; CBC_EINVAL (not a cadre, gone before the visit, a bad field, a
 *         time after the clock); CBC_ENOTFOUND; CBC_EPERM; CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM
 * With a request key (record version 2) the call is safe to retry: the same
 * key and record return the first id and write nothing; the same key with
 * another record is CBC_ECONFLICT (docs/integration.md, "Retrying safely").
 * CBC_EINVAL also for a bad request key.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_visit_add(int64_t *out_id, cbc_db *db, const cbc_visit_record *rec);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Proposals (合理化建议 / 金点子)
 * @{ */

/** Where a proposal stands. */
typedef enum cbc_proposal_status {
  CBC_PROPOSAL_SUBMITTED = 1,   /**< waiting for a decision */
  CBC_PROPOSAL_ADOPTED = 2,     /**< adopted (采纳) */
  CBC_PROPOSAL_NOT_ADOPTED = 3  /**< not adopted */
} cbc_proposal_status;

/**
 * The name of a proposal status ("submitted", "adopted", "not_adopted").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_proposal_status_name(cbc_proposal_status status);

/** Version of cbc_proposal_record understood by this header. */
#define CBC_PROPOSAL_RECORD_VERSION 2

/** A proposal as given. */
typedef struct cbc_proposal_record {
  unsigned int version;  /**< CBC_PROPOSAL_RECORD_VERSION */
  int64_t proposer_id;   /**< an active employee */
  int64_t unit_id;       /**< the unit it concerns; 0 for the proposer's own team */
  const char *title;     /**< required, 1..CBC_MAX_ACTIVITY_TITLE bytes */
  const char *text;      /**< required, 1..CBC_MAX_ACTIVITY_TEXT bytes */
  const char *request_key;         /**< NULL, or a key that makes the call safe to retry
                                        (docs/integration.md, "Retrying safely"): 1..
                                        CBC_MAX_REQUEST_KEY bytes; @since 1.1 (version 2) */
} cbc_proposal_record;

/** Static initializer for cbc_proposal_record. */
#define CBC_PROPOSAL_RECORD_INIT { CBC_PROPOSAL_RECORD_VERSION, 0, 0, NULL, NULL, NULL }

/**
 * Initialize a cbc_proposal_record (as CBC_PROPOSAL_RECORD_INIT).
 * @return 0; CBC_EINVAL (NULL, or a version this library does not know)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_proposal_record_init(cbc_proposal_record *rec, unsigned int version);

/**
 * Submit a proposal, dated by the database's clock.
 * @param[out] out_id  the proposal's id (may be NULL)
 * @param db           the database
 * @param rec          the proposal; borrowed for the call
 * @return 0; CBC_EINVAL (a bad field, an inactive proposer); CBC_ENOTFOUND;
 *         CBC_EPERM; CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * With a request key (record version 2) the call is safe to retry: the same
 * key and record return the first id and write nothing; the same key with
 * another record is CBC_ECONFLICT (docs/integration.md, "Retrying safely").
 * CBC_EINVAL also for a bad request key.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_proposal_submit(int64_t *out_id, cbc_db *db, const cbc_proposal_record *rec);

/**
 * Decide a submitted proposal: adopted or not, by whom, now.  The decider is
 * an active principal, safety officer or workshop director of the
 * proposal's enterprise, or the union over its unit: a union cadre sitting
 * in a region node at or above it (since 1.2; before, any union cadre).
 * @param db           the database
 * @param proposal_id  the proposal
 * @param actor_id     who decides
 * @param adopted      1 adopted, 0 not adopted
 * @param note         may be NULL; up to CBC_MAX_ACTIVITY_TEXT bytes
 * @return 0; CBC_ESTATE (already decided); CBC_EPERM (not allowed to decide,
 *         or read-only); CBC_EINVAL; CBC_ENOTFOUND; CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_proposal_decide(cbc_db *db, int64_t proposal_id, int64_t actor_id,
                                    int adopted, const char *note);

/** A stored proposal (library-allocated; fields may be appended). */
typedef struct cbc_proposal {
  int64_t id;                 /**< libcbc's id */
  int64_t proposer_id;        /**< who proposed it */
  int64_t unit_id;            /**< the unit it concerns */
  char *title;                /**< the title */
  char *text;                 /**< the text */
  int64_t submitted_at;       /**< when */
  cbc_proposal_status status; /**< where it stands */
  int64_t decided_by;         /**< 0 until decided */
  int64_t decided_at;         /**< 0 until decided */
  char *note;                 /**< the decision's note; "" when none */
  int64_t voided_at;         /**< when it was voided; 0 while it stands (cbc_activity_void());
                                  @since 1.2 */
  int64_t voided_by;         /**< who voided it; 0 while it stands; @since 1.2 */
  char *void_reason;         /**< why; "" while it stands; @since 1.2 */
} cbc_proposal;

/**
 * Look a proposal up.
 * @param[out] out  owned by the caller, freed with cbc_proposal_free()
 * @param db        the database
 * @param id        the proposal
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_proposal_lookup(cbc_proposal **out, cbc_db *db, int64_t id);

/** Free a proposal.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_proposal_free(cbc_proposal *proposal);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Stored visits and assignments, listings, voiding (@since 1.2)
 * @{ */

/** A stored supervision visit (library-allocated; fields may be appended). */
typedef struct cbc_visit {
  int64_t id;           /**< libcbc's id */
  int64_t cadre_id;     /**< the visiting cadre */
  int64_t unit_id;      /**< the unit visited */
  int64_t visited_at;   /**< when */
  char *findings;       /**< the findings; "" when none */
  int64_t recorded_at;  /**< when it was recorded */
  int64_t voided_at;    /**< when it was voided; 0 while it stands */
  int64_t voided_by;    /**< who voided it; 0 while it stands */
  char *void_reason;    /**< why; "" while it stands */
} cbc_visit;

/**
 * Look a supervision visit up.
 * @param[out] out  owned by the caller, freed with cbc_visit_free()
 * @param db        the database
 * @param id        the visit
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO; CBC_ECORRUPT
 * @since 1.2
 */
CBC_EXTERN(int) cbc_visit_lookup(cbc_visit **out, cbc_db *db, int64_t id);

/** Free a visit.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_visit_free(cbc_visit *visit);

/** A stored cadre assignment (包靠) (library-allocated; fields may be appended). */
typedef struct cbc_cadre_assignment {
  int64_t id;           /**< libcbc's id */
  int64_t cadre_id;     /**< the union cadre */
  int64_t unit_id;      /**< the enterprise or region node */
  int64_t from;         /**< start of the period */
  int64_t to;           /**< end of the period (exclusive); 0 while open-ended */
  int64_t recorded_at;  /**< when it was recorded */
  int64_t voided_at;    /**< when it was voided; 0 while it stands */
  int64_t voided_by;    /**< who voided it; 0 while it stands */
  char *void_reason;    /**< why; "" while it stands */
} cbc_cadre_assignment;

/**
 * Look a cadre assignment up.
 * @param[out] out  owned by the caller, freed with cbc_cadre_assignment_free()
 * @param db        the database
 * @param id        the assignment
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO; CBC_ECORRUPT
 * @since 1.2
 */
CBC_EXTERN(int) cbc_cadre_assignment_lookup(cbc_cadre_assignment **out, cbc_db *db, int64_t id);

/** Free a cadre assignment.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_cadre_assignment_free(cbc_cadre_assignment *assignment);

/** The kinds of activity records, for cbc_activity_void(). */
typedef enum cbc_activity_kind {
  CBC_ACTIVITY_TRAINING = 1,   /**< a training session */
  CBC_ACTIVITY_DRILL = 2,      /**< an emergency drill */
  CBC_ACTIVITY_VISIT = 3,      /**< a supervision visit */
  CBC_ACTIVITY_PROPOSAL = 4,   /**< a proposal */
  CBC_ACTIVITY_ASSIGNMENT = 5  /**< a cadre assignment */
} cbc_activity_kind;

/**
 * The name of an activity kind ("training", "drill", "visit", "proposal",
 * "assignment").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_activity_kind_name(cbc_activity_kind kind);

/** Flags of cbc_activity_filter. */
#define CBC_ACTIVITY_WITH_VOIDED 1u  /**< list voided records too (by default they are left out) */

/** Version of cbc_activity_filter understood by this header. */
#define CBC_ACTIVITY_FILTER_VERSION 1

/**
 * Which activity records a listing yields.  A record belongs to the unit
 * that held it (training, drill), was visited (visit), is concerned
 * (proposal) or was assigned (assignment), and the unit's subtree is taken
 * as the tree is now (a unit moved elsewhere takes its records with it,
 * as the statistics do: docs/statistics.md, "Attribution").
 */
typedef struct cbc_activity_filter {
  unsigned int version; /**< CBC_ACTIVITY_FILTER_VERSION */
  int64_t unit_id;      /**< records of this unit's subtree; 0 for every unit */
  int64_t from;         /**< the period [from, to): records at or after @c from; 0 open */
  int64_t to;           /**< records before @c to; 0 open.  An assignment is in the period
                             when its own period overlaps it */
  unsigned int flags;   /**< CBC_ACTIVITY_* bits */
} cbc_activity_filter;

/** Static initializer for cbc_activity_filter (every record that stands). */
#define CBC_ACTIVITY_FILTER_INIT { CBC_ACTIVITY_FILTER_VERSION, 0, 0, 0, 0u }

/**
 * Initialise a cbc_activity_filter for @p version (as CBC_ACTIVITY_FILTER_INIT).
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_activity_filter_init(cbc_activity_filter *filter, unsigned int version);

/** Iterators over training sessions, drills, visits, proposals and cadre
 * assignments.  Each yields its records in the order of their time (held,
 * visited, submitted, the assignment's start), then id; each row is
 * borrowed, valid until the next call or the iterator's `_free`.  Training
 * and drill rows come without attendees and teams (@c n_attendees and
 * @c n_teams are 0): cbc_training_lookup() and cbc_drill_lookup() give
 * them.  `_new` returns 0; CBC_EINVAL (NULL @p out or @p db, a bad filter:
 * its version, unknown flags, a negative unit or time, an inverted
 * period); CBC_ENOTFOUND (unknown unit); CBC_ENOMEM.  `_next` returns 0;
 * CBC_ITEROVER at the end; CBC_EINVAL; CBC_EIO; CBC_ECORRUPT; CBC_ENOMEM.
 * `_free` accepts NULL.  A NULL filter lists every record that stands. */
typedef struct cbc_training_iter cbc_training_iter;
/** An iterator over drills (see cbc_training_iter). */
typedef struct cbc_drill_iter cbc_drill_iter;
/** An iterator over supervision visits (see cbc_training_iter). */
typedef struct cbc_visit_iter cbc_visit_iter;
/** An iterator over proposals (see cbc_training_iter). */
typedef struct cbc_proposal_iter cbc_proposal_iter;
/** An iterator over cadre assignments (see cbc_training_iter). */
typedef struct cbc_cadre_assignment_iter cbc_cadre_assignment_iter;

/**
 * Iterate training sessions by the time they were held.
 * @param[out] out  owned by the caller, freed with cbc_training_iter_free()
 * @param db        the database
 * @param filter    NULL for every session that stands; borrowed for the call
 * @return as cbc_training_iter
 * @since 1.2
 */
CBC_EXTERN(int) cbc_training_iter_new(cbc_training_iter **out, cbc_db *db,
                                      const cbc_activity_filter *filter);
/** The next session (borrowed; without attendees). @since 1.2 */
CBC_EXTERN(int) cbc_training_iter_next(const cbc_training **out, cbc_training_iter *it);
/** Free the iterator.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_training_iter_free(cbc_training_iter *it);

/** Iterate drills by the time they were held (as cbc_training_iter_new()). @since 1.2 */
CBC_EXTERN(int) cbc_drill_iter_new(cbc_drill_iter **out, cbc_db *db,
                                   const cbc_activity_filter *filter);
/** The next drill (borrowed; without teams). @since 1.2 */
CBC_EXTERN(int) cbc_drill_iter_next(const cbc_drill **out, cbc_drill_iter *it);
/** Free the iterator.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_drill_iter_free(cbc_drill_iter *it);

/** Iterate supervision visits by visit time (as cbc_training_iter_new()). @since 1.2 */
CBC_EXTERN(int) cbc_visit_iter_new(cbc_visit_iter **out, cbc_db *db,
                                   const cbc_activity_filter *filter);
/** The next visit (borrowed). @since 1.2 */
CBC_EXTERN(int) cbc_visit_iter_next(const cbc_visit **out, cbc_visit_iter *it);
/** Free the iterator.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_visit_iter_free(cbc_visit_iter *it);

/** Iterate proposals by submission time (as cbc_training_iter_new()). @since 1.2 */
CBC_EXTERN(int) cbc_proposal_iter_new(cbc_proposal_iter **out, cbc_db *db,
                                      const cbc_activity_filter *filter);
/** The next proposal (borrowed). @since 1.2 */
CBC_EXTERN(int) cbc_proposal_iter_next(const cbc_proposal **out, cbc_proposal_iter *it);
/** Free the iterator.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_proposal_iter_free(cbc_proposal_iter *it);

/** Iterate cadre assignments by their start (as cbc_training_iter_new(); an
 * assignment is in the filter's period when its own period overlaps it). @since 1.2 */
CBC_EXTERN(int) cbc_cadre_assignment_iter_new(cbc_cadre_assignment_iter **out, cbc_db *db,
                                              const cbc_activity_filter *filter);
/** The next assignment (borrowed). @since 1.2 */
CBC_EXTERN(int) cbc_cadre_assignment_iter_next(const cbc_cadre_assignment **out,
                                               cbc_cadre_assignment_iter *it);
/** Free the iterator.  Accepts NULL. @since 1.2 */
CBC_EXTERN(void) cbc_cadre_assignment_iter_free(cbc_cadre_assignment_iter *it);

/**
 * Void an activity record: a correction that keeps the record, marked with
 * when (the database's clock), by whom and why, and takes it out of
 * everything that counts — the statistics (their aggregates are updated in
 * the same transaction), who took part (cbc_employee_took_part()), the
 * compliance questions and reward evaluations to come.  Listings leave it
 * out unless asked (CBC_ACTIVITY_WITH_VOIDED); lookups show it.
 *
 * Who may void (docs/activities.md, "Voiding"): an active employee who is
 * a union cadre sitting in a region node over the record's unit; for a
 * visit, also the cadre who made it; for a training session, a drill or a
 * proposal, also someone with authority over its unit (a team's leader,
 * the director of its workshop, the principal or a safety officer of its
 * enterprise); for a proposal not yet decided, also its proposer.
 * @param db        the database
 * @param kind      the kind of record
 * @param id        the record
 * @param actor_id  who voids it
 * @param reason    why: 1..CBC_MAX_ACTIVITY_TEXT bytes of UTF-8; borrowed
 * @return 0; CBC_EINVAL (an unknown kind, a bad reason); CBC_ENOTFOUND (no
 *         such record, an unknown actor); CBC_ESTATE (already voided);
 *         CBC_EPERM (the actor may not void it, or read-only); CBC_EBUSY;
 *         CBC_EIO; CBC_ENOMEM.  Nothing changes on error.  Inside a
 *         cbc_db_begin() group it is part of the group.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_activity_void(cbc_db *db, cbc_activity_kind kind, int64_t id,
                                  int64_t actor_id, const char *reason);

/** @name The bits of cbc_activity_moves()'s answer
 * @since 1.2
 * @{ */
#define CBC_ACTIVITY_MAY_VOID 1u     /**< cbc_activity_void() */
#define CBC_ACTIVITY_MAY_DECIDE 2u   /**< cbc_proposal_decide() (a proposal) */
#define CBC_ACTIVITY_MAY_RELEASE 4u  /**< cbc_cadre_release_by() (an assignment) */
/** @} */

/**
 * What a person may do to an activity record now, so a front end offers
 * only that (docs/activities.md, "What may this person do").  A bit is set
 * when the move's own checks on the record as it stands — its state and
 * who may make it — pass for this person, by the move's own code:
 * CBC_ACTIVITY_MAY_VOID while the record stands and the person may void it;
 * CBC_ACTIVITY_MAY_DECIDE for a proposal submitted, neither decided nor
 * voided, that the person may decide; CBC_ACTIVITY_MAY_RELEASE for an
 * open assignment that stands, that the person may release.  What depends
 * on the move's arguments (a reason, a note, the release time) is left to
 * the move.  An inactive employee gets 0.  Writes nothing, and leaves the
 * thread's error as it was on success (the refusals it weighs are not
 * errors).
 * @param[out] out     CBC_ACTIVITY_MAY_* bits; 0 on error
 * @param db           the database
 * @param kind         the kind of record
 * @param record_id    the record
 * @param actor_id     the person asking: an employee
 * @return 0; CBC_EINVAL (NULL @p out or @p db, an unknown kind, an id below
 *         1); CBC_ENOTFOUND (no such record, an unknown employee);
 *         CBC_EIO; CBC_ECORRUPT; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_activity_moves(unsigned int *out, cbc_db *db, cbc_activity_kind kind,
                                   int64_t record_id, int64_t actor_id);

/**
 * Whether a person may record an activity of @p kind on @p unit_id now, so
 * a front end offers the form only then (docs/activities.md, "Who may
 * record").  1 when the unit may hold such a record (open, of a kind the
 * add call takes) and the person may record it there, by the add call's
 * own checks: a training session or a drill — someone with authority over
 * the unit or a union cadre over it (cbc_training_record::recorded_by);
 * an assignment — a union cadre over the unit (cbc_cadre_assign_by()); a
 * visit — an active union cadre (cbc_visit_record::cadre_id); a proposal —
 * an active employee (cbc_proposal_record::proposer_id).  The record's
 * other fields may still be refused.  Writes nothing, and leaves the
 * thread's error as it was on success.
 * @param[out] out     1 or 0; 0 on error
 * @param db           the database
 * @param kind         the kind of record
 * @param unit_id      the unit it would be recorded on; for a proposal 0
 *                     asks about the person's own unit
 * @param actor_id     the person asking: an employee
 * @return 0; CBC_EINVAL (NULL @p out or @p db, an unknown kind, a unit id
 *         below 1 (below 0 for a proposal), an actor id below 1);
 *         CBC_ENOTFOUND (unknown unit or employee); CBC_EIO; CBC_ECORRUPT;
 *         CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_activity_may_record(int *out, cbc_db *db, cbc_activity_kind kind,
                                        int64_t unit_id, int64_t actor_id);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Participation and compliance
 * @{ */

/**
 * Whether an employee took part in the campaign in [@p from, @p to):
 * reported a hazard under their name, attended a training session, belonged
 * to a team taking part in a drill, made a proposal, or — as a union cadre —
 * made a supervision visit (docs/activities.md).
 * @param[out] out     1 or 0
 * @param db           the database
 * @param employee_id  the employee
 * @param from         start of the period
 * @param to           end of the period (exclusive)
 * @return 0; CBC_EINVAL (an empty or inverted period); CBC_ENOTFOUND;
 *         CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_took_part(int *out, cbc_db *db, int64_t employee_id, int64_t from,
                                       int64_t to);

/**
 * The active employees of a unit's subtree who have not passed any training
 * session in calendar year @p year (in the database's UTC offset).
 * @param[out] out    ids, ascending; an array owned by the caller, freed with
 *                    cbc_free() (NULL when empty)
 * @param[out] count  its length
 * @param db          the database
 * @param unit_id     the unit at the top
 * @param year        the calendar year
 * @return 0; CBC_EINVAL (a year outside 1970..9999); CBC_ENOTFOUND (unknown
 *         unit); CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_compliance_untrained(int64_t **out, size_t *count, cbc_db *db,
                                         int64_t unit_id, int year);

/** Why an employee needs training. */
typedef enum cbc_training_need_reason {
  CBC_NEED_INDUCTION = 1,    /**< hired in the last year, three-level induction not complete */
  CBC_NEED_TRANSFER = 2,     /**< transferred (转岗), not re-trained since */
  CBC_NEED_LONG_ABSENCE = 3  /**< back after ≥ 183 days away, not re-trained since */
} cbc_training_need_reason;

/**
 * The name of a training need reason ("induction", "transfer", "long_absence").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_training_need_reason_name(cbc_training_need_reason reason);

/** An employee who needs induction or re-training. */
typedef struct cbc_training_need {
  int64_t employee_id;              /**< who */
  cbc_training_need_reason reason;  /**< why */
  int64_t since;                    /**< the hire, transfer or return it dates from */
  unsigned int missing;             /**< CBC_NEED_INDUCTION: bits (1 << kind) of the
                                         induction levels not yet passed; else 0 */
} cbc_training_need;

/**
 * The active employees of a unit's subtree who, at time @p at, need
 * three-level induction or re-training and have not had it (passed) since
 * the hire, transfer or return (docs/domain.md §5).  An employee appears once,
 * with the most recent reason.
 * @param[out] out    ordered by employee id; owned by the caller, freed with
 *                    cbc_free() (NULL when empty)
 * @param[out] count  its length
 * @param db          the database
 * @param unit_id     the unit at the top
 * @param at          the time asked about; 0 for the database's clock
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_compliance_training_needs(cbc_training_need **out, size_t *count,
                                              cbc_db *db, int64_t unit_id, int64_t at);

/** A shortfall in the drill rule (≥ 2 drills a year per enterprise, every
 * team taking part in them). */
typedef struct cbc_drill_gap {
  int64_t enterprise_id;  /**< the enterprise */
  int64_t team_id;        /**< 0: the enterprise held too few drills; else a team of it
                               that took part in too few */
  int drills;             /**< drills the enterprise held (team_id 0), or the team took
                               part in */
} cbc_drill_gap;

/**
 * Where the drill rule was missed in calendar year @p year: every enterprise
 * of the unit's subtree (or, for a workshop or team, the enterprise above
 * it) that held fewer than 2 drills — its own or its workshops' — and every
 * open team of the subtree that took part in fewer than 2 (docs/domain.md §5).
 * @param[out] out    by enterprise id, the enterprise's own row first, then
 *                    its teams by id; owned by the caller, freed with
 *                    cbc_free() (NULL when empty)
 * @param[out] count  its length
 * @param db          the database
 * @param unit_id     the unit asked about
 * @param year        the calendar year
 * @return 0; CBC_EINVAL (a year outside 1970..9999); CBC_ENOTFOUND;
 *         CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_compliance_drills(cbc_drill_gap **out, size_t *count, cbc_db *db,
                                      int64_t unit_id, int year);
/** @} */

#ifdef __cplusplus
}
#endif

#endif
