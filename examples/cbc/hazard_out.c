/* cbc: attachments from files, plan options, and hazards printed. */
#define _XOPEN_SOURCE 700
#include "hazard_out.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *media_type_of(const char *path)
{
  static const char *const types[][2] = {
    {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
    {".gif", "image/gif"}, {".webp", "image/webp"}, {".heic", "image/heic"},
    {".pdf", "application/pdf"}, {".mp4", "video/mp4"}, {".mov", "video/quicktime"},
    {".txt", "text/plain"}, {".doc", "application/msword"},
    {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  };
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
    if (strcasecmp(dot, types[i][0]) == 0)
      return types[i][1];
  return "application/octet-stream";
}

/* Size and SHA-256 of one file, streamed. */
static int hash_file(cli_ctx *ctx, const char *path, int64_t *size, char hex[65])
{
  unsigned char buf[65536], digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_state st;
  FILE *f = fopen(path, "rb");
  size_t n;
  if (!f)
    return cli_failf(ctx, CLI_IO, "cannot open %s: %s", path, strerror(errno));
  crypto_hash_sha256_init(&st);
  *size = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    crypto_hash_sha256_update(&st, buf, n);
    *size += (int64_t)n;
  }
  int err = ferror(f);
  fclose(f);
  if (err)
    return cli_failf(ctx, CLI_IO, "cannot read %s", path);
  crypto_hash_sha256_final(&st, digest);
  sodium_bin2hex(hex, 65, digest, sizeof digest);
  return CLI_OK;
}

int hazard_attachments_read(cli_ctx *ctx, const cli_list *paths, hazard_attachments *out)
{
  memset(out, 0, sizeof *out);
  if (paths->count > CBC_MAX_ATTACHMENTS)
    return cli_usage_error(ctx, "at most %d attachments", CBC_MAX_ATTACHMENTS);
  if (sodium_init() < 0)
    return cli_failf(ctx, CLI_INTERNAL, "libsodium did not start");
  for (int i = 0; i < paths->count; i++) {
    char real[PATH_MAX];
    cbc_attachment *a = &out->items[i];
    const char *path = paths->items[i];
    if (!realpath(path, real)) {
      hazard_attachments_free(out);
      return cli_failf(ctx, CLI_IO, "cannot attach %s: %s", path, strerror(errno));
    }
    *a = (cbc_attachment)CBC_ATTACHMENT_INIT;
    out->uris[i] = malloc(strlen(real) + 8);
    out->count = i + 1;
    if (!out->uris[i]) {
      hazard_attachments_free(out);
      return cli_failf(ctx, CLI_INTERNAL, "out of memory");
    }
    sprintf(out->uris[i], "file://%s", real);
    int rc = hash_file(ctx, real, &a->size, out->sha256[i]);
    if (rc != CLI_OK) {
      hazard_attachments_free(out);
      return rc;
    }
    a->uri = out->uris[i];
    a->media_type = media_type_of(real);
    a->sha256 = out->sha256[i];
  }
  return CLI_OK;
}

void hazard_attachments_free(hazard_attachments *a)
{
  for (int i = 0; i < a->count; i++)
    free(a->uris[i]);
  a->count = 0;
}

int plan_from_options(cli_ctx *ctx, plan_options *o, cbc_rectification_plan *out)
{
  memset(out, 0, sizeof *out);
  o->given = o->goals || o->methods || o->funds || o->bodies || o->time_limit || o->safety;
  out->goals = o->goals;
  out->methods = o->methods;
  out->funds_materials = o->funds;
  out->responsible_bodies = o->bodies;
  out->safety_measures = o->safety;
  if (o->time_limit)
    return cli_time(ctx, o->time_limit, 1, &out->time_limit);
  return CLI_OK;
}

/* ------------------------------------------------------------------ */

static json_t *plan_json(cli_ctx *ctx, const cbc_hazard *h)
{
  if (!h->has_plan)
    return json_null();
  const cbc_rectification_plan *p = &h->plan;
  return json_pack("{s:s,s:s,s:s,s:s,s:o,s:s}", "goals", p->goals, "methods", p->methods,
                   "funds_materials", p->funds_materials, "responsible_bodies",
                   p->responsible_bodies, "time_limit", cli_json_time(ctx, p->time_limit),
                   "safety_measures", p->safety_measures);
}

static json_t *attachments_json(cli_ctx *ctx, const cbc_hazard *h)
{
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < h->n_attachments; i++) {
    const cbc_hazard_attachment *a = &h->attachments[i];
    json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:s,s:o,s:o,s:o}", "uri", a->uri,
                                         "media_type", a->media_type, "size",
                                         (json_int_t)a->size, "sha256", a->sha256, "stage",
                                         cli_json_enum(CBC_ENUM_ATTACHMENT_STAGE, a->stage),
                                         "added_at", cli_json_time(ctx, a->added_at),
                                         "added_by", cli_json_employee_ref(ctx, a->added_by)));
  }
  return arr;
}

