/* The reward evaluation at scale (docs/rewards.md, "At scale"): it is
 * decided and written in chunks of the unit tree, each in a write
 * transaction of its own, and gives the decisions and awards of one
 * chunk; a run abandoned midway (an allocation failure, a killed process)
 * keeps its committed chunks and a rerun gives exactly the awards of an
 * uninterrupted run; the figures of the collective rules are the same
 * whether a subtree's records are read by its units (a small subtree) or
 * by the period's time (a large one); and a change another connection
 * commits between chunks (a hazard reopened, a policy set) is seen by the
 * chunks after it, never written stale. */
#include "helpers.h"
#include "reward_internal.h"
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now;
static const int64_t HOUR = 3600, DAY = 86400;

#define ENTERPRISES 10

static int64_t at(int year, int month, int day)
{
  return cbc_test_date(year, month, day) + 9 * HOUR;
}
static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* CITY over ENTERPRISES enterprises Ee, each with workshop We over teams
 * Tea and Teb; in Tea leader Lea, worker Aea and principal Pe; in Teb
 * leader Leb, worker Beb and safety officer Se; union cadre K1 at CITY.
 * 41 units: an enterprise's subtree (4) is small (under an eighth). */
static void seed(cbc_db *db)
{
  enum { UNITS = 1 + 4 * ENTERPRISES, PEOPLE = 1 + 6 * ENTERPRISES };
  static char names[UNITS + PEOPLE][3][8];
  cbc_unit_record units[UNITS];
  cbc_employee_record people[PEOPLE];
  size_t nu = 0, np = 0;
  units[nu++] = (cbc_unit_record){ 1, "CITY", NULL, CBC_UNIT_REGION, "市总工会", NULL, 0 };
  people[np++] = (cbc_employee_record){ 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 };
  for (int e = 0; e < ENTERPRISES; e++) {
    char(*n)[8] = names[nu];
    snprintf(n[0], 8, "E%d", e);
    units[nu++] = (cbc_unit_record){ 1, n[0], "CITY", CBC_UNIT_ENTERPRISE, n[0], NULL, 0 };
    n = names[nu];
    snprintf(n[0], 8, "W%d", e);
    snprintf(n[1], 8, "E%d", e);
    units[nu++] = (cbc_unit_record){ 1, n[0], n[1], CBC_UNIT_WORKSHOP, n[0], NULL, 0 };
    for (int t = 0; t < 2; t++) {
      n = names[nu];
      snprintf(n[0], 8, "T%d%c", e, 'a' + t);
      snprintf(n[1], 8, "W%d", e);
      units[nu++] = (cbc_unit_record){ 1, n[0], n[1], CBC_UNIT_TEAM, n[0], NULL, 0 };
    }
    static const char *const who[6] = { "L%da", "A%da", "P%d", "L%db", "B%db", "S%d" };
    static const unsigned int roles[6] = { CBC_ROLE_TEAM_LEADER, CBC_ROLE_WORKER,
                                           CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER,
                                           CBC_ROLE_TEAM_LEADER, CBC_ROLE_WORKER,
                                           CBC_ROLE_SAFETY_OFFICER };
    for (int i = 0; i < 6; i++) {
      n = names[UNITS + np];
      snprintf(n[0], 8, who[i], e);
      snprintf(n[1], 8, "T%d%c", e, i < 3 ? 'a' : 'b');
      people[np++] = (cbc_employee_record){ 1, n[0], n[0], NULL, n[1], roles[i], 1, 0 };
    }
  }
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, nu, people, np, NULL));
  cbc_sync_result_free(res);
}

/* A hazard of @p severity reported by @p who in @p team at @p when. */
static int64_t report(cbc_db *db, const char *who, const char *team, int64_t when,
                      cbc_severity severity)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, who);
  r.unit_id = U(db, team);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = severity;
  now = when;
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  return id;
}

/* Register hazard @p id (by enterprise @p e's principal) with a deadline
 * @p days ahead and start it. */
static void start(cbc_db *db, int64_t id, int e, cbc_severity severity, int days)
{
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  char p[16];
  snprintf(p, sizeof(p), "P%d", e);
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = severity;
  g.level = CBC_LEVEL_ENTERPRISE;
  g.measures = "整改";
  g.deadline = now + days * DAY;
  g.contingency_plan = "警示";
  g.plan = &plan; /* an enterprise-level hazard needs its plan */
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, p), &g));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, p)));
}

/* ... then close it @p days after its report (verified by the safety officer). */
static void close_after(cbc_db *db, int64_t id, int e, int days)
{
  char p[16], s[16];
  snprintf(p, sizeof(p), "P%d", e);
  snprintf(s, sizeof(s), "S%d", e);
  now += days * DAY;
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, p), "已整改", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, s), 1, NULL, NULL, 0));
}

/* -------------------------------------------------------- file copies */

