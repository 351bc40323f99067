"""The statistics page in Debian's Chromium, headless: the end of the
browser scenario (tests/web/test_browser.py): after a worker's report is
registered, started and submitted by the team leader and verified by the
safety officer, the district's cadre opens the form, which shows the
hazard found and rectified; the charts draw (ECharts instances whose
canvases hold drawn pixels); clicking the enterprise's bar drills down to
its page; printing (the print media) hides everything but the form.
Screenshots of the form, the charts and the print view, and the printed
PDF, go to <build>/web-screenshots (CBC_BUILD)."""
import base64
import datetime
import os

import cbc

from conftest import act_as

# Whether every chart of the page is an ECharts instance whose canvas has
# drawn (non-transparent, not all one colour) pixels: {charts, drawn}.
_CHARTS_DRAWN = """
var out = {charts: 0, drawn: 0, kinds: []};
document.querySelectorAll('.chart[data-chart]').forEach(function (el) {
  out.charts++;
  var chart = window.echarts && echarts.getInstanceByDom(el);
  var canvas = el.querySelector('canvas');
  if (!chart || !canvas || !canvas.width || !canvas.height) return;
  var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  var seen = {}, colours = 0;
  for (var i = 0; i < pixels.length; i += 4 * 7) {
    if (!pixels[i + 3]) continue;
    var key = pixels[i] + ',' + pixels[i + 1] + ',' + pixels[i + 2];
    if (!seen[key]) { seen[key] = 1; colours++; }
  }
  if (colours > 1) { out.drawn++; out.kinds.push(el.getAttribute('data-chart')); }
});
return out;
"""

# The centre of the first series' bar of a child (by index) in page
# coordinates, for a real mouse click on it.
_BAR_CENTRE = """
var el = document.querySelector('.chart[data-chart=children]');
el.scrollIntoView({block: 'center'});
var chart = echarts.getInstanceByDom(el);
var option = chart.getOption();
var value = option.series[0].data[arguments[0]];
var point = chart.convertToPixel({seriesIndex: 0}, [value / 2, arguments[0]]);
var box = el.getBoundingClientRect();
return [point[0] - box.width / 2, point[1] - box.height / 2];
"""


def _close_a_report(db, ids):
    """test_browser.py's second scenario through the package: A1 reports,
    L1 registers, starts and submits, S1 verifies."""
    hid, _ = db.report(ids["T1"], "配电箱门未关", "soft", "safety", "rules", "snapshot", "general",
                       reporter_id=ids["A1"])
    db.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "关门并加锁",
                db.now() + datetime.timedelta(days=7), "设警示牌", funds_fen=5000)
    db.start(hid, ids["L1"])
    db.submit(hid, ids["L1"], "已加锁")
    db.verify(hid, ids["S1"], True, note="合格")
    assert db.hazard(hid).state == cbc.HazardState.CLOSED


def _figure(browser, field):
    from selenium.webdriver.common.by import By
    return browser.find_element(By.CSS_SELECTOR, '#form-figures tr[data-field="%s"] td.num'
                                % field).text


def test_the_form_shows_it_found_and_rectified_and_the_charts_draw(server, browser, shots, db,
                                                                   ids):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    _close_a_report(db, ids)
    period = cbc.Period.current(db)
    act_as(browser, "C1")
    browser.set_window_size(1280, 1000)
    browser.get("%s/stats?unit=%d&period=%s" % (server, ids["R1"], period))
    assert "统计表" in browser.title
    assert _figure(browser, "hazards_found") == "1"
    assert _figure(browser, "hazards_rectified") == "1"
    browser.save_screenshot(os.path.join(shots, "stats-form.png"))
    browser.set_window_size(390, 844)  # a phone: the children's table scrolls sideways
    browser.refresh()
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")
    browser.save_screenshot(os.path.join(shots, "stats-phone.png"))
    browser.set_window_size(1280, 1000)
    browser.refresh()

    def all_drawn(b):
        found = b.execute_script(_CHARTS_DRAWN)
        return found if found["charts"] and found["drawn"] == found["charts"] else None
    drawn = WebDriverWait(browser, 30).until(all_drawn)
    assert drawn["charts"] == 4 + len(cbc.Dimension)  # series, children, counts, rates, dimensions
    assert set(drawn["kinds"]) == {"series", "children", "counts", "rates", "dimension"}
    browser.execute_script("document.getElementById('charts').scrollIntoView()")
    browser.save_screenshot(os.path.join(shots, "stats-charts.png"))

    # printing: only the form and the children's table, no navigation or charts
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.execute_script("window.scrollTo(0, 0)")
        for hidden in ("header.top", ".unit-picker", ".period-nav", "#charts", ".downloads"):
            assert not browser.find_element(By.CSS_SELECTOR, hidden).is_displayed(), hidden
        assert browser.find_element(By.ID, "form-figures").is_displayed()
        assert browser.execute_script(
            "return getComputedStyle(document.querySelector('#form-figures td')).borderTopStyle"
        ) == "solid"
        browser.save_screenshot(os.path.join(shots, "stats-print.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    with open(os.path.join(shots, "stats-form.pdf"), "wb") as out:
        out.write(base64.b64decode(pdf["data"]))

    # drilling down: a click on 济钢's bar opens 济钢's page
    x, y = browser.execute_script(_BAR_CENTRE, 0)
    chart = browser.find_element(By.CSS_SELECTOR, '.chart[data-chart="children"]')
    ActionChains(browser).move_to_element_with_offset(chart, int(x), int(y)).click().perform()
    WebDriverWait(browser, 30).until(lambda b: "unit=%d&" % ids["E1"] in b.current_url)
    assert "填报单位：济钢（E1）" in browser.page_source
    assert _figure(browser, "hazards_rectified") == "1"
    browser.save_screenshot(os.path.join(shots, "stats-drilled.png"))
