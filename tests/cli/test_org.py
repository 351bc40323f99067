"""cbc org and cbc employee: importing HR files (with its progress display),
the unit tree, one unit, histories, and the single-record changes."""
import os
import pathlib
import pty
import select
import shlex
import subprocess

import pytest

from conftest import EMPLOYEES, NOW

HR = pathlib.Path(__file__).resolve().parent.parent / "data" / "hr"

REF = {"id", "external_id", "name"}
UNIT = {"id", "external_id", "name", "kind", "parent", "industry", "high_risk", "closed",
        "created_at", "closed_at"}
TREE_UNIT = {"id", "external_id", "name", "kind", "depth", "parent", "closed", "employees",
             "employees_in_subtree"}
EMPLOYEE = {"id", "external_id", "name", "post", "unit", "roles", "active", "hire_date",
            "unit_since", "left_at", "created_at"}
IMPORT = {"applied", "mode", "units_file", "employees_file", "units", "employees",
          "error_count", "errors", "warning_count", "warnings"}
ROW_ERROR = {"record", "file", "row", "external_id", "code", "message"}
WARNING = {"record", "file", "column", "message"}


def tree_ids(cbc, db, *args):
    return [u["external_id"] for u in cbc.json("org", "tree", db, *args)["units"]]


def employee_ids(cbc, db, *args):
    return [e["external_id"] for e in cbc.json("employee", "list", db, *args)["employees"]]


# ---------------------------------------------------------------- import

def test_import_json_shape_and_counts(cbc, db, hr_files):
    res = cbc.json("org", "import", db, *hr_files, "--full")
    assert set(res) == IMPORT
    assert res["applied"] is True and res["mode"] == "full"
    assert res["units_file"] == str(hr_files[0])
    assert res["employees_file"] == str(hr_files[1])
    assert res["units"] == {"added": 11, "updated": 0, "moved": 0, "unchanged": 0, "closed": 0}
    assert res["employees"] == {"added": 10, "updated": 0, "moved": 0, "unchanged": 0,
                                "deactivated": 0}
    assert res["errors"] == [] and res["error_count"] == 0
    assert res["warnings"] == [] and res["warning_count"] == 0
    again = cbc.json("org", "import", db, *hr_files, "--full")
    assert again["units"]["unchanged"] == 11 and again["employees"]["unchanged"] == 10


def test_import_text_summary(cbc, db, hr_files):
    res = cbc("org", "import", db, *hr_files)
    assert "11 added" in res.out and "10 added" in res.out
    quiet = cbc("org", "import", db, *hr_files, "--quiet")
    assert quiet.out == "" and quiet.err == ""


def test_import_full_deactivates_absent_employees(cbc, org, tmp_path):
    units = tmp_path / "units.csv"
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("\n".join(l for l in EMPLOYEES.splitlines() if not l.startswith("B1,")),
                     encoding="utf-8")
    res = cbc.json("org", "import", org, units, fewer, "--full", "--at", "2026-11-01")
    assert res["employees"]["deactivated"] == 1
    b1 = cbc.json("employee", "show", org, "B1")
    assert b1["active"] is False and b1["left_at"].startswith("2026-11-01")
    # incremental: nobody else leaves
    assert cbc.json("org", "import", org, "-", fewer)["employees"]["deactivated"] == 0


