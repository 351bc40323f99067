"""The moves on a hazard's page: each form is shown only when the library
lets the signed-in person make the move now; a posted move goes through the
library, which refuses what it does not allow (the form's absence is no
protection: a forged post is refused and changes nothing); a whole general
lifecycle through the forms; bad fields refused before the library."""
import datetime
import io
import os
import re

import pytest

import cbc
from cbcweb import uploads
from conftest import JPEG, PNG, csrf_token


def report(db, ids, reporter="A1", title="护栏缺失"):
    return db.report(ids["T1"], title, cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                     cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                     reporter_id=ids[reporter])[0]


def offered(client, hazard_id):
    """The moves the hazard's page offers, by the forms' ids."""
    text = client.get("/hazards/%d" % hazard_id).get_data(as_text=True)
    return set(re.findall(r'id="move-([a-z_]+)"', text))


def post(client, hazard_id, move, photos=None, **fields):
    fields["csrf_token"] = csrf_token(client, "/hazards/%d" % hazard_id)
    if photos is None:
        return client.post("/hazards/%d/moves/%s" % (hazard_id, move), data=fields)
    fields["photos"] = [(io.BytesIO(content), name) for content, name in photos]
    return client.post("/hazards/%d/moves/%s" % (hazard_id, move), data=fields,
                       content_type="multipart/form-data")


def in_a_week():
    return (datetime.date.today() + datetime.timedelta(days=7)).isoformat()


def test_the_forms_are_the_librarys_moves(client_as, db, ids):
    h = report(db, ids)
    for who in ("A1", "L1", "S1", "P1", "C1"):
        expected = {a.name.lower() for a in db.hazard_moves(h, ids[who])}
        assert offered(client_as(who), h) == expected, who
    assert offered(client_as("L1"), h) == {"register", "reject"}
    assert offered(client_as("A1"), h) == set()  # the reporter, a worker


def test_a_whole_general_lifecycle(client_as, db, ids):
    h = report(db, ids)
    leader = client_as("L1")
    r = post(leader, h, "register", severity="GENERAL", level="TEAM", measures="加装护栏",
             funds_fen="1200.5", deadline=in_a_week(), contingency_plan="设警示带")
    assert r.status_code == 302, r.get_data(as_text=True)
    got = db.hazard(h)
    assert got.state is cbc.HazardState.REGISTERED and got.funds_fen == 120050
    assert got.responsible_id == ids["L1"] and got.deadline.date().isoformat() == in_a_week()
    assert post(leader, h, "start").status_code == 302
    assert post(leader, h, "submit", note="护栏已装").status_code == 302
    assert "verify_pass" not in offered(leader, h)  # nobody verifies what they submitted
    officer = client_as("S1")
    assert {"verify_pass", "verify_fail"} <= offered(officer, h)
    assert post(officer, h, "verify_pass", note="合格").status_code == 302
    assert db.hazard(h).state is cbc.HazardState.CLOSED
    page = leader.get("/hazards/%d" % h).get_data(as_text=True)
    assert "已验收通过" in page or "验收" in page
    assert 'href="/rewards/hazards/%d" id="reward-link"' % h in page  # closed: its reward
    actions = [e.action for e in db.hazard_history(h)]
    assert actions == [cbc.HazardAction.REPORT, cbc.HazardAction.REGISTER,
                       cbc.HazardAction.START, cbc.HazardAction.SUBMIT,
                       cbc.HazardAction.VERIFY_PASS]
    assert all(e.actor_id in (ids["A1"], ids["L1"], ids["S1"]) for e in db.hazard_history(h))


def test_a_forged_move_is_refused_and_changes_nothing(client_as, db, ids):
    h = report(db, ids)
    worker = client_as("A1")
    before = db.hazard(h)
    r = post(worker, h, "register", severity="GENERAL", level="TEAM", measures="x",
             deadline=in_a_week(), contingency_plan="y")
    assert r.status_code == 403 and "not allowed" in r.get_data(as_text=True)
    assert "没有权限：" in r.get_data(as_text=True)  # the kind in Chinese, then the rule
    r = post(worker, h, "reject", reason="不是隐患")
    assert r.status_code == 403
    assert db.hazard(h) == before and len(db.hazard_history(h)) == 1


def test_another_enterprise_cannot_even_see_the_form(client_as, db, ids):
    h = report(db, ids)
    other = client_as("B2")
    assert other.get("/hazards/%d" % h).status_code == 404
    r = other.post("/hazards/%d/moves/reject" % h,
                   data={"csrf_token": csrf_token(other), "reason": "x"})
    assert r.status_code == 404 and db.hazard(h).state is cbc.HazardState.REPORTED


