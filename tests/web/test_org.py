"""组织: the tree (breadcrumbs, children, employees paged, closed units and
those who left), an employee's page (history; the account only for the
app's administrators), and the HR import in the background with progress
(administrators only; one at a time; a bad file changes nothing)."""
import io
import os
import re
import threading
import time

import pytest

import cbc
from cbcweb import create_app, hr_import, org
from conftest import csrf_token

# The app's administrator: S1, the safety officer of 济钢 (E1).  Being one
# lets him import; it does not widen what he may read.
ADMIN = "S1"

# HR exports as HR systems write them (tests/data/hr): Chinese headers, codes.
UNITS_CSV = "单位编号,上级单位,单位类型,单位名称,行业,高危\nT2,W1,班组,轧钢乙班,,\n"
EMPLOYEES_CSV = ("工号,姓名,部门,岗位,入职日期,角色,在职\n"
                 "1001,钱一,T2,天车工,2019-03-01,职工,是\n"
                 "1002,钱二,T2,,2019/3/1,班组长|职工,是\n"
                 "1003,钱三,T1,质检员,20190301,职工,是\n")
OTHER_UNITS_CSV = "单位编号,上级单位,单位类型,单位名称,行业,高危\nT5,W2,班组,安全二班,,\n"
# Row 2's date does not exist: in strict mode nothing of the file applies.
BAD_EMPLOYEES_CSV = ("工号,姓名,部门,岗位,入职日期,角色,在职\n"
                     "2001,孙一,T1,,2019-03-01,职工,是\n"
                     "2002,孙二,T1,,2019-02-30,职工,是\n")


@pytest.fixture
def app(db_path, upload_dir):
    """The conftest app with ADMIN as the app's administrator."""
    return create_app(str(db_path), proxy_header="X-Employee-Id", secret_key="test-secret",
                      upload_dir=str(upload_dir), admins=[ADMIN], testing=True)


def importer(app):
    return app.extensions["cbcweb_hr_import"]


def text(response):
    return response.get_data(as_text=True)


def employee_links(response):
    return re.findall(r'href="/org/employees/\d+">([^<]+)</a>', text(response))


def post_import(client, strict=True, mode="INCREMENTAL", **files):
    data = {"csrf_token": csrf_token(client, "/org/import"), "mode": mode, "encoding": ""}
    if strict:
        data["strict"] = "1"
    for field, (content, name) in files.items():
        data[field] = (io.BytesIO(content.encode("utf-8")), name)
    return client.post("/org/import", data=data, content_type="multipart/form-data")


