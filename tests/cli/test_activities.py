"""cbc training|drill|assign|visit|proposal: the campaign's activities.

Every subcommand, its --json shape (exact keys), its exit codes and its bad
input; a failed command changes nothing; listings by unit subtree and
period return exactly the expected records, voided ones only when asked.
The clock is 2026-11-10 09:00 (+08:00) on every run (conftest.py).
"""
import pytest

GROUPS = {
    "training": ["add", "list", "show", "void"],
    "drill": ["add", "list", "show", "void"],
    "assign": ["add", "release", "list", "show", "void"],
    "visit": ["add", "list", "show", "void"],
    "proposal": ["add", "decide", "list", "show", "void"],
}
PLURAL = {"training": "trainings", "drill": "drills", "assign": "assignments",
          "visit": "visits", "proposal": "proposals"}

REF = ["id", "external_id", "name"]
VOIDED = ["voided_at", "voided_by", "void_reason"]
LIST_KEYS = ["unit", "period", "with_voided", "count"]
TRAINING_ROW = ["id", "kind", "unit", "held_at", "minutes", "title", "recorded_at"] + VOIDED
TRAINING_SHOW = TRAINING_ROW + ["attendee_count", "passed_count", "attendees"]
DRILL_ROW = ["id", "unit", "held_at", "scenario", "recorded_at"] + VOIDED
DRILL_SHOW = DRILL_ROW + ["team_count", "teams"]
ASSIGN_ROW = ["id", "cadre", "unit", "from", "to", "recorded_at"] + VOIDED
VISIT_ROW = ["id", "cadre", "unit", "visited_at", "findings", "recorded_at"] + VOIDED
SUBMITTED_LABEL = "待审议"  # cbc_enum_label(CBC_ENUM_PROPOSAL_STATUS, CBC_PROPOSAL_SUBMITTED)
PROPOSAL_ROW = ["id", "proposer", "unit", "title", "text", "submitted_at", "status",
                "decided_by", "decided_at", "note"] + VOIDED


# ---------------------------------------------------------------------------
# Adding one of each, with defaults a test may override.

def added(res, extra, expect):
    """The new id (text output), the parsed document (--json) or the result."""
    if expect != 0:
        return res
    return res.json() if "--json" in extra else int(res.out)


def add_training(cbc, db, *extra, unit="E1", held="2026-11-05 09:00", attendees=("A1",),
                 expect=0):
    args = ["training", "add", db, "--kind", "all_staff", "--unit", unit, "--held", held,
            "--minutes", "90", "--title", "全员安全培训"]
    for a in attendees:
        args += ["--attendee", a]
    return added(cbc(*args, *extra, expect=expect), extra, expect)


def add_drill(cbc, db, *extra, unit="E1", held="2026-11-02 14:00", teams=("T1",), expect=0):
    args = ["drill", "add", db, "--unit", unit, "--held", held, "--scenario", "煤气泄漏应急演练"]
    for t in teams:
        args += ["--team", t]
    return added(cbc(*args, *extra, expect=expect), extra, expect)


def add_assign(cbc, db, *extra, cadre="C1", unit="E1", start="2026-01-01", expect=0):
    res = cbc("assign", "add", db, "--cadre", cadre, "--unit", unit, "--from", start, *extra,
              expect=expect)
    return added(res, extra, expect)


def add_visit(cbc, db, *extra, cadre="C1", unit="E1", when="2026-11-03 10:00", expect=0):
    res = cbc("visit", "add", db, "--cadre", cadre, "--unit", unit, "--visited", when,
              "--findings", "消防通道堵塞", *extra, expect=expect)
    return added(res, extra, expect)


def add_proposal(cbc, db, *extra, who="A1", expect=0, now=None):
    kw = {"now": now} if now else {}
    res = cbc("proposal", "add", db, "--as", who, "--title", "加装护栏", "--text",
              "在轧机旁加装防护栏", *extra, expect=expect, **kw)
    return added(res, extra, expect)


ADD = {"training": add_training, "drill": add_drill, "assign": add_assign,
       "visit": add_visit, "proposal": add_proposal}


def listed(cbc, db, group, *args):
    """The ids `cbc GROUP list DB ARGS --json` returns, in order."""
    doc = cbc.json(group, "list", db, *args)
    assert doc["count"] == len(doc[PLURAL[group]])
    return [r["id"] for r in doc[PLURAL[group]]]


def snapshot(cbc, db, group):
    return cbc.json(group, "list", db, "--with-voided")


# ---------------------------------------------------------------------------
# Every group: help, usage, databases that are missing or not libcbc's.

