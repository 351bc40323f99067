"""cbc history: the tamper-evident history — every chain verified against
the records and against checkpoints held outside the database, and a
chain's head (the checkpoint to hold).  Edits made behind the library's
back are made with Python's sqlite3, as anyone with the file could."""
import hashlib
import re
import shutil
import sqlite3

import pytest

from conftest import Cbc

VERDICT_KEYS = ["fault", "sound", "chain", "seq", "kind", "record_id", "message",
                "links_checked", "records_checked"]
HEAD_KEYS = ["chain", "seq", "sha256"]
SOUND = re.compile(r"^sound: (\d+) links, (\d+) records checked\n$")
HEAD = re.compile(r"^chain (\d+): link (\d+), SHA-256 ([0-9a-f]{64})\n$")
MALFORMED = "--checkpoint must be CHAIN:SEQ:SHA256"
# The demo's chains: its district node and its five enterprises (chain 0 is
# the database's own).
DEMO_TENANTS = ["LX", "E01", "E02", "E03", "E04", "E05"]
HASH = "0123456789abcdef" * 4


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    Cbc().run("demo", path, "--quiet", now=None)
    return path


@pytest.fixture
def demo(demo_db, tmp_path):
    """A copy of the demo, to change."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    return path


def behind_the_back(path, *statements):
    """Run SQL on the file directly, as someone with the file could: each
    statement a string, or (SQL, parameters)."""
    con = sqlite3.connect(path)
    try:
        for sql in statements:
            con.execute(*((sql,) if isinstance(sql, str) else sql))
        con.commit()
    finally:
        con.close()


def unit_id(cbc, db, ext):
    return cbc.json("org", "show", db, ext)["id"]


def head(cbc, db, *args):
    j = cbc.json("history", "head", db, *args)
    assert list(j) == HEAD_KEYS
    return j


def checkpoint(cbc, db, *args):
    """A chain's head as --checkpoint takes it."""
    j = head(cbc, db, *args)
    return "%d:%d:%s" % (j["chain"], j["seq"], j["sha256"])


def verify(cbc, db, *args, expect=0):
    res = cbc("history", "verify", db, *args, "--json", expect=expect)
    j = res.json()
    assert list(j) == VERDICT_KEYS
    assert j["sound"] is (expect == 0) and (j["fault"] == "sound") is (expect == 0)
    return j


def file_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fine(cbc, db, amount):
    """A fine of E01's worker E01-0035, issued by its safety officer."""
    return int(cbc("fine", "add", db, "--employee", "E01-0035", "--amount", amount, "--reason",
                   "未戴安全帽", "--violation", "违章作业", "--as", "E01-0002").out)


# ------------------------------------------------------------------ sound

def test_the_demo_is_sound(cbc, demo_db):
    text = cbc("history", "verify", demo_db).out
    m = SOUND.match(text)
    assert m, text
    j = verify(cbc, demo_db)
    assert j["fault"] == "sound" and j["kind"] is None and j["message"] == ""
    assert (j["chain"], j["seq"], j["record_id"]) == (0, 0, 0)
    assert j["links_checked"] > 0 and 0 < j["records_checked"] <= j["links_checked"]
    assert (int(m.group(1)), int(m.group(2))) == (j["links_checked"], j["records_checked"])
    # every link is in one of the chains: the database's and the tenants'
    heads = [head(cbc, demo_db)] + [head(cbc, demo_db, "--unit", t) for t in DEMO_TENANTS]
    assert sum(h["seq"] for h in heads) == j["links_checked"]


