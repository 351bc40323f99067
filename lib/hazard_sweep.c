/* The overdue sweep (include/cbc/hazard.h, docs/ledger.md "The overdue
 * sweep"): the ids from the open-deadline index in one read, then the
 * escalations in bounded batches, each its own write transaction, with a
 * rest between them so that other writers get the lock.  Each escalated
 * hazard is marked with the time the sweep judged it by, in its batch, so a
 * rerun after a stop or a failure escalates nobody twice for one lapse. */
#include "hazard_internal.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

CBC__STRUCT_INIT_FN(cbc_sweep_options_init, cbc_sweep_options, CBC_SWEEP_OPTIONS_VERSION,
                    CBC_SWEEP_OPTIONS_INIT)

typedef struct sweep {
  cbc_db *db;
  int64_t at;        /* the time judged by (resolved: never 0) */
  size_t batch;      /* hazards per transaction */
  const cbc_sweep_options *options;
  cbc_sweep_progress progress;
} sweep;

static int compare_ids(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

/* One counting pass of the radix sort: @p from into @p to by the digit at
 * @p shift, keeping the order of equal digits. */
static void radix_pass(const int64_t *from, int64_t *to, size_t n, unsigned int shift)
{
  size_t start[RADIX_SIZE] = { 0 };
  for (size_t i = 0; i < n; i++)
    start[((uint64_t)from[i] >> shift) & (RADIX_SIZE - 1)]++;
  size_t sum = 0;
  for (size_t d = 0; d < RADIX_SIZE; d++) {
    size_t c = start[d];
    start[d] = sum;
    sum += c;
  }
  for (size_t i = 0; i < n; i++)
    to[start[((uint64_t)from[i] >> shift) & (RADIX_SIZE - 1)]++] = from[i];
}

/* A radix sort on as many 11-bit digits as the largest id has, several
 * times faster than qsort at the sizes a sweep meets (the finding would
 * cost more than the query otherwise); qsort when the scratch array cannot
 * be had. */
void cbc__sort_ids(int64_t *ids, size_t n)
{
  int64_t max = 0, *scratch = n > 64 ? cbc__malloc(n * sizeof(int64_t)) : NULL;
  if (!scratch) {
    qsort(ids, n, sizeof(int64_t), compare_ids);
    return;
  }
  for (size_t i = 0; i < n; i++)
    max = ids[i] > max ? ids[i] : max;
  int64_t *from = ids, *to = scratch;
  for (unsigned int shift = 0; shift < 64 && ((uint64_t)max >> shift) != 0;
       shift += RADIX_BITS) {
    radix_pass(from, to, n, shift);
    int64_t *t = from;
    from = to;
    to = t;
  }
  if (from != ids)
    memcpy(ids, from, n * sizeof(int64_t));
  cbc__free(scratch);
}

/* The ids overdue at @p at, by id (the index hands them out by deadline). */
static int find_overdue(cbc_db *db, int64_t at, int64_t **out, size_t *count)
{
  int rc = cbc_store__overdue_ids(db->store, at, out, count);
  cbc_store__done(db->store);
  if (!rc && *count > 1)
    cbc__sort_ids(*out, *count);
  return rc;
}

/* Whether the sweep escalates @p h now: still open in a state it moves,
 * below ENTERPRISE, still overdue (another writer may have moved it since
 * the finding), and not escalated for this lapse yet: never escalated for
 * being overdue, or its deadline was still ahead when it last was (an
 * extension approved to a later date since; a deadline corrected to
 * another past date is the same lapse). */
static int due_for_escalation(cbc_db *db, const cbc_hazard *h, int64_t at, bool *due)
{
  bool movable = h->state == CBC_HAZARD_REGISTERED || h->state == CBC_HAZARD_RECTIFYING;
  int64_t escalated_at = 0;
  *due = false;
  if (!movable || h->level >= CBC_LEVEL_ENTERPRISE || h->deadline >= at)
    return 0;
  int rc = cbc_store__overdue_escalated_at(db->store, h->id, &escalated_at);
  *due = !rc && (escalated_at == 0 || h->deadline > escalated_at);
  return rc;
}

static int escalate_one(sweep *s, int64_t id)
{
  cbc_hazard h;
  bool due;
  int rc = cbc_store__hazard_get_move(s->db->store, id, &h);
  if (!rc)
    rc = due_for_escalation(s->db, &h, s->at, &due);
  if (rc || !due)
    return rc;
  rc = cbc__hazard_escalate_overdue(s->db, &h);
  if (!rc)
    rc = cbc_store__overdue_escalated_set(s->db->store, id, h.enterprise_id, s->at);
  if (!rc)
    s->progress.escalated++;
  return rc;
}

/* The hazards @p ids[0..n) in one write transaction. */
static int escalate_batch(sweep *s, const int64_t *ids, size_t n)
{
  size_t escalated = s->progress.escalated;
  int rc = cbc__db_write_begin(s->db, 0);
  if (rc)
    return rc;
  for (size_t i = 0; i < n && !rc; i++)
    rc = escalate_one(s, ids[i]);
  rc = cbc__db_write_end(s->db, rc);
  if (rc) /* rolled back: none of this batch counts */
    s->progress.escalated = escalated;
  return rc;
}

static int64_t monotonic_ns(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* SQLite's busy handler (sqlite3_busy_timeout) sleeps between its polls of
 * the lock, 100 ms at the longest. */
#define BUSY_POLL_MAX_NS 100000000
#define SHORT_BATCH_NS 10000000
#define REST_MAX_NS 999999999

/* The rest after a batch that held the write lock @p held_ns, so that a
 * writer waiting on its busy timeout finds the lock free at one of its
 * polls: after a short batch as long as the batch (polls land at random
 * in so fine a pattern: half of them find the lock free); after a longer
 * one at least the longest poll interval, so the next poll is sure to land
 * in it (a rest about as long as the interval would keep missing it); at
 * most a second.  Inside a group the lock is held throughout: no rest. */
static void rest(const sweep *s, int64_t held_ns)
{
  if (cbc_store__in_group(s->db->store))
    return;
  if (held_ns >= SHORT_BATCH_NS && held_ns < BUSY_POLL_MAX_NS)
    held_ns = BUSY_POLL_MAX_NS;
  if (held_ns > REST_MAX_NS)
    held_ns = REST_MAX_NS;
  struct timespec t = { 0, (long)held_ns };
  nanosleep(&t, NULL);
}

static int escalate_all(sweep *s, const int64_t *ids, size_t count)
{
  int rc = 0;
  for (size_t from = 0; from < count && !rc; from += s->batch) {
    size_t n = count - from < s->batch ? count - from : s->batch;
    int64_t started = monotonic_ns();
    rc = escalate_batch(s, ids + from, n);
    if (rc)
      break;
    int64_t held_ns = monotonic_ns() - started;
    s->progress.done = from + n;
    bool last = s->progress.done == count;
    /* A stop asked for after the last batch stops nothing: the sweep is
     * complete, and says so. */
    if (s->options->progress &&
        (rc = s->options->progress(&s->progress, s->options->payload)) != 0 && !last)
      rc = cbc__error(rc, "the sweep was stopped by its progress callback (%d) after %zu of %zu "
                          "hazards", rc, s->progress.done, s->progress.found);
    else if (last)
      rc = 0;
    else
      rest(s, held_ns);
  }
  return rc;
}

static int options_check(const cbc_db *db, const cbc_sweep_options *o)
{
  int rc = cbc__check_version("cbc_sweep_options", o->version, CBC_SWEEP_OPTIONS_VERSION);
  if (!rc)
    rc = (o->flags & CBC_SWEEP_ESCALATE) ? cbc__db_check_write(db) : cbc__db_check(db);
  if (!rc && (o->flags & ~(unsigned int)CBC_SWEEP_ESCALATE))
    rc = cbc__error(CBC_EINVAL, "unknown sweep flags 0x%x", o->flags);
  if (!rc)
    rc = cbc__time_check("the sweep time", o->at);
  return rc;
}

static int run(sweep *s, int64_t **out, size_t *count)
{
  int rc = options_check(s->db, s->options);
  if (!rc) {
    s->at = s->options->at ? s->options->at : cbc_db_now(s->db);
    s->batch = s->options->batch ? s->options->batch : CBC_SWEEP_BATCH_DEFAULT;
    rc = find_overdue(s->db, s->at, out, count);
  }
  s->progress.found = *count;
  if (!rc && (s->options->flags & CBC_SWEEP_ESCALATE))
    rc = escalate_all(s, *out, *count);
  return rc;
}

CBC_EXTERN(int) cbc_hazard_sweep(int64_t **out, size_t *count, size_t *escalated, cbc_db *db,
                                 const cbc_sweep_options *options)
{
  const cbc_sweep_options defaults = CBC_SWEEP_OPTIONS_INIT;
  sweep s;
  memset(&s, 0, sizeof(s));
  s.db = db;
  s.options = options ? options : &defaults;
  if (escalated)
    *escalated = 0;
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(count);
  *count = 0;
  int rc = run(&s, out, count);
  if (escalated)
    *escalated = s.progress.escalated;
  if (rc) {
    cbc__free(*out);
    *out = NULL;
    *count = 0;
  }
  return rc;
}

CBC_EXTERN(int) cbc_hazard_sweep_overdue(int64_t **out, size_t *count, cbc_db *db, int64_t at,
                                         unsigned int flags)
{
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  o.at = at;
  o.flags = flags;
  return cbc_hazard_sweep(out, count, NULL, db, &o);
}
