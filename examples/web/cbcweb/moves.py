"""The moves on a hazard's page (register, start, escalate, the extension,
the plan, submit, verify, reopen, reject, correct, list for supervision),
and the page itself (with a major hazard's reports, filings.py, and its
administrative penalty, penalties.py).

Each move is a small form, shown only when the library says the signed-in
person may make it now (db.hazard_moves); the library checks again when the
form is posted, and its refusal is shown with its own message.  The app
only turns the form's text into the package's arguments (dates, yuan, an
employee's HR id, photos as evidence): it decides nothing."""
from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

import cbc
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from . import timeline, uploads
from .auth import current_user
from .database import get_db
from .pages import fen, readable_employee_id, refusal, refusal_status, timeliness

bp = Blueprint("moves", __name__)

A = cbc.HazardAction


class BadField(Exception):
    """A field the form could not turn into an argument; the message in Chinese."""


@dataclass(frozen=True)
class Field:
    """One input of a move's form: its name (the package's argument), its
    Chinese label, how it is read (text, note, date, yuan, employee, enum
    class, yes/no) and whether it must be filled in."""
    name: str
    label: str
    kind: Any = "text"
    required: bool = True


_PLAN = [Field("goals", "目标任务"), Field("methods", "方法措施"),
         Field("funds_materials", "经费物资"), Field("responsible_bodies", "负责机构和人员"),
         Field("time_limit", "时限", "date"), Field("safety_measures", "安全措施和应急预案")]

#: Each move's title and fields, in the order the page offers them.
FORMS: Dict[cbc.HazardAction, Tuple[str, List[Field]]] = {
    A.REGISTER: ("登记入台账（五落实）", [
        Field("severity", "隐患等级", cbc.Severity), Field("level", "整改层级", cbc.Level),
        Field("responsible_id", "责任人工号（留空：按组织自动确定）", "employee", False),
        Field("measures", "整改措施", "note"), Field("funds_fen", "整改资金（元）", "yuan", False),
        Field("deadline", "整改期限", "date"), Field("contingency_plan", "应急预案", "note")]),
    A.REJECT: ("不予登记", [Field("reason", "理由", "note")]),
    A.START: ("开始整改", []),
    A.ESCALATE: ("上报上一级整改", [
        Field("reason", "理由", "note"),
        Field("responsible_id", "新责任人工号（留空：按组织自动确定）", "employee", False)]),
    A.REQUEST_EXTENSION: ("申请延期", [Field("new_deadline", "新的期限", "date"),
                                       Field("reason", "理由", "note")]),
    A.DECIDE_EXTENSION: ("审批延期申请", [Field("approve", "批准", "yes_no"),
                                          Field("reason", "意见", "note", False)]),
    A.FILE_PLAN: ("制定治理方案", _PLAN),
    A.SUBMIT: ("提交验收", [Field("note", "整改情况", "note")]),
    A.VERIFY_PASS: ("验收通过（销号）", [Field("note", "验收意见", "note", False)]),
    A.VERIFY_FAIL: ("验收不通过", [Field("note", "不通过的理由", "note")]),
    A.REOPEN: ("回头看：重新整改", [Field("reason", "理由", "note")]),
    A.LIST_SUPERVISION: ("挂牌督办", [Field("authority", "督办机关"),
                                      Field("document", "督办文号")]),
    A.AMEND: ("更正登记内容（只填要改的项）", [
        Field("reason", "更正理由", "note"),
        Field("responsible_id", "责任人工号", "employee", False),
        Field("measures", "整改措施", "note", False), Field("funds_fen", "整改资金（元）", "yuan", False),
        Field("deadline", "整改期限", "date", False),
        Field("contingency_plan", "应急预案", "note", False)]),
}


#: The moves that take photos as evidence (the form's "photos"); the library
#: files them under the move's stage: RECTIFICATION on submit, VERIFICATION
#: on verify (cbc.AttachmentStage).
EVIDENCE = frozenset({A.SUBMIT, A.VERIFY_PASS, A.VERIFY_FAIL})


def _call(action: cbc.HazardAction) -> Callable[..., None]:
    """The package's call that makes a move, taking (hazard, actor, **fields)."""
    db = get_db()
    fixed = {A.VERIFY_PASS: lambda h, a, **f: db.verify(h, a, True, **f),
             A.VERIFY_FAIL: lambda h, a, **f: db.verify(h, a, False, **f),
             A.FILE_PLAN: lambda h, a, **f: db.file_plan(h, a, cbc.RectificationPlan(**f))}
    if action in fixed:
        return fixed[action]
    call: Callable[..., None] = getattr(db, action.name.lower())
    return call


def _yuan(text: str) -> int:
    """Yuan as written ("1200", "35.5") in fen, exactly (pages.fen)."""
    try:
        return fen(text)
    except ValueError as e:
        raise BadField(str(e)) from None


def _value(field: Field, text: str) -> Any:
    """The package's argument for one filled-in field."""
    if field.kind == "date":
        try:  # a day's end in the database's offset (a naive datetime means that)
            return datetime.datetime.combine(datetime.date.fromisoformat(text),
                                             datetime.time(23, 59))
        except ValueError:
            raise BadField("日期格式应为 YYYY-MM-DD：%s" % text) from None
    if field.kind == "yuan":
        return _yuan(text)
    if field.kind == "employee":
        employee_id = readable_employee_id(text)
        if employee_id is None:
            raise BadField("没有工号为 %s 的职工" % text)
        return employee_id
    if field.kind == "yes_no":
        return text == "1"
    return text  # text, notes, and enum names (the package checks them)


