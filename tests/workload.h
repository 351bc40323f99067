/* A realistic mix of write calls for the regimes that run many writers at
 * once (tests/test_concurrency.c) or kill one at random moments
 * (tests/test_crash.c), and the check that every call the library
 * acknowledged is in the file.
 *
 * A worker appends one line per acknowledged write to its log, after the
 * call returned 0 (for a cbc_db_begin() group: after the commit):
 *   H <hazard> <events>   the hazard exists with at least that many events
 *   T <training> <n>      the training session exists with n attendees
 *   D <drill> <n>         the drill exists with n teams
 *   V <visit>             the visit exists
 *   A <award>             the award exists
 *   S <seq>               the org sync number seq (or a later one) is in place
 * Counting lines (each call once) lets cbc_wl_verify() compare row counts. */
#ifndef CBC_TEST_WORKLOAD_H
#define CBC_TEST_WORKLOAD_H

#include "helpers.h"
#include <stdbool.h>
#include <stdio.h>

/* Which calls a worker mixes in. */
enum {
  CBC_WL_SYNC = 1u << 0,   /* org sync with transfers and leavers (one writer only) */
  CBC_WL_GROUPS = 1u << 1, /* several calls in a cbc_db_begin() group */
  CBC_WL_REWARDS = 1u << 2 /* reward evaluation */
};

/* The people and units the calls use (looked up once: a worker's threads
 * make no cmocka assertion of their own). */
typedef struct cbc_wl_ids {
  int64_t leader[2], reporter[2], team[2], principal, cadre, enterprise, mill;
} cbc_wl_ids;

typedef struct cbc_wl {
  cbc_db *db;
  cbc_wl_ids ids;
  int64_t *now;         /* the database's clock; each call advances it */
  uint64_t rng;         /* xorshift state */
  unsigned int mix;     /* CBC_WL_* */
  int log_fd;           /* acknowledged calls go here */
  bool durable;         /* fsync the log after each line */
  int64_t *hazards;     /* the hazards this worker moves */
  size_t n_hazards, cap_hazards;
  int64_t sync_seq;     /* the last org sync number started */
  char *pending;        /* lines of an open group, written at its commit */
  size_t n_pending;
  long calls, acked, busy;
} cbc_wl;

/* The first day of the workload's clock (2024-03-01 in UTC+8). */
int64_t cbc_wl_epoch(void);

/* In one group: the organisation the workload runs in (sync number 0), the
 * cadre's assignment, and a policy that pays for general hazards. */
void cbc_wl_seed(cbc_db *db);

/* A worker on @p db writing to @p log_fd.  With @p adopt_hazards it moves
 * every hazard in the file (a lone writer); otherwise only those it
 * reported. */
void cbc_wl_init(cbc_wl *w, cbc_db *db, int64_t *now, uint64_t seed, unsigned int mix,
                 int log_fd, bool durable, bool adopt_hazards);
void cbc_wl_free(cbc_wl *w);

/* One random write call (or group).  Returns its result: 0 (logged),
 * or the error; a failed call is not logged. */
int cbc_wl_step(cbc_wl *w);

/* What cbc_wl_verify() found. */
typedef struct cbc_wl_counts {
  long lines;                /* acknowledged calls checked */
  long hazards, trainings, drills, visits, awards, syncs; /* of them, by kind */
} cbc_wl_counts;

/* Check every line of the logs against the file at @p path (one read-only
 * check per line); with @p exact, also that the file holds no more than was
 * acknowledged (every call returned, none was cut short): the row counts
 * equal the acknowledged counts (awards aside: an evaluation finds existing
 * ones) and every hazard has exactly as many events as its last
 * acknowledgement says.  @p base: counts already in the file
 * before these logs (exact mode); may be NULL. */
void cbc_wl_verify(cbc_wl_counts *out, cbc_db *db, const char *path, const char *const *logs,
                   size_t n_logs, bool exact, const cbc_wl_counts *base);

/* The rows of each kind in the file at @p path (hazards, trainings, drills,
 * visits, awards), for cbc_wl_verify()'s @p base. */
void cbc_wl_row_counts(cbc_wl_counts *out, const char *path);

/* A file at schema @p version (0 .. current - 1, no rows), as that
 * version's libcbc would have left it, in WAL mode or not: the migrations
 * of this build up to it (lib/store/schema.c). */
void cbc_wl_old_file(const char *path, int version, bool wal);

/* This test executable's path, to run it again as a worker (under valgrind
 * /proc/self/exe would be valgrind itself). */
const char *cbc_wl_self(const char *argv0);

/* Whether valgrind runs this process (its preload library is in
 * LD_PRELOAD): the regimes then make fewer rounds, since the parent's checks
 * run some fifty times slower there while the workers run natively. */
bool cbc_wl_under_valgrind(void);

#endif
