/* The 1.0 consumer reads a database the current library wrote: every
 * record the writer listed in its expect file (tests/compat/writer.c) is
 * read through the 1.0 structs and compared field by field, and what holds
 * in any database (histories end in their hazard's state, aggregates equal
 * the records) is checked.  Read-only, every write is refused. */
#include "consumer_1_0.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct expect {
  FILE *f;
  size_t compared;
} expect;

/* The count line "NAME N" that starts each section. */
static size_t section(expect *x, const char *name)
{
  char word[32];
  size_t n = 0;
  CHECK(fscanf(x->f, " %31s %zu", word, &n) == 2 && strcmp(word, name) == 0);
  return n;
}

static void tag(expect *x, char want)
{
  char got = 0;
  CHECK(fscanf(x->f, " %c", &got) == 1 && got == want);
  x->compared++;
}

static void read_units(expect *x, c10 *s)
{
  size_t n = section(x, "units");
  for (size_t i = 0; i < n; i++) {
    int64_t id, parent;
    int kind, closed;
    char ext[80];
    tag(x, 'U');
    CHECK(fscanf(x->f, "%" SCNd64 " %" SCNd64 " %d %d %79s", &id, &parent, &kind, &closed, ext)
          == 5);
    cbc_unit *u = NULL;
    OK(cbc_unit_lookup(&u, s->db, id));
    CHECK(u->parent_id == parent && (int)u->kind == kind && u->closed == closed);
    CHECK(strcmp(u->external_id, ext) == 0 && (u->closed_at != 0) == closed);
    cbc_unit_free(u);
    CHECK(c10_unit(s, ext) == id);
  }
  /* Every unit, walked from the roots, is one the writer listed. */
  cbc_unit_iter *roots, *sub;
  const cbc_unit *r, *u;
  size_t seen = 0;
  OK(cbc_unit_iter_children(&roots, s->db, 0));
  while (cbc_unit_iter_next(&r, roots) == 0) {
    CHECK(r->parent_id == 0);
    OK(cbc_unit_iter_subtree(&sub, s->db, r->id));
    while (cbc_unit_iter_next(&u, sub) == 0)
      seen++;
    cbc_unit_iter_free(sub);
  }
  cbc_unit_iter_free(roots);
  CHECK(seen == n);
}

static void read_employees(expect *x, c10 *s)
{
  size_t n = section(x, "employees");
  for (size_t i = 0; i < n; i++) {
    int64_t id, unit;
    int active;
    unsigned int roles;
    char ext[80];
    tag(x, 'E');
    CHECK(fscanf(x->f, "%" SCNd64 " %" SCNd64 " %d %u %79s", &id, &unit, &active, &roles, ext)
          == 5);
    cbc_employee *e = NULL;
    OK(cbc_employee_lookup(&e, s->db, id));
    CHECK(e->unit_id == unit && e->active == active && e->roles == roles);
    CHECK(strcmp(e->external_id, ext) == 0 && (e->left_at != 0) == !active);
    cbc_employee_free(e);
    cbc_employee_event *h = NULL;
    size_t events = 0;
    OK(cbc_employee_history(&h, &events, s->db, id));
    CHECK(events >= 1 && h[0].kind == CBC_EMPLOYEE_JOINED);
    CHECK(h[events - 1].kind != CBC_EMPLOYEE_LEFT || !active);
    cbc_free(h);
  }
}

static void compare_hazard(c10 *s, int64_t id, FILE *f)
{
  int state, severity, level, listed, reopens;
  int64_t reporter, unit, responsible, deadline, closed_at;
  size_t events, attachments;
  CHECK(fscanf(f, "%d %d %d %" SCNd64 " %" SCNd64 " %d %d %" SCNd64 " %zu %zu %" SCNd64
                  " %" SCNd64, &state, &severity, &level, &reporter, &unit, &listed, &reopens,
               &responsible, &events, &attachments, &deadline, &closed_at) == 12);
  cbc_hazard *h = NULL;
  OK(cbc_hazard_lookup(&h, s->db, id));
  CHECK((int)h->state == state && (int)h->severity == severity && (int)h->level == level);
  CHECK(h->reporter_id == reporter && h->unit_id == unit && h->listed == listed);
  CHECK(h->reopen_count == reopens && h->responsible_id == responsible);
  CHECK(h->n_attachments == attachments && h->deadline == deadline && h->closed_at == closed_at);
  cbc_hazard_event *ev = NULL;
  size_t n = 0;
  OK(cbc_hazard_history(&ev, &n, s->db, id));
  CHECK(n == events && ev[0].action == CBC_ACTION_REPORT && ev[n - 1].to_state == h->state);
  cbc_hazard_events_free(ev, n);
  cbc_hazard_free(h);
}

