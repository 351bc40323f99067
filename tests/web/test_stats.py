"""The statistics pages (cbcweb/stats.py): the official form of a unit the
signed-in employee may read, for a period the library reads, with the
library's figures; the children side by side with drill-down links; the
period switch; the CSV and JSON downloads; the charts' data as a JSON
block; who may see which unit (another enterprise is a 404); a bad period
is a 400 with the library's message."""
import datetime
import html
import json
import re

import pytest

import cbc

_FIGURE = re.compile(r'<tr data-field="(\w+)"><td class="no">\d+</td><th scope="row">([^<]*)</th>'
                     r'<td class="num">(-?\d+)</td></tr>')
_DATA = re.compile(r'<script type="application/json" id="stats-data">(.*?)</script>', re.S)
_CHILD_ROW = re.compile(r'<tr data-unit="(\d+)"><th scope="row"><a href="([^"]+)">([^<]*)</a></th>'
                        r'((?:\s*<td class="num">-?\d+</td>)+)</tr>')


def _closed_hazard(db, ids):
    """A worker's report in T1, registered, started and submitted by the
    team leader and verified by the safety officer: found 1, rectified 1."""
    hid, _ = db.report(ids["T1"], "配电箱门未关", "soft", "safety", "rules", "snapshot", "general",
                       reporter_id=ids["A1"])
    deadline = db.now() + datetime.timedelta(days=7)
    db.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "关门并加锁", deadline,
                "设警示牌")
    db.start(hid, ids["L1"])
    db.submit(hid, ids["L1"], "已加锁")
    db.verify(hid, ids["S1"], True, note="合格")
    return hid


def _figures(page):
    return {name: (heading, int(value)) for name, heading, value in _FIGURE.findall(page)}


def _chart_data(page):
    return json.loads(_DATA.search(page).group(1))


def _text(response):
    return response.get_data(as_text=True)


def test_the_form_shows_the_librarys_figures(client_as, db, ids):
    _closed_hazard(db, ids)
    db.add_training(ids["E1"], cbc.TrainingKind.ALL_STAFF, db.now(), 90, "安全生产月培训",
                    [(ids["A1"], True), (ids["L1"], True), (ids["S1"], False)])
    period = cbc.Period.current(db)
    got = client_as("C1").get("/stats?unit=%d&period=%s" % (ids["R1"], period))
    assert got.status_code == 200
    page = _text(got)
    form = db.form(ids["R1"], period)
    figures = _figures(page)
    assert list(figures) == [f.name.lower() for f in cbc.FormField]
    assert figures == {f.name.lower(): (html.escape(f.label, quote=False), form.value(f))
                       for f in cbc.FormField}
    assert figures["hazards_found"][1] == 1 and figures["hazards_rectified"][1] == 1
    assert figures["training_sessions"][1] == 1 and figures["employees_trained"][1] == 3
    assert html.escape(cbc.form_title(), quote=False) in page
    first, last = form.start.date(), (form.end - datetime.timedelta(seconds=1)).date()
    assert "填报单位：历下区（R1）" in page
    assert "统计期间：%s（%s 至 %s）" % (period, first, last) in page


def test_the_default_is_the_read_scope_and_the_current_month(client_as, db, ids):
    page = _text(client_as("A1").get("/stats"))
    scope = db.unit(db.read_scope(ids["A1"]))
    assert "填报单位：%s（%s）" % (scope.name, scope.external_id) in page
    assert "统计期间：%s（" % cbc.Period.current(db) in page


@pytest.mark.parametrize("text", ["2026-11", "2026-Q4", "2026", "2026-11-01..2026-11-15"])
def test_any_period_the_library_reads(client_as, db, ids, text):
    period = db.parse_period(text)
    page = _text(client_as("S1").get("/stats?unit=%d&period=%s" % (ids["E1"], text)))
    assert "统计期间：%s（" % period in page
    form = db.form(ids["E1"], period)
    assert {k: v for k, (_, v) in _figures(page).items()} == {
        f.name.lower(): form.value(f) for f in cbc.FormField}


@pytest.mark.parametrize("text, before, after", [
    ("2026-11", "2026-10", "2026-12"), ("2026-01", "2025-12", "2026-02"),
    ("2026-Q1", "2025-Q4", "2026-Q2"), ("2026-Q4", "2026-Q3", "2027-Q1"),
    ("2026", "2025", "2027"),
    ("2026-11-01..2026-11-15", "2026-10-17..2026-10-31", "2026-11-16..2026-11-30")])
