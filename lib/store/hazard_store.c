/* SQL for the hazard ledger: hazards, their events and attachments.  The
 * hazard columns are written in one order by one binder, for INSERT and
 * UPDATE alike. */
#include "store_internal.h"
#include "../event_codec.h"
#include "../followup.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The columns read_hazard() reads, in order; T() wraps the text columns so
 * that the moves' read can leave them out (see cbc_store__hazard_get_move). */
#define HAZARD_COLUMNS(T)                                                                     \
  "id, state, coalesce(reporter_id,0), unit_id, enterprise_id, " T("title") ", "             \
  T("description") ", " T("location") ", kind, category, check_item, source, observed_at, "  \
  "reported_at, proposed_severity, severity, level, resolved_level, "                       \
  "coalesce(responsible_id,0), " T("measures") ", funds_fen, original_deadline, deadline, "  \
  T("contingency_plan") ", has_plan, " T("plan_goals") ", " T("plan_methods") ", "          \
  T("plan_funds_materials") ", " T("plan_responsible_bodies") ", plan_time_limit, "         \
  T("plan_safety_measures") ", " T("reject_reason") ", duplicate_of, listed, "              \
  T("listing_authority") ", " T("listing_document") ", listed_at, listed_by, "              \
  "extension_pending, extension_deadline, reopen_count, submitted_by, " T("last_note") ", "  \
  "closed_at, updated_at"
#define WITH_TEXT(column) column
#define NO_TEXT(column) "NULL"
static const char select_sql[] =
  "SELECT " HAZARD_COLUMNS(WITH_TEXT) " FROM hazards WHERE id = ?1";
static const char select_move_sql[] =
  "SELECT " HAZARD_COLUMNS(NO_TEXT) " FROM hazards WHERE id = ?1";
/* PostgreSQL's: a move locks the row it will write, so that two hosts'
 * moves of one hazard run one after the other (SQLite's write lock does
 * that for the whole file). */
static const char select_move_locked_sql[] =
  "SELECT " HAZARD_COLUMNS(NO_TEXT) " FROM hazards WHERE id = ?1 FOR UPDATE";
static const char insert_sql[] =
  "INSERT INTO hazards(state, reporter_id, unit_id, enterprise_id, title, description, "
  "location, kind, category, check_item, source, observed_at, reported_at, "
  "proposed_severity, severity, level, resolved_level, responsible_id, measures, "
  "funds_fen, original_deadline, deadline, contingency_plan, has_plan, plan_goals, "
  "plan_methods, plan_funds_materials, plan_responsible_bodies, plan_time_limit, "
  "plan_safety_measures, reject_reason, duplicate_of, listed, listing_authority, "
  "listing_document, listed_at, listed_by, extension_pending, extension_deadline, "
  "reopen_count, submitted_by, last_note, closed_at, updated_at, followup_hash) VALUES "
  "(?1, nullif(?2,0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
  "nullif(?18,0), ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, "
  "?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, "
  "?45)";
/* The columns a move can change, with the field each mirrors.  A move's
 * UPDATE sets only those whose value changed (the report's own columns never
 * do, but for the classification a correction may change), so the row's indexes are touched only when their column moves; one
 * prepared statement is kept per set of changed columns. */
typedef enum col_type { COL_INT, COL_I64, COL_REF, COL_TEXT } col_type;

typedef struct hz_col {
  const char *name;
  size_t off;
  col_type type; /* COL_REF: an id stored as NULL when 0 */
} hz_col;