static json_t *listing_json(cli_ctx *ctx, const cbc_hazard *h)
{
  if (!h->listed && !h->listed_at)
    return json_null();
  return json_pack("{s:b,s:s,s:s,s:o,s:o}", "listed", h->listed, "authority",
                   h->listing_authority, "document", h->listing_document, "listed_at",
                   cli_json_time(ctx, h->listed_at), "listed_by",
                   cli_json_employee_ref(ctx, h->listed_by));
}

/* The five items (五落实), null before registration. */
static json_t *five_items_json(cli_ctx *ctx, const cbc_hazard *h)
{
  if (!h->severity)
    return json_null();
  return json_pack("{s:o,s:s,s:I,s:o,s:o,s:s}", "responsible",
                   cli_json_employee_ref(ctx, h->responsible_id), "measures", h->measures,
                   "funds_fen", (json_int_t)h->funds_fen, "deadline",
                   cli_json_time(ctx, h->deadline), "original_deadline",
                   cli_json_time(ctx, h->original_deadline), "contingency_plan",
                   h->contingency_plan);
}

json_t *hazard_json(cli_ctx *ctx, const cbc_hazard *h)
{
  json_t *j = json_pack(
    "{s:I,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
    (json_int_t)h->id, "state", cli_json_enum(CBC_ENUM_HAZARD_STATE, h->state), "title",
    h->title, "description", h->description, "location", h->location, "unit",
    cli_json_unit_ref(ctx, h->unit_id), "enterprise", cli_json_unit_ref(ctx, h->enterprise_id),
    "reporter", cli_json_employee_ref(ctx, h->reporter_id), "kind",
    cli_json_enum(CBC_ENUM_HAZARD_KIND, h->kind), "category",
    cli_json_enum(CBC_ENUM_HAZARD_CATEGORY, h->category), "check_item",
    cli_json_enum(CBC_ENUM_CHECK_ITEM, h->check_item), "source",
    cli_json_enum(CBC_ENUM_HAZARD_SOURCE, h->source), "proposed_severity",
    cli_json_enum(CBC_ENUM_SEVERITY, h->proposed_severity), "severity",
    cli_json_enum(CBC_ENUM_SEVERITY, h->severity), "level",
    cli_json_enum(CBC_ENUM_LEVEL, h->level), "resolved_level",
    cli_json_enum(CBC_ENUM_LEVEL, h->resolved_level), "observed_at",
    cli_json_time(ctx, h->observed_at), "reported_at", cli_json_time(ctx, h->reported_at));
  if (!j)
    return NULL;
  json_object_set_new(j, "five_items", five_items_json(ctx, h));
  json_object_set_new(j, "plan", plan_json(ctx, h));
  json_object_set_new(j, "listing", listing_json(ctx, h));
  json_object_set_new(j, "extension_pending", json_boolean(h->extension_pending));
  json_object_set_new(j, "extension_requested_deadline",
                      cli_json_time(ctx, h->extension_pending ? h->extension_requested_deadline
                                                              : 0));
  json_object_set_new(j, "reject_reason", json_string(h->reject_reason));
  json_object_set_new(j, "duplicate_of",
                      h->duplicate_of ? json_integer(h->duplicate_of) : json_null());
  json_object_set_new(j, "reopen_count", json_integer(h->reopen_count));
  json_object_set_new(j, "last_note", json_string(h->last_note));
  json_object_set_new(j, "closed_at", cli_json_time(ctx, h->closed_at));
  json_object_set_new(j, "updated_at", cli_json_time(ctx, h->updated_at));
  json_object_set_new(j, "attachments", attachments_json(ctx, h));
  return j;
}

