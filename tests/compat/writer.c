/* The other side of the 1.0 consumer (consumer_1_0.c): built against the
 * current headers, it writes a database with a rich history for the
 * consumer to read, and checks the database after the consumer wrote to it.
 *
 *   compat_writer create DB EXPECT NEWER
 *       DB: the test workload's organisation and some 100 days of random
 *       history (every hazard state, activities, org syncs with transfers
 *       and leavers, groups, reward evaluations), then calls that only
 *       later versions have (request keys).  EXPECT: every record as the
 *       current API reads it, for the consumer to compare.  NEWER: a
 *       database of a later schema than this library's.
 *   compat_writer check DB
 *       After the consumer: the file is sound, every history replays, the
 *       aggregates equal the records and a rebuild, and the consumer's own
 *       records read back through the current API.
 */
#include "invariants.h"
#include "workload.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STEPS 600
#define STEP_GAP (4 * 3600) /* 600 steps: about 100 days */

static const char *g_mode, *g_db, *g_expect, *g_newer;

/* ---- writing the history ---- */

static void run_workload(cbc_db *db, int64_t *now)
{
  int devnull = open("/dev/null", O_WRONLY);
  assert_true(devnull >= 0);
  cbc_wl_seed(db);
  cbc_wl w;
  cbc_wl_init(&w, db, now, 11, CBC_WL_SYNC | CBC_WL_GROUPS | CBC_WL_REWARDS, devnull, false,
              true);
  for (int i = 0; i < STEPS; i++) {
    assert_cbc_ok(cbc_wl_step(&w));
    *now += STEP_GAP;
  }
  cbc_wl_free(&w);
  close(devnull);
}

/* Calls 1.0 did not have: a retried report and assignment (request keys,
 * version-2 records), a proposal decided, the overdue sweep. */
static void add_later_calls(cbc_db *db, int64_t *now)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = cbc_test_employee_id(db, "A1");
  r.unit_id = cbc_test_unit_id(db, "T1");
  r.title = "keyed report";
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_OCCUPATIONAL_HEALTH;
  r.check_item = CBC_CHECK_RULES;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  r.request_key = "compat-report-1";
  int64_t first = 0, again = 0;
  assert_cbc_ok(cbc_hazard_report(&first, NULL, db, &r));
  assert_cbc_ok(cbc_hazard_report(&again, NULL, db, &r));
  assert_int_equal(first, again);
  int64_t cadre = cbc_test_employee_id(db, "K1"), unit = cbc_test_unit_id(db, "R1");
  assert_cbc_ok(cbc_cadre_assign_keyed(&first, db, cadre, unit, *now - 3600, 0, "compat-assign"));
  assert_cbc_ok(cbc_cadre_assign_keyed(&again, db, cadre, unit, *now - 3600, 0, "compat-assign"));
  assert_int_equal(first, again);
  cbc_proposal_record p = CBC_PROPOSAL_RECORD_INIT;
  p.proposer_id = cbc_test_employee_id(db, "B1");
  p.title = "compat proposal";
  p.text = "a guard rail\nwith two lines";
  p.request_key = "compat-proposal";
  assert_cbc_ok(cbc_proposal_submit(&first, db, &p));
  assert_cbc_ok(cbc_proposal_decide(db, first, cbc_test_employee_id(db, "P1"), 1, NULL));
  int64_t *overdue = NULL;
  size_t n = 0;
  assert_cbc_ok(cbc_hazard_sweep_overdue(&overdue, &n, db, 0, CBC_SWEEP_ESCALATE));
  cbc_free(overdue);
}

/* ---- the expect file: each section "NAME N" and N lines ---- */

typedef struct section {
  char *text;
  size_t size, count;
  FILE *f;
} section;

static void section_open(section *s)
{
  memset(s, 0, sizeof(*s));
  s->f = open_memstream(&s->text, &s->size);
  assert_non_null(s->f);
}

static void section_close(section *s, FILE *out, const char *name)
{
  fclose(s->f);
  fprintf(out, "%s %zu\n%s", name, s->count, s->text);
  free(s->text);
}