#define HC(name, field, type) { name, offsetof(cbc_hazard, field), type }
static const hz_col update_cols[] = {
  HC("state", state, COL_INT), HC("severity", severity, COL_INT),
  HC("level", level, COL_INT), HC("resolved_level", resolved_level, COL_INT),
  HC("responsible_id", responsible_id, COL_REF), HC("measures", measures, COL_TEXT),
  HC("funds_fen", funds_fen, COL_I64), HC("original_deadline", original_deadline, COL_I64),
  HC("deadline", deadline, COL_I64), HC("contingency_plan", contingency_plan, COL_TEXT),
  HC("has_plan", has_plan, COL_INT), HC("plan_goals", plan.goals, COL_TEXT),
  HC("plan_methods", plan.methods, COL_TEXT),
  HC("plan_funds_materials", plan.funds_materials, COL_TEXT),
  HC("plan_responsible_bodies", plan.responsible_bodies, COL_TEXT),
  HC("plan_time_limit", plan.time_limit, COL_I64),
  HC("plan_safety_measures", plan.safety_measures, COL_TEXT),
  HC("reject_reason", reject_reason, COL_TEXT), HC("duplicate_of", duplicate_of, COL_I64),
  HC("listed", listed, COL_INT), HC("listing_authority", listing_authority, COL_TEXT),
  HC("listing_document", listing_document, COL_TEXT), HC("listed_at", listed_at, COL_I64),
  HC("listed_by", listed_by, COL_I64), HC("extension_pending", extension_pending, COL_INT),
  HC("extension_deadline", extension_requested_deadline, COL_I64),
  HC("reopen_count", reopen_count, COL_INT), HC("submitted_by", submitted_by, COL_I64),
  HC("last_note", last_note, COL_TEXT), HC("closed_at", closed_at, COL_I64),
  HC("updated_at", updated_at, COL_I64),
  /* the classification, which a correction (CBC_ACTION_AMEND) may change */
  HC("kind", kind, COL_INT), HC("category", category, COL_INT),
  HC("check_item", check_item, COL_INT),
};
#undef HC
#define N_UPDATE_COLS (sizeof(update_cols) / sizeof(update_cols[0]))

/* Enums are read as int. */
typedef char cbc__enums_are_int[sizeof(cbc_hazard_state) == sizeof(int) &&
                                sizeof(cbc_level) == sizeof(int) ? 1 : -1];

