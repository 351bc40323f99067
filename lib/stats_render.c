/* The form as text (as it looks on paper, with the form's Chinese field
 * names), as JSON and as CSV (include/cbc/stats.h). */
#include "calendar.h"
#include "db_internal.h"
#include "render.h"
#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where each figure is in the form, by cbc_stats_field; the figures' names
 * and the form's headings are the label table's (lib/label.c). */
static const size_t field_offsets[CBC_STATS_FIELD_COUNT + 1] = {
  [CBC_STATS_FIELD_UNITS_RAN] = offsetof(cbc_stats_form, units_ran),
  [CBC_STATS_FIELD_EMPLOYEES_TOOK_PART] = offsetof(cbc_stats_form, employees_took_part),
  [CBC_STATS_FIELD_TRAINING_SESSIONS] = offsetof(cbc_stats_form, training_sessions),
  [CBC_STATS_FIELD_EMPLOYEES_TRAINED] = offsetof(cbc_stats_form, employees_trained),
  [CBC_STATS_FIELD_LEADER_CLASSES] = offsetof(cbc_stats_form, leader_classes),
  [CBC_STATS_FIELD_LEADERS_TRAINED] = offsetof(cbc_stats_form, leaders_trained),
  [CBC_STATS_FIELD_UNITS_ASSIGNED] = offsetof(cbc_stats_form, units_assigned),
  [CBC_STATS_FIELD_SUPERVISION_VISITS] = offsetof(cbc_stats_form, supervision_visits),
  [CBC_STATS_FIELD_HAZARDS_FOUND] = offsetof(cbc_stats_form, hazards_found),
  [CBC_STATS_FIELD_HAZARDS_LISTED] = offsetof(cbc_stats_form, hazards_listed),
  [CBC_STATS_FIELD_HAZARDS_RECTIFIED] = offsetof(cbc_stats_form, hazards_rectified),
};

CBC_EXTERN(int64_t) cbc_stats_form_value(const cbc_stats_form *form, cbc_stats_field field)
{
  if (!form || field < CBC_STATS_FIELD_UNITS_RAN || field > CBC_STATS_FIELD_COUNT)
    return -1;
  int64_t v;
  memcpy(&v, (const char *)form + field_offsets[field], sizeof(v));
  return v;
}

CBC_EXTERN(const char *) cbc_stats_form_title(void)
{
  return "“查保促”集中行动情况统计表";
}

/* The figures' keys (JSON, CSV) and the form's headings. */
static const char *field_key(int field) { return cbc_enum_name(CBC_ENUM_FORM_FIELD, field); }
static const char *field_label(int field) { return cbc_enum_label(CBC_ENUM_FORM_FIELD, field); }

static void render_text(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                        const char *last)
{
  const cbc_stats_form *f = p;
  cbc__sb_addf(b, "%s\n\n填报单位：%s\n统计期间：%s 至 %s\n\n", cbc_stats_form_title(), unit, from,
       last);
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
    size_t pad = 34 - cbc__text_columns(field_label(i));
    cbc__sb_addf(b, "%s%*s%8" PRId64 "\n", field_label(i), (int)pad, "",
         cbc_stats_form_value(f, (cbc_stats_field)i));
  }
}

/* The head every JSON rendering shares: {"unit_id", "unit", "from", "last",
 * "figures": {}}; NULL when memory runs out.  *figures is borrowed. */
static json_t *json_head(int64_t unit_id, const char *unit, const char *from, const char *last,
                         json_t **figs)
{
  json_t *o = json_object();
  *figs = json_object();
  if (o && *figs && json_object_set_new(o, "unit_id", json_integer(unit_id)) == 0 &&
      json_object_set_new(o, "unit", json_string(unit)) == 0 &&
      json_object_set_new(o, "from", json_string(from)) == 0 &&
      json_object_set_new(o, "last", json_string(last)) == 0 &&
      json_object_set(o, "figures", *figs) == 0) {
    json_decref(*figs);
    return o;
  }
  json_decref(*figs);
  json_decref(o);
  return NULL;
}

/* The form as JSON: the head, then "labels": {key: the form's heading}
 * (@since 1.2). */
