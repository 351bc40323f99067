/* The ledger's query plan (ledger_plan.h).  Each filter that has an index
 * gets an estimate of the rows it keeps: from the shape of the data where
 * that costs one or two index probes (a subtree's share of the units, a
 * period's share of the reporting time), from how far into the ids the
 * first entries of an index in id order reach (listed, major, a text),
 * otherwise by counting its index entries up to a bound (overdue).  The
 * smallest estimate drives; a page in id order is read by walking ids
 * instead when the filters together keep so large a share that a page is
 * found sooner that way, and a period as its range of ids while hazard ids
 * follow report times.  The text's form (the index or LIKE) is chosen
 * here too (ledger_text_form). */
#include "ledger_plan.h"
#include <string.h>

/* A subtree holding more than this share of all units is never read
 * through its units: walking the hazards costs less than a probe per unit. */
#define LARGE_SUBTREE_DIVISOR 8
/* Counting probes stop here: beyond it a filter is "large" and estimated at
 * a quarter of the ledger. */
#define PROBE_CAP 4000
/* What a reporter's or a responsible person's hazards are taken to be. */
#define PERSON_ROWS 1.0
/* A text's share is judged by how far into the ids its first this many
 * matches reach. */
#define TEXT_PROBE 200
/* Up to this many units a subtree's ids are collected once per query (an
 * ephemeral index, ≈ 0.2 µs a unit) and each row's unit looked up there;
 * a larger subtree checks each row's unit path (≈ 1 µs a row). */
#define FEW_UNITS 20000
/* A row read by walking the ids costs this many times less than one read
 * through a driver's index and then sorted (ledger_bench: ≈ 0.3 µs against
 * ≈ 1.7 µs at 1.4 M hazards, ≈ 0.2 µs against ≈ 2.9 µs at 10 M, where the
 * driver's reads land all over a larger file). */
#define WALK_ADVANTAGE 6.0
/* An entry of hazards_listed or hazards_major costs this many times less
 * than a row that hazards_unit finds: the entries carry the unit, so a
 * subtree is checked without reading the row (ledger_bench at 1 M hazards:
 * an enterprise's 1,000 hazards read and checked in 1.6 ms against the
 * city's 1,000 major entries in 0.5 ms). */
#define INDEX_ONLY_ADVANTAGE 4.0

/* One integer from a one-row query with ?1, ?2 (text), ?3 and ?4 (the
 * probe's cap) bound. */
static int probe_int(cbc_store *st, const char *sql, const char *t1, const char *t2, int64_t i3,
                     int64_t cap, int64_t *out)
{
  drv_stmt *s;
  *out = 0;
  int rc = store_prepare(st, sql, false, &s);
  if (rc)
    return rc;
  if (t1)
    drv_bind_text_static(s, 1, t1, -1);
  if (t2)
    drv_bind_text_static(s, 2, t2, -1);
  drv_bind_int64(s, 3, i3);
  if (drv_param_count(s) >= 4)
    drv_bind_int64(s, 4, cap);
  rc = store_step(st, s, "planning the ledger query");
  *out = rc == DRV_ROW ? drv_column_int64(s, 0) : 0;
  drv_finalize(s);
  return rc < 0 ? rc : 0;
}

/* The entries of a partial index up to @p cap (at most PROBE_CAP); beyond,
 * a quarter of the ledger, unless @p sql estimates the rest itself (its
 * estimates beyond the cap are above the cap). */
static int probe_count(cbc_store *st, const char *sql, int64_t bound, int64_t cap,
                       double hazards, double *rows)
{
  int64_t n;
  int rc = probe_int(st, sql, NULL, NULL, bound, cap, &n);
  *rows = n == cap ? (hazards / 4 > cap ? hazards / 4 : (double)cap) : (double)n;
  return rc;
}

/* 1 when every hazard's unit lies in the subtree [?1, ?2): no unit sorts
 * after it, the units before it are its ancestors (a path is a prefix of
 * its descendants'), and none of those holds a hazard.  Cheap either way:
 * the scans stop at the first unit that is not an ancestor, and the
 * ancestors are probed in hazards_unit. */
static const char no_unit_outside_sql[] =
  "SELECT NOT EXISTS (SELECT 1 FROM units WHERE path >= ?2) AND NOT EXISTS (SELECT 1 FROM"
  " units WHERE path < ?1 AND substr(?1, 1, length(path)) != path) AND NOT EXISTS"
  " (SELECT 1 FROM units a CROSS JOIN hazards h ON h.unit_id = a.id WHERE a.path < ?1)";

