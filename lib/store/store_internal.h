/* Private to lib/store/: the connection, the statement cache, SQLite error
 * mapping.  Not exported. */
#ifndef CBC_STORE_INTERNAL_H
#define CBC_STORE_INTERNAL_H

#include "store.h"
#include "driver.h"
#include <sqlite3.h>

/* Cached statements, one slot each.  The SQL text stays at the call site. */
typedef enum store_stmt_id {
  STMT_BEGIN, STMT_COMMIT, STMT_ROLLBACK, STMT_SAVEPOINT, STMT_RELEASE, STMT_ROLLBACK_TO,
  STMT_UNIT_GET, STMT_UNIT_GET_EXT, STMT_UNIT_INSERT, STMT_UNIT_UPDATE, STMT_UNIT_PATH,
  STMT_UNIT_OPEN_CHILDREN, STMT_UNIT_ACTIVE_MEMBERS,
  STMT_UNIT_ANCESTOR_KIND, STMT_UNIT_REPARENT, STMT_UNIT_REPATH, STMT_UNIT_MAX_ID,
  STMT_EMP_GET, STMT_EMP_GET_EXT, STMT_EMP_INSERT, STMT_EMP_UPDATE, STMT_EMP_EVENT_ADD,
  STMT_EMP_EVENTS, STMT_EMP_COUNT, STMT_EMP_MAX_ID, STMT_EMP_WITH_ROLE,
  STMT_HZ_GET, STMT_HZ_GET_MOVE, STMT_HZ_GET_LOCKED, STMT_HZ_STATE, STMT_HZ_INSERT,
  STMT_HZ_BY_KEY, STMT_HZ_EVENT_ADD, STMT_HZ_EVENT_FIRST, STMT_HZ_ATTACH_ADD, STMT_DATA_VERSION,
  STMT_TRAINING_INSERT, STMT_ATTENDEE_INSERT, STMT_TRAINING_GET, STMT_ATTENDEES_OF,
  STMT_DRILL_INSERT, STMT_DRILL_TEAM_INSERT, STMT_DRILL_GET, STMT_DRILL_TEAMS_OF,
  STMT_ASSIGNMENT_OVERLAP, STMT_ASSIGNMENT_INSERT, STMT_ASSIGNMENT_GET, STMT_ASSIGNMENT_END,
  STMT_VISIT_INSERT, STMT_PROPOSAL_INSERT, STMT_PROPOSAL_GET, STMT_PROPOSAL_DECIDE,
  STMT_TOOK_PART, STMT_UNTRAINED, STMT_TRAINING_FACTS, STMT_DRILL_GAPS,
  STMT_PARTICIPATION_GET, STMT_KEY_LOCK, STMT_KEY_LOCK_SHARED, STMT_PARTICIPATION_PUT, STMT_PARTICIPATION_UPDATE,
  STMT_TEAM_MEMBERS_AT, STMT_STAT_SUM_UNIT,
  STMT_ROLLUP_SUM, STMT_ROLLUP_ROWS, STMT_ACTIVE_MONTHS, STMT_ACTIVE_MONTHS_SET, STMT_ACTIVITY_OF, STMT_STAT_MONTH_FIRST,
  STMT_STAT_MONTH_LAST, STMT_STAT_UNIT_ROWS, STMT_UNIT_KIND, STMT_UNIT_PARENT, STMT_UNITS_ASSIGNED, STMT_SETTING_GET, STMT_SETTING_PUT,
  STMT_FORM_RECORDS_0, STMT_FORM_RECORDS_LAST = STMT_FORM_RECORDS_0 + 9,
  STMT_BREAKDOWN, STMT_HAZARD_TABLE, STMT_FORM_BY_UNIT_0, STMT_FORM_BY_UNIT_LAST = STMT_FORM_BY_UNIT_0 + 3,
  STMT_SUBTREE_SHARE,
  STMT_POLICY_GET, STMT_POLICY_NEWEST, STMT_POLICY_PUT, STMT_DISCOVERY_CANDIDATES,
  STMT_AWARD_GET, STMT_AWARD_FIND, STMT_AWARD_INSERT, STMT_AWARD_SAVE,
  STMT_AWARD_FLAG, STMT_AWARD_OF_HAZARD, STMT_AWARD_ID_OF_HAZARD, STMT_AWARD_LIST, STMT_AWARD_TOTALS, STMT_FINE_INSERT, STMT_FINES_IN,
  STMT_REWARD_CLOSED, STMT_REWARD_ADOPTED, STMT_REWARD_UNITS,
  STMT_METRIC_0, STMT_METRIC_LAST = STMT_METRIC_0 + 14,
  STMT_HZ_SET_FOLLOWUP, STMT_FOLLOWUP_MISSES, STMT_FOLLOWUP_MISS_ADD, STMT_FOLLOWUP_MISS_PRUNE,
  STMT_REQUEST_GET, STMT_REQUEST_PUT,
  STMT_UNIT_AT, STMT_LATEST_DRILL, STMT_MARKED_SINCE, STMT_MOVED_ADD, STMT_MOVED_LIST,
  STMT_PARTICIPATION_SINCE, STMT_PARTICIPATION_FORGET, STMT_LAST_CHANGE,
  STMT_VISIT_GET,
  STMT_ACCOUNT_GET, STMT_ACCOUNT_GET_EXT, STMT_ACCOUNT_PUT, STMT_ACCOUNT_DELETE,
  STMT_ACCOUNT_FAILED, STMT_ACCOUNT_SUCCEEDED,
  STMT_SWEEP_IDS, STMT_SWEEP_MARK_GET, STMT_SWEEP_MARK_SET,
  STMT_FILING_VERSIONS, STMT_FILING_INSERT, STMT_FILING_BY_ID, STMT_FILING_VERSION,
  STMT_FILERS_CHILDREN, STMT_FILERS_ENTERPRISES, STMT_FILED_IN, STMT_MAJOR_OPEN_IN,
  STMT_CHAIN_RECORD_0, STMT_CHAIN_RECORD_LAST = STMT_CHAIN_RECORD_0 + CBC_STORE_CHAIN_KINDS,
  STMT_CHAIN_CHILDREN_0, STMT_CHAIN_CHILDREN_LAST = STMT_CHAIN_CHILDREN_0 + CBC_STORE_CHAIN_KINDS,
  STMT_CHAIN_HEAD, STMT_CHAIN_INSERT, STMT_CHAIN_LATEST, STMT_CHAIN_AT,
  STMT_PENALTY_INSERT, STMT_PENALTY_GET,
  STMT__COUNT
} store_stmt_id;

