/* Moves: their JSON form and the fold (lib/hazard_internal.h). */
#include "hazard_internal.h"
#include "fsm.h"
#include <jansson.h>
#include <limits.h>
#include <string.h>

/* ---------------------------------------------------------------- JSON out */

/* Zero integers and empty texts are left out (a reader takes them as 0 and
 * NULL).  *ok turns false when jansson runs out of memory. */
static void put_int(json_t *o, const char *k, int64_t v, bool *ok)
{
  if (*ok && v)
    *ok = json_object_set_new(o, k, json_integer((json_int_t)v)) == 0;
}

static void put_text(json_t *o, const char *k, const char *v, bool *ok)
{
  if (*ok && v && *v)
    *ok = json_object_set_new(o, k, json_string(v)) == 0; /* checked UTF-8 */
}

int cbc__move_to_json(const cbc__move *m, char **out)
{
  json_t *o = json_object();
  bool ok = o != NULL;
  put_int(o, "reporter_id", m->reporter_id, &ok);
  put_int(o, "unit_id", m->unit_id, &ok);
  put_int(o, "enterprise_id", m->enterprise_id, &ok);
  put_int(o, "observed_at", m->observed_at, &ok);
  put_text(o, "title", m->title, &ok);
  put_text(o, "description", m->description, &ok);
  put_text(o, "location", m->location, &ok);
  put_int(o, "kind", m->kind, &ok);
  put_int(o, "category", m->category, &ok);
  put_int(o, "check_item", m->check_item, &ok);
  put_int(o, "source", m->source, &ok);
  put_int(o, "proposed_severity", m->proposed_severity, &ok);
  put_int(o, "severity", m->severity, &ok);
  put_int(o, "level", m->level, &ok);
  put_int(o, "responsible_id", m->responsible_id, &ok);
  put_text(o, "measures", m->measures, &ok);
  put_int(o, "funds_fen", m->funds_fen, &ok);
  put_int(o, "deadline", m->deadline, &ok);
  put_text(o, "contingency_plan", m->contingency_plan, &ok);
  if (m->has_plan) {
    put_int(o, "has_plan", 1, &ok);
    put_text(o, "plan_goals", m->plan.goals, &ok);
    put_text(o, "plan_methods", m->plan.methods, &ok);
    put_text(o, "plan_funds_materials", m->plan.funds_materials, &ok);
    put_text(o, "plan_responsible_bodies", m->plan.responsible_bodies, &ok);
    put_int(o, "plan_time_limit", m->plan.time_limit, &ok);
    put_text(o, "plan_safety_measures", m->plan.safety_measures, &ok);
  }
  put_text(o, "reason", m->reason, &ok);
  put_int(o, "duplicate_of", m->duplicate_of, &ok);
  put_text(o, "authority", m->authority, &ok);
  put_text(o, "document", m->document, &ok);
  put_int(o, "listed_at", m->listed_at, &ok);
  put_int(o, "approve", m->approve, &ok);
  put_text(o, "note", m->note, &ok);
  put_int(o, "amended", m->amended, &ok);
  if (!ok) {
    json_decref(o);
    o = NULL;
  }
  return cbc__json_dump(o, JSON_COMPACT | JSON_PRESERVE_ORDER, out);
}

/* ----------------------------------------------------------------- JSON in */

