/* The hazard lifecycle workload (bench_lifecycle.h).  Only the public API. */
#include "bench_lifecycle.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ the plan */

void plan_init(plan *p, const city *w, size_t hazards, size_t batch)
{
  *p = (plan){ w, 0, batch, 0, city_calloc(hazards, sizeof(uint32_t)),
               city_calloc(hazards, sizeof(int64_t)), city_month_start(0),
               city_month_start(w->c.months) - city_month_start(0) };
}

void plan_free(plan *p)
{
  free(p->who);
  free(p->id);
}

void make_plan(plan *p, size_t n)
{
  city_random_reset();
  for (size_t i = 0; i < n; i++)
    p->who[i] = (uint32_t)(city_random() % p->w->c.employees);
  p->n = n;
  p->steps = n + (STAGES - 1) * p->batch;
}

size_t enterprise_of(const plan *p, size_t i)
{
  return p->who[i] / (CITY_TEAMS * p->w->per_team);
}

int team_of(const plan *p, size_t i)
{
  return (int)(p->who[i] / p->w->per_team % CITY_TEAMS);
}

int64_t reporter_of(const plan *p, size_t i)
{
  return p->w->employee[p->who[i]];
}

int64_t unit_of(const plan *p, size_t i)
{
  return p->w->team[enterprise_of(p, i) * CITY_TEAMS + (size_t)team_of(p, i)];
}

int64_t leader_of(const plan *p, size_t i)
{
  return city_person(p->w, enterprise_of(p, i), team_of(p, i), 0);
}

int64_t officer_of(const plan *p, size_t i)
{
  return city_person(p->w, enterprise_of(p, i), 0, 1);
}

int64_t register_deadline(void)
{
  return city_now + 30 * 86400;
}

void step_clock(const plan *p, size_t s)
{
  city_now = p->t0 + (int64_t)((double)s * (double)p->span / (double)p->steps);
}

/* ------------------------------------------------------------ libcbc */

cbc_db *lib_open(const char *path, cbc_db_sync sync)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = 0;
  o.synchronous = sync;
  o.clock = city_clock;
  cbc_db *db;
  city_ok(cbc_db_open(&db, path, &o), "open");
  return db;
}

void lib_report(cbc_db *db, const plan *p, size_t i)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter_of(p, i);
  r.unit_id = unit_of(p, i);
  r.title = "护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  city_ok(cbc_hazard_report(&p->id[i], NULL, db, &r), "report");
}

void lib_register(cbc_db *db, const plan *p, size_t i)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "紧固";
  g.funds_fen = 100;
  g.deadline = register_deadline();
  g.contingency_plan = "警示";
  city_ok(cbc_hazard_register(db, p->id[i], leader_of(p, i), &g), "register");
}

void lib_stage(cbc_db *db, const plan *p, size_t i, int stage)
{
  switch (stage) {
  case 0: lib_report(db, p, i); break;
  case 1: lib_register(db, p, i); break;
  case 2: city_ok(cbc_hazard_start(db, p->id[i], leader_of(p, i)), "start"); break;
  case 3:
    city_ok(cbc_hazard_submit(db, p->id[i], leader_of(p, i), "已紧固", NULL, 0), "submit");
    break;
  default:
    city_ok(cbc_hazard_verify(db, p->id[i], officer_of(p, i), 1, NULL, NULL, 0), "verify");
  }
}

/* ------------------------------------------------------------ events */

