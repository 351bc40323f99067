/* Benchmark of the hazard write path (issues 3 and 14), as ratios against
 * raw SQLite doing the same writes in the same run.
 *
 *   hazard_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *                [--months M] [--batch B] [--durable K] [--runs R] [--dir DIR] [--quick]
 *                [--checked-raw]
 *
 * The org is the benchmark city (bench_city.h: D districts, E enterprises of
 * 2 workshops and 10 teams, N employees), synced once through the public API
 * into a template file that each side of each run starts from a copy of.
 * Every hazard's reporter is drawn at random from the whole org; its team's
 * leader registers it at TEAM level (the responsible person resolved from
 * the org tree), starts and submits it, and the enterprise's safety officer
 * verifies it.  The clock moves through M months over the run.
 *
 * 1. lifecycle_vs_raw: H hazards through report, register, start, submit,
 *    verify, pipelined (at step s hazard s is reported, s - B registered,
 *    s - 2B started, s - 3B submitted and s - 4B verified: each move finds
 *    its hazard and its people cold), B steps per cbc_db_begin() group;
 *    against raw SQLite writing the same hazard rows and events with
 *    statements prepared once, an INSERT of the report's columns and an
 *    UPDATE per move of the columns that move changes, in the same groups.
 *    The run checks that both files hold the same rows.      target <= 1.5
 *    With --checked-raw, also against raw SQLite making the reads the rules
 *    ask of any implementation (the reporter, the unit, the hazard, the
 *    actor, the team's leader: primary-key reads and one index probe), for
 *    comparison only (tests/bench/README.md).
 * 2. durable_rate: K reports by random people, then their K registrations,
 *    each call its own transaction, WAL with synchronous=FULL, in the same
 *    org, as calls per second ÷ raw single commits of the same writes with
 *    the same settings.                                      target >= 0.8
 * Medians over the runs; the process's peak RSS at the end. */
#include "bench_lifecycle.h"
#include <sodium.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ raw SQLite */

typedef struct raw {
  sqlite3 *db;
  sqlite3_stmt *ins, *ev, *reg, *start, *submit, *verify, *begin, *commit;
  sqlite3_stmt *head, *link; /* the history's chain (docs/history.md) */
  /* --checked-raw: the reads any implementation of the rules makes */
  bool checked;
  sqlite3_stmt *hazard, *person, *unit, *holder;
} raw;

static void raw_ok(int rc, sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "hazard_bench: raw: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
}

static sqlite3_stmt *raw_prepare(raw *r, const char *sql)
{
  sqlite3_stmt *s;
  raw_ok(sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL), r->db);
  return s;
}

/* The statements a careful programmer writes once: the report's columns
 * (the others keep their defaults) and, per move, the columns it changes. */
