"""The rewards binding: the policy (defaults, versions, bad input), evaluation
and its explanations, the award ledger and its errors, anonymous tip-offs
paid by key, review after reopening, fines, the period summary, dry runs."""
import json

import pytest

import cbc
from conftest import at
from cbc import AwardState as St, Level, Period, RewardRule as R, Severity, SubjectKind as Sk

DAY, HOUR = 86400, 3600
# The clock (conftest) is 1700000000: 2023-11-15 06:13:20 in Beijing (UTC+8).
NOV, OCT = Period.month(2023, 11), Period.month(2023, 10)
NOV_START, NOV_END = 1698768000, 1701360000


@pytest.fixture
def ids(db, campaign):
    """conftest's campaign plus a safety officer of E1 (S1, in T3), who verifies
    major hazards: an ENTERPRISE-level authority who is not P1, the submitter."""
    db.sync(employees=[cbc.EmployeeRecord("S1", "安全员", "T3", roles=cbc.Role.SAFETY_OFFICER)],
            strict=True)
    return dict(campaign, S1=db.employee_by_external("S1").id)


def report(db, unit_id, reporter_id, severity=Severity.GENERAL,
           source=cbc.HazardSource.SELF_CHECK):
    """Report a hazard; returns (hazard_id, follow-up key or None)."""
    return db.report(unit_id, "隐患", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                     cbc.CheckItem.EQUIPMENT_GUARDING, source, severity, reporter_id=reporter_id)


def close(db, i, clock, hid, severity=Severity.GENERAL):
    """Register (if reported), rectify and verify a hazard, an hour a step.
    A major one: P1 at ENTERPRISE level, verified by the safety officer S1; a
    general one: L1 at TEAM level, verified by the principal P1.  Returns the
    closing time."""
    major = severity == Severity.MAJOR
    responsible, verifier = (i["P1"], i["S1"]) if major else (i["L1"], i["P1"])
    if db.hazard(hid).state == cbc.HazardState.REPORTED:
        clock.t += HOUR
        deadline = clock.t + 20 * DAY
        plan = cbc.RectificationPlan("目标", "方法", "经费", "设备科", deadline, "监护")
        db.register(hid, responsible, severity, Level.ENTERPRISE if major else Level.TEAM,
                    "整改", deadline, "警示", plan=plan if major else None)
        db.start(hid, responsible)
    clock.t += HOUR
    db.submit(hid, responsible, "已整改")
    clock.t += HOUR
    db.verify(hid, verifier, True)
    return clock.t


def major_closed(db, i, clock, who="A1"):
    """A major hazard reported by `who` in its team, closed; (hazard_id, closing time)."""
    unit = db.employee(i[who]).unit_id
    hid, _ = report(db, unit, i[who], Severity.MAJOR)
    return hid, close(db, i, clock, hid, Severity.MAJOR)


# -- rules and the policy -----------------------------------------------------
def test_rule_names():
    names = ["major_hazard", "general_hazard", "hotline_tip", "adopted_proposal", "labour_medal",
             "worker_pioneer", "ankang_cup"]
    assert [cbc.reward_rule_name(r) for r in R] == names
    assert [int(r) for r in R] == list(range(1, 8))
    assert cbc.reward_rule_name(0) is None and cbc.reward_rule_name(99) is None
    assert [int(k) for k in Sk] == list(range(1, 6))
    assert [int(s) for s in St] == list(range(1, 5))


def test_policy_defaults_and_versions(db, ids):
    i = ids
    defaults = cbc.policy_defaults()
    assert db.policy_defaults() == defaults
    data = json.loads(defaults)
    assert data["rules"]["major_hazard"] == {"amount_fen": 50000}
    assert data["rules"]["hotline_tip"] == {"amount_fen": 20000, "percent_of_fine": 0,
                                            "min_fen": 0, "max_fen": 0, "major_only": False}
    assert data["responsible_reporter_rewarded"] is False
    assert set(data["rules"]) == {cbc.reward_rule_name(r) for r in R}
    current = db.policy()
    assert current == cbc.Policy(1, defaults, data)  # nothing stored: version 1 is the defaults
    assert db.policy(1) == current

    # a dict is json.dumps'ed; keys left out take the built-in defaults
    assert db.set_policy({"rules": {"general_hazard": {"amount_fen": 1500}}}, i["C1"]) == 2
    v2 = db.policy()
    assert v2.version == 2 and db.policy(2) == v2
    assert v2.data["rules"]["general_hazard"] == {"amount_fen": 1500}
    assert v2.data["rules"]["ankang_cup"] == data["rules"]["ankang_cup"]
    assert '"amount_fen": 1500' in v2.text
    assert db.policy(1) == current  # version 1 was stored with the first set
    # text, and a Policy (its data), are stored too, completed
    assert db.set_policy('{"responsible_reporter_rewarded": true}', i["C1"]) == 3
    v3 = db.policy()
    assert v3.data["responsible_reporter_rewarded"] is True
    assert v3.data["rules"]["general_hazard"] == {"amount_fen": 0}  # the default, not v2's
    assert db.set_policy(v2, i["C1"]) == 4
    assert db.policy().data == v2.data and db.policy().version == 4

    with pytest.raises(cbc.NotFoundError, match="version 5"):
        db.policy(5)
    with pytest.raises(cbc.InvalidError):
        db.policy(-1)


