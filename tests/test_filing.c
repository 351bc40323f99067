/* Filing (include/cbc/filing.h, docs/filing.md): due dates worked out by
 * hand, versions kept as filed, who may file and sign, refusals that file
 * nothing, the standing of a node's children, and a filing no statement
 * can change.  Runs on either engine (CBC_TEST_ENGINE). */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DAY 86400

static int64_t now;

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* The last second of a local day. */
static int64_t day_end(int y, int m, int d) { return cbc_test_date(y, m, d) + DAY - 1; }

static const cbc_period feb = { CBC_PERIOD_MONTH, 2026, 2, 0, 0 };
static const cbc_period q1 = { CBC_PERIOD_QUARTER, 2026, 1, 0, 0 };

static void add_unit(cbc_db *db, const char *ext, const char *parent, cbc_unit_kind kind)
{
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  int64_t id;
  u.external_id = ext;
  u.parent_external_id = parent;
  u.kind = kind;
  u.name = ext;
  assert_cbc_ok(cbc_unit_upsert(&id, db, &u));
}

static void add_person(cbc_db *db, const char *ext, const char *unit, unsigned int roles)
{
  cbc_employee_record e = CBC_EMPLOYEE_RECORD_INIT;
  int64_t id;
  e.external_id = ext;
  e.name = ext;
  e.unit_external_id = unit;
  e.roles = roles;
  e.active = 1;
  assert_cbc_ok(cbc_employee_upsert(&id, db, &e));
}

/* The seed org (R1 over E1, its principal P1, safety officer S1, R1's
 * union cadre C1) and: E1's union cadre C2; R1's chair C0 (a cadre sitting
 * in R1); E2 under R1 (team T4) with its principal P2 and cadre C3; E3
 * under R1 (team T5); region R2 under R1 with E4 (team T6). */
static cbc_db *fixture(void)
{
  now = cbc_test_date(2026, 1, 1);
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  add_person(db, "C2", "T3", CBC_ROLE_UNION_CADRE);
  add_person(db, "C0", "R1", CBC_ROLE_UNION_CADRE);
  add_unit(db, "E2", "R1", CBC_UNIT_ENTERPRISE);
  add_unit(db, "T4", "E2", CBC_UNIT_TEAM);
  add_unit(db, "E3", "R1", CBC_UNIT_ENTERPRISE);
  add_unit(db, "T5", "E3", CBC_UNIT_TEAM);
  add_unit(db, "R2", "R1", CBC_UNIT_REGION);
  add_unit(db, "E4", "R2", CBC_UNIT_ENTERPRISE);
  add_unit(db, "T6", "E4", CBC_UNIT_TEAM);
  add_person(db, "P2", "T4", CBC_ROLE_PRINCIPAL);
  add_person(db, "C3", "T4", CBC_ROLE_UNION_CADRE | CBC_ROLE_SAFETY_OFFICER);
  return db;
}

/* Close E3 (its team first). */
static void close_e3(cbc_db *db)
{
  assert_cbc_ok(cbc_unit_close(db, U(db, "T5")));
  assert_cbc_ok(cbc_unit_close(db, U(db, "E3")));
}

static cbc_filing_record record(cbc_db *db, cbc_filing_kind kind, const char *unit,
                                const cbc_period *p, const char *signer)
{
  cbc_filing_record r = CBC_FILING_RECORD_INIT;
  r.kind = kind;
  r.unit_id = U(db, unit);
  r.period = *p;
  r.signed_by = E(db, signer);
  return r;
}

static int64_t file_at(cbc_db *db, int64_t when, const char *actor, const cbc_filing_record *r)
{
  int64_t id = 0;
  now = when;
  assert_cbc_ok(cbc_filing_submit(&id, db, E(db, actor), r));
  assert_true(id > 0);
  return id;
}

static int64_t due(cbc_db *db, cbc_filing_kind kind, cbc_period_kind pk, int year, int number)
{
  cbc_period p = { pk, year, number, 0, 0 };
  int64_t at = 0;
  assert_cbc_ok(cbc_filing_due(&at, db, kind, &p));
  return at;
}

/* The statutory dates, and the monthly form's by the policy. */
static void test_due_dates(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  const cbc_filing_kind T = CBC_FILING_HAZARD_TABLE, F = CBC_FILING_MONTHLY_FORM;
  assert_int_equal(due(db, T, CBC_PERIOD_QUARTER, 2026, 1), day_end(2026, 4, 15));
  assert_int_equal(due(db, T, CBC_PERIOD_QUARTER, 2026, 3), day_end(2026, 10, 15));
  assert_int_equal(due(db, T, CBC_PERIOD_QUARTER, 2026, 4), day_end(2027, 1, 15));
  assert_int_equal(due(db, T, CBC_PERIOD_YEAR, 2026, 0), day_end(2027, 1, 31));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 2), day_end(2026, 2, 25));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 12), day_end(2026, 12, 25));
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"monthly_form_due_day\": 31}", E(db, "C1")));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 2), day_end(2026, 2, 28));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2028, 2), day_end(2028, 2, 29));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 4), day_end(2026, 4, 30));
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"monthly_form_due_day\": 5,"
                               " \"monthly_form_due_next_month\": true}", E(db, "C1")));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 2), day_end(2026, 3, 5));
  assert_int_equal(due(db, F, CBC_PERIOD_MONTH, 2026, 12), day_end(2027, 1, 5));
  assert_cbc_error(cbc_policy_set(NULL, db, "{\"monthly_form_due_day\": 0}", E(db, "C1")),
                   CBC_EINVAL, "a day of the month: 1..31");
  assert_cbc_error(cbc_policy_set(NULL, db, "{\"monthly_form_due_day\": 32}", E(db, "C1")),
                   CBC_EINVAL, "monthly_form_due_day");
  int64_t at = 0;
  assert_cbc_error(cbc_filing_due(&at, db, F, &q1), CBC_EINVAL, "filed for a month");
  assert_cbc_error(cbc_filing_due(&at, db, T, &feb), CBC_EINVAL, "a quarter or a year");
  assert_cbc_error(cbc_filing_due(&at, db, (cbc_filing_kind)9, &feb), CBC_EINVAL,
                   "unknown filing kind");
  cbc_period bad = { CBC_PERIOD_QUARTER, 2026, 5, 0, 0 };
  assert_cbc_error(cbc_filing_due(&at, db, T, &bad), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_filing_due(NULL, db, T, &q1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_filing_due(&at, NULL, T, &q1), CBC_EINVAL, NULL);
  cbc_db_close(db);
}

