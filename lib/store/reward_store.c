/* SQL for rewards: policy versions, the award ledger, fines, and the
 * figures the evaluation decides on. */
#include "store_internal.h"
#include <stdlib.h>
#include <string.h>

#define SUBTREE "(SELECT id FROM units WHERE path >= ?1 AND path < ?2)"
/* A hazard h closed (and still closed), or reported, in the period [?3, ?4). */
#define CLOSED_IN "h.state = 5 AND h.closed_at >= ?3 AND h.closed_at < ?4"
#define REPORTED_IN "h.reported_at >= ?3 AND h.reported_at < ?4"
/* The hazards h of the units in the path range [?1, ?2), by one of their
 * indexes keyed by unit (schema 16); a condition follows. */
#define BY_UNIT(index)                                                                     \
  " FROM units u CROSS JOIN hazards h INDEXED BY " index " ON h.unit_id = u.id"             \
  " WHERE u.path >= ?1 AND u.path < ?2 AND "

/* The evaluation's set-based statements share the STMT_METRIC_* slots.
 * ?1, ?2: the path range; ?3, ?4: the period [from, to). */
enum { FIG_UNITS, FIG_MEMBERS, FIG_CLOSED_BY_UNIT, FIG_CLOSED_BY_TIME, FIG_REPORTED_BY_TIME,
       FIG_OVERDUE_BY_TIME, FIG_UNIT_COUNT, CLOSED_IN_BY_TIME, HAZARD_COUNT,
       FIG_REPORTED_BY_UNIT, FIG_OVERDUE_BY_UNIT, FIG_DONE_BY_UNIT, FIG_REJECTED_BY_UNIT,
       UNITS_IN_RANGE };
typedef char cbc__figures_fit[UNITS_IN_RANGE <= STMT_METRIC_LAST - STMT_METRIC_0 ? 1 : -1];

/* ---------------------------------------------------------------- policy */

int cbc_store__policy_get(cbc_store *st, int64_t version, char **out, int64_t *out_version,
                          bool *found)
{
  drv_stmt *s;
  *out = NULL;
  int rc = store_stmt(st, STMT_POLICY_GET,
                      "SELECT version, document FROM policies WHERE version = ?1 OR"
                      " (?1 = 0 AND version = (SELECT max(version) FROM policies))", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, version);
  rc = store_step_maybe(st, s, "policy", found);
  if (!rc && *found) {
    *out_version = drv_column_int64(s, 0);
    *out = cbc__strdup(store_col_text(s, 1));
    rc = *out ? 0 : cbc__error_oom();
  }
  drv_reset(s);
  return rc;
}

int cbc_store__policy_newest(cbc_store *st, int64_t *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_POLICY_NEWEST, "SELECT coalesce(max(version), 0) FROM policies",
                      &s);
  if (!rc)
    rc = store_step_row(st, s, "policy versions");
  *out = rc ? 0 : drv_column_int64(s, 0);
  if (!rc)
    drv_reset(s);
  return rc;
}

int cbc_store__policy_put(cbc_store *st, int64_t version, const char *document, int64_t by,
                          int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_POLICY_PUT,
                      "INSERT INTO policies(version, document, set_by, set_at)"
                      " VALUES (?1, ?2, ?3, ?4)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, version);
  store_bind_text(s, 2, document);
  drv_bind_int64(s, 3, by);
  drv_bind_int64(s, 4, at);
  rc = store_exec_stmt(st, s, "storing the policy");
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_POLICY, version);
}

/* ------------------------------------------------------------- discovery */

static void fill_candidate(drv_stmt *s, void *element)
{
  cbc_store_candidate *c = element;
  c->hazard_id = drv_column_int64(s, 0);
  c->reporter_id = drv_column_int64(s, 1);
  c->source = drv_column_int(s, 2);
  c->unit_id = drv_column_int64(s, 3);
}

