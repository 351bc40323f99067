/* Long texts hold paragraphs (issue 10, defect 8): descriptions, measures,
 * contingency plans, rectification plans, reasons, notes, visit findings,
 * proposal texts and fine reasons accept LF, CR LF and tabs, while names,
 * titles, ids and references stay single-line and every other control
 * character (and a CR alone) stays refused.  Every such text — with quotes,
 * backslashes, U+2028, emoji and CJK — round-trips: through the API, through
 * the raw row, and through every JSON document the library writes (event
 * data, renderings), parsed back with jansson. */
#include "helpers.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t DAY = 86400;

/* Each variant is distinct, so a text found cannot be another field's. */
static const char *const variants[] = {
  "第一段：护栏松动。\n第二段：\t螺栓缺失 \"两颗\"，路径 C:\\车间\\二号",
  "Windows line\r\nbreaks\r\n\tand a tab",
  "line\u2028separator and \u2029paragraph, emoji 🚧⚠️ and 𠀋 (U+2000B)",
  "quotes \" and \\\" and backslashes \\\\ and a slash /",
  "\n\nstarts and ends with breaks\n\n",
  "{\"looks\": \"like JSON\"}\t<b>html</b> & ampersand",
};
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static char texts[64][256]; /* one distinct long text per field */
static size_t n_texts;

/* A distinct long text: a variant with a serial number. */
static const char *long_text(void)
{
  assert_true(n_texts < 64);
  snprintf(texts[n_texts], sizeof(texts[0]), "%zu: %s", n_texts,
           variants[n_texts % N_VARIANTS]);
  return texts[n_texts++];
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static cbc_hazard_record record(cbc_db *db, cbc_severity sev)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, "A1");
  r.unit_id = U(db, "T1");
  r.title = "防护栏松动";
  r.description = long_text();
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = sev;
  return r;
}

/* The JSON string @p key of event data @p data, parsed with jansson;
 * NULL when absent. */
static char *event_text(const char *data, const char *key)
{
  json_error_t err;
  json_t *o = json_loads(data, JSON_REJECT_DUPLICATES, &err);
  if (!o)
    fail_msg("event data is not JSON (%s): %s", err.text, data);
  assert_true(json_is_object(o));
  json_t *v = json_object_get(o, key);
  char *copy = v ? strdup(json_string_value(v)) : NULL;
  json_decref(o);
  return copy;
}

/* Every text given to hazard @p id appears, byte for byte, in its event
 * data under @p key at event @p index. */
static void assert_event_text(cbc_db *db, int64_t id, size_t index, const char *key,
                              const char *want)
{
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_true(index < n);
  char *got = event_text(ev[index].data, key);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
  cbc_hazard_events_free(ev, n);
}

