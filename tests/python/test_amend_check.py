"""Corrections (Database.amend, cbc_hazard_amend) and the integrity check
(Database.check, cbc_db_check) from Python."""
import sqlite3

import pytest

import cbc
from conftest import at
from cbc import HazardAction as A, HazardState as S, Level, Severity

DAY = 86400


@pytest.fixture
def ids(org):
    out = {x: org.employee_by_external(x).id for x in ("A1", "B1", "L1", "P1", "I1")}
    out.update({x: org.unit_by_external(x).id for x in ("E1", "T1")})
    return out


def registered(db, ids, clock):
    hid, _ = db.report(ids["T1"], "配电箱门损坏", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, Severity.GENERAL,
                       reporter_id=ids["A1"])
    db.register(hid, ids["L1"], Severity.GENERAL, Level.TEAM, "更换门锁", clock.t + 10 * DAY,
                "设置警示牌", funds_fen=30000)
    return hid


def test_amend_fields_and_history(org, ids, clock):
    hid = registered(org, ids, clock)
    clock.t += 60
    org.amend(hid, ids["L1"], "登记时录入有误", responsible_id=ids["A1"], measures="更换整个门",
              funds_fen=0, deadline=clock.t + 5 * DAY, kind=cbc.HazardKind.SOFT,
              check_item=cbc.CheckItem.FIXED_POSITION)
    h = org.hazard(hid)
    assert h.state is S.REGISTERED
    assert (h.responsible_id, h.measures, h.funds_fen) == (ids["A1"], "更换整个门", 0)
    assert h.deadline == h.original_deadline == at(clock.t + 5 * DAY)
    assert h.kind is cbc.HazardKind.SOFT and h.check_item is cbc.CheckItem.FIXED_POSITION
    assert h.contingency_plan == "设置警示牌" and h.category is cbc.HazardCategory.SAFETY
    last = org.hazard_history(hid)[-1]
    assert last.action is A.AMEND and last.from_state is S.REGISTERED
    assert last.data["reason"] == "登记时录入有误" and last.data["measures"] == "更换整个门"
    assert last.data["amended"] == (lib_bits("RESPONSIBLE", "MEASURES", "FUNDS", "DEADLINE",
                                             "KIND", "CHECK_ITEM"))
    assert cbc.enum_name(cbc.EnumType.HAZARD_ACTION, A.AMEND) == "amend"
    assert org.check().ok


def lib_bits(*names):
    from cbc._cbc import lib
    return sum(getattr(lib, "CBC_AMEND_" + n) for n in names)


def test_amend_refusals(org, ids, clock):
    hid = registered(org, ids, clock)
    with pytest.raises(cbc.PermissionDenied):
        org.amend(hid, ids["B1"], "r", measures="x")    # another team's worker
    with pytest.raises(cbc.PermissionDenied):
        org.amend(hid, ids["L1"], "r", deadline=clock.t + 60 * DAY)  # later: above TEAM
    org.amend(hid, ids["P1"], "r", deadline=clock.t + 60 * DAY)
    with pytest.raises(cbc.InvalidError):
        org.amend(hid, ids["L1"], "r")                  # nothing named
    with pytest.raises(cbc.InvalidError):
        org.amend(hid, ids["L1"], "", measures="x")     # no reason
    with pytest.raises(cbc.InvalidError):
        org.amend(hid, ids["L1"], "r", responsible_id=ids["B1"])  # not in the team
    with pytest.raises(cbc.StateError):
        org.amend(hid, ids["P1"], "r", severity=Severity.MAJOR)  # not at ENTERPRISE level
    other, _ = org.report(ids["T1"], "x", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                          cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, Severity.GENERAL,
                          reporter_id=ids["A1"])
    with pytest.raises(cbc.StateError):
        org.amend(other, ids["L1"], "r", measures="x")  # REPORTED
    assert [e.action for e in org.hazard_history(hid)][-1] is A.AMEND
    assert len(org.hazard_history(hid)) == 3


def test_check_clean_and_flags(org, ids, clock):
    registered(org, ids, clock)
    report = org.check()
    assert report.ok and report.findings == []
    assert report.hazards_checked == 1 and report.forms_compared > 0
    only = org.check(cbc.CheckFlag.HISTORIES)
    assert only.hazards_checked == 1 and only.forms_compared == 0
    with pytest.raises(cbc.InvalidError):
        org.check(1 << 20)


def test_check_finds_damage(tmp_path, clock):
    path = str(tmp_path / "c.db")
    with cbc.Database(path, clock=clock) as db:
        db.sync(units=[cbc.UnitRecord("E1", cbc.UnitKind.ENTERPRISE, "济钢"),
                       cbc.UnitRecord("T1", cbc.UnitKind.TEAM, "甲班", "E1")],
                employees=[cbc.EmployeeRecord("L1", "李强", "T1", roles=cbc.Role.TEAM_LEADER),
                           cbc.EmployeeRecord("A1", "王芳", "T1")])
        ids = {"L1": db.employee_by_external("L1").id, "A1": db.employee_by_external("A1").id,
               "T1": db.unit_by_external("T1").id}
        hid = registered(db, ids, clock)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE hazards SET funds_fen = funds_fen + 1 WHERE id = ?", (hid,))
    raw.execute("UPDATE stat_months SET found = found + 1")
    raw.commit()
    raw.close()
    with cbc.Database(path, clock=clock) as db:
        report = db.check()
        kinds = {f.kind for f in report.findings}
        assert kinds == {cbc.FindingKind.HISTORY, cbc.FindingKind.STATS}
        history = [f for f in report.findings if f.kind is cbc.FindingKind.HISTORY]
        assert history[0].object_id == hid and "funds_fen" in history[0].message
        db.rebuild_stats()
        assert {f.kind for f in db.check().findings} == {cbc.FindingKind.HISTORY}


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n")
    with pytest.raises(cbc.CorruptError):
        cbc.Database(str(path))
