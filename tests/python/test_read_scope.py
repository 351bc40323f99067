"""Who may read what (docs/authorization.md, "Who may read"): read_scope(),
unit_readable(), hazard_readable() and the ledger's viewer_id, over the
conftest org plus a second enterprise (E2) in the same region and another
region (R2 with E3)."""
import pytest

import cbc
from cbc import Severity


@pytest.fixture
def ids(org):
    """The conftest org plus E2 (under R1: worker X1, principal XP), R2 >
    E3 > T4 (worker Y1) and an inspector I2 in R2."""
    U, K = cbc.UnitRecord, cbc.UnitKind
    E, R = cbc.EmployeeRecord, cbc.Role
    org.sync(units=[U("E2", K.ENTERPRISE, "水泥厂", "R1"), U("T9", K.TEAM, "窑班", "E2"),
                    U("R2", K.REGION, "淄博市"), U("E3", K.ENTERPRISE, "陶瓷厂", "R2"),
                    U("T4", K.TEAM, "施釉班", "E3")],
             employees=[E("X1", "钱军", "T9"), E("XP", "蒋波", "T9", roles=R.PRINCIPAL),
                        E("Y1", "罗斌", "T4"), E("I2", "马林", "R2", roles=R.BUREAU_INSPECTOR)],
             strict=True)
    out = {x: org.employee_by_external(x).id
           for x in ("A1", "B1", "L1", "P1", "I1", "X1", "XP", "Y1", "I2")}
    out.update({x: org.unit_by_external(x).id
                for x in ("R1", "E1", "T1", "T2", "E2", "T9", "R2", "E3", "T4")})
    return out


def report(db, clock, unit_id, reporter_id=0):
    source = cbc.HazardSource.SELF_CHECK if reporter_id else cbc.HazardSource.HOTLINE
    hid, key = db.report(unit_id, "隐患", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                         cbc.CheckItem.RULES, source, Severity.GENERAL, reporter_id=reporter_id)
    clock.t += 60
    return hid, key


def test_read_scope(org, ids):
    for who, root in (("A1", "E1"), ("L1", "E1"), ("P1", "E1"), ("X1", "E2"), ("XP", "E2"),
                      ("I1", "R1"), ("I2", "R2"), ("Y1", "E3")):
        assert org.read_scope(ids[who]) == ids[root]


def test_unit_readable(org, ids):
    assert org.unit_readable(ids["T2"], ids["A1"]) is True
    assert org.unit_readable(ids["E2"], ids["A1"]) is False
    assert org.unit_readable(ids["T1"], ids["XP"]) is False
    assert org.unit_readable(ids["T9"], ids["I1"]) is True
    assert org.unit_readable(ids["E3"], ids["I1"]) is False
    assert org.unit_readable(ids["T4"], ids["I2"]) is True
    assert org.unit_readable(ids["R1"], ids["I2"]) is False


def test_hazard_readable_and_ledger(org, ids, clock):
    mine, _ = report(org, clock, ids["T1"], ids["A1"])
    theirs, _ = report(org, clock, ids["T9"], ids["X1"])
    far, _ = report(org, clock, ids["T4"], ids["Y1"])
    assert org.hazard_readable(mine, ids["B1"]) is True
    assert org.hazard_readable(theirs, ids["B1"]) is False
    assert org.hazard_readable(theirs, ids["I1"]) is True
    assert org.hazard_readable(far, ids["I1"]) is False
    assert org.hazard_count(viewer_id=ids["B1"]) == 1
    assert [h.id for h in org.hazards(viewer_id=ids["XP"])] == [theirs]
    assert org.hazard_count(viewer_id=ids["I1"]) == 2
    assert org.hazard_count(viewer_id=ids["I2"]) == 1
    assert org.hazard_count(viewer_id=ids["I1"], unit_id=ids["E2"]) == 1
    rows, cursor = org.hazard_page(limit=1, viewer_id=ids["I1"])
    assert [h.id for h in rows] == [mine]
    rows, _ = org.hazard_page(limit=1, after=cursor, viewer_id=ids["I1"])
    assert [h.id for h in rows] == [theirs]
    pages = list(org.hazard_pages(limit=1, viewer_id=ids["I1"]))
    assert [h.id for page, _ in pages for h in page] == [mine, theirs]
    with pytest.raises(cbc.PermissionDenied, match="is outside what employee A1"):
        org.hazard_count(viewer_id=ids["A1"], unit_id=ids["E2"])
    with pytest.raises(cbc.PermissionDenied):
        list(org.hazards(viewer_id=ids["I1"], unit_id=ids["R2"]))
    with pytest.raises(cbc.PermissionDenied):
        org.hazard_page(viewer_id=ids["XP"], unit_id=ids["T1"])
    assert org.hazard_count() == 3  # viewer 0: the trusted host sees everything


def test_transferred_reporter(org, ids, clock):
    mine, _ = report(org, clock, ids["T1"], ids["A1"])
    other, _ = report(org, clock, ids["T2"], ids["B1"])
    org.transfer(ids["A1"], ids["T9"])
    assert org.read_scope(ids["A1"]) == ids["E2"]
    assert org.hazard_readable(mine, ids["A1"]) is True
    assert org.hazard_readable(other, ids["A1"]) is False
    assert org.hazard_count(viewer_id=ids["A1"]) == 0
    assert [h.id for h in org.hazards(viewer_id=ids["A1"], reporter_id=ids["A1"])] == [mine]


def test_inactive_reads_nothing(org, ids, clock):
    mine, _ = report(org, clock, ids["T1"], ids["A1"])
    org.deactivate(ids["A1"])
    with pytest.raises(cbc.PermissionDenied, match="inactive employee reads nothing"):
        org.read_scope(ids["A1"])
    assert org.unit_readable(ids["T1"], ids["A1"]) is False
    assert org.hazard_readable(mine, ids["A1"]) is False
    with pytest.raises(cbc.PermissionDenied):
        org.hazard_count(viewer_id=ids["A1"], reporter_id=ids["A1"])


def test_anonymous_reads_by_key(org, ids, clock):
    hid, key = report(org, clock, ids["T2"])
    assert key is not None
    assert org.answer_by_key(key).hazard_id == hid
    assert org.hazard_readable(hid, ids["L1"]) is True
    assert org.hazard_readable(hid, ids["X1"]) is False


def test_bad_input(org, ids, clock):
    hid, _ = report(org, clock, ids["T1"], ids["A1"])
    with pytest.raises(cbc.NotFoundError):
        org.read_scope(999999)
    with pytest.raises(cbc.InvalidError):
        org.read_scope(0)
    with pytest.raises(cbc.NotFoundError):
        org.unit_readable(999999, ids["A1"])
    with pytest.raises(cbc.InvalidError):
        org.unit_readable(ids["T1"], -1)
    with pytest.raises(cbc.NotFoundError):
        org.hazard_readable(999999, ids["A1"])
    with pytest.raises(cbc.InvalidError):
        org.hazard_count(viewer_id=-1)
    with pytest.raises(cbc.NotFoundError, match="viewer_id"):
        org.hazard_count(viewer_id=999999)
    assert org.hazard_count() == 1
