"""Build the cffi extension cbc._cbc (out-of-line API mode) against <cbc.h>.

The cdef is generated from the public headers: they are run through the C
preprocessor with empty stand-ins for the standard headers, and the integer
#defines (versions, limits, flags) are added, so the binding cannot drift
from the C API.

    python3 build_cbc.py --include DIR --libdir DIR --out DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import cffi

REQUIRED_VERSION = 0x010200  # the oldest libcbc this binding works with (its cdef comes from 1.2 headers)

SOURCE = """
#include <cbc.h>
#if CBC_VERSION_NUMBER < %#08x
#error "libcbc is older than the Python binding needs"
#endif
""" % REQUIRED_VERSION


def header_cdef(include_dir, cc):
    with tempfile.TemporaryDirectory() as fake:
        for name in ("stddef.h", "stdint.h", "stdarg.h"):
            open(os.path.join(fake, name), "w").close()
        out = subprocess.run(
            [cc, "-E", "-P", "-nostdinc", "-I", fake, "-I", include_dir,
             "-D", "CBC_EXTERN(type)=type", os.path.join(include_dir, "cbc.h")],
            check=True, capture_output=True, text=True).stdout
    defines = []
    for root, _, files in os.walk(include_dir):
        for name in sorted(files):
            if not name.endswith(".h"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"#define (CBC_[A-Z0-9_]+)\s+(0x[0-9A-Fa-f]+|\d+)u?\b", line)
                    if m:
                        defines.append("#define %s %s" % (m.group(1), m.group(2)))
    return out + "\n" + "\n".join(defines) + "\n"


def build(include_dir, lib_dir, out_dir, cc):
    ffi = cffi.FFI()
    ffi.cdef(header_cdef(include_dir, cc))
    ffi.cdef("""
        extern "Python" int _cbc_import_progress(const cbc_import_progress *, void *);
        extern "Python" int64_t _cbc_clock(void *);
        extern "Python" int _cbc_event_hook(const cbc_hazard_event *, void *);
    """)
    ffi.set_source("cbc._cbc", SOURCE, libraries=["cbc"], include_dirs=[include_dir],
                   library_dirs=[lib_dir], runtime_library_dirs=[lib_dir],
                   extra_compile_args=["-Wall", "-Wno-unused-function"])
    package = os.path.join(out_dir, "cbc")
    os.makedirs(package, exist_ok=True)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cbc")
    for name in os.listdir(here):
        if name.endswith(".py"):
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
