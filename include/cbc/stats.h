/**
 * @file cbc/stats.h
 * @brief The campaign's statistics (docs/domain.md §6): the official monthly form
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
#include "hazard.h"

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
  int64_t from;         /**< RANGE: start, seconds since the epoch, CBC_TIME_MIN..CBC_TIME_MAX */
  int64_t to;           /**< RANGE: end (exclusive), after @c from, at most CBC_TIME_MAX + 1 */
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

/**
 * The name of a period kind ("month", "quarter", "year", "range").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_period_kind_name(cbc_period_kind kind);

/**
 * The calendar month, quarter or year containing @p t, in the database's
 * UTC offset.
 * @param[out] out  the period (from and to 0)
 * @param db        the database (for its UTC offset)
 * @param kind      CBC_PERIOD_MONTH, CBC_PERIOD_QUARTER or CBC_PERIOD_YEAR
 * @param t         seconds since the epoch, CBC_TIME_MIN..CBC_TIME_MAX
 * @return 0; CBC_EINVAL (NULL arguments, another kind, @p t out of range, or
 *         a local date outside the years 1970..9999 a period may have: the
 *         first hours of 1970 at a negative offset, the last of 9999 at a
 *         positive one)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_period_containing(cbc_period *out, cbc_db *db, cbc_period_kind kind,
                                      int64_t t);

/**
 * Parse a period as people write it:
 * - "2026-11": a month; "2026-Q4" (or "2026-q4"): a quarter; "2026": a year;
 * - "2026-11-01..2026-11-15": a range of whole local days, both included;
 * - "2026-11-01T08:00:00+08:00..2026-11-01T17:59:59+08:00": a range of
 *   times, both included (the end is the last second in the range); the
 *   offset is Z, ±HH:MM or ±HH:MM:SS, or absent for the database's; the
 *   seconds may be left out ("T08:00").  A day and a time may be mixed.
 * Years have four digits; months and days one or two.  Spaces around the
 * text are ignored.  Day ranges and times without an offset use the
 * database's UTC offset.
 * @param[out] out  the period; untouched on failure
 * @param db        the database (for its UTC offset)
 * @param text      the text, NUL-terminated
 * @return 0; CBC_EINVAL (NULL arguments, a text of none of these forms —
 *         the message names the accepted forms —, an impossible date, a year
 *         outside 1970..9999, a range that ends before it starts or lies
 *         outside the times libcbc keeps, common.h)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_period_parse(cbc_period *out, cbc_db *db, const char *text);

/** A buffer size that always holds cbc_period_format()'s text and its NUL.
 * @since 1.2 */
#define CBC_PERIOD_TEXT_MAX 64

/**
 * The canonical text of a period, which cbc_period_parse() reads back to the
 * same period: "2026-11", "2026-Q4", "2026"; a range whose ends are local
 * midnights as "2026-11-01..2026-11-15" (the last day included), any other
 * range as ISO-8601 times in the database's offset with the last second
 * included ("2026-11-01T08:00:00+08:00..2026-11-01T17:59:59+08:00"; a time
 * whose local year would pass 9999 is written in UTC, with Z).
 * @param[out] buf  the text, always NUL-terminated when @p size > 0
 * @param size      the size of @p buf; CBC_PERIOD_TEXT_MAX always suffices
 * @param db        the database (for its UTC offset)
 * @param period    the period
 * @return 0; CBC_EINVAL (NULL arguments, a period cbc_period_bounds()
 *         refuses, or @p buf too small: the message says so, and @p buf
 *         holds "")
 * @since 1.2
 */
CBC_EXTERN(int) cbc_period_format(char *buf, size_t size, cbc_db *db, const cbc_period *period);

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

/**
 * The figures of cbc_stats_form, in struct order (the paper form's order).
 * Their names (the keys of the form's JSON and CSV) and Chinese headings are
 * cbc_enum_name() and cbc_enum_label() of CBC_ENUM_FORM_FIELD.
 * @since 1.2
 */
