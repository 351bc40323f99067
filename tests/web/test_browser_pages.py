"""The pages no section's browser test visits: the start page, the answer
looked up by key (found and not found) and an error page, each drawn in
headless Chromium with a screenshot in <build>/web-screenshots."""
import os

from conftest import act_as, shown


def test_the_start_answer_and_error_pages(server, browser, shots, db, ids):
    from selenium.webdriver.common.by import By
    hid, key = db.report(ids["T1"], "消防通道堵塞", "soft", "safety", "rules", "hotline",
                         "general")
    act_as(browser, "A1")
    browser.get(server + "/")
    tiles = browser.find_elements(By.CSS_SELECTOR, ".tiles a")
    assert len(tiles) == 8 and "统计报表" in browser.page_source
    browser.save_screenshot(os.path.join(shots, "home.png"))
    browser.get(server + "/answer")
    browser.find_element(By.NAME, "key").send_keys(key)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    shown(browser, "main .card")
    assert "消防通道堵塞" in browser.page_source
    browser.save_screenshot(os.path.join(shots, "answer.png"))
    browser.get(server + "/answer")
    browser.find_element(By.NAME, "key").send_keys("not-a-key")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    shown(browser, "main .error")
    assert "消防通道堵塞" not in browser.page_source
    browser.save_screenshot(os.path.join(shots, "answer-unknown.png"))
    browser.get(server + "/hazards/999999")
    assert "找不到该页面" in browser.page_source
    browser.save_screenshot(os.path.join(shots, "error-404.png"))
