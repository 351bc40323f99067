"""cbc account: passwd (from standard input, and typed twice at a terminal
without echo), clear, show and login; their --json shapes, exit codes and
bad input, on the small organisation of conftest.py."""
import os
import pty
import select
import subprocess
import time

PASSWORD = "correct horse 电池"
REFUSED = "sign-in refused: wrong external id or password"
ACCOUNT_KEYS = {"employee", "has_password", "changed_at", "failures", "locked_until"}


def show(cbc, db, who, **kw):
    return cbc.json("account", "show", db, who, **kw)


def test_passwd_from_stdin_then_login(cbc, org):
    res = cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\n")
    assert res.out == "password set for A1\n"
    assert PASSWORD not in res.out + res.err
    account = show(cbc, org, "A1")
    assert set(account) == ACCOUNT_KEYS
    assert account["employee"]["external_id"] == "A1"
    assert account["has_password"] is True
    assert account["changed_at"] == "2026-11-10T09:00:00+08:00"
    assert account["failures"] == 0 and account["locked_until"] is None
    assert cbc("account", "login", org, "A1", stdin=PASSWORD + "\n").out == "signed in\n"
    signed = cbc.json("account", "login", org, "A1", stdin=PASSWORD)  # no line end: fine
    assert signed["employee"]["external_id"] == "A1"
    text = cbc("account", "show", org, "A1").out
    assert "王芳  A1" in text and "set 2026-11-10 09:00" in text


def test_line_end_is_not_part_of_the_password(cbc, org):
    cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\r\n")
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n")
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\r\n")
    # only the first line counts
    cbc("account", "passwd", org, "B1", stdin="first-line\nsecond-line\n")
    cbc("account", "login", org, "B1", stdin="first-line\n")


def test_one_message_for_every_refusal(cbc, org):
    cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\n")
    cbc("employee", "leave", org, "B1")
    messages = set()
    for who in ("A1", "NOBODY", "L1", "B1"):  # wrong, unknown, no password, left
        res = cbc("account", "login", org, who, stdin="wrong password\n", expect=5)
        messages.add(res.err.split(": ", 2)[-1])
    assert messages == {REFUSED + "\n"}
    assert show(cbc, org, "A1")["failures"] == 1
    assert show(cbc, org, "L1")["has_password"] is False


def test_lock_and_expiry(cbc, org):
    cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\n")
    for _ in range(5):
        cbc("account", "login", org, "A1", stdin="wrong password\n", expect=5)
    account = show(cbc, org, "A1")
    assert account["failures"] == 5
    assert account["locked_until"] == "2026-11-10T09:15:00+08:00"
    res = cbc("account", "login", org, "A1", stdin=PASSWORD + "\n", expect=8)
    assert "locked until 2026-11-10T09:15:00+08:00" in res.err
    assert "locked until:  2026-11-10 09:15" in cbc("account", "show", org, "A1").out
    later = "2026-11-10 09:15"
    assert show(cbc, org, "A1", now=later)["locked_until"] is None
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n", now=later)
    assert show(cbc, org, "A1")["failures"] == 0
    # a new password lifts a lock
    for _ in range(5):
        cbc("account", "login", org, "A1", stdin="wrong password\n", expect=5)
    cbc("account", "passwd", org, "A1", stdin="another password\n")
    cbc("account", "login", org, "A1", stdin="another password\n")


def test_clear(cbc, org):
    cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\n")
    assert cbc("account", "clear", org, "A1").out == "password removed for A1\n"
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n", expect=5)
    account = cbc.json("account", "clear", org, "A1")  # again: fine
    assert set(account) == ACCOUNT_KEYS
    assert account["has_password"] is False and account["changed_at"] is None


def test_bad_input_changes_nothing(cbc, org):
    cbc("account", "passwd", org, "A1", stdin=PASSWORD + "\n")
    before = show(cbc, org, "A1")
    for bad in ("short\n", "x" * 1025 + "\n", "x" * 5000 + "\n", "", "\n"):
        res = cbc("account", "passwd", org, "A1", stdin=bad, expect=4)
        assert "password" in res.err
    assert show(cbc, org, "A1", now="2026-11-10 10:00") == before
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n")
    cbc("account", "passwd", org, "NOBODY", stdin=PASSWORD + "\n", expect=3)
    cbc("account", "show", org, "NOBODY", expect=3)
    cbc("account", "clear", org, "NOBODY", expect=3)
    cbc("account", "passwd", org, "A1", PASSWORD, expect=2)  # never on the command line
    cbc("employee", "leave", org, "B1")
    res = cbc("account", "passwd", org, "B1", stdin=PASSWORD + "\n", expect=5)
    assert "payroll" in res.err
    assert show(cbc, org, "B1")["has_password"] is False


def _read_until(fd, needle, deadline):
    seen = b""
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, seen
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, seen
            seen += chunk
    return seen


def _passwd_at_terminal(cbc, db, first, second):
    """cbc account passwd with a terminal as standard input: answers each
    prompt once it is shown (after echo is off); returns the run's exit
    status, its stderr, and what the terminal echoed."""
    master, slave = pty.openpty()
    argv = cbc.wrapper_for(("account", "passwd"), "tty") + [
        cbc.binary, "account", "passwd", str(db), "A1", "--now", "2026-11-10 09:00"]
    proc = subprocess.Popen(argv, stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C.UTF-8"),
                            start_new_session=True)  # the terminal controls no one
    os.close(slave)
    deadline = time.monotonic() + 600
    err = _read_until(proc.stderr.fileno(), b"New password for A1: ", deadline)
    os.write(master, first.encode() + b"\n")
    err += _read_until(proc.stderr.fileno(), b"Again: ", deadline)
    os.write(master, second.encode() + b"\n")
    out, rest = proc.communicate(timeout=600)
    echoed = b""
    while select.select([master], [], [], 0)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        echoed += chunk
    os.close(master)
    return proc.returncode, (err + rest).decode(), echoed.decode(errors="replace")


def test_passwd_at_a_terminal(cbc, org):
    code, err, echoed = _passwd_at_terminal(cbc, org, PASSWORD, PASSWORD)
    assert code == 0, err
    assert PASSWORD not in echoed and PASSWORD not in err
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n")
    code, err, echoed = _passwd_at_terminal(cbc, org, "one password", "another one")
    assert code == 4 and "differ" in err, err
    cbc("account", "login", org, "A1", stdin=PASSWORD + "\n")  # unchanged
