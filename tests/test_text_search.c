/* The ledger's text search on the small index (schema step 14 -> 15,
 * docs/ledger.md "Search"): randomised, the library's counts and listings
 * against the phrase query of a full trigram index built here the way
 * schema 14 built it (detail=full), over mixed scripts, case, the Kelvin
 * sign and the long s, quotes and LIKE's specials, texts whose trigrams
 * all occur but not one after the other, and texts across the title and
 * description; the migration from schema 14 (same results, the new
 * options, a fresh file's schema), I/O faults in the middle of that step,
 * and allocation failures in the exact check. */
#include "helpers.h"
#include "faultvfs.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now = 1700000000;

/* ------------------------------------------------------------ the texts */

/* One character each; the groups of a letter's case forms (as the trigram
 * tokenizer folds them: the Kelvin sign to k, the long s to s) are
 * neighbours, so a query can swap a character for another of its group. */
static const char *const glyphs[] = {
  "配", "电", "箱", "门", "未", "关",                /* no case: LIKE is exact */
  "a", "A", "b", "B", "x", "X", " ",                  /* ASCII without k, s */
  "k", "K", "\xE2\x84\xAA", "s", "S", "\xC5\xBF",     /* K (Kelvin), ſ */
  "\xC3\xA9", "\xC3\x89", "\xCF\x83", "\xCE\xA3",     /* é É σ Σ */
  "\xD0\xB4", "\xD0\x94", "\xC3\x9F",                 /* д Д ß */
  "\"", "%", "_", "\\", "'",                          /* quotes, LIKE's specials */
};
#define N_GLYPHS ((int)(sizeof(glyphs) / sizeof(glyphs[0])))
/* The first glyph of each case group, and the group's size. */
static const int groups[][2] = { { 6, 2 }, { 8, 2 }, { 10, 2 }, { 13, 3 }, { 16, 3 },
                                 { 19, 2 }, { 21, 2 }, { 23, 2 } };
#define N_GROUPS ((int)(sizeof(groups) / sizeof(groups[0])))

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

