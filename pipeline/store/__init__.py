"""The SQLite store: the system of record for every ingested document.

One file (default `outputs/nqgraph.sqlite`), WAL mode, schema version in
`PRAGMA user_version`. Each `Store.add` runs in one `BEGIN IMMEDIATE`
transaction, so a crash mid-ingest leaves the store as it was before that
document. Bodies and directives are shared across documents: the same
directive cited by two resolutions is one row (and one graph node).
"""
from __future__ import annotations

import functools
import json
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from pipeline.errors import StoreError
from pipeline.fold import fold
from pipeline.model import BodyRef, Citation, Clause, Deadline, Document, clause_to_json

__all__ = [
    "AddResult", "DEFAULT_DB", "Store", "body_key", "deadline_end", "directive_key",
    "number_key",
]

DEFAULT_DB = Path("outputs/nqgraph.sqlite")

# Each entry upgrades the schema by one version; never edit a shipped entry,
# append a new one (user_version counts how many have run).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents(
        doc INTEGER PRIMARY KEY,
        source TEXT NOT NULL, stem TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
        number TEXT, number_key TEXT, kind TEXT, issuer TEXT, place TEXT,
        date TEXT, title TEXT, pages INTEGER, ingested_at TEXT NOT NULL,
        json TEXT NOT NULL);
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE INDEX documents_stem ON documents(stem);
    CREATE INDEX documents_source ON documents(source);

    CREATE TABLE clauses(
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        doc INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
        parent INTEGER REFERENCES clauses(rid) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL, label TEXT, path TEXT, kind TEXT, text TEXT,
        page INTEGER, start INTEGER, "end" INTEGER, json TEXT NOT NULL);
    CREATE INDEX clauses_id ON clauses(id);
    CREATE INDEX clauses_doc ON clauses(doc, ordinal);
    CREATE INDEX clauses_parent ON clauses(parent);

    CREATE TABLE bodies(
        key TEXT PRIMARY KEY, name TEXT NOT NULL, en TEXT, aliases TEXT NOT NULL DEFAULT '',
        name_folded TEXT NOT NULL, en_folded TEXT NOT NULL DEFAULT '',
        aliases_folded TEXT NOT NULL DEFAULT '', initials TEXT NOT NULL DEFAULT '');

    CREATE TABLE clause_bodies(
        clause INTEGER NOT NULL REFERENCES clauses(rid) ON DELETE CASCADE,
        body TEXT NOT NULL REFERENCES bodies(key),
        ordinal INTEGER NOT NULL, role TEXT NOT NULL, inherited INTEGER NOT NULL,
        mention TEXT);
    CREATE INDEX clause_bodies_body ON clause_bodies(body, role);
    CREATE INDEX clause_bodies_clause ON clause_bodies(clause);

    CREATE TABLE clause_deadlines(
        clause INTEGER NOT NULL REFERENCES clauses(rid) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL, text TEXT, kind TEXT NOT NULL, value TEXT,
        inherited INTEGER NOT NULL, ends TEXT);
    CREATE INDEX clause_deadlines_ends ON clause_deadlines(ends);
    CREATE INDEX clause_deadlines_kind ON clause_deadlines(kind);
    CREATE INDEX clause_deadlines_clause ON clause_deadlines(clause);

    CREATE TABLE directives(
        key TEXT PRIMARY KEY, id TEXT, id_key TEXT, type TEXT, code TEXT,
        issuer_code TEXT, year INTEGER, date TEXT, issued_by TEXT, title TEXT,
        title_folded TEXT NOT NULL DEFAULT '');
    CREATE INDEX directives_id_key ON directives(id_key);

    CREATE TABLE citations(
        clause INTEGER NOT NULL REFERENCES clauses(rid) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        directive TEXT NOT NULL REFERENCES directives(key), text TEXT);
    CREATE INDEX citations_directive ON citations(directive);
    CREATE INDEX citations_clause ON citations(clause);
    """,
)


@dataclass(frozen=True)
class AddResult:
    """What `Store.add` did: status is "added", "unchanged" or "replaced"."""
    status: str
    doc: int
    key: str
    clauses: int = 0
    replaced_source: Optional[str] = None


def number_key(number: str) -> str:
    """Folded tokens of a document number, so printing variants compare equal.

    >>> number_key("57-NQ/TW") == number_key("57/NQ-TW")
    True
    """
    return fold(number)


def directive_key(citation: Citation) -> str:
    """The graph node key of a cited directive (SPEC §6).

    >>> directive_key(Citation(text="x", id="35-NQ/TW"))
    'dir:35-NQ/TW'
    """
    if citation.id:
        return "dir:" + "".join(unicodedata.normalize("NFC", citation.id).split())
    return "dir:title:" + fold(citation.title or citation.text)


def body_key(body: BodyRef) -> str:
    """The tagger's canonical key, or one derived from the folded name.

    >>> body_key(BodyRef(mention="UBKT", name="Ủy ban Kiểm tra", role="owner"))
    'uy-ban-kiem-tra'
    """
    return body.key or fold(body.name).replace(" ", "-")


def issuer_key(name: str) -> str:
    """Body key for an issuer known only by name (a document's or a directive's)."""
    return fold(name).replace(" ", "-")


_MONTH_END = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def deadline_end(value: Optional[str]) -> Optional[str]:
    """Last day (ISO) of the period an ISO deadline value names; None if open or recurring.

    Intervals ("2026-01/2026-06", "2026/2030") end where their second half ends;
    open ones ("2025/..") and recurrences ("R/P1Y") have no end.

    >>> deadline_end("2025-Q3"), deadline_end("2026/2030"), deadline_end("R/P1Y")
    ('2025-09-30', '2030-12-31', None)
    """
    if not value or value.startswith("R/"):
        return None
    if "/" in value:
        value = value.split("/", 1)[1]
    parts = value.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    year = parts[0]
    if len(parts) == 1:
        return f"{year}-12-31"
    if parts[1].upper().startswith("Q") and parts[1][1:].isdigit():
        month = 3 * int(parts[1][1:])
    elif parts[1].isdigit():
        month = int(parts[1])
    else:
        return None
    if not 1 <= month <= 12:
        return None
    if len(parts) >= 3 and parts[2].isdigit():
        return f"{year}-{month:02d}-{int(parts[2]):02d}"
    # Feb 29 as month end: comparisons only need an upper bound that sorts right.
    return f"{year}-{month:02d}-{_MONTH_END[month]:02d}"


def _initials(folded: str) -> str:
    """First letters of the folded words: "uy ban kiem tra" → "ubkt" (abbreviations)."""
    return "".join(word[0] for word in folded.split())


class Store:
    """SQLite store, used as a context manager.

    >>> with Store(":memory:") as store:
    ...     store.documents()
    []
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout_ms: int = 10_000):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves.
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=timeout_ms / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
            if self.path != ":memory:":
                self._set_wal(timeout_ms)
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the store ({err})", path=self.path) from err

    def _set_wal(self, timeout_ms: int) -> None:
        # Switching a new file to WAL does not wait on the busy handler: two nqgraph
        # processes creating the same store at once get "database is locked" at once.
        give_up = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > give_up:
                    raise
                time.sleep(0.05)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the store has schema version {version}, newer than this nqgraph knows",
                path=self.path, hint="Upgrade nqgraph or use another --db.")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            if self.conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                self.conn.execute("COMMIT")  # another process migrated while we waited for the lock
                continue
            try:
                for statement in script.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={number}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- writing -------------------------------------------------------

    def has_sha256(self, sha256: str) -> bool:
        """True when a document with these input bytes is already stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return row is not None

    def add(self, document: Document) -> AddResult:
        """Store a parsed document in one transaction.

        Same sha256 → "unchanged" (no-op); same number (or, when unnumbered,
        same source name) with new bytes → "replaced"; otherwise "added".

        >>> with Store(":memory:") as s:
        ...     s.add(Document(source="a.txt", sha256="1", info=DocInfo(), pages=1, text="")).status
        'added'
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise StoreError(f"the store is busy ({err})", path=self.path) from err
        try:
            result = self._add(document)
            self.conn.execute("COMMIT")
            return result
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _add(self, document: Document) -> AddResult:
        stem = Path(document.source).stem
        key = document.info.number or stem
        row = self.conn.execute(
            "SELECT doc FROM documents WHERE sha256=?", (document.sha256,)).fetchone()
        if row is not None:
            return AddResult("unchanged", row["doc"], key)
        if document.info.number:
            old = self.conn.execute(
                "SELECT doc, source FROM documents WHERE number_key=?",
                (number_key(document.info.number),)).fetchone()
        else:
            old = self.conn.execute(
                "SELECT doc, source FROM documents WHERE number_key IS NULL AND source=?",
                (document.source,)).fetchone()
        if old is not None:
            self._delete(old["doc"])
        info = document.info
        cur = self.conn.execute(
            "INSERT INTO documents(source, stem, sha256, number, number_key, kind, issuer, place,"
            " date, title, pages, ingested_at, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document.source, stem, document.sha256, info.number,
             number_key(info.number) if info.number else None, info.kind, info.issuer,
             info.place, info.date, info.title, document.pages,
             datetime.now(timezone.utc).isoformat(timespec="seconds"),
             json.dumps(document.to_json(), ensure_ascii=False)))
        doc = cur.lastrowid
        count = self._insert_clauses(doc, document.clauses, None, 0)
        if old is not None:
            self._collect_garbage()
        return AddResult("replaced" if old else "added", doc, key, count,
                         old["source"] if old else None)

    def _insert_clauses(self, doc: int, clauses, parent: Optional[int], ordinal: int) -> int:
        """Insert clauses depth-first in document order; return the next ordinal."""
        for clause in clauses:
            rid = self._insert_clause(doc, ordinal, clause, parent)
            ordinal = self._insert_clauses(doc, clause.children, rid, ordinal + 1)
        return ordinal

    def _insert_clause(self, doc: int, ordinal: int, clause: Clause, parent: Optional[int]) -> int:
        rid = self.conn.execute(
            'INSERT INTO clauses(id, doc, parent, ordinal, label, path, kind, text, page, start, "end", json)'
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (clause.id, doc, parent, ordinal, clause.label,
             json.dumps(list(clause.path), ensure_ascii=False), clause.kind, clause.text,
             clause.page, clause.start, clause.end,
             json.dumps(clause_to_json(clause), ensure_ascii=False))).lastrowid
        for i, body in enumerate(clause.bodies):
            self._upsert_body(body)
            self.conn.execute(
                "INSERT INTO clause_bodies VALUES (?,?,?,?,?,?)",
                (rid, body_key(body), i, body.role, int(body.inherited), body.mention))
        for i, deadline in enumerate(clause.deadlines):
            self._insert_deadline(rid, i, deadline)
        for i, citation in enumerate(clause.citations):
            key = directive_key(citation)
            self._upsert_directive(key, citation)
            self.conn.execute("INSERT INTO citations VALUES (?,?,?,?)", (rid, i, key, citation.text))
        return rid

    def _insert_deadline(self, rid: int, ordinal: int, deadline: Deadline) -> None:
        ends = deadline_end(deadline.value) if deadline.kind in ("due", "period") else None
        self.conn.execute(
            "INSERT INTO clause_deadlines VALUES (?,?,?,?,?,?,?)",
            (rid, ordinal, deadline.text, deadline.kind, deadline.value,
             int(deadline.inherited), ends))

    def _upsert_body(self, body: BodyRef) -> None:
        key = body_key(body)
        row = self.conn.execute("SELECT en, aliases FROM bodies WHERE key=?", (key,)).fetchone()
        aliases = set(filter(None, (row["aliases"] if row else "").split("; ")))
        if body.mention and fold(body.mention) != fold(body.name):
            aliases.add(body.mention)
        aliases.update(_registry_aliases(body.name))
        joined = "; ".join(sorted(aliases))
        en = body.en or (row["en"] if row else None)
        name_folded = fold(body.name)
        self.conn.execute(
            "INSERT INTO bodies VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
            " en=excluded.en, aliases=excluded.aliases, en_folded=excluded.en_folded,"
            " aliases_folded=excluded.aliases_folded",
            (key, body.name, en, joined, name_folded, fold(en or ""),
             " | ".join(fold(a) for a in sorted(aliases)), _initials(name_folded)))

    def _upsert_directive(self, key: str, c: Citation) -> None:
        # First citation wins; later ones only fill what earlier ones lacked
        # (one document may print the date, another only the number).
        self.conn.execute(
            "INSERT INTO directives VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
            " type=coalesce(type, excluded.type), code=coalesce(code, excluded.code),"
            " issuer_code=coalesce(issuer_code, excluded.issuer_code),"
            " year=coalesce(year, excluded.year), date=coalesce(date, excluded.date),"
            " issued_by=coalesce(issued_by, excluded.issued_by), title=coalesce(title, excluded.title)",
            (key, c.id, number_key(c.id) if c.id else None, c.type, c.code, c.issuer_code,
             c.year, c.date, c.issued_by, c.title, fold(c.title or ("" if c.id else c.text))))

    def remove(self, doc_ref: str) -> str:
        """Delete one document (by number, source, file stem or sha256); return its source."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            doc = self.resolve(doc_ref)
            source = self.conn.execute("SELECT source FROM documents WHERE doc=?", (doc,)).fetchone()[0]
            self._delete(doc)
            self._collect_garbage()
            self.conn.execute("COMMIT")
            return source
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _delete(self, doc: int) -> None:
        self.conn.execute("DELETE FROM documents WHERE doc=?", (doc,))

    def _collect_garbage(self) -> None:
        """Drop bodies and directives that no stored clause refers to any more."""
        self.conn.execute(
            "DELETE FROM bodies WHERE key NOT IN (SELECT body FROM clause_bodies)")
        self.conn.execute(
            "DELETE FROM directives WHERE key NOT IN (SELECT directive FROM citations)")

    # ---- reading -------------------------------------------------------

    def resolve_all(self, doc_ref: str) -> list[int]:
        """Row ids of documents matching a number (any printing), source, stem or sha256."""
        rows = self.conn.execute(
            "SELECT doc FROM documents WHERE number_key=? OR source=? OR stem=? OR sha256=?"
            " ORDER BY doc", (number_key(doc_ref), doc_ref, doc_ref, doc_ref)).fetchall()
        return [r[0] for r in rows]

    def resolve(self, doc_ref: str) -> int:
        """The one document `doc_ref` names; StoreError if none."""
        docs = self.resolve_all(doc_ref)
        if not docs:
            raise StoreError(f"no stored document matches {doc_ref!r}", path=self.path,
                             hint="Run `nqgraph documents` or give the number, file name or stem.")
        return docs[0]

    def documents(self) -> list[dict]:
        """Stored documents in ingest order, without their JSON."""
        rows = self.conn.execute(
            "SELECT d.doc, d.source, d.stem, d.sha256, d.number, d.kind, d.issuer, d.place, d.date,"
            " d.title, d.pages, d.ingested_at,"
            " (SELECT count(*) FROM clauses c WHERE c.doc=d.doc) AS clauses"
            " FROM documents d ORDER BY d.doc").fetchall()
        return [dict(r) for r in rows]

    def document_json(self, doc: int) -> dict:
        """The SPEC JSON of a stored document."""
        return json.loads(self.conn.execute("SELECT json FROM documents WHERE doc=?", (doc,)).fetchone()[0])

    def rows(self, sql: str, params: tuple = ()) -> Iterator[sqlite3.Row]:
        """Read-only rows for the graph builder and queries (SQL stays near the schema)."""
        return iter(self.conn.execute(sql, params))


# The registry is fixed for the life of the process and a document names the same
# few bodies on every clause: without the cache, scanning the registry for each
# body of each clause was most of the time `add` took.
@functools.lru_cache(maxsize=4096)
def _registry_aliases(name: str) -> tuple[str, ...]:
    """Aliases the bodies tagger's registry knows for `name` (empty if it has none)."""
    try:
        from pipeline.tag.bodies import lookup_bodies  # written in parallel; optional
    except ImportError:
        return ()
    aliases: list[str] = []
    for entry in lookup_bodies(name) or []:
        if fold(entry.get("name", "")) == fold(name):
            aliases.extend(entry.get("aliases") or [])
    return tuple(aliases)
