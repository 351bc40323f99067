"""行政处罚 on a hazard's page (examples/web/cbcweb/penalties.py): the
section shows the administrative penalty recorded for the hazard or says
none is; a bureau inspector records it once through the form (amount in
yuan, the decision's number), back to the page; everyone else gets no form,
and a forged post is refused by the library with its message, writing
nothing; bad amounts and a missing CSRF token write nothing; under the
whistleblower_2018 preset the penalty of a closed anonymous major hotline
tip-off makes its award, shown on the page."""
import datetime
import html
import re

import pytest

import cbc
from conftest import csrf_token

#: A region beside R1 with its own inspector, I2; I1 inspects R1.
INSPECTORS = [("I1", "钱监察", "R1"), ("I2", "吴监察", "R2")]

PENALTY_DOCUMENT = "济应急罚〔2026〕12号"


@pytest.fixture
def inspectors(db, ids):
    """The demo org has no bureau inspector: I1 sits in R1 (over 济钢 and
    重汽), I2 in another region R2.  Their ids are added to ids."""
    db.sync(units=[cbc.UnitRecord("R2", cbc.UnitKind.REGION, "历城区", None)],
            employees=[cbc.EmployeeRecord(x, n, u, roles=cbc.Role.BUREAU_INSPECTOR)
                       for x, n, u in INSPECTORS], strict=True)
    for x, *_ in INSPECTORS:
        ids[x] = db.employee_by_external(x).id
    return ids


def text(response):
    return html.unescape(response.get_data(as_text=True))


def page(client, hazard_id):
    r = client.get("/hazards/%d" % hazard_id)
    assert r.status_code == 200
    return text(r)


def offers_form(client, hazard_id):
    body = page(client, hazard_id)
    shown = 'id="record-penalty"' in body
    assert shown == ('action="/hazards/%d/penalty"' % hazard_id in body)
    return shown


def post(client, hazard_id, token=None, **fields):
    """Post the penalty form (a forged post when the page offers none: the
    token comes from any form of the page)."""
    data = {"amount": "50000", "document": PENALTY_DOCUMENT}
    data.update(fields)
    if token is None:
        token = csrf_token(client, "/hazards/%d" % hazard_id)
    if token is not False:
        data["csrf_token"] = token
    return client.post("/hazards/%d/penalty" % hazard_id, data=data)


def no_penalty(db, hazard_id):
    with pytest.raises(cbc.NotFoundError):
        db.penalty(hazard_id)
    return True


def reported(db, ids, severity=cbc.Severity.GENERAL, reporter="A1",
             source=cbc.HazardSource.SELF_CHECK):
    hazard, key = db.report(ids["T1"], "平台护栏断裂", cbc.HazardKind.HARD,
                            cbc.HazardCategory.SAFETY, cbc.CheckItem.EQUIPMENT_GUARDING, source,
                            severity, reporter_id=ids[reporter] if reporter else 0)
    return hazard


def registered(db, ids, **report):
    """A hazard of 济钢 registered by its principal (a major one with its plan)."""
    hazard = reported(db, ids, **report)
    deadline = db.now() + datetime.timedelta(days=30)
    major = db.hazard(hazard).proposed_severity is cbc.Severity.MAJOR
    plan = cbc.RectificationPlan("消除坠落风险", "加装防护栏", "专项资金", "设备科", deadline,
                                 "设警戒区") if major else None
    db.register(hazard, ids["P1"], cbc.Severity.MAJOR if major else cbc.Severity.GENERAL,
                cbc.Level.ENTERPRISE if major else cbc.Level.TEAM, "更换护栏", deadline,
                "停用平台", plan=plan)
    return hazard


def closed(db, ids, **report):
    hazard = registered(db, ids, **report)
    responsible = db.hazard(hazard).responsible_id
    db.start(hazard, responsible)
    db.submit(hazard, responsible, "护栏已换")
    db.verify(hazard, ids["S1"], True, "合格")
    assert db.hazard(hazard).state is cbc.HazardState.CLOSED
    return hazard


