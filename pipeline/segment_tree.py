"""The clause tree of one part, built from its paragraphs (segment.py freezes it into Clauses).

A stack holds the label families that are open: a label whose family is open closes
everything below it and becomes a sibling, a new family opens one level deeper.
Inline enumerations open under the clause they end; an amendment's quoted wording
nests under the clause that quotes it; task-table rows (SPEC §2b) nest by their
numbers; a Roman label Tesseract misread is repaired from its sibling.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import regex

from .labels import LabelMatch, find_line_label, inline_labels
from .model import Paragraph, TableRow, Warning, replace
from .segment_lines import END_MARK, is_closing_formula, schedule_line
from .patterns import compiled

__all__ = ["ClauseNode", "build_tree", "row_kind"]


@dataclass
class ClauseNode:
    """A clause while its tree is built: mutable, its text end growing as paragraphs continue it."""
    family: str
    label: str
    ordinal: Optional[int]
    label_start: int
    text_start: int
    text_end: int
    page: int
    inline: bool
    parent: Optional["ClauseNode"] = None
    children: list["ClauseNode"] = field(default_factory=list)
    scope: Optional[tuple[int, str]] = None  # the schedule line above it, see schedule_line
    row: Optional[TableRow] = None  # a task-table row (SPEC §2b), see _row_node

    def tree_end(self) -> int:
        return self.children[-1].tree_end() if self.children else self.text_end


def _attach(node: ClauseNode, stack: list[ClauseNode], roots: list[ClauseNode]) -> None:
    """Put a new node under the innermost open clause, or at the top of its part."""
    if stack:
        node.parent = stack[-1]
        stack[-1].children.append(node)
    else:
        roots.append(node)


def _page_of(paragraphs: tuple[Paragraph, ...], offset: int) -> int:
    page = paragraphs[0].page if paragraphs else 1
    for para in paragraphs:
        if para.start > offset:
            break
        page = para.page
    return page


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _repair_ocr_roman(label: LabelMatch, stack: list["ClauseNode"]) -> Optional[LabelMatch]:
    """Tesseract drops a stroke of Roman numerals ("III-" read as "II-"): on OCR text a
    Roman label that repeats or goes back from its open sibling is read as the next one."""
    sibling = next((n for n in reversed(stack) if n.family == label.family), None)
    if label.family != "roman" or sibling is None or sibling.ordinal is None or label.ordinal is None:
        return None
    if label.ordinal > sibling.ordinal:
        return None
    numeral = regex.match(r"[IVX]+", label.label).group()
    fixed = _to_roman(sibling.ordinal + 1) + label.label[len(numeral):]
    return LabelMatch(label.family, fixed, sibling.ordinal + 1, label.start, label.text_start)


# Quoted wording of an amendment: opened by a quote mark before a label, closed by a quote
# mark ending a paragraph (a full stop, semicolon or "./." may follow it).
_OPEN_QUOTES = "\"“"
_QUOTE_END = compiled(r"[\"”]\s*[.;,]?\s*(?:\./\.)?\s*$")
_QUOTED = "quoted:"


def build_tree(text: str, paragraphs: tuple[Paragraph, ...],
               repairs: Optional[list[Warning]] = None) -> list[ClauseNode]:
    """The root nodes of the clause tree of `paragraphs` (one part); labels read from OCR
    and repaired are noted in `repairs`.

    >>> from pipeline.model import Paragraph
    >>> roots = build_tree("I. A\\n1. B", (Paragraph(0, 4, 1), Paragraph(5, 9, 1)))
    >>> [(n.label, [c.label for c in n.children]) for n in roots]
    [('I.', ['1.'])]
    """
    roots: list[ClauseNode] = []
    stack: list[ClauseNode] = []
    last_ordinal: dict[str, int] = {}
    # The open schedule line: (its section's node, (offset, words)). It ends when its
    # section closes or the next schedule line opens.
    scope: Optional[tuple[ClauseNode, tuple[int, str]]] = None
    # An amendment quotes the new wording ('1. Sửa đổi Điều 1 như sau: "Điều 1. Phạm vi …'):
    # the quoted labels nest under the clause that quotes them, as families of their own, until
    # a paragraph ends the quote. `quote` is the stack depth to return to.
    quote: Optional[int] = None
    # A paragraph's one inline item that runs to its end ("1. Về công tác tuyên truyền: a) Sở … chủ
    # trì …") is a line's item glued to its heading: the lines after it are its own, and its next
    # sibling ("b)") comes at a line start. An enumeration of several inline items ends with its
    # paragraph.
    glued: set[int] = set()

    def open_node(label: LabelMatch, end: int, page: int, inline: bool) -> ClauseNode:
        while stack and any(n.family == label.family for n in stack):
            if stack.pop().family == label.family:
                break
        node = ClauseNode(label.family, label.label, label.ordinal, label.start, label.text_start, end, page, inline)
        _attach(node, stack, roots)
        if scope and node.parent is scope[0]:
            node.scope = scope[1]
        stack.append(node)
        if label.ordinal is not None:
            last_ordinal[label.family] = label.ordinal
        return node

    for para in paragraphs:
        if para.end <= para.start or not text[para.start:para.end].strip():
            continue
        if _row_node(para, stack, roots):
            continue
        label = find_line_label(text, para.start, para.end)
        if not label and quote is None and stack and text[para.start] in _OPEN_QUOTES:
            if label := find_line_label(text, para.start + 1, para.end):
                quote = len(stack)
        if label and quote is not None:
            label = replace(label, family=_QUOTED + label.family)
        if label and para.source == "ocr" and (fixed := _repair_ocr_roman(label, stack)):
            if repairs is not None:
                repairs.append(Warning("ocr-label-repaired", f"read {label.label} as {fixed.label} from the numbering",
                                       para.page))
            label = fixed
        if label:
            # Inline items end with their paragraph: a new line-start label of
            # another family is not their child.
            if not any(n.family == label.family for n in stack):
                while stack and stack[-1].inline and id(stack[-1]) not in glued:
                    stack.pop()
            current = open_node(label, para.end, para.page, inline=False)
        elif quote is None and is_closing_formula(text[para.start:para.end]) \
                and not (stack and not text[stack[-1].text_start:stack[-1].text_end].strip()):
            # (a bare "Điều 4." on its line takes the next paragraph as its words, whatever they say)
            stack.clear()
            continue
        elif stack and (words := schedule_line(text[para.start:para.end])):
            # The schedule line heads the points after it, in the section it sits in:
            # the open schedule's section while that is still open, else the open clause.
            section = scope[0] if scope and any(n is scope[0] for n in stack) else stack[-1]
            while stack[-1] is not section:
                stack.pop()
            offset = para.start + len(text[para.start:para.end]) - len(text[para.start:para.end].lstrip())
            scope = (section, (offset, words))
            continue
        elif stack:
            current = stack[-1]
            current.text_end = para.end  # an unlabelled paragraph continues the open clause
        else:
            continue  # preamble before the first label is not a clause
        inline = inline_labels(text, max(current.text_start, para.start), para.end, last_ordinal)
        for i, item in enumerate(inline):
            if quote is not None:  # inside quoted wording, as its line-start labels are
                item = replace(item, family=_QUOTED + item.family)
            if i == 0:
                current.text_end = item.start
                while stack and stack[-1] is not current:
                    stack.pop()
            end = inline[i + 1].start if i + 1 < len(inline) else para.end
            node = open_node(item, end, _page_of(paragraphs, item.start), inline=True)
            if len(inline) == 1:
                glued.add(id(node))
        if quote is not None and _QUOTE_END.search(text, para.start, para.end):
            del stack[quote:]
            quote = None
        elif text[para.start:para.end].rstrip().endswith(END_MARK):
            stack.clear()  # "Điều 3. … thi hành Quyết định này./.": what follows is an attachment
    return roots


# --- task-table rows (SPEC §2b; rows read by extract/tables.py) -----------------------------------
_TABLE_FAMILIES = ("table-group", "table-row")


def _row_under(label: str, parent: str) -> bool:
    """Whether a row's decimal number extends the row above's ("1.2" under "1").

    >>> _row_under("1.2", "1."), _row_under("2", "1")
    (True, False)
    """
    child, above = label.rstrip(". "), parent.rstrip(". ")
    return bool(regex.fullmatch(r"\d+(?:\.\d+)+", child)) and child.startswith(above + ".")


def _row_node(para: Paragraph, stack: list[ClauseNode], roots: list[ClauseNode]) -> bool:
    """Open the clause of a task-table row; True when `para` is one.

    A row nests under the group row above it ("I", "A") or the row its number extends
    ("1.2" under "1"), the table under the clause it sits in (or at the top of its part).
    A paragraph after the table closes the table's rows, so its words never run on into
    the last row.
    """
    if para.row is None:
        while stack and stack[-1].family in _TABLE_FAMILIES:
            stack.pop()
        return False
    family = "table-group" if para.row.group else "table-row"
    while stack and ((stack[-1].family == "table-row" and not _row_under(para.row.label, stack[-1].label))
                     or (para.row.group and stack[-1].family == "table-group")):
        stack.pop()
    node = ClauseNode(family, para.row.label, None, para.start, para.start, para.end, para.page, False, row=para.row)
    _attach(node, stack, roots)
    stack.append(node)
    return True


def row_kind(node: ClauseNode) -> str:
    """A group row, or a row over numbered rows that names no one and no time, is a heading."""
    assigns = any(role in ("owner", "support", "time") for role, _ in node.row.cells)
    return "heading" if node.row.group or (node.children and not assigns) else "task"
