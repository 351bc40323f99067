/* The tamper-evident history (include/cbc/history.h, docs/history.md):
 * every kind of record chained, each edit made behind the library's back
 * found and named, a rewritten or cut-back chain caught by a checkpoint
 * held outside, the checkpoint hook, the chains built on upgrade, the same
 * bytes on either engine, a link computed independently from the
 * documented encoding, concurrent writers and allocation failures.  Runs
 * on either engine (CBC_TEST_ENGINE). */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <sodium.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DAY 86400

static int64_t now;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* The first column of the first row of the query @p fmt makes. */
static int64_t sql_int(cbc_db *db, const char *fmt, ...) CBC__PRINTF(2, 3);
static int64_t sql_int(cbc_db *db, const char *fmt, ...)
{
  char sql[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof(sql), fmt, ap);
  va_end(ap);
  return cbc_test_sql_int(db, sql);
}

/* ------------------------------------------------------------- the seed */

/* A major hazard reported by A1 with a photo, registered with its plan,
 * rectified and verified (its award is made at the closure). */
static int64_t closed_major_hazard(cbc_db *db)
{
  static const cbc_attachment photo = { CBC_ATTACHMENT_VERSION, "file:///p/1.jpg",
                                        "image/jpeg", 1024,
                                        "0123456789abcdef0123456789abcdef"
                                        "0123456789abcdef0123456789abcdef" };
  static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                               "监护" };
  cbc_hazard_record r = cbc_test_record(db, "A1", "T1", CBC_SEVERITY_MAJOR, "护栏断裂");
  r.attachments = &photo;
  r.n_attachments = 1;
  int64_t h;
  assert_cbc_ok(cbc_hazard_report(&h, NULL, db, &r));
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_MAJOR;
  g.level = CBC_LEVEL_ENTERPRISE;
  g.measures = "更换护栏";
  g.deadline = now + 20 * DAY;
  g.contingency_plan = "警戒";
  g.plan = &plan;
  now += 3600;
  assert_cbc_ok(cbc_hazard_register(db, h, E(db, "P1"), &g));
  assert_cbc_ok(cbc_hazard_start(db, h, E(db, "P1")));
  now += 3600;
  assert_cbc_ok(cbc_hazard_submit(db, h, E(db, "P1"), "已更换", NULL, 0));
  now += 3600;
  assert_cbc_ok(cbc_hazard_verify(db, h, E(db, "S1"), 1, NULL, NULL, 0));
  return h;
}

static void activities(cbc_db *db)
{
  cbc_attendee att[] = { { E(db, "A1"), 1 }, { E(db, "A2"), 1 } };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = U(db, "E1");
  t.held_at = now - DAY;
  t.minutes = 60;
  t.title = "培训";
  t.attendees = att;
  t.n_attendees = 2;
  assert_cbc_ok(cbc_training_add(NULL, db, &t));
  int64_t teams[] = { U(db, "T1"), U(db, "T2") };
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = U(db, "E1");
  d.held_at = now - DAY;
  d.scenario = "疏散";
  d.team_ids = teams;
  d.n_teams = 2;
  assert_cbc_ok(cbc_drill_add(NULL, db, &d));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, E(db, "C1"), U(db, "E1"), now - DAY, 0));
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, "E1");
  v.visited_at = now - 3600;
  v.findings = "良好";
  assert_cbc_ok(cbc_visit_add(NULL, db, &v));
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "A2");
  p.title = "加装护栏";
  p.text = "建议加装";
  int64_t proposal;
  assert_cbc_ok(cbc_proposal_submit(&proposal, db, &p));
  assert_cbc_ok(cbc_proposal_decide(db, proposal, E(db, "P1"), 1, "采纳"));
}

