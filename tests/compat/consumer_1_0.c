/* The 1.0 consumer (consumer_1_0.h): compiled against the headers of
 * libcbc 1.0.0 only, linked with the library of this tree.
 *
 *   consumer_1_0 fresh DB                  create DB and run the whole API
 *   consumer_1_0 rich DB EXPECT            read back a database the current
 *                                          library wrote, then run the API on it
 *   consumer_1_0 readonly DB EXPECT NEWER  read it back read-only (every write
 *                                          refused); NEWER, a database of a
 *                                          later schema, is CBC_EVERSION
 */
#include "consumer_1_0.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void c10_fail(const char *file, int line, const char *what)
{
  const cbc_error *e = cbc_error_last();
  fprintf(stderr, "%s:%d: check failed: %s\n  last error: %s (%s)\n", file, line, what,
          e->message, cbc_error_name(e->code));
  exit(1);
}

void c10_ok(int rc, const char *expr, const char *file, int line)
{
  if (rc != 0) {
    fprintf(stderr, "%s:%d: %s returned %s\n", file, line, expr, cbc_error_name(rc));
    c10_fail(file, line, expr);
  }
}

void c10_err(int rc, int want, const char *expr, const char *file, int line)
{
  if (rc != want) {
    fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", file, line, expr,
            cbc_error_name(rc), cbc_error_name(want));
    c10_fail(file, line, expr);
  }
  /* A refusal always says which code it was (the end of an iterator is
   * not a failure). */
  if (want != CBC_ITEROVER && (cbc_error_last()->code != want || !cbc_error_last()->message[0]))
    c10_fail(file, line, "cbc_error_last() after a refusal");
}

static int64_t clock_fn(void *payload) { return ((c10 *)payload)->now; }

int c10_open(c10 *s, const char *path, unsigned int flags)
{
  cbc_db_options o = CBC_DB_OPTIONS_INIT;
  o.flags = flags;
  o.clock = clock_fn;
  o.clock_payload = s;
  return cbc_db_open(&s->db, path, &o);
}

int64_t c10_unit(c10 *s, const char *external_id)
{
  cbc_unit *u = NULL;
  OK(cbc_unit_lookup_external(&u, s->db, external_id));
  int64_t id = u->id;
  cbc_unit_free(u);
  return id;
}

int64_t c10_person(c10 *s, const char *external_id)
{
  cbc_employee *e = NULL;
  OK(cbc_employee_lookup_external(&e, s->db, external_id));
  int64_t id = e->id;
  cbc_employee_free(e);
  return id;
}

int c10_owns(const c10 *s, int64_t hazard_id)
{
  for (size_t i = 0; i < s->n_hazards; i++)
    if (s->hazards[i] == hazard_id)
      return 1;
  return 0;
}

/* ---- a host allocator, as 1.0 declared it: every allocation of libcbc
 * goes through it for the whole run ---- */

static size_t g_allocations;

static void *count_malloc(size_t size, void *payload)
{
  (void)payload;
  g_allocations++;
  return malloc(size);
}

static void *count_realloc(void *ptr, size_t size, void *payload)
{
  (void)payload;
  g_allocations++;
  return realloc(ptr, size);
}

static void count_free(void *ptr, void *payload)
{
  (void)payload;
  free(ptr);
}

static void install_allocator(void)
{
  cbc_allocator a;
  OK(cbc_allocator_init(&a, CBC_ALLOCATOR_VERSION));
  CHECK(a.version == 1 && !a.malloc_fn && !a.payload);
  ERR(cbc_allocator_init(&a, 0), CBC_EINVAL);
  ERR(cbc_allocator_set(&a, 0), CBC_EINVAL); /* no functions */
  a.malloc_fn = count_malloc;
  a.realloc_fn = count_realloc;
  a.free_fn = count_free;
  OK(cbc_allocator_set(&a, 0));
}

/* ---- modes ---- */

static void remove_database(const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  char name[4096];
  for (size_t i = 0; i < COUNT(suffixes); i++) {
    snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
    unlink(name);
  }
}

