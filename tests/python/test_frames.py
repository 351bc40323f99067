"""cbc.frames: ledgers, events, forms, series, awards, fines and activity
listings as pandas DataFrames with real dtypes (categories of every member
for enums, aware datetimes with NaT for unset, Int64 with <NA> for no
reference, None for empty text), empty inputs with the same columns, bad
input refused, and pandas imported only when a function is called."""
import dataclasses
import importlib
import os
import subprocess
import sys

import pytest

import cbc
import cbc.frames as frames
from cbc import (AwardState, CheckItem, HazardCategory, HazardKind, HazardSource, HazardState,
                 Level, Period, Severity)

pd = pytest.importorskip("pandas")

DAY, HOUR = 86400, 3600
# The clock (conftest) is 1700000000: 2023-11-15 06:13:20 in Beijing (UTC+8).
NOV = Period.month(2023, 11)
BEIJING = "datetime64[ns, UTC+08:00]"
FIGURES = ("units_ran", "employees_took_part", "training_sessions", "employees_trained",
           "leader_classes", "leaders_trained", "units_assigned", "supervision_visits",
           "hazards_found", "hazards_listed", "hazards_rectified")


@pytest.fixture
def ids(db, campaign):
    """conftest's campaign plus a safety officer of E1 (S1, in T3), who verifies
    major hazards."""
    db.sync(employees=[cbc.EmployeeRecord("S1", "安全员", "T3", roles=cbc.Role.SAFETY_OFFICER)],
            strict=True)
    return dict(campaign, S1=db.employee_by_external("S1").id)


def report(db, unit_id, reporter_id, title="隐患", severity=Severity.GENERAL,
           source=HazardSource.SELF_CHECK):
    hid, _ = db.report(unit_id, title, HazardKind.HARD, HazardCategory.SAFETY,
                       CheckItem.EQUIPMENT_GUARDING, source, severity, reporter_id=reporter_id)
    return hid


@pytest.fixture
def ledger(db, ids, clock):
    """Four hazards: "registered" (A1's, registered by L1 with a deadline),
    "anonymous" (a hotline tip-off, only reported: no reporter, no deadline, no
    severity), "closed" (a major one with a plan, reported by A1, closed: an
    award) and "rejected" (a duplicate of "registered")."""
    i, h = ids, {}
    h["registered"] = report(db, i["T1"], i["A1"], "通道堵塞")
    db.register(h["registered"], i["L1"], Severity.GENERAL, Level.TEAM, "清理",
                clock.t + 5 * DAY, "警示", funds_fen=1500, responsible_id=i["L1"])
    h["anonymous"] = report(db, i["T2"], 0, "配电箱漏电", source=HazardSource.HOTLINE)
    h["closed"] = report(db, i["T1"], i["A1"], "吊索断股", Severity.MAJOR)
    clock.t += HOUR
    plan = cbc.RectificationPlan("目标", "方法", "经费", "设备科", clock.t + 20 * DAY, "监护")
    db.register(h["closed"], i["P1"], Severity.MAJOR, Level.ENTERPRISE, "更换", clock.t + 20 * DAY,
                "停用", plan=plan)
    db.start(h["closed"], i["P1"])
    clock.t += HOUR
    db.submit(h["closed"], i["P1"], "已更换")
    clock.t += HOUR
    db.verify(h["closed"], i["S1"], True)
    h["rejected"] = report(db, i["T1"], i["L1"], "通道堵塞（重复）")
    db.reject(h["rejected"], i["L1"], "重复", duplicate_of=h["registered"])
    return h


