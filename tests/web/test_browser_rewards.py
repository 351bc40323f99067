"""The rewards pages in Debian's Chromium, headless: the union cadre reads
the summary, the decisions with their reasons, the award ledger, approves
and pays an award through its forms; the safety officer issues a fine typed
in yuan; a hazard's explanation and the policy.  A screenshot of each page
goes to <build>/web-screenshots (CBC_BUILD), named after the page."""
import os

from conftest import act_as, shown
from test_rewards import GENERAL_REWARD, close_hazard


def _shot(browser, shots, name):
    """The whole page, however long (the window grows for the shot)."""
    width, height = (browser.get_window_size()[k] for k in ("width", "height"))
    full = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, full + 120), 6000))
    browser.save_screenshot(os.path.join(shots, name + ".png"))
    browser.set_window_size(width, height)


def _post_form(browser, form_id, fields):
    """Open a <details> form, fill in its fields and submit it; wait for the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    form = browser.find_element(By.ID, form_id)
    form.find_element(By.TAG_NAME, "summary").click()
    for name, value in fields.items():
        form.find_element(By.NAME, name).send_keys(value)
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: old.id != b.find_element(By.TAG_NAME, "html").id)


def test_the_rewards_pages(server, browser, shots, db, ids):
    from selenium.webdriver.common.by import By
    db.set_policy(GENERAL_REWARD, ids["C1"])
    hazard, _ = close_hazard(db, ids)
    (award,) = db.select_awards()
    act_as(browser, "C1")
    for path, name in (("/rewards", "rewards"), ("/rewards/decisions?preview=1", "rewards_decisions"),
                       ("/rewards/awards", "rewards_awards"),
                       ("/rewards/policy", "rewards_policy"),
                       ("/rewards/hazards/%d" % hazard, "rewards_hazard")):
        browser.get(server + path)
        assert "查保促" in browser.title and "找不到" not in browser.title, path
        _shot(browser, shots, name)
    assert "report %d is the first valid" % hazard in browser.page_source

    browser.get(server + "/rewards/awards")
    browser.find_element(By.LINK_TEXT, "一般隐患发现奖励").click()
    shown(browser, "#move-approve")
    _shot(browser, shots, "rewards_award")
    _post_form(browser, "move-approve", {})
    assert "已批准" in browser.find_element(By.ID, "award-state").text
    _post_form(browser, "move-pay", {"payment_ref": "转账 2026-118"})
    assert "已发放" in browser.find_element(By.ID, "award-state").text
    _shot(browser, shots, "rewards_award_paid")
    assert db.award(award.id).payment_ref == "转账 2026-118"

    # a worker: the preview without the real evaluation, an award without steps
    act_as(browser, "A1")
    browser.get(server + "/rewards/decisions")
    assert browser.find_elements(By.ID, "evaluate") == []
    assert browser.find_element(By.ID, "evaluate-union-only").is_displayed()
    _shot(browser, shots, "rewards_decisions_worker")
    browser.get(server + "/rewards/awards/%d" % award.id)
    assert browser.find_elements(By.CSS_SELECTOR, "details.move") == []
    _shot(browser, shots, "rewards_award_worker")

    act_as(browser, "S1")
    browser.get(server + "/rewards/fines")
    _post_form(browser, "issue-fine", {"employee": "A1", "amount": "200.5",
                                       "reason": "未戴安全帽", "violation": "违章作业"})
    assert "200.50" in browser.page_source and "已开具罚单" in browser.page_source
    _shot(browser, shots, "rewards_fines")
    (fine,) = db.fines()
    assert fine.amount_fen == 20050
