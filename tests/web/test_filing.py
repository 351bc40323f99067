"""The filing pages (cbcweb/filings.py): who under a unit owes a report for a
period and where each stands, the library's states and due date; filing
the hazard table, the monthly form and the report to the employee congress
through the form, as the signed-in employee; each version as stored (its
text, its CSV and JSON downloads); refiling adds a version.  The
major-hazard report is filed on a registered major hazard's page, not on
the status page.  The library decides who may file and sign: a refusal is
shown with its message and files nothing; a missing CSRF token files
nothing; another enterprise's filings are 404.

The clock is the database's (db.now()): the current quarter's table is
never due yet (it is due the 15th of the next month), the previous
quarter's always is."""
import datetime
import html
import json
import re

import pytest

import cbc
from conftest import csrf_token

TABLE_TITLE = "生产经营单位事故隐患排查治理情况统计分析表"
CONGRESS_TITLE = "事故隐患排查治理情况报告"
MAJOR_TITLE = "重大事故隐患报告"

_ROW = re.compile(r'<tr data-unit="(\d+)" data-state="(\w+)">\s*<td><a href="[^"]*">([^<]*)</a></td>'
                  r'\s*<td><span class="state">([^<]*)</span></td>\s*<td>(\d+)</td>')
_COUNT = re.compile(r'<div data-state="(\w+)"><dt>.*?</dt><dd>(\d+)</dd></div>')
_NOTICE = re.compile(r'<p class="notice">([^<]*)</p>')


def text(response):
    return response.get_data(as_text=True)


def quarter(db):
    """The current quarter (its table is not due before the next month's 15th)."""
    return db.period_containing(cbc.PeriodKind.QUARTER, db.now())


def previous_quarter(db):
    """The quarter before the current one (its table's due date has passed)."""
    q = quarter(db)
    return cbc.Period.quarter(q.calendar_year, q.number - 1) if q.number > 1 else \
        cbc.Period.quarter(q.calendar_year - 1, 4)


def rows(page):
    """The status table: (unit id, state's name, unit's name, state's label, versions)."""
    return [(int(u), s, name, state, int(v)) for u, s, name, state, v in _ROW.findall(page)]


def counts(page):
    return {state: int(n) for state, n in _COUNT.findall(page)}


def file_form(client, unit_id, kind="hazard_table", **more):
    """The filing form's fields as the report's status page gives them (for
    its default period), with more (another period, the signer, a note)."""
    page = text(client.get("/filings", query_string={"kind": kind, "unit": unit_id}))
    fields = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
              "kind": re.search(r'name="kind" value="(\w+)"', page).group(1),
              "unit": re.search(r'<input type="hidden" name="unit" value="(\d+)">\s*'
                                r'<input type="hidden" name="period"', page).group(1),
              "period": html.unescape(re.search(r'<input type="hidden" name="period" value="([^"]*)">',
                                                page).group(1)),
              "signer": "", "note": ""}
    fields.update(more)
    return fields


def submit(client, unit_id, **fields):
    return client.post("/filings/submit", data=file_form(client, unit_id, **fields))


def not_filed(db, unit_id, kind, period):
    with pytest.raises(cbc.NotFoundError):
        db.filing_version(unit_id, kind, period)
    return True


# -- who owes what -------------------------------------------------------------
def test_the_status_of_the_current_quarter(client_as, db, ids):
    """The district's cadre sees both enterprises owe the table, not due yet."""
    q = quarter(db)
    got = client_as("C1").get("/filings", query_string={"kind": "hazard_table", "unit": ids["R1"]})
    assert got.status_code == 200
    page = text(got)
    assert 'name="period" value="%s"' % q in page  # the current quarter by default
    assert rows(page) == [(ids["E1"], "pending", "济钢", "未到报送期限", 0),
                          (ids["E2"], "pending", "重汽", "未到报送期限", 0)]
    assert counts(page) == {"on_time": 0, "late": 0, "missing": 0, "pending": 2}
    due = db.filing_due(cbc.FilingKind.HAZARD_TABLE, q)
    assert "报送截止：<strong>%s</strong>" % due.strftime("%Y-%m-%d %H:%M") in page
    assert [s.label for s in cbc.FilingState] == ["按时报送", "逾期报送", "未报送", "未到报送期限"]
    for s in cbc.FilingState:
        assert s.label in page