static void render_json(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                        const char *last)
{
  const cbc_stats_form *f = p;
  json_t *figs, *o = json_head(f->unit_id, unit, from, last, &figs), *labels = json_object();
  bool ok = o && labels && json_object_set(o, "labels", labels) == 0;
  for (int i = 1; ok && i <= CBC_STATS_FIELD_COUNT; i++)
    ok = json_object_set_new(figs, field_key(i),
                             json_integer(cbc_stats_form_value(f, (cbc_stats_field)i))) == 0 &&
         json_object_set_new(labels, field_key(i), json_string(field_label(i))) == 0;
  json_decref(labels);
  if (!ok) {
    json_decref(o);
    o = NULL;
  }
  cbc__sb_json(b, o);
}

static void render_csv(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                       const char *last)
{
  const cbc_stats_form *f = p;
  cbc__sb_adds(b, "unit_id,unit,from,last,figure,label,value\r\n");
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
    cbc__sb_addf(b, "%" PRId64 ",", f->unit_id);
    cbc__sb_csv_cell(b, unit);
    cbc__sb_addf(b, ",%s,%s,%s,", from, last, field_key(i));
    cbc__sb_csv_cell(b, field_label(i));
    cbc__sb_addf(b, ",%" PRId64 "\r\n", cbc_stats_form_value(f, (cbc_stats_field)i));
  }
}

/* A period a form or a breakdown can hold: one cbc_period_bounds() gives.
 * A calendar period's bounds are local midnights, so they may lie up to a
 * day (the widest UTC offset) outside [CBC_TIME_MIN, CBC_TIME_MAX + 1]. */
static int period_check(int64_t from, int64_t to)
{
  const int64_t day = 86400;
  if (from < CBC_TIME_MIN - day || to > CBC_TIME_MAX + 1 + day)
    return cbc__error(CBC_EINVAL, "the period [%lld, %lld) is outside the times libcbc keeps "
                                  "(1970-01-01..9999-12-31 UTC)", (long long)from, (long long)to);
  return to > from ? 0 : cbc__error(CBC_EINVAL, "the period is empty");
}

/* Write what @p x holds for unit @p unit_id over [from, to) with @p write:
 * the checks, the unit's name and the local dates every rendering needs. */
typedef void (*write_fn)(cbc__sbuf *b, const void *x, const char *unit, const char *from,
                         const char *last);

static int render(char **out, cbc_db *db, int64_t unit_id, int64_t from_t, int64_t to_t,
                  write_fn write, const void *x)
{
  cbc_unit *u = NULL;
  int rc = period_check(from_t, to_t);
  if (!rc)
    rc = cbc_unit_lookup(&u, db, unit_id);
  if (!rc && !cbc__utf8_valid(u->name, strlen(u->name)))
    rc = cbc__error(CBC_ECORRUPT, "unit %lld: its stored name is not valid UTF-8",
                    (long long)unit_id);
  if (rc) {
    cbc_unit_free(u);
    return rc;
  }
  char from[16], last[16];
  cbc__date_text(db, from_t, from);
  cbc__date_text(db, to_t - 1, last);
  cbc__sbuf b = { NULL, 0, 0, false };
  write(&b, x, u->name, from, last);
  cbc_unit_free(u);
  return cbc__sb_finish(&b, out);
}

CBC_EXTERN(int) cbc_stats_form_render(char **out, cbc_db *db, const cbc_stats_form *form,
                                      cbc_stats_format format)
{
  static const write_fn writers[] = { [CBC_STATS_TEXT] = render_text,
                                      [CBC_STATS_JSON] = render_json,
                                      [CBC_STATS_CSV] = render_csv };
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(form);
  int rc = cbc__db_check(db);
  if (!rc && (format < CBC_STATS_TEXT || format > CBC_STATS_CSV))
    rc = cbc__error(CBC_EINVAL, "unknown statistics format %d", (int)format);
  return rc ? rc : render(out, db, form->unit_id, form->from, form->to, writers[format], form);
}

/* ------------------------------------------------------------ breakdowns */

