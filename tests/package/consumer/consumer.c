/* A consumer of the installed libcbc: public headers and library only. */
#include <cbc.h>
#include <stdio.h>

int main(void)
{
  cbc_db *db;
  if (cbc_db_open(&db, ":memory:", NULL) != 0) {
    fprintf(stderr, "%s\n", cbc_error_last()->message);
    return 1;
  }
  int version = 0;
  cbc_db_schema_version(&version, db);
  printf("libcbc %s, schema %d\n", cbc_version(NULL, NULL, NULL), version);
  cbc_db_close(db);
  return version > 0 ? 0 : 1;
}
