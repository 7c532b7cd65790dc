"""The store's schema, as the list of migrations that build it.

`PRAGMA user_version` counts the migrations a store has run; opening a store
runs the rest, each in its own transaction, so a store written by an older
nqgraph opens (and is upgraded) and one written by a newer nqgraph is refused.
A migration is SQL, or a function of the connection when a value needs Python
(a folded key). Never edit a shipped entry: append a new one.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Union

from pipeline.model import DocInfo
from pipeline.store.body_index import index_all_bodies, reindex_all_bodies
from pipeline.store.keys import document_identity

__all__ = ["MIGRATIONS", "Migration", "run_migration"]

Migration = Union[str, Callable[[sqlite3.Connection], None]]

_TABLES = """
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
"""

# Version 2: a document is issuer + number + date, not its number alone, and a
# replaced version is kept (its SPEC JSON, which rebuilds every row) until purged.
_VERSIONS = """
    ALTER TABLE documents ADD COLUMN identity TEXT;
    CREATE TABLE document_versions(
        version INTEGER PRIMARY KEY,
        identity TEXT NOT NULL,
        source TEXT NOT NULL, sha256 TEXT NOT NULL, number TEXT, number_key TEXT, issuer TEXT,
        date TEXT, clauses INTEGER NOT NULL, warnings INTEGER NOT NULL,
        ingested_at TEXT NOT NULL, replaced_at TEXT NOT NULL,
        replaced_by TEXT NOT NULL, reason TEXT NOT NULL,
        json TEXT NOT NULL);
    CREATE INDEX document_versions_identity ON document_versions(identity);
    CREATE INDEX document_versions_sha256 ON document_versions(sha256);
    CREATE INDEX document_versions_number_key ON document_versions(number_key);
"""


def _fill_identities(conn: sqlite3.Connection) -> None:
    """Give every document stored before version 2 its identity, then index it."""
    run_migration(conn, _VERSIONS)
    rows = conn.execute("SELECT doc, number, issuer, date, sha256 FROM documents").fetchall()
    for doc, number, issuer, date, sha256 in rows:
        identity = document_identity(DocInfo(number=number, issuer=issuer, date=date), sha256)
        conn.execute("UPDATE documents SET identity=? WHERE doc=?", (identity, doc))
    conn.execute("CREATE INDEX documents_identity ON documents(identity)")


# Version 4: every filter of a task query answered from an index alone. Each filter gives the
# clause row ids it keeps straight from its index (the clause column is in it), and the
# task-kind test reads the small (rid, kind) index, never the wide clause rows: on a store
# of 100,000 documents those rows are gigabytes, and visiting one per matching task was
# most of a broad query's time.
_COVERING = """
    DROP INDEX IF EXISTS clause_bodies_body;
    CREATE INDEX IF NOT EXISTS clause_bodies_body ON clause_bodies(body, role, clause);
    DROP INDEX IF EXISTS clause_deadlines_ends;
    CREATE INDEX IF NOT EXISTS clause_deadlines_ends ON clause_deadlines(ends, kind, clause);
    DROP INDEX IF EXISTS clause_deadlines_kind;
    CREATE INDEX IF NOT EXISTS clause_deadlines_kind ON clause_deadlines(kind, clause);
    DROP INDEX IF EXISTS citations_directive;
    CREATE INDEX IF NOT EXISTS citations_directive ON citations(directive, clause);
    CREATE INDEX IF NOT EXISTS clauses_kind ON clauses(rid, kind);
"""

# Version 3: bodies found through a full-text index of their names (pipeline/store/body_index.py);
# version 4: the covering indexes above; version 5: the index of names rebuilt with each name
# apart and the initials in a column of their own (a phrase found in a name is then sure).
MIGRATIONS: tuple[Migration, ...] = (_TABLES, _fill_identities, index_all_bodies, _COVERING, reindex_all_bodies)


def run_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Run one migration inside the caller's transaction."""
    if callable(migration):
        migration(conn)
        return
    for statement in migration.split(";"):
        if statement.strip():
            conn.execute(statement)