def test_the_status_of_a_past_quarter_and_a_late_filing(client_as, db, ids):
    past = previous_quarter(db)
    query = {"kind": "hazard_table", "unit": ids["R1"], "period": str(past)}
    page = text(client_as("C1").get("/filings", query_string=query))
    assert [(r[0], r[3]) for r in rows(page)] == [(ids["E1"], "未报送"), (ids["E2"], "未报送")]
    assert counts(page) == {"on_time": 0, "late": 0, "missing": 2, "pending": 0}
    db.file_report(cbc.FilingKind.HAZARD_TABLE, ids["E1"], past, ids["P1"], ids["S1"])
    page = text(client_as("C1").get("/filings", query_string=query))
    assert [(r[0], r[3], r[4]) for r in rows(page)] == [(ids["E1"], "逾期报送", 1),
                                                         (ids["E2"], "未报送", 0)]
    assert counts(page) == {"on_time": 0, "late": 1, "missing": 1, "pending": 0}
    # only the missing ones
    page = text(client_as("C1").get("/filings", query_string=dict(query, state="missing")))
    assert [r[0] for r in rows(page)] == [ids["E2"]]


def test_the_monthly_form_is_owed_by_the_children(client_as, db, ids):
    page = text(client_as("C1").get("/filings", query_string={"unit": ids["R1"]}))
    assert 'name="period" value="%s"' % cbc.Period.current(db) in page  # the month by default
    assert 'aria-current="page">%s</a>' % html.escape(cbc.FilingKind.MONTHLY_FORM.label,
                                                       quote=False) in page
    status = db.filing_status(ids["R1"], cbc.FilingKind.MONTHLY_FORM, cbc.Period.current(db))
    assert [(r[0], r[1]) for r in rows(page)] == [(e.unit_id, e.state.name.lower())
                                                  for e in status.entries]
    assert [r[0] for r in rows(page)] == [ids["E1"], ids["E2"]]


def test_the_district_cadre_files_its_monthly_form(client_as, db, ids):
    client = client_as("C1")
    got = submit(client, ids["R1"], kind="monthly_form", signer="C1")
    assert got.status_code == 302
    filed = db.filing_version(ids["R1"], cbc.FilingKind.MONTHLY_FORM, cbc.Period.current(db))
    assert got.headers["Location"].endswith("/filings/%d" % filed.id)
    assert filed.filed_by == filed.signed_by == ids["C1"]
    page = text(client.get(got.headers["Location"]))
    assert html.escape(filed.text, quote=False) in page


# -- filing the hazard table -------------------------------------------------------
def test_a_safety_officer_files_the_table_signed_by_the_principal(client_as, db, ids):
    client = client_as("S1")
    q = quarter(db)
    got = submit(client, ids["E1"], signer="P1", note="第四季度")
    assert got.status_code == 302
    filed = db.filing_version(ids["E1"], cbc.FilingKind.HAZARD_TABLE, q)
    assert (filed.version, filed.filed_by, filed.signed_by, filed.note, filed.late) == (
        1, ids["S1"], ids["P1"], "第四季度", False)
    assert got.headers["Location"].endswith("/filings/%d" % filed.id)
    page = text(client.get(got.headers["Location"]))
    notice = _NOTICE.search(page).group(1)
    assert "第 1 版" in notice and filed.due_at.strftime("%Y-%m-%d %H:%M") in notice
    assert "按时报送" in notice
    # the version as stored: its text, pre-formatted, and its facts
    assert TABLE_TITLE in page
    assert '<pre class="policy-text" id="filed-text">%s</pre>' % html.escape(filed.text) in page
    assert "<dt>填报人</dt><dd>孙华</dd>" in page and "<dt>签字人</dt><dd>周总</dd>" in page
    assert "<dt>报送截止</dt><dd>%s</dd>" % filed.due_at.strftime("%Y-%m-%d %H:%M") in page
    assert '<span class="state" id="timeliness">按时报送</span>' in page
    # the unit's page lists it; the district's status counts it on time
    own = text(client.get("/filings", query_string={"kind": "hazard_table", "unit": ids["E1"]}))
    assert 'href="/filings/%d">第 1 版</a>' % filed.id in own
    district = text(client_as("C1").get("/filings", query_string={"kind": "hazard_table",
                                                                   "unit": ids["R1"]}))
    assert [(r[0], r[3], r[4]) for r in rows(district)] == [(ids["E1"], "按时报送", 1),
                                                             (ids["E2"], "未到报送期限", 0)]


