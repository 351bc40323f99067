"""The unit picker every page shares: the chosen unit's path from the
signed-in employee's read scope down to it (breadcrumbs) and its children as
links, so no page lists a whole subtree (a district holds thousands of
units).  The unit comes from the query's ``unit``, defaulting to the read
scope; one the employee may not read is a 404, as one that does not exist."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, List

import cbc
from flask import abort, request

from .auth import current_user
from .database import get_db
from .links import parse_id, url_with_query

#: The most children a picker lists; the rest are reached by their parent's page.
MAX_CHILDREN = 300


@dataclass
class Picker:
    """The chosen unit, its path from the read scope (scope first, the unit
    last) and its children (open ones first; ``more`` when cut)."""
    unit: cbc.Unit
    path: List[cbc.Unit]
    children: List[cbc.Unit]
    more: bool


def chosen_unit_id() -> int:
    """The query's ``unit`` when the employee may read it, else their read
    scope; 400 for one that is not a number, 404 for one they may not read
    (or that does not exist)."""
    db, me = get_db(), current_user()
    try:
        scope = db.read_scope(me.id)
    except cbc.PermissionDenied:
        abort(404)
    text = request.args.get("unit", "").strip()
    if not text:
        return scope
    unit_id = parse_id(text)
    if unit_id is None:
        abort(400)
    try:
        if db.unit_readable(unit_id, me.id):
            return unit_id
    except cbc.NotFoundError:
        pass
    abort(404)


def picker(unit_id: int) -> Picker:
    """The picker for a unit the employee may read (chosen_unit_id())."""
    db = get_db()
    scope = db.read_scope(current_user().id)
    unit = db.unit(unit_id)
    path = [unit]
    while path[0].id != scope and path[0].parent_id:
        path.insert(0, db.unit(path[0].parent_id))
    with db.children(unit_id) as rows:
        children = list(itertools.islice(rows, MAX_CHILDREN + 1))
    children.sort(key=lambda u: u.closed)  # stable: the library's order within each
    return Picker(unit, path, children[:MAX_CHILDREN], len(children) > MAX_CHILDREN)


def url_with_unit(unit_id: int) -> str:
    """This page's URL with its query kept but ``unit`` replaced (and the
    paging cursor ``after`` dropped)."""
    args: dict[str, Any] = request.args.to_dict()
    args.pop("after", None)
    args["unit"] = unit_id
    return url_with_query(str(request.endpoint), args, **(request.view_args or {}))
