/* cbc ledger (the hazard ledger: filters, sort, paging) and cbc sweep. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "hazard_out.h"

#include <stdlib.h>
#include <string.h>

static const char ledger_usage[] =
  "usage: cbc ledger DB [FILTERS] [--sort reported|deadline|updated] [--desc]\n"
  "                  [--limit N] [--after CURSOR] [--count] [--json]\n"
  "\n"
  "The hazard ledger (隐患台账), oldest first in the chosen order (--desc:\n"
  "newest first).  It\n"
  "prints one page (50 rows unless --limit says otherwise; --limit 0 prints\n"
  "all) and, when more follow, the cursor for the next page: run the same\n"
  "command with --after CURSOR.  A cursor stays valid while hazards are added.\n"
  "\n"
  "filters (all combine):\n"
  "  --unit UNIT            the unit and everything below it\n"
  "  --state STATE          reported, registered, rectifying, pending_verification,\n"
  "                         closed or rejected; repeatable\n"
  "  --open                 every open state (reported to pending_verification)\n"
  "  --severity SEVERITY    general or major\n"
  "  --level LEVEL          individual, team, workshop or enterprise\n"
  "  --overdue              open and past their deadline now (or at --overdue-at)\n"
  "  --overdue-at TIME      the time for --overdue\n"
  "  --listed               listed for supervision (挂牌督办)\n"
  "  --period PERIOD        reported in the period (2026-11, 2026-Q4, 2026,\n"
  "                         2026-11-01..2026-11-15)\n"
  "  --closed-in PERIOD     closed in the period\n"
  "  --reporter EMPLOYEE    reported by\n"
  "  --responsible EMPLOYEE with this responsible person\n"
  "  --search TEXT          in titles and descriptions (Chinese works)\n"
  "output:\n"
  "  --sort ORDER           reported (default), deadline or updated (the last move)\n"
  "  --desc                 newest (or latest deadline) first\n"
  "  --limit N              rows a page (default 50; 0: all)\n"
  "  --after CURSOR         the page after the one that printed CURSOR\n"
  "  --count                print only how many hazards match\n";

typedef struct ledger_args {
  const char *pos[1], *unit, *severity, *level, *overdue_at, *period, *closed_in;
  const char *reporter, *responsible, *search, *sort, *limit, *after;
  cli_list states;
  int open, overdue, listed, desc, count;
} ledger_args;

static int states_filter(cli_ctx *ctx, const ledger_args *a, unsigned int *out)
{
  *out = a->open ? CBC_HAZARD_STATES_OPEN : 0;
  for (int i = 0; i < a->states.count; i++) {
    int v, rc = cli_enum(ctx, CBC_ENUM_HAZARD_STATE, a->states.items[i], &v);
    if (rc != CLI_OK)
      return rc;
    *out |= 1u << v;
  }
  return CLI_OK;
}

static int period_filter(cli_ctx *ctx, const char *text, int64_t *from, int64_t *to)
{
  cbc_period p;
  int rc = cli_period(ctx, text, &p);
  if (rc == CLI_OK && (rc = cbc_period_bounds(from, to, ctx->db, &p)) != 0)
    return cli_fail(ctx, rc);
  return rc;
}

static int sort_order(cli_ctx *ctx, const char *text, cbc_hazard_sort *out)
{
  static const struct { const char *name; cbc_hazard_sort sort; } orders[] = {
    {"reported", CBC_HAZARD_SORT_REPORTED}, {"deadline", CBC_HAZARD_SORT_DEADLINE},
    {"updated", CBC_HAZARD_SORT_UPDATED}};
  for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++)
    if (strcmp(text, orders[i].name) == 0) {
      *out = orders[i].sort;
      return CLI_OK;
    }
  return cli_usage_error(ctx, "--sort is reported, deadline or updated, not '%s'", text);
}

static int enum_filters(cli_ctx *ctx, const ledger_args *a, cbc_hazard_filter *f)
{
  int v, rc = CLI_OK;
  if (a->severity && (rc = cli_enum(ctx, CBC_ENUM_SEVERITY, a->severity, &v)) == CLI_OK)
    f->severity = (cbc_severity)v;
  if (rc == CLI_OK && a->level && (rc = cli_enum(ctx, CBC_ENUM_LEVEL, a->level, &v)) == CLI_OK)
    f->level = (cbc_level)v;
  return rc;
}

static int people_filters(cli_ctx *ctx, const ledger_args *a, cbc_hazard_filter *f)
{
  int rc = CLI_OK;
  if (a->unit)
    rc = cli_unit(ctx, a->unit, &f->unit_id);
  if (rc == CLI_OK && a->reporter)
    rc = cli_employee(ctx, a->reporter, &f->reporter_id);
  if (rc == CLI_OK && a->responsible)
    rc = cli_employee(ctx, a->responsible, &f->responsible_id);
  return rc;
}

static int time_filters(cli_ctx *ctx, const ledger_args *a, cbc_hazard_filter *f)
{
  int rc = CLI_OK;
  if (a->overdue_at && !a->overdue)
    return cli_usage_error(ctx, "--overdue-at goes with --overdue");
  if (a->overdue)
    rc = a->overdue_at ? cli_time(ctx, a->overdue_at, 0, &f->overdue_at)
                       : (f->overdue_at = cbc_db_now(ctx->db), CLI_OK);
  if (rc == CLI_OK && a->period)
    rc = period_filter(ctx, a->period, &f->reported_from, &f->reported_to);
  if (rc == CLI_OK && a->closed_in)
    rc = period_filter(ctx, a->closed_in, &f->closed_from, &f->closed_to);
  return rc;
}

static int build_filter(cli_ctx *ctx, const ledger_args *a, cbc_hazard_filter *f)
{
  int64_t limit = 50;
  int rc = states_filter(ctx, a, &f->states);
  if (rc == CLI_OK)
    rc = enum_filters(ctx, a, f);
  if (rc == CLI_OK)
    rc = people_filters(ctx, a, f);
  if (rc == CLI_OK)
    rc = time_filters(ctx, a, f);
  if (rc == CLI_OK && a->sort)
    rc = sort_order(ctx, a->sort, &f->sort);
  if (rc == CLI_OK && a->limit)
    rc = cli_int(ctx, "--limit", a->limit, 0, 1000000, &limit);
  f->listed = a->listed;
  f->text = a->search;
  f->descending = a->desc;
  f->after = a->after;
  f->limit = (size_t)limit;
  return rc;
}

static int add_row(cli_ctx *ctx, cli_table *t, const cbc_hazard *h)
{
  char id[24], unit[200], when[40], deadline[40];
  const char *sev = h->severity ? cbc_enum_label(CBC_ENUM_SEVERITY, h->severity) : "";
  snprintf(id, sizeof id, "%lld", (long long)h->id);
  const char *row[] = {id, cbc_enum_label(CBC_ENUM_HAZARD_STATE, h->state), sev,
                       cli_unit_ext(ctx, h->unit_id, unit, sizeof unit),
                       cli_time_text(ctx, h->reported_at, when),
                       cli_time_text(ctx, h->deadline, deadline), h->title};
  return cli_table_row(t, row);
}

/* One page: rows into the table or the JSON array; the cursor after it. */
static int read_page(cli_ctx *ctx, cbc_hazard_iter *it, size_t limit, json_t *rows,
                     cli_table *t, char **cursor)
{
  const cbc_hazard *h;
  size_t n = 0;
  int rc;
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    n++;
    if ((rows && json_array_append_new(rows, hazard_json(ctx, h)) != 0) ||
        (t && add_row(ctx, t, h) != 0))
      return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  }
  if (rc != CBC_ITEROVER)
    return cli_fail(ctx, rc);
  *cursor = NULL;
  if (limit && n == limit && (rc = cbc_hazard_iter_cursor(cursor, it)) != 0)
    return cli_fail(ctx, rc);
  return CLI_OK;
}