static int64_t report_at(cbc_db *db, int64_t when, const char *unit)
{
  cbc_hazard_record r = cbc_test_record(db, "A1", unit, CBC_SEVERITY_GENERAL, "护栏缺失");
  now = when;
  int64_t id;
  char *key = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &key, db, &r));
  cbc_free(key);
  return id;
}

/* Every rendering of @p f prints the history's checkpoint it was filed at:
 * its enterprise's (or region node's) chain head. */
static void assert_checkpoint_printed(const cbc_filing *f, int64_t tenant)
{
  char want[256];
  const cbc_history_checkpoint *cp = &f->checkpoint;
  assert_int_equal(cp->tenant_id, tenant);
  assert_true(cp->seq >= 1);
  assert_int_equal(strlen(cp->hash), 64);
  snprintf(want, sizeof(want), "History checkpoint: chain %lld, link %lld, SHA-256 %s\n",
           (long long)tenant, (long long)cp->seq, cp->hash);
  assert_non_null(strstr(f->text, want));
  snprintf(want, sizeof(want), "\r\nhistory_checkpoint,%lld,%lld,%s\r\n", (long long)tenant,
           (long long)cp->seq, cp->hash);
  assert_non_null(strstr(f->csv, want));
  snprintf(want, sizeof(want), ",\"history_checkpoint\":{\"chain\":%lld,\"seq\":%lld,"
           "\"sha256\":\"%s\"}}\n", (long long)tenant, (long long)cp->seq, cp->hash);
  assert_string_equal(f->json + strlen(f->json) - strlen(want), want);
}

/* The hazard table filed twice: each version keeps what it showed when it
 * was filed, the first on time, the second late. */
static void test_versions_as_filed(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  report_at(db, cbc_test_date(2026, 2, 3), "T1");
  cbc_filing_record r = record(db, CBC_FILING_HAZARD_TABLE, "E1", &q1, "P1");
  r.note = "一季度";
  int64_t first = file_at(db, cbc_test_date(2026, 4, 10), "S1", &r);
  report_at(db, cbc_test_date(2026, 3, 9), "T2"); /* recorded late */
  r.note = NULL;
  int64_t second = file_at(db, day_end(2026, 4, 15) + 1, "P1", &r);

  cbc_filing *v1 = NULL, *v2 = NULL, *newest = NULL, *by_id = NULL;
  assert_cbc_ok(cbc_filing_get(&v1, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, 1));
  assert_cbc_ok(cbc_filing_get(&v2, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, 2));
  assert_cbc_ok(cbc_filing_get(&newest, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, 0));
  assert_cbc_ok(cbc_filing_lookup(&by_id, db, first));
  assert_int_equal(v1->id, first);
  assert_int_equal(v2->id, second);
  assert_int_equal(newest->id, second);
  assert_int_equal(by_id->version, 1);
  assert_int_equal(v1->version, 1);
  assert_int_equal(v2->version, 2);
  assert_int_equal(v1->kind, CBC_FILING_HAZARD_TABLE);
  assert_int_equal(v1->unit_id, U(db, "E1"));
  assert_int_equal(v1->period.kind, CBC_PERIOD_QUARTER);
  assert_int_equal(v1->period.year, 2026);
  assert_int_equal(v1->period.number, 1);
  assert_int_equal(v1->filed_by, E(db, "S1"));
  assert_int_equal(v2->filed_by, E(db, "P1"));
  assert_int_equal(v1->signed_by, E(db, "P1"));
  assert_int_equal(v1->filed_at, cbc_test_date(2026, 4, 10));
  assert_int_equal(v1->due_at, day_end(2026, 4, 15));
  assert_int_equal(v1->late, 0);
  assert_int_equal(v2->late, 1);
  assert_string_equal(v1->note, "一季度");
  assert_string_equal(v2->note, "");
  /* one hazard then, two now: each version as it was filed */
  assert_non_null(strstr(v1->json, "\"general_found\":1"));
  assert_non_null(strstr(v2->json, "\"general_found\":2"));
  assert_string_equal(by_id->json, v1->json);
  cbc_hazard_table *t = NULL;
  char *json = NULL, *text = NULL, *csv = NULL;
  assert_cbc_ok(cbc_hazard_table_get(&t, db, U(db, "E1"), &q1));
  assert_cbc_ok(cbc_hazard_table_render(&json, db, t, CBC_STATS_JSON));
  assert_cbc_ok(cbc_hazard_table_render(&text, db, t, CBC_STATS_TEXT));
  assert_cbc_ok(cbc_hazard_table_render(&csv, db, t, CBC_STATS_CSV));
  /* the renderings as they are now, then the checkpoint */
  assert_memory_equal(v2->json, json, strlen(json) - 2);
  assert_memory_equal(v2->text, text, strlen(text));
  assert_memory_equal(v2->csv, csv, strlen(csv));
  assert_checkpoint_printed(v1, U(db, "E1"));
  assert_checkpoint_printed(v2, U(db, "E1"));
  /* between them: the second hazard's report and the first filing */
  assert_int_equal(v2->checkpoint.seq, v1->checkpoint.seq + 3);
  assert_non_null(strstr(v1->text, cbc_hazard_table_title()));
  cbc_free(json);
  cbc_free(text);
  cbc_free(csv);
  cbc_hazard_table_free(t);

  cbc_filing *none = NULL;
  assert_cbc_error(cbc_filing_get(&none, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, 3),
                   CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_filing_get(&none, db, U(db, "E2"), CBC_FILING_HAZARD_TABLE, &q1, 0),
                   CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_filing_get(&none, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, -1),
                   CBC_EINVAL, "version");
  assert_cbc_error(cbc_filing_lookup(&none, db, second + 100), CBC_ENOTFOUND, NULL);
  assert_null(none);
  cbc_filing_free(v1);
  cbc_filing_free(v2);
  cbc_filing_free(newest);
  cbc_filing_free(by_id);
  cbc_filing_free(NULL);
  cbc_db_close(db);
}

