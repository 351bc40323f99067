"""统计: the official monthly form (“查保促”集中行动情况统计表) of any unit the
signed-in employee may read, for any period, as on paper and printable
(static/stats-print.css); its children side by side with drill-down; the
form as CSV and JSON downloads; and charts (static/stats.js over Apache
ECharts): the monthly series, the breakdowns, the rates and the counts.
Also the hazard statistics table of art. 14 (/stats/table, quarterly by
default), with its CSV and JSON, from db.hazard_table.

Every figure is the library's: db.form (from its aggregates, never
from_records), db.child_forms, db.series and db.breakdown — the page lists
no hazards and counts nothing itself, so a district's page costs what those
calls cost (docs/statistics.md, "Where the figures come from").  The
unit comes from the shared picker (units.py): one the employee may not read
is a 404; the period is the query's text as db.parse_period reads it (the
current month by default), a bad one a 400 with the library's message."""
from __future__ import annotations

import datetime
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlencode

import cbc
from flask import Blueprint, Response, g, render_template, request, send_file, url_for

from .database import get_db
from .export import disposition
from .pages import label, refusal
from .units import Picker, chosen_unit_id, picker

bp = Blueprint("stats", __name__)

#: How many months the series chart shows, ending with the period's last month.
SERIES_MONTHS = 12

#: The form's figures the series and the children's chart draw.
CHARTED_FIELDS = (cbc.FormField.HAZARDS_FOUND, cbc.FormField.HAZARDS_RECTIFIED,
                  cbc.FormField.HAZARDS_LISTED)

#: The breakdown's rates (0 to 1, shown as percentages) and days; the rest are counts.
RATES = (cbc.BreakdownFigure.RECTIFICATION_RATE, cbc.BreakdownFigure.ON_TIME_RATE,
         cbc.BreakdownFigure.DISPOSAL_RATE)
DAYS = (cbc.BreakdownFigure.MEAN_DAYS_TO_CLOSE, cbc.BreakdownFigure.MEDIAN_DAYS_TO_CLOSE)

#: Excel on Windows reads a CSV as UTF-8 only after a byte-order mark (as `cbc form` writes).
UTF8_BOM = "\ufeff"


class BadPeriod(Exception):
    """The query's period text the library refused; the library's message."""


@dataclass
class FormView:
    """What the page shows: the unit (and the picker), the period, the form,
    the children's forms and the breakdown."""
    picker: Picker
    period: cbc.Period
    period_text: str
    first_day: datetime.date
    last_day: datetime.date
    form: cbc.Form
    children: List[cbc.Form]
    breakdown: cbc.Breakdown


# -- the period ------------------------------------------------------------
def _period(db: cbc.Database) -> cbc.Period:
    """The query's period (the current month when none); BadPeriod when the
    library cannot read it."""
    text = request.args.get("period", "").strip()
    if not text:
        return cbc.Period.current(db)
    try:
        return db.parse_period(text)
    except cbc.InvalidError as e:
        raise BadPeriod(refusal(e)) from None


def _shifted(db: cbc.Database, period: cbc.Period, step: int) -> cbc.Period:
    """The period before (step -1) or after (+1): the month, quarter or year
    next to it, or a range as long beside it."""
    kind = period.kind
    if kind == cbc.PeriodKind.YEAR:
        return cbc.Period.year(period.calendar_year + step)
    if kind in (cbc.PeriodKind.MONTH, cbc.PeriodKind.QUARTER):
        per_year = 12 if kind == cbc.PeriodKind.MONTH else 4
        index = period.calendar_year * per_year + period.number - 1 + step
        year, number = divmod(index, per_year)
        make = cbc.Period.month if kind == cbc.PeriodKind.MONTH else cbc.Period.quarter
        return make(year, number + 1)
    length = period.end - period.start
    return cbc.Period.range(period.start + step * length, period.end + step * length, db)


def _neighbour(db: cbc.Database, period: cbc.Period, step: int) -> Optional[str]:
    """The text of the period before or after; None past the library's calendar."""
    try:
        return str(_shifted(db, period, step))
    except cbc.InvalidError:
        return None


