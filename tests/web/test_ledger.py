"""The ledger and a hazard's page: what the viewer may read (404 for the
rest: another enterprise's ledger, hazard and attachments), the filters,
sort, paging with the library's cursors, the five items and the history."""
import datetime
import io
import re

import pytest

import cbc
from conftest import JPEG, report_fields


def report(db, unit_id, reporter_id, title, **more):
    fields = dict(kind=cbc.HazardKind.HARD, category=cbc.HazardCategory.SAFETY,
                  check_item=cbc.CheckItem.RULES, source=cbc.HazardSource.SELF_CHECK,
                  proposed_severity=cbc.Severity.GENERAL, reporter_id=reporter_id)
    fields.update(more)
    return db.report(unit_id, title, **fields)[0]


@pytest.fixture
def two_ledgers(db, ids):
    """A1 reported 甲隐患 in E1; B2 reported 乙隐患 in E2."""
    return {"A": report(db, ids["T1"], ids["A1"], "甲隐患"),
            "B": report(db, ids["T4"], ids["B2"], "乙隐患")}


def photo_of(client, title):
    fields = report_fields(client, title=title, photos=[(io.BytesIO(JPEG), "p.jpg")])
    assert client.post("/report", data=fields, content_type="multipart/form-data").status_code == 302


def ledger_ids(response):
    return [int(x) for x in re.findall(r'href="/hazards/(\d+)"', response.get_data(as_text=True))]


def test_a_worker_sees_only_their_enterprises_ledger(client_as, two_ledgers):
    r = client_as("A1").get("/ledger")
    assert r.status_code == 200
    assert ledger_ids(r) == [two_ledgers["A"]]
    assert "乙隐患" not in r.get_data(as_text=True) and "共 1 条" in r.get_data(as_text=True)


def test_the_region_cadre_sees_both(client_as, two_ledgers):
    assert sorted(ledger_ids(client_as("C1").get("/ledger"))) == sorted(two_ledgers.values())


def test_another_enterprises_unit_is_not_found(client_as, ids, two_ledgers):
    client = client_as("A1")
    assert client.get("/ledger?unit=%d" % ids["E2"]).status_code == 404
    assert client.get("/ledger?unit=%d" % ids["T4"]).status_code == 404
    assert client.get("/ledger?unit=%d" % ids["W1"]).status_code == 200
    assert client.get("/ledger?unit=999999").status_code == 404


def test_another_enterprises_hazard_is_not_found(client_as, two_ledgers):
    client = client_as("A1")
    assert client.get("/hazards/%d" % two_ledgers["A"]).status_code == 200
    missing = client.get("/hazards/%d" % two_ledgers["B"])
    assert missing.status_code == 404
    assert missing.get_data(as_text=True) == client.get("/hazards/999999").get_data(as_text=True)


def test_attachments_are_served_only_to_readers(client_as, db, ids):
    photo_of(client_as("B2"), "乙的照片")
    (h,) = list(db.hazards())
    url = "/hazards/%d/files/0" % h.id
    ok = client_as("B2").get(url)
    assert ok.status_code == 200 and ok.data == JPEG and ok.mimetype == "image/jpeg"
    assert ok.headers["X-Content-Type-Options"] == "nosniff"
    assert ok.headers["Cache-Control"] == "private, no-cache"
    assert client_as("C1").get(url).status_code == 200
    assert client_as("A1").get(url).status_code == 404
    assert client_as("B2").get("/hazards/%d/files/1" % h.id).status_code == 404
    assert client_as("B2").get("/hazards/999999/files/0").status_code == 404


def test_an_attachment_stored_elsewhere_is_not_served(client_as, db, ids):
    hid = report(db, ids["T1"], ids["A1"], "外链附件", attachments=[cbc.Attachment(
        uri="../campaign.db", media_type="image/jpeg", size=1, sha256="0" * 64)])
    assert client_as("A1").get("/hazards/%d/files/0" % hid).status_code == 404


def test_a_reporter_reads_their_own_report_wherever_they_are(client_as, db, ids):
    hid = report(db, ids["T1"], ids["A1"], "调走前上报")
    db.transfer(ids["A1"], ids["T4"])
    assert client_as("A1").get("/hazards/%d" % hid).status_code == 200