/* The monthly form as filed is the form's rendering at that moment, for an
 * enterprise (by its union cadre) and for a region node (by its cadre). */
static void test_monthly_form(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  report_at(db, cbc_test_date(2026, 2, 3), "T1");
  cbc_filing_record r = record(db, CBC_FILING_MONTHLY_FORM, "E1", &feb, "C2");
  int64_t id = file_at(db, cbc_test_date(2026, 2, 20), "C2", &r);
  r = record(db, CBC_FILING_MONTHLY_FORM, "R1", &feb, "C0");
  file_at(db, cbc_test_date(2026, 2, 26), "C1", &r);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_lookup(&f, db, id));
  cbc_stats_form *form = NULL;
  char *json = NULL;
  assert_cbc_ok(cbc_stats_form_get(&form, db, U(db, "E1"), &feb, 0));
  assert_cbc_ok(cbc_stats_form_render(&json, db, form, CBC_STATS_JSON));
  assert_memory_equal(f->json, json, strlen(json) - 2); /* then the checkpoint */
  assert_checkpoint_printed(f, U(db, "E1"));
  assert_non_null(strstr(f->text, cbc_stats_form_title()));
  assert_int_equal(f->late, 0);
  assert_int_equal(f->due_at, day_end(2026, 2, 25));
  cbc_free(json);
  cbc_stats_form_free(form);
  cbc_filing_free(f);
  assert_cbc_ok(cbc_filing_get(&f, db, U(db, "R1"), CBC_FILING_MONTHLY_FORM, &feb, 0));
  assert_int_equal(f->late, 1);
  assert_int_equal(f->filed_by, E(db, "C1"));
  cbc_filing_free(f);
  cbc_db_close(db);
}

/* A refused filing: the error, and nothing written. */
static void refused(cbc_db *db, const char *actor, const cbc_filing_record *r, int code,
                    const char *needle)
{
  int64_t rows = cbc_test_all_rows(db), id = -1;
  now = cbc_test_date(2026, 4, 2);
  int64_t actor_id = actor ? E(db, actor) : 999999;
  assert_cbc_error(cbc_filing_submit(&id, db, actor_id, r), code, needle);
  assert_int_equal(id, -1);
  assert_int_equal(cbc_test_all_rows(db), rows);
}

static void test_who_may_file(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  const cbc_filing_kind T = CBC_FILING_HAZARD_TABLE, F = CBC_FILING_MONTHLY_FORM;
  cbc_filing_record r = record(db, T, "E1", &q1, "P1");
  refused(db, "A1", &r, CBC_EPERM, "a safety officer or a principal");
  refused(db, "C2", &r, CBC_EPERM, "a safety officer or a principal");
  refused(db, "C3", &r, CBC_EPERM, "of the enterprise");  /* E2's officer */
  refused(db, NULL, &r, CBC_ENOTFOUND, NULL);
  r.signed_by = E(db, "S1");
  refused(db, "S1", &r, CBC_EPERM, "sign this report: a principal does");
  r.signed_by = E(db, "P2");
  refused(db, "S1", &r, CBC_EPERM, "may not sign the report of unit");
  r.signed_by = 999999;
  refused(db, "S1", &r, CBC_ENOTFOUND, NULL);
  r = record(db, T, "R1", &q1, "C0");
  refused(db, "C1", &r, CBC_ESTATE, "filed by an enterprise");
  r = record(db, F, "T1", &feb, "C2");
  refused(db, "C2", &r, CBC_ESTATE, "an enterprise or a region node");
  r = record(db, F, "E1", &feb, "C2");
  refused(db, "C1", &r, CBC_EPERM, "of the enterprise"); /* R1's cadre, not E1's */
  refused(db, "S1", &r, CBC_EPERM, "a union cadre");
  r.signed_by = E(db, "P1");
  refused(db, "C2", &r, CBC_EPERM, "sign this report: a union cadre");
  r = record(db, F, "R1", &feb, "C0");
  refused(db, "C2", &r, CBC_EPERM, "sitting in the region node");
  r.signed_by = E(db, "C2");
  refused(db, "C1", &r, CBC_EPERM, "sitting in the region node");
  /* the record itself */
  r = record(db, F, "E1", &q1, "C2");
  refused(db, "C2", &r, CBC_EINVAL, "filed for a month");
  cbc_period may = { CBC_PERIOD_MONTH, 2026, 5, 0, 0 };
  r = record(db, F, "E1", &may, "C2");
  refused(db, "C2", &r, CBC_EINVAL, "has not begun");
  r = record(db, F, "E1", &feb, "C2");
  r.note = "\xff";
  refused(db, "C2", &r, CBC_EINVAL, "note");
  r.note = NULL;
  r.version = 99;
  refused(db, "C2", &r, CBC_EINVAL, NULL);
  r.version = CBC_FILING_RECORD_VERSION;
  r.kind = (cbc_filing_kind)7;
  refused(db, "C2", &r, CBC_EINVAL, "unknown filing kind");
  assert_cbc_error(cbc_filing_submit(NULL, db, E(db, "C2"), NULL), CBC_EINVAL, NULL);
  /* a closed enterprise files nothing; an inactive person files nothing */
  r = record(db, F, "E2", &feb, "C3");
  now = cbc_test_date(2026, 3, 1);
  assert_cbc_ok(cbc_filing_submit(NULL, db, E(db, "C3"), &r));
  cbc_employee_record leaver = CBC_EMPLOYEE_RECORD_INIT;
  int64_t id;
  leaver.external_id = "C3";
  leaver.name = "C3";
  leaver.unit_external_id = "T4";
  leaver.roles = CBC_ROLE_UNION_CADRE;
  leaver.active = 0;
  assert_cbc_ok(cbc_employee_upsert(&id, db, &leaver));
  refused(db, "C3", &r, CBC_EPERM, "not active");
  close_e3(db);
  r = record(db, F, "E3", &feb, "C2");
  refused(db, "C2", &r, CBC_ESTATE, "closed");
  assert_string_equal(cbc_filing_kind_name(CBC_FILING_HAZARD_TABLE), "hazard_table");
  assert_string_equal(cbc_filing_state_name(CBC_FILING_LATE), "late");
  assert_null(cbc_filing_kind_name((cbc_filing_kind)0));
  assert_null(cbc_filing_state_name((cbc_filing_state)5));
  cbc_filing_record_init(&r, CBC_FILING_RECORD_VERSION);
  assert_int_equal(r.kind, 0);
  assert_cbc_error(cbc_filing_record_init(&r, 0), CBC_EINVAL, NULL);
  cbc_db_close(db);
}

