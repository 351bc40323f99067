"""The library's records as pandas DataFrames with real dtypes (README, "pandas").

pandas is optional: `import cbc` and `import cbc.frames` work without it, and
each function raises ImportError naming the package (Debian's python3-pandas)
when it is called without.  Every function takes an iterable of one record
type (a ledger iterator, a list from a listing) and gives one row per record::

    import cbc.frames
    ledger = cbc.frames.hazards(db.hazards(states=cbc.OPEN_STATES),
                                utc_offset=db.utc_offset)

The columns follow the record's fields, in order, with these dtypes:

- an enum (HazardState, Severity, ...): a pandas Categorical whose categories
  are every member of the enum, in value order, by name (labels=True: by the
  Chinese label); ordered for the scales and lifecycles (Severity, Level,
  HazardState, AwardState); a member left unset (None) is missing;
- a time: datetime64[ns, tz] in the database's UTC offset; a time the
  library leaves unset (None in the record) is NaT, never 1970;
- a reference to another record (a field named ``*_id`` or ``*_by``, and
  duplicate_of): the nullable Int64, <NA> where the library's 0 means none;
- other ints (counts, amounts in fen): int64; bools: bool; floats: float64;
- text: object, None where the library's text is empty (unset);
- lists, sets and dicts (attachments, team_ids, HazardEvent.data): object,
  the values as the record holds them;
- a nested record (Hazard.plan): its fields flattened as plan_<field>.

A record's own id, where it has one, is the index (int64, named "id").

utc_offset (seconds east of UTC, db.utc_offset) sets the zone of the time
columns; without it the zone is that of the records' own times, and for
records without any time (an empty ledger) the default of Database
(utc_offset_seconds): pass it when an empty result must have the same
dtypes as a full one.  Times outside pandas' nanosecond range (1677-2262)
raise pandas.errors.OutOfBoundsDatetime."""
from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib
import inspect
import typing
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union

from ._enum import CbcEnum
from .database import Database
from .types import (ActivityKind, Award, AwardState, CadreAssignment, Drill, Fine, Form, Hazard,
                    HazardEvent, HazardState, Level, Period, PeriodKind, Proposal, Severity,
                    Training, Visit)

__all__ = ["DataFrame", "hazards", "events", "forms", "series", "awards", "fines",
           "activities"]

#: What the functions return: a pandas.DataFrame (typed Any: the pandas of
#: Debian ships no type information).
DataFrame = Any

#: The enums whose order means something: scales (Severity, Level) and
#: lifecycles (HazardState, AwardState: the order of their moves, the
#: terminal refusal last).  Their categoricals are ordered, so that
#: frame.severity >= "MAJOR" and frame.state.max() work.
_ORDERED = frozenset({Severity, Level, HazardState, AwardState})

# The int fields that refer to another record: 0 there means "none".
_REFERENCE_SUFFIXES = ("_id", "_by")
_REFERENCE_NAMES = frozenset({"duplicate_of"})

# The record type of each ActivityKind's listing.
_ACTIVITY_RECORDS: Dict[ActivityKind, type] = {
    ActivityKind.TRAINING: Training, ActivityKind.DRILL: Drill, ActivityKind.VISIT: Visit,
    ActivityKind.PROPOSAL: Proposal, ActivityKind.ASSIGNMENT: CadreAssignment}

_MISSING_PANDAS = ("cbc.frames needs pandas, which is not installed (Debian: "
                   "apt install python3-pandas; elsewhere: pip install pandas)")


def _pandas() -> Any:
    """The pandas module, imported on first use (untyped: it has no stubs here)."""
    try:
        return importlib.import_module("pandas")
    except ImportError as e:
        raise ImportError(_MISSING_PANDAS) from e


def _default_offset() -> int:
    """The UTC offset a Database has unless told otherwise (its utc_offset_seconds)."""
    default: int = inspect.signature(Database.__init__).parameters["utc_offset_seconds"].default
    return default


# -- columns -----------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _Column:
    """One column of a record type: its name, the attribute path to its value
    (("plan", "goals") for plan_goals), its kind and, for an enum, its class."""
    name: str
    path: Tuple[str, ...]
    kind: str  # "enum", "time", "reference", "int", "bool", "float", "text" or "object"
    enum: Optional[Type[CbcEnum]] = None


def _optional_inner(hint: Any) -> Tuple[Any, ...]:
    """The types of a hint: (X,) for X and Optional[X]; the members of a Union."""
    if typing.get_origin(hint) is Union:
        return tuple(a for a in typing.get_args(hint) if a is not type(None))
    return (hint,)


