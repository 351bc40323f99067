/* Keeping the statistics' aggregates (lib/stats_internal.h): a record
 * bumps counters of its attribution unit's month; taking part is marked per
 * employee and year, and counted the first time in a month, quarter and
 * year.  The rebuild (lib/stats_rebuild.c) replays every record through the
 * same two functions; which attribution units a handle counts for is its
 * cbc__stats_keep()/cbc__stats_counts_for(). */
#include "stats_internal.h"
#include "calendar.h"
#include "org_scope.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int month_key(cbc_db *db, int64_t at, int *year, int *month)
{
  int d;
  cbc__local_date(at, cbc_db_utc_offset(db), year, month, &d);
  return *year * 100 + *month;
}

typedef char cbc__pending_fits[sizeof(((cbc__stats_row *)0)->delta) ==
                               CBC_ROLLUP__COUNT * sizeof(int64_t) ? 1 : -1];

/* The pending row of (@p unit, month @p key) in @p p, created; when @p p
 * is full, @p when_full writes them all first. */
typedef int (*pending_full_fn)(cbc_db *db);
static int pending_row(cbc_db *db, cbc__stats_pending *p, pending_full_fn when_full,
                       int64_t unit, int key, cbc__stats_row **out)
{
  if (!p->rows) {
    p->rows = cbc__malloc(CBC__STATS_PENDING * sizeof(*p->rows));
    p->slots = cbc__calloc(2 * CBC__STATS_PENDING, sizeof(*p->slots));
    if (!p->rows || !p->slots) {
      cbc__free(p->rows);
      cbc__free(p->slots);
      memset(p, 0, sizeof(*p));
      return cbc__error_oom();
    }
  }
  uint64_t h = ((uint64_t)unit * 0x9E3779B97F4A7C15ull) ^ (uint64_t)key;
  size_t slot = (size_t)(h % (2 * CBC__STATS_PENDING));
  while (p->slots[slot]) {
    cbc__stats_row *r = &p->rows[p->slots[slot] - 1];
    if (r->unit == unit && r->month == key) {
      *out = r;
      return 0;
    }
    slot = (slot + 1) % (2 * CBC__STATS_PENDING);
  }
  if (p->n == CBC__STATS_PENDING) { /* full: write them all, then start again */
    int rc = when_full(db);
    return rc ? rc : pending_row(db, p, when_full, unit, key, out);
  }
  cbc__stats_row *r = &p->rows[p->n++];
  p->slots[slot] = (uint16_t)p->n;
  r->unit = unit;
  r->month = key;
  memset(r->delta, 0, sizeof(r->delta));
  *out = r;
  return 0;
}

static void pending_clear(cbc__stats_pending *p)
{
  if (p->n)
    memset(p->slots, 0, 2 * CBC__STATS_PENDING * sizeof(*p->slots));
  p->n = 0;
}

static int row_order(const void *a, const void *b)
{
  const cbc__stats_row *x = a, *y = b;
  if (x->unit != y->unit)
    return x->unit < y->unit ? -1 : 1;
  return (x->month > y->month) - (x->month < y->month);
}

/* Put @p p's rows in (unit, month) order, as every writer writes them, so
 * that two transactions updating the same counter rows on PostgreSQL lock
 * them in one order and do not deadlock over them.  The rows' slots are
 * stale afterwards: the caller clears @p p after writing. */
static void pending_sort(cbc__stats_pending *p)
{
  if (p->n > 1)
    qsort(p->rows, p->n, sizeof(*p->rows), row_order);
}

/* Write the summed roll-up changes, and forget them. */
static int rollups_write(cbc_db *db)
{
  cbc__stats_pending *p = &db->rollups;
  int rc = 0;
  pending_sort(p);
  for (size_t i = 0; i < p->n && !rc; i++)
    rc = cbc_store__rollup_add(db->store, p->rows[i].unit, p->rows[i].month, p->rows[i].delta);
  pending_clear(p);
  return rc;
}

/* Write one pending row of an attribution unit's month, and sum what it
 * changes in its regions' roll-ups: its counters in its month, and, for
 * an enterprise whose month became active or inactive, the ran marks of
 * each month of its year (docs/statistics.md, "Region roll-ups"). */
