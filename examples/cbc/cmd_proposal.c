/* cbc proposal: submit, decide, list, show and void proposals (合理化建议). */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>

static const char add_usage[] =
  "usage: cbc proposal add DB --as EMPLOYEE --title TEXT (--text TEXT | --text-file FILE)\n"
  "                        [--unit UNIT] [--key KEY]\n"
  "\n"
  "Submit a proposal (合理化建议, 金点子), dated now; prints its id.  It waits for\n"
  "a decision ('cbc proposal decide').\n"
  "\n"
  "  --as EMPLOYEE     the proposer, an active employee\n"
  "  --unit UNIT       the unit it concerns (default: the proposer's own team)\n"
  "  --title TEXT      a short title\n"
  "  --text TEXT       the proposal itself\n"
  "  --text-file FILE  the proposal read from a file ('-' reads stdin)\n"
  "  --key KEY         a request key: running the same add again with it records\n"
  "                    nothing twice (a different proposal: conflict)\n";

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *unit = NULL, *text = NULL, *file = NULL;
  char *buf = NULL;
  cbc_proposal_record rec = CBC_PROPOSAL_RECORD_INIT;
  cli_opt opts[] = {
    {"--unit", CLI_STRING, &unit}, {"--title", CLI_STRING, &rec.title},
    {"--text", CLI_STRING, &text}, {"--text-file", CLI_STRING, &file},
    {"--key", CLI_STRING, &rec.request_key}, {"--as", CLI_STRING, &ctx->as}, ACT_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!rec.title || (!text && !file))
    return cli_usage_error(ctx, "--title and --text (or --text-file) are required");
  if ((rc = act_text(ctx, "text", text, file, &rec.text, &buf)) != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, db, 0)) == CLI_OK &&
      (rc = cli_actor(ctx, &rec.proposer_id)) == CLI_OK &&
      (!unit || (rc = cli_unit(ctx, unit, &rec.unit_id)) == CLI_OK)) {
    int64_t id = 0;
    rc = act_added(ctx, cbc_proposal_submit(&id, ctx->db, &rec), &id);
  }
  free(buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Printing.                                                           */

static json_t *proposal_json(cli_ctx *ctx, const cbc_proposal *p)
{
  json_t *o = json_pack(
    "{s:I,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)p->id, "proposer",
    cli_json_employee_ref(ctx, p->proposer_id), "unit", cli_json_unit_ref(ctx, p->unit_id),
    "title", p->title, "text", p->text, "submitted_at", cli_json_time(ctx, p->submitted_at),
    "status", cli_json_enum(CBC_ENUM_PROPOSAL_STATUS, p->status), "decided_by",
    cli_json_employee_ref(ctx, p->decided_by), "decided_at", cli_json_time(ctx, p->decided_at),
    "note", cli_json_str(p->note && p->note[0] ? p->note : NULL));
  act_json_voided(ctx, o, p->voided_at, p->voided_by, p->void_reason);
  return o;
}

static void print_proposal_text(cli_ctx *ctx, const cbc_proposal *p)
{
  act_field_int("编号", (long long)p->id);
  act_field_employee(ctx, "提出人", p->proposer_id);
  act_field_unit(ctx, "涉及单位", p->unit_id);
  act_field_time(ctx, "提出时间", p->submitted_at);
  act_field("标题", p->title);
  act_field("状态", cbc_enum_label(CBC_ENUM_PROPOSAL_STATUS, p->status));
  if (p->decided_at) {
    act_field_employee(ctx, "决定人", p->decided_by);
    act_field_time(ctx, "决定时间", p->decided_at);
    act_field("意见", p->note);
  }
  act_field_voided(ctx, p->voided_at, p->voided_by, p->void_reason);
  printf("\n%s\n", p->text);
}

ACT_PRINTER(proposal, cbc_proposal, cbc_proposal_lookup, cbc_proposal_free,
            proposal_json, print_proposal_text)

static const char show_usage[] =
  "usage: cbc proposal show DB ID [--json]\n"
  "\n"
  "Show one proposal: its text, where it stands and the decision.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  return act_show(ctx, proposal_print, show_usage, argc, argv);
}

/* ------------------------------------------------------------------ */