def library_refusal(call):
    """The library's own message for a refusal (a refusal writes nothing)."""
    with pytest.raises(cbc.CbcError) as refused:
        call()
    return refused.value.message


# -- the section ---------------------------------------------------------------
def test_the_section_says_none_then_shows_the_penalty(client_as, db, inspectors):
    ids = inspectors
    hazard = registered(db, ids)
    worker = client_as("A1")
    before = page(worker, hazard)
    assert '<h2 id="penalty-title">行政处罚</h2>' in before
    assert "尚未登记行政处罚" in before and 'id="penalty-record"' not in before
    db.record_penalty(hazard, ids["I1"], 1234560, PENALTY_DOCUMENT)
    recorded_at = db.penalty(hazard).recorded_at.strftime("%Y-%m-%d %H:%M")
    after = page(worker, hazard)
    assert "尚未登记行政处罚" not in after
    record = re.search(r'<dl class="facts" id="penalty-record">(.*?)</dl>', after, re.S).group(1)
    assert "<dd>12345.60 元</dd>" in record  # yuan, as the app shows money elsewhere
    assert "<dd>%s</dd>" % PENALTY_DOCUMENT in record
    assert "<dd>钱监察</dd>" in record and "<dd>%s</dd>" % recorded_at in record


# -- recording it ----------------------------------------------------------------
def test_an_inspector_records_the_penalty_once(client_as, db, inspectors):
    ids = inspectors
    hazard = registered(db, ids)
    inspector = client_as("I1")
    assert offers_form(inspector, hazard)
    r = post(inspector, hazard, amount="50000.5")
    assert r.status_code == 302 and r.headers["Location"].endswith("/hazards/%d" % hazard)
    got = db.penalty(hazard)
    assert (got.amount_fen, got.document, got.recorded_by) == (5000050, PENALTY_DOCUMENT,
                                                                ids["I1"])
    shown = text(inspector.get(r.headers["Location"]))
    assert "已登记行政处罚" in shown and "<dd>50000.50 元</dd>" in shown
    assert not offers_form(inspector, hazard)  # recorded: no form
    # a second attempt (a forged post now) is the library's refusal, and changes nothing
    message = library_refusal(lambda: db.record_penalty(hazard, ids["I1"], 100, "第二份"))
    second = post(inspector, hazard, amount="100", document="第二份")
    assert second.status_code == 409
    body = text(second)
    assert "当前状态不允许该操作：%s" % message in body and 'id="penalty-error"' in body
    assert db.penalty(hazard) == got


def test_the_library_decides_which_hazards(client_as, db, inspectors):
    """The form is offered when the library says the inspector may record
    the penalty: not on a hazard that is not registered, whose forged post
    the library refuses with its message."""
    ids = inspectors
    hazard = reported(db, ids)
    inspector = client_as("I1")
    assert not db.may_record_penalty(hazard, ids["I1"])
    assert not offers_form(inspector, hazard)
    message = library_refusal(lambda: db.record_penalty(hazard, ids["I1"], 100, "x"))
    r = post(inspector, hazard)
    assert r.status_code == 409 and "当前状态不允许该操作：%s" % message in text(r)
    assert no_penalty(db, hazard)


@pytest.mark.parametrize("who", ["A1", "L1", "S1", "P1", "C1"])
def test_others_get_no_form_and_a_forged_post_is_refused(client_as, db, inspectors, who):
    ids = inspectors
    hazard = registered(db, ids)
    client = client_as(who)
    assert not offers_form(client, hazard)
    message = library_refusal(lambda: db.record_penalty(hazard, ids[who], 5000000, "x"))
    r = post(client, hazard)
    assert r.status_code == 403
    body = text(r)
    assert "没有权限：%s" % message in body and 'id="penalty-error"' in body
    assert no_penalty(db, hazard) and "尚未登记行政处罚" in body


