/* cbc_org_import(): HR export files (CSV, TSV or JSON) streamed into the sync
 * engine in chunks, in one transaction. */
#include "org_file.h"
#include "org_sync.h"
#include "request.h"
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CHUNK 4096
#define PROGRESS_EVERY 10000

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

/* ------------------------------------------------------------- import */

typedef struct import_ctx {
  cbc__sync *sync;
  cbc_file_format format;
  cbc_import_progress_fn progress;
  void *payload;
  arena strings;
  int utc_offset;
  cbc_sync_options opts; /* the caller's, read whole */
} import_ctx;

typedef struct file_in {
  const import_ctx *ctx;
  const char *path;
  FILE *file;
  cbc__text_in *text;
  cbc__row_reader *reader;
  cbc__file_spec spec;
  cbc_import_progress state;
  size_t invalid_seen;     /* invalid byte sequences before the current row */
  bool bad_bytes;          /* the current row holds one */
  size_t errors_before, kept_before; /* the session's row errors when the file opened */
} file_in;

static bool ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static bool format_known(cbc_file_format format)
{
  return format == CBC_FORMAT_AUTO || format == CBC_FORMAT_CSV || format == CBC_FORMAT_JSON ||
         format == CBC_FORMAT_TSV;
}

/* The format, and for CSV/TSV the delimiter (0: the header shows it). */
static int file_format(const char *path, cbc_file_format format, cbc_file_format *out,
                       char *delimiter)
{
  *out = format;
  *delimiter = format == CBC_FORMAT_TSV ? '\t' : ',';
  if (format != CBC_FORMAT_AUTO)
    return 0;
  *out = CBC_FORMAT_CSV;
  if (ends_with(path, ".json"))
    *out = CBC_FORMAT_JSON;
  else if (ends_with(path, ".tsv") || ends_with(path, ".tab"))
    *delimiter = '\t';
  else if (ends_with(path, ".csv") || ends_with(path, ".txt"))
    *delimiter = 0;
  else if (ends_with(path, ".xlsx") || ends_with(path, ".xls"))
    return cbc__error(CBC_EINVAL, "%s: Excel workbooks are not read: save the sheet as CSV "
                      "or as tab-separated text", path);
  else
    return cbc__error(CBC_EINVAL, "%s: cannot tell the format from the name (.csv, .tsv, "
                      ".txt or .json)", path);
  return 0;
}

/* At most @p max bytes of @p s, ending between characters (for messages). */
static int utf8_prefix(const char *s, size_t max)
{
  size_t n = strlen(s);
  if (n <= max)
    return (int)n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
    max--;
  return (int)max;
}

static const char *file_kind(const file_in *in)
{
  return in->state.record == CBC_RECORD_UNIT ? "units" : "employees";
}

#define COLUMN_KEPT 256 /* bytes of a column's name a warning keeps */

/* A column that is no field: ignored with a warning, or refused when strict. */
static int unknown_column(void *payload, const char *column)
{
  file_in *in = payload;
  int n = utf8_prefix(column, 80);
  if (in->ctx->opts.flags & CBC_SYNC_STRICT)
    return cbc__error(CBC_EINVAL, "%s: the column '%.*s' is no field of the %s (strict mode "
                      "refuses it: map it to a field, or to nothing to ignore it)", in->path, n,
                      column, file_kind(in));
  char *kept = cbc__strndup(column, (size_t)utf8_prefix(column, COLUMN_KEPT));
  if (!kept)
    return cbc__error_oom();
  int rc = cbc__sync_warning(in->ctx->sync, in->state.record, kept,
                             "%s: the column '%.*s' is no field of the %s: ignored", in->path, n,
                             column, file_kind(in));
  cbc__free(kept);
  return rc;
}

static int file_open(file_in *in, const import_ctx *ctx, const char *path,
                     cbc_record_kind kind)
{
  cbc_file_format fmt;
  char delimiter;
  memset(in, 0, sizeof(*in));
  in->ctx = ctx;
  in->path = path;
  in->state.record = kind;
  const cbc_sync_result *so_far = cbc__sync_result_so_far(ctx->sync);
  in->errors_before = so_far->error_count;
  in->kept_before = so_far->errors_kept;
  int rc = file_format(path, ctx->format, &fmt, &delimiter);
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
  rc = cbc__text_open(&in->text, in->file, path, ctx->opts.encoding);
  if (rc)
    return rc;
  in->spec = (cbc__file_spec){ kind == CBC_RECORD_UNIT ? &cbc__unit_columns
                                                       : &cbc__employee_columns,
                               ctx->opts.column_map, unknown_column, in };
  return fmt == CBC_FORMAT_JSON ? cbc__json_reader_new(&in->reader, in->text, path, &in->spec)
                                : cbc__csv_reader_new(&in->reader, in->text, path, &in->spec,
                                                      delimiter);
}

