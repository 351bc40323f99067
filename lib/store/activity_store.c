/* SQL for the campaign's activities: training sessions and attendance,
 * drills and their teams, cadre assignments, visits, proposals, and the
 * participation and compliance questions over them. */
#include "activity_rows.h"
#include "membership.h"
#include <string.h>

/* ------------------------------------------------------------- training */

int cbc_store__training_insert(cbc_store *st, const cbc_training_record *r, int64_t tenant,
                               int64_t now, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_TRAINING_INSERT,
                      "INSERT INTO trainings(kind, unit_id, held_at, minutes, title, recorded_at,"
                      " enterprise_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, (int)r->kind);
  drv_bind_int64(s, 2, r->unit_id);
  drv_bind_int64(s, 3, r->held_at);
  drv_bind_int64(s, 4, r->minutes);
  store_bind_text(s, 5, r->title);
  drv_bind_int64(s, 6, now);
  drv_bind_int64(s, 7, tenant);
  if ((rc = store_exec_insert(st, s, "recording a training session", out_id)) != 0)
    return rc;
  rc = store_stmt(st, STMT_ATTENDEE_INSERT,
                  "INSERT INTO training_attendees(training_id, employee_id, passed, kind,"
                  " held_at, enterprise_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  for (size_t i = 0; i < r->n_attendees && !rc; i++) {
    drv_bind_int64(s, 1, *out_id);
    drv_bind_int64(s, 2, r->attendees[i].employee_id);
    drv_bind_int64(s, 3, r->attendees[i].passed);
    drv_bind_int64(s, 4, (int)r->kind);
    drv_bind_int64(s, 5, r->held_at);
    drv_bind_int64(s, 6, tenant);
    rc = store_exec_stmt(st, s, "recording an attendee");
  }
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_TRAINING, *out_id);
}

static void fill_attendee(drv_stmt *s, void *e)
{
  cbc_attendee *a = e;
  a->employee_id = drv_column_int64(s, 0);
  a->passed = drv_column_int(s, 1);
}

