/* cbc: times and periods as people type them, in the database's offset. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "+7d", "+12h", "+30m" from the database's clock. */
static int relative_time(cli_ctx *ctx, const char *text, int64_t *out)
{
  char *end;
  long long n = strtoll(text + 1, &end, 10);
  int64_t unit = *end == 'd' ? 86400 : *end == 'h' ? 3600 : *end == 'm' ? 60 : 0;
  if (end == text + 1 || unit == 0 || end[1] || n < 0 || n > 3650LL * 86400)
    return -1;
  *out = cbc_db_now(ctx->db) + n * unit;
  return 0;
}

/* "HH:MM" or "HH:MM:SS" as seconds into the day. */
static int clock_time(const char *text, int64_t *out)
{
  int h, m, s = 0, n = 0;
  if (sscanf(text, "%2d:%2d%n", &h, &m, &n) != 2)
    return -1;
  if (text[n] == ':' && sscanf(text + n, ":%2d%n", &s, &n) == 1)
    n += 3;
  else if (text[n] == ':')
    return -1;
  if (text[n] || h > 23 || m > 59 || s > 59 || h < 0 || m < 0 || s < 0)
    return -1;
  *out = h * 3600 + m * 60 + s;
  return 0;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]]": the day through the library's calendar. */
static int calendar_time(cli_ctx *ctx, const char *text, int end_of_day, int64_t *out)
{
  char day[11], range[32];
  size_t len = strlen(text);
  int64_t into = 0;
  cbc_period p;
  if (len < 10 || (len > 10 && text[10] != ' ' && text[10] != 'T'))
    return -1;
  memcpy(day, text, 10);
  day[10] = '\0';
  if (len > 10 && clock_time(text + 11, &into) != 0)
    return -1;
  snprintf(range, sizeof range, "%s..%s", day, day);
  if (cbc_period_parse(&p, ctx->db, range) != 0 || p.kind != CBC_PERIOD_RANGE)
    return -1;
  *out = len > 10 ? p.from + into : end_of_day ? p.to - 1 : p.from;
  return 0;
}

int cli_time(cli_ctx *ctx, const char *text, int end_of_day, int64_t *out)
{
  int rc = -1;
  char *end;
  if (strcmp(text, "now") == 0) {
    *out = cbc_db_now(ctx->db);
    rc = 0;
  } else if (text[0] == '@') {
    long long v = strtoll(text + 1, &end, 10);
    rc = end == text + 1 || *end || v < CBC_TIME_MIN || v > CBC_TIME_MAX ? -1 : 0;
    *out = v;
  } else if (text[0] == '+') {
    rc = relative_time(ctx, text, out);
  } else {
    rc = calendar_time(ctx, text, end_of_day, out);
  }
  if (rc != 0)
    return cli_failf(ctx, CLI_INVALID,
                     "'%s' is not a time: give YYYY-MM-DD, 'YYYY-MM-DD HH:MM', now, +7d or @SECONDS",
                     text);
  return CLI_OK;
}

int cli_period(cli_ctx *ctx, const char *text, cbc_period *out)
{
  int rc = cbc_period_parse(out, ctx->db, text);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

/* The calendar fields of t in the database's offset; the offset in seconds. */
static int local_tm(cli_ctx *ctx, int64_t t, struct tm *tm)
{
  int off = cbc_db_utc_offset(ctx->db);
  time_t local = (time_t)(t + off);
  gmtime_r(&local, tm);
  return off;
}

/* The moduli below change no value (times are within years 1970..9999,
 * offsets under a day); they let gcc -O2 see that the text fits
 * (-Wformat-truncation). */
const char *cli_time_iso(cli_ctx *ctx, int64_t t, char buf[40])
{
  struct tm tm;
  int off = local_tm(ctx, t, &tm);
  int a = off < 0 ? -off : off;
  snprintf(buf, 40, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (tm.tm_year + 1900) % 10000,
           (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
           tm.tm_sec % 100, off < 0 ? '-' : '+', a / 3600 % 100, a % 3600 / 60);
  return buf;
}

const char *cli_time_text(cli_ctx *ctx, int64_t t, char buf[40])
{
  if (t == 0) {
    buf[0] = '\0';
    return buf;
  }
  struct tm tm;
  local_tm(ctx, t, &tm);
  snprintf(buf, 40, "%04d-%02d-%02d %02d:%02d", (tm.tm_year + 1900) % 10000,
           (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100);
  return buf;
}
