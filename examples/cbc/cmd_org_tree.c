/* cbc org tree, cbc org show: the unit tree with its employee counts. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The tree in memory: units in depth-first order with their employee  */
/* counts (active employees; "total" includes the subtree).            */

typedef struct tree_node {
  cbc_unit *unit;
  int depth;
  size_t parent; /* index of the parent, or SIZE_MAX for a top unit */
  size_t direct, total;
} tree_node;

typedef struct tree {
  tree_node *nodes;
  size_t n, cap;
} tree;

/* The iterator lends its units until the next one: the tree keeps copies. */
static int copy_unit(const cbc_unit *u, cbc_unit **out)
{
  cbc_unit *c = malloc(sizeof *c);
  if (!c)
    return CBC_ENOMEM;
  *c = *u;
  c->external_id = strdup(u->external_id);
  c->name = strdup(u->name);
  c->industry = strdup(u->industry);
  if (!c->external_id || !c->name || !c->industry) {
    free(c->external_id), free(c->name), free(c->industry), free(c);
    return CBC_ENOMEM;
  }
  *out = c;
  return 0;
}

/* Our copies are malloc'd, so they are freed here, not by cbc_unit_free(). */
static void node_unit_free(cbc_unit *u)
{
  if (u) {
    free(u->external_id), free(u->name), free(u->industry), free(u);
  }
}

static void tree_release(tree *t)
{
  for (size_t i = 0; i < t->n; i++)
    node_unit_free(t->nodes[i].unit);
  t->n = 0;
  free(t->nodes);
  t->nodes = NULL;
}

static int tree_push(tree *t, const cbc_unit *u, int depth, size_t parent)
{
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    tree_node *bigger = realloc(t->nodes, cap * sizeof *bigger);
    if (!bigger)
      return CBC_ENOMEM;
    t->nodes = bigger;
    t->cap = cap;
  }
  tree_node *node = &t->nodes[t->n];
  memset(node, 0, sizeof *node);
  node->depth = depth;
  node->parent = parent;
  int rc = copy_unit(u, &node->unit);
  if (rc == 0)
    t->n++;
  return rc;
}

