/* Calendar arithmetic in a fixed UTC offset (the database's): dates to
 * seconds and calendar periods.  Pure; not exported. */
#ifndef CBC_CALENDAR_H
#define CBC_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d. */
int64_t cbc__days_from_civil(int y, int m, int d);
/* Local midnight of y-m-d, in seconds since the epoch, at @p utc_offset. */
int64_t cbc__local_midnight(int y, int m, int d, int utc_offset);
/* The local date of @p t (seconds since the epoch) at @p utc_offset. */
void cbc__local_date(int64_t t, int utc_offset, int *y, int *m, int *d);
/* Calendar year @p year as [*from, *to) at @p utc_offset. */
void cbc__year_bounds(int year, int utc_offset, int64_t *from, int64_t *to);
/* @p t as "YYYY-MM-DDTHH:MM:SS+HH:MM" at @p offset ("Z" for 0; seconds in
 * the offset when it has them), or in UTC when its local year would pass
 * 9999; 48 bytes are room enough (lib/period.c). */
void cbc__format_time(char *out, size_t size, int64_t t, int offset);

#endif