int cbc_store__discovery_candidates(cbc_store *st, int64_t hazard_id, cbc_store_candidate **out,
                                    size_t *n)
{
  drv_stmt *s;
  *out = NULL;
  *n = 0;
  /* Duplicates compete when rejected before the first closing verification
   * (event ids order the history exactly, whatever the clocks said). */
  int rc = store_stmt(st, STMT_DISCOVERY_CANDIDATES,
                      "SELECT id, coalesce(reporter_id, 0), source, unit_id, reported_at"
                      " FROM hazards WHERE id = ?1 UNION ALL"
                      " SELECT h.id, coalesce(h.reporter_id, 0), h.source, h.unit_id,"
                      " h.reported_at FROM hazards h"
                      " JOIN hazard_events r ON r.hazard_id = h.id AND r.action = 2"
                      " WHERE h.duplicate_of = ?1 AND h.duplicate_of != 0 AND h.state = 6"
                      " AND r.id < (SELECT coalesce(min(c.id), 9223372036854775807)"
                      " FROM hazard_events c WHERE c.hazard_id = ?1 AND c.action = 10)"
                      " ORDER BY 5, 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, hazard_id);
  return store_collect(st, s, sizeof(cbc_store_candidate), fill_candidate, (void **)out, n);
}

int cbc_store__registered_responsible(cbc_store *st, int64_t hazard_id, int64_t *out)
{
  return cbc_store__event_int(st, hazard_id, CBC_ACTION_REGISTER, "responsible_id", out);
}

/* ---------------------------------------------------------------- awards */

#define AWARD_COLS                                                                          \
  "id, rule, subject_kind, subject_id, cause, hazard_id, proposal_id, policy_version,"      \
  " amount_fen, reasons, state, proposed_at, approved_by, approved_at, paid_by, paid_at,"   \
  " payment_ref, declined_by, declined_at, decline_reason, review, flagged_at, reviewed_by," \
  " reviewed_at, review_note, unit_id"

static int read_award(drv_stmt *s, cbc_award **out)
{
  cbc_award *a = cbc__calloc(1, sizeof(*a));
  if (!a)
    return cbc__error_oom();
  int64_t *ints[] = { &a->id, NULL, NULL, &a->subject_id, NULL, &a->hazard_id, &a->proposal_id,
                      &a->policy_version, &a->amount_fen, NULL, NULL, &a->proposed_at,
                      &a->approved_by, &a->approved_at, &a->paid_by, &a->paid_at, NULL,
                      &a->declined_by, &a->declined_at, NULL, NULL, &a->flagged_at,
                      &a->reviewed_by, &a->reviewed_at, NULL, &a->unit_id };
  for (int i = 0; i < 26; i++)
    if (ints[i])
      *ints[i] = drv_column_int64(s, i);
  a->rule = (cbc_reward_rule)drv_column_int(s, 1);
  a->subject_kind = (cbc_subject_kind)drv_column_int(s, 2);
  a->state = (cbc_award_state)drv_column_int(s, 10);
  a->review = drv_column_int(s, 20);
  a->cause = cbc__strdup(store_col_text(s, 4));
  a->reasons = cbc__strdup(store_col_text(s, 9));
  a->payment_ref = cbc__strdup(store_col_text(s, 16));
  a->decline_reason = cbc__strdup(store_col_text(s, 19));
  a->review_note = cbc__strdup(store_col_text(s, 24));
  if (!a->cause || !a->reasons || !a->payment_ref || !a->decline_reason || !a->review_note) {
    cbc_award_free(a);
    return cbc__error_oom();
  }
  int rc = cbc_store__award_row_check(a);
  if (rc) {
    cbc_award_free(a);
    return rc;
  }
  *out = a;
  return 0;
}

int cbc_store__award_get(cbc_store *st, int64_t id, cbc_award **out)
{
  drv_stmt *s;
  *out = NULL;
  int rc = store_stmt(st, STMT_AWARD_GET, "SELECT " AWARD_COLS " FROM awards WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "award");
  if (!rc) {
    rc = read_award(s, out);
    drv_reset(s);
  }
  return rc;
}

int cbc_store__award_find(cbc_store *st, cbc_reward_rule rule, cbc_subject_kind kind,
                          int64_t subject_id, const char *cause, int64_t hazard_id,
                          int64_t *out_id)
{
  drv_stmt *s;
  bool found;
  /* two seeks, each on its unique index (an OR of both scans the table) */
  *out_id = 0;
  int rc = hazard_id ? store_int_by_id(st, STMT_AWARD_ID_OF_HAZARD,
                                       "SELECT id FROM awards WHERE hazard_id = ?1"
                                       " AND hazard_id != 0", hazard_id, out_id)
                     : 0;
  if (rc || *out_id)
    return rc;
  rc = store_stmt(st, STMT_AWARD_FIND,
                  "SELECT id FROM awards WHERE rule = ?1 AND subject_kind = ?2 AND"
                  " subject_id = ?3 AND cause = ?4", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, (int)rule);
  drv_bind_int64(s, 2, (int)kind);
  drv_bind_int64(s, 3, subject_id);
  store_bind_text(s, 4, cause);
  rc = store_step_maybe(st, s, "award", &found);
  *out_id = !rc && found ? drv_column_int64(s, 0) : 0;
  drv_reset(s);
  return rc;
}

int cbc_store__award_policy_of_hazard(cbc_store *st, int64_t hazard_id, int64_t *version)
{
  return store_int_by_id(st, STMT_AWARD_OF_HAZARD,
                         "SELECT policy_version FROM awards WHERE hazard_id = ?1"
                         " AND hazard_id != 0", hazard_id, version);
}

int cbc_store__award_insert(cbc_store *st, const cbc_award *a, int64_t unit_id, int64_t tenant,
                            int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_AWARD_INSERT,
                      "INSERT INTO awards(rule, subject_kind, subject_id, cause, hazard_id,"
                      " proposal_id, unit_id, policy_version, amount_fen, reasons, state,"
                      " proposed_at, enterprise_id)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, (int)a->rule);
  drv_bind_int64(s, 2, (int)a->subject_kind);
  drv_bind_int64(s, 3, a->subject_id);
  store_bind_text(s, 4, a->cause);
  drv_bind_int64(s, 5, a->hazard_id);
  drv_bind_int64(s, 6, a->proposal_id);
  drv_bind_int64(s, 7, unit_id);
  drv_bind_int64(s, 8, a->policy_version);
  drv_bind_int64(s, 9, a->amount_fen);
  store_bind_text(s, 10, a->reasons);
  drv_bind_int64(s, 11, a->proposed_at);
  drv_bind_int64(s, 12, tenant);
  rc = store_exec_insert(st, s, "recording an award", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_AWARD, *out_id);
}

int cbc_store__award_save(cbc_store *st, const cbc_award *a)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_AWARD_SAVE,
                      "UPDATE awards SET state = ?2, approved_by = ?3, approved_at = ?4,"
                      " paid_by = ?5, paid_at = ?6, payment_ref = ?7, declined_by = ?8,"
                      " declined_at = ?9, decline_reason = ?10, review = ?11, reviewed_by = ?12,"
                      " reviewed_at = ?13, review_note = ?14 WHERE id = ?1", &s);
  if (rc)
    return rc;
  const int64_t ints[] = { a->id, a->state, a->approved_by, a->approved_at, a->paid_by,
                           a->paid_at };
  for (int i = 0; i < 6; i++)
    drv_bind_int64(s, i + 1, ints[i]);
  store_bind_text(s, 7, a->payment_ref);
  drv_bind_int64(s, 8, a->declined_by);
  drv_bind_int64(s, 9, a->declined_at);
  store_bind_text(s, 10, a->decline_reason);
  drv_bind_int64(s, 11, a->review);
  drv_bind_int64(s, 12, a->reviewed_by);
  drv_bind_int64(s, 13, a->reviewed_at);
  store_bind_text(s, 14, a->review_note);
  rc = store_exec_stmt(st, s, "updating an award");
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_AWARD, a->id);
}

