/* The hazard ledger (docs/ledger.md): sort orders, keyset paging that stays
 * stable while hazards are added, counts and pages against a brute-force
 * filter over randomised histories, Chinese text search, cursor misuse,
 * version-1 filters, the schema step that builds the search index, the
 * query plans, and allocation failures on the new paths. */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000000;
static const int64_t DAY = 86400;

static int setup(void **state)
{
  now = 1700000000;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  cbc_db_close(*state);
  return 0;
}

static int64_t E(cbc_db *db, const char *ext) { return cbc_test_employee_id(db, ext); }
static int64_t U(cbc_db *db, const char *ext) { return cbc_test_unit_id(db, ext); }

static int64_t report_text(cbc_db *db, const char *reporter, const char *unit, const char *title,
                           const char *description)
{
  cbc_hazard_record r = CBC_HAZARD_RECORD_INIT;
  r.reporter_id = E(db, reporter);
  r.unit_id = U(db, unit);
  r.title = title;
  r.description = description;
  r.kind = CBC_HAZARD_HARD;
  r.category = CBC_CATEGORY_SAFETY;
  r.check_item = CBC_CHECK_EQUIPMENT_GUARDING;
  r.source = CBC_SOURCE_SELF_CHECK;
  r.proposed_severity = CBC_SEVERITY_GENERAL;
  int64_t id;
  assert_cbc_ok(cbc_hazard_report(&id, NULL, db, &r));
  now += 60;
  return id;
}

static int64_t report(cbc_db *db, const char *reporter, const char *unit)
{
  return report_text(db, reporter, unit, "防护栏松动", "");
}

static const cbc_rectification_plan plan = { "更换护栏", "停机更换", "5万元, 钢材",
                                             "设备科, 孙华", 1800000000, "停机挂牌, 专人监护" };

static int register_as(cbc_db *db, int64_t id, const char *actor, cbc_severity sev,
                       cbc_level level, int64_t deadline)
{
  cbc_hazard_registration r = CBC_HAZARD_REGISTRATION_INIT;
  r.severity = sev;
  r.level = level;
  r.measures = "紧固护栏螺栓";
  r.deadline = deadline;
  r.contingency_plan = "设置警示带";
  r.plan = sev == CBC_SEVERITY_MAJOR ? &plan : NULL;
  return cbc_hazard_register(db, id, E(db, actor), &r);
}

/* ------------------------------------------------------------ listing */

typedef struct listed_row {
  int64_t id, key;
} listed_row;

/* Iterate @p f to the end; rows and the last cursor (cbc_free) handed back. */
static size_t list(cbc_db *db, const cbc_hazard_filter *f, listed_row *rows, size_t cap,
                   char **cursor)
{
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  size_t n = 0;
  int rc;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, f));
  while ((rc = cbc_hazard_iter_next(&h, it)) == 0) {
    assert_true(n < cap);
    int64_t key = f->sort == CBC_HAZARD_SORT_DEADLINE  ? h->deadline
                  : f->sort == CBC_HAZARD_SORT_UPDATED ? h->updated_at
                                                       : h->id;
    rows[n++] = (listed_row){ h->id, key };
  }
  assert_int_equal(rc, CBC_ITEROVER);
  if (cursor) {
    *cursor = NULL;
    if (n)
      assert_cbc_ok(cbc_hazard_iter_cursor(cursor, it));
    else
      assert_cbc_error(cbc_hazard_iter_cursor(cursor, it), CBC_EINVAL, "first row");
  }
  cbc_hazard_iter_free(it);
  return n;
}

static bool in_order(const listed_row *a, const listed_row *b, int descending)
{
  bool before = a->key < b->key || (a->key == b->key && a->id < b->id);
  return descending ? !before : before;
}

/* A history with distinct deadlines and last moves out of id order. */
static void sortable_history(cbc_db *db, int64_t ids[12])
{
  for (int i = 0; i < 12; i++)
    ids[i] = report(db, i % 2 ? "A1" : "B1", i % 2 ? "T1" : "T2");
  for (int i = 0; i < 12; i += 3) {
    const char *leader = i % 2 ? "L1" : "L2";
    assert_cbc_ok(register_as(db, ids[i], leader, CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM,
                              now + (20 - i) * DAY));
    now += 60;
  }
  for (int i = 9; i >= 0; i -= 3) {
    assert_cbc_ok(cbc_hazard_start(db, ids[i], E(db, i % 2 ? "L1" : "L2")));
    now += 60;
  }
}

static void test_sort_orders(void **state)
{
  cbc_db *db = *state;
  int64_t ids[12];
  sortable_history(db, ids);
  listed_row rows[32];
  for (int sort = 0; sort <= 2; sort++)
    for (int desc = 0; desc <= 1; desc++) {
      cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
      f.sort = (cbc_hazard_sort)sort;
      f.descending = desc;
      size_t n = list(db, &f, rows, 32, NULL);
      assert_int_equal(n, 12);
      for (size_t i = 1; i < n; i++)
        assert_true(in_order(&rows[i - 1], &rows[i], desc));
      int64_t count;
      assert_cbc_ok(cbc_hazard_count(&count, db, &f));
      assert_int_equal(count, 12);
    }
  /* by deadline: the unregistered (0) first, then the latest-registered
   * hazard, whose deadline is the earliest */
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.sort = CBC_HAZARD_SORT_DEADLINE;
  f.states = CBC_HAZARD_STATES_OPEN;
  assert_int_equal(list(db, &f, rows, 32, NULL), 4);
  assert_int_equal(rows[0].id, ids[9]);
  /* by last move, latest first: the last start */
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.sort = CBC_HAZARD_SORT_UPDATED;
  f.descending = 1;
  f.limit = 1;
  assert_int_equal(list(db, &f, rows, 32, NULL), 1);
  assert_int_equal(rows[0].id, ids[0]);
}

