"""Enums and records of the libcbc API.  The enums are CbcEnum or CbcFlag
(_enum.py): checked when passed to the library, printed by name, labelled."""
from __future__ import annotations

import dataclasses
import datetime
import threading
from typing import TYPE_CHECKING, Any, Tuple
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Union

from ._cbc import ffi, lib
from ._enum import CbcEnum, CbcFlag, labelled, to_c_lenient
from .labels import EnumType

if TYPE_CHECKING:
    from .database import Database

__all__ = ["HazardState", "HazardAction", "Severity", "HazardKind", "HazardCategory",
           "CheckItem", "HazardSource", "AttachmentStage", "Attachment", "StoredAttachment",
           "RectificationPlan", "Hazard", "HazardEvent", "Answer", "ErrorCode", "UnitKind",
           "Role", "Level", "SyncMode", "FileFormat", "RecordKind", "DbSync",
           "EmployeeEventKind", "Unit", "Employee", "EmployeeEvent", "UnitRecord",
           "EmployeeRecord", "SyncCounts", "SyncRowError", "SyncWarning", "SyncResult",
           "ImportProgress", "SweepProgress",
           "TrainingKind", "ProposalStatus", "NeedReason", "PeriodKind", "FormField",
           "BreakdownFigure", "HazardTableFigure", "StatsFormat",
           "Dimension", "Attendee", "Training", "Drill", "Proposal", "TrainingNeed", "DrillGap",
           "ActivityKind", "ActivityMove", "Visit", "CadreAssignment",
           "Period", "Form", "StatsCount", "Breakdown", "RewardRule", "SubjectKind",
           "AwardState", "AwardStep", "Policy", "Decision", "Evaluation", "Award", "Fine", "Penalty",
           "RewardSummary",
           "HistoryKind", "HistoryFault", "Checkpoint", "HistoryVerdict",
           "FilingKind", "FilingState", "Filing", "FilingStatusEntry", "FilingStatus",
           "CheckFlag", "FindingKind", "CheckFinding", "CheckReport", "AccountInfo",
           "CbcEnum", "CbcFlag",
           "Time", "TimeLike"]


#: A time returned by the package: an aware datetime in the database's UTC
#: offset, None where the library's 0 means "not set" (README, "Time").
Time = Optional[datetime.datetime]
#: A time the package takes: int seconds since the epoch, a datetime (naive:
#: in the database's offset) or a date (its midnight there); None is 0.
TimeLike = Union[int, datetime.datetime, datetime.date, None]


class ErrorCode(CbcEnum):
    """The library's return codes (cbc_error_code): CbcError.code is one; each
    E* code but ITEROVER has its exception (NotFoundError for ENOTFOUND, ...)."""
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


@labelled(EnumType.HAZARD_STATE)
class HazardState(CbcEnum):
    """Where a hazard is in its lifecycle (cbc_hazard_state; docs/lifecycle.dot)."""
    REPORTED = lib.CBC_HAZARD_REPORTED
    REGISTERED = lib.CBC_HAZARD_REGISTERED
    RECTIFYING = lib.CBC_HAZARD_RECTIFYING
    PENDING_VERIFICATION = lib.CBC_HAZARD_PENDING_VERIFICATION
    CLOSED = lib.CBC_HAZARD_CLOSED
    REJECTED = lib.CBC_HAZARD_REJECTED


@labelled(EnumType.HAZARD_ACTION)
class HazardAction(CbcEnum):
    """The moves of the hazard state machine, and of a hazard's event history
    (cbc_hazard_action; hazard_transition() says where each leads)."""
    REPORT = lib.CBC_ACTION_REPORT
    REJECT = lib.CBC_ACTION_REJECT
    REGISTER = lib.CBC_ACTION_REGISTER
    START = lib.CBC_ACTION_START
    ESCALATE = lib.CBC_ACTION_ESCALATE
    LIST_SUPERVISION = lib.CBC_ACTION_LIST_SUPERVISION
    REQUEST_EXTENSION = lib.CBC_ACTION_REQUEST_EXTENSION
    DECIDE_EXTENSION = lib.CBC_ACTION_DECIDE_EXTENSION
    SUBMIT = lib.CBC_ACTION_SUBMIT
    VERIFY_PASS = lib.CBC_ACTION_VERIFY_PASS
    VERIFY_FAIL = lib.CBC_ACTION_VERIFY_FAIL
    REOPEN = lib.CBC_ACTION_REOPEN
    ESCALATE_OVERDUE = lib.CBC_ACTION_ESCALATE_OVERDUE
    FILE_PLAN = lib.CBC_ACTION_FILE_PLAN
    AMEND = lib.CBC_ACTION_AMEND


@labelled(EnumType.SEVERITY)
class Severity(CbcEnum):
    """A hazard's severity: GENERAL (一般) or MAJOR (重大: large harm or hard to
    fix; handled at ENTERPRISE level)."""
    GENERAL = lib.CBC_SEVERITY_GENERAL
    MAJOR = lib.CBC_SEVERITY_MAJOR


@labelled(EnumType.HAZARD_KIND)
class HazardKind(CbcEnum):
    """HARD (硬: process, infrastructure, equipment, environment, protection) or
    SOFT (软: rules, organisation, responsibility, discipline, site, accidents)
    hazard."""
    HARD = lib.CBC_HAZARD_HARD
    SOFT = lib.CBC_HAZARD_SOFT


@labelled(EnumType.HAZARD_CATEGORY)
class HazardCategory(CbcEnum):
    """A safety hazard, or an occupational-health one (职业危害)."""
    SAFETY = lib.CBC_CATEGORY_SAFETY
    OCCUPATIONAL_HEALTH = lib.CBC_CATEGORY_OCCUPATIONAL_HEALTH


@labelled(EnumType.CHECK_ITEM)
class CheckItem(CbcEnum):
    """The six checks (六查) a hazard was found under (cbc_check_item)."""
    RULES = lib.CBC_CHECK_RULES
    STANDARD_OPERATION = lib.CBC_CHECK_STANDARD_OPERATION
    EQUIPMENT_GUARDING = lib.CBC_CHECK_EQUIPMENT_GUARDING
    PROTECTIVE_EQUIPMENT = lib.CBC_CHECK_PROTECTIVE_EQUIPMENT
    FIXED_POSITION = lib.CBC_CHECK_FIXED_POSITION
    KEY_POINT_CONTROL = lib.CBC_CHECK_KEY_POINT_CONTROL


