/* Filing reports (include/cbc/filing.h, docs/filing.md): the due dates, who
 * may file and sign, the snapshot rendered and kept as a new version, and
 * the standing of the units that owe a node a report. */
#include "filing_internal.h"
#include "calendar.h"
#include "history_internal.h"
#include "org_scope.h"
#include "reward_internal.h"
#include <string.h>

#define DAY 86400

CBC_EXTERN(int) cbc_filing_record_init(cbc_filing_record *rec, unsigned int version)
{
  CBC__CHECK_ARG(rec);
  int rc = cbc__check_version("filing record", version, CBC_FILING_RECORD_VERSION);
  if (rc)
    return rc;
  static const cbc_filing_record init = CBC_FILING_RECORD_INIT;
  *rec = init;
  rec->version = version;
  return 0;
}

/* ---------------------------------------------------------- due dates */

/* The last second of day @p day of month @p month (13 = January of the
 * next year), or of the month's last day when it has fewer. */
static int day_end(int64_t *out, cbc_db *db, int year, int month, int day)
{
  cbc_period m = { CBC_PERIOD_MONTH, month > 12 ? year + 1 : year,
                   month > 12 ? month - 12 : month, 0, 0 };
  int64_t from, to;
  int rc = cbc_period_bounds(&from, &to, db, &m);
  if (rc)
    return rc;
  int64_t days = (to - from) / DAY;
  *out = from + (day < days ? day : days) * DAY - 1;
  return 0;
}

/* CBC_EINVAL unless @p period is a valid period of a kind @p kind is filed
 * for; *from, *to its bounds. */
static int check_period(cbc_db *db, cbc_filing_kind kind, const cbc_period *period,
                        int64_t *from, int64_t *to)
{
  const char *name = cbc_filing_kind_name(kind);
  if (!name)
    return cbc__error(CBC_EINVAL, "unknown filing kind %d", (int)kind);
  if (kind == CBC_FILING_MAJOR_HAZARD_REPORT)
    return cbc__error(CBC_EINVAL, "the major-hazard report is filed for a hazard, not for a "
                                  "period (cbc_filing_get_for_hazard())");
  unsigned int kinds = 0;
  cbc_filing_kind_periods(&kinds, kind);
  bool ok = period->kind >= CBC_PERIOD_MONTH && period->kind <= CBC_PERIOD_RANGE &&
            (kinds & (1u << period->kind));
  const char *period_name = cbc_period_kind_name(period->kind);
  if (!ok)
    return cbc__error(CBC_EINVAL, "a %s is filed for %s, not a %s", name,
                      kind == CBC_FILING_MONTHLY_FORM ? "a month" : "a quarter or a year",
                      period_name ? period_name : "period of an unknown kind");
  return cbc_period_bounds(from, to, db, period);
}

/* The major-hazard report's due date: the end of the day
 * major_hazard_report_days after the day @p reported_at. */
static int major_due(int64_t *out, cbc_db *db, int64_t reported_at)
{
  cbc__policy policy;
  int rc = cbc__policy_current(db, &policy);
  if (rc)
    return rc;
  int offset = cbc_db_utc_offset(db), y, m, d;
  cbc__local_date(reported_at, offset, &y, &m, &d);
  *out = cbc__local_midnight(y, m, d, offset) + (policy.major_report_days + 1) * DAY - 1;
  return 0;
}

/* check_period() when the bounds are not needed. */
static int period_ok(cbc_db *db, cbc_filing_kind kind, const cbc_period *period)
{
  int64_t from, to;
  return check_period(db, kind, period, &from, &to);
}

/* The due date of a checked period. */
static int due_of(int64_t *out, cbc_db *db, cbc_filing_kind kind, const cbc_period *p)
{
  if (kind == CBC_FILING_HAZARD_TABLE || kind == CBC_FILING_CONGRESS_REPORT)
    return p->kind == CBC_PERIOD_YEAR ? day_end(out, db, p->year + 1, 1, 31)
                                      : day_end(out, db, p->year, p->number * 3 + 1, 15);
  cbc__policy policy;
  int rc = cbc__policy_current(db, &policy);
  if (rc)
    return rc;
  return day_end(out, db, p->year, p->number + (policy.form_due_next_month ? 1 : 0),
                 (int)policy.form_due_day);
}

