"""Load the extension cbc._cbc and make sure libcbc is new enough for it.

The package needs the libcbc whose headers it was built against, and at
least LIBCBC_REQUIRED (docs/compatibility.md, "The Python package"). An
older libcbc usually stops the dynamic linker itself (a symbol version such
as CBC_1.2 is missing); either way the ImportError names the version found,
the version needed and what to do.
"""
import ctypes
from typing import Any, Optional, Sequence, Tuple

from ._version import LIBCBC_REQUIRED


def _text(version: Sequence[int]) -> str:
    return "%d.%d.%d" % tuple(version)


_NEEDED = _text(LIBCBC_REQUIRED)


def _linker_version() -> Optional[str]:
    """The version of the libcbc.so.1 the dynamic linker finds, or None."""
    try:
        found = ctypes.CDLL("libcbc.so.1")
    except OSError:
        return None
    found.cbc_version.restype = ctypes.c_char_p
    found.cbc_version.argtypes = [ctypes.c_void_p] * 3
    text: bytes = found.cbc_version(None, None, None)
    return text.decode()


def _too_old(found: str, needed: str) -> ImportError:
    advice = "install libcbc >= %s (or set LD_LIBRARY_PATH to a build of it)" % needed
    if _version_tuple(found) >= LIBCBC_REQUIRED:  # new enough for a package built against it
        advice += ", or reinstall this package against libcbc " + found
    return ImportError("libcbc %s is older than this Python package needs (%s): %s "
                       "(bindings/python/README.md)" % (found, needed, advice))


def _version_tuple(text: str) -> Tuple[int, ...]:
    return tuple(int(x) for x in text.split(".")[:3])


def _unloadable(error: str) -> ImportError:
    """The ImportError for an extension the dynamic linker refused."""
    found = _linker_version()
    if found is None:
        return ImportError("libcbc.so.1 cannot be loaded (%s): set LD_LIBRARY_PATH to the "
                           "directory that holds it, or install libcbc >= %s and reinstall this "
                           "package against it (bindings/python/README.md)" % (error, _NEEDED))
    if _version_tuple(found) < LIBCBC_REQUIRED:
        return _too_old(found, _NEEDED)
    return ImportError("libcbc %s is older than the libcbc this Python package was built against "
                       "(%s): reinstall the package against libcbc %s, or install the newer one "
                       "(bindings/python/README.md)" % (found, error, found))


def _load() -> Any:
    try:
        from ._cbc import ffi, lib
    except ImportError as e:
        reason = str(e)
        if "libcbc" not in reason and "undefined symbol: cbc_" not in reason:
            raise
        raise _unloadable(reason) from e
    parts = ffi.new("int[3]")
    found: str = ffi.string(lib.cbc_version(parts, parts + 1, parts + 2)).decode()
    built_for = (lib.CBC_VERSION_MAJOR, lib.CBC_VERSION_MINOR, lib.CBC_VERSION_PATCH)
    needed = max(LIBCBC_REQUIRED, built_for)
    if tuple(parts) < needed:
        raise _too_old(found, _text(needed))
    return lib


lib = _load()
