/* cbc: what the activity commands (training, drill, assign, visit, proposal)
 * share — lists of people and units from options and files, the listing
 * options, voiding, and printing records (cmd_activity.c). */
#ifndef CBC_CLI_ACTIVITY_H
#define CBC_CLI_ACTIVITY_H

#include "cli.h"

#define ACT_OPTS_END {NULL, CLI_FLAG, NULL}

/* ------------------------------------------------------------------ */
/* Lists of ids from repeated options and from files.                  */

/* Ids (and, for attendees, whether each passed), growing as read. */
typedef struct act_ids {
  int64_t *ids;
  int *passed; /* NULL unless the list carries passed marks */
  size_t count, cap;
} act_ids;

void act_ids_free(act_ids *l);

/* Append one id (CLI_INTERNAL when out of memory). */
int act_ids_push(cli_ctx *ctx, act_ids *l, int64_t id, int passed);

/* Training attendees: each --attendee (passed), each --failed (attended
 * without passing), then each line of the file ("ID" or "ID,passed|failed";
 * blank lines and lines starting with '#' are skipped).  Unknown employees
 * are CLI_NOTFOUND naming the file and line. */
int act_read_attendees(cli_ctx *ctx, const cli_list *passed, const cli_list *failed,
                       const char *file, act_ids *out);

/* Units (drill teams) from repeated options and a file, one a line. */
int act_read_units(cli_ctx *ctx, const cli_list *given, const char *file, act_ids *out);

/* A long text from an option or a file ("-" for stdin); at most one of the
 * two.  *out points to the option's value or to *buf (free()). */
int act_text(cli_ctx *ctx, const char *what, const char *text, const char *file,
             const char **out, char **buf);

/* ------------------------------------------------------------------ */
/* Commands.                                                           */

/* DB and the record's id for show/void/decide/release: parse, open, read
 * the id.  Returns CLI_OK, an exit status, or -1 for --help. */
int act_open_record(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc,
                    char **argv, int64_t *id);

/* Parse a command whose one positional argument is DB (adds, listings);
 * the caller checks its required options, then opens *db. */
int act_parse_db(cli_ctx *ctx, const char *usage, const cli_opt *opts, int argc, char **argv,
                 const char **db);

/* After an add: the new id (text: the number; --json: {"id": N}).  By
 * pointer: read after @p rc's call has stored it. */
int act_added(cli_ctx *ctx, int rc, const int64_t *id);

/* Print one record (show; --json after a move). */
typedef int (*act_print_fn)(cli_ctx *ctx, int64_t id);

/* After a move on record @p id (void, decide, release): --json prints the
 * record as it now is; text one line ("training 3: voided") unless --quiet. */
int act_moved(cli_ctx *ctx, int rc, int64_t id, act_print_fn print, const char *what,
              const char *done);

/* ------------------------------------------------------------------ */
/* Listings and voiding, the same for every kind of record.            */

/* One kind of record as a listing sees it: its iterator behind void
 * pointers (ACT_ITER_ADAPTERS writes the three adapters), its JSON and its
 * table row. */
typedef struct act_kind {
  cbc_activity_kind kind;
  const char *what;   /* "training", for messages: "training 3: voided" */
  const char *plural; /* the listing's JSON key: "trainings" */
  int columns;
  const char *const *headings; /* the text table's, 作废 last */
  int (*iter_new)(void **it, cbc_db *db, const cbc_activity_filter *filter);
  int (*iter_next)(const void **row, void *it);
  void (*iter_free)(void *it);
  json_t *(*row_json)(cli_ctx *ctx, const void *row);
  int (*row_cells)(cli_ctx *ctx, const void *row, cli_table *t);
  act_print_fn print; /* show one record */
} act_kind;

/* name##_iter_new/_next/_free adapters over cbc_<T>_iter and name##_row_json
 * over json_fn for act_kind. */
