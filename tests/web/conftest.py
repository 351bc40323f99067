"""The web app's tests (examples/web): a small org with two enterprises in a
file database, built through the public package API, and Flask test clients
signed in through the proxy header or the login form; for the browser tests,
the app served by waitress and Debian's Chromium, headless (selenium with
Debian's chromium-driver), with screenshots kept in <build>/web-screenshots
(CBC_BUILD), else the test's temporary directory.  target is a fresh
database target of the engine CBC_TEST_ENGINE names (tests/python's
engine_targets.py; test_engines.py, the ctest web_pg on PostgreSQL)."""
import os
import re
import shutil
import struct
import sys
import threading
import zlib

import pytest

import cbc
from cbcweb import create_app

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import engine_targets  # noqa: E402
from engine_targets import engine_server, target  # noqa: E402,F401 (fixtures)


def pytest_collection_modifyitems(config, items):
    engine_targets.deselect_sqlite_only(config, items, ("target",))

PASSWORD = "correct horse 1"

# R1 > E1 (济钢) > W1 > T1: L1 leads, A1 works; E1 > W2 > T3: S1, the safety officer.
# R1 > E2 (重汽) > W3 > T4: B2 works.  R1 holds C1, a union cadre.
UNITS = [("R1", cbc.UnitKind.REGION, "历下区", None),
         ("E1", cbc.UnitKind.ENTERPRISE, "济钢", "R1"),
         ("W1", cbc.UnitKind.WORKSHOP, "轧钢车间", "E1"), ("T1", cbc.UnitKind.TEAM, "甲班", "W1"),
         ("W2", cbc.UnitKind.WORKSHOP, "安全科", "E1"), ("T3", cbc.UnitKind.TEAM, "科室", "W2"),
         ("E2", cbc.UnitKind.ENTERPRISE, "重汽", "R1"),
         ("W3", cbc.UnitKind.WORKSHOP, "总装车间", "E2"), ("T4", cbc.UnitKind.TEAM, "丙班", "W3")]
EMPLOYEES = [("L1", "李强", "T1", cbc.Role.TEAM_LEADER | cbc.Role.WORKER),
             ("A1", "王芳", "T1", cbc.Role.WORKER),
             ("S1", "孙华", "T3", cbc.Role.SAFETY_OFFICER),
             ("P1", "周总", "T3", cbc.Role.PRINCIPAL),
             ("B2", "陈静", "T4", cbc.Role.WORKER),
             ("C1", "赵工会", "R1", cbc.Role.UNION_CADRE)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def set_password(db, employee_id, password):
    """An administrator sets a password (what `cbc account passwd` does)."""
    db.set_password(employee_id, password)


def populate(where):
    """Create the database at where (a file or a URI) with the small org."""
    with cbc.Database(where) as db:
        db.sync(units=[cbc.UnitRecord(x, k, n, p) for x, k, n, p in UNITS],
                employees=[cbc.EmployeeRecord(x, n, u, roles=r) for x, n, u, r in EMPLOYEES],
                strict=True)
    return where


@pytest.fixture
def db_path(tmp_path):
    return populate(tmp_path / "campaign.db")


@pytest.fixture
def db(db_path):
    """Another handle on the app's file, for setting up and checking."""
    with cbc.Database(db_path) as d:
        yield d


@pytest.fixture
def ids(db):
    """The ids of every unit and employee, by external id."""
    found = {x: db.unit_by_external(x).id for x, *_ in UNITS}
    found.update({x: db.employee_by_external(x).id for x, *_ in EMPLOYEES})
    return found


@pytest.fixture
def upload_dir(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(db_path, upload_dir):
    return create_app(str(db_path), proxy_header="X-Employee-Id", secret_key="test-secret",
                      upload_dir=str(upload_dir), testing=True)


@pytest.fixture
def standalone_app(db_path, upload_dir):
    """The app without the proxy header: standalone accounts only."""
    return create_app(str(db_path), secret_key="test-secret", upload_dir=str(upload_dir),
                      testing=True)


@pytest.fixture
def client_as(app):
    """client_as("A1"): a test client the proxy names as that employee."""
    def make(external_id):
        client = app.test_client()
        client.environ_base["HTTP_X_EMPLOYEE_ID"] = external_id
        return client
    return make


@pytest.fixture
def anonymous(standalone_app):
    return standalone_app.test_client()


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_REQUEST_KEY = re.compile(r'name="request_key" value="([0-9a-f]+)"')
_SELECTED_UNIT = re.compile(r'<select name="unit_id">\s*(?:<option value="\d+">[^<]*</option>\s*)*'
                            r'<option value="(\d+)" selected>')


def csrf_token(client, path="/"):
    """The CSRF token of a form the client is shown (from any page's logout form)."""
    page = client.get(path)
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, "no CSRF token on %s (%d)" % (path, page.status_code)
    return found.group(1)


def report_form(client):
    """(csrf token, request key, the unit selected) of a freshly rendered report form."""
    text = client.get("/report").get_data(as_text=True)
    return (_CSRF.search(text).group(1), _REQUEST_KEY.search(text).group(1),
            _SELECTED_UNIT.search(text).group(1))


def report_fields(client, title="护栏缺失", **more):
    """The fields of a valid report form (the choices by the enums' names)."""
    token, key, unit_id = report_form(client)
    fields = {"csrf_token": token, "request_key": key, "unit_id": unit_id, "title": title, "location": "二号轧机东侧",
              "check_item": cbc.CheckItem.EQUIPMENT_GUARDING.name, "kind": cbc.HazardKind.HARD.name,
              "category": cbc.HazardCategory.SAFETY.name,
              "proposed_severity": cbc.Severity.GENERAL.name, "description": ""}
    fields.update(more)
    return fields


def sign_in(client, external_id, password=PASSWORD, next_path=None):
    """Post the login form; returns the response."""
    data = {"csrf_token": csrf_token(client, "/login"), "external_id": external_id,
            "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data)


# -- the browser ----------------------------------------------------------

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=390,844", "--lang=zh-CN"]


def png(width=48, height=32):
    """A small valid PNG (red), for a thumbnail the browser draws."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xffffffff)
    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def server(app):
    """The app served by waitress on a free port; its base URL."""
    waitress = pytest.importorskip("waitress")
    srv = waitress.create_server(app, host="127.0.0.1", port=0, threads=2,
                                 clear_untrusted_proxy_headers=True)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%s" % srv.effective_port
    srv.close()
    thread.join(timeout=10)


@pytest.fixture
def shots(tmp_path):
    """The folder screenshots are kept in."""
    build = os.environ.get("CBC_BUILD")
    path = os.path.join(build, "web-screenshots") if build else str(tmp_path / "shots")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def browser(tmp_path):
    """Debian's Chromium, headless, with a fresh profile (skipped when it or
    its driver is not installed: scripts/deps.sh installs both)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + ["--user-data-dir=%s" % (tmp_path / "chromium-profile")]:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=DRIVER) \
        if hasattr(webdriver, "ChromeService") else \
        __import__("selenium.webdriver.chrome.service", fromlist=["Service"]).Service(DRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def act_as(browser, external_id):
    """Every later request of the browser names that employee in the proxy header."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                            {"headers": {"X-Employee-Id": external_id}})


def shown(browser, css, text=""):
    """Wait until an element matching css holds text (any, if empty) and
    return its text: a click on a link or a submit button returns before
    the next page has loaded, and the old page may still be there."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(b):
        for element in b.find_elements(By.CSS_SELECTOR, css):
            if text in element.text:
                return element.text
        return False
    return WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(found)
