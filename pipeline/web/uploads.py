"""Uploaded files: stored under generated names, parsed in the sandbox, then stored.

The client's file name is only ever a display string (and the document's
`source`); on disk every upload is `<uuid4>.pdf` or `<uuid4>.docx` in the
upload directory, which no static route serves. A small index (SQLite, beside
the files) maps a document's sha256 to its stored file, so the document page
can link to `/documents/{id}/file#page=N`.

Order per file: sniff → parse in the isolated worker → page limit → one store
transaction. Any failure deletes the stored bytes; nothing is half-stored.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

from pipeline.errors import InputError, NqgraphError, ResourceLimitError
from pipeline.ingest import file_sha256, parse_isolated, with_source
from pipeline.store import Store

__all__ = ["FileOutcome", "UploadIndex", "UploadLimits", "display_name", "ingest_upload", "pdf_page_estimate"]

NAME_LIMIT = 120
# "/Type /Page" objects (not "/Pages" tree nodes). A cheap pre-parse estimate:
# object streams can hide pages from it, so the parsed page count is checked too.
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True)
class UploadLimits:
    max_pages: int = 300
    timeout: float = 120.0
    max_memory_mb: int = 1024


@dataclass
class FileOutcome:
    """What happened to one uploaded file; `message` is plain words for office staff."""
    name: str
    status: str = "queued"  # queued | parsing | added | replaced | unchanged | refused | superseded | failed
    message: str = ""
    doc: Optional[int] = None
    clauses: int = 0
    number: Optional[str] = None

    def to_json(self) -> dict:
        return {"name": self.name, "status": self.status, "message": self.message, "doc": self.doc,
                "clauses": self.clauses, "number": self.number,
                "url": f"/documents/{self.doc}" if self.doc is not None else None}


def display_name(raw: Optional[str], kind: Optional[str]) -> str:
    """A safe display name from the client's file name: last path part, NFC,
    no control characters, at most 120 characters, the sniffed extension
    (or, for a file refused, its own: a .txt stays a .txt).

    >>> display_name("..\\\\..\\\\evil/NQ 35.exe", "pdf"), display_name("", "docx"), display_name("ghi chú.txt", None)
    ('NQ 35.pdf', 'upload.docx', 'ghi chú.txt')
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    stem, _, own = name.rpartition(".") if "." in name else (name, "", "")
    stem = stem[:NAME_LIMIT].strip(" .") or "upload"
    extension = kind or "".join(ch for ch in own if ch.isalnum())[:8]
    return f"{stem}.{extension}" if extension else stem


def pdf_page_estimate(path: Path) -> int:
    """Page objects counted in the raw bytes (a lower bound; 0 when hidden in object streams)."""
    with path.open("rb") as handle:
        return len(_PAGE_OBJECT.findall(handle.read()))


class UploadIndex:
    """sha256 → stored file name and display name, kept beside the uploads.

    >>> index = UploadIndex(Path("/tmp/uploads"))           # doctest: +SKIP
    >>> index.put("ab…", "3f2c….pdf", "NQ 35.pdf", "pdf")   # doctest: +SKIP
    """

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "uploads.sqlite"
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS uploads(sha256 TEXT PRIMARY KEY, file TEXT NOT NULL,"
                         " name TEXT NOT NULL, kind TEXT NOT NULL, added TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def put(self, sha256: str, file: str, name: str, kind: str) -> None:
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO uploads VALUES (?,?,?,?,?)",
                         (sha256, file, name, kind, datetime.now(timezone.utc).isoformat(timespec="seconds")))

    def get(self, sha256: str) -> Optional[dict]:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM uploads WHERE sha256=?", (sha256,)).fetchone()
        return dict(row) if row else None

    def file_path(self, sha256: str) -> Optional[tuple[Path, dict]]:
        """The stored file of a document, if it was uploaded here and is still on disk."""
        row = self.get(sha256)
        if row is None:
            return None
        path = self.directory / row["file"]
        # The stored name is ours (uuid), but check anyway that it stays inside the directory.
        if path.parent != self.directory or not path.is_file():
            return None
        return path, row

    def drop(self, sha256: str) -> None:
        row = self.get(sha256)
        if row is None:
            return
        (self.directory / row["file"]).unlink(missing_ok=True)
        with self._connect() as conn:
            conn.execute("DELETE FROM uploads WHERE sha256=?", (sha256,))

    def new_path(self, kind: str) -> Path:
        return self.directory / f"{uuid.uuid4().hex}.{kind}"


