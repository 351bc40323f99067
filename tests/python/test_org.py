import gc

import pytest

import cbc
from conftest import at
from cbc import Level, Role, SyncMode, UnitKind, UnitRecord, EmployeeRecord


def test_version():
    assert cbc.version() == cbc.__version__
    assert cbc.version().startswith("1.")


def test_database_basics(db, clock):
    assert db.schema_version >= 1
    assert db.now() == at(clock.t)
    clock.t += 60
    assert db.now() == at(clock.t)
    assert db.utc_offset == 8 * 3600


def test_units(org):
    e1 = org.unit_by_external("E1")
    assert e1.kind is UnitKind.ENTERPRISE and e1.high_risk and e1.industry == "冶金"
    assert org.unit(e1.id) == e1
    assert [u.external_id for u in org.subtree(e1.id)] == ["E1", "W1", "T1", "T2", "W2", "T3"]
    assert [u.external_id for u in org.children()] == ["R1"]
    t2 = org.unit_by_external("T2").id
    org.rename_unit(t2, "夜班")
    assert org.unit(t2).name == "夜班"
    org.move_unit(t2, org.unit_by_external("W2").id)
    assert org.unit(t2).parent_id == org.unit_by_external("W2").id
    new_id = org.unit_upsert(external_id="T4", kind=UnitKind.TEAM, name="丙班",
                             parent_external_id="W1")
    org.close_unit(new_id)
    assert org.unit(new_id).closed


def test_employees_and_history(org, clock):
    a1 = org.employee_by_external("A1")
    assert a1.roles == Role.WORKER and a1.active
    t2 = org.unit_by_external("T2").id
    org.transfer(a1.id, t2, at=clock.t + 10)
    clock.t += 100
    org.deactivate(a1.id)
    history = org.employee_history(a1.id)
    assert [e.kind for e in history] == [cbc.EmployeeEventKind.JOINED,
                                         cbc.EmployeeEventKind.TRANSFERRED,
                                         cbc.EmployeeEventKind.LEFT]
    assert history[1].to_unit == t2
    assert not org.employee(a1.id).active
    e1 = org.unit_by_external("E1").id
    assert len(list(org.employees(e1))) == 3
    assert len(list(org.employees(e1, include_inactive=True))) == 4
    new = org.employee_upsert(EmployeeRecord("N1", "新人", "T1", post="学徒"))
    assert org.employee(new).post == "学徒"


def test_employees_page_by_keyset(org):
    """Pages through after=(unit_id, id) give the whole listing, once each."""
    import itertools
    r1 = org.unit_by_external("R1").id
    whole = [e.id for e in org.employees(r1, include_inactive=True)]
    assert len(whole) >= 4
    for size in (1, 2, 3):
        seen, after = [], None
        while True:
            with org.employees(r1, include_inactive=True, after=after) as rows:
                page = list(itertools.islice(rows, size))
            seen += [e.id for e in page]
            if len(page) < size:
                break
            after = (page[-1].unit_id, page[-1].id)
        assert seen == whole
    t1 = org.unit_by_external("T1").id
    with pytest.raises(cbc.InvalidError, match="not in the subtree"):
        list(org.employees(t1, after=(org.unit_by_external("W2").id, 1)))
    with pytest.raises(cbc.NotFoundError):
        list(org.employees(t1, after=(424242, 1)))


def test_responsible(org):
    t1 = org.unit_by_external("T1").id
    assert org.employee(org.responsible(t1, Level.TEAM)).external_id == "L1"
    assert org.employee(org.responsible(t1, Level.ENTERPRISE)).external_id == "P1"
    with pytest.raises(cbc.NotFoundError):
        org.responsible(t1, Level.WORKSHOP)
    with pytest.raises(cbc.InvalidError):
        org.responsible(t1, Level.INDIVIDUAL)


def test_sync_counts_and_row_errors(org):
    r = org.sync(units=[UnitRecord("T1", UnitKind.TEAM, "甲班", "W1")],
                 employees=[EmployeeRecord("L1", "李强", "T1", roles=Role.TEAM_LEADER | Role.WORKER),
                            EmployeeRecord("X", "", "T1"),
                            EmployeeRecord("Y", "y", "W1")])
    assert r.units.unchanged == 1 and r.employees.unchanged == 1
    assert r.error_count == 2
    assert [(e.row, e.external_id) for e in r.errors] == [(1, "X"), (2, "Y")]
    assert "name is empty" in r.errors[0].message
    assert r.errors[0].code == cbc.ErrorCode.EINVAL
    assert r.errors[1].code == cbc.ErrorCode.EINVAL and "workshop" in r.errors[1].message