#define STORE_UPDATE_CACHE 32 /* hazard UPDATEs kept, one per set of changed columns */
#define STORE_STAT_CACHE 24   /* statistics UPSERTs kept, one per set of counters and table */


/* How many advisory locks a transaction remembers holding (a group of a
 * thousand reports takes the reports' lock once; more distinct keys are
 * taken again, which costs a round trip, not correctness). */
#define STORE_HELD_LOCKS 32

struct cbc_store {
  drv_conn *conn;
  sqlite3 *db; /* the SQLite connection, for what only SQLite has */
  drv_stmt *stmts[STMT__COUNT];
  struct {
    uint64_t mask;
    drv_stmt *stmt;
  } updates[STORE_UPDATE_CACHE];
  unsigned int updates_next;
  struct {
    unsigned int mask;
    drv_stmt *stmt;
  } stat_adds[STORE_STAT_CACHE];
  unsigned int stat_adds_next;
  bool in_group;
  bool in_call;
  bool call_savepoint;   /* the current call opened SAVEPOINT cbc_call */
  bool call_wrote;       /* a write statement of the current call completed */
  int call_error;        /* the first storage error of the current call (a
                          * cbc code; 0: none), the cause given when SQLite
                          * rolled the call back and a later write finds out */
  bool call_victim;      /* its first storage error made it a deadlock victim (drv_victim) */
  bool group_failed;     /* the group was rolled back by a failed call */
  bool readonly;
  uint64_t org_generation; /* bumped by every write to units or employees */
  int64_t data_version;    /* PRAGMA data_version, read once per transaction */
  bool data_version_known; /* while a write call or group holds the write lock */
  bool membership_moved;   /* cbc_moved (temporary) may hold notes (lib/store/membership.h) */
  int64_t latest_drill;      /* the latest drill's time, cached ... */
  int64_t latest_drill_seen; /* ... at data_version + 1 (0: not cached) */
  int64_t units_total;       /* the number of units, cached ... */
  uint64_t units_total_seen; /* ... at this org generation + 1 (0: not cached) */
  struct {                   /* advisory locks the transaction holds (PostgreSQL; */
    int space;               /* store_lock_key), forgotten when it starts and */
    int64_t key;             /* when anything of it is undone */
    bool shared;
  } held[STORE_HELD_LOCKS];
  int n_held;
  struct {                   /* the history's chains (chain_store.c): */
    cbc_store_chain_note *pending; /* records the current call wrote */
    size_t n_pending, cap_pending;
    cbc_store_chain_head *heads;   /* chains' heads in this transaction */
    size_t n_heads, cap_heads;
    cbc_store_chain_head *advanced; /* heads the current call moved */
    size_t n_advanced, cap_advanced;
  } chain;
};

