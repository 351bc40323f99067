"""Standalone sign-in (cbc/account.h): AccountsMixin, inherited by Database.

For front ends without single sign-on: an administrator sets each employee's
password, which the library keeps only as an argon2id hash, and login()
checks it.  Every refusal of a sign-in raises PermissionDenied with one
message, whatever its reason; an account is locked for LOGIN_LOCK_SECONDS
after LOGIN_MAX_FAILURES failures in a row (BusyError, saying until when),
counted in the database for every process of the file (docs/security.md).

The password is passed to the library as UTF-8 bytes; Python's own copies
(the str, the bytes) cannot be wiped and go when they are collected."""
from __future__ import annotations

from typing import Any

from ._cbc import ffi, lib
from ._support import _DatabaseBase, _fetch
from ._time import from_seconds as _t
from .errors import check
from .types import AccountInfo, Employee

__all__ = ["AccountsMixin", "LOGIN_MAX_FAILURES", "LOGIN_LOCK_SECONDS"]

#: Failed sign-ins in a row that lock an account (CBC_LOGIN_MAX_FAILURES).
LOGIN_MAX_FAILURES: int = lib.CBC_LOGIN_MAX_FAILURES
#: How long a lock lasts, in seconds of the database's clock
#: (CBC_LOGIN_LOCK_SECONDS); each further failure locks again for as long.
LOGIN_LOCK_SECONDS: int = lib.CBC_LOGIN_LOCK_SECONDS


def _password(password: str) -> bytes:
    """A password as the bytes the C calls take; TypeError for a non-str."""
    if not isinstance(password, str):
        raise TypeError("password: expected str, got %s" % type(password).__name__)
    return password.encode("utf-8", "surrogatepass")


def _account(a: Any, o: int) -> AccountInfo:
    return AccountInfo(a.employee_id, bool(a.has_password), a.failures, _t(a.locked_until, o),
                       _t(a.changed_at, o))


class AccountsMixin(_DatabaseBase):
    """Sign-in accounts: set_password(), clear_password(), login(), account()."""

    def set_password(self, employee_id: int, password: str) -> None:
        """Set an employee's password (8 to 1024 bytes of UTF-8), replacing any
        other: only its argon2id hash is stored, and the failed sign-ins and a
        lock are reset.  Takes about 0.1 s and 64 MiB, on purpose.  Raises
        InvalidError (a password too short, too long or not UTF-8: a lone
        surrogate), NotFoundError (no such employee), PermissionDenied (the
        employee has left, or the database is read-only), TypeError."""
        check(lib.cbc_account_set_password(self._ptr, employee_id, _password(password)))

    def clear_password(self, employee_id: int) -> None:
        """Remove an employee's password, failed sign-ins and lock: signing in
        as them is impossible until a new password is set.  Removing no
        password is fine.  Raises NotFoundError (no such employee),
        PermissionDenied (read-only)."""
        check(lib.cbc_account_clear(self._ptr, employee_id))

    def login(self, external_id: str, password: str) -> Employee:
        """Sign an employee in by their HR external id and password; returns
        the Employee.  A success resets the failed sign-ins (and rehashes a
        password hashed with older limits).

        Raises PermissionDenied for every refusal of who signs in — a wrong
        password, an unknown external id, no password set, an employee who
        has left — with one message, and counts the failure of an account
        with a password; BusyError while the account is locked (after
        LOGIN_MAX_FAILURES failures in a row, for LOGIN_LOCK_SECONDS by the
        database's clock), the right password too, or when the database is
        busy; InvalidError for an external id or password no account can
        have (empty, too long, not UTF-8), which counts nothing;
        PermissionDenied on a read-only database, which cannot count."""
        out = ffi.new("int64_t *")
        check(lib.cbc_account_login(out, self._ptr, external_id.encode("utf-8", "surrogatepass"),
                                    _password(password)))
        return self.employee(out[0])

    def account(self, employee_id: int) -> AccountInfo:
        """An employee's sign-in account (AccountInfo): whether a password is
        set and since when, the failed sign-ins in a row, until when it is
        locked; never the hash.  Raises NotFoundError (no such employee)."""
        return _fetch("cbc_account_info **",
                      lambda out: lib.cbc_account_status(out, self._ptr, employee_id),
                      lambda a: _account(a, self.utc_offset), lib.cbc_account_info_free)
