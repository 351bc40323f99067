"""The Database: a libcbc database handle and the organisation API."""
import contextlib
import json

from ._cbc import ffi, lib
from .errors import CbcError, CallbackAborted, check
from .types import (Attachment, AttachmentStage, CheckItem, Hazard, HazardAction,
                    HazardCategory, HazardEvent, HazardKind, HazardSource, HazardState,
                    Severity, StoredAttachment, DbSync, Employee, EmployeeEvent, EmployeeEventKind, FileFormat,
                    ImportProgress, RecordKind, Role, SyncCounts, SyncMode, SyncResult,
                    SyncRowError, Unit, UnitKind, UnitRecord, EmployeeRecord, Level)

__all__ = ["Database", "version", "hazard_transition", "hazard_fsm_dot"]


def _text(s):
    return ffi.string(s).decode("utf-8") if s != ffi.NULL else ""


def version():
    """The library's version string, e.g. "1.0.0"."""
    return _text(lib.cbc_version(ffi.NULL, ffi.NULL, ffi.NULL))


def hazard_transition(state, action):
    """The state `action` leads to from `state` (None: not yet reported).

    Raises StateError when the move is not allowed in that state."""
    from .types import HazardState
    out = ffi.new("cbc_hazard_state *")
    check(lib.cbc_hazard_transition(out, int(state or 0), int(action)))
    return HazardState(out[0])


def hazard_fsm_dot():
    """The hazard state machine as Graphviz DOT text."""
    out = ffi.new("char **")
    check(lib.cbc_hazard_fsm_dot(out))
    try:
        return _text(out[0])
    finally:
        lib.cbc_free(out[0])


class _Strings:
    """Keeps the C copies of Python strings alive for one call."""

    def __init__(self):
        self._keep = []

    def __call__(self, s):
        if s is None:
            return ffi.NULL
        if not isinstance(s, str):
            raise TypeError("expected str, got %s" % type(s).__name__)
        c = ffi.new("char[]", s.encode("utf-8"))
        self._keep.append(c)
        return c


@ffi.def_extern()
def _cbc_clock(payload):
    return int(ffi.from_handle(payload)._clock())


@ffi.def_extern()
def _cbc_import_progress(progress, payload):
    call = ffi.from_handle(payload)
    try:
        p = ImportProgress(RecordKind(progress.record), progress.rows, progress.bytes,
                           progress.total_bytes)
        return 1 if call.fn(p) is False else 0
    except BaseException as e:  # re-raised by import_files
        call.error = e
        return 1


class _ProgressCall:
    def __init__(self, fn):
        self.fn = fn
        self.error = None


def _unit(u):
    return Unit(u.id, u.parent_id, UnitKind(u.kind), _text(u.external_id), _text(u.name),
                _text(u.industry), bool(u.high_risk), bool(u.closed), u.created_at, u.closed_at)


def _employee(e):
    return Employee(e.id, _text(e.external_id), _text(e.name), _text(e.post), e.unit_id,
                    Role(e.roles), bool(e.active), e.hire_date, e.unit_since, e.left_at,
                    e.created_at)


def _hazard(h):
    atts = [StoredAttachment(_text(a.uri), _text(a.media_type), a.size, _text(a.sha256),
                             AttachmentStage(a.stage), a.added_at, a.added_by)
            for a in h.attachments[0:h.n_attachments]]
    return Hazard(h.id, HazardState(h.state), h.reporter_id, h.unit_id, h.enterprise_id,
                  _text(h.title), _text(h.description), _text(h.location), HazardKind(h.kind),
                  HazardCategory(h.category), CheckItem(h.check_item), HazardSource(h.source),
                  h.observed_at, h.reported_at, Severity(h.proposed_severity), h.severity,
                  h.level, h.responsible_id, h.deadline, h.reopen_count, h.closed_at,
                  h.updated_at, atts)


def _counts(c):
    return SyncCounts(c.added, c.updated, c.moved, c.deactivated, c.unchanged)


def _result(r):
    errors = [SyncRowError(RecordKind(e.record), e.row, e.code, _text(e.external_id),
                           _text(e.message)) for e in r.errors[0:r.errors_kept]]
    return SyncResult(_counts(r.units), _counts(r.employees), r.error_count, errors,
                      bool(r.applied))


def _fetch(out_type, call, convert, free):
    """Call a libcbc lookup that fills `T **out`, convert the result, free it."""
    out = ffi.new(out_type)
    check(call(out))
    try:
        return convert(out[0])
    finally:
        free(out[0])


def _as(record_type, value):
    return value if isinstance(value, record_type) else record_type(**value)


