/* cbc_db: opening, the clock, transaction groups (include/cbc/db.h). */
#include "db_internal.h"
#include "history_internal.h"
#include "reward_internal.h"
#include "org_scope.h"
#include "stats_internal.h"
#include "store/driver.h"
#include <string.h>
#include <time.h>

/* Open handles in the process, so the allocator is not swapped under them. */
static int g_open_count;

int cbc__db_open_count(void) { return __atomic_load_n(&g_open_count, __ATOMIC_SEQ_CST); }

int cbc__db_check(const cbc_db *db)
{
  return db ? 0 : cbc__error(CBC_EINVAL, "invalid argument: the database handle is NULL");
}

int cbc__db_check_write(const cbc_db *db)
{
  int rc = cbc__db_check(db);
  if (!rc && (db->flags & CBC_DB_READONLY))
    rc = cbc__error(CBC_EPERM, "the database is open read-only");
  return rc;
}

/* ---- the event hook: deliver after commit, drop on rollback ---- */

int cbc__db_queue_event(cbc_db *db, const cbc_hazard_event *ev)
{
  cbc__event_queue *q = &db->queue;
  if (!db->hook)
    return 0;
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    cbc_hazard_event *grown = cbc__realloc(q->events, cap * sizeof(*grown));
    if (!grown)
      return cbc__error_oom();
    q->events = grown;
    q->cap = cap;
  }
  cbc_hazard_event *copy = &q->events[q->n];
  *copy = *ev;
  if (!(copy->data = cbc__strdup(ev->data ? ev->data : "{}")))
    return cbc__error_oom();
  q->n++;
  return 0;
}

/* Forget events from index @p from on (their transaction rolled back). */
static void queue_drop(cbc__event_queue *q, size_t from)
{
  while (q->n > from)
    cbc__free(q->events[--q->n].data);
  if (q->mark > q->n)
    q->mark = q->n;
}

/* Hand committed events to the hook.  Its errors never undo the commit;
 * the last one is left in cbc_error_last() for the host to see. */
static void queue_deliver(cbc_db *db)
{
  cbc__event_queue *q = &db->queue;
  for (size_t i = 0; i < q->n && db->hook; i++) {
    int rc = db->hook(&q->events[i], db->hook_payload);
    if (rc)
      cbc__error(rc, "the event hook returned %d for event %lld (the change is committed)", rc,
                 (long long)q->events[i].id);
  }
  queue_drop(q, 0);
}

/* Whether the current call's counter changes wait for the group's commit:
 * a checked-first call in a group (its failure after writing takes the
 * whole group, so nothing of it can stay pending alone). */
static bool stats_wait(const cbc_db *db)
{
  return cbc_store__in_group(db->store) && (db->call_flags & CBC__WRITE_CHECKED_FIRST);
}

int cbc__db_write_begin(cbc_db *db, unsigned int flags)
{
  db->queue.mark = db->queue.n;
  cbc__checkpoints_mark(db);
  int rc = 0;
  bool checked_first = (flags & CBC__WRITE_CHECKED_FIRST) != 0;
  if (!checked_first && cbc_store__in_group(db->store) && !cbc_store__group_failed(db->store))
    rc = cbc__stats_settle(db); /* a savepoint call starts with nothing pending */
  bool rebuild = (flags & CBC__WRITE_STATS_REBUILD) != 0;
  if (!rc)
    rc = cbc_store__write_begin(db->store, checked_first, rebuild);
  if (rc)
    return rc;
  /* before anything is read: the statistics' state must not move meanwhile
   * (outside a group the BEGIN took it) */
  rc = cbc_store__stats_lock(db->store, rebuild);
  if (rc)
    return cbc_store__write_end(db->store, rc);
  db->call_flags = flags;
  return 0;
}

/* A call PostgreSQL chose as a deadlock's victim runs at most this often. */
#define CALL_RUNS 4

bool cbc__db_rerun(cbc_db *db, int rc, int runs)
{
  if (rc != CBC_EBUSY || runs >= CALL_RUNS || !cbc_store__call_may_rerun(db->store))
    return false;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long ms = 1 + now.tv_nsec % (8L * runs);
  struct timespec wait = { 0, ms * 1000000L };
  nanosleep(&wait, NULL);
  return true;
}