/* Named state sets are the states they name. */
static void test_state_sets(void **state)
{
  cbc_db *db = *state;
  int64_t ids[12];
  sortable_history(db, ids);
  assert_cbc_ok(cbc_hazard_reject(db, ids[1], E(db, "L1"), "不是隐患", 0));
  const struct { unsigned int set; int64_t n; } sets[] = {
    { CBC_HAZARD_STATES_OPEN, 4 }, { CBC_HAZARD_STATES_NEW, 7 }, { CBC_HAZARD_STATES_DONE, 1 },
    { CBC_HAZARD_STATES_CLOSED, 0 }, { CBC_HAZARD_STATES_ACTIVE, 11 },
  };
  for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.states = sets[i].set;
    int64_t n;
    assert_cbc_ok(cbc_hazard_count(&n, db, &f));
    assert_int_equal(n, sets[i].n);
  }
}

static bool seen_before(const int64_t *ids, size_t n, int64_t id)
{
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id)
      return true;
  return false;
}

/* Pages of 7 with 3 new hazards reported before each next page: every
 * hazard that existed at the start appears exactly once, in every sort. */
static void test_paging_stable_while_adding(void **state)
{
  cbc_db *db = *state;
  int64_t ids[12];
  sortable_history(db, ids);
  for (int i = 0; i < 18; i++)
    report(db, "A2", "T1");
  for (int sort = 0; sort <= 2; sort++)
    for (int desc = 0; desc <= 1; desc++) {
      int64_t at_start;
      assert_cbc_ok(cbc_hazard_count(&at_start, db, NULL));
      int64_t first_new = at_start + 1; /* ids are handed out in order */
      int64_t seen[512];
      size_t n_seen = 0;
      char *cursor = NULL;
      listed_row page[8], last = { 0, 0 };
      size_t n;
      do {
        cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
        f.sort = (cbc_hazard_sort)sort;
        f.descending = desc;
        f.after = cursor;
        f.limit = 7;
        char *next;
        n = list(db, &f, page, 8, &next);
        for (size_t i = 0; i < n; i++) {
          assert_false(seen_before(seen, n_seen, page[i].id)); /* no row twice */
          if (n_seen)
            assert_true(in_order(&last, &page[i], desc));
          last = page[i];
          seen[n_seen++] = page[i].id;
        }
        for (int i = 0; i < 3 && n && n_seen <= 21; i++) /* between the first pages */
          report(db, "B1", "T2");
        cbc_free(cursor);
        cursor = next;
      } while (n);
      for (int64_t id = 1; id < first_new; id++)
        assert_true(seen_before(seen, n_seen, id)); /* none missing */
    }
}

/* --------------------------------------------------- randomised history */

typedef struct bf_hazard {
  int64_t id, unit_id, reporter_id, responsible_id, deadline, reported_at, closed_at,
    updated_at;
  int state, severity, level, listed;
  char title[64], description[64];
} bf_hazard;

typedef struct bf_world {
  bf_hazard *h;
  size_t n;
  int64_t units[7];          /* R1 E1 W1 W2 T1 T2 E2 */
  int64_t subtree[7][16];    /* each unit's subtree */
  size_t subtree_n[7];
} bf_world;

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static int pick(int n) { return (int)(next_rand() % (uint64_t)n); }

static const char *const titles[] = { "防护栏松动", "配电箱门未关闭", "电线老化裸露",
                                      "灭火器过期", "安全通道堵塞", "Crane hook worn" };
static const char *const descriptions[] = { "", "车间配电箱旁电线老化", "通道有杂物",
                                            "50% 的护栏_松动", "hook \"B\" worn" };

/* One random move on hazard @p id (failures are moves the state does not
 * allow: ignored, the history is what succeeded). */
static void random_move(cbc_db *db, int64_t id, const char *team)
{
  bool t1 = strcmp(team, "T1") == 0;
  const char *leader = t1 ? "L1" : "L2";
  switch (pick(7)) {
  case 0:
    (void)register_as(db, id, leader, CBC_SEVERITY_GENERAL, CBC_LEVEL_TEAM,
                      now + (pick(20) - 5) * DAY + 1);
    break;
  case 1:
    (void)register_as(db, id, "S1", CBC_SEVERITY_MAJOR, CBC_LEVEL_ENTERPRISE,
                      now + (pick(20) - 5) * DAY + 1);
    break;
  case 2:
    (void)cbc_hazard_start(db, id, E(db, leader));
    (void)cbc_hazard_start(db, id, E(db, "P1"));
    break;
  case 3:
    (void)cbc_hazard_submit(db, id, E(db, leader), "已整改", NULL, 0);
    (void)cbc_hazard_submit(db, id, E(db, "P1"), "已整改", NULL, 0);
    break;
  case 4:
    (void)cbc_hazard_verify(db, id, E(db, "S1"), 1, "验收合格", NULL, 0);
    break;
  case 5:
    (void)cbc_hazard_list_supervision(db, id, E(db, "I1"), "历下区应急管理局", "督-1", 0);
    break;
  default:
    (void)cbc_hazard_reject(db, id, E(db, leader), "不是隐患", 0);
  }
  now += pick(3) * 3600 + 1;
}

