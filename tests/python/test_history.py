"""The tamper-evident history binding (cbc/history.h): the chains verify on
a database the library wrote; a chain's head moves with the records of its
enterprise; the checkpoint hook hears each new head after its commit; an
edit behind the library's back, or a chain that disagrees with a checkpoint
held, is found and named; a malformed checkpoint is refused; a filed report
carries the head it was filed at."""
import dataclasses
import sqlite3

import pytest

import cbc
from cbc import Checkpoint, EnumType, HistoryFault, HistoryKind

ZERO = "0" * 64


def report(db, i, title="护栏缺失"):
    hid, _ = db.report(i["T1"], title, cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=i["A1"])
    return hid


def records(db, i):
    """Some chained records: two hazards (one registered), a transfer (chain 0)."""
    first = report(db, i)
    db.register(first, i["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏",
                int(db.now().timestamp()) + 86400, "设警示")
    second = report(db, i, "消防通道堵塞")
    db.transfer(i["B1"], i["T1"])
    return first, second


@pytest.fixture
def ids(campaign):
    return campaign


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "history.db")


@pytest.fixture
def filed(path, clock):
    """A database file holding campaign's tree and two hazards of E1 (the
    first registered); returns its ids and the hazards'."""
    with cbc.Database(path, clock=clock) as d:
        U, K, E, R = cbc.UnitRecord, cbc.UnitKind, cbc.EmployeeRecord, cbc.Role
        d.sync(units=[U("R1", K.REGION, "历下区"), U("E1", K.ENTERPRISE, "济钢", "R1"),
                      U("T1", K.TEAM, "甲班", "E1"), U("T2", K.TEAM, "乙班", "E1")],
               employees=[E("L1", "李强", "T1", roles=R.TEAM_LEADER | R.WORKER),
                          E("A1", "王芳", "T1"), E("B1", "陈静", "T2")], strict=True)
        i = {x: d.employee_by_external(x).id for x in ("L1", "A1", "B1")}
        i.update({x: d.unit_by_external(x).id for x in ("R1", "E1", "T1", "T2")})
        i["hazards"] = records(d, i)
        assert d.history_verify().sound
    return i


def tamper(path, *sql):
    """Run statements on the database file behind the library's back."""
    conn = sqlite3.connect(path)
    try:
        for statement in sql:
            if isinstance(statement, tuple):
                conn.execute(*statement)
            else:
                conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


# -- a database the library wrote ---------------------------------------------------
def test_sound(db, ids):
    empty = db.history_verify()
    assert type(empty) is cbc.HistoryVerdict and empty.sound
    records(db, ids)
    v = db.history_verify()
    assert v.sound and v.fault is HistoryFault.SOUND and type(v.fault) is HistoryFault
    assert (v.chain, v.seq, v.kind, v.record_id, v.message) == (0, 0, None, 0, "")
    assert v.links_checked >= 5 and v.records_checked >= 4
    assert db.history_verify([db.history_head(ids["E1"]), db.history_head(0)]).sound
    assert db.history_verify(checkpoints=iter([db.history_head(ids["E1"])])).sound
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.fault = HistoryFault.RECORD_ALTERED


def test_head_moves_with_its_enterprise(db, ids):
    i = ids
    assert db.history_head() == db.history_head(0) == Checkpoint(0, 0, "")
    assert db.history_head(i["E1"]) == Checkpoint(i["E1"], 0, "")
    report(db, i)
    after = db.history_head(i["E1"])
    assert type(after) is Checkpoint and after.chain == i["E1"] and after.seq >= 1
    assert len(after.sha256) == 64 and after.sha256 == after.sha256.lower()
    int(after.sha256, 16)
    assert db.history_head(0).seq == 0  # another chain: not moved
    assert db.history_head(i["R1"]).seq == 0
    report(db, i)
    moved = db.history_head(chain=i["E1"])
    assert moved.seq > after.seq and moved.sha256 != after.sha256
    db.transfer(i["B1"], i["T1"])  # an employee's history: the database's chain
    assert db.history_head(0).seq >= 1 and db.history_head(i["E1"]) == moved
    with pytest.raises(cbc.InvalidError, match="negative"):
        db.history_head(-1)


