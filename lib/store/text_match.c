/* The ledger's exact text check, cbc_text_contains(column, text)
 * (docs/ledger.md, Search).  The search index keeps only which hazards
 * hold each trigram (schema step 14 -> 15: detail=none), so a text of more
 * than one trigram is looked up as the AND of its trigrams, and each
 * candidate is checked here: the text's trigrams, as FTS5's trigram
 * tokenizer gives them (case folded in every alphabet), must occur one
 * after the other in the column.  That is what a phrase query on the
 * full index asked before, with SQLite's own folding.  Where LIKE finds
 * the same rows (ledger_text_form) the ledger uses LIKE instead, which
 * costs less. */
#include "store_internal.h"
#include <string.h>

/* The trigram tokenizer, obtained once per connection. */
typedef struct trigram_tokenizer {
  fts5_tokenizer api;
  Fts5Tokenizer *instance;
} trigram_tokenizer;

/* A string's tokens: their bytes one after the other, and where each ends. */
typedef struct token_list {
  char *bytes;
  int *ends;
  int n, bytes_len, bytes_cap, ends_cap;
} token_list;

static void token_list_free(void *p)
{
  token_list *t = p;
  if (!t)
    return;
  cbc__free(t->bytes);
  cbc__free(t->ends);
  cbc__free(t);
}

static int token_add(void *ctx, int flags, const char *token, int len, int start, int end)
{
  (void)flags;
  (void)start;
  (void)end;
  token_list *t = ctx;
  if (t->bytes_len + len > t->bytes_cap) {
    int cap = 2 * (t->bytes_len + len) + 64;
    char *b = cbc__realloc(t->bytes, (size_t)cap);
    if (!b)
      return SQLITE_NOMEM;
    t->bytes = b;
    t->bytes_cap = cap;
  }
  if (t->n == t->ends_cap) {
    int cap = 2 * t->ends_cap + 16;
    int *e = cbc__realloc(t->ends, (size_t)cap * sizeof(*e));
    if (!e)
      return SQLITE_NOMEM;
    t->ends = e;
    t->ends_cap = cap;
  }
  memcpy(t->bytes + t->bytes_len, token, (size_t)len);
  t->bytes_len += len;
  t->ends[t->n++] = t->bytes_len;
  return SQLITE_OK;
}

/* The tokens of @p text into @p t (emptied first). */
static int tokenize(const trigram_tokenizer *tz, const char *text, int len, token_list *t)
{
  t->n = 0;
  t->bytes_len = 0;
  return tz->api.xTokenize(tz->instance, t, FTS5_TOKENIZE_DOCUMENT, text, len, token_add);
}

static int token_start(const token_list *t, int i) { return i ? t->ends[i - 1] : 0; }

static bool same_token(const token_list *a, int i, const token_list *b, int j)
{
  int alen = a->ends[i] - token_start(a, i), blen = b->ends[j] - token_start(b, j);
  return alen == blen && !memcmp(a->bytes + token_start(a, i), b->bytes + token_start(b, j),
                                 (size_t)alen);
}

/* Whether @p needle's tokens occur one after the other in @p hay's (never
 * for a needle without tokens). */
static bool tokens_contiguous(const token_list *hay, const token_list *needle)
{
  for (int i = 0; needle->n && i + needle->n <= hay->n; i++) {
    int j = 0;
    while (j < needle->n && same_token(hay, i + j, needle, j))
      j++;
    if (j == needle->n)
      return true;
  }
  return false;
}

/* The needle's tokens, kept with the statement while its argument stays
 * the same (the ledger binds it once per query). */
static token_list *needle_tokens(sqlite3_context *ctx, const trigram_tokenizer *tz,
                                 sqlite3_value *arg, int *rc)
{
  token_list *t = sqlite3_get_auxdata(ctx, 1);
  *rc = SQLITE_OK;
  if (t)
    return t;
  t = cbc__calloc(1, sizeof(*t));
  if (!t) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  const char *text = (const char *)sqlite3_value_text(arg); /* NULL: out of memory */
  *rc = text ? tokenize(tz, text, sqlite3_value_bytes(arg), t) : SQLITE_NOMEM;
  if (*rc != SQLITE_OK) {
    token_list_free(t);
    return NULL;
  }
  sqlite3_set_auxdata(ctx, 1, t, token_list_free); /* frees t if it cannot keep it */
  t = sqlite3_get_auxdata(ctx, 1);
  if (!t)
    *rc = SQLITE_NOMEM;
  return t;
}

static void text_contains_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  (void)argc;
  const trigram_tokenizer *tz = sqlite3_user_data(ctx);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  int rc;
  token_list *needle = needle_tokens(ctx, tz, argv[1], &rc);
  token_list hay = { 0 };
  const char *text = (const char *)sqlite3_value_text(argv[0]);
  if (rc == SQLITE_OK && !text)
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK)
    rc = tokenize(tz, text, sqlite3_value_bytes(argv[0]), &hay);
  if (rc == SQLITE_OK)
    sqlite3_result_int(ctx, tokens_contiguous(&hay, needle));
  else if (rc == SQLITE_NOMEM)
    sqlite3_result_error_nomem(ctx);
  else
    sqlite3_result_error_code(ctx, rc);
  cbc__free(hay.bytes);
  cbc__free(hay.ends);
}

static void tokenizer_free(void *p)
{
  trigram_tokenizer *tz = p;
  if (tz && tz->instance)
    tz->api.xDelete(tz->instance);
  cbc__free(tz);
}

/* FTS5's API of this connection (SQLite's documented way: SELECT fts5(?1)
 * with a pointer bound). */
static int fts5_api_of(sqlite3 *db, fts5_api **out)
{
  sqlite3_stmt *s;
  *out = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_pointer(s, 1, out, "fts5_api_ptr", NULL);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  return rc == SQLITE_ROW && *out ? SQLITE_OK : rc == SQLITE_ROW ? SQLITE_ERROR : rc;
}

int store_register_text_match(cbc_store *st)
{
  fts5_api *fts5;
  int rc = fts5_api_of(st->db, &fts5);
  trigram_tokenizer *tz = NULL;
  void *tokenizer_data = NULL;
  if (rc == SQLITE_OK && !(tz = cbc__calloc(1, sizeof(*tz))))
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK)
    rc = fts5->xFindTokenizer(fts5, "trigram", &tokenizer_data, &tz->api);
  if (rc == SQLITE_OK) /* the table's options: none (case folded, diacritics kept) */
    rc = tz->api.xCreate(tokenizer_data, NULL, 0, &tz->instance);
  if (rc != SQLITE_OK) {
    tokenizer_free(tz);
    return store_error(st, rc, "registering the text search function");
  }
  /* create_function_v2 calls tokenizer_free itself if it fails */
  rc = sqlite3_create_function_v2(st->db, "cbc_text_contains", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, tz,
                                  text_contains_fn, NULL, NULL, tokenizer_free);
  return rc == SQLITE_OK ? 0 : store_error(st, rc, "registering the text search function");
}
