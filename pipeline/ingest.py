"""Ingest: parse each file in an isolated worker process and add it to the store.

pdfminer has open hangs and recursion crashes on malformed files, so a document
is parsed in a forked child with an address-space limit (RLIMIT_AS) and a
wall-clock limit that kills the child's whole process group (tesseract too).
A worker dies with the process that started it (PR_SET_PDEATHSIG): it is its
own session, so a terminal's signals never reach it. Anything that is not a
regular readable file (a FIFO, /dev/zero, a file without read permission) is
refused before a byte is read. A bad file costs its own worker, never the
batch; the store only ever sees complete documents, one transaction each.
"""
from __future__ import annotations

import ctypes
import hashlib
import mmap
import multiprocessing
import os
import re
import resource
import signal
import stat
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .errors import CorruptFileError, InputError, NqgraphError, ResourceLimitError, StoreError, display_path
from .model import Clause, Document

__all__ = ["IngestResult", "check_input", "file_sha256", "ingest_files", "parse_isolated", "warm_up",
           "with_source"]


@dataclass(frozen=True)
class IngestResult:
    path: Path
    status: str  # added | unchanged | replaced | refused | superseded | failed
    number: Optional[str] = None
    clauses: int = 0
    error: Optional[str] = None
    replaced: Optional[str] = None  # the source of the version this one replaced, or would have
    reason: Optional[str] = None  # why it replaced it, or why it was refused

    def line(self) -> str:
        if self.error:
            return self.error
        path, what = display_path(self.path), f"{self.number or 'no number'}, {self.clauses} clauses"
        return {
            "added": f"added {path} ({what})",
            "replaced": f"replaced {self.replaced} with {path} ({what}): {self.reason}; the old version is kept "
                        f"(nqgraph history {self.number})",
            "refused": f"refused {path} ({what}): {self.reason}; the stored version stays (give --replace to "
                       "store this file anyway)",
            "unchanged": f"unchanged {path}: already in the store (same sha256), nothing to do",
            "superseded": f"skipped {path} ({what}): {self.reason}; `nqgraph history {self.number} --restore N` "
                          "brings it back",
        }[self.status]


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_input(path: Path) -> None:
    """Refuse anything but a regular file before reading a byte: hashing a FIFO
    or /dev/zero never ends, and no limit applies yet.

    >>> check_input(Path("/dev/zero"))
    Traceback (most recent call last):
    pipeline.errors.InputError: error E001: /dev/zero: is a character device, not a document file. Give the document file itself.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except OSError as err:
        raise InputError(f"cannot be opened ({err.strerror})", path) from None
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a document", path)
    for test, kind in _NOT_REGULAR:
        if test(mode):
            raise InputError(f"is {kind}, not a document file", path, hint="Give the document file itself.")
    try:
        with open(path, "rb"):
            pass
    except OSError as err:
        raise InputError(f"cannot be read ({err.strerror})", path,
                         hint="Check the file's permissions, or copy it somewhere readable.") from None


def file_sha256(path: Path) -> str:
    """The sha256 of a regular file's bytes; InputError for anything else or a file that cannot be read."""
    check_input(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:  # EIO from a failing disk or a vanished network share
        raise InputError(f"cannot be read ({err.strerror})", path,
                         hint="Copy the file somewhere local and readable, then try again.") from None
    return digest.hexdigest()


def _renamed_clause(clause: Clause, old: str, new: str) -> Clause:
    children = tuple(_renamed_clause(c, old, new) for c in clause.children)
    ident = new + clause.id[len(old):] if clause.id.startswith(old + "/") else clause.id
    return replace(clause, id=ident, children=children)


def with_source(doc: Document, name: str) -> Document:
    """The document as if parsed under another file name: `source` and the clause-id stems.

    >>> with_source(Document(source="3f2c.pdf", sha256="", info=None, pages=1, text=""), "NQ 35.pdf").source
    'NQ 35.pdf'
    """
    old, new = Path(doc.source).stem, Path(name).stem
    clauses = tuple(_renamed_clause(c, old, new) for c in doc.clauses)
    return replace(doc, source=name, clauses=clauses)


def _virtual_memory_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _caused_by(error: BaseException, kind: type) -> bool:
    """Whether `kind` is anywhere in the chain of causes, contexts and wrapped arguments."""
    seen, todo = set(), [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return True
        todo += [e for e in (current.__cause__, current.__context__, *current.args) if isinstance(e, BaseException)]
    return False


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Have the kernel SIGKILL this worker when its parent dies (the CLI killed, the server stopped)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's own --timeout kill is all there is
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


# A stream's declared length, not an indirect reference ("/Length 12 0 R").
_DECLARED_LENGTH = re.compile(rb"/Length\s+(\d{1,19})(?!\s+\d+\s+R)")


def _impossible_length(path: str) -> Optional[int]:
    """A stream length the file declares that is larger than the whole file, if any (a damaged file:
    a reader that believes it asks for gigabytes). None when the file cannot be scanned."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data[:5] != b"%PDF-":
                return None
            return next((int(m[1]) for m in _DECLARED_LENGTH.finditer(data) if int(m[1]) > size), None)
    except (OSError, ValueError, MemoryError):  # mapping counts against the worker's memory cap
        return None


def _memory_error(path: str, max_memory_mb: int) -> NqgraphError:
    """The right advice for a parse that ran out of memory: a damaged length, or a file that needs more."""
    declared = _impossible_length(path)
    if declared is not None:
        return CorruptFileError(f"declares a stream of {declared / (1 << 20):,.0f} MB in a file of "
                                f"{os.path.getsize(path) / 1024:,.0f} KB, so it is damaged", path)
    return ResourceLimitError(f"needed more than {max_memory_mb} MB", path)


def _child(path: str, max_memory_mb: int, conn, parent: int, store_json: bool = True) -> None:
    os.setsid()  # its own process group, so a timeout kills tesseract too
    _die_with(parent)
    limit = _virtual_memory_bytes() + max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    ran_out = False
    try:
        from . import parse

        from .store import spec_json

        # the parent's default limit follows the pages and the OCR they need (extract/ocr.py)
        document = parse(path, budget=lambda seconds: conn.send(("budget", seconds)),
                         progress=lambda done, total: conn.send(("progress", (done, total))))
        # Its JSON is made here, in parallel, so that the parent (one for all workers) only writes it;
        # a document that is not stored needs none (it is ~1.5x the document's memory again).
        conn.send(("ok", (document, spec_json(document) if store_json else None)))
    except NqgraphError as error:
        # a reader that caught the MemoryError itself still ran out of memory: say why, below
        ran_out = _caused_by(error, MemoryError)
        if not ran_out:
            conn.send(("error", error))
    except MemoryError:
        ran_out = True
    except RecursionError:
        conn.send(("error", InputError("the PDF's objects nest too deeply to read", path)))
    except Exception as error:  # a library's own failure on a malformed file
        ran_out = _caused_by(error, MemoryError)  # pdfplumber wraps pdfminer's errors in its own
        if not ran_out:
            kind = type(error).__name__
            detail = str(error).splitlines()[0][:160] if str(error) else kind
            conn.send(("error", InputError(f"could not be read ({kind}: {detail})", path,
                                           hint="The file may be damaged; export or download it again.")))
            if os.environ.get("NQGRAPH_DEBUG"):
                traceback.print_exc()
    # Out of the handler: its traceback, which held what filled the memory, is gone, so
    # there is room to look at the file (a MemoryError while handling one aborts Python).
    if ran_out:
        conn.send(("error", _memory_error(path, max_memory_mb)))
    conn.close()


@dataclass
class _Job:
    """One document being parsed in its own worker process."""
    path: Path
    worker: multiprocessing.Process
    receiver: object  # multiprocessing.connection.Connection
    deadline: float
    started: float = 0.0
    budgeted: bool = False  # no --timeout: the worker's ("budget", seconds) message sets the deadline
    pending: tuple | None = None  # the worker's ("ok" | "error", payload), once received
    on_progress: Callable[[int, int], None] | None = None  # told each OCR page the worker reads


_WARM = {"done": False}


def warm_up() -> None:
    """Load every stage's lexicons, compiled patterns and underthesea's tagger in this process.

    Workers are forked from it, so they start with all of that in memory instead of
    paying ~0.6 s each to load it again.
    """
    if _WARM["done"]:
        return
    from .model import Document
    from .segment import segment
    from .tag import tag

    sample = "1. Ban Tổ chức chủ trì, phối hợp với Ngân hàng Chính sách xã hội hướng dẫn (thực hiện thường xuyên)."
    tag(segment(Document("warm-up.txt", "", None, 1, sample)))
    _WARM["done"] = True


def _start(path: Path, max_memory_mb: int, timeout: float | None, store_json: bool = True) -> _Job:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(str(path), max_memory_mb, sender, os.getpid(), store_json), daemon=True)
    worker.start()
    sender.close()
    now = time.monotonic()
    if timeout is None:  # until the worker says how long its pages need (extract/ocr.py budget_seconds)
        from .extract.ocr import BUDGET_BASE

        return _Job(path, worker, receiver, now + BUDGET_BASE, now, True)
    return _Job(path, worker, receiver, now + timeout, now)


def _took_note(job: _Job, message: tuple) -> bool:
    """Act on a worker's note on the way ("budget", seconds) or ("progress", (done, total));
    False when `message` is its result instead."""
    status, payload = message
    if status == "budget":
        if job.budgeted:
            job.deadline = job.started + payload
        return True
    if status == "progress":
        if job.on_progress:
            job.on_progress(*payload)
        return True
    return False


def _took_budget(job: _Job) -> bool:
    """Read a waiting note (budget or progress), if that is what waits; True when it was."""
    try:
        if not job.receiver.poll(0):
            return False
        message = job.receiver.recv()
    except EOFError:  # the worker died: _finish says so
        return False
    if not _took_note(job, message):
        job.pending = message
        return False
    return True


def _finish(job: _Job, timeout: float | None) -> tuple[Document, object]:
    """Collect a job's Document and its store JSON (or raise its error), killing the worker's process group."""
    try:
        # poll(0) still sees a result that arrived before the deadline passed.
        while job.pending is None:
            if not job.receiver.poll(max(0.0, job.deadline - time.monotonic())):
                raise ResourceLimitError(f"took longer than {job.deadline - job.started:g} s", job.path)
            message = job.receiver.recv()
            if not _took_note(job, message):
                job.pending = message
        status, payload = job.pending
    except EOFError:
        job.worker.join(1)
        raise ResourceLimitError(f"the parser died (exit code {job.worker.exitcode}); the file may be hostile or "
                                 "too large", job.path) from None
    finally:
        if job.worker.is_alive():
            try:
                os.killpg(job.worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        job.worker.join(5)
        job.receiver.close()
    if status == "error":
        raise payload
    document, prepared = payload
    if display_path(document.source) != document.source:  # a name that is not UTF-8 cannot be printed or stored
        return with_source(document, display_path(document.source)), None  # its JSON names the old source
    return document, prepared


def parse_isolated(path: Path, *, timeout: float | None = None, max_memory_mb: int = 1024,
                   progress: Callable[[int, int], None] | None = None, warm: bool = True) -> Document:
    """Parse `path` in a worker process under time and memory limits.

    `timeout` None: the default budget, which grows with the pages and the OCR they need.
    `progress(done, total)` is told each OCR page the worker reads.
    `warm` False: load nothing before the fork, for a process that parses one file and exits
    (the worker then loads only what its document needs: no POS model for a text whose
    names need no tagger).

    Raises the worker's NqgraphError, or ResourceLimitError when it overran or died.

    >>> parse_isolated(Path("corpus/kh_ubnd_xa.txt"), timeout=30).pages   # doctest: +SKIP
    1
    """
    path = Path(path)
    check_input(path)  # a FIFO would hold the worker until its timeout
    if warm and path.stat().st_size:
        warm_up()  # not for a path that fails at once: its error should come at once
    job = _start(path, max_memory_mb, timeout, store_json=False)
    job.on_progress = progress
    return _finish(job, timeout)[0]


# Files started but not yet handed out, per worker: room for a slow file's neighbours to go on.
# With 4, a batch whose every eighth file takes five times the rest left the second worker idle
# (bench/ingest_workers.py's schedule: 1.61x one worker; 1.92x with 8 or more). What the window
# holds is bounded by size too: no new file starts while the parsed documents waiting to be
# stored hold more than HELD_JSON_BYTES of JSON (a 200-page document holds about 3 MB).
HELD_PER_WORKER = 8
HELD_JSON_BYTES = 64 << 20


def _outcomes(paths: list[Path], store, *, timeout: float | None, max_memory_mb: int,
              workers: int) -> Iterator[tuple[Path, str | None, tuple | NqgraphError | None]]:
    """(path, sha256, (Document, its store JSON) or error or None when already stored), in input order.

    Up to `workers` documents parse at once. A worker that finishes starts the next file
    even while an earlier, slower one is still being read (no head-of-line wait); its
    result waits to be handed out in order, and at most HELD_PER_WORKER × `workers`
    files (and HELD_JSON_BYTES of their JSON) are started but not yet handed out, which bounds
    the Documents held.
    """
    from multiprocessing.connection import wait

    running: dict[int, _Job] = {}
    ready: dict[int, tuple[Path, str | None, object]] = {}
    shas: dict[int, str] = {}
    started = handed = held = 0  # held: JSON bytes of the parsed documents in `ready`
    while handed < len(paths):
        while (started < len(paths) and len(running) < workers
               and started - handed < HELD_PER_WORKER * workers and held < HELD_JSON_BYTES):
            path = paths[started]
            try:
                shas[started] = file_sha256(path)
                if store.has_sha256(shas[started]):
                    ready[started] = (path, shas[started], None)
                else:
                    warm_up()  # once, and only when a file needs parsing: errors and skips come at once
                    running[started] = _start(path, max_memory_mb, timeout)
            except NqgraphError as error:
                ready[started] = (path, None, error)
            started += 1
        if handed in ready:
            outcome = ready.pop(handed)
            held -= _json_bytes(outcome[2])
            yield outcome
            handed += 1
            continue
        soonest = min(job.deadline for job in running.values())
        done = set(wait([job.receiver for job in running.values()], max(0.0, soonest - time.monotonic())))
        for index, job in list(running.items()):
            if job.receiver in done and _took_budget(job):
                continue  # the worker said how long it may take; its result comes later
            if job.receiver in done or time.monotonic() >= job.deadline:
                del running[index]
                try:
                    ready[index] = (job.path, shas[index], _finish(job, timeout))
                    held += _json_bytes(ready[index][2])
                except NqgraphError as error:
                    ready[index] = (job.path, shas[index], error)


def _json_bytes(outcome) -> int:
    """The size of a parsed document's store JSON (0 for an error or a skip)."""
    if isinstance(outcome, tuple) and outcome[1] is not None:
        return len(outcome[1].document)
    return 0


def ingest_files(files: Iterable[Path], db: Path, *, timeout: float | None = None, max_memory_mb: int = 1024,
                 workers: int = 1, replace: bool = False) -> Iterator[IngestResult]:
    """Ingest files, yielding a result per file in input order; bad files never stop the batch.

    `workers` documents are parsed at once, each in its own process; only this
    process writes to the store, one transaction per document. A new version of
    a stored document that parses worse is refused unless `replace`. A failed
    write (a full disk) fails that file only; the next one is tried.

    >>> [r.status for r in ingest_files([Path("corpus/kh_ubnd_xa.txt")], Path("/tmp/s.sqlite"))]  # doctest: +SKIP
    ['added']
    """
    from .store import Store

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    paths = [Path(p) for p in files]
    with Store(db) as store:
        for path, sha, outcome in _outcomes(paths, store, timeout=timeout, max_memory_mb=max_memory_mb,
                                            workers=workers):
            if isinstance(outcome, NqgraphError):
                yield IngestResult(path, "failed", error=str(outcome))
            elif outcome is None or store.has_sha256(sha):  # the same bytes earlier in this batch
                yield IngestResult(path, "unchanged")
            else:
                document, prepared = outcome
                try:
                    added = store.add(document, replace=replace, prepared=prepared)
                except StoreError as error:
                    yield IngestResult(path, "failed", error=str(StoreError(f"not stored: {error.message}", path,
                                                                              hint=error.hint)))
                    continue
                yield IngestResult(path, added.status, document.info.number, sum(1 for _ in document.walk()),
                                   replaced=added.replaced_source, reason=added.reason)
