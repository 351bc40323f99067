/* cbc rewards: evaluate the reward policy, list and explain awards, move
 * them (approve, pay, decline, review), and a period's summary. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "reward_cli.h"

#include <stdio.h>
#include <string.h>

/* DB UNIT PERIOD: open, resolve the unit, read the period and its bounds. */
typedef struct unit_period {
  int64_t unit;
  cbc_period period;
  int64_t from, to;
  char text[CBC_PERIOD_TEXT_MAX];
} unit_period;

static int open_unit_period(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc,
                            char **argv, unit_period *up)
{
  const char *pos[3];
  int rc = cli_parse(ctx, usage, opts, argc, argv, pos, 3, 3);
  if (rc == CLI_OK)
    rc = cli_open(ctx, pos[0], 0);
  if (rc == CLI_OK)
    rc = cli_unit(ctx, pos[1], &up->unit);
  if (rc == CLI_OK)
    rc = cli_period(ctx, pos[2], &up->period);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_period_bounds(&up->from, &up->to, ctx->db, &up->period)) == 0)
    rc = cbc_period_format(up->text, sizeof up->text, ctx->db, &up->period);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

/* ------------------------------------------------------------------ */

static const char evaluate_usage[] =
  "usage: cbc rewards evaluate DB UNIT PERIOD [--dry-run] [--json]\n"
  "\n"
  "Apply the current reward policy (cbc policy get) to the period over the\n"
  "unit's subtree: the discovery rewards of the hazards closed in the period,\n"
  "the adopted proposals, the labour-medal recommendation, Worker Pioneer for\n"
  "every team and workshop, Ankang Cup for every enterprise (docs/rewards.md).\n"
  "Prints every decision: the rule, who, eligible or not, the amount and the\n"
  "reasons with the figures that decided it.  Each eligible decision becomes a\n"
  "proposed award, once: evaluating again finds the award, never adds a second.\n"
  "Awards wait for a union cadre ('cbc rewards approve').\n"
  "\n"
  "  UNIT        the subtree's root: external id or path (R1/E1)\n"
  "  PERIOD      2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-15\n"
  "  --dry-run   decide only: record no award (award ids are those that exist)\n"
  "  --json      {\"unit\", \"period\", \"from\", \"to\", \"policy_version\", \"dry_run\",\n"
  "              \"count\", \"eligible\", \"decisions\": [{\"rule\", \"subject_kind\",\n"
  "              \"subject_id\", \"subject\", \"eligible\", \"hazard_id\", \"proposal_id\",\n"
  "              \"amount_fen\", \"reasons\", \"award_id\"}]}\n";

static size_t eligible_count(const cbc_reward_decisions *ds)
{
  size_t n = 0;
  for (size_t i = 0; i < ds->count; i++)
    n += ds->decisions[i].eligible != 0;
  return n;
}

static int evaluate_json(cli_ctx *ctx, const unit_period *up, const cbc_reward_decisions *ds,
                         int dry_run)
{
  json_t *decisions = rw_decisions_json(ctx, ds);
  if (!decisions)
    return rw_oom(ctx);
  return cli_print_json(json_pack(
    "{s:o,s:s,s:o,s:o,s:I,s:b,s:I,s:I,s:o}", "unit", cli_json_unit_ref(ctx, up->unit),
    "period", up->text, "from", cli_json_time(ctx, ds->from), "to",
    cli_json_time(ctx, ds->to), "policy_version", (json_int_t)ds->policy_version, "dry_run",
    dry_run != 0, "count", (json_int_t)ds->count, "eligible",
    (json_int_t)eligible_count(ds), "decisions", decisions));
}

static int evaluate_text(cli_ctx *ctx, const unit_period *up, const cbc_reward_decisions *ds,
                         int dry_run)
{
  char unit[512];
  printf("%s  %s  奖励政策第 %lld 版  %zu 项决定, %zu 项符合%s\n",
         act_unit_text(ctx, up->unit, unit, sizeof unit), up->text,
         (long long)ds->policy_version, ds->count, eligible_count(ds),
         dry_run ? "  (试算: 未记录奖励)" : "");
  return rw_decisions_print(ctx, ds);
}