/* The units under @p top (itself first), depth first. */
static int tree_load_subtree(tree *t, cli_ctx *ctx, int64_t top)
{
  cbc_unit_iter *it = NULL;
  const cbc_unit *u;
  size_t first = t->n;
  int rc = cbc_unit_iter_subtree(&it, ctx->db, top);
  while (rc == 0 && (rc = cbc_unit_iter_next(&u, it)) == 0) {
    /* Depth first, so the parent is the previous node or one of its
     * ancestors: walk up from it (the top's own parent is not loaded). */
    size_t parent = u->id == top || t->n == first ? SIZE_MAX : t->n - 1;
    while (parent != SIZE_MAX && t->nodes[parent].unit->id != u->parent_id)
      parent = t->nodes[parent].parent;
    rc = tree_push(t, u, parent == SIZE_MAX ? 0 : t->nodes[parent].depth + 1, parent);
  }
  cbc_unit_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

/* Count the active employees of the subtree starting at node @p first. */
static int tree_count_employees(tree *t, cli_ctx *ctx, size_t first)
{
  cbc_employee_iter *it = NULL;
  const cbc_employee *e;
  size_t at = first;
  int rc = cbc_employee_iter_subtree(&it, ctx->db, t->nodes[first].unit->id, 0);
  while (rc == 0 && (rc = cbc_employee_iter_next(&e, it)) == 0) {
    /* Employees come grouped by unit in the tree's order: walk along. */
    size_t scanned = 0;
    while (t->nodes[at].unit->id != e->unit_id && scanned++ < t->n - first)
      at = at + 1 < t->n ? at + 1 : first;
    if (t->nodes[at].unit->id == e->unit_id)
      t->nodes[at].direct++;
  }
  cbc_employee_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

static void tree_sum(tree *t)
{
  for (size_t i = 0; i < t->n; i++)
    t->nodes[i].total = t->nodes[i].direct;
  for (size_t i = t->n; i-- > 0;) /* children come after their parents */
    if (t->nodes[i].parent != SIZE_MAX)
      t->nodes[t->nodes[i].parent].total += t->nodes[i].total;
}

/* The tree under @p top, or under every root for 0. */
static int tree_load(tree *t, cli_ctx *ctx, int64_t top)
{
  int64_t *tops = NULL;
  size_t n_tops = 0;
  int rc = 0;
  if (top) {
    tops = malloc(sizeof *tops);
    rc = tops ? 0 : CBC_ENOMEM;
    if (tops)
      tops[n_tops++] = top;
  } else {
    cbc_unit_iter *it = NULL;
    const cbc_unit *u;
    rc = cbc_unit_iter_children(&it, ctx->db, 0);
    while (rc == 0 && (rc = cbc_unit_iter_next(&u, it)) == 0) {
      int64_t *bigger = realloc(tops, (n_tops + 1) * sizeof *tops);
      if (!bigger) {
        rc = CBC_ENOMEM;
        break;
      }
      tops = bigger;
      tops[n_tops++] = u->id;
    }
    cbc_unit_iter_free(it);
    rc = rc == CBC_ITEROVER ? 0 : rc;
  }
  for (size_t i = 0; rc == 0 && i < n_tops; i++) {
    size_t first = t->n;
    rc = tree_load_subtree(t, ctx, tops[i]);
    if (rc == 0 && t->n > first)
      rc = tree_count_employees(t, ctx, first);
  }
  free(tops);
  tree_sum(t);
  return rc;
}

/* ------------------------------------------------------------------ */
/* cbc org tree                                                        */

static const char tree_usage[] =
  "usage: cbc org tree DB [UNIT] [--depth N] [--closed] [--json]\n"
  "\n"
  "Print the org tree under UNIT (an external id such as E1, or a path such as\n"
  "R1/E1 of external ids or names from a root), or the whole tree: each unit\n"
  "indented under its parent with its external id, its kind and the number of\n"
  "active employees in it and below it.\n"
  "\n"
  "options:\n"
  "  --depth N   show at most N levels below the top (0: the top alone)\n"
  "  --closed    include closed units (marked 已撤销)\n"
  "  --json      {\"units\": [...]} in the same order, each with its depth\n";

static json_t *tree_node_json(cli_ctx *ctx, const tree_node *node)
{
  const cbc_unit *u = node->unit;
  return json_pack("{s:I,s:s,s:s,s:o,s:i,s:o,s:b,s:I,s:I}", "id", (json_int_t)u->id,
                   "external_id", u->external_id, "name", u->name, "kind",
                   cli_json_enum(CBC_ENUM_UNIT_KIND, (int)u->kind), "depth", node->depth,
                   "parent", cli_json_unit_ref(ctx, u->parent_id), "closed", u->closed,
                   "employees", (json_int_t)node->direct, "employees_in_subtree",
                   (json_int_t)node->total);
}

static void tree_node_print(const tree_node *node)
{
  const cbc_unit *u = node->unit;
  printf("%*s%s  %s  %s  %zu人%s\n", node->depth * 2, "", u->name, u->external_id,
         cbc_enum_label(CBC_ENUM_UNIT_KIND, (int)u->kind), node->total,
         u->closed ? "  已撤销" : "");
}

int org_tree(cli_ctx *ctx, int argc, char **argv)
{
  const char *depth_text = NULL, *pos[2];
  int closed = 0;
  int64_t top = 0, depth = INT32_MAX;
  const cli_opt opts[] = {
    {"--depth", CLI_STRING, &depth_text}, {"--closed", CLI_FLAG, &closed},
    {NULL, CLI_FLAG, NULL},
  };
  int rc = cli_parse(ctx, tree_usage, opts, argc, argv, pos, 1, 2);
  if (rc != CLI_OK)
    return rc;
  if (depth_text && (rc = cli_int(ctx, "--depth", depth_text, 0, INT32_MAX, &depth)) != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (pos[1] && (rc = cli_unit(ctx, pos[1], &top)) != CLI_OK))
    return rc;
  tree t = {NULL, 0, 0};
  if ((rc = tree_load(&t, ctx, top)) != 0) {
    tree_release(&t);
    return cli_fail(ctx, rc);
  }
  json_t *units = ctx->json ? json_array() : NULL;
  for (size_t i = 0; i < t.n; i++) {
    const tree_node *node = &t.nodes[i];
    if (node->depth > depth || (node->unit->closed && !closed))
      continue;
    if (units)
      json_array_append_new(units, tree_node_json(ctx, node));
    else
      tree_node_print(node);
  }
  tree_release(&t);
  return units ? cli_print_json(json_pack("{s:o}", "units", units)) : CLI_OK;
}

/* ------------------------------------------------------------------ */
/* cbc org show                                                        */

static const char show_usage[] =
  "usage: cbc org show DB UNIT [--json]\n"
  "\n"
  "Show one unit: its kind, its path from the root, whether it is closed, its\n"
  "active employees (in it and below it), its child units, and who is\n"
  "responsible for it at the team, workshop and enterprise levels (the team\n"
  "leader, the workshop director, the principal or else a safety officer).\n";

static const cbc_level levels[] = {CBC_LEVEL_TEAM, CBC_LEVEL_WORKSHOP, CBC_LEVEL_ENTERPRISE};

/* Who answers for @p unit_id at @p level; 0 when there is no such level
 * above the unit or nobody holds the role. */
static int responsible(cli_ctx *ctx, int64_t unit_id, cbc_level level, int64_t *out)
{
  int rc = cbc_org_responsible(out, ctx->db, unit_id, level);
  if (rc == CBC_ENOTFOUND) {
    *out = 0;
    return 0;
  }
  return rc;
}

static int show_json(cli_ctx *ctx, const tree *t, const int64_t who[3])
{
  const tree_node *top = &t->nodes[0];
  json_t *doc = org_unit_json(ctx, top->unit), *path = json_array(), *children = json_array();
  json_t *resp = json_object();
  int rc = org_unit_path(ctx, top->unit->id, NULL, 0, NULL, 0, path);
  for (size_t i = 1; i < t->n; i++)
    if (t->nodes[i].parent == 0)
      json_array_append_new(children, tree_node_json(ctx, &t->nodes[i]));
  for (int l = 0; l < 3; l++)
    json_object_set_new(resp, cbc_enum_name(CBC_ENUM_LEVEL, (int)levels[l]),
                        cli_json_employee_ref(ctx, who[l]));
  json_object_set_new(doc, "path", path);
  json_object_set_new(doc, "employees", json_integer((json_int_t)top->direct));
  json_object_set_new(doc, "employees_in_subtree", json_integer((json_int_t)top->total));
  json_object_set_new(doc, "children", children);
  json_object_set_new(doc, "responsible", resp);
  if (rc != CLI_OK) {
    json_decref(doc);
    return rc;
  }
  return cli_print_json(doc);
}

static int show_text(cli_ctx *ctx, const tree *t, const int64_t who[3])
{
  const cbc_unit *u = t->nodes[0].unit;
  char names[2048], ids[2048], when[40];
  int rc = org_unit_path(ctx, u->id, names, sizeof names, ids, sizeof ids, NULL);
  if (rc != CLI_OK)
    return rc;
  printf("%s  %s  %s\n", u->name, u->external_id, cbc_enum_label(CBC_ENUM_UNIT_KIND, (int)u->kind));
  printf("path:        %s  (%s)\n", names, ids);
  if (u->kind == CBC_UNIT_ENTERPRISE)
    printf("industry:    %s%s\n", u->industry[0] ? u->industry : "-",
           u->high_risk ? "  (high-risk)" : "");
  printf("created:     %s\n", cli_time_text(ctx, u->created_at, when));
  if (u->closed)
    printf("closed:      %s\n", cli_time_text(ctx, u->closed_at, when));
  printf("employees:   %zu here, %zu with the units below\n", t->nodes[0].direct,
         t->nodes[0].total);
  printf("responsible:\n");
  for (int l = 0; l < 3; l++) {
    char level[32];
    cbc_employee *e = NULL;
    snprintf(level, sizeof level, "%s:", cbc_enum_name(CBC_ENUM_LEVEL, (int)levels[l]));
    if (who[l] && cbc_employee_lookup(&e, ctx->db, who[l]) == 0)
      printf("  %-12s %s  %s\n", level, e->name, e->external_id);
    else
      printf("  %-12s -\n", level);
    cbc_employee_free(e);
  }
  printf("children:%s\n", t->n > 1 ? "" : "    none");
  for (size_t i = 1; i < t->n; i++)
    if (t->nodes[i].parent == 0) {
      printf("  ");
      tree_node_print(&t->nodes[i]);
    }
  return CLI_OK;
}

int org_show(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  int64_t id, who[3];
  int rc = cli_parse(ctx, show_usage, NULL, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_unit(ctx, pos[1], &id)) != CLI_OK)
    return rc;
  tree t = {NULL, 0, 0};
  rc = tree_load(&t, ctx, id);
  for (int l = 0; rc == 0 && l < 3; l++)
    rc = responsible(ctx, id, levels[l], &who[l]);
  if (rc == 0 && t.n)
    rc = ctx->json ? show_json(ctx, &t, who) : show_text(ctx, &t, who);
  else if (rc)
    rc = cli_fail(ctx, rc);
  tree_release(&t);
  return rc;
}
