/**
 * @file cbc/filing.h
 * @brief Filing (填报/报送) the campaign's reports: a unit files a form for a
 *        period as an immutable snapshot, with who filled it in, who signed
 *        it, when, its due date and whether it was late (docs/filing.md).
 *
 * Four kinds of report are filed:
 * - the monthly 查保促 form (cbc_stats_form_get()) of an enterprise or a
 *   union's region node, for a calendar month; due by the policy's
 *   `monthly_form_due_day` of the month (or of the next one,
 *   `monthly_form_due_next_month`);
 * - the hazard statistics table (cbc_hazard_table_get(); 国家安全监管总局令
 *   第16号 art. 14) of an enterprise, for a quarter (due the 15th of the
 *   next month) or a year (due 31 January);
 * - the prompt report of a major hazard (重大事故隐患报告, art. 14): its
 *   state and cause, its harm and how hard it is to rectify, and its
 *   rectification plan; due the policy's `major_hazard_report_days` days
 *   after the day the hazard was reported (default 1);
 * - the report to the employee congress (安全生产法 §41) of an enterprise,
 *   for a quarter or a year: its hazard table and how each of its major
 *   hazards stands; due as the hazard table.
 *
 * Filing renders the report from the records as they are at that moment and
 * keeps the renderings; nothing changes a filing afterwards.  Filing again
 * for the same unit, kind and period adds a version; every version is kept.
 * A node sees, for its children, who filed on time, late, or not at all.
 */
#ifndef CBC_FILING_H
#define CBC_FILING_H

#include "stats.h"
#include "history.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What is filed. */
typedef enum cbc_filing_kind {
  CBC_FILING_MONTHLY_FORM = 1, /**< the 查保促 monthly form: an open enterprise or region node,
                                    a MONTH */
  CBC_FILING_HAZARD_TABLE = 2, /**< the hazard statistics table: an open enterprise, a QUARTER
                                    or a YEAR */
  CBC_FILING_MAJOR_HAZARD_REPORT = 3, /**< the prompt report of one registered major hazard
                                          (重大事故隐患报告): its enterprise, no period */
  CBC_FILING_CONGRESS_REPORT = 4 /**< the report to the employee congress (安全生产法 §41):
                                      an open enterprise, a QUARTER or a YEAR */
} cbc_filing_kind;

/** Where a unit stands with a report it owes. */
typedef enum cbc_filing_state {
  CBC_FILING_ON_TIME = 1, /**< its first version came by the due date */
  CBC_FILING_LATE = 2,    /**< its first version came after the due date */
  CBC_FILING_MISSING = 3, /**< nothing filed, and the due date has passed */
  CBC_FILING_PENDING = 4  /**< nothing filed yet, and the due date has not passed */
} cbc_filing_state;

#define CBC_FILING_RECORD_VERSION 1 /**< the current cbc_filing_record version */

/** A report to file (input; strings are borrowed for the call). */
typedef struct cbc_filing_record {
  unsigned int version;  /**< CBC_FILING_RECORD_VERSION */
  cbc_filing_kind kind;  /**< what is filed */
  int64_t unit_id;       /**< the unit filing */
  cbc_period period;     /**< MONTH for the form; QUARTER or YEAR for the table and the
                              congress report; it must have begun */
  int64_t signed_by;     /**< who signs, an active employee of the unit (in the
                              enterprise, or sitting in the region node): for the monthly
                              form the union's head (CBC_ROLE_UNION_CADRE), for the others
                              a principal (CBC_ROLE_PRINCIPAL) */
  const char *note;      /**< NULL or up to CBC_MAX_TEXT bytes of UTF-8 */
  int64_t hazard_id;     /**< the major-hazard report: the hazard; 0 for the others */
  const char *cause;     /**< the major-hazard report: how the hazard came about (产生原因),
                              1..CBC_MAX_TEXT bytes; NULL for the others */
  const char *harm;      /**< ... the harm it can do (危害程度); as @c cause */
  const char *difficulty; /**< ... how hard it is to rectify (整改难易程度); as @c cause */
} cbc_filing_record;

/** Static initializer for cbc_filing_record. */
#define CBC_FILING_RECORD_INIT                                                         \
  { CBC_FILING_RECORD_VERSION, (cbc_filing_kind)0, 0, { (cbc_period_kind)0, 0, 0, 0, 0 }, \
    0, NULL, 0, NULL, NULL, NULL }