static int cmd_evaluate(cli_ctx *ctx, int argc, char **argv)
{
  int dry_run = 0;
  unit_period up;
  cbc_reward_decisions *ds = NULL;
  cli_opt opts[] = {{"--dry-run", CLI_FLAG, &dry_run}, RW_OPTS_END};
  int rc = open_unit_period(ctx, evaluate_usage, opts, argc, argv, &up);
  if (rc != CLI_OK)
    return rc;
  rc = cbc_reward_evaluate(&ds, ctx->db, up.unit, &up.period,
                           dry_run ? CBC_EVALUATE_DRY_RUN : 0u);
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? evaluate_json(ctx, &up, ds, dry_run) : evaluate_text(ctx, &up, ds, dry_run);
  cbc_reward_decisions_free(ds);
  return rc;
}

/* ------------------------------------------------------------------ */

static const char list_usage[] =
  "usage: cbc rewards list DB [UNIT] [--state STATE] [--period PERIOD]\n"
  "                        [--subject EMPLOYEE] [--json]\n"
  "\n"
  "List awards by id: those that count in the unit's subtree (a discovery\n"
  "award where its hazard is, a proposal's where the proposal is, an honour\n"
  "at its unit, the labour medal at the finder's unit), proposed in the\n"
  "period, in one state.  Without UNIT, every unit.\n"
  "\n"
  "  --state STATE        proposed (待审批), approved (已批准), paid (已发放) or\n"
  "                       declined (不予奖励)\n"
  "  --period PERIOD      proposed in the period: 2026-11, 2026-Q4, 2026 or a range\n"
  "  --subject EMPLOYEE   only the awards of this employee\n"
  "  --json               {\"unit\", \"period\", \"state\", \"subject\", \"count\",\n"
  "                       \"amount_fen\" (the listed awards' total), \"awards\": [...]}\n"
  "                       (each award as in 'cbc rewards explain --json')\n";

static int list_json(cli_ctx *ctx, const cbc_award_filter *f, const char *period,
                     const cbc_awards *list)
{
  json_t *awards = json_array();
  int64_t total = 0;
  for (size_t i = 0; awards && i < list->count; i++) {
    total += list->items[i]->amount_fen;
    if (json_array_append_new(awards, rw_award_json(ctx, list->items[i])) != 0) {
      json_decref(awards);
      awards = NULL;
    }
  }
  if (!awards)
    return rw_oom(ctx);
  return cli_print_json(json_pack(
    "{s:o,s:o,s:o,s:o,s:I,s:I,s:o}", "unit", cli_json_unit_ref(ctx, f->unit_id), "period",
    cli_json_str(period[0] ? period : NULL), "state", cli_json_enum(CBC_ENUM_AWARD_STATE,
    f->state), "subject", cli_json_employee_ref(ctx, f->subject_id), "count",
    (json_int_t)list->count, "amount_fen", (json_int_t)total, "awards", awards));
}

