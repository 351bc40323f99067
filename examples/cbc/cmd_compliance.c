/* cbc compliance: the safety officer's questions about training and drills
 * (docs/activities.md, docs/domain.md §5). */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"
#include "commands.h"

#include <string.h>

/* --year YEAR (default: the year of the database's clock). */
static int parse_year(cli_ctx *ctx, const char *text, int *out)
{
  cbc_period p;
  int rc = text ? cli_period(ctx, text, &p)
                : cbc_period_containing(&p, ctx->db, CBC_PERIOD_YEAR, cbc_db_now(ctx->db));
  if (!text && rc)
    return cli_fail(ctx, rc);
  if (rc != CLI_OK)
    return rc;
  if (p.kind != CBC_PERIOD_YEAR)
    return cli_failf(ctx, CLI_INVALID, "--year takes a calendar year such as 2026, not '%s'",
                     text);
  *out = p.year;
  return CLI_OK;
}

/* The common start: DB UNIT, opened and resolved. */
static int open_unit(cli_ctx *ctx, const char *const pos[2], int64_t *unit)
{
  int rc = cli_open(ctx, pos[0], 0);
  return rc != CLI_OK ? rc : cli_unit(ctx, pos[1], unit);
}

static int print_table(cli_ctx *ctx, cli_table *t)
{
  if (!t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  cli_table_print(t, stdout);
  return CLI_OK;
}

/* Adds a row; on failure frees the table and returns NULL. */
static cli_table *add_row(cli_table *t, const char *const *cells)
{
  if (t && cli_table_row(t, cells) != 0) {
    cli_table_free(t);
    t = NULL;
  }
  return t;
}

/* ------------------------------------------------------------------ */
/* cbc compliance untrained                                            */

static const char untrained_usage[] =
  "usage: cbc compliance untrained DB UNIT [--year YEAR] [--json]\n"
  "\n"
  "The employed people of UNIT and the units below it who have not passed any\n"
  "training session in the calendar year (全员安全培训 is due yearly for\n"
  "everyone).\n"
  "\n"
  "options:\n"
  "  --year YEAR  the year, e.g. 2026 (default: the current year)\n"
  "  --json       {\"unit\", \"year\", \"employees\": [...], \"count\"}\n";

static int untrained_print(cli_ctx *ctx, int64_t unit, int year, const int64_t *ids, size_t n)
{
  static const char *const headings[] = {"工号", "姓名", "岗位", "单位"};
  json_t *list = ctx->json ? json_array() : NULL;
  cli_table *t = ctx->json ? NULL : cli_table_new(4, headings);
  for (size_t i = 0; i < n; i++) {
    cbc_employee *e = NULL;
    int rc = cbc_employee_lookup(&e, ctx->db, ids[i]);
    if (rc) {
      json_decref(list);
      cli_table_free(t);
      return cli_fail(ctx, rc);
    }
    if (list) {
      json_t *ref = cli_json_employee_ref(ctx, e->id);
      json_object_set_new(ref, "post", json_string(e->post));
      json_object_set_new(ref, "unit", cli_json_unit_ref(ctx, e->unit_id));
      json_array_append_new(list, ref);
    } else {
      char ext[128] = "";
      cli_unit_ext(ctx, e->unit_id, ext, sizeof ext);
      const char *cells[] = {e->external_id, e->name, e->post, ext};
      t = add_row(t, cells);
    }
    cbc_employee_free(e);
  }
  if (!list)
    return print_table(ctx, t);
  return cli_print_json(json_pack("{s:o,s:i,s:o,s:I}", "unit", cli_json_unit_ref(ctx, unit),
                                  "year", year, "employees", list, "count", (json_int_t)n));
}

static int compliance_untrained(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *year_text = NULL;
  const cli_opt opts[] = {{"--year", CLI_STRING, &year_text}, {NULL, CLI_FLAG, NULL}};
  int64_t unit, *ids = NULL;
  size_t n = 0;
  int year;
  int rc = cli_parse(ctx, untrained_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = open_unit(ctx, pos, &unit)) != CLI_OK ||
      (rc = parse_year(ctx, year_text, &year)) != CLI_OK)
    return rc;
  if ((rc = cbc_compliance_untrained(&ids, &n, ctx->db, unit, year)) != 0)
    return cli_fail(ctx, rc);
  rc = untrained_print(ctx, unit, year, ids, n);
  cbc_free(ids);
  return rc;
}

