"""cbc filing: file the hazard table and the monthly form as kept versions,
and the report of a major hazard; read them back as filed, who under a node
filed, due dates."""
import json
import os
import pty
import re
import subprocess
import zipfile

import pytest

from conftest import Cbc

TITLE = "生产经营单位事故隐患排查治理情况统计分析表"
FILING_KEYS = ["id", "kind", "unit", "period", "version", "filed_by", "signed_by", "filed_at",
               "due_at", "due_date", "late", "note"]
# a major hazard's report: no period (null), and its hazard
MAJOR_KEYS = FILING_KEYS[:4] + ["hazard_id"] + FILING_KEYS[4:]
MAJOR_TITLE = "重大事故隐患报告"
ANALYSIS = "二、隐患的危害程度和整改难易程度分析"
CAUSE = "护栏锈蚀断裂"


def hazard(cbc, db, title, unit="T1", reporter="A1", **kw):
    """A general hazard reported and registered, so the table counts it."""
    hid = int(cbc("hazard", "report", db, "--unit", unit, "--title", title, "--kind", "hard",
                  "--check", "equipment_guarding", "--as", reporter, **kw).out.split()[0])
    cbc("hazard", "register", db, hid, "--severity", "general", "--level", "team",
        "--measures", "关门上锁", "--funds", "120.50", "--deadline", "2026-11-20",
        "--contingency", "设置警示带", "--as", "L1", **kw)
    return hid


def major_hazard(cbc, db, title="平台护栏缺失", **kw):
    """A major hazard of E1's T1 reported by A1, registered by the principal
    with its rectification plan (a major hazard needs one)."""
    hid = int(cbc("hazard", "report", db, "--unit", "T1", "--title", title, "--kind", "hard",
                  "--check", "equipment_guarding", "--severity", "major", "--as", "A1",
                  **kw).out.split()[0])
    cbc("hazard", "register", db, hid, "--severity", "major", "--level", "enterprise",
        "--measures", "更换护栏", "--funds", "12500", "--deadline", "2026-12-31",
        "--contingency", "停用平台", "--plan-goals", "消除坠落风险", "--plan-methods", "加装防护栏",
        "--plan-funds", "专项资金", "--plan-responsible", "设备科", "--plan-time-limit",
        "2026-12-20", "--plan-safety", "设警戒区", "--as", "P1", **kw)
    return hid


def report_major(cbc, db, hid, *extra, cause=CAUSE, **kw):
    """report-major as the safety officer, signed by the principal."""
    return cbc("filing", "report-major", db, hid, "--as", "S1", "--signed-by", "P1",
               "--cause", cause, "--harm", "可致高处坠落死亡", "--difficulty", "需停产两日更换",
               *extra, **kw)


def submit(cbc, db, kind="hazard_table", unit="E1", period="2026-Q4", who="S1", signer="P1",
           *extra, **kw):
    return cbc.json("filing", "submit", db, kind, unit, period, "--as", who, "--signed-by",
                    signer, *extra, **kw)


def table_json(cbc, db, unit="E1", period="2026-Q4"):
    return json.loads(cbc("stats", "table", db, unit, period, "--format", "json").out)


def without_checkpoint(report):
    """A filed report's JSON less the history's checkpoint it was filed at
    (docs/history.md), whose shape is checked."""
    report = dict(report)
    cp = report.pop("history_checkpoint")
    assert list(cp) == ["chain", "seq", "sha256"] and cp["seq"] >= 1
    assert re.fullmatch(r"[0-9a-f]{64}", cp["sha256"])
    return report


