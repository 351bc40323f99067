/* Benchmark of the HR sync (issue: foundation), as ratios against raw SQLite
 * doing the same work in the same run.
 *
 *   org_sync_bench [--employees N] [--units N] [--runs K] [--quick] [--dir DIR]
 *
 * 1. sync_vs_raw: full sync of N employees in M units from C arrays into a
 *    fresh database file, against raw SQLite inserting the same rows with the
 *    same schema and indexes in one prepared transaction.     target <= 1.5
 * 2. resync_vs_sync: the same sync again, nothing changed.     target <= 0.5
 * 3. import RSS: peak RSS of a process importing a CSV of N/10 and of N
 *    employees; target < 100 MB and flat (ratio close to 1).
 * Both sides use WAL with synchronous=NORMAL and foreign keys on.  Reported
 * figures are medians over the runs.  Only the public API and SQLite. */
#include <cbc.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The schema libcbc creates for the organisation (lib/store/schema.c,
 * migration 0 -> 1), so the raw side maintains the same indexes. */
static const char *const schema_sql =
  "CREATE TABLE units(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES units(id),"
  " kind INTEGER NOT NULL CHECK(kind BETWEEN 1 AND 4), external_id TEXT NOT NULL UNIQUE,"
  " name TEXT NOT NULL, industry TEXT NOT NULL DEFAULT '', high_risk INTEGER NOT NULL DEFAULT 0,"
  " created_at INTEGER NOT NULL, closed_at INTEGER NOT NULL DEFAULT 0, path TEXT NOT NULL);"
  "CREATE INDEX units_parent ON units(parent_id);"
  "CREATE INDEX units_path ON units(path);"
  "CREATE TABLE employees(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
  " name TEXT NOT NULL, post TEXT NOT NULL DEFAULT '',"
  " unit_id INTEGER NOT NULL REFERENCES units(id), roles INTEGER NOT NULL,"
  " active INTEGER NOT NULL, hire_date INTEGER NOT NULL, created_at INTEGER NOT NULL,"
  " unit_since INTEGER NOT NULL, left_at INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX employees_unit ON employees(unit_id);";

typedef struct dataset {
  cbc_unit_record *units;
  cbc_employee_record *employees;
  size_t n_units, n_employees;
  size_t *unit_parent;      /* index of the parent unit, or SIZE_MAX */
  size_t *employee_team;    /* index of the employee's team */
  char *text;               /* all strings */
} dataset;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
  fprintf(stderr, "org_sync_bench: %s: %s\n", what, cbc_error_last()->message);
  exit(1);
}

/* Regions 1/500 of the units, enterprises 1/20, workshops 1/5, teams the rest. */
static void make_dataset(dataset *d, size_t n_units, size_t n_employees)
{
  size_t regions = n_units / 500 ? n_units / 500 : 1, ents = n_units / 20 ? n_units / 20 : 1;
  size_t shops = n_units / 5 ? n_units / 5 : 1;
  size_t teams = n_units - regions - ents - shops;
  d->n_units = n_units;
  d->n_employees = n_employees;
  d->units = calloc(n_units, sizeof(*d->units));
  d->employees = calloc(n_employees, sizeof(*d->employees));
  d->unit_parent = calloc(n_units, sizeof(size_t));
  d->employee_team = calloc(n_employees, sizeof(size_t));
  d->text = malloc((n_units + n_employees) * 64);
  if (!d->units || !d->employees || !d->unit_parent || !d->employee_team || !d->text)
    exit(1);
  char *t = d->text;
  for (size_t i = 0; i < n_units; i++) {
    cbc_unit_record *u = &d->units[i];
    *u = (cbc_unit_record)CBC_UNIT_RECORD_INIT;
    size_t parent;
    if (i < regions) {
      u->kind = CBC_UNIT_REGION, parent = SIZE_MAX;
    } else if (i < regions + ents) {
      u->kind = CBC_UNIT_ENTERPRISE, parent = (i - regions) % regions;
      u->industry = "制造业";
      u->high_risk = (int)(i % 7 == 0);
    } else if (i < regions + ents + shops) {
      u->kind = CBC_UNIT_WORKSHOP, parent = regions + (i - regions - ents) % ents;
    } else {
      u->kind = CBC_UNIT_TEAM, parent = regions + ents + (i - regions - ents - shops) % shops;
    }
    d->unit_parent[i] = parent;
    u->external_id = t;
    t += sprintf(t, "U%07zu", i) + 1;
    u->name = t;
    t += sprintf(t, "单位%zu", i) + 1;
    u->parent_external_id = parent == SIZE_MAX ? NULL : d->units[parent].external_id;
  }
  for (size_t i = 0; i < n_employees; i++) {
    cbc_employee_record *e = &d->employees[i];
    size_t team = regions + ents + shops + i % teams;
    *e = (cbc_employee_record)CBC_EMPLOYEE_RECORD_INIT;
    d->employee_team[i] = team;
    e->external_id = t;
    t += sprintf(t, "E%08zu", i) + 1;
    e->name = t;
    t += sprintf(t, "职工%zu", i) + 1;
    e->post = "操作工";
    e->unit_external_id = d->units[team].external_id;
    e->roles = i % 50 == 0 ? CBC_ROLE_TEAM_LEADER : CBC_ROLE_WORKER;
    e->hire_date = 1500000000 + (int64_t)(i % 3000) * 86400;
  }
}

