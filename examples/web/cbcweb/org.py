"""组织 pages (being written; the skeleton only registers the blueprint)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort

bp = Blueprint("org", __name__)


@bp.route("/org")
def tree() -> Any:
    abort(404)
