/* Periods as people write them (include/cbc/stats.h): the calendar period
 * containing a time, and the text forms "2026-11", "2026-Q4", "2026" and
 * "2026-11-01..2026-11-15" (or times), read and written so that
 * parse(format(p)) == p.  Calendar arithmetic is lib/calendar.c's. */
#include "calendar.h"
#include "db_internal.h"
#include <stdio.h>
#include <string.h>

#define DAY INT64_C(86400)

static int64_t floor_mod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

CBC_EXTERN(int) cbc_period_containing(cbc_period *out, cbc_db *db, cbc_period_kind kind,
                                      int64_t t)
{
  CBC__CHECK_ARG(out);
  int rc = cbc__db_check(db);
  if (!rc && (kind < CBC_PERIOD_MONTH || kind > CBC_PERIOD_YEAR))
    rc = cbc__error(CBC_EINVAL, "a period containing a time is a month, quarter or year, "
                                "not kind %d", (int)kind);
  if (!rc)
    rc = cbc__time_check("the time", t);
  if (rc)
    return rc;
  int y, m, d;
  cbc__local_date(t, cbc_db_utc_offset(db), &y, &m, &d);
  if (y < 1970 || y > 9999)
    return cbc__error(CBC_EINVAL, "the time %lld falls in the local year %d, outside the "
                                  "years 1970..9999 a period may have", (long long)t, y);
  cbc_period p = { kind, y, kind == CBC_PERIOD_MONTH ? m : kind == CBC_PERIOD_QUARTER
                                                             ? (m + 2) / 3 : 0, 0, 0 };
  *out = p;
  return 0;
}

/* ------------------------------------------------------------- parsing */

/* Read @p min..@p max decimal digits at *p into *out; false if fewer. */
static bool digits(const char **p, int min, int max, int *out)
{
  int n = 0, v = 0;
  while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9')
    v = v * 10 + ((*p)[n++] - '0');
  if (n < min)
    return false;
  *p += n;
  *out = v;
  return true;
}

static bool expect(const char **p, char c)
{
  if (**p != c)
    return false;
  (*p)++;
  return true;
}

static bool valid_date(int y, int m, int d)
{
  if (m < 1 || m > 12 || d < 1)
    return false;
  int64_t first = cbc__days_from_civil(y, m, 1);
  int64_t next = m == 12 ? cbc__days_from_civil(y + 1, 1, 1) : cbc__days_from_civil(y, m + 1, 1);
  return d <= next - first;
}

/* "±HH:MM[:SS]" or "Z" at *p, as seconds east of UTC. */
static bool utc_offset(const char **p, int *out)
{
  if (expect(p, 'Z') || expect(p, 'z')) {
    *out = 0;
    return true;
  }
  int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0, h, m, s = 0;
  if (!sign)
    return false;
  (*p)++;
  if (!digits(p, 2, 2, &h) || !expect(p, ':') || !digits(p, 2, 2, &m) || h > 23 || m > 59)
    return false;
  if (**p == ':' && (!expect(p, ':') || !digits(p, 2, 2, &s) || s > 59))
    return false;
  *out = sign * (h * 3600 + m * 60 + s);
  return true;
}

/* One end of a range at *p: a day "YYYY-MM-DD" (its local midnight, or for
 * the end the next one: the day is included) or a time
 * "YYYY-MM-DDTHH:MM[:SS][offset]" (the instant, or for the end the second
 * after it: the last second is included). */
static bool range_end(const char **p, int db_offset, bool end, int64_t *out)
{
  int y, mo, d, h = 0, mi = 0, s = 0, off = db_offset;
  if (!digits(p, 4, 4, &y) || !expect(p, '-') || !digits(p, 1, 2, &mo) || !expect(p, '-') ||
      !digits(p, 1, 2, &d) || !valid_date(y, mo, d))
    return false;
  if (!expect(p, 'T') && !expect(p, 't')) {
    *out = cbc__local_midnight(y, mo, d, db_offset) + (end ? DAY : 0);
    return true;
  }
  if (!digits(p, 2, 2, &h) || !expect(p, ':') || !digits(p, 2, 2, &mi) || h > 23 || mi > 59)
    return false;
  if (**p == ':' && (!expect(p, ':') || !digits(p, 2, 2, &s) || s > 59))
    return false;
  if (**p && !utc_offset(p, &off))
    return false;
  *out = cbc__local_midnight(y, mo, d, off) + h * 3600 + mi * 60 + s + (end ? 1 : 0);
  return true;
}

/* "2026", "2026-11", "2026-Q4" at *p. */
static bool calendar(const char **p, cbc_period *out)
{
  cbc_period c = { CBC_PERIOD_YEAR, 0, 0, 0, 0 };
  if (!digits(p, 4, 4, &c.year))
    return false;
  if (expect(p, '-')) {
    c.kind = **p == 'Q' || **p == 'q' ? CBC_PERIOD_QUARTER : CBC_PERIOD_MONTH;
    if (c.kind == CBC_PERIOD_QUARTER)
      (*p)++;
    if (!digits(p, 1, c.kind == CBC_PERIOD_QUARTER ? 1 : 2, &c.number))
      return false;
  }
  *out = c;
  return true;
}