int cbc__db_write_call(cbc_db *db, unsigned int flags, cbc__write_fn fn, const void *args,
                       int64_t *out_id)
{
  int64_t id = 0;
  int rc = cbc__db_check_write(db);
  for (int runs = 1; !rc; runs++) {
    if ((rc = cbc__db_write_begin(db, flags)) == 0)
      rc = cbc__db_write_end(db, fn(db, args, &id));
    if (!cbc__db_rerun(db, rc, runs))
      break;
    rc = 0;
  }
  if (!rc && out_id)
    *out_id = id;
  return rc;
}

int cbc__db_write_end(cbc_db *db, int rc)
{
  rc = cbc__stats_org_changed(db, rc); /* before the counters are written */
  bool wait = stats_wait(db);
  if (!rc && !wait)
    rc = cbc__stats_flush(db); /* inside the call's transaction */
  if (!rc) /* the call's records chained, before it commits */
    rc = cbc_store__chain_flush(db->store);
  if (!rc)
    rc = cbc__checkpoints_queue(db);
  rc = cbc_store__write_end(db->store, rc);
  /* a waiting call that failed wrote nothing, unless the group went with it */
  if (rc && (!wait || cbc_store__group_failed(db->store)))
    cbc__stats_discard(db);
  if (rc) {
    bool whole = cbc_store__group_failed(db->store);
    queue_drop(&db->queue, whole ? 0 : db->queue.mark);
    cbc__checkpoints_drop(db, whole);
  } else if (!cbc_store__in_group(db->store)) {
    queue_deliver(db);
    cbc__checkpoints_deliver(db);
  }
  return rc;
}

CBC_EXTERN(int) cbc_hazard_set_event_hook(cbc_db *db, cbc_hazard_event_fn fn, void *payload)
{
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  db->hook = fn;
  db->hook_payload = payload;
  if (!fn)
    queue_drop(&db->queue, 0);
  return 0;
}

CBC__STRUCT_INIT_FN(cbc_db_options_init, cbc_db_options, CBC_DB_OPTIONS_VERSION,
                    CBC_DB_OPTIONS_INIT)

static int check_options(const cbc_db_options *o)
{
  int rc = cbc__check_version("cbc_db_options", o->version, CBC_DB_OPTIONS_VERSION);
  if (rc)
    return rc;
  if (o->flags & ~(unsigned int)(CBC_DB_CREATE | CBC_DB_READONLY | CBC_DB_DEFER_STATS))
    return cbc__error(CBC_EINVAL, "cbc_db_options: unknown flags 0x%x", o->flags);
  if ((o->flags & CBC_DB_CREATE) && (o->flags & CBC_DB_READONLY))
    return cbc__error(CBC_EINVAL, "cbc_db_options: CBC_DB_CREATE and CBC_DB_READONLY exclude "
                                  "each other");
  if (o->busy_timeout_ms < 0)
    return cbc__error(CBC_EINVAL, "cbc_db_options: busy_timeout_ms is negative");
  if (o->utc_offset_seconds <= -86400 || o->utc_offset_seconds >= 86400)
    return cbc__error(CBC_EINVAL, "cbc_db_options: utc_offset_seconds %d is outside "
                                  "-86399..86399", o->utc_offset_seconds);
  if (o->synchronous != CBC_DB_SYNC_NORMAL && o->synchronous != CBC_DB_SYNC_FULL)
    return cbc__error(CBC_EINVAL, "cbc_db_options: unknown synchronous value %d",
                      (int)o->synchronous);
  return 0;
}

CBC_EXTERN(int) cbc_db_target_is_server(const char *path) { return drv_is_postgres(path); }

CBC_EXTERN(int) cbc_db_open(cbc_db **out, const char *path, const cbc_db_options *opts)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(path);
  cbc_db_options defaults = CBC_DB_OPTIONS_INIT;
  const cbc_db_options *o = opts ? opts : &defaults;
  int rc = check_options(o);
  if (rc)
    return rc;
  if (!cbc__utf8_valid(path, strlen(path)) || !*path)
    return cbc__error(CBC_EINVAL, "the database path is empty or not UTF-8");
  cbc_db *db = cbc__calloc(1, sizeof(*db));
  if (!db)
    return cbc__error_oom();
  rc = cbc_store__open(&db->store, path, o);
  if (rc) {
    cbc__free(db);
    return rc;
  }
  db->clock = o->clock;
  db->clock_payload = o->clock_payload;
  db->utc_offset = o->utc_offset_seconds;
  db->flags = o->flags;
  __atomic_add_fetch(&g_open_count, 1, __ATOMIC_SEQ_CST);
  if ((rc = cbc__stats_open(db)) != 0) { /* never a rebuild: docs/statistics.md */
    cbc__error_saved saved;
    cbc__error_save(&saved);
    cbc_db_close(db);
    cbc__error_restore(&saved);
    cbc__error_prefix("reading the statistics' state");
    return rc;
  }
  *out = db;
  return 0;
}

