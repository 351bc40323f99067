/**
 * @file cbc/db.h
 * @brief Opening a libcbc database, its clock, and grouping calls into one transaction.
 */
#ifndef CBC_DB_H
#define CBC_DB_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open libcbc database (one SQLite or PostgreSQL connection).  Not thread-safe: use
 * one handle per thread, or serialise calls on a handle. */
typedef struct cbc_db cbc_db;

/** Flags for cbc_db_options.flags. */
typedef enum cbc_db_flag {
  CBC_DB_CREATE = 1u << 0,   /**< create the file (and the schema) if missing; on
                                  PostgreSQL the schema in an empty database */
  CBC_DB_READONLY = 1u << 1, /**< open read-only; every write call fails with CBC_EPERM */
  CBC_DB_DEFER_STATS = 1u << 2 /**< for bulk loads: this handle does not keep the
                                    statistics' aggregates; they are marked stale, forms
                                    are computed from the records until
                                    cbc_stats_rebuild() (or its steps,
                                    cbc_stats_rebuild_step()) rebuilds them.  Since
                                    1.2 no open rebuilds them: the loader calls it
                                    (before, the next open without this flag did) */
} cbc_db_flag;

/** Durability of each commit (SQLite's `PRAGMA synchronous` in WAL mode). */
typedef enum cbc_db_sync {
  CBC_DB_SYNC_NORMAL = 1, /**< durable at checkpoints; a power cut may lose the last commits */
  CBC_DB_SYNC_FULL = 2    /**< every commit is durable when the call returns */
} cbc_db_sync;

/**
 * A clock: the current time in seconds since the epoch, UTC.  Tests inject
 * one to set time; the default reads the system clock.
 */
typedef int64_t (*cbc_clock_fn)(void *payload);

/** Version of cbc_db_options understood by this header. */
#define CBC_DB_OPTIONS_VERSION 1

/** Options for cbc_db_open(); initialise with CBC_DB_OPTIONS_INIT or
 * cbc_db_options_init(). */
typedef struct cbc_db_options {
  unsigned int version;      /**< CBC_DB_OPTIONS_VERSION */
  unsigned int flags;        /**< cbc_db_flag bits; default CBC_DB_CREATE */
  int busy_timeout_ms;       /**< wait this long for a lock; default 5000, >= 0 */
  int utc_offset_seconds;    /**< offset of calendar periods; default +28800 (UTC+8),
                                  -86399..86399.  The aggregates are built for one
                                  offset: a handle with another computes forms from
                                  the records, and its writes mark the aggregates
                                  stale, until cbc_stats_rebuild() from it rebuilds
                                  them for its offset (docs/statistics.md) */
  cbc_db_sync synchronous;   /**< default CBC_DB_SYNC_FULL */
  cbc_clock_fn clock;        /**< NULL for the system clock */
  void *clock_payload;       /**< passed to @c clock */
} cbc_db_options;

/** Static initializer for cbc_db_options with the defaults. */
#define CBC_DB_OPTIONS_INIT \
  { CBC_DB_OPTIONS_VERSION, CBC_DB_CREATE, 5000, 28800, CBC_DB_SYNC_FULL, NULL, NULL }

/**
 * Initialise @p opts with the defaults for @p version.
 * @return 0; CBC_EINVAL for NULL or a version of 0 or newer than the library
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_options_init(cbc_db_options *opts, unsigned int version);

/**
 * Open (and if asked, create) a libcbc database.
 *
 * The file is put in WAL mode with foreign keys on and migrated step by step
 * to the current schema, each step in its own transaction.  ":memory:" opens
 * a private in-memory database.
 *
 * Processes and threads may open, create and upgrade one file at the same
 * time: each waits for the others' locks up to busy_timeout_ms (from the
 * first read of the file on), a step another opener has done is not done
 * again, and every open succeeds, or fails with CBC_EBUSY once the wait is
 * over.  CBC_ECORRUPT means the file really is not a libcbc database (or is
 * damaged), never that another opener was creating it.  A read-only open
 * does not wait for a concurrent upgrade: it fails with CBC_ESTATE while
 * the file is below the current version.
 *
 * On PostgreSQL (a `postgresql://` URI, since 1.2) the database must exist;
 * its schema (the URI may name one: `options=-csearch_path=NAME`) is
 * checked, or created in one transaction when it holds no tables and
 * CBC_DB_CREATE is given; concurrent creators wait for each other.  The
 * PostgreSQL-specific behaviour is described in docs/decisions.md.
 *
 * @param[out] out   the new handle, owned by the caller, closed with
 *                   cbc_db_close(); set to NULL on failure
 * @param path       a file name (UTF-8), ":memory:", or a PostgreSQL URI
 * @param opts       options, or NULL for the defaults
 * @return 0; CBC_EINVAL (NULL out or path, bad options); CBC_ENOTFOUND
 *         (missing file, or an empty PostgreSQL database, without
 *         CBC_DB_CREATE); CBC_ECORRUPT (not a libcbc database, or damaged);
 *         CBC_EVERSION (written by a newer libcbc); CBC_EBUSY; CBC_EIO;
 *         CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_open(cbc_db **out, const char *path, const cbc_db_options *opts);

/**
 * Whether cbc_db_open() would reach @p path on a database server (a
 * `postgresql://` or `postgres://` URI) rather than as a file of this
 * machine (or ":memory:").  Reads nothing: for front ends that treat the
 * two differently (a file can be built aside and renamed into place, or
 * have files kept beside it; a server's database cannot).
 * @return 1 for a server's database; 0 otherwise, and for NULL
 * @since 1.2
 */
