/* cbc drill: record, list, show and void emergency drills (应急演练). */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>

static const char add_usage[] =
  "usage: cbc drill add DB --unit UNIT --scenario TEXT\n"
  "                     (--team TEAM... | --teams-file FILE | --all-teams) [--held TIME]\n"
  "                     [--key KEY]\n"
  "\n"
  "Record an emergency drill held by an enterprise or a workshop, with the teams\n"
  "that took part (open teams under the holding unit); prints the new drill's id.\n"
  "Every member of a team named takes part in the campaign (docs/activities.md).\n"
  "\n"
  "  --unit UNIT        the enterprise or workshop that held it\n"
  "  --held TIME        when it was held (default now; not in the future)\n"
  "  --scenario TEXT    what was drilled, e.g. 高炉煤气泄漏应急演练\n"
  "  --team TEAM        a team that took part (external id or path); repeatable,\n"
  "                     64 times at most\n"
  "  --teams-file FILE  teams, one external id a line ('-' reads stdin)\n"
  "  --all-teams        every open team under the unit\n"
  "  --key KEY          a request key: running the same add again with it records\n"
  "                     nothing twice (a different drill: conflict)\n";

/* Every open team of @p unit's subtree. */
static int all_teams(cli_ctx *ctx, int64_t unit, act_ids *out)
{
  cbc_unit_iter *it = NULL;
  const cbc_unit *u;
  int rc = CLI_OK, lib = cbc_unit_iter_subtree(&it, ctx->db, unit);
  while (rc == CLI_OK && lib == 0 && (lib = cbc_unit_iter_next(&u, it)) == 0)
    if (u->kind == CBC_UNIT_TEAM && !u->closed)
      rc = act_ids_push(ctx, out, u->id, 1);
  cbc_unit_iter_free(it);
  if (rc == CLI_OK && lib != CBC_ITEROVER)
    rc = cli_fail(ctx, lib);
  return rc;
}

static int drill_teams(cli_ctx *ctx, const cli_list *teams, const char *file, int all,
                       int64_t unit, act_ids *out)
{
  int rc = act_read_units(ctx, teams, file, out);
  if (rc == CLI_OK && all && (rc = all_teams(ctx, unit, out)) != CLI_OK)
    act_ids_free(out);
  return rc;
}

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *unit = NULL, *held = NULL, *file = NULL;
  int all = 0;
  cli_list teams = {{0}, 0};
  cbc_drill_record rec = CBC_DRILL_RECORD_INIT;
  cli_opt opts[] = {
    {"--unit", CLI_STRING, &unit}, {"--held", CLI_STRING, &held},
    {"--scenario", CLI_STRING, &rec.scenario}, {"--team", CLI_LIST, &teams},
    {"--teams-file", CLI_STRING, &file}, {"--all-teams", CLI_FLAG, &all},
    {"--key", CLI_STRING, &rec.request_key}, ACT_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!unit || !rec.scenario)
    return cli_usage_error(ctx, "--unit and --scenario are required");
  if ((rc = cli_open(ctx, db, 0)) != CLI_OK ||
      (rc = cli_unit(ctx, unit, &rec.unit_id)) != CLI_OK ||
      (rc = cli_time(ctx, held ? held : "now", 0, &rec.held_at)) != CLI_OK)
    return rc;
  act_ids ids;
  if ((rc = drill_teams(ctx, &teams, file, all, rec.unit_id, &ids)) != CLI_OK)
    return rc;
  rec.team_ids = ids.ids;
  rec.n_teams = ids.count;
  int64_t id = 0;
  rc = act_added(ctx, cbc_drill_add(&id, ctx->db, &rec), &id);
  act_ids_free(&ids);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Printing.                                                           */

/* A drill as listings give it (without its teams; 'show' adds them). */
static json_t *drill_json(cli_ctx *ctx, const cbc_drill *d)
{
  json_t *o = json_pack("{s:I,s:o,s:o,s:s,s:o}", "id", (json_int_t)d->id, "unit",
                        cli_json_unit_ref(ctx, d->unit_id), "held_at",
                        cli_json_time(ctx, d->held_at), "scenario", d->scenario,
                        "recorded_at", cli_json_time(ctx, d->recorded_at));
  act_json_voided(ctx, o, d->voided_at, d->voided_by, d->void_reason);
  return o;
}