static const cbc_filing_status_entry *entry(const cbc_filing_status *st, int64_t unit)
{
  for (size_t i = 0; i < st->n_entries; i++)
    if (st->entries[i].unit_id == unit)
      return &st->entries[i];
  fail_msg("unit %lld is not in the status", (long long)unit);
  return NULL;
}

static cbc_filing_status *status_at(cbc_db *db, int64_t when, const char *unit,
                                    cbc_filing_kind kind, const cbc_period *p)
{
  cbc_filing_status *st = NULL;
  now = when;
  assert_cbc_ok(cbc_filing_status_get(&st, db, U(db, unit), kind, p));
  assert_int_equal(st->on_time + st->late + st->missing + st->pending, st->n_entries);
  for (size_t i = 1; i < st->n_entries; i++)
    assert_true(st->entries[i - 1].unit_id < st->entries[i].unit_id);
  return st;
}

/* The monthly form is owed to R1 by its children E1, E2, E3 and R2; the
 * hazard table by every enterprise under it, E4 too. */
static void test_status_of_children(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  const cbc_filing_kind T = CBC_FILING_HAZARD_TABLE, F = CBC_FILING_MONTHLY_FORM;
  cbc_filing_status *st = status_at(db, cbc_test_date(2026, 2, 10), "R1", F, &feb);
  assert_int_equal(st->n_entries, 4);
  assert_int_equal(st->pending, 4);
  assert_int_equal(st->due_at, day_end(2026, 2, 25));
  cbc_filing_status_free(st);

  cbc_filing_record r = record(db, F, "E1", &feb, "C2");
  file_at(db, cbc_test_date(2026, 2, 20), "C2", &r);
  file_at(db, cbc_test_date(2026, 3, 3), "C2", &r); /* a second version, late */
  r = record(db, F, "E2", &feb, "C3");
  file_at(db, day_end(2026, 2, 25) + 1, "C3", &r);
  st = status_at(db, cbc_test_date(2026, 3, 5), "R1", F, &feb);
  assert_int_equal(st->n_entries, 4);
  assert_int_equal(st->on_time, 1);
  assert_int_equal(st->late, 1);
  assert_int_equal(st->missing, 2);
  assert_int_equal(st->pending, 0);
  const cbc_filing_status_entry *e1 = entry(st, U(db, "E1"));
  assert_int_equal(e1->state, CBC_FILING_ON_TIME);
  assert_int_equal(e1->versions, 2);
  assert_int_equal(e1->first_filed_at, cbc_test_date(2026, 2, 20));
  assert_int_equal(e1->last_filed_at, cbc_test_date(2026, 3, 3));
  assert_int_equal(entry(st, U(db, "E2"))->state, CBC_FILING_LATE);
  assert_int_equal(entry(st, U(db, "E3"))->state, CBC_FILING_MISSING);
  assert_int_equal(entry(st, U(db, "E3"))->versions, 0);
  assert_int_equal(entry(st, U(db, "R2"))->state, CBC_FILING_MISSING);
  cbc_filing_status_free(st);

  r = record(db, T, "E4", &q1, "P1"); /* E4 has no principal: P1 is E1's */
  refused(db, "S1", &r, CBC_EPERM, "of the enterprise");
  r = record(db, T, "E1", &q1, "P1");
  file_at(db, cbc_test_date(2026, 4, 15), "S1", &r);
  st = status_at(db, day_end(2026, 4, 15), "R1", T, &q1);
  assert_int_equal(st->n_entries, 4); /* E1, E2, E3, E4 */
  assert_int_equal(st->on_time, 1);
  assert_int_equal(st->pending, 3);
  assert_int_equal(entry(st, U(db, "E4"))->state, CBC_FILING_PENDING);
  cbc_filing_status_free(st);
  st = status_at(db, day_end(2026, 4, 15) + 1, "R2", T, &q1);
  assert_int_equal(st->n_entries, 1);
  assert_int_equal(st->missing, 1);
  cbc_filing_status_free(st);
  st = status_at(db, day_end(2026, 4, 15) + 1, "E1", T, &q1);
  assert_int_equal(st->n_entries, 1);
  assert_int_equal(st->on_time, 1);
  cbc_filing_status_free(st);
  close_e3(db);
  st = status_at(db, cbc_test_date(2026, 5, 1), "R1", T, &q1);
  assert_int_equal(st->n_entries, 3); /* a closed unit owes nothing */
  cbc_filing_status_free(st);

  cbc_filing_status *none = NULL;
  assert_cbc_error(cbc_filing_status_get(&none, db, 999999, T, &q1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_filing_status_get(&none, db, U(db, "R1"), T, &feb), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_filing_status_get(&none, db, U(db, "R1"), T, NULL), CBC_EINVAL, NULL);
  assert_null(none);
  cbc_filing_status_free(NULL);
  cbc_db_close(db);
}

/* A major hazard of E1's T1 reported by A1 at @p when, registered the next
 * hour at ENTERPRISE level by its principal, with its plan. */
static int64_t major_hazard(cbc_db *db, int64_t when)
{
  static const cbc_rectification_plan plan = { "消除坠落风险", "加装防护栏", "专项资金",
                                               "设备科", 1900000000, "设警戒区" };
  int64_t id = report_at(db, when, "T1");
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_MAJOR;
  g.level = CBC_LEVEL_ENTERPRISE;
  g.measures = "更换护栏";
  g.funds_fen = 1250000;
  g.deadline = when + 60 * DAY;
  g.contingency_plan = "停用平台";
  g.plan = &plan;
  now = when + 3600;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "P1"), &g));
  return id;
}

