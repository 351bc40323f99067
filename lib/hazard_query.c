/* Reading hazards back: one hazard with its attachments, and its history. */
#include "hazard_internal.h"
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

static int collect_events(cbc_store_cursor *c, cbc_hazard_event **out, size_t *count)
{
  cbc_hazard_event ev;
  size_t cap = 0;
  int rc;
  while ((rc = cbc_store__cursor_hazard_event(c, &ev)) == 0) {
    if (*count == cap) {
      cap = cap ? cap * 2 : 8;
      cbc_hazard_event *grown = cbc__realloc(*out, cap * sizeof(ev));
      if (!grown)
        return cbc__error_oom();
      *out = grown;
    }
    ev.data = cbc__strdup(ev.data);
    (*out)[(*count)++] = ev;
    if (!ev.data)
      return cbc__error_oom();
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
    rc = collect_events(c, out, count);
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
