/* Fuzz target: HR export files (CSV and JSON, as units and as employees,
 * and TSV with options the input's last byte picks: a declared encoding,
 * strict mode, a column map) through cbc_org_import().  Any input must give
 * 0 or a clean error, never a crash, a leak or a half-applied import (on an
 * error the tree holds the same units and employees as before), and every
 * message and warning must be valid UTF-8.
 *
 * Seeds: tests/fuzz/corpus/import, and the seeds at the 64 KiB field and
 * 1 MiB element limits written into the build tree (big_seeds.cmake).
 * Running it: scripts/fuzz (docs/testing.md, "Fuzzing"). */
#include "fuzz_support.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every text the result hands out is UTF-8, whatever the file's bytes. */
static void check_result_text(const cbc_sync_result *r)
{
  for (size_t i = 0; i < r->errors_kept; i++)
    if (!cbc__utf8_valid(r->errors[i].message, strlen(r->errors[i].message)) ||
        !cbc__utf8_valid(r->errors[i].external_id, strlen(r->errors[i].external_id)))
      fail_msg("a row error that is not UTF-8");
  for (size_t i = 0; i < r->warnings_kept; i++)
    if (!cbc__utf8_valid(r->warnings[i].message, strlen(r->warnings[i].message)) ||
        !cbc__utf8_valid(r->warnings[i].column, strlen(r->warnings[i].column)))
      fail_msg("a warning that is not UTF-8");
  if (r->warnings_kept > r->warning_count || r->errors_kept > r->error_count)
    fail_msg("more kept than counted");
}

/* The options for the TSV pass, from one byte of the input. */
static cbc_sync_options options_from(uint8_t pick)
{
  static const char *const encodings[] = { NULL, "gbk", "utf-8", "UTF-16LE" };
  static const char *const map[] = { "工号=external_id", "姓名=name", "班组=unit_external_id",
                                     "phone=", "x=post", NULL };
  cbc_sync_options o = CBC_SYNC_OPTIONS_INIT;
  o.encoding = encodings[pick & 3];
  o.flags = pick & 4 ? CBC_SYNC_STRICT : 0;
  o.column_map = pick & 8 ? map : NULL;
  o.mode = pick & 16 ? CBC_SYNC_FULL : CBC_SYNC_INCREMENTAL;
  return o;
}

static void import_as(const char *path, int as_units, cbc_file_format format,
                      const cbc_sync_options *opts)
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
  size_t before = cbc_test_org_size(db);
  cbc_sync_result *r = NULL;
  int rc = cbc_org_import(&r, db, as_units ? path : NULL, as_units ? NULL : path, format, opts,
                          NULL, NULL);
  FZ_RC_IN(rc, CBC_EINVAL, CBC_ENOTFOUND, CBC_EIO, CBC_ENOMEM);
  if (rc == 0 && (!r || !r->applied))
    fail_msg("cbc_org_import() returned 0 without applying");
  if (rc != 0)
    assert_int_equal(cbc_test_org_size(db), before); /* nothing half-applied */
  if (!cbc__utf8_valid(cbc_error_last()->message, strlen(cbc_error_last()->message)))
    fail_msg("an error message that is not UTF-8");
  if (r)
    check_result_text(r);
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
    import_as(path, as_units, CBC_FORMAT_CSV, NULL);
    import_as(path, as_units, CBC_FORMAT_JSON, NULL);
  }
  cbc_sync_options o = options_from(size ? data[size - 1] : 0);
  import_as(path, size % 2, CBC_FORMAT_TSV, &o);
  unlink(path);
  return 0;
}
