"""Fixtures for the cbc command-line tests.

`cbc` runs the tool (the binary in $CBC_CLI, prefixed by $CBC_CLI_WRAPPER);
`db` is a fresh database; `org` imports a small organisation into it through
`cbc org import`.  Every run uses a fixed clock (--now) so results are
deterministic.
"""
import json
import os
import shlex
import subprocess

import pytest

NOW = "2026-11-10 09:00"

UNITS = """external_id,parent_external_id,kind,name,industry,high_risk
R1,,region,历下区,,0
E1,R1,enterprise,济钢二厂,冶金,1
W1,E1,workshop,轧钢车间,,0
T1,W1,team,甲班,,0
T2,W1,team,乙班,,0
E2,R1,enterprise,泉城食品,食品,0
W2,E2,workshop,包装车间,,0
T3,W2,team,丙班,,0
O1,W1,team,车间办公室,,0
O2,E1,team,厂部,,0
O3,E2,team,经理办公室,,0
"""

EMPLOYEES = """external_id,name,post,unit_external_id,roles,active,hire_date
L1,李强,班长,T1,team_leader|worker,1,2019-03-01
A1,王芳,操作工,T1,worker,1,2020-05-01
B1,陈静,操作工,T2,worker,1,2021-01-01
D1,刘洋,车间主任,O1,workshop_director,1,2015-01-01
S1,周敏,安全员,O2,safety_officer,1,2016-01-01
P1,孙华,厂长,O2,principal,1,2010-01-01
X1,吴军,班长,T3,team_leader|worker,1,2018-01-01
P2,郑丽,总经理,O3,principal,1,2012-01-01
I1,高峰,监察员,R1,bureau_inspector,1,2011-01-01
C1,赵工会,工会干部,R1,union_cadre,1,2013-01-01
"""


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out}\nstderr: {self.err}>"


# Runs already made under the wrapper, by (command words, --json, expected
# status): see Cbc.wrapper_for.
_WRAPPED = set()


class Cbc:
    def __init__(self):
        self.binary = os.environ.get("CBC_CLI")
        if not self.binary:
            pytest.skip("CBC_CLI is not set (run through ctest)")
        self.wrapper = shlex.split(os.environ.get("CBC_CLI_WRAPPER", ""))
        self.wrap_all = os.environ.get("CBC_TEST_LONG") == "1"

    def wrapper_for(self, args, expect):
        """The wrapper (valgrind) for this run.  Every run under valgrind
        takes most of an hour, so by default each distinct command, with and
        without --json, and each exit status it is expected to give runs
        under the wrapper once: every command's success and error paths
        are checked.  CBC_TEST_LONG=1 wraps every run."""
        if not self.wrapper or self.wrap_all:
            return self.wrapper
        words = tuple(str(a) for a in args[:2]
                      if str(a).replace("-", "").replace("_", "").isalpha())
        key = (words, "--json" in args, expect)
        if key in _WRAPPED:
            return []
        _WRAPPED.add(key)
        return self.wrapper

    def run(self, *args, expect=0, now=NOW, stdin=None, env=None):
        """Run cbc ARGS; check the exit status is `expect` (None: any)."""
        argv = self.wrapper_for(args, expect) + [self.binary] + [str(a) for a in args]
        if now and len(args) > 0 and "--now" not in args:
            argv += ["--now", now]
        full_env = dict(os.environ, LC_ALL="C.UTF-8")
        full_env.update(env or {})
        proc = subprocess.run(argv, capture_output=True, text=True, input=stdin,
                              env=full_env, timeout=600)
        res = Result(proc)
        if expect is not None:
            assert res.code == expect, res
        return res

    def json(self, *args, **kw):
        return self.run(*args, "--json", **kw).json()

    def __call__(self, *args, **kw):
        return self.run(*args, **kw)


@pytest.fixture
def cbc():
    return Cbc()


@pytest.fixture
def db(cbc, tmp_path):
    path = tmp_path / "campaign.db"
    cbc("init", path)
    return path


@pytest.fixture
def hr_files(tmp_path):
    units = tmp_path / "units.csv"
    employees = tmp_path / "employees.csv"
    units.write_text(UNITS, encoding="utf-8")
    employees.write_text(EMPLOYEES, encoding="utf-8")
    return units, employees


@pytest.fixture
def org(cbc, db, hr_files):
    """Two enterprises under a district: E1 (T1, T2 in W1) and E2 (T3 in W2).

    Employees belong to teams (docs/integration.md): the workshop director D1
    sits in W1's office team O1, the principal P1 and the safety officer S1 in
    E1's office team O2, the principal P2 in E2's O3; the inspector I1 and the
    union cadre C1 in the district node R1."""
    cbc("org", "import", db, *hr_files, "--full", "--quiet")
    return db
