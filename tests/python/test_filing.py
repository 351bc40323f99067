"""The filing binding (cbc/filing.h): a unit files its hazard table or its
monthly form as a snapshot of the records at that moment, every version
kept; the due dates; who may file and sign (a refusal files nothing); and
where a node's units stand."""
import dataclasses
import datetime
import json

import pytest

import cbc
from conftest import at
from cbc import EnumType, FilingKind, FilingState, Period

TABLE, FORM = FilingKind.HAZARD_TABLE, FilingKind.MONTHLY_FORM
Q4 = Period.quarter(2023, 4)  # due 2024-01-15
NOV = Period.month(2023, 11)  # due 2023-11-25 (the default policy)
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def local(y, m, d, hh=0, mm=0, ss=0):
    """Seconds since the epoch of a wall-clock time in Beijing (the databases' offset)."""
    return int(datetime.datetime(y, m, d, hh, mm, ss, tzinfo=BEIJING).timestamp())


def day_end(y, m, d):
    """The last second of a day in Beijing, as the package returns a due date."""
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=BEIJING)


@pytest.fixture
def ids(db, campaign):
    """campaign's tree (R1 > E1 > W1 > T1, T2; W2 > T3) with E1's safety
    officer S1 and union cadre C2 (both in T3; P1, its principal, is there
    too), and a second enterprise E2 under R1 (team T4) that files nothing.
    C1 is the union cadre sitting in R1."""
    U, K, E, R = cbc.UnitRecord, cbc.UnitKind, cbc.EmployeeRecord, cbc.Role
    db.sync(units=[U("E2", K.ENTERPRISE, "历城钢厂", "R1"), U("T4", K.TEAM, "丙班", "E2")],
            employees=[E("S1", "周安全", "T3", roles=R.SAFETY_OFFICER),
                       E("C2", "吴工会", "T3", roles=R.UNION_CADRE),
                       E("P2", "郑厂长", "T4", roles=R.PRINCIPAL)], strict=True)
    i = dict(campaign)
    i.update({x: db.employee_by_external(x).id for x in ("S1", "C2", "P2")})
    i.update({x: db.unit_by_external(x).id for x in ("E2", "T4")})
    return i


def report(db, clock, when, unit_id, reporter_id):
    clock.t = when
    hid, _ = db.report(unit_id, "护栏缺失", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=reporter_id)
    return hid


def renderings(db, unit_id, period):
    return tuple(db.hazard_table(unit_id, period, f) for f in ("json", "text", "csv"))


def stamped(json_text, text, csv, cp):
    """The renderings (json, text, csv) as a filing keeps them: each ends with
    the history's checkpoint it was filed at (cp, its Filing.checkpoint)."""
    assert json_text.endswith("}\n")
    return (json_text[:-2] + ',"history_checkpoint":{"chain":%d,"seq":%d,"sha256":"%s"}}\n'
            % (cp.chain, cp.seq, cp.sha256),
            text + "历史链检查点 History checkpoint: chain %d, link %d, SHA-256 %s\n"
            % (cp.chain, cp.seq, cp.sha256 or "-"),
            csv + "history_checkpoint,%d,%d,%s\r\n" % (cp.chain, cp.seq, cp.sha256))


