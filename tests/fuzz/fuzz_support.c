/* Shared by the fuzz targets (fuzz_support.h). */
#include "fuzz_support.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  setenv("CMOCKA_TEST_ABORT", "1", 1);
  return 0;
}

uint8_t fz_byte(fz_input *in)
{
  if (in->size == 0)
    return 0;
  in->size--;
  return *in->data++;
}

unsigned int fz_pick(fz_input *in, unsigned int n)
{
  return fz_byte(in) % n;
}

char *fz_text(fz_input *in, size_t max)
{
  size_t len = fz_byte(in);
  len = len < in->size ? len : in->size;
  len = len < max ? len : max;
  char *text = malloc(len + 1);
  assert_non_null(text);
  memcpy(text, in->data, len);
  text[len] = '\0';
  in->data += len;
  in->size -= len;
  return text;
}

int fz_check_rc(int rc, const char *call, const int *allowed, size_t n, const char *file,
                int line)
{
  static int trace = -1;
  if (trace < 0)
    trace = getenv("CBC_FUZZ_TRACE") != NULL;
  if (trace)
    fprintf(stderr, "%s:%d: %s -> %s%s%s\n", file, line, call, rc ? cbc_error_name(rc) : "0",
            rc ? ": " : "", rc ? cbc_error_last()->message : "");
  if (rc == 0)
    return rc;
  size_t i = 0;
  while (i < n && allowed[i] != rc)
    i++;
  const cbc_error *e = cbc_error_last();
  if (i == n)
    fail_msg("%s:%d: %s returned %d (%s), not a documented code: %s", file, line, call, rc,
             cbc_error_name(rc), e->message ? e->message : "(no message)");
  if (e->code != rc || !e->message || !e->message[0])
    fail_msg("%s:%d: %s returned %d but cbc_error_last() has code %d, message \"%s\"", file,
             line, call, rc, e->code, e->message ? e->message : "(null)");
  return rc;
}

void fz_assert_json(const char *text, const char *what)
{
  json_error_t err;
  json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    fail_msg("%s is not JSON (%s at %d): %s", what, err.text, err.position, text);
  json_decref(doc);
}

int64_t fz_start_time(void)
{
  return cbc_test_date(2025, 3, 10) + 9 * 3600;
}

cbc_hazard_record fz_record(cbc_db *db, const char *reporter, const char *unit)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = cbc_test_employee_id(db, reporter);
  r.unit_id = cbc_test_unit_id(db, unit);
  r.title = "guard missing";
  r.description = "the guard of roller 2 was not put back";
  r.location = "line 2";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.observed_at = cbc_db_now(db) - 60;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

int64_t fz_closed_on_spot(cbc_db *db, const char *reporter, const char *unit,
                          const char *verifier)
{
  cbc_hazard_record r = fz_record(db, reporter, unit);
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_fix_on_spot(&id, db, &r, "put the guard back", NULL, 0));
  assert_cbc_ok(
    cbc_hazard_verify(db, id, cbc_test_employee_id(db, verifier), 1, NULL, NULL, 0));
  return id;
}

cbc_rectification_plan fz_plan(const char *text, int64_t time_limit)
{
  cbc_rectification_plan p = { text, text, text, text, time_limit, text };
  return p;
}

int64_t fz_major_registered(cbc_db *db, const char *text, int *rc)
{
  cbc_hazard_record r = fz_record(db, "A2", "T1");
  r.proposed_severity = CBC_SEVERITY_MAJOR;
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  int64_t deadline = cbc_db_now(db) + 30 * 86400;
  cbc_rectification_plan plan = fz_plan(text, deadline);
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = CBC_SEVERITY_MAJOR;
  reg.level = CBC_LEVEL_ENTERPRISE;
  reg.measures = text;
  reg.funds_fen = 100000;
  reg.deadline = deadline;
  reg.contingency_plan = text;
  reg.plan = &plan;
  *rc = cbc_hazard_register(db, id, cbc_test_employee_id(db, "S1"), &reg);
  return id;
}

static int same_award_target(const cbc_award *a, const cbc_award *b)
{
  return a->rule == b->rule && a->subject_kind == b->subject_kind &&
         a->subject_id == b->subject_id && strcmp(a->cause, b->cause) == 0;
}

size_t fz_assert_awards_once(cbc_db *db)
{
  cbc_awards *awards = NULL;
  assert_cbc_ok(cbc_award_list(&awards, db, 0, 0, 0, 0, 0));
  for (size_t i = 0; i < awards->count; i++)
    for (size_t j = i + 1; j < awards->count; j++) {
      const cbc_award *a = awards->items[i], *b = awards->items[j];
      if (same_award_target(a, b) || (a->hazard_id && a->hazard_id == b->hazard_id))
        fail_msg("awards %lld and %lld are for the same thing (%s, rule %d)", (long long)a->id,
                 (long long)b->id, a->cause, (int)a->rule);
    }
  size_t n = awards->count;
  cbc_awards_free(awards);
  return n;
}

void fz_assert_form_agrees(cbc_db *db, int64_t unit, cbc_period period)
{
  cbc_stats_form *a = NULL, *r = NULL;
  assert_cbc_ok(cbc_stats_form_get(&a, db, unit, &period, 0));
  assert_cbc_ok(cbc_stats_form_get(&r, db, unit, &period, CBC_STATS_FROM_RECORDS));
  const int64_t x[] = { a->units_ran, a->employees_took_part, a->training_sessions,
                        a->employees_trained, a->leader_classes, a->leaders_trained,
                        a->units_assigned, a->supervision_visits, a->hazards_found,
                        a->hazards_listed, a->hazards_rectified };
  const int64_t y[] = { r->units_ran, r->employees_took_part, r->training_sessions,
                        r->employees_trained, r->leader_classes, r->leaders_trained,
                        r->units_assigned, r->supervision_visits, r->hazards_found,
                        r->hazards_listed, r->hazards_rectified };
  for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
    if (x[i] != y[i])
      fail_msg("unit %lld, period kind %d %d/%d, figure %zu: aggregates %lld, records %lld",
               (long long)unit, (int)period.kind, period.year, period.number, i,
               (long long)x[i], (long long)y[i]);
  if (r->employees_trained > r->employees_took_part || r->leaders_trained > r->employees_trained)
    fail_msg("unit %lld, period kind %d %d/%d: more trained than took part", (long long)unit,
             (int)period.kind, period.year, period.number);
  cbc_stats_form_free(a);
  cbc_stats_form_free(r);
}

cbc_db *fz_seeded_db(int64_t *now)
{
  cbc_db *db = cbc_test_db(now);
  cbc_test_seed_org(db);
  return db;
}