typedef enum cbc_stats_field {
  CBC_STATS_FIELD_UNITS_RAN = 1,           /**< units_ran */
  CBC_STATS_FIELD_EMPLOYEES_TOOK_PART = 2, /**< employees_took_part */
  CBC_STATS_FIELD_TRAINING_SESSIONS = 3,   /**< training_sessions */
  CBC_STATS_FIELD_EMPLOYEES_TRAINED = 4,   /**< employees_trained */
  CBC_STATS_FIELD_LEADER_CLASSES = 5,      /**< leader_classes */
  CBC_STATS_FIELD_LEADERS_TRAINED = 6,     /**< leaders_trained */
  CBC_STATS_FIELD_UNITS_ASSIGNED = 7,      /**< units_assigned */
  CBC_STATS_FIELD_SUPERVISION_VISITS = 8,  /**< supervision_visits */
  CBC_STATS_FIELD_HAZARDS_FOUND = 9,       /**< hazards_found */
  CBC_STATS_FIELD_HAZARDS_LISTED = 10,     /**< hazards_listed */
  CBC_STATS_FIELD_HAZARDS_RECTIFIED = 11   /**< hazards_rectified */
} cbc_stats_field;

/** How many figures the form has: fields run 1..CBC_STATS_FIELD_COUNT.
 * @since 1.2 */
#define CBC_STATS_FIELD_COUNT 11

/**
 * One figure of a form, by field (for renderers that loop over the form).
 * @param form   the form
 * @param field  which figure
 * @return the figure; -1 (never a count) for a NULL form or an unknown field
 * @since 1.2
 */
CBC_EXTERN(int64_t) cbc_stats_form_value(const cbc_stats_form *form, cbc_stats_field field);