def test_import_row_errors_apply_the_rest(cbc, org, tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text("external_id,name,unit_external_id\nN1,新人,T1\nN2,无处,T9\n",
                     encoding="utf-8")
    res = cbc("org", "import", org, "-", extra, "--json")
    doc = res.json()
    assert doc["applied"] is True and doc["error_count"] == 1
    err = doc["errors"][0]
    assert set(err) == ROW_ERROR
    assert err == {"record": "employee", "file": str(extra), "row": 2, "external_id": "N2",
                   "code": "CBC_ENOTFOUND", "message": err["message"]}
    assert "T9" in err["message"]
    assert "row 2 (N2)" in res.err and "1 row was rejected" in res.err
    assert "N1" in employee_ids(cbc, org, "T1")


def test_import_strict_row_error_changes_nothing(cbc, org, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("external_id,name,unit_external_id\nQ1,甲,T1\nQ2,乙,T9\n", encoding="utf-8")
    res = cbc("org", "import", org, "-", rows, "--strict", expect=3)  # the row's code
    assert "not found" in res.err and "row 2 (Q2)" in res.err
    doc = cbc("org", "import", org, "-", rows, "--strict", "--json", expect=3).json()
    assert doc["applied"] is False and doc["error_count"] == 1
    assert "Q1" not in employee_ids(cbc, org, "--all")


def test_import_every_row_failing_changes_nothing(cbc, org):
    before = cbc("org", "tree", org).out
    people = employee_ids(cbc, org, "--all")
    res = cbc("org", "import", org, "-", HR / "employees_all_bad.csv", expect=4)
    assert "invalid:" in res.err and "row 1 (6001)" in res.err
    doc = cbc("org", "import", org, "-", HR / "employees_all_bad.csv", "--json", expect=4).json()
    assert doc["applied"] is False and doc["error_count"] == 3
    assert cbc("org", "tree", org).out == before
    assert employee_ids(cbc, org, "--all") == people


def test_import_gbk_with_chinese_headers(cbc, db):
    res = cbc("org", "import", db, HR / "units_gbk.csv", HR / "employees_gbk.csv", "--full",
              "--json")
    doc = res.json()
    assert doc["units"]["added"] == 7 and doc["employees"]["added"] == 6
    assert doc["error_count"] == 0
    assert {w["message"].split(":")[0] for w in doc["warnings"]} >= {str(HR / "units_gbk.csv")}
    assert cbc.json("employee", "show", db, "1006")["name"] == "赵磊"
    assert cbc.json("org", "show", db, "E01")["name"] == "济南钢铁二厂"
    # declared, no guessing: no warning
    declared = cbc.json("org", "import", db, HR / "units_gbk.csv", HR / "employees_gbk.csv",
                        "--encoding", "gbk")
    assert declared["warnings"] == [] and declared["employees"]["unchanged"] == 6


def test_import_wrong_encoding_fails_whole(cbc, db):
    res = cbc("org", "import", db, HR / "units_gbk.csv", "-", "--encoding", "utf-8", expect=4)
    assert "invalid" in res.err
    assert tree_ids(cbc, db) == []
    cbc("org", "import", db, HR / "units_zh.csv", "-", "--encoding", "klingon", expect=4)
    assert tree_ids(cbc, db) == []


def test_import_unknown_column_warns_or_strict_refuses(cbc, db):
    cbc("org", "import", db, HR / "units_zh.csv", "-")
    res = cbc("org", "import", db, "-", HR / "employees_extra.csv", "--strict", expect=4)
    assert "Phone" in res.err
    assert employee_ids(cbc, db) == []
    doc = cbc.json("org", "import", db, "-", HR / "employees_extra.csv")
    assert doc["employees"]["added"] == 2
    assert [set(w) for w in doc["warnings"]] == [WARNING, WARNING]
    assert {w["column"] for w in doc["warnings"]} == {"Phone", "邮箱"}
    assert all(w["record"] == "employee" for w in doc["warnings"])
    assert "warning:" in cbc("org", "import", db, "-", HR / "employees_extra.csv").err


def test_import_map(cbc, db, tmp_path):
    cbc("org", "import", db, HR / "units_zh.csv", "-")
    odd = tmp_path / "odd.csv"
    odd.write_text("员工编码,姓名,所在班组,手机\n7001,钱七,T01,139\n", encoding="utf-8")
    doc = cbc.json("org", "import", db, "-", odd, "--map", "员工编码=external_id",
                   "--map=所在班组=unit_external_id", "--map", "手机=", "--strict")
    assert doc["employees"]["added"] == 1 and doc["warnings"] == []
    assert cbc.json("employee", "show", db, "7001")["unit"]["external_id"] == "T01"
    res = cbc("org", "import", db, "-", odd, "--map", "手机=phone_number", expect=4)
    assert "phone_number" in res.err


def test_import_tsv_and_format(cbc, db, tmp_path):
    cbc("org", "import", db, HR / "units_zh.csv", "-")
    assert cbc.json("org", "import", db, "-", HR / "employees.tsv")["employees"]["added"] == 2
    renamed = tmp_path / "employees.data"
    renamed.write_bytes((HR / "employees.tsv").read_bytes())
    cbc("org", "import", db, "-", renamed, expect=4)  # no format from the name
    doc = cbc.json("org", "import", db, "-", renamed, "--format", "tsv")
    assert doc["employees"]["unchanged"] == 2
    cbc("org", "import", db, "-", renamed, "--format", "xls", expect=4)


def test_import_bad_command_lines(cbc, db, hr_files, tmp_path):
    cbc("org", "import", db, *hr_files, "--full", "--incremental", expect=2)
    cbc("org", "import", db, "-", "-", expect=2)
    cbc("org", "import", db, hr_files[0], expect=2)
    cbc("org", "import", db, *hr_files, "--at", "yesterday-ish", expect=4)
    res = cbc("org", "import", db, tmp_path / "none.csv", "-", expect=3)
    assert "none.csv" in res.err
    assert tree_ids(cbc, db) == []


def test_import_request_key(cbc, db, hr_files):
    first = cbc.json("org", "import", db, *hr_files, "--request-key", "hr-2026-11-10")
    again = cbc.json("org", "import", db, *hr_files, "--request-key", "hr-2026-11-10")
    assert again["units"] == first["units"] and again["employees"] == first["employees"]


# ------------------------------------------------------------ progress

def test_progress_plain_lines_when_not_a_terminal(cbc, db, hr_files):
    res = cbc("org", "import", db, *hr_files)
    lines = [l for l in res.err.splitlines() if "rows/s" in l]
    assert lines, res
    assert "\r" not in res.err
    assert lines[-1].startswith("cbc org import: ")
    assert "employees.csv: 10 rows" in lines[-1] and "100%" in lines[-1]


def run_on_terminal(cbc, *args):
    """Run cbc with stderr on a pseudo-terminal; (exit status, stderr bytes)."""
    master, slave = pty.openpty()
    argv = cbc.wrapper + [cbc.binary] + [str(a) for a in args] + ["--now", NOW]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave,
                            env=dict(os.environ, LC_ALL="C.UTF-8"))
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 600)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.stdout.read()
    proc.stdout.close()
    return proc.wait(), out