static int64_t col_int(const cbc_hazard *h, const hz_col *c)
{
  const char *p = (const char *)h + c->off;
  if (c->type == COL_INT) {
    int v;
    memcpy(&v, p, sizeof(v));
    return v;
  }
  int64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static const char *col_text(const cbc_hazard *h, const hz_col *c)
{
  const char *v;
  memcpy(&v, (const char *)h + c->off, sizeof(v));
  return v ? v : "";
}

/* A text changed when the fold pointed it elsewhere: the moves' read leaves
 * texts NULL, and the fold sets a text only to the move's own value. */
static bool col_changed(const cbc_hazard *before, const cbc_hazard *after, const hz_col *c)
{
  if (c->type != COL_TEXT)
    return col_int(before, c) != col_int(after, c);
  const char *x, *y;
  memcpy(&x, (const char *)before + c->off, sizeof(x));
  memcpy(&y, (const char *)after + c->off, sizeof(y));
  return x != y;
}

static void bind_col(drv_stmt *s, int i, const cbc_hazard *h, const hz_col *c)
{
  if (c->type == COL_TEXT)
    drv_bind_text_static(s, i, col_text(h, c), -1);
  else if (c->type == COL_REF && col_int(h, c) == 0)
    drv_bind_null(s, i);
  else
    drv_bind_int64(s, i, col_int(h, c));
}

static void bind_hazard(drv_stmt *s, const cbc_hazard *h)
{
  drv_bind_int64(s, 1, (int)h->state);
  drv_bind_int64(s, 2, h->reporter_id);
  drv_bind_int64(s, 3, h->unit_id);
  drv_bind_int64(s, 4, h->enterprise_id);
  store_bind_text(s, 5, h->title);
  store_bind_text(s, 6, h->description);
  store_bind_text(s, 7, h->location);
  drv_bind_int64(s, 8, (int)h->kind);
  drv_bind_int64(s, 9, (int)h->category);
  drv_bind_int64(s, 10, (int)h->check_item);
  drv_bind_int64(s, 11, (int)h->source);
  drv_bind_int64(s, 12, h->observed_at);
  drv_bind_int64(s, 13, h->reported_at);
  drv_bind_int64(s, 14, (int)h->proposed_severity);
  drv_bind_int64(s, 15, (int)h->severity);
  drv_bind_int64(s, 16, (int)h->level);
  drv_bind_int64(s, 17, (int)h->resolved_level);
  drv_bind_int64(s, 18, h->responsible_id);
  store_bind_text(s, 19, h->measures);
  drv_bind_int64(s, 20, h->funds_fen);
  drv_bind_int64(s, 21, h->original_deadline);
  drv_bind_int64(s, 22, h->deadline);
  store_bind_text(s, 23, h->contingency_plan);
  drv_bind_int64(s, 24, (int)h->has_plan);
  store_bind_text(s, 25, h->plan.goals);
  store_bind_text(s, 26, h->plan.methods);
  store_bind_text(s, 27, h->plan.funds_materials);
  store_bind_text(s, 28, h->plan.responsible_bodies);
  drv_bind_int64(s, 29, h->plan.time_limit);
  store_bind_text(s, 30, h->plan.safety_measures);
  store_bind_text(s, 31, h->reject_reason);
  drv_bind_int64(s, 32, h->duplicate_of);
  drv_bind_int64(s, 33, (int)h->listed);
  store_bind_text(s, 34, h->listing_authority);
  store_bind_text(s, 35, h->listing_document);
  drv_bind_int64(s, 36, h->listed_at);
  drv_bind_int64(s, 37, h->listed_by);
  drv_bind_int64(s, 38, (int)h->extension_pending);
  drv_bind_int64(s, 39, h->extension_requested_deadline);
  drv_bind_int64(s, 40, (int)h->reopen_count);
  drv_bind_int64(s, 41, h->submitted_by);
  store_bind_text(s, 42, h->last_note);
  drv_bind_int64(s, 43, h->closed_at);
  drv_bind_int64(s, 44, h->updated_at);
}

/* A text column as SQLite hands it over: NULL for the NULL columns of the
 * moves' read (the stored columns are NOT NULL). */
static const char *col_text_or_null(drv_stmt *s, int i)
{
  return drv_column_text(s, i);
}

static void read_hazard(drv_stmt *s, cbc_hazard *h)
{
  memset(h, 0, sizeof(*h));
  h->id = drv_column_int64(s, 0);
  h->state = (cbc_hazard_state)drv_column_int(s, 1);
  h->reporter_id = drv_column_int64(s, 2);
  h->unit_id = drv_column_int64(s, 3);
  h->enterprise_id = drv_column_int64(s, 4);
  h->title = (char *)col_text_or_null(s, 5);
  h->description = (char *)col_text_or_null(s, 6);
  h->location = (char *)col_text_or_null(s, 7);
  h->kind = (cbc_hazard_kind)drv_column_int(s, 8);
  h->category = (cbc_hazard_category)drv_column_int(s, 9);
  h->check_item = (cbc_check_item)drv_column_int(s, 10);
  h->source = (cbc_hazard_source)drv_column_int(s, 11);
  h->observed_at = drv_column_int64(s, 12);
  h->reported_at = drv_column_int64(s, 13);
  h->proposed_severity = (cbc_severity)drv_column_int(s, 14);
  h->severity = (cbc_severity)drv_column_int(s, 15);
  h->level = (cbc_level)drv_column_int(s, 16);
  h->resolved_level = (cbc_level)drv_column_int(s, 17);
  h->responsible_id = drv_column_int64(s, 18);
  h->measures = (char *)col_text_or_null(s, 19);
  h->funds_fen = drv_column_int64(s, 20);
  h->original_deadline = drv_column_int64(s, 21);
  h->deadline = drv_column_int64(s, 22);
  h->contingency_plan = (char *)col_text_or_null(s, 23);
  h->has_plan = drv_column_int(s, 24);
  h->plan.goals = col_text_or_null(s, 25);
  h->plan.methods = col_text_or_null(s, 26);
  h->plan.funds_materials = col_text_or_null(s, 27);
  h->plan.responsible_bodies = col_text_or_null(s, 28);
  h->plan.time_limit = drv_column_int64(s, 29);
  h->plan.safety_measures = col_text_or_null(s, 30);
  h->reject_reason = (char *)col_text_or_null(s, 31);
  h->duplicate_of = drv_column_int64(s, 32);
  h->listed = drv_column_int(s, 33);
  h->listing_authority = (char *)col_text_or_null(s, 34);
  h->listing_document = (char *)col_text_or_null(s, 35);
  h->listed_at = drv_column_int64(s, 36);
  h->listed_by = drv_column_int64(s, 37);
  h->extension_pending = drv_column_int(s, 38);
  h->extension_requested_deadline = drv_column_int64(s, 39);
  h->reopen_count = drv_column_int(s, 40);
  h->submitted_by = drv_column_int64(s, 41);
  h->last_note = (char *)col_text_or_null(s, 42);
  h->closed_at = drv_column_int64(s, 43);
  h->updated_at = drv_column_int64(s, 44);
}

static int get_hazard(cbc_store *st, store_stmt_id sid, const char *sql, int64_t id,
                      cbc_hazard *h)
{
  drv_stmt *s;
  int rc = store_stmt(st, sid, sql, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "hazard");
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_ENOTFOUND, "hazard %lld not found", (long long)id);
  if (!rc)
    read_hazard(s, h);
  return rc ? rc : cbc_store__hazard_row_check(h);
}

