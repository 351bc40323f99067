/* The storage interface.  Everything that speaks SQL lives under lib/store/;
 * domain code calls only these functions.  A second storage engine would
 * provide the same functions.  Not exported.
 *
 * Conventions: functions return 0 or a CBC_E* code with the error set
 * (SQLite's message copied).  Rows handed out as cbc_unit / cbc_employee
 * with "borrowed" strings point into their statement and stay valid until
 * the same function is called again or cbc_store__done(). */
#ifndef CBC_STORE_H
#define CBC_STORE_H

#include "../internal.h"

typedef struct cbc_store cbc_store;

/* Room for a unit's path and its range bounds (cbc_store__unit_range). */
#define CBC_STORE_PATH_MAX 1024
/* The most units a stored path can name (each segment takes at least 3
 * characters). */
#define CBC_STORE_DEPTH_MAX (CBC_STORE_PATH_MAX / 3)

/* ---- connection and transactions (store/store.c) ---- */
int cbc_store__open(cbc_store **out, const char *path, const cbc_db_options *opts);
void cbc_store__close(cbc_store *st);
int cbc_store__schema_version(cbc_store *st, int *out);
/* The SQL of migration step @p from -> @p from + 1, or NULL past the last
 * (tests build every older schema from it). */
const char *cbc_store__migration_sql(int from);
/* A write call: BEGIN IMMEDIATE, or inside a group a SAVEPOINT — unless
 * @p checked_first: the call makes every check before its first write, so
 * inside a group it runs without a savepoint, and a failure after one of
 * its writes (a storage error) rolls the whole group back.  Refused inside
 * a group that failed so.  Outside a group on PostgreSQL, the BEGIN also
 * takes the statistics' lock (cbc_store__stats_lock; exclusive with
 * @p stats_exclusive) and reads the caches' change counter. */
int cbc_store__write_begin(cbc_store *st, bool checked_first, bool stats_exclusive);
/* Commit (rc == 0) or roll back; returns the final rc (prefixed when the
 * group was rolled back). */
int cbc_store__write_end(cbc_store *st, int rc);
int cbc_store__group_begin(cbc_store *st);
/* CBC_ESTATE, ending the group, when it was rolled back by a failed call.
 * When COMMIT fails, the group stays open if SQLite kept the transaction
 * (it can be retried or rolled back), else it is ended; the message says
 * which. */
int cbc_store__group_commit(cbc_store *st);
int cbc_store__group_rollback(cbc_store *st);
bool cbc_store__in_group(const cbc_store *st);
/* Whether the open group was rolled back by a failed call, or by SQLite
 * itself after an error (found out here; the group is then marked failed). */
bool cbc_store__group_failed(cbc_store *st);
/* Roll the open group back as a failed call would (after a write outside
 * any call failed half-way); keeps the thread's error. */
void cbc_store__fail_group(cbc_store *st);
/* End of a read call: drop borrowed rows and their read snapshot (a no-op
 * inside a write call, whose end does it). */
void cbc_store__done(cbc_store *st);
/* The current schema version this build writes. */
#define CBC_STORE_SCHEMA_VERSION 20
/* SQLite application_id of libcbc databases ("CBC1"). */
#define CBC_STORE_APPLICATION_ID 0x43424331
/* The schema version a PostgreSQL database is created at
 * (store/schema_pg.c): SQLite's at that version, table for table; the
 * steps after it are written for both engines. */
#define CBC_STORE_PG_BASE_VERSION 17

/* A value that changes whenever this connection writes units or employees
 * (also writes later rolled back) or another connection commits: anything
 * on SQLite; on PostgreSQL, what the caches keep (units, employees,
 * cadres' assignments, policies, settings, drills).  Caches of org data
 * compare it to know when to forget. */
uint64_t cbc_store__org_generation(cbc_store *st);
/* Whether other connections write the database while this handle holds a
 * transaction (PostgreSQL): a cache of what every call writes (such as
 * participation) is then not kept beyond its own read. */
bool cbc_store__shared(const cbc_store *st);
/* Inside a write call on PostgreSQL: wait for, and hold until the call
 * commits, the lock every report takes before it reads its time, so that
 * report times rise with hazard ids across hosts as under SQLite's write
 * lock (docs/ledger.md, report order).  0 at once on SQLite; CBC_EBUSY
 * past the busy timeout. */
int cbc_store__reports_lock(cbc_store *st);
/* Inside a write call on PostgreSQL: the statistics' lock, held to the
 * commit, shared by every write call (taken before it reads anything) and
 * exclusive for a rebuild's step, which moves the state every writer
 * decides by (which attribution units it counts for): a step and a
 * writer never overlap, as under SQLite's write lock.  0 at once on
 * SQLite; CBC_EBUSY past the busy timeout. */
int cbc_store__stats_lock(cbc_store *st, bool rebuilding);
/* Whether the write call that just failed may run again: outside a group,
 * its first storage error was PostgreSQL's choice of it as a deadlock's or
 * a serialization failure's victim, so nothing of it is left. */
bool cbc_store__call_may_rerun(const cbc_store *st);
/* The same for a person's participation of @p year, which
 * cbc_store__participation_get() takes too: a record naming several people
 * takes theirs first, in ascending order (lib/stats_count.c). */
int cbc_store__participation_lock(cbc_store *st, int year, int64_t employee_id);

/* ---- the hazards' administrative penalties (store/penalty_store.c) ---- */
/* Insert @p p (its document borrowed) in tenant @p tenant, and note it for
 * the history's chain. */
int cbc_store__penalty_insert(cbc_store *st, const cbc_hazard_penalty *p, int64_t tenant);
/* Hazard @p hazard_id's penalty into @p out (its document copied, freed with
 * cbc__free); *found false when none is recorded. */
int cbc_store__penalty_get(cbc_store *st, int64_t hazard_id, cbc_hazard_penalty *out,
                           bool *found);

