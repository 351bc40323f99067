/* SQL for the hazard ledger (docs/ledger.md): the filtered, sorted, paged
 * listing and its count.  Only the clauses the filter sets go into the
 * statement, and only the plan's driver is written so that SQLite can use
 * its index: the others carry a unary + (ledger_plan.h says why). */
#include "ledger_plan.h"
#include <stdio.h>
#include <string.h>

/* Parameter numbers, fixed per clause. */
enum {
  P_STATES = 1, P_SEVERITY, P_LEVEL, P_PATH_LO, P_PATH_HI, P_REPORTER, P_RESPONSIBLE,
  P_OVERDUE, P_REPORTED_FROM, P_REPORTED_TO, P_CLOSED_FROM, P_CLOSED_TO, P_TEXT,
  P_AFTER_KEY, P_AFTER_ID, P_LIMIT, P_TEXT_EXACT
};

static const char *const sort_column[] = { "id", "deadline", "updated_at" };

/* Room for the statement: the select list and every clause. */
#define LEDGER_SQL_MAX 4096

typedef struct sql_buf {
  char text[LEDGER_SQL_MAX];
  size_t len;
} sql_buf;

static void sql_add(sql_buf *b, const char *fmt, const char *arg)
{
  size_t room = sizeof(b->text) - b->len;
  int n = snprintf(b->text + b->len, room, fmt, arg ? arg : "");
  /* a statement cut short fails to prepare; it never runs in part */
  if (n > 0)
    b->len += (size_t)n < room ? (size_t)n : room - 1;
}

/* A clause: its indexable form when it is the plan's driver, else the form
 * with "+" before each column, which SQLite evaluates per row. */
static void add_clause(sql_buf *b, bool drives, const char *indexable, const char *plain)
{
  sql_add(b, "%s", drives ? indexable : plain);
}

/* The state set.  One state is an equality (hazards_closed's condition when
 * it drives), the open set a range (hazards_open_deadline's). */
static void add_states(sql_buf *b, unsigned int states, const ledger_plan *plan, bool paged)
{
  char clause[48];
  int single = 0;
  for (int s = CBC_HAZARD_REPORTED; s <= CBC_HAZARD_REJECTED; s++)
    if (states == 1u << s)
      single = s;
  if (!states)
    return;
  const char *plus = plan->driver == DRIVE_CLOSED ? "" : "+";
  if (single)
    snprintf(clause, sizeof(clause), " AND %sstate = %d", plus, single);
  else if (states == CBC_HAZARD_STATES_OPEN) /* without a driver, a count or a listing
                                                 reads hazards_open_deadline */
    snprintf(clause, sizeof(clause), " AND %sstate BETWEEN %d AND %d",
             plan->driver == DRIVE_SCAN && !paged ? "" : "+", CBC_HAZARD_REGISTERED,
             CBC_HAZARD_PENDING_VERIFICATION);
  else
    snprintf(clause, sizeof(clause), " AND ((?1 >> CAST(state AS INTEGER)) & 1) = 1");
  sql_add(b, "%s", clause);
}

/* The subtree: its units driving (hazards_unit), or checked per row
 * against the units collected once (few), or by each row's unit path. */
static void add_unit(sql_buf *b, const ledger_plan *plan)
{
  if (plan->unit_everything)
    return;
  add_clause(b, plan->driver == DRIVE_UNIT,
             " AND unit_id IN (SELECT id FROM units WHERE path >= ?4 AND path < ?5)",
             plan->unit_few ? " AND +unit_id IN (SELECT id FROM units WHERE path >= ?4"
                              " AND path < ?5)"
                            : " AND EXISTS (SELECT 1 FROM units u WHERE u.id = hazards.unit_id"
                              " AND u.path >= ?4 AND u.path < ?5)");
}

/* Whether the statement searches the text with the trigram index (else
 * with LIKE, or not at all). */
