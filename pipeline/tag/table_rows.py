"""Tags of a task-table row (SPEC §2b) from its cells, not from the words around it.

A row's clause text is its task cell; who leads, who supports, when and what it
delivers sit in the row's other cells (`Clause.row`, read by extract/tables.py):

- owners from the lead cell ("Cơ quan chủ trì", "Người thực hiện" …), supports from
  the "phối hợp" cell, each body the cell lists (find_bodies first; a listed name it
  does not know — "VTV", "các bộ, ngành, địa phương", a person in "Người thực hiện"
  — is kept with its wording as name);
- deadlines from the time cell, read with the deadline grammar of running text;
- `output` from the product cell.

Nothing is inherited from the clauses above the table; a group row ("I", "A") is a
heading, and an owner or time its title names passes to the rows under it that
name none. The task cell's own words still give citations, and owners or
deadlines where the row has no such cell.

>>> from pipeline.model import Clause, TableRow
>>> row = TableRow("1", (("task", "Rà soát quy chế"), ("owner", "Sở Nội vụ"), ("support", "VTV; các sở, ngành"),
...                      ("time", "6/2026"), ("output", "Báo cáo")))
>>> c = tag_row(Clause("x/1", "1", ("1",), "Rà soát quy chế", 0, 15, 0, 15, 1, "task", row=row), None)
>>> [(b.name, b.role) for b in c.bodies], [(d.kind, d.value) for d in c.deadlines], c.output
([('Sở Nội vụ', 'owner'), ('VTV', 'support'), ('các sở, ngành', 'support')], [('due', '2026-06')], 'Báo cáo')
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional

import regex

from ..model import BodyRef, Clause, Deadline, DocContext
from ..patterns import compiled

__all__ = ["tag_row", "tag_table", "cell_bodies", "cell_deadlines"]

# Items of a cell: one a line, or separated by ";" or ",". A piece that opens with a
# lower-case word other than a plural marker shares the head of the piece before it
# ("Các bộ, ngành, địa phương" is one group; "…, các địa phương" is another).
_ITEM_BREAK = compiled(r"\s*(?:\n|;|,)\s*")
_OWN_HEAD = compiled(r"^(?:các|những|mọi|toàn\s+thể)\b|^[\p{Lu}\d]")
# "(chủ trì)" and "(sau đây gọi tắt là Tổ trật tự)" say what a body is called or does, not who it is.
_ROLE_REMARK = compiled(r"\s*\((?:chủ\s+trì|phối\s+hợp|đầu\s+mối|thường\s+trực|sau\s+đây\s+gọi[^)]*)\)\s*$",
                             regex.IGNORECASE)
MAX_ITEM_WORDS = 14  # longer pieces are sentences, not names


def _one_name(left: str, right: str) -> bool:
    """Whether a comma joins two pieces of one name ("Phòng Kinh tế, Hạ tầng và Đô thị").

    >>> _one_name("Phòng Kinh tế", "Hạ tầng và Đô thị"), _one_name("Bộ Tài chính", "Bộ Nội vụ")
    (True, False)
    """
    from .bodies import find_bodies

    joined = f"{left}, {right}"
    return any(b.start == 0 and b.end > len(left) + 1 for b in find_bodies(joined))


def _items(cell: str) -> list[str]:
    items: list[str] = []
    for piece in _ITEM_BREAK.split(cell):
        piece = _ROLE_REMARK.sub("", piece.strip(" .-–+•\t"))
        if not piece:
            continue
        if items and (not _OWN_HEAD.match(piece) or _one_name(items[-1], piece)):
            items[-1] = f"{items[-1]}, {piece}"
        else:
            items.append(piece)
    return items


def cell_bodies(cell: str, ctx: Optional[DocContext], role: str) -> list[BodyRef]:
    """The bodies a cell lists, each with `role` (the column decides it, not the words).

    >>> [b.name for b in cell_bodies("Bộ Tài chính, Bộ Nội vụ\\nĐỗ Văn A", None, "owner")]
    ['Bộ Tài chính', 'Bộ Nội vụ', 'Đỗ Văn A']
    """
    from .bodies import body_key, find_bodies
    from .bodies.aliases import with_full_names
    from .bodies.registry import _modern_tones

    out: list[BodyRef] = []
    for item in _items(cell):
        found = find_bodies(item, ctx)
        if found:
            out += [replace(b, role=role, inherited=False, start=None, end=None) for b in found]
        elif len(item.split()) <= MAX_ITEM_WORDS and regex.search(r"\p{L}", item):
            name = _modern_tones(item)
            out.append(BodyRef(mention=item, name=name, role=role, key=body_key(name, ctx)))
    out = with_full_names(out, ctx)  # "Tổ trật tự", defined above as "Tổ trật tự đô thị phường"
    seen: set[str] = set()
    return [b for b in out if not (b.name in seen or seen.add(b.name))]


def cell_deadlines(cell: str, ctx: Optional[DocContext]) -> list[Deadline]:
    """The time cell read as the column's heading says: "6/2025" is "hoàn thành trong tháng 6/2025".

    >>> [(d.text, d.kind, d.value) for d in cell_deadlines("Quý II/2026", None)]
    [('Quý II/2026', 'due', '2026-Q2')]
    """
    from ..extract.tables import time_lead_ins
    from .deadlines import find_deadlines

    words = " ".join(cell.split())
    if not words:
        return []
    for lead in time_lead_ins():
        phrase = lead + (words[:1].lower() + words[1:] if lead else words)
        found = find_deadlines(phrase, ctx)
        if found:
            # the deadline's words are the cell's: the lead-in is the column's, not printed
            return [replace(d, text=words if lead else d.text, start=None, end=None) for d in found]
    return []


def tag_row(clause: Clause, ctx: Optional[DocContext],
            tag_one: Optional[Callable[[Clause, DocContext], Clause]] = None) -> Clause:
    """One row's own tags: the task cell through `tag_one`, then the row's cells over it."""
    if tag_one is None:
        from . import tag_clause as tag_one
    tagged = tag_one(clause, ctx)
    row = clause.row
    if row is None or row.group:
        return tagged
    bodies = list(tagged.bodies)
    owners, supports = cell_bodies(row.cell("owner"), ctx, "owner"), cell_bodies(row.cell("support"), ctx, "support")
    if owners:
        bodies = owners + [b for b in bodies if b.role == "support"]  # the task's own "phối hợp với X"
    elif supports:
        bodies = [b for b in bodies if b.role == "owner"]
    if supports:
        bodies = bodies + [b for b in supports if b.name not in {o.name for o in bodies}]
    deadlines = cell_deadlines(row.cell("time"), ctx) or list(tagged.deadlines)
    return replace(tagged, bodies=tuple(bodies), deadlines=tuple(deadlines), output=row.cell("output") or None)


def tag_table(clause: Clause, ctx: DocContext, tag_one: Callable[[Clause, DocContext], Clause]) -> Clause:
    """A row or a group row with the rows under it; nothing comes down from above the table.

    A group row's owners and dated times pass to its rows that name none (marked inherited).
    """
    tagged = tag_row(clause, ctx, tag_one)
    owners = [replace(b, inherited=True, start=None, end=None) for b in tagged.bodies if b.role == "owner"]
    due = [replace(d, inherited=True, start=None, end=None) for d in tagged.deadlines]
    children = []
    for child in tagged.children:
        done = tag_table(child, ctx, tag_one) if child.row is not None else tag_one(child, ctx)
        if owners and not any(b.role == "owner" for b in done.bodies):
            done = replace(done, bodies=tuple(owners) + done.bodies)
        if due and not done.deadlines:
            done = replace(done, deadlines=tuple(due))
        children.append(done)
    return replace(tagged, children=tuple(children))
