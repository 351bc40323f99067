/* Fuzz target: random sequences of public calls.  The input bytes drive a
 * small interpreter over the tests' small org (tests/helpers.h): each
 * operation takes an opcode byte, then the bytes it needs to pick its
 * hazard, actor, unit, flags and amounts.  Operations: report, register,
 * start, escalate, extension request and decision, submit, verify, reopen,
 * reject (as a duplicate too), fix on the spot, list for supervision, file
 * the plan, the overdue sweep, training, drill, visit, proposals, transfers,
 * departures and hires (cbc_employee_transfer/deactivate, cbc_org_sync),
 * reward evaluation, award approve/pay/decline, groups (begin, commit,
 * rollback) and the clock moving forward.
 *
 * Every call must return 0 or a code its header documents, less CBC_EBUSY
 * and CBC_EIO, which one connection to an in-memory database has no cause
 * to return.  After the sequence: every history replays to its row
 * (tests/invariants.h); for every unit, every month the clock went through
 * and the quarter and year it ended in, the aggregates equal the records;
 * no hazard has two discovery awards and no cause two awards for one rule
 * and subject.
 * Seeds: tests/fuzz/corpus/calls.  Running it: scripts/fuzz. */
#include "fuzz_support.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_HAZARDS = 32, MAX_AWARDS = 32, DAY = 86400 };

static const char *const employees[] = { "L1", "A1", "A2", "L2", "B1", "D1", "P1",
                                         "S1", "I1", "C1", "N1", "N2", "N3" };
static const char *const units[] = { "R1", "E1", "W1", "W2", "T1", "T2", "T3" };
enum { N_EMPLOYEES = sizeof(employees) / sizeof(employees[0]),
       N_UNITS = sizeof(units) / sizeof(units[0]) };

typedef struct world {
  cbc_db *db;
  int64_t *now;
  fz_input in;
  int64_t employee[N_EMPLOYEES]; /* 0 until hired (N1..N3) */
  int64_t unit[N_UNITS];
  int64_t hazard[MAX_HAZARDS];
  size_t n_hazards;
  int64_t proposal;
  char *followup; /* the last anonymous report's key */
} world;

static int64_t pick_employee(world *w)
{
  return w->employee[fz_pick(&w->in, N_EMPLOYEES)];
}

static int64_t pick_unit(world *w) { return w->unit[fz_pick(&w->in, N_UNITS)]; }

/* A team: T1, T2 or T3. */
static int64_t pick_team(world *w) { return w->unit[4 + fz_pick(&w->in, 3)]; }

/* A known hazard, or now and then an id that does not exist. */
static int64_t pick_hazard(world *w)
{
  unsigned int i = fz_pick(&w->in, (unsigned int)w->n_hazards + 1);
  return i < w->n_hazards ? w->hazard[i] : 999;
}

static void remember(world *w, int64_t id)
{
  if (w->n_hazards < MAX_HAZARDS)
    w->hazard[w->n_hazards++] = id;
}

#define MOVE_RC(rc) FZ_RC_IN((rc), CBC_EINVAL, CBC_ENOTFOUND, CBC_ESTATE, CBC_EPERM)

static void op_report(world *w)
{
  cbc_hazard_record r = fz_record(w->db, "A1", "T1");
  r.reporter_id = pick_employee(w);
  r.unit_id = pick_unit(w);
  r.proposed_severity = 1 + fz_pick(&w->in, 2);
  r.observed_at = *w->now - fz_byte(&w->in) * 3600;
  if (fz_pick(&w->in, 4) == 0) { /* an anonymous hotline tip-off */
    r.reporter_id = 0;
    r.source = CBC_SOURCE_HOTLINE;
  }
  int64_t id = 0;
  char *key = NULL;
  if (!MOVE_RC(cbc_hazard_report(&id, r.reporter_id ? NULL : &key, w->db, &r)))
    remember(w, id);
  if (key) {
    free(w->followup);
    w->followup = strdup(key);
    cbc_free(key);
  }
}

static void op_fix_on_spot(world *w)
{
  cbc_hazard_record r = fz_record(w->db, "A1", "T1");
  r.reporter_id = pick_employee(w);
  r.unit_id = pick_team(w);
  int64_t id = 0;
  if (!MOVE_RC(cbc_hazard_fix_on_spot(&id, w->db, &r, "fixed", NULL, 0)))
    remember(w, id);
}

