#!/usr/bin/env bash
# python_install: `pip install --no-build-isolation` of bindings/python,
# offline, as a user would, with each interpreter given (Debian's python3,
# then the pyenv one if it is another), each in its own venv with system
# site packages:
#   - against the build tree (CBC_INCLUDE_DIR/CBC_LIB_DIR): no RUNPATH at all;
#   - against an installed libcbc (cmake --install; pkg-config): a RUNPATH
#     to the prefix's lib only, never into the build tree;
# each smoke-tested from outside the source tree (install_smoke.py), and the
# whole pytest suite (tests/python) run against the installed package: with
# Debian's pytest, which an interpreter without pytest (pyenv's) borrows
# through a .pth (borrow_pytest: it is pure Python).  Then the
# clear failures: no libcbc at all, headers older than the package needs
# (setup.py and the #error), an older libcbc.so.1 at import time, and a
# libcbc older than the headers the package was built against.
# Everything lives in a temporary directory; pip builds from copies of
# bindings/python, since setuptools writes build/ and *.egg-info beside them.
# usage: install_test.sh SOURCE BUILD LIBDIR PYTHON [OTHER_PYTHON]
set -euo pipefail
src=$1 build=$2 libdir=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset CBC_INCLUDE_DIR CBC_LIB_DIR PKG_CONFIG_PATH
wheels=/usr/share/python-wheels   # python3-wheel-whl: `wheel` for setuptools < 70.1

cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix_lib=$(dirname "$(find "$work/prefix" -name cbc.pc)")/..
prefix_lib=$(cd "$prefix_lib" && pwd)