static cbc_db *open_fresh(const char *path)
{
  char buf[600];
  unlink(path);
  snprintf(buf, sizeof(buf), "%s-wal", path);
  unlink(buf);
  snprintf(buf, sizeof(buf), "%s-shm", path);
  unlink(buf);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.synchronous = CBC_DB_SYNC_NORMAL;
  cbc_db *db = NULL; /* returned as is for an empty path */
  if (path[0] && cbc_db_open(&db, path, &o) != 0)
    die("open");
  return db;
}

static double time_sync(cbc_db *db, const dataset *d, size_t *changed)
{
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.mode = CBC_SYNC_FULL;
  o.flags = CBC_SYNC_STRICT;
  cbc_sync_result *r;
  double t0 = now_s();
  if (cbc_org_sync(&r, db, d->units, d->n_units, d->employees, d->n_employees, &o) != 0)
    die("sync");
  double t = now_s() - t0;
  *changed = r->units.added + r->units.updated + r->employees.added + r->employees.updated;
  cbc_sync_result_free(r);
  return t;
}

static void sql_ok(int rc, sqlite3 *db, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "org_sync_bench: raw %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

/* The path libcbc stores: each id as its digit count and digits. */
static void append_segment(char *path, int64_t id)
{
  char digits[24];
  int n = sprintf(digits, "%" PRId64, id);
  sprintf(path + strlen(path), "%c%s/", '0' + n, digits);
}

static double time_raw(const char *path, const dataset *d)
{
  sqlite3 *db;
  cbc_db_close(open_fresh(path)); /* only to remove the files */
  unlink(path);
  sql_ok(sqlite3_open(path, &db), db, "open");
  sql_ok(sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;"
                          "PRAGMA synchronous=NORMAL", NULL, NULL, NULL), db, "pragmas");
  sql_ok(sqlite3_exec(db, schema_sql, NULL, NULL, NULL), db, "schema");
  char (*paths)[96] = calloc(d->n_units, 96);
  sqlite3_stmt *ui, *ei;
  double t0 = now_s();
  sql_ok(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
  sql_ok(sqlite3_prepare_v2(db, "INSERT INTO units(id, parent_id, kind, external_id, name,"
                                " industry, high_risk, created_at, closed_at, path)"
                                " VALUES (?,?,?,?,?,?,?,?,0,?)", -1, &ui, NULL), db, "prepare");
  for (size_t i = 0; i < d->n_units; i++) {
    const cbc_unit_record *u = &d->units[i];
    size_t p = d->unit_parent[i];
    strcpy(paths[i], p == SIZE_MAX ? "/" : paths[p]);
    append_segment(paths[i], (int64_t)i + 1);
    sqlite3_bind_int64(ui, 1, (int64_t)i + 1);
    if (p == SIZE_MAX)
      sqlite3_bind_null(ui, 2);
    else
      sqlite3_bind_int64(ui, 2, (int64_t)p + 1);
    sqlite3_bind_int(ui, 3, u->kind);
    sqlite3_bind_text(ui, 4, u->external_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ui, 5, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(ui, 6, u->industry ? u->industry : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(ui, 7, u->high_risk);
    sqlite3_bind_int64(ui, 8, 1700000000);
    sqlite3_bind_text(ui, 9, paths[i], -1, SQLITE_STATIC);
    sql_ok(sqlite3_step(ui), db, "unit insert");
    sqlite3_reset(ui);
  }
  sql_ok(sqlite3_prepare_v2(db, "INSERT INTO employees(external_id, name, post, unit_id, roles,"
                                " active, hire_date, unit_since, left_at, created_at)"
                                " VALUES (?,?,?,?,?,?,?,?,0,?)", -1, &ei, NULL), db, "prepare");
  for (size_t i = 0; i < d->n_employees; i++) {
    const cbc_employee_record *e = &d->employees[i];
    sqlite3_bind_text(ei, 1, e->external_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ei, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(ei, 3, e->post, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ei, 4, (int64_t)d->employee_team[i] + 1);
    sqlite3_bind_int(ei, 5, (int)e->roles);
    sqlite3_bind_int(ei, 6, e->active);
    sqlite3_bind_int64(ei, 7, e->hire_date);
    sqlite3_bind_int64(ei, 8, e->hire_date);
    sqlite3_bind_int64(ei, 9, 1700000000);
    sql_ok(sqlite3_step(ei), db, "employee insert");
    sqlite3_reset(ei);
  }
  sql_ok(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
  double t = now_s() - t0;
  sqlite3_finalize(ui);
  sqlite3_finalize(ei);
  sqlite3_close(db);
  free(paths);
  return t;
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

/* Write the dataset's units and its first n employees as CSV files. */
static void write_csv(const dataset *d, size_t n, const char *units, const char *emps)
{
  FILE *f = fopen(units, "w");
  if (!f)
    exit(1);
  fputs("external_id,parent_external_id,kind,name,industry,high_risk\n", f);
  for (size_t i = 0; i < d->n_units; i++) {
    const cbc_unit_record *u = &d->units[i];
    fprintf(f, "%s,%s,%s,%s,%s,%d\n", u->external_id, u->parent_external_id ? u->parent_external_id : "",
            cbc_unit_kind_name(u->kind), u->name, u->industry ? u->industry : "", u->high_risk);
  }
  fclose(f);
  if (!(f = fopen(emps, "w")))
    exit(1);
  fputs("external_id,name,post,unit_external_id,roles,active,hire_date\n", f);
  for (size_t i = 0; i < n; i++) {
    const cbc_employee_record *e = &d->employees[i];
    fprintf(f, "%s,%s,%s,%s,%s,1,2020-01-%02zu\n", e->external_id, e->name, e->post,
            e->unit_external_id, cbc_role_name(e->roles), 1 + i % 28);
  }
  fclose(f);
}

/* Peak RSS (MB) of a child process importing the files.  The child reports
 * its own VmHWM, which starts afresh at exec (getrusage's ru_maxrss would
 * include the forked copy of this process's data set). */
static double import_rss(const char *self, const char *db, const char *units, const char *emps)
{
  char cmd[1400];
  snprintf(cmd, sizeof(cmd), "'%s' --import-child '%s' '%s' '%s'", self, db, units, emps);
  FILE *p = popen(cmd, "r");
  double kb = -1;
  if (!p || fscanf(p, "%lf", &kb) != 1 || pclose(p) != 0 || kb <= 0) {
    fprintf(stderr, "org_sync_bench: the import child failed\n");
    exit(1);
  }
  return kb / 1024.0;
}

static long vm_hwm_kb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
      break;
  if (f)
    fclose(f);
  return kb;
}

static int import_child(const char *db_path, const char *units, const char *emps)
{
  cbc_db *db = open_fresh(db_path);
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.mode = CBC_SYNC_FULL;
  cbc_sync_result *r = NULL;
  if (cbc_org_import(&r, db, units, emps, CBC_FORMAT_CSV, &o, NULL, NULL) != 0)
    die("import");
  int ok = r->error_count == 0;
  cbc_sync_result_free(r);
  cbc_db_close(db);
  printf("%ld\n", vm_hwm_kb());
  return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
  size_t n_emp = 1000000, n_units = 10000;
  int runs = 3;
  char dir[256] = "";
  if (argc == 5 && !strcmp(argv[1], "--import-child"))
    return import_child(argv[2], argv[3], argv[4]);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick")) {
      n_emp = 50000, n_units = 1000, runs = 1;
    } else if (!strcmp(argv[i], "--employees") && i + 1 < argc) {
      n_emp = strtoull(argv[++i], NULL, 10);
    } else if (!strcmp(argv[i], "--units") && i + 1 < argc) {
      n_units = strtoull(argv[++i], NULL, 10);
    } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
      snprintf(dir, sizeof(dir), "%s", argv[++i]);
    } else {
      fprintf(stderr, "usage: %s [--employees N] [--units N] [--runs K] [--quick] [--dir DIR]\n",
              argv[0]);
      return 2;
    }
  }
  if (runs < 1 || runs > 50 || n_units < 100 || n_emp < 100)
    return 2;
  if (!dir[0]) {
    snprintf(dir, sizeof(dir), "/tmp/cbc-bench-XXXXXX");
    if (!mkdtemp(dir))
      return 1;
  }
  char lib_db[300], raw_db[300], units_csv[300], emps_csv[300], imp_db[300];
  snprintf(lib_db, sizeof(lib_db), "%s/lib.db", dir);
  snprintf(raw_db, sizeof(raw_db), "%s/raw.db", dir);
  snprintf(units_csv, sizeof(units_csv), "%s/units.csv", dir);
  snprintf(emps_csv, sizeof(emps_csv), "%s/employees.csv", dir);
  snprintf(imp_db, sizeof(imp_db), "%s/import.db", dir);
  dataset d;
  make_dataset(&d, n_units, n_emp);
  printf("org_sync_bench: %zu employees in %zu units, %d run(s), WAL + synchronous=NORMAL\n",
         n_emp, n_units, runs);
  double lib_t[50], raw_t[50], re_t[50], sync_ratio[50], resync_ratio[50];
  for (int r = 0; r < runs; r++) {
    size_t changed;
    raw_t[r] = time_raw(raw_db, &d);
    cbc_db *db = open_fresh(lib_db);
    lib_t[r] = time_sync(db, &d, &changed);
    re_t[r] = time_sync(db, &d, &changed);
    if (changed != 0)
      die("the re-sync changed rows");
    cbc_db_close(db);
    sync_ratio[r] = lib_t[r] / raw_t[r];
    resync_ratio[r] = re_t[r] / lib_t[r];
    printf("  run %d: raw %.3f s, libcbc sync %.3f s, re-sync %.3f s\n", r + 1, raw_t[r],
           lib_t[r], re_t[r]);
  }
  double sr = median(sync_ratio, runs), rr = median(resync_ratio, runs);
  printf("sync_vs_raw: median ratio %.2f (libcbc %.3f s, raw %.3f s) target <= 1.50 %s\n", sr,
         median(lib_t, runs), median(raw_t, runs), sr <= 1.5 ? "PASS" : "MISS");
  printf("resync_vs_sync: median ratio %.2f (re-sync %.3f s) target <= 0.50 %s\n", rr,
         median(re_t, runs), rr <= 0.5 ? "PASS" : "MISS");
  write_csv(&d, n_emp / 10, units_csv, emps_csv);
  double small = import_rss(argv[0], imp_db, units_csv, emps_csv);
  write_csv(&d, n_emp, units_csv, emps_csv);
  double large = import_rss(argv[0], imp_db, units_csv, emps_csv);
  printf("import_rss: peak %.1f MB for %zu employees, %.1f MB for %zu; growth %.2fx; "
         "target < 100 MB and flat %s\n", small, n_emp / 10, large, n_emp, large / small,
         large < 100 && large / small < 1.5 ? "PASS" : "MISS");
  const char *files[] = { lib_db, raw_db, units_csv, emps_csv, imp_db };
  for (size_t i = 0; i < 5; i++) {
    char buf[320];
    unlink(files[i]);
    snprintf(buf, sizeof(buf), "%s-wal", files[i]);
    unlink(buf);
    snprintf(buf, sizeof(buf), "%s-shm", files[i]);
    unlink(buf);
  }
  rmdir(dir);
  free(d.units), free(d.employees), free(d.unit_parent), free(d.employee_team), free(d.text);
  return 0;
}