static void bf_load(cbc_db *db, bf_world *w)
{
  static const char *const exts[7] = { "R1", "E1", "W1", "W2", "T1", "T2", "E2" };
  for (int u = 0; u < 7; u++) {
    w->units[u] = U(db, exts[u]);
    cbc_unit_iter *it;
    const cbc_unit *unit;
    w->subtree_n[u] = 0;
    assert_cbc_ok(cbc_unit_iter_subtree(&it, db, w->units[u]));
    while (cbc_unit_iter_next(&unit, it) == 0)
      w->subtree[u][w->subtree_n[u]++] = unit->id;
    cbc_unit_iter_free(it);
  }
  int64_t total;
  assert_cbc_ok(cbc_hazard_count(&total, db, NULL));
  w->h = calloc((size_t)total, sizeof(*w->h));
  w->n = 0;
  cbc_hazard_iter *it;
  const cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, NULL));
  while (cbc_hazard_iter_next(&h, it) == 0) {
    bf_hazard *b = &w->h[w->n++];
    *b = (bf_hazard){ h->id, h->unit_id, h->reporter_id, h->responsible_id, h->deadline,
                      h->reported_at, h->closed_at, h->updated_at, (int)h->state,
                      (int)h->severity, (int)h->level, h->listed, "", "" };
    snprintf(b->title, sizeof(b->title), "%s", h->title);
    snprintf(b->description, sizeof(b->description), "%s", h->description);
  }
  cbc_hazard_iter_free(it);
  assert_int_equal(w->n, total);
}

static bool bf_in_unit(const bf_world *w, int64_t unit_id, int64_t hazard_unit)
{
  for (int u = 0; u < 7; u++)
    if (w->units[u] == unit_id)
      for (size_t i = 0; i < w->subtree_n[u]; i++)
        if (w->subtree[u][i] == hazard_unit)
          return true;
  return unit_id == 0;
}

static bool bf_match(const bf_world *w, const bf_hazard *h, const cbc_hazard_filter *f)
{
  if ((f->states && !(f->states & (1u << h->state))) ||
      (f->severity && (int)f->severity != h->severity) ||
      (f->level && (int)f->level != h->level) || !bf_in_unit(w, f->unit_id, h->unit_id) ||
      (f->reporter_id && f->reporter_id != h->reporter_id) ||
      (f->responsible_id && f->responsible_id != h->responsible_id) ||
      (f->reported_from && h->reported_at < f->reported_from) ||
      (f->reported_to && h->reported_at >= f->reported_to) ||
      (f->closed_from && (!h->closed_at || h->closed_at < f->closed_from)) ||
      (f->closed_to && (!h->closed_at || h->closed_at >= f->closed_to)) ||
      (f->listed && !h->listed))
    return false;
  if (f->overdue_at && !(h->state >= CBC_HAZARD_REGISTERED &&
                         h->state <= CBC_HAZARD_PENDING_VERIFICATION && h->deadline > 0 &&
                         h->deadline < f->overdue_at))
    return false;
  if (f->text && *f->text && !strstr(h->title, f->text) && !strstr(h->description, f->text))
    return false;
  return true;
}

static int64_t bf_key(const bf_hazard *h, cbc_hazard_sort sort)
{
  return sort == CBC_HAZARD_SORT_DEADLINE ? h->deadline
         : sort == CBC_HAZARD_SORT_UPDATED ? h->updated_at
                                           : h->id;
}

static void random_filter(cbc_db *db, const bf_world *w, int64_t t0, cbc_hazard_filter *f)
{
  static const char *const texts[] = { "护栏", "配电箱", "电线", "老化", "线", "50%",
                                       "_", "\"B\"", "hook", "不存在的词" };
  static const char *const people[] = { "A1", "A2", "B1", "L1", "L2", "S1", "P1" };
  int64_t span = now - t0 + 1;
  *f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  if (!pick(4))
    f->states = (unsigned int)(next_rand() & 0x7e);
  if (!pick(6))
    f->severity = (cbc_severity)(1 + pick(2));
  if (!pick(8))
    f->level = (cbc_level)(1 + pick(4));
  if (!pick(3))
    f->unit_id = w->units[pick(7)];
  if (!pick(6))
    f->reporter_id = E(db, people[pick(3)]);
  if (!pick(8))
    f->responsible_id = E(db, people[3 + pick(4)]);
  if (!pick(6))
    f->overdue_at = t0 + pick((int)span) + 1;
  if (!pick(6))
    f->reported_from = t0 + pick((int)span) + 1;
  if (!pick(6))
    f->reported_to = f->reported_from + pick((int)span) + 1;
  if (!pick(8))
    f->closed_from = t0 + pick((int)span) + 1;
  if (!pick(8))
    f->closed_to = f->closed_from + pick((int)span) + 1;
  if (!pick(8))
    f->listed = 1;
  if (!pick(4))
    f->text = texts[pick(10)];
  f->sort = (cbc_hazard_sort)pick(3);
  f->descending = pick(2);
}

/* The expected rows of @p f in order, by brute force. */
static size_t bf_expect(const bf_world *w, const cbc_hazard_filter *f, listed_row *out)
{
  size_t n = 0;
  for (size_t i = 0; i < w->n; i++)
    if (bf_match(w, &w->h[i], f))
      out[n++] = (listed_row){ w->h[i].id, bf_key(&w->h[i], f->sort) };
  for (size_t i = 1; i < n; i++) /* insertion sort: small */
    for (size_t j = i; j > 0 && !in_order(&out[j - 1], &out[j], f->descending); j--) {
      listed_row t = out[j];
      out[j] = out[j - 1];
      out[j - 1] = t;
    }
  return n;
}

