"""A hazard's history as its page shows it: each move with the actor's name,
the library's label of the move, and the parts of the move's data a reader
needs (reasons, notes, the five items, the plan, the new deadline asked
for, the authority that listed it ...) under Chinese labels, formatted:
times in the database's offset, amounts in yuan, enums by the library's
labels, people by name.

The library labels its enums but not the keys of an event's data (cbc/hazard.h,
cbc_hazard_event.data; lib/hazard_move.c writes them), so the labels of the
keys are kept here.  The keys that only restate the report (reporter, unit,
title, ...: the page shows them above) or the library's bookkeeping
(has_plan, amended) are left out, as are keys this table does not know."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import cbc

from .database import get_db
from .pages import employee_name, label, when, yuan

A = cbc.HazardAction

#: CBC_AMEND_FUNDS (cbc/hazard.h): an amendment that sets the funds to 0
#: (an amount the data leaves out, as every 0).
_AMEND_FUNDS = 1 << 2


@dataclass(frozen=True)
class Entry:
    """One move of the timeline: the event, who made it (a name, or who
    stands for nobody) and its details as (label, text) pairs."""
    event: cbc.HazardEvent
    actor: str
    details: List[Tuple[str, str]]


def _time(seconds: int, with_time: bool = True) -> str:
    zone = datetime.timezone(datetime.timedelta(seconds=get_db().utc_offset))
    return when(datetime.datetime.fromtimestamp(seconds, zone), with_time)


def _enum(cls: Any) -> Callable[[Any], str]:
    return lambda value: label(cls(value))


_TEXT: Callable[[Any], str] = str

#: The keys shown, in this order: (key, label, how its value is written).
_KEYS: List[Tuple[str, str, Callable[[Any], str]]] = [
    ("severity", "隐患等级", _enum(cbc.Severity)),
    ("level", "整改层级", _enum(cbc.Level)),
    ("kind", "隐患类型", _enum(cbc.HazardKind)),
    ("category", "隐患类别", _enum(cbc.HazardCategory)),
    ("check_item", "检查项目", _enum(cbc.CheckItem)),
    ("responsible_id", "责任人", employee_name),
    ("measures", "整改措施", _TEXT),
    ("funds_fen", "整改资金", lambda fen: "%s 元" % yuan(fen)),
    ("deadline", "整改期限", lambda t: _time(t, False)),
    ("contingency_plan", "应急预案", _TEXT),
    ("plan_goals", "目标任务", _TEXT),
    ("plan_methods", "方法措施", _TEXT),
    ("plan_funds_materials", "经费物资", _TEXT),
    ("plan_responsible_bodies", "负责机构和人员", _TEXT),
    ("plan_time_limit", "治理时限", lambda t: _time(t, False)),
    ("plan_safety_measures", "安全措施和应急预案", _TEXT),
    ("authority", "督办机关", _TEXT),
    ("document", "督办文号", _TEXT),
    ("duplicate_of", "重复于隐患", lambda hazard_id: "%d 号" % hazard_id),
    ("reason", "理由", _TEXT),
    ("note", "说明", _TEXT),
]

#: Labels that read better for one move (the move forms' own words).
_LABELS: Dict[Tuple[cbc.HazardAction, str], str] = {
    (A.REQUEST_EXTENSION, "deadline"): "申请的新期限",
    (A.DECIDE_EXTENSION, "reason"): "意见",
    (A.SUBMIT, "note"): "整改情况",
    (A.VERIFY_PASS, "note"): "验收意见",
    (A.VERIFY_FAIL, "note"): "不通过的理由",
    (A.AMEND, "reason"): "更正理由",
    (A.ESCALATE, "responsible_id"): "新责任人",
}

#: What a move's data holds that the table above would show needlessly.
_HIDDEN: Dict[cbc.HazardAction, Tuple[str, ...]] = {
    A.ESCALATE_OVERDUE: ("reason",),  # the library's own word; the move's label says it
}


def details(action: cbc.HazardAction, data: Mapping[str, Any]) -> List[Tuple[str, str]]:
    """The (label, text) pairs of one move's data."""
    if action is A.REPORT:  # the report itself is the page's facts
        return [("发现时间", _time(data["observed_at"]))] if data.get("observed_at") else []
    shown: List[Tuple[str, str]] = []
    if action is A.DECIDE_EXTENSION:
        shown.append(("审批结果", "批准" if data.get("approve") else "不批准"))
    values = dict(data)
    if action is A.AMEND and int(values.get("amended", 0)) & _AMEND_FUNDS:
        values.setdefault("funds_fen", 0)
    hidden = _HIDDEN.get(action, ())
    for key, name, write in _KEYS:
        value: Optional[Any] = values.get(key)
        if key in hidden or value is None or value == "":
            continue
        shown.append((_LABELS.get((action, key), name), write(value)))
    return shown


def _actor(event: cbc.HazardEvent) -> str:
    if event.actor_id:
        return employee_name(event.actor_id)
    return "匿名举报人" if event.action is A.REPORT else "系统"


def entries(history: List[cbc.HazardEvent]) -> List[Entry]:
    """The timeline of a hazard's history (db.hazard_history), oldest first."""
    return [Entry(e, _actor(e), details(e.action, e.data)) for e in history]
