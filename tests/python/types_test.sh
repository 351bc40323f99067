#!/bin/sh
# python_types: mypy --strict over the built package and its examples
# (bindings/python/examples), then each example run against the build.
# Usage: types_test.sh SOURCE_DIR PACKAGE_ROOT LIBCBC_DIR PYTHON
# PACKAGE_ROOT is <build>/python (holding cbc/, its extension and stubs).
# mypy's cache and the examples' databases go to a temporary directory.
set -eu
src=$1 pkgroot=$2 libdir=$3 python=$4
examples=$src/bindings/python/examples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cbc-python-types.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"  # not the package's directory: its types.py would shadow the stdlib's
"$python" -m mypy --strict --cache-dir "$tmp/mypy-cache" "$pkgroot/cbc"
MYPYPATH=$pkgroot "$python" -m mypy --strict --cache-dir "$tmp/mypy-cache" "$examples"
for example in "$examples"/*.py; do
  echo "running $(basename "$example")"
  mkdir "$tmp/run" && cd "$tmp/run"
  PYTHONPATH=$pkgroot LD_LIBRARY_PATH=$libdir PYTHONDONTWRITEBYTECODE=1 \
    "$python" "$example" > "$tmp/out.txt" || { cat "$tmp/out.txt"; exit 1; }
  cd "$tmp" && rm -rf "$tmp/run"
done
echo "python_types: mypy --strict clean; every example ran"
