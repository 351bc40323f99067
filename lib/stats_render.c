/* The form as text (as it looks on paper, with the form's Chinese field
 * names), as JSON and as CSV (include/cbc/stats.h). */
#include "calendar.h"
#include "db_internal.h"
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The figures in the paper form's order, with their names. */
static const struct {
  const char *label; /* the form's */
  const char *key;   /* JSON / CSV */
  size_t field;
} figures[] = {
  { "组织开展“查保促”集中行动单位数", "units_ran", offsetof(cbc_stats_form, units_ran) },
  { "参与活动职工人数", "employees_took_part", offsetof(cbc_stats_form, employees_took_part) },
  { "安全生产培训次数", "training_sessions", offsetof(cbc_stats_form, training_sessions) },
  { "接受安全培训职工人数", "employees_trained", offsetof(cbc_stats_form, employees_trained) },
  { "单位负责人培训班次数", "leader_classes", offsetof(cbc_stats_form, leader_classes) },
  { "参加培训的单位负责人人数", "leaders_trained", offsetof(cbc_stats_form, leaders_trained) },
  { "工会干部包靠单位数", "units_assigned", offsetof(cbc_stats_form, units_assigned) },
  { "工会干部督导人次", "supervision_visits", offsetof(cbc_stats_form, supervision_visits) },
  { "查出安全隐患数", "hazards_found", offsetof(cbc_stats_form, hazards_found) },
  { "挂牌督办", "hazards_listed", offsetof(cbc_stats_form, hazards_listed) },
  { "整改完成", "hazards_rectified", offsetof(cbc_stats_form, hazards_rectified) },
};
#define N_FIGURES (sizeof(figures) / sizeof(figures[0]))

static int64_t figure(const cbc_stats_form *f, size_t i)
{
  int64_t v;
  memcpy(&v, (const char *)f + figures[i].field, sizeof(v));
  return v;
}

typedef struct sbuf {
  char *p;
  size_t len, cap;
  bool oom;
} sbuf;

static void add(sbuf *b, const char *s, size_t n)
{
  if (b->oom || b->len + n + 1 <= b->cap) {
    if (!b->oom) {
      memcpy(b->p + b->len, s, n);
      b->len += n;
      b->p[b->len] = '\0';
    }
    return;
  }
  size_t cap = b->cap ? b->cap * 2 : 1024;
  while (cap < b->len + n + 1)
    cap *= 2;
  char *p = cbc__realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return;
  }
  b->p = p;
  b->cap = cap;
  add(b, s, n);
}

static void addf(sbuf *b, const char *fmt, ...) CBC__PRINTF(2, 3);
static void addf(sbuf *b, const char *fmt, ...)
{
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Columns a UTF-8 string takes in a terminal: wide (CJK) characters 2. */
static size_t columns(const char *s)
{
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80)
      w += *p >= 0xE3 ? 2 : 1; /* from U+3000 on: CJK punctuation and ideographs */
  return w;
}

static void date_of(cbc_db *db, int64_t t, char out[16])
{
  int y, m, d;
  cbc__local_date(t, cbc_db_utc_offset(db), &y, &m, &d);
  snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

static void render_text(sbuf *b, const cbc_stats_form *f, const char *unit, const char *from,
                        const char *last)
{
  addf(b, "“查保促”集中行动情况统计表\n\n填报单位：%s\n统计期间：%s 至 %s\n\n", unit, from, last);
  for (size_t i = 0; i < N_FIGURES; i++) {
    size_t pad = 34 - columns(figures[i].label);
    addf(b, "%s%*s%8" PRId64 "\n", figures[i].label, (int)pad, "", figure(f, i));
  }
}

static void json_string(sbuf *b, const char *s)
{
  add(b, "\"", 1);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      add(b, "\\", 1);
    add(b, s, 1); /* names are UTF-8 without control characters (checked on input) */
  }
  add(b, "\"", 1);
}

static void render_json(sbuf *b, const cbc_stats_form *f, const char *unit, const char *from,
                        const char *last)
{
  addf(b, "{\"unit_id\":%" PRId64 ",\"unit\":", f->unit_id);
  json_string(b, unit);
  addf(b, ",\"from\":\"%s\",\"last\":\"%s\",\"figures\":{", from, last);
  for (size_t i = 0; i < N_FIGURES; i++)
    addf(b, "%s\"%s\":%" PRId64, i ? "," : "", figures[i].key, figure(f, i));
  add(b, "}}\n", 3);
}

/* A CSV cell: quoted, quotes doubled, and a leading = + - @ neutralised
 * with a ' so spreadsheets do not run it as a formula. */
static void csv_cell(sbuf *b, const char *s)
{
  add(b, "\"", 1);
  if (s[0] && strchr("=+-@", s[0]))
    add(b, "'", 1);
  for (; *s; s++) {
    if (*s == '"')
      add(b, "\"", 1);
    add(b, s, 1);
  }
  add(b, "\"", 1);
}

static void render_csv(sbuf *b, const cbc_stats_form *f, const char *unit, const char *from,
                       const char *last)
{
  add(b, "unit_id,unit,from,last,figure,label,value\r\n", 43);
  for (size_t i = 0; i < N_FIGURES; i++) {
    addf(b, "%" PRId64 ",", f->unit_id);
    csv_cell(b, unit);
    addf(b, ",%s,%s,%s,", from, last, figures[i].key);
    csv_cell(b, figures[i].label);
    addf(b, ",%" PRId64 "\r\n", figure(f, i));
  }
}

CBC_EXTERN(int) cbc_stats_form_render(char **out, cbc_db *db, const cbc_stats_form *form,
                                      cbc_stats_format format)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(form);
  int rc = cbc__db_check(db);
  if (!rc && (format < CBC_STATS_TEXT || format > CBC_STATS_CSV))
    rc = cbc__error(CBC_EINVAL, "unknown statistics format %d", (int)format);
  if (!rc && form->to <= form->from)
    rc = cbc__error(CBC_EINVAL, "the form's period is empty");
  cbc_unit *u = NULL;
  if (!rc)
    rc = cbc_unit_lookup(&u, db, form->unit_id);
  if (rc)
    return rc;
  char from[16], last[16];
  date_of(db, form->from, from);
  date_of(db, form->to - 1, last);
  sbuf b = { NULL, 0, 0, false };
  if (format == CBC_STATS_TEXT)
    render_text(&b, form, u->name, from, last);
  else if (format == CBC_STATS_JSON)
    render_json(&b, form, u->name, from, last);
  else
    render_csv(&b, form, u->name, from, last);
  cbc_unit_free(u);
  if (b.oom) {
    cbc__free(b.p);
    return cbc__error_oom();
  }
  *out = b.p;
  return 0;
}
