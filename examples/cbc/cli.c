/* cbc: option parsing, errors and exit statuses, opening the database. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int print_usage(FILE *out, const char *usage)
{
  fputs(usage, out);
  if (usage[0] && usage[strlen(usage) - 1] != '\n')
    fputc('\n', out);
  return 0;
}

int cli_usage_error(cli_ctx *ctx, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s %s: ", ctx->prog, ctx->command);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (ctx->usage)
    print_usage(stderr, ctx->usage);
  return CLI_USAGE;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name, size_t len)
{
  for (; opts && opts->name; opts++)
    if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
      return opts;
  return NULL;
}

/* The options every command takes. */
static const cli_opt *common_opts(cli_ctx *ctx)
{
  static cli_opt opts[4];
  opts[0] = (cli_opt){"--json", CLI_FLAG, &ctx->json};
  opts[1] = (cli_opt){"--quiet", CLI_FLAG, &ctx->quiet};
  opts[2] = (cli_opt){"--now", CLI_STRING, &ctx->now};
  opts[3] = (cli_opt){NULL, CLI_FLAG, NULL};
  return opts;
}

static int store_opt(cli_ctx *ctx, const cli_opt *o, const char *value)
{
  switch (o->kind) {
  case CLI_FLAG:
    if (value)
      return cli_usage_error(ctx, "%s takes no value", o->name);
    *(int *)o->dest = 1;
    return CLI_OK;
  case CLI_STRING:
    *(const char **)o->dest = value;
    return CLI_OK;
  case CLI_LIST: {
    cli_list *l = o->dest;
    if (l->count == (int)(sizeof l->items / sizeof l->items[0]))
      return cli_usage_error(ctx, "%s given too many times", o->name);
    l->items[l->count++] = value;
    return CLI_OK;
  }
  }
  return CLI_USAGE;
}

/* One "--name[=value]" at argv[*i]; a value may be the next argument. */
static int parse_one_opt(cli_ctx *ctx, const cli_opt *opts, int argc, char **argv, int *i)
{
  const char *arg = argv[*i];
  const char *eq = strchr(arg, '=');
  size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
  const cli_opt *o = find_opt(opts, arg, len);
  if (!o)
    o = find_opt(common_opts(ctx), arg, len);
  if (!o)
    return cli_usage_error(ctx, "unknown option %.*s", (int)len, arg);
  if (o->kind == CLI_FLAG)
    return store_opt(ctx, o, eq ? eq + 1 : NULL);
  if (eq)
    return store_opt(ctx, o, eq + 1);
  if (*i + 1 >= argc)
    return cli_usage_error(ctx, "%s needs a value", o->name);
  return store_opt(ctx, o, argv[++*i]);
}

static int is_help(const char *arg)
{
  return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_parse(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc, char **argv,
              const char **pos, int min_pos, int max_pos)
{
  int npos = 0, rest = 0;
  ctx->usage = usage;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!rest && is_help(arg)) {
      print_usage(stdout, usage);
      return -1;
    }
    if (!rest && strcmp(arg, "--") == 0) {
      rest = 1;
    } else if (!rest && arg[0] == '-' && arg[1] == '-') {
      int rc = parse_one_opt(ctx, opts, argc, argv, &i);
      if (rc != CLI_OK)
        return rc;
    } else if (!rest && arg[0] == '-' && arg[1] != '\0') {
      return cli_usage_error(ctx, "unknown option %s", arg);
    } else {
      if (npos == max_pos)
        return cli_usage_error(ctx, "unexpected argument '%s'", arg);
      pos[npos++] = arg;
    }
  }
  if (npos < min_pos)
    return cli_usage_error(ctx, "missing arguments");
  for (int i = npos; i < max_pos; i++)
    pos[i] = NULL;
  return CLI_OK;
}

static void print_group_help(FILE *out, cli_ctx *ctx, const char *group, const char *summary,
                             const cli_command *table)
{
  int width = 10; /* the names' column fits the longest name */
  for (const cli_command *c = table; c->name; c++)
    if ((int)strlen(c->name) > width)
      width = (int)strlen(c->name);
  fprintf(out, "usage: %s %s COMMAND [ARGS]\n\n%s\n\ncommands:\n", ctx->prog, group, summary);
  for (const cli_command *c = table; c->name; c++)
    fprintf(out, "  %-*s %s\n", width, c->name, c->summary);
  fprintf(out, "\n'%s %s COMMAND --help' describes one.\n", ctx->prog, group);
}

