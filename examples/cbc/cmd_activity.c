/* cbc: what the activity commands share (activity_cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"

#include <stdlib.h>
#include <string.h>

void act_ids_free(act_ids *l)
{
  free(l->ids);
  free(l->passed);
  memset(l, 0, sizeof *l);
}

int act_ids_push(cli_ctx *ctx, act_ids *l, int64_t id, int passed)
{
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    int64_t *ids = realloc(l->ids, cap * sizeof *ids);
    if (ids)
      l->ids = ids;
    int *marks = ids ? realloc(l->passed, cap * sizeof *marks) : NULL;
    if (!marks)
      return cli_failf(ctx, CLI_INTERNAL, "out of memory");
    l->passed = marks;
    l->cap = cap;
  }
  l->ids[l->count] = id;
  l->passed[l->count++] = passed;
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Files of ids: one a line, an optional second field after ',' or a tab. */

typedef int (*act_line_fn)(cli_ctx *ctx, act_ids *out, const char *path, int line,
                           const char *id, const char *mark);

static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

static int read_id_file(cli_ctx *ctx, const char *path, act_line_fn fn, act_ids *out)
{
  char *text = NULL, *save = NULL;
  int rc = cli_read_file(ctx, path, &text), line = 0;
  if (rc != CLI_OK)
    return rc;
  /* Files saved by Excel on Windows start with a UTF-8 BOM. */
  char *body = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
  /* strtok_r would merge empty lines and so miscount them: split by hand. */
  for (char *p = body; rc == CLI_OK && p; p = save) {
    char *nl = strchr(p, '\n');
    save = nl ? nl + 1 : NULL;
    if (nl)
      *nl = '\0';
    line++;
    char *s = trim(p);
    if (*s == '\0' || *s == '#')
      continue;
    char *sep = strpbrk(s, ",\t");
    if (sep)
      *sep = '\0';
    rc = fn(ctx, out, path, line, trim(s), sep ? trim(sep + 1) : NULL);
  }
  free(text);
  return rc;
}

static int attendee_line(cli_ctx *ctx, act_ids *out, const char *path, int line,
                         const char *id, const char *mark)
{
  cbc_employee *e = NULL;
  int passed = !mark || strcmp(mark, "passed") == 0 || strcmp(mark, "1") == 0;
  if (mark && !passed && strcmp(mark, "failed") != 0 && strcmp(mark, "0") != 0)
    return cli_failf(ctx, CLI_INVALID, "%s, line %d: '%s' is not passed or failed", path, line,
                     mark);
  int rc = cbc_employee_lookup_external(&e, ctx->db, id);
  if (rc == CBC_ENOTFOUND)
    return cli_failf(ctx, CLI_NOTFOUND, "%s, line %d: no employee with id '%s'", path, line, id);
  if (rc)
    return cli_fail(ctx, rc);
  rc = act_ids_push(ctx, out, e->id, passed);
  cbc_employee_free(e);
  return rc;
}

static int unit_line(cli_ctx *ctx, act_ids *out, const char *path, int line, const char *id,
                     const char *mark)
{
  cbc_unit *u = NULL;
  if (mark)
    return cli_failf(ctx, CLI_INVALID, "%s, line %d: one unit id a line", path, line);
  int rc = cbc_unit_lookup_external(&u, ctx->db, id);
  if (rc == CBC_ENOTFOUND)
    return cli_failf(ctx, CLI_NOTFOUND, "%s, line %d: no unit with id '%s'", path, line, id);
  if (rc)
    return cli_fail(ctx, rc);
  rc = act_ids_push(ctx, out, u->id, 1);
  cbc_unit_free(u);
  return rc;
}

static int push_employees(cli_ctx *ctx, const cli_list *names, int passed, act_ids *out)
{
  int rc = CLI_OK;
  for (int i = 0; rc == CLI_OK && i < names->count; i++) {
    int64_t id;
    if ((rc = cli_employee(ctx, names->items[i], &id)) == CLI_OK)
      rc = act_ids_push(ctx, out, id, passed);
  }
  return rc;
}

int act_read_attendees(cli_ctx *ctx, const cli_list *passed, const cli_list *failed,
                       const char *file, act_ids *out)
{
  memset(out, 0, sizeof *out);
  int rc = push_employees(ctx, passed, 1, out);
  if (rc == CLI_OK)
    rc = push_employees(ctx, failed, 0, out);
  if (rc == CLI_OK && file)
    rc = read_id_file(ctx, file, attendee_line, out);
  if (rc != CLI_OK)
    act_ids_free(out);
  return rc;
}

int act_read_units(cli_ctx *ctx, const cli_list *given, const char *file, act_ids *out)
{
  int rc = CLI_OK;
  memset(out, 0, sizeof *out);
  for (int i = 0; rc == CLI_OK && i < given->count; i++) {
    int64_t id;
    if ((rc = cli_unit(ctx, given->items[i], &id)) == CLI_OK)
      rc = act_ids_push(ctx, out, id, 1);
  }
  if (rc == CLI_OK && file)
    rc = read_id_file(ctx, file, unit_line, out);
  if (rc != CLI_OK)
    act_ids_free(out);
  return rc;
}

