/* The packed form of a hazard event's data (lib/event_codec.h). */
#include "event_codec.h"
#include "hazard_internal.h"
#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#define PACK_VERSION 0x01
#define VARINT_MAX 10 /* bytes of a 64-bit LEB128 */

typedef enum field_type { F_REF, F_INT, F_UINT, F_I64, F_TIME, F_TEXT } field_type;

typedef struct field {
  const char *name; /* the JSON key (cbc__move_to_json) */
  size_t off;
  field_type type;
  bool in_plan; /* written only with has_plan, as the JSON does */
  bool in_row;  /* a report's field the hazard row keeps unchanged */
} field;

/* The tags, in order: tag i + 1 is fields[i].  Only ever appended. */
#define M(name, member, type) { name, offsetof(cbc__move, member), type, false, false }
#define P(name, member, type) { name, offsetof(cbc__move, member), type, true, false }
#define R(name, member, type) { name, offsetof(cbc__move, member), type, false, true }
static const field fields[] = {
  { "(report)", 0, F_REF, false, false },
  R("reporter_id", reporter_id, F_I64),
  R("unit_id", unit_id, F_I64),
  R("enterprise_id", enterprise_id, F_I64),
  R("observed_at", observed_at, F_TIME),
  R("title", title, F_TEXT),
  R("description", description, F_TEXT),
  R("location", location, F_TEXT),
  M("kind", kind, F_INT), /* a correction may change the classification */
  M("category", category, F_INT),
  M("check_item", check_item, F_INT),
  R("source", source, F_INT),
  R("proposed_severity", proposed_severity, F_INT),
  M("severity", severity, F_INT),
  M("level", level, F_INT),
  M("responsible_id", responsible_id, F_I64),
  M("measures", measures, F_TEXT),
  M("funds_fen", funds_fen, F_I64),
  M("deadline", deadline, F_TIME),
  M("contingency_plan", contingency_plan, F_TEXT),
  M("has_plan", has_plan, F_INT),
  P("plan_goals", plan.goals, F_TEXT),
  P("plan_methods", plan.methods, F_TEXT),
  P("plan_funds_materials", plan.funds_materials, F_TEXT),
  P("plan_responsible_bodies", plan.responsible_bodies, F_TEXT),
  P("plan_time_limit", plan.time_limit, F_TIME),
  P("plan_safety_measures", plan.safety_measures, F_TEXT),
  M("reason", reason, F_TEXT),
  M("duplicate_of", duplicate_of, F_I64),
  M("authority", authority, F_TEXT),
  M("document", document, F_TEXT),
  M("listed_at", listed_at, F_TIME),
  M("approve", approve, F_INT),
  M("note", note, F_TEXT),
  M("amended", amended, F_UINT),
};
#undef M
#undef P
#undef R
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))
#define TAG_REF 1u /* fields[0]: the REPORT's in_row fields are the row's (update_cols
                      * in lib/store/hazard_store.c never names them) */

/* ------------------------------------------------------------- values */

static int64_t get_i64(const cbc__move *m, const field *f)
{
  const char *p = (const char *)m + f->off;
  int iv;
  unsigned int uv;
  int64_t lv;
  switch (f->type) {
  case F_INT:
    memcpy(&iv, p, sizeof(iv));
    return iv;
  case F_UINT:
    memcpy(&uv, p, sizeof(uv));
    return (int64_t)uv;
  case F_I64:
  case F_TIME:
    memcpy(&lv, p, sizeof(lv));
    return lv;
  default:
    return 0;
  }
}

static const char *get_text(const cbc__move *m, const field *f)
{
  const char *v;
  memcpy(&v, (const char *)m + f->off, sizeof(v));
  return v && *v ? v : NULL;
}

/* Store a decoded integer; false when it does not fit the member. */
static bool set_int(cbc__move *m, const field *f, int64_t v)
{
  char *p = (char *)m + f->off;
  if (f->type == F_INT) {
    int iv = (int)v;
    memcpy(p, &iv, sizeof(iv));
    return v >= INT_MIN && v <= INT_MAX;
  }
  if (f->type == F_UINT) {
    unsigned int uv = (unsigned int)v;
    memcpy(p, &uv, sizeof(uv));
    return v > 0 && v <= (int64_t)UINT_MAX;
  }
  memcpy(p, &v, sizeof(v));
  return true;
}

/* The value written for field @p i, as cbc__move_to_json writes it:
 * *text for a text, else *v (0: left out). */
static void value_of(const cbc__move *m, size_t i, int64_t *v, const char **text)
{
  const field *f = &fields[i];
  *v = 0;
  *text = NULL;
  if (f->in_plan && !m->has_plan)
    return;
  if (f->type == F_TEXT)
    *text = get_text(m, f);
  else if (f->off == offsetof(cbc__move, has_plan))
    *v = m->has_plan != 0;
  else
    *v = get_i64(m, f);
}

