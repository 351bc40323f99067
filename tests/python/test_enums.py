"""The package's enums (CbcEnum, CbcFlag): a value of the wrong enum type is a
TypeError, an unknown number or text a ValueError (cbc.InvalidError), members
print their name and carry the library's Chinese label; values from C come
back as members."""
import enum

import pytest

import cbc
from cbc import (CheckItem, EnumType, HazardCategory, HazardKind, HazardSource, HazardState,
                 Level, Period, Role, Severity)

T = 1700000000  # 2023-11-15 in Beijing


def all_enums():
    """Every enum class the package exports."""
    return sorted({v for v in vars(cbc).values()
                   if isinstance(v, type) and issubclass(v, (cbc.CbcEnum, cbc.CbcFlag))
                   and v not in (cbc.CbcEnum, cbc.CbcFlag)}, key=lambda c: c.__name__)


# The enums the library's label table (cbc/label.h) does not cover.
UNLABELLED = {"ErrorCode", "EnumType", "SyncMode", "FileFormat", "DbSync", "StatsFormat",
              "CheckFlag", "ActivityMove"}


def report(db, i, kind=HazardKind.HARD, category=HazardCategory.SAFETY,
           check_item=CheckItem.RULES, source=HazardSource.SELF_CHECK,
           severity=Severity.GENERAL):
    hid, _ = db.report(i["T1"], "护栏缺失", kind, category, check_item, source, severity,
                       reporter_id=i["A1"])
    return hid


# -- the case ---------------------------------------------------------
def test_swapped_arguments_store_nothing(db, campaign):
    i = campaign
    report(db, i)
    before = db.hazard_count()
    with pytest.raises(TypeError, match=r"^kind: expected cbc\.HazardKind, got "
                                        r"cbc\.CheckItem\.RULES$"):
        report(db, i, kind=CheckItem.RULES, check_item=HazardKind.HARD)
    with pytest.raises(TypeError, match="expected cbc.CheckItem, got cbc.HazardKind.HARD"):
        report(db, i, check_item=HazardKind.HARD)
    with pytest.raises(TypeError, match="source: expected cbc.HazardSource, got cbc.Severity"):
        report(db, i, source=Severity.MAJOR, severity=HazardSource.EXPERT)
    with pytest.raises(ValueError, match="check_item: 7 is not a valid cbc.CheckItem "
                                         r"\(one of: RULES, STANDARD_OPERATION, "):
        report(db, i, check_item=7)
    assert db.hazard_count() == before == 1


def test_names_labels_and_numbers_accepted(db, campaign):
    i = campaign
    label = cbc.enum_label(EnumType.HAZARD_CATEGORY, HazardCategory.OCCUPATIONAL_HEALTH)
    hid = report(db, i, kind="soft", category=label, check_item=CheckItem.FIXED_POSITION.value,
                 source="Hotline", severity="MAJOR")
    h = db.hazard(hid)
    assert (h.kind, h.category, h.check_item, h.source, h.proposed_severity) == (
        HazardKind.SOFT, HazardCategory.OCCUPATIONAL_HEALTH, CheckItem.FIXED_POSITION,
        HazardSource.HOTLINE, Severity.MAJOR)
    assert type(h.kind) is HazardKind and type(h.state) is HazardState


# -- coercion rules -------------------------------------------------------------
class Index:
    """An integer-like that is no int (as a NumPy integer)."""

    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


class Foreign(enum.IntEnum):
    ONE = 1


def test_coerce():
    assert Severity.coerce(Severity.MAJOR) is Severity.MAJOR
    assert Severity.coerce(2) is Severity.MAJOR
    assert Severity.coerce(Index(1)) is Severity.GENERAL
    assert Severity.coerce("major") is Severity.MAJOR
    assert Severity.coerce("重大隐患") is Severity.MAJOR
    assert cbc.TrainingKind.coerce("all staff") is cbc.TrainingKind.ALL_STAFF  # a 1.0 spelling
    with pytest.raises(TypeError, match="expected cbc.Severity, got cbc.Level.TEAM"):
        Severity.coerce(Level.TEAM)
    with pytest.raises(TypeError, match="expected cbc.Severity, got test_enums.Foreign.ONE"):
        Severity.coerce(Foreign.ONE)
    with pytest.raises(TypeError, match="got cbc.Role.WORKER"):
        Severity.coerce(Role.WORKER)
    for bad in (1.0, None, b"major", [1]):
        with pytest.raises(TypeError):
            Severity.coerce(bad)
    for bad in (0, 3, -1, 2 ** 40):
        with pytest.raises(ValueError, match=r"is not a valid cbc.Severity \(one of: GENERAL, "
                                             r"MAJOR\)") as e:
            Severity.coerce(bad)
        assert isinstance(e.value, cbc.InvalidError)
    for bad in ("huge", "", "major\0", "重大"):
        with pytest.raises(ValueError, match="is not a name or label of cbc.Severity"):
            Severity.coerce(bad)


