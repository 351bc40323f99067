"""The statistics API (cbc/stats.h): StatsMixin, inherited by Database."""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, List, Tuple, Union

from ._cbc import ffi, lib
from ._enum import to_c, to_c_lenient
from ._support import _DatabaseBase, _fetch, _items, _period, _string
from ._time import bound as _t, db_seconds, db_time, to_seconds
from .errors import check
from .types import Time, TimeLike
from .types import (Breakdown, CheckItem, Dimension, Form, HazardCategory, HazardKind,
                    HazardSource, Level, Period, PeriodKind, Severity, StatsCount,
                    StatsFormat)

__all__ = ["StatsMixin", "form_title", "hazard_table_title"]

# The scalar fields shared by Form and cbc_stats_form, and by Breakdown and
# cbc_stats_breakdown, after (unit_id, start, end) = (unit_id, from, to).
_FORM_FIELDS = [f.name for f in dataclasses.fields(Form)][3:]
_BREAKDOWN_FIELDS = [f.name for f in dataclasses.fields(Breakdown)][3:-1]

# The enum each breakdown dimension counts values of.
_DIMENSION_VALUES = {Dimension.SEVERITY: Severity, Dimension.KIND: HazardKind,
                     Dimension.CATEGORY: HazardCategory, Dimension.CHECK_ITEM: CheckItem,
                     Dimension.SOURCE: HazardSource, Dimension.RESOLVED_LEVEL: Level}


@dataclasses.dataclass(frozen=True)
class RebuildProgress:
    """Where a stepwise rebuild of the aggregates stands after a step
    (Database.rebuild_stats_step()): attribution units (enterprises and
    region nodes) rebuilt of all, and what the step did."""
    units_done: int
    units_total: int
    rows_cleared: int
    records: int
    done: bool


def form_title() -> str:
    """The official form's title, "“查保促”集中行动情况统计表" (cbc_stats_form_title)."""
    title: str = ffi.string(lib.cbc_stats_form_title()).decode("utf-8")
    return title


def hazard_table_title() -> str:
    """The hazard statistics table's title, "生产经营单位事故隐患排查治理情况统计分析表"
    (cbc_hazard_table_title)."""
    title: str = ffi.string(lib.cbc_hazard_table_title()).decode("utf-8")
    return title


# -- C to Python -----------------------------------------------------------
# Each conversion takes the record and the UTC offset o of its times.
def _form(f: Any, o: int) -> Form:
    return Form(f.unit_id, _t(getattr(f, "from"), o), _t(f.to, o),
                *(getattr(f, n) for n in _FORM_FIELDS))


def _py_period(p: Any, offset: int) -> Period:
    return Period(PeriodKind(p.kind), p.year, p.number, getattr(p, "from"), p.to, offset)


def _value(dimension: Dimension, value: Any) -> Any:
    try:
        return _DIMENSION_VALUES[dimension](value)
    except ValueError:  # a value this binding's enums do not know
        return value


def _count(c: Any) -> StatsCount:
    dimension = Dimension(c.dimension)
    return StatsCount(dimension, _value(dimension, c.value), c.count)


def _breakdown(b: Any, o: int) -> Breakdown:
    return Breakdown(b.unit_id, _t(getattr(b, "from"), o), _t(b.to, o),
                     **{n: getattr(b, n) for n in _BREAKDOWN_FIELDS},
                     counts=[_count(c) for c in _items(b.counts, b.n_counts)])


def _forms(forms: Any, o: int) -> List[Form]:
    """Forms from a cbc_stats_forms (not freed here)."""
    return [_form(f, o) for f in _items(forms.forms, forms.count)]


# -- Python to C -----------------------------------------------------------
def _c_form(form: Form) -> Any:
    c = ffi.new("cbc_stats_form *")
    c.unit_id, c.to = form.unit_id, to_seconds(form.end, None, "end")
    setattr(c, "from", to_seconds(form.start, None, "start"))
    for n in _FORM_FIELDS:
        setattr(c, n, getattr(form, n))
    return c


