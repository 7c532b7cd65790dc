"""Versions of one document: which parse is better, and a stored JSON back into a `Document`.

When a file with the same identity (issuer + number + date) but new bytes is
ingested, the stored version is kept in `document_versions` as its SPEC JSON,
which holds everything its rows were built from: `nqgraph history` lists it,
`--restore` puts it back, `--purge` forgets it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from pipeline.errors import StoreError

from pipeline.model import (BodyRef, Citation, Clause, Deadline, DocInfo, Document, Part, Signer,
                            Warning)
from pipeline.store.keys import number_key

__all__ = ["KeptVersions", "ParseQuality", "document_from_json", "replacement_reason"]


@dataclass(frozen=True)
class ParseQuality:
    """How much a parse found: more clauses and fewer warnings is better.

    >>> ParseQuality(10, 0).worse_than(ParseQuality(12, 0)), ParseQuality(12, 1).worse_than(ParseQuality(12, 0))
    (True, True)
    """
    clauses: int
    warnings: int

    def worse_than(self, other: "ParseQuality") -> bool:
        return self.clauses < other.clauses or self.warnings > other.warnings

    def __str__(self) -> str:
        return f"{self.clauses} clauses, {self.warnings} warnings"


def replacement_reason(old: ParseQuality, new: ParseQuality, forced: bool) -> str:
    """The words kept with a replaced version, saying why it was replaced.

    >>> replacement_reason(ParseQuality(4, 0), ParseQuality(5, 0), False)
    'same issuer, number and date, new file bytes (5 clauses, 0 warnings; was 4 clauses, 0 warnings)'
    """
    why = "same issuer, number and date, new file bytes"
    if forced and new.worse_than(old):
        why += ", --replace given although the new file parses worse"
    return f"{why} ({new}; was {old})"


def _clause(row: dict, children: tuple[Clause, ...]) -> Clause:
    return Clause(
        id=row["id"], label=row["label"], path=tuple(row["path"]), text=row["text"],
        start=row["start"], end=row["end"], label_start=row["start"], tree_end=row["end"],
        page=row["page"], kind=row["kind"], children=children,
        bodies=tuple(BodyRef(**b) for b in row.get("bodies", ())),
        deadlines=tuple(Deadline(**d) for d in row.get("deadlines", ())),
        citations=tuple(Citation(**c) for c in row.get("citations", ())),
        part=row.get("part"), output=row.get("output"))


def _tree(rows: list[dict], depth: int = 1, start: int = 0, end: Optional[int] = None) -> tuple[Clause, ...]:
    """Rebuild the clause tree from SPEC's flat list (document order, each with its path)."""
    end = len(rows) if end is None else end
    out, i = [], start
    while i < end:
        j = i + 1
        while j < end and len(rows[j]["path"]) > depth:
            j += 1
        out.append(_clause(rows[i], _tree(rows, depth + 1, i + 1, j)))
        i = j
    return tuple(out)


def document_from_json(data: dict) -> Document:
    """The `Document` a stored SPEC JSON was written from, as far as the store needs it
    (header, clauses with their tags, warnings, parts; not the full text).

    >>> document_from_json({"source": "a.txt", "sha256": "1", "doc": {"number": "5/KH"}, "pages": 1,
    ...                     "clauses": []}).info.number
    '5/KH'
    """
    info = dict(data.get("doc") or {})
    signer = info.pop("signer", None)
    return Document(
        source=data["source"], sha256=data["sha256"],
        info=DocInfo(**info, signer=Signer(**signer) if signer else None),
        pages=data.get("pages") or 0, text="",
        clauses=_tree(list(data.get("clauses") or [])),
        warnings=tuple(Warning(**w) for w in data.get("warnings") or ()),
        page_sources=tuple(data.get("page_sources") or ()),
        footnotes=tuple((f["marker"], f["text"]) for f in data.get("footnotes") or ()),
        document_citations=tuple(Citation(**c) for c in data.get("document_citations") or ()),
        parts=tuple(Part(**p) for p in data.get("parts") or ()))


class KeptVersions:
    """`Store`'s methods over kept versions: list, restore, purge (SQL stays in the store package).

    >>> store.history("87/KH-UBND")[0]["reason"]        # doctest: +SKIP
    'same issuer, number and date, new file bytes (14 clauses, 0 warnings; was 12 clauses, 0 warnings)'
    """

    def _identities(self, doc_ref: str) -> list[str]:
        """Identities of the stored documents and kept versions `doc_ref` names."""
        rows = self.conn.execute(
            "SELECT identity FROM documents WHERE doc IN (SELECT value FROM json_each(?)) UNION"
            " SELECT identity FROM document_versions WHERE number_key=? OR source=? OR sha256=?",
            (json.dumps(self.resolve_all(doc_ref)), number_key(doc_ref), doc_ref, doc_ref)).fetchall()
        return [r[0] for r in rows]

    def history(self, doc_ref: Optional[str] = None) -> list[dict]:
        """Kept versions (newest first), all or those of the documents `doc_ref` names; without their JSON."""
        columns = ("version, identity, source, sha256, number, issuer, date, clauses, warnings, ingested_at,"
                   " replaced_at, replaced_by, reason")
        if doc_ref is None:
            rows = self.conn.execute(f"SELECT {columns} FROM document_versions ORDER BY version DESC")
        else:
            rows = self.conn.execute(
                f"SELECT {columns} FROM document_versions WHERE identity IN (SELECT value FROM json_each(?))"
                " ORDER BY version DESC", (json.dumps(self._identities(doc_ref)),))
        return [dict(r) for r in rows]

    def restore(self, version: int) -> str:
        """Put a kept version back; the document it replaces (if any) becomes a kept version. Returns its source."""
        with self._transaction(f"restoring version {version}"):
            row = self.conn.execute("SELECT * FROM document_versions WHERE version=?", (version,)).fetchone()
            if row is None:
                raise StoreError(f"no kept version {version}", path=self.path,
                                 hint="Run `nqgraph history` to see the kept versions and their numbers.")
            if self.has_sha256(row["sha256"]):
                raise StoreError(f"version {version} ({row['source']}) has the same bytes as a stored document",
                                 path=self.path, hint="Nothing to restore.")
            current = self.conn.execute("SELECT doc FROM documents WHERE identity=?", (row["identity"],)).fetchone()
            if current is not None:
                self._retire(current["doc"], row["sha256"], f"replaced by restoring version {version}")
            document = document_from_json(json.loads(row["json"]))
            self._insert_document(document, row["identity"], stored_json=row["json"],
                                  ingested_at=row["ingested_at"])
            self.conn.execute("DELETE FROM document_versions WHERE version=?", (version,))
            self._collect_garbage()
        return row["source"]

    def purge(self, doc_ref: Optional[str] = None) -> int:
        """Forget kept versions for good (all, or those of `doc_ref`); return how many."""
        with self._transaction("purging kept versions"):
            if doc_ref is None:
                return self.conn.execute("DELETE FROM document_versions").rowcount
            return self.conn.execute(
                "DELETE FROM document_versions WHERE identity IN (SELECT value FROM json_each(?))",
                (json.dumps(self._identities(doc_ref)),)).rowcount