CBC_EXTERN(int) cbc_filing_due(int64_t *out, cbc_db *db, cbc_filing_kind kind,
                               const cbc_period *period)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(period);
  int rc = cbc__db_check(db);
  if (!rc)
    rc = period_ok(db, kind, period);
  if (!rc)
    rc = due_of(out, db, kind, period);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

/* ------------------------------------------------------- who may file */

/* Whether @p a sits in @p unit: in its enterprise, or in the region node
 * itself. */
static bool sits_in(const cbc__actor *a, const cbc__scope *unit)
{
  return unit->kind == CBC_UNIT_ENTERPRISE ? a->place.enterprise == unit->unit
                                           : a->place.unit == unit->unit;
}

/* CBC_EPERM unless employee @p id is active, holds one of @p roles, and
 * sits in @p unit; @p as says what for ("file", "sign"). */
static int check_person(cbc_db *db, int64_t id, unsigned int roles, const char *roles_text,
                        const cbc__scope *unit, const char *as)
{
  cbc__actor a;
  int rc = cbc__actor_of(db, id, &a);
  if (rc)
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", id, who);
  if (!a.active)
    return cbc__error(CBC_EPERM, "%s is not active and may not %s a report", who, as);
  if (!(a.roles & roles))
    return cbc__error(CBC_EPERM, "%s may not %s this report: %s does", who, as, roles_text);
  if (!sits_in(&a, unit))
    return cbc__error(CBC_EPERM, "%s may not %s the report of unit %lld: only someone %s does",
                      who, as, (long long)unit->unit,
                      unit->kind == CBC_UNIT_ENTERPRISE ? "of the enterprise"
                                                        : "sitting in the region node");
  return 0;
}

/* Whether hazard @p h takes a major-hazard report: registered major (and
 * so with its plan on file: registration and amendment require it of a
 * major hazard), not rejected. */
static bool reportable(const cbc_hazard *h)
{
  return h->severity == CBC_SEVERITY_MAJOR && h->state != CBC_HAZARD_REJECTED;
}

CBC_EXTERN(int) cbc_filing_kind_periods(unsigned int *out, cbc_filing_kind kind)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  if (!cbc_filing_kind_name(kind))
    return cbc__error(CBC_EINVAL, "unknown filing kind %d", (int)kind);
  if (kind == CBC_FILING_MONTHLY_FORM)
    *out = 1u << CBC_PERIOD_MONTH;
  else if (kind != CBC_FILING_MAJOR_HAZARD_REPORT)
    *out = (1u << CBC_PERIOD_QUARTER) | (1u << CBC_PERIOD_YEAR);
  return 0;
}

CBC_EXTERN(int) cbc_filing_hazard_reportable(int *out, cbc_db *db, int64_t hazard_id)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  cbc_hazard *h = NULL;
  int rc = cbc_hazard_lookup(&h, db, hazard_id);
  if (!rc)
    *out = reportable(h);
  cbc_hazard_free(h);
  return rc;
}

/* The major-hazard report's hazard @p h: of the filing enterprise, and
 * reportable. */
static int major_hazard_check(const cbc_hazard *h, const cbc_filing_record *rec)
{
  if (h->enterprise_id != rec->unit_id)
    return cbc__error(CBC_EINVAL, "hazard %lld is of enterprise %lld, not of unit %lld",
                      (long long)h->id, (long long)h->enterprise_id, (long long)rec->unit_id);
  if (!reportable(h))
    return cbc__error(CBC_ESTATE, "hazard %lld is not a registered major hazard",
                      (long long)h->id);
  return 0;
}