static int parse_error(const char *text, size_t len)
{
  return cbc__error(CBC_EINVAL, "'%.*s' is not a period: write a month 2026-11, a quarter "
                                "2026-Q4, a year 2026, or a range of days "
                                "2026-11-01..2026-11-15 (or of times, "
                                "2026-11-01T08:00:00+08:00..2026-11-01T17:59:59+08:00)",
                    (int)(len > 80 ? 80 : len), text);
}

/* The range "A..B" in @p text, whose "B" starts at @p b (the ".." before it
 * is overwritten). */
static int parse_range(cbc_period *out, cbc_db *db, char *text, char *b)
{
  size_t len = strlen(text);
  const char *a = text;
  int64_t from, to;
  int off = cbc_db_utc_offset(db);
  b[-2] = '\0';
  bool ok = range_end(&a, off, false, &from) && !*a;
  b[-2] = '.';
  const char *end = b;
  if (!ok || !range_end(&end, off, true, &to) || *end)
    return parse_error(text, len);
  if (to <= from)
    return cbc__error(CBC_EINVAL, "the period '%s' ends before it starts", text);
  int rc = cbc__time_range_check("the period", from, to);
  if (rc)
    return rc;
  cbc_period p = { CBC_PERIOD_RANGE, 0, 0, from, to };
  *out = p;
  return 0;
}

CBC_EXTERN(int) cbc_period_parse(cbc_period *out, cbc_db *db, const char *text)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(text);
  int rc = cbc__db_check(db);
  if (rc)
    return rc;
  while (*text == ' ' || *text == '\t')
    text++;
  size_t len = strlen(text);
  while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  char buf[128]; /* the longest form is about 60 bytes */
  if (len >= sizeof(buf))
    return parse_error(text, len);
  memcpy(buf, text, len);
  buf[len] = '\0';
  char *dots = strstr(buf, "..");
  if (dots)
    return parse_range(out, db, buf, dots + 2);
  const char *p = buf;
  cbc_period c;
  int64_t from, to;
  if (!calendar(&p, &c) || *p)
    return parse_error(text, len);
  rc = cbc_period_bounds(&from, &to, db, &c);
  if (!rc)
    *out = c;
  return rc;
}

/* ----------------------------------------------------------- formatting */

void cbc__format_time(char *out, size_t size, int64_t t, int offset)
{
  int y, m, d;
  cbc__local_date(t, offset, &y, &m, &d);
  if (y > 9999) {
    offset = 0;
    cbc__local_date(t, offset, &y, &m, &d);
  }
  int64_t sec = floor_mod(t + offset, DAY);
  int n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(sec / 3600),
                   (int)(sec / 60 % 60), (int)(sec % 60));
  int a = offset < 0 ? -offset : offset;
  if (offset == 0)
    snprintf(out + n, size - (size_t)n, "Z");
  else if (a % 60)
    snprintf(out + n, size - (size_t)n, "%c%02d:%02d:%02d", offset < 0 ? '-' : '+', a / 3600,
             a / 60 % 60, a % 60);
  else
    snprintf(out + n, size - (size_t)n, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600,
             a / 60 % 60);
}

static void format_range(char *out, size_t size, int64_t from, int64_t to, int offset)
{
  char a[48], b[48];
  if (floor_mod(from + offset, DAY) == 0 && floor_mod(to + offset, DAY) == 0) {
    int y1, m1, d1, y2, m2, d2;
    cbc__local_date(from, offset, &y1, &m1, &d1);
    cbc__local_date(to - 1, offset, &y2, &m2, &d2);
    snprintf(out, size, "%04d-%02d-%02d..%04d-%02d-%02d", y1, m1, d1, y2, m2, d2);
    return;
  }
  cbc__format_time(a, sizeof(a), from, offset);
  cbc__format_time(b, sizeof(b), to - 1, offset);
  snprintf(out, size, "%s..%s", a, b);
}

CBC_EXTERN(int) cbc_period_format(char *buf, size_t size, cbc_db *db, const cbc_period *period)
{
  CBC__CHECK_ARG(buf);
  CBC__CHECK_ARG(size > 0);
  buf[0] = '\0';
  CBC__CHECK_ARG(period);
  int64_t from, to;
  int rc = cbc_period_bounds(&from, &to, db, period);
  if (rc)
    return rc;
  char text[2 * 48 + 4]; /* what format_range() may write; in fact at most 58 bytes */
  if (period->kind == CBC_PERIOD_MONTH)
    snprintf(text, sizeof(text), "%04d-%02d", period->year, period->number);
  else if (period->kind == CBC_PERIOD_QUARTER)
    snprintf(text, sizeof(text), "%04d-Q%d", period->year, period->number);
  else if (period->kind == CBC_PERIOD_YEAR)
    snprintf(text, sizeof(text), "%04d", period->year);
  else
    format_range(text, sizeof(text), from, to, cbc_db_utc_offset(db));
  size_t len = strlen(text);
  if (len >= size)
    return cbc__error(CBC_EINVAL, "a buffer of %zu bytes is too small for the period's text "
                                  "'%s' (%zu bytes with its NUL; CBC_PERIOD_TEXT_MAX always "
                                  "suffices)", size, text, len + 1);
  memcpy(buf, text, len + 1);
  return 0;
}
