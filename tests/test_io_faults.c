/* I/O errors (issue 10): the regime that fails every write, fsync and
 * truncate a call makes, one at a time, and a full disk from every write on
 * (tests/faultvfs.h), for each kind of write call, a cbc_db_begin() group,
 * and opening (creating, migrating) a file.  Each call applies whole, or
 * fails and leaves every row as it was; the handle goes on working; the
 * file passes integrity_check, every history replays and the aggregates
 * equal the records.  Then the regression tests of defect 1: a failed
 * commit never leaves a phantom group behind. */
#include "helpers.h"
#include "invariants.h"
#include "faultvfs.h"
#include "workload.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t now;
static const int64_t HOUR = 3600, DAY = 86400;

static int64_t at(int month, int day) { return cbc_test_date(2025, month, day) + 9 * HOUR; }

/* ---------------------------------------------------------------- files */

/* A fixed path under the test directory (cbc_test_path's buffer is shared). */
static char *path_copy(const char *name) { return strdup(cbc_test_path(name)); }

/* Open with the regime's options: every commit synced, the test clock. */
static int open_db(cbc_db **out, const char *path)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.synchronous = CBC_DB_SYNC_FULL;
  return cbc_db_open(out, path, &o);
}

static cbc_db *must_open(const char *path)
{
  cbc_db *db = NULL;
  assert_cbc_ok(open_db(&db, path));
  return db;
}

/* --------------------------------------------------------------- digest */

typedef uint64_t digest;

static void mix(digest *h, const void *data, size_t n)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    *h = (*h ^ p[i]) * 0x100000001b3ull;
}

/* Every column of every row of @p sql, in order. */
static void mix_rows(digest *h, sqlite3 *raw, const char *sql)
{
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(raw, sql, -1, &s, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(s); c++) {
      unsigned char type = (unsigned char)sqlite3_column_type(s, c);
      mix(h, &type, 1);
      if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        int64_t v = sqlite3_column_int64(s, c);
        mix(h, &v, sizeof(v));
      } else if (type != SQLITE_NULL) {
        const void *b = sqlite3_column_blob(s, c);
        int n = sqlite3_column_bytes(s, c);
        mix(h, &n, sizeof(n));
        mix(h, b, (size_t)n);
      }
    }
    mix(h, "\n", 1);
  }
  assert_int_equal(rc, SQLITE_DONE);
  sqlite3_finalize(s);
}

/* A digest of the schema, the header fields and every row of every table of
 * the file, read through a raw connection on the plain "unix" VFS (never
 * the faulty one).  0 for a missing file. */
static digest file_digest(const char *path)
{
  if (access(path, F_OK) != 0)
    return 0;
  sqlite3 *raw;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "PRAGMA synchronous=OFF", NULL, NULL, NULL), SQLITE_OK);
  digest h = 0xcbf29ce484222325ull;
  mix_rows(&h, raw, "PRAGMA user_version");
  mix_rows(&h, raw, "PRAGMA application_id");
  mix_rows(&h, raw, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT name, sql LIKE '%WITHOUT ROWID%' "
                                           "FROM sqlite_schema WHERE type = 'table' "
                                           "ORDER BY name", -1, &s, NULL), SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) {
    char sql[256]; /* a WITHOUT ROWID table is read in its key's order */
    snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"%s", sqlite3_column_text(s, 0),
             sqlite3_column_int(s, 1) ? "" : " ORDER BY rowid");
    mix_rows(&h, raw, sql);
  }
  sqlite3_finalize(s);
  assert_int_equal(sqlite3_close(raw), SQLITE_OK);
  return h;
}

/* ------------------------------------------------------------- fixture */

static const cbc_unit_record units[] = {
  { 1, "CITY", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0 },
  { 1, "E1", "CITY", CBC_UNIT_ENTERPRISE, "钢厂", NULL, 1 },
  { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "T1", "W1", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "T2", "W1", CBC_UNIT_TEAM, "乙班", NULL, 0 },
};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

