/**
 * @file cbc/stats.h
 * @brief The campaign's statistics (DOMAIN.md §6): the official monthly form
 *        (“查保促”集中行动情况统计表) for any org node and period, rolled up
 *        over its subtree.
 *
 * Periods are calendar months, quarters and years in the database's UTC
 * offset, or any range [from, to).  The figures of a calendar period for an
 * enterprise or a region node come from aggregates kept as records are
 * written; those of a workshop, a team or a range are computed from the
 * records.  How each figure is counted, and how history is attributed when
 * units move, is in docs/statistics.md.
 */
#ifndef CBC_STATS_H
#define CBC_STATS_H

#include "activity.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of reporting period. */
typedef enum cbc_period_kind {
  CBC_PERIOD_MONTH = 1,   /**< a calendar month */
  CBC_PERIOD_QUARTER = 2, /**< a calendar quarter */
  CBC_PERIOD_YEAR = 3,    /**< a calendar year */
  CBC_PERIOD_RANGE = 4    /**< [from, to), any seconds */
} cbc_period_kind;

/** A reporting period. */
typedef struct cbc_period {
  cbc_period_kind kind; /**< which kind */
  int year;             /**< MONTH, QUARTER, YEAR: 1970..9999 */
  int number;           /**< MONTH: 1..12; QUARTER: 1..4; else 0 */
  int64_t from;         /**< RANGE: start, seconds since the epoch */
  int64_t to;           /**< RANGE: end (exclusive), after @c from */
} cbc_period;

/**
 * The seconds [*from, *to) a period covers in the database's UTC offset.
 * @param[out] from  start
 * @param[out] to    end (exclusive)
 * @param db         the database (for its UTC offset)
 * @param period     the period
 * @return 0; CBC_EINVAL (NULL, an unknown kind, a month, quarter or year out
 *         of range, an empty or inverted range)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_period_bounds(int64_t *from, int64_t *to, cbc_db *db,
                                  const cbc_period *period);

/** The official form for one node and period (library-allocated; fields
 * may be appended).  The Chinese names are the form's. */
typedef struct cbc_stats_form {
  int64_t unit_id;             /**< the node */
  int64_t from;                /**< the period's start */
  int64_t to;                  /**< the period's end (exclusive) */
  int64_t units_ran;           /**< 组织开展集中行动单位数: enterprises with campaign
                                    activity in the period */
  int64_t employees_took_part; /**< 参与活动职工人数 */
  int64_t training_sessions;   /**< 安全生产培训次数 */
  int64_t employees_trained;   /**< 接受安全培训职工人数 */
  int64_t leader_classes;      /**< 单位负责人培训班次数 */
  int64_t leaders_trained;     /**< 参加培训的单位负责人人数 */
  int64_t units_assigned;      /**< 工会干部包靠单位数: units with a cadre assigned
                                    during the period */
  int64_t supervision_visits;  /**< 工会干部督导人次 */
  int64_t hazards_found;       /**< 查出安全隐患数: reported in the period */
  int64_t hazards_listed;      /**< 挂牌督办: listed for supervision in the period */
  int64_t hazards_rectified;   /**< 整改完成: closed in the period (and not reopened) */
} cbc_stats_form;

/** Flags for cbc_stats_form_get(). */
typedef enum cbc_stats_flag {
  CBC_STATS_FROM_RECORDS = 1u << 0 /**< compute from the records even where aggregates
                                        exist (slower; for audits) */
} cbc_stats_flag;

/**
 * The official form for a node and period, rolled up over the node's
 * subtree as the tree is now.
 * @param[out] out  owned by the caller, freed with cbc_stats_form_free()
 * @param db        the database
 * @param unit_id   the node (any unit)
 * @param period    the period
 * @param flags     0 or CBC_STATS_FROM_RECORDS
 * @return 0; CBC_EINVAL (a bad period or flags); CBC_ENOTFOUND (unknown
 *         node); CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_form_get(cbc_stats_form **out, cbc_db *db, int64_t unit_id,
                                   const cbc_period *period, unsigned int flags);

/** Free a form.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_stats_form_free(cbc_stats_form *form);

/** Renderings of a form. */
typedef enum cbc_stats_format {
  CBC_STATS_TEXT = 1, /**< as on paper: the form's title and Chinese field names, aligned */
  CBC_STATS_JSON = 2, /**< {"unit_id", "unit", "from", "last", "figures": {name: value}} */
  CBC_STATS_CSV = 3   /**< one row per figure: unit_id, unit, from, last, figure, label,
                           value; a cell starting with = + - @ gets a leading ' so a
                           spreadsheet does not run it */
} cbc_stats_format;

/**
 * Render a form.  Dates are local (the database's UTC offset); "last" is the
 * period's last day.
 * @param[out] out  a NUL-terminated UTF-8 string owned by the caller, freed
 *                  with cbc_free()
 * @param db        the database (for the unit's name and the UTC offset)
 * @param form      a form from cbc_stats_form_get()
 * @param format    the rendering
 * @return 0; CBC_EINVAL (NULL, an unknown format, an empty period);
 *         CBC_ENOTFOUND (the form's unit); CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_form_render(char **out, cbc_db *db, const cbc_stats_form *form,
                                      cbc_stats_format format);

/** Forms for several nodes or months, each its own allocation (so the form
 * struct may grow); freed with cbc_stats_forms_free(). */
