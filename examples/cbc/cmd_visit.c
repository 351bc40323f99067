/* cbc visit: record, list, show and void union supervision visits (督导). */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>

static const char add_usage[] =
  "usage: cbc visit add DB --cadre EMPLOYEE --unit UNIT [--visited TIME]\n"
  "                     [--findings TEXT | --findings-file FILE] [--key KEY]\n"
  "\n"
  "Record a union cadre's supervision visit to a unit; prints the new visit's id.\n"
  "Hazards found on the visit are reported with 'cbc hazard report --source\n"
  "supervision_visit --as CADRE'.\n"
  "\n"
  "  --cadre EMPLOYEE      the union cadre who visited\n"
  "  --unit UNIT           the unit visited\n"
  "  --visited TIME        when (default now; not in the future)\n"
  "  --findings TEXT       what the cadre found (may be left out)\n"
  "  --findings-file FILE  the findings read from a file ('-' reads stdin)\n"
  "  --key KEY             a request key: running the same add again with it records\n"
  "                        nothing twice (a different visit: conflict)\n";

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *cadre = NULL, *unit = NULL, *visited = NULL, *text = NULL, *file = NULL;
  char *buf = NULL;
  cbc_visit_record rec = CBC_VISIT_RECORD_INIT;
  cli_opt opts[] = {
    {"--cadre", CLI_STRING, &cadre}, {"--unit", CLI_STRING, &unit},
    {"--visited", CLI_STRING, &visited}, {"--findings", CLI_STRING, &text},
    {"--findings-file", CLI_STRING, &file}, {"--key", CLI_STRING, &rec.request_key},
    ACT_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!cadre || !unit)
    return cli_usage_error(ctx, "--cadre and --unit are required");
  if ((rc = act_text(ctx, "findings", text, file, &rec.findings, &buf)) != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, db, 0)) == CLI_OK &&
      (rc = cli_employee(ctx, cadre, &rec.cadre_id)) == CLI_OK &&
      (rc = cli_unit(ctx, unit, &rec.unit_id)) == CLI_OK &&
      (rc = cli_time(ctx, visited ? visited : "now", 0, &rec.visited_at)) == CLI_OK) {
    int64_t id = 0;
    rec.findings = rec.findings ? rec.findings : "";
    rc = act_added(ctx, cbc_visit_add(&id, ctx->db, &rec), &id);
  }
  free(buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Printing, listing, voiding.                                         */

static json_t *visit_json(cli_ctx *ctx, const cbc_visit *v)
{
  json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:s,s:o}", "id", (json_int_t)v->id, "cadre",
                        cli_json_employee_ref(ctx, v->cadre_id), "unit",
                        cli_json_unit_ref(ctx, v->unit_id), "visited_at",
                        cli_json_time(ctx, v->visited_at), "findings", v->findings,
                        "recorded_at", cli_json_time(ctx, v->recorded_at));
  act_json_voided(ctx, o, v->voided_at, v->voided_by, v->void_reason);
  return o;
}

static void print_visit_text(cli_ctx *ctx, const cbc_visit *v)
{
  act_field_int("编号", (long long)v->id);
  act_field_employee(ctx, "督导人", v->cadre_id);
  act_field_unit(ctx, "督导单位", v->unit_id);
  act_field_time(ctx, "时间", v->visited_at);
  act_field_time(ctx, "记录时间", v->recorded_at);
  act_field_voided(ctx, v->voided_at, v->voided_by, v->void_reason);
  if (v->findings[0])
    printf("\n%s\n", v->findings);
}

ACT_PRINTER(visit, cbc_visit, cbc_visit_lookup, cbc_visit_free,
            visit_json, print_visit_text)

static const char show_usage[] =
  "usage: cbc visit show DB ID [--json]\n"
  "\n"
  "Show one supervision visit with its findings.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  return act_show(ctx, visit_print, show_usage, argc, argv);
}

static int visit_row_cells(cli_ctx *ctx, const void *row, cli_table *t)
{
  const cbc_visit *v = row;
  char id[24], who[512], unit[512], when[40], findings[256];
  snprintf(id, sizeof id, "%lld", (long long)v->id);
  const char *cells[] = {id, act_employee_text(ctx, v->cadre_id, who, sizeof who),
                         act_unit_text(ctx, v->unit_id, unit, sizeof unit),
                         act_time_short(ctx, v->visited_at, when),
                         act_excerpt(v->findings, findings, sizeof findings),
                         act_voided_cell(v->voided_at)};
  return cli_table_row(t, cells);
}

ACT_ITER_ADAPTERS(visit, cbc_visit_iter, cbc_visit, cbc_visit_iter_new, cbc_visit_iter_next,
                  cbc_visit_iter_free, visit_json)

static const char *const visit_headings[] = {"编号", "督导人", "督导单位", "时间", "发现问题",
                                             "作废"};

static const act_kind visit_kind = {
  CBC_ACTIVITY_VISIT, "visit", "visits", 6, visit_headings,
  visit_iter_new, visit_iter_next, visit_iter_free,
  visit_row_json, visit_row_cells, visit_print};

static const char list_usage[] =
  "usage: cbc visit list DB [--unit UNIT] [--period PERIOD] [--with-voided] [--json]\n"
  "\n"
  "List supervision visits by visit time: visits to the unit or any unit under\n"
  "it, in the period.\n"
  "\n"
  ACT_LIST_OPTIONS_HELP("visits");

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  return act_list(ctx, &visit_kind, list_usage, argc, argv);
}

static const char void_usage[] =
  "usage: cbc visit void DB ID --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Void a visit recorded in error: it is kept, marked with when, by whom and\n"
  "why, and no longer counts.  A union cadre over the visited unit may void it,\n"
  "or the cadre who made it.  --json prints the visit as it now is.\n"
  "\n"
  ACT_VOID_OPTIONS_HELP;

static int cmd_void(cli_ctx *ctx, int argc, char **argv)
{
  return act_void(ctx, &visit_kind, void_usage, argc, argv);
}

static const cli_command visit_commands[] = {
  {"add", cmd_add, "record a supervision visit"},
  {"list", cmd_list, "list visits by unit and period"},
  {"show", cmd_show, "show one visit"},
  {"void", cmd_void, "void a visit recorded in error"},
  {NULL, NULL, NULL}
};

int cmd_visit(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "visit",
                      "Union supervision visits (督导): record them, list them by unit and period,\n"
                      "void a wrong record.",
                      visit_commands, argc, argv);
}
