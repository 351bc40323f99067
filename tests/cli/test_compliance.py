"""cbc compliance: untrained employees, drill shortfalls, training needs
(docs/activities.md).  Training sessions and drills are recorded through
`cbc training add` and `cbc drill add`."""
REF = {"id", "external_id", "name"}


def ids(items, key=None):
    return [(i[key] if key else i)["external_id"] if (i[key] if key else i) else None
            for i in items]


def train(cbc, db, unit, kind, held, *attendees, failed=()):
    args = ["training", "add", db, "--kind", kind, "--unit", unit, "--minutes", "60",
            "--title", "安全培训", "--held", held]
    for a in attendees:
        args += ["--attendee", a]
    for a in failed:
        args += ["--failed", a]
    cbc(*args)


def drill(cbc, db, unit, held, *teams):
    args = ["drill", "add", db, "--unit", unit, "--scenario", "煤气泄漏应急演练", "--held", held]
    for t in teams:
        args += ["--team", t]
    cbc(*args)


# ------------------------------------------------------------ untrained

def test_untrained(cbc, org):
    doc = cbc.json("compliance", "untrained", org, "E1")
    assert set(doc) == {"unit", "year", "employees", "count"}
    assert doc["unit"]["external_id"] == "E1" and set(doc["unit"]) == REF
    assert doc["year"] == 2026  # the year of --now
    assert ids(doc["employees"]) == ["L1", "A1", "B1", "D1", "S1", "P1"]
    assert doc["count"] == 6
    first = doc["employees"][0]
    assert set(first) == REF | {"post", "unit"} and first["unit"]["external_id"] == "T1"
    train(cbc, org, "E1", "all_staff", "2026-03-01", "L1", failed=["A1"])
    cbc("employee", "leave", org, "B1")
    doc = cbc.json("compliance", "untrained", org, "E1", "--year", "2026")
    assert ids(doc["employees"]) == ["A1", "D1", "S1", "P1"]  # A1 failed; B1 left
    assert ids(cbc.json("compliance", "untrained", org, "T1", "--year=2025")["employees"]) == \
        ["L1", "A1"]
    out = cbc("compliance", "untrained", org, "E1").out.splitlines()
    assert out[0].split() == ["工号", "姓名", "岗位", "单位"]
    assert out[1].split() == ["A1", "王芳", "操作工", "T1"]


def test_untrained_bad_input(cbc, org, tmp_path):
    cbc("compliance", "untrained", org, "E9", expect=3)
    cbc("compliance", "untrained", org, "E1", "--year", "20x6", expect=4)
    res = cbc("compliance", "untrained", org, "E1", "--year", "2026-11", expect=4)
    assert "calendar year" in res.err
    cbc("compliance", "untrained", org, expect=2)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n" * 100)
    cbc("compliance", "untrained", notes, "E1", expect=9)
    cbc("compliance", "untrained", tmp_path / "none.db", "E1", expect=3)
    assert not (tmp_path / "none.db").exists()


# ------------------------------------------------------------ drills

def test_drills(cbc, org):
    doc = cbc.json("compliance", "drills", org, "R1")
    assert set(doc) == {"unit", "year", "gaps", "count"} and doc["year"] == 2026
    for g in doc["gaps"]:
        assert set(g) == {"enterprise", "team", "drills"}
    rows = [(g["enterprise"]["external_id"], g["team"] and g["team"]["external_id"], g["drills"])
            for g in doc["gaps"]]
    assert rows[0] == ("E1", None, 0)  # the enterprise's own row first
    assert {r[1] for r in rows if r[0] == "E1"} == {None, "T1", "T2", "O1", "O2"}
    assert {r[1] for r in rows if r[0] == "E2"} == {None, "T3", "O3"}
    assert doc["count"] == len(rows) == 8
    drill(cbc, org, "E1", "2026-04-01", "T1", "T2")
    drill(cbc, org, "W1", "2026-09-01", "T1")
    doc = cbc.json("compliance", "drills", org, "E1")
    rows = [(ids([g], "enterprise")[0], ids([g], "team")[0], g["drills"]) for g in doc["gaps"]]
    # E1 held 2 (its own and W1's); its teams by id: O2 under E1, then T2, O1 under W1
    assert rows == [("E1", "O2", 0), ("E1", "T2", 1), ("E1", "O1", 0)]
    # a team asks about itself (and its enterprise)
    assert cbc.json("compliance", "drills", org, "T1")["gaps"] == []
    assert cbc.json("compliance", "drills", org, "E1", "--year", "2025")["count"] == 5
    out = cbc("compliance", "drills", org, "E2").out.splitlines()
    assert out[0].split() == ["企业", "班组", "演练次数"]
    assert out[1].split() == ["E2", "-", "0"]


def test_drills_bad_input(cbc, org):
    cbc("compliance", "drills", org, "X", expect=3)
    cbc("compliance", "drills", org, "E1", "--year", "1969", expect=4)
    cbc("compliance", "drills", org, "E1", "--year", "2026-Q4", expect=4)


# ------------------------------------------------------------ training needs

def test_training_needs(cbc, org, tmp_path):
    assert cbc.json("compliance", "training-needs", org, "R1")["needs"] == []
    hire = tmp_path / "hire.csv"
    hire.write_text("external_id,name,unit_external_id,hire_date\nN1,新员工,T2,2026-10-01\n",
                    encoding="utf-8")
    cbc("org", "import", org, "-", hire)
    cbc("employee", "transfer", org, "A1", "T2", "--at", "2026-11-05")
    doc = cbc.json("compliance", "training-needs", org, "E1")
    assert set(doc) == {"unit", "at", "needs", "count"}
    assert doc["at"] == "2026-11-10T09:00:00+08:00" and doc["count"] == 2
    for n in doc["needs"]:
        assert set(n) == {"employee", "unit", "reason", "since", "missing"}
    need = {n["employee"]["external_id"]: n for n in doc["needs"]}
    assert need["A1"]["reason"] == "transfer" and need["A1"]["missing"] == []
    assert need["A1"]["since"] == "2026-11-05T00:00:00+08:00"
    assert need["A1"]["unit"]["external_id"] == "T2"
    assert need["N1"]["reason"] == "induction"
    assert need["N1"]["missing"] == ["enterprise_induction", "workshop_induction",
                                     "team_induction"]
    train(cbc, org, "T2", "team_induction", "2026-11-06", "N1")
    train(cbc, org, "T2", "retraining", "2026-11-06", "A1")
    doc = cbc.json("compliance", "training-needs", org, "E1")
    assert [(n["employee"]["external_id"], n["missing"]) for n in doc["needs"]] == \
        [("N1", ["enterprise_induction", "workshop_induction"])]
    before = cbc.json("compliance", "training-needs", org, "E1", "--at", "2026-09-01")
    assert before["needs"] == [] and before["at"] == "2026-09-01T00:00:00+08:00"
    out = cbc("compliance", "training-needs", org, "T2").out
    assert "三级教育未完成" in out and "三级教育（厂级）" in out


def test_training_needs_bad_input(cbc, org):
    cbc("compliance", "training-needs", org, "T9", expect=3)
    cbc("compliance", "training-needs", org, "T1", "--at", "2026-02-30", expect=4)
    cbc("compliance", "training-needs", org, "T1", "--at", "tomorrow", expect=4)


def test_help(cbc):
    assert "training-needs" in cbc("compliance", "--help").out
    cbc("compliance", expect=2)
    cbc("compliance", "audit", expect=2)
    for sub in ("untrained", "drills", "training-needs"):
        assert cbc("compliance", sub, "--help").out.startswith(f"usage: cbc compliance {sub} DB")