int cbc_store__award_flag_hazard(cbc_store *st, int64_t hazard_id, int64_t at)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_AWARD_FLAG,
                      "UPDATE awards SET review = 1, flagged_at = ?2"
                      " WHERE hazard_id = ?1 AND state != 4", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, hazard_id);
  drv_bind_int64(s, 2, at);
  int64_t id = 0;
  rc = store_exec_stmt(st, s, "flagging an award");
  if (!rc) /* the award, when it has one, gets a link (a declined one the same content) */
    rc = store_int_by_id(st, STMT_AWARD_ID_OF_HAZARD, "SELECT id FROM awards WHERE hazard_id = ?1"
                         " AND hazard_id != 0", hazard_id, &id);
  return rc || !id ? rc : cbc_store__chain_note(st, CBC_HISTORY_AWARD, id);
}

int cbc_store__award_list(cbc_store *st, const char *lo, const char *hi, int64_t from, int64_t to,
                          int state, int kind, int64_t subject_id, cbc_awards **out)
{
  drv_stmt *s = NULL;
  *out = cbc__calloc(1, sizeof(**out));
  if (!*out)
    return cbc__error_oom();
  int rc = store_stmt(st, STMT_AWARD_LIST,
                      "SELECT " AWARD_COLS " FROM awards WHERE proposed_at >= ?1 AND"
                      " proposed_at < ?2 AND (?3 = 0 OR state = ?3) AND"
                      " (?4 = 0 OR (subject_kind = ?4 AND subject_id = ?5)) AND"
                      " (?6 IS NULL OR unit_id IN (SELECT id FROM units WHERE path >= ?6"
                      " AND path < ?7)) ORDER BY id", &s);
  if (!rc) {
    const int64_t v[] = { from, to, state, kind, subject_id };
    for (int i = 0; i < 5; i++)
      drv_bind_int64(s, i + 1, v[i]);
    /* NULL: every unit.  A copy that fails must not leave the range unbound. */
    rc = drv_bind_text(s, 6, lo, -1);
    if (!rc)
      rc = drv_bind_text(s, 7, hi, -1);
    rc = store_failed(st, rc);
  }
  size_t cap = 0;
  while (!rc && (rc = store_step(st, s, "listing awards")) == DRV_ROW) {
    rc = 0;
    if ((*out)->count == cap) {
      cap = cap ? 2 * cap : 16;
      cbc_award **grown = cbc__realloc((*out)->items, cap * sizeof(*grown));
      rc = grown ? 0 : cbc__error_oom();
      if (grown)
        (*out)->items = grown;
    }
    if (!rc)
      rc = read_award(s, &(*out)->items[(*out)->count]);
    if (!rc)
      (*out)->count++;
  }
  /* rc: DRV_DONE at the end, or a CBC code (< 0) */
  rc = rc == DRV_DONE ? 0 : rc;
  if (s)
    drv_reset(s);
  if (rc) {
    cbc_awards_free(*out);
    *out = NULL;
  }
  return rc;
}

