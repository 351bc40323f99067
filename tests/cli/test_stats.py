"""cbc stats: breakdowns, the monthly series, rebuilding the aggregates."""
import pytest

from conftest import Cbc

FIELDS = ["units_ran", "employees_took_part", "training_sessions", "employees_trained",
          "leader_classes", "leaders_trained", "units_assigned", "supervision_visits",
          "hazards_found", "hazards_listed", "hazards_rectified"]
# Counts of events add up over time; distinct units and people do not.
ADD_OVER_TIME = ["training_sessions", "leader_classes", "supervision_visits", "hazards_found",
                 "hazards_listed", "hazards_rectified"]
DISTINCT = ["units_ran", "employees_took_part", "employees_trained", "leaders_trained",
            "units_assigned"]
BREAKDOWN_FIGURES = ["reported", "rejected", "rectified", "closed", "closed_on_time",
                     "overdue_at_end", "reopens", "mean_days_to_close", "median_days_to_close",
                     "rectification_rate", "on_time_rate", "disposal_rate"]
DIMENSIONS = ["severity", "kind", "category", "check_item", "source", "resolved_level"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("stats") / "demo.db"
    Cbc().run("demo", path, "--quiet", now=None)
    return path


def figures(cbc, db, unit, period):
    return cbc.json("form", db, unit, period)["figures"]


# ---------------------------------------------------------------- breakdown


def test_breakdown_json_shape(cbc, demo_db):
    j = cbc.json("stats", "breakdown", demo_db, "LX", "2026-11")
    assert list(j) == ["unit", "period", "by", "figures", "counts"]
    assert j["unit"]["external_id"] == "LX" and j["by"] is None
    assert j["period"] == {"kind": "month", "text": "2026-11", "from": "2026-11-01T00:00:00+08:00",
                           "to": "2026-12-01T00:00:00+08:00"}
    assert list(j["figures"]) == BREAKDOWN_FIGURES
    assert {c["dimension"] for c in j["counts"]} == set(DIMENSIONS)
    for c in j["counts"]:
        assert list(c) == ["dimension", "value", "label", "count"]
        assert isinstance(c["value"], str) and c["label"] and c["count"] >= 0
    f = j["figures"]
    # the breakdown agrees with the form, and its cells with its figures
    form = figures(cbc, demo_db, "LX", "2026-11")
    assert f["reported"] == form["hazards_found"] > 0
    assert f["closed"] == form["hazards_rectified"]
    for dim in DIMENSIONS:
        total = sum(c["count"] for c in j["counts"] if c["dimension"] == dim)
        assert total == (f["closed"] if dim == "resolved_level" else f["reported"]), dim
    assert f["rectification_rate"] == round(f["rectified"] / f["reported"], 4)
    assert f["on_time_rate"] == round(f["closed_on_time"] / f["closed"], 4)


def test_breakdown_by(cbc, demo_db):
    j = cbc.json("stats", "breakdown", demo_db, "LX", "2026-11", "--by", "severity")
    assert j["by"] == "severity"
    assert [(c["value"], c["label"]) for c in j["counts"]] == [("general", "一般隐患"),
                                                              ("major", "重大隐患")]
    assert sum(c["count"] for c in j["counts"]) == j["figures"]["reported"]
    # the Chinese label of a dimension names it too
    by_label = cbc.json("stats", "breakdown", demo_db, "LX", "2026-11", "--by", "隐患等级")
    assert by_label == j


def test_breakdown_text(cbc, demo_db):
    j = cbc.json("stats", "breakdown", demo_db, "E01", "2026-Q4")
    out = cbc("stats", "breakdown", demo_db, "E01", "2026-Q4").out
    lines = out.splitlines()
    assert lines[0] == "隐患统计：济钢集团第二轧钢厂（E01）  2026-Q4（2026-10-01 至 2026-12-31）"
    assert f"上报隐患数      {j['figures']['reported']}" in lines
    for title in ["隐患等级", "软硬隐患", "隐患类别", "检查项目", "隐患来源", "销号层级"]:
        assert any(l.startswith(title) for l in lines), title
    assert "%" in out
    only = cbc("stats", "breakdown", demo_db, "E01", "2026-Q4", "--by", "source").out
    assert "隐患来源" in only and "隐患等级" not in only


@pytest.mark.parametrize("args,code", [
    (["NOPE", "2026-11"], 3),
    (["LX", "2026-13"], 4),
    (["LX", "2026-Q5"], 4),
    (["LX", "2026-11", "--by", "colour"], 4),
    (["LX"], 2),
    (["LX", "2026-11", "--bogus"], 2),
])
def test_breakdown_bad_input(cbc, demo_db, args, code):
    res = cbc("stats", "breakdown", demo_db, *args, expect=code)
    assert res.out == "" and res.err.startswith("cbc stats breakdown")


# ---------------------------------------------------------------- table

TABLE_FIGURES = ["units_checked", "general_found", "general_rectified", "major_found",
                 "major_rectified", "plan_majors", "plan_goals", "plan_methods",
                 "plan_funds_materials", "plan_responsible", "plan_time_limit",
                 "plan_safety_measures", "plan_funds_fen"]


def test_table_json_agrees_with_the_breakdown(cbc, demo_db):
    j = cbc.json("stats", "table", demo_db, "LX", "2026-Q4")
    assert list(j) == ["unit_id", "unit", "from", "last", "title", "total", "industries",
                       "labels"]
    assert j["title"] == "生产经营单位事故隐患排查治理情况统计分析表"
    assert (j["from"], j["last"]) == ("2026-10-01", "2026-12-31")
    total = j["total"]
    assert list(total) == TABLE_FIGURES + ["general_rate", "major_rate"]
    assert j["industries"], "the demo's enterprises have industries"
    for name in TABLE_FIGURES:  # the industries' rows sum to the total
        assert sum(row[name] for row in j["industries"]) == total[name], name
    b = cbc.json("stats", "breakdown", demo_db, "LX", "2026-Q4")["figures"]
    assert total["general_found"] + total["major_found"] == b["reported"] - b["rejected"] > 0
    assert total["general_rectified"] <= total["general_found"]
    assert total["general_rate"] == int(total["general_rectified"] * 1000
                                        / total["general_found"]) / 10
    assert 1 <= total["units_checked"] <= 5


def test_table_text_and_csv(cbc, demo_db, tmp_path):
    text = cbc("stats", "table", demo_db, "LX", "2026").out
    assert text.startswith("生产经营单位事故隐患排查治理情况统计分析表\n")
    assert "【合计】" in text and "【行业：" in text and "落实治理资金（万元）" in text
    csv_text = cbc("stats", "table", demo_db, "LX", "2026", "--format", "csv").out
    lines = csv_text.splitlines()  # the tool writes CRLF; text mode reads both as one
    assert lines[0] == "unit_id,unit,from,last,row,industry,figure,label,value"
    assert sum(1 for line in lines if ",total," in line) == len(TABLE_FIGURES) + 2
    out = tmp_path / "table.csv"
    assert cbc("stats", "table", demo_db, "LX", "2026", "--format", "csv", "--output",
               out).out == ""
    assert out.read_text(encoding="utf-8").splitlines() == lines


def test_table_xlsx(cbc, demo_db, tmp_path):
    """The workbook: title, unit and period, 项目 / 合计 / each industry, then
    one row per figure with the rates after the rectified counts; its
    numbers are the JSON's (funds in 万元)."""
    import openpyxl  # scripts/deps.sh installs python3-openpyxl (the web app needs it too)
    j = cbc.json("stats", "table", demo_db, "LX", "2026-Q4")
    path = tmp_path / "table.xlsx"
    cbc("stats", "table", demo_db, "LX", "2026-Q4", "--format", "xlsx", "--output", path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == j["title"] and "2026-10-01 至 2026-12-31" in rows[1][0]
    industries = [row["industry"] or "未填行业" for row in j["industries"]]
    assert list(rows[2]) == ["项目", "合计"] + industries
    keys = []
    for name in TABLE_FIGURES:
        keys.append(name)
        if name.endswith("_rectified"):
            keys.append(name.replace("_rectified", "_rate"))
    assert len(rows) == 3 + len(keys)
    for key, row in zip(keys, rows[3:]):
        want = j["total"][key]
        if key == "plan_funds_fen":
            assert row[0] == "落实治理资金（万元）" and row[1] == pytest.approx(want / 1e6)
        else:
            assert row[0] == j["labels"][key] and row[1] == ("—" if want is None else want)


@pytest.mark.parametrize("args,code", [
    (["NOPE", "2026-Q4"], 3),
    (["LX", "2026-Q5"], 4),
    (["LX", "2026-Q4", "--format", "xml"], 2),
    (["LX", "2026-Q4", "--format", "csv", "--json"], 2),
    (["LX", "2026-Q4", "--output", ""], 2),
    (["LX"], 2),
])
def test_table_bad_input(cbc, demo_db, args, code):
    res = cbc("stats", "table", demo_db, *args, expect=code)
    assert res.out == "" and res.err.startswith("cbc stats table")


# ---------------------------------------------------------------- series


def test_series_json(cbc, demo_db):
    j = cbc.json("stats", "series", demo_db, "E01", "2026")
    assert list(j) == ["unit", "year", "labels", "months", "quarters", "total"]
    assert j["unit"]["external_id"] == "E01" and j["year"] == 2026
    assert list(j["labels"]) == FIELDS
    assert [m["period"]["text"] for m in j["months"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert [q["period"]["text"] for q in j["quarters"]] == [f"2026-Q{q}" for q in range(1, 5)]
    assert j["total"]["period"] == {"kind": "year", "text": "2026",
                                    "from": "2026-01-01T00:00:00+08:00",
                                    "to": "2027-01-01T00:00:00+08:00"}
    for entry in j["months"] + j["quarters"] + [j["total"]]:
        assert list(entry) == ["period", "figures"] and list(entry["figures"]) == FIELDS
    # each month and quarter is the form of that period
    for entry in [j["months"][10], j["months"][6], j["quarters"][3], j["total"]]:
        assert entry["figures"] == figures(cbc, demo_db, "E01", entry["period"]["text"])
    months = [m["figures"] for m in j["months"]]
    assert j["total"]["figures"]["hazards_found"] > 0
    for q, quarter in enumerate(j["quarters"]):
        ms = months[3 * q:3 * q + 3]
        for f in ADD_OVER_TIME:
            assert quarter["figures"][f] == sum(m[f] for m in ms), (q, f)
        for f in DISTINCT:  # each person once: at least any month, at most all
            assert max(m[f] for m in ms) <= quarter["figures"][f] <= sum(m[f] for m in ms)
    for f in ADD_OVER_TIME:
        assert j["total"]["figures"][f] == sum(q["figures"][f] for q in j["quarters"])


def test_series_text(cbc, demo_db):
    j = cbc.json("stats", "series", demo_db, "LX", "2026")
    lines = cbc("stats", "series", demo_db, "LX", "2026").out.splitlines()
    assert lines[0] == "“查保促”集中行动情况统计表"
    assert lines[1] == "填报单位：历下区总工会（LX）" and lines[2] == "统计年度：2026"
    rows = [l.split() for l in lines[5:]]
    assert [r[0] for r in rows] == [f"2026-{m:02d}" for m in range(1, 13)] + \
        [f"2026-Q{q}" for q in range(1, 5)] + ["2026"]
    assert rows[-1][1] == "全年"
    for row, entry in zip(rows, j["months"] + j["quarters"] + [j["total"]]):
        assert [int(x) for x in row[2:]] == [entry["figures"][f] for f in FIELDS]


@pytest.mark.parametrize("args,code", [
    (["NOPE", "2026"], 3),
    (["E01", "1969"], 4),
    (["E01", "2026-11"], 4),
    (["E01", "twenty"], 4),
    (["E01"], 2),
])
def test_series_bad_input(cbc, demo_db, args, code):
    res = cbc("stats", "series", demo_db, *args, expect=code)
    assert res.out == ""


# ---------------------------------------------------------------- rebuild


def test_rebuild(cbc, tmp_path):
    db = tmp_path / "demo.db"
    cbc("demo", db, "--quiet", now=None)
    before = {u: cbc.json("form", db, u, "2026-Q4", "--children") for u in ["JN", "LX", "E02"]}
    res = cbc("stats", "rebuild", db)
    assert res.out.startswith(f"Rebuilt the statistics of {db} from its records in ")
    assert res.out.endswith(" steps)\n")
    assert len(res.out.splitlines()) == 1
    j = cbc.json("stats", "rebuild", db)
    assert list(j) == ["path", "rebuilt", "seconds", "steps", "units"] and j["rebuilt"] is True
    assert j["steps"] >= 1 and j["units"] >= 3
    assert cbc("stats", "rebuild", db, "--quiet").out == ""
    # small steps, with a line per step on stderr; the same aggregates
    res = cbc("stats", "rebuild", db, "--batch", "50", "--progress")
    lines = res.err.splitlines()
    assert len(lines) > 2 and lines[0].startswith("step 1: ")
    assert lines[-1].startswith(f"step {len(lines)}: {j['units']} of {j['units']} units rebuilt")
    assert cbc.json("stats", "rebuild", db, "--batch", "50")["steps"] == len(lines)
    after = {u: cbc.json("form", db, u, "2026-Q4", "--children") for u in ["JN", "LX", "E02"]}
    assert after == before
    assert cbc.json("check", db, "--stats")["ok"] is True


@pytest.mark.parametrize("batch", ["0", "-3", "ten", ""])
def test_rebuild_bad_batch(cbc, tmp_path, batch):
    db = tmp_path / "demo.db"
    cbc("demo", db, "--quiet", now=None)
    res = cbc("stats", "rebuild", db, "--batch", batch, expect=4)
    assert "--batch" in res.err


def test_rebuild_bad_database(cbc, tmp_path):
    notdb = tmp_path / "notes.txt"
    notdb.write_text("not a database")
    cbc("stats", "rebuild", notdb, expect=9)
    assert notdb.read_text() == "not a database"
    cbc("stats", "rebuild", tmp_path / "missing.db", expect=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_group_help(cbc, demo_db):
    assert cbc("stats", now=None, expect=2).err.startswith("usage: cbc stats COMMAND")
    out = cbc("stats", "--help").out
    for sub in ["breakdown", "series", "rebuild"]:
        assert sub in out
        assert cbc("stats", sub, "--help").out.startswith(f"usage: cbc stats {sub} DB")
    cbc("stats", "bogus", demo_db, expect=2)
