/* The write mix of the concurrency and crash regimes (tests/workload.h). */
#include "workload.h"
#include "store/store.h"
#include <sqlite3.h>
#include "store/driver.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const int64_t HOUR = 3600, DAY = 86400;
enum { MOVERS = 6, LINE = 96 };

int64_t cbc_wl_epoch(void) { return cbc_test_date(2024, 3, 1); }

static uint64_t next_rand(cbc_wl *w)
{
  uint64_t x = w->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return w->rng = x;
}

static int pick(cbc_wl *w, int n) { return (int)(next_rand(w) % (uint64_t)n); }

/* ---- the organisation, and the org sync with transfers and leavers ---- */

/* Mover @p i's team (0 or 1) and whether employed, at sync number @p seq. */
static void mover_at(int64_t seq, int i, int *team, int *active)
{
  uint64_t h = (uint64_t)seq * 0x9E3779B97F4A7C15u + (uint64_t)i * 0xBF58476D1CE4E5B9u;
  h ^= h >> 31;
  h *= 0x94D049BB133111EBu;
  h ^= h >> 29;
  *team = (int)(h & 1);
  *active = seq == 0 || (h >> 1) % 4 != 0;
}

/* The marker of the sync in place: the rolling mill's name carries its number. */
#define MILL_NAME "Rolling mill #%lld"

