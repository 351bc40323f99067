/* Benchmark of the hazard lifecycle (issue 3), as ratios against raw SQLite
 * doing the same writes in the same run.
 *
 *   hazard_bench [--hazards N] [--batch B] [--durable K] [--runs R] [--quick]
 *
 * 1. lifecycle_vs_raw: N hazards through report → register → start →
 *    submit → verify, B hazards per cbc_db_begin()/commit group, against
 *    raw SQLite writing the same hazard rows and history events with the
 *    same schema and indexes (the raw file is created by libcbc, then written
 *    with plain prepared statements).                        target <= 1.5
 * 2. durable_rate: K single reports, each its own transaction, WAL with
 *    synchronous=FULL, against raw single-row commits (hazard row + event)
 *    with the same settings; rate ratio libcbc / raw.         target >= 0.8
 * Medians over the runs. */
#include <cbc.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t fake_now = 1700000000;
static int64_t clock_fn(void *p) { (void)p; return fake_now; }

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
  fprintf(stderr, "hazard_bench: %s: %s\n", what, cbc_error_last()->message);
  exit(1);
}

static void unlink_db(const char *path)
{
  char buf[600];
  unlink(path);
  snprintf(buf, sizeof(buf), "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof(buf), "%s-shm", path);
  unlink(buf);
}

typedef struct people {
  int64_t unit, reporter, leader, officer;
} people;

/* A fresh database file with a small org: enterprise > workshop > team. */
static cbc_db *fresh(const char *path, cbc_db_sync sync, people *p)
{
  unlink_db(path);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.synchronous = sync;
  o.clock = clock_fn;
  cbc_db *db;
  if (cbc_db_open(&db, path, &o) != 0)
    die("open");
  static const cbc_unit_record units[] = {
    { 1, "E", NULL, CBC_UNIT_ENTERPRISE, "E", NULL, 0 },
    { 1, "W", "E", CBC_UNIT_WORKSHOP, "W", NULL, 0 },
    { 1, "T", "W", CBC_UNIT_TEAM, "T", NULL, 0 },
  };
  static const cbc_employee_record emps[] = {
    { 1, "r", "reporter", NULL, "T", CBC_ROLE_WORKER, 1, 0 },
    { 1, "l", "leader", NULL, "T", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { 1, "s", "officer", NULL, "T", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  };
  cbc_sync_result *r;
  if (cbc_org_sync(&r, db, units, 3, emps, 3, NULL) != 0)
    die("org");
  cbc_sync_result_free(r);
  cbc_unit *u;
  cbc_unit_lookup_external(&u, db, "T");
  p->unit = u->id;
  cbc_unit_free(u);
  p->reporter = 1, p->leader = 2, p->officer = 3;
  return db;
}

static cbc_hazard_record record(const people *p)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = p->reporter;
  r.unit_id = p->unit;
  r.title = "护栏松动";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

static double lib_lifecycle(const char *path, size_t n, size_t batch)
{
  people p;
  cbc_db *db = fresh(path, CBC_DB_SYNC_NORMAL, &p);
  cbc_hazard_record rec = record(&p);
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = CBC_SEVERITY_GENERAL, reg.level = CBC_LEVEL_TEAM;
  reg.measures = "紧固", reg.funds_fen = 100, reg.deadline = fake_now + 86400;
  reg.contingency_plan = "警示";
  double t0 = now_s();
  for (size_t i = 0; i < n; i += batch) {
    if (cbc_db_begin(db) != 0)
      die("begin");
    for (size_t k = i; k < i + batch && k < n; k++) {
      int64_t id;
      if (cbc_hazard_report(&id, NULL, db, &rec) || cbc_hazard_register(db, id, p.leader, &reg) ||
          cbc_hazard_start(db, id, p.leader) ||
          cbc_hazard_submit(db, id, p.leader, "已紧固", NULL, 0) ||
          cbc_hazard_verify(db, id, p.officer, 1, NULL, NULL, 0))
        die("lifecycle");
    }
    if (cbc_db_commit(db) != 0)
      die("commit");
  }
  double t = now_s() - t0;
  cbc_db_close(db);
  return t;
}

static void ok(int rc, sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "hazard_bench: raw: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
}

typedef struct raw {
  sqlite3 *db;
  sqlite3_stmt *ins, *upd, *ev;
} raw;

static const char *cols =
  "state, reporter_id, unit_id, enterprise_id, title, description, location, kind, category,"
  " check_item, source, observed_at, reported_at, proposed_severity, severity, level,"
  " resolved_level, responsible_id, measures, funds_fen, original_deadline, deadline,"
  " contingency_plan, submitted_by, last_note, closed_at, updated_at";

static void raw_open(raw *r, const char *path, const char *sync)
{
  people p;
  cbc_db_close(fresh(path, CBC_DB_SYNC_NORMAL, &p)); /* the same schema and org rows */
  char sql[1024];
  ok(sqlite3_open(path, &r->db), r->db);
  snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=ON; PRAGMA synchronous=%s", sync);
  ok(sqlite3_exec(r->db, sql, NULL, NULL, NULL), r->db);
  snprintf(sql, sizeof(sql), "INSERT INTO hazards(%s) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
           "?11,?12,?13,?14,?15,?16,?17,nullif(?18,0),?19,?20,?21,?22,?23,?24,?25,?26,?27)", cols);
  ok(sqlite3_prepare_v2(r->db, sql, -1, &r->ins, NULL), r->db);
  ok(sqlite3_prepare_v2(r->db, "UPDATE hazards SET state=?2, severity=?3, level=?4,"
                        " responsible_id=nullif(?5,0), measures=?6, funds_fen=?7,"
                        " original_deadline=?8, deadline=?8, contingency_plan=?9,"
                        " submitted_by=?10, last_note=?11, closed_at=?12, resolved_level=?13,"
                        " updated_at=?14 WHERE id=?1", -1, &r->upd, NULL), r->db);
  ok(sqlite3_prepare_v2(r->db, "INSERT INTO hazard_events(hazard_id, at, actor_id, action,"
                        " from_state, to_state, level, data) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                        -1, &r->ev, NULL), r->db);
}

static void raw_close(raw *r)
{
  sqlite3_finalize(r->ins);
  sqlite3_finalize(r->upd);
  sqlite3_finalize(r->ev);
  sqlite3_close(r->db);
}

static void raw_event(raw *r, int64_t id, int action, int from, int to, int level,
                      const char *data)
{
  sqlite3_bind_int64(r->ev, 1, id);
  sqlite3_bind_int64(r->ev, 2, fake_now);
  sqlite3_bind_int64(r->ev, 3, 2);
  sqlite3_bind_int(r->ev, 4, action);
  sqlite3_bind_int(r->ev, 5, from);
  sqlite3_bind_int(r->ev, 6, to);
  sqlite3_bind_int(r->ev, 7, level);
  sqlite3_bind_text(r->ev, 8, data, -1, SQLITE_STATIC);
  ok(sqlite3_step(r->ev), r->db);
  sqlite3_reset(r->ev);
}

static int64_t raw_report(raw *r)
{
  sqlite3_stmt *s = r->ins;
  int64_t v[] = { 1, 1, 3, 1, 0, 0, 0, 1, 1, 3, 1, fake_now, fake_now, 1, 0, 0, 0, 0 };
  for (int i = 0; i < 18; i++)
    sqlite3_bind_int64(s, i + 1, v[i]);
  sqlite3_bind_text(s, 5, "护栏松动", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 6, "", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 7, "", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 19, "", -1, SQLITE_STATIC);
  for (int i = 20; i <= 22; i++)
    sqlite3_bind_int64(s, i, 0);
  sqlite3_bind_text(s, 23, "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 24, 0);
  sqlite3_bind_text(s, 25, "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 26, 0);
  sqlite3_bind_int64(s, 27, fake_now);
  ok(sqlite3_step(s), r->db);
  sqlite3_reset(s);
  int64_t id = sqlite3_last_insert_rowid(r->db);
  raw_event(r, id, 1, 0, 1, 0,
            "{\"reporter_id\":1,\"unit_id\":3,\"enterprise_id\":1,\"observed_at\":1700000000,"
            "\"title\":\"护栏松动\",\"kind\":1,\"category\":1,\"check_item\":3,\"source\":1,"
            "\"proposed_severity\":1}");
  return id;
}

static void raw_move(raw *r, int64_t id, int action, int from, int to, const char *data)
{
  sqlite3_stmt *s = r->upd;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_int(s, 2, to);
  sqlite3_bind_int(s, 3, 1);
  sqlite3_bind_int(s, 4, 2);
  sqlite3_bind_int64(s, 5, 2);
  sqlite3_bind_text(s, 6, "紧固", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 7, 100);
  sqlite3_bind_int64(s, 8, fake_now + 86400);
  sqlite3_bind_text(s, 9, "警示", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 10, to >= 4 ? 2 : 0);
  sqlite3_bind_text(s, 11, to >= 4 ? "已紧固" : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 12, to == 5 ? fake_now : 0);
  sqlite3_bind_int(s, 13, to == 5 ? 2 : 0);
  sqlite3_bind_int64(s, 14, fake_now);
  ok(sqlite3_step(s), r->db);
  sqlite3_reset(s);
  raw_event(r, id, action, from, to, 2, data);
}

static double raw_lifecycle(const char *path, size_t n, size_t batch)
{
  raw r;
  raw_open(&r, path, "NORMAL");
  double t0 = now_s();
  for (size_t i = 0; i < n; i += batch) {
    ok(sqlite3_exec(r.db, "BEGIN IMMEDIATE", NULL, NULL, NULL), r.db);
    for (size_t k = i; k < i + batch && k < n; k++) {
      int64_t id = raw_report(&r);
      raw_move(&r, id, 3, 1, 2, "{\"severity\":1,\"level\":2,\"responsible_id\":2,"
                                "\"measures\":\"紧固\",\"funds_fen\":100,"
                                "\"deadline\":1700086400,\"contingency_plan\":\"警示\"}");
      raw_move(&r, id, 4, 2, 3, "{}");
      raw_move(&r, id, 9, 3, 4, "{\"note\":\"已紧固\"}");
      raw_move(&r, id, 10, 4, 5, "{}");
    }
    ok(sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL), r.db);
  }
  double t = now_s() - t0;
  raw_close(&r);
  return t;
}

static double lib_durable(const char *path, size_t k)
{
  people p;
  cbc_db *db = fresh(path, CBC_DB_SYNC_FULL, &p);
  cbc_hazard_record rec = record(&p);
  double t0 = now_s();
  for (size_t i = 0; i < k; i++)
    if (cbc_hazard_report(NULL, NULL, db, &rec) != 0)
      die("report");
  double t = now_s() - t0;
  cbc_db_close(db);
  return (double)k / t;
}

static double raw_durable(const char *path, size_t k)
{
  raw r;
  raw_open(&r, path, "FULL");
  double t0 = now_s();
  for (size_t i = 0; i < k; i++) {
    ok(sqlite3_exec(r.db, "BEGIN IMMEDIATE", NULL, NULL, NULL), r.db);
    raw_report(&r);
    ok(sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL), r.db);
  }
  double t = now_s() - t0;
  raw_close(&r);
  return (double)k / t;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof(double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
  size_t n = 1000000, batch = 1000, durable = 2000;
  int runs = 3;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      n = 20000, durable = 200, runs = 1;
    else if (!strcmp(argv[i], "--hazards") && i + 1 < argc)
      n = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
      batch = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--durable") && i + 1 < argc)
      durable = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--hazards N] [--batch B] [--durable K] [--runs R] [--quick]\n",
              argv[0]);
      return 2;
    }
  }
  if (runs < 1 || runs > 50 || !n || !batch || !durable)
    return 2;
  char dir[] = "/tmp/cbc-hbench-XXXXXX", lib[64], rawp[64];
  if (!mkdtemp(dir))
    return 1;
  snprintf(lib, sizeof(lib), "%s/lib.db", dir);
  snprintf(rawp, sizeof(rawp), "%s/raw.db", dir);
  printf("hazard_bench: %zu hazards x 5 moves in groups of %zu; %zu durable reports; %d run(s)\n",
         n, batch, durable, runs);
  double life[50], dur[50], lt[50], rt[50];
  for (int r = 0; r < runs; r++) {
    rt[r] = raw_lifecycle(rawp, n, batch);
    lt[r] = lib_lifecycle(lib, n, batch);
    life[r] = lt[r] / rt[r];
    double raw_rate = raw_durable(rawp, durable), lib_rate = lib_durable(lib, durable);
    dur[r] = lib_rate / raw_rate;
    printf("  run %d: lifecycle libcbc %.3f s, raw %.3f s; durable libcbc %.0f/s, raw %.0f/s\n",
           r + 1, lt[r], rt[r], lib_rate, raw_rate);
  }
  double l = median(life, runs), d = median(dur, runs);
  printf("lifecycle_vs_raw: median ratio %.2f (libcbc %.3f s, raw %.3f s) target <= 1.50 %s\n",
         l, median(lt, runs), median(rt, runs), l <= 1.5 ? "PASS" : "MISS");
  printf("durable_rate: median ratio %.2f of raw single-row commits, target >= 0.80 %s\n", d,
         d >= 0.8 ? "PASS" : "MISS");
  unlink_db(lib);
  unlink_db(rawp);
  rmdir(dir);
  return 0;
}