@pytest.mark.parametrize("group", GROUPS)
def test_help_of_every_subcommand(cbc, group):
    top = cbc(group, "--help").out
    assert top.startswith(f"usage: cbc {group} COMMAND")
    for sub in GROUPS[group]:
        assert f"  {sub} " in top
        res = cbc(group, sub, "--help")
        assert res.out.startswith(f"usage: cbc {group} {sub} DB"), res
        assert res.err == ""
    assert "usage:" in cbc(group, expect=2).err
    assert "unknown command" in cbc(group, "frobnicate", expect=2).err


@pytest.mark.parametrize("group", GROUPS)
def test_listed_in_the_tools_help(cbc, group):
    assert f"  {group} " in cbc("--help").out


@pytest.mark.parametrize("group", GROUPS)
def test_not_a_libcbc_database(cbc, tmp_path, group):
    bogus = tmp_path / "notes.db"
    bogus.write_text("这不是数据库\n" * 100, encoding="utf-8")
    res = cbc(group, "list", bogus, expect=9)
    assert "not a libcbc database" in res.err and res.out == ""
    cbc(group, "show", bogus, "1", expect=9)
    cbc(group, "void", bogus, "1", "--reason", "x", "--as", "S1", expect=9)
    assert bogus.read_text(encoding="utf-8") == "这不是数据库\n" * 100


@pytest.mark.parametrize("group", GROUPS)
def test_missing_database(cbc, tmp_path, group):
    missing = tmp_path / "missing.db"
    res = cbc(group, "list", missing, expect=3)
    assert "no database at" in res.err and res.out == ""
    cbc(group, "show", missing, "1", expect=3)
    assert not missing.exists()


@pytest.mark.parametrize("group", GROUPS)
def test_missing_database_on_add(cbc, tmp_path, group):
    missing = tmp_path / "missing.db"
    ADD[group](cbc, missing, expect=3)
    assert not missing.exists()


@pytest.mark.parametrize("group", GROUPS)
def test_list_bad_input(cbc, org, group):
    ADD[group](cbc, org)
    for period in ["2026-13", "2026-Q5", "yesterday", "2026-11-15..2026-11-01"]:
        res = cbc(group, "list", org, "--period", period, expect=4)
        assert res.out == "" and res.err.startswith(f"cbc {group} list: invalid:")
    res = cbc(group, "list", org, "--unit", "E9", expect=3)
    assert "no unit" in res.err
    cbc(group, "list", org, "--unit", "R1/E1/W9", expect=3)
    cbc(group, "list", org, "extra", expect=2)
    cbc(group, "list", org, "--bogus", expect=2)
    cbc(group, "list", expect=2)


@pytest.mark.parametrize("group", GROUPS)
def test_show_and_void_bad_ids(cbc, org, group):
    cbc(group, "show", org, "99", expect=3)
    cbc(group, "show", org, "abc", expect=4)
    cbc(group, "show", org, "0", expect=4)
    cbc(group, "show", org, expect=2)
    cbc(group, "void", org, "99", "--reason", "x", "--as", "C1", expect=3)


@pytest.mark.parametrize("group", GROUPS)
def test_void_rules(cbc, org, group):
    """Voided once, by someone allowed; excluded from listings unless asked."""
    rid = ADD[group](cbc, org)
    before = snapshot(cbc, org, group)
    # usage: --reason and --as are required
    cbc(group, "void", org, rid, "--as", "C1", expect=2)
    cbc(group, "void", org, rid, "--reason", "录入错误", expect=2)
    # an unknown actor
    cbc(group, "void", org, rid, "--reason", "录入错误", "--as", "Z9", expect=3)
    # another enterprise's principal may not
    res = cbc(group, "void", org, rid, "--reason", "录入错误", "--as", "P2", expect=5)
    assert res.err.startswith(f"cbc {group} void: not permitted:")
    # an empty reason is refused by the library
    cbc(group, "void", org, rid, "--reason", "", "--as", "C1", expect=4)
    assert snapshot(cbc, org, group) == before
    # the district's union cadre may
    res = cbc(group, "void", org, rid, "--reason", "录入错误", "--as", "C1")
    assert res.out.endswith(f" {rid}: voided\n")
    assert listed(cbc, org, group) == []
    assert listed(cbc, org, group, "--with-voided") == [rid]
    shown = cbc.json(group, "show", org, rid)
    assert shown["voided_at"] == "2026-11-10T09:00:00+08:00"
    assert shown["voided_by"]["external_id"] == "C1"
    assert shown["void_reason"] == "录入错误"
    assert "作废原因" in cbc(group, "show", org, rid).out
    # voiding twice: wrong state, and nothing changes
    after = snapshot(cbc, org, group)
    res = cbc(group, "void", org, rid, "--reason", "again", "--as", "C1", expect=6)
    assert "already voided" in res.err
    assert snapshot(cbc, org, group) == after
    assert "已作废" in cbc(group, "list", org, "--with-voided").out