/* The cells of a breakdown the caller hands in name known dimensions. */
static int breakdown_counts_check(const cbc_stats_breakdown *b)
{
  if (b->n_counts && !b->counts)
    return cbc__error(CBC_EINVAL, "the breakdown has %zu counts but no array", b->n_counts);
  for (size_t i = 0; i < b->n_counts; i++)
    if (!cbc_stats_dimension_name(b->counts[i].dimension))
      return cbc__error(CBC_EINVAL, "breakdown count %zu: unknown dimension %d", i,
                        (int)b->counts[i].dimension);
  return 0;
}

/* Where each count figure is in the breakdown, by cbc_breakdown_figure. */
static const size_t count_offsets[CBC_FIGURE_REOPENS + 1] = {
  [CBC_FIGURE_REPORTED] = offsetof(cbc_stats_breakdown, reported),
  [CBC_FIGURE_REJECTED] = offsetof(cbc_stats_breakdown, rejected),
  [CBC_FIGURE_RECTIFIED] = offsetof(cbc_stats_breakdown, rectified),
  [CBC_FIGURE_CLOSED] = offsetof(cbc_stats_breakdown, closed),
  [CBC_FIGURE_CLOSED_ON_TIME] = offsetof(cbc_stats_breakdown, closed_on_time),
  [CBC_FIGURE_OVERDUE_AT_END] = offsetof(cbc_stats_breakdown, overdue_at_end),
  [CBC_FIGURE_REOPENS] = offsetof(cbc_stats_breakdown, reopens),
};

/* ... and each real one. */
static const size_t real_offsets[CBC_BREAKDOWN_FIGURE_COUNT + 1] = {
  [CBC_FIGURE_MEAN_DAYS_TO_CLOSE] = offsetof(cbc_stats_breakdown, mean_days_to_close),
  [CBC_FIGURE_MEDIAN_DAYS_TO_CLOSE] = offsetof(cbc_stats_breakdown, median_days_to_close),
  [CBC_FIGURE_RECTIFICATION_RATE] = offsetof(cbc_stats_breakdown, rectification_rate),
  [CBC_FIGURE_ON_TIME_RATE] = offsetof(cbc_stats_breakdown, on_time_rate),
  [CBC_FIGURE_DISPOSAL_RATE] = offsetof(cbc_stats_breakdown, disposal_rate),
};

static bool figure_is_real(int figure) { return figure > CBC_FIGURE_REOPENS; }

CBC_EXTERN(double) cbc_stats_breakdown_value(const cbc_stats_breakdown *breakdown,
                                             cbc_breakdown_figure figure)
{
  if (!breakdown || figure < CBC_FIGURE_REPORTED || figure > CBC_BREAKDOWN_FIGURE_COUNT)
    return -1;
  const char *base = (const char *)breakdown;
  if (figure_is_real(figure)) {
    double r;
    memcpy(&r, base + real_offsets[figure], sizeof(r));
    return r;
  }
  int64_t i;
  memcpy(&i, base + count_offsets[figure], sizeof(i));
  return (double)i;
}

/* The breakdown's figures as (name, text) pairs, in the table's order. */
static size_t breakdown_figures(const cbc_stats_breakdown *b,
                                const char *names[CBC_BREAKDOWN_FIGURE_COUNT],
                                char values[CBC_BREAKDOWN_FIGURE_COUNT][32])
{
  for (int f = CBC_FIGURE_REPORTED; f <= CBC_BREAKDOWN_FIGURE_COUNT; f++) {
    double v = cbc_stats_breakdown_value(b, (cbc_breakdown_figure)f);
    names[f - 1] = cbc_enum_name(CBC_ENUM_BREAKDOWN_FIGURE, f);
    if (figure_is_real(f))
      cbc__decimal(values[f - 1], 32, v, 4, false);
    else
      snprintf(values[f - 1], 32, "%" PRId64, (int64_t)v);
  }
  return CBC_BREAKDOWN_FIGURE_COUNT;
}

/* A figure's value as JSON, from its CSV text: an integer, or a real
 * written by cbc__decimal with 4 decimals ("-0.5000"), read back as its
 * digits over 10^4 so that no locale is involved. */
static json_t *figure_json(const char *text)
{
  const char *point = strchr(text, '.');
  if (!point)
    return json_integer(strtoll(text, NULL, 10));
  char digits[32];
  size_t head = (size_t)(point - text);
  snprintf(digits, sizeof(digits), "%.*s%s", (int)head, text, point + 1);
  return json_real((double)strtoll(digits, NULL, 10) / 10000.0);
}

