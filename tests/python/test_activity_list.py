"""Listing activity records by unit subtree and period, and voiding them:
the binding's iterators, lookups and void, with their errors."""
import pytest

import cbc
from conftest import at
from cbc import ActivityKind as AK, TrainingKind as K

DAY = 86400


@pytest.fixture
def records(db, campaign, clock):
    """A session in T1, one in T2, a drill of W1, a visit, a proposal and an
    assignment, a day apart; returns their ids by name, with the campaign's."""
    i, t0 = dict(campaign), clock.t - 10 * DAY
    i["t1"] = db.add_training(i["T1"], K.ALL_STAFF, t0, 60, "全员培训", [(i["A1"], True)])
    i["t2"] = db.add_training(i["T2"], K.ALL_STAFF, t0 + DAY, 60, "全员培训", [(i["B1"], True)])
    i["d1"] = db.add_drill(i["W1"], t0 + 2 * DAY, "火灾疏散", [i["T1"], i["T2"]])
    i["v1"] = db.add_visit(i["C1"], i["E1"], t0 + 3 * DAY, "护栏缺失")
    i["p1"] = db.submit_proposal(i["A1"], "加装护栏", "在轧机两侧加装护栏")
    i["a1"] = db.assign_cadre(i["C1"], i["E1"], t0)
    i["t0"] = t0
    return i


def test_listings_by_subtree_and_period(db, records):
    i, t0 = records, records["t0"]
    assert [t.id for t in db.trainings()] == [i["t1"], i["t2"]]
    assert [t.id for t in db.trainings(i["T1"])] == [i["t1"]]
    assert [t.id for t in db.trainings(i["E1"], t0 + DAY)] == [i["t2"]]
    assert [t.id for t in db.trainings(i["R1"], 0, t0 + DAY)] == [i["t1"]]
    first = next(iter(db.trainings()))
    assert first.attendees == [] and first.title == "全员培训" and first.voided_at is None
    assert [d.id for d in db.drills(i["E1"])] == [i["d1"]]
    assert list(db.drills(i["T1"])) == []  # W1 held it
    visits = list(db.visits(i["E1"]))
    assert visits == [db.visit(i["v1"])]
    assert visits[0].findings == "护栏缺失" and visits[0].cadre_id == i["C1"]
    assert [p.id for p in db.proposals(i["T1"])] == [i["p1"]]
    assert [a.id for a in db.cadre_assignments(i["R1"], t0 + DAY)] == [i["a1"]]
    a = db.cadre_assignment(i["a1"])
    assert (a.cadre_id, a.unit_id, a.start, a.end) == (i["C1"], i["E1"], at(t0), None)
    assert [r.id for r in db.activities(AK.TRAINING, i["W1"])] == [i["t1"], i["t2"]]


def test_bad_listings_and_lookups(db, records):
    with pytest.raises(cbc.NotFoundError):
        db.trainings(10 ** 9)
    with pytest.raises(cbc.InvalidError):
        db.visits(0, 10, 10)
    with pytest.raises(cbc.InvalidError):
        db.proposals(0, -1)
    with pytest.raises(cbc.NotFoundError):
        db.visit(10 ** 9)
    with pytest.raises(cbc.NotFoundError):
        db.cadre_assignment(10 ** 9)
    with pytest.raises(ValueError):
        db.activities(9)


def test_void_keeps_the_record_and_stops_counting_it(db, records, clock):
    i, t0 = records, records["t0"]
    assert db.took_part(i["B1"], t0 + DAY, t0 + 2 * DAY)
    db.void_activity(AK.TRAINING, i["t2"], i["P1"], "录入重复")
    assert [t.id for t in db.trainings()] == [i["t1"]]
    voided = [t for t in db.trainings(with_voided=True) if t.voided_at]
    assert [t.id for t in voided] == [i["t2"]]
    t = db.training(i["t2"])
    assert (t.voided_at, t.voided_by, t.void_reason) == (at(clock.t), i["P1"], "录入重复")
    assert [a.employee_id for a in t.attendees] == [i["B1"]]  # kept
    assert not db.took_part(i["B1"], t0 + DAY, t0 + 2 * DAY)
    db.void_activity(AK.DRILL, i["d1"], i["C1"], "未举行")
    assert db.drill(i["d1"]).void_reason == "未举行"
    db.void_activity(AK.VISIT, i["v1"], i["C1"], "误录")
    assert db.visit(i["v1"]).voided_by == i["C1"]
    db.void_activity(AK.PROPOSAL, i["p1"], i["A1"], "撤回")
    assert db.proposal(i["p1"]).voided_at == at(clock.t)
    db.void_activity(AK.ASSIGNMENT, i["a1"], i["C1"], "误录")
    assert list(db.cadre_assignments()) == []
    assert len(list(db.cadre_assignments(with_voided=True))) == 1
    assert list(db.visits()) == [] and list(db.proposals()) == [] and list(db.drills()) == []


