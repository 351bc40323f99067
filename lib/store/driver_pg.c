/* The PostgreSQL driver (lib/store/driver.h) over libpq.
 *
 * A statement keeps SQLite's SQL with its placeholders renumbered (?N ->
 * $N), and is prepared on the server at its first run, with the types of
 * the values then bound (a 64-bit integer as int8, a text as text, a blob
 * as bytea, a NULL left for the server to infer from where it stands, a
 * number the SQL skips as int8); a later run binding other types prepares
 * it again.  A run fetches its whole result (so another statement may run
 * while its rows are read); rows come back as text, bytea columns decoded
 * when their row is stepped to.  Errors are mapped from their SQLSTATE. */
#include "driver_internal.h"
#include "internal.h"
#include <ctype.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INT8_OID 20
#define TEXT_OID 25
#define BYTEA_OID 17
#define NAME_MAX_LEN 24
#define PARAMS_MAX 32766 /* libpq's and SQLite's highest parameter number */

struct drv_pg_conn {
  PGconn *pg;
  uint64_t names; /* prepared statements named so far */
  bool victim;    /* the last error was a deadlock's or serialization failure's */
};

typedef struct pg_param {
  Oid type;       /* 0: NULL, its type inferred by the server */
  int format;     /* 0 text, 1 binary (a blob) */
  char *value;    /* NULL for NULL; number, the caller's, or owned */
  bool owned;
  bool unused;    /* the SQL does not name it */
  int length;
  char number[24];
} pg_param;

struct drv_pg_stmt {
  drv_pg_conn *c;
  char *sql;                  /* renumbered */
  bool returning_id;          /* run with " RETURNING id" added (drv_pg_step_insert) */
  bool writes;                /* holds INSERT, UPDATE or DELETE (renumber) */
  char name[NAME_MAX_LEN];    /* "" until prepared */
  Oid *prepared_types;        /* the types it was prepared with */
  int n_params;
  pg_param *params;
  const char **values;        /* the run's arguments, n_params each */
  int *lengths, *formats;
  PGresult *res;              /* the current run's rows (paged: the current page) */
  int row;                    /* the row stepped to, -1 before the first */
  int page_rows;              /* > 0: read through a cursor, this many rows a page */
  char cursor[NAME_MAX_LEN];  /* the open cursor ("" none) */
  bool done;
  int64_t changes;
  unsigned char **blobs;      /* the current row's decoded bytea columns */
  size_t *blob_lengths;
};

/* ------------------------------------------------------------- errors */

/* The library's code for a SQLSTATE. */
static int code_of_state(const char *state)
{
  static const struct {
    const char *prefix;
    int code;
  } map[] = {
    { "40001", CBC_EBUSY },     { "40P01", CBC_EBUSY },     { "55P03", CBC_EBUSY },
    { "57014", CBC_EBUSY },     { "53200", CBC_ENOMEM },    { "53100", CBC_EIO },
    { "XX001", CBC_ECORRUPT },  { "XX002", CBC_ECORRUPT },  { "25006", CBC_EPERM },
    { "42501", CBC_EPERM },     { "P0001", CBC_ECONFLICT }, { "23", CBC_ECONFLICT },
    { "22", CBC_EINVAL },       { "08", CBC_EIO },
  };
  for (size_t i = 0; state && i < sizeof(map) / sizeof(map[0]); i++)
    if (strncmp(state, map[i].prefix, strlen(map[i].prefix)) == 0)
      return map[i].code;
  return CBC_EIO;
}

/* The first line of a libpq message (they end with a newline and may add
 * DETAIL lines). */
static int set_error(int code, const char *what, const char *message)
{
  const char *msg = message && *message ? message : "the server did not answer";
  size_t len = strcspn(msg, "\n");
  return cbc__error(code, "%s: %.*s", what, (int)len, msg);
}

