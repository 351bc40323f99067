/* cbc init, cbc version. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include <sys/stat.h>

static const char init_usage[] =
  "usage: cbc init DB [--json]\n"
  "\n"
  "Create an empty libcbc database at DB.  On an existing libcbc database it\n"
  "only brings the schema up to date (like 'git init' run twice).  DB may be a\n"
  "PostgreSQL URI (postgresql://...): the database must exist on the server\n"
  "(createdb makes one); init creates libcbc's tables in it when it has none.\n";

/* Whether init finds a database at @p path: a file (":memory:" is none), or
 * libcbc's tables in a server's database. */
static int exists(const char *path)
{
  struct stat st;
  if (cbc_db_target_is_server(path))
    return cli_probe(path, NULL) != CBC_ENOTFOUND;
  return stat(path, &st) == 0;
}

/* A server's database is made on the server: init only fills it. */
static int open_failed(cli_ctx *ctx, const char *path, int rc)
{
  if (rc == CLI_IO && cbc_db_target_is_server(path))
    fprintf(stderr, "%s %s: the PostgreSQL database must exist: '%s init' creates libcbc's "
                    "tables in it, not the database (createdb, or CREATE DATABASE)\n",
            ctx->prog, ctx->command, ctx->prog);
  return rc;
}

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  int schema = 0, rc = cli_parse(ctx, init_usage, NULL, argc, argv, pos, 1, 1);
  if (rc != CLI_OK)
    return rc;
  int existed = exists(pos[0]);
  if ((rc = cli_open(ctx, pos[0], 1)) != CLI_OK)
    return open_failed(ctx, pos[0], rc);
  cbc_db_schema_version(&schema, ctx->db);
  if (ctx->json)
    return cli_print_json(json_pack("{s:s,s:b,s:i}", "path", pos[0], "created", !existed,
                                    "schema_version", schema));
  if (!ctx->quiet)
    printf("%s libcbc database %s (schema %d)\n", existed ? "Checked" : "Created", pos[0],
           schema);
  return CLI_OK;
}

static const char version_usage[] =
  "usage: cbc version [--json]\n"
  "\n"
  "Print the version of the tool and of the libcbc it runs on.\n";

int cmd_version(cli_ctx *ctx, int argc, char **argv)
{
  int rc = cli_parse(ctx, version_usage, NULL, argc, argv, NULL, 0, 0);
  int major, minor, patch;
  if (rc != CLI_OK)
    return rc;
  const char *lib = cbc_version(&major, &minor, &patch);
  if (ctx->json)
    return cli_print_json(json_pack("{s:s,s:i,s:i,s:i}", "library", lib, "major", major,
                                    "minor", minor, "patch", patch));
  printf("cbc (libcbc %s)\n", lib);
  return CLI_OK;
}

static const char check_usage[] =
  "usage: cbc check DB [--file] [--histories] [--stats] [--json]\n"
  "\n"
  "Check a database, reading only: SQLite's integrity check of the file (a\n"
  "PostgreSQL server checks its own storage), every hazard's history replayed\n"
  "to its row, and the statistics' aggregates against the records.  Without\n"
  "options it checks everything.\n"
  "Exit status 0 when sound, 1 when it found problems (each printed), or the\n"
  "status of an error that stopped the check.  'cbc stats rebuild' repairs\n"
  "the aggregates; a damaged file needs a backup.\n"
  "\n"
  "  --file        only the file's integrity\n"
  "  --histories   only the hazards' histories\n"
  "  --stats       only the statistics\n";

static json_t *findings_json(const cbc_check_report *r)
{
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < r->count; i++) {
    const cbc_check_finding *f = &r->findings[i];
    static const char *const kinds[] = {"", "file", "history", "stats"};
    json_array_append_new(arr, json_pack("{s:s,s:I,s:s}", "kind",
                                         f->kind >= 1 && f->kind <= 3 ? kinds[f->kind] : "?",
                                         "object_id", (json_int_t)f->object_id, "message",
                                         f->message));
  }
  return arr;
}

static int print_check(cli_ctx *ctx, const cbc_check_report *r)
{
  if (ctx->json)
    return cli_print_json(json_pack("{s:b,s:I,s:I,s:o}", "ok", r->count == 0,
                                    "hazards_checked", (json_int_t)r->hazards_checked,
                                    "forms_compared", (json_int_t)r->forms_compared,
                                    "findings", findings_json(r)));
  for (size_t i = 0; i < r->count; i++)
    printf("%s\n", r->findings[i].message);
  if (!ctx->quiet)
    fprintf(stderr, "%zu finding(s); %zu histories replayed, %zu forms compared\n", r->count,
            r->hazards_checked, r->forms_compared);
  return CLI_OK;
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  int file = 0, histories = 0, stats = 0;
  cli_opt opts[] = {{"--file", CLI_FLAG, &file}, {"--histories", CLI_FLAG, &histories},
                    {"--stats", CLI_FLAG, &stats}, {NULL, CLI_FLAG, NULL}};
  cbc_check_report *report = NULL;
  int rc = cli_parse(ctx, check_usage, opts, argc, argv, pos, 1, 1);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  unsigned int flags = (file ? CBC_CHECK_FILE : 0) | (histories ? CBC_CHECK_HISTORIES : 0) |
                       (stats ? CBC_CHECK_STATS : 0);
  if ((rc = cbc_db_check(&report, ctx->db, flags)) != 0)
    return cli_fail(ctx, rc);
  rc = print_check(ctx, report);
  if (rc == CLI_OK && report->count)
    rc = CLI_FINDINGS;
  cbc_check_report_free(report);
  return rc;
}