def test_progress_redrawn_line_on_a_terminal(cbc, db, hr_files, tmp_path):
    big = tmp_path / "many.csv"
    rows = ["external_id,name,unit_external_id"]
    rows += [f"M{i},职工{i},T1" for i in range(25000)]
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cbc("org", "import", db, hr_files[0], "-")
    code, err = run_on_terminal(cbc, "org", "import", db, "-", big)
    assert code == 0, err
    text = err.decode()
    redraws = [part for part in text.split("\r") if "rows/s" in part]
    assert redraws, text
    assert "many.csv: 25000 rows" in redraws[-1] and "100%" in redraws[-1]
    assert "s left" in redraws[-1]
    assert text.endswith("\n")  # the line is finished before the summary
    code, err = run_on_terminal(cbc, "org", "import", db, "-", big, "--quiet")
    assert code == 0 and err == b""


# ---------------------------------------------------------------- tree

def test_tree(cbc, org):
    res = cbc("org", "tree", org)
    lines = res.out.splitlines()
    assert lines[0].split() == ["历下区", "R1", "区域", "10人"]
    assert lines[1].startswith("  济钢二厂  E1  企业  6人")
    assert lines[3].startswith("      甲班  T1  班组  2人")
    units = cbc.json("org", "tree", org)["units"]
    assert set(units[0]) == TREE_UNIT
    assert [u["external_id"] for u in units] == ["R1", "E1", "W1", "T1", "T2", "O1", "O2",
                                                 "E2", "W2", "T3", "O3"]
    e1 = units[1]
    assert e1["depth"] == 1 and e1["parent"]["external_id"] == "R1" and set(e1["parent"]) == REF
    assert (e1["employees"], e1["employees_in_subtree"]) == (0, 6)
    assert units[0]["parent"] is None and units[0]["employees"] == 2


def test_tree_of_a_unit_depth_and_path(cbc, org):
    assert tree_ids(cbc, org, "E1", "--depth", "1") == ["E1", "W1", "O2"]
    assert tree_ids(cbc, org, "R1/济钢二厂/W1", "--depth=0") == ["W1"]
    assert cbc.json("org", "tree", org, "W1")["units"][0]["depth"] == 0
    cbc("org", "tree", org, "E1", "--depth", "-1", expect=4)
    cbc("org", "tree", org, "E1", "--depth", "many", expect=4)


def test_tree_closed_units(cbc, org):
    cbc("employee", "transfer", org, "B1", "T1")
    cbc("org", "close", org, "T2")
    assert "T2" not in tree_ids(cbc, org)
    units = cbc.json("org", "tree", org, "--closed")["units"]
    t2 = next(u for u in units if u["external_id"] == "T2")
    assert t2["closed"] is True
    assert "已撤销" in cbc("org", "tree", org, "W1", "--closed").out


# ---------------------------------------------------------------- show