static void seed_rng(void)
{
  const char *env = getenv("CBC_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
  print_message("text search seed %llu (CBC_TEST_SEED to repeat)\n", (unsigned long long)seed);
  rng_state = seed * 2654435761u + 1;
}

/* A text as glyph numbers. */
typedef struct glyph_text {
  int g[40];
  int n;
} glyph_text;

static void to_utf8(const glyph_text *t, int from, int to, char *out, size_t size)
{
  size_t len = 0;
  out[0] = '\0';
  for (int i = from; i < to; i++)
    len += (size_t)snprintf(out + len, size - len, "%s", glyphs[t->g[i]]);
}

/* A glyph of @p g's case group other than itself, or itself. */
static int other_case(int g)
{
  for (int k = 0; k < N_GROUPS; k++)
    if (g >= groups[k][0] && g < groups[k][0] + groups[k][1])
      return groups[k][0] + (int)((uint32_t)(g - groups[k][0] + 1 + rnd((uint32_t)groups[k][1] - 1))
                                   % (uint32_t)groups[k][1]);
  return g;
}

/* @p n glyphs from a palette of a few (so trigrams repeat across rows). */
static void random_text(glyph_text *t, int n, const int *palette, int colours)
{
  t->n = n;
  for (int i = 0; i < n; i++)
    t->g[i] = palette[rnd((uint32_t)colours)];
}

static void random_palette(int *palette, int colours)
{
  for (int i = 0; i < colours; i++)
    palette[i] = (int)rnd(N_GLYPHS);
}

/* ------------------------------------------------------------ the ledger */

#define N_ROWS 160
#define N_QUERIES 600

typedef struct row {
  glyph_text title, description;
  int64_t id, reporter;
} row;

static const char *const reporters[] = { "A1", "A2", "B1", "L1" };

static int64_t report_row(cbc_db *db, row *r, int i)
{
  char title[256], description[256];
  to_utf8(&r->title, 0, r->title.n, title, sizeof(title));
  to_utf8(&r->description, 0, r->description.n, description, sizeof(description));
  cbc_hazard_record rec = CBC_HAZARD_RECORD_INIT;
  r->reporter = cbc_test_employee_id(db, reporters[i % 4]);
  rec.reporter_id = r->reporter;
  rec.unit_id = cbc_test_unit_id(db, i % 4 == 2 ? "T2" : "T1");
  rec.title = title;
  rec.description = description;
  rec.kind = CBC_HAZARD_HARD;
  rec.category = CBC_CATEGORY_SAFETY;
  rec.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  rec.source = CBC_SOURCE_SELF_CHECK;
  rec.proposed_severity = CBC_SEVERITY_GENERAL;
  assert_cbc_ok(cbc_hazard_report(&r->id, NULL, db, &rec));
  now += 60;
  return r->id;
}

/* Rows of 1..12 glyphs of title and 0..15 of description, each row from
 * a palette of four glyphs, so that trigrams repeat across rows. */
static void make_rows(cbc_db *db, row *rows, int n)
{
  for (int i = 0; i < n; i++) {
    int palette[4];
    random_palette(palette, 4);
    random_text(&rows[i].title, 1 + (int)rnd(12), palette, 4);
    random_text(&rows[i].description, (int)rnd(16), palette, 4);
    report_row(db, &rows[i], i);
  }
}

/* A query: a piece of a row (of its title, of its description, or across
 * the two) with some letters in another case, or a random text from a
 * small palette (its trigrams often all occur, but apart), or from every
 * glyph.  Mostly three characters or more; some one or two. */
static void make_query(const row *rows, int n_rows, glyph_text *q)
{
  uint32_t kind = rnd(10);
  const row *r = &rows[rnd((uint32_t)n_rows)];
  int len = kind == 9 ? 1 + (int)rnd(2) : 3 + (int)rnd(6);
  if (kind < 4) {
    glyph_text all = r->title;
    for (int i = 0; i < r->description.n; i++)
      all.g[all.n++] = r->description.g[i];
    int from = kind == 3 && r->title.n >= 2 ? r->title.n - 2 : (int)rnd((uint32_t)all.n);
    q->n = 0;
    for (int i = from; i < all.n && q->n < len; i++)
      q->g[q->n++] = rnd(3) ? all.g[i] : other_case(all.g[i]);
  } else {
    int palette[3];
    random_palette(palette, kind < 8 ? 2 : 3);
    random_text(q, len, palette, kind < 8 ? 2 : 3);
  }
  if (!q->n)
    random_text(q, len, (const int[]){ 0, 6 }, 2);
}

/* ------------------------------------------------------- the old way */

static void exec_ok(sqlite3 *raw, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec(raw, sql, NULL, NULL, &err) != SQLITE_OK)
    fail_msg("%s: %s", sql, err);
}

/* The file's titles and descriptions in a full trigram index of a temp
 * table, as schema 14 kept them. */
static sqlite3 *open_old_index(const char *path)
{
  sqlite3 *raw;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
  exec_ok(raw, "CREATE VIRTUAL TABLE temp.old_fts USING fts5(title, description,"
               " tokenize='trigram');"
               "INSERT INTO temp.old_fts(rowid, title, description)"
               " SELECT id, title, description FROM main.hazards");
  return raw;
}

/* The ids schema 14's library found for @p text: the phrase on the full
 * index @p table for three characters or more, else LIKE; with the
 * reporter and the unit when not 0.  Their number. */
static int old_ids(sqlite3 *raw, const char *table, const char *text, int64_t reporter,
                   int64_t unit, int64_t *ids, int cap)
{
  char term[512], sql[256];
  size_t n = 0, chars = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    chars += (*p & 0xC0) != 0x80;
  bool phrase = chars >= 3;
  term[n++] = phrase ? '"' : '%';
  for (const char *p = text; *p; p++) {
    if (strchr(phrase ? "\"" : "%_\\", *p))
      term[n++] = phrase ? '"' : '\\';
    term[n++] = *p;
  }
  term[n++] = phrase ? '"' : '%';
  term[n] = '\0';
  if (phrase)
    snprintf(sql, sizeof(sql), "SELECT f.rowid FROM %s f JOIN main.hazards h ON h.id = f.rowid"
             " WHERE %s MATCH ?1 AND (?2 = 0 OR h.reporter_id = ?2)"
             " AND (?3 = 0 OR h.unit_id = ?3) ORDER BY f.rowid", table, table);
  else
    snprintf(sql, sizeof(sql), "SELECT id FROM main.hazards WHERE (title LIKE ?1 ESCAPE '\\'"
             " OR description LIKE ?1 ESCAPE '\\') AND (?2 = 0 OR reporter_id = ?2)"
             " AND (?3 = 0 OR unit_id = ?3) ORDER BY id");
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
  sqlite3_bind_text(s, 1, term, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, reporter);
  sqlite3_bind_int64(s, 3, unit);
  int k = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    assert_true(k < cap);
    ids[k++] = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  return k;
}