def test_submit_and_show_the_hazard_table(cbc, org):
    hazard(cbc, org, "配电箱门未关闭")
    res = cbc("filing", "submit", org, "hazard_table", "E1", "2026-Q4", "--as", "S1",
              "--signed-by", "P1", "--note", "季度报表")
    assert res.out == "filing 1: hazard_table of E1 for 2026-Q4, version 1, due 2027-01-15, " \
                      "on time\n"
    table = table_json(cbc, org)
    assert table["total"]["general_found"] == 1

    text = cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4").out
    head, body = text.split("\n\n", 1)
    assert "填报人:     S1 周敏" in head and "签发人:     P1 孙华" in head
    assert "填报单位:   E1 济钢二厂" in head and "统计期间:   2026-Q4" in head
    assert "填报时间:   2026-11-10 09:00" in head and "报送期限:   2027-01-15" in head
    assert "版本:       1" in head and "报送情况:   按时报送" in head
    assert "备注:       季度报表" in head
    assert body.startswith(TITLE + "\n")
    table_text = cbc("stats", "table", org, "E1", "2026-Q4").out
    assert body.startswith(table_text)  # byte for byte, then the checkpoint

    j = cbc.json("filing", "show", org, "hazard_table", "E1", "2026-Q4")
    assert list(j) == FILING_KEYS + ["report"]
    assert without_checkpoint(j["report"]) == table
    cp = j["report"]["history_checkpoint"]
    assert body[len(table_text):] == "历史链检查点 History checkpoint: chain %d, link %d, " \
                                     "SHA-256 %s\n" % (cp["chain"], cp["seq"], cp["sha256"])
    assert j["report"]["title"] == TITLE
    assert (j["id"], j["kind"], j["version"], j["late"], j["note"]) == \
           (1, "hazard_table", 1, False, "季度报表")
    assert j["unit"]["external_id"] == "E1"
    assert j["filed_by"] == {"id": j["filed_by"]["id"], "external_id": "S1", "name": "周敏"}
    assert j["signed_by"]["external_id"] == "P1"
    assert j["period"]["text"] == "2026-Q4" and j["period"]["kind"] == "quarter"
    assert j["filed_at"] == "2026-11-10T09:00:00+08:00"
    assert (j["due_at"], j["due_date"]) == ("2027-01-15T23:59:59+08:00", "2027-01-15")
    # --format json is --json; --id names the same filing
    same = json.loads(cbc("filing", "show", org, "--id", 1, "--format", "json").out)
    assert same == j
    csv_text = cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--format", "csv").out
    assert csv_text == cbc("stats", "table", org, "E1", "2026-Q4", "--format", "csv").out + \
        "history_checkpoint,%d,%d,%s\n" % (cp["chain"], cp["seq"], cp["sha256"])


def test_refiling_adds_a_version_and_keeps_the_first(cbc, org):
    hazard(cbc, org, "配电箱门未关闭")
    first = submit(cbc, org)
    first_table = table_json(cbc, org)
    hazard(cbc, org, "护栏松动", now="2026-11-12 10:00")
    second = submit(cbc, org, "hazard_table", "E1", "2026-Q4", "P1", "P1", now="2026-11-12 11:00")
    assert list(second) == FILING_KEYS
    assert (first["version"], second["version"]) == (1, 2)
    assert second["id"] != first["id"] and second["filed_by"]["external_id"] == "P1"
    assert second["note"] is None
    now_table = table_json(cbc, org)
    assert now_table["total"]["general_found"] == first_table["total"]["general_found"] + 1

    newest = cbc.json("filing", "show", org, "hazard_table", "E1", "2026-Q4")
    assert newest["version"] == 2 and without_checkpoint(newest["report"]) == now_table
    assert cbc.json("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--version",
                    "0") == newest
    v1 = cbc.json("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--version", "1")
    assert v1["version"] == 1 and v1["id"] == first["id"]
    assert without_checkpoint(v1["report"]) == first_table != now_table
    text = cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--version", "1").out
    assert "版本:       1" in text and "填报人:     S1 周敏" in text
    res = cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--version", "3",
              expect=3)
    assert res.out == "" and "no such filing" in res.err


def test_show_to_a_file(cbc, org, tmp_path):
    submit(cbc, org)
    out = tmp_path / "filed.txt"
    assert cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--output", out).out == ""
    assert out.read_text(encoding="utf-8") == \
        cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4").out
    missing = tmp_path / "none.txt"
    cbc("filing", "show", org, "hazard_table", "E2", "2026-Q4", "--output", missing, expect=3)
    assert not missing.exists()


