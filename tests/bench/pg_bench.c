/* Benchmark of the library on PostgreSQL (issue 15), as ratios against raw
 * libpq doing the same work in the same run: the PostgreSQL counterpart of
 * hazard_bench's lifecycle_vs_raw and durable_rate and of stats_bench's
 * forms.
 *
 *   pg_bench [--enterprises E] [--districts D] [--employees N] [--hazards H]
 *            [--months M] [--batch B] [--durable K] [--forms F] [--runs R]
 *            [--quick] [--keep]
 *
 * It runs where libpq's environment names a server (PGHOST, PGPORT, PGUSER:
 * scripts/with-postgres; CBC_PG_FSYNC=on for a server that syncs, which the
 * durable figure needs).  The org is the benchmark city (bench_city.h: D
 * districts, E enterprises of 2 workshops and 10 teams, N employees, a
 * union cadre assigned to each enterprise), built once through the public
 * API into a template database (its tables that hold rows then vacuumed
 * and analysed, as autovacuum would after the import); each side of each
 * run starts from its own CREATE DATABASE ... TEMPLATE copy.  Every hazard's reporter is drawn at
 * random from the whole org; its team's leader registers it at TEAM level
 * (the responsible person resolved from the org tree), starts and submits
 * it, and the enterprise's safety officer verifies it.  The clock moves
 * through M months over the run.
 *
 * 1. lifecycle_vs_raw: H hazards through report, register, start, submit,
 *    verify, pipelined (at step s hazard s is reported, s - B registered,
 *    s - 2B started, s - 3B submitted and s - 4B verified: each move finds
 *    its hazard and its people cold), B steps per cbc_db_begin() group;
 *    against raw libpq writing the same hazard rows and events with
 *    statements prepared once (PQprepare, PQexecPrepared: one round trip
 *    each), an INSERT of the report's columns and an UPDATE per move of the
 *    columns that move changes, in the same transactions.  The first run
 *    checks that both databases hold the same rows.         wall ratio
 * 2. durable_rate: K reports by random people, then their K registrations,
 *    each call its own transaction, in the same databases, as calls per
 *    second ÷ raw single transactions (BEGIN, the statements, COMMIT) of
 *    the same writes.  Meaningful on a server that syncs (fsync=on).
 * 3. forms: the form (cbc_stats_form_get) of a random enterprise, district
 *    and the root for a random month, quarter and year (F of each), in the
 *    library's database after the lifecycle, against the one statement a
 *    careful programmer writes over the aggregates (stat_months for an
 *    enterprise, stat_rollups for a region, the cadres' assignments by the
 *    subtree's path range), prepared once; every figure must be equal.
 * Medians over the runs; the client's CPU and the server backend's CPU
 * (from /proc, when the server is on this host) beside each lifecycle. */
#include "bench_lifecycle.h"
#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ PostgreSQL */

static void pg_die(PGconn *c, const char *what)
{
  fprintf(stderr, "pg_bench: %s: %s", what, c ? PQerrorMessage(c) : "no connection\n");
  exit(1);
}

static void quiet(void *arg, const char *message)
{
  (void)arg;
  (void)message;
}

/* A connection to database @p name of the server libpq's environment names. */
static PGconn *pg_connect(const char *name)
{
  char info[256];
  snprintf(info, sizeof(info), "dbname=%s application_name=pg_bench", name);
  PGconn *c = PQconnectdb(info);
  if (PQstatus(c) != CONNECTION_OK)
    pg_die(c, name);
  PQsetNoticeProcessor(c, quiet, NULL); /* "does not exist, skipping" */
  return c;
}

/* Check @p r (a command or rows) and return it. */
static PGresult *pg_check(PGconn *c, PGresult *r, const char *what)
{
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    fprintf(stderr, "pg_bench: %s: %s", what, PQresultErrorMessage(r));
    PQclear(r);
    (void)c;
    exit(1);
  }
  return r;
}

static void pg_do(PGconn *c, const char *sql)
{
  PQclear(pg_check(c, PQexec(c, sql), sql));
}