void move_event_of(move_event *ev, const plan *p, size_t i, int stage)
{
  /* the state after each stage, and so before the next */
  static const int state[STAGES] = { CBC_HAZARD_REPORTED, CBC_HAZARD_REGISTERED,
                                     CBC_HAZARD_RECTIFYING, CBC_HAZARD_PENDING_VERIFICATION,
                                     CBC_HAZARD_CLOSED };
  int64_t leader = leader_of(p, i), deadline = register_deadline();
  *ev = (move_event){ leader, 0, stage ? state[stage - 1] : 0, state[stage], CBC_LEVEL_TEAM,
                      "{}" };
  switch (stage) {
  case 0:
    ev->actor = reporter_of(p, i);
    ev->action = CBC_ACTION_REPORT;
    ev->level = 0;
    snprintf(ev->data, sizeof(ev->data),
             "{\"reporter_id\":%" PRId64 ",\"unit_id\":%" PRId64 ",\"enterprise_id\":%" PRId64
             ",\"observed_at\":%" PRId64 ",\"title\":\"护栏松动\",\"kind\":%d,\"category\":%d,"
             "\"check_item\":%d,\"source\":%d,\"proposed_severity\":%d}",
             ev->actor, unit_of(p, i), p->w->enterprise[enterprise_of(p, i)], city_now,
             CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, CBC_CHECK_EQUIPMENT_GUARDING,
             CBC_SOURCE_SELF_CHECK, CBC_SEVERITY_GENERAL);
    break;
  case 1:
    ev->action = CBC_ACTION_REGISTER;
    snprintf(ev->data, sizeof(ev->data),
             "{\"severity\":%d,\"level\":%d,\"responsible_id\":%" PRId64
             ",\"measures\":\"紧固\",\"funds_fen\":100,\"deadline\":%" PRId64
             ",\"contingency_plan\":\"警示\"}",
             CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM, leader, deadline);
    break;
  case 2: ev->action = CBC_ACTION_START; break;
  case 3:
    ev->action = CBC_ACTION_SUBMIT;
    snprintf(ev->data, sizeof(ev->data), "{\"note\":\"已紧固\"}");
    break;
  default:
    ev->actor = officer_of(p, i);
    ev->action = CBC_ACTION_VERIFY_PASS;
  }
}

/* ------------------------------------------------------------ the runs */

static void side_stage(side *sd, const plan *p, size_t i, int stage)
{
  if (sd->lib)
    lib_stage(sd->lib, p, i, stage);
  else
    sd->moves->stage(sd->raw, p, i, stage);
}

static void side_begin(side *sd)
{
  if (sd->lib)
    city_ok(cbc_db_begin(sd->lib), "begin");
  else
    sd->moves->begin(sd->raw);
}

static void side_commit(side *sd)
{
  if (sd->lib)
    city_ok(cbc_db_commit(sd->lib), "commit");
  else
    sd->moves->commit(sd->raw);
}

/* Step @p s of the pipeline: hazard s reported, s - B registered, ... */
static void pipeline_step(side *sd, const plan *p, size_t s)
{
  step_clock(p, s);
  for (int stage = 0; stage < STAGES; stage++) {
    size_t lag = (size_t)stage * p->batch;
    if (s >= lag && s - lag < p->n)
      side_stage(sd, p, s - lag, stage);
  }
}

double lifecycle(side *sd, const plan *p, double *cpu)
{
  double t0 = city_wall_s(), c0 = cpu_s();
  for (size_t s = 0; s < p->steps; s += p->batch) {
    side_begin(sd);
    for (size_t k = s; k < s + p->batch && k < p->steps; k++)
      pipeline_step(sd, p, k);
    side_commit(sd);
  }
  *cpu = cpu_s() - c0;
  return city_wall_s() - t0;
}

double durable(side *sd, plan *p)
{
  size_t k = p->n;
  double t0 = city_wall_s();
  for (int stage = 0; stage < 2; stage++)
    for (size_t i = 0; i < k; i++) {
      city_now += 60;
      if (sd->lib) {
        lib_stage(sd->lib, p, i, stage);
        continue;
      }
      side_begin(sd);
      side_stage(sd, p, i, stage);
      side_commit(sd);
    }
  return (double)(2 * k) / (city_wall_s() - t0);
}

/* ------------------------------------------------------------ measuring */

double cpu_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double median(const double *v, size_t n)
{
  double *s = city_calloc(n, sizeof(double));
  memcpy(s, v, n * sizeof(double));
  qsort(s, n, sizeof(double), cmp_double);
  double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  free(s);
  return m;
}

/* ------------------------------------------------------------ options */

bool lifecycle_option(int argc, char **argv, int *i, size_t *batch, size_t *durable)
{
  if (*i + 1 >= argc)
    return false;
  if (!strcmp(argv[*i], "--batch"))
    *batch = strtoull(argv[*i + 1], NULL, 10);
  else if (!strcmp(argv[*i], "--durable"))
    *durable = strtoull(argv[*i + 1], NULL, 10);
  else
    return false;
  ++*i;
  return true;
}

bool lifecycle_config_ok(const city_config *c, int runs, size_t batch, size_t durable)
{
  return c->enterprises && c->districts && c->districts <= c->enterprises && c->months >= 1 &&
         c->months <= 120 && runs >= 1 && runs <= LIFECYCLE_MAX_RUNS && c->hazards && batch &&
         durable && durable <= c->hazards && c->employees <= UINT32_MAX;
}
