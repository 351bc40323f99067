"""活动 pages (being written; the skeleton only registers the blueprint)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort

bp = Blueprint("activities", __name__)


@bp.route("/activities")
def index() -> Any:
    abort(404)