def _plain(error: NqgraphError, name: str) -> str:
    """The error in plain words, naming the client's file instead of our stored path."""
    hint = f" {error.hint}" if error.hint else ""
    return f"{name}: {error.message}.{hint} (error {error.code})"


def ingest_upload(stored: Path, name: str, kind: str, db: Path, index: UploadIndex,
                  limits: UploadLimits = UploadLimits(), outcome: Optional[FileOutcome] = None,
                  progress: Optional[Callable[[FileOutcome], None]] = None) -> FileOutcome:
    """Parse one stored upload in the sandbox and add it to the store in one transaction.

    `stored` is already under its generated name in the index's directory; it is
    deleted on failure or when the store already holds the same bytes. While a scan is
    read, `outcome.message` says which OCR page it is at and `progress(outcome)` is called.

    >>> ingest_upload(Path("uploads/3f2c.pdf"), "NQ 35.pdf", "pdf", db, index).status   # doctest: +SKIP
    'added'
    """
    outcome = outcome or FileOutcome(name)
    outcome.status = "parsing"
    keep = False
    try:
        sha = file_sha256(stored)
        with Store(db) as store:
            if store.has_sha256(sha):
                outcome.doc = store.resolve(sha)
                outcome.status, outcome.message = "unchanged", f"{name}: already in the store, nothing to do."
                if index.get(sha) is None:  # ingested from the command line: keep these bytes as its file
                    index.put(sha, stored.name, name, kind)
                    keep = True
                return outcome
        if kind == "pdf" and pdf_page_estimate(stored) > limits.max_pages:
            raise ResourceLimitError(f"has more than {limits.max_pages} pages", hint="Split the file and upload the parts.")
        def ocr_page(done: int, total: int) -> None:
            outcome.message = f"{name}: OCR {done}/{total}"
            if progress:
                progress(outcome)

        doc = parse_isolated(stored, timeout=limits.timeout, max_memory_mb=limits.max_memory_mb, progress=ocr_page)
        if doc.pages > limits.max_pages:
            raise ResourceLimitError(f"has {doc.pages} pages, more than the limit of {limits.max_pages}",
                                     hint="Split the file and upload the parts.")
        if not doc.clauses:
            raise InputError("holds no numbered clauses, so there are no tasks to show",
                             hint="Check that it is a resolution, programme or plan with numbered sections.")
        doc = with_source(doc, name)  # the client's name, not our generated one
        index.put(sha, stored.name, name, kind)
        try:
            with Store(db) as store:
                result = store.add(doc)
        except BaseException:
            index.drop(sha)
            raise
        if result.status in ("refused", "superseded"):
            index.drop(sha)
            outcome.status, outcome.doc = result.status, result.doc
            outcome.message = (f"{name}: not stored; {result.reason}. The stored version stays; if this file is "
                               "the right one, store it with `nqgraph ingest --replace`.")
            return outcome
        keep = True
        outcome.doc, outcome.status = result.doc, result.status
        outcome.clauses, outcome.number = result.clauses, doc.info.number
        what = f"{doc.info.kind or 'document'} {doc.info.number or ''}".strip()
        outcome.message = {
            "added": f"{name}: added ({what}, {result.clauses} clauses, {doc.pages} pages).",
            "replaced": f"{name}: replaced the earlier version ({result.replaced_source}) of {what}, which is kept "
                        f"(nqgraph history): {result.reason}.",
        }.get(result.status, f"{name}: {result.status}.")
        return outcome
    except NqgraphError as error:
        outcome.status, outcome.message = "failed", _plain(error, name)
        return outcome
    finally:
        if not keep:
            stored.unlink(missing_ok=True)