def job_of(response):
    assert response.status_code == 302, text(response)
    found = re.fullmatch(r".*/org/import/([A-Za-z0-9_-]+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


def wait_for(client, job_id, timeout=15.0):
    """The job's progress JSON once it has ended."""
    end = time.monotonic() + timeout
    while True:
        state = client.get("/org/import/%s/progress" % job_id).get_json()
        if state["state"] != "running":
            return state
        assert time.monotonic() < end, "the import did not end"
        time.sleep(0.02)


@pytest.fixture
def paused(app, monkeypatch):
    """Imports wait in their first progress call until .set() (or a cancel)."""
    release = threading.Event()
    reached = threading.Event()
    original = hr_import.Importer._progress

    def waiting(self, job, p):
        reached.set()
        while not release.is_set() and not job.cancel.is_set():
            time.sleep(0.01)
        return original(self, job, p)
    monkeypatch.setattr(hr_import.Importer, "_progress", waiting)
    release.reached = reached
    yield release
    release.set()


# -- the tree -------------------------------------------------------------------

def test_the_tree_opens_at_the_read_scope(client_as):
    r = client_as("A1").get("/org")
    assert r.status_code == 200
    page = text(r)
    assert "<h1>济钢" in page and "轧钢车间" in page and "安全科" in page
    assert sorted(employee_links(r)) == sorted(["李强", "王芳", "孙华", "周总"])
    assert "重汽" not in page and "陈静" not in page and "历下区" not in page


def test_a_teams_page_has_breadcrumbs_from_the_scope(client_as, ids):
    r = client_as("A1").get("/org?unit=%d" % ids["T1"])
    assert r.status_code == 200
    crumbs = re.search(r'<nav class="org-crumbs".*?</nav>', text(r), re.S).group(0)
    assert re.findall(r">([^<>\s]+)</(?:a|strong)>", crumbs) == ["济钢", "轧钢车间", "甲班"]
    assert sorted(employee_links(r)) == ["李强", "王芳"]
    assert "没有下级单位" in text(r)


def test_the_region_cadre_reads_both_enterprises(client_as):
    r = client_as("C1").get("/org")
    assert r.status_code == 200 and "<h1>历下区" in text(r)
    assert "济钢" in text(r) and "重汽" in text(r) and "陈静" in employee_links(r)


def test_units_outside_the_scope_are_not_found(client_as, ids):
    client = client_as("A1")
    for unit in ("E2", "T4", "R1"):
        assert client.get("/org?unit=%d" % ids[unit]).status_code == 404, unit
    assert client.get("/org?unit=999999").status_code == 404
    assert client.get("/org?unit=abc").status_code == 400
    assert client.get("/org?unit=%d&after=x" % ids["T1"]).status_code == 400


def test_closed_units_are_marked(client_as, db, ids):
    db.sync(units=[cbc.UnitRecord("T9", cbc.UnitKind.TEAM, "丁班", "W1")])
    db.close_unit(db.unit_by_external("T9").id)
    r = client_as("A1").get("/org?unit=%d" % ids["W1"])
    assert re.search(r'<li class="closed"><a href="/org\?unit=\d+">丁班</a>\s*<small>班组 · 已撤销',
                     text(r)), text(r)
    closed = client_as("A1").get("/org?unit=%d" % db.unit_by_external("T9").id)
    assert closed.status_code == 200 and "已撤销" in text(closed)


def test_those_who_left_only_with_the_toggle(client_as, db, ids):
    db.sync(employees=[cbc.EmployeeRecord("X1", "离职者", "T1", roles=cbc.Role.WORKER)])
    db.deactivate(db.employee_by_external("X1").id)
    client = client_as("A1")
    assert "离职者" not in employee_links(client.get("/org?unit=%d" % ids["T1"]))
    r = client.get("/org?unit=%d&inactive=1" % ids["T1"])
    assert "离职者" in employee_links(r) and "已离职" in text(r)
    assert '<a href="/org?unit=%d">只看在职</a>' % ids["T1"] in text(r)


def test_employees_are_paged(client_as, db, ids):
    """The next link carries the library's keyset cursor (the last row's
    unit and id); every employee is listed once; a bad cursor is 400."""
    db.sync(employees=[cbc.EmployeeRecord("N%03d" % i, "职工%03d" % i, "T1",
                                          roles=cbc.Role.WORKER) for i in range(120)])
    client = client_as("A1")
    r = client.get("/org?unit=%d" % ids["E1"])
    seen = employee_links(r)
    assert len(seen) == org.PAGE_SIZE and 'rel="first"' not in text(r)
    while 'rel="next"' in text(r):
        next_url = re.search(r'href="([^"]+)" rel="next"', text(r)).group(1)
        r = client.get(next_url.replace("&amp;", "&"))
        assert r.status_code == 200 and 'rel="first"' in text(r)
        seen += employee_links(r)
    assert len(seen) == 124 and len(set(seen)) == 124
    for bad in ("x", "1", "1.x", "-1.2", "%d.1" % ids["W3"], "999999.1"):
        assert client.get("/org?unit=%d&after=%s" % (ids["E1"], bad)).status_code == 400, bad


# -- an employee ----------------------------------------------------------------

def test_an_employees_page(client_as, db, ids):
    db.transfer(ids["A1"], ids["T3"])
    r = client_as("L1").get("/org/employees/%d" % ids["A1"])
    assert r.status_code == 200
    page = text(r)
    assert "王芳" in page and cbc.Role.WORKER.label in page and "在职" in page
    assert cbc.EmployeeEventKind.JOINED.label in page
    assert cbc.EmployeeEventKind.TRANSFERRED.label in page and "甲班" in page and "科室" in page
    assert "登录账号" not in page  # not an administrator


def test_history_names_only_units_the_viewer_may_read(client_as, db, ids):
    db.transfer(ids["A1"], ids["T4"])  # from 济钢's 甲班 to 重汽's 丙班
    page = text(client_as("B2").get("/org/employees/%d" % ids["A1"]))
    assert "丙班" in page and "甲班" not in page and "可查看范围以外的单位" in page
    assert client_as("L1").get("/org/employees/%d" % ids["A1"]).status_code == 404


def test_another_enterprises_employee_is_not_found(client_as, ids):
    client = client_as("A1")
    assert client.get("/org/employees/%d" % ids["B2"]).status_code == 404
    assert client.get("/org/employees/999999").status_code == 404
    assert client_as("C1").get("/org/employees/%d" % ids["B2"]).status_code == 200


def test_the_account_only_for_the_apps_administrators(client_as, db, ids):
    db.set_password(ids["A1"], "correct horse 1")
    r = client_as(ADMIN).get("/org/employees/%d" % ids["A1"])
    assert r.status_code == 200 and "登录账号" in text(r) and "已设置" in text(r)
    assert "登录账号" not in text(client_as("L1").get("/org/employees/%d" % ids["A1"]))
    assert "导入人事文件" in text(client_as(ADMIN).get("/org"))
    assert "导入人事文件" not in text(client_as("A1").get("/org"))


# -- the HR import --------------------------------------------------------------

def test_the_import_is_not_found_for_others(client_as, app):
    client = client_as("A1")
    assert client.get("/org/import").status_code == 404
    token = csrf_token(client, "/org")
    r = client.post("/org/import", data={"csrf_token": token, "employees":
                                         (io.BytesIO(EMPLOYEES_CSV.encode()), "e.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 404
    job_id = job_of(post_import(client_as(ADMIN), employees=(EMPLOYEES_CSV, "e.csv")))
    wait_for(client_as(ADMIN), job_id)
    for path in ("/org/import/%s", "/org/import/%s/progress"):
        assert client.get(path % job_id).status_code == 404
    assert client.post("/org/import/%s/cancel" % job_id,
                       data={"csrf_token": token}).status_code == 404
    assert client_as(ADMIN).get("/org/import/nope").status_code == 404


def test_the_import_form_needs_its_csrf_token(client_as, db):
    client = client_as(ADMIN)
    for token in (None, "forged"):
        data = {"employees": (io.BytesIO(EMPLOYEES_CSV.encode()), "e.csv")}
        if token:
            data["csrf_token"] = token
        r = client.post("/org/import", data=data, content_type="multipart/form-data")
        assert r.status_code == 400
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("1001")


def test_an_import_with_progress_to_the_total(client_as, app, db):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, units=(UNITS_CSV, "单位.csv"),
                                employees=(EMPLOYEES_CSV, "职工.csv")))
    state = wait_for(client, job_id)
    assert state["state"] == "done"
    sizes = {"UNIT": (1, len(UNITS_CSV.encode())), "EMPLOYEE": (3, len(EMPLOYEES_CSV.encode()))}
    assert {f["record"]: (f["rows"], f["bytes"]) for f in state["files"]} == sizes
    assert all(f["bytes"] == f["total_bytes"] for f in state["files"])
    page = client.get("/org/import/%s" % job_id)
    assert page.status_code == 200 and "导入完成" in text(page)
    counts = re.findall(r"<tr><td>(单位|职工)</td><td>(\d+)</td>", text(page))
    assert counts == [("单位", "1"), ("职工", "3")]
    assert db.employee_by_external("1002").roles == cbc.Role.TEAM_LEADER | cbc.Role.WORKER
    assert db.unit(db.employee_by_external("1001").unit_id).name == "轧钢乙班"
    assert os.listdir(importer(app).root) == []  # the uploaded files are gone
    assert job_id in text(client.get("/org/import"))  # among the recent imports


def test_a_bad_file_changes_nothing_and_shows_the_row(client_as, app, db):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, employees=(BAD_EMPLOYEES_CSV, "e.csv")))
    assert wait_for(client, job_id)["state"] == "failed"
    page = text(client.get("/org/import/%s" % job_id))
    assert "导入失败：没有做任何更改" in page and 'id="import-error"' in page
    rows = re.findall(r"<tr><td>职工</td><td>(\d+)</td><td>(\w+)</td>", page)
    assert rows == [("2", "2002")]
    for external_id in ("2001", "2002"):
        with pytest.raises(cbc.NotFoundError):
            db.employee_by_external(external_id)
    assert os.listdir(importer(app).root) == []


