"""报送 (docs/filing.md) in the browser: who under a unit owes a report for a
period and where each stands (on time, late, missing, not yet due), the
chosen unit's own filed versions, each version as it was filed (its text,
and its CSV and JSON as stored, as downloads), and the form that files one.

Three reports are filed for a period: the 查保促 monthly form (a month; the
current one by default), the hazard statistics table and the report to the
employee congress (a quarter or a year; the current quarter by default).
The fourth, the prompt report of a major hazard (重大事故隐患报告), is filed
for one registered major hazard, not for a period: its versions and its
form are on the hazard's page (moves.hazard_page; POST
/filings/major/<hazard>), its versions' pages and downloads here.

Thin over the package: who owes what, the due dates, lateness, who may
file and who may sign are the library's answers (db.filing_status,
db.file_report, db.file_major_hazard_report): a refusal is shown with its
message, and nothing is filed.  The pages show only units the signed-in
employee may read (units.chosen_unit_id()); a filing of a unit they may not
read is a 404, as one that does not exist."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import cbc
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .auth import current_user
from .database import get_db
from .links import parse_id, url_with_query
from .moves import hazard_page
from .pages import (BadRequest, label, named_employee_id, page_number, refusal, refusal_status,
                    timeliness, unit_name, when)
from .stats import send_report
from .units import chosen_unit_id, picker
from .uploads import readable as hazard_readable

bp = Blueprint("filings", __name__)

#: Units per page of the status list (a district owes its thousands of enterprises' tables).
PAGE_SIZE = 100

#: The report the page shows when the query names none.
DEFAULT_KIND = cbc.FilingKind.MONTHLY_FORM

#: The reports filed for a period, as the library says
#: (cbc.filing_kind_periods): the status page's tabs, in order.  The
#: major-hazard report is filed for a hazard, on the hazard's page.
PERIODIC_KINDS = tuple(k for k in cbc.FilingKind if cbc.filing_kind_periods(k))

#: The reports filed for a quarter or a year (the current quarter by
#: default, their figures on /stats/table); the others for a month.
QUARTERLY_KINDS = tuple(k for k in PERIODIC_KINDS
                        if cbc.PeriodKind.QUARTER in cbc.filing_kind_periods(k))

#: The downloads' names by report, as the statistics pages name them: (stem, ASCII stem).
DOWNLOAD_STEMS = {cbc.FilingKind.MONTHLY_FORM: ("统计表", "form"),
                  cbc.FilingKind.HAZARD_TABLE: ("隐患统计分析表", "hazard-table"),
                  cbc.FilingKind.CONGRESS_REPORT: ("职代会隐患排查治理报告", "congress-report"),
                  cbc.FilingKind.MAJOR_HAZARD_REPORT: ("重大事故隐患报告", "major-hazard-report")}




# -- the report, the unit and the period ---------------------------------------
@dataclass(frozen=True)
class Scope:
    """What a page is about: a report, a unit the employee may read and a
    period; text is the period as the links give it back (as typed when the
    library could not read it: period is then None and problem the refusal)."""
    kind: cbc.FilingKind
    unit_id: int
    period: Optional[cbc.Period]
    text: str
    problem: Optional[str] = None

    @property
    def query(self) -> Dict[str, Any]:
        return {"kind": kind_key(self.kind), "unit": self.unit_id, "period": self.text}


def kind_key(kind: cbc.FilingKind) -> str:
    """A report as the query names it (the library's name, "hazard_table")."""
    return kind.name.lower()


def _kind(text: str) -> cbc.FilingKind:
    """A report filed for a period (PERIODIC_KINDS); a 400 for an unknown
    one, and for the major-hazard report, which is filed on its hazard's page."""
    if not text:
        return DEFAULT_KIND
    try:
        kind = cbc.FilingKind.coerce(text, "kind")
    except ValueError:
        raise BadRequest("没有这种报表：%s" % text) from None
    if kind not in PERIODIC_KINDS:
        raise BadRequest("%s按隐患报送，不按期间统计：请在隐患台账中打开该重大事故隐患，"
                         "在隐患页面的“%s”一节报送和查看各版本。" % (label(kind), label(kind)))
    return kind


def _default_period(db: cbc.Database, kind: cbc.FilingKind) -> cbc.Period:
    """The period a report's page opens on: the current quarter for the
    hazard table and the congress report (filed quarterly), the current
    month otherwise."""
    if kind in QUARTERLY_KINDS:
        return db.period_containing(cbc.PeriodKind.QUARTER, db.now())
    return cbc.Period.current(db)


def _scope(values: Mapping[str, str], unit_id: int) -> Scope:
    """The report (?kind=, a 400 for an unknown one) and the period
    (?period= as the library reads it, else the report's default)."""
    db = get_db()
    kind = _kind(values.get("kind", "").strip())
    text = values.get("period", "").strip()
    if not text:
        period = _default_period(db, kind)
        return Scope(kind, unit_id, period, db.format_period(period))
    try:
        period = db.parse_period(text)
    except cbc.InvalidError as e:
        return Scope(kind, unit_id, None, text, refusal(e))
    return Scope(kind, unit_id, period, db.format_period(period))


def _posted_unit() -> int:
    """The form's unit when the employee may read it: 400 for one that is
    not an id, 404 for one they may not read (or that does not exist)."""
    unit_id = parse_id(request.form.get("unit", ""))
    if unit_id is None:
        abort(400)
    try:
        if get_db().unit_readable(unit_id, current_user().id):
            return unit_id
    except cbc.NotFoundError:
        pass
    abort(404)


def _state(text: str) -> Optional[cbc.FilingState]:
    if not text:
        return None
    try:
        return cbc.FilingState.coerce(text, "state")
    except ValueError:
        raise BadRequest("没有这种报送状态：%s" % text) from None




def filings_url(scope: Scope, **more: Any) -> str:
    """The status page of the scope, with more of the query (None: left out)."""
    return url_with_query("filings.index", dict(scope.query, **more))


# -- the status page ----------------------------------------------------------
def versions(unit_id: int, kind: cbc.FilingKind, period: cbc.Period) -> List[cbc.Filing]:
    """Every version a unit filed of a report for a period, the newest first."""
    db = get_db()
    try:
        newest = db.filing_version(unit_id, kind, period)
    except cbc.NotFoundError:
        return []
    older = [db.filing_version(unit_id, kind, period, v) for v in range(1, newest.version)]
    return [newest] + older[::-1]


def _paged(entries: Sequence[cbc.FilingStatusEntry],
           page: int) -> Tuple[Sequence[cbc.FilingStatusEntry], int, int]:
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    return entries[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], min(page, pages), pages


def _page(scope: Scope, error: Optional[str] = None, status: int = 200,
          state: Optional[cbc.FilingState] = None, page: int = 1) -> Any:
    """The status page: who under the unit owes the report and where each
    stands, the unit's own versions and the filing form; a period the
    library does not take for the report is a 400 with its message."""
    db = get_db()
    report: Optional[cbc.FilingStatus] = None
    own: List[cbc.Filing] = []
    if scope.period is None:
        error, status = scope.problem, 400
    else:
        try:
            report = db.filing_status(scope.unit_id, scope.kind, scope.period)
            own = versions(scope.unit_id, scope.kind, scope.period)
        except cbc.InvalidError as e:  # a period of the wrong kind for the report
            error, status = refusal(e), 400
    entries: Sequence[cbc.FilingStatusEntry] = ()
    pages = 1
    if report is not None:
        chosen = [e for e in report.entries if state is None or e.state is state]
        entries, page, pages = _paged(chosen, page)
    return render_template(
        "filings.html", scope=scope, picker=picker(scope.unit_id), report=report,
        entries=entries, state=state, page=page, pages=pages, own=own, error=error,
        kinds=PERIODIC_KINDS, quarterly=scope.kind in QUARTERLY_KINDS,
        states=list(cbc.FilingState), values=request.form, kind_key=kind_key,
        timeliness=timeliness, filings_url=lambda **more: filings_url(scope, **more),
        # the picker's links go to this page, also when it answers the form's POST
        url_with_unit=lambda unit_id: url_with_query(
            "filings.index", {"kind": kind_key(scope.kind), "unit": unit_id,
                              "period": scope.text})), status


@bp.route("/filings")
def index() -> Any:
    """?kind=monthly_form|hazard_table|congress_report&unit=<id>&period=<text>
    &state=<state>&page=<n>."""
    args = request.args
    return _page(_scope(args, chosen_unit_id()), state=_state(args.get("state", "").strip()),
                 page=page_number(args.get("page", "")))




@bp.route("/filings/submit", methods=["POST"])
def submit() -> Any:
    """File the report (kind, unit, period, signer's HR id, note) as the
    signed-in employee; the library decides who may file and sign, the due
    date and lateness, and refuses what it does not allow (nothing is
    filed).  The new version's page follows."""
    scope = _scope(request.form, _posted_unit())
    if scope.period is None:
        return _page(scope)
    db = get_db()
    try:
        filing_id = db.file_report(scope.kind, scope.unit_id, scope.period,
                                   named_employee_id(request.form.get("signer", ""), "签字人工号"),
                                   current_user().id, request.form.get("note", "").strip() or None)
    except BadRequest as e:
        return _page(scope, str(e), 400)
    except cbc.CbcError as e:
        return _page(scope, refusal(e), refusal_status(e))
    filed = db.filing(filing_id)
    flash("已报送：%s · %s · %s 第 %d 版；报送截止 %s，%s。" % (
        label(filed.kind), unit_name(filed.unit_id), scope.text, filed.version,
        when(filed.due_at), label(timeliness(filed))))
    return redirect(url_for("filings.version", filing_id=filing_id))


# -- the major-hazard report -----------------------------------------------------
@bp.route("/filings/major/<id:hazard_id>", methods=["POST"])
def major_report(hazard_id: int) -> Any:
    """File a registered major hazard's report (fields cause, harm,
    difficulty, signer's HR id, note) for its enterprise, as the signed-in
    employee (db.file_major_hazard_report): the library decides who may file
    and sign, whether the hazard files one, the due date and lateness, and
    refuses what it does not allow (shown on the hazard's page; nothing is
    filed).  The new version's page follows.  A hazard the employee may not
    read is a 404."""
    if not hazard_readable(hazard_id):
        abort(404)
    db = get_db()
    form = request.form
    try:
        filing_id = db.file_major_hazard_report(
            hazard_id, db.hazard(hazard_id).enterprise_id,
            named_employee_id(form.get("signer", ""), "签字人工号"),
            current_user().id, form.get("cause", "").strip(), form.get("harm", "").strip(),
            form.get("difficulty", "").strip(), form.get("note", "").strip() or None)
    except BadRequest as e:
        return hazard_page(hazard_id, str(e), 400, open_report=True)
    except cbc.CbcError as e:
        return hazard_page(hazard_id, refusal(e), refusal_status(e), open_report=True)
    filed = db.filing(filing_id)
    flash("已报送：%s · %s · 隐患 %d 第 %d 版；报送截止 %s，%s。" % (
        label(filed.kind), unit_name(filed.unit_id), hazard_id, filed.version,
        when(filed.due_at), label(timeliness(filed))))
    return redirect(url_for("filings.version", filing_id=filing_id))


# -- a version ----------------------------------------------------------------
def _filing(filing_id: int) -> cbc.Filing:
    """The filing, when the employee may read the unit that filed it; 404 otherwise."""
    db = get_db()
    try:
        filing = db.filing(filing_id)
        if db.unit_readable(filing.unit_id, current_user().id):
            return filing
    except cbc.NotFoundError:
        pass
    abort(404)


def _subject(filing: cbc.Filing) -> str:
    """What a version is of, as its page and its downloads' names give it:
    the period (2026-Q4), or the hazard of a major-hazard report (hazard12)."""
    if filing.period is None:
        return "hazard%d" % filing.hazard_id
    return get_db().format_period(filing.period)


@bp.route("/filings/<id:filing_id>")
def version(filing_id: int) -> Any:
    """A version as it was filed: who, when, the due date, late or not, the
    period (or, for a major-hazard report, the hazard, linked when the
    employee may read it), and the report's text rendering as stored."""
    filing = _filing(filing_id)
    db = get_db()
    if filing.period is None:  # a major-hazard report: of a hazard, not of a period
        newest = db.major_hazard_report(filing.hazard_id)
        back = url_for("ledger.hazard", hazard_id=filing.hazard_id) \
            if hazard_readable(filing.hazard_id) else None
    else:
        newest = db.filing_version(filing.unit_id, filing.kind, filing.period)
        back = filings_url(Scope(filing.kind, filing.unit_id, filing.period, _subject(filing)))
    return render_template("filings_version.html", filing=filing, unit=db.unit(filing.unit_id),
                           period=_subject(filing), newest=newest,
                           timeliness=timeliness(filing), back_url=back)


@bp.route("/filings/<id:filing_id>.<any(csv, json):fmt>")
def download(filing_id: int, fmt: str) -> Any:
    """A version's CSV (with a byte-order mark for Excel, as the statistics
    pages' downloads) or JSON exactly as stored when it was filed, named
    <report>-<unit>-<period or hazardN>-v<version>."""
    filing = _filing(filing_id)
    stem, ascii_stem = DOWNLOAD_STEMS.get(filing.kind, (label(filing.kind), kind_key(filing.kind)))
    return send_report(filing.csv if fmt == "csv" else filing.json, fmt, stem, ascii_stem,
                       get_db().unit(filing.unit_id),
                       "%s-v%d" % (_subject(filing), filing.version))
