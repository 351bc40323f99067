"""A smoke test in Debian's Chromium, headless (selenium with Debian's
chromium-driver): a worker, named by the proxy header, loads the report
page, reports with a photo, and sees it in their reports, the ledger and
the hazard's page.  Screenshots go to <build>/web-screenshots (CBC_BUILD),
else the test's temporary directory."""
import os

import pytest

from conftest import act_as, png


def test_a_worker_reports_with_a_photo(server, browser, shots, tmp_path, db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "/login")
    browser.save_screenshot(os.path.join(shots, "login.png"))
    act_as(browser, "A1")
    browser.get(server + "/report")
    assert "随手拍" in browser.title
    browser.save_screenshot(os.path.join(shots, "report.png"))
    photo = tmp_path / "photo.png"
    photo.write_bytes(png())
    browser.find_element(By.NAME, "title").send_keys("护栏缺失")
    browser.find_element(By.NAME, "location").send_keys("二号轧机东侧")
    browser.find_element(By.NAME, "photos").send_keys(str(photo))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda b: b.current_url.endswith("/mine") or b.find_elements(By.CSS_SELECTOR, ".error"))
    assert browser.current_url.endswith("/mine"), browser.page_source
    assert "护栏缺失" in browser.page_source
    browser.save_screenshot(os.path.join(shots, "mine.png"))
    browser.get(server + "/ledger")
    browser.save_screenshot(os.path.join(shots, "ledger.png"))
    browser.find_element(By.LINK_TEXT, "护栏缺失").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".thumbs img"))
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "return document.querySelector('.thumbs img').complete"))
    image = browser.find_element(By.CSS_SELECTOR, ".thumbs img")
    assert browser.execute_script("return arguments[0].naturalWidth", image) == 48
    browser.save_screenshot(os.path.join(shots, "hazard.png"))
    (h,) = list(db.hazards())
    assert h.attachments == [] and db.hazard(h.id).attachments[0].media_type == "image/png"


def _make_move(browser, hazard_url, move, fields, shot=None):
    """Open a move's form on the hazard's page, fill it in and post it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    browser.get(hazard_url)
    form = browser.find_element(By.ID, "move-" + move)
    form.find_element(By.TAG_NAME, "summary").click()
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        elif element.get_attribute("type") == "date":  # typed as the locale shows dates
            browser.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.send_keys(value)
    if shot:
        browser.save_screenshot(shot)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".notice, .error"))
    assert not browser.find_elements(By.ID, "move-error"), browser.page_source


def test_the_team_leader_and_the_officer_close_it(server, browser, shots, db, ids):
    """A worker's report, then the team leader registers, starts and submits
    and the safety officer verifies, each through the hazard page's forms,
    which show only the person's own moves."""
    import datetime
    from selenium.webdriver.common.by import By
    hid, _ = db.report(ids["T1"], "配电箱门未关", "soft", "safety", "rules", "snapshot",
                       "general", reporter_id=ids["A1"])
    url = "%s/hazards/%d" % (server, hid)
    act_as(browser, "L1")
    week = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    _make_move(browser, url, "register",
               {"severity": "GENERAL", "level": "TEAM", "measures": "关门并加锁",
                "funds_fen": "50", "deadline": week, "contingency_plan": "设警示牌"},
               shot=os.path.join(shots, "hazard-register.png"))
    _make_move(browser, url, "start", {})
    _make_move(browser, url, "submit", {"note": "已加锁"})
    browser.get(url)
    assert not browser.find_elements(By.ID, "move-verify_pass")  # not their own submission
    act_as(browser, "S1")
    _make_move(browser, url, "verify_pass", {"note": "合格"})
    browser.get(url)
    browser.save_screenshot(os.path.join(shots, "hazard-closed.png"))
    got = db.hazard(hid)
    assert got.state.name == "CLOSED" and got.funds_fen == 5000
    assert [e.actor_id for e in db.hazard_history(hid)] == [
        ids["A1"], ids["L1"], ids["L1"], ids["L1"], ids["S1"]]
