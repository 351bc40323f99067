/* What a person may do on an award now (cbc_award_moves, docs/rewards.md
 * "What may this person do now") and who may evaluate
 * (cbc_reward_evaluate_as, cbc_reward_may_evaluate, "Who may evaluate"):
 * hand-picked cells; an oracle over random award histories — a step's bit
 * is set exactly when the step, made with valid arguments inside a group
 * that is rolled back, succeeds; the same for evaluating; and allocation
 * failures. */
#include "helpers.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now;
static const int64_t HOUR = 3600;

#define S(step) CBC_AWARD_MOVE(CBC_AWARD_STEP_##step)
#define ALL_STEPS (S(APPROVE) | S(PAY) | S(DECLINE) | S(REVIEW))

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

/* The shared org and a second enterprise under R1, a second region R2 with
 * its union cadre C2, U2 a union cadre sitting in a team of E1 (not in a
 * region node), Z9 a union cadre of R1 who has left; general hazards pay,
 * so every closure makes an award. */
static void seed(cbc_db *db)
{
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  cbc_unit_record r2 = { 1, "R2", NULL, CBC_UNIT_REGION, "Licheng district", NULL, 0 };
  assert_cbc_ok(cbc_unit_upsert(NULL, db, &r2));
  static const cbc_employee_record more[] = {
    { 1, "C2", "Lu Yan", "union cadre", "R2", CBC_ROLE_UNION_CADRE, 1, 0 },
    { 1, "U2", "Shi Min", "enterprise union chair", "T3", CBC_ROLE_UNION_CADRE, 1, 0 },
    { 1, "Z9", "Yu Bo", "former union cadre", "R1", CBC_ROLE_UNION_CADRE, 0, 0 },
  };
  for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
    assert_cbc_ok(cbc_employee_upsert(NULL, db, &more[i]));
  assert_cbc_ok(cbc_policy_set(NULL, db, "{\"rules\": {\"general_hazard\": {\"amount_fen\": 5000}}}",
                               E(db, "C1")));
}

static int setup(void **state)
{
  now = cbc_test_date(2026, 3, 2) + 9 * HOUR;
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

/* ------------------------------------------------------------ fixtures */

static const cbc_rectification_plan plan = { "目标", "方法", "经费", "设备科", 1900000000,
                                             "监护" };

/* A report in @p unit by @p who (NULL: an anonymous hotline tip-off, its
 * key in *key, else *key NULL). */
static int64_t report(cbc_db *db, const char *who, const char *unit, cbc_severity sev, char **key)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = who ? E(db, who) : 0;
  r.unit_id = U(db, unit);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = who ? CBC_SOURCE_SELF_CHECK : CBC_SOURCE_HOTLINE;
  r.proposed_severity = sev;
  int64_t id;
  char *k = NULL;
  assert_cbc_ok(cbc_hazard_report(&id, &k, db, &r));
  if (key)
    *key = k;
  else
    cbc_free(k);
  now += 60;
  return id;
}

static bool in_e1(cbc_db *db, const cbc_hazard *h) { return h->enterprise_id == U(db, "E1"); }

/* Take hazard @p id on to closure: its enterprise's safety officer registers
 * it at ENTERPRISE with a plan, is responsible, submits; its principal
 * verifies. */
static void close_hazard(cbc_db *db, int64_t id)
{
  for (;;) {
    cbc_hazard *h;
    assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
    cbc_hazard_state state = h->state;
    cbc_severity sev = h->proposed_severity;
    int64_t officer = E(db, in_e1(db, h) ? "S1" : "XS");
    int64_t principal = E(db, in_e1(db, h) ? "P1" : "XP");
    cbc_hazard_free(h);
    now += HOUR;
    if (state == CBC_HAZARD_REPORTED) {
      cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
      g.severity = sev;
      g.level = CBC_LEVEL_ENTERPRISE;
      g.responsible_id = officer;
      g.measures = "整改";
      g.deadline = now + 20 * 24 * HOUR;
      g.contingency_plan = "警示";
      g.plan = &plan;
      assert_cbc_ok(cbc_hazard_register(db, id, officer, &g));
    } else if (state == CBC_HAZARD_REGISTERED) {
      assert_cbc_ok(cbc_hazard_start(db, id, officer));
    } else if (state == CBC_HAZARD_RECTIFYING) {
      assert_cbc_ok(cbc_hazard_submit(db, id, officer, "已整改", NULL, 0));
    } else if (state == CBC_HAZARD_PENDING_VERIFICATION) {
      assert_cbc_ok(cbc_hazard_verify(db, id, principal, 1, NULL, NULL, 0));
    } else {
      assert_int_equal(state, CBC_HAZARD_CLOSED);
      return;
    }
  }
}

