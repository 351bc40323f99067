"""The hazard API (cbc/hazard.h): HazardsMixin, inherited by Database."""
from __future__ import annotations

import json

from typing import (Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple,
                    Union)

from ._cbc import ffi, lib
from ._enum import CbcEnum, labelled, to_c
from ._support import _DatabaseBase, _Iterator, _Strings, _as, _fetch, _items, _text
from ._time import db_seconds, from_seconds as _t, to_seconds
from .errors import CallbackAborted, InvalidError, check
from .labels import EnumType
from .types import TimeLike
from .types import (Answer, Attachment, AttachmentStage, CheckItem, Hazard, HazardAction,
                    HazardCategory, HazardEvent, HazardKind, HazardSource, HazardState, Level,
                    RectificationPlan, Severity, StoredAttachment, SweepProgress)

__all__ = ["HazardsMixin", "hazard_transition", "hazard_fsm_dot", "HazardSort", "OPEN_STATES",
           "NEW_STATES", "DONE_STATES", "CLOSED_STATES", "ACTIVE_STATES"]

# The `states` filter: a HazardState (or its name or number), an iterable of them, or None.
_States = Union[HazardState, int, str, Iterable[Union[HazardState, int, str]], None]


@labelled(EnumType.HAZARD_SORT)
class HazardSort(CbcEnum):
    """The ledger's order (docs/ledger.md); ties are broken by id."""
    REPORTED = lib.CBC_HAZARD_SORT_REPORTED  #: by id, the order of reporting
    DEADLINE = lib.CBC_HAZARD_SORT_DEADLINE  #: by the current deadline (0 first)
    UPDATED = lib.CBC_HAZARD_SORT_UPDATED    #: by the time of the last move


# The named sets of states (CBC_HAZARD_STATES_*), for the `states` filter.
#: In the ledger and not done: registered, rectifying, pending verification.
OPEN_STATES = frozenset({HazardState.REGISTERED, HazardState.RECTIFYING,
                         HazardState.PENDING_VERIFICATION})
#: Reported, not yet registered or rejected.
NEW_STATES = frozenset({HazardState.REPORTED})
#: Done with: closed or rejected.
DONE_STATES = frozenset({HazardState.CLOSED, HazardState.REJECTED})
#: Closed (销号) only.
CLOSED_STATES = frozenset({HazardState.CLOSED})
#: Not yet done with: NEW_STATES and OPEN_STATES.
ACTIVE_STATES = NEW_STATES | OPEN_STATES


def hazard_transition(state: Union[HazardState, int, str],
                      action: Union[HazardAction, int, str]) -> HazardState:
    """The state `action` leads to from `state` (None: not yet reported).

    Raises StateError when the move is not allowed in that state."""
    out = ffi.new("cbc_hazard_state *")
    check(lib.cbc_hazard_transition(out, to_c(HazardState, state, "state", optional=True),
                                    to_c(HazardAction, action, "action")))
    return HazardState(out[0])


def hazard_fsm_dot() -> str:
    """The hazard state machine as Graphviz DOT text."""
    out = ffi.new("char **")
    check(lib.cbc_hazard_fsm_dot(out))
    try:
        return _text(out[0])
    finally:
        lib.cbc_free(out[0])


# -- C to Python -----------------------------------------------------------
def _or_none(enum_type: Any, value: Any) -> Any:
    return enum_type(value) if value else None


def _hazard(h: Any, o: int) -> Hazard:
    """A Hazard from a cbc_hazard, its times in the UTC offset o."""
    atts = [StoredAttachment(_text(a.uri), _text(a.media_type), a.size, _text(a.sha256),
                             AttachmentStage(a.stage), _t(a.added_at, o), a.added_by)
            for a in _items(h.attachments, h.n_attachments)]
    p = h.plan
    plan = (RectificationPlan(_text(p.goals), _text(p.methods), _text(p.funds_materials),
                              _text(p.responsible_bodies), _t(p.time_limit, o),
                              _text(p.safety_measures)) if h.has_plan else None)
    return Hazard(h.id, HazardState(h.state), h.reporter_id, h.unit_id, h.enterprise_id,
                  _text(h.title), _text(h.description), _text(h.location), HazardKind(h.kind),
                  HazardCategory(h.category), CheckItem(h.check_item), HazardSource(h.source),
                  _t(h.observed_at, o), _t(h.reported_at, o), Severity(h.proposed_severity),
                  _or_none(Severity, h.severity), _or_none(Level, h.level),
                  _or_none(Level, h.resolved_level), h.responsible_id, _text(h.measures),
                  h.funds_fen, _t(h.original_deadline, o), _t(h.deadline, o),
                  _text(h.contingency_plan),
                  bool(h.has_plan), plan, _text(h.reject_reason), h.duplicate_of,
                  bool(h.listed), _text(h.listing_authority), _text(h.listing_document),
                  _t(h.listed_at, o), h.listed_by, bool(h.extension_pending),
                  _t(h.extension_requested_deadline, o), h.reopen_count, h.submitted_by,
                  _text(h.last_note), _t(h.closed_at, o), _t(h.updated_at, o), atts)