def test_the_period_before_and_after(client_as, ids, text, before, after):
    page = _text(client_as("S1").get("/stats?unit=%d&period=%s" % (ids["E1"], text)))
    prev = re.search(r'<a rel="prev" href="([^"]+)"', page).group(1)
    nxt = re.search(r'<a rel="next" href="([^"]+)"', page).group(1)
    assert html.unescape(prev) == "/stats?unit=%d&period=%s" % (ids["E1"], before)
    assert html.unescape(nxt) == "/stats?unit=%d&period=%s" % (ids["E1"], after)


def test_the_ends_of_the_librarys_calendar(client_as, ids):
    """Nothing before 1970-01 or after 9999-12: no link there, and the series
    starts with the calendar."""
    client = client_as("S1")
    first = _text(client.get("/stats?unit=%d&period=1970-01" % ids["E1"]))
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert _chart_data(first)["series"]["months"] == ["1970-01"]
    last = _text(client.get("/stats?unit=%d&period=9999-12" % ids["E1"]))
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert _chart_data(last)["series"]["months"][0] == "9999-01"
    assert _text(client.get("/stats?unit=%d&period=9999" % ids["E1"])).count('rel="next"') == 0


@pytest.mark.parametrize("text, month, quarter, year", [
    ("2026-11", None, "2026-Q4", "2026"), ("2026-Q4", "2026-10", None, "2026"),
    ("2026", "2026-01", "2026-Q1", None), ("1970-01", None, "1970-Q1", "1970"),
    ("2026-11-01..2026-11-15", "2026-11", "2026-Q4", "2026")])
def test_the_month_quarter_and_year_it_starts_in(client_as, ids, text, month, quarter, year):
    page = html.unescape(_text(client_as("S1").get("/stats?unit=%d&period=%s" % (ids["E1"], text))))
    kinds = page[page.index('<span class="kinds">'):]
    kinds = kinds[:kinds.index("</span>")]
    for name, target in (("月", month), ("季", quarter), ("年", year)):
        if target is None:  # the period itself
            assert "<strong>%s</strong>" % name in kinds
        else:
            assert 'href="/stats?unit=%d&period=%s">%s<' % (ids["E1"], target, name) in kinds


@pytest.mark.parametrize("text", ["2026-13", "soon", "2026-11-15..2026-11-01", "2026-Q5"])
def test_a_bad_period_is_a_400_with_the_librarys_message(client_as, db, ids, text):
    with pytest.raises(cbc.InvalidError) as refused:
        db.parse_period(text)
    for path in ("/stats", "/stats/form.csv", "/stats/form.json", "/stats/table",
                 "/stats/table.csv"):
        got = client_as("C1").get(path, query_string={"unit": ids["E1"], "period": text})
        assert got.status_code == 400
        page = html.unescape(_text(got))
        assert refused.value.message in page
        assert 'name="period" value="%s"' % text in page


def test_the_children_side_by_side_and_their_links(client_as, db, ids):
    _closed_hazard(db, ids)
    period = cbc.Period.current(db)
    client = client_as("C1")
    page = _text(client.get("/stats?unit=%d&period=%s" % (ids["R1"], period)))
    rows = _CHILD_ROW.findall(page)
    children = db.child_forms(ids["R1"], period)
    assert [int(r[0]) for r in rows] == [f.unit_id for f in children] == [ids["E1"], ids["E2"]]
    assert [r[2] for r in rows] == ["济钢", "重汽"]
    for (unit, link, _, cells), form in zip(rows, children):
        figures = [int(v) for v in re.findall(r"-?\d+", cells)]
        assert figures == [form.value(f) for f in cbc.FormField]
        assert html.unescape(link) == "/stats?unit=%s&period=%s" % (unit, period)
    total = page[page.index('<tr class="total">'):]
    total = total[:total.index("</tr>")]
    assert [int(v) for v in re.findall(r'"num">(-?\d+)<', total)] == [
        db.form(ids["R1"], period).value(f) for f in cbc.FormField]
    # drilling down: the child's own page, its children (the workshops) in turn
    child = _text(client.get(html.unescape(rows[0][1])))
    assert "填报单位：济钢（E1）" in child
    assert _figures(child)["hazards_found"][1] == 1
    assert [int(r[0]) for r in _CHILD_ROW.findall(child)] == [ids["W1"], ids["W2"]]
    team = _text(client.get("/stats?unit=%d&period=%s" % (ids["T1"], period)))
    assert 'id="children"' not in team and 'data-chart="children"' not in team


