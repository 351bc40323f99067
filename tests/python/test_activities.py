"""The activity binding: training, drills, supervision, proposals,
participation, and the compliance lists, with their errors."""
import pytest

import cbc
from conftest import at
from cbc import Attendee, DrillGap, TrainingKind as K, TrainingNeed

DAY = 86400


def test_training_kind_name():
    assert cbc.training_kind_name(K.ALL_STAFF) == "all staff"
    assert cbc.training_kind_name(K.INDUCTION_ENTERPRISE) == "enterprise induction"
    assert cbc.training_kind_name(99) is None
    assert [int(k) for k in K] == list(range(1, 9))


# -- training ---------------------------------------------------------------
def test_training_round_trip(db, campaign, clock):
    i = campaign
    tid = db.add_training(i["T1"], K.ALL_STAFF, clock.t - 3600, 90, "全员安全培训",
                          [(i["L1"], True), Attendee(i["A1"], False)])
    assert tid > 0
    t = db.training(tid)
    attendees = sorted([Attendee(i["L1"], True), Attendee(i["A1"], False)],
                       key=lambda a: a.employee_id)
    assert t == cbc.Training(tid, K.ALL_STAFF, i["T1"], at(clock.t - 3600), 90, "全员安全培训",
                             at(clock.t), attendees)
    assert t.kind is K.ALL_STAFF
    # a union cadre and a bureau inspector may attend any session
    other = db.add_training(i["T2"], K.WARNING_EDUCATION, clock.t, 1, "警示教育",
                            [(i["B1"], True), (i["C1"], True), (i["I1"], False)])
    assert [a.employee_id for a in db.training(other).attendees] == sorted(
        [i["B1"], i["C1"], i["I1"]])


def test_leader_class(db, campaign, clock):
    i = campaign
    tid = db.add_training(i["E1"], K.LEADER_CLASS, clock.t, 120, "负责人培训班",
                          [Attendee(i["L1"]), Attendee(i["P1"])])
    assert db.training(tid).attendees == [Attendee(i["L1"], True), Attendee(i["P1"], True)]
    with pytest.raises(cbc.InvalidError):  # A1 heads no unit
        db.add_training(i["E1"], K.LEADER_CLASS, clock.t, 120, "负责人培训班",
                        [(i["L1"], True), (i["A1"], True)])


@pytest.mark.parametrize("change, error", [
    (dict(attendees="outsider"), cbc.InvalidError),       # B1 is in T2, not T1
    (dict(attendees="twice"), cbc.InvalidError),
    (dict(attendees=[]), cbc.InvalidError),
    (dict(attendees=[(10 ** 9, True)]), cbc.NotFoundError),
    (dict(held_at=1), cbc.InvalidError),                  # after the clock (set below)
    (dict(minutes=0), cbc.InvalidError),
    (dict(minutes=1441), cbc.InvalidError),
    (dict(title=""), cbc.InvalidError),
    (dict(unit_id=10 ** 9), cbc.NotFoundError),
    (dict(kind=42), cbc.InvalidError),
])
def test_training_refused(db, campaign, clock, change, error):
    i = campaign
    args = dict(unit_id=i["T1"], kind=K.ALL_STAFF, held_at=clock.t, minutes=60, title="培训",
                attendees=[(i["A1"], True)])
    args.update(change)
    if args["attendees"] == "outsider":
        args["attendees"] = [(i["B1"], True)]
    elif args["attendees"] == "twice":
        args["attendees"] = [(i["A1"], True), (i["A1"], False)]
    if args["held_at"] == 1:
        args["held_at"] = clock.t + 1
    with pytest.raises(error) as e:
        db.add_training(**args)
    assert e.value.code == {cbc.InvalidError: cbc.ErrorCode.EINVAL,
                            cbc.NotFoundError: cbc.ErrorCode.ENOTFOUND}[error]
    with pytest.raises(cbc.NotFoundError):  # nothing was stored
        db.training(1)


def test_training_not_found(db):
    with pytest.raises(cbc.NotFoundError):
        db.training(12345)


# -- drills -----------------------------------------------------------------
def test_drill_round_trip(db, campaign, clock):
    i = campaign
    did = db.add_drill(i["W1"], clock.t - 60, "火灾疏散", [i["T2"], i["T1"]])
    assert db.drill(did) == cbc.Drill(did, i["W1"], at(clock.t - 60), "火灾疏散", at(clock.t),
                                      sorted([i["T1"], i["T2"]]))
    with pytest.raises(cbc.InvalidError):  # T3 is not under W1
        db.add_drill(i["W1"], clock.t, "演练", [i["T3"]])
    with pytest.raises(cbc.InvalidError):  # a team does not hold drills
        db.add_drill(i["T1"], clock.t, "演练", [i["T1"]])
    with pytest.raises(cbc.InvalidError):
        db.add_drill(i["E1"], clock.t, "演练", [i["T1"], i["T1"]])
    with pytest.raises(cbc.InvalidError):
        db.add_drill(i["E1"], clock.t, "演练", [])
    with pytest.raises(cbc.NotFoundError):
        db.add_drill(10 ** 9, clock.t, "演练", [i["T1"]])
    with pytest.raises(cbc.NotFoundError):
        db.drill(did + 1)


