/* cbc org: the organisation mirrored from the HR system (docs/integration.md):
 * the group, what its files share, and the single-unit changes (import,
 * tree and show, history have files of their own). */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"
#include "commands.h"

#include <string.h>

#define HR_NOTE                                                                   \
  "The HR system owns the org tree: an HR sync ('cbc org import') normally makes\n" \
  "this change; do it by hand only for what the HR files do not carry.\n"

/* ------------------------------------------------------------------ */
/* Shared with cmd_employee.c and cmd_compliance.c.                    */

json_t *org_unit_json(cli_ctx *ctx, const cbc_unit *u)
{
  return json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:b,s:b,s:o,s:o}", "id", (json_int_t)u->id,
                   "external_id", u->external_id, "name", u->name, "kind",
                   cli_json_enum(CBC_ENUM_UNIT_KIND, (int)u->kind), "parent",
                   cli_json_unit_ref(ctx, u->parent_id), "industry", u->industry,
                   "high_risk", u->high_risk, "closed", u->closed, "created_at",
                   cli_json_time(ctx, u->created_at), "closed_at",
                   cli_json_time(ctx, u->closed_at));
}

#define MAX_PATH_DEPTH 256

/* Appends "/" and @p part to @p buf (no "/" before the first part). */
static void append_part(char *buf, size_t size, const char *part)
{
  size_t len = strlen(buf);
  if (len < size)
    snprintf(buf + len, size - len, "%s%s", len ? "/" : "", part);
}

int org_unit_path(cli_ctx *ctx, int64_t unit_id, char *names, size_t names_size, char *ids,
                  size_t ids_size, json_t *refs)
{
  cbc_unit *chain[MAX_PATH_DEPTH];
  int n = 0, rc = 0;
  for (int64_t id = unit_id; id && n < MAX_PATH_DEPTH; id = chain[n++]->parent_id)
    if ((rc = cbc_unit_lookup(&chain[n], ctx->db, id)) != 0)
      break;
  if (names)
    names[0] = '\0';
  if (ids)
    ids[0] = '\0';
  for (int i = n - 1; i >= 0; i--) {
    if (names)
      append_part(names, names_size, chain[i]->name);
    if (ids)
      append_part(ids, ids_size, chain[i]->external_id);
    if (refs)
      json_array_append_new(refs, cli_json_unit_ref(ctx, chain[i]->id));
  }
  for (int i = 0; i < n; i++)
    cbc_unit_free(chain[i]);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

json_t *org_roles_json(unsigned int roles)
{
  json_t *list = json_array();
  for (unsigned int bit = 1; list && bit && bit <= CBC_ROLE_ALL; bit <<= 1)
    if (roles & bit)
      json_array_append_new(list, cli_json_enum(CBC_ENUM_ROLE, (int)bit));
  return list;
}

void org_roles_text(unsigned int roles, char *buf, size_t size)
{
  buf[0] = '\0';
  for (unsigned int bit = 1; bit && bit <= CBC_ROLE_ALL; bit <<= 1) {
    const char *label = roles & bit ? cbc_enum_label(CBC_ENUM_ROLE, (int)bit) : NULL;
    size_t len = strlen(buf);
    if (label && len < size)
      snprintf(buf + len, size - len, "%s%s", len ? "、" : "", label);
  }
}

/* ------------------------------------------------------------------ */
/* cbc org rename | move | close                                       */

static const char rename_usage[] =
  "usage: cbc org rename DB UNIT NAME [--json]\n"
  "\n"
  "Rename a unit.\n" HR_NOTE;

static const char move_usage[] =
  "usage: cbc org move DB UNIT PARENT [--json]\n"
  "       cbc org move DB UNIT --root [--json]\n"
  "\n"
  "Move a unit, with everything below it, under another parent (or make it a\n"
  "root with --root).  The parent must fit the unit's kind and be open.\n" HR_NOTE;

static const char close_usage[] =
  "usage: cbc org close DB UNIT [--json]\n"
  "\n"
  "Close a unit (at --now, default the clock).  It must hold no open units and no\n"
  "active employees.  It is kept with its history; an HR sync that sends it\n"
  "again reopens it.\n" HR_NOTE;

/* After a change: the unit as JSON with --json, else nothing. */
static int print_changed(cli_ctx *ctx, int64_t id)
{
  cbc_unit *u = NULL;
  if (!ctx->json)
    return CLI_OK;
  int rc = cbc_unit_lookup(&u, ctx->db, id);
  if (rc)
    return cli_fail(ctx, rc);
  json_t *doc = org_unit_json(ctx, u);
  cbc_unit_free(u);
  return cli_print_json(doc);
}

static int org_rename(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3];
  int64_t id;
  int rc = cli_parse(ctx, rename_usage, NULL, argc, argv, pos, 3, 3);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_unit(ctx, pos[1], &id)) != CLI_OK)
    return rc;
  if ((rc = cbc_unit_rename(ctx->db, id, pos[2])) != 0)
    return cli_fail(ctx, rc);
  return print_changed(ctx, id);
}

static int org_move(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3];
  int root = 0;
  int64_t id, parent = 0;
  const cli_opt opts[] = {{"--root", CLI_FLAG, &root}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, move_usage, opts, argc, argv, pos, 2, 3);
  if (rc != CLI_OK)
    return rc;
  if (root == (pos[2] != NULL))
    return cli_usage_error(ctx, "give either PARENT or --root");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK || (rc = cli_unit(ctx, pos[1], &id)) != CLI_OK ||
      (pos[2] && (rc = cli_unit(ctx, pos[2], &parent)) != CLI_OK))
    return rc;
  if ((rc = cbc_unit_move(ctx->db, id, parent)) != 0)
    return cli_fail(ctx, rc);
  return print_changed(ctx, id);
}

static int org_close(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  int64_t id;
  int rc = cli_parse(ctx, close_usage, NULL, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_unit(ctx, pos[1], &id)) != CLI_OK)
    return rc;
  if ((rc = cbc_unit_close(ctx->db, id)) != 0)
    return cli_fail(ctx, rc);
  return print_changed(ctx, id);
}

/* ------------------------------------------------------------------ */

static const cli_command org_commands[] = {
  {"import", org_import, "import units and employees from HR files"},
  {"tree", org_tree, "the org tree, indented, with employee counts"},
  {"show", org_show, "one unit: path, children, who is responsible"},
  {"history", org_history, "a unit's history: created, closed, people in and out"},
  {"rename", org_rename, "rename a unit (normally the HR sync's job)"},
  {"move", org_move, "move a unit under another parent (normally the HR sync's job)"},
  {"close", org_close, "close a unit (normally the HR sync's job)"},
  {NULL, NULL, NULL},
};

int cmd_org(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "org",
                      "The organisation as the HR system has it: org units (regions,\n"
                      "enterprises, workshops, teams) and who is responsible for them.\n"
                      "Units are named by external id (E1) or by path (R1/E1/W1).",
                      org_commands, argc, argv);
}
