"""The app over either engine (target: engine_targets.py): a database file,
or with CBC_TEST_ENGINE=postgresql (the ctest web_pg) a postgresql:// URI
to a database built through the package.  Standalone accounts sign in, the
main pages load, a worker reports with a photo and finds it in the ledger
(text search in Chinese), the team leader registers it through the
hazard's page, and the statistics count it.  A database on a server has
no "beside": the photos' directory and the session key must be given
(places.py), a clear error otherwise; an empty target is "no such
database"; the launcher serves a URI without printing it."""
import datetime
import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

import cbc
import cbcweb
import cbcweb.__main__ as launcher
from cbcweb import places, secret
from conftest import PASSWORD, PNG, csrf_token, populate, report_fields, sign_in
from test_launcher import free_port


@pytest.fixture
def campaign(target):
    """The conftest's small org in the target; the passwords of A1 and L1 set."""
    populate(target)
    with cbc.Database(target) as db:
        for who in ("A1", "L1"):
            db.set_password(db.employee_by_external(who).id, PASSWORD)
    return target


@pytest.fixture
def engine_app(campaign, tmp_path):
    return cbcweb.create_app(campaign, upload_dir=str(tmp_path / "photos"),
                             secret_file=str(tmp_path / "web-secret"), testing=True)


def signed_in(app, external_id):
    client = app.test_client()
    assert sign_in(client, external_id).status_code == 302
    return client


def test_report_ledger_hazard_and_statistics(engine_app, campaign, tmp_path):
    worker = signed_in(engine_app, "A1")
    assert "王芳" in worker.get("/").get_data(as_text=True)
    fields = report_fields(worker, title="配电箱护栏缺失",
                           photos=[(io.BytesIO(PNG), "guard.png")])
    r = worker.post("/report", data=fields, content_type="multipart/form-data")
    assert r.status_code == 302 and r.headers["Location"] == "/mine"
    assert "配电箱护栏缺失" in worker.get("/mine").get_data(as_text=True)
    with cbc.Database(campaign, create=False) as db:
        (h,) = list(db.hazards())
        assert (h.title, h.reporter_id) == ("配电箱护栏缺失", db.employee_by_external("A1").id)
        (photo,) = db.hazard(h.id).attachments
    assert os.listdir(tmp_path / "photos") == [photo.uri]

    for query, found in (("", [h.id]), ("?q=护栏", [h.id]), ("?q=电箱", [h.id]),
                         ("?q=没有这个词", [])):
        page = worker.get("/ledger" + query)
        assert page.status_code == 200, query
        text = page.get_data(as_text=True)
        listed = [int(x) for x in re.findall(r'href="/hazards/(\d+)"', text)]
        assert listed == found, query
    page = worker.get("/hazards/%d" % h.id)
    assert page.status_code == 200 and "配电箱护栏缺失" in page.get_data(as_text=True)
    image = worker.get("/hazards/%d/files/0" % h.id)
    assert image.status_code == 200 and image.data == PNG

    leader = signed_in(engine_app, "L1")
    deadline = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    r = leader.post("/hazards/%d/moves/register" % h.id,
                    data={"csrf_token": csrf_token(leader, "/hazards/%d" % h.id),
                          "severity": "GENERAL", "level": "TEAM", "measures": "加装护栏",
                          "funds_fen": "300", "deadline": deadline,
                          "contingency_plan": "设警示带"})
    assert r.status_code == 302, r.get_data(as_text=True)
    with cbc.Database(campaign, create=False) as db:
        assert db.hazard(h.id).state is cbc.HazardState.REGISTERED
        period = cbc.Period.current(db)
        enterprise = db.unit_by_external("E1").id
        found = db.form(enterprise, period).value(cbc.FormField.HAZARDS_FOUND)
    assert found == 1
    stats = leader.get("/stats?unit=%d&period=%s" % (enterprise, period))
    assert stats.status_code == 200
    assert '<tr data-field="hazards_found">' in stats.get_data(as_text=True)
    form = leader.get("/stats/form.json?unit=%d&period=%s" % (enterprise, period))
    assert form.status_code == 200 and form.get_json() is not None
    for path in ("/org", "/activities", "/rewards"):
        assert leader.get(path).status_code == 200, path