def _event(e: Any, o: int) -> HazardEvent:
    return HazardEvent(e.id, e.hazard_id, _t(e.at, o), e.actor_id, HazardAction(e.action),
                       _or_none(HazardState, e.from_state), HazardState(e.to_state),
                       _or_none(Level, e.level), json.loads(_text(e.data) or "{}"))


def _answer(a: Any, o: int) -> Answer:
    return Answer(a.hazard_id, HazardState(a.state), _text(a.title), _text(a.answer),
                  _t(a.updated_at, o))


# -- Python to C -----------------------------------------------------------
def _enum_arg(cls: Any, name: str) -> Callable[[Any], int]:
    """The conversion of the enum argument `name`: convert(value) -> its C value."""
    return lambda value: to_c(cls, value, name)


def _attachments(attachments: Iterable[Union[Attachment, Dict[str, Any]]],
                 s: _Strings) -> Tuple[Any, int]:
    """A C cbc_attachment array (and its length) from Attachments or dicts."""
    atts = [_as(Attachment, a) for a in attachments]
    carray = ffi.new("cbc_attachment[]", max(len(atts), 1))
    for i, a in enumerate(atts):
        carray[i].version = lib.CBC_ATTACHMENT_VERSION
        carray[i].uri, carray[i].media_type = s(a.uri), s(a.media_type)
        carray[i].size, carray[i].sha256 = a.size, s(a.sha256)
    return carray, len(atts)


def _plan(plan: Union[RectificationPlan, Dict[str, Any]], s: _Strings, offset: int) -> Any:
    given = _as(RectificationPlan, plan)
    p = ffi.new("cbc_rectification_plan *")
    p.goals, p.methods = s(given.goals), s(given.methods)
    p.funds_materials, p.responsible_bodies = s(given.funds_materials), s(given.responsible_bodies)
    p.time_limit = to_seconds(given.time_limit, offset, "plan.time_limit")
    p.safety_measures = s(given.safety_measures)
    return p


def _record(s: Any, offset: int, unit_id: int, title: str, kind: Union[HazardKind, int, str],
            category: Union[HazardCategory, int, str], check_item: Union[CheckItem, int, str],
            source: Union[HazardSource, int, str], proposed_severity: Union[Severity, int, str],
            reporter_id: int, description: Optional[str], location: Optional[str],
            observed_at: TimeLike,
            attachments: Iterable[Union[Attachment, Dict[str, Any]]],
            request_key: Optional[str]) -> Any:
    """A cbc_hazard_record; its attachment array is kept alive by `s`."""
    r = ffi.new("cbc_hazard_record *")
    r.version = lib.CBC_HAZARD_RECORD_VERSION
    r.reporter_id, r.unit_id = reporter_id, unit_id
    r.observed_at = to_seconds(observed_at, offset, "observed_at")
    r.title, r.description, r.location = s(title), s(description), s(location)
    r.kind, r.category = to_c(HazardKind, kind, "kind"), to_c(HazardCategory, category, "category")
    r.check_item = to_c(CheckItem, check_item, "check_item")
    r.source = to_c(HazardSource, source, "source")
    r.proposed_severity = to_c(Severity, proposed_severity, "proposed_severity")
    carray, r.n_attachments = _attachments(attachments, s)
    r.attachments = s.keep(carray)
    r.request_key = s(request_key)
    return r


def _state_mask(states: _States) -> int:
    """The CBC_HAZARD_STATES_* bits of a HazardState or an iterable of them (None: 0)."""
    if states is None:
        return 0
    if isinstance(states, (int, str)):  # one state (HazardState is an int)
        states = (states,)
    mask = 0
    for state in states:
        mask |= 1 << to_c(HazardState, state, "states")
    return mask