static bool text_matches(ledger_text text, const ledger_plan *plan)
{
  return text == TEXT_INDEX || (text == TEXT_INDEX_OR_LIKE && plan->driver == DRIVE_TEXT);
}

#define TEXT_LIKE_CLAUSE \
  " AND (title LIKE ?17 ESCAPE '\\' OR description LIKE ?17 ESCAPE '\\')"
/* PostgreSQL's: the text folded as lower(upper(x)), which, as the trigram
 * tokenizer's folding on SQLite, also matches the long s with s and the
 * Kelvin sign with k (PostgreSQL 15 has no case folding of its own); the
 * first LIKE is what the trigram index (hazards_text, store/schema_pg.c)
 * answers, the second the exact check. */
#define PG_FOLD(x) "lower(upper(" x "))"
#define TEXT_FOLDED_CLAUSE                                                               \
  " AND " PG_FOLD("title || ' ' || description") " LIKE " PG_FOLD("?17") " ESCAPE '\\'"   \
  " AND (" PG_FOLD("title") " LIKE " PG_FOLD("?17") " ESCAPE '\\'"                        \
  " OR " PG_FOLD("description") " LIKE " PG_FOLD("?17") " ESCAPE '\\')"

/* The text: the hazards the index gives for the AND of its trigrams (?13),
 * each checked exactly (?17) unless the text is one trigram, whose
 * candidates are its matches; or LIKE alone.  The exact check is LIKE
 * where LIKE finds what the index's folding finds (TEXT_INDEX_OR_LIKE),
 * else the trigram tokenizer's own comparison (store/text_match.c).  A
 * phrase of several trigrams cannot be asked of the index, which keeps no
 * positions (schema step 14 -> 15). */
static void add_text(sql_buf *b, ledger_text text, const ledger_plan *plan, bool check)
{
  if (text == TEXT_NONE)
    return;
  if (!text_matches(text, plan)) {
    sql_add(b, "%s", text == TEXT_FOLDED ? TEXT_FOLDED_CLAUSE : TEXT_LIKE_CLAUSE);
    return;
  }
  add_clause(b, plan->driver == DRIVE_TEXT,
             " AND id IN (SELECT rowid FROM hazards_fts WHERE hazards_fts MATCH ?13)",
             " AND +id IN (SELECT rowid FROM hazards_fts WHERE hazards_fts MATCH ?13)");
  if (check)
    sql_add(b, "%s", text == TEXT_INDEX_OR_LIKE
                       ? TEXT_LIKE_CLAUSE
                       : " AND (cbc_text_contains(title, ?17)"
                         " OR cbc_text_contains(description, ?17))");
}

/* A period walked as its range of ids (ledger_plan.h, id_range): the
 * first id reported at or after each end, read from hazards_reported in
 * the statement's own snapshot, and only while the setting still says
 * that ids follow report times (else every id).  The period's own
 * conditions are checked per row as well. */
#define IDS_IN_ORDER "(SELECT value FROM settings WHERE key = 'hazard_ids_in_report_order') = 1"
#define FIRST_ID_FROM(p) "(SELECT id FROM hazards WHERE reported_at >= " p \
                         " ORDER BY reported_at, id LIMIT 1)"

static void add_id_range(sql_buf *b, const cbc_hazard_filter *f, const ledger_plan *plan)
{
  if (!plan->id_range)
    return;
  if (f->reported_from)
    sql_add(b, " AND id >= (SELECT CASE WHEN " IDS_IN_ORDER " THEN coalesce("
               FIRST_ID_FROM("?9") ", 9223372036854775807) ELSE 0 END)", NULL);
  if (f->reported_to)
    sql_add(b, " AND id < (SELECT CASE WHEN " IDS_IN_ORDER " THEN coalesce("
               FIRST_ID_FROM("?10") ", 9223372036854775807) ELSE 9223372036854775807 END)",
            NULL);
}

