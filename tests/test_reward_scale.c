/* The reward evaluation at scale (docs/rewards.md, "Evaluation"): the
 * awards are written in bounded batches, a run abandoned midway (an
 * allocation failure, a killed process) keeps its committed batches and a
 * rerun gives exactly the awards of an uninterrupted run; the figures of
 * the collective rules are the same whether a subtree's records are read
 * by its units (a small subtree) or by the period's time (a large one);
 * and a change committed between deciding and writing (a hazard reopened,
 * a policy set) is decided again, never written stale. */
#include "helpers.h"
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

/* Evaluate the year for real on a copy of @p world; the ledger. */
static ledger evaluated(const char *world, const char *copy)
{
  cbc_test_copy_file(world, copy);
  now = at(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(copy, &now);
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year2025, 0));
  size_t eligible = 0;
  for (size_t i = 0; i < ds->count; i++)
    eligible += ds->decisions[i].eligible && ds->decisions[i].award_id > 0;
  ledger l = ledger_of(db);
  assert_int_equal(l.n, eligible);
  cbc_reward_decisions_free(ds);
  cbc_db_close(db);
  return l;
}

/* An evaluation failing at allocation @p n of a copy, then run again
 * without failures: returns the awards the failed run left (-1: it
 * succeeded) and checks the rerun's ledger equals @p want. */
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
  int rc = cbc_reward_evaluate(&ds, db, city, &year2025, 0);
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

/* A failure at any point keeps whole batches only (a multiple of the
 * batch, below the total), and the rerun completes the ledger exactly. */
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
    assert_true(kept <= 0 || kept % CBC_EVALUATE_AWARD_BATCH == 0);
    partial += kept > 0;
  }
  print_message("%zu awards; %ld allocations; %ld failure points (every %ld-th), %ld of them "
                "after a batch was committed\n", want.n, total, points, stride, partial);
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
    int rc = cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year2025, 0);
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

/* ------------------------------------- changed between deciding and writing */

/* Another connection's write, made at the evaluating handle's first clock
 * read: in the deciding phase, after the hazards are read and before any
 * batch is written. */
typedef struct meddler {
  cbc_db *other;
  int armed, done;
  int64_t hazard, actor;
  int64_t policy; /* the version it set (0: reopens hazard) */
} meddler;

static int64_t meddling_clock(void *payload)
{
  meddler *m = payload;
  if (m->armed && !m->done) {
    m->done = 1;
    if (m->hazard)
      assert_cbc_ok(cbc_hazard_reopen(m->other, m->hazard, m->actor, "回头看"));
    else
      assert_cbc_ok(cbc_policy_set(&m->policy, m->other, "{\"rules\": {\"general_hazard\": "
                                                         "{\"amount_fen\": 200}}}", m->actor));
  }
  return now;
}

/* @p path opened twice: *evaluator with the meddling clock, m->other plain. */
static cbc_db *open_meddled(const char *path, meddler *m)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = meddling_clock;
  o.clock_payload = m;
  cbc_db *db;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  m->other = cbc_test_db_file(path, &now);
  return db;
}

/* @p path, fresh, opened for @p m: the seeded city with @p n hazards
 * (one per enterprise from E0) closed in January 2025 while general
 * hazards paid nothing; then they pay 100.  The last hazard in m->hazard. */
static cbc_db *unpaid_world(const char *path, meddler *m, int n)
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
    m->hazard = report(db, who, team, at(2025, 1, 2), CBC_SEVERITY_GENERAL);
    start(db, m->hazard, e, CBC_SEVERITY_GENERAL, 30);
    close_after(db, m->hazard, e, 3);
  }
  now = at(2025, 2, 1);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": "
                                         "100}}}", k1));
  now = at(2026, 1, 5);
  return db;
}

/* The unpaid hazard reopened while the year is being decided: it is no
 * longer closed when its award would be written, so none is (it earns its
 * award when closed again: docs/rewards.md, "Reopened hazards"). */
static void test_reopened_while_deciding(void **state)
{
  (void)state;
  meddler m = { 0 };
  cbc_db *db = unpaid_world(cbc_test_path("reopened.db"), &m, 1);
  m.actor = E(db, "P0");
  cbc_reward_decisions *ds;
  m.armed = 1;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year2025, 0));
  assert_true(m.done);
  for (size_t i = 0; i < ds->count; i++)
    assert_int_not_equal(ds->decisions[i].hazard_id, m.hazard);
  cbc_reward_decisions_free(ds);
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, m.hazard));
  assert_int_equal(h->state, CBC_HAZARD_RECTIFYING);
  cbc_hazard_free(h);
  ledger l = ledger_of(db);
  assert_int_equal(l.n, 0);
  free(l.line);
  close_after(db, m.hazard, 0, 1); /* closed again: its award now */
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  assert_int_equal(all->count, 1);
  assert_int_equal(all->items[0]->hazard_id, m.hazard);
  assert_int_equal(all->items[0]->flagged_at, 0);
  cbc_awards_free(all);
  cbc_db_close(m.other);
  cbc_db_close(db);
}

/* A policy set while the year is being decided: every award is made under
 * it (its version and amount), none under the one it superseded, and the
 * decisions returned are the ones written. */
static void test_policy_set_while_deciding(void **state)
{
  (void)state;
  meddler m = { 0 };
  cbc_db *db = unpaid_world(cbc_test_path("policy-set.db"), &m, ENTERPRISES);
  m.hazard = 0;
  m.actor = E(db, "K1");
  cbc_reward_decisions *ds;
  m.armed = 1;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "CITY"), &year2025, 0));
  assert_true(m.policy > 0);
  assert_int_equal(ds->policy_version, m.policy);
  size_t paid = 0;
  for (size_t i = 0; i < ds->count; i++) {
    const cbc_reward_decision *d = &ds->decisions[i];
    if (d->rule != CBC_RULE_GENERAL_HAZARD || !d->eligible)
      continue;
    assert_int_equal(d->amount_fen, 200);
    assert_true(d->award_id > 0);
    paid++;
  }
  assert_int_equal(paid, ENTERPRISES);
  cbc_reward_decisions_free(ds);
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  assert_int_equal(all->count, ENTERPRISES);
  for (size_t i = 0; i < all->count; i++) {
    assert_int_equal(all->items[i]->amount_fen, 200);
    assert_int_equal(all->items[i]->policy_version, m.policy);
  }
  cbc_awards_free(all);
  cbc_db_close(m.other);
  cbc_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_small_and_large_ranges_agree),
    cmocka_unit_test(test_failed_evaluation_resumes),
    cmocka_unit_test(test_killed_evaluation_resumes),
    cmocka_unit_test(test_reopened_while_deciding),
    cmocka_unit_test(test_policy_set_while_deciding),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