static const cbc_employee_record people[] = {
  { 1, "a1", "a1", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "a2", "a2", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L1", "L1", NULL, "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "b1", "b1", NULL, "T2", CBC_ROLE_WORKER, 1, 0 },
  { 1, "L2", "L2", NULL, "T2", CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "P1", "P1", NULL, "T2", CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "S1", "S1", NULL, "T2", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "K1", "K1", NULL, "CITY", CBC_ROLE_UNION_CADRE, 1, 0 },
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

/* The fixture's ids (the same in every copy of the template). */
static struct {
  int64_t city, e1, w1, t1, t2;
  int64_t a1, a2, l1, b1, p1, s1, k1;
  int64_t reported, registered, started, submitted, closed, award, proposal;
} fx;

static char *g_template, *g_template_v5, *g_work, *g_ref, *g_crash;

static int64_t report_in(cbc_db *db, int64_t reporter, int64_t unit, cbc_severity severity,
                         int *rc)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = reporter;
  r.unit_id = unit;
  r.title = "隐患";
  r.description = "护栏缺失\n第二段";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.observed_at = now - HOUR;
  r.proposed_severity = severity;
  int64_t id = 0;
  *rc = cbc_hazard_report(&id, NULL, db, &r);
  return id;
}

static int64_t report(cbc_db *db, int64_t reporter, cbc_severity severity)
{
  int rc;
  int64_t id = report_in(db, reporter, fx.t1, severity, &rc);
  assert_cbc_ok(rc);
  return id;
}

static int register_hazard(cbc_db *db, int64_t id, cbc_severity severity)
{
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = severity;
  g.level = severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE : CBC_LEVEL_TEAM;
  g.measures = "整改";
  g.deadline = now + 20 * DAY;
  g.contingency_plan = "警示";
  g.plan = severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
  return cbc_hazard_register(db, id, severity == CBC_SEVERITY_MAJOR ? fx.p1 : fx.l1, &g);
}

static int64_t responsible(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  int64_t r = h->responsible_id;
  cbc_hazard_free(h);
  return r;
}

static int verify(cbc_db *db, int64_t id)
{
  return cbc_hazard_verify(db, id, responsible(db, id) == fx.p1 ? fx.s1 : fx.p1, 1, "验收",
                           NULL, 0);
}

/* Report a hazard and move it as far as @p state. */
static int64_t hazard_in(cbc_db *db, int64_t reporter, cbc_severity severity,
                         cbc_hazard_state state)
{
  int64_t id = report(db, reporter, severity);
  if (state == CBC_HAZARD_REPORTED)
    return id;
  assert_cbc_ok(register_hazard(db, id, severity));
  if (state == CBC_HAZARD_REGISTERED)
    return id;
  assert_cbc_ok(cbc_hazard_start(db, id, responsible(db, id)));
  if (state == CBC_HAZARD_RECTIFYING)
    return id;
  assert_cbc_ok(cbc_hazard_submit(db, id, responsible(db, id), "已整改", NULL, 0));
  if (state == CBC_HAZARD_PENDING_VERIFICATION)
    return id;
  assert_cbc_ok(verify(db, id));
  return id;
}

static void find_ids(cbc_db *db)
{
  fx.city = cbc_test_unit_id(db, "CITY");
  fx.e1 = cbc_test_unit_id(db, "E1");
  fx.w1 = cbc_test_unit_id(db, "W1");
  fx.t1 = cbc_test_unit_id(db, "T1");
  fx.t2 = cbc_test_unit_id(db, "T2");
  fx.a1 = cbc_test_employee_id(db, "a1");
  fx.a2 = cbc_test_employee_id(db, "a2");
  fx.l1 = cbc_test_employee_id(db, "L1");
  fx.b1 = cbc_test_employee_id(db, "b1");
  fx.p1 = cbc_test_employee_id(db, "P1");
  fx.s1 = cbc_test_employee_id(db, "S1");
  fx.k1 = cbc_test_employee_id(db, "K1");
}

static void add_activities(cbc_db *db);

/* The template every sweep copies: the organisation, hazards in every
 * state a call needs, an award, a proposal, January's activities. */
