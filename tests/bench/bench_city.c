/* The benchmark city (bench_city.h).  Only the public API. */
#include "bench_city.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *city_program = "bench";
int64_t city_now;

int64_t city_clock(void *unused)
{
  (void)unused;
  return city_now;
}

double city_wall_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void city_ok(int rc, const char *what)
{
  if (rc) {
    fprintf(stderr, "%s: %s: %s\n", city_program, what, cbc_error_last()->message);
    exit(1);
  }
}

void *city_calloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size);
  if (!p)
    exit(1);
  return p;
}

int64_t city_month_start(int m)
{
  int y = 2024 + m / 12, mo = m % 12 + 1;
  y -= mo <= 2;
  int era = y / 400, yoe = y - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5;
  int64_t days = (int64_t)era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return days * 86400 - 8 * 3600;
}

#define SEED 88172645463325252ull
static uint64_t rng = SEED;

uint64_t city_random(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

void city_random_reset(void) { rng = SEED; }

/* ------------------------------------------------------------ the org */

static void add_unit(cbc_unit_record *u, char *ext, const char *parent, cbc_unit_kind kind)
{
  *u = (cbc_unit_record)CBC_UNIT_RECORD_INIT;
  u->external_id = ext;
  u->parent_external_id = parent;
  u->kind = kind;
  u->name = ext;
}

static void add_person(cbc_employee_record *e, char *ext, const char *unit, unsigned int roles)
{
  *e = (cbc_employee_record)CBC_EMPLOYEE_RECORD_INIT;
  e->external_id = ext;
  e->name = ext;
  e->unit_external_id = unit;
  e->roles = roles;
}

int64_t city_unit_id(cbc_db *db, const char *ext)
{
  cbc_unit *u;
  city_ok(cbc_unit_lookup_external(&u, db, ext), ext);
  int64_t id = u->id;
  cbc_unit_free(u);
  return id;
}

bool city_option(int argc, char **argv, int *i, city_config *c, int *runs, const char **dir)
{
  const char *name = argv[*i];
  if (*i + 1 >= argc)
    return false;
  const char *value = argv[*i + 1];
  if (!strcmp(name, "--enterprises"))
    c->enterprises = strtoull(value, NULL, 10);
  else if (!strcmp(name, "--districts"))
    c->districts = strtoull(value, NULL, 10);
  else if (!strcmp(name, "--employees"))
    c->employees = strtoull(value, NULL, 10);
  else if (!strcmp(name, "--hazards"))
    c->hazards = strtoull(value, NULL, 10);
  else if (!strcmp(name, "--months"))
    c->months = atoi(value);
  else if (!strcmp(name, "--runs"))
    *runs = atoi(value);
  else if (!strcmp(name, "--dir"))
    *dir = value;
  else
    return false;
  ++*i;
  return true;
}

int64_t city_employee_id(cbc_db *db, const char *ext)
{
  cbc_employee *e;
  city_ok(cbc_employee_lookup_external(&e, db, ext), ext);
  int64_t id = e->id;
  cbc_employee_free(e);
  return id;
}

/* The records of the org, in @p units / @p people, their names in @p t
 * (24 bytes each); the counts in @p n_units / @p n_people. */
static void org_records(const city *w, cbc_unit_record *units, size_t *n_units,
                        cbc_employee_record *people, size_t *n_people, char *t)
{
  const city_config *c = &w->c;
  size_t u = 0, p = 0;
#define NAME(...) (snprintf(t, 24, __VA_ARGS__), t += 24, t - 24)
  add_unit(&units[u++], NAME("CITY"), NULL, CBC_UNIT_REGION);
  for (size_t d = 0; d < c->districts; d++) {
    add_unit(&units[u++], NAME("D%zu", d), "CITY", CBC_UNIT_REGION);
    add_person(&people[p++], NAME("k%zu", d), units[u - 1].external_id, CBC_ROLE_UNION_CADRE);
    add_person(&people[p++], NAME("i%zu", d), units[u - 1].external_id,
               CBC_ROLE_BUREAU_INSPECTOR);
  }
  for (size_t e = 0; e < c->enterprises; e++) {
    char *ent = NAME("E%zu", e), *w0 = NAME("W%zu_0", e), *w1 = NAME("W%zu_1", e);
    add_unit(&units[u++], ent, units[1 + e % c->districts].external_id, CBC_UNIT_ENTERPRISE);
    add_unit(&units[u++], w0, ent, CBC_UNIT_WORKSHOP);
    add_unit(&units[u++], w1, ent, CBC_UNIT_WORKSHOP);
    for (int k = 0; k < CITY_TEAMS; k++) {
      char *team = NAME("T%zu_%d", e, k);
      add_unit(&units[u++], team, k < CITY_TEAMS / 2 ? w0 : w1, CBC_UNIT_TEAM);
      for (size_t pos = 0; pos < w->per_team; pos++) {
        unsigned int roles = pos == 0 ? CBC_ROLE_TEAM_LEADER
                             : pos == 1 && k == 0 ? CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER
                                                  : CBC_ROLE_WORKER;
        size_t index = (e * CITY_TEAMS + (size_t)k) * w->per_team + pos;
        add_person(&people[p++], NAME("e%zu", index), team, roles);
      }
    }
  }
#undef NAME
  *n_units = u;
  *n_people = p;
}

void city_find_units(cbc_db *db, city *w)
{
  char ext[32];
  w->root = city_unit_id(db, "CITY");
  for (size_t d = 0; d < w->c.districts; d++) {
    snprintf(ext, sizeof(ext), "D%zu", d);
    w->district[d] = city_unit_id(db, ext);
  }
  for (size_t e = 0; e < w->c.enterprises; e++) {
    snprintf(ext, sizeof(ext), "E%zu", e);
    w->enterprise[e] = city_unit_id(db, ext);
    for (int k = 0; k < CITY_TEAMS; k++) {
      snprintf(ext, sizeof(ext), "T%zu_%d", e, k);
      w->team[e * CITY_TEAMS + (size_t)k] = city_unit_id(db, ext);
    }
  }
}

static void find_people(cbc_db *db, city *w)
{
  char ext[32];
  for (size_t d = 0; d < w->c.districts; d++) {
    snprintf(ext, sizeof(ext), "k%zu", d);
    w->cadre[d] = city_employee_id(db, ext);
    snprintf(ext, sizeof(ext), "i%zu", d);
    w->inspector[d] = city_employee_id(db, ext);
  }
  cbc_employee_iter *it;
  const cbc_employee *emp;
  city_ok(cbc_employee_iter_subtree(&it, db, w->root, 0), "employees");
  while (cbc_employee_iter_next(&emp, it) == 0)
    if (emp->external_id[0] == 'e')
      w->employee[strtoull(emp->external_id + 1, NULL, 10)] = emp->id;
  cbc_employee_iter_free(it);
}

void city_build(cbc_db *db, city *w)
{
  const city_config *c = &w->c;
  size_t max_units = 1 + c->districts + c->enterprises * (1 + 2 + CITY_TEAMS);
  size_t max_people = w->c.employees + 2 * c->districts, n_units, n_people;
  cbc_unit_record *units = city_calloc(max_units, sizeof(*units));
  cbc_employee_record *people = city_calloc(max_people, sizeof(*people));
  char *text = city_calloc(max_units + max_people, 24);
  org_records(w, units, &n_units, people, &n_people, text);
  cbc_sync_result *res;
  city_ok(cbc_org_sync(&res, db, units, n_units, people, n_people, NULL), "sync");
  cbc_sync_result_free(res);
  free(units);
  free(people);
  free(text);
  city_find_units(db, w);
  find_people(db, w);
}

void city_init(city *w, const city_config *c)
{
  memset(w, 0, sizeof(*w));
  w->c = *c;
  w->per_team = c->employees / (c->enterprises * CITY_TEAMS);
  if (w->per_team < 3)
    w->per_team = 3;
  w->c.employees = w->per_team * c->enterprises * CITY_TEAMS;
  w->district = city_calloc(c->districts, sizeof(int64_t));
  w->cadre = city_calloc(c->districts, sizeof(int64_t));
  w->inspector = city_calloc(c->districts, sizeof(int64_t));
  w->enterprise = city_calloc(c->enterprises, sizeof(int64_t));
  w->team = city_calloc(c->enterprises * CITY_TEAMS, sizeof(int64_t));
  w->employee = city_calloc(w->c.employees, sizeof(int64_t));
}

void city_free(city *w)
{
  free(w->district);
  free(w->cadre);
  free(w->inspector);
  free(w->enterprise);
  free(w->team);
  free(w->employee);
}

/* ---------------------------------------------------------- the hazards */

int64_t city_person(const city *w, size_t e, int team, size_t pos)
{
  return w->employee[(e * CITY_TEAMS + (size_t)team) * w->per_team + pos];
}

static const cbc_rectification_plan major_plan = { "消除", "停机整改", "10万元", "设备科",
                                                   1900000000, "专人监护" };

void city_register_general(cbc_db *db, const city *w, int64_t id, size_t e, int team,
                           int64_t deadline)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.deadline = deadline;
  g.contingency_plan = "警示";
  int64_t leader = city_person(w, e, team, 0);
  city_ok(cbc_hazard_register(db, id, leader, &g), "register");
  city_ok(cbc_hazard_start(db, id, leader), "start");
}