static const char decide_usage[] =
  "usage: cbc proposal decide DB ID (--adopt | --reject) --as EMPLOYEE [--note TEXT]\n"
  "\n"
  "Decide a submitted proposal once: adopted (采纳) or not.  The decider is a\n"
  "principal, safety officer or workshop director of the proposal's enterprise,\n"
  "or a union cadre.  --json prints the proposal as it now is.\n"
  "\n"
  "  --adopt          adopt it\n"
  "  --reject         do not adopt it\n"
  "  --note TEXT      the decision's note\n"
  "  --as EMPLOYEE    who decides\n";

static int cmd_decide(cli_ctx *ctx, int argc, char **argv)
{
  int adopt = 0, reject = 0;
  const char *note = NULL;
  int64_t id, actor;
  cli_opt opts[] = {{"--adopt", CLI_FLAG, &adopt}, {"--reject", CLI_FLAG, &reject},
                    {"--note", CLI_STRING, &note}, {"--as", CLI_STRING, &ctx->as},
                    ACT_OPTS_END};
  int rc = act_open_record(ctx, decide_usage, opts, argc, argv, &id);
  if (rc != CLI_OK)
    return rc;
  if (adopt == reject)
    return cli_usage_error(ctx, "give exactly one of --adopt and --reject");
  if ((rc = cli_actor(ctx, &actor)) != CLI_OK)
    return rc;
  return act_moved(ctx, cbc_proposal_decide(ctx->db, id, actor, adopt, note), id,
                   proposal_print, "proposal", adopt ? "adopted" : "not adopted");
}

/* ------------------------------------------------------------------ */
/* Listing and voiding.                                                */

static int proposal_row_cells(cli_ctx *ctx, const void *row, cli_table *t)
{
  const cbc_proposal *p = row;
  char id[24], who[512], unit[512], when[40], title[256];
  snprintf(id, sizeof id, "%lld", (long long)p->id);
  const char *cells[] = {id, act_employee_text(ctx, p->proposer_id, who, sizeof who),
                         act_unit_text(ctx, p->unit_id, unit, sizeof unit),
                         act_time_short(ctx, p->submitted_at, when),
                         act_excerpt(p->title, title, sizeof title),
                         cbc_enum_label(CBC_ENUM_PROPOSAL_STATUS, p->status),
                         act_voided_cell(p->voided_at)};
  return cli_table_row(t, cells);
}

ACT_ITER_ADAPTERS(proposal, cbc_proposal_iter, cbc_proposal, cbc_proposal_iter_new,
                  cbc_proposal_iter_next, cbc_proposal_iter_free, proposal_json)

static const char *const proposal_headings[] = {"编号", "提出人", "涉及单位", "提出时间",
                                                "标题", "状态", "作废"};

static const act_kind proposal_kind = {
  CBC_ACTIVITY_PROPOSAL, "proposal", "proposals", 7, proposal_headings,
  proposal_iter_new, proposal_iter_next, proposal_iter_free,
  proposal_row_json, proposal_row_cells, proposal_print};

static const char list_usage[] =
  "usage: cbc proposal list DB [--unit UNIT] [--period PERIOD] [--with-voided] [--json]\n"
  "\n"
  "List proposals by the time they were submitted: those concerning the unit or\n"
  "any unit under it, in the period, with where each stands.\n"
  "\n"
  ACT_LIST_OPTIONS_HELP("proposals");

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  return act_list(ctx, &proposal_kind, list_usage, argc, argv);
}

static const char void_usage[] =
  "usage: cbc proposal void DB ID --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Void a proposal recorded in error: it is kept, marked with when, by whom and\n"
  "why, and no longer counts.  A union cadre over its unit may void it, or\n"
  "someone with authority over the unit (its team leader, workshop director,\n"
  "the enterprise's principal or a safety officer), or its proposer while it\n"
  "is not yet decided.  --json prints the proposal as it now is.\n"
  "\n"
  ACT_VOID_OPTIONS_HELP;

static int cmd_void(cli_ctx *ctx, int argc, char **argv)
{
  return act_void(ctx, &proposal_kind, void_usage, argc, argv);
}

static const cli_command proposal_commands[] = {
  {"add", cmd_add, "submit a proposal"},
  {"decide", cmd_decide, "adopt it or not"},
  {"list", cmd_list, "list proposals by unit and period"},
  {"show", cmd_show, "show one proposal"},
  {"void", cmd_void, "void a proposal recorded in error"},
  {NULL, NULL, NULL}
};

int cmd_proposal(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "proposal",
                      "Proposals (合理化建议, 金点子): submit them, decide them, list them by unit\n"
                      "and period, void a wrong record.",
                      proposal_commands, argc, argv);
}
