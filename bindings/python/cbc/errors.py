"""Exceptions: one per libcbc return code, raised by check()."""
from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Type

from ._cbc import ffi, lib

if TYPE_CHECKING:
    from .types import SyncResult

__all__ = ["CbcError", "NotFoundError", "InvalidError", "StateError", "PermissionDenied",
           "ConflictError", "BusyError", "OutOfMemoryError", "IOFailure", "CorruptError",
           "VersionError", "CallbackAborted", "check"]


class CbcError(Exception):
    """A libcbc call failed.

    Its fields are those of the C error (cbc_error_last()):

    - code: the return code, an ErrorCode member (ErrorCode.EINVAL, ...), or
      for CallbackAborted the callback's own non-zero return value;
    - message: the library's English message (also str(error));
    - result: the SyncResult of a failed Database.sync() or import_files()
      (its row errors and warnings), None on every other error.

    Catch a subclass for one kind of failure (NotFoundError, BusyError, ...)
    or CbcError for all.  Errors pickle (for multiprocessing) with their code,
    message and result.
    """

    #: The SyncResult of a failed sync or import (Database.sync(), import_files()),
    #: None on the errors other calls raise.
    result: Optional[SyncResult] = None

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code: int = _as_error_code(code)
        self.message: str = message

    def __str__(self) -> str:  # one message, whatever the other bases do
        return self.message

    def __repr__(self) -> str:
        return "%s(%s, %r)" % (type(self).__name__, _shown_code(self.code), self.message)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (int(self.code), self.message), {"result": self.result})


def _as_error_code(code: int) -> int:
    """code as its ErrorCode member when it is one (a callback's value stays an int)."""
    from .types import ErrorCode  # here: types imports this module
    member: Optional[int] = ErrorCode._value2member_map_.get(code)  # type: ignore[assignment]
    return int(code) if member is None else member


def _shown_code(code: int) -> str:
    return "ErrorCode.%s" % code.name if isinstance(code, enum.Enum) else repr(int(code))


class NotFoundError(CbcError, KeyError):
    """CBC_ENOTFOUND: the object does not exist."""


class InvalidError(CbcError, ValueError):
    """CBC_EINVAL: an argument or a record is invalid."""


class StateError(CbcError):
    """CBC_ESTATE: not allowed in the object's current state."""


class PermissionDenied(CbcError, PermissionError):
    """CBC_EPERM: the actor may not do this, or the database is read-only."""


class ConflictError(CbcError):
    """CBC_ECONFLICT: conflicts with existing data."""


class BusyError(CbcError):
    """CBC_EBUSY: another connection holds the lock; retry."""


class OutOfMemoryError(CbcError, MemoryError):
    """CBC_ENOMEM."""


class IOFailure(CbcError, OSError):
    """CBC_EIO: a file or disk operation failed."""


class CorruptError(CbcError):
    """CBC_ECORRUPT: damaged, or not a libcbc database."""


class VersionError(CbcError):
    """CBC_EVERSION: the database was written by a newer libcbc."""


class CallbackAborted(CbcError):
    """A callback returned non-zero (or raised) and aborted the call."""


_BY_CODE: Dict[int, Type[CbcError]] = {
    lib.CBC_ENOTFOUND: NotFoundError, lib.CBC_EINVAL: InvalidError, lib.CBC_ESTATE: StateError,
    lib.CBC_EPERM: PermissionDenied, lib.CBC_ECONFLICT: ConflictError, lib.CBC_EBUSY: BusyError,
    lib.CBC_ENOMEM: OutOfMemoryError, lib.CBC_EIO: IOFailure, lib.CBC_ECORRUPT: CorruptError,
    lib.CBC_EVERSION: VersionError,
}


def last_message() -> str:
    """The message of cbc_error_last() (the thread's last error)."""
    message: str = ffi.string(lib.cbc_error_last().message).decode("utf-8", "replace")
    return message


def check(rc: int) -> int:
    """Return rc when it is 0 (or CBC_ITEROVER), else raise the matching exception."""
    if rc == 0 or rc == lib.CBC_ITEROVER:
        return rc
    raise _BY_CODE.get(rc, CallbackAborted)(rc, last_message())