void city_close_hazard(cbc_db *db, const city *w, int64_t id, size_t e, int team)
{
  city_register_general(db, w, id, e, team, city_now + 30 * 86400);
  int64_t leader = city_person(w, e, team, 0);
  city_ok(cbc_hazard_submit(db, id, leader, "已整改", NULL, 0), "submit");
  city_ok(cbc_hazard_verify(db, id, city_person(w, e, 0, 1), 1, NULL, NULL, 0), "verify");
}

void city_list_major(cbc_db *db, const city *w, int64_t id, size_t e)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_MAJOR;
  g.level = CBC_LEVEL_ENTERPRISE;
  g.measures = "停产整顿";
  g.deadline = city_now + 90 * 86400;
  g.contingency_plan = "应急预案";
  g.plan = &major_plan;
  city_ok(cbc_hazard_register(db, id, city_person(w, e, 0, 1), &g), "register major");
  city_ok(cbc_hazard_list_supervision(db, id, w->inspector[e % w->c.districts], "应急管理局",
                                      "督字", 0), "list");
}

/* ---------------------------------------------------------- the file */

void city_remove_db(const char *path)
{
  char buf[600];
  unlink(path);
  snprintf(buf, sizeof(buf), "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof(buf), "%s-shm", path);
  unlink(buf);
}

void city_copy_db(const char *from, const char *to)
{
  city_remove_db(to);
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  if (!in || !out) {
    fprintf(stderr, "%s: copying %s to %s failed\n", city_program, from, to);
    exit(1);
  }
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
    if (fwrite(buf, 1, n, out) != n)
      exit(1);
  fclose(in);
  if (fclose(out))
    exit(1);
}

cbc_db *city_open(const char *path, unsigned int flags, bool fresh)
{
  if (fresh)
    city_remove_db(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags |= flags;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  o.clock = city_clock;
  cbc_db *db;
  city_now = city_month_start(0);
  city_ok(cbc_db_open(&db, path, &o), "open");
  return db;
}
