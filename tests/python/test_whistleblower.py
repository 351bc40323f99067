"""The whistle-blower reward as the national rule (安全生产领域举报奖励办法,
安监总财〔2018〕19号; docs/rewards.md): cbc.policy_preset("whistleblower_2018"),
the administrative penalty a bureau inspector records (Database.record_penalty,
Database.penalty, cbc.Penalty), and the anonymous hotline tip-off's award,
15 % of the penalty clamped to 3,000..300,000 yuan, found by its follow-up key."""
import dataclasses
import json

import pytest

import cbc
from conftest import at
from cbc import HazardState, Level, Severity

HOUR, DAY = 3600, 86400
PRESET = "whistleblower_2018"
DOCUMENT = "济应急罚〔2023〕1号"


@pytest.fixture
def ids(db, campaign):
    """conftest's campaign (I1: a bureau inspector in R1, the region over E1;
    C1: a union cadre in R1) plus a safety officer of E1 (S1, in T3), who
    verifies major hazards, and a second region R2 with its own inspector I2
    (over nothing of E1's)."""
    E, U, R = cbc.EmployeeRecord, cbc.UnitRecord, cbc.Role
    db.sync(units=[U("R2", cbc.UnitKind.REGION, "淄博市")],
            employees=[E("S1", "安全员", "T3", roles=R.SAFETY_OFFICER),
                       E("I2", "外市监察", "R2", roles=R.BUREAU_INSPECTOR)], strict=True)
    return dict(campaign, S1=db.employee_by_external("S1").id,
                I2=db.employee_by_external("I2").id)


@pytest.fixture
def preset(db, ids):
    """The preset, set as the policy by the union cadre; its text."""
    text = cbc.policy_preset(PRESET)
    db.set_policy(text, ids["C1"])
    return text


def tip(db, i, clock, severity=Severity.MAJOR):
    """An anonymous hotline tip-off (no reporter) in T1; (hazard_id, follow-up key)."""
    clock.t += HOUR
    hid, key = db.report(i["T1"], "违规动火", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                         cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.HOTLINE, severity)
    assert key
    return hid, key


def register(db, i, clock, hid):
    """Register a major hazard with its rectification plan (P1, at ENTERPRISE level)."""
    clock.t += HOUR
    deadline = clock.t + 20 * DAY
    plan = cbc.RectificationPlan("目标", "方法", "经费", "设备科", deadline, "监护")
    db.register(hid, i["P1"], Severity.MAJOR, Level.ENTERPRISE, "整改", deadline, "警示",
                plan=plan)


def rectify_and_verify(db, i, clock, hid):
    """Rectify (P1) and verify (the safety officer S1): closed."""
    clock.t += HOUR
    db.start(hid, i["P1"])
    clock.t += HOUR
    db.submit(hid, i["P1"], "已整改")
    clock.t += HOUR
    db.verify(hid, i["S1"], True)
    assert db.hazard(hid).state == HazardState.CLOSED


def closed_tip(db, i, clock):
    """An anonymous major-hazard tip-off, registered with its plan, rectified
    and verified; (hazard_id, follow-up key)."""
    hid, key = tip(db, i, clock)
    register(db, i, clock, hid)
    rectify_and_verify(db, i, clock, hid)
    return hid, key


# -- the preset -------------------------------------------------------------------
def test_preset_text():
    text = cbc.policy_preset(PRESET)
    data = json.loads(text)
    tip_rule = data["rules"]["hotline_tip"]
    assert tip_rule["percent_of_fine"] == 15
    assert tip_rule["min_fen"] == 300000       # 3,000 yuan
    assert tip_rule["max_fen"] == 30000000     # 300,000 yuan
    assert tip_rule["major_only"] is True
    assert tip_rule["amount_fen"] == 0         # the share, not the flat amount
    # the rest is the built-in defaults
    defaults = json.loads(cbc.policy_defaults())
    assert defaults["rules"]["hotline_tip"]["percent_of_fine"] == 0
    assert defaults["rules"]["hotline_tip"]["major_only"] is False
    assert {k: v for k, v in data.items() if k != "rules"} == \
        {k: v for k, v in defaults.items() if k != "rules"}
    assert {r: v for r, v in data["rules"].items() if r != "hotline_tip"} == \
        {r: v for r, v in defaults["rules"].items() if r != "hotline_tip"}
    assert cbc.Database.policy_preset(PRESET) == text  # on Database too, as policy_defaults


