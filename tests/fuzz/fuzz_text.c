/* Fuzz target: text fields.  The input (up to its first NUL) goes into every
 * text-taking public call, one field at a time with the others valid; each
 * call accepts it or refuses it with CBC_EINVAL and changes nothing.  What
 * is accepted reads back byte-identical through the lookup calls, and every
 * JSON document the library writes about it (event data, rendered forms and
 * breakdowns) parses with jansson.
 * Seeds: tests/fuzz/corpus/text, and texts at the length limits written into
 * the build tree (big_seeds.cmake).  Running it: scripts/fuzz. */
#include "fuzz_support.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;

/* Accepted (then @p stored equals @p text) or refused with CBC_EINVAL. */
static void assert_kept(int rc, const char *stored, const char *text, const char *what)
{
  FZ_RC_IN(rc, CBC_EINVAL);
  if (!rc && strcmp(stored, text) != 0)
    fail_msg("%s: stored \"%s\", given \"%s\"", what, stored, text);
}

static cbc_hazard *hazard(cbc_db *db, int64_t id)
{
  cbc_hazard *h = NULL;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  return h;
}

static int64_t E(cbc_db *db, const char *external_id)
{
  return cbc_test_employee_id(db, external_id);
}

/* Report with each of title, description, location set to the text. */
static void report_fields(cbc_db *db, const char *text)
{
  for (int field = 0; field < 3; field++) {
    cbc_hazard_record r = fz_record(db, "A1", "T1");
    const char **slot[] = { &r.title, &r.description, &r.location };
    *slot[field] = text;
    int64_t id = 0;
    int rc = cbc_hazard_report(&id, NULL, db, &r);
    if (rc) {
      assert_kept(rc, NULL, text, "report");
      continue;
    }
    cbc_hazard *h = hazard(db, id);
    const char *stored[] = { h->title, h->description, h->location };
    assert_kept(rc, stored[field], text, "report field");
    cbc_hazard_free(h);
  }
}

/* A general hazard reported by A1 in T1, registered at TEAM level by L1 with
 * @p measures and @p contingency. */
static int64_t registered(cbc_db *db, const char *measures, const char *contingency, int *rc)
{
  cbc_hazard_record r = fz_record(db, "A1", "T1");
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = CBC_SEVERITY_GENERAL;
  reg.level = CBC_LEVEL_TEAM;
  reg.measures = measures;
  reg.deadline = cbc_db_now(db) + 7 * 86400;
  reg.contingency_plan = contingency;
  *rc = cbc_hazard_register(db, id, E(db, "L1"), &reg);
  return id;
}

static void registration_fields(cbc_db *db, const char *text)
{
  int rc;
  cbc_hazard *h = hazard(db, registered(db, text, "evacuate", &rc));
  assert_kept(rc, h->measures, text, "measures");
  cbc_hazard_free(h);
  h = hazard(db, registered(db, "fix it", text, &rc));
  assert_kept(rc, h->contingency_plan, text, "contingency plan");
  cbc_hazard_free(h);
  h = hazard(db, fz_major_registered(db, text, &rc));
  const char *plan[] = { h->plan.goals, h->plan.methods, h->plan.funds_materials,
                         h->plan.responsible_bodies, h->plan.safety_measures };
  for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++)
    assert_kept(rc, rc ? NULL : plan[i], text, "rectification plan");
  cbc_hazard_free(h);
}

/* The reasons and notes of the moves: escalate, extension request and
 * decision, submit, failed verification, reopen, reject. */
