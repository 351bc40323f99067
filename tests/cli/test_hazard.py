"""cbc hazard, cbc ledger, cbc sweep: the lifecycle from the command line."""
import sqlite3

import pytest

HAZARD_KEYS = {
    "id", "state", "title", "description", "location", "unit", "enterprise", "reporter",
    "kind", "category", "check_item", "source", "proposed_severity", "severity", "level",
    "resolved_level", "observed_at", "reported_at", "five_items", "plan", "listing",
    "extension_pending", "extension_requested_deadline", "reject_reason", "duplicate_of",
    "reopen_count", "last_note", "closed_at", "updated_at", "attachments"}
FIVE_ITEMS_KEYS = {"responsible", "measures", "funds_fen", "deadline", "original_deadline",
                   "contingency_plan"}
REF_KEYS = {"id", "external_id", "name"}

PLAN = ["--plan-goals", "更换防护", "--plan-methods", "停机更换", "--plan-funds", "8万元",
        "--plan-responsible", "设备科", "--plan-time-limit", "2026-12-20",
        "--plan-safety", "专人监护"]


def report(cbc, db, title="配电箱门未关闭", unit="T1", who="A1", *extra, now=None):
    args = ["hazard", "report", db, "--unit", unit, "--title", title, "--kind", "hard",
            "--check", "equipment_guarding", *extra]
    if who:
        args += ["--as", who]
    kw = {"now": now} if now else {}
    return int(cbc(*args, **kw).out.split()[0])


def register(cbc, db, hid, who="L1", level="team", severity="general", *extra, **kw):
    return cbc("hazard", "register", db, hid, "--severity", severity, "--level", level,
               "--measures", "关门上锁", "--funds", "120.50", "--deadline", "2026-11-20",
               "--contingency", "设置警示带", "--as", who, *extra, **kw)


def show(cbc, db, hid):
    return cbc.json("hazard", "show", db, hid)


@pytest.fixture
def registered(cbc, org):
    hid = report(cbc, org)
    register(cbc, org, hid)
    return hid


def test_full_lifecycle_and_show_shape(cbc, org):
    hid = report(cbc, org, "配电箱门未关闭", "T1", "A1", "--description", "线路裸露",
                 "--location", "二号配电箱")
    h = show(cbc, org, hid)
    assert set(h) == HAZARD_KEYS | {"penalty"}  # show adds the penalty, null when none
    assert h["penalty"] is None
    assert h["state"] == "reported" and h["five_items"] is None
    assert set(h["unit"]) == REF_KEYS and h["unit"]["external_id"] == "T1"
    assert h["enterprise"]["external_id"] == "E1" and h["reporter"]["external_id"] == "A1"
    assert h["reported_at"] == "2026-11-10T09:00:00+08:00"
    assert (h["kind"], h["category"], h["source"]) == ("hard", "safety", "self_check")

    register(cbc, org, hid, now="2026-11-10 10:00")
    h = show(cbc, org, hid)
    assert h["state"] == "registered" and h["level"] == "team"
    assert set(h["five_items"]) == FIVE_ITEMS_KEYS
    assert h["five_items"]["funds_fen"] == 12050
    assert h["five_items"]["deadline"] == "2026-11-20T23:59:59+08:00"
    assert h["five_items"]["responsible"]["external_id"] == "L1"

    cbc("hazard", "start", org, hid, "--as", "L1", now="2026-11-11 08:00")
    cbc("hazard", "submit", org, hid, "--as", "L1", "--note", "已上锁", now="2026-11-12 08:00")
    assert show(cbc, org, hid)["state"] == "pending_verification"
    # the submitter may not verify his own work
    cbc("hazard", "verify", org, hid, "--pass", "--as", "L1", expect=5)
    cbc("hazard", "verify", org, hid, "--fail", "--note", "未上锁", "--as", "D1",
        now="2026-11-12 09:00")
    h = show(cbc, org, hid)
    assert h["state"] == "rectifying" and h["reopen_count"] == 1
    cbc("hazard", "submit", org, hid, "--as", "L1", "--note", "已加锁", now="2026-11-13 08:00")
    cbc("hazard", "verify", org, hid, "--pass", "--note", "验收合格", "--as", "D1",
        now="2026-11-13 09:00")
    h = show(cbc, org, hid)
    assert h["state"] == "closed" and h["closed_at"] == "2026-11-13T09:00:00+08:00"
    assert h["resolved_level"] == "team"

    hist = cbc.json("hazard", "history", org, hid)
    assert set(hist) == {"hazard_id", "events"} and hist["hazard_id"] == hid
    assert [e["action"] for e in hist["events"]] == [
        "report", "register", "start", "submit", "verify_fail", "submit", "verify_pass"]
    assert set(hist["events"][0]) == {"id", "at", "actor", "action", "from_state",
                                      "to_state", "level", "data"}
    assert hist["events"][0]["data"]["title"] == "配电箱门未关闭"

    ans = cbc.json("hazard", "answer", org, hid, "--as", "A1")
    assert set(ans) == {"hazard_id", "state", "title", "answer", "updated_at"}
    assert ans["state"] == "closed" and "验收合格" in ans["answer"]
    cbc("hazard", "answer", org, hid, "--as", "B1", expect=5)  # not his report
    # a review finds it back
    cbc("hazard", "reopen", org, hid, "--reason", "回头看发现反弹", "--as", "S1",
        now="2026-11-20 09:00")
    assert show(cbc, org, hid)["state"] == "rectifying"