/* A table; nothing at all when no award matches (like ls). */
static int list_text(cli_ctx *ctx, const cbc_awards *list)
{
  if (list->count == 0)
    return CLI_OK;
  cli_table *t = cli_table_new(RW_AWARD_COLUMNS, rw_award_headings);
  for (size_t i = 0; t && i < list->count; i++) {
    if (rw_award_row(ctx, list->items[i], t) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  if (!t)
    return rw_oom(ctx);
  cli_table_print(t, stdout);
  return CLI_OK;
}

static int list_filter(cli_ctx *ctx, const char *unit, const char *state, const char *subject,
                       cbc_award_filter *f)
{
  int rc = CLI_OK;
  if (unit)
    rc = cli_unit(ctx, unit, &f->unit_id);
  if (rc == CLI_OK && state)
    rc = cli_enum(ctx, CBC_ENUM_AWARD_STATE, state, &f->state);
  if (rc == CLI_OK && subject) {
    f->subject_kind = CBC_SUBJECT_EMPLOYEE;
    rc = cli_employee(ctx, subject, &f->subject_id);
  }
  return rc;
}

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *state = NULL, *period = NULL, *subject = NULL;
  char period_text[CBC_PERIOD_TEXT_MAX];
  cbc_award_filter f = CBC_AWARD_FILTER_INIT;
  cbc_awards *list = NULL;
  cli_opt opts[] = {{"--state", CLI_STRING, &state}, {"--period", CLI_STRING, &period},
                    {"--subject", CLI_STRING, &subject}, RW_OPTS_END};
  int rc = cli_parse(ctx, list_usage, opts, argc, argv, pos, 1, 2);
  if (rc == CLI_OK)
    rc = cli_open(ctx, pos[0], 0);
  if (rc == CLI_OK)
    rc = list_filter(ctx, pos[1], state, subject, &f);
  if (rc == CLI_OK)
    rc = rw_period(ctx, period, &f.from, &f.to, period_text);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_award_select(&list, ctx->db, &f)) != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? list_json(ctx, &f, period_text, list) : list_text(ctx, list);
  cbc_awards_free(list);
  return rc;
}

/* ------------------------------------------------------------------ */

static const char explain_usage[] =
  "usage: cbc rewards explain DB (AWARD | --hazard HAZARD | --key FOLLOWUP_KEY) [--json]\n"
  "\n"
  "Why an award was made and what became of it: its rule, subject, amount, the\n"
  "reasons with their figures, the policy version that made it, and its\n"
  "history (proposed, approved, paid or declined, flagged and reviewed: who\n"
  "and when).  For a hazard's discovery award, also the hazard's decisions as\n"
  "made when it closed: every report that competed and why it won or lost.\n"
  "\n"
  "  AWARD                the award's id\n"
  "  --hazard HAZARD      a closed hazard's discovery decisions and its award, if any\n"
  "  --key FOLLOWUP_KEY   the award of an anonymous tip-off, by its follow-up key\n"
  "  --json               {\"award\" (null when none), \"policy_version\", \"history\":\n"
  "                       [{\"action\", \"at\", \"by\", \"text\"}], \"decisions\": [...]}\n";

/* The award named by its id or key (*out), and the hazard whose decisions
 * explain it (*hazard_id; 0: none). */
static int explain_find(cli_ctx *ctx, const char *id, const char *key, cbc_award **out,
                        int64_t *hazard_id)
{
  int64_t v = 0;
  int rc;
  if (key) {
    rc = cbc_award_by_key(out, ctx->db, key);
  } else {
    if ((rc = cli_int(ctx, "AWARD", id, 1, INT64_MAX, &v)) != CLI_OK)
      return rc;
    rc = cbc_award_lookup(out, ctx->db, v);
  }
  if (rc != 0)
    return cli_fail(ctx, rc);
  *hazard_id = (*out)->hazard_id;
  return CLI_OK;
}