static int org_sync(cbc_db *db, int64_t seq)
{
  static const char *const team_ext[2] = { "T1", "T2" };
  char mill[48], mover_ext[MOVERS][8];
  snprintf(mill, sizeof(mill), MILL_NAME, (long long)seq);
  const cbc_unit_record units[] = {
    { CBC_UNIT_RECORD_VERSION, "R1", NULL, CBC_UNIT_REGION, "District", NULL, 0 },
    { CBC_UNIT_RECORD_VERSION, "E1", "R1", CBC_UNIT_ENTERPRISE, "Steelworks", "metallurgy", 1 },
    { CBC_UNIT_RECORD_VERSION, "W1", "E1", CBC_UNIT_WORKSHOP, mill, NULL, 0 },
    { CBC_UNIT_RECORD_VERSION, "T1", "W1", CBC_UNIT_TEAM, "Shift A", NULL, 0 },
    { CBC_UNIT_RECORD_VERSION, "T2", "W1", CBC_UNIT_TEAM, "Shift B", NULL, 0 },
  };
  cbc_employee_record people[7 + MOVERS] = {
    { CBC_EMPLOYEE_RECORD_VERSION, "L1", "Li Lei", NULL, "T1", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "L2", "Liu Yang", NULL, "T2", CBC_ROLE_TEAM_LEADER, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "A1", "Wang Fang", NULL, "T1", CBC_ROLE_WORKER, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "B1", "Chen Jing", NULL, "T2", CBC_ROLE_WORKER, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "P1", "Sun Hua", NULL, "T2",
      CBC_ROLE_PRINCIPAL | CBC_ROLE_SAFETY_OFFICER, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "K1", "Zheng Li", NULL, "R1", CBC_ROLE_UNION_CADRE, 1, 0 },
    { CBC_EMPLOYEE_RECORD_VERSION, "I1", "Wu Gang", NULL, "R1", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
  };
  for (int i = 0; i < MOVERS; i++) {
    int team, active;
    mover_at(seq, i, &team, &active);
    snprintf(mover_ext[i], sizeof(mover_ext[i]), "M%d", i);
    people[7 + i] = (cbc_employee_record){ CBC_EMPLOYEE_RECORD_VERSION, mover_ext[i], "mover",
                                           NULL, team_ext[team], CBC_ROLE_WORKER, active, 0 };
  }
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  int rc = cbc_org_sync(&res, db, units, 5, people, 7 + MOVERS, &opts);
  cbc_sync_result_free(res);
  return rc;
}

void cbc_wl_seed(cbc_db *db)
{
  assert_cbc_ok(cbc_db_begin(db));
  assert_cbc_ok(org_sync(db, 0));
  assert_cbc_ok(cbc_cadre_assign(NULL, db, cbc_test_employee_id(db, "K1"),
                                 cbc_test_unit_id(db, "E1"), cbc_wl_epoch() - 30 * DAY, 0));
  /* general hazards earn a discovery reward, so evaluations write awards */
  assert_cbc_ok(cbc_policy_set(NULL, db,
                               "{\"rules\": {\"general_hazard\": {\"amount_fen\": 1500}}}",
                               cbc_test_employee_id(db, "K1")));
  assert_cbc_ok(cbc_db_commit(db));
}

/* The sync number in place (from the mill's name). */
static int64_t sync_in_place(cbc_db *db)
{
  cbc_unit *u;
  long long seq = -1;
  assert_cbc_ok(cbc_unit_lookup_external(&u, db, "W1"));
  assert_int_equal(sscanf(u->name, MILL_NAME, &seq), 1);
  cbc_unit_free(u);
  return seq;
}

/* ---- acknowledgements ---- */

static void write_all(int fd, const char *text, size_t len)
{
  while (len) {
    ssize_t n = write(fd, text, len);
    assert_true(n > 0);
    text += n;
    len -= (size_t)n;
  }
}

/* Log one acknowledged write, or keep it for the open group's commit. */
static void ack(cbc_wl *w, char kind, int64_t id, int64_t n)
{
  char line[LINE];
  int len = snprintf(line, sizeof(line), "%c %lld %lld\n", kind, (long long)id, (long long)n);
  if (cbc_db_in_group(w->db)) {
    w->pending = realloc(w->pending, w->n_pending + (size_t)len + 1);
    assert_non_null(w->pending);
    memcpy(w->pending + w->n_pending, line, (size_t)len + 1);
    w->n_pending += (size_t)len;
    return;
  }
  write_all(w->log_fd, line, (size_t)len);
  if (w->durable)
    assert_int_equal(fsync(w->log_fd), 0);
  w->acked++;
}

static void flush_group_acks(cbc_wl *w, bool committed)
{
  if (committed && w->n_pending) {
    write_all(w->log_fd, w->pending, w->n_pending);
    if (w->durable)
      assert_int_equal(fsync(w->log_fd), 0);
    for (size_t i = 0; i < w->n_pending; i++)
      w->acked += w->pending[i] == '\n';
  }
  w->n_pending = 0;
}

/* ---- the calls ---- */

typedef cbc_wl_ids ids;

static ids org_ids(cbc_db *db)
{
  ids x;
  x.leader[0] = cbc_test_employee_id(db, "L1");
  x.leader[1] = cbc_test_employee_id(db, "L2");
  x.reporter[0] = cbc_test_employee_id(db, "A1");
  x.reporter[1] = cbc_test_employee_id(db, "B1");
  x.team[0] = cbc_test_unit_id(db, "T1");
  x.team[1] = cbc_test_unit_id(db, "T2");
  x.principal = cbc_test_employee_id(db, "P1");
  x.cadre = cbc_test_employee_id(db, "K1");
  x.enterprise = cbc_test_unit_id(db, "E1");
  x.mill = cbc_test_unit_id(db, "W1");
  return x;
}

static int ack_hazard(cbc_wl *w, int64_t id)
{
  cbc_hazard_event *ev = NULL;
  size_t n = 0;
  int rc = cbc_hazard_history(&ev, &n, w->db, id);
  cbc_hazard_events_free(ev, n);
  if (!rc)
    ack(w, 'H', id, (int64_t)n);
  return rc;
}

static void keep_hazard(cbc_wl *w, int64_t id)
{
  if (w->n_hazards == w->cap_hazards) {
    w->cap_hazards = w->cap_hazards ? 2 * w->cap_hazards : 64;
    w->hazards = realloc(w->hazards, w->cap_hazards * sizeof(*w->hazards));
    assert_non_null(w->hazards);
  }
  w->hazards[w->n_hazards++] = id;
}

static int report(cbc_wl *w, const ids *x)
{
  int t = pick(w, 2);
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = x->reporter[t];
  r.unit_id = x->team[t];
  r.title = "Guard missing";
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.observed_at = *w->now - 60;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id;
  int rc = pick(w, 6) ? cbc_hazard_report(&id, NULL, w->db, &r)
                      : cbc_hazard_fix_on_spot(&id, w->db, &r, "Refitted the guard", NULL, 0);
  if (rc)
    return rc;
  keep_hazard(w, id);
  return ack_hazard(w, id);
}

static int register_hazard(cbc_wl *w, const cbc_hazard *h, int64_t leader)
{
  cbc_hazard_registration g = CBC_HAZARD_REGISTRATION_INIT;
  g.severity = CBC_SEVERITY_GENERAL;
  g.level = CBC_LEVEL_TEAM;
  g.measures = "Refit the guard";
  g.funds_fen = 10000;
  g.deadline = *w->now + 30 * DAY;
  g.contingency_plan = "Fence the machine off";
  return cbc_hazard_register(w->db, h->id, leader, &g);
}

/* The next move of @p h in its lifecycle, by someone allowed to make it. */
static int next_move(cbc_wl *w, const ids *x, const cbc_hazard *h)
{
  int64_t leader = x->leader[h->unit_id == x->team[1]];
  switch (h->state) {
  case CBC_HAZARD_REPORTED:
    return pick(w, 5) ? register_hazard(w, h, leader)
                      : cbc_hazard_reject(w->db, h->id, leader, "Not a hazard", 0);
  case CBC_HAZARD_REGISTERED:
    return cbc_hazard_start(w->db, h->id, leader);
  case CBC_HAZARD_RECTIFYING:
    return cbc_hazard_submit(w->db, h->id, leader, "Guard refitted", NULL, 0);
  case CBC_HAZARD_PENDING_VERIFICATION:
    return pick(w, 4) ? cbc_hazard_verify(w->db, h->id, x->principal, 1, NULL, NULL, 0)
                      : cbc_hazard_verify(w->db, h->id, x->principal, 0, "Still loose", NULL, 0);
  case CBC_HAZARD_CLOSED:
    return pick(w, 3) ? CBC_ITEROVER : cbc_hazard_reopen(w->db, h->id, x->principal, "Review");
  default:
    return CBC_ITEROVER; /* rejected: nothing more to do */
  }
}

static int move(cbc_wl *w, const ids *x)
{
  if (!w->n_hazards)
    return report(w, x);
  int64_t id = w->hazards[pick(w, (int)w->n_hazards)];
  cbc_hazard *h;
  int rc = cbc_hazard_lookup(&h, w->db, id);
  if (rc)
    return rc;
  rc = next_move(w, x, h);
  cbc_hazard_free(h);
  if (rc == CBC_ITEROVER)
    return report(w, x);
  return rc ? rc : ack_hazard(w, id);
}

static int training(cbc_wl *w, const ids *x)
{
  bool leaders = pick(w, 4) == 0; /* a leader class: the heads only */
  int64_t pool[5] = { x->leader[0], x->leader[1], x->principal, x->reporter[0], x->reporter[1] };
  int m = leaders ? 3 : 5;
  cbc_attendee att[5];
  size_t n = 1 + (size_t)pick(w, m);
  int first = pick(w, m);
  for (size_t i = 0; i < n; i++)
    att[i] = (cbc_attendee){ pool[(first + (int)i) % m], pick(w, 3) != 0 };
  cbc_training_record r = CBC_TRAINING_RECORD_INIT;
  r.kind = leaders ? CBC_TRAINING_LEADER_CLASS : CBC_TRAINING_ALL_STAFF;
  r.unit_id = x->enterprise;
  r.held_at = *w->now - HOUR;
  r.minutes = 60;
  r.title = "Machine guarding";
  r.attendees = att;
  r.n_attendees = n;
  int64_t id;
  int rc = cbc_training_add(&id, w->db, &r);
  if (!rc)
    ack(w, 'T', id, (int64_t)n);
  return rc;
}

static int drill(cbc_wl *w, const ids *x)
{
  size_t n = 1 + (size_t)pick(w, 2);
  int64_t teams[2] = { x->team[pick(w, 2)], 0 };
  if (n == 2)
    teams[0] = x->team[0], teams[1] = x->team[1];
  cbc_drill_record d = CBC_DRILL_RECORD_INIT;
  d.unit_id = x->mill;
  d.held_at = *w->now - HOUR / 2;
  d.scenario = "Fire evacuation";
  d.team_ids = teams;
  d.n_teams = n;
  int64_t id;
  int rc = cbc_drill_add(&id, w->db, &d);
  if (!rc)
    ack(w, 'D', id, (int64_t)n);
  return rc;
}

static int visit(cbc_wl *w, const ids *x)
{
  cbc_visit_record v = CBC_VISIT_RECORD_INIT;
  v.cadre_id = x->cadre;
  v.unit_id = x->enterprise;
  v.visited_at = *w->now - 600;
  v.findings = "Exits clear";
  int64_t id;
  int rc = cbc_visit_add(&id, w->db, &v);
  if (!rc)
    ack(w, 'V', id, 0);
  return rc;
}

static int sync_next(cbc_wl *w)
{
  int rc = org_sync(w->db, ++w->sync_seq);
  if (!rc)
    ack(w, 'S', w->sync_seq, 0);
  return rc;
}

static int evaluate(cbc_wl *w, const ids *x)
{
  time_t local = (time_t)(*w->now + 8 * HOUR);
  struct tm tm;
  gmtime_r(&local, &tm);
  cbc_period p = { CBC_PERIOD_MONTH, tm.tm_year + 1900, tm.tm_mon + 1, 0, 0 };
  cbc_reward_decisions *d = NULL;
  int rc = cbc_reward_evaluate(&d, w->db, x->enterprise, &p, 0);
  for (size_t i = 0; !rc && i < d->count; i++)
    if (d->decisions[i].award_id)
      ack(w, 'A', d->decisions[i].award_id, 0);
  cbc_reward_decisions_free(d);
  return rc;
}

/* A report, a training and a visit in one cbc_db_begin() group. */
static int group(cbc_wl *w, const ids *x)
{
  size_t hazards_before = w->n_hazards;
  int rc = cbc_db_begin(w->db);
  if (rc)
    return rc;
  rc = report(w, x);
  if (!rc)
    rc = training(w, x);
  if (!rc)
    rc = visit(w, x);
  if (!rc)
    rc = cbc_db_commit(w->db);
  if (rc && cbc_db_in_group(w->db))
    cbc_db_rollback(w->db);
  if (rc)
    w->n_hazards = hazards_before;
  flush_group_acks(w, rc == 0);
  return rc;
}

int cbc_wl_step(cbc_wl *w)
{
  const ids *x = &w->ids;
  *w->now += 10;
  w->calls++;
  int r = pick(w, 100), rc;
  if (r < 30)
    rc = move(w, x);
  else if (r < 42)
    rc = report(w, x);
  else if (r < 56)
    rc = training(w, x);
  else if (r < 66)
    rc = drill(w, x);
  else if (r < 76)
    rc = visit(w, x);
  else if (r < 84 && (w->mix & CBC_WL_SYNC))
    rc = sync_next(w);
  else if (r < 92 && (w->mix & CBC_WL_GROUPS))
    rc = group(w, x);
  else if (r >= 92 && (w->mix & CBC_WL_REWARDS))
    rc = evaluate(w, x);
  else
    rc = move(w, x);
  w->busy += rc == CBC_EBUSY;
  return rc;
}

void cbc_wl_init(cbc_wl *w, cbc_db *db, int64_t *now, uint64_t seed, unsigned int mix,
                 int log_fd, bool durable, bool adopt_hazards)
{
  memset(w, 0, sizeof(*w));
  w->db = db;
  w->now = now;
  w->rng = seed * 0x2545F4914F6CDD1Du + 1;
  w->mix = mix;
  w->log_fd = log_fd;
  w->durable = durable;
  w->ids = org_ids(db);
  if (mix & CBC_WL_SYNC)
    w->sync_seq = sync_in_place(db);
  if (!adopt_hazards)
    return;
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0)
    keep_hazard(w, h->id);
  cbc_hazard_iter_free(it);
}