int cbc_store__training_get(cbc_store *st, int64_t id, cbc_training *t)
{
  drv_stmt *s;
  memset(t, 0, sizeof(*t));
  int rc = store_stmt(st, STMT_TRAINING_GET,
                      "SELECT " TRAINING_COLUMNS " FROM trainings x WHERE x.id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  if ((rc = store_step_row(st, s, "training session")) != 0)
    return rc == CBC_ENOTFOUND ? cbc__error(rc, "training session %lld not found", (long long)id)
                               : rc;
  rc = store_training_row(s, t);
  t->title = rc ? NULL : cbc__strdup(t->title);
  t->void_reason = rc ? NULL : cbc__strdup(t->void_reason);
  drv_reset(s);
  if (rc)
    return rc;
  if (!t->title || !t->void_reason)
    return cbc__error_oom();
  /* a voided session's attendance was moved aside (schema step 9) */
  rc = store_stmt(st, STMT_ATTENDEES_OF,
                  "SELECT employee_id, passed FROM training_attendees WHERE training_id = ?1"
                  " UNION ALL SELECT employee_id, passed FROM voided_training_attendees"
                  " WHERE training_id = ?1 ORDER BY employee_id", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  void *list;
  rc = store_collect(st, s, sizeof(cbc_attendee), fill_attendee, &list, &t->n_attendees);
  t->attendees = list;
  return rc;
}

/* --------------------------------------------------------------- drills */

int cbc_store__drill_insert(cbc_store *st, const cbc_drill_record *r, int64_t enterprise_id,
                            int64_t now, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_DRILL_INSERT,
                      "INSERT INTO drills(unit_id, enterprise_id, held_at, scenario, recorded_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, r->unit_id);
  drv_bind_int64(s, 2, enterprise_id);
  drv_bind_int64(s, 3, r->held_at);
  store_bind_text(s, 4, r->scenario);
  drv_bind_int64(s, 5, now);
  st->latest_drill_seen = 0; /* lib/store/membership_store.c */
  if ((rc = store_exec_insert(st, s, "recording a drill", out_id)) != 0)
    return rc;
  rc = store_stmt(st, STMT_DRILL_TEAM_INSERT,
                  "INSERT INTO drill_teams(drill_id, team_id, held_at, enterprise_id)"
                  " VALUES (?1, ?2, ?3, ?4)", &s);
  for (size_t i = 0; i < r->n_teams && !rc; i++) {
    drv_bind_int64(s, 1, *out_id);
    drv_bind_int64(s, 2, r->team_ids[i]);
    drv_bind_int64(s, 3, r->held_at);
    drv_bind_int64(s, 4, enterprise_id);
    rc = store_exec_stmt(st, s, "recording a drill team");
  }
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_DRILL, *out_id);
}

int cbc_store__drill_get(cbc_store *st, int64_t id, cbc_drill *d)
{
  drv_stmt *s;
  memset(d, 0, sizeof(*d));
  int rc = store_stmt(st, STMT_DRILL_GET,
                      "SELECT " DRILL_COLUMNS " FROM drills x WHERE x.id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  if ((rc = store_step_row(st, s, "drill")) != 0)
    return rc == CBC_ENOTFOUND ? cbc__error(rc, "drill %lld not found", (long long)id) : rc;
  rc = store_drill_row(s, d);
  d->scenario = rc ? NULL : cbc__strdup(d->scenario);
  d->void_reason = rc ? NULL : cbc__strdup(d->void_reason);
  drv_reset(s);
  if (rc)
    return rc;
  if (!d->scenario || !d->void_reason)
    return cbc__error_oom();
  /* a voided drill's teams were moved aside (schema step 9) */
  rc = store_stmt(st, STMT_DRILL_TEAMS_OF,
                  "SELECT team_id FROM drill_teams WHERE drill_id = ?1 UNION ALL"
                  " SELECT team_id FROM voided_drill_teams WHERE drill_id = ?1 ORDER BY team_id",
                  &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  void *list;
  rc = store_collect(st, s, sizeof(int64_t), store_fill_int64, &list, &d->n_teams);
  d->team_ids = list;
  return rc;
}

/* ----------------------------------------------------------- supervision */

int cbc_store__assignment_overlaps(cbc_store *st, int64_t cadre_id, int64_t unit_id,
                                   int64_t from, int64_t to, bool *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ASSIGNMENT_OVERLAP,
                      "SELECT 1 FROM cadre_assignments WHERE cadre_id = ?1 AND unit_id = ?2"
                      " AND (to_at = 0 OR to_at > ?3) AND (?4 = 0 OR from_at < ?4)"
                      " AND voided_at = 0 LIMIT 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, cadre_id);
  drv_bind_int64(s, 2, unit_id);
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  rc = store_step_maybe(st, s, "cadre assignments", out);
  drv_reset(s);
  return rc;
}

int cbc_store__assignment_insert(cbc_store *st, int64_t cadre_id, int64_t unit_id,
                                 int64_t from, int64_t to, int64_t now, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ASSIGNMENT_INSERT,
                      "INSERT INTO cadre_assignments(cadre_id, unit_id, from_at, to_at,"
                      " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, cadre_id);
  drv_bind_int64(s, 2, unit_id);
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  drv_bind_int64(s, 5, now);
  rc = store_exec_insert(st, s, "recording a cadre assignment", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_ASSIGNMENT, *out_id);
}

int cbc_store__assignment_end(cbc_store *st, int64_t id, int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_ASSIGNMENT_END,
                      "UPDATE cadre_assignments SET to_at = ?2 WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  drv_bind_int64(s, 2, at);
  rc = store_exec_stmt(st, s, "ending a cadre assignment");
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_ASSIGNMENT, id);
}

int cbc_store__visit_insert(cbc_store *st, const cbc_visit_record *r, int64_t tenant,
                            int64_t now, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_VISIT_INSERT,
                      "INSERT INTO visits(cadre_id, unit_id, visited_at, findings, recorded_at,"
                      " enterprise_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, r->cadre_id);
  drv_bind_int64(s, 2, r->unit_id);
  drv_bind_int64(s, 3, r->visited_at);
  store_bind_text(s, 4, r->findings);
  drv_bind_int64(s, 5, now);
  drv_bind_int64(s, 6, tenant);
  rc = store_exec_insert(st, s, "recording a visit", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_VISIT, *out_id);
}

/* ------------------------------------------------------------ proposals */

int cbc_store__proposal_insert(cbc_store *st, const cbc_proposal_record *r, int64_t unit_id,
                               int64_t tenant, int64_t now, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_PROPOSAL_INSERT,
                      "INSERT INTO proposals(proposer_id, unit_id, title, text, submitted_at,"
                      " status, enterprise_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, r->proposer_id);
  drv_bind_int64(s, 2, unit_id);
  store_bind_text(s, 3, r->title);
  store_bind_text(s, 4, r->text);
  drv_bind_int64(s, 5, now);
  drv_bind_int64(s, 6, CBC_PROPOSAL_SUBMITTED);
  drv_bind_int64(s, 7, tenant);
  rc = store_exec_insert(st, s, "recording a proposal", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_PROPOSAL, *out_id);
}

int cbc_store__proposal_get(cbc_store *st, int64_t id, cbc_proposal *p)
{
  drv_stmt *s;
  memset(p, 0, sizeof(*p));
  int rc = store_stmt(st, STMT_PROPOSAL_GET,
                      "SELECT " PROPOSAL_COLUMNS " FROM proposals x WHERE x.id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  if ((rc = store_step_row(st, s, "proposal")) != 0)
    return rc == CBC_ENOTFOUND ? cbc__error(rc, "proposal %lld not found", (long long)id) : rc;
  return store_proposal_row(s, p);
}

int cbc_store__proposal_decide(cbc_store *st, int64_t id, cbc_proposal_status status,
                               int64_t by, int64_t at, const char *note)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_PROPOSAL_DECIDE,
                      "UPDATE proposals SET status = ?2, decided_by = ?3, decided_at = ?4,"
                      " note = ?5 WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  drv_bind_int64(s, 2, (int)status);
  drv_bind_int64(s, 3, by);
  drv_bind_int64(s, 4, at);
  store_bind_text(s, 5, note);
  rc = store_exec_stmt(st, s, "deciding a proposal");
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_PROPOSAL, id);
}

/* ------------------------------------------- participation and compliance */

/* What employee ?1 took part in during [?2, ?3): the time t, the training
 * kind k (0 for what is not a training), and the unit u they were in then
 * (a drill: the drilled team, for a member of it at its time). */
#define PARTICIPATIONS_OF                                                                 \
  "SELECT hz.reported_at AS t, 0 AS k, " UNIT_AT("?1", "hz.reported_at") " AS u"           \
  " FROM hazards hz WHERE hz.reporter_id = ?1 AND hz.reported_at >= ?2"                    \
  " AND hz.reported_at < ?3"                                                               \
  " UNION ALL SELECT a.held_at, a.kind, " UNIT_AT("?1", "a.held_at")                       \
  " FROM training_attendees a WHERE a.employee_id = ?1 AND a.held_at >= ?2"                \
  " AND a.held_at < ?3"                                                                    \
  " UNION ALL SELECT pr.submitted_at, 0, " UNIT_AT("?1", "pr.submitted_at")                \
  " FROM proposals pr WHERE pr.proposer_id = ?1 AND pr.submitted_at >= ?2"                 \
  " AND pr.submitted_at < ?3 AND pr.voided_at = 0"                                         \
  " UNION ALL SELECT vi.visited_at, 0, " UNIT_AT("?1", "vi.visited_at")                    \
  " FROM visits vi WHERE vi.cadre_id = ?1 AND vi.visited_at >= ?2 AND vi.visited_at < ?3"  \
  " AND vi.voided_at = 0"                                                                  \
  " UNION ALL SELECT d.held_at, 0, d.team_id FROM drill_teams d WHERE d.team_id IN ("      \
  "  SELECT te.unit_id FROM employees te WHERE te.id = ?1"                                 \
  "  UNION SELECT tv.to_unit FROM employee_events tv WHERE tv.employee_id = ?1"            \
  "  UNION SELECT tv.from_unit FROM employee_events tv WHERE tv.employee_id = ?1)"         \
  " AND d.held_at >= ?2 AND d.held_at < ?3"                                                \
  " AND " MEMBER_UNIT_AT("?1", "d.held_at") " = d.team_id"

int cbc_store__took_part(cbc_store *st, int64_t employee_id, int64_t from, int64_t to,
                         bool *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_TOOK_PART, "SELECT EXISTS(" PARTICIPATIONS_OF ")", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, employee_id);
  drv_bind_int64(s, 2, from);
  drv_bind_int64(s, 3, to);
  rc = store_step_row(st, s, "participation");
  if (!rc)
    *out = drv_column_int(s, 0) != 0;
  drv_reset(s);
  return rc;
}

