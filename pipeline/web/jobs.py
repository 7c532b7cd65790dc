"""Upload jobs kept on disk, so a restart neither forgets them nor drops a file half-way.

A job is the files of one upload, in the order sent: each with its outcome and,
until it is read, the generated name of its stored bytes. The book lives in the
upload index's SQLite file (beside the uploads, in the store's folder). When the
server starts again, files still queued or being read are read again (their
bytes are still on disk); a file whose bytes are gone is marked failed.

>>> book = JobBook(Path("outputs/uploads/uploads.sqlite"))      # doctest: +SKIP
>>> book.create("3f2c…", [FileOutcome("NQ 35.pdf")], [(Path("…/ab12.pdf"), "pdf")])  # doctest: +SKIP
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, Optional

from pipeline.web.uploads import FileOutcome

__all__ = ["JobBook", "PendingFile"]

KEEP_DAYS = 7  # finished jobs older than this are dropped when the server starts
PendingFile = tuple[str, int, FileOutcome, Path, str]  # job, position, outcome, stored bytes, kind


class JobBook:
    """Upload jobs and their files' outcomes, in SQLite."""

    def __init__(self, path: Path):
        self.path = path
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS jobs(job TEXT NOT NULL, position INTEGER NOT NULL,"
                " name TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL, doc INTEGER,"
                " clauses INTEGER NOT NULL, number TEXT, stored TEXT, kind TEXT, created TEXT NOT NULL,"
                " PRIMARY KEY(job, position))")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def create(self, job: str, outcomes: list[FileOutcome], staged: list[Optional[tuple[Path, str]]]) -> None:
        """Record a new job: one outcome per file, and where each accepted file's bytes are."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as conn:
            conn.executemany(
                "INSERT INTO jobs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(job, i, o.name, o.status, o.message, o.doc, o.clauses, o.number,
                  str(s[0]) if s else None, s[1] if s else None, now)
                 for i, (o, s) in enumerate(zip(outcomes, staged))])

    def save(self, job: str, position: int, outcome: FileOutcome) -> None:
        with self._connect() as conn:
            conn.execute("UPDATE jobs SET status=?, message=?, doc=?, clauses=?, number=? WHERE job=? AND position=?",
                         (outcome.status, outcome.message, outcome.doc, outcome.clauses, outcome.number,
                          job, position))

    def get(self, job: str) -> Optional[list[FileOutcome]]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM jobs WHERE job=? ORDER BY position", (job,)).fetchall()
        return [_outcome(r) for r in rows] or None

    def pending(self) -> Iterator[PendingFile]:
        """Files not yet read to the end (queued, or being read when the server stopped), oldest first.

        A file whose stored bytes are gone is marked failed here and not yielded.
        """
        with self._connect() as conn:
            cutoff = (datetime.now(timezone.utc) - timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")
            conn.execute("DELETE FROM jobs WHERE created < ? AND status NOT IN ('queued', 'parsing')", (cutoff,))
            rows = conn.execute("SELECT * FROM jobs WHERE status IN ('queued', 'parsing')"
                                " ORDER BY created, job, position").fetchall()
        for row in rows:
            outcome = _outcome(row)
            stored = Path(row["stored"]) if row["stored"] else None
            if stored is None or not stored.is_file():
                outcome.status = "failed"
                outcome.message = f"{outcome.name}: the server stopped before this file was read; upload it again."
                self.save(row["job"], row["position"], outcome)
                continue
            outcome.status = "queued"
            yield row["job"], row["position"], outcome, stored, row["kind"]


def _outcome(row: sqlite3.Row) -> FileOutcome:
    return FileOutcome(row["name"], row["status"], row["message"], row["doc"], row["clauses"], row["number"])
