/* Checks of what callers give: text (UTF-8, control characters, length
 * limits) and times (the range of common.h). */
#include "internal.h"
#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence starting at s (at most n bytes), or 0 if it
 * is not a valid, shortest-form, non-surrogate scalar value. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || len > n)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if (len == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
    return 0; /* overlong, or a surrogate */
  if (len == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
    return 0; /* overlong, or beyond U+10FFFF */
  return len;
}

bool cbc__utf8_valid(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  while (len) {
    size_t n = utf8_seq(p, len);
    if (!n)
      return false;
    p += n;
    len -= n;
  }
  return true;
}

/* The length of the allowed control sequence at s[i] in a long text (a
 * tab, LF, or CR LF), or 0 when s[i] is a refused control character. */
static size_t long_text_break(const char *s, size_t i, size_t len)
{
  if (s[i] == '\t' || s[i] == '\n')
    return 1;
  if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
    return 2;
  return 0;
}

static int text_check(const char *field, const char *s, size_t min, size_t max, bool multiline)
{
  size_t len = s ? strlen(s) : 0;
  if (len < min)
    return cbc__error(CBC_EINVAL, "%s is empty", field);
  if (len > max)
    return cbc__error(CBC_EINVAL, "%s is %zu bytes long; the limit is %zu", field, len, max);
  if (!cbc__utf8_valid(s, len))
    return cbc__error(CBC_EINVAL, "%s is not valid UTF-8", field);
  for (size_t i = 0; i < len; i++) {
    if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7F)
      continue;
    size_t n = multiline ? long_text_break(s, i, len) : 0;
    if (!n)
      return cbc__error(CBC_EINVAL,
                        multiline ? "%s contains a control character (only tabs and line "
                                    "breaks, LF or CR LF, are allowed)"
                                  : "%s contains a control character (it is single-line)",
                        field);
    i += n - 1;
  }
  return 0;
}

int cbc__text_check(const char *field, const char *s, size_t min, size_t max)
{
  return text_check(field, s, min, max, false);
}

int cbc__long_text_check(const char *field, const char *s, size_t min, size_t max)
{
  return text_check(field, s, min, max, true);
}

int cbc__time_check(const char *what, int64_t t)
{
  if (t < CBC_TIME_MIN)
    return cbc__error(CBC_EINVAL, "%s is negative (times are 1970-01-01..9999-12-31 UTC)", what);
  if (t > CBC_TIME_MAX)
    return cbc__error(CBC_EINVAL, "%s %lld is after 9999-12-31T23:59:59Z, the last time "
                                  "libcbc keeps", what, (long long)t);
  return 0;
}

int cbc__time_range_check(const char *what, int64_t from, int64_t to)
{
  int rc = cbc__time_check(what, from);
  if (!rc && to != CBC_TIME_MAX + 1) /* an exclusive end may follow the last second */
    rc = cbc__time_check(what, to);
  if (!rc && to <= from)
    rc = cbc__error(CBC_EINVAL, "%s is an empty or inverted range [%lld, %lld)", what,
                    (long long)from, (long long)to);
  return rc;
}

void cbc__decimal(char *out, size_t size, double v, int decimals, bool trim)
{
  static const int64_t scale[] = { 1, 10, 100, 1000, 10000 };
  if (decimals < 0 || decimals > 4 || !(v > -1e14 && v < 1e14)) { /* NaN, inf, huge */
    snprintf(out, size, "0");
    return;
  }
  double x = v * (double)scale[decimals]; /* |x| < 1e18: fits an int64 */
  int64_t n = (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
  const char *sign = n < 0 ? "-" : "";
  int64_t whole = (n < 0 ? -n : n) / scale[decimals];
  int64_t frac = (n < 0 ? -n : n) % scale[decimals];
  int shown = decimals;
  while (trim && shown > 0 && frac % 10 == 0) {
    frac /= 10;
    shown--;
  }
  if (shown == 0)
    snprintf(out, size, "%s%lld", sign, (long long)whole);
  else
    snprintf(out, size, "%s%lld.%0*lld", sign, (long long)whole, shown, (long long)frac);
}
