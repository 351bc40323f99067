/* cbc fine: issue internal fines (内部罚单) and list them. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "reward_cli.h"

#include <stdio.h>

static const char add_usage[] =
  "usage: cbc fine add DB --employee EMPLOYEE --amount YUAN --reason TEXT\n"
  "                    (--hazard HAZARD | --violation TEXT) --as EMPLOYEE [--json]\n"
  "\n"
  "Issue an internal fine (内部罚单), dated now, against an employee on the\n"
  "payroll: for a hazard of the employee's enterprise, or for a described\n"
  "violation (三违) — exactly one of the two.  A principal or safety officer of\n"
  "the fined employee's enterprise issues it.  Prints the fine's id (--json:\n"
  "{\"id\"}).\n"
  "\n"
  "  --employee EMPLOYEE   who is fined (external id)\n"
  "  --amount YUAN         how much, in yuan: 200 or 200.50\n"
  "  --reason TEXT         why (required)\n"
  "  --hazard HAZARD       the hazard it is for\n"
  "  --violation TEXT      the violation it is for, when no hazard\n"
  "  --as EMPLOYEE         who issues it\n";

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *employee = NULL, *amount = NULL, *hazard = NULL;
  cbc_fine_record rec = CBC_FINE_RECORD_INIT;
  int64_t actor = 0, id = 0;
  cli_opt opts[] = {{"--employee", CLI_STRING, &employee}, {"--amount", CLI_STRING, &amount},
                    {"--reason", CLI_STRING, &rec.reason}, {"--hazard", CLI_STRING, &hazard},
                    {"--violation", CLI_STRING, &rec.violation},
                    {"--as", CLI_STRING, &ctx->as}, RW_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!employee || !amount || !rec.reason)
    return cli_usage_error(ctx, "--employee, --amount and --reason are required");
  if (!hazard == !rec.violation)
    return cli_usage_error(ctx, "give exactly one of --hazard and --violation");
  if ((rc = cli_open(ctx, db, 0)) == CLI_OK)
    rc = cli_employee(ctx, employee, &rec.employee_id);
  if (rc == CLI_OK)
    rc = cli_money(ctx, "--amount", amount, &rec.amount_fen);
  if (rc == CLI_OK && hazard)
    rc = cli_int(ctx, "--hazard", hazard, 1, INT64_MAX, &rec.hazard_id);
  if (rc == CLI_OK)
    rc = cli_actor(ctx, &actor);
  return rc != CLI_OK ? rc : act_added(ctx, cbc_fine_issue(&id, ctx->db, &rec, actor), &id);
}

/* ------------------------------------------------------------------ */

static const char list_usage[] =
  "usage: cbc fine list DB [UNIT] [--period PERIOD] [--json]\n"
  "\n"
  "List fines by id: those of the employees of the unit's subtree (by the unit\n"
  "they were in when fined), issued in the period.  Without UNIT, every unit;\n"
  "without a period, all time.  Text ends with the count and the total.\n"
  "\n"
  "  --period PERIOD   2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-15\n"
  "  --json            {\"unit\", \"period\", \"count\", \"total_fen\", \"fines\": [{\"id\",\n"
  "                    \"employee\", \"unit\", \"amount_fen\", \"reason\", \"hazard_id\",\n"
  "                    \"violation\", \"issued_by\", \"issued_at\"}]}\n";

static int64_t total_fen(const cbc_fine *fines, size_t n)
{
  int64_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += fines[i].amount_fen;
  return total;
}

static int list_json(cli_ctx *ctx, int64_t unit, const char *period, const cbc_fine *fines,
                     size_t n)
{
  json_t *rows = rw_fines_json(ctx, fines, n);
  if (!rows)
    return rw_oom(ctx);
  return cli_print_json(json_pack("{s:o,s:o,s:I,s:I,s:o}", "unit", cli_json_unit_ref(ctx, unit),
                                  "period", cli_json_str(period[0] ? period : NULL), "count",
                                  (json_int_t)n, "total_fen", (json_int_t)total_fen(fines, n),
                                  "fines", rows));
}

static int list_text(cli_ctx *ctx, const cbc_fine *fines, size_t n)
{
  char money[32];
  int rc = rw_fines_print(ctx, fines, n);
  if (rc == CLI_OK && n)
    printf("合计 %zu 笔, %s 元\n", n, rw_yuan(total_fen(fines, n), money));
  return rc;
}

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *period = NULL;
  char period_text[CBC_PERIOD_TEXT_MAX];
  int64_t unit = 0, from = 0, to = 0;
  cbc_fine *fines = NULL;
  size_t n = 0;
  cli_opt opts[] = {{"--period", CLI_STRING, &period}, RW_OPTS_END};
  int rc = cli_parse(ctx, list_usage, opts, argc, argv, pos, 1, 2);
  if (rc == CLI_OK)
    rc = cli_open(ctx, pos[0], 0);
  if (rc == CLI_OK && pos[1])
    rc = cli_unit(ctx, pos[1], &unit);
  if (rc == CLI_OK)
    rc = rw_period(ctx, period, &from, &to, period_text);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_fine_list(&fines, &n, ctx->db, unit, from, to)) != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? list_json(ctx, unit, period_text, fines, n) : list_text(ctx, fines, n);
  cbc_fines_free(fines, n);
  return rc;
}

static const cli_command fine_commands[] = {
  {"add", cmd_add, "issue an internal fine"},
  {"list", cmd_list, "list fines by unit and period"},
  {NULL, NULL, NULL}
};

int cmd_fine(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "fine",
                      "Internal fines (内部罚单): for a hazard or a violation (三违), issued by a\n"
                      "principal or safety officer of the fined employee's enterprise.",
                      fine_commands, argc, argv);
}
