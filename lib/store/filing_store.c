/* SQL for filings (lib/filing.c): immutable rows, one per version of a
 * unit's report for a period. */
#include "store_internal.h"
#include <stdio.h>

#define KEY_WHERE                                                                        \
  "unit_id = ?1 AND kind = ?2 AND period_kind = ?3 AND year = ?4 AND number = ?5"        \
  " AND hazard_id = ?6"
#define COLUMNS                                                                          \
  "id, kind, unit_id, period_kind, year, number, version, filed_by, signed_by, filed_at," \
  " due_at, note, json, text, csv, hazard_id, enterprise_id, history_seq, history_hash"

static void bind_key(drv_stmt *s, const cbc_store_filing_key *k)
{
  drv_bind_int64(s, 1, k->unit_id);
  drv_bind_int64(s, 2, k->kind);
  drv_bind_int64(s, 3, k->period_kind);
  drv_bind_int64(s, 4, k->year);
  drv_bind_int64(s, 5, k->number);
  drv_bind_int64(s, 6, k->hazard_id);
}

int cbc_store__filing_versions(cbc_store *st, const cbc_store_filing_key *k, int *versions,
                               int64_t *first_at)
{
  drv_stmt *s;
  *versions = 0;
  *first_at = 0;
  int rc = store_stmt(st, STMT_FILING_VERSIONS,
                      "SELECT coalesce(max(version), 0), coalesce(min(filed_at), 0)"
                      " FROM filings WHERE " KEY_WHERE, &s);
  if (rc)
    return rc;
  bind_key(s, k);
  rc = store_step_row(st, s, "filing versions");
  if (!rc) {
    *versions = drv_column_int(s, 0);
    *first_at = drv_column_int64(s, 1);
    drv_reset(s);
  }
  return rc;
}

int cbc_store__filing_insert(cbc_store *st, const cbc_filing *f, int64_t tenant,
                             int64_t *out_id)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FILING_INSERT,
                      "INSERT INTO filings(unit_id, kind, period_kind, year, number, hazard_id,"
                      " version, filed_by, signed_by, filed_at, due_at, note, json, text, csv,"
                      " enterprise_id, history_seq, history_hash) VALUES (?1, ?2, ?3, ?4, ?5,"
                      " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)", &s);
  if (rc)
    return rc;
  cbc_store_filing_key k = { f->unit_id, f->kind, f->period.kind, f->period.year,
                             f->period.number, f->hazard_id };
  bind_key(s, &k);
  drv_bind_int64(s, 7, f->version);
  drv_bind_int64(s, 8, f->filed_by);
  drv_bind_int64(s, 9, f->signed_by);
  drv_bind_int64(s, 10, f->filed_at);
  drv_bind_int64(s, 11, f->due_at);
  store_bind_text(s, 12, f->note);
  store_bind_text(s, 13, f->json);
  store_bind_text(s, 14, f->text);
  store_bind_text(s, 15, f->csv);
  drv_bind_int64(s, 16, tenant);
  drv_bind_int64(s, 17, f->checkpoint.seq);
  store_bind_text(s, 18, f->checkpoint.hash);
  rc = store_exec_insert(st, s, "storing a filing", out_id);
  return rc ? rc : cbc_store__chain_note(st, CBC_HISTORY_FILING, *out_id);
}

/* The row in @p s into @p f, its texts copied. */
static int read_filing(drv_stmt *s, cbc_filing *f)
{
  f->id = drv_column_int64(s, 0);
  f->kind = (cbc_filing_kind)drv_column_int(s, 1);
  f->unit_id = drv_column_int64(s, 2);
  f->period.kind = (cbc_period_kind)drv_column_int(s, 3);
  f->period.year = drv_column_int(s, 4);
  f->period.number = drv_column_int(s, 5);
  f->version = drv_column_int(s, 6);
  f->filed_by = drv_column_int64(s, 7);
  f->signed_by = drv_column_int64(s, 8);
  f->filed_at = drv_column_int64(s, 9);
  f->due_at = drv_column_int64(s, 10);
  f->late = f->filed_at > f->due_at;
  f->hazard_id = drv_column_int64(s, 15);
  f->checkpoint.tenant_id = drv_column_int64(s, 16);
  f->checkpoint.seq = drv_column_int64(s, 17);
  snprintf(f->checkpoint.hash, sizeof(f->checkpoint.hash), "%s", store_col_text(s, 18));
  char **texts[] = { &f->note, &f->json, &f->text, &f->csv };
  for (int i = 0; i < 4; i++)
    if (!(*texts[i] = cbc__strdup(store_col_text(s, 11 + i))))
      return cbc__error_oom();
  return 0;
}