/* A cursor over rows of one query. */
typedef struct cbc_store_cursor cbc_store_cursor;

/* ---- the history's chains (store/chain_store.c, include/cbc/history.h) ---- */
/* The highest cbc_history_kind. */
#define CBC_STORE_CHAIN_KINDS 14
/* A chain's head: its tenant, sequence number and last link's hash. */
typedef struct cbc_store_chain_head {
  int64_t tenant;
  int64_t seq;
  uint8_t hash[32];
} cbc_store_chain_head;
/* A record the current write call wrote, to be chained when it ends. */
typedef struct cbc_store_chain_note {
  int kind;
  int64_t id;
  int64_t tenant;   /* from its row, when the call ends */
  size_t order;     /* when it was noted */
  uint8_t digest[32];
} cbc_store_chain_note;
/* Note that the current write call wrote record (@p kind, @p id): when the
 * call ends, its link goes to its tenant's chain (one per record and call,
 * vouching for what it holds then).  Every store function that writes a
 * chained record calls it. */
int cbc_store__chain_note(cbc_store *st, int kind, int64_t id);
/* Append the links of the records noted, in ascending tenant order, each
 * chain locked (PostgreSQL) until the transaction ends; by
 * cbc_store__write_end before it commits. */
int cbc_store__chain_flush(cbc_store *st);
/* The head of @p tenant's chain: inside a write call locked and cached
 * until the transaction ends (links of this transaction included), else as
 * committed. */
int cbc_store__chain_head(cbc_store *st, int64_t tenant, cbc_store_chain_head *out);
/* The heads the current call moved (valid until the next write call). */
void cbc_store__chain_advanced(cbc_store *st, const cbc_store_chain_head **heads, size_t *n);
void cbc_store__chain_advanced_clear(cbc_store *st);
/* Forget the cached heads and the notes (the transaction is undone). */
void cbc_store__chain_forget(cbc_store *st);
void cbc_store__chain_free(cbc_store *st);
/* The digest of record (@p kind, @p id) as it is now, and its tenant;
 * *found false when it is not there. */
int cbc_store__chain_digest(cbc_store *st, int kind, int64_t id, uint8_t digest[32],
                            int64_t *tenant, bool *found);
/* A link's hash from the one before it. */
void cbc_store__chain_link_hash(const uint8_t prev[32], int64_t tenant, int64_t seq, int kind,
                                int64_t id, const uint8_t digest[32], uint8_t out[32]);
/* Up to @p limit ids above @p after of the records of @p kind without a
 * link, ascending; *ids freed with cbc__free. */
int cbc_store__chain_unchained(cbc_store *st, int kind, int64_t after, int64_t limit,
                               int64_t **ids, size_t *n);
/* Whether every record has had its link since the chains began (schema
 * 20); inside a write call, cbc_store__chain_build gives the records
 * written before then theirs, once. */
int cbc_store__chain_built(cbc_store *st, bool *out);
int cbc_store__chain_build(cbc_store *st);
/* A link as stored. */
typedef struct cbc_store_link {
  int64_t tenant, seq, record_id;
  int kind;
  bool latest;      /* the newest link of its record */
  bool well_formed; /* its digest and hash are 32 bytes each */
  uint8_t digest[32], hash[32];
} cbc_store_link;
/* Every link, by tenant and sequence number (cbc_store__cursor_link). */
int cbc_store__chain_links(cbc_store_cursor **out, cbc_store *st);
int cbc_store__cursor_link(cbc_store_cursor *c, cbc_store_link *out);
/* The digest of a record's newest link. */
int cbc_store__chain_latest_digest(cbc_store *st, int kind, int64_t id, uint8_t digest[32],
                                   bool *found);
/* The hash of link @p seq of @p tenant's chain. */
int cbc_store__chain_link_at(cbc_store *st, int64_t tenant, int64_t seq, uint8_t hash[32],
                             bool *found);

/* ---- units (store/org_store.c) ---- */
int cbc_store__unit_get(cbc_store *st, int64_t id, cbc_unit *borrowed);
int cbc_store__unit_get_external(cbc_store *st, const char *external_id, cbc_unit *borrowed);
/* Checks of rows read back from the file (lib/store/row_check.c): every enum,
 * flag, count and time in range, else CBC_ECORRUPT naming the row. */
int cbc_store__hazard_row_check(const cbc_hazard *h);
int cbc_store__hazard_event_row_check(const cbc_hazard_event *ev);
int cbc_store__award_row_check(const cbc_award *a);
int cbc_store__training_row_check(const cbc_training *t);
int cbc_store__proposal_row_check(const cbc_proposal *p);
/* The same where no such unit is an answer, not an error (*found says;
 * the thread's error is left alone). */
int cbc_store__unit_find_external(cbc_store *st, const char *external_id, cbc_unit *borrowed,
                                  bool *found);
/* Insert; u->id is ignored and the new id returned.  The path is derived
 * from u->parent_id. */
int cbc_store__unit_insert(cbc_store *st, const cbc_unit *u, int64_t *out_id);
/* Update name, industry, high_risk, closed, closed_at of unit u->id. */
int cbc_store__unit_update(cbc_store *st, const cbc_unit *u);
/* Move a unit and its subtree under new_parent (0 = root). */
int cbc_store__unit_reparent(cbc_store *st, int64_t id, int64_t new_parent);
/* The units of @p id's stored path, root first, ending with @p id itself
 * (at most @p max; the path is checked: CBC_ECORRUPT when damaged). */
int cbc_store__unit_ancestors(cbc_store *st, int64_t id, int64_t *ids, size_t max, size_t *n);
/* *out = whether @p ancestor is @p id or above it. */
int cbc_store__unit_within(cbc_store *st, int64_t id, int64_t ancestor, bool *out);
/* Nearest unit of @p kind at or above @p id (0 if none). */
int cbc_store__unit_ancestor_of_kind(cbc_store *st, int64_t id, cbc_unit_kind kind,
                                     int64_t *out);