static int result_error(drv_pg_conn *c, const PGresult *res, const char *what)
{
  if (!res)
    return set_error(PQstatus(c->pg) == CONNECTION_BAD ? CBC_EIO : CBC_ENOMEM, what,
                     PQerrorMessage(c->pg));
  const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  c->victim = state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
  return set_error(code_of_state(state), what, primary ? primary : PQresultErrorMessage(res));
}

static bool result_ok(const PGresult *res)
{
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* --------------------------------------------------------- connections */

static void ignore_notice(void *arg, const char *message)
{
  (void)arg;
  (void)message;
}

int drv_pg_open(drv_pg_conn **out, const char *uri, const drv_options *o)
{
  *out = cbc__calloc(1, sizeof(**out));
  if (!*out)
    return cbc__error_oom();
  drv_pg_conn *c = *out;
  c->pg = PQconnectdb(uri);
  if (!c->pg)
    return cbc__error_oom();
  if (PQstatus(c->pg) != CONNECTION_OK)
    return set_error(CBC_EIO, "connecting to PostgreSQL", PQerrorMessage(c->pg));
  PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
  /* cursor_tuple_fraction 1: a paged statement's cursor is read whole
   * (drv_pg_page), so it is planned as the statement itself would be; the
   * default (a tenth) chose fast-start plans, one of which rescanned a
   * spilled nested loop for 100,000 people for minutes.  jit off: the
   * library's statements are short, and the estimates of their correlated
   * subqueries passed jit_above_cost, so a rebuild's step of a few rows
   * spent 1.2 s compiling (0.3 ms without). */
  char sql[192];
  snprintf(sql, sizeof(sql), "SET client_encoding = 'UTF8'; SET lock_timeout = %d;"
           " SET cursor_tuple_fraction = 1; SET jit = off",
           o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 1);
  int rc = drv_pg_exec(c, sql, "setting up the connection");
  if (!rc && o->readonly)
    rc = drv_pg_exec(c, "SET default_transaction_read_only = on",
                     "setting up the connection");
  return rc;
}

void drv_pg_close(drv_pg_conn *c)
{
  if (!c)
    return;
  if (c->pg && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
    PQclear(PQexec(c->pg, "ROLLBACK"));
  PQfinish(c->pg);
  cbc__free(c);
}

int drv_pg_exec_int(drv_pg_conn *c, const char *sql, const char *what, int64_t *out)
{
  PGresult *res = PQexec(c->pg, sql); /* the last statement's result, or the first error */
  int rc = result_ok(res) ? 0 : result_error(c, res, what);
  *out = !rc && PQntuples(res) > 0 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
  PQclear(res);
  return rc;
}

int drv_pg_exec(drv_pg_conn *c, const char *sql, const char *what)
{
  int64_t unused;
  return drv_pg_exec_int(c, sql, what, &unused);
}

bool drv_pg_in_txn(const drv_pg_conn *c)
{
  PGTransactionStatusType t = PQtransactionStatus(c->pg);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

bool drv_pg_victim(const drv_pg_conn *c) { return c->victim; }

bool drv_pg_txn_spoiled(const drv_pg_conn *c)
{
  return PQtransactionStatus(c->pg) == PQTRANS_INERROR;
}

/* ---------------------------------------------------------- statements */

/* The length of a quoted run starting at @p p (a literal, an identifier),
 * with doubled quotes inside it. */
static size_t quoted_length(const char *p)
{
  char q = *p;
  size_t n = 1;
  while (p[n] && !(p[n] == q && p[n + 1] != q))
    n += p[n] == q ? 2 : 1;
  return p[n] ? n + 1 : n;
}

/* The length of a comment starting at @p p, 0 when none starts there. */
static size_t comment_length(const char *p)
{
  if (p[0] == '-' && p[1] == '-')
    return strcspn(p, "\n");
  if (p[0] == '/' && p[1] == '*') {
    const char *end = strstr(p + 2, "*/");
    return end ? (size_t)(end + 2 - p) : strlen(p);
  }
  return 0;
}

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Whether the keywords @p words (single spaces between them) start at @p p,
 * a word boundary, in any case; their length in *len (the spaces as the
 * SQL has them). */
static bool keywords_at(const char *p, const char *words, size_t *len)
{
  const char *q = p;
  for (const char *w = words; *w; w++) {
    if (*w == ' ') {
      if (!isspace((unsigned char)*q))
        return false;
      while (isspace((unsigned char)*q))
        q++;
    } else if (toupper((unsigned char)*q++) != *w) {
      return false;
    }
  }
  *len = (size_t)(q - p);
  return !ident_char(*q);
}

/* SQLite's planner hints at @p p (a word boundary), which change no
 * result and which PostgreSQL does not have: how many characters to drop,
 * and in *keep what stands for them.  `INDEXED BY name` and `NOT INDEXED`
 * go; `CROSS JOIN` (SQLite's way to fix the join order; the store writes
 * it only with an ON clause) becomes JOIN. */
static size_t hint_length(const char *p, const char **keep)
{
  size_t len;
  *keep = "";
  if (keywords_at(p, "CROSS JOIN", &len)) {
    *keep = "JOIN";
    return len;
  }
  if (keywords_at(p, "NOT INDEXED", &len))
    return len;
  if (!keywords_at(p, "INDEXED BY", &len))
    return 0;
  while (isspace((unsigned char)p[len]))
    len++;
  while (ident_char(p[len]))
    len++;
  return len;
}

/* Whether the word at @p p (a word boundary) makes a statement write:
 * also within WITH (a CTE before an UPSERT).  SELECT ... FOR UPDATE only
 * locks rows (renumber skips it). */
static bool write_word(const char *p)
{
  size_t len;
  return keywords_at(p, "INSERT", &len) || keywords_at(p, "UPDATE", &len) ||
         keywords_at(p, "DELETE", &len);
}

/* @p sql with SQLite's placeholders as PostgreSQL's: ?N -> $N, a bare ?
 * numbered after the highest so far (as SQLite numbers it), and without
 * SQLite's planner hints (hint_length); quoted text and comments are
 * copied as they are.  *n_params: the highest number; bit N - 1 of
 * @p seen set for each number used; *writes: whether a word outside
 * quotes and comments writes (write_word). */
static int renumber(const char *sql, char **out, int *n_params, unsigned char *seen,
                    bool *writes)
{
  size_t len = strlen(sql);
  char *dst = cbc__malloc(len * 4 + 1); /* "?" -> "$NNN" at most */
  if (!dst)
    return cbc__error_oom();
  size_t o = 0;
  int highest = 0;
  for (const char *p = sql; *p;) {
    size_t skip = *p == '\'' || *p == '"' ? quoted_length(p) : comment_length(p);
    const char *keep;
    bool word_start = !skip && (p == sql || !ident_char(p[-1]));
    size_t hint = word_start ? hint_length(p, &keep) : 0, lock = 0;
    if (word_start && !keywords_at(p, "FOR UPDATE", &lock))
      *writes = *writes || write_word(p);
    if (lock) {
      memcpy(dst + o, p, lock);
      o += lock, p += lock;
    } else if (skip) {
      memcpy(dst + o, p, skip);
      o += skip, p += skip;
    } else if (hint) {
      o += (size_t)sprintf(dst + o, "%s", keep);
      p += hint;
    } else if (*p == '?') {
      char *end;
      long n = strtol(p + 1, &end, 10);
      if (end == p + 1)
        n = highest + 1;
      if (n < 1 || n > PARAMS_MAX) {
        cbc__free(dst);
        return cbc__error(CBC_EINVAL, "preparing a statement: parameter ?%ld out of range", n);
      }
      highest = (int)n > highest ? (int)n : highest;
      seen[(n - 1) / 8] |= (unsigned char)(1u << ((n - 1) % 8));
      o += (size_t)sprintf(dst + o, "$%ld", n);
      p = end;
    } else {
      dst[o++] = *p++;
    }
  }
  dst[o] = '\0';
  *out = dst;
  *n_params = highest;
  return 0;
}

int drv_pg_prepare(drv_pg_conn *c, const char *sql, drv_pg_stmt **out)
{
  drv_pg_stmt *s = cbc__calloc(1, sizeof(*s));
  if (!s)
    return cbc__error_oom();
  s->c = c;
  s->row = -1;
  unsigned char seen[(PARAMS_MAX + 7) / 8] = { 0 };
  int rc = renumber(sql, &s->sql, &s->n_params, seen, &s->writes);
  if (!rc && s->n_params) {
    size_t n = (size_t)s->n_params;
    s->params = cbc__calloc(n, sizeof(*s->params));
    s->prepared_types = cbc__calloc(n, sizeof(*s->prepared_types));
    s->values = cbc__calloc(n, sizeof(*s->values));
    s->lengths = cbc__calloc(n, sizeof(*s->lengths));
    s->formats = cbc__calloc(n, sizeof(*s->formats));
    if (!s->params || !s->prepared_types || !s->values || !s->lengths || !s->formats)
      rc = cbc__error_oom();
    for (int i = 0; !rc && i < s->n_params; i++) /* a number the SQL skips needs a type */
      s->params[i].unused = !(seen[i / 8] & (1u << (i % 8)));
  }
  if (rc) {
    drv_pg_finalize(s);
    return rc;
  }
  *out = s;
  return 0;
}

static void clear_row(drv_pg_stmt *s)
{
  for (int i = 0; s->blobs && i < PQnfields(s->res); i++) {
    PQfreemem(s->blobs[i]);
    s->blobs[i] = NULL;
  }
}

/* Free the server's object @p name (a prepared statement's or a cursor's)
 * with @p command (DEALLOCATE, CLOSE), and forget the name.  Nothing is
 * sent on a broken connection or in a spoiled transaction, where it would
 * fail: the server drops such objects with the session.  Errors are
 * ignored (a cursor whose transaction was undone is already gone). */
static void release(drv_pg_conn *c, const char *command, char name[NAME_MAX_LEN])
{
  if (!name[0])
    return;
  char sql[NAME_MAX_LEN + 16];
  snprintf(sql, sizeof(sql), "%s %s", command, name);
  if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_INERROR)
    PQclear(PQexec(c->pg, sql));
  name[0] = '\0';
}

static void close_cursor(drv_pg_stmt *s) { release(s->c, "CLOSE", s->cursor); }

void drv_pg_reset(drv_pg_stmt *s)
{
  close_cursor(s);
  if (s->res) {
    clear_row(s);
    PQclear(s->res);
    s->res = NULL;
  }
  cbc__free(s->blobs);
  cbc__free(s->blob_lengths);
  s->blobs = NULL;
  s->blob_lengths = NULL;
  s->row = -1;
  s->done = false;
}

static void param_clear(pg_param *p)
{
  bool unused = p->unused;
  if (p->owned)
    cbc__free(p->value);
  memset(p, 0, sizeof(*p));
  p->unused = unused;
}

void drv_pg_clear_bindings(drv_pg_stmt *s)
{
  for (int i = 0; i < s->n_params; i++)
    param_clear(&s->params[i]);
}

static void unprepare(drv_pg_stmt *s) { release(s->c, "DEALLOCATE", s->name); }

void drv_pg_finalize(drv_pg_stmt *s)
{
  if (!s)
    return;
  drv_pg_reset(s);
  if (s->params)
    drv_pg_clear_bindings(s);
  unprepare(s);
  cbc__free(s->params);
  cbc__free(s->prepared_types);
  cbc__free(s->values);
  cbc__free(s->lengths);
  cbc__free(s->formats);
  cbc__free(s->sql);
  cbc__free(s);
}

int drv_pg_param_count(const drv_pg_stmt *s) { return s->n_params; }

bool drv_pg_readonly(const drv_pg_stmt *s) { return !s->writes; }

bool drv_pg_busy(const drv_pg_stmt *s) { return s->res != NULL && !s->done; }

/* ------------------------------------------------------------- binding */

/* Parameter @p i, cleared for a new value; NULL when the statement's
 * parameters end before it (ignored, *rc 0) or for a number below 1
 * (*rc CBC_EINVAL, the error set). */
static pg_param *param_at(drv_pg_stmt *s, int i, int *rc)
{
  *rc = 0;
  if (i < 1)
    *rc = cbc__error(CBC_EINVAL, "binding a parameter: ?%d is not a parameter", i);
  if (i < 1 || i > s->n_params)
    return NULL;
  param_clear(&s->params[i - 1]);
  return &s->params[i - 1];
}

int drv_pg_bind_int64(drv_pg_stmt *s, int i, int64_t v)
{
  int rc;
  pg_param *p = param_at(s, i, &rc);
  if (!p)
    return rc;
  p->type = INT8_OID;
  p->length = snprintf(p->number, sizeof(p->number), "%" PRId64, v);
  p->value = p->number;
  return 0;
}

/* @p len bytes at @p data, copied when @p copy. */
static int bind_bytes(drv_pg_stmt *s, int i, const void *data, size_t len, Oid type,
                      int format, bool copy)
{
  int rc;
  pg_param *p = param_at(s, i, &rc);
  if (!p)
    return rc;
  char *value = (char *)data;
  if (copy) {
    if (!(value = cbc__malloc(len + 1)))
      return cbc__error_oom();
    if (len)
      memcpy(value, data, len);
    value[len] = '\0';
  }
  p->type = type;
  p->format = format;
  p->value = value;
  p->owned = copy;
  p->length = (int)len;
  return 0;
}

/* A NULL of @p type: the server is told the type when nothing else in the
 * SQL says it (`?1 IS NULL`). */
static int bind_typed_null(drv_pg_stmt *s, int i, Oid type)
{
  int rc;
  pg_param *p = param_at(s, i, &rc);
  if (p)
    p->type = type;
  return rc;
}

int drv_pg_bind_text(drv_pg_stmt *s, int i, const char *text, int len, bool copy)
{
  if (!text)
    return bind_typed_null(s, i, TEXT_OID);
  return bind_bytes(s, i, text, len < 0 ? strlen(text) : (size_t)len, TEXT_OID, 0, copy);
}

int drv_pg_bind_blob(drv_pg_stmt *s, int i, const void *data, int len, bool copy)
{
  if (!data)
    return bind_typed_null(s, i, BYTEA_OID);
  return bind_bytes(s, i, data, (size_t)len, BYTEA_OID, 1, copy);
}

int drv_pg_bind_null(drv_pg_stmt *s, int i)
{
  int rc;
  param_at(s, i, &rc);
  return rc;
}

/* ------------------------------------------------------------- running */

/* Prepared on the server with the types now bound, unless it already is
 * (a NULL fits whatever type its parameter was prepared with). */
static int ensure_prepared(drv_pg_stmt *s, const char *what)
{
  bool same = s->name[0] != '\0';
  for (int i = 0; same && i < s->n_params; i++)
    same = !s->params[i].value || s->params[i].unused ||
           s->prepared_types[i] == s->params[i].type;
  if (same)
    return 0;
  unprepare(s);
  for (int i = 0; i < s->n_params; i++)
    s->prepared_types[i] = s->params[i].unused ? INT8_OID : s->params[i].type;
  char name[NAME_MAX_LEN];
  snprintf(name, sizeof(name), "cbc_%" PRIu64, ++s->c->names);
  char *text = s->sql;
  if (s->returning_id) {
    size_t len = strlen(s->sql);
    if (!(text = cbc__malloc(len + sizeof(" RETURNING id"))))
      return cbc__error_oom();
    memcpy(text, s->sql, len);
    memcpy(text + len, " RETURNING id", sizeof(" RETURNING id"));
  }
  PGresult *res = PQprepare(s->c->pg, name, text, s->n_params, s->prepared_types);
  if (text != s->sql)
    cbc__free(text);
  int rc = result_ok(res) ? 0 : result_error(s->c, res, what);
  PQclear(res);
  if (!rc)
    memcpy(s->name, name, sizeof(name));
  return rc;
}

void drv_pg_page(drv_pg_stmt *s, int rows) { s->page_rows = s->writes ? 0 : rows; }

/* The run's arguments from the bindings. */
static void arguments(drv_pg_stmt *s)
{
  for (int i = 0; i < s->n_params; i++) {
    s->values[i] = s->params[i].unused ? NULL : s->params[i].value; /* NULL fits its int8 */
    s->lengths[i] = s->params[i].length;
    s->formats[i] = s->params[i].format;
  }
}

/* Read the cursor's next page into s->res: 0, or an error (the cursor
 * closed). */
static int fetch_page(drv_pg_stmt *s, const char *what)
{
  char sql[NAME_MAX_LEN + 40];
  snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM %s", s->page_rows, s->cursor);
  PGresult *res = PQexec(s->c->pg, sql);
  if (!result_ok(res)) {
    int rc = result_error(s->c, res, what);
    PQclear(res);
    close_cursor(s);
    return rc;
  }
  s->res = res;
  s->row = -1;
  return 0;
}

/* Declare a cursor over the statement (WITH HOLD: it outlives the
 * transaction, as an SQLite statement does) and read its first page. */
static int run_paged(drv_pg_stmt *s, const char *what)
{
  char name[NAME_MAX_LEN];
  snprintf(name, sizeof(name), "cbc_k%" PRIu64, ++s->c->names);
  size_t len = strlen(s->sql) + strlen(name) + 48;
  char *text = cbc__malloc(len);
  if (!text)
    return cbc__error_oom();
  snprintf(text, len, "DECLARE %s NO SCROLL CURSOR WITH HOLD FOR %s", name, s->sql);
  arguments(s);
  PGresult *res = PQexecParams(s->c->pg, text, s->n_params, s->prepared_types, s->values,
                               s->lengths, s->formats, 0);
  cbc__free(text);
  int rc = result_ok(res) ? 0 : result_error(s->c, res, what);
  PQclear(res);
  if (rc)
    return rc;
  memcpy(s->cursor, name, sizeof(name));
  return fetch_page(s, what);
}

/* Run the statement with its bindings and keep its rows. */
static int run(drv_pg_stmt *s, const char *what)
{
  if (s->page_rows) {
    for (int i = 0; i < s->n_params; i++) /* NULL: inferred by the server */
      s->prepared_types[i] = s->params[i].unused ? INT8_OID : s->params[i].type;
    return run_paged(s, what);
  }
  int rc = ensure_prepared(s, what);
  if (rc)
    return rc;
  arguments(s);
  PGresult *res = PQexecPrepared(s->c->pg, s->name, s->n_params, s->values, s->lengths,
                                 s->formats, 0);
  if (!result_ok(res)) {
    rc = result_error(s->c, res, what);
    PQclear(res);
    return rc;
  }
  const char *tuples = PQcmdTuples(res);
  s->changes = *tuples ? strtoll(tuples, NULL, 10) : 0;
  s->res = res; /* nothing is allocated past this point: the server has run it */
  return 0;
}

/* Decode the bytea columns of the row stepped to, making room for them at
 * the first (only reads have such columns: a write that ran is never
 * reported as failed by an allocation here). */
static int decode_row(drv_pg_stmt *s, const char *what)
{
  clear_row(s);
  int n = PQnfields(s->res);
  for (int i = 0; i < n; i++) {
    if (PQftype(s->res, i) != BYTEA_OID || PQgetisnull(s->res, s->row, i))
      continue;
    if (!s->blobs) {
      s->blobs = cbc__calloc((size_t)n, sizeof(*s->blobs));
      s->blob_lengths = cbc__calloc((size_t)n, sizeof(*s->blob_lengths));
      if (!s->blobs || !s->blob_lengths)
        return cbc__error(CBC_ENOMEM, "%s: out of memory", what);
    }
    s->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i),
                                  &s->blob_lengths[i]);
    if (!s->blobs[i])
      return cbc__error(CBC_ENOMEM, "%s: out of memory", what);
  }
  return 0;
}

