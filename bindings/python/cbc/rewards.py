"""The rewards API (cbc/reward.h): RewardsMixin, inherited by Database."""
from __future__ import annotations

import json
from collections.abc import Mapping

from typing import Any, Dict, FrozenSet, List, Optional, Tuple, Union

from ._cbc import ffi, lib
from ._enum import to_c
from ._support import _DatabaseBase, _Strings, _fetch, _items, _period, _string, _text
from ._time import bound, db_seconds, from_seconds as _t
from .errors import check
from .types import TimeLike
from .types import (Period, Award, AwardState, AwardStep, Decision, Evaluation, Fine, Penalty,
                    Policy, RewardRule, RewardSummary, SubjectKind, _rule_name)

__all__ = ["RewardsMixin", "policy_defaults", "policy_preset", "reward_rule_name"]


def policy_defaults() -> str:
    """The built-in default reward policy as a complete JSON document (text);
    json.loads() it for a dict.  A database starts with it as version 1."""
    return _string(lib.cbc_policy_defaults)


def policy_preset(name: str) -> str:
    """A named reward policy preset as a complete JSON document (text): the
    built-in defaults with the preset's keys, ready for Database.set_policy();
    json.loads() it for a dict (docs/rewards.md).  The presets:

    - "whistleblower_2018": the national rule for rewarding reports in work
      safety (安全生产领域举报奖励办法, 安监总财〔2018〕19号) as the hotline_tip
      rule: a verified major-hazard tip-off earns 15 % of the administrative
      penalty (Database.record_penalty()), at least 3,000 and at most 300,000
      yuan (percent_of_fine 15, min_fen 300000, max_fen 30000000, major_only
      true, amount_fen 0); only the first valid report; an anonymous reporter
      claims with the follow-up key.

    Raises NotFoundError for an unknown preset (the message lists them),
    TypeError for a name that is not a str."""
    if not isinstance(name, str):
        raise TypeError("name: expected str, got %s" % type(name).__name__)
    cname = name.encode("utf-8")
    return _string(lambda out: lib.cbc_policy_preset(out, cname))


def reward_rule_name(rule: Union[RewardRule, int, str]) -> Optional[str]:
    """The policy's name of a rule ("major_hazard", ...); None for an unknown value."""
    return _rule_name(rule)


# -- C to Python -----------------------------------------------------------
def _known(enum_type: Any, value: Any) -> Any:
    """value as enum_type, or the plain int when this binding does not know it
    (the library may add rules and subjects)."""
    try:
        return enum_type(value)
    except ValueError:
        return value


def _decision(d: Any) -> Decision:
    return Decision(_known(RewardRule, d.rule), _known(SubjectKind, d.subject_kind),
                    d.subject_id, bool(d.eligible), d.hazard_id, d.proposal_id, d.amount_fen,
                    _text(d.reasons), d.award_id)


# Each conversion takes the record and the UTC offset o of its times.
def _evaluation(ds: Any, o: int) -> Evaluation:
    return Evaluation(ds.policy_version, _t(getattr(ds, "from"), o), _t(ds.to, o),
                      [_decision(d) for d in _items(ds.decisions, ds.count)])


def _award(a: Any, o: int) -> Award:
    return Award(a.id, _known(RewardRule, a.rule), _known(SubjectKind, a.subject_kind),
                 a.subject_id, _text(a.cause), a.hazard_id, a.proposal_id, a.policy_version,
                 a.amount_fen, _text(a.reasons), AwardState(a.state), _t(a.proposed_at, o),
                 a.approved_by, _t(a.approved_at, o), a.paid_by, _t(a.paid_at, o),
                 _text(a.payment_ref), a.declined_by, _t(a.declined_at, o),
                 _text(a.decline_reason), bool(a.review), _t(a.flagged_at, o), a.reviewed_by,
                 _t(a.reviewed_at, o), _text(a.review_note), a.unit_id)


def _awards(list_: Any, o: int) -> List[Award]:
    return [_award(a, o) for a in _items(list_.items, list_.count)]