int cbc_store__unit_open_children(cbc_store *st, int64_t id, int64_t *out);
int cbc_store__unit_active_members(cbc_store *st, int64_t id, int64_t *out);

int cbc_store__units_children(cbc_store_cursor **out, cbc_store *st, int64_t parent_id);
int cbc_store__units_subtree(cbc_store_cursor **out, cbc_store *st, int64_t root_id);
/* Fill a borrowed unit; CBC_ITEROVER at the end. */
int cbc_store__cursor_unit(cbc_store_cursor *c, cbc_unit *borrowed);
/* Employees of @p unit_id's subtree in (unit path, id) order; with
 * @p after_unit_id, those after employee @p after_id of that unit (which
 * must be in the subtree: CBC_EINVAL). */
int cbc_store__employees_subtree(cbc_store_cursor **out, cbc_store *st, int64_t unit_id,
                                 bool include_inactive, int64_t after_unit_id, int64_t after_id);
int cbc_store__cursor_employee(cbc_store_cursor *c, cbc_employee *borrowed);
/* Employees in external-id order from @p external_id on (for merge walks). */
int cbc_store__employees_from(cbc_store_cursor **out, cbc_store *st, const char *external_id);
/* Ids only: open units in reverse depth order (children first), or active
 * employees; for full-mode sync. */
int cbc_store__units_open_ids(cbc_store_cursor **out, cbc_store *st);
int cbc_store__employees_active_ids(cbc_store_cursor **out, cbc_store *st);
int cbc_store__cursor_id(cbc_store_cursor *c, int64_t *out);
void cbc_store__cursor_free(cbc_store_cursor *c);

/* ---- employees (store/org_store.c) ---- */
int cbc_store__employee_get(cbc_store *st, int64_t id, cbc_employee *borrowed);
int cbc_store__employee_get_external(cbc_store *st, const char *external_id,
                                     cbc_employee *borrowed);
int cbc_store__employee_insert(cbc_store *st, const cbc_employee *e, int64_t *out_id);
/* Update every column of employee e->id. */
int cbc_store__employee_update(cbc_store *st, const cbc_employee *e);
int cbc_store__employee_event_add(cbc_store *st, const cbc_employee_event *ev);
/* Membership over time (store/membership_store.c): the unit the employee was
 * in at @p at by their history (docs/statistics.md). */
int cbc_store__employee_unit_at(cbc_store *st, int64_t employee_id, int64_t at, int64_t *out);
/* The effective time of the employee's last change (0 when none). */
int cbc_store__employee_last_change(cbc_store *st, int64_t employee_id, int64_t *out);
/* Note that where the employee was from @p since on changed otherwise than
 * by an insert or event (their start: a changed hire date). */
int cbc_store__membership_changed(cbc_store *st, int64_t employee_id, int64_t since);
/* An employee whose past membership this call's org writes changed. */
typedef struct cbc_store_moved {
  int64_t employee_id;
  int64_t since;
} cbc_store_moved;
/* Take the notes of this call (each employee once, from the earliest time);
 * *out freed with cbc__free (NULL when none). */
int cbc_store__membership_moved(cbc_store *st, cbc_store_moved **out, size_t *n);
/* All events of one employee in order; *out freed with cbc__free. */
int cbc_store__employee_events(cbc_store *st, int64_t id, cbc_employee_event **out,
                               size_t *count);
int cbc_store__employee_count(cbc_store *st, int64_t *out);
int cbc_store__employee_max_id(cbc_store *st, int64_t *out);
int cbc_store__unit_max_id(cbc_store *st, int64_t *out);
/* Lowest-id active employee holding any of @p roles inside the subtree of
 * @p unit_id; 0 if none. */
int cbc_store__employee_with_role(cbc_store *st, int64_t unit_id, unsigned int roles,
                                  int64_t *out);

/* ---- hazards (store/hazard_store.c) ---- */
/* The stored row of hazard @p id; its strings are SQLite's and stay valid
 * until the next cbc_store__hazard_get() or cbc_store__done() (other
 * statements, writes to the row included, leave them alone). */
int cbc_store__hazard_get(cbc_store *st, int64_t id, cbc_hazard *borrowed);
/* The same for a move, with every text field NULL: the moves never read
 * them, and cbc_store__hazard_update() writes only what the move changed.
 * Its own statement: a full row read meanwhile leaves it alone. */
int cbc_store__hazard_get_move(cbc_store *st, int64_t id, cbc_hazard *borrowed);
/* Just the state of hazard @p id (leaves a borrowed row alone). */
int cbc_store__hazard_state(cbc_store *st, int64_t id, cbc_hazard_state *out);
/* Its state and enterprise, likewise. */
int cbc_store__hazard_place(cbc_store *st, int64_t id, cbc_hazard_state *state,
                            int64_t *enterprise);
/* Bytes of a follow-up key's hash (lib/followup.c). */
#define CBC_STORE_FOLLOWUP_HASH 32
/* Insert every column of @p h (its id is ignored); @p followup_hash (the
 * hash of an anonymous report's key) may be NULL. */
int cbc_store__hazard_insert(cbc_store *st, const cbc_hazard *h,
                             const unsigned char *followup_hash, int64_t *out_id);
/* Write what a move changed in hazard h->id: the integer fields that differ
 * from @p before (as cbc_store__hazard_get_move() read it) and the text
 * fields the fold pointed elsewhere; nothing when none. */
int cbc_store__hazard_update(cbc_store *st, const cbc_hazard *before, const cbc_hazard *h);

/* The overdue sweep (lib/store/sweep_store.c).  The ids of the hazards open
 * (REGISTERED to PENDING_VERIFICATION) with a deadline before @p at, in the
 * open-deadline index's order (*out freed with cbc__free, NULL when none). */
