"""The activities pages in Debian's Chromium, headless: a worker submits a
proposal through the form, the safety officer adopts it and voids a
mistaken training; a screenshot of every activities page (the list of each
kind, each record form, one refused to a worker, a record of each kind, a
voided one, the compliance lists) goes to <build>/web-screenshots (CBC_BUILD)."""
import datetime
import os

import cbc
from conftest import act_as


def _records(db, ids):
    """One record of each kind, as the setup; their ids by kind."""
    at = db.now() - datetime.timedelta(hours=2)
    return {
        "training": db.add_training(ids["T1"], cbc.TrainingKind.ALL_STAFF, at, 60, "岗前安全教育",
                                    [(ids["A1"], True), (ids["L1"], False)]),
        "drill": db.add_drill(ids["E1"], at, "火灾疏散演练", [ids["T1"], ids["T3"]]),
        "visit": db.add_visit(ids["C1"], ids["E1"], at, "消防通道堵塞，已责令清理"),
        "assignment": db.assign_cadre(ids["C1"], ids["E1"], at - datetime.timedelta(days=30)),
    }


def _shot(browser, shots, name):
    """The whole page, not only the phone's first screen: the window grows
    to the page's height for the shot."""
    width, height = browser.get_window_size()["width"], browser.get_window_size()["height"]
    full = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, max(height, full + 120))
    browser.save_screenshot(os.path.join(shots, name + ".png"))
    browser.set_window_size(width, height)


def test_every_activities_page(server, browser, shots, db, ids):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    made = _records(db, ids)
    act_as(browser, "A1")
    browser.get(server + "/activities/proposal/new")
    _shot(browser, shots, "activities_new_proposal")
    browser.find_element(By.NAME, "title").send_keys("轧机东侧增设护栏")
    browser.find_element(By.NAME, "text").send_keys("二号轧机东侧通道狭窄，建议增设护栏")
    browser.find_element(By.CSS_SELECTOR, "#record-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: "/activities/proposal/" in b.current_url
                                     and not b.current_url.endswith("/new"))
    made["proposal"] = int(browser.current_url.rsplit("/", 1)[1])

    act_as(browser, "S1")
    browser.get(server + "/activities/proposal/%d" % made["proposal"])
    browser.find_element(By.CSS_SELECTOR, "#form-decide summary").click()
    Select(browser.find_element(By.NAME, "adopted")).select_by_value("1")
    browser.find_element(By.CSS_SELECTOR, "#form-decide button").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "已采纳" in browser.page_source
    assert db.proposal(made["proposal"]).status is cbc.ProposalStatus.ADOPTED

    for kind, record_id in made.items():
        browser.get(server + "/activities/%s/%d" % (kind, record_id))
        assert "编号 %d" % record_id in browser.page_source, kind
        _shot(browser, shots, "activities_record_" + kind)
    browser.get(server + "/activities/training/%d" % made["training"])
    browser.find_element(By.CSS_SELECTOR, "#form-void summary").click()
    browser.find_element(By.NAME, "reason").send_keys("重复录入")
    browser.find_element(By.CSS_SELECTOR, "#form-void button").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "voided"))
    _shot(browser, shots, "activities_record_voided")
    assert db.training(made["training"]).void_reason == "重复录入"

    for kind in made:
        browser.get(server + "/activities?voided=1&kind=" + kind)
        assert browser.find_elements(By.CSS_SELECTOR, "#records tbody a"), kind
        _shot(browser, shots, "activities" if kind == "training" else "activities_" + kind)
    # each form as someone it is offered to: supervision is the union cadre's
    for kind in made:
        act_as(browser, "C1" if kind in ("visit", "assignment") else "S1")
        browser.get(server + "/activities/%s/new?unit=%d" % (kind, ids["E1"]))
        assert browser.find_elements(By.ID, "record-form"), kind
        _shot(browser, shots, "activities_new_" + kind)
    act_as(browser, "A1")  # a worker records no training: the rule, no form
    browser.get(server + "/activities/training/new?unit=%d" % ids["T1"])
    assert browser.find_elements(By.ID, "not-allowed")
    assert not browser.find_elements(By.ID, "record-form")
    _shot(browser, shots, "activities_new_not_allowed")
    act_as(browser, "S1")
    browser.get(server + "/activities/compliance")
    assert browser.find_elements(By.ID, "untrained")
    _shot(browser, shots, "activities_compliance")
