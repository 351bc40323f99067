"""Fixtures of the Python tests.  db (and org and campaign over it) is a
database in memory, or with CBC_TEST_ENGINE=postgresql a fresh schema on
the server (engine_targets.py; the ctest python_pg); target is a fresh,
empty target of either engine.  On PostgreSQL only the tests using one of
them run."""
import datetime

import pytest

import cbc
import engine_targets
from engine_targets import engine_server, target  # noqa: F401 (fixtures)

ENGINE_FIXTURES = ("db", "target")


def pytest_collection_modifyitems(config, items):
    engine_targets.deselect_sqlite_only(config, items, ENGINE_FIXTURES)


def at(seconds):
    """The aware datetime (UTC) of seconds since the epoch, None for 0: what the
    package returns for a time (in the database's offset, equal to this one)."""
    if not seconds:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Clock:
    def __init__(self, t=1700000000):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(clock, request):
    where = request.getfixturevalue("target") if engine_targets.ON_SERVER else ":memory:"
    with cbc.Database(where, clock=clock) as d:
        yield d


@pytest.fixture
def org(db):
    """A small tree: R1 > E1 > W1 > T1, T2; E1 > W2 > T3."""
    U, K = cbc.UnitRecord, cbc.UnitKind
    E, R = cbc.EmployeeRecord, cbc.Role
    db.sync(units=[U("T1", K.TEAM, "甲班", "W1"), U("W1", K.WORKSHOP, "轧钢车间", "E1"),
                   U("E1", K.ENTERPRISE, "济钢", "R1", industry="冶金", high_risk=True),
                   U("R1", K.REGION, "历下区"), U("T2", K.TEAM, "乙班", "W1"),
                   U("W2", K.WORKSHOP, "安全科", "E1"), U("T3", K.TEAM, "科室", "W2")],
            employees=[E("L1", "李强", "T1", roles=R.TEAM_LEADER | R.WORKER),
                       E("A1", "王芳", "T1"), E("B1", "陈静", "T2"),
                       E("P1", "孙华", "T3", roles=R.PRINCIPAL),
                       E("I1", "高峰", "R1", roles=R.BUREAU_INSPECTOR)],
            strict=True)
    return db


@pytest.fixture
def campaign(org, clock):
    """The org tree plus a union cadre (C1, in R1) and a new hire (N1, in T2,
    hired 30 days ago); returns the ids of every unit and employee by external id."""
    E, R = cbc.EmployeeRecord, cbc.Role
    org.sync(employees=[E("C1", "赵工会", "R1", roles=R.UNION_CADRE),
                        E("N1", "新员工", "T2", hire_date=clock.t - 30 * 86400)], strict=True)
    ids = {x: org.employee_by_external(x).id for x in ("L1", "A1", "B1", "P1", "I1", "C1", "N1")}
    ids.update({x: org.unit_by_external(x).id
                for x in ("R1", "E1", "W1", "W2", "T1", "T2", "T3")})
    return ids
