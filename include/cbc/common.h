/**
 * @file cbc/common.h
 * @brief Version, error codes, per-thread error details, memory and the allocator.
 *
 * Everything in libcbc returns an `int`: 0 on success or one of the negative
 * `CBC_E*` codes below.  The details of the last failure on the calling thread
 * are kept by cbc_error_last().
 *
 * What the library hands over, and how it is freed (one convention):
 * - A record or result handed out as `T **out` is the caller's and has
 *   exactly one `cbc_T_free()`, which frees everything it points to
 *   (strings, and arrays inside it such as cbc_stats_breakdown::counts or
 *   cbc_sync_result::errors) and accepts NULL.
 * - A string, or an array handed out as `T **out` with a `size_t *count`
 *   whose elements own no memory (ids, cbc_employee_event,
 *   cbc_training_need, ...), is one allocation freed with cbc_free(); it is
 *   NULL when the count is 0.
 * - An array whose elements own memory (strings) is freed by the module's
 *   own `cbc_Ts_free(array, count)` (cbc_hazard_events_free()), or comes
 *   inside a result struct with its own `_free` (cbc_awards,
 *   cbc_stats_forms, cbc_reward_decisions).
 * - What a call returns directly (`const T *`), an iterator's row and an
 *   array given as `const T **out` (cbc_enum_values()) are borrowed: the
 *   doc comment says until when; never free them.
 * Never pass library memory to free(): a host allocator may be installed
 * (cbc_allocator_set()).
 */
#ifndef CBC_COMMON_H
#define CBC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a public symbol; everything else in the library is hidden. */
#if defined(CBC_BUILDING_LIBRARY) && defined(__GNUC__)
#  define CBC_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#  define CBC_EXTERN(type) extern type
#endif

/** @name Version
 * The version of the headers; cbc_version() gives the library's at run time.
 * @{ */
#define CBC_VERSION_MAJOR 1          /**< incompatible API changes */
#define CBC_VERSION_MINOR 2          /**< additions */
#define CBC_VERSION_PATCH 0          /**< fixes */
#define CBC_VERSION_STRING "1.2.0"   /**< "MAJOR.MINOR.PATCH" */
/** The version as one number, e.g. 0x010000 for 1.0.0, for `#if` tests. */
#define CBC_VERSION_NUMBER \
  ((CBC_VERSION_MAJOR << 16) | (CBC_VERSION_MINOR << 8) | CBC_VERSION_PATCH)
/** @} */

/**
 * The library's version at run time.
 *
 * @param[out] major, minor, patch  each may be NULL
 * @return the version string, static, never freed (e.g. "1.0.0")
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_version(int *major, int *minor, int *patch);

/**
 * Return codes.  Values are never renumbered or reused; new codes are
 * appended.  Callback return values that abort a call are passed up as they
 * are, so a host should use positive values for its own aborts.
 */
typedef enum cbc_error_code {
  CBC_OK = 0,          /**< success */
  CBC_ENOTFOUND = -1,  /**< the object asked for does not exist */
  CBC_EINVAL = -2,     /**< an argument or a record is invalid */
  CBC_ESTATE = -3,     /**< the object is not in a state that allows the call */
  CBC_EPERM = -4,      /**< the actor is not allowed to do this */
  CBC_ECONFLICT = -5,  /**< the call conflicts with existing data (duplicate id, ...) */
  CBC_EBUSY = -6,      /**< the database is locked by another connection */
  CBC_ENOMEM = -7,     /**< an allocation failed */
  CBC_EIO = -8,        /**< a file or disk operation failed */
  CBC_ECORRUPT = -9,   /**< the database or a file is damaged, or not a libcbc database */
  CBC_EVERSION = -10,  /**< the database was written by a newer libcbc */
  CBC_ITEROVER = -11   /**< an iterator has no more items (not an error); every later
                            call to its `_next` returns CBC_ITEROVER again */
} cbc_error_code;

/** @name Time
 * Every time libcbc accepts or stores is an `int64_t` count of seconds since
 * 1970-01-01T00:00:00Z (UTC) within [CBC_TIME_MIN, CBC_TIME_MAX]: from
 * 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z.  A time outside it (in a
 * record, a move, a period, a sweep, a filter) is refused with CBC_EINVAL;
 * where a time is optional, 0 means "absent" or "now" as the call documents.
 * A clock (cbc_db_options.clock) that reads outside the range is clamped to
 * it.  The bounds keep every calendar computation (local dates at any UTC
 * offset, the end of a period) far from overflow.
 * @since 1.1
 * @{ */
