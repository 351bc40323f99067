"""One cbc.Database per request.

A libcbc handle serves one thread at a time (cbc/db.h, docs/integration.md
§6) and waitress answers requests on several threads, so each request opens
its own handle on first use (flask.g, which is per request) and the app
context's teardown closes it, in the same thread.  SQLite's WAL lets these
handles read and write side by side (on PostgreSQL each is a connection); a
writer waiting for another one's lock waits busy_timeout_ms before
BusyError."""
from __future__ import annotations

from typing import Optional

import cbc
from flask import Flask, current_app, g


def get_db() -> cbc.Database:
    """The request's database handle, opened on first use (read/write; the
    database, a file or on a server, must exist: the app never creates one)."""
    db: Optional[cbc.Database] = g.get("cbc_db")
    if db is None:
        db = cbc.Database(current_app.config["CBC_DB_PATH"], create=False)
        g.cbc_db = db
    return db


def _close(exc: Optional[BaseException]) -> None:
    db = g.pop("cbc_db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
