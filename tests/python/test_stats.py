"""The statistics binding: periods, the form (aggregates and records), its
renderings, series, drill-down, breakdowns, deferred statistics, errors."""
import csv
import io
import json

import pytest

import cbc
from conftest import at
from cbc import Dimension, Period, StatsFormat, TrainingKind as K

DAY = 86400
# The clock (conftest) is 1700000000: 2023-11-15 06:13:20 in Beijing (UTC+8).
NOV_START, NOV_END = 1698768000, 1701360000  # 2023-11-01 and 2023-12-01 00:00 UTC+8
NOV = Period.month(2023, 11)
FIGURES = ("units_ran", "employees_took_part", "training_sessions", "employees_trained",
           "leader_classes", "leaders_trained", "units_assigned", "supervision_visits",
           "hazards_found", "hazards_listed", "hazards_rectified")


def report(db, unit_id, reporter_id, kind=cbc.HazardKind.HARD, check_item=cbc.CheckItem.RULES,
           source=cbc.HazardSource.SELF_CHECK, severity=cbc.Severity.GENERAL):
    hid, _ = db.report(unit_id, "隐患", kind, cbc.HazardCategory.SAFETY, check_item, source,
                       severity, reporter_id=reporter_id)
    return hid


@pytest.fixture
def scene(db, campaign, clock):
    """In November 2023: a session in T1 (L1 passed, A1 not), a leader class held
    by E1 (L1, P1), B1 reports a hazard in T2, C1 is assigned to E1 and visits
    it, A1 makes a proposal."""
    i, t = campaign, clock.t
    db.add_training(i["T1"], K.ALL_STAFF, t - 3600, 90, "全员培训",
                    [(i["L1"], True), (i["A1"], False)])
    db.add_training(i["E1"], K.LEADER_CLASS, t - 7200, 120, "负责人培训班",
                    [(i["L1"], True), (i["P1"], True)])
    report(db, i["T2"], i["B1"])
    db.assign_cadre(i["C1"], i["E1"], t - DAY)
    db.add_visit(i["C1"], i["E1"], t - 60, "检查")
    db.submit_proposal(i["A1"], "建议", "内容")
    return i


def figures(form):
    return tuple(getattr(form, f) for f in FIGURES)


# -- periods ----------------------------------------------------------------
def test_period_constructors():
    assert Period.month(2023, 11) == Period(cbc.PeriodKind.MONTH, 2023, 11, 0, 0)
    assert Period.quarter(2023, 4) == Period(cbc.PeriodKind.QUARTER, 2023, 4)
    assert Period.year(2024) == Period(cbc.PeriodKind.YEAR, 2024)
    assert Period.range(5, 10) == Period(cbc.PeriodKind.RANGE, 0, 0, 5, 10)


def test_period_bounds(db):
    assert db.period_bounds(NOV) == (at(NOV_START), at(NOV_END))
    assert db.period_bounds(Period.quarter(2023, 4)) == (at(1696089600), at(1704038400))
    assert db.period_bounds(Period.year(2024)) == (at(1704038400), at(1735660800))
    assert db.period_bounds(Period.range(5, 10)) == (at(5), at(10))


def test_period_bounds_other_offset(clock):
    with cbc.Database(":memory:", clock=clock, utc_offset_seconds=0) as utc:
        assert utc.period_bounds(NOV) == (at(1698796800), at(1701388800))


@pytest.mark.parametrize("period", [Period.month(2023, 13), Period.month(2023, 0),
                                    Period.quarter(2023, 5), Period.year(1969),
                                    Period.year(10000), Period.range(10, 10),
                                    Period.range(10, 5), Period(cbc.PeriodKind.YEAR, 2023, 1),
                                    Period(9, 2023)])
def test_bad_periods(db, campaign, period):
    with pytest.raises(cbc.InvalidError) as e:
        db.period_bounds(period)
    assert e.value.code == cbc.ErrorCode.EINVAL
    for call in (db.form, db.breakdown, db.child_forms):
        with pytest.raises(cbc.InvalidError):
            call(campaign["E1"], period)