@pytest.mark.parametrize("group", GROUPS)
def test_void_json_prints_the_record(cbc, org, group):
    rid = ADD[group](cbc, org)
    doc = cbc.json(group, "void", org, rid, "--reason", "重复录入", "--as", "C1")
    assert doc["id"] == rid and doc["void_reason"] == "重复录入"
    assert doc == cbc.json(group, "show", org, rid)


@pytest.mark.parametrize("group", GROUPS)
def test_add_json_is_just_the_id(cbc, org, group):
    doc = ADD[group](cbc, org, "--json")
    assert list(doc) == ["id"] and isinstance(doc["id"], int)
    assert listed(cbc, org, group) == [doc["id"]]


@pytest.mark.parametrize("group", GROUPS)
def test_empty_listing(cbc, org, group):
    assert cbc(group, "list", org).out == ""
    doc = cbc.json(group, "list", org)
    assert list(doc) == LIST_KEYS + [PLURAL[group]]
    assert doc == {"unit": None, "period": None, "with_voided": False, "count": 0,
                   PLURAL[group]: []}


# ---------------------------------------------------------------------------
# Training sessions.

def test_training_add_and_show(cbc, org):
    tid = add_training(cbc, org, "--attendee", "B1", "--failed", "L1")
    assert tid == 1
    doc = cbc.json("training", "show", org, tid)
    assert list(doc) == TRAINING_SHOW
    assert list(doc["unit"]) == REF
    assert doc["kind"] == "all_staff" and doc["unit"]["external_id"] == "E1"
    assert doc["held_at"] == "2026-11-05T09:00:00+08:00"
    assert doc["recorded_at"] == "2026-11-10T09:00:00+08:00"
    assert doc["minutes"] == 90 and doc["title"] == "全员安全培训"
    assert [doc[k] for k in VOIDED] == [None, None, None]
    assert (doc["attendee_count"], doc["passed_count"]) == (3, 2)
    assert all(list(a) == ["employee", "passed"] and list(a["employee"]) == REF
               for a in doc["attendees"])
    assert {a["employee"]["external_id"]: a["passed"] for a in doc["attendees"]} == \
        {"A1": True, "B1": True, "L1": False}
    text = cbc("training", "show", org, tid).out
    for word in ["全员安全培训", "E1 济钢二厂", "2026-11-05 09:00", "90 分钟", "不合格", "王芳"]:
        assert word in text
    assert "作废" not in text


def test_training_kind_by_chinese_label_and_defaults(cbc, org):
    tid = int(cbc("training", "add", org, "--kind", "警示教育", "--unit", "T1", "--minutes", "30",
                  "--title", "事故案例", "--attendee", "A1").out)
    doc = cbc.json("training", "show", org, tid)
    assert doc["kind"] == "warning_education"
    assert doc["held_at"] == "2026-11-10T09:00:00+08:00"  # --held defaults to now
    listing = cbc("training", "list", org).out.splitlines()
    assert listing[0].split() == ["编号", "培训类型", "举办单位", "时间", "时长(分钟)", "标题", "作废"]
    assert "警示教育" in listing[1] and "T1 甲班" in listing[1]


def test_training_attendees_file(cbc, org, tmp_path):
    people = tmp_path / "attendees.txt"
    people.write_bytes("\ufeff# 签到表\nA1\r\n\nB1,failed\r\nL1\tpassed\n  D1 , 0 \n".encode())
    tid = add_training(cbc, org, "--attendees-file", people, attendees=())
    doc = cbc.json("training", "show", org, tid)
    assert {a["employee"]["external_id"]: a["passed"] for a in doc["attendees"]} == \
        {"A1": True, "B1": False, "L1": True, "D1": False}
    # from stdin, with options too
    res = cbc("training", "add", org, "--kind", "all_staff", "--unit", "E1", "--minutes", "45",
              "--title", "复训", "--attendee", "S1", "--attendees-file", "-", stdin="P1\n")
    doc = cbc.json("training", "show", org, int(res.out))
    assert sorted(a["employee"]["external_id"] for a in doc["attendees"]) == ["P1", "S1"]


