"""行政处罚 on a hazard's page (docs/rewards.md, "The whistle-blower reward
as the national rule"): the administrative penalty a safety bureau imposed
for a hazard, recorded once by a bureau inspector — the amount (typed in
yuan) and the penalty decision's number (处罚决定书文号).  Under a policy
that pays a hotline tip-off a share of the penalty (the whistleblower_2018
preset), recording it makes the award of a closed hazard.

Thin over the package: the page shows the section and the form
(moves.penalty_section); who may record a penalty (an active bureau
inspector over the hazard's unit), for which hazards (registered, not
rejected, none recorded yet) and what it takes are the library's rules
(db.record_penalty): a refusal is shown on the hazard's page with its
message (403, 409, 400) and nothing is written."""
from __future__ import annotations

from typing import Any, Tuple

import cbc
from flask import Blueprint, abort, flash, redirect, request, url_for

from .auth import current_user
from .database import get_db
from .moves import hazard_page
from .pages import BadRequest, fen, refusal, refusal_status
from .uploads import readable

bp = Blueprint("penalties", __name__)


def _arguments() -> Tuple[int, str]:
    """(the amount in fen, the decision's number) from the form; BadRequest
    for an empty field or an amount that is not yuan (pages.fen).  The
    library bounds the amount and checks the number itself."""
    amount = request.form.get("amount", "").strip()
    document = request.form.get("document", "").strip()
    if not amount:
        raise BadRequest("请填写：罚款金额（元）")
    if not document:
        raise BadRequest("请填写：处罚决定书文号")
    try:
        return fen(amount), document
    except ValueError as e:
        raise BadRequest(str(e)) from None


@bp.route("/hazards/<id:hazard_id>/penalty", methods=["POST"])
def record(hazard_id: int) -> Any:
    """Record the hazard's administrative penalty (fields amount in yuan,
    document) as the signed-in employee; back to the hazard's page.  A
    hazard the employee may not read is a 404."""
    if not readable(hazard_id):
        abort(404)
    try:
        amount_fen, document = _arguments()
        get_db().record_penalty(hazard_id, current_user().id, amount_fen, document)
    except BadRequest as e:
        return hazard_page(hazard_id, str(e), 400, open_penalty=True)
    except cbc.CbcError as e:
        return hazard_page(hazard_id, refusal(e), refusal_status(e), open_penalty=True)
    flash("已登记行政处罚。")
    return redirect(url_for("ledger.hazard", hazard_id=hazard_id))