# The dtype of every column of hazards(), in order: "category" stands for an
# enum's Categorical (checked further by test_hazard_categories).
HAZARD_DTYPES = [
    ("state", "category"), ("reporter_id", "Int64"), ("unit_id", "Int64"),
    ("enterprise_id", "Int64"), ("title", "object"), ("description", "object"),
    ("location", "object"), ("kind", "category"), ("category", "category"),
    ("check_item", "category"), ("source", "category"), ("observed_at", BEIJING),
    ("reported_at", BEIJING), ("proposed_severity", "category"), ("severity", "category"),
    ("level", "category"), ("resolved_level", "category"), ("responsible_id", "Int64"),
    ("measures", "object"), ("funds_fen", "int64"), ("original_deadline", BEIJING),
    ("deadline", BEIJING), ("contingency_plan", "object"), ("has_plan", "bool"),
    ("plan_goals", "object"), ("plan_methods", "object"), ("plan_funds_materials", "object"),
    ("plan_responsible_bodies", "object"), ("plan_time_limit", BEIJING),
    ("plan_safety_measures", "object"), ("reject_reason", "object"), ("duplicate_of", "Int64"),
    ("listed", "bool"), ("listing_authority", "object"), ("listing_document", "object"),
    ("listed_at", BEIJING), ("listed_by", "Int64"), ("extension_pending", "bool"),
    ("extension_requested_deadline", BEIJING), ("reopen_count", "int64"),
    ("submitted_by", "Int64"), ("last_note", "object"), ("closed_at", BEIJING),
    ("updated_at", BEIJING), ("attachments", "object")]

HAZARD_ENUMS = {"state": HazardState, "kind": HazardKind, "category": HazardCategory,
                "check_item": CheckItem, "source": HazardSource, "proposed_severity": Severity,
                "severity": Severity, "level": Level, "resolved_level": Level}


def dtypes(frame):
    return [(name, str(dtype)) for name, dtype in frame.dtypes.items()]


def names(enum):
    return [m.name for m in sorted(enum, key=int)]


def expected(record, column):
    """What the frame should hold for a record's field: None for "not set"."""
    path = column.split("_", 1) if column.startswith("plan_") else [column]
    value = record
    for name in path:
        value = getattr(value, name) if value is not None else None
    if column in HAZARD_ENUMS:
        return value.name if value is not None else None
    if value in (0, "") and not isinstance(value, bool) and column not in ("funds_fen",
                                                                           "reopen_count"):
        return None
    return value


def missing(value):
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


# -- hazards ------------------------------------------------------------------------
def test_hazard_dtypes(db, ledger):
    frame = frames.hazards(db.hazards())
    assert dtypes(frame) == HAZARD_DTYPES
    assert (frame.index.name, str(frame.index.dtype)) == ("id", "int64")
    assert list(frame.index) == sorted(ledger.values())


def test_hazard_categories(db, ledger):
    """Every enum column's categories are all members by name, in value order;
    severity, level and state are ordered, and the names round-trip to members."""
    frame = frames.hazards(db.hazards())
    for column, enum in HAZARD_ENUMS.items():
        dtype = frame[column].dtype
        assert list(dtype.categories) == names(enum), column
        assert dtype.ordered == (enum in (Severity, Level, HazardState)), column
    assert [HazardState[c] for c in frame["state"].cat.categories] == sorted(HazardState)
    assert len(frame["state"].cat.categories) == 6  # unused states are categories too
    majors = frame[frame["severity"] >= "MAJOR"]
    assert list(majors.index) == [ledger["closed"]]
    assert frame["state"].sort_values().tolist() == ["REPORTED", "REGISTERED", "CLOSED",
                                                     "REJECTED"]  # the lifecycle's order


def test_hazard_values_equal_records(db, ledger):
    records = {h.id: h for h in db.hazards()}
    frame = frames.hazards(records.values())
    assert len(frame) == len(records) == 4
    checked = 0
    for hid, record in records.items():
        for column, _ in HAZARD_DTYPES:
            want, got = expected(record, column), frame.at[hid, column]
            if want is None:
                assert missing(got), (hid, column, got)
            else:
                assert got == want, (hid, column, got, want)
            checked += 1
    assert checked == 4 * 45


