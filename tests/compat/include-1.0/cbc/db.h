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

/** An open libcbc database (one SQLite connection).  Not thread-safe: use
 * one handle per thread, or serialise calls on a handle. */
typedef struct cbc_db cbc_db;

/** Flags for cbc_db_options.flags. */
typedef enum cbc_db_flag {
  CBC_DB_CREATE = 1u << 0,   /**< create the file (and the schema) if missing */
  CBC_DB_READONLY = 1u << 1, /**< open read-only; every write call fails with CBC_EPERM */
  CBC_DB_DEFER_STATS = 1u << 2 /**< for bulk loads: this handle does not keep the
                                    statistics' aggregates; they are marked stale, forms
                                    are computed from the records until
                                    cbc_stats_rebuild() or the next open without this
                                    flag rebuilds them */
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
                                  -86399..86399 */
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
 * @param[out] out   the new handle, owned by the caller, closed with
 *                   cbc_db_close(); set to NULL on failure
 * @param path       a file name (UTF-8) or ":memory:"
 * @param opts       options, or NULL for the defaults
 * @return 0; CBC_EINVAL (NULL out or path, bad options); CBC_ENOTFOUND
 *         (missing file without CBC_DB_CREATE); CBC_ECORRUPT (not a libcbc
 *         database, or damaged); CBC_EVERSION (written by a newer libcbc);
 *         CBC_EBUSY; CBC_EIO; CBC_ENOMEM
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_open(cbc_db **out, const char *path, const cbc_db_options *opts);

/**
 * Close a database.  An open cbc_db_begin() group is rolled back.  Every
 * iterator of the database must have been freed.  Accepts NULL.
 * @since 1.0
 */
CBC_EXTERN(void) cbc_db_close(cbc_db *db);

/**
 * The database's current time: the clock from the options, or the system
 * clock.  @return seconds since the epoch, UTC; 0 for a NULL @p db
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
 * on a storage error after it has written (CBC_ENOMEM, CBC_EIO, ...) rolls
 * back the whole group: its message starts with "the transaction group was
 * rolled back", later calls fail with CBC_ESTATE and cbc_db_commit() with
 * CBC_ESTATE ("nothing was committed") until the group is ended.
 *
 * @return 0; CBC_EINVAL (NULL); CBC_ESTATE (a group is already open);
 *         CBC_EPERM (read-only); CBC_EBUSY
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_begin(cbc_db *db);

/**
 * Commit the group opened by cbc_db_begin().
 * @return 0; CBC_EINVAL; CBC_ESTATE (no group open, or the group was rolled
 *         back by a failed call: it is ended and nothing was committed);
 *         CBC_EBUSY; CBC_EIO (the group stays open and may be retried or
 *         rolled back)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_commit(cbc_db *db);

/**
 * Roll back the group opened by cbc_db_begin(); every call in it is undone.
 * @return 0; CBC_EINVAL; CBC_ESTATE (no group open)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_rollback(cbc_db *db);

/**
 * Whether a cbc_db_begin() group is open.
 * @return 1 or 0 (0 for NULL)
 * @since 1.0
 */
CBC_EXTERN(int) cbc_db_in_group(cbc_db *db);

#ifdef __cplusplus
}
#endif

#endif /* CBC_DB_H */