def test_status_over_a_region(cbc, org):
    submit(cbc, org)                      # E1's Q4, on time
    submit(cbc, org, "hazard_table", "E1", "2026-Q3")  # E1's Q3, after 15 October
    q4 = cbc.json("filing", "status", org, "hazard_table", "R1", "2026-Q4")
    assert list(q4) == ["unit", "kind", "period", "due_at", "due_date", "at", "counts",
                        "entries"]
    assert q4["unit"]["external_id"] == "R1" and q4["due_date"] == "2027-01-15"
    assert q4["at"] == "2026-11-10T09:00:00+08:00"
    states = {e["unit"]["external_id"]: e["state"] for e in q4["entries"]}
    assert states == {"E1": "on_time", "E2": "pending"}
    assert q4["counts"] == {"total": 2, "on_time": 1, "late": 0, "missing": 0, "pending": 1}
    e1 = q4["entries"][0]
    assert list(e1) == ["unit", "state", "versions", "first_filed_at", "last_filed_at"]
    assert e1["versions"] == 1 and e1["first_filed_at"] == "2026-11-10T09:00:00+08:00"
    assert q4["entries"][1]["first_filed_at"] is None

    later = cbc.json("filing", "status", org, "hazard_table", "R1", "2026-Q4",
                     now="2027-02-01 09:00")
    assert {e["unit"]["external_id"]: e["state"] for e in later["entries"]} == \
           {"E1": "on_time", "E2": "missing"}
    q3 = cbc.json("filing", "status", org, "hazard_table", "R1", "2026-Q3")
    assert {e["unit"]["external_id"]: e["state"] for e in q3["entries"]} == \
           {"E1": "late", "E2": "missing"}
    assert q3["counts"]["late"] == 1 and q3["counts"]["missing"] == 1
    # an enterprise owes its own table
    own = cbc.json("filing", "status", org, "hazard_table", "E2", "2026-Q4")
    assert [e["unit"]["external_id"] for e in own["entries"]] == ["E2"]

    text = cbc("filing", "status", org, "hazard_table", "R1", "2026-Q4").out
    lines = text.splitlines()
    assert lines[0] == "R1 历下区  事故隐患排查治理情况统计分析表  2026-Q4  报送期限：2027-01-15"
    assert lines[2].split() == ["单位编号", "单位名称", "报送情况", "版本数", "首次报送", "最近报送"]
    assert lines[3].split() == ["E1", "济钢二厂", "按时报送", "1", "2026-11-10", "09:00",
                                "2026-11-10", "09:00"]
    assert lines[4].split() == ["E2", "泉城食品", "未到报送期限", "0"]
    assert lines[-1] == "共 2 个单位：按时报送 1，逾期报送 0，未报送 0，未到报送期限 1"


def test_the_monthly_form_by_a_union_cadre(cbc, org):
    # the Chinese label names the kind; the cadre files and signs
    res = cbc("filing", "submit", org, "“查保促”集中行动情况统计表", "R1", "2026-11", "--as", "C1",
              "--signed-by", "C1")
    assert res.out.startswith("filing 1: monthly_form of R1 for 2026-11, version 1, due 2026-11-25")
    j = cbc.json("filing", "show", org, "monthly_form", "R1", "2026-11")
    assert j["report"]["figures"] == cbc.json("form", org, "R1", "2026-11")["figures"]
    status = cbc.json("filing", "status", org, "monthly_form", "R1", "2026-11")
    assert [(e["unit"]["external_id"], e["state"]) for e in status["entries"]] == \
           [("E1", "pending"), ("E2", "pending")]
    # a cadre of the district does not file an enterprise's form
    res = cbc("filing", "submit", org, "monthly_form", "E1", "2026-11", "--as", "C1",
              "--signed-by", "C1", expect=5)
    assert "not permitted" in res.err