# -- supervision ------------------------------------------------------------
def test_cadre_assignments(db, campaign, clock):
    i, t = campaign, clock.t
    aid = db.assign_cadre(i["C1"], i["E1"], t - 10 * DAY)
    assert aid > 0
    with pytest.raises(cbc.ConflictError):  # overlaps the open-ended one
        db.assign_cadre(i["C1"], i["E1"], t - 5 * DAY, t - 4 * DAY)
    with pytest.raises(cbc.InvalidError):  # at not after the start
        db.release_cadre(aid, t - 10 * DAY)
    db.release_cadre(aid, t - 5 * DAY)
    with pytest.raises(cbc.StateError):
        db.release_cadre(aid, t - 4 * DAY)
    assert db.assign_cadre(i["C1"], i["E1"], t - 5 * DAY, t) > aid  # no overlap any more
    assert db.assign_cadre(i["C1"], i["R1"], t - DAY) > 0
    with pytest.raises(cbc.InvalidError):  # not a cadre
        db.assign_cadre(i["A1"], i["E1"], t)
    with pytest.raises(cbc.InvalidError):  # a team
        db.assign_cadre(i["C1"], i["T1"], t)
    with pytest.raises(cbc.InvalidError):  # inverted
        db.assign_cadre(i["C1"], i["E1"], t + 2 * DAY, t + DAY)
    with pytest.raises(cbc.NotFoundError):
        db.release_cadre(10 ** 9, t)


def test_visits(db, campaign, clock):
    i, t = campaign, clock.t
    assert db.add_visit(i["C1"], i["E1"], t - 60, "消防通道畅通") > 0
    assert db.add_visit(i["C1"], i["T1"], t) > 0  # findings may be empty
    assert db.took_part(i["C1"], t - 60, t - 59) is True
    assert db.took_part(i["C1"], t - 59, t) is False
    with pytest.raises(cbc.InvalidError):  # not a cadre
        db.add_visit(i["A1"], i["E1"], t)
    with pytest.raises(cbc.InvalidError):  # after the clock
        db.add_visit(i["C1"], i["E1"], t + 1)
    with pytest.raises(cbc.NotFoundError):
        db.add_visit(i["C1"], 10 ** 9, t)


# -- proposals --------------------------------------------------------------
def test_proposal_life(db, campaign, clock):
    i, t = campaign, clock.t
    pid = db.submit_proposal(i["A1"], "护栏加高", "三号线护栏加高至1.2米")
    S = cbc.ProposalStatus
    assert db.proposal(pid) == cbc.Proposal(pid, i["A1"], i["T1"], "护栏加高",
                                            "三号线护栏加高至1.2米", at(t), S.SUBMITTED, 0,
                                            None, "")
    with pytest.raises(cbc.PermissionDenied):  # a worker may not decide
        db.decide_proposal(pid, i["B1"], True)
    clock.t += 60
    db.decide_proposal(pid, i["P1"], True, "采纳，奖励")
    p = db.proposal(pid)
    assert (p.status, p.decided_by, p.decided_at, p.note) == (S.ADOPTED, i["P1"], at(t + 60),
                                                              "采纳，奖励")
    assert p.status is S.ADOPTED
    with pytest.raises(cbc.StateError) as e:  # decided once only
        db.decide_proposal(pid, i["C1"], False)
    assert e.value.code == cbc.ErrorCode.ESTATE
    assert db.proposal(pid).status is S.ADOPTED

    other = db.submit_proposal(i["B1"], "照明", "增加照明", unit_id=i["W1"])
    assert db.proposal(other).unit_id == i["W1"]
    db.decide_proposal(other, i["C1"], False)  # a union cadre may decide
    p = db.proposal(other)
    assert (p.status, p.decided_by, p.note) == (S.NOT_ADOPTED, i["C1"], "")
    with pytest.raises(cbc.InvalidError):
        db.submit_proposal(i["A1"], "", "text")
    with pytest.raises(cbc.NotFoundError):
        db.submit_proposal(10 ** 9, "t", "text")
    with pytest.raises(cbc.NotFoundError):
        db.proposal(10 ** 9)