/* ------------------------------------------------------------------ */

static const char *label(cbc_enum_type type, int value)
{
  const char *l = value ? cbc_enum_label(type, value) : NULL;
  return l ? l : "-";
}

/* "key      value", keys padded by display width (Chinese counts 2). */
static void line(const char *key, const char *value)
{
  if (value && *value)
    printf("%s%*s%s\n", key, (int)(10 - cli_display_width(key)), "", value);
}

static const char *person(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_employee *e = NULL;
  if (id == 0)
    return "-";
  if (cbc_employee_lookup(&e, ctx->db, id) != 0)
    return "?";
  snprintf(buf, size, "%s (%s)", e->name, e->external_id);
  cbc_employee_free(e);
  return buf;
}

static const char *place(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_unit *u = NULL;
  if (id == 0 || cbc_unit_lookup(&u, ctx->db, id) != 0)
    return "-";
  snprintf(buf, size, "%s (%s)", u->name, u->external_id);
  cbc_unit_free(u);
  return buf;
}

static void print_five_items(cli_ctx *ctx, const cbc_hazard *h)
{
  char buf[400], t[40];
  if (!h->severity)
    return;
  line("责任人", person(ctx, h->responsible_id, buf, sizeof buf));
  line("措施", h->measures);
  snprintf(buf, sizeof buf, "%lld.%02lld 元", (long long)(h->funds_fen / 100),
           (long long)(h->funds_fen % 100));
  line("资金", buf);
  line("时限", cli_time_text(ctx, h->deadline, t));
  line("预案", h->contingency_plan);
}

static void print_hazard_text(cli_ctx *ctx, const cbc_hazard *h)
{
  char buf[400], t[40];
  printf("hazard %lld  %s  %s\n", (long long)h->id, label(CBC_ENUM_HAZARD_STATE, h->state),
         h->title);
  line("单位", place(ctx, h->unit_id, buf, sizeof buf));
  line("位置", h->location);
  line("描述", h->description);
  line("报告人", h->reporter_id ? person(ctx, h->reporter_id, buf, sizeof buf) : "匿名");
  line("报告时间", cli_time_text(ctx, h->reported_at, t));
  snprintf(buf, sizeof buf, "%s / %s / %s / %s", label(CBC_ENUM_HAZARD_KIND, h->kind),
           label(CBC_ENUM_HAZARD_CATEGORY, h->category),
           label(CBC_ENUM_CHECK_ITEM, h->check_item), label(CBC_ENUM_HAZARD_SOURCE, h->source));
  line("分类", buf);
  line("等级", h->severity ? label(CBC_ENUM_SEVERITY, h->severity) : NULL);
  line("层级", h->level ? label(CBC_ENUM_LEVEL, h->level) : NULL);
  print_five_items(ctx, h);
  if (h->listed) {
    snprintf(buf, sizeof buf, "%s %s", h->listing_authority, h->listing_document);
    line("挂牌督办", buf);
  }
  line("驳回理由", h->reject_reason);
  line("说明", h->last_note);
  line("销号时间", cli_time_text(ctx, h->closed_at, t));
  for (size_t i = 0; i < h->n_attachments; i++)
    line("附件", h->attachments[i].uri);
}

/* ------------------------------------------------------------------ */
/* The administrative penalty (行政处罚).                               */

json_t *hazard_penalty_json(cli_ctx *ctx, const cbc_hazard_penalty *p)
{
  return json_pack("{s:I,s:I,s:s,s:o,s:o}", "hazard_id", (json_int_t)p->hazard_id,
                   "amount_fen", (json_int_t)p->amount_fen, "document", p->document,
                   "recorded_by", cli_json_employee_ref(ctx, p->recorded_by), "recorded_at",
                   cli_json_time(ctx, p->recorded_at));
}