#define CBC_TIME_MIN INT64_C(0)            /**< 1970-01-01T00:00:00Z */
#define CBC_TIME_MAX INT64_C(253402300799) /**< 9999-12-31T23:59:59Z */
/** @} */

/** The last failure on the calling thread. */
typedef struct cbc_error {
  int code;            /**< a cbc_error_code, or a callback's own return value */
  const char *message; /**< a human-readable English message, never NULL */
} cbc_error;

/**
 * Details of the last failure on the calling thread.
 *
 * Every call that fails sets it; a call that succeeds leaves it alone,
 * whatever it looked up on the way (a lookup that finds nothing and is not a
 * failure, such as a new external id in a sync, leaves no trace).  An
 * iterator's `_next` returning CBC_ITEROVER is not a failure: it leaves the
 * error alone too.  Functions that return no code (`cbc_db_now`, the `_name`
 * functions, the `_free` functions) never touch it.  Detail from SQLite is
 * copied at the point of failure.
 *
 * @return a pointer owned by the library, valid on this thread until the next
 *         libcbc call on it; never NULL (code 0 and message "no error" before
 *         any failure)
 * @since 1.0
 */
CBC_EXTERN(const cbc_error *) cbc_error_last(void);

/**
 * Clear the calling thread's last error (code 0, "no error").
 * @since 1.0
 */
CBC_EXTERN(void) cbc_error_clear(void);

/**
 * A short static English name for a return code ("CBC_ENOTFOUND", ...).
 * @return a static string; "unknown" for a value that is not a code
 * @since 1.0
 */
CBC_EXTERN(const char *) cbc_error_name(int code);

/**
 * Free memory the library allocated and handed over (strings and arrays
 * documented as "free with cbc_free").  Accepts NULL.
 * @since 1.0
 */
CBC_EXTERN(void) cbc_free(void *ptr);

/** Version of cbc_allocator understood by this header. */
#define CBC_ALLOCATOR_VERSION 1

/**
 * A host allocator.  All three functions are required; @c payload is passed
 * back as the last argument.  @c free_fn must accept NULL.
 */
typedef struct cbc_allocator {
  unsigned int version; /**< CBC_ALLOCATOR_VERSION */
  void *(*malloc_fn)(size_t size, void *payload);            /**< like malloc() */
  void *(*realloc_fn)(void *ptr, size_t size, void *payload); /**< like realloc() */
  void (*free_fn)(void *ptr, void *payload);                  /**< like free() */
  void *payload;                                              /**< passed to each */
} cbc_allocator;

/** Static initializer for cbc_allocator (all functions NULL). */
#define CBC_ALLOCATOR_INIT { CBC_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }

/** Flags for cbc_allocator_set(). */
typedef enum cbc_allocator_flag {
  /**
   * Also route SQLite's own allocations through the allocator.  This is
   * process-wide (sqlite3_config(SQLITE_CONFIG_MALLOC)): it shuts SQLite
   * down and re-initialises it, so it may only be used while no SQLite
   * connection is open in the whole process.  Meant for fault-injection tests
   * and hosts that own all SQLite use; off by default.
   */
  CBC_ALLOCATOR_ROUTE_SQLITE = 1u << 0
} cbc_allocator_flag;

/**
 * Replace the allocator libcbc uses for its own memory (process-wide).
 *
 * Call it before any other libcbc call, while no cbc_db is open; memory
 * allocated before must not be freed after it.  NULL restores the C library
 * allocator (and SQLite's default allocator if it had been routed).
 *
 * @param allocator  the allocator, copied; or NULL for the default
 * @param flags      0 or CBC_ALLOCATOR_ROUTE_SQLITE
 * @return 0; CBC_EINVAL for a bad version, a missing function or unknown
 *         flags; CBC_ESTATE if a database is open; CBC_EBUSY if SQLite
 *         refuses to be reconfigured
 * @since 1.0
 */
CBC_EXTERN(int) cbc_allocator_set(const cbc_allocator *allocator, unsigned int flags);

/**
 * Initialise a cbc_allocator for @p version (fills in the version, clears
 * the rest).
 * @return 0, or CBC_EINVAL for NULL or an unknown version
 * @since 1.0
 */
CBC_EXTERN(int) cbc_allocator_init(cbc_allocator *allocator, unsigned int version);

#ifdef __cplusplus
}
#endif

#endif /* CBC_COMMON_H */