/* The awards as a caller compares them: one line each, sorted. */
typedef struct ledger {
  char (*line)[160];
  size_t n;
} ledger;

static int by_line(const void *a, const void *b) { return strcmp(a, b); }

static ledger ledger_of(cbc_db *db)
{
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  ledger l = { calloc(all->count + 1, sizeof(*l.line)), all->count };
  for (size_t i = 0; i < all->count; i++) {
    const cbc_award *a = all->items[i];
    snprintf(l.line[i], sizeof(l.line[i]), "%d %d %lld %s %lld %lld %lld %lld", a->rule,
             a->subject_kind, (long long)a->subject_id, a->cause, (long long)a->hazard_id,
             (long long)a->amount_fen, (long long)a->unit_id, (long long)a->policy_version);
  }
  qsort(l.line, l.n, sizeof(*l.line), by_line);
  cbc_awards_free(all);
  return l;
}

static void assert_same_ledger(const ledger *a, const ledger *b)
{
  assert_int_equal(a->n, b->n);
  for (size_t i = 0; i < a->n; i++)
    assert_string_equal(a->line[i], b->line[i]);
}

static const cbc_period year2025 = { CBC_PERIOD_YEAR, 2025, 0, 0, 0 };

/* The chunk the tests force: about one enterprise of the owed world. */
#define SMALL_CHUNK 60

/* Awards in the ledger before each chunk of the reference run. */
static struct {
  const char *path;
  size_t n, before[64];
} prefix;

static void count_before_chunk(size_t chunk, void *payload)
{
  (void)payload;
  cbc_db *other = cbc_test_db_file(prefix.path, &now);
  ledger l = ledger_of(other);
  if (chunk < 64)
    prefix.before[prefix.n++] = l.n;
  free(l.line);
  cbc_db_close(other);
}

static bool is_prefix(size_t kept)
{
  for (size_t i = 0; i < prefix.n; i++)
    if (prefix.before[i] == kept)
      return true;
  return false;
}

/* --------------------------------------------------- batches, resumed */

/* More hazards closed in 2025 than two batches hold, while general hazards
 * paid nothing; then they pay: the year's evaluation owes them all. */
#define OWED (2 * CBC_EVALUATE_AWARD_BATCH + 40)

static const char *owed_world(void)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s", cbc_test_path("owed.db"));
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  seed(db);
  for (int i = 0; i < OWED; i++) {
    int e = i % ENTERPRISES;
    char who[8], team[8];
    snprintf(who, sizeof(who), "A%da", e);
    snprintf(team, sizeof(team), "T%da", e);
    int64_t id = report(db, who, team, at(2025, 1 + i % 11, 1 + i % 27), CBC_SEVERITY_GENERAL);
    start(db, id, e, CBC_SEVERITY_GENERAL, 30);
    close_after(db, id, e, 1 + i % 20); /* by Dec 18: in the year */
  }
  now = at(2025, 12, 31);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": "
                                         "100}}}", E(db, "K1")));
  cbc_db_close(db);
  return path;
}

/* Evaluate the year for real on a copy of @p world in small chunks; the
 * ledger (and in prefix, the awards before each chunk). */
static ledger evaluated(const char *world, const char *copy)
{
  cbc_test_copy_file(world, copy);
  now = at(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(copy, &now);
  cbc_reward_decisions *ds;
  size_t chunks = 0;
  prefix.path = copy;
  prefix.n = 0;
  assert_cbc_ok(cbc__reward_evaluate_chunked(&ds, db, U(db, "CITY"), &year2025, 0, 0,
                                             SMALL_CHUNK, count_before_chunk, NULL, &chunks));
  assert_true(chunks >= ENTERPRISES / 2);
  size_t eligible = 0;
  for (size_t i = 0; i < ds->count; i++)
    eligible += ds->decisions[i].eligible && ds->decisions[i].award_id > 0;
  ledger l = ledger_of(db);
  assert_int_equal(l.n, eligible);
  cbc_reward_decisions_free(ds);
  cbc_db_close(db);
  return l;
}

/* An evaluation in small chunks failing at allocation @p n of a copy,
 * then run again without failures and in one chunk: returns the awards
 * the failed run left (-1: it succeeded) and checks the rerun's ledger
 * equals @p want. */
static long fail_then_rerun(const char *world, const char *copy, long n, const ledger *want,
                            long *allocations)
{
  cbc_test_copy_file(world, copy);
  now = at(2026, 1, 5);
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db_file(copy, &now);
  int64_t city = U(db, "CITY");
  cbc_reward_decisions *ds = NULL;
  long before = cbc_test_alloc_count();
  cbc_test_fail_after(n);
  int rc = cbc__reward_evaluate_chunked(&ds, db, city, &year2025, 0, 0, SMALL_CHUNK, NULL, NULL,
                                        NULL);
  int failed = cbc_test_alloc_failed();
  cbc_test_fail_after(0);
  *allocations = cbc_test_alloc_count() - before;
  assert_true(!rc || failed); /* a failure may be absorbed (a cache, a retry) */
  cbc_reward_decisions_free(ds);
  ledger left = ledger_of(db);
  long kept = rc ? (long)left.n : -1;
  free(left.line);
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, city, &year2025, 0));
  cbc_reward_decisions_free(ds);
  ledger again = ledger_of(db);
  assert_same_ledger(&again, want);
  free(again.line);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return kept;
}