/* The hazard's penalty, *out NULL when none is recorded (the hazard exists:
 * CBC_ENOTFOUND means none). */
static int penalty_of(cli_ctx *ctx, int64_t hazard_id, cbc_hazard_penalty **out)
{
  int rc = cbc_hazard_penalty_get(out, ctx->db, hazard_id);
  if (rc == CBC_ENOTFOUND)
    *out = NULL;
  return rc == 0 || rc == CBC_ENOTFOUND ? CLI_OK : cli_fail(ctx, rc);
}

static const char *penalty_money(const cbc_hazard_penalty *p, char *buf, size_t size)
{
  snprintf(buf, size, "%lld.%02lld 元", (long long)(p->amount_fen / 100),
           (long long)(p->amount_fen % 100));
  return buf;
}

static void print_penalty_text(cli_ctx *ctx, const cbc_hazard_penalty *p)
{
  char money[40], buf[CBC_MAX_TITLE + 64], who[400], t[40];
  if (!p)
    return;
  snprintf(buf, sizeof buf, "%s  %s", penalty_money(p, money, sizeof money), p->document);
  line("行政处罚", buf);
  snprintf(buf, sizeof buf, "%s  %s", person(ctx, p->recorded_by, who, sizeof who),
           cli_time_text(ctx, p->recorded_at, t));
  line("处罚录入", buf);
}

static int print_hazard_json(cli_ctx *ctx, const cbc_hazard *h, const cbc_hazard_penalty *p)
{
  json_t *j = hazard_json(ctx, h);
  if (j && json_object_set_new(j, "penalty", p ? hazard_penalty_json(ctx, p) : json_null())) {
    json_decref(j);
    j = NULL;
  }
  return cli_print_json(j); /* CLI_INTERNAL for NULL: out of memory */
}

int hazard_print(cli_ctx *ctx, int64_t hazard_id)
{
  cbc_hazard *h = NULL;
  cbc_hazard_penalty *p = NULL;
  int rc = cbc_hazard_lookup(&h, ctx->db, hazard_id);
  if (rc != 0)
    return cli_fail(ctx, rc);
  if ((rc = penalty_of(ctx, hazard_id, &p)) == CLI_OK && ctx->json) {
    rc = print_hazard_json(ctx, h, p);
  } else if (rc == CLI_OK) {
    print_hazard_text(ctx, h);
    print_penalty_text(ctx, p);
  }
  cbc_hazard_penalty_free(p);
  cbc_hazard_free(h);
  return rc;
}

int hazard_print_penalty(cli_ctx *ctx, int64_t hazard_id)
{
  cbc_hazard_penalty *p = NULL;
  char money[40];
  int rc = cbc_hazard_penalty_get(&p, ctx->db, hazard_id);
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json)
    rc = cli_print_json(hazard_penalty_json(ctx, p));
  else if (!ctx->quiet)
    printf("hazard %lld: penalty recorded (%s, %s)\n", (long long)hazard_id,
           penalty_money(p, money, sizeof money), p->document);
  cbc_hazard_penalty_free(p);
  return rc;
}

int hazard_print_after_move(cli_ctx *ctx, int64_t hazard_id, const char *what)
{
  if (ctx->json)
    return hazard_print(ctx, hazard_id);
  if (!ctx->quiet)
    printf("hazard %lld: %s\n", (long long)hazard_id, what);
  return CLI_OK;
}

static json_t *event_json(cli_ctx *ctx, const cbc_hazard_event *e)
{
  json_error_t err;
  json_t *data = e->data ? json_loads(e->data, 0, &err) : NULL;
  return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)e->id, "at",
                   cli_json_time(ctx, e->at), "actor", cli_json_employee_ref(ctx, e->actor_id),
                   "action", cli_json_enum(CBC_ENUM_HAZARD_ACTION, e->action), "from_state",
                   cli_json_enum(CBC_ENUM_HAZARD_STATE, e->from_state), "to_state",
                   cli_json_enum(CBC_ENUM_HAZARD_STATE, e->to_state), "level",
                   cli_json_enum(CBC_ENUM_LEVEL, e->level), "data",
                   data ? data : json_object());
}

