/* The prompt report of a major hazard (重大事故隐患报告; 国家安全监管总局令
 * 第16号 art. 14; include/cbc/filing.h): its state and cause, its harm and
 * how hard it is to rectify, and its rectification plan, as text (the
 * report's three parts as on paper), JSON and CSV. */
#include "render.h"
#include "filing_internal.h"
#include <inttypes.h>
#include <string.h>

/* One item of the report: its section, key, heading and value. */
typedef struct item {
  const char *section, *key, *label;
  char value[64];    /* a number or a date, when @c text is NULL */
  const char *text;  /* a borrowed text; NULL: the value */
} item;

#define N_ITEMS 26

typedef struct report {
  const char *enterprise, *unit;
  int64_t hazard_id, enterprise_id;
  item items[N_ITEMS];
  size_t n;
} report;

/* The next item: its text borrowed from @p text, or, when @p text is NULL,
 * its value to be written into item::value. */
static item *put(report *r, const char *section, const char *key, const char *label,
                 const char *text)
{
  item *it = &r->items[r->n++];
  it->section = section;
  it->key = key;
  it->label = label;
  it->text = text;
  it->value[0] = '\0';
  return it;
}

static void put_date(cbc_db *db, report *r, const char *section, const char *key,
                     const char *label, int64_t t)
{
  item *it = put(r, section, key, label, NULL);
  if (t > 0)
    cbc__date_text(db, t, it->value);
}

static const char *value_of(const item *it) { return it->text ? it->text : it->value; }

/* The items of the report, texts borrowed from @p h, @p rec and @p names. */
static void gather(cbc_db *db, report *r, const cbc_hazard *h, const cbc_filing_record *rec,
                   const char *responsible)
{
  put(r, "state", "title", "隐患名称", h->title);
  put(r, "state", "description", "隐患现状", h->description);
  put(r, "state", "unit", "所在部位", r->unit);
  put(r, "state", "location", "具体位置", h->location);
  put_date(db, r, "state", "observed", "发现日期", h->observed_at);
  put_date(db, r, "state", "reported", "上报日期", h->reported_at);
  put(r, "state", "state", "治理状态", cbc_enum_label(CBC_ENUM_HAZARD_STATE, h->state));
  put(r, "state", "level", "治理层级", h->level ? cbc_enum_label(CBC_ENUM_LEVEL, h->level) : "");
  put(r, "state", "listed", "挂牌督办", h->listed ? "是" : "否");
  put(r, "state", "listing_authority", "督办部门", h->listing_authority);
  put(r, "state", "responsible", "整改责任人", responsible);
  put(r, "state", "measures", "整改措施", h->measures);
  cbc__wan_text(h->funds_fen, put(r, "state", "funds_wan", "整改资金（万元）", NULL)->value);
  put_date(db, r, "state", "deadline", "整改时限", h->deadline);
  put(r, "state", "contingency_plan", "应急预案", h->contingency_plan);
  put(r, "cause", "cause", "产生原因", rec->cause);
  put(r, "analysis", "harm", "危害程度", rec->harm);
  put(r, "analysis", "difficulty", "整改难易程度", rec->difficulty);
  put(r, "plan", "goals", "治理的目标和任务", h->plan.goals);
  put(r, "plan", "methods", "采取的方法和措施", h->plan.methods);
  put(r, "plan", "funds_materials", "经费和物资的落实", h->plan.funds_materials);
  put(r, "plan", "responsible_bodies", "负责治理的机构和人员", h->plan.responsible_bodies);
  put_date(db, r, "plan", "time_limit", "治理的时限和要求", h->plan.time_limit);
  put(r, "plan", "safety_measures", "安全措施和应急预案", h->plan.safety_measures);
}

/* ---- text: the report's three parts as on paper */

static const struct {
  const char *section, *heading;
} parts[] = {
  { "state", "一、隐患的现状及其产生原因" },
  { "cause", NULL }, /* under part one */
  { "analysis", "二、隐患的危害程度和整改难易程度分析" },
  { "plan", "三、隐患的治理方案" },
};

