/* SQL for the hazard ledger: hazards, their events and attachments.  The
 * hazard columns are written in one order by one binder, for INSERT and
 * UPDATE alike. */
#include "store_internal.h"
#include <stdio.h>
#include <string.h>

static const char select_sql[] =
  "SELECT id, state, coalesce(reporter_id,0), unit_id, enterprise_id, title, description, "
  "location, kind, category, check_item, source, observed_at, reported_at, "
  "proposed_severity, severity, level, resolved_level, coalesce(responsible_id,0), "
  "measures, funds_fen, original_deadline, deadline, contingency_plan, has_plan, "
  "plan_goals, plan_methods, plan_funds_materials, plan_responsible_bodies, "
  "plan_time_limit, plan_safety_measures, reject_reason, duplicate_of, listed, "
  "listing_authority, listing_document, listed_at, listed_by, extension_pending, "
  "extension_deadline, reopen_count, submitted_by, last_note, closed_at, updated_at FROM "
  "hazards WHERE id = ?1";
static const char insert_sql[] =
  "INSERT INTO hazards(state, reporter_id, unit_id, enterprise_id, title, description, "
  "location, kind, category, check_item, source, observed_at, reported_at, "
  "proposed_severity, severity, level, resolved_level, responsible_id, measures, "
  "funds_fen, original_deadline, deadline, contingency_plan, has_plan, plan_goals, "
  "plan_methods, plan_funds_materials, plan_responsible_bodies, plan_time_limit, "
  "plan_safety_measures, reject_reason, duplicate_of, listed, listing_authority, "
  "listing_document, listed_at, listed_by, extension_pending, extension_deadline, "
  "reopen_count, submitted_by, last_note, closed_at, updated_at, followup_key) VALUES "
  "(?1, nullif(?2,0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
  "nullif(?18,0), ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, "
  "?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, "
  "nullif(?45, ''))";
/* Only what a move can change: the report's own columns (unit, reporter,
 * title, ...) are left out, so their indexes are not touched by moves.
 * Parameter numbers are those of bind_hazard(). */
static const char update_sql[] =
  "UPDATE hazards SET state=?1, severity=?15, level=?16, resolved_level=?17, "
  "responsible_id=nullif(?18,0), measures=?19, funds_fen=?20, original_deadline=?21, "
  "deadline=?22, contingency_plan=?23, has_plan=?24, plan_goals=?25, plan_methods=?26, "
  "plan_funds_materials=?27, plan_responsible_bodies=?28, plan_time_limit=?29, "
  "plan_safety_measures=?30, reject_reason=?31, duplicate_of=?32, listed=?33, "
  "listing_authority=?34, listing_document=?35, listed_at=?36, listed_by=?37, "
  "extension_pending=?38, extension_deadline=?39, reopen_count=?40, submitted_by=?41, "
  "last_note=?42, closed_at=?43, updated_at=?44 WHERE id = ?45";

static void bind_hazard(sqlite3_stmt *s, const cbc_hazard *h)
{
  sqlite3_bind_int(s, 1, (int)h->state);
  sqlite3_bind_int64(s, 2, h->reporter_id);
  sqlite3_bind_int64(s, 3, h->unit_id);
  sqlite3_bind_int64(s, 4, h->enterprise_id);
  store_bind_text(s, 5, h->title);
  store_bind_text(s, 6, h->description);
  store_bind_text(s, 7, h->location);
  sqlite3_bind_int(s, 8, (int)h->kind);
  sqlite3_bind_int(s, 9, (int)h->category);
  sqlite3_bind_int(s, 10, (int)h->check_item);
  sqlite3_bind_int(s, 11, (int)h->source);
  sqlite3_bind_int64(s, 12, h->observed_at);
  sqlite3_bind_int64(s, 13, h->reported_at);
  sqlite3_bind_int(s, 14, (int)h->proposed_severity);
  sqlite3_bind_int(s, 15, (int)h->severity);
  sqlite3_bind_int(s, 16, (int)h->level);
  sqlite3_bind_int(s, 17, (int)h->resolved_level);
  sqlite3_bind_int64(s, 18, h->responsible_id);
  store_bind_text(s, 19, h->measures);
  sqlite3_bind_int64(s, 20, h->funds_fen);
  sqlite3_bind_int64(s, 21, h->original_deadline);
  sqlite3_bind_int64(s, 22, h->deadline);
  store_bind_text(s, 23, h->contingency_plan);
  sqlite3_bind_int(s, 24, (int)h->has_plan);
  store_bind_text(s, 25, h->plan.goals);
  store_bind_text(s, 26, h->plan.methods);
  store_bind_text(s, 27, h->plan.funds_materials);
  store_bind_text(s, 28, h->plan.responsible_bodies);
  sqlite3_bind_int64(s, 29, h->plan.time_limit);
  store_bind_text(s, 30, h->plan.safety_measures);
  store_bind_text(s, 31, h->reject_reason);
  sqlite3_bind_int64(s, 32, h->duplicate_of);
  sqlite3_bind_int(s, 33, (int)h->listed);
  store_bind_text(s, 34, h->listing_authority);
  store_bind_text(s, 35, h->listing_document);
  sqlite3_bind_int64(s, 36, h->listed_at);
  sqlite3_bind_int64(s, 37, h->listed_by);
  sqlite3_bind_int(s, 38, (int)h->extension_pending);
  sqlite3_bind_int64(s, 39, h->extension_requested_deadline);
  sqlite3_bind_int(s, 40, (int)h->reopen_count);
  sqlite3_bind_int64(s, 41, h->submitted_by);
  store_bind_text(s, 42, h->last_note);
  sqlite3_bind_int64(s, 43, h->closed_at);
  sqlite3_bind_int64(s, 44, h->updated_at);
}

