"""The cffi extension cbc._cbc: build_cbc.py finds libcbc and makes its FFI.

The metadata is in pyproject.toml; this file only exists because cffi's
setuptools hook (cffi_modules) is a setup() keyword.
"""
from setuptools import setup

setup(cffi_modules=["build_cbc.py:ffi_for_install"])
