"""The hazard binding: full records, the filtered iterator, answers, the
overdue sweep, fixing on the spot, the event hook, iterator lifetime, errors."""
import pytest

import cbc
from conftest import at
from cbc import HazardAction as A, HazardState as S, Level, Severity

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DAY = 86400


@pytest.fixture
def ids(org):
    out = {x: org.employee_by_external(x).id for x in ("A1", "B1", "L1", "P1", "I1")}
    out.update({x: org.unit_by_external(x).id for x in ("R1", "E1", "W1", "W2", "T1", "T2", "T3")})
    return out


def report(db, unit_id, reporter_id, title="隐患", severity=Severity.GENERAL,
           source=cbc.HazardSource.SELF_CHECK, **kw):
    hid, _ = db.report(unit_id, title, cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, source, severity, reporter_id=reporter_id, **kw)
    return hid


def plan(t):
    return cbc.RectificationPlan("目标", "方法", "资金物资", "安全科", at(t + 30 * DAY), "应急措施")


def register_team(db, ids, hid, deadline):
    db.register(hid, ids["L1"], Severity.GENERAL, Level.TEAM, "紧固", deadline, "警示")


def register_major(db, ids, hid, deadline):
    db.register(hid, ids["P1"], Severity.MAJOR, Level.ENTERPRISE, "停产整改", deadline, "疏散",
                funds_fen=500000, plan=plan(deadline - 10 * DAY))


# -- the full Hazard record -------------------------------------------------
def test_unregistered_hazard_fields(org, ids, clock):
    hid = report(org, ids["T1"], ids["A1"], "护栏松动", description="三号线护栏",
                 location="轧钢车间东侧", observed_at=clock.t - 60)
    h = org.hazard(hid)
    assert (h.id, h.state, h.reporter_id, h.unit_id, h.enterprise_id) == (
        hid, S.REPORTED, ids["A1"], ids["T1"], ids["E1"])
    assert (h.title, h.description, h.location) == ("护栏松动", "三号线护栏", "轧钢车间东侧")
    assert h.kind is cbc.HazardKind.HARD and h.category is cbc.HazardCategory.SAFETY
    assert h.check_item is cbc.CheckItem.RULES and h.source is cbc.HazardSource.SELF_CHECK
    assert (h.observed_at, h.reported_at, h.updated_at) == (at(clock.t - 60), at(clock.t),
                                                            at(clock.t))
    assert h.proposed_severity is Severity.GENERAL
    assert h.severity is None and h.level is None and h.resolved_level is None
    assert (h.responsible_id, h.measures, h.funds_fen, h.original_deadline, h.deadline) == (
        0, "", 0, None, None)
    assert h.contingency_plan == "" and h.has_plan is False and h.plan is None
    assert (h.reject_reason, h.duplicate_of, h.listed, h.listing_authority) == ("", 0, False, "")
    assert (h.extension_pending, h.extension_requested_deadline) == (False, None)
    assert (h.reopen_count, h.submitted_by, h.last_note, h.closed_at) == (0, 0, "", None)
    assert h.attachments == []


