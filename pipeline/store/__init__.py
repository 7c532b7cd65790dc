"""The SQLite store: the system of record for every ingested document.

One file (default `outputs/nqgraph.sqlite`), WAL mode, schema version in
`PRAGMA user_version` (pipeline/store/schema.py). Each `Store.add` runs in one
`BEGIN IMMEDIATE` transaction, so a crash mid-ingest leaves the store as it was
before that document; `NQGRAPH_FAULT` kills the process at a named step inside
it, which is how the tests prove that. A document is identified by issuer +
number + date (pipeline/store/keys.py); a new version of one keeps the old one
in `document_versions` until the user purges it. Bodies and directives are
shared across documents: the same directive cited by two resolutions is one
row (and one graph node).
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from pipeline.defaults import DEFAULT_DB
from pipeline.errors import StoreError
from pipeline.fold import fold
from pipeline.model import BodyRef, Citation, Clause, Deadline, Document, clause_to_json
from pipeline.store.keys import (body_key, deadline_end, directive_key, document_identity, issuer_key,
                                 number_key)
from pipeline.store.body_index import index_body
from pipeline.store.schema import MIGRATIONS, run_migration
from pipeline.store.versions import KeptVersions, ParseQuality, replacement_reason

__all__ = [
    "AddResult", "DEFAULT_DB", "FAULT_ENV", "MIGRATIONS", "SpecJson", "Store", "body_key", "deadline_end",
    "directive_key", "document_identity", "issuer_key", "number_key", "spec_json",
]


# Names a step inside `Store.add` at which the process SIGKILLs itself:
# "after-old-version", "after-document-row", "after-clause:K", "before-commit",
# optionally "#N" for the N-th document this Store adds ("after-clause:3#2").
FAULT_ENV = "NQGRAPH_FAULT"


@dataclass(frozen=True)
class AddResult:
    """What `Store.add` did: status is "added", "unchanged", "replaced", "refused" or "superseded".

    "replaced" names the version it replaced and why; "refused" (the new file
    parses worse than the stored one) and "superseded" (these bytes were
    replaced by a newer file before) say why in `reason` and store nothing.
    """
    status: str
    doc: int
    key: str
    clauses: int = 0
    replaced_source: Optional[str] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class SpecJson:
    """A document's SPEC JSON as the store keeps it: the whole, and each clause's in document order."""
    document: str
    clauses: tuple[str, ...]


def spec_json(document: Document) -> SpecJson:
    """The JSON text `Store.add` writes for `document`, made where the document is parsed: an
    ingest worker makes it in parallel, and the one process that writes the store only writes.

    >>> from pipeline.model import DocInfo
    >>> spec_json(Document(source="a.txt", sha256="1", info=DocInfo(), pages=1, text="")).clauses
    ()
    """
    full = document.to_json()
    return SpecJson(json.dumps(full, ensure_ascii=False),
                    tuple(json.dumps(c, ensure_ascii=False) for c in full["clauses"]))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _initials(folded: str) -> str:
    """First letters of the folded words: "uy ban kiem tra" → "ubkt" (abbreviations)."""
    return "".join(word[0] for word in folded.split())


class Store(KeptVersions):
    """SQLite store, used as a context manager.

    >>> with Store(":memory:") as store:
    ...     store.documents()
    []
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout_ms: int = 10_000):
        self.path = str(path)
        self._fault = os.environ.get(FAULT_ENV, "")
        self._adds = 0
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves.
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=timeout_ms / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
            if self.path != ":memory:":
                self._set_wal(timeout_ms)
                # In WAL mode a commit is safe from a killed process without waiting for the disk
                # (only a power cut may undo the last commits, never half of one): the one writer
                # of a batch ingest no longer stalls on a flush per document.
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the store ({err})", path=self.path, hint=_hint(err)) from err

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
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            if self.conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                self.conn.execute("COMMIT")  # another process migrated while we waited for the lock
                continue
            try:
                run_migration(self.conn, migration)
                self.conn.execute(f"PRAGMA user_version={number}")
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- writing -------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One `BEGIN IMMEDIATE` … `COMMIT`; any failure rolls back, SQLite's as one StoreError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise StoreError(f"cannot start writing ({err})", path=self.path, hint=_hint(err)) from err
        try:
            yield
            self._fault_point("before-commit")
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise StoreError(f"{what} failed and was undone ({err})", path=self.path, hint=_hint(err)) from err
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # On a full disk SQLite may already have rolled back: a second error says nothing new.
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _fault_point(self, step: str) -> None:
        """SIGKILL this process when NQGRAPH_FAULT names `step` (the crash-safety tests' kill switch)."""
        if self._fault and self._fault in (step, f"{step}#{self._adds}"):
            os.kill(os.getpid(), signal.SIGKILL)

    def has_sha256(self, sha256: str) -> bool:
        """True when a document with these input bytes is already stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return row is not None

    def add(self, document: Document, *, replace: bool = False, prepared: Optional[SpecJson] = None) -> AddResult:
        """Store a parsed document in one transaction (`prepared`: its `spec_json`, if made already).

        Same sha256 → "unchanged" (no-op). Same identity (issuer + number + date)
        with new bytes → "replaced", the old version kept in `document_versions`;
        but "refused" (nothing written) when the new file parses worse (fewer
        clauses or more warnings) and `replace` is not given; "superseded" when
        these bytes are a version a newer file replaced. Otherwise "added".

        >>> from pipeline.model import DocInfo
        >>> with Store(":memory:") as s:
        ...     s.add(Document(source="a.txt", sha256="1", info=DocInfo(), pages=1, text="")).status
        'added'
        """
        self._adds += 1
        with self._transaction(f"storing {document.source}"):
            return self._add(document, replace, prepared)

    def add_many(self, documents: Iterable[Document], *, replace: bool = False) -> list[AddResult]:
        """Store documents in one transaction: all of them, or (on any failure) none.

        Each is stored exactly as `add` stores it, in order (a later one sees the earlier
        ones); only the commits are shared, so a bulk load pays one commit, not one a
        document. The kill switch counts each document as `add` does.

        >>> from pipeline.model import DocInfo
        >>> with Store(":memory:") as s:
        ...     [r.status for r in s.add_many([Document(source="a.txt", sha256="1", info=DocInfo(), pages=1, text="")] * 2)]
        ['added', 'unchanged']
        """
        results = []
        with self._transaction("storing a batch of documents"):
            for document in documents:
                self._adds += 1
                results.append(self._add(document, replace))
        return results

    def _add(self, document: Document, replace: bool, prepared: Optional[SpecJson] = None) -> AddResult:
        identity = document_identity(document.info, document.sha256)
        row = self.conn.execute("SELECT doc FROM documents WHERE sha256=?", (document.sha256,)).fetchone()
        if row is not None:
            return AddResult("unchanged", row["doc"], identity)
        old = self.conn.execute("SELECT doc, source FROM documents WHERE identity=?", (identity,)).fetchone()
        reason = None
        if old is not None and not replace:
            # Bytes a newer file already replaced: re-running a folder that holds both must not swap them back.
            kept = self.conn.execute("SELECT version FROM document_versions WHERE sha256=? AND identity=?"
                                     " AND replaced_by != '' ORDER BY version DESC", (document.sha256, identity)).fetchone()
            if kept is not None:
                return AddResult("superseded", old["doc"], identity, 0, old["source"],
                                 f"an earlier version, kept as version {kept[0]} since {old['source']} replaced it")
        if old is not None:
            before = self._quality(old["doc"])
            after = ParseQuality(sum(1 for _ in document.walk()), len(document.warnings))
            if after.worse_than(before) and not replace:
                return AddResult("refused", old["doc"], identity, after.clauses, old["source"],
                                 f"the stored version ({old['source']}: {before}) parses better than "
                                 f"this file ({after})")
            reason = replacement_reason(before, after, replace)
            self._retire(old["doc"], document.sha256, reason)
            self._fault_point("after-old-version")
        doc, count = self._insert_document(document, identity, prepared=prepared)
        if old is not None:
            self._collect_garbage()
        return AddResult("replaced" if old else "added", doc, identity, count,
                         old["source"] if old else None, reason)

    def _quality(self, doc: int) -> ParseQuality:
        row = self.conn.execute("SELECT (SELECT count(*) FROM clauses WHERE doc=?), json FROM documents WHERE doc=?",
                                (doc, doc)).fetchone()
        return ParseQuality(row[0], len(json.loads(row[1]).get("warnings") or ()))

    def _insert_document(self, document: Document, identity: str, *, stored_json: Optional[str] = None,
                         ingested_at: Optional[str] = None, prepared: Optional[SpecJson] = None) -> tuple[int, int]:
        """Insert the document row and its clauses; return (row id, clause count)."""
        info = document.info
        if stored_json:  # a kept version put back: its own JSON, its clauses' made again
            clause_json = (json.dumps(clause_to_json(c), ensure_ascii=False) for c in document.walk())
        else:
            prepared = prepared or spec_json(document)
            stored_json, clause_json = prepared.document, iter(prepared.clauses)
        cur = self.conn.execute(
            "INSERT INTO documents(source, stem, sha256, number, number_key, kind, issuer, place,"
            " date, title, pages, ingested_at, json, identity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document.source, Path(document.source).stem, document.sha256, info.number,
             number_key(info.number) if info.number else None, info.kind, info.issuer,
             info.place, info.date, info.title, document.pages, ingested_at or _now(),
             stored_json, identity))
        self._fault_point("after-document-row")
        return cur.lastrowid, self._insert_clauses(cur.lastrowid, document.clauses, None, 0, clause_json)

    def _insert_clauses(self, doc: int, clauses, parent: Optional[int], ordinal: int, clause_json) -> int:
        """Insert clauses depth-first in document order (`clause_json` gives each one's SPEC JSON
        text in that order); return the next ordinal."""
        for clause in clauses:
            rid = self._insert_clause(doc, ordinal, clause, parent, next(clause_json))
            self._fault_point(f"after-clause:{ordinal + 1}")
            ordinal = self._insert_clauses(doc, clause.children, rid, ordinal + 1, clause_json)
        return ordinal

    def _insert_clause(self, doc: int, ordinal: int, clause: Clause, parent: Optional[int], as_json: str) -> int:
        rid = self.conn.execute(
            'INSERT INTO clauses(id, doc, parent, ordinal, label, path, kind, text, page, start, "end", json)'
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (clause.id, doc, parent, ordinal, clause.label,
             json.dumps(list(clause.path), ensure_ascii=False), clause.kind, clause.text,
             clause.page, clause.start, clause.end, as_json)).lastrowid
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
        if body.mention and _fold(body.mention) != _fold(body.name):
            aliases.add(body.mention)
        aliases.update(_registry_aliases(body.name))
        joined = "; ".join(sorted(aliases))
        en = body.en or (row["en"] if row else None)
        # A document names the same few bodies on every clause: a row that already says
        # all of this is left alone, and so is its name-index row.
        if row is not None and row["en"] == en and row["aliases"] == joined:
            return
        name_folded, en_folded = _fold(body.name), _fold(en or "")
        aliases_folded = " | ".join(_fold(a) for a in sorted(aliases))
        self.conn.execute(
            "INSERT INTO bodies VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
            " en=excluded.en, aliases=excluded.aliases, en_folded=excluded.en_folded,"
            " aliases_folded=excluded.aliases_folded",
            (key, body.name, en, joined, name_folded, en_folded, aliases_folded, _initials(name_folded)))
        if row is not None:  # the name is the first writer's; only en and aliases change
            name_folded = self.conn.execute("SELECT name_folded FROM bodies WHERE key=?", (key,)).fetchone()[0]
        index_body(self.conn, key, name_folded, en_folded, aliases_folded)

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
        """Take one document (by number, source, file stem or sha256) out of the store; return its source.

        Its rows go, but it is kept as a version (`nqgraph history`) until purged.
        """
        with self._transaction(f"removing {doc_ref}"):
            doc = self.resolve(doc_ref, unique=True)
            source = self.conn.execute("SELECT source FROM documents WHERE doc=?", (doc,)).fetchone()[0]
            self._retire(doc, "", "removed by the user")
            self._collect_garbage()
        return source

    def _retire(self, doc: int, replaced_by: str, reason: str) -> None:
        """Keep a document's JSON as a version, then delete its rows."""
        quality = self._quality(doc)
        self.conn.execute(
            "INSERT INTO document_versions(identity, source, sha256, number, number_key, issuer, date, clauses,"
            " warnings, ingested_at, replaced_at, replaced_by, reason, json)"
            " SELECT identity, source, sha256, number, number_key, issuer, date, ?, ?, ingested_at, ?, ?, ?, json"
            " FROM documents WHERE doc=?",
            (quality.clauses, quality.warnings, _now(), replaced_by, reason, doc))
        self._delete(doc)

    def _delete(self, doc: int) -> None:
        self.conn.execute("DELETE FROM documents WHERE doc=?", (doc,))

    def _collect_garbage(self) -> None:
        """Drop bodies (and their name index rows) and directives that no stored clause refers to any more."""
        self.conn.execute(
            "DELETE FROM bodies WHERE key NOT IN (SELECT body FROM clause_bodies)")
        self.conn.execute("DELETE FROM body_terms WHERE key NOT IN (SELECT key FROM bodies)")
        self.conn.execute(
            "DELETE FROM directives WHERE key NOT IN (SELECT directive FROM citations)")

    # ---- reading -------------------------------------------------------

    def resolve_all(self, doc_ref: str) -> list[int]:
        """Row ids of documents matching a number (any printing), source, stem or sha256 (or its first 8+)."""
        rows = self.conn.execute(
            "SELECT doc FROM documents WHERE number_key=? OR source=? OR stem=? OR sha256=?"
            " OR (length(?) >= 8 AND substr(sha256, 1, length(?))=?) ORDER BY doc",
            (number_key(doc_ref), doc_ref, doc_ref, doc_ref, doc_ref, doc_ref, doc_ref.lower())).fetchall()
        return [r[0] for r in rows]

    def resolve(self, doc_ref: str, *, unique: bool = False) -> int:
        """The document `doc_ref` names; StoreError if none (or, with `unique`, if several)."""
        docs = self.resolve_all(doc_ref)
        if not docs:
            raise StoreError(f"no stored document matches {doc_ref!r}", path=self.path,
                             hint="Run `nqgraph documents` or give the number, file name or stem.")
        if unique and len(docs) > 1:
            sources = ", ".join(r[0] for r in self.conn.execute(
                f"SELECT source || ' (' || substr(sha256, 1, 12) || ')' FROM documents WHERE doc IN "
                f"({','.join('?' * len(docs))}) ORDER BY doc", docs))
            raise StoreError(f"{doc_ref!r} matches {len(docs)} stored documents: {sources}", path=self.path,
                             hint="Give the sha256 (its first 12 characters are shown) of the one you mean.")
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


# The same few names are folded for every clause of every document.
_fold = functools.lru_cache(maxsize=1 << 16)(fold)


def _hint(error: sqlite3.Error) -> Optional[str]:
    """What to do about an SQLite failure; None keeps StoreError's own hint."""
    if "full" in str(error):
        return "Free some disk space (or give another --db) and run it again; the store is as it was."
    return None


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
