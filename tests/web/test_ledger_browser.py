"""The ledger's pages in Debian's Chromium, headless: the ledger with the
unit picker and its export links, and a hazard's page where the team leader
submits with a photo and the safety officer fails it with another, each
shown under its stage, the timeline in words.  Screenshots: ledger-*.png and
hazard-*.png in <build>/web-screenshots (CBC_BUILD)."""
import datetime
import io
import os
import urllib.request

import openpyxl

import cbc
from cbcweb import export
from conftest import act_as, png


def _post_move(browser, url, move, note, photo):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(url)
    form = browser.find_element(By.ID, "move-" + move)
    form.find_element(By.TAG_NAME, "summary").click()
    form.find_element(By.NAME, "note").send_keys(note)
    form.find_element(By.NAME, "photos").send_keys(str(photo))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".notice, .error"))
    assert not browser.find_elements(By.ID, "move-error"), browser.page_source


def test_the_ledger_and_a_hazard_with_evidence(server, browser, shots, tmp_path, db, ids):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    hid, _ = db.report(ids["T1"], "配电箱门未关", "soft", "safety", "rules", "snapshot",
                       "general", reporter_id=ids["A1"])
    db.report(ids["T3"], "灭火器过期", "hard", "safety", "rules", "snapshot", "general",
              reporter_id=ids["S1"])
    db.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "关门并加锁",
                db.now() + datetime.timedelta(days=7), "设警示牌", funds_fen=5000,
                responsible_id=ids["L1"])
    db.start(hid, ids["L1"])

    act_as(browser, "S1")
    browser.get(server + "/ledger")
    picker = browser.find_element(By.CSS_SELECTOR, "nav.unit-picker")
    assert "济钢" in picker.text
    browser.save_screenshot(os.path.join(shots, "ledger-picker.png"))
    picker.find_element(By.LINK_TEXT, "轧钢车间").click()
    WebDriverWait(browser, 30).until(lambda b: "unit=%d" % ids["W1"] in b.current_url)
    assert "配电箱门未关" in browser.page_source and "灭火器过期" not in browser.page_source
    assert browser.find_element(By.ID, "export-csv").get_attribute("href").endswith(
        "/ledger.csv?unit=%d" % ids["W1"])
    browser.save_screenshot(os.path.join(shots, "ledger-unit.png"))

    photo = tmp_path / "evidence.png"
    photo.write_bytes(png())
    url = "%s/hazards/%d" % (server, hid)
    act_as(browser, "L1")
    _post_move(browser, url, "submit", "已加锁", photo)
    act_as(browser, "S1")
    _post_move(browser, url, "verify_fail", "锁不牢", photo)
    browser.get(url)
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "return [...document.querySelectorAll('.thumbs img')].every(i => i.complete)"))
    for stage in ("rectification", "verification"):
        images = browser.find_elements(By.CSS_SELECTOR, "#photos-%s img" % stage)
        assert len(images) == 1
        assert browser.execute_script("return arguments[0].naturalWidth", images[0]) == 48
    browser.execute_script("arguments[0].scrollIntoView()",
                           browser.find_element(By.ID, "photos-rectification"))
    browser.save_screenshot(os.path.join(shots, "hazard-evidence.png"))
    history = browser.find_element(By.ID, "history")
    browser.execute_script("arguments[0].scrollIntoView()", history)
    assert "不通过的理由" in history.text and "50.00 元" in history.text
    assert "funds_fen" not in history.text
    browser.save_screenshot(os.path.join(shots, "hazard-timeline.png"))
    assert [a.stage for a in db.hazard(hid).attachments] == [
        cbc.AttachmentStage.RECTIFICATION, cbc.AttachmentStage.VERIFICATION]


def test_the_export_through_waitress(server, db, ids, monkeypatch):
    """The streamed CSV and the xlsx from a file, through a real WSGI server
    (the request's database handle stays open while the CSV streams)."""
    made = [db.report(ids["T1"], "隐患%03d" % i, "hard", "safety", "rules", "snapshot",
                      "general", reporter_id=ids["A1"])[0] for i in range(120)]
    monkeypatch.setattr(export, "PAGE_SIZE", 50)  # three pages

    def fetch(path):
        request = urllib.request.Request(server + path, headers={"X-Employee-Id": "S1"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()
    body = fetch("/ledger.csv").decode("utf-8-sig").splitlines()
    assert [int(line.split(",")[0]) for line in body[1:]] == made
    book = openpyxl.load_workbook(io.BytesIO(fetch("/ledger.xlsx?desc=1")), read_only=True)
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == made[::-1]
