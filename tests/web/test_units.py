"""The unit picker (cbcweb/units.py): the query's unit when readable, else
the read scope; breadcrumbs from the scope; children capped; URLs that keep
the query."""
import pytest
from werkzeug.exceptions import HTTPException

from cbcweb import units


def _in_request(app, who, query=""):
    ctx = app.test_request_context("/ledger" + query, headers={"X-Employee-Id": who})
    ctx.push()
    app.preprocess_request()  # signs the proxy's employee in
    return ctx


def _status(call):
    with pytest.raises(HTTPException) as e:
        call()
    return e.value.code


def test_the_default_is_the_read_scope(app, ids):
    ctx = _in_request(app, "S1")
    try:
        assert units.chosen_unit_id() == ids["E1"]
        p = units.picker(ids["E1"])
        assert [u.id for u in p.path] == [ids["E1"]]
        assert [u.id for u in p.children] == [ids["W1"], ids["W2"]] and not p.more
    finally:
        ctx.pop()


def test_a_readable_unit_has_crumbs_from_the_scope(app, ids):
    ctx = _in_request(app, "S1", "?unit=%d&state=CLOSED&after=xyz" % ids["T1"])
    try:
        assert units.chosen_unit_id() == ids["T1"]
        p = units.picker(ids["T1"])
        assert [u.id for u in p.path] == [ids["E1"], ids["W1"], ids["T1"]]
        assert p.children == []
        url = units.url_with_unit(ids["W1"])
        assert url.startswith("/ledger?") and "unit=%d" % ids["W1"] in url
        assert "state=CLOSED" in url and "after" not in url
    finally:
        ctx.pop()


@pytest.mark.parametrize("query, code", [("?unit=abc", 400), ("?unit=-1", 400),
                                         ("?unit=999999", 404), ("?unit=E2", 400)])
def test_bad_units(app, query, code):
    ctx = _in_request(app, "S1", query)
    try:
        assert _status(units.chosen_unit_id) == code
    finally:
        ctx.pop()


def test_another_enterprise_is_a_404(app, ids):
    ctx = _in_request(app, "S1", "?unit=%d" % ids["W3"])
    try:
        assert _status(units.chosen_unit_id) == 404
    finally:
        ctx.pop()


def test_children_are_capped(app, db, ids, monkeypatch):
    monkeypatch.setattr(units, "MAX_CHILDREN", 1)
    ctx = _in_request(app, "C1")
    try:
        p = units.picker(ids["R1"])
        assert [u.id for u in p.children] == [ids["E1"]] and p.more
    finally:
        ctx.pop()
