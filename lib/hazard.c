/* The hazard ledger's calls (include/cbc/hazard.h): reporting, and the
 * queries of one hazard.  Every move is folded into the hazard and appended
 * to its history in the same transaction. */
#include "hazard_internal.h"
#include "event_codec.h"
#include "followup.h"
#include "fsm.h"
#include "org_scope.h"
#include "request.h"
#include "stats_internal.h"
#include <stdio.h>
#include <string.h>

CBC__STRUCT_INIT_FN(cbc_attachment_init, cbc_attachment, CBC_ATTACHMENT_VERSION,
                    CBC_ATTACHMENT_INIT)
/* version 2 appended request_key */
CBC__KEYED_INIT_FN(cbc_hazard_record_init, cbc_hazard_record, CBC_HAZARD_RECORD_VERSION,
                   CBC_HAZARD_RECORD_INIT, 2)
CBC__STRUCT_INIT_FN(cbc_hazard_registration_init, cbc_hazard_registration,
                    CBC_HAZARD_REGISTRATION_VERSION, CBC_HAZARD_REGISTRATION_INIT)
/* cbc_hazard_filter_init: lib/hazard_ledger.c (version 2 appended fields) */

static bool known(int v, int lo, int hi) { return v >= lo && v <= hi; }

static int check_enums(const cbc_hazard_record *r)
{
  if (!known(r->kind, CBC_HAZARD_HARD, CBC_HAZARD_SOFT))
    return cbc__error(CBC_EINVAL, "unknown hazard kind %d", (int)r->kind);
  if (!known(r->category, CBC_CATEGORY_SAFETY, CBC_CATEGORY_OCCUPATIONAL_HEALTH))
    return cbc__error(CBC_EINVAL, "unknown hazard category %d", (int)r->category);
  if (!known(r->check_item, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL))
    return cbc__error(CBC_EINVAL, "unknown check item %d", (int)r->check_item);
  if (!known(r->source, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SUPERVISION_VISIT))
    return cbc__error(CBC_EINVAL, "unknown hazard source %d", (int)r->source);
  if (!known(r->proposed_severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR))
    return cbc__error(CBC_EINVAL, "unknown severity %d", (int)r->proposed_severity);
  return 0;
}

static bool is_hex64(const char *s)
{
  size_t n = 0;
  for (; s && s[n]; n++)
    if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
      return false;
  return n == 64;
}

/* "type/subtype", both non-empty, no spaces. */
static bool is_media_type(const char *s)
{
  const char *slash = s ? strchr(s, '/') : NULL;
  return slash && slash != s && slash[1] && !strchr(slash + 1, '/') && !strchr(s, ' ');
}


int cbc__attachments_check(const cbc_attachment *a, size_t n)
{
  if (n > CBC_MAX_ATTACHMENTS)
    return cbc__error(CBC_EINVAL, "%zu attachments; the limit is %d", n, CBC_MAX_ATTACHMENTS);
  if (n && !a)
    return cbc__error(CBC_EINVAL, "invalid argument: attachments is NULL");
  for (size_t i = 0; i < n; i++) {
    int rc = cbc__check_version("cbc_attachment", a[i].version, CBC_ATTACHMENT_VERSION);
    if (!rc)
      rc = cbc__text_check("attachment uri", a[i].uri, 1, CBC_MAX_URI);
    if (rc)
      return rc;
    if (!is_media_type(a[i].media_type))
      return cbc__error(CBC_EINVAL, "attachment %zu: media_type must be \"type/subtype\"", i);
    if (a[i].size < 0)
      return cbc__error(CBC_EINVAL, "attachment %zu: size is negative", i);
    if (!is_hex64(a[i].sha256))
      return cbc__error(CBC_EINVAL, "attachment %zu: sha256 must be 64 lowercase hex digits", i);
  }
  return 0;
}

