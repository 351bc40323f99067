"""cbc policy preset, cbc policy set --preset, cbc hazard penalty and the
penalty in cbc hazard show: the whistle-blower reward (docs/rewards.md, "The
whistle-blower reward as the national rule") from the command line, on the
small organisation of conftest.py (I1 is the district's bureau inspector)."""
import json

import pytest

PRESET = "whistleblower_2018"
PLAN = ["--plan-goals", "更换钢丝绳", "--plan-methods", "停机更换", "--plan-funds", "8万元",
        "--plan-responsible", "设备科", "--plan-time-limit", "2026-12-20",
        "--plan-safety", "专人监护"]
DOCUMENT = "历应急罚〔2026〕3号"
PENALTY_KEYS = {"hazard_id", "amount_fen", "document", "recorded_by", "recorded_at"}


def show(cbc, db, hid, **kw):
    return cbc.json("hazard", "show", db, hid, **kw)


def report(cbc, db, unit="T1", who="A1"):
    return int(cbc("hazard", "report", db, "--unit", unit, "--title", "护栏缺失",
                   "--kind", "hard", "--check", "equipment_guarding", "--as", who).out)


def registered(cbc, db):
    """A general hazard of E1's team T1, registered at team level."""
    hid = report(cbc, db)
    cbc("hazard", "register", db, hid, "--severity", "general", "--level", "team",
        "--measures", "加装护栏", "--deadline", "2026-11-20", "--contingency", "警示带",
        "--as", "L1", now="2026-11-10 10:00")
    return hid


def penalty(cbc, db, hid, *args, amount="30000", document=DOCUMENT, who="I1", **kw):
    return cbc("hazard", "penalty", db, hid, "--amount", amount, "--document", document,
               "--as", who, *args, **kw)


# ---------------------------------------------------------------- the preset

def test_preset_printed_is_what_set_stores(cbc, org, tmp_path):
    r = cbc("policy", "preset", PRESET)
    assert r.err == ""
    doc = json.loads(r.out)
    assert doc["rules"]["hotline_tip"] == {"amount_fen": 0, "percent_of_fine": 15,
                                           "min_fen": 300000, "max_fen": 30000000,
                                           "major_only": True}
    # the rest is the built-in defaults
    defaults = cbc.json("policy", "get", org, "--defaults")["policy"]
    assert doc != defaults
    assert {k: v for k, v in doc["rules"].items() if k != "hotline_tip"} == \
        {k: v for k, v in defaults["rules"].items() if k != "hotline_tip"}
    assert cbc.json("policy", "preset", PRESET) == {"preset": PRESET, "policy": doc}
    # printed to a file and set: stored as printed, byte for byte
    path = tmp_path / "p.json"
    path.write_text(r.out, encoding="utf-8")
    assert cbc("policy", "set", org, path, "--as", "C1").out == "2\n"
    assert cbc("policy", "get", org, "--quiet").out == r.out
    assert cbc.json("policy", "get", org) == {"version": 2, "policy": doc}


def test_policy_set_preset(cbc, org, tmp_path):
    preset = cbc("policy", "preset", PRESET).out
    assert cbc.json("policy", "set", org, "--preset", PRESET, "--as", "C1") == {"version": 2}
    assert cbc("policy", "get", org, "--quiet").out == preset
    assert cbc("policy", "set", org, "--preset=" + PRESET, "--as", "C1").out == "3\n"
    assert cbc.json("policy", "get", org)["version"] == 3


