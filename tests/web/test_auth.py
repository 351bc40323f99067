"""Signing in: the login form (right, wrong, unknown id, throttled), the
session cookie, logout, the proxy header, CSRF on every POST, the secret key."""
import os
import stat

import time

import pytest

import cbc
import cbcweb
from cbcweb import secret
from cbcweb.auth import WRONG_CREDENTIALS
from conftest import PASSWORD, csrf_token, set_password, sign_in

PROTECTED = ["/", "/report", "/mine", "/answer", "/ledger", "/hazards/1", "/hazards/1/files/0"]


@pytest.mark.parametrize("path", PROTECTED)
def test_anonymous_visitors_are_sent_to_login(anonymous, path):
    r = anonymous.get(path)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/login?next=")


def test_anonymous_posts_are_sent_to_login_and_change_nothing(anonymous, db):
    token = csrf_token(anonymous, "/login")
    r = anonymous.post("/report", data={"csrf_token": token, "title": "x"})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert db.hazard_count() == 0


def test_login_page_is_public_and_in_chinese(anonymous):
    r = anonymous.get("/login")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert 'lang="zh-CN"' in text and "登录" in text


def test_login_right_password_signs_in(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    r = sign_in(anonymous, "A1", next_path="/mine")
    assert r.status_code == 302 and r.headers["Location"] == "/mine"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = anonymous.get("/")
    assert page.status_code == 200 and "王芳" in page.get_data(as_text=True)


def test_login_refuses_an_open_redirect(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    r = sign_in(anonymous, "A1", next_path="//evil.example/")
    assert r.status_code == 302 and r.headers["Location"] == "/"


@pytest.mark.parametrize("external_id,password", [("A1", "wrong password"),
                                                  ("NOBODY", PASSWORD),
                                                  ("B2", PASSWORD)])  # B2 has no password
def test_login_refusals_share_one_message(anonymous, db, ids, external_id, password):
    set_password(db, ids["A1"], PASSWORD)
    r = sign_in(anonymous, external_id, password)
    assert r.status_code == 401
    assert WRONG_CREDENTIALS in r.get_data(as_text=True)
    assert anonymous.get("/").status_code == 302


def test_login_is_throttled_after_five_failures(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    for _ in range(5):
        assert sign_in(anonymous, "A1", "wrong password").status_code == 401
    r = sign_in(anonymous, "A1", PASSWORD)  # the right one, while locked
    assert r.status_code == 429
    assert "失败次数过多" in r.get_data(as_text=True)
    assert anonymous.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    anonymous.get("/login")
    r = anonymous.post("/login", data={"external_id": "A1", "password": PASSWORD})
    assert r.status_code == 400
    assert anonymous.get("/").status_code == 302


def test_logout_ends_the_session(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    sign_in(anonymous, "A1")
    r = anonymous.post("/logout", data={"csrf_token": csrf_token(anonymous)})
    assert r.status_code == 302
    assert anonymous.get("/").status_code == 302


@pytest.mark.parametrize("token", [None, "forged"])
def test_logout_with_bad_csrf_token_is_refused(anonymous, db, ids, token):
    set_password(db, ids["A1"], PASSWORD)
    sign_in(anonymous, "A1")
    data = {} if token is None else {"csrf_token": token}
    assert anonymous.post("/logout", data=data).status_code == 400
    assert anonymous.get("/").status_code == 200  # still signed in


def test_logout_needs_post(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    sign_in(anonymous, "A1")
    assert anonymous.get("/logout").status_code == 405
    assert anonymous.get("/").status_code == 200


def test_an_employee_who_left_is_signed_out(anonymous, db, ids):
    set_password(db, ids["A1"], PASSWORD)
    sign_in(anonymous, "A1")
    db.deactivate(ids["A1"])
    assert anonymous.get("/").status_code == 302
    db.sync(employees=[cbc.EmployeeRecord("A1", "王芳", "T1")])  # back: still signed out
    assert anonymous.get("/").status_code == 302


def test_a_new_or_cleared_password_ends_earlier_sessions(standalone_app, db, ids):
    """A session cookie signed in before the password was changed or cleared
    (a stolen copy, another browser) is no longer honoured."""
    first, second = standalone_app.test_client(), standalone_app.test_client()
    set_password(db, ids["A1"], PASSWORD)
    sign_in(first, "A1")
    assert first.get("/").status_code == 200
    time.sleep(1.1)  # the library keeps when a password was set to the second
    set_password(db, ids["A1"], "a new password 2")
    assert first.get("/").status_code == 302          # signed out
    assert sign_in(second, "A1", "a new password 2").status_code == 302
    assert second.get("/").status_code == 200
    db.clear_password(ids["A1"])
    assert second.get("/").status_code == 302


def test_a_sign_in_lasts_a_working_day(standalone_app, db, ids):
    import datetime
    set_password(db, ids["A1"], PASSWORD)
    client = standalone_app.test_client()
    sign_in(client, "A1")
    cookie = next(c for c in client.cookie_jar if c.name == "session") \
        if hasattr(client, "cookie_jar") else client.get_cookie("session")
    assert standalone_app.permanent_session_lifetime == datetime.timedelta(hours=12)
    assert cookie.expires  # a persistent cookie that the browser drops after 12 hours


def test_the_proxy_header_is_off_by_default(anonymous):
    r = anonymous.get("/", headers={"X-Employee-Id": "A1"})
    assert r.status_code == 302


def test_the_proxy_header_names_the_employee(client_as):
    r = client_as("L1").get("/")
    assert r.status_code == 200 and "李强" in r.get_data(as_text=True)


@pytest.mark.parametrize("external_id", ["NOBODY", "A1"])
def test_the_proxy_header_for_nobody_active_signs_in_nobody(client_as, db, ids, external_id):
    if external_id == "A1":
        db.deactivate(ids["A1"])
    assert client_as(external_id).get("/").status_code == 302


def test_secret_key_is_generated_once_into_a_private_file(db_path, monkeypatch):
    monkeypatch.delenv(secret.ENV, raising=False)
    first = cbcweb.create_app(str(db_path)).config["SECRET_KEY"]
    path = secret.key_path(db_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) == 64
    assert cbcweb.create_app(str(db_path)).config["SECRET_KEY"] == first
    monkeypatch.setenv(secret.ENV, "from the environment")
    assert cbcweb.create_app(str(db_path)).config["SECRET_KEY"] == "from the environment"


def test_a_session_signed_with_another_key_is_not_honoured(db_path, db, ids, upload_dir):
    set_password(db, ids["A1"], PASSWORD)
    one = cbcweb.create_app(str(db_path), secret_key="one", upload_dir=str(upload_dir))
    client = one.test_client()
    sign_in(client, "A1")
    other = cbcweb.create_app(str(db_path), secret_key="two", upload_dir=str(upload_dir))
    stolen = other.test_client()
    for cookie in client.cookie_jar:
        stolen.set_cookie("localhost", cookie.name, cookie.value)
    assert stolen.get("/").status_code == 302


def test_echarts_is_served_locally_to_anyone(anonymous):
    r = anonymous.get("/vendor/echarts.min.js")
    if r.status_code == 404:
        pytest.skip("examples/web/node_modules is not installed (scripts/web-deps.sh)")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert b"echarts" in r.data[:2000]
