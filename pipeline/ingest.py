"""Ingest: parse each file in an isolated worker process (worker.py) and add it to the store.

Each document is parsed in a forked child under memory and time limits, so a malformed
file that hangs or crashes a library costs its own worker, never the batch. Anything that
is not a regular readable file (a FIFO, /dev/zero, a file without read permission) is
refused before a byte is read. The store only ever sees complete documents, one
transaction each.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .errors import InputError, NqgraphError, StoreError, display_path
from .model import Document
from .worker import Job, finish_job, read_note, start_job, warm_up, with_source

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
    job = start_job(path, max_memory_mb, timeout, store_json=False)
    job.on_progress = progress
    return finish_job(job, timeout)[0]


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

    running: dict[int, Job] = {}
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
                    if len(paths) > 1:  # once, and only when a file needs parsing: errors and skips come at once;
                        warm_up()       # a lone file's worker loads only what its document needs
                    running[started] = start_job(path, max_memory_mb, timeout)
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
            if job.receiver in done and read_note(job):
                continue  # the worker said how long it may take; its result comes later
            if job.receiver in done or time.monotonic() >= job.deadline:
                del running[index]
                try:
                    ready[index] = (job.path, shas[index], finish_job(job, timeout))
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
