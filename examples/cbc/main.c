/*
 * cbc — the command-line front end of libcbc (docs/cli.md, man page cbc(1)).
 *
 *   cbc COMMAND [SUBCOMMAND] DB [ARGS] [OPTIONS]
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "commands.h"

#include <locale.h>
#include <string.h>

static const char usage[] =
  "usage: cbc COMMAND [SUBCOMMAND] DB [ARGS] [--json] [--as EMPLOYEE] [--now TIME]\n"
  "\n"
  "The 查保促 campaign's ledger from the command line: the organisation, hazards,\n"
  "activities, the official statistics and rewards, in one libcbc database (DB):\n"
  "a file, or a PostgreSQL URI (postgresql://...).\n"
  "\n"
  "commands:\n";

static const char footer[] =
  "\n"
  "Every command takes --help.  Read commands take --json (one JSON document).\n"
  "Moves name their actor with --as EMPLOYEE (the HR system's employee id).\n"
  "Exit status: 0 ok, 1 check findings or a history fault, 2 usage, 3 not found,\n"
  "4 invalid, 5 not permitted, 6 wrong state, 7 conflict, 8 busy, 9 I/O (a file,\n"
  "the server) or damaged database, 10 internal error.  See cbc(1).\n";

static const cli_command commands[] = {
  {"init", cmd_init, "create an empty database"},
  {"version", cmd_version, "print the tool's and the library's versions"},
  CBC_CLI_COMMANDS
  {NULL, NULL, NULL}
};

static int print_help(FILE *out)
{
  fputs(usage, out);
  for (const cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-11s %s\n", c->name, c->summary);
  fputs(footer, out);
  return 0;
}

int main(int argc, char **argv)
{
  cli_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.prog = "cbc";
  /* Display widths of Chinese text (tables) need a UTF-8 character type;
   * nothing else depends on the locale. */
  if (!setlocale(LC_CTYPE, "C.UTF-8"))
    setlocale(LC_CTYPE, "");
  if (argc < 2)
    return print_help(stderr), CLI_USAGE;
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0)
    return print_help(stdout), CLI_OK;
  if (strcmp(argv[1], "--version") == 0)
    return cmd_version(&ctx, 1, argv + 1);
  for (const cli_command *c = commands; c->name; c++) {
    if (strcmp(c->name, argv[1]) == 0) {
      ctx.command = c->name;
      int rc = c->run(&ctx, argc - 1, argv + 1);
      cli_close(&ctx);
      return rc < 0 ? CLI_OK : rc;
    }
  }
  fprintf(stderr, "cbc: unknown command '%s'\n\n", argv[1]);
  print_help(stderr);
  return CLI_USAGE;
}