static void reopen(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  int64_t principal = E(db, in_e1(db, h) ? "P1" : "XP");
  cbc_hazard_free(h);
  now += HOUR;
  assert_cbc_ok(cbc_hazard_reopen(db, id, principal, "回头看"));
}

/* The award of hazard @p id. */
static int64_t award_of(cbc_db *db, int64_t hazard_id)
{
  cbc_awards *all;
  int64_t id = 0;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  for (size_t i = 0; i < all->count; i++)
    if (all->items[i]->hazard_id == hazard_id)
      id = all->items[i]->id;
  cbc_awards_free(all);
  assert_true(id > 0);
  return id;
}

static unsigned int moves_of(cbc_db *db, int64_t award_id, const char *actor)
{
  unsigned int out = 0xdead;
  assert_cbc_ok(cbc_award_moves(&out, db, award_id, E(db, actor)));
  return out;
}

typedef struct cell {
  const char *actor;
  unsigned int moves;
} cell;

static void assert_cells(cbc_db *db, int64_t id, const cell *cells, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned int got = moves_of(db, id, cells[i].actor);
    if (got != cells[i].moves)
      fail_msg("award %lld, %s: want 0x%x, got 0x%x", (long long)id, cells[i].actor,
               cells[i].moves, got);
  }
}

#define CELLS(db, id, ...)                                                 \
  do {                                                                     \
    const cell cells_[] = { __VA_ARGS__ };                                 \
    assert_cells((db), (id), cells_, sizeof(cells_) / sizeof(cells_[0])); \
  } while (0)

/* Nobody but an active union cadre acts on an award, wherever it counts. */
/* Nobody but the union over the award's unit: not the workers and heads,
 * not a cadre of another region (C2) nor one sitting inside the enterprise
 * (U2), not one who left (Z9). */
#define NOT_CADRES { "A1", 0 }, { "L1", 0 }, { "P1", 0 }, { "S1", 0 }, { "I1", 0 }, \
                   { "XP", 0 }, { "Z9", 0 }, { "C2", 0 }, { "U2", 0 }

/* ------------------------------------------------------------ the cells */

static void test_money_award(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "A1", "T1", CBC_SEVERITY_GENERAL, NULL);
  close_hazard(db, h);
  int64_t id = award_of(db, h), c1 = E(db, "C1");
  const unsigned int proposed = S(APPROVE) | S(DECLINE);
  CELLS(db, id, { "C1", proposed }, NOT_CADRES);
  assert_cbc_error(cbc_award_approve(db, id, E(db, "C2")), CBC_EPERM, "region node at or above");
  assert_cbc_error(cbc_award_approve(db, id, E(db, "U2")), CBC_EPERM, "region node at or above");
  assert_cbc_ok(cbc_award_approve(db, id, c1));
  CELLS(db, id, { "C1", S(PAY) | S(DECLINE) }, NOT_CADRES);
  /* reopened: flagged, neither paid nor reviewed until closed again */
  reopen(db, h);
  CELLS(db, id, { "C1", S(DECLINE) }, NOT_CADRES);
  assert_cbc_error(cbc_award_review(db, id, c1, "整改属实"), CBC_ESTATE, "not closed again");
  close_hazard(db, h);
  CELLS(db, id, { "C1", S(REVIEW) | S(DECLINE) }, NOT_CADRES);
  assert_cbc_ok(cbc_award_review(db, id, c1, "整改属实"));
  CELLS(db, id, { "C1", S(PAY) | S(DECLINE) });
  assert_cbc_ok(cbc_award_pay(db, id, c1, "凭证1", NULL));
  CELLS(db, id, { "C1", 0 }, NOT_CADRES);
  /* paid, reopened: flagged and reviewed, never paid again */
  reopen(db, h);
  close_hazard(db, h);
  CELLS(db, id, { "C1", S(REVIEW) });
}

