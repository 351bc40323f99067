/* The report to the employee congress (职工大会或者职工代表大会; 安全生产法
 * §41; include/cbc/filing.h): an enterprise's hazard investigation and
 * rectification for a period, its hazard table and how each of its major
 * hazards stands, as text, JSON and CSV. */
#include "render.h"
#include "filing_internal.h"
#include <inttypes.h>
#include <string.h>

#define TITLE "事故隐患排查治理情况报告"
#define TO "向职工大会或者职工代表大会报告（《安全生产法》第四十一条）"

/* One major hazard's line: what it is and how it stands. */
typedef struct major_line {
  cbc_hazard *h;
  cbc__hazard_names names;
  char reported[16], deadline[16], closed[16], funds[32];
} major_line;

typedef struct congress {
  const cbc_unit *enterprise;
  char from[16], last[16];
  char *table_json, *table_text, *table_csv;
  major_line *majors;
  size_t n_majors;
} congress;

static int line_of(cbc_db *db, int64_t id, major_line *m)
{
  int rc = cbc_hazard_lookup(&m->h, db, id);
  if (!rc)
    rc = cbc__hazard_names_get(db, m->h, &m->names);
  if (rc)
    return rc;
  cbc__date_text(db, m->h->reported_at, m->reported);
  cbc__date_text(db, m->h->deadline, m->deadline);
  if (m->h->state == CBC_HAZARD_CLOSED)
    cbc__date_text(db, m->h->closed_at, m->closed);
  cbc__wan_text(m->h->funds_fen, m->funds);
  return 0;
}

static void congress_free(congress *c)
{
  cbc__free(c->table_json);
  cbc__free(c->table_text);
  cbc__free(c->table_csv);
  for (size_t i = 0; i < c->n_majors; i++) {
    cbc_hazard_free(c->majors[i].h);
    cbc__hazard_names_free(&c->majors[i].names);
  }
  cbc__free(c->majors);
}

/* The table's renderings and the major hazards' lines. */
static int gather(cbc_db *db, congress *c, int64_t unit_id, const cbc_period *period)
{
  cbc_hazard_table *t = NULL;
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  int64_t *ids = NULL;
  int rc = cbc_hazard_table_get(&t, db, unit_id, period);
  if (!rc)
    rc = cbc_hazard_table_render(&c->table_json, db, t, CBC_STATS_JSON);
  if (!rc)
    rc = cbc_hazard_table_render(&c->table_text, db, t, CBC_STATS_TEXT);
  if (!rc)
    rc = cbc_hazard_table_render(&c->table_csv, db, t, CBC_STATS_CSV);
  if (!rc) {
    cbc__date_text(db, t->from, c->from);
    cbc__date_text(db, t->to - 1, c->last);
    rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  }
  size_t n = 0;
  if (!rc)
    rc = cbc_store__major_hazards_open(db->store, lo, hi, t->from, t->to, &ids, &n);
  if (!rc && n && !(c->majors = cbc__calloc(n, sizeof(*c->majors))))
    rc = cbc__error_oom();
  for (size_t i = 0; !rc && i < n; i++, c->n_majors++)
    rc = line_of(db, ids[i], &c->majors[i]);
  cbc__free(ids);
  cbc_hazard_table_free(t);
  return rc;
}

static const char *responsible_name(const major_line *m)
{
  return m->names.responsible ? m->names.responsible->name : "";
}

/* ---- text */

static void text_of(cbc__sbuf *b, const congress *c)
{
  cbc__sb_addf(b, "%s\n%s\n\n", TITLE, TO);
  cbc__sb_adds(b, c->table_text);
  cbc__sb_adds(b, "\n重大事故隐患治理情况\n");
  if (!c->n_majors)
    cbc__sb_adds(b, "本期无重大事故隐患。\n");
  for (size_t i = 0; i < c->n_majors; i++) {
    const major_line *m = &c->majors[i];
    cbc__sb_addf(b, "（%zu）", i + 1);
    cbc__sb_adds(b, m->h->title);
    cbc__sb_addf(b, "（编号 %" PRId64 "，", m->h->id);
    cbc__sb_adds(b, m->names.unit->name);
    cbc__sb_addf(b, "）：%s；上报 %s；整改时限 %s；责任人 ",
                 cbc_enum_label(CBC_ENUM_HAZARD_STATE, m->h->state), m->reported, m->deadline);
    cbc__sb_adds(b, responsible_name(m));
    cbc__sb_addf(b, "；治理资金 %s 万元", m->funds);
    if (m->h->state == CBC_HAZARD_CLOSED)
      cbc__sb_addf(b, "；%s 销号", m->closed);
    cbc__sb_adds(b, m->h->listed ? "；挂牌督办\n" : "\n");
  }
}