def _kind(name: str, hint: Any) -> Tuple[str, Any]:
    """The kind of a field (_Column.kind, or "record" for a nested dataclass) and its class."""
    types = _optional_inner(hint)
    first = types[0] if len(types) == 1 else None
    if datetime.datetime in types:  # Time, and TimeLike (read back as a datetime)
        return "time", None
    if isinstance(first, type):
        if issubclass(first, CbcEnum):
            return "enum", first
        if dataclasses.is_dataclass(first):
            return "record", first
        if first is bool:
            return "bool", None
        if first is int:
            named = name.endswith(_REFERENCE_SUFFIXES) or name in _REFERENCE_NAMES
            return ("reference" if named else "int"), None
        if first is float:
            return "float", None
        if first is str:
            return "text", None
    return "object", None  # lists, sets, dicts, flags: as they are


@functools.lru_cache(maxsize=None)
def _columns(cls: type, prefix: Tuple[str, ...] = ()) -> Tuple[_Column, ...]:
    """The columns of a record type, in field order, nested records flattened."""
    hints = typing.get_type_hints(cls)
    columns: List[_Column] = []
    for f in dataclasses.fields(cls):
        path = prefix + (f.name,)
        kind, klass = _kind(f.name, hints[f.name])
        if kind == "record":
            columns.extend(_columns(klass, path))
        else:
            columns.append(_Column("_".join(path), path, kind, klass))
    return tuple(columns)


def _value(record: Any, path: Tuple[str, ...]) -> Any:
    """The value at an attribute path; None when a nested record is None."""
    for name in path:
        if record is None:
            return None
        record = getattr(record, name)
    return record


# -- values to arrays ----------------------------------------------------------
def _members(cls: Type[CbcEnum]) -> List[CbcEnum]:
    """The members of an enum in value order."""
    members: List[CbcEnum] = list(cls)
    return sorted(members, key=lambda m: m.value)


def _categories(cls: Type[CbcEnum], labels: bool) -> List[str]:
    """The category of each member of an enum, in value order: its name or label."""
    if labels:
        return [m.label or m.name for m in _members(cls)]
    return [m.name for m in _members(cls)]


def _categorical(pd: Any, values: Sequence[Any], cls: Type[CbcEnum], labels: bool) -> Any:
    """A Categorical over every member of cls; None is missing.  A number this
    binding does not know (a rule newer than the package) gets a category of
    its own, its number as text, rather than being lost."""
    categories = _categories(cls, labels)
    code_of = {int(m): i for i, m in enumerate(_members(cls))}
    codes = []
    for v in values:
        if v is None:
            codes.append(-1)
            continue
        if int(v) not in code_of:
            code_of[int(v)] = len(categories)
            categories.append(str(int(v)))
        codes.append(code_of[int(v)])
    return pd.Categorical.from_codes(codes, categories=categories, ordered=cls in _ORDERED)


def _times(pd: Any, values: Sequence[Any], tz: datetime.tzinfo) -> Any:
    """A datetime64[ns, tz] array of aware datetimes; None is NaT."""
    return pd.to_datetime(list(values), utc=True).tz_convert(tz).array


def _array(pd: Any, column: _Column, values: Sequence[Any], tz: datetime.tzinfo,
           labels: bool) -> Any:
    """The pandas array of one column's values (module docstring, the dtypes)."""
    if column.kind == "enum":
        assert column.enum is not None
        return _categorical(pd, values, column.enum, labels)
    if column.kind == "time":
        return _times(pd, values, tz)
    if column.kind == "reference":
        return pd.array([v if v else None for v in values], dtype="Int64")
    if column.kind == "text":
        return pd.array([v if v else None for v in values], dtype=object)
    dtypes = {"int": "int64", "bool": "bool", "float": "float64", "object": object}
    return pd.array(list(values), dtype=dtypes[column.kind])


def _zone(records: Sequence[Any], columns: Sequence[_Column],
          utc_offset: Optional[int]) -> datetime.tzinfo:
    """The zone of the time columns (module docstring)."""
    if utc_offset is None:
        for record in records:
            for column in columns:
                value = _value(record, column.path) if column.kind == "time" else None
                if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
                    return datetime.timezone(value.utcoffset() or datetime.timedelta())
        utc_offset = _default_offset()
    if isinstance(utc_offset, bool) or not isinstance(utc_offset, int):
        raise TypeError("utc_offset: expected int seconds, got %s" % type(utc_offset).__name__)
    return datetime.timezone(datetime.timedelta(seconds=utc_offset))


