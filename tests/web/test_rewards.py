"""The rewards pages (examples/web/cbcweb/rewards.py): the summary, the
decisions with their reasons (a preview that writes nothing, a real run),
the award ledger and an award's steps, fines typed in yuan, a hazard's
reward explanation and the policy.  The library decides who may do what: a
refusal is shown with its message and changes nothing; another
enterprise's awards, hazards and units are 404; every POST needs its CSRF
token."""
import datetime
import re

import pytest

import cbc
from cbcweb import rewards
from conftest import csrf_token

GENERAL_REWARD = {"rules": {"general_hazard": {"amount_fen": 10000}}}


def close_hazard(db, ids, reporter="A1", source=cbc.HazardSource.SELF_CHECK, unit="T1",
                 leader="L1", officer="S1"):
    """A general hazard reported in the unit, rectified by the team leader and
    verified by the safety officer; (its id, the follow-up key of an
    anonymous tip-off or None)."""
    hazard, key = db.report(ids[unit], "护栏缺失", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                            cbc.CheckItem.RULES, source, cbc.Severity.GENERAL,
                            reporter_id=ids[reporter] if reporter else 0)
    deadline = db.now() + datetime.timedelta(days=7)
    db.register(hazard, ids[leader], cbc.Severity.GENERAL, cbc.Level.TEAM, "加装护栏", deadline,
                "设警示带")
    db.start(hazard, ids[leader])
    db.submit(hazard, ids[leader], "护栏已装")
    db.verify(hazard, ids[officer], True, "合格")
    return hazard, key


@pytest.fixture
def rewarded(db, ids):
    """A closed hazard whose finder A1 has a proposed award of 100 yuan:
    (hazard id, award id)."""
    db.set_policy(GENERAL_REWARD, ids["C1"])
    hazard, _ = close_hazard(db, ids)
    (award,) = db.select_awards()
    return hazard, award.id


def text(response):
    return response.get_data(as_text=True)


def offered(client, award_id):
    """The steps an award's page offers, by the forms' ids."""
    return set(re.findall(r'id="move-([a-z_]+)"', text(client.get("/rewards/awards/%d"
                                                                      % award_id))))


def step(client, award_id, name, **fields):
    fields.setdefault("csrf_token", csrf_token(client, "/rewards/awards/%d" % award_id))
    return client.post("/rewards/awards/%d/%s" % (award_id, name), data=fields)


