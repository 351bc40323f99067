"""The Python examples of README.md and bindings/python/README.md run.

Each file's ```python blocks run in order, in one namespace (a tutorial: a
later block goes on with the names an earlier one made), in a fresh
directory, against the package under test.  A statement whose comment
begins with an exception's name (`# TypeError: ...`, `# cbc.InvalidError
...`) must raise it.  The top-level README imports "units.csv" and
"employees.csv", the user's HR export: the test writes a small one."""
import ast
import builtins
import importlib.util
import io
import pathlib
import re
import tokenize

import pytest

import cbc

ROOT = pathlib.Path(__file__).resolve().parents[2]
READMES = ["README.md", "bindings/python/README.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
RAISES = re.compile(r"#\s*(?:cbc\.)?([A-Z]\w*(?:Error|Denied|Failure|Aborted))\b")
# A block that uses a module needing an optional package runs only where that
# package is installed (cbc.frames needs pandas, which pyenv's python3 lacks);
# such a block must not define names a later block uses.
OPTIONAL = {"cbc.frames": "pandas"}

HR_FILES = {
    "units.csv": "单位编号,上级单位,单位类型,单位名称\n"
                 "R-1,,区域,历下区\nENT-1,R-1,企业,济钢二厂\n"
                 "WS-1,ENT-1,车间,轧钢车间\nTM-1,WS-1,班组,甲班\n",
    "employees.csv": "工号,姓名,单位编号\n1001,李强,TM-1\n1002,王芳,TM-1\n",
}


def blocks(path):
    """(first line number, source) of each ```python block of a markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


def comments(source):
    """{line number in the block (1-based): the comment on that line}."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}


def expected_error(comment):
    """The exception a statement's comment says it raises, or None."""
    m = RAISES.match(comment or "")
    if not m:
        return None
    return getattr(cbc, m.group(1), None) or getattr(builtins, m.group(1))


def runnable(source):
    """False for a block that needs an optional package that is not installed."""
    return all(importlib.util.find_spec(package) is not None
               for user, package in OPTIONAL.items() if user in source)


def run_block(source, first_line, filename, namespace):
    tree = ast.parse(source, filename)
    ast.increment_lineno(tree, first_line - 1)
    said = comments(source)
    for statement in tree.body:
        code = compile(ast.Module([statement], []), filename, "exec")
        error = expected_error(said.get(statement.end_lineno - first_line + 1))
        if error is None:
            exec(code, namespace)
            continue
        with pytest.raises(error):
            exec(code, namespace)


@pytest.mark.parametrize("readme", READMES)
def test_the_python_examples_run(readme, tmp_path, monkeypatch):
    path = ROOT / readme
    found = blocks(path)
    assert found, "%s has no ```python block" % readme
    for name, text in HR_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__readme__"}
    try:
        for first_line, source in found:
            if runnable(source):
                run_block(source, first_line, str(path), namespace)
    finally:
        db = namespace.get("db")
        if isinstance(db, cbc.Database):
            db.close()


def test_a_wrong_example_fails(tmp_path):
    """The harness is not a rubber stamp: a failing statement fails, and a
    statement that says it raises must raise."""
    with pytest.raises(NameError):
        run_block("x = 1\nprint(undefined_name)\n", 1, "t.md", {})
    with pytest.raises(pytest.fail.Exception):
        run_block("cbc.Severity.coerce(2)   # TypeError: but it does not\n", 1, "t.md",
                  {"cbc": cbc})
    run_block("cbc.Severity.coerce(7)   # cbc.InvalidError: it does\n", 1, "t.md", {"cbc": cbc})


def test_the_examples_are_found():
    counts = {r: len(blocks(ROOT / r)) for r in READMES}
    assert counts["README.md"] >= 1 and counts["bindings/python/README.md"] >= 6, counts


def test_a_block_needing_a_missing_package_is_skipped(monkeypatch):
    """Only a block that uses the optional module is skipped, and only when its
    package is missing."""
    assert runnable("import cbc.frames\n") == (importlib.util.find_spec("pandas") is not None)
    monkeypatch.setitem(OPTIONAL, "cbc.frames", "no_such_package_for_cbc")
    assert not runnable("import cbc\nimport cbc.frames\n")
    assert runnable("import cbc\nprint(cbc.version())\n")
