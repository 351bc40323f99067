/* The tamper-evident history's chains (include/cbc/history.h,
 * docs/history.md): which rows are chained and how they are encoded, the
 * links a write call appends when it ends, and what the verifier reads.
 *
 * A record's digest is SHA-256 (libsodium) over a canonical encoding built
 * here, never over an engine's text of a row: a domain tag, the kind, the
 * id, then for each of the kind's queries each row's columns as declared
 * (an integer as 8 big-endian bytes; a text or blob as a 4-byte big-endian
 * length and its bytes), so SQLite and PostgreSQL give the same bytes. */
#include "store_internal.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A chained kind: its rows' queries (?1 = the record's id), the columns'
 * types ('i' integer, 't' text, 'b' bytes; the first column of the first
 * query is the tenant, hashed with the rest), and its table and key for the
 * records without a link. */
typedef struct chain_kind {
  const char *table, *key;
  const char *sql, *types;
  const char *child_sql, *child_types; /* rows the record holds, or NULL */
} chain_kind;

static const chain_kind kinds[] = {
  [CBC_HISTORY_HAZARD] = { "hazards", "id",
    "SELECT enterprise_id, reporter_id, unit_id, observed_at, source, proposed_severity,"
    " title, description, location FROM hazards WHERE id = ?1", "iiiiiittt", NULL, NULL },
  [CBC_HISTORY_HAZARD_EVENT] = { "hazard_events", "id",
    "SELECT enterprise_id, hazard_id, at, actor_id, action, from_state, to_state, level, data"
    " FROM hazard_events WHERE id = ?1", "iiiiiiiib", NULL, NULL },
  [CBC_HISTORY_ATTACHMENT] = { "hazard_attachments", "id",
    "SELECT enterprise_id, hazard_id, event_id, uri, media_type, size, sha256, stage,"
    " added_at, added_by FROM hazard_attachments WHERE id = ?1", "iiittitiii", NULL, NULL },
  [CBC_HISTORY_EMPLOYEE_EVENT] = { "employee_events", "id",
    "SELECT 0, employee_id, kind, at, from_unit, to_unit FROM employee_events WHERE id = ?1",
    "iiiiii", NULL, NULL },
  [CBC_HISTORY_TRAINING] = { "trainings", "id",
    "SELECT enterprise_id, kind, unit_id, held_at, minutes, title, recorded_at, voided_at,"
    " voided_by, void_reason FROM trainings WHERE id = ?1", "iiiiitiiit",
    "SELECT employee_id, passed, kind, held_at, enterprise_id, 0 FROM training_attendees"
    " WHERE training_id = ?1 UNION ALL SELECT employee_id, passed, kind, held_at,"
    " enterprise_id, 1 FROM voided_training_attendees WHERE training_id = ?1 ORDER BY 1, 6",
    "iiiiii" },
  [CBC_HISTORY_DRILL] = { "drills", "id",
    "SELECT enterprise_id, unit_id, held_at, scenario, recorded_at, voided_at, voided_by,"
    " void_reason FROM drills WHERE id = ?1", "iiitiiit",
    "SELECT team_id, held_at, enterprise_id, 0 FROM drill_teams WHERE drill_id = ?1"
    " UNION ALL SELECT team_id, held_at, enterprise_id, 1 FROM voided_drill_teams"
    " WHERE drill_id = ?1 ORDER BY 1, 4", "iiii" },
  [CBC_HISTORY_ASSIGNMENT] = { "cadre_assignments", "id",
    "SELECT 0, cadre_id, unit_id, from_at, to_at, recorded_at, voided_at, voided_by,"
    " void_reason FROM cadre_assignments WHERE id = ?1", "iiiiiiiit", NULL, NULL },
  [CBC_HISTORY_VISIT] = { "visits", "id",
    "SELECT enterprise_id, cadre_id, unit_id, visited_at, findings, recorded_at, voided_at,"
    " voided_by, void_reason FROM visits WHERE id = ?1", "iiiitiiit", NULL, NULL },
  [CBC_HISTORY_PROPOSAL] = { "proposals", "id",
    "SELECT enterprise_id, proposer_id, unit_id, title, text, submitted_at, status,"
    " decided_by, decided_at, note, voided_at, voided_by, void_reason FROM proposals"
    " WHERE id = ?1", "iiittiiiitiit", NULL, NULL },
  [CBC_HISTORY_AWARD] = { "awards", "id",
    "SELECT enterprise_id, rule, subject_kind, subject_id, cause, hazard_id, proposal_id,"
    " unit_id, policy_version, amount_fen, reasons, state, proposed_at, approved_by,"
    " approved_at, paid_by, paid_at, payment_ref, declined_by, declined_at, decline_reason,"
    " review, flagged_at, reviewed_by, reviewed_at, review_note FROM awards WHERE id = ?1",
    "iiiitiiiiitiiiiiitiitiiiit", NULL, NULL },
  [CBC_HISTORY_FINE] = { "fines", "id",
    "SELECT enterprise_id, employee_id, unit_id, amount_fen, reason, hazard_id, violation,"
    " issued_by, issued_at FROM fines WHERE id = ?1", "iiiititii", NULL, NULL },
  [CBC_HISTORY_POLICY] = { "policies", "version",
    "SELECT 0, document, set_by, set_at FROM policies WHERE version = ?1", "itii", NULL,
    NULL },
  [CBC_HISTORY_FILING] = { "filings", "id",
    "SELECT enterprise_id, unit_id, kind, period_kind, year, number, hazard_id, version,"
    " filed_by, signed_by, filed_at, due_at, note, json, text, csv, history_seq,"
    " history_hash FROM filings WHERE id = ?1", "iiiiiiiiiiiittttit", NULL, NULL },
  [CBC_HISTORY_PENALTY] = { "penalties", "hazard_id",
    "SELECT enterprise_id, amount_fen, document, recorded_by, recorded_at FROM penalties"
    " WHERE hazard_id = ?1", "iitii", NULL, NULL },
};
#define N_KINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))
typedef char chain_kinds_cover_every_kind[N_KINDS == CBC_STORE_CHAIN_KINDS + 1 ? 1 : -1];