def test_the_downloads_are_the_stored_renderings(client_as, db, ids):
    client = client_as("S1")
    submit(client, ids["E1"], signer="P1")
    filed = db.filing_version(ids["E1"], cbc.FilingKind.HAZARD_TABLE, quarter(db))
    page = text(client.get("/filings/%d" % filed.id))
    assert 'href="/filings/%d.csv" download' % filed.id in page
    assert 'href="/filings/%d.json" download' % filed.id in page
    csv = client.get("/filings/%d.csv" % filed.id)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data == ("\ufeff" + filed.csv).encode("utf-8")  # a BOM for Excel, as /stats
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    assert "E1-%s-v1.csv" % quarter(db) in csv.headers["Content-Disposition"]
    got = client.get("/filings/%d.json" % filed.id)
    assert got.status_code == 200 and got.mimetype == "application/json"
    assert got.data == filed.json.encode("utf-8")
    assert json.loads(got.data)["title"] == TABLE_TITLE
    # as stored: a hazard found since does not change the filed version
    db.report(ids["T1"], "配电箱门未关", "soft", "safety", "rules", "snapshot", "general",
              reporter_id=ids["A1"])
    assert client.get("/filings/%d.csv" % filed.id).data == csv.data
    assert client.get("/filings/%d.xlsx" % filed.id).status_code == 404


def test_refiling_adds_version_2(client_as, db, ids):
    client = client_as("S1")
    submit(client, ids["E1"], signer="P1")
    got = submit(client, ids["E1"], signer="P1", note="更正")
    assert got.status_code == 302
    first = db.filing_version(ids["E1"], cbc.FilingKind.HAZARD_TABLE, quarter(db), 1)
    second = db.filing_version(ids["E1"], cbc.FilingKind.HAZARD_TABLE, quarter(db))
    assert second.version == 2 and got.headers["Location"].endswith("/filings/%d" % second.id)
    page = text(client.get(got.headers["Location"]))
    assert "第 2 版" in _NOTICE.search(page).group(1)
    assert "<h1>%s · 第 2 版</h1>" % cbc.FilingKind.HAZARD_TABLE.label in page
    # the first version says which is newest; the unit's list has both, newest first
    old = text(client.get("/filings/%d" % first.id))
    assert 'href="/filings/%d">最新为第 2 版</a>' % second.id in old
    own = text(client.get("/filings", query_string={"kind": "hazard_table", "unit": ids["E1"]}))
    assert re.findall(r'href="/filings/(\d+)">第 (\d) 版</a>', own) == [
        (str(second.id), "2"), (str(first.id), "1")]
    assert [r[4] for r in rows(own)] == [2]


def test_a_late_version_is_marked(client_as, db, ids):
    client = client_as("S1")
    got = submit(client, ids["E1"], period=str(previous_quarter(db)), signer="P1")
    assert got.status_code == 302
    page = text(client.get(got.headers["Location"]))
    assert "逾期报送" in _NOTICE.search(page).group(1)
    assert '<span class="state" id="timeliness">逾期报送</span>' in page


# -- refusals ------------------------------------------------------------------
def test_a_workers_filing_is_refused_with_the_librarys_message(client_as, db, ids):
    q = quarter(db)
    with pytest.raises(cbc.PermissionDenied) as refused:  # what the library says (nothing filed)
        db.file_report(cbc.FilingKind.HAZARD_TABLE, ids["E1"], q, ids["P1"], ids["A1"])
    got = submit(client_as("A1"), ids["E1"], signer="P1")
    assert got.status_code == 403
    page = html.unescape(text(got))
    assert "没有权限：" + refused.value.message in page
    assert '<details class="move" id="file-report" open>' in page
    assert not_filed(db, ids["E1"], cbc.FilingKind.HAZARD_TABLE, q)