static int64_t get_int(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* An enum or flag: a value beyond int is -1, which the checks refuse. */
static int get_small(json_t *o, const char *k)
{
  int64_t v = get_int(o, k);
  return v >= INT_MIN && v <= INT_MAX ? (int)v : -1;
}

static const char *get_text(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Event data from the file is untrusted: every enum 0 (absent) or known,
 * every amount and time in range. */
static int move_data_check(const cbc__move *m, const cbc_hazard_event *ev)
{
  const struct {
    int64_t v, lo, hi;
  } r[] = {
    { m->kind, CBC_HAZARD_HARD, CBC_HAZARD_SOFT },
    { m->category, CBC_CATEGORY_SAFETY, CBC_CATEGORY_OCCUPATIONAL_HEALTH },
    { m->check_item, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL },
    { m->source, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SUPERVISION_VISIT },
    { m->proposed_severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR },
    { m->severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR },
    { m->level, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE },
    { m->has_plan, 1, 1 },
    { m->approve, 1, 1 },
    { m->funds_fen, 1, CBC_MAX_AMOUNT_FEN },
    { m->observed_at, 1, CBC_TIME_MAX },
    { m->deadline, 1, CBC_TIME_MAX },
    { m->plan.time_limit, 1, CBC_TIME_MAX },
    { m->listed_at, 1, CBC_TIME_MAX },
    { m->reporter_id, 1, INT64_MAX },
    { m->unit_id, 1, INT64_MAX },
    { m->enterprise_id, 1, INT64_MAX },
    { m->responsible_id, 1, INT64_MAX },
    { m->duplicate_of, 1, INT64_MAX },
  };
  for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
    if (r[i].v != 0 && (r[i].v < r[i].lo || r[i].v > r[i].hi))
      return cbc__error(CBC_ECORRUPT, "hazard event %lld: its data holds a value out of range "
                        "(%lld; a damaged database)", (long long)ev->id, (long long)r[i].v);
  return 0;
}

/* An amendment names known fields, and each enum, person and text it names
 * is there (a funds of 0 is a value). */
static int amend_data_check(const cbc__move *m, const cbc_hazard_event *ev, int64_t amended)
{
  if (amended == 0 && m->action != CBC_ACTION_AMEND)
    return 0;
  const struct {
    unsigned int bit;
    bool present;
  } named[] = {
    { CBC_AMEND_RESPONSIBLE, m->responsible_id != 0 },
    { CBC_AMEND_MEASURES, m->measures != NULL },
    { CBC_AMEND_DEADLINE, m->deadline != 0 },
    { CBC_AMEND_CONTINGENCY_PLAN, m->contingency_plan != NULL },
    { CBC_AMEND_SEVERITY, m->severity != 0 },
    { CBC_AMEND_KIND, m->kind != 0 },
    { CBC_AMEND_CATEGORY, m->category != 0 },
    { CBC_AMEND_CHECK_ITEM, m->check_item != 0 },
  };
  bool ok = m->action == CBC_ACTION_AMEND && amended > 0 && amended <= CBC_AMEND_ALL;
  for (size_t i = 0; ok && i < sizeof(named) / sizeof(named[0]); i++)
    ok = !(m->amended & named[i].bit) || named[i].present;
  return ok ? 0 : cbc__error(CBC_ECORRUPT, "hazard event %lld: a damaged amendment (fields "
                             "0x%llx; a damaged database)", (long long)ev->id,
                             (long long)amended);
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
  m->kind = get_small(o, "kind");
  m->category = get_small(o, "category");
  m->check_item = get_small(o, "check_item");
  m->source = get_small(o, "source");
  m->proposed_severity = get_small(o, "proposed_severity");
  m->severity = get_small(o, "severity");
  m->level = get_small(o, "level");
  m->responsible_id = get_int(o, "responsible_id");
  m->measures = get_text(o, "measures");
  m->funds_fen = get_int(o, "funds_fen");
  m->deadline = get_int(o, "deadline");
  m->contingency_plan = get_text(o, "contingency_plan");
  m->has_plan = get_small(o, "has_plan");
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
  m->approve = get_small(o, "approve");
  m->note = get_text(o, "note");
  int64_t amended = get_int(o, "amended");
  m->amended = amended > 0 && amended <= CBC_AMEND_ALL ? (unsigned int)amended : 0;
  int rc = move_data_check(m, ev);
  return rc ? rc : amend_data_check(m, ev, amended);
}

void cbc__move_json_free(void *json_holder) { json_decref((json_t *)json_holder); }