class Database:
    """An open libcbc database.  Use as a context manager, or call close().

    Database(path, create=True, readonly=False, busy_timeout_ms=5000,
             utc_offset_seconds=28800, synchronous=DbSync.FULL, clock=None)

    clock, when given, is a callable returning the current time in seconds
    since the epoch (tests use it to set time).
    """

    def __init__(self, path, create=True, readonly=False, busy_timeout_ms=5000,
                 utc_offset_seconds=8 * 3600, synchronous=DbSync.FULL, clock=None):
        opts = ffi.new("cbc_db_options *")
        check(lib.cbc_db_options_init(opts, lib.CBC_DB_OPTIONS_VERSION))
        opts.flags = (lib.CBC_DB_CREATE if create else 0) | (lib.CBC_DB_READONLY if readonly else 0)
        opts.busy_timeout_ms = busy_timeout_ms
        opts.utc_offset_seconds = utc_offset_seconds
        opts.synchronous = int(synchronous)
        self._clock = clock
        self._handle = ffi.new_handle(self) if clock else None
        if clock:
            opts.clock = lib._cbc_clock
            opts.clock_payload = self._handle
        out = ffi.new("cbc_db **")
        check(lib.cbc_db_open(out, path.encode("utf-8"), opts))
        self._db = ffi.gc(out[0], lib.cbc_db_close)

    # -- lifetime ---------------------------------------------------------
    @property
    def _ptr(self):
        if self._db is None:
            raise CbcError(lib.CBC_EINVAL, "the database is closed")
        return self._db

    def close(self):
        """Close the database (also done when it is garbage-collected)."""
        if self._db is not None:
            db, self._db = self._db, None
            ffi.release(db)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- database ---------------------------------------------------------
    def now(self):
        return lib.cbc_db_now(self._ptr)

    @property
    def utc_offset(self):
        return lib.cbc_db_utc_offset(self._ptr)

    @property
    def schema_version(self):
        out = ffi.new("int *")
        check(lib.cbc_db_schema_version(out, self._ptr))
        return out[0]

    def begin(self):
        check(lib.cbc_db_begin(self._ptr))

    def commit(self):
        check(lib.cbc_db_commit(self._ptr))

    def rollback(self):
        check(lib.cbc_db_rollback(self._ptr))

    @contextlib.contextmanager
    def transaction(self):
        """Group calls: committed at the end of the block, rolled back on an exception."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    # -- units ------------------------------------------------------------
    def _upsert(self, record_type, ctype, fill, upsert, record, fields):
        rec = _as(record_type, record if record is not None else fields)
        s = _Strings()
        c = ffi.new(ctype)
        fill(c, rec, s)
        out = ffi.new("int64_t *")
        check(upsert(out, self._ptr, c))
        return out[0]

    def unit_upsert(self, record=None, **fields):
        """Create or update a unit (a UnitRecord or its fields); returns its id."""
        return self._upsert(UnitRecord, "cbc_unit_record *", self._fill_unit, lib.cbc_unit_upsert,
                            record, fields)

    def unit(self, unit_id):
        return _fetch("cbc_unit **", lambda out: lib.cbc_unit_lookup(out, self._ptr, unit_id),
                      _unit, lib.cbc_unit_free)

    def unit_by_external(self, external_id):
        key = external_id.encode("utf-8")
        return _fetch("cbc_unit **", lambda out: lib.cbc_unit_lookup_external(out, self._ptr, key),
                      _unit, lib.cbc_unit_free)

    def rename_unit(self, unit_id, name):
        check(lib.cbc_unit_rename(self._ptr, unit_id, name.encode("utf-8")))

    def move_unit(self, unit_id, new_parent_id):
        check(lib.cbc_unit_move(self._ptr, unit_id, new_parent_id))

    def close_unit(self, unit_id):
        check(lib.cbc_unit_close(self._ptr, unit_id))

    def children(self, parent_id=0):
        """Iterate the units directly under parent_id (0: the roots)."""
        out = ffi.new("cbc_unit_iter **")
        check(lib.cbc_unit_iter_children(out, self._ptr, parent_id))
        return _Iterator(self, ffi.gc(out[0], lib.cbc_unit_iter_free), "const cbc_unit **",
                         lib.cbc_unit_iter_next, lib.cbc_unit_iter_free, _unit)

    def subtree(self, root_id):
        """Iterate a unit and everything below it, parents first."""
        out = ffi.new("cbc_unit_iter **")
        check(lib.cbc_unit_iter_subtree(out, self._ptr, root_id))
        return _Iterator(self, ffi.gc(out[0], lib.cbc_unit_iter_free), "const cbc_unit **",
                         lib.cbc_unit_iter_next, lib.cbc_unit_iter_free, _unit)

    # -- employees --------------------------------------------------------
    def employee_upsert(self, record=None, **fields):
        """Create or update an employee (an EmployeeRecord or its fields); returns the id."""
        return self._upsert(EmployeeRecord, "cbc_employee_record *", self._fill_employee,
                            lib.cbc_employee_upsert, record, fields)

    def employee(self, employee_id):
        return _fetch("cbc_employee **",
                      lambda out: lib.cbc_employee_lookup(out, self._ptr, employee_id),
                      _employee, lib.cbc_employee_free)

    def employee_by_external(self, external_id):
        key = external_id.encode("utf-8")
        return _fetch("cbc_employee **",
                      lambda out: lib.cbc_employee_lookup_external(out, self._ptr, key),
                      _employee, lib.cbc_employee_free)

    def transfer(self, employee_id, unit_id, at=0):
        check(lib.cbc_employee_transfer(self._ptr, employee_id, unit_id, at))

    def deactivate(self, employee_id, at=0):
        check(lib.cbc_employee_deactivate(self._ptr, employee_id, at))

    def employees(self, unit_id, include_inactive=False):
        """Iterate the employees of a unit's subtree."""
        out = ffi.new("cbc_employee_iter **")
        flags = lib.CBC_EMPLOYEE_ITER_INACTIVE if include_inactive else 0
        check(lib.cbc_employee_iter_subtree(out, self._ptr, unit_id, flags))
        return _Iterator(self, ffi.gc(out[0], lib.cbc_employee_iter_free),
                         "const cbc_employee **", lib.cbc_employee_iter_next,
                         lib.cbc_employee_iter_free, _employee)

    def employee_history(self, employee_id):
        out = ffi.new("cbc_employee_event **")
        count = ffi.new("size_t *")
        check(lib.cbc_employee_history(out, count, self._ptr, employee_id))
        try:
            return [EmployeeEvent(e.employee_id, EmployeeEventKind(e.kind), e.at, e.from_unit,
                                  e.to_unit) for e in out[0][0:count[0]]]
        finally:
            lib.cbc_free(out[0])

    def responsible(self, unit_id, level):
        """The id of who is responsible for unit_id at level (Level.TEAM, ...)."""
        out = ffi.new("int64_t *")
        check(lib.cbc_org_responsible(out, self._ptr, unit_id, int(Level(level))))
        return out[0]

    # -- hazards ----------------------------------------------------------
    def report(self, unit_id, title, kind, category, check_item, source, proposed_severity,
               reporter_id=0, description=None, location=None, observed_at=0,
               attachments=()):
        """Report a hazard.  Returns (hazard_id, follow_up_key); the key is set
        only for an anonymous (reporter_id 0) hotline tip-off."""
        s = _Strings()
        r = ffi.new("cbc_hazard_record *")
        r.version = lib.CBC_HAZARD_RECORD_VERSION
        r.reporter_id, r.unit_id, r.observed_at = reporter_id, unit_id, observed_at
        r.title, r.description, r.location = s(title), s(description), s(location)
        r.kind, r.category, r.check_item = int(kind), int(category), int(check_item)
        r.source, r.proposed_severity = int(source), int(proposed_severity)
        atts = [a if isinstance(a, Attachment) else Attachment(**a) for a in attachments]
        carray = ffi.new("cbc_attachment[]", max(len(atts), 1))
        for i, a in enumerate(atts):
            carray[i].version = lib.CBC_ATTACHMENT_VERSION
            carray[i].uri, carray[i].media_type = s(a.uri), s(a.media_type)
            carray[i].size, carray[i].sha256 = a.size, s(a.sha256)
        r.attachments, r.n_attachments = carray, len(atts)
        out_id = ffi.new("int64_t *")
        out_key = ffi.new("char **")
        check(lib.cbc_hazard_report(out_id, out_key, self._ptr, r))
        key = None
        if out_key[0] != ffi.NULL:
            key = _text(out_key[0])
            lib.cbc_free(out_key[0])
        return out_id[0], key

    def _attachments(self, attachments, s):
        atts = [a if isinstance(a, Attachment) else Attachment(**a) for a in attachments]
        carray = ffi.new("cbc_attachment[]", max(len(atts), 1))
        for i, a in enumerate(atts):
            carray[i].version = lib.CBC_ATTACHMENT_VERSION
            carray[i].uri, carray[i].media_type = s(a.uri), s(a.media_type)
            carray[i].size, carray[i].sha256 = a.size, s(a.sha256)
        return carray, len(atts)

    @staticmethod
    def _plan(plan, s):
        p = ffi.new("cbc_rectification_plan *")
        p.goals, p.methods = s(plan["goals"]), s(plan["methods"])
        p.funds_materials = s(plan["funds_materials"])
        p.responsible_bodies = s(plan["responsible_bodies"])
        p.time_limit = plan["time_limit"]
        p.safety_measures = s(plan["safety_measures"])
        return p

    def reject(self, hazard_id, actor_id, reason=None, duplicate_of=0):
        s = _Strings()
        check(lib.cbc_hazard_reject(self._ptr, hazard_id, actor_id, s(reason), duplicate_of))

    def register(self, hazard_id, actor_id, severity, level, measures, deadline,
                 contingency_plan, funds_fen=0, responsible_id=0, plan=None):
        """Confirm into the ledger with the five items; plan is a dict of
        goals, methods, funds_materials, responsible_bodies, time_limit,
        safety_measures (required for a major hazard)."""
        s = _Strings()
        r = ffi.new("cbc_hazard_registration *")
        r.version = lib.CBC_HAZARD_REGISTRATION_VERSION
        r.severity, r.level = int(severity), int(level)
        r.responsible_id, r.funds_fen, r.deadline = responsible_id, funds_fen, deadline
        r.measures, r.contingency_plan = s(measures), s(contingency_plan)
        keep = self._plan(plan, s) if plan else ffi.NULL
        r.plan = keep
        check(lib.cbc_hazard_register(self._ptr, hazard_id, actor_id, r))

    def start(self, hazard_id, actor_id):
        check(lib.cbc_hazard_start(self._ptr, hazard_id, actor_id))

    def escalate(self, hazard_id, actor_id, reason, responsible_id=0):
        s = _Strings()
        check(lib.cbc_hazard_escalate(self._ptr, hazard_id, actor_id, s(reason), responsible_id))

    def list_supervision(self, hazard_id, actor_id, authority, document, listed_at=0):
        s = _Strings()
        check(lib.cbc_hazard_list_supervision(self._ptr, hazard_id, actor_id, s(authority),
                                              s(document), listed_at))

    def request_extension(self, hazard_id, actor_id, new_deadline, reason):
        s = _Strings()
        check(lib.cbc_hazard_request_extension(self._ptr, hazard_id, actor_id, new_deadline,
                                               s(reason)))

    def decide_extension(self, hazard_id, actor_id, approve, reason=None):
        s = _Strings()
        check(lib.cbc_hazard_decide_extension(self._ptr, hazard_id, actor_id,
                                              1 if approve else 0, s(reason)))

    def file_plan(self, hazard_id, actor_id, plan):
        s = _Strings()
        check(lib.cbc_hazard_file_plan(self._ptr, hazard_id, actor_id, self._plan(plan, s)))

    def submit(self, hazard_id, actor_id, note, evidence=()):
        s = _Strings()
        atts, n = self._attachments(evidence, s)
        check(lib.cbc_hazard_submit(self._ptr, hazard_id, actor_id, s(note), atts, n))

    def verify(self, hazard_id, actor_id, passed, note=None, evidence=()):
        s = _Strings()
        atts, n = self._attachments(evidence, s)
        check(lib.cbc_hazard_verify(self._ptr, hazard_id, actor_id, 1 if passed else 0, s(note),
                                    atts, n))

    def reopen(self, hazard_id, actor_id, reason):
        s = _Strings()
        check(lib.cbc_hazard_reopen(self._ptr, hazard_id, actor_id, s(reason)))

    def hazard(self, hazard_id):
        """One hazard with its attachments."""
        return _fetch("cbc_hazard **", lambda out: lib.cbc_hazard_lookup(out, self._ptr, hazard_id),
                      _hazard, lib.cbc_hazard_free)

    def hazard_history(self, hazard_id):
        """A hazard's moves, oldest first (HazardEvent, data as a dict)."""
        out = ffi.new("cbc_hazard_event **")
        count = ffi.new("size_t *")
        check(lib.cbc_hazard_history(out, count, self._ptr, hazard_id))
        try:
            return [HazardEvent(e.id, e.hazard_id, e.at, e.actor_id, HazardAction(e.action),
                                e.from_state, HazardState(e.to_state), e.level,
                                json.loads(_text(e.data))) for e in out[0][0:count[0]]]
        finally:
            lib.cbc_hazard_events_free(out[0], count[0])

    # -- synchronisation --------------------------------------------------
    @staticmethod
    def _fill_unit(c, rec, s):
        c.version = lib.CBC_UNIT_RECORD_VERSION
        c.external_id = s(rec.external_id)
        c.parent_external_id = s(rec.parent_external_id)
        c.kind = int(rec.kind)
        c.name = s(rec.name)
        c.industry = s(rec.industry)
        c.high_risk = 1 if rec.high_risk else 0

    @staticmethod
    def _fill_employee(c, rec, s):
        c.version = lib.CBC_EMPLOYEE_RECORD_VERSION
        c.external_id = s(rec.external_id)
        c.name = s(rec.name)
        c.post = s(rec.post)
        c.unit_external_id = s(rec.unit_external_id)
        c.roles = int(rec.roles)
        c.active = 1 if rec.active else 0
        c.hire_date = rec.hire_date

    @staticmethod
    def _sync_options(mode, strict, max_errors, effective_at):
        o = ffi.new("cbc_sync_options *")
        check(lib.cbc_sync_options_init(o, lib.CBC_SYNC_OPTIONS_VERSION))
        o.mode = int(SyncMode(mode))
        o.flags = lib.CBC_SYNC_STRICT if strict else 0
        o.max_errors = max_errors
        o.effective_at = effective_at
        return o

    @staticmethod
    def _take_result(out, rc):
        result = _result(out[0]) if out[0] != ffi.NULL else None
        lib.cbc_sync_result_free(out[0])
        if rc != 0:
            try:
                check(rc)
            except CbcError as e:
                e.result = result
                raise
        return result

    def sync(self, units=(), employees=(), mode=SyncMode.INCREMENTAL, strict=False,
             max_errors=1000, effective_at=0):
        """Synchronise units and employees (UnitRecord / EmployeeRecord or dicts).

        Returns a SyncResult.  In strict mode a row error raises, with the
        result attached as the exception's .result.
        """
        units = [_as(UnitRecord, u) for u in units]
        employees = [_as(EmployeeRecord, e) for e in employees]
        s = _Strings()
        cu = ffi.new("cbc_unit_record[]", max(len(units), 1))
        ce = ffi.new("cbc_employee_record[]", max(len(employees), 1))
        for i, u in enumerate(units):
            self._fill_unit(cu[i], u, s)
        for i, e in enumerate(employees):
            self._fill_employee(ce[i], e, s)
        out = ffi.new("cbc_sync_result **")
        rc = lib.cbc_org_sync(out, self._ptr, cu, len(units), ce, len(employees),
                              self._sync_options(mode, strict, max_errors, effective_at))
        return self._take_result(out, rc)

    def import_files(self, units_path=None, employees_path=None, format=FileFormat.AUTO,
                     mode=SyncMode.INCREMENTAL, strict=False, max_errors=1000,
                     effective_at=0, progress=None):
        """Import HR export files (CSV or JSON); returns a SyncResult.

        progress, when given, is called with an ImportProgress; returning
        False or raising aborts the import and changes nothing (the exception
        is re-raised).
        """
        call = _ProgressCall(progress) if progress else None
        handle = ffi.new_handle(call) if call else ffi.NULL
        out = ffi.new("cbc_sync_result **")
        s = _Strings()
        rc = lib.cbc_org_import(out, self._ptr, s(units_path and str(units_path)),
                                s(employees_path and str(employees_path)), int(format),
                                self._sync_options(mode, strict, max_errors, effective_at),
                                lib._cbc_import_progress if call else ffi.NULL, handle)
        if call and call.error is not None:
            lib.cbc_sync_result_free(out[0])
            raise call.error
        if rc > 0:
            lib.cbc_sync_result_free(out[0])
            raise CallbackAborted(rc, "the import was aborted by the progress callback")
        return self._take_result(out, rc)


class _Iterator:
    """A libcbc iterator; keeps its Database alive and frees itself when done."""

    def __init__(self, db, it, out_type, next_fn, free_fn, convert):
        self._db = db  # the parent stays alive while the iterator lives
        self._it = it
        self._out = ffi.new(out_type)
        self._next = next_fn
        self._free = free_fn
        self._convert = convert

    def __iter__(self):
        return self

    def __next__(self):
        if self._it is None:
            raise StopIteration
        rc = self._next(self._out, self._it)
        if rc == lib.CBC_ITEROVER:
            self.close()
            raise StopIteration
        check(rc)
        return self._convert(self._out[0])

    def close(self):
        if self._it is not None:
            it, self._it = self._it, None
            ffi.release(it)