def test_show(cbc, org):
    t1 = cbc.json("org", "show", org, "T1")
    assert set(t1) == UNIT | {"path", "employees", "employees_in_subtree", "children",
                              "responsible"}
    assert [p["external_id"] for p in t1["path"]] == ["R1", "E1", "W1", "T1"]
    assert t1["responsible"] == {
        "team": {"id": t1["responsible"]["team"]["id"], "external_id": "L1", "name": "李强"},
        "workshop": {"id": t1["responsible"]["workshop"]["id"], "external_id": "D1",
                     "name": "刘洋"},
        "enterprise": {"id": t1["responsible"]["enterprise"]["id"], "external_id": "P1",
                       "name": "孙华"}}
    assert t1["children"] == [] and t1["employees"] == 2
    assert t1["created_at"] == "2026-11-10T09:00:00+08:00" and t1["closed_at"] is None
    e1 = cbc.json("org", "show", org, "E1")
    assert e1["industry"] == "冶金" and e1["high_risk"] is True
    assert [c["external_id"] for c in e1["children"]] == ["W1", "O2"]
    assert set(e1["children"][0]) == TREE_UNIT
    assert e1["responsible"]["team"] is None and e1["responsible"]["workshop"] is None
    r1 = cbc.json("org", "show", org, "R1")
    assert r1["responsible"] == {"team": None, "workshop": None, "enterprise": None}
    text = cbc("org", "show", org, "R1/E1/W1").out
    assert "历下区/济钢二厂/轧钢车间  (R1/E1/W1)" in text and "刘洋  D1" in text


def test_unknown_unit_and_bad_databases(cbc, org, tmp_path):
    for sub in (["tree"], ["show"], ["history"], ["close"]):
        res = cbc("org", *sub, org, "E9", expect=3)
        assert "E9" in res.err
    cbc("org", "show", org, "R1/E1/W7", expect=3)
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just notes\n" * 50)
    for args in (["tree", text], ["show", text, "E1"], ["import", text, "-", "x.csv"]):
        cbc("org", *args, expect=9)
    assert text.read_text().startswith("not a database")
    missing = tmp_path / "missing.db"
    res = cbc("org", "tree", missing, expect=3)
    assert "init" in res.err and not missing.exists()
    cbc("employee", "list", missing, expect=3)
    assert not missing.exists()


# ---------------------------------------------------------------- history

def test_org_history(cbc, org):
    cbc("employee", "transfer", org, "A1", "T2", "--at", "2026-11-05")
    cbc("employee", "leave", org, "B1", "--at", "2026-11-08 17:00")
    doc = cbc.json("org", "history", org, "T2")
    assert set(doc) == {"unit", "events"} and doc["unit"]["external_id"] == "T2"
    for e in doc["events"]:
        assert set(e) == {"at", "event", "employee", "from_unit", "to_unit"}
    seen = [(e["event"], e["employee"] and e["employee"]["external_id"]) for e in doc["events"]]
    # oldest first: the back-dated moves come before the import that created T2
    assert seen == [("transferred", "A1"), ("left", "B1"), ("created", None), ("joined", "B1")]
    assert doc["events"][0]["from_unit"]["external_id"] == "T1"
    assert doc["events"][1]["from_unit"]["external_id"] == "T2"
    times = [e["at"] for e in doc["events"]]
    assert times == sorted(times)
    out = cbc("org", "history", org, "T2").out
    assert "转岗" in out and "离职" in out


# ---------------------------------------------------------------- changes

def test_rename_move_close(cbc, org):
    assert cbc("org", "rename", org, "T3", "丁班").out == ""
    assert cbc.json("org", "show", org, "T3")["name"] == "丁班"
    doc = cbc.json("org", "move", org, "T3", "W1")
    assert set(doc) == UNIT and doc["parent"]["external_id"] == "W1"
    assert tree_ids(cbc, org, "W1") == ["W1", "T1", "T2", "T3", "O1"]  # siblings by id
    cbc("org", "move", org, "T3", "--root", expect=6)  # a team cannot be a root
    cbc("org", "move", org, "T3", expect=2)
    cbc("org", "move", org, "T3", "W1", "--root", expect=2)
    cbc("org", "move", org, "W1", "T1", expect=6)  # under its own team
    cbc("org", "rename", org, "T3", "", expect=4)
    before = cbc("org", "tree", org, "--closed").out
    cbc("org", "close", org, "T3", expect=6)  # X1 still works there
    assert cbc("org", "tree", org, "--closed").out == before
    cbc("employee", "leave", org, "X1")
    closed = cbc.json("org", "close", org, "T3")
    assert closed["closed"] is True and closed["closed_at"] == "2026-11-10T09:00:00+08:00"
    cbc("org", "close", org, "T3", expect=6)
    cbc("employee", "transfer", org, "A1", "T3", expect=6)


