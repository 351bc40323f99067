"""The Database: a libcbc database handle, the organisation API, sync and import.

The hazard calls are in hazards.py (HazardsMixin), the activities in
activities.py (ActivitiesMixin), the statistics in stats.py (StatsMixin), the
rewards in rewards.py (RewardsMixin), sign-in accounts in accounts.py
(AccountsMixin), the filings in filings.py (FilingsMixin), the tamper-evident
history in history.py (HistoryMixin)."""
from __future__ import annotations

import contextlib
import weakref

import datetime
import os
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

from ._cbc import ffi, lib
from ._enum import to_c
from ._support import PathLike, _Iterator, _Strings, _as, _closed, _fetch, _fspath, _items, _text
from ._time import bound, db_seconds, db_time, from_seconds as _t, to_seconds
from .errors import CbcError, CallbackAborted, check
from .accounts import AccountsMixin
from .activities import ActivitiesMixin
from .filings import FilingsMixin
from .hazards import HazardsMixin
from .history import HistoryMixin
from .rewards import RewardsMixin
from .stats import StatsMixin
from .types import Time, TimeLike
from .types import CheckFinding, CheckFlag, CheckReport, ErrorCode, FindingKind
from .types import (DbSync, Employee, EmployeeEvent, EmployeeEventKind, EmployeeRecord,
                    FileFormat, ImportProgress, Level, RecordKind, Role, SyncCounts, SyncMode,
                    SyncResult, SyncRowError, SyncWarning, Unit, UnitKind, UnitRecord)

__all__ = ["Database", "target_is_server", "version"]


def version() -> str:
    """The library's version string, e.g. "1.0.0"."""
    return _text(lib.cbc_version(ffi.NULL, ffi.NULL, ffi.NULL))


def target_is_server(path: PathLike) -> bool:
    """Whether Database(path) would reach a database on a server (a
    "postgresql://" or "postgres://" URI) rather than a file of this machine
    (or ":memory:"), as the library decides it (cbc_db_target_is_server).
    Reads nothing.  For front ends that keep files beside a database file
    (a server's database has no "beside"), or build a file aside and rename
    it into place.  path: as Database takes it (str, bytes, os.PathLike);
    anything else is a TypeError."""
    return bool(lib.cbc_db_target_is_server(_fspath(path)))


@ffi.def_extern()
def _cbc_clock(payload: Any) -> int:
    return to_seconds(ffi.from_handle(payload)(), None, "clock()")


@ffi.def_extern()
def _cbc_import_progress(progress: Any, payload: Any) -> int:
    call = ffi.from_handle(payload)
    try:
        p = ImportProgress(RecordKind(progress.record), progress.rows, progress.bytes,
                           progress.total_bytes)
        return 1 if call.fn(p) is False else 0
    except BaseException as e:  # re-raised by import_files
        call.error = e
        return 1


class _ProgressCall:
    def __init__(self, fn: Callable[[ImportProgress], Optional[bool]]) -> None:
        self.fn = fn
        self.error: Optional[BaseException] = None


def _unit(u: Any, o: int) -> Unit:
    """A Unit from a cbc_unit, its times in the UTC offset o."""
    return Unit(u.id, u.parent_id, UnitKind(u.kind), _text(u.external_id), _text(u.name),
                _text(u.industry), bool(u.high_risk), bool(u.closed), _t(u.created_at, o),
                _t(u.closed_at, o))


def _employee(e: Any, o: int) -> Employee:
    """An Employee from a cbc_employee, its times in the UTC offset o."""
    return Employee(e.id, _text(e.external_id), _text(e.name), _text(e.post), e.unit_id,
                    Role(e.roles), bool(e.active), _t(e.hire_date, o), _t(e.unit_since, o),
                    _t(e.left_at, o), _t(e.created_at, o))


def _counts(c: Any) -> SyncCounts:
    return SyncCounts(c.added, c.updated, c.moved, c.deactivated, c.unchanged)


