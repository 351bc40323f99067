/* Test databases on the PostgreSQL server that libpq's environment names
 * (PGHOST, PGPORT, PGUSER; scripts/with-postgres starts one). */
#ifndef CBC_TEST_PG_HELPERS_H
#define CBC_TEST_PG_HELPERS_H

#include <stddef.h>

/* Whether a server is named; when not, says on stderr how to run @p test. */
int cbc_test_pg_available(const char *test);
/* A fresh, empty database "cbc_<prefix>_<pid>": dropped first if it was
 * there (its connections closed), then created.  Its postgresql:// target
 * in @p target.  0, or -1 with the reason on stderr. */
int cbc_test_pg_fresh(const char *prefix, char *target, size_t size);
/* Drop the database cbc_test_pg_fresh() made for @p prefix; 0 or -1. */
int cbc_test_pg_drop(const char *prefix);

/* A fresh schema "s<n>" in this process's database "cbc_schemas_<pid>"
 * (made at the first call, with pg_trgm in its public schema): far cheaper
 * than a database.  A schema no connection uses any more is emptied and
 * given again (what the library created stays, its rows gone); else a new
 * one is made.  Its target in @p target: connections name the schema as
 * their application_name and put it first on their search_path.  0, or -1 with the reason on
 * stderr.  The database is left for cbc_test_pg_drop("schemas"). */
int cbc_test_pg_schema(char *target, size_t size);

#endif
