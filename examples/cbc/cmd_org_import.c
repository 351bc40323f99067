/* cbc org import: HR files into the organisation, with a progress display. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_org.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char import_usage[] =
  "usage: cbc org import DB UNITS EMPLOYEES [--full|--incremental] [--strict]\n"
  "                      [--encoding ENC] [--map COLUMN=FIELD]... [--format FORMAT]\n"
  "                      [--at TIME] [--request-key KEY] [--quiet] [--json]\n"
  "\n"
  "Import the organisation from the files an HR system exports: UNITS (the org\n"
  "units) and EMPLOYEES, CSV, TSV or JSON, in one transaction.  Give - for a\n"
  "file you do not send (a units-only or employees-only import).  Columns are\n"
  "matched by name, also the Chinese headers HR systems write (工号, 姓名, 部门,\n"
  "入职日期, ...; docs/integration.md, \"Columns\").  Valid rows apply and each\n"
  "invalid row is reported on stderr; the exit status is then still 0.  A file\n"
  "whose every row is rejected changes nothing and fails.  On a terminal a\n"
  "progress line shows rows, rate and time left; otherwise a plain line is\n"
  "printed every 5 seconds or 10%.  The summary (added, updated, unchanged,\n"
  "deactivated) goes to stdout.\n"
  "\n"
  "options:\n"
  "  --full             the files are everything: active employees absent from\n"
  "                     them leave and open units absent from them close\n"
  "  --incremental      only the rows given change (the default)\n"
  "  --strict           any invalid row, or a column that is no field, fails the\n"
  "                     whole import and changes nothing\n"
  "  --encoding ENC     the files' encoding: auto (UTF-8, else GB18030; the\n"
  "                     default), utf-8, gbk, gb18030, utf-16, ...\n"
  "  --map COLUMN=FIELD the column COLUMN holds FIELD (e.g. --map 员工编码=external_id);\n"
  "                     COLUMN= ignores a column; repeatable\n"
  "  --format FORMAT    auto (by the file name; the default), csv, tsv or json\n"
  "  --at TIME          when transfers and departures took effect (default now)\n"
  "  --request-key KEY  makes the import safe to retry: the same key and files\n"
  "                     answer the first import's counts and change nothing\n"
  "  --quiet            no progress and no summary (row errors still go to stderr)\n"
  "  --json             the result as one JSON document: counts per kind,\n"
  "                     errors, warnings\n";

/* ------------------------------------------------------------------ */
/* Progress: a redrawn line on a terminal, plain lines otherwise.      */

#define REDRAW_SECONDS 0.1 /* at most ten redraws a second */
#define PLAIN_SECONDS 5.0  /* a plain line at least this often ... */
#define PLAIN_STEP 10      /* ... or every this many percent */

typedef struct progress_bar {
  int tty;                   /* stderr is a terminal: redraw one line */
  const char *paths[3];      /* by cbc_record_kind */
  uint64_t sizes[3];         /* the files' sizes, by cbc_record_kind */
  size_t rows[3];            /* rows read, by cbc_record_kind */
  uint64_t total;            /* both files' bytes */
  double start, last;        /* monotonic seconds: the start, the last line */
  int last_step;             /* plain: the last PLAIN_STEP printed */
  int drawn;                 /* tty: a line is on screen */
} progress_bar;