def _fine(f: Any, o: int) -> Fine:
    return Fine(f.id, f.employee_id, f.unit_id, f.amount_fen, _text(f.reason), f.hazard_id,
                _text(f.violation), f.issued_by, _t(f.issued_at, o))


def _fines(fines: Any, count: int, o: int) -> List[Fine]:
    return [_fine(f, o) for f in _items(fines, count)]


def _penalty(p: Any, o: int) -> Penalty:
    return Penalty(p.hazard_id, p.amount_fen, _text(p.document), p.recorded_by,
                   _t(p.recorded_at, o))


def _summary(s: Any, o: int) -> RewardSummary:
    return RewardSummary(s.unit_id, bound(getattr(s, "from"), o), bound(s.to, o), s.awards[0],
                         {state: s.awards[int(state)] for state in AwardState},
                         s.awarded_fen, s.paid_fen, s.fines, s.fined_fen,
                         _fines(s.fine_list, s.n_fines, o))


# -- Python to C -----------------------------------------------------------
def _policy_text(policy: Union[str, Mapping[str, Any], Policy]) -> str:
    """A policy document as text: a str, or a Policy's text, as is; a mapping as JSON."""
    if isinstance(policy, str):
        return policy
    if isinstance(policy, Policy):
        return policy.text
    if isinstance(policy, Mapping):
        return json.dumps(policy, ensure_ascii=False)
    raise TypeError("expected a JSON str, a dict or a cbc.Policy, got %s"
                    % type(policy).__name__)


def _subject(subject: Optional[Tuple[Union[SubjectKind, int, str], int]]) -> Tuple[int, int]:
    """(subject_kind, subject_id) for cbc_award_list from None or a (SubjectKind, id) pair."""
    if subject is None:
        return 0, 0
    kind, subject_id = subject
    return to_c(SubjectKind, kind, "subject"), subject_id


def _award_state(state: Union[AwardState, int, str, None]) -> int:
    """The C value of an AwardState (None: every state)."""
    return to_c(AwardState, state, "state", optional=True)


def _unit(unit_id: int) -> int:
    """A unit id as the C calls take it (0: every unit); bool is refused as not an id."""
    if isinstance(unit_id, bool) or not isinstance(unit_id, int):
        raise TypeError("expected a unit id (int), got %s" % type(unit_id).__name__)
    return unit_id