def test_full_sync_and_strict(org):
    with pytest.raises(cbc.InvalidError) as info:
        org.sync(employees=[EmployeeRecord("Z", "z", "W1")], strict=True)
    assert info.value.result.error_count == 1 and not info.value.result.applied
    with pytest.raises(KeyError):
        org.employee_by_external("Z")
    r = org.sync(employees=[EmployeeRecord("L1", "李强", "T1",
                                           roles=Role.TEAM_LEADER | Role.WORKER)],
                 mode=SyncMode.FULL)
    assert r.employees.deactivated == 4


@pytest.mark.parametrize("call, exc", [
    (lambda d: d.unit(999), cbc.NotFoundError),
    (lambda d: d.unit_by_external("nope"), KeyError),
    (lambda d: d.rename_unit(1, ""), cbc.InvalidError),
    (lambda d: d.rename_unit(1, ""), ValueError),
    (lambda d: d.close_unit(d.unit_by_external("T1").id), cbc.StateError),
    (lambda d: d.unit_upsert(external_id="T1", kind=UnitKind.WORKSHOP, name="x",
                             parent_external_id="E1"), cbc.ConflictError),
    (lambda d: d.commit(), cbc.StateError),
])
def test_exception_mapping(org, call, exc):
    with pytest.raises(exc) as info:
        call(org)
    assert isinstance(info.value, cbc.CbcError)
    assert info.value.code < 0 and str(info.value)


def test_readonly(target):
    with cbc.Database(target) as d:
        d.unit_upsert(external_id="R", kind=UnitKind.REGION, name="r")
    with cbc.Database(target, create=False, readonly=True) as d:
        with pytest.raises(cbc.PermissionDenied):
            d.rename_unit(1, "x")
        with pytest.raises(PermissionError):
            d.begin()


def test_missing_and_junk_files(tmp_path):
    with pytest.raises(cbc.NotFoundError):
        cbc.Database(str(tmp_path / "missing.db"), create=False)
    (tmp_path / "junk.db").write_bytes(b"not a database" * 100)
    with pytest.raises(cbc.CorruptError):
        cbc.Database(str(tmp_path / "junk.db"))


def test_transaction_context(org):
    t1 = org.unit_by_external("T1").id
    with pytest.raises(RuntimeError):
        with org.transaction():
            org.rename_unit(t1, "changed")
            raise RuntimeError("boom")
    assert org.unit(t1).name == "甲班"
    with org.transaction():
        org.rename_unit(t1, "changed")
    assert org.unit(t1).name == "changed"


def test_transaction_whose_commit_fails_leaves_no_group(org):
    t1 = org.unit_by_external("T1").id
    with pytest.raises(cbc.StateError):
        with org.transaction():
            org.rename_unit(t1, "lost")
            org.rollback()  # the group ends under the block: its commit must fail
    assert not org.in_group
    assert org.unit(t1).name == "甲班"
    with pytest.raises(ValueError):  # the block's own error is raised, not a rollback's
        with org.transaction():
            org.rollback()
            raise ValueError("boom")
    assert not org.in_group


def test_iterator_keeps_database_alive(clock):
    d = cbc.Database(":memory:", clock=clock)
    d.unit_upsert(external_id="R", kind=UnitKind.REGION, name="r")
    d.unit_upsert(external_id="R2", kind=UnitKind.REGION, name="r2")
    it = d.children()
    del d
    gc.collect()
    assert [u.external_id for u in it] == ["R", "R2"]


def test_closed_database_raises(clock):
    d = cbc.Database(":memory:", clock=clock)
    d.close()
    d.close()
    with pytest.raises(cbc.CbcError):
        d.now()


def test_import_with_progress(db, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("external_id,parent_external_id,kind,name\nE,,enterprise,厂\nT,E,team,班\n",
                     encoding="utf-8")
    emps = tmp_path / "employees.json"
    emps.write_text('[' + ",".join('{"external_id": "e%d", "name": "n", "unit_external_id": "T"}'
                                   % i for i in range(12000)) + ']', encoding="utf-8")
    seen = []
    r = db.import_files(units, emps, progress=seen.append)
    assert r.units.added == 2 and r.employees.added == 12000
    assert [p.rows for p in seen] == [2, 10000, 12000]
    assert seen[-1].record is cbc.RecordKind.EMPLOYEE and seen[-1].bytes == seen[-1].total_bytes


def test_import_abort_by_exception_rolls_back(db, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("external_id,kind,name\nE,enterprise,厂\n", encoding="utf-8")

    def boom(progress):
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        db.import_files(units, progress=boom)
    with pytest.raises(KeyError):
        db.unit_by_external("E")
    with pytest.raises(cbc.CallbackAborted):
        db.import_files(units, progress=lambda p: False)


def test_import_malformed(db, tmp_path):
    bad = tmp_path / "u.csv"
    bad.write_text("external_id,colour\n", encoding="utf-8")
    with pytest.raises(cbc.InvalidError, match="required column 'name' is missing"):
        db.import_files(bad)