def test_not_a_period(db, campaign):
    with pytest.raises(TypeError):
        db.form(campaign["E1"], (2023, 11))


# -- the form ---------------------------------------------------------------
def test_form_figures(db, scene):
    i = scene
    e1 = db.form(i["E1"], NOV)
    assert e1 == cbc.Form(i["E1"], at(NOV_START), at(NOV_END), units_ran=1, employees_took_part=4,
                          training_sessions=2, employees_trained=3, leader_classes=1,
                          leaders_trained=2, units_assigned=1, supervision_visits=1,
                          hazards_found=1, hazards_listed=0, hazards_rectified=0)
    # the region adds the cadre, who took part by visiting
    assert figures(db.form(i["R1"], NOV)) == (1, 5, 2, 3, 1, 2, 1, 1, 1, 0, 0)
    # teams and workshops come from the records; a team's subtree holds no enterprise
    assert figures(db.form(i["T1"], NOV)) == (0, 2, 1, 2, 0, 1, 0, 0, 0, 0, 0)
    assert figures(db.form(i["T2"], NOV)) == (0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0)
    assert figures(db.form(i["W1"], NOV)) == (0, 3, 1, 2, 0, 1, 0, 0, 1, 0, 0)
    assert figures(db.form(i["W2"], NOV)) == (0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0)
    # the aggregates agree with the records
    assert db.form(i["E1"], NOV, from_records=True) == e1
    assert db.form(i["R1"], NOV, from_records=True) == db.form(i["R1"], NOV)
    # a quarter and a year count the same people once; October had nothing
    assert figures(db.form(i["E1"], Period.quarter(2023, 4))) == figures(e1)
    assert figures(db.form(i["E1"], Period.year(2023))) == figures(e1)
    assert figures(db.form(i["E1"], Period.month(2023, 10))) == (0,) * 11
    rng = db.form(i["E1"], Period.range(NOV_START, NOV_END))
    assert (rng.start, rng.end, figures(rng)) == (at(NOV_START), at(NOV_END), figures(e1))


