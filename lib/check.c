/* The integrity check (include/cbc/db.h cbc_db_check): the file, every
 * hazard's history replayed to its row, and the statistics
 * (lib/check_stats.c).  It reads only; a finding is a damaged or
 * inconsistent record, reported, never repaired. */
#include "check.h"
#include "hazard_internal.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* cbc_finding_kind_name() is in lib/label.c, from the one table of names. */

CBC_EXTERN(void) cbc_check_report_free(cbc_check_report *report)
{
  if (!report)
    return;
  for (size_t i = 0; i < report->count; i++)
    cbc__free(report->findings[i].message);
  cbc__free(report->findings);
  cbc__free(report);
}

static size_t count_of_kind(const cbc_check_report *r, cbc_finding_kind kind)
{
  size_t n = 0;
  for (size_t i = 0; i < r->count; i++)
    n += r->findings[i].kind == kind;
  return n;
}

int cbc__check_add(cbc_check_report *r, cbc_finding_kind kind, int64_t object_id,
                   const char *fmt, ...)
{
  if (count_of_kind(r, kind) >= CBC__CHECK_MAX_FINDINGS)
    return 0;
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  cbc_check_finding *grown = cbc__realloc(r->findings, (r->count + 1) * sizeof(*grown));
  if (!grown)
    return cbc__error_oom();
  r->findings = grown;
  char *message = cbc__strdup(text);
  if (!message)
    return cbc__error_oom();
  cbc_check_finding f = { kind, object_id, message };
  r->findings[r->count++] = f;
  return 0;
}

/* ------------------------------------------------------------------ file */

