/**
 * @file cbc/hazard.h
 * @brief The hazard (隐患) vocabulary and its lifecycle state machine
 *        (闭环管理, docs/domain.md §2–3).
 *
 * A hazard is reported, confirmed into the ledger with its five items,
 * rectified at the lowest level that can fix it, verified and closed — or
 * rejected — and every move is an event.  This header gives the states, the
 * moves and the classifications, and the transition table itself, so front
 * ends can show which moves a hazard allows.
 */
#ifndef CBC_HAZARD_H
#define CBC_HAZARD_H

#include "org.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Limits on hazard text, in bytes of UTF-8
 * @{ */
#define CBC_MAX_TITLE 300       /**< title, location, listing authority and document:
                                     1..300, single-line */
#define CBC_MAX_TEXT 8000       /**< description, measures, plans, reasons, notes: up to
                                     8000; long texts with tabs and line breaks (org.h) */
#define CBC_MAX_URI 2048        /**< attachment URI: 1..2048 */
#define CBC_MAX_ATTACHMENTS 32  /**< per call */
/** @} */

/** Where a hazard is in its lifecycle. */
typedef enum cbc_hazard_state {
  CBC_HAZARD_REPORTED = 1,             /**< reported, not yet confirmed */
  CBC_HAZARD_REGISTERED = 2,           /**< in the ledger with its five items */
  CBC_HAZARD_RECTIFYING = 3,           /**< being rectified */
  CBC_HAZARD_PENDING_VERIFICATION = 4, /**< rectification submitted */
  CBC_HAZARD_CLOSED = 5,               /**< verified and closed (销号) */
  CBC_HAZARD_REJECTED = 6              /**< not a hazard, or a duplicate */
} cbc_hazard_state;

/** The moves of the state machine (and of the event history). */
typedef enum cbc_hazard_action {
  CBC_ACTION_REPORT = 1,            /**< (none) → REPORTED */
  CBC_ACTION_REJECT = 2,            /**< REPORTED → REJECTED */
  CBC_ACTION_REGISTER = 3,          /**< REPORTED → REGISTERED */
  CBC_ACTION_START = 4,             /**< REGISTERED → RECTIFYING */
  CBC_ACTION_ESCALATE = 5,          /**< REGISTERED/RECTIFYING: one level up */
  CBC_ACTION_LIST_SUPERVISION = 6,  /**< 挂牌督办, major only; REGISTERED, RECTIFYING or
                                         PENDING_VERIFICATION, state unchanged */
  CBC_ACTION_REQUEST_EXTENSION = 7, /**< REGISTERED/RECTIFYING; state unchanged */
  CBC_ACTION_DECIDE_EXTENSION = 8,  /**< approve or refuse the pending request;
                                         REGISTERED/RECTIFYING, state unchanged */
  CBC_ACTION_SUBMIT = 9,            /**< RECTIFYING → PENDING_VERIFICATION */
  CBC_ACTION_VERIFY_PASS = 10,      /**< PENDING_VERIFICATION → CLOSED (and de-listed) */
  CBC_ACTION_VERIFY_FAIL = 11,      /**< PENDING_VERIFICATION → RECTIFYING, a reopen counted */
  CBC_ACTION_REOPEN = 12,           /**< 回头看: CLOSED → RECTIFYING, a reopen counted */
  CBC_ACTION_ESCALATE_OVERDUE = 13, /**< the overdue sweep's escalation (system actor) */
  CBC_ACTION_FILE_PLAN = 14,        /**< file the rectification plan (治理方案) at enterprise
                                         level; REGISTERED/RECTIFYING, state unchanged */
  CBC_ACTION_AMEND = 15             /**< correct the five items or the classification
                                         (cbc_hazard_amend()); REGISTERED, RECTIFYING or
                                         PENDING_VERIFICATION, state unchanged; @since 1.2 */
} cbc_hazard_action;

/** Severity (一般 / 重大). */
typedef enum cbc_severity {
  CBC_SEVERITY_GENERAL = 1, /**< small harm, fixed quickly by the unit */
  CBC_SEVERITY_MAJOR = 2    /**< large harm or hard to fix; starts at ENTERPRISE level */
} cbc_severity;

/** Hard (硬) or soft (软) hazard. */
typedef enum cbc_hazard_kind {
  CBC_HAZARD_HARD = 1, /**< process, infrastructure, equipment, environment, protection */
  CBC_HAZARD_SOFT = 2  /**< rules, organisation, responsibility, discipline, site, accidents */
} cbc_hazard_kind;

/** Safety or occupational-health (职业危害) hazard. */
typedef enum cbc_hazard_category {
  CBC_CATEGORY_SAFETY = 1,
  CBC_CATEGORY_OCCUPATIONAL_HEALTH = 2
} cbc_hazard_category;

/** The six checks (六查). */
typedef enum cbc_check_item {
  CBC_CHECK_RULES = 1,                /**< 安全生产制度落实 */
  CBC_CHECK_STANDARD_OPERATION = 2,   /**< 职工标准化作业 */
  CBC_CHECK_EQUIPMENT_GUARDING = 3,   /**< 生产设备安全防护 */
  CBC_CHECK_PROTECTIVE_EQUIPMENT = 4, /**< 劳动保护用品配备 */
  CBC_CHECK_FIXED_POSITION = 5,       /**< 安全生产定置管理 */
  CBC_CHECK_KEY_POINT_CONTROL = 6     /**< 现场关键点控制 */
} cbc_check_item;

/** How the hazard came in. */
typedef enum cbc_hazard_source {
  CBC_SOURCE_SELF_CHECK = 1,        /**< 职工排查 */
  CBC_SOURCE_EXPERT = 2,            /**< 专家查找 */
  CBC_SOURCE_REP_PATROL = 3,        /**< 职工代表巡查 */
  CBC_SOURCE_TEAM_MUTUAL_CHECK = 4, /**< 班组互查 */
  CBC_SOURCE_SNAPSHOT = 5,          /**< 随手拍 */
  CBC_SOURCE_HOTLINE = 6,           /**< 12350 / 有奖举报; may be anonymous */
  CBC_SOURCE_SUPERVISION_VISIT = 7  /**< union or bureau supervision visit */
} cbc_hazard_source;

/** The lifecycle stage an attachment documents. */
typedef enum cbc_attachment_stage {
  CBC_STAGE_REPORT = 1,
  CBC_STAGE_RECTIFICATION = 2,
  CBC_STAGE_VERIFICATION = 3
} cbc_attachment_stage;

/** @name The limit on guessing follow-up keys (docs/security.md)
 * At most CBC_FOLLOWUP_GUESS_LIMIT keys that find no hazard are accepted per
 * window of CBC_FOLLOWUP_GUESS_WINDOW seconds (of the database's clock),
 * counted in the database across every handle and process; after that,
 * lookups by key return CBC_EBUSY until the window ends.
 * @since 1.1
 * @{ */
#define CBC_FOLLOWUP_GUESS_LIMIT 20  /**< wrong keys accepted per window */
#define CBC_FOLLOWUP_GUESS_WINDOW 60 /**< the window, in seconds */
/** @} */

/** Version of cbc_attachment understood by this header. */
#define CBC_ATTACHMENT_VERSION 1

/** A photo or document reference; the host stores the bytes. */
typedef struct cbc_attachment {
  unsigned int version;     /**< CBC_ATTACHMENT_VERSION */
  const char *uri;          /**< where the host keeps it; required, 1..CBC_MAX_URI bytes */
  const char *media_type;   /**< "type/subtype", e.g. "image/jpeg"; required */
  int64_t size;             /**< bytes, >= 0 */
  const char *sha256;       /**< 64 lowercase hex digits */
} cbc_attachment;

/** Static initializer for cbc_attachment. */
#define CBC_ATTACHMENT_INIT { CBC_ATTACHMENT_VERSION, NULL, NULL, 0, NULL }

/**
 * Initialise a cbc_attachment for @p version with the defaults of
 * CBC_ATTACHMENT_INIT (a version's struct is written up to its own last field).
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_attachment_init(cbc_attachment *attachment, unsigned int version);

/** Version of cbc_hazard_record understood by this header. */
#define CBC_HAZARD_RECORD_VERSION 2

/** A new hazard, as reported. */
typedef struct cbc_hazard_record {
  unsigned int version;              /**< CBC_HAZARD_RECORD_VERSION */
  int64_t reporter_id;               /**< an active employee, or 0 for an anonymous
                                          hotline tip-off */
  int64_t unit_id;                   /**< where it is: an open enterprise or a unit in one */
  const char *title;                 /**< required, 1..CBC_MAX_TITLE bytes */
  const char *description;           /**< may be empty; up to CBC_MAX_TEXT bytes */
  const char *location;              /**< may be empty; up to CBC_MAX_TITLE bytes */
  cbc_hazard_kind kind;              /**< hard or soft */
  cbc_hazard_category category;      /**< safety or occupational health */
  cbc_check_item check_item;         /**< which of the six checks */
  cbc_hazard_source source;          /**< how it came in */
  int64_t observed_at;               /**< when it was seen; 0 = now; not in the future */
  cbc_severity proposed_severity;    /**< the reporter's view */
  const cbc_attachment *attachments; /**< photos and documents; may be NULL */
  size_t n_attachments;              /**< up to CBC_MAX_ATTACHMENTS */
  const char *request_key;           /**< NULL, or a key that makes the report safe to retry
                                          (docs/integration.md, "Retrying safely"):
                                          1..CBC_MAX_REQUEST_KEY bytes; cbc_hazard_report()
                                          and cbc_hazard_fix_on_spot() each keep their own
                                          keys; @since 1.1 (version 2) */
} cbc_hazard_record;

/** Static initializer for cbc_hazard_record. */
#define CBC_HAZARD_RECORD_INIT \
  { CBC_HAZARD_RECORD_VERSION, 0, 0, NULL, NULL, NULL, (cbc_hazard_kind)0, \
    (cbc_hazard_category)0, (cbc_check_item)0, (cbc_hazard_source)0, 0, \
    (cbc_severity)0, NULL, 0, NULL }

/**
 * Initialise a cbc_hazard_record for @p version with the defaults of
 * CBC_HAZARD_RECORD_INIT (a version's struct is written up to its own last field).
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_record_init(cbc_hazard_record *rec, unsigned int version);

/** The rectification plan (治理方案) a major hazard needs. */
typedef struct cbc_rectification_plan {
  const char *goals;              /**< goals and tasks */
  const char *methods;            /**< methods and measures */
  const char *funds_materials;    /**< funds and materials */
  const char *responsible_bodies; /**< responsible bodies and people */
  int64_t time_limit;             /**< when it must be done */
  const char *safety_measures;    /**< safety and emergency measures */
} cbc_rectification_plan;

/** An attachment as stored. */
typedef struct cbc_hazard_attachment {
  char *uri;                  /**< where the host keeps it */
  char *media_type;           /**< "type/subtype" */
  int64_t size;               /**< bytes */
  char *sha256;               /**< 64 lowercase hex digits */
  cbc_attachment_stage stage; /**< the lifecycle stage it documents */
  int64_t added_at;           /**< when */
  int64_t added_by;           /**< who; 0 for anonymous */
} cbc_hazard_attachment;

/** A hazard as stored (library-allocated; fields may be appended). */
typedef struct cbc_hazard {
  int64_t id;                       /**< libcbc's id, in the order of reporting */
  cbc_hazard_state state;           /**< where it is in its lifecycle */
  int64_t reporter_id;              /**< 0 = anonymous */
  int64_t unit_id;                  /**< where it is */
  int64_t enterprise_id;            /**< the enterprise of that unit */
  char *title;                      /**< short title */
  char *description;                /**< description; "" when none */
  char *location;                   /**< location text; "" when none */
  cbc_hazard_kind kind;             /**< hard or soft */
  cbc_hazard_category category;     /**< safety or occupational health */
  cbc_check_item check_item;        /**< which of the six checks */
  cbc_hazard_source source;         /**< how it came in */
  int64_t observed_at;              /**< when it was seen */
  int64_t reported_at;              /**< when it was reported */
  cbc_severity proposed_severity;   /**< the reporter's view */
  cbc_severity severity;            /**< as registered; 0 before */
  cbc_level level;                  /**< the current level; 0 before registration */
  cbc_level resolved_level;         /**< the level it was closed at; 0 unless closed */
  int64_t responsible_id;           /**< 责任: the responsible person; 0 before registration */
  char *measures;                   /**< 措施 */
  int64_t funds_fen;                /**< 资金, in fen */
  int64_t original_deadline;        /**< 时限 as registered */
  int64_t deadline;                 /**< the current deadline, after approved extensions */
  char *contingency_plan;           /**< 预案 */
  int has_plan;                     /**< 1 when a rectification plan is on file */
  cbc_rectification_plan plan;      /**< 治理方案 (strings owned by the hazard) */
  char *reject_reason;              /**< why it was rejected; "" otherwise */
  int64_t duplicate_of;             /**< the hazard it duplicates; 0 otherwise */
  int listed;                       /**< 1 while listed for supervision (挂牌督办) */
  char *listing_authority;          /**< who listed it; "" when never listed */
  char *listing_document;           /**< the listing document number */
  int64_t listed_at;                /**< when it was listed */
  int64_t listed_by;                /**< the inspector who listed it */
  int extension_pending;            /**< 1 while an extension request waits */
  int64_t extension_requested_deadline; /**< the deadline asked for */
  int reopen_count;                 /**< failed verifications and reviews */
  int64_t submitted_by;             /**< who submitted the rectification under verification */
  char *last_note;                  /**< the note of the last submission, verification or
                                         review */
  int64_t closed_at;                /**< when it was closed (销号); 0 unless closed */
  int64_t updated_at;               /**< the time of the last move */
  size_t n_attachments;             /**< length of @c attachments */
  cbc_hazard_attachment *attachments; /**< in the order added */
} cbc_hazard;

/**
 * Free a hazard returned by cbc_hazard_lookup().  Accepts NULL.
 * @param hazard  the hazard
 * @since 1.0
 */
CBC_EXTERN(void) cbc_hazard_free(cbc_hazard *hazard);

/**
 * Report a hazard (the first move of its history).
 *
 * With a request key (record version 2), a retry with the same key and
 * record returns the first report's hazard id and reports nothing again
 * (docs/integration.md, "Retrying safely").  The library never keeps an
 * anonymous report's follow-up key, only its hash (docs/security.md), so the
 * retry of an anonymous report hands out a new follow-up key and the first
 * one stops working: only the client holding the request key can retry, and
 * it retries because it never received the first answer.
 * @param[out] out_id        the new hazard's id (a retry: the first one's);
 *                           may be NULL
 * @param[out] out_followup  for an anonymous report (reporter_id 0): a
 *                           follow-up key (32 hex digits) to read the answer
 *                           and claim a reward later, owned by the caller,
 *                           freed with cbc_free(); required then.  Set to
 *                           NULL for a named report; may be NULL then.
 * @param db                 the database
 * @param report             the report
 * @return 0; CBC_EINVAL (NULL arguments, a bad field: the message names it;
 *         an anonymous report not from the hotline; an observation in the
 *         future; a bad attachment); CBC_ENOTFOUND (unit or reporter);
 *         CBC_ESTATE (a closed unit, or one outside any enterprise);
 *         CBC_EPERM (an inactive reporter; a read-only database);
 *         CBC_ECONFLICT (the request key was used for a report with another
 *         record); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0; the request key @since 1.1
 */
CBC_EXTERN(int) cbc_hazard_report(int64_t *out_id, char **out_followup, cbc_db *db,
                                  const cbc_hazard_record *report);

/** Version of cbc_hazard_registration understood by this header. */
#define CBC_HAZARD_REGISTRATION_VERSION 1

/** Confirming a hazard into the ledger: severity, level, the five items. */
typedef struct cbc_hazard_registration {
  unsigned int version;         /**< CBC_HAZARD_REGISTRATION_VERSION */
  cbc_severity severity;        /**< general or major */
  cbc_level level;              /**< the lowest level that can fix it; MAJOR needs ENTERPRISE */
  int64_t responsible_id;       /**< 责任: 0 = resolved from the org tree at the level
                                     (INDIVIDUAL: the reporter); a person named
                                     must be able to act at the level for the
                                     hazard's unit (docs/authorization.md) */
  const char *measures;         /**< 措施, required, up to CBC_MAX_TEXT bytes */
  int64_t funds_fen;            /**< 资金, integer fen, 0..CBC_MAX_AMOUNT_FEN */
  int64_t deadline;             /**< 时限, after the report, up to CBC_TIME_MAX */
  const char *contingency_plan; /**< 预案, required, up to CBC_MAX_TEXT bytes */
  const cbc_rectification_plan *plan; /**< 治理方案: required for MAJOR, else NULL */
} cbc_hazard_registration;

/** Static initializer for cbc_hazard_registration. */
#define CBC_HAZARD_REGISTRATION_INIT \
  { CBC_HAZARD_REGISTRATION_VERSION, (cbc_severity)0, (cbc_level)0, 0, NULL, 0, 0, NULL, NULL }

/**
 * Initialise a cbc_hazard_registration for @p version with the defaults of
 * CBC_HAZARD_REGISTRATION_INIT (a version's struct is written up to its own last field).
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_registration_init(cbc_hazard_registration *registration,
                                             unsigned int version);

/* ------------------------------------------------------------------ */
/* The moves.  Each is one transaction: the hazard changes and its event is
 * appended together, or nothing happens.  Who may make which move:
 * docs/authorization.md. */

/**
 * Reject a report: not a hazard, or a duplicate of another hazard (件件有回声:
 * the reporter hears the reason).
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param reason        why; required unless @p duplicate_of is given
 * @param duplicate_of  0, or the hazard this one duplicates (another hazard of
 *                      the same enterprise, not itself, not rejected)
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_EINVAL also for a missing reason or a bad @p duplicate_of
 *         (unknown, itself, rejected, or of another enterprise: the message
 *         names duplicate_of)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_reject(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *reason, int64_t duplicate_of);

/**
 * Confirm a report into the ledger (台账) with its severity, level and the
 * five items (五到位), and for a major hazard its rectification plan.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param registration  severity, level, responsible person, measures, funds,
 *                      deadline, contingency plan, plan
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_EINVAL also for a deadline not after the report, negative funds,
 *         missing measures or contingency plan, a major hazard below
 *         ENTERPRISE level or without a complete plan, and for a responsible
 *         person (named, or the reporter at INDIVIDUAL level) who is unknown,
 *         inactive or cannot act at the level for the hazard's unit (another
 *         enterprise's, a bureau's, outside its team or workshop:
 *         docs/authorization.md; the message names responsible_id);
 *         CBC_ENOTFOUND when no responsible person can be resolved at the level
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_register(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                    const cbc_hazard_registration *registration);

/**
 * Start rectification.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_start(cbc_db *db, int64_t hazard_id, int64_t actor_id);

/**
 * Move the hazard one level up (INDIVIDUAL → TEAM → WORKSHOP → ENTERPRISE)
 * because it cannot be fixed where it is, re-fixing the responsible person.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param reason          why; required
 * @param responsible_id  0 = resolved from the org tree at the new level; else
 *                        someone who can act at it for the hazard's unit
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also when it is already at ENTERPRISE; CBC_ENOTFOUND when
 *         nobody is responsible at the new level; CBC_EINVAL for a named
 *         responsible person who is unknown, inactive or cannot act at the
 *         new level for the hazard's unit (as cbc_hazard_register())
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_escalate(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                    const char *reason, int64_t responsible_id);

/**
 * List a major hazard for supervision (挂牌督办).  It is de-listed (摘牌)
 * only by passing verification.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param authority  the listing authority, e.g. "历下区应急管理局"; required
 * @param document   the document number; required
 * @param listed_at  when; 0 = now
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also for a general hazard or one already listed
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_list_supervision(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                            const char *authority, const char *document,
                                            int64_t listed_at);

/**
 * Ask for a later deadline.  The original deadline is kept, and both are
 * reported.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param new_deadline  after the current deadline
 * @param reason        why; required
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also when a request is already pending, or the
 *         deadline is already CBC_TIME_MAX
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_request_extension(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                             int64_t new_deadline, const char *reason);

/**
 * Approve or refuse the pending extension request; the decider is above
 * the responsible level.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param approve  1 to approve (the deadline moves), 0 to refuse
 * @param reason   may be NULL
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also when no request is pending
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_decide_extension(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                            int approve, const char *reason);

/**
 * File the rectification plan (治理方案) of a hazard at ENTERPRISE level
 * (needed before a hazard escalated there can be submitted).
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param plan  the plan; every field required
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also below ENTERPRISE level
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_file_plan(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                     const cbc_rectification_plan *plan);

/**
 * Submit the rectification for verification, with a note and evidence.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param note        what was done; required
 * @param evidence    attachments (stage RECTIFICATION); may be NULL
 * @param n_evidence  how many
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ESTATE also at ENTERPRISE level without a rectification plan on file
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_submit(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *note, const cbc_attachment *evidence,
                                  size_t n_evidence);

/**
 * Verify a submitted rectification (验收).  Pass closes it (销号) and ends
 * listed supervision; fail returns it to RECTIFYING and counts a reopen.
 * Nobody verifies what they submitted; a major hazard is verified at
 * enterprise level, a listed one by a bureau inspector.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param pass        1 to pass, 0 to fail
 * @param note        required when failing; may be NULL when passing
 * @param evidence    attachments (stage VERIFICATION); may be NULL
 * @param n_evidence  how many
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_verify(cbc_db *db, int64_t hazard_id, int64_t actor_id, int pass,
                                  const char *note, const cbc_attachment *evidence,
                                  size_t n_evidence);

/**
 * Reopen a closed hazard after a review (回头看).  History is not
 * rewritten; the reopen is counted.
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   who makes the move: an active employee
 * @param reason  why; required
 * @return 0; CBC_EINVAL (NULL db, a bad argument: the message names it);
 *         CBC_ENOTFOUND (unknown hazard or actor); CBC_ESTATE (the move is
 *         illegal in the hazard's state: the message names the state and
 *         the action); CBC_EPERM (the actor may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_reopen(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *reason);

/**
 * Fixed on the spot (随手改): a general hazard the reporter fixed at once.  In
 * one transaction it is reported, registered at INDIVIDUAL level with the
 * reporter responsible, started and submitted with the evidence, so it counts
 * in the ledger; someone else then verifies it.  A request key in the report
 * makes it safe to retry as for cbc_hazard_report() (the same key, measures
 * and evidence: the first id; other ones: CBC_ECONFLICT); its keys are
 * separate from cbc_hazard_report()'s.
 * @param[out] out_id  the hazard's id; may be NULL
 * @param db           the database
 * @param report       the report: named (reporter_id set), proposed_severity GENERAL
 * @param measures     what was done; required
 * @param evidence     attachments (stage RECTIFICATION); may be NULL
 * @param n_evidence   how many
 * @return as cbc_hazard_report(); CBC_EINVAL also for an anonymous or major
 *         report, missing measures, or a reporter who cannot be responsible
 *         for it (inactive, or outside the hazard's enterprise)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_fix_on_spot(int64_t *out_id, cbc_db *db,
                                       const cbc_hazard_record *report, const char *measures,
                                       const cbc_attachment *evidence, size_t n_evidence);

/** What a cbc_hazard_amendment changes (its @c fields), as bits.
 * @since 1.2 */
typedef enum cbc_amend_field {
  CBC_AMEND_RESPONSIBLE = 1u << 0,      /**< 责任: the responsible person */
  CBC_AMEND_MEASURES = 1u << 1,         /**< 措施 */
  CBC_AMEND_FUNDS = 1u << 2,            /**< 资金 */
  CBC_AMEND_DEADLINE = 1u << 3,         /**< 时限 */
  CBC_AMEND_CONTINGENCY_PLAN = 1u << 4, /**< 预案 */
  CBC_AMEND_SEVERITY = 1u << 5,         /**< general or major */
  CBC_AMEND_KIND = 1u << 6,             /**< hard or soft */
  CBC_AMEND_CATEGORY = 1u << 7,         /**< safety or occupational health */
  CBC_AMEND_CHECK_ITEM = 1u << 8        /**< which of the six checks */
} cbc_amend_field;

/** Every cbc_amend_field bit this header knows.  @since 1.2 */
#define CBC_AMEND_ALL 0x1ffu

/** Version of cbc_hazard_amendment understood by this header.  @since 1.2 */
#define CBC_HAZARD_AMENDMENT_VERSION 1

/** A correction of a registered hazard's five items (五到位) and
 * classification; only the fields named in @c fields are read, each checked
 * as cbc_hazard_register() and cbc_hazard_report() check it.
 * @since 1.2 */
typedef struct cbc_hazard_amendment {
  unsigned int version;          /**< CBC_HAZARD_AMENDMENT_VERSION */
  unsigned int fields;           /**< cbc_amend_field bits: what changes; at least one */
  int64_t responsible_id;        /**< a person who can act at the hazard's current level for
                                      its unit (as for cbc_hazard_register(); 0 is not
                                      resolved: name the person) */
  const char *measures;          /**< required, up to CBC_MAX_TEXT bytes */
  int64_t funds_fen;             /**< integer fen, 0..CBC_MAX_AMOUNT_FEN */
  int64_t deadline;              /**< after the report, up to CBC_TIME_MAX; replaces the
                                      registered and the current deadline */
  const char *contingency_plan;  /**< required, up to CBC_MAX_TEXT bytes */
  cbc_severity severity;         /**< MAJOR needs ENTERPRISE level and a plan on file */
  cbc_hazard_kind kind;          /**< hard or soft */
  cbc_hazard_category category;  /**< safety or occupational health */
  cbc_check_item check_item;     /**< one of the six checks */
  const char *reason;            /**< why the record was wrong; required, up to
                                      CBC_MAX_TEXT bytes */
} cbc_hazard_amendment;

/** Static initializer for cbc_hazard_amendment (changes nothing).  @since 1.2 */
#define CBC_HAZARD_AMENDMENT_INIT \
  { CBC_HAZARD_AMENDMENT_VERSION, 0, 0, NULL, 0, 0, NULL, (cbc_severity)0, \
    (cbc_hazard_kind)0, (cbc_hazard_category)0, (cbc_check_item)0, NULL }

/**
 * Initialise an amendment of @p version to CBC_HAZARD_AMENDMENT_INIT's values.
 * @param amendment  the struct
 * @param version    CBC_HAZARD_AMENDMENT_VERSION (or an older one)
 * @return 0; CBC_EINVAL (NULL, version 0 or newer than the library knows)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_amendment_init(cbc_hazard_amendment *amendment,
                                          unsigned int version);

/**
 * Correct a registered hazard's five items or classification before it is
 * closed (更正), without rewriting its history: the correction is a move,
 * CBC_ACTION_AMEND, whose event carries the fields it changed, their new
 * values and the reason, and the state does not change.  Who may: whoever
 * may register at the hazard's current level (docs/authorization.md); a
 * deadline moved later than the current one also needs whoever may approve
 * an extension, so a correction never does what an extension needs approval
 * for.  A new deadline replaces both the registered and the current one
 * (approved extensions are superseded; their events stay in the history) and
 * may already be past: the next overdue sweep then finds the hazard.
 * Repeating an amendment changes nothing more (its event is recorded again),
 * so it is safe to retry.
 * @param db          the database
 * @param hazard_id   the hazard
 * @param actor_id    who makes the correction: an active employee
 * @param amendment   what changes, and why
 * @return 0; CBC_EINVAL (NULL db or amendment, its version, no or unknown
 *         @c fields bits, a bad value: the message names the field; a
 *         responsible person who is unknown, inactive or cannot act at the
 *         hazard's level for its unit, as cbc_hazard_register(); a deadline
 *         not after the report; a missing reason); CBC_ENOTFOUND (unknown
 *         hazard or actor); CBC_ESTATE (the hazard is REPORTED, CLOSED or
 *         REJECTED: the message names the state; severity MAJOR below
 *         ENTERPRISE level or without a rectification plan on file; severity
 *         GENERAL while listed for supervision; a deadline while an extension
 *         request is pending); CBC_EPERM (the actor may not: the message
 *         names the rule; a read-only database); CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_amend(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                 const cbc_hazard_amendment *amendment);

/** One move in a hazard's history (append-only; the hazard's state is the
 * result of its moves). */
typedef struct cbc_hazard_event {
  int64_t id;                  /**< increasing across the database */
  int64_t hazard_id;           /**< the hazard */
  int64_t at;                  /**< when, seconds since the epoch */
  int64_t actor_id;            /**< who; 0 for the system or an anonymous reporter */
  cbc_hazard_action action;    /**< the move */
  cbc_hazard_state from_state; /**< 0 for REPORT */
  cbc_hazard_state to_state;   /**< the state after the move */
  cbc_level level;             /**< the level after the move (0 before registration) */
  char *data;                  /**< the move's data as a JSON object */
} cbc_hazard_event;

/**
 * The event hook: called with each event after its transaction commits
 * (inside a cbc_db_begin() group: when cbc_db_commit() succeeds), in order,
 * for notifications (SMS, mail, webhooks are the host's).  Events of a call
 * or group that rolls back are never delivered.  The event is borrowed for
 * the call.  A non-zero return never undoes the committed change: the call
 * that committed still returns 0, and cbc_error_last() holds the hook's
 * code and a message saying so.  The hook must not call back into the same
 * database handle.
 */
typedef int (*cbc_hazard_event_fn)(const cbc_hazard_event *event, void *payload);

/**
 * Register (or with NULL, remove) the event hook of a database handle.
 * @param db       the database
 * @param fn       the hook, or NULL
 * @param payload  passed to @p fn
 * @return 0; CBC_EINVAL for a NULL db
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_set_event_hook(cbc_db *db, cbc_hazard_event_fn fn, void *payload);

/**
 * One hazard's history, oldest first.
 * @param[out] out    an array owned by the caller, freed with
 *                    cbc_hazard_events_free()
 * @param[out] count  its length
 * @param db          the database
 * @param hazard_id   the hazard
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_history(cbc_hazard_event **out, size_t *count, cbc_db *db,
                                   int64_t hazard_id);

/**
 * Free an event array from cbc_hazard_history().  Accepts NULL.
 * @param events  the array
 * @param count   its length
 * @since 1.0
 */
CBC_EXTERN(void) cbc_hazard_events_free(cbc_hazard_event *events, size_t count);

/**
 * Get one hazard with its five items, plan and attachments.
 * @param[out] out   owned by the caller, freed with cbc_hazard_free()
 * @param db         the database
 * @param hazard_id  the hazard
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_lookup(cbc_hazard **out, cbc_db *db, int64_t hazard_id);

/** The bit of @p action in cbc_hazard_moves()'s answer.  @since 1.2 */
#define CBC_MOVE(action) ((unsigned int)1 << (action))

/**
 * The moves a person may make on a hazard now, so a front end offers only
 * those (docs/authorization.md, "What may this person do now").  A move's
 * bit is set when, as the hazard stands, the transition table allows it,
 * the move's own conditions that no argument changes hold (an extension is
 * decided only while a request is pending and requested only while none
 * is; only a major hazard not yet listed is listed for supervision; below
 * ENTERPRISE for ESCALATE, at ENTERPRISE for FILE_PLAN, a plan on file to
 * SUBMIT there), and the authorization rules allow it to this person with
 * the facts the move itself weighs.  What depends on the arguments is left
 * to the move: REGISTER is set when the person may register at some level
 * (the level and severity chosen may need more authority: a major hazard is
 * registered at ENTERPRISE); AMEND when the person may make some correction
 * — of the five items and classification with authority at the hazard's
 * level, or else only moving the deadline later, which takes whoever may
 * approve an extension and no request pending — so a given correction may
 * still be refused (moving the deadline later always needs that approver
 * too); and a responsible person named in ESCALATE or REGISTER must qualify.
 * REPORT and ESCALATE_OVERDUE are never set: they are no person's move on
 * an existing hazard.  Nobody verifies what they submitted, so VERIFY_PASS
 * and VERIFY_FAIL are never set for the submitter.  An inactive employee
 * gets 0.  Reads in one read snapshot; writes nothing, and leaves the
 * thread's error as it was on success (the refusals it weighs are not
 * errors).
 * @param[out] out   CBC_MOVE(action) bits of cbc_hazard_action; 0 on error
 * @param db         the database
 * @param hazard_id  the hazard
 * @param actor_id   the person asking: an employee
 * @return 0; CBC_EINVAL (NULL @p out or @p db, an id below 1);
 *         CBC_ENOTFOUND (unknown hazard, or unknown employee, as the moves
 *         answer); CBC_EIO; CBC_ECORRUPT (a damaged row); CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_moves(unsigned int *out, cbc_db *db, int64_t hazard_id,
                                 int64_t actor_id);

/** @name Named sets of states, as bits for cbc_hazard_filter::states
 * @since 1.2
 * @{ */
/** Open: in the ledger and not yet closed (registered, rectifying, pending
 *  verification) — the states the overdue sweep and the deadline watch. */
#define CBC_HAZARD_STATES_OPEN \
  ((1u << CBC_HAZARD_REGISTERED) | (1u << CBC_HAZARD_RECTIFYING) | \
   (1u << CBC_HAZARD_PENDING_VERIFICATION))
/** Waiting to be confirmed or rejected (reported only). */
#define CBC_HAZARD_STATES_NEW (1u << CBC_HAZARD_REPORTED)
/** Finished: verified and closed, or rejected. */
#define CBC_HAZARD_STATES_DONE ((1u << CBC_HAZARD_CLOSED) | (1u << CBC_HAZARD_REJECTED))
/** Closed (销号) only. */
#define CBC_HAZARD_STATES_CLOSED (1u << CBC_HAZARD_CLOSED)
/** Not finished: reported or open. */
#define CBC_HAZARD_STATES_ACTIVE (CBC_HAZARD_STATES_NEW | CBC_HAZARD_STATES_OPEN)
/** @} */

/** The order of the ledger (docs/ledger.md).  Ties are broken by id, in the
 *  same direction.  @since 1.2 */
typedef enum cbc_hazard_sort {
  CBC_HAZARD_SORT_REPORTED = 0, /**< by id, which is the order of reporting (the default) */
  CBC_HAZARD_SORT_DEADLINE = 1, /**< by the current deadline; 0 (not registered) first */
  CBC_HAZARD_SORT_UPDATED = 2   /**< by the time of the last move */
} cbc_hazard_sort;

/**
 * The name of a ledger order ("reported", "deadline", "updated").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_hazard_sort_name(cbc_hazard_sort sort);

/** Version of cbc_hazard_filter understood by this header (1: up to
 *  closed_to; 2: listed, text, sort, descending, after, limit; 3: viewer_id). */
#define CBC_HAZARD_FILTER_VERSION 3

/** Which hazards to iterate; zero fields do not filter. */
typedef struct cbc_hazard_filter {
  unsigned int version;      /**< CBC_HAZARD_FILTER_VERSION */
  unsigned int states;       /**< bits (1u << state); 0 = any */
  cbc_severity severity;     /**< 0 = any */
  cbc_level level;           /**< 0 = any */
  int64_t unit_id;           /**< the org subtree; 0 = everywhere */
  int64_t reporter_id;       /**< 0 = any */
  int64_t responsible_id;    /**< 0 = any */
  int64_t overdue_at;        /**< only hazards open past their deadline at this time; 0 = off */
  int64_t reported_from;     /**< reported at or after; 0 = open-ended */
  int64_t reported_to;       /**< reported before; 0 = open-ended */
  int64_t closed_from;       /**< closed at or after; 0 = open-ended */
  int64_t closed_to;         /**< closed before; 0 = open-ended */
  int listed;                /**< 1: only hazards listed for supervision (挂牌督办) now;
                                  0 = any; @since 1.2 (version 2) */
  const char *text;          /**< NULL or "": no search; else hazards whose title or
                                  description contains this text (UTF-8, single-line, up
                                  to CBC_MAX_TITLE bytes; docs/ledger.md, "Search");
                                  @since 1.2 (version 2) */
  cbc_hazard_sort sort;      /**< the order; @since 1.2 (version 2) */
  int descending;            /**< 1: newest / latest first; @since 1.2 (version 2) */
  const char *after;         /**< NULL, or a cursor from cbc_hazard_iter_cursor() of an
                                  iterator with the same sort and direction: start after
                                  that row; @since 1.2 (version 2) */
  size_t limit;              /**< at most this many rows; 0 = no limit;
                                  @since 1.2 (version 2) */
  int64_t viewer_id;         /**< 0 = no one in particular (a trusted host's view); else
                                  only what this employee may read (docs/authorization.md,
                                  "Who may read"): unit_id 0 means their read scope, another
                                  unit must be inside it; with reporter_id == viewer_id,
                                  their own reports wherever they are; @since 1.2
                                  (version 3) */
} cbc_hazard_filter;

/** Static initializer for cbc_hazard_filter (everything). */
#define CBC_HAZARD_FILTER_INIT \
  { CBC_HAZARD_FILTER_VERSION, 0, (cbc_severity)0, (cbc_level)0, 0, 0, 0, 0, 0, 0, 0, 0, \
    0, NULL, CBC_HAZARD_SORT_REPORTED, 0, NULL, 0, 0 }

/**
 * Initialise a cbc_hazard_filter for @p version with the defaults of
 * CBC_HAZARD_FILTER_INIT (a version's struct is written up to its own last field).
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_filter_init(cbc_hazard_filter *filter, unsigned int version);

/** An iterator over hazards. */
typedef struct cbc_hazard_iter cbc_hazard_iter;

/**
 * Iterate the hazards matching @p filter: the ledger (docs/ledger.md).  By
 * id (the order of reporting) unless the filter (version 2) sorts
 * otherwise; from the row after its @c after cursor and at most @c limit
 * rows when it sets them.
 * @param[out] out  the iterator, owned by the caller, freed with cbc_hazard_iter_free()
 * @param db        the database
 * @param filter    NULL for all hazards
 * @return 0; CBC_EINVAL (NULL arguments; a bad filter: its version, unknown
 *         state bits, severity or level, negative times, an inverted period;
 *         listed not 0 or 1, a sort or direction out of range, text that is
 *         not valid single-line UTF-8 or longer than CBC_MAX_TITLE, a cursor
 *         that is not one, or one from another sort or direction; a negative
 *         viewer_id); CBC_ENOTFOUND (unknown unit or viewer); CBC_EPERM (the
 *         viewer has left, or the unit is outside what the viewer may read);
 *         CBC_ENOMEM
 * @since 1.0; sort, paging, listed and text @since 1.2; viewer_id @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_iter_new(cbc_hazard_iter **out, cbc_db *db,
                                    const cbc_hazard_filter *filter);

/**
 * The next hazard (without attachments: use cbc_hazard_lookup() for them).
 * @param[out] out  borrowed: valid until the next call or cbc_hazard_iter_free()
 * @param it        the iterator
 * @return 0; CBC_ITEROVER at the end; CBC_EINVAL; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_iter_next(const cbc_hazard **out, cbc_hazard_iter *it);

/**
 * Free a hazard iterator.  Accepts NULL.
 * @param it  the iterator
 * @since 1.0
 */
CBC_EXTERN(void) cbc_hazard_iter_free(cbc_hazard_iter *it);

/**
 * The cursor after the last row an iterator returned, for the @c after field
 * of the next page's filter (same sort and direction).  It is an opaque
 * string; it stays valid while hazards are added (docs/ledger.md, "Paging").
 * @param[out] out  the cursor, owned by the caller, freed with cbc_free()
 * @param it        the iterator
 * @return 0; CBC_EINVAL (NULL arguments; no row returned yet); CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_iter_cursor(char **out, cbc_hazard_iter *it);

/**
 * Count the hazards matching @p filter, as cbc_hazard_iter_new() would
 * iterate them without its sort, @c after and @c limit (which are ignored,
 * though a bad value is still CBC_EINVAL).
 * @param[out] out  the count
 * @param db        the database
 * @param filter    NULL for all hazards
 * @return 0; CBC_EINVAL (as cbc_hazard_iter_new()); CBC_ENOTFOUND (unknown
 *         unit or viewer); CBC_EPERM (as cbc_hazard_iter_new()); CBC_EIO;
 *         CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_count(int64_t *out, cbc_db *db, const cbc_hazard_filter *filter);

/**
 * Whether an employee may read a hazard — its page, history, attachments and
 * answer (docs/authorization.md, "Who may read"): an active employee reads
 * the hazards of their read scope (cbc_employee_read_scope()) and those they
 * reported themselves, wherever they are now; an employee who left reads
 * none.  Anonymous reporters read by follow-up key only
 * (cbc_hazard_answer_by_key()).
 * @param[out] out    1 when they may, else 0 (0 on every error)
 * @param db          the database
 * @param hazard_id   the hazard
 * @param employee_id who would read it
 * @return 0 (also for an employee who left: *out is 0); CBC_EINVAL (NULL
 *         arguments, an id below 1); CBC_ENOTFOUND (unknown hazard or
 *         employee); CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_readable(int *out, cbc_db *db, int64_t hazard_id,
                                    int64_t employee_id);

/** What the reporter hears (件件有回声). */
typedef struct cbc_hazard_answer {
  int64_t hazard_id;       /**< the hazard */
  cbc_hazard_state state;  /**< where it is */
  char *title;             /**< its title */
  char *answer;            /**< the rejection reason (and "duplicate of hazard N"), the
                                verification note or "rectified and verified" when closed,
                                "" while open */
  int64_t updated_at;      /**< the time of the last move */
} cbc_hazard_answer;

/**
 * Free an answer.  Accepts NULL.
 * @param answer  the answer
 * @since 1.0
 */
CBC_EXTERN(void) cbc_hazard_answer_free(cbc_hazard_answer *answer);

/**
 * The answer to a named reporter about their report.
 * @param[out] out     owned by the caller, freed with cbc_hazard_answer_free()
 * @param db           the database
 * @param hazard_id    the hazard
 * @param reporter_id  who asks; must be its reporter
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND (unknown hazard); CBC_EPERM (not this
 *         employee's report); CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_answer_for(cbc_hazard_answer **out, cbc_db *db, int64_t hazard_id,
                                      int64_t reporter_id);

/**
 * The answer to an anonymous tip-off, by its follow-up key.
 *
 * Keys are compared by their hashes, in constant time.  A well-formed key
 * that finds no hazard counts against the limit on guesses
 * (CBC_FOLLOWUP_GUESS_LIMIT per CBC_FOLLOWUP_GUESS_WINDOW seconds, counted in
 * the database for every handle and process; on a read-only handle, which
 * cannot write the count, also in the handle); a key of the wrong form does
 * not count.  Counting writes a row: inside a cbc_db_begin() group it is
 * part of the group.  docs/security.md.
 * @param[out] out      owned by the caller, freed with cbc_hazard_answer_free()
 * @param db            the database
 * @param followup_key  the key cbc_hazard_report() returned (hex digits in
 *                      either case)
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND (no such key, or not
 *         32 hex digits); CBC_EBUSY (the limit on wrong keys is reached: the
 *         message says when lookups resume; or the database is locked while
 *         counting a wrong key); CBC_EIO; CBC_ENOMEM
 * @since 1.0; the limit @since 1.1
 */
CBC_EXTERN(int) cbc_hazard_answer_by_key(cbc_hazard_answer **out, cbc_db *db,
                                         const char *followup_key);

/** Flags for cbc_hazard_sweep_overdue(). */
typedef enum cbc_sweep_flag {
  /** Escalate each overdue REGISTERED or RECTIFYING hazard below ENTERPRISE
   * one level, with the system as actor and the reason "overdue"; the
   * responsible person is resolved at the new level, or kept when nobody
   * holds the role there.  Since 1.2 once per lapse: a hazard the sweep
   * escalated for being overdue is escalated again only when its current
   * deadline is later than the time that escalation judged by (an
   * extension approved to a later date, which lapsed too); a deadline
   * corrected to another date already past then is the same lapse. */
  CBC_SWEEP_ESCALATE = 1u << 0
} cbc_sweep_flag;

/**
 * Find the hazards overdue at time @p at (open, past their current
 * deadline) and, with CBC_SWEEP_ESCALATE, escalate them: cbc_hazard_sweep()
 * with its default batch (CBC_SWEEP_BATCH_DEFAULT hazards per transaction,
 * since 1.2; one transaction before) and no progress callback.  A hazard
 * is escalated once per lapse (since 1.2; CBC_SWEEP_ESCALATE says when a
 * deadline is a new lapse), so a second sweep, or the rerun of one that
 * failed half-way, escalates only what the first did not.
 * @param[out] out    their ids, by id, owned by the caller, freed with
 *                    cbc_free() (NULL when none)
 * @param[out] count  how many
 * @param db          the database
 * @param at          the time to judge by (seconds since the epoch); 0 = now
 * @param flags       0 or CBC_SWEEP_ESCALATE
 * @return 0; CBC_EINVAL (NULL arguments, unknown flags, negative time);
 *         CBC_EPERM (escalating on a read-only database); CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM (after an error the batches before it stay escalated)
 * @since 1.0; batches and once per lapse @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_sweep_overdue(int64_t **out, size_t *count, cbc_db *db, int64_t at,
                                         unsigned int flags);

/** Hazards cbc_hazard_sweep() escalates per transaction by default: a batch
 * holds the write lock for well under a second (tests/bench/README.md, "The
 * overdue sweep"). */
#define CBC_SWEEP_BATCH_DEFAULT 1000

/** Where a sweep stands, passed to its progress callback after each batch
 * commits. */
typedef struct cbc_sweep_progress {
  size_t found;     /**< hazards found overdue */
  size_t done;      /**< of them, looked at so far (escalated or not) */
  size_t escalated; /**< of them, escalated so far by this sweep */
} cbc_sweep_progress;

/** Called by cbc_hazard_sweep() after each committed batch; a non-zero
 * return stops the sweep there (the batches before stay escalated) and is
 * what cbc_hazard_sweep() returns — except after the last batch, when
 * there is nothing left to stop: the sweep is complete and returns 0. */
typedef int (*cbc_sweep_progress_fn)(const cbc_sweep_progress *progress, void *payload);

/** Version of cbc_sweep_options. */
#define CBC_SWEEP_OPTIONS_VERSION 1

/** How cbc_hazard_sweep() runs. */
typedef struct cbc_sweep_options {
  unsigned int version;           /**< CBC_SWEEP_OPTIONS_VERSION */
  int64_t at;                     /**< the time to judge by (seconds since the epoch); 0 = now */
  unsigned int flags;             /**< 0 or CBC_SWEEP_ESCALATE */
  size_t batch;                   /**< hazards per transaction when escalating;
                                       0 = CBC_SWEEP_BATCH_DEFAULT */
  cbc_sweep_progress_fn progress; /**< NULL, or called after each batch */
  void *payload;                  /**< passed to @c progress */
} cbc_sweep_options;

/** Initializer for cbc_sweep_options. */
#define CBC_SWEEP_OPTIONS_INIT { CBC_SWEEP_OPTIONS_VERSION, 0, 0, 0, NULL, NULL }

/**
 * Initialize @p options to CBC_SWEEP_OPTIONS_INIT as of @p version (for
 * bindings, which cannot use the macro).
 * @param options  the options
 * @param version  CBC_SWEEP_OPTIONS_VERSION
 * @return 0; CBC_EINVAL (NULL options, unknown version)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_sweep_options_init(cbc_sweep_options *options, unsigned int version);

/**
 * The overdue sweep in bounded batches (docs/ledger.md, "The overdue
 * sweep").  Finds the hazards overdue at @c at (open, past their current
 * deadline: one read of the open-deadline index) and, with
 * CBC_SWEEP_ESCALATE, escalates those REGISTERED or RECTIFYING below
 * ENTERPRISE as cbc_sweep_flag says, @c batch of them per write
 * transaction, resting between batches so that other writers waiting for
 * the lock get it (as long as the batch took, and at least 100 ms after a
 * batch of 10 ms or more: SQLite's longest wait between two tries).  Each hazard is read
 * again in its batch: one another writer moved since the finding (closed,
 * extended, escalated) is judged as it is now.  The sweep records, with
 * each escalation, the time @c at it judged by, and escalates a hazard it
 * escalated before again only if its current deadline is later than that
 * time: a deadline still ahead at the last escalation that has lapsed
 * since (an extension approved to a later date).  A deadline corrected to
 * another date already past at the last escalation, a refused extension,
 * a start or a failed verification is the same lapse.  So rerunning a
 * sweep that stopped or failed half-way finishes the job and escalates no
 * hazard twice for one lapse.  Inside a cbc_db_begin() group the
 * batches are part of the group.
 * @param[out] out        the ids found overdue, by id, owned by the caller,
 *                        freed with cbc_free() (NULL when none; NULL on error)
 * @param[out] count      how many
 * @param[out] escalated  NULL, or how many this call escalated (also set
 *                        on error and when stopped: the batches committed)
 * @param db              the database
 * @param options         NULL for CBC_SWEEP_OPTIONS_INIT
 * @return 0; CBC_EINVAL (NULL out, count or db; an unknown options version,
 *         unknown flags, a negative time); CBC_EPERM (escalating on a
 *         read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM; or the
 *         progress callback's non-zero return after a batch other than the
 *         last.  After an error the batches
 *         committed before it stay escalated.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_sweep(int64_t **out, size_t *count, size_t *escalated, cbc_db *db,
                                 const cbc_sweep_options *options);

/**
 * The name of a state ("REPORTED", ...).
 * @param state  a cbc_hazard_state
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_hazard_state_name(cbc_hazard_state state);

/**
 * The name of an action ("REGISTER", ...).
 * @param action  a cbc_hazard_action
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_hazard_action_name(cbc_hazard_action action);

/**
 * The name of a responsibility level ("INDIVIDUAL", "TEAM", "WORKSHOP",
 * "ENTERPRISE").
 * @param level  a cbc_level
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_level_name(cbc_level level);

/**
 * The name of a severity ("general", "major").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_severity_name(cbc_severity severity);

/**
 * The name of a hazard kind ("hard", "soft").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_hazard_kind_name(cbc_hazard_kind kind);

/**
 * The name of a hazard category ("safety", "occupational_health").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_hazard_category_name(cbc_hazard_category category);

/**
 * The name of a check item ("rules", "standard_operation", "equipment_guarding",
 * "protective_equipment", "fixed_position", "key_point_control").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_check_item_name(cbc_check_item item);

/**
 * The name of a hazard source ("self_check", "expert", "rep_patrol",
 * "team_mutual_check", "snapshot", "hotline", "supervision_visit").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_hazard_source_name(cbc_hazard_source source);

/**
 * The name of an attachment stage ("report", "rectification", "verification").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_attachment_stage_name(cbc_attachment_stage stage);

/**
 * Where @p action leads from @p from, by the transition table.  Whether a
 * given person may make the move, and the move's own conditions (a major
 * hazard for listing, a pending request for deciding an extension, ...), are
 * checked by the lifecycle calls.
 * @param[out] out_to  the state after the move (the same state for moves
 *                     that do not change it)
 * @param from         the current state, or 0 before a hazard is reported
 * @param action       the move
 * @return 0; CBC_EINVAL (NULL @p out_to, unknown action or state);
 *         CBC_ESTATE when the move is not allowed in @p from (the message
 *         names the state and the action)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_transition(cbc_hazard_state *out_to, cbc_hazard_state from,
                                      cbc_hazard_action action);

/**
 * The state machine as a Graphviz DOT graph, generated from the transition
 * table (docs/lifecycle.dot is this output).
 * @param[out] out  the text, owned by the caller, freed with cbc_free()
 * @return 0; CBC_EINVAL (NULL @p out); CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_hazard_fsm_dot(char **out);

#ifdef __cplusplus
}
#endif

#endif /* CBC_HAZARD_H */
