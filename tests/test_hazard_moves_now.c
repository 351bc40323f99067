/* What a person may do on a hazard now (cbc_hazard_moves, docs/authorization.md
 * "What may this person do now"): hand-picked cells of people, states and
 * conditions; an oracle over random histories — a move's bit is set exactly
 * when the move, made with valid arguments inside a group that is rolled
 * back, succeeds; and allocation failures. */
#include "helpers.h"
#include "invariants.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000000;
static const int64_t DAY = 86400;

#define M(a) CBC_MOVE(CBC_ACTION_##a)

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }

/* The shared org, a second enterprise under the same region, and Z0, a team
 * leader of T1 who has left (inactive people make no move). */
static void seed(cbc_db *db)
{
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  cbc_employee_record z = { 1, "Z0", "Ma Lin", "former lead", "T1", CBC_ROLE_TEAM_LEADER, 0,
                            0 };
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &z));
}

static int setup(void **state)
{
  now = 1700000000;
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

static int64_t report(cbc_db *db, const char *reporter, const char *unit, cbc_severity sev)
{
  int64_t id = cbc_test_report(db, reporter, unit, sev, "护栏松动");
  now += 60;
  return id;
}

static const cbc_rectification_plan plan = { "更换护栏", "停机更换", "5万元, 钢材",
                                             "设备科, 孙华", 1900000000, "停机挂牌" };

static void do_register(cbc_db *db, int64_t id, const char *actor, cbc_severity sev,
                        cbc_level level)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = sev;
  r.level = level;
  r.measures = "紧固护栏";
  r.deadline = now + 10 * DAY;
  r.contingency_plan = "设置警示带";
  r.plan = sev == CBC_SEVERITY_MAJOR ? &plan : NULL;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, actor), &r));
  now += 60;
}

static unsigned int moves_of(cbc_db *db, int64_t id, const char *actor)
{
  unsigned int out = 0xdead;
  assert_cbc_ok(cbc_hazard_moves(&out, db, id, E(db, actor)));
  return out;
}

/* Each person's moves on hazard @p id, with the names of the moves when
 * they differ. */
typedef struct cell {
  const char *actor;
  unsigned int moves;
} cell;

static void names(char *out, size_t size, unsigned int bits)
{
  out[0] = '\0';
  for (int a = CBC_ACTION_REPORT; a <= CBC_ACTION_AMEND; a++)
    if (bits & CBC_MOVE(a)) {
      strncat(out, cbc_hazard_action_name((cbc_hazard_action)a), size - strlen(out) - 2);
      strncat(out, " ", size - strlen(out) - 1);
    }
}

static void assert_cells(cbc_db *db, int64_t id, const cell *cells, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned int got = moves_of(db, id, cells[i].actor);
    if (got != cells[i].moves) {
      char want_s[256], got_s[256];
      names(want_s, sizeof(want_s), cells[i].moves);
      names(got_s, sizeof(got_s), got);
      fail_msg("hazard %lld, %s: want { %s}, got { %s}", (long long)id, cells[i].actor, want_s,
               got_s);
    }
  }
}

#define CELLS(db, id, ...)                                                 \
  do {                                                                     \
    const cell cells_[] = { __VA_ARGS__ };                                 \
    assert_cells((db), (id), cells_, sizeof(cells_) / sizeof(cells_[0])); \
  } while (0)

/* People who may do nothing on a T1 hazard whatever its state, unless a
 * cell says otherwise: another team, another workshop's director, another
 * enterprise, one who left. */
#define OUTSIDERS { "L2", 0 }, { "B1", 0 }, { "D1", 0 }, { "X1", 0 }, { "XL", 0 }, \
                  { "XS", 0 }, { "XP", 0 }, { "Z0", 0 }