static int setup(void **state)
{
  now = cbc_test_date(2024, 3, 10);
  n_texts = 0;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static void test_hazard_texts_round_trip(void **state)
{
  cbc_db *db = *state;
  size_t checked = 0;
  /* a general hazard through every move that takes a long text */
  cbc_hazard_record r = record(db, CBC_SEVERITY_GENERAL);
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  assert_event_text(db, id, 0, "description", r.description), checked++;
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = long_text();
  g.contingency_plan = long_text();
  g.funds_fen = 100;
  g.deadline = now + 7 * DAY;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "L1"), &g));
  assert_event_text(db, id, 1, "measures", g.measures), checked++;
  assert_event_text(db, id, 1, "contingency_plan", g.contingency_plan), checked++;
  const char *ext = long_text(), *decide = long_text(), *up = long_text();
  assert_cbc_ok(cbc_hazard_request_extension(db, id, E(db, "L1"), g.deadline + DAY, ext));
  assert_event_text(db, id, 2, "reason", ext), checked++;
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, E(db, "S1"), 1, decide));
  assert_event_text(db, id, 3, "reason", decide), checked++;
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "L1"), up, E(db, "B1")));
  assert_event_text(db, id, 4, "reason", up), checked++;
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "B1")));
  const char *submit = long_text(), *fail = long_text(), *resubmit = long_text(),
             *pass = long_text(), *reopen = long_text();
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "B1"), submit, NULL, 0));
  assert_event_text(db, id, 6, "note", submit), checked++;
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 0, fail, NULL, 0));
  assert_event_text(db, id, 7, "note", fail), checked++;
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "B1"), resubmit, NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, pass, NULL, 0));
  assert_event_text(db, id, 9, "note", pass), checked++;
  cbc_hazard_answer *ans;
  assert_cbc_ok(cbc_hazard_answer_for(&ans, db, id, E(db, "A1")));
  assert_string_equal(ans->answer, pass), checked++;
  cbc_hazard_answer_free(ans);
  assert_cbc_ok(cbc_hazard_reopen(db, id, E(db, "C1"), reopen));
  assert_event_text(db, id, 10, "reason", reopen), checked++;
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  assert_string_equal(h->description, r.description);
  assert_string_equal(h->measures, g.measures);
  assert_string_equal(h->contingency_plan, g.contingency_plan);
  assert_string_equal(h->last_note, reopen);
  checked += 4;
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, id);

  /* the rectification plan at ENTERPRISE level */
  cbc_hazard_record m = record(db, CBC_SEVERITY_MAJOR);
  int64_t major;
  assert_cbc_ok(cbc_hazard_report(&major, NULL, db, &m));
  cbc_rectification_plan plan = { long_text(), long_text(), long_text(), long_text(),
                                  now + 30 * DAY, long_text() };
  cbc_hazard_registration mg = g;
  mg.severity = CBC_SEVERITY_MAJOR;
  mg.level = CBC_LEVEL_ENTERPRISE;
  mg.plan = &plan;
  assert_cbc_ok(cbc_hazard_register(db, major, E(db, "S1"), &mg));
  assert_event_text(db, major, 1, "plan_goals", plan.goals);
  assert_event_text(db, major, 1, "plan_methods", plan.methods);
  assert_event_text(db, major, 1, "plan_funds_materials", plan.funds_materials);
  assert_event_text(db, major, 1, "plan_responsible_bodies", plan.responsible_bodies);
  assert_event_text(db, major, 1, "plan_safety_measures", plan.safety_measures);
  assert_cbc_ok(cbc_hazard_lookup(&h, db, major));
  assert_string_equal(h->plan.goals, plan.goals);
  assert_string_equal(h->plan.methods, plan.methods);
  assert_string_equal(h->plan.funds_materials, plan.funds_materials);
  assert_string_equal(h->plan.responsible_bodies, plan.responsible_bodies);
  assert_string_equal(h->plan.safety_measures, plan.safety_measures);
  checked += 10;
  cbc_hazard_free(h);
  cbc_test_assert_replay(db, major);

  /* rejected with a reason; fixed on the spot with measures */
  cbc_hazard_record x = record(db, CBC_SEVERITY_GENERAL);
  int64_t rejected, spot;
  assert_cbc_ok(cbc_hazard_report(&rejected, NULL, db, &x));
  const char *why = long_text(), *measures = long_text();
  assert_cbc_ok(cbc_hazard_reject(db, rejected, E(db, "L1"), why, 0));
  assert_event_text(db, rejected, 1, "reason", why);
  assert_cbc_ok(cbc_hazard_lookup(&h, db, rejected));
  assert_string_equal(h->reject_reason, why);
  cbc_hazard_free(h);
  /* a duplicate's reason too (it is optional there, not single-line) */
  int64_t dup;
  assert_cbc_ok(cbc_hazard_report(&dup, NULL, db, &x));
  assert_cbc_ok(cbc_hazard_reject(db, dup, E(db, "L1"), why, major));
  assert_event_text(db, dup, 1, "reason", why);
  assert_cbc_ok(cbc_hazard_lookup(&h, db, dup));
  assert_string_equal(h->reject_reason, why);
  cbc_hazard_free(h);
  checked += 2;
  cbc_test_assert_replay(db, dup);
  cbc_hazard_record s = record(db, CBC_SEVERITY_GENERAL);
  assert_cbc_ok(cbc_hazard_fix_on_spot(&spot, db, &s, measures, NULL, 0));
  assert_cbc_ok(cbc_hazard_lookup(&h, db, spot));
  assert_string_equal(h->measures, measures);
  assert_string_equal(h->description, s.description);
  cbc_hazard_free(h);
  checked += 4;
  cbc_test_assert_replay(db, rejected);
  cbc_test_assert_replay(db, spot);
  print_message("%zu hazard long texts round-tripped\n", checked);
}