int cbc_store__hazard_get(cbc_store *st, int64_t id, cbc_hazard *h)
{
  return get_hazard(st, STMT_HZ_GET, select_sql, id, h);
}

int cbc_store__hazard_get_move(cbc_store *st, int64_t id, cbc_hazard *h)
{
  if (store_on_postgres(st) && st->in_call) /* a write call's read: it will write the row */
    return get_hazard(st, STMT_HZ_GET_LOCKED, select_move_locked_sql, id, h);
  return get_hazard(st, STMT_HZ_GET_MOVE, select_move_sql, id, h);
}

int cbc_store__hazard_place(cbc_store *st, int64_t id, cbc_hazard_state *state,
                            int64_t *enterprise)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_STATE, "SELECT state, enterprise_id FROM hazards WHERE id = ?1",
                      &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  rc = store_step_row(st, s, "hazard");
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_ENOTFOUND, "hazard %lld not found", (long long)id);
  if (!rc) {
    *state = (cbc_hazard_state)drv_column_int(s, 0);
    *enterprise = drv_column_int64(s, 1);
  }
  return rc;
}

int cbc_store__hazard_state(cbc_store *st, int64_t id, cbc_hazard_state *out)
{
  int64_t enterprise;
  return cbc_store__hazard_place(st, id, out, &enterprise);
}

int cbc_store__hazard_insert(cbc_store *st, const cbc_hazard *h,
                             const unsigned char *followup_hash, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_INSERT, insert_sql, &s);
  if (rc)
    return rc;
  bind_hazard(s, h);
  if (followup_hash)
    drv_bind_blob_static(s, 45, followup_hash, CBC_STORE_FOLLOWUP_HASH);
  rc = store_exec_insert(st, s, "recording a hazard", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_HAZARD, *out_id);
}

/* The cached UPDATE setting the columns in @p mask (prepared on first use;
 * the least recently prepared is dropped when the cache is full). */
static int update_stmt(cbc_store *st, uint64_t mask, drv_stmt **out)
{
  for (size_t i = 0; i < STORE_UPDATE_CACHE; i++)
    if (st->updates[i].stmt && st->updates[i].mask == mask) {
      *out = st->updates[i].stmt;
      return 0;
    }
  char sql[1024];
  size_t len = (size_t)snprintf(sql, sizeof(sql), "UPDATE hazards SET ");
  int param = 2;
  for (size_t i = 0; i < N_UPDATE_COLS; i++) {
    if (!(mask & ((uint64_t)1 << i)))
      continue;
    len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s%s = ?%d", param > 2 ? ", " : "",
                            update_cols[i].name, param);
    param++;
  }
  snprintf(sql + len, sizeof(sql) - len, " WHERE id = ?1");
  drv_stmt *s;
  int rc = store_prepare(st, sql, true, &s);
  if (rc)
    return rc;
  size_t slot = st->updates_next++ % STORE_UPDATE_CACHE;
  drv_finalize(st->updates[slot].stmt);
  st->updates[slot].mask = mask;
  st->updates[slot].stmt = s;
  *out = s;
  return 0;
}

int cbc_store__hazard_update(cbc_store *st, const cbc_hazard *before, const cbc_hazard *h)
{
  uint64_t mask = 0;
  for (size_t i = 0; i < N_UPDATE_COLS; i++)
    if (col_changed(before, h, &update_cols[i]))
      mask |= (uint64_t)1 << i;
  if (!mask)
    return 0;
  drv_stmt *s;
  int rc = update_stmt(st, mask, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, h->id);
  int param = 2;
  for (size_t i = 0; i < N_UPDATE_COLS; i++)
    if (mask & ((uint64_t)1 << i))
      bind_col(s, param++, h, &update_cols[i]);
  return store_exec_stmt(st, s, "updating a hazard");
}