/* ---- JSON: {"report", "to", "unit_id", "unit", "from", "last", "table":
 * the hazard table's JSON, "major_hazards": [{...}]} */

static json_t *major_json(const major_line *m)
{
  json_t *o = json_object();
  bool ok = o && json_object_set_new(o, "hazard_id", json_integer(m->h->id)) == 0 &&
            json_object_set_new(o, "title", json_string(m->h->title)) == 0 &&
            json_object_set_new(o, "unit", json_string(m->names.unit->name)) == 0 &&
            json_object_set_new(o, "state", json_string(cbc_enum_name(CBC_ENUM_HAZARD_STATE,
                                                                       m->h->state))) == 0 &&
            json_object_set_new(o, "reported", json_string(m->reported)) == 0 &&
            json_object_set_new(o, "deadline", json_string(m->deadline)) == 0 &&
            json_object_set_new(o, "closed", m->h->state == CBC_HAZARD_CLOSED
                                               ? json_string(m->closed) : json_null()) == 0 &&
            json_object_set_new(o, "responsible", json_string(responsible_name(m))) == 0 &&
            json_object_set_new(o, "funds_wan", json_string(m->funds)) == 0 &&
            json_object_set_new(o, "listed", json_boolean(m->h->listed)) == 0;
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *json_of(const congress *c)
{
  json_t *o = json_object(), *list = json_array();
  json_t *table = json_loads(c->table_json, 0, NULL);
  bool ok = o && list && table && json_object_set_new(o, "report", json_string(TITLE)) == 0 &&
            json_object_set_new(o, "to", json_string(TO)) == 0 &&
            json_object_set_new(o, "unit_id", json_integer(c->enterprise->id)) == 0 &&
            json_object_set_new(o, "unit", json_string(c->enterprise->name)) == 0 &&
            json_object_set_new(o, "from", json_string(c->from)) == 0 &&
            json_object_set_new(o, "last", json_string(c->last)) == 0 &&
            json_object_set(o, "table", table) == 0 &&
            json_object_set(o, "major_hazards", list) == 0;
  for (size_t i = 0; ok && i < c->n_majors; i++)
    ok = json_array_append_new(list, major_json(&c->majors[i])) == 0;
  json_decref(table);
  json_decref(list);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* ---- CSV: the hazard table's CSV, a blank line, then one line per major
 * hazard */

static void csv_of(cbc__sbuf *b, const congress *c)
{
  cbc__sb_adds(b, c->table_csv);
  cbc__sb_adds(b, "\r\nhazard_id,title,unit,state,reported,deadline,closed,responsible,"
                  "funds_wan,listed\r\n");
  for (size_t i = 0; i < c->n_majors; i++) {
    const major_line *m = &c->majors[i];
    cbc__sb_addf(b, "%" PRId64 ",", m->h->id);
    cbc__sb_csv_cell(b, m->h->title);
    cbc__sb_adds(b, ",");
    cbc__sb_csv_cell(b, m->names.unit->name);
    cbc__sb_addf(b, ",%s,%s,%s,%s,", cbc_enum_name(CBC_ENUM_HAZARD_STATE, m->h->state),
                 m->reported, m->deadline, m->h->state == CBC_HAZARD_CLOSED ? m->closed : "");
    cbc__sb_csv_cell(b, responsible_name(m));
    cbc__sb_addf(b, ",%s,%d\r\n", m->funds, m->h->listed ? 1 : 0);
  }
}

static int rendering(char **out, const congress *c, cbc_stats_format format)
{
  cbc__sbuf b = { NULL, 0, 0, false };
  if (format == CBC_STATS_TEXT)
    text_of(&b, c);
  else if (format == CBC_STATS_JSON)
    cbc__sb_json(&b, json_of(c));
  else
    csv_of(&b, c);
  return cbc__sb_finish(&b, out);
}

int cbc__congress_report_render(cbc_db *db, int64_t unit_id, const cbc_period *period,
                                char **json, char **text, char **csv)
{
  cbc_unit *enterprise = NULL;
  congress c = { 0 };
  int rc = cbc_unit_lookup(&enterprise, db, unit_id);
  c.enterprise = enterprise;
  if (!rc)
    rc = gather(db, &c, unit_id, period);
  if (!rc)
    rc = rendering(json, &c, CBC_STATS_JSON);
  if (!rc)
    rc = rendering(text, &c, CBC_STATS_TEXT);
  if (!rc)
    rc = rendering(csv, &c, CBC_STATS_CSV);
  congress_free(&c);
  cbc_unit_free(enterprise);
  return rc;
}
