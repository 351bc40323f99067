"""组织: the organisation tree, its employees, and HR file imports.

The tree page shows one unit at a time: its path from the signed-in
employee's read scope (breadcrumbs), its children as links and its
employees a page at a time, so no page walks a whole subtree (a district
holds thousands of units, the organisation a million employees).  A unit or
employee outside what the employee may read (db.unit_readable) is a 404, as
one that does not exist.

The app's administrators (create_app(admins=...), the launcher's --admin)
also see sign-in accounts and may import HR files (hr_import.py); for
everyone else those pages do not exist (404)."""
from __future__ import annotations

import itertools
import os
import threading
from typing import Any, Dict, List, Optional, Tuple

import cbc
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)

from . import hr_import, units
from .auth import current_user, is_admin
from .database import get_db
from .links import parse_id, url_with_query

bp = Blueprint("org", __name__)

#: Employees per page of a unit.
PAGE_SIZE = 50

#: The encodings the import form offers ("" lets the library detect it).
ENCODINGS = [("", "自动识别（UTF-8 或 GBK）"), ("utf-8", "UTF-8"), ("gb18030", "GBK / GB18030")]

#: The form's file fields and the records each holds.
FILE_FIELDS = [("units", cbc.RecordKind.UNIT), ("employees", cbc.RecordKind.EMPLOYEE)]


# -- the tree -----------------------------------------------------------------

def _cursor() -> Optional[Tuple[int, int]]:
    """The query's ``after``: "UNIT.EMPLOYEE", the last row of the previous
    page (the library's keyset cursor); None on the first page, 400 if bad."""
    text = request.args.get("after", "").strip()
    if not text:
        return None
    unit_text, dot, employee_text = text.partition(".")
    unit_id, employee_id = parse_id(unit_text), parse_id(employee_text)
    if not dot or unit_id is None or employee_id is None:
        abort(400)
    return unit_id, employee_id


def _employees(unit_id: int, include_inactive: bool,
               after: Optional[Tuple[int, int]]) -> Tuple[List[cbc.Employee], bool]:
    """One page of the employees of a unit's subtree, and whether more follow.
    The library's keyset cursor starts the page where the last one ended, so
    a deep page costs what the first one does."""
    try:
        with get_db().employees(unit_id, include_inactive=include_inactive,
                                after=after) as rows:
            page = list(itertools.islice(rows, PAGE_SIZE + 1))
    except (cbc.InvalidError, cbc.NotFoundError):
        abort(400)  # a cursor from another unit's list, or one whose unit has gone
    return page[:PAGE_SIZE], len(page) > PAGE_SIZE


@bp.route("/org")
def tree() -> Any:
    unit_id = units.chosen_unit_id()
    include_inactive = request.args.get("inactive") == "1"
    after = _cursor()
    employees, more = _employees(unit_id, include_inactive, after)
    query: Dict[str, Any] = {"unit": unit_id}
    if include_inactive:
        query["inactive"] = "1"
    last = employees[-1] if employees else None
    return render_template(
        "org.html", picker=units.picker(unit_id), employees=employees, paged=after is not None,
        include_inactive=include_inactive, page_size=PAGE_SIZE,
        next_url=url_with_query("org.tree", dict(query, after="%d.%d" % (last.unit_id, last.id)))
        if more and last else None,
        first_url=url_with_query("org.tree", query) if after else None,
        toggle_url=url_for("org.tree", unit=unit_id, inactive=None if include_inactive else "1"),
        admin=is_admin())


# -- an employee ----------------------------------------------------------------

def _readable_employee(employee_id: int) -> cbc.Employee:
    """The employee when the signed-in one may read their unit, else 404."""
    db = get_db()
    try:
        employee = db.employee(employee_id)
        if db.unit_readable(employee.unit_id, current_user().id):
            return employee
    except cbc.NotFoundError:
        pass
    abort(404)