static void test_general_hazard(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  CELLS(db, id, { "A1", 0 }, { "A2", 0 }, { "L1", M(REJECT) | M(REGISTER) },
        { "S1", M(REJECT) | M(REGISTER) }, { "P1", M(REJECT) | M(REGISTER) }, { "I1", 0 },
        { "C1", 0 }, OUTSIDERS);
  do_register(db, id, "L1", CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  const unsigned int registered = M(START) | M(ESCALATE) | M(REQUEST_EXTENSION) | M(AMEND);
  /* the reporter, not responsible, sees none; the team leader (responsible)
   * and the enterprise's officers run it; nobody decides an extension yet */
  CELLS(db, id, { "A1", 0 }, { "L1", registered }, { "S1", registered }, { "P1", registered },
        { "I1", 0 }, { "C1", 0 }, OUTSIDERS);
  assert_cbc_ok(cbc_hazard_request_extension(db, id, E(db, "L1"), now + 20 * DAY, "缺料"));
  now += 60;
  /* pending: no second request; deciding takes authority above TEAM */
  const unsigned int pending = M(START) | M(ESCALATE) | M(AMEND);
  CELLS(db, id, { "L1", pending }, { "S1", pending | M(DECIDE_EXTENSION) },
        { "P1", pending | M(DECIDE_EXTENSION) }, { "A1", 0 }, { "I1", 0 }, OUTSIDERS);
  assert_cbc_ok(cbc_hazard_decide_extension(db, id, E(db, "S1"), 1, NULL));
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  const unsigned int rectifying = M(ESCALATE) | M(REQUEST_EXTENSION) | M(SUBMIT) | M(AMEND);
  CELLS(db, id, { "L1", rectifying }, { "S1", rectifying }, { "A1", 0 }, OUTSIDERS);
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "L1"), "已紧固", NULL, 0));
  now += 60;
  /* the submitter never verifies, though their authority covers the level */
  const unsigned int verify = M(VERIFY_PASS) | M(VERIFY_FAIL);
  CELLS(db, id, { "L1", M(AMEND) }, { "S1", verify | M(AMEND) }, { "P1", verify | M(AMEND) },
        { "A1", 0 }, { "I1", 0 }, OUTSIDERS);
  assert_cbc_ok(cbc_hazard_verify(db, id, E(db, "S1"), 1, NULL, NULL, 0));
  now += 60;
  /* a review (回头看): authority at the level, an inspector or a union cadre
   * over the unit */
  CELLS(db, id, { "L1", M(REOPEN) }, { "S1", M(REOPEN) }, { "I1", M(REOPEN) },
        { "C1", M(REOPEN) }, { "A1", 0 }, OUTSIDERS);
}

static void test_major_hazard(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_MAJOR);
  /* a proposed major hazard is rejected only at enterprise level, but the
   * team leader may still register it (as general, at TEAM) */
  CELLS(db, id, { "L1", M(REGISTER) }, { "S1", M(REJECT) | M(REGISTER) }, { "I1", 0 },
        OUTSIDERS);
  do_register(db, id, "S1", CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE);
  /* ENTERPRISE: no escalation; the plan may be filed again; the inspector
   * over the region lists it, and may move its deadline later (who may
   * approve an extension there may) but correct nothing else */
  const unsigned int officer = M(START) | M(REQUEST_EXTENSION) | M(FILE_PLAN) | M(AMEND);
  CELLS(db, id, { "S1", officer }, { "P1", officer }, { "L1", 0 },
        { "I1", M(LIST_SUPERVISION) | M(AMEND) }, { "C1", 0 }, OUTSIDERS);
  assert_cbc_ok(cbc_hazard_list_supervision(db, id, E(db, "I1"), "历下区应急管理局",
                                            "历应急〔2026〕1号", 0));
  now += 60;
  CELLS(db, id, { "I1", M(AMEND) }, { "S1", officer });
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "S1")));
  assert_cbc_ok(cbc_hazard_submit(db, id, E(db, "S1"), "已更换", NULL, 0));
  now += 60;
  /* listed: only the listing authority verifies */
  CELLS(db, id, { "I1", M(VERIFY_PASS) | M(VERIFY_FAIL) | M(AMEND) }, { "S1", M(AMEND) },
        { "P1", M(AMEND) }, { "L1", 0 }, OUTSIDERS);
}

static void test_enterprise_level_needs_plan(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  do_register(db, id, "L1", CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM);
  assert_cbc_ok(cbc_hazard_start(db, id, E(db, "L1")));
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "L1"), "班组无法整改", E(db, "S1")));
  assert_cbc_ok(cbc_hazard_escalate(db, id, E(db, "S1"), "车间无法整改", E(db, "S1")));
  /* at ENTERPRISE without a plan: no submission until it is filed; the team
   * leader lost authority, and is no longer responsible */
  CELLS(db, id, { "S1", M(REQUEST_EXTENSION) | M(FILE_PLAN) | M(AMEND) }, { "L1", 0 },
        { "I1", M(AMEND) });
  assert_cbc_ok(cbc_hazard_file_plan(db, id, E(db, "S1"), &plan));
  CELLS(db, id, { "S1", M(REQUEST_EXTENSION) | M(FILE_PLAN) | M(SUBMIT) | M(AMEND) });
}