static int count_row(cbc_db *db, const cbc__stats_row *row)
{
  cbc__scope sc = { 0 };
  int64_t ran[12][3] = { { 0 } }, regions[CBC_STORE_DEPTH_MAX];
  size_t n = 0;
  int rc = cbc__scope_of_unit(db, row->unit, &sc);
  bool enterprise = sc.kind == CBC_UNIT_ENTERPRISE;
  if (!rc)
    rc = cbc_store__stat_add(db->store, row->unit, enterprise, row->month, row->delta, ran);
  if (!rc)
    rc = cbc__regions_from(db, enterprise ? sc.parent : row->unit, regions, &n);
  bool ran_moved = false; /* only when the month became active or inactive */
  for (int m = 0; m < 12; m++)
    ran_moved = ran_moved || ran[m][0] || ran[m][1] || ran[m][2];
  for (int m = 1; m <= 12 && n && !rc; m++) {
    int64_t up[CBC_ROLLUP__COUNT] = { 0 };
    if (row->month % 100 != m && !ran_moved)
      continue;
    if (row->month % 100 == m)
      memcpy(up, row->delta, CBC_STAT__COUNT * sizeof(*up));
    memcpy(&up[CBC_ROLLUP_RAN_M], ran[m - 1], sizeof(ran[0]));
    bool any = false;
    for (int c = 0; c < CBC_ROLLUP__COUNT; c++)
      any = any || up[c];
    for (size_t i = 0; i < n && any && !rc; i++) {
      cbc__stats_row *r = NULL;
      rc = pending_row(db, &db->rollups, rollups_write, regions[i], row->month / 100 * 100 + m,
                       &r);
      for (int c = 0; c < CBC_ROLLUP__COUNT && !rc; c++)
        r->delta[c] += up[c];
    }
  }
  return rc;
}

int cbc__stats_flush(cbc_db *db)
{
  cbc__stats_pending *p = &db->stats;
  int rc = 0;
  pending_sort(p);
  for (size_t i = 0; i < p->n && !rc; i++)
    rc = count_row(db, &p->rows[i]);
  if (!rc)
    rc = rollups_write(db);
  cbc__stats_discard(db);
  return rc;
}

void cbc__stats_discard(cbc_db *db)
{
  pending_clear(&db->stats);
  pending_clear(&db->rollups);
}

int cbc__stats_settle(cbc_db *db)
{
  if (!db->stats.n)
    return 0;
  if (cbc_store__in_group(db->store) && cbc_store__group_failed(db->store)) {
    cbc__stats_discard(db); /* their group is gone: never write them outside it */
    return 0;
  }
  int rc = cbc__stats_flush(db);
  if (rc && cbc_store__in_group(db->store)) /* half written, outside any call */
    cbc_store__fail_group(db->store);
  return rc;
}

void cbc__stats_pending_free(cbc_db *db)
{
  cbc__free(db->stats.rows);
  cbc__free(db->stats.slots);
  cbc__free(db->rollups.rows);
  cbc__free(db->rollups.slots);
  memset(&db->stats, 0, sizeof(db->stats));
  memset(&db->rollups, 0, sizeof(db->rollups));
}

/* Sum @p delta into the pending row of (attributed, month @p key), when
 * this handle counts for that unit now (a rebuild reads the others'). */
static int add_to_month(cbc_db *db, int64_t attributed, int key,
                        const int64_t delta[CBC_STAT__COUNT])
{
  cbc__stats_row *r = NULL;
  if (!cbc__stats_counts_for(db, attributed))
    return 0;
  int rc = pending_row(db, &db->stats, cbc__stats_flush, attributed, key, &r);
  for (int c = 0; c < CBC_STAT__COUNT && !rc; c++)
    r->delta[c] += delta[c];
  return rc;
}

/* The same for the month of @p at. */
static int add(cbc_db *db, int64_t attributed, int64_t at, const int64_t delta[CBC_STAT__COUNT])
{
  int y, m;
  return add_to_month(db, attributed, month_key(db, at, &y, &m), delta);
}

