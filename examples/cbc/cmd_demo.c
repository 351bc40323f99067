/* cbc demo DB: build the demo campaign (demo.h) into a new database. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "demo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char demo_usage[] =
  "usage: cbc demo DB [--force] [--json]\n"
  "\n"
  "Build a realistic demo campaign into a new database at DB: the 历下区 district\n"
  "union with five enterprises (steel, food, chemicals, construction,\n"
  "logistics) and about 330 employees; hazards reported from June to November\n"
  "2026 in every state of their lifecycle (fixed on the spot, rejected and\n"
  "duplicates, escalated, extended, listed for supervision, failed\n"
  "verifications, reopened on review, still open and overdue); monthly\n"
  "trainings, drills, cadres' assignments and visits, proposals, fines; and\n"
  "each month's rewards evaluated, approved and paid.  The same every run.\n"
  "\n"
  "The database is built next to DB and renamed into place when complete, so\n"
  "DB is never left half-built.\n"
  "\n"
  "DB may be a PostgreSQL URI (postgresql://...) naming an existing database\n"
  "that is empty, or holds libcbc's tables and no unit ('cbc init' leaves it\n"
  "so): the demo is built there in place, in one transaction: whole or not at\n"
  "all.  A server's database holding units is refused, also with --force:\n"
  "drop the database and create it again to start over.\n"
  "\n"
  "  --force    replace DB if it is an existing libcbc database file\n";

uint32_t demo_rand(demo *d, uint32_t n)
{
  d->rng ^= d->rng << 13;
  d->rng ^= d->rng >> 7;
  d->rng ^= d->rng << 17;
  return n ? (uint32_t)((d->rng >> 16) % n) : 0;
}

int demo_fail(demo *d, const char *what, int rc)
{
  const cbc_error *e = cbc_error_last();
  int status = cli_exit_for(rc);
  fprintf(stderr, "%s %s: %s: %s\n", d->ctx->prog, d->ctx->command, what,
          e->code == rc ? e->message : cbc_error_name(rc));
  return status == CLI_OK ? CLI_INTERNAL : status;
}

static int64_t demo_clock(void *payload)
{
  return ((const demo *)payload)->now;
}

/* The first instant of a local date, through the library's calendar. */
static int day_start(demo *d, const char *date, int64_t *out)
{
  char range[32];
  cbc_period p;
  snprintf(range, sizeof range, "%s..%s", date, date);
  int rc = cbc_period_parse(&p, d->db, range);
  *out = p.from;
  return rc ? demo_fail(d, "reading a date", rc) : CLI_OK;
}

/* The organisation, then the months: the whole demo through d->db. */
static int build_all(demo *d)
{
  int64_t from, to;
  int rc = day_start(d, "2026-06-01", &from);
  if (rc == CLI_OK)
    rc = day_start(d, "2026-11-21", &to);
  if (rc == CLI_OK) {
    d->now = from - 7 * 86400 + 9 * 3600;
    rc = demo_build_org(d);
  }
  return rc == CLI_OK ? demo_run(d, from, to) : rc;
}

/* On a server the whole demo is one cbc_db_begin() group (demo_run() then
 * opens none of its own): committed whole, or rolled back whole. */
static int build_in_group(demo *d)
{
  int rc = cbc_db_begin(d->db);
  if (rc != 0)
    return demo_fail(d, "starting the demo's transaction", rc);
  rc = build_all(d);
  if (rc == CLI_OK && (rc = cbc_db_commit(d->db)) != 0)
    rc = demo_fail(d, "committing the demo", rc);
  if (cbc_db_in_group(d->db)) /* failed, or a commit that kept the group */
    cbc_db_rollback(d->db);
  return rc;
}

static int build(demo *d, const char *path)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  int server = cbc_db_target_is_server(path);
  opts.clock = demo_clock;
  opts.clock_payload = d;
  if (!server)
    opts.synchronous = CBC_DB_SYNC_NORMAL; /* a scratch file until renamed */
  d->now = INT64_C(1779321600); /* 2026-05-21T00:00:00Z, before everything */
  int rc = cbc_db_open(&d->db, path, &opts);
  if (rc != 0)
    return demo_fail(d, "creating the database", rc);
  rc = server ? build_in_group(d) : build_all(d);
  cbc_db_close(d->db);
  d->db = NULL;
  return rc;
}

/* May DB be replaced?  Only a libcbc database, and only with --force. */
static int may_replace(cli_ctx *ctx, const char *path, int force)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return CLI_OK;
  if (!force)
    return cli_failf(ctx, CLI_CONFLICT, "%s exists (--force replaces a libcbc database)", path);
  int rc = cli_probe(path, NULL);
  if (rc == CBC_ECORRUPT)
    return cli_failf(ctx, CLI_CONFLICT, "%s is not a libcbc database: not replacing it", path);
  return rc && rc != CBC_ESTATE ? cli_fail(ctx, rc) : CLI_OK;
}

