"""Exceptions: the hierarchy, and the structured fields of the C error
(code as an ErrorCode, message, a failed sync's result); they pickle."""
import pickle

import pytest

import cbc
from cbc import EmployeeRecord, ErrorCode

# Each exception class, the code it stands for, and the built-in it also is.
CLASSES = [
    (cbc.NotFoundError, ErrorCode.ENOTFOUND, KeyError),
    (cbc.InvalidError, ErrorCode.EINVAL, ValueError),
    (cbc.StateError, ErrorCode.ESTATE, None),
    (cbc.PermissionDenied, ErrorCode.EPERM, PermissionError),
    (cbc.ConflictError, ErrorCode.ECONFLICT, None),
    (cbc.BusyError, ErrorCode.EBUSY, None),
    (cbc.OutOfMemoryError, ErrorCode.ENOMEM, MemoryError),
    (cbc.IOFailure, ErrorCode.EIO, OSError),
    (cbc.CorruptError, ErrorCode.ECORRUPT, None),
    (cbc.VersionError, ErrorCode.EVERSION, None),
]


@pytest.mark.parametrize("cls, code, builtin", CLASSES)
def test_check_raises_the_class_of_each_code(cls, code, builtin):
    with pytest.raises(cls) as info:
        cbc.check(int(code))
    e = info.value
    assert type(e) is cls and isinstance(e, cbc.CbcError)
    assert builtin is None or isinstance(e, builtin)
    assert e.code is code and type(e.code) is ErrorCode
    assert isinstance(e.message, str) and str(e) == e.message
    assert e.result is None


def test_check_passes_success_and_the_end_of_an_iteration():
    assert cbc.check(0) == 0
    assert cbc.check(int(ErrorCode.ITEROVER)) == ErrorCode.ITEROVER


def test_a_code_no_class_stands_for_is_a_callback_abort_with_its_value():
    with pytest.raises(cbc.CallbackAborted) as info:
        cbc.check(7)
    assert info.value.code == 7 and type(info.value.code) is int
    assert repr(info.value).startswith("CallbackAborted(7, ")


def test_a_failed_call_carries_the_library_message(campaign, org):
    with pytest.raises(cbc.NotFoundError) as info:
        org.hazard(987654)
    e = info.value
    assert e.code is ErrorCode.ENOTFOUND and e.code.name == "ENOTFOUND"
    assert "987654" in e.message or "hazard" in e.message
    assert str(e) == e.message  # not KeyError's quoted form
    assert not str(e).startswith("'")
    assert repr(e) == "NotFoundError(ErrorCode.ENOTFOUND, %r)" % e.message


def test_a_refused_move_says_why(campaign, org):
    h, _ = org.report(campaign["T1"], "护栏缺失", cbc.HazardKind.HARD, cbc.HazardCategory.SAFETY,
                      cbc.CheckItem.RULES, cbc.HazardSource.SELF_CHECK, cbc.Severity.GENERAL,
                      reporter_id=campaign["A1"])
    with pytest.raises(cbc.StateError) as info:
        org.start(h, campaign["L1"])
    assert info.value.code is ErrorCode.ESTATE and info.value.message
    with pytest.raises(cbc.PermissionDenied) as info:
        org.reject(h, campaign["A1"], "no")
    assert info.value.code is ErrorCode.EPERM and isinstance(info.value, PermissionError)


def test_only_a_failed_sync_has_a_result(org):
    with pytest.raises(cbc.InvalidError) as info:
        org.sync(employees=[EmployeeRecord("Z", "z", "W1")], strict=True)
    r = info.value.result
    assert r is not None and r.error_count == 1 and not r.applied
    assert r.errors[0].external_id == "Z" and r.errors[0].code is ErrorCode.EINVAL
    with pytest.raises(cbc.NotFoundError) as info:
        org.unit_by_external("nowhere")
    assert info.value.result is None


def test_errors_pickle_with_their_fields(org):
    with pytest.raises(cbc.InvalidError) as info:
        org.sync(employees=[EmployeeRecord("Z", "z", "W1")], strict=True)
    for e in (info.value, cbc.NotFoundError(ErrorCode.ENOTFOUND, "no unit 5"),
              cbc.CallbackAborted(3, "aborted")):
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e) and back.code == e.code and type(back.code) is type(e.code)
        assert back.message == e.message and str(back) == str(e)
        assert back.result == e.result
    assert pickle.loads(pickle.dumps(info.value)).result.error_count == 1


def test_an_enum_error_is_an_invalid_error_with_its_fields():
    with pytest.raises(cbc.InvalidError) as info:
        cbc.HazardState.coerce("no-such-state")
    assert info.value.code is ErrorCode.EINVAL and "no-such-state" in info.value.message


def test_a_closed_database_says_so():
    d = cbc.Database(":memory:")
    d.close()
    with pytest.raises(cbc.CbcError) as info:
        d.unit(1)
    assert info.value.code is ErrorCode.EINVAL and "closed" in info.value.message
