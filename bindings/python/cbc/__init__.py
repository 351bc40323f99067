"""libcbc for Python: the 查保促 campaign library (the organisation mirror and
HR sync; hazards: reporting, the lifecycle moves, queries, the event hook;
activities: training, drills, supervision, proposals, compliance; the
statistics: the monthly form, series, drill-down, breakdowns; and the rewards:
the policy and its presets, evaluation, the award ledger, internal fines,
administrative penalties, the period summary;
and the filings: the monthly form and the hazard table filed as snapshots,
due dates, who filed on time; and the tamper-evident history: the records
chained with SHA-256, verified against the checkpoints held outside).

    import cbc
    with cbc.Database("campaign.db") as db:
        db.sync(units=[cbc.UnitRecord("E1", cbc.UnitKind.ENTERPRISE, "济钢二厂")])
        for hazard in db.hazards(states=cbc.HazardState.REPORTED):
            print(hazard.id, hazard.title)
"""
from ._libcheck import lib as _lib  # first: ImportError if libcbc is missing or too old
from .database import Database, target_is_server, version
from .hazards import hazard_fsm_dot, hazard_transition
from .hazards import (ACTIVE_STATES, CLOSED_STATES, DONE_STATES, NEW_STATES, OPEN_STATES,
                      HazardSort)
from .activities import training_kind_name
from .rewards import policy_defaults, policy_preset, reward_rule_name
from .stats import RebuildProgress, form_title, hazard_table_title
from .filings import filing_kind_periods
from .accounts import LOGIN_LOCK_SECONDS, LOGIN_MAX_FAILURES
from .labels import EnumType, enum_label, enum_name, enum_parse, enum_values
from . import errors as _errors, types as _types
from .errors import *  # noqa: F401,F403
from .types import *  # noqa: F401,F403

__all__ = ["Database", "target_is_server", "version", "hazard_fsm_dot", "hazard_transition",
           "ACTIVE_STATES", "CLOSED_STATES", "DONE_STATES", "NEW_STATES", "OPEN_STATES",
           "HazardSort", "training_kind_name", "policy_defaults", "policy_preset",
           "reward_rule_name", "form_title", "hazard_table_title", "filing_kind_periods",
           "RebuildProgress", "EnumType",
           "enum_label", "enum_name", "enum_parse", "enum_values", "LOGIN_MAX_FAILURES",
           "LOGIN_LOCK_SECONDS"]
__all__ += _errors.__all__
__all__ += _types.__all__

__version__: str = version()