/* The unit files this kind of report (@p h: the major-hazard report's
 * hazard, else NULL); the actor may file, the signer sign. */
static int check_filers(cbc_db *db, int64_t actor_id, const cbc_filing_record *rec,
                        const cbc_hazard *h)
{
  cbc__scope unit;
  int rc = cbc__scope_of_unit(db, rec->unit_id, &unit);
  if (rc)
    return rc;
  bool region_ok = rec->kind == CBC_FILING_MONTHLY_FORM;
  if (h && (rc = major_hazard_check(h, rec)) != 0)
    return rc;
  if (unit.kind != CBC_UNIT_ENTERPRISE && !(region_ok && unit.kind == CBC_UNIT_REGION))
    return cbc__error(CBC_ESTATE, "unit %lld is a %s: a %s is filed by %s",
                      (long long)rec->unit_id, cbc_unit_kind_name(unit.kind),
                      cbc_filing_kind_name(rec->kind),
                      region_ok ? "an enterprise or a region node" : "an enterprise");
  if (unit.closed)
    return cbc__error(CBC_ESTATE, "unit %lld is closed and files nothing",
                      (long long)rec->unit_id);
  rc = rec->kind == CBC_FILING_MONTHLY_FORM
         ? check_person(db, actor_id, CBC_ROLE_UNION_CADRE, "a union cadre", &unit, "file")
         : check_person(db, actor_id, CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_PRINCIPAL,
                        "a safety officer or a principal", &unit, "file");
  if (!rc && rec->kind == CBC_FILING_MONTHLY_FORM)
    rc = check_person(db, rec->signed_by, CBC_ROLE_UNION_CADRE, "a union cadre (the union's "
                      "head)", &unit, "sign");
  else if (!rc)
    rc = check_person(db, rec->signed_by, CBC_ROLE_PRINCIPAL, "a principal", &unit, "sign");
  return rc;
}

/* --------------------------------------------------------- the snapshot */

/* The report's three renderings into @p f's json, text and csv, and its
 * due date (@p h: the major-hazard report's hazard, else NULL). */
static int render_report(cbc_db *db, const cbc_filing_record *rec, const cbc_hazard *h,
                         cbc_filing *f)
{
  cbc_stats_format formats[] = { CBC_STATS_JSON, CBC_STATS_TEXT, CBC_STATS_CSV };
  char **outs[] = { &f->json, &f->text, &f->csv };
  int rc;
  if (h) {
    rc = major_due(&f->due_at, db, h->reported_at);
    return rc ? rc : cbc__major_report_render(db, h, rec, &f->json, &f->text, &f->csv);
  }
  rc = due_of(&f->due_at, db, rec->kind, &rec->period);
  if (rc)
    return rc;
  if (rec->kind == CBC_FILING_CONGRESS_REPORT)
    return cbc__congress_report_render(db, rec->unit_id, &rec->period, &f->json, &f->text,
                                       &f->csv);
  if (rec->kind == CBC_FILING_MONTHLY_FORM) {
    cbc_stats_form *form = NULL;
    rc = cbc_stats_form_get(&form, db, rec->unit_id, &rec->period, 0);
    for (int i = 0; i < 3 && !rc; i++)
      rc = cbc_stats_form_render(outs[i], db, form, formats[i]);
    cbc_stats_form_free(form);
  } else {
    cbc_hazard_table *table = NULL;
    rc = cbc_hazard_table_get(&table, db, rec->unit_id, &rec->period);
    for (int i = 0; i < 3 && !rc; i++)
      rc = cbc_hazard_table_render(outs[i], db, table, formats[i]);
    cbc_hazard_table_free(table);
  }
  return rc;
}

static void filing_clear(cbc_filing *f)
{
  cbc__free(f->note);
  cbc__free(f->json);
  cbc__free(f->text);
  cbc__free(f->csv);
  memset(f, 0, sizeof(*f));
}