def test_a_worker_may_not_file(cbc, org):
    res = cbc("filing", "submit", org, "hazard_table", "E1", "2026-Q4", "--as", "A1",
              "--signed-by", "P1", expect=5)
    assert res.out == ""
    assert res.err.startswith("cbc filing submit: not permitted: ") and "A1" in res.err
    res = cbc("filing", "submit", org, "hazard_table", "E1", "2026-Q4", "--as", "S1",
              "--signed-by", "S1", expect=5)  # the signer must be a principal
    assert "sign" in res.err
    cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", expect=3)
    status = cbc.json("filing", "status", org, "hazard_table", "E1", "2026-Q4")
    assert status["entries"][0]["versions"] == 0 and status["counts"]["pending"] == 1


def test_report_a_major_hazard(cbc, org):
    hid = major_hazard(cbc, org)
    res = report_major(cbc, org, hid)
    # due the day after the day it was reported (major_hazard_report_days 1)
    assert res.out == f"filing 1: major_hazard_report of E1 for hazard {hid}, version 1, " \
                      "due 2026-11-11, on time\n"

    text = cbc("filing", "show", org, "--hazard", hid).out
    head, body = text.split("\n\n", 1)
    assert f"隐患编号:   {hid}\n" in head and "统计期间" not in head
    assert "报表:       重大事故隐患报告" in head and "填报单位:   E1 济钢二厂" in head
    assert "填报人:     S1 周敏" in head and "签发人:     P1 孙华" in head
    assert "报送期限:   2026-11-11" in head and "报送情况:   按时报送" in head
    assert "版本:       1" in head
    assert body.startswith(MAJOR_TITLE + "\n")
    assert ANALYSIS in body and f"产生原因：{CAUSE}\n" in body
    assert "治理的目标和任务：消除坠落风险" in body

    j = cbc.json("filing", "show", org, "--hazard", hid)
    assert list(j) == MAJOR_KEYS + ["report"]
    assert (j["id"], j["kind"], j["version"], j["late"], j["note"]) == \
           (1, "major_hazard_report", 1, False, None)
    assert j["period"] is None and j["hazard_id"] == hid
    assert j["unit"]["external_id"] == "E1"
    assert (j["due_at"], j["due_date"]) == ("2026-11-11T23:59:59+08:00", "2026-11-11")
    assert j["report"]["report"] == MAJOR_TITLE and j["report"]["hazard_id"] == hid
    assert j["report"]["analysis"]["harm"] == "可致高处坠落死亡"
    assert j["report"]["cause"]["cause"] == CAUSE
    # --id shows the same filing, with its hazard
    assert cbc.json("filing", "show", org, "--id", 1) == j
    assert f"隐患编号:   {hid}\n" in cbc("filing", "show", org, "--id", 1).out
    csv_text = cbc("filing", "show", org, "--hazard", hid, "--format", "csv").out
    assert csv_text.startswith("hazard_id,") and CAUSE in csv_text


def test_reporting_a_major_hazard_again_adds_a_version(cbc, org):
    hid = major_hazard(cbc, org)
    report_major(cbc, org, hid)
    second = json.loads(report_major(cbc, org, hid, "--note", "补充", "--json",
                                     cause="护栏锈蚀后断裂", now="2026-11-12 10:00").out)
    assert list(second) == MAJOR_KEYS
    assert (second["id"], second["version"], second["hazard_id"]) == (2, 2, hid)
    assert second["period"] is None and second["late"] is True and second["note"] == "补充"
    assert second["due_date"] == "2026-11-11"  # the hazard's, not the refiling's

    newest = cbc.json("filing", "show", org, "--hazard", hid)
    assert newest["version"] == 2 and newest["report"]["cause"]["cause"] == "护栏锈蚀后断裂"
    assert cbc.json("filing", "show", org, "--hazard", hid, "--version", "0") == newest
    first = cbc("filing", "show", org, "--hazard", hid, "--version", "1").out
    assert "版本:       1" in first and f"产生原因：{CAUSE}\n" in first
    assert "护栏锈蚀后断裂" not in first
    res = cbc("filing", "show", org, "--hazard", hid, "--version", "3", expect=3)
    assert res.out == "" and "no such filing" in res.err


