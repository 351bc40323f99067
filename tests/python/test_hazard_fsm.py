import pytest

import cbc
from cbc import HazardAction as A, HazardState as S


def test_transitions():
    assert cbc.hazard_transition(None, A.REPORT) is S.REPORTED
    assert cbc.hazard_transition(S.REPORTED, A.REGISTER) is S.REGISTERED
    assert cbc.hazard_transition(S.RECTIFYING, A.ESCALATE) is S.RECTIFYING
    assert cbc.hazard_transition(S.PENDING_VERIFICATION, A.VERIFY_FAIL) is S.RECTIFYING
    with pytest.raises(cbc.StateError, match="REOPEN is not allowed in state REJECTED"):
        cbc.hazard_transition(S.REJECTED, A.REOPEN)
    with pytest.raises(cbc.InvalidError):
        cbc.hazard_transition(S.REPORTED, 99)


def test_dot_and_enums():
    dot = cbc.hazard_fsm_dot()
    assert dot.startswith("digraph hazard_lifecycle {")
    assert "PENDING_VERIFICATION -> CLOSED" in dot
    assert [s.name for s in S][0] == "REPORTED" and len(A) == 14
    assert cbc.Severity.MAJOR == 2 and cbc.CheckItem.KEY_POINT_CONTROL == 6
