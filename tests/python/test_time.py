"""Times in and out of the package (README, "Time"): int seconds, aware and
naive datetimes, dates; aware datetimes back in the database's UTC offset,
None for "not set"; and the Period constructors, parse, format and current."""
from datetime import date, datetime, timedelta, timezone

import pytest

import cbc
from cbc import Period, PeriodKind

from conftest import Clock, at

T = 1700000000  # 2023-11-14T22:13:20Z = 2023-11-15 06:13:20 in UTC+8
BEIJING = timezone(timedelta(hours=8))
INDIA = timezone(timedelta(hours=5, minutes=30))
NEW_YORK = timezone(timedelta(hours=-5))


@pytest.fixture
def india(clock):
    """A database at UTC+05:30 (not the default UTC+8), with a team and two people."""
    with cbc.Database(":memory:", clock=clock, utc_offset_seconds=5 * 3600 + 1800) as d:
        d.sync(units=[cbc.UnitRecord("E1", cbc.UnitKind.ENTERPRISE, "厂"),
                      cbc.UnitRecord("T1", cbc.UnitKind.TEAM, "班", "E1")],
               employees=[cbc.EmployeeRecord("L1", "李", "T1", roles=cbc.Role.TEAM_LEADER),
                          cbc.EmployeeRecord("A1", "王", "T1", hire_date=date(2023, 1, 2))],
               strict=True)
        yield d


def ids(db):
    return (db.unit_by_external("T1").id, db.employee_by_external("L1").id,
            db.employee_by_external("A1").id)


def report(db, **kw):
    team, _, worker = ids(db)
    hid, _ = db.report(team, "护栏松动", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=worker, **kw)
    return hid


# -- into the library ---------------------------------------------------------
def test_aware_datetime_is_its_instant_whatever_its_zone(india):
    seen = datetime(2023, 11, 14, 12, 0, tzinfo=NEW_YORK)  # 17:00Z
    h = india.hazard(report(india, observed_at=seen))
    assert int(h.observed_at.timestamp()) == int(seen.timestamp()) == 1699981200
    assert h.observed_at == seen  # the same instant ...
    assert h.observed_at.utcoffset() == timedelta(hours=5, minutes=30)  # ... in the db's offset
    assert h.observed_at.hour == 22 and h.observed_at.minute == 30


def test_naive_datetime_is_wall_time_in_the_database_offset(india, db, campaign):
    naive = datetime(2023, 11, 14, 9, 0)
    h = india.hazard(report(india, observed_at=naive))
    assert h.observed_at == datetime(2023, 11, 14, 9, 0, tzinfo=INDIA)
    assert int(h.observed_at.timestamp()) == 1699932600
    # the same naive time in a UTC+8 database is another instant
    tid = db.add_training(campaign["T1"], cbc.TrainingKind.ALL_STAFF, naive, 60, "培训",
                          [(campaign["A1"], True)])
    assert db.training(tid).held_at == datetime(2023, 11, 14, 9, 0, tzinfo=BEIJING)
    assert int(db.training(tid).held_at.timestamp()) == 1699923600


def test_date_is_midnight_in_the_database_offset(india, db, campaign):
    _, leader, worker = ids(india)
    assert india.employee(worker).hire_date == datetime(2023, 1, 2, tzinfo=INDIA)
    india.deactivate(worker, date(2023, 11, 1))
    assert india.employee(worker).left_at == datetime(2023, 11, 1, tzinfo=INDIA)
    aid = db.assign_cadre(campaign["C1"], campaign["E1"], date(2023, 11, 1))
    a = db.cadre_assignment(aid)
    assert a.start == datetime(2023, 11, 1, tzinfo=BEIJING) and a.end is None


def test_date_as_an_end_leaves_that_day_out(db, campaign):
    i, K = campaign, cbc.TrainingKind.ALL_STAFF
    late = db.add_training(i["T1"], K, datetime(2023, 11, 14, 23, 59), 60, "晚", [(i["A1"], True)])
    db.add_training(i["T1"], K, datetime(2023, 11, 15, 0, 0), 60, "零点", [(i["A1"], True)])
    days = [t.id for t in db.trainings(i["T1"], date(2023, 11, 14), date(2023, 11, 15))]
    assert days == [late]