def test_training_of_hundreds(cbc, org, tmp_path):
    """A session of hundreds comes from a file (repeated options stop at 64)."""
    rows = ["external_id,name,post,unit_external_id,roles,active,hire_date"]
    rows += [f"W{i:03d},工人{i},操作工,T1,worker,1,2020-01-01" for i in range(300)]
    hr = tmp_path / "more.csv"
    hr.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cbc("org", "import", org, "-", hr, "--incremental", "--quiet")
    people = tmp_path / "sign-in.txt"
    people.write_text("\n".join(f"W{i:03d}" for i in range(300)) + "\n", encoding="utf-8")
    tid = add_training(cbc, org, "--attendees-file", people, attendees=())
    doc = cbc.json("training", "show", org, tid)
    assert doc["attendee_count"] == 300 == doc["passed_count"]
    many = []
    for i in range(65):
        many += ["--attendee", f"W{i:03d}"]
    assert "too many" in add_training(cbc, org, *many, attendees=(), expect=2).err


def test_training_bad_input_changes_nothing(cbc, org, tmp_path):
    add_training(cbc, org)
    before = snapshot(cbc, org, "training")
    bad_file = tmp_path / "bad.txt"
    bad_file.write_text("A1\nB1,maybe\n", encoding="utf-8")
    unknown_file = tmp_path / "unknown.txt"
    unknown_file.write_text("A1\n\nZZ9\n", encoding="utf-8")
    cases = [
        (["--unit", "E9"], {}, 3),                        # unknown unit
        (["--unit", "R1/E1/W7"], {}, 3),                  # unknown path
        ([], {"attendees": ("Z9",)}, 3),                  # unknown attendee
        ([], {"attendees": ("X1",)}, 4),                  # another enterprise's employee
        ([], {"attendees": ("A1", "A1")}, 4),             # twice
        ([], {"attendees": ()}, 4),                       # nobody
        ([], {"held": "2026-11-11 09:00"}, 4),            # in the future
        ([], {"held": "yesterday"}, 4),                   # not a time
        (["--attendees-file", bad_file], {"attendees": ()}, 4),
        (["--attendees-file", unknown_file], {"attendees": ()}, 3),
        (["--attendees-file", tmp_path / "nope.txt"], {"attendees": ()}, 9),
    ]
    for extra, kw, code in cases:
        res = add_training(cbc, org, *extra, expect=code, **kw)
        assert res.out == "", (extra, kw)
    assert "unknown.txt, line 3: no employee with id 'ZZ9'" in \
        add_training(cbc, org, "--attendees-file", unknown_file, attendees=(), expect=3).err
    assert "bad.txt, line 2" in \
        add_training(cbc, org, "--attendees-file", bad_file, attendees=(), expect=4).err
    # a bad kind, length or title; a leader class for a worker
    base = ["training", "add", org, "--unit", "E1", "--attendee", "A1"]
    cbc(*base, "--kind", "bogus", "--minutes", "60", "--title", "t", expect=4)
    cbc(*base, "--kind", "all_staff", "--minutes", "0", "--title", "t", expect=4)
    cbc(*base, "--kind", "all_staff", "--minutes", "1441", "--title", "t", expect=4)
    cbc(*base, "--kind", "all_staff", "--minutes", "ninety", "--title", "t", expect=4)
    cbc(*base, "--kind", "all_staff", "--minutes", "60", "--title", "", expect=4)
    cbc(*base, "--kind", "leader_class", "--minutes", "60", "--title", "t", expect=4)
    # usage: required options, stray arguments
    cbc(*base, "--minutes", "60", "--title", "t", expect=2)
    cbc(*base, "--kind", "all_staff", "--title", "t", expect=2)
    cbc(*base, "--kind", "all_staff", "--minutes", "60", "extra", "--title", "t", expect=2)
    assert snapshot(cbc, org, "training") == before


def test_training_request_key(cbc, org):
    first = add_training(cbc, org, "--key", "签到-2026-11-05")
    assert add_training(cbc, org, "--key", "签到-2026-11-05") == first
    assert listed(cbc, org, "training") == [first]
    res = add_training(cbc, org, "--key", "签到-2026-11-05", attendees=("B1",), expect=7)
    assert res.err.startswith("cbc training add: conflict:")
    assert listed(cbc, org, "training") == [first]