def test_policy_preset_refusals_change_nothing(cbc, org, tmp_path):
    good = tmp_path / "good.json"
    good.write_text("{}")
    before = cbc.json("policy", "get", org)
    # an unknown preset: the library's message, not found
    r = cbc("policy", "preset", "whistleblower_2019", expect=3)
    assert r.out == "" and "no policy preset 'whistleblower_2019'" in r.err
    assert PRESET in r.err
    r = cbc("policy", "set", org, "--preset", "nope", "--as", "C1", expect=3)
    assert r.out == "" and "no policy preset 'nope'" in r.err
    # exactly one of FILE and --preset; the cadre sets it
    r = cbc("policy", "set", org, good, "--preset", PRESET, "--as", "C1", expect=2)
    assert "exactly one of FILE and --preset" in r.err
    cbc("policy", "set", org, "--as", "C1", expect=2)
    cbc("policy", "set", org, "--preset", PRESET, expect=2)                    # no --as
    cbc("policy", "set", org, "--preset", PRESET, "--as", "P1", expect=5)      # a principal
    cbc("policy", "set", org, "--preset", PRESET, "--as", "nobody", expect=3)
    assert cbc.json("policy", "get", org) == before
    cbc("policy", "preset", expect=2)                                          # no NAME
    cbc("policy", "preset", PRESET, "extra", expect=2)
    cbc("policy", "preset", PRESET, "--as", "C1", expect=2)                    # no such option


def test_preset_help(cbc):
    assert "  preset " in cbc("policy", "--help", now=None).out
    usage = cbc("policy", "preset", "--help", now=None).out
    assert usage.startswith("usage: cbc policy preset NAME") and PRESET in usage
    assert "--preset NAME" in cbc("policy", "set", "--help", now=None).out
    assert "  penalty " in cbc("hazard", "--help", now=None).out
    usage = cbc("hazard", "penalty", "--help", now=None).out
    assert usage.startswith("usage: cbc hazard penalty DB HAZARD --amount YUAN")
    assert "penalty" in cbc("hazard", "show", "--help", now=None).out


# ---------------------------------------------------------------- the penalty

def test_penalty_recorded_and_shown(cbc, org):
    hid = registered(cbc, org)
    h = show(cbc, org, hid)
    assert h["penalty"] is None
    assert "行政处罚" not in cbc("hazard", "show", org, hid).out
    r = penalty(cbc, org, hid, amount="12000.50", now="2026-11-12 10:00")
    assert r.out == f"hazard {hid}: penalty recorded (12000.50 元, {DOCUMENT})\n"
    p = show(cbc, org, hid)["penalty"]
    assert set(p) == PENALTY_KEYS
    assert p["hazard_id"] == hid and p["amount_fen"] == 1200050 and p["document"] == DOCUMENT
    assert p["recorded_by"]["external_id"] == "I1" and p["recorded_by"]["name"] == "高峰"
    assert p["recorded_at"] == "2026-11-12T10:00:00+08:00"
    text = cbc("hazard", "show", org, hid).out
    assert f"行政处罚  12000.50 元  {DOCUMENT}\n" in text
    assert "处罚录入  高峰 (I1)  2026-11-12 10:00\n" in text
    # the rest of the hazard is as it was; a move's --json carries it too
    assert {k: v for k, v in show(cbc, org, hid).items() if k != "penalty"} == \
        {k: v for k, v in h.items() if k != "penalty"}
    moved = cbc.json("hazard", "start", org, hid, "--as", "L1")
    assert moved["state"] == "rectifying" and moved["penalty"] == p


def test_penalty_json_and_quiet(cbc, org):
    first, second = registered(cbc, org), registered(cbc, org)
    j = cbc.json("hazard", "penalty", org, first, "--amount", "800", "--document", "罚1",
                 "--as", "I1")
    assert j == show(cbc, org, first)["penalty"] and j["amount_fen"] == 80000
    assert penalty(cbc, org, second, "--quiet").out == ""
    assert show(cbc, org, second)["penalty"]["amount_fen"] == 3000000