static json_t *count_json(const cbc_stats_count *c)
{
  return json_pack("{s:s, s:i, s:I}", "dimension", cbc_stats_dimension_name(c->dimension), "value",
                   c->value, "count", (json_int_t)c->count);
}

static void breakdown_json(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                           const char *last)
{
  const cbc_stats_breakdown *x = p;
  const char *names[CBC_BREAKDOWN_FIGURE_COUNT];
  char values[CBC_BREAKDOWN_FIGURE_COUNT][32];
  size_t n = breakdown_figures(x, names, values);
  json_t *figs, *o = json_head(x->unit_id, unit, from, last, &figs), *counts = json_array();
  bool ok = o && counts && json_object_set(o, "counts", counts) == 0;
  for (size_t i = 0; ok && i < n; i++)
    ok = json_object_set_new(figs, names[i], figure_json(values[i])) == 0;
  for (size_t i = 0; ok && i < x->n_counts; i++)
    ok = json_array_append_new(counts, count_json(&x->counts[i])) == 0;
  json_decref(counts);
  if (!ok) {
    json_decref(o);
    o = NULL;
  }
  cbc__sb_json(b, o);
}

static void breakdown_csv(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                          const char *last)
{
  const cbc_stats_breakdown *x = p;
  const char *names[CBC_BREAKDOWN_FIGURE_COUNT];
  char values[CBC_BREAKDOWN_FIGURE_COUNT][32];
  size_t n = breakdown_figures(x, names, values);
  cbc__sb_adds(b, "unit_id,unit,from,last,figure,value\r\n");
  for (size_t i = 0; i < n + x->n_counts; i++) {
    cbc__sb_addf(b, "%" PRId64 ",", x->unit_id);
    cbc__sb_csv_cell(b, unit);
    if (i < n)
      cbc__sb_addf(b, ",%s,%s,%s,%s\r\n", from, last, names[i], values[i]);
    else
      cbc__sb_addf(b, ",%s,%s,%s=%d,%" PRId64 "\r\n", from, last,
           cbc_stats_dimension_name(x->counts[i - n].dimension), x->counts[i - n].value,
           x->counts[i - n].count);
  }
}

CBC_EXTERN(int) cbc_stats_breakdown_render(char **out, cbc_db *db,
                                           const cbc_stats_breakdown *breakdown,
                                           cbc_stats_format format)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(breakdown);
  int rc = cbc__db_check(db);
  if (!rc && format != CBC_STATS_JSON && format != CBC_STATS_CSV)
    rc = cbc__error(CBC_EINVAL, "a breakdown renders as JSON or CSV, not format %d",
                    (int)format);
  if (!rc)
    rc = breakdown_counts_check(breakdown);
  return rc ? rc
            : render(out, db, breakdown->unit_id, breakdown->from, breakdown->to,
                     format == CBC_STATS_JSON ? breakdown_json : breakdown_csv, breakdown);
}

/* ------------------------------------------------------- the hazard table */

static const char *ht_key(int figure)
{
  return cbc_enum_name(CBC_ENUM_HAZARD_TABLE_FIGURE, figure);
}
static const char *ht_label(int figure)
{
  return cbc_enum_label(CBC_ENUM_HAZARD_TABLE_FIGURE, figure);
}

/* The two rates, after the figure each follows (the rectified ones). */
static const struct {
  const char *key, *label;
  cbc_severity severity;
  cbc_hazard_table_figure after;
} ht_rates[] = {
  { "general_rate", "一般事故隐患整改率", CBC_SEVERITY_GENERAL, CBC_HT_GENERAL_RECTIFIED },
  { "major_rate", "重大事故隐患整改率", CBC_SEVERITY_MAJOR, CBC_HT_MAJOR_RECTIFIED },
};

/* A rate in tenths of a percent as "60.0" (empty for -1: nothing found). */
static void rate_text(int tenths, char out[32])
{
  if (tenths < 0)
    out[0] = '\0';
  else
    snprintf(out, 32, "%d.%d", tenths / 10, tenths % 10);
}