/**
 * Initialise a cbc_filing_record for @p version with the defaults of
 * CBC_FILING_RECORD_INIT.
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_record_init(cbc_filing_record *rec, unsigned int version);

/** A filed report (library-allocated, freed with cbc_filing_free(); fields may be
 * appended). */
typedef struct cbc_filing {
  int64_t id;            /**< the filing's id */
  cbc_filing_kind kind;  /**< what was filed */
  int64_t unit_id;       /**< the unit that filed */
  cbc_period period;     /**< the period */
  int version;           /**< 1 for the first filing of the unit, kind and period */
  int64_t filed_by;      /**< who filled it in and filed it */
  int64_t signed_by;     /**< who signed */
  int64_t filed_at;      /**< when */
  int64_t due_at;        /**< the last second of the due date (local) */
  int late;              /**< 1 when filed_at is after due_at */
  char *note;            /**< the note; "" when none */
  char *json;            /**< the report as filed, CBC_STATS_JSON */
  char *text;            /**< the report as filed, CBC_STATS_TEXT */
  char *csv;             /**< the report as filed, CBC_STATS_CSV */
  int64_t hazard_id;     /**< the major-hazard report's hazard; 0 for the others */
  cbc_history_checkpoint checkpoint; /**< the filing enterprise's (or region node's) history
                                          chain head as it was filed, printed on the
                                          renderings (include/cbc/history.h); seq 0 for a
                                          filing made before schema 20.  @since 1.2 */
} cbc_filing;

/**
 * File a report: render it from the records now, and keep the renderings
 * as a new version.
 *
 * Who may: the actor is an active employee of the unit (in the enterprise,
 * or sitting in the region node): for the monthly form a union cadre, for
 * the other reports a safety officer or a principal.  The major-hazard report is filed by the hazard's enterprise
 * (@c unit_id) for a registered major hazard (which has its rectification
 * plan on file); its period is left zeroed, and @c cause, @c harm and @c difficulty
 * are required (other kinds leave them NULL and @c hazard_id 0).  The signer is an
 * active employee of the unit too: for the monthly form a union cadre (the
 * union's head; it may be the one who files), for the others a principal.  The due date is computed now: for the
 * monthly form from the current policy (include/cbc/reward.h,
 * docs/filing.md).
 * @param[out] out_id  the filing's id; may be NULL
 * @param db           the database, read-write
 * @param actor_id     who files
 * @param rec          the report
 * @return 0; CBC_EINVAL (NULL db or rec, a bad record: the message names the
 *         field; a period of the wrong kind or not yet begun);
 *         CBC_ENOTFOUND (unknown unit, actor, signer or hazard); CBC_ESTATE
 *         (a closed unit, a unit of a kind that does not file this report;
 *         a hazard that is not a registered major one);
 *         CBC_EPERM (the actor or the signer may not: the message names the
 *         rule; a read-only database); CBC_EBUSY; CBC_EIO; CBC_ENOMEM.
 *         On an error nothing is filed.
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_submit(int64_t *out_id, cbc_db *db, int64_t actor_id,
                                  const cbc_filing_record *rec);

/**
 * A filing by its id.
 * @param[out] out   owned by the caller, freed with cbc_filing_free()
 * @param db         the database
 * @param filing_id  the filing
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND; CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_lookup(cbc_filing **out, cbc_db *db, int64_t filing_id);

/**
 * A version of what a unit filed for a period.
 * @param[out] out  owned by the caller, freed with cbc_filing_free()
 * @param db        the database
 * @param unit_id   the unit
 * @param kind      what was filed
 * @param period    the period
 * @param version   1 for the first, 0 for the newest
 * @return 0; CBC_EINVAL (NULL arguments, an unknown kind, a negative
 *         version); CBC_ENOTFOUND (no such version: nothing filed, or fewer
 *         versions); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_get(cbc_filing **out, cbc_db *db, int64_t unit_id,
                               cbc_filing_kind kind, const cbc_period *period, int version);

/**
 * A version of the major-hazard report of a hazard.
 * @param[out] out  owned by the caller, freed with cbc_filing_free()
 * @param db        the database
 * @param hazard_id the hazard
 * @param version   1 for the first, 0 for the newest
 * @return 0; CBC_EINVAL (NULL arguments, a negative version); CBC_ENOTFOUND
 *         (no such version); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_get_for_hazard(cbc_filing **out, cbc_db *db, int64_t hazard_id,
                                          int version);

/** Free a filing.  Accepts NULL.  @since 1.2 */
CBC_EXTERN(void) cbc_filing_free(cbc_filing *filing);

