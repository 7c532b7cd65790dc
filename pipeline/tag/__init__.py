"""Tag: each clause's own words → responsible bodies, deadlines and cited directives.

The three finders (bodies.py, deadlines.py, citations.py) are pure functions over
one clause's text; this module runs them over the tree, moves their offsets into
the document's text, and carries what a heading says down to its children:
owners (SPEC §3) and deadlines (SPEC §4) are inherited, marked `inherited: true`,
by every clause that names none of its own. Own tags are never overwritten.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..model import BodyRef, Citation, Clause, Deadline, DocContext, Document, evolve
from ..patterns import compiled

__all__ = ["tag", "tag_clause"]

# A heading names its owners up front ("1.1.2. Ủy ban Kiểm tra Đảng ủy",
# "Trách nhiệm của Sở Tài chính", "Đảng bộ UBND phường xây dựng, thực hiện …:");
# a goal statement that mentions a body further on ("Tiếp tục … Mặt trận Tổ
# quốc …") does not make it an owner.
HEADING_SUBJECT_MAX_OFFSET = 5

# Deadline kinds that place a clause in time; a schedule line's time yields to them.
_DATED = ("due", "from", "period")


def _shift(items, offset: int):
    return [evolve(x, start=x.start + offset, end=x.end + offset) if x.start is not None else x for x in items]


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
    return evolve(
        clause,
        bodies=tuple(_shift(bodies, clause.start)),
        deadlines=tuple(deadlines),
        citations=tuple(_shift(citations, clause.start)),
    )


def _tag_tree(clause: Clause, ctx: DocContext, tag_one: Callable[[Clause, DocContext], Clause]) -> Clause:
    if clause.row is not None:  # a task-table row (and the rows under a group row): its own cells (table_rows.py)
        from .table_rows import tag_table
        return tag_table(clause, ctx, tag_one)
    tagged = tag_one(clause, ctx)
    return evolve(tagged, children=tuple(_tag_tree(c, ctx, tag_one) for c in tagged.children))


def _is_field_line(clause: Clause) -> bool:
    """A point that is nothing but a block field: "- Đơn vị phối hợp: Sở Y tế, …"."""
    from .bodies import field_lines

    return any(start == 0 for start, _ in field_lines(clause.text))


def _section_block(clause: Clause) -> list[BodyRef]:
    """Owners and supports of the "Đơn vị chủ trì: X / Đơn vị phối hợp: Y" block a section
    carries: in its own text, as points of their own among its children, or at the end
    of its last child's text ("… Lãnh đạo phụ trách: …\nĐơn vị chủ trì: X\nĐơn vị phối hợp: Y")."""
    from .bodies import field_lines

    if len(clause.path) < 2:
        # A top-level part of a plan ("II. CƠ QUAN CHỈ ĐẠO VÀ TỔ CHỨC THỰC HIỆN") is a chapter,
        # not a task: its field points describe the plan and keep to themselves.
        return []

    def from_lines(c: Clause) -> list[BodyRef]:
        starts = [c.start + at for at, _ in field_lines(c.text)]
        return [b for b in c.bodies if starts and b.start is not None and b.start >= min(starts)]

    found = from_lines(clause)
    if all(_is_field_line(c) for c in clause.children):
        # "a) Rà soát …" over one "- Cơ quan chủ trì: …; cơ quan phối hợp: …": a note on a
        # task with no points of its own; the note keeps its bodies, as a table row does.
        return found
    # When every point carries its own block line ("1.1. … \nCơ quan chủ trì: X", "1.2. …"), the
    # last point's block is that point's, not the section's.
    each_own = any(field_lines(c.text) for c in clause.children[:-1] if not _is_field_line(c))
    for i, child in enumerate(clause.children):
        if _is_field_line(child) or i == len(clause.children) - 1 and not each_own:
            found += from_lines(child)
    return found


# The end of a clause's first sentence (a full stop or semicolon before a space or the end).
_SENTENCE_END = compiled(r"[.;!?](?=\s|$)")


def _in_first_sentence(clause: Clause, body: BodyRef) -> bool:
    """Whether a body is named in the clause's first sentence. An owner named only later ("…
    . Nhiệm vụ của từng thành viên do Tổ trưởng phân công") owns that sentence's work; the
    first sentence still belongs to the section's owner, who is inherited beside it."""
    from .bodies import field_lines

    if body.start is None:
        return True
    end = _SENTENCE_END.search(clause.text)
    fields = [clause.start + at for at, _ in field_lines(clause.text)]
    # A block's "Đơn vị chủ trì: X" line names the owner of the whole point, wherever it stands.
    return end is None or body.start < clause.start + end.end() or any(body.start >= f for f in fields)


def _merge(own: Sequence[BodyRef], more: Sequence[BodyRef]) -> list[BodyRef]:
    """`own` then each of `more` not already there under the same key and role."""
    seen = {(b.key or b.name, b.role) for b in own}
    out = list(own)
    for b in more:
        if (b.key or b.name, b.role) not in seen:
            seen.add((b.key or b.name, b.role))
            out.append(b)
    return out


