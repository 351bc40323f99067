/* cbc history: the tamper-evident history (include/cbc/history.h) — verify
 * every chain against the records and against checkpoints held outside the
 * database, and print a chain's head, the checkpoint to hold.  What is
 * chained, how a link is hashed and what counts as a fault are the
 * library's; the tool reads the checkpoints' text and prints the verdict. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_OPTS_END {NULL, CLI_FLAG, NULL}
#define HEX_DIGITS "0123456789abcdef"

/* ------------------------------------------------------------------ */
/* verify                                                              */

static const char verify_usage[] =
  "usage: cbc history verify DB [--checkpoint CHAIN:SEQ:SHA256]... [--json]\n"
  "\n"
  "Recompute every chain of the tamper-evident history from the records,\n"
  "reading only, and report the first fault: a link changed, removed, added\n"
  "or moved (link_altered), a record that differs from what its newest link\n"
  "vouches for (record_altered), a link whose record is gone\n"
  "(record_missing), a record with no link, added behind the library's back\n"
  "(record_unchained), or a chain that disagrees with a checkpoint given\n"
  "(checkpoint_differs).  Prints 'sound: N links, M records checked', or one\n"
  "line: 'FAULT: chain T, link SEQ, KIND ID: MESSAGE' (an unchained record has\n"
  "no chain and link; a checkpoint names no record).\n"
  "Exit status 0 when sound, 1 when a fault is found, or the status of an\n"
  "error that stopped the check.\n"
  "\n"
  "  --checkpoint CHAIN:SEQ:SHA256\n"
  "           a chain's head held outside the database, as 'cbc history head'\n"
  "           or a filed report prints it: chain CHAIN must have had link SEQ\n"
  "           with that SHA-256 (64 lowercase hex digits; CHAIN:0: for a chain\n"
  "           that had no links).  May be given up to 64 times.\n"
  "  --json   {\"fault\", \"sound\", \"chain\", \"seq\", \"kind\", \"record_id\",\n"
  "           \"message\", \"links_checked\", \"records_checked\"} (\"fault\" is\n"
  "           \"sound\" when sound; \"kind\" is null and the numbers 0 where they\n"
  "           do not apply)\n";

/* @p len bytes at @p s as a whole number of digits only (no sign, no
 * space) that fits an int64_t. */
static int whole_number(const char *s, size_t len, int64_t *out)
{
  char buf[24];
  if (len == 0 || len >= sizeof buf || strspn(s, "0123456789") < len)
    return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  errno = 0;
  long long v = strtoll(buf, NULL, 10);
  *out = v;
  return errno == 0;
}

/* "CHAIN:SEQ:SHA256" as 'cbc history head' prints it; a malformed one is a
 * usage error. */
static int parse_checkpoint(cli_ctx *ctx, const char *text, cbc_history_checkpoint *cp)
{
  const char *c1 = strchr(text, ':');
  const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  const char *hash = c2 ? c2 + 1 : "";
  size_t len = strlen(hash);
  memset(cp, 0, sizeof *cp);
  if (!c2 || !whole_number(text, (size_t)(c1 - text), &cp->tenant_id) ||
      !whole_number(c1 + 1, (size_t)(c2 - c1 - 1), &cp->seq) ||
      strspn(hash, HEX_DIGITS) != len || len != (cp->seq ? 64u : 0u))
    return cli_usage_error(ctx, "--checkpoint must be CHAIN:SEQ:SHA256 as 'cbc history head' "
                                "prints it (whole numbers, 64 lowercase hex digits; CHAIN:0: "
                                "for a chain without links), not '%s'", text);
  memcpy(cp->hash, hash, len + 1);
  return CLI_OK;
}

static const char *fault_text(cbc_history_fault f)
{
  const char *name = cbc_history_fault_name(f);
  return name ? name : "?";
}

/* Where the fault is: "chain T, link SEQ, KIND ID", each part only when it
 * applies.  Returns buf. */
static const char *fault_place(const cbc_history_verdict *v, char *buf, size_t size)
{
  const char *kind = cbc_history_kind_name(v->kind);
  int n = 0;
  buf[0] = '\0';
  if (v->seq)
    n = snprintf(buf, size, "chain %lld, link %lld", (long long)v->tenant_id,
                 (long long)v->seq);
  if (v->kind && n >= 0 && (size_t)n < size)
    snprintf(buf + n, size - (size_t)n, "%s%s %lld", n ? ", " : "", kind ? kind : "?",
             (long long)v->record_id);
  return buf;
}

static int verdict_text(const cbc_history_verdict *v)
{
  char place[128];
  if (v->fault == CBC_HISTORY_SOUND)
    printf("sound: %lld links, %lld records checked\n", (long long)v->links_checked,
           (long long)v->records_checked);
  else if (fault_place(v, place, sizeof place)[0])
    printf("%s: %s: %s\n", fault_text(v->fault), place, v->message);
  else
    printf("%s: %s\n", fault_text(v->fault), v->message);
  return CLI_OK;
}

