"""The organisation pages in Debian's Chromium, headless: the tree from the
read scope down to a team, an employee's page, and the app administrator's
HR import, uploaded through the form, its progress page moving its bars (by
polling the JSON endpoint) and reloading to the result, and a bad file's
row error.  Screenshots of each page (org-*.png) go to
<build>/web-screenshots (CBC_BUILD), else the test's temporary directory."""
import os
import threading

import pytest

import cbc
from cbcweb import create_app, hr_import
from conftest import act_as, shown

from test_org import ADMIN, BAD_EMPLOYEES_CSV, EMPLOYEES_CSV, UNITS_CSV


@pytest.fixture
def app(db_path, upload_dir):
    """The conftest app with ADMIN as the app's administrator."""
    return create_app(str(db_path), proxy_header="X-Employee-Id", secret_key="test-secret",
                      upload_dir=str(upload_dir), admins=[ADMIN], testing=True)


def shoot(browser, shots, name):
    """A screenshot of the whole page (the phone's viewport stretched to its height)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": min(max(height, 844), 4000), "deviceScaleFactor": 1,
        "mobile": True})
    try:
        browser.save_screenshot(os.path.join(shots, "org-%s.png" % name))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def held(monkeypatch):
    """Imports hold after their first file is read (its bar full) until .set()."""
    release = threading.Event()
    original = hr_import.Importer._progress

    def holding(self, job, p):
        going_on = original(self, job, p)
        release.wait(30)
        return going_on and not job.cancel.is_set()
    monkeypatch.setattr(hr_import.Importer, "_progress", holding)
    yield release
    release.set()


def upload(browser, server, tmp_path, files):
    from selenium.webdriver.common.by import By
    browser.get(server + "/org/import")
    for field, (content, name) in files.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        browser.find_element(By.NAME, field).send_keys(str(path))


def test_the_tree_and_an_employee(server, browser, shots, db, ids):
    from selenium.webdriver.common.by import By
    db.transfer(ids["A1"], ids["T3"])
    db.sync(units=[cbc.UnitRecord("T9", cbc.UnitKind.TEAM, "丁班", "W1")])
    db.close_unit(db.unit_by_external("T9").id)
    act_as(browser, ADMIN)
    browser.get(server + "/org")
    assert browser.find_element(By.TAG_NAME, "h1").text == "济钢"
    shoot(browser, shots, "tree")
    browser.find_element(By.LINK_TEXT, "轧钢车间").click()
    assert "丁班" in shown(browser, "#children", "丁班")
    shoot(browser, shots, "workshop")
    browser.find_element(By.LINK_TEXT, "甲班").click()
    crumbs = shown(browser, ".org-crumbs", "甲班").split()
    assert crumbs[-1] == "甲班" and crumbs[0] == "济钢"
    shoot(browser, shots, "team")
    browser.get(server + "/org?unit=%d" % ids["T3"])
    browser.find_element(By.LINK_TEXT, "王芳").click()
    assert cbc.EmployeeEventKind.TRANSFERRED.label in shown(browser, "#history")
    assert browser.find_elements(By.ID, "account")  # S1 is the app's administrator
    shoot(browser, shots, "employee")


def test_an_import_with_its_progress(server, browser, shots, tmp_path, db, held):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    act_as(browser, ADMIN)
    upload(browser, server, tmp_path, {"units": (UNITS_CSV, "单位.csv"),
                                       "employees": (EMPLOYEES_CSV, "职工.csv")})
    shoot(browser, shots, "import")
    browser.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "var p = document.querySelector('#import-files li[data-record=UNIT] progress');"
        "return p && p.value > 0 && p.value == p.max;"))  # moved by the polling script
    assert browser.find_element(By.ID, "import-state").get_attribute("data-state") == "running"
    shoot(browser, shots, "import-progress")
    held.set()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "import-counts"))
    assert "导入完成" in browser.find_element(By.ID, "import-state").text
    shoot(browser, shots, "import-done")
    assert db.employee_by_external("1002").name == "钱二"


def test_a_bad_file_in_the_browser(server, browser, shots, tmp_path, db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    act_as(browser, ADMIN)
    upload(browser, server, tmp_path, {"employees": (BAD_EMPLOYEES_CSV, "职工.csv")})
    browser.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "row-errors"))
    assert "2002" in browser.find_element(By.ID, "row-errors").text
    shoot(browser, shots, "import-failed")
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("2001")