int cbc__stats_bump(cbc_db *db, int64_t unit_id, int64_t at, unsigned int counters, int sign)
{
  bool keeping;
  int rc = cbc__stats_keep(db, &keeping);
  if (rc || !keeping)
    return rc;
  int64_t delta[CBC_STAT__COUNT] = { 0 }, attributed;
  for (int i = 0; i < CBC_STAT__COUNT; i++)
    delta[i] = (counters >> i) & 1u ? sign : 0;
  rc = cbc__tenant_of(db, unit_id, &attributed);
  return rc ? rc : add(db, attributed, at, delta);
}

/* The first column of each way of taking part (month; quarter and year follow). */
static const cbc_store_stat way_columns[3] = { CBC_STAT_TOOK_PART_M, CBC_STAT_TRAINED_M,
                                               CBC_STAT_LEADERS_M };

/* The unit employee @p employee_id was in at @p at (lib/store/membership.h):
 * their unit, from when they joined it while they are on the payroll (the
 * history's times never decrease, so nothing later moved them); else their
 * history says. */
static int unit_at(cbc_db *db, int64_t employee_id, int64_t at, int64_t *out)
{
  cbc__actor a;
  int rc = cbc__actor_of(db, employee_id, &a);
  if (!rc && a.active && at >= a.unit_since) {
    *out = a.place.unit;
    return 0;
  }
  return rc ? rc : cbc_store__employee_unit_at(db->store, employee_id, at, out);
}

int cbc__stats_took_part(cbc_db *db, int64_t employee_id, int64_t unit_id, int64_t at,
                         unsigned int kinds)
{
  bool keeping;
  int rc = cbc__stats_keep(db, &keeping);
  if (rc || !keeping)
    return rc;
  int64_t delta[CBC_STAT__COUNT] = { 0 }, attributed;
  unsigned int masks[3] = { 0, 0, 0 };
  int y, m;
  month_key(db, at, &y, &m);
  unsigned int bit = 1u << (m - 1), quarter = 7u << (3 * ((m - 1) / 3));
  bool changed = false;
  rc = unit_id ? 0 : unit_at(db, employee_id, at, &unit_id);
  if (!rc)
    rc = cbc__tenant_of(db, unit_id, &attributed);
  if (!rc && !cbc__stats_counts_for(db, attributed)) /* a rebuild reads it later */
    return 0;
  if (!rc)
    rc = cbc__participation_of(db, employee_id, y, attributed, masks);
  bool exists = masks[0] || masks[1] || masks[2]; /* rows are written non-zero */
  for (int k = 0; k < 3 && !rc; k++) {
    if (!(kinds & (1u << k)) || (masks[k] & bit))
      continue;
    delta[way_columns[k]] = 1;
    delta[way_columns[k] + 1] = !(masks[k] & quarter);
    delta[way_columns[k] + 2] = masks[k] == 0;
    masks[k] |= bit;
    changed = true;
  }
  if (rc || !changed)
    return rc;
  rc = cbc__participation_put(db, employee_id, y, attributed, masks, exists);
  return rc ? rc : add(db, attributed, at, delta);
}

/* ------------------------------------------- org changes after the records */

/* Take back what participation row @p p counted: each month marked, each
 * quarter and the year once (in their first month marked: the forms read
 * quarters and years as sums over their months, so where they were counted
 * within them does not matter). */
static int unmark(cbc_db *db, const cbc_store_participation *p)
{
  int rc = 0;
  for (int k = 0; k < 3 && !rc; k++) {
    unsigned int seen_quarters = 0;
    for (int m = 1; m <= 12 && !rc; m++) {
      if (!(p->masks[k] & (1u << (m - 1))))
        continue;
      int64_t delta[CBC_STAT__COUNT] = { 0 };
      unsigned int q = 1u << ((m - 1) / 3);
      delta[way_columns[k]] = -1;
      delta[way_columns[k] + 1] = seen_quarters & q ? 0 : -1;
      delta[way_columns[k] + 2] = seen_quarters ? 0 : -1;
      seen_quarters |= q;
      rc = add_to_month(db, p->unit_id, p->year * 100 + m, delta);
    }
  }
  return rc;
}

/* Count employee @p employee_id again from the start of the local year of
 * @p since: take back their marks of that year and later, then mark what
 * they took part in since then, where the history now places them. */
