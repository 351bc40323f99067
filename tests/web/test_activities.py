"""The activities pages (cbcweb/activities.py): lists per unit and period
within the read scope, a record's page, the forms that record training,
drills, visits, proposals and cadre assignments, deciding a proposal,
ending an assignment, voiding, and the compliance lists.  The library
decides: a form is offered only when it says the signed-in employee may use
it, its refusal is shown with its message and changes nothing; another
enterprise's unit or record is a 404; a post without the CSRF token is 400."""
import datetime
import re
import secrets

import pytest

import cbc
from conftest import csrf_token


# -- helpers ----------------------------------------------------------------
def minutes_ago(db, n=5):
    """A time n minutes before the database's clock, as a datetime-local field gives it."""
    return (db.now() - datetime.timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M")


def ago(db, n=5):
    return db.now() - datetime.timedelta(minutes=n)


def a_training(db, ids, unit="T1", attendees=(("A1", True),), title="岗前安全教育"):
    return db.add_training(ids[unit], cbc.TrainingKind.ALL_STAFF, ago(db), 60, title,
                           [(ids[x], passed) for x, passed in attendees])


def form_key(client, path):
    """(csrf token, request key) of a freshly rendered record form; where the
    form is not offered, the page's token and a key as a forged post makes."""
    text = client.get(path).get_data(as_text=True)
    key = re.search(r'name="request_key" value="([0-9a-f]+)"', text)
    return (re.search(r'name="csrf_token" value="([^"]+)"', text).group(1),
            key.group(1) if key else secrets.token_hex(16))


def record(client, path, **fields):
    """Post a record form (fresh token and request key unless given)."""
    token, key = form_key(client, path)
    fields.setdefault("csrf_token", token)
    fields.setdefault("request_key", key)
    return client.post(path, data=fields)


def post(client, path, page, **fields):
    fields["csrf_token"] = csrf_token(client, page)
    return client.post(path, data=fields)


def count(iterator):
    with iterator as rows:
        return len(list(rows))


def text(response):
    return response.get_data(as_text=True)


# -- lists, pages and who sees them -------------------------------------------
def test_each_kind_is_listed_for_the_units_readers(client_as, db, ids):
    a_training(db, ids)
    db.add_drill(ids["E1"], ago(db), "火灾疏散", [ids["T1"]])
    db.add_visit(ids["C1"], ids["E1"], ago(db), "消防通道堵塞")
    db.submit_proposal(ids["A1"], "增设护栏", "二号轧机东侧")
    db.assign_cadre(ids["C1"], ids["E1"], ago(db, 60 * 24))
    expected = {"training": "岗前安全教育", "drill": "火灾疏散", "visit": "消防通道堵塞",
                "proposal": "增设护栏", "assignment": "赵工会"}
    for who in ("A1", "S1", "C1"):
        client = client_as(who)
        for kind, title in expected.items():
            r = client.get("/activities?kind=" + kind)
            assert r.status_code == 200 and title in text(r), (who, kind)
    page = text(client_as("A1").get("/activities"))
    assert "岗前安全教育" in page and 'aria-current="page">安全培训' in page  # training first
    other = client_as("B2")  # 重汽's worker reads 重汽 only
    for kind, title in expected.items():
        r = other.get("/activities?kind=" + kind)
        assert r.status_code == 200 and title not in text(r), kind


def test_a_unit_outside_the_read_scope_is_404(client_as, db, ids):
    t = a_training(db, ids)
    made = {"training": t, "drill": db.add_drill(ids["E1"], ago(db), "火灾疏散", [ids["T1"]]),
            "visit": db.add_visit(ids["C1"], ids["E1"], ago(db), "消防通道堵塞"),
            "proposal": db.submit_proposal(ids["A1"], "增设护栏", "二号轧机东侧"),
            "assignment": db.assign_cadre(ids["C1"], ids["E1"], ago(db, 60 * 24))}
    other = client_as("B2")
    for kind, record_id in made.items():
        path = "/activities/%s/%d" % (kind, record_id)
        assert client_as("A1").get(path).status_code == 200, path
        assert other.get(path).status_code == 404, path
    for path in ("/activities?unit=%d" % ids["E1"], "/activities?unit=%d" % ids["T1"],
                 "/activities/training/new?unit=%d" % ids["E1"],
                 "/activities/compliance?unit=%d" % ids["E1"], "/activities?unit=999999",
                 "/activities/training/999999", "/activities/nonsense/1",
                 "/activities/nonsense/new", "/activities?kind=nonsense"):
        assert other.get(path).status_code == 404, path
    assert other.get("/activities?unit=x").status_code == 400
    assert client_as("A1").get("/activities/training/%d" % t).status_code == 200
    assert client_as("C1").get("/activities/training/%d" % t).status_code == 200  # the region


def test_the_unit_and_period_narrow_the_list(client_as, db, ids):
    a_training(db, ids, "T1", title="甲班培训")
    a_training(db, ids, "T3", (("S1", True),), title="科室培训")
    client = client_as("S1")
    page = text(client.get("/activities?unit=%d" % ids["W1"]))
    assert "甲班培训" in page and "科室培训" not in page
    year = db.now().year
    assert "甲班培训" in text(client.get("/activities?period=%d" % year))
    assert "甲班培训" not in text(client.get("/activities?period=%d" % (year - 1)))
    r = client.get("/activities?period=someday")
    assert r.status_code == 400 and 'class="error"' in text(r)


# Who is offered each form, on which unit (the library's cbc_activity_may_record).
OFFERED = [
    ("training", "T1", "L1", True), ("training", "T1", "S1", True), ("training", "T1", "C1", True),
    ("training", "T1", "A1", False), ("training", "T3", "L1", False),
    ("drill", "E1", "S1", True), ("drill", "E1", "C1", True), ("drill", "E1", "L1", False),
    ("drill", "T1", "S1", False),  # a team holds no drill
    ("visit", "E1", "C1", True), ("visit", "E1", "S1", False),
    ("proposal", "T1", "A1", True), ("proposal", "E2", "B2", True),
    ("assignment", "E1", "C1", True), ("assignment", "E1", "P1", False),
    ("assignment", "T1", "C1", False),  # enterprises and regions only
]


@pytest.mark.parametrize("kind, unit, who, offered", OFFERED)
def test_each_form_is_offered_to_who_may_use_it(client_as, ids, kind, unit, who, offered):
    client = client_as(who)
    r = client.get("/activities/%s/new?unit=%d" % (kind, ids[unit]))
    assert r.status_code == (200 if offered else 403)
    assert ('id="record-form"' in text(r)) is offered
    assert ('id="not-allowed"' in text(r)) is not offered
    listing = text(client.get("/activities?kind=%s&unit=%d" % (kind, ids[unit])))
    assert ('id="add-record"' in listing) is offered


def test_the_drill_form_lists_the_teams(client_as, ids):
    drill = text(client_as("S1").get("/activities/drill/new?unit=%d" % ids["E1"]))
    assert drill.count('name="team_ids"') == 2 and "甲班" in drill and "科室" in drill


def test_a_worker_may_not_record_a_training(client_as, db, ids):
    worker = client_as("A1")
    path = "/activities/training/new?unit=%d" % ids["T1"]
    assert 'id="add-record"' not in text(worker.get("/activities?unit=%d" % ids["T1"]))
    r = record(worker, path, kind="ALL_STAFF", title="班前会", held_at=minutes_ago(db),
               minutes="30", passed="A1")  # a forged post
    assert r.status_code == 403 and 'id="form-error"' in text(r)
    assert "not allowed" in text(r)  # the library's message
    assert count(db.trainings(with_voided=True)) == 0
    path = "/activities/assignment/new?unit=%d" % ids["E1"]
    start = db.now().date().isoformat()
    r = record(client_as("P1"), path, cadre_id="C1", start=start)  # the enterprise assigns none
    assert r.status_code == 403 and count(db.cadre_assignments()) == 0
    assert record(client_as("C1"), path, cadre_id="C1", start=start).status_code == 302


# -- recording ------------------------------------------------------------------
def test_a_training_is_recorded_with_its_attendees_once(client_as, db, ids):
    leader = client_as("L1")
    path = "/activities/training/new?unit=%d" % ids["T1"]
    token, key = form_key(leader, path)
    fields = dict(csrf_token=token, request_key=key, kind="ALL_STAFF", title="班前会安全教育",
                  held_at=minutes_ago(db), minutes="45", passed="A1", failed="L1")
    r = leader.post(path, data=fields)
    assert r.status_code == 302, text(r)
    (t,) = list(db.trainings(ids["T1"]))
    assert r.headers["Location"].endswith("/activities/training/%d" % t.id)
    got = db.training(t.id)
    assert got.title == "班前会安全教育" and got.minutes == 45
    assert sorted((a.employee_id, a.passed) for a in got.attendees) == \
        sorted([(ids["A1"], True), (ids["L1"], False)])
    assert leader.post(path, data=fields).status_code == 302  # a double submit
    assert count(db.trainings()) == 1
    page = text(leader.get(r.headers["Location"]))
    assert "王芳" in page and "不合格" in page and "班前会安全教育" in page


def test_a_refused_training_changes_nothing(client_as, db, ids):
    leader = client_as("L1")
    path = "/activities/training/new?unit=%d" % ids["T1"]
    fields = dict(kind="ALL_STAFF", title="x", held_at=minutes_ago(db), minutes="45")
    r = record(leader, path, passed="B2", **fields)  # 重汽's worker: outside the unit
    assert r.status_code == 400 and 'id="form-error"' in text(r)
    r = record(leader, path, passed="NOBODY", **fields)
    assert r.status_code == 400 and "NOBODY" in text(r)
    r = record(leader, path, **dict(fields, minutes="0"))  # the library's 1..1440
    assert r.status_code == 400
    r = record(leader, path, **dict(fields, held_at=minutes_ago(db, -120)))  # in the future
    assert r.status_code == 400
    r = record(leader, path, **dict(fields, kind="NO_SUCH_KIND"))
    assert r.status_code == 400
    r = record(leader, path, **dict(fields, minutes=""))
    assert r.status_code == 400 and "请填写" in text(r)
    assert count(db.trainings(with_voided=True)) == 0


def test_a_drill_names_its_teams(client_as, db, ids):
    officer = client_as("S1")
    r = record(officer, "/activities/drill/new?unit=%d" % ids["E1"], scenario="火灾疏散",
               held_at=minutes_ago(db), team_ids=[str(ids["T1"]), str(ids["T3"])])
    assert r.status_code == 302, text(r)
    (d,) = list(db.drills())
    assert db.drill(d.id).team_ids == sorted([ids["T1"], ids["T3"]])
    # a team holds no drills; another enterprise's team may not take part
    r = record(officer, "/activities/drill/new?unit=%d" % ids["T1"], scenario="x",
               held_at=minutes_ago(db))
    assert r.status_code == 400 and 'id="form-error"' in text(r)
    r = record(officer, "/activities/drill/new?unit=%d" % ids["E1"], scenario="x",
               held_at=minutes_ago(db), team_ids=[str(ids["T4"])])
    assert r.status_code == 400
    assert count(db.drills()) == 1


def test_a_visit_is_the_cadres_own(client_as, db, ids):
    path = "/activities/visit/new?unit=%d" % ids["E1"]
    r = record(client_as("C1"), path, visited_at=minutes_ago(db), findings="消防通道堵塞")
    assert r.status_code == 302, text(r)
    (v,) = list(db.visits())
    assert v.cadre_id == ids["C1"] and v.unit_id == ids["E1"]
    r = record(client_as("A1"), path, visited_at=minutes_ago(db), findings="x")  # not a cadre
    assert r.status_code == 400 and 'id="form-error"' in text(r)
    assert count(db.visits()) == 1


def test_a_proposal_is_decided_once_by_who_may(client_as, db, ids):
    worker = client_as("A1")
    r = record(worker, "/activities/proposal/new", title="增设护栏", text="二号轧机东侧")
    assert r.status_code == 302, text(r)
    (p,) = list(db.proposals())
    assert p.proposer_id == ids["A1"] and p.unit_id == ids["T1"]  # their own team
    page = "/activities/proposal/%d" % p.id
    shown = text(worker.get(page))
    assert 'id="form-decide"' not in shown and 'id="form-void"' in shown  # withdraw it
    r = post(worker, page + "/decide", page, adopted="1")  # a forged post
    assert r.status_code == 403 and 'id="form-error"' in text(r)
    assert db.proposal(p.id).status is cbc.ProposalStatus.SUBMITTED
    officer = client_as("S1")
    assert 'id="form-decide"' in text(officer.get(page))
    r = post(officer, page + "/decide", page, adopted="1", note="已列入计划")
    assert r.status_code == 302
    got = db.proposal(p.id)
    assert got.status is cbc.ProposalStatus.ADOPTED and got.decided_by == ids["S1"]
    assert 'id="form-decide"' not in text(officer.get(page))
    assert 'id="form-void"' not in text(worker.get(page))  # decided: no longer withdrawn
    r = post(officer, page + "/decide", page, adopted="0")
    assert r.status_code == 409 and db.proposal(p.id) == got
    r = record(worker, "/activities/proposal/new", title="", text="x")
    assert r.status_code == 400 and count(db.proposals()) == 1


def test_an_assignment_is_made_and_ended(client_as, db, ids):
    cadre = client_as("C1")
    path = "/activities/assignment/new?unit=%d" % ids["E1"]
    today = db.now().date()
    r = record(cadre, path, cadre_id="C1", start=(today - datetime.timedelta(days=30)).isoformat())
    assert r.status_code == 302, text(r)
    (a,) = list(db.cadre_assignments())
    assert a.cadre_id == ids["C1"] and a.end is None
    r = record(cadre, path, cadre_id="C1", start=today.isoformat())  # overlaps
    assert r.status_code == 409
    r = record(cadre, path, cadre_id="A1", start=today.isoformat())  # not a cadre
    assert r.status_code == 400
    r = record(cadre, path, cadre_id="C1", start=today.isoformat(),
               end=(today - datetime.timedelta(days=60)).isoformat())  # inverted
    assert r.status_code == 400
    assert count(db.cadre_assignments()) == 1
    page = "/activities/assignment/%d" % a.id
    principal = client_as("P1")
    shown = text(principal.get(page))
    assert 'id="form-release"' not in shown and 'id="form-void"' not in shown
    r = post(principal, page + "/release", page, at=today.isoformat())  # a forged post
    assert r.status_code == 403 and db.cadre_assignment(a.id).end is None
    assert 'id="form-release"' in text(cadre.get(page))
    r = post(cadre, page + "/release", page, at=today.isoformat())
    assert r.status_code == 302
    ended = db.cadre_assignment(a.id)
    assert ended.end.date() == today + datetime.timedelta(days=1)  # the last day counts whole
    assert 'id="form-release"' not in text(cadre.get(page))
    r = post(cadre, page + "/release", page, at=today.isoformat())
    assert r.status_code == 409 and db.cadre_assignment(a.id) == ended
    r = post(cadre, page + "/release", page, at="someday")
    assert r.status_code == 400


# -- voiding ---------------------------------------------------------------------
def test_a_mistaken_record_is_voided_and_shown_voided(client_as, db, ids):
    t = a_training(db, ids)
    page = "/activities/training/%d" % t
    worker = client_as("A1")
    assert 'id="form-void"' not in text(worker.get(page))
    assert 'id="form-void"' in text(client_as("S1").get(page))
    r = post(worker, page + "/void", page, reason="重复录入")  # forged: no authority over the unit
    assert r.status_code == 403 and 'id="form-error"' in text(r)
    officer = client_as("S1")
    r = post(officer, page + "/void", page, reason="")
    assert r.status_code == 400
    assert db.training(t).voided_at is None
    r = post(officer, page + "/void", page, reason="重复录入")
    assert r.status_code == 302
    got = db.training(t)
    assert got.voided_by == ids["S1"] and got.void_reason == "重复录入"
    shown = text(officer.get(page))
    assert 'id="voided"' in shown and "重复录入" in shown and 'id="form-void"' not in shown
    assert "岗前安全教育" not in text(officer.get("/activities"))
    listed = text(officer.get("/activities?voided=1"))
    assert "岗前安全教育" in listed and 'class="voided"' in listed
    r = post(officer, page + "/void", page, reason="再次作废")
    assert r.status_code == 409 and db.training(t) == got
    r = post(client_as("B2"), page + "/void", "/activities", reason="x")
    assert r.status_code == 404 and db.training(t) == got


def test_a_post_without_the_csrf_token_is_refused(client_as, db, ids):
    t = a_training(db, ids)
    p = db.submit_proposal(ids["A1"], "增设护栏", "x")
    a = db.assign_cadre(ids["C1"], ids["E1"], ago(db, 60 * 24))
    client = client_as("C1")
    _, key = form_key(client, "/activities/training/new")
    posts = [("/activities/training/new?unit=%d" % ids["T1"],
              dict(request_key=key, kind="ALL_STAFF", title="x", held_at=minutes_ago(db),
                   minutes="30")),
             ("/activities/training/%d/void" % t, dict(reason="x")),
             ("/activities/proposal/%d/decide" % p, dict(adopted="1")),
             ("/activities/assignment/%d/release" % a, dict(at=db.now().date().isoformat()))]
    for path, fields in posts:
        assert client.post(path, data=fields).status_code == 400, path
        assert client.post(path, data=dict(fields, csrf_token="forged")).status_code == 400
    assert count(db.trainings()) == 1 and db.training(t).voided_at is None
    assert db.proposal(p).status is cbc.ProposalStatus.SUBMITTED
    assert db.cadre_assignment(a).end is None
    token = csrf_token(client, "/activities")
    r = client.post(posts[0][0], data=dict(posts[0][1], csrf_token=token, request_key="x"))
    assert r.status_code == 400 and count(db.trainings()) == 1  # a bad request key


# -- compliance ------------------------------------------------------------------
def test_the_compliance_lists_name_people_and_units(client_as, db, ids):
    db.employee_upsert(external_id="N1", name="新员工", unit_external_id="T1",
                       roles=cbc.Role.WORKER, hire_date=db.now() - datetime.timedelta(days=10))
    a_training(db, ids, "T1", (("A1", True), ("L1", False)))
    db.add_drill(ids["E1"], ago(db), "火灾疏散", [ids["T1"]])
    client = client_as("S1")
    r = client.get("/activities/compliance")
    assert r.status_code == 200
    page = text(r)
    untrained = page.split('id="untrained"')[1].split("</table>")[0]
    assert "李强" in untrained and "孙华" in untrained and "王芳" not in untrained
    assert "陈静" not in untrained  # 重汽
    needs = page.split('id="needs"')[1].split("</table>")[0]
    assert "新员工" in needs and "三级教育未完成" in needs and "三级教育（厂级）" in needs
    gaps = page.split('id="gaps"')[1].split("</table>")[0]
    assert "济钢" in gaps and "（企业全年）" in gaps and "甲班" in gaps and "科室" in gaps
    team = text(client.get("/activities/compliance?unit=%d" % ids["T1"]))
    assert "孙华" not in team.split('id="untrained"')[1].split("</table>")[0]
    last_year = text(client.get("/activities/compliance?year=%d" % (db.now().year - 1)))
    assert "王芳" in last_year.split('id="untrained"')[1].split("</table>")[0]
    assert client.get("/activities/compliance?year=20x6").status_code == 400


@pytest.mark.parametrize("path", ["/activities", "/activities/compliance",
                                  "/activities/training/new"])
def test_anonymous_visitors_are_sent_to_sign_in(anonymous, path):
    r = anonymous.get(path)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