/* How many rows hold every trigram of @p text (in any column, anywhere):
 * the new index's candidates, read from the full one. */
static int64_t candidates(sqlite3 *raw, const glyph_text *q)
{
  char query[1024], tri[64];
  size_t n = 0;
  for (int i = 0; i + 3 <= q->n; i++) {
    to_utf8(q, i, i + 3, tri, sizeof(tri));
    query[n++] = '"';
    for (const char *p = tri; *p; p++) {
      if (*p == '"')
        query[n++] = '"';
      query[n++] = *p;
    }
    query[n++] = '"';
    query[n++] = ' ';
  }
  query[n] = '\0';
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM old_fts WHERE old_fts"
                                           " MATCH ?1", -1, &s, NULL), SQLITE_OK);
  sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  int64_t c = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return c;
}

/* ---------------------------------------------------- the library's way */

/* The ids the library lists for @p f, in pages of @p page (0: one). */
static int lib_ids(cbc_db *db, cbc_hazard_filter f, size_t page, int64_t *ids, int cap)
{
  int n = 0;
  char *cursor = NULL;
  f.limit = page;
  for (;;) {
    cbc_hazard_iter *it;
    const cbc_hazard *h;
    int rc, got = 0;
    f.after = cursor;
    assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
    while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
      assert_true(n < cap);
      ids[n++] = h->id;
      got++;
    }
    assert_int_equal(rc, CBC_ITEROVER);
    cbc_free(cursor);
    cursor = NULL;
    if (page && (size_t)got == page)
      assert_cbc_ok(cbc_hazard_iter_cursor(&cursor, it));
    cbc_hazard_iter_free(it);
    if (!cursor)
      return n;
  }
}

static void assert_same_ids(const int64_t *want, int n_want, const int64_t *got, int n_got,
                            const char *text, const char *how)
{
  if (n_want != n_got)
    fail_msg("text \"%s\" (%s): the old index found %d, the library %d", text, how, n_want,
             n_got);
  for (int i = 0; i < n_want; i++)
    if (want[i] != got[i])
      fail_msg("text \"%s\" (%s): id %d is %lld, the old index's %lld", text, how, i,
               (long long)got[i], (long long)want[i]);
}

/* The library finds what schema 14 found for @p text in @p table: alone
 * (the index drives), in pages (a page in id order may walk the ids, the
 * text checked per row), with a reporter (who drives: the exact check or
 * LIKE per row), within a team. */
static void check_text(cbc_db *db, sqlite3 *raw, const char *table, const char *text,
                       int64_t reporter)
{
  int64_t want[N_ROWS + 8], got[N_ROWS + 8], count;
  int64_t team = cbc_test_unit_id(db, "T2");
  const struct {
    int64_t reporter, unit;
    size_t page;
    const char *how;
  } ways[] = { { 0, 0, 0, "alone" }, { 0, 0, 3, "pages of 3" }, { reporter, 0, 0, "reporter" },
               { 0, team, 0, "team" }, { 0, team, 2, "team, pages of 2" } };
  for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
    int n_want = old_ids(raw, table, text, ways[w].reporter, ways[w].unit, want, N_ROWS + 8);
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.text = text;
    f.reporter_id = ways[w].reporter;
    f.unit_id = ways[w].unit;
    assert_cbc_ok(cbc_hazard_count(&count, db, &f));
    if (count != n_want)
      fail_msg("text \"%s\" (%s): the old index found %d, the library counts %lld", text,
               ways[w].how, n_want, (long long)count);
    assert_same_ids(want, n_want, got, lib_ids(db, f, ways[w].page, got, N_ROWS + 8), text,
                    ways[w].how);
  }
}