def test_the_places_beside_a_file_and_for_a_server(campaign, tmp_path, monkeypatch):
    """A file keeps the photos, the key and the HR imports beside it; a
    database on a server needs the photos' directory and the key named."""
    monkeypatch.delenv(secret.ENV, raising=False)
    if not cbc.target_is_server(campaign):
        app = cbcweb.create_app(campaign)
        assert app.config["CBC_UPLOAD_DIR"] == campaign + ".uploads"
        assert app.config["CBC_IMPORT_DIR"] == campaign + ".hr-import"
        assert os.path.isfile(secret.key_path(campaign))
        return
    with pytest.raises(cbcweb.SetupError, match="--upload-dir"):
        cbcweb.create_app(campaign, secret_key="k")
    photos = str(tmp_path / "photos")
    with pytest.raises(cbcweb.SetupError, match="--secret-file FILE .* or set CBC_WEB_SECRET"):
        cbcweb.create_app(campaign, upload_dir=photos)
    key_file = str(tmp_path / "key")
    app = cbcweb.create_app(campaign, upload_dir=photos, secret_file=key_file)
    assert app.config["CBC_IMPORT_DIR"] == os.path.join(photos, places.IMPORT_SUBDIR)
    assert app.config["SECRET_KEY"] == secret.load_or_create(key_file)  # made once, kept
    assert cbcweb.create_app(campaign, upload_dir=photos,
                             secret_file=key_file).config["SECRET_KEY"] == app.config["SECRET_KEY"]
    monkeypatch.setenv(secret.ENV, "from the environment")
    assert cbcweb.create_app(campaign, upload_dir=photos).config["SECRET_KEY"] == \
        "from the environment"
    assert app.config["CBC_DB_PATH"] == campaign


def test_the_launcher_names_what_is_missing(campaign, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(secret.ENV, raising=False)
    photos = ["--upload-dir", str(tmp_path / "up")]
    bad_key = str(tmp_path / "no-such-dir" / "key")
    assert launcher.main([campaign] + photos + ["--secret-file", bad_key]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cbc-web: ") and "no-such-dir" in err
    if not cbc.target_is_server(campaign):
        return
    assert launcher.main([campaign]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cbc-web: the database on the server: ") and "--upload-dir DIR" in err
    assert launcher.main([campaign] + photos) == 2
    err = capsys.readouterr().err
    assert "the session key" in err and "--secret-file" in err and campaign not in err


def test_an_empty_target_is_no_such_database(target, tmp_path, capsys):
    assert launcher.main([target, "--upload-dir", str(tmp_path / "up"),
                          "--secret-file", str(tmp_path / "key")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cbc-web: ") and "no such database" in err
    if cbc.target_is_server(target):
        assert target not in err  # a URI may hold a password
    else:
        assert not os.path.exists(target)
    with pytest.raises(cbc.NotFoundError):  # nothing was created
        cbc.Database(target, create=False)
    assert not os.path.exists(tmp_path / "key")


def test_the_launcher_serves_the_target(campaign, tmp_path):
    port = free_port()
    env = dict(os.environ, CBC_WEB_SECRET="engine-test")
    served = subprocess.Popen([sys.executable, "-m", "cbcweb", campaign, "--port", str(port),
                               "--upload-dir", str(tmp_path / "up")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = served.stdout.readline()
        assert "http://127.0.0.1:%d/" % port in line, served.stderr.read()
        assert (campaign in line) is not cbc.target_is_server(campaign)  # a URI may hold a password
        for _ in range(100):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/login" % port, timeout=5) as r:
                    assert r.status == 200 and "登录" in r.read().decode("utf-8")
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
    finally:
        served.terminate()
        served.wait(timeout=30)