def test_the_heads_of_the_demo(cbc, demo_db):
    e01 = unit_id(cbc, demo_db, "E01")
    text = cbc("history", "head", demo_db, "--unit", "E01").out
    m = HEAD.match(text)
    assert m, text
    j = head(cbc, demo_db, "--unit", "E01")
    assert (j["chain"], j["seq"], j["sha256"]) == (e01, int(m.group(2)), m.group(3))
    assert j["seq"] > 0
    # --unit is the unit's id as --chain, by external id or by path
    assert head(cbc, demo_db, "--chain", e01) == j
    assert head(cbc, demo_db, "--unit", "JN/LX/E01") == j
    # each chain its own head; chain 0 (the default) is the database's
    heads = [head(cbc, demo_db, "--unit", t) for t in DEMO_TENANTS]
    assert all(h["seq"] > 0 for h in heads)
    assert len({h["sha256"] for h in heads}) == len(DEMO_TENANTS)
    zero = head(cbc, demo_db)
    assert zero == head(cbc, demo_db, "--chain", "0") and zero["chain"] == 0
    assert zero["seq"] > 0 and re.fullmatch(r"[0-9a-f]{64}", zero["sha256"])
    assert HEAD.match(cbc("history", "head", demo_db).out).group(1) == "0"
    # reading a head changes nothing: the same twice
    assert head(cbc, demo_db, "--unit", "E01") == j


def test_a_unit_without_a_chain_has_no_links(cbc, demo_db):
    team = unit_id(cbc, demo_db, "E01-W2-T2")
    res = cbc("history", "head", demo_db, "--unit", "E01-W2-T2")
    assert res.out == "chain %d: no links\n" % team
    assert head(cbc, demo_db, "--chain", "999999") == {"chain": 999999, "seq": 0, "sha256": ""}


def test_a_fresh_database(cbc, db, org):
    assert cbc("history", "verify", db).out == "sound: 0 links, 0 records checked\n"
    assert cbc("history", "head", db).out == "chain 0: no links\n"
    assert head(cbc, db) == {"chain": 0, "seq": 0, "sha256": ""}
    e1 = unit_id(cbc, db, "E1")
    assert head(cbc, db, "--unit", "E1") == {"chain": e1, "seq": 0, "sha256": ""}
    cbc("hazard", "report", db, "--unit", "T1", "--title", "配电箱门未关闭", "--kind", "hard",
        "--check", "equipment_guarding", "--as", "A1")
    j = head(cbc, db, "--unit", "E1")
    assert j["chain"] == e1 and j["seq"] > 0 and len(j["sha256"]) == 64
    assert verify(cbc, db)["links_checked"] == j["seq"]
    # an empty chain's head is a checkpoint too
    verify(cbc, db, "--checkpoint", "%d:0:" % unit_id(cbc, db, "E2"))


# ------------------------------------------------------- edits found

def test_an_altered_fine_is_named(cbc, demo):
    verify(cbc, demo)
    behind_the_back(demo, "UPDATE fines SET amount_fen = amount_fen + 1 WHERE id = 1")
    res = cbc("history", "verify", demo, expect=1)
    e01 = unit_id(cbc, demo, "E01")
    m = re.match(r"^record_altered: chain (\d+), link (\d+), fine 1: (.+)\n$", res.out)
    assert m, res
    j = verify(cbc, demo, expect=1)
    assert (j["fault"], j["kind"], j["record_id"], j["chain"]) == ("record_altered", "fine", 1,
                                                                   e01)
    assert (int(m.group(1)), int(m.group(2)), m.group(3)) == (j["chain"], j["seq"], j["message"])
    assert 0 < j["seq"] <= head(cbc, demo, "--unit", "E01")["seq"]
    assert "fine 1" in j["message"]
    assert 0 < j["records_checked"] <= j["links_checked"]
    # putting it back makes it sound again: the fault was the edit
    behind_the_back(demo, "UPDATE fines SET amount_fen = amount_fen - 1 WHERE id = 1")
    verify(cbc, demo)


def test_an_altered_hazard_report_is_named(cbc, demo):
    enterprise = cbc.json("hazard", "show", demo, 1)["enterprise"]["id"]
    # the report's fields are fixed by a trigger: it has to go first
    with pytest.raises(sqlite3.IntegrityError):
        behind_the_back(demo, "UPDATE hazards SET title = 'x' WHERE id = 1")
    verify(cbc, demo)
    behind_the_back(demo, "DROP TRIGGER hazards_report_fixed",
                    "UPDATE hazards SET title = 'x' WHERE id = 1")
    j = verify(cbc, demo, expect=1)
    assert (j["fault"], j["kind"], j["record_id"], j["chain"]) == ("record_altered", "hazard", 1,
                                                                   enterprise)
    assert j["seq"] > 0 and "hazard 1" in j["message"]
    out = cbc("history", "verify", demo, expect=1).out
    assert out == "record_altered: chain %d, link %d, hazard 1: %s\n" % (
        enterprise, j["seq"], j["message"])


