"""奖惩 (docs/rewards.md) in the browser: a unit's and a period's summary,
the evaluation's decisions with their reasons (a preview, and a real run
that proposes the awards), the award ledger with each award's history and
its steps (approve, pay, decline, review), internal fines, a hazard's
reward explanation, and the current policy, read-only.

Thin over the package: the decisions, their reasons, who may approve, pay,
decline or fine are the library's answers (a refusal is shown with its
message, and nothing changes).  The page offers an award's steps as the
library's award_moves() answers for the signed-in employee, and the real
evaluation when may_evaluate_rewards() allows it (a union cadre over the
unit): the forms shown are the library's rules, not a copy of them.  The pages show only units the signed-in
employee may read (units.chosen_unit_id()); an award counted in another
enterprise, like a hazard there, is a 404, as one that does not exist."""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, TypeVar

import cbc
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .auth import current_user
from .database import get_db
from .pages import BadRequest, fen, named_employee_id, page_number, refusal, refusal_status
from .units import chosen_unit_id, picker
from .uploads import readable

bp = Blueprint("rewards", __name__)

#: Rows per page of the award ledger and the fines.
PAGE_SIZE = 50

#: The award ledger's ?period= for every period (the other pages take one period).
ANY_TIME = "all"

#: The section's tabs: (endpoint, title).
TABS = (("rewards.index", "汇总"), ("rewards.decisions", "评定"), ("rewards.awards", "奖励台账"),
        ("rewards.fines", "内部罚单"), ("rewards.policy", "奖励政策"))

T = TypeVar("T")







# -- the unit and the period -------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """What a page is about: a unit the employee may read and a period (the
    query's ?unit= and ?period=); text is the period as the links give it
    back.  any_time: the award ledger's "every period" (period is then the
    current month, unused)."""
    unit_id: int
    period: cbc.Period
    text: str
    any_time: bool = False

    @property
    def query(self) -> Dict[str, Any]:
        return {"unit": self.unit_id, "period": self.text}


def _scope(any_time_allowed: bool = False) -> Scope:
    """The page's unit (404 for one the employee may not read) and period
    (parsed by the library; default the current month; 400 with the
    library's message for a bad one)."""
    unit_id = chosen_unit_id()
    db = get_db()
    text = request.args.get("period", "").strip()
    if any_time_allowed and text == ANY_TIME:
        return Scope(unit_id, cbc.Period.current(db), ANY_TIME, True)
    try:
        period = db.parse_period(text) if text else cbc.Period.current(db)
    except cbc.InvalidError as e:
        raise BadRequest(refusal(e)) from None
    return Scope(unit_id, period, db.format_period(period))


def _page(rows: Sequence[T]) -> Tuple[Sequence[T], int, int]:
    """(the rows of the query's ?page=, that page, the number of pages)."""
    page = page_number(request.args.get("page", ""))
    return (rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], page,
            max(1, math.ceil(len(rows) / PAGE_SIZE)))


def _render(template: str, scope: Scope, status: int = 200, **context: Any) -> Any:
    """A page about a scope: its tabs, the unit picker and the period form."""
    return render_template(template, scope=scope, picker=picker(scope.unit_id), tabs=TABS,
                           **context), status


# -- the summary and the decisions ------------------------------------------
@bp.route("/rewards")
def index() -> Any:
    scope = _scope()
    return _render("rewards.html", scope,
                   summary=get_db().reward_summary(scope.unit_id, scope.period))


def _decisions_page(scope: Scope, error: Optional[str] = None, status: int = 200) -> Any:
    """The decisions page; the preview (a dry run over the whole subtree,
    seconds for a district) runs only when asked for (``preview=1``)."""
    db, me = get_db(), current_user().id
    evaluation = None
    if request.args.get("preview") == "1":
        evaluation = db.evaluate_rewards(scope.unit_id, scope.period, dry_run=True, actor_id=me)
    return _render("rewards_decisions.html", scope, status, evaluation=evaluation, error=error,
                   may_evaluate=db.may_evaluate_rewards(scope.unit_id, me))


@bp.route("/rewards/decisions")
def decisions() -> Any:
    """The evaluation as a preview on request (a dry run: nothing is written)."""
    return _decisions_page(_scope())


@bp.route("/rewards/decisions", methods=["POST"])
def evaluate() -> Any:
    """The evaluation for real: eligible decisions become proposed awards
    (found, never repeated, when they exist).  It runs as the signed-in
    employee, and the library lets only a union cadre over the unit run it
    (docs/rewards.md, "Who may evaluate"): anyone else gets 403 and nothing
    is written."""
    scope = _scope()
    try:
        evaluation = get_db().evaluate_rewards(scope.unit_id, scope.period,
                                               actor_id=current_user().id)
    except cbc.CbcError as e:
        return _decisions_page(scope, refusal(e), refusal_status(e))
    awarded = sum(1 for d in evaluation.decisions if d.award_id)
    flash("已评定：%d 项决定，%d 项奖励记录。" % (len(evaluation.decisions), awarded))
    return redirect(url_for("rewards.decisions", **scope.query, preview="1"))