class _Hook:
    """The Python side of the event hook: the function and its last exception."""

    def __init__(self, fn: Callable[[HazardEvent], object], utc_offset: int) -> None:
        self.fn = fn
        self.utc_offset = utc_offset  # of the events' times
        self.error: Optional[BaseException] = None
        self.running = False


@ffi.def_extern()
def _cbc_event_hook(event: Any, payload: Any) -> Any:
    hook = ffi.from_handle(payload)
    hook.running = True
    try:
        hook.fn(_event(event, hook.utc_offset))
        return 0
    except BaseException as e:  # must not unwind through C; see Database.hook_error
        hook.error = e
        return 1
    finally:
        hook.running = False


class _SweepCall:
    """The Python side of a sweep's progress callback and its exception."""

    def __init__(self, fn: Callable[[SweepProgress], Optional[bool]]) -> None:
        self.fn = fn
        self.error: Optional[BaseException] = None


@ffi.def_extern()
def _cbc_sweep_progress(progress: Any, payload: Any) -> int:
    call = ffi.from_handle(payload)
    try:
        p = SweepProgress(progress.found, progress.done, progress.escalated)
        return 1 if call.fn(p) is False else 0
    except BaseException as e:  # re-raised by sweep_overdue
        call.error = e
        return 1


class HazardsMixin(_DatabaseBase):
    """The hazard calls of Database (reporting, the lifecycle moves, queries).

    Each move (reject() to reopen()) is made by actor_id, an active employee,
    and raises NotFoundError (an unknown hazard or actor), StateError (the
    move is illegal in the hazard's state: the message names the state and
    the action), PermissionDenied (the actor may not: the message names the
    rule; a read-only database), InvalidError (a bad argument: the message
    names it), BusyError, IOFailure, OutOfMemoryError."""

    _hook: Optional[_Hook] = None
    _hook_handle: Any = None

    # -- reporting --------------------------------------------------------
    def report(self, unit_id: int, title: str, kind: Union[HazardKind, int, str],
               category: Union[HazardCategory, int, str], check_item: Union[CheckItem, int, str],
               source: Union[HazardSource, int, str], proposed_severity: Union[Severity, int, str],
               reporter_id: int = 0, description: Optional[str] = None,
               location: Optional[str] = None, observed_at: TimeLike = 0,
               attachments: Iterable[Union[Attachment, Dict[str, Any]]] = (),
               request_key: Optional[str] = None) -> Tuple[int, Optional[str]]:
        """Report a hazard.  Returns (hazard_id, follow_up_key); the key is set
        only for an anonymous (reporter_id 0) hotline tip-off.  request_key
        makes a retry safe (docs/integration.md, "Retrying safely"): a retry
        with the same key and arguments returns the first hazard's id (and,
        for an anonymous report, a new follow-up key) and writes nothing; the
        same key with other arguments raises ConflictError."""
        s = _Strings()
        r = _record(s, self.utc_offset, unit_id, title, kind, category, check_item, source,
                    proposed_severity, reporter_id, description, location, observed_at,
                    attachments, request_key)
        out_id = ffi.new("int64_t *")
        out_key = ffi.new("char **")
        check(lib.cbc_hazard_report(out_id, out_key, self._ptr, r))
        key = None
        if out_key[0] != ffi.NULL:
            key = _text(out_key[0])
            lib.cbc_free(out_key[0])
        return int(out_id[0]), key

    def fix_on_spot(self, unit_id: int, title: str, kind: Union[HazardKind, int, str],
                    category: Union[HazardCategory, int, str],
                    check_item: Union[CheckItem, int, str], source: Union[HazardSource, int, str],
                    proposed_severity: Union[Severity, int, str] = Severity.GENERAL,
                    reporter_id: int = 0, description: Optional[str] = None,
                    location: Optional[str] = None, observed_at: TimeLike = 0,
                    attachments: Iterable[Union[Attachment, Dict[str, Any]]] = (), *,
                    measures: str,
                    evidence: Iterable[Union[Attachment, Dict[str, Any]]] = (),
                    request_key: Optional[str] = None) -> int:
        """Report, register at INDIVIDUAL level, start and submit in one go
        (随手改); a named, general report.  Returns the hazard id.  request_key:
        as report()."""
        s = _Strings()
        r = _record(s, self.utc_offset, unit_id, title, kind, category, check_item, source,
                    proposed_severity, reporter_id, description, location, observed_at,
                    attachments, request_key)
        atts, n = _attachments(evidence, s)
        out = ffi.new("int64_t *")
        check(lib.cbc_hazard_fix_on_spot(out, self._ptr, r, s(measures), atts, n))
        return int(out[0])

    # -- the moves --------------------------------------------------------
    def reject(self, hazard_id: int, actor_id: int, reason: Optional[str] = None,
               duplicate_of: int = 0) -> None:
        """Reject a report: not a hazard, or a duplicate of the hazard
        duplicate_of (件件有回声: the reporter hears the reason).  reason is
        required unless duplicate_of is given, which must be another hazard
        of the same enterprise, not rejected.  Raises the errors of every move (see HazardsMixin); InvalidError also for a
        missing reason or a bad duplicate_of."""
        s = _Strings()
        check(lib.cbc_hazard_reject(self._ptr, hazard_id, actor_id, s(reason), duplicate_of))

    def register(self, hazard_id: int, actor_id: int, severity: Union[Severity, int, str],
                 level: Union[Level, int, str], measures: str, deadline: TimeLike,
                 contingency_plan: str, funds_fen: int = 0, responsible_id: int = 0,
                 plan: Union[RectificationPlan, Dict[str, Any], None] = None) -> None:
        """Confirm into the ledger with the five items; plan (a RectificationPlan
        or a dict of its fields) is required for a major hazard."""
        s = _Strings()
        r = ffi.new("cbc_hazard_registration *")
        r.version = lib.CBC_HAZARD_REGISTRATION_VERSION
        r.severity, r.level = to_c(Severity, severity, "severity"), to_c(Level, level, "level")
        r.responsible_id, r.funds_fen = responsible_id, funds_fen
        r.deadline = db_seconds(self, deadline, "deadline")
        r.measures, r.contingency_plan = s(measures), s(contingency_plan)
        r.plan = s.keep(_plan(plan, s, self.utc_offset)) if plan else ffi.NULL
        check(lib.cbc_hazard_register(self._ptr, hazard_id, actor_id, r))

    def start(self, hazard_id: int, actor_id: int) -> None:
        """Start rectification (REGISTERED to RECTIFYING).  Raises the errors of every move (see HazardsMixin)."""
        check(lib.cbc_hazard_start(self._ptr, hazard_id, actor_id))

    def amend(self, hazard_id: int, actor_id: int, reason: str,
              responsible_id: Optional[int] = None, measures: Optional[str] = None,
              funds_fen: Optional[int] = None, deadline: TimeLike = None,
              contingency_plan: Optional[str] = None,
              severity: Optional[Union[Severity, int, str]] = None,
              kind: Optional[Union[HazardKind, int, str]] = None,
              category: Optional[Union[HazardCategory, int, str]] = None,
              check_item: Optional[Union[CheckItem, int, str]] = None) -> None:
        """Correct a registered hazard's five items or classification before it is
        closed (cbc_hazard_amend): the fields given (not None) change, as a move
        (HazardAction.AMEND) with the reason; the others stay."""
        s = _Strings()
        a = ffi.new("cbc_hazard_amendment *")
        check(lib.cbc_hazard_amendment_init(a, lib.CBC_HAZARD_AMENDMENT_VERSION))
        given: List[Tuple[int, str, object, Callable[[Any], Any]]] = [
            (lib.CBC_AMEND_RESPONSIBLE, "responsible_id", responsible_id, int),
            (lib.CBC_AMEND_MEASURES, "measures", measures, s),
            (lib.CBC_AMEND_FUNDS, "funds_fen", funds_fen, int),
            (lib.CBC_AMEND_DEADLINE, "deadline", deadline,
             lambda t: db_seconds(self, t, "deadline")),
            (lib.CBC_AMEND_CONTINGENCY_PLAN, "contingency_plan", contingency_plan, s),
            (lib.CBC_AMEND_SEVERITY, "severity", severity, _enum_arg(Severity, "severity")),
            (lib.CBC_AMEND_KIND, "kind", kind, _enum_arg(HazardKind, "kind")),
            (lib.CBC_AMEND_CATEGORY, "category", category,
             _enum_arg(HazardCategory, "category")),
            (lib.CBC_AMEND_CHECK_ITEM, "check_item", check_item,
             _enum_arg(CheckItem, "check_item"))]
        values = [(bit, name, convert(value))
                  for bit, name, value, convert in given if value is not None]
        for bit, name, value in values:  # every argument checked before any is set
            a.fields |= bit
            setattr(a, name, value)
        a.reason = s(reason)
        check(lib.cbc_hazard_amend(self._ptr, hazard_id, actor_id, a))

    def escalate(self, hazard_id: int, actor_id: int, reason: str,
                 responsible_id: int = 0) -> None:
        """Move the hazard one level up (INDIVIDUAL, TEAM, WORKSHOP,
        ENTERPRISE) because it cannot be fixed where it is, with a reason
        (required).  responsible_id 0 takes who is responsible at the new
        level from the org tree.  Raises the errors of every move (see HazardsMixin); StateError also at ENTERPRISE,
        NotFoundError when nobody is responsible at the new level,
        InvalidError for a named responsible person who cannot act there."""
        s = _Strings()
        check(lib.cbc_hazard_escalate(self._ptr, hazard_id, actor_id, s(reason), responsible_id))

    def list_supervision(self, hazard_id: int, actor_id: int, authority: str, document: str,
                         listed_at: TimeLike = 0) -> None:
        """List a major hazard for supervision (挂牌督办) by authority (e.g.
        "历下区应急管理局") under document (its number), at listed_at (0 or
        None: now).  Only passing verification de-lists it (摘牌).  Raises the errors of every move (see HazardsMixin);
        StateError also for a general hazard or one already listed."""
        s = _Strings()
        listed_at = db_seconds(self, listed_at, "listed_at")
        check(lib.cbc_hazard_list_supervision(self._ptr, hazard_id, actor_id, s(authority),
                                              s(document), listed_at))

    def request_extension(self, hazard_id: int, actor_id: int, new_deadline: TimeLike,
                          reason: str) -> None:
        """Ask for a deadline later than the current one, with a reason
        (required); the original deadline is kept, and both are reported.
        Raises the errors of every move (see HazardsMixin); StateError also when a request is already pending."""
        s = _Strings()
        new_deadline = db_seconds(self, new_deadline, "new_deadline")
        check(lib.cbc_hazard_request_extension(self._ptr, hazard_id, actor_id, new_deadline,
                                               s(reason)))

    def decide_extension(self, hazard_id: int, actor_id: int, approve: bool,
                         reason: Optional[str] = None) -> None:
        """Approve (the deadline moves) or refuse the pending extension
        request; the decider is above the responsible level.  Raises the errors of every move (see HazardsMixin);
        StateError also when no request is pending."""
        s = _Strings()
        check(lib.cbc_hazard_decide_extension(self._ptr, hazard_id, actor_id,
                                              1 if approve else 0, s(reason)))

    def file_plan(self, hazard_id: int, actor_id: int,
                  plan: Union[RectificationPlan, Dict[str, Any]]) -> None:
        """File the rectification plan (a RectificationPlan or a dict)."""
        s = _Strings()
        check(lib.cbc_hazard_file_plan(self._ptr, hazard_id, actor_id,
                                       _plan(plan, s, self.utc_offset)))

    def submit(self, hazard_id: int, actor_id: int, note: str,
               evidence: Iterable[Union[Attachment, Dict[str, Any]]] = ()) -> None:
        """Submit the rectification for verification, with a note of what was
        done (required) and evidence (Attachments, or dicts of their fields,
        stage RECTIFICATION).  Raises the errors of every move (see HazardsMixin); StateError also at ENTERPRISE level
        without a rectification plan on file."""
        s = _Strings()
        atts, n = _attachments(evidence, s)
        check(lib.cbc_hazard_submit(self._ptr, hazard_id, actor_id, s(note), atts, n))

    def verify(self, hazard_id: int, actor_id: int, passed: bool, note: Optional[str] = None,
               evidence: Iterable[Union[Attachment, Dict[str, Any]]] = ()) -> None:
        """Verify a submitted rectification (验收): passed closes it (销号) and
        ends listed supervision; failed returns it to RECTIFYING and counts a
        reopen.  note is required when failing; evidence as for submit()
        (stage VERIFICATION).  Nobody verifies what they submitted; a major
        hazard is verified at enterprise level, a listed one by a bureau
        inspector.  Raises the errors of every move (see HazardsMixin)."""
        s = _Strings()
        atts, n = _attachments(evidence, s)
        check(lib.cbc_hazard_verify(self._ptr, hazard_id, actor_id, 1 if passed else 0, s(note),
                                    atts, n))

    def reopen(self, hazard_id: int, actor_id: int, reason: str) -> None:
        """Reopen a closed hazard after a review (回头看), with a reason
        (required).  History is not rewritten; the reopen is counted.  Raises the errors of every move (see HazardsMixin)."""
        s = _Strings()
        check(lib.cbc_hazard_reopen(self._ptr, hazard_id, actor_id, s(reason)))

    def sweep_overdue(self, at: TimeLike = 0, escalate: bool = False, batch: int = 0,
                      progress: Optional[Callable[[SweepProgress], Optional[bool]]] = None
                      ) -> List[int]:
        """The ids of hazards open past their deadline at `at` (0: now), by id;
        with escalate, each REGISTERED or RECTIFYING one below ENTERPRISE is
        moved one level up, by the system, at most once per lapse (a rerun
        escalates only what an earlier sweep did not), `batch` hazards per
        transaction (0: CBC_SWEEP_BATCH_DEFAULT).  progress, when given, is
        called with a SweepProgress after each committed batch; returning
        False stops the sweep (CallbackAborted; the batches before stay
        escalated), and an exception it raises is re-raised the same way."""
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 0:
            raise InvalidError(lib.CBC_EINVAL, "batch must be an int >= 0")
        out = ffi.new("int64_t **")
        count = ffi.new("size_t *")
        o = ffi.new("cbc_sweep_options *")
        check(lib.cbc_sweep_options_init(o, lib.CBC_SWEEP_OPTIONS_VERSION))
        o.flags = lib.CBC_SWEEP_ESCALATE if escalate else 0
        o.at = db_seconds(self, at, "at")
        o.batch = batch
        call = _SweepCall(progress) if progress else None
        handle = ffi.new_handle(call) if call else ffi.NULL
        if call:
            o.progress = lib._cbc_sweep_progress
            o.payload = handle
        rc = lib.cbc_hazard_sweep(out, count, ffi.NULL, self._ptr, o)
        try:
            if call and call.error is not None:
                raise call.error
            if rc > 0:
                raise CallbackAborted(rc, "the sweep was stopped by its progress callback; "
                                          "the batches before stay escalated")
            check(rc)
            return list(_items(out[0], count[0]))
        finally:
            lib.cbc_free(out[0])

    # -- queries ----------------------------------------------------------
    def hazard(self, hazard_id: int) -> Hazard:
        """One hazard with its attachments."""
        return _fetch("cbc_hazard **",
                      lambda out: lib.cbc_hazard_lookup(out, self._ptr, hazard_id),
                      lambda h: _hazard(h, self.utc_offset), lib.cbc_hazard_free)

    def hazard_readable(self, hazard_id: int, employee_id: int) -> bool:
        """Whether employee_id may read the hazard: its page, history,
        attachments and answer (docs/authorization.md, "Who may read") —
        when its unit is inside their read scope (read_scope()) or they
        reported it, wherever they are now; False for an employee who left.
        NotFoundError for an unknown hazard or employee."""
        out = ffi.new("int *")
        check(lib.cbc_hazard_readable(out, self._ptr, hazard_id, employee_id))
        return bool(out[0])

    def hazard_moves(self, hazard_id: int, actor_id: int) -> FrozenSet[HazardAction]:
        """The moves actor_id may make on the hazard now (cbc_hazard_moves;
        docs/authorization.md, "What may this person do now"), for a front end
        to offer only those: the ones the transition table allows from its
        state, whose own conditions hold as it stands (an extension decided
        only while one is pending, ...) and that the authorization rules
        allow this person.  What depends on a move's arguments stays the
        move's to check: REGISTER means at some level, AMEND some correction
        (moving the deadline later needs whoever may approve an extension).
        Never REPORT or ESCALATE_OVERDUE; empty for an employee who left.
        NotFoundError for an unknown hazard or employee; InvalidError for an
        id below 1."""
        out = ffi.new("unsigned int *")
        check(lib.cbc_hazard_moves(out, self._ptr, hazard_id, actor_id))
        return frozenset(a for a in HazardAction if out[0] & (1 << int(a)))

    def _ledger_filter(self, states: _States = None,
                       severity: Optional[Union[Severity, int, str]] = None,
                       level: Optional[Union[Level, int, str]] = None, unit_id: int = 0,
                       reporter_id: int = 0, responsible_id: int = 0, overdue_at: TimeLike = 0,
                       reported_from: TimeLike = 0, reported_to: TimeLike = 0,
                       closed_from: TimeLike = 0, closed_to: TimeLike = 0, listed: bool = False,
                       text: Optional[str] = None,
                       sort: Union[HazardSort, int, str] = HazardSort.REPORTED,
                       descending: bool = False, after: Optional[str] = None,
                       limit: int = 0, viewer_id: int = 0) -> Any:
        """The cbc_hazard_filter, and the byte strings it points to (kept alive by the
        caller for the call)."""
        f = ffi.new("cbc_hazard_filter *")  # zeroed: CBC_HAZARD_FILTER_INIT
        f.version = lib.CBC_HAZARD_FILTER_VERSION
        f.states = _state_mask(states)
        f.severity = to_c(Severity, severity, "severity", optional=True)
        f.level = to_c(Level, level, "level", optional=True)
        f.unit_id, f.reporter_id, f.responsible_id = unit_id, reporter_id, responsible_id
        for name, value in (("overdue_at", overdue_at), ("reported_from", reported_from),
                            ("reported_to", reported_to), ("closed_from", closed_from),
                            ("closed_to", closed_to)):
            setattr(f, name, db_seconds(self, value, name))
        f.listed, f.descending = int(bool(listed)), int(bool(descending))
        f.sort = to_c(HazardSort, sort, "sort")
        f.limit = limit
        f.viewer_id = viewer_id
        keep = []
        for name, given in (("text", text), ("after", after)):
            if given is not None:
                keep.append(ffi.new("char[]", given.encode("utf-8")))
                setattr(f, name, keep[-1])
        return f, keep

    def hazards(self, states: _States = None, severity: Optional[Union[Severity, int, str]] = None,
                level: Optional[Union[Level, int, str]] = None, unit_id: int = 0,
                reporter_id: int = 0, responsible_id: int = 0, overdue_at: TimeLike = 0,
                reported_from: TimeLike = 0, reported_to: TimeLike = 0, closed_from: TimeLike = 0,
                closed_to: TimeLike = 0, listed: bool = False, text: Optional[str] = None,
                sort: Union[HazardSort, int, str] = HazardSort.REPORTED, descending: bool = False,
                after: Optional[str] = None, limit: int = 0,
                viewer_id: int = 0) -> _Iterator[Hazard]:
        """Iterate the ledger: the matching hazards, without attachments.

        states is a HazardState or an iterable of them (e.g. OPEN_STATES); unit_id
        is an org subtree; *_from is inclusive, *_to exclusive; 0 does not filter
        (None for states, severity and level, which are checked as their enums).
        listed: only hazards listed for supervision; text: search in titles and
        descriptions (docs/ledger.md, "Search"); sort and descending: the order
        (by id unless told); after: a cursor from hazard_page(); limit: at most so
        many (0: all).  viewer_id: only what that employee may read
        (docs/authorization.md, "Who may read"): unit_id 0 then means their read
        scope, and another unit_id outside it raises PermissionDenied, as does a
        viewer who left; with reporter_id == viewer_id, their own reports
        wherever they are ("my reports").  0: the trusted host's view."""
        f, keep = self._ledger_filter(states, severity, level, unit_id, reporter_id,
                                      responsible_id, overdue_at, reported_from, reported_to,
                                      closed_from, closed_to, listed, text, sort, descending,
                                      after, limit, viewer_id)
        o = self.utc_offset  # the offset now, for every row
        return _Iterator(self, "cbc_hazard_iter",
                         lambda out: lib.cbc_hazard_iter_new(out, self._ptr, f), "cbc_hazard",
                         lib.cbc_hazard_iter_next, lib.cbc_hazard_iter_free,
                         lambda h: _hazard(h, o))

    def hazard_count(self, **filters: Any) -> int:
        """How many hazards match (the filters of hazards(); sort, after and limit are
        ignored)."""
        f, keep = self._ledger_filter(**filters)
        out = ffi.new("int64_t *")
        check(lib.cbc_hazard_count(out, self._ptr, f))
        return int(out[0])

    def hazard_page(self, limit: int = 50, after: Optional[str] = None,
                    **filters: Any) -> Tuple[List[Hazard], Optional[str]]:
        """One page of the ledger: (hazards, cursor).  Pass the cursor as `after` for
        the next page (same filters, sort and direction); it is None when the page
        is empty.  Stable while hazards are added (docs/ledger.md, "Paging")."""
        f, keep = self._ledger_filter(limit=limit, after=after, **filters)
        out = ffi.new("cbc_hazard_iter **")
        check(lib.cbc_hazard_iter_new(out, self._ptr, f))
        it = ffi.gc(out[0], lib.cbc_hazard_iter_free)
        row = ffi.new("const cbc_hazard **")
        rows = []
        while True:
            rc = lib.cbc_hazard_iter_next(row, it)
            if rc == lib.CBC_ITEROVER:
                break
            check(rc)
            rows.append(_hazard(row[0], self.utc_offset))
        if not rows:
            return rows, None
        cursor = ffi.new("char **")
        check(lib.cbc_hazard_iter_cursor(cursor, it))
        try:
            return rows, _text(cursor[0])
        finally:
            lib.cbc_free(cursor[0])

    def hazard_pages(self, limit: int = 50, after: Optional[str] = None,
                     **filters: Any) -> Iterator[Tuple[List[Hazard], str]]:
        """Every page of the ledger in turn, from `after` (None: the start): the
        (hazards, cursor) pairs of hazard_page(), each cursor resuming after its
        page.  Ends with a page shorter than limit (or before an empty one).
        Each page is one query, so hazards added meanwhile show up where the
        order puts them, none twice.  InvalidError for a limit below 1, and
        the errors of hazard_page()."""
        if limit <= 0:
            raise InvalidError(lib.CBC_EINVAL, "limit: a page holds at least one hazard")
        while True:
            rows, cursor = self.hazard_page(limit, after, **filters)
            if cursor is None:
                return
            yield rows, cursor
            if len(rows) < limit:
                return
            after = cursor

    def hazard_history(self, hazard_id: int) -> List[HazardEvent]:
        """A hazard's moves, oldest first (HazardEvent, data as a dict)."""
        out = ffi.new("cbc_hazard_event **")
        count = ffi.new("size_t *")
        check(lib.cbc_hazard_history(out, count, self._ptr, hazard_id))
        try:
            return [_event(e, self.utc_offset) for e in _items(out[0], count[0])]
        finally:
            lib.cbc_hazard_events_free(out[0], count[0])

    def answer(self, hazard_id: int, employee_id: int) -> Answer:
        """The Answer to a named reporter about their report."""
        return _fetch("cbc_hazard_answer **",
                      lambda out: lib.cbc_hazard_answer_for(out, self._ptr, hazard_id,
                                                            employee_id),
                      lambda a: _answer(a, self.utc_offset), lib.cbc_hazard_answer_free)

    def answer_by_key(self, key: str) -> Answer:
        """The Answer to an anonymous tip-off, by the key report() returned."""
        ckey = key.encode("utf-8")
        return _fetch("cbc_hazard_answer **",
                      lambda out: lib.cbc_hazard_answer_by_key(out, self._ptr, ckey),
                      lambda a: _answer(a, self.utc_offset), lib.cbc_hazard_answer_free)

    # -- the event hook ---------------------------------------------------
    def set_event_hook(self, fn: Optional[Callable[[HazardEvent], object]]) -> None:
        """Call fn(HazardEvent) for each event after its transaction commits
        (None removes the hook).  fn must not use this Database.  If fn raises,
        the exception is kept in hook_error and the committed change stands."""
        hook = _Hook(fn, self.utc_offset) if fn is not None else None
        handle = ffi.new_handle(hook) if hook else None
        check(lib.cbc_hazard_set_event_hook(self._ptr, lib._cbc_event_hook if hook else ffi.NULL,
                                            handle if hook else ffi.NULL))
        self._hook, self._hook_handle = hook, handle  # C holds the handle's address

    @property
    def hook_error(self) -> Optional[BaseException]:
        """The last exception the current event hook raised, or None."""
        return self._hook.error if self._hook else None