static cbc_store_filing_key key_of(int64_t unit_id, cbc_filing_kind kind, const cbc_period *p,
                                   int64_t hazard_id)
{
  cbc_store_filing_key k = { unit_id, (int)kind, (int)p->kind, p->year, p->number, hazard_id };
  return k;
}

typedef struct submit_args {
  int64_t actor_id;
  const cbc_filing_record *rec;
} submit_args;

static int submit(cbc_db *db, const void *arg, int64_t *out_id)
{
  const submit_args *a = arg;
  const cbc_filing_record *rec = a->rec;
  cbc_hazard *h = NULL;
  cbc_filing f = { 0 };
  cbc_store_filing_key k = key_of(rec->unit_id, rec->kind, &rec->period, rec->hazard_id);
  int64_t first_at;
  int rc = rec->kind == CBC_FILING_MAJOR_HAZARD_REPORT
             ? cbc_hazard_lookup(&h, db, rec->hazard_id) : 0;
  if (!rc)
    rc = check_filers(db, a->actor_id, rec, h);
  if (!rc)
    rc = cbc_store__filing_lock(db->store, rec->unit_id);
  if (!rc)
    rc = cbc_store__filing_versions(db->store, &k, &f.version, &first_at);
  if (!rc)
    rc = render_report(db, rec, h, &f);
  cbc_hazard_free(h);
  if (!rc && !(f.note = cbc__strdup(rec->note ? rec->note : "")))
    rc = cbc__error_oom();
  int64_t tenant = 0;
  if (!rc)
    rc = cbc__tenant_of(db, rec->unit_id, &tenant);
  if (!rc) /* the head its own link will follow (locked until the call ends) */
    rc = cbc__history_head(db, tenant, &f.checkpoint);
  if (!rc)
    rc = cbc__filing_stamp(&f, &f.checkpoint);
  if (!rc) {
    f.kind = rec->kind;
    f.unit_id = rec->unit_id;
    f.period = rec->period;
    f.version++;
    f.filed_by = a->actor_id;
    f.signed_by = rec->signed_by;
    f.filed_at = cbc_db_now(db);
    f.hazard_id = rec->hazard_id;
    rc = cbc_store__filing_insert(db->store, &f, tenant, out_id);
  }
  filing_clear(&f);
  return rc;
}

/* The major-hazard report's own fields: a hazard, the analysis, no period. */
static int check_major_record(const cbc_filing_record *rec)
{
  const cbc_period *p = &rec->period;
  if (p->kind || p->year || p->number || p->from || p->to)
    return cbc__error(CBC_EINVAL, "the major-hazard report has no period: leave it zeroed");
  if (rec->hazard_id <= 0)
    return cbc__error(CBC_EINVAL, "the major-hazard report needs its hazard (hazard_id)");
  int rc = cbc__long_text_check("cause", rec->cause, 1, CBC_MAX_TEXT);
  if (!rc)
    rc = cbc__long_text_check("harm", rec->harm, 1, CBC_MAX_TEXT);
  if (!rc)
    rc = cbc__long_text_check("difficulty", rec->difficulty, 1, CBC_MAX_TEXT);
  return rc;
}

/* A periodic report's own fields: a period begun, no hazard or analysis. */
static int check_periodic_record(cbc_db *db, const cbc_filing_record *rec)
{
  int64_t from, to;
  int rc = check_period(db, rec->kind, &rec->period, &from, &to);
  if (!rc && from > cbc_db_now(db))
    rc = cbc__error(CBC_EINVAL, "the period has not begun: nothing can be filed for it yet");
  if (!rc && (rec->hazard_id || rec->cause || rec->harm || rec->difficulty))
    rc = cbc__error(CBC_EINVAL, "only the major-hazard report names a hazard and its "
                                "analysis (hazard_id, cause, harm, difficulty)");
  return rc;
}