static void raw_open(raw *r, const char *path, const char *sync)
{
  char sql[128];
  r->checked = false;
  raw_ok(sqlite3_open(path, &r->db), r->db);
  snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=ON; PRAGMA synchronous=%s", sync);
  raw_ok(sqlite3_exec(r->db, sql, NULL, NULL, NULL), r->db);
  r->ins = raw_prepare(r, "INSERT INTO hazards(state, reporter_id, unit_id, enterprise_id,"
                          " title, description, location, kind, category, check_item, source,"
                          " observed_at, reported_at, proposed_severity, updated_at)"
                          " VALUES (1, ?1, ?2, ?3, ?4, '', '', ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?9)");
  r->ev = raw_prepare(r, "INSERT INTO hazard_events(hazard_id, at, actor_id, action,"
                         " from_state, to_state, level, data, enterprise_id)"
                         " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  r->reg = raw_prepare(r, "UPDATE hazards SET state = 2, severity = ?2, level = ?3,"
                          " responsible_id = ?4, measures = ?5, funds_fen = ?6,"
                          " original_deadline = ?7, deadline = ?7, contingency_plan = ?8,"
                          " updated_at = ?9 WHERE id = ?1");
  r->start = raw_prepare(r, "UPDATE hazards SET state = 3, updated_at = ?2 WHERE id = ?1");
  r->submit = raw_prepare(r, "UPDATE hazards SET state = 4, submitted_by = ?2, last_note = ?3,"
                             " updated_at = ?4 WHERE id = ?1");
  r->verify = raw_prepare(r, "UPDATE hazards SET state = 5, resolved_level = ?2,"
                             " last_note = '', closed_at = ?3, updated_at = ?3 WHERE id = ?1");
  r->head = raw_prepare(r, "SELECT seq, hash FROM history_chain WHERE enterprise_id = ?1"
                           " ORDER BY seq DESC LIMIT 1");
  r->link = raw_prepare(r, "INSERT INTO history_chain(enterprise_id, seq, kind, record_id,"
                           " digest, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  r->begin = raw_prepare(r, "BEGIN IMMEDIATE");
  r->commit = raw_prepare(r, "COMMIT");
  r->hazard = raw_prepare(r, "SELECT state, unit_id, enterprise_id FROM hazards WHERE id = ?1");
  r->person = raw_prepare(r, "SELECT e.active, e.roles, e.unit_id, u.path FROM employees e"
                             " JOIN units u ON u.id = e.unit_id WHERE e.id = ?1");
  r->unit = raw_prepare(r, "SELECT closed_at, path FROM units WHERE id = ?1");
  r->holder = raw_prepare(r, "SELECT id FROM employees WHERE unit_id = ?1 AND active = 1"
                             " AND (roles & ?2) != 0 ORDER BY id LIMIT 1");
}

static void raw_close(raw *r)
{
  sqlite3_stmt *all[] = { r->ins, r->ev, r->reg, r->start, r->submit, r->verify, r->begin,
                          r->commit, r->hazard, r->person, r->unit, r->holder, r->head,
                          r->link };
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    sqlite3_finalize(all[i]);
  sqlite3_close(r->db);
}

static void raw_run(raw *r, sqlite3_stmt *s)
{
  raw_ok(sqlite3_step(s), r->db);
  sqlite3_reset(s);
}

/* --checked-raw: the leanest reads the rules ask of any implementation,
 * each a primary-key read (or one index probe) with a statement prepared
 * once; a failed check stops the run as the library would refuse the call. */
static void raw_refuse(const char *what, int64_t id)
{
  fprintf(stderr, "hazard_bench: raw: %s %" PRId64 " refused\n", what, id);
  exit(1);
}

/* Step @p s (bound to @p id) to its one row. */
static void raw_row(raw *r, sqlite3_stmt *s, int64_t id, const char *what)
{
  sqlite3_bind_int64(s, 1, id);
  int rc = sqlite3_step(s);
  raw_ok(rc, r->db);
  if (rc != SQLITE_ROW)
    raw_refuse(what, id);
}

/* Whether a unit path ("/" then "<digit count><digits>/" per unit, the
 * library's materialised path) passes through unit @p id. */
static bool path_has(const unsigned char *path, int64_t id)
{
  char seg[32];
  snprintf(seg, sizeof(seg), "/%d%" PRId64 "/", snprintf(NULL, 0, "%" PRId64, id), id);
  return path && strstr((const char *)path, seg);
}

/* The person acting exists, is on the payroll and stands where the move
 * asks: in the hazard's unit (the team's leader) or its enterprise (the
 * safety officer, with that role). */
static void raw_check_person(raw *r, int64_t person, int64_t unit, int64_t enterprise,
                             unsigned int role)
{
  sqlite3_stmt *s = r->person;
  raw_row(r, s, person, "person");
  bool ok = sqlite3_column_int(s, 0) == 1 &&
            (role ? (sqlite3_column_int(s, 1) & (int)role) != 0 &&
                      path_has(sqlite3_column_text(s, 3), enterprise)
                  : sqlite3_column_int64(s, 2) == unit);
  sqlite3_reset(s);
  if (!ok)
    raw_refuse("person", person);
}

/* The hazard is in @p state; its unit and enterprise into the out-params. */
static void raw_check_hazard(raw *r, int64_t id, int state, int64_t *unit, int64_t *enterprise)
{
  sqlite3_stmt *s = r->hazard;
  raw_row(r, s, id, "hazard");
  bool ok = sqlite3_column_int(s, 0) == state;
  *unit = sqlite3_column_int64(s, 1);
  *enterprise = sqlite3_column_int64(s, 2);
  sqlite3_reset(s);
  if (!ok)
    raw_refuse("hazard", id);
}

/* A report: the reporter is on the payroll, the unit open and inside the
 * enterprise. */
static void raw_check_report(raw *r, int64_t reporter, int64_t unit, int64_t enterprise)
{
  sqlite3_stmt *s = r->person;
  raw_row(r, s, reporter, "reporter");
  bool ok = sqlite3_column_int(s, 0) == 1;
  sqlite3_reset(s);
  s = r->unit;
  raw_row(r, s, unit, "unit");
  ok = ok && sqlite3_column_int64(s, 0) == 0 && path_has(sqlite3_column_text(s, 1), enterprise);
  sqlite3_reset(s);
  if (!ok)
    raw_refuse("report by", reporter);
}

/* The team's leader, found as the library finds the responsible person. */
static int64_t raw_team_leader(raw *r, int64_t team)
{
  sqlite3_stmt *s = r->holder;
  sqlite3_bind_int64(s, 1, team);
  sqlite3_bind_int(s, 2, CBC_ROLE_TEAM_LEADER);
  int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  if (!id)
    raw_refuse("team without a leader", team);
  return id;
}

/* Before stage @p stage of hazard @p i by @p actor: the checks. */
static void raw_check_move(raw *r, const plan *p, size_t i, int stage, int64_t actor)
{
  int64_t unit, enterprise;
  raw_check_hazard(r, p->id[i], stage, &unit, &enterprise); /* state s before stage s */
  raw_check_person(r, actor, unit, enterprise, stage == 4 ? CBC_ROLE_SAFETY_OFFICER : 0);
  if (stage == 1 && raw_team_leader(r, unit) != actor)
    raw_refuse("responsible person", actor);
}

/* ---------------------------------------------- the history's chain, raw */

/* A record's fields as a careful programmer encodes them from the values
 * it binds, never read back (docs/history.md's encoding, in one buffer). */
typedef struct raw_record {
  unsigned char b[1024];
  size_t n;
} raw_record;

static void rec_u64(raw_record *c, uint64_t v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    c->b[c->n + (size_t)i] = (unsigned char)v;
  c->n += 8;
}

static void rec_text(raw_record *c, const char *t)
{
  size_t len = strlen(t);
  unsigned char l[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                         (unsigned char)(len >> 8), (unsigned char)len };
  memcpy(c->b + c->n, l, 4);
  memcpy(c->b + c->n + 4, t, len);
  c->n += 4 + len;
}

/* The record's digest and its link after its tenant's head (one index
 * probe), as the library writes them: one link per record written. */
static void raw_link(raw *r, int64_t tenant, int kind, int64_t id, const raw_record *c)
{
  unsigned char digest[32], pre[11 + 32 + 32 + 32], hash[32];
  int64_t seq = 0;
  crypto_hash_sha256(digest, c->b, c->n);
  memset(pre, 0, sizeof(pre));
  memcpy(pre, "cbc-link-1", 11);
  sqlite3_bind_int64(r->head, 1, tenant);
  if (sqlite3_step(r->head) == SQLITE_ROW) {
    seq = sqlite3_column_int64(r->head, 0);
    memcpy(pre + 11, sqlite3_column_blob(r->head, 1), 32);
  }
  sqlite3_reset(r->head);
  raw_record f = { .n = 0 };
  const int64_t fields[] = { tenant, seq + 1, kind, id };
  for (int i = 0; i < 4; i++)
    rec_u64(&f, (uint64_t)fields[i]);
  memcpy(pre + 43, f.b, 32);
  memcpy(pre + 75, digest, 32);
  crypto_hash_sha256(hash, pre, sizeof(pre));
  sqlite3_stmt *s = r->link;
  sqlite3_bind_int64(s, 1, tenant);
  sqlite3_bind_int64(s, 2, seq + 1);
  sqlite3_bind_int(s, 3, kind);
  sqlite3_bind_int64(s, 4, id);
  sqlite3_bind_blob(s, 5, digest, 32, SQLITE_STATIC);
  sqlite3_bind_blob(s, 6, hash, 32, SQLITE_STATIC);
  raw_run(r, s);
}

static void rec_start(raw_record *c, int kind, int64_t id)
{
  c->n = 0;
  memcpy(c->b, "cbc-record-1", 13);
  c->n = 13;
  rec_u64(c, (uint64_t)kind);
  rec_u64(c, (uint64_t)id);
  c->b[c->n++] = 1;
}

/* The history event of stage @p stage of hazard @p i (move_event_of). */
static void raw_event(raw *r, const plan *p, size_t i, int stage)
{
  move_event ev;
  move_event_of(&ev, p, i, stage);
  sqlite3_stmt *s = r->ev;
  sqlite3_bind_int64(s, 1, p->id[i]);
  sqlite3_bind_int64(s, 2, city_now);
  sqlite3_bind_int64(s, 3, ev.actor);
  sqlite3_bind_int(s, 4, ev.action);
  sqlite3_bind_int(s, 5, ev.from);
  sqlite3_bind_int(s, 6, ev.to);
  sqlite3_bind_int(s, 7, ev.level);
  sqlite3_bind_text(s, 8, ev.data, -1, SQLITE_TRANSIENT);
  int64_t tenant = p->w->enterprise[enterprise_of(p, i)];
  sqlite3_bind_int64(s, 9, tenant); /* the tenant key */
  raw_run(r, s);
  raw_record c;
  rec_start(&c, CBC_HISTORY_HAZARD_EVENT, sqlite3_last_insert_rowid(r->db));
  const int64_t f[] = { tenant, p->id[i], city_now, ev.actor, ev.action, ev.from, ev.to,
                        ev.level };
  for (int k = 0; k < 8; k++)
    rec_u64(&c, (uint64_t)f[k]);
  rec_text(&c, ev.data);
  c.b[c.n++] = 0;
  raw_link(r, tenant, CBC_HISTORY_HAZARD_EVENT, sqlite3_last_insert_rowid(r->db), &c);
}

static void raw_report(raw *r, const plan *p, size_t i)
{
  sqlite3_stmt *s = r->ins;
  size_t e = enterprise_of(p, i);
  int64_t reporter = reporter_of(p, i), unit = unit_of(p, i);
  if (r->checked)
    raw_check_report(r, reporter, unit, p->w->enterprise[e]);
  sqlite3_bind_int64(s, 1, reporter);
  sqlite3_bind_int64(s, 2, unit);
  sqlite3_bind_int64(s, 3, p->w->enterprise[e]);
  sqlite3_bind_text(s, 4, "护栏松动", -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 5, CBC_HAZARD_HARD);
  sqlite3_bind_int(s, 6, CBC_CATEGORY_SAFETY);
  sqlite3_bind_int(s, 7, CBC_CHECK_EQUIPMENT_GUARDING);
  sqlite3_bind_int(s, 8, CBC_SOURCE_SELF_CHECK);
  sqlite3_bind_int64(s, 9, city_now);
  sqlite3_bind_int(s, 10, CBC_SEVERITY_GENERAL);
  raw_run(r, s);
  p->id[i] = sqlite3_last_insert_rowid(r->db);
  raw_record c;
  rec_start(&c, CBC_HISTORY_HAZARD, p->id[i]);
  const int64_t f[] = { p->w->enterprise[e], reporter, unit, city_now, CBC_SOURCE_SELF_CHECK,
                        CBC_SEVERITY_GENERAL };
  for (int k = 0; k < 6; k++)
    rec_u64(&c, (uint64_t)f[k]);
  rec_text(&c, "护栏松动");
  rec_text(&c, "");
  rec_text(&c, "");
  c.b[c.n++] = 0;
  raw_link(r, p->w->enterprise[e], CBC_HISTORY_HAZARD, p->id[i], &c);
  raw_event(r, p, i, 0);
}

static void raw_register(raw *r, const plan *p, size_t i)
{
  sqlite3_stmt *s = r->reg;
  int64_t leader = leader_of(p, i), deadline = register_deadline();
  sqlite3_bind_int64(s, 1, p->id[i]);
  sqlite3_bind_int(s, 2, CBC_SEVERITY_GENERAL);
  sqlite3_bind_int(s, 3, CBC_LEVEL_TEAM);
  sqlite3_bind_int64(s, 4, leader); /* the responsible person: the programmer knows the leader */
  sqlite3_bind_text(s, 5, "紧固", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 6, 100);
  sqlite3_bind_int64(s, 7, deadline);
  sqlite3_bind_text(s, 8, "警示", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 9, city_now);
  raw_run(r, s);
  raw_event(r, p, i, 1);
}

static void raw_stage(void *rv, const plan *p, size_t i, int stage)
{
  raw *r = rv;
  sqlite3_stmt *s;
  int64_t leader = leader_of(p, i);
  if (r->checked && stage > 0)
    raw_check_move(r, p, i, stage, stage == 4 ? officer_of(p, i) : leader);
  switch (stage) {
  case 0: raw_report(r, p, i); return;
  case 1: raw_register(r, p, i); return;
  case 2:
    s = r->start;
    sqlite3_bind_int64(s, 1, p->id[i]);
    sqlite3_bind_int64(s, 2, city_now);
    raw_run(r, s);
    raw_event(r, p, i, 2);
    return;
  case 3:
    s = r->submit;
    sqlite3_bind_int64(s, 1, p->id[i]);
    sqlite3_bind_int64(s, 2, leader);
    sqlite3_bind_text(s, 3, "已紧固", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, city_now);
    raw_run(r, s);
    raw_event(r, p, i, 3);
    return;
  default:
    s = r->verify;
    sqlite3_bind_int64(s, 1, p->id[i]);
    sqlite3_bind_int(s, 2, CBC_LEVEL_TEAM);
    sqlite3_bind_int64(s, 3, city_now);
    raw_run(r, s);
    raw_event(r, p, i, 4);
  }
}

/* ------------------------------------------------------------ the runs */

static void raw_begin(void *r) { raw_run(r, ((raw *)r)->begin); }

static void raw_commit(void *r) { raw_run(r, ((raw *)r)->commit); }

/* The raw side of a run (bench_lifecycle.h). */
static const raw_moves raw_sqlite = { raw_stage, raw_begin, raw_commit };

/* The rows both sides wrote must be the same: every hazard column and every
 * event but its data (whose encoding is the library's own). */
static void check_same(const char *lib, const char *rawp)
{
  sqlite3 *db;
  char sql[1024];
  raw_ok(sqlite3_open_v2(lib, &db, SQLITE_OPEN_READONLY, NULL), db);
  snprintf(sql, sizeof(sql), "ATTACH '%s' AS r", rawp);
  raw_ok(sqlite3_exec(db, sql, NULL, NULL, NULL), db);
  static const char *const diff[] = {
    "SELECT count(*) FROM (SELECT * FROM main.hazards EXCEPT SELECT * FROM r.hazards)",
    "SELECT count(*) FROM (SELECT * FROM r.hazards EXCEPT SELECT * FROM main.hazards)",
    "SELECT count(*) FROM (SELECT id, hazard_id, at, actor_id, action, from_state, to_state,"
    " level FROM main.hazard_events EXCEPT SELECT id, hazard_id, at, actor_id, action,"
    " from_state, to_state, level FROM r.hazard_events)",
    "SELECT (SELECT count(*) FROM main.hazard_events) - (SELECT count(*) FROM r.hazard_events)",
    ("SELECT count(*) FROM (SELECT enterprise_id, seq, kind, record_id FROM main.history_chain"
     " EXCEPT SELECT enterprise_id, seq, kind, record_id FROM r.history_chain)"),
    "SELECT (SELECT count(*) FROM main.history_chain) - (SELECT count(*) FROM r.history_chain)",
  };
  for (size_t i = 0; i < sizeof(diff) / sizeof(diff[0]); i++) {
    sqlite3_stmt *s;
    raw_ok(sqlite3_prepare_v2(db, diff[i], -1, &s, NULL), db);
    raw_ok(sqlite3_step(s), db);
    if (sqlite3_column_int64(s, 0) != 0) {
      fprintf(stderr, "hazard_bench: the two sides differ: %s: %lld\n", diff[i],
              (long long)sqlite3_column_int64(s, 0));
      exit(1);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

/* Peak resident set (VmHWM) in MB, or -1. */
static double peak_rss_mb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (!strncmp(line, "VmHWM:", 6))
      kb = strtod(line + 6, NULL);
  if (f)
    fclose(f);
  return kb < 0 ? -1 : kb / 1024;
}

typedef struct paths {
  char org[600], lib[600], raw[600], chk[600];
} paths;

typedef struct run_result {
  double lib_s, raw_s, lib_cpu, raw_cpu, lib_rate, raw_rate;
  double chk_cpu; /* --checked-raw: the raw side with the rules' reads; else 0 */
} run_result;

/* The lifecycle on raw SQLite in a fresh copy of the org at @p path;
 * @p checked adds the reads of --checked-raw.  Wall seconds, CPU into *cpu. */
static double raw_lifecycle(const paths *ps, const char *path, plan *p, bool checked,
                            double *cpu)
{
  city_copy_db(ps->org, path);
  raw r;
  raw_open(&r, path, "NORMAL");
  r.checked = checked;
  side sd = { NULL, &r, &raw_sqlite };
  double wall = lifecycle(&sd, p, cpu);
  raw_close(&r);
  return wall;
}

static run_result one_run(const paths *ps, plan *p, size_t n, size_t k, bool check,
                          bool checked_raw)
{
  run_result res = { 0 };
  make_plan(p, n);
  if (checked_raw) {
    raw_lifecycle(ps, ps->chk, p, true, &res.chk_cpu);
    city_remove_db(ps->chk);
  }
  res.raw_s = raw_lifecycle(ps, ps->raw, p, false, &res.raw_cpu);
  raw r;
  city_copy_db(ps->org, ps->lib);
  side sd = { lib_open(ps->lib, CBC_DB_SYNC_NORMAL), NULL, NULL };
  res.lib_s = lifecycle(&sd, p, &res.lib_cpu);
  cbc_db_close(sd.lib);
  if (check)
    check_same(ps->lib, ps->raw);

  int64_t after = city_now; /* durable calls continue in the same files */
  make_plan(p, k);
  raw_open(&r, ps->raw, "FULL");
  sd = (side){ NULL, &r, &raw_sqlite };
  res.raw_rate = durable(&sd, p);
  raw_close(&r);
  city_now = after;
  sd = (side){ lib_open(ps->lib, CBC_DB_SYNC_FULL), NULL, NULL };
  res.lib_rate = durable(&sd, p);
  cbc_db_close(sd.lib);
  return res;
}

static void build_org(const char *path, city *w)
{
  cbc_db *db = city_open(path, 0, true);
  double t0 = city_wall_s();
  city_build(db, w);
  cbc_db_close(db);
  printf("  org synced in %.1f s\n", city_wall_s() - t0);
}

static int usage(const char *argv0)
{
  fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] [--hazards H] "
                  "[--months M] [--batch B] [--durable K] [--runs R] [--dir DIR] [--quick] "
                  "[--checked-raw]\n",
          argv0);
  return 2;
}

int main(int argc, char **argv)
{
  city_program = "hazard_bench";
  city_config c = { 10000, 100, 1000000, 1000000, 24 };
  size_t batch = 1000, k = 1000;
  int runs = 3;
  bool checked_raw = false;
  const char *dir = "/tmp";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--checked-raw"))
      checked_raw = true;
    else if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 200, 10, 20000, 20000, 24 }, k = 100, runs = 1;
    else if (!lifecycle_option(argc, argv, &i, &batch, &k) &&
             !city_option(argc, argv, &i, &c, &runs, &dir))
      return usage(argv[0]);
  }
  if (!lifecycle_config_ok(&c, runs, batch, k))
    return usage(argv[0]);
  paths ps;
  snprintf(ps.org, sizeof(ps.org), "%s/cbc-hbench-%d-org.db", dir, (int)getpid());
  snprintf(ps.lib, sizeof(ps.lib), "%s/cbc-hbench-%d-lib.db", dir, (int)getpid());
  snprintf(ps.raw, sizeof(ps.raw), "%s/cbc-hbench-%d-raw.db", dir, (int)getpid());
  snprintf(ps.chk, sizeof(ps.chk), "%s/cbc-hbench-%d-chk.db", dir, (int)getpid());

  city w;
  city_init(&w, &c);
  printf("hazard_bench: %zu enterprises in %zu districts, %zu employees; %zu hazards x 5 moves "
         "over %d months in groups of %zu; %zu + %zu durable calls; %d run(s)\n",
         c.enterprises, c.districts, w.c.employees, c.hazards, c.months, batch, k, k, runs);
  build_org(ps.org, &w);
  plan p;
  plan_init(&p, &w, c.hazards, batch);
  double life[LIFECYCLE_MAX_RUNS], cpu[LIFECYCLE_MAX_RUNS], dur[LIFECYCLE_MAX_RUNS],
    lt[LIFECYCLE_MAX_RUNS], rt[LIFECYCLE_MAX_RUNS], lr[LIFECYCLE_MAX_RUNS],
    rr[LIFECYCLE_MAX_RUNS], chk[LIFECYCLE_MAX_RUNS];
  for (int r = 0; r < runs; r++) {
    run_result res = one_run(&ps, &p, c.hazards, k, r == 0, checked_raw);
    lt[r] = res.lib_s, rt[r] = res.raw_s, lr[r] = res.lib_rate, rr[r] = res.raw_rate;
    life[r] = lt[r] / rt[r];
    cpu[r] = res.lib_cpu / res.raw_cpu;
    dur[r] = lr[r] / rr[r];
    printf("  run %d: lifecycle libcbc %.3f s, raw %.3f s (%.2f; CPU %.3f s / %.3f s: %.2f); "
           "durable libcbc %.0f/s, raw %.0f/s (%.2f)\n", r + 1, lt[r], rt[r], life[r],
           res.lib_cpu, res.raw_cpu, cpu[r], lr[r], rr[r], dur[r]);
    chk[r] = checked_raw ? res.lib_cpu / res.chk_cpu : 0;
    if (checked_raw)
      printf("  run %d: checked raw CPU %.3f s (%.2f x raw); libcbc ÷ checked raw, CPU: %.2f\n",
             r + 1, res.chk_cpu, res.chk_cpu / res.raw_cpu, chk[r]);
  }
  size_t n = (size_t)runs;
  double l = median(life, n), d = median(dur, n);
  printf("lifecycle_vs_raw: median ratio %.2f (libcbc %.3f s, raw %.3f s; CPU ratio %.2f) "
         "target <= 1.50 %s\n", l, median(lt, n), median(rt, n), median(cpu, n),
         l <= 1.5 ? "PASS" : "MISS");
  printf("durable_rate: median ratio %.2f (libcbc %.0f calls/s, raw %.0f/s) target >= 0.80 %s\n",
         d, median(lr, n), median(rr, n), d >= 0.8 ? "PASS" : "MISS");
  if (checked_raw)
    printf("lifecycle_vs_checked_raw: median CPU ratio %.2f (raw with the rules' reads; "
           "for comparison, no target)\n", median(chk, n));
  double rss = peak_rss_mb();
  printf("peak_rss_mb: %.1f target <= 256 %s\n", rss, rss <= 256 ? "PASS" : "MISS");
  plan_free(&p);
  city_free(&w);
  city_remove_db(ps.org);
  city_remove_db(ps.lib);
  city_remove_db(ps.raw);
  return 0;
}