static void test_declined_honour_and_anonymous(void **state)
{
  cbc_db *db = *state;
  int64_t c1 = E(db, "C1");
  int64_t h1 = report(db, "A2", "T1", CBC_SEVERITY_GENERAL, NULL);
  close_hazard(db, h1);
  int64_t declined = award_of(db, h1);
  assert_cbc_ok(cbc_award_decline(db, declined, c1, "重复申报"));
  CELLS(db, declined, { "C1", 0 }, { "U2", 0 });
  /* a major hazard's finder earns the labour medal: an honour, never paid */
  int64_t h2 = report(db, "B1", "T2", CBC_SEVERITY_MAJOR, NULL);
  close_hazard(db, h2);
  cbc_period year = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 };
  cbc_reward_decisions *ds;
  assert_cbc_ok(cbc_reward_evaluate_as(&ds, db, U(db, "E1"), &year, 0, c1));
  int64_t medal = 0;
  for (size_t i = 0; i < ds->count; i++)
    if (ds->decisions[i].rule == CBC_RULE_LABOUR_MEDAL && ds->decisions[i].eligible)
      medal = ds->decisions[i].award_id;
  cbc_reward_decisions_free(ds);
  assert_true(medal > 0);
  assert_cbc_ok(cbc_award_approve(db, medal, c1));
  CELLS(db, medal, { "C1", S(DECLINE) }, NOT_CADRES);
  /* an anonymous tip-off's award: PAY is offered, and takes the key */
  char *key;
  int64_t h3 = report(db, NULL, "T9", CBC_SEVERITY_GENERAL, &key);
  close_hazard(db, h3);
  int64_t tip = award_of(db, h3);
  assert_cbc_ok(cbc_award_approve(db, tip, c1));
  CELLS(db, tip, { "C1", S(PAY) | S(DECLINE) }, { "XP", 0 });
  assert_cbc_error(cbc_award_pay(db, tip, c1, "凭证", NULL), CBC_EINVAL, "follow-up key");
  assert_cbc_ok(cbc_award_pay(db, tip, c1, "凭证", key));
  cbc_free(key);
}

static void test_errors_and_last_error(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "A1", "T1", CBC_SEVERITY_GENERAL, NULL);
  close_hazard(db, h);
  int64_t id = award_of(db, h), c1 = E(db, "C1");
  unsigned int out = 7;
  assert_cbc_error(cbc_award_moves(NULL, db, id, c1), CBC_EINVAL, "out");
  assert_cbc_error(cbc_award_moves(&out, NULL, id, c1), CBC_EINVAL, NULL);
  assert_int_equal(out, 0);
  out = 7;
  assert_cbc_error(cbc_award_moves(&out, db, 0, c1), CBC_EINVAL, "award id");
  assert_int_equal(out, 0);
  assert_cbc_error(cbc_award_moves(&out, db, id, -3), CBC_EINVAL, "actor id");
  assert_cbc_error(cbc_award_moves(&out, db, id + 100, c1), CBC_ENOTFOUND, "award");
  assert_cbc_error(cbc_award_moves(&out, db, id, c1 + 1000), CBC_ENOTFOUND, NULL);
  /* a success leaves the thread's last error as it was, though it weighed
   * refusals (A1 may take no step) */
  assert_cbc_error(cbc_award_pay(db, id, c1, "凭证", NULL), CBC_ESTATE, "only an approved");
  char before[512];
  snprintf(before, sizeof(before), "%s", cbc_error_last()->message);
  assert_int_equal(moves_of(db, id, "A1"), 0);
  assert_int_equal(moves_of(db, id, "C1"), S(APPROVE) | S(DECLINE));
  assert_int_equal(cbc_error_last()->code, CBC_ESTATE);
  assert_string_equal(cbc_error_last()->message, before);
  /* asking wrote nothing */
  cbc_award *a;
  assert_cbc_ok(cbc_award_lookup(&a, db, id));
  assert_int_equal(a->state, CBC_AWARD_PROPOSED);
  cbc_award_free(a);
  assert_string_equal(cbc_award_step_name(CBC_AWARD_STEP_REVIEW), "review");
  assert_null(cbc_award_step_name((cbc_award_step)0));
  assert_string_equal(cbc_enum_label(CBC_ENUM_AWARD_STEP, CBC_AWARD_STEP_APPROVE), "批准");
}

