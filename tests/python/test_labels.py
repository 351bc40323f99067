"""Names and labels (cbc/label.h) and the period helpers (cbc/stats.h)."""
import json
import random

import pytest

import cbc
from cbc import EnumType, Period, PeriodKind


def test_every_type_has_names_and_labels():
    for t in EnumType:
        values = cbc.enum_values(t)
        assert values
        names = [cbc.enum_name(t, v) for v in values]
        labels = [cbc.enum_label(t, v) for v in values]
        assert len(set(names)) == len(names) and len(set(labels)) == len(labels)
        for v, n, label in zip(values, names, labels):
            assert n.isascii() and not label.isascii()
            assert cbc.enum_parse(t, n) == v
            assert cbc.enum_parse(t, n.upper()) == v
            assert cbc.enum_parse(t, label) == v
        assert cbc.enum_name(t, -1) is None and cbc.enum_label(t, -1) is None


def test_examples_and_python_enums_agree():
    assert cbc.enum_name(EnumType.SEVERITY, cbc.Severity.MAJOR) == "major"
    assert cbc.enum_label(EnumType.SEVERITY, cbc.Severity.MAJOR) == "重大隐患"
    assert cbc.enum_values(EnumType.HAZARD_STATE) == [int(s) for s in cbc.HazardState]
    assert cbc.enum_values(EnumType.ROLE) == [int(r) for r in cbc.Role]
    assert cbc.enum_parse(EnumType.TRAINING_KIND, "all staff") == cbc.TrainingKind.ALL_STAFF
    assert cbc.training_kind_name(cbc.TrainingKind.ALL_STAFF) == "all staff"
    with pytest.raises(cbc.InvalidError, match="one of: general, major"):
        cbc.enum_parse(EnumType.SEVERITY, "huge")
    with pytest.raises(cbc.InvalidError):
        cbc.enum_values(99)


def test_form_json_carries_the_labels(db, org):
    e1 = db.unit_by_external("E1").id
    data = json.loads(db.form_json(e1, Period.month(2023, 11)))
    fields = cbc.enum_values(EnumType.FORM_FIELD)
    assert list(data["figures"]) == [cbc.enum_name(EnumType.FORM_FIELD, f) for f in fields]
    assert data["labels"] == {cbc.enum_name(EnumType.FORM_FIELD, f):
                              cbc.enum_label(EnumType.FORM_FIELD, f) for f in fields}


def test_periods(db):
    t = 1700000000  # 2023-11-15 in Beijing (the default UTC+8)
    assert db.period_containing(PeriodKind.QUARTER, t) == Period.quarter(2023, 4)
    assert db.parse_period(" 2026-q4 ") == Period.quarter(2026, 4)
    assert db.parse_period("2026") == Period.year(2026)
    nov1 = 1793462400  # 2026-11-01 00:00 UTC+8
    days = db.parse_period("2026-11-01..2026-11-15")
    assert days == Period.range(nov1, nov1 + 15 * 86400)
    assert db.format_period(days) == "2026-11-01..2026-11-15"
    assert db.format_period(Period.range(nov1 + 3600, nov1 + 7200)) == \
        "2026-11-01T01:00:00+08:00..2026-11-01T01:59:59+08:00"
    for bad in ("2026-13", "2026-Q5", "2026-11-15..2026-11-01", "26-11", "", "2026-11x", "1969"):
        with pytest.raises(cbc.InvalidError):
            db.parse_period(bad)
    with pytest.raises(cbc.InvalidError):
        db.period_containing(PeriodKind.RANGE, t)


@pytest.mark.parametrize("offset", [0, 8 * 3600, -5 * 3600 - 1800, 86399, -86399, 12345])
def test_period_round_trip(clock, offset):
    rng = random.Random(offset)
    with cbc.Database(":memory:", clock=clock, utc_offset_seconds=offset) as db:
        for _ in range(200):
            kind = rng.choice(list(PeriodKind))
            if kind == PeriodKind.RANGE:
                start = rng.randrange(0, 253402300799 - 10 ** 7)
                p = Period.range(start, start + rng.randrange(1, 10 ** 7))
            else:
                number = {PeriodKind.MONTH: rng.randrange(1, 13),
                          PeriodKind.QUARTER: rng.randrange(1, 5)}.get(kind, 0)
                p = Period(kind, rng.randrange(1970, 10000), number)
            assert db.parse_period(db.format_period(p)) == p