def test_policy_text_round_trip(db, ids):
    assert db.set_policy(cbc.policy_defaults(), ids["C1"]) == 2
    assert db.set_policy(db.policy(1).text, ids["C1"]) == 3
    assert db.policy().text == cbc.policy_defaults()


@pytest.mark.parametrize("doc, message", [
    ('{"rules": {', "malformed JSON"),
    ("[1, 2]", "not a JSON object"),
    ("", "policy"),
    ({"rules": {"golden_hammer": {}}}, "unknown rule 'golden_hammer'"),
    ({"rules": {"major_hazard": {"amount": 1}}}, "unknown key 'amount' in rule major_hazard"),
    ({"bonus": True}, "unknown key 'bonus'"),
    ({"rules": {"major_hazard": {"amount_fen": -100}}}, "may not be negative"),
    ({"rules": {"major_hazard": {"amount_fen": 12.5}}}, "whole number of fen"),
    ({"rules": {"major_hazard": {"amount_fen": "500"}}}, "whole number of fen"),
    ({"rules": {"worker_pioneer": {"on_time_rate": 100.5}}}, "0..100"),
    ({"rules": {"ankang_cup": {"enabled": 1}}}, "true or false"),
    ({"rules": {"ankang_cup": 5}}, "must be an object"),
    ('{"rules": {"major_hazard": {"amount_fen": 1}, "major_hazard": {}}}', "duplicate"),
])
def test_bad_policy_changes_nothing(db, ids, doc, message):
    db.set_policy({"rules": {"hotline_tip": {"amount_fen": 30000}}}, ids["C1"])
    before = db.policy()
    with pytest.raises(cbc.InvalidError, match=message) as e:
        db.set_policy(doc, ids["C1"])
    assert e.value.code == cbc.ErrorCode.EINVAL
    assert db.policy() == before
    assert before.version == 2 and before.data["rules"]["hotline_tip"]["amount_fen"] == 30000


def test_policy_actor_and_type_errors(db, ids):
    i = ids
    with pytest.raises(cbc.PermissionDenied, match="union cadre"):
        db.set_policy({}, i["A1"])
    with pytest.raises(cbc.NotFoundError):
        db.set_policy({}, 10 ** 9)
    for bad in ([1, 2], b"{}", None):
        with pytest.raises(TypeError):
            db.set_policy(bad, i["C1"])
    assert db.policy().version == 1


# -- discovery and evaluation ---------------------------------------------------
def test_major_hazard_award_once(db, ids, clock):
    i = ids
    hid, closed_at = major_closed(db, i, clock)
    (a,) = db.awards()  # made when it closed
    assert a == db.award(a.id)
    assert (a.rule, a.rule_name, a.subject_kind, a.subject_id) == (
        R.MAJOR_HAZARD, "major_hazard", Sk.EMPLOYEE, i["A1"])
    assert (a.cause, a.hazard_id, a.proposal_id, a.policy_version) == ("hazard:%d" % hid, hid,
                                                                       0, 1)
    assert (a.amount_fen, a.state, a.proposed_at) == (50000, St.PROPOSED, at(closed_at))
    assert a.reasons == ("major hazard %d verified and closed; report %d is the first valid of "
                         "1 report" % (hid, hid))
    assert (a.approved_by, a.paid_by, a.declined_by, a.payment_ref, a.review) == (
        0, 0, 0, "", False)

    explained = db.explain_hazard_reward(hid)
    assert (explained.policy_version, explained.start, explained.end) == (1, None, None)
    assert explained.decisions == [cbc.Decision(R.MAJOR_HAZARD, Sk.EMPLOYEE, i["A1"], True, hid,
                                                0, 50000, a.reasons, a.id)]
    assert len(db.awards()) == 1  # explaining adds nothing

    clock.t += DAY
    first = db.evaluate_rewards(i["R1"], NOV)
    assert (first.policy_version, first.start, first.end) == (1, at(NOV_START), at(NOV_END))
    (d,) = first.find(R.MAJOR_HAZARD)
    assert d == explained.decisions[0] and d.rule_name == "major_hazard"
    (medal,) = first.find(R.LABOUR_MEDAL, Sk.EMPLOYEE, i["A1"])
    assert medal.eligible and medal.award_id > a.id and medal.amount_fen == 0
    assert medal.reasons == "major hazards found and closed 1 >= 1"
    assert len(db.awards()) == 2  # the discovery and the medal
    again = db.evaluate_rewards(i["R1"], NOV)
    assert again == first  # evaluating again finds the records, adds none
    assert len(db.awards()) == 2
    assert db.award(medal.award_id).cause == "period:2023-11"