@pytest.mark.parametrize("kind, name, actor, reason, error", [
    (AK.TRAINING, "t1", "A1", "x", cbc.PermissionDenied),   # attended it
    (AK.TRAINING, "t1", "I1", "x", cbc.PermissionDenied),   # an inspector
    (AK.VISIT, "v1", "P1", "x", cbc.PermissionDenied),      # the supervised enterprise
    (AK.ASSIGNMENT, "a1", "P1", "x", cbc.PermissionDenied),
    (AK.TRAINING, "t1", "P1", "", cbc.InvalidError),
    (AK.TRAINING, "t1", "P1", None, cbc.InvalidError),
    (AK.TRAINING, None, "P1", "x", cbc.NotFoundError),
    (9, "t1", "P1", "x", cbc.InvalidError),
])
def test_void_refused_changes_nothing(db, records, kind, name, actor, reason, error):
    i = records
    with pytest.raises(error):
        db.void_activity(kind, i[name] if name else 10 ** 9, i[actor], reason)
    assert db.training(i["t1"]).voided_at is None
    assert db.visit(i["v1"]).voided_at is None
    assert db.cadre_assignment(i["a1"]).voided_at is None


def test_void_twice_is_a_state_error(db, records):
    i = records
    db.void_activity(AK.TRAINING, i["t1"], i["L1"], "x")
    with pytest.raises(cbc.StateError):
        db.void_activity(AK.TRAINING, i["t1"], i["P1"], "x")
    assert db.training(i["t1"]).voided_by == i["L1"]


def test_activity_kind_names():
    assert [int(k) for k in AK] == [1, 2, 3, 4, 5]
    assert cbc.ActivityKind.ASSIGNMENT.name == "ASSIGNMENT"


# -- who may record, and what a person may do ----------------------------------
M = cbc.ActivityMove


def test_recorders_are_checked(db, campaign, clock):
    i, t0 = campaign, clock.t - DAY
    before = len(list(db.trainings()))
    with pytest.raises(cbc.PermissionDenied):  # a worker records no training
        db.add_training(i["T1"], K.ALL_STAFF, t0, 60, "班前会", [(i["A1"], True)],
                        recorded_by=i["A1"])
    with pytest.raises(cbc.NotFoundError):
        db.add_training(i["T1"], K.ALL_STAFF, t0, 60, "班前会", [(i["A1"], True)],
                        recorded_by=10 ** 9)
    assert len(list(db.trainings())) == before
    db.add_training(i["T1"], K.ALL_STAFF, t0, 60, "班前会", [(i["A1"], True)],
                    recorded_by=i["L1"])
    with pytest.raises(cbc.PermissionDenied):  # a team leader holds no drill
        db.add_drill(i["W1"], t0, "火灾疏散", [i["T1"]], recorded_by=i["L1"])
    db.add_drill(i["E1"], t0, "火灾疏散", [i["T3"]], recorded_by=i["P1"])
    with pytest.raises(cbc.PermissionDenied):  # the union assigns its cadres
        db.assign_cadre(i["C1"], i["E1"], t0, actor_id=i["P1"])
    a = db.assign_cadre(i["C1"], i["E1"], t0, request_key="k", actor_id=i["C1"])
    assert db.assign_cadre(i["C1"], i["E1"], t0, request_key="k", actor_id=i["C1"]) == a
    with pytest.raises(cbc.PermissionDenied):
        db.release_cadre(a, clock.t, actor_id=i["P1"])
    assert db.cadre_assignment(a).end is None
    db.release_cadre(a, clock.t, actor_id=i["C1"])
    assert db.cadre_assignment(a).end == at(clock.t)


def test_activity_moves(db, records):
    i = records
    assert db.activity_moves(AK.TRAINING, i["t1"], i["A1"]) == M(0)
    assert db.activity_moves("training", i["t1"], i["L1"]) == M.VOID
    assert db.activity_moves(AK.PROPOSAL, i["p1"], i["A1"]) == M.VOID   # withdraw it
    assert db.activity_moves(AK.PROPOSAL, i["p1"], i["P1"]) == M.VOID | M.DECIDE
    assert db.activity_moves(AK.ASSIGNMENT, i["a1"], i["C1"]) == M.VOID | M.RELEASE
    assert db.activity_moves(AK.ASSIGNMENT, i["a1"], i["P1"]) == M(0)
    db.decide_proposal(i["p1"], i["P1"], True)
    assert M.DECIDE not in db.activity_moves(AK.PROPOSAL, i["p1"], i["C1"])
    with pytest.raises(cbc.NotFoundError):
        db.activity_moves(AK.VISIT, 10 ** 9, i["C1"])
    with pytest.raises(cbc.NotFoundError):
        db.activity_moves(AK.VISIT, i["v1"], 10 ** 9)
    with pytest.raises(cbc.InvalidError):
        db.activity_moves(AK.VISIT, 0, i["C1"])
    with pytest.raises(ValueError):
        db.activity_moves(9, i["v1"], i["C1"])


def test_may_record(db, campaign):
    i = campaign
    assert not db.may_record(AK.TRAINING, i["T1"], i["A1"])
    assert db.may_record(AK.TRAINING, i["T1"], i["L1"])
    assert db.may_record(AK.DRILL, i["E1"], i["P1"])
    assert not db.may_record(AK.DRILL, i["T1"], i["P1"])  # a team holds no drill
    assert db.may_record(AK.VISIT, i["T1"], i["C1"])
    assert not db.may_record(AK.VISIT, i["T1"], i["P1"])
    assert db.may_record(AK.PROPOSAL, 0, i["A1"])
    assert db.may_record(AK.ASSIGNMENT, i["E1"], i["C1"])
    assert not db.may_record(AK.ASSIGNMENT, i["E1"], i["P1"])
    with pytest.raises(cbc.NotFoundError):
        db.may_record(AK.TRAINING, 10 ** 9, i["L1"])
    with pytest.raises(cbc.InvalidError):
        db.may_record(AK.TRAINING, 0, i["L1"])
