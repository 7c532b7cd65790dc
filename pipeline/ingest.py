"""Ingest: parse each file in an isolated worker process and add it to the store.

pdfminer has open hangs and recursion crashes on malformed files, so a document
is parsed in a forked child with an address-space limit (RLIMIT_AS) and a
wall-clock limit that kills the child's whole process group (tesseract too).
A bad file costs its own worker, never the batch; the store only ever sees
complete documents, one transaction each.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .errors import InputError, NqgraphError, ResourceLimitError
from .model import Document

__all__ = ["IngestResult", "ingest_files", "parse_isolated", "file_sha256", "warm_up"]


@dataclass(frozen=True)
class IngestResult:
    path: Path
    status: str  # added | unchanged | replaced | failed
    number: Optional[str] = None
    clauses: int = 0
    error: Optional[str] = None

    def line(self) -> str:
        if self.error:
            return self.error
        what = f"{self.number or 'no number'}, {self.clauses} clauses"
        return {
            "added": f"added {self.path} ({what})",
            "replaced": f"replaced the earlier version of {self.number} with {self.path} ({what})",
            "unchanged": f"unchanged {self.path}: already in the store (same sha256), nothing to do",
        }[self.status]


def file_sha256(path: Path) -> str:
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory, not a document", path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def _child(path: str, max_memory_mb: int, conn) -> None:
    os.setsid()  # its own process group, so a timeout kills tesseract too
    limit = _virtual_memory_bytes() + max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from . import parse

        conn.send(("ok", parse(path)))
    except NqgraphError as error:
        conn.send(("error", error))
    except MemoryError:
        conn.send(("error", ResourceLimitError(f"needed more than {max_memory_mb} MB", path)))
    except RecursionError:
        conn.send(("error", InputError("the PDF's objects nest too deeply to read", path)))
    except Exception as error:  # a library's own failure on a malformed file
        if _caused_by(error, MemoryError):  # pdfplumber wraps pdfminer's errors in its own
            conn.send(("error", ResourceLimitError(f"needed more than {max_memory_mb} MB", path)))
            return
        kind = type(error).__name__
        detail = str(error).splitlines()[0][:160] if str(error) else kind
        conn.send(("error", InputError(f"could not be read ({kind}: {detail})", path,
                                       hint="The file may be damaged; export or download it again.")))
        if os.environ.get("NQGRAPH_DEBUG"):
            traceback.print_exc()
    finally:
        conn.close()


@dataclass
class _Job:
    """One document being parsed in its own worker process."""
    path: Path
    worker: multiprocessing.Process
    receiver: object  # multiprocessing.connection.Connection
    deadline: float


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


def _start(path: Path, max_memory_mb: int, timeout: float) -> _Job:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(str(path), max_memory_mb, sender), daemon=True)
    worker.start()
    sender.close()
    return _Job(path, worker, receiver, time.monotonic() + timeout)


def _finish(job: _Job, timeout: float) -> Document:
    """Collect a job's Document (or raise its error), killing the worker's process group."""
    try:
        # poll(0) still sees a result that arrived before the deadline passed.
        if not job.receiver.poll(max(0.0, job.deadline - time.monotonic())):
            raise ResourceLimitError(f"took longer than {timeout:g} s", job.path)
        status, payload = job.receiver.recv()
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
    return payload


def parse_isolated(path: Path, *, timeout: float = 120.0, max_memory_mb: int = 1024) -> Document:
    """Parse `path` in a worker process under time and memory limits.

    Raises the worker's NqgraphError, or ResourceLimitError when it overran or died.

    >>> parse_isolated(Path("corpus/kh_ubnd_xa.txt"), timeout=30).pages   # doctest: +SKIP
    1
    """
    path = Path(path)
    if path.is_file() and path.stat().st_size:
        warm_up()  # not for a path that fails at once: its error should come at once
    return _finish(_start(path, max_memory_mb, timeout), timeout)


def _outcomes(paths: list[Path], store, *, timeout: float, max_memory_mb: int,
              workers: int) -> Iterator[tuple[Path, str | None, Document | NqgraphError | None]]:
    """(path, sha256, Document or error or None when already stored), in input order.

    Up to `workers` documents parse at once; a result waits until every earlier
    one has been handed out, so at most `workers` Documents are held at a time.
    """
    from multiprocessing.connection import wait

    running: dict[int, _Job] = {}
    ready: dict[int, tuple[Path, str | None, object]] = {}
    shas: dict[int, str] = {}
    started = handed = 0
    while handed < len(paths):
        while started < len(paths) and started < handed + workers:
            path = paths[started]
            try:
                shas[started] = file_sha256(path)
                if store.has_sha256(shas[started]):
                    ready[started] = (path, shas[started], None)
                else:
                    running[started] = _start(path, max_memory_mb, timeout)
            except NqgraphError as error:
                ready[started] = (path, None, error)
            started += 1
        if handed in ready:
            yield ready.pop(handed)
            handed += 1
            continue
        soonest = min(job.deadline for job in running.values())
        done = set(wait([job.receiver for job in running.values()], max(0.0, soonest - time.monotonic())))
        for index, job in list(running.items()):
            if job.receiver in done or time.monotonic() >= job.deadline:
                del running[index]
                try:
                    ready[index] = (job.path, shas[index], _finish(job, timeout))
                except NqgraphError as error:
                    ready[index] = (job.path, shas[index], error)


def ingest_files(files: Iterable[Path], db: Path, *, timeout: float = 120.0,
                 max_memory_mb: int = 1024, workers: int = 1) -> Iterator[IngestResult]:
    """Ingest files, yielding a result per file in input order; bad files never stop the batch.

    `workers` documents are parsed at once, each in its own process; only this
    process writes to the store, one transaction per document.

    >>> [r.status for r in ingest_files([Path("corpus/kh_ubnd_xa.txt")], Path("/tmp/s.sqlite"))]  # doctest: +SKIP
    ['added']
    """
    from .store import Store

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    paths = [Path(p) for p in files]
    warm_up()
    with Store(db) as store:
        for path, sha, outcome in _outcomes(paths, store, timeout=timeout, max_memory_mb=max_memory_mb,
                                            workers=workers):
            if isinstance(outcome, NqgraphError):
                yield IngestResult(path, "failed", error=str(outcome))
            elif outcome is None or store.has_sha256(sha):  # the same bytes earlier in this batch
                yield IngestResult(path, "unchanged")
            else:
                try:
                    added = store.add(outcome)
                except NqgraphError as error:
                    yield IngestResult(path, "failed", error=str(error))
                    continue
                yield IngestResult(path, added.status, outcome.info.number, sum(1 for _ in outcome.walk()))
