/* Shared test helpers: assertions that print cbc_error_last(), a settable
 * clock, a fault-injecting allocator, and small fixtures. */
#ifndef CBC_TEST_HELPERS_H
#define CBC_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "cbc.h"

/* Fail with cbc_error_last() unless expr returns 0. */
#define assert_cbc_ok(expr) cbc_test_check_ok((expr), #expr, __FILE__, __LINE__)
/* Assert that expr returns code and that the message contains needle (may be NULL). */
#define assert_cbc_error(expr, code, needle) \
  cbc_test_check_error((expr), (code), (needle), #expr, __FILE__, __LINE__)

void cbc_test_check_ok(int rc, const char *expr, const char *file, int line);
void cbc_test_check_error(int rc, int code, const char *needle, const char *expr,
                          const char *file, int line);

/* A settable clock: opts.clock = cbc_test_clock, opts.clock_payload = &t. */
int64_t cbc_test_clock(void *payload);

/* Open a fresh database whose clock reads *now: :memory:, or on
 * PostgreSQL (cbc_test_on_postgres) a new database on the server. */
cbc_db *cbc_test_db(int64_t *now);
/* Whether the suites run on PostgreSQL (CBC_TEST_ENGINE=postgresql, under
 * scripts/with-postgres): cbc_test_db() then gives each test a fresh
 * schema in a database of the process's own, dropped when it exits. */
bool cbc_test_on_postgres(void);
/* Skip a test of what only SQLite has (its query plans, its own
 * allocations routed through the library's) when the suites run on
 * PostgreSQL. */
#define CBC_TEST_SQLITE_ONLY()                                                           \
  do {                                                                                   \
    if (cbc_test_on_postgres())                                                          \
      skip();                                                                            \
  } while (0)
/* A fresh, empty database several handles (or processes) can open: the
 * file @p name under cbc_test_path(), removed first; on PostgreSQL a new
 * schema as cbc_test_db() gives.  The text is valid until the next call. */
const char *cbc_test_target(const char *name);
/* The first column of @p sql's first row (0 without rows) on @p db's own
 * connection, in SQL both engines accept; a failure fails the test. */
int64_t cbc_test_sql_int(cbc_db *db, const char *sql);
/* Run @p sql (no results) on @p db's own connection; a failure fails the test. */
void cbc_test_sql_exec(cbc_db *db, const char *sql);
/* The rows in every table of @p db's database (what "writes nothing"
 * compares), on either engine. */
int64_t cbc_test_all_rows(cbc_db *db);
/* Open (creating) a database file with the test clock. */
cbc_db *cbc_test_db_file(const char *path, int64_t *now);
/* A fresh path under a per-process temp dir (removed with its -wal/-shm by
 * cbc_test_unlink). Returns a static buffer. */
const char *cbc_test_path(const char *name);
void cbc_test_unlink(const char *path);

/* Seconds since the epoch of a calendar date at 00:00 in UTC+8. */
int64_t cbc_test_date(int year, int month, int day);

/* Fault injection: after cbc_test_fail_after(n), the n-th allocation from
 * now on (counting both libcbc's and, when routed, SQLite's) fails, and all
 * later ones succeed.  n = 0 disables.  cbc_test_alloc_install(route_sqlite)
 * installs the counting allocator. */
void cbc_test_alloc_install(int route_sqlite);
void cbc_test_alloc_uninstall(void);
void cbc_test_fail_after(long n);
long cbc_test_alloc_count(void);   /* allocations seen since install */
int cbc_test_alloc_failed(void);   /* whether the injected failure happened */
/* The step between failure points a sweep tries: 1, or CBC_TEST_FAULT_STRIDE
 * from the environment (test-all sets it under valgrind). */
long cbc_test_fault_stride(void);
/* The step for a sweep over @p total allocations whose every point costs
 * a whole scenario (the sweep is quadratic): about 4,000 points spread
 * evenly over them, under CBC_TEST_FAULT_STRIDE = k (valgrind) about
 * 800 / k, and every one with CBC_TEST_LONG=1. */
long cbc_test_sweep_stride(long total);
/* The step for a sweep over @p total allocations whose every point costs a
 * scenario: about @p points failure points spread evenly over them, under
 * CBC_TEST_FAULT_STRIDE = k (valgrind) k times fewer, and every one with
 * CBC_TEST_LONG=1. */
long cbc_test_spread_stride(long total, long points);
/* Copy the file @p from to @p to (replaced), failing the test on any
 * error. */
void cbc_test_copy_file(const char *from, const char *to);
/* Whether a suite runs light: not under CBC_TEST_LONG, and CBC_TEST_LIGHT
 * says so (1 or 0), or, when it is unset, under valgrind
 * (CBC_TEST_FAULT_STRIDE > 1).  Light suites run shorter histories and
 * fewer rounds: the normal and sanitizer builds run the full sizes (the
 * sanitizer stage sets a stride of 2 and CBC_TEST_LIGHT=0), valgrind
 * checks the memory of the same paths. */
int cbc_test_light(void);

/* A small org tree used by several suites:
 *   R1 region "Jinan district"
 *     E1 enterprise "Steelworks" (high risk)
 *       W1 workshop "Rolling mill"
 *         T1 team "Shift A": L1 team leader, A1 worker, A2 worker
 *         T2 team "Shift B": L2 team leader, B1 worker
 *       W2 workshop "Safety department"
 *         T3 team "Office": D1 workshop director (of W2), P1 principal,
 *                           S1 safety officer
 *     I1 (in R1) bureau inspector, C1 (in R1) union cadre
 * Returns the database's external ids; look ids up with the helpers below. */
void cbc_test_seed_org(cbc_db *db);
/* A second enterprise under region @p region_ext, for cross-enterprise
 * cases:
 *   E2 enterprise "Cement works"
 *     W9 workshop "Kiln"
 *       T9 team "Kiln shift": X1 worker, XL team leader, XS safety officer,
 *                             XP principal */
void cbc_test_seed_second_enterprise(cbc_db *db, const char *region_ext);
int64_t cbc_test_unit_id(cbc_db *db, const char *external_id);
int64_t cbc_test_employee_id(cbc_db *db, const char *external_id);
/* A hard safety hazard (equipment guarding, self-check) titled @p title in
 * unit @p unit_ext by employee @p reporter_ext with the proposed severity
 * @p sev, not yet reported (the title is borrowed). */
cbc_hazard_record cbc_test_record(cbc_db *db, const char *reporter_ext, const char *unit_ext,
                                  cbc_severity sev, const char *title);
/* A general hazard's registration at team level (measures, a contingency
 * plan, the deadline @p deadline; the texts are borrowed). */
cbc_hazard_registration cbc_test_team_registration(int64_t deadline);
/* Report cbc_test_record()'s hazard; asserts it succeeds and returns its
 * id. */
int64_t cbc_test_report(cbc_db *db, const char *reporter_ext, const char *unit_ext,
                        cbc_severity sev, const char *title);

/* Fold hazard @p id's stored history from nothing (the library's own fold)
 * and assert that every step reaches the event's to-state and the result
 * equals the stored row, field by field.  Returns the number of events. */
size_t cbc_test_assert_replay(cbc_db *db, int64_t id);

/* SQL undoing schema steps in a newer database, for tests that make an
 * older file out of a new one: 19 -> 20 (the history's chains), 17 -> 18 (the tenant key: its columns, the
 * overdue marks keyed by hazard alone), 16 -> 17 (region roll-ups, the
 * assignments' index with the period), 8 -> 9 (voided activities), 7 -> 8
 * (participation per attribution unit, history indexes) and 6 -> 7
 * (follow-up key hashes, request keys).  Undo the newest first; the steps
 * between 9 and 16 can run again over a file that has them. */
#define CBC_TEST_UNDO_TENANT(t) "ALTER TABLE " t " DROP COLUMN enterprise_id;"
/* 19 -> 20: the history's chains and the filings' checkpoints. */
#define CBC_TEST_UNDO_V19                                                    \
  "DROP TABLE history_chain; ALTER TABLE filings DROP COLUMN history_seq;"   \
  "ALTER TABLE filings DROP COLUMN history_hash;"                            \
  "DELETE FROM settings WHERE key = 'history_chained'; DROP TABLE penalties;"
#define CBC_TEST_UNDO_V18                                                    \
  CBC_TEST_UNDO_TENANT("hazard_events") CBC_TEST_UNDO_TENANT("hazard_attachments") \
  CBC_TEST_UNDO_TENANT("trainings") CBC_TEST_UNDO_TENANT("training_attendees") \
  CBC_TEST_UNDO_TENANT("voided_training_attendees")                         \
  CBC_TEST_UNDO_TENANT("drill_teams") CBC_TEST_UNDO_TENANT("voided_drill_teams") \
  CBC_TEST_UNDO_TENANT("visits") CBC_TEST_UNDO_TENANT("proposals")          \
  CBC_TEST_UNDO_TENANT("awards") CBC_TEST_UNDO_TENANT("fines")              \
  "CREATE TABLE overdue_17(hazard_id INTEGER PRIMARY KEY REFERENCES hazards(id)," \
  "  escalated_at INTEGER NOT NULL);"                                        \
  "INSERT INTO overdue_17 SELECT hazard_id, escalated_at FROM overdue_escalations;" \
  "DROP TABLE overdue_escalations;"                                          \
  "ALTER TABLE overdue_17 RENAME TO overdue_escalations;"
#define CBC_TEST_UNDO_V17                                                    \
  "DROP TABLE stat_rollups; DROP TABLE stat_active;"                         \
  "DROP INDEX cadre_assignments_unit;"                                       \
  "CREATE INDEX cadre_assignments_unit ON cadre_assignments(unit_id);"
#define CBC_TEST_UNDO_V9_COLUMNS(t)                                          \
  "ALTER TABLE " t " DROP COLUMN voided_at;"                                 \
  "ALTER TABLE " t " DROP COLUMN voided_by;"                                 \
  "ALTER TABLE " t " DROP COLUMN void_reason;"
#define CBC_TEST_UNDO_V9                                                     \
  "DROP INDEX trainings_held; DROP INDEX visits_held; DROP INDEX drills_unit;" \
  "DROP INDEX proposals_submitted; DROP TABLE voided_training_attendees;"    \
  "DROP TABLE voided_drill_teams;"                                           \
  CBC_TEST_UNDO_V9_COLUMNS("trainings") CBC_TEST_UNDO_V9_COLUMNS("drills")   \
  CBC_TEST_UNDO_V9_COLUMNS("visits") CBC_TEST_UNDO_V9_COLUMNS("proposals")   \
  CBC_TEST_UNDO_V9_COLUMNS("cadre_assignments")
#define CBC_TEST_UNDO_V8                                                     \
  "DROP INDEX employee_events_at; DROP INDEX employee_events_to;"            \
  "DROP INDEX employee_events_from; DROP INDEX drills_held;"                 \
  "CREATE INDEX employee_events_employee ON employee_events(employee_id);"   \
  "DROP TABLE participation; CREATE TABLE participation("                    \
  "  employee_id INTEGER NOT NULL, year INTEGER NOT NULL,"                   \
  "  took_part INTEGER NOT NULL DEFAULT 0, trained INTEGER NOT NULL DEFAULT 0," \
  "  leaders INTEGER NOT NULL DEFAULT 0,"                                    \
  "  PRIMARY KEY(employee_id, year)) WITHOUT ROWID;"
#define CBC_TEST_UNDO_V7                                                     \
  "DROP TABLE requests; DROP TABLE followup_misses;"                         \
  "DROP INDEX hazards_followup; ALTER TABLE hazards DROP COLUMN followup_hash;"

/* Write text to a file (overwriting). */
void cbc_test_write_file(const char *path, const char *text);

/* Units and employees (also closed and inactive ones) in the whole tree: a
 * refused import or sync must leave it unchanged. */
size_t cbc_test_org_size(cbc_db *db);

#endif