def test_decisions_in_order_and_collective_rules(db, ids, clock):
    i = ids
    major_closed(db, i, clock)
    ev = db.evaluate_rewards(i["E1"], NOV, dry_run=True)
    keys = [(d.rule, d.subject_kind, d.subject_id, d.hazard_id, d.proposal_id)
            for d in ev.decisions]
    assert keys == sorted(keys)
    teams = ev.find(R.WORKER_PIONEER, Sk.TEAM)
    assert [d.subject_id for d in teams] == sorted([i["T1"], i["T2"], i["T3"]])
    assert [d.subject_id for d in ev.find(R.WORKER_PIONEER, Sk.WORKSHOP)] == sorted(
        [i["W1"], i["W2"]])
    (cup,) = ev.find(R.ANKANG_CUP)
    assert (cup.subject_kind, cup.subject_id, cup.eligible) == (Sk.UNIT, i["E1"], False)
    assert "training coverage" in cup.reasons and "; " in cup.reasons
    t1 = ev.find(R.WORKER_PIONEER, Sk.TEAM, i["T1"])[0]
    assert not t1.eligible and t1.reasons.startswith("hazards closed 1 < 5")
    assert db.evaluate_rewards(i["E1"], NOV, dry_run=True) == ev  # deterministic


def test_dry_run_writes_nothing(db, ids, clock):
    i = ids
    major_closed(db, i, clock)
    assert len(db.awards()) == 1
    dry = db.evaluate_rewards(i["E1"], NOV, dry_run=True)
    (medal,) = dry.find(R.LABOUR_MEDAL)
    assert medal.eligible and medal.award_id == 0  # decided, not written
    assert dry.find(R.MAJOR_HAZARD)[0].award_id == db.awards()[0].id  # found
    assert len(db.awards()) == 1
    real = db.evaluate_rewards(i["E1"], NOV)
    assert real.find(R.LABOUR_MEDAL)[0].award_id > 0
    assert len(db.awards()) == 2
    assert db.evaluate_rewards(i["E1"], NOV, dry_run=True) == real  # now it finds the medal


def test_evaluate_read_only(target, clock):
    path = target
    U, K = cbc.UnitRecord, cbc.UnitKind
    with cbc.Database(path, clock=clock) as db:
        db.sync(units=[U("E1", K.ENTERPRISE, "钢厂"), U("T1", K.TEAM, "甲班", "E1")],
                employees=[cbc.EmployeeRecord("a1", "王芳", "T1")], strict=True)
        e1 = db.unit_by_external("E1").id
    with cbc.Database(path, clock=clock, create=False, readonly=True) as ro:
        ev = ro.evaluate_rewards(e1, NOV, dry_run=True)
        assert [(d.rule, d.eligible) for d in ev.decisions] == [(R.WORKER_PIONEER, False),
                                                                (R.ANKANG_CUP, False)]
        with pytest.raises(cbc.PermissionDenied):
            ro.evaluate_rewards(e1, NOV)
        assert ro.awards() == []


def test_first_valid_reporter_and_explanations(db, ids, clock):
    i = ids
    db.set_policy({"rules": {"general_hazard": {"amount_fen": 2000}}}, i["C1"])
    kept, _ = report(db, i["T1"], i["A1"])
    clock.t += 10
    late, _ = report(db, i["T1"], i["L1"])
    bogus, _ = report(db, i["T2"], i["B1"])
    db.reject(late, i["L1"], "重复", duplicate_of=kept)
    db.reject(bogus, i["P1"], "不是隐患")
    still_open, _ = report(db, i["T2"], i["B1"])
    close(db, i, clock, kept)
    ex = db.explain_hazard_reward(kept)
    assert [(d.subject_id, d.eligible, d.amount_fen) for d in ex.decisions] == [
        (i["A1"], True, 2000), (i["L1"], False, 0)]
    assert ex.policy_version == 2
    assert "only the first valid reporter is rewarded" in ex.decisions[1].reasons
    assert ex.decisions[1].award_id == 0
    (a,) = db.awards()
    assert (a.rule, a.subject_id, a.amount_fen, a.policy_version) == (R.GENERAL_HAZARD,
                                                                      i["A1"], 2000, 2)
    (d,) = db.explain_hazard_reward(bogus).decisions
    assert not d.eligible and "rejected reports earn nothing" in d.reasons
    (d,) = db.explain_hazard_reward(late).decisions
    assert "duplicate of hazard %d" % kept in d.reasons
    (d,) = db.explain_hazard_reward(still_open).decisions
    assert not d.eligible and "only a verified, closed hazard is rewarded" in d.reasons
    assert len(db.awards()) == 1