/* One record at least of every chained kind, in E1 (and chain 0). */
static void seed_every_kind(cbc_db *db)
{
  cbc_test_seed_org(db);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"monthly_form_due_day\": 20}", E(db, "C1")));
  now += DAY;
  int64_t h = closed_major_hazard(db);
  assert_cbc_ok(cbc_hazard_record_penalty(db, h, E(db, "I1"), 2000000, "罚字1号"));
  now += DAY;
  activities(db);
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = E(db, "B1");
  f.amount_fen = 5000;
  f.reason = "三违";
  f.violation = "未戴安全帽";
  assert_cbc_ok(cbc_fine_issue(NULL, db, &f, E(db, "P1")));
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "B1"), U(db, "T1"), now));
  now = cbc_test_date(2026, 4, 10);
  static const cbc_period q1 = { CBC_PERIOD_QUARTER, 2026, 1, 0, 0 };
  cbc_filing_record r = CBC_FILING_RECORD_INIT;
  r.kind = CBC_FILING_HAZARD_TABLE;
  r.unit_id = U(db, "E1");
  r.period = q1;
  r.signed_by = E(db, "P1");
  assert_cbc_ok(cbc_filing_submit(NULL, db, E(db, "S1"), &r));
}

static cbc_db *fixture(void)
{
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db(&now);
  seed_every_kind(db);
  return db;
}

static cbc_history_verdict *verify(cbc_db *db, const cbc_history_checkpoint *held, size_t n)
{
  cbc_history_verdict *v = NULL;
  assert_cbc_ok(cbc_history_verify(&v, db, held, n));
  assert_non_null(v);
  return v;
}

static void assert_sound(cbc_db *db)
{
  cbc_history_verdict *v = verify(db, NULL, 0);
  if (v->fault)
    fail_msg("not sound: %s", v->message);
  assert_string_equal(v->message, "");
  cbc_history_verdict_free(v);
}

/* ----------------------------------------------------------- every kind */

static const struct {
  cbc_history_kind kind;
  const char *table, *key;
  bool own_chain; /* in the enterprise's chain, else in chain 0 */
} kinds[] = {
  { CBC_HISTORY_HAZARD, "hazards", "id", true },
  { CBC_HISTORY_HAZARD_EVENT, "hazard_events", "id", true },
  { CBC_HISTORY_ATTACHMENT, "hazard_attachments", "id", true },
  { CBC_HISTORY_EMPLOYEE_EVENT, "employee_events", "id", false },
  { CBC_HISTORY_TRAINING, "trainings", "id", true },
  { CBC_HISTORY_DRILL, "drills", "id", true },
  { CBC_HISTORY_ASSIGNMENT, "cadre_assignments", "id", false },
  { CBC_HISTORY_VISIT, "visits", "id", true },
  { CBC_HISTORY_PROPOSAL, "proposals", "id", true },
  { CBC_HISTORY_AWARD, "awards", "id", true },
  { CBC_HISTORY_FINE, "fines", "id", true },
  { CBC_HISTORY_POLICY, "policies", "version", false },
  { CBC_HISTORY_FILING, "filings", "id", true },
  { CBC_HISTORY_PENALTY, "penalties", "hazard_id", true },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Every record of every kind has a link in its chain; the verdict is
 * sound and has read every link and every record once. */
static void test_every_kind_is_chained(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  int64_t e1 = U(db, "E1"), records = 0;
  char sql[512];
  for (size_t i = 0; i < N_KINDS; i++) {
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", kinds[i].table);
    int64_t n = cbc_test_sql_int(db, sql);
    assert_true(n >= 1);
    records += n;
    snprintf(sql, sizeof(sql), "SELECT count(DISTINCT record_id) FROM history_chain"
             " WHERE kind = %d AND enterprise_id = %lld", (int)kinds[i].kind,
             (long long)(kinds[i].own_chain ? e1 : 0));
    assert_int_equal(cbc_test_sql_int(db, sql), n);
  }
  cbc_history_verdict *v = verify(db, NULL, 0);
  assert_int_equal(v->fault, CBC_HISTORY_SOUND);
  assert_int_equal(v->links_checked, cbc_test_sql_int(db, "SELECT count(*) FROM history_chain"));
  assert_int_equal(v->records_checked, records);
  assert_true(v->links_checked > records); /* the award and proposal moved on */
  cbc_history_verdict_free(v);
  cbc_history_checkpoint head;
  assert_cbc_ok(cbc_history_head(&head, db, e1));
  assert_int_equal(head.tenant_id, e1);
  assert_int_equal(head.seq, sql_int(db, "SELECT count(*) FROM history_chain WHERE"
                                         " enterprise_id = %lld", (long long)e1));
  assert_cbc_ok(cbc_history_head(&head, db, U(db, "E1") + 1000));
  assert_int_equal(head.seq, 0);
  assert_string_equal(head.hash, "");
  cbc_db_close(db);
}

/* ---------------------------------------------------- edits behind its back */

/* Run @p sql as someone with the database's password would: the
 * append-only rules set aside first. */
static void edit(cbc_db *db, const char *sql)
{
  static const char *const rules[] = { "hazards_report_fixed", "penalties_fixed_u",
                                       "hazard_events_append_only_u",
                                       "hazard_events_append_only_d",
                                       "employee_events_append_only_u",
                                       "employee_events_append_only_d", "filings_fixed_u",
                                       "filings_fixed_d", "history_chain_fixed_u",
                                       "history_chain_fixed_d" };
  char drop[128];
  if (cbc_test_on_postgres()) {
    cbc_test_sql_exec(db, "SET session_replication_role = replica");
  } else {
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
      snprintf(drop, sizeof(drop), "DROP TRIGGER IF EXISTS %s", rules[i]);
      cbc_test_sql_exec(db, drop);
    }
  }
  cbc_test_sql_exec(db, sql);
  if (cbc_test_on_postgres())
    cbc_test_sql_exec(db, "SET session_replication_role = origin");
}

