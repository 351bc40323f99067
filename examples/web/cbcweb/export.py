"""The ledger's export (导出): every hazard the ledger's filters match, not
just the page shown, as CSV or xlsx, with Chinese headings and the library's
labels, limited to what the viewer may read (the filters' viewer_id).

The rows are read page by page (db.hazard_pages), so memory stays flat on a
district's million hazards: the CSV is streamed to the browser page by page;
the xlsx is written by openpyxl's write-only workbook (rows go to a
temporary file as they come) into a temporary file, then sent from it.

A text cell starting with = + - @ (or a tab or carriage return) would be a
formula to a spreadsheet (CSV injection): in the CSV it is prefixed with an
apostrophe; in the xlsx every text is a string cell, never a formula."""
from __future__ import annotations

import csv
import datetime
import io
import itertools
import tempfile
import urllib.parse
from dataclasses import dataclass
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional

import cbc
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .database import get_db
from .pages import employee_name, forget_names, label, unit_name, when, yuan

#: The formats, by the URL's ending, and their media types.
KINDS = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

#: Hazards read per query (one page of db.hazard_pages).
PAGE_SIZE = 500

#: The most rows an xlsx export holds: a worksheet's 1,048,576 rows, less
#: the headings (more is refused; the CSV has no limit).
XLSX_MAX_ROWS = 1048576 - 1

#: What makes a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


@dataclass(frozen=True)
class Column:
    """One column: its Chinese heading, what kind of value it holds (text,
    int, time, date, yuan: amounts in fen) and the value of a hazard."""
    heading: str
    kind: str
    value: Callable[[cbc.Hazard], Any]


def _listing(h: cbc.Hazard) -> str:
    return " ".join(t for t in (h.listing_authority, h.listing_document) if t) if h.listed else ""


COLUMNS = [
    Column("编号", "int", lambda h: h.id),
    Column("隐患名称", "text", lambda h: h.title),
    Column("单位", "text", lambda h: unit_name(h.unit_id)),
    Column("地点", "text", lambda h: h.location),
    Column("状态", "text", lambda h: label(h.state)),
    Column("隐患等级", "text", lambda h: label(h.severity)),
    Column("建议等级", "text", lambda h: label(h.proposed_severity)),
    Column("整改层级", "text", lambda h: label(h.level)),
    Column("检查项目", "text", lambda h: label(h.check_item)),
    Column("隐患类型", "text", lambda h: label(h.kind)),
    Column("隐患类别", "text", lambda h: label(h.category)),
    Column("来源", "text", lambda h: label(h.source)),
    Column("上报人", "text", lambda h: employee_name(h.reporter_id) or "匿名举报"),
    Column("发现时间", "time", lambda h: h.observed_at),
    Column("上报时间", "time", lambda h: h.reported_at),
    Column("责任人", "text", lambda h: employee_name(h.responsible_id)),
    Column("整改措施", "text", lambda h: h.measures),
    # funds are one of the five items, set at registration (0 before is no amount)
    Column("整改资金（元）", "yuan", lambda h: h.funds_fen if h.severity else None),
    Column("整改期限", "date", lambda h: h.deadline),
    Column("应急预案", "text", lambda h: h.contingency_plan),
    Column("挂牌督办", "text", _listing),
    Column("销号时间", "time", lambda h: h.closed_at),
    Column("描述", "text", lambda h: h.description),
]


def pages(filters: Dict[str, Any]) -> Iterator[List[cbc.Hazard]]:
    """The pages of hazards the ledger's filters match.  The first page is
    read now, so that a filter the library refuses raises here, before any
    byte of the answer is sent; the others as the answer is written."""
    all_pages = (rows for rows, _ in get_db().hazard_pages(PAGE_SIZE, **filters))
    first = next(all_pages, None)
    return _forgetting_names(itertools.chain([first] if first is not None else [], all_pages))


def _forgetting_names(hazard_pages: Iterator[List[cbc.Hazard]]) -> Iterator[List[cbc.Hazard]]:
    """The pages, with the names cached for each dropped once it is written."""
    for rows in hazard_pages:
        yield rows
        forget_names()


def neutralised(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_text(column: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "time":
        return when(value)
    if column.kind == "date":
        return when(value, False)
    if column.kind == "yuan":
        return yuan(value)
    return neutralised(str(value)) if column.kind == "text" else str(value)


def _csv_lines(rows: Iterable[List[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def csv_chunks(hazard_pages: Iterable[List[cbc.Hazard]]) -> Iterator[bytes]:
    """The CSV in UTF-8 with a BOM: the headings, then one chunk per page."""
    yield (_BOM + _csv_lines([[c.heading for c in COLUMNS]])).encode("utf-8")
    for rows in hazard_pages:
        yield _csv_lines([[_csv_text(c, c.value(h)) for c in COLUMNS] for h in rows]).encode(
            "utf-8")


_XLSX_FORMATS = {"time": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd", "yuan": "0.00"}


def _xlsx_cell(sheet: Any, column: Column, value: Any) -> Any:
    """A value for openpyxl's append(): plain where openpyxl reads it right
    (the fast way), a WriteOnlyCell for a number format or a text openpyxl
    would take for a formula ("=...") or an error value ("#N/A")."""
    if value is None or value == "":
        return None
    if column.kind == "int":
        return value
    if column.kind == "text":
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        if not text.startswith(("=", "#")):
            return text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # a string as written, never a formula
        return cell
    if column.kind == "yuan":
        value = value / 100
    else:  # Excel has no time zones: the database's wall time
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = _XLSX_FORMATS[column.kind]
    return cell


def xlsx_file(hazard_pages: Iterable[List[cbc.Hazard]]) -> IO[bytes]:
    """The xlsx in a temporary file (rewound; the caller closes it)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("隐患台账")
    sheet.append([c.heading for c in COLUMNS])
    for rows in hazard_pages:
        for h in rows:
            sheet.append([_xlsx_cell(sheet, c, c.value(h)) for c in COLUMNS])
    out = tempfile.TemporaryFile()
    try:
        book.save(out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out


def file_name(unit: cbc.Unit, day: datetime.date, kind: str) -> str:
    """隐患台账-<unit>-<YYYY-MM-DD>.<kind>."""
    name = "".join(ch for ch in unit.name if ch not in '/\\"\r\n') or str(unit.id)
    return "隐患台账-%s-%s.%s" % (name, day.isoformat(), kind)


def disposition(name: str, fallback: Optional[str] = None) -> str:
    """A Content-Disposition that downloads as `name` (RFC 6266: UTF-8 in
    filename*, an ASCII filename for old clients)."""
    ascii_name = fallback or name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return "attachment; filename=\"%s\"; filename*=UTF-8''%s" % (
        ascii_name, urllib.parse.quote(name, safe=""))
