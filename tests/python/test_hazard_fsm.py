import pytest

import cbc
from conftest import at
from cbc import HazardAction as A, HazardState as S


def test_transitions():
    assert cbc.hazard_transition(None, A.REPORT) is S.REPORTED
    assert cbc.hazard_transition(S.REPORTED, A.REGISTER) is S.REGISTERED
    assert cbc.hazard_transition(S.RECTIFYING, A.ESCALATE) is S.RECTIFYING
    assert cbc.hazard_transition(S.PENDING_VERIFICATION, A.VERIFY_FAIL) is S.RECTIFYING
    with pytest.raises(cbc.StateError, match="REOPEN is not allowed in state REJECTED"):
        cbc.hazard_transition(S.REJECTED, A.REOPEN)
    with pytest.raises(cbc.InvalidError):
        cbc.hazard_transition(S.REPORTED, 99)


def test_dot_and_enums():
    dot = cbc.hazard_fsm_dot()
    assert dot.startswith("digraph hazard_lifecycle {")
    assert "PENDING_VERIFICATION -> CLOSED" in dot
    assert [s.name for s in S][0] == "REPORTED"
    # The binding's actions are exactly the library's, in order, whatever
    # their count (15 since CBC_ACTION_AMEND in 1.2).
    assert [int(a) for a in A] == cbc.enum_values(cbc.EnumType.HAZARD_ACTION)
    assert [cbc.enum_name(cbc.EnumType.HAZARD_ACTION, a).upper() for a in A] == [a.name for a in A]
    assert cbc.Severity.MAJOR == 2 and cbc.CheckItem.KEY_POINT_CONTROL == 6


def test_report_lookup_history(org, clock):
    t1 = org.unit_by_external("T1").id
    a1 = org.employee_by_external("A1").id
    sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    hid, key = org.report(t1, "安全通道堵塞", cbc.HazardKind.SOFT, cbc.HazardCategory.SAFETY,
                          cbc.CheckItem.FIXED_POSITION, cbc.HazardSource.SNAPSHOT,
                          cbc.Severity.GENERAL, reporter_id=a1,
                          attachments=[cbc.Attachment("file:///p.jpg", "image/jpeg", 10, sha)])
    assert key is None
    h = org.hazard(hid)
    assert h.state is S.REPORTED and h.title == "安全通道堵塞" and h.reported_at == at(clock.t)
    assert h.attachments[0].stage is cbc.AttachmentStage.REPORT
    (event,) = org.hazard_history(hid)
    assert event.action is A.REPORT and event.data["title"] == "安全通道堵塞"
    hid2, key = org.report(t1, "匿名举报", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                           cbc.CheckItem.RULES, cbc.HazardSource.HOTLINE, cbc.Severity.MAJOR)
    assert len(key) == 32 and org.hazard(hid2).reporter_id == 0
    with pytest.raises(cbc.InvalidError, match="only hotline"):
        org.report(t1, "x", 1, 1, 1, cbc.HazardSource.SNAPSHOT, 1)
    with pytest.raises(cbc.NotFoundError):
        org.hazard(999)


