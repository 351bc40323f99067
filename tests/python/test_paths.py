"""Paths: every call that takes a file path takes str, bytes or any
os.PathLike, and refuses anything else with TypeError."""
import os
import pathlib

import pytest

import cbc

HR = pathlib.Path(__file__).resolve().parents[1] / "data" / "hr"


class Where(os.PathLike):
    """A path-like that is not a pathlib path."""

    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return str(self.path)


@pytest.mark.parametrize("kind", [pathlib.Path, str, os.fsencode, Where])
def test_database_opens_any_path(tmp_path, kind):
    path = tmp_path / "数据库.db"
    with cbc.Database(kind(path)) as db:
        assert db.schema_version >= 1
    assert path.exists()
    with cbc.Database(kind(path), create=False) as db:  # opened again, not created
        assert db.schema_version >= 1


@pytest.mark.parametrize("bad", [123, 1.5, None, ["a.db"]])
def test_database_refuses_what_is_not_a_path(tmp_path, bad):
    before = set(os.listdir(tmp_path))
    with pytest.raises(TypeError, match="path: expected str, bytes or os.PathLike"):
        cbc.Database(bad)
    assert set(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("kind", [pathlib.Path, str, os.fsencode, Where])
def test_import_files_takes_any_path(db, kind):
    r = db.import_files(kind(HR / "units_zh.csv"))
    assert r.units.added == 7
    assert db.unit_by_external("E01").name == "济南钢铁二厂"


def test_import_files_refuses_what_is_not_a_path(db):
    with pytest.raises(TypeError, match="employees_path: expected str, bytes or os.PathLike"):
        db.import_files(HR / "units_zh.csv", 42)
    with pytest.raises(cbc.NotFoundError):  # nothing was imported
        db.unit_by_external("E01")