int cbc_store__overdue_ids(cbc_store *st, int64_t at, int64_t **out, size_t *count);
/* The time (as judged by the sweep) hazard @p id was last escalated for
 * being overdue (0: never). */
int cbc_store__overdue_escalated_at(cbc_store *st, int64_t id, int64_t *at);
/* Mark hazard @p id (of tenant @p tenant, its enterprise) escalated for
 * being overdue by the sweep judging at @p at. */
int cbc_store__overdue_escalated_set(cbc_store *st, int64_t id, int64_t tenant, int64_t at);
/* The hazard whose follow-up hash is @p hash (an index lookup), with the
 * hash as stored in @p stored for a constant-time comparison. */
int cbc_store__hazard_by_followup(cbc_store *st, const unsigned char *hash, int64_t *out_id,
                                  unsigned char *stored);
/* Give hazard @p id a new follow-up hash (the old key stops working). */
int cbc_store__hazard_set_followup(cbc_store *st, int64_t id, const unsigned char *hash);
/* Wrong follow-up keys counted in time window @p period (0 when none). */
int cbc_store__followup_misses(cbc_store *st, int64_t period, int64_t *out);
/* Count one more in @p period, forgetting earlier windows. */
int cbc_store__followup_miss_add(cbc_store *st, int64_t period);
/* Append @p ev with its data in packed form (lib/event_codec.h); ev->data
 * is not read.  @p tenant: the hazard's enterprise_id (every row of a
 * tenant table carries its tenant key, docs/scale-out.md). */
int cbc_store__hazard_event_add(cbc_store *st, const cbc_hazard_event *ev, int64_t tenant,
                                const void *packed, size_t len, int64_t *out_id);
/* Events of one hazard, oldest first; rows via cbc_store__cursor_hazard_event:
 * packed data in *packed (borrowed, @p len bytes), or data stored as JSON
 * text in borrowed->data with *packed = NULL. */
int cbc_store__hazard_events(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id);
int cbc_store__cursor_hazard_event(cbc_store_cursor *c, cbc_hazard_event *borrowed,
                                   const void **packed, size_t *len);
/* The integer field @p name (a JSON key, lib/event_codec.h) of hazard
 * @p hazard_id's first event of @p action; 0 when none or absent. */
int cbc_store__event_int(cbc_store *st, int64_t hazard_id, cbc_hazard_action action,
                         const char *name, int64_t *out);
int cbc_store__hazard_attachment_add(cbc_store *st, int64_t hazard_id, int64_t tenant,
                                     int64_t event_id, const cbc_hazard_attachment *a);
/* "SELECT <the columns cbc_store__cursor_hazard reads> FROM hazards". */
const char *cbc_store__hazard_select_head(void);
/* ---- the ledger (store/ledger_store.c) ---- */
/* A keyset position: the sort key and id of the last row of a page. */
typedef struct cbc_store_ledger_after {
  int64_t key, id;
} cbc_store_ledger_after;
/* Hazards matching @p f (a checked, version-2 filter), in its sort, after
 * @p after (NULL: from the start), at most f->limit.  Rows via
 * cbc_store__cursor_hazard (borrowed, no attachments). */
int cbc_store__ledger_query(cbc_store_cursor **out, cbc_store *st, const cbc_hazard_filter *f,
                            const cbc_store_ledger_after *after);
/* How many hazards match @p f (sort, after and limit ignored). */
int cbc_store__ledger_count(int64_t *out, cbc_store *st, const cbc_hazard_filter *f);
int cbc_store__cursor_hazard(cbc_store_cursor *c, cbc_hazard *borrowed);
/* The path range of a unit's subtree (for filters). */
int cbc_store__unit_range(cbc_store *st, int64_t unit_id, char *lo, char *hi, size_t size);
int cbc_store__hazard_attachments(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id);
int cbc_store__cursor_attachment(cbc_store_cursor *c, cbc_hazard_attachment *borrowed);

/* ---- activities (store/activity_store.c) ---- */
/* Insert a session and its attendees (checked by the caller); @p tenant is
 * the session's unit's (cbc__tenant_of), as for the other records below. */
int cbc_store__training_insert(cbc_store *st, const cbc_training_record *r, int64_t tenant,
                               int64_t now, int64_t *out_id);
/* Fill @p t with owned copies (freed with cbc_training_free's parts even on
 * error). */
int cbc_store__training_get(cbc_store *st, int64_t id, cbc_training *t);
int cbc_store__drill_insert(cbc_store *st, const cbc_drill_record *r, int64_t enterprise_id,
                            int64_t now, int64_t *out_id);
/* Fill @p d with owned copies (as cbc_store__training_get). */
int cbc_store__drill_get(cbc_store *st, int64_t id, cbc_drill *d);
/* Whether the cadre already has an assignment to the unit overlapping
 * [from, to) (to 0: open-ended). */
int cbc_store__assignment_overlaps(cbc_store *st, int64_t cadre_id, int64_t unit_id,
                                   int64_t from, int64_t to, bool *out);
int cbc_store__assignment_insert(cbc_store *st, int64_t cadre_id, int64_t unit_id,
                                 int64_t from, int64_t to, int64_t now, int64_t *out_id);
int cbc_store__assignment_end(cbc_store *st, int64_t id, int64_t at);
int cbc_store__visit_insert(cbc_store *st, const cbc_visit_record *r, int64_t tenant,
                            int64_t now, int64_t *out_id);
int cbc_store__proposal_insert(cbc_store *st, const cbc_proposal_record *r, int64_t unit_id,
                               int64_t tenant, int64_t now, int64_t *out_id);
/* A borrowed proposal (strings valid until the next call or
 * cbc_store__done()). */