void cbc_wl_free(cbc_wl *w)
{
  free(w->hazards);
  free(w->pending);
  memset(w, 0, sizeof(*w));
}

/* ---- verification ---- */

static int64_t raw_count(drv_conn *raw, const char *sql, int64_t id)
{
  drv_stmt *s = NULL;
  assert_cbc_ok(drv_prepare(raw, sql, false, &s));
  if (id)
    assert_cbc_ok(drv_bind_int64(s, 1, id));
  assert_int_equal(drv_step(s, "counting"), DRV_ROW);
  int64_t n = drv_column_int64(s, 0);
  drv_finalize(s);
  return n;
}

/* The database beside the library: the file, or the PostgreSQL target. */
static drv_conn *raw_open(const char *path)
{
  drv_conn *raw = NULL;
  const drv_options o = { true, false, 5000 };
  assert_cbc_ok(drv_open(&raw, path, &o));
  return raw;
}

void cbc_wl_row_counts(cbc_wl_counts *out, const char *path)
{
  drv_conn *raw = raw_open(path);
  memset(out, 0, sizeof(*out));
  out->hazards = raw_count(raw, "SELECT count(*) FROM hazards", 0);
  out->trainings = raw_count(raw, "SELECT count(*) FROM trainings", 0);
  out->drills = raw_count(raw, "SELECT count(*) FROM drills", 0);
  out->visits = raw_count(raw, "SELECT count(*) FROM visits", 0);
  out->awards = raw_count(raw, "SELECT count(*) FROM awards", 0);
  drv_close(raw);
}