/* ----------------------------------------------------------- evaluation */

static size_t award_count(cbc_db *db)
{
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  size_t n = all->count;
  cbc_awards_free(all);
  return n;
}

static const char *const evaluators[] = { "C1", "C2", "U2", "Z9", "A1", "P1", "S1", "I1", "X1" };
#define N_EVALUATORS (sizeof(evaluators) / sizeof(evaluators[0]))
static const char *const evaluated[] = { "R1", "E1", "T1", "E2", "R2" };
#define N_EVALUATED (sizeof(evaluated) / sizeof(evaluated[0]))

/* Whether the evaluation succeeds, tried in a group rolled back; a refusal
 * is CBC_EPERM and wrote nothing. */
static bool evaluation_succeeds(cbc_db *db, int64_t unit, int64_t actor, unsigned int flags)
{
  cbc_period year = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 };
  cbc_reward_decisions *ds = NULL;
  size_t before = award_count(db);
  assert_cbc_ok(cbc_db_begin(db));
  int rc = cbc_reward_evaluate_as(&ds, db, unit, &year, flags, actor);
  if (rc) {
    assert_int_equal(rc, CBC_EPERM);
    assert_null(ds);
    assert_int_equal(award_count(db), before);
  }
  cbc_reward_decisions_free(ds);
  assert_cbc_ok(cbc_db_rollback(db));
  return rc == 0;
}

static void test_who_may_evaluate(void **state)
{
  cbc_db *db = *state;
  int64_t h = report(db, "A1", "T1", CBC_SEVERITY_MAJOR, NULL);
  close_hazard(db, h); /* a major hazard's finder: the year makes a medal */
  /* real: the union over the unit (C1 over R1 and below; C2 over R2 only;
   * U2 sits in a team, Z9 left); a dry run: whoever reads the unit */
  static const char *const real_ok[] = { "C1:R1", "C1:E1", "C1:T1", "C1:E2", "C2:R2" };
  static const char *const dry_ok[] = { "C1:R1", "C1:E1", "C1:T1", "C1:E2", "C2:R2",
                                        "U2:E1", "U2:T1", "A1:E1", "A1:T1", "P1:E1",
                                        "P1:T1", "S1:E1", "S1:T1", "I1:R1", "I1:E1",
                                        "I1:T1", "I1:E2", "X1:E2" };
  int cells = 0;
  for (size_t p = 0; p < N_EVALUATORS; p++)
    for (size_t u = 0; u < N_EVALUATED; u++)
      for (int dry = 0; dry <= 1; dry++) {
        char pair[16];
        snprintf(pair, sizeof(pair), "%s:%s", evaluators[p], evaluated[u]);
        const char *const *ok = dry ? dry_ok : real_ok;
        size_t n = dry ? sizeof(dry_ok) / sizeof(*dry_ok) : sizeof(real_ok) / sizeof(*real_ok);
        bool want = false;
        for (size_t i = 0; i < n; i++)
          want = want || strcmp(ok[i], pair) == 0;
        unsigned int flags = dry ? CBC_EVALUATE_DRY_RUN : 0;
        int64_t unit = U(db, evaluated[u]), actor = E(db, evaluators[p]);
        int yes = 7;
        assert_cbc_ok(cbc_reward_may_evaluate(&yes, db, unit, flags, actor));
        if (yes != want || evaluation_succeeds(db, unit, actor, flags) != want)
          fail_msg("%s, %s: want %d, may_evaluate %d", pair, dry ? "dry run" : "real", want,
                   yes);
        cells++;
      }
  assert_int_equal(cells, 90);
  /* a worker's real evaluation: refused with the rule, nothing written */
  cbc_period year = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 };
  cbc_reward_decisions *ds = NULL;
  size_t before = award_count(db);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, U(db, "E1"), &year, 0, E(db, "A1")),
                   CBC_EPERM, "region node at or above");
  assert_null(ds);
  assert_int_equal(award_count(db), before);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, U(db, "E1"), &year, CBC_EVALUATE_DRY_RUN,
                                          E(db, "X1")),
                   CBC_EPERM, "may not read");
  /* the union's real evaluation proposes the medal */
  assert_cbc_ok(cbc_reward_evaluate_as(&ds, db, U(db, "E1"), &year, 0, E(db, "C1")));
  cbc_reward_decisions_free(ds);
  assert_int_equal(award_count(db), before + 1);
}

