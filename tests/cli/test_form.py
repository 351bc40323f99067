"""cbc form: the official form of a node, or its children side by side, as
text, CSV, JSON and xlsx, to stdout or to a file written whole."""
import csv
import io
import os
import pty
import re
import subprocess
import zipfile
import xml.etree.ElementTree as ET

import pytest

from conftest import EMPLOYEES, UNITS, Cbc

FIELDS = ["units_ran", "employees_took_part", "training_sessions", "employees_trained",
          "leader_classes", "leaders_trained", "units_assigned", "supervision_visits",
          "hazards_found", "hazards_listed", "hazards_rectified"]
LABELS = ["组织开展“查保促”集中行动单位数", "参与活动职工人数", "安全生产培训次数",
          "接受安全培训职工人数", "单位负责人培训班次数", "参加培训的单位负责人人数",
          "工会干部包靠单位数", "工会干部督导人次", "查出安全隐患数", "挂牌督办", "整改完成"]
TITLE = "“查保促”集中行动情况统计表"
ENTERPRISES = ["E01", "E02", "E03", "E04", "E05"]
# Figures only enterprises have (a region node runs no campaign and reports
# no hazards itself): a district's are exactly the sum of its enterprises'.
ENTERPRISE_ONLY = ["units_ran", "hazards_found", "hazards_listed", "hazards_rectified"]
BOM = "\ufeff"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "demo.db"
    Cbc().run("demo", path, "--quiet", now=None)
    return path


def form(cbc, db, *args):
    return cbc.json("form", db, *args)


def run_bytes(*args, stdout=subprocess.PIPE):
    """Run cbc with binary stdout (the fixture decodes text)."""
    c = Cbc()
    proc = subprocess.run(c.wrapper + [c.binary] + [str(a) for a in args], stdout=stdout,
                          stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C.UTF-8"),
                          timeout=600)
    return proc