static void build_template(const char *path)
{
  cbc_test_unlink(path);
  now = at(1, 10);
  cbc_db *db = must_open(path);
  cbc_sync_result *res;
  assert_cbc_ok(cbc_org_sync(&res, db, units, N_UNITS, people, N_PEOPLE, NULL));
  cbc_sync_result_free(res);
  find_ids(db);
  add_activities(db);
  now = at(2, 3);
  int64_t major = hazard_in(db, fx.a1, CBC_SEVERITY_MAJOR, CBC_HAZARD_CLOSED);
  fx.closed = hazard_in(db, fx.b1, CBC_SEVERITY_GENERAL, CBC_HAZARD_CLOSED);
  now = at(3, 2);
  fx.reported = hazard_in(db, fx.a1, CBC_SEVERITY_GENERAL, CBC_HAZARD_REPORTED);
  fx.registered = hazard_in(db, fx.a2, CBC_SEVERITY_GENERAL, CBC_HAZARD_REGISTERED);
  fx.started = hazard_in(db, fx.b1, CBC_SEVERITY_GENERAL, CBC_HAZARD_RECTIFYING);
  fx.submitted = hazard_in(db, fx.a2, CBC_SEVERITY_MAJOR, CBC_HAZARD_PENDING_VERIFICATION);
  cbc_awards *list;
  assert_cbc_ok(cbc_award_list(&list, db, 0, 0, 0, 0, 0));
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i]->hazard_id == major)
      fx.award = list->items[i]->id;
  cbc_awards_free(list);
  assert_true(fx.award > 0);
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = fx.b1;
  p.title = "加装防护罩";
  p.text = "轧机入口\n加装防护罩";
  assert_cbc_ok(cbc_proposal_submit(&fx.proposal, db, &p));
  cbc_db_close(db);
  now = at(3, 10);
}

/* A file at schema version 5 (made by running the library's own
 * migration steps 0..4 on a raw connection), for the sweep of an upgrade. */
static void make_v5(const char *to) { cbc_wl_old_file(to, 5, true); }

/* ---------------------------------------------------- the calls swept */

static int op_report(cbc_db *db)
{
  int rc;
  report_in(db, fx.a1, fx.t2, CBC_SEVERITY_GENERAL, &rc);
  return rc;
}

static int op_register(cbc_db *db)
{
  return register_hazard(db, fx.reported, CBC_SEVERITY_GENERAL);
}
static int op_start(cbc_db *db) { return cbc_hazard_start(db, fx.registered, fx.l1); }

static int op_submit(cbc_db *db)
{
  return cbc_hazard_submit(db, fx.started, fx.l1, "已整改\n照片见附件", NULL, 0);
}

/* The major hazard's responsible is P1, so S1 verifies (no lookup here:
 * a read may be what fails). */
static int op_verify(cbc_db *db)
{
  return cbc_hazard_verify(db, fx.submitted, fx.s1, 1, "验收", NULL, 0);
}
static int op_reopen(cbc_db *db) { return cbc_hazard_reopen(db, fx.closed, fx.p1, "回头看"); }

static int op_sync(cbc_db *db)
{
  cbc_employee_record moved[N_PEOPLE + 1];
  memcpy(moved, people, sizeof(people));
  moved[0].unit_external_id = "T2"; /* a1 transferred */
  moved[3].active = 0;              /* b1 left */
  cbc_employee_record hired = { 1, "n1", "n1", NULL, "T1", CBC_ROLE_WORKER, 1, 0 };
  moved[N_PEOPLE] = hired;
  cbc_sync_result *res = NULL;
  int rc = cbc_org_sync(&res, db, units, N_UNITS, moved, N_PEOPLE + 1, NULL);
  cbc_sync_result_free(res);
  return rc;
}

static int op_employee(cbc_db *db)
{
  cbc_employee_record e = { 1, "n2", "新员工", "操作工", "T2", CBC_ROLE_WORKER, 1, now - DAY };
  return cbc_employee_upsert(NULL, db, &e);
}

static int op_training(cbc_db *db)
{
  cbc_attendee att[] = { { fx.a1, 1 }, { fx.a2, 0 }, { fx.b1, 1 } };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = CBC_TRAINING_ALL_STAFF;
  r.unit_id = fx.e1;
  r.held_at = now - DAY;
  r.minutes = 90;
  r.title = "全员安全培训";
  r.attendees = att;
  r.n_attendees = 3;
  return cbc_training_add(NULL, db, &r);
}

static int op_drill(cbc_db *db)
{
  int64_t teams[] = { fx.t1, fx.t2 };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = fx.w1;
  d.held_at = now - 2 * DAY;
  d.scenario = "轧机火灾疏散";
  d.team_ids = teams;
  d.n_teams = 2;
  return cbc_drill_add(NULL, db, &d);
}