def test_the_chart_data(client_as, db, ids):
    _closed_hazard(db, ids)
    period = cbc.Period.current(db)
    page = _text(client_as("C1").get("/stats?unit=%d&period=%s" % (ids["R1"], period)))
    data = _chart_data(page)
    # the series: the 12 months ending with the period's, from db.series
    series = db.series(ids["R1"], period.calendar_year - 1 + (period.number == 12),
                       period.number % 12 + 1, 12)
    assert data["series"]["months"][-1] == str(period)
    assert data["series"]["months"] == [f.start.strftime("%Y-%m") for f in series]
    assert [line["name"] for line in data["series"]["lines"]] == ["查出安全隐患数", "整改完成", "挂牌督办"]
    assert data["series"]["lines"][0]["data"] == [f.hazards_found for f in series]
    assert data["series"]["lines"][1]["data"][-1] == 1
    # the children, each with the URL a click on its bar opens
    assert data["children"]["names"] == ["济钢", "重汽"]
    assert data["children"]["urls"] == ["/stats?unit=%d&period=%s" % (ids[x], period)
                                        for x in ("E1", "E2")]
    assert data["children"]["bars"][0]["data"] == [1, 0]
    # the breakdown: every dimension with the library's labels, the counts and rates
    breakdown = db.breakdown(ids["R1"], period)
    assert [d["title"] for d in data["dimensions"]] == [d.label for d in cbc.Dimension]
    severity = data["dimensions"][0]["items"]
    assert severity == [{"name": s.label, "value": breakdown.by_dimension("severity")[s]}
                        for s in cbc.Severity]
    counts = dict(zip(data["counts"]["ids"], data["counts"]["values"]))
    assert counts["reported"] == 1 and counts["closed"] == 1 and counts["overdue_at_end"] == 0
    assert data["rates"]["names"] == ["整改率", "按期整改率", "处置率"]
    assert data["rates"]["values"] == [100.0, 100.0, 100.0]
    assert '<div data-figure="rectification_rate"><dt>整改率</dt><dd>100.0%</dd></div>' in page


def test_a_period_with_nothing(client_as, ids):
    page = _text(client_as("C1").get("/stats?unit=%d&period=2020-02" % ids["R1"]))
    assert all(v == 0 for _, v in _figures(page).values())
    assert _chart_data(page)["rates"]["values"] == [0, 0, 0]


def test_the_chart_data_is_escaped_and_no_script_is_inline(client_as, db, ids):
    """A unit named like markup stays text in the JSON block; every script
    is a file or JSON data (a Content-Security-Policy without inline scripts
    allows the page)."""
    db.unit_upsert(external_id="E9", kind=cbc.UnitKind.ENTERPRISE,
                   name="</script><script>alert(1)</script>", parent_external_id="R1")
    page = _text(client_as("C1").get("/stats?unit=%d" % ids["R1"]))
    block = _DATA.search(page).group(1)
    assert "<" not in block and "alert" in block
    assert "</script><script>alert(1)</script>" in _chart_data(page)["children"]["names"]
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
    assert 'src="/vendor/echarts.min.js"' in page and 'src="/static/stats.js"' in page
    assert 'href="/static/stats-print.css" media="print"' in page
    assert "onclick" not in page and "javascript:" not in page


def test_downloads_are_the_librarys_renderings(client_as, db, ids):
    _closed_hazard(db, ids)
    period = cbc.Period.current(db)
    client = client_as("C1")
    csv = client.get("/stats/form.csv?unit=%d&period=%s" % (ids["E1"], period))
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 after a byte-order mark
    assert csv.data.decode("utf-8-sig") == db.form_csv(ids["E1"], period)
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    assert "E1-%s.csv" % period in csv.headers["Content-Disposition"]
    # old clients get an ASCII name; the Chinese one is in filename*
    assert 'filename="form-%d-%s.csv"' % (ids["E1"], period) in csv.headers["Content-Disposition"]
    got = client.get("/stats/form.json?unit=%d&period=2026-Q4" % ids["E1"])
    assert got.status_code == 200 and got.mimetype == "application/json"
    assert got.get_data(as_text=True) == db.form_json(ids["E1"], db.parse_period("2026-Q4"))
    assert json.loads(got.data)["unit"] == "济钢"
    page = html.unescape(_text(client.get("/stats?unit=%d&period=%s" % (ids["E1"], period))))
    assert 'href="/stats/form.csv?unit=%d&period=%s" download' % (ids["E1"], period) in page
    assert 'href="/stats/form.json?unit=%d&period=%s" download' % (ids["E1"], period) in page
    assert client.get("/stats/form.xlsx?unit=%d" % ids["E1"]).status_code == 404