static int reportable(cbc_db *db, int64_t hazard_id)
{
  int yes = -1;
  assert_cbc_ok(cbc_filing_hazard_reportable(&yes, db, hazard_id));
  return yes;
}

/* What each report is filed for, and which hazards take the major-hazard
 * report: the library's answers that front ends show. */
static void test_kinds_periods_and_reportable_hazards(void **state)
{
  (void)state;
  unsigned int bits = 99;
  assert_cbc_ok(cbc_filing_kind_periods(&bits, CBC_FILING_MONTHLY_FORM));
  assert_int_equal(bits, 1u << CBC_PERIOD_MONTH);
  assert_cbc_ok(cbc_filing_kind_periods(&bits, CBC_FILING_HAZARD_TABLE));
  assert_int_equal(bits, (1u << CBC_PERIOD_QUARTER) | (1u << CBC_PERIOD_YEAR));
  assert_cbc_ok(cbc_filing_kind_periods(&bits, CBC_FILING_CONGRESS_REPORT));
  assert_int_equal(bits, (1u << CBC_PERIOD_QUARTER) | (1u << CBC_PERIOD_YEAR));
  assert_cbc_ok(cbc_filing_kind_periods(&bits, CBC_FILING_MAJOR_HAZARD_REPORT));
  assert_int_equal(bits, 0);
  assert_cbc_error(cbc_filing_kind_periods(&bits, (cbc_filing_kind)9), CBC_EINVAL, "unknown");
  assert_cbc_error(cbc_filing_kind_periods(NULL, CBC_FILING_MONTHLY_FORM), CBC_EINVAL, NULL);
  cbc_db *db = fixture();
  int64_t general = report_at(db, cbc_test_date(2026, 2, 3), "T1");
  int64_t major = major_hazard(db, cbc_test_date(2026, 2, 4));
  cbc_hazard_record r = cbc_test_record(db, "A1", "T1", CBC_SEVERITY_MAJOR, "未登记");
  int64_t proposed;
  assert_cbc_ok(cbc_hazard_report(&proposed, NULL, db, &r));
  assert_int_equal(reportable(db, general), 0);
  assert_int_equal(reportable(db, major), 1);
  assert_int_equal(reportable(db, proposed), 0); /* proposed major, not registered */
  assert_cbc_ok(cbc_hazard_reject(db, proposed, E(db, "P1"), "重复", major));
  assert_int_equal(reportable(db, proposed), 0);
  int yes = 7;
  assert_cbc_error(cbc_filing_hazard_reportable(&yes, db, major + 100), CBC_ENOTFOUND, NULL);
  assert_int_equal(yes, 0);
  assert_cbc_error(cbc_filing_hazard_reportable(NULL, db, major), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_filing_hazard_reportable(&yes, NULL, major), CBC_EINVAL, NULL);
  cbc_db_close(db);
}

static cbc_filing_record major_record(cbc_db *db, int64_t hazard_id)
{
  cbc_filing_record r = CBC_FILING_RECORD_INIT;
  r.kind = CBC_FILING_MAJOR_HAZARD_REPORT;
  r.unit_id = U(db, "E1");
  r.hazard_id = hazard_id;
  r.signed_by = E(db, "P1");
  r.cause = "护栏锈蚀断裂";
  r.harm = "可致高处坠落死亡";
  r.difficulty = "需停产两日更换";
  return r;
}