# -- every page --------------------------------------------------------------
def test_every_page_answers(client_as, rewarded):
    hazard, award = rewarded
    for who in ("C1", "A1", "S1"):
        client = client_as(who)
        for path in ("/rewards", "/rewards/decisions", "/rewards/awards", "/rewards/fines",
                     "/rewards/policy", "/rewards/awards/%d" % award,
                     "/rewards/hazards/%d" % hazard, "/rewards/awards?period=all&page=1",
                     "/rewards?period=2026-Q4", "/rewards/fines?period=2026"):
            r = client.get(path)
            assert r.status_code == 200, (who, path, r.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    r = anonymous.get("/rewards/awards")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_summary_counts_the_period(client_as, db, ids, rewarded):
    period = db.format_period(cbc.Period.current(db))
    page = text(client_as("C1").get("/rewards"))
    assert period in page and "100.00 元" in page  # the proposed award's money
    summary = db.reward_summary(ids["R1"], cbc.Period.current(db))
    assert summary.awards == 1 and summary.awarded_fen == 10000
    # another year has nothing
    page = text(client_as("C1").get("/rewards?period=2020"))
    assert "100.00" not in page and "0.00 元" in page


def test_a_bad_period_is_a_400_with_the_librarys_message(client_as):
    client = client_as("C1")
    for path in ("/rewards", "/rewards/decisions", "/rewards/awards", "/rewards/fines"):
        r = client.get(path + "?period=2026-13")
        assert r.status_code == 400, path
        assert "does not fit a month" in text(r)
    assert client.get("/rewards/awards?period=yesterday").status_code == 400
    assert client.get("/rewards?period=all").status_code == 400  # only the ledger takes "all"


def test_bad_queries_are_400(client_as):
    client = client_as("C1")
    for path in ("/rewards/awards?page=0", "/rewards/awards?page=x", "/rewards/awards?page=²",
                 "/rewards/awards?state=LOST", "/rewards?unit=abc"):
        assert client.get(path).status_code == 400, path


# -- who sees what -----------------------------------------------------------
def test_another_enterprises_rewards_are_404(client_as, db, ids, rewarded):
    hazard, award = rewarded
    outsider = client_as("B2")  # a worker of 重汽
    for path in ("/rewards/awards/%d" % award, "/rewards/hazards/%d" % hazard,
                 "/rewards?unit=%d" % ids["E1"], "/rewards/awards?unit=%d" % ids["T1"],
                 "/rewards/decisions?unit=%d" % ids["E1"], "/rewards/fines?unit=%d" % ids["E1"],
                 "/rewards/awards/999", "/rewards/hazards/999", "/rewards?unit=999"):
        assert outsider.get(path).status_code == 404, path
    # their own enterprise's ledger does not list it
    page = text(outsider.get("/rewards/awards?period=all"))
    assert "共 0 项" in page and "王芳" not in page
    # nor may they post to it: 404 before the library is asked
    before = db.award(award)
    r = step(outsider, award, "approve", csrf_token=csrf_token(outsider, "/rewards"))
    assert r.status_code == 404 and db.award(award) == before


def test_the_read_scope_bounds_the_ledger(client_as, db, ids, rewarded):
    """An award in each enterprise: the region's cadre sees both, each
    enterprise's people their own."""
    db.sync(employees=[
        cbc.EmployeeRecord("L4", "钱班长", "T4", roles=cbc.Role.TEAM_LEADER | cbc.Role.WORKER),
        cbc.EmployeeRecord("S4", "吴安全", "T4", roles=cbc.Role.SAFETY_OFFICER)])
    ids.update({x: db.employee_by_external(x).id for x in ("L4", "S4")})
    close_hazard(db, ids, reporter="B2", unit="T4", leader="L4", officer="S4")
    assert len(db.select_awards()) == 2
    cadre = text(client_as("C1").get("/rewards/awards?period=all"))
    assert "共 2 项" in cadre and "王芳" in cadre and "陈静" in cadre
    for who, name, other in (("A1", "王芳", "陈静"), ("B2", "陈静", "王芳")):
        page = text(client_as(who).get("/rewards/awards?period=all"))
        assert "共 1 项" in page and name in page and other not in page, who


# -- decisions ---------------------------------------------------------------
@pytest.fixture
def unrewarded(db, ids):
    """A hazard closed while discoveries paid nothing, then a policy that
    pays 100 yuan: the evaluation proposes its award (hazard id)."""
    hazard, _ = close_hazard(db, ids)
    db.set_policy(GENERAL_REWARD, ids["C1"])
    return hazard


def test_the_preview_shows_each_decision_and_writes_nothing(client_as, db, unrewarded):
    plain = text(client_as("C1").get("/rewards/decisions"))
    assert 'id="preview"' in plain and "一般隐患发现奖励" not in plain  # only when asked
    page = text(client_as("C1").get("/rewards/decisions?preview=1"))
    assert "一般隐患发现奖励" in page and "工人先锋号" in page and "安康杯" in page
    assert "report %d is the first valid of 1 report" % unrewarded in page  # the reasons
    assert "training coverage 0.0% &lt; 100%" in page  # every criterion, as the library says
    assert "100.00 元" in page and "王芳" in page
    assert db.select_awards() == []


def test_the_real_evaluation_proposes_the_awards(client_as, db, unrewarded):
    client = client_as("C1")
    r = client.post("/rewards/decisions", data={"csrf_token": csrf_token(client, "/rewards")})
    assert r.status_code == 302 and "/rewards/decisions" in r.headers["Location"]
    (award,) = db.select_awards()
    assert award.hazard_id == unrewarded and award.amount_fen == 10000
    page = text(client.get(r.headers["Location"]))
    assert "已评定" in page and "/rewards/awards/%d" % award.id in page
    # again: found, never repeated
    client.post("/rewards/decisions", data={"csrf_token": csrf_token(client, "/rewards")})
    assert len(db.select_awards()) == 1


def test_only_the_union_over_the_unit_evaluates_for_real(client_as, db, ids, unrewarded):
    """The library decides who may run the real evaluation: the form is
    offered to C1 (a union cadre over the unit) only; a worker sees the
    preview, and her forged POST is refused with the library's message and
    writes nothing."""
    assert 'id="evaluate"' in text(client_as("C1").get("/rewards/decisions"))
    worker = client_as("A1")
    page = text(worker.get("/rewards/decisions?preview=1"))
    assert 'id="evaluate"' not in page and 'id="evaluate-union-only"' in page
    assert "一般隐患发现奖励" in page  # the preview is open to readers
    r = worker.post("/rewards/decisions", data={"csrf_token": csrf_token(worker, "/rewards")})
    assert r.status_code == 403 and "union cadre over the unit" in text(r)
    assert db.select_awards() == []
    for who in ("L1", "S1"):  # neither do the enterprise's leaders
        client = client_as(who)
        assert 'id="evaluate"' not in text(client.get("/rewards/decisions"))
        r = client.post("/rewards/decisions", data={"csrf_token": csrf_token(client, "/rewards")})
        assert r.status_code == 403
    assert db.select_awards() == []


def test_evaluating_needs_the_csrf_token(client_as, db, unrewarded):
    client = client_as("C1")
    assert client.post("/rewards/decisions").status_code == 400
    assert client.post("/rewards/decisions", data={"csrf_token": "forged"}).status_code == 400
    assert db.select_awards() == []


def test_evaluating_another_enterprise_is_404(client_as, db, ids, unrewarded):
    client = client_as("B2")
    r = client.post("/rewards/decisions?unit=%d" % ids["E1"],
                    data={"csrf_token": csrf_token(client, "/rewards")})
    assert r.status_code == 404 and db.select_awards() == []


def test_a_hazards_explanation(client_as, db, ids, rewarded):
    hazard, award = rewarded
    page = text(client_as("A1").get("/rewards/hazards/%d" % hazard))
    assert "report %d is the first valid of 1 report" % hazard in page
    assert "/rewards/awards/%d" % award in page and "/hazards/%d" % hazard in page
    # a hazard not closed: the library says why it earns nothing yet
    open_one = db.report(ids["T1"], "地面湿滑", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                         cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                         reporter_id=ids["A1"])[0]
    r = client_as("A1").get("/rewards/hazards/%d" % open_one)
    assert r.status_code == 200
    assert "only a verified, closed hazard is rewarded" in text(r)


# -- the award ledger --------------------------------------------------------
def test_the_ledger_filters_by_state_and_period(client_as, db, ids, rewarded):
    _, award = rewarded
    client = client_as("C1")
    assert "共 1 项" in text(client.get("/rewards/awards?state=PROPOSED"))
    assert "共 0 项" in text(client.get("/rewards/awards?state=PAID"))
    assert "共 0 项" in text(client.get("/rewards/awards?period=2020"))
    assert "共 1 项" in text(client.get("/rewards/awards?period=all&state=proposed"))
    page = text(client.get("/rewards/awards"))
    assert "/rewards/awards/%d" % award in page and "100.00" in page and "待审批" in page


def test_the_ledger_is_paged(client_as, db, ids, rewarded, monkeypatch):
    close_hazard(db, ids)  # her second find: a second award
    monkeypatch.setattr(rewards, "PAGE_SIZE", 1)
    first, second = (a.id for a in db.select_awards())
    client = client_as("C1")
    page1 = text(client.get("/rewards/awards"))
    assert "共 2 项" in page1 and "第 1 / 2 页" in page1 and 'rel="next"' in page1
    assert "/rewards/awards/%d\"" % first in page1 and "/rewards/awards/%d\"" % second not in page1
    page2 = text(client.get("/rewards/awards?page=2"))
    assert "/rewards/awards/%d\"" % second in page2 and 'rel="prev"' in page2
    assert "没有奖励记录" in text(client.get("/rewards/awards?page=3"))


def test_the_forms_follow_the_awards_state(client_as, db, ids, rewarded):
    _, award = rewarded
    cadre = client_as("C1")
    assert offered(cadre, award) == {"approve", "decline"}
    assert offered(client_as("A1"), award) == set()  # the library's award_moves: not hers
    assert step(cadre, award, "approve").status_code == 302
    assert offered(cadre, award) == {"pay", "decline"}
    assert step(cadre, award, "pay", payment_ref="转账 2026-118").status_code == 302
    assert offered(cadre, award) == set()
    got = db.award(award)
    assert got.state is cbc.AwardState.PAID and got.payment_ref == "转账 2026-118"
    assert got.approved_by == got.paid_by == ids["C1"]
    page = text(cadre.get("/rewards/awards/%d" % award))
    for shown in ("评定提出", "批准", "发放", "转账 2026-118", "赵工会", "已发放"):
        assert shown in page, shown


def test_a_refused_step_changes_nothing(client_as, db, ids, rewarded):
    _, award = rewarded
    before = db.award(award)
    worker = client_as("A1")
    assert offered(worker, award) == set()  # no form; a forged POST is refused
    r = step(worker, award, "approve")
    assert r.status_code == 403 and "a union cadre over the unit does" in text(r)
    r = step(worker, award, "decline", reason="不合规")
    assert r.status_code == 403 and db.award(award) == before
    cadre = client_as("C1")
    r = step(cadre, award, "pay", payment_ref="x")  # not approved yet
    assert r.status_code == 409 and db.award(award) == before
    r = step(cadre, award, "review", note="x")  # not flagged
    assert r.status_code == 409 and db.award(award) == before
    r = step(cadre, award, "decline", reason="   ")  # a reason is needed
    assert r.status_code == 400 and "请填写：理由" in text(r) and db.award(award) == before
    assert step(cadre, award, "steal").status_code == 404
    assert db.award(award) == before


def test_award_steps_need_the_csrf_token(client_as, db, rewarded):
    _, award = rewarded
    before = db.award(award)
    cadre = client_as("C1")
    assert step(cadre, award, "approve", csrf_token="forged").status_code == 400
    assert cadre.post("/rewards/awards/%d/approve" % award).status_code == 400
    assert db.award(award) == before


def test_declining_is_final(client_as, db, rewarded):
    _, award = rewarded
    cadre = client_as("C1")
    r = step(cadre, award, "decline", reason="系本人责任区隐患")
    assert r.status_code == 302
    got = db.award(award)
    assert got.state is cbc.AwardState.DECLINED and got.decline_reason == "系本人责任区隐患"
    assert offered(cadre, award) == set()
    assert step(cadre, award, "approve").status_code == 409
    assert db.award(award) == got
    assert "系本人责任区隐患" in text(cadre.get("/rewards/awards/%d" % award))


def test_a_reopened_hazards_award_is_reviewed(client_as, db, ids, rewarded):
    hazard, award = rewarded
    db.reopen(hazard, ids["S1"], "回头看发现护栏松动")
    cadre = client_as("C1")
    assert offered(cadre, award) == {"decline"}  # the hazard is not closed again
    assert "待复核" in text(cadre.get("/rewards/awards/%d" % award))
    r = step(cadre, award, "review", note="复查合格")  # a forged POST: refused
    assert r.status_code == 409 and db.award(award).review
    db.submit(hazard, ids["L1"], "重新紧固")
    db.verify(hazard, ids["S1"], True, "合格")
    assert offered(cadre, award) == {"review", "decline"}
    assert step(cadre, award, "review", note="复查合格").status_code == 302
    got = db.award(award)
    assert not got.review and got.review_note == "复查合格"
    assert offered(cadre, award) == {"approve", "decline"}


def test_an_anonymous_tip_off_is_paid_against_its_key(client_as, db, ids):
    _, key = close_hazard(db, ids, reporter=None, source=cbc.HazardSource.HOTLINE)
    (award,) = db.select_awards()
    assert award.subject_kind is cbc.SubjectKind.ANONYMOUS and award.amount_fen == 20000
    cadre = client_as("C1")
    assert step(cadre, award.id, "approve").status_code == 302
    page = text(cadre.get("/rewards/awards/%d" % award.id))
    assert 'name="claim_key"' in page and "匿名举报人" in page
    before = db.award(award.id)
    r = step(cadre, award.id, "pay", payment_ref="现金 1")
    assert r.status_code == 400 and db.award(award.id) == before
    assert step(cadre, award.id, "pay", payment_ref="现金 1", claim_key=key).status_code == 302
    assert db.award(award.id).state is cbc.AwardState.PAID


# -- fines -------------------------------------------------------------------
def issue(client, **fields):
    fields.setdefault("csrf_token", csrf_token(client, "/rewards/fines"))
    data = {"employee": "A1", "amount": "200.5", "reason": "未戴安全帽", "violation": "违章作业"}
    data.update(fields)
    return client.post("/rewards/fines", data=data)


def test_a_fine_is_typed_in_yuan_and_kept_in_fen(client_as, db, ids):
    officer = client_as("S1")
    r = issue(officer)
    assert r.status_code == 302 and "/rewards/fines" in r.headers["Location"]
    (fine,) = db.fines(ids["E1"])
    assert fine.amount_fen == 20050 and fine.employee_id == ids["A1"]
    assert fine.violation == "违章作业" and fine.issued_by == ids["S1"]
    page = text(officer.get(r.headers["Location"]))
    assert "200.50" in page and "已开具罚单" in page and "王芳" in page
    for typed, fen in (("0.05", 5), ("12", 1200), ("3.1", 310), (" 7.00 ", 700)):
        assert issue(officer, amount=typed).status_code == 302, typed
        assert db.fines(ids["E1"])[-1].amount_fen == fen, typed


def test_a_fine_for_a_hazard(client_as, db, ids):
    hazard = db.report(ids["T1"], "护栏缺失", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=ids["A1"])[0]
    officer = client_as("S1")
    assert issue(officer, employee="L1", violation="", hazard=str(hazard)).status_code == 302
    (fine,) = db.fines(ids["E1"])
    assert fine.hazard_id == hazard and fine.employee_id == ids["L1"]
    assert "/hazards/%d" % hazard in text(officer.get("/rewards/fines"))


@pytest.mark.parametrize("amount", ["12.345", "-5", "1,000", "abc", "", "1.", ".5", "１２", "²",
                                    "1e3", "99999999999999"])
def test_a_bad_amount_is_refused_with_a_clear_message(client_as, db, ids, amount):
    r = issue(client_as("S1"), amount=amount)
    assert r.status_code == 400 and "金额应为元，最多两位小数" in text(r), amount
    assert db.fines() == []


def test_the_library_bounds_the_amount(client_as, db):
    for amount in ("0", "0.00", "1000000001"):  # 1..CBC_MAX_AMOUNT_FEN (a billion yuan)
        r = issue(client_as("S1"), amount=amount)
        assert r.status_code == 400 and 'id="fine-error"' in text(r), amount
    assert db.fines() == []


def test_a_refused_fine_changes_nothing(client_as, db, ids):
    r = issue(client_as("A1"))  # a worker
    assert r.status_code == 403 and "may not fine here" in text(r)
    r = issue(client_as("S1"), employee="B2")  # another enterprise's employee
    assert r.status_code == 400 and "没有工号为 B2 的职工" in text(r)
    r = issue(client_as("S1"), employee="NOBODY")
    assert r.status_code == 400 and "没有工号为 NOBODY 的职工" in text(r)
    r = issue(client_as("S1"), hazard="1")  # both a hazard and a violation (and no such hazard)
    assert r.status_code == 400 and "没有编号为 1 的隐患" in text(r)
    r = issue(client_as("S1"), violation="")  # neither: the library's message
    assert r.status_code == 400 and "exactly one" in text(r)
    r = issue(client_as("S1"), reason="")
    assert r.status_code == 400 and "请填写：罚款理由" in text(r)
    r = issue(client_as("S1"), csrf_token="forged")
    assert r.status_code == 400
    assert db.fines() == []
    # the form keeps what was typed
    page = text(issue(client_as("S1"), amount="x"))
    assert "未戴安全帽</textarea>" in page and 'value="违章作业"' in page


def test_a_hazard_of_another_enterprise_is_not_found(client_as, db, ids):
    theirs = db.report(ids["T4"], "油管渗漏", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                       reporter_id=ids["B2"])[0]
    r = issue(client_as("S1"), violation="", hazard=str(theirs))
    assert r.status_code == 400 and "没有编号为 %d 的隐患" % theirs in text(r)
    assert db.fines() == []


def test_the_fines_list_by_unit_and_period(client_as, db, ids):
    db.issue_fine(ids["A1"], 5000, "未戴安全帽", ids["S1"], violation="违章作业")
    cadre = client_as("C1")
    assert "共 1 张" in text(cadre.get("/rewards/fines"))
    assert "共 1 张" in text(cadre.get("/rewards/fines?unit=%d" % ids["T1"]))
    assert "共 0 张" in text(cadre.get("/rewards/fines?unit=%d" % ids["E2"]))
    assert "共 0 张" in text(cadre.get("/rewards/fines?period=2020"))
    assert "50.00" in text(cadre.get("/rewards/fines"))
    assert client_as("B2").get("/rewards/fines?unit=%d" % ids["T1"]).status_code == 404
    assert "共 0 张" in text(client_as("B2").get("/rewards/fines"))


# -- the policy --------------------------------------------------------------
def test_the_policy_is_shown_read_only(client_as, db, ids):
    db.set_policy(GENERAL_REWARD, ids["C1"])
    page = text(client_as("A1").get("/rewards/policy"))
    assert "第 2 版" in page and "100.00" in page and "500.00" in page  # general, major
    assert "工人先锋号" in page and "安康杯" in page and "培训覆盖率" in page
    assert "<form method=\"post\"" not in page.split("</header>", 1)[1]
    assert client_as("A1").post("/rewards/policy").status_code in (400, 405)