/* The setting that says hazard ids follow report times (schema step 11). */
static int64_t ids_in_report_order(cbc_db *db)
{
  return cbc_test_sql_int(db, "SELECT value FROM settings"
                              " WHERE key = 'hazard_ids_in_report_order'");
}

/* 240 random reports and moves, then 400 random filters, each counted,
 * listed whole and listed in pages, against the brute-force answer.  With
 * @p clock_goes_back one report in eight comes with the clock set back by
 * up to two days, so hazard ids no longer follow report times. */
static void brute_force(cbc_db *db, bool clock_goes_back)
{
  int64_t t0 = now;
  int64_t ids[240];
  int team_of[240];
  const char *teams[] = { "T1", "T2" };
  const char *reporters[] = { "A1", "A2", "B1" };
  for (int i = 0; i < 240; i++) {
    int r = pick(3);
    int64_t back = clock_goes_back && i > 20 && !pick(8) ? (1 + pick(48)) * 3600 : 0;
    now = now - back > t0 ? now - back : t0 + 1;
    team_of[i] = r == 2;
    ids[i] = report_text(db, reporters[r], teams[team_of[i]], titles[pick(6)],
                         descriptions[pick(5)]);
    for (int m = pick(5); m > 0; m--) {
      int which = pick(i + 1);
      random_move(db, ids[which], teams[team_of[which]]);
    }
  }
  bf_world w;
  bf_load(db, &w);
  listed_row *expect = calloc(w.n, sizeof(*expect)), *got = calloc(w.n + 1, sizeof(*got));
  size_t nonempty = 0, pages = 0;
  for (int round = 0; round < 400; round++) {
    cbc_hazard_filter f;
    random_filter(db, &w, t0, &f);
    size_t n = bf_expect(&w, &f, expect);
    int64_t count;
    assert_cbc_ok(cbc_hazard_count(&count, db, &f));
    assert_int_equal(count, n);
    /* all at once, then in pages of a random size */
    assert_int_equal(list(db, &f, got, w.n + 1, NULL), n);
    for (size_t i = 0; i < n; i++)
      assert_int_equal(got[i].id, expect[i].id);
    f.limit = (size_t)(1 + pick(9));
    char *cursor = NULL;
    size_t at = 0, m;
    do {
      char *next;
      f.after = cursor;
      m = list(db, &f, got + at, w.n + 1 - at, &next);
      assert_true(m <= f.limit);
      at += m;
      pages++;
      cbc_free(cursor);
      cursor = next;
    } while (m);
    assert_int_equal(at, n);
    for (size_t i = 0; i < n; i++)
      assert_int_equal(got[i].id, expect[i].id);
    nonempty += n > 0;
  }
  print_message("%zu hazards, 400 filters (%zu matching some), %zu pages\n", w.n, nonempty,
                pages);
  assert_true(nonempty > 150);
  assert_int_equal(ids_in_report_order(db), !clock_goes_back);
  free(expect);
  free(got);
  free(w.h);
}

static void test_count_and_pages_match_brute_force(void **state)
{
  brute_force(*state, false);
}

static void test_brute_force_with_reports_out_of_order(void **state)
{
  brute_force(*state, true);
}

/* ------------------------------------------------------------- search */

static int64_t count_text(cbc_db *db, const char *text)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = text;
  int64_t n;
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  listed_row rows[16];
  assert_int_equal(list(db, &f, rows, 16, NULL), n);
  return n;
}

static void test_chinese_search(void **state)
{
  cbc_db *db = *state;
  report_text(db, "A1", "T1", "配电箱门未关闭", "");
  report_text(db, "A1", "T1", "电线老化裸露", "车间东侧");
  report_text(db, "B1", "T2", "通道堵塞", "配电箱前堆放杂物");
  report_text(db, "B1", "T2", "Guard RAIL loose", "100% 生锈_严重");
  assert_int_equal(count_text(db, "配电箱"), 2);      /* trigram index, title or description */
  assert_int_equal(count_text(db, "电线"), 1);        /* two characters: LIKE */
  assert_int_equal(count_text(db, "电"), 3);          /* one: 配电箱 twice, 电线 */
  assert_int_equal(count_text(db, "配电箱门未关闭"), 1);
  assert_int_equal(count_text(db, "配电 箱"), 0);
  assert_int_equal(count_text(db, "rail"), 1);        /* ASCII case folds */
  assert_int_equal(count_text(db, "%"), 1);           /* a LIKE wildcard is only itself */
  assert_int_equal(count_text(db, "_"), 1);
  assert_int_equal(count_text(db, "% 生"), 1);
  assert_int_equal(count_text(db, "\"x"), 0);         /* FTS5 syntax is only text */
  assert_int_equal(count_text(db, "AND"), 0);
  assert_int_equal(count_text(db, ""), 4);            /* no search */
  /* with the other filters */
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.text = "配电箱";
  f.unit_id = U(db, "T2");
  int64_t n;
  assert_cbc_ok(cbc_hazard_count(&n, db, &f));
  assert_int_equal(n, 1);
  /* bad text */
  f.text = "配电\n箱";
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "text");
  f.text = "\xe9\x85";
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "text");
  char long_text[CBC_MAX_TITLE + 2];
  memset(long_text, 'a', sizeof(long_text) - 1);
  long_text[sizeof(long_text) - 1] = '\0';
  f.text = long_text;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "text");
}