def test_hazard_unset_values(db, ledger, ids):
    """Unset times are NaT (not 1970), no reference <NA> (not 0), no text None (not "")."""
    frame = frames.hazards(db.hazards())
    anonymous, registered = frame.loc[ledger["anonymous"]], frame.loc[ledger["registered"]]
    assert anonymous["deadline"] is pd.NaT and anonymous["closed_at"] is pd.NaT
    assert frame["deadline"].isna().sum() == 2  # the anonymous and the rejected hazard
    assert frame["deadline"].min().year == 2023  # no 1970 anywhere
    assert anonymous["reporter_id"] is pd.NA and anonymous["responsible_id"] is pd.NA
    assert pd.isna(anonymous["severity"]) and pd.isna(anonymous["level"])
    assert anonymous["measures"] is None and anonymous["reject_reason"] is None
    assert registered["deadline"] == pd.Timestamp(1700000000 + 5 * DAY, unit="s", tz="UTC")
    assert (registered["reporter_id"], registered["responsible_id"]) == (ids["A1"], ids["L1"])
    assert registered["funds_fen"] == 1500 and registered["measures"] == "清理"
    rejected = frame.loc[ledger["rejected"]]
    assert (rejected["duplicate_of"], rejected["reject_reason"]) == (ledger["registered"], "重复")
    closed = frame.loc[ledger["closed"]]
    assert closed["has_plan"] and closed["plan_goals"] == "目标"
    assert closed["plan_time_limit"].tz is not None and closed["closed_at"] is not pd.NaT
    assert registered["plan_goals"] is None and registered["plan_time_limit"] is pd.NaT
    assert frame["duplicate_of"].isna().sum() == 3 and frame["funds_fen"].sum() == 1500


def test_hazard_labels(db, ledger):
    frame = frames.hazards(db.hazards(), labels=True)
    for column, enum in HAZARD_ENUMS.items():
        assert list(frame[column].cat.categories) == [m.label for m in sorted(enum, key=int)]
    record = db.hazard(ledger["closed"])
    assert frame.at[record.id, "state"] == record.state.label == "已销号"
    assert frame.at[record.id, "severity"] == "重大隐患"
    assert frame["severity"].cat.ordered


def test_empty_ledger_same_columns_and_dtypes(db, ledger):
    full = frames.hazards(db.hazards())
    for empty in (frames.hazards([]), frames.hazards(db.hazards(states=HazardState.RECTIFYING)),
                  frames.hazards(db.hazards(text="没有这个"), utc_offset=db.utc_offset)):
        assert len(empty) == 0
        assert dtypes(empty) == dtypes(full)
        assert str(empty.index.dtype) == "int64" and empty.index.name == "id"
        for column in HAZARD_ENUMS:
            assert list(empty[column].cat.categories) == list(full[column].cat.categories)
    assert frames.hazards(db.hazards(states=cbc.OPEN_STATES)).index.tolist() == [
        ledger["registered"]]


def test_hazard_page_and_lookup(db, ledger):
    page, _ = db.hazard_page(limit=2)
    assert frames.hazards(page).index.tolist() == sorted(ledger.values())[:2]
    one = frames.hazards([db.hazard(ledger["closed"])])
    assert one.at[ledger["closed"], "attachments"] == []


def test_time_zones(clock):
    """The zone is the database's; utc_offset converts (same instants); an
    empty input without utc_offset takes the default Database offset."""
    with cbc.Database(":memory:", clock=clock, utc_offset_seconds=0) as utc:
        utc.sync(units=[cbc.UnitRecord("E1", cbc.UnitKind.ENTERPRISE, "济钢")], strict=True)
        report(utc, utc.unit_by_external("E1").id, 0, source=HazardSource.HOTLINE)
        frame = frames.hazards(utc.hazards())
        assert str(frame["reported_at"].dtype) == "datetime64[ns, UTC]"
        east = frames.hazards(utc.hazards(), utc_offset=3600)
        assert str(east["reported_at"].dtype) == "datetime64[ns, UTC+01:00]"
        assert east["reported_at"].iloc[0] == frame["reported_at"].iloc[0]
        assert east["reported_at"].iloc[0].hour == frame["reported_at"].iloc[0].hour + 1
        assert str(frames.hazards([], utc_offset=utc.utc_offset)["deadline"].dtype) == \
            "datetime64[ns, UTC]"
    assert str(frames.hazards([])["deadline"].dtype) == BEIJING
    assert str(frames.hazards([], utc_offset=-5 * HOUR)["deadline"].dtype) == \
        "datetime64[ns, UTC-05:00]"