struct cbc_store_cursor {
  cbc_store *st;
  drv_stmt *stmt;
  bool done; /* the statement returned DRV_DONE: stepping it again would
                start it over, so the cursor stays at its end */
};

/* Get cached statement @p id (prepared from @p sql the first time), reset
 * and with bindings cleared.  Rows other statements handed out stay valid. */
int store_stmt(cbc_store *st, store_stmt_id id, const char *sql, drv_stmt **out);
/* store_stmt for a statement whose text is put together (column lists):
 * @p build writes it into @p size bytes, only when @p id is not prepared. */
typedef void (*store_sql_fn)(char *sql, size_t size, const void *arg);
#define STORE_BUILT_SQL_MAX 2048
int store_stmt_built(cbc_store *st, store_stmt_id id, store_sql_fn build, const void *arg,
                     drv_stmt **out);
/* Step a statement expected to finish (INSERT/UPDATE/...), then reset it. */
int store_exec_stmt(cbc_store *st, drv_stmt *s, const char *what);
/* store_exec_stmt for an INSERT, handing back the new row's id. */
int store_exec_insert(cbc_store *st, drv_stmt *s, const char *what, int64_t *out_id);
/* Step for one row: 0 with a row (left in the statement until it is used
 * again or cbc_store__done), or
 * CBC_ENOTFOUND, or an error. */
int store_step_row(cbc_store *st, drv_stmt *s, const char *what);
/* Step for at most one row, where none is an answer, not an error: 0 with
 * *found telling (the row stays in the statement as with store_step_row). */
int store_step_maybe(cbc_store *st, drv_stmt *s, const char *what, bool *found);
/* Step a query to its end, each row filled by @p fill into a growing array
 * of @p size-byte elements; *out freed with cbc__free (NULL when empty). */
typedef void (*fill_fn)(drv_stmt *s, void *element);
int store_collect(cbc_store *st, drv_stmt *s, size_t size, fill_fn fill, void **out,
                  size_t *count);
/* Bind a subtree's path range [@p lo, @p hi) to ?first and ?first+1 (NULL
 * binds NULL).  The texts are copied, so a CBC_ENOMEM here must be returned:
 * an unbound range matches no row. */
int store_bind_range(cbc_store *st, drv_stmt *s, int first, const char *lo, const char *hi);
/* store_collect over cached statement @p id, with a subtree's path range
 * bound to ?1, ?2 and times to ?3 (and ?4 when the SQL has it). */
int store_collect_range(cbc_store *st, store_stmt_id id, const char *sql, const char *lo,
                        const char *hi, int64_t t3, int64_t t4, size_t size, fill_fn fill,
                        void **out, size_t *count);
/* The first column of the first row of cached query @p id with ?1 bound to
 * @p key, as int64; 0 when there is no row. */
int store_int_by_id(cbc_store *st, store_stmt_id id, const char *sql, int64_t key, int64_t *out);
/* store_int_by_id with ?2 bound to @p key2 as well. */
int store_int_by_keys(cbc_store *st, store_stmt_id id, const char *sql, int64_t key,
                      int64_t key2, int64_t *out);
/* A fill_fn for a one-column query of int64 values. */
void store_fill_int64(drv_stmt *s, void *element);
/* Create the schema of @p version (CBC_STORE_PG_BASE_VERSION ..
 * CBC_STORE_SCHEMA_VERSION: the base, then the steps after it) in the
 * PostgreSQL database @p c is connected to, in one transaction
 * (store/schema_pg.c); an error leaves nothing created.  An older version
 * than the current one is for tests of the upgrade. */
