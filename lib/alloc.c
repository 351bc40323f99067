/* The pluggable allocator (include/cbc/common.h) and cbc_free. */
#include "internal.h"
#include "db_internal.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static void *default_malloc(size_t size, void *payload) { (void)payload; return malloc(size); }
static void *default_realloc(void *ptr, size_t size, void *payload)
{
  (void)payload;
  return realloc(ptr, size);
}
static void default_free(void *ptr, void *payload) { (void)payload; free(ptr); }

static cbc_allocator g_alloc = { CBC_ALLOCATOR_VERSION, default_malloc, default_realloc,
                                 default_free, NULL };
static int g_sqlite_routed;

void *cbc__malloc(size_t size) { return g_alloc.malloc_fn(size ? size : 1, g_alloc.payload); }

void *cbc__calloc(size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    return NULL;
  size_t total = n * size;
  void *p = cbc__malloc(total);
  if (p && total)
    memset(p, 0, total);
  return p;
}

void *cbc__realloc(void *ptr, size_t size)
{
  return g_alloc.realloc_fn(ptr, size ? size : 1, g_alloc.payload);
}

void cbc__free(void *ptr)
{
  if (ptr)
    g_alloc.free_fn(ptr, g_alloc.payload);
}

char *cbc__strndup(const char *s, size_t n)
{
  if (!s)
    return NULL;
  char *p = cbc__malloc(n + 1);
  if (!p) {
    cbc__error_oom();
    return NULL;
  }
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *cbc__strdup(const char *s) { return s ? cbc__strndup(s, strlen(s)) : NULL; }

CBC_EXTERN(void) cbc_free(void *ptr) { cbc__free(ptr); }

/* ---- routing SQLite's allocations (opt-in, process-wide) ----
 * SQLite needs xSize, so each block carries its size in a header. */
#define SQL_HDR 16

static void *sql_malloc(int n)
{
  unsigned char *p = cbc__malloc((size_t)n + SQL_HDR);
  if (!p)
    return NULL;
  memcpy(p, &(size_t){ (size_t)n }, sizeof(size_t));
  return p + SQL_HDR;
}

static void sql_free(void *ptr)
{
  if (ptr)
    cbc__free((unsigned char *)ptr - SQL_HDR);
}

static void *sql_realloc(void *ptr, int n)
{
  if (!ptr)
    return sql_malloc(n);
  unsigned char *p = cbc__realloc((unsigned char *)ptr - SQL_HDR, (size_t)n + SQL_HDR);
  if (!p)
    return NULL;
  memcpy(p, &(size_t){ (size_t)n }, sizeof(size_t));
  return p + SQL_HDR;
}

static int sql_size(void *ptr)
{
  size_t n;
  memcpy(&n, (unsigned char *)ptr - SQL_HDR, sizeof(size_t));
  return (int)n;
}

static int sql_roundup(int n) { return (n + 7) & ~7; }
static int sql_init(void *app) { (void)app; return SQLITE_OK; }
static void sql_shutdown(void *app) { (void)app; }

static const sqlite3_mem_methods sql_methods = { sql_malloc, sql_free, sql_realloc, sql_size,
                                                 sql_roundup, sql_init, sql_shutdown, NULL };
static sqlite3_mem_methods sql_saved;
static int sql_saved_valid;

static int route_sqlite(int on)
{
  if (on == g_sqlite_routed)
    return 0;
  if (sqlite3_shutdown() != SQLITE_OK)
    return cbc__error(CBC_EBUSY, "SQLite could not be shut down to change its allocator");
  int rc;
  if (on) {
    if (!sql_saved_valid && sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sql_saved) == SQLITE_OK)
      sql_saved_valid = 1;
    rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &sql_methods);
  } else {
    rc = sql_saved_valid ? sqlite3_config(SQLITE_CONFIG_MALLOC, &sql_saved) : SQLITE_OK;
  }
  if (rc != SQLITE_OK)
    return cbc__error(CBC_EBUSY, "SQLite refused a new allocator (%s)", sqlite3_errstr(rc));
  g_sqlite_routed = on;
  return 0;
}



CBC__STRUCT_INIT_FN(cbc_allocator_init, cbc_allocator, CBC_ALLOCATOR_VERSION,
                    CBC_ALLOCATOR_INIT)

CBC_EXTERN(int) cbc_allocator_set(const cbc_allocator *allocator, unsigned int flags)
{
  if (flags & ~(unsigned int)CBC_ALLOCATOR_ROUTE_SQLITE)
    return cbc__error(CBC_EINVAL, "unknown allocator flags 0x%x", flags);
  if (allocator) {
    int rc = cbc__check_version("cbc_allocator", allocator->version, CBC_ALLOCATOR_VERSION);
    if (rc)
      return rc;
    if (!allocator->malloc_fn || !allocator->realloc_fn || !allocator->free_fn)
      return cbc__error(CBC_EINVAL, "cbc_allocator needs malloc_fn, realloc_fn and free_fn");
  }
  if (cbc__db_open_count() > 0)
    return cbc__error(CBC_ESTATE, "the allocator cannot change while a database is open");
  int rc = route_sqlite(allocator && (flags & CBC_ALLOCATOR_ROUTE_SQLITE));
  if (rc)
    return rc;
  if (allocator) {
    g_alloc = *allocator;
  } else {
    g_alloc = (cbc_allocator){ CBC_ALLOCATOR_VERSION, default_malloc, default_realloc,
                               default_free, NULL };
  }
  return 0;
}
