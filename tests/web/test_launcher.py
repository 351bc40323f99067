"""The launcher: cbc-web (the wrapper) and python3 -m cbcweb serve the app
with waitress and print its URL; a missing database is a clear error."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

WRAPPER = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "web", "cbc-web")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_missing_database_is_an_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "cbcweb", str(tmp_path / "none.db")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "no such database" in r.stderr
    assert not (tmp_path / "none.db").exists()


@pytest.mark.skipif("CBC_BUILD" not in os.environ, reason="CBC_BUILD (the build dir) not set")
def test_the_wrapper_serves_and_prints_the_url(db_path, tmp_path, monkeypatch):
    port = free_port()
    env = dict(os.environ, CBC_WEB_SECRET="launcher-test")
    server = subprocess.Popen([WRAPPER, str(db_path), "--port", str(port),
                               "--upload-dir", str(tmp_path / "up")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        assert "http://127.0.0.1:%d/" % port in line
        for _ in range(100):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/login" % port, timeout=5) as r:
                    assert r.status == 200 and "登录" in r.read().decode("utf-8")
                    assert "HttpOnly" in r.headers["Set-Cookie"]
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_administrators_are_named_at_launch(db_path, monkeypatch):
    """--admin (repeatable) reaches create_app(admins=...)."""
    import cbcweb.__main__ as launcher
    made = {}

    def fake_create_app(path, **kw):
        made.update(kw, path=path)
        raise SystemExit(0)  # stop before serving
    monkeypatch.setattr(launcher, "create_app", fake_create_app)
    with pytest.raises(SystemExit):
        launcher.main([str(db_path), "--admin", "L1", "--admin", "C1"])
    assert made["admins"] == ["L1", "C1"] and made["path"] == str(db_path)
    assert launcher._arguments([str(db_path)]).admin == []
