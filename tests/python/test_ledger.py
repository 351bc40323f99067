"""The ledger binding (docs/ledger.md): the filter's new fields, count, sort,
paging with cursors that stay stable while hazards are added, Chinese search,
bad cursors."""
import pytest

import cbc
from cbc import HazardSort, Level, Severity

DAY = 86400


@pytest.fixture
def ids(org):
    out = {x: org.employee_by_external(x).id for x in ("A1", "B1", "L1", "P1", "I1")}
    out.update({x: org.unit_by_external(x).id for x in ("R1", "E1", "T1", "T2")})
    return out


def report(db, clock, unit_id, reporter_id, title="隐患", description=""):
    hid, _ = db.report(unit_id, title, cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                       cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, Severity.GENERAL,
                       reporter_id=reporter_id, description=description)
    clock.t += 60
    return hid


def test_count_and_filters(org, ids, clock):
    a = report(org, clock, ids["T1"], ids["A1"], "配电箱门未关闭")
    report(org, clock, ids["T2"], ids["B1"], "电线老化", "车间配电箱旁")
    report(org, clock, ids["T1"], ids["A1"], "通道堵塞")
    org.register(a, ids["L1"], Severity.GENERAL, Level.TEAM, "关门", clock.t + 7 * DAY, "警示")
    assert org.hazard_count() == 3
    assert org.hazard_count(unit_id=ids["T1"]) == 2
    assert org.hazard_count(states=cbc.OPEN_STATES) == 1
    assert org.hazard_count(states=cbc.NEW_STATES) == 2
    assert org.hazard_count(states=cbc.ACTIVE_STATES) == 3
    assert org.hazard_count(text="配电箱") == 2          # trigram index
    assert org.hazard_count(text="电线") == 1            # two characters: LIKE
    assert org.hazard_count(text="配电箱", unit_id=ids["T2"]) == 1
    assert org.hazard_count(listed=True) == 0
    assert [h.id for h in org.hazards(text="配电箱")] == [1, 2]
    # the count ignores paging
    assert org.hazard_count(limit=1, sort=HazardSort.DEADLINE) == 3


def test_sort_and_pages_stable_while_adding(org, ids, clock):
    first = [report(org, clock, ids["T1"], ids["A1"]) for _ in range(7)]
    seen, cursor = [], None
    for _ in range(10):
        page, cursor = org.hazard_page(limit=3, after=cursor, descending=True)
        if not page:
            break
        seen += [h.id for h in page]
        report(org, clock, ids["T2"], ids["B1"])  # added between pages: newer, not listed
    assert cursor is None
    assert seen == sorted(first, reverse=True)
    by_update = [h.id for h in org.hazards(sort=HazardSort.UPDATED, descending=True, limit=2)]
    newest = org.hazard_count()
    assert by_update == [newest, newest - 1]


def test_pages_in_turn(org, ids, clock):
    """hazard_pages() gives what hazards() gives, page by page; a hazard added
    while paging by id comes at the end, once; a cursor resumes."""
    made = [report(org, clock, ids["T1" if i % 2 else "T2"], ids["A1"]) for i in range(7)]
    pages = list(org.hazard_pages(limit=3))
    assert [len(p) for p, _ in pages] == [3, 3, 1]
    assert [h.id for p, _ in pages for h in p] == made
    full = [[h.id for h in p] for p, _ in org.hazard_pages(limit=7)]
    assert full == [made]  # the page was full: the next query found nothing
    by_unit = [h.id for p, _ in org.hazard_pages(limit=2, unit_id=ids["T1"],
                                                 sort=HazardSort.REPORTED, descending=True)
               for h in p]
    assert by_unit == [h.id for h in org.hazards(unit_id=ids["T1"], descending=True)]
    seen = []
    for page, cursor in org.hazard_pages(limit=3):
        seen += [h.id for h in page]
        if len(seen) == 3:
            late = report(org, clock, ids["T1"], ids["A1"])
    assert seen == made + [late]
    resumed = [h.id for p, _ in org.hazard_pages(limit=3, after=pages[0][1]) for h in p]
    assert resumed == made[3:] + [late]
    assert [[h.id for h in p] for p, _ in org.hazard_pages(limit=3, after=pages[-1][1])] == [[late]]
    assert list(org.hazard_pages(limit=3, unit_id=ids["T1"], text="没有这个词")) == []
    with pytest.raises(cbc.InvalidError):
        next(org.hazard_pages(limit=0))
    with pytest.raises(cbc.InvalidError):
        next(org.hazard_pages(limit=3, after="not a cursor"))


def test_bad_cursor_and_filters(org, ids, clock):
    for _ in range(3):
        report(org, clock, ids["T1"], ids["A1"])
    page, cursor = org.hazard_page(limit=2)
    assert len(page) == 2 and cursor
    with pytest.raises(cbc.InvalidError):
        org.hazard_page(limit=2, after=cursor, sort=HazardSort.DEADLINE)
    with pytest.raises(cbc.InvalidError):
        org.hazard_page(limit=2, after="not a cursor")
    with pytest.raises(cbc.InvalidError):
        org.hazard_count(text="配电\n箱")
    rest, _ = org.hazard_page(limit=2, after=cursor)
    assert [h.id for h in rest] == [3]
