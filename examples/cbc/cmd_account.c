/* cbc account: standalone sign-in accounts (include/cbc/account.h) — set
 * an employee's password, remove it, show the account.  Whoever may write
 * the database file (or the PostgreSQL database) is the administrator: there
 * is no --as. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* A line of a password: the longest password, one byte more (to tell a
 * line too long), the line end and the NUL. */
#define LINE_MAX_BYTES (CBC_PASSWORD_MAX + 3)

static const char passwd_usage[] =
  "usage: cbc account passwd DB EMPLOYEE [--json]\n"
  "\n"
  "Set the password EMPLOYEE (the HR system's employee id) signs in with to a\n"
  "front end without single sign-on, replacing any other, and lift a lock.\n"
  "The password is read from standard input, never from the command line: one\n"
  "line, or from a terminal typed twice without echo.  It is 8 to 1024 bytes\n"
  "of UTF-8; only its argon2id hash is stored.  The employee must be on the\n"
  "payroll.  --json prints the account as cbc account show does.\n";

static const char clear_usage[] =
  "usage: cbc account clear DB EMPLOYEE [--json]\n"
  "\n"
  "Remove EMPLOYEE's password, failed sign-ins and lock: signing in as them is\n"
  "impossible until a new password is set.  Removing no password succeeds.\n"
  "--json prints the account as cbc account show does.\n";

static const char show_usage[] =
  "usage: cbc account show DB EMPLOYEE [--json]\n"
  "\n"
  "Show EMPLOYEE's sign-in account: whether a password is set and since when,\n"
  "failed sign-ins in a row, and until when it is locked (after 5 failures in a\n"
  "row, for 15 minutes).  Never the password or its hash.\n"
  "\n"
  "  --json   {\"employee\": {\"id\", \"external_id\", \"name\"}, \"has_password\",\n"
  "           \"changed_at\", \"failures\", \"locked_until\"}\n";

/* One line of @p in into @p buf without its line end (LF or CR LF). */
static int read_line(cli_ctx *ctx, char buf[LINE_MAX_BYTES])
{
  if (!fgets(buf, LINE_MAX_BYTES, stdin))
    return cli_failf(ctx, CLI_INVALID, "no password on standard input");
  size_t n = strlen(buf);
  if (n && buf[n - 1] == '\n')
    buf[--n] = '\0';
  else if (!feof(stdin))
    return cli_failf(ctx, CLI_INVALID, "the password is longer than %d bytes",
                     CBC_PASSWORD_MAX);
  if (n && buf[n - 1] == '\r')
    buf[--n] = '\0';
  return CLI_OK;
}

/* A line typed at the terminal without echo, after @p prompt on stderr. */
static int read_hidden(cli_ctx *ctx, const char *prompt, char buf[LINE_MAX_BYTES])
{
  struct termios saved, quiet;
  if (tcgetattr(STDIN_FILENO, &saved) != 0)
    return cli_failf(ctx, CLI_IO, "cannot turn off the terminal's echo");
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  /* echo off before the prompt: nothing typed after it is shown */
  if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    return cli_failf(ctx, CLI_IO, "cannot turn off the terminal's echo");
  fputs(prompt, stderr);
  fflush(stderr);
  int rc = read_line(ctx, buf);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  fputc('\n', stderr);
  return rc;
}

/* The new password: from a terminal typed twice, else one line. */
static int read_password(cli_ctx *ctx, const char *who, char pw[LINE_MAX_BYTES],
                         char again[LINE_MAX_BYTES])
{
  char prompt[160];
  if (!isatty(STDIN_FILENO))
    return read_line(ctx, pw);
  snprintf(prompt, sizeof prompt, "New password for %s: ", who);
  int rc = read_hidden(ctx, prompt, pw);
  if (rc == CLI_OK)
    rc = read_hidden(ctx, "Again: ", again);
  if (rc == CLI_OK && strcmp(pw, again) != 0)
    rc = cli_failf(ctx, CLI_INVALID, "the two passwords differ; nothing was changed");
  return rc;
}

static json_t *account_json(cli_ctx *ctx, const cbc_account_info *a)
{
  return json_pack("{s:o,s:b,s:o,s:i,s:o}", "employee",
                   cli_json_employee_ref(ctx, a->employee_id), "has_password", a->has_password,
                   "changed_at", cli_json_time(ctx, a->changed_at), "failures", a->failures,
                   "locked_until", cli_json_time(ctx, a->locked_until));
}

static int account_text(cli_ctx *ctx, const char *who, const cbc_account_info *a)
{
  char t[40];
  cbc_employee *e = NULL;
  int rc = cbc_employee_lookup(&e, ctx->db, a->employee_id);
  if (rc)
    return cli_fail(ctx, rc);
  printf("%s  %s\n", e->name, who);
  cbc_employee_free(e);
  printf("password:      %s%s\n", a->has_password ? "set " : "none",
         a->has_password ? cli_time_text(ctx, a->changed_at, t) : "");
  printf("failures:      %d\n", a->failures);
  printf("locked until:  %s\n", a->locked_until ? cli_time_text(ctx, a->locked_until, t) : "-");
  return CLI_OK;
}

