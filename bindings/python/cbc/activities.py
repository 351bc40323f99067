"""The activity API (cbc/activity.h): ActivitiesMixin, inherited by Database."""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Optional, Tuple, TypeVar, Union

from ._cbc import ffi, lib
from ._enum import to_c, to_c_lenient
from ._support import _DatabaseBase, _Iterator, _Strings, _fetch, _items, _text
from ._time import db_seconds, from_seconds as _t
from .errors import check
from .types import TimeLike
from .types import (ActivityKind, ActivityMove, Attendee, CadreAssignment, Drill, DrillGap,
                    NeedReason, Proposal, ProposalStatus, Training, TrainingKind, TrainingNeed,
                    Visit)

__all__ = ["ActivitiesMixin", "training_kind_name"]

_INDUCTION = (TrainingKind.INDUCTION_ENTERPRISE, TrainingKind.INDUCTION_WORKSHOP,
              TrainingKind.INDUCTION_TEAM)

T = TypeVar("T")


def training_kind_name(kind: Union[TrainingKind, int, str]) -> Optional[str]:
    """The English name of a training kind ("all staff", ...); None for an unknown value."""
    name = lib.cbc_training_kind_name(to_c_lenient(TrainingKind, kind, "kind"))
    return _text(name) if name != ffi.NULL else None


# -- C to Python -----------------------------------------------------------
def _voided(r: Any, o: int) -> Any:
    return _t(r.voided_at, o), r.voided_by, _text(r.void_reason)


# Each conversion takes the record and the UTC offset o of its times.
def _training(t: Any, o: int) -> Training:
    attendees = [Attendee(a.employee_id, bool(a.passed))
                 for a in _items(t.attendees, t.n_attendees)]
    return Training(t.id, TrainingKind(t.kind), t.unit_id, _t(t.held_at, o), t.minutes,
                    _text(t.title), _t(t.recorded_at, o), attendees, *_voided(t, o))


def _drill(d: Any, o: int) -> Drill:
    return Drill(d.id, d.unit_id, _t(d.held_at, o), _text(d.scenario), _t(d.recorded_at, o),
                 list(_items(d.team_ids, d.n_teams)), *_voided(d, o))


def _proposal(p: Any, o: int) -> Proposal:
    return Proposal(p.id, p.proposer_id, p.unit_id, _text(p.title), _text(p.text),
                    _t(p.submitted_at, o), ProposalStatus(p.status), p.decided_by,
                    _t(p.decided_at, o), _text(p.note), *_voided(p, o))


def _visit(v: Any, o: int) -> Visit:
    return Visit(v.id, v.cadre_id, v.unit_id, _t(v.visited_at, o), _text(v.findings),
                 _t(v.recorded_at, o), *_voided(v, o))


def _assignment(a: Any, o: int) -> CadreAssignment:
    return CadreAssignment(a.id, a.cadre_id, a.unit_id, _t(getattr(a, "from"), o), _t(a.to, o),
                           _t(a.recorded_at, o), *_voided(a, o))


# The listing of each kind: its C iterator's prefix, row type and conversion.
_LISTINGS = {
    ActivityKind.TRAINING: ("cbc_training", _training),
    ActivityKind.DRILL: ("cbc_drill", _drill),
    ActivityKind.VISIT: ("cbc_visit", _visit),
    ActivityKind.PROPOSAL: ("cbc_proposal", _proposal),
    ActivityKind.ASSIGNMENT: ("cbc_cadre_assignment", _assignment),
}


def _missing(bits: Any) -> Any:
    """The induction levels named by a cbc_training_need's `missing` bits."""
    return frozenset(k for k in _INDUCTION if bits & (1 << int(k)))


def _need(n: Any, o: int) -> TrainingNeed:
    return TrainingNeed(n.employee_id, NeedReason(n.reason), _t(n.since, o),
                        _missing(n.missing))


def _gap(g: Any) -> DrillGap:
    return DrillGap(g.enterprise_id, g.team_id, g.drills)


