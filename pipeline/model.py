"""The one data model every stage shares, shaped as ../shared/SPEC.md.

Stages pass these values along: extract → `Extracted`, segment → `Clause` tree,
tag → clauses with `BodyRef`/`Deadline`/`Citation`, assembled into a `Document`.
Offsets (`start`/`end`) always index `Document.text`, the normalised text.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from typing import Any, Optional

__all__ = [
    "BodyRef", "Citation", "Clause", "Deadline", "DocInfo", "DocContext", "Document",
    "Extracted", "Paragraph", "Part", "Signer", "TableRow", "Warning", "replace",
]


@dataclass(frozen=True)
class Signer:
    title: Optional[str] = None
    name: Optional[str] = None


@dataclass(frozen=True)
class DocInfo:
    """The header block of a resolution: who issued what, where and when."""
    number: Optional[str] = None
    kind: Optional[str] = None
    issuer: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None  # ISO 8601 yyyy-mm-dd
    title: Optional[str] = None
    signer: Optional[Signer] = None


@dataclass(frozen=True)
class Part:
    """An annex of the document (SPEC §2a): a plan or regulation issued with a decision, a Phụ lục.

    `ordinal` counts annexes from 1 (the main text is part 0 and is not listed);
    `title` is the annex's title as printed, shortened to its first line.
    """
    ordinal: int
    title: str
    kind: Optional[str] = None  # "Kế hoạch", "Quy chế", "Phụ lục" …
    page: int = 1


@dataclass(frozen=True)
class TableRow:
    """One row of a task table (SPEC §2b), its cells by column role.

    `cells` pairs a column role from models/task_columns.yaml ("label", "task",
    "owner", "support", "time", "output", "note") with the cell's text as printed.
    `group` marks a row that only carries a Roman numeral or letter and a title:
    it becomes a heading above the rows that follow it.
    """
    label: str
    cells: tuple[tuple[str, str], ...] = ()
    group: bool = False

    def cell(self, role: str) -> str:
        return " ".join(text for r, text in self.cells if r == role and text)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of normalised text, as the author wrote it.

    `role` says what the paragraph is: "body" (the resolution's text),
    "header" (the page-1 header block), "footnote", "signature", "recipients"
    (the "Nơi nhận:" list). Only "body" paragraphs are segmented into clauses.
    """
    start: int
    end: int
    page: int
    role: str = "body"
    bold: bool = False
    source: str = "text"  # "text" layer, "ocr", "docx" or "plain"
    part: int = 0  # 0: the main text; k: the k-th annex (Extracted.parts)
    row: Optional[TableRow] = None  # set when the paragraph is a task-table row


@dataclass(frozen=True)
class Extracted:
    """What extraction hands to segmentation: normalised text plus its map back to pages.

    `text` holds one paragraph per line ("\\n" between paragraphs), NFC, modern
    tone marks. `original` is the same text before tone-mark modernisation
    (same length, offsets shared) so the author's spelling stays available.
    """
    text: str
    paragraphs: tuple[Paragraph, ...]
    pages: int
    info: DocInfo = DocInfo()
    page_sources: tuple[str, ...] = ()  # per page: "text" or "ocr"
    original: Optional[str] = None
    footnotes: tuple[tuple[str, str], ...] = ()  # (marker, footnote text)
    warnings: tuple["Warning", ...] = ()
    parts: tuple[Part, ...] = ()  # the annexes, in order

    def page_at(self, offset: int) -> int:
        """Page of the paragraph holding `offset` (1-based)."""
        page = 1
        for para in self.paragraphs:
            if para.start > offset:
                break
            page = para.page
        return page


@dataclass(frozen=True)
class BodyRef:
    """A responsible body named by (or inherited into) a clause. SPEC §3."""
    mention: str
    name: str
    role: str  # "owner" | "support"
    en: Optional[str] = None
    key: Optional[str] = None  # canonical key, unique within a jurisdiction
    inherited: bool = False
    start: Optional[int] = None
    end: Optional[int] = None


@dataclass(frozen=True)
class Deadline:
    """When a clause's own action is due, starts, recurs or runs. SPEC §4."""
    text: str
    kind: str  # due | from | period | recurring | ongoing
    value: Optional[str]
    inherited: bool = False
    start: Optional[int] = None
    end: Optional[int] = None


