/* How the reads every web page makes reach their rows (tests/bench/README.md,
 * "The web pages"): a unit's children and the roots through units_parent,
 * never a scan of every unit; a breakdown in one statement over the
 * subtree's hazards, never one per figure; both without a full scan. */
#include "helpers.h"
#include "db_internal.h"
#include "store/store_internal.h"
#include <sqlite3.h>
#include <string.h>

static int64_t now;

/* The ids a children cursor lists, and whether its statement scanned a
 * table (SQLITE_STMTSTATUS_FULLSCAN_STEP). */
static size_t children(cbc_db *db, int64_t parent, int64_t *ids, size_t max, int *scanned)
{
  cbc_store_cursor *c;
  cbc_unit u;
  size_t n = 0;
  assert_cbc_ok(cbc_store__units_children(&c, db->store, parent));
  while (cbc_store__cursor_unit(c, &u) == 0) {
    assert_true(n < max);
    ids[n++] = u.id;
  }
  *scanned = sqlite3_stmt_status(c->stmt->lite, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
  cbc_store__cursor_free(c);
  return n;
}

static void test_children_read_the_parent_index(void **state)
{
  CBC_TEST_SQLITE_ONLY();
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_test_seed_second_enterprise(db, "R1");
  int64_t ids[8];
  int scanned;
  assert_int_equal(children(db, 0, ids, 8, &scanned), 1); /* the one root, R1 */
  assert_int_equal(ids[0], cbc_test_unit_id(db, "R1"));
  assert_int_equal(scanned, 0);
  assert_int_equal(children(db, cbc_test_unit_id(db, "R1"), ids, 8, &scanned), 2);
  assert_int_equal(ids[0], cbc_test_unit_id(db, "E1"));
  assert_int_equal(ids[1], cbc_test_unit_id(db, "E2"));
  assert_int_equal(scanned, 0);
  assert_int_equal(children(db, cbc_test_unit_id(db, "T1"), ids, 8, &scanned), 0);
  assert_int_equal(scanned, 0);
  cbc_db_close(db);
}

/* Counts the statements run that read the hazards table. */
static int on_statement(unsigned int type, void *payload, void *stmt, void *sql)
{
  (void)sql;
  const char *text = sqlite3_sql((sqlite3_stmt *)stmt);
  if (type == SQLITE_TRACE_STMT && text && strstr(text, "FROM hazards"))
    (*(int *)payload)++;
  return 0;
}

static void test_breakdown_reads_the_subtree_once(void **state)
{
  CBC_TEST_SQLITE_ONLY();
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  now = cbc_test_date(2024, 3, 1);
  cbc_test_seed_org(db);
  for (int i = 0; i < 5; i++)
    cbc_test_report(db, "A1", "T1", CBC_SEVERITY_GENERAL, "配电箱门未关闭");
  cbc_period march = { CBC_PERIOD_MONTH, 2024, 3, 0, 0 };
  int reads = 0;
  sqlite3_trace_v2(db->store->db, SQLITE_TRACE_STMT, on_statement, &reads);
  cbc_stats_breakdown *b;
  assert_cbc_ok(cbc_stats_breakdown_get(&b, db, cbc_test_unit_id(db, "R1"), &march));
  sqlite3_trace_v2(db->store->db, 0, NULL, NULL);
  assert_int_equal(b->reported, 5);
  assert_int_equal(reads, 1);
  assert_int_equal(sqlite3_stmt_status(db->store->stmts[STMT_BREAKDOWN]->lite,
                                       SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
  cbc_stats_breakdown_free(b);
  cbc_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_children_read_the_parent_index),
    cmocka_unit_test(test_breakdown_reads_the_subtree_once),
  };
  return cmocka_run_group_tests_name("read_plans", tests, NULL, NULL);
}
