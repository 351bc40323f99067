/* cbc: the top-level commands, one function per command group. */
#ifndef CBC_CLI_COMMANDS_H
#define CBC_CLI_COMMANDS_H

#include "cli.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);    /* cmd_db.c */
int cmd_version(cli_ctx *ctx, int argc, char **argv); /* cmd_db.c */
int cmd_check(cli_ctx *ctx, int argc, char **argv);   /* cmd_db.c */
int cmd_hazard(cli_ctx *ctx, int argc, char **argv);  /* cmd_hazard.c */
int cmd_ledger(cli_ctx *ctx, int argc, char **argv);  /* cmd_ledger.c */
int cmd_sweep(cli_ctx *ctx, int argc, char **argv);   /* cmd_ledger.c */
int cmd_demo(cli_ctx *ctx, int argc, char **argv);    /* cmd_demo.c */
int cmd_org(cli_ctx *ctx, int argc, char **argv);        /* cmd_org.c */
int cmd_employee(cli_ctx *ctx, int argc, char **argv);   /* cmd_employee.c */
int cmd_compliance(cli_ctx *ctx, int argc, char **argv); /* cmd_compliance.c */
int cmd_training(cli_ctx *ctx, int argc, char **argv);   /* cmd_training.c */
int cmd_drill(cli_ctx *ctx, int argc, char **argv);      /* cmd_drill.c */
int cmd_assign(cli_ctx *ctx, int argc, char **argv);     /* cmd_assign.c */
int cmd_visit(cli_ctx *ctx, int argc, char **argv);      /* cmd_visit.c */
int cmd_proposal(cli_ctx *ctx, int argc, char **argv);   /* cmd_proposal.c */
int cmd_form(cli_ctx *ctx, int argc, char **argv);       /* cmd_form.c */
int cmd_stats(cli_ctx *ctx, int argc, char **argv);      /* cmd_stats.c */
int cmd_filing(cli_ctx *ctx, int argc, char **argv);     /* cmd_filing.c */
int cmd_history_chains(cli_ctx *ctx, int argc, char **argv); /* cmd_history.c: "history" */
int cmd_rewards(cli_ctx *ctx, int argc, char **argv);    /* cmd_rewards.c */
int cmd_fine(cli_ctx *ctx, int argc, char **argv);       /* cmd_fine.c */
int cmd_policy(cli_ctx *ctx, int argc, char **argv);     /* cmd_policy.c */
int cmd_account(cli_ctx *ctx, int argc, char **argv);    /* cmd_account.c */

/* The table of main.c, after init and version; each helper's group adds
 * its line here. */
#define CBC_CLI_COMMANDS \
  {"demo", cmd_demo, "build the demo campaign into a new database"}, \
  {"check", cmd_check, "check a database: integrity, histories, statistics"}, \
  {"history", cmd_history_chains, "the tamper-evident history: verify the chains, a head"}, \
  {"hazard", cmd_hazard, "report hazards and move them through their lifecycle"}, \
  {"ledger", cmd_ledger, "the hazard ledger: filters, sort, paging"}, \
  {"sweep", cmd_sweep, "find (and escalate) hazards past their deadline"}, \
  {"org", cmd_org, "the organisation: import HR files, the unit tree"}, \
  {"employee", cmd_employee, "employees: list, show, history, transfer, leave"}, \
  {"compliance", cmd_compliance, "who lacks training, where drills fall short"}, \
  {"training", cmd_training, "training sessions (教育培训) and their attendees"}, \
  {"drill", cmd_drill, "emergency drills (应急演练) and the teams in them"}, \
  {"assign", cmd_assign, "union cadres assigned to units (包靠)"}, \
  {"visit", cmd_visit, "union supervision visits (督导)"}, \
  {"proposal", cmd_proposal, "proposals (合理化建议): submit, decide"}, \
  {"form", cmd_form, "the official monthly form: text, CSV, JSON or xlsx"}, \
  {"stats", cmd_stats, "statistics beyond the form: breakdowns, series, rebuild"}, \
  {"filing", cmd_filing, "file the monthly form or the hazard table; who filed"}, \
  {"rewards", cmd_rewards, "rewards: evaluate the policy, approve, pay, explain"}, \
  {"fine", cmd_fine, "internal fines (内部罚单): issue, list"}, \
  {"policy", cmd_policy, "the reward policy: get, set, preset"}, \
  {"account", cmd_account, "sign-in passwords for front ends: passwd, clear, show, login"},

#endif
