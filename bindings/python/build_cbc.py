"""Build the cffi extension cbc._cbc (out-of-line API mode) against <cbc.h>.

The cdef is generated from the public headers: they are run through the C
preprocessor with empty stand-ins for the standard headers, and the integer
#defines (versions, limits, flags) are added, so the binding cannot drift
from the C API.

Two callers share this code:

- CMake builds the in-tree package (no RUNPATH: run it with LD_LIBRARY_PATH):

      python3 build_cbc.py --include DIR --libdir DIR --out DIR

- setup.py (pip install) calls ffi_for_install(), which finds libcbc with
  find_libcbc(): CBC_INCLUDE_DIR + CBC_LIB_DIR, else `pkg-config cbc`.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))


def _read_required():
    """LIBCBC_REQUIRED from cbc/_version.py, without importing the package."""
    scope = {}
    with open(os.path.join(HERE, "cbc", "_version.py"), encoding="utf-8") as f:
        exec(f.read(), scope)
    return scope["LIBCBC_REQUIRED"]


REQUIRED = _read_required()
REQUIRED_TEXT = "%d.%d.%d" % REQUIRED
REQUIRED_NUMBER = REQUIRED[0] << 16 | REQUIRED[1] << 8 | REQUIRED[2]

# The version check stays in the compiled source too, as a last guard for
# headers whose version macros the parse below would miss.
SOURCE = """
#include <cbc.h>
#if CBC_VERSION_NUMBER < %#08x
#pragma message "libcbc headers found: " CBC_VERSION_STRING
#error "libcbc is older than the Python binding needs (%s): install libcbc >= %s"
#endif
""" % (REQUIRED_NUMBER, REQUIRED_TEXT, REQUIRED_TEXT)

# Where the dynamic linker looks without being told (a RUNPATH to these is
# useless); the multiarch ones are added below.
_DEFAULT_LIB_DIRS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64")


def fail(message):
    """Stop the build with a message (pip shows it as the build's error)."""
    raise SystemExit("error: " + message)


def header_defines(include_dir):
    """The integer CBC_* #defines of every public header, as (name, text)."""
    defines = []
    for root, _, files in os.walk(include_dir):
        for name in sorted(files):
            if not name.endswith(".h"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"#define (CBC_[A-Z0-9_]+)\s+(0x[0-9A-Fa-f]+|\d+)u?\b", line)
                    if m:
                        defines.append((m.group(1), m.group(2)))
    return defines


def header_version(include_dir):
    """(major, minor, patch) of the headers in include_dir."""
    values = dict(header_defines(os.path.join(include_dir, "cbc")))
    try:
        return tuple(int(values["CBC_VERSION_" + part], 0) for part in ("MAJOR", "MINOR", "PATCH"))
    except KeyError:
        fail("no libcbc version in %s/cbc/common.h: not libcbc's headers?" % include_dir)


def check_header_version(include_dir):
    found = header_version(include_dir)
    if found < REQUIRED:
        fail("libcbc %s (headers in %s) is older than this Python package needs (%s): "
             "install libcbc >= %s, or point CBC_INCLUDE_DIR/CBC_LIB_DIR or PKG_CONFIG_PATH at it"
             % ("%d.%d.%d" % found, include_dir, REQUIRED_TEXT, REQUIRED_TEXT))


def header_cdef(include_dir, cc):
    with tempfile.TemporaryDirectory() as fake:
        for name in ("stddef.h", "stdint.h", "stdarg.h"):
            open(os.path.join(fake, name), "w").close()
        out = subprocess.run(
            [cc, "-E", "-P", "-nostdinc", "-I", fake, "-I", include_dir,
             "-D", "CBC_EXTERN(type)=type", os.path.join(include_dir, "cbc.h")],
            check=True, capture_output=True, text=True).stdout
    defines = ["#define %s %s" % d for d in header_defines(include_dir)]
    return out + "\n" + "\n".join(defines) + "\n"


def make_ffi(include_dir, lib_dir, cc, runtime_dirs=()):
    """The FFI of cbc._cbc, checked against the headers' version."""
    check_header_version(include_dir)
    ffi = cffi.FFI()
    ffi.cdef(header_cdef(include_dir, cc))
    ffi.cdef("""
        extern "Python" int _cbc_import_progress(const cbc_import_progress *, void *);
        extern "Python" int64_t _cbc_clock(void *);
        extern "Python" int _cbc_event_hook(const cbc_hazard_event *, void *);
        extern "Python" int _cbc_sweep_progress(const cbc_sweep_progress *, void *);
        extern "Python" int _cbc_checkpoint_hook(const cbc_history_checkpoint *, void *);
    """)
    ffi.set_source("cbc._cbc", SOURCE, libraries=["cbc"], include_dirs=[include_dir],
                   library_dirs=[lib_dir], runtime_library_dirs=list(runtime_dirs),
                   extra_compile_args=["-Wall", "-Wno-unused-function"])
    return ffi


def _pkg_config(*args):
    try:
        run = subprocess.run(["pkg-config", *args, "cbc"], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def default_lib_dirs():
    """The directories the dynamic linker searches by default, resolved."""
    dirs = list(_DEFAULT_LIB_DIRS)
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs += [os.path.join(d, multiarch) for d in _DEFAULT_LIB_DIRS]
    return {os.path.realpath(d) for d in dirs}


def _from_environment():
    include_dir = os.environ.get("CBC_INCLUDE_DIR")
    lib_dir = os.environ.get("CBC_LIB_DIR")
    if not include_dir and not lib_dir:
        return None
    if not include_dir or not lib_dir:
        fail("set both CBC_INCLUDE_DIR and CBC_LIB_DIR, or neither")
    include_dir, lib_dir = os.path.abspath(include_dir), os.path.abspath(lib_dir)
    if not os.path.isfile(os.path.join(include_dir, "cbc.h")):
        fail("CBC_INCLUDE_DIR=%s has no cbc.h" % include_dir)
    if not os.path.exists(os.path.join(lib_dir, "libcbc.so")):
        fail("CBC_LIB_DIR=%s has no libcbc.so" % lib_dir)
    return include_dir, lib_dir, []


def _from_pkg_config():
    include_dir = _pkg_config("--variable=includedir")
    lib_dir = _pkg_config("--variable=libdir")
    if not include_dir or not lib_dir:
        return None
    include_dir, lib_dir = os.path.realpath(include_dir), os.path.realpath(lib_dir)
    runtime_dirs = [] if lib_dir in default_lib_dirs() else [lib_dir]
    return include_dir, lib_dir, runtime_dirs


def find_libcbc():
    """(include_dir, lib_dir, runtime_dirs) of the libcbc to build against.

    CBC_INCLUDE_DIR + CBC_LIB_DIR first (the in-tree build: no RUNPATH, as a
    build tree is no place to load a library from later; run with
    LD_LIBRARY_PATH), else `pkg-config cbc` (an installed libcbc: a RUNPATH
    to its libdir unless the dynamic linker searches it anyway).
    """
    found = _from_environment() or _from_pkg_config()
    if found is None:
        fail("libcbc not found. Either build it and point at the build tree:\n"
             "    CBC_INCLUDE_DIR=<source>/include CBC_LIB_DIR=<source>/build pip install ...\n"
             "or install it (cmake --install build --prefix PREFIX) where pkg-config finds it:\n"
             "    PKG_CONFIG_PATH=PREFIX/lib/pkgconfig pip install ...\n"
             "(`pkg-config --modversion cbc` must succeed; see bindings/python/README.md)")
    return found


def ffi_for_install():
    """The FFI for setup.py's cffi_modules: libcbc as find_libcbc() finds it."""
    include_dir, lib_dir, runtime_dirs = find_libcbc()
    return make_ffi(include_dir, lib_dir, os.environ.get("CC", "cc"), runtime_dirs)


def build(include_dir, lib_dir, out_dir, cc):
    """The in-tree package: out_dir/cbc holds the sources and the extension."""
    ffi = make_ffi(include_dir, lib_dir, cc)
    package = os.path.join(out_dir, "cbc")
    os.makedirs(package, exist_ok=True)
    here = os.path.join(HERE, "cbc")
    for name in os.listdir(here):
        if name.endswith((".py", ".pyi")) or name == "py.typed":
            shutil.copy2(os.path.join(here, name), os.path.join(package, name))
    tmp = os.path.join(out_dir, "_cffi_build")
    os.makedirs(tmp, exist_ok=True)
    ffi.compile(tmpdir=tmp, verbose=False)
    for name in os.listdir(os.path.join(tmp, "cbc")):
        if name.startswith("_cbc") and name.endswith(".so"):
            shutil.copy2(os.path.join(tmp, "cbc", name), os.path.join(package, name))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--include", required=True)
    p.add_argument("--libdir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cc", default=os.environ.get("CC", "cc"))
    a = p.parse_args()
    build(os.path.abspath(a.include), os.path.abspath(a.libdir), os.path.abspath(a.out), a.cc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