def test_filters_take_datetimes(db, campaign, clock):
    hid = report_in(db, campaign)
    just_before = datetime.fromtimestamp(clock.t - 1, NEW_YORK)
    assert db.hazard_count(reported_from=just_before) == 1
    assert db.hazard_count(reported_from=at(clock.t + 1)) == 0
    assert db.hazard_count(reported_to=date(2023, 11, 15)) == 0  # reported 06:13 that day
    assert db.hazard_count(reported_to=date(2023, 11, 16)) == 1
    assert [h.id for h in db.hazards(reported_from=date(2023, 11, 15))] == [hid]
    assert db.period_containing("month", datetime(2023, 10, 31, 23, 0)) == Period.month(2023, 10)
    assert db.period_containing("month", datetime(2023, 10, 31, 23, 0, tzinfo=timezone.utc)) \
        == Period.month(2023, 11)


def report_in(db, i):
    hid, _ = db.report(i["T1"], "隐患", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=i["A1"])
    return hid


def test_deadline_and_plan_take_datetimes(db, campaign, clock):
    i = campaign
    hid = report_in(db, i)
    due = datetime(2023, 12, 1, 18, 0)  # naive: UTC+8
    db.register(hid, i["L1"], cbc.Severity.GENERAL, cbc.Level.TEAM, "紧固", due, "警示")
    assert db.hazard(hid).deadline == datetime(2023, 12, 1, 18, 0, tzinfo=BEIJING)
    db.amend(hid, i["L1"], "提前", deadline=date(2023, 11, 30))
    h = db.hazard(hid)
    assert h.deadline == datetime(2023, 11, 30, tzinfo=BEIJING)
    assert h.original_deadline == datetime(2023, 11, 30, tzinfo=BEIJING)
    major = report_in(db, i)
    plan = cbc.RectificationPlan("目标", "方法", "资金", "安全科", date(2023, 12, 20), "措施")
    db.register(major, i["P1"], cbc.Severity.MAJOR, cbc.Level.ENTERPRISE, "停产",
                at(clock.t + 86400), "疏散", plan=plan)
    assert db.hazard(major).plan.time_limit == datetime(2023, 12, 20, tzinfo=BEIJING)


@pytest.mark.parametrize("bad", [True, 1.5, "2023-11-15", b"x", [T]])
def test_wrong_types_are_type_errors_and_store_nothing(db, campaign, bad):
    i = campaign
    before = db.hazard_count()
    with pytest.raises(TypeError, match="observed_at"):
        db.report(i["T1"], "隐患", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                  cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                  reporter_id=i["A1"], observed_at=bad)
    assert db.hazard_count() == before
    with pytest.raises(TypeError, match="reported_from"):
        db.hazard_count(reported_from=bad)
    with pytest.raises(TypeError, match="held_at"):
        db.add_training(i["T1"], cbc.TrainingKind.ALL_STAFF, bad, 60, "培训", [])
    assert list(db.trainings()) == []
    with pytest.raises(TypeError, match="start"):
        db.fines(start=bad)
    with pytest.raises(TypeError, match="start"):
        Period.range(bad, T)


def test_naive_or_date_without_a_database_is_a_type_error(db):
    with pytest.raises(TypeError, match="naive datetime or a date"):
        Period.range(datetime(2023, 11, 1), T)
    with pytest.raises(TypeError, match="naive datetime or a date"):
        Period.range(T, date(2023, 12, 1))
    # with the database: read in its offset; aware needs none
    assert Period.range(date(2023, 11, 1), date(2023, 12, 1), db=db) == \
        Period.range(1698768000, 1701360000)
    assert Period.range(datetime(2023, 11, 1, tzinfo=timezone.utc), T).start == 1698796800


# -- out of the library -------------------------------------------------------
def test_returned_times_are_aware_in_the_database_offset(india, clock):
    assert india.now() == at(clock.t) and india.now().utcoffset() == timedelta(seconds=19800)
    assert int(india.now().timestamp()) == clock.t  # the seconds back
    events = []
    india.set_event_hook(events.append)
    h = india.hazard(report(india))
    for t in (h.reported_at, h.updated_at, india.hazard_history(h.id)[0].at, events[0].at,
              india.unit(h.unit_id).created_at, india.employee(h.reporter_id).created_at):
        assert t == at(clock.t) and t.tzinfo.utcoffset(None) == timedelta(seconds=19800)
    assert india.period_bounds(Period.month(2023, 11)) == (
        datetime(2023, 11, 1, tzinfo=INDIA), datetime(2023, 12, 1, tzinfo=INDIA))
    form = india.form(india.unit_by_external("E1").id, Period.month(2023, 11))
    assert form.start == datetime(2023, 11, 1, tzinfo=INDIA)
    assert form.start.utcoffset() == timedelta(seconds=19800)