def test_adopted_proposal(db, ids, clock):
    i = ids
    yes = db.submit_proposal(i["B1"], "金点子", "加装护栏")
    no = db.submit_proposal(i["B1"], "金点子", "另一个")
    clock.t += HOUR
    db.decide_proposal(yes, i["P1"], adopted=True, note="采纳")
    db.decide_proposal(no, i["P1"], adopted=False)
    ev = db.evaluate_rewards(i["E1"], NOV)
    (d,) = ev.find(R.PROPOSAL)
    assert (d.rule_name, d.subject_kind, d.subject_id, d.proposal_id, d.hazard_id) == (
        "adopted_proposal", Sk.EMPLOYEE, i["B1"], yes, 0)
    assert d.eligible and d.amount_fen == 10000
    a = db.award(d.award_id)
    assert (a.cause, a.proposal_id, a.amount_fen) == ("proposal:%d" % yes, yes, 10000)
    assert db.evaluate_rewards(i["E1"], OCT).find(R.PROPOSAL) == []


@pytest.mark.parametrize("period", [Period.range(10, 10), Period.range(10, 5),
                                    Period.month(2023, 13)])
def test_evaluate_bad_input(db, ids, period):
    i = ids
    with pytest.raises(cbc.InvalidError):
        db.evaluate_rewards(i["E1"], period)
    with pytest.raises(cbc.InvalidError):
        db.reward_summary(i["E1"], period)
    with pytest.raises(cbc.NotFoundError):
        db.evaluate_rewards(10 ** 9, NOV)
    with pytest.raises(cbc.NotFoundError):
        db.reward_summary(10 ** 9, NOV)
    with pytest.raises(TypeError):
        db.evaluate_rewards(i["E1"], (2023, 11))
    with pytest.raises(cbc.NotFoundError):
        db.explain_hazard_reward(12345)
    assert db.awards() == []


# -- the award ledger ---------------------------------------------------------------
def test_ledger_moves(db, ids, clock):
    i, c1 = ids, ids["C1"]
    h1, _ = major_closed(db, i, clock, "A1")
    h2, _ = major_closed(db, i, clock, "B1")
    first, second = (a.id for a in db.awards())
    with pytest.raises(cbc.StateError, match="only an approved") as e:
        db.pay_award(first, c1, "凭证")  # still proposed
    assert e.value.code == cbc.ErrorCode.ESTATE
    with pytest.raises(cbc.PermissionDenied, match="union cadre"):
        db.approve_award(first, i["P1"])
    with pytest.raises(cbc.InvalidError, match="reason"):
        db.decline_award(second, c1, "")
    clock.t += DAY
    db.decline_award(second, c1, "重复申报")
    d = db.award(second)
    assert (d.state, d.declined_by, d.declined_at, d.decline_reason) == (
        St.DECLINED, c1, at(clock.t), "重复申报")
    with pytest.raises(cbc.StateError, match="declined"):
        db.approve_award(second, c1)
    with pytest.raises(cbc.StateError, match="declined"):
        db.decline_award(second, c1, "again")
    with pytest.raises(cbc.StateError):
        db.pay_award(second, c1, "凭证")
    with pytest.raises(cbc.NotFoundError):
        db.approve_award(999, c1)
    with pytest.raises(cbc.NotFoundError):
        db.award(999)

    clock.t += HOUR
    db.approve_award(first, c1)
    a = db.award(first)
    assert (a.state, a.approved_by, a.approved_at) == (St.APPROVED, c1, at(clock.t))
    with pytest.raises(cbc.StateError, match="approved"):
        db.approve_award(first, c1)
    with pytest.raises(cbc.InvalidError, match="payment reference"):
        db.pay_award(first, c1, "")
    with pytest.raises(cbc.InvalidError, match="no claim key"):
        db.pay_award(first, c1, "凭证", claim_key="key")
    assert db.award(first).state is St.APPROVED  # a refused move changes nothing
    clock.t += HOUR
    db.pay_award(first, c1, "转账 2023-117")
    a = db.award(first)
    assert (a.state, a.paid_by, a.paid_at, a.payment_ref) == (St.PAID, c1, at(clock.t),
                                                              "转账 2023-117")
    with pytest.raises(cbc.StateError):
        db.pay_award(first, c1, "凭证")

    # the labour medal is an honour: approved, never paid
    ev = db.evaluate_rewards(i["E1"], NOV)
    (medal,) = ev.find(R.LABOUR_MEDAL, Sk.EMPLOYEE, i["B1"])
    assert medal.eligible  # B1's discovery award was declined; the finding stands
    db.approve_award(medal.award_id, c1)
    with pytest.raises(cbc.StateError, match="honour"):
        db.pay_award(medal.award_id, c1, "凭证")


