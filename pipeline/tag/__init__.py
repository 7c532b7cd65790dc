"""Tag: each clause's own words → responsible bodies, deadlines and cited directives.

The three finders (bodies.py, deadlines.py, citations.py) are pure functions over
one clause's text; this module runs them over the tree, moves their offsets into
the document's text, and carries what a heading says down to its children:
owners (SPEC §3) and deadlines (SPEC §4) are inherited, marked `inherited: true`,
by every clause that names none of its own. Own tags are never overwritten.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from ..model import BodyRef, Citation, Clause, Deadline, DocContext, Document
from ..segment import is_findings_title

__all__ = ["tag", "tag_clause"]

# A heading names its owners up front ("1.1.2. Ủy ban Kiểm tra Đảng ủy",
# "Trách nhiệm của Sở Tài chính", "Đảng bộ UBND phường xây dựng, thực hiện …:");
# a goal statement that mentions a body further on ("Tiếp tục … Mặt trận Tổ
# quốc …") does not make it an owner.
HEADING_SUBJECT_MAX_OFFSET = 5

# Deadline kinds that place a clause in time; a schedule line's time yields to them.
_DATED = ("due", "from", "period")


def _shift(items, offset: int):
    return [replace(x, start=x.start + offset, end=x.end + offset) if x.start is not None else x for x in items]


def tag_clause(clause: Clause, ctx: DocContext) -> Clause:
    """One clause's explicit tags, with offsets into the document's text."""
    from .bodies import find_bodies, subject_offset
    from .citations import find_citations
    from .deadlines import find_deadlines

    text = clause.text
    citations = find_citations(text, ctx)
    deadlines = find_deadlines(text, ctx, avoid=[(c.start, c.end) for c in citations if c.start is not None])
    heading = clause.kind == "heading"
    bodies = find_bodies(text, ctx, heading=heading)
    if heading:
        owners = [b for b in bodies if b.role == "owner"]
        if owners and min(b.start or 0 for b in owners) > subject_offset(text) + HEADING_SUBJECT_MAX_OFFSET:
            bodies = [b for b in bodies if b.role != "owner"]
    deadlines = _shift(deadlines, clause.start)
    if clause.scope_line and not any(d.kind in _DATED for d in deadlines):
        # "Quý II:" over a schedule's points: each point is due then, as its own note;
        # a point's own date says more and wins.
        offset, words = clause.scope_line
        deadlines = _shift(find_deadlines(words, ctx), offset) + deadlines
    return replace(
        clause,
        bodies=tuple(_shift(bodies, clause.start)),
        deadlines=tuple(deadlines),
        citations=tuple(_shift(citations, clause.start)),
    )


def _inherit(clause: Clause, ctx: DocContext, owners: Sequence[BodyRef], due: Sequence[Deadline],
             tag_one: Callable[[Clause, DocContext], Clause], findings: bool = False) -> Clause:
    if clause.row is not None:  # a task-table row: its own cells, nothing from above (table_rows.py)
        from .table_rows import tag_table
        return tag_table(clause, ctx, tag_one)
    tagged = tag_one(clause, ctx)
    findings = findings or (clause.kind in ("heading", "other") and is_findings_title(clause.text))
    if findings:
        # A findings section reports past work: no one is assigned, nothing is due.
        tagged = replace(tagged, bodies=(), deadlines=())
        owners, due = (), ()
    bodies = list(tagged.bodies)
    if owners and not any(b.role == "owner" for b in bodies):
        bodies = [replace(b, inherited=True, start=None, end=None) for b in owners] + bodies
    deadlines = list(tagged.deadlines)
    if due and not deadlines:
        deadlines = [replace(d, inherited=True, start=None, end=None) for d in due]
    child_owners = [b for b in bodies if b.role == "owner"]
    children = tuple(_inherit(c, ctx, child_owners, deadlines, tag_one, findings) for c in tagged.children)
    return replace(tagged, bodies=tuple(bodies), deadlines=tuple(deadlines), children=children)


def tag(doc: Document, *, tag_one: Callable[[Clause, DocContext], Clause] = tag_clause) -> Document:
    """Tag every clause of a segmented document.

    >>> from pipeline.segment import segment
    >>> d = tag(segment(Document("x.txt", "", None, 1, "1. Ủy ban Kiểm tra Đảng ủy\\n(1) Rà soát (thực hiện thường xuyên).")))
    >>> [(b.name, b.inherited) for b in d.clauses[0].children[0].bodies]
    [('Ủy ban Kiểm tra Đảng ủy', True)]
    """
    from ..model import DocInfo

    info = doc.info or DocInfo()
    from .citations import printed_own_number

    # A header whose number the reader missed still prints it on its "Số:" line.
    own = info.number or printed_own_number(doc.text)
    ctx = DocContext(info=info, source_stem=Path(doc.source).stem, own_number=own)
    clauses = tuple(_inherit(c, ctx, (), (), tag_one) for c in doc.clauses)
    return replace(doc, clauses=clauses, document_citations=tuple(_outside_clauses(doc, ctx)))


def _outside_clauses(doc: Document, ctx: DocContext) -> list[Citation]:
    """Citations of the title and of the text no clause holds: the preamble's legal bases
    ("Căn cứ …"), a letter's opening paragraph, the closing paragraph, an annex's heading."""
    from .citations import find_citations

    found = [replace(c, start=None, end=None) for c in find_citations(ctx.info.title or "", ctx)]
    for start, end in _outside_spans(doc):
        found += _shift(find_citations(doc.text[start:end], ctx), start)
    return found


def _outside_spans(doc: Document) -> list[tuple[int, int]]:
    """Stretches of the document's text that lie in no clause, in order."""
    spans, cursor = [], 0
    for clause in sorted(doc.walk(), key=lambda c: c.label_start):
        if clause.label_start > cursor:
            spans.append((cursor, clause.label_start))
        cursor = max(cursor, clause.end)
    return spans + ([(cursor, len(doc.text))] if cursor < len(doc.text) else [])
