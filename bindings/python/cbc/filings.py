"""The filing API (cbc/filing.h): FilingsMixin, inherited by Database."""
from __future__ import annotations

import datetime
from typing import Any, FrozenSet, Optional, Union

from ._cbc import ffi, lib
from ._enum import to_c
from ._support import _DatabaseBase, _Strings, _fetch, _items, _period, _text
from ._time import bound, from_seconds as _t
from .errors import check
from .history import _checkpoint
from .stats import _py_period
from .types import (Filing, FilingKind, FilingState, FilingStatus, FilingStatusEntry, Period,
                    PeriodKind)

__all__ = ["FilingsMixin", "filing_kind_periods"]


def filing_kind_periods(kind: Union[FilingKind, int, str]) -> FrozenSet[PeriodKind]:
    """The period kinds a report (FilingKind) is filed for, as the library
    says (cbc_filing_kind_periods): the monthly form a MONTH, the hazard table
    and the congress report a QUARTER or a YEAR, the major-hazard report none
    (it is filed for a hazard).  Raises InvalidError for an unknown kind."""
    out = ffi.new("unsigned int *")
    check(lib.cbc_filing_kind_periods(out, to_c(FilingKind, kind, "kind")))
    return frozenset(k for k in PeriodKind if out[0] & (1 << int(k)))


# -- C to Python -----------------------------------------------------------
# Each conversion takes the record and the UTC offset o of its times.
def _filing(f: Any, o: int) -> Filing:
    period = _py_period(f.period, o) if f.period.kind else None
    return Filing(f.id, FilingKind(f.kind), f.unit_id, period, f.version,
                  f.filed_by, f.signed_by, _t(f.filed_at, o), bound(f.due_at, o), bool(f.late),
                  _text(f.note), _text(f.json), _text(f.text), _text(f.csv), f.hazard_id,
                  _checkpoint(f.checkpoint))


def _entry(e: Any, o: int) -> FilingStatusEntry:
    return FilingStatusEntry(e.unit_id, FilingState(e.state), e.versions,
                             _t(e.first_filed_at, o), _t(e.last_filed_at, o))


def _status(st: Any, o: int) -> FilingStatus:
    return FilingStatus(st.unit_id, FilingKind(st.kind), _py_period(st.period, o),
                        bound(st.due_at, o), bound(st.at, o),
                        tuple(_entry(e, o) for e in _items(st.entries, st.n_entries)),
                        st.on_time, st.late, st.missing, st.pending)


