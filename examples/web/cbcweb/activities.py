"""活动: the campaign's activity records (docs/activities.md) — training
sessions, drills, cadre assignments (包靠), supervision visits and
proposals — listed per unit and period, each record's page, the forms that
record them, decide a proposal, end an assignment or void a mistaken record,
and the compliance lists (untrained, re-training due, drill gaps).

Every rule is the library's: a form is posted to the package as read, with
the signed-in employee as who records, assigns, decides, releases or voids,
and a refusal is shown with the library's message, nothing changed.  A form
is offered only when the library says the employee may use it
(Database.may_record() for the record forms, Database.activity_moves() for
deciding, ending an assignment and voiding; docs/activities.md, "Who may
record").  The unit comes from the shared picker (units.py): a unit or
record the signed-in employee may not read is a 404, as one that does not
exist."""
from __future__ import annotations

import datetime
import itertools
import re
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import cbc
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from . import units
from .auth import current_user
from .database import get_db
from .links import parse_id
from .moves import BadField, Field
from .pages import employee_name, label, refusal, refusal_status, when

bp = Blueprint("activities", __name__)

K = cbc.ActivityKind

#: The kinds by the name they have in URLs (training, drill, visit, proposal, assignment).
KINDS: Dict[str, cbc.ActivityKind] = {kind.name.lower(): kind for kind in K}

#: The most rows a list shows (a district's year holds thousands): narrow the unit or period.
MAX_ROWS = 500

#: Each kind's form: its title and fields (the package's arguments, in the form's order).
FORMS: Dict[cbc.ActivityKind, Tuple[str, List[Field]]] = {
    K.TRAINING: ("记录安全培训", [
        Field("kind", "培训类型", cbc.TrainingKind), Field("title", "主题"),
        Field("held_at", "培训时间", "datetime"), Field("minutes", "时长（分钟）", "number"),
        Field("passed", "考核合格的参训人员工号（空格或逗号分隔）", "employees", False),
        Field("failed", "考核不合格的参训人员工号", "employees", False)]),
    K.DRILL: ("记录应急演练", [
        Field("scenario", "演练科目"), Field("held_at", "演练时间", "datetime"),
        Field("team_ids", "参演班组", "teams", False)]),
    K.VISIT: ("记录督导检查（本人）", [
        Field("visited_at", "检查时间", "datetime"),
        Field("findings", "发现的问题", "note", False)]),
    K.PROPOSAL: ("提交合理化建议（本人）", [
        Field("title", "标题"), Field("text", "内容", "note")]),
    K.ASSIGNMENT: ("工会干部包靠", [
        Field("cadre_id", "工会干部工号", "employee"), Field("start", "起始日期", "date"),
        Field("end", "截止日期（含当天；不填为长期）", "last_day", False)]),
}

#: Who records each kind, said where the form is not offered (the library decides).
WHO_RECORDS: Dict[cbc.ActivityKind, str] = {
    K.TRAINING: "安全培训由本单位的班组长、车间主任、企业主要负责人或安全管理人员，"
                "或上级工会干部记录。",
    K.DRILL: "应急演练由企业或车间组织，由车间主任、企业主要负责人或安全管理人员，"
             "或上级工会干部记录。",
    K.VISIT: "督导检查由工会干部本人记录。",
    K.PROPOSAL: "合理化建议由在职职工本人提交。",
    K.ASSIGNMENT: "工会干部包靠企业或区域，由上级工会干部安排。",
}


_REQUEST_KEY = re.compile(r"^[0-9a-f]{32}$")
_SEPARATORS = re.compile(r"[\s,，、;；]+")



def _kind(name: str) -> cbc.ActivityKind:
    kind = KINDS.get(name)
    if kind is None:
        abort(404)
    return kind


# -- reading the query and the forms --------------------------------------
def _period() -> Tuple[str, datetime.datetime, datetime.datetime]:
    """The query's period (default: this year) as its text and bounds; the
    package reads the text (InvalidError names the forms it takes)."""
    db = get_db()
    text = request.args.get("period", "").strip() or str(db.now().year)
    start, end = db.period_bounds(db.parse_period(text))
    return text, start, end


def _year() -> int:
    text = request.args.get("year", "").strip()
    if not text:
        return get_db().now().year
    if not (text.isascii() and text.isdigit()) or not 1970 <= int(text) <= 9999:
        raise BadField("年份无效：%s" % text)
    return int(text)


