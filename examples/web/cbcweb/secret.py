"""The key that signs session cookies: CBC_WEB_SECRET, or a random key
generated once into a key file (mode 0600), by default beside the database
file (places.session_key decides which), so sessions survive a restart and
every process serving one database shares it."""
from __future__ import annotations

import os
import secrets
import tempfile

ENV = "CBC_WEB_SECRET"


def key_path(db_path: "os.PathLike[str] | str") -> str:
    """Where the generated key is kept: "<db_path>.web-secret"."""
    return os.fspath(db_path) + ".web-secret"


def load_or_create(path: "os.PathLike[str] | str") -> str:
    """The key file's content, created when missing: a random key written
    whole to a 0600 temporary file, then linked to its name (two processes
    starting together agree on the first one linked)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(prefix=".web-secret-", dir=os.path.dirname(path) or ".")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:  # mkstemp: mode 0600
                f.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    with open(path, encoding="ascii") as f:
        key = f.read().strip()
    if not key:
        raise RuntimeError("%s is empty: delete it to have a new key generated" % path)
    return key
