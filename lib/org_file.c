/* cbc_org_import(): HR export files (CSV or JSON) streamed into the sync
 * engine in chunks, in one transaction. */
#include "calendar.h"
#include "org_file.h"
#include "org_sync.h"
#include "request.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const unit_names[] = { "external_id", "name", "kind", "parent_external_id",
                                          "industry", "high_risk" };
enum { E_EXT, E_NAME, E_POST, E_UNIT, E_ROLES, E_ACTIVE, E_HIRE };
static const char *const employee_names[] = { "external_id", "name", "post", "unit_external_id",
                                              "roles", "active", "hire_date" };
static const cbc__file_columns unit_columns = { unit_names, 6, 0x7 }; /* the first three */
static const cbc__file_columns employee_columns = { employee_names, 7, (1u << E_EXT) |
                                                    (1u << E_NAME) | (1u << E_UNIT) };
enum { UC_EXT = 0, UC_NAME = 1, UC_KIND = 2, UC_PARENT = 3, UC_INDUSTRY = 4, UC_HIGH_RISK = 5 };

#define CHUNK 4096
#define PROGRESS_EVERY 10000

int cbc__file_column(const cbc__file_columns *columns, const char *name, size_t len)
{
  for (size_t i = 0; i < columns->n; i++)
    if (strlen(columns->names[i]) == len && memcmp(columns->names[i], name, len) == 0)
      return (int)i;
  return -1;
}

int cbc__file_skip_bom(FILE *file, const char *path)
{
  int a = getc(file);
  if (a != 0xEF) {
    if (a != EOF)
      ungetc(a, file);
    return 0;
  }
  int b = getc(file), c = getc(file);
  if (b == 0xBB && c == 0xBF)
    return 0;
  return cbc__error(CBC_EINVAL, "%s: starts with a byte 0xEF that is not a UTF-8 BOM", path);
}

/* ------------------------------------------------------------ strings */

/* Copies of a chunk's strings, freed together. */
typedef struct arena {
  char **blocks;
  size_t n, cap;
} arena;

static const char *arena_dup(arena *a, const char *s)
{
  if (!s)
    return NULL;
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 64;
    char **b = cbc__realloc(a->blocks, cap * sizeof(char *));
    if (!b)
      return NULL;
    a->blocks = b;
    a->cap = cap;
  }
  char *copy = cbc__strdup(s);
  if (copy)
    a->blocks[a->n++] = copy;
  return copy;
}

static void arena_reset(arena *a)
{
  for (size_t i = 0; i < a->n; i++)
    cbc__free(a->blocks[i]);
  a->n = 0;
}

static void arena_free(arena *a)
{
  arena_reset(a);
  cbc__free(a->blocks);
}

/* Copy every non-NULL value of a row; false when out of memory. */
static bool keep_values(arena *a, cbc__file_row *row, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (row->values[i] && !(row->values[i] = arena_dup(a, row->values[i])))
      return false;
  return true;
}

/* ------------------------------------------------------------- values */

static int parse_bool(const char *v, int dflt, int *out)
{
  if (!v || !*v)
    *out = dflt;
  else if (!strcmp(v, "1") || !strcasecmp(v, "true"))
    *out = 1;
  else if (!strcmp(v, "0") || !strcasecmp(v, "false"))
    *out = 0;
  else
    return cbc__error(CBC_EINVAL, "'%s' is not 0, 1, true or false", v);
  return 0;
}

static int parse_kind(const char *v, cbc_unit_kind *out)
{
  for (int k = CBC_UNIT_REGION; k <= CBC_UNIT_TEAM; k++)
    if (v && !strcmp(v, cbc_unit_kind_name((cbc_unit_kind)k))) {
      *out = (cbc_unit_kind)k;
      return 0;
    }
  return cbc__error(CBC_EINVAL, "unknown unit kind '%s'", v ? v : "");
}