static void list_units(cbc_db *db, FILE *out, int64_t *units, size_t *n_units)
{
  section s;
  section_open(&s);
  cbc_unit_iter *roots, *sub;
  const cbc_unit *r, *u;
  assert_cbc_ok(cbc_unit_iter_children(&roots, db, 0));
  while (cbc_unit_iter_next(&r, roots) == 0) {
    assert_cbc_ok(cbc_unit_iter_subtree(&sub, db, r->id));
    while (cbc_unit_iter_next(&u, sub) == 0) {
      fprintf(s.f, "U %" PRId64 " %" PRId64 " %d %d %s\n", u->id, u->parent_id, (int)u->kind,
              u->closed, u->external_id);
      units[s.count++] = u->id;
      assert_true(s.count < 1000);
    }
    cbc_unit_iter_free(sub);
  }
  cbc_unit_iter_free(roots);
  *n_units = s.count;
  section_close(&s, out, "units");
}

static void list_employees(cbc_db *db, FILE *out)
{
  section s;
  section_open(&s);
  cbc_unit_iter *roots;
  const cbc_unit *r;
  assert_cbc_ok(cbc_unit_iter_children(&roots, db, 0));
  while (cbc_unit_iter_next(&r, roots) == 0) {
    cbc_employee_iter *it;
    const cbc_employee *e;
    assert_cbc_ok(cbc_employee_iter_subtree(&it, db, r->id, CBC_EMPLOYEE_ITER_INACTIVE));
    while (cbc_employee_iter_next(&e, it) == 0) {
      fprintf(s.f, "E %" PRId64 " %" PRId64 " %d %u %s\n", e->id, e->unit_id, e->active,
              e->roles, e->external_id);
      s.count++;
    }
    cbc_employee_iter_free(it);
  }
  cbc_unit_iter_free(roots);
  section_close(&s, out, "employees");
}

static void list_hazards(cbc_db *db, FILE *out)
{
  section s;
  section_open(&s);
  cbc_hazard_iter *it;
  const cbc_hazard *row;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&row, it) == 0) {
    cbc_hazard *h = NULL;
    cbc_hazard_event *ev = NULL;
    size_t n = 0;
    assert_cbc_ok(cbc_hazard_lookup(&h, db, row->id));
    assert_cbc_ok(cbc_hazard_history(&ev, &n, db, row->id));
    fprintf(s.f, "H %" PRId64 " %d %d %d %" PRId64 " %" PRId64 " %d %d %" PRId64 " %zu %zu %" PRId64
                 " %" PRId64 "\n", h->id, (int)h->state, (int)h->severity, (int)h->level,
            h->reporter_id, h->unit_id, h->listed, h->reopen_count, h->responsible_id, n,
            h->n_attachments, h->deadline, h->closed_at);
    cbc_hazard_events_free(ev, n);
    cbc_hazard_free(h);
    s.count++;
  }
  cbc_hazard_iter_free(it);
  section_close(&s, out, "hazards");
}

/* Activities have no listing in 1.x: their ids run from 1 without gaps. */
static void list_activities(cbc_db *db, FILE *out)
{
  section s;
  section_open(&s);
  cbc_training *t;
  for (int64_t id = 1; cbc_training_lookup(&t, db, id) == 0; id++, s.count++) {
    fprintf(s.f, "T %" PRId64 " %d %" PRId64 " %zu %d\n", t->id, (int)t->kind, t->unit_id,
            t->n_attendees, t->minutes);
    cbc_training_free(t);
  }
  section_close(&s, out, "trainings");
  section_open(&s);
  cbc_drill *d;
  for (int64_t id = 1; cbc_drill_lookup(&d, db, id) == 0; id++, s.count++) {
    fprintf(s.f, "D %" PRId64 " %" PRId64 " %zu\n", d->id, d->unit_id, d->n_teams);
    cbc_drill_free(d);
  }
  section_close(&s, out, "drills");
  section_open(&s);
  cbc_proposal *p;
  for (int64_t id = 1; cbc_proposal_lookup(&p, db, id) == 0; id++, s.count++) {
    fprintf(s.f, "P %" PRId64 " %" PRId64 " %d %" PRId64 "\n", p->id, p->proposer_id,
            (int)p->status, p->decided_by);
    cbc_proposal_free(p);
  }
  section_close(&s, out, "proposals");
  assert_true(cbc_error_last()->code == CBC_ENOTFOUND);
}