def test_unset_times_are_none(india):
    h = india.hazard(report(india))
    assert h.deadline is None and h.original_deadline is None and h.closed_at is None
    assert h.listed_at is None and h.extension_requested_deadline is None
    _, leader, worker = ids(india)
    assert india.employee(leader).hire_date is None and india.employee(leader).left_at is None
    assert india.unit_by_external("T1").closed_at is None
    assert india.explain_hazard_reward(h.id).start is None


def test_period_bound_at_the_epoch_is_a_time_not_none(db):
    assert db.period_bounds(Period.range(0, 10))[0] == at(10) - timedelta(seconds=10)


def test_clock_may_return_an_aware_datetime():
    when = datetime(2026, 11, 3, 9, 0, tzinfo=BEIJING)
    with cbc.Database(":memory:", clock=lambda: when) as d:
        assert d.now() == when
        assert Period.current(d) == Period.month(2026, 11)


# -- Period -------------------------------------------------------------------
def test_period_constructors():
    assert Period.month(2026, 11) == Period(PeriodKind.MONTH, 2026, 11)
    assert Period.quarter(2026, 4) == Period(PeriodKind.QUARTER, 2026, 4)
    assert Period.year(2026) == Period(PeriodKind.YEAR, 2026)
    assert Period.range(5, 10) == Period(PeriodKind.RANGE, 0, 0, 5, 10)


@pytest.mark.parametrize("text, period", [
    ("2026-11", Period.month(2026, 11)), ("2026-Q4", Period.quarter(2026, 4)),
    (" 2026-q4 ", Period.quarter(2026, 4)), ("2026", Period.year(2026)),
    ("2026-11-01T00:00:00Z..2026-11-01T00:59:59Z", Period.range(1793491200, 1793494800)),
])
def test_period_parse_without_a_database(text, period):
    assert Period.parse(text) == period


def test_period_parse_offset_dependent_text_needs_the_database(db):
    with pytest.raises(cbc.InvalidError, match="depends on a UTC offset"):
        Period.parse("2026-11-01..2026-11-15")
    with pytest.raises(ValueError):
        Period.parse("2026-11-01T08:00..2026-11-01T09:00")
    nov1 = 1793462400  # 2026-11-01 00:00 UTC+8
    p = Period.parse("2026-11-01..2026-11-15", db)
    assert p == Period.range(nov1, nov1 + 15 * 86400) and p.utc_offset == 8 * 3600


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "2026-11-15..2026-11-01", "26-11", "",
                                 "2026-11x", "1969", "Q4-2026"])
def test_period_parse_bad_text(bad, db):
    with pytest.raises(cbc.InvalidError):
        Period.parse(bad)
    with pytest.raises(ValueError):
        Period.parse(bad, db)


def test_period_parse_wrong_type():
    for bad in (2026, None, b"2026"):
        with pytest.raises(TypeError):
            Period.parse(bad)


def test_period_str_round_trip(db):
    for p, text in ((Period.month(2026, 11), "2026-11"), (Period.quarter(2026, 4), "2026-Q4"),
                    (Period.year(2026), "2026"), (Period.month(1970, 1), "1970-01")):
        assert str(p) == text and Period.parse(str(p)) == p
    days = Period.parse("2026-11-01..2026-11-15", db)
    assert str(days) == "2026-11-01..2026-11-15"  # in the offset it was read in
    assert Period.parse(str(days), db) == days
    hour = Period.range(1793491200, 1793494800)  # no database: written in UTC
    assert str(hour) == "2026-11-01T00:00:00Z..2026-11-01T00:59:59Z"
    assert Period.parse(str(hour)) == hour
    with db.transaction():
        assert str(Period.range(1793491200, 1793494800, db=db)) == \
            "2026-11-01T08:00:00+08:00..2026-11-01T08:59:59+08:00"


def test_period_current(db, clock):
    assert Period.current(db) == Period.month(2023, 11)
    clock.t = 1701360000 - 1  # 2023-11-30 23:59:59 in UTC+8
    assert Period.current(db) == Period.month(2023, 11)
    clock.t += 1
    assert Period.current(db) == Period.month(2023, 12)
    with cbc.Database(":memory:", clock=Clock(1701360000), utc_offset_seconds=0) as utc:
        assert Period.current(utc) == Period.month(2023, 11)  # 16:00 on 30 November there


def test_period_parse_and_str_from_many_threads():
    """Period.parse() and str() without a database share private handles:
    threads using them at once all get the right answers."""
    import threading
    texts = ["2026-11", "2026-Q4", "2026", "2025-02"]
    failures = []

    def work(i):
        for _ in range(200):
            text = texts[i % len(texts)]
            if str(cbc.Period.parse(text)) != text:
                failures.append(text)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