static size_t lines(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* The prompt report of a major hazard: its three parts, due the day after
 * the report, every version kept; refused for what is not a registered
 * major hazard with a plan, and for a record of the wrong shape. */
static void test_major_hazard_report(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  int64_t h = major_hazard(db, cbc_test_date(2026, 3, 2) + 9 * 3600);
  cbc_filing_record r = major_record(db, h);
  int64_t first = file_at(db, cbc_test_date(2026, 3, 3) + 10 * 3600, "S1", &r);
  r.note = "补充";
  file_at(db, cbc_test_date(2026, 3, 4) + 10 * 3600, "S1", &r);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_get_for_hazard(&f, db, h, 1));
  assert_int_equal(f->id, first);
  assert_int_equal(f->hazard_id, h);
  assert_int_equal(f->kind, CBC_FILING_MAJOR_HAZARD_REPORT);
  assert_int_equal(f->unit_id, U(db, "E1"));
  assert_int_equal(f->due_at, day_end(2026, 3, 3));
  assert_int_equal(f->late, 0);
  assert_int_equal(f->period.kind, 0);
  static const char *const in_text[] = {
    "重大事故隐患报告\n", "报告单位：Steelworks\n", "一、隐患的现状及其产生原因\n",
    "隐患名称：护栏缺失\n", "所在部位：Shift A\n", "上报日期：2026-03-02\n",
    "治理状态：已登记\n", "治理层级：企业\n", "挂牌督办：否\n", "整改责任人：Sun Hua\n",
    "整改资金（万元）：1.25\n", "应急预案：停用平台\n", "产生原因：护栏锈蚀断裂\n",
    "二、隐患的危害程度和整改难易程度分析\n", "危害程度：可致高处坠落死亡\n",
    "整改难易程度：需停产两日更换\n", "三、隐患的治理方案\n",
    "治理的目标和任务：消除坠落风险\n", "负责治理的机构和人员：设备科\n",
    "安全措施和应急预案：设警戒区\n",
  };
  for (size_t i = 0; i < sizeof(in_text) / sizeof(in_text[0]); i++)
    if (!strstr(f->text, in_text[i]))
      fail_msg("'%s' not in the report:\n%s", in_text[i], f->text);
  assert_non_null(strstr(f->json, "\"cause\":{\"cause\":\"护栏锈蚀断裂\"}"));
  assert_non_null(strstr(f->json, "\"analysis\":{\"harm\":\"可致高处坠落死亡\","
                                  "\"difficulty\":\"需停产两日更换\"}"));
  assert_non_null(strstr(f->json, "\"funds_wan\":\"1.25\""));
  assert_int_equal(lines(f->csv), 26); /* the header, 24 items and the checkpoint */
  assert_checkpoint_printed(f, U(db, "E1"));
  cbc_filing_free(f);
  assert_cbc_ok(cbc_filing_get_for_hazard(&f, db, h, 0));
  assert_int_equal(f->version, 2);
  assert_int_equal(f->late, 1);
  assert_string_equal(f->note, "补充");
  cbc_filing_free(f);
  assert_cbc_error(cbc_filing_get_for_hazard(&f, db, h, 3), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_filing_get_for_hazard(&f, db, 999999, 0), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_filing_get_for_hazard(&f, db, h, -1), CBC_EINVAL, "version");
  assert_cbc_error(cbc_filing_get(&f, db, U(db, "E1"), CBC_FILING_MAJOR_HAZARD_REPORT, &q1, 0),
                   CBC_EINVAL, "for a hazard");
  cbc_filing_status *st = NULL;
  assert_cbc_error(cbc_filing_status_get(&st, db, U(db, "E1"), CBC_FILING_MAJOR_HAZARD_REPORT,
                                         &q1), CBC_EINVAL, "for a hazard");
  assert_null(f);

  /* the hazard must be a registered major one with its plan, of the unit */
  int64_t general = report_at(db, cbc_test_date(2026, 3, 6), "T1");
  r = major_record(db, general);
  refused(db, "S1", &r, CBC_ESTATE, "not a registered major hazard");
  r = major_record(db, 999999);
  refused(db, "S1", &r, CBC_ENOTFOUND, NULL);
  r = major_record(db, h);
  r.unit_id = U(db, "E2");
  refused(db, "C3", &r, CBC_EINVAL, "is of enterprise");
  r = major_record(db, h);
  refused(db, "C2", &r, CBC_EPERM, "a safety officer or a principal");
  r.signed_by = E(db, "S1");
  refused(db, "S1", &r, CBC_EPERM, "a principal");
  /* the record's shape */
  r = major_record(db, h);
  r.period = q1;
  refused(db, "S1", &r, CBC_EINVAL, "has no period");
  r = major_record(db, h);
  r.cause = NULL;
  refused(db, "S1", &r, CBC_EINVAL, "cause");
  r = major_record(db, h);
  r.harm = "";
  refused(db, "S1", &r, CBC_EINVAL, "harm");
  r = major_record(db, h);
  r.difficulty = "\xfe";
  refused(db, "S1", &r, CBC_EINVAL, "difficulty");
  r = major_record(db, 0);
  refused(db, "S1", &r, CBC_EINVAL, "needs its hazard");
  r = record(db, CBC_FILING_HAZARD_TABLE, "E1", &q1, "P1");
  r.hazard_id = h;
  refused(db, "S1", &r, CBC_EINVAL, "only the major-hazard report");
  r.hazard_id = 0;
  r.cause = "x";
  refused(db, "S1", &r, CBC_EINVAL, "only the major-hazard report");
  cbc_db_close(db);
}

/* Its due date follows the policy's major_hazard_report_days. */
static void test_major_hazard_report_due(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"major_hazard_report_days\": 0}", E(db, "C1")));
  int64_t h = major_hazard(db, cbc_test_date(2026, 1, 31) + 20 * 3600);
  cbc_filing_record r = major_record(db, h);
  file_at(db, cbc_test_date(2026, 2, 1) + 3600, "P1", &r);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_get_for_hazard(&f, db, h, 0));
  assert_int_equal(f->due_at, day_end(2026, 1, 31));
  assert_int_equal(f->late, 1);
  cbc_filing_free(f);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"major_hazard_report_days\": 3}", E(db, "C1")));
  h = major_hazard(db, cbc_test_date(2026, 2, 27));
  r = major_record(db, h);
  file_at(db, cbc_test_date(2026, 3, 2) + 3600, "P1", &r);
  assert_cbc_ok(cbc_filing_get_for_hazard(&f, db, h, 0));
  assert_int_equal(f->due_at, day_end(2026, 3, 2));
  assert_int_equal(f->late, 0);
  cbc_filing_free(f);
  cbc_db_close(db);
}

/* Close hazard @p id: started, submitted and verified by the principal at
 * @p when. */
static void close_at(cbc_db *db, int64_t id, int64_t when)
{
  now = when - 7200;
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "P1")));
  now = when - 3600;
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "P1"), "已整改", NULL, 0));
  now = when;
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0));
}

/* The report to the employee congress for Q1 2026: the hazard table as
 * filed with it, and the major hazards open in the quarter (one still
 * open, one closed in it), not one closed before it. */