def _containing(db: cbc.Database, period: cbc.Period) -> Dict[str, str]:
    """The texts of the month, quarter and year the period starts in (the
    page's "月 季 年" switch)."""
    if period.kind == cbc.PeriodKind.RANGE:
        start, _ = db.period_bounds(period)
        month = db.period_containing(cbc.PeriodKind.MONTH, start)
    else:  # by the calendar: 1970-01 starts before the epoch in UTC+8
        month = cbc.Period.month(period.calendar_year, {
            cbc.PeriodKind.MONTH: period.number, cbc.PeriodKind.QUARTER: 3 * period.number - 2,
        }.get(period.kind, 1))
    year, number = month.calendar_year, month.number
    return {"MONTH": str(month), "QUARTER": str(cbc.Period.quarter(year, (number + 2) // 3)),
            "YEAR": str(cbc.Period.year(year))}


def _last_month(db: cbc.Database, period: cbc.Period) -> cbc.Period:
    """The calendar month holding the period's last second."""
    _, end = db.period_bounds(period)
    return db.period_containing(cbc.PeriodKind.MONTH, end - datetime.timedelta(seconds=1))


# -- the figures -----------------------------------------------------------
def _view(unit_id: int) -> FormView:
    db = get_db()
    period = _period(db)
    start, end = db.period_bounds(period)
    return FormView(picker(unit_id), period, str(period), start.date(),
                    (end - datetime.timedelta(seconds=1)).date(), db.form(unit_id, period),
                    db.child_forms(unit_id, period), db.breakdown(unit_id, period))


def _unit_names(view: FormView) -> Dict[int, str]:
    """The children's names: the picker's, else looked up (a picker is cut
    at its MAX_CHILDREN)."""
    names = {u.id: u.name for u in view.picker.children}
    db = get_db()
    for f in view.children:
        if f.unit_id not in names:
            names[f.unit_id] = db.unit(f.unit_id).name
    return names


def _series(db: cbc.Database, view: FormView) -> Dict[str, Any]:
    """The months up to the period's last one: SERIES_MONTHS of them, fewer
    at the start of the library's calendar (1970)."""
    last = _last_month(db, view.period)
    forms: List[cbc.Form] = []
    for months in range(SERIES_MONTHS, 0, -1):
        first = _shifted(db, last, 1 - months)
        try:
            forms = db.series(view.form.unit_id, first.calendar_year, first.number, months)
            break
        except cbc.InvalidError:  # a month before the calendar starts
            continue
    return {"months": [str(_shifted(db, first, i)) for i in range(len(forms))],
            "lines": [{"name": label(field), "data": [f.value(field) for f in forms]}
                      for field in CHARTED_FIELDS]}


def _children_chart(view: FormView, names: Dict[int, str]) -> Dict[str, Any]:
    return {"names": [names[f.unit_id] for f in view.children],
            "urls": [drill_url(f.unit_id, view.period_text) for f in view.children],
            "bars": [{"name": label(field), "data": [f.value(field) for f in view.children]}
                     for field in CHARTED_FIELDS]}


def _value_name(value: Any) -> str:
    """A breakdown value's label; its number when this package's enums do
    not know it (a newer library)."""
    return label(value) if hasattr(value, "label") else str(value)


def _dimensions(breakdown: cbc.Breakdown) -> List[Dict[str, Any]]:
    return [{"id": dimension.name.lower(), "title": label(dimension),
             "items": [{"name": _value_name(value), "value": count}
                       for value, count in breakdown.by_dimension(dimension).items()]}
            for dimension in cbc.Dimension]


def _counts(breakdown: cbc.Breakdown) -> Dict[str, Any]:
    figures = [f for f in cbc.BreakdownFigure if f not in RATES and f not in DAYS]
    return {"names": [label(f) for f in figures], "values": [breakdown.value(f) for f in figures],
            "ids": [f.name.lower() for f in figures]}


def _rates(breakdown: cbc.Breakdown) -> Dict[str, Any]:
    return {"names": [label(f) for f in RATES],
            "values": [round(100 * float(breakdown.value(f)), 1) for f in RATES]}


def chart_data(view: FormView, names: Dict[int, str]) -> Dict[str, Any]:
    """What static/stats.js draws, as the page's JSON block."""
    return {"series": _series(get_db(), view), "children": _children_chart(view, names),
            "dimensions": _dimensions(view.breakdown), "counts": _counts(view.breakdown),
            "rates": _rates(view.breakdown)}


def figure_text(breakdown: cbc.Breakdown, figure: cbc.BreakdownFigure) -> str:
    """A breakdown figure as the page prints it: a rate in percent, days with one decimal."""
    value = breakdown.value(figure)
    if figure in RATES:
        return "%.1f%%" % (100 * value)
    if figure in DAYS:
        return "%.1f" % value
    return str(value)


# -- the pages -------------------------------------------------------------
def drill_url(unit_id: int, period_text: str) -> str:
    """This page for another unit and the same period (a district's page has
    hundreds of these links: the route is built once a request)."""
    base: Optional[str] = g.get("stats_form_url")
    if base is None:
        base = g.stats_form_url = url_for("stats.form")
    return "%s?%s" % (base, urlencode({"unit": unit_id, "period": period_text}))


def _bad_period(unit_id: int, message: str) -> Any:
    return render_template("stats_error.html", unit_id=unit_id, message=message,
                           period=request.args.get("period", ""), drill_url=drill_url), 400


@bp.route("/stats")
def form() -> Any:
    """The form page: ?unit=<id>&period=<text>."""
    unit_id = chosen_unit_id()
    try:
        view = _view(unit_id)
    except BadPeriod as e:
        return _bad_period(unit_id, str(e))
    db = get_db()
    names = _unit_names(view)
    return render_template(
        "stats.html", view=view, names=names, title=cbc.form_title(),
        unit_id=unit_id, period=view.period_text,
        fields=list(cbc.FormField), figures=list(cbc.BreakdownFigure),
        figure_text=figure_text, drill_url=drill_url,
        prev_text=_neighbour(db, view.period, -1), next_text=_neighbour(db, view.period, 1),
        containing=_containing(db, view.period), charts=chart_data(view, names))


# -- the hazard table ------------------------------------------------------
@bp.route("/stats/table")
def table() -> Any:
    """The hazard statistics table (生产经营单位事故隐患排查治理情况统计分析表)
    of the unit for the period (?unit=<id>&period=<text>, the current
    quarter by default): the library's JSON, its total and each industry
    as columns, rates and funds as the paper table gives them."""
    unit_id = chosen_unit_id()
    db = get_db()
    try:
        period = _table_period(db)
    except BadPeriod as e:
        return _bad_period(unit_id, str(e))
    data = json.loads(db.hazard_table(unit_id, period))
    return render_template("stats_table.html", picker=picker(unit_id), data=data,
                           period=str(period), unit_id=unit_id,
                           figures=list(cbc.HazardTableFigure), funds=_wan)


def _table_period(db: cbc.Database) -> cbc.Period:
    """The query's period, or the current quarter (the table is quarterly)."""
    if request.args.get("period", "").strip():
        return _period(db)
    return db.period_containing(cbc.PeriodKind.QUARTER, db.now())


def _wan(fen: int) -> str:
    """Fen as 万元 (1,000,000 fen), exact, as the text rendering gives them."""
    whole, part = divmod(fen, 1000000)
    return ("%d.%06d" % (whole, part)).rstrip("0").rstrip(".")


@bp.route("/stats/table.<any(csv, json):fmt>")
def table_download(fmt: str) -> Any:
    """The hazard table as the library renders it: CSV (with a byte-order
    mark) or JSON, as a download."""
    return _download(fmt, _table_period, "隐患统计分析表", "hazard-table",
                     lambda db, unit_id, period: db.hazard_table(unit_id, period, fmt))


_UNSAFE_IN_NAME = re.compile(r"[^\w.-]+")


def _download_name(stem: str, unit: cbc.Unit, period_text: str, extension: str) -> str:
    """<stem>-<unit's external id>-<period>.<ext>, with nothing a file name may not hold."""
    name = _UNSAFE_IN_NAME.sub("_", "%s-%s-%s" % (stem, unit.external_id, period_text))
    return "%s.%s" % (name, extension)


def send_report(body: str, fmt: str, stem: str, fallback_stem: str, unit: cbc.Unit,
                period_text: str) -> Response:
    """A report as the library rendered it (@p fmt "csv" or "json") as a
    download named <stem>-<unit's external id>-<period_text>.<fmt>, with
    the ASCII name <fallback_stem>-<unit's id>-<period_text>.<fmt> for
    older clients; a CSV gets a byte-order mark for Excel.  The statistics
    pages' downloads and the filed reports' (filings.py) use it."""
    if fmt == "csv":
        body, mimetype = UTF8_BOM + body, "text/csv"
    else:
        mimetype = "application/json"
    name = _download_name(stem, unit, period_text, fmt)
    fallback = _UNSAFE_IN_NAME.sub("_", "%s-%d-%s.%s" % (fallback_stem, unit.id, period_text, fmt))
    response = send_file(io.BytesIO(body.encode("utf-8")), mimetype=mimetype, max_age=0)
    response.headers["Content-Disposition"] = disposition(name, fallback)
    return response


@bp.route("/stats/form.<any(csv, json):fmt>")
def download(fmt: str) -> Any:
    """The same form as the library renders it: CSV (with a byte-order mark
    for Excel) or JSON, as a download."""
    def render(db: cbc.Database, unit_id: int, period: cbc.Period) -> str:
        return db.form_csv(unit_id, period) if fmt == "csv" else db.form_json(unit_id, period)
    return _download(fmt, _period, "统计表", "form", render)


def _download(fmt: str, period_of: Callable[[cbc.Database], cbc.Period], stem: str,
              fallback_stem: str,
              render: Callable[[cbc.Database, int, cbc.Period], str]) -> Any:
    """What @p render gives for the query's unit and period (read by
    @p period_of), as a download (send_report); a bad period is a 400."""
    unit_id = chosen_unit_id()
    db = get_db()
    try:
        period = period_of(db)
    except BadPeriod as e:
        return _bad_period(unit_id, str(e))
    return send_report(render(db, unit_id, period), fmt, stem, fallback_stem, db.unit(unit_id),
                       str(period))
