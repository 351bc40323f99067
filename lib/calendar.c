/* Calendar arithmetic (lib/calendar.h), after Howard Hinnant's
 * days_from_civil: eras of 400 years, March-based years. */
#include "calendar.h"

int64_t cbc__days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t)era * 146097 + doe - 719468;
}

int64_t cbc__local_midnight(int y, int m, int d, int utc_offset)
{
  return cbc__days_from_civil(y, m, d) * 86400 - utc_offset;
}

void cbc__local_date(int64_t t, int utc_offset, int *y, int *m, int *d)
{
  int64_t local = t + utc_offset;
  int64_t z = (local >= 0 ? local : local - 86399) / 86400 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

void cbc__year_bounds(int year, int utc_offset, int64_t *from, int64_t *to)
{
  *from = cbc__local_midnight(year, 1, 1, utc_offset);
  *to = cbc__local_midnight(year + 1, 1, 1, utc_offset);
}