def test_form_counts_closures_and_listings(db, campaign, clock):
    i = campaign
    fixed = db.fix_on_spot(i["T1"], "整改", cbc.HazardKind.SOFT, cbc.HazardCategory.SAFETY,
                           cbc.CheckItem.FIXED_POSITION, cbc.HazardSource.SNAPSHOT,
                           reporter_id=i["A1"], measures="清理")
    db.verify(fixed, i["L1"], True)
    hid = report(db, i["T1"], i["B1"], severity=cbc.Severity.MAJOR)  # a hazard of T1's
    deadline = clock.t + 30 * DAY
    db.register(hid, i["P1"], cbc.Severity.MAJOR, cbc.Level.ENTERPRISE, "停产整改", deadline,
                "疏散", plan=cbc.RectificationPlan("目标", "方法", "资金", "安全科",
                                                   deadline, "措施"))
    db.list_supervision(hid, i["I1"], "历下区应急管理局", "督〔2023〕1号")
    for unit in ("E1", "R1", "W1", "T1"):
        f = db.form(i[unit], NOV)
        assert (f.hazards_found, f.hazards_listed, f.hazards_rectified) == (2, 1, 1), unit
    assert figures(db.form(i["E1"], NOV)) == (1, 2, 0, 0, 0, 0, 0, 0, 2, 1, 1)
    assert figures(db.form(i["T1"], NOV))[1] == 1  # A1 only; B1 is in T2
    assert figures(db.form(i["T2"], NOV)) == (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def test_form_errors(db, campaign):
    with pytest.raises(cbc.NotFoundError) as e:
        db.form(10 ** 9, NOV)
    assert e.value.code == cbc.ErrorCode.ENOTFOUND
    for call in (db.breakdown, db.child_forms):
        with pytest.raises(cbc.NotFoundError):
            call(10 ** 9, NOV)
    with pytest.raises(cbc.NotFoundError):
        db.series(10 ** 9, 2023, 1, 1)


# -- renderings -------------------------------------------------------------
def test_render_text(db, scene):
    text = db.form_text(scene["E1"], NOV)
    assert text == db.render(db.form(scene["E1"], NOV))
    assert text == db.render(db.form(scene["E1"], NOV), StatsFormat.TEXT)
    assert text.startswith("“查保促”集中行动情况统计表\n")
    assert "填报单位：济钢\n" in text
    assert "统计期间：2023-11-01 至 2023-11-30\n" in text
    lines = {line.split()[0]: int(line.split()[-1]) for line in text.splitlines()
             if line and line.split()[-1].isdigit()}
    assert lines["查出安全隐患数"] == 1
    assert lines["单位负责人培训班次数"] == 1


def test_form_fields_in_the_forms_order(db, scene):
    """FormField runs over the figures in the form's order; Form.value() reads
    each by member, name or label; the labels are the text form's headings."""
    e1 = db.form(scene["E1"], NOV)
    assert [f.name.lower() for f in cbc.FormField] == list(FIGURES)
    assert [e1.value(f) for f in cbc.FormField] == list(figures(e1))
    assert e1.value("hazards_found") == e1.value(cbc.FormField.HAZARDS_FOUND.label) == 1
    text = db.form_text(scene["E1"], NOV)
    headings = [line.rsplit(None, 1)[0].strip() for line in text.splitlines()
                if line and line.split()[-1].isdigit()]
    assert headings == [f.label for f in cbc.FormField]
    assert text.startswith(cbc.form_title() + "\n") and cbc.form_title() == "“查保促”集中行动情况统计表"
    with pytest.raises(TypeError):
        e1.value(cbc.Dimension.KIND)
    with pytest.raises(cbc.InvalidError):
        e1.value(99)


def test_render_json(db, scene):
    data = json.loads(db.form_json(scene["E1"], NOV))
    assert (data["unit_id"], data["unit"], data["from"], data["last"]) == (
        scene["E1"], "济钢", "2023-11-01", "2023-11-30")
    assert data["figures"] == dict(zip(FIGURES, (1, 4, 2, 3, 1, 2, 1, 1, 1, 0, 0)))
    assert db.render(db.form(scene["E1"], NOV), StatsFormat.JSON) == db.form_json(scene["E1"], NOV)


def test_render_csv_neutralises_formulas(db, scene):
    db.rename_unit(scene["E1"], "=HYPERLINK(\"x\")")
    text = db.form_csv(scene["E1"], NOV)
    assert text.startswith("unit_id,unit,from,last,figure,label,value\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 11
    assert {r["unit"] for r in rows} == {"'=HYPERLINK(\"x\")"}
    assert [r["figure"] for r in rows] == list(FIGURES)
    found = next(r for r in rows if r["figure"] == "hazards_found")
    assert (found["label"], found["value"], found["from"], found["last"]) == (
        "查出安全隐患数", "1", "2023-11-01", "2023-11-30")
    assert int(rows[0]["unit_id"]) == scene["E1"]


def test_render_errors(db, scene):
    form = db.form(scene["E1"], NOV)
    with pytest.raises(cbc.InvalidError):
        db.render(form, 9)
    with pytest.raises(cbc.NotFoundError):
        db.render(cbc.Form(10 ** 9, NOV_START, NOV_END, *(0,) * 11))
    with pytest.raises(cbc.InvalidError):  # an empty period
        db.render(cbc.Form(scene["E1"], NOV_END, NOV_END, *(0,) * 11))
    # a hand-made form renders its own figures
    made = cbc.Form(scene["T1"], NOV_START, NOV_END, *range(1, 12))
    assert json.loads(db.render(made, StatsFormat.JSON))["figures"] == dict(
        zip(FIGURES, range(1, 12)))


# -- series and drill-down --------------------------------------------------
def test_series(db, scene):
    forms = db.series(scene["E1"], 2023, 10, 3)
    assert [(f.unit_id, f.start) for f in forms] == [
        (scene["E1"], at(1696089600)), (scene["E1"], at(NOV_START)), (scene["E1"], at(NOV_END))]
    assert forms[0].end == at(NOV_START) and forms[2].end == at(1704038400)
    assert figures(forms[0]) == (0,) * 11
    assert forms[1] == db.form(scene["E1"], NOV)
    # December: nothing happened, but the open-ended assignment covers it
    assert figures(forms[2]) == (0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    assert len(db.series(scene["E1"], 2023, 12, 2)) == 2  # runs into 2024
    with pytest.raises(cbc.InvalidError):
        db.series(scene["E1"], 2023, 13, 1)
    with pytest.raises(cbc.InvalidError):
        db.series(scene["E1"], 2023, 1, 0)
    with pytest.raises(cbc.InvalidError):
        db.series(scene["E1"], 2023, 1, 121)


def test_child_forms(db, scene):
    i = scene
    kids = db.child_forms(i["E1"], NOV)
    assert [f.unit_id for f in kids] == [i["W1"], i["W2"]]
    assert kids == [db.form(i["W1"], NOV), db.form(i["W2"], NOV)]
    assert [f.employees_took_part for f in kids] == [3, 1]
    assert db.child_forms(i["E1"], NOV, from_records=True) == kids
    assert [f.unit_id for f in db.child_forms(i["R1"], NOV)] == [i["E1"]]
    assert db.child_forms(i["T1"], NOV) == []
    # Database.children (the org tree) is not hidden
    assert [u.id for u in db.children(i["E1"])] == [i["W1"], i["W2"]]


# -- breakdowns -------------------------------------------------------------
@pytest.fixture
def hazards(db, campaign, clock):
    """In November: B1 reports in T2 (open); A1 reports in T1, rejected; A1 fixes one
    on the spot (SOFT, FIXED_POSITION, SNAPSHOT), verified two days later."""
    i = campaign
    report(db, i["T2"], i["B1"])
    rejected = report(db, i["T1"], i["A1"])
    db.reject(rejected, i["L1"], "不属实")
    fixed = db.fix_on_spot(i["T1"], "整改", cbc.HazardKind.SOFT, cbc.HazardCategory.SAFETY,
                           cbc.CheckItem.FIXED_POSITION, cbc.HazardSource.SNAPSHOT,
                           reporter_id=i["A1"], measures="清理")
    clock.t += 2 * DAY
    db.verify(fixed, i["L1"], True)
    return i


def test_breakdown(db, hazards):
    i = hazards
    b = db.breakdown(i["E1"], NOV)
    assert (b.unit_id, b.start, b.end) == (i["E1"], at(NOV_START), at(NOV_END))
    assert (b.reported, b.rejected, b.rectified, b.closed, b.overdue_at_end, b.reopens) == (
        3, 1, 1, 1, 0, 0)
    assert (b.mean_days_to_close, b.median_days_to_close) == (2.0, 2.0)
    assert b.rectification_rate == pytest.approx(1 / 3)
    assert b.disposal_rate == pytest.approx(2 / 3)
    assert b.on_time_rate == b.closed_on_time / b.closed
    assert len(b.counts) == 2 + 2 + 2 + 6 + 7 + 4  # every value, zeros included
    assert [c.dimension for c in b.counts] == sorted(c.dimension for c in b.counts)
    Sv, Kd, Src, Lv = cbc.Severity, cbc.HazardKind, cbc.HazardSource, cbc.Level
    assert b.by_dimension(Dimension.SEVERITY) == {Sv.GENERAL: 3, Sv.MAJOR: 0}
    assert b.by_dimension(Dimension.KIND) == {Kd.HARD: 2, Kd.SOFT: 1}
    assert b.by_dimension(Dimension.CATEGORY) == {cbc.HazardCategory.SAFETY: 3,
                                                  cbc.HazardCategory.OCCUPATIONAL_HEALTH: 0}
    items = b.by_dimension(Dimension.CHECK_ITEM)
    assert (items[cbc.CheckItem.RULES], items[cbc.CheckItem.FIXED_POSITION]) == (2, 1)
    assert sum(items.values()) == 3
    sources = b.by_dimension(Dimension.SOURCE)
    assert {k: v for k, v in sources.items() if v} == {Src.SELF_CHECK: 2, Src.SNAPSHOT: 1}
    assert b.by_dimension(Dimension.RESOLVED_LEVEL) == {Lv.INDIVIDUAL: 1, Lv.TEAM: 0,
                                                        Lv.WORKSHOP: 0, Lv.ENTERPRISE: 0}
    src = next(c for c in b.counts if c.dimension is Dimension.SOURCE and c.count == 1)
    assert src.value is Src.SNAPSHOT
    t2 = db.breakdown(i["T2"], NOV)
    assert (t2.reported, t2.rejected, t2.closed, t2.rectification_rate) == (1, 0, 0, 0.0)
    assert db.breakdown(i["E1"], Period.month(2023, 10)).reported == 0


def test_hazard_table(db, hazards):
    """The hazard statistics table: the JSON's figures are HazardTableFigure's,
    in order; its industries sum to its total, which agrees with the
    breakdown (found = reported - rejected); text and CSV render too."""
    t = json.loads(db.hazard_table(hazards["E1"], NOV))
    total = t["total"]
    names = [f.name.lower() for f in cbc.HazardTableFigure]
    assert list(total) == names + ["general_rate", "major_rate"]
    for name in names:
        assert sum(row[name] for row in t["industries"]) == total[name]
    b = db.breakdown(hazards["E1"], NOV)
    assert total["general_found"] + total["major_found"] == b.reported - b.rejected == 2
    assert total["units_checked"] == 1
    assert cbc.HazardTableFigure.UNITS_CHECKED.label == "排查治理单位数"
    assert t["title"] == cbc.hazard_table_title() == "生产经营单位事故隐患排查治理情况统计分析表"
    text = db.hazard_table(hazards["E1"], NOV, "text")
    assert text.startswith("生产经营单位事故隐患排查治理情况统计分析表\n")
    table_csv = db.hazard_table(hazards["E1"], NOV, cbc.StatsFormat.CSV)
    assert table_csv.startswith("unit_id,unit,from,last,row,industry,figure,label,value\r\n")
    with pytest.raises(cbc.NotFoundError):
        db.hazard_table(999999, NOV)


def test_breakdown_figures(db, hazards):
    """BreakdownFigure runs over the figures in the renderings' order; value()
    reads each by member, name or label; counts are ints, the rest floats."""
    b = db.breakdown(hazards["E1"], NOV)
    data = json.loads(db.render_breakdown(b))
    assert [f.name.lower() for f in cbc.BreakdownFigure] == list(data["figures"])
    for f in cbc.BreakdownFigure:
        assert b.value(f) == pytest.approx(data["figures"][f.name.lower()], abs=1e-4)
        assert type(b.value(f)) is (int if f <= cbc.BreakdownFigure.REOPENS else float)
    assert b.value("reported") == b.value("上报隐患数") == 3
    assert cbc.BreakdownFigure.DISPOSAL_RATE.label == "处置率"
    with pytest.raises(TypeError):
        b.value(cbc.FormField.HAZARDS_FOUND)
    with pytest.raises(cbc.InvalidError):
        b.value(0)


def test_render_breakdown(db, hazards):
    b = db.breakdown(hazards["E1"], NOV)
    data = json.loads(db.render_breakdown(b))
    assert (data["unit_id"], data["unit"], data["from"], data["last"]) == (
        hazards["E1"], "济钢", "2023-11-01", "2023-11-30")
    assert (data["figures"]["reported"], data["figures"]["rejected"]) == (3, 1)
    assert data["figures"]["disposal_rate"] == pytest.approx(0.6667)
    assert len(data["counts"]) == 23
    assert {"dimension": "source", "value": int(cbc.HazardSource.SNAPSHOT), "count": 1} in \
        data["counts"]
    text = db.render_breakdown(b, StatsFormat.CSV)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["unit_id", "unit", "from", "last", "figure", "value"]
    assert len(rows) == 1 + 12 + 23
    assert [str(hazards["E1"]), "济钢", "2023-11-01", "2023-11-30", "kind=%d"
            % cbc.HazardKind.HARD, "2"] in rows
    with pytest.raises(cbc.InvalidError):
        db.render_breakdown(b, StatsFormat.TEXT)


# -- deferred statistics and the rebuild -------------------------------------
def test_defer_stats_and_rebuild(target, clock):
    path = target
    U, E = cbc.UnitRecord, cbc.EmployeeRecord
    with cbc.Database(path, clock=clock, defer_stats=True) as bulk:
        bulk.sync(units=[U("E1", cbc.UnitKind.ENTERPRISE, "济钢"),
                         U("T1", cbc.UnitKind.TEAM, "甲班", "E1")],
                  employees=[E("A1", "王芳", "T1")], strict=True)
        e1, a1 = bulk.unit_by_external("E1").id, bulk.employee_by_external("A1").id
        bulk.add_training(e1, K.ALL_STAFF, clock.t, 60, "培训", [(a1, True)])
        with pytest.raises(cbc.StateError):  # this handle defers the statistics
            bulk.rebuild_stats()
        # stale aggregates: the figures come from the records
        assert figures(bulk.form(e1, NOV))[:4] == (1, 1, 1, 1)
    with cbc.Database(path, clock=clock) as db:
        assert figures(db.form(e1, NOV))[:4] == (1, 1, 1, 1)
        db.rebuild_stats()
        assert db.form(e1, NOV) == db.form(e1, NOV, from_records=True)
        assert figures(db.form(e1, Period.year(2023)))[:4] == (1, 1, 1, 1)
    with cbc.Database(path, clock=clock, create=False, readonly=True) as ro:
        with pytest.raises(cbc.PermissionDenied):
            ro.rebuild_stats()
        with pytest.raises(cbc.PermissionDenied):
            ro.rebuild_stats_step()


def test_rebuild_in_steps(target, clock):
    """No open rebuilds; the steps do, with progress, forms right meanwhile
    (on both engines: on PostgreSQL a step once took a second, compiling
    its statement with JIT)."""
    path = target
    U, E = cbc.UnitRecord, cbc.EmployeeRecord
    with cbc.Database(path, clock=clock, defer_stats=True) as bulk:
        bulk.sync(units=[U("R1", cbc.UnitKind.REGION, "历下区"),
                         U("E1", cbc.UnitKind.ENTERPRISE, "济钢", "R1"),
                         U("E2", cbc.UnitKind.ENTERPRISE, "重汽", "R1"),
                         U("T1", cbc.UnitKind.TEAM, "甲班", "E1"),
                         U("T2", cbc.UnitKind.TEAM, "乙班", "E2")],
                  employees=[E("A1", "王芳", "T1"), E("B1", "陈静", "T2")], strict=True)
        e1, e2 = bulk.unit_by_external("E1").id, bulk.unit_by_external("E2").id
        for unit, person in ((e1, "A1"), (e2, "B1")):
            who = bulk.employee_by_external(person).id
            bulk.add_training(unit, K.ALL_STAFF, clock.t, 60, "培训", [(who, True)])
        with pytest.raises(cbc.StateError):
            bulk.rebuild_stats_step()
    with cbc.Database(path, clock=clock) as db:
        first = db.rebuild_stats_step(1)
        assert isinstance(first, cbc.RebuildProgress) and not first.done
        assert first.units_total == 3 and first.units_done < 3
        assert db.form(e2, NOV) == db.form(e2, NOV, from_records=True)
        steps = 1
        while not db.rebuild_stats_step(1).done:
            steps += 1
        assert steps >= 2
        assert db.rebuild_stats_step().done  # complete: nothing to do
        again = db.rebuild_stats_step(anew=True)
        assert again.done and again.units_done == again.units_total == 3
        assert figures(db.form(e1, NOV))[:4] == (1, 1, 1, 1)
        with pytest.raises(cbc.InvalidError):
            db.rebuild_stats_step(0)
        with pytest.raises(TypeError):
            db.rebuild_stats_step("10")