typedef struct edit_case {
  const char *sql; /* %lld: the record's id */
  cbc_history_kind kind;
  cbc_history_fault fault;
} edit_case;

static const edit_case record_edits[] = {
  { "UPDATE hazards SET title = 'x' WHERE id = %lld", CBC_HISTORY_HAZARD,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE hazard_events SET actor_id = actor_id + 1 WHERE id = %lld",
    CBC_HISTORY_HAZARD_EVENT, CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE hazard_attachments SET uri = 'file:///other' WHERE id = %lld",
    CBC_HISTORY_ATTACHMENT, CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE employee_events SET at = at - 86400 WHERE id = %lld", CBC_HISTORY_EMPLOYEE_EVENT,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE training_attendees SET passed = 0 WHERE training_id = %lld",
    CBC_HISTORY_TRAINING, CBC_HISTORY_RECORD_ALTERED },
  { "DELETE FROM drill_teams WHERE drill_id = %lld AND team_id = (SELECT max(team_id)"
    " FROM drill_teams)", CBC_HISTORY_DRILL, CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE cadre_assignments SET to_at = 1 WHERE id = %lld", CBC_HISTORY_ASSIGNMENT,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE visits SET findings = '' WHERE id = %lld", CBC_HISTORY_VISIT,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE proposals SET note = '' WHERE id = %lld", CBC_HISTORY_PROPOSAL,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE awards SET amount_fen = amount_fen * 100 WHERE id = %lld", CBC_HISTORY_AWARD,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE fines SET amount_fen = 1 WHERE id = %lld", CBC_HISTORY_FINE,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE policies SET document = '{}' WHERE version = %lld", CBC_HISTORY_POLICY,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE filings SET json = '{}' WHERE id = %lld", CBC_HISTORY_FILING,
    CBC_HISTORY_RECORD_ALTERED },
  { "UPDATE penalties SET amount_fen = 1 WHERE hazard_id = %lld", CBC_HISTORY_PENALTY,
    CBC_HISTORY_RECORD_ALTERED },
  { "DELETE FROM fines WHERE id = %lld", CBC_HISTORY_FINE, CBC_HISTORY_RECORD_MISSING },
  { "DELETE FROM hazard_attachments WHERE id = %lld", CBC_HISTORY_ATTACHMENT,
    CBC_HISTORY_RECORD_MISSING },
};

/* The first record of @p kind (its id). */
static int64_t first_of(cbc_db *db, cbc_history_kind kind)
{
  char sql[256];
  for (size_t i = 0; i < N_KINDS; i++)
    if (kinds[i].kind == kind) {
      snprintf(sql, sizeof(sql), "SELECT min(%s) FROM %s", kinds[i].key, kinds[i].table);
      return cbc_test_sql_int(db, sql);
    }
  fail_msg("no kind %d", (int)kind);
  return 0;
}