static bool kind_known(int kind) { return kind >= 1 && kind < N_KINDS; }

/* ------------------------------------------------------------ encoding */

/* SHA-256 fed through a buffer: the encoding comes in pieces of a few
 * bytes, and one update per piece would cost more than the hashing. */
typedef struct hasher {
  crypto_hash_sha256_state state;
  size_t n;
  unsigned char buf[512];
} hasher;

static void hasher_init(hasher *h)
{
  crypto_hash_sha256_init(&h->state);
  h->n = 0;
}

static void put(hasher *h, const void *p, size_t n)
{
  if (h->n + n > sizeof(h->buf)) {
    crypto_hash_sha256_update(&h->state, h->buf, h->n);
    h->n = 0;
  }
  if (n > sizeof(h->buf)) {
    crypto_hash_sha256_update(&h->state, p, n);
    return;
  }
  memcpy(h->buf + h->n, p, n);
  h->n += n;
}

static void hasher_final(hasher *h, uint8_t out[32])
{
  crypto_hash_sha256_update(&h->state, h->buf, h->n);
  crypto_hash_sha256_final(&h->state, out);
}

static void put_u64(hasher *h, uint64_t v)
{
  unsigned char b[8];
  for (int i = 7; i >= 0; i--, v >>= 8)
    b[i] = (unsigned char)(v & 0xFF);
  put(h, b, sizeof(b));
}

static void put_byte(hasher *h, unsigned char b) { put(h, &b, 1); }

static void put_bytes(hasher *h, const void *p, size_t n)
{
  unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8), (unsigned char)n };
  put(h, len, sizeof(len));
  if (n)
    put(h, p, n);
}