/* A failure at any point keeps whole chunks only (the awards of the
 * chunks before it, below the total), and the rerun completes the ledger
 * exactly. */
static void test_failed_evaluation_resumes(void **state)
{
  (void)state;
  const char *world = owed_world();
  char copy[512];
  snprintf(copy, sizeof(copy), "%s", cbc_test_path("owed-copy.db"));
  ledger want = evaluated(world, copy);
  assert_true(want.n >= OWED);
  long total;
  assert_int_equal(fail_then_rerun(world, copy, 0, &want, &total), -1);
  /* 60 points spread over the run (fewer under valgrind's stride) */
  long want_points = 60 / cbc_test_fault_stride() > 8 ? 60 / cbc_test_fault_stride() : 8;
  long stride = total / want_points > 0 ? total / want_points : 1, points = 0, partial = 0;
  for (long n = 1; n <= total; n += stride, points++) {
    long allocations, kept = fail_then_rerun(world, copy, n, &want, &allocations);
    assert_true(kept < (long)want.n);
    assert_true(kept <= 0 || is_prefix((size_t)kept));
    partial += kept > 0;
  }
  print_message("%zu awards; %ld allocations; %ld failure points (every %ld-th), %ld of them "
                "after a chunk was committed\n", want.n, total, points, stride, partial);
  assert_true(partial > 0);
  free(want.line);
  cbc_test_unlink(copy);
  cbc_test_unlink(world);
}

static double wall_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A child evaluating @p copy for real, killed after @p seconds (or done
 * before); the awards it left. */
static size_t killed_after(const char *copy, double seconds)
{
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    now = at(2026, 1, 5);
    cbc_db *db = cbc_test_db_file(copy, &now);
    cbc_reward_decisions *ds = NULL;
    int rc = cbc__reward_evaluate_chunked(&ds, db, U(db, "CITY"), &year2025, 0, 0, SMALL_CHUNK,
                                          NULL, NULL, NULL);
    cbc_reward_decisions_free(ds); /* a child that finishes leaks nothing (valgrind) */
    cbc_db_close(db);
    _exit(rc ? 3 : 0);
  }
  nanosleep(&(struct timespec){ 0, (long)(seconds * 1e9) }, NULL);
  kill(child, SIGKILL);
  int status;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
  now = at(2026, 1, 6);
  cbc_db *db = cbc_test_db_file(copy, &now);
  ledger left = ledger_of(db);
  cbc_db_close(db);
  free(left.line);
  return left.n;
}

/* Processes killed at times spread over an evaluation's length: the next
 * evaluation completes each ledger exactly. */
static void test_killed_evaluation_resumes(void **state)
{
  (void)state;
  const char *world = owed_world();
  char copy[512];
  snprintf(copy, sizeof(copy), "%s", cbc_test_path("owed-copy.db"));
  double t0 = wall_s();
  ledger want = evaluated(world, copy);
  double length = wall_s() - t0;
  int midway = 0;
  for (int k = 0; k < 12; k++) {
    cbc_test_copy_file(world, copy);
    size_t left = killed_after(copy, length * 1.5 * k / 12);
    midway += left > 0 && left < want.n;
    now = at(2026, 1, 6);
    cbc_db *db = cbc_test_db_file(copy, &now);
    cbc_reward_decisions *ds;
    assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year2025, 0));
    cbc_reward_decisions_free(ds);
    ledger again = ledger_of(db);
    assert_same_ledger(&again, &want);
    free(again.line);
    cbc_db_close(db);
  }
  print_message("%d of 12 processes killed with part of the %zu awards written\n", midway,
                want.n);
  free(want.line);
  cbc_test_unlink(copy);
  cbc_test_unlink(world);
}

/* ------------------------------------- small and large ranges agree */

/* Hazards of every kind the figures count, spread over the enterprises
 * and the years; trainings and drills. */