static void expect(cbc_db *db, cbc_history_fault fault, cbc_history_kind kind, int64_t id,
                   int64_t seq)
{
  cbc_history_verdict *v = verify(db, NULL, 0);
  if (v->fault != fault || v->kind != kind || v->record_id != id || v->seq != seq)
    fail_msg("expected %s of %s %lld at link %lld, got %s of %s %lld at link %lld: %s",
             cbc_history_fault_name(fault), cbc_history_kind_name(kind), (long long)id,
             (long long)seq, cbc_history_fault_name(v->fault),
             cbc__str(cbc_history_kind_name(v->kind)), (long long)v->record_id,
             (long long)v->seq, v->message);
  assert_true(strlen(v->message) > 0);
  cbc_history_verdict_free(v);
}

/* Each edit of a record is found at the record's newest link. */
static void test_record_edits_are_found(void **state)
{
  (void)state;
  char sql[512];
  for (size_t i = 0; i < sizeof(record_edits) / sizeof(record_edits[0]); i++) {
    const edit_case *c = &record_edits[i];
    cbc_db *db = fixture();
    int64_t id = first_of(db, c->kind);
    int64_t seq = sql_int(db, "SELECT max(seq) FROM history_chain WHERE kind = %d"
                              " AND record_id = %lld", (int)c->kind, (long long)id);
    snprintf(sql, sizeof(sql), c->sql, (long long)id);
    edit(db, sql);
    expect(db, c->fault, c->kind, id, seq);
    cbc_db_close(db);
  }
}

/* A record added behind the library's back has no link. */
static void test_added_record_is_found(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  int64_t fine = first_of(db, CBC_HISTORY_FINE);
  edit(db, "INSERT INTO fines(id, employee_id, unit_id, amount_fen, reason, hazard_id,"
           " violation, issued_by, issued_at, enterprise_id) SELECT id + 100, employee_id,"
           " unit_id, amount_fen, reason, hazard_id, violation, issued_by, issued_at,"
           " enterprise_id FROM fines");
  expect(db, CBC_HISTORY_RECORD_UNCHAINED, CBC_HISTORY_FINE, fine + 100, 0);
  cbc_db_close(db);
}

/* A changed, removed or moved link breaks the chain where it is. */
static void test_link_edits_are_found(void **state)
{
  (void)state;
  static const struct {
    const char *sql; /* %lld: E1's id */
    int64_t seq;     /* where the chain breaks */
  } cases[] = {
    { "UPDATE history_chain SET hash = digest WHERE enterprise_id = %lld AND seq = 2", 2 },
    { "UPDATE history_chain SET record_id = record_id + 1 WHERE enterprise_id = %lld"
      " AND seq = 3", 3 },
    { "DELETE FROM history_chain WHERE enterprise_id = %lld AND seq = 2", 3 },
    { "UPDATE history_chain SET seq = seq + 100000 WHERE enterprise_id = %lld AND seq = 1", 2 },
  };
  char sql[512];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cbc_db *db = fixture();
    int64_t e1 = U(db, "E1");
    snprintf(sql, sizeof(sql), cases[i].sql, (long long)e1);
    edit(db, sql);
    cbc_history_verdict *v = verify(db, NULL, 0);
    assert_int_equal(v->fault, CBC_HISTORY_LINK_ALTERED);
    assert_int_equal(v->tenant_id, e1);
    assert_int_equal(v->seq, cases[i].seq);
    cbc_history_verdict_free(v);
    cbc_db_close(db);
  }
}

/* Recompute @p tenant's whole chain from the records as they are now, as
 * an intruder who knows the encoding would. */
static void rewrite_chain(cbc_db *db, int64_t tenant)
{
  cbc_store *st = db->store;
  int64_t n = sql_int(db, "SELECT count(*) FROM history_chain WHERE enterprise_id = %lld",
                      (long long)tenant);
  uint8_t prev[32] = { 0 }, hash[32], digest[32];
  char sql[512], hex[65], dhex[65];
  for (int64_t seq = 1; seq <= n; seq++) {
    int kind = (int)sql_int(db, "SELECT kind FROM history_chain WHERE enterprise_id = %lld"
                                " AND seq = %lld", (long long)tenant, (long long)seq);
    int64_t id = sql_int(db, "SELECT record_id FROM history_chain WHERE enterprise_id = %lld"
                             " AND seq = %lld", (long long)tenant, (long long)seq);
    int64_t t;
    bool found;
    assert_cbc_ok(cbc_store__chain_digest(st, kind, id, digest, &t, &found));
    assert_true(found);
    cbc_store__chain_link_hash(prev, tenant, seq, kind, id, digest, hash);
    sodium_bin2hex(hex, sizeof(hex), hash, 32);
    sodium_bin2hex(dhex, sizeof(dhex), digest, 32);
    snprintf(sql, sizeof(sql), cbc_test_on_postgres()
             ? "UPDATE history_chain SET digest = decode('%s', 'hex'), hash = decode('%s', 'hex')"
               " WHERE enterprise_id = %lld AND seq = %lld"
             : "UPDATE history_chain SET digest = X'%s', hash = X'%s'"
               " WHERE enterprise_id = %lld AND seq = %lld", dhex, hex, (long long)tenant,
             (long long)seq);
    edit(db, sql);
    memcpy(prev, hash, 32);
  }
}