int cbc_store__hazard_by_followup(cbc_store *st, const unsigned char *hash, int64_t *out_id,
                                  unsigned char *stored)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_BY_KEY,
                      "SELECT id, followup_hash FROM hazards WHERE followup_hash = ?1", &s);
  if (rc)
    return rc;
  drv_bind_blob_static(s, 1, hash, CBC_STORE_FOLLOWUP_HASH);
  rc = store_step_row(st, s, "follow-up key");
  if (rc == CBC_ENOTFOUND)
    rc = cbc__error(CBC_ENOTFOUND, "no hazard has this follow-up key");
  else if (!rc && drv_column_bytes(s, 1) != CBC_STORE_FOLLOWUP_HASH)
    rc = cbc__error(CBC_ECORRUPT, "hazard %lld: a damaged follow-up hash",
                    (long long)drv_column_int64(s, 0));
  if (!rc) {
    *out_id = drv_column_int64(s, 0);
    memcpy(stored, drv_column_blob(s, 1), CBC_STORE_FOLLOWUP_HASH);
  }
  drv_reset(s);
  return rc;
}

int cbc_store__hazard_set_followup(cbc_store *st, int64_t id, const unsigned char *hash)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_SET_FOLLOWUP,
                      "UPDATE hazards SET followup_hash = ?2 WHERE id = ?1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  drv_bind_blob_static(s, 2, hash, CBC_STORE_FOLLOWUP_HASH);
  return store_exec_stmt(st, s, "replacing a follow-up key");
}

int cbc_store__followup_misses(cbc_store *st, int64_t period, int64_t *out)
{
  return store_int_by_id(st, STMT_FOLLOWUP_MISSES,
                         "SELECT misses FROM followup_misses WHERE period = ?1", period, out);
}

int cbc_store__followup_miss_add(cbc_store *st, int64_t period)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FOLLOWUP_MISS_PRUNE,
                      "DELETE FROM followup_misses WHERE period < ?1", &s);
  if (!rc) {
    drv_bind_int64(s, 1, period);
    rc = store_exec_stmt(st, s, "forgetting old wrong follow-up keys");
  }
  if (!rc)
    rc = store_stmt(st, STMT_FOLLOWUP_MISS_ADD,
                    "INSERT INTO followup_misses(period, misses) VALUES (?1, 1) "
                    "ON CONFLICT(period) DO UPDATE SET misses = followup_misses.misses + 1", &s);
  if (!rc) {
    drv_bind_int64(s, 1, period);
    rc = store_exec_stmt(st, s, "counting a wrong follow-up key");
  }
  return rc;
}

/* cbc_followup_hash(text): the hash of a stored plain key, for the
 * migration that replaces plain keys by their hashes. */
static void followup_hash_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  unsigned char hash[CBC_STORE_FOLLOWUP_HASH];
  (void)argc;
  const unsigned char *key = sqlite3_value_text(argv[0]);
  if (!key) {
    sqlite3_result_null(ctx);
    return;
  }
  if (cbc__followup_hash_bytes(key, (size_t)sqlite3_value_bytes(argv[0]), hash) != 0) {
    sqlite3_result_error(ctx, "libsodium could not be initialised", -1);
    return;
  }
  sqlite3_result_blob(ctx, hash, sizeof(hash), SQLITE_TRANSIENT);
}

/* cbc_event_pack(data, id, action, at, actor_id, then the hazard row's
 * reporter_id, unit_id, enterprise_id, observed_at, title, description,
 * location, source, proposed_severity): the packed form of a stored JSON
 * event when it gives back exactly that JSON, else the JSON unchanged (for
 * the migration to packed events, lib/event_codec.h). */
