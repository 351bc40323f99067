/* cbc hazard penalty: record the administrative penalty imposed for a hazard. */
#define _POSIX_C_SOURCE 200809L
#include "hazard_out.h"

static const char penalty_usage[] =
  "usage: cbc hazard penalty DB HAZARD --amount YUAN --document TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Record the administrative penalty (行政处罚) a safety bureau imposed on the\n"
  "enterprise for a registered hazard, once; a bureau inspector over the\n"
  "hazard's unit records it.  When the reward policy pays a hotline tip-off a\n"
  "share of the penalty (hotline_tip.percent_of_fine, as the preset\n"
  "whistleblower_2018 does: 'cbc policy preset'), the award is made with it if\n"
  "the hazard is closed, else when it closes.  Prints one line (--json: the\n"
  "penalty, as \"penalty\" of 'cbc hazard show --json').  A rejected or\n"
  "unregistered hazard, or one with its penalty, is exit 6.\n"
  "\n"
  "  --amount YUAN     the fine imposed, in yuan: 12000 or 12000.50\n"
  "  --document TEXT   the penalty decision's number (处罚决定书文号)\n"
  "  --as EMPLOYEE     the bureau inspector who records it\n";

int cmd_hazard_penalty(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *amount = NULL, *document = NULL;
  int64_t hazard = 0, actor = 0, fen = 0;
  cli_opt opts[] = {{"--amount", CLI_STRING, &amount}, {"--document", CLI_STRING, &document},
                    {"--as", CLI_STRING, &ctx->as}, {NULL, CLI_FLAG, NULL}};
  int rc = cli_parse(ctx, penalty_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK)
    return rc;
  if (!amount || !document)
    return cli_usage_error(ctx, "--amount and --document are required");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_int(ctx, "HAZARD", pos[1], 1, INT64_MAX, &hazard)) != CLI_OK ||
      (rc = cli_actor(ctx, &actor)) != CLI_OK ||
      (rc = cli_money(ctx, "--amount", amount, &fen)) != CLI_OK)
    return rc;
  rc = cbc_hazard_record_penalty(ctx->db, hazard, actor, fen, document);
  return rc ? cli_fail(ctx, rc) : hazard_print_penalty(ctx, hazard);
}
