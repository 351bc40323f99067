"""Times between Python and libcbc (not part of the API; see README, "Time").

libcbc counts time in int seconds since the epoch (UTC) and reads calendar
periods in the database's UTC offset.  Into the library, a time may be:
- an int: seconds since the epoch, as is;
- an aware datetime: its instant (fractions of a second dropped, rounding down);
- a naive datetime: a wall-clock time in the database's UTC offset;
- a date: its midnight in the database's UTC offset (as the end of a
  [start, end) range, the end is that midnight: the day itself is left out);
- None: 0, "not set" (no bound, now, open-ended: what 0 means to the call).
A naive datetime or a date where no database is at hand (Period.range()
without db=) is a TypeError, as are bool, float, str and other types.
Out of the library, a time is an aware datetime in the database's offset,
and 0 ("not set") is None; int(t.timestamp()) gives the seconds back.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from ._support import _DatabaseBase as Database

# A time argument (module docstring).
TimeArg = Union[int, _dt.datetime, _dt.date, None]

__all__ = ["zone", "to_seconds", "from_seconds", "bound", "db_seconds", "db_time"]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_SECOND = _dt.timedelta(seconds=1)


def zone(offset: int) -> _dt.timezone:
    """The fixed-offset tzinfo of a UTC offset in seconds."""
    return _dt.timezone(_dt.timedelta(seconds=offset))


def _local(value: _dt.date, offset: Optional[int], name: str) -> _dt.datetime:
    """A naive datetime or a date as an aware datetime in the offset."""
    if offset is None:
        raise TypeError("%s: a naive datetime or a date needs a database's UTC offset; "
                        "give an aware datetime or int seconds (or pass db=)" % name)
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime.combine(value, _dt.time())
    return value.replace(tzinfo=zone(offset))


def to_seconds(value: TimeArg, offset: Optional[int], name: str = "time") -> int:
    """The int seconds since the epoch of a time argument (module docstring);
    offset is the database's UTC offset in seconds, None without a database."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise TypeError("%s: expected int seconds, a datetime or a date, got bool" % name)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, _dt.date):  # datetime is a date too
        if not isinstance(value, _dt.datetime) or value.utcoffset() is None:
            value = _local(value, offset, name)
        return (value - _EPOCH) // _SECOND
    raise TypeError("%s: expected int seconds, a datetime or a date, got %s"
                    % (name, type(value).__name__))


def from_seconds(seconds: int, offset: int, zero_unset: bool = True) -> Optional[_dt.datetime]:
    """An aware datetime in the offset for int seconds; None for 0 ("not set")
    unless zero_unset is False (a period's bounds, where 0 is the epoch)."""
    if not seconds and zero_unset:
        return None
    utc = _EPOCH + _dt.timedelta(seconds=seconds)
    try:
        return utc.astimezone(zone(offset))
    except OverflowError:  # the last hours of 9999 have no local year 9999 east of UTC
        return utc


def db_seconds(db: Database, value: TimeArg, name: str = "time") -> int:
    """to_seconds() in a Database's UTC offset."""
    return to_seconds(value, db.utc_offset, name)


def db_time(db: Database, seconds: int, zero_unset: bool = True) -> Optional[_dt.datetime]:
    """from_seconds() in a Database's UTC offset."""
    return from_seconds(seconds, db.utc_offset, zero_unset)


def bound(seconds: int, offset: int) -> _dt.datetime:
    """A period's bound (always set) as an aware datetime in the offset."""
    result = from_seconds(seconds, offset, zero_unset=False)
    assert result is not None  # zero_unset=False: always a datetime
    return result
