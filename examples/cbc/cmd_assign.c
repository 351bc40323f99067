/* cbc assign: union cadres assigned to units (包靠): add, release, list,
 * show, void. */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"

#include <stdio.h>

static const char add_usage[] =
  "usage: cbc assign add DB --cadre EMPLOYEE --unit UNIT [--from TIME] [--to TIME]\n"
  "                      [--key KEY]\n"
  "\n"
  "Assign a union cadre to an enterprise or a region node (包靠) for a period;\n"
  "prints the assignment's id.  Two assignments of one cadre to one unit may not\n"
  "overlap (conflict).\n"
  "\n"
  "  --cadre EMPLOYEE   an active union cadre\n"
  "  --unit UNIT        an open enterprise or region node\n"
  "  --from TIME        the start (default now)\n"
  "  --to TIME          the end, exclusive (a bare date: the start of that day);\n"
  "                     default open-ended, until 'cbc assign release'\n"
  "  --key KEY          a request key: running the same add again with it assigns\n"
  "                     nothing twice (a different assignment: conflict)\n";

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *cadre = NULL, *unit = NULL, *from = NULL, *to = NULL, *key = NULL;
  int64_t cadre_id, unit_id, from_t, to_t = 0, id = 0;
  cli_opt opts[] = {{"--cadre", CLI_STRING, &cadre}, {"--unit", CLI_STRING, &unit},
                    {"--from", CLI_STRING, &from},   {"--to", CLI_STRING, &to},
                    {"--key", CLI_STRING, &key},     ACT_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!cadre || !unit)
    return cli_usage_error(ctx, "--cadre and --unit are required");
  if ((rc = cli_open(ctx, db, 0)) != CLI_OK ||
      (rc = cli_employee(ctx, cadre, &cadre_id)) != CLI_OK ||
      (rc = cli_unit(ctx, unit, &unit_id)) != CLI_OK ||
      (rc = cli_time(ctx, from ? from : "now", 0, &from_t)) != CLI_OK ||
      (to && (rc = cli_time(ctx, to, 0, &to_t)) != CLI_OK))
    return rc;
  rc = cbc_cadre_assign_keyed(&id, ctx->db, cadre_id, unit_id, from_t, to_t, key);
  return act_added(ctx, rc, &id);
}

/* ------------------------------------------------------------------ */
/* Printing.                                                           */

static json_t *assignment_json(cli_ctx *ctx, const cbc_cadre_assignment *a)
{
  json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)a->id, "cadre",
                        cli_json_employee_ref(ctx, a->cadre_id), "unit",
                        cli_json_unit_ref(ctx, a->unit_id), "from", cli_json_time(ctx, a->from),
                        "to", cli_json_time(ctx, a->to), "recorded_at",
                        cli_json_time(ctx, a->recorded_at));
  act_json_voided(ctx, o, a->voided_at, a->voided_by, a->void_reason);
  return o;
}

static void print_assignment_text(cli_ctx *ctx, const cbc_cadre_assignment *a)
{
  act_field_int("编号", (long long)a->id);
  act_field_employee(ctx, "工会干部", a->cadre_id);
  act_field_unit(ctx, "包靠单位", a->unit_id);
  act_field_time(ctx, "开始", a->from);
  if (a->to)
    act_field_time(ctx, "结束", a->to);
  else
    act_field("结束", "（未结束）");
  act_field_time(ctx, "记录时间", a->recorded_at);
  act_field_voided(ctx, a->voided_at, a->voided_by, a->void_reason);
}

ACT_PRINTER(assignment, cbc_cadre_assignment, cbc_cadre_assignment_lookup,
            cbc_cadre_assignment_free, assignment_json, print_assignment_text)

static const char show_usage[] =
  "usage: cbc assign show DB ID [--json]\n"
  "\n"
  "Show one assignment: the cadre, the unit and the period.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  return act_show(ctx, assignment_print, show_usage, argc, argv);
}