def _array(out_type: str, call: Callable[[Any, Any], Any], convert: Callable[[Any], T]) -> List[T]:
    """Call a libcbc query that fills `T **out, size_t *count`, convert each item,
    free the array with cbc_free()."""
    out = ffi.new(out_type)
    count = ffi.new("size_t *")
    check(call(out, count))
    try:
        return [convert(x) for x in _items(out[0], count[0])]
    finally:
        lib.cbc_free(out[0])


# -- Python to C -----------------------------------------------------------
def _attendees(attendees: Iterable[Union[Attendee, Tuple[int, bool]]]) -> Tuple[Any, int]:
    """A C cbc_attendee array (and its length) from Attendees or (id, passed) pairs."""
    items = [a if isinstance(a, Attendee) else Attendee(*a) for a in attendees]
    carray = ffi.new("cbc_attendee[]", max(len(items), 1))
    for i, a in enumerate(items):
        carray[i].employee_id, carray[i].passed = a.employee_id, 1 if a.passed else 0
    return carray, len(items)


def _ids(ids: Iterable[int]) -> Tuple[Any, int]:
    listed = list(ids)
    return ffi.new("int64_t[]", listed or [0]), len(listed)


class ActivitiesMixin(_DatabaseBase):
    """The activity calls of Database: training, drills, supervision, proposals,
    participation and compliance."""

    # -- training ---------------------------------------------------------
    def add_training(self, unit_id: int, kind: Union[TrainingKind, int, str], held_at: TimeLike,
                     minutes: int, title: str,
                     attendees: Iterable[Union[Attendee, Tuple[int, bool]]],
                     request_key: Optional[str] = None, recorded_by: int = 0) -> int:
        """Record a training session; attendees are Attendees or (employee_id,
        passed) pairs.  Returns the session's id.  request_key makes a retry
        safe (docs/integration.md, "Retrying safely"): a retry with the same
        key and arguments returns the first id and writes nothing; the same
        key with other arguments raises ConflictError.  recorded_by names who
        records it: someone with authority over the unit or a union cadre over
        it (docs/activities.md, "Who may record"), else PermissionDenied
        (NotFoundError for an unknown employee); 0 records it unchecked."""
        s = _Strings()
        r = ffi.new("cbc_training_record *")
        check(lib.cbc_training_record_init(r, lib.CBC_TRAINING_RECORD_VERSION))
        r.kind = to_c(TrainingKind, kind, "kind")
        r.unit_id, r.minutes = unit_id, minutes
        r.held_at = db_seconds(self, held_at, "held_at")
        r.title = s(title)
        carray, r.n_attendees = _attendees(attendees)
        r.attendees = s.keep(carray)
        r.request_key = s(request_key)
        r.recorded_by = recorded_by
        out = ffi.new("int64_t *")
        check(lib.cbc_training_add(out, self._ptr, r))
        return int(out[0])

    def training(self, training_id: int) -> Training:
        """One Training with its attendees."""
        return _fetch("cbc_training **",
                      lambda out: lib.cbc_training_lookup(out, self._ptr, training_id),
                      lambda t: _training(t, self.utc_offset), lib.cbc_training_free)

    # -- drills -----------------------------------------------------------
    def add_drill(self, unit_id: int, held_at: TimeLike, scenario: str,
                  team_ids: Iterable[int], request_key: Optional[str] = None,
                  recorded_by: int = 0) -> int:
        """Record an emergency drill held by an enterprise or workshop; returns its
        id.  request_key and recorded_by: as add_training()."""
        s = _Strings()
        r = ffi.new("cbc_drill_record *")
        check(lib.cbc_drill_record_init(r, lib.CBC_DRILL_RECORD_VERSION))
        r.unit_id, r.scenario = unit_id, s(scenario)
        r.held_at = db_seconds(self, held_at, "held_at")
        teams, r.n_teams = _ids(team_ids)
        r.team_ids = s.keep(teams)
        r.request_key = s(request_key)
        r.recorded_by = recorded_by
        out = ffi.new("int64_t *")
        check(lib.cbc_drill_add(out, self._ptr, r))
        return int(out[0])

    def drill(self, drill_id: int) -> Drill:
        """Look a drill up by id (a voided one too); returns a Drill.  Raises
        NotFoundError."""
        return _fetch("cbc_drill **", lambda out: lib.cbc_drill_lookup(out, self._ptr, drill_id),
                      lambda d: _drill(d, self.utc_offset), lib.cbc_drill_free)

    # -- supervision ------------------------------------------------------
    def assign_cadre(self, cadre_id: int, unit_id: int, start: TimeLike, end: TimeLike = 0,
                     request_key: Optional[str] = None, actor_id: int = 0) -> int:
        """Assign a union cadre to a unit (包靠) for [start, end), end 0 or None
        while open-ended; returns the assignment's id.  request_key: as
        add_training() (cbc_cadre_assign_keyed).  actor_id names who assigns
        (cbc_cadre_assign_by): a union cadre over the unit, else
        PermissionDenied (NotFoundError for an unknown employee); 0 assigns
        unchecked."""
        start, end = db_seconds(self, start, "start"), db_seconds(self, end, "end")
        out = ffi.new("int64_t *")
        if actor_id:
            s = _Strings()
            check(lib.cbc_cadre_assign_by(out, self._ptr, actor_id, cadre_id, unit_id, start, end,
                                          s(request_key)))
        elif request_key is None:
            check(lib.cbc_cadre_assign(out, self._ptr, cadre_id, unit_id, start, end))
        else:
            s = _Strings()
            check(lib.cbc_cadre_assign_keyed(out, self._ptr, cadre_id, unit_id, start, end,
                                             s(request_key)))
        return int(out[0])

    def release_cadre(self, assignment_id: int, at: TimeLike, actor_id: int = 0) -> None:
        """End an open-ended assignment at `at`.  actor_id names who releases it
        (cbc_cadre_release_by): a union cadre over its unit, else
        PermissionDenied; 0 releases it unchecked."""
        at = db_seconds(self, at, "at")
        if actor_id:
            check(lib.cbc_cadre_release_by(self._ptr, assignment_id, actor_id, at))
        else:
            check(lib.cbc_cadre_release(self._ptr, assignment_id, at))

    def add_visit(self, cadre_id: int, unit_id: int, visited_at: TimeLike,
                  findings: str = "", request_key: Optional[str] = None) -> int:
        """Record a supervision visit; returns its id.  request_key: as add_training()."""
        s = _Strings()
        r = ffi.new("cbc_visit_record *")
        check(lib.cbc_visit_record_init(r, lib.CBC_VISIT_RECORD_VERSION))
        r.cadre_id, r.unit_id = cadre_id, unit_id
        r.visited_at = db_seconds(self, visited_at, "visited_at")
        r.findings = s(findings)
        r.request_key = s(request_key)
        out = ffi.new("int64_t *")
        check(lib.cbc_visit_add(out, self._ptr, r))
        return int(out[0])

    # -- proposals --------------------------------------------------------
    def submit_proposal(self, proposer_id: int, title: str, text: str, unit_id: int = 0,
                        request_key: Optional[str] = None) -> int:
        """Submit a proposal (unit_id 0: the proposer's own team); returns its id.
        request_key: as add_training()."""
        s = _Strings()
        r = ffi.new("cbc_proposal_record *")
        check(lib.cbc_proposal_record_init(r, lib.CBC_PROPOSAL_RECORD_VERSION))
        r.proposer_id, r.unit_id, r.title, r.text = proposer_id, unit_id, s(title), s(text)
        r.request_key = s(request_key)
        out = ffi.new("int64_t *")
        check(lib.cbc_proposal_submit(out, self._ptr, r))
        return int(out[0])

    def decide_proposal(self, proposal_id: int, actor_id: int, adopted: bool,
                        note: Optional[str] = None) -> None:
        """Adopt a submitted proposal or not, as its enterprise's principal,
        safety officer or workshop director, or the union over its unit
        (PermissionDenied for anyone else); a second decision raises
        StateError."""
        s = _Strings()
        check(lib.cbc_proposal_decide(self._ptr, proposal_id, actor_id, 1 if adopted else 0,
                                      s(note)))

    def proposal(self, proposal_id: int) -> Proposal:
        """Look a proposal up by id; returns a Proposal.  Raises NotFoundError."""
        return _fetch("cbc_proposal **",
                      lambda out: lib.cbc_proposal_lookup(out, self._ptr, proposal_id),
                      lambda p: _proposal(p, self.utc_offset), lib.cbc_proposal_free)

    def visit(self, visit_id: int) -> Visit:
        """One Visit."""
        return _fetch("cbc_visit **", lambda out: lib.cbc_visit_lookup(out, self._ptr, visit_id),
                      lambda v: _visit(v, self.utc_offset), lib.cbc_visit_free)

    def cadre_assignment(self, assignment_id: int) -> CadreAssignment:
        """One CadreAssignment."""
        return _fetch("cbc_cadre_assignment **",
                      lambda out: lib.cbc_cadre_assignment_lookup(out, self._ptr, assignment_id),
                      lambda a: _assignment(a, self.utc_offset),
                      lib.cbc_cadre_assignment_free)

    # -- listings and voiding ---------------------------------------------
    def activities(self, kind: Union[ActivityKind, int, str], unit_id: int = 0,
                   start: TimeLike = 0, end: TimeLike = 0,
                   with_voided: bool = False) -> _Iterator[Any]:
        """Iterate the records of an ActivityKind of a unit's subtree (0: every
        unit) in [start, end) (0 or None: open; a date as end leaves that day
        out), by time then id; voided ones only with
        with_voided.  Trainings and drills come without attendees and teams."""
        prefix, convert = _LISTINGS[ActivityKind.coerce(kind, "kind")]
        f = ffi.new("cbc_activity_filter *")
        check(lib.cbc_activity_filter_init(f, lib.CBC_ACTIVITY_FILTER_VERSION))
        f.unit_id, f.to = unit_id, db_seconds(self, end, "end")
        setattr(f, "from", db_seconds(self, start, "start"))
        f.flags = lib.CBC_ACTIVITY_WITH_VOIDED if with_voided else 0
        o = self.utc_offset  # the offset now, for every row
        return _Iterator(self, prefix + "_iter",
                         lambda out: getattr(lib, prefix + "_iter_new")(out, self._ptr, f),
                         prefix, getattr(lib, prefix + "_iter_next"),
                         getattr(lib, prefix + "_iter_free"),
                         lambda r: convert(r, o))

    def trainings(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0,
                  with_voided: bool = False) -> _Iterator[Training]:
        """Training sessions held by the subtree in [start, end) (see activities())."""
        return self.activities(ActivityKind.TRAINING, unit_id, start, end, with_voided)

    def drills(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0,
               with_voided: bool = False) -> _Iterator[Drill]:
        """Drills held by the subtree in [start, end) (see activities())."""
        return self.activities(ActivityKind.DRILL, unit_id, start, end, with_voided)

    def visits(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0,
               with_voided: bool = False) -> _Iterator[Visit]:
        """Supervision visits to the subtree in [start, end) (see activities())."""
        return self.activities(ActivityKind.VISIT, unit_id, start, end, with_voided)

    def proposals(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0,
                  with_voided: bool = False) -> _Iterator[Proposal]:
        """Proposals about the subtree submitted in [start, end) (see activities())."""
        return self.activities(ActivityKind.PROPOSAL, unit_id, start, end, with_voided)

    def cadre_assignments(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0,
                          with_voided: bool = False) -> _Iterator[CadreAssignment]:
        """Cadre assignments to the subtree overlapping [start, end) (see activities())."""
        return self.activities(ActivityKind.ASSIGNMENT, unit_id, start, end, with_voided)

    def void_activity(self, kind: Union[ActivityKind, int, str], record_id: int, actor_id: int,
                      reason: str) -> None:
        """Void an activity record (ActivityKind): kept, marked with when, by whom
        and why, and no longer counted.  Raises StateError when it was already
        voided, PermissionDenied when the actor may not void it, NotFoundError
        for an unknown record or actor, InvalidError for a bad reason."""
        s = _Strings()
        kind = to_c(ActivityKind, kind, "kind")
        check(lib.cbc_activity_void(self._ptr, kind, record_id, actor_id, s(reason)))

    def activity_moves(self, kind: Union[ActivityKind, int, str], record_id: int,
                       actor_id: int) -> ActivityMove:
        """What actor_id may do to an activity record now (cbc_activity_moves;
        docs/activities.md, "What may this person do"), for a front end to
        offer only that: ActivityMove.VOID while it stands and the person may
        void it, DECIDE for a proposal not yet decided that the person may
        decide, RELEASE for an open assignment the person may release
        (release_cadre() with actor_id).  ActivityMove(0) for nothing, and for
        an employee who left.  NotFoundError for an unknown record or
        employee; InvalidError for an id below 1."""
        out = ffi.new("unsigned int *")
        check(lib.cbc_activity_moves(out, self._ptr, to_c(ActivityKind, kind, "kind"),
                                     record_id, actor_id))
        return ActivityMove(out[0])

    def may_record(self, kind: Union[ActivityKind, int, str], unit_id: int,
                   actor_id: int) -> bool:
        """Whether actor_id may record an activity of `kind` on the unit now
        (cbc_activity_may_record; docs/activities.md, "Who may record"), for a
        front end to offer the form only then: the unit may hold it (open, of
        a kind the add call takes) and the person may record it there — a
        training or drill: authority over the unit or a union cadre over it
        (recorded_by); an assignment: a union cadre over it (actor_id); a
        visit: an active union cadre (the visiting cadre); a proposal: an
        active employee (the proposer; unit_id 0 for their own unit).
        NotFoundError for an unknown unit or employee; InvalidError for a bad
        id."""
        out = ffi.new("int *")
        check(lib.cbc_activity_may_record(out, self._ptr, to_c(ActivityKind, kind, "kind"),
                                          unit_id, actor_id))
        return bool(out[0])

    # -- participation and compliance -------------------------------------
    def took_part(self, employee_id: int, start: TimeLike, end: TimeLike) -> bool:
        """Whether the employee took part in the campaign in [start, end)."""
        start, end = db_seconds(self, start, "start"), db_seconds(self, end, "end")
        out = ffi.new("int *")
        check(lib.cbc_employee_took_part(out, self._ptr, employee_id, start, end))
        return bool(out[0])

    def untrained(self, unit_id: int, year: int) -> List[int]:
        """The ids of the subtree's active employees who passed no training in `year`."""
        return _array("int64_t **",
                      lambda out, n: lib.cbc_compliance_untrained(out, n, self._ptr, unit_id,
                                                                  year), int)

    def training_needs(self, unit_id: int, at: TimeLike = 0) -> List[TrainingNeed]:
        """TrainingNeeds of the subtree's active employees at `at` (0: now), by id."""
        at = db_seconds(self, at, "at")
        return _array("cbc_training_need **",
                      lambda out, n: lib.cbc_compliance_training_needs(out, n, self._ptr,
                                                                       unit_id, at),
                      lambda n: _need(n, self.utc_offset))

    def drill_gaps(self, unit_id: int, year: int) -> List[DrillGap]:
        """DrillGaps: where the drill rule was missed in calendar year `year`."""
        return _array("cbc_drill_gap **",
                      lambda out, n: lib.cbc_compliance_drills(out, n, self._ptr, unit_id, year),
                      _gap)
