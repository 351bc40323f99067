/* Rebuilding the statistics' aggregates from the records, in bounded steps
 * (include/cbc/stats.h cbc_stats_rebuild_step(); docs/statistics.md,
 * "Rebuilding"), and the state that tells writers which attribution units
 * they keep and forms which units the aggregates can answer for.
 *
 * The state lives in `settings`: OFFSET_KEY holds the UTC offset the
 * aggregates are complete for, STALE (nobody keeps them), or REBUILDING; while
 * REBUILDING, REBUILD_OFFSET_KEY holds the rebuild's offset and CURSOR_KEY
 * the last attribution unit rebuilt (absent: the old rows are still being
 * cleared).  The invariant of a rebuild: every attribution unit up to the
 * cursor has exactly the aggregates the records give, and no other has any
 * row.  A step rebuilds whole units under the write lock and moves the
 * cursor in the same transaction; writers with the rebuild's offset count
 * what they write for units up to the cursor and nothing for the others,
 * which a later step reads from the records; anyone else writing a record
 * resets the state to STALE, so nothing they wrote is missed. */
#include "stats_internal.h"
#include "org_scope.h"
#include <stdint.h>

static const char OFFSET_KEY[] = "stats_utc_offset";
static const char REBUILD_OFFSET_KEY[] = "stats_rebuild_offset";
static const char CURSOR_KEY[] = "stats_rebuild_cursor";
#define STALE INT64_MIN
#define REBUILDING (INT64_MIN + 1)

typedef struct stats_state {
  bool complete;   /* built for this handle's offset */
  bool idle;       /* stale or never built, no rebuild under way: nobody keeps them */
  bool rebuilding; /* a rebuild for this handle's offset is under way */
  int64_t cursor;  /* rebuilding: the last attribution unit rebuilt, -1 while clearing */
} stats_state;

static int read_state(cbc_db *db, stats_state *s)
{
  int64_t offset, rebuild_offset = 0;
  bool found, rebuild_found = false, cursor_found = false;
  *s = (stats_state){ false, false, false, -1 };
  int rc = cbc_store__setting_get(db->store, OFFSET_KEY, &offset, &found);
  if (!rc && found && offset == REBUILDING)
    rc = cbc_store__setting_get(db->store, REBUILD_OFFSET_KEY, &rebuild_offset,
                                &rebuild_found);
  s->complete = !rc && found && offset == cbc_db_utc_offset(db);
  s->idle = !rc && (!found || offset == STALE);
  s->rebuilding = !rc && rebuild_found && rebuild_offset == cbc_db_utc_offset(db);
  if (!rc && s->rebuilding)
    rc = cbc_store__setting_get(db->store, CURSOR_KEY, &s->cursor, &cursor_found);
  if (!rc && !cursor_found)
    s->cursor = -1;
  return rc;
}

/* Nobody keeps the aggregates until a rebuild: every handle reads records. */
static int mark_stale(cbc_db *db)
{
  int rc = cbc_store__setting_put(db->store, OFFSET_KEY, STALE);
  if (!rc)
    rc = cbc_store__setting_delete(db->store, REBUILD_OFFSET_KEY);
  if (!rc)
    rc = cbc_store__setting_delete(db->store, CURSOR_KEY);
  db->stats_state_known = false;
  return rc;
}

int cbc__stats_keep(cbc_db *db, bool *keeping)
{
  *keeping = true;
  if (db->stats_only)
    return 0;
  uint64_t generation = cbc_store__org_generation(db->store);
  if (db->stats_state_known && db->stats_state_at == generation) {
    *keeping = db->stats_through >= 0;
    return 0;
  }
  stats_state s;
  bool defer = (db->flags & CBC_DB_DEFER_STATS) != 0;
  int rc = read_state(db, &s);
  /* a record this handle does not count would be missing from aggregates
   * someone keeps: complete for another offset, or being rebuilt */
  if (!rc && !s.idle && (defer || (!s.complete && !s.rebuilding)))
    rc = mark_stale(db);
  if (rc)
    return rc;
  db->stats_through = defer ? -1 : s.complete ? INT64_MAX : s.rebuilding ? s.cursor : -1;
  db->stats_state_at = cbc_store__org_generation(db->store);
  db->stats_state_known = true;
  *keeping = db->stats_through >= 0;
  return 0;
}

bool cbc__stats_counts_for(const cbc_db *db, int64_t attributed)
{
  return db->stats_only ? attributed == db->stats_only : attributed <= db->stats_through;
}

int cbc__stats_ready(cbc_db *db, bool *ready)
{
  stats_state s;
  int rc = read_state(db, &s);
  *ready = !rc && s.complete;
  return rc;
}

int cbc__stats_usable(cbc_db *db, const cbc__scope *sc, bool *usable)
{
  stats_state s;
  int rc = read_state(db, &s);
  *usable = !rc && (s.complete || (s.rebuilding && sc->kind == CBC_UNIT_ENTERPRISE &&
                                   sc->unit <= s.cursor));
  return rc;
}

/* ------------------------------------------------------------------ open */

/* Under the write lock: a database without records or aggregates has its
 * (empty) aggregates complete for this offset. */