def test_penalty_refusals_change_nothing(cbc, org):
    hid = registered(cbc, org)
    unregistered = report(cbc, org)
    rejected = report(cbc, org)
    cbc("hazard", "reject", org, rejected, "--reason", "不是隐患", "--as", "L1")
    hazards = [hid, unregistered, rejected]
    before = [show(cbc, org, h) for h in hazards]
    history = cbc.json("hazard", "history", org, hid)
    # who: a safety officer, a union cadre, a worker, the principal may not
    for who in ("S1", "C1", "A1", "P1"):
        r = penalty(cbc, org, hid, who=who, expect=5)
        assert r.out == "" and "bureau inspector" in r.err
    penalty(cbc, org, hid, who="nobody", expect=3)
    cbc("hazard", "penalty", org, hid, "--amount", "10", "--document", "d", expect=2)
    # the amount: zero, negative, not a number, three decimals (bad values: exit 4,
    # as for every amount, docs/cli.md); missing: a usage error
    for amount in ("0", "0.00", "-100", "abc", "12.345", ""):
        r = penalty(cbc, org, hid, amount=amount, expect=4)
        assert r.out == "" and r.err
    cbc("hazard", "penalty", org, hid, "--document", "d", "--as", "I1", expect=2)
    # the document: empty or more than a line; missing: a usage error
    penalty(cbc, org, hid, document="", expect=4)
    penalty(cbc, org, hid, document="第一行\n第二行", expect=4)
    cbc("hazard", "penalty", org, hid, "--amount", "10", "--as", "I1", expect=2)
    # the hazard: unknown, not a number, not registered, rejected
    penalty(cbc, org, 9999, expect=3)
    penalty(cbc, org, "abc", expect=4)
    r = penalty(cbc, org, unregistered, expect=6)
    assert "not registered" in r.err
    penalty(cbc, org, rejected, expect=6)
    assert [show(cbc, org, h) for h in hazards] == before
    assert all(h["penalty"] is None for h in before)
    assert cbc.json("hazard", "history", org, hid) == history
    # recorded once: a second penalty is the wrong state and changes nothing
    penalty(cbc, org, hid, now="2026-11-12 10:00")
    recorded = show(cbc, org, hid)
    r = penalty(cbc, org, hid, amount="99999", document="另一份", expect=6)
    assert "already has its penalty" in r.err
    assert show(cbc, org, hid) == recorded
    assert recorded["penalty"]["amount_fen"] == 3000000


# ---------------------------------------------------------------- the award

def tipoff(cbc, db, severity="major"):
    """An anonymous hotline tip-off about W1: its hazard id and follow-up key."""
    j = cbc.json("hazard", "report", db, "--unit", "W1", "--title", "天车钢丝绳断丝",
                 "--kind", "hard", "--check", "equipment_guarding", "--severity", severity,
                 "--anonymous", now="2026-11-10 09:00")
    return j["id"], j["followup_key"]


def register_tip(cbc, db, hid, severity="major"):
    if severity == "major":
        cbc("hazard", "register", db, hid, "--severity", "major", "--level", "enterprise",
            "--measures", "更换钢丝绳", "--deadline", "2026-11-30", "--contingency", "警戒",
            *PLAN, "--as", "S1", now="2026-11-10 10:00")
    else:
        cbc("hazard", "register", db, hid, "--severity", "general", "--level", "workshop",
            "--measures", "更换钢丝绳", "--deadline", "2026-11-30", "--contingency", "警戒",
            "--as", "D1", now="2026-11-10 10:00")


def close(cbc, db, hid):
    resp = show(cbc, db, hid)["five_items"]["responsible"]["external_id"]
    cbc("hazard", "start", db, hid, "--as", resp, now="2026-11-11 09:00")
    cbc("hazard", "submit", db, hid, "--note", "已更换", "--as", resp, now="2026-11-12 09:00")
    cbc("hazard", "verify", db, hid, "--pass", "--note", "验收合格", "--as", "S1",
        now="2026-11-13 09:00")
    assert show(cbc, db, hid)["state"] == "closed"


LATER = "2026-11-20 09:00"


def by_key(cbc, db, key, expect=0):
    return cbc("rewards", "explain", db, "--key", key, "--json", now=LATER, expect=expect)