def test_without_strict_the_good_rows_apply(client_as, db):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, strict=False, employees=(BAD_EMPLOYEES_CSV, "e.csv")))
    assert wait_for(client, job_id)["state"] == "done"
    page = text(client.get("/org/import/%s" % job_id))
    assert "有错误的行：1" in page and "<td>2002</td>" in page
    assert db.employee_by_external("2001").name == "孙一"


def test_a_file_the_library_refuses(client_as, db):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, employees=(EMPLOYEES_CSV, "职工.xlsx")))
    assert wait_for(client, job_id)["state"] == "failed"
    assert 'id="import-error"' in text(client.get("/org/import/%s" % job_id))
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("1001")


def test_no_file_or_a_bad_mode(client_as):
    client = client_as(ADMIN)
    r = client.post("/org/import", data={"csrf_token": csrf_token(client, "/org/import")})
    assert r.status_code == 400 and "请选择" in text(r)
    assert post_import(client, mode="SOME", employees=(EMPLOYEES_CSV, "e.csv")).status_code == 400


def test_a_file_too_large_is_not_kept(client_as, app, monkeypatch):
    monkeypatch.setattr(hr_import, "MAX_FILE_BYTES", 64)
    client = client_as(ADMIN)
    r = post_import(client, employees=(EMPLOYEES_CSV, "e.csv"))
    assert r.status_code == 413 and "文件过大" in text(r)
    assert importer(app).running() is None and importer(app).recent() == []
    assert os.listdir(importer(app).root) == []