int cbc_store__participations_of(cbc_store_cursor **out, cbc_store *st, int64_t employee_id,
                                 int64_t from, int64_t to)
{
  const int64_t args[3] = { employee_id, from, to };
  return store_cursor_ints(out, st, PARTICIPATIONS_OF " ORDER BY 1", 3, args);
}

int cbc_store__untrained(cbc_store *st, const char *lo, const char *hi, int64_t from,
                         int64_t to, int64_t **out, size_t *count)
{
  void *list;
  int rc = store_collect_range(st, STMT_UNTRAINED,
                             "SELECT e.id FROM units u JOIN employees e ON e.unit_id = u.id"
                             " WHERE u.path >= ?1 AND u.path < ?2 AND e.active = 1"
                             " AND NOT EXISTS(SELECT 1 FROM training_attendees a"
                             "   WHERE a.employee_id = e.id AND a.passed = 1"
                             "   AND a.held_at >= ?3 AND a.held_at < ?4) ORDER BY e.id",
                             lo, hi, from, to, sizeof(int64_t), store_fill_int64, &list,
                             count);
  *out = list;
  return rc;
}

static void fill_training_facts(drv_stmt *s, void *e)
{
  cbc_store_training_facts *f = e;
  f->employee_id = drv_column_int64(s, 0);
  f->hire_date = drv_column_int64(s, 1);
  f->induction_passed = (unsigned int)drv_column_int(s, 2);
  f->transfer_at = drv_column_int64(s, 3);
  f->return_at = drv_column_int64(s, 4);
  f->left_before_return_at = drv_column_int64(s, 5);
  f->retrained_at = drv_column_int64(s, 6);
}