def _inherit(clause: Clause, owners: Sequence[BodyRef], supports: Sequence[BodyRef],
             due: Sequence[Deadline], findings: bool = False) -> Clause:
    """Carry owners (and a block's supports) and deadlines down a tagged tree (SPEC §3, §4)."""
    from ..segment import is_findings_title  # not at the top: a query reading bodies never segments

    if clause.row is not None:
        return clause  # a task-table row inherits nothing from above the table (SPEC §2b, table_rows.py)
    findings = findings or (clause.kind in ("heading", "other") and is_findings_title(clause.text))
    if findings:
        # A findings section reports past work: no one is assigned, nothing is due.
        return evolve(clause, bodies=(), deadlines=(),
                       children=tuple(_inherit(c, (), (), (), True) for c in clause.children))
    block = _section_block(clause)
    bodies = _merge(clause.bodies, block)
    if owners and not any(b.role == "owner" and _in_first_sentence(clause, b) for b in bodies):
        inherited = [evolve(b, inherited=True, start=None, end=None) for b in (*owners, *supports)]
        bodies = _merge(inherited, bodies)
    deadlines = list(clause.deadlines)
    if due and not deadlines:
        deadlines = [evolve(d, inherited=True, start=None, end=None) for d in due]
    child_owners = [b for b in bodies if b.role == "owner"]
    # Supports are carried down only with the block that named them, never from "phối hợp với"
    # in a heading's prose.
    child_supports = [b for b in block if b.role == "support"] or \
        ([b for b in bodies if b.role == "support" and b.inherited] if not block else [])
    children = tuple(c if _is_field_line(c) else _inherit(c, child_owners, child_supports, deadlines, findings)
                     for c in clause.children)
    # A field point keeps its own words, and inherits deadlines only.
    children = tuple(_inherit(c, (), (), deadlines, findings) if _is_field_line(c) else c for c in children)
    return evolve(clause, bodies=tuple(bodies), deadlines=tuple(deadlines), children=children)


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
    from .bodies import short_names

    # Task-table cells are not in doc.text; a short name may be defined in one ("Tổ … (sau đây gọi tắt là …)").
    cells = "\n".join(text for c in doc.clauses for k in c.walk() if k.row for _, text in k.row.cells)
    ctx = DocContext(info=info, source_stem=Path(doc.source).stem, own_number=own,
                     short_names=short_names(f"{doc.text}\n{cells}"))
    preface = _preface_owners(doc, ctx)
    tagged = [_tag_tree(c, ctx, tag_one) for c in doc.clauses]
    clauses = tuple(_inherit(c, preface if c.part is None and not _section_owns(c) else (), (), ())
                    for c in tagged)
    return evolve(doc, clauses=clauses, document_citations=tuple(_outside_clauses(doc, ctx)))


def _section_owns(clause: Clause) -> bool:
    """Whether a top-level heading's points name their own owners ("I. VỀ QUẢN LÝ …" over "1. Đề
    nghị UBND cấp huyện: …"): a preface's generic request ("Sở đề nghị các cơ quan, đơn vị thực
    hiện một số nội dung sau:") then addresses them, and is not inherited past them."""
    return clause.kind == "heading" and any(b.role == "owner" and not b.inherited
                                            for c in clause.walk() if c is not clause for b in c.bodies)


# The preamble's last sentence, when it ends with a colon over the numbered points:
# "…, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, …:".
_PREFACE = compiled(r"(?:^|(?<=[.;!?\n]))[ \t]*(?P<sentence>[^.;!?\n]+):[ \t]*$")


def _preface_owners(doc: Document, ctx: DocContext) -> list[BodyRef]:
    """Owners a preamble assigns to every point after it ("… yêu cầu X:", "Giao X thực hiện các nội
    dung sau:"); the speaker of the preamble and bodies it only mentions are none."""
    from .bodies import assigned_bodies

    if not doc.clauses:
        return []
    # A header reader that runs the title on into the preamble leaves the preface in the title.
    m = _PREFACE.search(doc.text[:doc.clauses[0].label_start].rstrip()) or _PREFACE.search(ctx.info.title or "")
    if not m:
        return []
    return [b for b in assigned_bodies(m.group("sentence"), ctx) if b.role == "owner"]


def _outside_clauses(doc: Document, ctx: DocContext) -> list[Citation]:
    """Citations of the title and of the text no clause holds: the preamble's legal bases
    ("Căn cứ …"), a letter's opening paragraph, the closing paragraph, an annex's heading."""
    from .citations import find_citations

    found = [evolve(c, start=None, end=None) for c in find_citations(ctx.info.title or "", ctx)]
    for start, end in outside_spans(doc):
        found += _shift(find_citations(doc.text[start:end], ctx), start)
    return found


def outside_spans(doc: Document) -> list[tuple[int, int]]:
    """Stretches of the document's text that lie in no clause, in order."""
    spans, cursor = [], 0
    for clause in sorted(doc.walk(), key=lambda c: c.label_start):
        if clause.label_start > cursor:
            spans.append((cursor, clause.label_start))
        cursor = max(cursor, clause.end)
    return spans + ([(cursor, len(doc.text))] if cursor < len(doc.text) else [])
