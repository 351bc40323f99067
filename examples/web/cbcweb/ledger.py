"""The ledger (台账): the hazards the signed-in employee may read (the
library's viewer_id restriction), filtered, sorted and paged with the
library's cursors, and exported with the same filters (export.py); a
hazard's page with its five items, plan, attachments, history and the moves
the person may make (moves.py).  A hazard or unit the employee may not read
is a 404, as one that does not exist (README, "Who sees what")."""
from __future__ import annotations

import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple

import cbc
from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from werkzeug.wsgi import wrap_file

from . import export, moves
from .auth import current_user
from .database import get_db
from .links import url_with_query
from .pages import refusal
from .units import chosen_unit_id, picker
from .uploads import readable

bp = Blueprint("ledger", __name__)

PAGE_SIZE = 20

#: The query's fields (the filter form) and the library's enum behind each choice.
ENUM_FIELDS = {"state": cbc.HazardState, "severity": cbc.Severity, "sort": cbc.HazardSort}


class BadFilter(Exception):
    """A filter the form cannot give (a bad date or number); the message in Chinese."""


def _date(name: str) -> Optional[datetime.date]:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BadFilter("日期格式应为 YYYY-MM-DD：%s" % text) from None


def _day_after(day: datetime.date) -> datetime.date:
    """The day after (a BadFilter past the calendar's last day)."""
    try:
        return day + datetime.timedelta(days=1)
    except OverflowError:
        raise BadFilter("日期超出范围：%s" % day.isoformat()) from None


def ledger_filters(unit_id: int) -> Dict[str, Any]:
    """The package's ledger filters from the query string, for the unit
    chosen_unit_id() gave and the signed-in viewer (the names are passed as
    given: the package checks them against its enums); BadFilter for a date
    the form cannot give."""
    args = request.args
    reported_to = _date("to")
    filters: Dict[str, Any] = {
        "viewer_id": current_user().id, "unit_id": unit_id,
        "states": args.get("state") or None, "severity": args.get("severity") or None,
        "listed": args.get("listed") == "1", "text": args.get("q", "").strip() or None,
        "reported_from": _date("from"),
        # the form's "to" day is included: the package's bound is exclusive
        "reported_to": _day_after(reported_to) if reported_to else None,
        "sort": args.get("sort") or cbc.HazardSort.REPORTED,
        "descending": args.get("desc") == "1"}
    if args.get("overdue") == "1":
        filters["overdue_at"] = get_db().now()
    return filters


def _page(filters: Dict[str, Any]) -> Tuple[List[cbc.Hazard], Optional[str], int]:
    db = get_db()
    count = db.hazard_count(**filters)
    rows, cursor = db.hazard_page(PAGE_SIZE, request.args.get("after") or None, **filters)
    return rows, cursor if len(rows) == PAGE_SIZE else None, count


@bp.route("/ledger")
def ledger() -> Any:
    unit_id = chosen_unit_id()  # 404 for a unit the viewer may not read
    error: Optional[str] = None
    rows: List[cbc.Hazard] = []
    cursor: Optional[str] = None
    count = 0
    try:
        rows, cursor, count = _page(ledger_filters(unit_id))
    except (cbc.PermissionDenied, cbc.NotFoundError):
        abort(404)  # the viewer's scope changed since chosen_unit_id(): as one that does not exist
    except BadFilter as e:
        error = str(e)
    except (cbc.InvalidError, cbc.StateError) as e:
        error = refusal(e)
    query: Dict[str, Any] = {k: v for k, v in request.args.items() if k != "after"}
    next_url = url_with_query("ledger.ledger", dict(query, after=cursor)) if cursor else None
    return render_template("ledger.html", rows=rows, count=count, error=error, args=request.args,
                           picker=picker(unit_id), enums=ENUM_FIELDS, next_url=next_url,
                           first_url=url_with_query("ledger.ledger", query),
                           export_urls={kind: url_with_query("ledger.export", query, kind=kind)
                                        for kind in export.KINDS},
                           paged="after" in request.args), 400 if error else 200


@bp.route("/ledger.<kind>", endpoint="export")
def download(kind: str) -> Any:
    """The ledger with the page's filters, every matching row (export.py)."""
    if kind not in export.KINDS:
        abort(404)
    unit_id = chosen_unit_id()
    db = get_db()
    try:
        f = ledger_filters(unit_id)
        count = db.hazard_count(**f) if kind == "xlsx" else 0
        if count > export.XLSX_MAX_ROWS:
            return _refused("共 %d 条，超过 Excel 一张工作表的 %d 行：请缩小范围，或导出 CSV。"
                            % (count, export.XLSX_MAX_ROWS), "导出的条数过多")
        pages = export.pages(f)
    except (cbc.PermissionDenied, cbc.NotFoundError):
        abort(404)
    except BadFilter as e:
        return _refused(str(e))
    except (cbc.InvalidError, cbc.StateError) as e:
        return _refused(refusal(e))
    today = db.now().date()
    headers = {"Content-Disposition": export.disposition(
        export.file_name(db.unit(unit_id), today, kind),
        "ledger-%d-%s.%s" % (unit_id, today.isoformat(), kind)),
        "Cache-Control": "private, no-store"}
    if kind == "csv":
        body: Iterable[bytes] = stream_with_context(export.csv_chunks(pages))
    else:
        body = wrap_file(request.environ, export.xlsx_file(pages))
    return Response(body, mimetype=export.KINDS[kind], headers=headers, direct_passthrough=True)


def _refused(message: str, title: str = "筛选条件无效") -> Any:
    return render_template("error.html", code=400, title=title, detail=message), 400


@bp.route("/hazards/<id:hazard_id>")
def hazard(hazard_id: int) -> Any:
    if not readable(hazard_id):
        abort(404)
    return moves.hazard_page(hazard_id)