/* YYYY-MM-DD at local midnight in the database's UTC offset; "" = 0. */
static int parse_date(const char *v, int utc_offset, int64_t *out)
{
  *out = 0;
  if (!v || !*v)
    return 0;
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  bool shape = strlen(v) == 10 && v[4] == '-' && v[7] == '-';
  for (int i = 0; shape && i < 10; i++)
    shape = i == 4 || i == 7 || (v[i] >= '0' && v[i] <= '9');
  int y = shape ? atoi(v) : 0, m = shape ? atoi(v + 5) : 0, d = shape ? atoi(v + 8) : 0;
  if (!shape || y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
      (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
    return cbc__error(CBC_EINVAL, "'%s' is not a date YYYY-MM-DD", v);
  *out = cbc__local_midnight(y, m, d, utc_offset);
  return 0;
}

static int to_unit(const cbc__file_row *row, cbc_unit_record *u)
{
  cbc_unit_record init = CBC_UNIT_RECORD_INIT;
  *u = init;
  u->external_id = row->values[UC_EXT];
  u->parent_external_id = row->values[UC_PARENT];
  u->name = row->values[UC_NAME];
  u->industry = row->values[UC_INDUSTRY];
  int rc = parse_kind(row->values[UC_KIND], &u->kind);
  return rc ? rc : parse_bool(row->values[UC_HIGH_RISK], 0, &u->high_risk);
}

static int to_employee(const cbc__file_row *row, int utc_offset, cbc_employee_record *e)
{
  cbc_employee_record init = CBC_EMPLOYEE_RECORD_INIT;
  *e = init;
  e->external_id = row->values[E_EXT];
  e->name = row->values[E_NAME];
  e->post = row->values[E_POST];
  e->unit_external_id = row->values[E_UNIT];
  int rc = cbc_roles_parse(&e->roles, row->values[E_ROLES] ? row->values[E_ROLES] : "");
  if (!rc)
    rc = parse_bool(row->values[E_ACTIVE], 1, &e->active);
  if (!rc)
    rc = parse_date(row->values[E_HIRE], utc_offset, &e->hire_date);
  return rc;
}

/* ------------------------------------------------------------- import */

typedef struct import_ctx {
  cbc__sync *sync;
  cbc_file_format format;
  cbc_import_progress_fn progress;
  void *payload;
  arena strings;
  int utc_offset;
} import_ctx;

typedef struct file_in {
  FILE *file;
  cbc__row_reader *reader;
  cbc_import_progress state;
} file_in;

static bool ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int file_format(const char *path, cbc_file_format format, cbc_file_format *out)
{
  if (format == CBC_FORMAT_CSV || format == CBC_FORMAT_JSON) {
    *out = format;
    return 0;
  }
  if (format != CBC_FORMAT_AUTO)
    return cbc__error(CBC_EINVAL, "unknown file format %d", (int)format);
  if (ends_with(path, ".csv"))
    *out = CBC_FORMAT_CSV;
  else if (ends_with(path, ".json"))
    *out = CBC_FORMAT_JSON;
  else
    return cbc__error(CBC_EINVAL, "%s: cannot tell the format from the name (.csv or .json)",
                      path);
  return 0;
}

static int file_open(file_in *in, const import_ctx *ctx, const char *path,
                     cbc_record_kind kind)
{
  cbc_file_format fmt;
  memset(in, 0, sizeof(*in));
  in->state.record = kind;
  int rc = file_format(path, ctx->format, &fmt);
  if (rc)
    return rc;
  in->file = fopen(path, "rb");
  if (!in->file)
    return cbc__error(errno == ENOENT ? CBC_ENOTFOUND : CBC_EIO, "%s: %s", path,
                      strerror(errno));
  struct stat st;
  if (fstat(fileno(in->file), &st) != 0 || S_ISDIR(st.st_mode))
    return cbc__error(CBC_EIO, "%s: not a readable file", path);
  in->state.total_bytes = (uint64_t)st.st_size;
  const cbc__file_columns *cols = kind == CBC_RECORD_UNIT ? &unit_columns : &employee_columns;
  return fmt == CBC_FORMAT_CSV ? cbc__csv_reader_new(&in->reader, in->file, path, cols)
                               : cbc__json_reader_new(&in->reader, in->file, path, cols);
}

static void file_close(file_in *in)
{
  if (in->reader)
    in->reader->free(in->reader);
  if (in->file)
    fclose(in->file);
}

/* Tell the host every PROGRESS_EVERY rows and at the end (@p force). */
static int progress(const import_ctx *ctx, file_in *in, bool force)
{
  if (!ctx->progress || (!force && in->state.rows % PROGRESS_EVERY != 0))
    return 0;
  long pos = ftell(in->file);
  in->state.bytes = pos > 0 ? (uint64_t)pos : in->state.bytes;
  int rc = ctx->progress(&in->state, ctx->payload);
  return rc ? cbc__error(rc, "the import was aborted by the progress callback (%d)", rc) : 0;
}

/* Read the next row, copying its strings; *got = false at the end. */
static int next_row(import_ctx *ctx, file_in *in, cbc__file_row *row, bool *got)
{
  *got = false;
  int rc = in->reader->next(in->reader, row);
  if (rc == CBC_ITEROVER)
    return progress(ctx, in, true);
  if (rc)
    return rc;
  in->state.rows++;
  if (!keep_values(&ctx->strings, row, CBC__FILE_MAX_COLUMNS))
    return cbc__error_oom();
  *got = true;
  return progress(ctx, in, false);
}

typedef struct batch {
  void *records;   /* cbc_unit_record[] or cbc_employee_record[] */
  size_t *rows;
  size_t n, cap, size;
} batch;

static void *batch_slot(batch *b, size_t row)
{
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    void *r = cbc__realloc(b->records, cap * b->size);
    size_t *rows = cbc__realloc(b->rows, cap * sizeof(size_t));
    if (r)
      b->records = r;
    if (rows)
      b->rows = rows;
    if (!r || !rows)
      return NULL;
    b->cap = cap;
  }
  b->rows[b->n] = row;
  return (char *)b->records + b->size * b->n++;
}

static void batch_free(batch *b)
{
  cbc__free(b->records);
  cbc__free(b->rows);
}

/* All units are read, then applied together (parents may come later). */
static int import_units(import_ctx *ctx, const char *path)
{
  file_in in;
  batch b = { NULL, NULL, 0, 0, sizeof(cbc_unit_record) };
  cbc__file_row row;
  bool got = true;
  int rc = file_open(&in, ctx, path, CBC_RECORD_UNIT);
  while (!rc && (rc = next_row(ctx, &in, &row, &got)) == 0 && got) {
    cbc_unit_record rec;
    if (to_unit(&row, &rec) != 0) {
      rc = cbc__sync_row_error(ctx->sync, CBC_RECORD_UNIT, in.state.rows, cbc_error_last()->code,
                               row.values[UC_EXT], "%s", cbc_error_last()->message);
      continue;
    }
    cbc_unit_record *slot = batch_slot(&b, in.state.rows);
    if (!slot)
      rc = cbc__error_oom();
    else
      *slot = rec;
  }
  if (!rc)
    rc = cbc__sync_units(ctx->sync, b.records, b.n, 0, b.rows);
  batch_free(&b);
  file_close(&in);
  return rc;
}

static int flush_employees(import_ctx *ctx, batch *b)
{
  int rc = cbc__sync_employees(ctx->sync, b->records, b->n, 0, b->rows);
  b->n = 0;
  arena_reset(&ctx->strings);
  return rc;
}

/* Employees are applied chunk by chunk, so memory stays flat. */
static int import_employees(import_ctx *ctx, const char *path)
{
  file_in in;
  batch b = { NULL, NULL, 0, 0, sizeof(cbc_employee_record) };
  cbc__file_row row;
  bool got = true;
  int rc = file_open(&in, ctx, path, CBC_RECORD_EMPLOYEE);
  while (!rc && (rc = next_row(ctx, &in, &row, &got)) == 0 && got) {
    cbc_employee_record rec;
    if (to_employee(&row, ctx->utc_offset, &rec) != 0) {
      rc = cbc__sync_row_error(ctx->sync, CBC_RECORD_EMPLOYEE, in.state.rows,
                               cbc_error_last()->code, row.values[E_EXT], "%s",
                               cbc_error_last()->message);
      continue;
    }
    cbc_employee_record *slot = batch_slot(&b, in.state.rows);
    if (!slot)
      rc = cbc__error_oom();
    else
      *slot = rec;
    if (!rc && b.n == CHUNK)
      rc = flush_employees(ctx, &b);
  }
  if (!rc && b.n)
    rc = flush_employees(ctx, &b);
  batch_free(&b);
  file_close(&in);
  return rc;
}

/* A keyed import's input is the bytes of its files (read once more for the
 * digest; a file changed in between is the host's race). */
static int digest_file(cbc__request *rq, const char *path)
{
  if (!rq->keyed)
    return 0;
  if (!path) {
    cbc__request_text(rq, NULL);
    return 0;
  }
  FILE *f = fopen(path, "rb");
  if (!f)
    return cbc__error(errno == ENOENT ? CBC_ENOTFOUND : CBC_EIO, "%s: %s", path,
                      strerror(errno));
  unsigned char buf[CHUNK];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    cbc__request_bytes(rq, buf, n);
  int rc = ferror(f) ? cbc__error(CBC_EIO, "%s: a read failed", path) : 0;
  fclose(f);
  return rc;
}

static int import_request(cbc__request *rq, const char *units_path, const char *employees_path,
                          cbc_file_format format, const cbc_sync_options *opts)
{
  int rc = cbc__sync_request_start(rq, CBC__REQ_ORG_IMPORT, opts);
  if (rc)
    return rc;
  cbc__request_int(rq, format);
  rc = digest_file(rq, units_path);
  if (!rc)
    rc = digest_file(rq, employees_path);
  cbc__request_end(rq);
  return rc;
}

CBC_EXTERN(int) cbc_org_import(cbc_sync_result **out, cbc_db *db, const char *units_path,
                               const char *employees_path, cbc_file_format format,
                               const cbc_sync_options *opts, cbc_import_progress_fn progress_fn,
                               void *payload)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  if (!units_path && !employees_path)
    return cbc__error(CBC_EINVAL, "invalid argument: no file to import");
  if (format != CBC_FORMAT_AUTO && format != CBC_FORMAT_CSV && format != CBC_FORMAT_JSON)
    return cbc__error(CBC_EINVAL, "unknown file format %d", (int)format);
  int rc = cbc__db_check_write(db); /* before reading any file */
  if (rc)
    return rc;
  import_ctx ctx = { NULL, format, progress_fn, payload, { NULL, 0, 0 }, cbc_db_utc_offset(db) };
  cbc__request rq;
  rc = import_request(&rq, units_path, employees_path, format, opts);
  if (!rc)
    rc = cbc__sync_begin_request(&ctx.sync, db, opts, &rq, out);
  if (rc || !ctx.sync) /* failed, or a retry answered with the first result */
    return rc;
  if (units_path)
    rc = import_units(&ctx, units_path);
  arena_reset(&ctx.strings);
  if (!rc && employees_path)
    rc = import_employees(&ctx, employees_path);
  rc = cbc__sync_finish(ctx.sync, out, rc);
  arena_free(&ctx.strings);
  return rc;
}
