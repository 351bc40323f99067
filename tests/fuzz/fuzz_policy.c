/* Fuzz target: the reward policy document (cbc_policy_set()).  Any input is
 * stored or refused cleanly (a documented code, nothing stored); a stored
 * policy reads back as JSON that stores again unchanged, and evaluating it
 * over a small history gives bounded amounts and never a second award.
 * Seeds: tests/fuzz/corpus/policy.  Running it: scripts/fuzz. */
#include "fuzz_support.h"
#include <stdlib.h>
#include <string.h>

static int64_t now;

/* A month's history the rules read: a closed general and a closed major
 * hazard, an adopted proposal. */
static void add_history(cbc_db *db)
{
  fz_closed_on_spot(db, "A1", "T1", "L1");
  int rc;
  int64_t major = fz_major_registered(db, "rebuild the guard", &rc);
  assert_cbc_ok(rc);
  int64_t s1 = cbc_test_employee_id(db, "S1");
  assert_cbc_ok(cbc_hazard_start(db, major, s1));
  assert_cbc_ok(cbc_hazard_submit(db, major, s1, "done", NULL, 0));
  assert_cbc_ok(cbc_hazard_verify(db, major, cbc_test_employee_id(db, "P1"), 1, NULL, NULL, 0));
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = cbc_test_employee_id(db, "B1");
  p.title = "interlock";
  p.text = "add an interlock";
  int64_t pid;
  assert_cbc_ok(cbc_proposal_submit(&pid, db, &p));
  assert_cbc_ok(cbc_proposal_decide(db, pid, cbc_test_employee_id(db, "P1"), 1, NULL));
}

static char *stored_policy(cbc_db *db, int64_t *version)
{
  char *doc = NULL;
  assert_cbc_ok(cbc_policy_get(&doc, version, db, 0));
  fz_assert_json(doc, "cbc_policy_get()");
  return doc;
}

/* A stored document is a fixed point: storing it again stores the same. */
static void assert_round_trip(cbc_db *db, const char *doc, int64_t cadre)
{
  int64_t again;
  assert_cbc_ok(cbc_policy_set(&again, db, doc, cadre));
  int64_t version;
  char *second = stored_policy(db, &version);
  assert_int_equal(version, again);
  assert_string_equal(second, doc);
  cbc_free(second);
}

static void assert_decisions_sane(const cbc_reward_decisions *d, const cbc_reward_decisions *e)
{
  assert_int_equal(d->count, e->count);
  for (size_t i = 0; i < d->count; i++) {
    const cbc_reward_decision *x = &d->decisions[i], *y = &e->decisions[i];
    assert_true(x->amount_fen >= 0 && x->amount_fen <= CBC_MAX_AMOUNT_FEN);
    assert_non_null(x->reasons);
    /* the second evaluation finds the first one's awards */
    assert_int_equal(x->award_id, y->award_id);
    assert_int_equal(x->amount_fen, y->amount_fen);
  }
}

static void evaluate_twice(cbc_db *db)
{
  cbc_period month = { CBC_PERIOD_MONTH, 2025, 3, 0, 0 };
  int64_t region = cbc_test_unit_id(db, "R1");
  cbc_reward_decisions *first = NULL, *second = NULL;
  assert_cbc_ok(cbc_reward_evaluate(&first, db, region, &month, 0));
  assert_cbc_ok(cbc_reward_evaluate(&second, db, region, &month, 0));
  assert_decisions_sane(first, second);
  fz_assert_awards_once(db);
  cbc_reward_decisions_free(first);
  cbc_reward_decisions_free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *json = malloc(size + 1);
  assert_non_null(json);
  memcpy(json, data, size);
  json[size] = '\0';
  now = fz_start_time();
  cbc_db *db = fz_seeded_db(&now);
  add_history(db);
  int64_t cadre = cbc_test_employee_id(db, "C1"), version = 0, current;
  int rc = cbc_policy_set(&version, db, json, cadre);
  FZ_RC_IN(rc, CBC_EINVAL, CBC_ENOMEM);
  char *doc = stored_policy(db, &current);
  assert_int_equal(current, rc ? 1 : version); /* nothing stored on error */
  if (!rc)
    assert_round_trip(db, doc, cadre);
  cbc_free(doc);
  now += 86400;
  evaluate_twice(db);
  cbc_db_close(db);
  free(json);
  return 0;
}