def test_bad_input(db, ledger):
    hazard = db.hazard(ledger["registered"])
    form = db.form(db.hazard(ledger["registered"]).enterprise_id, NOV)
    with pytest.raises(TypeError, match="hazards: expected cbc.Hazard records, got Form"):
        frames.hazards([hazard, form])
    with pytest.raises(TypeError, match="expected an iterable of cbc.Hazard, got Hazard"):
        frames.hazards(hazard)
    with pytest.raises(TypeError, match="iterable of cbc.Form, got str"):
        frames.forms("2023-11")
    with pytest.raises(TypeError, match="utc_offset: expected int seconds, got str"):
        frames.hazards([hazard], utc_offset="+08:00")
    with pytest.raises(TypeError, match="utc_offset"):
        frames.hazards([hazard], utc_offset=True)
    with pytest.raises(TypeError, match="expected cbc.Award records, got Hazard"):
        frames.awards([hazard])


# -- events -------------------------------------------------------------------------
def test_events(db, ledger):
    history = db.hazard_history(ledger["closed"])
    frame = frames.events(history)
    assert frame.index.tolist() == [e.id for e in history]
    assert frame["action"].tolist() == [e.action.name for e in history]
    assert list(frame["action"].cat.categories) == names(cbc.HazardAction)
    assert pd.isna(frame["from_state"].iloc[0]) and frame["to_state"].iloc[0] == "REPORTED"
    assert str(frame["at"].dtype) == BEIJING and str(frame["actor_id"].dtype) == "Int64"
    assert frame["data"].iloc[0] == history[0].data
    assert dtypes(frames.events([])) == dtypes(frame)


# -- forms and series -----------------------------------------------------------------
def test_forms_counts_equal_db_form(db, ledger, ids):
    children = db.child_forms(ids["E1"], NOV)
    frame = frames.forms(children)
    assert dtypes(frame)[:4] == [("unit_id", "Int64"), ("period", "object"),
                                 ("start", BEIJING), ("end", BEIJING)]
    assert dtypes(frame)[4:] == [(f, "int64") for f in FIGURES]
    assert frame["unit_id"].tolist() == [ids["W1"], ids["W2"]]
    for row, form in zip(frame.itertuples(index=False), children):
        direct = db.form(form.unit_id, NOV)
        assert [getattr(row, f) for f in FIGURES] == [getattr(direct, f) for f in FIGURES]
        assert (row.period, row.start, row.end) == ("2023-11", direct.start, direct.end)
    assert frame.loc[0, "hazards_found"] == 4  # all four in W1's teams
    assert frames.forms([]).dtypes.tolist() == frame.dtypes.tolist()


@pytest.mark.parametrize("period, text", [
    (Period.quarter(2023, 4), "2023-Q4"), (Period.year(2023), "2023"),
    ("2023-11-03..2023-11-20", "2023-11-03..2023-11-20")])
def test_form_period_texts(db, ledger, ids, period, text):
    if isinstance(period, str):
        period = Period.parse(period, db)
    frame = frames.forms([db.form(ids["E1"], period)])
    assert frame.at[0, "period"] == text
    assert frame.at[0, "hazards_found"] == 4


