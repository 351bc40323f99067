"""Enums and records of the libcbc API."""
import enum
from dataclasses import dataclass, field
from typing import List, Optional

from ._cbc import lib

__all__ = ["HazardState", "HazardAction", "Severity", "HazardKind", "HazardCategory",
           "CheckItem", "HazardSource", "AttachmentStage", "Attachment", "StoredAttachment",
           "RectificationPlan", "Hazard", "HazardEvent", "Answer", "ErrorCode", "UnitKind",
           "Role", "Level", "SyncMode", "FileFormat", "RecordKind", "DbSync",
           "EmployeeEventKind", "Unit", "Employee", "EmployeeEvent", "UnitRecord",
           "EmployeeRecord", "SyncCounts", "SyncRowError", "SyncResult", "ImportProgress"]


class ErrorCode(enum.IntEnum):
    OK = lib.CBC_OK
    ENOTFOUND = lib.CBC_ENOTFOUND
    EINVAL = lib.CBC_EINVAL
    ESTATE = lib.CBC_ESTATE
    EPERM = lib.CBC_EPERM
    ECONFLICT = lib.CBC_ECONFLICT
    EBUSY = lib.CBC_EBUSY
    ENOMEM = lib.CBC_ENOMEM
    EIO = lib.CBC_EIO
    ECORRUPT = lib.CBC_ECORRUPT
    EVERSION = lib.CBC_EVERSION
    ITEROVER = lib.CBC_ITEROVER


def _enum(name, prefix, names):
    return enum.IntEnum(name, [(n, getattr(lib, prefix + n)) for n in names])


HazardState = _enum("HazardState", "CBC_HAZARD_", [
    "REPORTED", "REGISTERED", "RECTIFYING", "PENDING_VERIFICATION", "CLOSED", "REJECTED"])
HazardAction = _enum("HazardAction", "CBC_ACTION_", [
    "REPORT", "REJECT", "REGISTER", "START", "ESCALATE", "LIST_SUPERVISION",
    "REQUEST_EXTENSION", "DECIDE_EXTENSION", "SUBMIT", "VERIFY_PASS", "VERIFY_FAIL", "REOPEN",
    "ESCALATE_OVERDUE", "FILE_PLAN"])
Severity = _enum("Severity", "CBC_SEVERITY_", ["GENERAL", "MAJOR"])
HazardKind = _enum("HazardKind", "CBC_HAZARD_", ["HARD", "SOFT"])
HazardCategory = _enum("HazardCategory", "CBC_CATEGORY_", ["SAFETY", "OCCUPATIONAL_HEALTH"])
CheckItem = _enum("CheckItem", "CBC_CHECK_", [
    "RULES", "STANDARD_OPERATION", "EQUIPMENT_GUARDING", "PROTECTIVE_EQUIPMENT",
    "FIXED_POSITION", "KEY_POINT_CONTROL"])
HazardSource = _enum("HazardSource", "CBC_SOURCE_", [
    "SELF_CHECK", "EXPERT", "REP_PATROL", "TEAM_MUTUAL_CHECK", "SNAPSHOT", "HOTLINE",
    "SUPERVISION_VISIT"])


AttachmentStage = _enum("AttachmentStage", "CBC_STAGE_", ["REPORT", "RECTIFICATION",
                                                          "VERIFICATION"])


@dataclass
class Attachment:
    """A photo or document reference given with a move (the host keeps the bytes)."""
    uri: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class StoredAttachment:
    uri: str
    media_type: str
    size: int
    sha256: str
    stage: "AttachmentStage"
    added_at: int
    added_by: int


@dataclass
class RectificationPlan:
    """The rectification plan (治理方案) a major hazard needs; time_limit in epoch seconds."""
    goals: str
    methods: str
    funds_materials: str
    responsible_bodies: str
    time_limit: int
    safety_measures: str