static double monotonic_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t file_size(const char *path)
{
  struct stat st;
  return path && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void progress_start(progress_bar *bar, const char *units, const char *employees)
{
  memset(bar, 0, sizeof *bar);
  bar->tty = isatty(STDERR_FILENO);
  bar->paths[CBC_RECORD_UNIT] = units;
  bar->paths[CBC_RECORD_EMPLOYEE] = employees;
  bar->sizes[CBC_RECORD_UNIT] = file_size(units);
  bar->sizes[CBC_RECORD_EMPLOYEE] = file_size(employees);
  bar->total = bar->sizes[CBC_RECORD_UNIT] + bar->sizes[CBC_RECORD_EMPLOYEE];
  bar->start = bar->last = monotonic_seconds();
  bar->last_step = -1;
}

/* The bytes of both files read so far: the units file comes first. */
static uint64_t bytes_done(const progress_bar *bar, const cbc_import_progress *p)
{
  return p->bytes + (p->record == CBC_RECORD_EMPLOYEE ? bar->sizes[CBC_RECORD_UNIT] : 0);
}

/* "employees.csv: 120000 rows, 45000 rows/s, 63%, 2s left": the rows of the
 * file being read; the rate over both files; the share of both files' bytes
 * read and the time left at the rate so far. */
static void progress_text(const progress_bar *bar, const cbc_import_progress *p, double now,
                          char *buf, size_t size)
{
  double elapsed = now - bar->start > 1e-6 ? now - bar->start : 1e-6;
  size_t rows = bar->rows[CBC_RECORD_UNIT] + bar->rows[CBC_RECORD_EMPLOYEE];
  uint64_t done = bytes_done(bar, p);
  int n = snprintf(buf, size, "%s: %zu rows, %.0f rows/s", bar->paths[p->record], p->rows,
                   (double)rows / elapsed);
  if (bar->total > 0 && done <= bar->total && n > 0 && (size_t)n < size) {
    double left = done ? elapsed * (double)(bar->total - done) / (double)done : 0;
    snprintf(buf + n, size - (size_t)n, ", %d%%, %.0fs left",
             (int)(done * 100 / bar->total), left);
  }
}

static int progress_cb(const cbc_import_progress *p, void *payload)
{
  progress_bar *bar = payload;
  if (p->record != CBC_RECORD_UNIT && p->record != CBC_RECORD_EMPLOYEE)
    return 0;
  bar->rows[p->record] = p->rows;
  double now = monotonic_seconds();
  int file_end = p->bytes >= p->total_bytes;
  int step = bar->total ? (int)(bytes_done(bar, p) * 100 / bar->total) / PLAIN_STEP : 0;
  char line[512];
  if (bar->tty) {
    if (!file_end && now - bar->last < REDRAW_SECONDS)
      return 0;
    progress_text(bar, p, now, line, sizeof line);
    fprintf(stderr, "\r%s\033[K", line);
    bar->drawn = 1;
  } else {
    if (now - bar->last < PLAIN_SECONDS && step <= bar->last_step)
      return 0;
    progress_text(bar, p, now, line, sizeof line);
    fprintf(stderr, "cbc org import: %s\n", line);
    bar->last_step = step;
  }
  fflush(stderr);
  bar->last = now;
  return 0;
}

static void progress_end(progress_bar *bar)
{
  if (bar->drawn)
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* The result.                                                         */

static const char *record_path(const char *const paths[3], cbc_record_kind kind)
{
  return kind == CBC_RECORD_UNIT || kind == CBC_RECORD_EMPLOYEE ? paths[kind] : "";
}

static json_t *counts_json(const cbc_sync_counts *c, const char *gone)
{
  return json_pack("{s:I,s:I,s:I,s:I,s:I}", "added", (json_int_t)c->added, "updated",
                   (json_int_t)c->updated, "moved", (json_int_t)c->moved, "unchanged",
                   (json_int_t)c->unchanged, gone, (json_int_t)c->deactivated);
}

static json_t *errors_json(const cbc_sync_result *r, const char *const paths[3])
{
  json_t *list = json_array();
  for (size_t i = 0; list && i < r->errors_kept; i++) {
    const cbc_sync_row_error *e = &r->errors[i];
    json_array_append_new(
      list, json_pack("{s:o,s:s,s:I,s:s,s:s,s:s}", "record",
                      cli_json_enum(CBC_ENUM_RECORD_KIND, (int)e->record), "file",
                      record_path(paths, e->record), "row", (json_int_t)e->row,
                      "external_id", e->external_id, "code", cbc_error_name(e->code),
                      "message", e->message));
  }
  return list;
}

static json_t *warnings_json(const cbc_sync_result *r, const char *const paths[3])
{
  json_t *list = json_array();
  for (size_t i = 0; list && i < r->warnings_kept; i++) {
    const cbc_sync_warning *w = &r->warnings[i];
    json_array_append_new(
      list, json_pack("{s:o,s:s,s:s,s:s}", "record",
                      cli_json_enum(CBC_ENUM_RECORD_KIND, (int)w->record), "file",
                      record_path(paths, w->record), "column", w->column, "message",
                      w->message));
  }
  return list;
}

static int print_result_json(const cbc_sync_result *r, const char *const paths[3], int full)
{
  return cli_print_json(json_pack(
    "{s:b,s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:I,s:o}", "applied", r->applied, "mode",
    full ? "full" : "incremental", "units_file", cli_json_str(paths[CBC_RECORD_UNIT]),
    "employees_file", cli_json_str(paths[CBC_RECORD_EMPLOYEE]), "units",
    counts_json(&r->units, "closed"), "employees", counts_json(&r->employees, "deactivated"),
    "error_count", (json_int_t)r->error_count, "errors", errors_json(r, paths),
    "warning_count", (json_int_t)r->warning_count, "warnings", warnings_json(r, paths)));
}

static void print_counts(const char *what, const cbc_sync_counts *c, const char *gone)
{
  printf("%-10s %zu added, %zu updated (%zu moved), %zu unchanged, %zu %s\n", what, c->added,
         c->updated, c->moved, c->unchanged, c->deactivated, gone);
}

/* Row errors and warnings: diagnostics, on stderr even under --quiet. */
static void print_problems(cli_ctx *ctx, const cbc_sync_result *r, const char *const paths[3])
{
  for (size_t i = 0; i < r->warnings_kept; i++)
    fprintf(stderr, "%s %s: warning: %s\n", ctx->prog, ctx->command, r->warnings[i].message);
  for (size_t i = 0; i < r->errors_kept; i++) {
    const cbc_sync_row_error *e = &r->errors[i];
    fprintf(stderr, "%s %s: %s row %zu%s%s%s: %s\n", ctx->prog, ctx->command,
            record_path(paths, e->record), e->row, e->external_id[0] ? " (" : "",
            e->external_id, e->external_id[0] ? ")" : "", e->message);
  }
  if (r->error_count > r->errors_kept)
    fprintf(stderr, "%s %s: ... and %zu more rejected rows\n", ctx->prog, ctx->command,
            r->error_count - r->errors_kept);
}

static int report(cli_ctx *ctx, int rc, const cbc_sync_result *r, const char *const paths[3],
                  int full)
{
  int status = rc ? cli_fail(ctx, rc) : CLI_OK; /* first: the library's message is fresh */
  if (!r)
    return status;
  print_problems(ctx, r, paths);
  if (rc == 0 && r->error_count)
    fprintf(stderr, "%s %s: applied, but %zu row%s rejected\n", ctx->prog, ctx->command,
            r->error_count, r->error_count == 1 ? " was" : "s were");
  if (ctx->json) {
    int out = print_result_json(r, paths, full);
    return status ? status : out;
  }
  if (rc == 0 && !ctx->quiet) {
    print_counts("units:", &r->units, "closed");
    print_counts("employees:", &r->employees, "deactivated");
  }
  return status;
}

/* ------------------------------------------------------------------ */
/* The command.                                                        */

typedef struct import_args {
  int full, incremental, strict;
  const char *encoding, *format, *at, *request_key;
  cli_list maps;
  const char *map[sizeof(((cli_list *)0)->items) / sizeof(char *) + 1];
} import_args;

static int parse_format(cli_ctx *ctx, const char *text, cbc_file_format *out)
{
  static const struct { const char *name; cbc_file_format format; } formats[] = {
    {"auto", CBC_FORMAT_AUTO}, {"csv", CBC_FORMAT_CSV}, {"json", CBC_FORMAT_JSON},
    {"tsv", CBC_FORMAT_TSV},
  };
  *out = CBC_FORMAT_AUTO;
  for (size_t i = 0; text && i < sizeof formats / sizeof formats[0]; i++)
    if (strcmp(text, formats[i].name) == 0)
      return *out = formats[i].format, CLI_OK;
  return text ? cli_failf(ctx, CLI_INVALID, "--format must be auto, csv, tsv or json, not '%s'",
                          text)
              : CLI_OK;
}

/* The library's options from the command line (the database is open). */
static int sync_options(cli_ctx *ctx, import_args *a, cbc_sync_options *o)
{
  cbc_sync_options defaults = CBC_SYNC_OPTIONS_INIT;
  *o = defaults;
  o->mode = a->full ? CBC_SYNC_FULL : CBC_SYNC_INCREMENTAL;
  o->flags = a->strict ? CBC_SYNC_STRICT : 0;
  o->encoding = a->encoding;
  o->request_key = a->request_key;
  if (a->maps.count) {
    memcpy(a->map, a->maps.items, (size_t)a->maps.count * sizeof a->map[0]);
    a->map[a->maps.count] = NULL;
    o->column_map = a->map;
  }
  return a->at ? cli_time(ctx, a->at, 0, &o->effective_at) : CLI_OK;
}

static const char *file_arg(const char *arg)
{
  return strcmp(arg, "-") == 0 ? NULL : arg;
}

int org_import(cli_ctx *ctx, int argc, char **argv)
{
  import_args a;
  memset(&a, 0, sizeof a);
  const cli_opt opts[] = {
    {"--full", CLI_FLAG, &a.full}, {"--incremental", CLI_FLAG, &a.incremental},
    {"--strict", CLI_FLAG, &a.strict}, {"--encoding", CLI_STRING, &a.encoding},
    {"--map", CLI_LIST, &a.maps}, {"--format", CLI_STRING, &a.format},
    {"--at", CLI_STRING, &a.at}, {"--request-key", CLI_STRING, &a.request_key},
    {NULL, CLI_FLAG, NULL},
  };
  const char *pos[3];
  cbc_file_format format;
  cbc_sync_options o;
  int rc = cli_parse(ctx, import_usage, opts, argc, argv, pos, 3, 3);
  if (rc != CLI_OK)
    return rc;
  if (a.full && a.incremental)
    return cli_usage_error(ctx, "--full and --incremental exclude each other");
  const char *paths[3] = {NULL, file_arg(pos[1]), file_arg(pos[2])};
  if (!paths[CBC_RECORD_UNIT] && !paths[CBC_RECORD_EMPLOYEE])
    return cli_usage_error(ctx, "no file to import (both are -)");
  if ((rc = parse_format(ctx, a.format, &format)) != CLI_OK ||
      (rc = cli_open(ctx, pos[0], 0)) != CLI_OK || (rc = sync_options(ctx, &a, &o)) != CLI_OK)
    return rc;
  progress_bar bar;
  cbc_sync_result *result = NULL;
  progress_start(&bar, paths[CBC_RECORD_UNIT], paths[CBC_RECORD_EMPLOYEE]);
  rc = cbc_org_import(&result, ctx->db, paths[CBC_RECORD_UNIT], paths[CBC_RECORD_EMPLOYEE],
                      format, &o, ctx->quiet ? NULL : progress_cb, &bar);
  progress_end(&bar);
  int status = report(ctx, rc, result, paths, a.full);
  cbc_sync_result_free(result);
  return status;
}
