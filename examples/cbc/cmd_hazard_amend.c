/* cbc hazard amend: correct a registered hazard without rewriting history. */
#define _POSIX_C_SOURCE 200809L
#include "hazard_out.h"

static const char amend_usage[] =
  "usage: cbc hazard amend DB HAZARD --reason TEXT --as EMPLOYEE [CHANGES]\n"
  "\n"
  "Correct a registered hazard's five items or its classification before it\n"
  "is closed (更正).  The correction is a move in its history with the old\n"
  "record kept; only the fields given change.  Whoever may register at the\n"
  "hazard's level may correct it; a later deadline also needs whoever may\n"
  "approve an extension.\n"
  "\n"
  "  --reason TEXT            why the record was wrong (required)\n"
  "  --responsible EMPLOYEE   责任\n"
  "  --measures TEXT          措施\n"
  "  --funds YUAN             资金\n"
  "  --deadline TIME          时限 (replaces the registered and current deadline)\n"
  "  --contingency TEXT       预案\n"
  "  --severity SEVERITY      general or major\n"
  "  --kind KIND              hard or soft\n"
  "  --category CATEGORY      safety or occupational_health\n"
  "  --check ITEM             one of the six checks\n";

typedef struct amend_args {
  const char *responsible, *funds, *deadline, *severity, *kind, *category, *check;
} amend_args;

/* The classification: text → enum value, each with its field bit. */
static int amend_classification(cli_ctx *ctx, const amend_args *a, cbc_hazard_amendment *am)
{
  struct { const char *text; cbc_enum_type type; unsigned int bit; int *dest; } fields[] = {
    {a->severity, CBC_ENUM_SEVERITY, CBC_AMEND_SEVERITY, (int *)&am->severity},
    {a->kind, CBC_ENUM_HAZARD_KIND, CBC_AMEND_KIND, (int *)&am->kind},
    {a->category, CBC_ENUM_HAZARD_CATEGORY, CBC_AMEND_CATEGORY, (int *)&am->category},
    {a->check, CBC_ENUM_CHECK_ITEM, CBC_AMEND_CHECK_ITEM, (int *)&am->check_item}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (!fields[i].text)
      continue;
    int rc = cli_enum(ctx, fields[i].type, fields[i].text, fields[i].dest);
    if (rc != CLI_OK)
      return rc;
    am->fields |= fields[i].bit;
  }
  return CLI_OK;
}

/* The five items: people, money and time in the tool's forms. */
static int amend_five_items(cli_ctx *ctx, const amend_args *a, cbc_hazard_amendment *am)
{
  int rc = CLI_OK;
  if (am->measures)
    am->fields |= CBC_AMEND_MEASURES;
  if (am->contingency_plan)
    am->fields |= CBC_AMEND_CONTINGENCY_PLAN;
  if (a->responsible && (rc = cli_employee(ctx, a->responsible, &am->responsible_id)) == CLI_OK)
    am->fields |= CBC_AMEND_RESPONSIBLE;
  if (rc == CLI_OK && a->funds &&
      (rc = cli_money(ctx, "--funds", a->funds, &am->funds_fen)) == CLI_OK)
    am->fields |= CBC_AMEND_FUNDS;
  if (rc == CLI_OK && a->deadline &&
      (rc = cli_time(ctx, a->deadline, 1, &am->deadline)) == CLI_OK)
    am->fields |= CBC_AMEND_DEADLINE;
  return rc;
}

int cmd_hazard_amend(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2];
  amend_args a = {0};
  cbc_hazard_amendment am = CBC_HAZARD_AMENDMENT_INIT;
  int64_t hazard, actor;
  cli_opt opts[] = {
    {"--reason", CLI_STRING, &am.reason}, {"--responsible", CLI_STRING, &a.responsible},
    {"--measures", CLI_STRING, &am.measures}, {"--funds", CLI_STRING, &a.funds},
    {"--deadline", CLI_STRING, &a.deadline}, {"--contingency", CLI_STRING, &am.contingency_plan},
    {"--severity", CLI_STRING, &a.severity}, {"--kind", CLI_STRING, &a.kind},
    {"--category", CLI_STRING, &a.category}, {"--check", CLI_STRING, &a.check},
    {"--as", CLI_STRING, &ctx->as}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, amend_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  if ((rc = cli_int(ctx, "HAZARD", pos[1], 1, INT64_MAX, &hazard)) != CLI_OK ||
      (rc = cli_actor(ctx, &actor)) != CLI_OK ||
      (rc = amend_five_items(ctx, &a, &am)) != CLI_OK ||
      (rc = amend_classification(ctx, &a, &am)) != CLI_OK)
    return rc;
  if (am.fields == 0)
    return cli_usage_error(ctx, "nothing to change: give at least one field");
  rc = cbc_hazard_amend(ctx->db, hazard, actor, &am);
  return rc ? cli_fail(ctx, rc) : hazard_print_after_move(ctx, hazard, "amended");
}