/* The share of the ledger under the subtree [lo, hi) by its share of the
 * units (counted up to the large-subtree bound, so the probe stays short);
 * whether it holds every hazard's unit (the only root, or a unit whose
 * ancestors are a chain of only children without hazards of their own),
 * and whether its units are few. */
static int unit_share(cbc_store *st, const char *lo, const char *hi, ledger_plan *plan,
                      double *share)
{
  int64_t everything, units, in_subtree;
  int rc = probe_int(st, no_unit_outside_sql, lo, hi, 0, PROBE_CAP, &everything);
  plan->unit_everything = everything != 0;
  *share = 1.0;
  if (rc || plan->unit_everything)
    return rc;
  rc = probe_int(st, "SELECT coalesce(max(id), 0) FROM units", NULL, NULL, 0, PROBE_CAP,
                   &units);
  if (!rc)
    rc = probe_int(st, "SELECT count(*) FROM (SELECT 1 FROM units WHERE path >= ?1"
                       " AND path < ?2 LIMIT ?3) q", lo, hi, units / LARGE_SUBTREE_DIVISOR + 1,
                   PROBE_CAP, &in_subtree);
  if (!rc && units > 0)
    *share = in_subtree > units / LARGE_SUBTREE_DIVISOR ? 1.0
                                                        : (double)in_subtree / (double)units;
  plan->unit_few = !rc && in_subtree <= units / LARGE_SUBTREE_DIVISOR && in_subtree <= FEW_UNITS;
  return rc;
}

/* The share of [from, to) in the span of a time's index (reports and
 * closures are spread over time); the ends cost a probe each. */
static int time_share(cbc_store *st, const char *first_sql, const char *last_sql, int64_t from,
                      int64_t to, double *share)
{
  int64_t first, last;
  int rc = probe_int(st, first_sql, NULL, NULL, 0, PROBE_CAP, &first);
  if (!rc)
    rc = probe_int(st, last_sql, NULL, NULL, 0, PROBE_CAP, &last);
  if (rc)
    return rc;
  if (from < first)
    from = first;
  if (!to || to > last + 1)
    to = last + 1;
  *share = to <= from ? 0.0 : (double)(to - from) / (double)(last + 1 - first);
  return 0;
}

/* The code point at @p p (UTF-8, checked), its length in @p len. */
static uint32_t code_point(const unsigned char *p, int *len)
{
  int n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4, i;
  uint32_t c = n == 1 ? *p : *p & (0x3F >> (n - 1));
  for (i = 1; i < n && p[i]; i++)
    c = c << 6 | (p[i] & 0x3F);
  *len = i;
  return c;
}

/* Whether LIKE finds exactly the rows the trigram index finds for a text
 * made of @p c: the index folds the case of every alphabet, LIKE only
 * ASCII's, so the text may hold ASCII (but not k or s, which the Kelvin
 * sign and the long s fold to) and characters without case: CJK symbols,
 * kana and ideographs. */
static bool like_exact_char(uint32_t c)
{
  if (c < 0x80)
    return !strchr("kKsS", (int)c);
  return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000;
}

ledger_text ledger_text_form(const char *text)
{
  if (!text || !*text)
    return TEXT_NONE;
  size_t chars = 0;
  bool like_exact = true;
  for (const unsigned char *p = (const unsigned char *)text; *p;) {
    int len;
    uint32_t c = code_point(p, &len);
    like_exact = like_exact && like_exact_char(c);
    p += len;
    chars++;
  }
  /* fewer than three characters have no trigram to look up */
  return chars < 3 ? TEXT_LIKE : like_exact ? TEXT_INDEX_OR_LIKE : TEXT_INDEX;
}

/* The rows the search index finds for @p query (the AND of a text's
 * trigrams: its candidates, which hold every match, and are its matches
 * when the text is one trigram): it hands them out in id order, so where
 * the first TEXT_PROBE of them end tells their share (taken to be spread
 * over the ids); a text with fewer candidates has just those. */
static int text_rows(cbc_store *st, const char *query, double *rows)
{
  int64_t n;
  int rc = probe_int(st, "SELECT CASE WHEN count(*) < ?3 THEN count(*)"
                         " ELSE ?3 * (SELECT max(id) FROM hazards) / max(r) END"
                         " FROM (SELECT rowid AS r FROM hazards_fts"
                         " WHERE hazards_fts MATCH ?1 ORDER BY rowid LIMIT ?3)", query, NULL,
                     TEXT_PROBE, PROBE_CAP, &n);
  *rows = (double)n;
  return rc;
}

