"""cbc rewards, cbc fine, cbc policy: every subcommand, its --json shape, exit
codes and bad input, on the demo campaign (which has proposed, approved and
paid awards) and on the small organisation of conftest.py."""
import json
import shutil

import pytest

DEMO_NOW = "2026-11-21 09:00"  # after the demo's last move (2026-11-20)
CADRE = "LX-C1"                # the demo's union cadre
PRINCIPAL = "E01-0002"         # a principal of E01, not a union cadre

AWARD_KEYS = {
    "id", "rule", "subject_kind", "subject_id", "subject", "cause", "hazard_id",
    "proposal_id", "unit", "policy_version", "amount_fen", "reasons", "state",
    "proposed_at", "approved_by", "approved_at", "paid_by", "paid_at", "payment_ref",
    "declined_by", "declined_at", "decline_reason", "review", "flagged_at", "reviewed_by",
    "reviewed_at", "review_note"}
DECISION_KEYS = {"rule", "subject_kind", "subject_id", "subject", "eligible", "hazard_id",
                 "proposal_id", "amount_fen", "reasons", "award_id"}
FINE_KEYS = {"id", "employee", "unit", "amount_fen", "reason", "hazard_id", "violation",
             "issued_by", "issued_at"}
REF_KEYS = {"id", "external_id", "name"}


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    from conftest import Cbc
    path = tmp_path_factory.mktemp("rewards") / "demo.db"
    Cbc().run("demo", path, "--quiet", now=None)
    return path


