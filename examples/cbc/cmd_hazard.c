/* cbc hazard: report a hazard and move it through its lifecycle. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "hazard_out.h"

#include <stdlib.h>
#include <string.h>

/* What every move takes: DB HAZARD and the actor. */
typedef struct move {
  const char *pos[2];
  int64_t hazard;
  int64_t actor;
} move;

/* Parse, open, resolve the hazard id and --as.  A positive return is an
 * exit status, -1 is --help. */
static int begin_move(cli_ctx *ctx, const char *usage, cli_opt *opts, int argc, char **argv,
                      move *m, int needs_actor)
{
  int rc = cli_parse(ctx, usage, opts, argc, argv, m->pos, 2, 2);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, m->pos[0], 0)) != CLI_OK)
    return rc;
  if ((rc = cli_int(ctx, "HAZARD", m->pos[1], 1, INT64_MAX, &m->hazard)) != CLI_OK)
    return rc;
  return needs_actor ? cli_actor(ctx, &m->actor) : CLI_OK;
}

/* After a move: the hazard as it now is (--json) or one line. */
static int moved(cli_ctx *ctx, int rc, int64_t hazard_id, const char *what)
{
  if (rc != 0)
    return cli_fail(ctx, rc);
  return hazard_print_after_move(ctx, hazard_id, what);
}

#define MOVE_OPTS_AS {"--as", CLI_STRING, &ctx->as}
#define OPTS_END {NULL, CLI_FLAG, NULL}

/* ------------------------------------------------------------------ */

static const char report_usage[] =
  "usage: cbc hazard report DB --unit UNIT --title TITLE --kind hard|soft --check ITEM\n"
  "                         (--as EMPLOYEE | --anonymous) [OPTIONS]\n"
  "\n"
  "Report a hazard (the first move of its history).  Prints the new hazard's id;\n"
  "an anonymous hotline tip-off also gets its follow-up key, the only way to\n"
  "read the answer later ('cbc hazard answer DB --key KEY').\n"
  "\n"
  "  --unit UNIT            where it is: an enterprise or a unit in one\n"
  "  --title TEXT           a short title (required)\n"
  "  --description TEXT     what is wrong\n"
  "  --location TEXT        where exactly\n"
  "  --kind KIND            hard (硬隐患) or soft (软隐患)\n"
  "  --category CATEGORY    safety (default) or occupational_health\n"
  "  --check ITEM           which of the six checks (rules, standard_operation,\n"
  "                         equipment_guarding, protective_equipment, fixed_position,\n"
  "                         key_point_control, or the Chinese label)\n"
  "  --source SOURCE        how it came in; default self_check, or hotline when anonymous\n"
  "  --severity SEVERITY    the reporter's view: general (default) or major\n"
  "  --observed TIME        when it was seen (default now)\n"
  "  --anonymous            a hotline tip-off with no reporter\n"
  "  --fixed MEASURES       fixed on the spot (随手改): reported, registered at post\n"
  "                         level with the reporter responsible and submitted at\n"
  "                         once; someone else verifies it\n"
  "  --attach FILE          a photo or document (its path, size and SHA-256 are\n"
  "                         recorded; the file itself stays where it is); with\n"
  "                         --fixed, the evidence of the fix; repeatable\n"
  "  --key KEY              a request key: running the same report again with it\n"
  "                         reports nothing twice\n"
  "  --as EMPLOYEE          the reporter\n";