def test_major_hazard_fields_through_its_life(org, ids, clock):
    t0 = clock.t
    hid = report(org, ids["T1"], ids["A1"], "煤气泄漏", severity=Severity.MAJOR)
    clock.t += 10
    register_major(org, ids, hid, t0 + 60 * DAY)
    h = org.hazard(hid)
    assert h.state is S.REGISTERED
    assert h.severity is Severity.MAJOR and h.level is Level.ENTERPRISE
    assert h.resolved_level is None
    assert h.responsible_id == ids["P1"]  # resolved from the org tree at ENTERPRISE
    assert (h.measures, h.funds_fen, h.contingency_plan) == ("停产整改", 500000, "疏散")
    assert h.original_deadline == h.deadline == at(t0 + 60 * DAY)
    assert h.has_plan is True and h.plan == plan(t0 + 50 * DAY)
    assert h.updated_at == at(t0 + 10)

    clock.t += 10
    org.list_supervision(hid, ids["I1"], "历下区应急管理局", "督〔2024〕1号", listed_at=t0 + 15)
    org.request_extension(hid, ids["P1"], t0 + 90 * DAY, "设备到货晚")
    h = org.hazard(hid)
    assert h.listed is True and h.listed_by == ids["I1"] and h.listed_at == at(t0 + 15)
    assert (h.listing_authority, h.listing_document) == ("历下区应急管理局", "督〔2024〕1号")
    assert h.extension_pending is True and h.extension_requested_deadline == at(t0 + 90 * DAY)
    assert h.deadline == at(t0 + 60 * DAY)

    org.decide_extension(hid, ids["I1"], True)
    org.start(hid, ids["P1"])
    org.submit(hid, ids["P1"], "已更换管道",
               evidence=[cbc.Attachment("file:///after.jpg", "image/jpeg", 2048, SHA)])
    h = org.hazard(hid)
    assert h.extension_pending is False
    assert (h.original_deadline, h.deadline) == (at(t0 + 60 * DAY), at(t0 + 90 * DAY))
    assert h.state is S.PENDING_VERIFICATION
    assert h.submitted_by == ids["P1"] and h.last_note == "已更换管道"
    (att,) = h.attachments
    assert att == cbc.StoredAttachment("file:///after.jpg", "image/jpeg", 2048, SHA,
                                       cbc.AttachmentStage.RECTIFICATION, at(clock.t), ids["P1"])

    clock.t += 100
    org.verify(hid, ids["I1"], True, "验收合格")
    h = org.hazard(hid)
    assert h.state is S.CLOSED and h.closed_at == at(clock.t) and h.updated_at == at(clock.t)
    assert h.resolved_level is Level.ENTERPRISE and h.listed is False
    assert h.last_note == "验收合格"
    history = org.hazard_history(hid)
    assert history[0].from_state is None and history[0].level is None
    assert history[1].from_state is S.REPORTED and history[1].level is Level.ENTERPRISE
    assert [e.action for e in history] == [A.REPORT, A.REGISTER, A.LIST_SUPERVISION,
                                           A.REQUEST_EXTENSION, A.DECIDE_EXTENSION, A.START,
                                           A.SUBMIT, A.VERIFY_PASS]


def test_rejected_fields_and_duplicate(org, ids):
    first = report(org, ids["T1"], ids["A1"], "地面油污")
    dup = report(org, ids["T1"], ids["B1"], "地面有油")
    org.reject(dup, ids["L1"], "已有人报告", duplicate_of=first)
    h = org.hazard(dup)
    assert h.state is S.REJECTED and h.reject_reason == "已有人报告" and h.duplicate_of == first


def test_escalate_and_file_plan(org, ids, clock):
    hid = report(org, ids["T1"], ids["A1"])
    register_team(org, ids, hid, clock.t + DAY)
    org.escalate(hid, ids["L1"], "班组无力整改", responsible_id=ids["P1"])
    assert org.hazard(hid).level is Level.WORKSHOP
    with pytest.raises(cbc.StateError, match="ENTERPRISE"):
        org.file_plan(hid, ids["P1"], plan(clock.t))
    org.escalate(hid, ids["P1"], "车间无力整改")
    org.file_plan(hid, ids["P1"], plan(clock.t))
    h = org.hazard(hid)
    assert h.level is Level.ENTERPRISE and h.responsible_id == ids["P1"]
    assert h.severity is Severity.GENERAL and h.plan == plan(clock.t)
    assert org.hazard_history(hid)[-1].action is A.FILE_PLAN


