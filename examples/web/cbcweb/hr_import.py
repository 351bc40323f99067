"""HR file imports in the background, one at a time per app, with progress.

The uploaded files are copied into a private directory (mode 0700) beside
the database and db.import_files() reads them on a thread of its own, with
its OWN cbc.Database handle (a libcbc handle serves one thread at a time:
docs/integration.md §6).  The library's progress callback updates the job's
figures, which the pages read.  The import is one transaction: a failure, a
cancel or a killed process changes nothing (docs/integration.md §3).

What is left behind never outlives its import: the thread removes its
directory when it ends, however it ends; at exit the app cancels a running
import (the library aborts at its next progress call) and removes its
files; a directory left by a killed process is removed by the next import."""
from __future__ import annotations

import atexit
import collections
import os
import re
import secrets
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from typing import IO, Dict, List, Optional, Tuple

import cbc

#: The most one uploaded file may hold (both files together stay under the
#: request's limit, cbcweb.MAX_REQUEST_BYTES); larger exports go through
#: `cbc import` on the host.
MAX_FILE_BYTES = 40 * 1024 * 1024

#: How many finished imports keep their result page.
KEEP_FINISHED = 8

#: How long the app waits at exit for a cancelled import to end.
EXIT_WAIT_SECONDS = 10.0

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"

_CHUNK = 1024 * 1024
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
_JOB_DIR = re.compile(r"pid(\d+)-")


class Busy(Exception):
    """Another import of this app is running; .job is that one."""

    def __init__(self, job: "Job") -> None:
        super().__init__("an import is running")
        self.job = job


class BadUpload(Exception):
    """An uploaded file the app does not keep (too large); the message in Chinese."""


@dataclass
class Upload:
    """One file of the form: which kind of records it holds, the name it was
    uploaded under, and its content."""
    record: cbc.RecordKind
    filename: str
    stream: IO[bytes]


@dataclass
class FileProgress:
    """How far the library has read one file (ImportProgress), for the bar."""
    record: cbc.RecordKind
    filename: str
    total_bytes: int
    rows: int = 0
    bytes: int = 0


@dataclass
class Job:
    """One import: who started it, its options, the progress of each file and
    how it ended (the SyncResult, or the library's message and the result
    attached to its error)."""
    id: str
    started_by: int
    mode: cbc.SyncMode
    strict: bool
    encoding: Optional[str]
    directory: str
    files: List[FileProgress] = field(default_factory=list)
    state: str = RUNNING
    result: Optional[cbc.SyncResult] = None
    error: Optional[str] = None
    cancel: threading.Event = field(default_factory=threading.Event)
    thread: Optional[threading.Thread] = None

    @property
    def running(self) -> bool:
        return self.state == RUNNING


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(root: str) -> None:
    """Remove the directories of imports whose process was killed."""
    for name in os.listdir(root):
        found = _JOB_DIR.match(name)
        if found and int(found.group(1)) != os.getpid() and not _process_alive(int(found.group(1))):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def _stored_name(upload: Upload) -> str:
    """The file's name in the job's directory: the kind of record and the
    uploaded name's ending, which the library's format detection reads (an
    ending it does not know is its refusal to give)."""
    ext = os.path.splitext(upload.filename)[1].lower()
    return upload.record.name.lower() + (ext if _EXTENSION.fullmatch(ext) else "")