@labelled(EnumType.HAZARD_SOURCE)
class HazardSource(CbcEnum):
    """How a hazard came in: self-check, expert, employee representative's
    patrol, team mutual check, snapshot (随手拍), hotline, supervision visit."""
    SELF_CHECK = lib.CBC_SOURCE_SELF_CHECK
    EXPERT = lib.CBC_SOURCE_EXPERT
    REP_PATROL = lib.CBC_SOURCE_REP_PATROL
    TEAM_MUTUAL_CHECK = lib.CBC_SOURCE_TEAM_MUTUAL_CHECK
    SNAPSHOT = lib.CBC_SOURCE_SNAPSHOT
    HOTLINE = lib.CBC_SOURCE_HOTLINE
    SUPERVISION_VISIT = lib.CBC_SOURCE_SUPERVISION_VISIT


@labelled(EnumType.ATTACHMENT_STAGE)
class AttachmentStage(CbcEnum):
    """The lifecycle stage an attachment documents: the report, the
    rectification or the verification."""
    REPORT = lib.CBC_STAGE_REPORT
    RECTIFICATION = lib.CBC_STAGE_RECTIFICATION
    VERIFICATION = lib.CBC_STAGE_VERIFICATION


@dataclass
class Attachment:
    """A photo or document reference given with a move (the host keeps the bytes)."""
    uri: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class StoredAttachment:
    """An attachment as stored with a hazard (Hazard.attachments): its
    reference, media type, size and SHA-256 as given, the stage, and when and
    by whom it was added."""
    uri: str
    media_type: str
    size: int
    sha256: str
    stage: "AttachmentStage"
    added_at: Time
    added_by: int