@bp.route("/rewards/hazards/<id:hazard_id>")
def hazard(hazard_id: int) -> Any:
    """A hazard's discovery decisions, as made when it closed."""
    if not readable(hazard_id):
        abort(404)
    db = get_db()
    return render_template("rewards_hazard.html", hazard=db.hazard(hazard_id), tabs=TABS,
                           evaluation=db.explain_hazard_reward(hazard_id))


# -- the award ledger --------------------------------------------------------
def _state() -> Optional[cbc.AwardState]:
    text = request.args.get("state", "").strip()
    if not text:
        return None
    try:
        return cbc.AwardState.coerce(text, "state")
    except ValueError as e:
        raise BadRequest(str(e)) from None


@bp.route("/rewards/awards")
def awards() -> Any:
    scope = _scope(any_time_allowed=True)
    state = _state()
    rows = get_db().select_awards(unit_id=scope.unit_id, state=state,
                                  period=None if scope.any_time else scope.period)
    shown, page, pages = _page(rows)
    return _render("rewards_awards.html", scope, awards=shown, count=len(rows), page=page,
                   pages=pages, state=state, states=list(cbc.AwardState), any_time=ANY_TIME)


def _award(award_id: int) -> cbc.Award:
    """The award, when the employee may read the unit where it counts; 404 otherwise."""
    db = get_db()
    try:
        award = db.award(award_id)
        if db.unit_readable(award.unit_id, current_user().id):
            return award
    except (cbc.NotFoundError, cbc.InvalidError):
        pass
    abort(404)


class Step(NamedTuple):
    """One line of an award's history: when, who (0: the library), what, a note."""
    at: datetime.datetime
    actor_id: int
    what: str
    note: str


def _history(a: cbc.Award) -> List[Step]:
    """The award's steps that were taken, in time order."""
    steps = [(a.proposed_at, 0, "评定提出", ""),
             (a.approved_at, a.approved_by, "批准", ""),
             (a.paid_at, a.paid_by, "发放", a.payment_ref),
             (a.flagged_at, 0, "隐患经回头看重新整改，奖励待复核", ""),
             (a.reviewed_at, a.reviewed_by, "复核：奖励保留", a.review_note),
             (a.declined_at, a.declined_by, "不予奖励", a.decline_reason)]
    return sorted((Step(at, who, what, note) for at, who, what, note in steps if at is not None),
                  key=lambda step: step.at)


@dataclass(frozen=True)
class Field:
    """A text input of an award step's form."""
    name: str
    label: str
    required: bool = True


Call = Callable[[cbc.Database, cbc.Award, int, Dict[str, str]], None]


@dataclass(frozen=True)
class Move:
    """A step on an award: its title, its fields, the library's step (its
    form is shown when award_moves() has it for the signed-in employee; the
    step itself is checked again), the call."""
    title: str
    fields: Tuple[Field, ...]
    step: cbc.AwardStep
    call: Call


#: The steps on an award, in the order the page offers them.
MOVES: Dict[str, Move] = {
    "approve": Move("批准", (), cbc.AwardStep.APPROVE,
                    lambda db, a, me, f: db.approve_award(a.id, me)),
    "pay": Move("登记发放", (Field("payment_ref", "付款凭证号"),
                          Field("claim_key", "举报人出示的查询码", False)), cbc.AwardStep.PAY,
                lambda db, a, me, f: db.pay_award(a.id, me, f["payment_ref"],
                                                  f.get("claim_key") or None)),
    "review": Move("复核：奖励保留", (Field("note", "复核意见"),), cbc.AwardStep.REVIEW,
                   lambda db, a, me, f: db.review_award(a.id, me, f["note"])),
    "decline": Move("不予奖励", (Field("reason", "理由"),), cbc.AwardStep.DECLINE,
                    lambda db, a, me, f: db.decline_award(a.id, me, f["reason"])),
}


def _award_page(award_id: int, error: Optional[str] = None, status: int = 200,
                open_move: Optional[str] = None) -> Any:
    award = _award(award_id)
    allowed = get_db().award_moves(award.id, current_user().id)
    moves = [(name, move) for name, move in MOVES.items() if move.step in allowed]
    return render_template("rewards_award.html", award=award, history=_history(award),
                           moves=moves, error=error, open_move=open_move, values=request.form,
                           tabs=TABS), status


@bp.route("/rewards/awards/<id:award_id>")
def award(award_id: int) -> Any:
    return _award_page(award_id)