@pytest.fixture
def demo(demo_master, tmp_path):
    """A copy of the demo database this test may change."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_master, path)
    return path


def awards(cbc, db, *args):
    return cbc.json("rewards", "list", db, *args, now=DEMO_NOW)


def award(cbc, db, award_id):
    return cbc.json("rewards", "explain", db, award_id, now=DEMO_NOW)["award"]


def first(cbc, db, state, **where):
    for a in awards(cbc, db, "--state", state)["awards"]:
        if all(a[k] == v for k, v in where.items()):
            return a
    raise AssertionError(f"no {state} award with {where}")


# ---------------------------------------------------------------- help

@pytest.mark.parametrize("group,subs", [
    ("rewards", ["evaluate", "list", "explain", "approve", "pay", "decline", "review",
                 "summary"]),
    ("fine", ["add", "list"]),
    ("policy", ["get", "set"]),
])
def test_help_at_every_level(cbc, group, subs):
    text = cbc(group, "--help", now=None).out
    for sub in subs:
        assert f"  {sub} " in text
        usage = cbc(group, sub, "--help", now=None).out
        assert usage.startswith(f"usage: cbc {group} {sub} DB")
    cbc(group, now=None, expect=2)
    cbc(group, "frobnicate", now=None, expect=2)
    assert f"  {group} " in cbc("--help", now=None).out


# ---------------------------------------------------------------- list

def test_list_shape_and_filters(cbc, demo_master):
    db = demo_master
    j = awards(cbc, db)
    assert set(j) == {"unit", "period", "state", "subject", "count", "amount_fen", "awards"}
    assert j["unit"] is None and j["period"] is None and j["state"] is None
    assert j["count"] == len(j["awards"]) > 0
    assert j["amount_fen"] == sum(a["amount_fen"] for a in j["awards"])
    a = j["awards"][0]
    assert set(a) == AWARD_KEYS
    assert set(a["unit"]) == REF_KEYS
    assert [x["id"] for x in j["awards"]] == sorted(x["id"] for x in j["awards"])
    by_state = {s: awards(cbc, db, "--state", s)["count"]
                for s in ("proposed", "approved", "paid", "declined")}
    assert sum(by_state.values()) == j["count"]
    assert by_state["paid"] > 0 and by_state["approved"] > 0 and by_state["proposed"] > 0
    # the Chinese label names the state too
    assert awards(cbc, db, "--state", "已发放")["count"] == by_state["paid"]
    paid = awards(cbc, db, "--state", "paid")["awards"][0]
    assert paid["state"] == "paid" and paid["paid_by"]["external_id"] == CADRE
    assert paid["payment_ref"] and paid["paid_at"].endswith("+08:00")
    # a unit's subtree: the enterprises partition the district
    per_enterprise = [awards(cbc, db, f"JN/LX/E0{i}")["count"] for i in range(1, 6)]
    assert sum(per_enterprise) == awards(cbc, db, "LX")["count"] == j["count"]
    e1 = awards(cbc, db, "E01")
    assert e1["unit"]["external_id"] == "E01"
    # the period: proposed in it
    oct_ = awards(cbc, db, "--period", "2026-10")
    assert oct_["period"] == "2026-10"
    assert all(x["proposed_at"].startswith("2026-10") for x in oct_["awards"])
    year = awards(cbc, db, "--period", "2026")["count"]
    assert year == j["count"]
    # one subject
    emp = next(x for x in j["awards"] if x["subject_kind"] == "employee")
    mine = awards(cbc, db, "--subject", emp["subject"]["external_id"])
    assert mine["subject"]["external_id"] == emp["subject"]["external_id"]
    assert all(x["subject_id"] == emp["subject_id"] for x in mine["awards"])
    # text: a table with Chinese labels, money in yuan
    text = cbc("rewards", "list", db, "--state", "paid", now=DEMO_NOW).out
    assert text.splitlines()[0].split()[:3] == ["编号", "规则", "对象"]
    assert "已发放" in text and f"{paid['amount_fen'] // 100}.{paid['amount_fen'] % 100:02d}" in text
    assert cbc("rewards", "list", db, "--state", "declined", now=DEMO_NOW).out == ""


def test_list_bad_input(cbc, demo_master, tmp_path):
    db = demo_master
    cbc("rewards", "list", db, "NOPE", now=DEMO_NOW, expect=3)
    cbc("rewards", "list", db, "--period", "2026-13", now=DEMO_NOW, expect=4)
    cbc("rewards", "list", db, "--state", "lost", now=DEMO_NOW, expect=4)
    cbc("rewards", "list", db, "--subject", "nobody", now=DEMO_NOW, expect=3)
    cbc("rewards", "list", db, "--bogus", now=DEMO_NOW, expect=2)
    cbc("rewards", "list", now=DEMO_NOW, expect=2)
    cbc("rewards", "list", tmp_path / "missing.db", now=DEMO_NOW, expect=3)
    assert not (tmp_path / "missing.db").exists()


# ---------------------------------------------------------------- explain

def test_explain_an_award(cbc, demo_master):
    db = demo_master
    paid = first(cbc, db, "paid", rule="major_hazard")
    j = cbc.json("rewards", "explain", db, paid["id"], now=DEMO_NOW)
    assert set(j) == {"award", "policy_version", "history", "decisions"}
    assert j["award"] == paid and j["policy_version"] == paid["policy_version"] == 1
    assert [h["action"] for h in j["history"]] == ["proposed", "approved", "paid"]
    for h in j["history"]:
        assert set(h) == {"action", "at", "by", "text"}
    assert j["history"][0]["by"] is None
    assert j["history"][2]["by"]["external_id"] == CADRE
    assert j["history"][2]["text"] == paid["payment_ref"]
    # a discovery award comes with its hazard's decisions, the winner's award among them
    assert j["decisions"] and set(j["decisions"][0]) == DECISION_KEYS
    assert paid["id"] in [d["award_id"] for d in j["decisions"]]
    assert all(d["hazard_id"] == paid["hazard_id"] for d in j["decisions"])
    text = cbc("rewards", "explain", db, paid["id"], now=DEMO_NOW).out
    for word in ("重大隐患发现奖励", "已发放", "历史:", "政策版本", paid["reasons"]):
        assert word in text
    # the same through the hazard
    by_hazard = cbc.json("rewards", "explain", db, "--hazard", paid["hazard_id"], now=DEMO_NOW)
    assert by_hazard == j
    # an honour: no hazard, no decisions, no money
    honour = first(cbc, db, "approved", rule="labour_medal")
    h = cbc.json("rewards", "explain", db, honour["id"], now=DEMO_NOW)
    assert h["decisions"] == [] and h["award"]["amount_fen"] == 0
    assert h["award"]["cause"].startswith("period:2026-")
    assert "荣誉" in cbc("rewards", "explain", db, honour["id"], now=DEMO_NOW).out
    cbc("rewards", "pay", db, honour["id"], "--ref", "V", "--as", CADRE, now=DEMO_NOW,
        expect=6)


def test_explain_bad_input(cbc, demo_master, tmp_path):
    db = demo_master
    cbc("rewards", "explain", db, 999999, now=DEMO_NOW, expect=3)
    cbc("rewards", "explain", db, "x", now=DEMO_NOW, expect=4)
    cbc("rewards", "explain", db, now=DEMO_NOW, expect=2)
    cbc("rewards", "explain", db, 1, "--hazard", 1, now=DEMO_NOW, expect=2)
    cbc("rewards", "explain", db, "--key", "0" * 32, now=DEMO_NOW, expect=3)
    cbc("rewards", "explain", db, "--hazard", 999999, now=DEMO_NOW, expect=3)
    junk = tmp_path / "junk.db"
    junk.write_text("name,phone\n张三,123\n" * 100)
    cbc("rewards", "explain", junk, 1, now=DEMO_NOW, expect=9)


# ---------------------------------------------------------------- moves

def test_approve_pay_decline(cbc, demo):
    proposed = first(cbc, demo, "proposed", subject_kind="employee", review=False)
    aid = proposed["id"]
    # not a union cadre; unknown actor; unknown award; no actor: nothing changes
    cbc("rewards", "approve", demo, aid, "--as", PRINCIPAL, now=DEMO_NOW, expect=5)
    cbc("rewards", "approve", demo, aid, "--as", "nobody", now=DEMO_NOW, expect=3)
    cbc("rewards", "approve", demo, 999999, "--as", CADRE, now=DEMO_NOW, expect=3)
    cbc("rewards", "approve", demo, aid, now=DEMO_NOW, expect=2)
    cbc("rewards", "pay", demo, aid, "--ref", "V-1", "--as", CADRE, now=DEMO_NOW, expect=6)
    assert award(cbc, demo, aid) == proposed
    # approve, then pay
    j = cbc.json("rewards", "approve", demo, aid, "--as", CADRE, now=DEMO_NOW)
    assert set(j) == AWARD_KEYS and j["state"] == "approved"
    assert j["approved_by"]["external_id"] == CADRE
    assert j["approved_at"] == "2026-11-21T09:00:00+08:00"
    cbc("rewards", "pay", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=2)  # no --ref
    cbc("rewards", "pay", demo, aid, "--ref", "", "--as", CADRE, now=DEMO_NOW, expect=4)
    out = cbc("rewards", "pay", demo, aid, "--ref", "转账 2026-118", "--as", CADRE,
              now=DEMO_NOW).out
    assert out == f"award {aid}: paid\n"
    paid = award(cbc, demo, aid)
    assert paid["state"] == "paid" and paid["payment_ref"] == "转账 2026-118"
    # a paid award: approving, paying or declining it again is the wrong state
    cbc("rewards", "approve", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=6)
    cbc("rewards", "pay", demo, aid, "--ref", "again", "--as", CADRE, now=DEMO_NOW, expect=6)
    cbc("rewards", "decline", demo, aid, "--reason", "x", "--as", CADRE, now=DEMO_NOW,
        expect=6)
    assert award(cbc, demo, aid) == paid
    assert cbc("rewards", "approve", demo, aid, "--as", CADRE, "--quiet", now=DEMO_NOW,
               expect=6).out == ""


def test_decline_needs_a_reason(cbc, demo):
    proposed = first(cbc, demo, "proposed", subject_kind="employee", review=False)
    aid = proposed["id"]
    # a missing --reason is a usage error (2); an empty one the library refuses (4)
    r = cbc("rewards", "decline", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=2)
    assert "--reason is required" in r.err and r.out == ""
    cbc("rewards", "decline", demo, aid, "--reason", "", "--as", CADRE, now=DEMO_NOW, expect=4)
    cbc("rewards", "decline", demo, aid, "--reason", "x", "--as", PRINCIPAL, now=DEMO_NOW,
        expect=5)
    assert award(cbc, demo, aid) == proposed
    j = cbc.json("rewards", "decline", demo, aid, "--reason", "重复申报", "--as", CADRE,
                 now=DEMO_NOW)
    assert j["state"] == "declined" and j["decline_reason"] == "重复申报"
    history = cbc.json("rewards", "explain", demo, aid, now=DEMO_NOW)["history"]
    assert [h["action"] for h in history] == ["proposed", "declined"]
    assert history[1]["text"] == "重复申报" and history[1]["by"]["external_id"] == CADRE
    cbc("rewards", "approve", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=6)
    assert awards(cbc, demo, "--state", "declined")["count"] == 1
    assert "不予奖励" in cbc("rewards", "list", demo, "--state", "declined", now=DEMO_NOW).out


def test_anonymous_award_paid_only_with_its_key(cbc, demo):
    anon = first(cbc, demo, "proposed", subject_kind="anonymous")
    assert anon["subject"] is None and anon["rule"] == "hotline_tip"
    cbc("rewards", "approve", demo, anon["id"], "--as", CADRE, now=DEMO_NOW)
    cbc("rewards", "pay", demo, anon["id"], "--ref", "V-9", "--as", CADRE, now=DEMO_NOW,
        expect=4)
    cbc("rewards", "pay", demo, anon["id"], "--ref", "V-9", "--claim-key", "f" * 32,
        "--as", CADRE, now=DEMO_NOW, expect=4)
    assert award(cbc, demo, anon["id"])["state"] == "approved"


def test_review_a_flagged_award(cbc, demo):
    # the demo reopened a closed hazard on review (回头看): its award is flagged
    flagged = first(cbc, demo, "proposed", review=True)
    aid = flagged["id"]
    assert flagged["flagged_at"]
    assert "待复核" in cbc("rewards", "list", demo, "--state", "proposed", now=DEMO_NOW).out
    cbc("rewards", "approve", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=6)
    cbc("rewards", "review", demo, aid, "--as", CADRE, now=DEMO_NOW, expect=2)  # no --note
    cbc("rewards", "review", demo, aid, "--note", "ok", "--as", PRINCIPAL, now=DEMO_NOW,
        expect=5)
    assert award(cbc, demo, aid) == flagged
    j = cbc.json("rewards", "review", demo, aid, "--note", "复查合格", "--as", CADRE,
                 now=DEMO_NOW)
    assert j["review"] is False and j["review_note"] == "复查合格"
    assert j["reviewed_by"]["external_id"] == CADRE
    cbc("rewards", "review", demo, aid, "--note", "again", "--as", CADRE, now=DEMO_NOW,
        expect=6)
    cbc("rewards", "approve", demo, aid, "--as", CADRE, now=DEMO_NOW)
    history = cbc.json("rewards", "explain", demo, aid, now=DEMO_NOW)["history"]
    assert [h["action"] for h in history] == ["proposed", "flagged", "reviewed", "approved"]
    assert history[2]["text"] == "复查合格"


# ---------------------------------------------------------------- evaluate

def test_evaluate_dry_run_then_record_once(cbc, demo):
    before = awards(cbc, demo)
    dry = cbc.json("rewards", "evaluate", demo, "LX", "2026-11", "--dry-run", now=DEMO_NOW)
    assert set(dry) == {"unit", "period", "from", "to", "policy_version", "dry_run", "count",
                        "eligible", "decisions"}
    assert dry["dry_run"] is True and dry["period"] == "2026-11"
    assert dry["from"] == "2026-11-01T00:00:00+08:00" and dry["to"] == "2026-12-01T00:00:00+08:00"
    assert dry["unit"]["external_id"] == "LX" and dry["policy_version"] == 1
    assert dry["count"] == len(dry["decisions"]) > 0
    for d in dry["decisions"]:
        assert set(d) == DECISION_KEYS
        assert d["reasons"]
    eligible = [d for d in dry["decisions"] if d["eligible"]]
    assert dry["eligible"] == len(eligible)
    new = [d for d in eligible if d["award_id"] is None]
    assert new, "November has period awards not yet made"
    assert any(not d["eligible"] for d in dry["decisions"])
    assert awards(cbc, demo) == before  # the dry run recorded nothing
    # the evaluation records the new ones, and finds the others
    real = cbc.json("rewards", "evaluate", demo, "LX", "2026-11", now=DEMO_NOW)
    assert real["dry_run"] is False
    assert [(d["rule"], d["subject_id"], d["eligible"]) for d in real["decisions"]] == [
        (d["rule"], d["subject_id"], d["eligible"]) for d in dry["decisions"]]
    assert all(d["award_id"] for d in real["decisions"] if d["eligible"])
    after = awards(cbc, demo)
    assert after["count"] == before["count"] + len(new)
    # evaluating again records nothing twice
    again = cbc.json("rewards", "evaluate", demo, "LX", "2026-11", now=DEMO_NOW)
    assert again["decisions"] == real["decisions"]
    assert awards(cbc, demo) == after
    # text: the header and the decisions with their reasons
    text = cbc("rewards", "evaluate", demo, "LX", "2026-11", "--dry-run", now=DEMO_NOW).out
    assert "奖励政策第 1 版" in text and "试算" in text and "不符合" in text
    assert real["decisions"][0]["reasons"] in text


def test_evaluate_bad_input(cbc, demo, tmp_path):
    before = awards(cbc, demo)
    cbc("rewards", "evaluate", demo, "NOPE", "2026-11", now=DEMO_NOW, expect=3)
    cbc("rewards", "evaluate", demo, "LX", "2026-Q5", now=DEMO_NOW, expect=4)
    cbc("rewards", "evaluate", demo, "LX", now=DEMO_NOW, expect=2)
    cbc("rewards", "evaluate", demo, "LX", "2026-11", "--as", CADRE, now=DEMO_NOW, expect=2)
    cbc("rewards", "evaluate", tmp_path / "missing.db", "LX", "2026-11", expect=3)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    cbc("rewards", "evaluate", junk, "LX", "2026-11", expect=9)
    assert awards(cbc, demo) == before


# ---------------------------------------------------------------- summary

def test_summary(cbc, demo_master):
    db = demo_master
    j = cbc.json("rewards", "summary", db, "LX", "2026", now=DEMO_NOW)
    assert set(j) == {"unit", "period", "from", "to", "award_count", "awards_by_state",
                      "awarded_fen", "paid_fen", "fine_count", "fined_fen", "fines"}
    assert set(j["awards_by_state"]) == {"proposed", "approved", "paid", "declined"}
    listed = awards(cbc, db, "LX", "--period", "2026")
    assert j["award_count"] == listed["count"] == sum(j["awards_by_state"].values())
    assert j["awarded_fen"] == sum(a["amount_fen"] for a in listed["awards"]
                                   if a["state"] != "declined")
    paid = awards(cbc, db, "--state", "paid")["awards"]
    assert j["paid_fen"] == sum(a["amount_fen"] for a in paid) > 0
    fines = cbc.json("fine", "list", db, "LX", "--period", "2026", now=DEMO_NOW)
    assert j["fines"] == fines["fines"] and j["fine_count"] == fines["count"] > 0
    assert j["fined_fen"] == fines["total_fen"]
    assert set(j["fines"][0]) == FINE_KEYS
    text = cbc("rewards", "summary", db, "LX", "2026", now=DEMO_NOW).out
    assert f"{j['paid_fen'] // 100}.{j['paid_fen'] % 100:02d} 元" in text
    assert "待审批" in text and "罚单" in text
    cbc("rewards", "summary", db, "NOPE", "2026", now=DEMO_NOW, expect=3)
    cbc("rewards", "summary", db, "LX", "twenty", now=DEMO_NOW, expect=4)


# ---------------------------------------------------------------- fines

def report(cbc, db, unit, who):
    return int(cbc("hazard", "report", db, "--unit", unit, "--title", "护栏缺失",
                   "--kind", "hard", "--check", "equipment_guarding", "--as", who).out)


def fines(cbc, db, *args):
    return cbc.json("fine", "list", db, *args)


def test_fine_add_and_list(cbc, org):
    hazard = report(cbc, org, "T1", "A1")
    j = cbc.json("fine", "add", org, "--employee", "L1", "--amount", "200.5", "--reason",
                 "隐患失控", "--hazard", hazard, "--as", "S1")
    assert set(j) == {"id"}
    second = cbc("fine", "add", org, "--employee", "B1", "--amount", "50", "--reason", "三违",
                 "--violation", "未戴安全帽", "--as", "P1").out
    assert int(second) == j["id"] + 1
    listed = fines(cbc, org)
    assert set(listed) == {"unit", "period", "count", "total_fen", "fines"}
    assert listed["count"] == 2 and listed["total_fen"] == 25050
    f = listed["fines"][0]
    assert set(f) == FINE_KEYS
    assert f["amount_fen"] == 20050 and f["hazard_id"] == hazard and f["violation"] is None
    assert f["employee"]["external_id"] == "L1" and f["unit"]["external_id"] == "T1"
    assert f["issued_by"]["external_id"] == "S1"
    assert f["issued_at"] == "2026-11-10T09:00:00+08:00"
    assert listed["fines"][1]["violation"] == "未戴安全帽"
    assert listed["fines"][1]["hazard_id"] is None
    # by unit (where the employee was when fined) and period
    assert fines(cbc, org, "T2")["count"] == 1
    assert fines(cbc, org, "E2")["count"] == 0
    assert fines(cbc, org, "R1/E1")["count"] == 2
    assert fines(cbc, org, "--period", "2026-11")["period"] == "2026-11"
    assert fines(cbc, org, "--period", "2026-10")["count"] == 0
    text = cbc("fine", "list", org).out
    assert "200.50" in text and "合计 2 笔, 250.50 元" in text and "未戴安全帽" in text
    assert cbc("fine", "list", org, "E2").out == ""


def test_fine_bad_input(cbc, org, tmp_path):
    hazard = report(cbc, org, "T1", "A1")
    other = report(cbc, org, "T3", "X1")
    base = ["fine", "add", org, "--employee", "L1", "--reason", "r"]
    cbc(*base, "--amount", "10", "--violation", "v", expect=2)                      # no --as
    cbc(*base, "--amount", "10", "--as", "P1", expect=2)                            # neither
    cbc(*base, "--amount", "10", "--hazard", hazard, "--violation", "v", "--as", "P1",
        expect=2)                                                                   # both
    cbc("fine", "add", org, "--employee", "L1", "--amount", "10", "--violation", "v",
        "--as", "P1", expect=2)                                                     # no reason
    cbc(*base, "--amount", "ten", "--violation", "v", "--as", "P1", expect=4)
    cbc(*base, "--amount", "0", "--violation", "v", "--as", "P1", expect=4)
    cbc(*base, "--amount", "10", "--hazard", other, "--as", "P1", expect=4)   # E2's hazard
    cbc(*base, "--amount", "10", "--hazard", 9999, "--as", "P1", expect=3)
    cbc(*base, "--amount", "10", "--violation", "v", "--as", "P2", expect=5)  # E2's principal
    cbc(*base, "--amount", "10", "--violation", "v", "--as", "A1", expect=5)  # a worker
    cbc(*base, "--amount", "10", "--violation", "v", "--as", "C1", expect=5)  # a union cadre
    cbc(*base, "--amount", "10", "--violation", "v", "--as", "nobody", expect=3)
    cbc("fine", "add", org, "--employee", "nobody", "--reason", "r", "--amount", "10",
        "--violation", "v", "--as", "P1", expect=3)
    assert fines(cbc, org)["count"] == 0
    cbc("fine", "list", org, "NOPE", expect=3)
    cbc("fine", "list", org, "--period", "2026-00", expect=4)
    cbc("fine", "list", tmp_path / "missing.db", expect=3)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    cbc("fine", "list", junk, expect=9)
    cbc("fine", "add", junk, "--employee", "L1", "--reason", "r", "--amount", "10",
        "--violation", "v", "--as", "P1", expect=9)


# ---------------------------------------------------------------- policy

def policy(cbc, db):
    return cbc.json("policy", "get", db)


def test_policy_get_and_set(cbc, org, tmp_path):
    j = policy(cbc, org)
    assert set(j) == {"version", "policy"} and j["version"] == 1
    defaults = j["policy"]
    assert defaults["rules"]["major_hazard"]["amount_fen"] == 50000
    r = cbc("policy", "get", org)
    assert json.loads(r.out) == defaults and "policy version 1" in r.err
    assert cbc("policy", "get", org, "--quiet").err == ""
    d = cbc.json("policy", "get", org, "--defaults")
    assert d == {"version": None, "policy": defaults}
    # a partial document: the rest from the defaults
    partial = tmp_path / "policy.json"
    partial.write_text('{"rules": {"major_hazard": {"amount_fen": 80000}}}')
    assert cbc("policy", "set", org, partial, "--as", "C1").out == "2\n"
    now = policy(cbc, org)
    assert now["version"] == 2
    assert now["policy"]["rules"]["major_hazard"]["amount_fen"] == 80000
    assert now["policy"]["rules"]["hotline_tip"] == defaults["rules"]["hotline_tip"]
    assert cbc.json("policy", "get", org, "--version", 1) == j
    # what get prints can be set back as it is, from stdin
    text = cbc("policy", "get", org, "--quiet").out
    assert cbc.json("policy", "set", org, "-", "--as", "C1", stdin=text) == {"version": 3}
    assert policy(cbc, org)["policy"] == now["policy"]


@pytest.mark.parametrize("document", [
    '{"rules": {"major_hazard": {"amount_fen": 80000}}',       # malformed
    '[1, 2]',                                                  # not an object
    '{"rules": {"major_hazard": {"amount_fen": -1}}}',         # negative amount
    '{"rules": {"worker_pioneer": {"on_time_rate": 120}}}',    # rate > 100
    '{"rules": {"best_team": {"enabled": true}}}',             # unknown rule
    '{"rules": {"major_hazard": {"amount_fen": "500"}}}',      # wrong type
    '',                                                        # empty
])
def test_policy_bad_document_changes_nothing(cbc, org, tmp_path, document):
    before = cbc("policy", "get", org).out
    bad = tmp_path / "bad.json"
    bad.write_text(document)
    r = cbc("policy", "set", org, bad, "--as", "C1", expect=4)
    assert r.out == "" and r.err
    assert cbc("policy", "get", org).out == before
    assert policy(cbc, org)["version"] == 1


def test_policy_bad_input(cbc, org, tmp_path):
    good = tmp_path / "good.json"
    good.write_text("{}")
    before = policy(cbc, org)
    cbc("policy", "set", org, good, "--as", "P1", expect=5)     # not a union cadre
    cbc("policy", "set", org, good, "--as", "nobody", expect=3)
    cbc("policy", "set", org, good, expect=2)                    # no --as
    cbc("policy", "set", org, tmp_path / "missing.json", "--as", "C1", expect=9)
    cbc("policy", "get", org, "--version", 7, expect=3)
    cbc("policy", "get", org, "--version", "x", expect=4)
    cbc("policy", "get", org, "--version", 1, "--defaults", expect=2)
    assert policy(cbc, org) == before
    cbc("policy", "get", tmp_path / "missing.db", expect=3)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    cbc("policy", "get", junk, expect=9)
    cbc("policy", "set", junk, good, "--as", "C1", expect=9)