static void move_texts(cbc_db *db, const char *text)
{
  int rc;
  int64_t id = registered(db, "fix it", "evacuate", &rc), l1 = E(db, "L1");
  assert_cbc_ok(rc);
  assert_cbc_ok(cbc_hazard_start(db, id, l1));
  FZ_RC_IN(cbc_hazard_request_extension(db, id, l1, cbc_db_now(db) + 30 * 86400, text),
           CBC_EINVAL);
  FZ_RC_IN(cbc_hazard_decide_extension(db, id, E(db, "S1"), 1, text), CBC_EINVAL, CBC_ESTATE);
  rc = cbc_hazard_submit(db, id, l1, text, NULL, 0);
  cbc_hazard *h = hazard(db, id);
  assert_kept(rc, rc ? NULL : h->last_note, text, "submit note");
  cbc_hazard_free(h);
  if (!rc) {
    rc = cbc_hazard_verify(db, id, E(db, "S1"), 0, text, NULL, 0);
    h = hazard(db, id);
    assert_kept(rc, rc ? NULL : h->last_note, text, "verification note");
    cbc_hazard_free(h);
  }
  /* W1 has no director: the safety officer may act at WORKSHOP level */
  FZ_RC_IN(cbc_hazard_escalate(db, id, l1, text, E(db, "S1")), CBC_EINVAL, CBC_ESTATE);
  int64_t closed = fz_closed_on_spot(db, "A2", "T1", "L1");
  FZ_RC_IN(cbc_hazard_reopen(db, closed, l1, text), CBC_EINVAL);
  cbc_hazard_record r = fz_record(db, "B1", "T2");
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  rc = cbc_hazard_reject(db, id, E(db, "L2"), text, 0);
  h = hazard(db, id);
  assert_kept(rc, rc ? NULL : h->reject_reason, text, "reject reason");
  cbc_hazard_free(h);
}

static void listing_texts(cbc_db *db, const char *text)
{
  int rc;
  int64_t id = fz_major_registered(db, "rebuild the guard", &rc);
  assert_cbc_ok(rc);
  for (int field = 0; field < 2; field++) {
    rc = cbc_hazard_list_supervision(db, id, E(db, "I1"), field ? "bureau" : text,
                                     field ? text : "doc 7", 0);
    cbc_hazard *h = hazard(db, id);
    assert_kept(rc, field ? h->listing_document : h->listing_authority, text, "listing");
    cbc_hazard_free(h);
    if (!rc)
      break; /* listed: the second listing would be refused for its state */
  }
}

/* Proposal title, text and decision note; visit findings. */
static void activity_texts(cbc_db *db, const char *text)
{
  for (int field = 0; field < 2; field++) {
    cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
    p.proposer_id = E(db, "B1");
    p.title = field ? "title" : text;
    p.text = field ? text : "text";
    int64_t id = 0;
    int rc = cbc_proposal_submit(&id, db, &p);
    cbc_proposal *got = NULL;
    if (!rc)
      assert_cbc_ok(cbc_proposal_lookup(&got, db, id));
    assert_kept(rc, got ? (field ? got->text : got->title) : NULL, text, "proposal");
    cbc_proposal_free(got);
    if (!rc) {
      rc = cbc_proposal_decide(db, id, E(db, "P1"), field, text);
      assert_cbc_ok(cbc_proposal_lookup(&got, db, id));
      assert_kept(rc, got->note, text, "proposal note");
      cbc_proposal_free(got);
    }
  }
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = E(db, "C1");
  v.unit_id = cbc_test_unit_id(db, "E1");
  v.visited_at = cbc_db_now(db) - 60;
  v.findings = text;
  FZ_RC_IN(cbc_visit_add(NULL, db, &v), CBC_EINVAL);
}

static void training_and_drill(cbc_db *db, const char *text)
{
  cbc_attendee who = { E(db, "A1"), 1 };
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = CBC_TRAINING_ALL_STAFF;
  t.unit_id = cbc_test_unit_id(db, "T1");
  t.held_at = cbc_db_now(db) - 3600;
  t.minutes = 60;
  t.title = text;
  t.attendees = &who;
  t.n_attendees = 1;
  int64_t id = 0;
  int rc = cbc_training_add(&id, db, &t);
  cbc_training *tr = NULL;
  if (!rc)
    assert_cbc_ok(cbc_training_lookup(&tr, db, id));
  assert_kept(rc, tr ? tr->title : NULL, text, "training title");
  cbc_training_free(tr);
  int64_t team = cbc_test_unit_id(db, "T1");
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = cbc_test_unit_id(db, "W1");
  d.held_at = cbc_db_now(db) - 3600;
  d.scenario = text;
  d.team_ids = &team;
  d.n_teams = 1;
  rc = cbc_drill_add(&id, db, &d);
  cbc_drill *dr = NULL;
  if (!rc)
    assert_cbc_ok(cbc_drill_lookup(&dr, db, id));
  assert_kept(rc, dr ? dr->scenario : NULL, text, "drill scenario");
  cbc_drill_free(dr);
}

