/**
 * @file cbc/label.h
 * @brief Names and Chinese display labels of every enum value and form field,
 *        from one table.
 *
 * Each value of each public value-set enum has a stable ASCII name (lower
 * case with underscores, e.g. "major", "pending_verification": the name
 * front ends write in JSON and accept on command lines) and the Chinese
 * label a person reads (e.g. "重大隐患").  Every renderer of the library
 * (the form's text, CSV and JSON) takes its headings from this table, and
 * the `cbc_*_name()` functions of the module headers read it too.  Names
 * are never changed once released; labels may be reworded.
 *
 * A few `_name()` functions give another spelling than the table's name
 * (cbc_hazard_state_name() "REPORTED", cbc_hazard_action_name(),
 * cbc_level_name() and cbc_finding_kind_name() in capitals,
 * cbc_training_kind_name() "all staff" with a space): the 1.0 ones keep
 * theirs, and cbc_enum_parse() accepts it too.
 */
#ifndef CBC_LABEL_H
#define CBC_LABEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enums (and the form's fields) the table covers.  @since 1.2 */
typedef enum cbc_enum_type {
  CBC_ENUM_UNIT_KIND = 1,         /**< cbc_unit_kind */
  CBC_ENUM_ROLE,                  /**< cbc_role: values are single bits */
  CBC_ENUM_LEVEL,                 /**< cbc_level */
  CBC_ENUM_HAZARD_STATE,          /**< cbc_hazard_state */
  CBC_ENUM_HAZARD_ACTION,         /**< cbc_hazard_action */
  CBC_ENUM_SEVERITY,              /**< cbc_severity */
  CBC_ENUM_HAZARD_KIND,           /**< cbc_hazard_kind */
  CBC_ENUM_HAZARD_CATEGORY,       /**< cbc_hazard_category */
  CBC_ENUM_CHECK_ITEM,            /**< cbc_check_item */
  CBC_ENUM_HAZARD_SOURCE,         /**< cbc_hazard_source */
  CBC_ENUM_ATTACHMENT_STAGE,      /**< cbc_attachment_stage */
  CBC_ENUM_TRAINING_KIND,         /**< cbc_training_kind */
  CBC_ENUM_PROPOSAL_STATUS,       /**< cbc_proposal_status */
  CBC_ENUM_TRAINING_NEED_REASON,  /**< cbc_training_need_reason */
  CBC_ENUM_REWARD_RULE,           /**< cbc_reward_rule */
  CBC_ENUM_SUBJECT_KIND,          /**< cbc_subject_kind */
  CBC_ENUM_AWARD_STATE,           /**< cbc_award_state */
  CBC_ENUM_PERIOD_KIND,           /**< cbc_period_kind */
  CBC_ENUM_STATS_DIMENSION,       /**< cbc_stats_dimension */
  CBC_ENUM_EMPLOYEE_EVENT_KIND,   /**< cbc_employee_event_kind */
  CBC_ENUM_RECORD_KIND,           /**< cbc_record_kind */
  CBC_ENUM_FORM_FIELD,            /**< cbc_stats_field: names are the keys of the form's
                                       JSON and CSV, labels the official form's headings */
  CBC_ENUM_ACTIVITY_KIND,         /**< cbc_activity_kind */
  CBC_ENUM_FINDING_KIND,          /**< cbc_finding_kind */
  CBC_ENUM_HAZARD_SORT,           /**< cbc_hazard_sort (its first value is 0) */
  CBC_ENUM_BREAKDOWN_FIGURE,      /**< cbc_breakdown_figure: names are the keys of the
                                       breakdown's JSON and CSV; @since 1.2 */
  CBC_ENUM_AWARD_STEP,            /**< cbc_award_step; @since 1.2 */
  CBC_ENUM_HAZARD_TABLE_FIGURE,   /**< cbc_hazard_table_figure: names are the keys of the
                                       hazard table's JSON and CSV, labels its headings;
                                       @since 1.2 */
  CBC_ENUM_FILING_KIND,           /**< cbc_filing_kind; @since 1.2 */
  CBC_ENUM_FILING_STATE,          /**< cbc_filing_state; @since 1.2 */
  CBC_ENUM_HISTORY_KIND,          /**< cbc_history_kind; @since 1.2 */
  CBC_ENUM_HISTORY_FAULT          /**< cbc_history_fault (its first value is 0); @since 1.2 */
} cbc_enum_type;

/**
 * The stable ASCII name of a value, the one JSON output uses (e.g. "major").
 * @param type   which enum
 * @param value  one of its values
 * @return a static string; NULL for an unknown type or value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_enum_name(cbc_enum_type type, int value);

/**
 * The Chinese display label of a value (e.g. "重大隐患"), UTF-8.
 * @param type   which enum
 * @param value  one of its values
 * @return a static string; NULL for an unknown type or value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_enum_label(cbc_enum_type type, int value);

/**
 * Parse a value's name (ASCII case-insensitive, e.g. "Major"), its label
 * (exactly, e.g. "重大隐患") or its 1.0 `_name()` spelling (e.g.
 * "REPORTED", "all staff") back to the value.
 * @param[out] out  the value; untouched on failure
 * @param type      which enum
 * @param text      the text, NUL-terminated
 * @return 0; CBC_EINVAL (NULL arguments, an unknown type, or a text that
 *         names no value: the message lists the accepted names)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_enum_parse(int *out, cbc_enum_type type, const char *text);

/**
 * The values of an enum in order, for listing the choices.
 * @param[out] out    a static array borrowed from the library, never freed
 * @param[out] count  its length
 * @param type        which enum
 * @return 0; CBC_EINVAL (NULL arguments or an unknown type)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_enum_values(const int **out, size_t *count, cbc_enum_type type);

#ifdef __cplusplus
}
#endif

#endif /* CBC_LABEL_H */