static void test_activity_and_reward_texts(void **state)
{
  cbc_db *db = *state;
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = U(db, "E1");
  v.visited_at = now - DAY;
  v.findings = long_text();
  int64_t visit;
  assert_cbc_ok(cbc_visit_add(&visit, db, &v));
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = E(db, "A1");
  p.title = "轧辊加装防护罩";
  p.text = long_text();
  int64_t id;
  assert_cbc_ok(cbc_proposal_submit(&id, db, &p));
  const char *note = long_text();
  assert_cbc_ok(cbc_proposal_decide(db, id, E(db, "P1"), 1, note));
  cbc_proposal *got;
  assert_cbc_ok(cbc_proposal_lookup(&got, db, id));
  assert_string_equal(got->text, p.text);
  assert_string_equal(got->note, note);
  cbc_proposal_free(got);
  cbc_fine_record f = CBC_FINE_RECORD_INIT;
  f.employee_id = E(db, "B1");
  f.amount_fen = 5000;
  f.reason = long_text();
  f.violation = long_text();
  int64_t fine;
  assert_cbc_ok(cbc_fine_issue(&fine, db, &f, E(db, "P1")));
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  cbc_reward_summary *sum;
  assert_cbc_ok(cbc_reward_summary_get(&sum, db, U(db, "E1"), &month));
  cbc_reward_summary_free(sum);
}

/* Single-line fields stay single-line; long texts refuse every other
 * control character and a CR alone. */
static void test_line_rules(void **state)
{
  cbc_db *db = *state;
  cbc_hazard_record r = record(db, CBC_SEVERITY_GENERAL);
  int64_t id;
  const char *single_bad[] = { "a\nb", "a\tb", "a\r\nb" };
  for (size_t i = 0; i < 3; i++) {
    r = record(db, CBC_SEVERITY_GENERAL);
    r.title = single_bad[i];
    assert_cbc_error(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL, "single-line");
    r = record(db, CBC_SEVERITY_GENERAL);
    r.location = single_bad[i];
    assert_cbc_error(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL, "single-line");
    assert_cbc_error(cbc_unit_rename(db, U(db, "T1"), single_bad[i]), CBC_EINVAL, "single-line");
  }
  const char *long_bad[] = { "lone\rCR", "ends with CR\r", "bell\a", "nul-ish\x01", "esc\x1b[0m",
                             "del\x7f", "vertical\vtab", "form\ffeed" };
  for (size_t i = 0; i < sizeof(long_bad) / sizeof(long_bad[0]); i++) {
    r = record(db, CBC_SEVERITY_GENERAL);
    r.description = long_bad[i];
    assert_cbc_error(cbc_hazard_report(&id, NULL, db, &r), CBC_EINVAL, "control character");
  }
  cbc_hazard *h = NULL;
  assert_int_equal(cbc_hazard_lookup(&h, db, 1), CBC_ENOTFOUND); /* nothing was written */
}

/* Unit names reach the renderings: every JSON one parses back to the name. */
static void test_renderings_parse(void **state)
{
  cbc_db *db = *state;
  const char *names[] = { "钢厂 \"一分厂\" \\ 二车间", "emoji 🚧 and \u2028 separator",
                          "=HYPERLINK(\"x\")", "𠀋𠀌 CJK extension B" };
  cbc_period month = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    assert_cbc_ok(cbc_unit_rename(db, U(db, "E1"), names[i]));
    cbc_stats_form *f;
    cbc_stats_breakdown *b;
    char *text;
    json_error_t err;
    assert_cbc_ok(cbc_stats_form_get(&f, db, U(db, "E1"), &month, 0));
    assert_cbc_ok(cbc_stats_form_render(&text, db, f, CBC_STATS_JSON));
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "unit")), names[i]);
    assert_int_equal(json_integer_value(json_object_get(o, "unit_id")), U(db, "E1"));
    assert_int_equal(json_object_size(json_object_get(o, "figures")), 11);
    json_decref(o);
    cbc_free(text);
    cbc_stats_form_free(f);
    assert_cbc_ok(cbc_stats_breakdown_get(&b, db, U(db, "E1"), &month));
    assert_cbc_ok(cbc_stats_breakdown_render(&text, db, b, CBC_STATS_JSON));
    o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "unit")), names[i]);
    assert_int_equal(json_array_size(json_object_get(o, "counts")), b->n_counts);
    assert_true(json_is_real(json_object_get(json_object_get(o, "figures"), "on_time_rate")));
    json_decref(o);
    cbc_free(text);
    cbc_stats_breakdown_free(b);
  }
  char *policy;
  assert_cbc_ok(cbc_policy_defaults(&policy));
  json_error_t err;
  json_t *o = json_loads(policy, JSON_REJECT_DUPLICATES, &err);
  assert_non_null(o);
  json_decref(o);
  cbc_free(policy);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_hazard_texts_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_activity_and_reward_texts, setup, teardown),
    cmocka_unit_test_setup_teardown(test_line_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_renderings_parse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