static int print_ledger(cli_ctx *ctx, const cbc_hazard_filter *f, int64_t total)
{
  static const char *const head[] = {"编号", "状态", "等级", "单位", "报告时间", "时限", "标题"};
  cbc_hazard_iter *it = NULL;
  char *cursor = NULL;
  json_t *rows = ctx->json ? json_array() : NULL;
  cli_table *t = ctx->json ? NULL : cli_table_new(7, head);
  int rc = cbc_hazard_iter_new(&it, ctx->db, f);
  rc = rc ? cli_fail(ctx, rc) : read_page(ctx, it, f->limit, rows, t, &cursor);
  cbc_hazard_iter_free(it);
  if (rc == CLI_OK && ctx->json) {
    rc = cli_print_json(json_pack("{s:I,s:o,s:o}", "total", (json_int_t)total, "hazards", rows,
                                  "next_cursor", cli_json_str(cursor)));
    rows = NULL;
  } else if (rc == CLI_OK) {
    cli_table_print(t, stdout);
    t = NULL;
    if (!ctx->quiet)
      fprintf(stderr, "%lld hazard(s)%s%s\n", (long long)total,
              cursor ? "; next page: --after " : "", cursor ? cursor : "");
  }
  json_decref(rows);
  cli_table_free(t);
  cbc_free(cursor);
  return rc;
}