/* An intruder who rewrites the chain after an edit passes the verifier
 * alone, but not a checkpoint taken before; so with one who cuts the
 * chain back together with its records. */
static void test_checkpoint_catches_a_rewritten_chain(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  int64_t e1 = U(db, "E1");
  cbc_history_checkpoint held;
  assert_cbc_ok(cbc_history_head(&held, db, e1));
  edit(db, "UPDATE fines SET amount_fen = 1");
  rewrite_chain(db, e1);
  assert_sound(db);
  cbc_history_verdict *v = verify(db, &held, 1);
  assert_int_equal(v->fault, CBC_HISTORY_CHECKPOINT_DIFFERS);
  assert_int_equal(v->tenant_id, e1);
  assert_int_equal(v->seq, held.seq);
  assert_int_equal(v->kind, 0);
  cbc_history_verdict_free(v);
  cbc_db_close(db);

  db = fixture(); /* the last link (the filing) and its record gone */
  assert_cbc_ok(cbc_history_head(&held, db, e1));
  char sql[256];
  snprintf(sql, sizeof(sql), "DELETE FROM history_chain WHERE enterprise_id = %lld"
           " AND seq = %lld", (long long)e1, (long long)held.seq);
  edit(db, sql);
  edit(db, "DELETE FROM filings");
  assert_sound(db);
  v = verify(db, &held, 1);
  assert_int_equal(v->fault, CBC_HISTORY_CHECKPOINT_DIFFERS);
  assert_int_equal(v->seq, held.seq);
  assert_non_null(strstr(v->message, "cut back"));
  cbc_history_verdict_free(v);
  cbc_history_checkpoint older = held; /* an earlier head still matches */
  older.seq--;
  uint8_t hash[32];
  bool found;
  assert_cbc_ok(cbc_store__chain_link_at(db->store, e1, older.seq, hash, &found));
  assert_true(found);
  sodium_bin2hex(older.hash, sizeof(older.hash), hash, 32);
  v = verify(db, &older, 1);
  assert_int_equal(v->fault, CBC_HISTORY_SOUND);
  cbc_history_verdict_free(v);
  cbc_db_close(db);
}