static void test_evaluate_as_bad_input(void **state)
{
  cbc_db *db = *state;
  cbc_period year = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 }, bad = { CBC_PERIOD_MONTH, 2026, 13, 0, 0 };
  cbc_reward_decisions *ds = (cbc_reward_decisions *)&year;
  int64_t e1 = U(db, "E1"), c1 = E(db, "C1");
  int yes = 5;
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, e1, &year, 0, 0), CBC_EINVAL, "actor id");
  assert_null(ds);
  assert_cbc_error(cbc_reward_evaluate_as(NULL, db, e1, &year, 0, c1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, e1, NULL, 0, c1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, e1, &year, 8, c1), CBC_EINVAL, "flags");
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, e1, &bad, 0, c1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, 999, &year, 0, c1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_reward_evaluate_as(&ds, db, e1, &year, 0, c1 + 1000), CBC_ENOTFOUND,
                   NULL);
  assert_cbc_error(cbc_reward_may_evaluate(NULL, db, e1, 0, c1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_reward_may_evaluate(&yes, NULL, e1, 0, c1), CBC_EINVAL, NULL);
  assert_int_equal(yes, 0);
  assert_cbc_error(cbc_reward_may_evaluate(&yes, db, e1, 8, c1), CBC_EINVAL, "flags");
  assert_cbc_error(cbc_reward_may_evaluate(&yes, db, e1, 0, 0), CBC_EINVAL, "actor id");
  assert_cbc_error(cbc_reward_may_evaluate(&yes, db, 999, 0, c1), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_reward_may_evaluate(&yes, db, e1, 0, c1 + 1000), CBC_ENOTFOUND, NULL);
  /* a refusal is an answer: the last error stays */
  assert_cbc_error(cbc_award_moves(NULL, db, 1, c1), CBC_EINVAL, "out");
  assert_cbc_ok(cbc_reward_may_evaluate(&yes, db, e1, 0, E(db, "A1")));
  assert_int_equal(yes, 0);
  assert_int_equal(cbc_error_last()->code, CBC_EINVAL);
  assert_non_null(strstr(cbc_error_last()->message, "out"));
}

/* ------------------------------------------------------------ the oracle */

typedef struct tip {
  int64_t hazard_id;
  char *key;
} tip;

typedef struct walk {
  cbc_db *db;
  uint64_t rng;
  int64_t hazards[200];
  size_t n_hazards;
  tip tips[200];
  size_t n_tips;
  int64_t people[16];
  size_t n_people;
  long checked, allowed, attempts;
  long allowed_by_step[CBC_AWARD_STEP_REVIEW + 1];
} walk;

static const char *const everyone[] = { "C1", "C2", "U2", "Z9", "A1", "L1",
                                        "P1", "S1", "I1", "X1", "XP" };
#define N_EVERYONE (sizeof(everyone) / sizeof(everyone[0]))

static uint64_t next_random(walk *w)
{
  w->rng ^= w->rng << 13;
  w->rng ^= w->rng >> 7;
  w->rng ^= w->rng << 17;
  return w->rng;
}

static int pick(walk *w, int n) { return (int)(next_random(w) % (uint64_t)n); }

static const char *key_of(const walk *w, const cbc_award *a)
{
  if (a->subject_kind != CBC_SUBJECT_ANONYMOUS)
    return NULL;
  for (size_t i = 0; i < w->n_tips; i++)
    if (w->tips[i].hazard_id == a->subject_id)
      return w->tips[i].key;
  fail_msg("award %lld: no key for tip-off %lld", (long long)a->id, (long long)a->subject_id);
  return NULL;
}

/* Step @p step on @p a by @p actor with valid arguments. */
static int take_step(walk *w, const cbc_award *a, int64_t actor, cbc_award_step step)
{
  switch (step) {
  case CBC_AWARD_STEP_APPROVE: return cbc_award_approve(w->db, a->id, actor);
  case CBC_AWARD_STEP_PAY: return cbc_award_pay(w->db, a->id, actor, "凭证", key_of(w, a));
  case CBC_AWARD_STEP_DECLINE: return cbc_award_decline(w->db, a->id, actor, "不予奖励");
  case CBC_AWARD_STEP_REVIEW: return cbc_award_review(w->db, a->id, actor, "整改属实");
  }
  fail_msg("no such step %d", (int)step);
  return -1;
}