static const char release_usage[] =
  "usage: cbc assign release DB ID [--at TIME]\n"
  "\n"
  "End an open-ended assignment.  --json prints the assignment as it now is.\n"
  "\n"
  "  --at TIME   when it ends (default now); after its start\n";

static int cmd_release(cli_ctx *ctx, int argc, char **argv)
{
  const char *at = NULL;
  int64_t id, when;
  cli_opt opts[] = {{"--at", CLI_STRING, &at}, ACT_OPTS_END};
  int rc = act_open_record(ctx, release_usage, opts, argc, argv, &id);
  if (rc != CLI_OK || (rc = cli_time(ctx, at ? at : "now", 0, &when)) != CLI_OK)
    return rc;
  return act_moved(ctx, cbc_cadre_release(ctx->db, id, when), id, assignment_print,
                   "assignment", "released");
}

/* ------------------------------------------------------------------ */
/* Listing and voiding.                                                */

static int assignment_row_cells(cli_ctx *ctx, const void *row, cli_table *t)
{
  const cbc_cadre_assignment *a = row;
  char id[24], who[512], unit[512], from[40], to[40];
  snprintf(id, sizeof id, "%lld", (long long)a->id);
  const char *cells[] = {id, act_employee_text(ctx, a->cadre_id, who, sizeof who),
                         act_unit_text(ctx, a->unit_id, unit, sizeof unit),
                         act_time_short(ctx, a->from, from),
                         a->to ? act_time_short(ctx, a->to, to) : "（未结束）",
                         act_voided_cell(a->voided_at)};
  return cli_table_row(t, cells);
}

ACT_ITER_ADAPTERS(assignment, cbc_cadre_assignment_iter, cbc_cadre_assignment,
                  cbc_cadre_assignment_iter_new, cbc_cadre_assignment_iter_next,
                  cbc_cadre_assignment_iter_free, assignment_json)

static const char *const assignment_headings[] = {"编号", "工会干部", "包靠单位", "开始", "结束",
                                                  "作废"};

static const act_kind assignment_kind = {
  CBC_ACTIVITY_ASSIGNMENT, "assignment", "assignments", 6, assignment_headings,
  assignment_iter_new, assignment_iter_next, assignment_iter_free,
  assignment_row_json, assignment_row_cells, assignment_print};

static const char list_usage[] =
  "usage: cbc assign list DB [--unit UNIT] [--period PERIOD] [--with-voided] [--json]\n"
  "\n"
  "List assignments by their start: those to the unit or any unit under it\n"
  "whose own period overlaps the period given.\n"
  "\n"
  ACT_LIST_OPTIONS_HELP("assignments");

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  return act_list(ctx, &assignment_kind, list_usage, argc, argv);
}

static const char void_usage[] =
  "usage: cbc assign void DB ID --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Void an assignment recorded in error (to end one that was right, use\n"
  "'cbc assign release'): it is kept, marked with when, by whom and why, and no\n"
  "longer counts.  A union cadre over the unit may void it.  --json prints the\n"
  "assignment as it now is.\n"
  "\n"
  ACT_VOID_OPTIONS_HELP;

static int cmd_void(cli_ctx *ctx, int argc, char **argv)
{
  return act_void(ctx, &assignment_kind, void_usage, argc, argv);
}

static const cli_command assign_commands[] = {
  {"add", cmd_add, "assign a cadre to a unit"},
  {"release", cmd_release, "end an open-ended assignment"},
  {"list", cmd_list, "list assignments by unit and period"},
  {"show", cmd_show, "show one assignment"},
  {"void", cmd_void, "void an assignment recorded in error"},
  {NULL, NULL, NULL}
};

int cmd_assign(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "assign",
                      "Union cadres assigned to units (包靠): assign, release, list by unit and\n"
                      "period, void a wrong record.",
                      assign_commands, argc, argv);
}