/* SQLite's lines may hold line breaks; a finding's message is one line. */
static int file_problem(const char *problem, void *payload)
{
  char line[768];
  snprintf(line, sizeof(line), "%s", problem);
  for (char *p = line; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return cbc__check_add(payload, CBC_FINDING_FILE, 0, "integrity_check: %s", line);
}

static int tenant_problem(const char *table, const char *parent, int64_t rows, void *payload)
{
  if (parent)
    return cbc__check_add(payload, CBC_FINDING_FILE, 0,
                          "%" PRId64 " rows of %s carry another tenant (enterprise_id) than"
                          " their %s", rows, table, parent);
  return cbc__check_add(payload, CBC_FINDING_FILE, 0,
                        "%" PRId64 " rows of %s carry a tenant (enterprise_id) that is no"
                        " enterprise or region node", rows, table);
}

/* The file's own checks: SQLite's, the setting the ledger relies on to
 * walk a period's ids (lib/store/schema.c, step 10 -> 11), and the tenant
 * keys (step 17 -> 18). */
static int check_file(cbc_db *db, cbc_check_report *r)
{
  int64_t id = 0;
  int rc = cbc_store__integrity_check(db->store, file_problem, r);
  if (!rc)
    rc = cbc_store__report_order_broken(db->store, &id);
  if (!rc && id)
    rc = cbc__check_add(r, CBC_FINDING_FILE, 0,
                        "hazard %" PRId64 " was reported before the hazard before it, but the"
                        " setting hazard_ids_in_report_order says ids follow report times",
                        id);
  if (!rc)
    rc = cbc_store__tenant_mismatches(db->store, tenant_problem, r);
  return rc;
}

/* ------------------------------------------------------------- histories */

/* The fields of a hazard its history determines, by name. */
typedef enum field_type { F_INT, F_I64, F_TEXT } field_type;
typedef struct hazard_field {
  const char *name;
  size_t off;
  field_type type;
} hazard_field;

#define HF(field, type) { #field, offsetof(cbc_hazard, field), type }
static const hazard_field fields[] = {
  HF(state, F_INT), HF(reporter_id, F_I64), HF(unit_id, F_I64), HF(enterprise_id, F_I64),
  HF(title, F_TEXT), HF(description, F_TEXT), HF(location, F_TEXT), HF(kind, F_INT),
  HF(category, F_INT), HF(check_item, F_INT), HF(source, F_INT), HF(observed_at, F_I64),
  HF(reported_at, F_I64), HF(proposed_severity, F_INT), HF(severity, F_INT), HF(level, F_INT),
  HF(resolved_level, F_INT), HF(responsible_id, F_I64), HF(measures, F_TEXT),
  HF(funds_fen, F_I64), HF(original_deadline, F_I64), HF(deadline, F_I64),
  HF(contingency_plan, F_TEXT), HF(has_plan, F_INT), HF(plan.goals, F_TEXT),
  HF(plan.methods, F_TEXT), HF(plan.funds_materials, F_TEXT),
  HF(plan.responsible_bodies, F_TEXT), HF(plan.time_limit, F_I64),
  HF(plan.safety_measures, F_TEXT), HF(reject_reason, F_TEXT), HF(duplicate_of, F_I64),
  HF(listed, F_INT), HF(listing_authority, F_TEXT), HF(listing_document, F_TEXT),
  HF(listed_at, F_I64), HF(listed_by, F_I64), HF(extension_pending, F_INT),
  HF(extension_requested_deadline, F_I64), HF(reopen_count, F_INT), HF(submitted_by, F_I64),
  HF(last_note, F_TEXT), HF(closed_at, F_I64), HF(updated_at, F_I64),
};
#undef HF

typedef char cbc__check_enums_are_int[sizeof(cbc_hazard_state) == sizeof(int) ? 1 : -1];

static int64_t int_of(const cbc_hazard *h, const hazard_field *f)
{
  const char *p = (const char *)h + f->off;
  if (f->type == F_INT) {
    int v;
    memcpy(&v, p, sizeof(v));
    return v;
  }
  int64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static const char *text_of(const cbc_hazard *h, const hazard_field *f)
{
  const char *v;
  memcpy(&v, (const char *)h + f->off, sizeof(v));
  return cbc__str(v);
}

/* The first field in which the replayed hazard differs from the stored
 * row, described in @p why; false when they agree. */
static bool differs(const cbc_hazard *replayed, const cbc_hazard *stored, char *why,
                    size_t size)
{
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    const hazard_field *f = &fields[i];
    if (f->type == F_TEXT && strcmp(text_of(replayed, f), text_of(stored, f)) != 0) {
      snprintf(why, size, "its %s is not what its history gives", f->name);
      return true;
    }
    if (f->type != F_TEXT && int_of(replayed, f) != int_of(stored, f)) {
      snprintf(why, size, "its %s is %lld where its history gives %lld", f->name,
               (long long)int_of(stored, f), (long long)int_of(replayed, f));
      return true;
    }
  }
  return false;
}

/* Whether an error is a finding (the data is damaged or inconsistent)
 * rather than a failure of the check itself. */
static bool is_finding(int rc)
{
  return rc == CBC_ECORRUPT || rc == CBC_ESTATE || rc == CBC_EINVAL;
}

/* Fold the events into @p h; their strings stay in @p holders. */
static int fold_events(cbc_hazard *h, const cbc_hazard_event *ev, size_t n, void **holders,
                       char *why, size_t size)
{
  for (size_t i = 0; i < n; i++) {
    cbc__move m;
    int rc = cbc__move_from_event(&m, &ev[i], &holders[i]);
    if (!rc)
      rc = cbc__hazard_fold(h, &m);
    if (rc) {
      snprintf(why, size, "event %lld cannot be replayed: %s", (long long)ev[i].id,
               cbc_error_last()->message);
      return rc;
    }
    if (h->state != ev[i].to_state) {
      snprintf(why, size, "event %lld leads to %s, but records %s", (long long)ev[i].id,
               cbc__str(cbc_hazard_state_name(h->state)),
               cbc__str(cbc_hazard_state_name(ev[i].to_state)));
      return CBC_ECORRUPT;
    }
  }
  return 0;
}

/* Replay hazard @p id: 0 and *found = false when its row is what its
 * history gives; *found = true with @p why when not. */
static int replay_one(cbc_db *db, int64_t id, bool *found, char *why, size_t size)
{
  cbc_hazard_event *ev = NULL;
  cbc_hazard *stored = NULL;
  void **holders = NULL;
  size_t n = 0;
  cbc_hazard h = { 0 };
  h.id = id;
  int rc = cbc_hazard_history(&ev, &n, db, id);
  if (!rc && !(holders = cbc__calloc(n ? n : 1, sizeof(*holders))))
    rc = cbc__error_oom();
  if (!rc)
    rc = fold_events(&h, ev, n, holders, why, size);
  else if (is_finding(rc))
    snprintf(why, size, "its history cannot be read: %s", cbc_error_last()->message);
  if (!rc && (rc = cbc_hazard_lookup(&stored, db, id)) != 0 && is_finding(rc))
    snprintf(why, size, "its row cannot be read: %s", cbc_error_last()->message);
  *found = is_finding(rc) || (!rc && differs(&h, stored, why, size));
  cbc_hazard_free(stored);
  for (size_t i = 0; holders && i < n; i++)
    cbc__move_json_free(holders[i]);
  cbc__free(holders);
  cbc_hazard_events_free(ev, n);
  return is_finding(rc) ? 0 : rc;
}

static int hazard_ids(cbc_db *db, int64_t **ids, size_t *n)
{
  cbc_hazard_iter *it = NULL;
  const cbc_hazard *h;
  size_t cap = 0;
  int rc = cbc_hazard_iter_new(&it, db, NULL);
  while (!rc && (rc = cbc_hazard_iter_next(&h, it)) == 0) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      int64_t *grown = cbc__realloc(*ids, cap * sizeof(*grown));
      if (!grown) {
        rc = cbc__error_oom();
        break;
      }
      *ids = grown;
    }
    (*ids)[(*n)++] = h->id;
  }
  cbc_hazard_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* A finding is confirmed by a second replay, so a hazard another process
 * moved between reading its history and its row is not reported. */