/* A hazard's decisions and, when one of them has its award, the award. */
static int explain_hazard(cli_ctx *ctx, int64_t hazard_id, cbc_reward_decisions **ds,
                          cbc_award **award)
{
  int rc = cbc_reward_explain_hazard(ds, ctx->db, hazard_id);
  for (size_t i = 0; rc == 0 && i < (*ds)->count && !*award; i++)
    if ((*ds)->decisions[i].award_id)
      rc = cbc_award_lookup(award, ctx->db, (*ds)->decisions[i].award_id);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

static int explain_json(cli_ctx *ctx, const cbc_award *a, const cbc_reward_decisions *ds)
{
  json_t *history = a ? rw_history_json(ctx, a) : json_array();
  json_t *decisions = ds ? rw_decisions_json(ctx, ds) : json_array();
  json_t *award = a ? rw_award_json(ctx, a) : json_null();
  if (!history || !decisions || !award) {
    json_decref(history);
    json_decref(decisions);
    json_decref(award);
    return rw_oom(ctx);
  }
  int64_t version = a ? a->policy_version : ds ? ds->policy_version : 0;
  return cli_print_json(json_pack("{s:o,s:I,s:o,s:o}", "award", award, "policy_version",
                                  (json_int_t)version, "history", history, "decisions",
                                  decisions));
}

static int explain_text(cli_ctx *ctx, const cbc_award *a, int64_t hazard,
                        const cbc_reward_decisions *ds)
{
  if (a)
    rw_award_print(ctx, a);
  else
    printf("隐患 %lld 没有发现奖励\n", (long long)hazard);
  if (ds && ds->count) {
    printf("\n隐患 %lld 销号时的决定 (奖励政策第 %lld 版):\n", (long long)hazard,
           (long long)ds->policy_version);
    return rw_decisions_print(ctx, ds);
  }
  return CLI_OK;
}

static int cmd_explain(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *hazard = NULL, *key = NULL;
  cli_opt opts[] = {{"--hazard", CLI_STRING, &hazard}, {"--key", CLI_STRING, &key},
                    RW_OPTS_END};
  cbc_award *a = NULL;
  cbc_reward_decisions *ds = NULL;
  int64_t hazard_id = 0;
  int rc = cli_parse(ctx, explain_usage, opts, argc, argv, pos, 1, 2);
  if (rc != CLI_OK)
    return rc;
  if ((pos[1] != NULL) + (hazard != NULL) + (key != NULL) != 1)
    return cli_usage_error(ctx, "give exactly one of AWARD, --hazard and --key");
  if ((rc = cli_open(ctx, pos[0], 0)) == CLI_OK && hazard)
    rc = cli_int(ctx, "--hazard", hazard, 1, INT64_MAX, &hazard_id);
  else if (rc == CLI_OK)
    rc = explain_find(ctx, pos[1], key, &a, &hazard_id);
  if (rc == CLI_OK && hazard)
    rc = explain_hazard(ctx, hazard_id, &ds, &a);
  else if (rc == CLI_OK && hazard_id && (rc = cbc_reward_explain_hazard(&ds, ctx->db, hazard_id)))
    rc = cli_fail(ctx, rc);
  if (rc == CLI_OK)
    rc = ctx->json ? explain_json(ctx, a, ds) : explain_text(ctx, a, hazard_id, ds);
  cbc_reward_decisions_free(ds);
  cbc_award_free(a);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Moves.                                                              */

/* After a move: --json prints the award as it now is; text one line. */
static int moved(cli_ctx *ctx, int rc, int64_t id, const char *done)
{
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (!ctx->json) {
    if (!ctx->quiet)
      printf("award %lld: %s\n", (long long)id, done);
    return CLI_OK;
  }
  cbc_award *a = NULL;
  if ((rc = cbc_award_lookup(&a, ctx->db, id)) != 0)
    return cli_fail(ctx, rc);
  rc = cli_print_json(rw_award_json(ctx, a));
  cbc_award_free(a);
  return rc;
}

/* DB AWARD --as EMPLOYEE and the text option @p text_opt (required when
 * named: a missing one is a usage error, an empty one the library's). */
typedef struct move_args {
  int64_t award, actor;
  const char *text, *claim_key;
} move_args;

static int begin_move(cli_ctx *ctx, const char *usage, const char *text_opt, int with_key,
                      int argc, char **argv, move_args *m)
{
  const char *pos[2];
  memset(m, 0, sizeof *m);
  cli_opt opts[] = {{"--as", CLI_STRING, &ctx->as}, RW_OPTS_END, RW_OPTS_END, RW_OPTS_END};
  if (text_opt)
    opts[1] = (cli_opt){text_opt, CLI_STRING, &m->text};
  if (with_key)
    opts[2] = (cli_opt){"--claim-key", CLI_STRING, &m->claim_key};
  int rc = cli_parse(ctx, usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK)
    return rc;
  if (text_opt && !m->text)
    return cli_usage_error(ctx, "%s is required", text_opt);
  if (!ctx->as)
    return cli_usage_error(ctx, "--as EMPLOYEE is required: who makes this move");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_int(ctx, "AWARD", pos[1], 1, INT64_MAX, &m->award)) != CLI_OK)
    return rc;
  return cli_actor(ctx, &m->actor);
}

