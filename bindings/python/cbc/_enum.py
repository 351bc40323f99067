"""The base classes of the package's enums (CbcEnum, CbcFlag): checked
arguments, members that print their name, and the Chinese label of each
member from the library's one table (cbc/label.h).

Every call that passes an enum to C goes through coerce() (to_c() here), so
a value of another enum type is a TypeError, not a silently wrong number;
an unknown number or text is an InvalidError, the ValueError (and CbcError)
the library itself raises for one."""
from __future__ import annotations

import enum
import operator
from typing import Any, Callable, Dict, List, Optional, Type, TypeVar, Union, cast

from ._cbc import ffi, lib
from .errors import InvalidError

__all__ = ["CbcEnum", "CbcFlag"]

_E = TypeVar("_E", bound="CbcEnum")
_F = TypeVar("_F", bound="CbcFlag")
_C = TypeVar("_C", bound=type)
_Enums = Union[Type["CbcEnum"], Type["CbcFlag"]]

# Each enum's cbc_enum_type (the table's key for its labels), both ways.
_TYPE_OF: Dict[type, Any] = {}   # Python enum class -> EnumType member
_CLASS_OF: Dict[int, type] = {}  # int(EnumType member) -> Python enum class

# The format types that ask for the number, not the name (f"{x:d}", f"{x:#x}").
_INT_FORMATS = frozenset("bcdoxXn")


def labelled(enum_type: Any) -> Callable[[_C], _C]:
    """Class decorator: the enum's values are those of enum_type in the table."""
    def register(cls: _C) -> _C:
        _TYPE_OF[cls] = enum_type
        _CLASS_OF[int(enum_type)] = cls
        return cls
    return register


def class_of(enum_type: int) -> Optional[type]:
    """The Python enum of a cbc_enum_type value, None for one without."""
    return _CLASS_OF.get(int(enum_type))


def _static(s: Any) -> Optional[str]:
    text: Optional[str] = ffi.string(s).decode("utf-8") if s != ffi.NULL else None
    return text


def _qualified(cls: type) -> str:
    if issubclass(cls, (CbcEnum, CbcFlag)):
        return "cbc." + cls.__name__
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _shown(value: object) -> str:
    """How an error message names a wrong argument: cbc.HazardKind.HARD, float, ..."""
    if isinstance(value, enum.Enum):
        return "%s.%s" % (_qualified(type(value)), value.name or value.value)
    if isinstance(value, bool):
        return "bool (%r)" % value
    return type(value).__name__


def _invalid(message: str) -> InvalidError:
    """The error of an unknown value: InvalidError is a ValueError and a CbcError."""
    return InvalidError(lib.CBC_EINVAL, message)


def _where(arg: Optional[str]) -> str:
    return arg + ": " if arg else ""


def _names(cls: _Enums) -> str:
    return ", ".join(cls.__members__)


def _refuse_foreign(cls: type, value: object, arg: Optional[str]) -> None:
    """TypeError for a member of another enum (or flag), and for bool."""
    if isinstance(value, (enum.Enum, bool)) and not isinstance(value, cls):
        raise TypeError("%sexpected %s, got %s" % (_where(arg), _qualified(cls), _shown(value)))


def _index(cls: type, value: Any, arg: Optional[str]) -> int:
    """value as an int (anything with __index__, e.g. a NumPy integer), else TypeError."""
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError("%sexpected %s, got %s" % (_where(arg), _qualified(cls), _shown(value))) \
            from None


def _by_text(cls: Type[_E] | Type[_F], text: str, arg: Optional[str]) -> Any:
    """The member a text names: its name (any case), else what cbc_enum_parse()
    accepts for its table (the C name, the Chinese label, a 1.0 spelling)."""
    folded = text.strip().upper()
    for name, member in cls.__members__.items():
        if name == folded:
            return member
    enum_type = _TYPE_OF.get(cls)
    if enum_type is not None and "\0" not in text:
        out = ffi.new("int *")
        if lib.cbc_enum_parse(out, int(enum_type), text.strip().encode("utf-8")) == 0:
            try:
                return cls(out[0])
            except ValueError:
                pass
    raise _invalid("%s%r is not a name or label of %s (one of: %s)"
                   % (_where(arg), text, _qualified(cls), _names(cls)))


def _format(member: int, spec: str) -> str:
    """format(): the name (with the spec's width and alignment), or the number
    for an integer presentation type."""
    if spec and spec[-1] in _INT_FORMATS:
        return int.__format__(int(member), spec)
    return format(str(member), spec)