static bool same_award(const cbc_award *a, const cbc_award *b)
{
  return a->state == b->state && a->review == b->review && a->approved_at == b->approved_at &&
         a->paid_at == b->paid_at && a->declined_at == b->declined_at &&
         a->reviewed_at == b->reviewed_at && a->flagged_at == b->flagged_at;
}

static cbc_award *get(cbc_db *db, int64_t id)
{
  cbc_award *a;
  assert_cbc_ok(cbc_award_lookup(&a, db, id));
  return a;
}

/* Whether the step succeeds, tried in a group rolled back: a refusal is
 * CBC_EPERM or CBC_ESTATE and changed nothing. */
static bool step_succeeds(walk *w, const cbc_award *a, int64_t actor, cbc_award_step step)
{
  assert_cbc_ok(cbc_db_begin(w->db));
  int rc = take_step(w, a, actor, step);
  w->attempts++;
  if (rc && rc != CBC_EPERM && rc != CBC_ESTATE)
    fail_msg("award %lld, %s by %lld: %d (%s)", (long long)a->id, cbc_award_step_name(step),
             (long long)actor, rc, cbc_error_last()->message);
  if (rc) {
    cbc_award *after = get(w->db, a->id);
    assert_true(same_award(a, after));
    cbc_award_free(after);
  }
  assert_cbc_ok(cbc_db_rollback(w->db));
  return rc == 0;
}

static void check_award(walk *w, const cbc_award *a)
{
  for (size_t p = 0; p < w->n_people; p++) {
    unsigned int bits;
    assert_cbc_ok(cbc_award_moves(&bits, w->db, a->id, w->people[p]));
    assert_int_equal(bits & ~ALL_STEPS, 0);
    for (int step = CBC_AWARD_STEP_APPROVE; step <= CBC_AWARD_STEP_REVIEW; step++) {
      bool set = (bits & CBC_AWARD_MOVE(step)) != 0;
      if (set != step_succeeds(w, a, w->people[p], (cbc_award_step)step))
        fail_msg("award %lld (%s, rule %d, review %d): %s by %s: bit %d", (long long)a->id,
                 cbc_award_state_name(a->state), (int)a->rule, a->review,
                 cbc_award_step_name((cbc_award_step)step), everyone[p], set);
      w->checked++;
      w->allowed += set;
      w->allowed_by_step[step] += set;
    }
  }
  cbc_award *after = get(w->db, a->id);
  assert_true(same_award(a, after));
  cbc_award_free(after);
}

/* A new hazard, closed at once (its award is made): mostly named reports in
 * either enterprise, some major, now and then an anonymous tip-off. */
static void new_closed_hazard(walk *w)
{
  static const char *const units[] = { "T1", "T2", "T9" };
  static const char *const reporters[] = { "A1", "A2", "B1", "X1" };
  bool anonymous = pick(w, 5) == 0;
  int r = pick(w, 4);
  const char *unit = r == 3 ? "T9" : units[pick(w, 2)];
  cbc_severity sev = pick(w, 3) ? CBC_SEVERITY_GENERAL : CBC_SEVERITY_MAJOR;
  char *key = NULL;
  int64_t id = report(w->db, anonymous ? NULL : reporters[r], anonymous ? units[pick(w, 3)] : unit,
                      sev, &key);
  if (key)
    w->tips[w->n_tips++] = (tip){ id, key };
  w->hazards[w->n_hazards++] = id;
  close_hazard(w->db, id);
}

/* The step that takes award @p a on: a review when flagged, else approve
 * a proposed one and pay an approved one. */
static cbc_award_step onwards(const cbc_award *a)
{
  return a->review                       ? CBC_AWARD_STEP_REVIEW
         : a->state == CBC_AWARD_PROPOSED ? CBC_AWARD_STEP_APPROVE
                                          : CBC_AWARD_STEP_PAY;
}