def _employee_id(external_id: str) -> int:
    """An employee by HR id, anywhere: union cadres, experts and inspectors
    sitting in region nodes attend any session and cadres are assigned
    from above, so the library, not the viewer's scope, decides who fits."""
    try:
        return get_db().employee_by_external(external_id).id
    except cbc.NotFoundError:
        raise BadField("没有工号为 %s 的职工" % external_id) from None


def _team_id(text: str) -> int:
    """A team the form offered: an id of a unit the employee may read (a
    refusal must not name another enterprise's team)."""
    team_id = parse_id(text)
    try:
        if team_id is not None and get_db().unit_readable(team_id, current_user().id):
            return team_id
    except cbc.NotFoundError:
        pass
    raise BadField("班组无效")


def _day(text: str, days_after: int = 0) -> datetime.datetime:
    """The start of a day (naive: the package reads it in the database's offset)."""
    try:
        day = datetime.date.fromisoformat(text) + datetime.timedelta(days=days_after)
    except ValueError:
        raise BadField("日期格式应为 YYYY-MM-DD：%s" % text) from None
    except OverflowError:
        raise BadField("日期超出范围：%s" % text) from None
    return datetime.datetime.combine(day, datetime.time())


def _value(field: Field) -> Any:
    """One field of the posted form as the package's argument (None: left empty)."""
    if field.kind == "teams":
        return [_team_id(x) for x in request.form.getlist(field.name)]
    text = request.form.get(field.name, "").strip()
    if not text:
        if field.required:
            raise BadField("请填写：%s" % field.label)
        return None
    if field.kind == "datetime":
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            raise BadField("时间格式应为 YYYY-MM-DD HH:MM：%s" % text) from None
    if field.kind in ("date", "last_day"):  # a last day counts whole: the end is the next day
        return _day(text, 1 if field.kind == "last_day" else 0)
    if field.kind == "number":
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            raise BadField("%s应为整数：%s" % (field.label, text))
        return int(text)
    if field.kind == "employee":
        return _employee_id(text)
    if field.kind == "employees":
        return [_employee_id(x) for x in _SEPARATORS.split(text) if x]
    return text  # text, notes, and enum names (the package checks them)


def _arguments(kind: cbc.ActivityKind) -> Dict[str, Any]:
    return {field.name: _value(field) for field in FORMS[kind][1]}


def _request_key() -> str:
    """The library's request key for this form (a double submit records once), per employee."""
    key = request.form.get("request_key", "")
    if not _REQUEST_KEY.match(key):
        abort(400)
    return "web:%d:%s" % (current_user().id, key)


# -- recording --------------------------------------------------------------
def _add_training(unit_id: int, a: Dict[str, Any], key: str) -> int:
    attendees = [cbc.Attendee(i, True) for i in a["passed"] or []] + \
                [cbc.Attendee(i, False) for i in a["failed"] or []]
    return get_db().add_training(unit_id, a["kind"], a["held_at"], a["minutes"], a["title"],
                                 attendees, request_key=key, recorded_by=current_user().id)


def _add_drill(unit_id: int, a: Dict[str, Any], key: str) -> int:
    return get_db().add_drill(unit_id, a["held_at"], a["scenario"], a["team_ids"],
                              request_key=key, recorded_by=current_user().id)


def _add_visit(unit_id: int, a: Dict[str, Any], key: str) -> int:
    return get_db().add_visit(current_user().id, unit_id, a["visited_at"], a["findings"] or "",
                              request_key=key)


def _submit_proposal(unit_id: int, a: Dict[str, Any], key: str) -> int:
    return get_db().submit_proposal(current_user().id, a["title"], a["text"], unit_id,
                                    request_key=key)


def _assign_cadre(unit_id: int, a: Dict[str, Any], key: str) -> int:
    return get_db().assign_cadre(a["cadre_id"], unit_id, a["start"], a["end"],
                                 request_key=key, actor_id=current_user().id)


_ADD: Dict[cbc.ActivityKind, Callable[[int, Dict[str, Any], str], int]] = {
    K.TRAINING: _add_training, K.DRILL: _add_drill, K.VISIT: _add_visit,
    K.PROPOSAL: _submit_proposal, K.ASSIGNMENT: _assign_cadre}


def _form_unit(kind: cbc.ActivityKind) -> int:
    """The unit a form records for: the picker's; a proposal without one is
    about the proposer's own unit (the library's default, their team)."""
    if kind is K.PROPOSAL and not request.args.get("unit", "").strip():
        return current_user().unit_id
    return units.chosen_unit_id()