/* The WHERE clauses of @p f (not the cursor's). */
static void add_filter(sql_buf *b, const cbc_hazard_filter *f, const ledger_plan *plan,
                       ledger_text text, bool check_text)
{
  ledger_driver d = plan->driver;
  add_states(b, f->states, plan, f->limit != 0);
  if (f->severity)
    add_clause(b, d == DRIVE_MAJOR, " AND severity = 2", " AND +severity = ?2");
  if (f->level)
    sql_add(b, " AND level = ?3", NULL);
  if (f->reporter_id)
    add_clause(b, d == DRIVE_REPORTER, " AND reporter_id = ?6", " AND +reporter_id = ?6");
  if (f->responsible_id)
    add_clause(b, d == DRIVE_RESPONSIBLE, " AND responsible_id = ?7",
               " AND +responsible_id = ?7");
  if (f->overdue_at)
    add_clause(b, d == DRIVE_OVERDUE,
               " AND state BETWEEN 2 AND 4 AND deadline > 0 AND deadline < ?8",
               " AND +state BETWEEN 2 AND 4 AND +deadline > 0 AND +deadline < ?8");
  /* the period's terms are the range of the period's index, or of each
   * unit's in hazards_unit (unit_id, reported_at) */
  bool by_time = d == DRIVE_PERIOD || d == DRIVE_UNIT;
  if (f->reported_from)
    add_clause(b, by_time, " AND reported_at >= ?9", " AND +reported_at >= ?9");
  if (f->reported_to)
    add_clause(b, by_time, " AND reported_at < ?10", " AND +reported_at < ?10");
  if (f->closed_from)
    add_clause(b, d == DRIVE_CLOSED, " AND closed_at > 0 AND closed_at >= ?11",
               " AND +closed_at > 0 AND +closed_at >= ?11");
  if (f->closed_to)
    add_clause(b, d == DRIVE_CLOSED, " AND closed_at > 0 AND closed_at < ?12",
               " AND +closed_at > 0 AND +closed_at < ?12");
  if (f->listed)
    add_clause(b, d == DRIVE_LISTED, " AND listed = 1", " AND +listed = 1");
  add_id_range(b, f, plan);
  /* last: a row the columns above turn away costs no unit or text check */
  if (f->unit_id)
    add_unit(b, plan);
  add_text(b, text, plan, check_text);
}

/* The search term as bound: an FTS5 phrase (quotes doubled) or a LIKE
 * pattern (%, _ and \ escaped), of @p len bytes of @p text. */
static void text_term(char *out, size_t size, const char *text, size_t len, bool phrase)
{
  const char *special = phrase ? "\"" : "%_\\";
  size_t n = 0;
  out[n++] = phrase ? '"' : '%';
  for (const char *p = text; p < text + len && *p && n + 3 < size; p++) {
    if (strchr(special, *p))
      out[n++] = phrase ? '"' : '\\';
    out[n++] = *p;
  }
  out[n++] = phrase ? '"' : '%';
  out[n] = '\0';
}