int cbc_store__proposal_get(cbc_store *st, int64_t id, cbc_proposal *borrowed);
int cbc_store__proposal_decide(cbc_store *st, int64_t id, cbc_proposal_status status,
                               int64_t by, int64_t at, const char *note);
/* Borrowed rows of a visit and an assignment (as cbc_store__proposal_get);
 * lib/store/activity_list_store.c. */
int cbc_store__visit_get(cbc_store *st, int64_t id, cbc_visit *borrowed);
int cbc_store__assignment_get(cbc_store *st, int64_t id, cbc_cadre_assignment *borrowed);
/* The records of @p kind of units in the path range [lo, hi) (NULL: every
 * unit) in the period [from, to) (0: open), voided ones only when
 * @p with_voided, by time then id; rows read with
 * cbc_store__cursor_activity into the kind's struct (borrowed; attendees
 * and teams left empty). */
int cbc_store__activity_query(cbc_store_cursor **out, cbc_store *st, cbc_activity_kind kind,
                              const char *lo, const char *hi, int64_t from, int64_t to,
                              bool with_voided);
int cbc_store__cursor_activity(cbc_store_cursor *c, cbc_activity_kind kind, void *row);
/* Mark record @p id voided at @p at by @p by for @p reason (checked by the
 * caller) and move a session's attendance or a drill's teams aside. */
int cbc_store__activity_void(cbc_store *st, cbc_activity_kind kind, int64_t id, int64_t at,
                             int64_t by, const char *reason);
/* Whether the employee took part in [from, to) (docs/activities.md). */
int cbc_store__took_part(cbc_store *st, int64_t employee_id, int64_t from, int64_t to,
                         bool *out);
/* Active employees of the subtree [lo, hi) without a passed training in
 * [from, to); *out freed with cbc__free. */
int cbc_store__untrained(cbc_store *st, const char *lo, const char *hi, int64_t from,
                         int64_t to, int64_t **out, size_t *count);
/* What the induction and re-training rules look at, per active employee of
 * the subtree, as of @p at (times 0 when none). */
typedef struct cbc_store_training_facts {
  int64_t employee_id, hire_date;
  unsigned int induction_passed; /* (1 << kind) bits of induction levels passed since hire */
  int64_t transfer_at, return_at, left_before_return_at, retrained_at;
} cbc_store_training_facts;
int cbc_store__training_facts(cbc_store *st, const char *lo, const char *hi, int64_t at,
                              cbc_store_training_facts **out, size_t *count);
/* Drill-rule shortfalls (see cbc_compliance_drills); @p above is an extra
 * enterprise to consider (0 for none). */
int cbc_store__drill_gaps(cbc_store *st, const char *lo, const char *hi, int64_t above,
                          int64_t from, int64_t to, cbc_drill_gap **out, size_t *count);

/* ---- statistics (store/stats_store.c) ---- */
/* The counters of a stat_months row, in column order. */
typedef enum cbc_store_stat {
  CBC_STAT_ACTIVITY, CBC_STAT_TOOK_PART_M, CBC_STAT_TOOK_PART_Q, CBC_STAT_TOOK_PART_Y,
  CBC_STAT_SESSIONS, CBC_STAT_TRAINED_M, CBC_STAT_TRAINED_Q, CBC_STAT_TRAINED_Y,
  CBC_STAT_LEADER_CLASSES, CBC_STAT_LEADERS_M, CBC_STAT_LEADERS_Q, CBC_STAT_LEADERS_Y,
  CBC_STAT_VISITS, CBC_STAT_FOUND, CBC_STAT_LISTED, CBC_STAT_RECTIFIED,
  CBC_STAT__COUNT,
  /* a region's roll-up rows add the enterprises that ran the campaign:
   * active in the month, first active in its quarter, first in its year */
  CBC_ROLLUP_RAN_M = CBC_STAT__COUNT, CBC_ROLLUP_RAN_Q, CBC_ROLLUP_RAN_Y,
  CBC_ROLLUP__COUNT
} cbc_store_stat;
/* Add @p delta to the row of (attribution unit, month = year * 100 + m).
 * For an enterprise (@p enterprise) whose month becomes active or inactive,
 * add to @p ran (per month of the year: ran_m, ran_q, ran_y) what that
 * changes in its regions' ran columns (store/stat_rows_store.c). */
int cbc_store__stat_add(cbc_store *st, int64_t unit_id, bool enterprise, int month,
                        const int64_t delta[CBC_STAT__COUNT], int64_t ran[12][3]);
/* Add @p delta to region @p region_id's roll-up row of @p month. */
int cbc_store__rollup_add(cbc_store *st, int64_t region_id, int month,
                          const int64_t delta[CBC_ROLLUP__COUNT]);
/* Unit @p unit_id moves away from (@p sign -1, before the move) or under
 * (+1, after it) @p parent_id (0: none): its rows (a region's roll-ups, an
 * enterprise's months) are taken from or given to the roll-ups of every
 * region at or above @p parent_id.  Other units' moves change no row. */
int cbc_store__stat_move(cbc_store *st, int64_t unit_id, int64_t parent_id, int sign);
/* An employee's participation months of a year in one attribution unit:
 * took part, trained, trained as a leader (bit m - 1 for month m); zeros
 * when none. */
int cbc_store__participation_get(cbc_store *st, int64_t employee_id, int year, int64_t unit_id,
                                 unsigned int masks[3]);
/* Write them: an UPDATE of the row when @p exists (it does when any of the
 * masks read was non-zero), else an INSERT. */
int cbc_store__participation_put(cbc_store *st, int64_t employee_id, int year, int64_t unit_id,
                                 const unsigned int masks[3], bool exists);
/* One participation row: the months of a year in one attribution unit. */
typedef struct cbc_store_participation {
  int year;
  int64_t unit_id;
  unsigned int masks[3];
} cbc_store_participation;
/* The employee's rows of @p year and later; *out freed with cbc__free. */
int cbc_store__participation_since(cbc_store *st, int64_t employee_id, int year,
                                   cbc_store_participation **out, size_t *n);