/* Past the end of a full page: the next one, stepped to its first row. */
static int next_page(drv_pg_stmt *s, const char *what)
{
  clear_row(s);
  PQclear(s->res);
  s->res = NULL;
  int rc = fetch_page(s, what);
  if (!rc)
    s->row = 0;
  return rc;
}

int drv_pg_step(drv_pg_stmt *s, const char *what)
{
  if (s->done)
    return DRV_DONE;
  int rc = s->res ? 0 : run(s, what);
  if (rc) {
    drv_pg_reset(s);
    return rc;
  }
  if (++s->row >= PQntuples(s->res) && s->cursor[0] && PQntuples(s->res) == s->page_rows)
    rc = next_page(s, what);
  if (rc) {
    drv_pg_reset(s);
    return rc;
  }
  if (s->row < PQntuples(s->res)) {
    rc = decode_row(s, what);
    return rc ? rc : DRV_ROW;
  }
  clear_row(s);
  close_cursor(s);
  s->done = true;
  return DRV_DONE;
}

int drv_pg_step_insert(drv_pg_stmt *s, const char *what, int64_t *id)
{
  if (!s->returning_id) { /* prepared again, with the id returned */
    drv_pg_reset(s);
    unprepare(s);
    s->returning_id = true;
  }
  int rc = drv_pg_step(s, what);
  if (rc == DRV_ROW) {
    *id = drv_pg_column_int64(s, 0);
    return 0;
  }
  /* no row: ON CONFLICT DO NOTHING did nothing */
  return rc < 0 ? rc : cbc__error(CBC_ECONFLICT, "%s: the row is already there", what);
}