static const char approve_usage[] =
  "usage: cbc rewards approve DB AWARD --as EMPLOYEE [--json]\n"
  "\n"
  "Approve a proposed award.  Only a union cadre approves; an award flagged for\n"
  "review (its hazard was reopened) waits for 'cbc rewards review'.  --json\n"
  "prints the award as it now is.\n"
  "\n"
  "  --as EMPLOYEE   the union cadre who approves\n";

static int cmd_approve(cli_ctx *ctx, int argc, char **argv)
{
  move_args m;
  int rc = begin_move(ctx, approve_usage, NULL, 0, argc, argv, &m);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_award_approve(ctx->db, m.award, m.actor), m.award, "approved");
}

static const char pay_usage[] =
  "usage: cbc rewards pay DB AWARD --ref PAYMENT_REF --as EMPLOYEE [--claim-key KEY] [--json]\n"
  "\n"
  "Record that an approved money award was paid.  Honours are approved, never\n"
  "paid.  An anonymous tip-off's award is paid only against its follow-up key,\n"
  "which the reporter presents.  --json prints the award as it now is.\n"
  "\n"
  "  --ref TEXT        the payment's reference: voucher or transfer number (required)\n"
  "  --claim-key KEY   for an anonymous tip-off: the follow-up key presented\n"
  "  --as EMPLOYEE     the union cadre who pays\n";

static int cmd_pay(cli_ctx *ctx, int argc, char **argv)
{
  move_args m;
  int rc = begin_move(ctx, pay_usage, "--ref", 1, argc, argv, &m);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_award_pay(ctx->db, m.award, m.actor, m.text, m.claim_key), m.award,
               "paid");
}

static const char decline_usage[] =
  "usage: cbc rewards decline DB AWARD --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Decline a proposed or approved award, with a reason; final.  A paid award\n"
  "cannot be declined.  A missing --reason is a usage error (exit 2); an empty\n"
  "one is refused by the library (exit 4).  --json prints the award as it now is.\n"
  "\n"
  "  --reason TEXT   why (required)\n"
  "  --as EMPLOYEE   the union cadre who declines\n";

static int cmd_decline(cli_ctx *ctx, int argc, char **argv)
{
  move_args m;
  int rc = begin_move(ctx, decline_usage, "--reason", 0, argc, argv, &m);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_award_decline(ctx->db, m.award, m.actor, m.text), m.award, "declined");
}

static const char review_usage[] =
  "usage: cbc rewards review DB AWARD --note TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Review an award flagged when its hazard was reopened (回头看), once the\n"
  "hazard is closed again: the award stands and may be approved or paid (never\n"
  "twice).  To refuse it instead, decline it.  --json prints the award.\n"
  "\n"
  "  --note TEXT     what the review found (required)\n"
  "  --as EMPLOYEE   the union cadre who reviews\n";

static int cmd_review(cli_ctx *ctx, int argc, char **argv)
{
  move_args m;
  int rc = begin_move(ctx, review_usage, "--note", 0, argc, argv, &m);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_award_review(ctx->db, m.award, m.actor, m.text), m.award, "reviewed");
}

/* ------------------------------------------------------------------ */

static const char summary_usage[] =
  "usage: cbc rewards summary DB UNIT PERIOD [--json]\n"
  "\n"
  "The period's rewards and fines over the unit's subtree: the awards proposed\n"
  "in the period by state, the money of those not declined, the money paid in\n"
  "the period, and the fines issued in it with their total.\n"
  "\n"
  "  --json   {\"unit\", \"period\", \"from\", \"to\", \"award_count\", \"awards_by_state\":\n"
  "           {\"proposed\", \"approved\", \"paid\", \"declined\"}, \"awarded_fen\",\n"
  "           \"paid_fen\", \"fine_count\", \"fined_fen\", \"fines\": [...]}\n";