static void op_register(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = 1 + fz_pick(&w->in, 2);
  reg.level = 1 + fz_pick(&w->in, 4);
  reg.responsible_id = fz_pick(&w->in, 2) ? 0 : pick_employee(w);
  reg.measures = "measures";
  reg.funds_fen = fz_byte(&w->in) * 100;
  reg.deadline = *w->now + (1 + fz_byte(&w->in)) * DAY / 4;
  reg.contingency_plan = "contingency";
  cbc_rectification_plan plan = fz_plan("plan", reg.deadline);
  reg.plan = reg.severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
  MOVE_RC(cbc_hazard_register(w->db, id, actor, &reg));
}

static void op_start(world *w)
{
  int64_t id = pick_hazard(w);
  MOVE_RC(cbc_hazard_start(w->db, id, pick_employee(w)));
}

static void op_escalate(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  int64_t responsible = fz_pick(&w->in, 2) ? 0 : pick_employee(w);
  MOVE_RC(cbc_hazard_escalate(w->db, id, actor, "cannot fix here", responsible));
}

static void op_extension(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  if (fz_pick(&w->in, 2))
    MOVE_RC(cbc_hazard_request_extension(w->db, id, actor,
                                         *w->now + (1 + fz_byte(&w->in)) * DAY, "parts late"));
  else
    MOVE_RC(cbc_hazard_decide_extension(w->db, id, actor, fz_pick(&w->in, 2), NULL));
}

static void op_submit(world *w)
{
  int64_t id = pick_hazard(w);
  MOVE_RC(cbc_hazard_submit(w->db, id, pick_employee(w), "done", NULL, 0));
}

static void op_verify(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  int pass = fz_pick(&w->in, 2);
  MOVE_RC(cbc_hazard_verify(w->db, id, actor, pass, pass ? NULL : "not yet", NULL, 0));
}

static void op_reopen(world *w)
{
  int64_t id = pick_hazard(w);
  MOVE_RC(cbc_hazard_reopen(w->db, id, pick_employee(w), "came back"));
}

static void op_reject(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  int64_t duplicate_of = fz_pick(&w->in, 2) ? pick_hazard(w) : 0;
  MOVE_RC(cbc_hazard_reject(w->db, id, actor, duplicate_of ? NULL : "not a hazard",
                            duplicate_of));
}

static void op_list_or_plan(world *w)
{
  int64_t id = pick_hazard(w), actor = pick_employee(w);
  cbc_rectification_plan plan = fz_plan("plan", *w->now + 30 * DAY);
  if (fz_pick(&w->in, 2))
    MOVE_RC(cbc_hazard_list_supervision(w->db, id, actor, "bureau", "doc 1", 0));
  else
    MOVE_RC(cbc_hazard_file_plan(w->db, id, actor, &plan));
}

static void op_sweep(world *w)
{
  int64_t *ids = NULL;
  size_t n = 0;
  FZ_RC_IN(cbc_hazard_sweep_overdue(&ids, &n, w->db, 0, fz_pick(&w->in, 2) ? CBC_SWEEP_ESCALATE
                                                                            : 0),
           CBC_EINVAL);
  cbc_free(ids);
}

static void op_training(world *w)
{
  cbc_attendee who[3];
  size_t n = 1 + fz_pick(&w->in, 3);
  for (size_t i = 0; i < n; i++) {
    who[i].employee_id = pick_employee(w);
    who[i].passed = (int)fz_pick(&w->in, 2);
  }
  cbc_training_record t = CBC_TRAINING_RECORD_INIT;
  t.kind = 1 + fz_pick(&w->in, 6);
  t.unit_id = pick_unit(w);
  t.held_at = *w->now - fz_byte(&w->in) * 3600;
  t.minutes = 60;
  t.title = "safety";
  t.attendees = who;
  t.n_attendees = n;
  FZ_RC_IN(cbc_training_add(NULL, w->db, &t), CBC_EINVAL, CBC_ENOTFOUND);
}

static void op_drill(world *w)
{
  int64_t teams[2];
  teams[0] = pick_team(w);
  teams[1] = pick_team(w);
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = pick_unit(w);
  d.held_at = *w->now - fz_byte(&w->in) * 3600;
  d.scenario = "fire";
  d.team_ids = teams;
  d.n_teams = 1 + fz_pick(&w->in, 2);
  FZ_RC_IN(cbc_drill_add(NULL, w->db, &d), CBC_EINVAL, CBC_ENOTFOUND);
}