def test_preset_set_as_the_policy(db, ids):
    text = cbc.policy_preset(PRESET)
    assert db.policy_preset(PRESET) == text
    version = db.set_policy(text, ids["C1"])
    policy = db.policy()
    assert policy.version == version == 2
    assert policy.text == text                 # canonical: what is stored
    assert policy.data == json.loads(text)


def test_unknown_preset():
    with pytest.raises(cbc.NotFoundError, match=PRESET) as e:  # the message lists them
        cbc.policy_preset("no_such")
    assert e.value.code == cbc.ErrorCode.ENOTFOUND
    assert isinstance(e.value, KeyError)
    with pytest.raises(cbc.NotFoundError):
        cbc.policy_preset("")
    for bad in (None, b"whistleblower_2018", 2018):
        with pytest.raises(TypeError, match="name: expected str"):
            cbc.policy_preset(bad)


# -- the share of the penalty, by hand -----------------------------------------------
# (the penalty, the award), in fen: 15 % of the penalty, at least 300000 fen
# (3,000 yuan) and at most 30000000 fen (300,000 yuan).
SHARES = [
    pytest.param(1000000, 300000, id="below-the-minimum"),     # 15 % of 10,000 yuan is 1,500
    pytest.param(50000000, 7500000, id="in-the-middle"),       # 15 % of 500,000 yuan: 75,000
    pytest.param(300000000, 30000000, id="above-the-maximum"),  # 15 % of 3,000,000: 450,000
]


@pytest.mark.parametrize("fine_fen, award_fen", SHARES)
def test_award_is_the_share_of_the_penalty(db, ids, clock, preset, fine_fen, award_fen):
    i = ids
    hid, key = closed_tip(db, i, clock)
    # closed, but the share waits for the penalty: no award yet
    with pytest.raises(cbc.NotFoundError):
        db.award_by_key(key)
    waiting = db.explain_hazard_reward(hid).decisions
    assert len(waiting) == 1 and not waiting[0].eligible
    assert "administrative penalty" in waiting[0].reasons

    clock.t += HOUR
    db.record_penalty(hid, i["I1"], fine_fen, DOCUMENT)
    award = db.award_by_key(key)
    assert award.amount_fen == award_fen
    assert award.rule == cbc.RewardRule.HOTLINE_TIP and award.rule_name == "hotline_tip"
    assert award.subject_kind == cbc.SubjectKind.ANONYMOUS and award.subject_id == hid
    assert award.hazard_id == hid and award.state == cbc.AwardState.PROPOSED
    assert award.proposed_at == at(clock.t)    # made with the penalty, dated then
    assert award.policy_version == db.policy().version
    assert db.awards() == [award]              # once
    decision, = db.explain_hazard_reward(hid).decisions
    assert decision.eligible and decision.amount_fen == award_fen
    assert decision.award_id == award.id


def test_penalty_before_the_closure(db, ids, clock, preset):
    """A penalty recorded before the closure: the closure makes the award."""
    i = ids
    hid, key = tip(db, i, clock)
    register(db, i, clock, hid)
    clock.t += HOUR
    db.record_penalty(hid, i["I1"], 20000000, DOCUMENT)  # 200,000 yuan
    assert db.awards() == []
    rectify_and_verify(db, i, clock, hid)
    assert db.award_by_key(key).amount_fen == 3000000    # 15 %: 30,000 yuan