/* Whether a run of `queries` texts met enough of each kind: wider
 * candidates than matches, texts found, texts too short for a trigram. */
static int met_each_kind(int queries, int wider, int found, int short_texts)
{
  return wider >= queries / 30 && found >= queries / 4 && short_texts >= queries / 60;
}

/* Random rows and texts: the same ids every time; the run must have met
 * texts the AND of trigrams finds more rows for than the phrase (the exact
 * check at work), texts found only across the title and description (not
 * a match), matches in another case, and texts of each form. */
static void test_same_as_full_index(void **state)
{
  (void)state;
  const char *path = cbc_test_path("text_search_random.db");
  cbc_test_unlink(path);
  seed_rng();
  now = 1700000000;
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  static row rows[N_ROWS];
  make_rows(db, rows, N_ROWS);
  sqlite3 *raw = open_old_index(path);
  int wider = 0, found = 0, short_texts = 0;
  int queries = cbc_test_light() ? N_QUERIES / 5 : N_QUERIES;
  /* A light run draws fewer texts; it goes on drawing (up to the full
   * count) until the run has met each kind the asserts below ask for, so
   * that an unlucky seed does not fail it. */
  int k = 0;
  for (; k < queries || (k < N_QUERIES && !met_each_kind(queries, wider, found, short_texts));
       k++) {
    glyph_text q;
    char text[256];
    make_query(rows, N_ROWS, &q);
    to_utf8(&q, 0, q.n, text, sizeof(text));
    int64_t ids[N_ROWS + 8];
    int n = old_ids(raw, "old_fts", text, 0, 0, ids, N_ROWS + 8);
    found += n > 0;
    short_texts += q.n < 3;
    if (q.n >= 4 && candidates(raw, &q) > n)
      wider++;
    check_text(db, raw, "old_fts", text, rows[rnd(N_ROWS)].reporter);
  }
  print_message("%d texts: %d found something, %d had more candidates than matches, %d of "
                "one or two characters\n", k, found, wider, short_texts);
  assert_true(met_each_kind(queries, wider, found, short_texts));
  sqlite3_close(raw);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* Cases spelled out: each against the old index, and their expected
 * counts, so that a wrong old side would not hide a wrong new one. */
static void test_spelled_out(void **state)
{
  (void)state;
  const char *path = cbc_test_path("text_search_cases.db");
  cbc_test_unlink(path);
  now = 1700000000;
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  const char *const texts[][2] = {
    { "配电箱门未关闭", "" },
    { "门未关", "配电箱 电箱门未锁" },        /* 配电箱门's trigrams, apart */
    { "配电箱", "电箱门" },                    /* the same, across the two */
    { "Kelvin SCALE", "" },
    { "\xE2\x84\xAA" "elvin scale", "" },      /* the Kelvin sign */
    { "mi\xC5\xBF" "s", "" },                  /* ſ */
    { "\xCE\xA3\xCE\xA4\xCE\x91\xCE\xA3\xCE\x97",          /* ΣΤΑΣΗ */
      "\xD0\x94\xD0\x90\xD0\x9D\xD0\x9E" },                /* ДАНО */
    { "100%_done \\ \"quoted\"", "it's" },
    { "abcab", "bcabc" },                      /* abca, bcab occur; abcabc does not */
  };
  static const struct {
    const char *text;
    int64_t want;
  } queries[] = {
    { "配电箱门", 1 },        /* rows 2 and 3 hold its trigrams, apart */
    { "箱门未", 2 },
    { "配电箱", 3 },          /* one trigram: the index's rows are the matches */
    { "关配电", 0 },          /* across title and description only (row 2) */
    { "kelvin", 2 },          /* the Kelvin sign folds to k */
    { "KELVIN", 2 },
    { "elvin s", 2 },
    { "MISS", 1 },            /* ſ folds to s */
    { "\xcf\x83\xcf\x84\xce\xb1", 1 },           /* στα: Greek in another case */
    { "\xd0\xb4\xd0\xb0\xd0\xbd\xd0\xbe", 1 },   /* дано */
    { "0%_", 1 },
    { "_do", 1 },
    { "%_d", 1 },
    { " \\ ", 1 },
    { "\"quoted\"", 1 },
    { "\"quo", 1 },
    { "it's", 1 },
    { "abcabc", 0 },          /* abc, bca, cab all occur in row 9, never together */
    { "bcabc", 1 },
    { "abcab", 1 },
    { "ab", 1 },
  };
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    int64_t id;
    cbc_hazard_record rec = CBC_HAZARD_RECORD_INIT;
    rec.reporter_id = cbc_test_employee_id(db, "A1");
    rec.unit_id = cbc_test_unit_id(db, "T1");
    rec.title = texts[i][0];
    rec.description = texts[i][1];
    rec.kind = CBC_HAZARD_HARD;
    rec.category = CBC_CATEGORY_SAFETY;
    rec.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
    rec.source = CBC_SOURCE_SELF_CHECK;
    rec.proposed_severity = CBC_SEVERITY_GENERAL;
    assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &rec));
    now += 60;
  }
  sqlite3 *raw = open_old_index(path);
  for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
    int64_t ids[16], count;
    int n = old_ids(raw, "old_fts", queries[i].text, 0, 0, ids, 16);
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.text = queries[i].text;
    assert_cbc_ok(cbc_hazard_count(&count, db, &f));
    if (n != queries[i].want || count != queries[i].want)
      fail_msg("\"%s\": expected %lld, old index %d, library %lld", queries[i].text,
               (long long)queries[i].want, n, (long long)count);
    check_text(db, raw, "old_fts", queries[i].text, cbc_test_employee_id(db, "A1"));
  }
  sqlite3_close(raw);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* ------------------------------------------------------- schema 14 -> 15 */

