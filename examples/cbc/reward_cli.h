/* cbc: what the reward commands (rewards, fine, policy) share — money,
 * periods, and printing awards, decisions and fines (reward_out.c). */
#ifndef CBC_CLI_REWARD_H
#define CBC_CLI_REWARD_H

#include "activity_cli.h"

#define RW_OPTS_END {NULL, CLI_FLAG, NULL}

/* An amount in fen as yuan with two decimals: "1234.50". */
const char *rw_yuan(int64_t fen, char buf[32]);

/* An optional period: its bounds (0, 0 when @p text is NULL: all time) and
 * canonical text ("" when none).  CLI_OK or an exit status (printed). */
int rw_period(cli_ctx *ctx, const char *text, int64_t *from, int64_t *to,
              char canonical[CBC_PERIOD_TEXT_MAX]);

/* JSON for an award, every field (ids of nothing and empty texts as null). */
json_t *rw_award_json(cli_ctx *ctx, const cbc_award *a);

/* The award as text: its fields, then its history. */
void rw_award_print(cli_ctx *ctx, const cbc_award *a);

/* The award's history, oldest first: proposed, flagged, reviewed, approved,
 * paid, declined (each that happened), as JSON or as text lines. */
json_t *rw_history_json(cli_ctx *ctx, const cbc_award *a);

/* A table row of an award for listings (rw_award_headings, 8 columns). */
extern const char *const rw_award_headings[];
#define RW_AWARD_COLUMNS 8
int rw_award_row(cli_ctx *ctx, const cbc_award *a, cli_table *t);

/* Decisions: JSON array, or a table (nothing when there are none). */
json_t *rw_decisions_json(cli_ctx *ctx, const cbc_reward_decisions *ds);
int rw_decisions_print(cli_ctx *ctx, const cbc_reward_decisions *ds);

/* Fines: one as JSON; a table of several (nothing when there are none). */
json_t *rw_fine_json(cli_ctx *ctx, const cbc_fine *f);
json_t *rw_fines_json(cli_ctx *ctx, const cbc_fine *fines, size_t n);
int rw_fines_print(cli_ctx *ctx, const cbc_fine *fines, size_t n);

/* "out of memory" for a table or JSON the tool was building. */
int rw_oom(cli_ctx *ctx);

#endif