/* Candidates: an estimate of rows per driver (negative: not a candidate). */
typedef struct estimates {
  double rows[DRIVE_TEXT + 1];
} estimates;

static int estimate_times(cbc_store *st, const cbc_hazard_filter *f, double hazards,
                          estimates *e)
{
  double share;
  int rc = 0;
  if (f->reported_from || f->reported_to) {
    rc = time_share(st, "SELECT min(reported_at) FROM hazards",
                    "SELECT max(reported_at) FROM hazards", f->reported_from, f->reported_to,
                    &share);
    e->rows[DRIVE_PERIOD] = share * hazards;
  }
  if (!rc && (f->closed_from || f->closed_to) && f->states == 1u << CBC_HAZARD_CLOSED) {
    rc = time_share(st, "SELECT min(closed_at) FROM hazards WHERE state = 5",
                    "SELECT max(closed_at) FROM hazards WHERE state = 5", f->closed_from,
                    f->closed_to, &share);
    e->rows[DRIVE_CLOSED] = share * hazards;
  }
  return rc;
}

/* The smallest estimate so far, as a probe's cap: 1 .. PROBE_CAP. */
static int64_t smallest_estimate(const estimates *e)
{
  double least = PROBE_CAP;
  for (int d = 0; d <= DRIVE_TEXT; d++)
    if (e->rows[d] >= 0 && e->rows[d] < least)
      least = e->rows[d];
  return least >= PROBE_CAP ? PROBE_CAP : (int64_t)least + 1;
}

static int estimate(cbc_store *st, const cbc_hazard_filter *f, const ledger_scope *scope,
                    double hazards, ledger_plan *plan, estimates *e)
{
  double share;
  int rc = 0;
  for (int d = 0; d <= DRIVE_TEXT; d++)
    e->rows[d] = -1;
  if (f->unit_id && !(rc = unit_share(st, scope->lo, scope->hi, plan, &share)))
    e->rows[DRIVE_UNIT] = plan->unit_everything || share >= 1.0 ? -1 : share * hazards;
  if (f->reporter_id)
    e->rows[DRIVE_REPORTER] = PERSON_ROWS;
  if (f->responsible_id)
    e->rows[DRIVE_RESPONSIBLE] = PERSON_ROWS;
  if (!rc && (scope->text == TEXT_INDEX || scope->text == TEXT_INDEX_OR_LIKE))
    rc = text_rows(st, scope->index_query, &e->rows[DRIVE_TEXT]);
  if (!rc)
    rc = estimate_times(st, f, hazards, e);
  /* hazards_listed and hazards_major are in id order: where their first
   * PROBE_CAP entries end tells the share of the rest, as for a text */
  if (!rc && f->listed)
    rc = probe_count(st, "SELECT CASE WHEN count(*) < ?4 THEN count(*)"
                         " ELSE CASE WHEN ?4 * (SELECT max(id) FROM hazards) / max(id) > ?4"
                         " THEN ?4 * (SELECT max(id) FROM hazards) / max(id) ELSE ?4 + 1 END END"
                         " FROM (SELECT id FROM hazards WHERE listed = 1 ORDER BY id LIMIT ?4) q",
                     0, PROBE_CAP, hazards, &e->rows[DRIVE_LISTED]);
  if (!rc && f->severity == CBC_SEVERITY_MAJOR)
    rc = probe_count(st, "SELECT CASE WHEN count(*) < ?4 THEN count(*)"
                         " ELSE CASE WHEN ?4 * (SELECT max(id) FROM hazards) / max(id) > ?4"
                         " THEN ?4 * (SELECT max(id) FROM hazards) / max(id) ELSE ?4 + 1 END END"
                         " FROM (SELECT id FROM hazards WHERE severity = 2 ORDER BY id"
                         " LIMIT ?4) q", 0, PROBE_CAP, hazards, &e->rows[DRIVE_MAJOR]);
  /* counting overdue hazards stops where another filter keeps fewer: past
   * that, their number does not change the plan */
  if (!rc && f->overdue_at)
    rc = probe_count(st, "SELECT count(*) FROM (SELECT 1 FROM hazards WHERE state BETWEEN 2"
                         " AND 4 AND deadline > 0 AND deadline < ?3"
                         " LIMIT ?4) q", f->overdue_at, smallest_estimate(e), hazards,
                     &e->rows[DRIVE_OVERDUE]);
  return rc;
}

