"""Every public C call is reachable from Python.

The list of calls is the library's export list (tests/symbols/exports.txt,
which the abi_exports test keeps equal to the built library).  A call is
covered when the package's source names it; an iterator family the package
reaches by its prefix (activities.py builds "cbc_training" + "_iter_new")
counts when the prefix is there.  The few left out say why, and each reason
names what a Python user has instead."""
import pathlib
import re

import cbc

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = pathlib.Path(cbc.__file__).resolve().parent

# call (or a regular expression over calls): why Python does without it.
LEFT_OUT = {
    r"cbc_allocator_(init|set)":
        "the process-wide C allocator is for C hosts; CPython manages its own memory",
    r"cbc_error_(clear|name)":
        "exceptions carry the error (CbcError.code is an ErrorCode, named by its member)",
    r"cbc_(?!enum_|training_kind_|reward_rule_)\w+_name":
        "an enum's ASCII name: each member's .name, and cbc.enum_name() (cbc_enum_name) "
        "for every labelled type",
    r"cbc_\w+_(init)":
        "a struct's defaults for C callers; the package fills every field it passes, "
        "the version from the CBC_*_VERSION macro",
    r"cbc_hazard_table_(value|rate)":
        "Database.hazard_table() returns the library's rendering: its JSON holds every "
        "figure by HazardTableFigure name and both rates (general_rate, major_rate)",
    r"cbc_stats_(form|breakdown)_value":
        "a Form's or Breakdown's attributes, and their value(FormField or BreakdownFigure) "
        "for a loop over the figures",
    r"cbc_employee_iter_subtree":
        "Database.employees() calls cbc_employee_iter_subtree_after, which without a "
        "cursor starts at the beginning",
    r"cbc_hazard_sweep_overdue":
        "Database.sweep_overdue() calls cbc_hazard_sweep, which with its default options "
        "is the same sweep (and takes a batch and a progress callback)",
    r"cbc_roles_parse":
        "cbc.Role.coerce() parses 'worker|team_leader' and labels (test_enums)",
}


def exported():
    names = (ROOT / "tests/symbols/exports.txt").read_text().split()
    return sorted({n.split("@")[0] for n in names if n.startswith("cbc_")})


def package_source():
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py")))


def covered(name, source):
    if re.search(r"\b%s\b" % name, source):
        return True
    m = re.fullmatch(r"(cbc_\w+)_iter_(new|next|free)", name)
    return bool(m) and '"%s"' % m.group(1) in source


def left_out(name):
    return next((why for pattern, why in LEFT_OUT.items() if re.fullmatch(pattern, name)), None)


def test_every_exported_call_is_bound_or_says_why():
    source = package_source()
    missing = [n for n in exported() if not covered(n, source) and not left_out(n)]
    assert not missing, "C calls without a Python binding: %s" % ", ".join(missing)


def test_the_list_is_the_library():
    names = exported()
    assert len(names) >= 190 and "cbc_hazard_report" in names and "cbc_award_select" in names


def test_a_left_out_call_really_is_not_used():
    """An exemption that no longer applies is stale: the package binds the
    call after all, so the reason misleads."""
    source = package_source()
    stale = [n for n in exported() if left_out(n) and re.search(r"\b%s\b" % n, source)
             and not n.endswith("_init")]
    assert not stale, "bound although listed as left out: %s" % ", ".join(stale)


def test_the_check_can_fail():
    assert not covered("cbc_no_such_call", package_source())
    assert covered("cbc_training_iter_new", 'getattr(lib, "cbc_training" + "_iter_new")')
    assert left_out("cbc_severity_name") and not left_out("cbc_enum_name")
    assert not left_out("cbc_cadre_assign_keyed")