def test_text_output_is_readable(cbc, org, registered):
    out = cbc("hazard", "show", org, registered).out
    assert "已登记" in out and "配电箱门未关闭" in out and "120.50 元" in out
    hist = cbc("hazard", "history", org, registered).out
    assert "上报" in hist and "登记" in hist
    # the history's data for people: names and labels, never internal ids
    assert "措施" in hist and "120.50 元" in hist and "_id" not in hist
    assert "responsible" not in hist and "{" not in hist


def test_anonymous_tipoff_and_its_key(cbc, org):
    res = cbc.json("hazard", "report", org, "--unit", "T2", "--title", "叉车超速",
                   "--kind", "soft", "--check", "standard_operation", "--anonymous")
    assert set(res) == {"id", "followup_key"} and len(res["followup_key"]) == 32
    assert show(cbc, org, res["id"])["source"] == "hotline"
    ans = cbc.json("hazard", "answer", org, "--key", res["followup_key"])
    assert ans["state"] == "reported" and ans["answer"] == ""
    cbc("hazard", "answer", org, "--key", "0" * 32, expect=3)
    cbc("hazard", "answer", org, "--key", res["followup_key"], "--as", "A1", expect=2)
    cbc("hazard", "report", org, "--unit", "T2", "--title", "x", "--kind", "soft",
        "--check", "rules", "--anonymous", "--as", "A1", expect=2)


def test_fixed_on_the_spot_waits_for_verification(cbc, org, tmp_path):
    photo = tmp_path / "after.png"
    photo.write_bytes(b"\x89PNG" + b"y" * 10)
    res = cbc.json("hazard", "report", org, "--unit", "T1", "--title", "地面油污",
                   "--kind", "soft", "--check", "fixed_position", "--fixed", "已清理",
                   "--attach", photo, "--as", "A1")
    h = show(cbc, org, res["id"])
    assert h["state"] == "pending_verification" and res["followup_key"] is None
    assert h["level"] == "individual" and h["attachments"][0]["stage"] == "rectification"
    cbc("hazard", "verify", org, res["id"], "--pass", "--as", "A1", expect=5)
    cbc("hazard", "verify", org, res["id"], "--pass", "--as", "L1")
    assert show(cbc, org, res["id"])["state"] == "closed"