def test_a_signer_who_may_not_sign_is_refused(client_as, db, ids):
    q = quarter(db)
    got = submit(client_as("S1"), ids["E1"], signer="S1", note="自己签")
    assert got.status_code == 403
    page = html.unescape(text(got))
    assert "may not sign this report" in page
    assert 'name="signer" value="S1"' in page and "自己签</textarea>" in page  # kept for a retry
    assert not_filed(db, ids["E1"], cbc.FilingKind.HAZARD_TABLE, q)


@pytest.mark.parametrize("fields, status, message", [
    ({"signer": ""}, 400, "请填写：签字人工号"),
    ({"signer": "NOBODY"}, 400, "没有工号为 NOBODY 的职工"),
    ({"signer": "B2"}, 400, "没有工号为 B2 的职工"),        # another enterprise's: not told
    ({"signer": "P1", "period": "2026-11"}, 400, "not a month"),  # the library's rule
    ({"signer": "P1", "period": "2026-13"}, 400, None),
    ({"signer": "P1", "period": "2999-Q1"}, 400, "has not begun"),
])
def test_bad_fields_file_nothing(client_as, db, ids, fields, status, message):
    got = submit(client_as("S1"), ids["E1"], **fields)
    assert got.status_code == status
    assert message is None or message in html.unescape(text(got))
    with pytest.raises(cbc.NotFoundError):
        db.filing(1)


def test_a_workshop_files_no_table(client_as, db, ids):
    got = submit(client_as("S1"), ids["W2"], signer="P1")
    assert got.status_code == 409
    assert "当前状态不允许该操作" in html.unescape(text(got))


def test_the_csrf_token_is_required(client_as, db, ids):
    client = client_as("S1")
    fields = file_form(client, ids["E1"], signer="P1")
    del fields["csrf_token"]
    assert client.post("/filings/submit", data=fields).status_code == 400
    fields["csrf_token"] = "forged"
    assert client.post("/filings/submit", data=fields).status_code == 400
    assert not_filed(db, ids["E1"], cbc.FilingKind.HAZARD_TABLE, quarter(db))
    # with the token it files
    fields["csrf_token"] = csrf_token(client, "/filings")
    assert client.post("/filings/submit", data=fields).status_code == 302


# -- who sees what ---------------------------------------------------------------
def test_another_enterprises_filings_are_404(client_as, db, ids):
    filing_id = db.file_report(cbc.FilingKind.HAZARD_TABLE, ids["E1"], quarter(db), ids["P1"],
                               ids["S1"])
    outsider = client_as("B2")  # 重汽's worker
    for path in ("/filings/%d", "/filings/%d.csv", "/filings/%d.json"):
        assert outsider.get(path % filing_id).status_code == 404
        assert outsider.get(path % 999999).status_code == 404
        assert client_as("A1").get(path % filing_id).status_code == 200  # 济钢's worker reads
    assert outsider.get("/filings", query_string={"unit": ids["E1"]}).status_code == 404
    assert outsider.get("/filings", query_string={"unit": ids["E2"]}).status_code == 200
    fields = file_form(outsider, ids["E2"], signer="P1")
    fields["unit"] = str(ids["E1"])
    assert outsider.post("/filings/submit", data=fields).status_code == 404
    fields["unit"] = "E1"
    assert outsider.post("/filings/submit", data=fields).status_code == 400


@pytest.mark.parametrize("query, message", [
    ({"kind": "hazard_table", "period": "2026-11"}, "not a month"),
    ({"kind": "monthly_form", "period": "2026-Q4"}, None),
    ({"period": "soon"}, None),
    ({"kind": "quarterly"}, "没有这种报表"),
    ({"kind": "major_hazard_report"}, "请在隐患台账中打开该重大事故隐患"),
    ({"kind": "congress_report", "period": "2026-11"}, None),
    ({"state": "lost"}, "没有这种报送状态"),
    ({"page": "0"}, "页码无效"),
])
def test_a_bad_query_is_a_400(client_as, db, ids, query, message):
    got = client_as("C1").get("/filings", query_string=dict(query, unit=ids["R1"]))
    assert got.status_code == 400
    page = html.unescape(text(got))
    assert message is None or message in page
    if "period" in query and "kind" not in query:
        with pytest.raises(cbc.InvalidError) as refused:
            db.parse_period(query["period"])
        assert refused.value.message in page
        assert 'name="period" value="%s"' % query["period"] in page  # kept for a retry