def test_training_list_by_subtree_and_period(cbc, org):
    a = add_training(cbc, org, unit="E1", held="2026-11-05 09:00")
    b = add_training(cbc, org, unit="T1", held="2026-10-20 09:00")
    c = add_training(cbc, org, unit="E2", held="2026-11-01 00:00", attendees=("X1",))
    d = add_training(cbc, org, unit="R1", held="2026-09-30 23:59", attendees=("A1", "X1"))
    assert listed(cbc, org, "training") == [d, b, c, a]          # by time held
    assert listed(cbc, org, "training", "--unit", "E1") == [b, a]
    assert listed(cbc, org, "training", "--unit", "R1/E1/W1") == [b]
    assert listed(cbc, org, "training", "--unit", "R1") == [d, b, c, a]
    assert listed(cbc, org, "training", "--unit", "E2") == [c]
    assert listed(cbc, org, "training", "--period", "2026-11") == [c, a]
    assert listed(cbc, org, "training", "--period", "2026-10") == [b]
    assert listed(cbc, org, "training", "--period", "2026-Q4") == [b, c, a]
    assert listed(cbc, org, "training", "--period", "2026-Q3") == [d]
    assert listed(cbc, org, "training", "--period", "2026-11-01..2026-11-04") == [c]
    assert listed(cbc, org, "training", "--period", "2025") == []
    assert listed(cbc, org, "training", "--unit", "E1", "--period", "2026-11") == [a]
    doc = cbc.json("training", "list", org, "--unit", "E1", "--period", "2026-q4")
    assert list(doc) == LIST_KEYS + ["trainings"]
    assert doc["unit"]["external_id"] == "E1" and doc["period"] == "2026-Q4"
    assert doc["with_voided"] is False and doc["count"] == 2
    assert all(list(r) == TRAINING_ROW for r in doc["trainings"])
    cbc("training", "void", org, b, "--reason", "重复", "--as", "S1")
    assert listed(cbc, org, "training", "--unit", "E1") == [a]
    assert listed(cbc, org, "training", "--unit", "E1", "--with-voided") == [b, a]
    assert cbc.json("training", "list", org, "--with-voided")["with_voided"] is True


def test_training_void_by_authority(cbc, org):
    tid = add_training(cbc, org, unit="T1")
    cbc("training", "void", org, tid, "--reason", "x", "--as", "A1", expect=5)  # a worker
    cbc("training", "void", org, tid, "--reason", "x", "--as", "X1", expect=5)  # E2's leader
    cbc("training", "void", org, tid, "--reason", "x", "--as", "L1")            # T1's leader
    assert cbc("training", "void", org, tid, "--reason", "x", "--as", "S1", "--quiet",
               expect=6).out == ""


# ---------------------------------------------------------------------------
# Drills.

def test_drill_add_and_show(cbc, org):
    did = add_drill(cbc, org, teams=("T1", "R1/E1/W1/T2"))
    doc = cbc.json("drill", "show", org, did)
    assert list(doc) == DRILL_SHOW
    assert doc["unit"]["external_id"] == "E1" and doc["scenario"] == "煤气泄漏应急演练"
    assert doc["held_at"] == "2026-11-02T14:00:00+08:00"
    assert doc["team_count"] == 2 and all(list(t) == REF for t in doc["teams"])
    assert [t["external_id"] for t in doc["teams"]] == ["T1", "T2"]
    text = cbc("drill", "show", org, did).out
    assert "参演班组" in text and "T1 甲班" in text and "T2 乙班" in text


def test_drill_teams_from_a_file_and_all_teams(cbc, org, tmp_path):
    teams = tmp_path / "teams.txt"
    teams.write_text("# 参演班组\nT1\n\nT2\n", encoding="utf-8")
    did = add_drill(cbc, org, "--teams-file", teams, teams=())
    assert [t["external_id"] for t in cbc.json("drill", "show", org, did)["teams"]] == \
        ["T1", "T2"]
    did = add_drill(cbc, org, "--all-teams", unit="W1", teams=())
    got = [t["external_id"] for t in cbc.json("drill", "show", org, did)["teams"]]
    assert sorted(got) == ["O1", "T1", "T2"]  # O1: W1's office, a team of its own