static void varied_year(cbc_db *db)
{
  for (int e = 0; e < ENTERPRISES; e++) {
    char a[8], b[8], ta[8], tb[8];
    snprintf(a, sizeof(a), "A%da", e);
    snprintf(b, sizeof(b), "B%db", e);
    snprintf(ta, sizeof(ta), "T%da", e);
    snprintf(tb, sizeof(tb), "T%db", e);
    int64_t h = report(db, a, ta, at(2024, 12, 20), CBC_SEVERITY_GENERAL); /* closed in 2025 */
    start(db, h, e, CBC_SEVERITY_GENERAL, 5);
    close_after(db, h, e, 20 + e); /* late */
    for (int k = 0; k <= e % 3; k++) {
      h = report(db, b, tb, at(2025, 3 + k, 10), CBC_SEVERITY_GENERAL);
      start(db, h, e, CBC_SEVERITY_GENERAL, 30);
      close_after(db, h, e, 2 + 20 * k); /* on time, or not */
    }
    h = report(db, a, ta, at(2025, 5, 1), CBC_SEVERITY_MAJOR); /* overdue at the end */
    start(db, h, e, CBC_SEVERITY_MAJOR, 10 + e);
    if (e % 2) {
      h = report(db, b, tb, at(2025, 7, 1), CBC_SEVERITY_GENERAL);
      char p[8];
      snprintf(p, sizeof(p), "P%d", e);
      assert_cbc_ok(cbc_hazard_reject(db, h, E(db, p), "不是隐患", 0));
    }
    report(db, a, ta, at(2025, 11, 1), CBC_SEVERITY_GENERAL); /* still open */
    cbc_attendee att[2] = { { E(db, a), 1 }, { E(db, b), 1 } };
    cbc_training_record t = CBC_TRAINING_RECORD_INIT;
    t.kind = CBC_TRAINING_ALL_STAFF;
    char en[8];
    snprintf(en, sizeof(en), "E%d", e);
    t.unit_id = U(db, en);
    t.held_at = now = at(2025, 2 + e % 10, 3);
    t.minutes = 60;
    t.title = "培训";
    t.attendees = att;
    t.n_attendees = (size_t)(1 + e % 2);
    assert_cbc_ok(cbc_training_add(NULL, db, &t));
    int64_t teams[2] = { U(db, ta), U(db, tb) };
    for (int k = 0; k < 1 + e % 3; k++) {
      cbc_drill_record d = CBC_DRILL_RECORD_INIT;
      d.unit_id = U(db, en);
      d.held_at = now = at(2025, 4 + k, 15);
      d.scenario = "演练";
      d.team_ids = teams;
      d.n_teams = (size_t)(1 + (e + k) % 2);
      assert_cbc_ok(cbc_drill_add(NULL, db, &d));
    }
  }
}

static const cbc_reward_decision *find(const cbc_reward_decisions *ds, cbc_reward_rule rule,
                                       int64_t subject)
{
  for (size_t i = 0; i < ds->count; i++)
    if (ds->decisions[i].rule == rule && ds->decisions[i].subject_id == subject)
      return &ds->decisions[i];
  return NULL;
}

/* Each collective decision of an enterprise's subtree evaluated alone
 * (under an eighth of the units: read by unit) is the root's (read by
 * time), word for word; and the figures are not all zero. */
static void test_small_and_large_ranges_agree(void **state)
{
  (void)state;
  now = at(2024, 12, 1);
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  varied_year(db);
  now = at(2026, 1, 5);
  cbc_reward_decisions *root, *one;
  assert_cbc_ok(cbc_reward_evaluate(&root, db, U(db, "CITY"), &year2025, CBC_EVALUATE_DRY_RUN));
  size_t compared = 0;
  for (int e = 0; e < ENTERPRISES; e++) {
    char en[8];
    snprintf(en, sizeof(en), "E%d", e);
    assert_cbc_ok(cbc_reward_evaluate(&one, db, U(db, en), &year2025, CBC_EVALUATE_DRY_RUN));
    for (size_t i = 0; i < one->count; i++) {
      const cbc_reward_decision *d = &one->decisions[i];
      if (d->rule != CBC_RULE_WORKER_PIONEER && d->rule != CBC_RULE_ANKANG_CUP)
        continue;
      const cbc_reward_decision *r = find(root, d->rule, d->subject_id);
      assert_non_null(r);
      assert_int_equal(r->eligible, d->eligible);
      assert_string_equal(r->reasons, d->reasons);
      compared++;
    }
    cbc_reward_decisions_free(one);
  }
  assert_int_equal(compared, 4 * ENTERPRISES);
  /* workshop 2: reported in 2024 and closed late in 2025, then closed
   * after 2, 22 and 42 days of 30; a major one overdue; 1 of its 6 people
   * trained; its two teams in 3 and 1 drills */
  const cbc_reward_decision *w = find(root, CBC_RULE_WORKER_PIONEER, U(db, "W2"));
  assert_string_equal(w->reasons, "hazards closed 4 < 5; on-time rate 50.0% < 90% (2/4); "
                                  "training coverage 16.6% < 100% (1/6); drill coverage 100.0% "
                                  ">= 100% (2/2); overdue major hazards at the end 1 > 0");
  /* enterprise 3: 2 of 6 trained; one drill of one team; of the 4 reported
   * in 2025, one closed and one rejected */
  const cbc_reward_decision *c = find(root, CBC_RULE_ANKANG_CUP, U(db, "E3"));
  assert_non_null(strstr(c->reasons, "training coverage 33.3% < 100% (2/6); drills 1 < 2; teams "
                                     "in enough drills 0.0% < 100% (0/2); disposal rate 50.0% "
                                     "< 95% (2/4)"));
  cbc_reward_decisions_free(root);
  cbc_db_close(db);
}