/* Hash the row @p s holds, its columns read as @p types say. */
static void put_row(hasher *h, drv_stmt *s, const char *types)
{
  put_byte(h, 1);
  for (int i = 0; types[i]; i++) {
    if (types[i] == 'i') {
      put_u64(h, (uint64_t)drv_column_int64(s, i));
    } else if (types[i] == 't') {
      const char *t = store_col_text(s, i);
      put_bytes(h, t, strlen(t));
    } else {
      put_bytes(h, drv_column_blob(s, i), (size_t)drv_column_bytes(s, i));
    }
  }
}

/* Hash every row of query @p sql (cached as @p id) for record @p rid;
 * *rows says how many; the first row's first column in *tenant when asked. */
static int put_query(cbc_store *st, hasher *h, store_stmt_id id, const char *sql,
                     const char *types, int64_t rid, int64_t *rows, int64_t *tenant)
{
  drv_stmt *s;
  int rc = store_stmt(st, id, sql, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, rid);
  *rows = 0;
  while ((rc = store_step(st, s, "reading a chained record")) == DRV_ROW) {
    if (tenant && *rows == 0)
      *tenant = drv_column_int64(s, 0);
    put_row(h, s, types);
    ++*rows;
  }
  drv_reset(s);
  put_byte(h, 0);
  return rc == DRV_DONE ? 0 : rc;
}

int cbc_store__chain_digest(cbc_store *st, int kind, int64_t id, uint8_t digest[32],
                            int64_t *tenant, bool *found)
{
  static const char tag[] = "cbc-record-1";
  *found = false;
  *tenant = 0;
  if (!kind_known(kind))
    return cbc__error(CBC_EINVAL, "unknown chained record kind %d", kind);
  const chain_kind *k = &kinds[kind];
  hasher h;
  hasher_init(&h);
  put(&h, tag, sizeof(tag));
  put_u64(&h, (uint64_t)kind);
  put_u64(&h, (uint64_t)id);
  int64_t rows = 0, children = 0;
  int rc = put_query(st, &h, STMT_CHAIN_RECORD_0 + kind, k->sql, k->types, id, &rows, tenant);
  if (!rc && rows && k->child_sql)
    rc = put_query(st, &h, STMT_CHAIN_CHILDREN_0 + kind, k->child_sql, k->child_types, id,
                   &children, NULL);
  hasher_final(&h, digest);
  *found = !rc && rows == 1;
  if (!rc && rows > 1)
    rc = cbc__error(CBC_ECORRUPT, "%s %lld: %lld rows hold that id", k->table, (long long)id,
                    (long long)rows);
  return rc;
}

void cbc_store__chain_link_hash(const uint8_t prev[32], int64_t tenant, int64_t seq, int kind,
                                int64_t id, const uint8_t digest[32], uint8_t out[32])
{
  static const char tag[] = "cbc-link-1";
  hasher h;
  hasher_init(&h);
  put(&h, tag, sizeof(tag));
  put(&h, prev, 32);
  put_u64(&h, (uint64_t)tenant);
  put_u64(&h, (uint64_t)seq);
  put_u64(&h, (uint64_t)kind);
  put_u64(&h, (uint64_t)id);
  put(&h, digest, 32);
  hasher_final(&h, out);
}

/* --------------------------------------------------------------- heads */

/* The advisory lock space of chains (PostgreSQL), below the filings'. */
#define CHAIN_LOCK_SPACE -1000001

/* The cached head of @p tenant's chain in this transaction, or NULL. */
static cbc_store_chain_head *cached_head(cbc_store *st, int64_t tenant)
{
  for (size_t i = 0; i < st->chain.n_heads; i++)
    if (st->chain.heads[i].tenant == tenant)
      return &st->chain.heads[i];
  return NULL;
}