static int summary_json(cli_ctx *ctx, const unit_period *up, const cbc_reward_summary *s)
{
  json_t *by_state = json_object(), *fines = rw_fines_json(ctx, s->fine_list, s->n_fines);
  for (int st = CBC_AWARD_PROPOSED; by_state && st <= CBC_AWARD_DECLINED; st++)
    json_object_set_new(by_state, cbc_enum_name(CBC_ENUM_AWARD_STATE, st),
                        json_integer((json_int_t)s->awards[st]));
  if (!by_state || !fines) {
    json_decref(by_state);
    json_decref(fines);
    return rw_oom(ctx);
  }
  return cli_print_json(json_pack(
    "{s:o,s:s,s:o,s:o,s:I,s:o,s:I,s:I,s:I,s:I,s:o}", "unit", cli_json_unit_ref(ctx, up->unit),
    "period", up->text, "from", cli_json_time(ctx, s->from), "to", cli_json_time(ctx, s->to),
    "award_count", (json_int_t)s->awards[0], "awards_by_state", by_state, "awarded_fen",
    (json_int_t)s->awarded_fen, "paid_fen", (json_int_t)s->paid_fen, "fine_count",
    (json_int_t)s->fines, "fined_fen", (json_int_t)s->fined_fen, "fines", fines));
}

static int summary_text(cli_ctx *ctx, const unit_period *up, const cbc_reward_summary *s)
{
  char buf[256], money[32];
  size_t len = 0;
  act_field_unit(ctx, "单位", up->unit);
  act_field("期间", up->text);
  len = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)s->awards[0]);
  for (int st = CBC_AWARD_PROPOSED; st <= CBC_AWARD_DECLINED && len < sizeof buf; st++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %lld", st == 1 ? " (" : ", ",
                            cbc_enum_label(CBC_ENUM_AWARD_STATE, st), (long long)s->awards[st]);
  if (len < sizeof buf)
    snprintf(buf + len, sizeof buf - len, ")");
  act_field("奖励", buf);
  snprintf(buf, sizeof buf, "%s 元", rw_yuan(s->awarded_fen, money));
  act_field("奖励金额", buf);
  snprintf(buf, sizeof buf, "%s 元", rw_yuan(s->paid_fen, money));
  act_field("已发放金额", buf);
  snprintf(buf, sizeof buf, "%lld 笔, %s 元", (long long)s->fines, rw_yuan(s->fined_fen, money));
  act_field("罚单", buf);
  if (s->n_fines)
    putchar('\n');
  return rw_fines_print(ctx, s->fine_list, s->n_fines);
}

static int cmd_summary(cli_ctx *ctx, int argc, char **argv)
{
  unit_period up;
  cbc_reward_summary *s = NULL;
  int rc = open_unit_period(ctx, summary_usage, NULL, argc, argv, &up);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_reward_summary_get(&s, ctx->db, up.unit, &up.period)) != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? summary_json(ctx, &up, s) : summary_text(ctx, &up, s);
  cbc_reward_summary_free(s);
  return rc;
}

/* ------------------------------------------------------------------ */

static const cli_command rewards_commands[] = {
  {"evaluate", cmd_evaluate, "apply the reward policy to a period: decisions and awards"},
  {"list", cmd_list, "list awards by unit, period and state"},
  {"explain", cmd_explain, "one award: why, under which policy, and its history"},
  {"approve", cmd_approve, "approve a proposed award"},
  {"pay", cmd_pay, "record that an approved money award was paid"},
  {"decline", cmd_decline, "decline an award, with a reason"},
  {"review", cmd_review, "review an award flagged when its hazard was reopened"},
  {"summary", cmd_summary, "a period's awards and fines over a unit"},
  {NULL, NULL, NULL}
};

int cmd_rewards(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "rewards",
                      "Rewards and honours (docs/rewards.md): evaluate the policy, then approve,\n"
                      "pay or decline the awards it proposes.  Union cadres act on awards.",
                      rewards_commands, argc, argv);
}