def _teams(unit: cbc.Unit) -> List[cbc.Unit]:
    """The open teams a drill of the unit may name (only an enterprise or a
    workshop holds drills: a region's subtree is not listed)."""
    if unit.kind not in (cbc.UnitKind.ENTERPRISE, cbc.UnitKind.WORKSHOP):
        return []
    with get_db().subtree(unit.id) as rows:
        teams = (u for u in rows if u.kind == cbc.UnitKind.TEAM and not u.closed)
        return list(itertools.islice(teams, MAX_ROWS))


def _may_record(kind: cbc.ActivityKind, unit_id: int) -> bool:
    """Whether the library lets the signed-in employee record a `kind` on the unit."""
    return get_db().may_record(kind, unit_id, current_user().id)


def _form_page(kind: cbc.ActivityKind, unit_id: int, error: Optional[str] = None,
               status: int = 200) -> Any:
    """The form; where the employee may not record (the picker may lead
    there), the rule instead, with 403 (the picker stays, to choose another
    unit)."""
    picker = units.picker(unit_id)
    allowed = _may_record(kind, unit_id)
    if not allowed and status == 200:
        status = 403
    now = get_db().now()
    return render_template("activities_new.html", kind=kind, title=FORMS[kind][0],
                           fields=FORMS[kind][1], picker=picker, teams=_teams(picker.unit),
                           values=request.form, error=error, allowed=allowed,
                           who_records=WHO_RECORDS[kind],
                           request_key=request.form.get("request_key") or secrets.token_hex(16),
                           now=now.strftime("%Y-%m-%dT%H:%M"), today=now.date().isoformat(),
                           ), status


@bp.route("/activities/<name>/new", methods=["GET", "POST"])
def new(name: str) -> Any:
    kind = _kind(name)
    unit_id = _form_unit(kind)
    if request.method == "GET":
        return _form_page(kind, unit_id)
    try:
        record_id = _ADD[kind](unit_id, _arguments(kind), _request_key())
    except BadField as e:
        return _form_page(kind, unit_id, str(e), 400)
    except cbc.CbcError as e:
        return _form_page(kind, unit_id, refusal(e), refusal_status(e))
    flash("已记录%s（编号 %d）。" % (label(kind), record_id))
    return redirect(url_for("activities.record", name=name, record_id=record_id))


# -- lists ------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One record in a list: when, where, what, and whether it was voided."""
    record_id: int
    at: Optional[datetime.datetime]
    unit_id: int
    title: str
    detail: str
    voided: bool


def _row(kind: cbc.ActivityKind, r: Any) -> Row:
    voided = r.voided_at is not None
    if kind is K.TRAINING:
        return Row(r.id, r.held_at, r.unit_id, r.title,
                   "%s · %d 分钟" % (label(r.kind), r.minutes), voided)
    if kind is K.DRILL:
        return Row(r.id, r.held_at, r.unit_id, r.scenario, "", voided)
    if kind is K.VISIT:
        return Row(r.id, r.visited_at, r.unit_id, r.findings or "（未记录发现的问题）",
                   employee_name(r.cadre_id), voided)
    if kind is K.PROPOSAL:
        return Row(r.id, r.submitted_at, r.unit_id, r.title,
                   "%s · %s" % (employee_name(r.proposer_id), label(r.status)), voided)
    return Row(r.id, r.start, r.unit_id, employee_name(r.cadre_id),
               "至 %s" % when(r.end, False) if r.end else "长期", voided)


def _rows(kind: cbc.ActivityKind, unit_id: int, start: datetime.datetime,
          end: datetime.datetime, with_voided: bool) -> Tuple[List[Row], bool]:
    """The first MAX_ROWS records of the unit's subtree in [start, end), and
    whether there were more."""
    with get_db().activities(kind, unit_id, start, end, with_voided) as records:
        rows = [_row(kind, r) for r in itertools.islice(records, MAX_ROWS + 1)]
    return rows[:MAX_ROWS], len(rows) > MAX_ROWS


@bp.route("/activities")
def index() -> Any:
    kind = _kind(request.args.get("kind", "training"))
    unit_id = units.chosen_unit_id()
    with_voided = request.args.get("voided") == "1"
    rows: List[Row] = []
    more, error, period = False, None, request.args.get("period", "")
    try:
        period, start, end = _period()
        rows, more = _rows(kind, unit_id, start, end, with_voided)
    except cbc.InvalidError as e:
        error = refusal(e)
    return render_template("activities.html", kind=kind, kinds=KINDS, forms=FORMS,
                           picker=units.picker(unit_id), rows=rows, more=more, period=period,
                           with_voided=with_voided, error=error,
                           may_record=_may_record(kind, unit_id),
                           max_rows=MAX_ROWS), 400 if error else 200