# -- the report to the employee congress --------------------------------------------
def test_the_congress_report_is_a_tab_and_is_filed(client_as, db, ids):
    page = text(client_as("C1").get("/filings", query_string={"kind": "congress_report",
                                                               "unit": ids["R1"]}))
    tabs = re.findall(r'data-kind="(\w+)"', page)
    assert tabs == ["monthly_form", "hazard_table", "congress_report"]  # the periodic ones
    assert 'aria-current="page">%s</a>' % cbc.FilingKind.CONGRESS_REPORT.label in page
    assert 'name="period" value="%s"' % quarter(db) in page  # the current quarter by default
    assert [(r[0], r[1]) for r in rows(page)] == [(ids["E1"], "pending"), (ids["E2"], "pending")]
    client = client_as("S1")
    got = submit(client, ids["E1"], kind="congress_report", signer="P1")
    assert got.status_code == 302
    filed = db.filing_version(ids["E1"], cbc.FilingKind.CONGRESS_REPORT, quarter(db))
    assert (filed.filed_by, filed.signed_by, filed.late) == (ids["S1"], ids["P1"], False)
    assert got.headers["Location"].endswith("/filings/%d" % filed.id)
    page = text(client.get(got.headers["Location"]))
    assert CONGRESS_TITLE in page
    assert '<pre class="policy-text" id="filed-text">%s</pre>' % html.escape(filed.text) in page
    assert "<dt>统计期间</dt><dd>%s</dd>" % quarter(db) in page
    csv = client.get("/filings/%d.csv" % filed.id)
    assert csv.data == ("\ufeff" + filed.csv).encode("utf-8")
    assert "congress-report-%d-%s-v1.csv" % (ids["E1"], quarter(db)) in \
        csv.headers["Content-Disposition"]
    district = text(client_as("C1").get("/filings", query_string={"kind": "congress_report",
                                                                   "unit": ids["R1"]}))
    assert [(r[0], r[1], r[4]) for r in rows(district)] == [(ids["E1"], "on_time", 1),
                                                             (ids["E2"], "pending", 0)]


# -- the major-hazard report, on the hazard's page ----------------------------------------
_VERSION_LINK = re.compile(r'<a href="/filings/(\d+)">第 (\d+) 版</a>')


def major_hazard(db, ids, severity=cbc.Severity.MAJOR):
    """A hazard of 济钢 registered by its principal (major: with its plan)."""
    hid, _ = db.report(ids["T1"], "平台护栏断裂", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.SELF_CHECK, severity,
                       reporter_id=ids["A1"])
    deadline = db.now() + datetime.timedelta(days=30)
    plan = cbc.RectificationPlan("消除坠落风险", "加装防护栏", "专项资金", "设备科", deadline,
                                 "设警戒区") if severity is cbc.Severity.MAJOR else None
    level = cbc.Level.ENTERPRISE if severity is cbc.Severity.MAJOR else cbc.Level.TEAM
    db.register(hid, ids["P1"], severity, level, "更换护栏", deadline, "停用平台",
                funds_fen=1250000, plan=plan)
    return hid


def report_fields(client, hazard_id, **more):
    """The major-hazard report form's fields, from the hazard's page."""
    page = text(client.get("/hazards/%d" % hazard_id))
    assert 'action="/filings/major/%d"' % hazard_id in page
    fields = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
              "cause": "护栏锈蚀断裂", "harm": "可致高处坠落死亡", "difficulty": "需停产两日更换",
              "signer": "P1", "note": ""}
    fields.update(more)
    return fields


def file_major(client, hazard_id, **more):
    return client.post("/filings/major/%d" % hazard_id,
                       data=report_fields(client, hazard_id, **more))


def no_major_report(db, hazard_id):
    with pytest.raises(cbc.NotFoundError):
        db.major_hazard_report(hazard_id)
    return True