# -- the checkpoint hook ------------------------------------------------------------
def test_hook_hears_each_head_after_commit(db, ids):
    i = ids
    seen = []
    db.set_checkpoint_hook(seen.append)
    hid = report(db, i)
    assert seen == [db.history_head(i["E1"])] and type(seen[0]) is Checkpoint
    seen.clear()
    with db.transaction():
        db.register(hid, i["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏",
                    int(db.now().timestamp()) + 86400, "设警示")
        db.transfer(i["B1"], i["T1"])
        report(db, i)
        assert seen == []  # not before the commit
    # each chain extended once, with its newest head (history.h promises the
    # order the chains were first extended; lib/history_queue.c delivers them
    # in the order of their last links, so the order is not checked here)
    assert len(seen) == 2
    assert set(seen) == {db.history_head(i["E1"]), db.history_head(0)}
    seen.clear()
    db.begin()
    report(db, i)
    db.rollback()
    assert seen == []
    db.set_checkpoint_hook(None)
    report(db, i)
    assert seen == [] and db.checkpoint_hook_error is None


def test_hook_errors(db, ids):
    i = ids

    def fails(checkpoint):
        raise ValueError("notary down")

    db.set_checkpoint_hook(fails)
    hid = report(db, i)
    assert isinstance(db.checkpoint_hook_error, ValueError)
    assert str(db.checkpoint_hook_error) == "notary down"
    assert db.hazard(hid).title == "护栏缺失"  # the change stands
    db.set_checkpoint_hook(lambda checkpoint: db.history_head(checkpoint.chain))
    assert db.checkpoint_hook_error is None
    report(db, i)
    assert isinstance(db.checkpoint_hook_error, cbc.CbcError)
    assert "checkpoint hook must not use its own database" in str(db.checkpoint_hook_error)
    closing = []
    db.set_checkpoint_hook(lambda checkpoint: closing.append(db.close()))
    report(db, i)
    assert closing == [] and isinstance(db.checkpoint_hook_error, cbc.CbcError)
    assert db.history_verify().sound  # still open


# -- edits behind the library's back ------------------------------------------------
def test_altered_record_is_named(path, filed, clock):
    i = filed
    first, _ = i["hazards"]
    tamper(path, "DROP TRIGGER hazards_report_fixed",
           ("UPDATE hazards SET title = 'x' WHERE id = ?", (first,)))
    with cbc.Database(path, clock=clock) as db:
        v = db.history_verify()
        assert not v.sound and v.fault is HistoryFault.RECORD_ALTERED
        assert (v.kind, v.record_id, v.chain) == (HistoryKind.HAZARD, first, i["E1"])
        assert type(v.kind) is HistoryKind and v.seq >= 1
        assert "hazard %d" % first in v.message and v.records_checked >= 1


def test_altered_link_is_named(path, filed, clock):
    i = filed
    tamper(path, "DROP TRIGGER history_chain_fixed_u",
           ("UPDATE history_chain SET hash = zeroblob(32) WHERE enterprise_id = ? AND seq = 1",
            (i["E1"],)))
    with cbc.Database(path, clock=clock) as db:
        v = db.history_verify()
        assert v.fault is HistoryFault.LINK_ALTERED and (v.chain, v.seq) == (i["E1"], 1)


def test_checkpoint_differs(db, ids):
    i = ids
    records(db, ids)
    head = db.history_head(i["E1"])
    other = Checkpoint(head.chain, head.seq, ZERO)
    v = db.history_verify([db.history_head(0), other])
    assert v.fault is HistoryFault.CHECKPOINT_DIFFERS and not v.sound
    assert (v.chain, v.seq, v.kind, v.record_id) == (i["E1"], head.seq, None, 0)
    assert "rewritten" in v.message
    beyond = Checkpoint(head.chain, head.seq + 1, head.sha256)  # the chain was cut back
    v = db.history_verify([beyond])
    assert v.fault is HistoryFault.CHECKPOINT_DIFFERS and "cut back" in v.message
    assert db.history_verify([{"chain": head.chain, "seq": head.seq,
                               "sha256": head.sha256}]).sound


def test_malformed_checkpoints_are_refused(db, ids):
    records(db, ids)
    head = db.history_head(ids["E1"])
    for bad in (Checkpoint(head.chain, -1, head.sha256),
                Checkpoint(-1, head.seq, head.sha256),
                Checkpoint(head.chain, head.seq, head.sha256.upper()),
                Checkpoint(head.chain, head.seq, head.sha256[:63]),
                Checkpoint(head.chain, head.seq, ""),
                Checkpoint(head.chain, 0, head.sha256),
                Checkpoint(head.chain, head.seq, head.sha256 + "0"),
                Checkpoint(head.chain, head.seq, "哈" * 32),
                Checkpoint(0, 0, "\0")):
        with pytest.raises(cbc.InvalidError, match="checkpoint") as e:
            db.history_verify([head, bad])
        assert e.value.code is cbc.ErrorCode.EINVAL and isinstance(e.value, ValueError)
    with pytest.raises(TypeError, match=r"checkpoints\[0\]: expected cbc.Checkpoint"):
        db.history_verify([(head.chain, head.seq, head.sha256)])
    with pytest.raises(TypeError):
        db.history_verify([Checkpoint(head.chain, head.seq, None)])
    with pytest.raises(TypeError):
        db.history_verify([{"chain": 1}])
    assert db.history_verify([head]).sound


# -- filed reports ------------------------------------------------------------------
def test_filing_carries_the_head_before_it(db, ids, clock):
    i = ids
    report(db, i)
    db.sync(employees=[cbc.EmployeeRecord("C2", "吴工会", "T3", roles=cbc.Role.UNION_CADRE)],
            strict=True)
    c2 = db.employee_by_external("C2").id
    clock.t = 1700000000 + 5 * 86400
    before = db.history_head(i["E1"])
    f = db.filing(db.file_report(cbc.FilingKind.MONTHLY_FORM, i["E1"],
                                 cbc.Period.month(2023, 11), c2, c2))
    assert f.checkpoint == before and type(f.checkpoint) is Checkpoint
    assert db.history_head(i["E1"]).seq == before.seq + 1  # the filing's own link
    assert "SHA-256 %s" % before.sha256 in f.text
    assert db.history_verify([f.checkpoint]).sound


# -- the enums ----------------------------------------------------------------------
def test_history_enums_are_labelled():
    assert HistoryKind.enum_type() is EnumType.HISTORY_KIND
    assert HistoryFault.enum_type() is EnumType.HISTORY_FAULT
    assert [cbc.enum_name(EnumType.HISTORY_KIND, k) for k in HistoryKind] == [
        m.name.lower() for m in HistoryKind]
    assert [cbc.enum_name(EnumType.HISTORY_FAULT, f) for f in HistoryFault] == [
        "sound", "link_altered", "record_altered", "record_missing", "record_unchained",
        "checkpoint_differs"]
    assert int(HistoryFault.SOUND) == 0 and int(HistoryKind.FILING) == 13
    assert HistoryFault.SOUND.label == "完整"
    assert HistoryKind.coerce("hazard_event") is HistoryKind.HAZARD_EVENT