/* ----------------------------------------------------------------- fines */

int cbc_store__fine_insert(cbc_store *st, const cbc_fine_record *r, int64_t unit_id,
                           int64_t tenant, int64_t by, int64_t at, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FINE_INSERT,
                      "INSERT INTO fines(employee_id, unit_id, amount_fen, reason, hazard_id,"
                      " violation, issued_by, issued_at, enterprise_id)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, r->employee_id);
  drv_bind_int64(s, 2, unit_id);
  drv_bind_int64(s, 3, r->amount_fen);
  store_bind_text(s, 4, r->reason);
  drv_bind_int64(s, 5, r->hazard_id);
  store_bind_text(s, 6, r->violation);
  drv_bind_int64(s, 7, by);
  drv_bind_int64(s, 8, at);
  drv_bind_int64(s, 9, tenant);
  rc = store_exec_insert(st, s, "recording a fine", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_FINE, *out_id);
}

static void fill_fine(drv_stmt *s, void *element)
{
  cbc_fine *f = element;
  f->id = drv_column_int64(s, 0);
  f->employee_id = drv_column_int64(s, 1);
  f->unit_id = drv_column_int64(s, 2);
  f->amount_fen = drv_column_int64(s, 3);
  f->reason = cbc__strdup(store_col_text(s, 4));
  f->hazard_id = drv_column_int64(s, 5);
  f->violation = cbc__strdup(store_col_text(s, 6));
  f->issued_by = drv_column_int64(s, 7);
  f->issued_at = drv_column_int64(s, 8);
}