@dataclass(frozen=True)
class Citation:
    """A reference to another document. SPEC §5. `id` is None when unnumbered."""
    text: str
    id: Optional[str] = None
    type: Optional[str] = None
    number: Optional[str] = None
    code: Optional[str] = None
    issuer_code: Optional[str] = None
    year: Optional[int] = None
    date: Optional[str] = None
    issued_by: Optional[str] = None
    title: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    page: Optional[int] = None


@dataclass(frozen=True)
class Clause:
    """One numbered or bulleted unit. SPEC §2.

    `start`/`end` slice the document text back to `text` (the clause's own
    words, without label or children); `label_start`/`tree_end` bound the
    clause with its label and all its children, so children lie inside.
    """
    id: str
    label: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    label_start: int
    tree_end: int
    page: int
    kind: str = "other"  # heading | task | target | other
    inline: bool = False  # label found inside a paragraph, not at its start
    children: tuple["Clause", ...] = ()
    bodies: tuple[BodyRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    citations: tuple[Citation, ...] = ()
    # (offset, words) of the unlabelled schedule line ("Tháng 1:") above this point,
    # whose time the point carries as its own deadline; set by segment, read by tag.
    scope_line: Optional[tuple[int, str]] = None
    part: Optional[str] = None  # None in the main text, else the annex's title (Part.title)
    row: Optional[TableRow] = None  # the task-table row this clause was read from
    output: Optional[str] = None  # a task table's product column ("Sản phẩm", "Kết quả")

    def walk(self):
        """This clause, then its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class DocContext:
    """What taggers may know about the document a clause comes from."""
    info: DocInfo = DocInfo()
    source_stem: str = ""
    own_number: Optional[str] = None
    # Short names the document defines for a body ("… (sau đây gọi chung là UBND cấp huyện)"):
    # (folded short name, the body's name as written), read by tag.bodies.short_names.
    short_names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    source: str
    sha256: str
    info: DocInfo
    pages: int
    text: str
    clauses: tuple[Clause, ...] = ()
    warnings: tuple[Warning, ...] = ()
    page_sources: tuple[str, ...] = ()
    footnotes: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    original: Optional[str] = None
    # References outside any clause: in the title and the preamble ("Căn cứ Luật …").
    document_citations: tuple[Citation, ...] = ()
    parts: tuple[Part, ...] = ()

    def walk(self):
        for clause in self.clauses:
            yield from clause.walk()

    def to_json(self) -> dict[str, Any]:
        """The SPEC JSON: clauses flattened in document order, each with its path."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "doc": _drop_none(asdict(self.info)),
            "pages": self.pages,
            "page_sources": list(self.page_sources),
            "parts": [asdict(p) for p in self.parts],
            "clauses": [clause_to_json(c) for c in self.walk()],
            "document_citations": [asdict(c) for c in self.document_citations],
            "footnotes": [{"marker": m, "text": t} for m, t in self.footnotes],
            "warnings": [_drop_none(asdict(w)) for w in self.warnings],
        }


@lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def evolve(obj, **changes):
    """`dataclasses.replace` for this module's frozen dataclasses, without running `__init__`
    again (none has `__post_init__` or a field outside `__init__`): tagging copies every clause
    and every tag a few times, and `replace` costs ~5x as much.

    >>> d = Deadline("năm 2026", "due", "2026", start=3, end=11)
    >>> evolve(d, start=None, end=None) == replace(d, start=None, end=None), d.start
    (True, 3)
    """
    unknown = changes.keys() - _field_names(type(obj))
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {', '.join(sorted(unknown))}")
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def clause_to_json(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "label": clause.label,
        "path": list(clause.path),
        "kind": clause.kind,
        "text": clause.text,
        "page": clause.page,
        "start": clause.start,
        "end": clause.end,
        "bodies": [_drop_none(asdict(b), keep={"en"}) for b in clause.bodies],
        "deadlines": [asdict(d) for d in clause.deadlines],
        "citations": [asdict(c) for c in clause.citations],
        "part": clause.part,
        **({"output": clause.output} if clause.output else {}),
    }


def _drop_none(d: dict, keep: frozenset | set = frozenset()) -> dict:
    return {k: v for k, v in d.items() if v is not None or k in keep}
