"""cbcweb: the 查保促 campaign in a browser, a thin Flask app over the cbc package.

Every rule stays in libcbc: the app calls the package and shows what it
returns (examples/web/README.md).  create_app() builds the app; ``python3 -m
cbcweb DB`` serves it with waitress."""
from __future__ import annotations

import datetime
import os
from typing import Iterable, Optional

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import (activities, auth, database, filings, ledger, links, moves, org, pages,
               penalties, places, report, rewards, stats, uploads, vendor)
from .places import SetupError

__all__ = ["create_app", "SetupError"]

#: How long a sign-in lasts: a working day and its overtime.
SESSION_LIFETIME = datetime.timedelta(hours=12)

#: The most a request may carry: eight photos of 10 MiB and the form's fields.
MAX_REQUEST_BYTES = uploads.MAX_FILES * uploads.MAX_FILE_BYTES + 1024 * 1024


def create_app(db_path: str, *, proxy_header: Optional[str] = None,
               secret_key: Optional[str] = None, upload_dir: Optional[str] = None,
               secret_file: Optional[str] = None, admins: Iterable[str] = (),
               testing: bool = False) -> Flask:
    """The app over the database at db_path, a file or a PostgreSQL URI
    (it must exist: the app never creates a database).

    proxy_header: the name of a header a trusted reverse proxy sets to the
    signed-in employee's external id (None: off; README, "Signing in").
    secret_key: signs the session cookie (None: the key file secret_file,
    else CBC_WEB_SECRET, else a key file beside a database file; places.py).
    upload_dir: where photos are kept (None: "<db_path>.uploads" beside a
    database file).  A database on a server has no "beside": without
    upload_dir, or without any of secret_key, CBC_WEB_SECRET and
    secret_file, this raises SetupError (README, "A database on a
    server").  admins: the external ids of the employees who may import HR
    files through the app (the host's administrators; the campaign's own
    rules do not name one: README, "Administrators")."""
    db_path = os.fspath(db_path)
    photos = places.upload_dir(db_path, upload_dir)
    app = Flask(__name__)
    app.config.update(
        CBC_DB_PATH=db_path,
        CBC_PROXY_HEADER=proxy_header or None,
        CBC_ADMINS=frozenset(admins),
        CBC_UPLOAD_DIR=photos,
        CBC_IMPORT_DIR=places.import_dir(db_path, photos),
        SECRET_KEY=secret_key or places.session_key(db_path, secret_file),
        TESTING=testing,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # the launcher's --https sets it
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,     # a token lives as long as the session
    )
    app.url_map.converters["id"] = links.IdConverter
    CSRFProtect(app)
    database.init_app(app)
    auth.init_app(app)
    pages.init_app(app)
    for blueprint in (auth.bp, report.bp, ledger.bp, moves.bp, uploads.bp, vendor.bp, stats.bp,
                      filings.bp, activities.bp, rewards.bp, org.bp, penalties.bp):
        app.register_blueprint(blueprint)
    return app