def read_xlsx(data):
    """The cells of sheet 1 as {(row, col): value} (0-based), and the shared strings."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    strings = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for c in sheet.iter(f"{{{ns['m']}}}c"):
        v = c.find("m:v", ns)
        if v is None:
            continue
        col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
        col_n = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
        cells[(int(row) - 1, col_n)] = strings[int(v.text)] if c.get("t") == "s" else float(v.text)
    merges = [m.get("ref") for m in sheet.iter(f"{{{ns['m']}}}mergeCell")]
    return cells, strings, merges, z


def listing(path):
    return sorted(p.name for p in path.iterdir())


# ---------------------------------------------------------------- JSON


def test_json_shape(cbc, demo_db):
    j = form(cbc, demo_db, "E01", "2026-11")
    assert list(j) == ["unit", "period", "title", "figures", "labels"]
    assert j["unit"] == {"id": j["unit"]["id"], "external_id": "E01", "name": "济钢集团第二轧钢厂"}
    assert j["period"] == {"kind": "month", "text": "2026-11", "from": "2026-11-01T00:00:00+08:00",
                           "to": "2026-12-01T00:00:00+08:00"}
    assert j["title"] == TITLE
    assert list(j["figures"]) == FIELDS
    assert all(isinstance(v, int) and v >= 0 for v in j["figures"].values())
    assert j["labels"] == dict(zip(FIELDS, LABELS))
    # the demo's November has something in every part of the form
    assert j["figures"]["hazards_found"] > 0 and j["figures"]["employees_trained"] > 0
    assert form(cbc, demo_db, "E01", "2026-11", "--format", "json") == j
    assert form(cbc, demo_db, "JN/LX/E01", "2026-11") == j  # a unit by its path


def test_periods(cbc, demo_db):
    q = form(cbc, demo_db, "E01", "2026-Q4")["period"]
    assert q == {"kind": "quarter", "text": "2026-Q4", "from": "2026-10-01T00:00:00+08:00",
                 "to": "2027-01-01T00:00:00+08:00"}
    y = form(cbc, demo_db, "E01", "2026")["period"]
    assert (y["kind"], y["text"]) == ("year", "2026")
    r = form(cbc, demo_db, "E01", "2026-11-01..2026-11-15")["period"]
    assert r == {"kind": "range", "text": "2026-11-01..2026-11-15",
                 "from": "2026-11-01T00:00:00+08:00", "to": "2026-11-16T00:00:00+08:00"}
    # counts of events add up over time: the quarter's are its months'
    months = [form(cbc, demo_db, "E01", f"2026-{m}")["figures"] for m in (10, 11, 12)]
    quarter = form(cbc, demo_db, "E01", "2026-Q4")["figures"]
    for f in ("training_sessions", "supervision_visits", "hazards_found", "hazards_listed",
              "hazards_rectified"):
        assert quarter[f] == sum(m[f] for m in months), f


def test_children_json(cbc, demo_db):
    j = form(cbc, demo_db, "LX", "2026-11", "--children")
    assert list(j) == ["unit", "period", "title", "figures", "labels", "children"]
    assert [c["unit"]["external_id"] for c in j["children"]] == ENTERPRISES
    for child in j["children"]:
        assert list(child) == ["unit", "figures"]
        # each row is the library's form of that child
        alone = form(cbc, demo_db, child["unit"]["external_id"], "2026-11")
        assert child["figures"] == alone["figures"] and child["unit"] == alone["unit"]
    # the total row is the library's own form of the district
    assert j["figures"] == form(cbc, demo_db, "LX", "2026-11")["figures"]
    for f in FIELDS:
        total = sum(c["figures"][f] for c in j["children"])
        if f in ENTERPRISE_ONLY:
            assert total == j["figures"][f], f
        else:  # plus what the district node recorded itself (docs/statistics.md)
            assert total <= j["figures"][f], f
    assert j["figures"]["hazards_found"] > 0


def test_children_of_an_enterprise_and_a_leaf(cbc, demo_db):
    j = form(cbc, demo_db, "E01", "2026-11", "--children")
    assert [c["unit"]["external_id"] for c in j["children"]] == ["E01-OFF", "E01-W1", "E01-W2",
                                                                "E01-W3"]
    assert j["figures"] == form(cbc, demo_db, "E01", "2026-11")["figures"]
    for f in ["training_sessions", "hazards_found", "hazards_listed", "hazards_rectified"]:
        assert sum(c["figures"][f] for c in j["children"]) <= j["figures"][f]
    # units_ran counts enterprises, so nothing below one
    assert [c["figures"]["units_ran"] for c in j["children"]] == [0, 0, 0, 0]
    assert j["figures"]["units_ran"] == 1
    leaf = form(cbc, demo_db, "E01-W1-T1", "2026-11", "--children")
    assert leaf["children"] == []


# ---------------------------------------------------------------- text


def test_text(cbc, demo_db):
    j = form(cbc, demo_db, "E01", "2026-11")
    out = cbc("form", demo_db, "E01", "2026-11").out
    lines = out.splitlines()
    assert lines[0] == TITLE
    assert lines[1] == "填报单位：济钢集团第二轧钢厂（E01）"
    assert lines[2] == "统计期间：2026-11（2026-11-01 至 2026-11-30）"
    body = {l.split()[0]: int(l.split()[-1]) for l in lines[5:]}
    assert body == {LABELS[i]: j["figures"][f] for i, f in enumerate(FIELDS)}


def test_text_children(cbc, demo_db):
    j = form(cbc, demo_db, "LX", "2026-11", "--children")
    lines = cbc("form", demo_db, "LX", "2026-11", "--children").out.splitlines()
    assert lines[0] == TITLE and lines[1] == "填报单位：历下区总工会（LX）"
    assert lines[4].split() == ["编号", "单位"] + LABELS
    rows = [l.split() for l in lines[5:]]
    assert [r[0] for r in rows] == ENTERPRISES + ["LX"]
    assert rows[-1][1] == "合计"
    for row, child in zip(rows, j["children"] + [j]):
        assert [int(x) for x in row[2:]] == [child["figures"][f] for f in FIELDS]


# ---------------------------------------------------------------- CSV


def csv_text(*args):
    """The CSV as written (the fixture's text mode would turn CRLF into LF)."""
    proc = run_bytes("form", *args, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def parse_csv(text):
    assert text.startswith(BOM)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # RFC 4180 line ends
    return list(csv.reader(io.StringIO(text[len(BOM):], newline="")))


def test_csv_agrees_with_json(cbc, demo_db):
    j = form(cbc, demo_db, "LX", "2026-11", "--children")
    rows = parse_csv(csv_text(demo_db, "LX", "2026-11", "--children"))
    assert rows[0] == ["单位编号", "单位名称", "统计期间"] + LABELS  # one header row
    assert len(rows) == 1 + len(j["children"]) + 1
    for row, entry in zip(rows[1:], j["children"] + [j]):
        assert row[0] == entry["unit"]["external_id"]
        assert row[2] == "2026-11"
        assert [int(x) for x in row[3:]] == [entry["figures"][f] for f in FIELDS]
    assert [r[1] for r in rows[1:]] == [c["unit"]["name"] for c in j["children"]] + ["合计"]
    one = parse_csv(csv_text(demo_db, "E02", "2026-11"))
    assert one[1][:3] == ["E02", "泉城食品有限公司", "2026-11"]
    assert [int(x) for x in one[1][3:]] == list(form(cbc, demo_db, "E02", "2026-11")["figures"].values())
    assert len(one) == 2


def test_csv_quotes_and_formulas(cbc, tmp_path):
    """Names with commas and quotes are quoted (RFC 4180); a name starting
    with = gets a ' so a spreadsheet does not run it."""
    db = tmp_path / "q.db"
    cbc("init", db)
    units = tmp_path / "units.csv"
    employees = tmp_path / "employees.csv"
    units.write_text(UNITS.replace("泉城食品", '"=泉城,食品""厂"'), encoding="utf-8")
    employees.write_text(EMPLOYEES, encoding="utf-8")
    cbc("org", "import", db, units, employees, "--full", "--quiet")
    out = csv_text(db, "R1", "2026-11", "--children")
    assert '"\'=泉城,食品""厂"' in out
    rows = parse_csv(out)
    assert [r[1] for r in rows[1:]] == ["济钢二厂", "'=泉城,食品\"厂", "合计"]
    assert all(len(r) == 3 + len(FIELDS) for r in rows)


# ---------------------------------------------------------------- xlsx


def test_xlsx(cbc, demo_db, tmp_path):
    j = form(cbc, demo_db, "LX", "2026-11", "--children")
    path = tmp_path / "lx.xlsx"
    res = cbc("form", demo_db, "LX", "2026-11", "--children", "--format", "xlsx",
              "--output", path)
    assert res.out == ""
    cells, strings, merges, z = read_xlsx(path.read_bytes())
    assert TITLE in strings and all(l in strings for l in LABELS)
    assert cells[(0, 0)] == TITLE and "A1:M1" in merges and "A2:M2" in merges
    assert "填报单位：历下区总工会（LX）" in cells[(1, 0)] and "2026-11" in cells[(1, 0)]
    assert [cells[(2, c)] for c in range(13)] == ["单位编号", "单位名称"] + LABELS
    for r, entry in enumerate(j["children"] + [j], start=3):
        assert cells[(r, 0)] == entry["unit"]["external_id"]
        assert [cells[(r, c)] for c in range(2, 13)] == [entry["figures"][f] for f in FIELDS]
    assert cells[(3 + len(j["children"]), 1)] == "合计"
    assert (4 + len(j["children"]), 0) not in cells
    assert b"<b/>" in z.read("xl/styles.xml") and b"thin" in z.read("xl/styles.xml")
    assert b'orientation="landscape"' in z.read("xl/worksheets/sheet1.xml")
    assert TITLE.encode() in z.read("docProps/core.xml")


def test_xlsx_single_form_to_a_pipe(cbc, demo_db):
    j = form(cbc, demo_db, "E03", "2026-Q4")
    proc = run_bytes("form", demo_db, "E03", "2026-Q4", "--format", "xlsx")
    assert proc.returncode == 0, proc.stderr
    cells, strings, _, _ = read_xlsx(proc.stdout)
    assert cells[(3, 0)] == "E03" and cells[(3, 1)] == "鲁信化工股份有限公司"
    assert [cells[(3, c)] for c in range(2, 13)] == [j["figures"][f] for f in FIELDS]
    assert "2026-Q4" in cells[(1, 0)]


def test_xlsx_refused_on_a_terminal(demo_db, tmp_path):
    master, slave = pty.openpty()
    try:
        proc = run_bytes("form", demo_db, "E01", "2026-11", "--format", "xlsx", stdout=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 2
    assert b"--output" in proc.stderr
    # to a terminal with --output is fine: the terminal sees nothing
    master, slave = pty.openpty()
    try:
        proc = run_bytes("form", demo_db, "E01", "2026-11", "--format", "xlsx", "--output",
                         tmp_path / "t.xlsx", stdout=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 0 and zipfile.is_zipfile(tmp_path / "t.xlsx")


# ---------------------------------------------------------------- --output


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "xlsx"])
def test_output_file(cbc, demo_db, tmp_path, fmt):
    path = tmp_path / f"form.{fmt}"
    res = cbc("form", demo_db, "E01", "2026-11", "--format", fmt, "--output", path)
    assert res.out == "" and listing(tmp_path) == [path.name]
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    if fmt != "xlsx":
        assert path.read_bytes() == run_bytes("form", demo_db, "E01", "2026-11", "--format",
                                              fmt).stdout
    # an output file is replaced whole, as sqlite3's .output or git's -o do
    path.write_text("old")
    cbc("form", demo_db, "E02", "2026-11", "--format", fmt, f"--output={path}")
    assert path.read_bytes() != b"old" and listing(tmp_path) == [path.name]
    if fmt != "xlsx":  # '-' is stdout
        assert cbc("form", demo_db, "E01", "2026-11", "--format", fmt, "--output", "-").out == \
            cbc("form", demo_db, "E01", "2026-11", "--format", fmt).out


@pytest.mark.parametrize("args,code", [
    (["NOPE", "2026-11"], 3),
    (["E01", "2026-13"], 4),
    (["E01", "2026-Q5"], 4),
    (["E01", "november"], 4),
    (["E01", "2026-11", "--format", "pdf"], 2),
    (["E01", "2026-11", "--bogus"], 2),
    (["E01", "2026-11", "--json", "--format", "csv"], 2),
    (["E01"], 2),
])
def test_bad_input_writes_nothing(cbc, demo_db, tmp_path, args, code):
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ["csv", "xlsx"]:
        target = out / f"form.{fmt}"
        res = cbc("form", demo_db, *args, "--format", fmt, "--output", target, expect=code) \
            if "--format" not in args else \
            cbc("form", demo_db, *args, "--output", target, expect=code)
        assert res.out == "" and res.err.startswith("cbc form")
        assert listing(out) == []
    # an existing file is left as it was
    keep = out / "keep.csv"
    keep.write_text("mine")
    cbc("form", demo_db, *args, "--output", keep, expect=code)
    assert keep.read_text() == "mine" and listing(out) == ["keep.csv"]


def test_bad_database(cbc, tmp_path):
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not a database")
    target = tmp_path / "form.csv"
    cbc("form", notdb, "E01", "2026-11", "--output", target, expect=9)
    cbc("form", tmp_path / "missing.db", "E01", "2026-11", "--output", target, expect=3)
    assert listing(tmp_path) == ["notes.txt"]
    assert notdb.read_text() == "not a database"


def test_unwritable_output(cbc, demo_db, tmp_path):
    res = cbc("form", demo_db, "E01", "2026-11", "--output", tmp_path / "no" / "such.csv",
              expect=9)
    assert "cannot create" in res.err
    (tmp_path / "dir").mkdir()
    cbc("form", demo_db, "E01", "2026-11", "--output", tmp_path / "dir", expect=9)
    assert listing(tmp_path) == ["dir"] and listing(tmp_path / "dir") == []


def test_help(cbc):
    res = cbc("form", "--help")
    assert res.out.startswith("usage: cbc form DB UNIT PERIOD")
    for opt in ["--children", "--format", "--output"]:
        assert opt in res.out
