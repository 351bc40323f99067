/*
 * cbc, the command-line front end of libcbc: what every subcommand shares.
 *
 * The tool is thin: every rule lives in the library and is reached through
 * the public API (<cbc.h>).  This file gives the subcommands one way to
 * parse options, name things (units, employees, times, periods, enum
 * values), open the database, print results as text or JSON, and turn a
 * library return code into an exit status (docs/cli.md).
 */
#ifndef CBC_CLI_H
#define CBC_CLI_H

#include <cbc.h>
#include <jansson.h>
#include <stdio.h>

/** Exit statuses: one per class of library error (docs/cli.md). */
enum cli_exit {
  CLI_OK = 0,
  CLI_FINDINGS = 1,  /* cbc check found problems, cbc history verify a fault */
  CLI_USAGE = 2,     /* bad command line */
  CLI_NOTFOUND = 3,  /* CBC_ENOTFOUND */
  CLI_INVALID = 4,   /* CBC_EINVAL */
  CLI_PERM = 5,      /* CBC_EPERM */
  CLI_STATE = 6,     /* CBC_ESTATE */
  CLI_CONFLICT = 7,  /* CBC_ECONFLICT */
  CLI_BUSY = 8,      /* CBC_EBUSY */
  CLI_IO = 9,        /* CBC_EIO, CBC_ECORRUPT, CBC_EVERSION, a file the tool writes */
  CLI_INTERNAL = 10  /* CBC_ENOMEM and anything unexpected */
};

/** What one run of the tool carries from the command line to the calls. */
typedef struct cli_ctx {
  const char *prog;     /* "cbc" */
  const char *command;  /* "hazard report", for messages */
  const char *usage;    /* the running command's usage text */
  int json;             /* --json: one JSON document on stdout */
  int quiet;            /* --quiet: no progress, no chatter */
  const char *as;       /* --as EMPLOYEE (external id) */
  const char *now;      /* --now TIME: the clock of this run (tests, back-filling) */
  int64_t now_value;    /* parsed --now; 0 = the system clock */
  cbc_db *db;           /* the open database */
} cli_ctx;

/** A subcommand: runs with argv[0] = its own name. */
typedef int (*cli_fn)(cli_ctx *ctx, int argc, char **argv);

typedef struct cli_command {
  const char *name;
  cli_fn run;
  const char *summary;
} cli_command;

/** Run the subcommand argv[1] of @p table (argv[0] is the group's name). */
int cli_dispatch(cli_ctx *ctx, const char *group, const char *summary,
                 const cli_command *table, int argc, char **argv);

/* ------------------------------------------------------------------ */
/* Options.  Every command accepts --help, --json, --quiet and --now.  */

typedef enum cli_opt_kind {
  CLI_FLAG,    /* int *: set to 1 */
  CLI_STRING,  /* const char **: the value */
  CLI_LIST     /* cli_list *: values collected in order */
} cli_opt_kind;

typedef struct cli_list {
  const char *items[64];
  int count;
} cli_list;

typedef struct cli_opt {
  const char *name; /* "--state" */
  cli_opt_kind kind;
  void *dest;
} cli_opt;

/**
 * Parse argv (argv[0] is the command's name) against @p opts (ended by a
 * {NULL} entry; may be NULL).  Positional arguments go to @p pos in order;
 * there must be between @p min_pos and @p max_pos of them.
 * @return CLI_OK; CLI_USAGE (message and usage on stderr); -1 when --help
 *         printed the usage (the caller returns CLI_OK)
 */
int cli_parse(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc, char **argv,
              const char **pos, int min_pos, int max_pos);

/** Report a usage error ("cbc hazard report: MESSAGE") and return CLI_USAGE. */
int cli_usage_error(cli_ctx *ctx, const char *fmt, ...);

/* ------------------------------------------------------------------ */
/* The library's errors.                                               */

/** The exit status for a library return code. */
int cli_exit_for(int rc);

/** Print the library's last error on stderr ("cbc: not found: MESSAGE")
 * and return the exit status for @p rc. */
int cli_fail(cli_ctx *ctx, int rc);

/** Like cli_fail() for an error the tool itself detected. */
int cli_failf(cli_ctx *ctx, int status, const char *fmt, ...);

/* ------------------------------------------------------------------ */
/* The database and the names of things.                               */

/** Open @p path: it must exist and be a libcbc database unless @p create.
 * Sets ctx->db.  @return CLI_OK or an exit status (message printed). */
int cli_open(cli_ctx *ctx, const char *path, int create);

/** Close ctx->db (accepts none). */
void cli_close(cli_ctx *ctx);