def test_a_range_downloads_under_a_safe_name(client_as, ids):
    got = client_as("S1").get("/stats/form.csv?unit=%d&period=2026-11-01..2026-11-15" % ids["E1"])
    assert got.status_code == 200
    disposition = got.headers["Content-Disposition"]
    assert "E1-2026-11-01..2026-11-15.csv" in disposition and "/" not in disposition


_TABLE_TOTAL = re.compile(r'<tr data-figure="(\w+)"><th scope="row">([^<]*)</th>'
                          r'<td class="num">([^<]*)</td>')


def test_the_hazard_table_shows_the_librarys_figures(client_as, db, ids):
    _closed_hazard(db, ids)
    quarter = db.period_containing(cbc.PeriodKind.QUARTER, db.now())
    got = client_as("C1").get("/stats/table", query_string={"unit": ids["R1"]})
    assert got.status_code == 200  # the current quarter by default
    page = _text(got)
    assert "生产经营单位事故隐患排查治理情况统计分析表" in page
    assert 'name="period" value="%s"' % quarter in page
    library = json.loads(db.hazard_table(ids["R1"], quarter))
    shown = {key: value for key, _, value in _TABLE_TOTAL.findall(page)}
    for f in cbc.HazardTableFigure:
        if f is not cbc.HazardTableFigure.PLAN_FUNDS_FEN:
            assert shown[f.name.lower()] == str(library["total"][f.name.lower()]), f
    assert library["total"]["general_found"] >= 1 and library["total"]["general_rectified"] >= 1
    assert shown["general_rate"] == "%.1f%%" % library["total"]["general_rate"]
    assert shown["major_rate"] == "—"
    for row in library["industries"]:
        assert 'data-industry="%s"' % row["industry"] in page


def test_the_hazard_table_downloads(client_as, db, ids):
    _closed_hazard(db, ids)
    quarter = db.period_containing(cbc.PeriodKind.QUARTER, db.now())
    got = client_as("S1").get("/stats/table.csv", query_string={"unit": ids["E1"],
                                                               "period": str(quarter)})
    assert got.status_code == 200
    body = _text(got)
    assert body == "\ufeff" + db.hazard_table(ids["E1"], quarter, "csv")
    assert ".csv" in got.headers["Content-Disposition"]
    got = client_as("S1").get("/stats/table.json", query_string={"unit": ids["E1"],
                                                                "period": "2026"})
    assert json.loads(_text(got)) == json.loads(
        db.hazard_table(ids["E1"], db.parse_period("2026")))


@pytest.mark.parametrize("path", ["/stats", "/stats/form.csv", "/stats/form.json",
                                  "/stats/table", "/stats/table.csv", "/stats/table.json"])
def test_another_enterprise_is_a_404(client_as, ids, path):
    worker = client_as("B2")  # 重汽's worker reads 重汽 only
    assert worker.get(path, query_string={"unit": ids["E2"]}).status_code == 200
    for unit in ("E1", "T1", "R1"):
        assert worker.get(path, query_string={"unit": ids[unit]}).status_code == 404
    # as one that does not exist
    assert worker.get(path, query_string={"unit": 999999}).status_code == 404
    assert worker.get(path, query_string={"unit": "E1"}).status_code == 400    # not an id


def test_who_reads_what(client_as, ids):
    """An enterprise's people read its units; the district's cadre reads both enterprises."""
    for who, unit, status in [("A1", "E1", 200), ("A1", "W2", 200), ("A1", "E2", 404),
                              ("L1", "T3", 200), ("C1", "E2", 200), ("C1", "T4", 200)]:
        assert client_as(who).get("/stats?unit=%d" % ids[unit]).status_code == status, (who, unit)


def test_signed_out_is_sent_to_sign_in(anonymous):
    got = anonymous.get("/stats")
    assert got.status_code in (302, 303) and "/login" in got.headers["Location"]


def test_a_district_page_reads_aggregates_only(client_as, db, ids, monkeypatch):
    """The page asks the library for the aggregates (db.form without
    from_records, child_forms, series, breakdown) and never lists hazards."""
    calls = []
    for name in ("hazards", "hazard_page", "hazard_count", "hazard"):
        monkeypatch.setattr(cbc.Database, name, lambda *a, _n=name, **k: calls.append(_n))
    real_form = cbc.Database.form

    def form(self, unit_id, period, from_records=False):
        calls.append("form from records" if from_records else "form")
        return real_form(self, unit_id, period, from_records)
    monkeypatch.setattr(cbc.Database, "form", form)
    assert client_as("C1").get("/stats?unit=%d" % ids["R1"]).status_code == 200
    assert calls == ["form"]