/* Where another filter drives (here the reporter), a text of characters
 * without case, or of ASCII other than k and s, is checked per row with
 * LIKE, which must find what the index finds; a text that LIKE would
 * match differently (the index folds the Kelvin sign to k and the long s
 * to s) keeps the index. */
static void test_search_per_row_like_index(void **state)
{
  cbc_db *db = *state;
  report_text(db, "A1", "T1", "配电箱门未关闭", "");
  report_text(db, "A1", "T1", "Guard RAIL loose", "");
  report_text(db, "A1", "T1", "\xe2\x84\xaa" "ey box", "");  /* KELVIN SIGN, "ey box" */
  report_text(db, "A1", "T1", "pre\xc5\xbf" "s gauge", ""); /* "pre", LONG S, "s gauge" */
  for (int i = 0; i < 30; i++)
    report(db, "B1", "T2");
  const struct {
    const char *text;
    int64_t n;
  } cases[] = { { "配电箱", 1 }, { "rail", 1 }, { "RAIL LOOSE", 1 }, { "key", 1 },
                { "KEY BOX", 1 }, { "press", 1 }, { "防护栏", 0 } };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.text = cases[i].text;
    f.reporter_id = E(db, "A1");
    int64_t n;
    assert_cbc_ok(cbc_hazard_count(&n, db, &f));
    print_message("%s: %lld\n", cases[i].text, (long long)n);
    assert_int_equal(n, cases[i].n);
    listed_row rows[4];
    f.limit = 4;
    assert_int_equal(list(db, &f, rows, 4, NULL), n);
  }
  cbc_hazard_filter alone = CBC_HAZARD_FILTER_INIT; /* the index drives */
  alone.text = "防护栏";
  int64_t n;
  assert_cbc_ok(cbc_hazard_count(&n, db, &alone));
  assert_int_equal(n, 30);
}

/* A title or description changed in the file later (an amendment, a repair)
 * is searched as changed: the index follows in the same transaction. */
static void test_search_follows_changes(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_change.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t id = report_text(db, "A1", "T1", "配电箱门未关闭", "");
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  char sql[128];
  /* the library never changes a report's title (hazards_report_fixed, schema
   * step 13 -> 14); the index follows a hand-made change all the same */
  snprintf(sql, sizeof(sql), "DROP TRIGGER hazards_report_fixed;"
           "UPDATE hazards SET title = '电缆沟积水' WHERE id = %lld", (long long)id);
  assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "INSERT INTO hazards_fts(hazards_fts) VALUES"
                                     "('integrity-check')", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  assert_int_equal(count_text(db, "配电箱"), 0);
  assert_int_equal(count_text(db, "电缆沟"), 1);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* --------------------------------------------------------- bad cursors */

static void test_cursor_misuse(void **state)
{
  cbc_db *db = *state;
  for (int i = 0; i < 5; i++)
    report(db, "A1", "T1");
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.limit = 2;
  listed_row rows[8];
  char *by_id, *by_deadline;
  assert_int_equal(list(db, &f, rows, 8, &by_id), 2);
  f.sort = CBC_HAZARD_SORT_DEADLINE;
  assert_int_equal(list(db, &f, rows, 8, &by_deadline), 2);
  const char *garbage[] = { "", "abc", "h2:0:0:2", "h2:0:0:2:2x", "h2:0:0:-1:2", "h2:0:0:2:0",
                            " h2:0:0:2:2", "h2:0:0:02:2", "h2:0:0:+2:2", "h1:0:0:2:2",
                            "h2:0:0:99999999999999999999:2" };
  cbc_hazard_iter *it;
  int64_t n;
  for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
    f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
    f.after = garbage[i];
    assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "cursor");
    assert_null(it);
    assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "cursor");
  }
  /* from another sort or direction */
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.after = by_deadline;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "another sort");
  f.sort = CBC_HAZARD_SORT_DEADLINE;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  cbc_hazard_iter_free(it);
  f.descending = 1;
  assert_cbc_error(cbc_hazard_iter_new(&it, db, &f), CBC_EINVAL, "another sort");
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.after = by_id;
  assert_int_equal(list(db, &f, rows, 8, NULL), 3);
  assert_int_equal(rows[0].id, 3);
  /* the iterator's cursor */
  char *c;
  assert_cbc_error(cbc_hazard_iter_cursor(NULL, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_iter_cursor(&c, NULL), CBC_EINVAL, NULL);
  assert_null(c);
  /* bad version-2 fields */
  int bad[][3] = { { 2, 0, 0 }, { 0, 3, 0 }, { 0, -1, 0 }, { 0, 0, 2 }, { -1, 0, 0 } };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
    f.listed = bad[i][0];
    f.sort = (cbc_hazard_sort)bad[i][1];
    f.descending = bad[i][2];
    assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "filter");
  }
  f = (cbc_hazard_filter)CBC_HAZARD_FILTER_INIT;
  f.version = CBC_HAZARD_FILTER_VERSION + 1;
  assert_cbc_error(cbc_hazard_count(&n, db, &f), CBC_EINVAL, "version");
  assert_cbc_error(cbc_hazard_count(NULL, db, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_count(&n, NULL, NULL), CBC_EINVAL, NULL);
  cbc_free(by_id);
  cbc_free(by_deadline);
}

/* ------------------------------------------------------- version 1 */