def test_a_general_hazard_has_no_major_report(cbc, org):
    general = hazard(cbc, org, "配电箱门未关闭")
    res = report_major(cbc, org, general, expect=6)
    assert res.out == ""
    assert res.err.startswith("cbc filing report-major: wrong state: ")
    assert "not a registered major hazard" in res.err
    cbc("filing", "show", org, "--hazard", general, expect=3)
    cbc("filing", "show", org, "--id", 1, expect=3)  # nothing filed


def test_report_major_needs_its_texts(cbc, org):
    hid = major_hazard(cbc, org)
    res = cbc("filing", "report-major", org, hid, "--as", "S1", "--signed-by", "P1",
              "--harm", "可致高处坠落死亡", "--difficulty", "需停产两日更换", expect=2)
    assert res.out == "" and "--cause" in res.err
    cbc("filing", "show", org, "--hazard", hid, expect=3)
    # a worker may not file it: the version filed stays the only one
    report_major(cbc, org, hid)
    res = cbc("filing", "report-major", org, hid, "--as", "A1", "--signed-by", "P1",
              "--cause", CAUSE, "--harm", "h", "--difficulty", "d", expect=5)
    assert "not permitted" in res.err
    assert cbc.json("filing", "show", org, "--hazard", hid)["version"] == 1


def test_submit_does_not_file_a_major_hazard_report(cbc, org):
    hid = major_hazard(cbc, org)
    for kind in ["major_hazard_report", MAJOR_TITLE]:
        res = cbc("filing", "submit", org, kind, "E1", "2026-11", "--as", "S1", "--signed-by",
                  "P1", expect=2)
        assert res.out == ""
        assert res.err.startswith("cbc filing submit: ") and "cbc filing report-major" in res.err
    cbc("filing", "show", org, "--hazard", hid, expect=3)
    cbc("filing", "show", org, "--id", 1, expect=3)


def xlsx_strings(path):
    """The text of a workbook: its shared strings, and its sheets' names."""
    z = zipfile.ZipFile(path)
    return z.read("xl/sharedStrings.xml").decode() + z.read("xl/workbook.xml").decode()


def test_show_the_hazard_table_as_xlsx(cbc, org, tmp_path):
    hazard(cbc, org, "配电箱门未关闭")
    submit(cbc, org, "hazard_table", "E1", "2026-Q4", "S1", "P1", "--note", "季度报表")
    table = table_json(cbc, org)
    path = tmp_path / "t.xlsx"
    res = cbc("filing", "show", org, "hazard_table", "E1", "2026-Q4", "--format", "xlsx",
              "--output", path)
    assert res.out == "" and zipfile.is_zipfile(path)
    text = xlsx_strings(path)
    for s in [TITLE, "填报人", "S1 周敏", "签发人", "P1 孙华", "统计期间", "2026-Q4", "报送期限",
              "2027-01-15", "按时报送", "备注", "季度报表", "项目", "合计", "落实治理资金（万元）"]:
        assert s in text, s
    assert all(label in text for key, label in table["labels"].items()
               if key != "plan_funds_fen")
    assert all(row["industry"] in text for row in table["industries"])
    # --id names the same filing: the same workbook's strings
    same = tmp_path / "same.xlsx"
    cbc("filing", "show", org, "--id", 1, "--format", "xlsx", "--output", same)
    assert xlsx_strings(same) == text


def test_show_a_major_hazard_report_as_xlsx(cbc, org, tmp_path):
    hid = major_hazard(cbc, org)
    report_major(cbc, org, hid)
    path = tmp_path / "m.xlsx"
    assert cbc("filing", "show", org, "--hazard", hid, "--format", "xlsx", "--output",
               path).out == ""
    text = xlsx_strings(path)
    for s in [MAJOR_TITLE, "隐患编号", "一、隐患的现状及其产生原因", ANALYSIS, "三、隐患的治理方案",
              "产生原因", CAUSE, "危害程度", "可致高处坠落死亡", "整改难易程度", "需停产两日更换",
              "治理的目标和任务", "消除坠落风险", "平台护栏缺失", "S1 周敏"]:
        assert s in text, s
    assert "统计期间" not in text
    parts = [text.index(s) for s in ["一、隐患的现状及其产生原因", CAUSE, ANALYSIS, "三、隐患的治理方案"]]
    assert parts == sorted(parts)