static int get_filing(cbc_store *st, drv_stmt *s, cbc_filing *out, bool *found)
{
  int rc = store_step_maybe(st, s, "filing", found);
  if (!rc && *found)
    rc = read_filing(s, out);
  drv_reset(s);
  return rc;
}

int cbc_store__filing_by_id(cbc_store *st, int64_t id, cbc_filing *out, bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FILING_BY_ID, "SELECT " COLUMNS " FROM filings WHERE id = ?1",
                      &s);
  if (rc)
    return rc;
  drv_bind_int64(s, 1, id);
  return get_filing(st, s, out, found);
}

int cbc_store__filing_version(cbc_store *st, const cbc_store_filing_key *k, int version,
                              cbc_filing *out, bool *found)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FILING_VERSION,
                      "SELECT " COLUMNS " FROM filings WHERE " KEY_WHERE " AND (version = ?7"
                      " OR (?7 = 0 AND version = (SELECT max(version) FROM filings WHERE "
                      KEY_WHERE ")))", &s);
  if (rc)
    return rc;
  bind_key(s, k);
  drv_bind_int64(s, 7, version);
  return get_filing(st, s, out, found);
}

static void fill_id(drv_stmt *s, void *element) { *(int64_t *)element = drv_column_int64(s, 0); }

int cbc_store__filers(cbc_store *st, int64_t unit_id, bool children, const char *lo,
                      const char *hi, int64_t **out, size_t *n)
{
  drv_stmt *s;
  if (children) {
    int rc = store_stmt(st, STMT_FILERS_CHILDREN,
                        "SELECT id FROM units WHERE parent_id = ?1 AND closed_at = 0"
                        " AND kind IN (1, 2) ORDER BY id", &s);
    if (rc)
      return rc;
    drv_bind_int64(s, 1, unit_id);
    return store_collect(st, s, sizeof(**out), fill_id, (void **)out, n);
  }
  int rc = store_stmt(st, STMT_FILERS_ENTERPRISES,
                      "SELECT id FROM units WHERE path >= ?1 AND path < ?2 AND kind = 2"
                      " AND closed_at = 0 ORDER BY id", &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  return rc ? rc : store_collect(st, s, sizeof(**out), fill_id, (void **)out, n);
}

static void fill_filed(drv_stmt *s, void *element)
{
  cbc_store_filed *f = element;
  f->unit_id = drv_column_int64(s, 0);
  f->versions = drv_column_int(s, 1);
  f->first_at = drv_column_int64(s, 2);
  f->last_at = drv_column_int64(s, 3);
}

int cbc_store__filed_in(cbc_store *st, const char *lo, const char *hi,
                        const cbc_store_filing_key *k, cbc_store_filed **out, size_t *n)
{
  drv_stmt *s;
  int rc = store_stmt(st, STMT_FILED_IN,
                      "SELECT f.unit_id, count(*), min(f.filed_at), max(f.filed_at)"
                      " FROM units u JOIN filings f ON f.unit_id = u.id"
                      " WHERE u.path >= ?1 AND u.path < ?2 AND f.kind = ?3"
                      " AND f.period_kind = ?4 AND f.year = ?5 AND f.number = ?6"
                      " GROUP BY f.unit_id ORDER BY f.unit_id", &s);
  if (!rc)
    rc = store_bind_range(st, s, 1, lo, hi);
  if (rc)
    return rc;
  drv_bind_int64(s, 3, k->kind);
  drv_bind_int64(s, 4, k->period_kind);
  drv_bind_int64(s, 5, k->year);
  drv_bind_int64(s, 6, k->number);
  return store_collect(st, s, sizeof(**out), fill_filed, (void **)out, n);
}

/* The advisory lock space of filings: below the years of participation's
 * (lib/store/store.c) and the reports' and statistics' space 0. */
#define FILING_LOCK_SPACE (-1)

int cbc_store__filing_lock(cbc_store *st, int64_t unit_id)
{
  return store_lock_key(st, FILING_LOCK_SPACE, unit_id, false);
}