static int verdict_json(const cbc_history_verdict *v)
{
  const char *kind = v->kind ? cbc_history_kind_name(v->kind) : NULL;
  return cli_print_json(json_pack(
    "{s:o,s:b,s:I,s:I,s:o,s:I,s:s,s:I,s:I}", "fault",
    cli_json_str(cbc_history_fault_name(v->fault)), "sound", v->fault == CBC_HISTORY_SOUND,
    "chain", (json_int_t)v->tenant_id, "seq", (json_int_t)v->seq, "kind", cli_json_str(kind),
    "record_id", (json_int_t)v->record_id, "message", v->message ? v->message : "",
    "links_checked", (json_int_t)v->links_checked, "records_checked",
    (json_int_t)v->records_checked));
}

static int cmd_verify(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1];
  cli_list given = {{NULL}, 0};
  cbc_history_checkpoint held[sizeof given.items / sizeof given.items[0]];
  cbc_history_verdict *v = NULL;
  cli_opt opts[] = {{"--checkpoint", CLI_LIST, &given}, HISTORY_OPTS_END};
  int rc = cli_parse(ctx, verify_usage, opts, argc, argv, pos, 1, 1);
  for (int i = 0; rc == CLI_OK && i < given.count; i++)
    rc = parse_checkpoint(ctx, given.items[i], &held[i]);
  if (rc != CLI_OK || (rc = cli_open(ctx, pos[0], 0)) != CLI_OK)
    return rc;
  rc = cbc_history_verify(&v, ctx->db, given.count ? held : NULL, (size_t)given.count);
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? verdict_json(v) : verdict_text(v);
  if (rc == CLI_OK && v->fault != CBC_HISTORY_SOUND)
    rc = CLI_FINDINGS;
  cbc_history_verdict_free(v);
  return rc;
}

/* ------------------------------------------------------------------ */
/* head                                                                */

static const char head_usage[] =
  "usage: cbc history head DB [--chain TENANT | --unit UNIT] [--json]\n"
  "\n"
  "The head of one chain of the tamper-evident history as committed now: how\n"
  "many links it has and its last link's SHA-256, a checkpoint to hold\n"
  "outside the database and give back to 'cbc history verify --checkpoint'.\n"
  "Each enterprise has a chain, and each region node for its own records;\n"
  "chain 0, the default, is the database's own (employees' histories,\n"
  "cadres' assignments, policy versions).  Prints 'chain T: link SEQ,\n"
  "SHA-256 HEX', or 'chain T: no links'.\n"
  "\n"
  "  --chain TENANT   the chain by its number: an enterprise's or a region\n"
  "                   node's unit id, or 0\n"
  "  --unit UNIT      the chain of the enterprise or region node UNIT (external\n"
  "                   id or path); a unit of another kind has no links\n"
  "  --json           {\"chain\", \"seq\", \"sha256\"} (\"seq\" 0 and \"sha256\" \"\"\n"
  "                   for a chain without links)\n";

static int print_head(cli_ctx *ctx, const cbc_history_checkpoint *cp)
{
  if (ctx->json)
    return cli_print_json(json_pack("{s:I,s:I,s:s}", "chain", (json_int_t)cp->tenant_id, "seq",
                                    (json_int_t)cp->seq, "sha256", cp->hash));
  if (cp->seq == 0)
    printf("chain %lld: no links\n", (long long)cp->tenant_id);
  else
    printf("chain %lld: link %lld, SHA-256 %s\n", (long long)cp->tenant_id, (long long)cp->seq,
           cp->hash);
  return CLI_OK;
}

static int cmd_head(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[1], *chain = NULL, *unit = NULL;
  int64_t tenant = 0;
  cbc_history_checkpoint cp;
  cli_opt opts[] = {{"--chain", CLI_STRING, &chain}, {"--unit", CLI_STRING, &unit},
                    HISTORY_OPTS_END};
  int rc = cli_parse(ctx, head_usage, opts, argc, argv, pos, 1, 1);
  if (rc != CLI_OK)
    return rc;
  if (chain && unit)
    return cli_usage_error(ctx, "--chain and --unit both name the chain: give one");
  if ((chain && (rc = cli_int(ctx, "--chain", chain, 0, INT64_MAX, &tenant)) != CLI_OK) ||
      (rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (unit && (rc = cli_unit(ctx, unit, &tenant)) != CLI_OK))
    return rc;
  if ((rc = cbc_history_head(&cp, ctx->db, tenant)) != 0)
    return cli_fail(ctx, rc);
  return print_head(ctx, &cp);
}

/* ------------------------------------------------------------------ */

static const cli_command history_commands[] = {
  {"verify", cmd_verify, "recompute every chain from the records: sound, or the first fault"},
  {"head", cmd_head, "a chain's head: the checkpoint to hold outside the database"},
  {NULL, NULL, NULL}
};

int cmd_history_chains(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "history",
                      "The tamper-evident history (include/cbc/history.h): every record the\n"
                      "ledger's promises rest on is chained with SHA-256, one chain per\n"
                      "enterprise or region node and one for the database, so an edit made\n"
                      "behind the library's back is found and named.",
                      history_commands, argc, argv);
}