def test_the_hazard_page_shows_the_five_items_and_history(client_as, db, ids, two_ledgers):
    hid = two_ledgers["A"]
    deadline = db.now() + datetime.timedelta(days=10)
    db.register(hid, ids["S1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏", deadline,
                "设置警戒区", funds_fen=123456, responsible_id=ids["L1"])
    db.start(hid, ids["L1"])
    text = client_as("A1").get("/hazards/%d" % hid).get_data(as_text=True)
    five = text[text.index('id="five-items"'):text.index("</dl>", text.index('id="five-items"'))]
    for shown in ("李强", "加装护栏", "1234.56 元", deadline.strftime("%Y-%m-%d"), "设置警戒区"):
        assert shown in five
    history = text[text.index('id="history"'):]
    for event in db.hazard_history(hid):
        assert event.action.label in history
    assert history.index("王芳") < history.index("孙华") < history.index(
        cbc.HazardAction.START.label)


def test_filters(client_as, db, ids):
    first = report(db, ids["T1"], ids["A1"], "配电箱未上锁")
    second = report(db, ids["T3"], ids["S1"], "灭火器过期", description="三楼走廊")
    deadline = db.now() + datetime.timedelta(days=3)
    db.register(second, ids["S1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "更换", deadline, "无",
                responsible_id=ids["S1"])
    client = client_as("A1")
    assert ledger_ids(client.get("/ledger?q=走廊")) == [second]
    assert ledger_ids(client.get("/ledger?state=REGISTERED")) == [second]
    assert ledger_ids(client.get("/ledger?state=REPORTED")) == [first]
    assert ledger_ids(client.get("/ledger?unit=%d" % ids["W2"])) == [second]
    assert ledger_ids(client.get("/ledger?listed=1")) == []
    assert ledger_ids(client.get("/ledger?overdue=1")) == []
    today = db.now().date()
    assert len(ledger_ids(client.get("/ledger?from=%s&to=%s" % (today, today)))) == 2
    tomorrow = today + datetime.timedelta(days=1)
    assert ledger_ids(client.get("/ledger?from=%s" % tomorrow)) == []
    assert ledger_ids(client.get("/ledger?desc=1")) == [second, first]
    assert ledger_ids(client.get("/ledger?sort=DEADLINE&desc=1"))[0] == second


@pytest.mark.parametrize("query", ["state=NOPE", "severity=HUGE", "sort=RANDOM", "from=2024-13-40"])
def test_a_bad_filter_is_a_message(client_as, query):
    r = client_as("A1").get("/ledger?" + query)
    assert r.status_code == 400 and 'class="error"' in r.get_data(as_text=True)


def test_a_unit_that_is_not_a_number_is_a_bad_request(client_as):
    assert client_as("A1").get("/ledger?unit=abc").status_code == 400  # the shared picker's answer


def test_the_unit_picker_lists_children_not_the_subtree(client_as, ids, two_ledgers):
    text = client_as("S1").get("/ledger?state=REPORTED").get_data(as_text=True)
    assert '<select name="unit"' not in text and 'class="unit-picker"' in text
    start = text.index('class="unit-picker"')
    picker = text[start:text.index("</nav>", start)]
    assert "济钢" in picker and "轧钢车间" in picker and "安全科" in picker
    assert "甲班" not in picker  # a grandchild: reached through its parent
    link = re.search(r'href="([^"]*unit=%d[^"]*)"' % ids["W1"], picker).group(1)
    assert "state=REPORTED" in link  # the filters are kept
    narrowed = client_as("S1").get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert '<input type="hidden" name="unit" value="%d">' % ids["W1"] in narrowed
    crumbs = narrowed[narrowed.index('class="crumbs"'):narrowed.index("</ol>")]
    assert crumbs.index("济钢") < crumbs.index("轧钢车间")


def test_paging_follows_the_librarys_cursors(client_as, db, ids):
    made = [report(db, ids["T1"], ids["A1"], "隐患%02d" % i) for i in range(25)]
    client = client_as("A1")
    first = client.get("/ledger")
    assert ledger_ids(first) == made[:20] and "共 25 条" in first.get_data(as_text=True)
    next_url = re.search(r'href="([^"]+)" rel="next"', first.get_data(as_text=True)).group(1)
    second = client.get(next_url.replace("&amp;", "&"))
    assert ledger_ids(second) == made[20:]
    assert 'rel="next"' not in second.get_data(as_text=True)


def test_the_ledger_page_is_phone_sized(client_as):
    text = client_as("A1").get("/ledger").get_data(as_text=True)
    assert 'name="viewport"' in text and 'lang="zh-CN"' in text


def test_a_busy_database_asks_to_try_again(client_as, monkeypatch):
    def busy(*args, **kwargs):
        raise cbc.BusyError(cbc.ErrorCode.EBUSY, "database is locked")
    monkeypatch.setattr(cbc.Database, "hazard_page", busy)
    r = client_as("A1").get("/ledger")
    assert r.status_code == 503 and "database is locked" in r.get_data(as_text=True)


# -- the timeline -----------------------------------------------------------

RAW_KEYS = ("reporter_id", "unit_id", "enterprise_id", "observed_at", "funds_fen", "deadline",
            "responsible_id", "approve", "amended", "has_plan", "check_item")


def history_of(client, hazard_id):
    text = client.get("/hazards/%d" % hazard_id).get_data(as_text=True)
    return text[text.index('id="history"'):]


def entry(history, n):
    """The n-th <li> of the timeline."""
    return history.split("<li>")[n + 1].split("</li>")[0]


def test_the_timeline_shows_who_what_and_the_data_in_words(client_as, db, ids):
    hid = report(db, ids["T1"], ids["A1"], "护栏缺失")
    deadline = db.now() + datetime.timedelta(days=10)
    later = deadline + datetime.timedelta(days=20)
    db.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏", deadline,
                "设置警戒区", funds_fen=123456, responsible_id=ids["L1"])
    db.request_extension(hid, ids["L1"], later, "等备件")
    db.decide_extension(hid, ids["S1"], True, "同意")
    db.amend(hid, ids["L1"], "资金由车间出", funds_fen=0)
    db.start(hid, ids["L1"])
    db.submit(hid, ids["L1"], "护栏已装")
    db.verify(hid, ids["S1"], False, "高度不够")
    history = history_of(client_as("A1"), hid)
    for raw in RAW_KEYS:
        assert raw not in history, raw
    reported = entry(history, 0)
    assert "王芳" in reported and cbc.HazardAction.REPORT.label in reported
    assert "发现时间" in reported and db.hazard(hid).observed_at.strftime("%Y-%m-%d %H:%M") in reported
    registered = entry(history, 1)
    for shown in ("李强", cbc.Severity.GENERAL.label, cbc.Level.TEAM.label, "整改资金",
                  "1234.56 元", "整改期限", deadline.strftime("%Y-%m-%d"), "加装护栏", "设置警戒区"):
        assert shown in registered, shown
    asked = entry(history, 2)
    assert "申请的新期限" in asked and later.strftime("%Y-%m-%d") in asked and "等备件" in asked
    decided = entry(history, 3)
    assert "孙华" in decided and "审批结果" in decided and "批准" in decided and "同意" in decided
    amended = entry(history, 4)
    assert "更正理由" in amended and "0.00 元" in amended and "整改措施" not in amended
    assert "整改情况" in entry(history, 6) and "护栏已装" in entry(history, 6)
    failed = entry(history, 7)
    assert "不通过的理由" in failed and "高度不够" in failed and "孙华" in failed


def test_the_timeline_details_of_other_moves(app, ids):
    from cbcweb import timeline
    A = cbc.HazardAction
    with app.test_request_context("/"):
        assert timeline.details(A.DECIDE_EXTENSION, {}) == [("审批结果", "不批准")]
        assert timeline.details(A.ESCALATE_OVERDUE, {"reason": "overdue", "level": 3,
                                                     "responsible_id": ids["S1"]}) == [
            ("整改层级", cbc.Level(3).label), ("责任人", "孙华")]
        assert timeline.details(A.REJECT, {"reason": "重复", "duplicate_of": 7}) == [
            ("重复于隐患", "7 号"), ("理由", "重复")]
        assert timeline.details(A.AMEND, {"reason": "x", "amended": 2, "measures": "新"}) == [
            ("整改措施", "新"), ("更正理由", "x")]
        assert timeline.details(A.REPORT, {"reporter_id": 3, "title": "t"}) == []
        assert timeline.details(A.START, {"future_key": 1}) == []


def test_an_anonymous_reporter_and_the_system_are_named_as_such(client_as, db, ids):
    hid = report(db, ids["T1"], 0, "匿名举报", source=cbc.HazardSource.HOTLINE)
    first = entry(history_of(client_as("S1"), hid), 0)
    assert '<span class="actor">匿名举报人</span>' in first