/* Delete them (the handle's participation cache moves on). */
int cbc_store__participation_forget(cbc_store *st, int64_t employee_id, int year);
/* What the employee took part in during [from, to), by time: rows of
 * (time, training kind or 0, the unit they were in then — a drill's team),
 * read with cbc_store__cursor_ints. */
int cbc_store__participations_of(cbc_store_cursor **out, cbc_store *st, int64_t employee_id,
                                 int64_t from, int64_t to);
/* Sums over months [first, last] of one enterprise's rows, or of a
 * region's roll-ups (@p region); *units_ran counts the enterprises that ran
 * the campaign in the period, which is a month, quarter or year as
 * @p granularity is 0, 1 or 2. */
int cbc_store__stat_sum(cbc_store *st, int64_t unit_id, bool region, int first, int last,
                        int granularity, int64_t sums[CBC_STAT__COUNT], int64_t *units_ran);
/* Units of [lo, hi) with a cadre assigned at some time in [from, to). */
int cbc_store__units_assigned(cbc_store *st, const char *lo, const char *hi, int64_t from,
                              int64_t to, int64_t *out);
/* Every figure of the form but units_assigned, from the records. */
int cbc_store__form_records(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_stats_form *f);
/* The same figures, equal by construction, read unit by unit: each unit's
 * records through its (unit, time) indexes, and the people who were ever in
 * the subtree's units through their own (person, time) indexes.  Its cost
 * grows with the subtree, not with the period's records in the whole
 * database (cbc_store__form_records): the plan for small subtrees. */
int cbc_store__form_records_by_unit(cbc_store *st, const char *lo, const char *hi,
                                    int64_t from, int64_t to, cbc_stats_form *f);
/* The units in [lo, hi) and in the whole tree. */
int cbc_store__subtree_share(cbc_store *st, const char *lo, const char *hi, int64_t *units,
                             int64_t *all);
/* The breakdown's counts (not its rates) for [lo, hi) and [from, to), and
 * the days-to-close durations (seconds, ascending; freed with cbc__free). */
int cbc_store__breakdown(cbc_store *st, const char *lo, const char *hi, int64_t from,
                         int64_t to, cbc_stats_breakdown *b, int64_t **durations, size_t *n);
int cbc_store__setting_get(cbc_store *st, const char *key, int64_t *value, bool *found);
int cbc_store__setting_put(cbc_store *st, const char *key, int64_t value);
/* The row of cursor @p c as @p n integers. */
int cbc_store__cursor_ints(cbc_store_cursor *c, int64_t *values, int n);
/* Rebuilding the aggregates in steps (lib/store/stats_rebuild_store.c):
 * delete up to @p limit of their rows (*deleted fewer: they are empty); the
 * first attribution unit (region node or enterprise) after id @p after (*id
 * 0 when none); how many there are, and how many up to id @p through; whether
 * the database holds any record or aggregate. */
int cbc_store__stats_clear_some(cbc_store *st, int64_t limit, int64_t *deleted);
int cbc_store__attribution_unit_after(cbc_store *st, int64_t after, int64_t *id, int *kind);
int cbc_store__attribution_units_count(cbc_store *st, int64_t through, int64_t *done,
                                       int64_t *total);
int cbc_store__stats_has_records(cbc_store *st, bool *out);
int cbc_store__setting_delete(cbc_store *st, const char *key);
/* The records that count for one attribution unit (an enterprise's subtree,
 * or a region node alone), read with cbc_store__cursor_ints: HAZARDS
 * (enterprise, reported_at, state, closed_at), LISTINGS (enterprise, at),
 * TRAININGS (unit, held_at, kind), DRILLS (unit, held_at), VISITS (unit,
 * visited_at), PROPOSALS (unit, submitted_at), and PEOPLE (employee, time,
 * training kind or 0, unit): what everyone ever in one of its units took part
 * in, as cbc_store__participations_of gives it. */
typedef enum cbc_store_unit_replay {
  CBC_UNIT_REPLAY_HAZARDS, CBC_UNIT_REPLAY_LISTINGS, CBC_UNIT_REPLAY_TRAININGS,
  CBC_UNIT_REPLAY_DRILLS, CBC_UNIT_REPLAY_VISITS, CBC_UNIT_REPLAY_PROPOSALS,
  CBC_UNIT_REPLAY_PEOPLE
} cbc_store_unit_replay;
int cbc_store__unit_replay(cbc_store_cursor **out, cbc_store *st, cbc_store_unit_replay which,
                           int64_t unit_id, bool enterprise);
/* Ids of a team's members at @p at by their history (lib/store/membership.h),
 * in a new array (*ids, *n) the caller frees with cbc__free (NULL when none). */
int cbc_store__team_members_at(cbc_store *st, int64_t team_id, int64_t at, int64_t **ids,
                               size_t *n);

/* ---- request keys (store/request_store.c, lib/request.c) ---- */
#define CBC_STORE_REQUEST_HASH 32
/* The request of @p kind whose key hashes to @p key_hash: *found, and then
 * the digest of its arguments, its result id and its result text (owned,
 * freed with cbc__free; NULL when none was kept). */
int cbc_store__request_get(cbc_store *st, int kind, const unsigned char *key_hash,
                           bool *found, unsigned char *digest, int64_t *result_id,
                           char **result);
int cbc_store__request_put(cbc_store *st, int kind, const unsigned char *key_hash,
                           const unsigned char *digest, int64_t result_id, const char *result,
                           int64_t at);

/* ---- rewards (store/reward_store.c) ---- */
/* Policy version @p version (0: the newest); *found false when absent. */
int cbc_store__policy_get(cbc_store *st, int64_t version, char **out, int64_t *out_version,
                          bool *found);