int cbc_store__fines_in(cbc_store *st, const char *lo, const char *hi, int64_t from, int64_t to,
                        cbc_fine **out, size_t *n)
{
  int rc = store_collect_range(st, STMT_FINES_IN,
                               "SELECT id, employee_id, unit_id, amount_fen, reason, hazard_id,"
                               " violation, issued_by, issued_at FROM fines"
                               " WHERE issued_at >= ?3 AND issued_at < ?4 AND (?1 IS NULL"
                               " OR unit_id IN " SUBTREE ") ORDER BY id", lo, hi, from, to,
                               sizeof(cbc_fine),
                               fill_fine, (void **)out, n);
  for (size_t i = 0; !rc && i < *n; i++)
    if (!(*out)[i].reason || !(*out)[i].violation)
      rc = cbc__error_oom();
  return rc;
}

int cbc_store__award_totals(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, int64_t counts[5], int64_t *awarded, int64_t *paid)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_AWARD_TOTALS,
                      "SELECT count(*), sum(CASE state WHEN 1 THEN 1 ELSE 0 END),"
                      " sum(CASE state WHEN 2 THEN 1 ELSE 0 END),"
                      " sum(CASE state WHEN 3 THEN 1 ELSE 0 END),"
                      " sum(CASE state WHEN 4 THEN 1 ELSE 0 END), coalesce(sum(CASE WHEN state != 4 THEN amount_fen END), 0),"
                      " (SELECT coalesce(sum(amount_fen), 0) FROM awards WHERE state = 3 AND"
                      "  paid_at >= ?3 AND paid_at < ?4 AND unit_id IN " SUBTREE ")"
                      " FROM awards WHERE proposed_at >= ?3 AND proposed_at < ?4 AND unit_id IN "
                      SUBTREE, &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, lo);
  store_bind_text(s, 2, hi);
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  rc = store_step_row(st, s, "award totals");
  for (int i = 0; !rc && i < 5; i++)
    counts[i] = drv_column_int64(s, i);
  *awarded = rc ? 0 : drv_column_int64(s, 5);
  *paid = rc ? 0 : drv_column_int64(s, 6);
  if (!rc)
    drv_reset(s);
  return rc;
}

/* ------------------------------------------------------ period's records */

int cbc_store__hazards_closed_in(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                 int64_t to, bool large, int64_t **ids, size_t *n)
{
  if (large) /* by the time index, each hazard's unit looked at */
    return store_collect_range(st, (store_stmt_id)(STMT_METRIC_0 + CLOSED_IN_BY_TIME),
                               "SELECT id FROM hazards h WHERE state = 5 AND closed_at >= ?3"
                               " AND closed_at < ?4 AND EXISTS (SELECT 1 FROM units u WHERE"
                               " u.id = h.unit_id AND u.path >= ?1 AND u.path < ?2) ORDER BY id",
                               lo, hi, from, to, sizeof(int64_t), store_fill_int64,
                               (void **)ids, n);
  return store_collect_range(st, STMT_REWARD_CLOSED,
                             "SELECT h.id" BY_UNIT("hazards_unit_closed") CLOSED_IN
                             " ORDER BY h.id",
                             lo, hi, from, to, sizeof(int64_t), store_fill_int64, (void **)ids,
                             n);
}

