/* The hazard ledger (docs/ledger.md): iterating hazards by filter, in a
 * sort, a page at a time with keyset cursors, and counting them. */
#include "hazard_internal.h"
#include "read_scope.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A cursor is "h2:SORT:DESCENDING:KEY:ID" in decimal, written by one
 * function and read back only in exactly that form. */
#define CURSOR_FORMAT "h2:%d:%d:%lld:%lld"
#define CURSOR_MAX 64

struct cbc_hazard_iter {
  cbc_store_cursor *cursor;
  cbc_hazard current;
  cbc_hazard_sort sort;
  int descending;
  bool have_row;
  cbc_store_ledger_after last; /* the last row returned */
};

/* The bytes of a version's struct: version 1 ended at closed_to, version 2
 * at limit. */
static size_t filter_size(unsigned int version)
{
  return version >= 3   ? sizeof(cbc_hazard_filter)
         : version == 2 ? offsetof(cbc_hazard_filter, viewer_id)
                        : offsetof(cbc_hazard_filter, listed);
}

CBC_EXTERN(int) cbc_hazard_filter_init(cbc_hazard_filter *filter, unsigned int version)
{
  CBC__CHECK_ARG(filter);
  int rc = cbc__check_version("cbc_hazard_filter", version, CBC_HAZARD_FILTER_VERSION);
  if (rc)
    return rc;
  cbc_hazard_filter defaults = CBC_HAZARD_FILTER_INIT;
  defaults.version = version;
  memcpy(filter, &defaults, filter_size(version));
  return 0;
}

/* The caller's filter as a filter of this version: an older caller's
 * struct is shorter, so only its own fields are read; the rest keep their
 * defaults. */
static void filter_read(cbc_hazard_filter *out, const cbc_hazard_filter *in)
{
  const cbc_hazard_filter defaults = CBC_HAZARD_FILTER_INIT;
  *out = defaults;
  if (in)
    memcpy(out, in, filter_size(in->version));
}

static int filter_check_v1(const cbc_hazard_filter *f)
{
  unsigned int all = 0;
  for (int s = CBC_HAZARD_REPORTED; s <= CBC_HAZARD_REJECTED; s++)
    all |= 1u << s;
  if (f->states & ~all)
    return cbc__error(CBC_EINVAL, "filter: unknown state bits 0x%x", f->states & ~all);
  if (f->severity && f->severity != CBC_SEVERITY_GENERAL && f->severity != CBC_SEVERITY_MAJOR)
    return cbc__error(CBC_EINVAL, "filter: unknown severity %d", (int)f->severity);
  if (f->level && !cbc_level_name(f->level))
    return cbc__error(CBC_EINVAL, "filter: unknown level %d", (int)f->level);
  if (f->unit_id < 0 || f->reporter_id < 0 || f->responsible_id < 0 || f->overdue_at < 0 ||
      f->reported_from < 0 || f->reported_to < 0 || f->closed_from < 0 || f->closed_to < 0)
    return cbc__error(CBC_EINVAL, "filter: negative id or time");
  const int64_t times[] = { f->overdue_at, f->reported_from, f->reported_to, f->closed_from,
                            f->closed_to };
  for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
    if (times[i] > CBC_TIME_MAX + 1)
      return cbc__time_check("filter: a time", times[i]);
  if ((f->reported_to && f->reported_to <= f->reported_from) ||
      (f->closed_to && f->closed_to <= f->closed_from))
    return cbc__error(CBC_EINVAL, "filter: an empty or inverted period");
  return 0;
}

static int filter_check_v2(const cbc_hazard_filter *f)
{
  if (f->listed != 0 && f->listed != 1)
    return cbc__error(CBC_EINVAL, "filter: listed is 0 or 1, not %d", f->listed);
  if ((int)f->sort < CBC_HAZARD_SORT_REPORTED || (int)f->sort > CBC_HAZARD_SORT_UPDATED)
    return cbc__error(CBC_EINVAL, "filter: unknown sort %d", (int)f->sort);
  if (f->descending != 0 && f->descending != 1)
    return cbc__error(CBC_EINVAL, "filter: descending is 0 or 1, not %d", f->descending);
  if (f->viewer_id < 0) /* version 3 */
    return cbc__error(CBC_EINVAL, "filter: viewer_id: %lld is not an id",
                      (long long)f->viewer_id);
  return cbc__text_check("filter: text", f->text, 0, CBC_MAX_TITLE);
}

/* Read a cursor: exactly the form cursor_write() writes, for this sort and
 * direction. */
