/* Fuzz target: HR export files (CSV and JSON, as units and as employees)
 * through cbc_org_import().  Any input must give 0 or a clean error, never a
 * crash, a leak or a half-applied import.
 *
 * A real fuzzing session (clang, libFuzzer):
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCBC_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_import
 *   build-fuzz/tests/fuzz/fuzz_import tests/fuzz/corpus
 * Ordinary builds replay the saved corpus (tests/fuzz/corpus) as a test. */
#include <cbc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
  cbc_sync_result *r = NULL;
  int rc = cbc_org_import(&r, db, as_units ? path : NULL, as_units ? NULL : path, format, NULL,
                          NULL, NULL);
  if (rc == 0 && (!r || !r->applied))
    abort();
  if (rc != 0 && (!cbc_error_last()->message || cbc_error_last()->code == 0))
    abort();
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
