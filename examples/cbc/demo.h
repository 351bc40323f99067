/* cbc demo: a realistic campaign built deterministically through the public
 * API — a district with five enterprises and about 330 employees, six
 * months of hazards in every state, activities, rewards and fines. */
#ifndef CBC_CLI_DEMO_H
#define CBC_CLI_DEMO_H

#include "cli.h"

#define DEMO_ENTERPRISES 5
#define DEMO_MAX_TEAMS 12
#define DEMO_MAX_TEAM_SIZE 12

/* One enterprise's people, by libcbc id. */
typedef struct demo_team {
  int64_t unit;
  int64_t leader;
  int64_t members[DEMO_MAX_TEAM_SIZE];
  int n_members;
} demo_team;

typedef struct demo_enterprise {
  int64_t unit;
  int64_t principal, safety_officer;
  int64_t workshops[4], directors[4];
  int n_workshops;
  demo_team teams[DEMO_MAX_TEAMS];
  int team_workshop[DEMO_MAX_TEAMS]; /* index into workshops */
  int n_teams;
} demo_enterprise;

typedef struct demo {
  cli_ctx *ctx;
  cbc_db *db;
  int64_t now;       /* the demo's clock */
  uint64_t rng;      /* xorshift state: fixed seed, so every run is the same */
  int64_t district, inspector, cadres[2];
  demo_enterprise ent[DEMO_ENTERPRISES];
  int hazards;       /* how many were reported */
} demo;

/* A number in [0, n). */
uint32_t demo_rand(demo *d, uint32_t n);

/* The organisation, through one full HR sync (demo_org.c). */
int demo_build_org(demo *d);

/* The months from @p from to @p to (demo_run.c): each day in a group of its
 * own, or all in the caller's group when one is open. */
int demo_run(demo *d, int64_t from, int64_t to);

/* The day's activities, rewards and fines (demo_act.c); @p first_day is
 * the demo's first day. */
int demo_activities(demo *d, int64_t day, int64_t first_day);

/* Report a failed call (the library's message) and return its exit status. */
int demo_fail(demo *d, const char *what, int rc);

#endif
