"""Helpers shared by the Database and its mixins (not part of the API)."""
from __future__ import annotations

import os
import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, List, Type, TypeVar, Union

from ._cbc import ffi, lib
from ._enum import to_c
from .errors import CbcError, check
from .types import Employee, Period, PeriodKind

T = TypeVar("T")
R = TypeVar("R")


class _DatabaseBase:
    """The base of Database and its mixins: declares, for the type checker,
    what the mixins use of Database (defined there)."""

    if TYPE_CHECKING:
        _iterators: weakref.WeakSet[_Iterator[Any]]

        @property
        def _ptr(self) -> Any: ...

        @property
        def utc_offset(self) -> int: ...

        def employee(self, employee_id: int) -> Employee: ...


PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _fspath(path: PathLike, name: str = "path") -> bytes:
    """A path argument (str, bytes or os.PathLike) as the bytes the C calls
    take (os.fsencode: the file system's encoding); TypeError for anything
    else."""
    try:
        return os.fsencode(path)
    except TypeError:
        raise TypeError("%s: expected str, bytes or os.PathLike, got %s"
                        % (name, type(path).__name__)) from None


def _text(s: Any) -> str:
    text: str = ffi.string(s).decode("utf-8") if s != ffi.NULL else ""
    return text


def _items(ptr: Any, n: int) -> List[Any]:
    """The first n items of a C array as a list ([] for NULL or n == 0)."""
    items: List[Any] = ptr[0:n] if n and ptr != ffi.NULL else []
    return items


def _closed() -> CbcError:
    return CbcError(lib.CBC_EINVAL, "the database is closed")


class _Strings:
    """Keeps the C copies of Python strings alive for one call."""

    def __init__(self) -> None:
        self._keep: List[Any] = []

    def __call__(self, s: str | None) -> Any:
        if s is None:
            return ffi.NULL
        if not isinstance(s, str):
            raise TypeError("expected str, got %s" % type(s).__name__)
        c = ffi.new("char[]", s.encode("utf-8"))
        return self.keep(c)

    def keep(self, cdata: Any) -> Any:
        """Keep another C object alive as long as the strings; returns it."""
        self._keep.append(cdata)
        return cdata


def _fetch(out_type: str, call: Callable[[Any], Any], convert: Callable[[Any], R],
           free: Callable[[Any], object]) -> R:
    """Call a libcbc lookup that fills `T **out`, convert the result, free it."""
    out = ffi.new(out_type)
    check(call(out))
    try:
        return convert(out[0])
    finally:
        free(out[0])


def _string(call: Callable[[Any], Any]) -> str:
    """Call a libcbc function that fills `char **out`; the text, freed with cbc_free()."""
    out = ffi.new("char **")
    check(call(out))
    try:
        return _text(out[0])
    finally:
        lib.cbc_free(out[0])


def _period(period: Period) -> Any:
    """A cbc_period from a cbc.Period (the statistics' and the rewards' periods)."""
    if not isinstance(period, Period):
        raise TypeError("expected a cbc.Period, got %s" % type(period).__name__)
    p = ffi.new("cbc_period *")
    p.kind = to_c(PeriodKind, period.kind, "period.kind")
    p.year, p.number = period.calendar_year, period.number
    setattr(p, "from", period.start)
    p.to = period.end
    return p


def _as(record_type: Type[T], value: T | Dict[str, Any]) -> T:
    return value if isinstance(value, record_type) else record_type(**value)


class _Iterator(Generic[T]):
    """A libcbc iterator.  It keeps its Database alive, frees itself when done,
    and is closed by Database.close(): next() then raises CbcError.  It is a
    context manager: leaving the with block frees it, however far it got."""

    def __init__(self, db: _DatabaseBase, iter_type: str, new: Callable[[Any], Any],
                 item_type: str, next_fn: Callable[[Any, Any], Any],
                 free_fn: Callable[[Any], object], convert: Callable[[Any], T]) -> None:
        """new(out) fills `iter_type **out`; next_fn(item_out, it) steps it."""
        self._it: Any = None
        out = ffi.new(iter_type + " **")
        check(new(out))
        self._it = ffi.gc(out[0], free_fn)
        self._db = db  # the parent stays alive while the iterator lives
        self._db_closed = False
        self._out = ffi.new("const " + item_type + " **")
        self._next = next_fn
        self._convert = convert
        db._iterators.add(self)

    def __iter__(self) -> _Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._it is None:
            if self._db_closed:
                raise _closed()
            raise StopIteration
        rc = self._next(self._out, self._it)
        if rc == lib.CBC_ITEROVER:
            self.close()
            raise StopIteration
        check(rc)
        return self._convert(self._out[0])

    def close(self) -> None:
        """Free the C iterator now (idempotent)."""
        if self._it is not None:
            it, self._it = self._it, None
            ffi.release(it)

    def __enter__(self) -> _Iterator[T]:
        return self

    def __exit__(self, *exc: Any) -> None:
        """Leaving a with block frees the C iterator, however far it got."""
        self.close()

    def _database_closing(self) -> None:
        self._db_closed = self._it is not None
        self.close()

    def __del__(self) -> None:  # free the C iterator before its database can go
        self.close()
