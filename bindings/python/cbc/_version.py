"""The package's version and the oldest libcbc it works with.

Plain literals only: pyproject.toml reads PACKAGE_VERSION without importing
the package, and build_cbc.py reads LIBCBC_REQUIRED to refuse older
headers at build time; cbc/__init__.py checks the library at import time.
"""
PACKAGE_VERSION = "1.2.0"
LIBCBC_REQUIRED = (1, 2, 0)  # its cdef comes from the 1.2 headers