def _collect(records: Iterable[Any], cls: type, function: str) -> List[Any]:
    """The records as a list, each checked to be a cls."""
    if isinstance(records, (str, bytes)) or dataclasses.is_dataclass(records):
        raise TypeError("%s: expected an iterable of cbc.%s, got %s"
                        % (function, cls.__name__, type(records).__name__))
    rows = list(records)
    for row in rows:
        if not isinstance(row, cls):
            raise TypeError("%s: expected cbc.%s records, got %s"
                            % (function, cls.__name__, type(row).__name__))
    return rows


def _frame(records: Iterable[Any], cls: type, function: str, utc_offset: Optional[int],
           labels: bool) -> DataFrame:
    """The DataFrame of records of type cls: one column per field, indexed by
    id where the record has one."""
    pd = _pandas()
    rows = _collect(records, cls, function)
    columns = _columns(cls)
    tz = _zone(rows, columns, utc_offset)
    data = {c.name: _array(pd, c, [_value(r, c.path) for r in rows], tz, labels)
            for c in columns if c.name != "id"}
    if any(c.name == "id" for c in columns):
        index = pd.Index([r.id for r in rows], dtype="int64", name="id")
    else:
        index = pd.RangeIndex(len(rows))
    return pd.DataFrame(data, index=index, columns=list(data))


# -- the public functions --------------------------------------------------------
def hazards(records: Iterable[Hazard], *, utc_offset: Optional[int] = None,
            labels: bool = False) -> DataFrame:
    """The ledger as a DataFrame: one row per cbc.Hazard (db.hazards(...),
    db.hazard_page(...)[0], [db.hazard(id), ...]), indexed by hazard id.

    Enums (state, kind, category, check_item, source, proposed_severity,
    severity, level, resolved_level) are categoricals of every member (by name;
    labels=True: by Chinese label), severity, level and state ordered; times
    are datetime64[ns, tz] in utc_offset (default: the records' own), NaT where
    unset (a deadline before registration); reporter_id, responsible_id,
    duplicate_of, listed_by, submitted_by ... are Int64, <NA> for none; empty
    text is None; the plan's fields are plan_goals ... plan_time_limit (missing
    without a plan); attachments holds each hazard's list (empty in listings).
    Raises TypeError for anything but Hazards, ImportError without pandas."""
    return _frame(records, Hazard, "hazards", utc_offset, labels)


def events(records: Iterable[HazardEvent], *, utc_offset: Optional[int] = None,
           labels: bool = False) -> DataFrame:
    """A hazard's history (db.hazard_history(id)) as a DataFrame, one row per
    cbc.HazardEvent indexed by event id: action, from_state, to_state and level
    categoricals (from_state and level missing where unset), at a time, actor_id
    Int64, data the event's dict.  Raises as hazards()."""
    return _frame(records, HazardEvent, "events", utc_offset, labels)


def _period_text(form: Form) -> str:
    """The library's text of a form's period ("2026-11", "2026-Q4", "2026", or a range)."""
    period = _calendar_period(form)
    if period is None:
        assert form.start is not None and form.end is not None  # a form's bounds are set
        offset = form.start.utcoffset() or datetime.timedelta()
        period = Period(PeriodKind.RANGE, 0, 0, int(form.start.timestamp()),
                        int(form.end.timestamp()), int(offset.total_seconds()))
    return str(period)


def _month_start(t: Optional[datetime.datetime]) -> bool:
    return t is not None and (t.day, t.hour, t.minute, t.second, t.microsecond) == (1, 0, 0, 0, 0)


