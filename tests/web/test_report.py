"""The worker's pages: 随手拍 with photos (the limits), the anonymous
tip-off's key shown once, a double submit reporting once, my reports with
their answers, an answer looked up by key; CSRF refused with nothing changed."""
import hashlib
import io
import os
import re

import pytest

import cbc
from cbcweb import uploads
from conftest import JPEG, PNG, WEBP, csrf_token, report_fields


def photo(content=JPEG, name="photo.jpg"):
    return (io.BytesIO(content), name)


def stored_files(upload_dir):
    return sorted(os.listdir(upload_dir)) if os.path.isdir(upload_dir) else []


def test_the_form_offers_the_libraries_choices(client_as, ids):
    text = client_as("A1").get("/report").get_data(as_text=True)
    for enum in (cbc.CheckItem, cbc.HazardKind, cbc.HazardCategory, cbc.Severity):
        for member in enum:
            assert '<option value="%s"' % member.name in text
            assert member.label in text
    # the unit defaults to the reporter's own team; the other enterprise is not offered
    assert '<option value="%d" selected>甲班</option>' % ids["T1"] in text
    assert "丙班" not in text


def test_a_report_with_photos(client_as, db, ids, upload_dir):
    client = client_as("A1")
    fields = report_fields(client, photos=[photo(JPEG, "a.jpg"), photo(PNG, "b.PNG"),
                                           photo(WEBP, "c.webp")])
    r = client.post("/report", data=fields, content_type="multipart/form-data")
    assert r.status_code == 302 and r.headers["Location"] == "/mine"
    (h,) = list(db.hazards())
    assert (h.reporter_id, h.unit_id, h.source) == (ids["A1"], ids["T1"], cbc.HazardSource.SNAPSHOT)
    assert (h.title, h.location, h.check_item) == ("护栏缺失", "二号轧机东侧",
                                                   cbc.CheckItem.EQUIPMENT_GUARDING)
    atts = db.hazard(h.id).attachments
    assert [a.media_type for a in atts] == ["image/jpeg", "image/png", "image/webp"]
    assert [a.sha256 for a in atts] == [hashlib.sha256(c).hexdigest() for c in (JPEG, PNG, WEBP)]
    assert sorted(a.uri for a in atts) == stored_files(upload_dir)
    for a in atts:
        assert re.fullmatch(r"[0-9a-f]{32}\.(jpg|png|webp)", a.uri)
    static = os.path.join(os.path.dirname(uploads.__file__), "static")
    assert not any(a.uri in files for _, _, files in os.walk(static))


def test_a_double_submit_reports_once(client_as, db, upload_dir):
    client = client_as("A1")
    fields = report_fields(client)
    again = dict(fields)
    fields["photos"] = [photo()]
    again["photos"] = [photo()]
    first = client.post("/report", data=fields, content_type="multipart/form-data")
    second = client.post("/report", data=again, content_type="multipart/form-data")
    assert first.status_code == second.status_code == 302
    assert db.hazard_count() == 1
    assert len(stored_files(upload_dir)) == 1


def test_an_anonymous_tip_off_shows_its_key_once(client_as, db):
    client = client_as("A1")
    r = client.post("/report", data=report_fields(client, title="夜班脱岗", anonymous="1"))
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    key = re.search(r'id="follow-up-key">([^<]+)<', r.get_data(as_text=True)).group(1)
    (h,) = list(db.hazards())
    assert (h.reporter_id, h.source) == (0, cbc.HazardSource.HOTLINE)
    assert db.answer_by_key(key).hazard_id == h.id
    for path in ("/", "/mine", "/answer", "/report", "/ledger", "/hazards/%d" % h.id):
        assert key not in client.get(path).get_data(as_text=True), path
    found = client.post("/answer", data={"csrf_token": csrf_token(client), "key": key})
    assert found.status_code == 200 and "夜班脱岗" in found.get_data(as_text=True)


def test_an_unknown_key_finds_nothing(client_as):
    client = client_as("A1")
    r = client.post("/answer", data={"csrf_token": csrf_token(client), "key": "no-such-key"})
    assert r.status_code == 404 and "没有找到" in r.get_data(as_text=True)


def test_my_reports_show_each_answer(client_as, db, ids):
    client = client_as("A1")
    client.post("/report", data=report_fields(client, title="我的第一条"))
    other = client_as("L1")
    other.post("/report", data=report_fields(other, title="别人的"))
    mine = next(h for h in db.hazards() if h.reporter_id == ids["A1"])
    db.reject(mine.id, ids["L1"], reason="不属于隐患")
    text = client.get("/mine").get_data(as_text=True)
    assert "我的第一条" in text and "别人的" not in text
    assert db.answer(mine.id, ids["A1"]).answer in text
    assert cbc.HazardState.REJECTED.label in text