/* The one value of a one-row query, as text copied into @p out. */
static void pg_value(PGconn *c, const char *sql, char *out, size_t size)
{
  PGresult *r = pg_check(c, PQexec(c, sql), sql);
  snprintf(out, size, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
}

static void db_drop(PGconn *admin, const char *name)
{
  char sql[200];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  pg_do(admin, sql);
}

/* A fresh copy of the template @p tmpl named @p name (a file copy of its
 * directory, not its pages through the WAL). */
static void db_copy(PGconn *admin, const char *tmpl, const char *name)
{
  char sql[300];
  db_drop(admin, name);
  snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s%s", name, tmpl,
           PQserverVersion(admin) >= 150000 ? " STRATEGY FILE_COPY" : "");
  pg_do(admin, sql);
}

static void uri_of(char *out, size_t size, const char *name)
{
  snprintf(out, size, "postgresql:///%s?application_name=pg_bench_lib", name);
}

/* CPU seconds a process has used (utime + stime from /proc), or -1 when it
 * cannot be read (a server on another host). */
static double proc_cpu_s(int pid)
{
  char path[64], buf[1024];
  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *p = strrchr(buf, ')');
  unsigned long ut, st;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
    return -1;
  return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The backend serving the library's connection to database @p name. */
static int lib_backend(PGconn *admin, const char *name)
{
  char sql[300], pid[32];
  snprintf(sql, sizeof(sql), "SELECT CASE WHEN count(*) = 1 THEN max(pid) ELSE 0 END"
                             " FROM pg_stat_activity WHERE datname = '%s'"
                             " AND application_name = 'pg_bench_lib'", name);
  pg_value(admin, sql, pid, sizeof(pid));
  return atoi(pid);
}

/* ------------------------------------------------------------ libcbc */

/* The library's handle on database @p name. */
static cbc_db *lib_connect(const char *name)
{
  char uri[300];
  uri_of(uri, sizeof(uri), name);
  return lib_open(uri, CBC_DB_SYNC_FULL); /* the server's settings decide on PostgreSQL */
}

/* ------------------------------------------------------------ raw libpq */

/* The statements a careful programmer prepares once: the report's columns
 * (the others keep their defaults; the new id comes back with RETURNING)
 * and, per move, the columns it changes; the event row. */
static const struct {
  const char *name, *sql;
} raw_sql[] = {
  { "ins", "INSERT INTO hazards(state, reporter_id, unit_id, enterprise_id, title, description,"
           " location, kind, category, check_item, source, observed_at, reported_at,"
           " proposed_severity, updated_at) VALUES (1, $1, $2, $3, $4, '', '', $5, $6, $7, $8,"
           " $9, $9, $10, $9) RETURNING id" },
  { "ev", "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state, to_state,"
          " level, data, enterprise_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)" },
  { "reg", "UPDATE hazards SET state = 2, severity = $2, level = $3, responsible_id = $4,"
           " measures = $5, funds_fen = $6, original_deadline = $7, deadline = $7,"
           " contingency_plan = $8, updated_at = $9 WHERE id = $1" },
  { "start", "UPDATE hazards SET state = 3, updated_at = $2 WHERE id = $1" },
  { "submit", "UPDATE hazards SET state = 4, submitted_by = $2, last_note = $3,"
              " updated_at = $4 WHERE id = $1" },
  { "verify", "UPDATE hazards SET state = 5, resolved_level = $2, last_note = '',"
              " closed_at = $3, updated_at = $3 WHERE id = $1" },
};

typedef struct raw {
  PGconn *c;
} raw;

static void raw_open(raw *r, const char *name)
{
  r->c = pg_connect(name);
  for (size_t i = 0; i < sizeof(raw_sql) / sizeof(raw_sql[0]); i++)
    PQclear(pg_check(r->c, PQprepare(r->c, raw_sql[i].name, raw_sql[i].sql, 0, NULL),
                     raw_sql[i].sql));
}

static void raw_close(raw *r) { PQfinish(r->c); }

/* Parameters of one run, as text (bytea as binary). */
typedef struct params {
  int n;
  const char *v[12];
  int len[12], fmt[12];
  char num[12][24];
} params;

static void p_int(params *p, int64_t x)
{
  snprintf(p->num[p->n], sizeof(p->num[0]), "%" PRId64, x);
  p->v[p->n] = p->num[p->n];
  p->len[p->n] = 0;
  p->fmt[p->n++] = 0;
}

static void p_text(params *p, const char *s)
{
  p->v[p->n] = s;
  p->len[p->n] = 0;
  p->fmt[p->n++] = 0;
}

static void p_bytes(params *p, const char *s)
{
  p->v[p->n] = s;
  p->len[p->n] = (int)strlen(s);
  p->fmt[p->n++] = 1;
}

static PGresult *raw_run(raw *r, const char *stmt, const params *p)
{
  return pg_check(r->c, PQexecPrepared(r->c, stmt, p->n, p->v, p->len, p->fmt, 0), stmt);
}

/* The history event of stage @p stage of hazard @p i (move_event_of). */
static void raw_event(raw *r, const plan *p, size_t i, int stage)
{
  move_event ev;
  move_event_of(&ev, p, i, stage);
  params q = { 0 };
  p_int(&q, p->id[i]);
  p_int(&q, city_now);
  p_int(&q, ev.actor);
  p_int(&q, ev.action);
  p_int(&q, ev.from);
  p_int(&q, ev.to);
  p_int(&q, ev.level);
  p_bytes(&q, ev.data);
  p_int(&q, p->w->enterprise[enterprise_of(p, i)]); /* the tenant key */
  PQclear(raw_run(r, "ev", &q));
}

static void raw_report(raw *r, const plan *p, size_t i)
{
  size_t e = enterprise_of(p, i);
  int64_t reporter = reporter_of(p, i), unit = unit_of(p, i);
  params q = { 0 };
  p_int(&q, reporter);
  p_int(&q, unit);
  p_int(&q, p->w->enterprise[e]);
  p_text(&q, "护栏松动");
  p_int(&q, CBC_HAZARD_HARD);
  p_int(&q, CBC_CATEGORY_SAFETY);
  p_int(&q, CBC_CHECK_EQUIPMENT_GUARDING);
  p_int(&q, CBC_SOURCE_SELF_CHECK);
  p_int(&q, city_now);
  p_int(&q, CBC_SEVERITY_GENERAL);
  PGresult *res = raw_run(r, "ins", &q);
  p->id[i] = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  PQclear(res);
  raw_event(r, p, i, 0);
}

static void raw_register(raw *r, const plan *p, size_t i)
{
  int64_t leader = leader_of(p, i), deadline = register_deadline();
  params q = { 0 };
  p_int(&q, p->id[i]);
  p_int(&q, CBC_SEVERITY_GENERAL);
  p_int(&q, CBC_LEVEL_TEAM);
  p_int(&q, leader); /* the responsible person: the programmer knows the leader */
  p_text(&q, "紧固");
  p_int(&q, 100);
  p_int(&q, deadline);
  p_text(&q, "警示");
  p_int(&q, city_now);
  PQclear(raw_run(r, "reg", &q));
  raw_event(r, p, i, 1);
}

static void raw_stage(void *rv, const plan *p, size_t i, int stage)
{
  raw *r = rv;
  int64_t leader = leader_of(p, i);
  params q = { 0 };
  switch (stage) {
  case 0: raw_report(r, p, i); return;
  case 1: raw_register(r, p, i); return;
  case 2:
    p_int(&q, p->id[i]);
    p_int(&q, city_now);
    PQclear(raw_run(r, "start", &q));
    raw_event(r, p, i, 2);
    return;
  case 3:
    p_int(&q, p->id[i]);
    p_int(&q, leader);
    p_text(&q, "已紧固");
    p_int(&q, city_now);
    PQclear(raw_run(r, "submit", &q));
    raw_event(r, p, i, 3);
    return;
  default:
    p_int(&q, p->id[i]);
    p_int(&q, CBC_LEVEL_TEAM);
    p_int(&q, city_now);
    PQclear(raw_run(r, "verify", &q));
    raw_event(r, p, i, 4);
  }
}

/* ------------------------------------------------------------ the runs */

static void raw_begin(void *r) { pg_do(((raw *)r)->c, "BEGIN"); }

static void raw_commit(void *r) { pg_do(((raw *)r)->c, "COMMIT"); }

/* The raw side of a run (bench_lifecycle.h). */
static const raw_moves raw_libpq = { raw_stage, raw_begin, raw_commit };

typedef struct times {
  double wall, cpu, server; /* seconds; server: the backend's CPU, or < 0 unknown */
} times;

/* The lifecycle (bench_lifecycle.h), with the CPU seconds the backend of
 * process id @p backend (0: unknown) used during it. */
static times pg_lifecycle(side *sd, const plan *p, int backend)
{
  double s0 = backend ? proc_cpu_s(backend) : -1;
  times t = { 0, 0, -1 };
  t.wall = lifecycle(sd, p, &t.cpu);
  double s1 = backend ? proc_cpu_s(backend) : -1;
  if (s0 >= 0 && s1 >= 0)
    t.server = s1 - s0;
  return t;
}

/* The rows of @p sql (one text column, ordered) on both sides must be the
 * same; the first difference is reported. */
static void same_rows(PGconn *a, PGconn *b, const char *sql)
{
  PGresult *x = pg_check(a, PQexec(a, sql), sql), *y = pg_check(b, PQexec(b, sql), sql);
  int n = PQntuples(x), m = PQntuples(y);
  for (int i = 0; i < n || i < m; i++) {
    const char *u = i < n ? PQgetvalue(x, i, 0) : "(none)";
    const char *v = i < m ? PQgetvalue(y, i, 0) : "(none)";
    if (strcmp(u, v)) {
      fprintf(stderr, "pg_bench: the two sides differ (%s), row %d:\n  libcbc %s\n  raw    %s\n",
              sql, i, u, v);
      exit(1);
    }
  }
  PQclear(x);
  PQclear(y);
}

/* Every hazard column and every event but its data (whose encoding is the
 * library's own). */
static void check_same(const char *lib, const char *rawdb)
{
  PGconn *a = pg_connect(lib), *b = pg_connect(rawdb);
  same_rows(a, b, "SELECT h::text FROM hazards h ORDER BY id");
  same_rows(a, b, "SELECT concat_ws(',', id, hazard_id, at, actor_id, action, from_state,"
                  " to_state, level) FROM hazard_events ORDER BY id");
  PQfinish(a);
  PQfinish(b);
}

/* ------------------------------------------------------------ forms */

typedef enum { NODE_ENTERPRISE, NODE_DISTRICT, NODE_ROOT, NODE_KINDS } node_kind;
static const char *const node_name[NODE_KINDS] = { "enterprise", "district", "root" };
static const char *const period_name[3] = { "month", "quarter", "year" };

/* The form's figures from the aggregates as a careful programmer reads them,
 * one statement per node kind and granularity ($1 the node, $2 the months
 * as year * 100 + month, [$3, $4) the period): an enterprise's rows of
 * stat_months, a region's of stat_rollups (kept for exactly this), each by
 * its primary key (month, unit_id); the units with a cadre assigned by the
 * subtree's path range (the root: every unit, the assignments alone), its
 * ends read by scalar subqueries so that the server computes them first and
 * probes the path index with them (a join to the node's row made the
 * generic plan scan the assignments: 4 ms at full size).
 * Columns in the order of cbc_stats_form. */
static void form_sql(char *sql, size_t size, node_kind kind, int g)
{
  const char c = "mqy"[g];
  char ran[64], assigned[600];
  if (kind == NODE_ENTERPRISE)
    snprintf(ran, sizeof(ran), "(count(*) FILTER (WHERE activity > 0) > 0)::int");
  else
    snprintf(ran, sizeof(ran), "coalesce(sum(ran_%c), 0)", c);
  if (kind == NODE_ROOT)
    snprintf(assigned, sizeof(assigned),
             "(SELECT count(DISTINCT unit_id) FROM cadre_assignments WHERE from_at < $4"
             " AND (to_at = 0 OR to_at > $3) AND voided_at = 0)");
  else
    snprintf(assigned, sizeof(assigned), /* the range's ends as scalar subqueries: */
             "(SELECT count(DISTINCT a.unit_id) FROM cadre_assignments a" /* computed once */
             " WHERE a.unit_id IN (SELECT id FROM units WHERE path >="     /* and probed */
             " (SELECT path FROM units WHERE id = $1) AND path <"
             " (SELECT substr(path, 1, length(path) - 1) || '0' FROM units WHERE id = $1))"
             " AND a.from_at < $4 AND (a.to_at = 0 OR a.to_at > $3) AND a.voided_at = 0)");
  snprintf(sql, size,
           "SELECT %s, coalesce(sum(took_part_%c), 0), coalesce(sum(sessions), 0),"
           " coalesce(sum(trained_%c), 0), coalesce(sum(leader_classes), 0),"
           " coalesce(sum(leaders_%c), 0), %s, coalesce(sum(visits), 0),"
           " coalesce(sum(found), 0), coalesce(sum(listed), 0), coalesce(sum(rectified), 0)"
           " FROM %s WHERE unit_id = $1 AND month = ANY($2::bigint[])",
           ran, c, c, c, assigned, kind == NODE_ENTERPRISE ? "stat_months" : "stat_rollups");
}

static void forms_prepare(PGconn *c)
{
  char sql[2048], name[16];
  for (int k = 0; k < NODE_KINDS; k++)
    for (int g = 0; g < 3; g++) {
      form_sql(sql, sizeof(sql), (node_kind)k, g);
      snprintf(name, sizeof(name), "form%d%d", k % 10, g % 10);
      PQclear(pg_check(c, PQprepare(c, name, sql, 0, NULL), sql));
    }
}

/* A random calendar period of granularity @p g within the generated months. */
static cbc_period random_period(const city *w, int g)
{
  int m = (int)(city_random() % (uint64_t)w->c.months);
  cbc_period p = { CBC_PERIOD_MONTH + g, 2024 + m / 12, m % 12 + 1, 0, 0 };
  if (g == 1)
    p.number = (p.number + 2) / 3;
  else if (g == 2)
    p.number = 0;
  return p;
}

static int64_t random_node(const city *w, node_kind kind)
{
  if (kind == NODE_ENTERPRISE)
    return w->enterprise[city_random() % w->c.enterprises];
  if (kind == NODE_DISTRICT)
    return w->district[city_random() % w->c.districts];
  return w->root;
}

static double lib_form_ms(cbc_db *db, int64_t unit, const cbc_period *p, cbc_stats_form *copy)
{
  cbc_stats_form *f;
  double t0 = city_wall_s();
  city_ok(cbc_stats_form_get(&f, db, unit, p, 0), "form");
  double t = (city_wall_s() - t0) * 1000;
  *copy = *f;
  cbc_stats_form_free(f);
  return t;
}

/* The raw statement for @p unit and @p p; milliseconds, the figures into
 * @p out (cbc_stats_form's order, units_ran first). */
static double raw_form_ms(PGconn *c, node_kind kind, int64_t unit, const cbc_period *p,
                          int64_t from, int64_t to, int64_t out[11])
{
  char name[16], months[128];
  int first = p->kind == CBC_PERIOD_MONTH ? p->number
              : p->kind == CBC_PERIOD_QUARTER ? 3 * p->number - 2 : 1;
  int last = p->kind == CBC_PERIOD_MONTH ? p->number
             : p->kind == CBC_PERIOD_QUARTER ? 3 * p->number : 12;
  size_t len = 0;
  for (int m = first; m <= last; m++)
    len += (size_t)snprintf(months + len, sizeof(months) - len, "%s%d", m == first ? "{" : ",",
                            p->year * 100 + m);
  snprintf(months + len, sizeof(months) - len, "}");
  snprintf(name, sizeof(name), "form%d%d", (int)kind % 10,
           ((int)p->kind - CBC_PERIOD_MONTH) % 10);
  params q = { 0 };
  double t0 = city_wall_s();
  p_int(&q, unit);
  p_text(&q, months);
  p_int(&q, from);
  p_int(&q, to);
  PGresult *r = pg_check(c, PQexecPrepared(c, name, q.n, q.v, q.len, q.fmt, 0), name);
  for (int i = 0; i < 11; i++)
    out[i] = strtoll(PQgetvalue(r, 0, i), NULL, 10);
  PQclear(r);
  return (city_wall_s() - t0) * 1000;
}

#define FORM_KINDS (NODE_KINDS * 3)

/* F forms of each node kind and granularity in database @p name: the
 * library's and the raw statement's medians (ms) into @p lib and @p raw,
 * alternating which goes first; every figure compared. */
static void measure_forms(const char *name, const city *w, size_t n, double lib[FORM_KINDS],
                          double raw[FORM_KINDS])
{
  cbc_db *db = lib_connect(name);
  PGconn *c = pg_connect(name);
  forms_prepare(c);
  double *lt = city_calloc(n, sizeof(double)), *rt = city_calloc(n, sizeof(double));
  for (int k = 0; k < NODE_KINDS; k++)
    for (int g = 0; g < 3; g++) {
      for (size_t i = 0; i < n; i++) {
        int64_t unit = random_node(w, (node_kind)k), from, to, fig[11];
        cbc_period p = random_period(w, g);
        cbc_stats_form f;
        city_ok(cbc_period_bounds(&from, &to, db, &p), "bounds");
        if (i % 2) {
          rt[i] = raw_form_ms(c, (node_kind)k, unit, &p, from, to, fig);
          lt[i] = lib_form_ms(db, unit, &p, &f);
        } else {
          lt[i] = lib_form_ms(db, unit, &p, &f);
          rt[i] = raw_form_ms(c, (node_kind)k, unit, &p, from, to, fig);
        }
        for (int j = 0; j < 11; j++)
          if (cbc_stats_form_value(&f, (cbc_stats_field)(j + 1)) != fig[j]) {
            fprintf(stderr, "pg_bench: the %s form of unit %" PRId64 ", %d-%d: %s is %" PRId64
                            " by the library, %" PRId64 " by SQL\n", period_name[g], unit,
                    p.year, p.number, cbc_stats_field_name((cbc_stats_field)(j + 1)),
                    cbc_stats_form_value(&f, (cbc_stats_field)(j + 1)), fig[j]);
            exit(1);
          }
      }
      lib[k * 3 + g] = median(lt, n);
      raw[k * 3 + g] = median(rt, n);
    }
  free(lt);
  free(rt);
  PQfinish(c);
  cbc_db_close(db);
}

/* ------------------------------------------------------------ main */

typedef struct names {
  char tmpl[64], lib[64], raw[64];
} names;

typedef struct run_result {
  times lib, raw;
  double lib_rate, raw_rate;
  double form_lib[FORM_KINDS], form_raw[FORM_KINDS];
} run_result;

static run_result one_run(PGconn *admin, const names *nm, plan *p, size_t n, size_t k,
                          size_t forms, bool check)
{
  run_result res;
  memset(&res, 0, sizeof(res));
  make_plan(p, n);
  db_copy(admin, nm->tmpl, nm->raw);
  db_copy(admin, nm->tmpl, nm->lib);

  raw r;
  raw_open(&r, nm->raw);
  side sd = { NULL, &r, &raw_libpq };
  res.raw = pg_lifecycle(&sd, p, PQbackendPID(r.c));
  sd = (side){ lib_connect(nm->lib), NULL, NULL };
  res.lib = pg_lifecycle(&sd, p, lib_backend(admin, nm->lib));
  if (check)
    check_same(nm->lib, nm->raw);

  int64_t after = city_now; /* durable calls continue in the same databases */
  make_plan(p, k);
  side raw_side = { NULL, &r, &raw_libpq };
  res.raw_rate = durable(&raw_side, p);
  raw_close(&r);
  city_now = after;
  res.lib_rate = durable(&sd, p);
  cbc_db_close(sd.lib);

  city_random_reset();
  if (forms)
    measure_forms(nm->lib, p->w, forms, res.form_lib, res.form_raw);
  return res;
}

/* The org (and a cadre assigned to each enterprise, so that the forms
 * count assigned units) into a new template database; its tables that hold
 * rows vacuumed and analysed (what autovacuum does after an import), the
 * empty ones left never analysed as in any new database: an analysed empty
 * table has "0 rows" in its statistics, and the plans cached while it grows
 * (the foreign-key checks of hazard_events, the report-order trigger) then
 * scan it whole until the next autovacuum analyses it; closed to
 * connections so that nothing (autovacuum) holds it when it is copied. */
static void build_template(PGconn *admin, const char *tmpl, city *w)
{
  char uri[300], sql[200];
  db_drop(admin, tmpl);
  snprintf(sql, sizeof(sql), "CREATE DATABASE %s", tmpl);
  pg_do(admin, sql);
  uri_of(uri, sizeof(uri), tmpl);
  double t0 = city_wall_s();
  cbc_db *db = city_open(uri, CBC_DB_CREATE, false);
  city_build(db, w);
  city_ok(cbc_db_begin(db), "begin");
  for (size_t e = 0; e < w->c.enterprises; e++)
    city_ok(cbc_cadre_assign(NULL, db, w->cadre[e % w->c.districts], w->enterprise[e], city_now,
                             0), "assign");
  city_ok(cbc_db_commit(db), "commit");
  cbc_db_close(db);
  double t1 = city_wall_s();
  PGconn *c = pg_connect(tmpl);
  PGresult *r = pg_check(c, PQexec(c, "SELECT tablename FROM pg_tables"
                                      " WHERE schemaname = current_schema() ORDER BY 1"),
                         "tables");
  for (int i = 0; i < PQntuples(r); i++) {
    char any[8];
    snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)", PQgetvalue(r, i, 0));
    pg_value(c, sql, any, sizeof(any));
    snprintf(sql, sizeof(sql), "VACUUM ANALYZE %s", PQgetvalue(r, i, 0));
    if (!strcmp(any, "t"))
      pg_do(c, sql);
  }
  PQclear(r);
  PQfinish(c);
  snprintf(sql, sizeof(sql), "ALTER DATABASE %s WITH ALLOW_CONNECTIONS false", tmpl);
  pg_do(admin, sql);
  printf("  org synced in %.1f s, analysed in %.1f s\n", t1 - t0, city_wall_s() - t1);
}