def test_bool_refused(db, campaign):
    for cls in (Severity, HazardState, Role, cbc.CheckFlag):
        for b in (True, False):
            with pytest.raises(TypeError, match="got bool"):
                cls.coerce(b)
    with pytest.raises(TypeError, match="proposed_severity: expected cbc.Severity, got bool"):
        report(db, campaign, severity=True)
    with pytest.raises(TypeError, match="got bool"):
        db.hazards(states=True)
    assert db.hazard_count() == 0


def test_str_format_repr():
    m = Severity.MAJOR
    assert (str(m), format(m), f"{m}", "%s" % m) == ("MAJOR",) * 4
    assert f"{m:>7}|{m:d}|{m:#x}" == "  MAJOR|2|0x2"
    assert repr(m) == "<Severity.MAJOR: 2>" and int(m) == 2 and "%d" % m == "2"
    assert str(HazardState.PENDING_VERIFICATION) == "PENDING_VERIFICATION"
    assert str(cbc.HazardSort.DEADLINE) == "DEADLINE" and str(cbc.ErrorCode.EINVAL) == "EINVAL"
    for cls in all_enums():
        for member in cls.__members__.values():
            if issubclass(cls, cbc.CbcEnum):
                assert str(member) == format(member) == member.name


def test_every_member_has_its_label():
    claimed = {}
    for cls in all_enums():
        t = cls.enum_type()
        if cls.__name__ in UNLABELLED:
            assert t is None
            assert all(m.label is None for m in cls.__members__.values())
            continue
        assert t is not None and t not in claimed, cls
        claimed[t] = cls
        members = list(cls.__members__.values())
        assert sorted(members) == sorted(cbc.enum_values(t)), cls
        for m in members:
            assert m.label == cbc.enum_label(t, m) and m.label and not m.label.isascii(), m
            assert cls.coerce(m.label) is m and cls.coerce(m.name.lower()) is m
    assert set(claimed) == set(EnumType)
    assert Severity.MAJOR.label == "重大隐患"


def test_values_from_c_are_members():
    assert cbc.enum_values(EnumType.SEVERITY) == [Severity.GENERAL, Severity.MAJOR]
    assert all(type(v) is HazardState for v in cbc.enum_values("hazard_state"))
    assert type(cbc.enum_parse(EnumType.LEVEL, "team")) is Level
    assert cbc.enum_values(EnumType.FORM_FIELD) == list(cbc.FormField)
    assert all(type(v) is cbc.FormField for v in cbc.enum_values(EnumType.FORM_FIELD))
    assert type(cbc.hazard_transition(None, "report")) is HazardState


def test_label_functions_check_their_arguments():
    assert cbc.enum_label(EnumType.SEVERITY, 99) is None  # an unknown value: no label
    with pytest.raises(TypeError, match="value: expected cbc.Severity, got cbc.HazardKind"):
        cbc.enum_label(EnumType.SEVERITY, HazardKind.HARD)
    with pytest.raises(TypeError, match="enum_type: expected cbc.EnumType, got cbc.Severity"):
        cbc.enum_name(Severity.MAJOR, 1)
    with pytest.raises(ValueError):
        cbc.enum_values(99)