/* ------------------------------------------------------------------ */
/* cbc compliance drills                                               */

static const char drills_usage[] =
  "usage: cbc compliance drills DB UNIT [--year YEAR] [--json]\n"
  "\n"
  "Where the drill rule (at least 2 emergency drills a year per enterprise,\n"
  "every team taking part in them) was missed in the calendar year: each\n"
  "enterprise of UNIT's subtree (or the enterprise above a workshop or team)\n"
  "that held fewer than 2 drills, and each open team that took part in fewer\n"
  "than 2, with the number it had.\n"
  "\n"
  "options:\n"
  "  --year YEAR  the year, e.g. 2026 (default: the current year)\n"
  "  --json       {\"unit\", \"year\", \"gaps\": [{\"enterprise\", \"team\", \"drills\"}],\n"
  "               \"count\"}; team is null for the enterprise's own shortfall\n";

static int drills_print(cli_ctx *ctx, int64_t unit, int year, const cbc_drill_gap *g, size_t n)
{
  static const char *const headings[] = {"企业", "班组", "演练次数"};
  if (ctx->json) {
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(list, json_pack("{s:o,s:o,s:i}", "enterprise",
                                            cli_json_unit_ref(ctx, g[i].enterprise_id), "team",
                                            cli_json_unit_ref(ctx, g[i].team_id), "drills",
                                            g[i].drills));
    return cli_print_json(json_pack("{s:o,s:i,s:o,s:I}", "unit", cli_json_unit_ref(ctx, unit),
                                    "year", year, "gaps", list, "count", (json_int_t)n));
  }
  cli_table *t = cli_table_new(3, headings);
  for (size_t i = 0; i < n; i++) {
    char enterprise[128] = "", team[128] = "-", drills[16];
    cli_unit_ext(ctx, g[i].enterprise_id, enterprise, sizeof enterprise);
    cli_unit_ext(ctx, g[i].team_id, team, sizeof team);
    snprintf(drills, sizeof drills, "%d", g[i].drills);
    const char *cells[] = {enterprise, team, drills};
    t = add_row(t, cells);
  }
  return print_table(ctx, t);
}

static int compliance_drills(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *year_text = NULL;
  const cli_opt opts[] = {{"--year", CLI_STRING, &year_text}, {NULL, CLI_FLAG, NULL}};
  int64_t unit;
  cbc_drill_gap *gaps = NULL;
  size_t n = 0;
  int year;
  int rc = cli_parse(ctx, drills_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = open_unit(ctx, pos, &unit)) != CLI_OK ||
      (rc = parse_year(ctx, year_text, &year)) != CLI_OK)
    return rc;
  if ((rc = cbc_compliance_drills(&gaps, &n, ctx->db, unit, year)) != 0)
    return cli_fail(ctx, rc);
  rc = drills_print(ctx, unit, year, gaps, n);
  cbc_free(gaps);
  return rc;
}

/* ------------------------------------------------------------------ */
/* cbc compliance training-needs                                       */

static const char needs_usage[] =
  "usage: cbc compliance training-needs DB UNIT [--at TIME] [--json]\n"
  "\n"
  "The employed people of UNIT and the units below it who need three-level\n"
  "induction (hired in the last year, 三级教育 not complete) or re-training\n"
  "(after a transfer, 转岗, or after 183 days or more away) and have not passed\n"
  "it since: each with the reason, the date it dates from and, for induction,\n"
  "the levels still missing.\n"
  "\n"
  "options:\n"
  "  --at TIME  the time asked about (default now)\n"
  "  --json     {\"unit\", \"at\", \"needs\": [{\"employee\", \"unit\", \"reason\",\n"
  "             \"since\", \"missing\"}], \"count\"}\n";

/* The induction levels still missing, as training kind names or labels. */
static json_t *missing_json(unsigned int missing)
{
  json_t *list = json_array();
  for (int kind = 1; list && kind < 32; kind++)
    if (missing & (1u << kind))
      json_array_append_new(list, cli_json_enum(CBC_ENUM_TRAINING_KIND, kind));
  return list;
}