CBC_EXTERN(int) cbc_db_target_is_server(const char *path);

/**
 * Close a database.  An open cbc_db_begin() group is rolled back.  Every
 * iterator of the database must have been freed.  Accepts NULL.
 * @since 1.0
 */
CBC_EXTERN(void) cbc_db_close(cbc_db *db);

/**
 * The database's current time: the clock from the options, or the system
 * clock, clamped to [CBC_TIME_MIN, CBC_TIME_MAX] (common.h).
 * @return seconds since the epoch, UTC; 0 for a NULL @p db
 * @since 1.0
 */
CBC_EXTERN(int64_t) cbc_db_now(cbc_db *db);

/**
 * The UTC offset used for calendar periods, in seconds.
 * @return the offset; 0 for a NULL @p db
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_utc_offset(cbc_db *db);

/**
 * The schema version of the open database (SQLite `user_version`).
 * @param[out] out  the version
 * @param db        the database
 * @return 0; CBC_EINVAL for NULL arguments
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_schema_version(int *out, cbc_db *db);

/**
 * Start grouping write calls into one transaction (`BEGIN IMMEDIATE`).
 *
 * Every write call is otherwise its own transaction.  Inside a group each
 * call still applies whole or not at all, and nothing is durable until
 * cbc_db_commit().  Groups do not nest.
 *
 * A call refused by its checks (CBC_EINVAL, CBC_EPERM, CBC_ESTATE,
 * CBC_ENOTFOUND) changes nothing and the group goes on.  A call that fails
 * on a storage error after it has written (CBC_ENOMEM, CBC_EIO, ...), or
 * on which SQLite itself abandoned the transaction (it rolls a transaction
 * back after an I/O error or a full disk), rolls back the whole group: its
 * message starts with "the transaction group was rolled back", later write
 * calls fail with CBC_ESTATE and cbc_db_commit() with CBC_ESTATE ("nothing
 * was committed") until the group is ended; cbc_db_in_group() stays 1
 * until then.  A read call failing so inside a group (its own error is
 * CBC_EIO) leaves the group failed in the same way.  No write call ever
 * runs outside the group while cbc_db_in_group() is 1.
 *
 * @return 0; CBC_EINVAL (NULL); CBC_ESTATE (a group is already open);
 *         CBC_EPERM (read-only); CBC_EBUSY; CBC_EIO
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_begin(cbc_db *db);

/**
 * Commit the group opened by cbc_db_begin().
 *
 * When the commit fails, what follows depends on whether SQLite kept the
 * transaction, and the message says which:
 * - it kept it (typically CBC_EBUSY): the message starts with "the
 *   transaction group is still open"; cbc_db_in_group() stays 1 and the
 *   commit may be retried, or the group rolled back with cbc_db_rollback();
 * - it rolled it back (CBC_EIO, CBC_ENOMEM, ... e.g. the commit's fsync
 *   failed): the message starts with "the transaction group was rolled back,
 *   nothing was committed"; the group is ended (cbc_db_in_group() is 0,
 *   the queued hook events are dropped), and retrying the commit fails with
 *   CBC_ESTATE.  The same holds for a single write call outside a group
 *   whose commit fails ("nothing was committed").
 *
 * Durability after a failed commit: when the commit failed on I/O after
 * its changes reached the write-ahead log (the fsync failed), the change is
 * not visible to this or any other connection, but SQLite may find it in
 * the log after a crash or power cut and the change is then durable.  A
 * CBC_EIO from a commit therefore means "not known to be committed", not
 * "lost": a host that retries such a write should make the retry
 * idempotent (give the write a request key, where the call takes one: see
 * docs/integration.md, "Retrying safely") or check for the change first.
 *
 * @return 0; CBC_EINVAL; CBC_ESTATE (no group open, or the group was rolled
 *         back by a failed call: it is ended and nothing was committed);
 *         CBC_EBUSY (the group stays open: retry or roll back); CBC_EIO,
 *         CBC_ENOMEM (see above: ended when SQLite rolled it back)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_commit(cbc_db *db);

/**
 * Roll back the group opened by cbc_db_begin(); every call in it is
 * undone, the queued hook events are dropped.  Also ends a group that was
 * rolled back by a failed call.  The group is ended even when an error is
 * returned.
 * @return 0; CBC_EINVAL; CBC_ESTATE (no group open); CBC_EIO (SQLite
 *         reported an error while rolling back)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_rollback(cbc_db *db);

/**
 * Whether a cbc_db_begin() group is open: 1 from cbc_db_begin() until
 * cbc_db_commit() succeeds or ends the group, or cbc_db_rollback(); also
 * while a group rolled back by a failed call waits to be ended.
 * @return 1 or 0 (0 for NULL)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_in_group(cbc_db *db);

/** What cbc_db_check() checks, as bits; 0 checks everything.  @since 1.2 */
typedef enum cbc_check_flag {
  CBC_CHECK_FILE = 1u << 0,     /**< SQLite's `PRAGMA integrity_check` of the file (on
                                     PostgreSQL the server checks its own storage), the
                                     ledger's record of whether hazard ids follow report
                                     times (docs/ledger.md), and every row's tenant key
                                     (docs/scale-out.md) */
  CBC_CHECK_HISTORIES = 1u << 1, /**< every hazard's history replayed to its row */
  CBC_CHECK_STATS = 1u << 2     /**< the statistics' aggregates against the records: the
                                     form of every unit for every month, quarter and
                                     year that holds records, and the forms' own rules */
} cbc_check_flag;

