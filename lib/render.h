/* What the renderings of reports share (lib/stats_render.c,
 * lib/major_report.c): a growing text buffer that remembers running out of
 * memory, CSV cells, compact JSON lines, local dates and text widths.  Not
 * exported. */
#ifndef CBC_RENDER_H
#define CBC_RENDER_H

#include "db_internal.h"
#include <jansson.h>

/* A NUL-terminated text being written; on a failed allocation @c oom is
 * set and every later write does nothing. */
typedef struct cbc__sbuf {
  char *p;
  size_t len, cap;
  bool oom;
} cbc__sbuf;

void cbc__sb_add(cbc__sbuf *b, const char *s, size_t n);
/* Hand the text over to *out (owned by the caller, freed with cbc__free):
 * 0, or CBC_ENOMEM when a write ran out of memory (the text is freed). */
int cbc__sb_finish(cbc__sbuf *b, char **out);
void cbc__sb_adds(cbc__sbuf *b, const char *s);
/* printf into the buffer; one call writes at most 511 bytes. */
void cbc__sb_addf(cbc__sbuf *b, const char *fmt, ...) CBC__PRINTF(2, 3);
/* A CSV cell: quoted, quotes doubled, and a leading = + - @ neutralised
 * with a ' so spreadsheets do not run it as a formula. */
void cbc__sb_csv_cell(cbc__sbuf *b, const char *s);
/* Append @p root (consumed; NULL: building it ran out of memory) as one
 * line of compact JSON (rates and days keep their 4 decimals). */
void cbc__sb_json(cbc__sbuf *b, json_t *root);
/* Columns a UTF-8 string takes in a terminal: wide (CJK) characters 2. */
size_t cbc__text_columns(const char *s);
/* The local date of @p t in @p db's UTC offset, "YYYY-MM-DD". */
void cbc__date_text(cbc_db *db, int64_t t, char out[16]);
/* An amount in fen as 万元 (10,000 yuan), without trailing zeros:
 * 1250000 fen -> "1.25". */
void cbc__wan_text(int64_t fen, char out[32]);

#endif /* CBC_RENDER_H */
