"""Where the app keeps its own files: the photos, the session key, the HR
files of a running import.

A database file has a "beside": by default they go there (DB.uploads/,
DB.web-secret, DB.hr-import/).  A database on a server (a postgresql:// URI:
cbc.target_is_server(), the library's answer, never the app's reading of
the URI) has none, so the host names the places: the upload directory
(--upload-dir) is required, the session key comes from a key file the
host names (--secret-file) or CBC_WEB_SECRET, and the HR files go into the
upload directory's hr-import/.  A missing one is a SetupError saying what
to give, never a place made up (a random key per start would sign everyone
out at each restart and differ between processes)."""
from __future__ import annotations

import os
from typing import Optional

import cbc

from . import secret, uploads

#: The folder of a running import's files inside an upload directory
#: the host named for a database on a server.
IMPORT_SUBDIR = "hr-import"


class SetupError(Exception):
    """The app lacks a setting it cannot make up; the message says which."""


def _refuse_on_server(db_path: str, what: str, option: str) -> None:
    if cbc.target_is_server(db_path):
        raise SetupError("a database on a server has no place beside it for %s: %s"
                         % (what, option))


def upload_dir(db_path: str, given: Optional[str]) -> str:
    """The photos' directory: given, else "<db_path>.uploads" beside a
    database file; SetupError for a database on a server."""
    if given:
        return given
    _refuse_on_server(db_path, "the photos", "give --upload-dir DIR (upload_dir=)")
    return uploads.default_dir(db_path)


def import_dir(db_path: str, upload_directory: str) -> str:
    """Where an HR import's uploaded files are kept while it runs:
    "<db_path>.hr-import" beside a database file, else hr-import/ in the
    upload directory (upload_dir()'s answer)."""
    if cbc.target_is_server(db_path):
        return os.path.join(upload_directory, IMPORT_SUBDIR)
    return db_path + ".hr-import"


def session_key(db_path: str, secret_file: Optional[str]) -> str:
    """The key signing session cookies: the key file secret_file if given,
    else CBC_WEB_SECRET if set, else "<db_path>.web-secret" beside a
    database file (a key file gets a random key when missing:
    secret.load_or_create); SetupError for a database on a server given
    neither."""
    if secret_file:
        return secret.load_or_create(secret_file)
    given = os.environ.get(secret.ENV)
    if given:
        return given
    _refuse_on_server(db_path, "the session key",
                      "give --secret-file FILE (secret_file=) or set %s" % secret.ENV)
    return secret.load_or_create(secret.key_path(db_path))