typedef struct cbc_stats_forms {
  size_t count;           /**< number of forms */
  cbc_stats_form **forms; /**< in order */
} cbc_stats_forms;

/** Free forms from cbc_stats_series() or cbc_stats_children().  Accepts NULL.
 * @since 1.0 */
CBC_EXTERN(void) cbc_stats_forms_free(cbc_stats_forms *forms);

/**
 * A node's monthly series: the forms of @p months calendar months from
 * @p year / @p month on.
 * @param[out] out  owned by the caller, freed with cbc_stats_forms_free()
 * @param db        the database
 * @param unit_id   the node
 * @param year      the first month's year
 * @param month     the first month, 1..12
 * @param months    how many, 1..120
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_series(cbc_stats_forms **out, cbc_db *db, int64_t unit_id, int year,
                                 int month, int months);

/**
 * A node's open children side by side (drill-down): their forms for the
 * period, in id order.
 * @param[out] out  owned by the caller, freed with cbc_stats_forms_free()
 * @param db        the database
 * @param unit_id   the node
 * @param period    the period
 * @param flags     0 or CBC_STATS_FROM_RECORDS
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_children(cbc_stats_forms **out, cbc_db *db, int64_t unit_id,
                                   const cbc_period *period, unsigned int flags);

/** The dimensions hazards are broken down by. */
typedef enum cbc_stats_dimension {
  CBC_DIM_SEVERITY = 1,      /**< cbc_severity: as registered, else as proposed */
  CBC_DIM_KIND = 2,          /**< cbc_hazard_kind */
  CBC_DIM_CATEGORY = 3,      /**< cbc_hazard_category */
  CBC_DIM_CHECK_ITEM = 4,    /**< cbc_check_item */
  CBC_DIM_SOURCE = 5,        /**< cbc_hazard_source */
  CBC_DIM_RESOLVED_LEVEL = 6 /**< cbc_level at which hazards closed in the period were */
} cbc_stats_dimension;

/** One cell of a breakdown. */
typedef struct cbc_stats_count {
  cbc_stats_dimension dimension; /**< which breakdown */
  int value;                     /**< the enum value */
  int64_t count;                 /**< hazards */
} cbc_stats_count;

/** Beyond the form: a node's hazards in a period, broken down, with rates
 * (library-allocated; fields may be appended).  Computed from the records. */
typedef struct cbc_stats_breakdown {
  int64_t unit_id;            /**< the node */
  int64_t from;               /**< the period's start */
  int64_t to;                 /**< the period's end (exclusive) */
  int64_t reported;           /**< hazards reported in the period */
  int64_t rejected;           /**< of those, rejected */
  int64_t rectified;          /**< of those, closed (by now) */
  int64_t closed;             /**< hazards closed in the period (and still closed) */
  int64_t closed_on_time;     /**< of those, closed by their deadline */
  int64_t overdue_at_end;     /**< registered before the period's end, past their deadline
                                   then, and not closed by then */
  int64_t reopens;            /**< failed verifications and reviews in the period */
  double mean_days_to_close;  /**< of the hazards closed in the period, from report; 0
                                   when none */
  double median_days_to_close;/**< likewise */
  double rectification_rate;  /**< rectified / reported (0 when none reported) */
  double on_time_rate;        /**< closed_on_time / closed (0 when none closed) */
  double disposal_rate;       /**< (rectified + rejected) / reported (0 when none) */
  size_t n_counts;            /**< length of @c counts */
  cbc_stats_count *counts;    /**< every value of every dimension, zeros included, by
                                   dimension then value; resolved levels count the
                                   hazards closed in the period, the others those
                                   reported in it */
} cbc_stats_breakdown;

/**
 * A node's breakdown for a period, over its subtree.
 * @param[out] out  owned by the caller, freed with cbc_stats_breakdown_free()
 * @param db        the database
 * @param unit_id   the node
 * @param period    the period
 * @return 0; CBC_EINVAL (a bad period); CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_breakdown_get(cbc_stats_breakdown **out, cbc_db *db, int64_t unit_id,
                                        const cbc_period *period);

/** Free a breakdown.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_stats_breakdown_free(cbc_stats_breakdown *breakdown);

/**
 * Render a breakdown as JSON or CSV (one row per figure and per cell; a cell
 * starting with = + - @ gets a leading ').
 * @param[out] out  a NUL-terminated UTF-8 string owned by the caller, freed
 *                  with cbc_free()
 * @param db        the database (for the unit's name and the UTC offset)
 * @param breakdown from cbc_stats_breakdown_get()
 * @param format    CBC_STATS_JSON or CBC_STATS_CSV
 * @return 0; CBC_EINVAL (NULL, another format); CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_breakdown_render(char **out, cbc_db *db,
                                           const cbc_stats_breakdown *breakdown,
                                           cbc_stats_format format);

/**
 * Rebuild the aggregates from the records, in one transaction (after a bulk
 * load, or to audit them).  Participation is then attributed to each
 * employee's current unit (docs/statistics.md).
 * @param db  the database, opened without CBC_DB_DEFER_STATS
 * @return 0; CBC_EINVAL; CBC_EPERM (read-only); CBC_ESTATE (the handle defers
 *         the statistics); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_rebuild(cbc_db *db);

#ifdef __cplusplus
}
#endif

#endif