static int op_visit(cbc_db *db)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = fx.k1;
  v.unit_id = fx.e1;
  v.visited_at = now - HOUR;
  v.findings = "通道堵塞\n已督促清理";
  return cbc_visit_add(NULL, db, &v);
}

static int op_proposal(cbc_db *db)
{
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = fx.a1;
  p.title = "改进照明";
  p.text = "车间照明不足";
  return cbc_proposal_submit(NULL, db, &p);
}

static int op_decide(cbc_db *db)
{
  return cbc_proposal_decide(db, fx.proposal, fx.p1, 1, "采纳");
}

static int op_assign(cbc_db *db)
{
  return cbc_cadre_assign(NULL, db, fx.k1, fx.e1, now - 5 * DAY, 0);
}

static int op_policy(cbc_db *db)
{
  return cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1500}}}",
                        fx.k1);
}

static int op_evaluate(cbc_db *db)
{
  cbc_period p = { CBC_PERIOD_MONTH, 2025, 2, 0, 0 };
  cbc_reward_decisions *ds = NULL;
  int rc = cbc_reward_evaluate(&ds, db, fx.city, &p, 0);
  cbc_reward_decisions_free(ds);
  return rc;
}

static int op_approve(cbc_db *db) { return cbc_award_approve(db, fx.award, fx.k1); }

/* Several calls and the commit; a failed call ends the group as a host
 * would, with a rollback. */
static int op_group(cbc_db *db)
{
  int rc = cbc_db_begin(db);
  if (rc)
    return rc;
  if (!(rc = op_report(db)) && !(rc = op_training(db)) && !(rc = op_visit(db)) &&
      !(rc = op_start(db)) && !(rc = op_drill(db))) {
    rc = cbc_db_commit(db);
    if (rc) { /* SQLite cannot keep the transaction after these faults */
      assert_false(cbc_db_in_group(db));
      assert_non_null(strstr(cbc_error_last()->message, "nothing was committed"));
    }
    return rc;
  }
  cbc_error kept = *cbc_error_last(); /* the rollback may overwrite it */
  cbc_db_rollback(db);
  assert_int_equal(kept.code, rc);
  return rc;
}

static void add_activities(cbc_db *db)
{
  now = at(1, 20);
  assert_cbc_ok(op_training(db));
  assert_cbc_ok(op_drill(db));
  assert_cbc_ok(op_visit(db));
}

typedef int (*op_fn)(cbc_db *db);
static const struct op {
  const char *name;
  op_fn fn;
} write_ops[] = {
  { "hazard report", op_report },   { "hazard register", op_register },
  { "hazard start", op_start },     { "hazard submit", op_submit },
  { "hazard verify (closing)", op_verify }, { "hazard reopen", op_reopen },
  { "org sync", op_sync },          { "employee upsert", op_employee },
  { "training add", op_training },  { "drill add", op_drill },
  { "visit add", op_visit },        { "proposal submit", op_proposal },
  { "proposal decide", op_decide }, { "cadre assign", op_assign },
  { "policy set", op_policy },      { "reward evaluate", op_evaluate },
  { "award approve", op_approve },  { "group of five calls + commit", op_group },
};
#define N_WRITE_OPS (sizeof(write_ops) / sizeof(write_ops[0]))

/* ------------------------------------------------------------- checks */

static void assert_same_forms(cbc_db *db, int64_t unit)
{
  for (int m = 1; m <= 3; m++) {
    cbc_period p = { CBC_PERIOD_MONTH, 2025, m, 0, 0 };
    cbc_stats_form *agg, *rec;
    assert_cbc_ok(cbc_stats_form_get(&agg, db, unit, &p, 0));
    assert_cbc_ok(cbc_stats_form_get(&rec, db, unit, &p, CBC_STATS_FROM_RECORDS));
    if (memcmp(agg, rec, sizeof(*agg)) != 0)
      fail_msg("unit %lld, 2025-%02d: the aggregates disagree with the records", (long long)unit,
               m);
    cbc_stats_form_free(agg);
    cbc_stats_form_free(rec);
  }
}

/* The file is sound: integrity_check, every history replays, the
 * enterprise's and the region's months agree with the records. */