/* Print the account (text for show, JSON for --json); @p text_too: print
 * text without --json. */
static int print_account(cli_ctx *ctx, const char *who, int64_t id, int text_too)
{
  cbc_account_info *a = NULL;
  if (!ctx->json && !text_too)
    return CLI_OK;
  int rc = cbc_account_status(&a, ctx->db, id);
  if (rc)
    return cli_fail(ctx, rc);
  rc = ctx->json ? cli_print_json(account_json(ctx, a)) : account_text(ctx, who, a);
  cbc_account_info_free(a);
  return rc;
}

/* Parse DB EMPLOYEE, open the database and find the employee. */
static int open_account(cli_ctx *ctx, const char *usage, int argc, char **argv,
                        const char **who, int64_t *id)
{
  const char *pos[2] = {NULL, NULL};
  int rc = cli_parse(ctx, usage, NULL, argc, argv, pos, 2, 2);
  if (rc == CLI_OK)
    rc = cli_open(ctx, pos[0], 0);
  if (rc == CLI_OK)
    rc = cli_employee(ctx, pos[1], id);
  *who = pos[1];
  return rc;
}

static int account_passwd(cli_ctx *ctx, int argc, char **argv)
{
  const char *who;
  int64_t id;
  char pw[LINE_MAX_BYTES], again[LINE_MAX_BYTES];
  int rc = open_account(ctx, passwd_usage, argc, argv, &who, &id);
  if (rc != CLI_OK)
    return rc;
  /* unbuffered: no copy of the password is left in stdio's buffer */
  setvbuf(stdin, NULL, _IONBF, 0);
  rc = read_password(ctx, who, pw, again);
  int lib_rc = rc == CLI_OK ? cbc_account_set_password(ctx->db, id, pw) : 0;
  sodium_memzero(pw, sizeof pw);
  sodium_memzero(again, sizeof again);
  if (rc != CLI_OK)
    return rc;
  if (lib_rc)
    return cli_fail(ctx, lib_rc);
  if (!ctx->json && !ctx->quiet)
    printf("password set for %s\n", who);
  return print_account(ctx, who, id, 0);
}

static int account_clear(cli_ctx *ctx, int argc, char **argv)
{
  const char *who;
  int64_t id;
  int rc = open_account(ctx, clear_usage, argc, argv, &who, &id);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_account_clear(ctx->db, id)) != 0)
    return cli_fail(ctx, rc);
  if (!ctx->json && !ctx->quiet)
    printf("password removed for %s\n", who);
  return print_account(ctx, who, id, 0);
}

static const char login_usage[] =
  "usage: cbc account login DB EMPLOYEE\n"
  "\n"
  "Sign EMPLOYEE in as a front end does, with a password read from standard\n"
  "input like cbc account passwd (typed once at a terminal): exit 0 and\n"
  "\"signed in\" when it is right.  It is a real sign-in: a wrong password\n"
  "counts as a failure (exit 5; every refusal has one message) and a locked\n"
  "account is refused (exit 8).\n";

static int account_login(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2] = {NULL, NULL};
  char pw[LINE_MAX_BYTES];
  int64_t id;
  int rc = cli_parse(ctx, login_usage, NULL, argc, argv, pos, 2, 2);
  if (rc == CLI_OK)
    rc = cli_open(ctx, pos[0], 0);
  if (rc != CLI_OK)
    return rc;
  setvbuf(stdin, NULL, _IONBF, 0);
  rc = isatty(STDIN_FILENO) ? read_hidden(ctx, "Password: ", pw) : read_line(ctx, pw);
  int lib_rc = rc == CLI_OK ? cbc_account_login(&id, ctx->db, pos[1], pw) : 0;
  sodium_memzero(pw, sizeof pw);
  if (rc != CLI_OK)
    return rc;
  if (lib_rc)
    return cli_fail(ctx, lib_rc);
  if (!ctx->quiet && !ctx->json)
    printf("signed in\n");
  return ctx->json ? cli_print_json(json_pack("{s:o}", "employee",
                                              cli_json_employee_ref(ctx, id)))
                   : CLI_OK;
}

static int account_show(cli_ctx *ctx, int argc, char **argv)
{
  const char *who;
  int64_t id;
  int rc = open_account(ctx, show_usage, argc, argv, &who, &id);
  return rc != CLI_OK ? rc : print_account(ctx, who, id, 1);
}

static const cli_command account_commands[] = {
  {"passwd", account_passwd, "set an employee's password (read from standard input)"},
  {"clear", account_clear, "remove an employee's password"},
  {"show", account_show, "whether a password is set, failed sign-ins, the lock"},
  {"login", account_login, "sign in as a front end does (checks a password)"},
  {NULL, NULL, NULL}
};

int cmd_account(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "account",
                      "Sign-in accounts for front ends without single sign-on: passwords\n"
                      "kept only as argon2id hashes, locked after 5 failed sign-ins in a row.",
                      account_commands, argc, argv);
}