def test_series_index_in_period_order(db, ledger, ids):
    forms = db.series(ids["E1"], 2023, 10, 4)  # across the new year
    frame = frames.series(forms)
    assert isinstance(frame.index, pd.PeriodIndex) and frame.index.freqstr == "M"
    assert frame.index.name == "period"
    assert [str(p) for p in frame.index] == ["2023-10", "2023-11", "2023-12", "2024-01"]
    assert "period" not in frame.columns and dtypes(frame)[0] == ("unit_id", "Int64")
    for period, row in frame.iterrows():
        direct = db.form(ids["E1"], Period.month(period.year, period.month))
        assert [row[f] for f in FIGURES] == [getattr(direct, f) for f in FIGURES]
    assert frame.loc["2023-11", "hazards_found"] == 4 and frame["hazards_found"].sum() == 4
    shuffled = frames.series([forms[2], forms[0], forms[3], forms[1]])
    assert shuffled.index.equals(frame.index) and shuffled.equals(frame)
    assert frames.series([]).index.freqstr == "M" and len(frames.series([])) == 0


def test_series_of_quarters_and_refusals(db, ledger, ids):
    quarters = [db.form(ids["E1"], Period.quarter(2023, q)) for q in (4, 3)]
    assert [str(p) for p in frames.series(quarters).index] == ["2023Q3", "2023Q4"]
    with pytest.raises(ValueError, match="calendar month"):
        frames.series([db.form(ids["E1"], NOV), quarters[0]])
    with pytest.raises(ValueError, match="calendar month.*2023-11-03..2023-11-20"):
        frames.series([db.form(ids["E1"], Period.parse("2023-11-03..2023-11-20", db))])
    with pytest.raises(ValueError, match="more than once.*2023-11.*forms"):
        frames.series(db.child_forms(ids["E1"], NOV))


# -- rewards ------------------------------------------------------------------------
def test_awards(db, ledger, ids):
    (award,) = db.awards()  # the closed major hazard's
    frame = frames.awards(db.awards())
    row = frame.loc[award.id]
    assert (row["rule"], row["subject_kind"], row["state"]) == ("MAJOR_HAZARD", "EMPLOYEE",
                                                                "PROPOSED")
    assert list(frame["state"].cat.categories) == names(AwardState) and \
        frame["state"].cat.ordered
    assert list(frame["rule"].cat.categories) == names(cbc.RewardRule)
    assert (row["hazard_id"], row["subject_id"]) == (ledger["closed"], ids["A1"])
    assert row["proposal_id"] is pd.NA and row["approved_by"] is pd.NA
    assert row["approved_at"] is pd.NaT and row["payment_ref"] is None
    assert row["proposed_at"] == award.proposed_at and row["amount_fen"] == award.amount_fen
    assert str(frame["amount_fen"].dtype) == "int64" and str(frame["paid_at"].dtype) == BEIJING
    assert dtypes(frames.awards([])) == dtypes(frame)
    labelled = frames.awards([award], labels=True)
    assert labelled.at[award.id, "state"] == AwardState.PROPOSED.label


def test_award_of_a_rule_newer_than_the_package(db, ledger):
    """A rule the package does not know (a plain int) keeps its number as a
    category of its own, after every member, rather than becoming missing."""
    (award,) = db.awards()
    newer = dataclasses.replace(award, id=award.id + 1, rule=99)
    frame = frames.awards([award, newer])
    assert list(frame["rule"].cat.categories) == names(cbc.RewardRule) + ["99"]
    assert frame["rule"].tolist() == ["MAJOR_HAZARD", "99"]