/* Fen as 万元 (1,000,000 fen), exact: "12.5", "0.00125", "3". */
static void ht_text_line(cbc__sbuf *b, const char *label, const char *value)
{
  size_t width = cbc__text_columns(label);
  cbc__sb_addf(b, "%s%*s%12s\n", label, (int)(width < 36 ? 36 - width : 1), "", value);
}

static void ht_text_row(cbc__sbuf *b, const cbc_hazard_table_row *row)
{
  if (row->industry)
    cbc__sb_addf(b, "\n【行业：%s】\n", row->industry[0] ? row->industry : "未填行业");
  else
    cbc__sb_adds(b, "\n【合计】\n");
  char value[32];
  for (int f = CBC_HT_UNITS_CHECKED; f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++) {
    if (f == CBC_HT_PLAN_FUNDS_FEN) {
      cbc__wan_text(row->plan_funds_fen, value);
      ht_text_line(b, "落实治理资金（万元）", value);
      continue;
    }
    snprintf(value, sizeof(value), "%" PRId64, cbc_hazard_table_value(row, f));
    ht_text_line(b, ht_label(f), value);
    for (size_t r = 0; r < sizeof(ht_rates) / sizeof(ht_rates[0]); r++)
      if (ht_rates[r].after == (cbc_hazard_table_figure)f) {
        int tenths = cbc_hazard_table_rate(row, ht_rates[r].severity);
        rate_text(tenths, value);
        if (tenths >= 0)
          strcat(value, "%");
        ht_text_line(b, ht_rates[r].label, tenths >= 0 ? value : "—");
      }
  }
}

static void ht_text(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                    const char *last)
{
  const cbc_hazard_table *t = p;
  cbc__sb_addf(b, "%s\n\n填报单位：%s\n统计期间：%s 至 %s\n", cbc_hazard_table_title(), unit, from,
       last);
  ht_text_row(b, t->total);
  for (size_t i = 0; i < t->n_industries; i++)
    ht_text_row(b, t->industries[i]);
}

/* A row as a JSON object: "industry" (for an industry's row), every
 * figure, and the rates (percent, null when nothing was found). */
static json_t *ht_row_json(const cbc_hazard_table_row *row)
{
  json_t *o = json_object();
  bool ok = o && (!row->industry ||
                  json_object_set_new(o, "industry", json_string(row->industry)) == 0);
  for (int f = CBC_HT_UNITS_CHECKED; ok && f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++)
    ok = json_object_set_new(o, ht_key(f), json_integer(cbc_hazard_table_value(row, f))) == 0;
  for (size_t r = 0; ok && r < sizeof(ht_rates) / sizeof(ht_rates[0]); r++) {
    int tenths = cbc_hazard_table_rate(row, ht_rates[r].severity);
    ok = json_object_set_new(o, ht_rates[r].key,
                             tenths < 0 ? json_null() : json_real(tenths / 10.0)) == 0;
  }
  if (!ok)
    json_decref(o);
  return ok ? o : NULL;
}

static json_t *ht_labels_json(void)
{
  json_t *labels = json_object();
  bool ok = labels != NULL;
  for (int f = CBC_HT_UNITS_CHECKED; ok && f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++)
    ok = json_object_set_new(labels, ht_key(f), json_string(ht_label(f))) == 0;
  for (size_t r = 0; ok && r < sizeof(ht_rates) / sizeof(ht_rates[0]); r++)
    ok = json_object_set_new(labels, ht_rates[r].key, json_string(ht_rates[r].label)) == 0;
  if (!ok)
    json_decref(labels);
  return ok ? labels : NULL;
}

static void ht_json(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                    const char *last)
{
  const cbc_hazard_table *t = p;
  json_t *o = json_object(), *rows = json_array();
  bool ok = o && rows && json_object_set_new(o, "unit_id", json_integer(t->unit_id)) == 0 &&
            json_object_set_new(o, "unit", json_string(unit)) == 0 &&
            json_object_set_new(o, "from", json_string(from)) == 0 &&
            json_object_set_new(o, "last", json_string(last)) == 0 &&
            json_object_set_new(o, "title", json_string(cbc_hazard_table_title())) == 0 &&
            json_object_set_new(o, "total", ht_row_json(t->total)) == 0 &&
            json_object_set(o, "industries", rows) == 0;
  for (size_t i = 0; ok && i < t->n_industries; i++)
    ok = json_array_append_new(rows, ht_row_json(t->industries[i])) == 0;
  ok = ok && json_object_set_new(o, "labels", ht_labels_json()) == 0;
  json_decref(rows);
  if (!ok) {
    json_decref(o);
    o = NULL;
  }
  cbc__sb_json(b, o);
}