def test_drill_bad_input_changes_nothing(cbc, org, tmp_path):
    add_drill(cbc, org)
    before = snapshot(cbc, org, "drill")
    bad = tmp_path / "teams.txt"
    bad.write_text("T1\nT9\n", encoding="utf-8")
    add_drill(cbc, org, unit="E9", expect=3)
    add_drill(cbc, org, teams=("T9",), expect=3)
    add_drill(cbc, org, teams=("T3",), expect=4)           # a team of another enterprise
    add_drill(cbc, org, unit="T1", teams=("T1",), expect=4)  # held by a team
    add_drill(cbc, org, teams=("T1", "T1"), expect=4)
    add_drill(cbc, org, teams=(), expect=4)
    add_drill(cbc, org, held="2027-01-01", expect=4)
    assert "teams.txt, line 2: no unit with id 'T9'" in \
        add_drill(cbc, org, "--teams-file", bad, teams=(), expect=3).err
    cbc("drill", "add", org, "--unit", "E1", "--team", "T1", expect=2)  # no scenario
    assert snapshot(cbc, org, "drill") == before


def test_drill_list_and_void(cbc, org):
    a = add_drill(cbc, org, unit="E1", held="2026-03-01")
    b = add_drill(cbc, org, unit="W1", held="2026-11-01", teams=("T2",))
    c = add_drill(cbc, org, unit="E2", held="2026-06-01", teams=("T3",))
    assert listed(cbc, org, "drill") == [a, c, b]
    assert listed(cbc, org, "drill", "--unit", "E1") == [a, b]
    assert listed(cbc, org, "drill", "--unit", "W1") == [b]
    assert listed(cbc, org, "drill", "--period", "2026-Q2") == [c]
    assert listed(cbc, org, "drill", "--unit", "E1", "--period", "2026") == [a, b]
    doc = cbc.json("drill", "list", org)
    assert all(list(r) == DRILL_ROW for r in doc["drills"])
    cbc("drill", "void", org, b, "--reason", "x", "--as", "X1", expect=5)
    cbc("drill", "void", org, b, "--reason", "演练未举行", "--as", "D1")  # W1's director
    assert listed(cbc, org, "drill", "--unit", "E1") == [a]
    assert listed(cbc, org, "drill", "--unit", "E1", "--with-voided") == [a, b]


# ---------------------------------------------------------------------------
# Cadre assignments.

def test_assign_add_show_release(cbc, org):
    aid = add_assign(cbc, org)
    doc = cbc.json("assign", "show", org, aid)
    assert list(doc) == ASSIGN_ROW
    assert list(doc["cadre"]) == REF and doc["cadre"]["external_id"] == "C1"
    assert doc["unit"]["external_id"] == "E1"
    assert doc["from"] == "2026-01-01T00:00:00+08:00" and doc["to"] is None
    assert "（未结束）" in cbc("assign", "show", org, aid).out
    res = cbc("assign", "release", org, aid, "--at", "2026-11-01")
    assert res.out == f"assignment {aid}: released\n"
    assert cbc.json("assign", "show", org, aid)["to"] == "2026-11-01T00:00:00+08:00"
    res = cbc("assign", "release", org, aid, expect=6)
    assert res.err.startswith("cbc assign release: wrong state:")
    cbc("assign", "release", org, 99, expect=3)
    # --json after a release: the assignment as it now is
    other = add_assign(cbc, org, unit="E2")
    doc = cbc.json("assign", "release", org, other)
    assert doc["id"] == other and doc["to"] == "2026-11-10T09:00:00+08:00"


def test_assign_bad_input_changes_nothing(cbc, org):
    aid = add_assign(cbc, org, start="2026-01-01")
    before = snapshot(cbc, org, "assign")
    add_assign(cbc, org, start="2026-06-01", expect=7)       # overlaps the open one
    add_assign(cbc, org, cadre="A1", expect=4)                # not a union cadre
    add_assign(cbc, org, cadre="Z9", expect=3)
    add_assign(cbc, org, unit="T1", expect=4)                 # not an enterprise or region
    add_assign(cbc, org, unit="E9", expect=3)
    add_assign(cbc, org, "--to", "2025-01-01", unit="E2", expect=4)  # inverted
    add_assign(cbc, org, "--to", "someday", unit="E2", expect=4)
    cbc("assign", "add", org, "--unit", "E1", expect=2)
    cbc("assign", "release", org, aid, "--at", "2025-06-01", expect=4)  # before its start
    assert snapshot(cbc, org, "assign") == before


def test_assign_request_key(cbc, org):
    first = add_assign(cbc, org, "--key", "包靠-E1")
    assert add_assign(cbc, org, "--key", "包靠-E1") == first
    add_assign(cbc, org, "--key", "包靠-E1", unit="E2", expect=7)
    assert listed(cbc, org, "assign") == [first]