static void read_hazard(sqlite3_stmt *s, cbc_hazard *h)
{
  memset(h, 0, sizeof(*h));
  h->id = sqlite3_column_int64(s, 0);
  h->state = (cbc_hazard_state)sqlite3_column_int(s, 1);
  h->reporter_id = sqlite3_column_int64(s, 2);
  h->unit_id = sqlite3_column_int64(s, 3);
  h->enterprise_id = sqlite3_column_int64(s, 4);
  h->title = (char *)store_col_text(s, 5);
  h->description = (char *)store_col_text(s, 6);
  h->location = (char *)store_col_text(s, 7);
  h->kind = (cbc_hazard_kind)sqlite3_column_int(s, 8);
  h->category = (cbc_hazard_category)sqlite3_column_int(s, 9);
  h->check_item = (cbc_check_item)sqlite3_column_int(s, 10);
  h->source = (cbc_hazard_source)sqlite3_column_int(s, 11);
  h->observed_at = sqlite3_column_int64(s, 12);
  h->reported_at = sqlite3_column_int64(s, 13);
  h->proposed_severity = (cbc_severity)sqlite3_column_int(s, 14);
  h->severity = (cbc_severity)sqlite3_column_int(s, 15);
  h->level = (cbc_level)sqlite3_column_int(s, 16);
  h->resolved_level = (cbc_level)sqlite3_column_int(s, 17);
  h->responsible_id = sqlite3_column_int64(s, 18);
  h->measures = (char *)store_col_text(s, 19);
  h->funds_fen = sqlite3_column_int64(s, 20);
  h->original_deadline = sqlite3_column_int64(s, 21);
  h->deadline = sqlite3_column_int64(s, 22);
  h->contingency_plan = (char *)store_col_text(s, 23);
  h->has_plan = sqlite3_column_int(s, 24);
  h->plan.goals = store_col_text(s, 25);
  h->plan.methods = store_col_text(s, 26);
  h->plan.funds_materials = store_col_text(s, 27);
  h->plan.responsible_bodies = store_col_text(s, 28);
  h->plan.time_limit = sqlite3_column_int64(s, 29);
  h->plan.safety_measures = store_col_text(s, 30);
  h->reject_reason = (char *)store_col_text(s, 31);
  h->duplicate_of = sqlite3_column_int64(s, 32);
  h->listed = sqlite3_column_int(s, 33);
  h->listing_authority = (char *)store_col_text(s, 34);
  h->listing_document = (char *)store_col_text(s, 35);
  h->listed_at = sqlite3_column_int64(s, 36);
  h->listed_by = sqlite3_column_int64(s, 37);
  h->extension_pending = sqlite3_column_int(s, 38);
  h->extension_requested_deadline = sqlite3_column_int64(s, 39);
  h->reopen_count = sqlite3_column_int(s, 40);
  h->submitted_by = sqlite3_column_int64(s, 41);
  h->last_note = (char *)store_col_text(s, 42);
  h->closed_at = sqlite3_column_int64(s, 43);
  h->updated_at = sqlite3_column_int64(s, 44);
}

int cbc_store__hazard_get(cbc_store *st, int64_t id, cbc_hazard *h)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_GET, select_sql, &s);
  if (rc)
    return rc;
  sqlite3_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "hazard");
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_ENOTFOUND, "hazard %lld not found", (long long)id);
  if (!rc)
    read_hazard(s, h);
  return rc;
}