int cbc_store__pg_schema_create(drv_conn *c, int version);
/* Check that the PostgreSQL database @p c is connected to holds libcbc's
 * schema at the version this build writes; an empty one (no tables in the
 * connection's schema) gets it when @p create and not @p readonly, else is
 * CBC_ENOTFOUND; an older one is upgraded in the same transaction
 * (CBC_ESTATE when @p readonly).  Concurrent creators or upgraders wait for
 * each other (an advisory lock) and look again, so one writes and the
 * others find it done; opening an up-to-date one takes no lock.
 * CBC_ECORRUPT for a schema that is not libcbc's, CBC_EVERSION for a
 * newer one. */
int cbc_store__pg_schema_open(drv_conn *c, bool create, bool readonly);
/* On PostgreSQL, inside a write call: wait for, and hold until the call
 * commits, the lock of (@p space, @p key), for a read-modify-write of rows
 * that may not exist yet (other hosts write the same counters at the same
 * time; SQLite's write lock covers the whole file, so there it does
 * nothing).  Spaces: a participation's year; an enterprise's year of
 * active months, negated; 0 for the reports' lock (key 1) and the
 * statistics' (key 2).  Keys equal modulo 2^31 - 1 share a lock.  With
 * @p shared, others may hold it shared at the same time (not exclusive). */
int store_lock_key(cbc_store *st, int space, int64_t key, bool shared);
/* The query of the caches' change counter on PostgreSQL (org_store.c). */
extern const char change_counter_pg[];
/* Run SQL text without results (schema, pragmas). */
int store_exec(cbc_store *st, const char *sql, const char *what);
/* Map a SQLite code to a CBC code, copying SQLite's message. */
int store_error(cbc_store *st, int sqlite_rc, const char *what);
/* Note @p code (a CBC code, or 0 or a positive answer, passed through) as
 * the current call's first storage error. */
int store_failed(cbc_store *st, int code);
/* drv_prepare and drv_step on the store's connection, their errors noted. */
int store_prepare(cbc_store *st, const char *sql, bool persistent, drv_stmt **out);
int store_step(cbc_store *st, drv_stmt *s, const char *what);
/* Make a cursor over a freshly prepared statement (bind before stepping). */
int store_cursor_new(cbc_store_cursor **out, cbc_store *st, const char *sql);
/* A cursor over a result without a bound (a whole ledger, a subtree's
 * people): read STORE_PAGE_ROWS rows at a time (drv_page). */
#define STORE_PAGE_ROWS 1000
void store_cursor_paged(cbc_store_cursor *c);
/* The same with ?1..?n bound to @p values. */
int store_cursor_ints(cbc_store_cursor **out, cbc_store *st, const char *sql, int n,
                      const int64_t *values);
/* Step to the next row: 0 with a row, CBC_ITEROVER at the end (and at every
 * call after it), or an error. */
int store_cursor_step(cbc_store_cursor *c);

/* SQL: employee row @p e ("e." or "") was on the payroll at time @p t (had not
 * left by then) — a drill counts the members its teams had then. */
#define ON_PAYROLL_AT(e, t) "(" e "active = 1 OR " e "left_at > " t ")"

/* Whether the store's connection is PostgreSQL's: for the few statements
 * whose text differs by engine (docs/decisions.md, "One SQL text"). */
static inline bool store_on_postgres(const cbc_store *st)
{
  return drv_engine_of(st->conn) == DRV_POSTGRES;
}

/* Text helpers for binding/reading. */
static inline int store_bind_text(drv_stmt *s, int i, const char *v)
{
  return drv_bind_text_static(s, i, v ? v : "", -1);
}
static inline const char *store_col_text(drv_stmt *s, int i)
{
  const char *t = drv_column_text(s, i);
  return t ? t : "";
}

/* SQL functions the schema migrations call (store/hazard_store.c), and
 * the ledger's: cbc_text_contains (store/text_match.c). */
int store_register_functions(cbc_store *st);
int store_register_text_match(cbc_store *st);

/* Schema ownership check and migrations (store/schema.c): check before
 * anything writes to the file, migrate from the version it reported. */
int store_schema_check(cbc_store *st, int *version);
int store_schema_migrate(cbc_store *st, int version);

#endif