/* At the last time libcbc holds no later deadline exists: no extension is
 * asked for, and no correction moves it later. */
static void test_latest_deadline(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_MAJOR);
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = CBC_SEVERITY_MAJOR;
  r.level = CBC_LEVEL_ENTERPRISE;
  r.measures = "更换";
  r.deadline = CBC_TIME_MAX;
  r.contingency_plan = "警示";
  r.plan = &plan;
  assert_cbc_ok(cbc_hazard_register(db, id, E(db, "S1"), &r));
  CELLS(db, id, { "S1", M(START) | M(FILE_PLAN) | M(AMEND) }, { "I1", M(LIST_SUPERVISION) });
  assert_cbc_error(cbc_hazard_request_extension(db, id, E(db, "S1"), CBC_TIME_MAX, "缺料"),
                   CBC_ESTATE, "CBC_TIME_MAX");
}

static void test_other_enterprise_and_rejected(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "X1", "T9", CBC_SEVERITY_GENERAL);
  CELLS(db, id, { "XL", M(REJECT) | M(REGISTER) }, { "XS", M(REJECT) | M(REGISTER) },
        { "X1", 0 }, { "L1", 0 }, { "S1", 0 }, { "P1", 0 }, { "I1", 0 }, { "C1", 0 });
  assert_cbc_ok(cbc_hazard_reject(db, id, E(db, "XL"), "不是隐患", 0));
  CELLS(db, id, { "XL", 0 }, { "XS", 0 }, { "I1", 0 }, { "C1", 0 });
}

/* A hazard reported on a workshop (no team): its workshop stands for the team. */
static void test_workshop_hazard(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "D1", "W2", CBC_SEVERITY_GENERAL);
  CELLS(db, id, { "D1", M(REJECT) | M(REGISTER) }, { "L1", 0 }, { "S1", M(REJECT) | M(REGISTER) });
}

static void test_errors_and_last_error(void **state)
{
  cbc_db *db = *state;
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL), l1 = E(db, "L1");
  unsigned int out = 7;
  assert_cbc_error(cbc_hazard_moves(NULL, db, id, l1), CBC_EINVAL, "out");
  assert_cbc_error(cbc_hazard_moves(&out, NULL, id, l1), CBC_EINVAL, NULL);
  assert_int_equal(out, 0);
  assert_cbc_error(cbc_hazard_moves(&out, db, 0, l1), CBC_EINVAL, "hazard id");
  assert_cbc_error(cbc_hazard_moves(&out, db, id, -3), CBC_EINVAL, "actor id");
  assert_cbc_error(cbc_hazard_moves(&out, db, id + 100, l1), CBC_ENOTFOUND, "hazard");
  assert_cbc_error(cbc_hazard_moves(&out, db, id, l1 + 1000), CBC_ENOTFOUND, NULL);
  /* a success leaves the thread's last error as it was, though it weighed
   * refusals (A1 is refused every move) */
  assert_cbc_error(cbc_hazard_start(db, id, l1), CBC_ESTATE, "START");
  char before[512];
  snprintf(before, sizeof(before), "%s", cbc_error_last()->message);
  out = 99;
  assert_cbc_ok(cbc_hazard_moves(&out, db, id, E(db, "A1")));
  assert_int_equal(out, 0);
  assert_int_equal(cbc_error_last()->code, CBC_ESTATE);
  assert_string_equal(cbc_error_last()->message, before);
  /* asking wrote nothing */
  assert_int_equal(M(REJECT) | M(REGISTER), moves_of(db, id, "L1"));
  cbc_hazard_event *ev;
  size_t n;
  assert_cbc_ok(cbc_hazard_history(&ev, &n, db, id));
  assert_int_equal(n, 1);
  cbc_hazard_events_free(ev, n);
}