# -- the filtered iterator --------------------------------------------------
@pytest.fixture
def ledger(org, ids, clock):
    """Five hazards: h1 registered (TEAM), h2 reported, h3 major registered,
    h4 rejected, h5 fixed on the spot and closed."""
    t0 = clock.t
    h = {}
    h[1] = report(org, ids["T1"], ids["A1"], "h1")
    register_team(org, ids, h[1], t0 + 100)
    clock.t = t0 + 1000
    h[2] = report(org, ids["T2"], ids["B1"], "h2")
    clock.t = t0 + 2000
    h[3] = report(org, ids["T3"], ids["P1"], "h3", severity=Severity.MAJOR)
    register_major(org, ids, h[3], t0 + 50 * DAY)
    clock.t = t0 + 3000
    h[4] = report(org, ids["T1"], ids["A1"], "h4")
    org.reject(h[4], ids["L1"], "不是隐患")
    clock.t = t0 + 4000
    h[5] = org.fix_on_spot(ids["T1"], "h5", cbc.HazardKind.SOFT, cbc.HazardCategory.SAFETY,
                           cbc.CheckItem.FIXED_POSITION, cbc.HazardSource.SNAPSHOT,
                           reporter_id=ids["A1"], measures="清理",
                           evidence=[cbc.Attachment("file:///e.jpg", "image/jpeg", 1, SHA)])
    clock.t = t0 + 5000
    org.verify(h[5], ids["L1"], True)
    return t0, h


def _ids(it):
    return [x.id for x in it]


def test_hazards_filters(org, ids, ledger):
    t0, h = ledger
    assert _ids(org.hazards()) == [h[1], h[2], h[3], h[4], h[5]]
    assert _ids(org.hazards(states=S.REPORTED)) == [h[2]]
    assert _ids(org.hazards(states=[S.REJECTED, S.CLOSED])) == [h[4], h[5]]
    assert _ids(org.hazards(severity=Severity.MAJOR)) == [h[3]]
    assert _ids(org.hazards(severity=Severity.GENERAL)) == [h[1], h[5]]
    assert _ids(org.hazards(level=Level.TEAM)) == [h[1]]
    assert _ids(org.hazards(level=Level.INDIVIDUAL)) == [h[5]]
    assert _ids(org.hazards(unit_id=ids["W1"])) == [h[1], h[2], h[4], h[5]]
    assert _ids(org.hazards(unit_id=ids["T2"])) == [h[2]]
    assert _ids(org.hazards(unit_id=ids["W2"])) == [h[3]]
    assert _ids(org.hazards(reporter_id=ids["A1"])) == [h[1], h[4], h[5]]
    assert _ids(org.hazards(responsible_id=ids["L1"])) == [h[1]]
    assert _ids(org.hazards(responsible_id=ids["P1"])) == [h[3]]
    assert _ids(org.hazards(responsible_id=ids["A1"])) == [h[5]]
    assert _ids(org.hazards(overdue_at=t0 + 101)) == [h[1]]
    assert _ids(org.hazards(overdue_at=t0 + 100)) == []
    assert _ids(org.hazards(overdue_at=t0 + 51 * DAY)) == [h[1], h[3]]
    assert _ids(org.hazards(reported_from=t0 + 1000)) == [h[2], h[3], h[4], h[5]]
    assert _ids(org.hazards(reported_to=t0 + 1000)) == [h[1]]
    assert _ids(org.hazards(reported_from=t0 + 1000, reported_to=t0 + 3000)) == [h[2], h[3]]
    assert _ids(org.hazards(closed_from=t0 + 5000)) == [h[5]]
    assert _ids(org.hazards(closed_from=t0 + 5001)) == []
    assert _ids(org.hazards(closed_to=t0 + 5001)) == [h[5]]
    assert _ids(org.hazards(closed_to=t0 + 5000)) == []
    assert _ids(org.hazards(states=S.REPORTED, unit_id=ids["W2"])) == []
    assert _ids(org.hazards(states=S.REGISTERED, reporter_id=ids["A1"])) == [h[1]]


def test_hazards_iterator_items(org, ids, ledger):
    t0, h = ledger
    (closed,) = org.hazards(states=S.CLOSED)
    full = org.hazard(h[5])
    assert len(full.attachments) == 1 and closed.attachments == []
    assert closed == cbc.Hazard(**{**full.__dict__, "attachments": []})
    assert closed.state is S.CLOSED and closed.resolved_level is Level.INDIVIDUAL
    (major,) = org.hazards(severity=Severity.MAJOR)
    assert major.plan == plan(t0 + 40 * DAY) and major.title == "h3"