static void read_hazards(expect *x, c10 *s)
{
  size_t n = section(x, "hazards");
  for (size_t i = 0; i < n; i++) {
    int64_t id;
    tag(x, 'H');
    CHECK(fscanf(x->f, "%" SCNd64, &id) == 1);
    compare_hazard(s, id, x->f);
  }
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t seen = 0;
  OK(cbc_hazard_iter_new(&it, s->db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0)
    seen++;
  cbc_hazard_iter_free(it);
  CHECK(seen == n);
}

static void read_activities(expect *x, c10 *s)
{
  size_t n = section(x, "trainings");
  for (size_t i = 0; i < n; i++) {
    int64_t id, unit;
    int kind, minutes;
    size_t attendees;
    tag(x, 'T');
    CHECK(fscanf(x->f, "%" SCNd64 " %d %" SCNd64 " %zu %d", &id, &kind, &unit, &attendees,
                 &minutes) == 5);
    cbc_training *t = NULL;
    OK(cbc_training_lookup(&t, s->db, id));
    CHECK((int)t->kind == kind && t->unit_id == unit && t->n_attendees == attendees &&
          t->minutes == minutes);
    cbc_training_free(t);
  }
  n = section(x, "drills");
  for (size_t i = 0; i < n; i++) {
    int64_t id, unit;
    size_t teams;
    tag(x, 'D');
    CHECK(fscanf(x->f, "%" SCNd64 " %" SCNd64 " %zu", &id, &unit, &teams) == 3);
    cbc_drill *d = NULL;
    OK(cbc_drill_lookup(&d, s->db, id));
    CHECK(d->unit_id == unit && d->n_teams == teams);
    cbc_drill_free(d);
  }
  n = section(x, "proposals");
  for (size_t i = 0; i < n; i++) {
    int64_t id, proposer, decided_by;
    int status;
    tag(x, 'P');
    CHECK(fscanf(x->f, "%" SCNd64 " %" SCNd64 " %d %" SCNd64, &id, &proposer, &status,
                 &decided_by) == 4);
    cbc_proposal *p = NULL;
    OK(cbc_proposal_lookup(&p, s->db, id));
    CHECK(p->proposer_id == proposer && (int)p->status == status && p->decided_by == decided_by);
    cbc_proposal_free(p);
  }
}

static void read_awards(expect *x, c10 *s)
{
  size_t n = section(x, "awards");
  for (size_t i = 0; i < n; i++) {
    int64_t id, subject, amount, hazard;
    int rule, state, kind, review;
    tag(x, 'A');
    CHECK(fscanf(x->f, "%" SCNd64 " %d %d %d %" SCNd64 " %" SCNd64 " %" SCNd64 " %d", &id, &rule,
                 &state, &kind, &subject, &amount, &hazard, &review) == 8);
    cbc_award *a = NULL;
    OK(cbc_award_lookup(&a, s->db, id));
    CHECK((int)a->rule == rule && (int)a->state == state && (int)a->subject_kind == kind);
    CHECK(a->subject_id == subject && a->amount_fen == amount && a->hazard_id == hazard);
    CHECK(a->review == review && a->reasons[0]);
    cbc_award_free(a);
  }
  cbc_awards *all = NULL;
  OK(cbc_award_list(&all, s->db, 0, 0, 0, 0, 0));
  CHECK(all->count == n);
  cbc_awards_free(all);
}

/* The monthly forms the writer read, and the same from the records. */
static void read_forms(expect *x, c10 *s)
{
  size_t n = section(x, "forms");
  for (size_t i = 0; i < n; i++) {
    int64_t unit, v[7];
    int year, month;
    tag(x, 'F');
    CHECK(fscanf(x->f, "%" SCNd64 " %d %d %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64
                       " %" SCNd64 " %" SCNd64 " %" SCNd64, &unit, &year, &month, &v[0], &v[1],
                 &v[2], &v[3], &v[4], &v[5], &v[6]) == 10);
    cbc_period p = { CBC_PERIOD_MONTH, year, month, 0, 0 };
    cbc_stats_form *f = NULL, *r = NULL;
    OK(cbc_stats_form_get(&f, s->db, unit, &p, 0));
    OK(cbc_stats_form_get(&r, s->db, unit, &p, CBC_STATS_FROM_RECORDS));
    CHECK(f->hazards_found == v[0] && f->hazards_listed == v[1] && f->hazards_rectified == v[2]);
    CHECK(f->employees_took_part == v[3] && f->training_sessions == v[4]);
    CHECK(f->employees_trained == v[5] && f->supervision_visits == v[6]);
    CHECK(r->hazards_found == v[0] && r->hazards_rectified == v[2] &&
          r->employees_took_part == v[3] && r->employees_trained == v[5]);
    cbc_stats_form_free(f);
    cbc_stats_form_free(r);
  }
}

static void read_policy(expect *x, c10 *s)
{
  int64_t want = section(x, "policy"), got = 0;
  char *json = NULL;
  OK(cbc_policy_get(&json, &got, s->db, 0));
  CHECK(got == want && json[0] == '{');
  cbc_free(json);
}

/* Read-only: every kind of write is refused, and nothing changes. */
static void check_writes_refused(c10 *s)
{
  cbc_unit_record u = CBC_UNIT_RECORD_INIT;
  u.external_id = "C10-RO";
  u.kind = CBC_UNIT_REGION;
  u.name = "只读";
  ERR(cbc_unit_upsert(NULL, s->db, &u), CBC_EPERM);
  ERR(cbc_db_begin(s->db), CBC_EPERM);
  ERR(cbc_stats_rebuild(s->db), CBC_EPERM);
  ERR(cbc_policy_set(NULL, s->db, "{}", 1), CBC_EPERM);
  int64_t *ids = NULL;
  size_t n = 0;
  ERR(cbc_hazard_sweep_overdue(&ids, &n, s->db, 0, CBC_SWEEP_ESCALATE), CBC_EPERM);
  cbc_unit_iter *roots;
  const cbc_unit *root;
  OK(cbc_unit_iter_children(&roots, s->db, 0));
  OK(cbc_unit_iter_next(&root, roots));
  cbc_reward_decisions *d = NULL;
  cbc_period year = { CBC_PERIOD_YEAR, 2024, 0, 0, 0 };
  ERR(cbc_reward_evaluate(&d, s->db, root->id, &year, 0), CBC_EPERM);
  OK(cbc_reward_evaluate(&d, s->db, root->id, &year, CBC_EVALUATE_DRY_RUN));
  cbc_reward_decisions_free(d);
  cbc_unit_iter_free(roots);
  cbc_employee_record e = CBC_EMPLOYEE_RECORD_INIT;
  e.external_id = "C10-RO";
  e.name = "只读";
  e.unit_external_id = "C10-RO";
  ERR(cbc_employee_upsert(NULL, s->db, &e), CBC_EPERM);
}

size_t c10_read_back(c10 *s, const char *expect_path, int readonly)
{
  expect x = { fopen(expect_path, "r"), 0 };
  CHECK(x.f != NULL);
  read_units(&x, s);
  read_employees(&x, s);
  read_hazards(&x, s);
  read_activities(&x, s);
  read_awards(&x, s);
  read_forms(&x, s);
  read_policy(&x, s);
  char extra[8];
  CHECK(fscanf(x.f, " %7s", extra) == EOF); /* nothing left unread */
  fclose(x.f);
  if (readonly)
    check_writes_refused(s);
  return x.compared;
}