static void assert_file_sound(const char *path)
{
  cbc_test_assert_integrity(path);
  cbc_db *db = must_open(path);
  cbc_test_assert_all_replay(db);
  cbc_unit *u = NULL;
  if (cbc_unit_lookup_external(&u, db, "E1") == 0) {
    cbc_unit_free(u);
    assert_same_forms(db, fx.e1);
    assert_same_forms(db, fx.city);
  }
  cbc_db_close(db);
}

/* ------------------------------------------------------------- sweeps */

typedef struct tally {
  long points;      /* failure points tried */
  long failed;      /* of them: the call returned an error */
  long commit_sync; /* of those: the fault hit a sync of the -wal */
  long crash_whole; /* of those: a crash then would have kept the whole change */
} tally;

/* The digest of the file as a crash at this moment would leave it: the
 * database and its log copied while the handle is open, without the shared
 * memory, so SQLite recovers the log as after a power cut. */
static digest crash_digest(const char *path)
{
  char wal[600], crash_wal[600];
  cbc_test_copy_file(path, g_crash);
  snprintf(wal, sizeof(wal), "%s-wal", path);
  snprintf(crash_wal, sizeof(crash_wal), "%s-wal", g_crash);
  if (access(wal, F_OK) == 0)
    cbc_test_copy_file(wal, crash_wal);
  return file_digest(g_crash);
}

static digest reference_after(const struct op *op, const char *template)
{
  cbc_test_copy_file(template, g_ref);
  cbc_db *db = must_open(g_ref);
  assert_cbc_ok(op->fn(db));
  cbc_db_close(db);
  return file_digest(g_ref);
}

/* One failure point of a write call: fail the @p n-th counted operation,
 * then (@p retry) check the live file and redo the call on the same handle,
 * or close and check the file as left.  Returns whether the fault fired. */