/* The record's own fields, before anything is read. */
static int check_record(cbc_db *db, const cbc_filing_record *rec)
{
  int rc = cbc__check_version("filing record", rec->version, CBC_FILING_RECORD_VERSION);
  if (!rc)
    rc = rec->kind == CBC_FILING_MAJOR_HAZARD_REPORT ? check_major_record(rec)
                                                     : check_periodic_record(db, rec);
  if (!rc && rec->note)
    rc = cbc__long_text_check("note", rec->note, 0, CBC_MAX_TEXT);
  return rc;
}

CBC_EXTERN(int) cbc_filing_submit(int64_t *out_id, cbc_db *db, int64_t actor_id,
                                  const cbc_filing_record *rec)
{
  CBC__CHECK_ARG(rec);
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = check_record(db, rec);
  if (db)
    cbc_store__done(db->store);
  if (rc)
    return rc;
  submit_args a = { actor_id, rec };
  return cbc__db_write_call(db, 0, submit, &a, out_id);
}

/* ------------------------------------------------------------- reading */

CBC_EXTERN(void) cbc_filing_free(cbc_filing *filing)
{
  if (!filing)
    return;
  filing_clear(filing);
  cbc__free(filing);
}

/* A filing read by @p read into a new allocation. */
static int read_filing(cbc_filing **out, cbc_db *db,
                       int (*read)(cbc_db *db, const void *arg, cbc_filing *f, bool *found),
                       const void *arg)
{
  *out = NULL;
  cbc_filing *f = cbc__calloc(1, sizeof(*f));
  bool found = false;
  int rc = f ? read(db, arg, f, &found) : cbc__error_oom();
  cbc_store__done(db->store);
  if (!rc && !found)
    rc = cbc__error(CBC_ENOTFOUND, "no such filing");
  if (rc) {
    cbc_filing_free(f);
    return rc;
  }
  *out = f;
  return 0;
}

static int read_by_id(cbc_db *db, const void *arg, cbc_filing *f, bool *found)
{
  return cbc_store__filing_by_id(db->store, *(const int64_t *)arg, f, found);
}

CBC_EXTERN(int) cbc_filing_lookup(cbc_filing **out, cbc_db *db, int64_t filing_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  return rc ? rc : read_filing(out, db, read_by_id, &filing_id);
}

typedef struct version_args {
  cbc_store_filing_key key;
  int version;
} version_args;

static int read_version(cbc_db *db, const void *arg, cbc_filing *f, bool *found)
{
  const version_args *a = arg;
  return cbc_store__filing_version(db->store, &a->key, a->version, f, found);
}

CBC_EXTERN(int) cbc_filing_get(cbc_filing **out, cbc_db *db, int64_t unit_id,
                               cbc_filing_kind kind, const cbc_period *period, int version)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  int rc = cbc__db_check(db);
  if (!rc)
    rc = period_ok(db, kind, period);
  if (!rc && version < 0)
    rc = cbc__error(CBC_EINVAL, "a filing's version is 1 or more, or 0 for the newest");
  if (rc) {
    if (db)
      cbc_store__done(db->store);
    return rc;
  }
  version_args a = { key_of(unit_id, kind, period, 0), version };
  return read_filing(out, db, read_version, &a);
}

CBC_EXTERN(int) cbc_filing_get_for_hazard(cbc_filing **out, cbc_db *db, int64_t hazard_id,
                                          int version)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int rc = cbc__db_check(db);
  if (!rc && version < 0)
    rc = cbc__error(CBC_EINVAL, "a filing's version is 1 or more, or 0 for the newest");
  if (rc)
    return rc;
  cbc_hazard *h = NULL;
  rc = cbc_hazard_lookup(&h, db, hazard_id);
  version_args a = { { h ? h->enterprise_id : 0, CBC_FILING_MAJOR_HAZARD_REPORT, 0, 0, 0,
                       hazard_id }, version };
  cbc_hazard_free(h);
  if (rc) {
    cbc_store__done(db->store);
    return rc;
  }
  return read_filing(out, db, read_version, &a);
}