int cbc__hazard_record_check(const cbc_hazard_record *r, int64_t now)
{
  int rc = cbc__check_version("cbc_hazard_record", r->version, CBC_HAZARD_RECORD_VERSION);
  if (!rc)
    rc = cbc__text_check("title", r->title, 1, CBC_MAX_TITLE);
  if (!rc)
    rc = cbc__long_text_check("description", r->description, 0, CBC_MAX_TEXT);
  if (!rc)
    rc = cbc__text_check("location", r->location, 0, CBC_MAX_TITLE);
  if (!rc)
    rc = check_enums(r);
  if (!rc)
    rc = cbc__attachments_check(r->attachments, r->n_attachments);
  if (rc)
    return rc;
  if (r->reporter_id < 0 || r->unit_id <= 0)
    return cbc__error(CBC_EINVAL, "invalid reporter or unit id");
  if (r->reporter_id == 0 && r->source != CBC_SOURCE_HOTLINE)
    return cbc__error(CBC_EINVAL, "only hotline tip-offs may be anonymous");
  if (r->observed_at < 0 || r->observed_at > now)
    return cbc__error(CBC_EINVAL, "observed_at is in the future or negative");
  return 0;
}

/* The enterprise the hazard's (open) unit belongs to. */
static int report_place(cbc_db *db, int64_t unit_id, int64_t *enterprise)
{
  cbc__scope sc;
  int rc = cbc__scope_of_unit(db, unit_id, &sc);
  *enterprise = rc ? 0 : sc.enterprise;
  if (rc || (!sc.closed && sc.enterprise))
    return rc;
  char unit[CBC__REF_SIZE];
  cbc__describe_unit(db, "unit", unit_id, unit);
  return cbc__error(CBC_ESTATE, "%s %s", unit,
                    sc.closed ? "is closed" : "is not part of an enterprise");
}

static int reporter_may_report(cbc_db *db, int64_t reporter_id)
{
  if (reporter_id == 0)
    return 0;
  cbc__actor a;
  int rc = cbc__actor_of(db, reporter_id, &a);
  if (rc)
    return rc;
  cbc__actor_facts f = { reporter_id, a.roles, a.active, false, false, false, false, false,
                         false };
  cbc__hazard_facts hf = { (cbc_severity)0, (cbc_level)0, false, false, false };
  rc = cbc__authz_check(CBC_ACTION_REPORT, &f, &hf);
  if (rc)
    cbc__error_prefix_employee(db, "employee", reporter_id);
  return rc;
}

/* Append a move to the history, with its attachments. */
int cbc__hazard_record_event(cbc_db *db, const cbc_hazard *h, const cbc__move *m,
                             cbc_hazard_state from, const cbc_attachment *a, size_t n,
                             cbc_attachment_stage stage)
{
  char *json = NULL;
  unsigned char *packed = NULL;
  size_t len = 0;
  int64_t event_id = 0; /* read into ev.id even when the event could not be stored */
  int rc = cbc__move_pack(m, h, &packed, &len);
  cbc_hazard_event ev = { 0, h->id, m->at, m->actor_id, m->action, from, h->state, h->level, NULL };
  if (!rc)
    rc = cbc_store__hazard_event_add(db->store, &ev, h->enterprise_id, packed, len,
                                     &event_id);
  ev.id = event_id;
  if (!rc && db->hook) /* the JSON the history gives (lib/event_codec.h) */
    rc = cbc__move_to_json(m, &json);
  ev.data = json;
  if (!rc)
    rc = cbc__db_queue_event(db, &ev);
  cbc__free(json);
  cbc__free(packed);
  for (size_t i = 0; i < n && !rc; i++) {
    cbc_hazard_attachment att = { (char *)a[i].uri, (char *)a[i].media_type, a[i].size,
                                  (char *)a[i].sha256, stage, m->at, m->actor_id };
    rc = cbc_store__hazard_attachment_add(db->store, h->id, h->enterprise_id, event_id, &att);
  }
  return rc;
}

int cbc__hazard_report_in_txn(cbc_db *db, const cbc_hazard_record *r, int64_t now,
                              const unsigned char *followup_hash, int64_t *out_id)
{
  cbc__move m = { 0 };
  m.action = CBC_ACTION_REPORT;
  m.at = now;
  m.actor_id = m.reporter_id = r->reporter_id;
  m.unit_id = r->unit_id;
  m.observed_at = r->observed_at ? r->observed_at : now;
  m.title = r->title;
  m.description = r->description;
  m.location = r->location;
  m.kind = r->kind;
  m.category = r->category;
  m.check_item = r->check_item;
  m.source = r->source;
  m.proposed_severity = r->proposed_severity;
  cbc_hazard h = { 0 };
  int rc = report_place(db, r->unit_id, &m.enterprise_id);
  if (!rc)
    rc = reporter_may_report(db, r->reporter_id);
  if (!rc)
    rc = cbc__hazard_fold(&h, &m);
  if (!rc)
    rc = cbc_store__hazard_insert(db->store, &h, followup_hash, &h.id);
  if (!rc)
    rc = cbc__hazard_record_event(db, &h, &m, (cbc_hazard_state)0, r->attachments, r->n_attachments,
                      CBC_STAGE_REPORT);
  if (!rc)
    rc = cbc__stats_hazard_reported(db, &h);
  if (!rc)
    *out_id = h.id;
  return rc;
}