static int reattribute(cbc_db *db, int64_t employee_id, int64_t since)
{
  cbc_store_participation *rows = NULL;
  cbc_store_cursor *c = NULL;
  size_t n = 0;
  int year, month;
  month_key(db, since, &year, &month);
  int rc = cbc_store__participation_since(db->store, employee_id, year, &rows, &n);
  for (size_t i = 0; i < n && !rc; i++)
    rc = unmark(db, &rows[i]);
  cbc__free(rows);
  if (!rc && n) /* forgetting moves the participation cache on: only when needed */
    rc = cbc_store__participation_forget(db->store, employee_id, year);
  if (!rc)
    rc = cbc_store__participations_of(&c, db->store, employee_id,
                                      cbc__local_midnight(year, 1, 1, cbc_db_utc_offset(db)),
                                      INT64_MAX);
  int64_t row[3]; /* time, training kind or 0, unit */
  while (!rc && (rc = cbc_store__cursor_ints(c, row, 3)) == 0)
    rc = cbc__stats_took_part(db, employee_id, row[2], row[0],
                              row[1] ? cbc__stats_attendance_ways((cbc_training_kind)row[1])
                                     : CBC__TOOK_PART);
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

int cbc__stats_org_changed(cbc_db *db, int rc)
{
  cbc_store_moved *moved = NULL;
  size_t n = 0;
  bool keeping = false;
  if (!rc)
    rc = cbc_store__membership_moved(db->store, &moved, &n);
  if (!rc && n)
    rc = cbc__stats_keep(db, &keeping);
  for (size_t i = 0; i < n && !rc && keeping; i++)
    rc = reattribute(db, moved[i].employee_id, moved[i].since);
  cbc__free(moved);
  return rc;
}

/* ------------------------------------------------------ what records count */

#define BIT(c) (1u << (c))

int cbc__stats_hazard_reported(cbc_db *db, const cbc_hazard *h)
{
  int rc = cbc__stats_bump(db, h->enterprise_id, h->reported_at,
                           BIT(CBC_STAT_ACTIVITY) | BIT(CBC_STAT_FOUND), 1);
  if (!rc && h->reporter_id)
    rc = cbc__stats_took_part(db, h->reporter_id, 0, h->reported_at, CBC__TOOK_PART);
  return rc;
}

int cbc__stats_hazard_moved(cbc_db *db, const cbc_hazard *before, const cbc_hazard *after,
                            cbc_hazard_action action, int64_t at)
{
  switch (action) {
  case CBC_ACTION_LIST_SUPERVISION:
    return cbc__stats_bump(db, after->enterprise_id, at, BIT(CBC_STAT_LISTED), 1);
  case CBC_ACTION_VERIFY_PASS:
    return cbc__stats_bump(db, after->enterprise_id, after->closed_at, BIT(CBC_STAT_RECTIFIED), 1);
  case CBC_ACTION_REOPEN: /* the closure no longer counts where it was counted */
    return cbc__stats_bump(db, after->enterprise_id, before->closed_at, BIT(CBC_STAT_RECTIFIED),
                           -1);
  default:
    return 0;
  }
}

unsigned int cbc__stats_training_counters(cbc_training_kind kind)
{
  return BIT(CBC_STAT_ACTIVITY) | BIT(CBC_STAT_SESSIONS) |
         (kind == CBC_TRAINING_LEADER_CLASS ? BIT(CBC_STAT_LEADER_CLASSES) : 0);
}

unsigned int cbc__stats_attendance_ways(cbc_training_kind kind)
{
  return CBC__TOOK_PART | CBC__TRAINED |
         (kind == CBC_TRAINING_LEADER_CLASS ? CBC__TRAINED_LEADER : 0);
}

static int by_id(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Where other hosts record at the same time (PostgreSQL): lock the
 * participation of the @p n people @p ids (any order; sorted here) before
 * any of them is counted, in ascending order, so that two records naming
 * the same people never wait for each other crosswise (each person's lock
 * is taken as they are counted too: store_lock_key). */
static int lock_people(cbc_db *db, int64_t *ids, size_t n, int64_t at)
{
  int year, month, rc = 0;
  if (!cbc_store__shared(db->store))
    return 0;
  month_key(db, at, &year, &month);
  qsort(ids, n, sizeof(*ids), by_id);
  for (size_t i = 0; i < n && !rc; i++)
    rc = cbc_store__participation_lock(db->store, year, ids[i]);
  return rc;
}

static int lock_attendees(cbc_db *db, const cbc_training_record *r)
{
  if (!cbc_store__shared(db->store) || r->n_attendees < 2)
    return 0;
  int64_t *ids = cbc__calloc(r->n_attendees, sizeof(*ids));
  if (!ids)
    return cbc__error_oom();
  for (size_t i = 0; i < r->n_attendees; i++)
    ids[i] = r->attendees[i].employee_id;
  int rc = lock_people(db, ids, r->n_attendees, r->held_at);
  cbc__free(ids);
  return rc;
}

int cbc__stats_training(cbc_db *db, const cbc_training_record *r)
{
  int rc = cbc__stats_bump(db, r->unit_id, r->held_at, cbc__stats_training_counters(r->kind), 1);
  if (!rc)
    rc = lock_attendees(db, r);
  for (size_t i = 0; i < r->n_attendees && !rc; i++)
    rc = cbc__stats_took_part(db, r->attendees[i].employee_id, 0, r->held_at,
                              cbc__stats_attendance_ways(r->kind));
  return rc;
}

/* lock_people for the members of every team of a drill. */
static int lock_members(cbc_db *db, const cbc_drill_record *r)
{
  int64_t *all = NULL, *members;
  size_t n_all = 0, n;
  int rc = 0;
  if (!cbc_store__shared(db->store))
    return 0;
  for (size_t i = 0; i < r->n_teams && !rc; i++) {
    rc = cbc_store__team_members_at(db->store, r->team_ids[i], r->held_at, &members, &n);
    int64_t *grown = rc ? NULL : cbc__realloc(all, (n_all + n + 1) * sizeof(*all));
    if (!rc && !grown)
      rc = cbc__error_oom();
    if (!rc) {
      all = grown;
      memcpy(all + n_all, members, n * sizeof(*members));
      n_all += n;
    }
    cbc__free(members);
  }
  if (!rc)
    rc = lock_people(db, all, n_all, r->held_at);
  cbc__free(all);
  return rc;
}

int cbc__stats_drill(cbc_db *db, const cbc_drill_record *r)
{
  int rc = cbc__stats_bump(db, r->unit_id, r->held_at, BIT(CBC_STAT_ACTIVITY), 1);
  if (!rc)
    rc = lock_members(db, r);
  for (size_t i = 0; i < r->n_teams && !rc; i++) {
    int64_t *members;
    size_t n;
    rc = cbc_store__team_members_at(db->store, r->team_ids[i], r->held_at, &members, &n);
    for (size_t j = 0; j < n && !rc; j++)
      rc = cbc__stats_took_part(db, members[j], r->team_ids[i], r->held_at, CBC__TOOK_PART);
    cbc__free(members);
  }
  return rc;
}

int cbc__stats_visit(cbc_db *db, int64_t unit_id, int64_t cadre_id, int64_t at)
{
  int rc = cbc__stats_bump(db, unit_id, at, BIT(CBC_STAT_VISITS), 1);
  return rc ? rc : cbc__stats_took_part(db, cadre_id, 0, at, CBC__TOOK_PART);
}

int cbc__stats_proposal(cbc_db *db, int64_t unit_id, int64_t proposer_id, int64_t at)
{
  int rc = cbc__stats_bump(db, unit_id, at, BIT(CBC_STAT_ACTIVITY), 1);
  return rc ? rc : cbc__stats_took_part(db, proposer_id, 0, at, CBC__TOOK_PART);
}

int cbc__stats_voided(cbc_db *db, int64_t unit_id, int64_t at, unsigned int counters,
                      const int64_t *people, size_t n_people)
{
  bool keeping;
  int rc = counters ? cbc__stats_bump(db, unit_id, at, counters, -1) : 0;
  if (!rc)
    rc = cbc__stats_keep(db, &keeping);
  for (size_t i = 0; i < n_people && !rc && keeping; i++)
    rc = reattribute(db, people[i], at);
  return rc;
}
