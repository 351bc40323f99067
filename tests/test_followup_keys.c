/* Anonymous follow-up keys (docs/security.md): only their hashes are
 * stored, lookups are limited, and databases holding plain keys are
 * migrated to hashes without a copy left in the file. */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000040; /* a window starts every 60 s: this is 0 s into one */

static int setup(void **state)
{
  now = 1700000040;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static cbc_hazard_record tip(cbc_db *db, const char *title)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.unit_id = cbc_test_unit_id(db, "T2");
  r.title = title;
  r.kind = CBC_HAZARD_SOFT;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_RULES;
  r.source = CBC_SOURCE_HOTLINE;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  return r;
}

static int64_t report_tip(cbc_db *db, const char *title, char **key)
{
  cbc_hazard_record r = tip(db, title);
  int64_t id = 0;
  assert_cbc_ok(cbc_hazard_report(&id, key, db, &r));
  assert_non_null(*key);
  return id;
}

/* A well-formed key no hazard has. */
static const char *wrong_key(int i)
{
  static char buf[33];
  snprintf(buf, sizeof(buf), "%032x", 0xdead0000u + (unsigned)i);
  return buf;
}

static void expect_answer(cbc_db *db, const char *key, int64_t id)
{
  cbc_hazard_answer *a = NULL;
  assert_cbc_ok(cbc_hazard_answer_by_key(&a, db, key));
  assert_int_equal(a->hazard_id, id);
  cbc_hazard_answer_free(a);
}

static void test_key_form(void **state)
{
  cbc_db *db = *state;
  char *key = NULL;
  int64_t id = report_tip(db, "违章指挥", &key);
  assert_int_equal(strlen(key), 32);
  for (const char *p = key; *p; p++)
    assert_non_null(strchr("0123456789abcdef", *p));
  expect_answer(db, key, id);
  char upper[33];
  for (int i = 0; i < 33; i++)
    upper[i] = (char)(key[i] >= 'a' && key[i] <= 'f' ? key[i] - 'a' + 'A' : key[i]);
  expect_answer(db, upper, id); /* typed back by hand */
  cbc_hazard_answer *a = NULL;
  char longer[40];
  snprintf(longer, sizeof(longer), "%s0", key);
  const char *malformed[] = { "", "0000", "no-such-key", longer, "0123456789abcdef0123456789abcdeg" };
  /* the wrong form can match nothing and is not counted: far more than the
   * limit of them leave lookups open */
  for (int round = 0; round < 3 * CBC_FOLLOWUP_GUESS_LIMIT; round++)
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
      assert_cbc_error(cbc_hazard_answer_by_key(&a, db, malformed[i]), CBC_ENOTFOUND,
                       "32 hex digits");
  expect_answer(db, key, id);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, NULL), CBC_EINVAL, NULL);
  cbc_free(key);
}

static void test_guess_limit(void **state)
{
  cbc_db *db = *state;
  char *key = NULL;
  int64_t id = report_tip(db, "违章指挥", &key);
  cbc_hazard_answer *a = NULL;
  cbc_award *award = NULL;
  for (int i = 0; i < CBC_FOLLOWUP_GUESS_LIMIT; i++) {
    now++; /* spread over the window */
    assert_cbc_error(i % 2 ? cbc_hazard_answer_by_key(&a, db, wrong_key(i))
                           : cbc_award_by_key(&award, db, wrong_key(i)),
                     CBC_ENOTFOUND, "follow-up key");
  }
  /* the limit holds for every key, the right one too, by both calls */
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, wrong_key(99)), CBC_EBUSY, "resume in");
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, key), CBC_EBUSY, "wrong follow-up keys");
  assert_cbc_error(cbc_award_by_key(&award, db, key), CBC_EBUSY, "limit is 20");
  assert_null(a);
  /* the next window opens lookups again */
  now += CBC_FOLLOWUP_GUESS_WINDOW;
  expect_answer(db, key, id);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, wrong_key(100)), CBC_ENOTFOUND, NULL);
  cbc_free(key);
}

/* The count lives in the file: another handle (another process) does not
 * get fresh guesses; a read-only handle obeys it and counts its own. */
static void test_limit_shared_by_handles(void **state)
{
  (void)state;
  const char *path = cbc_test_path("guess.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  char *key = NULL;
  int64_t id = report_tip(db, "违章指挥", &key);
  cbc_db *other = cbc_test_db_file(path, &now);
  cbc_db_options ro_opts = CBC_DB_OPTIONS_INIT;
  ro_opts.flags = CBC_DB_READONLY;
  ro_opts.clock = cbc_test_clock;
  ro_opts.clock_payload = &now;
  cbc_db *ro = NULL;
  assert_cbc_ok(cbc_db_open(&ro, path, &ro_opts));
  cbc_hazard_answer *a = NULL;
  for (int i = 0; i < CBC_FOLLOWUP_GUESS_LIMIT / 2; i++)
    assert_cbc_error(cbc_hazard_answer_by_key(&a, db, wrong_key(i)), CBC_ENOTFOUND, NULL);
  for (int i = CBC_FOLLOWUP_GUESS_LIMIT / 2; i < CBC_FOLLOWUP_GUESS_LIMIT; i++)
    assert_cbc_error(cbc_hazard_answer_by_key(&a, other, wrong_key(i)), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, db, key), CBC_EBUSY, NULL);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, other, key), CBC_EBUSY, NULL);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, ro, key), CBC_EBUSY, NULL);
  cbc_db_close(other);
  other = cbc_test_db_file(path, &now); /* a new handle starts no new count */
  assert_cbc_error(cbc_hazard_answer_by_key(&a, other, key), CBC_EBUSY, NULL);
  /* next window: the read-only handle's own wrong keys stop it alone */
  now += CBC_FOLLOWUP_GUESS_WINDOW;
  expect_answer(db, key, id);
  for (int i = 0; i < CBC_FOLLOWUP_GUESS_LIMIT; i++)
    assert_cbc_error(cbc_hazard_answer_by_key(&a, ro, wrong_key(i)), CBC_ENOTFOUND, NULL);
  assert_cbc_error(cbc_hazard_answer_by_key(&a, ro, key), CBC_EBUSY, NULL);
  expect_answer(db, key, id);
  cbc_db_close(ro);
  cbc_db_close(other);
  cbc_db_close(db);
  cbc_free(key);
  cbc_test_unlink(path);
}