static void list_awards(cbc_db *db, FILE *out)
{
  cbc_awards *all = NULL;
  assert_cbc_ok(cbc_award_list(&all, db, 0, 0, 0, 0, 0));
  fprintf(out, "awards %zu\n", all->count);
  for (size_t i = 0; i < all->count; i++) {
    const cbc_award *a = all->items[i];
    fprintf(out, "A %" PRId64 " %d %d %d %" PRId64 " %" PRId64 " %" PRId64 " %d\n", a->id,
            (int)a->rule, (int)a->state, (int)a->subject_kind, a->subject_id, a->amount_fen,
            a->hazard_id, a->review);
  }
  cbc_awards_free(all);
}

/* The form of every unit for each month the history covers. */
static void list_forms(cbc_db *db, FILE *out, const int64_t *units, size_t n_units)
{
  fprintf(out, "forms %zu\n", n_units * 5);
  for (size_t i = 0; i < n_units; i++)
    for (int month = 2; month <= 6; month++) {
      cbc_period p = { CBC_PERIOD_MONTH, 2024, month, 0, 0 };
      cbc_stats_form *f = NULL;
      assert_cbc_ok(cbc_stats_form_get(&f, db, units[i], &p, 0));
      fprintf(out, "F %" PRId64 " 2024 %d %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64
                   " %" PRId64 " %" PRId64 " %" PRId64 "\n", units[i], month, f->hazards_found,
              f->hazards_listed, f->hazards_rectified, f->employees_took_part,
              f->training_sessions, f->employees_trained, f->supervision_visits);
      cbc_stats_form_free(f);
    }
}

static void write_expect(cbc_db *db, const char *path)
{
  FILE *out = fopen(path, "w");
  assert_non_null(out);
  int64_t units[1000], version = 0;
  size_t n_units = 0;
  list_units(db, out, units, &n_units);
  list_employees(db, out);
  list_hazards(db, out);
  list_activities(db, out);
  list_awards(db, out);
  list_forms(db, out, units, n_units);
  char *json = NULL;
  assert_cbc_ok(cbc_policy_get(&json, &version, db, 0));
  cbc_free(json);
  fprintf(out, "policy %" PRId64 "\n", version);
  assert_int_equal(fclose(out), 0);
}

/* A database a later libcbc would have written: a schema version above
 * this library's. */
static void write_newer(const char *path)
{
  int64_t now = cbc_wl_epoch();
  unlink(path);
  cbc_db_close(cbc_test_db_file(path, &now));
  sqlite3 *raw = NULL;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 1000", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
}

static void remove_db(const char *path)
{
  char name[4096];
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  for (size_t i = 0; i < 3; i++) {
    snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
    unlink(name);
  }
}

static void test_create(void **state)
{
  (void)state;
  int64_t now = cbc_wl_epoch();
  remove_db(g_db);
  cbc_db *db = cbc_test_db_file(g_db, &now);
  run_workload(db, &now);
  add_later_calls(db, &now);
  write_expect(db, g_expect);
  cbc_db_close(db);
  write_newer(g_newer);
}

/* ---- after the consumer ---- */

static void test_check(void **state)
{
  (void)state;
  int64_t now = cbc_test_date(2026, 12, 1);
  cbc_test_assert_consistent(g_db, &now, 2024, 2026);
  cbc_db *db = cbc_test_db_file(g_db, &now);
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.unit_id = cbc_test_unit_id(db, "C10-ENT");
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t n = 0;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  while (cbc_hazard_iter_next(&h, it) == 0) {
    assert_true(h->title[0] && h->enterprise_id == f.unit_id);
    n += cbc_test_assert_replay(db, h->id) > 0;
  }
  cbc_hazard_iter_free(it);
  assert_int_equal(n, 10); /* the consumer's hazards, read through today's struct */
  cbc_db_close(db);
}

int main(int argc, char **argv)
{
  g_mode = argc > 1 ? argv[1] : "";
  const struct CMUnitTest create[] = { cmocka_unit_test(test_create) };
  const struct CMUnitTest check[] = { cmocka_unit_test(test_check) };
  if (!strcmp(g_mode, "create") && argc == 5) {
    g_db = argv[2], g_expect = argv[3], g_newer = argv[4];
    return cmocka_run_group_tests(create, NULL, NULL);
  }
  if (!strcmp(g_mode, "check") && argc == 3) {
    g_db = argv[2];
    return cmocka_run_group_tests(check, NULL, NULL);
  }
  fprintf(stderr, "usage: compat_writer create DB EXPECT NEWER | check DB\n");
  return 2;
}