# -- participation ----------------------------------------------------------
def test_took_part(db, campaign, clock):
    i, t = campaign, clock.t
    assert not any(db.took_part(i[x], 0, t + 1) for x in ("L1", "A1", "B1", "P1", "C1", "N1"))
    db.add_training(i["T1"], K.ALL_STAFF, t - 100, 30, "培训", [(i["A1"], False)])
    assert db.took_part(i["A1"], t - 100, t - 99) is True  # passed or not
    assert db.took_part(i["A1"], t - 99, t + 1) is False
    assert db.took_part(i["L1"], 0, t + 1) is False
    db.add_drill(i["W1"], t - 50, "演练", [i["T2"]])  # B1 and N1 are in T2
    assert (db.took_part(i["B1"], t - 50, t), db.took_part(i["N1"], t - 50, t)) == (True, True)
    assert db.took_part(i["L1"], 0, t + 1) is False
    db.report(i["T1"], "隐患", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
              cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
              reporter_id=i["L1"])
    assert db.took_part(i["L1"], t, t + 1) is True
    db.submit_proposal(i["P1"], "建议", "内容")
    assert db.took_part(i["P1"], t, t + 1) is True
    with pytest.raises(cbc.InvalidError):
        db.took_part(i["A1"], t, t)
    with pytest.raises(cbc.NotFoundError):
        db.took_part(10 ** 9, 0, t)


# -- compliance -------------------------------------------------------------
def test_untrained(db, campaign, clock):
    i, t = campaign, clock.t  # 2023-11-15 in Beijing
    everyone = sorted(i[x] for x in ("L1", "A1", "B1", "P1", "N1"))
    assert db.untrained(i["E1"], 2023) == everyone
    db.add_training(i["T1"], K.ALL_STAFF, t, 60, "培训", [(i["L1"], True), (i["A1"], False)])
    assert db.untrained(i["E1"], 2023) == sorted(i[x] for x in ("A1", "B1", "P1", "N1"))
    assert db.untrained(i["T1"], 2023) == [i["A1"]]
    assert db.untrained(i["R1"], 2023) == sorted(i[x] for x in ("A1", "B1", "P1", "N1", "I1",
                                                                "C1"))
    assert db.untrained(i["E1"], 2022) == everyone
    assert db.untrained(i["T3"], 2023) == [i["P1"]]
    with pytest.raises(cbc.InvalidError):
        db.untrained(i["E1"], 1969)
    with pytest.raises(cbc.NotFoundError):
        db.untrained(10 ** 9, 2023)


def test_training_needs(db, campaign, clock):
    i, t = campaign, clock.t
    hired = at(t - 30 * DAY)
    assert db.training_needs(i["E1"]) == [TrainingNeed(
        i["N1"], cbc.NeedReason.INDUCTION, hired,
        frozenset({K.INDUCTION_ENTERPRISE, K.INDUCTION_WORKSHOP, K.INDUCTION_TEAM}))]
    db.add_training(i["E1"], K.INDUCTION_ENTERPRISE, t - 20 * DAY, 480, "厂级教育",
                    [(i["N1"], True)])
    db.add_training(i["W1"], K.INDUCTION_WORKSHOP, t - 19 * DAY, 480, "车间级教育",
                    [(i["N1"], False)])  # not passed: still missing
    assert db.training_needs(i["E1"]) == [TrainingNeed(
        i["N1"], cbc.NeedReason.INDUCTION, hired,
        frozenset({K.INDUCTION_WORKSHOP, K.INDUCTION_TEAM}))]
    assert db.training_needs(i["T1"]) == []

    db.transfer(i["A1"], i["T2"], t - 10 * DAY)
    needs = db.training_needs(i["W1"], at=t)
    assert needs == sorted([
        TrainingNeed(i["A1"], cbc.NeedReason.TRANSFER, at(t - 10 * DAY), frozenset()),
        TrainingNeed(i["N1"], cbc.NeedReason.INDUCTION, hired,
                     frozenset({K.INDUCTION_WORKSHOP, K.INDUCTION_TEAM}))],
        key=lambda n: n.employee_id)
    db.add_training(i["T2"], K.RETRAINING, t - DAY, 120, "转岗培训", [(i["A1"], True)])
    assert [n.employee_id for n in db.training_needs(i["W1"])] == [i["N1"]]
    with pytest.raises(cbc.NotFoundError):
        db.training_needs(10 ** 9)


def test_drill_gaps(db, campaign, clock):
    i, t = campaign, clock.t
    E1 = i["E1"]
    assert db.drill_gaps(E1, 2023) == [DrillGap(E1, 0, 0), DrillGap(E1, i["T1"], 0),
                                       DrillGap(E1, i["T2"], 0), DrillGap(E1, i["T3"], 0)]
    db.add_drill(i["W1"], t - DAY, "火灾疏散", [i["T1"], i["T2"]])
    db.add_drill(E1, t, "煤气泄漏", [i["T1"]])
    assert db.drill_gaps(E1, 2023) == [DrillGap(E1, i["T2"], 1), DrillGap(E1, i["T3"], 0)]
    assert db.drill_gaps(i["T2"], 2023) == [DrillGap(E1, i["T2"], 1)]
    assert db.drill_gaps(i["T1"], 2023) == []
    assert db.drill_gaps(E1, 2024)[0] == DrillGap(E1, 0, 0)
    with pytest.raises(cbc.InvalidError):
        db.drill_gaps(E1, 10000)
    with pytest.raises(cbc.NotFoundError):
        db.drill_gaps(10 ** 9, 2023)