/* A step on a random award — half the time the one that takes it on, else
 * any — by someone picked at random (mostly C1, the union over both
 * enterprises, so the history moves on; the others are refused), with
 * valid arguments. */
static void random_step(walk *w)
{
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, w->db, 0, 0, 0, 0, 0));
  if (all->count) {
    const cbc_award *a = all->items[pick(w, (int)all->count)];
    int64_t actor = w->people[pick(w, 4) ? 0 : pick(w, (int)w->n_people)];
    cbc_award_step step = pick(w, 2) ? onwards(a) : (cbc_award_step)(1 + pick(w, 4));
    now += 60;
    (void)take_step(w, a, actor, step);
  }
  cbc_awards_free(all);
}

static void random_history_step(walk *w, size_t hazards)
{
  int roll = pick(w, 12);
  if (w->n_hazards < hazards && (w->n_hazards == 0 || roll < 3)) {
    new_closed_hazard(w);
  } else if (roll < 5) { /* a review (回头看) reopens a closed hazard, or one is closed again */
    int64_t id = w->hazards[pick(w, (int)w->n_hazards)];
    cbc_hazard *h;
    assert_cbc_ok(cbc_hazard_lookup(&h, w->db, id));
    bool closed = h->state == CBC_HAZARD_CLOSED;
    cbc_hazard_free(h);
    if (closed)
      reopen(w->db, id);
    else
      close_hazard(w->db, id);
  } else if (roll == 5) { /* the union evaluates the year: medals for the finders */
    cbc_period year = { CBC_PERIOD_YEAR, 2026, 0, 0, 0 };
    cbc_reward_decisions *ds;
    const char *unit = pick(w, 2) ? "E1" : "E2";
    assert_cbc_ok(cbc_reward_evaluate_as(&ds, w->db, U(w->db, unit), &year, 0, w->people[0]));
    cbc_reward_decisions_free(ds);
  } else {
    random_step(w);
  }
}

static void run_oracle(uint64_t rng_seed, size_t hazards, int steps)
{
  now = cbc_test_date(2026, 3, 2) + 9 * HOUR;
  walk w = { 0 };
  w.db = cbc_test_db(&now);
  w.rng = rng_seed;
  seed(w.db);
  for (size_t i = 0; i < N_EVERYONE; i++)
    w.people[w.n_people++] = E(w.db, everyone[i]);
  assert_true(hazards <= sizeof(w.hazards) / sizeof(w.hazards[0]));
  for (int i = 0; i < steps; i++)
    random_history_step(&w, hazards);
  cbc_awards *all;
  assert_cbc_ok(cbc_award_list(&all, w.db, 0, 0, 0, 0, 0));
  unsigned int states = 0, kinds = 0;
  for (size_t i = 0; i < all->count; i++) {
    const cbc_award *a = all->items[i];
    states |= 1u << a->state;
    kinds |= (a->review ? 1u : 0u) | (a->rule >= CBC_RULE_LABOUR_MEDAL ? 2u : 0u) |
             (a->subject_kind == CBC_SUBJECT_ANONYMOUS ? 4u : 0u);
    check_award(&w, a);
  }
  print_message("seed %llu: %zu awards, %ld cells, %ld allowed, %ld steps tried\n",
                (unsigned long long)rng_seed, all->count, w.checked, w.allowed, w.attempts);
  cbc_awards_free(all);
  assert_int_equal(states, 0x1eu); /* every state was met */
  assert_int_equal(kinds, 7u);     /* flagged, honours, anonymous */
  for (int step = CBC_AWARD_STEP_APPROVE; step <= CBC_AWARD_STEP_REVIEW; step++)
    assert_in_range(w.allowed_by_step[step], 1, w.checked / 4 - 1); /* allowed and refused */
  for (size_t i = 0; i < w.n_tips; i++)
    cbc_free(w.tips[i].key);
  cbc_db_close(w.db);
}

/* Fewer hazards under valgrind (cbc_test_light()), more with
 * CBC_TEST_LONG. */
static size_t oracle_size(void)
{
  const char *long_run = getenv("CBC_TEST_LONG");
  if (long_run && *long_run && strcmp(long_run, "0") != 0)
    return 200;
  return cbc_test_light() ? 30 : 80;
}