int cbc__filing_state(cbc_db *db, int64_t unit_id, cbc_filing_kind kind,
                      const cbc_period *period, cbc_filing_state *out)
{
  cbc_store_filing_key k = key_of(unit_id, kind, period, 0);
  int64_t due, first_at;
  int versions;
  int rc = due_of(&due, db, kind, period);
  if (!rc)
    rc = cbc_store__filing_versions(db->store, &k, &versions, &first_at);
  if (!rc && versions)
    *out = first_at > due ? CBC_FILING_LATE : CBC_FILING_ON_TIME;
  else if (!rc)
    *out = cbc_db_now(db) > due ? CBC_FILING_MISSING : CBC_FILING_PENDING;
  return rc;
}

/* -------------------------------------------------------------- status */

CBC_EXTERN(void) cbc_filing_status_free(cbc_filing_status *status)
{
  if (!status)
    return;
  cbc__free(status->entries);
  cbc__free(status);
}

/* One entry from what its unit filed (NULL: nothing). */
static void set_entry(cbc_filing_status *st, cbc_filing_status_entry *e,
                      const cbc_store_filed *filed)
{
  if (filed) {
    e->versions = filed->versions;
    e->first_filed_at = filed->first_at;
    e->last_filed_at = filed->last_at;
    e->state = filed->first_at > st->due_at ? CBC_FILING_LATE : CBC_FILING_ON_TIME;
  } else {
    e->state = st->at > st->due_at ? CBC_FILING_MISSING : CBC_FILING_PENDING;
  }
  size_t *counts[] = { NULL, &st->on_time, &st->late, &st->missing, &st->pending };
  (*counts[e->state])++;
}

/* The entries of the units that owe the report, merged (both by unit id)
 * with what the subtree filed. */
static int fill_entries(cbc_db *db, cbc_filing_status *st)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t *filers = NULL;
  cbc_store_filed *filed = NULL;
  size_t n_filers = 0, n_filed = 0;
  cbc_store_filing_key k = key_of(st->unit_id, st->kind, &st->period, 0);
  bool children = st->kind == CBC_FILING_MONTHLY_FORM;
  int rc = cbc_store__unit_range(db->store, st->unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = cbc_store__filers(db->store, st->unit_id, children, lo, hi, &filers, &n_filers);
  if (!rc)
    rc = cbc_store__filed_in(db->store, lo, hi, &k, &filed, &n_filed);
  if (!rc && n_filers && !(st->entries = cbc__calloc(n_filers, sizeof(*st->entries))))
    rc = cbc__error_oom();
  for (size_t i = 0, j = 0; !rc && i < n_filers; i++) {
    while (j < n_filed && filed[j].unit_id < filers[i])
      j++;
    st->entries[i].unit_id = filers[i];
    set_entry(st, &st->entries[i], j < n_filed && filed[j].unit_id == filers[i] ? &filed[j]
                                                                                : NULL);
  }
  if (!rc)
    st->n_entries = n_filers;
  cbc__free(filers);
  cbc__free(filed);
  return rc;
}

static int status_of(cbc_db *db, cbc_filing_status *st)
{
  cbc__scope node; /* read for its CBC_ENOTFOUND */
  int rc = period_ok(db, st->kind, &st->period);
  if (!rc)
    rc = cbc__scope_of_unit(db, st->unit_id, &node);
  if (!rc)
    rc = due_of(&st->due_at, db, st->kind, &st->period);
  st->at = cbc_db_now(db);
  return rc ? rc : fill_entries(db, st);
}

CBC_EXTERN(int) cbc_filing_status_get(cbc_filing_status **out, cbc_db *db, int64_t unit_id,
                                      cbc_filing_kind kind, const cbc_period *period)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(period);
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  cbc_filing_status *st = cbc__calloc(1, sizeof(*st));
  if (!st)
    return cbc__error_oom();
  st->unit_id = unit_id;
  st->kind = kind;
  st->period = *period;
  rc = status_of(db, st);
  cbc_store__done(db->store);
  if (rc) {
    cbc_filing_status_free(st);
    return rc;
  }
  *out = st;
  return 0;
}
