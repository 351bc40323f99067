"""cbc on PostgreSQL: DB given as a postgresql:// URI.

Run by ctest as pg_cli under scripts/with-postgres (PGHOST etc. name a
throwaway server), not by the cli test.  Every test gets databases of its
own, made with psql and dropped afterwards.  The demo is the same on both
engines, so every command run on the PostgreSQL demo must print what it
prints on the SQLite demo file: reads, the docs/cli.md worked session's
moves and refusals, the form after them, the check.  The test fails, never
skips, when the server cannot be reached (outside ctest, without $CBC_CLI,
conftest skips everything as for the other CLI tests).
"""
import itertools
import json
import os
import subprocess

import pytest

from conftest import Cbc

NOW = "2026-11-23 09:00"  # the worked session's clock (docs/cli.md)

_names = itertools.count()


def psql(sql, database="postgres"):
    """Run SQL on the server; its rows as text, one a line."""
    proc = subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", database,
                           "-c", sql], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def server():
    """The server with-postgres started: reachable, or the module fails."""
    Cbc()  # skips the module outside ctest, as every CLI test does
    proc = subprocess.run(["psql", "-X", "-qAt", "-d", "postgres", "-c", "SELECT 1"],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        pytest.fail("PostgreSQL is not reachable (run under scripts/with-postgres, as "
                    f"ctest's pg_cli does): {proc.stderr}")


class Databases:
    """Databases made for a test, dropped at its end."""

    def __init__(self):
        self.names = []

    def new(self):
        name = f"cbc_cli_{os.getpid()}_{next(_names)}"
        psql(f"CREATE DATABASE {name}")
        self.names.append(name)
        return name

    def drop_all(self):
        for name in self.names:
            psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def uri(name):
    return f"postgresql:///{name}"


@pytest.fixture
def fresh(server):
    dbs = Databases()
    yield dbs.new
    dbs.drop_all()


@pytest.fixture(scope="module")
def demos(server, tmp_path_factory):
    """The demo on both engines: (the SQLite file, the PostgreSQL URI).
    test_the_worked_session writes to both alike, so they stay equal."""
    dbs = Databases()
    path = tmp_path_factory.mktemp("pg-demo") / "demo.db"
    target = uri(dbs.new())
    cbc = Cbc()
    on_file = cbc("demo", path, now=None)
    on_server = cbc("demo", target, now=None)
    assert on_server.out == on_file.out.replace(str(path), target)
    assert on_server.err == ""
    yield path, target
    dbs.drop_all()


def same_on_both(cbc, demos, *args, expect=0):
    """Run cbc ARGS (DB in place of "@") on both demos; both must exit
    `expect` and print the same (messages naming DB aside)."""
    path, target = demos
    a = cbc.run(*[path if x == "@" else x for x in args], now=NOW, expect=expect)
    b = cbc.run(*[target if x == "@" else x for x in args], now=NOW, expect=expect)
    assert (b.out, b.err) == (a.out, a.err.replace(str(path), target)), (a, b)
    return b


# ----------------------------------------------------------------------
# cbc init


def test_init_creates_then_checks(cbc, fresh):
    target = uri(fresh())
    res = cbc("ledger", target, "--count", expect=3)
    assert res.err == (f"cbc ledger: not found: no libcbc database in {target} "
                       f"('cbc init {target}' creates its tables there)\n")
    first = cbc("init", target).out
    assert first.startswith(f"Created libcbc database {target} (schema ")
    assert cbc("init", target).out == first.replace("Created", "Checked")
    assert cbc.json("init", target)["created"] is False
    assert cbc("ledger", target, "--count").out == "0\n"
    assert cbc.json("check", target)["ok"] is True
    other = uri(fresh())
    made = cbc.json("init", other)
    assert made["path"] == other and made["created"] is True
    assert f"(schema {made['schema_version']})" in first


def test_init_of_a_missing_database(cbc, server):
    target = uri("cbc_cli_no_such_database")
    res = cbc("init", target, expect=9)
    assert res.out == ""
    assert 'database "cbc_cli_no_such_database" does not exist' in res.err
    assert "the PostgreSQL database must exist" in res.err and "createdb" in res.err
    assert psql("SELECT count(*) FROM pg_database "
                "WHERE datname = 'cbc_cli_no_such_database'") == "0"
    assert "does not exist" in cbc("org", "tree", target, expect=9).err


# ----------------------------------------------------------------------
# cbc demo


def test_demo_refuses_a_database_with_data(cbc, demos):
    _, target = demos
    total = cbc("ledger", target, "--count").out
    for force in ([], ["--force"]):
        res = cbc("demo", target, *force, now=None, expect=7)
        assert "holds a libcbc database with data" in res.err
        assert "drop the database and create it again" in res.err
    assert cbc("ledger", target, "--count").out == total


def test_demo_refuses_a_database_of_something_else(cbc, fresh):
    name = fresh()
    psql("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('mine')", name)
    res = cbc("demo", uri(name), now=None, expect=7)
    assert f"{uri(name)} is not a libcbc database" in res.err
    assert psql("SELECT body FROM notes", name) == "mine"


def test_demo_is_whole_or_nothing(cbc, fresh, tmp_path):
    """A demo that fails midway (a trigger refuses the fines, which come
    late) leaves no unit and no hazard; run again, it builds the demo into
    the libcbc database 'cbc init' made: the same demo, but for its ids (the
    failed run used up sequence numbers, which PostgreSQL never gives back)."""
    name = fresh()
    target = uri(name)
    cbc("init", target)
    psql("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
         "$$BEGIN RAISE EXCEPTION 'refused by the test'; END$$; "
         "CREATE TRIGGER refuse BEFORE INSERT ON fines "
         "FOR EACH ROW EXECUTE FUNCTION refuse()", name)
    res = cbc("demo", target, now=None, expect=None)
    assert res.code != 0 and res.out == ""
    assert "refused by the test" in res.err
    assert "nothing of the demo was committed" in res.err
    assert f"'cbc demo {target}' starts over" in res.err
    assert cbc("org", "tree", target).out == ""
    assert cbc("ledger", target, "--count").out == "0\n"
    psql("DROP TRIGGER refuse ON fines", name)
    cbc("demo", target, "--quiet", now=None)
    path = tmp_path / "demo.db"
    cbc("demo", path, "--quiet", now=None)
    for args in (("ledger", "--count"), ("form", "LX", "2026-Q4", "--children")):
        assert (cbc(args[0], target, *args[1:], now=None).out
                == cbc(args[0], path, *args[1:], now=None).out)


# ----------------------------------------------------------------------
# Every command on the demo: the same on both engines


READS = [
    ("org", "tree", "@", "LX", "--depth", "1"),
    ("org", "show", "@", "E01-W2-T1"),
    ("employee", "list", "@", "E01", "--json"),
    ("ledger", "@", "--unit", "E01", "--open", "--sort", "deadline"),
    ("ledger", "@", "--open", "--overdue", "--count"),
    ("ledger", "@", "--limit", "0", "--json"),
    ("hazard", "show", "@", "182", "--json"),
    ("hazard", "history", "@", "182"),
    ("training", "list", "@", "--unit", "E01", "--period", "2026-11"),
    ("compliance", "drills", "@", "E01"),
    ("rewards", "list", "@", "E01", "--period", "2026-11"),
    ("rewards", "summary", "@", "LX", "2026-11"),
    ("stats", "breakdown", "@", "E01", "2026-Q4", "--by", "severity"),
    ("stats", "series", "@", "LX", "2026", "--json"),
    ("form", "@", "LX", "2026-Q4", "--children", "--format", "csv"),
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
def test_reads(cbc, demos, args):
    res = same_on_both(cbc, demos, *args)
    assert res.out.strip()


def test_the_form_is_the_same(cbc, demos):
    form = same_on_both(cbc, demos, "form", "@", "LX", "2026-11", "--json").json()
    same_on_both(cbc, demos, "form", "@", "LX", "2026-11")
    assert form["figures"]["hazards_found"] > 0 and form["figures"]["units_ran"] == 5


def test_the_worked_session(cbc, demos):
    """docs/cli.md, "A worked session": the moves, the refusals and their
    exit statuses, then the form, the sweep and the check."""
    steps = [
        (0, "hazard", "report", "@", "--unit", "E01-W2-T1", "--title", "配电箱门未关闭",
         "--kind", "hard", "--check", "equipment_guarding", "--as", "E01-0035"),
        (5, "hazard", "register", "@", "265", "--severity", "general", "--level", "team",
         "--measures", "关门上锁", "--funds", "200", "--deadline", "+7d", "--contingency",
         "设置警示带", "--as", "E01-0035"),
        (0, "hazard", "register", "@", "265", "--severity", "general", "--level", "team",
         "--measures", "关门上锁", "--funds", "200", "--deadline", "+7d", "--contingency",
         "设置警示带", "--as", "E01-0033"),
        (0, "hazard", "start", "@", "265", "--as", "E01-0033"),
        (0, "hazard", "submit", "@", "265", "--note", "已上锁", "--as", "E01-0033"),
        (5, "hazard", "verify", "@", "265", "--pass", "--as", "E01-0033"),
        (0, "hazard", "verify", "@", "265", "--pass", "--as", "E01-0042"),
        (0, "hazard", "answer", "@", "265", "--as", "E01-0035", "--json"),
        (0, "hazard", "show", "@", "265"),
        (3, "ledger", "@", "--unit", "E9"),
        (4, "ledger", "@", "--period", "2026-13"),
        (0, "rewards", "approve", "@", "41", "--as", "LX-C1"),
        (0, "rewards", "summary", "@", "LX", "2026-11"),
        (0, "form", "@", "LX", "2026-11", "--json"),
        (0, "sweep", "@", "--escalate", "--json"),
        (0, "ledger", "@", "--limit", "0", "--json"),
        (0, "check", "@", "--json"),
    ]
    found = cbc.json("form", demos[1], "LX", "2026-11", now=NOW)["figures"]["hazards_found"]
    outs = [same_on_both(cbc, demos, *args, expect=expect).out
            for expect, *args in steps]
    assert outs[0] == "265\n"
    assert outs[6] == "hazard 265: verified and closed\n"
    assert json.loads(outs[13])["figures"]["hazards_found"] == found + 1
    check = json.loads(outs[-1])  # the full check: about 8 s on PostgreSQL
    assert check["ok"] is True and check["hazards_checked"] == 265