static void op_visit(world *w)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = pick_employee(w);
  v.unit_id = pick_unit(w);
  v.visited_at = *w->now - fz_byte(&w->in) * 3600;
  v.findings = "ok";
  FZ_RC_IN(cbc_visit_add(NULL, w->db, &v), CBC_EINVAL, CBC_ENOTFOUND);
}

static void op_proposal(world *w)
{
  if (!w->proposal || fz_pick(&w->in, 2)) {
    cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
    p.proposer_id = pick_employee(w);
    p.title = "idea";
    p.text = "an idea";
    FZ_RC_IN(cbc_proposal_submit(&w->proposal, w->db, &p), CBC_EINVAL, CBC_ENOTFOUND);
  } else {
    int64_t actor = pick_employee(w);
    FZ_RC_IN(cbc_proposal_decide(w->db, w->proposal, actor, fz_pick(&w->in, 2), NULL),
             CBC_EINVAL, CBC_ENOTFOUND, CBC_ESTATE, CBC_EPERM);
  }
}

/* Transfer, departure, or a hire or return through an incremental sync. */
static void op_people(world *w)
{
  unsigned int what = fz_pick(&w->in, 3);
  int64_t who = pick_employee(w);
  if (what == 0) {
    int64_t team = pick_team(w);
    FZ_RC_IN(cbc_employee_transfer(w->db, who, team, 0), CBC_EINVAL, CBC_ENOTFOUND,
             CBC_ESTATE);
  } else if (what == 1) {
    FZ_RC_IN(cbc_employee_deactivate(w->db, who, 0), CBC_EINVAL, CBC_ENOTFOUND, CBC_ESTATE);
  } else {
    unsigned int n = fz_pick(&w->in, 3);
    static const char *const teams[] = { "T1", "T2", "T3" };
    cbc_employee_record e = { CBC_EMPLOYEE_RECORD_VERSION, employees[10 + n], "new hire",
                              NULL, teams[fz_pick(&w->in, 3)], CBC_ROLE_WORKER, 1, 0 };
    cbc_sync_result *res = NULL;
    FZ_RC_IN(cbc_org_sync(&res, w->db, NULL, 0, &e, 1, NULL), CBC_EINVAL);
    cbc_sync_result_free(res);
    cbc_employee *hired = NULL;
    if (!FZ_RC_IN(cbc_employee_lookup_external(&hired, w->db, e.external_id), CBC_ENOTFOUND))
      w->employee[10 + n] = hired->id;
    cbc_employee_free(hired);
  }
}

/* The month the clock is in, in the database's UTC+8. */
static cbc_period current_month(const world *w)
{
  time_t t = (time_t)(*w->now + 8 * 3600);
  struct tm tm;
  gmtime_r(&t, &tm);
  cbc_period p = { CBC_PERIOD_MONTH, tm.tm_year + 1900, tm.tm_mon + 1, 0, 0 };
  return p;
}

static void op_evaluate(world *w)
{
  cbc_period p = current_month(w);
  if (fz_pick(&w->in, 2) && p.number > 1)
    p.number--; /* last month */
  int64_t unit = pick_unit(w);
  unsigned int flags = fz_pick(&w->in, 2) ? CBC_EVALUATE_DRY_RUN : 0;
  cbc_reward_decisions *d = NULL;
  FZ_RC_IN(cbc_reward_evaluate(&d, w->db, unit, &p, flags), CBC_EINVAL, CBC_ENOTFOUND);
  cbc_reward_decisions_free(d);
}

static void op_award(world *w)
{
  int64_t award = 1 + fz_pick(&w->in, MAX_AWARDS), actor = pick_employee(w);
  switch (fz_pick(&w->in, 4)) {
  case 0:
    FZ_RC_IN(cbc_award_approve(w->db, award, actor), CBC_EINVAL, CBC_ENOTFOUND, CBC_EPERM,
             CBC_ESTATE);
    break;
  case 1:
    FZ_RC_IN(cbc_award_pay(w->db, award, actor, "voucher 1",
                           fz_pick(&w->in, 2) ? w->followup : NULL),
             CBC_EINVAL, CBC_ENOTFOUND, CBC_EPERM, CBC_ESTATE);
    break;
  case 2:
    FZ_RC_IN(cbc_award_decline(w->db, award, actor, "no"), CBC_EINVAL, CBC_ENOTFOUND,
             CBC_EPERM, CBC_ESTATE);
    break;
  default:
    FZ_RC_IN(cbc_award_review(w->db, award, actor, "stands"), CBC_EINVAL, CBC_ENOTFOUND,
             CBC_EPERM, CBC_ESTATE);
  }
}