def test_award_list_filters(db, ids, clock):
    i, c1 = ids, ids["C1"]
    t0 = clock.t
    major_closed(db, i, clock, "A1")
    t1 = clock.t
    major_closed(db, i, clock, "B1")
    a1, b1 = db.awards()
    assert (a1.subject_id, b1.subject_id) == (i["A1"], i["B1"])
    db.approve_award(b1.id, c1)
    assert db.awards(state=St.APPROVED) == [db.award(b1.id)]
    assert db.awards(state=St.PROPOSED) == [a1]
    assert db.awards(state=St.PAID) == []
    assert db.awards(subject=(Sk.EMPLOYEE, i["A1"])) == [a1]
    assert db.awards(subject=(Sk.EMPLOYEE, i["A1"]), state=St.APPROVED) == []
    assert db.awards(subject=(Sk.TEAM, i["A1"])) == []
    assert db.awards(proposed_from=t1 + 1) == [db.award(b1.id)]
    assert db.awards(proposed_from=t0, proposed_to=t1 + 1) == [a1]
    assert db.awards(proposed_to=t0) == []
    with pytest.raises(cbc.InvalidError, match="state"):
        db.awards(state=9)
    with pytest.raises(cbc.InvalidError, match="range"):
        db.awards(5, 5)
    with pytest.raises(cbc.InvalidError, match="subject"):
        db.awards(subject=(9, 1))


def test_anonymous_tip_paid_only_with_its_key(db, ids, clock):
    i, c1 = ids, ids["C1"]
    hid, key = report(db, i["T1"], 0, source=cbc.HazardSource.HOTLINE)
    other, other_key = report(db, i["T2"], 0, source=cbc.HazardSource.HOTLINE)
    assert key and other_key and key != other_key
    with pytest.raises(cbc.NotFoundError):  # no award before it closes
        db.award_by_key(key)
    close(db, i, clock, hid)
    a = db.award_by_key(key)
    assert (a.rule, a.subject_kind, a.subject_id, a.hazard_id, a.amount_fen) == (
        R.HOTLINE_TIP, Sk.ANONYMOUS, hid, hid, 20000)
    assert a.rule_name == "hotline_tip"
    (d,) = db.explain_hazard_reward(hid).decisions
    assert (d.subject_kind, d.subject_id, d.award_id) == (Sk.ANONYMOUS, hid, a.id)
    db.approve_award(a.id, c1)
    with pytest.raises(cbc.InvalidError, match="follow-up key"):
        db.pay_award(a.id, c1, "凭证1")
    with pytest.raises(cbc.InvalidError, match="not this tip-off's"):
        db.pay_award(a.id, c1, "凭证1", claim_key=other_key)
    with pytest.raises(cbc.InvalidError, match="not this tip-off's"):
        db.pay_award(a.id, c1, "凭证1", claim_key="not-the-key")
    assert db.award(a.id).state is St.APPROVED
    clock.t += HOUR
    db.pay_award(a.id, c1, "凭证1", claim_key=key)
    paid = db.award_by_key(key)
    assert (paid.state, paid.paid_by, paid.paid_at, paid.payment_ref) == (St.PAID, c1, at(clock.t),
                                                                          "凭证1")
    with pytest.raises(cbc.StateError, match="only an approved"):
        db.pay_award(a.id, c1, "凭证2", claim_key=key)
    with pytest.raises(cbc.NotFoundError):
        db.award_by_key("0" * 32)


def test_reopen_flags_for_review(db, ids, clock):
    i, c1 = ids, ids["C1"]
    hid, _ = major_closed(db, i, clock)
    (a,) = db.awards()
    db.approve_award(a.id, c1)
    clock.t += DAY
    db.reopen(hid, i["P1"], "回头看发现问题")
    a = db.award(a.id)
    assert (a.review, a.flagged_at, a.state) == (True, at(clock.t), St.APPROVED)
    with pytest.raises(cbc.StateError, match="flagged for review"):
        db.pay_award(a.id, c1, "凭证")
    with pytest.raises(cbc.StateError, match="not closed again"):
        db.review_award(a.id, c1, "整改属实")
    close(db, i, clock, hid, Severity.MAJOR)
    assert len(db.awards()) == 1  # closing again made no second award
    with pytest.raises(cbc.InvalidError):
        db.review_award(a.id, c1, "")
    clock.t += HOUR
    db.review_award(a.id, c1, "整改属实")
    a = db.award(a.id)
    assert (a.review, a.reviewed_by, a.reviewed_at, a.review_note) == (False, c1, at(clock.t),
                                                                       "整改属实")
    with pytest.raises(cbc.StateError, match="not flagged"):
        db.review_award(a.id, c1, "again")
    db.pay_award(a.id, c1, "凭证")
    assert db.award(a.id).state is St.PAID