def test_a_move_in_the_wrong_state_says_why(client_as, db, ids):
    h = report(db, ids)
    r = post(client_as("L1"), h, "start")
    assert r.status_code == 409 and db.hazard(h).state is cbc.HazardState.REPORTED
    assert "当前状态不允许该操作：" in r.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    (dict(deadline="next week"), "日期格式"),
    (dict(funds_fen="12.345"), "金额"),
    (dict(funds_fen="-5"), "金额"),
    (dict(funds_fen="\u00b2"), "金额"),      # a digit to str.isdigit(), not to int()
    (dict(funds_fen="\uff11\uff12"), "金额"),  # full-width digits
    (dict(responsible_id="NOBODY"), "没有工号"),
    (dict(measures=""), "请填写"),
])
def test_bad_fields_are_refused_before_the_library(client_as, db, ids, fields, message):
    h = report(db, ids)
    data = dict(severity="GENERAL", level="TEAM", measures="加装护栏", deadline=in_a_week(),
                contingency_plan="设警示带")
    data.update(fields)
    r = post(client_as("L1"), h, "register", **data)
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    assert db.hazard(h).state is cbc.HazardState.REPORTED


def test_an_unknown_enum_name_is_the_librarys_refusal(client_as, db, ids):
    h = report(db, ids)
    r = post(client_as("L1"), h, "register", severity="HUGE", level="TEAM", measures="x",
             deadline=in_a_week(), contingency_plan="y")
    assert r.status_code == 400 and "HUGE" in r.get_data(as_text=True)


def test_unknown_moves_and_missing_tokens(client_as, db, ids):
    h = report(db, ids)
    leader = client_as("L1")
    assert post(leader, h, "report").status_code == 404  # not a move on a hazard
    assert post(leader, h, "no_such_move").status_code == 404
    r = leader.post("/hazards/%d/moves/reject" % h, data={"reason": "x"})
    assert r.status_code == 400 and db.hazard(h).state is cbc.HazardState.REPORTED


def test_extension_and_correction(client_as, db, ids):
    h = report(db, ids)
    leader = client_as("L1")
    assert post(leader, h, "register", severity="GENERAL", level="TEAM", measures="加装护栏",
                deadline=in_a_week(), contingency_plan="设警示带").status_code == 302
    later = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    assert post(leader, h, "request_extension", new_deadline=later,
                reason="等备件").status_code == 302
    assert "decide_extension" not in offered(leader, h)  # decided above the team
    assert post(client_as("S1"), h, "decide_extension", approve="1",
                reason="同意").status_code == 302
    assert db.hazard(h).deadline.date().isoformat() == later
    assert post(leader, h, "amend", reason="措施写错", measures="更换护栏").status_code == 302
    got = db.hazard(h)
    assert got.measures == "更换护栏" and got.deadline.date().isoformat() == later


# -- evidence photos on submit and verify ---------------------------------

def stored(upload_dir):
    return sorted(os.listdir(upload_dir)) if os.path.isdir(upload_dir) else []


def registered_and_started(client_as, db, ids):
    h = report(db, ids)
    leader = client_as("L1")
    assert post(leader, h, "register", severity="GENERAL", level="TEAM", measures="加装护栏",
                deadline=in_a_week(), contingency_plan="设警示带").status_code == 302
    assert post(leader, h, "start").status_code == 302
    return h


def test_the_evidence_forms_take_photos(client_as, db, ids):
    h = registered_and_started(client_as, db, ids)
    text = client_as("L1").get("/hazards/%d" % h).get_data(as_text=True)
    submit = text[text.index('id="move-submit"'):]
    submit = submit[:submit.index("</form>")]
    assert 'enctype="multipart/form-data"' in submit and 'type="file" name="photos"' in submit
    request_extension = text[text.index('id="move-request_extension"'):]
    assert 'name="photos"' not in request_extension[:request_extension.index("</form>")]