/* The filter as a 1.0 or 1.1 caller compiled it. */
typedef struct filter_v1 {
  unsigned int version;
  unsigned int states;
  cbc_severity severity;
  cbc_level level;
  int64_t unit_id, reporter_id, responsible_id, overdue_at, reported_from, reported_to,
    closed_from, closed_to;
} filter_v1;

static void test_filter_v1_callers(void **state)
{
  cbc_db *db = *state;
  report(db, "A1", "T1");
  report(db, "B1", "T2");
  report(db, "A2", "T1");
  /* followed by bytes that must not be read as version-2 fields */
  struct {
    filter_v1 f;
    unsigned char junk[64];
  } old;
  memset(&old, 0xA5, sizeof(old));
  memset(&old.f, 0, sizeof(old.f));
  old.f.version = 1;
  old.f.unit_id = U(db, "T1");
  const cbc_hazard_filter *as_new = (const cbc_hazard_filter *)(const void *)&old.f;
  int64_t n;
  assert_cbc_ok(cbc_hazard_count(&n, db, as_new));
  assert_int_equal(n, 2);
  listed_row rows[8];
  assert_int_equal(list(db, as_new, rows, 8, NULL), 2);
  assert_true(rows[0].id < rows[1].id); /* by id */
  /* the init function writes only a version's own bytes */
  struct {
    filter_v1 f;
    unsigned char guard[64];
  } init;
  memset(&init, 0x5A, sizeof(init));
  assert_cbc_ok(cbc_hazard_filter_init((cbc_hazard_filter *)(void *)&init.f, 1));
  assert_int_equal(init.f.version, 1);
  assert_int_equal(init.f.unit_id, 0);
  for (size_t i = 0; i < sizeof(init.guard); i++)
    assert_int_equal(init.guard[i], 0x5A);
  cbc_hazard_filter full;
  memset(&full, 0x5A, sizeof(full));
  assert_cbc_ok(cbc_hazard_filter_init(&full, CBC_HAZARD_FILTER_VERSION));
  assert_null(full.text);
  assert_null(full.after);
  assert_int_equal(full.limit, 0);
}

/* ----------------------------------------------------------- migration */