/* The highest acknowledged event count of each hazard. */
typedef struct hazard_ack {
  int64_t id, events;
} hazard_ack;

static int by_id(const void *a, const void *b)
{
  int64_t x = ((const hazard_ack *)a)->id, y = ((const hazard_ack *)b)->id;
  return x < y ? -1 : x > y;
}

static size_t hazard_acks_merge(hazard_ack *acks, size_t n)
{
  if (!n)
    return 0;
  qsort(acks, n, sizeof(*acks), by_id);
  size_t out = 0;
  for (size_t i = 0; i < n; i++)
    if (out && acks[out - 1].id == acks[i].id) {
      if (acks[i].events > acks[out - 1].events)
        acks[out - 1].events = acks[i].events;
    } else {
      acks[out++] = acks[i];
    }
  return out;
}

static void check_hazard(cbc_db *db, const hazard_ack *a, bool exact)
{
  cbc_hazard_event *ev = NULL;
  size_t n = 0;
  int rc = cbc_hazard_history(&ev, &n, db, a->id);
  cbc_hazard_events_free(ev, n);
  if (rc || (exact ? (int64_t)n != a->events : (int64_t)n < a->events))
    fail_msg("hazard %lld: %zu events (rc %d), acknowledged %lld", (long long)a->id, n, rc,
             (long long)a->events);
}