# -- flags ----------------------------------------------------------------------
def test_flags():
    both = Role.TEAM_LEADER | Role.WORKER
    assert Role.coerce(both) is both and Role.coerce(3) == both and type(Role.coerce(3)) is Role
    assert Role.coerce(0) == Role(0) and Role.coerce("worker|班组长") == both
    assert str(both) == "WORKER|TEAM_LEADER" and str(Role(0)) == "0"
    assert both.label == "职工、班组长" and Role(0).label == ""
    assert str(cbc.CheckFlag.ALL) == "ALL" and cbc.CheckFlag.ALL.label is None
    assert cbc.CheckFlag.coerce("file|stats") == cbc.CheckFlag.FILE | cbc.CheckFlag.STATS
    for bad in (1 << 9, -1, 1 << 20):
        with pytest.raises(ValueError, match="is not a combination of cbc.Role"):
            Role.coerce(bad)
    with pytest.raises(TypeError, match="expected cbc.Role, got cbc.CheckFlag.FILE"):
        Role.coerce(cbc.CheckFlag.FILE)
    with pytest.raises(TypeError, match="expected cbc.CheckFlag, got cbc.Severity"):
        cbc.CheckFlag.coerce(Severity.GENERAL)
    with pytest.raises(ValueError):
        Role.coerce("worker|boss")


def test_flags_at_call_sites(db, campaign):
    E = cbc.EmployeeRecord
    db.sync(employees=[E("X1", "甲", "T1", roles=3)], strict=True)
    assert db.employee_by_external("X1").roles == Role.WORKER | Role.TEAM_LEADER
    assert type(db.employee_by_external("X1").roles) is Role
    with pytest.raises(TypeError, match="roles: expected cbc.Role, got cbc.CheckFlag.FILE"):
        db.sync(employees=[E("X2", "乙", "T1", roles=cbc.CheckFlag.FILE)])
    with pytest.raises(ValueError):
        db.sync(employees=[E("X2", "乙", "T1", roles=1 << 12)])
    with pytest.raises(cbc.NotFoundError):
        db.employee_by_external("X2")
    assert db.check(3).ok and db.check("histories").hazards_checked == 0
    with pytest.raises(TypeError, match="flags: expected cbc.CheckFlag, got cbc.Role.WORKER"):
        db.check(Role.WORKER)


# -- a wrong enum at call sites of each module ----------------------------------
def test_hazard_call_sites(db, campaign):
    i = campaign
    hid = report(db, i)
    before = db.hazard(hid)
    with pytest.raises(TypeError, match="severity: expected cbc.Severity, got cbc.Level.TEAM"):
        db.register(hid, i["L1"], Level.TEAM, Severity.GENERAL, "紧固", T + 86400, "警示")
    with pytest.raises(TypeError, match="kind: expected cbc.HazardKind"):
        db.amend(hid, i["L1"], "录错", measures="新措施", kind=CheckItem.RULES)
    assert db.hazard(hid) == before and len(db.hazard_history(hid)) == 1
    with pytest.raises(TypeError, match="states: expected cbc.HazardState, got cbc.Severity"):
        db.hazards(states=[HazardState.REPORTED, Severity.MAJOR])
    with pytest.raises(TypeError, match="sort: expected cbc.HazardSort, got cbc.Dimension"):
        db.hazard_count(sort=cbc.Dimension.KIND)
    with pytest.raises(TypeError, match="level: expected cbc.Level, got cbc.Severity"):
        db.hazard_count(level=Severity.MAJOR)
    with pytest.raises(TypeError, match="state: expected cbc.HazardState"):
        cbc.hazard_transition(cbc.HazardAction.REPORT, HazardState.REPORTED)
    assert db.hazard_count(states="reported", severity=None, level=None) == 1
    with pytest.raises(ValueError, match="severity: 0 is not a valid cbc.Severity"):
        db.hazard_count(severity=0)  # None, not 0, is "any severity"
    assert db.hazard_count(states=[HazardState.CLOSED]) == 0


