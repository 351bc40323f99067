/* The hazard lifecycle workload (tests/bench/bench_lifecycle.c), shared by
 * hazard_bench (against raw SQLite) and pg_bench (against raw libpq): the
 * plan (each hazard's reporter drawn at random from the benchmark city, its
 * team's leader registering, starting and submitting it, the enterprise's
 * safety officer verifying it, the clock moving over the months), the
 * library's side of each move, the pipeline that runs the moves in
 * cbc_db_begin() groups and the durable calls, each run through a side
 * that is either the library or a program's raw implementation.  Also the
 * history event each move records, as the raw sides write it, and the
 * options and measuring helpers both programs use. */
#ifndef CBC_BENCH_LIFECYCLE_H
#define CBC_BENCH_LIFECYCLE_H

#include "bench_city.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STAGES 5 /* report, register, start, submit, verify */

/* The most runs a program takes (--runs). */
#define LIFECYCLE_MAX_RUNS 50

/* The workload: n hazards, moved in a pipeline of B (batch) steps a group. */
typedef struct plan {
  const city *w;
  size_t n, batch, steps;
  uint32_t *who;  /* reporter of hazard i: index into w->employee */
  int64_t *id;    /* hazard i's id (the same on both sides) */
  int64_t t0, span;
} plan;

/* A plan for up to @p hazards hazards over the months of @p w (its arrays
 * allocated, no hazard drawn yet: make_plan()), @p batch steps a group. */
void plan_init(plan *p, const city *w, size_t hazards, size_t batch);
void plan_free(plan *p);

/* Draw the reporters of @p n hazards (the same ones after every call: the
 * random numbers start again) and size the pipeline for them. */
void make_plan(plan *p, size_t n);

/* Hazard @p i's enterprise (by index) and team (by index in its
 * enterprise); its reporter, the team (the unit it is reported in), the
 * team's leader and the enterprise's safety officer (ids). */
size_t enterprise_of(const plan *p, size_t i);
int team_of(const plan *p, size_t i);
int64_t reporter_of(const plan *p, size_t i);
int64_t unit_of(const plan *p, size_t i);
int64_t leader_of(const plan *p, size_t i);
int64_t officer_of(const plan *p, size_t i);

/* The deadline a registration sets now: 30 days after city_now. */
int64_t register_deadline(void);

/* Set the clock (city_now) for step @p s of the pipeline. */
void step_clock(const plan *p, size_t s);

/* Open the library's handle on @p path (a file, or a server's URI) with
 * the city's clock and @p sync. */
cbc_db *lib_open(const char *path, cbc_db_sync sync);

/* The library's moves of hazard @p i: the report (its id into p->id[i]),
 * the registration (general, TEAM level, deadline 30 days out, by the
 * team's leader), and stage @p stage of the five (0 report, 1 register,
 * 2 start, 3 submit, 4 verify). */
void lib_report(cbc_db *db, const plan *p, size_t i);
void lib_register(cbc_db *db, const plan *p, size_t i);
void lib_stage(cbc_db *db, const plan *p, size_t i, int stage);

/* The history event the library records for stage @p stage of hazard
 * @p i at city_now, as the raw sides write it: the actor, the action, the
 * states from and to, the level and the data (JSON; the raw sides' own
 * spelling of the library's encoding, which check_same leaves out). */
typedef struct move_event {
  int64_t actor;
  int action, from, to, level;
  char data[320];
} move_event;
void move_event_of(move_event *ev, const plan *p, size_t i, int stage);

/* A program's raw implementation of the moves: stage @p stage of hazard
 * @p i (as lib_stage), and its transaction's begin and commit. */
typedef struct raw_moves {
  void (*stage)(void *raw, const plan *p, size_t i, int stage);
  void (*begin)(void *raw);
  void (*commit)(void *raw);
} raw_moves;

/* One side of a run: the library's handle, or a raw implementation. */
typedef struct side {
  cbc_db *lib;            /* the library; NULL: the raw side below */
  void *raw;              /* the raw implementation's state */
  const raw_moves *moves; /* and its moves */
} side;

/* The lifecycle on @p sd: every step of the pipeline (at step s hazard s
 * reported, s - B registered, s - 2B started, s - 3B submitted, s - 4B
 * verified), B steps a transaction.  Wall seconds; the CPU seconds of this
 * process into @p cpu. */
double lifecycle(side *sd, const plan *p, double *cpu);

/* The plan's reports, then their registrations, each its own transaction;
 * calls per second. */
double durable(side *sd, plan *p);

/* CPU seconds of this process (the machine may be shared: the wall clock
 * then also counts other jobs' turns). */
double cpu_s(void);

/* The median of the @p n values of @p v. */
double median(const double *v, size_t n);

/* Whether @p argv[*i] is an option of the lifecycle (--batch, --durable):
 * its value stored, *i moved past it, true returned. */
bool lifecycle_option(int argc, char **argv, int *i, size_t *batch, size_t *durable);

/* Whether the city, the runs and the lifecycle's options make a run: at
 * least one enterprise, district, hazard, run (at most LIFECYCLE_MAX_RUNS),
 * step a group and durable call; no more districts than enterprises nor
 * durable calls than hazards; 1 to 120 months; employees counted in 32
 * bits. */
bool lifecycle_config_ok(const city_config *c, int runs, size_t batch, size_t durable);

#endif
