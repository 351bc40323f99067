"""Sphinx configuration of the Python API reference (docs/python/).

autodoc imports the package, so it is built from a built package: put the
directory holding cbc/ on PYTHONPATH (<build>/python, or nothing for an
installed package) and libcbc where the dynamic linker finds it
(LD_LIBRARY_PATH=<build>).  The ctest python_docs builds it with warnings
as errors; bindings/python/README.md ("API reference") gives the command.
No extension here needs the network (no intersphinx)."""
import dataclasses
import enum
import importlib
import inspect
import pkgutil
import re

from sphinx.util import logging

import cbc

logger = logging.getLogger(__name__)

project = "libcbc for Python"
author = "the libcbc authors"
copyright = "the libcbc authors"
version = release = cbc.__version__

extensions = ["sphinx.ext.autodoc"]
master_doc = "index"
exclude_patterns = ["_build"]
language = "en"

# Members in the order of the source (which groups them: lifetime, units,
# employees, sync, ...), and the signatures as written, type hints included.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
# The package's names are cbc.X, however deep the module that defines them.
add_module_names = False

html_theme = "alabaster"
html_title = "libcbc %s for Python: API reference" % release
html_show_sourcelink = False
html_copy_source = False

# `text` in a docstring is code (db.hazards(), *_from): shown as literal text.
default_role = "literal"

_INLINE_LITERAL = re.compile(r"(``.+?``)")


def _escaped(line):
    """Backslash, * and | as characters, outside ``inline literals``."""
    parts = _INLINE_LITERAL.split(line)
    return "".join(part if i % 2 else
                   part.replace("\\", "\\\\").replace("*", "\\*").replace("|", "\\|")
                   for i, part in enumerate(parts))


def _indent(line):
    return len(line) - len(line.lstrip())


def _introduces_code(lines, i):
    """Whether lines[i] ends with ":" and, after a blank line, an indented
    block follows: plain text's way to show code, a literal block in reST."""
    return (lines[i].rstrip().endswith(":") and i + 2 < len(lines)
            and not lines[i + 1].strip() and lines[i + 2].strip() != ""
            and _indent(lines[i + 2]) > _indent(lines[i]))


def _plain_text(app, what, name, obj, options, lines):
    """The package's docstrings are plain text, written for help(): make each
    the reST that says the same.  Backslash, * and | are characters, not
    markup (*_from, "worker|team_leader"); a paragraph ending in ":" before
    an indented block introduces code (a literal block, left as it is); a
    "- " list right after a paragraph line gets the blank line reST needs."""
    out, code_indent = [], None
    for i, line in enumerate(lines):
        if code_indent is not None and (not line.strip() or _indent(line) > code_indent):
            out.append(line)
            continue
        code_indent = None
        if _introduces_code(lines, i):
            code_indent = _indent(line)
            line = line.rstrip() if line.rstrip().endswith("::") else line.rstrip() + ":"
        elif line.lstrip().startswith("- ") and out and out[-1].strip() \
                and not out[-1].lstrip().startswith("- "):
            out.append("")
        out.append(_escaped(line))
    lines[:] = out


def _signature(app, what, name, obj, options, signature, return_annotation):
    """An enum's signature is (value), not EnumMeta's functional API; a
    dataclass field's default_factory is shown as the call (list()), and an
    empty flag set as Role(0), not Sphinx's "Role.None": neither "<factory>"
    nor that is Python the signature parser reads."""
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        return "(value)", None
    if signature:
        signature = re.sub(r"\b([A-Z]\w*)\.None\b", r"\1(0)", signature)
    if signature and dataclasses.is_dataclass(obj):
        for field in dataclasses.fields(obj):
            if field.default_factory is not dataclasses.MISSING:
                call = getattr(field.default_factory, "__name__", "factory") + "()"
                signature = signature.replace("<factory>", call, 1)
    return signature, return_annotation


def _modules():
    """cbc and its public submodules, but one whose optional dependency is
    not installed (cbc.frames without pandas)."""
    modules = [cbc]
    for info in pkgutil.iter_modules(cbc.__path__):
        if not info.name.startswith("_"):
            try:
                modules.append(importlib.import_module("cbc." + info.name))
            except ModuleNotFoundError as e:
                if (e.name or "cbc").split(".")[0] == "cbc":
                    raise
    return modules


def _public_members(cls):
    """The methods and properties a class of the package defines itself."""
    return [name for name, value in vars(cls).items() if not name.startswith("_")
            and (inspect.isfunction(value)
                 or isinstance(value, (property, classmethod, staticmethod)))]


def _missing(documented):
    """The package's public names (every __all__, the members of its classes,
    Database's mixins included) that the reference does not document, under
    cbc.NAME or the name of the module that has it in its __all__."""
    modules = _modules()
    classes = [c for c in cbc.Database.__mro__ if c.__module__.startswith("cbc.")]
    reported = set()
    for module in modules:
        for name in module.__all__:
            obj = getattr(module, name)
            homes = ["cbc"] + [m.__name__ for m in modules if name in m.__all__]
            if not any("%s.%s" % (home, name) in documented for home in homes) \
                    and (name, id(obj)) not in reported:
                reported.add((name, id(obj)))
                yield "%s.%s" % (homes[-1], name)
            if isinstance(obj, type) and obj.__module__.startswith("cbc."):
                classes.append(obj)
    for cls in dict.fromkeys(classes):
        owners = ["cbc.%s" % cls.__name__, "%s.%s" % (cls.__module__, cls.__qualname__)]
        if cls in cbc.Database.__mro__:
            owners.append("cbc.Database")
        for name in _public_members(cls):
            if not any("%s.%s" % (owner, name) in documented for owner in owners):
                yield "%s.%s.%s" % (cls.__module__, cls.__qualname__, name)


def _check_coverage(app, env):
    """A warning (an error with -W) for each public name missing from the
    reference: a new call or module must be added to index.rst."""
    documented = set(env.get_domain("py").objects)
    for name in _missing(documented):
        logger.warning("%s is not in the API reference (docs/python/index.rst)", name)


def setup(app):
    app.connect("autodoc-process-docstring", _plain_text)
    app.connect("autodoc-process-signature", _signature)
    app.connect("env-check-consistency", _check_coverage)