# -- the penalty record -------------------------------------------------------------
def test_penalty_fields(db, ids, clock, preset):
    i = ids
    hid, _ = closed_tip(db, i, clock)
    clock.t += HOUR
    assert db.record_penalty(hid, i["I1"], 50000000, DOCUMENT) is None
    p = db.penalty(hid)
    assert p == cbc.Penalty(hid, 50000000, DOCUMENT, i["I1"], at(clock.t))
    assert (p.hazard_id, p.amount_fen, p.document, p.recorded_by) == \
        (hid, 50000000, DOCUMENT, i["I1"])
    assert p.recorded_at == at(clock.t)
    assert p.recorded_at.utcoffset().total_seconds() == db.utc_offset  # the database's offset
    assert [f.name for f in dataclasses.fields(cbc.Penalty)] == \
        ["hazard_id", "amount_fen", "document", "recorded_by", "recorded_at"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.amount_fen = 1
    assert db.history_verify().sound           # chained like every record


def test_second_penalty_is_a_state_error(db, ids, clock, preset):
    i = ids
    hid, key = closed_tip(db, i, clock)
    clock.t += HOUR
    db.record_penalty(hid, i["I1"], 50000000, DOCUMENT)
    first, award = db.penalty(hid), db.award_by_key(key)
    clock.t += HOUR
    with pytest.raises(cbc.StateError, match="already has its penalty"):
        db.record_penalty(hid, i["I1"], 5, "二次")
    assert db.penalty(hid) == first
    assert db.awards() == [award]


def test_only_an_inspector_over_the_hazard_records(db, ids, clock, preset):
    i = ids
    hid, key = closed_tip(db, i, clock)
    e1 = i["E1"]
    before = (db.history_head(e1), db.history_head(0), db.awards())
    for who, why in (("P1", "bureau inspector"), ("C1", "bureau inspector"),
                     ("A1", "bureau inspector"), ("I2", "over the hazard's unit")):
        with pytest.raises(cbc.PermissionDenied, match=why) as e:
            db.record_penalty(hid, i[who], 50000000, DOCUMENT)
        assert e.value.code == cbc.ErrorCode.EPERM
    # nothing written: no penalty, no award, the chains as they were
    with pytest.raises(cbc.NotFoundError, match="no penalty"):
        db.penalty(hid)
    with pytest.raises(cbc.NotFoundError):
        db.award_by_key(key)
    assert (db.history_head(e1), db.history_head(0), db.awards()) == before
    # the question front ends ask gives the same answers
    assert [db.may_record_penalty(hid, i[w]) for w in ("P1", "C1", "A1", "I2", "I1")] == \
        [False, False, False, False, True]
    db.record_penalty(hid, i["I1"], 50000000, DOCUMENT)  # the inspector over it may
    assert not db.may_record_penalty(hid, i["I1"])       # once
    assert db.history_head(e1).seq > before[0].seq      # (so the heads above can move)
    assert db.award_by_key(key).amount_fen == 7500000


def test_bad_penalties_write_nothing(db, ids, clock, preset):
    i = ids
    hid, _ = tip(db, i, clock)
    with pytest.raises(cbc.StateError, match="not registered"):
        db.record_penalty(hid, i["I1"], 100, DOCUMENT)
    register(db, i, clock, hid)
    for amount in (0, -5, 100000000000 + 1):
        with pytest.raises(cbc.InvalidError, match=r"1\.\."):
            db.record_penalty(hid, i["I1"], amount, DOCUMENT)
    for document in ("", "两行\n文号"):
        with pytest.raises(cbc.InvalidError, match="document"):
            db.record_penalty(hid, i["I1"], 100, document)
    with pytest.raises(cbc.InvalidError):
        db.record_penalty(hid, i["I1"], 100, None)
    with pytest.raises(TypeError):
        db.record_penalty(hid, i["I1"], 100.0, DOCUMENT)
    with pytest.raises(cbc.NotFoundError):
        db.record_penalty(hid + 100, i["I1"], 100, DOCUMENT)
    with pytest.raises(cbc.NotFoundError):
        db.record_penalty(hid, 999999, 100, DOCUMENT)
    with pytest.raises(cbc.NotFoundError, match="no penalty"):
        db.penalty(hid)
    with pytest.raises(cbc.NotFoundError):
        db.penalty(hid + 100)


def test_penalty_kind_in_the_history():
    assert cbc.HistoryKind.PENALTY == 14
    assert cbc.HistoryKind(14) is cbc.HistoryKind.PENALTY
    assert cbc.enum_name(cbc.EnumType.HISTORY_KIND, cbc.HistoryKind.PENALTY) == "penalty"
    assert cbc.HistoryKind.PENALTY.label