@dataclass(frozen=True)
class Hazard:
    """A hazard as stored (cbc_hazard).  severity, level and resolved_level are
    None while unset; plan is None unless has_plan."""
    id: int
    state: "HazardState"
    reporter_id: int
    unit_id: int
    enterprise_id: int
    title: str
    description: str
    location: str
    kind: "HazardKind"
    category: "HazardCategory"
    check_item: "CheckItem"
    source: "HazardSource"
    observed_at: int
    reported_at: int
    proposed_severity: "Severity"
    severity: Optional["Severity"]
    level: Optional["Level"]
    resolved_level: Optional["Level"]
    responsible_id: int
    measures: str
    funds_fen: int
    original_deadline: int
    deadline: int
    contingency_plan: str
    has_plan: bool
    plan: Optional[RectificationPlan]
    reject_reason: str
    duplicate_of: int
    listed: bool
    listing_authority: str
    listing_document: str
    listed_at: int
    listed_by: int
    extension_pending: bool
    extension_requested_deadline: int
    reopen_count: int
    submitted_by: int
    last_note: str
    closed_at: int
    updated_at: int
    attachments: List[StoredAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class HazardEvent:
    """One move of a hazard's history; from_state and level are None when 0."""
    id: int
    hazard_id: int
    at: int
    actor_id: int
    action: "HazardAction"
    from_state: Optional["HazardState"]
    to_state: "HazardState"
    level: Optional["Level"]
    data: dict


@dataclass(frozen=True)
class Answer:
    """What the reporter hears about a report (件件有回声)."""
    hazard_id: int
    state: "HazardState"
    title: str
    answer: str
    updated_at: int


class UnitKind(enum.IntEnum):
    REGION = lib.CBC_UNIT_REGION
    ENTERPRISE = lib.CBC_UNIT_ENTERPRISE
    WORKSHOP = lib.CBC_UNIT_WORKSHOP
    TEAM = lib.CBC_UNIT_TEAM


class Role(enum.IntFlag):
    WORKER = lib.CBC_ROLE_WORKER
    TEAM_LEADER = lib.CBC_ROLE_TEAM_LEADER
    WORKSHOP_DIRECTOR = lib.CBC_ROLE_WORKSHOP_DIRECTOR
    SAFETY_OFFICER = lib.CBC_ROLE_SAFETY_OFFICER
    PRINCIPAL = lib.CBC_ROLE_PRINCIPAL
    EMPLOYEE_REP = lib.CBC_ROLE_EMPLOYEE_REP
    EXPERT = lib.CBC_ROLE_EXPERT
    UNION_CADRE = lib.CBC_ROLE_UNION_CADRE
    BUREAU_INSPECTOR = lib.CBC_ROLE_BUREAU_INSPECTOR


class Level(enum.IntEnum):
    INDIVIDUAL = lib.CBC_LEVEL_INDIVIDUAL
    TEAM = lib.CBC_LEVEL_TEAM
    WORKSHOP = lib.CBC_LEVEL_WORKSHOP
    ENTERPRISE = lib.CBC_LEVEL_ENTERPRISE


class SyncMode(enum.IntEnum):
    INCREMENTAL = lib.CBC_SYNC_INCREMENTAL
    FULL = lib.CBC_SYNC_FULL


class FileFormat(enum.IntEnum):
    AUTO = lib.CBC_FORMAT_AUTO
    CSV = lib.CBC_FORMAT_CSV
    JSON = lib.CBC_FORMAT_JSON


class RecordKind(enum.IntEnum):
    UNIT = lib.CBC_RECORD_UNIT
    EMPLOYEE = lib.CBC_RECORD_EMPLOYEE


class DbSync(enum.IntEnum):
    NORMAL = lib.CBC_DB_SYNC_NORMAL
    FULL = lib.CBC_DB_SYNC_FULL


class EmployeeEventKind(enum.IntEnum):
    JOINED = lib.CBC_EMPLOYEE_JOINED
    TRANSFERRED = lib.CBC_EMPLOYEE_TRANSFERRED
    LEFT = lib.CBC_EMPLOYEE_LEFT
    RETURNED = lib.CBC_EMPLOYEE_RETURNED


@dataclass(frozen=True)
class Unit:
    id: int
    parent_id: int
    kind: UnitKind
    external_id: str
    name: str
    industry: str
    high_risk: bool
    closed: bool
    created_at: int
    closed_at: int


@dataclass(frozen=True)
class Employee:
    id: int
    external_id: str
    name: str
    post: str
    unit_id: int
    roles: Role
    active: bool
    hire_date: int
    unit_since: int
    left_at: int
    created_at: int


@dataclass(frozen=True)
class EmployeeEvent:
    employee_id: int
    kind: EmployeeEventKind
    at: int
    from_unit: int
    to_unit: int


@dataclass
class UnitRecord:
    """A unit as the HR system describes it (input to sync)."""
    external_id: str
    kind: UnitKind
    name: str
    parent_external_id: Optional[str] = None
    industry: Optional[str] = None
    high_risk: bool = False


@dataclass
class EmployeeRecord:
    """An employee as the HR system describes them (input to sync)."""
    external_id: str
    name: str
    unit_external_id: str
    post: Optional[str] = None
    roles: Role = Role(0)
    active: bool = True
    hire_date: int = 0


@dataclass(frozen=True)
class SyncCounts:
    added: int
    updated: int
    moved: int
    deactivated: int
    unchanged: int


@dataclass(frozen=True)
class SyncRowError:
    record: RecordKind
    row: int
    code: int
    external_id: str
    message: str


@dataclass(frozen=True)
class SyncResult:
    units: SyncCounts
    employees: SyncCounts
    error_count: int
    errors: List[SyncRowError] = field(default_factory=list)
    applied: bool = True


@dataclass(frozen=True)
class ImportProgress:
    record: RecordKind
    rows: int
    bytes: int
    total_bytes: int