static void test_read_only(void **state)
{
  (void)state;
  const char *path = cbc_test_path("moves_ro.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  seed(db);
  int64_t id = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  cbc_db_close(db);
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = CBC_DB_READONLY;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  assert_int_equal(moves_of(db, id, "S1"), M(REJECT) | M(REGISTER));
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* ------------------------------------------------------------ the oracle */

typedef struct walk {
  cbc_db *db;
  uint64_t rng;
  int64_t ids[400];
  size_t n;
  int64_t people[16];
  size_t n_people;
  long checked, allowed, attempts;
  long allowed_by_move[CBC_ACTION_AMEND + 1];
} walk;

static const char *const everyone[] = { "L1", "A1", "A2", "L2", "B1", "D1", "P1", "S1",
                                        "I1", "C1", "X1", "XL", "XS", "XP", "Z0" };
#define N_EVERYONE (sizeof(everyone) / sizeof(everyone[0]))

static uint64_t next_random(walk *w)
{
  w->rng ^= w->rng << 13;
  w->rng ^= w->rng >> 7;
  w->rng ^= w->rng << 17;
  return w->rng;
}

static int pick(walk *w, int n) { return (int)(next_random(w) % (uint64_t)n); }

/* The enterprise's safety officer: responsible at every level, whoever acts. */
static int64_t officer_of(walk *w, const cbc_hazard *h)
{
  return E(w->db, h->enterprise_id == cbc_test_unit_id(w->db, "E1") ? "S1" : "XS");
}

static int64_t later(const cbc_hazard *h)
{
  return (h->deadline > now ? h->deadline : now) + DAY;
}

/* Move @p a on @p h by @p actor with valid arguments; @p variant picks among
 * the arguments a move may take (the level of a registration; a correction
 * of the record or of the deadline only); *more says whether there are more. */
static int make_move(walk *w, const cbc_hazard *h, int64_t actor, cbc_hazard_action a,
                     int variant, bool *more)
{
  cbc_db *db = w->db;
  *more = false;
  switch (a) {
  case CBC_ACTION_REJECT:
    return cbc_hazard_reject(db, h->id, actor, "不是隐患", 0);
  case CBC_ACTION_REGISTER: {
    cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
    r.severity = CBC_SEVERITY_GENERAL;
    r.level = (cbc_level)(CBC_LEVEL_INDIVIDUAL + variant);
    r.responsible_id = officer_of(w, h);
    r.measures = "整改";
    r.deadline = now + 10 * DAY;
    r.contingency_plan = "预案";
    *more = r.level < CBC_LEVEL_ENTERPRISE;
    return cbc_hazard_register(db, h->id, actor, &r);
  }
  case CBC_ACTION_START: return cbc_hazard_start(db, h->id, actor);
  case CBC_ACTION_ESCALATE: return cbc_hazard_escalate(db, h->id, actor, "提级", officer_of(w, h));
  case CBC_ACTION_LIST_SUPERVISION:
    return cbc_hazard_list_supervision(db, h->id, actor, "区应急管理局", "区应急〔2026〕8号", 0);
  case CBC_ACTION_REQUEST_EXTENSION:
    return cbc_hazard_request_extension(db, h->id, actor, later(h), "缺料");
  case CBC_ACTION_DECIDE_EXTENSION:
    return cbc_hazard_decide_extension(db, h->id, actor, (int)(next_random(w) & 1), NULL);
  case CBC_ACTION_SUBMIT: return cbc_hazard_submit(db, h->id, actor, "已整改", NULL, 0);
  case CBC_ACTION_VERIFY_PASS: return cbc_hazard_verify(db, h->id, actor, 1, NULL, NULL, 0);
  case CBC_ACTION_VERIFY_FAIL:
    return cbc_hazard_verify(db, h->id, actor, 0, "未整改到位", NULL, 0);
  case CBC_ACTION_REOPEN: return cbc_hazard_reopen(db, h->id, actor, "回头看");
  case CBC_ACTION_FILE_PLAN: return cbc_hazard_file_plan(db, h->id, actor, &plan);
  case CBC_ACTION_AMEND: {
    cbc_hazard_amendment am = CBC_HAZARD_AMENDMENT_INIT;
    am.reason = "更正";
    am.fields = variant == 0 ? CBC_AMEND_MEASURES : CBC_AMEND_DEADLINE;
    am.measures = "更正措施";
    am.deadline = later(h);
    *more = variant == 0;
    return cbc_hazard_amend(db, h->id, actor, &am);
  }
  default:
    fail_msg("no such move %d", (int)a);
    return -1;
  }
}

static bool same_hazard(const cbc_hazard *a, const cbc_hazard *b)
{
  return a->state == b->state && a->level == b->level && a->deadline == b->deadline &&
         a->updated_at == b->updated_at && a->responsible_id == b->responsible_id &&
         a->extension_pending == b->extension_pending && a->listed == b->listed;
}

static cbc_hazard *get(cbc_db *db, int64_t id)
{
  cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, id));
  return h;
}