#define N_MIGRATION_QUERIES 120

static char *path_copy(const char *name) { return strdup(cbc_test_path(name)); }

static sqlite3 *raw_open(const char *path)
{
  sqlite3 *raw;
  assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
  return raw;
}

static long long scalar(sqlite3 *raw, const char *sql)
{
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  long long v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

/* Make the file at @p path what schema 14 wrote: the full index of step
 * 9 -> 10, built from the hazards, with its triggers. */
static void store_as_v14(const char *path)
{
  sqlite3 *raw = raw_open(path);
  exec_ok(raw, "BEGIN; DROP TRIGGER hazards_fts_insert; DROP TRIGGER hazards_fts_update;"
               "DROP TRIGGER hazards_fts_delete; DROP TABLE hazards_fts");
  exec_ok(raw, cbc_store__migration_sql(9));
  exec_ok(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "PRAGMA user_version=14; COMMIT");
  sqlite3_close(raw);
}

/* The index's definition as sqlite_schema keeps it. */
static bool index_is_small(sqlite3 *raw)
{
  return scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'hazards_fts'"
                     " AND sql LIKE '%detail=none, columnsize=0)'") == 1 &&
         scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'hazards_fts_docsize'")
           == 0;
}

/* Schema 14's answers for @p n queries, from the file's own full index. */
typedef struct answers {
  char text[N_MIGRATION_QUERIES][256];
  int64_t ids[N_MIGRATION_QUERIES][N_ROWS + 8];
  int n_ids[N_MIGRATION_QUERIES];
} answers;

static void v14_answers(const char *path, const row *rows, answers *a)
{
  sqlite3 *raw = raw_open(path);
  assert_false(index_is_small(raw));
  assert_int_equal(scalar(raw, "PRAGMA user_version"), 14);
  for (int k = 0; k < N_MIGRATION_QUERIES; k++) {
    glyph_text q;
    make_query(rows, N_ROWS, &q);
    to_utf8(&q, 0, q.n, a->text[k], sizeof(a->text[k]));
    a->n_ids[k] = old_ids(raw, "hazards_fts", a->text[k], 0, 0, a->ids[k], N_ROWS + 8);
  }
  sqlite3_close(raw);
}