# -- the hazard table, filed twice -----------------------------------------------
def test_hazard_table_versions_as_filed(db, ids, clock):
    """The safety officer files E1's table signed by its principal, on time;
    a hazard recorded afterwards shows only in the second version, filed
    late by the principal.  Each version keeps the renderings of its moment."""
    i = ids
    report(db, clock, local(2023, 11, 20), i["T1"], i["A1"])
    clock.t = local(2024, 1, 10, 9)
    first = db.file_report(TABLE, i["E1"], Q4, i["P1"], i["S1"], note="四季度")
    at_first = renderings(db, i["E1"], Q4)
    report(db, clock, local(2023, 12, 9), i["T2"], i["B1"])  # recorded late
    clock.t = local(2024, 1, 16)  # the day after the due day
    second = db.file_report("hazard_table", i["E1"], Q4, signed_by=i["P1"], actor_id=i["P1"])
    at_second = renderings(db, i["E1"], Q4)
    assert second > first > 0

    v1 = db.filing(first)
    assert type(v1) is cbc.Filing and type(v1.kind) is FilingKind and v1.kind is TABLE
    assert (v1.id, v1.unit_id, v1.version, v1.filed_by, v1.signed_by) == (
        first, i["E1"], 1, i["S1"], i["P1"])
    assert v1.period == Q4 and type(v1.period) is Period
    assert v1.filed_at == at(local(2024, 1, 10, 9)) and v1.filed_at.utcoffset() == \
        datetime.timedelta(hours=8)
    assert v1.due_at == day_end(2024, 1, 15) == db.filing_due(TABLE, Q4)
    assert v1.late is False and v1.note == "四季度"
    assert (v1.json, v1.text, v1.csv) == stamped(*at_first, v1.checkpoint)
    assert type(v1.checkpoint) is cbc.Checkpoint and v1.checkpoint.chain == i["E1"]
    assert v1.checkpoint.seq >= 1 and len(v1.checkpoint.sha256) == 64
    assert json.loads(v1.json)["total"]["general_found"] == 1
    assert v1.text.startswith(cbc.hazard_table_title())

    v2 = db.filing(second)
    assert (v2.version, v2.filed_by, v2.signed_by, v2.late, v2.note) == (
        2, i["P1"], i["P1"], True, "")
    assert v2.filed_at == at(local(2024, 1, 16)) and v2.due_at == v1.due_at
    assert at_second == renderings(db, i["E1"], Q4)
    assert (v2.json, v2.text, v2.csv) == stamped(*at_second, v2.checkpoint)
    # between them: the first filing, the second hazard's report and its event
    assert v2.checkpoint.seq == v1.checkpoint.seq + 3
    assert json.loads(v2.json)["total"]["general_found"] == 2
    assert db.filing(first) == v1  # the first version as it was filed

    assert db.filing_version(i["E1"], TABLE, Q4) == v2  # 0: the newest
    assert db.filing_version(i["E1"], TABLE, Q4, 1) == v1
    assert db.filing_version(i["E1"], "事故隐患排查治理情况统计分析表", Q4, version=2) == v2
    with pytest.raises(cbc.NotFoundError):
        db.filing_version(i["E1"], TABLE, Q4, 3)
    with pytest.raises(cbc.NotFoundError):
        db.filing_version(i["E2"], TABLE, Q4)
    with pytest.raises(cbc.InvalidError, match="version"):
        db.filing_version(i["E1"], TABLE, Q4, -1)
    with pytest.raises(cbc.NotFoundError):
        db.filing(second + 100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v1.late = True


def test_year_table_and_its_due_date(db, ids, clock):
    i = ids
    clock.t = local(2024, 2, 1)  # after 31 January: late
    fid = db.file_report(TABLE, i["E1"], Period.year(2023), i["P1"], i["S1"])
    f = db.filing(fid)
    assert f.period == Period.year(2023) and f.due_at == day_end(2024, 1, 31) and f.late


# -- the monthly form -----------------------------------------------------------
def test_monthly_form_as_filed(db, ids, clock):
    """E1's union cadre files its form; C1, sitting in R1, files R1's.  The
    filing's renderings are the form's at that moment, with the history's
    checkpoint (E1's chain head) after them."""
    i = ids
    report(db, clock, local(2023, 11, 3), i["T1"], i["A1"])
    clock.t = local(2023, 11, 20)
    fid = db.file_report(FORM, i["E1"], NOV, i["C2"], i["C2"])
    f = db.filing(fid)
    assert f.kind is FORM and f.period == NOV and (f.filed_by, f.signed_by) == (i["C2"], i["C2"])
    assert (f.json, f.text, f.csv) == stamped(db.form_json(i["E1"], NOV),
                                              db.form_text(i["E1"], NOV),
                                              db.form_csv(i["E1"], NOV), f.checkpoint)
    assert f.checkpoint.chain == i["E1"] and f.checkpoint.seq >= 1
    assert f.text.startswith(cbc.form_title())
    assert f.due_at == day_end(2023, 11, 25) and not f.late
    clock.t = local(2023, 11, 26)
    r1 = db.filing(db.file_report(FORM, i["R1"], NOV, i["C1"], i["C1"]))
    assert (r1.unit_id, r1.version, r1.late) == (i["R1"], 1, True)
    assert r1.checkpoint.chain == i["R1"]


# -- due dates --------------------------------------------------------------------
def test_due_dates(db, ids):
    due = db.filing_due(TABLE, Period.quarter(2026, 1))
    assert due == day_end(2026, 4, 15) and (due.hour, due.minute, due.second) == (23, 59, 59)
    assert due.utcoffset() == datetime.timedelta(hours=8)
    assert db.filing_due(TABLE, Period.quarter(2026, 3)) == day_end(2026, 10, 15)
    assert db.filing_due("hazard_table", Q4) == day_end(2024, 1, 15)
    assert db.filing_due(TABLE, Period.year(2026)) == day_end(2027, 1, 31)
    assert db.filing_due(FORM, Period.month(2026, 2)) == day_end(2026, 2, 25)
    db.set_policy({"monthly_form_due_day": 5, "monthly_form_due_next_month": True}, ids["C1"])
    assert db.filing_due(FORM, Period.month(2026, 12)) == day_end(2027, 1, 5)
    with pytest.raises(cbc.InvalidError, match="a quarter or a year"):
        db.filing_due(TABLE, NOV)
    with pytest.raises(cbc.InvalidError, match="filed for a month"):
        db.filing_due(FORM, Q4)
    with pytest.raises(cbc.InvalidError):
        db.filing_due(TABLE, Period.quarter(2026, 5))
    with pytest.raises(TypeError, match="kind: expected cbc.FilingKind, got cbc.PeriodKind"):
        db.filing_due(cbc.PeriodKind.QUARTER, Q4)
    with pytest.raises(ValueError, match="kind: 9 is not a valid cbc.FilingKind"):
        db.filing_due(9, Q4)
    with pytest.raises(TypeError, match="expected a cbc.Period"):
        db.filing_due(TABLE, "2023-Q4")


# -- who may file -------------------------------------------------------------------
def nothing_filed(db, i):
    st = db.filing_status(i["R1"], TABLE, Q4)
    return all(e.versions == 0 for e in st.entries) and st.on_time == st.late == 0


def test_refused_filings_write_nothing(db, ids, clock):
    i = ids
    clock.t = local(2024, 1, 2)
    refusals = [
        (cbc.PermissionDenied, "a safety officer or a principal",
         (TABLE, i["E1"], Q4, i["P1"], i["A1"])),  # a worker
        (cbc.PermissionDenied, "a safety officer or a principal",
         (TABLE, i["E1"], Q4, i["P1"], i["C2"])),  # a union cadre
        (cbc.PermissionDenied, "sign this report: a principal does",
         (TABLE, i["E1"], Q4, i["S1"], i["S1"])),
        (cbc.PermissionDenied, "may not sign the report of unit",
         (TABLE, i["E1"], Q4, i["P2"], i["S1"])),  # E2's principal
        (cbc.PermissionDenied, "of the enterprise",
         (TABLE, i["E2"], Q4, i["P2"], i["S1"])),  # E1's officer for E2
        (cbc.NotFoundError, None, (TABLE, i["E1"], Q4, i["P1"], 999999)),
        (cbc.NotFoundError, None, (TABLE, i["E1"], Q4, 999999, i["S1"])),
        (cbc.StateError, "filed by an enterprise", (TABLE, i["R1"], Q4, i["C1"], i["C1"])),
        (cbc.InvalidError, "a quarter or a year", (TABLE, i["E1"], NOV, i["P1"], i["S1"])),
        (cbc.InvalidError, "has not begun",
         (TABLE, i["E1"], Period.quarter(2024, 2), i["P1"], i["S1"])),
        (cbc.PermissionDenied, "a union cadre", (FORM, i["E1"], NOV, i["C2"], i["S1"])),
    ]
    for error, message, args in refusals:
        with pytest.raises(error, match=message):
            db.file_report(*args)
    assert nothing_filed(db, i)
    with pytest.raises(cbc.PermissionDenied) as e:
        db.file_report(TABLE, i["E1"], Q4, i["P1"], i["A1"], note="工人代报")
    assert e.value.code is cbc.ErrorCode.EPERM
    with pytest.raises(cbc.NotFoundError):
        db.filing_version(i["E1"], TABLE, Q4)
    with pytest.raises(cbc.NotFoundError):
        db.filing_version(i["E1"], FORM, NOV)
    with pytest.raises(TypeError, match="kind: expected cbc.FilingKind, got cbc.FilingState"):
        db.file_report(FilingState.LATE, i["E1"], Q4, i["P1"], i["S1"])
    with pytest.raises(TypeError):
        db.file_report(TABLE, i["E1"], Q4, i["P1"], i["S1"], note=b"bytes")
    assert nothing_filed(db, i)
    fid = db.file_report(TABLE, i["E1"], Q4, i["P1"], i["S1"])  # the rightful filer
    assert db.filing(fid).version == 1


# -- the status of a node -------------------------------------------------------------
def test_status_of_a_region(db, ids, clock):
    """The hazard table is owed to R1 by E1 and E2; the monthly form by its
    children E1 and E2 too.  E1 files on time, E2 not at all."""
    i = ids
    clock.t = local(2024, 1, 10)
    st = db.filing_status(i["R1"], TABLE, Q4)
    assert type(st) is cbc.FilingStatus and type(st.entries) is tuple
    assert (st.unit_id, st.kind, st.period) == (i["R1"], TABLE, Q4)
    assert st.due_at == day_end(2024, 1, 15) and st.at == at(clock.t)
    assert [e.unit_id for e in st.entries] == sorted([i["E1"], i["E2"]])
    assert (st.on_time, st.late, st.missing, st.pending) == (0, 0, 0, 2)
    assert all(e.state is FilingState.PENDING and e.versions == 0 and
               e.first_filed_at is None and e.last_filed_at is None for e in st.entries)

    db.file_report(TABLE, i["E1"], Q4, i["P1"], i["S1"])
    clock.t = local(2024, 1, 12)
    db.file_report(TABLE, i["E1"], Q4, i["P1"], i["P1"])
    clock.t = local(2024, 1, 16)  # the due day has passed
    st = db.filing_status(i["R1"], "hazard_table", Q4)
    assert (st.on_time, st.late, st.missing, st.pending) == (1, 0, 1, 0)
    e1, e2 = st.entry(i["E1"]), st.entry(i["E2"])
    assert type(e1) is cbc.FilingStatusEntry and type(e1.state) is FilingState
    assert (e1.state, e1.versions) == (FilingState.ON_TIME, 2)
    assert (e1.first_filed_at, e1.last_filed_at) == (at(local(2024, 1, 10)),
                                                     at(local(2024, 1, 12)))
    assert (e2.state, e2.versions, e2.first_filed_at) == (FilingState.MISSING, 0, None)
    with pytest.raises(KeyError):
        st.entry(i["T1"])
    own = db.filing_status(i["E1"], TABLE, Q4)  # an enterprise owes it itself
    assert [e.unit_id for e in own.entries] == [i["E1"]] and own.on_time == 1

    clock.t = local(2023, 11, 24)
    db.file_report(FORM, i["E1"], NOV, i["C2"], i["C2"])
    clock.t = local(2023, 12, 1)
    form = db.filing_status(i["R1"], FORM, NOV)
    assert form.due_at == day_end(2023, 11, 25)
    assert {e.unit_id: e.state for e in form.entries} == {
        i["E1"]: FilingState.ON_TIME, i["E2"]: FilingState.MISSING}
    assert (form.on_time, form.missing) == (1, 1)

    with pytest.raises(cbc.NotFoundError):
        db.filing_status(999999, TABLE, Q4)
    with pytest.raises(cbc.InvalidError):
        db.filing_status(i["R1"], TABLE, NOV)


# -- the major-hazard report ------------------------------------------------------------
def test_major_hazard_report(db, ids, clock):
    """The prompt report of a registered major hazard: its three parts, due
    the day after the report, every version kept; a general hazard is
    refused and nothing is filed."""
    i = ids
    clock.t = local(2023, 11, 20, 9)
    hid, _ = db.report(i["T1"], "平台护栏断裂", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.EQUIPMENT_GUARDING, cbc.HazardSource.SELF_CHECK,
                       cbc.Severity.MAJOR, reporter_id=i["A1"])
    clock.t = local(2023, 11, 20, 10)
    plan = cbc.RectificationPlan("消除坠落风险", "加装防护栏", "专项资金", "设备科",
                                 local(2023, 12, 31), "设警戒区")
    db.register(hid, i["P1"], cbc.Severity.MAJOR, cbc.Level.ENTERPRISE, "更换护栏",
                local(2023, 12, 31), "停用平台", funds_fen=1250000, plan=plan)
    clock.t = local(2023, 11, 21, 9)
    first = db.file_major_hazard_report(hid, i["E1"], i["P1"], i["S1"], "护栏锈蚀断裂",
                                        "可致高处坠落死亡", "需停产两日更换")
    clock.t = local(2023, 11, 23, 9)
    second = db.file_major_hazard_report(hid, i["E1"], i["P1"], i["P1"], "护栏锈蚀断裂",
                                         "可致高处坠落死亡", "需停产两日更换", note="补充")
    v1, newest = db.major_hazard_report(hid, 1), db.major_hazard_report(hid)
    assert (v1.id, newest.id, newest.version) == (first, second, 2)
    assert v1.kind is FilingKind.MAJOR_HAZARD_REPORT and v1.period is None
    assert v1.hazard_id == hid and v1.unit_id == i["E1"]
    assert v1.due_at == day_end(2023, 11, 21) and not v1.late and newest.late
    assert db.filing(first) == v1
    report_json = json.loads(v1.json)
    assert report_json["cause"] == {"cause": "护栏锈蚀断裂"}
    assert report_json["analysis"] == {"harm": "可致高处坠落死亡", "difficulty": "需停产两日更换"}
    assert report_json["plan"]["goals"] == "消除坠落风险"
    assert report_json["state"]["funds_wan"] == "1.25"
    assert "二、隐患的危害程度和整改难易程度分析" in v1.text
    with pytest.raises(cbc.NotFoundError):
        db.major_hazard_report(hid, 3)
    general = report(db, clock, local(2023, 11, 24), i["T1"], i["A1"])
    with pytest.raises(cbc.StateError):
        db.file_major_hazard_report(general, i["E1"], i["P1"], i["S1"], "a", "b", "c")
    with pytest.raises(cbc.InvalidError):
        db.file_major_hazard_report(hid, i["E1"], i["P1"], i["S1"], "", "b", "c")
    with pytest.raises(cbc.NotFoundError):
        db.major_hazard_report(general)
    assert db.hazard_reportable(hid) and not db.hazard_reportable(general)
    with pytest.raises(cbc.NotFoundError):
        db.hazard_reportable(general + 100)


def test_what_each_report_is_filed_for():
    """The library's answer, which the web app's forms follow."""
    Q, Y = cbc.PeriodKind.QUARTER, cbc.PeriodKind.YEAR
    assert cbc.filing_kind_periods(FilingKind.MONTHLY_FORM) == {cbc.PeriodKind.MONTH}
    assert cbc.filing_kind_periods(FilingKind.HAZARD_TABLE) == {Q, Y}
    assert cbc.filing_kind_periods("congress_report") == {Q, Y}
    assert cbc.filing_kind_periods(FilingKind.MAJOR_HAZARD_REPORT) == frozenset()
    with pytest.raises(ValueError):
        cbc.filing_kind_periods("no_such_report")


# -- the report to the employee congress ------------------------------------------------
def test_congress_report(db, ids, clock):
    """An enterprise's report to its employee congress embeds its hazard
    table as it stands and is due with it."""
    i = ids
    report(db, clock, local(2023, 11, 20), i["T1"], i["A1"])
    clock.t = local(2024, 1, 10, 9)
    fid = db.file_report(FilingKind.CONGRESS_REPORT, i["E1"], Q4, i["P1"], i["S1"])
    filed = db.filing(fid)
    assert filed.due_at == day_end(2024, 1, 15) and not filed.late
    assert json.loads(filed.json)["table"] == json.loads(db.hazard_table(i["E1"], Q4, "json"))
    assert json.loads(filed.json)["major_hazards"] == []
    assert db.hazard_table(i["E1"], Q4, "text") in filed.text
    with pytest.raises(cbc.InvalidError):
        db.file_report(FilingKind.CONGRESS_REPORT, i["E1"], NOV, i["P1"], i["S1"])


# -- the enums -------------------------------------------------------------------------
def test_filing_enums_are_labelled():
    assert FilingKind.enum_type() is EnumType.FILING_KIND
    assert FilingState.enum_type() is EnumType.FILING_STATE
    assert [cbc.enum_name(EnumType.FILING_KIND, k) for k in FilingKind] == [
        "monthly_form", "hazard_table", "major_hazard_report", "congress_report"]
    assert [cbc.enum_name(EnumType.FILING_STATE, s) for s in FilingState] == [
        "on_time", "late", "missing", "pending"]
    assert [m.name.lower() for m in FilingState] == ["on_time", "late", "missing", "pending"]
    assert FilingState.LATE.label == "逾期报送" and FilingState.coerce("未报送") is FilingState.MISSING
    assert FilingKind.coerce("monthly_form") is FORM and int(TABLE) == 2
    assert cbc.enum_values("filing_state") == list(FilingState)
    assert cbc.enum_name(EnumType.FILING_KIND, 0) is None