def test_show_the_congress_report_and_monthly_form_as_xlsx(cbc, org, tmp_path):
    major_hazard(cbc, org)
    submit(cbc, org, "congress_report")
    cbc("filing", "submit", org, "monthly_form", "R1", "2026-11", "--as", "C1", "--signed-by",
        "C1")
    congress, form = tmp_path / "c.xlsx", tmp_path / "f.xlsx"
    cbc("filing", "show", org, "congress_report", "E1", "2026-Q4", "--format", "xlsx",
        "--output", congress)
    text = xlsx_strings(congress)
    for s in ["合计", "一般事故隐患数", "重大事故隐患", "隐患名称", "平台护栏缺失", "孙华",
              "整改时限", "2026-12-31"]:
        assert s in text, s
    assert zipfile.ZipFile(congress).namelist().count("xl/worksheets/sheet2.xml") == 1
    cbc("filing", "show", org, "monthly_form", "R1", "2026-11", "--format", "xlsx",
        "--output", form)
    labels = cbc.json("form", org, "R1", "2026-11")["labels"]
    text = xlsx_strings(form)
    assert all(label in text for label in labels.values()) and "C1 赵工会" in text


def run_on_a_terminal(*args):
    c = Cbc()
    master, slave = pty.openpty()
    try:
        return subprocess.run(c.wrapper + [c.binary] + [str(a) for a in args], stdout=slave,
                              stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C.UTF-8"),
                              timeout=600)
    finally:
        os.close(slave)
        os.close(master)


def test_show_xlsx_needs_a_file_on_a_terminal(cbc, org, tmp_path):
    """As 'cbc form' and 'cbc stats table': a workbook is not written to a
    terminal (exit 2, nothing written); to a pipe it is."""
    submit(cbc, org)
    proc = run_on_a_terminal("filing", "show", org, "hazard_table", "E1", "2026-Q4",
                             "--format", "xlsx")
    assert proc.returncode == 2 and b"--output FILE" in proc.stderr
    proc = run_on_a_terminal("filing", "show", org, "--id", 1, "--format", "xlsx", "--output",
                             tmp_path / "t.xlsx")
    assert proc.returncode == 0 and zipfile.is_zipfile(tmp_path / "t.xlsx")
    piped = subprocess.run([Cbc().binary, "filing", "show", str(org), "--id", "1", "--format",
                            "xlsx"], stdout=subprocess.PIPE, check=True).stdout
    assert piped.startswith(b"PK")
    res = cbc("filing", "show", org, "--id", 1, "--format", "xlsx", "--json", expect=2)
    assert res.out == "" and "--json" in res.err