def test_award_moves_follow_the_award(db, ids, clock):
    """award_moves offers exactly the steps the library then accepts."""
    i, c1, Step = ids, ids["C1"], cbc.AwardStep
    hid, _ = major_closed(db, i, clock)
    (a,) = db.awards()
    assert db.award_moves(a.id, c1) == {Step.APPROVE, Step.DECLINE}
    for who in ("A1", "L1", "P1", "S1", "I1"):  # only union cadres act on awards
        assert db.award_moves(a.id, i[who]) == frozenset()
        with pytest.raises(cbc.PermissionDenied, match="union cadre"):
            db.approve_award(a.id, i[who])
    assert db.award(a.id).state is St.PROPOSED
    db.approve_award(a.id, c1)
    assert db.award_moves(a.id, c1) == {Step.PAY, Step.DECLINE}
    clock.t += DAY
    db.reopen(hid, i["P1"], "回头看")
    assert db.award_moves(a.id, c1) == {Step.DECLINE}  # flagged; not closed again yet
    close(db, i, clock, hid, Severity.MAJOR)
    assert db.award_moves(a.id, c1) == {Step.REVIEW, Step.DECLINE}
    db.review_award(a.id, c1, "整改属实")
    db.pay_award(a.id, c1, "凭证")
    assert db.award_moves(a.id, c1) == frozenset()
    assert [s.name for s in Step] == ["APPROVE", "PAY", "DECLINE", "REVIEW"]
    assert Step.APPROVE.label == "批准"
    assert cbc.enum_name(cbc.EnumType.AWARD_STEP, Step.REVIEW) == "review"
    with pytest.raises(cbc.NotFoundError):
        db.award_moves(a.id + 100, c1)
    with pytest.raises(cbc.InvalidError):
        db.award_moves(0, c1)


def test_evaluate_as_an_actor(db, ids, clock):
    """With actor_id a real evaluation is the union's over the unit; a dry
    run is open to whoever may read it; a refusal writes nothing."""
    i = ids
    major_closed(db, i, clock)
    assert len(db.awards()) == 1
    assert db.may_evaluate_rewards(i["E1"], i["C1"])
    assert not db.may_evaluate_rewards(i["E1"], i["A1"])
    assert db.may_evaluate_rewards(i["E1"], i["A1"], dry_run=True)
    with pytest.raises(cbc.PermissionDenied, match="union cadre over the unit"):
        db.evaluate_rewards(i["E1"], NOV, actor_id=i["A1"])
    assert len(db.awards()) == 1
    dry = db.evaluate_rewards(i["E1"], NOV, dry_run=True, actor_id=i["A1"])
    assert dry.find(R.LABOUR_MEDAL)[0].award_id == 0
    real = db.evaluate_rewards(i["E1"], NOV, actor_id=i["C1"])
    assert real.find(R.LABOUR_MEDAL)[0].award_id > 0 and len(db.awards()) == 2
    with pytest.raises(cbc.InvalidError, match="actor id"):
        db.evaluate_rewards(i["E1"], NOV, actor_id=0)
    with pytest.raises(cbc.NotFoundError):
        db.may_evaluate_rewards(i["E1"], i["C1"] + 1000)


# -- fines and the summary -------------------------------------------------------
def test_fines_and_summary(db, ids, clock):
    i, p1 = ids, ids["P1"]
    hid, _ = major_closed(db, i, clock)
    clock.t += HOUR
    fine = db.issue_fine(i["L1"], 20000, "隐患失控", p1, hazard_id=hid)
    other = db.issue_fine(i["B1"], 5000, "三违", p1, violation="未戴安全帽")
    assert other > fine > 0
    for kw, error, message in [
            (dict(amount_fen=0), cbc.InvalidError, "positive"),
            (dict(amount_fen=-5), cbc.InvalidError, "positive"),
            (dict(violation="x"), cbc.InvalidError, "exactly one"),
            (dict(hazard_id=0), cbc.InvalidError, "exactly one"),
            (dict(reason=""), cbc.InvalidError, "reason"),
            (dict(hazard_id=777), cbc.NotFoundError, ""),
            (dict(employee_id=10 ** 9), cbc.NotFoundError, ""),
            (dict(actor_id=i["A1"]), cbc.PermissionDenied, "may not fine"),
            (dict(actor_id=i["C1"]), cbc.PermissionDenied, "may not fine")]:
        args = dict(employee_id=i["L1"], amount_fen=20000, reason="隐患失控", actor_id=p1,
                    hazard_id=hid)
        args.update(kw)
        with pytest.raises(error, match=message):
            db.issue_fine(**args)

    s = db.reward_summary(i["E1"], NOV)
    assert (s.unit_id, s.start, s.end) == (i["E1"], at(NOV_START), at(NOV_END))
    assert (s.fines, s.fined_fen) == (2, 25000)  # the refused fines were not stored
    assert s.fine_list == [
        cbc.Fine(fine, i["L1"], i["T1"], 20000, "隐患失控", hid, "", p1, at(clock.t)),
        cbc.Fine(other, i["B1"], i["T2"], 5000, "三违", 0, "未戴安全帽", p1, at(clock.t))]
    assert s.awards == 1
    assert s.awards_by_state == {St.PROPOSED: 1, St.APPROVED: 0, St.PAID: 0, St.DECLINED: 0}
    assert (s.awarded_fen, s.paid_fen) == (50000, 0)

    (a,) = db.awards()
    db.approve_award(a.id, i["C1"])
    db.pay_award(a.id, i["C1"], "凭证")
    s = db.reward_summary(i["E1"], NOV)
    assert s.awards_by_state[St.PAID] == 1 and (s.awarded_fen, s.paid_fen) == (50000, 50000)
    t2 = db.reward_summary(i["T2"], NOV)
    assert (t2.fines, t2.fined_fen, t2.awards) == (1, 5000, 0)
    assert [f.id for f in t2.fine_list] == [other]
    assert db.reward_summary(i["R1"], NOV).fines == 2
    oct_ = db.reward_summary(i["E1"], OCT)
    assert (oct_.fines, oct_.awards, oct_.paid_fen, oct_.fine_list) == (0, 0, 0, [])


