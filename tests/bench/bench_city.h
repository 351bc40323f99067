/* The benchmark city (tests/bench/bench_city.c), shared by stats_bench and
 * ledger_bench: D districts and E enterprises, each enterprise with 2
 * workshops and 10 teams, N employees spread over the teams; per district a
 * union cadre and a bureau inspector.  Everything is recorded through the
 * public API; the ids are kept by index so the generators can address any
 * unit or person without a lookup.  Also the clock, the random numbers and
 * the hazard moves both generators use. */
#ifndef CBC_BENCH_CITY_H
#define CBC_BENCH_CITY_H

#include <cbc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CITY_TEAMS 10

typedef struct city_config {
  size_t enterprises, districts, employees, hazards;
  int months;
} city_config;

/* Ids of the generated world, by index. */
typedef struct city {
  city_config c;
  size_t per_team;                              /* employees per team */
  int64_t root, *district, *enterprise, *team;  /* team: enterprise * CITY_TEAMS + t */
  int64_t *employee; /* by index (e * CITY_TEAMS + t) * per_team + pos */
  int64_t *cadre, *inspector;                   /* by district */
} city;

/* The options both benchmarks take (--enterprises, --districts,
 * --employees, --hazards, --months, --runs, --dir): when argv[*i] is one,
 * its value is stored, *i moved past it, and true returned. */
bool city_option(int argc, char **argv, int *i, city_config *c, int *runs, const char **dir);

/* The name errors are reported under ("stats_bench: ..."). */
extern const char *city_program;

/* The time every call of the library sees (the handle's clock). */
extern int64_t city_now;
int64_t city_clock(void *unused);

/* Wall-clock seconds. */
double city_wall_s(void);

/* Exit with the library's message when @p rc is an error. */
void city_ok(int rc, const char *what);
void *city_calloc(size_t n, size_t size);

/* Local midnight (UTC+8) of the first day of month @p m counted from 2024-01. */
int64_t city_month_start(int m);

/* The generators' random numbers (xorshift), and their seed again. */
uint64_t city_random(void);
void city_random_reset(void);

/* Size @p w for @p c (at least 3 employees per team; w->c.employees is
 * rounded to whole teams) and allocate its id arrays. */
void city_init(city *w, const city_config *c);
void city_free(city *w);

/* Record the organisation into @p db with one cbc_org_sync() and fill
 * every id of @p w. */
void city_build(cbc_db *db, city *w);

/* Fill the unit ids of @p w from a database city_build() made (root,
 * districts, enterprises, teams); people are left to the caller. */
void city_find_units(cbc_db *db, city *w);
int64_t city_unit_id(cbc_db *db, const char *external_id);
int64_t city_employee_id(cbc_db *db, const char *external_id);

/* Employee @p pos of team @p team of enterprise @p e. */
int64_t city_person(const city *w, size_t e, int team, size_t pos);

/* Hazard moves: register a general hazard for the team's leader with the
 * given deadline and start it; close one (register with a deadline 30 days
 * out, start, submit, verify by the enterprise's principal); register a
 * major one with its plan and list it under the district's inspector. */
void city_register_general(cbc_db *db, const city *w, int64_t id, size_t e, int team,
                           int64_t deadline);
void city_close_hazard(cbc_db *db, const city *w, int64_t id, size_t e, int team);
void city_list_major(cbc_db *db, const city *w, int64_t id, size_t e);

/* Remove a database file and its WAL and shared-memory files. */
void city_remove_db(const char *path);

/* Copy the closed database file @p from to @p to (replacing it and its WAL):
 * a generated org is synced once and each run starts from a copy. */
void city_copy_db(const char *from, const char *to);

/* Open @p path with the city's clock (set to the first month),
 * synchronous=NORMAL and @p flags (cbc_db_options.flags); @p fresh: remove
 * the file first. */
cbc_db *city_open(const char *path, unsigned int flags, bool fresh);

#endif