@pytest.mark.parametrize("fine,award", [
    ("30000", 450000),        # 15 % of 30,000 yuan: 4,500 yuan
    ("40000.10", 600002),     # 6,000.015 yuan, rounded to the fen
    ("10000", 300000),        # 1,500 yuan: at least 3,000
    ("3000000", 30000000),    # 450,000 yuan: at most 300,000
])
def test_tipoff_award_is_a_share_of_the_penalty(cbc, org, fine, award):
    cbc("policy", "set", org, "--preset", PRESET, "--as", "C1", now="2026-11-01 09:00")
    hid, key = tipoff(cbc, org)
    register_tip(cbc, org, hid)
    close(cbc, org, hid)
    # closed without its penalty: no award yet, the decision waits for it
    by_key(cbc, org, key, expect=3)
    explained = cbc.json("rewards", "explain", org, "--hazard", hid, now=LATER)
    assert explained["award"] is None
    assert [d["eligible"] for d in explained["decisions"]] == [False]
    assert "not recorded yet" in explained["decisions"][0]["reasons"]
    assert cbc.json("rewards", "list", org, now=LATER)["count"] == 0
    # the inspector records the penalty: the award is made with it
    penalty(cbc, org, hid, amount=fine, now="2026-11-14 10:00")
    a = json.loads(by_key(cbc, org, key).out)["award"]
    assert a["rule"] == "hotline_tip" and a["subject_kind"] == "anonymous"
    assert a["subject"] is None and a["hazard_id"] == hid
    assert a["amount_fen"] == award and a["state"] == "proposed"
    assert a["policy_version"] == 2 and a["proposed_at"] == "2026-11-14T10:00:00+08:00"
    listed = cbc.json("rewards", "list", org, now=LATER)
    assert listed["count"] == 1 and listed["amount_fen"] == award
    assert [x["id"] for x in listed["awards"]] == [a["id"]]
    text = cbc("rewards", "explain", org, "--key", key, now=LATER).out
    assert f"{award // 100}.{award % 100:02d} 元" in text


def test_penalty_before_closure_is_used_at_closure(cbc, org):
    cbc("policy", "set", org, "--preset", PRESET, "--as", "C1", now="2026-11-01 09:00")
    hid, key = tipoff(cbc, org)
    register_tip(cbc, org, hid)
    penalty(cbc, org, hid, amount="50000", now="2026-11-10 11:00")
    by_key(cbc, org, key, expect=3)                      # not closed: no award
    close(cbc, org, hid)
    a = json.loads(by_key(cbc, org, key).out)["award"]
    assert a["amount_fen"] == 750000 and a["proposed_at"] == "2026-11-13T09:00:00+08:00"


def test_general_tipoff_earns_nothing_under_the_preset(cbc, org):
    cbc("policy", "set", org, "--preset", PRESET, "--as", "C1", now="2026-11-01 09:00")
    hid, key = tipoff(cbc, org, "general")
    register_tip(cbc, org, hid, "general")
    close(cbc, org, hid)
    penalty(cbc, org, hid, amount="30000", now="2026-11-14 10:00")
    by_key(cbc, org, key, expect=3)
    assert cbc.json("rewards", "list", org, now=LATER)["count"] == 0


def test_without_the_preset_the_penalty_changes_no_award(cbc, org):
    # the default policy pays hotline tip-offs a flat amount, whatever the penalty
    flat = cbc.json("policy", "get", org)["policy"]["rules"]["hotline_tip"]
    assert flat["percent_of_fine"] == 0
    hid, key = tipoff(cbc, org)
    register_tip(cbc, org, hid)
    close(cbc, org, hid)
    before = json.loads(by_key(cbc, org, key).out)
    assert before["award"]["amount_fen"] == flat["amount_fen"] > 0
    penalty(cbc, org, hid, amount="30000", now="2026-11-14 10:00")
    assert json.loads(by_key(cbc, org, key).out) == before
    assert cbc.json("rewards", "list", org, now=LATER)["count"] == 1
