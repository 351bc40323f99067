"""Type stub of cbc._cbc, the extension cffi generates from the C headers
(build_cbc.py): the FFI object and the library, whose members (the C
functions, constants and types) are not spelled out here."""
from typing import Any, Callable, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


class _FFI:
    def def_extern(self, name: str = ..., onerror: Any = ...,
                   error: Any = ...) -> Callable[[_F], _F]: ...

    def __getattr__(self, name: str) -> Any: ...


ffi: _FFI
lib: Any