class RewardsMixin(_DatabaseBase):
    """The reward calls of Database: the policy, evaluation and its explanations,
    the award ledger, internal fines, administrative penalties (the input of
    the whistle-blower reward) and the period summary."""

    policy_defaults = staticmethod(policy_defaults)
    policy_preset = staticmethod(policy_preset)

    # -- the policy -------------------------------------------------------
    def policy(self, version: int = 0) -> Policy:
        """A stored version of the reward policy (0: the current one) as a Policy:
        its version, the complete JSON document, and the document parsed."""
        out = ffi.new("char **")
        out_version = ffi.new("int64_t *")
        check(lib.cbc_policy_get(out, out_version, self._ptr, version))
        try:
            text = _text(out[0])
        finally:
            lib.cbc_free(out[0])
        return Policy(out_version[0], text, json.loads(text))

    def set_policy(self, policy: Union[str, Mapping[str, Any], Policy], actor_id: int) -> int:
        """Store a new version of the policy set by a union cadre: JSON text, a
        dict (json.dumps'ed) or a Policy (its text).  Keys left
        out take the built-in defaults, not the current version's.  Returns the
        new version; on an error (InvalidError naming the key, PermissionDenied,
        NotFoundError) nothing is stored."""
        s = _Strings()
        out = ffi.new("int64_t *")
        check(lib.cbc_policy_set(out, self._ptr, s(_policy_text(policy)), actor_id))
        return int(out[0])

    # -- evaluation -------------------------------------------------------
    def evaluate_rewards(self, unit_id: int, period: Period, dry_run: bool = False,
                         actor_id: Optional[int] = None) -> Evaluation:
        """Evaluate every rule of the current policy for a Period over the subtree
        of unit_id; returns an Evaluation.  Eligible decisions become proposed
        awards (existing ones are found, never repeated) unless dry_run.

        With actor_id (cbc_reward_evaluate_as; docs/rewards.md, "Who may
        evaluate"), on behalf of that employee, as a front end acting for its
        user does: a real evaluation only by a union cadre sitting over the
        unit, a dry run by whoever may read the unit; anyone else gets
        PermissionDenied and nothing is written.  Without it (None), the host
        evaluates (cbc_reward_evaluate).  InvalidError for a bad period or an
        actor id below 1; NotFoundError for an unknown unit or employee."""
        p = _period(period)
        flags = lib.CBC_EVALUATE_DRY_RUN if dry_run else 0

        def call(out: Any) -> int:
            if actor_id is None:
                return int(lib.cbc_reward_evaluate(out, self._ptr, unit_id, p, flags))
            return int(lib.cbc_reward_evaluate_as(out, self._ptr, unit_id, p, flags, actor_id))
        return _fetch("cbc_reward_decisions **", call,
                      lambda ds: _evaluation(ds, self.utc_offset),
                      lib.cbc_reward_decisions_free)

    def may_evaluate_rewards(self, unit_id: int, actor_id: int, dry_run: bool = False) -> bool:
        """Whether evaluate_rewards(unit_id, ..., dry_run, actor_id=actor_id)
        would let actor_id evaluate (cbc_reward_may_evaluate, the same check),
        for a front end to offer a real evaluation only to a union cadre over
        the unit.  It weighs the person, not the handle (a read-only database
        still refuses a real evaluation).  InvalidError for an id below 1;
        NotFoundError for an unknown unit or employee."""
        out = ffi.new("int *")
        flags = lib.CBC_EVALUATE_DRY_RUN if dry_run else 0
        check(lib.cbc_reward_may_evaluate(out, self._ptr, unit_id, flags, actor_id))
        return bool(out[0])

    def explain_hazard_reward(self, hazard_id: int) -> Evaluation:
        """The discovery decision(s) for one hazard (an Evaluation with start and
        end 0); its award, if any, is found, never added."""
        return _fetch("cbc_reward_decisions **",
                      lambda out: lib.cbc_reward_explain_hazard(out, self._ptr, hazard_id),
                      lambda ds: _evaluation(ds, self.utc_offset),
                      lib.cbc_reward_decisions_free)

    # -- the award ledger -------------------------------------------------
    def award(self, award_id: int) -> Award:
        """One Award."""
        return _fetch("cbc_award **", lambda out: lib.cbc_award_lookup(out, self._ptr, award_id),
                      lambda a: _award(a, self.utc_offset), lib.cbc_award_free)

    def awards(self, proposed_from: TimeLike = 0, proposed_to: TimeLike = 0,
               state: Union[AwardState, int, str, None] = None,
               subject: Optional[Tuple[Union[SubjectKind, int, str], int]] = None
               ) -> List[Award]:
        """The Awards proposed in [proposed_from, proposed_to) by id (0 or None: no bound),
        optionally only those in one AwardState or of one subject, a
        (SubjectKind, subject_id) pair."""
        kind, subject_id = _subject(subject)
        state = _award_state(state)
        proposed_from = db_seconds(self, proposed_from, "proposed_from")
        proposed_to = db_seconds(self, proposed_to, "proposed_to")
        return _fetch("cbc_awards **",
                      lambda out: lib.cbc_award_list(out, self._ptr, proposed_from, proposed_to,
                                                     state, kind, subject_id),
                      lambda list_: _awards(list_, self.utc_offset), lib.cbc_awards_free)

    def select_awards(self, *, unit_id: int = 0, period: Optional[Period] = None,
                      state: Union[AwardState, int, str, None] = None,
                      subject: Optional[Tuple[Union[SubjectKind, int, str], int]] = None
               ) -> List[Award]:
        """The Awards by id that count in the subtree of unit_id (as the reward
        summary counts them, over the tree as it is now; 0: every unit),
        proposed in a Period (None: any time), optionally only those in one
        AwardState or of one subject, a (SubjectKind, subject_id) pair.
        Raises TypeError for a unit that is not an int, a period that is not a
        cbc.Period or a state that is not an AwardState; InvalidError for a
        negative unit, a bad period, state or subject; NotFoundError for an
        unknown unit."""
        f = ffi.new("cbc_award_filter *")
        check(lib.cbc_award_filter_init(f, lib.CBC_AWARD_FILTER_VERSION))
        f.unit_id, f.state = _unit(unit_id), _award_state(state)
        f.subject_kind, f.subject_id = _subject(subject)
        if period is not None:
            start, end = ffi.new("int64_t *"), ffi.new("int64_t *")
            check(lib.cbc_period_bounds(start, end, self._ptr, _period(period)))
            setattr(f, "from", start[0])
            f.to = end[0]
        return _fetch("cbc_awards **", lambda out: lib.cbc_award_select(out, self._ptr, f),
                      lambda list_: _awards(list_, self.utc_offset), lib.cbc_awards_free)

    def award_by_key(self, key: str) -> Award:
        """The Award of an anonymous tip-off, by the follow-up key report() returned."""
        ckey = key.encode("utf-8")
        return _fetch("cbc_award **", lambda out: lib.cbc_award_by_key(out, self._ptr, ckey),
                      lambda a: _award(a, self.utc_offset), lib.cbc_award_free)

    def award_moves(self, award_id: int, actor_id: int) -> FrozenSet[AwardStep]:
        """The steps actor_id may take on the award now (cbc_award_moves;
        docs/rewards.md, "What may this person do now"), for a front end to
        offer only those, answered by the steps' own checks: an active union
        cadre, and the award as it stands (APPROVE a proposed award not
        flagged for review, PAY an approved money award not flagged, DECLINE
        a proposed or approved one, REVIEW a flagged one whose hazard is
        closed again).  A step still checks its arguments: PAY of an
        anonymous tip-off's award needs its follow-up key.  Empty for anyone
        else.  NotFoundError for an unknown award or employee; InvalidError
        for an id below 1."""
        out = ffi.new("unsigned int *")
        check(lib.cbc_award_moves(out, self._ptr, award_id, actor_id))
        return frozenset(s for s in AwardStep if out[0] & (1 << int(s)))

    def approve_award(self, award_id: int, actor_id: int) -> None:
        """Approve a proposed award, as the union over its unit (a union cadre
        sitting in a region node at or above it; PermissionDenied for anyone
        else); StateError when it is not proposed or is flagged for review."""
        check(lib.cbc_award_approve(self._ptr, award_id, actor_id))

    def pay_award(self, award_id: int, actor_id: int, payment_ref: str,
                  claim_key: Optional[str] = None) -> None:
        """Record that an approved money award was paid; an anonymous tip-off's
        is paid only against its follow-up key (claim_key), any other without one."""
        s = _Strings()
        check(lib.cbc_award_pay(self._ptr, award_id, actor_id, s(payment_ref), s(claim_key)))

    def decline_award(self, award_id: int, actor_id: int, reason: str) -> None:
        """Decline a proposed or approved award, with a reason (final)."""
        s = _Strings()
        check(lib.cbc_award_decline(self._ptr, award_id, actor_id, s(reason)))

    def review_award(self, award_id: int, actor_id: int, note: str) -> None:
        """Clear the review flag of an award whose hazard was reopened and closed
        again: it stands (decline_award() instead if it does not)."""
        s = _Strings()
        check(lib.cbc_award_review(self._ptr, award_id, actor_id, s(note)))

    # -- fines and the summary --------------------------------------------
    def issue_fine(self, employee_id: int, amount_fen: int, reason: str, actor_id: int,
                   hazard_id: int = 0, violation: Optional[str] = None) -> int:
        """Issue an internal fine (内部罚单) for a hazard or, with hazard_id 0, for
        a described violation (三违), by a principal or safety officer of the
        employee's enterprise; returns its id."""
        s = _Strings()
        r = ffi.new("cbc_fine_record *")
        check(lib.cbc_fine_record_init(r, lib.CBC_FINE_RECORD_VERSION))
        r.employee_id, r.amount_fen, r.reason = employee_id, amount_fen, s(reason)
        r.hazard_id, r.violation = hazard_id, s(violation)
        out = ffi.new("int64_t *")
        check(lib.cbc_fine_issue(out, self._ptr, r, actor_id))
        return int(out[0])

    def fines(self, unit_id: int = 0, start: TimeLike = 0, end: TimeLike = 0) -> List[Fine]:
        """The Fines by id issued in [start, end) (times; 0 or None: no bound) to the
        employees of the subtree of unit_id (0: every unit), by the unit they
        were in when fined.  Raises TypeError for a unit that is not an int;
        InvalidError for a negative unit or an empty, inverted or out-of-range
        window; NotFoundError for an unknown unit."""
        start, end = db_seconds(self, start, "start"), db_seconds(self, end, "end")
        out, count = ffi.new("cbc_fine **"), ffi.new("size_t *")
        check(lib.cbc_fine_list(out, count, self._ptr, _unit(unit_id), start, end))
        try:
            return _fines(out[0], count[0], self.utc_offset)
        finally:
            lib.cbc_fines_free(out[0], count[0])

    # -- administrative penalties -----------------------------------------
    def record_penalty(self, hazard_id: int, actor_id: int, amount_fen: int,
                       document: str) -> None:
        """Record the administrative penalty (行政处罚) a safety bureau imposed on
        an enterprise for a hazard, once (cbc_hazard_record_penalty;
        docs/rewards.md, "The whistle-blower reward as the national rule"):
        amount_fen (1..CBC_MAX_AMOUNT_FEN fen) and the penalty decision's
        number (document, 处罚决定书文号: single-line text), by actor_id, an
        active bureau inspector sitting in a region node at or above the
        hazard's unit.  The hazard must be registered (not rejected).  When it
        is closed and the policy pays hotline tip-offs a share of the penalty
        (hotline_tip.percent_of_fine; policy_preset("whistleblower_2018")),
        the award is made in the same transaction; a hazard closed later gets
        it at its closure.  The record never changes and is chained
        (HistoryKind.PENALTY); penalty() reads it.  Raises InvalidError (a
        bad amount or document), NotFoundError (unknown hazard or actor),
        PermissionDenied (not such an inspector; read-only), StateError (not
        registered, rejected, or a penalty already recorded), BusyError,
        IOFailure; nothing is written on an error."""
        s = _Strings()
        check(lib.cbc_hazard_record_penalty(self._ptr, hazard_id, actor_id, amount_fen,
                                            s(document)))

    def may_record_penalty(self, hazard_id: int, actor_id: int) -> bool:
        """Whether actor_id may record hazard_id's penalty now, by the same
        checks as record_penalty() (cbc_hazard_may_record_penalty): an active
        bureau inspector over the hazard's unit, a registered hazard, not
        rejected, without one.  Writes nothing.  Raises NotFoundError (unknown
        hazard or person), InvalidError (an id below 1)."""
        out = ffi.new("int *")
        check(lib.cbc_hazard_may_record_penalty(out, self._ptr, hazard_id, actor_id))
        return bool(out[0])

    def penalty(self, hazard_id: int) -> Penalty:
        """A hazard's recorded administrative penalty, a Penalty
        (cbc_hazard_penalty_get).  Raises NotFoundError for an unknown hazard
        or one without a recorded penalty."""
        return _fetch("cbc_hazard_penalty **",
                      lambda out: lib.cbc_hazard_penalty_get(out, self._ptr, hazard_id),
                      lambda p: _penalty(p, self.utc_offset), lib.cbc_hazard_penalty_free)

    def reward_summary(self, unit_id: int, period: Period) -> RewardSummary:
        """The RewardSummary of a Period over the subtree of unit_id."""
        p = _period(period)
        return _fetch("cbc_reward_summary **",
                      lambda out: lib.cbc_reward_summary_get(out, self._ptr, unit_id, p),
                      lambda s: _summary(s, self.utc_offset), lib.cbc_reward_summary_free)