# -- a record's page and what may be done to it -------------------------------
def _lookup(kind: cbc.ActivityKind, record_id: int) -> Any:
    """The record when the signed-in employee may read its unit, else 404."""
    db = get_db()
    look_up: Dict[cbc.ActivityKind, Callable[[int], Any]] = {
        K.TRAINING: db.training, K.DRILL: db.drill, K.VISIT: db.visit,
        K.PROPOSAL: db.proposal, K.ASSIGNMENT: db.cadre_assignment}
    try:
        record = look_up[kind](record_id)
        readable = db.unit_readable(record.unit_id, current_user().id)
    except (cbc.NotFoundError, cbc.InvalidError):
        abort(404)
    if not readable:
        abort(404)
    return record


def _record_page(kind: cbc.ActivityKind, record: Any, error: Optional[str] = None,
                 status: int = 200, open_form: str = "") -> Any:
    """The record, with the forms of the moves the library lets the employee make on it now."""
    db = get_db()
    moves = db.activity_moves(kind, record.id, current_user().id)
    return render_template("activities_record.html", kind=kind, name=kind.name.lower(), r=record,
                           error=error, open_form=open_form, values=request.form,
                           may_void=cbc.ActivityMove.VOID in moves,
                           may_decide=cbc.ActivityMove.DECIDE in moves,
                           may_release=cbc.ActivityMove.RELEASE in moves,
                           today=db.now().date().isoformat()), status


@bp.route("/activities/<name>/<id:record_id>")
def record(name: str, record_id: int) -> Any:
    kind = _kind(name)
    return _record_page(kind, _lookup(kind, record_id))


def _change(kind: cbc.ActivityKind, record_id: int, form: str,
            change: Callable[[], None], notice: str) -> Any:
    """Make a change to a readable record through the library; its refusal
    is shown on the record's page (nothing changed), else a notice."""
    record_before = _lookup(kind, record_id)
    try:
        change()
    except BadField as e:
        return _record_page(kind, record_before, str(e), 400, form)
    except cbc.CbcError as e:
        return _record_page(kind, record_before, refusal(e), refusal_status(e), form)
    flash(notice)
    return redirect(url_for("activities.record", name=kind.name.lower(), record_id=record_id))


@bp.route("/activities/<name>/<id:record_id>/void", methods=["POST"])
def void(name: str, record_id: int) -> Any:
    kind = _kind(name)
    reason = request.form.get("reason", "").strip()
    return _change(kind, record_id, "void",
                   lambda: get_db().void_activity(kind, record_id, current_user().id, reason),
                   "已作废。")


@bp.route("/activities/proposal/<id:record_id>/decide", methods=["POST"])
def decide(record_id: int) -> Any:
    adopted = request.form.get("adopted") == "1"
    note = request.form.get("note", "").strip() or None
    return _change(K.PROPOSAL, record_id, "decide",
                   lambda: get_db().decide_proposal(record_id, current_user().id, adopted, note),
                   "已审议：%s。" % ("采纳" if adopted else "不采纳"))


@bp.route("/activities/assignment/<id:record_id>/release", methods=["POST"])
def release(record_id: int) -> Any:
    def end() -> None:
        last_day = _value(Field("at", "截止日期", "last_day"))
        get_db().release_cadre(record_id, last_day, actor_id=current_user().id)
    return _change(K.ASSIGNMENT, record_id, "release", end, "已结束包靠。")


# -- compliance ---------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """An employee in a compliance list: HR id, name and unit."""
    employee_id: int
    external_id: str
    name: str
    unit_id: int


def _person(employee_id: int) -> Person:
    e = get_db().employee(employee_id)
    return Person(e.id, e.external_id, e.name, e.unit_id)


@bp.route("/activities/compliance")
def compliance() -> Any:
    db = get_db()
    unit_id = units.chosen_unit_id()
    try:
        year = _year()
    except BadField as e:
        return render_template("activities_compliance.html", picker=units.picker(unit_id),
                               error=str(e), year=request.args.get("year", "")), 400
    untrained = db.untrained(unit_id, year)
    needs = db.training_needs(unit_id)
    return render_template(
        "activities_compliance.html", picker=units.picker(unit_id), year=year, error=None,
        untrained=[_person(i) for i in untrained[:MAX_ROWS]], untrained_count=len(untrained),
        needs=[(_person(n.employee_id), n) for n in needs[:MAX_ROWS]], needs_count=len(needs),
        gaps=db.drill_gaps(unit_id, year), max_rows=MAX_ROWS)