/* ------------------------------------------------------------- writing */

/* A growing byte buffer; with bytes == NULL it only counts. */
typedef struct writer {
  unsigned char *bytes;
  size_t len;
} writer;

static void put_byte(writer *w, unsigned char b)
{
  if (w->bytes)
    w->bytes[w->len] = b;
  w->len++;
}

static void put_varint(writer *w, uint64_t v)
{
  while (v >= 0x80) {
    put_byte(w, (unsigned char)(v | 0x80));
    v >>= 7;
  }
  put_byte(w, (unsigned char)v);
}

static uint64_t zigzag(uint64_t v) { return (v << 1) ^ (0 - (v >> 63)); }
static uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

static void put_field(writer *w, const cbc__move *m, size_t i)
{
  int64_t v;
  const char *text;
  value_of(m, i, &v, &text);
  if (text) {
    size_t n = strlen(text);
    put_varint(w, i + 1);
    put_varint(w, n);
    for (size_t k = 0; k < n; k++)
      put_byte(w, (unsigned char)text[k]);
  } else if (v) {
    uint64_t u = (uint64_t)v;
    put_varint(w, i + 1);
    put_varint(w, zigzag(fields[i].type == F_TIME ? u - (uint64_t)m->at : u));
  }
}

static bool same_text(const char *a, const char *b)
{
  return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Whether the REPORT @p m says what the row holds, field for field. */
static bool report_matches_row(const cbc__move *m, const cbc_hazard *row)
{
  return row && m->action == CBC_ACTION_REPORT && m->reporter_id == row->reporter_id &&
         m->unit_id == row->unit_id && m->enterprise_id == row->enterprise_id &&
         m->observed_at == row->observed_at && same_text(m->title, row->title) &&
         same_text(m->description, row->description) &&
         same_text(m->location, row->location) && m->source == (int)row->source &&
         m->proposed_severity == (int)row->proposed_severity;
}

static void write_move(writer *w, const cbc__move *m, bool ref)
{
  put_byte(w, PACK_VERSION);
  if (ref)
    put_varint(w, TAG_REF);
  for (size_t i = 1; i < N_FIELDS; i++)
    if (!(ref && fields[i].in_row))
      put_field(w, m, i);
}

int cbc__move_pack(const cbc__move *m, const cbc_hazard *row, unsigned char **out, size_t *len)
{
  bool ref = report_matches_row(m, row);
  writer w = { NULL, 0 };
  write_move(&w, m, ref);
  *len = w.len;
  if (!(w.bytes = *out = cbc__malloc(w.len)))
    return cbc__error_oom();
  w.len = 0;
  write_move(&w, m, ref);
  return 0;
}

/* ------------------------------------------------------------- reading */

typedef struct reader {
  const unsigned char *p, *end;
} reader;

/* Shortest-form LEB128 of at most 64 bits. */
static bool get_varint(reader *r, uint64_t *v)
{
  *v = 0;
  for (unsigned shift = 0; r->p < r->end && shift < 7 * VARINT_MAX; shift += 7) {
    unsigned char b = *r->p++;
    if (shift == 63 && b > 1)
      return false;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return b != 0 || shift == 0;
  }
  return false;
}

/* The move's texts, copied out NUL-terminated (one block per event). */
typedef struct scratch {
  char *bytes;
  size_t used;
} scratch;

static bool read_text(reader *r, cbc__move *m, const field *f, scratch *s)
{
  uint64_t n;
  if (!get_varint(r, &n) || n == 0 || n > (uint64_t)(r->end - r->p))
    return false;
  const char *src = (const char *)r->p;
  if (memchr(src, 0, (size_t)n) || !cbc__utf8_valid(src, (size_t)n))
    return false;
  char *dst = s->bytes + s->used;
  memcpy(dst, src, (size_t)n);
  dst[n] = '\0';
  s->used += (size_t)n + 1;
  r->p += n;
  memcpy((char *)m + f->off, &dst, sizeof(dst));
  return true;
}

static bool read_value(reader *r, cbc__move *m, size_t i, scratch *s)
{
  const field *f = &fields[i];
  if (f->type == F_TEXT)
    return read_text(r, m, f, s);
  uint64_t z; /* 0 only as a time's distance from the event's */
  if (!get_varint(r, &z) || (z == 0 && f->type != F_TIME))
    return false;
  uint64_t u = unzigzag(z);
  if (f->type == F_TIME)
    u += (uint64_t)m->at;
  int64_t v = (int64_t)u;
  if (f->off == offsetof(cbc__move, has_plan) && v != 1)
    return false;
  return v != 0 && set_int(m, f, v);
}

static void take_report_from_row(cbc__move *m, const cbc_hazard *row)
{
  m->reporter_id = row->reporter_id;
  m->unit_id = row->unit_id;
  m->enterprise_id = row->enterprise_id;
  m->observed_at = row->observed_at;
  m->title = row->title;
  m->description = row->description;
  m->location = row->location;
  m->source = (int)row->source;
  m->proposed_severity = (int)row->proposed_severity;
}

/* Decode into @p m (texts in @p s, big enough for every text of @p len
 * bytes); false for anything but a canonical encoding. */
static bool read_move(cbc__move *m, const unsigned char *data, size_t len,
                      const cbc_hazard *row, scratch *s)
{
  reader r = { data, data + len };
  if (len == 0 || *r.p++ != PACK_VERSION)
    return false;
  uint64_t last = 0, tag;
  bool ref = false;
  while (r.p < r.end) {
    if (!get_varint(&r, &tag) || tag <= last || tag > N_FIELDS)
      return false;
    size_t i = (size_t)tag - 1;
    if (fields[i].type == F_REF) {
      if (m->action != CBC_ACTION_REPORT || !row)
        return false;
      take_report_from_row(m, row);
      ref = true;
    } else if ((ref && fields[i].in_row) || !read_value(&r, m, i, s) ||
               (fields[i].in_plan && !m->has_plan)) {
      return false;
    }
    last = tag;
  }
  return true;
}

static int corrupt(const cbc_hazard_event *ev)
{
  return cbc__error(CBC_ECORRUPT, "hazard event %lld: its data is not a valid packed move "
                    "(a damaged database)", (long long)ev->id);
}

/* Unpack @p data into @p m; texts in *block (cbc__free). */
static int unpack(cbc__move *m, char **block, const unsigned char *data, size_t len,
                  const cbc_hazard_event *ev, const cbc_hazard *row)
{
  memset(m, 0, sizeof(*m));
  m->action = ev->action;
  m->at = ev->at;
  m->actor_id = ev->actor_id;
  scratch s = { cbc__malloc(len + N_FIELDS), 0 };
  *block = s.bytes;
  if (!s.bytes)
    return cbc__error_oom();
  return read_move(m, data, len, row, &s) ? 0 : corrupt(ev);
}

int cbc__event_json(const unsigned char *data, size_t len, const cbc_hazard_event *ev,
                    const cbc_hazard *row, char **json)
{
  cbc__move m;
  char *block = NULL;
  *json = NULL;
  int rc = unpack(&m, &block, data, len, ev, row);
  if (!rc)
    rc = cbc__move_to_json(&m, json);
  cbc__free(block);
  return rc;
}

int cbc__event_repack(const char *json, const cbc_hazard_event *ev, const cbc_hazard *row,
                      unsigned char **out, size_t *len)
{
  cbc__move m;
  void *holder = NULL;
  char *again = NULL;
  cbc_hazard_event parsed = *ev;
  parsed.data = (char *)json;
  *out = NULL;
  *len = 0;
  cbc__error_saved saved;
  cbc__error_save(&saved);
  int rc = cbc__move_from_event(&m, &parsed, &holder);
  if (rc == CBC_ECORRUPT) { /* kept as it is: the reads report it as before */
    cbc__error_restore(&saved);
    rc = 0;
  } else if (!rc && !(rc = cbc__move_pack(&m, row, out, len))) {
    rc = cbc__event_json(*out, *len, ev, row, &again);
  }
  cbc__move_json_free(holder);
  if (!rc && (!again || strcmp(again, json) != 0)) {
    cbc__free(*out);
    *out = NULL;
    *len = 0;
  }
  cbc__free(again);
  return rc;
}

int cbc__event_int(const void *data, size_t len, bool packed, const cbc_hazard_event *ev,
                   const char *name, int64_t *out)
{
  size_t i = 1;
  while (i < N_FIELDS && strcmp(fields[i].name, name) != 0)
    i++;
  *out = 0;
  if (i == N_FIELDS || fields[i].type == F_TEXT)
    return cbc__error(CBC_EINVAL, "no integer field %s in a hazard event", name);
  cbc__move m;
  void *holder = NULL;
  char *block = NULL;
  cbc_hazard_event parsed = *ev;
  int rc;
  if (packed) {
    rc = unpack(&m, &block, data, len, ev, NULL);
  } else {
    if (!(parsed.data = cbc__strndup(data, len)))
      return cbc__error_oom();
    rc = cbc__move_from_event(&m, &parsed, &holder);
    cbc__free(parsed.data);
  }
  if (!rc)
    *out = get_i64(&m, &fields[i]);
  cbc__move_json_free(holder);
  cbc__free(block);
  return rc;
}
