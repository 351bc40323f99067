/* cbc policy: read and set the reward policy (docs/rewards.md). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "reward_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char get_usage[] =
  "usage: cbc policy get DB [--version N | --defaults] [--json]\n"
  "\n"
  "Print the reward policy: the current version's complete JSON document (the\n"
  "keys and their meaning are in docs/rewards.md), ready to edit and set back\n"
  "with 'cbc policy set'.  Its version number goes to stderr (not with --quiet).\n"
  "Until a policy is set, version 1 is the built-in defaults.\n"
  "\n"
  "  --version N   an earlier version\n"
  "  --defaults    the built-in defaults (what keys left out of a set take)\n"
  "  --json        {\"version\" (null for --defaults), \"policy\": {...}}\n";

static int print_policy(cli_ctx *ctx, const char *document, int64_t version)
{
  if (!ctx->json) {
    fputs(document, stdout);
    if (document[0] && document[strlen(document) - 1] != '\n')
      putchar('\n');
    if (version && !ctx->quiet)
      fprintf(stderr, "policy version %lld\n", (long long)version);
    return ferror(stdout) ? CLI_IO : CLI_OK;
  }
  json_error_t err;
  json_t *policy = json_loads(document, 0, &err);
  if (!policy) /* the library stores only documents it parsed */
    return cli_failf(ctx, CLI_INTERNAL, "the stored policy is not JSON: %s", err.text);
  return cli_print_json(json_pack("{s:o,s:o}", "version",
                                  version ? json_integer((json_int_t)version) : json_null(),
                                  "policy", policy));
}

static int cmd_get(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *version_text = NULL;
  int defaults = 0;
  int64_t wanted = 0, version = 0;
  char *document = NULL;
  cli_opt opts[] = {{"--version", CLI_STRING, &version_text},
                    {"--defaults", CLI_FLAG, &defaults}, RW_OPTS_END};
  int rc = act_parse_db(ctx, get_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (defaults && version_text)
    return cli_usage_error(ctx, "--version and --defaults exclude each other");
  if ((rc = cli_open(ctx, db, 0)) != CLI_OK ||
      (version_text && (rc = cli_int(ctx, "--version", version_text, 1, INT64_MAX, &wanted))))
    return rc;
  rc = defaults ? cbc_policy_defaults(&document)
                : cbc_policy_get(&document, &version, ctx->db, wanted);
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = print_policy(ctx, document, version);
  cbc_free(document);
  return rc;
}

static const char preset_usage[] =
  "usage: cbc policy preset NAME [--json]\n"
  "\n"
  "Print a named policy preset: the built-in defaults with the preset's keys, a\n"
  "complete document ready for 'cbc policy set DB FILE' (or 'cbc policy set DB\n"
  "--preset NAME'); it opens no database.  An unknown NAME is exit 3, the\n"
  "message listing the presets.\n"
  "\n"
  "  NAME     whistleblower_2018: the national rule for rewarding reports in\n"
  "           work safety (安监总财〔2018〕19号) as the hotline_tip rule: a\n"
  "           verified major-hazard tip-off earns 15% of the administrative\n"
  "           penalty ('cbc hazard penalty'), 3,000 to 300,000 yuan\n"
  "  --json   {\"preset\", \"policy\": {...}}\n";

/* The preset's document, copied so that the caller free()s it as a file's. */
static int preset_document(cli_ctx *ctx, const char *name, char **out)
{
  char *document = NULL;
  int rc = cbc_policy_preset(&document, name);
  if (rc != 0)
    return cli_fail(ctx, rc);
  *out = strdup(document);
  cbc_free(document);
  return *out ? CLI_OK : cli_failf(ctx, CLI_INTERNAL, "out of memory");
}

static int cmd_preset(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  char *document = NULL;
  int rc = cli_parse(ctx, preset_usage, NULL, argc, argv, pos, 1, 1);
  if (rc != CLI_OK || (rc = preset_document(ctx, pos[0], &document)) != CLI_OK)
    return rc;
  if (ctx->json) {
    json_error_t err;
    json_t *policy = json_loads(document, 0, &err);
    rc = policy ? cli_print_json(json_pack("{s:s,s:o}", "preset", pos[0], "policy", policy))
                : cli_failf(ctx, CLI_INTERNAL, "the preset is not JSON: %s", err.text);
  } else {
    rc = print_policy(ctx, document, 0);
  }
  free(document);
  return rc;
}

static const char set_usage[] =
  "usage: cbc policy set DB (FILE | --preset NAME) --as EMPLOYEE [--json]\n"
  "\n"
  "Store a new version of the reward policy from a JSON document (FILE, or '-'\n"
  "for stdin), or from a named preset, and print its number (--json:\n"
  "{\"version\"}).  Keys left out take the built-in defaults, not the current\n"
  "version's values.  A union cadre sets it.  A document that is not valid\n"
  "JSON, names an unknown rule or key, or has a value of the wrong type or out\n"
  "of range is refused (exit 4, the key named) and nothing is stored.  Awards\n"
  "already made keep the version that made them.\n"
  "\n"
  "  FILE            the document ('-': stdin); 'cbc policy get' writes one\n"
  "  --preset NAME   instead of FILE: a preset, as 'cbc policy preset NAME'\n"
  "                  prints it (an unknown one is exit 3)\n"
  "  --as EMPLOYEE   the union cadre who sets it\n";

static int cmd_set(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *preset = NULL;
  char *document = NULL;
  int64_t actor = 0, version = 0;
  cli_opt opts[] = {{"--preset", CLI_STRING, &preset}, {"--as", CLI_STRING, &ctx->as},
                    RW_OPTS_END};
  int rc = cli_parse(ctx, set_usage, opts, argc, argv, pos, 1, 2);
  if (rc != CLI_OK)
    return rc;
  if (!preset == !pos[1])
    return cli_usage_error(ctx, "give exactly one of FILE and --preset NAME");
  if (!ctx->as)
    return cli_usage_error(ctx, "--as EMPLOYEE is required: who sets the policy");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK || (rc = cli_actor(ctx, &actor)) != CLI_OK)
    return rc;
  rc = preset ? preset_document(ctx, preset, &document) : cli_read_file(ctx, pos[1], &document);
  if (rc != CLI_OK)
    return rc;
  rc = cbc_policy_set(&version, ctx->db, document, actor);
  free(document);
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json)
    return cli_print_json(json_pack("{s:I}", "version", (json_int_t)version));
  printf("%lld\n", (long long)version);
  return CLI_OK;
}

static const cli_command policy_commands[] = {
  {"get", cmd_get, "print the reward policy document and its version"},
  {"set", cmd_set, "store a new version of the reward policy"},
  {"preset", cmd_preset, "print a named policy preset (whistleblower_2018)"},
  {NULL, NULL, NULL}
};

int cmd_policy(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "policy",
                      "The reward policy (docs/rewards.md): a JSON document stored in numbered\n"
                      "versions; the rules' amounts and thresholds.",
                      policy_commands, argc, argv);
}