def test_assign_list_by_overlap(cbc, org):
    a = add_assign(cbc, org, "--to", "2026-04-01", start="2026-01-01")
    b = add_assign(cbc, org, unit="E2", start="2026-03-01")
    c = add_assign(cbc, org, unit="R1", start="2026-10-15")
    assert listed(cbc, org, "assign") == [a, b, c]
    assert listed(cbc, org, "assign", "--period", "2026-Q1") == [a, b]
    assert listed(cbc, org, "assign", "--period", "2026-Q2") == [b]  # a ended on 04-01
    assert listed(cbc, org, "assign", "--period", "2026-11") == [b, c]
    assert listed(cbc, org, "assign", "--unit", "E1") == [a]
    assert listed(cbc, org, "assign", "--unit", "R1") == [a, b, c]
    assert all(list(r) == ASSIGN_ROW for r in cbc.json("assign", "list", org)["assignments"])
    cbc("assign", "void", org, a, "--reason", "x", "--as", "P1", expect=5)
    cbc("assign", "void", org, a, "--reason", "包靠录错", "--as", "C1")
    assert listed(cbc, org, "assign", "--unit", "E1") == []


# ---------------------------------------------------------------------------
# Supervision visits.

def test_visit_add_show_list(cbc, org, tmp_path):
    vid = add_visit(cbc, org)
    doc = cbc.json("visit", "show", org, vid)
    assert list(doc) == VISIT_ROW
    assert doc["cadre"]["external_id"] == "C1" and doc["unit"]["external_id"] == "E1"
    assert doc["visited_at"] == "2026-11-03T10:00:00+08:00"
    assert doc["findings"] == "消防通道堵塞"
    notes = tmp_path / "findings.txt"
    notes.write_text("一、消防通道堵塞\n二、配电箱未上锁\n", encoding="utf-8")
    other = int(cbc("visit", "add", org, "--cadre", "C1", "--unit", "T3", "--visited",
                    "2026-10-09", "--findings-file", notes).out)
    assert cbc.json("visit", "show", org, other)["findings"] == notes.read_text(encoding="utf-8")
    plain = int(cbc("visit", "add", org, "--cadre", "C1", "--unit", "E2").out)
    assert cbc.json("visit", "show", org, plain)["findings"] == ""
    assert listed(cbc, org, "visit") == [other, vid, plain]
    assert listed(cbc, org, "visit", "--unit", "E2") == [other, plain]
    assert listed(cbc, org, "visit", "--period", "2026-11-03..2026-11-03") == [vid]
    # a table row shows the first line of the findings, cut to about 40 columns
    rows = cbc("visit", "list", org).out.splitlines()
    assert len(rows) == 4 and "一、消防通道堵塞…" in rows[1] and "配电箱" not in rows[1]
    long = add_visit(cbc, org, "--findings", "隐" * 60, when="2026-11-04")
    row = [r for r in cbc("visit", "list", org).out.splitlines() if r.startswith(f"{long} ")]
    assert "隐" * 20 + "…" in row[0] and "隐" * 21 not in row[0]
    assert all(list(r) == VISIT_ROW for r in cbc.json("visit", "list", org)["visits"])


def test_visit_bad_input_and_who_voids(cbc, org):
    vid = add_visit(cbc, org)
    before = snapshot(cbc, org, "visit")
    add_visit(cbc, org, cadre="A1", expect=4)     # not a union cadre
    add_visit(cbc, org, cadre="Z9", expect=3)
    add_visit(cbc, org, unit="E9", expect=3)
    add_visit(cbc, org, when="2026-12-01", expect=4)
    add_visit(cbc, org, "--findings-file", "/dev/null", expect=2)  # both
    cbc("visit", "add", org, "--unit", "E1", expect=2)
    assert snapshot(cbc, org, "visit") == before
    first = add_visit(cbc, org, "--key", "督导-1103")
    assert add_visit(cbc, org, "--key", "督导-1103") == first
    add_visit(cbc, org, "--key", "督导-1103", unit="E2", expect=7)
    assert listed(cbc, org, "visit") == [vid, first]
    # a principal of the visited enterprise may not void a visit; the cadre who made it may
    cbc("visit", "void", org, vid, "--reason", "x", "--as", "P1", expect=5)
    cbc("visit", "void", org, first, "--reason", "重复", "--as", "C1")
    assert listed(cbc, org, "visit") == [vid]


# ---------------------------------------------------------------------------
# Proposals.