/* The newest stored version, 0 when none. */
int cbc_store__policy_newest(cbc_store *st, int64_t *out);
int cbc_store__policy_put(cbc_store *st, int64_t version, const char *document, int64_t by,
                          int64_t at);
/* A report that may earn a hazard's discovery reward: the hazard itself
 * and the reports rejected as its duplicates before its first closing
 * verification (all of them while it was never closed), by report time. */
typedef struct cbc_store_candidate {
  int64_t hazard_id, reporter_id; /* reporter 0: anonymous */
  int source;
  int64_t unit_id;
} cbc_store_candidate;
int cbc_store__discovery_candidates(cbc_store *st, int64_t hazard_id, cbc_store_candidate **out,
                                    size_t *n);
/* The responsible person fixed when the hazard was registered (0: never). */
int cbc_store__registered_responsible(cbc_store *st, int64_t hazard_id, int64_t *out);
int cbc_store__award_get(cbc_store *st, int64_t id, cbc_award **out);
/* The award of (rule, subject, cause), or of @p hazard_id when not 0; 0 when none. */
int cbc_store__award_find(cbc_store *st, cbc_reward_rule rule, cbc_subject_kind kind,
                          int64_t subject_id, const char *cause, int64_t hazard_id,
                          int64_t *out_id);
/* The policy version of hazard @p hazard_id's discovery award; 0 when it has none. */
int cbc_store__award_policy_of_hazard(cbc_store *st, int64_t hazard_id, int64_t *version);
/* A proposed award (state and actors are not read from @p a). */
int cbc_store__award_insert(cbc_store *st, const cbc_award *a, int64_t unit_id, int64_t tenant,
                            int64_t *out_id);
/* Write an award's state, actors, notes and review flag. */
int cbc_store__award_save(cbc_store *st, const cbc_award *a);
/* Flag the award of a reopened hazard for review (unless declined). */
int cbc_store__award_flag_hazard(cbc_store *st, int64_t hazard_id, int64_t at);
/* Awards proposed in [from, to) by id: of a state (0: all), a subject (kind 0:
 * all) and the subtree [lo, hi) where they count (lo NULL: every unit). */
int cbc_store__award_list(cbc_store *st, const char *lo, const char *hi, int64_t from, int64_t to,
                          int state, int kind, int64_t subject_id, cbc_awards **out);
int cbc_store__award_totals(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, int64_t counts[5], int64_t *awarded, int64_t *paid);
int cbc_store__fine_insert(cbc_store *st, const cbc_fine_record *r, int64_t unit_id,
                           int64_t tenant, int64_t by, int64_t at, int64_t *out_id);
/* The fines of a subtree's units (lo NULL: every unit) issued in [from, to),
 * by id; strings owned. */
int cbc_store__fines_in(cbc_store *st, const char *lo, const char *hi, int64_t from, int64_t to,
                        cbc_fine **out, size_t *n);
/* The hazards the hazard table (include/cbc/stats.h) counts for the subtree
 * [lo, hi) and the period [from, to), grouped by their enterprise's
 * industry and then by enterprise (in no particular order of industries):
 * those reported in the period, and the registered major ones with a plan
 * reported before it and not closed before it.  @p each gets every one;
 * its non-zero return stops the scan and is returned. */
typedef struct cbc_store_table_hazard {
  const char *industry; /* borrowed until the next row */
  int64_t enterprise_id, reported_at, closed_at, funds_fen;
  int state, severity; /* the registered severity, else the proposed one */
  int has_plan;
  int plan_items[6]; /* goals, methods, funds and materials, responsible bodies, time
                        limit, safety measures: 1 when filled in */
} cbc_store_table_hazard;
typedef int (*cbc_store_table_fn)(const cbc_store_table_hazard *h, void *payload);
int cbc_store__hazard_table(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_store_table_fn each, void *payload);
/* Filings (lib/filing.c).  A unit's report for a period: */
typedef struct cbc_store_filing_key {
  int64_t unit_id;
  int kind, period_kind, year, number; /* the period: zeros for the major-hazard report */
  int64_t hazard_id;                   /* the major-hazard report's hazard; else 0 */
} cbc_store_filing_key;
/* Inside a write call on PostgreSQL: the unit's filing lock, so that two
 * filings of one unit number their versions one after the other.  0 at
 * once on SQLite. */
int cbc_store__filing_lock(cbc_store *st, int64_t unit_id);
/* How many versions of @p k are filed (0: none), and when the first was
 * (0: none; versions are numbered in the order they were filed). */
int cbc_store__filing_versions(cbc_store *st, const cbc_store_filing_key *k, int *versions,
                               int64_t *first_at);
/* Store @p f (its id ignored) under @p tenant. */
int cbc_store__filing_insert(cbc_store *st, const cbc_filing *f, int64_t tenant,
                             int64_t *out_id);
/* A filing into @p out (texts owned; on an error some may be set, for
 * cbc_filing_free's fields), by id or by key and version (0: the newest). */
int cbc_store__filing_by_id(cbc_store *st, int64_t id, cbc_filing *out, bool *found);
int cbc_store__filing_version(cbc_store *st, const cbc_store_filing_key *k, int version,
                              cbc_filing *out, bool *found);
/* The open units that owe a node a report, by id: its children that are
 * enterprises or region nodes (@p children), or else the enterprises of
 * the subtree [lo, hi).  *out freed with cbc__free. */
int cbc_store__filers(cbc_store *st, int64_t unit_id, bool children, const char *lo,
                      const char *hi, int64_t **out, size_t *n);
/* What the units of the subtree [lo, hi) filed of @p k's kind and period
 * (its unit_id ignored), by unit id; *out freed with cbc__free. */