void cbc__hazard_request_args(cbc__request *rq, const cbc_hazard_record *r)
{
  cbc__request_int(rq, r->reporter_id);
  cbc__request_int(rq, r->unit_id);
  cbc__request_text(rq, r->title);
  cbc__request_text(rq, r->description);
  cbc__request_text(rq, r->location);
  cbc__request_int(rq, r->kind);
  cbc__request_int(rq, r->category);
  cbc__request_int(rq, r->check_item);
  cbc__request_int(rq, r->source);
  cbc__request_int(rq, r->observed_at);
  cbc__request_int(rq, r->proposed_severity);
  cbc__request_int(rq, (int64_t)r->n_attachments);
  for (size_t i = 0; i < r->n_attachments; i++) {
    cbc__request_text(rq, r->attachments[i].uri);
    cbc__request_text(rq, r->attachments[i].media_type);
    cbc__request_int(rq, r->attachments[i].size);
    cbc__request_text(rq, r->attachments[i].sha256);
  }
}

/* A report's write (a cbc__write_fn, so a deadlock's victim runs again). */
typedef struct report_args {
  const cbc_hazard_record *report;
  const unsigned char *followup_hash; /* anonymous reports; else NULL */
  const cbc__request *rq;
  int64_t checked_at; /* the clock when the report was checked */
} report_args;

/* The report, or the retry of a keyed one: the first hazard's id and, for
 * an anonymous tip-off, the new key's hash in place of the first (only the
 * client holding the request key can retry, and it never saw the first). */
static int report_keyed(cbc_db *db, const void *args, int64_t *id)
{
  const report_args *a = args;
  int64_t at = 0;
  bool replayed = false;
  int rc = cbc__hazard_report_time(db, a->checked_at, &at);
  if (!rc)
    rc = cbc__request_replay_id(db, a->rq, &replayed, id);
  if (!rc && replayed)
    return a->followup_hash ? cbc_store__hazard_set_followup(db->store, *id, a->followup_hash)
                            : 0;
  if (!rc)
    rc = cbc__hazard_report_in_txn(db, a->report, at, a->followup_hash, id);
  return rc ? rc : cbc__request_record(db, a->rq, *id, NULL);
}

int cbc__hazard_report_time(cbc_db *db, int64_t checked_at, int64_t *at)
{
  int rc = cbc_store__reports_lock(db->store);
  int64_t now = cbc_db_now(db);
  *at = now > checked_at ? now : checked_at;
  return rc;
}

CBC_EXTERN(int) cbc_hazard_report(int64_t *out_id, char **out_followup, cbc_db *db,
                                  const cbc_hazard_record *report)
{
  if (out_followup)
    *out_followup = NULL;
  CBC__CHECK_ARG(report);
  int rc = cbc__db_check_write(db);
  int64_t now = db ? cbc_db_now(db) : 0, id = 0;
  cbc__request rq;
  if (!rc)
    rc = cbc__hazard_record_check(report, now);
  if (!rc)
    rc = cbc__request_start(&rq, CBC__REQ_HAZARD_REPORT, CBC__REQUEST_KEY_OF(report, 2));
  if (rc)
    return rc;
  cbc__hazard_request_args(&rq, report);
  cbc__request_end(&rq);
  char *key = NULL;
  unsigned char hash[CBC__FOLLOWUP_HASH_LEN];
  if (report->reporter_id == 0) {
    if (!out_followup)
      return cbc__error(CBC_EINVAL, "an anonymous report needs out_followup for its key");
    if ((rc = cbc__followup_new(&key, hash)) != 0)
      return rc;
  }
  report_args a = { report, key ? hash : NULL, &rq, now };
  if ((rc = cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, report_keyed, &a, &id)) != 0) {
    cbc__free(key);
    return rc;
  }
  if (out_id)
    *out_id = id;
  if (out_followup)
    *out_followup = key;
  return 0;
}