static void test_bad_checkpoints(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_history_checkpoint cp;
  assert_cbc_ok(cbc_history_head(&cp, db, U(db, "E1")));
  cbc_history_checkpoint bad = cp;
  cbc_history_verdict *v = NULL;
  bad.hash[63] = '\0';
  assert_cbc_error(cbc_history_verify(&v, db, &bad, 1), CBC_EINVAL, "64 lowercase hex");
  bad = cp;
  bad.hash[0] = 'A';
  assert_cbc_error(cbc_history_verify(&v, db, &bad, 1), CBC_EINVAL, "hex");
  bad = cp;
  bad.seq = -1;
  assert_cbc_error(cbc_history_verify(&v, db, &bad, 1), CBC_EINVAL, "checkpoint 0");
  bad = cp;
  bad.seq = 0; /* a hash without links */
  assert_cbc_error(cbc_history_verify(&v, db, &bad, 1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_history_verify(&v, db, NULL, 1), CBC_EINVAL, "none given");
  assert_cbc_error(cbc_history_verify(NULL, db, NULL, 0), CBC_EINVAL, "out");
  assert_cbc_error(cbc_history_verify(&v, NULL, NULL, 0), CBC_EINVAL, NULL);
  assert_null(v);
  assert_cbc_error(cbc_history_head(&cp, db, -1), CBC_EINVAL, "negative");
  assert_cbc_error(cbc_history_head(NULL, db, 0), CBC_EINVAL, NULL);
  cbc_history_checkpoint twice[2] = { cp, cp }; /* each held is compared, in any order */
  twice[1].hash[0] = twice[1].hash[0] == 'a' ? 'b' : 'a';
  for (int i = 0; i < 2; i++) {
    v = verify(db, twice, 2);
    assert_int_equal(v->fault, CBC_HISTORY_CHECKPOINT_DIFFERS);
    assert_int_equal(v->seq, cp.seq);
    cbc_history_verdict_free(v);
    cbc_history_checkpoint first = twice[0];
    twice[0] = twice[1];
    twice[1] = first;
  }
  cbc_history_checkpoint empty = { U(db, "E1") + 1000, 0, "" }; /* no links yet: fine */
  v = verify(db, &empty, 1);
  assert_int_equal(v->fault, CBC_HISTORY_SOUND);
  cbc_history_verdict_free(v);
  cbc_db_close(db);
}

/* ---------------------------------------------------------- the hook */

typedef struct heard {
  cbc_history_checkpoint cp[8];
  int n;
} heard;

static int hear(const cbc_history_checkpoint *cp, void *payload)
{
  heard *h = payload;
  if (h->n < 8)
    h->cp[h->n] = *cp;
  h->n++;
  return 0;
}

static void assert_heard_head(cbc_db *db, const heard *h, int i, int64_t tenant)
{
  cbc_history_checkpoint head;
  assert_cbc_ok(cbc_history_head(&head, db, tenant));
  assert_int_equal(h->cp[i].tenant_id, tenant);
  assert_int_equal(h->cp[i].seq, head.seq);
  assert_string_equal(h->cp[i].hash, head.hash);
}

/* The hook hears each chain's new head after the commit: once per call,
 * once per chain at a group's commit, never for what is rolled back. */
static void test_checkpoint_hook(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  heard h = { 0 };
  assert_cbc_ok(cbc_history_set_checkpoint_hook(db, hear, &h));
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "一");
  assert_int_equal(h.n, 1);
  assert_heard_head(db, &h, 0, U(db, "E1"));
  h.n = 0;
  cbc_hazard_record bad = cbc_test_record(db, "A1", "T1", CBC_SEVERITY_GENERAL, "");
  assert_cbc_error(cbc_hazard_report(NULL, NULL, db, &bad), CBC_EINVAL, NULL);
  assert_int_equal(h.n, 0);
  assert_cbc_ok(cbc_db_begin(db));
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "二");
  assert_cbc_ok(cbc_employee_transfer(db, E(db, "B1"), U(db, "T1"), now));
  cbc_test_report(db, "A2", "T1", CBC_SEVERITY_GENERAL, "三");
  assert_int_equal(h.n, 0);
  assert_cbc_ok(cbc_db_commit(db));
  assert_int_equal(h.n, 2); /* chain 0's head, then E1's newest */
  assert_heard_head(db, &h, 0, 0);
  assert_heard_head(db, &h, 1, U(db, "E1"));
  h.n = 0;
  assert_cbc_ok(cbc_db_begin(db));
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "四");
  assert_cbc_ok(cbc_db_rollback(db));
  assert_int_equal(h.n, 0);
  assert_cbc_ok(cbc_history_set_checkpoint_hook(db, NULL, NULL));
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "五");
  assert_int_equal(h.n, 0);
  assert_cbc_error(cbc_history_set_checkpoint_hook(NULL, hear, &h), CBC_EINVAL, NULL);
  assert_sound(db);
  cbc_db_close(db);
}

/* ----------------------------------------------------- upgrade, engines */

/* A schema-19 file's records get their links on the first read-write
 * open; a read-only handle before that is refused the upgrade. */