static json_t *drill_json_full(cli_ctx *ctx, const cbc_drill *d)
{
  json_t *o = drill_json(ctx, d), *teams = json_array();
  for (size_t i = 0; teams && i < d->n_teams; i++)
    json_array_append_new(teams, cli_json_unit_ref(ctx, d->team_ids[i]));
  json_object_set_new(o, "team_count", json_integer((json_int_t)d->n_teams));
  json_object_set_new(o, "teams", teams ? teams : json_null());
  return o;
}

static void print_drill_text(cli_ctx *ctx, const cbc_drill *d)
{
  act_field_int("编号", (long long)d->id);
  act_field_unit(ctx, "举办单位", d->unit_id);
  act_field_time(ctx, "时间", d->held_at);
  act_field("演练内容", d->scenario);
  act_field_time(ctx, "记录时间", d->recorded_at);
  for (size_t i = 0; i < d->n_teams; i++)
    act_field_unit(ctx, i ? "" : "参演班组", d->team_ids[i]);
  act_field_voided(ctx, d->voided_at, d->voided_by, d->void_reason);
}

ACT_PRINTER(drill, cbc_drill, cbc_drill_lookup, cbc_drill_free,
            drill_json_full, print_drill_text)

static const char show_usage[] =
  "usage: cbc drill show DB ID [--json]\n"
  "\n"
  "Show one drill with the teams that took part.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  return act_show(ctx, drill_print, show_usage, argc, argv);
}

/* ------------------------------------------------------------------ */
/* Listing and voiding.                                                */

static int drill_row_cells(cli_ctx *ctx, const void *row, cli_table *t)
{
  const cbc_drill *d = row;
  char id[24], unit[512], when[40], scenario[256];
  snprintf(id, sizeof id, "%lld", (long long)d->id);
  const char *cells[] = {id, act_unit_text(ctx, d->unit_id, unit, sizeof unit),
                         act_time_short(ctx, d->held_at, when),
                         act_excerpt(d->scenario, scenario, sizeof scenario),
                         act_voided_cell(d->voided_at)};
  return cli_table_row(t, cells);
}

ACT_ITER_ADAPTERS(drill, cbc_drill_iter, cbc_drill, cbc_drill_iter_new, cbc_drill_iter_next,
                  cbc_drill_iter_free, drill_json)

static const char *const drill_headings[] = {"编号", "举办单位", "时间", "演练内容", "作废"};

static const act_kind drill_kind = {
  CBC_ACTIVITY_DRILL, "drill", "drills", 5, drill_headings,
  drill_iter_new, drill_iter_next, drill_iter_free,
  drill_row_json, drill_row_cells, drill_print};

static const char list_usage[] =
  "usage: cbc drill list DB [--unit UNIT] [--period PERIOD] [--with-voided] [--json]\n"
  "\n"
  "List drills by the time they were held: those held by the unit or any unit\n"
  "under it, in the period.  'cbc drill show' gives a drill's teams.\n"
  "\n"
  ACT_LIST_OPTIONS_HELP("drills");

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  return act_list(ctx, &drill_kind, list_usage, argc, argv);
}

static const char void_usage[] =
  "usage: cbc drill void DB ID --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Void a drill recorded in error: it is kept, marked with when, by whom and\n"
  "why, and no longer counts (statistics, taking part, the drill rule).  A\n"
  "union cadre over its unit may void it, or someone with authority over the\n"
  "unit (its workshop director, the enterprise's principal or a safety\n"
  "officer).  --json prints the drill as it now is.\n"
  "\n"
  ACT_VOID_OPTIONS_HELP;

static int cmd_void(cli_ctx *ctx, int argc, char **argv)
{
  return act_void(ctx, &drill_kind, void_usage, argc, argv);
}

static const cli_command drill_commands[] = {
  {"add", cmd_add, "record a drill with the teams that took part"},
  {"list", cmd_list, "list drills by unit and period"},
  {"show", cmd_show, "show one drill and its teams"},
  {"void", cmd_void, "void a drill recorded in error"},
  {NULL, NULL, NULL}
};

int cmd_drill(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "drill",
                      "Emergency drills (应急演练): record them with the teams that took part,\n"
                      "list them by unit and period, void a wrong record.",
                      drill_commands, argc, argv);
}