class CbcEnum(enum.IntEnum):
    """The base of the package's enums: str() and format() give the member's
    name (repr() stays <Severity.MAJOR: 2>), .label its Chinese label, and
    coerce() checks an argument."""

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        return _format(self, spec)

    @property
    def label(self) -> Optional[str]:
        """The Chinese display label (cbc_enum_label(), e.g. "重大隐患"); None for
        the enums the library's table does not cover (see enum_type())."""
        enum_type = _TYPE_OF.get(type(self))
        if enum_type is None:
            return None
        return _static(lib.cbc_enum_label(int(enum_type), self._value_))

    @classmethod
    def enum_type(cls) -> Any:
        """The EnumType of this enum in the library's table, None when it has none."""
        return _TYPE_OF.get(cls)

    @classmethod
    def coerce(cls: Type[_E], value: object, arg: Optional[str] = None) -> _E:
        """The member an argument stands for: a member of this enum; an int that is
        one of its values; a str that is a member's name (any case) or its label.
        TypeError for a member of another enum, a bool or anything else;
        InvalidError (a ValueError) for an unknown number or text.  arg names
        the argument in the messages."""
        if isinstance(value, cls):
            return value
        _refuse_foreign(cls, value, arg)
        if isinstance(value, str):
            member: _E = _by_text(cls, value, arg)
            return member
        number = _index(cls, value, arg)
        try:
            return cls(number)
        except ValueError:
            raise _invalid("%s%d is not a valid %s (one of: %s)"
                           % (_where(arg), number, _qualified(cls), _names(cls))) from None


class CbcFlag(enum.IntFlag):
    """The base of the package's flag sets (Role, CheckFlag): like CbcEnum, for
    a member or a combination; str() gives "TEAM_LEADER|WORKER" for a
    combination, "0" for none."""

    def __str__(self) -> str:
        return "|".join(str(m.name) for m in _parts(self)) or "0"

    def __format__(self, spec: str) -> str:
        return _format(self, spec)

    @property
    def label(self) -> Optional[str]:
        """The Chinese labels of the flags set, joined with "、" ("" for none);
        None when the library's table does not cover this type."""
        enum_type = _TYPE_OF.get(type(self))
        if enum_type is None:
            return None
        return "、".join(_static(lib.cbc_enum_label(int(enum_type), m._value_)) or ""
                        for m in _bits(self))

    @classmethod
    def enum_type(cls) -> Any:
        """The EnumType of this flag type in the library's table, None when it has none."""
        return _TYPE_OF.get(cls)

    @classmethod
    def coerce(cls: Type[_F], value: object, arg: Optional[str] = None) -> _F:
        """The flags an argument stands for: a member or combination of this type;
        an int of its bits only; a str of names or labels joined with "|".
        TypeError for another enum or flag type, a bool or anything else;
        InvalidError (a ValueError) for other bits or an unknown name."""
        if isinstance(value, cls):
            return value
        _refuse_foreign(cls, value, arg)
        if isinstance(value, str):
            result = cls(0)
            for part in value.split("|"):
                result |= _by_text(cls, part, arg)
            return result
        number = _index(cls, value, arg)
        valid = 0
        for member in cls.__members__.values():
            valid |= member._value_
        if number < 0 or number & ~valid:
            raise _invalid("%s%d is not a combination of %s (flags: %s)"
                           % (_where(arg), number, _qualified(cls), _names(cls)))
        return cls(number)


def _bits(flags: CbcFlag) -> List[CbcFlag]:
    """The single-bit members set in flags, in value order."""
    singles = [m for m in flags.__class__.__members__.values()
               if m._value_ and not m._value_ & (m._value_ - 1)]
    return [m for m in sorted(singles, key=int) if flags._value_ & m._value_]


def _parts(flags: CbcFlag) -> List[CbcFlag]:
    """A named member equal to flags (CheckFlag.ALL), else its single bits."""
    for member in flags.__class__.__members__.values():
        if member._value_ == flags._value_ and member._value_:
            return [member]
    return _bits(flags)


def to_c(cls: _Enums, value: object, arg: Optional[str] = None, optional: bool = False) -> int:
    """The C value of an enum argument (cls.coerce()); None gives 0 when optional."""
    if value is None and optional:
        return 0
    return int(cls.coerce(value, arg))


def to_c_lenient(cls: _Enums, value: object, arg: Optional[str] = None) -> int:
    """The C value for a lookup that answers None for an unknown value (the
    `_name()` and label functions): any int passes, but a member of another
    enum, a bool or a non-number is refused as by coerce()."""
    if isinstance(value, cls):
        return int(cast(int, value))
    _refuse_foreign(cls, value, arg)
    if isinstance(value, str):
        return int(_by_text(cls, value, arg))
    return _index(cls, value, arg)