def _arguments(action: cbc.HazardAction) -> Dict[str, Any]:
    args: Dict[str, Any] = {}
    for field in FORMS[action][1]:
        text = request.form.get(field.name, "").strip()
        if not text and field.kind != "yes_no":
            if field.required:
                raise BadField("请填写：%s" % field.label)
            continue
        args[field.name] = _value(field, text)
    return args


def allowed(hazard_id: int) -> FrozenSet[cbc.HazardAction]:
    """The moves the signed-in person may make on the hazard now."""
    return get_db().hazard_moves(hazard_id, current_user().id)


def major_reports(h: cbc.Hazard) -> Optional[List[cbc.Filing]]:
    """The versions of a registered major hazard's report (重大事故隐患报告,
    docs/filing.md), the newest first; None for a hazard that files none
    (general, not yet registered, or rejected)."""
    db = get_db()
    if not db.hazard_reportable(h.id):
        return None
    try:
        newest = db.major_hazard_report(h.id)
    except cbc.NotFoundError:
        return []
    older = [db.major_hazard_report(h.id, v) for v in range(1, newest.version)]
    return [newest] + older[::-1]


@dataclass(frozen=True)
class PenaltySection:
    """The section 行政处罚 of a hazard's page: the administrative penalty
    recorded for it (None: none yet), the awards the hazard's discovery
    decisions made once it is closed and penalised (a share of the penalty
    under the whistleblower_2018 preset), and whether the page offers the
    form that records it."""
    penalty: Optional[cbc.Penalty]
    awards: List[cbc.Decision]
    offer_form: bool


def penalty_section(h: cbc.Hazard) -> PenaltySection:
    """The hazard's penalty section; the form is offered when the library
    says the person may record the penalty now (may_record_penalty), and
    the library decides again when it is posted (penalties.record)."""
    db = get_db()
    try:
        penalty: Optional[cbc.Penalty] = db.penalty(h.id)
    except cbc.NotFoundError:
        penalty = None
    awards: List[cbc.Decision] = []
    if penalty is not None and h.state is cbc.HazardState.CLOSED:
        awards = [d for d in db.explain_hazard_reward(h.id).decisions if d.award_id]
    return PenaltySection(penalty, awards, db.may_record_penalty(h.id, current_user().id))


def hazard_page(hazard_id: int, error: Optional[str] = None, status: int = 200,
                open_move: Optional[cbc.HazardAction] = None, open_report: bool = False,
                open_penalty: bool = False) -> Any:
    """The hazard's page with the forms of the moves the person may make,
    its administrative penalty (and the form that records one,
    penalties.record; open_penalty: the error is that form's) and, for a
    registered major hazard, its reports and the form that files one
    (filings.major_report; open_report: the error is that form's)."""
    db = get_db()
    may = allowed(hazard_id)
    moves = [(action, *FORMS[action]) for action in FORMS if action in may]
    h = db.hazard(hazard_id)
    return render_template("hazard.html", h=h, photos=_by_stage(h.attachments),
                           history=timeline.entries(db.hazard_history(hazard_id)), moves=moves,
                           evidence=EVIDENCE, max_files=uploads.MAX_FILES, error=error,
                           open_move=open_move, open_report=open_report,
                           open_penalty=open_penalty, penalty=penalty_section(h),
                           reports=major_reports(h), timeliness=timeliness,
                           values=request.form), status


def _by_stage(attachments: Sequence[cbc.StoredAttachment]) -> List[
        Tuple[cbc.AttachmentStage, List[Tuple[int, cbc.StoredAttachment]]]]:
    """The attachments grouped by stage (report, rectification, verification),
    each with its index (its URL), in the order they were added."""
    groups: Dict[cbc.AttachmentStage, List[Tuple[int, cbc.StoredAttachment]]] = {}
    for index, a in enumerate(attachments):
        groups.setdefault(a.stage, []).append((index, a))
    return [(stage, groups[stage]) for stage in cbc.AttachmentStage if stage in groups]


def _make(action: cbc.HazardAction, hazard_id: int, args: Dict[str, Any],
          photos: List[uploads.Photo]) -> None:
    """Store the move's photos under random names and make the move with
    them as evidence; when the library refuses it (or anything fails) the
    files this call stored are removed again: nothing half-applied."""
    created: List[str] = []
    if photos:
        args["evidence"], created = uploads.store(photos, secrets.token_hex(16))
    try:
        _call(action)(hazard_id, current_user().id, **args)
    except BaseException:
        uploads.discard(created)
        raise


@bp.route("/hazards/<id:hazard_id>/moves/<name>", methods=["POST"])
def move(hazard_id: int, name: str) -> Any:
    if not uploads.readable(hazard_id):
        abort(404)
    action = getattr(A, name.upper(), None) if name.isidentifier() else None
    if action is None or action not in FORMS:
        abort(404)
    try:
        args = _arguments(action)
        photos = uploads.accept(request.files.getlist("photos")) if action in EVIDENCE else []
        _make(action, hazard_id, args, photos)
    except (BadField, uploads.UploadRefused) as e:
        return hazard_page(hazard_id, str(e), 400, action)
    except cbc.CbcError as e:
        return hazard_page(hazard_id, refusal(e), refusal_status(e), action)
    flash("已%s。" % FORMS[action][0].split("（")[0])
    return redirect(url_for("ledger.hazard", hazard_id=hazard_id))
