"""Sign-in accounts (AccountsMixin, cbc/account.h): set_password, login,
clear_password, account(); one message for every refusal, the lock and its
expiry on the database's clock, bad input.  Each password hash or check
costs about 0.1 s: the tests keep them few."""
import datetime

import pytest

import cbc

PASSWORD = "correct horse 电池"
REFUSED = "sign-in refused: wrong external id or password"


def test_set_login_and_account(org, clock):
    a1 = org.employee_by_external("A1").id
    info = org.account(a1)
    assert info == cbc.AccountInfo(a1, False, 0, None, None)
    org.set_password(a1, PASSWORD)
    info = org.account(a1)
    assert info.has_password and info.failures == 0 and info.locked_until is None
    assert info.changed_at == org.now()
    assert info.changed_at.tzinfo is not None
    employee = org.login("A1", PASSWORD)
    assert isinstance(employee, cbc.Employee) and employee.id == a1
    with pytest.raises(cbc.PermissionDenied) as e:
        org.login("A1", "wrong password")
    assert e.value.code == cbc.ErrorCode.EPERM and str(REFUSED) in str(e.value)
    assert org.account(a1).failures == 1


def test_one_message_for_every_refusal(org):
    a1, b1 = (org.employee_by_external(x).id for x in ("A1", "B1"))
    org.set_password(a1, PASSWORD)
    org.deactivate(b1)
    messages = set()
    for who, password in (("A1", "wrong password"), ("NOBODY", PASSWORD), ("L1", PASSWORD),
                          ("B1", PASSWORD)):
        with pytest.raises(cbc.PermissionDenied) as e:
            org.login(who, password)
        messages.add(str(e.value))
    assert len(messages) == 1 and REFUSED in messages.pop()


def test_lock_and_expiry(org, clock):
    a1 = org.employee_by_external("A1").id
    org.set_password(a1, PASSWORD)
    for _ in range(cbc.LOGIN_MAX_FAILURES):
        with pytest.raises(cbc.PermissionDenied):
            org.login("A1", "wrong password")
    info = org.account(a1)
    assert info.failures == cbc.LOGIN_MAX_FAILURES
    until = org.now() + datetime.timedelta(seconds=cbc.LOGIN_LOCK_SECONDS)
    assert info.locked_until == until
    with pytest.raises(cbc.BusyError) as e:
        org.login("A1", PASSWORD)  # the right password too
    assert "locked until" in str(e.value)
    clock.t += cbc.LOGIN_LOCK_SECONDS
    assert org.account(a1).locked_until is None
    assert org.login("A1", PASSWORD).id == a1
    assert org.account(a1).failures == 0


def test_clear_password(org):
    a1 = org.employee_by_external("A1").id
    org.set_password(a1, PASSWORD)
    org.clear_password(a1)
    assert org.account(a1) == cbc.AccountInfo(a1, False, 0, None, None)
    with pytest.raises(cbc.PermissionDenied, match=REFUSED):
        org.login("A1", PASSWORD)
    org.clear_password(a1)  # nothing to remove: fine


def test_bad_input(org):
    a1 = org.employee_by_external("A1").id
    for bad in ("short", "x" * 1025, "abcdefg\udc80"):
        with pytest.raises(cbc.InvalidError):
            org.set_password(a1, bad)
        with pytest.raises(cbc.InvalidError):
            org.login("A1", bad)
    with pytest.raises(cbc.InvalidError):
        org.login("", PASSWORD)
    with pytest.raises(TypeError):
        org.set_password(a1, b"bytes password")  # type: ignore[arg-type]
    with pytest.raises(cbc.NotFoundError):
        org.set_password(99999, PASSWORD)
    with pytest.raises(cbc.NotFoundError):
        org.clear_password(99999)
    with pytest.raises(cbc.NotFoundError):
        org.account(99999)
    assert org.account(a1) == cbc.AccountInfo(a1, False, 0, None, None)


def test_left_employee_gets_no_password(org):
    b1 = org.employee_by_external("B1").id
    org.deactivate(b1)
    with pytest.raises(cbc.PermissionDenied, match="payroll"):
        org.set_password(b1, PASSWORD)
    assert not org.account(b1).has_password