static void check_sync(cbc_db *db, int64_t last_acked)
{
  int64_t seq = sync_in_place(db);
  if (seq < last_acked)
    fail_msg("org sync %lld was acknowledged, the file holds %lld", (long long)last_acked,
             (long long)seq);
  for (int i = 0; i < MOVERS; i++) {
    char ext[8];
    int team, active;
    cbc_employee *e;
    snprintf(ext, sizeof(ext), "M%d", i);
    mover_at(seq, i, &team, &active);
    assert_cbc_ok(cbc_employee_lookup_external(&e, db, ext));
    if (e->active != active || (active && e->unit_id != cbc_test_unit_id(db, team ? "T2" : "T1")))
      fail_msg("mover %s differs from org sync %lld", ext, (long long)seq);
    cbc_employee_free(e);
  }
}

/* One acknowledged line other than a hazard's or a sync's. */
static void check_row(cbc_db *db, drv_conn *raw, char kind, int64_t id, int64_t n)
{
  cbc_training *t;
  cbc_drill *d;
  cbc_award *a;
  if (kind == 'T') {
    assert_cbc_ok(cbc_training_lookup(&t, db, id));
    assert_int_equal(t->n_attendees, n);
    cbc_training_free(t);
  } else if (kind == 'D') {
    assert_cbc_ok(cbc_drill_lookup(&d, db, id));
    assert_int_equal(d->n_teams, n);
    cbc_drill_free(d);
  } else if (kind == 'V') {
    if (raw_count(raw, "SELECT count(*) FROM visits WHERE id = ?1", id) != 1)
      fail_msg("acknowledged visit %lld is missing", (long long)id);
  } else if (kind == 'A') {
    assert_cbc_ok(cbc_award_lookup(&a, db, id));
    cbc_award_free(a);
  } else {
    fail_msg("unknown log line kind '%c'", kind);
  }
}

typedef struct verify_state {
  hazard_ack *hazards;
  size_t n_hazards, cap;
  int64_t last_sync;
} verify_state;

