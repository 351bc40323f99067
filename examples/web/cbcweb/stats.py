"""统计 pages (being written; the skeleton only registers the blueprint)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort

bp = Blueprint("stats", __name__)


@bp.route("/stats")
def form() -> Any:
    abort(404)