static void test_congress_report(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  int64_t before = major_hazard(db, cbc_test_date(2025, 11, 3));
  close_at(db, before, cbc_test_date(2025, 12, 20));
  int64_t closed = major_hazard(db, cbc_test_date(2025, 12, 3));
  close_at(db, closed, cbc_test_date(2026, 2, 20));
  int64_t open = major_hazard(db, cbc_test_date(2026, 3, 3));
  report_at(db, cbc_test_date(2026, 1, 5), "T2");
  cbc_filing_record r = record(db, CBC_FILING_CONGRESS_REPORT, "E1", &q1, "P1");
  int64_t id = file_at(db, cbc_test_date(2026, 4, 10), "S1", &r);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_lookup(&f, db, id));
  assert_int_equal(f->due_at, day_end(2026, 4, 15));
  assert_int_equal(f->late, 0);
  cbc_hazard_table *t = NULL;
  char *text = NULL, *csv = NULL;
  assert_cbc_ok(cbc_hazard_table_get(&t, db, U(db, "E1"), &q1));
  assert_cbc_ok(cbc_hazard_table_render(&text, db, t, CBC_STATS_TEXT));
  assert_cbc_ok(cbc_hazard_table_render(&csv, db, t, CBC_STATS_CSV));
  assert_non_null(strstr(f->text, text));
  assert_int_equal(strncmp(f->csv, csv, strlen(csv)), 0);
  assert_non_null(strstr(f->text, "事故隐患排查治理情况报告\n"));
  assert_non_null(strstr(f->text, "《安全生产法》第四十一条"));
  char line[200];
  snprintf(line, sizeof(line), "（1）护栏缺失（编号 %lld，Shift A）：已销号；上报 2025-12-03；",
           (long long)closed);
  assert_non_null(strstr(f->text, line));
  snprintf(line, sizeof(line), "（2）护栏缺失（编号 %lld，Shift A）：已登记；上报 2026-03-03；",
           (long long)open);
  assert_non_null(strstr(f->text, line));
  assert_non_null(strstr(f->text, "2026-02-20 销号"));
  snprintf(line, sizeof(line), "\"hazard_id\":%lld,", (long long)before);
  assert_null(strstr(f->json, line));
  snprintf(line, sizeof(line), "\"major_hazards\":[{\"hazard_id\":%lld,", (long long)closed);
  assert_non_null(strstr(f->json, line));
  assert_non_null(strstr(f->json, "\"table\":{\"unit_id\":"));
  assert_non_null(strstr(f->csv, "\r\n\r\nhazard_id,title,unit,state,"));
  /* a blank line, the head, two hazards, the checkpoint */
  assert_int_equal(lines(f->csv), lines(csv) + 5);
  cbc_free(text);
  cbc_free(csv);
  cbc_hazard_table_free(t);
  cbc_filing_free(f);

  cbc_filing_status *st = status_at(db, cbc_test_date(2026, 4, 16), "R1",
                                    CBC_FILING_CONGRESS_REPORT, &q1);
  assert_int_equal(st->n_entries, 4);
  assert_int_equal(st->on_time, 1);
  assert_int_equal(st->missing, 3);
  cbc_filing_status_free(st);
  r = record(db, CBC_FILING_CONGRESS_REPORT, "R1", &q1, "C0");
  refused(db, "C1", &r, CBC_ESTATE, "filed by an enterprise");
  r = record(db, CBC_FILING_CONGRESS_REPORT, "E1", &feb, "P1");
  refused(db, "S1", &r, CBC_EINVAL, "a quarter or a year");
  r = record(db, CBC_FILING_CONGRESS_REPORT, "E1", &q1, "P1");
  refused(db, "C2", &r, CBC_EPERM, "a safety officer or a principal");
  cbc_db_close(db);
}

/* The Ankang Cup decision's reasons for E1 over Q1 2026, at @p when. */
static char *cup_reasons(cbc_db *db, int64_t when)
{
  cbc_reward_decisions *ds = NULL;
  now = when;
  assert_cbc_ok(cbc_reward_evaluate(&ds, db, U(db, "E1"), &q1, CBC_EVALUATE_DRY_RUN));
  char *reasons = NULL;
  for (size_t i = 0; i < ds->count; i++)
    if (ds->decisions[i].rule == CBC_RULE_ANKANG_CUP && ds->decisions[i].subject_id == U(db, "E1"))
      reasons = strdup(ds->decisions[i].reasons);
  cbc_reward_decisions_free(ds);
  assert_non_null(reasons);
  return reasons;
}

static void assert_reason(cbc_db *db, int64_t when, const char *needle)
{
  char *reasons = cup_reasons(db, when);
  if (!strstr(reasons, needle))
    fail_msg("'%s' not in the reasons: %s", needle, reasons);
  free(reasons);
}

/* The Ankang Cup's "monthly reports filed on time" from filings (a policy
 * switch): January's form on time, February's late, March's missing once
 * it is due. */
static void test_ankang_cup_from_filings(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_period jan = { CBC_PERIOD_MONTH, 2026, 1, 0, 0 };
  cbc_filing_record r = record(db, CBC_FILING_MONTHLY_FORM, "E1", &jan, "C2");
  file_at(db, cbc_test_date(2026, 1, 20), "C2", &r);
  r.period = feb;
  file_at(db, cbc_test_date(2026, 3, 1), "C2", &r);
  file_at(db, cbc_test_date(2026, 3, 2), "C2", &r);
  int64_t cadre = E(db, "C1");
  assert_reason(db, cbc_test_date(2026, 4, 10), "months without campaign data");
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"ankang_cup\":"
                               " {\"reports_from_filings\": true}}}", cadre));
  assert_reason(db, cbc_test_date(2026, 3, 20), "monthly forms not filed on time 1 > 0");
  assert_reason(db, cbc_test_date(2026, 4, 10), "monthly forms not filed on time 2 > 0");
  char *reasons = cup_reasons(db, cbc_test_date(2026, 4, 10));
  assert_null(strstr(reasons, "months without campaign data"));
  free(reasons);
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"ankang_cup\":"
                               " {\"reports_from_filings\": true,"
                               " \"months_not_filed_on_time\": 2}}}", cadre));
  assert_reason(db, cbc_test_date(2026, 4, 10), "monthly forms not filed on time 2 <= 2");
  r.period.number = 3;
  file_at(db, cbc_test_date(2026, 3, 25), "C2", &r);
  assert_reason(db, cbc_test_date(2026, 4, 10), "monthly forms not filed on time 1 <= 2");
  cbc_db_close(db);
}

/* One filer process: @p rounds filings of E1's Q1 table, each retried
 * while the database is busy; exits 0 when every one was filed. */