static void test_oracle(void **state)
{
  (void)state;
  size_t n = oracle_size();
  run_oracle(0x9E3779B97F4A7C15ull, n, (int)n * 5);
  run_oracle(20261203, n / 2, (int)n * 4);
}

/* ---------------------------------------------------- allocation failures */

static const char *const askers[] = { "C1", "U2", "A1", "Z9" };
#define N_ASKERS 4

/* Two awards (proposed; approved and flagged after a reopen). */
static void failure_fixture(cbc_db *db, int64_t ids[2])
{
  int64_t h1 = report(db, "A1", "T1", CBC_SEVERITY_GENERAL, NULL);
  int64_t h2 = report(db, "B1", "T2", CBC_SEVERITY_MAJOR, NULL);
  close_hazard(db, h1);
  close_hazard(db, h2);
  ids[0] = award_of(db, h1);
  ids[1] = award_of(db, h2);
  assert_cbc_ok(cbc_award_approve(db, ids[1], E(db, "C1")));
  reopen(db, h2);
  close_hazard(db, h2);
}

/* The questions with the @p n-th of their allocations failing (0: none);
 * *allocs gets how many they made. */
static bool ask_with_failure(long n, const unsigned int want[2][N_ASKERS],
                             const int want_eval[N_ASKERS], int *failed_points, long *allocs)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  int64_t ids[2], who[N_ASKERS], e1 = U(db, "E1");
  failure_fixture(db, ids);
  for (int j = 0; j < N_ASKERS; j++)
    who[j] = E(db, askers[j]);
  long before = cbc_test_alloc_count();
  cbc_test_fail_after(n);
  bool failed = false;
  for (int j = 0; j < N_ASKERS; j++)
    for (int i = 0; i <= 2; i++) {
      unsigned int got = 12345;
      int yes = 9;
      int rc = i < 2 ? cbc_award_moves(&got, db, ids[i], who[j])
                     : cbc_reward_may_evaluate(&yes, db, e1, 0, who[j]);
      bool now_failed = cbc_test_alloc_failed() && !failed;
      failed = failed || now_failed;
      if (rc) {
        assert_true(now_failed);
        assert_true(rc == CBC_ENOMEM || rc == CBC_EIO);
        assert_true(i < 2 ? got == 0 : yes == 0);
        (*failed_points)++;
      } else if (i < 2) {
        assert_int_equal(got, want[i][j]);
      } else {
        assert_int_equal(yes, want_eval[j]);
      }
    }
  cbc_test_fail_after(0);
  *allocs = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return failed;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  unsigned int want[2][N_ASKERS];
  int want_eval[N_ASKERS];
  now = cbc_test_date(2026, 3, 2) + 9 * HOUR;
  int64_t start = now;
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  int64_t ids[2];
  failure_fixture(db, ids);
  for (int j = 0; j < N_ASKERS; j++) {
    for (int i = 0; i < 2; i++)
      want[i][j] = moves_of(db, ids[i], askers[j]);
    assert_cbc_ok(cbc_reward_may_evaluate(&want_eval[j], db, U(db, "E1"), 0, E(db, askers[j])));
  }
  cbc_db_close(db);
  assert_int_equal(want[1][0], S(REVIEW) | S(DECLINE));
  assert_int_equal(want_eval[0], 1);
  int failed_points = 0;
  long total, allocs, points = 0;
  now = start;
  assert_false(ask_with_failure(0, (const unsigned int(*)[N_ASKERS])want, want_eval,
                                &failed_points, &total));
  long stride = cbc_test_sweep_stride(total);
  for (long n = 1;; n += stride) {
    now = start;
    if (!ask_with_failure(n, (const unsigned int(*)[N_ASKERS])want, want_eval, &failed_points,
                          &allocs))
      break;
    points++;
  }
  print_message("award moves: %ld allocations, %ld failure points tried, %d failed the call\n",
                total, points, failed_points);
  assert_true(failed_points > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_money_award, setup, teardown),
    cmocka_unit_test_setup_teardown(test_declined_honour_and_anonymous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_errors_and_last_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_who_may_evaluate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_evaluate_as_bad_input, setup, teardown),
    cmocka_unit_test(test_allocation_failures),
    cmocka_unit_test(test_oracle),
  };
  return cmocka_run_group_tests_name("reward_moves", tests, NULL, NULL);
}