def test_lifecycle_moves(org, clock):
    t1 = org.unit_by_external("T1").id
    ids = {x: org.employee_by_external(x).id for x in ("A1", "L1", "P1", "I1")}
    hid, _ = org.report(t1, "护栏松动", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                        cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.SELF_CHECK,
                        cbc.Severity.GENERAL, reporter_id=ids["A1"])
    with pytest.raises(cbc.PermissionDenied, match="registering"):
        org.register(hid, ids["A1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "紧固",
                     clock.t + 86400, "警示")
    org.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "紧固", clock.t + 86400,
                 "警示", funds_fen=100)
    org.start(hid, ids["L1"])
    org.request_extension(hid, ids["L1"], clock.t + 3 * 86400, "备件")
    org.decide_extension(hid, ids["P1"], True)
    org.submit(hid, ids["L1"], "已紧固")
    with pytest.raises(cbc.PermissionDenied, match="submitted"):
        org.verify(hid, ids["L1"], True)
    org.verify(hid, ids["P1"], False, "仍松动")
    assert org.hazard(hid).reopen_count == 1
    org.submit(hid, ids["L1"], "再次紧固")
    org.verify(hid, ids["P1"], True)
    h = org.hazard(hid)
    assert h.state is S.CLOSED and h.deadline == at(clock.t + 3 * 86400)
    with pytest.raises(cbc.StateError, match="START is not allowed in state CLOSED"):
        org.start(hid, ids["L1"])
    plan = dict(goals="g", methods="m", funds_materials="f", responsible_bodies="r",
                time_limit=clock.t + 86400, safety_measures="s")
    major, _ = org.report(t1, "重大", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                          cbc.CheckItem.RULES, cbc.HazardSource.EXPERT, cbc.Severity.MAJOR,
                          reporter_id=ids["A1"])
    org.register(major, ids["P1"], cbc.Severity.MAJOR, cbc.Level.ENTERPRISE, "m",
                 clock.t + 86400, "c", plan=plan)
    org.list_supervision(major, ids["I1"], "应急管理局", "督1号")
    assert org.hazard(major).state is S.REGISTERED
    assert [e.action for e in org.hazard_history(major)][-1] is A.LIST_SUPERVISION


def test_hazard_moves(org, clock):
    """Database.hazard_moves offers exactly the moves the library then accepts."""
    ids = {x: org.employee_by_external(x).id for x in ("A1", "L1", "B1", "P1", "I1")}
    t1 = org.unit_by_external("T1").id
    hid, _ = org.report(t1, "护栏松动", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                        cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.SELF_CHECK,
                        cbc.Severity.GENERAL, reporter_id=ids["B1"])
    assert org.hazard_moves(hid, ids["L1"]) == {A.REJECT, A.REGISTER}
    assert org.hazard_moves(hid, ids["A1"]) == frozenset()
    with pytest.raises(cbc.PermissionDenied):
        org.register(hid, ids["A1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "紧固",
                     clock.t + 86400, "警示")
    org.register(hid, ids["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "紧固", clock.t + 86400,
                 "警示")
    team_leader = {A.START, A.ESCALATE, A.REQUEST_EXTENSION, A.AMEND}
    assert org.hazard_moves(hid, ids["L1"]) == team_leader
    assert org.hazard_moves(hid, ids["P1"]) == team_leader
    # a worker sees none on someone else's registered hazard, nor does its reporter
    for who in ("A1", "B1", "I1"):
        assert org.hazard_moves(hid, ids[who]) == frozenset()
        with pytest.raises(cbc.PermissionDenied):
            org.start(hid, ids[who])
    org.request_extension(hid, ids["L1"], clock.t + 3 * 86400, "备件")
    assert org.hazard_moves(hid, ids["L1"]) == team_leader - {A.REQUEST_EXTENSION}
    assert A.DECIDE_EXTENSION in org.hazard_moves(hid, ids["P1"])
    with pytest.raises(cbc.StateError):
        org.request_extension(hid, ids["L1"], clock.t + 4 * 86400, "再延")
    with pytest.raises(cbc.PermissionDenied):
        org.decide_extension(hid, ids["L1"], True)
    org.decide_extension(hid, ids["P1"], True)
    org.start(hid, ids["L1"])
    org.submit(hid, ids["L1"], "已紧固")
    # nobody verifies what they submitted
    assert org.hazard_moves(hid, ids["L1"]) == {A.AMEND}
    assert org.hazard_moves(hid, ids["P1"]) == {A.VERIFY_PASS, A.VERIFY_FAIL, A.AMEND}
    with pytest.raises(cbc.PermissionDenied, match="submitted"):
        org.verify(hid, ids["L1"], True)
    with pytest.raises(cbc.NotFoundError):
        org.hazard_moves(hid + 1, ids["L1"])
    with pytest.raises(cbc.NotFoundError):
        org.hazard_moves(hid, 9999)
    with pytest.raises(cbc.InvalidError):
        org.hazard_moves(0, ids["L1"])