static void filer(const char *target, int64_t unit, int64_t officer, int64_t principal,
                  int rounds)
{
  int64_t clock = cbc_test_date(2026, 4, 10);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &clock;
  o.busy_timeout_ms = 10000;
  cbc_db *db = NULL;
  int rc = cbc_db_open(&db, target, &o);
  cbc_filing_record r = CBC_FILING_RECORD_INIT;
  r.kind = CBC_FILING_HAZARD_TABLE;
  r.unit_id = unit;
  r.period = q1;
  r.signed_by = principal;
  for (int i = 0; i < rounds && !rc; i++)
    while ((rc = cbc_filing_submit(NULL, db, officer, &r)) == CBC_EBUSY)
      ;
  if (rc)
    fprintf(stderr, "filer: %s\n", cbc_error_last()->message);
  cbc_db_close(db);
  _exit(rc ? 1 : 0);
}

/* Several processes file the same report at once: every filing is kept,
 * numbered 1..n without a gap or a repeat. */
static void test_concurrent_filers(void **state)
{
  (void)state;
  enum { FILERS = 4 };
  int rounds = cbc_test_light() ? 3 : 10;
  char target[512];
  snprintf(target, sizeof(target), "%s", cbc_test_target("filers.db"));
  now = cbc_test_date(2026, 1, 1);
  cbc_db *db = cbc_test_db_file(target, &now);
  cbc_test_seed_org(db);
  int64_t unit = U(db, "E1"), officer = E(db, "S1"), principal = E(db, "P1");
  cbc_db_close(db);
  pid_t pids[FILERS];
  for (int i = 0; i < FILERS; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0)
      filer(target, unit, officer, principal, rounds);
  }
  for (int i = 0; i < FILERS; i++) {
    int status = 0;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  db = cbc_test_db_file(target, &now);
  int n = FILERS * rounds;
  int64_t ids[FILERS * 10];
  for (int v = 1; v <= n; v++) {
    cbc_filing *f = NULL;
    assert_cbc_ok(cbc_filing_get(&f, db, unit, CBC_FILING_HAZARD_TABLE, &q1, v));
    assert_int_equal(f->version, v);
    ids[v - 1] = f->id;
    for (int w = 0; w < v - 1; w++)
      assert_true(ids[w] != f->id);
    cbc_filing_free(f);
  }
  cbc_filing *none = NULL;
  assert_cbc_error(cbc_filing_get(&none, db, unit, CBC_FILING_HAZARD_TABLE, &q1, n + 1),
                   CBC_ENOTFOUND, NULL);
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM filings"), n);
  cbc_db_close(db);
}

/* No statement changes or removes a filing, on either engine. */
static void test_filings_never_change(void **state)
{
  (void)state;
  cbc_db *db = fixture();
  cbc_filing_record r = record(db, CBC_FILING_HAZARD_TABLE, "E1", &q1, "P1");
  file_at(db, cbc_test_date(2026, 4, 10), "S1", &r);
  const char *edits[] = { "UPDATE filings SET json = '{}'", "UPDATE filings SET filed_at = 0",
                          "DELETE FROM filings" };
  for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
    int rc = drv_exec(db->store->conn, edits[i], "editing a filing");
    assert_int_not_equal(rc, 0);
  }
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM filings"), 1);
  assert_int_equal(cbc_test_sql_int(db, "SELECT count(*) FROM filings WHERE json = '{}'"), 0);
  assert_int_equal(cbc_test_sql_int(db, "SELECT enterprise_id FROM filings"), U(db, "E1"));
  cbc_db_close(db);
}

/* Every allocation of filing @p r failing in turn (every stride-th under
 * valgrind): an error and nothing filed, or the filing whole.  Returns the
 * failure points. */
static long sweep_submit(cbc_db *db, int64_t actor, const cbc_filing_record *r)
{
  int64_t rows = cbc_test_all_rows(db);
  long stride = cbc_test_fault_stride(), points = 0, n = 1;
  for (;; n += stride) {
    int64_t id = 0;
    cbc_test_fail_after(n);
    int rc = cbc_filing_submit(&id, db, actor, r);
    bool failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (!rc)
      break;
    assert_true(failed);
    assert_int_equal(rc, CBC_ENOMEM);
    assert_int_equal(cbc_test_all_rows(db), rows);
    points++;
  }
  assert_true(cbc_test_all_rows(db) > rows); /* partitions count their rows twice */
  print_message("filing kind %d: %ld failure points of %ld allocations\n", (int)r->kind, points,
                n);
  return points;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  cbc_test_alloc_install(1);
  cbc_db *db = fixture();
  int64_t h = major_hazard(db, cbc_test_date(2026, 2, 3));
  cbc_filing_record table = record(db, CBC_FILING_HAZARD_TABLE, "E1", &q1, "P1");
  cbc_filing_record report = major_record(db, h);
  int64_t officer = E(db, "S1");
  now = cbc_test_date(2026, 4, 3);
  assert_true(sweep_submit(db, officer, &table) > 0);
  assert_true(sweep_submit(db, officer, &report) > 0);
  cbc_filing_record congress = record(db, CBC_FILING_CONGRESS_REPORT, "E1", &q1, "P1");
  assert_true(sweep_submit(db, officer, &congress) > 0);
  cbc_filing *f = NULL;
  assert_cbc_ok(cbc_filing_get(&f, db, U(db, "E1"), CBC_FILING_HAZARD_TABLE, &q1, 0));
  assert_int_equal(f->version, 1);
  cbc_filing_free(f);
  assert_cbc_ok(cbc_filing_get_for_hazard(&f, db, h, 0));
  assert_int_equal(f->version, 1);
  cbc_filing_free(f);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_due_dates),
    cmocka_unit_test(test_versions_as_filed),
    cmocka_unit_test(test_monthly_form),
    cmocka_unit_test(test_who_may_file),
    cmocka_unit_test(test_status_of_children),
    cmocka_unit_test(test_major_hazard_report),
    cmocka_unit_test(test_kinds_periods_and_reportable_hazards),
    cmocka_unit_test(test_major_hazard_report_due),
    cmocka_unit_test(test_congress_report),
    cmocka_unit_test(test_ankang_cup_from_filings),
    cmocka_unit_test(test_concurrent_filers),
    cmocka_unit_test(test_filings_never_change),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests_name("filing", tests, NULL, NULL);
}