def _c_breakdown(breakdown: Breakdown) -> Any:
    """A cbc_stats_breakdown and the counts array it points to (keep both alive)."""
    c = ffi.new("cbc_stats_breakdown *")
    c.unit_id, c.to = breakdown.unit_id, to_seconds(breakdown.end, None, "end")
    setattr(c, "from", to_seconds(breakdown.start, None, "start"))
    for n in _BREAKDOWN_FIELDS:
        setattr(c, n, getattr(breakdown, n))
    counts = ffi.new("cbc_stats_count[]", max(len(breakdown.counts), 1))
    for i, x in enumerate(breakdown.counts):
        dimension = Dimension.coerce(x.dimension, "dimension")
        counts[i].dimension, counts[i].count = dimension, x.count
        counts[i].value = to_c_lenient(_DIMENSION_VALUES[dimension], x.value, "value")
    c.counts, c.n_counts = counts, len(breakdown.counts)
    return c, counts


def _flags(from_records: bool) -> Any:
    return lib.CBC_STATS_FROM_RECORDS if from_records else 0


class StatsMixin(_DatabaseBase):
    """The statistics calls of Database: periods, forms, series, drill-down,
    breakdowns, renderings and the rebuild of the aggregates."""

    def period_bounds(self, period: Period) -> Tuple[datetime.datetime, datetime.datetime]:
        """The times [start, end) a Period covers in the database's UTC offset, as
        aware datetimes in it."""
        start, end = ffi.new("int64_t *"), ffi.new("int64_t *")
        check(lib.cbc_period_bounds(start, end, self._ptr, _period(period)))
        return _t(start[0], self.utc_offset), _t(end[0], self.utc_offset)

    def period_containing(self, kind: Union[PeriodKind, int, str], t: TimeLike) -> Period:
        """The month, quarter or year (PeriodKind) containing time t, in the
        database's UTC offset."""
        p = ffi.new("cbc_period *")
        kind, t = to_c(PeriodKind, kind, "kind"), db_seconds(self, t, "t")
        check(lib.cbc_period_containing(p, self._ptr, kind, t))
        return _py_period(p, self.utc_offset)

    def parse_period(self, text: str) -> Period:
        """A Period from "2026-11", "2026-Q4", "2026" or "2026-11-01..2026-11-15"
        (days, both included; or times); raises InvalidError naming the forms."""
        if not isinstance(text, str):
            raise TypeError("text: expected str, got %s" % type(text).__name__)
        p = ffi.new("cbc_period *")
        check(lib.cbc_period_parse(p, self._ptr, text.encode("utf-8")))
        return _py_period(p, self.utc_offset)

    def format_period(self, period: Period) -> str:
        """The canonical text of a Period, which parse_period() reads back."""
        buf = ffi.new("char[]", lib.CBC_PERIOD_TEXT_MAX)
        check(lib.cbc_period_format(buf, len(buf), self._ptr, _period(period)))
        text: str = ffi.string(buf).decode("utf-8")
        return text

    # -- forms ------------------------------------------------------------
    def form(self, unit_id: int, period: Period, from_records: bool = False) -> Form:
        """The official Form for a node and Period, over its subtree; from_records
        computes it from the records even where aggregates exist (audits)."""
        p = _period(period)
        return _fetch("cbc_stats_form **",
                      lambda out: lib.cbc_stats_form_get(out, self._ptr, unit_id, p,
                                                         _flags(from_records)),
                      lambda f: _form(f, self.utc_offset), lib.cbc_stats_form_free)

    def render(self, form: Form, fmt: Union[StatsFormat, int, str] = StatsFormat.TEXT) -> str:
        """A Form rendered as text (the paper form), JSON or CSV (StatsFormat)."""
        c, fmt = _c_form(form), to_c(StatsFormat, fmt, "fmt")
        return _string(lambda out: lib.cbc_stats_form_render(out, self._ptr, c, fmt))

    def form_text(self, unit_id: int, period: Period, from_records: bool = False) -> str:
        """form() rendered as text (render(form, StatsFormat.TEXT))."""
        return self.render(self.form(unit_id, period, from_records), StatsFormat.TEXT)

    def form_json(self, unit_id: int, period: Period, from_records: bool = False) -> str:
        """form() rendered as JSON (render(form, StatsFormat.JSON))."""
        return self.render(self.form(unit_id, period, from_records), StatsFormat.JSON)

    def form_csv(self, unit_id: int, period: Period, from_records: bool = False) -> str:
        """form() rendered as CSV (render(form, StatsFormat.CSV))."""
        return self.render(self.form(unit_id, period, from_records), StatsFormat.CSV)

    def series(self, unit_id: int, year: int, month: int, months: int) -> List[Form]:
        """A node's Forms for `months` calendar months from year/month on."""
        return _fetch("cbc_stats_forms **",
                      lambda out: lib.cbc_stats_series(out, self._ptr, unit_id, year, month,
                                                       months),
                      lambda f: _forms(f, self.utc_offset), lib.cbc_stats_forms_free)

    def child_forms(self, unit_id: int, period: Period, from_records: bool = False) -> List[Form]:
        """The Forms of a node's open children for a Period, in id order (drill-down;
        cbc_stats_children, named so as not to hide Database.children)."""
        p = _period(period)
        return _fetch("cbc_stats_forms **",
                      lambda out: lib.cbc_stats_children(out, self._ptr, unit_id, p,
                                                         _flags(from_records)),
                      lambda f: _forms(f, self.utc_offset), lib.cbc_stats_forms_free)

    # -- breakdowns -------------------------------------------------------
    def breakdown(self, unit_id: int, period: Period) -> Breakdown:
        """A node's hazards in a Period broken down, with rates (a Breakdown)."""
        p = _period(period)
        return _fetch("cbc_stats_breakdown **",
                      lambda out: lib.cbc_stats_breakdown_get(out, self._ptr, unit_id, p),
                      lambda b: _breakdown(b, self.utc_offset), lib.cbc_stats_breakdown_free)

    def render_breakdown(self, breakdown: Breakdown,
                         fmt: Union[StatsFormat, int, str] = StatsFormat.JSON) -> str:
        """A Breakdown rendered as JSON or CSV (StatsFormat); TEXT raises InvalidError."""
        fmt = to_c(StatsFormat, fmt, "fmt")
        c, counts = _c_breakdown(breakdown)  # counts: alive while C reads c.counts
        return _string(lambda out: lib.cbc_stats_breakdown_render(out, self._ptr, c, fmt))

    # -- the hazard table ---------------------------------------------------
    def hazard_table(self, unit_id: int, period: Period,
                     fmt: Union[StatsFormat, int, str] = StatsFormat.JSON) -> str:
        """The hazard statistics table an enterprise files each quarter and year
        (生产经营单位事故隐患排查治理情况统计分析表) for a node's subtree and a
        Period, rendered as StatsFormat TEXT, JSON (a "total" and a row per
        industry, figures keyed by HazardTableFigure names) or CSV
        (docs/statistics.md, "The hazard table")."""
        p, f = _period(period), to_c(StatsFormat, fmt, "fmt")
        table = ffi.new("cbc_hazard_table **")
        check(lib.cbc_hazard_table_get(table, self._ptr, unit_id, p))
        try:
            return _string(lambda out: lib.cbc_hazard_table_render(out, self._ptr, table[0], f))
        finally:
            lib.cbc_hazard_table_free(table[0])

    # -- aggregates -------------------------------------------------------
    def rebuild_stats(self) -> None:
        """Rebuild the aggregates from the records (after a bulk load with
        defer_stats=True, a change of UTC offset, or to repair them), in
        bounded steps of their own transactions; a rebuild interrupted goes
        on from its last step.  Raises StateError on a handle that defers
        them."""
        check(lib.cbc_stats_rebuild(self._ptr))

    def rebuild_stats_step(self, max_work: int = 20000, anew: bool = False) -> RebuildProgress:
        """One bounded step of rebuilding the aggregates, in its own
        transaction: as many whole enterprises as fit max_work records (at
        least one).  Call it until .done; other handles may write between
        steps, and forms stay right meanwhile.  anew also rebuilds complete
        aggregates; a rebuild under way goes on either way.  Raises
        InvalidError for max_work < 1, StateError on a deferring handle."""
        if not isinstance(max_work, int) or isinstance(max_work, bool):
            raise TypeError("max_work must be an int")
        p = ffi.new("cbc_stats_progress *", {"version": lib.CBC_STATS_PROGRESS_VERSION})
        rc = lib.cbc_stats_rebuild_step(self._ptr, max_work,
                                        lib.CBC_STATS_REBUILD_ANEW if anew else 0, p)
        if rc < 0:
            check(rc)
        return RebuildProgress(p.units_done, p.units_total, p.rows_cleared, p.records, rc == 0)
