"""What an outside review tried: ids and numbers no form gives (0, huge,
Unicode digits), dates at the calendar's end, query keys that are
url_for's own, and form errors that would name another enterprise's
people or teams.  Each is a 400 or 404 with nothing changed, never a 500,
and no link of the page is rewritten."""
import pytest

import cbc
from conftest import csrf_token
from test_activities import minutes_ago, record
from test_moves import post, report

HUGE = "9" * 25


@pytest.fixture
def app(db_path, upload_dir):
    """The app with errors as real 500s (testing off), as a server runs it."""
    from cbcweb import create_app
    return create_app(str(db_path), proxy_header="X-Employee-Id", secret_key="test-secret",
                      upload_dir=str(upload_dir), testing=False)


def text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path, status", [
    ("/hazards/0", 404), ("/hazards/%s" % HUGE, 404), ("/hazards/1/files/5000", 404),
    ("/hazards/%s/files/0" % HUGE, 404), ("/org/employees/%s" % HUGE, 404),
    ("/rewards/awards/%s" % HUGE, 404), ("/rewards/hazards/0", 404),
    ("/activities/training/%s" % HUGE, 404),
    ("/ledger?unit=%C2%B2", 400), ("/ledger?unit=0", 400), ("/ledger?unit=" + HUGE, 400),
    ("/stats?unit=0", 400), ("/org?unit=%EF%BC%91", 400), ("/ledger.csv?unit=0", 400),
    ("/org?after=%s.1" % HUGE, 400), ("/org?after=1.0", 400),
    ("/ledger?to=9999-12-31", 400), ("/ledger.xlsx?to=9999-12-31", 400),
    ("/activities/compliance?year=%C2%B2", 400),
])
def test_ids_and_dates_no_form_gives(client_as, path, status):
    assert client_as("S1").get(path).status_code == status, path


@pytest.mark.parametrize("query", ["kind=x", "endpoint=x", "_method=x", "name=x",
                                   "_external=1&_anchor=x", "_scheme=javascript"])
def test_query_keys_do_not_rewrite_links(client_as, ids, query):
    r = client_as("S1").get("/ledger?%s" % query)
    assert r.status_code == 200
    assert "http://" not in text(r) and "javascript:" not in text(r)
    assert 'href="/ledger?' in text(r)  # the picker's and paging links stay on the site
    assert client_as("C1").get("/org?%s" % query).status_code == 200


def test_numbers_in_activity_forms(client_as, db, ids):
    officer = client_as("S1")
    r = record(officer, "/activities/training/new?unit=%d" % ids["E1"], kind="ALL_STAFF",
               title="班前会", held_at=minutes_ago(db), minutes="\u00b2", passed="A1")
    assert r.status_code == 400 and "整数" in text(r)
    r = record(client_as("C1"), "/activities/assignment/new?unit=%d" % ids["E1"],
               cadre_id="C1", start=db.now().date().isoformat(), end="9999-12-31")
    assert r.status_code == 400 and "日期超出范围" in text(r)
    with db.trainings() as rows, db.cadre_assignments() as more:
        assert list(rows) == [] and list(more) == []


def test_a_report_into_a_unit_no_form_gives(client_as, db):
    from conftest import report_fields
    worker = client_as("A1")
    r = worker.post("/report", data=report_fields(worker, unit_id=HUGE))
    assert r.status_code == 400
    assert list(db.hazards()) == []


def test_form_errors_do_not_name_another_enterprise(client_as, db, ids):
    """A responsible person or a drill's team from another enterprise is
    refused as one that does not exist: the page names nobody there."""
    h = report(db, ids)
    r = post(client_as("L1"), h, "register", severity="GENERAL", level="TEAM", measures="x",
             deadline="2099-01-01", contingency_plan="y", responsible_id="B2")
    assert r.status_code == 400 and "没有工号为 B2 的职工" in text(r) and "陈静" not in text(r)
    assert db.hazard(h).state is cbc.HazardState.REPORTED
    r = record(client_as("S1"), "/activities/drill/new?unit=%d" % ids["E1"], scenario="x",
               held_at=minutes_ago(db), team_ids=[str(ids["T4"])])
    assert r.status_code == 400 and "班组无效" in text(r) and "丙班" not in text(r)
    r = client_as("S1").post("/rewards/fines", data={
        "csrf_token": csrf_token(client_as("S1"), "/rewards/fines"), "employee": "B2",
        "amount": "10", "reason": "x", "violation": "y"})
    assert "陈静" not in text(r)
