/* Text validation: UTF-8, control characters, length limits. */
#include "internal.h"
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

int cbc__text_check(const char *field, const char *s, size_t min, size_t max)
{
  size_t len = s ? strlen(s) : 0;
  if (len < min)
    return cbc__error(CBC_EINVAL, "%s is empty", field);
  if (len > max)
    return cbc__error(CBC_EINVAL, "%s is %zu bytes long; the limit is %zu", field, len, max);
  if (!cbc__utf8_valid(s, len))
    return cbc__error(CBC_EINVAL, "%s is not valid UTF-8", field);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
      return cbc__error(CBC_EINVAL, "%s contains a control character", field);
  return 0;
}