/**
 * The period kinds a report is filed for, as bits (1u << cbc_period_kind):
 * the monthly form a MONTH; the hazard table and the congress report a
 * QUARTER or a YEAR; the major-hazard report none (0: it is filed for a
 * hazard).
 * @param[out] out  the bits
 * @param kind      the report
 * @return 0; CBC_EINVAL (NULL @p out, an unknown kind)
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_kind_periods(unsigned int *out, cbc_filing_kind kind);

/**
 * Whether hazard @p hazard_id takes a major-hazard report
 * (CBC_FILING_MAJOR_HAZARD_REPORT): it is registered major and not
 * rejected.  Who may file it is cbc_filing_submit()'s to say.
 * @param[out] out  1 or 0
 * @param db        the database
 * @param hazard_id the hazard
 * @return 0; CBC_EINVAL (NULL arguments); CBC_ENOTFOUND (no such hazard);
 *         CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_hazard_reportable(int *out, cbc_db *db, int64_t hazard_id);

/**
 * The due date of a report: the last second of its due day in the
 * database's UTC offset.  For the monthly form it follows the current
 * policy.
 * @param[out] out  the last second of the due day
 * @param db        the database
 * @param kind      the report
 * @param period    the period (of the kind's period kinds)
 * @return 0; CBC_EINVAL (NULL arguments, an unknown kind, a period of the
 *         wrong kind); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_due(int64_t *out, cbc_db *db, cbc_filing_kind kind,
                               const cbc_period *period);

/** One unit's standing with a report (cbc_filing_status).  The entries come as an
 * array, so this struct keeps its size: what later versions add comes beside it. */
typedef struct cbc_filing_status_entry {
  int64_t unit_id;        /**< the unit that owes it */
  cbc_filing_state state; /**< on time, late, missing or pending */
  int versions;           /**< how many versions it filed (0: none) */
  int64_t first_filed_at; /**< when it first filed; 0 when it did not */
  int64_t last_filed_at;  /**< when it last filed; 0 when it did not */
} cbc_filing_status_entry;

/** Who under a node owes a report for a period, and where each stands
 * (library-allocated, freed with cbc_filing_status_free(); fields may be appended). */
typedef struct cbc_filing_status {
  int64_t unit_id;                  /**< the node */
  cbc_filing_kind kind;             /**< the report */
  cbc_period period;                /**< the period */
  int64_t due_at;                   /**< the due date (cbc_filing_due()) */
  int64_t at;                       /**< when the status was taken (the database's clock) */
  size_t n_entries;                 /**< how many units owe it */
  cbc_filing_status_entry *entries; /**< by unit id */
  size_t on_time;                   /**< how many entries are on time */
  size_t late;                      /**< how many are late */
  size_t missing;                   /**< how many are missing */
  size_t pending;                   /**< how many are pending */
} cbc_filing_status;

/**
 * Who under @p unit_id owes a report for a period, and where each stands.
 * The monthly form is owed to a node by its open children that are
 * enterprises or region nodes (each union level files to the one above);
 * the hazard table by every open enterprise in the node's subtree (the
 * node itself when it is one).
 * @param[out] out  owned by the caller, freed with cbc_filing_status_free()
 * @param db        the database
 * @param unit_id   the node
 * @param kind      the report
 * @param period    the period (of the kind's period kinds)
 * @return 0; CBC_EINVAL (NULL arguments, an unknown kind, a period of the
 *         wrong kind); CBC_ENOTFOUND (unknown node); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_filing_status_get(cbc_filing_status **out, cbc_db *db, int64_t unit_id,
                                      cbc_filing_kind kind, const cbc_period *period);

/** Free a status.  Accepts NULL.  @since 1.2 */
CBC_EXTERN(void) cbc_filing_status_free(cbc_filing_status *status);

/** The name of a filing kind ("monthly_form", "hazard_table"); NULL if unknown. @since 1.2 */
CBC_EXTERN(const char *) cbc_filing_kind_name(cbc_filing_kind kind);

/** The name of a filing state ("on_time", "late", "missing", "pending"); NULL if unknown.
 * @since 1.2 */
CBC_EXTERN(const char *) cbc_filing_state_name(cbc_filing_state state);

#ifdef __cplusplus
}
#endif

#endif /* CBC_FILING_H */