/* The form and breakdown of @p unit rendered as JSON name it as stored. */
static void assert_rendered_name(cbc_db *db, int64_t unit, const char *name)
{
  cbc_period month = { CBC_PERIOD_MONTH, 2025, 3, 0, 0 };
  cbc_stats_form *f = NULL;
  char *out = NULL;
  assert_cbc_ok(cbc_stats_form_get(&f, db, unit, &month, 0));
  assert_cbc_ok(cbc_stats_form_render(&out, db, f, CBC_STATS_JSON));
  json_error_t err;
  json_t *doc = json_loads(out, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    fail_msg("rendered form is not JSON (%s): %s", err.text, out);
  assert_string_equal(json_string_value(json_object_get(doc, "unit")), name);
  json_decref(doc);
  cbc_free(out);
  cbc_stats_form_free(f);
  cbc_stats_breakdown *b = NULL;
  assert_cbc_ok(cbc_stats_breakdown_get(&b, db, unit, &month));
  assert_cbc_ok(cbc_stats_breakdown_render(&out, db, b, CBC_STATS_JSON));
  fz_assert_json(out, "rendered breakdown");
  cbc_free(out);
  cbc_stats_breakdown_free(b);
}

/* A new enterprise named @p name with external id @p ext. */
static void unit_texts(cbc_db *db, const char *ext, const char *name)
{
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  u.external_id = ext;
  u.parent_external_id = "R1";
  u.kind = CBC_UNIT_ENTERPRISE;
  u.name = name;
  u.industry = name;
  int64_t id = 0;
  int rc = cbc_unit_upsert(&id, db, &u);
  /* the text may be the id of an existing unit: CBC_ECONFLICT for one of
   * another kind, CBC_ESTATE where moving it under R1 breaks a rule */
  FZ_RC_IN(rc, CBC_EINVAL, CBC_ESTATE, CBC_ECONFLICT);
  if (rc)
    return;
  cbc_unit *got = NULL;
  assert_cbc_ok(cbc_unit_lookup_external(&got, db, ext));
  assert_int_equal(got->id, id);
  assert_string_equal(got->name, name);
  assert_string_equal(got->industry, name);
  cbc_unit_free(got);
  assert_rendered_name(db, id, name);
}

/* A new worker in T1 named @p name (and post) with external id @p ext. */
static void employee_texts(cbc_db *db, const char *ext, const char *name)
{
  cbc_employee_record e = CBC_EMPLOYEE_RECORD_INIT;
  e.external_id = ext;
  e.name = name;
  e.post = name;
  e.unit_external_id = "T1";
  e.roles = CBC_ROLE_WORKER;
  int64_t id = 0;
  int rc = cbc_employee_upsert(&id, db, &e);
  FZ_RC_IN(rc, CBC_EINVAL);
  if (rc)
    return;
  cbc_employee *got = NULL;
  assert_cbc_ok(cbc_employee_lookup_external(&got, db, ext));
  assert_int_equal(got->id, id);
  assert_string_equal(got->name, name);
  assert_string_equal(got->post, name);
  cbc_employee_free(got);
}

/* Every event's data of every hazard is a JSON object. */
static void assert_event_json(cbc_db *db)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0) {
    cbc_hazard_event *ev = NULL;
    size_t n = 0;
    assert_cbc_ok(cbc_hazard_history(&ev, &n, db, h->id));
    for (size_t i = 0; i < n; i++)
      fz_assert_json(ev[i].data, "event data");
    cbc_hazard_events_free(ev, n);
  }
  cbc_hazard_iter_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  assert_non_null(text);
  memcpy(text, data, size);
  text[size] = '\0';
  now = fz_start_time();
  cbc_db *db = fz_seeded_db(&now);
  report_fields(db, text);
  registration_fields(db, text);
  move_texts(db, text);
  listing_texts(db, text);
  activity_texts(db, text);
  training_and_drill(db, text);
  unit_texts(db, "X1", text);
  unit_texts(db, text, "named by id");
  employee_texts(db, "Y1", text);
  employee_texts(db, text, "named by id");
  assert_event_json(db);
  cbc_test_assert_all_replay(db);
  cbc_db_close(db);
  free(text);
  return 0;
}
