/* cbc: what the hazard and ledger commands share — attachments from files,
 * the rectification plan's options, and printing hazards. */
#ifndef CBC_CLI_HAZARD_OUT_H
#define CBC_CLI_HAZARD_OUT_H

#include "cli.h"

/* Attachments read from local files: size and SHA-256 computed, the media
 * type from the extension, the URI a file:// URL of the absolute path. */
typedef struct hazard_attachments {
  cbc_attachment items[CBC_MAX_ATTACHMENTS];
  char *uris[CBC_MAX_ATTACHMENTS];
  char sha256[CBC_MAX_ATTACHMENTS][65];
  int count;
} hazard_attachments;

int hazard_attachments_read(cli_ctx *ctx, const cli_list *paths, hazard_attachments *out);
void hazard_attachments_free(hazard_attachments *a);

/* The rectification plan (治理方案) as six options. */
typedef struct plan_options {
  const char *goals, *methods, *funds, *bodies, *time_limit, *safety;
  int given;
} plan_options;

#define PLAN_OPTIONS(p) \
  {"--plan-goals", CLI_STRING, &(p).goals}, {"--plan-methods", CLI_STRING, &(p).methods}, \
  {"--plan-funds", CLI_STRING, &(p).funds}, {"--plan-responsible", CLI_STRING, &(p).bodies}, \
  {"--plan-time-limit", CLI_STRING, &(p).time_limit}, {"--plan-safety", CLI_STRING, &(p).safety}

#define PLAN_OPTIONS_HELP \
  "  --plan-goals TEXT        治理方案: goals and tasks\n" \
  "  --plan-methods TEXT      methods and measures\n" \
  "  --plan-funds TEXT        funds and materials\n" \
  "  --plan-responsible TEXT  responsible bodies and people\n" \
  "  --plan-time-limit TIME   when it must be done\n" \
  "  --plan-safety TEXT       safety and emergency measures\n"

/* Fill @p out from the options; sets opts->given when any was given. */
int plan_from_options(cli_ctx *ctx, plan_options *opts, cbc_rectification_plan *out);

/* A hazard as JSON (the ledger's rows and 'hazard show' share it; show adds
 * "penalty"). */
json_t *hazard_json(cli_ctx *ctx, const cbc_hazard *h);

int hazard_print(cli_ctx *ctx, int64_t hazard_id);
int hazard_print_after_move(cli_ctx *ctx, int64_t hazard_id, const char *what);
int hazard_print_history(cli_ctx *ctx, int64_t hazard_id);
int hazard_print_answer(cli_ctx *ctx, const cbc_hazard_answer *a);

/* A recorded administrative penalty as JSON: {"hazard_id", "amount_fen",
 * "document", "recorded_by", "recorded_at"} ('cbc hazard show' has it as
 * "penalty", null when none is recorded). */
json_t *hazard_penalty_json(cli_ctx *ctx, const cbc_hazard_penalty *p);

/* After 'cbc hazard penalty': the penalty as recorded (--json) or one line. */
int hazard_print_penalty(cli_ctx *ctx, int64_t hazard_id);

/* 'cbc hazard penalty' (cmd_hazard_penalty.c). */
int cmd_hazard_penalty(cli_ctx *ctx, int argc, char **argv);
#define HAZARD_PENALTY_COMMAND \
  {"penalty", cmd_hazard_penalty, "record the administrative penalty (行政处罚)"},

/* 'cbc hazard amend' (cmd_hazard_amend.c). */
int cmd_hazard_amend(cli_ctx *ctx, int argc, char **argv);
#define HAZARD_AMEND_COMMAND \
  {"amend", cmd_hazard_amend, "correct the five items or the classification"},

#endif