int act_text(cli_ctx *ctx, const char *what, const char *text, const char *file,
             const char **out, char **buf)
{
  *buf = NULL;
  *out = text;
  if (text && file)
    return cli_usage_error(ctx, "give --%s or --%s-file, not both", what, what);
  if (!file)
    return CLI_OK;
  int rc = cli_read_file(ctx, file, buf);
  if (rc == CLI_OK)
    *out = *buf;
  return rc;
}

/* ------------------------------------------------------------------ */

int act_parse_db(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc, char **argv,
                 const char **db)
{
  return cli_parse(ctx, usage, opts, argc, argv, db, 1, 1);
}

int act_open_record(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc,
                    char **argv, int64_t *id)
{
  const char *pos[2];
  int rc = cli_parse(ctx, usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  return cli_int(ctx, "ID", pos[1], 1, INT64_MAX, id);
}

int act_added(cli_ctx *ctx, int rc, const int64_t *id)
{
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json)
    return cli_print_json(json_pack("{s:I}", "id", (json_int_t)*id));
  printf("%lld\n", (long long)*id);
  return CLI_OK;
}

int act_moved(cli_ctx *ctx, int rc, int64_t id, act_print_fn print, const char *what,
              const char *done)
{
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json)
    return print(ctx, id);
  if (!ctx->quiet)
    printf("%s %lld: %s\n", what, (long long)id, done);
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Listings and voiding.                                               */