static int start_empty(cbc_db *db)
{
  int64_t offset;
  bool found, any = true;
  int rc = cbc_store__setting_get(db->store, OFFSET_KEY, &offset, &found);
  if (!rc && !found)
    rc = cbc_store__stats_has_records(db->store, &any);
  return rc || found || any ? rc : cbc_store__setting_put(db->store, OFFSET_KEY,
                                                          cbc_db_utc_offset(db));
}

int cbc__stats_open(cbc_db *db)
{
  int64_t offset;
  bool found, any = true;
  if (db->flags & (CBC_DB_READONLY | CBC_DB_DEFER_STATS))
    return 0;
  int rc = cbc_store__setting_get(db->store, OFFSET_KEY, &offset, &found);
  if (!rc && !found)
    rc = cbc_store__stats_has_records(db->store, &any);
  if (rc || found || any)
    return rc;
  if ((rc = cbc__db_write_begin(db, 0)) == 0)
    rc = cbc__db_write_end(db, start_empty(db));
  return rc;
}

/* --------------------------------------------------------------- replay */

#define BIT(c) (1u << (c))

/* One row of a scan of a unit's records, counted. */
typedef int (*replay_fn)(cbc_db *db, const int64_t *row);

static int replay_hazard(cbc_db *db, const int64_t *r)
{
  cbc_hazard h = { 0 }; /* no reporter: the people's pass marks them */
  h.enterprise_id = r[0];
  h.reported_at = r[1];
  h.closed_at = r[3];
  int rc = cbc__stats_hazard_reported(db, &h);
  if (!rc && r[2] == CBC_HAZARD_CLOSED)
    rc = cbc__stats_hazard_moved(db, NULL, &h, CBC_ACTION_VERIFY_PASS, h.closed_at);
  return rc;
}

static int replay_listing(cbc_db *db, const int64_t *r)
{
  cbc_hazard h = { 0 };
  h.enterprise_id = r[0];
  return cbc__stats_hazard_moved(db, NULL, &h, CBC_ACTION_LIST_SUPERVISION, r[1]);
}

static int replay_training(cbc_db *db, const int64_t *r)
{
  return cbc__stats_bump(db, r[0], r[1], cbc__stats_training_counters((cbc_training_kind)r[2]),
                         1);
}

static int replay_drill(cbc_db *db, const int64_t *r)
{
  return cbc__stats_bump(db, r[0], r[1], BIT(CBC_STAT_ACTIVITY), 1);
}

static int replay_visit(cbc_db *db, const int64_t *r)
{
  return cbc__stats_bump(db, r[0], r[1], BIT(CBC_STAT_VISITS), 1);
}

static int replay_proposal(cbc_db *db, const int64_t *r)
{
  return cbc__stats_bump(db, r[0], r[1], BIT(CBC_STAT_ACTIVITY), 1);
}

/* A participation (employee, time, training kind or 0, unit), marked where
 * it counts (only the unit being rebuilt takes it). */
static int replay_person(cbc_db *db, const int64_t *r)
{
  return cbc__stats_took_part(db, r[0], r[3], r[1],
                              r[2] ? cbc__stats_attendance_ways((cbc_training_kind)r[2])
                                   : CBC__TOOK_PART);
}

static const struct {
  cbc_store_unit_replay which;
  int width;
  replay_fn each;
} scans[] = {
  { CBC_UNIT_REPLAY_HAZARDS, 4, replay_hazard },
  { CBC_UNIT_REPLAY_LISTINGS, 2, replay_listing },
  { CBC_UNIT_REPLAY_TRAININGS, 3, replay_training },
  { CBC_UNIT_REPLAY_DRILLS, 2, replay_drill },
  { CBC_UNIT_REPLAY_VISITS, 2, replay_visit },
  { CBC_UNIT_REPLAY_PROPOSALS, 2, replay_proposal },
  { CBC_UNIT_REPLAY_PEOPLE, 4, replay_person },
};