/** Every cbc_check_flag bit this header knows.  @since 1.2 */
#define CBC_CHECK_ALL 0x7u

/** What a finding is about.  @since 1.2 */
typedef enum cbc_finding_kind {
  CBC_FINDING_FILE = 1,    /**< the file is damaged (integrity_check); object_id 0 */
  CBC_FINDING_HISTORY = 2, /**< a hazard's row disagrees with its history, or its history
                                cannot be replayed; object_id: the hazard */
  CBC_FINDING_STATS = 3    /**< the aggregates disagree with the records, or a form breaks
                                its own rules; object_id: the unit */
} cbc_finding_kind;

/** One finding of cbc_db_check().  @since 1.2 */
typedef struct cbc_check_finding {
  cbc_finding_kind kind; /**< what it is about */
  int64_t object_id;     /**< the hazard or unit; 0 for the file */
  char *message;         /**< what is wrong, for people (English, one line) */
} cbc_check_finding;

/** The result of cbc_db_check() (library-allocated; fields may be appended).
 * @since 1.2 */
typedef struct cbc_check_report {
  size_t count;                /**< how many findings; 0 = the database is sound */
  cbc_check_finding *findings; /**< in the order found: file, histories, statistics */
  size_t hazards_checked;      /**< histories replayed */
  size_t forms_compared;       /**< (unit, period) forms compared */
} cbc_check_report;

/**
 * Check a database's integrity, reading only (it never repairs: rebuild
 * the aggregates with cbc_stats_rebuild(); a damaged file needs a backup):
 * SQLite's integrity check, every hazard's history replayed to its row, and
 * the statistics' aggregates against the records.  At most 1000 findings of
 * each kind are listed.  A check that finds problems still returns 0: the
 * report lists them; damage that stops a part of the check (SQLite reports
 * a corrupt page) is a CBC_FINDING_FILE finding, and the check goes on with
 * the next part.  A difference found is read again before it is reported, so a
 * concurrent writer does not cause false findings.  Handles opened with
 * CBC_DB_DEFER_STATS (or whose aggregates are stale) compute forms from the
 * records, so their statistics check finds nothing.  The checks of
 * histories and statistics read every hazard and every form: minutes on a
 * city's database.
 * @param[out] out  the report, owned by the caller, freed with
 *                  cbc_check_report_free()
 * @param db        the database
 * @param flags     cbc_check_flag bits; 0 = all
 * @return 0 (with findings or none); CBC_EINVAL (NULL arguments, unknown
 *         flags); CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.2
 */
CBC_EXTERN(int) cbc_db_check(cbc_check_report **out, cbc_db *db, unsigned int flags);

/**
 * Free a report from cbc_db_check().  Accepts NULL.
 * @param report  the report
 * @since 1.2
 */
CBC_EXTERN(void) cbc_check_report_free(cbc_check_report *report);

/**
 * The name of a finding kind ("FILE", "HISTORY", "STATS").
 * @param kind  a cbc_finding_kind
 * @return a static string, or NULL for an unknown value
 * @since 1.2
 */
CBC_EXTERN(const char *) cbc_finding_kind_name(cbc_finding_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* CBC_DB_H */