def test_hazards_filter_errors(org, ids):
    with pytest.raises(cbc.NotFoundError):
        org.hazards(unit_id=99999)
    with pytest.raises(cbc.InvalidError, match="inverted period"):
        org.hazards(reported_from=10, reported_to=5)
    with pytest.raises(cbc.InvalidError, match="level: 9 is not a valid cbc.Level"):
        org.hazards(level=9)
    with pytest.raises(cbc.InvalidError, match="severity: 7 is not a valid cbc.Severity"):
        org.hazards(severity=7)
    with pytest.raises(cbc.InvalidError, match="negative"):
        org.hazards(reporter_id=-1)


# -- answers --------------------------------------------------------------
def test_answer_named_reporter(org, ids, clock):
    hid = report(org, ids["T1"], ids["A1"], "灭火器过期")
    assert org.answer(hid, ids["A1"]) == cbc.Answer(hid, S.REPORTED, "灭火器过期", "", at(clock.t))
    clock.t += 50
    org.reject(hid, ids["L1"], "已在检修计划内")
    assert org.answer(hid, ids["A1"]) == cbc.Answer(hid, S.REJECTED, "灭火器过期",
                                                    "已在检修计划内", at(clock.t))
    original = report(org, ids["T1"], ids["B1"], "original")
    dup = report(org, ids["T1"], ids["A1"], "again")
    org.reject(dup, ids["L1"], None, duplicate_of=original)
    assert org.answer(dup, ids["A1"]).answer == "duplicate of hazard %d" % original
    fixed = org.fix_on_spot(ids["T1"], "fixed", 1, 1, 1, 1, reporter_id=ids["A1"],
                            measures="修好")
    org.verify(fixed, ids["L1"], True)
    assert org.answer(fixed, ids["A1"]).answer == "rectified and verified"
    assert org.answer(fixed, ids["A1"]).state is S.CLOSED
    with pytest.raises(cbc.PermissionDenied,
                       match=r"hazard %d was not reported by employee B1 \(陈静\)$" % hid):
        org.answer(hid, ids["B1"])
    with pytest.raises(cbc.NotFoundError):
        org.answer(99999, ids["A1"])


def test_answer_by_key_anonymous(org, ids, clock):
    hid, key = org.report(ids["T2"], "匿名: 违章作业", cbc.HazardKind.SOFT,
                          cbc.HazardCategory.SAFETY, cbc.CheckItem.STANDARD_OPERATION,
                          cbc.HazardSource.HOTLINE, Severity.GENERAL)
    assert isinstance(key, str) and len(key) == 32
    assert org.answer_by_key(key) == cbc.Answer(hid, S.REPORTED, "匿名: 违章作业", "", at(clock.t))
    clock.t += 5
    org.reject(hid, ids["P1"], "查无此事")
    a = org.answer_by_key(key)
    assert (a.state, a.answer, a.updated_at) == (S.REJECTED, "查无此事", at(clock.t))
    with pytest.raises(cbc.NotFoundError):
        org.answer_by_key("0" * 32)
    with pytest.raises(cbc.PermissionDenied):  # an anonymous report has no named reporter
        org.answer(hid, ids["A1"])