/**
 * The name of a figure ("units_ran", ...): cbc_enum_name(CBC_ENUM_FORM_FIELD, field).
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_stats_field_name(cbc_stats_field field);

/**
 * The official form's title, “查保促”集中行动情况统计表 (UTF-8), as every
 * rendering heads the form with it (the text rendering here; front ends'
 * spreadsheets and pages).
 * @return a static string
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_stats_form_title(void);

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
  CBC_STATS_JSON = 2, /**< {"unit_id", "unit", "from", "last", "figures": {name: value},
                           "labels": {name: the form's heading}} ("labels" @since 1.2; a
                           breakdown has "counts" instead) */
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
 * @return 0; CBC_EINVAL (NULL, an unknown format, an empty period or one
 *         outside the times libcbc keeps, common.h); CBC_ENOTFOUND (the form's
 *         unit); CBC_ECORRUPT (the unit's stored name is damaged); CBC_ENOMEM
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
 * @return 0; CBC_EINVAL (a year outside 1970..9999, a month or count out of
 *         range, or a series past 9999); CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
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

/**
 * The name of a dimension ("severity", "kind", "category", "check_item",
 * "source", "resolved_level"), as breakdowns are rendered.
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_stats_dimension_name(cbc_stats_dimension dimension);

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
 * The figures of a breakdown (its fields before the counts), in the order
 * its renderings give them.  Their names (cbc_enum_name(),
 * CBC_ENUM_BREAKDOWN_FIGURE) are the keys of the breakdown's JSON and CSV;
 * their labels are the headings front ends print.  The figures from
 * CBC_FIGURE_MEAN_DAYS_TO_CLOSE on are real numbers (days, rates from 0 to
 * 1), the others counts.
 * @since 1.2
 */
typedef enum cbc_breakdown_figure {
  CBC_FIGURE_REPORTED = 1,          /**< reported */
  CBC_FIGURE_REJECTED = 2,          /**< rejected */
  CBC_FIGURE_RECTIFIED = 3,         /**< rectified */
  CBC_FIGURE_CLOSED = 4,            /**< closed */
  CBC_FIGURE_CLOSED_ON_TIME = 5,    /**< closed_on_time */
  CBC_FIGURE_OVERDUE_AT_END = 6,    /**< overdue_at_end */
  CBC_FIGURE_REOPENS = 7,           /**< reopens */
  CBC_FIGURE_MEAN_DAYS_TO_CLOSE = 8,   /**< mean_days_to_close */
  CBC_FIGURE_MEDIAN_DAYS_TO_CLOSE = 9, /**< median_days_to_close */
  CBC_FIGURE_RECTIFICATION_RATE = 10,  /**< rectification_rate */
  CBC_FIGURE_ON_TIME_RATE = 11,        /**< on_time_rate */
  CBC_FIGURE_DISPOSAL_RATE = 12        /**< disposal_rate */
} cbc_breakdown_figure;

/** How many figures a breakdown has: they run 1..CBC_BREAKDOWN_FIGURE_COUNT.
 * @since 1.2 */
#define CBC_BREAKDOWN_FIGURE_COUNT 12

/**
 * One figure of a breakdown (for renderers that loop over the figures).
 * @param breakdown  the breakdown, borrowed
 * @param figure     which figure
 * @return the figure (a count as a double: exact below 2^53); -1 (never a
 *         figure) for a NULL breakdown or an unknown figure
 * @since 1.2
 */
CBC_EXTERN(double) cbc_stats_breakdown_value(const cbc_stats_breakdown *breakdown,
                                             cbc_breakdown_figure figure);

/**
 * Render a breakdown as JSON or CSV (one row per figure and per cell; a cell
 * starting with = + - @ gets a leading ').
 * @param[out] out  a NUL-terminated UTF-8 string owned by the caller, freed
 *                  with cbc_free()
 * @param db        the database (for the unit's name and the UTC offset)
 * @param breakdown from cbc_stats_breakdown_get()
 * @param format    CBC_STATS_JSON or CBC_STATS_CSV
 * @return 0; CBC_EINVAL (NULL, another format, a count of an unknown
 *         dimension or counts without their array, an empty period or one
 *         outside the times libcbc keeps); CBC_ENOTFOUND; CBC_ECORRUPT;
 *         CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_breakdown_render(char **out, cbc_db *db,
                                           const cbc_stats_breakdown *breakdown,
                                           cbc_stats_format format);

/**
 * Rebuild the aggregates from the records (after a bulk load, a change of UTC
 * offset, or to audit them), for the handle's UTC offset: cbc_stats_rebuild_step()
 * until it is done, each step its own transaction (since 1.2; before, one
 * transaction for the whole database).  Other handles may write between the
 * steps; forms stay correct meanwhile (docs/statistics.md, "Rebuilding").
 * Inside a cbc_db_begin() group the steps share the group's transaction.
 * @param db  the database, opened without CBC_DB_DEFER_STATS
 * @return 0; CBC_EINVAL; CBC_EPERM (read-only); CBC_ESTATE (the handle defers
 *         the statistics); CBC_EBUSY; CBC_EIO; CBC_ENOMEM; CBC_ECORRUPT (a
 *         damaged participation row).  On an error the steps already
 *         committed stay: a later call goes on from there.
 * @since 1.0
 */
CBC_EXTERN(int) cbc_stats_rebuild(cbc_db *db);

/** Where a stepwise rebuild of the aggregates stands (cbc_stats_rebuild_step()):
 * caller-allocated, @c version set by the caller (CBC_STATS_PROGRESS_INIT);
 * fields may be appended.
 * @since 1.2 */
typedef struct cbc_stats_progress {
  unsigned int version;   /**< CBC_STATS_PROGRESS_VERSION */
  int64_t units_done;     /**< attribution units (enterprises and region nodes)
                               rebuilt so far; all of them once done */
  int64_t units_total;    /**< attribution units in the database */
  int64_t rows_cleared;   /**< this step: rows of the old aggregates deleted (the
                               rebuild's first steps clear them) */
  int64_t records;        /**< this step: records and participations replayed (and
                               one per unit) */
} cbc_stats_progress;

/** The current version of cbc_stats_progress. @since 1.2 */
#define CBC_STATS_PROGRESS_VERSION 1
/** An initializer for cbc_stats_progress. @since 1.2 */
#define CBC_STATS_PROGRESS_INIT { CBC_STATS_PROGRESS_VERSION, 0, 0, 0, 0 }

/** Flags for cbc_stats_rebuild_step(). @since 1.2 */
typedef enum cbc_stats_rebuild_flag {
  CBC_STATS_REBUILD_ANEW = 1u << 0 /**< rebuild complete aggregates too (an audit, a
                                        repair: cbc_stats_rebuild() passes it); a rebuild
                                        under way goes on either way */
} cbc_stats_rebuild_flag;

/** A work bound for one step that keeps its transaction near a second on
 * an ordinary machine (tests/bench/README.md, "rebuild").  @since 1.2 */
#define CBC_STATS_STEP_DEFAULT 20000

/**
 * One bounded step of rebuilding the aggregates from the records, in its own
 * write transaction (or a savepoint in a cbc_db_begin() group), so that other
 * writers wait at most one step.  A rebuild first clears the old aggregates,
 * then rebuilds the attribution units (enterprises and region nodes) in id
 * order, as many whole units as fit @p max_work records (at least one);
 * where it stands is kept in the database, so a rebuild interrupted (an
 * error, a crash, a kill) goes on from its last committed step, from any
 * handle with the same UTC offset.  Until the last step, forms are computed
 * from the records, but those of an enterprise already rebuilt
 * (docs/statistics.md, "Rebuilding").  A handle with another UTC offset or
 * CBC_DB_DEFER_STATS writing records meanwhile makes the rebuild start over.
 * When the aggregates are complete for this handle's offset it does nothing
 * and returns 0, unless @p flags has CBC_STATS_REBUILD_ANEW.
 * @param db         the database, opened without CBC_DB_DEFER_STATS
 * @param max_work   rows to clear or records to replay in this step, >= 1
 *                   (CBC_STATS_STEP_DEFAULT)
 * @param flags      0 or CBC_STATS_REBUILD_ANEW
 * @param progress   NULL, or where the rebuild stands after the step (its
 *                   @c version set by the caller)
 * @return 0 when the aggregates are complete; 1 when more steps remain;
 *         CBC_EINVAL (NULL handle, @p max_work below 1, unknown flags, an
 *         unknown @c progress version); CBC_EPERM (read-only); CBC_ESTATE (the handle
 *         defers the statistics); CBC_EBUSY; CBC_EIO; CBC_ENOMEM;
 *         CBC_ECORRUPT.  On an error the step is rolled back and the rebuild
 *         stands where the previous step left it.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_stats_rebuild_step(cbc_db *db, int64_t max_work, unsigned int flags,
                                       cbc_stats_progress *progress);

/* ------------------------------------------------------------------------
 * The hazard statistics table (docs/statistics.md, "The hazard table")
 * ------------------------------------------------------------------------ */

/**
 * The figures of the hazard statistics table an enterprise files every
 * quarter and year (安全生产事故隐患排查治理暂行规定, 国家安全监管总局令第16号,
 * art. 14), in the order of the table's columns.  Their names (the keys of
 * the table's JSON and CSV) and headings are cbc_enum_name() and
 * cbc_enum_label() of CBC_ENUM_HAZARD_TABLE_FIGURE.
 * @since 1.2
 */
typedef enum cbc_hazard_table_figure {
  CBC_HT_UNITS_CHECKED = 1,        /**< units_checked */
  CBC_HT_GENERAL_FOUND = 2,        /**< general_found */
  CBC_HT_GENERAL_RECTIFIED = 3,    /**< general_rectified */
  CBC_HT_MAJOR_FOUND = 4,          /**< major_found */
  CBC_HT_MAJOR_RECTIFIED = 5,      /**< major_rectified */
  CBC_HT_PLAN_MAJORS = 6,          /**< plan_majors */
  CBC_HT_PLAN_GOALS = 7,           /**< plan_goals */
  CBC_HT_PLAN_METHODS = 8,         /**< plan_methods */
  CBC_HT_PLAN_FUNDS_MATERIALS = 9, /**< plan_funds_materials */
  CBC_HT_PLAN_RESPONSIBLE = 10,    /**< plan_responsible */
  CBC_HT_PLAN_TIME_LIMIT = 11,     /**< plan_time_limit */
  CBC_HT_PLAN_SAFETY_MEASURES = 12,/**< plan_safety_measures */
  CBC_HT_PLAN_FUNDS_FEN = 13       /**< plan_funds_fen */
} cbc_hazard_table_figure;

/** How many figures a row of the hazard table has: 1..CBC_HAZARD_TABLE_FIGURE_COUNT.
 * @since 1.2 */
#define CBC_HAZARD_TABLE_FIGURE_COUNT 13

/** One row of the hazard table: a node's whole subtree, or its enterprises
 * of one industry (library-allocated; fields may be appended).  A hazard
 * counts in the period when it was reported in it and is not rejected;
 * its severity is the registered one, or the one proposed while it awaits
 * registration.  @since 1.2 */
typedef struct cbc_hazard_table_row {
  char *industry;               /**< the enterprises' industry (UTF-8, "" for those
                                     without one); NULL in the node's total */
  int64_t units_checked;        /**< 排查治理单位数: enterprises with a report in the
                                     period, rejected ones included (every hazard
                                     belongs to an enterprise) */
  int64_t general_found;        /**< 一般隐患: general hazards found in the period */
  int64_t general_rectified;    /**< 已整改: of those, closed before the period's end
                                     (and still closed) */
  int64_t major_found;          /**< 重大隐患: major hazards found in the period */
  int64_t major_rectified;      /**< 已整改销号: of those, closed before the period's end
                                     (and still closed) */
  int64_t plan_majors;          /**< 列入治理计划的重大隐患: registered major hazards with a
                                     rectification plan on file, reported before the
                                     period's end and not closed before its start */
  int64_t plan_goals;           /**< of those, with goals and tasks (落实治理目标任务) */
  int64_t plan_methods;         /**< with methods and measures (落实治理方法和措施) */
  int64_t plan_funds_materials; /**< with funds and materials (落实经费和物资) */
  int64_t plan_responsible;     /**< with responsible bodies and people (落实机构和人员) */
  int64_t plan_time_limit;      /**< with a time limit (落实治理时间和要求) */
  int64_t plan_safety_measures; /**< with safety measures and an emergency plan
                                     (落实安全措施和应急预案) */
  int64_t plan_funds_fen;       /**< 落实治理资金: the funds of those hazards, in fen (the
                                     text rendering gives 万元) */
} cbc_hazard_table_row;

/** The hazard table of a node and period (library-allocated; fields may be
 * appended).  @since 1.2 */
typedef struct cbc_hazard_table {
  int64_t unit_id;                    /**< the node: an enterprise's own table, or a
                                           region's rolled up over its subtree */
  int64_t from;                       /**< the period's start */
  int64_t to;                         /**< the period's end (exclusive) */
  cbc_hazard_table_row *total;        /**< the whole subtree */
  size_t n_industries;                /**< rows in @c industries */
  cbc_hazard_table_row **industries;  /**< the subtree's hazards by their enterprise's
                                           industry, by industry in byte order; they
                                           sum to @c total */
} cbc_hazard_table;

/**
 * The hazard table's title, 生产经营单位事故隐患排查治理情况统计分析表 (UTF-8).
 * @return a static string
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_hazard_table_title(void);

/**
 * The hazard table of a node for a period (normally a quarter or a year),
 * over the node's subtree as the tree is now, computed from the records.
 * @param[out] out  owned by the caller, freed with cbc_hazard_table_free()
 * @param db        the database
 * @param unit_id   the node (any unit)
 * @param period    the period
 * @return 0; CBC_EINVAL (NULL arguments, a bad period); CBC_ENOTFOUND (unknown
 *         node); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_table_get(cbc_hazard_table **out, cbc_db *db, int64_t unit_id,
                                     const cbc_period *period);

/** Free a hazard table.  Accepts NULL.  @since 1.2 */
CBC_EXTERN(void) cbc_hazard_table_free(cbc_hazard_table *table);

/**
 * One figure of a row (for renderers that loop over the figures).
 * @param row     the row, borrowed
 * @param figure  which figure
 * @return the figure; -1 (never a figure) for a NULL row or an unknown figure
 * @since 1.2
 */
CBC_EXTERN(int64_t) cbc_hazard_table_value(const cbc_hazard_table_row *row,
                                           cbc_hazard_table_figure figure);

/**
 * A rectification rate of a row in tenths of a percent, truncated (never
 * rounded up): general (@p severity CBC_SEVERITY_GENERAL) or major.
 * @return 0..1000; -1 when no hazard of that severity was found (the table
 *         shows "—"), for a NULL row or another severity
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_table_rate(const cbc_hazard_table_row *row, cbc_severity severity);

/**
 * Render a hazard table: CBC_STATS_TEXT (the table as filed: title, unit,
 * period, the total and each industry with rates and funds in 万元),
 * CBC_STATS_JSON ({"unit_id", "unit", "from", "last", "title", "total":
 * {figures, "general_rate", "major_rate"}, "industries": [{"industry", ...}],
 * "labels": {name: heading}}; rates as percent with one decimal, null when
 * nothing was found) or CBC_STATS_CSV (one line per row and figure:
 * unit_id, unit, from, last, row ("total" or "industry"), industry, figure,
 * label, value; rates as percent with one decimal, empty when none; a cell
 * starting with = + - @ gets a leading ').  Dates are local, "last" the
 * period's last day.
 * @param[out] out  a NUL-terminated UTF-8 string owned by the caller, freed
 *                  with cbc_free()
 * @param db        the database (the unit's name, the UTC offset)
 * @param table     from cbc_hazard_table_get()
 * @param format    the rendering
 * @return 0; CBC_EINVAL (NULL, an unknown format, a row missing, an industry
 *         that is not UTF-8, an empty period); CBC_ENOTFOUND (the table's
 *         unit); CBC_ECORRUPT (the unit's stored name); CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_hazard_table_render(char **out, cbc_db *db, const cbc_hazard_table *table,
                                        cbc_stats_format format);

#ifdef __cplusplus
}
#endif

#endif