@dataclass
class RectificationPlan:
    """The rectification plan (治理方案) a major hazard needs; time_limit is a
    time (given: TimeLike; read back: an aware datetime)."""
    goals: str
    methods: str
    funds_materials: str
    responsible_bodies: str
    time_limit: TimeLike
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
    observed_at: Time
    reported_at: Time
    proposed_severity: "Severity"
    severity: Optional["Severity"]
    level: Optional["Level"]
    resolved_level: Optional["Level"]
    responsible_id: int
    measures: str
    funds_fen: int
    original_deadline: Time
    deadline: Time
    contingency_plan: str
    has_plan: bool
    plan: Optional[RectificationPlan]
    reject_reason: str
    duplicate_of: int
    listed: bool
    listing_authority: str
    listing_document: str
    listed_at: Time
    listed_by: int
    extension_pending: bool
    extension_requested_deadline: Time
    reopen_count: int
    submitted_by: int
    last_note: str
    closed_at: Time
    updated_at: Time
    attachments: List[StoredAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class HazardEvent:
    """One move of a hazard's history; from_state and level are None when 0."""
    id: int
    hazard_id: int
    at: Time
    actor_id: int
    action: "HazardAction"
    from_state: Optional["HazardState"]
    to_state: "HazardState"
    level: Optional["Level"]
    data: Dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """What the reporter hears about a report (件件有回声)."""
    hazard_id: int
    state: "HazardState"
    title: str
    answer: str
    updated_at: Time


@labelled(EnumType.UNIT_KIND)
class UnitKind(CbcEnum):
    """The kind of an org unit.  Parents must fit: a region under nothing or a
    region; an enterprise under nothing or a region; a workshop under an
    enterprise; a team (班组) under a workshop or an enterprise."""
    REGION = lib.CBC_UNIT_REGION
    ENTERPRISE = lib.CBC_UNIT_ENTERPRISE
    WORKSHOP = lib.CBC_UNIT_WORKSHOP
    TEAM = lib.CBC_UNIT_TEAM


@labelled(EnumType.ROLE)
class Role(CbcFlag):
    """The roles an employee holds, as flags (several at once:
    Role.WORKER | Role.TEAM_LEADER, or "worker|team_leader")."""
    WORKER = lib.CBC_ROLE_WORKER
    TEAM_LEADER = lib.CBC_ROLE_TEAM_LEADER
    WORKSHOP_DIRECTOR = lib.CBC_ROLE_WORKSHOP_DIRECTOR
    SAFETY_OFFICER = lib.CBC_ROLE_SAFETY_OFFICER
    PRINCIPAL = lib.CBC_ROLE_PRINCIPAL
    EMPLOYEE_REP = lib.CBC_ROLE_EMPLOYEE_REP
    EXPERT = lib.CBC_ROLE_EXPERT
    UNION_CADRE = lib.CBC_ROLE_UNION_CADRE
    BUREAU_INSPECTOR = lib.CBC_ROLE_BUREAU_INSPECTOR


@labelled(EnumType.LEVEL)
class Level(CbcEnum):
    """The level a hazard is handled at (INDIVIDUAL, TEAM, WORKSHOP, ENTERPRISE);
    Database.responsible() finds who answers for a unit at each."""
    INDIVIDUAL = lib.CBC_LEVEL_INDIVIDUAL
    TEAM = lib.CBC_LEVEL_TEAM
    WORKSHOP = lib.CBC_LEVEL_WORKSHOP
    ENTERPRISE = lib.CBC_LEVEL_ENTERPRISE


class SyncMode(CbcEnum):
    """How a sync treats what the input leaves out: INCREMENTAL leaves it as it
    is, FULL deactivates the employees (and closes the units) not in the input."""
    INCREMENTAL = lib.CBC_SYNC_INCREMENTAL
    FULL = lib.CBC_SYNC_FULL


class FileFormat(CbcEnum):
    """The format of an HR file for Database.import_files(): AUTO (by the file
    name's ending: .json; .tsv or .tab; .csv or .txt, TSV when the header's
    first separator is a tab), CSV, JSON or TSV."""
    AUTO = lib.CBC_FORMAT_AUTO
    CSV = lib.CBC_FORMAT_CSV
    JSON = lib.CBC_FORMAT_JSON
    TSV = lib.CBC_FORMAT_TSV


@labelled(EnumType.RECORD_KIND)
class RecordKind(CbcEnum):
    """Whether a sync row, warning or progress report is about units or employees."""
    UNIT = lib.CBC_RECORD_UNIT
    EMPLOYEE = lib.CBC_RECORD_EMPLOYEE


class DbSync(CbcEnum):
    """The durability of each commit (SQLite's synchronous pragma in WAL mode):
    FULL survives a power cut; NORMAL may lose the last commits in one."""
    NORMAL = lib.CBC_DB_SYNC_NORMAL
    FULL = lib.CBC_DB_SYNC_FULL


@labelled(EnumType.EMPLOYEE_EVENT_KIND)
class EmployeeEventKind(CbcEnum):
    """What an EmployeeEvent records: joined, transferred, left, returned."""
    JOINED = lib.CBC_EMPLOYEE_JOINED
    TRANSFERRED = lib.CBC_EMPLOYEE_TRANSFERRED
    LEFT = lib.CBC_EMPLOYEE_LEFT
    RETURNED = lib.CBC_EMPLOYEE_RETURNED


@dataclass(frozen=True)
class Unit:
    """An org unit (cbc_unit): region, enterprise, workshop or team, with its
    parent (0 for a root), the HR system's external id, and when it was
    created and closed (None while open)."""
    id: int
    parent_id: int
    kind: UnitKind
    external_id: str
    name: str
    industry: str
    high_risk: bool
    closed: bool
    created_at: Time
    closed_at: Time


@dataclass(frozen=True)
class Employee:
    """An employee (cbc_employee): their unit and roles, whether still active,
    and the hire date, since when in the unit, when they left (None while
    active) and when the record was created."""
    id: int
    external_id: str
    name: str
    post: str
    unit_id: int
    roles: Role
    active: bool
    hire_date: Time
    unit_since: Time
    left_at: Time
    created_at: Time


@dataclass(frozen=True)
class EmployeeEvent:
    """One entry of Database.employee_history(): what happened, when, and the
    units it went from and to (0 when not applicable)."""
    employee_id: int
    kind: EmployeeEventKind
    at: Time
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
    hire_date: TimeLike = 0


@dataclass(frozen=True)
class SyncCounts:
    """How many units or employees a sync added, updated, moved, deactivated
    and left unchanged."""
    added: int
    updated: int
    moved: int
    deactivated: int
    unchanged: int


@dataclass(frozen=True)
class SyncRowError:
    """A record a sync or an import refused: its kind, its row (the 0-based
    index in the call's list, or the 1-based data line or element of a
    file), the ErrorCode it would have failed with, and the message."""
    record: RecordKind
    row: int
    code: ErrorCode
    external_id: str
    message: str


@dataclass(frozen=True)
class SyncWarning:
    """Something in an imported file that did not stop the import (a column
    that is no field, ignored; an encoding that was guessed)."""
    record: RecordKind
    column: str
    message: str


@dataclass(frozen=True)
class SyncResult:
    """The outcome of Database.sync() or import_files(): the counts for units
    and employees, the rows refused (error_count of them; errors keeps the
    first ones), whether anything was applied, and the warnings."""
    units: SyncCounts
    employees: SyncCounts
    error_count: int
    errors: List[SyncRowError] = field(default_factory=list)
    applied: bool = True
    warning_count: int = 0
    warnings: List[SyncWarning] = field(default_factory=list)


@dataclass(frozen=True)
class SweepProgress:
    """What sweep_overdue() passes its progress callback after each committed
    batch: the hazards found overdue, how many of them were looked at so far,
    and how many of those this sweep escalated."""
    found: int
    done: int
    escalated: int


@dataclass(frozen=True)
class ImportProgress:
    """What import_files() passes its progress callback: the kind of record being
    read, the rows so far, and the bytes read of the file's total."""
    record: RecordKind
    rows: int
    bytes: int
    total_bytes: int


# -- activities (cbc/activity.h) ----------------------------------------------
@labelled(EnumType.TRAINING_KIND)
class TrainingKind(CbcEnum):
    """Kinds of safety training (教育培训): all-staff, the three inductions
    (三级教育: enterprise, workshop, team), re-training, team leaders' class,
    special operations, warning education."""
    ALL_STAFF = lib.CBC_TRAINING_ALL_STAFF
    INDUCTION_ENTERPRISE = lib.CBC_TRAINING_INDUCTION_ENTERPRISE
    INDUCTION_WORKSHOP = lib.CBC_TRAINING_INDUCTION_WORKSHOP
    INDUCTION_TEAM = lib.CBC_TRAINING_INDUCTION_TEAM
    RETRAINING = lib.CBC_TRAINING_RETRAINING
    LEADER_CLASS = lib.CBC_TRAINING_LEADER_CLASS
    SPECIAL_OPERATION = lib.CBC_TRAINING_SPECIAL_OPERATION
    WARNING_EDUCATION = lib.CBC_TRAINING_WARNING_EDUCATION


@labelled(EnumType.PROPOSAL_STATUS)
class ProposalStatus(CbcEnum):
    """Where a proposal (合理化建议) stands: submitted, adopted, not adopted."""
    SUBMITTED = lib.CBC_PROPOSAL_SUBMITTED
    ADOPTED = lib.CBC_PROPOSAL_ADOPTED
    NOT_ADOPTED = lib.CBC_PROPOSAL_NOT_ADOPTED


@labelled(EnumType.TRAINING_NEED_REASON)
class NeedReason(CbcEnum):
    """Why an employee needs training (TrainingNeed.reason): induction, a
    transfer, a long absence."""
    INDUCTION = lib.CBC_NEED_INDUCTION
    TRANSFER = lib.CBC_NEED_TRANSFER
    LONG_ABSENCE = lib.CBC_NEED_LONG_ABSENCE


@labelled(EnumType.ACTIVITY_KIND)
class ActivityKind(CbcEnum):
    """The kinds of activity records, for Database.void_activity()."""
    TRAINING = lib.CBC_ACTIVITY_TRAINING
    DRILL = lib.CBC_ACTIVITY_DRILL
    VISIT = lib.CBC_ACTIVITY_VISIT
    PROPOSAL = lib.CBC_ACTIVITY_PROPOSAL
    ASSIGNMENT = lib.CBC_ACTIVITY_ASSIGNMENT


class ActivityMove(CbcFlag):
    """What a person may do to an activity record now, as flags
    (Database.activity_moves(); docs/activities.md, "What may this person do")."""
    VOID = lib.CBC_ACTIVITY_MAY_VOID         #: Database.void_activity()
    DECIDE = lib.CBC_ACTIVITY_MAY_DECIDE     #: Database.decide_proposal(), a proposal
    RELEASE = lib.CBC_ACTIVITY_MAY_RELEASE   #: Database.release_cadre(), an assignment


@dataclass(frozen=True)
class Attendee:
    """One attendee of a training session (input and output)."""
    employee_id: int
    passed: bool = True


@dataclass(frozen=True)
class Training:
    """A stored training session (cbc_training); attendees by employee id."""
    id: int
    kind: "TrainingKind"
    unit_id: int
    held_at: Time
    minutes: int
    title: str
    recorded_at: Time
    attendees: List[Attendee] = field(default_factory=list)  # empty in listings
    voided_at: Time = None  # when it was voided (Database.void_activity); None while it stands
    voided_by: int = 0
    void_reason: str = ""


@dataclass(frozen=True)
class Drill:
    """A stored emergency drill (cbc_drill); team_ids ascending."""
    id: int
    unit_id: int
    held_at: Time
    scenario: str
    recorded_at: Time
    team_ids: List[int] = field(default_factory=list)  # empty in listings
    voided_at: Time = None  # when it was voided (Database.void_activity); None while it stands
    voided_by: int = 0
    void_reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """A stored proposal (cbc_proposal); decided_by is 0 and decided_at None until
    decided."""
    id: int
    proposer_id: int
    unit_id: int
    title: str
    text: str
    submitted_at: Time
    status: "ProposalStatus"
    decided_by: int
    decided_at: Time
    note: str
    voided_at: Time = None  # when it was voided (Database.void_activity); None while it stands
    voided_by: int = 0
    void_reason: str = ""


@dataclass(frozen=True)
class Visit:
    """A stored supervision visit (cbc_visit)."""
    id: int
    cadre_id: int
    unit_id: int
    visited_at: Time
    findings: str
    recorded_at: Time
    voided_at: Time = None  # when it was voided (Database.void_activity); None while it stands
    voided_by: int = 0
    void_reason: str = ""


@dataclass(frozen=True)
class CadreAssignment:
    """A stored cadre assignment (cbc_cadre_assignment): [start, end), end None
    while open-ended."""
    id: int
    cadre_id: int
    unit_id: int
    start: Time
    end: Time
    recorded_at: Time
    voided_at: Time = None  # when it was voided (Database.void_activity); None while it stands
    voided_by: int = 0
    void_reason: str = ""


@dataclass(frozen=True)
class TrainingNeed:
    """An employee who needs induction or re-training (cbc_training_need); missing
    holds the induction levels (TrainingKind) not yet passed, empty for other reasons."""
    employee_id: int
    reason: "NeedReason"
    since: Time
    missing: FrozenSet["TrainingKind"] = frozenset()


@dataclass(frozen=True)
class DrillGap:
    """A shortfall in the drill rule (cbc_drill_gap): team_id 0 is the enterprise's
    own row (too few drills held), else a team that took part in too few."""
    enterprise_id: int
    team_id: int
    drills: int


# -- statistics (cbc/stats.h) -------------------------------------------------
@labelled(EnumType.PERIOD_KIND)
class PeriodKind(CbcEnum):
    """The kind of a Period: a calendar month, quarter or year, or a range of
    times."""
    MONTH = lib.CBC_PERIOD_MONTH
    QUARTER = lib.CBC_PERIOD_QUARTER
    YEAR = lib.CBC_PERIOD_YEAR
    RANGE = lib.CBC_PERIOD_RANGE


@labelled(EnumType.FORM_FIELD)
class FormField(CbcEnum):
    """A figure of the monthly form (cbc_stats_field), in the form's order; the
    member's name, lower-cased, is the Form attribute that holds it, and its
    .label the form's row heading."""
    UNITS_RAN = lib.CBC_STATS_FIELD_UNITS_RAN
    EMPLOYEES_TOOK_PART = lib.CBC_STATS_FIELD_EMPLOYEES_TOOK_PART
    TRAINING_SESSIONS = lib.CBC_STATS_FIELD_TRAINING_SESSIONS
    EMPLOYEES_TRAINED = lib.CBC_STATS_FIELD_EMPLOYEES_TRAINED
    LEADER_CLASSES = lib.CBC_STATS_FIELD_LEADER_CLASSES
    LEADERS_TRAINED = lib.CBC_STATS_FIELD_LEADERS_TRAINED
    UNITS_ASSIGNED = lib.CBC_STATS_FIELD_UNITS_ASSIGNED
    SUPERVISION_VISITS = lib.CBC_STATS_FIELD_SUPERVISION_VISITS
    HAZARDS_FOUND = lib.CBC_STATS_FIELD_HAZARDS_FOUND
    HAZARDS_LISTED = lib.CBC_STATS_FIELD_HAZARDS_LISTED
    HAZARDS_RECTIFIED = lib.CBC_STATS_FIELD_HAZARDS_RECTIFIED


@labelled(EnumType.BREAKDOWN_FIGURE)
class BreakdownFigure(CbcEnum):
    """A figure of a breakdown (cbc_breakdown_figure), in its renderings' order;
    the member's name, lower-cased, is the Breakdown attribute that holds it,
    and its .label the heading front ends print.  The counts come first;
    from MEAN_DAYS_TO_CLOSE on they are days and rates (0 to 1)."""
    REPORTED = lib.CBC_FIGURE_REPORTED
    REJECTED = lib.CBC_FIGURE_REJECTED
    RECTIFIED = lib.CBC_FIGURE_RECTIFIED
    CLOSED = lib.CBC_FIGURE_CLOSED
    CLOSED_ON_TIME = lib.CBC_FIGURE_CLOSED_ON_TIME
    OVERDUE_AT_END = lib.CBC_FIGURE_OVERDUE_AT_END
    REOPENS = lib.CBC_FIGURE_REOPENS
    MEAN_DAYS_TO_CLOSE = lib.CBC_FIGURE_MEAN_DAYS_TO_CLOSE
    MEDIAN_DAYS_TO_CLOSE = lib.CBC_FIGURE_MEDIAN_DAYS_TO_CLOSE
    RECTIFICATION_RATE = lib.CBC_FIGURE_RECTIFICATION_RATE
    ON_TIME_RATE = lib.CBC_FIGURE_ON_TIME_RATE
    DISPOSAL_RATE = lib.CBC_FIGURE_DISPOSAL_RATE


@labelled(EnumType.HAZARD_TABLE_FIGURE)
class HazardTableFigure(CbcEnum):
    """A figure of the hazard statistics table (cbc_hazard_table_figure), in
    the order of the statutory table's columns; the member's name,
    lower-cased, is its key in Database.hazard_table()'s JSON and CSV, and
    its .label the table's heading."""
    UNITS_CHECKED = lib.CBC_HT_UNITS_CHECKED
    GENERAL_FOUND = lib.CBC_HT_GENERAL_FOUND
    GENERAL_RECTIFIED = lib.CBC_HT_GENERAL_RECTIFIED
    MAJOR_FOUND = lib.CBC_HT_MAJOR_FOUND
    MAJOR_RECTIFIED = lib.CBC_HT_MAJOR_RECTIFIED
    PLAN_MAJORS = lib.CBC_HT_PLAN_MAJORS
    PLAN_GOALS = lib.CBC_HT_PLAN_GOALS
    PLAN_METHODS = lib.CBC_HT_PLAN_METHODS
    PLAN_FUNDS_MATERIALS = lib.CBC_HT_PLAN_FUNDS_MATERIALS
    PLAN_RESPONSIBLE = lib.CBC_HT_PLAN_RESPONSIBLE
    PLAN_TIME_LIMIT = lib.CBC_HT_PLAN_TIME_LIMIT
    PLAN_SAFETY_MEASURES = lib.CBC_HT_PLAN_SAFETY_MEASURES
    PLAN_FUNDS_FEN = lib.CBC_HT_PLAN_FUNDS_FEN


class StatsFormat(CbcEnum):
    """How Database.render() writes a Form: TEXT (the paper form), JSON or CSV."""
    TEXT = lib.CBC_STATS_TEXT
    JSON = lib.CBC_STATS_JSON
    CSV = lib.CBC_STATS_CSV


@labelled(EnumType.STATS_DIMENSION)
class Dimension(CbcEnum):
    """The dimensions of a Breakdown (Breakdown.by_dimension()): severity, kind,
    category, check item, source, and the level hazards were resolved at."""
    SEVERITY = lib.CBC_DIM_SEVERITY
    KIND = lib.CBC_DIM_KIND
    CATEGORY = lib.CBC_DIM_CATEGORY
    CHECK_ITEM = lib.CBC_DIM_CHECK_ITEM
    SOURCE = lib.CBC_DIM_SOURCE
    RESOLVED_LEVEL = lib.CBC_DIM_RESOLVED_LEVEL


@dataclass(frozen=True)
class Period:
    """A reporting period (cbc_period).  Build one with Period.month(y, m),
    Period.quarter(y, q), Period.year(y), Period.range(start, end),
    Period.parse(text) or Period.current(db); str() gives its canonical text
    (cbc_period_format).  The fields are the C struct's (calendar_year is its
    `year`, start and end its `from` and `to`, int seconds since the epoch,
    0 for a calendar period: db.period_bounds(p) gives any period's bounds as
    aware datetimes).  utc_offset is the UTC offset of the database the period
    was read or built with (None: none), which str() writes a range in; it
    takes no part in comparisons."""
    kind: "PeriodKind"
    calendar_year: int = 0
    number: int = 0
    start: int = 0
    end: int = 0
    utc_offset: Optional[int] = field(default=None, compare=False, repr=False)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month (1-12) of a year."""
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The quarter (1-4) of a year."""
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def year(cls, year: int) -> Period:
        """A calendar year."""
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def range(cls, start: TimeLike, end: TimeLike, db: Optional[Database] = None) -> Period:
        """[start, end): int seconds, aware datetimes, or (with db, in its UTC
        offset) naive datetimes and dates; a date as end leaves that day out.
        Without db a naive datetime or a date is a TypeError."""
        from ._time import to_seconds
        offset = db.utc_offset if db is not None else None
        return cls(PeriodKind.RANGE, 0, 0, to_seconds(start, offset, "start"),
                   to_seconds(end, offset, "end"), offset)

    @classmethod
    def parse(cls, text: str, db: Optional[Database] = None) -> Period:
        """A Period from "2026-11", "2026-Q4", "2026", "2026-11-01..2026-11-15"
        (days, both included) or a range of ISO-8601 times (cbc_period_parse).
        Day ranges and times without an offset are read in db's UTC offset;
        without db such a text is an InvalidError (months, quarters, years and
        times with an offset need none).  Bad text: InvalidError (a ValueError)."""
        if not isinstance(text, str):
            raise TypeError("text: expected str, got %s" % type(text).__name__)
        if db is not None:
            return db.parse_period(text)
        with _PRIVATE_LOCK:
            east, west = (_private_db(offset).parse_period(text) for offset in (3600, -3600))
        if east != west:
            from .errors import InvalidError
            raise InvalidError(lib.CBC_EINVAL, "%r depends on a UTC offset: give the "
                               "database, Period.parse(text, db)" % text)
        return dataclasses.replace(east, utc_offset=None)

    @classmethod
    def current(cls, db: Database) -> Period:
        """The calendar month containing the database's now, in its UTC offset."""
        return db.period_containing(PeriodKind.MONTH, db.now())

    def __str__(self) -> str:
        """The canonical text (cbc_period_format), which Period.parse() reads back;
        a range in its utc_offset, or in UTC (with "Z") when it has none."""
        offset = self.utc_offset if self.utc_offset is not None else 0
        with _PRIVATE_LOCK:
            return _private_db(offset).format_period(self)


# One handle is used by one thread at a time: the private handles are
# shared by every thread, so they are used under this lock.
_PRIVATE_DBS: Dict[int, Database] = {}
_PRIVATE_LOCK = threading.Lock()


def _private_db(offset: int) -> Database:
    """An in-memory database with a UTC offset, for the Period calls made without one."""
    if offset not in _PRIVATE_DBS:
        from .database import Database
        _PRIVATE_DBS[offset] = Database(":memory:", utc_offset_seconds=offset)
    return _PRIVATE_DBS[offset]


@dataclass(frozen=True)
class Form:
    """The official form (cbc_stats_form) for a node and period [start, end)."""
    unit_id: int
    start: Time
    end: Time
    units_ran: int
    employees_took_part: int
    training_sessions: int
    employees_trained: int
    leader_classes: int
    leaders_trained: int
    units_assigned: int
    supervision_visits: int
    hazards_found: int
    hazards_listed: int
    hazards_rectified: int

    def value(self, field: Union[FormField, int, str]) -> int:
        """One figure by its FormField (or the field's name or label), for code
        that loops over the form: FormField's order is the form's."""
        return int(getattr(self, FormField.coerce(field, "field").name.lower()))


@dataclass(frozen=True)
class StatsCount:
    """One cell of a breakdown; value is the dimension's enum (Severity, HazardKind,
    HazardCategory, CheckItem, HazardSource or Level)."""
    dimension: "Dimension"
    value: int
    count: int


@dataclass(frozen=True)
class Breakdown:
    """A node's hazards in [start, end), broken down, with rates (cbc_stats_breakdown).
    counts holds every value of every dimension, zeros included."""
    unit_id: int
    start: Time
    end: Time
    reported: int
    rejected: int
    rectified: int
    closed: int
    closed_on_time: int
    overdue_at_end: int
    reopens: int
    mean_days_to_close: float
    median_days_to_close: float
    rectification_rate: float
    on_time_rate: float
    disposal_rate: float
    counts: List[StatsCount] = field(default_factory=list)

    def by_dimension(self, dimension: Union[Dimension, int, str]) -> Dict[Any, int]:
        """{value: count} for one Dimension."""
        dimension = Dimension.coerce(dimension, "dimension")
        return {c.value: c.count for c in self.counts if c.dimension == dimension}

    def value(self, figure: Union[BreakdownFigure, int, str]) -> Union[int, float]:
        """One figure by its BreakdownFigure (or the figure's name or label): an
        int for the counts, a float for the days and rates."""
        value: Union[int, float] = getattr(
            self, BreakdownFigure.coerce(figure, "figure").name.lower())
        return value


# -- rewards (cbc/reward.h) ---------------------------------------------------
@labelled(EnumType.REWARD_RULE)
class RewardRule(CbcEnum):
    """The reward policy's rules (reward_rule_name() gives the policy's names):
    hazard discoveries (major, general), hotline tips, adopted proposals, and
    the honours (labour medal, worker pioneer, Ankang Cup)."""
    MAJOR_HAZARD = lib.CBC_RULE_MAJOR_HAZARD
    GENERAL_HAZARD = lib.CBC_RULE_GENERAL_HAZARD
    HOTLINE_TIP = lib.CBC_RULE_HOTLINE_TIP
    PROPOSAL = lib.CBC_RULE_PROPOSAL
    LABOUR_MEDAL = lib.CBC_RULE_LABOUR_MEDAL
    WORKER_PIONEER = lib.CBC_RULE_WORKER_PIONEER
    ANKANG_CUP = lib.CBC_RULE_ANKANG_CUP


@labelled(EnumType.SUBJECT_KIND)
class SubjectKind(CbcEnum):
    """Who an award is for: an employee, an anonymous tipster (by follow-up
    key), a team, a workshop or a unit."""
    EMPLOYEE = lib.CBC_SUBJECT_EMPLOYEE
    ANONYMOUS = lib.CBC_SUBJECT_ANONYMOUS
    TEAM = lib.CBC_SUBJECT_TEAM
    WORKSHOP = lib.CBC_SUBJECT_WORKSHOP
    UNIT = lib.CBC_SUBJECT_UNIT


@labelled(EnumType.AWARD_STATE)
class AwardState(CbcEnum):
    """Where an award stands: proposed, approved, paid or declined."""
    PROPOSED = lib.CBC_AWARD_PROPOSED
    APPROVED = lib.CBC_AWARD_APPROVED
    PAID = lib.CBC_AWARD_PAID
    DECLINED = lib.CBC_AWARD_DECLINED


@labelled(EnumType.AWARD_STEP)
class AwardStep(CbcEnum):
    """A step on an award (Database.award_moves()): approve, pay, decline, review."""
    APPROVE = lib.CBC_AWARD_STEP_APPROVE
    PAY = lib.CBC_AWARD_STEP_PAY
    DECLINE = lib.CBC_AWARD_STEP_DECLINE
    REVIEW = lib.CBC_AWARD_STEP_REVIEW


def _rule_name(rule: Union[RewardRule, int, str]) -> Optional[str]:
    """cbc_reward_rule_name(): the policy's name of a rule, None for an unknown value."""
    name = lib.cbc_reward_rule_name(to_c_lenient(RewardRule, rule, "rule"))
    text: Optional[str] = ffi.string(name).decode("utf-8") if name != ffi.NULL else None
    return text


@dataclass(frozen=True)
class Policy:
    """A stored version of the reward policy: the complete JSON document as
    text, and the same parsed (data)."""
    version: int
    text: str
    data: Dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """One decision of an evaluation (cbc_reward_decision).  subject_id is an
    employee, a team, a workshop or an enterprise by subject_kind; for an
    ANONYMOUS tip-off, the tip-off's hazard.  rule is a RewardRule (the plain
    int for a rule this binding does not know); award_id is its award record
    (new or found), 0 when not eligible or in a dry run that found none."""
    rule: "RewardRule"
    subject_kind: "SubjectKind"
    subject_id: int
    eligible: bool
    hazard_id: int
    proposal_id: int
    amount_fen: int
    reasons: str
    award_id: int

    @property
    def rule_name(self) -> Optional[str]:
        """The policy's name of the rule ("major_hazard", ...), from the library."""
        return _rule_name(self.rule)


@dataclass(frozen=True)
class Evaluation:
    """The decisions of one evaluation (cbc_reward_decisions): the policy version
    applied and the period [start, end) (both None for one hazard's explanation);
    decisions by rule, then subject, then hazard or proposal."""
    policy_version: int
    start: Time
    end: Time
    decisions: List[Decision] = field(default_factory=list)

    def find(self, rule: Union[RewardRule, int, str, None] = None,
             subject_kind: Union[SubjectKind, int, str, None] = None,
             subject_id: Optional[int] = None) -> List[Decision]:
        """The decisions of a RewardRule, a SubjectKind and a subject id (None: any)."""
        if rule is not None:
            rule_value: Optional[int] = to_c_lenient(RewardRule, rule, "rule")
        else:
            rule_value = None
        if subject_kind is not None:
            kind_value: Optional[int] = to_c_lenient(SubjectKind, subject_kind, "subject_kind")
        else:
            kind_value = None
        return [d for d in self.decisions
                if (rule_value is None or d.rule == rule_value)
                and (kind_value is None or d.subject_kind == kind_value)
                and (subject_id is None or d.subject_id == subject_id)]


@dataclass(frozen=True)
class Award:
    """An award record (cbc_award).  cause says what it is for ("hazard:12",
    "proposal:3", "period:2026-Q2", ...); the *_by fields are 0, the *_at
    fields None and the texts "" until the step is taken; review is True while it is flagged
    after its hazard was reopened.  unit_id is where it counts (as the
    reward summary counts it): its hazard's or proposal's unit, the finder's
    unit for the labour medal, the honoured unit."""
    id: int
    rule: "RewardRule"
    subject_kind: "SubjectKind"
    subject_id: int
    cause: str
    hazard_id: int
    proposal_id: int
    policy_version: int
    amount_fen: int
    reasons: str
    state: "AwardState"
    proposed_at: Time
    approved_by: int
    approved_at: Time
    paid_by: int
    paid_at: Time
    payment_ref: str
    declined_by: int
    declined_at: Time
    decline_reason: str
    review: bool
    flagged_at: Time
    reviewed_by: int
    reviewed_at: Time
    review_note: str
    unit_id: int = 0

    @property
    def rule_name(self) -> Optional[str]:
        """The policy's name of the rule ("major_hazard", ...), from the library."""
        return _rule_name(self.rule)


@dataclass(frozen=True)
class Fine:
    """A stored internal fine (cbc_fine); hazard_id 0 and violation "" when not set;
    unit_id is the employee's unit when fined."""
    id: int
    employee_id: int
    unit_id: int
    amount_fen: int
    reason: str
    hazard_id: int
    violation: str
    issued_by: int
    issued_at: Time


@dataclass(frozen=True)
class Penalty:
    """An administrative penalty (行政处罚) recorded for a hazard
    (cbc_hazard_penalty; Database.record_penalty(), Database.penalty()): the
    fine the safety bureau imposed on the enterprise (amount_fen), the
    penalty decision's number (document, 处罚决定书文号), the bureau
    inspector who recorded it (recorded_by) and when, by the database's
    clock (recorded_at).  The input of the whistle-blower reward (the
    hotline_tip rule's percent_of_fine)."""
    hazard_id: int
    amount_fen: int
    document: str
    recorded_by: int
    recorded_at: Time


@dataclass(frozen=True)
class RewardSummary:
    """A period's rewards and fines over a subtree (cbc_reward_summary), for
    [start, end).  awards counts the awards proposed in the period (the C
    struct's awards[0]) and awards_by_state the same by AwardState (awards[1..4],
    every state present); awarded_fen is the money of those not declined,
    paid_fen the money paid in the period; fines and fined_fen count fine_list."""
    unit_id: int
    start: Time
    end: Time
    awards: int
    awards_by_state: Dict["AwardState", int]
    awarded_fen: int
    paid_fen: int
    fines: int
    fined_fen: int
    fine_list: List[Fine] = field(default_factory=list)


# -- the tamper-evident history (cbc/history.h) ------------------------------
@labelled(EnumType.HISTORY_KIND)
class HistoryKind(CbcEnum):
    """The kinds of record the history chains (cbc_history_kind): a hazard's
    report (the fields fixed when it was made), a move in its history, its
    attachments; a move in an employee's history, a cadre's assignment and
    a version of the reward policy (in chain 0, the database's own; a
    policy's record_id is its version); trainings and drills, supervision
    visits, proposals, awards, internal fines, filed reports and
    administrative penalties (Database.record_penalty())."""
    HAZARD = lib.CBC_HISTORY_HAZARD
    HAZARD_EVENT = lib.CBC_HISTORY_HAZARD_EVENT
    ATTACHMENT = lib.CBC_HISTORY_ATTACHMENT
    EMPLOYEE_EVENT = lib.CBC_HISTORY_EMPLOYEE_EVENT
    TRAINING = lib.CBC_HISTORY_TRAINING
    DRILL = lib.CBC_HISTORY_DRILL
    ASSIGNMENT = lib.CBC_HISTORY_ASSIGNMENT
    VISIT = lib.CBC_HISTORY_VISIT
    PROPOSAL = lib.CBC_HISTORY_PROPOSAL
    AWARD = lib.CBC_HISTORY_AWARD
    FINE = lib.CBC_HISTORY_FINE
    POLICY = lib.CBC_HISTORY_POLICY
    FILING = lib.CBC_HISTORY_FILING
    PENALTY = lib.CBC_HISTORY_PENALTY


@labelled(EnumType.HISTORY_FAULT)
class HistoryFault(CbcEnum):
    """What Database.history_verify() found (cbc_history_fault): SOUND (every
    chain and record matches); LINK_ALTERED (a link does not follow from
    the one before it: a link was edited, removed, inserted or moved);
    RECORD_ALTERED (a record differs from what its newest link vouches
    for); RECORD_MISSING (a link names a record that is not there);
    RECORD_UNCHAINED (a record without a link: added behind the library's
    back); CHECKPOINT_DIFFERS (a chain disagrees with a checkpoint given: it
    was rewritten or cut back since)."""
    SOUND = lib.CBC_HISTORY_SOUND
    LINK_ALTERED = lib.CBC_HISTORY_LINK_ALTERED
    RECORD_ALTERED = lib.CBC_HISTORY_RECORD_ALTERED
    RECORD_MISSING = lib.CBC_HISTORY_RECORD_MISSING
    RECORD_UNCHAINED = lib.CBC_HISTORY_RECORD_UNCHAINED
    CHECKPOINT_DIFFERS = lib.CBC_HISTORY_CHECKPOINT_DIFFERS


@dataclass(frozen=True)
class Checkpoint:
    """The head of a history chain (cbc_history_checkpoint), to hold outside
    the database: the chain (an enterprise's or a region node's id, 0 for
    the database's own), how many links it had (seq; 0: none) and the
    SHA-256 of its last link (sha256: 64 lowercase hex digits; "" when seq
    is 0).  From Database.history_head(), the checkpoint hook and each
    Filing; given back to Database.history_verify()."""
    chain: int
    seq: int
    sha256: str


@dataclass(frozen=True)
class HistoryVerdict:
    """What Database.history_verify() found (cbc_history_verdict): the first
    fault (HistoryFault.SOUND when none; see sound), the chain and link
    (seq) of the fault (seq 0 for an unchained record), the record's kind
    and id (None and 0 when sound or for a checkpoint that differs), what is
    wrong for people (message, one line in English; "" when sound), and how
    many links and records were checked up to the fault."""
    fault: "HistoryFault"
    chain: int
    seq: int
    kind: Optional["HistoryKind"]
    record_id: int
    message: str
    links_checked: int
    records_checked: int

    @property
    def sound(self) -> bool:
        """True when every chain, record and checkpoint matched."""
        return self.fault == HistoryFault.SOUND


# -- filings (cbc/filing.h) ---------------------------------------------------
@labelled(EnumType.FILING_KIND)
class FilingKind(CbcEnum):
    """What a unit files (cbc_filing_kind): the monthly 查保促 form of an
    enterprise or a region node, for a month; the hazard statistics table of
    an enterprise, for a quarter or a year; the prompt report of one
    registered major hazard, by its enterprise (no period); the report to the
    employee congress of an enterprise, for a quarter or a year."""
    MONTHLY_FORM = lib.CBC_FILING_MONTHLY_FORM
    HAZARD_TABLE = lib.CBC_FILING_HAZARD_TABLE
    MAJOR_HAZARD_REPORT = lib.CBC_FILING_MAJOR_HAZARD_REPORT
    CONGRESS_REPORT = lib.CBC_FILING_CONGRESS_REPORT


@labelled(EnumType.FILING_STATE)
class FilingState(CbcEnum):
    """Where a unit stands with a report it owes (cbc_filing_state): its first
    version came on time or late; nothing filed and the due date passed
    (MISSING) or not yet (PENDING)."""
    ON_TIME = lib.CBC_FILING_ON_TIME
    LATE = lib.CBC_FILING_LATE
    MISSING = lib.CBC_FILING_MISSING
    PENDING = lib.CBC_FILING_PENDING


@dataclass(frozen=True)
class Filing:
    """A filed report (cbc_filing), as it was filed and never changed: what,
    by which unit, for which Period, its version (1 for the unit's first
    filing of that report and period), who filled it in (filed_by) and who
    signed, when, its due date (the last second of the due day) and whether
    it came after it (late); note is "" when none; json, text and csv are the
    report's renderings at the moment it was filed (StatsFormat).  The
    major-hazard report has no period (None) and names its hazard
    (hazard_id; 0 for the other kinds).  checkpoint is the history chain's
    head of the filing enterprise (or region node) as it was filed, printed
    on the renderings (seq 0 for a filing made before the history began)."""
    id: int
    kind: "FilingKind"
    unit_id: int
    period: Optional["Period"]
    version: int
    filed_by: int
    signed_by: int
    filed_at: Time
    due_at: Time
    late: bool
    note: str
    json: str
    text: str
    csv: str
    hazard_id: int = 0
    checkpoint: Checkpoint = Checkpoint(0, 0, "")


@dataclass(frozen=True)
class FilingStatusEntry:
    """One unit's standing with a report (cbc_filing_status_entry): its
    FilingState, how many versions it filed (0: none), and when it first and
    last filed (None when it did not)."""
    unit_id: int
    state: "FilingState"
    versions: int
    first_filed_at: Time
    last_filed_at: Time


@dataclass(frozen=True)
class FilingStatus:
    """Who under a node owes a report for a Period, and where each stands
    (cbc_filing_status): the due date, when the status was taken (at, the
    database's clock), the entries by unit id, and how many are in each
    FilingState."""
    unit_id: int
    kind: "FilingKind"
    period: "Period"
    due_at: Time
    at: Time
    entries: Tuple[FilingStatusEntry, ...]
    on_time: int
    late: int
    missing: int
    pending: int

    def entry(self, unit_id: int) -> FilingStatusEntry:
        """The entry of one unit; KeyError when it owes nothing here."""
        for e in self.entries:
            if e.unit_id == unit_id:
                return e
        raise KeyError(unit_id)


class CheckFlag(CbcFlag):
    """What Database.check() checks (cbc_check_flag)."""
    FILE = lib.CBC_CHECK_FILE
    HISTORIES = lib.CBC_CHECK_HISTORIES
    STATS = lib.CBC_CHECK_STATS
    ALL = lib.CBC_CHECK_ALL


@labelled(EnumType.FINDING_KIND)
class FindingKind(CbcEnum):
    """What a CheckFinding is about: the database FILE (SQLite's integrity
    check), a hazard's HISTORY, or a unit's STATS aggregates."""
    FILE = lib.CBC_FINDING_FILE
    HISTORY = lib.CBC_FINDING_HISTORY
    STATS = lib.CBC_FINDING_STATS


@dataclass(frozen=True)
class CheckFinding:
    """One finding of Database.check(): object_id is the hazard (HISTORY), the
    unit (STATS) or 0 (FILE)."""
    kind: "FindingKind"
    object_id: int
    message: str


@dataclass(frozen=True)
class CheckReport:
    """The result of Database.check() (cbc_check_report); ok when nothing was found."""
    findings: List[CheckFinding]
    hazards_checked: int
    forms_compared: int

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings


@dataclass(frozen=True)
class AccountInfo:
    """An employee's sign-in account (cbc_account_info), from Database.account():
    has_password, failures (failed sign-ins in a row since the last success or
    new password), locked_until (the end of the current lock; None when not
    locked now) and changed_at (when the password was set; None without one)."""
    employee_id: int
    has_password: bool
    failures: int
    locked_until: Time
    changed_at: Time