static int replay(cbc_db *db, size_t scan, int64_t unit_id, bool enterprise, int64_t *records)
{
  cbc_store_cursor *c;
  int64_t row[4];
  int rc = cbc_store__unit_replay(&c, db->store, scans[scan].which, unit_id, enterprise);
  while (!rc && (rc = cbc_store__cursor_ints(c, row, scans[scan].width)) == 0) {
    rc = scans[scan].each(db, row);
    ++*records;
  }
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* Count every record of attribution unit @p unit_id, and only for it (the
 * records a scan finds may count for other units too: a reporter from
 * elsewhere; those units are rebuilt in their own turn). */
static int rebuild_unit(cbc_db *db, int64_t unit_id, bool enterprise, int64_t *records)
{
  int rc = 0;
  ++*records; /* the unit itself: a step over units without records is bounded too */
  db->stats_only = unit_id;
  for (size_t i = 0; i < sizeof(scans) / sizeof(scans[0]) && !rc; i++)
    rc = replay(db, i, unit_id, enterprise, records);
  db->stats_only = 0;
  return rc;
}

/* ---------------------------------------------------------------- steps */

/* Start a rebuild for this handle's offset: the old rows are cleared first. */
static int start(cbc_db *db, stats_state *s)
{
  int rc = cbc_store__setting_put(db->store, OFFSET_KEY, REBUILDING);
  if (!rc)
    rc = cbc_store__setting_put(db->store, REBUILD_OFFSET_KEY, cbc_db_utc_offset(db));
  if (!rc)
    rc = cbc_store__setting_delete(db->store, CURSOR_KEY);
  s->rebuilding = !rc;
  s->cursor = -1;
  return rc;
}

/* Clear up to the step's budget of old rows; once none are left, the units
 * start (cursor 0: none rebuilt yet). */
static int clear_some(cbc_db *db, int64_t max_work, cbc_stats_progress *p, stats_state *s)
{
  int rc = cbc_store__stats_clear_some(db->store, max_work, &p->rows_cleared);
  if (!rc && p->rows_cleared < max_work)
    s->cursor = 0;
  return rc;
}

/* Rebuild the next attribution unit, or finish when none is left. */
static int rebuild_next(cbc_db *db, stats_state *s, cbc_stats_progress *p)
{
  int64_t unit_id;
  int kind;
  int rc = cbc_store__attribution_unit_after(db->store, s->cursor, &unit_id, &kind);
  if (!rc && unit_id) {
    rc = rebuild_unit(db, unit_id, kind == CBC_UNIT_ENTERPRISE, &p->records);
    s->cursor = unit_id;
    return rc;
  }
  if (!rc)
    rc = cbc_store__setting_put(db->store, OFFSET_KEY, cbc_db_utc_offset(db));
  if (!rc)
    rc = cbc_store__setting_delete(db->store, REBUILD_OFFSET_KEY);
  if (!rc)
    rc = cbc_store__setting_delete(db->store, CURSOR_KEY);
  s->complete = !rc;
  s->rebuilding = false;
  return rc;
}

/* One step; @p anew starts a rebuild even of complete aggregates (an audit,
 * a repair), else a rebuild under way goes on. */
static int step_in_txn(cbc_db *db, int64_t max_work, bool anew, cbc_stats_progress *p,
                       bool *done)
{
  stats_state s;
  db->stats_state_known = false; /* the step moves it on */
  int rc = read_state(db, &s);
  if (!rc && anew && s.complete)
    s.complete = false;
  if (!rc && !s.complete && !s.rebuilding)
    rc = start(db, &s);
  if (!rc && s.rebuilding && s.cursor < 0)
    rc = clear_some(db, max_work, p, &s);
  while (!rc && s.rebuilding && s.cursor >= 0 && p->rows_cleared + p->records < max_work)
    rc = rebuild_next(db, &s, p);
  if (!rc && s.rebuilding && s.cursor >= 0)
    rc = cbc_store__setting_put(db->store, CURSOR_KEY, s.cursor);
  if (!rc)
    rc = cbc_store__attribution_units_count(db->store, s.complete ? INT64_MAX : s.cursor,
                                            &p->units_done, &p->units_total);
  *done = s.complete;
  return rc;
}

static int check_rebuilder(cbc_db *db)
{
  int rc = cbc__db_check_write(db);
  if (!rc && (db->flags & CBC_DB_DEFER_STATS))
    rc = cbc__error(CBC_ESTATE, "this handle defers the statistics (CBC_DB_DEFER_STATS); "
                    "rebuild them from a handle opened without it");
  return rc;
}

CBC_EXTERN(int) cbc_stats_rebuild_step(cbc_db *db, int64_t max_work, unsigned int flags,
                                       cbc_stats_progress *progress)
{
  int rc = check_rebuilder(db);
  if (!rc && (flags & ~(unsigned int)CBC_STATS_REBUILD_ANEW))
    rc = cbc__error(CBC_EINVAL, "unknown rebuild flags 0x%x", flags);
  if (!rc && progress)
    rc = cbc__check_version("cbc_stats_progress", progress->version,
                            CBC_STATS_PROGRESS_VERSION);
  if (!rc && max_work < 1)
    rc = cbc__error(CBC_EINVAL, "max_work %lld: a step does at least 1 unit of work",
                    (long long)max_work);
  if (rc)
    return rc;
  cbc_stats_progress p = CBC_STATS_PROGRESS_INIT;
  bool done = false;
  if ((rc = cbc__db_write_begin(db, CBC__WRITE_STATS_REBUILD)) == 0)
    rc = cbc__db_write_end(db, step_in_txn(db, max_work, flags & CBC_STATS_REBUILD_ANEW, &p,
                                           &done));
  db->stats_state_known = false;
  if (rc)
    return rc;
  if (progress) /* version 1, the only one: every field */
    *progress = p;
  return done ? 0 : 1;
}

/* Complete aggregates are rebuilt too (an audit, a repair); a rebuild under
 * way for this offset goes on. */
CBC_EXTERN(int) cbc_stats_rebuild(cbc_db *db)
{
  int rc;
  while ((rc = cbc_stats_rebuild_step(db, CBC_STATS_STEP_DEFAULT, CBC_STATS_REBUILD_ANEW,
                                      NULL)) == 1)
    ;
  return rc;
}