static void event_pack_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  (void)argc;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    sqlite3_result_value(ctx, argv[0]);
    return;
  }
  const char *json = (const char *)sqlite3_value_text(argv[0]);
  cbc_hazard_event ev = { sqlite3_value_int64(argv[1]), 0, sqlite3_value_int64(argv[3]),
                          sqlite3_value_int64(argv[4]),
                          (cbc_hazard_action)sqlite3_value_int(argv[2]), (cbc_hazard_state)0,
                          (cbc_hazard_state)0, (cbc_level)0, (char *)json };
  cbc_hazard row = { 0 };
  row.reporter_id = sqlite3_value_int64(argv[5]);
  row.unit_id = sqlite3_value_int64(argv[6]);
  row.enterprise_id = sqlite3_value_int64(argv[7]);
  row.observed_at = sqlite3_value_int64(argv[8]);
  row.title = (char *)sqlite3_value_text(argv[9]);
  row.description = (char *)sqlite3_value_text(argv[10]);
  row.location = (char *)sqlite3_value_text(argv[11]);
  row.source = (cbc_hazard_source)sqlite3_value_int(argv[12]);
  row.proposed_severity = (cbc_severity)sqlite3_value_int(argv[13]);
  unsigned char *packed = NULL;
  size_t len = 0;
  if (cbc__event_repack(json ? json : "", &ev, &row, &packed, &len) != 0)
    sqlite3_result_error_nomem(ctx);
  else if (packed)
    sqlite3_result_blob(ctx, packed, (int)len, SQLITE_TRANSIENT);
  else
    sqlite3_result_value(ctx, argv[0]);
  cbc__free(packed);
}

int store_register_functions(cbc_store *st)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
  int rc = sqlite3_create_function_v2(st->db, "cbc_followup_hash", 1, flags, NULL,
                                      followup_hash_fn, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(st->db, "cbc_event_pack", 14, flags, NULL, event_pack_fn,
                                    NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return store_error(st, rc, "registering SQL functions");
  return store_register_text_match(st);
}

int cbc_store__hazard_event_add(cbc_store *st, const cbc_hazard_event *ev, int64_t tenant,
                                const void *packed, size_t len, int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_EVENT_ADD,
                      "INSERT INTO hazard_events(hazard_id, at, actor_id, action, from_state,"
                      " to_state, level, data, enterprise_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                      &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, ev->hazard_id);
  drv_bind_int64(s, 2, ev->at);
  drv_bind_int64(s, 3, ev->actor_id);
  drv_bind_int64(s, 4, ev->action);
  drv_bind_int64(s, 5, ev->from_state);
  drv_bind_int64(s, 6, ev->to_state);
  drv_bind_int64(s, 7, ev->level);
  drv_bind_blob_static(s, 8, packed, (int)len);
  drv_bind_int64(s, 9, tenant);
  int64_t id;
  rc = store_exec_insert(st, s, "recording a hazard event", &id);
  if (!rc)
    rc = cbc_store__chain_note(st, CBC_HISTORY_HAZARD_EVENT, id);
  if (!rc && out_id)
    *out_id = id;
  return rc;
}

int cbc_store__hazard_events(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id)
{
  return store_cursor_ints(out, st, "SELECT id, hazard_id, at, actor_id, action, from_state,"
                                     " to_state, level, data FROM hazard_events"
                                     " WHERE hazard_id = ?1 ORDER BY id", 1, &hazard_id);
}

/* The packed data (a BLOB) in *packed; data stored as JSON text (before
 * schema step 14, or by hand) in ev->data with *packed = NULL. */
static void read_event_data(drv_stmt *s, int i, cbc_hazard_event *ev, const void **packed,
                            size_t *len)
{
  ev->data = NULL;
  *packed = NULL;
  *len = 0;
  if (!drv_column_is_blob(s, i)) {
    ev->data = (char *)store_col_text(s, i);
    return;
  }
  *packed = drv_column_blob(s, i);
  *len = (size_t)drv_column_bytes(s, i);
  if (!*packed)
    *packed = ""; /* an empty BLOB: packed, and refused by the decoder */
}

int cbc_store__cursor_hazard_event(cbc_store_cursor *c, cbc_hazard_event *ev,
                                   const void **packed, size_t *len)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  drv_stmt *s = c->stmt;
  ev->id = drv_column_int64(s, 0);
  ev->hazard_id = drv_column_int64(s, 1);
  ev->at = drv_column_int64(s, 2);
  ev->actor_id = drv_column_int64(s, 3);
  ev->action = (cbc_hazard_action)drv_column_int(s, 4);
  ev->from_state = (cbc_hazard_state)drv_column_int(s, 5);
  ev->to_state = (cbc_hazard_state)drv_column_int(s, 6);
  ev->level = (cbc_level)drv_column_int(s, 7);
  read_event_data(s, 8, ev, packed, len);
  return cbc_store__hazard_event_row_check(ev);
}

