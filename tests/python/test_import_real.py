"""Database.import_files over HR files as HR systems write them
(tests/data/hr): encodings, warnings, strict mode, the column map, TSV."""
import pathlib

import pytest

import cbc

HR = pathlib.Path(__file__).resolve().parents[1] / "data" / "hr"


@pytest.fixture
def tree(db):
    r = db.import_files(HR / "units_zh.csv")
    assert r.units.added == 7 and r.warnings == []
    return db


def test_gbk_detected_with_a_warning(db):
    r = db.import_files(HR / "units_gbk.csv", HR / "employees_gbk.csv")
    assert (r.units.added, r.employees.added, r.error_count) == (7, 6, 0)
    assert r.warning_count == 2
    assert all("read as GB18030" in w.message and w.column == "" for w in r.warnings)
    assert db.employee_by_external("1001").name == "李强"


def test_declared_encoding(db):
    r = db.import_files(HR / "units_gbk.csv", HR / "employees_gbk.csv", encoding="gbk")
    assert r.warnings == [] and r.employees.added == 6
    with pytest.raises(cbc.InvalidError, match="unknown encoding 'nope'"):
        db.import_files(HR / "units_gbk.csv", encoding="nope")


def test_gbk_declared_as_utf8_is_an_error(tree):
    with pytest.raises(cbc.InvalidError, match="header is not text in UTF-8"):
        tree.import_files(None, HR / "employees_gbk.csv", encoding="utf-8")
    with pytest.raises(KeyError):
        tree.employee_by_external("1001")


def test_unknown_columns_warn_or_are_refused(tree):
    r = tree.import_files(None, HR / "employees_extra.csv")
    assert r.employees.added == 2
    assert [(w.record, w.column) for w in r.warnings] == [
        (cbc.RecordKind.EMPLOYEE, "Phone"), (cbc.RecordKind.EMPLOYEE, "邮箱")]
    with pytest.raises(cbc.InvalidError, match="'Phone' is no field"):
        tree.import_files(None, HR / "employees_extra.csv", strict=True)
    r = tree.import_files(None, HR / "employees_extra.csv", strict=True,
                          column_map={"Phone": None, "邮箱": ""})
    assert r.warnings == [] and r.employees.unchanged == 2


def test_column_map(tree, tmp_path):
    f = tmp_path / "map.csv"
    f.write_text("人员代码,名字,所在班组\n3401,甲,T01\n", encoding="utf-8")
    r = tree.import_files(None, f, column_map=["人员代码=external_id", "名字=name",
                                               "所在班组=unit_external_id"])
    assert r.employees.added == 1 and r.warnings == []
    with pytest.raises(cbc.InvalidError, match="'mobile' is no field"):
        tree.import_files(None, f, column_map={"phone": "mobile"})
    with pytest.raises(TypeError):
        tree.import_files(None, f, column_map="a=name")


def test_tsv_and_dates(tree):
    r = tree.import_files(None, HR / "employees.tsv")
    assert r.employees.added == 2
    r = tree.import_files(None, HR / "employees_dates.csv")
    assert (r.employees.added, r.error_count) == (8, 3)
    assert {e.row for e in r.errors} == {9, 10, 11}
    assert cbc.FileFormat.TSV == 3


def test_every_row_failing_raises_with_the_result(tree):
    with pytest.raises(cbc.InvalidError, match=r"every row \(3\) was rejected") as e:
        tree.import_files(None, HR / "employees_all_bad.csv")
    assert e.value.result.error_count == 3 and not e.value.result.applied
