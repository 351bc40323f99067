"""Names and Chinese labels of enum values and form fields (cbc/label.h):
the one table every renderer of libcbc uses."""
from __future__ import annotations

from typing import Any, List, Optional

from ._cbc import ffi, lib
from ._enum import CbcEnum, class_of, to_c_lenient
from .errors import check

__all__ = ["EnumType", "enum_name", "enum_label", "enum_parse", "enum_values"]


class EnumType(CbcEnum):
    """The enum types of the library's table (cbc_enum_type)."""
    UNIT_KIND = lib.CBC_ENUM_UNIT_KIND
    ROLE = lib.CBC_ENUM_ROLE
    LEVEL = lib.CBC_ENUM_LEVEL
    HAZARD_STATE = lib.CBC_ENUM_HAZARD_STATE
    HAZARD_ACTION = lib.CBC_ENUM_HAZARD_ACTION
    SEVERITY = lib.CBC_ENUM_SEVERITY
    HAZARD_KIND = lib.CBC_ENUM_HAZARD_KIND
    HAZARD_CATEGORY = lib.CBC_ENUM_HAZARD_CATEGORY
    CHECK_ITEM = lib.CBC_ENUM_CHECK_ITEM
    HAZARD_SOURCE = lib.CBC_ENUM_HAZARD_SOURCE
    ATTACHMENT_STAGE = lib.CBC_ENUM_ATTACHMENT_STAGE
    TRAINING_KIND = lib.CBC_ENUM_TRAINING_KIND
    PROPOSAL_STATUS = lib.CBC_ENUM_PROPOSAL_STATUS
    TRAINING_NEED_REASON = lib.CBC_ENUM_TRAINING_NEED_REASON
    REWARD_RULE = lib.CBC_ENUM_REWARD_RULE
    SUBJECT_KIND = lib.CBC_ENUM_SUBJECT_KIND
    AWARD_STATE = lib.CBC_ENUM_AWARD_STATE
    PERIOD_KIND = lib.CBC_ENUM_PERIOD_KIND
    STATS_DIMENSION = lib.CBC_ENUM_STATS_DIMENSION
    EMPLOYEE_EVENT_KIND = lib.CBC_ENUM_EMPLOYEE_EVENT_KIND
    RECORD_KIND = lib.CBC_ENUM_RECORD_KIND
    FORM_FIELD = lib.CBC_ENUM_FORM_FIELD
    ACTIVITY_KIND = lib.CBC_ENUM_ACTIVITY_KIND
    FINDING_KIND = lib.CBC_ENUM_FINDING_KIND
    HAZARD_SORT = lib.CBC_ENUM_HAZARD_SORT
    BREAKDOWN_FIGURE = lib.CBC_ENUM_BREAKDOWN_FIGURE
    AWARD_STEP = lib.CBC_ENUM_AWARD_STEP
    HAZARD_TABLE_FIGURE = lib.CBC_ENUM_HAZARD_TABLE_FIGURE
    FILING_KIND = lib.CBC_ENUM_FILING_KIND
    FILING_STATE = lib.CBC_ENUM_FILING_STATE
    HISTORY_KIND = lib.CBC_ENUM_HISTORY_KIND
    HISTORY_FAULT = lib.CBC_ENUM_HISTORY_FAULT


def _static(s: Any) -> Optional[str]:
    text: Optional[str] = ffi.string(s).decode("utf-8") if s != ffi.NULL else None
    return text


def _member(enum_type: EnumType, value: int) -> Any:
    """A value from C as its enum's member (a plain int for a type without a
    Python enum)."""
    cls = class_of(enum_type)
    return cls(value) if cls is not None else value


def _value(enum_type: EnumType, value: object) -> int:
    """The C value of `value` for enum_type's table: an int passes (an unknown
    one gives None), a member of another enum is a TypeError."""
    cls = class_of(enum_type)
    if cls is not None:
        return to_c_lenient(cls, value, "value")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("value: expected int, got %s" % type(value).__name__)
    return int(value)


def enum_name(enum_type: EnumType | int | str, value: object) -> Optional[str]:
    """The stable ASCII name of a value (e.g. "major"); None for an unknown one."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    return _static(lib.cbc_enum_name(int(enum_type), _value(enum_type, value)))


def enum_label(enum_type: EnumType | int | str, value: object) -> Optional[str]:
    """The Chinese display label of a value (e.g. "重大隐患"); None for an unknown one."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    return _static(lib.cbc_enum_label(int(enum_type), _value(enum_type, value)))


def enum_parse(enum_type: EnumType | int | str, text: str) -> Any:
    """The member named by a name (any case), a label or a 1.0 spelling; raises
    InvalidError (its message lists the names) for anything else."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    out = ffi.new("int *")
    check(lib.cbc_enum_parse(out, int(enum_type), text.encode("utf-8")))
    return _member(enum_type, out[0])


def enum_values(enum_type: EnumType | int | str) -> List[Any]:
    """The members of a type, in order (FormField members for FORM_FIELD)."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    out, count = ffi.new("const int **"), ffi.new("size_t *")
    check(lib.cbc_enum_values(out, count, int(enum_type)))
    return [_member(enum_type, v) for v in out[0][0:count[0]]]