int cmd_ledger(cli_ctx *ctx, int argc, char **argv)
{
  ledger_args a;
  memset(&a, 0, sizeof a);
  cli_opt opts[] = {
    {"--unit", CLI_STRING, &a.unit}, {"--state", CLI_LIST, &a.states},
    {"--open", CLI_FLAG, &a.open}, {"--severity", CLI_STRING, &a.severity},
    {"--level", CLI_STRING, &a.level}, {"--overdue", CLI_FLAG, &a.overdue},
    {"--overdue-at", CLI_STRING, &a.overdue_at}, {"--listed", CLI_FLAG, &a.listed},
    {"--period", CLI_STRING, &a.period}, {"--closed-in", CLI_STRING, &a.closed_in},
    {"--reporter", CLI_STRING, &a.reporter}, {"--responsible", CLI_STRING, &a.responsible},
    {"--search", CLI_STRING, &a.search}, {"--sort", CLI_STRING, &a.sort},
    {"--desc", CLI_FLAG, &a.desc}, {"--limit", CLI_STRING, &a.limit},
    {"--after", CLI_STRING, &a.after}, {"--count", CLI_FLAG, &a.count},
    {NULL, CLI_FLAG, NULL}};
  cbc_hazard_filter f;
  int64_t total = 0;
  int rc = cli_parse(ctx, ledger_usage, opts, argc, argv, a.pos, 1, 1);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cli_open(ctx, a.pos[0], 0)) != CLI_OK)
    return rc;
  cbc_hazard_filter_init(&f, CBC_HAZARD_FILTER_VERSION);
  if ((rc = build_filter(ctx, &a, &f)) != CLI_OK)
    return rc;
  if ((rc = cbc_hazard_count(&total, ctx->db, &f)) != 0)
    return cli_fail(ctx, rc);
  if (a.count) {
    if (ctx->json)
      return cli_print_json(json_pack("{s:I}", "total", (json_int_t)total));
    printf("%lld\n", (long long)total);
    return CLI_OK;
  }
  return print_ledger(ctx, &f, total);
}

/* ------------------------------------------------------------------ */

static const char sweep_usage[] =
  "usage: cbc sweep DB [--at TIME] [--escalate] [--batch N] [--progress] [--json]\n"
  "\n"
  "Find the open hazards past their deadline (now, or at --at).  With\n"
  "--escalate, hand each registered or rectifying one below enterprise level\n"
  "one level up, as the system, N hazards per transaction (1000 by default),\n"
  "at most once per lapse: a sweep stopped half-way is finished by running\n"
  "it again.  --progress prints each batch on stderr.  Run it daily from cron.\n";

/* --progress: one line per committed batch on stderr. */
static int sweep_progress(const cbc_sweep_progress *p, void *payload)
{
  (void)payload;
  fprintf(stderr, "swept %zu of %zu, escalated %zu\n", p->done, p->found, p->escalated);
  return 0;
}

static int print_sweep(cli_ctx *ctx, const int64_t *ids, size_t n, int escalate,
                       size_t escalated)
{
  if (ctx->json) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
      json_array_append_new(arr, json_integer(ids[i]));
    return cli_print_json(json_pack("{s:o,s:b,s:I}", "overdue", arr, "escalated", escalate,
                                    "escalated_count", (json_int_t)escalated));
  }
  for (size_t i = 0; i < n; i++)
    printf("%lld\n", (long long)ids[i]);
  if (!ctx->quiet && escalate)
    fprintf(stderr, "%zu overdue hazard(s), %zu escalated\n", n, escalated);
  else if (!ctx->quiet)
    fprintf(stderr, "%zu overdue hazard(s)\n", n);
  return CLI_OK;
}

int cmd_sweep(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1], *at = NULL, *batch = NULL;
  int escalate = 0, progress = 0;
  int64_t *ids = NULL, batch_size = 0;
  size_t n = 0, escalated = 0;
  cli_opt opts[] = {{"--at", CLI_STRING, &at}, {"--escalate", CLI_FLAG, &escalate},
                    {"--batch", CLI_STRING, &batch}, {"--progress", CLI_FLAG, &progress},
                    {NULL, CLI_FLAG, NULL}};
  cbc_sweep_options o = CBC_SWEEP_OPTIONS_INIT;
  int rc = cli_parse(ctx, sweep_usage, opts, argc, argv, pos, 1, 1);
  if (rc == CLI_OK && batch)
    rc = cli_int(ctx, "--batch", batch, 1, 1000000, &batch_size);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  if (at && (rc = cli_time(ctx, at, 0, &o.at)) != CLI_OK)
    return rc;
  o.at = o.at ? o.at : cbc_db_now(ctx->db);
  o.flags = escalate ? CBC_SWEEP_ESCALATE : 0;
  o.batch = (size_t)batch_size;
  o.progress = progress ? sweep_progress : NULL;
  rc = cbc_hazard_sweep(&ids, &n, &escalated, ctx->db, &o);
  if (rc != 0) {
    if (escalated && !ctx->quiet)
      fprintf(stderr, "%zu hazard(s) escalated before the error; run the sweep again to "
                      "finish\n", escalated);
    return cli_fail(ctx, rc);
  }
  rc = print_sweep(ctx, ids, n, escalate, escalated);
  cbc_free(ids);
  return rc;
}
