/* The 1.0 consumer: a program built only against the headers of libcbc
 * 1.0.0 (tests/compat/include-1.0/) and run against the library of this
 * tree, as a host built for 1.0 would be after an upgrade.  It knows
 * nothing later than 1.0: every struct it passes is version 1, every struct
 * it reads is read through 1.0's declaration. */
#ifndef CBC_COMPAT_CONSUMER_1_0_H
#define CBC_COMPAT_CONSUMER_1_0_H

#include <cbc.h>
#include <stddef.h>

#if CBC_VERSION_MAJOR != 1 || CBC_VERSION_MINOR != 0
#error "the 1.0 consumer must be compiled against the 1.0 headers only"
#endif

/* Failures print where and why (with cbc_error_last()) and exit 1. */
void c10_fail(const char *file, int line, const char *what);
void c10_ok(int rc, const char *expr, const char *file, int line);
void c10_err(int rc, int want, const char *expr, const char *file, int line);
#define CHECK(cond) ((cond) ? (void)0 : c10_fail(__FILE__, __LINE__, #cond))
#define OK(expr) c10_ok((expr), #expr, __FILE__, __LINE__)
#define ERR(expr, code) c10_err((expr), (code), #expr, __FILE__, __LINE__)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The consumer's clock: 2026-11-02T01:00:00Z (09:00 in UTC+8) onwards. */
#define C10_BASE ((int64_t)1793581200)
#define C10_DAY ((int64_t)86400)
/* November 2026 in UTC+8: [2026-10-31T16:00Z, 2026-11-30T16:00Z). */
#define C10_NOV_FROM ((int64_t)1793462400)
#define C10_NOV_TO ((int64_t)1796054400)

/* The consumer's session: its database, its clock, what it has made. */
typedef struct c10 {
  cbc_db *db;
  int64_t now;
  const char *dir;         /* where its import files go */
  int64_t hazards[16];     /* the hazards it reported, in order */
  size_t n_hazards;
  size_t hook_events;      /* events the hook delivered for them */
  char *key_dup, *key_paid; /* follow-up keys of its two tip-offs */
} c10;

/* Open @p path with the consumer's clock and @p flags. */
int c10_open(c10 *s, const char *path, unsigned int flags);
int64_t c10_unit(c10 *s, const char *external_id);
int64_t c10_person(c10 *s, const char *external_id);
int c10_owns(const c10 *s, int64_t hazard_id);

/* The whole 1.0 API on the consumer's own part of the database (its
 * external ids start with "C10-"), checking every result. */
void c10_exercise_basics(void);
void c10_exercise_org(c10 *s);
void c10_exercise_hazards(c10 *s);
void c10_exercise_activities(c10 *s);
void c10_exercise_stats(c10 *s);
void c10_exercise_rewards(c10 *s);

/* Read a database the current library wrote and compare it, record by
 * record, with what the writer said it wrote (@p expect_path); also check
 * what must hold in any database.  With @p readonly, check that every
 * write is refused.  Returns the number of records compared. */
size_t c10_read_back(c10 *s, const char *expect_path, int readonly);

#endif