static void file_close(file_in *in)
{
  if (in->reader)
    in->reader->free(in->reader);
  cbc__text_close(in->text);
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
  size_t invalid = cbc__text_invalid(in->text);
  in->bad_bytes = invalid != in->invalid_seen;
  in->invalid_seen = invalid;
  if (!keep_values(&ctx->strings, row, CBC__FILE_MAX_COLUMNS))
    return cbc__error_oom();
  *got = true;
  return progress(ctx, in, false);
}

/* The row as a unit or employee record; CBC_EINVAL naming what is wrong. */
static int to_record(const import_ctx *ctx, const file_in *in, const cbc__file_row *row,
                     void *rec)
{
  if (in->bad_bytes)
    return cbc__error(CBC_EINVAL, "a byte sequence that is no %s character",
                      cbc__text_encoding(in->text));
  return in->state.record == CBC_RECORD_UNIT
             ? cbc__file_to_unit(row, rec)
             : cbc__file_to_employee(row, ctx->utc_offset, rec);
}

/* Record the thread's error as the current row's. */
static int reject_row(import_ctx *ctx, const file_in *in, const char *ext)
{
  if (ext && !cbc__utf8_valid(ext, strlen(ext)))
    ext = NULL;
  return cbc__sync_row_error(ctx->sync, in->state.record, in->state.rows,
                             cbc_error_last()->code, ext, "%s", cbc_error_last()->message);
}

/* After a file: say which encoding was guessed; a file whose every row was
 * rejected fails the import, naming the likely cause. */