def test_summary_leaves_out_declined_money(db, ids, clock):
    i = ids
    major_closed(db, i, clock, "A1")
    major_closed(db, i, clock, "B1")
    first, second = db.awards()
    db.decline_award(second.id, i["C1"], "不符合条件")
    s = db.reward_summary(i["E1"], NOV)
    assert (s.awards, s.awards_by_state[St.PROPOSED], s.awards_by_state[St.DECLINED]) == (2, 1, 1)
    assert s.awarded_fen == 50000
    assert db.reward_summary(i["T2"], NOV).awarded_fen == 0  # B1's, declined


# -- the ledger by unit subtree, and fines listed ----------------------------------
@pytest.fixture
def two(db, ids):
    """ids plus a second enterprise under R1, E2 > W9 > T9, with its own
    worker (A2), principal (P2) and safety officer (S2), all in T9."""
    U, K, E, Ro = cbc.UnitRecord, cbc.UnitKind, cbc.EmployeeRecord, cbc.Role
    db.sync(units=[U("E2", K.ENTERPRISE, "鲁钢", "R1", industry="冶金", high_risk=True),
                   U("W9", K.WORKSHOP, "炼钢车间", "E2"), U("T9", K.TEAM, "丙班", "W9")],
            employees=[E("A2", "刘洋", "T9"), E("P2", "周明", "T9", roles=Ro.PRINCIPAL),
                       E("S2", "吴安", "T9", roles=Ro.SAFETY_OFFICER)],
            strict=True)
    more = {x: db.employee_by_external(x).id for x in ("A2", "P2", "S2")}
    more.update({x: db.unit_by_external(x).id for x in ("E2", "W9", "T9")})
    return dict(ids, **more)


def e2_closed(db, i, clock):
    """A major hazard found by A2 in T9 (E2), registered by P2 and verified by S2."""
    return major_closed(db, dict(i, P1=i["P2"], S1=i["S2"]), clock, "A2")


def test_award_unit_id(db, two, clock):
    i = two
    major_closed(db, i, clock, "A1")
    e2_closed(db, i, clock)
    a1, a2 = db.awards()
    assert (a1.subject_id, a1.unit_id) == (i["A1"], i["T1"])  # where its hazard is
    assert (a2.subject_id, a2.unit_id) == (i["A2"], i["T9"])
    assert db.award(a2.id).unit_id == i["T9"]
    assert db.select_awards(unit_id=i["T9"])[0].unit_id == i["T9"]
    # positional construction without the appended field still works
    assert cbc.Award(*[0] * 25).unit_id == 0


def test_select_awards_by_unit_subtree(db, two, clock):
    i = two
    major_closed(db, i, clock, "A1")
    major_closed(db, i, clock, "B1")
    e2_closed(db, i, clock)
    a1, b1, a2 = db.awards()
    assert db.select_awards() == [a1, b1, a2] == db.select_awards(unit_id=i["R1"])
    assert db.select_awards(unit_id=i["E1"]) == [a1, b1]  # E2's award is not listed
    assert db.select_awards(unit_id=i["E2"]) == [a2]
    assert db.select_awards(unit_id=i["W9"]) == [a2]
    assert db.select_awards(unit_id=i["W1"]) == [a1, b1]
    assert db.select_awards(unit_id=i["T2"]) == [b1]
    assert db.select_awards(unit_id=i["W2"]) == []
    assert db.select_awards(unit_id=i["E1"], subject=(Sk.EMPLOYEE, i["A2"])) == []
    assert db.select_awards(unit_id=i["R1"], subject=(Sk.EMPLOYEE, i["A2"])) == [a2]