typedef struct cbc_store_filed {
  int64_t unit_id;
  int versions;
  int64_t first_at, last_at;
} cbc_store_filed;
int cbc_store__filed_in(cbc_store *st, const char *lo, const char *hi,
                        const cbc_store_filing_key *k, cbc_store_filed **out, size_t *n);
/* The registered major hazards of the subtree [lo, hi) open at some time
 * in [from, to) (reported before its end, not rejected, not closed before
 * its start), by id; *out freed with cbc__free. */
int cbc_store__major_hazards_open(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                  int64_t to, int64_t **out, size_t *n);
/* Whether a subtree holds an eighth of all units or more: its hazards
 * of a period are then read by the period's time indexes, a smaller one's
 * by its units' indexes (schema 16: the period's entries only). */
int cbc_store__subtree_is_large(cbc_store *st, const char *lo, const char *hi, bool *out);
/* The hazards of a path range's units reported in [from, to), of every
 * state: the size of an evaluation's chunk (one count over
 * hazards_unit). */
int cbc_store__hazards_in_range(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                int64_t to, int64_t *out);
/* Hazards of a subtree closed (and still closed) in [from, to), by id;
 * @p large: the subtree is (cbc_store__subtree_is_large). */
int cbc_store__hazards_closed_in(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                 int64_t to, bool large, int64_t **ids, size_t *n);
/* Proposals about a subtree adopted in [from, to): (id, proposer, unit). */
int cbc_store__proposals_adopted_in(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                    int64_t to, int64_t (**rows)[3], size_t *n);
/* The figures a collective rule decides on, for a subtree and [from, to). */
typedef struct cbc_store_metrics {
  int64_t members, trained;      /* on the payroll at the end; of them trained in the period */
  int64_t teams, teams_drilled;  /* open teams; of them in >= min_drills drills */
  int64_t drills;                /* drills held by units of the subtree */
  int64_t closed, closed_on_time, overdue_major, reported, disposed;
} cbc_store_metrics;
/* Every unit of a subtree in path order with the figures of its own
 * records for [from, to), not its descendants' (teams and teams_drilled
 * are left 0): a unit's subtree is units [i, end), so the collective rules
 * sum them.  One pass over each kind of record, whatever the number of
 * units; *out freed with cbc__free. */
typedef struct cbc_store_unit_figures {
  int64_t id;
  int kind;
  bool open;           /* existed and was open at the period's end */
  size_t end;          /* the index after the last unit of its subtree */
  int64_t team_drills; /* a team's drills in the period */
  cbc_store_metrics own;
} cbc_store_unit_figures;
int cbc_store__unit_figures(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_store_unit_figures **out, size_t *n);

/* ---- sign-in accounts (store/account_store.c, lib/account.c) ---- */
/* Room for a password hash in libsodium's string form and its NUL
 * (crypto_pwhash_STRBYTES). */
#define CBC_STORE_ACCOUNT_HASH 128
/* An employee and their account.  No row in accounts: has_password false,
 * hash "", counts and times 0. */
typedef struct cbc_store_account {
  int64_t employee_id;
  bool active;       /* the employee has not left */
  bool has_password;
  char hash[CBC_STORE_ACCOUNT_HASH];
  int64_t failures, locked_until, changed_at;
} cbc_store_account;
/* The account of employee @p employee_id, or when @p external_id is not
 * NULL of the employee with that external id; *found false when there is no
 * such employee (the thread's error is left alone). */
int cbc_store__account_get(cbc_store *st, int64_t employee_id, const char *external_id,
                           cbc_store_account *out, bool *found);
/* Set the hash (changed @p at) with no failures and no lock. */
int cbc_store__account_put(cbc_store *st, int64_t employee_id, const char *hash, int64_t at);
int cbc_store__account_delete(cbc_store *st, int64_t employee_id);
/* Count one more failure: from the @p max_failures-th in a row on, the
 * account is locked until @p until.  One UPDATE of the stored count, so
 * concurrent failures are all counted. */
int cbc_store__account_failed(cbc_store *st, int64_t employee_id, int64_t max_failures,
                              int64_t until);
/* A sign-in: failures and lock reset, and the hash replaced by @p new_hash
 * unless it is NULL. */
int cbc_store__account_succeeded(cbc_store *st, int64_t employee_id, const char *new_hash);

/* The integrity check (lib/check.c), reading only.  Each line of SQLite's
 * integrity check that is not "ok" goes to @p each; its non-zero return
 * stops the check and is returned. */
typedef int (*cbc_store_problem_fn)(const char *problem, void *payload);
int cbc_store__integrity_check(cbc_store *st, cbc_store_problem_fn each, void *payload);

/* The first hazard reported before the one before it, in @p hazard_id,
 * when the setting hazard_ids_in_report_order says there is none (the
 * ledger would then miss rows of a period); 0 when the setting holds or
 * is off. */
int cbc_store__report_order_broken(cbc_store *st, int64_t *hazard_id);
/* Rows whose tenant key (docs/scale-out.md) is wrong, a table at a time:
 * @p each gets the table, the parent whose tenant its rows must carry
 * ("hazard", "training", "drill"; NULL for a record whose tenant must be
 * an enterprise or a region node) and how many rows break that; its
 * non-zero return stops the check and is returned. */
typedef int (*cbc_store_tenant_fn)(const char *table, const char *parent, int64_t rows,
                                   void *payload);
int cbc_store__tenant_mismatches(cbc_store *st, cbc_store_tenant_fn each, void *payload);
/* The earliest and latest times of the records the form counts (0 when
 * none), and the first and last months (year * 100 + month) of the
 * aggregates (0 when none). */
int cbc_store__stats_span(cbc_store *st, int64_t times[2], int64_t months[2]);
/* The first enterprise and year (in @p unit_id, @p year) whose active
 * months in stat_active differ from those stat_months holds; 0 and 0 when
 * every year agrees. */
int cbc_store__active_months_broken(cbc_store *st, int64_t *unit_id, int *year);

#endif
