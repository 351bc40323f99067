/**
 * @file cbc/org.h
 * @brief The organisation mirrored from an HR system: org units, employees,
 *        responsibility, and batch synchronisation from arrays or files.
 *
 * The HR system owns people and the org tree; libcbc mirrors them keyed by
 * the HR system's own ids (external ids) and never forgets anyone: leaving
 * deactivates, moving records a transfer, closing a unit keeps it.
 */
#ifndef CBC_ORG_H
#define CBC_ORG_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Limits on text fields, in bytes of UTF-8 (a CJK character is 3 bytes).
 * Text must be valid UTF-8 (no overlong forms, no surrogates).  Names, titles,
 * posts, labels, ids, external ids and references are single-line: no control
 * character at all.  Long texts (descriptions, measures, contingency and
 * rectification plans, reasons, notes, visit findings, proposal texts, fine
 * reasons and violations) may also hold tabs and line breaks, LF or CR LF;
 * a CR alone and every other control character are refused (CBC_EINVAL).
 * @{ */
#define CBC_MAX_EXTERNAL_ID 64 /**< external ids: 1..64 bytes */
#define CBC_MAX_NAME 300       /**< names: 1..300 bytes (100 CJK characters) */
#define CBC_MAX_LABEL 300      /**< post, industry: 0..300 bytes */
/** Request keys (cbc_sync_options::request_key and the records' request_key):
 * 1..128 bytes of single-line UTF-8.  @since 1.1 */
#define CBC_MAX_REQUEST_KEY 128
/** @} */

/** The kind of an org unit.  Parents must fit: a region under nothing or a
 * region; an enterprise under nothing or a region; a workshop under an
 * enterprise; a team under a workshop or an enterprise. */
typedef enum cbc_unit_kind {
  CBC_UNIT_REGION = 1,     /**< region or union node (district, city, province, sector union) */
  CBC_UNIT_ENTERPRISE = 2, /**< 企业 / 单位, the employer */
  CBC_UNIT_WORKSHOP = 3,   /**< 车间 / 科室, workshop or department */
  CBC_UNIT_TEAM = 4        /**< 班组, the smallest unit */
} cbc_unit_kind;

/** Roles an employee may hold, as bits (an employee may hold several). */
typedef enum cbc_role {
  CBC_ROLE_WORKER = 1u << 0,            /**< 职工 */
  CBC_ROLE_TEAM_LEADER = 1u << 1,       /**< 班组长 */
  CBC_ROLE_WORKSHOP_DIRECTOR = 1u << 2, /**< 车间主任 / 科长 */
  CBC_ROLE_SAFETY_OFFICER = 1u << 3,    /**< 安全管理人员 */
  CBC_ROLE_PRINCIPAL = 1u << 4,         /**< 主要负责人 */
  CBC_ROLE_EMPLOYEE_REP = 1u << 5,      /**< 职工代表 */
  CBC_ROLE_EXPERT = 1u << 6,            /**< 专家 */
  CBC_ROLE_UNION_CADRE = 1u << 7,       /**< 工会干部 */
  CBC_ROLE_BUREAU_INSPECTOR = 1u << 8   /**< 安监局 / 应急管理局 inspector */
} cbc_role;

/** All role bits this version knows. */
#define CBC_ROLE_ALL 0x1FFu

/** Responsibility levels, lowest first. */
typedef enum cbc_level {
  CBC_LEVEL_INDIVIDUAL = 1, /**< the post (岗位) */
  CBC_LEVEL_TEAM = 2,       /**< 班组 */
  CBC_LEVEL_WORKSHOP = 3,   /**< 车间 */
  CBC_LEVEL_ENTERPRISE = 4  /**< 企业行政 */
} cbc_level;

/**
 * The English name of a unit kind ("region", "enterprise", "workshop", "team").
 * @return a static string, or NULL for an unknown value
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_unit_kind_name(cbc_unit_kind kind);

/**
 * The name of one role bit ("worker", "team_leader", "workshop_director",
 * "safety_officer", "principal", "employee_rep", "expert", "union_cadre",
 * "bureau_inspector").
 * @return a static string, or NULL unless @p role is exactly one known bit
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_role_name(unsigned int role);

/**
 * Parse role names separated by '|', ',' or ';' (spaces around names are
 * ignored) into bits, e.g. "team_leader|worker".  An empty string gives 0.
 * @param[out] out  the bits
 * @param text      the names
 * @return 0; CBC_EINVAL for NULL arguments or an unknown name
 * @since 1.0
 */
CBC_EXTERN(int) cbc_roles_parse(unsigned int *out, const char *text);

/* ------------------------------------------------------------------ */
/** @name Records given by the HR system (input)
 * @{ */

/** Version of cbc_unit_record understood by this header. */
#define CBC_UNIT_RECORD_VERSION 1

/** An org unit as the HR system describes it. */
typedef struct cbc_unit_record {
  unsigned int version;           /**< CBC_UNIT_RECORD_VERSION */
  const char *external_id;        /**< the HR system's id; required */
  const char *parent_external_id; /**< the parent's external id; NULL or "" for a root */
  cbc_unit_kind kind;             /**< required */
  const char *name;               /**< required */
  const char *industry;           /**< enterprises only; NULL or "" for none */
  int high_risk;                  /**< enterprises only: 1 for a high-risk industry, else 0 */
} cbc_unit_record;

/** Static initializer for cbc_unit_record. */
#define CBC_UNIT_RECORD_INIT { CBC_UNIT_RECORD_VERSION, NULL, NULL, (cbc_unit_kind)0, NULL, NULL, 0 }

/**
 * Initialise a unit record for @p version (all fields empty).
 * @return 0; CBC_EINVAL for NULL or an unknown version
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_record_init(cbc_unit_record *rec, unsigned int version);

/** Version of cbc_employee_record understood by this header. */
#define CBC_EMPLOYEE_RECORD_VERSION 1

/** An employee as the HR system describes them. */
typedef struct cbc_employee_record {
  unsigned int version;         /**< CBC_EMPLOYEE_RECORD_VERSION */
  const char *external_id;      /**< the HR system's id; required */
  const char *name;             /**< required */
  const char *post;             /**< 岗位, the work position; NULL or "" for none */
  const char *unit_external_id; /**< the team (or, for someone holding only union
                                     cadre, bureau inspector or expert roles, the
                                     region node) they belong to; required */
  unsigned int roles;           /**< cbc_role bits; 0 means CBC_ROLE_WORKER */
  int active;                   /**< 1 employed, 0 left */
  int64_t hire_date;            /**< seconds since the epoch, up to CBC_TIME_MAX; 0 if
                                     unknown */
} cbc_employee_record;

/** Static initializer for cbc_employee_record (active by default). */
#define CBC_EMPLOYEE_RECORD_INIT { CBC_EMPLOYEE_RECORD_VERSION, NULL, NULL, NULL, NULL, 0, 1, 0 }

/**
 * Initialise an employee record for @p version (empty, active).
 * @return 0; CBC_EINVAL for NULL or an unknown version
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_record_init(cbc_employee_record *rec, unsigned int version);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Units and employees as stored (output; the library allocates them,
 * so fields may be appended in later versions)
 * @{ */

/** An org unit. */
typedef struct cbc_unit {
  int64_t id;          /**< libcbc's id, stable for the life of the database */
  int64_t parent_id;   /**< 0 for a root */
  cbc_unit_kind kind;  /**< region, enterprise, workshop or team */
  char *external_id;   /**< the HR system's id */
  char *name;          /**< the name */
  char *industry;      /**< "" when none */
  int high_risk;       /**< enterprises: 1 for a high-risk industry */
  int closed;          /**< 1 once closed */
  int64_t created_at;  /**< when libcbc first saw it */
  int64_t closed_at;   /**< 0 while open */
} cbc_unit;

/** An employee. */
typedef struct cbc_employee {
  int64_t id;          /**< libcbc's id, stable for the life of the database */
  char *external_id;   /**< the HR system's id */
  char *name;          /**< the name */
  char *post;          /**< "" when none */
  int64_t unit_id;     /**< current team (or region node) */
  unsigned int roles;  /**< cbc_role bits */
  int active;          /**< 1 employed, 0 left */
  int64_t hire_date;   /**< 0 if unknown */
  int64_t unit_since;  /**< when they joined the current unit (hire or last transfer) */
  int64_t left_at;     /**< when deactivated; 0 while active */
  int64_t created_at;  /**< when libcbc first saw them */
} cbc_employee;

/** What happened to an employee (their history, never rewritten). */
typedef enum cbc_employee_event_kind {
  CBC_EMPLOYEE_JOINED = 1,      /**< first seen by libcbc, in to_unit */
  CBC_EMPLOYEE_TRANSFERRED = 2, /**< 转岗: moved from from_unit to to_unit */
  CBC_EMPLOYEE_LEFT = 3,        /**< deactivated */
  CBC_EMPLOYEE_RETURNED = 4     /**< reactivated, in to_unit */
} cbc_employee_event_kind;

/**
 * The name of an employee event kind ("joined", "transferred", "left", "returned").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_employee_event_kind_name(cbc_employee_event_kind kind);

/** One entry of an employee's history. */
typedef struct cbc_employee_event {
  int64_t employee_id;          /**< whose */
  cbc_employee_event_kind kind; /**< what happened */
  int64_t at;          /**< seconds since the epoch */
  int64_t from_unit;   /**< 0 when not applicable */
  int64_t to_unit;     /**< 0 when not applicable */
} cbc_employee_event;
/** @} */

/** Free a unit returned by a lookup.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_unit_free(cbc_unit *unit);
/** Free an employee returned by a lookup.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_employee_free(cbc_employee *employee);

/* ------------------------------------------------------------------ */
/** @name Units
 * @{ */

/**
 * Create or update one unit by its external id (one transaction).
 * Changing the parent moves the unit with its subtree; an update reopens a
 * closed unit.
 * @param[out] out_id  the unit's id; may be NULL
 * @param db            the database
 * @param rec           the unit as the HR system has it
 * @return 0; CBC_EINVAL (bad record: the message names the field);
 *         CBC_ENOTFOUND (unknown parent); CBC_ESTATE (the move would make a
 *         cycle or break a parent-kind rule); CBC_ECONFLICT (the external id
 *         belongs to a unit of another kind); CBC_EPERM (read-only); CBC_EBUSY;
 *         CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_upsert(int64_t *out_id, cbc_db *db, const cbc_unit_record *rec);

/**
 * Look a unit up by id.
 * @param[out] out  the unit, owned by the caller, freed with cbc_unit_free()
 * @param db        the database
 * @param id        the unit's id
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_lookup(cbc_unit **out, cbc_db *db, int64_t id);

/**
 * Look a unit up by its external id.
 * @param[out] out    the unit, owned by the caller, freed with cbc_unit_free()
 * @param db          the database
 * @param external_id the HR system's id
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_lookup_external(cbc_unit **out, cbc_db *db, const char *external_id);

/**
 * Rename a unit.
 * @param db    the database
 * @param id    the unit
 * @param name  the new name
 * @return 0; CBC_EINVAL (bad name); CBC_ENOTFOUND; CBC_EPERM; CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_rename(cbc_db *db, int64_t id, const char *name);

/**
 * Move a unit (with its subtree) under another parent.
 * @param db             the database
 * @param id             the unit
 * @param new_parent_id  the new parent, or 0 to make it a root
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ESTATE (a cycle, a parent of the
 *         wrong kind, or a closed parent); CBC_EPERM; CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_move(cbc_db *db, int64_t id, int64_t new_parent_id);

/**
 * Close a unit at the database's current time.  The unit and its history stay.
 * @param db  the database
 * @param id  the unit
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ESTATE (already closed, or it
 *         still has open child units or active employees); CBC_EPERM;
 *         CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_close(cbc_db *db, int64_t id);

/** An iterator over units. */
typedef struct cbc_unit_iter cbc_unit_iter;

/**
 * Iterate the direct children of a unit (or the roots, for @p parent_id 0),
 * ordered by id.  Closed units are included; check cbc_unit.closed.
 * @param[out] out  the iterator, owned by the caller, freed with cbc_unit_iter_free()
 * @param db         the database
 * @param parent_id  the parent, or 0 for the roots
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND (unknown parent); CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_iter_children(cbc_unit_iter **out, cbc_db *db, int64_t parent_id);

/**
 * Iterate a unit and everything below it, depth first (a parent before its
 * children; siblings by id).  Closed units are included.
 * @param[out] out  the iterator, freed with cbc_unit_iter_free()
 * @param db       the database
 * @param root_id  the unit at the top
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_iter_subtree(cbc_unit_iter **out, cbc_db *db, int64_t root_id);

/**
 * The next unit.
 * @param[out] out  borrowed from the iterator: valid until the next call or
 *                  cbc_unit_iter_free()
 * @param it        the iterator
 * @return 0; CBC_ITEROVER at the end; CBC_EINVAL; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_unit_iter_next(const cbc_unit **out, cbc_unit_iter *it);

/** Free a unit iterator.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_unit_iter_free(cbc_unit_iter *it);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Employees
 * @{ */

/**
 * Create or update one employee by external id (one transaction).  A changed
 * unit is recorded as a transfer at the database's current time; active 0
 * deactivates (recorded as leaving), active 1 on a departed employee records
 * a return.
 * @param[out] out_id  the employee's id; may be NULL
 * @param db            the database
 * @param rec           the employee as the HR system has them
 * @return 0; CBC_EINVAL (bad record, or a unit that may not hold this
 *         employee: the message says why); CBC_ENOTFOUND (unknown unit);
 *         CBC_ESTATE (the unit is closed); CBC_EPERM; CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_upsert(int64_t *out_id, cbc_db *db, const cbc_employee_record *rec);

/**
 * Look an employee up by id.
 * @param[out] out  owned by the caller, freed with cbc_employee_free()
 * @param db        the database
 * @param id        the employee's id
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_lookup(cbc_employee **out, cbc_db *db, int64_t id);

/**
 * Look an employee up by external id.
 * @param[out] out    owned by the caller, freed with cbc_employee_free()
 * @param db          the database
 * @param external_id the HR system's id
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_lookup_external(cbc_employee **out, cbc_db *db, const char *external_id);

/**
 * Transfer (转岗) an active employee to another unit at time @p at.
 * Re-training depends on the recorded date.
 * @param db       the database
 * @param id       the employee
 * @param unit_id  the new team (or region node)
 * @param at       seconds since the epoch; 0 for the database's current time
 * @return 0; CBC_EINVAL (same unit, a unit that may not hold them, at < 0);
 *         CBC_ENOTFOUND; CBC_ESTATE (inactive employee, closed unit);
 *         CBC_EPERM; CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_transfer(cbc_db *db, int64_t id, int64_t unit_id, int64_t at);

/**
 * Deactivate an employee who left, at time @p at.  Nothing is deleted.
 * @param db  the database
 * @param id  the employee
 * @param at  seconds since the epoch; 0 for the database's current time
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ESTATE (already inactive);
 *         CBC_EPERM; CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_deactivate(cbc_db *db, int64_t id, int64_t at);

/** An iterator over employees. */
typedef struct cbc_employee_iter cbc_employee_iter;

/** Flags for cbc_employee_iter_subtree(). */
typedef enum cbc_employee_iter_flag {
  CBC_EMPLOYEE_ITER_INACTIVE = 1u << 0 /**< include employees who left */
} cbc_employee_iter_flag;

/**
 * Iterate the employees of a unit's subtree, grouped by unit in tree order
 * (as cbc_unit_iter_subtree()), by id within a unit.
 * @param[out] out  freed with cbc_employee_iter_free()
 * @param db        the database
 * @param unit_id   the unit at the top
 * @param flags     0 or CBC_EMPLOYEE_ITER_INACTIVE
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_iter_subtree(cbc_employee_iter **out, cbc_db *db,
                                          int64_t unit_id, unsigned int flags);

/**
 * Iterate the employees of a unit's subtree in the order of
 * cbc_employee_iter_subtree(), starting after a given employee: the keyset
 * cursor of a paged list, whose cost does not grow with the page number.
 * Pass the last row of the previous page (its unit_id and id).  A row
 * added or moved between pages may be seen twice or not at all, as with
 * any keyset cursor; a cursor unit moved out of the subtree is CBC_EINVAL.
 * @param[out] out          freed with cbc_employee_iter_free()
 * @param db                the database
 * @param unit_id           the unit at the top
 * @param flags             0 or CBC_EMPLOYEE_ITER_INACTIVE
 * @param after_unit_id     the unit of the employee to start after; 0 with
 *                          after_employee_id 0 starts at the beginning
 * @param after_employee_id the employee to start after (need not still be in
 *                          that unit, nor exist: only the pair orders)
 * @return 0; CBC_EINVAL (bad flags, a negative id, one of the pair 0 and not
 *         the other, a cursor unit outside the subtree); CBC_ENOTFOUND
 *         (unknown unit_id or after_unit_id); CBC_ENOMEM; CBC_EIO
 * @since 1.2
 */
CBC_EXTERN(int) cbc_employee_iter_subtree_after(cbc_employee_iter **out, cbc_db *db,
                                                int64_t unit_id, unsigned int flags,
                                                int64_t after_unit_id, int64_t after_employee_id);

/**
 * The next employee.
 * @param[out] out  borrowed: valid until the next call or the iterator's free
 * @param it        the iterator
 * @return 0; CBC_ITEROVER at the end; CBC_EINVAL; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_iter_next(const cbc_employee **out, cbc_employee_iter *it);

/** Free an employee iterator.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_employee_iter_free(cbc_employee_iter *it);

/**
 * An employee's history (joined, transfers, leaving, returns) in the order it
 * was recorded (each entry carries its effective time).
 * @param[out] out    an array owned by the caller, freed with cbc_free()
 *                    (NULL when empty)
 * @param[out] count  its length
 * @param db          the database
 * @param id          the employee
 * @return 0; CBC_EINVAL; CBC_ENOTFOUND; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_employee_history(cbc_employee_event **out, size_t *count,
                                     cbc_db *db, int64_t id);

/**
 * Who is responsible for unit @p unit_id at @p level: the team leader of the
 * team (TEAM), the director of the workshop (WORKSHOP), or the principal,
 * else a safety officer, of the enterprise (ENTERPRISE).  The unit is the
 * team, workshop or enterprise itself or anything below it.  Only active
 * employees count; of several, the lowest id.
 * @param[out] out_employee_id  the employee's id
 * @param db       the database
 * @param unit_id  the unit
 * @param level    TEAM, WORKSHOP or ENTERPRISE
 * @return 0; CBC_EINVAL (NULL, unknown level, or CBC_LEVEL_INDIVIDUAL, which
 *         is the person at the post and has no unit answer); CBC_ENOTFOUND
 *         (unknown unit, no unit of that level above it, or nobody holds the
 *         role: the message says which)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_org_responsible(int64_t *out_employee_id, cbc_db *db,
                                    int64_t unit_id, cbc_level level);

/**
 * The unit whose subtree an employee may read (docs/authorization.md, "Who
 * may read"): for someone under an enterprise, that enterprise (its ledger,
 * hazards, forms, activities and awards); for someone sitting in a region
 * node (union cadres, bureau inspectors, experts), that node.  They may also
 * read the hazards they reported themselves (cbc_hazard_readable()).
 * @param[out] out_unit_id  the unit at the top of the scope; 0 on error
 * @param db           the database
 * @param employee_id  the employee
 * @return 0; CBC_EINVAL (NULL arguments, an id below 1); CBC_ENOTFOUND
 *         (unknown employee); CBC_EPERM (the employee has left: an inactive
 *         employee reads nothing; the message says so); CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_employee_read_scope(int64_t *out_unit_id, cbc_db *db,
                                        int64_t employee_id);

/**
 * Whether a unit is inside what an employee may read: its forms, activities,
 * employees and org pages (cbc_employee_read_scope()).
 * @param[out] out     1 when it is inside the employee's read scope, else 0
 *                     (0 for an employee who left, and on every error)
 * @param db           the database
 * @param unit_id      the unit
 * @param employee_id  the employee
 * @return 0; CBC_EINVAL (NULL arguments, an id below 1); CBC_ENOTFOUND
 *         (unknown unit or employee); CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_unit_readable(int *out, cbc_db *db, int64_t unit_id,
                                  int64_t employee_id);
/** @} */

/* ------------------------------------------------------------------ */
/** @name Synchronisation with the HR system
 * @{ */

/** How a batch relates to what is stored. */
typedef enum cbc_sync_mode {
  CBC_SYNC_INCREMENTAL = 1, /**< only the given records change */
  CBC_SYNC_FULL = 2         /**< the batch is everything: active employees absent
                                 from it are deactivated, open units absent from
                                 it are closed */
} cbc_sync_mode;

/** Flags for cbc_sync_options.flags. */
typedef enum cbc_sync_flag {
  /** Any invalid row makes the whole call fail and change nothing
   * (otherwise valid rows apply and invalid rows are reported); in
   * cbc_org_import() a column (CSV, TSV) or key (JSON) that is no field is
   * refused too, instead of being ignored with a warning (@since 1.2). */
  CBC_SYNC_STRICT = 1u << 0
} cbc_sync_flag;

/** Version of cbc_sync_options understood by this header. */
#define CBC_SYNC_OPTIONS_VERSION 3

/** Options for cbc_org_sync() and cbc_org_import(). */
typedef struct cbc_sync_options {
  unsigned int version;  /**< CBC_SYNC_OPTIONS_VERSION */
  cbc_sync_mode mode;    /**< default CBC_SYNC_INCREMENTAL */
  unsigned int flags;    /**< cbc_sync_flag bits; default 0 */
  size_t max_errors;     /**< row errors kept in the result (all are counted); default 1000 */
  int64_t effective_at;  /**< time recorded for transfers and leaving, up to
                              CBC_TIME_MAX; 0 = now */
  const char *request_key; /**< NULL, or a key that makes the sync or import safe to retry
                                (docs/integration.md, "Retrying safely"): a retry with the
                                same key and input returns the first call's counts (no row
                                errors: errors_kept 0) and applies nothing; other input is
                                CBC_ECONFLICT; 1..CBC_MAX_REQUEST_KEY bytes; @since 1.1
                                (version 2) */
  const char *encoding;  /**< cbc_org_import(): the files' character encoding: NULL or
                              "auto" to detect it (UTF-8, else GB18030), or a name iconv
                              knows ("utf-8", "gb18030", "gbk" read as GB18030, "utf-16",
                              ...); an unknown name is CBC_EINVAL before anything is read;
                              cbc_org_sync() ignores it; @since 1.2 (version 3) */
  const char *const *column_map; /**< cbc_org_import(): NULL, or a NULL-terminated array of
                              "COLUMN=FIELD" strings naming the field a column (CSV or TSV
                              header name, JSON key) holds, before the built-in aliases
                              (docs/integration.md, "Columns"); "COLUMN=" ignores the
                              column without a warning; a FIELD that is no field of the
                              units or employees is CBC_EINVAL before anything is read;
                              cbc_org_sync() ignores it; @since 1.2 (version 3) */
} cbc_sync_options;

/** Static initializer for cbc_sync_options with the defaults. */
#define CBC_SYNC_OPTIONS_INIT \
  { CBC_SYNC_OPTIONS_VERSION, CBC_SYNC_INCREMENTAL, 0, 1000, 0, NULL, NULL, NULL }

/**
 * Initialise sync options with the defaults for @p version.
 * @return 0; CBC_EINVAL for NULL or an unknown version
 * @since 1.0
 */
CBC_EXTERN(int) cbc_sync_options_init(cbc_sync_options *opts, unsigned int version);

/** Which kind of record a row error is about. */
typedef enum cbc_record_kind {
  CBC_RECORD_UNIT = 1,
  CBC_RECORD_EMPLOYEE = 2
} cbc_record_kind;

/**
 * The name of a record kind ("unit", "employee").
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_record_kind_name(cbc_record_kind kind);

/** One rejected row. */
typedef struct cbc_sync_row_error {
  cbc_record_kind record; /**< unit or employee */
  size_t row;             /**< 0-based index in the array, or 1-based data line/element of a file */
  int code;               /**< the cbc_error_code the row would have failed with */
  char *external_id;      /**< the row's external id, "" if it had none */
  char *message;          /**< why */
} cbc_sync_row_error;

/** Counts for one kind of record. */
typedef struct cbc_sync_counts {
  size_t added;       /**< new */
  size_t updated;     /**< changed in place (name, post, roles, ...; includes moves) */
  size_t moved;       /**< of the updated, those whose parent or team changed */
  size_t deactivated; /**< employees deactivated or units closed */
  size_t unchanged;   /**< present and identical */
} cbc_sync_counts;

/** Something in an imported file that did not stop the import: a column
 * that is no field (ignored), or an encoding that was guessed.
 * @since 1.2 */
typedef struct cbc_sync_warning {
  cbc_record_kind record; /**< the units or the employees file */
  char *column;           /**< the column (CSV/TSV header, JSON key) it is about; "" if none */
  char *message;          /**< what was done, naming the file */
} cbc_sync_warning;

/** The outcome of a sync or an import (library-allocated; may grow).
 * The fields after @c applied are there from 1.2 on: a caller that reads
 * them passes cbc_sync_options version 3 or later, which an older library
 * refuses. */
typedef struct cbc_sync_result {
  cbc_sync_counts units;       /**< what happened to units */
  cbc_sync_counts employees;   /**< what happened to employees */
  size_t error_count;          /**< rows rejected in all */
  size_t errors_kept;          /**< length of @c errors (at most max_errors) */
  cbc_sync_row_error *errors;  /**< the first rejected rows, in input order */
  int applied;                 /**< 1 if the changes were committed, 0 if nothing changed */
  size_t warning_count;        /**< warnings in all (cbc_org_import() only); @since 1.2 */
  size_t warnings_kept;        /**< length of @c warnings (at most max_errors); @since 1.2 */
  cbc_sync_warning *warnings;  /**< the first warnings, in the order they arose; @since 1.2 */
} cbc_sync_result;

/** Free a sync result.  Accepts NULL. @since 1.0 */
CBC_EXTERN(void) cbc_sync_result_free(cbc_sync_result *result);

/**
 * Synchronise units and employees from arrays, in one transaction.
 *
 * Units may come in any order (parents are placed first).  Employees refer
 * to units by external id, also to units of the same batch.  In full mode,
 * absent active employees are deactivated and absent open units closed (units
 * that still hold someone stay open and are reported as row errors).
 * Duplicate external ids in one batch are row errors (the first occurrence
 * applies).
 *
 * @param[out] out  the result, owned by the caller, freed with
 *                  cbc_sync_result_free(); also set when the call fails
 *                  because of row errors in strict mode; NULL otherwise
 * @param db        the database
 * @param units, n_units          unit records (may be NULL when n_units is 0)
 * @param employees, n_employees  employee records (likewise)
 * @param opts   options, or NULL for the defaults
 * @return 0 (possibly with row errors when not strict); CBC_EINVAL (NULL
 *         arguments, bad options); in strict mode the first row error's code,
 *         with nothing changed (CBC_EINVAL, CBC_ENOTFOUND, CBC_ESTATE, or
 *         CBC_ECONFLICT for an external id twice in the batch or a unit whose
 *         kind would change); CBC_EPERM (read-only); CBC_ECONFLICT (opts'
 *         request key was used with other input or options: nothing changed;
 *         @since 1.1); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_org_sync(cbc_sync_result **out, cbc_db *db,
                             const cbc_unit_record *units, size_t n_units,
                             const cbc_employee_record *employees, size_t n_employees,
                             const cbc_sync_options *opts);

/** File formats for cbc_org_import(). */
typedef enum cbc_file_format {
  CBC_FORMAT_AUTO = 0, /**< by the file name's ending: .json; .tsv or .tab (TSV); .csv or
                            .txt (CSV, or TSV when the header's first separator is a tab) */
  CBC_FORMAT_CSV = 1,  /**< RFC 4180 CSV with a header row */
  CBC_FORMAT_JSON = 2, /**< a JSON array of objects */
  CBC_FORMAT_TSV = 3   /**< tab-separated values with a header row, quoted as CSV is;
                            @since 1.2 */
} cbc_file_format;

/** Progress of an import, passed to the progress callback. */
typedef struct cbc_import_progress {
  cbc_record_kind record; /**< which file is being read */
  size_t rows;            /**< rows read so far from it */
  uint64_t bytes;         /**< bytes read so far from it */
  uint64_t total_bytes;   /**< its size */
} cbc_import_progress;

/** Called during an import; a non-zero return aborts it (nothing is
 * changed) and is returned by cbc_org_import(). */
typedef int (*cbc_import_progress_fn)(const cbc_import_progress *progress, void *payload);

/**
 * Import units and employees from files as HR systems export them, in one
 * transaction, streaming (memory does not grow with the number of employees).
 *
 * Fields (CSV/TSV header names, or JSON object keys):
 * - units: external_id, parent_external_id, kind (region|enterprise|workshop|team),
 *   name, industry, high_risk (0|1|true|false)
 * - employees: external_id, name, post, unit_external_id, roles (names
 *   separated by '|'), active (0|1|true|false), hire_date (2019-03-01,
 *   2019-3-1, 2019/3/1, 2019.3.1, 20190301 or 2019年3月1日, spaces around it
 *   ignored, in the database's UTC offset)
 * external_id, name and kind / unit_external_id are required; the others may
 * be absent.  Header names are matched without regard to ASCII case, spaces,
 * '_' and '-', and the aliases HR systems write are understood (工号, 姓名,
 * 部门, 入职日期, ...: the table is in docs/integration.md, "Columns");
 * cbc_sync_options::column_map names other columns.  A column that is no
 * field is ignored with a warning in the result (refused with
 * CBC_SYNC_STRICT).  Two columns meaning one field, ragged rows and JSON
 * that is not an array of objects are errors.
 *
 * The files are UTF-8 (a BOM is skipped) or GB18030/GBK, detected per file
 * or as cbc_sync_options::encoding says; a byte sequence that is no
 * character of the encoding makes its row a row error.  A file whose every
 * row is rejected fails the call with CBC_EINVAL (nothing is changed; the
 * message names the likely cause, such as the encoding, and *out holds the
 * row errors).
 *
 * @param[out] out  the result as for cbc_org_sync()
 * @param db              the database
 * @param units_path      the units file, or NULL
 * @param employees_path  the employees file, or NULL
 * @param format          the format of both files
 * @param opts            sync options, or NULL for the defaults
 * @param progress        called every 10,000 rows and at the end of each
 *                        file; may be NULL.  On PostgreSQL, an import the
 *                        server made a deadlock's victim reads its files
 *                        again from the start (nothing of the first run is
 *                        kept), and the rows count from 0 again
 * @param payload         passed to @p progress
 * A request key in @p opts covers the files' bytes, @p format, the encoding
 * and the column map: the files are read once more to digest them (only
 * when a key is given).  A replayed result carries no warnings.
 * @return as cbc_org_sync(); also CBC_ENOTFOUND or CBC_EIO for a file that
 *         cannot be read, CBC_EINVAL for a malformed file (the message gives
 *         the file and line), an unknown encoding, a column map naming no
 *         field, a file whose every row was rejected, or (strict) a column
 *         that is no field; or the callback's non-zero value
 * @since 1.0
 */
CBC_EXTERN(int) cbc_org_import(cbc_sync_result **out, cbc_db *db,
                               const char *units_path, const char *employees_path,
                               cbc_file_format format, const cbc_sync_options *opts,
                               cbc_import_progress_fn progress, void *payload);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* CBC_ORG_H */