/* The bytes of the UTF-8 character at @p p (checked text). */
static size_t char_len(const char *p)
{
  unsigned char c = (unsigned char)*p;
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The index's query for @p text (three characters or more): the AND of
 * its trigrams, each a phrase of one token ("abc" "bcd" ...; the index
 * folds their case).  The number of trigrams. */
static int trigram_query(char *out, size_t size, const char *text)
{
  size_t n = 0;
  int trigrams = 0;
  for (const char *first = text; *first && n + 2 < size; first += char_len(first)) {
    const char *end = first;
    int chars = 0;
    for (; chars < 3 && *end; chars++)
      end += char_len(end);
    if (chars < 3)
      break;
    if (trigrams++)
      out[n++] = ' ';
    text_term(out + n, size - n, first, (size_t)(end - first), true);
    n += strlen(out + n);
  }
  out[n] = '\0';
  return trigrams;
}

/* Bind the filter's values; a copy that cannot be allocated leaves its
 * parameter NULL, which would match nothing, so every bind is checked. */
static int bind_filter(cbc_store *st, drv_stmt *s, const cbc_hazard_filter *f,
                       const char *lo, const char *hi, const char *query, const char *exact)
{
  const int64_t ints[] = { 0, f->states, f->severity, f->level, 0, 0, f->reporter_id,
                           f->responsible_id, f->overdue_at, f->reported_from, f->reported_to,
                           f->closed_from, f->closed_to };
  const int n = drv_param_count(s); /* the SQL holds the filter's parameters up to n */
  const struct {
    int at;
    const char *text;
  } texts[] = { { P_PATH_LO, lo }, { P_PATH_HI, lo ? hi : NULL }, { P_TEXT, query },
                { P_TEXT_EXACT, exact } };
  int rc = 0;
  for (int i = P_STATES; i <= P_CLOSED_TO && i <= n; i++)
    if (ints[i] && i != P_PATH_LO && i != P_PATH_HI)
      drv_bind_int64(s, i, ints[i]);
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) && !rc; i++)
    if (texts[i].text && texts[i].at <= n)
      rc = drv_bind_text(s, texts[i].at, texts[i].text, -1);
  return store_failed(st, rc);
}

/* Room for the index's query of a text: each trigram's bytes twice at
 * most (quotes doubled), its quotes and a space; a text of B bytes has
 * fewer than B trigrams of 3 B bytes in all. */
#define TEXT_QUERY_MAX (9 * CBC_MAX_TITLE + 8)

/* The statement's WHERE part for @p f: the unit plan made, the range to
 * @p lo / @p hi, the text as the index's query (the AND of its trigrams)
 * and as the exact check's operand (a LIKE pattern, or the text itself for
 * cbc_text_contains); whether the statement checks the index's candidates. */
typedef struct ledger_where {
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  char query[TEXT_QUERY_MAX];
  char exact[2 * CBC_MAX_TITLE + 8];
  bool has_unit, has_query, has_exact, check_text;
  ledger_plan plan;
} ledger_where;

/* The text's operands for the statement add_text writes. */
static void text_operands(ledger_where *w, const char *text, ledger_text form, int trigrams)
{
  w->has_query = text_matches(form, &w->plan);
  w->check_text = w->has_query && trigrams > 1;
  w->has_exact = form != TEXT_NONE && (!w->has_query || w->check_text);
  if (!w->has_exact)
    return;
  if (w->has_query && form == TEXT_INDEX)
    snprintf(w->exact, sizeof(w->exact), "%s", text);
  else
    text_term(w->exact, sizeof(w->exact), text, strlen(text), false);
}

static int build_where(sql_buf *b, cbc_store *st, const cbc_hazard_filter *f, bool counting,
                       ledger_where *w)
{
  ledger_text text = !store_on_postgres(st) ? ledger_text_form(f->text)
                     : f->text && *f->text ? TEXT_FOLDED : TEXT_NONE;
  int rc = 0;
  w->has_unit = f->unit_id != 0;
  if (w->has_unit)
    rc = cbc_store__unit_range(st, f->unit_id, w->lo, w->hi, sizeof(w->lo));
  bool indexed = text == TEXT_INDEX || text == TEXT_INDEX_OR_LIKE;
  int trigrams = indexed ? trigram_query(w->query, sizeof(w->query), f->text) : 0;
  ledger_scope scope = { w->lo, w->hi, text, indexed ? w->query : NULL, counting };
  if (!rc)
    rc = ledger_plan_make(st, f, &scope, &w->plan);
  if (rc)
    return rc;
  text_operands(w, f->text, text, trigrams);
  sql_add(b, " WHERE 1 = 1", NULL);
  add_filter(b, f, &w->plan, text, w->check_text);
  return 0;
}