@bp.route("/org/employees/<id:employee_id>")
def employee(employee_id: int) -> Any:
    db = get_db()
    person = _readable_employee(employee_id)
    me = current_user().id
    readable: Dict[int, bool] = {0: False}
    history = db.employee_history(employee_id)
    for event in history:
        for unit_id in (event.from_unit, event.to_unit):
            if unit_id not in readable:
                readable[unit_id] = db.unit_readable(unit_id, me)
    account = db.account(employee_id) if is_admin() else None
    return render_template("org_employee.html", person=person, history=history,
                           readable=readable, account=account)


# -- HR import (the app's administrators only) ---------------------------------

#: Guards the creation of an app's importer (two first requests at once make one).
_IMPORTER_LOCK = threading.Lock()


def _importer() -> hr_import.Importer:
    """The app's importer (its files in CBC_IMPORT_DIR: places.import_dir);
    404 for anyone but the app's administrators."""
    if not is_admin():
        abort(404)
    with _IMPORTER_LOCK:
        found: Optional[hr_import.Importer] = current_app.extensions.get("cbcweb_hr_import")
        if found is None:
            found = hr_import.Importer(current_app.config["CBC_DB_PATH"],
                                       os.fspath(current_app.config["CBC_IMPORT_DIR"]))
            current_app.extensions["cbcweb_hr_import"] = found
    return found


def _job(job_id: str) -> hr_import.Job:
    job = _importer().job(job_id)
    if job is None:
        abort(404)
    return job


def _import_form(importer: hr_import.Importer, error: Optional[str] = None,
                 status: int = 200) -> Any:
    return render_template("org_import.html", running=importer.running(),
                           recent=importer.recent(), error=error, encodings=ENCODINGS,
                           modes=list(cbc.SyncMode), max_mib=hr_import.MAX_FILE_BYTES // 2**20,
                           form=request.form), status


def _uploads() -> List[hr_import.Upload]:
    found = []
    for name, record in FILE_FIELDS:
        f = request.files.get(name)
        if f is not None and f.filename:
            found.append(hr_import.Upload(record, f.filename, f.stream))
    return found


@bp.route("/org/import", methods=["GET", "POST"])
def import_files() -> Any:
    importer = _importer()
    if request.method == "GET":
        return _import_form(importer)
    uploads = _uploads()
    if not uploads:
        return _import_form(importer, "请选择单位文件或职工文件（或两者）。", 400)
    try:
        mode = cbc.SyncMode[request.form.get("mode", "INCREMENTAL")]
    except KeyError:
        abort(400)
    try:
        job = importer.start(current_user().id, uploads, mode, request.form.get("strict") == "1",
                             request.form.get("encoding") or None)
    except hr_import.Busy:
        return _import_form(importer, "已有一个导入正在进行，请等它结束后再导入。", 409)
    except hr_import.BadUpload as e:
        return _import_form(importer, str(e), 413)
    except OSError as e:  # the import directory cannot be written: nothing started
        return _import_form(importer, "无法保存上传的文件：%s" % e.strerror, 500)
    flash("文件已上传，正在导入。")
    return redirect(url_for("org.import_job", job_id=job.id))


@bp.route("/org/import/<job_id>")
def import_job(job_id: str) -> Any:
    job = _job(job_id)
    return render_template("org_import_job.html", job=job,
                           started_by=get_db().employee(job.started_by))


def _progress_json(job: hr_import.Job) -> Dict[str, Any]:
    return {"state": job.state,
            "files": [{"record": f.record.name, "label": f.record.label, "filename": f.filename,
                       "rows": f.rows, "bytes": f.bytes, "total_bytes": f.total_bytes}
                      for f in job.files]}


@bp.route("/org/import/<job_id>/progress")
def import_progress(job_id: str) -> Any:
    response = jsonify(_progress_json(_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/org/import/<job_id>/cancel", methods=["POST"])
def import_cancel(job_id: str) -> Any:
    job = _job(job_id)
    if job.running:
        _importer().cancel(job)
        flash("已请求取消导入：导入将在下一次进度报告时停止，不做任何更改。")
    return redirect(url_for("org.import_job", job_id=job.id))
