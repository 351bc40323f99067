/* What the renderings of reports share (lib/render.h). */
#include "render.h"
#include "calendar.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cbc__sb_add(cbc__sbuf *b, const char *s, size_t n)
{
  if (b->oom || b->len + n + 1 <= b->cap) {
    if (!b->oom) {
      memcpy(b->p + b->len, s, n);
      b->len += n;
      b->p[b->len] = '\0';
    }
    return;
  }
  size_t cap = b->cap ? b->cap * 2 : 1024;
  while (cap < b->len + n + 1)
    cap *= 2;
  char *p = cbc__realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return;
  }
  b->p = p;
  b->cap = cap;
  cbc__sb_add(b, s, n);
}

int cbc__sb_finish(cbc__sbuf *b, char **out)
{
  if (b->oom) {
    cbc__free(b->p);
    b->p = NULL;
    return cbc__error_oom();
  }
  *out = b->p;
  b->p = NULL;
  return 0;
}

void cbc__sb_adds(cbc__sbuf *b, const char *s) { cbc__sb_add(b, s, strlen(s)); }

void cbc__sb_addf(cbc__sbuf *b, const char *fmt, ...)
{
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  cbc__sb_add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void cbc__sb_csv_cell(cbc__sbuf *b, const char *s)
{
  cbc__sb_adds(b, "\"");
  if (s[0] && strchr("=+-@", s[0]))
    cbc__sb_adds(b, "'");
  for (; *s; s++) {
    if (*s == '"')
      cbc__sb_adds(b, "\"");
    cbc__sb_add(b, s, 1);
  }
  cbc__sb_adds(b, "\"");
}

/* Rates and days keep 4 decimals; 15 significant digits print them exactly. */
#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

void cbc__sb_json(cbc__sbuf *b, json_t *root)
{
  char *text;
  if (cbc__json_dump(root, JSON_FLAGS, &text) != 0) {
    b->oom = true;
    return;
  }
  cbc__sb_adds(b, text);
  cbc__sb_adds(b, "\n");
  cbc__free(text);
}

size_t cbc__text_columns(const char *s)
{
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80)
      w += *p >= 0xE3 ? 2 : 1; /* from U+3000 on: CJK punctuation and ideographs */
  return w;
}

void cbc__date_text(cbc_db *db, int64_t t, char out[16])
{
  int y, m, d;
  cbc__local_date(t, cbc_db_utc_offset(db), &y, &m, &d);
  snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

void cbc__wan_text(int64_t fen, char out[32])
{
  snprintf(out, 32, "%" PRId64 ".%06" PRId64, fen / 1000000, fen % 1000000);
  char *end = out + strlen(out) - 1;
  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
}