def test_submit_and_verify_keep_their_photos_by_stage(client_as, db, ids, upload_dir):
    h = registered_and_started(client_as, db, ids)
    r = post(client_as("L1"), h, "submit", photos=[(JPEG, "a.jpg"), (PNG, "b.png")],
             note="护栏已装")
    assert r.status_code == 302, r.get_data(as_text=True)
    r = post(client_as("S1"), h, "verify_fail", photos=[(PNG, "c.png")], note="高度不够")
    assert r.status_code == 302, r.get_data(as_text=True)
    atts = db.hazard(h).attachments
    assert [a.stage for a in atts] == [cbc.AttachmentStage.RECTIFICATION] * 2 + [
        cbc.AttachmentStage.VERIFICATION]
    assert [a.media_type for a in atts] == ["image/jpeg", "image/png", "image/png"]
    assert [a.added_by for a in atts] == [ids["L1"], ids["L1"], ids["S1"]]
    assert stored(upload_dir) == sorted(a.uri for a in atts)  # random names, nothing else
    assert all(a.uri not in ("a.jpg", "b.png", "c.png") for a in atts)
    page = client_as("A1").get("/hazards/%d" % h).get_data(as_text=True)
    rect = page[page.index('id="photos-rectification"'):page.index('id="photos-verification"')]
    assert rect.count("<img") == 2 and "/hazards/%d/files/0" % h in rect
    verification = page[page.index('id="photos-verification"'):]
    assert "/hazards/%d/files/2" % h in verification[:verification.index("</ul>")]
    assert page.index(cbc.AttachmentStage.RECTIFICATION.label) < page.index(
        cbc.AttachmentStage.VERIFICATION.label)
    assert client_as("A1").get("/hazards/%d/files/2" % h).data == PNG


def test_verify_pass_takes_photos(client_as, db, ids, upload_dir):
    h = registered_and_started(client_as, db, ids)
    assert post(client_as("L1"), h, "submit", note="护栏已装").status_code == 302
    r = post(client_as("S1"), h, "verify_pass", photos=[(JPEG, "ok.jpg")], note="")
    assert r.status_code == 302
    got = db.hazard(h)
    assert got.state is cbc.HazardState.CLOSED
    assert [a.stage for a in got.attachments] == [cbc.AttachmentStage.VERIFICATION]
    assert len(stored(upload_dir)) == 1


@pytest.mark.parametrize("who, move, status", [
    ("L1", "verify_pass", 403),   # nobody verifies what they submitted
    ("A1", "verify_fail", 403),   # a worker
    ("S1", "submit", 409),        # already submitted
])
def test_a_refused_move_keeps_no_photo(client_as, db, ids, upload_dir, who, move, status):
    h = registered_and_started(client_as, db, ids)
    assert post(client_as("L1"), h, "submit", note="护栏已装").status_code == 302
    before, events = db.hazard(h), len(db.hazard_history(h))
    r = post(client_as(who), h, move, photos=[(JPEG, "x.jpg"), (PNG, "y.png")], note="看过")
    assert r.status_code == status
    assert 'id="move-error"' in r.get_data(as_text=True)
    assert db.hazard(h) == before and len(db.hazard_history(h)) == events
    assert stored(upload_dir) == []


@pytest.mark.parametrize("photos, fields, message", [
    ([(b"GIF89a" + b"\0" * 32, "x.jpg")], {"note": "好了"}, "不是 JPEG"),
    ([(JPEG, "x.gif")], {"note": "好了"}, "只收"),
    ([(JPEG, "p%d.jpg" % i) for i in range(uploads.MAX_FILES + 1)], {"note": "好了"}, "最多"),
    ([(JPEG, "x.jpg")], {"note": ""}, "请填写"),
])
def test_bad_photos_or_fields_store_nothing(client_as, db, ids, upload_dir, photos, fields,
                                            message):
    h = registered_and_started(client_as, db, ids)
    r = post(client_as("L1"), h, "submit", photos=photos, **fields)
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    assert db.hazard(h).state is cbc.HazardState.RECTIFYING and db.hazard(h).attachments == []
    assert stored(upload_dir) == []


def test_a_busy_database_keeps_no_photo(client_as, db, ids, upload_dir, monkeypatch):
    h = registered_and_started(client_as, db, ids)

    def busy(*args, **kwargs):
        raise cbc.BusyError(cbc.ErrorCode.EBUSY, "database is locked")
    monkeypatch.setattr(cbc.Database, "submit", busy)
    r = post(client_as("L1"), h, "submit", photos=[(JPEG, "x.jpg")], note="好了")
    assert r.status_code == 503 and stored(upload_dir) == []


def test_photos_on_a_move_without_evidence_are_ignored(client_as, db, ids, upload_dir):
    h = report(db, ids)
    r = post(client_as("L1"), h, "reject", photos=[(JPEG, "x.jpg")], reason="不是隐患")
    assert r.status_code == 302 and stored(upload_dir) == [] and db.hazard(h).attachments == []