/* Opening what is not a libcbc database, or nothing, fails as 1.0 said. */
static void check_bad_opens(c10 *s, const char *path)
{
  char other[4096];
  ERR(c10_open(s, path, 0), CBC_ENOTFOUND); /* missing, without CBC_DB_CREATE */
  CHECK(s->db == NULL);
  snprintf(other, sizeof(other), "%s.notes.txt", path);
  FILE *f = fopen(other, "w");
  CHECK(f != NULL);
  fputs("minutes of the safety committee, not a database\n", f);
  fclose(f);
  ERR(c10_open(s, other, CBC_DB_CREATE), CBC_ECORRUPT);
  unlink(other);
  ERR(c10_open(s, NULL, 0), CBC_EINVAL);
}

static void check_database_header(c10 *s)
{
  int schema = 0;
  OK(cbc_db_schema_version(&schema, s->db));
  CHECK(schema >= 1);
  ERR(cbc_db_schema_version(NULL, s->db), CBC_EINVAL);
  CHECK(cbc_db_utc_offset(s->db) == 28800);
  CHECK(cbc_db_now(s->db) == s->now);
  CHECK(cbc_db_in_group(s->db) == 0);
}

static void exercise_all(c10 *s)
{
  check_database_header(s);
  c10_exercise_org(s);
  c10_exercise_hazards(s);
  c10_exercise_activities(s);
  c10_exercise_stats(s);
  c10_exercise_rewards(s);
}

static int run_fresh(c10 *s, const char *path)
{
  remove_database(path);
  check_bad_opens(s, path);
  OK(c10_open(s, path, CBC_DB_CREATE));
  exercise_all(s);
  printf("consumer_1_0 fresh: %zu hazards through their lifecycle, hook events %zu\n",
         s->n_hazards, s->hook_events);
  return 0;
}

static int run_rich(c10 *s, const char *path, const char *expect)
{
  OK(c10_open(s, path, 0));
  size_t n = c10_read_back(s, expect, 0);
  exercise_all(s);
  printf("consumer_1_0 rich: %zu records read back, then %zu hazards of its own\n", n,
         s->n_hazards);
  return 0;
}

static int run_readonly(c10 *s, const char *path, const char *expect, const char *newer)
{
  c10 other = { 0 };
  other.now = C10_BASE;
  ERR(c10_open(&other, newer, CBC_DB_READONLY), CBC_EVERSION);
  ERR(c10_open(&other, newer, 0), CBC_EVERSION);
  CHECK(strstr(cbc_error_last()->message, "newer") != NULL);
  OK(c10_open(s, path, CBC_DB_READONLY));
  size_t n = c10_read_back(s, expect, 1);
  printf("consumer_1_0 readonly: %zu records read back, every write refused\n", n);
  return 0;
}

static int usage(void)
{
  fprintf(stderr, "usage: consumer_1_0 fresh DB | rich DB EXPECT | readonly DB EXPECT NEWER\n");
  return 2;
}

static void set_dir(c10 *s, const char *path, char *buf, size_t size)
{
  snprintf(buf, size, "%s", path);
  char *slash = strrchr(buf, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(buf, size, ".");
  s->dir = buf;
}

int main(int argc, char **argv)
{
  if (argc < 3)
    return usage();
  static char dir[4096];
  c10 s = { 0 };
  s.now = C10_BASE;
  set_dir(&s, argv[2], dir, sizeof(dir));
  install_allocator();
  c10_exercise_basics();
  int rc;
  if (!strcmp(argv[1], "fresh") && argc == 3)
    rc = run_fresh(&s, argv[2]);
  else if (!strcmp(argv[1], "rich") && argc == 4)
    rc = run_rich(&s, argv[2], argv[3]);
  else if (!strcmp(argv[1], "readonly") && argc == 5)
    rc = run_readonly(&s, argv[2], argv[3], argv[4]);
  else
    return usage();
  cbc_free(s.key_dup);
  cbc_free(s.key_paid);
  cbc_db_close(s.db);
  CHECK(g_allocations > 0);
  OK(cbc_allocator_set(NULL, 0));
  return rc;
}
