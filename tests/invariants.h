/* Invariants every test regime checks after it has done its worst (crash
 * loops, I/O faults, concurrent writers, random histories, fuzzed call
 * sequences): the file is sound, every history replays to its row, and the
 * statistics' aggregates equal the records and a rebuild. */
#ifndef CBC_TEST_INVARIANTS_H
#define CBC_TEST_INVARIANTS_H

#include "helpers.h"

/* PRAGMA integrity_check of the file at @p path is "ok" (a separate,
 * raw SQLite connection, which rolls back a hot journal first: for files
 * the library has not opened yet; an open database is checked by
 * cbc_db_check()). */
void cbc_test_assert_integrity(const char *path);

/* Every hazard's history folds to its stored row: cbc_db_check() with
 * CBC_CHECK_HISTORIES finds nothing.  Returns the number of hazards. */
size_t cbc_test_assert_all_replay(cbc_db *db);

/* cbc_db_check() with CBC_CHECK_STATS finds nothing: for every unit, and
 * every month, quarter and year that holds records or aggregates (which
 * covers [@p first_year, @p last_year] wherever anything happened), the
 * form from the aggregates equals the form from the records; people
 * trained <= people who took part (and leaders trained <= people trained);
 * a quarter's and a year's distinct counts are at least each of their
 * months'.  Returns the number of (unit, period) pairs compared. */
size_t cbc_test_assert_stats_agree(cbc_db *db, int first_year, int last_year);

/* cbc_test_assert_stats_agree, then cbc_stats_rebuild(): every form is
 * unchanged by the rebuild, and they agree again. */
void cbc_test_assert_stats_rebuild(cbc_db *db, int first_year, int last_year);

/* All of the above for the database file at @p path, opened with @p now as
 * its clock. */
void cbc_test_assert_consistent(const char *path, int64_t *now, int first_year, int last_year);

/* For @p unit and period @p p (a range too): the form as the library
 * answers it (the aggregates, or the records by unit or by time) equals the
 * records by time (CBC_STATS_FROM_RECORDS, the definition) and the records
 * read by unit (lib/store/stats_store.c, forced even for the regions the
 * library reads by time). */
void cbc_test_assert_form_plans_agree(cbc_db *db, int64_t unit, cbc_period p);

/* That, for every unit, for @p n ranges drawn from @p seed within
 * [@p from, @p to): whole local days (UTC+8) and arbitrary seconds, and
 * ranges that are exactly a calendar month, quarter or year.  Returns the
 * (unit, range) pairs compared. */
size_t cbc_test_assert_ranges_agree(cbc_db *db, int64_t from, int64_t to, int n, uint64_t seed);

#endif