static int usage(const char *argv0)
{
  fprintf(stderr, "usage: %s [--enterprises E] [--districts D] [--employees N] [--hazards H] "
                  "[--months M] [--batch B] [--durable K] [--forms F] [--runs R] [--quick] "
                  "[--keep]\n", argv0);
  return 2;
}

static void print_server(times t)
{
  if (t.server >= 0)
    printf(", server %.2f s", t.server);
}

int main(int argc, char **argv)
{
  city_program = "pg_bench";
  city_config c = { 10000, 100, 1000000, 100000, 24 };
  size_t batch = 1000, k = 1000, forms = 200;
  int runs = 3;
  bool keep = false;
  const char *dir = NULL;
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      c = (city_config){ 40, 4, 1200, 1000, 12 }, batch = 100, k = 50, forms = 10, runs = 1;
    else if (!strcmp(argv[i], "--keep"))
      keep = true;
    else if (!strcmp(argv[i], "--forms") && i + 1 < argc)
      forms = strtoull(argv[++i], NULL, 10);
    else if (!lifecycle_option(argc, argv, &i, &batch, &k) &&
             !city_option(argc, argv, &i, &c, &runs, &dir))
      return usage(argv[0]);
  }
  if (!lifecycle_config_ok(&c, runs, batch, k))
    return usage(argv[0]);
  if (!getenv("PGHOST") && !getenv("PGSERVICE")) {
    fprintf(stderr, "pg_bench: no PostgreSQL named (PGHOST unset); run it as "
                    "scripts/with-postgres %s\n", argv[0]);
    return 1;
  }
  names nm;
  snprintf(nm.tmpl, sizeof(nm.tmpl), "pgbench_%d_tmpl", (int)getpid());
  snprintf(nm.lib, sizeof(nm.lib), "pgbench_%d_lib", (int)getpid());
  snprintf(nm.raw, sizeof(nm.raw), "pgbench_%d_raw", (int)getpid());
  PGconn *admin = pg_connect("postgres");
  char fsync[16], version[32];
  pg_value(admin, "SHOW fsync", fsync, sizeof(fsync));
  pg_value(admin, "SHOW server_version", version, sizeof(version));

  city w;
  city_init(&w, &c);
  printf("pg_bench: PostgreSQL %s (fsync=%s); %zu enterprises in %zu districts, %zu employees;"
         " %zu hazards x 5 moves over %d months in groups of %zu; %zu + %zu durable calls;"
         " %zu forms of each kind; %d run(s)\n", version, fsync, c.enterprises, c.districts,
         w.c.employees, c.hazards, c.months, batch, k, k, forms, runs);
  build_template(admin, nm.tmpl, &w);
  plan p;
  plan_init(&p, &w, c.hazards, batch);
  static double life[LIFECYCLE_MAX_RUNS], cpu[LIFECYCLE_MAX_RUNS], dur[LIFECYCLE_MAX_RUNS],
    lt[LIFECYCLE_MAX_RUNS], rt[LIFECYCLE_MAX_RUNS], lr[LIFECYCLE_MAX_RUNS],
    rr[LIFECYCLE_MAX_RUNS], ls[LIFECYCLE_MAX_RUNS], rs[LIFECYCLE_MAX_RUNS],
    fl[FORM_KINDS][LIFECYCLE_MAX_RUNS], fr[FORM_KINDS][LIFECYCLE_MAX_RUNS],
    fq[FORM_KINDS][LIFECYCLE_MAX_RUNS];
  for (int r = 0; r < runs; r++) {
    run_result res = one_run(admin, &nm, &p, c.hazards, k, forms, r == 0);
    lt[r] = res.lib.wall, rt[r] = res.raw.wall, lr[r] = res.lib_rate, rr[r] = res.raw_rate;
    ls[r] = res.lib.server, rs[r] = res.raw.server;
    life[r] = lt[r] / rt[r];
    cpu[r] = res.lib.cpu / res.raw.cpu;
    dur[r] = lr[r] / rr[r];
    printf("  run %d: lifecycle libcbc %.3f s (client CPU %.2f s", r + 1, lt[r], res.lib.cpu);
    print_server(res.lib);
    printf("), raw %.3f s (client CPU %.2f s", rt[r], res.raw.cpu);
    print_server(res.raw);
    printf("): %.2f; durable libcbc %.0f/s, raw %.0f/s (%.2f)\n", life[r], lr[r], rr[r], dur[r]);
    for (int f = 0; forms && f < FORM_KINDS; f++) {
      fl[f][r] = res.form_lib[f], fr[f][r] = res.form_raw[f];
      fq[f][r] = fl[f][r] / fr[f][r];
    }
    if (forms) {
      printf("  run %d: forms, ms (libcbc / SQL):", r + 1);
      for (int f = 0; f < FORM_KINDS; f++)
        printf("%s %s %s %.3f / %.3f", f ? "," : "", node_name[f / 3], period_name[f % 3],
               fl[f][r], fr[f][r]);
      printf("\n");
    }
  }
  double l = median(life, (size_t)runs), d = median(dur, (size_t)runs);
  printf("lifecycle_vs_raw: median ratio %.2f (libcbc %.3f s, raw %.3f s; client CPU ratio "
         "%.2f", l, median(lt, (size_t)runs), median(rt, (size_t)runs),
         median(cpu, (size_t)runs));
  if (ls[0] >= 0 && rs[0] >= 0)
    printf("; server CPU libcbc %.2f s, raw %.2f s", median(ls, (size_t)runs),
           median(rs, (size_t)runs));
  printf(")\n");
  printf("durable_rate: median ratio %.2f (libcbc %.0f calls/s, raw %.0f/s)%s\n", d,
         median(lr, (size_t)runs), median(rr, (size_t)runs),
         strcmp(fsync, "on") ? " [fsync is off: not a durable figure]" : "");
  for (int f = 0; forms && f < FORM_KINDS; f++)
    printf("form_%s_%s: median ratio %.2f (libcbc %.3f ms, SQL %.3f ms; medians over %zu "
           "forms per run)\n", node_name[f / 3], period_name[f % 3],
           median(fq[f], (size_t)runs), median(fl[f], (size_t)runs),
           median(fr[f], (size_t)runs), forms);
  plan_free(&p);
  city_free(&w);
  if (!keep) {
    db_drop(admin, nm.lib);
    db_drop(admin, nm.raw);
    db_drop(admin, nm.tmpl);
  }
  PQfinish(admin);
  return 0;
}