static void test_upgrade_builds_the_chains(void **state)
{
  (void)state;
  if (cbc_test_on_postgres())
    skip(); /* the step is the same SQL on PostgreSQL; test_pg_schema upgrades */
  const char *path = cbc_test_path("v19.db");
  cbc_test_unlink(path);
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(path, &now);
  seed_every_kind(db);
  int64_t links = cbc_test_sql_int(db, "SELECT count(*) FROM history_chain");
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 "PRAGMA user_version=19", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(raw);
  cbc_db_options ro = CBC_DB_OPTIONS_INIT;
  ro.flags = CBC_DB_READONLY;
  assert_cbc_error(cbc_db_open(&db, path, &ro), CBC_ESTATE, "needs upgrading to 20");
  db = cbc_test_db_file(path, &now);
  int64_t records = 0;
  char sql[256];
  for (size_t i = 0; i < N_KINDS; i++) {
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", kinds[i].table);
    records += cbc_test_sql_int(db, sql);
  }
  /* one link a record now: the steps before the upgrade are not replayed */
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM history_chain"), records);
  assert_true(records < links);
  assert_int_equal(cbc_test_sql_int(db, "SELECT value FROM settings"
                                        " WHERE key = 'history_chained'"), 1);
  assert_sound(db);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_lookup(&f, db, 1));
  assert_int_equal(f->checkpoint.seq, 0); /* filed before the chains */
  cbc_filing_free(f);
  cbc_db_close(db);
  db = cbc_test_db_file(path, &now); /* built once */
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM history_chain"), records);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* The same history written on the engine under test and on an SQLite
 * file gives the same chains, hash for hash. */
static void test_same_bytes_on_either_engine(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  const char *path = cbc_test_path("same.db");
  cbc_test_unlink(path);
  now = cbc_test_date(2026, 1, 5);
  cbc_db *lite = cbc_test_db_file(path, &now);
  seed_every_kind(lite);
  int64_t chains[] = { 0, U(db, "E1") };
  for (size_t i = 0; i < 2; i++) {
    cbc_history_checkpoint a, b;
    assert_cbc_ok(cbc_history_head(&a, db, chains[i]));
    assert_cbc_ok(cbc_history_head(&b, lite, chains[i]));
    assert_true(a.seq > 0);
    assert_int_equal(a.seq, b.seq);
    assert_string_equal(a.hash, b.hash);
  }
  cbc_db_close(lite);
  cbc_test_unlink(path);
  cbc_db_close(db);
}

static void be64(uint8_t out[8], uint64_t v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    out[i] = (uint8_t)v;
}

static void sha_u64(crypto_hash_sha256_state *h, uint64_t v)
{
  uint8_t b[8];
  be64(b, v);
  crypto_hash_sha256_update(h, b, 8);
}

/* The first link of chain 0, computed here from docs/history.md's
 * encoding: one employee's transfer. */
static void test_first_link_by_hand(void **state)
{
  (void)state;
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db(&now);
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  u.external_id = "E9";
  u.kind = CBC_UNIT_ENTERPRISE;
  u.name = "E9";
  int64_t unit;
  assert_cbc_ok(cbc_unit_upsert(&unit, db, &u));
  u.external_id = u.name = "T9";
  u.parent_external_id = "E9";
  u.kind = CBC_UNIT_TEAM;
  assert_cbc_ok(cbc_unit_upsert(&unit, db, &u));
  cbc_employee_record e = CBC_EMPLOYEE_RECORD_INIT;
  e.external_id = "X1";
  e.name = "X1";
  e.unit_external_id = "T9";
  e.active = 1;
  int64_t emp, from = unit;
  assert_cbc_ok(cbc_employee_upsert(&emp, db, &e));
  u.external_id = u.name = "T8";
  assert_cbc_ok(cbc_unit_upsert(&unit, db, &u));
  now += 3600;
  assert_cbc_ok(cbc_employee_transfer(db, emp, unit, now));
  int64_t ev = cbc_test_sql_int(db, "SELECT id FROM employee_events");
  int64_t kind = cbc_test_sql_int(db, "SELECT kind FROM employee_events");
  int64_t at = cbc_test_sql_int(db, "SELECT at FROM employee_events");
  crypto_hash_sha256_state h;
  uint8_t digest[32], link[32], zero[32] = { 0 }, mark[1];
  crypto_hash_sha256_init(&h);
  crypto_hash_sha256_update(&h, (const uint8_t *)"cbc-record-1", 13); /* with its NUL */
  sha_u64(&h, CBC_HISTORY_EMPLOYEE_EVENT);
  sha_u64(&h, (uint64_t)ev);
  mark[0] = 1;
  crypto_hash_sha256_update(&h, mark, 1); /* a row: chain, employee, kind, at, from, to */
  const int64_t row[] = { 0, emp, kind, at, from, unit };
  for (int i = 0; i < 6; i++)
    sha_u64(&h, (uint64_t)row[i]);
  mark[0] = 0;
  crypto_hash_sha256_update(&h, mark, 1); /* the rows' end */
  crypto_hash_sha256_final(&h, digest);
  crypto_hash_sha256_init(&h);
  crypto_hash_sha256_update(&h, (const uint8_t *)"cbc-link-1", 11);
  crypto_hash_sha256_update(&h, zero, 32);
  const int64_t fields[] = { 0, 1, CBC_HISTORY_EMPLOYEE_EVENT, ev };
  for (int i = 0; i < 4; i++)
    sha_u64(&h, (uint64_t)fields[i]);
  crypto_hash_sha256_update(&h, digest, 32);
  crypto_hash_sha256_final(&h, link);
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), link, 32);
  cbc_history_checkpoint head;
  assert_cbc_ok(cbc_history_head(&head, db, 0));
  assert_int_equal(head.seq, 1);
  assert_string_equal(head.hash, hex);
  cbc_db_close(db);
}