def test_an_inspector_elsewhere_cannot_even_see_the_hazard(client_as, db, inspectors):
    hazard = registered(db, inspectors)
    outsider = client_as("I2")  # R2's inspector: 济钢 is not in his region
    assert outsider.get("/hazards/%d" % hazard).status_code == 404
    r = post(outsider, hazard, token=csrf_token(outsider))
    assert r.status_code == 404 and no_penalty(db, hazard)


@pytest.mark.parametrize("fields, message", [
    (dict(amount=""), "请填写：罚款金额"),
    (dict(amount="五万"), "金额应为元"),
    (dict(amount="abc"), "金额应为元"),
    (dict(amount="-5"), "金额应为元"),
    (dict(amount="1,000"), "金额应为元"),
    (dict(amount="12.345"), "金额应为元"),
    (dict(amount="0"), "填写有误：a penalty is"),                  # the library's bound
    (dict(amount="1000000001"), "填写有误：a penalty is"),
    (dict(document=""), "请填写：处罚决定书文号"),
    (dict(document="   "), "请填写：处罚决定书文号"),
])
def test_bad_input_is_refused_and_writes_nothing(client_as, db, inspectors, fields, message):
    hazard = registered(db, inspectors)
    inspector = client_as("I1")
    r = post(inspector, hazard, **fields)
    assert r.status_code == 400
    body = text(r)
    error = re.search(r'<p class="error" role="alert" id="penalty-error">([^<]*)</p>', body)
    assert error and message in error.group(1)
    assert re.search(r'<details class="move" id="record-penalty" open>', body)  # shown again
    typed = dict({"amount": "50000", "document": PENALTY_DOCUMENT}, **fields)
    assert 'name="amount" value="%s"' % typed["amount"].strip() in body
    assert no_penalty(db, hazard)


def test_the_csrf_token_is_required(client_as, db, inspectors):
    hazard = registered(db, inspectors)
    inspector = client_as("I1")
    assert post(inspector, hazard, token=False).status_code == 400
    assert post(inspector, hazard, token="forged").status_code == 400
    assert no_penalty(db, hazard)
    assert post(inspector, hazard).status_code == 302  # with the token it records
    assert db.penalty(hazard).amount_fen == 5000000


# -- the whistle-blower reward -------------------------------------------------------
@pytest.mark.parametrize("typed, share_fen", [
    ("50000", 750000),        # 15 % of 50,000 yuan
    ("10000", 300000),        # 15 % is 1,500 yuan: the preset's minimum, 3,000
])
def test_the_penalty_makes_the_tip_offs_award(client_as, db, inspectors, typed, share_fen):
    ids = inspectors
    db.set_policy(cbc.policy_preset("whistleblower_2018"), ids["C1"])
    hazard = closed(db, ids, severity=cbc.Severity.MAJOR, reporter=None,
                    source=cbc.HazardSource.HOTLINE)
    assert db.select_awards() == []  # closed, but the penalty is not recorded yet
    cadre = client_as("C1")
    before = page(cadre, hazard)
    assert 'id="reward-link"' in before and 'id="penalty-award-' not in before
    explained = text(cadre.get("/rewards/hazards/%d" % hazard))
    assert "not recorded yet" in explained and "/rewards/awards/" not in explained

    r = post(client_as("I1"), hazard, amount=typed)
    assert r.status_code == 302 and r.headers["Location"].endswith("/hazards/%d" % hazard)
    (award,) = db.select_awards()
    assert (award.rule, award.subject_kind, award.hazard_id, award.amount_fen) == (
        cbc.RewardRule.HOTLINE_TIP, cbc.SubjectKind.ANONYMOUS, hazard, share_fen)
    yuan = "%d.%02d 元" % (share_fen // 100, share_fen % 100)
    after = page(cadre, hazard)
    shown = re.search(r'<p id="penalty-award-%d">(.*?)</p>' % award.id, after)
    assert shown and yuan in shown.group(1)
    assert 'href="/rewards/awards/%d"' % award.id in shown.group(1)
    explained = text(cadre.get("/rewards/hazards/%d" % hazard))
    assert yuan in explained and 'href="/rewards/awards/%d"' % award.id in explained