static int report_record(cli_ctx *ctx, cbc_hazard_record *rec, const char *unit,
                         const char *kind, const char *category, const char *check,
                         const char *source, const char *severity, const char *observed,
                         int anonymous)
{
  int v, rc = cli_unit(ctx, unit, &rec->unit_id);
  if (rc == CLI_OK && !anonymous)
    rc = cli_actor(ctx, &rec->reporter_id);
  if (rc == CLI_OK && (rc = cli_enum(ctx, CBC_ENUM_HAZARD_KIND, kind, &v)) == CLI_OK)
    rec->kind = (cbc_hazard_kind)v;
  if (rc == CLI_OK && (rc = cli_enum(ctx, CBC_ENUM_HAZARD_CATEGORY, category, &v)) == CLI_OK)
    rec->category = (cbc_hazard_category)v;
  if (rc == CLI_OK && (rc = cli_enum(ctx, CBC_ENUM_CHECK_ITEM, check, &v)) == CLI_OK)
    rec->check_item = (cbc_check_item)v;
  if (rc == CLI_OK && (rc = cli_enum(ctx, CBC_ENUM_HAZARD_SOURCE, source, &v)) == CLI_OK)
    rec->source = (cbc_hazard_source)v;
  if (rc == CLI_OK && (rc = cli_enum(ctx, CBC_ENUM_SEVERITY, severity, &v)) == CLI_OK)
    rec->proposed_severity = (cbc_severity)v;
  if (rc == CLI_OK && observed)
    rc = cli_time(ctx, observed, 0, &rec->observed_at);
  return rc;
}

static int print_reported(cli_ctx *ctx, int64_t id, const char *followup)
{
  if (ctx->json)
    return cli_print_json(json_pack("{s:I,s:o}", "id", (json_int_t)id, "followup_key",
                                    cli_json_str(followup)));
  printf("%lld\n", (long long)id);
  if (followup && !ctx->quiet)
    fprintf(stderr, "follow-up key: %s (keep it: it is shown only once)\n", followup);
  else if (followup)
    printf("%s\n", followup);
  return CLI_OK;
}

static int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1], *unit = NULL, *kind = NULL, *category = "safety", *check = NULL;
  const char *source = NULL, *severity = "general", *observed = NULL, *fixed = NULL;
  int anonymous = 0;
  cli_list attach = {{0}, 0};
  cbc_hazard_record rec = CBC_HAZARD_RECORD_INIT;
  cli_opt opts[] = {
    {"--unit", CLI_STRING, &unit}, {"--title", CLI_STRING, &rec.title},
    {"--description", CLI_STRING, &rec.description}, {"--location", CLI_STRING, &rec.location},
    {"--kind", CLI_STRING, &kind}, {"--category", CLI_STRING, &category},
    {"--check", CLI_STRING, &check}, {"--source", CLI_STRING, &source},
    {"--severity", CLI_STRING, &severity}, {"--observed", CLI_STRING, &observed},
    {"--anonymous", CLI_FLAG, &anonymous}, {"--fixed", CLI_STRING, &fixed},
    {"--attach", CLI_LIST, &attach}, {"--key", CLI_STRING, &rec.request_key},
    MOVE_OPTS_AS, OPTS_END};
  int rc = cli_parse(ctx, report_usage, opts, argc, argv, pos, 1, 1);
  if (rc != CLI_OK)
    return rc;
  if (!unit || !rec.title || !kind || !check)
    return cli_usage_error(ctx, "--unit, --title, --kind and --check are required");
  if (anonymous && ctx->as)
    return cli_usage_error(ctx, "--anonymous and --as exclude each other");
  if (anonymous && fixed)
    return cli_usage_error(ctx, "an anonymous tip-off cannot be fixed on the spot");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  rc = report_record(ctx, &rec, unit, kind, category, check,
                     source ? source : anonymous ? "hotline" : "self_check", severity,
                     observed, anonymous);
  hazard_attachments files;
  if (rc == CLI_OK)
    rc = hazard_attachments_read(ctx, &attach, &files);
  if (rc != CLI_OK)
    return rc;
  int64_t id = 0;
  char *followup = NULL;
  if (fixed) {
    rc = cbc_hazard_fix_on_spot(&id, ctx->db, &rec, fixed, files.items, (size_t)files.count);
  } else {
    rec.attachments = files.items;
    rec.n_attachments = (size_t)files.count;
    rc = cbc_hazard_report(&id, anonymous ? &followup : NULL, ctx->db, &rec);
  }
  hazard_attachments_free(&files);
  rc = rc ? cli_fail(ctx, rc) : print_reported(ctx, id, followup);
  cbc_free(followup);
  return rc;
}