/* Nothing the library hands out or stores besides the caller's copy holds
 * the key: not the row, not the history, not the hook's events. */
typedef struct seen {
  char data[8][1024];
  int n;
} seen;

static int hook(const cbc_hazard_event *ev, void *payload)
{
  seen *s = payload;
  if (s->n < 8)
    snprintf(s->data[s->n++], sizeof(s->data[0]), "%s", ev->data);
  return 0;
}

static bool file_contains(const char *path, const char *needle)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)size + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
  fclose(f);
  size_t n = strlen(needle);
  bool found = false;
  for (long i = 0; i + (long)n <= size && !found; i++)
    found = memcmp(buf + i, needle, n) == 0;
  free(buf);
  return found;
}

static bool db_files_contain(const char *path, const char *needle)
{
  char wal[600];
  snprintf(wal, sizeof(wal), "%s-wal", path);
  return file_contains(path, needle) || file_contains(wal, needle);
}

static void test_key_never_stored(void **state)
{
  (void)state;
  const char *path = cbc_test_path("plain.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  seen s = { .n = 0 };
  assert_cbc_ok(cbc_hazard_set_event_hook(db, hook, &s));
  char *keys[3];
  int64_t ids[3];
  for (int i = 0; i < 3; i++)
    ids[i] = report_tip(db, "违章指挥", &keys[i]);
  assert_int_equal(s.n, 3);
  for (int i = 0; i < 3; i++) {
    cbc_hazard_event *ev = NULL;
    size_t n = 0;
    assert_cbc_ok(cbc_hazard_history(&ev, &n, db, ids[i]));
    for (size_t j = 0; j < n; j++)
      assert_null(strstr(ev[j].data, keys[i]));
    cbc_hazard_events_free(ev, n);
    for (int j = 0; j < s.n; j++)
      assert_null(strstr(s.data[j], keys[i]));
    assert_false(db_files_contain(path, keys[i]));
  }
  sqlite3 *raw = db->store->db;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM hazards WHERE followup_key IS "
                                           "NOT NULL OR length(followup_hash) != 32", -1, &st,
                                      NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
  cbc_db_close(db);
  for (int i = 0; i < 3; i++) {
    assert_false(file_contains(path, keys[i]));
    cbc_free(keys[i]);
  }
  cbc_test_unlink(path);
}

static void raw_exec(sqlite3 *raw, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec(raw, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A version-6 file keeps its keys in plain text; opening it replaces each
 * by its hash: the keys still work, and no byte of them is left, in the
 * database or its WAL. */
static void test_migration_from_v6(void **state)
{
  (void)state;
  const char *path = cbc_test_path("v6.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  static const char *const plain[3] = { "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                                        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                                        "77777777777777777777777777777777" };
  int64_t ids[3];
  for (int i = 0; i < 3; i++) {
    char *key;
    ids[i] = report_tip(db, "违章指挥", &key);
    cbc_free(key);
  }
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  raw_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 CBC_TEST_UNDO_V17 CBC_TEST_UNDO_V9 CBC_TEST_UNDO_V8 CBC_TEST_UNDO_V7);
  for (int i = 0; i < 3; i++) {
    char sql[200];
    snprintf(sql, sizeof(sql), "UPDATE hazards SET followup_key = '%s' WHERE id = %lld",
             plain[i], (long long)ids[i]);
    raw_exec(raw, sql);
  }
  raw_exec(raw, "PRAGMA user_version=6");
  sqlite3_close(raw);
  for (int i = 0; i < 3; i++)
    assert_true(file_contains(path, plain[i])); /* the test can see a plain key */
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  for (int i = 0; i < 3; i++)
    expect_answer(db, plain[i], ids[i]);
  /* checkpoint the migration into the file, keeping the WAL to look at */
  assert_int_equal(sqlite3_wal_checkpoint_v2(db->store->db, NULL, SQLITE_CHECKPOINT_FULL, NULL,
                                             NULL), SQLITE_OK);
  for (int i = 0; i < 3; i++)
    assert_false(db_files_contain(path, plain[i]));
  cbc_db_close(db);
  for (int i = 0; i < 3; i++)
    assert_false(file_contains(path, plain[i]));
  db = cbc_test_db_file(path, &now);
  expect_answer(db, plain[1], ids[1]);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_key_form, setup, teardown),
    cmocka_unit_test_setup_teardown(test_guess_limit, setup, teardown),
    cmocka_unit_test(test_limit_shared_by_handles),
    cmocka_unit_test(test_key_never_stored),
    cmocka_unit_test(test_migration_from_v6),
  };
  return cmocka_run_group_tests_name("followup_keys", tests, NULL, NULL);
}