def test_a_second_import_is_refused_while_one_runs(client_as, app, db, paused):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, units=(UNITS_CSV, "u.csv"),
                                employees=(EMPLOYEES_CSV, "e.csv")))
    assert paused.reached.wait(10)
    running = client.get("/org/import/%s/progress" % job_id).get_json()
    assert running["state"] == "running"
    assert "正在导入" in text(client.get("/org/import/%s" % job_id))
    second = post_import(client, units=(OTHER_UNITS_CSV, "u.csv"))
    assert second.status_code == 409 and "已有一个导入正在进行" in text(second)
    assert len(os.listdir(importer(app).root)) == 1  # only the first import's files
    paused.set()
    assert wait_for(client, job_id)["state"] == "done"
    assert db.employee_by_external("1003").name == "钱三"
    with pytest.raises(cbc.NotFoundError):
        db.unit_by_external("T5")  # the refused import's units file
    now = job_of(post_import(client, units=(OTHER_UNITS_CSV, "u.csv")))  # now it may run
    assert wait_for(client, now)["state"] == "done" and db.unit_by_external("T5")


def test_a_cancelled_import_changes_nothing(client_as, app, db, paused):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, units=(UNITS_CSV, "u.csv"),
                                employees=(EMPLOYEES_CSV, "e.csv")))
    assert paused.reached.wait(10)
    token = csrf_token(client, "/org/import/%s" % job_id)
    assert client.post("/org/import/%s/cancel" % job_id).status_code == 400  # no token
    r = client.post("/org/import/%s/cancel" % job_id, data={"csrf_token": token})
    assert r.status_code == 302
    assert wait_for(client, job_id)["state"] == "cancelled"
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("1001")
    assert os.listdir(importer(app).root) == []


def test_at_exit_a_running_import_is_cancelled_and_its_files_removed(client_as, app, db, paused):
    client = client_as(ADMIN)
    job_id = job_of(post_import(client, units=(UNITS_CSV, "u.csv"),
                                employees=(EMPLOYEES_CSV, "e.csv")))
    assert paused.reached.wait(10)
    importer(app).shutdown(wait=10)
    assert importer(app).job(job_id).state == "cancelled"
    assert os.listdir(importer(app).root) == []
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("1001")


def test_a_killed_processs_files_are_removed(client_as, app):
    client = client_as(ADMIN)
    wait_for(client, job_of(post_import(client, units=(UNITS_CSV, "u.csv"))))
    stale = os.path.join(importer(app).root, "pid%d-left" % (2 ** 22 + 1))  # above pid_max
    os.makedirs(stale)
    open(os.path.join(stale, "employee.csv"), "w").close()
    wait_for(client, job_of(post_import(client, units=(UNITS_CSV, "u.csv"))))
    assert os.listdir(importer(app).root) == []


def test_an_import_directory_that_cannot_be_made(client_as, app, tmp_path):
    (tmp_path / "a-file").write_text("")
    app.config["CBC_IMPORT_DIR"] = str(tmp_path / "a-file" / "hr-import")
    client = client_as(ADMIN)
    r = post_import(client, employees=(EMPLOYEES_CSV, "e.csv"))
    assert r.status_code == 500 and "无法保存上传的文件" in text(r)
    assert importer(app).running() is None and importer(app).recent() == []