/* Whether the move succeeds with some valid arguments, each tried in a group
 * rolled back: a refusal is CBC_EPERM or CBC_ESTATE and changed nothing. */
static bool move_succeeds(walk *w, const cbc_hazard *h, int64_t actor, cbc_hazard_action a)
{
  bool ok = false, more = true;
  for (int variant = 0; more && !ok; variant++) {
    assert_cbc_ok(cbc_db_begin(w->db));
    int rc = make_move(w, h, actor, a, variant, &more);
    w->attempts++;
    if (rc && rc != CBC_EPERM && rc != CBC_ESTATE)
      fail_msg("hazard %lld, %s by %lld: %d (%s)", (long long)h->id,
               cbc_hazard_action_name(a), (long long)actor, rc, cbc_error_last()->message);
    if (rc) {
      cbc_hazard *after = get(w->db, h->id);
      assert_true(same_hazard(h, after));
      cbc_hazard_free(after);
    }
    ok = rc == 0;
    assert_cbc_ok(cbc_db_rollback(w->db));
  }
  return ok;
}

static const cbc_hazard_action all_moves[] = {
  CBC_ACTION_REJECT,           CBC_ACTION_REGISTER,   CBC_ACTION_START,
  CBC_ACTION_ESCALATE,         CBC_ACTION_LIST_SUPERVISION, CBC_ACTION_REQUEST_EXTENSION,
  CBC_ACTION_DECIDE_EXTENSION, CBC_ACTION_SUBMIT,     CBC_ACTION_VERIFY_PASS,
  CBC_ACTION_VERIFY_FAIL,      CBC_ACTION_REOPEN,     CBC_ACTION_FILE_PLAN,
  CBC_ACTION_AMEND,
};
#define N_MOVES (sizeof(all_moves) / sizeof(all_moves[0]))

/* Every person, every move on hazard @p id: the bit iff the move succeeds. */
static void check_hazard(walk *w, int64_t id)
{
  cbc_hazard *h = get(w->db, id);
  for (size_t p = 0; p < w->n_people; p++) {
    unsigned int bits;
    assert_cbc_ok(cbc_hazard_moves(&bits, w->db, id, w->people[p]));
    assert_int_equal(bits & (M(REPORT) | M(ESCALATE_OVERDUE)), 0);
    for (size_t i = 0; i < N_MOVES; i++) {
      bool set = (bits & CBC_MOVE(all_moves[i])) != 0;
      if (set != move_succeeds(w, h, w->people[p], all_moves[i]))
        fail_msg("hazard %lld (%s, level %d, severity %d, listed %d, pending %d): %s by %s: "
                 "bit %d", (long long)id, cbc_hazard_state_name(h->state), (int)h->level,
                 (int)h->severity, h->listed, h->extension_pending,
                 cbc_hazard_action_name(all_moves[i]), everyone[p], set);
      w->checked++;
      w->allowed += set;
      w->allowed_by_move[all_moves[i]] += set;
    }
  }
  cbc_hazard *after = get(w->db, id);
  assert_true(same_hazard(h, after));
  cbc_hazard_free(after);
  cbc_hazard_free(h);
}

/* A new hazard: mostly a team's, some on a workshop or an enterprise, now
 * and then an anonymous tip-off. */
static void new_hazard(walk *w)
{
  static const char *const units[] = { "T1", "T1", "T2", "T3", "T9", "T9", "W1", "E1" };
  static const char *const reporters[] = { "A1", "A2", "B1", "L1", "X1", "S1" };
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  bool anonymous = pick(w, 10) == 0;
  r.reporter_id = anonymous ? 0 : E(w->db, reporters[pick(w, 6)]);
  r.unit_id = cbc_test_unit_id(w->db, units[pick(w, 8)]);
  r.title = "隐患";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_RULES;
  r.source = anonymous ? CBC_SOURCE_HOTLINE : CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = pick(w, 4) ? CBC_SEVERITY_GENERAL : CBC_SEVERITY_MAJOR;
  char *key = NULL;
  assert_cbc_ok(cbc_hazard_report(&w->ids[w->n++], &key, w->db, &r));
  cbc_free(key);
}