def _result(r: Any) -> SyncResult:
    errors = [SyncRowError(RecordKind(e.record), e.row, ErrorCode(e.code), _text(e.external_id),
                           _text(e.message)) for e in _items(r.errors, r.errors_kept)]
    warnings = [SyncWarning(RecordKind(w.record), _text(w.column), _text(w.message))
                for w in _items(r.warnings, r.warnings_kept)]
    return SyncResult(_counts(r.units), _counts(r.employees), r.error_count, errors,
                      bool(r.applied), r.warning_count, warnings)


def _column_map(column_map: Union[Mapping[str, Optional[str]], Iterable[str], None],
                s: Any) -> Any:
    """A NULL-terminated char *[] of "COLUMN=FIELD" from a dict or strings."""
    if column_map is None:
        return ffi.NULL
    if isinstance(column_map, dict):
        column_map = ["%s=%s" % (k, "" if v is None else v) for k, v in column_map.items()]
    elif isinstance(column_map, str):
        raise TypeError("column_map: a dict or a list of 'COLUMN=FIELD' strings")
    return s.keep(ffi.new("char *[]", [s(m) for m in column_map] + [ffi.NULL]))


def _check_report(r: Any) -> CheckReport:
    findings = [CheckFinding(FindingKind(f.kind), f.object_id, _text(f.message))
                for f in _items(r.findings, r.count)]
    return CheckReport(findings, r.hazards_checked, r.forms_compared)