int cbc_store__hazard_state(cbc_store *st, int64_t id, cbc_hazard_state *out)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_STATE, "SELECT state FROM hazards WHERE id = ?1", &s);
  if (rc)
    return rc;
  sqlite3_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "hazard");
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_ENOTFOUND, "hazard %lld not found", (long long)id);
  if (!rc)
    *out = (cbc_hazard_state)sqlite3_column_int(s, 0);
  return rc;
}

int cbc_store__hazard_insert(cbc_store *st, const cbc_hazard *h, const char *followup_key,
                             int64_t *out_id)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_INSERT, insert_sql, &s);
  if (rc)
    return rc;
  bind_hazard(s, h);
  store_bind_text(s, 45, followup_key);
  rc = store_exec_stmt(st, s, "recording a hazard");
  if (!rc)
    *out_id = sqlite3_last_insert_rowid(st->db);
  return rc;
}

int cbc_store__hazard_update(cbc_store *st, const cbc_hazard *h)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_UPDATE, update_sql, &s);
  if (rc)
    return rc;
  bind_hazard(s, h);
  sqlite3_bind_int64(s, 45, h->id);
  return store_exec_stmt(st, s, "updating a hazard");
}

int cbc_store__hazard_by_key(cbc_store *st, const char *key, int64_t *out_id)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_BY_KEY, "SELECT id FROM hazards WHERE followup_key = ?1", &s);
  if (rc)
    return rc;
  store_bind_text(s, 1, key);
  rc = store_step_row(st, s, "follow-up key");
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_ENOTFOUND, "no hazard has that follow-up key");
  if (!rc)
    *out_id = sqlite3_column_int64(s, 0);
  return rc;
}

int cbc_store__hazard_event_add(cbc_store *st, const cbc_hazard_event *ev, int64_t *out_id)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_EVENT_ADD,
                      "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state,"
                      " to_state, level, data) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", &s);
  if (rc)
    return rc;
  sqlite3_bind_int64(s, 1, ev->hazard_id);
  sqlite3_bind_int64(s, 2, ev->at);
  sqlite3_bind_int64(s, 3, ev->actor_id);
  sqlite3_bind_int(s, 4, ev->action);
  sqlite3_bind_int(s, 5, ev->from_state);
  sqlite3_bind_int(s, 6, ev->to_state);
  sqlite3_bind_int(s, 7, ev->level);
  store_bind_text(s, 8, ev->data);
  rc = store_exec_stmt(st, s, "recording a hazard event");
  if (!rc && out_id)
    *out_id = sqlite3_last_insert_rowid(st->db);
  return rc;
}

int cbc_store__hazard_events(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id)
{
  int rc = store_cursor_new(out, st, "SELECT id, hazard_id, at, actor_id, action, from_state,"
                                     " to_state, level, data FROM hazard_events"
                                     " WHERE hazard_id = ?1 ORDER BY id");
  if (!rc)
    sqlite3_bind_int64((*out)->stmt, 1, hazard_id);
  return rc;
}

int cbc_store__cursor_hazard_event(cbc_store_cursor *c, cbc_hazard_event *ev)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  sqlite3_stmt *s = c->stmt;
  ev->id = sqlite3_column_int64(s, 0);
  ev->hazard_id = sqlite3_column_int64(s, 1);
  ev->at = sqlite3_column_int64(s, 2);
  ev->actor_id = sqlite3_column_int64(s, 3);
  ev->action = (cbc_hazard_action)sqlite3_column_int(s, 4);
  ev->from_state = (cbc_hazard_state)sqlite3_column_int(s, 5);
  ev->to_state = (cbc_hazard_state)sqlite3_column_int(s, 6);
  ev->level = (cbc_level)sqlite3_column_int(s, 7);
  ev->data = (char *)store_col_text(s, 8);
  return 0;
}