static int write_point(const struct op *op, cbc_fault_mode mode, long n, int retry,
                       digest before, digest after, tally *t)
{
  cbc_test_copy_file(g_template, g_work);
  cbc_db *db = must_open(g_work);
  cbc_test_fault_arm(mode, n);
  int rc = op->fn(db);
  int fired = cbc_test_fault_fired();
  int wal_sync = cbc_test_fault_fired_op() == CBC_FAULT_OP_SYNC &&
                 strcmp(cbc_test_fault_fired_file(), "-wal") == 0;
  cbc_test_fault_disarm();
#define CHECK(cond) \
  do { \
    if (!(cond)) \
      fail_msg("%s, fault mode %d at %ld (rc %d: %s): %s", op->name, mode, n, rc, \
               cbc_error_last()->message, #cond); \
  } while (0)
  if (!fired)
    assert_cbc_ok(rc);
  CHECK(!cbc_db_in_group(db)); /* no phantom group, whatever happened */
  if (fired) {
    t->points++;
    t->failed += rc != 0;
    t->commit_sync += rc != 0 && wal_sync;
  }
  if (rc) {
    CHECK(cbc_error_last()->code == rc);
    CHECK(file_digest(g_work) == before); /* nothing visible */
    digest crashed = crash_digest(g_work); /* all or nothing, even after a crash */
    CHECK(crashed == before || (wal_sync && crashed == after));
    t->crash_whole += crashed == after;
    if (retry)
      assert_cbc_ok(op->fn(db)); /* the handle goes on, its caches right */
  }
  cbc_db_close(db);
  digest got = file_digest(g_work);
  if (rc && !retry)
    CHECK(got == before || (wal_sync && got == after));
  else
    CHECK(got == after); /* whole */
#undef CHECK
  assert_file_sound(g_work);
  return fired;
}

static void sweep_write_call(const struct op *op, tally *total)
{
  long stride = cbc_test_fault_stride();
  digest before = file_digest(g_template), after = reference_after(op, g_template);
  assert_true(before != after);
  tally t = { 0, 0, 0, 0 };
  static const cbc_fault_mode modes[] = { CBC_FAULT_IO, CBC_FAULT_FULL, CBC_FAULT_READ };
  /* every failure point twice: then retried on the same handle (whose
   * caches must have forgotten the undone change), and then closed with
   * the file checked as left; a stride > 1 offsets the second pass */
  for (size_t m = 0; m < 3; m++)
    for (int retry = 0; retry <= 1; retry++)
      for (long n = 1 + (retry ? stride / 2 : 0);; n += stride)
        if (!write_point(op, modes[m], n, retry, before, after, &t))
          break;
  print_message("%-30s %4ld faulted runs (%ld errors, %ld at the commit's WAL sync, "
                "%ld whole after a crash)\n", op->name, t.points, t.failed, t.commit_sync,
                t.crash_whole);
  assert_true(t.points > 0);
  total->points += t.points;
  total->failed += t.failed;
  total->commit_sync += t.commit_sync;
  total->crash_whole += t.crash_whole;
}

/* Opening @p template (NULL: creating a new file) with a fault at the
 * n-th operation: it opens, or fails and a later open without faults
 * finishes the job; either way the file ends as a clean open leaves it. */
static void sweep_open(const char *name, const char *template, tally *total)
{
  long stride = cbc_test_fault_stride();
  cbc_test_unlink(g_ref);
  if (template)
    cbc_test_copy_file(template, g_ref);
  cbc_db *db = must_open(g_ref);
  cbc_db_close(db);
  digest after = file_digest(g_ref);
  tally t = { 0, 0, 0, 0 };
  static const cbc_fault_mode modes[] = { CBC_FAULT_IO, CBC_FAULT_FULL, CBC_FAULT_READ };
  for (size_t m = 0; m < 3; m++)
    for (long n = 1;; n += stride) {
      cbc_test_unlink(g_work);
      if (template)
        cbc_test_copy_file(template, g_work);
      cbc_test_fault_arm(modes[m], n);
      db = (cbc_db *)1;
      int rc = open_db(&db, g_work);
      int fired = cbc_test_fault_fired();
      cbc_test_fault_disarm();
      if (rc)
        assert_null(db);
      cbc_db_close(db);
      if (!fired) {
        assert_cbc_ok(rc);
        assert_true(file_digest(g_work) == after);
        break;
      }
      t.points++;
      t.failed += rc != 0;
      if (rc) {
        if (access(g_work, F_OK) == 0)
          cbc_test_assert_integrity(g_work);
        cbc_db_close(must_open(g_work)); /* finishes the creation or upgrade */
      }
      if (file_digest(g_work) != after)
        fail_msg("%s, fault %d at %ld: rc %d, the file differs from a clean open", name,
                 modes[m], n, rc);
      assert_file_sound(g_work);
    }
  print_message("%-30s %4ld faulted runs (%ld errors)\n", name, t.points, t.failed);
  assert_true(t.points > 0);
  total->points += t.points;
  total->failed += t.failed;
}

static void test_every_failure_point(void **state)
{
  (void)state;
  tally total = { 0, 0, 0, 0 };
  for (size_t i = 0; i < N_WRITE_OPS; i++)
    sweep_write_call(&write_ops[i], &total);
  sweep_open("open: create", NULL, &total);
  sweep_open("open: migrate from version 5", g_template_v5, &total);
  print_message("I/O faulted runs in total: %ld (%ld calls failed, %ld at the commit's WAL "
                "sync, %ld whole after a crash there), stride %ld\n", total.points,
                total.failed, total.commit_sync, total.crash_whole, cbc_test_fault_stride());
}

/* ------------------------------------------- defect 1: no phantom group */

static int g_events;
static int count_event(const cbc_hazard_event *ev, void *payload)
{
  (void)ev;
  (void)payload;
  g_events++;
  return 0;
}

static int64_t hazard_count(const char *path)
{
  sqlite3 *raw;
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM hazards", -1, &s, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int64_t n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return n;
}

/* A fresh copy of the template with a hook counting delivered events, and
 * a group of a report and a training session waiting for its commit. */
static cbc_db *open_group(void)
{
  cbc_test_copy_file(g_template, g_work);
  cbc_db *db = must_open(g_work);
  g_events = 0;
  assert_cbc_ok(cbc_hazard_set_event_hook(db, count_event, NULL));
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(op_report(db));
  assert_cbc_ok(op_training(db));
  return db;
}

/* The commit's fsync fails: SQLite rolled the group back, so the group is
 * ended, nothing was committed, and nothing later runs as if it were
 * still open. */
static void test_failed_commit_ends_the_group(void **state)
{
  (void)state;
  int64_t hazards = hazard_count(g_template);
  digest before = file_digest(g_template);
  cbc_db *db = open_group();
  cbc_test_fault_arm_only(CBC_FAULT_IO, CBC_FAULT_OP_SYNC, 1);
  assert_cbc_error(cbc_db_commit(db), CBC_EIO, "the transaction group was rolled back, "
                                               "nothing was committed");
  assert_true(cbc_test_fault_fired());
  cbc_test_fault_disarm();
  assert_false(cbc_db_in_group(db));
  assert_int_equal(g_events, 0); /* the queued events were dropped */
  assert_true(file_digest(g_work) == before);
  assert_cbc_error(cbc_db_commit(db), CBC_ESTATE, "no transaction group is open");
  assert_cbc_error(cbc_db_rollback(db), CBC_ESTATE, "no transaction group is open");
  /* a later call is its own transaction again, and a failing one applies
   * nothing (it used to run one statement at a time, left half-applied) */
  cbc_test_fault_arm(CBC_FAULT_IO, 2);
  assert_cbc_error(op_register(db), CBC_EIO, NULL);
  cbc_test_fault_disarm();
  assert_true(file_digest(g_work) == before);
  assert_cbc_ok(op_register(db));
  assert_int_equal(g_events, 1);
  /* the pending statistics went with the group: aggregates equal records */
  assert_same_forms(db, fx.e1);
  cbc_db_close(db);
  assert_int_equal(hazard_count(g_work), hazards);
  assert_file_sound(g_work);
}

/* The same with a full disk: the commit cannot write the log. */
static void test_commit_on_full_disk_ends_the_group(void **state)
{
  (void)state;
  digest before = file_digest(g_template);
  cbc_db *db = open_group();
  cbc_test_fault_arm(CBC_FAULT_FULL, 1);
  assert_cbc_error(cbc_db_commit(db), CBC_EIO, "nothing was committed");
  cbc_test_fault_disarm();
  assert_false(cbc_db_in_group(db));
  assert_true(file_digest(g_work) == before);
  assert_int_equal(g_events, 0);
  assert_cbc_ok(op_report(db));
  assert_int_equal(g_events, 1);
  cbc_db_close(db);
  assert_file_sound(g_work);
}

/* A commit SQLite keeps open (SQLITE_BUSY) really can be retried, or
 * rolled back. */
static void test_busy_commit_can_be_retried_or_rolled_back(void **state)
{
  (void)state;
  digest before = file_digest(g_template);
  for (int roll_back = 0; roll_back <= 1; roll_back++) {
    cbc_db *db = open_group();
    cbc_test_fault_arm(CBC_FAULT_BUSY_SYNC, 1);
    assert_cbc_error(cbc_db_commit(db), CBC_EBUSY, "the transaction group is still open");
    assert_true(cbc_test_fault_fired());
    cbc_test_fault_disarm();
    assert_true(cbc_db_in_group(db));
    assert_int_equal(g_events, 0);
    assert_true(file_digest(g_work) == before);
    if (roll_back) {
      assert_cbc_ok(cbc_db_rollback(db));
      assert_int_equal(g_events, 0);
    } else {
      assert_cbc_ok(cbc_db_commit(db));
      assert_int_equal(g_events, 1); /* the report's event, delivered once committed */
    }
    assert_false(cbc_db_in_group(db));
    cbc_db_close(db);
    assert_true((file_digest(g_work) == before) == roll_back);
    assert_file_sound(g_work);
  }
}

/* A single call whose commit fails says nothing was committed, leaves no
 * transaction behind, and the next call works. */
static void test_single_call_commit_failure(void **state)
{
  (void)state;
  digest before = file_digest(g_template);
  static const struct {
    cbc_fault_mode mode;
    int code;
  } cases[] = { { CBC_FAULT_IO, CBC_EIO }, { CBC_FAULT_BUSY_SYNC, CBC_EBUSY } };
  for (size_t i = 0; i < 2; i++) {
    cbc_test_copy_file(g_template, g_work);
    cbc_db *db = must_open(g_work);
    cbc_test_fault_arm_only(cases[i].mode, CBC_FAULT_OP_SYNC, 1);
    assert_cbc_error(op_report(db), cases[i].code, "nothing was committed");
    cbc_test_fault_disarm();
    assert_false(cbc_db_in_group(db));
    assert_true(file_digest(g_work) == before);
    assert_cbc_ok(op_report(db));
    assert_cbc_ok(cbc_db_begin(db)); /* no transaction was left open */
    assert_cbc_ok(cbc_db_rollback(db));
    cbc_db_close(db);
    assert_true(file_digest(g_work) != before);
    assert_file_sound(g_work);
  }
}

/* A call inside a group that fails on I/O after writing takes the group:
 * later calls are refused, the commit says nothing was committed and ends
 * it, and nothing of the group's earlier calls remains. */
static void test_failed_call_in_group(void **state)
{
  (void)state;
  digest before = file_digest(g_template);
  cbc_db *db = open_group();
  cbc_test_fault_arm(CBC_FAULT_FULL, 1); /* the statement journal or the log: full */
  int rc = op_sync(db);
  cbc_test_fault_disarm();
  if (rc == 0) { /* it all fitted in the page cache: fail it at the commit instead */
    cbc_test_fault_arm(CBC_FAULT_FULL, 1);
    assert_cbc_error(cbc_db_commit(db), CBC_EIO, "nothing was committed");
    cbc_test_fault_disarm();
  } else {
    assert_cbc_error(rc, rc, "the transaction group was rolled back");
    assert_true(cbc_db_in_group(db));
    assert_cbc_error(op_visit(db), CBC_ESTATE, "rolled back after a failed call");
    assert_cbc_error(cbc_db_commit(db), CBC_ESTATE, "nothing was committed");
  }
  assert_false(cbc_db_in_group(db));
  assert_int_equal(g_events, 0);
  assert_true(file_digest(g_work) == before);
  assert_cbc_ok(op_visit(db));
  cbc_db_close(db);
  assert_file_sound(g_work);
}

/* SQLite also abandons the transaction when a read inside it fails on I/O:
 * the group is then failed — the next write call is refused instead of
 * committing on its own, and the commit says nothing was committed. */
static void test_group_lost_in_a_read(void **state)
{
  (void)state;
  digest before = file_digest(g_template);
  cbc_db *db = open_group();
  cbc_period march = { CBC_PERIOD_MONTH, 2025, 3, 0, 0 };
  cbc_stats_form *f = NULL;
  cbc_test_fault_arm(CBC_FAULT_READ, 1);
  assert_cbc_error(cbc_stats_form_get(&f, db, fx.city, &march, CBC_STATS_FROM_RECORDS),
                   CBC_EIO, NULL);
  assert_true(cbc_test_fault_fired());
  cbc_test_fault_disarm();
  assert_true(cbc_db_in_group(db));
  assert_cbc_error(op_visit(db), CBC_ESTATE, "rolled back after a failed call");
  assert_true(file_digest(g_work) == before); /* the visit did not commit alone */
  assert_cbc_error(cbc_db_commit(db), CBC_ESTATE, "nothing was committed");
  assert_false(cbc_db_in_group(db));
  assert_int_equal(g_events, 0);
  assert_same_forms(db, fx.e1); /* the group's pending counters went with it */
  assert_cbc_ok(op_visit(db));
  cbc_db_close(db);
  assert_file_sound(g_work);
}

/* ----------------------------------------------------------------- main */

static int setup(void **state)
{
  (void)state;
  cbc_test_faultvfs_install();
  g_template = path_copy("template.db");
  g_template_v5 = path_copy("template-v5.db");
  g_work = path_copy("work.db");
  g_ref = path_copy("reference.db");
  g_crash = path_copy("crash.db");
  build_template(g_template);
  make_v5(g_template_v5);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  char *paths[] = { g_template, g_template_v5, g_work, g_ref, g_crash };
  for (size_t i = 0; i < 5; i++) {
    cbc_test_unlink(paths[i]);
    free(paths[i]);
  }
  cbc_test_faultvfs_uninstall();
  return 0;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_failed_commit_ends_the_group),
    cmocka_unit_test(test_commit_on_full_disk_ends_the_group),
    cmocka_unit_test(test_busy_commit_can_be_retried_or_rolled_back),
    cmocka_unit_test(test_single_call_commit_failure),
    cmocka_unit_test(test_failed_call_in_group),
    cmocka_unit_test(test_group_lost_in_a_read),
    cmocka_unit_test(test_every_failure_point),
  };
  return cmocka_run_group_tests_name("io_faults", tests, setup, teardown);
}
