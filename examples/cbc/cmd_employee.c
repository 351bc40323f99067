/* cbc employee: the people of the organisation and their history. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

#define HR_NOTE                                                                   \
  "The HR system owns employees: an HR sync ('cbc org import') normally records\n" \
  "this; do it by hand only for what the HR files do not carry.\n"

static json_t *employee_json(cli_ctx *ctx, const cbc_employee *e, json_t *unit_ref)
{
  return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "id", (json_int_t)e->id,
                   "external_id", e->external_id, "name", e->name, "post", e->post, "unit",
                   unit_ref ? unit_ref : cli_json_unit_ref(ctx, e->unit_id), "roles",
                   org_roles_json(e->roles), "active", e->active, "hire_date",
                   cli_json_time(ctx, e->hire_date), "unit_since",
                   cli_json_time(ctx, e->unit_since), "left_at", cli_json_time(ctx, e->left_at),
                   "created_at", cli_json_time(ctx, e->created_at));
}

/* ------------------------------------------------------------------ */
/* cbc employee list                                                   */

static const char list_usage[] =
  "usage: cbc employee list DB [UNIT] [--all] [--json]\n"
  "\n"
  "List the employees of UNIT and the units below it (or of the whole\n"
  "organisation), unit by unit in the tree's order: external id, name, post,\n"
  "unit, roles.  Only those employed unless --all.\n"
  "\n"
  "options:\n"
  "  --all    include employees who left (marked 离职)\n"
  "  --json   {\"employees\": [...], \"count\": N}\n";

typedef struct employee_list {
  cli_ctx *ctx;
  json_t *json;      /* --json: the array */
  cli_table *table;  /* text */
  int64_t unit_id;   /* the unit of the previous row: employees come grouped */
  json_t *unit_ref;
  char unit_ext[128];
  size_t count;
} employee_list;

static int list_row(employee_list *l, const cbc_employee *e)
{
  if (e->unit_id != l->unit_id) {
    json_decref(l->unit_ref);
    l->unit_ref = cli_json_unit_ref(l->ctx, e->unit_id);
    if (!cli_unit_ext(l->ctx, e->unit_id, l->unit_ext, sizeof l->unit_ext))
      l->unit_ext[0] = '\0';
    l->unit_id = e->unit_id;
  }
  l->count++;
  if (l->json)
    return json_array_append_new(l->json, employee_json(l->ctx, e, json_incref(l->unit_ref)));
  char roles[512];
  org_roles_text(e->roles, roles, sizeof roles);
  const char *cells[] = {e->external_id, e->name, e->post, l->unit_ext, roles,
                         e->active ? "在职" : "离职"};
  return cli_table_row(l->table, cells);
}