# -- the overdue sweep ------------------------------------------------------
def test_sweep_overdue(org, ids, clock):
    t0 = clock.t
    general = report(org, ids["T1"], ids["A1"], "g")
    register_team(org, ids, general, t0 + 100)
    major = report(org, ids["T3"], ids["P1"], "m", severity=Severity.MAJOR)
    register_major(org, ids, major, t0 + 200)
    report(org, ids["T1"], ids["A1"], "unregistered")
    assert org.sweep_overdue(at=t0 + 100) == []
    assert org.sweep_overdue(at=t0 + 150) == [general]
    assert org.sweep_overdue(at=t0 + 1000) == [general, major]
    assert org.hazard(general).level is Level.TEAM  # finding is not escalating
    clock.t = t0 + 1000
    assert org.sweep_overdue() == [general, major]  # at=0: now
    assert org.sweep_overdue(escalate=True) == [general, major]
    g = org.hazard(general)
    assert g.level is Level.WORKSHOP and g.responsible_id == ids["L1"]  # nobody at WORKSHOP
    last = org.hazard_history(general)[-1]
    assert last.action is A.ESCALATE_OVERDUE and last.actor_id == 0
    assert last.level is Level.WORKSHOP and last.at == at(t0 + 1000)
    assert org.hazard(major).level is Level.ENTERPRISE
    assert A.ESCALATE_OVERDUE not in [e.action for e in org.hazard_history(major)]
    with pytest.raises(cbc.InvalidError, match="negative"):
        org.sweep_overdue(at=-1)


def test_sweep_in_batches_with_progress(org, ids, clock):
    t0 = clock.t
    hazards = [report(org, ids["T1"], ids["A1"], "g%d" % i) for i in range(5)]
    for h in hazards:
        register_team(org, ids, h, t0 + 100)
    seen = []
    with pytest.raises(cbc.CallbackAborted):  # stopped after the second batch of 2
        org.sweep_overdue(at=t0 + 1000, escalate=True, batch=2,
                          progress=lambda p: seen.append(p) or len(seen) < 2)
    assert seen == [cbc.SweepProgress(5, 2, 2), cbc.SweepProgress(5, 4, 4)]
    levels = [org.hazard(h).level for h in hazards]
    assert levels == [Level.WORKSHOP] * 4 + [Level.TEAM]  # what was committed stays
    seen.clear()
    assert org.sweep_overdue(at=t0 + 1000, escalate=True, batch=2,
                             progress=seen.append) == hazards  # the rerun finishes
    assert seen[-1] == cbc.SweepProgress(5, 5, 1)
    assert all(org.hazard(h).level is Level.WORKSHOP for h in hazards)  # once per lapse
    escalations = [e for h in hazards for e in org.hazard_history(h)
                   if e.action is A.ESCALATE_OVERDUE]
    assert len(escalations) == 5

    def fail(p):
        raise KeyError("stop")
    with pytest.raises(KeyError):
        org.sweep_overdue(at=t0 + 1000, escalate=True, progress=fail)
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(cbc.InvalidError, match="batch"):
            org.sweep_overdue(escalate=True, batch=bad)


def test_sweep_escalate_read_only(target):
    path = target
    cbc.Database(path).close()
    with cbc.Database(path, create=False, readonly=True) as d:
        assert d.sweep_overdue() == []
        with pytest.raises(cbc.PermissionDenied, match="read-only"):
            d.sweep_overdue(escalate=True)


# -- fixed on the spot ------------------------------------------------------
def test_fix_on_spot(org, ids, clock):
    photo = cbc.Attachment("file:///before.jpg", "image/jpeg", 10, SHA)
    fixed = dict(uri="file:///after.jpg", media_type="image/png", size=20, sha256=SHA)
    hid = org.fix_on_spot(ids["T1"], "消防通道堵塞", cbc.HazardKind.SOFT,
                          cbc.HazardCategory.SAFETY, cbc.CheckItem.FIXED_POSITION,
                          cbc.HazardSource.SNAPSHOT, reporter_id=ids["A1"], location="东门",
                          attachments=[photo], measures="搬走杂物", evidence=[fixed])
    h = org.hazard(hid)
    assert h.state is S.PENDING_VERIFICATION and h.level is Level.INDIVIDUAL
    assert h.severity is Severity.GENERAL and h.responsible_id == ids["A1"]
    assert (h.measures, h.location, h.submitted_by) == ("搬走杂物", "东门", ids["A1"])
    assert [(a.uri, a.stage) for a in h.attachments] == [
        ("file:///before.jpg", cbc.AttachmentStage.REPORT),
        ("file:///after.jpg", cbc.AttachmentStage.RECTIFICATION)]
    assert [e.action for e in org.hazard_history(hid)] == [A.REPORT, A.REGISTER, A.START,
                                                           A.SUBMIT]
    with pytest.raises(cbc.PermissionDenied, match="not allowed"):
        org.verify(hid, ids["A1"], True)
    org.verify(hid, ids["L1"], True)
    assert org.hazard(hid).state is S.CLOSED