/* A random move with random (mostly valid) arguments, tried by people in a
 * random order until one may: the history moves on, and refusals are met. */
/* The move that takes a hazard in @p state on towards closure. */
static cbc_hazard_action onwards(walk *w, cbc_hazard_state state)
{
  switch (state) {
  case CBC_HAZARD_REPORTED: return CBC_ACTION_REGISTER;
  case CBC_HAZARD_REGISTERED: return CBC_ACTION_START;
  case CBC_HAZARD_RECTIFYING: return pick(w, 2) ? CBC_ACTION_SUBMIT : CBC_ACTION_FILE_PLAN;
  case CBC_HAZARD_PENDING_VERIFICATION:
    return pick(w, 3) ? CBC_ACTION_VERIFY_PASS : CBC_ACTION_VERIFY_FAIL;
  default: return CBC_ACTION_REOPEN;
  }
}

static void random_move(walk *w, int64_t id)
{
  cbc_db *db = w->db;
  cbc_hazard *h = get(db, id);
  cbc_hazard_action a = pick(w, 2) ? onwards(w, h->state) : all_moves[pick(w, (int)N_MOVES)];
  int start = pick(w, (int)w->n_people);
  for (size_t k = 0; k < w->n_people; k++) {
    int64_t actor = w->people[(start + k) % w->n_people];
    int rc;
    if (a == CBC_ACTION_REGISTER) {
      cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
      r.severity = pick(w, 3) ? CBC_SEVERITY_GENERAL : CBC_SEVERITY_MAJOR;
      r.level = r.severity == CBC_SEVERITY_MAJOR ? CBC_LEVEL_ENTERPRISE
                                                 : (cbc_level)(1 + pick(w, 4));
      r.plan = r.severity == CBC_SEVERITY_MAJOR ? &plan : NULL;
      r.responsible_id = pick(w, 2) ? 0 : officer_of(w, h);
      r.measures = "整改";
      r.deadline = now + (1 + pick(w, 20)) * DAY;
      r.contingency_plan = "预案";
      rc = cbc_hazard_register(db, id, actor, &r);
    } else {
      bool more;
      rc = make_move(w, h, actor, a, pick(w, 2), &more);
    }
    if (rc == 0)
      break;
  }
  cbc_hazard_free(h);
}

static void run_oracle(uint64_t rng_seed, size_t hazards, int steps)
{
  now = cbc_test_date(2026, 3, 2) + 9 * 3600;
  walk w = { 0 };
  w.db = cbc_test_db(&now);
  w.rng = rng_seed;
  seed(w.db);
  for (size_t i = 0; i < N_EVERYONE; i++)
    w.people[w.n_people++] = E(w.db, everyone[i]);
  assert_true(hazards <= sizeof(w.ids) / sizeof(w.ids[0]));
  for (int i = 0; i < steps; i++) {
    now += 600 + pick(&w, 8 * 3600);
    if (w.n < hazards && (w.n == 0 || pick(&w, 4) == 0))
      new_hazard(&w);
    else
      random_move(&w, w.ids[pick(&w, (int)w.n)]);
    if (pick(&w, 200) == 0) { /* the overdue sweep escalates some */
      int64_t *ids;
      size_t n;
      assert_cbc_ok(cbc_hazard_sweep_overdue(&ids, &n, w.db, 0, CBC_SWEEP_ESCALATE));
      cbc_free(ids);
    }
  }
  while (w.n < hazards)
    new_hazard(&w);
  unsigned int states = 0;
  for (size_t i = 0; i < w.n; i++) {
    cbc_hazard *h = get(w.db, w.ids[i]);
    states |= 1u << h->state;
    cbc_hazard_free(h);
    check_hazard(&w, w.ids[i]);
  }
  cbc_test_assert_all_replay(w.db);
  print_message("seed %llu: %zu hazards, %ld cells, %ld allowed, %ld moves tried\n",
                (unsigned long long)rng_seed, w.n, w.checked, w.allowed, w.attempts);
  assert_int_equal(states, 0x7eu); /* every state was met */
  for (size_t i = 0; i < N_MOVES; i++) /* every move both allowed and refused */
    assert_in_range(w.allowed_by_move[all_moves[i]], 1, w.checked / (long)N_MOVES - 1);
  cbc_db_close(w.db);
}

/* Fewer hazards under valgrind (cbc_test_light()), all with
 * CBC_TEST_LONG. */