def test_org_call_sites(db, campaign):
    i = campaign
    assert db.responsible(i["T1"], "team") == db.responsible(i["T1"], Level.TEAM)
    with pytest.raises(TypeError, match="level: expected cbc.Level, got cbc.Severity"):
        db.responsible(i["T1"], Severity.MAJOR)
    with pytest.raises(TypeError, match="kind: expected cbc.UnitKind, got cbc.Level.TEAM"):
        db.sync(units=[cbc.UnitRecord("T9", Level.TEAM, "丙班", "W1")])
    with pytest.raises(cbc.NotFoundError):
        db.unit_by_external("T9")
    with pytest.raises(TypeError, match="mode: expected cbc.SyncMode, got cbc.FileFormat"):
        db.sync(mode=cbc.FileFormat.CSV)
    with pytest.raises(TypeError, match="format: expected cbc.FileFormat, got cbc.SyncMode"):
        db.import_files(format=cbc.SyncMode.FULL)
    with pytest.raises(TypeError, match="synchronous: expected cbc.DbSync, got cbc.SyncMode"):
        cbc.Database(":memory:", synchronous=cbc.SyncMode.FULL)


def test_activity_call_sites(db, campaign):
    i = campaign
    K, A = cbc.TrainingKind, cbc.ActivityKind
    with pytest.raises(TypeError, match="kind: expected cbc.TrainingKind, got cbc.ActivityKind"):
        db.add_training(i["T1"], A.TRAINING, T - 86400, 60, "培训", [(i["A1"], True)])
    assert list(db.trainings()) == []
    tid = db.add_training(i["T1"], "all_staff", T - 86400, 60, "培训", [(i["A1"], True)])
    assert db.training(tid).kind is K.ALL_STAFF
    with pytest.raises(TypeError, match="kind: expected cbc.ActivityKind, got cbc.TrainingKind"):
        db.void_activity(K.ALL_STAFF, tid, i["P1"], "重复")
    with pytest.raises(TypeError, match="kind: expected cbc.ActivityKind"):
        db.activities(K.ALL_STAFF)
    with pytest.raises(TypeError, match="kind: expected cbc.TrainingKind"):
        cbc.training_kind_name(A.TRAINING)
    assert cbc.training_kind_name(99) is None
    assert db.training(tid).voided_at is None


def test_reward_call_sites(db, campaign):
    i = campaign
    with pytest.raises(TypeError, match="state: expected cbc.AwardState, got cbc.HazardState"):
        db.awards(state=HazardState.CLOSED)
    with pytest.raises(TypeError, match="subject: expected cbc.SubjectKind, got cbc.Role"):
        db.awards(subject=(Role.WORKER, i["A1"]))
    with pytest.raises(TypeError, match="rule: expected cbc.RewardRule, got cbc.SubjectKind"):
        cbc.reward_rule_name(cbc.SubjectKind.TEAM)
    assert cbc.reward_rule_name(cbc.RewardRule.HOTLINE_TIP) == "hotline_tip"
    evaluation = db.evaluate_rewards(i["E1"], Period.month(2023, 11), dry_run=True)
    with pytest.raises(TypeError, match="rule: expected cbc.RewardRule"):
        evaluation.find(rule=cbc.SubjectKind.TEAM)
    assert db.awards(state="approved") == []


def test_stats_call_sites(db, campaign):
    i = campaign
    with pytest.raises(TypeError, match="kind: expected cbc.PeriodKind, got cbc.StatsFormat"):
        db.period_containing(cbc.StatsFormat.JSON, T)
    assert db.period_containing("quarter", T) == Period.quarter(2023, 4)
    with pytest.raises(TypeError, match="period.kind: expected cbc.PeriodKind"):
        db.period_bounds(Period(cbc.Dimension.KIND, 2023, 11))
    form = db.form(i["E1"], Period.month(2023, 11))
    with pytest.raises(TypeError, match="fmt: expected cbc.StatsFormat, got cbc.PeriodKind"):
        db.render(form, cbc.PeriodKind.MONTH)
    assert db.render(form, "json") == db.form_json(i["E1"], Period.month(2023, 11))
    breakdown = db.breakdown(i["E1"], Period.month(2023, 11))
    with pytest.raises(TypeError, match="dimension: expected cbc.Dimension, got cbc.Severity"):
        breakdown.by_dimension(Severity.MAJOR)
    assert set(breakdown.by_dimension("severity")) == set(Severity)
    assert all(type(v) is Severity for v in breakdown.by_dimension(cbc.Dimension.SEVERITY))
    with pytest.raises(TypeError, match="fmt: expected cbc.StatsFormat"):
        db.render_breakdown(breakdown, cbc.Dimension.KIND)
