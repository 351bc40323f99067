/* The cbc_db handle, shared by the domain modules.  Not exported. */
#ifndef CBC_DB_INTERNAL_H
#define CBC_DB_INTERNAL_H

#include "internal.h"
#include "store/store.h"

/* Hazard events waiting for their transaction to commit before the host's
 * hook hears of them. */
typedef struct cbc__event_queue {
  cbc_hazard_event *events; /* owned copies (data strings owned) */
  size_t n, cap;
  size_t mark;              /* length when the current write call began */
} cbc__event_queue;

/* The history's checkpoints waiting the same way for the checkpoint hook
 * (lib/history.c): each write call's new heads, in order; a chain's
 * newest is delivered. */
typedef struct cbc__checkpoint_queue {
  cbc_history_checkpoint *heads;
  size_t n, cap;
  size_t mark; /* length when the current write call began */
} cbc__checkpoint_queue;

typedef struct cbc__scope_cache cbc__scope_cache;

/* Statistics' counter changes not yet written, summed per (attribution
 * unit, month): a call's, written when it ends, or inside a cbc_db_begin()
 * group the checked-first calls', written at the commit (lib/stats_count.c,
 * docs/decisions.md).  rows and slots are allocated on first use. */
#define CBC__STATS_PENDING 512
typedef struct cbc__stats_row {
  int64_t unit;
  int month;
  int64_t delta[19]; /* cbc_store_stat order: CBC_STAT__COUNT of them for a
                      * unit's month, CBC_ROLLUP__COUNT for a region's roll-up */
} cbc__stats_row;
typedef struct cbc__stats_pending {
  cbc__stats_row *rows;  /* CBC__STATS_PENDING */
  uint16_t *slots;       /* 2 * CBC__STATS_PENDING; row index + 1, 0 = empty */
  size_t n;
} cbc__stats_pending;

struct cbc_db {
  cbc_store *store;
  cbc__scope_cache *scopes; /* lib/org_scope.c; NULL until needed */
  cbc_clock_fn clock;
  void *clock_payload;
  int utc_offset;
  unsigned int flags;
  cbc_hazard_event_fn hook;
  void *hook_payload;
  cbc__event_queue queue;
  cbc_history_checkpoint_fn checkpoint_hook;
  void *checkpoint_payload;
  cbc__checkpoint_queue checkpoints;
  cbc__stats_pending stats;
  cbc__stats_pending rollups; /* a flush's roll-up changes, summed per region and month */
  unsigned int call_flags; /* the current write call's CBC__WRITE_* flags */
  /* lib/stats_rebuild.c: which attribution units this handle's writes count
   * for, as read at org generation stats_state_at (when stats_state_known):
   * ids up to stats_through (-1: none); in a rebuild step only stats_only. */
  uint64_t stats_state_at;
  bool stats_state_known;
  int64_t stats_through;
  int64_t stats_only;
  struct cbc__policy *policy; /* lib/policy.c: the current policy, parsed; NULL until needed */
  uint64_t policy_generation; /* org generation it was read at */
  int64_t followup_window;    /* lib/followup.c: a read-only handle's own count of */
  int64_t followup_misses;    /* wrong follow-up keys in that window */
};

/* Queue a copy of a written event for the hook (no-op without a hook). */
int cbc__db_queue_event(cbc_db *db, const cbc_hazard_event *ev);

/* Check a handle argument (sets CBC_EINVAL for NULL). */
int cbc__db_check(const cbc_db *db);
/* Check the handle and that it is writable (CBC_EPERM when read-only). */
int cbc__db_check_write(const cbc_db *db);

/* Every write call is wrapped in begin/end: a transaction of its own, or a
 * savepoint inside a cbc_db_begin() group.  end commits when rc == 0 and
 * rolls back otherwise, keeping the first error; it returns the final rc.
 * CBC__WRITE_CHECKED_FIRST: the call makes all its checks before its first
 * write, so in a group it needs no savepoint; should it fail after writing
 * (a storage error), the group is rolled back (docs/decisions.md). */
#define CBC__WRITE_CHECKED_FIRST 1u
/* CBC__WRITE_STATS_REBUILD: a step of the statistics' rebuild, which on
 * PostgreSQL holds their lock alone (cbc_store__stats_lock). */
#define CBC__WRITE_STATS_REBUILD 2u
int cbc__db_write_begin(cbc_db *db, unsigned int flags);
int cbc__db_write_end(cbc_db *db, int rc);

/* A whole write call: check the handle is writable, then run @p fn in
 * its own transaction (begin/end above, with @p flags); *out_id (may be
 * NULL) gets what fn produced, only on success.  Outside a group, a call
 * PostgreSQL chose as a deadlock's or serialization failure's victim runs
 * again (up to 3 more times, after a few milliseconds), so @p fn reads
 * everything it needs from the database each time. */
typedef int (*cbc__write_fn)(cbc_db *db, const void *args, int64_t *out_id);
int cbc__db_write_call(cbc_db *db, unsigned int flags, cbc__write_fn fn, const void *args,
                       int64_t *out_id);

/* Whether a call that failed with @p rc on its @p runs-th run runs again:
 * it was a deadlock's or serialization failure's victim, outside a group
 * (cbc_store__call_may_rerun: nothing of it is left), and has not run out
 * of runs (4 in all); then after a short wait that differs between hosts,
 * so that two victims do not meet again at once.  For calls that cannot
 * be one cbc__write_fn (the HR syncs: their own transaction over many
 * steps). */
bool cbc__db_rerun(cbc_db *db, int rc, int runs);

/* Number of open handles in the process (the allocator may not change then). */
int cbc__db_open_count(void);

/* A "what may this person do now" question (cbc_hazard_moves() and its
 * kin): the record, the person and, where records come in kinds, the kind. */
typedef struct cbc__question {
  int kind;
  int64_t id;
  int64_t actor_id;
} cbc__question;

/* Whether @p rc is a question's answer rather than its error: the person
 * may not (CBC_EPERM), or the record does not take the move (CBC_ESTATE). */
static inline bool cbc__is_refusal(int rc) { return rc == CBC_EPERM || rc == CBC_ESTATE; }

/* Sets the bits of what the person may do in *moves; a refusal it weighs
 * is an answer, any other error the question's. */
typedef int (*cbc__weigh_fn)(cbc_db *db, const cbc__question *q, unsigned int *moves);

/* Answer a question: CBC_EINVAL for an id below 1 (@p what names the
 * record), else *out the bits @p weigh sets, and on success the thread's
 * last error left as it was before (the refusals weighed are not this
 * call's error); the store's statements are reset either way. */
int cbc__question_answer(unsigned int *out, cbc_db *db, const char *what, cbc__weigh_fn weigh,
                         const cbc__question *q);

#endif
