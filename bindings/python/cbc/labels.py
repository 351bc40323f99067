"""Names and Chinese labels of enum values and form fields (cbc/label.h):
the one table every renderer of libcbc uses."""
from ._cbc import ffi, lib
from ._enum import CbcEnum, class_of, to_c_lenient
from .errors import check

__all__ = ["EnumType", "enum_name", "enum_label", "enum_parse", "enum_values"]

EnumType = CbcEnum("EnumType", [
    (n, getattr(lib, "CBC_ENUM_" + n)) for n in (
        "UNIT_KIND", "ROLE", "LEVEL", "HAZARD_STATE", "HAZARD_ACTION", "SEVERITY",
        "HAZARD_KIND", "HAZARD_CATEGORY", "CHECK_ITEM", "HAZARD_SOURCE", "ATTACHMENT_STAGE",
        "TRAINING_KIND", "PROPOSAL_STATUS", "TRAINING_NEED_REASON", "REWARD_RULE",
        "SUBJECT_KIND", "AWARD_STATE", "PERIOD_KIND", "STATS_DIMENSION",
        "EMPLOYEE_EVENT_KIND", "RECORD_KIND", "FORM_FIELD", "ACTIVITY_KIND", "FINDING_KIND",
        "HAZARD_SORT")])


def _static(s):
    return ffi.string(s).decode("utf-8") if s != ffi.NULL else None


def _member(enum_type, value):
    """A value from C as its enum's member (a plain int for FORM_FIELD, which
    has no Python enum)."""
    cls = class_of(enum_type)
    return cls(value) if cls is not None else value


def _value(enum_type, value):
    """The C value of `value` for enum_type's table: an int passes (an unknown
    one gives None), a member of another enum is a TypeError."""
    cls = class_of(enum_type)
    if cls is not None:
        return to_c_lenient(cls, value, "value")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("value: expected int, got %s" % type(value).__name__)
    return int(value)


def enum_name(enum_type, value):
    """The stable ASCII name of a value (e.g. "major"); None for an unknown one."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    return _static(lib.cbc_enum_name(int(enum_type), _value(enum_type, value)))


def enum_label(enum_type, value):
    """The Chinese display label of a value (e.g. "重大隐患"); None for an unknown one."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    return _static(lib.cbc_enum_label(int(enum_type), _value(enum_type, value)))


def enum_parse(enum_type, text):
    """The member named by a name (any case), a label or a 1.0 spelling; raises
    InvalidError (its message lists the names) for anything else."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    out = ffi.new("int *")
    check(lib.cbc_enum_parse(out, int(enum_type), text.encode("utf-8")))
    return _member(enum_type, out[0])


def enum_values(enum_type):
    """The members of a type, in order (plain ints for FORM_FIELD)."""
    enum_type = EnumType.coerce(enum_type, "enum_type")
    out, count = ffi.new("const int **"), ffi.new("size_t *")
    check(lib.cbc_enum_values(out, count, int(enum_type)))
    return [_member(enum_type, v) for v in out[0][0:count[0]]]