static int check_histories(cbc_db *db, cbc_check_report *r)
{
  int64_t *ids = NULL;
  size_t n = 0;
  char why[768];
  int rc = hazard_ids(db, &ids, &n);
  for (size_t i = 0; i < n && !rc; i++) {
    bool found = false;
    rc = replay_one(db, ids[i], &found, why, sizeof(why));
    if (!rc && found)
      rc = replay_one(db, ids[i], &found, why, sizeof(why));
    if (!rc && found)
      rc = cbc__check_add(r, CBC_FINDING_HISTORY, ids[i], "hazard %lld: %s",
                          (long long)ids[i], why);
    r->hazards_checked += !rc;
  }
  cbc__free(ids);
  return rc;
}

/* ------------------------------------------------------------------ entry */

/* Damage that stops a part of the check is itself a finding about the
 * file: the report is what the caller needs then. */
static int damage_stops(cbc_check_report *r, int rc, const char *part)
{
  if (rc != CBC_ECORRUPT)
    return rc;
  return cbc__check_add(r, CBC_FINDING_FILE, 0, "checking %s stopped: %s", part,
                        cbc_error_last()->message);
}

static int run_checks(cbc_db *db, cbc_check_report *r, unsigned int flags)
{
  int rc = 0;
  if (flags & CBC_CHECK_FILE)
    rc = damage_stops(r, check_file(db, r), "the file");
  if (!rc && (flags & CBC_CHECK_HISTORIES))
    rc = damage_stops(r, check_histories(db, r), "the histories");
  if (!rc && (flags & CBC_CHECK_STATS))
    rc = damage_stops(r, cbc__check_stats(db, r), "the statistics");
  return rc;
}

CBC_EXTERN(int) cbc_db_check(cbc_check_report **out, cbc_db *db, unsigned int flags)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  if (flags & ~(unsigned int)CBC_CHECK_ALL)
    return cbc__error(CBC_EINVAL, "unknown check flags 0x%x", flags & ~(unsigned int)CBC_CHECK_ALL);
  cbc_check_report *r = cbc__calloc(1, sizeof(*r));
  if (!r)
    return cbc__error_oom();
  rc = run_checks(db, r, flags ? flags : CBC_CHECK_ALL);
  cbc_store__done(db->store);
  if (rc) {
    cbc_check_report_free(r);
    return rc;
  }
  *out = r;
  return 0;
}