class FilingsMixin(_DatabaseBase):
    """The filing calls of Database: a unit files its monthly form or its
    hazard table for a period as an immutable snapshot (every version kept),
    and a node sees who under it filed on time, late or not at all
    (docs/filing.md)."""

    def file_report(self, kind: Union[FilingKind, int, str], unit_id: int, period: Period,
                    signed_by: int, actor_id: int, note: Optional[str] = None) -> int:
        """File a report (FilingKind) of unit_id for a Period, filled in by
        actor_id and signed by signed_by: the library renders it from the
        records now and keeps the renderings as a new version; returns the
        filing's id.

        The monthly form (a MONTH) is filed by an enterprise or a region
        node: the filer and the signer are union cadres of the unit (in the
        enterprise, or sitting in the region node; the signer may be the
        filer).  The hazard table (a QUARTER or a YEAR) is filed by an
        enterprise: the filer is its safety officer or a principal, the
        signer a principal.  Raises InvalidError (a bad record or note, a
        period of the wrong kind or not yet begun), NotFoundError (unknown
        unit, actor or signer), StateError (a closed unit, or one of a kind
        that does not file this report), PermissionDenied (the actor or the
        signer may not: the message names the rule; a read-only database),
        BusyError, IOFailure; on an error nothing is filed."""
        s = _Strings()
        rec = ffi.new("cbc_filing_record *")
        check(lib.cbc_filing_record_init(rec, lib.CBC_FILING_RECORD_VERSION))
        rec.kind = to_c(FilingKind, kind, "kind")
        rec.unit_id, rec.signed_by = unit_id, signed_by
        rec.period = _period(period)[0]
        rec.note = s(note)
        out = ffi.new("int64_t *")
        check(lib.cbc_filing_submit(out, self._ptr, actor_id, rec))
        return int(out[0])

    def file_major_hazard_report(self, hazard_id: int, unit_id: int, signed_by: int,
                                 actor_id: int, cause: str, harm: str, difficulty: str,
                                 note: Optional[str] = None) -> int:
        """File the prompt report of a registered major hazard (重大事故隐患报告)
        for its enterprise unit_id, filled in by actor_id (a safety officer
        or a principal of the enterprise) and signed by signed_by (a
        principal): the hazard's state as the library renders it now, the
        analysis given here (how it came about, the harm it can do, how hard
        it is to rectify; each required) and its rectification plan, kept as
        a new version; returns the filing's id.  It is due the policy's
        major_hazard_report_days days after the day the hazard was reported.
        Raises InvalidError (a missing or bad text, a hazard of another
        enterprise), NotFoundError (unknown hazard, unit, actor or signer),
        StateError (not a registered major hazard), PermissionDenied,
        BusyError, IOFailure; on an error nothing is filed."""
        s = _Strings()
        rec = ffi.new("cbc_filing_record *")
        check(lib.cbc_filing_record_init(rec, lib.CBC_FILING_RECORD_VERSION))
        rec.kind = lib.CBC_FILING_MAJOR_HAZARD_REPORT
        rec.unit_id, rec.signed_by, rec.hazard_id = unit_id, signed_by, hazard_id
        rec.cause, rec.harm, rec.difficulty, rec.note = s(cause), s(harm), s(difficulty), s(note)
        out = ffi.new("int64_t *")
        check(lib.cbc_filing_submit(out, self._ptr, actor_id, rec))
        return int(out[0])

    def major_hazard_report(self, hazard_id: int, version: int = 0) -> Filing:
        """A version of a hazard's major-hazard report: 1 for the first, 0 for
        the newest (cbc_filing_get_for_hazard).  Raises NotFoundError (no
        such hazard or version), InvalidError (a negative version)."""
        return _fetch("cbc_filing **",
                      lambda out: lib.cbc_filing_get_for_hazard(out, self._ptr, hazard_id,
                                                                version),
                      lambda f: _filing(f, self.utc_offset), lib.cbc_filing_free)

    def hazard_reportable(self, hazard_id: int) -> bool:
        """Whether a hazard takes the major-hazard report
        (FilingKind.MAJOR_HAZARD_REPORT): registered major and not rejected
        (cbc_filing_hazard_reportable; who may file it is file_report's to
        say).  Raises NotFoundError (no such hazard)."""
        out = ffi.new("int *")
        check(lib.cbc_filing_hazard_reportable(out, self._ptr, hazard_id))
        return bool(out[0])

    def filing(self, filing_id: int) -> Filing:
        """A Filing by its id.  Raises NotFoundError."""
        return _fetch("cbc_filing **",
                      lambda out: lib.cbc_filing_lookup(out, self._ptr, filing_id),
                      lambda f: _filing(f, self.utc_offset), lib.cbc_filing_free)

    def filing_version(self, unit_id: int, kind: Union[FilingKind, int, str], period: Period,
                       version: int = 0) -> Filing:
        """A version of what a unit filed (FilingKind) for a Period: 1 for the
        first, 0 for the newest.  Raises NotFoundError (nothing filed, or
        fewer versions), InvalidError (a period of the wrong kind, a negative
        version)."""
        k, p = to_c(FilingKind, kind, "kind"), _period(period)
        return _fetch("cbc_filing **",
                      lambda out: lib.cbc_filing_get(out, self._ptr, unit_id, k, p, version),
                      lambda f: _filing(f, self.utc_offset), lib.cbc_filing_free)

    def filing_due(self, kind: Union[FilingKind, int, str], period: Period) -> datetime.datetime:
        """The due date of a report (FilingKind) for a Period: the last second
        of its due day in the database's UTC offset, as an aware datetime.
        The hazard table is due the 15th of the month after a quarter and
        31 January after a year; the monthly form by the current policy's
        monthly_form_due_day (of the month, or of the next one with
        monthly_form_due_next_month).  Raises InvalidError for a period of
        the wrong kind."""
        k, p = to_c(FilingKind, kind, "kind"), _period(period)
        out = ffi.new("int64_t *")
        check(lib.cbc_filing_due(out, self._ptr, k, p))
        return bound(out[0], self.utc_offset)

    def filing_status(self, unit_id: int, kind: Union[FilingKind, int, str],
                      period: Period) -> FilingStatus:
        """Who under a node owes a report (FilingKind) for a Period, and where
        each stands now (a FilingStatus).  The monthly form is owed to a node
        by its open children that are enterprises or region nodes; the hazard
        table by every open enterprise in its subtree (the node itself when
        it is one).  Raises NotFoundError (unknown node), InvalidError (a
        period of the wrong kind)."""
        k, p = to_c(FilingKind, kind, "kind"), _period(period)
        return _fetch("cbc_filing_status **",
                      lambda out: lib.cbc_filing_status_get(out, self._ptr, unit_id, k, p),
                      lambda st: _status(st, self.utc_offset), lib.cbc_filing_status_free)
