"""cbc demo: the README's demo campaign, built the same way every time."""
import pytest

STATES = ["reported", "registered", "rectifying", "pending_verification", "closed",
          "rejected"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from conftest import Cbc
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    Cbc().run("demo", path, "--quiet", now=None)
    return path


def counts(cbc, db, *args):
    return cbc.json("ledger", db, "--count", *args, now=None)["total"]


def test_every_state_and_move_is_there(cbc, demo_db):
    for state in STATES:
        assert counts(cbc, demo_db, "--state", state) > 0, state
    assert counts(cbc, demo_db, "--listed") > 0
    assert counts(cbc, demo_db, "--severity", "major") > 0
    assert counts(cbc, demo_db, "--overdue", "--overdue-at", "2026-11-21") > 0
    total = counts(cbc, demo_db)
    assert 150 <= total <= 500
    history = cbc.json("ledger", demo_db, "--limit", "0", now=None)["hazards"]
    assert {h["enterprise"]["external_id"] for h in history} == {
        "E01", "E02", "E03", "E04", "E05"}
    assert any(h["reporter"] is None for h in history)          # hotline tip-offs
    assert any(h["duplicate_of"] for h in history)              # duplicates
    assert any(h["reopen_count"] for h in history)              # failed verifications
    assert any(h["level"] == "individual" for h in history)     # fixed on the spot


def test_the_demo_is_sound(cbc, demo_db):
    j = cbc.json("check", demo_db, now=None)
    assert j["ok"] is True and j["hazards_checked"] == counts(cbc, demo_db)


def test_the_same_every_time(cbc, demo_db, tmp_path):
    again = tmp_path / "again.db"
    cbc("demo", again, "--quiet", now=None)
    a = cbc.json("ledger", demo_db, "--limit", "0", now=None)
    b = cbc.json("ledger", again, "--limit", "0", now=None)
    assert a == b


def test_refuses_to_overwrite(cbc, demo_db, tmp_path):
    path = tmp_path / "mine.db"
    cbc("init", path)
    cbc("demo", path, now=None, expect=7)
    assert counts(cbc, path) == 0
    cbc("demo", path, "--force", "--quiet", now=None)
    assert counts(cbc, path) == counts(cbc, demo_db)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    cbc("demo", notes, "--force", now=None, expect=7)
    assert notes.read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db", "notes.txt"]


def test_org_and_activities(cbc, demo_db):
    tree = cbc("org", "tree", demo_db, now=None).out
    assert "历下区总工会" in tree and "济钢集团第二轧钢厂" in tree
    people = cbc.json("employee", "list", demo_db, "LX", now=None)
    key = next(k for k in people if isinstance(people[k], list))
    assert 300 <= len(people[key]) <= 600