/* One CSV line: the table's head, the row's kind and industry, a figure. */
static void ht_csv_line(cbc__sbuf *b, const cbc_hazard_table *t, const char *head,
                        const cbc_hazard_table_row *row, const char *key, const char *label,
                        const char *value)
{
  cbc__sb_addf(b, "%" PRId64 ",", t->unit_id);
  cbc__sb_adds(b, head);
  cbc__sb_adds(b, row->industry ? ",industry," : ",total,");
  cbc__sb_csv_cell(b, row->industry ? row->industry : "");
  cbc__sb_addf(b, ",%s,", key);
  cbc__sb_csv_cell(b, label);
  cbc__sb_addf(b, ",%s\r\n", value);
}

static void ht_csv_row(cbc__sbuf *b, const cbc_hazard_table *t, const char *head,
                       const cbc_hazard_table_row *row)
{
  char value[32];
  for (int f = CBC_HT_UNITS_CHECKED; f <= CBC_HAZARD_TABLE_FIGURE_COUNT; f++) {
    snprintf(value, sizeof(value), "%" PRId64, cbc_hazard_table_value(row, f));
    ht_csv_line(b, t, head, row, ht_key(f), ht_label(f), value);
  }
  for (size_t r = 0; r < sizeof(ht_rates) / sizeof(ht_rates[0]); r++) {
    rate_text(cbc_hazard_table_rate(row, ht_rates[r].severity), value);
    ht_csv_line(b, t, head, row, ht_rates[r].key, ht_rates[r].label, value);
  }
}

static void ht_csv(cbc__sbuf *b, const void *p, const char *unit, const char *from,
                   const char *last)
{
  const cbc_hazard_table *t = p;
  cbc__sbuf head = { NULL, 0, 0, false };
  cbc__sb_csv_cell(&head, unit);
  cbc__sb_addf(&head, ",%s,%s", from, last);
  b->oom |= head.oom;
  cbc__sb_adds(b, "unit_id,unit,from,last,row,industry,figure,label,value\r\n");
  if (!head.oom) {
    ht_csv_row(b, t, head.p, t->total);
    for (size_t i = 0; i < t->n_industries; i++)
      ht_csv_row(b, t, head.p, t->industries[i]);
  }
  cbc__free(head.p);
}

/* Every row there, and each industry valid UTF-8 (it is written out). */
static int ht_rows_check(const cbc_hazard_table *t)
{
  if (!t->total || (t->n_industries && !t->industries))
    return cbc__error(CBC_EINVAL, "the hazard table misses a row");
  for (size_t i = 0; i < t->n_industries; i++) {
    const cbc_hazard_table_row *row = t->industries[i];
    if (!row || !row->industry)
      return cbc__error(CBC_EINVAL, "the hazard table misses a row");
    if (!cbc__utf8_valid(row->industry, strlen(row->industry)))
      return cbc__error(CBC_EINVAL, "the hazard table's industry %zu is not valid UTF-8", i);
  }
  return 0;
}

CBC_EXTERN(int) cbc_hazard_table_render(char **out, cbc_db *db, const cbc_hazard_table *table,
                                        cbc_stats_format format)
{
  static const write_fn writers[] = { [CBC_STATS_TEXT] = ht_text, [CBC_STATS_JSON] = ht_json,
                                      [CBC_STATS_CSV] = ht_csv };
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(table);
  int rc = cbc__db_check(db);
  if (!rc && (format < CBC_STATS_TEXT || format > CBC_STATS_CSV))
    rc = cbc__error(CBC_EINVAL, "unknown statistics format %d", (int)format);
  if (!rc)
    rc = ht_rows_check(table);
  return rc ? rc
            : render(out, db, table->unit_id, table->from, table->to, writers[format], table);
}