static size_t oracle_size(void)
{
  const char *long_run = getenv("CBC_TEST_LONG");
  if (long_run && *long_run && strcmp(long_run, "0") != 0)
    return 400;
  return cbc_test_light() ? 60 : 240;
}

static void test_oracle(void **state)
{
  (void)state;
  size_t n = oracle_size();
  run_oracle(0x9E3779B97F4A7C15ull, n, (int)n * 6);
  run_oracle(20261203, n / 2, (int)n * 4);
}

/* ---------------------------------------------------- allocation failures */

/* A few hazards in different states, and who asks about them. */
static void failure_fixture(cbc_db *db, int64_t ids[3])
{
  ids[0] = report(db, "A1", "T1", CBC_SEVERITY_GENERAL);
  ids[1] = report(db, "A1", "T1", CBC_SEVERITY_MAJOR);
  do_register(db, ids[1], "S1", CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE);
  ids[2] = report(db, "X1", "T9", CBC_SEVERITY_GENERAL);
}

static const char *const askers[] = { "L1", "S1", "I1", "XL", "Z0" };

/* The calls with the @p n-th of their allocations failing (0: none);
 * *allocs gets how many they made. */
static bool moves_with_failure(long n, const unsigned int want[3][5], int *failed_points,
                               long *allocs)
{
  cbc_test_alloc_install(1);
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  int64_t ids[3], who[5];
  failure_fixture(db, ids);
  for (int j = 0; j < 5; j++)
    who[j] = E(db, askers[j]);
  long before = cbc_test_alloc_count();
  cbc_test_fail_after(n);
  bool failed = false;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 5; j++) {
      unsigned int got = 12345;
      int rc = cbc_hazard_moves(&got, db, ids[i], who[j]);
      bool now_failed = cbc_test_alloc_failed() && !failed;
      failed = failed || now_failed;
      if (rc) {
        assert_true(now_failed);
        assert_true(rc == CBC_ENOMEM || rc == CBC_EIO);
        assert_int_equal(got, 0);
        (*failed_points)++;
      } else {
        assert_int_equal(got, want[i][j]);
      }
    }
  cbc_test_fail_after(0);
  *allocs = cbc_test_alloc_count() - before;
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
  return failed;
}

/* Every allocation of the calls fails once (each point builds its database:
 * under valgrind the points are spread, cbc_test_sweep_stride()). */
static void test_allocation_failures(void **state)
{
  (void)state;
  unsigned int want[3][5];
  cbc_db *db = cbc_test_db(&now);
  seed(db);
  int64_t ids[3];
  failure_fixture(db, ids);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 5; j++)
      want[i][j] = moves_of(db, ids[i], askers[j]);
  cbc_db_close(db);
  assert_int_equal(want[1][2], M(LIST_SUPERVISION) | M(AMEND)); /* I1 on the major one */
  int failed_points = 0;
  long total, allocs, points = 0;
  assert_false(moves_with_failure(0, (const unsigned int(*)[5])want, &failed_points, &total));
  long stride = cbc_test_sweep_stride(total);
  for (long n = 1; moves_with_failure(n, (const unsigned int(*)[5])want, &failed_points,
                                      &allocs);
       n += stride)
    points++;
  print_message("moves: %ld allocations, %ld failure points tried, %d failed the call\n",
                total, points, failed_points);
  /* on PostgreSQL the reads allocate nothing of the library's (libpq
   * allocates with its own), so there is nothing to fail */
  assert_true(failed_points > 0 || (cbc_test_on_postgres() && total == 0));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_general_hazard, setup, teardown),
    cmocka_unit_test_setup_teardown(test_major_hazard, setup, teardown),
    cmocka_unit_test_setup_teardown(test_enterprise_level_needs_plan, setup, teardown),
    cmocka_unit_test_setup_teardown(test_latest_deadline, setup, teardown),
    cmocka_unit_test_setup_teardown(test_other_enterprise_and_rejected, setup, teardown),
    cmocka_unit_test_setup_teardown(test_workshop_hazard, setup, teardown),
    cmocka_unit_test_setup_teardown(test_errors_and_last_error, setup, teardown),
    cmocka_unit_test(test_read_only),
    cmocka_unit_test(test_allocation_failures),
    cmocka_unit_test(test_oracle),
  };
  return cmocka_run_group_tests_name("hazard_moves_now", tests, NULL, NULL);
}
