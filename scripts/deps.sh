#!/usr/bin/env bash
# Install what libcbc needs to build and test (Debian 12 packages).
# Python: Debian's /usr/bin/python3 with python3-cffi and python3-pytest.
# pip installs of bindings/python (the python_install test): python3-venv,
# python3-pip and python3-wheel (setuptools 66 builds wheels with it);
# python3-wheel-whl puts wheel into a venv of another python3 (pyenv's).
# python3-mypy: mypy --strict over the package and its examples (python_types).
# python3-sphinx: the Python API reference (python_docs); python3-pandas:
# cbc.frames, the ledger and forms as DataFrames (optional for users).
# The web app (examples/web): python3-flask, python3-flaskext.wtf (CSRF),
# python3-waitress; npm for Apache ECharts (scripts/web-deps.sh, from the
# committed lockfile) — Debian's only where no npm is on PATH, since a
# Node.js that bundles its own npm conflicts with Debian's package;
# python3-selenium, chromium, chromium-driver and fonts-noto-cjk for its
# browser tests (headless; Chinese must render); python3-openpyxl writes the
# ledger's xlsx export.  python3-pytest-xdist runs the cli suite on every
# core in the "cbc under valgrind" stage of scripts/test-all.
set -euo pipefail
packages=(build-essential cmake pkg-config libsqlite3-dev libjansson-dev libsodium-dev libcmocka-dev
          libxlsxwriter-dev libpq-dev util-linux iproute2
          postgresql postgresql-common
          python3 python3-dev python3-cffi python3-pytest python3-setuptools
          python3-venv python3-pip python3-wheel python3-wheel-whl python3-mypy
          python3-sphinx python3-pandas
          python3-flask python3-flaskext.wtf python3-waitress python3-openpyxl
          python3-pytest-xdist
          python3-selenium chromium chromium-driver fonts-noto-cjk
          valgrind abigail-tools doxygen g++ groff-base mandoc
          clang libclang-rt-14-dev)
# groff-base and mandoc check that the man page cbc(1) renders cleanly
# (the docs_cli test).
# libpq-dev builds the PostgreSQL engine; postgresql (initdb, pg_ctl, the
# postgres user) gives the tests a throwaway server (scripts/with-postgres);
# iproute2's ip(8) makes the network namespaces of tests/pg_hosts.
# clang builds the fuzz targets (scripts/fuzz, the fuzz stage of test-all);
# libclang-rt-14-dev holds libFuzzer and clang's sanitizer runtimes (only
# a recommendation of clang's packages, and this script installs none).
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/web-deps.sh"
