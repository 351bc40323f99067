"""The worker's pages (phone-sized): report a hazard (随手拍) with photos, or
an anonymous hotline tip-off; my reports with each answer (件件有回声);
an answer looked up by its follow-up key."""
from __future__ import annotations

import re
import secrets
from typing import Any, Dict, List, Optional

import cbc
from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)

from . import uploads
from .auth import current_user
from .database import get_db
from .links import parse_id
from .pages import refusal

bp = Blueprint("report", __name__)

_REQUEST_KEY = re.compile(r"^[0-9a-f]{32}$")

#: The choices of the form, each from the library's enum (labels: its table).
CHOICES = {"check_item": cbc.CheckItem, "kind": cbc.HazardKind,
           "category": cbc.HazardCategory, "proposed_severity": cbc.Severity}


@bp.route("/")
def home() -> Any:
    return render_template("home.html")


def _unit_choices() -> List[cbc.Unit]:
    """The units offered: the open units of the reporter's enterprise (the
    library's read scope, when it is one), else only their own unit; the
    library decides what is allowed."""
    db, me = get_db(), current_user()
    scope = db.unit(db.read_scope(me.id))
    if scope.kind != cbc.UnitKind.ENTERPRISE:
        return [db.unit(me.unit_id)]
    return [u for u in db.subtree(scope.id) if not u.closed]


def _form_page(values: Dict[str, Any], error: Optional[str] = None, status: int = 200) -> Any:
    values.setdefault("unit_id", current_user().unit_id)
    values.setdefault("request_key", secrets.token_hex(16))
    return render_template("report.html", values=values, error=error, choices=CHOICES,
                           units=_unit_choices(), max_files=uploads.MAX_FILES,
                           max_mib=uploads.MAX_FILE_BYTES // (1024 * 1024)), status


@bp.route("/report", methods=["GET"])
def report_form() -> Any:
    return _form_page({})


def _library_key(form_key: str, anonymous: bool) -> str:
    """The request key given to the library: the form's, per reporter (an
    anonymous tip-off's names nobody: the key is stored with the report)."""
    return "web:anon:" + form_key if anonymous else "web:%d:%s" % (current_user().id, form_key)


def _report(values: Dict[str, Any], attachments: List[cbc.Attachment]) -> tuple[int, Optional[str]]:
    anonymous = values["anonymous"]
    unit_id = parse_id(str(values["unit_id"] or ""))
    if unit_id is None:
        raise cbc.InvalidError(cbc.ErrorCode.EINVAL, "unit_id: not a unit")
    return get_db().report(
        unit_id, values["title"], values["kind"], values["category"], values["check_item"],
        cbc.HazardSource.HOTLINE if anonymous else cbc.HazardSource.SNAPSHOT,
        values["proposed_severity"], reporter_id=0 if anonymous else current_user().id,
        description=values["description"] or None, location=values["location"] or None,
        attachments=attachments,
        request_key=_library_key(values["request_key"], anonymous))


_STATUS = ((cbc.PermissionDenied, 403), (cbc.BusyError, 503), (cbc.CbcError, 400))


@bp.route("/report", methods=["POST"])
def report_submit() -> Any:
    form = request.form
    values: Dict[str, Any] = {name: form.get(name, "").strip()
                              for name in ("title", "description", "location", "unit_id",
                                           "request_key", *CHOICES)}
    values["anonymous"] = form.get("anonymous") == "1"
    if not _REQUEST_KEY.match(values["request_key"]):
        abort(400)
    try:
        photos = uploads.accept(request.files.getlist("photos"))
    except uploads.UploadRefused as e:
        return _form_page(values, str(e), 400)
    attachments, created = uploads.store(photos, values["request_key"])
    try:
        hazard_id, follow_up_key = _report(values, attachments)
    except cbc.CbcError as e:
        uploads.discard(created)
        status = next(code for kind, code in _STATUS if isinstance(e, kind))
        return _form_page(values, refusal(e), status)
    if follow_up_key is None:
        flash("已上报，编号 %d。" % hazard_id)
        return redirect(url_for("report.mine"))
    response = make_response(render_template("reported.html", hazard_id=hazard_id,
                                             follow_up_key=follow_up_key))
    response.headers["Cache-Control"] = "no-store"  # the key is shown once
    return response


@bp.route("/mine")
def mine() -> Any:
    db, me = get_db(), current_user()
    rows = [(h, db.answer(h.id, me.id))
            for h in db.hazards(reporter_id=me.id, descending=True, limit=100)]
    return render_template("mine.html", rows=rows)


@bp.route("/answer", methods=["GET", "POST"])
def answer() -> Any:
    found, error, status = None, None, 200
    if request.method == "POST":
        key = request.form.get("key", "").strip()
        try:
            found = get_db().answer_by_key(key)
        except (cbc.NotFoundError, cbc.InvalidError):
            error, status = "没有找到这个查询码对应的举报。", 404
    response = make_response(render_template("answer.html", found=found, error=error), status)
    response.headers["Cache-Control"] = "no-store"
    return response
