"""What every template uses: the Chinese labels of the library's enums, times
in the database's offset, money in yuan, the names of employees and units
(looked up once per request), and the error pages."""
from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, Optional

import cbc
from flask import Flask, Response, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .database import get_db
from .units import url_with_unit


def label(member: Any) -> str:
    """A member's Chinese label from the library's table (its name without one); "" for None."""
    if member is None:
        return ""
    return str(member.label or member.name)


def when(value: Optional[datetime.datetime], with_time: bool = True) -> str:
    """A time as the package returns it (aware, in the database's offset); "" for None."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def yuan(fen: int) -> str:
    """An amount in fen (分) as yuan: 1234 -> "12.34"."""
    sign = "-" if fen < 0 else ""
    return "%s%d.%02d" % (sign, abs(fen) // 100, abs(fen) % 100)


def fen(text: str) -> int:
    """Yuan as typed ("1200", "35.5", "0.05") in fen, exactly: yuan() read
    back.  ValueError, with the message in Chinese, for anything else: a
    sign, a separator, more than two decimals, digits other than 0-9, more
    than 12 digits of yuan (the library bounds the amount itself)."""
    whole, dot, cents = text.strip().partition(".")
    if not (text.isascii() and whole.isdigit() and len(whole) <= 12
            and (not dot or (cents.isdigit() and len(cents) <= 2))):
        raise ValueError("金额应为元，最多两位小数：%s" % text.strip())
    return int(whole) * 100 + int((cents + "00")[:2])


#: The library's refusals as HTTP statuses (the first that matches).
REFUSAL_STATUS = ((cbc.PermissionDenied, 403), (cbc.StateError, 409), (cbc.ConflictError, 409),
                  (cbc.CbcError, 400))


def refusal_status(e: cbc.CbcError) -> int:
    """The status a page shows the library's refusal with; a BusyError is
    raised again, for the app's 503 "try again" page."""
    if isinstance(e, cbc.BusyError):
        raise e
    return next(code for kind, code in REFUSAL_STATUS if isinstance(e, kind))


#: What each kind of refusal means, in Chinese, before the library's own
#: (English, exact) message.
REFUSAL_KIND = ((cbc.PermissionDenied, "没有权限"), (cbc.StateError, "当前状态不允许该操作"),
                (cbc.ConflictError, "与已有记录冲突"), (cbc.NotFoundError, "找不到"),
                (cbc.InvalidError, "填写有误"), (cbc.CbcError, "操作未完成"))


def refusal(e: cbc.CbcError) -> str:
    """A refusal as a page shows it: what kind it is in Chinese, then the
    library's message, which names the rule."""
    kind = next(text for cls, text in REFUSAL_KIND if isinstance(e, cls))
    return "%s：%s" % (kind, e.message)


def timeliness(filing: cbc.Filing) -> cbc.FilingState:
    """A filed version's own standing, as the library marked it: late or on time."""
    return cbc.FilingState.LATE if filing.late else cbc.FilingState.ON_TIME


class BadRequest(Exception):
    """A query or a form field a page cannot take: a 400 with the message
    (in Chinese, or the library's).  A page that shows its own form again
    catches it; otherwise the app's handler renders it (init_app)."""


def _bad_request(e: BadRequest) -> Any:
    return render_template("error.html", code=400, title="请求无效", detail=str(e)), 400


def page_number(text: str) -> int:
    """A list's ?page= (1 when absent or empty); BadRequest for anything but
    a whole number from 1 on."""
    text = text.strip()
    if not text:
        return 1
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise BadRequest("页码无效：%s" % text)
    return int(text)


def named_employee_id(external_id: str, field: str) -> int:
    """The employee a form field (@p field, its Chinese name) names by HR
    id, when the signed-in employee may read their unit; BadRequest when the
    field is empty or names nobody they may read (as one that does not
    exist)."""
    external_id = external_id.strip()
    if not external_id:
        raise BadRequest("请填写：%s" % field)
    employee_id = readable_employee_id(external_id)
    if employee_id is None:
        raise BadRequest("没有工号为 %s 的职工" % external_id)
    return employee_id


def readable_employee_id(external_id: str) -> Optional[int]:
    """The id of the employee a form names by HR id when the signed-in
    employee may read their unit; None otherwise, as for one that does not
    exist (a form must not tell another enterprise's names)."""
    db = get_db()
    try:
        employee = db.employee_by_external(external_id)
        if db.unit_readable(employee.unit_id, g.user.id):
            return employee.id
    except cbc.NotFoundError:
        pass
    return None


def forget_names() -> None:
    """Drop the request's cached names (an export does after each page, so
    the caches hold one page's names, not every name of a million rows)."""
    g.pop("employee_names", None)
    g.pop("unit_names", None)


def _cached_name(cache_name: str, record_id: int, look_up: Callable[[int], Any]) -> str:
    """The name of record_id, looked up once per request ("" for 0; "#id"
    for one that no longer exists)."""
    if not record_id:
        return ""
    cache: Optional[Dict[int, str]] = g.get(cache_name)
    if cache is None:
        cache = {}
        setattr(g, cache_name, cache)
    if record_id not in cache:
        try:
            cache[record_id] = look_up(record_id).name
        except cbc.NotFoundError:
            cache[record_id] = "#%d" % record_id
    return cache[record_id]


def employee_name(employee_id: int) -> str:
    """An employee's name; "" for 0 (nobody: an anonymous tip-off, the system)."""
    return _cached_name("employee_names", employee_id, get_db().employee)


def unit_name(unit_id: int) -> str:
    """A unit's name; "" for 0."""
    return _cached_name("unit_names", unit_id, get_db().unit)


_MESSAGES = {400: "请求无效", 403: "没有权限", 404: "找不到该页面", 405: "不支持该操作",
             413: "上传内容过大", 429: "请求过于频繁"}


def _error(e: HTTPException) -> Any:
    code = e.code or 500
    detail = e.description if isinstance(e, CSRFError) else None
    return render_template("error.html", code=code, title=_MESSAGES.get(code, "出错了"),
                           detail=detail), code


def _busy(e: cbc.BusyError) -> Any:
    """The database stayed locked by another writer past the busy timeout:
    ask to try again (nothing was changed)."""
    return render_template("error.html", code=503, title="系统繁忙，请稍后再试",
                           detail=e.message), 503


def _hardened(response: Response) -> Response:
    """Headers on every response: browsers take the stated media type (an
    uploaded photo is never run as a page), no framing, no referrer sent
    elsewhere (URLs carry hazard numbers)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_hardened)
    app.register_error_handler(cbc.BusyError, _busy)
    app.register_error_handler(BadRequest, _bad_request)
    app.jinja_env.globals.update(label=label, employee_name=employee_name, unit_name=unit_name,
                                 url_with_unit=url_with_unit)
    app.jinja_env.filters.update(when=when, yuan=yuan)
    for code in _MESSAGES:
        app.register_error_handler(code, _error)