def test_fines(db, ledger, ids):
    by_hazard = db.issue_fine(ids["L1"], 20000, "隐患失控", ids["P1"], hazard_id=ledger["closed"])
    violation = db.issue_fine(ids["B1"], 5000, "三违", ids["P1"], violation="未戴安全帽")
    frame = frames.fines(db.fines(ids["E1"]))
    assert frame.index.tolist() == [by_hazard, violation]
    assert frame.at[by_hazard, "violation"] is None and frame.at[violation, "hazard_id"] is pd.NA
    assert frame.at[by_hazard, "hazard_id"] == ledger["closed"]
    assert frame["amount_fen"].tolist() == [20000, 5000]
    assert dtypes(frame) == [("employee_id", "Int64"), ("unit_id", "Int64"),
                             ("amount_fen", "int64"), ("reason", "object"),
                             ("hazard_id", "Int64"), ("violation", "object"),
                             ("issued_by", "Int64"), ("issued_at", BEIJING)]
    summary = db.reward_summary(ids["E1"], NOV)
    assert frames.fines(summary.fine_list).equals(frame)


# -- activities -----------------------------------------------------------------------
def test_activities(db, ids, clock):
    i, t, AK = ids, clock.t, cbc.ActivityKind
    kept = db.add_training(i["T1"], cbc.TrainingKind.ALL_STAFF, t - HOUR, 90, "全员培训",
                           [(i["L1"], True)])
    voided = db.add_training(i["T1"], cbc.TrainingKind.RETRAINING, t - 60, 30, "复训",
                             [(i["A1"], True)])
    db.void_activity(AK.TRAINING, voided, i["P1"], "录入重复")
    frame = frames.activities(db.trainings(with_voided=True), AK.TRAINING)
    assert frame.index.tolist() == [kept, voided]
    assert frame.at[kept, "voided_at"] is pd.NaT and frame.at[kept, "voided_by"] is pd.NA
    assert frame.at[voided, "voided_by"] == i["P1"] and frame.at[voided, "void_reason"] == "录入重复"
    assert frame["kind"].tolist() == ["ALL_STAFF", "RETRAINING"]
    assert list(frame["kind"].cat.categories) == names(cbc.TrainingKind)
    assert str(frame["held_at"].dtype) == BEIJING and str(frame["minutes"].dtype) == "int64"
    assert dtypes(frames.activities([], "training")) == dtypes(frame)

    open_ended = db.assign_cadre(i["C1"], i["E1"], t - DAY)
    assignments = frames.activities(db.cadre_assignments(), AK.ASSIGNMENT)
    assert assignments.at[open_ended, "end"] is pd.NaT
    assert assignments.at[open_ended, "cadre_id"] == i["C1"]
    pid = db.submit_proposal(i["A1"], "护栏加高", "内容")
    proposals = frames.activities(db.proposals(), AK.PROPOSAL, labels=True)
    assert proposals.at[pid, "status"] == cbc.ProposalStatus.SUBMITTED.label
    assert proposals.at[pid, "decided_at"] is pd.NaT and proposals.at[pid, "decided_by"] is pd.NA
    with pytest.raises(TypeError, match="expected cbc.Drill records, got Training"):
        frames.activities(db.trainings(), AK.DRILL)
    with pytest.raises(cbc.InvalidError):
        frames.activities([], 42)


# -- the API --------------------------------------------------------------------------
def test_public_functions_are_documented():
    for name in frames.__all__:
        assert getattr(frames, name).__doc__, name
    assert frames.__doc__ and "pandas" in frames.__doc__


def test_without_pandas_import_works_calls_fail_clearly(monkeypatch):
    """cbc.frames imports without pandas; a call raises ImportError naming it."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.delitem(sys.modules, "cbc.frames")
    monkeypatch.setattr(cbc, "frames", frames)  # restored after the re-import below
    fresh = importlib.import_module("cbc.frames")
    assert fresh is not frames
    for call in (lambda: fresh.hazards([]), lambda: fresh.series([]),
                 lambda: fresh.activities([], "drill")):
        with pytest.raises(ImportError, match="needs pandas.*python3-pandas"):
            call()


def test_import_does_not_load_pandas():
    """import cbc and import cbc.frames leave pandas unimported (a fresh interpreter)."""
    code = ("import sys, cbc, cbc.frames\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n"
            "cbc.frames.hazards([])\n"
            "assert 'pandas' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))