/* Whether a period's hazards are one range of ids (schema step 11): a hint
 * for the plan; the statement reads the setting again for its bounds. */
static int ids_follow_reports(cbc_store *st, const cbc_hazard_filter *f, bool *out)
{
  int64_t v = 0;
  *out = false;
  if (!f->reported_from && !f->reported_to)
    return 0;
  int rc = probe_int(st, "SELECT coalesce((SELECT value FROM settings"
                         " WHERE key = 'hazard_ids_in_report_order'), 0)",
                     NULL, NULL, 0, PROBE_CAP, &v);
  *out = !rc && v == 1;
  return rc;
}

/* Whether walking ids in order (DRIVE_ID) reads fewer rows than the
 * driver's @p best, each row it reads being cheaper (WALK_ADVANTAGE):
 * a listing in id order, or a count over a period's range of ids, and
 * never over closure times (closures are spread over every id).  A walk
 * reads about limit / kept rows where the rows are spread over the ids
 * (all of them when there is no limit); a period is walked only as its
 * range of ids (its rows are together, and a walk from the first id would
 * read every row before them).  A count the period drives reads the
 * report-time index, alone when nothing else filters.  The text index
 * collects every match before the first row, so a walk checking the text
 * with LIKE comes sooner where LIKE may stand in. */
static bool walk_is_cheaper(const cbc_hazard_filter *f, const ledger_scope *scope,
                            const ledger_plan *plan, double universe, double kept, double best)
{
  bool period = f->reported_from || f->reported_to;
  if (plan->driver == DRIVE_SCAN || f->closed_from || f->closed_to ||
      (period && !plan->id_range) ||
      (plan->driver == DRIVE_TEXT && scope->text != TEXT_INDEX_OR_LIKE))
    return false;
  if (scope->counting ? !plan->id_range || plan->driver == DRIVE_PERIOD
                      : f->sort != CBC_HAZARD_SORT_REPORTED || (!f->limit && !plan->id_range))
    return false;
  double walked = universe;
  if (f->limit && kept > 0 && (double)f->limit / kept < universe)
    walked = (double)f->limit / kept;
  return walked < WALK_ADVANTAGE * best;
}

int ledger_plan_make(cbc_store *st, const cbc_hazard_filter *f, const ledger_scope *scope,
                     ledger_plan *plan)
{
  int64_t max_id = 0;
  estimates e;
  plan->driver = DRIVE_SCAN;
  plan->unit_everything = false;
  plan->unit_few = false;
  plan->id_range = false;
  int rc = probe_int(st, "SELECT coalesce(max(id), 0) FROM hazards", NULL, NULL, 0, PROBE_CAP,
                     &max_id);
  double hazards = max_id > 0 ? (double)max_id : 1.0;
  if (!rc)
    rc = estimate(st, f, scope, hazards, plan, &e);
  if (!rc)
    rc = ids_follow_reports(st, f, &plan->id_range);
  if (rc)
    return rc;
  /* the rows kept of those walked: of the ledger, or of the period's range */
  double best = hazards, kept = 1.0, universe = hazards;
  for (int d = DRIVE_UNIT; d <= DRIVE_TEXT; d++) {
    if (e.rows[d] < 0)
      continue;
    if (d == DRIVE_PERIOD && plan->id_range)
      universe = e.rows[d];
    else
      kept *= e.rows[d] / hazards;
    double cost = e.rows[d];
    if ((d == DRIVE_LISTED || d == DRIVE_MAJOR) && e.rows[DRIVE_UNIT] >= 0)
      cost /= INDEX_ONLY_ADVANTAGE;
    if (cost < best) {
      best = cost;
      plan->driver = (ledger_driver)d;
    }
  }
  /* a subtree's period: hazards_unit is keyed by unit and report time, so
   * the units driving read only their share of the period */
  if (e.rows[DRIVE_UNIT] >= 0 && e.rows[DRIVE_PERIOD] >= 0 &&
      e.rows[DRIVE_UNIT] * e.rows[DRIVE_PERIOD] / hazards < best) {
    best = e.rows[DRIVE_UNIT] * e.rows[DRIVE_PERIOD] / hazards;
    plan->driver = DRIVE_UNIT;
  }
  if (walk_is_cheaper(f, scope, plan, universe, kept, best))
    plan->driver = DRIVE_ID;
  else
    plan->id_range = false;
  return 0;
}