CBC_EXTERN(void) cbc_db_close(cbc_db *db)
{
  if (!db)
    return;
  queue_drop(&db->queue, 0);
  cbc__free(db->queue.events);
  cbc__checkpoints_free(db);
  cbc__stats_pending_free(db);
  cbc__scope_cache_free(db);
  cbc__policy_cache_free(db);
  cbc_store__close(db->store);
  cbc__free(db);
  __atomic_sub_fetch(&g_open_count, 1, __ATOMIC_SEQ_CST);
}

CBC_EXTERN(int64_t) cbc_db_now(cbc_db *db)
{
  if (!db)
    return 0;
  int64_t t = db->clock ? db->clock(db->clock_payload) : (int64_t)time(NULL);
  /* every time the library stores stays in the documented range (common.h) */
  return t < CBC_TIME_MIN ? CBC_TIME_MIN : t > CBC_TIME_MAX ? CBC_TIME_MAX : t;
}

CBC_EXTERN(int) cbc_db_utc_offset(cbc_db *db) { return db ? db->utc_offset : 0; }

CBC_EXTERN(int) cbc_db_schema_version(int *out, cbc_db *db)
{
  CBC__CHECK_ARG(out);
  int rc = cbc__db_check(db);
  return rc ? rc : cbc_store__schema_version(db->store, out);
}

CBC_EXTERN(int) cbc_db_begin(cbc_db *db)
{
  int rc = cbc__db_check_write(db);
  return rc ? rc : cbc_store__group_begin(db->store);
}

/* The group ended without committing: what waited for its commit goes. */
static void group_undone(cbc_db *db)
{
  queue_drop(&db->queue, 0);
  cbc__checkpoints_drop(db, true);
  cbc__stats_discard(db);
}

CBC_EXTERN(int) cbc_db_commit(cbc_db *db)
{
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  int settled = cbc_store__in_group(db->store) && !cbc_store__group_failed(db->store)
                    ? cbc__stats_settle(db)
                    : 0;
  cbc__error_saved saved;
  cbc__error_save(&saved);
  rc = cbc_store__group_commit(db->store);
  if (settled) { /* the group was rolled back: say why */
    cbc__error_restore(&saved);
    cbc__error_prefix("the transaction group was rolled back, nothing was committed");
    rc = settled;
  }
  if (!rc) {
    queue_deliver(db);
    cbc__checkpoints_deliver(db);
  } else if (!cbc_store__in_group(db->store)) /* rolled back; else still open, retryable */
    group_undone(db);
  return rc;
}

CBC_EXTERN(int) cbc_db_rollback(cbc_db *db)
{
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  bool was_open = cbc_store__in_group(db->store);
  rc = cbc_store__group_rollback(db->store);
  if (was_open) /* ended even when ROLLBACK reported an error */
    group_undone(db);
  return rc;
}

CBC_EXTERN(int) cbc_db_in_group(cbc_db *db) { return db && cbc_store__in_group(db->store); }

int cbc__question_answer(unsigned int *out, cbc_db *db, const char *what, cbc__weigh_fn weigh,
                         const cbc__question *q)
{
  *out = 0;
  int rc = cbc__db_check(db);
  if (!rc && (q->id < 1 || q->actor_id < 1))
    rc = cbc__error(CBC_EINVAL, "invalid %s id %lld", q->id < 1 ? what : "actor",
                    (long long)(q->id < 1 ? q->id : q->actor_id));
  if (rc)
    return rc;
  cbc__error_saved before;
  cbc__error_save(&before);
  unsigned int moves = 0;
  rc = weigh(db, q, &moves);
  cbc_store__done(db->store);
  if (!rc) {
    *out = moves;
    cbc__error_restore(&before);
  }
  return rc;
}