def test_select_awards_by_period_and_state(db, two, clock):
    i, c1 = two, two["C1"]
    major_closed(db, i, clock, "A1")
    t1 = clock.t
    e2_closed(db, i, clock)
    a1, a2 = db.awards()
    assert db.select_awards(period=NOV) == [a1, a2]
    assert db.select_awards(period=OCT) == []
    assert db.select_awards(period=Period.month(2023, 12)) == []
    assert db.select_awards(period=Period.range(t1 + 1, clock.t + 1)) == [a2]
    assert db.select_awards(period=Period.range(NOV_START, t1)) == []  # the end is exclusive
    assert db.select_awards(unit_id=i["E1"], period=Period.range(t1 + 1, NOV_END)) == []

    db.approve_award(a2.id, c1)
    a2 = db.award(a2.id)
    assert db.select_awards(state=St.APPROVED) == [a2]
    assert db.select_awards(state=St.PROPOSED) == [a1]
    assert db.select_awards(unit_id=i["E1"], state=St.APPROVED) == []
    assert db.select_awards(unit_id=i["E2"], state=St.APPROVED, period=NOV) == [a2]
    assert db.select_awards(unit_id=i["E2"], state=St.APPROVED, period=OCT) == []
    assert db.select_awards(state=St.PAID) == []


def test_fines_by_unit_subtree_and_window(db, two, clock):
    i = two
    t0 = clock.t
    f1 = db.issue_fine(i["A1"], 5000, "三违", i["P1"], violation="未戴安全帽")
    clock.t += HOUR
    t1 = clock.t
    f2 = db.issue_fine(i["A2"], 8000, "三违", i["P2"], violation="违章作业")
    clock.t += HOUR
    f3 = db.issue_fine(i["B1"], 3000, "三违", i["S1"], violation="脱岗")
    assert db.fines() == [
        cbc.Fine(f1, i["A1"], i["T1"], 5000, "三违", 0, "未戴安全帽", i["P1"], at(t0)),
        cbc.Fine(f2, i["A2"], i["T9"], 8000, "三违", 0, "违章作业", i["P2"], at(t1)),
        cbc.Fine(f3, i["B1"], i["T2"], 3000, "三违", 0, "脱岗", i["S1"], at(clock.t))]
    assert [f.id for f in db.fines(i["E1"])] == [f1, f3]  # E2's fine is not listed
    assert [f.id for f in db.fines(unit_id=i["E2"])] == [f2]
    assert [f.id for f in db.fines(i["W1"])] == [f1, f3]
    assert [f.id for f in db.fines(i["T2"])] == [f3]
    assert db.fines(i["W2"]) == []
    assert [f.id for f in db.fines(i["R1"])] == [f1, f2, f3]
    assert [f.id for f in db.fines(start=t1)] == [f2, f3]
    assert [f.id for f in db.fines(end=t1)] == [f1]  # the end is exclusive
    assert [f.id for f in db.fines(i["E1"], start=t0 + 1, end=clock.t + 1)] == [f3]
    assert db.fines(i["E2"], start=t1 + 1) == []
    # a fine stays where the employee was when fined
    db.sync(employees=[cbc.EmployeeRecord("A1", "王芳", "T3")], strict=True)
    assert [f.id for f in db.fines(i["T1"])] == [f1]
    assert db.fines(i["T3"]) == []


def test_select_awards_and_fines_bad_arguments(db, two, clock):
    i = two
    major_closed(db, i, clock, "A1")
    for kw in [dict(unit_id="E1"), dict(unit_id=1.5), dict(unit_id=True),
               dict(state=cbc.HazardState.CLOSED), dict(state=True),
               dict(state=1.0), dict(period=(2023, 11)), dict(period=NOV_START)]:
        with pytest.raises(TypeError):
            db.select_awards(**kw)
    with pytest.raises(TypeError):
        db.select_awards(i["E1"])  # keyword arguments only
    with pytest.raises(cbc.NotFoundError):
        db.select_awards(unit_id=10 ** 9)
    assert db.select_awards(state="paid") == db.select_awards(state=cbc.AwardState.PAID)
    for kw, message in [(dict(unit_id=-1), "negative"), (dict(state=9), "state"),
                        (dict(state="unpaid"), "state"),
                        (dict(subject=(9, 1)), "subject"),
                        (dict(period=Period.month(2023, 13)), "")]:
        with pytest.raises(cbc.InvalidError, match=message):
            db.select_awards(**kw)
    for args in [("E1",), (1.5,), (i["E1"], "0"), (i["E1"], 0, "1")]:
        with pytest.raises(TypeError):
            db.fines(*args)
    with pytest.raises(cbc.NotFoundError):
        db.fines(10 ** 9)
    for args, message in [((-1,), "negative"), ((0, 5, 5), "range"), ((0, 9, 5), "range"),
                          ((0, -1), "range")]:
        with pytest.raises(cbc.InvalidError, match=message):
            db.fines(*args)