/* --------------------------------------------- changed between chunks */

/* Another connection's writes between the evaluating handle's chunks:
 * before chunk @p at, a hazard reopened or a policy set; before every
 * chunk, whether the evaluator committed since the previous one (read by
 * a raw probe's data_version, taken after the other's own writes). */
typedef struct meddler {
  cbc_db *other;
  sqlite3 *probe;
  size_t at, calls, committed_between;
  int done;
  int64_t version_after; /* the probe's data_version after the last call */
  int64_t hazard, actor;
  int64_t policy; /* the version it set (0: reopens hazard) */
} meddler;

static int64_t data_version(sqlite3 *probe)
{
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(probe, "PRAGMA data_version", -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

static void meddle(size_t chunk, void *payload)
{
  meddler *m = payload;
  if (m->calls++ && data_version(m->probe) != m->version_after)
    m->committed_between++;
  if (chunk == m->at && !m->done) {
    m->done = 1;
    if (m->hazard)
      assert_cbc_ok(cbc_hazard_reopen(m->other, m->hazard, m->actor, "回头看"));
    else
      assert_cbc_ok(cbc_policy_set(&m->policy, m->other, "{\"rules\": {\"general_hazard\": "
                                                         "{\"amount_fen\": 200}}}", m->actor));
  }
  m->version_after = data_version(m->probe);
}

/* @p path opened three times: the evaluator (returned), m->other and the
 * raw probe. */
static cbc_db *open_meddled(const char *path, meddler *m)
{
  cbc_db *db = cbc_test_db_file(path, &now);
  m->other = cbc_test_db_file(path, &now);
  assert_int_equal(sqlite3_open(path, &m->probe), SQLITE_OK);
  return db;
}

static void close_meddled(cbc_db *db, meddler *m)
{
  sqlite3_close(m->probe);
  cbc_db_close(m->other);
  cbc_db_close(db);
}

/* @p path, fresh, opened for @p m: the seeded city with @p n hazards
 * (one per enterprise from E0) closed in January 2025 while general
 * hazards paid nothing; then they pay 100.  The hazards in @p ids. */
static cbc_db *unpaid_world(const char *path, meddler *m, int n, int64_t *ids)
{
  cbc_test_unlink(path);
  now = at(2024, 12, 1);
  cbc_db *db = open_meddled(path, m);
  seed(db);
  int64_t k1 = E(db, "K1");
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": "
                                         "0}}}", k1));
  for (int e = 0; e < n; e++) {
    char who[8], team[8];
    snprintf(who, sizeof(who), "A%da", e);
    snprintf(team, sizeof(team), "T%da", e);
    ids[e] = report(db, who, team, at(2025, 1, 2), CBC_SEVERITY_GENERAL);
    start(db, ids[e], e, CBC_SEVERITY_GENERAL, 30);
    close_after(db, ids[e], e, 3);
  }
  now = at(2025, 2, 1);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": "
                                         "100}}}", k1));
  now = at(2026, 1, 5);
  return db;
}

/* The year in chunks of one hazard (an enterprise each), meddled with. */
static cbc_reward_decisions *evaluate_meddled(cbc_db *db, meddler *m)
{
  cbc_reward_decisions *ds;
  size_t chunks = 0;
  assert_cbc_ok(cbc__reward_evaluate_chunked(&ds, db, U(db, "CITY"), &year2025, 0, 0, 1, meddle,
                                             m, &chunks));
  assert_true(m->done);
  assert_int_equal(chunks, ENTERPRISES);
  assert_int_equal(m->calls, ENTERPRISES); /* no finders of major hazards: no medal batch */
  /* every chunk committed before the next began: none spans the evaluation */
  assert_int_equal(m->committed_between, ENTERPRISES - 1);
  return ds;
}

/* The award of hazard @p id in @p ds (0: none). */
static int64_t award_of(const cbc_reward_decisions *ds, int64_t id)
{
  for (size_t i = 0; i < ds->count; i++)
    if (ds->decisions[i].hazard_id == id)
      return ds->decisions[i].award_id;
  return 0;
}

/* The last enterprise's hazard reopened by another connection while the
 * year is evaluated, before its chunk: not closed when its chunk is
 * decided, it gets no award (it earns its award when closed again:
 * docs/rewards.md, "Reopened hazards"); the first enterprise's, reopened
 * after its chunk was written, keeps its award, flagged for review. */
