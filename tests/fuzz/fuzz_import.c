/* Fuzz target: HR export files (CSV and JSON, as units and as employees)
 * through cbc_org_import().  Any input must give 0 or a clean error, never a
 * crash, a leak or a half-applied import (on an error the tree holds the
 * same units and employees as before).
 *
 * Seeds: tests/fuzz/corpus/import, and the seeds at the 64 KiB field and
 * 1 MiB element limits written into the build tree (big_seeds.cmake).
 * Running it: scripts/fuzz (docs/testing.md, "Fuzzing"). */
#include "fuzz_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Units and employees (also inactive ones) in the whole tree. */
static size_t org_size(cbc_db *db)
{
  size_t n = 0;
  cbc_unit_iter *roots, *sub;
  const cbc_unit *root, *u;
  assert_cbc_ok(cbc_unit_iter_children(&roots, db, 0));
  while (cbc_unit_iter_next(&root, roots) == 0) {
    assert_cbc_ok(cbc_unit_iter_subtree(&sub, db, root->id));
    while (cbc_unit_iter_next(&u, sub) == 0)
      n++;
    cbc_unit_iter_free(sub);
    cbc_employee_iter *people;
    const cbc_employee *e;
    assert_cbc_ok(cbc_employee_iter_subtree(&people, db, root->id, CBC_EMPLOYEE_ITER_INACTIVE));
    while (cbc_employee_iter_next(&e, people) == 0)
      n++;
    cbc_employee_iter_free(people);
  }
  cbc_unit_iter_free(roots);
  return n;
}

static void import_as(const char *path, int as_units, cbc_file_format format)
{
  cbc_db *db;
  if (cbc_db_open(&db, ":memory:", NULL) != 0)
    abort();
  /* employees need a real team to land in, so the apply paths are reached */
  static const cbc_unit_record tree[] = {
    { CBC_UNIT_RECORD_VERSION, "E1", NULL, CBC_UNIT_ENTERPRISE, "E", NULL, 0 },
    { CBC_UNIT_RECORD_VERSION, "W1", "E1", CBC_UNIT_WORKSHOP, "W", NULL, 0 },
    { CBC_UNIT_RECORD_VERSION, "T1", "W1", CBC_UNIT_TEAM, "T", NULL, 0 },
  };
  cbc_sync_result *setup = NULL;
  if (!as_units && cbc_org_sync(&setup, db, tree, 3, NULL, 0, NULL) != 0)
    abort();
  cbc_sync_result_free(setup);
  size_t before = org_size(db);
  cbc_sync_result *r = NULL;
  int rc = cbc_org_import(&r, db, as_units ? path : NULL, as_units ? NULL : path, format, NULL,
                          NULL, NULL);
  FZ_RC_IN(rc, CBC_EINVAL, CBC_ENOTFOUND, CBC_EIO, CBC_ENOMEM);
  if (rc == 0 && (!r || !r->applied))
    fail_msg("cbc_org_import() returned 0 without applying");
  if (rc != 0)
    assert_int_equal(org_size(db), before); /* nothing half-applied */
  cbc_sync_result_free(r);
  cbc_db_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64];
  snprintf(path, sizeof(path), "/tmp/cbc-fuzz-%ld.in", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f)
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  for (int as_units = 0; as_units < 2; as_units++) {
    import_as(path, as_units, CBC_FORMAT_CSV);
    import_as(path, as_units, CBC_FORMAT_JSON);
  }
  unlink(path);
  return 0;
}