/* Per active employee of the subtree: what the training rules look at, as
 * of ?3.  Induction bits are (1 << kind) of the levels passed since hire. */
int cbc_store__training_facts(cbc_store *st, const char *lo, const char *hi, int64_t at,
                              cbc_store_training_facts **out, size_t *count)
{
  void *list;
  int rc = store_collect_range(st, STMT_TRAINING_FACTS,
                      "SELECT id, hire_date, induction, transfer_at, return_at,"
                      " coalesce((SELECT max(v.at) FROM employee_events v WHERE v.employee_id = x.id"
                      "   AND v.kind = 3 AND v.at <= x.return_at), 0), retrained_at FROM ("
                      " SELECT e.id AS id, e.hire_date AS hire_date,"
                      "  coalesce((SELECT sum(DISTINCT CAST(1 AS BIGINT) << CAST(a.kind AS INTEGER)) FROM training_attendees a"
                      "   WHERE a.employee_id = e.id AND a.passed = 1 AND a.kind BETWEEN 2 AND 4"
                      "   AND a.held_at >= e.hire_date AND a.held_at <= ?3), 0) AS induction,"
                      "  coalesce((SELECT max(v.at) FROM employee_events v WHERE v.employee_id = e.id"
                      "   AND v.kind = 2 AND v.at <= ?3), 0) AS transfer_at,"
                      "  coalesce((SELECT max(v.at) FROM employee_events v WHERE v.employee_id = e.id"
                      "   AND v.kind = 4 AND v.at <= ?3), 0) AS return_at,"
                      "  coalesce((SELECT max(a.held_at) FROM training_attendees a"
                      "   WHERE a.employee_id = e.id AND a.passed = 1 AND a.kind = 5"
                      "   AND a.held_at <= ?3), 0) AS retrained_at"
                      " FROM units u JOIN employees e ON e.unit_id = u.id"
                      " WHERE u.path >= ?1 AND u.path < ?2 AND e.active = 1) x ORDER BY id",
                      lo, hi, at, 0, sizeof(cbc_store_training_facts), fill_training_facts,
                      &list, count);
  *out = list;
  return rc;
}

static void fill_gap(drv_stmt *s, void *e)
{
  cbc_drill_gap *g = e;
  g->enterprise_id = drv_column_int64(s, 0);
  g->team_id = drv_column_int64(s, 1);
  g->drills = drv_column_int(s, 2);
}

/* Enterprises in [lo, hi) or @p above (0: none) with fewer than 2 drills in
 * [from, to), and open teams in [lo, hi) taking part in fewer than 2; each
 * enterprise's row before its teams. */
int cbc_store__drill_gaps(cbc_store *st, const char *lo, const char *hi, int64_t above,
                          int64_t from, int64_t to, cbc_drill_gap **out, size_t *count)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_DRILL_GAPS,
                      "SELECT * FROM ("
                      " SELECT u.id, 0, (SELECT count(*) FROM drills d WHERE d.enterprise_id = u.id"
                      "   AND d.held_at >= ?3 AND d.held_at < ?4 AND d.voided_at = 0) AS n"
                      " FROM units u"
                      " WHERE u.kind = 2 AND u.closed_at = 0"
                      "   AND ((u.path >= ?1 AND u.path < ?2) OR u.id = ?5)"
                      " UNION ALL"
                      /* a team sits under its enterprise or under a workshop of it */
                      " SELECT CASE p.kind WHEN 2 THEN p.id ELSE p.parent_id END, t.id,"
                      "  (SELECT count(*) FROM drill_teams d WHERE d.team_id = t.id"
                      "   AND d.held_at >= ?3 AND d.held_at < ?4) AS n"
                      " FROM units t JOIN units p ON p.id = t.parent_id"
                      " WHERE t.kind = 4 AND t.closed_at = 0 AND t.path >= ?1 AND t.path < ?2"
                      ") g WHERE n < 2 ORDER BY 1, 2", &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  drv_bind_int64(s, 5, above);
  void *list;
  rc = store_collect(st, s, sizeof(cbc_drill_gap), fill_gap, &list, count);
  *out = list;
  return rc;
}