def test_attachment_is_hashed(cbc, org, tmp_path):
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    hid = report(cbc, org, "护栏松动", "T1", "A1", "--attach", photo)
    att = show(cbc, org, hid)["attachments"]
    assert len(att) == 1
    import hashlib
    assert att[0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert att[0]["size"] == 1003 and att[0]["media_type"] == "image/jpeg"
    assert att[0]["uri"].startswith("file:///") and att[0]["stage"] == "report"
    cbc("hazard", "report", org, "--unit", "T1", "--title", "x", "--kind", "hard",
        "--check", "rules", "--attach", tmp_path / "missing.jpg", "--as", "A1", expect=9)
    assert cbc.json("ledger", org, "--count")["total"] == 1


def test_request_key_makes_a_retry_safe(cbc, org):
    a = report(cbc, org, "护栏松动", "T1", "A1", "--key", "req-1")
    b = report(cbc, org, "护栏松动", "T1", "A1", "--key", "req-1")
    assert a == b
    assert cbc.json("ledger", org, "--count")["total"] == 1
    cbc("hazard", "report", org, "--unit", "T1", "--title", "另一个", "--kind", "hard",
        "--check", "rules", "--key", "req-1", "--as", "A1", expect=7)


def test_major_hazard_listed_extended_and_planned(cbc, org):
    hid = report(cbc, org, "天车钢丝绳断丝", "W1", "A1", "--severity", "major")
    # a major hazard without its plan is refused, and nothing changes
    register(cbc, org, hid, "S1", "enterprise", "major", expect=4)
    assert show(cbc, org, hid)["state"] == "reported"
    register(cbc, org, hid, "S1", "enterprise", "major", *PLAN)
    h = show(cbc, org, hid)
    assert h["severity"] == "major" and h["plan"]["goals"] == "更换防护"
    assert h["plan"]["time_limit"] == "2026-12-20T23:59:59+08:00"
    cbc("hazard", "list", org, hid, "--authority", "历下区应急管理局", "--document",
        "历应急督〔2026〕7号", "--as", "I1")
    assert show(cbc, org, hid)["listing"]["listed"] is True
    cbc("ledger", org, "--listed", "--count").out.strip() == "1"
    # only a bureau inspector lists
    cbc("hazard", "list", org, hid, "--authority", "a", "--document", "b", "--as", "S1",
        expect=6)
    resp = show(cbc, org, hid)["five_items"]["responsible"]["external_id"]
    cbc("hazard", "start", org, hid, "--as", resp)
    cbc("hazard", "extend", org, hid, "--deadline", "2026-12-31", "--reason", "备件未到",
        "--as", resp)
    assert show(cbc, org, hid)["extension_pending"] is True
    cbc("hazard", "decide", org, hid, "--approve", "--refuse", "--as", "I1", expect=2)
    cbc("hazard", "decide", org, hid, "--approve", "--as", "I1")
    h = show(cbc, org, hid)
    assert h["five_items"]["deadline"] == "2026-12-31T23:59:59+08:00"
    cbc("hazard", "plan", org, hid, "--as", "S1", *PLAN[:2], "--plan-methods", "更换钢丝绳",
        *PLAN[4:])
    assert show(cbc, org, hid)["plan"]["methods"] == "更换钢丝绳"


def test_escalate_and_reject(cbc, org, registered):
    cbc("hazard", "escalate", org, registered, "--reason", "班组无法解决", "--as", "L1")
    h = show(cbc, org, registered)
    assert h["level"] == "workshop"
    assert h["five_items"]["responsible"]["external_id"] == "D1"
    other = report(cbc, org, "护栏松动(重复)", "T1", "B1")
    cbc("hazard", "reject", org, other, "--duplicate-of", registered, "--as", "L1")
    h = show(cbc, org, other)
    assert h["state"] == "rejected" and h["duplicate_of"] == registered
    third = report(cbc, org, "不是隐患", "T1", "A1")
    cbc("hazard", "reject", org, third, "--reason", "经核实不属于隐患", "--as", "L1")
    assert show(cbc, org, third)["reject_reason"] == "经核实不属于隐患"
    cbc("hazard", "start", org, third, "--as", "L1", expect=6)  # rejected is final


def test_amend_is_a_move_in_history(cbc, org, registered):
    cbc("hazard", "amend", org, registered, "--funds", "300", "--kind", "soft",
        "--reason", "登记时资金填错", "--as", "L1", now="2026-11-10 11:00")
    h = show(cbc, org, registered)
    assert h["five_items"]["funds_fen"] == 30000 and h["kind"] == "soft"
    events = cbc.json("hazard", "history", org, registered)["events"]
    assert events[-1]["action"] == "amend"
    cbc("hazard", "amend", org, registered, "--reason", "无", "--as", "L1", expect=2)
    cbc("hazard", "amend", org, registered, "--funds", "1", "--reason", "x", "--as", "X1",
        expect=5)  # another enterprise's team leader
    assert show(cbc, org, registered)["five_items"]["funds_fen"] == 30000


def test_actor_rules_and_bad_input(cbc, org, registered, tmp_path):
    # another enterprise's employee may not move this hazard: nothing changes
    before = show(cbc, org, registered)
    cbc("hazard", "start", org, registered, "--as", "X1", expect=5)
    assert show(cbc, org, registered) == before
    cbc("hazard", "start", org, registered, expect=2)            # no --as
    cbc("hazard", "start", org, registered, "--as", "NOBODY", expect=3)
    cbc("hazard", "start", org, 999, "--as", "L1", expect=3)
    cbc("hazard", "start", org, "abc", "--as", "L1", expect=4)
    cbc("hazard", "submit", org, registered, "--as", "L1", expect=6)  # not started
    cbc("hazard", "report", org, "--unit", "NOWHERE", "--title", "x", "--kind", "hard",
        "--check", "rules", "--as", "A1", expect=3)
    cbc("hazard", "report", org, "--unit", "T1", "--title", "x", "--kind", "metal",
        "--check", "rules", "--as", "A1", expect=4)
    cbc("hazard", "report", org, "--unit", "T1", "--title", "x", "--kind", "hard",
        "--check", "rules", "--as", "A1", "--observed", "2026-13-01", expect=4)
    cbc("hazard", "report", org, "--unit", "T1", "--kind", "hard", "--check", "rules",
        "--as", "A1", expect=2)  # no title
    register(cbc, org, registered, expect=6)  # already registered
    cbc("hazard", "register", org, registered, "--severity", "general", "--level", "team",
        "--measures", "m", "--funds", "12.345", "--deadline", "+7d", "--contingency", "c",
        "--as", "L1", expect=4)
    cbc("hazard", "frobnicate", org, expect=2)
    cbc("hazard", "start", org, registered, "--as", "L1", "--bogus", expect=2)
    # not a libcbc database; no database at all
    junk = tmp_path / "junk.db"
    junk.write_text("name,phone\n张三,123\n" * 100)
    cbc("hazard", "show", junk, 1, expect=9)
    cbc("ledger", tmp_path / "missing.db", expect=3)
    assert not (tmp_path / "missing.db").exists()
    assert show(cbc, org, registered) == before


def test_help_everywhere(cbc):
    top = cbc("--help", now=None).out
    for word in ("hazard", "ledger", "sweep", "check", "demo", "init"):
        assert word in top
    assert "report" in cbc("hazard", "--help", now=None).out
    for sub in ("report", "register", "start", "escalate", "list", "extend", "decide",
                "plan", "submit", "verify", "reopen", "reject", "amend", "penalty", "show",
                "history", "answer"):
        assert cbc("hazard", sub, "--help", now=None).out.startswith("usage: cbc hazard " + sub)
    assert cbc("ledger", "--help", now=None).out.startswith("usage: cbc ledger")
    assert cbc(now=None, expect=2).err
    assert cbc("nonsense", now=None, expect=2).err
    # --help never creates or opens anything
    assert cbc("init", "--help", now=None).out.startswith("usage: cbc init")


def test_init_twice_and_version(cbc, tmp_path):
    path = tmp_path / "x.db"
    first = cbc.json("init", path)
    second = cbc.json("init", path)
    assert first["created"] is True and second["created"] is False
    assert first["schema_version"] == second["schema_version"] > 0
    v = cbc.json("version")
    assert set(v) == {"library", "major", "minor", "patch"}
    junk = tmp_path / "junk"
    junk.write_text("hello")
    cbc("init", junk, expect=9)
    assert junk.read_text() == "hello"


# ------------------------------------------------------------------ ledger

@pytest.fixture
def ledger(cbc, org):
    """Twelve hazards across E1 and E2 over three days, in several states."""
    ids = []
    titles = ["配电箱门未关闭", "消防通道堆放杂物", "电焊机接地线破损", "安全帽佩戴不规范"]
    for i in range(12):
        unit, who = [("T1", "A1"), ("T2", "B1"), ("T3", "X1")][i % 3]
        day = 3 + i // 4
        ids.append(report(cbc, org, f"{titles[i % 4]}{i}", unit, who,
                          now=f"2026-11-0{day} 09:{i:02d}"))
    who = {"T1": ("L1", "team"), "T2": ("D1", "workshop"), "T3": ("X1", "team")}
    for hid in ids[:6]:
        actor, level = who[show(cbc, org, hid)["unit"]["external_id"]]
        register(cbc, org, hid, actor, level, now="2026-11-07 10:00")
    return ids


def test_ledger_filters(cbc, org, ledger):
    j = cbc.json("ledger", org)
    assert set(j) == {"total", "hazards", "next_cursor"}
    assert j["total"] == 12 and [h["id"] for h in j["hazards"]] == ledger
    assert set(j["hazards"][0]) == HAZARD_KEYS
    assert cbc.json("ledger", org, "--unit", "E2")["total"] == 4
    assert cbc.json("ledger", org, "--unit", "R1/E1/W1")["total"] == 8
    assert cbc.json("ledger", org, "--state", "registered")["total"] == 6
    assert cbc.json("ledger", org, "--open")["total"] == 6
    assert cbc.json("ledger", org, "--state", "reported", "--state", "registered")["total"] == 12
    assert cbc.json("ledger", org, "--state", "已上报")["total"] == 6
    assert cbc.json("ledger", org, "--period", "2026-11-03..2026-11-03")["total"] == 4
    assert cbc.json("ledger", org, "--period", "2026-10")["total"] == 0
    assert cbc.json("ledger", org, "--reporter", "B1")["total"] == 4
    assert cbc.json("ledger", org, "--search", "配电箱")["total"] == 3
    assert cbc.json("ledger", org, "--search", "电焊")["total"] == 3
    assert cbc.json("ledger", org, "--overdue", now="2026-11-25 00:00")["total"] == 6
    assert cbc.json("ledger", org, "--overdue", now="2026-11-15 00:00")["total"] == 0
    assert cbc("ledger", org, "--count", "--unit", "T3").out.strip() == "4"
    assert cbc.json("ledger", org, "--severity", "major")["total"] == 0


def test_ledger_bad_input(cbc, org, ledger):
    cbc("ledger", org, "--unit", "NOWHERE", expect=3)
    cbc("ledger", org, "--period", "2026-13", expect=4)
    cbc("ledger", org, "--period", "2026-11-15..2026-11-01", expect=4)
    cbc("ledger", org, "--state", "lost", expect=4)
    cbc("ledger", org, "--sort", "size", expect=2)
    cbc("ledger", org, "--limit", "-1", expect=4)
    cbc("ledger", org, "--after", "garbage", expect=4)
    cbc("ledger", org, "--overdue-at", "2026-11-20", expect=2)


def test_ledger_paging_is_stable_while_hazards_are_added(cbc, org, ledger):
    first = cbc.json("ledger", org, "--limit", "5", "--desc")
    assert [h["id"] for h in first["hazards"]] == ledger[::-1][:5]
    assert first["next_cursor"]
    report(cbc, org, "新的隐患", "T1", "A1")  # arrives between two pages
    seen = [h["id"] for h in first["hazards"]]
    cursor = first["next_cursor"]
    while cursor:
        page = cbc.json("ledger", org, "--limit", "5", "--desc", "--after", cursor)
        seen += [h["id"] for h in page["hazards"]]
        cursor = page["next_cursor"]
    assert seen == ledger[::-1]
    # a cursor of another order is refused
    cbc("ledger", org, "--limit", "5", "--after", first["next_cursor"], expect=4)
    by_deadline = cbc.json("ledger", org, "--sort", "deadline", "--open", "--limit", "0")
    assert len(by_deadline["hazards"]) == 6 and by_deadline["next_cursor"] is None


def test_ledger_text(cbc, org, ledger):
    res = cbc("ledger", org, "--limit", "3")
    lines = res.out.splitlines()
    assert lines[0].split()[:3] == ["编号", "状态", "等级"] and len(lines) == 4
    assert "--after" in res.err and "12 hazard(s)" in res.err


def test_sweep_finds_and_escalates_overdue(cbc, org, ledger):
    j = cbc.json("sweep", org, "--at", "2026-11-25")
    assert set(j) == {"overdue", "escalated", "escalated_count"}
    assert sorted(j["overdue"]) == ledger[:6]
    assert j["escalated"] is False and j["escalated_count"] == 0
    assert show(cbc, org, ledger[0])["level"] == "team"
    res = cbc("sweep", org, "--escalate", "--batch", "4", "--progress", now="2026-11-25 00:00")
    assert res.err.splitlines()[:2] == ["swept 4 of 6, escalated 4", "swept 6 of 6, escalated 6"]
    assert "6 overdue hazard(s), 6 escalated" in res.err
    assert show(cbc, org, ledger[0])["level"] == "workshop"
    # once per lapse: a second sweep of the same lapse escalates nobody
    j = cbc.json("sweep", org, "--escalate", now="2026-11-26 00:00")
    assert len(j["overdue"]) == 6 and j["escalated_count"] == 0
    assert show(cbc, org, ledger[0])["level"] == "workshop"
    assert cbc.json("sweep", org, now="2026-11-01 00:00")["overdue"] == []


def test_sweep_bad_input(cbc, org, ledger):
    for bad in ("0", "-1", "x", "1000001"):
        cbc("sweep", org, "--escalate", "--batch", bad, expect=4)
    cbc("sweep", org, "--at", "yesterday-ish", expect=4)
    assert show(cbc, org, ledger[0])["level"] == "team"  # nothing changed


# ------------------------------------------------------------------ check

def test_check_clean_and_damaged(cbc, org, ledger):
    j = cbc.json("check", org)
    assert set(j) == {"ok", "hazards_checked", "forms_compared", "findings"}
    assert j["ok"] is True and j["hazards_checked"] == 12 and j["findings"] == []
    con = sqlite3.connect(org)
    con.execute("UPDATE hazards SET state = 5 WHERE id = ?", (ledger[0],))
    con.commit()
    con.close()
    res = cbc("check", org, "--json", expect=1)
    findings = res.json()["findings"]
    assert any(f["kind"] == "history" and f["object_id"] == ledger[0] for f in findings)
    assert cbc("check", org, "--stats", expect=None).code in (0, 1)
    cbc("check", org, "--histories", expect=1)


def test_check_not_a_database(cbc, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 50)
    cbc("check", junk, expect=9)
