"""Every public name of the package has a docstring, and help() says something.

Walked: every name in the __all__ of cbc and of each public submodule (every
cbc.NAME without a leading underscore, found with pkgutil: a new module is
walked without being listed here), and for each of the package's classes
among them every public member the class defines itself (methods,
properties, class and static methods), including the mixins Database
inherits and the classes the members return (the iterators).  A class
needs a docstring of its own (an enum's members are values, not checked), a
dataclass one other than the signature dataclass() writes in.  Module
constants and type aliases (OPEN_STATES, Time, TimeLike) cannot carry a
__doc__: they need a `#:` comment on the line before them, which Sphinx's
autodoc shows (docs/python/).  Dataclass fields are not checked."""
from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import pkgutil
import pydoc
import typing
from typing import Any, Dict, List, Set, Tuple

import cbc


@functools.lru_cache(maxsize=None)
def public_modules() -> List[Any]:
    """cbc and its public submodules; one that needs an optional package that
    is not installed (cbc.frames without pandas) is left out."""
    modules = [cbc]
    for info in pkgutil.iter_modules(cbc.__path__):
        if info.name.startswith("_"):
            continue
        try:
            modules.append(importlib.import_module("cbc." + info.name))
        except ModuleNotFoundError as e:
            if e.name is None or e.name.split(".")[0] == "cbc":
                raise
    return modules


def own_doc(obj: Any) -> str:
    """The docstring obj has itself: a class's own (not inherited, not the one
    dataclass() generates), a function's or a property's."""
    if isinstance(obj, type):
        doc: str = obj.__dict__.get("__doc__") or ""
        if dataclasses.is_dataclass(obj) and doc.startswith(obj.__name__ + "("):
            return ""
        return doc.strip()
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    return (getattr(obj, "__doc__", None) or "").strip()


def commented_variables(module: Any) -> Set[str]:
    """The module's variables assigned right after a `#:` comment."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    found = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno >= 2 \
                and lines[node.lineno - 2].strip().startswith("#:"):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(t.id for t in targets if isinstance(t, ast.Name))
    return found


def is_package_class(obj: Any) -> bool:
    return isinstance(obj, type) and obj.__module__.split(".")[0] == "cbc"


def is_member(value: Any) -> bool:
    return isinstance(value, (property, classmethod, staticmethod)) or inspect.isfunction(value)


def function_of(member: Any) -> Any:
    if isinstance(member, (classmethod, staticmethod)):
        return member.__func__
    return member.fget if isinstance(member, property) else member


def returned_classes(function: Any) -> List[type]:
    """The package's classes in a function's return annotation (an _Iterator)."""
    try:
        hints = typing.get_type_hints(function)
    except NameError:  # an annotation only the type checker resolves
        return []
    found, pending = [], [hints.get("return")]
    while pending:
        hint = pending.pop()
        pending.extend(typing.get_args(hint))
        found += [c for c in (hint, typing.get_origin(hint)) if is_package_class(c)]
    return found


class Walk:
    """Every public name, once (by the first name that reaches it), with the
    docstring it has ("" for none)."""

    def __init__(self) -> None:
        self.docs: Dict[str, str] = {}
        self.seen: Set[int] = set()
        self.classes: List[Tuple[type, str]] = []
        for module in public_modules():
            self.module(module)
        for cls, name in self.classes:  # grows while walked
            self.members(cls, name)

    def add(self, name: str, obj: Any, doc: str) -> None:
        if id(obj) in self.seen:
            return
        self.seen.add(id(obj))
        self.docs[name] = doc
        if is_package_class(obj):
            self.classes.append((obj, name))
            for base in obj.__mro__[1:]:
                if is_package_class(base):
                    self.add("%s.%s" % (base.__module__, base.__qualname__), base, own_doc(base))

    def module(self, module: Any) -> None:
        commented = None
        for name in module.__all__:
            obj = getattr(module, name)
            qualified = "%s.%s" % (module.__name__, name)
            if is_package_class(obj) or inspect.isroutine(obj):
                self.add(qualified, obj, own_doc(obj))
            elif module is cbc:  # a variable cbc re-exports: walked in its module
                if not any(name in m.__all__ for m in public_modules()[1:]):
                    self.docs[qualified] = ""
            else:  # a variable (a constant, a type alias) needs its `#:` comment
                commented = commented if commented is not None else commented_variables(module)
                self.docs[qualified] = "#:" if name in commented else ""

    def members(self, cls: type, prefix: str) -> None:
        for name, value in vars(cls).items():  # an enum's members are no is_member()
            if name.startswith("_") or not is_member(value):
                continue
            self.add("%s.%s" % (prefix, name), value, own_doc(value))
            for returned in returned_classes(function_of(value)):
                self.add("%s.%s" % (returned.__module__, returned.__qualname__), returned,
                         own_doc(returned))


WALK = Walk()


def test_every_public_name_has_a_docstring() -> None:
    missing = sorted(name for name, doc in WALK.docs.items() if not doc)
    assert not missing, "%d of %d public names have no docstring:\n  %s" % (
        len(missing), len(WALK.docs), "\n  ".join(missing))


def test_the_walk_reaches_the_package() -> None:
    """So that the test above cannot pass by walking nothing."""
    for name in ("cbc.Database", "cbc.Database.sync", "cbc.hazards.HazardsMixin.report",
                 "cbc.rewards.RewardsMixin.evaluate_rewards", "cbc.stats.StatsMixin.form",
                 "cbc.Severity", "cbc.Period.parse", "cbc.types.TimeLike",
                 "cbc.hazards.OPEN_STATES", "cbc.NotFoundError", "cbc._support._Iterator.close"):
        assert name in WALK.docs, name
    assert len(WALK.docs) > 200


def test_help_of_database_shows_the_calls() -> None:
    """help(cbc.Database) shows what the calls do, the mixins' included."""
    text = pydoc.render_doc(cbc.Database, renderer=pydoc.plaintext)
    for summary in ("An open libcbc database",
                    "Look a unit up by its external id",
                    "Start a group of calls",
                    "Synchronise units and employees",
                    "Report a hazard",            # hazards.py
                    "Evaluate every rule of the current policy",  # rewards.py
                    "The official Form for a node",  # stats.py
                    "Record a training session"):  # activities.py
        assert summary in text, "help(cbc.Database) lacks %r" % summary
    assert len(text.splitlines()) > 500


def test_help_of_the_package_lists_its_names() -> None:
    text = pydoc.render_doc(cbc, renderer=pydoc.plaintext)
    for name in ("class Database", "class Severity", "class NotFoundError", "class Period",
                 "hazard_transition("):
        assert name in text, name
