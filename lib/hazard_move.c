/* Moves: their JSON form and the fold (lib/hazard_internal.h). */
#include "hazard_internal.h"
#include "fsm.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- JSON out */

typedef struct jbuf {
  char *p;
  size_t len, cap;
  bool oom, first;
} jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = cbc__realloc(b->p, cap);
    if (!p) {
      b->oom = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void key(jbuf *b, const char *k)
{
  put(b, b->first ? "\"" : ",\"", b->first ? 1 : 2);
  b->first = false;
  put(b, k, strlen(k));
  put(b, "\":", 2);
}

static void put_int(jbuf *b, const char *k, int64_t v)
{
  char num[32];
  if (!v)
    return;
  key(b, k);
  put(b, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, v));
}

/* Text is valid UTF-8 without control characters (checked on input), so
 * only '"' and '\\' need escaping. */
static void put_text(jbuf *b, const char *k, const char *v)
{
  if (!v || !*v)
    return;
  key(b, k);
  put(b, "\"", 1);
  for (const char *s = v; *s; s++) {
    if (*s == '"' || *s == '\\')
      put(b, "\\", 1);
    put(b, s, 1);
  }
  put(b, "\"", 1);
}

int cbc__move_to_json(const cbc__move *m, char **out)
{
  jbuf b = { NULL, 0, 0, false, true };
  put(&b, "{", 1);
  put_int(&b, "reporter_id", m->reporter_id);
  put_int(&b, "unit_id", m->unit_id);
  put_int(&b, "enterprise_id", m->enterprise_id);
  put_int(&b, "observed_at", m->observed_at);
  put_text(&b, "title", m->title);
  put_text(&b, "description", m->description);
  put_text(&b, "location", m->location);
  put_int(&b, "kind", m->kind);
  put_int(&b, "category", m->category);
  put_int(&b, "check_item", m->check_item);
  put_int(&b, "source", m->source);
  put_int(&b, "proposed_severity", m->proposed_severity);
  put_int(&b, "severity", m->severity);
  put_int(&b, "level", m->level);
  put_int(&b, "responsible_id", m->responsible_id);
  put_text(&b, "measures", m->measures);
  put_int(&b, "funds_fen", m->funds_fen);
  put_int(&b, "deadline", m->deadline);
  put_text(&b, "contingency_plan", m->contingency_plan);
  if (m->has_plan) {
    put_int(&b, "has_plan", 1);
    put_text(&b, "plan_goals", m->plan.goals);
    put_text(&b, "plan_methods", m->plan.methods);
    put_text(&b, "plan_funds_materials", m->plan.funds_materials);
    put_text(&b, "plan_responsible_bodies", m->plan.responsible_bodies);
    put_int(&b, "plan_time_limit", m->plan.time_limit);
    put_text(&b, "plan_safety_measures", m->plan.safety_measures);
  }
  put_text(&b, "reason", m->reason);
  put_int(&b, "duplicate_of", m->duplicate_of);
  put_text(&b, "authority", m->authority);
  put_text(&b, "document", m->document);
  put_int(&b, "listed_at", m->listed_at);
  put_int(&b, "approve", m->approve);
  put_text(&b, "note", m->note);
  put(&b, "}", 1);
  if (b.oom) {
    cbc__free(b.p);
    return cbc__error_oom();
  }
  *out = b.p;
  return 0;
}

/* ----------------------------------------------------------------- JSON in */

static int64_t get_int(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static const char *get_text(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

int cbc__move_from_event(cbc__move *m, const cbc_hazard_event *ev, void **json_holder)
{
  json_error_t err;
  json_t *o = json_loads(ev->data ? ev->data : "{}", 0, &err);
  *json_holder = o;
  if (!json_is_object(o))
    return cbc__error(CBC_ECORRUPT, "hazard event %lld: its data is not a JSON object (%s)",
                      (long long)ev->id, err.text);
  memset(m, 0, sizeof(*m));
  m->action = ev->action;
  m->at = ev->at;
  m->actor_id = ev->actor_id;
  m->reporter_id = get_int(o, "reporter_id");
  m->unit_id = get_int(o, "unit_id");
  m->enterprise_id = get_int(o, "enterprise_id");
  m->observed_at = get_int(o, "observed_at");
  m->title = get_text(o, "title");
  m->description = get_text(o, "description");
  m->location = get_text(o, "location");
  m->kind = (int)get_int(o, "kind");
  m->category = (int)get_int(o, "category");
  m->check_item = (int)get_int(o, "check_item");
  m->source = (int)get_int(o, "source");
  m->proposed_severity = (int)get_int(o, "proposed_severity");
  m->severity = (int)get_int(o, "severity");
  m->level = (int)get_int(o, "level");
  m->responsible_id = get_int(o, "responsible_id");
  m->measures = get_text(o, "measures");
  m->funds_fen = get_int(o, "funds_fen");
  m->deadline = get_int(o, "deadline");
  m->contingency_plan = get_text(o, "contingency_plan");
  m->has_plan = (int)get_int(o, "has_plan");
  m->plan.goals = get_text(o, "plan_goals");
  m->plan.methods = get_text(o, "plan_methods");
  m->plan.funds_materials = get_text(o, "plan_funds_materials");
  m->plan.responsible_bodies = get_text(o, "plan_responsible_bodies");
  m->plan.time_limit = get_int(o, "plan_time_limit");
  m->plan.safety_measures = get_text(o, "plan_safety_measures");
  m->reason = get_text(o, "reason");
  m->duplicate_of = get_int(o, "duplicate_of");
  m->authority = get_text(o, "authority");
  m->document = get_text(o, "document");
  m->listed_at = get_int(o, "listed_at");
  m->approve = (int)get_int(o, "approve");
  m->note = get_text(o, "note");
  return 0;
}

void cbc__move_json_free(void *json_holder) { json_decref((json_t *)json_holder); }