static int bind_where(cbc_store *st, drv_stmt *s, const cbc_hazard_filter *f,
                      const ledger_where *w)
{
  return bind_filter(st, s, f, w->has_unit ? w->lo : NULL, w->hi,
                     w->has_query ? w->query : NULL, w->has_exact ? w->exact : NULL);
}

/* The keyset condition and the order: rows strictly after (key, id) in the
 * sort's direction.  In id order the ids are walked only when the plan
 * says so; otherwise the driver's rows are sorted ("+id"). */
static void add_order(sql_buf *b, const cbc_hazard_filter *f, const cbc_store_ledger_after *after,
                      const ledger_plan *plan)
{
  bool walk = plan->driver == DRIVE_SCAN || plan->driver == DRIVE_ID ||
              plan->driver == DRIVE_TEXT; /* the text index's ids come in order */
  const char *col = sort_column[f->sort], *id = walk ? "id" : "+id";
  const char *cmp = f->descending ? "<" : ">";
  const char *dir = f->descending ? " DESC" : "";
  char clause[160];
  if (after && f->sort == CBC_HAZARD_SORT_REPORTED)
    snprintf(clause, sizeof(clause), " AND %s %s ?15", id, cmp);
  else if (after)
    snprintf(clause, sizeof(clause), " AND (%s, id) %s (?14, ?15)", col, cmp);
  else
    clause[0] = '\0';
  sql_add(b, "%s", clause);
  if (f->sort == CBC_HAZARD_SORT_REPORTED)
    snprintf(clause, sizeof(clause), " ORDER BY %s%s", id, dir);
  else
    snprintf(clause, sizeof(clause), " ORDER BY %s%s, id%s", col, dir, dir);
  sql_add(b, "%s", clause);
  if (f->limit)
    sql_add(b, " LIMIT ?16", NULL);
}

int cbc_store__ledger_query(cbc_store_cursor **out, cbc_store *st, const cbc_hazard_filter *f,
                            const cbc_store_ledger_after *after)
{
  *out = NULL;
  sql_buf b = { .len = 0 };
  ledger_where w;
  sql_add(&b, "%s", cbc_store__hazard_select_head());
  int rc = build_where(&b, st, f, false, &w);
  if (rc)
    return rc;
  add_order(&b, f, after, &w.plan);
  if ((rc = store_cursor_new(out, st, b.text)) != 0)
    return rc;
  if (!f->limit || f->limit > STORE_PAGE_ROWS)
    store_cursor_paged(*out);
  drv_stmt *s = (*out)->stmt;
  if ((rc = bind_where(st, s, f, &w)) != 0) {
    cbc_store__cursor_free(*out);
    *out = NULL;
    return rc;
  }
  if (after) {
    drv_bind_int64(s, P_AFTER_KEY, after->key);
    drv_bind_int64(s, P_AFTER_ID, after->id);
  }
  if (f->limit)
    drv_bind_int64(s, P_LIMIT, f->limit > INT64_MAX ? INT64_MAX : (int64_t)f->limit);
  return 0;
}

int cbc_store__ledger_count(int64_t *out, cbc_store *st, const cbc_hazard_filter *f)
{
  *out = 0;
  sql_buf b = { .len = 0 };
  ledger_where w;
  cbc_hazard_filter unpaged = *f;
  unpaged.limit = 0; /* a count ignores paging: the plan must not assume a page */
  sql_add(&b, "SELECT count(*) FROM hazards", NULL);
  int rc = build_where(&b, st, &unpaged, true, &w);
  drv_stmt *s = NULL;
  if (!rc)
    rc = store_prepare(st, b.text, false, &s);
  if (rc)
    return rc;
  if ((rc = bind_where(st, s, &unpaged, &w)) == 0) {
    rc = store_step(st, s, "counting hazards");
    if (rc == DRV_ROW)
      *out = drv_column_int64(s, 0);
    rc = rc == DRV_ROW ? 0 : rc < 0 ? rc : cbc__error(CBC_EIO, "counting hazards: no row");
  }
  drv_finalize(s);
  return rc;
}