static void text_of(cbc__sbuf *b, const report *r)
{
  cbc__sb_addf(b, "重大事故隐患报告\n\n报告单位：%s\n隐患编号：%" PRId64 "\n", r->enterprise,
               r->hazard_id);
  for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
    if (parts[p].heading)
      cbc__sb_addf(b, "\n%s\n", parts[p].heading);
    for (size_t i = 0; i < r->n; i++)
      if (!strcmp(r->items[i].section, parts[p].section)) {
        cbc__sb_addf(b, "%s：", r->items[i].label);
        cbc__sb_adds(b, value_of(&r->items[i]));
        cbc__sb_adds(b, "\n");
      }
  }
}

/* ---- JSON: {"report", "hazard_id", "enterprise_id", "enterprise",
 * "state": {...}, "cause": {...}, "analysis": {...}, "plan": {...},
 * "labels": {key: heading}} */

static json_t *json_of(const report *r)
{
  json_t *o = json_object(), *labels = json_object();
  bool ok = o && labels && json_object_set_new(o, "report", json_string("重大事故隐患报告")) == 0 &&
            json_object_set_new(o, "hazard_id", json_integer(r->hazard_id)) == 0 &&
            json_object_set_new(o, "enterprise_id", json_integer(r->enterprise_id)) == 0 &&
            json_object_set_new(o, "enterprise", json_string(r->enterprise)) == 0;
  for (size_t i = 0; ok && i < r->n; i++) {
    const item *it = &r->items[i];
    json_t *section = json_object_get(o, it->section);
    if (!section)
      ok = (section = json_object()) && json_object_set_new(o, it->section, section) == 0;
    ok = ok && json_object_set_new(section, it->key, json_string(value_of(it))) == 0 &&
         json_object_set_new(labels, it->key, json_string(it->label)) == 0;
  }
  ok = ok && json_object_set(o, "labels", labels) == 0;
  json_decref(labels);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* ---- CSV: one line per item */

static void csv_of(cbc__sbuf *b, const report *r)
{
  cbc__sb_adds(b, "hazard_id,enterprise,section,item,label,value\r\n");
  for (size_t i = 0; i < r->n; i++) {
    cbc__sb_addf(b, "%" PRId64 ",", r->hazard_id);
    cbc__sb_csv_cell(b, r->enterprise);
    cbc__sb_addf(b, ",%s,%s,", r->items[i].section, r->items[i].key);
    cbc__sb_csv_cell(b, r->items[i].label);
    cbc__sb_adds(b, ",");
    cbc__sb_csv_cell(b, value_of(&r->items[i]));
    cbc__sb_adds(b, "\r\n");
  }
}

int cbc__hazard_names_get(cbc_db *db, const cbc_hazard *h, cbc__hazard_names *out)
{
  memset(out, 0, sizeof(*out));
  int rc = cbc_unit_lookup(&out->unit, db, h->unit_id);
  if (!rc && h->responsible_id)
    rc = cbc_employee_lookup(&out->responsible, db, h->responsible_id);
  return rc;
}

void cbc__hazard_names_free(cbc__hazard_names *n)
{
  cbc_unit_free(n->unit);
  cbc_employee_free(n->responsible);
}

/* One rendering into *out. */
static int rendering(char **out, const report *r, cbc_stats_format format)
{
  cbc__sbuf b = { NULL, 0, 0, false };
  if (format == CBC_STATS_TEXT)
    text_of(&b, r);
  else if (format == CBC_STATS_JSON)
    cbc__sb_json(&b, json_of(r));
  else
    csv_of(&b, r);
  return cbc__sb_finish(&b, out);
}

int cbc__major_report_render(cbc_db *db, const cbc_hazard *h, const cbc_filing_record *rec,
                             char **json, char **text, char **csv)
{
  cbc_unit *enterprise = NULL;
  cbc__hazard_names n;
  int rc = cbc__hazard_names_get(db, h, &n);
  if (!rc)
    rc = cbc_unit_lookup(&enterprise, db, h->enterprise_id);
  if (!rc) {
    report r = { enterprise->name, n.unit->name, h->id, h->enterprise_id, { { 0 } }, 0 };
    gather(db, &r, h, rec, n.responsible ? n.responsible->name : "");
    rc = rendering(json, &r, CBC_STATS_JSON);
    if (!rc)
      rc = rendering(text, &r, CBC_STATS_TEXT);
    if (!rc)
      rc = rendering(csv, &r, CBC_STATS_CSV);
  }
  cbc_unit_free(enterprise);
  cbc__hazard_names_free(&n);
  return rc;
}