/* ------------------------------------------------------------- reading */

static bool has_row(const drv_pg_stmt *s, int i)
{
  return s->res && !s->done && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 &&
         i < PQnfields(s->res);
}

int drv_pg_column_count(const drv_pg_stmt *s) { return s->res ? PQnfields(s->res) : 0; }

bool drv_pg_column_null(const drv_pg_stmt *s, int i)
{
  return !has_row(s, i) || PQgetisnull(s->res, s->row, i);
}

bool drv_pg_column_is_blob(const drv_pg_stmt *s, int i)
{
  return !drv_pg_column_null(s, i) && PQftype(s->res, i) == BYTEA_OID;
}

int64_t drv_pg_column_int64(const drv_pg_stmt *s, int i)
{
  if (drv_pg_column_null(s, i))
    return 0;
  const char *v = PQgetvalue(s->res, s->row, i);
  if (v[0] == 't' || v[0] == 'f') /* a boolean */
    return v[0] == 't';
  return strtoll(v, NULL, 10);
}

const char *drv_pg_column_text(const drv_pg_stmt *s, int i)
{
  return drv_pg_column_null(s, i) ? NULL : PQgetvalue(s->res, s->row, i);
}

const void *drv_pg_column_blob(const drv_pg_stmt *s, int i)
{
  if (drv_pg_column_null(s, i))
    return NULL;
  if (s->blobs && s->blobs[i])
    return s->blob_lengths[i] ? s->blobs[i] : NULL;
  return PQgetlength(s->res, s->row, i) ? PQgetvalue(s->res, s->row, i) : NULL;
}

int drv_pg_column_bytes(const drv_pg_stmt *s, int i)
{
  if (drv_pg_column_null(s, i))
    return 0;
  return s->blobs && s->blobs[i] ? (int)s->blob_lengths[i] : PQgetlength(s->res, s->row, i);
}

int64_t drv_pg_changes(const drv_pg_stmt *s) { return s->changes; }
