/**
 * @file cbc/hazard.h
 * @brief The hazard (隐患) vocabulary and its lifecycle state machine
 *        (闭环管理, DOMAIN.md §2–3).
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
  CBC_ACTION_FILE_PLAN = 14         /**< file the rectification plan (治理方案) at enterprise
                                         level; REGISTERED/RECTIFYING, state unchanged */
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