def test_a_record_added_behind_the_back_is_unchained(cbc, demo):
    behind_the_back(demo, "INSERT INTO fines(employee_id, unit_id, amount_fen, reason, hazard_id,"
                          " violation, issued_by, issued_at, enterprise_id) SELECT employee_id,"
                          " unit_id, 100, 'x', hazard_id, violation, issued_by, issued_at,"
                          " enterprise_id FROM fines WHERE id = 1")
    added = sqlite3.connect(demo).execute("SELECT max(id) FROM fines").fetchone()[0]
    j = verify(cbc, demo, expect=1)
    assert (j["fault"], j["kind"], j["record_id"], j["seq"]) == ("record_unchained", "fine",
                                                                 added, 0)
    # no chain and link for a record that has none
    out = cbc("history", "verify", demo, expect=1).out
    assert out == "record_unchained: fine %d: %s\n" % (added, j["message"])


# ------------------------------------------------------------ checkpoints

def test_every_head_held_is_sound(cbc, demo_db):
    held = [checkpoint(cbc, demo_db)] + [checkpoint(cbc, demo_db, "--unit", t)
                                         for t in DEMO_TENANTS]
    args = [a for cp in held for a in ("--checkpoint", cp)]
    assert SOUND.match(cbc("history", "verify", demo_db, *args).out)
    verify(cbc, demo_db, *args)


def test_a_checkpoint_with_another_hash_differs(cbc, demo_db):
    j = head(cbc, demo_db, "--unit", "E01")
    other = HASH if j["sha256"] != HASH else HASH[::-1]
    cp = "%d:%d:%s" % (j["chain"], j["seq"], other)
    v = verify(cbc, demo_db, "--checkpoint", cp, expect=1)
    assert (v["fault"], v["chain"], v["seq"], v["kind"], v["record_id"]) == (
        "checkpoint_differs", j["chain"], j["seq"], None, 0)
    out = cbc("history", "verify", demo_db, "--checkpoint", cp, expect=1).out
    assert out == "checkpoint_differs: chain %d, link %d: %s\n" % (j["chain"], j["seq"],
                                                                  v["message"])
    # an earlier link of the chain is checked too
    early = "%d:1:%s" % (j["chain"], HASH)
    assert verify(cbc, demo_db, "--checkpoint", early, expect=1)["seq"] == 1


def test_a_checkpoint_finds_a_history_cut_back_and_rewritten(cbc, demo):
    """What only a checkpoint held outside finds: the newest records and
    their links removed, and others written in their place, leave chains
    that are consistent in themselves."""
    e01 = unit_id(cbc, demo, "E01")
    first = fine(cbc, demo, "50")
    held = checkpoint(cbc, demo, "--unit", "E01")
    seq = int(held.split(":")[1])
    verify(cbc, demo, "--checkpoint", held)
    # later moves keep it sound: the chain had that head
    fine(cbc, demo, "60")
    verify(cbc, demo, "--checkpoint", held)
    # cut back: the two fines and their links go
    behind_the_back(demo, "DROP TRIGGER history_chain_fixed_d",
                    ("DELETE FROM history_chain WHERE enterprise_id = ? AND seq >= ?",
                     (e01, seq)),
                    ("DELETE FROM fines WHERE id >= ?", (first,)))
    assert head(cbc, demo, "--unit", "E01")["seq"] == seq - 1
    verify(cbc, demo)
    v = verify(cbc, demo, "--checkpoint", held, expect=1)
    assert (v["fault"], v["chain"], v["seq"], v["kind"]) == ("checkpoint_differs", e01, seq, None)
    # rewritten: another fine takes the link the held head names
    fine(cbc, demo, "5")
    now = checkpoint(cbc, demo, "--unit", "E01")
    assert now.split(":")[:2] == held.split(":")[:2] and now != held
    verify(cbc, demo)
    verify(cbc, demo, "--checkpoint", now)
    v = verify(cbc, demo, "--checkpoint", held, expect=1)
    assert (v["fault"], v["chain"], v["seq"]) == ("checkpoint_differs", e01, seq)
    assert "rewritten" in v["message"]