def test_proposal_add_decide_show(cbc, org):
    pid = add_proposal(cbc, org)
    doc = cbc.json("proposal", "show", org, pid)
    assert list(doc) == PROPOSAL_ROW
    assert doc["proposer"]["external_id"] == "A1"
    assert doc["unit"]["external_id"] == "T1"     # the proposer's own team by default
    assert doc["status"] == "submitted" and doc["submitted_at"] == "2026-11-10T09:00:00+08:00"
    assert doc["decided_by"] is None and doc["decided_at"] is None and doc["note"] is None
    # usage: exactly one of --adopt and --reject, and an actor
    cbc("proposal", "decide", org, pid, "--as", "P1", expect=2)
    cbc("proposal", "decide", org, pid, "--adopt", "--reject", "--as", "P1", expect=2)
    cbc("proposal", "decide", org, pid, "--adopt", expect=2)
    # another enterprise's principal may not
    res = cbc("proposal", "decide", org, pid, "--adopt", "--as", "P2", expect=5)
    assert res.err.startswith("cbc proposal decide: not permitted:")
    assert cbc.json("proposal", "show", org, pid) == doc
    res = cbc("proposal", "decide", org, pid, "--adopt", "--as", "P1", "--note", "下月实施")
    assert res.out == f"proposal {pid}: adopted\n"
    doc = cbc.json("proposal", "show", org, pid)
    assert doc["status"] == "adopted" and doc["decided_by"]["external_id"] == "P1"
    assert doc["note"] == "下月实施" and doc["decided_at"] == "2026-11-10T09:00:00+08:00"
    assert "已采纳" in cbc("proposal", "show", org, pid).out
    cbc("proposal", "decide", org, pid, "--reject", "--as", "P1", expect=6)
    cbc("proposal", "decide", org, 99, "--reject", "--as", "P1", expect=3)
    other = add_proposal(cbc, org, "--unit", "W1", who="B1")
    doc = cbc.json("proposal", "decide", org, other, "--reject", "--as", "C1")
    assert doc["status"] == "not_adopted" and doc["unit"]["external_id"] == "W1"


def test_proposal_text_file_and_bad_input(cbc, org, tmp_path):
    body = tmp_path / "idea.txt"
    body.write_text("一、问题\n二、办法\n", encoding="utf-8")
    pid = int(cbc("proposal", "add", org, "--as", "B1", "--title", "改进",
                  "--text-file", body).out)
    assert cbc.json("proposal", "show", org, pid)["text"] == "一、问题\n二、办法\n"
    before = snapshot(cbc, org, "proposal")
    add_proposal(cbc, org, who="Z9", expect=3)
    add_proposal(cbc, org, "--unit", "E9", expect=3)
    add_proposal(cbc, org, "--text-file", body, expect=2)              # both texts
    cbc("proposal", "add", org, "--title", "t", "--text", "x", expect=2)  # no --as
    cbc("proposal", "add", org, "--as", "A1", "--text", "x", expect=2)    # no title
    cbc("proposal", "add", org, "--as", "A1", "--title", "", "--text", "x", expect=4)
    cbc("proposal", "add", org, "--as", "A1", "--title", "t", "--text-file",
        tmp_path / "nope.txt", expect=9)
    assert snapshot(cbc, org, "proposal") == before
    first = add_proposal(cbc, org, "--key", "金点子-7")
    assert add_proposal(cbc, org, "--key", "金点子-7") == first
    add_proposal(cbc, org, "--key", "金点子-7", who="B1", expect=7)


def test_proposal_list_and_void(cbc, org):
    a = add_proposal(cbc, org, now="2026-10-12 10:00")
    b = add_proposal(cbc, org, who="X1", now="2026-11-02 10:00")
    c = add_proposal(cbc, org, "--unit", "E1", who="S1")
    assert listed(cbc, org, "proposal") == [a, b, c]
    assert listed(cbc, org, "proposal", "--unit", "E1") == [a, c]
    assert listed(cbc, org, "proposal", "--unit", "T3") == [b]
    assert listed(cbc, org, "proposal", "--period", "2026-11") == [b, c]
    rows = cbc("proposal", "list", org).out.splitlines()
    assert rows[0].split() == ["编号", "提出人", "涉及单位", "提出时间", "标题", "状态", "作废"]
    assert "A1 王芳" in rows[1] and SUBMITTED_LABEL in rows[1]
    # the proposer may void a proposal not yet decided; not once decided
    cbc("proposal", "void", org, a, "--reason", "撤回", "--as", "A1")
    cbc("proposal", "decide", org, c, "--adopt", "--as", "P1")
    cbc("proposal", "void", org, c, "--reason", "撤回", "--as", "S1")  # S1: E1's safety officer
    assert listed(cbc, org, "proposal") == [b]
    assert listed(cbc, org, "proposal", "--with-voided") == [a, b, c]