def test_a_major_hazards_report_is_filed_on_its_page(client_as, db, ids):
    hid = major_hazard(db, ids)
    client = client_as("S1")
    page = text(client.get("/hazards/%d" % hid))
    assert '<h2 id="major-report-title">%s</h2>' % MAJOR_TITLE in page
    assert "尚未报送。" in page and not _VERSION_LINK.findall(page)
    for name in ("cause", "harm", "difficulty", "note"):
        assert '<textarea name="%s"' % name in page
    assert '<input name="signer"' in page
    got = file_major(client, hid, note="首报")
    assert got.status_code == 302
    filed = db.major_hazard_report(hid)
    assert (filed.kind, filed.version, filed.hazard_id, filed.unit_id, filed.period) == (
        cbc.FilingKind.MAJOR_HAZARD_REPORT, 1, hid, ids["E1"], None)
    assert (filed.filed_by, filed.signed_by, filed.note) == (ids["S1"], ids["P1"], "首报")
    assert got.headers["Location"].endswith("/filings/%d" % filed.id)
    page = text(client.get(got.headers["Location"]))
    notice = _NOTICE.search(page).group(1)
    assert "第 1 版" in notice and filed.due_at.strftime("%Y-%m-%d %H:%M") in notice
    assert "隐患 %d" % hid in notice and "按时报送" in notice
    # the version's page: the hazard, linked, instead of a period; the text as stored
    assert "<h1>%s · 第 1 版</h1>" % MAJOR_TITLE in page
    assert '<dt>隐患编号</dt><dd id="hazard"><a href="/hazards/%d">%d</a></dd>' % (hid, hid) in page
    assert "统计期间" not in page
    assert "护栏锈蚀断裂" in page
    assert '<pre class="policy-text" id="filed-text">%s</pre>' % html.escape(filed.text) in page
    # the downloads are the stored renderings, named after the hazard
    csv = client.get("/filings/%d.csv" % filed.id)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data == ("\ufeff" + filed.csv).encode("utf-8")
    disposition = csv.headers["Content-Disposition"]
    assert "major-hazard-report-%d-hazard%d-v1.csv" % (ids["E1"], hid) in disposition
    assert "E1-hazard%d-v1.csv" % hid in disposition
    got = client.get("/filings/%d.json" % filed.id)
    assert got.data == filed.json.encode("utf-8")
    assert json.loads(got.data)["cause"] == {"cause": "护栏锈蚀断裂"}
    # the hazard's page lists it
    page = text(client.get("/hazards/%d" % hid))
    assert _VERSION_LINK.findall(page) == [(str(filed.id), "1")]


def test_a_second_major_hazard_report_is_version_2(client_as, db, ids):
    hid = major_hazard(db, ids)
    client = client_as("S1")
    assert file_major(client, hid).status_code == 302
    got = file_major(client, hid, cause="护栏锈蚀断裂，焊点开裂")
    assert got.status_code == 302
    first, second = db.major_hazard_report(hid, 1), db.major_hazard_report(hid)
    assert second.version == 2 and got.headers["Location"].endswith("/filings/%d" % second.id)
    page = text(client.get(got.headers["Location"]))
    assert "第 2 版" in _NOTICE.search(page).group(1)
    assert "<h1>%s · 第 2 版</h1>" % MAJOR_TITLE in page and "焊点开裂" in page
    old = text(client.get("/filings/%d" % first.id))
    assert 'href="/filings/%d">最新为第 2 版</a>' % second.id in old
    assert "第 1 版（共 2 版）" in old
    assert 'hazard%d-v2.json' % hid in client.get(
        "/filings/%d.json" % second.id).headers["Content-Disposition"]
    page = text(client.get("/hazards/%d" % hid))
    assert _VERSION_LINK.findall(page) == [(str(second.id), "2"), (str(first.id), "1")]


def test_a_workers_major_hazard_report_is_refused(client_as, db, ids):
    hid = major_hazard(db, ids)
    with pytest.raises(cbc.PermissionDenied) as refused:  # what the library says (nothing filed)
        db.file_major_hazard_report(hid, ids["E1"], ids["P1"], ids["A1"], "a", "b", "c")
    got = file_major(client_as("A1"), hid, note="我来报")
    assert got.status_code == 403
    page = html.unescape(text(got))
    assert "没有权限：" + refused.value.message in page
    assert 'id="report-error"' in page and 'id="move-error"' not in page
    assert '<details class="move" id="file-major-report" open>' in page
    assert "我来报</textarea>" in page and "护栏锈蚀断裂</textarea>" in page  # kept for a retry
    assert no_major_report(db, hid)