static void fill_adopted(drv_stmt *s, void *element)
{
  int64_t *row = element;
  for (int i = 0; i < 3; i++)
    row[i] = drv_column_int64(s, i);
}

int cbc_store__proposals_adopted_in(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                    int64_t to, int64_t (**rows)[3], size_t *n)
{
  return store_collect_range(st, STMT_REWARD_ADOPTED,
                             "SELECT id, proposer_id, unit_id FROM proposals WHERE status = 2 AND"
                             " voided_at = 0 AND decided_at >= ?3 AND decided_at < ?4"
                             " AND unit_id IN " SUBTREE " ORDER BY id", lo, hi, from, to,
                             3 * sizeof(int64_t), fill_adopted, (void **)rows, n);
}

/* ------------------------------------------------- collective figures */


/* The end of unit u's path range (paths end in '/'; '0' follows it). */
#define U_HI "substr(u.path, 1, length(u.path) - 1) || '0'"

/* Every unit of the range in path order: whether it existed and was open
 * at the period's end, how many units its subtree holds below it, a team's
 * drills in the period, and the drills its own records hold. */
static const char units_sql[] =
  "SELECT u.id, u.kind, (u.closed_at = 0 OR u.closed_at > ?4) AND u.created_at < ?4,"
  " (SELECT count(*) FROM units v WHERE v.path > u.path AND v.path < " U_HI "),"
  " CASE WHEN u.kind = 4 THEN (SELECT count(*) FROM drill_teams d WHERE d.team_id = u.id"
  "  AND d.held_at >= ?3 AND d.held_at < ?4) ELSE 0 END,"
  " (SELECT count(*) FROM drills d WHERE d.unit_id = u.id AND d.held_at >= ?3"
  "  AND d.held_at < ?4 AND d.voided_at = 0)"
  " FROM units u WHERE u.path >= ?1 AND u.path < ?2 ORDER BY u.path";

static void fill_unit(drv_stmt *s, void *element)
{
  cbc_store_unit_figures *u = element;
  memset(u, 0, sizeof(*u));
  u->id = drv_column_int64(s, 0);
  u->kind = drv_column_int(s, 1);
  u->open = drv_column_int(s, 2) != 0;
  u->end = (size_t)drv_column_int64(s, 3); /* made an index by the caller */
  u->team_drills = drv_column_int64(s, 4);
  u->own.drills = drv_column_int64(s, 5);
}

#define M(field) offsetof(cbc_store_metrics, field)

/* A query of rows (unit id, figures...): each figure is added to the
 * unit's own figures at its offset. */
typedef struct figure_query {
  int slot;
  const char *sql;
  int n;
  size_t field[5];
} figure_query;

static const figure_query members_query = {
  FIG_MEMBERS,
  "SELECT e.unit_id, count(*), sum(CASE WHEN EXISTS (SELECT 1 FROM training_attendees a WHERE"
  " a.employee_id = e.id AND a.held_at >= ?3 AND a.held_at < ?4) THEN 1 ELSE 0 END)"
  " FROM units u CROSS JOIN employees e ON e.unit_id = u.id WHERE u.path >= ?1"
  " AND u.path < ?2 AND e.hire_date < ?4 AND " ON_PAYROLL_AT("e.", "?4") " GROUP BY e.unit_id",
  2, { M(members), M(trained) } };

#define OVERDUE_MAJOR                                                                     \
  "h.severity = 2 AND h.reported_at < ?4 AND h.deadline > 0 AND h.deadline < ?4"          \
  " AND h.state != 6 AND NOT (h.state = 5 AND h.closed_at < ?4)"

/* The hazard figures of a small range: its units' hazards of the period,
 * each unit's from its own indexes alone (schema 16), so that a chunk of
 * an evaluation reads its own units' period only: those closed in it (with
 * their deadlines), those reported in it, and of these the disposed ones
 * (closed: among the unit's closed hazards; rejected); the unit's major
 * hazards with a deadline (few) are read row by row. */