static void test_reopened_between_chunks(void **state)
{
  (void)state;
  int64_t ids[ENTERPRISES];
  for (int first = 0; first < 2; first++) {
    meddler m = { 0 };
    cbc_db *db = unpaid_world(cbc_test_path("reopened.db"), &m, ENTERPRISES, ids);
    int reopened = first ? 0 : ENTERPRISES - 1;
    char principal[8];
    snprintf(principal, sizeof(principal), "P%d", reopened);
    m.hazard = ids[reopened];
    m.actor = E(db, principal);
    m.at = 1;
    cbc_reward_decisions *ds = evaluate_meddled(db, &m);
    for (int e = 0; e < ENTERPRISES; e++)
      if (e == reopened && !first)
        assert_int_equal(award_of(ds, ids[e]), 0);
      else
        assert_true(award_of(ds, ids[e]) > 0);
    cbc_reward_decisions_free(ds);
    cbc_hazard *h;
    assert_cbc_ok(cbc_hazard_lookup(&h, db, m.hazard));
    assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
    cbc_hazard_free(h);
    cbc_awards *all;
    assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
    assert_int_equal(all->count, first ? ENTERPRISES : ENTERPRISES - 1);
    for (size_t i = 0; i < all->count; i++)
      assert_true((all->items[i]->flagged_at != 0) == (all->items[i]->hazard_id == m.hazard));
    cbc_awards_free(all);
    if (!first) {
      close_after(db, m.hazard, reopened, 1); /* closed again: its award now */
      assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
      assert_int_equal(all->count, ENTERPRISES);
      cbc_awards_free(all);
    }
    close_meddled(db, &m);
  }
}

/* A policy set by another connection between chunks: the chunks before it
 * made their awards under the old policy, the chunks after it under the
 * new one (its version and amount); each decision returned is the one
 * written, and the decisions report the last policy. */
static void test_policy_set_between_chunks(void **state)
{
  (void)state;
  int64_t ids[ENTERPRISES];
  meddler m = { 0 };
  cbc_db *db = unpaid_world(cbc_test_path("policy-set.db"), &m, ENTERPRISES, ids);
  m.actor = E(db, "K1");
  m.at = ENTERPRISES / 2;
  cbc_reward_decisions *ds = evaluate_meddled(db, &m);
  assert_true(m.policy > 0);
  assert_int_equal(ds->policy_version, m.policy);
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  assert_int_equal(all->count, ENTERPRISES);
  size_t at_new = 0;
  for (size_t i = 0; i < all->count; i++) {
    const cbc_award *a = all->items[i];
    bool later = false;
    for (int e = ENTERPRISES / 2; e < ENTERPRISES; e++)
      later = later || a->hazard_id == ids[e];
    assert_int_equal(a->amount_fen, later ? 200 : 100);
    assert_true(later ? a->policy_version == m.policy : a->policy_version < m.policy);
    at_new += later;
    for (size_t j = 0; j < ds->count; j++)
      if (ds->decisions[j].award_id == a->id)
        assert_int_equal(ds->decisions[j].amount_fen, a->amount_fen);
  }
  assert_int_equal(at_new, ENTERPRISES - ENTERPRISES / 2);
  cbc_awards_free(all);
  cbc_reward_decisions_free(ds);
  close_meddled(db, &m);
}

/* The same evaluation repeated: every award is found while reading, so
 * it takes no write transaction (it runs while another connection holds
 * the write lock) and returns the same decisions and awards. */
