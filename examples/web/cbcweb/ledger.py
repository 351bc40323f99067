"""The ledger (台账): the hazards the signed-in employee may read (the
library's viewer_id restriction), filtered, sorted and paged with the
library's cursors; a hazard's page with its five items, plan, attachments,
history and the moves the person may make (moves.py).  A hazard or unit the employee may not read is a
404, as one that does not exist (README, "Who sees what")."""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Tuple

import cbc
from flask import Blueprint, abort, render_template, request, url_for

from .auth import current_user
from . import moves
from .database import get_db
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


def _unit_id(scope: int) -> int:
    text = request.args.get("unit", "").strip()
    if not text:
        return scope
    try:
        return int(text)
    except ValueError:
        raise BadFilter("单位无效") from None


def _filters(scope: int) -> Dict[str, Any]:
    """The package's ledger filters from the query string (the names are
    passed as given: the package checks them against its enums)."""
    args = request.args
    reported_to = _date("to")
    filters: Dict[str, Any] = {
        "viewer_id": current_user().id, "unit_id": _unit_id(scope),
        "states": args.get("state") or None, "severity": args.get("severity") or None,
        "listed": args.get("listed") == "1", "text": args.get("q", "").strip() or None,
        "reported_from": _date("from"),
        # the form's "to" day is included: the package's bound is exclusive
        "reported_to": reported_to + datetime.timedelta(days=1) if reported_to else None,
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
    db, me = get_db(), current_user()
    try:
        scope = db.read_scope(me.id)
    except cbc.PermissionDenied:
        abort(404)
    error: Optional[str] = None
    rows: List[cbc.Hazard] = []
    cursor: Optional[str] = None
    count = 0
    try:
        rows, cursor, count = _page(_filters(scope))
    except (cbc.PermissionDenied, cbc.NotFoundError):
        abort(404)  # a unit outside what they may read: as one that does not exist
    except BadFilter as e:
        error = str(e)
    except (cbc.InvalidError, cbc.StateError) as e:
        error = e.message
    query: Dict[str, Any] = {k: v for k, v in request.args.items() if k != "after"}
    next_url = url_for("ledger.ledger", **query, after=cursor) if cursor else None
    return render_template("ledger.html", rows=rows, count=count, error=error, args=request.args,
                           units=list(db.subtree(scope)), enums=ENUM_FIELDS, next_url=next_url,
                           first_url=url_for("ledger.ledger", **query),
                           paged="after" in request.args), 400 if error else 200


@bp.route("/hazards/<int:hazard_id>")
def hazard(hazard_id: int) -> Any:
    if not readable(hazard_id):
        abort(404)
    return moves.hazard_page(hazard_id)
