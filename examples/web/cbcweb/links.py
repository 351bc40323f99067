"""Links and ids from the query: a page's URL with a query built from plain
values (never the request's arguments as url_for's keywords, which would
let ?_external= or ?endpoint= rewrite every link), and ids read from text
as the library takes them (ASCII digits, 1..2**63-1)."""
from __future__ import annotations

from typing import Any, Mapping, Optional
from urllib.parse import urlencode

from flask import url_for
from werkzeug.routing import IntegerConverter

#: The largest id the library takes (int64_t).
ID_MAX = 2 ** 63 - 1


def parse_id(text: str) -> Optional[int]:
    """An id written as ASCII digits, 1..ID_MAX; None for anything else
    ("", "0", "-1", "²", "１２", an id too large for the library)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


def url_with_query(endpoint: str, query: Mapping[str, Any], **view_args: Any) -> str:
    """The URL of endpoint (with its view arguments) and the query's items
    that are not None, in order."""
    base = url_for(endpoint, **view_args)
    items = [(k, v) for k, v in query.items() if v is not None]
    return base + ("?" + urlencode(items) if items else "")


class IdConverter(IntegerConverter):
    """<id:name> in a route: an id the library takes, else 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, min=1, max=ID_MAX)
