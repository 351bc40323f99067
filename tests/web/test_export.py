"""The ledger's export (cbcweb/export.py): CSV and xlsx of every row the
ledger's filters match (the library's db.hazards with the same filters),
limited to what the viewer may read, Chinese headings and the library's
labels, formulas neutralised, streamed page by page."""
import csv
import datetime
import io
import urllib.parse

import openpyxl
import pytest

import cbc
from cbcweb import export


def report(db, ids, unit, reporter, title, **more):
    fields = dict(kind=cbc.HazardKind.HARD, category=cbc.HazardCategory.SAFETY,
                  check_item=cbc.CheckItem.RULES, source=cbc.HazardSource.SELF_CHECK,
                  proposed_severity=cbc.Severity.GENERAL, reporter_id=ids[reporter])
    fields.update(more)
    return db.report(ids[unit], title, **fields)[0]


def register(db, ids, hazard_id, funds_fen=0):
    db.register(hazard_id, ids["S1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏",
                db.now() + datetime.timedelta(days=10), "设警示带", funds_fen=funds_fen,
                responsible_id=ids["L1"])


@pytest.fixture
def ledger(db, ids):
    """Three hazards in E1 (one registered with funds), one in E2."""
    made = {"a": report(db, ids, "T1", "A1", "配电箱未上锁"),
            "b": report(db, ids, "T1", "A1", "灭火器过期", description="三楼走廊"),
            "c": report(db, ids, "T3", "S1", "安全出口堵塞"),
            "other": report(db, ids, "T4", "B2", "重汽的隐患")}
    register(db, ids, made["b"], funds_fen=120050)
    return made


def csv_rows(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [[c for c in row] for row in book.active.iter_rows()]


def column(name):
    return [c.heading for c in export.COLUMNS].index(name)


@pytest.mark.parametrize("query, filters", [
    ("", {}),
    ("?state=REGISTERED", {"states": "REGISTERED"}),
    ("?q=走廊", {"text": "走廊"}),
    ("?unit={W2}", {"unit_id": "W2"}),
    ("?desc=1", {"descending": True}),
])
def test_the_csv_rows_are_the_librarys_ledger(client_as, db, ids, ledger, query, filters):
    filters = {k: ids[v] if k == "unit_id" else v for k, v in filters.items()}
    r = client_as("S1").get("/ledger.csv" + query.format(**ids))
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.charset == "utf-8"
    rows = csv_rows(r)
    assert rows[0] == [c.heading for c in export.COLUMNS]
    expected = [h.id for h in db.hazards(viewer_id=ids["S1"], **filters)]
    assert [int(row[0]) for row in rows[1:]] == expected and expected


def test_the_export_is_every_row_not_the_page(client_as, db, ids):
    made = [report(db, ids, "T1", "A1", "隐患%02d" % i) for i in range(23)]
    rows = csv_rows(client_as("A1").get("/ledger.csv?after=whatever"))
    assert [int(row[0]) for row in rows[1:]] == made


def test_the_viewer_limit_holds(client_as, ids, ledger):
    worker = client_as("A1")
    ids_seen = [int(row[0]) for row in csv_rows(worker.get("/ledger.csv"))[1:]]
    assert ledger["other"] not in ids_seen and len(ids_seen) == 3
    for kind in ("csv", "xlsx"):
        assert worker.get("/ledger.%s?unit=%d" % (kind, ids["E2"])).status_code == 404
        assert worker.get("/ledger.%s?unit=999999" % kind).status_code == 404
    cadre = [int(row[0]) for row in csv_rows(client_as("C1").get("/ledger.csv"))[1:]]
    assert sorted(cadre) == sorted(ledger.values())


def test_the_labels_and_values(client_as, db, ids, ledger):
    rows = {int(row[0]): row for row in csv_rows(client_as("S1").get("/ledger.csv"))[1:]}
    b = rows[ledger["b"]]
    assert b[column("状态")] == cbc.HazardState.REGISTERED.label
    assert b[column("隐患等级")] == cbc.Severity.GENERAL.label
    assert b[column("整改层级")] == cbc.Level.TEAM.label
    assert b[column("单位")] == "甲班" and b[column("上报人")] == "王芳"
    assert b[column("责任人")] == "李强" and b[column("整改资金（元）")] == "1200.50"
    assert b[column("整改期限")] == db.hazard(ledger["b"]).deadline.strftime("%Y-%m-%d")
    a = rows[ledger["a"]]
    assert a[column("隐患等级")] == "" and a[column("整改资金（元）")] == ""
    assert a[column("建议等级")] == cbc.Severity.GENERAL.label


def test_the_xlsx_rows_are_the_librarys_ledger(client_as, db, ids, ledger):
    r = client_as("S1").get("/ledger.xlsx?desc=1")
    assert r.status_code == 200 and r.mimetype == export.KINDS["xlsx"]
    rows = xlsx_rows(r)
    assert [c.value for c in rows[0]] == [c.heading for c in export.COLUMNS]
    expected = [h.id for h in db.hazards(viewer_id=ids["S1"], descending=True)]
    assert [row[0].value for row in rows[1:]] == expected and len(expected) == 3
    b = next(row for row in rows if row[0].value == ledger["b"])
    assert b[column("整改资金（元）")].value == 1200.5
    assert b[column("整改资金（元）")].number_format == "0.00"
    reported = db.hazard(ledger["b"]).reported_at
    assert b[column("上报时间")].value == reported.replace(tzinfo=None, microsecond=0)
    assert b[column("状态")].value == cbc.HazardState.REGISTERED.label


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)"])
def test_formulas_are_neutralised(client_as, db, ids, text):
    h = report(db, ids, "T1", "A1", text, location=text, description=text)
    row = csv_rows(client_as("A1").get("/ledger.csv"))[1]
    for name in ("隐患名称", "地点", "描述"):
        assert row[column(name)] == "'" + text, name
    cells = xlsx_rows(client_as("A1").get("/ledger.xlsx"))[1]
    for name in ("隐患名称", "地点", "描述"):  # a string cell, as written: never a formula
        assert cells[column(name)].value == text and cells[column(name)].data_type == "s"
    assert cells[0].value == h


def test_an_error_value_stays_text_in_the_xlsx(client_as, db, ids):
    report(db, ids, "T1", "A1", "#N/A")
    cells = xlsx_rows(client_as("A1").get("/ledger.xlsx"))[1]
    assert cells[column("隐患名称")].value == "#N/A"
    assert cells[column("隐患名称")].data_type == "s"


def test_the_file_is_named_after_the_unit_and_the_day(client_as, db, ids, ledger):
    r = client_as("S1").get("/ledger.xlsx?unit=%d" % ids["W1"])
    day = db.now().date().isoformat()
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="ledger-%d-%s.xlsx"' % (ids["W1"], day) in disposition
    assert "filename*=UTF-8''" + urllib.parse.quote("隐患台账-轧钢车间-%s.xlsx" % day) in disposition
    assert r.headers["Cache-Control"] == "private, no-store"


def test_bad_filters_and_kinds(client_as, db, ids, ledger):
    client = client_as("S1")
    for query in ("state=NOPE", "from=2024-13-40", "sort=RANDOM"):
        r = client.get("/ledger.csv?" + query)
        assert r.status_code == 400 and 'class="error"' in r.get_data(as_text=True), query
    assert client.get("/ledger.pdf").status_code == 404
    assert client.get("/ledger.csv?unit=abc").status_code == 400


def test_an_xlsx_beyond_a_worksheets_rows_is_refused(client_as, ledger, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    client = client_as("S1")
    r = client.get("/ledger.xlsx")
    assert r.status_code == 400 and "共 3 条" in r.get_data(as_text=True)
    assert client.get("/ledger.xlsx?q=走廊").status_code == 200
    assert len(csv_rows(client.get("/ledger.csv"))) == 4  # the CSV has no limit


def test_an_empty_export_has_its_headings(client_as, ledger):
    rows = csv_rows(client_as("S1").get("/ledger.csv?q=没有这个"))
    assert rows == [[c.heading for c in export.COLUMNS]]
    assert len(xlsx_rows(client_as("S1").get("/ledger.xlsx?q=没有这个"))) == 1


def test_the_ledger_page_links_the_export_with_its_filters(client_as, ids):
    text = client_as("S1").get("/ledger?state=REPORTED&unit=%d" % ids["W1"]).get_data(as_text=True)
    for kind in ("csv", "xlsx"):
        start = text.index('id="export-%s"' % kind)
        link = text[text.rindex("href=", 0, start):start]
        assert "/ledger.%s?" % kind in link and "state=REPORTED" in link
        assert "unit=%d" % ids["W1"] in link


def test_a_large_export_is_streamed_page_by_page(client_as, db, ids, monkeypatch):
    made = [report(db, ids, "T1", "A1", "隐患%02d" % i) for i in range(35)]
    monkeypatch.setattr(export, "PAGE_SIZE", 10)
    queries = []
    page = cbc.Database.hazard_page

    def counted(self, limit=50, after=None, **filters):
        assert limit == 10
        queries.append(after)
        return page(self, limit, after, **filters)
    monkeypatch.setattr(cbc.Database, "hazard_page", counted)
    r = client_as("A1").get("/ledger.csv", buffered=False)
    assert r.status_code == 200 and r.is_streamed
    chunks = iter(r.response)
    assert next(chunks).startswith(b"\xef\xbb\xbf") and len(queries) == 1  # checked up front
    first = next(chunks).decode("utf-8")
    assert len(queries) == 1 and first.count("\r\n") == 10  # one page, no read ahead
    rest = [chunk.decode("utf-8") for chunk in chunks]
    r.close()
    assert len(queries) == 4 and [c.count("\r\n") for c in rest] == [10, 10, 5]
    got = [int(line.split(",")[0]) for line in (first + "".join(rest)).splitlines()]
    assert got == made


def _peak(client, path):
    """(peak Python memory while the export is read, its size)."""
    import tracemalloc
    tracemalloc.start()
    try:
        r = client.get(path, buffered=False)
        size = sum(len(chunk) for chunk in r.response)
        r.close()
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def _long_reports(db, ids, count):
    with db.transaction():
        for i in range(count):
            report(db, ids, "T1", "A1", "隐患%04d" % i, description="长" * 2600)


def test_memory_stays_flat_on_a_large_csv(client_as, db, ids, monkeypatch):
    """2000 hazards of 2600 characters each (16 MB of CSV) in pages of 50:
    the export holds about a page at a time (2 MB at its peak), where one
    page of all 2000 peaks at over 40 MB."""
    _long_reports(db, ids, 2000)
    monkeypatch.setattr(export, "PAGE_SIZE", 50)
    peak, size = _peak(client_as("A1"), "/ledger.csv")
    assert size > 15_000_000 and peak < 6_000_000, (peak, size)


def test_memory_stays_flat_on_a_large_xlsx(client_as, db, ids, monkeypatch):
    """The same for the xlsx (openpyxl's write-only sheet keeps no rows), on
    400 hazards in pages of 20: 0.6 MB at its peak, where one page of all
    400 peaks at 3.4 MB."""
    _long_reports(db, ids, 400)
    monkeypatch.setattr(export, "PAGE_SIZE", 20)
    peak, size = _peak(client_as("A1"), "/ledger.xlsx")
    assert size > 20_000 and peak < 2_000_000, (peak, size)


def test_the_name_caches_hold_one_page(app, db, ids, monkeypatch):
    """Names are looked up once per page and dropped after it: a million-row
    export does not keep every reporter's and unit's name."""
    from flask import g
    for i in range(12):
        who = "N%02d" % i
        db.sync(employees=[cbc.EmployeeRecord(who, "职工%02d" % i, "T1")])
        ids[who] = db.employee_by_external(who).id
        report(db, ids, "T1", who, "隐患%02d" % i)
    monkeypatch.setattr(export, "PAGE_SIZE", 5)
    with app.test_request_context("/ledger.csv", headers={"X-Employee-Id": "S1"}):
        app.preprocess_request()
        before, after = [], []
        for rows in export.pages({"viewer_id": ids["S1"]}):
            before.append(len(g.get("employee_names") or {}))
            list(export.csv_chunks([rows]))
            after.append(len(g.get("employee_names") or {}))
        assert before == [0, 0, 0]  # each page starts with no names kept
        assert after[0] >= 5 and len(g.get("employee_names") or {}) == 0