static int read_head(cbc_store *st, int64_t tenant, cbc_store_chain_head *out)
{
  drv_stmt *s;
  bool found;
  memset(out, 0, sizeof(*out));
  out->tenant = tenant;
  int rc = store_stmt(st, STMT_CHAIN_HEAD, "SELECT seq, hash FROM history_chain"
                      " WHERE enterprise_id = ?1 ORDER BY seq DESC LIMIT 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, tenant);
  rc = store_step_maybe(st, s, "reading a chain's head", &found);
  if (!rc && found) {
    out->seq = drv_column_int64(s, 0);
    if (drv_column_bytes(s, 1) != 32)
      rc = cbc__error(CBC_ECORRUPT, "the head of chain %lld has no 32-byte hash",
                      (long long)tenant);
    else
      memcpy(out->hash, drv_column_blob(s, 1), 32);
  }
  drv_reset(s);
  return rc;
}

int cbc_store__chain_head(cbc_store *st, int64_t tenant, cbc_store_chain_head *out)
{
  if (!st->in_call)
    return read_head(st, tenant, out);
  cbc_store_chain_head *c = cached_head(st, tenant);
  if (c) {
    *out = *c;
    return 0;
  }
  int rc = store_lock_key(st, CHAIN_LOCK_SPACE, tenant, false);
  if (!rc)
    rc = read_head(st, tenant, out);
  if (rc)
    return rc;
  if (st->chain.n_heads == st->chain.cap_heads) {
    size_t cap = st->chain.cap_heads ? st->chain.cap_heads * 2 : 8;
    cbc_store_chain_head *grown = cbc__realloc(st->chain.heads, cap * sizeof(*grown));
    if (!grown)
      return store_failed(st, cbc__error_oom());
    st->chain.heads = grown;
    st->chain.cap_heads = cap;
  }
  st->chain.heads[st->chain.n_heads++] = *out;
  return 0;
}

void cbc_store__chain_forget(cbc_store *st)
{
  st->chain.n_heads = 0;
  st->chain.n_pending = 0;
}

/* ------------------------------------------------------------- appending */

int cbc_store__chain_note(cbc_store *st, int kind, int64_t id)
{
  if (st->chain.n_pending == st->chain.cap_pending) {
    size_t cap = st->chain.cap_pending ? st->chain.cap_pending * 2 : 16;
    cbc_store_chain_note *grown = cbc__realloc(st->chain.pending, cap * sizeof(*grown));
    if (!grown)
      return store_failed(st, cbc__error_oom());
    st->chain.pending = grown;
    st->chain.cap_pending = cap;
  }
  cbc_store_chain_note n = { kind, id, 0, st->chain.n_pending, { 0 } };
  st->chain.pending[st->chain.n_pending++] = n;
  return 0;
}

static int by_record(const void *a, const void *b)
{
  const cbc_store_chain_note *x = a, *y = b;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int by_tenant(const void *a, const void *b)
{
  const cbc_store_chain_note *x = a, *y = b;
  if (x->tenant != y->tenant)
    return x->tenant < y->tenant ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* One note per record (its first), each with its tenant and digest. */
static int digest_notes(cbc_store *st, size_t *n)
{
  cbc_store_chain_note *p = st->chain.pending;
  size_t kept = 0;
  qsort(p, *n, sizeof(*p), by_record);
  for (size_t i = 0; i < *n; i++)
    if (!kept || p[kept - 1].kind != p[i].kind || p[kept - 1].id != p[i].id)
      p[kept++] = p[i];
  *n = kept;
  for (size_t i = 0; i < kept; i++) {
    bool found;
    int rc = cbc_store__chain_digest(st, p[i].kind, p[i].id, p[i].digest, &p[i].tenant, &found);
    if (!rc && !found)
      rc = cbc__error(CBC_ECORRUPT, "%s %lld was written but is not there to chain",
                      kinds[p[i].kind].table, (long long)p[i].id);
    if (rc)
      return rc;
  }
  qsort(p, kept, sizeof(*p), by_tenant);
  return 0;
}

static int insert_link(cbc_store *st, const cbc_store_chain_head *h, int kind, int64_t id,
                       const uint8_t digest[32])
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_CHAIN_INSERT, "INSERT INTO history_chain(enterprise_id, seq,"
                      " kind, record_id, digest, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, h->tenant);
  drv_bind_int64(s, 2, h->seq);
  drv_bind_int64(s, 3, kind);
  drv_bind_int64(s, 4, id);
  drv_bind_blob_static(s, 5, digest, 32);
  drv_bind_blob_static(s, 6, h->hash, 32);
  return store_exec_stmt(st, s, "appending to the history's chain");
}

/* Note @p tenant's new head among those the call advanced. */
static int note_advanced(cbc_store *st, const cbc_store_chain_head *h)
{
  for (size_t i = 0; i < st->chain.n_advanced; i++)
    if (st->chain.advanced[i].tenant == h->tenant) {
      st->chain.advanced[i] = *h;
      return 0;
    }
  if (st->chain.n_advanced == st->chain.cap_advanced) {
    size_t cap = st->chain.cap_advanced ? st->chain.cap_advanced * 2 : 4;
    cbc_store_chain_head *grown = cbc__realloc(st->chain.advanced, cap * sizeof(*grown));
    if (!grown)
      return store_failed(st, cbc__error_oom());
    st->chain.advanced = grown;
    st->chain.cap_advanced = cap;
  }
  st->chain.advanced[st->chain.n_advanced++] = *h;
  return 0;
}

/* Append @p note's link to its chain, whose head is already cached. */
static int append_link(cbc_store *st, const cbc_store_chain_note *note)
{
  cbc_store_chain_head *h = cached_head(st, note->tenant);
  cbc_store_chain_head next = { note->tenant, h->seq + 1, { 0 } };
  cbc_store__chain_link_hash(h->hash, note->tenant, next.seq, note->kind, note->id,
                             note->digest, next.hash);
  int rc = insert_link(st, &next, note->kind, note->id, note->digest);
  if (!rc)
    rc = note_advanced(st, &next);
  if (!rc)
    *h = next;
  return rc;
}

int cbc_store__chain_flush(cbc_store *st)
{
  size_t n = st->chain.n_pending;
  if (!n)
    return 0;
  int rc = digest_notes(st, &n);
  /* the chains' locks in ascending tenant order, so no two writers wait
   * on each other's */
  for (size_t i = 0; i < n && !rc; i++) {
    cbc_store_chain_head ignored;
    if (i == 0 || st->chain.pending[i].tenant != st->chain.pending[i - 1].tenant)
      rc = cbc_store__chain_head(st, st->chain.pending[i].tenant, &ignored);
  }
  for (size_t i = 0; i < n && !rc; i++)
    rc = append_link(st, &st->chain.pending[i]);
  st->chain.n_pending = 0;
  return rc;
}

void cbc_store__chain_advanced(cbc_store *st, const cbc_store_chain_head **heads, size_t *n)
{
  *heads = st->chain.advanced;
  *n = st->chain.n_advanced;
}

void cbc_store__chain_advanced_clear(cbc_store *st) { st->chain.n_advanced = 0; }

void cbc_store__chain_free(cbc_store *st)
{
  cbc__free(st->chain.pending);
  cbc__free(st->chain.heads);
  cbc__free(st->chain.advanced);
}

/* ------------------------------------------------------ the first chains */

int cbc_store__chain_unchained(cbc_store *st, int kind, int64_t after, int64_t limit,
                               int64_t **ids, size_t *n)
{
  char sql[512];
  drv_stmt *s;
  if (!kind_known(kind))
    return cbc__error(CBC_EINVAL, "unknown chained record kind %d", kind);
  const chain_kind *k = &kinds[kind];
  snprintf(sql, sizeof(sql), "SELECT t.%s FROM %s t WHERE t.%s > ?1 AND NOT EXISTS"
           " (SELECT 1 FROM history_chain c WHERE c.kind = %d AND c.record_id = t.%s)"
           " ORDER BY t.%s LIMIT ?2", k->key, k->table, k->key, kind, k->key, k->key);
  int rc = store_prepare(st, sql, false, &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, after);
  drv_bind_int64(s, 2, limit);
  rc = store_collect(st, s, sizeof(int64_t), store_fill_int64, (void **)ids, n);
  drv_finalize(s);
  return rc;
}

/* The setting that says every record written before the chains existed
 * has its link: schema step 19 -> 20 writes 0, cbc_store__chain_build 1;
 * a database without it was never without chains. */
static const char built_key[] = "history_chained";

int cbc_store__chain_built(cbc_store *st, bool *out)
{
  int64_t v = 1;
  bool found;
  int rc = cbc_store__setting_get(st, built_key, &v, &found);
  *out = !found || v != 0;
  return rc;
}

int cbc_store__chain_build(cbc_store *st)
{
  bool built;
  int rc = store_lock_key(st, CHAIN_LOCK_SPACE, -1, false);
  if (!rc)
    rc = cbc_store__chain_built(st, &built);
  if (rc || built)
    return rc;
  for (int kind = 1; kind < N_KINDS && !rc; kind++) {
    int64_t *ids = NULL;
    size_t n = 0;
    rc = cbc_store__chain_unchained(st, kind, INT64_MIN, INT64_MAX, &ids, &n);
    for (size_t i = 0; i < n && !rc; i++)
      rc = cbc_store__chain_note(st, kind, ids[i]);
    cbc__free(ids);
    if (!rc)
      rc = cbc_store__chain_flush(st);
  }
  return rc ? rc : cbc_store__setting_put(st, built_key, 1);
}

/* ------------------------------------------------------------- reading */

int cbc_store__chain_links(cbc_store_cursor **out, cbc_store *st)
{
  int rc = store_cursor_new(out, st, "SELECT c.enterprise_id, c.seq, c.kind, c.record_id,"
                            " c.digest, c.hash, (SELECT max(l.seq) FROM history_chain l"
                            " WHERE l.kind = c.kind AND l.record_id = c.record_id"
                            " AND l.enterprise_id = c.enterprise_id) FROM history_chain c"
                            " ORDER BY c.enterprise_id, c.seq");
  if (!rc)
    store_cursor_paged(*out);
  return rc;
}

int cbc_store__cursor_link(cbc_store_cursor *c, cbc_store_link *out)
{
  int rc = store_cursor_step(c);
  if (rc)
    return rc;
  drv_stmt *s = c->stmt;
  out->tenant = drv_column_int64(s, 0);
  out->seq = drv_column_int64(s, 1);
  out->kind = drv_column_int(s, 2);
  out->record_id = drv_column_int64(s, 3);
  out->latest = drv_column_int64(s, 6) == out->seq;
  out->well_formed = drv_column_bytes(s, 4) == 32 && drv_column_bytes(s, 5) == 32;
  memset(out->digest, 0, 32);
  memset(out->hash, 0, 32);
  if (out->well_formed) {
    memcpy(out->digest, drv_column_blob(s, 4), 32);
    memcpy(out->hash, drv_column_blob(s, 5), 32);
  }
  return 0;
}

/* Step @p s (bound) for at most one row whose first column is a 32-byte
 * hash into @p out; *found false without such a row. */
static int step_hash(cbc_store *st, drv_stmt *s, const char *what, uint8_t out[32],
                     bool *found)
{
  int rc = store_step_maybe(st, s, what, found);
  if (!rc && *found) {
    *found = drv_column_bytes(s, 0) == 32;
    if (*found)
      memcpy(out, drv_column_blob(s, 0), 32);
  }
  drv_reset(s);
  return rc;
}

int cbc_store__chain_latest_digest(cbc_store *st, int kind, int64_t id, uint8_t digest[32],
                                   bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_CHAIN_LATEST, "SELECT digest FROM history_chain"
                      " WHERE kind = ?1 AND record_id = ?2 ORDER BY seq DESC LIMIT 1", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, kind);
  drv_bind_int64(s, 2, id);
  return step_hash(st, s, "reading a record's newest link", digest, found);
}

int cbc_store__chain_link_at(cbc_store *st, int64_t tenant, int64_t seq, uint8_t hash[32],
                             bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_CHAIN_AT, "SELECT hash FROM history_chain"
                      " WHERE enterprise_id = ?1 AND seq = ?2", &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, tenant);
  drv_bind_int64(s, 2, seq);
  return step_hash(st, s, "reading a link", hash, found);
}
