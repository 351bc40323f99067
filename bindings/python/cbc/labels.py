"""Names and Chinese labels of enum values and form fields (cbc/label.h):
the one table every renderer of libcbc uses."""
import enum

from ._cbc import ffi, lib
from .errors import check

__all__ = ["EnumType", "enum_name", "enum_label", "enum_parse", "enum_values"]

EnumType = enum.IntEnum("EnumType", [
    (n, getattr(lib, "CBC_ENUM_" + n)) for n in (
        "UNIT_KIND", "ROLE", "LEVEL", "HAZARD_STATE", "HAZARD_ACTION", "SEVERITY",
        "HAZARD_KIND", "HAZARD_CATEGORY", "CHECK_ITEM", "HAZARD_SOURCE", "ATTACHMENT_STAGE",
        "TRAINING_KIND", "PROPOSAL_STATUS", "TRAINING_NEED_REASON", "REWARD_RULE",
        "SUBJECT_KIND", "AWARD_STATE", "PERIOD_KIND", "STATS_DIMENSION",
        "EMPLOYEE_EVENT_KIND", "RECORD_KIND", "FORM_FIELD", "ACTIVITY_KIND", "FINDING_KIND",
        "HAZARD_SORT")])


def _static(s):
    return ffi.string(s).decode("utf-8") if s != ffi.NULL else None


def enum_name(enum_type, value):
    """The stable ASCII name of a value (e.g. "major"); None for an unknown one."""
    return _static(lib.cbc_enum_name(int(enum_type), int(value)))


def enum_label(enum_type, value):
    """The Chinese display label of a value (e.g. "重大隐患"); None for an unknown one."""
    return _static(lib.cbc_enum_label(int(enum_type), int(value)))


def enum_parse(enum_type, text):
    """The value named by a name (any case), a label or a 1.0 spelling; raises
    InvalidError (its message lists the names) for anything else."""
    out = ffi.new("int *")
    check(lib.cbc_enum_parse(out, int(enum_type), text.encode("utf-8")))
    return out[0]


def enum_values(enum_type):
    """The values of a type, in order."""
    out, count = ffi.new("const int **"), ffi.new("size_t *")
    check(lib.cbc_enum_values(out, count, int(enum_type)))
    return list(out[0][0:count[0]])