class Database(HazardsMixin, ActivitiesMixin, StatsMixin, RewardsMixin, AccountsMixin,
               FilingsMixin, HistoryMixin):
    """An open libcbc database.  Use as a context manager, or call close().

    Opening creates the file unless create is False, and migrates it to the
    current schema.  path is a str, bytes or os.PathLike (":memory:" for a
    database in memory), or a PostgreSQL URI ("postgresql://..."), whose
    existing database gets the schema when it is empty and create is True;
    anything else is a TypeError.  readonly opens it
    read-only (every write raises PermissionDenied); busy_timeout_ms is how
    long to wait for another connection's lock; utc_offset_seconds (default
    UTC+8) the offset of the calendar periods; synchronous the durability of
    each commit (DbSync).  Raises
    NotFoundError (no file or an empty PostgreSQL database, and create is
    False), CorruptError (not a libcbc database, or damaged), VersionError
    (written by a newer libcbc),
    StateError (read-only, while the file needs an upgrade), BusyError,
    IOFailure, InvalidError (bad options).

    clock, when given, is a callable returning the current time as int seconds
    since the epoch or an aware datetime (tests use it to set time).  Times
    are taken as int seconds, datetimes (naive: in utc_offset_seconds) or dates
    and returned as aware datetimes in utc_offset_seconds (README, "Time").
    defer_stats (CBC_DB_DEFER_STATS, for bulk loads) leaves the statistics'
    aggregates stale until rebuild_stats() (or rebuild_stats_step()) from
    another handle: no open rebuilds them.  The hazard calls come from
    HazardsMixin (hazards.py), the activities from ActivitiesMixin
    (activities.py), the statistics from StatsMixin (stats.py), the rewards
    from RewardsMixin (rewards.py), sign-in accounts from AccountsMixin
    (accounts.py), the filings from FilingsMixin (filings.py), the
    tamper-evident history from HistoryMixin (history.py).
    """

    def __init__(self, path: PathLike, create: bool = True, readonly: bool = False,
                 busy_timeout_ms: int = 5000, utc_offset_seconds: int = 8 * 3600,
                 synchronous: Union[DbSync, int, str] = DbSync.FULL,
                 clock: Optional[Callable[[], Union[int, datetime.datetime]]] = None,
                 defer_stats: bool = False) -> None:
        opts = ffi.new("cbc_db_options *")
        check(lib.cbc_db_options_init(opts, lib.CBC_DB_OPTIONS_VERSION))
        opts.flags = ((lib.CBC_DB_CREATE if create else 0)
                      | (lib.CBC_DB_READONLY if readonly else 0)
                      | (lib.CBC_DB_DEFER_STATS if defer_stats else 0))
        opts.busy_timeout_ms = busy_timeout_ms
        opts.utc_offset_seconds = utc_offset_seconds
        opts.synchronous = to_c(DbSync, synchronous, "synchronous")
        self._db = None
        self._iterators = weakref.WeakSet()  # closed before the handle
        self._clock_handle = ffi.new_handle(clock) if clock else None
        if clock:
            opts.clock = lib._cbc_clock
            opts.clock_payload = self._clock_handle
        out = ffi.new("cbc_db **")
        check(lib.cbc_db_open(out, _fspath(path), opts))
        self._db = ffi.gc(out[0], lib.cbc_db_close)

    # -- lifetime ---------------------------------------------------------
    @property
    def _ptr(self) -> Any:
        if self._db is None:
            raise _closed()
        self._not_in_hook()
        return self._db

    def _not_in_hook(self) -> None:
        if self._hook is not None and self._hook.running:
            raise CbcError(lib.CBC_EINVAL, "the event hook must not use its own database")
        if self._checkpoint_hook is not None and self._checkpoint_hook.running:
            raise CbcError(lib.CBC_EINVAL, "the checkpoint hook must not use its own database")

    def close(self) -> None:
        """Close the database (also done when it is garbage-collected).  Its
        live iterators are closed first; using one then raises CbcError."""
        if self._db is not None:
            self._not_in_hook()
            for it in list(self._iterators):
                it._database_closing()
            db, self._db = self._db, None
            ffi.release(db)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- database ---------------------------------------------------------
    def now(self) -> datetime.datetime:
        """The database's current time (its clock) as an aware datetime in its
        UTC offset; int(db.now().timestamp()) is the seconds."""
        return bound(lib.cbc_db_now(self._ptr), self.utc_offset)

    @property
    def utc_offset(self) -> int:
        """The UTC offset, in seconds, of the calendar periods and of the times
        returned (aware datetimes); naive datetimes and dates given are read in it."""
        offset: int = lib.cbc_db_utc_offset(self._ptr)
        return offset

    @property
    def schema_version(self) -> int:
        """The schema version of the open database (SQLite's user_version),
        which opening migrates to the library's current one."""
        out = ffi.new("int *")
        check(lib.cbc_db_schema_version(out, self._ptr))
        return int(out[0])

    def begin(self) -> None:
        """Start a group of calls: one transaction (BEGIN IMMEDIATE) until
        commit() or rollback().  transaction() does both for a with block.

        Inside a group each call still applies whole or not at all, and
        nothing is durable until commit(); groups do not nest.  A call refused
        by its checks (InvalidError, PermissionDenied, StateError,
        NotFoundError) changes nothing and the group goes on; one failing on a
        storage error after it wrote rolls the whole group back (its message
        starts with "the transaction group was rolled back"; later writes and
        commit() raise StateError until rollback() ends the group).

        Raises StateError (a group is already open), PermissionDenied
        (read-only), BusyError, IOFailure."""
        check(lib.cbc_db_begin(self._ptr))

    def commit(self) -> None:
        """Commit the group begin() opened.

        Raises StateError when no group is open or a failed call rolled it
        back (nothing was committed; the group is ended); BusyError when the
        group stays open (retry, or rollback()); IOFailure or OutOfMemoryError
        when SQLite rolled the group back (the message says so; in_group is
        then False).  An IOFailure after the commit's changes reached the
        write-ahead log means "not known to be committed", not "lost": see
        cbc/db.h and docs/integration.md, "Retrying safely"."""
        check(lib.cbc_db_commit(self._ptr))

    def rollback(self) -> None:
        """Roll back the group begin() opened: every call in it is undone and
        the queued hook events dropped.  Also ends a group a failed call
        rolled back.  The group is ended even when this raises.

        Raises StateError (no group open), IOFailure."""
        check(lib.cbc_db_rollback(self._ptr))

    @property
    def in_group(self) -> bool:
        """Whether a begin() group is open (a failed commit may have ended it)."""
        return bool(lib.cbc_db_in_group(self._ptr))

    def _end_group_quietly(self) -> None:
        if self.in_group:
            lib.cbc_db_rollback(self._ptr)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """Group calls: committed at the end of the block, rolled back on an
        exception.  If the commit fails, the group is rolled back (when SQLite
        had not already done so) and the commit's error is raised: nothing of
        the block was committed, unless CBC_EIO came after the commit's fsync
        (see cbc/db.h)."""
        self.begin()
        try:
            yield self
        except BaseException:
            self._end_group_quietly()
            raise
        try:
            self.commit()
        except BaseException:
            self._end_group_quietly()
            raise

    # -- units ------------------------------------------------------------
    def _upsert(self, record_type: Any, ctype: Any, fill: Any, upsert: Any, record: Any,
                fields: Any) -> int:
        rec = _as(record_type, record if record is not None else fields)
        s = _Strings()
        c = ffi.new(ctype)
        fill(c, rec, s, self.utc_offset)
        out = ffi.new("int64_t *")
        check(upsert(out, self._ptr, c))
        return int(out[0])

    def unit_upsert(self, record: Union[UnitRecord, Dict[str, Any], None] = None,
                    **fields: Any) -> int:
        """Create or update a unit (a UnitRecord or its fields); returns its id."""
        return self._upsert(UnitRecord, "cbc_unit_record *", self._fill_unit, lib.cbc_unit_upsert,
                            record, fields)

    def unit(self, unit_id: int) -> Unit:
        """Look a unit up by its id; returns a Unit.  Raises NotFoundError."""
        return _fetch("cbc_unit **", lambda out: lib.cbc_unit_lookup(out, self._ptr, unit_id),
                      lambda u: _unit(u, self.utc_offset), lib.cbc_unit_free)

    def unit_by_external(self, external_id: str) -> Unit:
        """Look a unit up by its external id (the HR system's); returns a
        Unit.  Raises NotFoundError."""
        key = external_id.encode("utf-8")
        return _fetch("cbc_unit **", lambda out: lib.cbc_unit_lookup_external(out, self._ptr, key),
                      lambda u: _unit(u, self.utc_offset), lib.cbc_unit_free)

    def rename_unit(self, unit_id: int, name: str) -> None:
        """Rename a unit.  Raises InvalidError (a bad name), NotFoundError,
        PermissionDenied (read-only), BusyError, IOFailure."""
        check(lib.cbc_unit_rename(self._ptr, unit_id, name.encode("utf-8")))

    def move_unit(self, unit_id: int, new_parent_id: int) -> None:
        """Move a unit, with its subtree, under new_parent_id (0: make it a
        root).  Raises NotFoundError; StateError for a cycle, a parent of the
        wrong kind or a closed parent; InvalidError, PermissionDenied,
        BusyError, IOFailure."""
        check(lib.cbc_unit_move(self._ptr, unit_id, new_parent_id))

    def close_unit(self, unit_id: int) -> None:
        """Close a unit at the database's current time; the unit and its
        history stay.  Raises NotFoundError; StateError when it is already
        closed or still has open child units or active employees;
        PermissionDenied, BusyError, IOFailure."""
        check(lib.cbc_unit_close(self._ptr, unit_id))

    def children(self, parent_id: int = 0) -> _Iterator[Unit]:
        """Iterate the units directly under parent_id (0: the roots)."""
        return self._units(lambda out: lib.cbc_unit_iter_children(out, self._ptr, parent_id))

    def subtree(self, root_id: int) -> _Iterator[Unit]:
        """Iterate a unit and everything below it, parents first."""
        return self._units(lambda out: lib.cbc_unit_iter_subtree(out, self._ptr, root_id))

    def _units(self, new: Any) -> _Iterator[Unit]:
        o = self.utc_offset  # the offset now, for every row
        return _Iterator(self, "cbc_unit_iter", new, "cbc_unit", lib.cbc_unit_iter_next,
                         lib.cbc_unit_iter_free, lambda u: _unit(u, o))

    # -- employees --------------------------------------------------------
    def employee_upsert(self, record: Union[EmployeeRecord, Dict[str, Any], None] = None,
                        **fields: Any) -> int:
        """Create or update an employee (an EmployeeRecord or its fields); returns the id."""
        return self._upsert(EmployeeRecord, "cbc_employee_record *", self._fill_employee,
                            lib.cbc_employee_upsert, record, fields)

    def employee(self, employee_id: int) -> Employee:
        """Look an employee up by id; returns an Employee (also one who
        left: .active is False).  Raises NotFoundError."""
        return _fetch("cbc_employee **",
                      lambda out: lib.cbc_employee_lookup(out, self._ptr, employee_id),
                      lambda e: _employee(e, self.utc_offset), lib.cbc_employee_free)

    def employee_by_external(self, external_id: str) -> Employee:
        """Look an employee up by external id (the HR system's); returns an
        Employee.  Raises NotFoundError."""
        key = external_id.encode("utf-8")
        return _fetch("cbc_employee **",
                      lambda out: lib.cbc_employee_lookup_external(out, self._ptr, key),
                      lambda e: _employee(e, self.utc_offset), lib.cbc_employee_free)

    def transfer(self, employee_id: int, unit_id: int, at: TimeLike = 0) -> None:
        """Transfer (转岗) an active employee to another unit (a team or a
        region node) at time at (0 or None: now); re-training depends on
        the recorded date.  Raises InvalidError (the same unit, a unit that
        may not hold them, a time before the epoch), NotFoundError,
        StateError (an inactive employee, a closed unit), PermissionDenied,
        BusyError, IOFailure."""
        at = db_seconds(self, at, "at")
        check(lib.cbc_employee_transfer(self._ptr, employee_id, unit_id, at))

    def deactivate(self, employee_id: int, at: TimeLike = 0) -> None:
        """Record that an employee left, at time at (0 or None: now); nothing
        is deleted.  Raises NotFoundError, StateError (already inactive),
        InvalidError, PermissionDenied, BusyError, IOFailure."""
        at = db_seconds(self, at, "at")
        check(lib.cbc_employee_deactivate(self._ptr, employee_id, at))

    def employees(self, unit_id: int, include_inactive: bool = False,
                  after: Optional[Tuple[int, int]] = None) -> _Iterator[Employee]:
        """Iterate the employees of a unit's subtree, grouped by unit in tree
        order and by id within a unit.  after=(unit_id, employee_id), the
        last row of the previous page (e.g. (e.unit_id, e.id)), starts after
        it: a keyset cursor whose cost does not grow with the page number.
        Raises NotFoundError (unknown unit) and InvalidError (a cursor unit
        outside the subtree, a negative id)."""
        flags = lib.CBC_EMPLOYEE_ITER_INACTIVE if include_inactive else 0
        after_unit, after_id = after if after is not None else (0, 0)
        o = self.utc_offset  # the offset now, for every row
        return _Iterator(self, "cbc_employee_iter",
                         lambda out: lib.cbc_employee_iter_subtree_after(
                             out, self._ptr, unit_id, flags, after_unit, after_id),
                         "cbc_employee", lib.cbc_employee_iter_next, lib.cbc_employee_iter_free,
                         lambda e: _employee(e, o))

    def employee_history(self, employee_id: int) -> List[EmployeeEvent]:
        """An employee's history (joined, transfers, leaving, returns) as a
        list of EmployeeEvent in the order it was recorded, each with its
        effective time.  Raises NotFoundError."""
        out = ffi.new("cbc_employee_event **")
        count = ffi.new("size_t *")
        check(lib.cbc_employee_history(out, count, self._ptr, employee_id))
        try:
            return [EmployeeEvent(e.employee_id, EmployeeEventKind(e.kind),
                                  db_time(self, e.at), e.from_unit, e.to_unit)
                    for e in _items(out[0], count[0])]
        finally:
            lib.cbc_free(out[0])

    def responsible(self, unit_id: int, level: Union[Level, int, str]) -> int:
        """The id of who is responsible for unit_id at level (Level.TEAM, ...)."""
        out = ffi.new("int64_t *")
        check(lib.cbc_org_responsible(out, self._ptr, unit_id, to_c(Level, level, "level")))
        return int(out[0])

    def read_scope(self, employee_id: int) -> int:
        """The id of the unit whose subtree employee_id may read
        (docs/authorization.md, "Who may read"): their enterprise, or for
        someone sitting in a region node (cadres, inspectors, experts) that
        node.  They also read what they reported (hazard_readable()).
        PermissionDenied for an employee who left (they read nothing),
        NotFoundError for an unknown one, InvalidError for an id below 1."""
        out = ffi.new("int64_t *")
        check(lib.cbc_employee_read_scope(out, self._ptr, employee_id))
        return int(out[0])

    def unit_readable(self, unit_id: int, employee_id: int) -> bool:
        """Whether unit_id lies inside what employee_id may read (its forms,
        activities and organisation pages); False for an employee who left.
        NotFoundError for an unknown unit or employee."""
        out = ffi.new("int *")
        check(lib.cbc_unit_readable(out, self._ptr, unit_id, employee_id))
        return bool(out[0])

    # -- synchronisation --------------------------------------------------
    @staticmethod
    def _fill_unit(c: Any, rec: UnitRecord, s: _Strings, offset: int) -> None:
        c.version = lib.CBC_UNIT_RECORD_VERSION
        c.external_id = s(rec.external_id)
        c.parent_external_id = s(rec.parent_external_id)
        c.kind = to_c(UnitKind, rec.kind, "kind")
        c.name = s(rec.name)
        c.industry = s(rec.industry)
        c.high_risk = 1 if rec.high_risk else 0

    @staticmethod
    def _fill_employee(c: Any, rec: EmployeeRecord, s: _Strings, offset: int) -> None:
        c.version = lib.CBC_EMPLOYEE_RECORD_VERSION
        c.external_id = s(rec.external_id)
        c.name = s(rec.name)
        c.post = s(rec.post)
        c.unit_external_id = s(rec.unit_external_id)
        c.roles = to_c(Role, rec.roles, "roles")
        c.active = 1 if rec.active else 0
        c.hire_date = to_seconds(rec.hire_date, offset, "hire_date")

    def _sync_options(self, mode: Union[SyncMode, int, str], strict: bool, max_errors: int,
                      effective_at: TimeLike, request_key: Optional[str], s: _Strings) -> Any:
        o = ffi.new("cbc_sync_options *")
        check(lib.cbc_sync_options_init(o, lib.CBC_SYNC_OPTIONS_VERSION))
        o.mode = to_c(SyncMode, mode, "mode")
        o.flags = lib.CBC_SYNC_STRICT if strict else 0
        o.max_errors = max_errors
        o.effective_at = db_seconds(self, effective_at, "effective_at")
        o.request_key = s(request_key)
        return o

    @staticmethod
    def _take_result(out: Any, rc: int) -> SyncResult:
        result = _result(out[0]) if out[0] != ffi.NULL else None
        lib.cbc_sync_result_free(out[0])
        if rc != 0:
            try:
                check(rc)
            except CbcError as e:
                e.result = result
                raise
        assert result is not None  # the library sets it when it succeeds
        return result

    def sync(self, units: Iterable[Union[UnitRecord, Dict[str, Any]]] = (),
             employees: Iterable[Union[EmployeeRecord, Dict[str, Any]]] = (),
             mode: Union[SyncMode, int, str] = SyncMode.INCREMENTAL, strict: bool = False,
             max_errors: int = 1000, effective_at: TimeLike = 0,
             request_key: Optional[str] = None) -> SyncResult:
        """Synchronise units and employees (UnitRecord / EmployeeRecord or dicts).

        Returns a SyncResult.  In strict mode a row error raises, with the
        result attached as the exception's .result.  request_key makes a
        retry safe (docs/integration.md, "Retrying safely"): a retry with the
        same key and arguments returns the first call's counts (without its
        row errors) and writes nothing; other arguments raise ConflictError.
        """
        unit_records = [_as(UnitRecord, u) for u in units]
        employee_records = [_as(EmployeeRecord, e) for e in employees]
        s = _Strings()
        cu = ffi.new("cbc_unit_record[]", max(len(unit_records), 1))
        ce = ffi.new("cbc_employee_record[]", max(len(employee_records), 1))
        for i, u in enumerate(unit_records):
            self._fill_unit(cu[i], u, s, self.utc_offset)
        for i, e in enumerate(employee_records):
            self._fill_employee(ce[i], e, s, self.utc_offset)
        out = ffi.new("cbc_sync_result **")
        rc = lib.cbc_org_sync(out, self._ptr, cu, len(unit_records), ce, len(employee_records),
                              self._sync_options(mode, strict, max_errors, effective_at,
                                                 request_key, s))
        return self._take_result(out, rc)

    def check(self, flags: Union[CheckFlag, int, str] = CheckFlag.ALL) -> CheckReport:
        """Check the database, reading only (cbc_db_check): SQLite's integrity
        check, every hazard's history replayed to its row, the statistics'
        aggregates against the records.  Returns a CheckReport; findings do
        not raise (report.ok is False); rebuild_stats() repairs aggregates."""
        flags = to_c(CheckFlag, flags, "flags")
        return _fetch("cbc_check_report **", lambda out: lib.cbc_db_check(out, self._ptr, flags),
                      _check_report, lib.cbc_check_report_free)

    def import_files(self, units_path: Optional[PathLike] = None,
                     employees_path: Optional[PathLike] = None,
                     format: Union[FileFormat, int, str] = FileFormat.AUTO,
                     mode: Union[SyncMode, int, str] = SyncMode.INCREMENTAL, strict: bool = False,
                     max_errors: int = 1000, effective_at: TimeLike = 0,
                     progress: Optional[Callable[[ImportProgress], Optional[bool]]] = None,
                     encoding: Optional[str] = None,
                     column_map: Union[Mapping[str, Optional[str]], Iterable[str], None] = None,
                     request_key: Optional[str] = None) -> SyncResult:
        """Import HR export files (CSV, TSV or JSON); returns a SyncResult.

        encoding: None or "auto" (UTF-8, else GB18030, detected per file), or
        a name iconv knows ("utf-8", "gbk", "gb18030", ...).  column_map: the
        field each column holds, as {"COLUMN": "FIELD"} or ["COLUMN=FIELD"];
        FIELD "" or None ignores the column.  Columns that are no field are
        ignored with a warning (result.warnings); strict refuses them.  A file
        whose every row is rejected raises InvalidError, with the result (and
        its row errors) as the exception's .result.

        progress, when given, is called with an ImportProgress; returning
        False or raising aborts the import and changes nothing (the exception
        is re-raised).  request_key: as sync() (the files' bytes, format,
        encoding and column map are the arguments compared).
        """
        format = to_c(FileFormat, format, "format")
        call = _ProgressCall(progress) if progress else None
        handle = ffi.new_handle(call) if call else ffi.NULL
        out = ffi.new("cbc_sync_result **")
        s = _Strings()
        o = self._sync_options(mode, strict, max_errors, effective_at, request_key, s)
        o.encoding = s(encoding)
        o.column_map = _column_map(column_map, s)
        paths = [ffi.NULL if p is None else s.keep(ffi.new("char[]", _fspath(p, name)))
                 for p, name in ((units_path, "units_path"), (employees_path, "employees_path"))]
        rc = lib.cbc_org_import(out, self._ptr, paths[0], paths[1],
                                format, o,
                                lib._cbc_import_progress if call else ffi.NULL, handle)
        if call and call.error is not None:
            lib.cbc_sync_result_free(out[0])
            raise call.error
        if rc > 0:
            lib.cbc_sync_result_free(out[0])
            raise CallbackAborted(rc, "the import was aborted by the progress callback")
        return self._take_result(out, rc)