static void missing_text(unsigned int missing, char *buf, size_t size)
{
  buf[0] = '\0';
  for (int kind = 1; kind < 32; kind++) {
    const char *label = missing & (1u << kind) ? cbc_enum_label(CBC_ENUM_TRAINING_KIND, kind) : NULL;
    size_t len = strlen(buf);
    if (label && len < size)
      snprintf(buf + len, size - len, "%s%s", len ? "、" : "", label);
  }
}

static int need_row(cli_ctx *ctx, const cbc_training_need *need, json_t *list, cli_table **t)
{
  cbc_employee *e = NULL;
  int rc = cbc_employee_lookup(&e, ctx->db, need->employee_id);
  if (rc)
    return rc;
  if (list) {
    json_array_append_new(
      list, json_pack("{s:o,s:o,s:o,s:o,s:o}", "employee", cli_json_employee_ref(ctx, e->id),
                      "unit", cli_json_unit_ref(ctx, e->unit_id), "reason",
                      cli_json_enum(CBC_ENUM_TRAINING_NEED_REASON, (int)need->reason), "since",
                      cli_json_time(ctx, need->since), "missing", missing_json(need->missing)));
  } else {
    char unit[128] = "", since[40], missing[512];
    cli_unit_ext(ctx, e->unit_id, unit, sizeof unit);
    missing_text(need->missing, missing, sizeof missing);
    const char *cells[] = {e->external_id, e->name, unit,
                           cbc_enum_label(CBC_ENUM_TRAINING_NEED_REASON, (int)need->reason),
                           cli_time_text(ctx, need->since, since), missing};
    *t = add_row(*t, cells);
  }
  cbc_employee_free(e);
  return 0;
}

static int needs_print(cli_ctx *ctx, int64_t unit, int64_t at, const cbc_training_need *needs,
                       size_t n)
{
  static const char *const headings[] = {"工号", "姓名", "单位", "原因", "起始", "缺少"};
  json_t *list = ctx->json ? json_array() : NULL;
  cli_table *t = ctx->json ? NULL : cli_table_new(6, headings);
  for (size_t i = 0; i < n; i++) {
    int rc = need_row(ctx, &needs[i], list, &t);
    if (rc) {
      json_decref(list);
      cli_table_free(t);
      return cli_fail(ctx, rc);
    }
  }
  if (!list)
    return print_table(ctx, t);
  return cli_print_json(json_pack("{s:o,s:o,s:o,s:I}", "unit", cli_json_unit_ref(ctx, unit),
                                  "at", cli_json_time(ctx, at ? at : cbc_db_now(ctx->db)),
                                  "needs", list, "count", (json_int_t)n));
}

static int compliance_training_needs(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *at_text = NULL;
  const cli_opt opts[] = {{"--at", CLI_STRING, &at_text}, {NULL, CLI_FLAG, NULL}};
  int64_t unit, at = 0;
  cbc_training_need *needs = NULL;
  size_t n = 0;
  int rc = cli_parse(ctx, needs_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK || (rc = open_unit(ctx, pos, &unit)) != CLI_OK ||
      (at_text && (rc = cli_time(ctx, at_text, 0, &at)) != CLI_OK))
    return rc;
  if ((rc = cbc_compliance_training_needs(&needs, &n, ctx->db, unit, at)) != 0)
    return cli_fail(ctx, rc);
  rc = needs_print(ctx, unit, at, needs, n);
  cbc_free(needs);
  return rc;
}

/* ------------------------------------------------------------------ */

static const cli_command compliance_commands[] = {
  {"untrained", compliance_untrained, "who has passed no training this year"},
  {"drills", compliance_drills, "enterprises and teams short of 2 drills a year"},
  {"training-needs", compliance_training_needs, "who needs induction or re-training"},
  {NULL, NULL, NULL},
};

int cmd_compliance(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "compliance",
                      "The compliance questions a safety officer asks of a unit's subtree:\n"
                      "training due and not done, drills short of the rule.",
                      compliance_commands, argc, argv);
}