/* The filter from the listing's options; *period_text its canonical text. */
static int list_filter(cli_ctx *ctx, const char *unit, const char *period, int with_voided,
                       cbc_activity_filter *f, char period_text[CBC_PERIOD_TEXT_MAX])
{
  cbc_period p;
  int rc = CLI_OK;
  period_text[0] = '\0';
  f->flags = with_voided ? CBC_ACTIVITY_WITH_VOIDED : 0u;
  if (unit && (rc = cli_unit(ctx, unit, &f->unit_id)) != CLI_OK)
    return rc;
  if (!period)
    return CLI_OK;
  if ((rc = cli_period(ctx, period, &p)) != CLI_OK)
    return rc;
  if ((rc = cbc_period_bounds(&f->from, &f->to, ctx->db, &p)) == 0)
    rc = cbc_period_format(period_text, CBC_PERIOD_TEXT_MAX, ctx->db, &p);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

static int list_json(cli_ctx *ctx, const act_kind *k, void *it, const cbc_activity_filter *f,
                     const char *period_text)
{
  const void *row;
  int rc = CBC_ITEROVER;
  json_t *rows = json_array();
  while (rows && (rc = k->iter_next(&row, it)) == 0)
    json_array_append_new(rows, k->row_json(ctx, row));
  if (!rows || rc != CBC_ITEROVER) {
    json_decref(rows);
    return rows ? cli_fail(ctx, rc) : cli_failf(ctx, CLI_INTERNAL, "out of memory");
  }
  return cli_print_json(json_pack(
    "{s:o,s:o,s:b,s:I,s:o}", "unit", cli_json_unit_ref(ctx, f->unit_id), "period",
    cli_json_str(period_text[0] ? period_text : NULL), "with_voided",
    (f->flags & CBC_ACTIVITY_WITH_VOIDED) != 0, "count", (json_int_t)json_array_size(rows),
    k->plural, rows));
}

/* A table; nothing at all when no record matches (like ls). */
static int list_text(cli_ctx *ctx, const act_kind *k, void *it)
{
  const void *row;
  int rc = CBC_ITEROVER, bad = 0;
  size_t n = 0;
  cli_table *t = cli_table_new(k->columns, k->headings);
  while (t && !bad && (rc = k->iter_next(&row, it)) == 0) {
    bad = k->row_cells(ctx, row, t) != 0;
    n++;
  }
  if (!t || bad || rc != CBC_ITEROVER) {
    cli_table_free(t);
    return t && !bad ? cli_fail(ctx, rc) : cli_failf(ctx, CLI_INTERNAL, "out of memory");
  }
  if (n)
    cli_table_print(t, stdout);
  else
    cli_table_free(t);
  return CLI_OK;
}

int act_list(cli_ctx *ctx, const act_kind *k, const char *usage, int argc, char **argv)
{
  const char *db, *unit = NULL, *period = NULL;
  char period_text[CBC_PERIOD_TEXT_MAX];
  int with_voided = 0;
  cbc_activity_filter f = CBC_ACTIVITY_FILTER_INIT;
  cli_opt opts[] = {{"--unit", CLI_STRING, &unit}, {"--period", CLI_STRING, &period},
                    {"--with-voided", CLI_FLAG, &with_voided}, ACT_OPTS_END};
  void *it = NULL;
  int rc = act_parse_db(ctx, usage, opts, argc, argv, &db);
  if (rc != CLI_OK || (rc = cli_open(ctx, db, 0)) != CLI_OK ||
      (rc = list_filter(ctx, unit, period, with_voided, &f, period_text)) != CLI_OK)
    return rc;
  if ((rc = k->iter_new(&it, ctx->db, &f)) != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? list_json(ctx, k, it, &f, period_text) : list_text(ctx, k, it);
  k->iter_free(it);
  return rc;
}

int act_show(cli_ctx *ctx, act_print_fn print, const char *usage, int argc, char **argv)
{
  int64_t id;
  int rc = act_open_record(ctx, usage, NULL, argc, argv, &id);
  return rc != CLI_OK ? rc : print(ctx, id);
}

int act_void(cli_ctx *ctx, const act_kind *k, const char *usage, int argc, char **argv)
{
  const char *reason = NULL;
  int64_t id, actor;
  cli_opt opts[] = {{"--reason", CLI_STRING, &reason}, {"--as", CLI_STRING, &ctx->as},
                    ACT_OPTS_END};
  int rc = act_open_record(ctx, usage, opts, argc, argv, &id);
  if (rc != CLI_OK)
    return rc;
  if (!reason)
    return cli_usage_error(ctx, "--reason is required: say why the record is voided");
  if ((rc = cli_actor(ctx, &actor)) != CLI_OK)
    return rc;
  return act_moved(ctx, cbc_activity_void(ctx->db, k->kind, id, actor, reason), id, k->print,
                   k->what, "voided");
}

/* ------------------------------------------------------------------ */

const char *act_time_short(cli_ctx *ctx, int64_t t, char buf[40])
{
  cli_time_text(ctx, t, buf);
  if (t) {
    buf[10] = ' ';
    buf[16] = '\0'; /* "YYYY-MM-DDTHH:MM:SS+08:00" → "YYYY-MM-DD HH:MM" */
  }
  return buf;
}

const char *act_unit_text(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_unit *u = NULL;
  buf[0] = '\0';
  if (id && cbc_unit_lookup(&u, ctx->db, id) == 0)
    snprintf(buf, size, "%s %s", u->external_id, u->name);
  cbc_unit_free(u);
  return buf;
}

const char *act_employee_text(cli_ctx *ctx, int64_t id, char *buf, size_t size)
{
  cbc_employee *e = NULL;
  buf[0] = '\0';
  if (id && cbc_employee_lookup(&e, ctx->db, id) == 0)
    snprintf(buf, size, "%s %s", e->external_id, e->name);
  cbc_employee_free(e);
  return buf;
}

int act_json_voided(cli_ctx *ctx, json_t *obj, int64_t at, int64_t by, const char *reason)
{
  if (!obj)
    return -1;
  int rc = json_object_set_new(obj, "voided_at", cli_json_time(ctx, at));
  rc |= json_object_set_new(obj, "voided_by", cli_json_employee_ref(ctx, by));
  rc |= json_object_set_new(obj, "void_reason", at ? cli_json_str(reason) : json_null());
  return rc;
}

/* Labels are padded to one display width so values line up; an empty
 * label continues the field above (a list of teams). */
void act_field(const char *label, const char *value)
{
  size_t w = cli_display_width(label) + (label[0] != '\0');
  printf("%s%s%*s%s\n", label, label[0] ? ":" : "", (int)(w < 11 ? 12 - w : 1), "",
         value ? value : "");
}

void act_field_time(cli_ctx *ctx, const char *label, int64_t t)
{
  char buf[40];
  act_field(label, act_time_short(ctx, t, buf));
}

void act_field_unit(cli_ctx *ctx, const char *label, int64_t id)
{
  char buf[512];
  act_field(label, act_unit_text(ctx, id, buf, sizeof buf));
}

void act_field_employee(cli_ctx *ctx, const char *label, int64_t id)
{
  char buf[512];
  act_field(label, act_employee_text(ctx, id, buf, sizeof buf));
}

void act_field_int(const char *label, long long v)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", v);
  act_field(label, buf);
}

void act_field_voided(cli_ctx *ctx, int64_t at, int64_t by, const char *reason)
{
  if (!at)
    return;
  act_field_time(ctx, "作废时间", at);
  act_field_employee(ctx, "作废人", by);
  act_field("作废原因", reason);
}

const char *act_excerpt(const char *text, char *buf, size_t size)
{
  size_t n = 0, width = 0, end = strcspn(text, "\r\n");
  while (n < end) {
    char one[5] = {0};
    size_t len = 1;
    while (len < 4 && n + len < end && ((unsigned char)text[n + len] & 0xC0) == 0x80)
      len++;
    memcpy(one, text + n, len);
    size_t w = cli_display_width(one);
    if (width + w > 40 || n + len + sizeof "…" > size)
      break;
    width += w;
    n += len;
  }
  memcpy(buf, text, n);
  strcpy(buf + n, text[n] ? "…" : "");
  return buf;
}

const char *act_voided_cell(int64_t voided_at)
{
  return voided_at ? "已作废" : "";
}
