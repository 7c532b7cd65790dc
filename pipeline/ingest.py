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
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .errors import InputError, NqgraphError, ResourceLimitError
from .model import Document

__all__ = ["IngestResult", "ingest_files", "parse_isolated", "file_sha256"]


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
        kind = type(error).__name__
        detail = str(error).splitlines()[0][:160] if str(error) else kind
        conn.send(("error", InputError(f"could not be read ({kind}: {detail})", path,
                                       hint="The file may be damaged; export or download it again.")))
        if os.environ.get("NQGRAPH_DEBUG"):
            traceback.print_exc()
    finally:
        conn.close()


def parse_isolated(path: Path, *, timeout: float = 120.0, max_memory_mb: int = 1024) -> Document:
    """Parse `path` in a worker process under time and memory limits.

    Raises the worker's NqgraphError, or ResourceLimitError when it overran or died.
    """
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(str(path), max_memory_mb, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ResourceLimitError(f"took longer than {timeout:g} s", path)
        status, payload = receiver.recv()
    except EOFError:
        worker.join(1)
        raise ResourceLimitError(f"the parser died (exit code {worker.exitcode}); the file may be hostile or too large",
                                 path) from None
    finally:
        if worker.is_alive():
            try:
                os.killpg(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        worker.join(5)
        receiver.close()
    if status == "error":
        raise payload
    return payload


def ingest_files(files: Iterable[Path], db: Path, *, timeout: float = 120.0,
                 max_memory_mb: int = 1024) -> Iterator[IngestResult]:
    """Ingest files one by one, yielding a result per file; bad files never stop the batch."""
    from .store import Store

    with Store(db) as store:
        for path in files:
            path = Path(path)
            try:
                sha = file_sha256(path)
                if store.has_sha256(sha):
                    yield IngestResult(path, "unchanged")
                    continue
                doc = parse_isolated(path, timeout=timeout, max_memory_mb=max_memory_mb)
                added = store.add(doc)
                yield IngestResult(path, added.status, doc.info.number, sum(1 for _ in doc.walk()))
            except NqgraphError as error:
                yield IngestResult(path, "failed", error=str(error))