static void assert_answers(cbc_db *db, const answers *a)
{
  int64_t got[N_ROWS + 8];
  for (int k = 0; k < N_MIGRATION_QUERIES; k++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.text = a->text[k];
    assert_same_ids(a->ids[k], a->n_ids[k], got, lib_ids(db, f, 0, got, N_ROWS + 8),
                    a->text[k], "schema 14's answer");
  }
}

/* sqlite_schema without the page numbers, in name order, as one text. */
static char *schema_text(const char *path)
{
  sqlite3 *raw = raw_open(path);
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT group_concat(type || ' ' || name || ' ' ||"
                                           " tbl_name || ' ' || coalesce(sql, ''), char(10))"
                                           " FROM (SELECT * FROM sqlite_schema ORDER BY name)",
                                      -1, &s, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(s), SQLITE_ROW);
  char *text = strdup((const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return text;
}

/* A file of schema 14 at @p path with the random rows, and what its full
 * index answers (@p a). */
static void make_v14_file(const char *path, answers *a)
{
  seed_rng();
  now = 1700000000;
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  static row rows[N_ROWS];
  make_rows(db, rows, N_ROWS);
  cbc_db_close(db);
  store_as_v14(path);
  v14_answers(path, rows, a);
}

/* A file of schema 14 with hazards: every search finds what it found, the
 * index has the new options and is sound, its triggers follow new
 * reports, and the file's schema is a fresh file's. */
static void test_migration_from_v14(void **state)
{
  (void)state;
  char *path = path_copy("text_search_v14.db"), *fresh = path_copy("text_search_fresh.db");
  cbc_test_unlink(path);
  cbc_test_unlink(fresh);
  static answers a;
  make_v14_file(path, &a);
  cbc_db *db = cbc_test_db_file(path, &now); /* migrates 14 -> 15 and on */
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_answers(db, &a);
  cbc_db_close(db);
  sqlite3 *raw = raw_open(path);
  assert_true(index_is_small(raw));
  exec_ok(raw, "INSERT INTO hazards_fts(hazards_fts) VALUES('integrity-check')");
  assert_int_equal(scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                               " AND name LIKE 'hazards_fts_%'"), 3);
  assert_int_equal(scalar(raw, "SELECT count(*) FROM hazards"), N_ROWS);
  sqlite3_close(raw);
  cbc_db_close(cbc_test_db_file(fresh, &now));
  char *migrated_schema = schema_text(path), *fresh_schema = schema_text(fresh);
  assert_string_equal(migrated_schema, fresh_schema);
  free(migrated_schema);
  free(fresh_schema);
  /* the triggers keep the new index: a new report is found */
  db = cbc_test_db_file(path, &now);
  row extra = { .title = { { 0, 1, 2, 3 }, 4 } }; /* 配电箱门 */
  report_row(db, &extra, 0);
  int64_t count;
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "配电箱门";
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_true(count >= 1);
  cbc_db_close(db);
  raw = raw_open(path);
  exec_ok(raw, "INSERT INTO hazards_fts(hazards_fts) VALUES('integrity-check')");
  sqlite3_close(raw);
  cbc_test_unlink(path);
  cbc_test_unlink(fresh);
  free(path);
  free(fresh);
}

static int open_db(cbc_db **out, const char *path)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = cbc_test_clock;
  o.clock_payload = &now;
  o.synchronous = CBC_DB_SYNC_FULL;
  return cbc_db_open(out, path, &o);
}

/* An I/O error or a full disk anywhere in the step: the open fails and
 * the file is still schema 14, its full index whole and answering as
 * before, or the step is complete; the next open finishes it, with the
 * same answers. */