/* ------------------------------------------------------------------ */

static const char register_usage[] =
  "usage: cbc hazard register DB HAZARD --severity SEVERITY --level LEVEL --measures TEXT\n"
  "                           --deadline TIME --contingency TEXT --as EMPLOYEE [OPTIONS]\n"
  "\n"
  "Confirm a reported hazard into the ledger with its five items fixed: the\n"
  "responsible person, the measures, the funds, the deadline and the\n"
  "contingency plan.  A major hazard also needs its rectification plan\n"
  "(治理方案): the --plan-* options.\n"
  "\n"
  "  --severity SEVERITY      general or major\n"
  "  --level LEVEL            the lowest level that can fix it: individual, team,\n"
  "                           workshop or enterprise (major: enterprise)\n"
  "  --responsible EMPLOYEE   责任; default: resolved from the organisation\n"
  "  --measures TEXT          措施\n"
  "  --funds YUAN             资金, e.g. 1200 or 1200.50 (default 0)\n"
  "  --deadline TIME          时限, e.g. 2026-12-31 (the end of that day) or +14d\n"
  "  --contingency TEXT       预案\n"
  PLAN_OPTIONS_HELP
  "  --as EMPLOYEE            who registers it\n";

static int cmd_register(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *severity = NULL, *level = NULL, *responsible = NULL, *funds = "0";
  const char *deadline = NULL;
  plan_options plan;
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  cli_opt opts[] = {
    {"--severity", CLI_STRING, &severity}, {"--level", CLI_STRING, &level},
    {"--responsible", CLI_STRING, &responsible}, {"--measures", CLI_STRING, &reg.measures},
    {"--funds", CLI_STRING, &funds}, {"--deadline", CLI_STRING, &deadline},
    {"--contingency", CLI_STRING, &reg.contingency_plan}, PLAN_OPTIONS(plan),
    MOVE_OPTS_AS, OPTS_END};
  memset(&plan, 0, sizeof plan);
  int v, rc = begin_move(ctx, register_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (!severity || !level || !deadline)
    return cli_usage_error(ctx, "--severity, --level and --deadline are required");
  if ((rc = cli_enum(ctx, CBC_ENUM_SEVERITY, severity, &v)) != CLI_OK)
    return rc;
  reg.severity = (cbc_severity)v;
  if ((rc = cli_enum(ctx, CBC_ENUM_LEVEL, level, &v)) != CLI_OK)
    return rc;
  reg.level = (cbc_level)v;
  if (responsible && (rc = cli_employee(ctx, responsible, &reg.responsible_id)) != CLI_OK)
    return rc;
  if ((rc = cli_money(ctx, "--funds", funds, &reg.funds_fen)) != CLI_OK ||
      (rc = cli_time(ctx, deadline, 1, &reg.deadline)) != CLI_OK)
    return rc;
  cbc_rectification_plan p;
  if ((rc = plan_from_options(ctx, &plan, &p)) != CLI_OK)
    return rc;
  reg.plan = plan.given ? &p : NULL;
  return moved(ctx, cbc_hazard_register(ctx->db, m.hazard, m.actor, &reg), m.hazard,
               "registered");
}

/* ------------------------------------------------------------------ */

static const char start_usage[] =
  "usage: cbc hazard start DB HAZARD --as EMPLOYEE\n"
  "\n"
  "Start rectifying a registered hazard.\n";

static int cmd_start(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  cli_opt opts[] = {MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, start_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_start(ctx->db, m.hazard, m.actor), m.hazard, "rectifying");
}

static const char escalate_usage[] =
  "usage: cbc hazard escalate DB HAZARD --reason TEXT --as EMPLOYEE [--responsible EMPLOYEE]\n"
  "\n"
  "Hand the hazard one level up (post → team → workshop → enterprise) when the\n"
  "present level cannot fix it.\n"
  "\n"
  "  --reason TEXT            why it goes up (required)\n"
  "  --responsible EMPLOYEE   the responsible person at the new level; default:\n"
  "                           resolved from the organisation\n";

static int cmd_escalate(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *reason = NULL, *responsible = NULL;
  int64_t resp = 0;
  cli_opt opts[] = {{"--reason", CLI_STRING, &reason},
                    {"--responsible", CLI_STRING, &responsible}, MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, escalate_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (responsible && (rc = cli_employee(ctx, responsible, &resp)) != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_escalate(ctx->db, m.hazard, m.actor, reason, resp), m.hazard,
               "escalated");
}

static const char list_usage[] =
  "usage: cbc hazard list DB HAZARD --authority TEXT --document TEXT --as EMPLOYEE [--at TIME]\n"
  "\n"
  "List a major hazard for supervision (挂牌督办): a bureau inspector above its\n"
  "enterprise names the listing authority and the document.  Verifying it\n"
  "closed de-lists it.  (The ledger itself is 'cbc ledger'.)\n"
  "\n"
  "  --authority TEXT   e.g. 历下区应急管理局\n"
  "  --document TEXT    the listing document's number\n"
  "  --at TIME          when it was listed (default now)\n";

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *authority = NULL, *document = NULL, *at = NULL;
  int64_t when = 0;
  cli_opt opts[] = {{"--authority", CLI_STRING, &authority},
                    {"--document", CLI_STRING, &document}, {"--at", CLI_STRING, &at},
                    MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, list_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (at && (rc = cli_time(ctx, at, 0, &when)) != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_list_supervision(ctx->db, m.hazard, m.actor, authority,
                                                document, when),
               m.hazard, "listed for supervision");
}

static const char extend_usage[] =
  "usage: cbc hazard extend DB HAZARD --deadline TIME --reason TEXT --as EMPLOYEE\n"
  "\n"
  "Ask for a later deadline; the level above decides ('cbc hazard decide').\n";

static int cmd_extend(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *deadline = NULL, *reason = NULL;
  int64_t when = 0;
  cli_opt opts[] = {{"--deadline", CLI_STRING, &deadline}, {"--reason", CLI_STRING, &reason},
                    MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, extend_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (!deadline)
    return cli_usage_error(ctx, "--deadline is required");
  if ((rc = cli_time(ctx, deadline, 1, &when)) != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_request_extension(ctx->db, m.hazard, m.actor, when, reason),
               m.hazard, "extension requested");
}

static const char decide_usage[] =
  "usage: cbc hazard decide DB HAZARD (--approve | --refuse) --as EMPLOYEE [--reason TEXT]\n"
  "\n"
  "Approve or refuse the pending request for a later deadline.\n";

static int cmd_decide(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  int approve = 0, refuse = 0;
  const char *reason = NULL;
  cli_opt opts[] = {{"--approve", CLI_FLAG, &approve}, {"--refuse", CLI_FLAG, &refuse},
                    {"--reason", CLI_STRING, &reason}, MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, decide_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (approve == refuse)
    return cli_usage_error(ctx, "give exactly one of --approve and --refuse");
  return moved(ctx, cbc_hazard_decide_extension(ctx->db, m.hazard, m.actor, approve, reason),
               m.hazard, approve ? "extension approved" : "extension refused");
}

static const char plan_usage[] =
  "usage: cbc hazard plan DB HAZARD --as EMPLOYEE --plan-goals TEXT ...\n"
  "\n"
  "File (or replace) the rectification plan (治理方案) of a hazard at\n"
  "enterprise level.\n"
  "\n"
  PLAN_OPTIONS_HELP;

static int cmd_plan(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  plan_options plan;
  cbc_rectification_plan p;
  cli_opt opts[] = {PLAN_OPTIONS(plan), MOVE_OPTS_AS, OPTS_END};
  memset(&plan, 0, sizeof plan);
  int rc = begin_move(ctx, plan_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if ((rc = plan_from_options(ctx, &plan, &p)) != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_file_plan(ctx->db, m.hazard, m.actor, &p), m.hazard,
               "plan filed");
}

/* submit and verify carry a note and evidence. */
static int evidence_move(cli_ctx *ctx, const char *usage, int argc, char **argv, int verify)
{
  move m;
  const char *note = NULL;
  int pass = 0, fail = 0;
  cli_list attach = {{0}, 0};
  cli_opt opts[] = {{"--note", CLI_STRING, &note}, {"--attach", CLI_LIST, &attach},
                    {"--pass", CLI_FLAG, &pass}, {"--fail", CLI_FLAG, &fail},
                    MOVE_OPTS_AS, OPTS_END};
  if (!verify) { /* no --pass/--fail */
    opts[2] = (cli_opt)MOVE_OPTS_AS;
    opts[3] = (cli_opt)OPTS_END;
  }
  int rc = begin_move(ctx, usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (verify && pass == fail)
    return cli_usage_error(ctx, "give exactly one of --pass and --fail");
  hazard_attachments files;
  if ((rc = hazard_attachments_read(ctx, &attach, &files)) != CLI_OK)
    return rc;
  if (verify)
    rc = cbc_hazard_verify(ctx->db, m.hazard, m.actor, pass, note, files.items,
                           (size_t)files.count);
  else
    rc = cbc_hazard_submit(ctx->db, m.hazard, m.actor, note, files.items, (size_t)files.count);
  hazard_attachments_free(&files);
  return moved(ctx, rc, m.hazard,
               !verify ? "submitted for verification" : pass ? "verified and closed"
                                                              : "verification failed");
}

static const char submit_usage[] =
  "usage: cbc hazard submit DB HAZARD --as EMPLOYEE [--note TEXT] [--attach FILE]...\n"
  "\n"
  "Submit the rectification for verification, with its evidence.\n";

static int cmd_submit(cli_ctx *ctx, int argc, char **argv)
{
  return evidence_move(ctx, submit_usage, argc, argv, 0);
}

static const char verify_usage[] =
  "usage: cbc hazard verify DB HAZARD (--pass | --fail) --as EMPLOYEE [--note TEXT]\n"
  "                         [--attach FILE]...\n"
  "\n"
  "Verify a submitted rectification: --pass closes the hazard (销号), --fail\n"
  "sends it back to rectification.  Never by the person who submitted it.\n";

static int cmd_verify(cli_ctx *ctx, int argc, char **argv)
{
  return evidence_move(ctx, verify_usage, argc, argv, 1);
}

static const char reopen_usage[] =
  "usage: cbc hazard reopen DB HAZARD --reason TEXT --as EMPLOYEE\n"
  "\n"
  "Reopen a closed hazard found not fixed on review (回头看).\n";

static int cmd_reopen(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *reason = NULL;
  cli_opt opts[] = {{"--reason", CLI_STRING, &reason}, MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, reopen_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_reopen(ctx->db, m.hazard, m.actor, reason), m.hazard,
               "reopened");
}

static const char reject_usage[] =
  "usage: cbc hazard reject DB HAZARD (--reason TEXT | --duplicate-of HAZARD) --as EMPLOYEE\n"
  "\n"
  "Reject a report: not a hazard, or a duplicate of another hazard.  The\n"
  "reporter hears the reason.\n";

static int cmd_reject(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  const char *reason = NULL, *dup = NULL;
  int64_t dup_id = 0;
  cli_opt opts[] = {{"--reason", CLI_STRING, &reason}, {"--duplicate-of", CLI_STRING, &dup},
                    MOVE_OPTS_AS, OPTS_END};
  int rc = begin_move(ctx, reject_usage, opts, argc, argv, &m, 1);
  if (rc != CLI_OK)
    return rc;
  if (dup && (rc = cli_int(ctx, "--duplicate-of", dup, 1, INT64_MAX, &dup_id)) != CLI_OK)
    return rc;
  return moved(ctx, cbc_hazard_reject(ctx->db, m.hazard, m.actor, reason, dup_id), m.hazard,
               "rejected");
}

/* ------------------------------------------------------------------ */

static const char show_usage[] =
  "usage: cbc hazard show DB HAZARD [--json]\n"
  "\n"
  "Show one hazard: where it is, its five items, its plan, listing and\n"
  "attachments, and the administrative penalty when one is recorded ('cbc\n"
  "hazard penalty': the amount in yuan, the document, who recorded it and\n"
  "when).  --json: the hazard, with \"penalty\": {\"hazard_id\", \"amount_fen\",\n"
  "\"document\", \"recorded_by\", \"recorded_at\"} or null.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  int rc = begin_move(ctx, show_usage, NULL, argc, argv, &m, 0);
  return rc != CLI_OK ? rc : hazard_print(ctx, m.hazard);
}

static const char history_usage[] =
  "usage: cbc hazard history DB HAZARD [--json]\n"
  "\n"
  "Every move of one hazard, oldest first: when, who, what, and the move's data.\n";

static int cmd_history(cli_ctx *ctx, int argc, char **argv)
{
  move m;
  int rc = begin_move(ctx, history_usage, NULL, argc, argv, &m, 0);
  return rc != CLI_OK ? rc : hazard_print_history(ctx, m.hazard);
}

static const char answer_usage[] =
  "usage: cbc hazard answer DB (HAZARD --as REPORTER | --key FOLLOWUP_KEY) [--json]\n"
  "\n"
  "What the reporter hears (件件有回声): the state of the report and the answer\n"
  "(the verification note when closed, the reason when rejected).  A named\n"
  "reporter asks with --as; an anonymous tip-off with its follow-up key.\n";

static int cmd_answer(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *key = NULL;
  cli_opt opts[] = {{"--key", CLI_STRING, &key}, MOVE_OPTS_AS, OPTS_END};
  int64_t hazard = 0, reporter = 0;
  cbc_hazard_answer *a = NULL;
  int rc = cli_parse(ctx, answer_usage, opts, argc, argv, pos, 1, 2);
  if (rc != CLI_OK)
    return rc;
  if (!key == !pos[1] || (key && ctx->as))
    return cli_usage_error(ctx, "give a HAZARD with --as, or --key alone");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  if (key) {
    rc = cbc_hazard_answer_by_key(&a, ctx->db, key);
  } else {
    if ((rc = cli_int(ctx, "HAZARD", pos[1], 1, INT64_MAX, &hazard)) != CLI_OK ||
        (rc = cli_actor(ctx, &reporter)) != CLI_OK)
      return rc;
    rc = cbc_hazard_answer_for(&a, ctx->db, hazard, reporter);
  }
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = hazard_print_answer(ctx, a);
  cbc_hazard_answer_free(a);
  return rc;
}

static const cli_command hazard_commands[] = {
  {"report", cmd_report, "report a hazard (or one fixed on the spot)"},
  {"register", cmd_register, "confirm it into the ledger with its five items"},
  {"start", cmd_start, "start rectifying"},
  {"escalate", cmd_escalate, "hand it one level up"},
  {"list", cmd_list, "list a major hazard for supervision (挂牌督办)"},
  {"extend", cmd_extend, "ask for a later deadline"},
  {"decide", cmd_decide, "approve or refuse a later deadline"},
  {"plan", cmd_plan, "file the rectification plan (治理方案)"},
  {"submit", cmd_submit, "submit the rectification for verification"},
  {"verify", cmd_verify, "verify: close it, or send it back"},
  {"reopen", cmd_reopen, "reopen a closed hazard on review (回头看)"},
  {"reject", cmd_reject, "reject a report (not a hazard, or a duplicate)"},
  HAZARD_AMEND_COMMAND
  HAZARD_PENALTY_COMMAND
  {"show", cmd_show, "show one hazard"},
  {"history", cmd_history, "every move of one hazard"},
  {"answer", cmd_answer, "what the reporter hears"},
  {NULL, NULL, NULL}
};

int cmd_hazard(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "hazard", "Report hazards and move them through their lifecycle "
                      "(docs/authorization.md says who may make which move).",
                      hazard_commands, argc, argv);
}