def test_help_texts(cbc):
    res = cbc("org", expect=2)
    assert "import" in res.err and "tree" in res.err
    assert "history" in cbc("org", "--help").out
    for group, subs in (("org", ["import", "tree", "show", "history", "rename", "move", "close"]),
                        ("employee", ["list", "show", "history", "transfer", "leave"])):
        for sub in subs:
            out = cbc(group, sub, "--help").out
            assert out.startswith(f"usage: cbc {group} {sub} DB"), out
    for group, sub in (("org", "rename"), ("org", "move"), ("org", "close"),
                       ("employee", "transfer"), ("employee", "leave")):
        assert "HR sync" in cbc(group, sub, "--help").out
    cbc("org", "frobnicate", expect=2)
    cbc("org", "tree", expect=2)


# ---------------------------------------------------------------- employees

def test_employee_list(cbc, org):
    doc = cbc.json("employee", "list", org)
    assert set(doc) == {"employees", "count"} and doc["count"] == 10
    first = doc["employees"][0]
    assert set(first) == EMPLOYEE and set(first["unit"]) == REF
    assert employee_ids(cbc, org, "W1") == ["L1", "A1", "B1", "D1"]
    l1 = cbc.json("employee", "list", org, "T1")["employees"][0]
    assert l1["roles"] == ["worker", "team_leader"] and l1["active"] is True
    assert l1["hire_date"] == "2019-03-01T00:00:00+08:00" and l1["left_at"] is None
    cbc("employee", "leave", org, "A1")
    assert employee_ids(cbc, org, "T1") == ["L1"]
    assert employee_ids(cbc, org, "T1", "--all") == ["L1", "A1"]
    out = cbc("employee", "list", org, "T1", "--all").out.splitlines()
    assert out[0].split() == ["工号", "姓名", "岗位", "单位", "角色", "状态"]
    assert "职工、班组长" in out[1] and "离职" in out[2]
    cbc("employee", "list", org, "T9", expect=3)


def test_employee_show(cbc, org):
    d1 = cbc.json("employee", "show", org, "D1")
    assert set(d1) == EMPLOYEE | {"unit_path"}
    assert [u["external_id"] for u in d1["unit_path"]] == ["R1", "E1", "W1", "O1"]
    assert d1["post"] == "车间主任" and d1["roles"] == ["workshop_director"]
    text = cbc("employee", "show", org, "D1").out
    assert "刘洋  D1" in text and "R1/E1/W1/O1" in text and "车间主任" in text
    res = cbc("employee", "show", org, "Z9", expect=3)
    assert "Z9" in res.err


def test_employee_history_transfer_leave(cbc, org):
    doc = cbc.json("employee", "transfer", org, "A1", "T2", "--at", "2026-11-05")
    assert set(doc) == EMPLOYEE and doc["unit"]["external_id"] == "T2"
    assert doc["unit_since"] == "2026-11-05T00:00:00+08:00"
    cbc("employee", "transfer", org, "A1", "T2", expect=4)  # already there
    cbc("employee", "transfer", org, "A1", "E1", expect=4)  # not a team
    cbc("employee", "transfer", org, "A1", "T9", expect=3)
    cbc("employee", "transfer", org, "A1", "T1", "--at", "2026-13-01", expect=4)
    cbc("employee", "leave", org, "A1", "--at", "soon", expect=4)
    assert cbc("employee", "leave", org, "A1", "--at", "2026-11-09").out == ""
    cbc("employee", "leave", org, "A1", expect=6)
    cbc("employee", "transfer", org, "A1", "T1", expect=6)
    hist = cbc.json("employee", "history", org, "A1")
    assert set(hist) == {"employee", "events"} and hist["employee"]["external_id"] == "A1"
    for e in hist["events"]:
        assert set(e) == {"event", "at", "from_unit", "to_unit"}
    assert [e["event"] for e in hist["events"]] == ["joined", "transferred", "left"]
    moved = hist["events"][1]
    assert moved["from_unit"]["external_id"] == "T1" and moved["to_unit"]["external_id"] == "T2"
    assert moved["at"] == "2026-11-05T00:00:00+08:00"
    assert hist["events"][0]["from_unit"] is None
    text = cbc("employee", "history", org, "A1").out
    assert "入职" in text and "转岗" in text and "离职" in text
    cbc("employee", "history", org, "Z9", expect=3)
