"""The worker process that parses one document, and its protocol with the process that started it.

pdfminer has open hangs and recursion crashes on malformed files, so a document is parsed
in a forked child with an address-space limit (RLIMIT_AS) and a wall-clock limit that kills
the child's whole process group (tesseract too). A worker dies with the process that
started it (PR_SET_PDEATHSIG): it is its own session, so a terminal's signals never reach it.
It sends notes on the way ("budget", "progress") and then its result: the Document (with its
store JSON when the document is to be stored) or the error that says what is wrong.
"""
from __future__ import annotations

import ctypes
import mmap
import multiprocessing
import os
import pickle
import re
import resource
import signal
import time
import traceback
from dataclasses import dataclass, replace
from typing import Callable, Optional
from pathlib import Path

from .errors import CorruptFileError, InputError, NqgraphError, ResourceLimitError, display_path
from .model import Clause, Document

__all__ = ["Job", "finish_job", "read_note", "start_job", "warm_up", "with_source"]


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

        # the parent's default limit follows the pages and the OCR they need (extract/budget.py)
        document = parse(path, budget=lambda seconds: conn.send(("budget", seconds)),
                         progress=lambda done, total: conn.send(("progress", (done, total))))
        # Its JSON is made here, in parallel, so that the parent (one for all workers) only writes it;
        # a document that is not stored needs none (it is ~1.5x the document's memory again).
        conn.send(("ok", None))  # the result follows, sent as it is pickled
        stored = None
        if store_json:  # `parse` stores nothing: it does not import the store
            from .store import spec_json

            stored = spec_json(document)
        _send_result(conn, (document, stored))
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
class Job:
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
    """Load every stage's lexicons, compiled patterns and the POS tagger's models in this process.

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


def start_job(path: Path, max_memory_mb: int, timeout: float | None, store_json: bool = True) -> Job:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(str(path), max_memory_mb, sender, os.getpid(), store_json), daemon=True)
    worker.start()
    sender.close()
    now = time.monotonic()
    if timeout is None:  # until the worker says how long its pages need (extract/budget.py)
        from .extract.budget import BUDGET_BASE

        return Job(path, worker, receiver, now + BUDGET_BASE, now, True)
    return Job(path, worker, receiver, now + timeout, now)


def _took_note(job: Job, message: tuple) -> bool:
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


def read_note(job: Job) -> bool:
    """Read a waiting note (budget or progress), if that is what waits; True when it was."""
    try:
        if not job.receiver.poll(0):
            return False
        message = job.receiver.recv()
    except EOFError:  # the worker died: finish_job says so
        return False
    if not _took_note(job, message):
        job.pending = message
        return False
    return True


class _PipeFrames:
    """A file for the pickler: each frame it writes goes down the pipe as one message."""

    def __init__(self, conn):
        self.write = conn.send_bytes


def _send_result(conn, result) -> None:
    """Send `result` frame by frame as the pickler writes it, then an empty message.

    `Connection.send` pickles the whole result first, and its memo of every object: for a
    500-page document ~30 MB beside the ~170 MB of the parse. Here the pickler keeps no memo
    (a Document is a tree: nothing is shared that must stay shared) and no buffer. A failure
    once frames have gone cannot be told apart from a frame: the worker then just exits, and
    the parent says the parser died.
    """
    try:
        pickler = pickle.Pickler(_PipeFrames(conn), protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True
        pickler.dump(result)
        conn.send_bytes(b"")
    except BaseException:  # noqa: BLE001 - see above
        os._exit(70)


def _receive_result(conn):
    chunks = []
    while chunk := conn.recv_bytes():
        chunks.append(chunk)
    return pickle.loads(b"".join(chunks))


def finish_job(job: Job, timeout: float | None) -> tuple[Document, object]:
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
        if status == "ok":
            payload = _receive_result(job.receiver)
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
