/* Internal helpers shared by the library's files: memory, errors, text.
 * Nothing here is exported. */
#ifndef CBC_INTERNAL_H
#define CBC_INTERNAL_H

#include "cbc.h"
#include <stdarg.h>
#include <stdbool.h>

#if defined(__GNUC__)
#  define CBC__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define CBC__PRINTF(f, a)
#endif

/* Memory through the configured allocator (lib/alloc.c). */
void *cbc__malloc(size_t size);
void *cbc__calloc(size_t n, size_t size);
void *cbc__realloc(void *ptr, size_t size);
void cbc__free(void *ptr);
char *cbc__strdup(const char *s); /* NULL in -> NULL out; sets CBC_ENOMEM */
char *cbc__strndup(const char *s, size_t n);

/* Errors (lib/error.c).  Each returns @p code so callers can
 * `return cbc__error(CBC_EINVAL, "...")`. */
int cbc__error(int code, const char *fmt, ...) CBC__PRINTF(2, 3);
int cbc__error_v(int code, const char *fmt, va_list ap);
int cbc__error_oom(void);
/* Prefix the current message with "prefix: " (keeps the code). */
void cbc__error_prefix(const char *fmt, ...) CBC__PRINTF(1, 2);
/* Save and restore the thread's error around cleanup that may overwrite it. */
typedef struct cbc__error_saved { int code; char message[512]; } cbc__error_saved;
void cbc__error_save(cbc__error_saved *saved);
void cbc__error_restore(const cbc__error_saved *saved);

/* Text checks (lib/text.c). */
/* Valid UTF-8 (no overlongs, no surrogates) of exactly @p len bytes. */
bool cbc__utf8_valid(const char *s, size_t len);
/* Check a single-line text field (names, titles, ids, external ids,
 * references): valid UTF-8, no control characters, length in [min, max]
 * bytes; NULL counts as "" .  Sets CBC_EINVAL naming @p field. */
int cbc__text_check(const char *field, const char *s, size_t min, size_t max);
/* Check a long text (descriptions, measures, plans, reasons, notes,
 * findings, proposal texts): as cbc__text_check, but line breaks (LF, or CR
 * immediately followed by LF) and tabs are allowed.  A CR alone and every
 * other control character stay refused. */
int cbc__long_text_check(const char *field, const char *s, size_t min, size_t max);
/* Write @p v with @p decimals (0..4) decimal places, rounded, to @p out,
 * whatever the process's locale (printf's %f writes "0,5" under a comma
 * locale); with @p trim, trailing zeros and a bare point are dropped.  NaN,
 * infinities and |v| >= 1e14 write "0". */
void cbc__decimal(char *out, size_t size, double v, int decimals, bool trim);

/* Check a time a caller gives against [CBC_TIME_MIN, CBC_TIME_MAX]
 * (common.h).  Sets CBC_EINVAL naming @p what. */
int cbc__time_check(const char *what, int64_t t);
/* The same for a range [from, to): @p from in range, @p to after it and at
 * most CBC_TIME_MAX + 1 (an exclusive end). */
int cbc__time_range_check(const char *what, int64_t from, int64_t to);

/* JSON output (lib/json.c): dump @p root (a jansson json_t, consumed; NULL
 * means building it ran out of memory) with json_dumps @p flags into *out,
 * allocated with cbc__malloc.  0 or CBC_ENOMEM. */
struct json_t;
int cbc__json_dump(struct json_t *root, size_t flags, char **out);

/* People and units as users know them, for messages (lib/describe.c): @p as
 * ("employee", "attendee", "unit", "drill team", ...) then the external id
 * and the name, "employee E02-0005 (郑磊)", "unit E02-W1-T1 (甲班)", read by
 * internal id on the handle's connection.  Never fails and leaves the
 * thread's error alone: an unknown id or a failed read gives "employee #84".
 * Call before cbc__error; the lookup reuses the store's employee and unit
 * statements, so rows borrowed from them are gone afterwards. */
#define CBC__REF_SIZE 192
typedef void (*cbc__describe_fn)(cbc_db *db, const char *as, int64_t id,
                                 char out[CBC__REF_SIZE]);
void cbc__describe_employee(cbc_db *db, const char *as, int64_t id, char out[CBC__REF_SIZE]);
void cbc__describe_unit(cbc_db *db, const char *as, int64_t id, char out[CBC__REF_SIZE]);
/* Prefix the current message with the employee so described (a refusal that
 * names the rule but not who was refused): "employee E02-0005 (郑磊): ...". */
void cbc__error_prefix_employee(cbc_db *db, const char *as, int64_t id);

/* Null-safe string for messages and optional fields. */
static inline const char *cbc__str(const char *s) { return s ? s : ""; }

#define CBC__CHECK_ARG(expr) \
  do { if (!(expr)) return cbc__error(CBC_EINVAL, "invalid argument: %s", #expr); } while (0)

/* Versioned structs: 0 and versions newer than @p known are rejected. */
int cbc__check_version(const char *what, unsigned int version, unsigned int known);

/* CBC__STRUCT_INIT_FN for a struct that grew: only the first @p size bytes
 * (an expression of `version`, the caller's version) are written, since an
 * older caller's struct ends there.  The defaults come last (a braced
 * initializer holds commas). */
#define CBC__SIZED_INIT_FN(fn, type, known, size, ...)                         \
  CBC_EXTERN(int) fn(type *p, unsigned int version)                           \
  {                                                                           \
    CBC__CHECK_ARG(p);                                                        \
    int rc_ = cbc__check_version(#type, version, known);                      \
    if (rc_)                                                                  \
      return rc_;                                                             \
    type defaults_ = __VA_ARGS__;                                             \
    defaults_.version = version;                                              \
    memcpy(p, &defaults_, size);                                              \
    return 0;                                                                 \
  }

/* Define `int fn(type *p, unsigned int version)`: check the version, copy
 * the defaults of @p init, and set the version (the cbc_x_init functions). */
#define CBC__STRUCT_INIT_FN(fn, type, known, init)                            \
  CBC_EXTERN(int) fn(type *p, unsigned int version)                           \
  {                                                                           \
    CBC__CHECK_ARG(p);                                                        \
    int rc_ = cbc__check_version(#type, version, known);                      \
    if (rc_)                                                                  \
      return rc_;                                                             \
    type defaults_ = init;                                                    \
    *p = defaults_;                                                           \
    p->version = version;                                                     \
    return 0;                                                                 \
  }

#endif