@pytest.mark.parametrize("fields, status, message", [
    ({"cause": ""}, 400, "填写有误：cause is empty"),      # the library's rule
    ({"cause": "   "}, 400, "填写有误：cause is empty"),
    ({"difficulty": ""}, 400, "填写有误"),
    ({"signer": ""}, 400, "请填写：签字人工号"),
    ({"signer": "B2"}, 400, "没有工号为 B2 的职工"),        # another enterprise's: not told
    ({"signer": "S1"}, 403, "没有权限"),                    # a safety officer does not sign
])
def test_bad_report_fields_file_nothing(client_as, db, ids, fields, status, message):
    hid = major_hazard(db, ids)
    got = file_major(client_as("S1"), hid, **fields)
    assert got.status_code == status
    assert message in html.unescape(text(got))
    assert no_major_report(db, hid)


def test_the_major_hazard_report_needs_the_csrf_token(client_as, db, ids):
    hid = major_hazard(db, ids)
    client = client_as("S1")
    fields = report_fields(client, hid)
    del fields["csrf_token"]
    assert client.post("/filings/major/%d" % hid, data=fields).status_code == 400
    assert no_major_report(db, hid)


def test_a_general_hazard_has_no_major_report(client_as, db, ids):
    hid = major_hazard(db, ids, cbc.Severity.GENERAL)
    page = text(client_as("S1").get("/hazards/%d" % hid))
    assert 'id="major-report"' not in page and "/filings/major/" not in page
    # posted anyway: the library refuses it, nothing is filed
    client = client_as("S1")
    fields = {"csrf_token": csrf_token(client, "/hazards/%d" % hid), "cause": "a", "harm": "b",
              "difficulty": "c", "signer": "P1"}
    got = client.post("/filings/major/%d" % hid, data=fields)
    assert got.status_code == 409 and "当前状态不允许该操作" in html.unescape(text(got))
    assert no_major_report(db, hid)


def test_an_unregistered_hazard_shows_no_report_form(client_as, db, ids):
    hid, _ = db.report(ids["T1"], "平台护栏断裂", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.SELF_CHECK,
                       cbc.Severity.MAJOR, reporter_id=ids["A1"])
    page = text(client_as("S1").get("/hazards/%d" % hid))
    assert 'id="major-report"' not in page


def test_major_hazard_reports_of_another_enterprise_are_404(client_as, db, ids):
    hid = major_hazard(db, ids)
    filing_id = db.file_major_hazard_report(hid, ids["E1"], ids["P1"], ids["S1"], "a", "b", "c")
    outsider = client_as("B2")
    for path in ("/filings/%d", "/filings/%d.csv", "/filings/%d.json"):
        assert outsider.get(path % filing_id).status_code == 404
    fields = {"csrf_token": csrf_token(outsider, "/"), "cause": "a", "harm": "b",
              "difficulty": "c", "signer": "P1"}
    assert outsider.post("/filings/major/%d" % hid, data=fields).status_code == 404
    assert db.major_hazard_report(hid).version == 1


def test_the_major_hazard_report_is_not_filed_by_period(client_as, db, ids):
    got = client_as("S1").get("/filings", query_string={"kind": "major_hazard_report",
                                                         "unit": ids["E1"]})
    assert got.status_code == 400
    page = html.unescape(text(got))
    assert "重大事故隐患报告按隐患报送" in page and "隐患页面" in page
    fields = file_form(client_as("S1"), ids["E1"], signer="P1")
    fields["kind"] = "major_hazard_report"
    assert client_as("S1").post("/filings/submit", data=fields).status_code == 400
    with pytest.raises(cbc.NotFoundError):
        db.filing(1)


def test_the_statistics_pages_link_here(client_as, ids):
    client = client_as("C1")
    form = html.unescape(text(client.get("/stats", query_string={"unit": ids["E1"]})))
    assert 'href="/filings?kind=monthly_form&unit=%d"' % ids["E1"] in form
    table = html.unescape(text(client.get("/stats/table", query_string={"unit": ids["E1"]})))
    assert 'href="/filings?kind=hazard_table&unit=%d"' % ids["E1"] in table


def test_signed_out_is_sent_to_sign_in(anonymous):
    got = anonymous.get("/filings")
    assert got.status_code in (302, 303) and "/login" in got.headers["Location"]