int cbc_store__hazard_attachment_add(cbc_store *st, int64_t hazard_id, int64_t event_id,
                                     const cbc_hazard_attachment *a)
{
  sqlite3_stmt *s;
  int rc = store_stmt(st, STMT_HZ_ATTACH_ADD,
                      "INSERT INTO hazard_attachments(hazard_id, event_id, uri, media_type, size,"
                      " sha256, stage, added_at, added_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                      &s);
  if (rc)
    return rc;
  sqlite3_bind_int64(s, 1, hazard_id);
  sqlite3_bind_int64(s, 2, event_id);
  store_bind_text(s, 3, a->uri);
  store_bind_text(s, 4, a->media_type);
  sqlite3_bind_int64(s, 5, a->size);
  store_bind_text(s, 6, a->sha256);
  sqlite3_bind_int(s, 7, a->stage);
  sqlite3_bind_int64(s, 8, a->added_at);
  sqlite3_bind_int64(s, 9, a->added_by);
  return store_exec_stmt(st, s, "recording an attachment");
}

int cbc_store__hazard_attachments(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id)
{
  int rc = store_cursor_new(out, st, "SELECT uri, media_type, size, sha256, stage, added_at,"
                                     " added_by FROM hazard_attachments WHERE hazard_id = ?1"
                                     " ORDER BY id");
  if (!rc)
    sqlite3_bind_int64((*out)->stmt, 1, hazard_id);
  return rc;
}

int cbc_store__cursor_attachment(cbc_store_cursor *c, cbc_hazard_attachment *a)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  sqlite3_stmt *s = c->stmt;
  a->uri = (char *)store_col_text(s, 0);
  a->media_type = (char *)store_col_text(s, 1);
  a->size = sqlite3_column_int64(s, 2);
  a->sha256 = (char *)store_col_text(s, 3);
  a->stage = (cbc_attachment_stage)sqlite3_column_int(s, 4);
  a->added_at = sqlite3_column_int64(s, 5);
  a->added_by = sqlite3_column_int64(s, 6);
  return 0;
}

/* The filter's clauses; only those the filter sets go into the statement,
 * so SQLite can pick the index that fits (reporter, responsible, unit,
 * open deadline).  Parameter numbers are fixed per clause. */
static const struct {
  int param; /* the clause's parameter number; the unit range also uses param + 1 */
  const char *sql;
} iter_clauses[] = {
  { 1, " AND (?1 >> state) & 1" },
  { 2, " AND severity = ?2" },
  { 3, " AND level = ?3" },
  { 4, " AND unit_id IN (SELECT id FROM units WHERE path >= ?4 AND path < ?5)" },
  { 6, " AND reporter_id = ?6" },
  { 7, " AND responsible_id = ?7" },
  { 8, " AND state BETWEEN 2 AND 4 AND deadline > 0 AND deadline < ?8" },
  { 9, " AND reported_at >= ?9" },
  { 10, " AND reported_at < ?10" },
  { 11, " AND closed_at > 0 AND closed_at >= ?11" },
  { 12, " AND closed_at > 0 AND closed_at < ?12" },
};

#define N_CLAUSES (sizeof(iter_clauses) / sizeof(iter_clauses[0]))

static void filter_values(const cbc_hazard_filter *f, const char *path_lo, int64_t v[N_CLAUSES])
{
  const int64_t values[N_CLAUSES] = { f->states, f->severity, f->level, path_lo != NULL,
                                      f->reporter_id, f->responsible_id, f->overdue_at,
                                      f->reported_from, f->reported_to, f->closed_from,
                                      f->closed_to };
  memcpy(v, values, sizeof(values));
}

int cbc_store__hazards_query(cbc_store_cursor **out, cbc_store *st, const cbc_hazard_filter *f,
                             const char *path_lo, const char *path_hi)
{
  char sql[sizeof(select_sql) + 512];
  size_t head = strlen(select_sql) - strlen(" WHERE id = ?1"), len = head;
  int64_t v[N_CLAUSES];
  filter_values(f, path_lo, v);
  memcpy(sql, select_sql, head);
  len += (size_t)snprintf(sql + len, sizeof(sql) - len, " WHERE 1");
  for (size_t i = 0; i < N_CLAUSES; i++)
    if (v[i])
      len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s", iter_clauses[i].sql);
  snprintf(sql + len, sizeof(sql) - len, " ORDER BY id");
  int rc = store_cursor_new(out, st, sql);
  if (rc)
    return rc;
  sqlite3_stmt *s = (*out)->stmt;
  for (size_t i = 0; i < N_CLAUSES; i++)
    if (v[i])
      sqlite3_bind_int64(s, iter_clauses[i].param, v[i]);
  if (path_lo) { /* the unit range's clause: its bounds replace the flag bound above */
    sqlite3_bind_text(s, 4, path_lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, path_hi, -1, SQLITE_TRANSIENT);
  }
  return 0;
}

int cbc_store__cursor_hazard(cbc_store_cursor *c, cbc_hazard *h)
{
  int rc = store_cursor_step(c);
  if (!rc)
    read_hazard(c->stmt, h);
  return rc;
}