static void test_migration_faults(void **state)
{
  (void)state;
  char *template = path_copy("text_search_v14_template.db");
  char *work = path_copy("text_search_v14_work.db");
  cbc_test_unlink(template);
  static answers a;
  make_v14_file(template, &a);
  cbc_db *db;
  cbc_test_faultvfs_install();
  long stride = cbc_test_fault_stride(), points = 0, stayed = 0;
  static const cbc_fault_mode modes[] = { CBC_FAULT_IO, CBC_FAULT_FULL };
  for (size_t m = 0; m < 2; m++)
    for (long n = 1;; n += stride) {
      cbc_test_copy_file(template, work);
      cbc_test_fault_arm(modes[m], n);
      db = NULL;
      int rc = open_db(&db, work);
      int fired = cbc_test_fault_fired();
      cbc_test_fault_disarm();
      cbc_db_close(db);
      if (!fired) {
        assert_cbc_ok(rc);
        break;
      }
      points++;
      sqlite3 *raw = raw_open(work);
      int version = (int)scalar(raw, "PRAGMA user_version");
      assert_true(version >= 14 && version <= CBC_STORE_SCHEMA_VERSION);
      assert_true(rc != 0 || version == CBC_STORE_SCHEMA_VERSION);
      assert_true(index_is_small(raw) == (version >= 15));
      exec_ok(raw, "INSERT INTO hazards_fts(hazards_fts) VALUES('integrity-check')");
      if (version == 14) {
        stayed++;
        for (int k = 0; k < N_MIGRATION_QUERIES; k++) {
          int64_t ids[N_ROWS + 8];
          int got = old_ids(raw, "hazards_fts", a.text[k], 0, 0, ids, N_ROWS + 8);
          assert_same_ids(a.ids[k], a.n_ids[k], ids, got, a.text[k], "left at schema 14");
        }
      }
      sqlite3_close(raw);
      if (n % (8 * stride) == 1 || version == 14) {
        assert_cbc_ok(open_db(&db, work)); /* finishes the step */
        assert_answers(db, &a);
        cbc_db_close(db);
      }
    }
  cbc_test_faultvfs_uninstall();
  print_message("migration 14 -> 15: %ld faulted opens, %ld left the file at 14\n", points,
                stayed);
  assert_true(stayed > 0);
  cbc_test_unlink(template);
  cbc_test_unlink(work);
  free(template);
  free(work);
}

/* Allocation failures in a search that checks candidates with
 * cbc_text_contains: CBC_ENOMEM, or the right count, never another. */
static void test_exact_check_allocation_failures(void **state)
{
  (void)state;
  now = 1700000000;
  cbc_test_alloc_install(0); /* libcbc's allocations: the check's own */
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  const char *const titles[] = { "Kelvin scale", ("\xE2\x84\xAA" "elvin"), "kelv in",
                                 "ke lvin" };
  for (int i = 0; i < 4; i++) {
    cbc_hazard_record rec = CBC_HAZARD_RECORD_INIT;
    int64_t id;
    rec.reporter_id = cbc_test_employee_id(db, "A1");
    rec.unit_id = cbc_test_unit_id(db, "T1");
    rec.title = titles[i];
    rec.description = "";
    rec.kind = CBC_HAZARD_HARD;
    rec.category = CBC_CATEGORY_SAFETY;
    rec.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
    rec.source = CBC_SOURCE_SELF_CHECK;
    rec.proposed_severity = CBC_SEVERITY_GENERAL;
    assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &rec));
  }
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "KELVIN";
  int64_t want, n;
  assert_cbc_ok(cbc_hazard_count(&want, db, &f));
  assert_int_equal(want, 2);
  long points = 0, stride = cbc_test_fault_stride();
  for (long k = 1;; k += stride) {
    cbc_test_fail_after(k);
    int rc = cbc_hazard_count(&n, db, &f);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (!failed) {
      assert_cbc_ok(rc);
      assert_int_equal(n, want);
      break;
    }
    points++;
    if (rc == 0)
      assert_int_equal(n, want);
    else
      assert_int_equal(rc, CBC_ENOMEM);
  }
  /* the needle's list and its two buffers, the two titles' buffers */
  print_message("count with the exact check: %ld allocation failure points\n", points);
  assert_true(points >= 7 / stride);
  cbc_db_close(db);
  cbc_test_alloc_uninstall();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spelled_out),
    cmocka_unit_test(test_same_as_full_index),
    cmocka_unit_test(test_migration_from_v14),
    cmocka_unit_test(test_migration_faults),
    cmocka_unit_test(test_exact_check_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
