"""Photos: checked (count, size, type sniffed from the first bytes), kept
outside the static folder under names nobody can guess, and served only to
whoever may read the hazard they belong to."""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional

import cbc
from flask import Blueprint, abort, current_app, send_file
from werkzeug.datastructures import FileStorage

from .auth import current_user
from .database import get_db

bp = Blueprint("uploads", __name__)

MAX_FILES = 8
MAX_FILE_BYTES = 10 * 1024 * 1024

# The media types taken, by the first bytes of the content, and their ending.
_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", ".jpg"),
               (b"\x89PNG\r\n\x1a\n", "image/png", ".png"))
_ENDINGS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
            ".webp": "image/webp"}
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


class UploadRefused(Exception):
    """A file the limits refuse; the message says why, in Chinese."""


@dataclass
class Photo:
    """An accepted upload, not yet stored."""
    content: bytes
    media_type: str
    ending: str
    sha256: str


def default_dir(db_path: "os.PathLike[str] | str") -> str:
    """"<db_path>.uploads", beside the database."""
    return os.fspath(db_path) + ".uploads"


def sniff(head: bytes) -> Optional[tuple[str, str]]:
    """(media type, ending) of JPEG, PNG or WebP content, None for anything else."""
    for magic, media_type, ending in _SIGNATURES:
        if head.startswith(magic):
            return media_type, ending
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def _read(upload: FileStorage) -> Photo:
    name = upload.filename or ""
    ending = os.path.splitext(name)[1].lower()
    if ending not in _ENDINGS:
        raise UploadRefused("%s：只收 JPEG、PNG、WebP 图片" % name)
    content = upload.stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise UploadRefused("%s：超过 %d MiB" % (name, MAX_FILE_BYTES // (1024 * 1024)))
    found = sniff(content[:16])
    if found is None:
        raise UploadRefused("%s：内容不是 JPEG、PNG 或 WebP 图片" % name)
    return Photo(content, found[0], found[1], hashlib.sha256(content).hexdigest())


def accept(uploads: Iterable[FileStorage]) -> List[Photo]:
    """The photos of a form, every one checked before any is kept; raises
    UploadRefused for too many files, a file too large or not an image."""
    given = [u for u in uploads if u and u.filename]
    if len(given) > MAX_FILES:
        raise UploadRefused("最多上传 %d 张照片" % MAX_FILES)
    return [_read(u) for u in given]


def _stored_name(request_key: str, index: int, photo: Photo) -> str:
    """The photo's file name: a keyed hash of the form's request key, its
    place and its content (unguessable without the secret key, like a random
    name), so that submitting the same form twice names the same files and
    the library sees the same report (db.report's request_key)."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    message = ("%s\0%d\0%s" % (request_key, index, photo.sha256)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32] + photo.ending


def store(photos: List[Photo], request_key: str) -> tuple[List[cbc.Attachment], List[str]]:
    """Write the photos into the upload directory: their Attachments for the
    library (uri: the stored file name), and the names this call created
    (a resubmitted form finds its files there already).  request_key: the
    report form's key, or a random one for a move's evidence (moves.py)."""
    directory = current_app.config["CBC_UPLOAD_DIR"]
    os.makedirs(directory, mode=0o700, exist_ok=True)
    attachments, created = [], []
    for index, photo in enumerate(photos):
        name = _stored_name(request_key, index, photo)
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            tmp = path + ".part"
            with open(tmp, "wb") as f:
                f.write(photo.content)
            os.replace(tmp, path)
            created.append(name)
        attachments.append(cbc.Attachment(uri=name, media_type=photo.media_type,
                                          size=len(photo.content), sha256=photo.sha256))
    return attachments, created


def discard(names: List[str]) -> None:
    """Remove files store() created for a report the library then refused."""
    directory = current_app.config["CBC_UPLOAD_DIR"]
    for name in names:
        try:
            os.unlink(os.path.join(directory, name))
        except FileNotFoundError:
            pass


def readable(hazard_id: int) -> bool:
    """Whether the signed-in employee may read the hazard (False for none)."""
    try:
        return get_db().hazard_readable(hazard_id, current_user().id)
    except (cbc.NotFoundError, cbc.PermissionDenied, cbc.InvalidError):
        return False


@bp.route("/hazards/<id:hazard_id>/files/<int(max=1000):index>")
def attachment(hazard_id: int, index: int) -> Any:
    """The index-th attachment of a hazard, to whoever may read the hazard
    (404 otherwise, as for a hazard that does not exist)."""
    if not readable(hazard_id):
        abort(404)
    attachments = get_db().hazard(hazard_id).attachments
    if index >= len(attachments):
        abort(404)
    a = attachments[index]
    if not _STORED_NAME.match(a.uri):  # a reference another front end stored
        abort(404)
    path = os.path.join(current_app.config["CBC_UPLOAD_DIR"], a.uri)
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=a.media_type, max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-cache"  # never in a shared cache
    return response