static void op_group(world *w)
{
  int in_group = cbc_db_in_group(w->db);
  switch (fz_pick(&w->in, 3)) {
  case 0:
    FZ_RC_IN(cbc_db_begin(w->db), CBC_ESTATE);
    assert_int_equal(cbc_db_in_group(w->db), 1);
    break;
  case 1:
    assert_int_equal(FZ_RC_IN(cbc_db_commit(w->db), CBC_ESTATE) == 0, in_group);
    assert_int_equal(cbc_db_in_group(w->db), 0);
    break;
  default:
    FZ_RC_IN(cbc_db_rollback(w->db), CBC_ESTATE);
    assert_int_equal(cbc_db_in_group(w->db), 0);
  }
}

/* 90 seconds to about ten weeks forward, until the end of 2026. */
static void op_clock(world *w)
{
  int64_t hours = fz_byte(&w->in);
  int64_t step = hours * fz_byte(&w->in) * 90;
  if (*w->now + step < cbc_test_date(2026, 12, 1))
    *w->now += step;
}

typedef void (*operation)(world *w);
static const operation operations[] = {
  op_report, op_fix_on_spot, op_register, op_start, op_escalate, op_extension, op_submit,
  op_verify, op_reopen, op_reject, op_list_or_plan, op_sweep, op_training, op_drill, op_visit,
  op_proposal, op_people, op_evaluate, op_award, op_group, op_clock,
};

static void world_init(world *w, int64_t *now, const uint8_t *data, size_t size)
{
  memset(w, 0, sizeof(*w));
  w->now = now;
  w->db = fz_seeded_db(now);
  w->in = (fz_input){ data, size };
  for (size_t i = 0; i < N_EMPLOYEES; i++)
    w->employee[i] = i < 10 ? cbc_test_employee_id(w->db, employees[i]) : 0;
  for (size_t i = 0; i < N_UNITS; i++)
    w->unit[i] = cbc_test_unit_id(w->db, units[i]);
  /* general hazards earn nothing by default: pay them, so their awards
   * (the commonest) are made, paid and checked */
  static const char *policy = "{\"rules\": {\"general_hazard\": {\"amount_fen\": 100}}}";
  assert_cbc_ok(cbc_policy_set(NULL, w->db, policy, w->employee[9] /* C1, a union cadre */));
}

/* Every month from the first to the clock's, and the quarter and year of
 * the clock's month, for every unit. */
static void assert_stats_agree(world *w)
{
  cbc_period last = current_month(w);
  for (size_t u = 0; u < N_UNITS; u++) {
    cbc_period m = { CBC_PERIOD_MONTH, 2025, 3, 0, 0 };
    for (; m.year < last.year || (m.year == last.year && m.number <= last.number);
         m.year += m.number == 12, m.number = m.number % 12 + 1)
      fz_assert_form_agrees(w->db, w->unit[u], m);
    cbc_period q = { CBC_PERIOD_QUARTER, last.year, 1 + (last.number - 1) / 3, 0, 0 };
    cbc_period y = { CBC_PERIOD_YEAR, last.year, 0, 0, 0 };
    fz_assert_form_agrees(w->db, w->unit[u], q);
    fz_assert_form_agrees(w->db, w->unit[u], y);
  }
}

static void assert_consistent(world *w)
{
  cbc_test_assert_all_replay(w->db);
  assert_stats_agree(w);
  fz_assert_awards_once(w->db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const size_t max_ops = 200;
  int64_t now = fz_start_time();
  world w;
  world_init(&w, &now, data, size);
  for (size_t i = 0; i < max_ops && w.in.size > 0; i++)
    operations[fz_pick(&w.in, sizeof(operations) / sizeof(operations[0]))](&w);
  if (cbc_db_in_group(w.db))
    assert_cbc_ok(fz_pick(&w.in, 2) ? cbc_db_commit(w.db) : cbc_db_rollback(w.db));
  assert_consistent(&w);
  cbc_db_close(w.db);
  free(w.followup);
  return 0;
}
