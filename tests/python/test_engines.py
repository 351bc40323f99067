"""Opening a database on either engine (engine_targets.py): a file, or with
CBC_TEST_ENGINE=postgresql a schema on the server reached by a
postgresql:// URI.  cbc.target_is_server() tells them apart as the library
does; an empty target without create is NotFoundError, with create it gets
the schema once; handles share what they commit; read-only refuses writes;
a target holding something else is CorruptError."""
import os
import pathlib

import pytest

import cbc
import engine_targets
from cbc import EmployeeRecord, UnitKind, UnitRecord


class Where(os.PathLike):
    def __fspath__(self):
        return "postgresql:///campaign"


@pytest.mark.parametrize("path, expected", [
    ("postgresql://cbc@db.example:5432/campaign", True),
    ("postgres:///campaign?options=-csearch_path%3Ds1", True),
    (b"postgresql:///campaign", True),
    (Where(), True),
    ("campaign.db", False),
    (pathlib.Path("postgresql:/campaign"), False),  # a file's path
    ("./postgresql://x", False),
    (":memory:", False),
    ("", False),
])
def test_target_is_server(path, expected):
    assert cbc.target_is_server(path) is expected


def test_target_is_server_refuses_what_is_not_a_path():
    with pytest.raises(TypeError, match="path: expected str, bytes or os.PathLike"):
        cbc.target_is_server(42)


def test_the_target_is_the_engine_under_test(target):
    assert cbc.target_is_server(target) is engine_targets.ON_SERVER


def test_an_empty_target_without_create_is_not_found(target):
    with pytest.raises(cbc.NotFoundError):
        cbc.Database(target, create=False)
    with pytest.raises(cbc.NotFoundError):
        cbc.Database(target, create=False, readonly=True)
    with cbc.Database(target) as db:  # nothing was left half made
        assert db.schema_version >= 1


def test_created_once_then_opened(target, clock):
    with cbc.Database(target, clock=clock) as db:
        version = db.schema_version
        db.sync(units=[UnitRecord("E1", UnitKind.ENTERPRISE, "济钢"),
                       UnitRecord("T1", UnitKind.TEAM, "甲班", "E1")],
                employees=[EmployeeRecord("A1", "王芳", "T1")], strict=True)
    for create in (False, True):  # create=True finds the schema made: nothing is redone
        with cbc.Database(target, create=create, clock=clock) as db:
            assert db.schema_version == version
            assert db.employee_by_external("A1").name == "王芳"
            assert [u.name for u in db.children(db.unit_by_external("E1").id)] == ["甲班"]


def test_handles_share_what_they_commit(target, clock):
    with cbc.Database(target, clock=clock) as a, cbc.Database(target, clock=clock) as b:
        a.sync(units=[UnitRecord("E1", UnitKind.ENTERPRISE, "济钢")], strict=True)
        assert b.unit_by_external("E1").name == "济钢"
        with a.transaction():
            a.rename_unit(a.unit_by_external("E1").id, "济钢集团")
            assert b.unit_by_external("E1").name == "济钢"  # not committed yet
        assert b.unit_by_external("E1").name == "济钢集团"
        a.begin()
        a.rename_unit(a.unit_by_external("E1").id, "别的名字")
        a.rollback()
        assert b.unit_by_external("E1").name == "济钢集团"


def test_read_only_reads_and_refuses_every_write(target, clock):
    with cbc.Database(target, clock=clock) as db:
        db.sync(units=[UnitRecord("E1", UnitKind.ENTERPRISE, "济钢"),
                       UnitRecord("T1", UnitKind.TEAM, "甲班", "E1")],
                employees=[EmployeeRecord("A1", "王芳", "T1")], strict=True)
    with cbc.Database(target, create=False, readonly=True, clock=clock) as ro:
        t1, a1 = ro.unit_by_external("T1").id, ro.employee_by_external("A1").id
        assert ro.hazard_count() == 0
        with pytest.raises(cbc.PermissionDenied):
            ro.report(t1, "护栏缺失", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                      cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                      reporter_id=a1)
        with pytest.raises(cbc.PermissionDenied):
            ro.sync(employees=[EmployeeRecord("B1", "陈静", "T1")])
        with pytest.raises(cbc.PermissionDenied):
            ro.begin()
        assert ro.hazard_count() == 0
        with pytest.raises(cbc.NotFoundError):
            ro.employee_by_external("B1")


def test_a_target_holding_something_else_is_corrupt(target, engine_server):
    if engine_server is None:
        pathlib.Path(target).write_bytes(b"not a database" * 100)
    else:
        engine_server.sql("CREATE TABLE other (x integer)", target)  # in the target's schema
    for create in (False, True):
        with pytest.raises(cbc.CorruptError):
            cbc.Database(target, create=create)