static void read_log(verify_state *v, cbc_wl_counts *c, cbc_db *db, drv_conn *raw, const char *log)
{
  FILE *f = fopen(log, "r");
  assert_non_null(f);
  char line[LINE], kind;
  long long id, n;
  while (fgets(line, sizeof(line), f) && strchr(line, '\n')) { /* a cut last line: not acked */
    assert_int_equal(sscanf(line, "%c %lld %lld", &kind, &id, &n), 3);
    c->lines++;
    if (kind == 'H') {
      if (v->n_hazards == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 256;
        v->hazards = realloc(v->hazards, v->cap * sizeof(*v->hazards));
        assert_non_null(v->hazards);
      }
      v->hazards[v->n_hazards++] = (hazard_ack){ id, n };
    } else if (kind == 'S') {
      v->last_sync = id > v->last_sync ? id : v->last_sync;
      c->syncs++;
    } else {
      check_row(db, raw, kind, id, n);
      c->trainings += kind == 'T';
      c->drills += kind == 'D';
      c->visits += kind == 'V';
      c->awards += kind == 'A';
    }
  }
  fclose(f);
}

static void check_counts(const cbc_wl_counts *c, const cbc_wl_counts *base, const char *path)
{
  cbc_wl_counts rows, zero = { 0 };
  const cbc_wl_counts *b = base ? base : &zero;
  cbc_wl_row_counts(&rows, path);
  if (rows.hazards != b->hazards + c->hazards || rows.trainings != b->trainings + c->trainings ||
      rows.drills != b->drills + c->drills || rows.visits != b->visits + c->visits)
    fail_msg("rows differ from acknowledged calls: hazards %ld/%ld, trainings %ld/%ld, drills "
             "%ld/%ld, visits %ld/%ld", rows.hazards, b->hazards + c->hazards, rows.trainings,
             b->trainings + c->trainings, rows.drills, b->drills + c->drills, rows.visits,
             b->visits + c->visits);
}

void cbc_wl_verify(cbc_wl_counts *out, cbc_db *db, const char *path, const char *const *logs,
                   size_t n_logs, bool exact, const cbc_wl_counts *base)
{
  verify_state v = { NULL, 0, 0, -1 };
  drv_conn *raw = raw_open(path);
  memset(out, 0, sizeof(*out));
  for (size_t i = 0; i < n_logs; i++)
    read_log(&v, out, db, raw, logs[i]);
  drv_close(raw);
  size_t n = hazard_acks_merge(v.hazards, v.n_hazards);
  for (size_t i = 0; i < n; i++)
    check_hazard(db, &v.hazards[i], exact);
  out->hazards = (long)n;
  if (v.last_sync >= 0)
    check_sync(db, v.last_sync);
  free(v.hazards);
  if (exact)
    check_counts(out, base, path);
}

/* ---- older files ---- */

/* The library registers SQL functions its migrations call; the files made
 * here have no rows for them to see. */
static void no_rows_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  (void)argc;
  (void)argv;
  sqlite3_result_null(ctx);
}

void cbc_wl_old_file(const char *path, int version, bool wal)
{
  sqlite3 *raw;
  char sql[128];
  cbc_test_unlink(path);
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_create_function(raw, "cbc_followup_hash", 1, SQLITE_UTF8, NULL,
                                           no_rows_fn, NULL, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_create_function(raw, "cbc_event_pack", 14, SQLITE_UTF8, NULL,
                                           no_rows_fn, NULL, NULL), SQLITE_OK);
  if (wal)
    assert_int_equal(sqlite3_exec(raw, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
  for (int v = 0; v < version; v++)
    assert_int_equal(sqlite3_exec(raw, cbc_store__migration_sql(v), NULL, NULL, NULL),
                     SQLITE_OK);
  snprintf(sql, sizeof(sql), "PRAGMA user_version=%d; PRAGMA application_id=%d", version,
           version ? CBC_STORE_APPLICATION_ID : 0);
  assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
}

const char *cbc_wl_self(const char *argv0)
{
  static char self[2 * PATH_MAX + 2];
  char cwd[PATH_MAX];
  if (argv0[0] == '/')
    snprintf(self, sizeof(self), "%s", argv0);
  else if (strchr(argv0, '/') && getcwd(cwd, sizeof(cwd)))
    snprintf(self, sizeof(self), "%s/%.*s", cwd, PATH_MAX, argv0);
  else
    snprintf(self, sizeof(self), "/proc/self/exe");
  return self;
}

bool cbc_wl_under_valgrind(void)
{
  const char *preload = getenv("LD_PRELOAD");
  return preload && strstr(preload, "vgpreload");
}
