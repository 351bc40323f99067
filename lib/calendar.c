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

void cbc__year_bounds(int year, int utc_offset, int64_t *from, int64_t *to)
{
  *from = cbc__local_midnight(year, 1, 1, utc_offset);
  *to = cbc__local_midnight(year + 1, 1, 1, utc_offset);
}