/* Whether a libcbc database holds a unit: nothing else can be in one
 * without (every record names a unit, or an employee of one). */
static int holds_units(cli_ctx *ctx, cbc_db *db, int *out)
{
  cbc_unit_iter *it = NULL;
  const cbc_unit *u;
  int rc = cbc_unit_iter_children(&it, db, 0);
  if (rc == 0)
    rc = cbc_unit_iter_next(&u, it);
  cbc_unit_iter_free(it);
  *out = rc == 0;
  return rc == 0 || rc == CBC_ITEROVER ? CLI_OK : cli_fail(ctx, rc);
}

/* May the demo be built into a server's database?  Only into an empty one,
 * or one with libcbc's tables and no unit: nothing is replaced there. */
static int may_fill(cli_ctx *ctx, const char *uri)
{
  cbc_db *db = NULL;
  int units = 1, rc = cli_probe(uri, &db);
  if (rc == CBC_ENOTFOUND)
    return CLI_OK;
  if (rc == CBC_ECORRUPT)
    return cli_failf(ctx, CLI_CONFLICT, "%s is not a libcbc database: the demo is built only "
                     "into an empty one", uri);
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = holds_units(ctx, db, &units);
  cbc_db_close(db);
  if (rc != CLI_OK || !units)
    return rc;
  return cli_failf(ctx, CLI_CONFLICT, "%s holds a libcbc database with data: the demo is built "
                   "only into an empty one (--force replaces files, not a server's database: "
                   "drop the database and create it again)", uri);
}

/* A database's side files (a replaced database's would be read as the new
 * one's log). */
static void remove_side_files(const char *path)
{
  char side[4112];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

static void remove_db(const char *path)
{
  unlink(path);
  remove_side_files(path);
}

static int print_summary(cli_ctx *ctx, const char *path, const demo *d)
{
  if (ctx->json)
    return cli_print_json(json_pack("{s:s,s:i,s:i}", "path", path, "enterprises",
                                    DEMO_ENTERPRISES, "hazards", d->hazards));
  if (!ctx->quiet)
    printf("Built the demo campaign in %s: %d enterprises, %d hazards reported.\n"
           "Try:  cbc org tree %s\n      cbc ledger %s --open\n      cbc form %s LX 2026-11\n",
           path, DEMO_ENTERPRISES, d->hazards, path, path, path);
  return CLI_OK;
}

static demo *demo_new(cli_ctx *ctx)
{
  demo *d = calloc(1, sizeof *d);
  if (d) {
    d->ctx = ctx;
    d->rng = UINT64_C(0x9E3779B97F4A7C15);
  }
  return d;
}

/* A file: built at PATH.building-PID, renamed onto PATH when complete. */
static int demo_in_file(cli_ctx *ctx, demo *d, const char *path)
{
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.building-%ld", path, (long)getpid()) >= (int)sizeof tmp)
    return cli_failf(ctx, CLI_INVALID, "the path is too long");
  remove_db(tmp);
  int rc = build(d, tmp);
  if (rc == CLI_OK) {
    remove_side_files(path);
    if (rename(tmp, path) != 0)
      rc = cli_failf(ctx, CLI_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
  }
  if (rc != CLI_OK)
    remove_db(tmp);
  return rc;
}

/* A server's database: built in place, in one transaction. */
static int demo_on_server(cli_ctx *ctx, demo *d, const char *uri)
{
  int rc = build(d, uri);
  if (rc != CLI_OK)
    fprintf(stderr, "%s %s: nothing of the demo was committed (unless the message above "
                    "says the commit's outcome is unknown): '%s demo %s' starts over, and "
                    "refuses a database the demo was committed to\n",
            ctx->prog, ctx->command, ctx->prog, uri);
  return rc;
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  int force = 0;
  cli_opt opts[] = {{"--force", CLI_FLAG, &force}, {NULL, CLI_FLAG, NULL}};
  demo *d;
  int rc = cli_parse(ctx, demo_usage, opts, argc, argv, pos, 1, 1);
  if (rc != CLI_OK)
    return rc;
  int server = cbc_db_target_is_server(pos[0]);
  if ((rc = server ? may_fill(ctx, pos[0]) : may_replace(ctx, pos[0], force)) != CLI_OK)
    return rc;
  if (!(d = demo_new(ctx)))
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  rc = server ? demo_on_server(ctx, d, pos[0]) : demo_in_file(ctx, d, pos[0]);
  if (rc == CLI_OK)
    rc = print_summary(ctx, pos[0], d);
  free(d);
  return rc;
}
