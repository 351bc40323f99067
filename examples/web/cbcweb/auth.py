"""Signing in: the trusted proxy header (off unless configured), or the
standalone account (db.login) kept in the session; the signed-in employee is
looked up on every request, and one who left is signed out."""
from __future__ import annotations

from typing import Any, Callable, Optional, cast

import cbc
from flask import (Blueprint, Flask, current_app, g, redirect, render_template, request,
                   session, url_for)

from .database import get_db

bp = Blueprint("auth", __name__)


#: The one message for a wrong password, an unknown id or an account that may not sign in.
WRONG_CREDENTIALS = "工号或密码不正确。"


def _employee(look_up: Callable[[], cbc.Employee]) -> Optional[cbc.Employee]:
    """The active employee look_up() finds, None for an unknown or inactive one."""
    try:
        employee = look_up()
    except cbc.NotFoundError:
        return None
    return employee if employee.active else None


def _load_user() -> None:
    """g.user: the employee the proxy header names, else the session's; a
    session whose employee is gone or inactive is ended."""
    g.user = None
    header = current_app.config["CBC_PROXY_HEADER"]
    external_id = request.headers.get(header, "").strip() if header else ""
    if external_id:
        g.user = _employee(lambda: get_db().employee_by_external(external_id))
        return
    employee_id = session.get("employee_id")
    if isinstance(employee_id, int):
        signed_in: int = employee_id
        g.user = _employee(lambda: get_db().employee(signed_in))
        if g.user is None or session.get("password_set") != _password_set(signed_in):
            g.user = None  # gone, or the password was changed or cleared since
            session.clear()


def _password_set(employee_id: int) -> Optional[float]:
    """When the employee's password was set (None without one): a session
    signed in before a new or cleared password is over."""
    changed = get_db().account(employee_id).changed_at
    return changed.timestamp() if changed is not None else None


#: What anyone may fetch: the login form and the static files.
PUBLIC_ENDPOINTS = frozenset({None, "static", "auth.login", "vendor.echarts"})


def _needs_user() -> bool:
    return request.endpoint not in PUBLIC_ENDPOINTS


def _before_request() -> Any:
    if not _needs_user():
        return None
    _load_user()
    if g.user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def init_app(app: Flask) -> None:
    """Every page but the login form and the static files needs a signed-in
    employee (anonymous visitors are sent to the login form)."""
    app.before_request(_before_request)

    @app.context_processor
    def _user() -> dict[str, Any]:
        return {"user": g.get("user")}


def current_user() -> cbc.Employee:
    """The signed-in employee (the pages run only with one)."""
    return cast(cbc.Employee, g.user)


def _local(target: Optional[str]) -> str:
    """target when it is a path on this site, else the home page (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return url_for("report.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    status = 200
    if request.method == "POST":
        try:
            employee = get_db().login(request.form.get("external_id", "").strip(),
                                      request.form.get("password", ""))
        except (cbc.PermissionDenied, cbc.NotFoundError, cbc.InvalidError):
            error, status = WRONG_CREDENTIALS, 401
        except cbc.BusyError as e:
            error, status = "失败次数过多，请稍后再试（%s）" % e.message, 429
        else:
            session.clear()
            session.permanent = True  # ends after SESSION_LIFETIME (create_app)
            session["employee_id"] = employee.id
            session["password_set"] = _password_set(employee.id)
            return redirect(_local(request.form.get("next")))
    return render_template("login.html", error=error,
                           next=_local(request.values.get("next"))), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))


def is_admin() -> bool:
    """Whether the signed-in employee is one of the app's administrators
    (create_app(admins=...), the launcher's --admin)."""
    user: Optional[cbc.Employee] = g.get("user")
    return user is not None and user.external_id in current_app.config["CBC_ADMINS"]