fresh_copy() { # -> a new copy of the package sources
  local copy
  copy=$(mktemp -d "$work/src.XXXXXX")
  cp -r "$src/bindings/python/." "$copy"
  rm -rf "$copy"/build "$copy"/*.egg-info
  echo "$copy"
}

pip_install() { # venv-python log [VAR=value...]: install from a fresh copy
  local py=$1 log=$2 copy
  shift 2
  copy=$(fresh_copy)
  env "$@" "$py" -m pip install --no-index --no-build-isolation "$copy" >"$log" 2>&1
}

runpaths() { # the RPATH/RUNPATH entries of the installed extension, one a line
  local so
  so=$(find "$1" -name '_cbc*.so' | head -1)
  [ -n "$so" ] || { echo "no _cbc*.so under $1" >&2; return 1; }
  readelf -d "$so" | sed -n 's/.*(R[UN]*PATH).*\[\(.*\)\]/\1/p' | tr ':' '\n'
}

no_build_tree() { # label venv: no RPATH/RUNPATH entry points into the build or source tree
  local bad  # (the interpreter may add its own, e.g. pyenv's lib: not ours to judge)
  bad=$(runpaths "$2" | grep -F -e "$build" -e "$libdir" -e "$src" || true)
  [ -z "$bad" ] || { echo "$1: RUNPATH into the build tree: $bad"; return 1; }
}

check_install() { # python label
  local python=$1 label=$2 venv="$work/venv-$2" py
  "$python" -m venv --system-site-packages "$venv"
  py="$venv/bin/python"
  if ! "$py" -c "import wheel" 2>/dev/null; then
    "$py" -m pip install -q --no-index --find-links "$wheels" wheel
  fi

  # (a) the build tree, with LD_LIBRARY_PATH at run time
  pip_install "$py" "$work/$label-tree.log" CBC_INCLUDE_DIR="$src/include" CBC_LIB_DIR="$libdir" ||
    { cat "$work/$label-tree.log"; return 1; }
  no_build_tree "$label" "$venv"
  (cd "$work" && LD_LIBRARY_PATH="$libdir" "$py" "$src/tests/python/install_smoke.py" "$work/$label-tree.db" "$src")
  echo "$label: build tree install ok, RUNPATH: '$(runpaths "$venv" | paste -sd:)'"

  # (b) the installed libcbc, found by pkg-config; no LD_LIBRARY_PATH needed
  "$py" -m pip uninstall -q -y libcbc
  pip_install "$py" "$work/$label-prefix.log" PKG_CONFIG_PATH="$prefix_lib/pkgconfig" ||
    { cat "$work/$label-prefix.log"; return 1; }
  no_build_tree "$label" "$venv"
  runpaths "$venv" | grep -qxF "$prefix_lib" ||
    { echo "$label: RUNPATH '$(runpaths "$venv" | paste -sd:)' lacks $prefix_lib"; return 1; }
  (cd "$work" && "$py" "$src/tests/python/install_smoke.py" "$work/$label-prefix.db" "$src")
  echo "$label: installed libcbc (pkg-config) ok, RUNPATH: '$(runpaths "$venv" | paste -sd:)'"
  run_suite "$label" "$py"
}

borrow_pytest() { # venv-python: Debian's pytest and what it imports, through a .pth
  local dir="$work/debian-pytest" site      # (all pure Python; never PyPI)
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir" "$work/pt"
    echo "def test_nothing(): pass" >"$work/pt/test_nothing.py"
    PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 /usr/bin/python3 - "$dir" "$work/pt" >"$work/borrow.log" 2>&1 <<'PY' ||
import os, sys
dist = "/usr/lib/python3/dist-packages/"
def ours():
    return {m.split(".")[0] for m, v in list(sys.modules.items())
            if (getattr(v, "__file__", None) or "").startswith(dist)}
before = ours()   # what the interpreter's own .pth files loaded
import pytest
if pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[2]]) != 0:
    sys.exit("Debian's pytest does not run")
for name in sorted(ours() - before):
    path = dist + name if os.path.isdir(dist + name) else dist + name + ".py"
    os.symlink(path, os.path.join(sys.argv[1], os.path.basename(path)))
PY
      { cat "$work/borrow.log"; return 1; }
  fi
  site=$("$1" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
  echo "$dir" >"$site/debian-pytest.pth"
}

run_suite() { # label venv-python: tests/python against the installed package
  local label=$1 py=$2 log="$work/$1-pytest.log"
  "$py" -c "import pytest" 2>/dev/null || borrow_pytest "$py"
  if ! (cd "$work" && "$py" -m pytest -q -p no:cacheprovider "$src/tests/python") >"$log" 2>&1; then
    cat "$log"; return 1
  fi
  "$py" -c "import cbc, sys; assert '$work' in cbc.__file__ and 'site-packages' in cbc.__file__, cbc.__file__"
  echo "$label: pytest suite against the installed package: $(tail -1 "$log")"
}

expect_failure() { # label log message...: the install failed, saying each message
  local label=$1 log=$2
  shift 2
  for m in "$@"; do
    grep -qF -- "$m" "$log" || { echo "$label: no '$m' in:"; cat "$log"; return 1; }
  done
  echo "$label: fails clearly: $(grep -F -- "$1" "$log" | head -1 | sed 's/^ *//')"
}