@pytest.mark.parametrize("args,code,message", [
    (["submit", "report", "E1", "2026-Q4", "--as", "S1", "--signed-by", "P1"], 4,
     "unknown filing kind 'report' (one of: monthly_form, hazard_table"),
    (["submit", "hazard_table", "E1", "2026-11", "--as", "S1", "--signed-by", "P1"], 4,
     "a hazard_table is filed for a quarter or a year, not a month"),
    (["submit", "monthly_form", "R1", "2026-Q4", "--as", "C1", "--signed-by", "C1"], 4,
     "a monthly_form is filed for a month, not a quarter"),
    (["submit", "hazard_table", "E1", "2027-Q1", "--as", "S1", "--signed-by", "P1"], 4,
     "the period has not begun"),
    (["submit", "hazard_table", "R1", "2026-Q4", "--as", "C1", "--signed-by", "C1"], 6,
     "a hazard_table is filed by an enterprise"),
    (["submit", "hazard_table", "NOPE", "2026-Q4", "--as", "S1", "--signed-by", "P1"], 3,
     "no unit with id 'NOPE'"),
    (["submit", "hazard_table", "E1", "2026-Q4", "--as", "S1", "--signed-by", "NOBODY"], 3,
     "no employee with id 'NOBODY'"),
    (["submit", "hazard_table", "E1", "2026-Q4", "--as", "S1"], 2, "--signed-by"),
    (["submit", "hazard_table", "E1", "--as", "S1", "--signed-by", "P1"], 2,
     "missing arguments"),
    (["show", "hazard_table", "E1", "2026-13"], 4, "does not fit a month"),
    (["show", "hazard_table", "E1", "2026-Q4", "--version", "-1"], 4, "--version"),
    (["show", "hazard_table", "E1", "2026-Q4", "--format", "pdf"], 2, "--format"),
    (["show", "hazard_table", "E1", "2026-Q4", "--format", "csv", "--json"], 2, "--json"),
    (["show", "hazard_table", "E1"], 2, "missing arguments"),
    (["show", "--id", "1", "hazard_table"], 2, "--id"),
    (["show", "--id", "99"], 3, "no such filing"),
    (["status", "table", "R1", "2026-Q4"], 4, "unknown filing kind"),
    (["status", "monthly_form", "R1", "2026"], 4, "filed for a month, not a year"),
    (["due", "hazard_table", "2026-11"], 4, "filed for a quarter or a year"),
    (["due", "hazard_table"], 2, "missing arguments"),
    (["submit", "major_hazard_report", "1", "--as", "S1", "--signed-by", "P1"], 2,
     "cbc filing report-major"),
    (["show", "major_hazard_report", "E1", "2026-11"], 2, "--hazard"),
    (["show", "--hazard", "1", "hazard_table"], 2, "--hazard"),
    (["show", "--hazard", "1", "--id", "1"], 2, "--id"),
    (["show", "--hazard", "x"], 4, "--hazard"),
    (["show", "--hazard", "1"], 3, "hazard 1 not found"),
    (["report-major", "--as", "S1", "--signed-by", "P1", "--cause", "c", "--harm", "h",
      "--difficulty", "d"], 2, "missing arguments"),
    (["report-major", "1", "--as", "S1", "--cause", "c", "--harm", "h", "--difficulty", "d"],
     2, "--signed-by"),
    (["report-major", "1", "--as", "S1", "--signed-by", "P1", "--cause", "c", "--harm", "h"],
     2, "--difficulty"),
    (["report-major", "x", "--as", "S1", "--signed-by", "P1", "--cause", "c", "--harm", "h",
      "--difficulty", "d"], 4, "HAZARD"),
    (["report-major", "99", "--as", "S1", "--signed-by", "P1", "--cause", "c", "--harm", "h",
      "--difficulty", "d"], 3, "hazard 99"),
])
def test_bad_input(cbc, org, args, code, message):
    res = cbc("filing", args[0], org, *args[1:], expect=code)
    assert res.out == ""
    assert res.err.startswith("cbc filing " + args[0]) and message in res.err, res


def test_due_dates(cbc, org):
    assert cbc("filing", "due", org, "hazard_table", "2026-Q1").out == "2026-04-15\n"
    assert cbc("filing", "due", org, "hazard_table", "2026-Q4").out == "2027-01-15\n"
    assert cbc("filing", "due", org, "hazard_table", "2026").out == "2027-01-31\n"
    assert cbc("filing", "due", org, "monthly_form", "2026-11").out == "2026-11-25\n"
    j = cbc.json("filing", "due", org, "hazard_table", "2026-Q1")
    assert j == {"kind": "hazard_table",
                 "period": {"kind": "quarter", "text": "2026-Q1",
                            "from": "2026-01-01T00:00:00+08:00",
                            "to": "2026-04-01T00:00:00+08:00"},
                 "due_date": "2026-04-15", "due_at": "2026-04-15T23:59:59+08:00"}


def test_help(cbc):
    assert "submit" in cbc("filing", "--help").out
    for sub in ["submit", "report-major", "show", "status", "due"]:
        assert cbc("filing", sub, "--help").out.startswith("usage: cbc filing " + sub)
    cbc("filing", expect=2)
    cbc("filing", "nope", expect=2)
