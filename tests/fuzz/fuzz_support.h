/* What the fuzz targets share: the libFuzzer entry points, a reader that
 * turns the input bytes into choices and texts, and the checks.
 *
 * The targets check with cmocka's assertions and tests/helpers.h, reused
 * outside cmocka's runner: there a failed assertion would exit(-1), but with
 * CMOCKA_TEST_ABORT=1 (set by LLVMFuzzerInitialize) it abort()s, which
 * libFuzzer reports as a crash with its input, and the replay as a failure. */
#ifndef CBC_FUZZ_SUPPORT_H
#define CBC_FUZZ_SUPPORT_H

#include "invariants.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, consumed front to back; when it runs out every read gives 0 or
 * "" (so any input is a whole program). */
typedef struct fz_input {
  const uint8_t *data;
  size_t size;
} fz_input;

uint8_t fz_byte(fz_input *in);
/* A number in [0, n), n >= 1. */
unsigned int fz_pick(fz_input *in, unsigned int n);
/* A text of up to @p max bytes: a length byte, then the bytes (cut at a NUL).
 * Owned by the caller (free()). */
char *fz_text(fz_input *in, size_t max);

/* Fail unless @p rc is 0 or one of the @p n codes the call documents, and
 * unless an error left a message with its code in cbc_error_last().  With
 * CBC_FUZZ_TRACE set in the environment, print every call and its result
 * (to read what a reproducer does). */
#define FZ_RC_IN(rc, ...) \
  fz_check_rc((rc), #rc, (const int[]){ __VA_ARGS__ }, \
              sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int), __FILE__, __LINE__)
int fz_check_rc(int rc, const char *call, const int *allowed, size_t n, const char *file,
                int line);

/* Fail unless @p text parses as JSON (jansson). */
void fz_assert_json(const char *text, const char *what);

/* A fresh :memory: database on the clock *now, with the tests' small org
 * (cbc_test_seed_org, tests/helpers.h). */
cbc_db *fz_seeded_db(int64_t *now);

/* The clock the targets start at: 2025-03-10 09:00 UTC+8. */
int64_t fz_start_time(void);


/* A named report by employee @p reporter in unit @p unit (external ids),
 * fields valid; for callers to change before cbc_hazard_report(). */
cbc_hazard_record fz_record(cbc_db *db, const char *reporter, const char *unit);

/* A general hazard reported by @p reporter and fixed on the spot, verified
 * (closed) by @p verifier. Returns its id. */
int64_t fz_closed_on_spot(cbc_db *db, const char *reporter, const char *unit,
                          const char *verifier);

/* A complete rectification plan (every field @p text). */
cbc_rectification_plan fz_plan(const char *text, int64_t time_limit);

/* A major hazard reported by A2 in T1 and registered at ENTERPRISE level by
 * S1, with every text of the registration @p text.
 * Returns the hazard's id; the registration's code in *rc. */
int64_t fz_major_registered(cbc_db *db, const char *text, int *rc);

/* No hazard, proposal or period cause has two awards for one rule and
 * subject (cbc_award_list()).  Returns the number of awards. */
size_t fz_assert_awards_once(cbc_db *db);

/* For @p unit and @p period, the form from the aggregates equals the form
 * from the records (CBC_STATS_FROM_RECORDS), and nobody is counted trained
 * without taking part.  tests/invariants.h checks all 17 periods of each
 * year; a fuzz run checks the periods it used, which is ~5x faster. */
void fz_assert_form_agrees(cbc_db *db, int64_t unit, cbc_period period);

#endif