@pytest.mark.parametrize("kw, message", [
    (dict(reporter_id=0, source=cbc.HazardSource.HOTLINE), "named reporter"),
    (dict(proposed_severity=Severity.MAJOR), "only a general hazard"),
    (dict(measures=""), "measures"),
])
def test_fix_on_spot_refused(org, ids, kw, message):
    args = dict(unit_id=ids["T1"], title="x", kind=1, category=1, check_item=1,
                source=cbc.HazardSource.SELF_CHECK, reporter_id=ids["A1"], measures="m")
    args.update(kw)
    with pytest.raises(cbc.InvalidError, match=message):
        org.fix_on_spot(**args)
    assert list(org.hazards()) == []


# -- the event hook ---------------------------------------------------------
def test_event_hook_after_commit(org, ids, clock):
    events = []
    org.set_event_hook(events.append)
    with org.transaction():
        hid = report(org, ids["T1"], ids["A1"], "漏电")
        register_team(org, ids, hid, clock.t + DAY)
        assert events == []  # not before the commit
    assert [(e.hazard_id, e.action, e.from_state, e.to_state, e.level) for e in events] == [
        (hid, A.REPORT, None, S.REPORTED, None),
        (hid, A.REGISTER, S.REPORTED, S.REGISTERED, Level.TEAM)]
    assert events[0].data["title"] == "漏电" and events[1].actor_id == ids["L1"]
    assert events == org.hazard_history(hid)

    with pytest.raises(RuntimeError):
        with org.transaction():
            org.start(hid, ids["L1"])
            raise RuntimeError("roll back")
    assert len(events) == 2  # rolled back: never delivered
    org.start(hid, ids["L1"])  # outside a group: delivered at once
    assert events[-1].action is A.START and len(events) == 3

    org.set_event_hook(None)
    org.submit(hid, ids["L1"], "done")
    assert len(events) == 3 and org.hazard(hid).state is S.PENDING_VERIFICATION


def test_event_hook_exception_keeps_the_change(org, ids):
    seen = []

    def hook(event):
        seen.append(event.hazard_id)
        if len(seen) == 1:
            raise ValueError("mail server down")

    org.set_event_hook(hook)
    with org.transaction():
        first = report(org, ids["T1"], ids["A1"], "a")
        second = report(org, ids["T1"], ids["A1"], "b")
    assert seen == [first, second]  # later events still delivered
    assert isinstance(org.hook_error, ValueError) and str(org.hook_error) == "mail server down"
    assert "(the change is committed)" in cbc.errors.last_message()
    assert org.hazard(first).state is S.REPORTED and org.hazard(second).title == "b"
    org.set_event_hook(seen.append)
    assert org.hook_error is None


def test_event_hook_must_not_use_its_database(org, ids):
    org.set_event_hook(lambda event: org.hazard(event.hazard_id))
    hid = report(org, ids["T1"], ids["A1"])
    assert isinstance(org.hook_error, cbc.CbcError)
    assert "must not use its own database" in str(org.hook_error)
    assert org.hazard(hid).state is S.REPORTED
    closing = []
    org.set_event_hook(lambda event: closing.append(org.close()))
    report(org, ids["T1"], ids["A1"])
    assert closing == [] and isinstance(org.hook_error, cbc.CbcError)
    assert len(list(org.hazards())) == 2  # still open