static const figure_query hazards_by_unit[] = {
  { FIG_CLOSED_BY_UNIT,
    "SELECT h.unit_id, count(*), sum(CASE WHEN h.closed_at <= h.deadline THEN 1 ELSE 0 END)" BY_UNIT("hazards_unit_closed")
    CLOSED_IN " GROUP BY h.unit_id", 2, { M(closed), M(closed_on_time) } },
  { FIG_REPORTED_BY_UNIT,
    "SELECT h.unit_id, count(*)" BY_UNIT("hazards_unit") REPORTED_IN " GROUP BY h.unit_id", 1,
    { M(reported) } },
  { FIG_DONE_BY_UNIT,
    "SELECT h.unit_id, count(*)" BY_UNIT("hazards_unit_closed") "h.state = 5 AND "
    REPORTED_IN " GROUP BY h.unit_id", 1, { M(disposed) } },
  { FIG_REJECTED_BY_UNIT,
    "SELECT h.unit_id, count(*)" BY_UNIT("hazards_unit_rejected") "h.state = 6 AND "
    REPORTED_IN " GROUP BY h.unit_id", 1, { M(disposed) } },
  { FIG_OVERDUE_BY_UNIT,
    "SELECT h.unit_id, count(*)" BY_UNIT("hazards_unit_major") OVERDUE_MAJOR
    " GROUP BY h.unit_id", 1, { M(overdue_major) } },
};
#define N_BY_UNIT (sizeof(hazards_by_unit) / sizeof(hazards_by_unit[0]))

/* The same for a large range: the period's hazards by their time indexes,
 * every unit's (those outside the range are skipped). */
static const figure_query hazards_by_time[] = {
  { FIG_CLOSED_BY_TIME,
    "SELECT h.unit_id, count(*), sum(CASE WHEN h.closed_at <= h.deadline THEN 1 ELSE 0 END) FROM hazards h WHERE "
    CLOSED_IN " GROUP BY h.unit_id", 2, { M(closed), M(closed_on_time) } },
  { FIG_REPORTED_BY_TIME,
    "SELECT h.unit_id, count(*), sum(CASE WHEN h.state IN (5, 6) THEN 1 ELSE 0 END) FROM hazards h WHERE " REPORTED_IN
    " GROUP BY h.unit_id", 2, { M(reported), M(disposed) } },
  /* row by row, and not by the report time: the few major hazards are
   * found by their own index whatever their age */
  { FIG_OVERDUE_BY_TIME,
    "SELECT h.unit_id, 1 FROM hazards h WHERE h.severity = 2 AND +h.reported_at < ?4"
    " AND h.deadline > 0 AND h.deadline < ?4 AND h.state != 6"
    " AND NOT (h.state = 5 AND h.closed_at < ?4)", 1, { M(overdue_major) } },
};

/* The number of units, counted once per org generation (a whole index's
 * count: an evaluation asks for every part of every chunk). */
static int units_total(cbc_store *st, int64_t *out)
{
  drv_stmt *s;
  uint64_t seen = cbc_store__org_generation(st) + 1;
  if (st->units_total_seen == seen) {
    *out = st->units_total;
    return 0;
  }
  int rc = store_stmt(st, (store_stmt_id)(STMT_METRIC_0 + FIG_UNIT_COUNT),
                      "SELECT count(*) FROM units", &s);
  if (!rc)
    rc = store_step_row(st, s, "units");
  if (rc)
    return rc;
  *out = st->units_total = drv_column_int64(s, 0);
  st->units_total_seen = seen;
  drv_reset(s);
  return 0;
}

