"""Exceptions: one per libcbc return code, raised by check()."""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Optional, Type

from ._cbc import ffi, lib

if TYPE_CHECKING:
    from .types import SyncResult

__all__ = ["CbcError", "NotFoundError", "InvalidError", "StateError", "PermissionDenied",
           "ConflictError", "BusyError", "OutOfMemoryError", "IOFailure", "CorruptError",
           "VersionError", "CallbackAborted", "check"]


class CbcError(Exception):
    """A libcbc call failed; .code is the CBC_E* code, str() the message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code: int = code

    #: The SyncResult of a failed sync or import (Database.sync(), import_files()):
    #: set only on the errors those raise.
    result: Optional[SyncResult]


class NotFoundError(CbcError, KeyError):
    """CBC_ENOTFOUND: the object does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


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