static int file_finish(import_ctx *ctx, file_in *in)
{
  const char *enc = cbc__text_encoding(in->text);
  if (cbc__text_detected(in->text)) {
    int rc = cbc__sync_warning(ctx->sync, in->state.record, NULL, "%s: not UTF-8: read as %s "
                               "(declare the encoding to silence this)", in->path, enc);
    if (rc)
      return rc;
  }
  const cbc_sync_result *r = cbc__sync_result_so_far(ctx->sync);
  if (in->state.rows == 0 || r->error_count - in->errors_before < in->state.rows)
    return 0;
  const cbc_sync_row_error *first = NULL; /* of the lowest row: the engine reports late */
  bool encoding = cbc__text_invalid(in->text) > 0;
  for (size_t i = in->kept_before; i < r->errors_kept; i++) {
    if (!first || r->errors[i].row < first->row)
      first = &r->errors[i];
    encoding = encoding || strstr(r->errors[i].message, "UTF-8") != NULL;
  }
  return cbc__error(CBC_EINVAL, "%s: every row (%zu) was rejected, so nothing was imported; "
                    "the first: %s%s%s", in->path, in->state.rows, first ? first->message : "",
                    encoding ? "; the file was read as " : "", encoding ? enc : "");
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

/* Read a row into the batch, or record it as a row error. */
static int read_into(import_ctx *ctx, file_in *in, batch *b, bool *got)
{
  cbc__file_row row;
  union { cbc_unit_record u; cbc_employee_record e; } rec;
  int rc = next_row(ctx, in, &row, got);
  if (rc || !*got)
    return rc;
  if (to_record(ctx, in, &row, &rec) != 0)
    return reject_row(ctx, in, row.values[CBC__U_EXT]);
  void *slot = batch_slot(b, in->state.rows);
  if (!slot)
    return cbc__error_oom();
  memcpy(slot, &rec, b->size);
  return 0;
}

/* All units are read, then applied together (parents may come later). */
static int import_units(import_ctx *ctx, const char *path)
{
  file_in in;
  batch b = { NULL, NULL, 0, 0, sizeof(cbc_unit_record) };
  bool got = true;
  int rc = file_open(&in, ctx, path, CBC_RECORD_UNIT);
  while (!rc && got)
    rc = read_into(ctx, &in, &b, &got);
  if (!rc)
    rc = cbc__sync_units(ctx->sync, b.records, b.n, 0, b.rows);
  if (!rc)
    rc = file_finish(ctx, &in);
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
  bool got = true;
  int rc = file_open(&in, ctx, path, CBC_RECORD_EMPLOYEE);
  while (!rc && got) {
    rc = read_into(ctx, &in, &b, &got);
    if (!rc && b.n == CHUNK)
      rc = flush_employees(ctx, &b);
  }
  if (!rc && b.n)
    rc = flush_employees(ctx, &b);
  if (!rc)
    rc = file_finish(ctx, &in);
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

/* The 1.2 options are digested only when given, so a key recorded by 1.1
 * still matches its retry. */
static void digest_reading(cbc__request *rq, const cbc_sync_options *o)
{
  if (!rq->keyed || (!o->encoding && !o->column_map))
    return;
  cbc__request_text(rq, o->encoding);
  for (const char *const *m = o->column_map; m && *m; m++)
    cbc__request_text(rq, *m);
  cbc__request_text(rq, NULL);
}

static int import_request(cbc__request *rq, const char *units_path, const char *employees_path,
                          cbc_file_format format, const cbc_sync_options *opts)
{
  int rc = cbc__sync_request_start(rq, CBC__REQ_ORG_IMPORT, opts);
  if (rc)
    return rc;
  cbc_sync_options o;
  cbc__sync_options_read(&o, opts);
  cbc__request_int(rq, format);
  digest_reading(rq, &o);
  rc = digest_file(rq, units_path);
  if (!rc)
    rc = digest_file(rq, employees_path);
  cbc__request_end(rq);
  return rc;
}

/* Everything that can be refused before a file is read. */
static int check_import(const char *units_path, const char *employees_path,
                        cbc_file_format format, const cbc_sync_options *opts,
                        cbc_sync_options *read)
{
  if (!units_path && !employees_path)
    return cbc__error(CBC_EINVAL, "invalid argument: no file to import");
  if (!format_known(format))
    return cbc__error(CBC_EINVAL, "unknown file format %d", (int)format);
  int rc = opts ? cbc__check_version("cbc_sync_options", opts->version,
                                     CBC_SYNC_OPTIONS_VERSION) : 0;
  if (rc)
    return rc;
  cbc__sync_options_read(read, opts);
  rc = cbc__text_encoding_check(read->encoding);
  return rc ? rc : cbc__file_map_check(read->column_map);
}

/* One run of cbc_org_import()'s transaction, reading the files. */
static int import_run(import_ctx *ctx, cbc_sync_result **out, cbc_db *db,
                      const cbc__request *rq, const char *units_path,
                      const char *employees_path, const cbc_sync_options *opts)
{
  int rc = cbc__sync_begin_request(&ctx->sync, db, opts, rq, out);
  if (rc || !ctx->sync) /* failed, or a retry answered with the first result */
    return rc;
  if (units_path)
    rc = import_units(ctx, units_path);
  arena_reset(&ctx->strings);
  if (!rc && employees_path)
    rc = import_employees(ctx, employees_path);
  rc = cbc__sync_finish(ctx->sync, out, rc);
  ctx->sync = NULL;
  arena_reset(&ctx->strings);
  return rc;
}

CBC_EXTERN(int) cbc_org_import(cbc_sync_result **out, cbc_db *db, const char *units_path,
                               const char *employees_path, cbc_file_format format,
                               const cbc_sync_options *opts, cbc_import_progress_fn progress_fn,
                               void *payload)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  import_ctx ctx = { NULL, format, progress_fn, payload, { NULL, 0, 0 }, 0, { 0 } };
  int rc = check_import(units_path, employees_path, format, opts, &ctx.opts);
  if (!rc)
    rc = cbc__db_check_write(db); /* before reading any file */
  if (rc)
    return rc;
  ctx.utc_offset = cbc_db_utc_offset(db);
  cbc__request rq;
  rc = import_request(&rq, units_path, employees_path, format, opts);
  for (int runs = 1; !rc; runs++) {
    rc = import_run(&ctx, out, db, &rq, units_path, employees_path, opts);
    if (!cbc__db_rerun(db, rc, runs))
      break;
    cbc_sync_result_free(*out); /* the rows' errors of the lost run */
    *out = NULL;
    rc = 0;
  }
  arena_free(&ctx.strings);
  return rc;
}