def _calendar_period(form: Form) -> Optional[Period]:
    """The calendar month, quarter or year [start, end) is, in the offset of its
    times (the database's); None for any other range."""
    start, end = form.start, form.end
    if not (_month_start(start) and _month_start(end)):
        return None
    assert start is not None and end is not None
    months = (end.year - start.year) * 12 + end.month - start.month
    if months == 1:
        return Period.month(start.year, start.month)
    if months == 3 and start.month % 3 == 1:
        return Period.quarter(start.year, (start.month - 1) // 3 + 1)
    if months == 12 and start.month == 1:
        return Period.year(start.year)
    return None


def forms(records: Iterable[Form], *, utc_offset: Optional[int] = None) -> DataFrame:
    """Forms (db.child_forms(...), db.series(...), [db.form(...), ...]) as a
    DataFrame, one row per cbc.Form in the given order: unit_id (Int64),
    period (the library's text: "2026-11", "2026-Q4", "2026", or a range as
    cbc.Period formats it), start and end (datetime64[ns, tz] in utc_offset,
    default the forms' own), then every count of the form as int64.
    Raises TypeError for anything but Forms, ImportError without pandas."""
    rows = _collect(records, Form, "forms")
    frame = _frame(rows, Form, "forms", utc_offset, False)
    frame.insert(1, "period", _pandas().array([_period_text(f) for f in rows], dtype=object))
    return frame


_PANDAS_FREQ = {PeriodKind.MONTH: "M", PeriodKind.QUARTER: "Q-DEC", PeriodKind.YEAR: "A-DEC"}


def series(records: Iterable[Form], *, utc_offset: Optional[int] = None) -> DataFrame:
    """A node's series (db.series(unit, year, month, months)) as a DataFrame
    indexed by a pandas PeriodIndex named "period" (freq "M"; "Q-DEC" or
    "A-DEC" for quarters or years), sorted; the columns are those of forms()
    but the period.  Raises ValueError for forms that are not all calendar
    months (or all quarters, or all years) or that repeat a period (several
    units' forms: use forms()), TypeError and ImportError as forms()."""
    pd = _pandas()
    rows = _collect(records, Form, "series")
    periods = [_calendar_period(f) for f in rows]
    kinds = {p.kind if p is not None else None for p in periods} or {PeriodKind.MONTH}
    kind = kinds.pop()
    if kind is None or kinds:
        raise ValueError("series: every form must cover a calendar month (or every one a "
                         "quarter, or a year); got %s" % ", ".join(_period_text(f) for f in rows))
    index = pd.PeriodIndex([_pandas_period(pd, p) for p in periods], freq=_PANDAS_FREQ[kind],
                           name="period")
    if not index.is_unique:
        raise ValueError("series: a period appears more than once (%s): one node's forms "
                         "make a series; forms() takes any" % ", ".join(
                             sorted({str(p) for p in index[index.duplicated()]})))
    frame = forms(rows, utc_offset=utc_offset).drop(columns="period")
    frame.index = index
    return frame.sort_index()


def _pandas_period(pd: Any, period: Optional[Period]) -> Any:
    """The pandas Period of a calendar month, quarter or year."""
    assert period is not None
    if period.kind == PeriodKind.MONTH:
        return pd.Period(year=period.calendar_year, month=period.number, freq="M")
    if period.kind == PeriodKind.QUARTER:
        return pd.Period(year=period.calendar_year, quarter=period.number, freq="Q-DEC")
    return pd.Period(year=period.calendar_year, freq="A-DEC")


def awards(records: Iterable[Award], *, utc_offset: Optional[int] = None,
           labels: bool = False) -> DataFrame:
    """Awards (db.awards(...), db.select_awards(...)) as a DataFrame indexed by
    award id: rule, subject_kind and state categoricals (state ordered; a rule
    newer than the package gets a category of its own number), the ``*_at``
    times NaT until their step is taken, the ``*_by`` and the hazard, proposal and unit
    ids Int64 (<NA> for none), amount_fen int64, empty texts None.  Raises
    TypeError for anything but Awards, ImportError without pandas."""
    return _frame(records, Award, "awards", utc_offset, labels)


def fines(records: Iterable[Fine], *, utc_offset: Optional[int] = None) -> DataFrame:
    """Fines (db.fines(...), RewardSummary.fine_list) as a DataFrame indexed by
    fine id: employee_id, unit_id, hazard_id (<NA> without a hazard) and
    issued_by Int64, amount_fen int64, issued_at a time, violation None when
    not given.  Raises TypeError for anything but Fines, ImportError without
    pandas."""
    return _frame(records, Fine, "fines", utc_offset, False)


def activities(records: Iterable[Any], kind: Union[ActivityKind, int, str], *,
               utc_offset: Optional[int] = None, labels: bool = False) -> DataFrame:
    """An activity listing (db.activities(kind, ...), db.trainings(...),
    db.drills(...), db.visits(...), db.proposals(...), db.cadre_assignments(...))
    as a DataFrame indexed by record id; kind (an ActivityKind) says which
    records they are, so that an empty listing has its columns too.  Times are
    NaT where unset (voided_at of a record that stands, the end of an
    open-ended assignment), references Int64, enums (TrainingKind,
    ProposalStatus) categoricals, lists (attendees, team_ids) objects.
    Raises TypeError for records of another kind, ImportError without pandas."""
    cls = _ACTIVITY_RECORDS[ActivityKind.coerce(kind, "kind")]
    return _frame(records, cls, "activities", utc_offset, labels)