static int list_subtree(employee_list *l, int64_t top, unsigned int flags)
{
  cbc_employee_iter *it = NULL;
  const cbc_employee *e;
  int rc = cbc_employee_iter_subtree(&it, l->ctx->db, top, flags);
  while (rc == 0 && (rc = cbc_employee_iter_next(&e, it)) == 0)
    if (list_row(l, e) != 0)
      rc = CBC_ENOMEM;
  cbc_employee_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

static int list_all(employee_list *l, int64_t top, unsigned int flags)
{
  if (top)
    return list_subtree(l, top, flags);
  cbc_unit_iter *roots = NULL;
  const cbc_unit *root;
  int rc = cbc_unit_iter_children(&roots, l->ctx->db, 0);
  while (rc == 0 && (rc = cbc_unit_iter_next(&root, roots)) == 0)
    rc = list_subtree(l, root->id, flags);
  cbc_unit_iter_free(roots);
  return rc == CBC_ITEROVER ? 0 : rc;
}

static int employee_list_cmd(cli_ctx *ctx, int argc, char **argv)
{
  static const char *const headings[] = {"工号", "姓名", "岗位", "单位", "角色", "状态"};
  const char *pos[2];
  int all = 0;
  int64_t top = 0;
  const cli_opt opts[] = {{"--all", CLI_FLAG, &all}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, list_usage, opts, argc, argv, pos, 1, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (pos[1] && (rc = cli_unit(ctx, pos[1], &top)) != CLI_OK))
    return rc;
  employee_list l;
  memset(&l, 0, sizeof l);
  l.ctx = ctx;
  l.json = ctx->json ? json_array() : NULL;
  l.table = ctx->json ? NULL : cli_table_new(6, headings);
  if (!l.json && !l.table)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  rc = list_all(&l, top, all ? CBC_EMPLOYEE_ITER_INACTIVE : 0);
  json_decref(l.unit_ref);
  if (rc) {
    json_decref(l.json);
    cli_table_free(l.table);
    return cli_fail(ctx, rc);
  }
  if (l.json)
    return cli_print_json(json_pack("{s:o,s:I}", "employees", l.json, "count",
                                    (json_int_t)l.count));
  cli_table_print(l.table, stdout);
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* cbc employee show                                                   */

static const char show_usage[] =
  "usage: cbc employee show DB EMPLOYEE [--json]\n"
  "\n"
  "Show one employee (by the HR system's employee id): name, post, unit and its\n"
  "path, roles, whether employed, hire date, since when in the unit, when they\n"
  "left.\n";

static int show_text(cli_ctx *ctx, const cbc_employee *e)
{
  char names[2048], ids[2048], roles[512], t[40];
  int rc = org_unit_path(ctx, e->unit_id, names, sizeof names, ids, sizeof ids, NULL);
  if (rc != CLI_OK)
    return rc;
  org_roles_text(e->roles, roles, sizeof roles);
  printf("%s  %s\n", e->name, e->external_id);
  printf("post:        %s\n", e->post[0] ? e->post : "-");
  printf("unit:        %s  (%s)\n", names, ids);
  printf("roles:       %s\n", roles);
  printf("status:      %s\n", e->active ? "在职" : "离职");
  printf("hired:       %s\n", e->hire_date ? cli_time_text(ctx, e->hire_date, t) : "-");
  printf("unit since:  %s\n", cli_time_text(ctx, e->unit_since, t));
  if (!e->active)
    printf("left:        %s\n", cli_time_text(ctx, e->left_at, t));
  return CLI_OK;
}

static int show_json(cli_ctx *ctx, const cbc_employee *e)
{
  json_t *path = json_array();
  int rc = org_unit_path(ctx, e->unit_id, NULL, 0, NULL, 0, path);
  if (rc != CLI_OK) {
    json_decref(path);
    return rc;
  }
  json_t *doc = employee_json(ctx, e, NULL);
  json_object_set_new(doc, "unit_path", path);
  return cli_print_json(doc);
}

/* Open DB and look up EMPLOYEE: the start of every command below. */
static int open_employee(cli_ctx *ctx, const char *db, const char *text, cbc_employee **out)
{
  int64_t id;
  int rc = cli_open(ctx, db, 0);
  if (rc != CLI_OK || (rc = cli_employee(ctx, text, &id)) != CLI_OK)
    return rc;
  return (rc = cbc_employee_lookup(out, ctx->db, id)) ? cli_fail(ctx, rc) : CLI_OK;
}

static int employee_show(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  cbc_employee *e = NULL;
  int rc = cli_parse(ctx, show_usage, NULL, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = open_employee(ctx, pos[0], pos[1], &e)) != CLI_OK)
    return rc;
  rc = ctx->json ? show_json(ctx, e) : show_text(ctx, e);
  cbc_employee_free(e);
  return rc;
}

/* ------------------------------------------------------------------ */
/* cbc employee history                                                */

static const char history_usage[] =
  "usage: cbc employee history DB EMPLOYEE [--json]\n"
  "\n"
  "An employee's history in the order it was recorded: joined (入职),\n"
  "transfers (转岗) from one unit to another, leaving (离职) and returning\n"
  "(返岗), each with its effective time.  The history is never rewritten.\n";

static int history_print(cli_ctx *ctx, const cbc_employee *e, const cbc_employee_event *ev,
                         size_t n)
{
  if (ctx->json) {
    json_t *events = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(
        events, json_pack("{s:o,s:o,s:o,s:o}", "event",
                          cli_json_enum(CBC_ENUM_EMPLOYEE_EVENT_KIND, (int)ev[i].kind), "at",
                          cli_json_time(ctx, ev[i].at), "from_unit",
                          cli_json_unit_ref(ctx, ev[i].from_unit), "to_unit",
                          cli_json_unit_ref(ctx, ev[i].to_unit)));
    return cli_print_json(json_pack("{s:o,s:o}", "employee",
                                    cli_json_employee_ref(ctx, e->id), "events", events));
  }
  static const char *const headings[] = {"时间", "事件", "从", "到"};
  cli_table *t = cli_table_new(4, headings);
  for (size_t i = 0; t && i < n; i++) {
    char when[40], from[128] = "", to[128] = "";
    cli_unit_ext(ctx, ev[i].from_unit, from, sizeof from);
    cli_unit_ext(ctx, ev[i].to_unit, to, sizeof to);
    const char *cells[] = {cli_time_text(ctx, ev[i].at, when),
                           cbc_enum_label(CBC_ENUM_EMPLOYEE_EVENT_KIND, (int)ev[i].kind), from,
                           to};
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

static int employee_history(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  cbc_employee *e = NULL;
  cbc_employee_event *ev = NULL;
  size_t n = 0;
  int rc = cli_parse(ctx, history_usage, NULL, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = open_employee(ctx, pos[0], pos[1], &e)) != CLI_OK)
    return rc;
  rc = cbc_employee_history(&ev, &n, ctx->db, e->id);
  rc = rc ? cli_fail(ctx, rc) : history_print(ctx, e, ev, n);
  cbc_free(ev);
  cbc_employee_free(e);
  return rc;
}

/* ------------------------------------------------------------------ */
/* cbc employee transfer | leave                                       */

static const char transfer_usage[] =
  "usage: cbc employee transfer DB EMPLOYEE UNIT [--at TIME] [--json]\n"
  "\n"
  "Record a transfer (转岗) of an employed person to another unit (a team, or a\n"
  "region node for union cadres, inspectors and experts), effective at TIME\n"
  "(default now).  Re-training is due from that date.\n" HR_NOTE;

static const char leave_usage[] =
  "usage: cbc employee leave DB EMPLOYEE [--at TIME] [--json]\n"
  "\n"
  "Record that an employee left (离职), effective at TIME (default now).\n"
  "Nothing is deleted: their hazards, training and rewards stay theirs.\n" HR_NOTE;

/* After a change: the employee as JSON with --json, else nothing. */
static int print_changed(cli_ctx *ctx, int64_t id)
{
  cbc_employee *e = NULL;
  if (!ctx->json)
    return CLI_OK;
  int rc = cbc_employee_lookup(&e, ctx->db, id);
  if (rc)
    return cli_fail(ctx, rc);
  json_t *doc = employee_json(ctx, e, NULL);
  cbc_employee_free(e);
  return cli_print_json(doc);
}

static int employee_transfer(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3], *at_text = NULL;
  int64_t id, unit, at = 0;
  const cli_opt opts[] = {{"--at", CLI_STRING, &at_text}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, transfer_usage, opts, argc, argv, pos, 3, 3);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_employee(ctx, pos[1], &id)) != CLI_OK ||
      (rc = cli_unit(ctx, pos[2], &unit)) != CLI_OK ||
      (at_text && (rc = cli_time(ctx, at_text, 0, &at)) != CLI_OK))
    return rc;
  if ((rc = cbc_employee_transfer(ctx->db, id, unit, at)) != 0)
    return cli_fail(ctx, rc);
  return print_changed(ctx, id);
}

static int employee_leave(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *at_text = NULL;
  int64_t id, at = 0;
  const cli_opt opts[] = {{"--at", CLI_STRING, &at_text}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, leave_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_employee(ctx, pos[1], &id)) != CLI_OK ||
      (at_text && (rc = cli_time(ctx, at_text, 0, &at)) != CLI_OK))
    return rc;
  if ((rc = cbc_employee_deactivate(ctx->db, id, at)) != 0)
    return cli_fail(ctx, rc);
  return print_changed(ctx, id);
}

/* ------------------------------------------------------------------ */

static const cli_command employee_commands[] = {
  {"list", employee_list_cmd, "the employees of a unit and below"},
  {"show", employee_show, "one employee"},
  {"history", employee_history, "an employee's joins, transfers, leaving, returns"},
  {"transfer", employee_transfer, "record a transfer (normally the HR sync's job)"},
  {"leave", employee_leave, "record that someone left (normally the HR sync's job)"},
  {NULL, NULL, NULL},
};

int cmd_employee(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "employee",
                      "Employees as the HR system has them, named by its employee ids;\n"
                      "nobody is ever deleted: leaving and transfers are recorded.",
                      employee_commands, argc, argv);
}
