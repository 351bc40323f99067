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
  "  --force    replace DB if it is an existing libcbc database\n";

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

static int build(demo *d, const char *path)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  int64_t from, to;
  opts.clock = demo_clock;
  opts.clock_payload = d;
  opts.synchronous = CBC_DB_SYNC_NORMAL; /* a scratch file until renamed */
  d->now = INT64_C(1779321600); /* 2026-05-21T00:00:00Z, before everything */
  int rc = cbc_db_open(&d->db, path, &opts);
  if (rc != 0)
    return demo_fail(d, "creating the database", rc);
  if ((rc = day_start(d, "2026-06-01", &from)) == CLI_OK &&
      (rc = day_start(d, "2026-11-21", &to)) == CLI_OK) {
    d->now = from - 7 * 86400 + 9 * 3600;
    rc = demo_build_org(d);
  }
  if (rc == CLI_OK)
    rc = demo_run(d, from, to);
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
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  cbc_db *db = NULL;
  opts.flags = CBC_DB_READONLY;
  int rc = cbc_db_open(&db, path, &opts);
  cbc_db_close(db);
  if (rc == CBC_ECORRUPT)
    return cli_failf(ctx, CLI_CONFLICT, "%s is not a libcbc database: not replacing it", path);
  return rc && rc != CBC_ESTATE ? cli_fail(ctx, rc) : CLI_OK;
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

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  int force = 0;
  char tmp[4096];
  cli_opt opts[] = {{"--force", CLI_FLAG, &force}, {NULL, CLI_FLAG, NULL}};
  demo *d;
  int rc = cli_parse(ctx, demo_usage, opts, argc, argv, pos, 1, 1);
  if (rc != CLI_OK || (rc = may_replace(ctx, pos[0], force)) != CLI_OK)
    return rc;
  if (snprintf(tmp, sizeof tmp, "%s.building-%ld", pos[0], (long)getpid()) >= (int)sizeof tmp)
    return cli_failf(ctx, CLI_INVALID, "the path is too long");
  if (!(d = calloc(1, sizeof *d)))
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  d->ctx = ctx;
  d->rng = UINT64_C(0x9E3779B97F4A7C15);
  remove_db(tmp);
  rc = build(d, tmp);
  if (rc == CLI_OK) {
    remove_side_files(pos[0]);
    if (rename(tmp, pos[0]) != 0)
      rc = cli_failf(ctx, CLI_IO, "cannot rename %s to %s: %s", tmp, pos[0], strerror(errno));
  }
  if (rc == CLI_OK)
    rc = print_summary(ctx, pos[0], d);
  else {
    remove_db(tmp);
  }
  free(d);
  return rc;
}