def _fields(fields: Tuple[Field, ...]) -> Dict[str, str]:
    values = {f.name: request.form.get(f.name, "").strip() for f in fields}
    for f in fields:
        if f.required and not values[f.name]:
            raise BadRequest("请填写：%s" % f.label)
    return values


@bp.route("/rewards/awards/<id:award_id>/<name>", methods=["POST"])
def award_move(award_id: int, name: str) -> Any:
    """A step on an award; the library refuses what it does not allow (the
    form's absence protects nothing) and the page shows its message."""
    award = _award(award_id)
    move = MOVES.get(name)
    if move is None:
        abort(404)
    try:
        move.call(get_db(), award, current_user().id, _fields(move.fields))
    except BadRequest as e:
        return _award_page(award_id, str(e), 400, name)
    except cbc.CbcError as e:
        return _award_page(award_id, refusal(e), refusal_status(e), name)
    flash("已%s。" % move.title)
    return redirect(url_for("rewards.award", award_id=award_id))


# -- fines -------------------------------------------------------------------
def _fines_page(scope: Scope, error: Optional[str] = None, status: int = 200) -> Any:
    db = get_db()
    start, end = db.period_bounds(scope.period)
    rows = db.fines(scope.unit_id, start, end)
    shown, page, pages = _page(rows)
    return _render("rewards_fines.html", scope, status, fines=shown, count=len(rows),
                   total_fen=sum(f.amount_fen for f in rows), page=page, pages=pages,
                   error=error, values=request.form)


@bp.route("/rewards/fines")
def fines() -> Any:
    return _fines_page(_scope())




def _fined_hazard(text: str) -> int:
    """The hazard a fine is for (0: none, a violation instead), one the issuer may read."""
    if not text:
        return 0
    if text.isascii() and text.isdigit() and readable(int(text)):
        return int(text)
    raise BadRequest("没有编号为 %s 的隐患" % text)


def _fine_arguments() -> Dict[str, Any]:
    """issue_fine()'s arguments from the form (the amount typed in yuan)."""
    form = request.form
    reason = form.get("reason", "").strip()
    if not reason:
        raise BadRequest("请填写：罚款理由")
    try:
        amount_fen = fen(form.get("amount", ""))
    except ValueError as e:
        raise BadRequest(str(e)) from None
    return {"employee_id": named_employee_id(form.get("employee", ""), "被罚职工工号"),
            "amount_fen": amount_fen, "reason": reason,
            "hazard_id": _fined_hazard(form.get("hazard", "").strip()),
            "violation": form.get("violation", "").strip() or None}


@bp.route("/rewards/fines", methods=["POST"])
def issue_fine() -> Any:
    """Issue a fine; the library decides who may (a principal or safety
    officer of the fined employee's enterprise) and what it takes."""
    scope = _scope()
    try:
        fine_id = get_db().issue_fine(actor_id=current_user().id, **_fine_arguments())
    except BadRequest as e:
        return _fines_page(scope, str(e), 400)
    except cbc.CbcError as e:
        return _fines_page(scope, refusal(e), refusal_status(e))
    flash("已开具罚单（编号 %d）。" % fine_id)
    return redirect(url_for("rewards.fines", **scope.query))


# -- the policy --------------------------------------------------------------
#: The policy's keys in Chinese (docs/rewards.md, "The policy"); a key the
#: library adds later shows by its name.
POLICY_KEYS = {
    "amount_fen": "奖励金额（元）", "enabled": "启用", "major_hazards": "重大隐患数不少于",
    "hazards_closed": "销号隐患数不少于", "on_time_rate": "按期整改率不低于（%）",
    "training_coverage": "培训覆盖率不低于（%）", "drill_coverage": "班组演练覆盖率不低于（%）",
    "overdue_major": "期末超期重大隐患不多于", "drills": "演练次数不少于",
    "drill_team_participation": "班组参演率不低于（%）", "disposal_rate": "处置率不低于（%）",
    "months_without_data": "无活动月数不多于",
    "responsible_reporter_rewarded": "责任人上报本人负责的隐患可获奖",
    "monthly_form_due_day": "月报报送截止日", "monthly_form_due_next_month": "月报次月报送",
    "major_hazard_report_days": "重大隐患报告期限（上报后天数）",
    "reports_from_filings": "按月报报送记录考核", "months_not_filed_on_time": "月报未按时报送月数不多于",
}


@bp.route("/rewards/policy")
def policy() -> Any:
    """The current policy, read-only (union cadres set it, docs/rewards.md)."""
    current = get_db().policy()
    rules = current.data.get("rules", {})
    by_rule = [(rule, rules.get(cbc.reward_rule_name(rule) or "", {})) for rule in cbc.RewardRule]
    switches = {k: v for k, v in current.data.items() if k != "rules"}
    return render_template("rewards_policy.html", policy=current, rules=by_rule,
                           switches=switches, keys=POLICY_KEYS, tabs=TABS)