/* A file at schema 9 (no search index) gets it built from its hazards. */
static void test_migration_builds_search(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_v9.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  report_text(db, "A1", "T1", "配电箱门未关闭", "");
  report_text(db, "A1", "T1", "通道堵塞", "配电箱前堆放杂物");
  cbc_db_close(db);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, CBC_TEST_UNDO_V19 CBC_TEST_UNDO_V18 "DROP TRIGGER hazards_fts_insert;"
                                     "DROP TRIGGER hazards_fts_update;"
                                     "DROP TRIGGER hazards_fts_delete;"
                                     "DROP TABLE hazards_fts; DROP INDEX hazards_listed;"
                                     "DROP INDEX hazards_major;"
                                     "PRAGMA user_version=9", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  db = cbc_test_db_file(path, &now);
  int v;
  assert_cbc_ok(cbc_db_schema_version(&v, db));
  assert_int_equal(v, CBC_STORE_SCHEMA_VERSION);
  assert_int_equal(count_text(db, "配电箱"), 2);
  report_text(db, "A1", "T1", "配电箱接地线松脱", "");
  assert_int_equal(count_text(db, "配电箱"), 3);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* ---------------------------------------------------------- query plans */

/* The plan SQLite chooses for the ledger's statement for @p f. */
static void plan_of(cbc_db *db, const char *path, const cbc_hazard_filter *f, char *out,
                    size_t size)
{
  cbc_store_cursor *c;
  assert_cbc_ok(cbc_store__ledger_query(&c, db->store, f, NULL));
  char *sql = sqlite3_expanded_sql(c->stmt->lite);
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *s;
  assert_int_equal(sqlite3_prepare_v2(raw, eqp, -1, &s, NULL), SQLITE_OK);
  size_t len = 0;
  out[0] = '\0';
  while (sqlite3_step(s) == SQLITE_ROW)
    len += (size_t)snprintf(out + len, size - len, "%s; ", sqlite3_column_text(s, 3));
  sqlite3_finalize(s);
  sqlite3_free(eqp);
  sqlite3_free(sql);
  sqlite3_close(raw);
  cbc_store__cursor_free(c);
  cbc_store__done(db->store);
}

/* Each selective filter is answered from its index, at every level. */
static void test_plans_use_indexes(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_plans.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  for (int i = 0; i < 40; i++)
    report(db, i % 2 ? "A1" : "X1", i % 2 ? "T1" : "T9");
  report_text(db, "A1", "T1", "配电箱门未关闭", ""); /* a text few hazards hold */
  const struct {
    const char *what, *index;
  } cases[] = {
    { "reporter", "hazards_reporter_time" }, { "overdue", "hazards_open_deadline" },
    { "listed", "hazards_listed" },          { "period", "hazards_reported" },
    { "text", "hazards_fts" },               { "closed", "hazards_closed" },
    { "major", "hazards_major" },
  };
  /* a small subtree is read through its units' hazards; E1 is most of this
   * small org, so its hazards are walked with the unit checked per row; the
   * only root does not filter */
  const char *units[][2] = { { "T1", "hazards_unit" }, { "E1", "CORRELATED" },
                             { "R1", "SCAN hazards; " } };
  char plan[1024];
  for (size_t u = 0; u < 3; u++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    f.unit_id = U(db, units[u][0]);
    plan_of(db, path, &f, plan, sizeof(plan));
    print_message("unit %s: %s\n", units[u][0], plan);
    assert_non_null(strstr(plan, units[u][1]));
  }
  /* a small subtree's period: each unit's range of report times */
  cbc_hazard_filter fp = CBC_HAZARD_FILTER_INIT;
  fp.unit_id = U(db, "T1");
  fp.reported_from = now - 60;
  fp.reported_to = now + 1;
  plan_of(db, path, &fp, plan, sizeof(plan));
  print_message("unit T1, period: %s\n", plan);
  assert_non_null(strstr(plan, "hazards_unit (unit_id=? AND reported_at>? AND reported_at<?)"));
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
    switch (i) {
    case 0: f.reporter_id = E(db, "A1"); break;
    case 1: f.overdue_at = now; break;
    case 2: f.listed = 1; break;
    case 3: f.reported_from = now - 60; f.reported_to = now + 1; break;
    case 4: f.text = "配电箱"; break;
    case 6: f.severity = CBC_SEVERITY_MAJOR; break;
    case 5: f.closed_from = now - 60; f.states = CBC_HAZARD_STATES_CLOSED; break;
    default: break;
    }
    f.unit_id = U(db, "R1");
    plan_of(db, path, &f, plan, sizeof(plan));
    print_message("%s: %s\n", cases[i].what, plan);
    assert_non_null(strstr(plan, cases[i].index));
  }
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A period's page walks the period's ids while ids follow report times.
 * Another connection then reports into the period with its clock set
 * back, between the iterator's planning and its first row: the row is
 * listed, the count agrees, and later plans read hazards_reported. */
static void test_period_walks_its_ids(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_period.db");
  cbc_test_unlink(path);
  int64_t t0 = now;
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  int64_t ids[10];
  for (int i = 0; i < 10; i++) {
    now = t0 + i * 3600;
    ids[i] = report(db, "A1", "T1");
  }
  assert_int_equal(ids_in_report_order(db), 1);
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.reported_from = t0 + 3 * 3600;
  f.reported_to = t0 + 6 * 3600;
  f.limit = 50;
  char plan[1024];
  plan_of(db, path, &f, plan, sizeof(plan));
  assert_non_null(strstr(plan, "INTEGER PRIMARY KEY (rowid>? AND rowid<?)"));
  listed_row rows[16];
  assert_int_equal(list(db, &f, rows, 16, NULL), 3);
  assert_int_equal(rows[0].id, ids[3]);
  assert_int_equal(rows[2].id, ids[5]);

  cbc_hazard_iter *it;
  const cbc_hazard *h;
  assert_cbc_ok(cbc_hazard_iter_new(&it, db, &f));
  int64_t back = t0 + 4 * 3600 + 1800;
  cbc_db *other = cbc_test_db_file(path, &back);
  int64_t late = report_text(other, "A2", "T1", "梯子损坏", "");
  cbc_db_close(other);
  int64_t seen[8], n = 0;
  while (cbc_hazard_iter_next(&h, it) == 0)
    seen[n++] = h->id;
  cbc_hazard_iter_free(it);
  assert_int_equal(n, 4);
  assert_int_equal(seen[0], ids[3]);
  assert_int_equal(seen[3], late);
  int64_t count;
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 4);
  assert_int_equal(ids_in_report_order(db), 0);
  plan_of(db, path, &f, plan, sizeof(plan));
  assert_non_null(strstr(plan, "hazards_reported"));
  assert_null(strstr(plan, "rowid>?"));
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A subtree that holds every hazard's unit filters nothing, as the only
 * root does: here E1, the only child of R1 (a region holds no hazards of
 * its own).  Once a second enterprise exists, E1 filters again. */
static void test_only_child_filters_nothing(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_only_child.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  cbc_test_seed_org(db);
  for (int i = 0; i < 6; i++)
    report(db, "A1", i % 2 ? "T1" : "T3");
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.unit_id = U(db, "E1");
  char plan[1024];
  plan_of(db, path, &f, plan, sizeof(plan));
  print_message("E1, the only child: %s\n", plan);
  assert_string_equal(plan, "SCAN hazards; "); /* no unit condition at all */
  int64_t count;
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 6);

  cbc_test_seed_second_enterprise(db, "R1");
  report(db, "X1", "T9");
  plan_of(db, path, &f, plan, sizeof(plan));
  assert_non_null(strstr(plan, "CORRELATED")); /* each row's unit checked */
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 6);
  f.unit_id = U(db, "R1");
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 7);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A chain of only children: W1 is all there is under E1 under R1, so W1
 * holds every hazard's unit until its enterprise holds a hazard of its
 * own, which W1 must then not list. */
static void test_ancestor_hazard_filters_again(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_chain.db");
  cbc_test_unlink(path);
  cbc_db *db = cbc_test_db_file(path, &now);
  static const cbc_unit_record units[] = {
    { 1, "R1", NULL, CBC_UNIT_REGION, "District", NULL, 0 },
    { 1, "E1", "R1", CBC_UNIT_ENTERPRISE, "Works", "metallurgy", 1 },
    { 1, "W1", "E1", CBC_UNIT_WORKSHOP, "Mill", NULL, 0 },
    { 1, "T1", "W1", CBC_UNIT_TEAM, "Shift", NULL, 0 },
  };
  static const cbc_employee_record people[] = {
    { 1, "A1", "Wang Fang", "roller", "T1", CBC_ROLE_WORKER, 1, 0 },
  };
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    assert_cbc_ok(cbc_unit_upsert(NULL, db, &units[i]));
  assert_cbc_ok(cbc_employee_upsert(NULL, db, &people[0]));
  for (int i = 0; i < 3; i++)
    report(db, "A1", "T1");
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.unit_id = U(db, "W1");
  char plan[1024];
  plan_of(db, path, &f, plan, sizeof(plan));
  assert_string_equal(plan, "SCAN hazards; ");
  report(db, "A1", "E1"); /* at the enterprise itself, outside W1 */
  plan_of(db, path, &f, plan, sizeof(plan));
  assert_string_not_equal(plan, "SCAN hazards; ");
  int64_t count;
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 3);
  f.unit_id = U(db, "E1");
  assert_cbc_ok(cbc_hazard_count(&count, db, &f));
  assert_int_equal(count, 4);
  cbc_db_close(db);
  cbc_test_unlink(path);
}

