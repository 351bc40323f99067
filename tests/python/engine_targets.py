"""Fresh database targets for the Python and web tests, on the engine
CBC_TEST_ENGINE names: "sqlite" (the default) or "postgresql", as for the C
suites (docs/testing.md, "Two engines").

On SQLite a target is a file name in the test's temporary directory (not
created).  On PostgreSQL (run under scripts/with-postgres, which exports
PGHOST, PGPORT and PGUSER) the session makes one database, cbc_<name>_<pid>,
with the trigram extension, and each target is a new empty schema of it,
named by the URI's search_path and dropped after its test; the session
drops the database.  Without a server that is an error, never a skip: a
run that asked for PostgreSQL and did not get it must not pass.  The
server is managed with psql (no Python driver needed).

The fixtures engine_server and target are defined here once; a conftest imports
them (tests/python, tests/web)."""
import contextlib
import os
import shutil
import subprocess

import pytest

ENGINE = os.environ.get("CBC_TEST_ENGINE", "sqlite")
if ENGINE not in ("sqlite", "postgresql"):
    raise RuntimeError("CBC_TEST_ENGINE=%s: expected sqlite or postgresql" % ENGINE)
ON_SERVER = ENGINE == "postgresql"


class Server:
    """A database of its own on the server libpq's environment names."""

    def __init__(self, name):
        if not os.environ.get("PGHOST"):
            raise RuntimeError("CBC_TEST_ENGINE=postgresql, but PGHOST is unset: run the "
                               "tests under scripts/with-postgres")
        if shutil.which("psql") is None:
            raise RuntimeError("CBC_TEST_ENGINE=postgresql needs psql (postgresql-client)")
        self.database = "cbc_%s_%d" % (name, os.getpid())
        self.made = 0
        self.sql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)
        self.sql("CREATE DATABASE %s" % self.database)
        self.sql("CREATE EXTENSION pg_trgm", self.database)

    def sql(self, statement, database="postgres"):
        """Run one statement (psql); RuntimeError with the server's message."""
        r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database,
                            "-c", statement], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("psql -d %s -c %r: %s" % (database, statement, r.stderr.strip()))

    @contextlib.contextmanager
    def schema(self):
        """A URI naming a new empty schema of the session's database."""
        self.made += 1
        name = "s%d" % self.made
        self.sql("CREATE SCHEMA %s" % name, self.database)
        try:
            yield ("postgresql:///%s?application_name=cbc_%s&options=-csearch_path%%3D%s,public"
                   % (self.database, name, name))
        finally:
            self.sql("DROP SCHEMA %s CASCADE" % name, self.database)

    def close(self):
        self.sql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)


@pytest.fixture(scope="session")
def engine_server():
    """The session's Server on PostgreSQL, None on SQLite."""
    if not ON_SERVER:
        yield None
        return
    found = Server("test")
    try:
        yield found
    finally:
        found.close()


@pytest.fixture
def target(engine_server, tmp_path):
    """A fresh, empty database target: a file name in tmp_path, not created
    (SQLite), or a new schema's URI, dropped afterwards (PostgreSQL)."""
    if engine_server is None:
        yield str(tmp_path / "campaign.db")
        return
    with engine_server.schema() as uri:
        yield uri


def deselect_sqlite_only(config, items, engine_fixtures):
    """On PostgreSQL, keep only the tests that use one of engine_fixtures
    (the others open files or ":memory:", which the SQLite run covers)."""
    if not ON_SERVER:
        return
    keep, drop = [], []
    for item in items:
        uses = set(engine_fixtures) & set(getattr(item, "fixturenames", ()))
        (keep if uses else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