int cli_dispatch(cli_ctx *ctx, const char *group, const char *summary,
                 const cli_command *table, int argc, char **argv)
{
  if (argc < 2 || is_help(argv[1])) {
    print_group_help(argc < 2 ? stderr : stdout, ctx, group, summary, table);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  for (const cli_command *c = table; c->name; c++) {
    if (strcmp(c->name, argv[1]) == 0) {
      static char command[64];
      snprintf(command, sizeof command, "%s %s", group, c->name);
      ctx->command = command;
      return c->run(ctx, argc - 1, argv + 1);
    }
  }
  fprintf(stderr, "%s %s: unknown command '%s'\n", ctx->prog, group, argv[1]);
  print_group_help(stderr, ctx, group, summary, table);
  return CLI_USAGE;
}

/* ------------------------------------------------------------------ */

int cli_exit_for(int rc)
{
  switch (rc) {
  case CBC_OK: return CLI_OK;
  case CBC_ENOTFOUND: return CLI_NOTFOUND;
  case CBC_EINVAL: return CLI_INVALID;
  case CBC_EPERM: return CLI_PERM;
  case CBC_ESTATE: return CLI_STATE;
  case CBC_ECONFLICT: return CLI_CONFLICT;
  case CBC_EBUSY: return CLI_BUSY;
  case CBC_EIO:
  case CBC_ECORRUPT:
  case CBC_EVERSION: return CLI_IO;
  default: return CLI_INTERNAL;
  }
}

static const char *class_name(int status)
{
  static const char *const names[] = {
    [CLI_NOTFOUND] = "not found", [CLI_INVALID] = "invalid", [CLI_PERM] = "not permitted",
    [CLI_STATE] = "wrong state", [CLI_CONFLICT] = "conflict", [CLI_BUSY] = "busy",
    [CLI_IO] = "I/O error", [CLI_INTERNAL] = "internal error", [CLI_FINDINGS] = "findings",
    [CLI_USAGE] = "usage",
  };
  return status > 0 && status <= CLI_INTERNAL && names[status] ? names[status] : "error";
}

int cli_fail(cli_ctx *ctx, int rc)
{
  int status = cli_exit_for(rc);
  const cbc_error *e = cbc_error_last();
  fprintf(stderr, "%s %s: %s: %s\n", ctx->prog, ctx->command, class_name(status),
          e->code == rc ? e->message : cbc_error_name(rc));
  return status;
}

int cli_failf(cli_ctx *ctx, int status, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s %s: %s: ", ctx->prog, ctx->command, class_name(status));
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return status;
}

/* ------------------------------------------------------------------ */

static int64_t fixed_clock(void *payload)
{
  return *(const int64_t *)payload;
}

/* --now needs the database's offset to read a date, so the handle is opened
 * first and reopened with the fixed clock. */
static int open_with(cli_ctx *ctx, const char *path, unsigned int flags)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.flags = flags;
  if (ctx->now_value) {
    opts.clock = fixed_clock;
    opts.clock_payload = &ctx->now_value;
  }
  int rc = cbc_db_open(&ctx->db, path, &opts);
  if (rc == CBC_ENOTFOUND && cbc_db_target_is_server(path))
    return cli_failf(ctx, CLI_NOTFOUND,
                     "no libcbc database in %s ('%s init %s' creates its tables there)", path,
                     ctx->prog, path);
  if (rc == CBC_ENOTFOUND)
    return cli_failf(ctx, CLI_NOTFOUND, "no database at %s ('%s init %s' creates one)",
                     path, ctx->prog, path);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

int cli_open(cli_ctx *ctx, const char *path, int create)
{
  int rc = open_with(ctx, path, create ? CBC_DB_CREATE : 0);
  if (rc != CLI_OK || !ctx->now)
    return rc;
  int64_t now;
  rc = cli_time(ctx, ctx->now, 0, &now);
  cli_close(ctx);
  if (rc != CLI_OK)
    return rc;
  ctx->now_value = now;
  return open_with(ctx, path, 0);
}

void cli_close(cli_ctx *ctx)
{
  cbc_db_close(ctx->db);
  ctx->db = NULL;
}

int cli_probe(const char *path, cbc_db **out)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  cbc_db *db = NULL;
  opts.flags = CBC_DB_READONLY;
  int rc = cbc_db_open(&db, path, &opts);
  if (out && rc == 0)
    *out = db;
  else
    cbc_db_close(db);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Names.                                                              */

int cli_actor(cli_ctx *ctx, int64_t *out)
{
  if (!ctx->as)
    return cli_usage_error(ctx, "--as EMPLOYEE is required: who makes this move");
  return cli_employee(ctx, ctx->as, out);
}

int cli_employee(cli_ctx *ctx, const char *text, int64_t *out)
{
  cbc_employee *e = NULL;
  int rc = cbc_employee_lookup_external(&e, ctx->db, text);
  if (rc == CBC_ENOTFOUND)
    return cli_failf(ctx, CLI_NOTFOUND, "no employee with id '%s'", text);
  if (rc)
    return cli_fail(ctx, rc);
  *out = e->id;
  cbc_employee_free(e);
  return CLI_OK;
}

/* The child of @p parent (0: a root) whose external id or name is @p part. */
static int child_named(cli_ctx *ctx, int64_t parent, const char *part, int64_t *out)
{
  cbc_unit_iter *it = NULL;
  const cbc_unit *u;
  int rc = cbc_unit_iter_children(&it, ctx->db, parent);
  *out = 0;
  while (rc == 0 && (rc = cbc_unit_iter_next(&u, it)) == 0) {
    if (strcmp(u->external_id, part) == 0 || strcmp(u->name, part) == 0) {
      *out = u->id;
      break;
    }
  }
  cbc_unit_iter_free(it);
  return rc == CBC_ITEROVER || rc == 0 ? CLI_OK : cli_fail(ctx, rc);
}

static int unit_by_path(cli_ctx *ctx, const char *text, int64_t *out)
{
  char *copy = strdup(text), *save = NULL;
  int64_t id = 0;
  int rc = copy ? CLI_OK : CLI_INTERNAL;
  for (char *part = copy ? strtok_r(copy, "/", &save) : NULL; part && rc == CLI_OK;
       part = strtok_r(NULL, "/", &save)) {
    rc = child_named(ctx, id, part, &id);
    if (rc == CLI_OK && id == 0)
      rc = cli_failf(ctx, CLI_NOTFOUND, "no unit '%s' in the path '%s'", part, text);
  }
  free(copy);
  if (rc == CLI_OK && id == 0)
    rc = cli_failf(ctx, CLI_NOTFOUND, "no unit '%s'", text);
  *out = id;
  return rc;
}

int cli_unit(cli_ctx *ctx, const char *text, int64_t *out)
{
  cbc_unit *u = NULL;
  int rc = cbc_unit_lookup_external(&u, ctx->db, text);
  if (rc == 0) {
    *out = u->id;
    cbc_unit_free(u);
    return CLI_OK;
  }
  if (rc != CBC_ENOTFOUND)
    return cli_fail(ctx, rc);
  if (strchr(text, '/'))
    return unit_by_path(ctx, text, out);
  return cli_failf(ctx, CLI_NOTFOUND, "no unit with id '%s'", text);
}

int cli_enum(cli_ctx *ctx, cbc_enum_type type, const char *text, int *out)
{
  int rc = cbc_enum_parse(out, type, text);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

int cli_int(cli_ctx *ctx, const char *what, const char *text, int64_t min, int64_t max,
            int64_t *out)
{
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || *end || v < min || v > max)
    return cli_failf(ctx, CLI_INVALID, "%s must be a whole number from %lld to %lld, not '%s'",
                     what, (long long)min, (long long)max, text);
  *out = v;
  return CLI_OK;
}

int cli_money(cli_ctx *ctx, const char *what, const char *text, int64_t *out)
{
  int64_t yuan = 0, fen = 0;
  const char *p = text;
  int digits = 0;
  for (; *p >= '0' && *p <= '9' && digits < 13; p++, digits++)
    yuan = yuan * 10 + (*p - '0');
  if (digits && *p == '.') {
    int f = 0;
    for (p++; *p >= '0' && *p <= '9' && f < 2; p++, f++)
      fen = fen * 10 + (*p - '0');
    if (f == 1)
      fen *= 10;
    if (f == 0)
      digits = 0;
  }
  if (!digits || *p)
    return cli_failf(ctx, CLI_INVALID, "%s must be an amount in yuan like 1200 or 1200.50, not '%s'",
                     what, text);
  *out = yuan * 100 + fen;
  return CLI_OK;
}

int cli_read_file(cli_ctx *ctx, const char *path, char **out)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  size_t len = 0, cap = 4096;
  char *buf = NULL;
  int err = 0;
  if (!f)
    return cli_failf(ctx, CLI_IO, "cannot open %s: %s", path, strerror(errno));
  for (;;) {
    if (!buf || len + 1 == cap) {
      char *bigger = realloc(buf, buf ? cap *= 2 : cap);
      if (!bigger) {
        err = ENOMEM;
        break;
      }
      buf = bigger;
    }
    size_t n = fread(buf + len, 1, cap - len - 1, f);
    len += n;
    if (n == 0) {
      err = ferror(f) ? EIO : 0;
      break;
    }
  }
  if (f != stdin)
    fclose(f);
  if (err) {
    free(buf);
    return err == ENOMEM ? cli_failf(ctx, CLI_INTERNAL, "out of memory reading %s", path)
                         : cli_failf(ctx, CLI_IO, "cannot read %s", path);
  }
  buf[len] = '\0';
  *out = buf;
  return CLI_OK;
}