/* How one key of an event's data reads in text: its Chinese name and how
 * its value is shown.  Keys not listed show as "key=value". */
typedef enum { SHOW_TEXT, SHOW_NUMBER, SHOW_PERSON, SHOW_UNIT, SHOW_TIME, SHOW_MONEY,
               SHOW_ENUM, SHOW_BOOL, SHOW_NOT } show_kind;

typedef struct {
  const char *key, *name;
  show_kind show;
  cbc_enum_type type;
} data_key;

static const data_key data_keys[] = {
  {"title", "标题", SHOW_TEXT, 0}, {"description", "描述", SHOW_TEXT, 0},
  {"reporter_id", NULL, SHOW_NOT, 0}, /* the actor column already names the reporter */
  {"unit_id", "单位", SHOW_UNIT, 0}, {"enterprise_id", NULL, SHOW_NOT, 0},
  {"observed_at", "发现时间", SHOW_TIME, 0},
  {"kind", "类型", SHOW_ENUM, CBC_ENUM_HAZARD_KIND},
  {"category", "类别", SHOW_ENUM, CBC_ENUM_HAZARD_CATEGORY},
  {"check_item", "检查项目", SHOW_ENUM, CBC_ENUM_CHECK_ITEM},
  {"source", "来源", SHOW_ENUM, CBC_ENUM_HAZARD_SOURCE},
  {"proposed_severity", "报告等级", SHOW_ENUM, CBC_ENUM_SEVERITY},
  {"severity", "等级", SHOW_ENUM, CBC_ENUM_SEVERITY},
  {"level", NULL, SHOW_NOT, 0}, /* the level column */
  {"responsible_id", "责任人", SHOW_PERSON, 0}, {"measures", "措施", SHOW_TEXT, 0},
  {"funds_fen", "资金", SHOW_MONEY, 0}, {"deadline", "时限", SHOW_TIME, 0},
  {"contingency_plan", "预案", SHOW_TEXT, 0}, {"note", "说明", SHOW_TEXT, 0},
  {"reason", "理由", SHOW_TEXT, 0}, {"approve", "批准", SHOW_BOOL, 0},
  {"has_plan", "治理方案", SHOW_BOOL, 0}, {"plan_goals", "方案目标任务", SHOW_TEXT, 0},
  {"plan_methods", "方案方法措施", SHOW_TEXT, 0},
  {"plan_funds_materials", "方案经费物资", SHOW_TEXT, 0},
  {"plan_responsible_bodies", "方案责任机构", SHOW_TEXT, 0},
  {"plan_time_limit", "方案时限", SHOW_TIME, 0},
  {"plan_safety_measures", "方案安全措施", SHOW_TEXT, 0},
  {"authority", "督办机关", SHOW_TEXT, 0}, {"document", "督办文号", SHOW_TEXT, 0},
  {"listed_at", "挂牌时间", SHOW_TIME, 0}, {"duplicate_of", "重复于隐患", SHOW_NUMBER, 0},
};

static const data_key *data_key_of(const char *key)
{
  for (size_t i = 0; i < sizeof data_keys / sizeof data_keys[0]; i++)
    if (strcmp(data_keys[i].key, key) == 0)
      return &data_keys[i];
  return NULL;
}

static void data_value_text(cli_ctx *ctx, const data_key *k, json_t *v, char *buf, size_t size)
{
  json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
  char tmp[400];
  switch (k ? k->show : SHOW_TEXT) {
  case SHOW_PERSON: snprintf(buf, size, "%s", person(ctx, n, tmp, sizeof tmp)); return;
  case SHOW_UNIT: snprintf(buf, size, "%s", place(ctx, n, tmp, sizeof tmp)); return;
  case SHOW_TIME: snprintf(buf, size, "%s", cli_time_text(ctx, n, tmp)); return;
  case SHOW_MONEY:
    snprintf(buf, size, "%lld.%02lld 元", (long long)(n / 100), (long long)(n % 100));
    return;
  case SHOW_ENUM: snprintf(buf, size, "%s", label(k->type, (int)n)); return;
  case SHOW_BOOL: snprintf(buf, size, "%s", json_is_true(v) || n ? "是" : "否"); return;
  default: break;
  }
  if (json_is_string(v))
    snprintf(buf, size, "%s", json_string_value(v));
  else if (json_is_integer(v))
    snprintf(buf, size, "%lld", (long long)n);
  else {
    char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, size, "%s", dump ? dump : "?");
    free(dump);
  }
}