def _copy(stream: IO[bytes], path: str) -> int:
    """Copy the upload to path (0600), refusing one over MAX_FILE_BYTES; its size."""
    size = 0
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return size
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise BadUpload("文件过大：每个文件最多 %d MiB" % (MAX_FILE_BYTES // (1024 * 1024)))
            out.write(chunk)


class Importer:
    """The imports of one app (its database file): at most one running."""

    def __init__(self, db_path: str, root: str) -> None:
        self.db_path = db_path
        self.root = root
        self._lock = threading.Lock()
        self._running: Optional[Job] = None
        self._jobs: "collections.OrderedDict[str, Job]" = collections.OrderedDict()
        _importers.add(self)

    def running(self) -> Optional[Job]:
        with self._lock:
            return self._running

    def job(self, job_id: str) -> Optional[Job]:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self) -> List[Job]:
        """The imports kept, the latest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def start(self, started_by: int, uploads: List[Upload], mode: cbc.SyncMode, strict: bool,
              encoding: Optional[str]) -> Job:
        """Keep the uploads and start importing them; raises Busy while
        another import runs, BadUpload (nothing kept, nothing started)."""
        job = self._reserve(started_by, mode, strict, encoding)
        try:
            paths = self._keep(job, uploads)
        except BaseException:
            shutil.rmtree(job.directory, ignore_errors=True)
            with self._lock:
                self._running = None
                del self._jobs[job.id]
            raise
        job.thread = threading.Thread(target=self._run, args=(job, paths), daemon=True,
                                      name="cbcweb-hr-import")
        job.thread.start()
        return job

    def _reserve(self, started_by: int, mode: cbc.SyncMode, strict: bool,
                 encoding: Optional[str]) -> Job:
        with self._lock:
            if self._running is not None:
                raise Busy(self._running)
            os.makedirs(self.root, mode=0o700, exist_ok=True)
            _sweep(self.root)
            directory = tempfile.mkdtemp(prefix="pid%d-" % os.getpid(), dir=self.root)
            job = Job(secrets.token_urlsafe(12), started_by, mode, strict, encoding, directory)
            self._running = job
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_FINISHED:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].running:
                    break
                del self._jobs[oldest]
            return job

    @staticmethod
    def _keep(job: Job, uploads: List[Upload]) -> Dict[cbc.RecordKind, str]:
        paths: Dict[cbc.RecordKind, str] = {}
        for upload in uploads:
            path = os.path.join(job.directory, _stored_name(upload))
            size = _copy(upload.stream, path)
            paths[upload.record] = path
            job.files.append(FileProgress(upload.record, upload.filename, size))
        return paths

    def _progress(self, job: Job, p: cbc.ImportProgress) -> bool:
        """The library's progress call: the figures for the page; False (abort,
        nothing changes) once the import is cancelled."""
        with self._lock:
            for f in job.files:
                if f.record == p.record:
                    f.rows, f.bytes, f.total_bytes = p.rows, p.bytes, p.total_bytes
        return not job.cancel.is_set()

    def _import(self, job: Job, paths: Dict[cbc.RecordKind, str]
                ) -> Tuple[str, Optional[cbc.SyncResult], Optional[str]]:
        try:
            with cbc.Database(self.db_path, create=False) as db:
                result = db.import_files(
                    paths.get(cbc.RecordKind.UNIT), paths.get(cbc.RecordKind.EMPLOYEE),
                    mode=job.mode, strict=job.strict, encoding=job.encoding,
                    progress=lambda p: self._progress(job, p))
            return DONE, result, None
        except cbc.CallbackAborted:
            return CANCELLED, None, None
        except cbc.CbcError as e:
            return FAILED, e.result, e.message
        except Exception as e:  # e.g. OSError: the thread must end and clean up
            return FAILED, None, str(e)

    def _run(self, job: Job, paths: Dict[cbc.RecordKind, str]) -> None:
        try:
            state, result, error = self._import(job, paths)
        finally:
            shutil.rmtree(job.directory, ignore_errors=True)
        with self._lock:
            job.state, job.result, job.error = state, result, error
            if self._running is job:
                self._running = None

    def cancel(self, job: Job) -> None:
        """Ask a running import to stop: the library aborts at its next
        progress call (every 10,000 rows and at each file's end) and changes
        nothing."""
        job.cancel.set()

    def shutdown(self, wait: float = EXIT_WAIT_SECONDS) -> None:
        """Cancel a running import, wait for it a little, remove its files."""
        job = self.running()
        if job is None:
            return
        self.cancel(job)
        if job.thread is not None:
            job.thread.join(wait)
        shutil.rmtree(job.directory, ignore_errors=True)


_importers: "weakref.WeakSet[Importer]" = weakref.WeakSet()


@atexit.register
def _at_exit() -> None:
    for importer in list(_importers):
        importer.shutdown()