static int cursor_read(const char *text, const cbc_hazard_filter *f,
                       cbc_store_ledger_after *out)
{
  int sort, desc;
  long long key, id;
  char again[CURSOR_MAX];
  if (strlen(text) >= CURSOR_MAX ||
      sscanf(text, CURSOR_FORMAT, &sort, &desc, &key, &id) != 4 ||
      snprintf(again, sizeof(again), CURSOR_FORMAT, sort, desc, key, id) <= 0 ||
      strcmp(again, text) != 0 || key < 0 || id < 1)
    return cbc__error(CBC_EINVAL, "filter: after is not a ledger cursor");
  if (sort != (int)f->sort || desc != f->descending)
    return cbc__error(CBC_EINVAL, "filter: the cursor is from another sort (%d%s), not %d%s",
                      sort, desc ? " descending" : "", (int)f->sort,
                      f->descending ? " descending" : "");
  out->key = key;
  out->id = id;
  return 0;
}

/* Check the caller's filter into @p f and its cursor into @p after, and
 * narrow it to what its viewer may read. */
static int filter_prepare(cbc_db *db, cbc_hazard_filter *f, const cbc_hazard_filter *in,
                          cbc_store_ledger_after *after, bool *has_after)
{
  int rc = in ? cbc__check_version("cbc_hazard_filter", in->version, CBC_HAZARD_FILTER_VERSION)
              : 0;
  if (rc)
    return rc;
  filter_read(f, in);
  if (!(rc = filter_check_v1(f)))
    rc = filter_check_v2(f);
  *has_after = !rc && f->after != NULL;
  if (*has_after)
    rc = cursor_read(f->after, f, after);
  return rc ? rc : cbc__filter_narrow_to_viewer(db, f);
}

CBC_EXTERN(int) cbc_hazard_iter_new(cbc_hazard_iter **out, cbc_db *db,
                                    const cbc_hazard_filter *filter)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  cbc_hazard_filter f;
  cbc_store_ledger_after after;
  bool has_after;
  cbc_hazard_iter *it = NULL;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = filter_prepare(db, &f, filter, &after, &has_after);
  if (!rc && !(it = cbc__calloc(1, sizeof(*it))))
    rc = cbc__error_oom();
  if (!rc)
    rc = cbc_store__ledger_query(&it->cursor, db->store, &f, has_after ? &after : NULL);
  if (db)
    cbc_store__done(db->store);
  if (rc) {
    cbc__free(it);
    return rc;
  }
  it->sort = f.sort;
  it->descending = f.descending;
  *out = it;
  return 0;
}

static int64_t sort_key(const cbc_hazard *h, cbc_hazard_sort sort)
{
  switch (sort) {
  case CBC_HAZARD_SORT_DEADLINE:
    return h->deadline;
  case CBC_HAZARD_SORT_UPDATED:
    return h->updated_at;
  default:
    return h->id;
  }
}

CBC_EXTERN(int) cbc_hazard_iter_next(const cbc_hazard **out, cbc_hazard_iter *it)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(it);
  int rc = cbc_store__cursor_hazard(it->cursor, &it->current);
  if (rc)
    return rc;
  it->have_row = true;
  it->last.key = sort_key(&it->current, it->sort);
  it->last.id = it->current.id;
  *out = &it->current;
  return 0;
}

CBC_EXTERN(int) cbc_hazard_iter_cursor(char **out, cbc_hazard_iter *it)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(it);
  if (!it->have_row)
    return cbc__error(CBC_EINVAL, "no cursor before the first row");
  char text[CURSOR_MAX];
  snprintf(text, sizeof(text), CURSOR_FORMAT, (int)it->sort, it->descending,
           (long long)it->last.key, (long long)it->last.id);
  *out = cbc__strdup(text);
  return *out ? 0 : cbc__error_oom();
}

CBC_EXTERN(void) cbc_hazard_iter_free(cbc_hazard_iter *it)
{
  if (!it)
    return;
  cbc_store__cursor_free(it->cursor);
  cbc__free(it);
}

CBC_EXTERN(int) cbc_hazard_count(int64_t *out, cbc_db *db, const cbc_hazard_filter *filter)
{
  CBC__CHECK_ARG(out);
  *out = 0;
  cbc_hazard_filter f;
  cbc_store_ledger_after after;
  bool has_after;
  int rc = cbc__db_check(db);
  if (!rc)
    rc = filter_prepare(db, &f, filter, &after, &has_after);
  if (!rc)
    rc = cbc_store__ledger_count(out, db->store, &f);
  if (db)
    cbc_store__done(db->store);
  return rc;
}
