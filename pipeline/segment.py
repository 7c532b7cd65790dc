"""Segment: a document's normalised paragraphs → the clause tree of SPEC §2.

Labels are found at the start of a paragraph (families in models/labels.yaml) and
inline, as unbroken enumerations inside a paragraph ("…: (1) - Phấn đấu …; (2) - …").
Nesting is inferred from the document itself: a stack holds the families that
are open, a label whose family is open closes everything below it and becomes a
sibling, and a new family opens one level deeper. So a document that puts `a)`
under `1.` and one that puts `(1)` under `a)` both come out right.

A document has parts (SPEC §2a): the main text, then each annex extraction found
(extract/furniture.py); each part is a tree of its own, its ids prefixed "A<k>/".
The label grammar is labels.py, the clause kinds clause_kinds.py; the tree is built
in segment_tree.py, the closing formula and schedule lines are read by segment_lines.py.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

from .clause_kinds import clause_kind, is_findings_title, looks_like_title
from .extract.furniture import mark_parts
from .labels import LabelMatch, find_line_label, is_multilevel
from .model import Clause, Document, Paragraph, Part, Warning, replace
from .segment_lines import schedule_line
from .segment_tree import ClauseNode, build_tree, row_kind
from .patterns import compiled

_DOTTED_NUMBER = compiled(r"\d+(?:\.\d+)*")

__all__ = ["segment", "find_line_label", "schedule_line", "is_findings_title", "LabelMatch"]


def _body_paragraphs(doc: Document) -> tuple[tuple[Paragraph, ...], tuple[Part, ...]]:
    """The body paragraphs and the annexes. A bare text (no extraction) is one paragraph a
    line, its annexes found by the same rules extraction uses (extract/furniture.py)."""
    if doc.paragraphs:
        return tuple(p for p in doc.paragraphs if p.role == "body"), tuple(doc.parts)
    lines = doc.text.split("\n")
    starts, title_blocks = mark_parts(lines)
    part_at = {index: part.ordinal for index, part in starts}
    paras, pos, part = [], 0, 0
    for i, line in enumerate(lines):
        part = part_at.get(i, part)
        if i not in title_blocks:
            paras.append(Paragraph(pos, pos + len(line), 1, part=part))
        pos += len(line) + 1
    return tuple(paras), tuple(doc.parts) or tuple(p for _, p in starts)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _path_id(path: tuple[str, ...]) -> str:
    # Decimal labels carry their ancestors ("1.1.2." is under "1.1." under "1."),
    # so only the deepest of a decimal run goes into the id.
    # Every label drops its final dot ("Điều 11." → "Điều 11"), or the joining dot
    # would double it ("Điều 11..2").
    parts: list[str] = []
    for label in path:
        bare = label.rstrip(".") or label
        if parts and _DOTTED_NUMBER.fullmatch(bare) and bare.startswith(parts[-1] + "."):
            parts[-1] = bare
        else:
            parts.append(bare)
    return ".".join(parts)


def _freeze(node: ClauseNode, text: str, paragraphs, stem: str, parents: tuple[str, ...],
            ancestors: list[str], seen: Counter, part: Optional[str] = None) -> Clause:
    path = parents + (node.label,)
    start, end = _trimmed(text, node.text_start, node.text_end)
    words = text[start:end]
    key = _path_id(path)
    seen[key] += 1
    if seen[key] > 1:  # sibling bullets share a path; the id must still be unique
        key = f"{key}~{seen[key]}"
    # Only titles give a section its kind: a task sentence above ("… theo chức năng,
    # nhiệm vụ …:") says nothing about the points under it.
    is_title = bool(node.children) and looks_like_title(words)
    titles = ancestors + [words] if is_title else ancestors
    children = tuple(_freeze(c, text, paragraphs, stem, path, titles, seen, part) for c in node.children)
    return Clause(
        id=f"{stem}/{key}", label=node.label, path=path, text=words, start=start, end=end,
        label_start=node.label_start, tree_end=max(end, node.tree_end()), page=node.page,
        kind=clause_kind(words, [c.kind for c in children], ancestors, bool(children) and children[0].inline)
        if node.row is None else row_kind(node),
        inline=node.inline, children=children, scope_line=node.scope, row=node.row, part=part,
    )


def _numbering_warnings(nodes: list[ClauseNode], paragraphs,
                        parent: Optional[ClauseNode] = None) -> list[Warning]:
    warnings: list[Warning] = []
    previous: dict[str, ClauseNode] = {}
    for node in nodes:
        prev = previous.get(node.family)
        page = node.page
        if node.ordinal is not None and prev is not None and prev.ordinal is not None:
            if node.ordinal > prev.ordinal + 1:
                warnings.append(Warning("numbering-gap", f"{node.label} follows {prev.label}: a number is missing", page))
            elif node.ordinal <= prev.ordinal:
                warnings.append(Warning("numbering-restart", f"{node.label} follows {prev.label}: numbering restarts", page))
        if is_multilevel(node.family) and not node.family.endswith(":1"):
            number = node.label.rstrip(".-– ")
            stem, mark = number.rsplit(".", 1)[0], node.label[len(number):].strip() or "."
            # A parent printing the same number in another family ("1.1" under "1/")
            # skips no level.
            parent_number = parent.label.rstrip("./-–) ") if parent else None
            if parent_number == stem:
                pass
            elif parent is None or parent.family.split(":")[0] != node.family.split(":")[0]:
                warnings.append(Warning("level-skip", f"{node.label} has no parent numbered {stem}{mark}", page))
            else:
                warnings.append(Warning("numbering-prefix", f"{node.label} sits under {parent.label}", page))
        previous[node.family] = node
        warnings += _numbering_warnings(node.children, paragraphs, node)
    return warnings


def segment(doc: Document) -> Document:
    """Split `doc.text` into its clause tree; numbering problems become warnings.

    >>> from pipeline.model import Document
    >>> d = segment(Document("x.txt", "", None, 1, "A- NỘI DUNG\\n1. Ban Tổ chức rà soát: (1) - Phấn đấu; (2) - Bảo đảm."))
    >>> [c.id for c in d.walk()]
    ['x/A-', 'x/A-.1', 'x/A-.1.(1)', 'x/A-.1.(2)']
    """
    paragraphs, parts = _body_paragraphs(doc)
    titles = {part.ordinal: part.title for part in parts}
    repairs: list[Warning] = []
    stem = Path(doc.source).stem
    clauses: list[Clause] = []
    numbering: list[Warning] = []
    # Each part (the main text, then each annex, SPEC §2a) is a tree of its own: its paths
    # start afresh and its ids carry the annex's ordinal ("<stem>/A1/I.2").
    for ordinal, group in _by_part(paragraphs):
        roots = build_tree(doc.text, group, repairs)
        prefix = f"{stem}/A{ordinal}" if ordinal else stem
        seen: Counter = Counter()
        clauses += [_freeze(n, doc.text, group, prefix, (), [], seen, titles.get(ordinal)) for n in roots]
        numbering += _numbering_warnings(roots, group)
    warnings = tuple(doc.warnings) + tuple(repairs) + tuple(numbering)
    return replace(doc, clauses=tuple(clauses), warnings=warnings, parts=parts)


def _by_part(paragraphs: tuple[Paragraph, ...]) -> list[tuple[int, tuple[Paragraph, ...]]]:
    """Runs of consecutive paragraphs of one part, in order: [(part ordinal, paragraphs)]."""
    runs: list[tuple[int, list[Paragraph]]] = []
    for para in paragraphs:
        if not runs or runs[-1][0] != para.part:
            runs.append((para.part, []))
        runs[-1][1].append(para)
    return [(ordinal, tuple(group)) for ordinal, group in runs] or [(0, ())]
