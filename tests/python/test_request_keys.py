"""request_key on every write that has one in C (docs/integration.md,
"Retrying safely"): a retry with the same key and arguments returns the first
result and writes nothing; other arguments raise ConflictError and write
nothing; no key writes twice."""
import pytest

import cbc
from cbc import (CheckItem, EmployeeRecord, HazardCategory, HazardKind, HazardSource, Severity,
                 TrainingKind, UnitKind, UnitRecord)

DAY = 86400


def report(db, ids, title="护栏松动", reporter="A1", key=None):
    source = HazardSource.SELF_CHECK if reporter else HazardSource.HOTLINE
    return db.report(ids["T1"], title, HazardKind.HARD, HazardCategory.SAFETY, CheckItem.RULES,
                     source, Severity.GENERAL,
                     reporter_id=ids[reporter] if reporter else 0, request_key=key)


def writes(db, ids, clock):
    """name: (a write taking request_key=, how many rows of its kind there are)."""
    t = clock.t - DAY
    periods = {title: (clock.t - (40 - 10 * i) * DAY, clock.t - (35 - 10 * i) * DAY)
               for i, title in enumerate([None, "另一件事", "a", "b"])}
    return {
        "report": (lambda k, title="护栏松动": report(db, ids, title, key=k)[0],
                   lambda: db.hazard_count()),
        "fix_on_spot": (lambda k, title="地面油污": db.fix_on_spot(
            ids["T1"], title, HazardKind.SOFT, HazardCategory.SAFETY, CheckItem.RULES,
            HazardSource.SELF_CHECK, reporter_id=ids["A1"], measures="清理", request_key=k),
            lambda: db.hazard_count()),
        "training": (lambda k, title="班前安全讲话": db.add_training(
            ids["T1"], TrainingKind.ALL_STAFF, t, 30, title, [(ids["A1"], True)], request_key=k),
            lambda: len(list(db.trainings()))),
        "drill": (lambda k, title="火灾疏散": db.add_drill(ids["E1"], t, title, [ids["T1"]],
                                                       request_key=k),
                  lambda: len(list(db.drills()))),
        "visit": (lambda k, title="通道畅通": db.add_visit(ids["C1"], ids["E1"], t, title,
                                                       request_key=k),
                  lambda: len(list(db.visits()))),
        "proposal": (lambda k, title="护栏加高": db.submit_proposal(ids["A1"], title, "……",
                                                                request_key=k),
                     lambda: len(list(db.proposals()))),
        "assignment": (lambda k, title=None: db.assign_cadre(  # a period of its own per title
            ids["C1"], ids["E1"], *periods[title], request_key=k),
            lambda: len(list(db.cadre_assignments()))),
    }


@pytest.mark.parametrize("name", ["report", "fix_on_spot", "training", "drill", "visit",
                                  "proposal", "assignment"])
def test_a_retry_returns_the_first_result_and_writes_nothing(campaign, org, clock, name):
    write, count = writes(org, campaign, clock)[name]
    first = write("req-%s-1" % name)
    n = count()
    assert write("req-%s-1" % name) == first and count() == n
    with pytest.raises(cbc.ConflictError) as info:
        write("req-%s-1" % name, "另一件事")
    assert info.value.code is cbc.ErrorCode.ECONFLICT and count() == n
    assert write(None, "a") != first and write(None, "b") != first and count() == n + 2


def test_an_anonymous_retry_gets_the_same_hazard_and_a_new_follow_up_key(campaign, org):
    hid, key = report(org, campaign, reporter=None, key="tip-1")
    again, key2 = report(org, campaign, reporter=None, key="tip-1")
    assert again == hid and key and key2 and key2 != key
    assert org.answer_by_key(key2).hazard_id == hid


@pytest.mark.parametrize("key", ["", "line\nbreak", "x" * 129])
def test_a_bad_key_is_refused_and_writes_nothing(campaign, org, key):
    n = org.hazard_count()
    with pytest.raises(cbc.InvalidError):
        report(org, campaign, key=key)
    assert org.hazard_count() == n


def test_a_key_must_be_text(campaign, org):
    with pytest.raises(TypeError):
        report(org, campaign, key=b"bytes")


def test_a_retried_sync_returns_the_first_counts(db):
    units = [UnitRecord("E9", UnitKind.ENTERPRISE, "新厂"),
             UnitRecord("T9", UnitKind.TEAM, "丙班", "E9")]
    people = [EmployeeRecord("Z1", "周一", "T9"), EmployeeRecord("Z2", "", "T9")]
    first = db.sync(units=units, employees=people, request_key="sync-1")
    assert first.units.added == 2 and first.employees.added == 1 and first.error_count == 1
    again = db.sync(units=units, employees=people, request_key="sync-1")
    assert (again.units, again.employees, again.error_count) == (
        first.units, first.employees, first.error_count)
    assert again.errors == []  # the row errors are not repeated
    with pytest.raises(cbc.ConflictError):
        db.sync(units=units[:1], request_key="sync-1")


def test_a_retried_import_returns_the_first_counts(db, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("单位编号,上级单位,单位类型,单位名称\nE1,,企业,济钢\nT1,E1,班组,甲班\n",
                     encoding="utf-8")
    first = db.import_files(units, request_key="import-1")
    again = db.import_files(units, request_key="import-1")
    assert first.units.added == 2 and again.units == first.units
    units.write_text("单位编号,上级单位,单位类型,单位名称\nE1,,企业,济钢一厂\n", encoding="utf-8")
    with pytest.raises(cbc.ConflictError):
        db.import_files(units, request_key="import-1")
    assert db.unit_by_external("E1").name == "济钢"