/* An event's data for people: "责任人 唐秀英 (E02-0003)；时限 2026-12-06 08:23"
 * (names instead of ids, labels instead of enum numbers); malloc'd. */
static char *event_data_text(cli_ctx *ctx, const char *data)
{
  json_t *o = data ? json_loads(data, 0, NULL) : NULL;
  size_t cap = 1, len = 0;
  char *out = calloc(1, 1);
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v) {
    const data_key *k = data_key_of(key);
    if (!out || (k && k->show == SHOW_NOT) || json_is_null(v))
      continue;
    char value[2048];
    data_value_text(ctx, k, v, value, sizeof value);
    size_t need = strlen(key) + strlen(value) + 8;
    char *grown = realloc(out, cap + need);
    if (!grown) {
      free(out);
      out = NULL;
      continue;
    }
    out = grown;
    cap += need;
    len += (size_t)snprintf(out + len, cap - len, "%s%s %s", len ? "；" : "",
                            k ? k->name : key, value);
  }
  json_decref(o);
  return out;
}

static int print_history_text(cli_ctx *ctx, const cbc_hazard_event *events, size_t n)
{
  static const char *const head[] = {"时间", "动作", "状态", "层级", "操作人", "内容"};
  cli_table *t = cli_table_new(6, head);
  for (size_t i = 0; t && i < n; i++) {
    char when[40], who[400];
    const cbc_hazard_event *e = &events[i];
    char *data = event_data_text(ctx, e->data);
    const char *row[] = {cli_time_text(ctx, e->at, when), label(CBC_ENUM_HAZARD_ACTION, e->action),
                         label(CBC_ENUM_HAZARD_STATE, e->to_state),
                         label(CBC_ENUM_LEVEL, e->level),
                         e->actor_id ? person(ctx, e->actor_id, who, sizeof who) : "系统/匿名",
                         data ? data : ""};
    int failed = !data || cli_table_row(t, row) != 0;
    free(data);
    if (failed) {
      cli_table_free(t);
      t = NULL;
    }
  }
  if (!t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  cli_table_print(t, stdout);
  return CLI_OK;
}

int hazard_print_history(cli_ctx *ctx, int64_t hazard_id)
{
  cbc_hazard_event *events = NULL;
  size_t n = 0;
  int rc = cbc_hazard_history(&events, &n, ctx->db, hazard_id);
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
      json_array_append_new(arr, event_json(ctx, &events[i]));
    rc = cli_print_json(json_pack("{s:I,s:o}", "hazard_id", (json_int_t)hazard_id, "events",
                                  arr));
  } else {
    rc = print_history_text(ctx, events, n);
  }
  cbc_hazard_events_free(events, n);
  return rc;
}

int hazard_print_answer(cli_ctx *ctx, const cbc_hazard_answer *a)
{
  char t[40];
  if (ctx->json)
    return cli_print_json(json_pack("{s:I,s:o,s:s,s:s,s:o}", "hazard_id",
                                    (json_int_t)a->hazard_id, "state",
                                    cli_json_enum(CBC_ENUM_HAZARD_STATE, a->state), "title",
                                    a->title, "answer", a->answer, "updated_at",
                                    cli_json_time(ctx, a->updated_at)));
  printf("hazard %lld  %s  %s\n", (long long)a->hazard_id, label(CBC_ENUM_HAZARD_STATE, a->state),
         a->title);
  line("答复", a->answer);
  line("更新时间", cli_time_text(ctx, a->updated_at, t));
  return CLI_OK;
}
