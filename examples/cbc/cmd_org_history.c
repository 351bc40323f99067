/* cbc org history: what the database records about one unit. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* cbc org history                                                     */

static const char history_usage[] =
  "usage: cbc org history DB UNIT [--json]\n"
  "\n"
  "The history of one unit as the database records it: when it was first seen\n"
  "and when it closed, and every employee who joined it, was transferred into\n"
  "or out of it, left from it or returned to it, oldest first.  Renames and\n"
  "moves of a unit are not recorded (the unit shows its current name and\n"
  "place).\n";

typedef struct unit_event {
  int64_t at;
  const char *event; /* "created", "closed" or an employee event kind's name */
  int64_t employee, from, to;
  size_t seq;        /* recording order, for ties */
} unit_event;

typedef struct unit_events {
  unit_event *items;
  size_t n, cap;
} unit_events;

static int events_add(unit_events *v, int64_t at, const char *event, int64_t employee,
                      int64_t from, int64_t to)
{
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 32;
    unit_event *bigger = realloc(v->items, cap * sizeof *bigger);
    if (!bigger)
      return CBC_ENOMEM;
    v->items = bigger;
    v->cap = cap;
  }
  v->items[v->n] = (unit_event){at, event, employee, from, to, v->n};
  v->n++;
  return 0;
}

/* The events of employee @p id that touch unit @p unit. */
static int employee_events(cli_ctx *ctx, unit_events *v, int64_t id, int64_t unit)
{
  cbc_employee_event *ev = NULL;
  size_t n = 0;
  int rc = cbc_employee_history(&ev, &n, ctx->db, id);
  for (size_t i = 0; rc == 0 && i < n; i++)
    if (ev[i].from_unit == unit || ev[i].to_unit == unit)
      rc = events_add(v, ev[i].at, cbc_enum_name(CBC_ENUM_EMPLOYEE_EVENT_KIND, (int)ev[i].kind),
                      id, ev[i].from_unit, ev[i].to_unit);
  cbc_free(ev);
  return rc;
}

/* The API has no query "events of a unit": every employee, present or
 * gone, anywhere in the tree may once have been in it. */
static int collect_unit_events(cli_ctx *ctx, unit_events *v, const cbc_unit *u)
{
  cbc_unit_iter *roots = NULL;
  const cbc_unit *root;
  int rc = events_add(v, u->created_at, "created", 0, 0, 0);
  if (rc == 0)
    rc = cbc_unit_iter_children(&roots, ctx->db, 0);
  while (rc == 0 && (rc = cbc_unit_iter_next(&root, roots)) == 0) {
    cbc_employee_iter *it = NULL;
    const cbc_employee *e;
    rc = cbc_employee_iter_subtree(&it, ctx->db, root->id, CBC_EMPLOYEE_ITER_INACTIVE);
    while (rc == 0 && (rc = cbc_employee_iter_next(&e, it)) == 0)
      rc = employee_events(ctx, v, e->id, u->id);
    cbc_employee_iter_free(it);
    rc = rc == CBC_ITEROVER ? 0 : rc;
  }
  cbc_unit_iter_free(roots);
  rc = rc == CBC_ITEROVER ? 0 : rc;
  if (rc == 0 && u->closed)
    rc = events_add(v, u->closed_at, "closed", 0, 0, 0);
  return rc;
}

static int by_time(const void *a, const void *b)
{
  const unit_event *x = a, *y = b;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int history_print(cli_ctx *ctx, const cbc_unit *u, const unit_events *v)
{
  if (ctx->json) {
    json_t *events = json_array();
    for (size_t i = 0; i < v->n; i++) {
      const unit_event *e = &v->items[i];
      json_array_append_new(events,
                            json_pack("{s:o,s:s,s:o,s:o,s:o}", "at", cli_json_time(ctx, e->at),
                                      "event", e->event, "employee",
                                      cli_json_employee_ref(ctx, e->employee), "from_unit",
                                      cli_json_unit_ref(ctx, e->from), "to_unit",
                                      cli_json_unit_ref(ctx, e->to)));
    }
    return cli_print_json(json_pack("{s:o,s:o}", "unit", cli_json_unit_ref(ctx, u->id),
                                    "events", events));
  }
  static const char *const headings[] = {"时间", "事件", "职工", "从", "到"};
  cli_table *t = cli_table_new(5, headings);
  for (size_t i = 0; t && i < v->n; i++) {
    const unit_event *e = &v->items[i];
    char when[40], who[128] = "", from[128] = "", to[128] = "";
    int kind = 0;
    const char *label = cbc_enum_parse(&kind, CBC_ENUM_EMPLOYEE_EVENT_KIND, e->event) == 0
                          ? cbc_enum_label(CBC_ENUM_EMPLOYEE_EVENT_KIND, kind)
                          : strcmp(e->event, "created") == 0 ? "建立" : "撤销";
    cli_employee_ext(ctx, e->employee, who, sizeof who);
    cli_unit_ext(ctx, e->from, from, sizeof from);
    cli_unit_ext(ctx, e->to, to, sizeof to);
    const char *cells[] = {cli_time_text(ctx, e->at, when), label, who, from, to};
    if (cli_table_row(t, cells) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  if (!t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  cli_table_print(t, stdout);
  return CLI_OK;
}

int org_history(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  int64_t id;
  cbc_unit *u = NULL;
  unit_events v = {NULL, 0, 0};
  int rc = cli_parse(ctx, history_usage, NULL, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_unit(ctx, pos[1], &id)) != CLI_OK)
    return rc;
  rc = cbc_unit_lookup(&u, ctx->db, id);
  if (rc == 0)
    rc = collect_unit_events(ctx, &v, u);
  if (rc == 0) {
    qsort(v.items, v.n, sizeof *v.items, by_time);
    rc = history_print(ctx, u, &v);
  } else {
    rc = cli_fail(ctx, rc);
  }
  free(v.items);
  cbc_unit_free(u);
  return rc;
}