def test_every_checkpoint_held_for_a_link_is_compared(cbc, demo_db):
    good = checkpoint(cbc, demo_db, "--unit", "E01")
    chain, seq, sha = good.split(":")
    bad = "%s:%s:%s" % (chain, seq, HASH if sha != HASH else HASH[::-1])
    verify(cbc, demo_db, "--checkpoint", bad, "--checkpoint", good, expect=1)
    verify(cbc, demo_db, "--checkpoint", good, "--checkpoint", bad, expect=1)


BAD_CHECKPOINTS = [
    "3", "3:5", "3:5:", ":5:" + HASH, "3::" + HASH, "", "::",
    "3:5:" + HASH[:63],                 # 63 hex digits
    "3:5:" + HASH + "0",                # 65
    "3:5:" + HASH.upper(),              # uppercase
    "3:-5:" + HASH,                     # a negative seq
    "-3:5:" + HASH,                     # a negative chain
    "3:+5:" + HASH, " 3:5:" + HASH, "x:5:" + HASH, "3:5:" + "g" * 64,
    "3:5:" + HASH + ":", "3:5:" + HASH[:32] + ":" + HASH[:31],
    "3:0:" + HASH,                      # a hash for no links
    "3:99999999999999999999:" + HASH,   # beyond int64
]


@pytest.mark.parametrize("bad", BAD_CHECKPOINTS)
def test_a_malformed_checkpoint_is_a_usage_error(cbc, demo, bad):
    before = file_digest(demo)
    res = cbc("history", "verify", demo, "--checkpoint", "0:0:", "--checkpoint", bad,
              expect=2)
    assert res.out == "" and MALFORMED in res.err and "usage: cbc history verify" in res.err
    assert file_digest(demo) == before


def test_checkpoints_are_read_before_the_database(cbc, tmp_path):
    missing = tmp_path / "missing.db"
    res = cbc("history", "verify", missing, "--checkpoint", "3:5", expect=2)
    assert MALFORMED in res.err
    cbc("history", "verify", missing, "--checkpoint", "3:5:" + HASH, expect=3)
    assert not missing.exists()


def test_too_many_checkpoints(cbc, demo_db):
    args = [a for i in range(65) for a in ("--checkpoint", "%d:0:" % i)]
    assert "given too many times" in cbc("history", "verify", demo_db, *args, expect=2).err
    verify(cbc, demo_db, *args[:128])


# ------------------------------------------------------------ errors, usage

def test_a_missing_database(cbc, tmp_path):
    missing = tmp_path / "missing.db"
    for args in (("verify",), ("verify", "--json"), ("head",), ("head", "--json")):
        res = cbc("history", args[0], missing, *args[1:], expect=3)
        assert res.out == "" and "no database at" in res.err
    assert not missing.exists()


def test_bad_chains(cbc, demo_db):
    res = cbc("history", "head", demo_db, "--unit", "E9", expect=3)
    assert "no unit with id 'E9'" in res.err
    for bad in ("-1", "x", "1.5"):
        assert "--chain" in cbc("history", "head", demo_db, "--chain", bad, expect=4).err
    res = cbc("history", "head", demo_db, "--chain", "3", "--unit", "E01", expect=2)
    assert "give one" in res.err


def test_usage(cbc, demo_db):
    assert "history" in cbc("--help").out
    group = cbc("history", "--help").out
    assert "verify" in group and "head" in group
    cbc("history", expect=2)
    cbc("history", "rewind", demo_db, expect=2)
    cbc("history", "verify", expect=2)
    cbc("history", "verify", demo_db, "extra", expect=2)
    cbc("history", "head", demo_db, "--chain", expect=2)
    cbc("history", "verify", demo_db, "--unit", "E01", expect=2)
    text = cbc("history", "verify", "--help").out
    assert "--checkpoint" in text and "Exit status 0 when sound, 1 when a fault" in text
    assert "--unit" in cbc("history", "head", "--help").out