def refused(client, db, upload_dir, r, status=400):
    assert r.status_code == status
    assert db.hazard_count() == 0
    assert stored_files(upload_dir) == []


def test_too_many_photos_are_refused(client_as, db, upload_dir):
    client = client_as("A1")
    fields = report_fields(client, photos=[photo() for _ in range(uploads.MAX_FILES + 1)])
    r = client.post("/report", data=fields, content_type="multipart/form-data")
    refused(client, db, upload_dir, r)
    assert "最多上传" in r.get_data(as_text=True)


def test_a_photo_too_large_is_refused(client_as, db, upload_dir):
    client = client_as("A1")
    big = JPEG + b"\x00" * (uploads.MAX_FILE_BYTES + 1 - len(JPEG))
    fields = report_fields(client, photos=[photo(), photo(big)])
    refused(client, db, upload_dir,
            client.post("/report", data=fields, content_type="multipart/form-data"))


def test_a_photo_of_exactly_the_limit_is_taken(client_as, db, upload_dir):
    client = client_as("A1")
    exact = JPEG + b"\x00" * (uploads.MAX_FILE_BYTES - len(JPEG))
    fields = report_fields(client, photos=[photo(exact)])
    r = client.post("/report", data=fields, content_type="multipart/form-data")
    assert r.status_code == 302 and db.hazard(1).attachments[0].size == uploads.MAX_FILE_BYTES


def test_a_request_larger_than_all_photos_together_is_refused(client_as, db, upload_dir):
    client = client_as("A1")
    huge = b"\x00" * (uploads.MAX_FILES * uploads.MAX_FILE_BYTES + 2 * 1024 * 1024)
    fields = report_fields(client, photos=[photo(huge)])
    refused(client, db, upload_dir,
            client.post("/report", data=fields, content_type="multipart/form-data"), 413)


@pytest.mark.parametrize("content,name", [
    (b"GIF89a" + b"\x00" * 32, "photo.jpg"),           # the content is not what the name says
    (b"<html><script>alert(1)</script>", "photo.png"),
    (b"%PDF-1.7" + b"\x00" * 32, "photo.webp"),
    (b"RIFF\x20\x00\x00\x00WAVEfmt " + b"\x00" * 32, "photo.webp"),
    (JPEG, "photo.svg"),                                # an image, under a name we do not take
    (JPEG, "photo.html"),
])
def test_a_file_that_is_not_a_photo_is_refused(client_as, db, upload_dir, content, name):
    client = client_as("A1")
    fields = report_fields(client, photos=[photo(), photo(content, name)])
    r = client.post("/report", data=fields, content_type="multipart/form-data")
    refused(client, db, upload_dir, r)
    assert "JPEG" in r.get_data(as_text=True)


def test_a_report_the_library_refuses_keeps_no_photo(client_as, db, upload_dir):
    client = client_as("A1")
    fields = report_fields(client, title="", photos=[photo()])  # no title: the library's rule
    r = client.post("/report", data=fields, content_type="multipart/form-data")
    refused(client, db, upload_dir, r)


def test_a_report_into_another_enterprise_is_the_librarys_call(client_as, db, ids):
    client = client_as("A1")
    r = client.post("/report", data=report_fields(client, unit_id=str(ids["T4"])))
    # whatever the library decides, the app shows it: a report, or the refusal
    if r.status_code == 302:
        assert db.hazard_count(unit_id=ids["T4"]) == 1
    else:
        assert r.status_code in (400, 403) and db.hazard_count() == 0


@pytest.mark.parametrize("token", [None, "forged", "IjAwMDAi.AAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_report_without_a_valid_csrf_token_is_refused(client_as, db, upload_dir, token):
    client = client_as("A1")
    fields = report_fields(client, photos=[photo()])
    if token is None:
        del fields["csrf_token"]
    else:
        fields["csrf_token"] = token
    refused(client, db, upload_dir,
            client.post("/report", data=fields, content_type="multipart/form-data"))


def test_another_sessions_csrf_token_is_refused(client_as, db, upload_dir):
    victim, attacker = client_as("A1"), client_as("A1")
    fields = report_fields(victim)
    fields["csrf_token"] = csrf_token(attacker)
    refused(victim, db, upload_dir, victim.post("/report", data=fields))


@pytest.mark.parametrize("key", [None, "", "not-hex", "ab" * 20])
def test_a_report_needs_the_forms_request_key(client_as, db, upload_dir, key):
    client = client_as("A1")
    fields = report_fields(client)
    if key is None:
        del fields["request_key"]
    else:
        fields["request_key"] = key
    refused(client, db, upload_dir, client.post("/report", data=fields))


def test_answer_lookup_without_csrf_token_is_refused(client_as, db):
    client = client_as("A1")
    client.get("/answer")
    assert client.post("/answer", data={"key": "x"}).status_code == 400