/* The number of units in the path range [lo, hi). */
static int units_in_range(cbc_store *st, const char *lo, const char *hi, int64_t *out)
{
  drv_stmt *s;
  int rc = store_stmt(st, (store_stmt_id)(STMT_METRIC_0 + UNITS_IN_RANGE),
                      "SELECT count(*) FROM units WHERE path >= ?1 AND path < ?2", &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (!rc)
    rc = store_step_row(st, s, "units");
  if (rc)
    return rc;
  *out = drv_column_int64(s, 0);
  drv_reset(s);
  return 0;
}

int cbc_store__subtree_is_large(cbc_store *st, const char *lo, const char *hi, bool *out)
{
  int64_t in_range = 0, total = 0;
  *out = false;
  int rc = units_in_range(st, lo, hi, &in_range);
  if (!rc)
    rc = units_total(st, &total);
  if (!rc)
    *out = in_range * 8 >= total;
  return rc;
}

int cbc_store__hazards_in_range(cbc_store *st, const char *lo, const char *hi, int64_t from,
                                int64_t to, int64_t *out)
{
  drv_stmt *s;
  *out = 0;
  int rc = store_stmt(st, (store_stmt_id)(STMT_METRIC_0 + HAZARD_COUNT),
                      "SELECT count(*)" BY_UNIT("hazards_unit") REPORTED_IN, &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (!rc) {
    drv_bind_int64(s, 3, from);
    drv_bind_int64(s, 4, to);
  }
  if (!rc)
    rc = store_step_row(st, s, "hazards");
  if (!rc) {
    *out = drv_column_int64(s, 0);
    drv_reset(s);
  }
  return rc;
}

typedef struct unit_index {
  int64_t id;
  size_t at;
} unit_index;

static int by_id(const void *a, const void *b)
{
  int64_t x = ((const unit_index *)a)->id, y = ((const unit_index *)b)->id;
  return x < y ? -1 : x > y;
}

static int add_figures(cbc_store *st, const figure_query *q, const char *lo, const char *hi,
                       int64_t from, int64_t to, cbc_store_unit_figures *units,
                       const unit_index *index, size_t n)
{
  drv_stmt *s;
  int rc = store_stmt(st, (store_stmt_id)(STMT_METRIC_0 + q->slot), q->sql, &s);
  if (!rc && drv_param_count(s) >= 2)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, from);
  drv_bind_int64(s, 4, to);
  while ((rc = store_step(st, s, "reward figures")) == DRV_ROW) {
    unit_index key = { drv_column_int64(s, 0), 0 };
    const unit_index *u = bsearch(&key, index, n, sizeof(*index), by_id);
    for (int i = 0; u && i < q->n; i++)
      *(int64_t *)((char *)&units[u->at].own + q->field[i]) += drv_column_int64(s, i + 1);
  }
  rc = rc == DRV_DONE ? 0 : rc;
  drv_reset(s);
  return rc;
}

int cbc_store__unit_figures(cbc_store *st, const char *lo, const char *hi, int64_t from,
                            int64_t to, cbc_store_unit_figures **out, size_t *n)
{
  unit_index *index = NULL;
  bool time = false;
  int rc = store_collect_range(st, (store_stmt_id)(STMT_METRIC_0 + FIG_UNITS), units_sql, lo,
                               hi, from, to, sizeof(**out), fill_unit, (void **)out, n);
  if (!rc && *n && !(index = cbc__malloc(*n * sizeof(*index))))
    rc = cbc__error_oom();
  for (size_t i = 0; !rc && i < *n; i++) {
    (*out)[i].end += i + 1;
    index[i] = (unit_index){ (*out)[i].id, i };
  }
  if (!rc && *n)
    qsort(index, *n, sizeof(*index), by_id);
  if (!rc && *n)
    rc = add_figures(st, &members_query, lo, hi, from, to, *out, index, *n);
  if (!rc && *n)
    rc = cbc_store__subtree_is_large(st, lo, hi, &time);
  for (size_t i = 0; !rc && *n && !time && i < N_BY_UNIT; i++)
    rc = add_figures(st, &hazards_by_unit[i], lo, hi, from, to, *out, index, *n);
  for (size_t i = 0; !rc && *n && time && i < 3; i++)
    rc = add_figures(st, &hazards_by_time[i], lo, hi, from, to, *out, index, *n);
  cbc__free(index);
  if (rc) {
    cbc__free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