# -- iterator lifetime --------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda d, ids: d.children(),
    lambda d, ids: d.subtree(ids["E1"]),
    lambda d, ids: d.employees(ids["E1"]),
    lambda d, ids: d.hazards(),
])
def test_close_database_mid_iteration(org, ids, make):
    report(org, ids["T1"], ids["A1"], "a")
    report(org, ids["T1"], ids["A1"], "b")
    org.unit_upsert(external_id="R2", kind=cbc.UnitKind.REGION, name="r2")
    it = make(org, ids)
    unstarted = make(org, ids)
    assert next(it) is not None
    org.close()
    with pytest.raises(cbc.CbcError, match="the database is closed"):
        next(it)
    with pytest.raises(cbc.CbcError, match="the database is closed"):
        next(unstarted)


def test_finished_iterator_after_close(org, ids):
    it = org.children()
    assert [u.external_id for u in it] == ["R1"]
    org.close()
    with pytest.raises(StopIteration):
        next(it)


# -- errors -------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, code, message", [
    (lambda d, i, h: d.start(h, i["L1"]), cbc.StateError, cbc.ErrorCode.ESTATE,
     "START is not allowed in state REPORTED"),
    (lambda d, i, h: d.reject(h, i["A1"], "no"), cbc.PermissionDenied, cbc.ErrorCode.EPERM,
     "not allowed"),
    (lambda d, i, h: d.reject(h, i["L1"]), cbc.InvalidError, cbc.ErrorCode.EINVAL, "reason"),
    (lambda d, i, h: d.register(h, i["L1"], Severity.GENERAL, Level.TEAM, "m", 1, "c"),
     cbc.InvalidError, cbc.ErrorCode.EINVAL, "deadline"),
    (lambda d, i, h: d.register(h, i["P1"], Severity.MAJOR, Level.TEAM, "m", 2 ** 40, "c"),
     cbc.InvalidError, cbc.ErrorCode.EINVAL, "ENTERPRISE"),
    (lambda d, i, h: d.hazard(99999), cbc.NotFoundError, cbc.ErrorCode.ENOTFOUND, "99999"),
    (lambda d, i, h: d.hazard_history(99999), cbc.NotFoundError, cbc.ErrorCode.ENOTFOUND, ""),
    (lambda d, i, h: d.report(i["T1"], "", 1, 1, 1, 1, 1, reporter_id=i["A1"]),
     cbc.InvalidError, cbc.ErrorCode.EINVAL, "title"),
    (lambda d, i, h: d.submit(h, i["L1"], "n", evidence=[cbc.Attachment("", "x/y", 1, SHA)]),
     cbc.InvalidError, cbc.ErrorCode.EINVAL, ""),
])
def test_error_mapping(org, ids, call, exc, code, message):
    hid = report(org, ids["T1"], ids["A1"])
    with pytest.raises(exc, match=message) as info:
        call(org, ids, hid)
    assert info.value.code == code and str(info.value)
    assert org.hazard(hid).state is S.REPORTED


def test_plan_as_dict_and_type_errors(org, ids, clock):
    hid = report(org, ids["T1"], ids["A1"], severity=Severity.MAJOR)
    p = plan(clock.t)
    org.register(hid, ids["P1"], Severity.MAJOR, Level.ENTERPRISE, "m", clock.t + DAY, "c",
                 plan=p.__dict__)
    assert org.hazard(hid).plan == p
    with pytest.raises(TypeError):
        org.reopen(hid, ids["P1"], 42)



def test_iterator_is_a_context_manager(org, ids):
    """Leaving a with block frees the C iterator however far it got: the
    iterator is then over, and the database still works."""
    for _ in range(3):
        report(org, ids["T1"], ids["A1"], "防护栏松动")
    with org.hazards() as it:
        first = next(it)
    assert first.title == "防护栏松动"
    assert list(it) == []  # freed on exit: nothing more
    with org.hazards() as it:
        assert len(list(it)) == 3
    with pytest.raises(ZeroDivisionError):
        with org.hazards() as it:
            next(it)
            1 / 0
    assert list(it) == []
    assert org.hazard_count() == 3
