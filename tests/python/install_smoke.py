"""python_install's smoke test of an installed cbc package (install_test.sh).

Run from outside the source tree: opens a new database file, adds a unit
and an employee, reports a hazard and reads it back through a new handle.
argv: the database path, and the source tree the package must not come from.
"""
import os
import sys

import cbc

path, source = sys.argv[1], os.path.realpath(sys.argv[2])
assert not os.path.realpath(cbc.__file__).startswith(source + os.sep), cbc.__file__
with cbc.Database(path) as db:
    db.sync(units=[cbc.UnitRecord("E1", cbc.UnitKind.ENTERPRISE, "济钢二厂"),
                   cbc.UnitRecord("T1", cbc.UnitKind.TEAM, "甲班", parent_external_id="E1")],
            employees=[cbc.EmployeeRecord("e1", "李强", "T1", roles=cbc.Role.WORKER)],
            strict=True)
    team = db.unit_by_external("T1").id
    worker = db.employee_by_external("e1").id
    hazard_id, _ = db.report(team, "安全通道堵塞", cbc.HazardKind.SOFT, cbc.HazardCategory.SAFETY,
                             cbc.CheckItem.FIXED_POSITION, cbc.HazardSource.SNAPSHOT,
                             cbc.Severity.GENERAL, reporter_id=worker)
with cbc.Database(path) as db:
    hazard = db.hazard(hazard_id)
    assert (hazard.title, hazard.unit_id, hazard.reporter_id) == ("安全通道堵塞", team, worker)
print("cbc %s (libcbc %s) from %s: hazard %d read back"
      % (cbc.__version__, cbc.version(), os.path.dirname(cbc.__file__), hazard_id))
