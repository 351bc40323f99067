"""The package in one pass (bindings/python/README.md, "Using"): open a
database, mirror an organisation from HR, report a hazard and register it,
read the ledger, fill in the month's form.

    PYTHONPATH=build/python LD_LIBRARY_PATH=build python3 quickstart.py [DB]

DB defaults to campaign.db in the current directory (created if missing).
mypy --strict checks this file with the package (the python_types test).
"""
from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

import cbc


def build_org(db: cbc.Database) -> cbc.SyncResult:
    """An enterprise, a workshop and a team, with a principal, a team leader
    and a worker (a full sync: what HR sends is the whole picture)."""
    U, K = cbc.UnitRecord, cbc.UnitKind
    E, R = cbc.EmployeeRecord, cbc.Role
    return db.sync(
        units=[U("E1", K.ENTERPRISE, "济钢二厂"),
               U("W1", K.WORKSHOP, "轧钢车间", parent_external_id="E1"),
               U("T1", K.TEAM, "甲班", parent_external_id="W1")],
        employees=[E("p1", "孙华", "T1", roles=R.PRINCIPAL),
                   E("l1", "李强", "T1", roles=R.TEAM_LEADER | R.WORKER),
                   E("w1", "王芳", "T1", roles=R.WORKER)],
        mode=cbc.SyncMode.FULL, strict=True)


def report_and_register(db: cbc.Database, team_id: int, worker_id: int,
                        leader_id: int) -> int:
    """A worker reports a blocked passage; the team leader registers it with a
    deadline a week from now (a naive datetime: the database's wall clock)."""
    hazard_id, key = db.report(team_id, "安全通道堵塞", cbc.HazardKind.SOFT,
                               cbc.HazardCategory.SAFETY, cbc.CheckItem.FIXED_POSITION,
                               cbc.HazardSource.SNAPSHOT, cbc.Severity.GENERAL,
                               reporter_id=worker_id, location="轧钢车间东门")
    assert key is None  # a named reporter gets no anonymous follow-up key
    deadline = db.now().replace(tzinfo=None) + timedelta(days=7)
    db.register(hazard_id, leader_id, cbc.Severity.GENERAL, cbc.Level.TEAM, "清理通道",
                deadline, "设置警示标识")
    return hazard_id


def show_ledger(db: cbc.Database, unit_id: int) -> None:
    """The open hazards of a subtree, then the ledger page by page."""
    open_count = db.hazard_count(unit_id=unit_id, states=cbc.OPEN_STATES)
    print("open hazards:", open_count)
    with db.transaction():  # one consistent read
        for h in db.hazards(states=[cbc.HazardState.REGISTERED], unit_id=unit_id):
            deadline = h.deadline.date().isoformat() if h.deadline else "-"
            print(" ", h.id, h.title, h.state, h.level, deadline)
    page, cursor = db.hazard_page(limit=10, unit_id=unit_id, sort=cbc.HazardSort.DEADLINE)
    while page:
        print("  page of", len(page), "ending at", page[-1].id)
        page, cursor = db.hazard_page(limit=10, after=cursor, unit_id=unit_id,
                                      sort=cbc.HazardSort.DEADLINE)


def show_form(db: cbc.Database, enterprise_id: int) -> cbc.Form:
    """This month's official form for the enterprise, as text."""
    month = cbc.Period.current(db)
    start, end = db.period_bounds(month)
    print("period", month, "from", start.isoformat(), "to", end.isoformat())
    print(db.form_text(enterprise_id, month))
    return db.form(enterprise_id, month)


def main(path: str) -> int:
    with cbc.Database(path) as db:
        result = build_org(db)
        print("employees added:", result.employees.added, "errors:", result.errors)
        enterprise = db.unit_by_external("E1")
        team = db.unit_by_external("T1")
        for unit in db.subtree(enterprise.id):
            print(unit.external_id, unit.kind, unit.kind.label, unit.name)
        worker = db.employee_by_external("w1")
        leader = db.employee_by_external("l1")
        hazard_id = report_and_register(db, team.id, worker.id, leader.id)
        print("answer to the reporter:", db.answer(hazard_id, worker.id).answer)
        show_ledger(db, enterprise.id)
        form = show_form(db, enterprise.id)
        assert form.hazards_found >= 1
        since = date.today() - timedelta(days=1)
        assert db.hazard_count(unit_id=enterprise.id, reported_from=since) >= 1
        assert isinstance(db.now(), datetime)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "campaign.db"))