int cbc_store__event_int(cbc_store *st, int64_t hazard_id, cbc_hazard_action action,
                         const char *name, int64_t *out)
{
  drv_stmt *s;
  bool found;
  *out = 0;
  int rc = store_stmt(st, STMT_HZ_EVENT_FIRST,
                      "SELECT id, hazard_id, at, actor_id, action, data FROM hazard_events"
                      " WHERE hazard_id = ?1 AND action = +?2 ORDER BY id LIMIT 1", &s);
  /* +?2: compared with the partial index hazard_events_listing's
   * "action = 6", a bare ?2 would make SQLite prepare the statement again
   * at every bind (the reward evaluation calls this once per hazard) */
  if (rc)
    return rc;
  drv_bind_int64(s, 1, hazard_id);
  drv_bind_int64(s, 2, action);
  rc = store_step_maybe(st, s, "reading a hazard event", &found);
  if (!rc && found) {
    cbc_hazard_event ev = { drv_column_int64(s, 0), drv_column_int64(s, 1),
                            drv_column_int64(s, 2), drv_column_int64(s, 3),
                            action, (cbc_hazard_state)0, (cbc_hazard_state)0,
                            (cbc_level)0, NULL };
    const void *packed;
    size_t len;
    read_event_data(s, 5, &ev, &packed, &len);
    rc = packed ? cbc__event_int(packed, len, true, &ev, name, out)
                : cbc__event_int(ev.data, strlen(ev.data), false, &ev, name, out);
  }
  drv_reset(s);
  return rc;
}

int cbc_store__hazard_attachment_add(cbc_store *st, int64_t hazard_id, int64_t tenant,
                                     int64_t event_id, const cbc_hazard_attachment *a)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_HZ_ATTACH_ADD,
                      "INSERT INTO hazard_attachments(hazard_id, event_id, uri, media_type, size,"
                      " sha256, stage, added_at, added_by, enterprise_id)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, hazard_id);
  drv_bind_int64(s, 2, event_id);
  store_bind_text(s, 3, a->uri);
  store_bind_text(s, 4, a->media_type);
  drv_bind_int64(s, 5, a->size);
  store_bind_text(s, 6, a->sha256);
  drv_bind_int64(s, 7, a->stage);
  drv_bind_int64(s, 8, a->added_at);
  drv_bind_int64(s, 9, a->added_by);
  drv_bind_int64(s, 10, tenant);
  int64_t id;
  rc = store_exec_insert(st, s, "recording an attachment", &id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_ATTACHMENT, id);
}

int cbc_store__hazard_attachments(cbc_store_cursor **out, cbc_store *st, int64_t hazard_id)
{
  return store_cursor_ints(out, st, "SELECT uri, media_type, size, sha256, stage, added_at,"
                                     " added_by FROM hazard_attachments WHERE hazard_id = ?1"
                                     " ORDER BY id", 1, &hazard_id);
}

int cbc_store__cursor_attachment(cbc_store_cursor *c, cbc_hazard_attachment *a)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  drv_stmt *s = c->stmt;
  a->uri = (char *)store_col_text(s, 0);
  a->media_type = (char *)store_col_text(s, 1);
  a->size = drv_column_int64(s, 2);
  a->sha256 = (char *)store_col_text(s, 3);
  a->stage = (cbc_attachment_stage)drv_column_int(s, 4);
  a->added_at = drv_column_int64(s, 5);
  a->added_by = drv_column_int64(s, 6);
  return 0;
}

const char *cbc_store__hazard_select_head(void)
{
  static const char head[] = "SELECT " HAZARD_COLUMNS(WITH_TEXT) " FROM hazards";
  return head;
}

int cbc_store__cursor_hazard(cbc_store_cursor *c, cbc_hazard *h)
{
  int rc = store_cursor_step(c);
  if (!rc)
    read_hazard(c->stmt, h);
  return rc ? rc : cbc_store__hazard_row_check(h);
}