#define ACT_ITER_ADAPTERS(name, iter_type, row_type, new_fn, next_fn, free_fn, json_fn) \
  static int name##_iter_new(void **it, cbc_db *db, const cbc_activity_filter *f) \
  { \
    iter_type *i = NULL; \
    int rc = new_fn(&i, db, f); \
    *it = i; \
    return rc; \
  } \
  static int name##_iter_next(const void **row, void *it) \
  { \
    const row_type *r = NULL; \
    int rc = next_fn(&r, it); \
    *row = r; \
    return rc; \
  } \
  static void name##_iter_free(void *it) { free_fn(it); } \
  static json_t *name##_row_json(cli_ctx *ctx, const void *row) { return json_fn(ctx, row); }

/* name##_print(ctx, id), an act_print_fn: look the record up, print it as
 * JSON (json_fn) or text (text_fn), free it. */
#define ACT_PRINTER(name, type, lookup_fn, free_fn, json_fn, text_fn) \
  static int name##_print(cli_ctx *ctx, int64_t id) \
  { \
    type *r = NULL; \
    int rc = lookup_fn(&r, ctx->db, id); \
    if (rc != 0) \
      return cli_fail(ctx, rc); \
    if (ctx->json) \
      rc = cli_print_json(json_fn(ctx, r)); \
    else \
      text_fn(ctx, r); \
    free_fn(r); \
    return rc; \
  }

/* cbc KIND show DB ID. */
int act_show(cli_ctx *ctx, act_print_fn print, const char *usage, int argc, char **argv);

/* cbc KIND list DB [--unit UNIT] [--period PERIOD] [--with-voided]. */
int act_list(cli_ctx *ctx, const act_kind *k, const char *usage, int argc, char **argv);

/* cbc KIND void DB ID --reason TEXT --as EMPLOYEE. */
int act_void(cli_ctx *ctx, const act_kind *k, const char *usage, int argc, char **argv);

/* The usage text of 'cbc KIND list' and 'cbc KIND void', from pieces. */
#define ACT_LIST_OPTIONS_HELP(plural) \
  "  --unit UNIT      only records of this unit's subtree (external id or path)\n" \
  "  --period PERIOD  only records in the period: 2026-11, 2026-Q4, 2026 or\n" \
  "                   2026-11-01..2026-11-15\n" \
  "  --with-voided    voided records too (left out by default)\n" \
  "  --json           {\"unit\", \"period\", \"with_voided\", \"count\", \"" plural "\": [...]}\n"
#define ACT_VOID_OPTIONS_HELP \
  "  --reason TEXT    why it is voided (required)\n" \
  "  --as EMPLOYEE    who voids it (docs/activities.md, \"Voiding\")\n"

/* ------------------------------------------------------------------ */
/* Output.                                                             */

/* "2026-11-05 09:30" in the database's offset; "" for 0. */
const char *act_time_short(cli_ctx *ctx, int64_t t, char buf[40]);

/* "E1 济钢二厂" / "A1 王芳"; "" for 0. */
const char *act_unit_text(cli_ctx *ctx, int64_t id, char *buf, size_t size);
const char *act_employee_text(cli_ctx *ctx, int64_t id, char *buf, size_t size);

/* Add the voided_at, voided_by and void_reason members (null while the
 * record stands). */
int act_json_voided(cli_ctx *ctx, json_t *obj, int64_t at, int64_t by, const char *reason);

/* A "label: value" line of a record shown as text, labels aligned. */
void act_field(const char *label, const char *value);
void act_field_time(cli_ctx *ctx, const char *label, int64_t t);
void act_field_unit(cli_ctx *ctx, const char *label, int64_t id);
void act_field_employee(cli_ctx *ctx, const char *label, int64_t id);
void act_field_int(const char *label, long long v);
void act_field_voided(cli_ctx *ctx, int64_t at, int64_t by, const char *reason);

/* The first line of a long text, cut to about 40 columns ("…" when cut):
 * a table cell. */
const char *act_excerpt(const char *text, char *buf, size_t size);

/* The text of the voided column of a listing: "已作废" or "". */
const char *act_voided_cell(int64_t voided_at);

#endif
