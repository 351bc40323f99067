"""The tamper-evident history (cbc/history.h): HistoryMixin, inherited by
Database.  Its enums and records (HistoryKind, HistoryFault, Checkpoint,
HistoryVerdict) are in types.py with the others, and named here too."""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Optional, Union

from ._cbc import ffi, lib
from ._support import _DatabaseBase, _fetch, _text
from .errors import InvalidError, check
from .types import Checkpoint, HistoryFault, HistoryKind, HistoryVerdict

__all__ = ["HistoryMixin", "HistoryKind", "HistoryFault", "Checkpoint", "HistoryVerdict"]


# -- C to Python -----------------------------------------------------------
def _checkpoint(c: Any) -> Checkpoint:
    """A Checkpoint from a cbc_history_checkpoint (also a cbc_filing's)."""
    return Checkpoint(c.tenant_id, c.seq, ffi.string(c.hash).decode("ascii"))


def _verdict(v: Any) -> HistoryVerdict:
    return HistoryVerdict(HistoryFault(v.fault), v.tenant_id, v.seq,
                          HistoryKind(v.kind) if v.kind else None, v.record_id,
                          _text(v.message), v.links_checked, v.records_checked)


# -- Python to C -----------------------------------------------------------
def _fill_checkpoint(c: Any, value: Union[Checkpoint, Dict[str, Any]], i: int) -> None:
    """Fill a cbc_history_checkpoint from a Checkpoint (or its fields as a
    dict).  The library refuses a malformed one (a negative chain or seq, a
    hash that is not 64 lowercase hex digits); one that the struct cannot
    hold (longer, or with a NUL) is refused here with the same InvalidError."""
    cp = value if isinstance(value, Checkpoint) else None
    if cp is None and isinstance(value, dict):
        cp = Checkpoint(**value)
    if cp is None:
        raise TypeError("checkpoints[%d]: expected cbc.Checkpoint, got %s"
                        % (i, type(value).__name__))
    if not isinstance(cp.sha256, str):
        raise TypeError("checkpoints[%d].sha256: expected str, got %s"
                        % (i, type(cp.sha256).__name__))
    digest = cp.sha256.encode("utf-8")
    if len(digest) >= ffi.sizeof(c.hash) or b"\0" in digest:
        raise InvalidError(lib.CBC_EINVAL, "checkpoints[%d].sha256: not 64 lowercase hex "
                           "digits (%d characters)" % (i, len(cp.sha256)))
    c.tenant_id, c.seq = cp.chain, cp.seq
    c.hash = digest


class _CheckpointHook:
    """The Python side of the checkpoint hook: the function and its last exception."""

    def __init__(self, fn: Callable[[Checkpoint], object]) -> None:
        self.fn = fn
        self.error: Optional[BaseException] = None
        self.running = False


@ffi.def_extern()
def _cbc_checkpoint_hook(checkpoint: Any, payload: Any) -> Any:
    hook = ffi.from_handle(payload)
    hook.running = True
    try:
        hook.fn(_checkpoint(checkpoint))
        return 0
    except BaseException as e:  # must not unwind through C; see checkpoint_hook_error
        hook.error = e
        return 1
    finally:
        hook.running = False


class HistoryMixin(_DatabaseBase):
    """The tamper-evident history of Database (docs/history.md): every record
    the ledger's promises rest on (HistoryKind) is chained with SHA-256, one
    chain per enterprise or region node and chain 0 for the records of no
    one enterprise, so an edit made behind the library's back is found and
    named.  A chain's head (a Checkpoint) is printed on each filed report
    and heard by the checkpoint hook after each commit, so someone outside
    the database holds it; history_verify() recomputes every chain and
    compares it with the checkpoints held."""

    _checkpoint_hook: Optional[_CheckpointHook] = None
    _checkpoint_hook_handle: Any = None

    def history_verify(self, checkpoints: Iterable[Union[Checkpoint, Dict[str, Any]]] = ()
                       ) -> HistoryVerdict:
        """Recompute the chains from the records and report the first fault as
        a HistoryVerdict (verdict.sound when none): the chains in ascending
        order, each link in sequence order (its hash, every checkpoint given
        for it, then, when it is its record's newest link, the record), then
        the checkpoints beyond their chain's end, then any record without a
        link, by kind and id.  checkpoints: the
        Checkpoints (or dicts of their fields) held outside the database;
        each chain must have had exactly that head at that sequence number
        (HistoryFault.CHECKPOINT_DIFFERS when not).  Reads only; a whole
        province's history takes minutes.  A fault does not raise.  Raises InvalidError (a checkpoint with a negative chain or
        seq, or whose sha256 is not 64 lowercase hex digits, or not "" for
        seq 0), TypeError (not a Checkpoint), StateError (the records written
        before the chains began have no links yet: open the database
        read-write once), BusyError, IOFailure."""
        items = list(checkpoints)
        held = ffi.new("cbc_history_checkpoint[]", max(len(items), 1))
        for i, cp in enumerate(items):
            _fill_checkpoint(held[i], cp, i)
        return _fetch("cbc_history_verdict **",
                      lambda out: lib.cbc_history_verify(out, self._ptr,
                                                         held if items else ffi.NULL, len(items)),
                      _verdict, lib.cbc_history_verdict_free)

    def history_head(self, chain: int = 0) -> Checkpoint:
        """The head of one chain as committed now, a Checkpoint: chain is an
        enterprise's or a region node's id, or 0 for the database's own (a
        chain without links: seq 0, sha256 "").  Raises InvalidError (a
        negative chain), BusyError, IOFailure."""
        out = ffi.new("cbc_history_checkpoint *")
        check(lib.cbc_history_head(out, self._ptr, chain))
        return _checkpoint(out)

    # -- the checkpoint hook ----------------------------------------------
    def set_checkpoint_hook(self, fn: Optional[Callable[[Checkpoint], object]]) -> None:
        """Call fn(Checkpoint) with the new head of each chain a transaction
        extended, once per chain, after it commits (in a begin() group: when
        commit() succeeds; nothing after a rollback); None removes the hook.
        fn must not use this Database.  If fn raises, the exception is kept
        in checkpoint_hook_error and the committed change stands."""
        hook = _CheckpointHook(fn) if fn is not None else None
        handle = ffi.new_handle(hook) if hook else None
        check(lib.cbc_history_set_checkpoint_hook(
            self._ptr, lib._cbc_checkpoint_hook if hook else ffi.NULL,
            handle if hook else ffi.NULL))
        # C holds the handle's address
        self._checkpoint_hook, self._checkpoint_hook_handle = hook, handle

    @property
    def checkpoint_hook_error(self) -> Optional[BaseException]:
        """The last exception the current checkpoint hook raised, or None."""
        return self._checkpoint_hook.error if self._checkpoint_hook else None