static void test_repeat_commits_nothing(void **state)
{
  (void)state;
  int64_t ids[ENTERPRISES];
  meddler m = { 0 };
  cbc_db *db = unpaid_world(cbc_test_path("repeat.db"), &m, ENTERPRISES, ids);
  cbc_reward_decisions *first, *again;
  int64_t city = U(db, "CITY");
  assert_cbc_ok(cbc__reward_evaluate_chunked(&first, db, city, &year2025, 0, 0, 1, NULL, NULL,
                                             NULL));
  /* the probe holds the write lock: a write transaction would fail busy */
  assert_int_equal(sqlite3_exec(m.probe, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  assert_cbc_ok(cbc__reward_evaluate_chunked(&again, db, city, &year2025, 0, 0, 1, NULL, NULL,
                                             NULL));
  assert_int_equal(sqlite3_exec(m.probe, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(first->count, again->count);
  size_t awarded = 0;
  for (size_t i = 0; i < first->count; i++) {
    assert_int_equal(first->decisions[i].award_id, again->decisions[i].award_id);
    awarded += first->decisions[i].award_id > 0;
  }
  assert_true(awarded >= ENTERPRISES);
  cbc_reward_decisions_free(first);
  cbc_reward_decisions_free(again);
  close_meddled(db, &m);
}

/* ------------------------------------------- chunks agree with one chunk */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)(rng_state >> 33) % n;
}

#define CHUNK_ENTERPRISES 12

/* CITY over districts D0 and D1, D2 inside D1; enterprise e under CITY
 * (e % 4 == 0) or district D(e % 3), each with seed()'s workshop, teams
 * and people; union cadre K1 at CITY. */
static void seed_districts(cbc_db *db)
{
  enum { N = CHUNK_ENTERPRISES, UNITS = 4 + 4 * N, PEOPLE = 1 + 6 * N };
  static char names[UNITS + PEOPLE][2][8];
  cbc_unit_record units[UNITS];
  cbc_employee_record people[PEOPLE];
  size_t nu = 0, np = 0;
  units[nu++] = (cbc_unit_record){ 1, "CITY", NULL, CBC_UNIT_REGION, "市总工会", NULL, 0 };
  units[nu++] = (cbc_unit_record){ 1, "D0", "CITY", CBC_UNIT_REGION, "D0", NULL, 0 };
  units[nu++] = (cbc_unit_record){ 1, "D1", "CITY", CBC_UNIT_REGION, "D1", NULL, 0 };
  units[nu++] = (cbc_unit_record){ 1, "D2", "D1", CBC_UNIT_REGION, "D2", NULL, 0 };
  people[np++] = (cbc_employee_record){ 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 };
  for (int e = 0; e < N; e++) {
    static const char *const parent[3] = { "D0", "D1", "D2" };
    static const char *const kinds[4][2] = { { "E%d", NULL }, { "W%d", "E%d" },
                                             { "T%da", "W%d" }, { "T%db", "W%d" } };
    for (int k = 0; k < 4; k++) {
      char(*n)[8] = names[nu];
      snprintf(n[0], 8, kinds[k][0], e);
      if (kinds[k][1])
        snprintf(n[1], 8, kinds[k][1], e);
      const char *up = k ? n[1] : e % 4 == 0 ? "CITY" : parent[e % 3];
      cbc_unit_kind kind = k == 0 ? CBC_UNIT_ENTERPRISE : k == 1 ? CBC_UNIT_WORKSHOP
                                                                 : CBC_UNIT_TEAM;
      units[nu++] = (cbc_unit_record){ 1, n[0], up, kind, n[0], NULL, 0 };
    }
    static const char *const who[6] = { "L%da", "A%da", "P%d", "L%db", "B%db", "S%d" };
    static const unsigned int roles[6] = { CBC_ROLE_TEAM_LEADER, CBC_ROLE_WORKER,
                                           CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER,
                                           CBC_ROLE_TEAM_LEADER, CBC_ROLE_WORKER,
                                           CBC_ROLE_SAFETY_OFFICER };
    for (int i = 0; i < 6; i++) {
      char(*n)[8] = names[UNITS + np];
      snprintf(n[0], 8, who[i], e);
      snprintf(n[1], 8, "T%d%c", e, i < 3 ? 'a' : 'b');
      people[np++] = (cbc_employee_record){ 1, n[0], n[0], NULL, n[1], roles[i], 1, 0 };
    }
  }
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, nu, people, np, NULL));
  cbc_sync_result_free(res);
}

/* A world of seed_districts() with random hazards of 2025: general and
 * major, reported in their own enterprise or (one in five) by a worker of
 * another (a finder across chunks), closed, left open, or closed and
 * reopened; a policy under which most of them and the collective rules
 * pay. */
static const char *random_world(uint64_t seed)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s", cbc_test_path("chunks.db"));
  cbc_test_unlink(path);
  rng_state = seed;
  now = at(2024, 12, 1);
  cbc_db *db = cbc_test_db_file(path, &now);
  seed_districts(db);
  int64_t k1 = E(db, "K1");
  for (int i = 0; i < 70; i++) {
    int e = (int)rnd(CHUNK_ENTERPRISES), by = rnd(5) ? e : (int)rnd(CHUNK_ENTERPRISES);
    char who[8], team[8];
    snprintf(who, sizeof(who), rnd(2) ? "A%da" : "L%da", by);
    snprintf(team, sizeof(team), "T%da", e);
    cbc_severity severity = rnd(3) ? CBC_SEVERITY_GENERAL : CBC_SEVERITY_MAJOR;
    int64_t id = report(db, who, team, at(2025, 1 + (int)rnd(11), 1 + (int)rnd(27)), severity);
    start(db, id, e, severity, 30);
    unsigned fate = rnd(10);
    if (fate < 8)
      close_after(db, id, e, 1 + (int)rnd(40));
    if (fate == 0)
      assert_cbc_ok(cbc_hazard_reopen(db, id, k1, "回头看"));
  }
  now = at(2025, 12, 31);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 100},"
                                         " \"labour_medal\": {\"major_hazards\": 2},"
                                         " \"worker_pioneer\": {\"hazards_closed\": 1,"
                                         " \"on_time_rate\": 0, \"training_coverage\": 0,"
                                         " \"drill_coverage\": 0, \"overdue_major\": 1},"
                                         " \"ankang_cup\": {\"training_coverage\": 0,"
                                         " \"drills\": 0, \"drill_team_participation\": 0,"
                                         " \"disposal_rate\": 0, \"months_without_data\": 12}}}",
                                k1));
  cbc_db_close(db);
  return path;
}