/* ------------------------------------------------- concurrency, memory */

static void reporter(const char *target, const char *who, int rounds)
{
  int64_t clock = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(target, &clock);
  for (int i = 0; i < rounds; i++) {
    cbc_hazard_record r = cbc_test_record(db, who, "T1", CBC_SEVERITY_GENERAL, "并发");
    clock += 60;
    if (cbc_hazard_report(NULL, NULL, db, &r) != 0)
      _exit(1);
  }
  cbc_db_close(db);
  _exit(0);
}

/* Writers in other processes append to one enterprise's chain at once:
 * every record has its link, in one unbroken chain. */
static void test_concurrent_writers(void **state)
{
  (void)state;
  enum { WRITERS = 3 };
  static const char *const who[WRITERS] = { "A1", "A2", "B1" };
  int rounds = cbc_test_light() ? 5 : 20;
  char target[512];
  snprintf(target, sizeof(target), "%s", cbc_test_target("chains.db"));
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db_file(target, &now);
  cbc_test_seed_org(db);
  cbc_db_close(db);
  pid_t pids[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0)
      reporter(target, who[i], rounds);
  }
  for (int i = 0; i < WRITERS; i++) {
    int status = 0;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  db = cbc_test_db_file(target, &now);
  int64_t e1 = U(db, "E1");
  int64_t n = WRITERS * rounds;
  assert_int_equal(sql_int(db, "SELECT count(*) FROM history_chain WHERE enterprise_id = %lld",
                           (long long)e1), 2 * n); /* a report and its event each */
  assert_sound(db);
  cbc_db_close(db);
}

/* Every allocation of a report failing in turn: nothing written, no link,
 * and the chain sound; then the report whole, with its links. */
static void test_allocation_failures(void **state)
{
  (void)state;
  cbc_test_alloc_install(1);
  now = cbc_test_date(2026, 1, 5);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "先");
  int64_t rows = cbc_test_all_rows(db);
  long stride = cbc_test_fault_stride(), points = 0, n = 1;
  cbc_hazard_record r = cbc_test_record(db, "A2", "T1", CBC_SEVERITY_GENERAL, "后");
  for (;; n += stride) {
    cbc_test_fail_after(n);
    int rc = cbc_hazard_report(NULL, NULL, db, &r);
    bool failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (!rc)
      break;
    assert_true(failed);
    assert_int_equal(rc, CBC_ENOMEM);
    assert_int_equal(cbc_test_all_rows(db), rows);
    points++;
  }
  assert_true(points > 0);
  assert_true(cbc_test_all_rows(db) > rows);
  assert_sound(db);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_kind_is_chained),
    cmocka_unit_test(test_record_edits_are_found),
    cmocka_unit_test(test_added_record_is_found),
    cmocka_unit_test(test_link_edits_are_found),
    cmocka_unit_test(test_checkpoint_catches_a_rewritten_chain),
    cmocka_unit_test(test_bad_checkpoints),
    cmocka_unit_test(test_checkpoint_hook),
    cmocka_unit_test(test_upgrade_builds_the_chains),
    cmocka_unit_test(test_same_bytes_on_either_engine),
    cmocka_unit_test(test_first_link_by_hand),
    cmocka_unit_test(test_concurrent_writers),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