check_failures() { # venv-python (with the package installed against the build tree)
  local py=$1
  # no libcbc anywhere: pkg-config looks only in an empty directory
  mkdir -p "$work/empty"
  if pip_install "$py" "$work/none.log" PKG_CONFIG_LIBDIR="$work/empty"; then
    echo "installed without libcbc"; return 1
  fi
  expect_failure "no libcbc" "$work/none.log" "libcbc not found" "CBC_INCLUDE_DIR" "PKG_CONFIG_PATH"

  # an installed libcbc in a directory the dynamic linker searches anyway: no RUNPATH
  local system_lib
  system_lib=$("$py" -c "import sysconfig; print('/usr/lib/' + (sysconfig.get_config_var('MULTIARCH') or ''))")
  mkdir -p "$work/system-pc"
  printf 'includedir=%s\nlibdir=%s\nName: cbc\nDescription: d\nVersion: 1.2.0\nLibs: -lcbc\n' \
    "$src/include" "$system_lib" >"$work/system-pc/cbc.pc"
  (cd "$(fresh_copy)" && PKG_CONFIG_PATH="$work/system-pc" "$py" -c "import build_cbc
found = build_cbc.find_libcbc()
assert found[2] == [], found
print('libcbc in %s (a default directory): no RUNPATH' % found[1])")

  # headers of an "older" libcbc (1.1.0)
  cp -r "$src/include" "$work/old-include"
  sed -i -e 's/^#define CBC_VERSION_MINOR 2 /#define CBC_VERSION_MINOR 1 /' \
         -e 's/^#define CBC_VERSION_STRING "1.2.0"/#define CBC_VERSION_STRING "1.1.0"/' \
         "$work/old-include/cbc/common.h"
  grep -q '"1.1.0"' "$work/old-include/cbc/common.h"
  if pip_install "$py" "$work/old.log" CBC_INCLUDE_DIR="$work/old-include" CBC_LIB_DIR="$libdir"; then
    echo "installed against 1.1.0 headers"; return 1
  fi
  expect_failure "1.1.0 headers" "$work/old.log" "libcbc 1.1.0" "needs (1.2.0)"
  # the same guard in the compiled source, should the version parse miss
  if (cd "$(fresh_copy)" && "$py" -c "import build_cbc; print(build_cbc.SOURCE)") |
      cc -fsyntax-only -I "$work/old-include" -x c - >"$work/error.log" 2>&1; then
    echo "the #error did not fire"; return 1
  fi
  expect_failure "#error" "$work/error.log" "older than the Python binding needs (1.2.0)" "libcbc headers found: 1.1.0"

  # an older libcbc.so.1 at run time (1.1.0: no CBC_1.2 symbols)
  mkdir -p "$work/old-lib"
  printf 'CBC_1.0 { global: cbc_version; local: *; };\n' >"$work/old-lib/map"
  printf 'const char *cbc_version(int *a, int *b, int *c)
{ if (a) *a = 1; if (b) *b = 1; if (c) *c = 0; return "1.1.0"; }\n' >"$work/old-lib/v.c"
  cc -shared -fPIC -o "$work/old-lib/libcbc.so.1" -Wl,-soname,libcbc.so.1 \
     -Wl,--version-script="$work/old-lib/map" "$work/old-lib/v.c"
  if (cd "$work" && LD_LIBRARY_PATH="$work/old-lib" "$py" -c "import cbc") >"$work/import.log" 2>&1; then
    echo "imported against libcbc 1.1.0"; return 1
  fi
  expect_failure "import with libcbc 1.1.0" "$work/import.log" \
    "ImportError: libcbc 1.1.0 is older than this Python package needs (1.2.0): install libcbc >= 1.2.0"

  # built against newer headers (1.2.99) than the libcbc it runs with: the
  # extension loads (same symbol versions), the version check refuses it
  cp -r "$src/include" "$work/new-include"
  sed -i 's/^#define CBC_VERSION_PATCH 0 /#define CBC_VERSION_PATCH 99 /' "$work/new-include/cbc/common.h"
  pip_install "$py" "$work/new.log" CBC_INCLUDE_DIR="$work/new-include" CBC_LIB_DIR="$libdir" ||
    { cat "$work/new.log"; return 1; }
  if (cd "$work" && LD_LIBRARY_PATH="$libdir" "$py" -c "import cbc") >"$work/import-new.log" 2>&1; then
    echo "imported libcbc 1.2.0 with a package built for 1.2.99"; return 1
  fi
  expect_failure "package for 1.2.99 with libcbc 1.2.0" "$work/import-new.log" \
    "ImportError: libcbc 1.2.0 is older than this Python package needs (1.2.99)"
}

check_install "$1" debian
check_failures "$work/venv-debian/bin/python"
if [ $# -gt 1 ]; then
  check_install "$2" other
fi
for d in build libcbc.egg-info cbc/__pycache__ __pycache__; do
  [ ! -e "$src/bindings/python/$d" ] || { echo "left $d in bindings/python"; exit 1; }
done
echo "python_install: passed ($# interpreter(s))"