/** What @p path holds, seen through a read-only open that creates nothing
 * (a file or a server's database alike): 0 when it is a libcbc database of
 * the current schema (*out is then the read-only handle, closed by the
 * caller, unless @p out is NULL), else the library's code: CBC_ENOTFOUND
 * when there is no file at @p path, or no libcbc tables in the server's
 * database; CBC_ESTATE when it is a libcbc database below the current
 * schema.  Prints nothing. */
int cli_probe(const char *path, cbc_db **out);

/** A unit by external id or by path ("ROOT/CHILD/..." of external ids or
 * names from a root).  @return CLI_OK or an exit status (message printed). */
int cli_unit(cli_ctx *ctx, const char *text, int64_t *out);

/** An employee by external id. */
int cli_employee(cli_ctx *ctx, const char *text, int64_t *out);

/** The actor named by --as; required.  */
int cli_actor(cli_ctx *ctx, int64_t *out);

/** A time: "now", "@SECONDS", "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (also
 * with 'T') in the database's UTC offset, or "+N[dhm]" from now.  With
 * @p end_of_day a bare date means its last second (deadlines). */
int cli_time(cli_ctx *ctx, const char *text, int end_of_day, int64_t *out);

/** A period: 2026-11, 2026-Q4, 2026, 2026-11-01..2026-11-15. */
int cli_period(cli_ctx *ctx, const char *text, cbc_period *out);

/** An enum value by its name or Chinese label. */
int cli_enum(cli_ctx *ctx, cbc_enum_type type, const char *text, int *out);

/** An integer in [min, max]. */
int cli_int(cli_ctx *ctx, const char *what, const char *text, int64_t min, int64_t max,
            int64_t *out);

/** An amount of money in yuan ("1200", "1200.50") as fen. */
int cli_money(cli_ctx *ctx, const char *what, const char *text, int64_t *out);

/** A file's whole content (NUL-terminated), or "-" for stdin; free(). */
int cli_read_file(cli_ctx *ctx, const char *path, char **out);

/* ------------------------------------------------------------------ */
/* Output.                                                             */

/** Print a JSON document (takes the reference) and a newline; CLI_OK or CLI_IO. */
int cli_print_json(json_t *doc);

/** Write a JSON document (takes the reference) and a newline to @p out;
 * CLI_OK, CLI_IO, or CLI_INTERNAL for a NULL document (out of memory). */
int cli_write_json(json_t *doc, FILE *out);

/* Writing output (cli_file.c) to stdout (@p path NULL) or to @p path
 * replaced whole once complete: never a partial file, nothing written when
 * the writer fails.  cli_write_stream hands the writer a stream;
 * cli_write_named a temporary file's name (for libraries that open files
 * themselves), copied to stdout when @p path is NULL.  Each returns CLI_OK
 * or an exit status (message printed). */
typedef int (*cli_stream_fn)(cli_ctx *ctx, FILE *out, const void *arg);
typedef int (*cli_named_fn)(cli_ctx *ctx, const char *tmp_path, const void *arg);
int cli_write_stream(cli_ctx *ctx, const char *path, cli_stream_fn write, const void *arg);
int cli_write_named(cli_ctx *ctx, const char *path, cli_named_fn write, const void *arg);

/** A time for people, in the database's offset, to the minute
 * ("2026-11-05 09:30", a form cli_time() reads back); "" for 0.  Returns buf. */
const char *cli_time_text(cli_ctx *ctx, int64_t t, char buf[40]);

/** A time as ISO 8601 in the database's offset ("2026-11-05T09:30:00+08:00"),
 * for JSON.  Returns buf. */
const char *cli_time_iso(cli_ctx *ctx, int64_t t, char buf[40]);

/** JSON for a time: the ISO string, or null for 0. */
json_t *cli_json_time(cli_ctx *ctx, int64_t t);

/** JSON for an enum value: its stable name, or null for 0. */
json_t *cli_json_enum(cbc_enum_type type, int value);

/** A string or null. */
json_t *cli_json_str(const char *s);

/** The external id of a unit / employee (NULL when 0 or unknown); into buf. */
const char *cli_unit_ext(cli_ctx *ctx, int64_t id, char *buf, size_t size);
const char *cli_employee_ext(cli_ctx *ctx, int64_t id, char *buf, size_t size);

/** JSON for a reference to a unit or an employee: {"id","external_id","name"}
 * or null for 0. */
json_t *cli_json_unit_ref(cli_ctx *ctx, int64_t id);
json_t *cli_json_employee_ref(cli_ctx *ctx, int64_t id);

/** A text table: columns padded by display width (CJK counts 2). */
typedef struct cli_table cli_table;
cli_table *cli_table_new(int columns, const char *const *headings);
/** Add a row of @p columns strings (copied). */
int cli_table_row(cli_table *t, const char *const *cells);
/** Print and free. */
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/** The display width of a UTF-8 string (CJK wide characters count 2). */
size_t cli_display_width(const char *s);

#endif