static void assert_same_decisions(const cbc_reward_decisions *a, const cbc_reward_decisions *b)
{
  assert_int_equal(a->count, b->count);
  assert_int_equal(a->policy_version, b->policy_version);
  for (size_t i = 0; i < a->count; i++) {
    const cbc_reward_decision *x = &a->decisions[i], *y = &b->decisions[i];
    assert_int_equal(x->rule, y->rule);
    assert_int_equal(x->subject_kind, y->subject_kind);
    assert_int_equal(x->subject_id, y->subject_id);
    assert_int_equal(x->hazard_id, y->hazard_id);
    assert_int_equal(x->proposal_id, y->proposal_id);
    assert_int_equal(x->eligible, y->eligible);
    assert_int_equal(x->amount_fen, y->amount_fen);
    assert_string_equal(x->reasons, y->reasons);
    assert_int_equal(x->award_id > 0, y->award_id > 0);
  }
}

/* Evaluate the year over CITY on a copy of @p world in chunks of
 * @p chunk_hazards (0: the default, one chunk here), dry and then for
 * real; *chunks: the real run's. */
static cbc_reward_decisions *evaluate_copy(const char *world, const char *copy,
                                           int64_t chunk_hazards, cbc_reward_decisions **dry,
                                           size_t *chunks, ledger *l)
{
  cbc_test_copy_file(world, copy);
  now = at(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(copy, &now);
  cbc_reward_decisions *ds;
  int64_t city = U(db, "CITY");
  assert_cbc_ok(cbc__reward_evaluate_chunked(dry, db, city, &year2025, CBC_EVALUATE_DRY_RUN, 0,
                                             chunk_hazards, NULL, NULL, NULL));
  assert_cbc_ok(cbc__reward_evaluate_chunked(&ds, db, city, &year2025, 0, 0, chunk_hazards,
                                             NULL, NULL, chunks));
  *l = ledger_of(db);
  cbc_db_close(db);
  return ds;
}

/* Random multi-district worlds evaluated in small chunks (down to one
 * hazard) give exactly the decisions, dry and real, and the awards of
 * one chunk. */
static void test_chunks_agree_with_one(void **state)
{
  (void)state;
  char copy[512];
  snprintf(copy, sizeof(copy), "%s", cbc_test_path("chunks-copy.db"));
  size_t seeds = cbc_test_light() ? 2 : 5;
  for (uint64_t seed = 1; seed <= seeds; seed++) {
    const char *world = random_world(seed * 7919);
    cbc_reward_decisions *dry_one, *dry_many, *one, *many;
    size_t chunks_one = 0, chunks_many = 0;
    ledger l_one, l_many;
    int64_t small = 1 + (int64_t)rnd(12);
    one = evaluate_copy(world, copy, 0, &dry_one, &chunks_one, &l_one);
    many = evaluate_copy(world, copy, small, &dry_many, &chunks_many, &l_many);
    assert_int_equal(chunks_one, 1);
    assert_true(chunks_many > 2);
    assert_same_decisions(dry_one, dry_many);
    assert_same_decisions(one, many);
    assert_same_ledger(&l_one, &l_many);
    size_t medals = 0, eligible = 0, collective = 0;
    for (size_t i = 0; i < one->count; i++) {
      const cbc_reward_decision *d = &one->decisions[i];
      medals += d->rule == CBC_RULE_LABOUR_MEDAL && d->eligible;
      collective += (d->rule == CBC_RULE_ANKANG_CUP || d->rule == CBC_RULE_WORKER_PIONEER) &&
                    d->eligible;
      eligible += d->eligible;
      assert_int_equal(d->eligible, d->award_id > 0);
    }
    assert_true(l_one.n >= eligible); /* and the reopened hazards' awards made at closure */
    assert_true(medals > 0 && collective > 0);
    print_message("seed %llu: %zu decisions, %zu awards (%zu medals), %zu chunks of <= %lld "
                  "hazards\n", (unsigned long long)seed, one->count, eligible, medals,
                  chunks_many, (long long)small);
    cbc_reward_decisions_free(dry_one);
    cbc_reward_decisions_free(dry_many);
    cbc_reward_decisions_free(one);
    cbc_reward_decisions_free(many);
    free(l_one.line);
    free(l_many.line);
    cbc_test_unlink(world);
  }
  cbc_test_unlink(copy);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_small_and_large_ranges_agree),
    cmocka_unit_test(test_failed_evaluation_resumes),
    cmocka_unit_test(test_killed_evaluation_resumes),
    cmocka_unit_test(test_reopened_between_chunks),
    cmocka_unit_test(test_policy_set_between_chunks),
    cmocka_unit_test(test_repeat_commits_nothing),
    cmocka_unit_test(test_chunks_agree_with_one),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
