"""The browser libraries, served by the app itself (no CDN): Apache ECharts
from examples/web/node_modules (scripts/web-deps.sh installs it from the
committed package-lock.json)."""
from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, abort, current_app, send_file

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

_ECHARTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "node_modules", "echarts", "dist", "echarts.min.js")


@bp.route("/echarts.min.js")
def echarts() -> Any:
    path = current_app.config.get("CBC_ECHARTS_JS", _ECHARTS)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, mimetype="text/javascript", max_age=86400)
