/* Reading hazards back: one hazard with its attachments, and its history. */
#include "hazard_internal.h"
#include "event_codec.h"
#include "followup.h"
#include <stdio.h>
#include <string.h>

static int load_attachments(cbc_db *db, cbc_hazard *h)
{
  cbc_store_cursor *c;
  cbc_hazard_attachment a;
  size_t cap = 0;
  int rc = cbc_store__hazard_attachments(&c, db->store, h->id);
  while (!rc && (rc = cbc_store__cursor_attachment(c, &a)) == 0) {
    if (h->n_attachments == cap) {
      cap = cap ? cap * 2 : 4;
      cbc_hazard_attachment *grown = cbc__realloc(h->attachments, cap * sizeof(a));
      if (!grown) {
        rc = cbc__error_oom();
        break;
      }
      h->attachments = grown;
    }
    cbc_hazard_attachment *dst = &h->attachments[h->n_attachments];
    *dst = a;
    dst->uri = cbc__strdup(a.uri);
    dst->media_type = cbc__strdup(a.media_type);
    dst->sha256 = cbc__strdup(a.sha256);
    h->n_attachments++;
    if (!dst->uri || !dst->media_type || !dst->sha256)
      rc = cbc__error_oom();
  }
  cbc_store__cursor_free(c);
  return rc == CBC_ITEROVER ? 0 : rc;
}

CBC_EXTERN(int) cbc_hazard_lookup(cbc_hazard **out, cbc_db *db, int64_t hazard_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_hazard found;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__hazard_get(db->store, hazard_id, &found);
  if (!rc)
    rc = cbc__hazard_copy(out, &found);
  if (!rc && (rc = load_attachments(db, *out)) != 0) {
    cbc_hazard_free(*out);
    *out = NULL;
  }
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(void) cbc_hazard_events_free(cbc_hazard_event *events, size_t count)
{
  for (size_t i = 0; events && i < count; i++)
    cbc__free(events[i].data);
  cbc__free(events);
}

/* The data of an event from the file is untrusted: it must be a JSON object
 * whose values are in range, as the fold reads it (CBC_ECORRUPT). */
static int event_data_check(const cbc_hazard_event *ev)
{
  cbc__move m;
  void *holder;
  int rc = cbc__move_from_event(&m, ev, &holder);
  cbc__move_json_free(holder);
  return rc;
}

/* The event's data as the caller sees it, owned: the JSON of its packed
 * form (lib/event_codec.h), or the JSON text stored before packing. */
static int event_data_json(cbc_hazard_event *ev, const void *packed, size_t len,
                           const cbc_hazard *row)
{
  if (packed)
    return cbc__event_json(packed, len, ev, row, &ev->data);
  return (ev->data = cbc__strdup(ev->data)) != NULL ? 0 : cbc__error_oom();
}

static int collect_events(cbc_store_cursor *c, const cbc_hazard *row, cbc_hazard_event **out,
                          size_t *count)
{
  cbc_hazard_event ev;
  const void *packed;
  size_t cap = 0, len;
  int rc;
  while ((rc = cbc_store__cursor_hazard_event(c, &ev, &packed, &len)) == 0) {
    if (*count == cap) {
      cap = cap ? cap * 2 : 8;
      cbc_hazard_event *grown = cbc__realloc(*out, cap * sizeof(ev));
      if (!grown)
        return cbc__error_oom();
      *out = grown;
    }
    if ((rc = event_data_json(&ev, packed, len, row)) != 0)
      return rc;
    (*out)[(*count)++] = ev;
    if ((rc = event_data_check(&ev)) != 0)
      return rc;
  }
  return rc == CBC_ITEROVER ? 0 : rc;
}

CBC_EXTERN(int) cbc_hazard_history(cbc_hazard_event **out, size_t *count, cbc_db *db,
                                   int64_t hazard_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(count);
  *count = 0;
  cbc_hazard h;
  cbc_store_cursor *c = NULL;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__hazard_get(db->store, hazard_id, &h);
  if (!rc)
    rc = cbc_store__hazard_events(&c, db->store, hazard_id);
  if (!rc)
    rc = collect_events(c, &h, out, count);
  cbc_store__cursor_free(c);
  if (db)
    cbc_store__done(db->store);
  if (rc) {
    cbc_hazard_events_free(*out, *count);
    *out = NULL;
    *count = 0;
  }
  return rc;
}

/* Iteration (the ledger): lib/hazard_ledger.c. */

/* --------------------------------------------------------------- answers */

CBC_EXTERN(void) cbc_hazard_answer_free(cbc_hazard_answer *answer)
{
  if (!answer)
    return;
  cbc__free(answer->title);
  cbc__free(answer->answer);
  cbc__free(answer);
}

/* What the reporter hears: the outcome, in words. */
static int make_answer(cbc_hazard_answer **out, const cbc_hazard *h)
{
  char text[CBC_MAX_TEXT + 64] = "";
  if (h->state == CBC_HAZARD_REJECTED && h->duplicate_of)
    snprintf(text, sizeof(text), "duplicate of hazard %lld%s%s", (long long)h->duplicate_of,
             *h->reject_reason ? ": " : "", h->reject_reason);
  else if (h->state == CBC_HAZARD_REJECTED)
    snprintf(text, sizeof(text), "%s", h->reject_reason);
  else if (h->state == CBC_HAZARD_CLOSED)
    snprintf(text, sizeof(text), "%s", *h->last_note ? h->last_note : "rectified and verified");
  cbc_hazard_answer *a = cbc__calloc(1, sizeof(*a));
  if (!a)
    return cbc__error_oom();
  a->hazard_id = h->id;
  a->state = h->state;
  a->updated_at = h->updated_at;
  a->title = cbc__strdup(h->title);
  a->answer = cbc__strdup(text);
  if (!a->title || !a->answer) {
    cbc_hazard_answer_free(a);
    return cbc__error_oom();
  }
  *out = a;
  return 0;
}

CBC_EXTERN(int) cbc_hazard_answer_for(cbc_hazard_answer **out, cbc_db *db, int64_t hazard_id,
                                      int64_t reporter_id)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_hazard h;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc_store__hazard_get(db->store, hazard_id, &h);
  if (!rc && (reporter_id <= 0 || h.reporter_id != reporter_id)) {
    char who[CBC__REF_SIZE];
    cbc__describe_employee(db, "employee", reporter_id, who);
    rc = cbc__error(CBC_EPERM, "hazard %lld was not reported by %s", (long long)hazard_id, who);
  }
  if (!rc)
    rc = make_answer(out, &h);
  if (db)
    cbc_store__done(db->store);
  return rc;
}

CBC_EXTERN(int) cbc_hazard_answer_by_key(cbc_hazard_answer **out, cbc_db *db,
                                         const char *followup_key)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(followup_key);
  cbc_hazard h;
  int64_t id = 0;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = cbc__followup_find(db, followup_key, true, &id);
  if (!rc)
    rc = cbc_store__hazard_get(db->store, id, &h);
  if (!rc)
    rc = make_answer(out, &h);
  if (db)
    cbc_store__done(db->store);
  return rc;
}