/* A clock whose first reading lets another connection report (as another
 * process does while this call waits for the write lock), and which reads
 * later at every call, as a real one does. */
typedef struct racing_clock {
  int64_t t;
  cbc_db *other;
  int calls;
} racing_clock;

static int64_t racing_now(void *payload)
{
  racing_clock *c = payload;
  c->t += 120;
  int64_t t = c->t;
  if (c->calls++ == 0 && c->other) {
    now = t + 60; /* the other connection's clock, later than this reading */
    report(c->other, "A2", "T1");
  }
  return t;
}

/* A report's time is read again under the write lock, so a report that
 * waited for another's commit is not recorded before it: ids keep
 * following report times, and the ledger keeps walking periods by id. */
static void test_report_time_read_under_the_lock(void **state)
{
  (void)state;
  const char *path = cbc_test_path("ledger_race.db");
  cbc_test_unlink(path);
  cbc_db *other = cbc_test_db_file(path, &now);
  cbc_test_seed_org(other);
  report(other, "A1", "T1");
  racing_clock clock = { now, other, 0 };
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.clock = racing_now;
  o.clock_payload = &clock;
  cbc_db *db;
  assert_cbc_ok(cbc_db_open(&db, path, &o));
  int64_t mine = report(db, "A1", "T1");
  cbc_hazard *h, *before;
  assert_cbc_ok(cbc_hazard_lookup(&h, db, mine));
  assert_cbc_ok(cbc_hazard_lookup(&before, db, mine - 1));
  assert_int_equal(before->reporter_id, E(db, "A2")); /* the other's report came first */
  assert_true(h->reported_at >= before->reported_at);
  assert_int_equal(ids_in_report_order(db), 1);
  cbc_hazard_free(h);
  cbc_hazard_free(before);
  cbc_db_close(db);
  cbc_db_close(other);
  cbc_test_unlink(path);
}

/* --------------------------------------------------- allocation failures */

static int ledger_scenario(cbc_db *db, int64_t unit_id)
{
  cbc_hazard_filter f = CBC_HAZARD_FILTER_INIT;
  f.unit_id = unit_id;
  f.text = "护栏";
  f.sort = CBC_HAZARD_SORT_DEADLINE;
  f.limit = 2;
  cbc_hazard_iter *it = NULL;
  const cbc_hazard *h;
  char *cursor = NULL;
  int64_t n;
  int rc = cbc_hazard_iter_new(&it, db, &f);
  if (!rc)
    rc = cbc_hazard_iter_next(&h, it);
  if (!rc)
    rc = cbc_hazard_iter_cursor(&cursor, it);
  cbc_hazard_iter_free(it);
  it = NULL;
  f.after = cursor;
  f.text = "防护栏";
  if (!rc)
    rc = cbc_hazard_iter_new(&it, db, &f);
  if (!rc)
    rc = cbc_hazard_iter_next(&h, it);
  cbc_hazard_iter_free(it);
  if (!rc)
    rc = cbc_hazard_count(&n, db, &f);
  if (!rc)
    rc = n == 3 ? 0 : CBC_EIO;
  cbc_free(cursor);
  return rc;
}

static void test_allocation_failures(void **state)
{
  (void)state;
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(1);
    cbc_db *db = cbc_test_db(&now);
    cbc_test_seed_org(db);
    for (int i = 0; i < 3; i++)
      report(db, "A1", "T1");
    int64_t e1 = U(db, "E1");
    cbc_test_fail_after(n);
    int rc = ledger_scenario(db, e1);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc && rc != CBC_ENOMEM)
      fail_msg("failure point %ld: %d %s", n, rc, cbc_error_last()->message);
    assert_cbc_ok(ledger_scenario(db, e1)); /* nothing left behind */
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride > 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_sort_orders, setup, teardown),
    cmocka_unit_test_setup_teardown(test_state_sets, setup, teardown),
    cmocka_unit_test_setup_teardown(test_paging_stable_while_adding, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_and_pages_match_brute_force, setup, teardown),
    cmocka_unit_test_setup_teardown(test_brute_force_with_reports_out_of_order, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_chinese_search, setup, teardown),
    cmocka_unit_test_setup_teardown(test_search_per_row_like_index, setup, teardown),
    cmocka_unit_test(test_search_follows_changes),
    cmocka_unit_test_setup_teardown(test_cursor_misuse, setup, teardown),
    cmocka_unit_test_setup_teardown(test_filter_v1_callers, setup, teardown),
    cmocka_unit_test(test_migration_builds_search),
    cmocka_unit_test(test_plans_use_indexes),
    cmocka_unit_test(test_only_child_filters_nothing),
    cmocka_unit_test(test_ancestor_hazard_filters_again),
    cmocka_unit_test(test_period_walks_its_ids),
    cmocka_unit_test(test_report_time_read_under_the_lock),
    cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
