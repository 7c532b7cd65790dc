"""Segment: a document's normalised paragraphs → the clause tree of SPEC §2.

Labels are found at the start of a paragraph (families in models/labels.yaml) and
inline, as unbroken enumerations inside a paragraph ("…: (1) - Phấn đấu …; (2) - …").
Nesting is inferred from the document itself: a stack holds the families that
are open, a label whose family is open closes everything below it and becomes a
sibling, and a new family opens one level deeper. So a document that puts `a)`
under `1.` and one that puts `(1)` under `a)` both come out right.

A document has parts (SPEC §2a): the main text, then each annex extraction found
(extract/furniture.py); each part is a tree of its own, its ids prefixed "A<k>/".
The label grammar is labels.py, the clause kinds clause_kinds.py.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex
import yaml

from .clause_kinds import clause_kind, is_findings_title, looks_like_title
from .extract.furniture import mark_parts
from .fold import fold
from .labels import LabelMatch, find_line_label, inline_labels, is_multilevel
from .model import Clause, Document, Paragraph, Part, TableRow, Warning, replace

__all__ = ["segment", "find_line_label", "schedule_line", "is_findings_title", "LabelMatch"]

MODELS = Path(__file__).resolve().parent.parent / "models"


@dataclass
class _Node:
    family: str
    label: str
    ordinal: Optional[int]
    label_start: int
    text_start: int
    text_end: int
    page: int
    inline: bool
    parent: Optional["_Node"] = None
    children: list["_Node"] = field(default_factory=list)
    scope: Optional[tuple[int, str]] = None  # the schedule line above it, see schedule_line
    row: Optional[TableRow] = None  # a task-table row (SPEC §2b), see _row_node

    def tree_end(self) -> int:
        return self.children[-1].tree_end() if self.children else self.text_end


def _page_of(paragraphs: tuple[Paragraph, ...], offset: int) -> int:
    page = paragraphs[0].page if paragraphs else 1
    for para in paragraphs:
        if para.start > offset:
            break
        page = para.page
    return page


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


def _is_closing_formula(paragraph: str) -> bool:
    """Whether an unlabelled paragraph is the document's adoption or effect sentence.

    It is known by its words, not by the "./." mark: the last paragraph of an
    attached regulation's article also ends with "./." and is that article's text.

    >>> _is_closing_formula("Chỉ thị này được phổ biến đến chi bộ và đảng viên./.")
    True
    >>> _is_closing_formula("Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Sở Nội vụ./.")
    False
    """
    folded = fold(paragraph).strip()
    phrases, openers = _closing_words()
    if any(p in folded for p in phrases):
        return True
    # The document speaking of itself ("Nghị quyết này …", "Chỉ thị này được phổ biến …",
    # "Trên đây là Kế hoạch …") in a paragraph that ends the text.
    openers = openers + tuple(k + " nay" for k in _doc_kinds())
    return paragraph.rstrip().endswith(_END_MARK) and any(folded.startswith(o + " ") for o in openers)


@lru_cache(maxsize=1)
def _closing_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Phrases that make a paragraph the closing formula anywhere, and openers that do with "./."."""
    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    return tuple(data["closing_phrases"]), tuple(data["closing_openers"])


# "./." ends a Vietnamese administrative text; a labelled clause carrying it is the last one.
_END_MARK = "./."


@lru_cache(maxsize=1)
def _doc_kinds() -> frozenset[str]:
    """Document kinds (models/doc_kinds.tsv), folded: "Kế hoạch này …" is a document naming itself."""
    return frozenset(
        fold(line.split("\t")[0])
        for line in (MODELS / "doc_kinds.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _repair_ocr_roman(label: LabelMatch, stack: list["_Node"]) -> Optional[LabelMatch]:
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


@lru_cache(maxsize=1)
def _scope_pattern() -> "regex.Pattern":
    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    return regex.compile(data["scope_line"], regex.VERBOSE | regex.IGNORECASE)


def schedule_line(paragraph: str) -> Optional[str]:
    """The words of a schedule line that heads the points after it ("Tháng 3 và tháng 4:"), if it is one.

    >>> schedule_line("Quý II:")
    'Quý II:'
    >>> schedule_line("Quý II: giám sát chuyên đề") is None
    True
    """
    words = paragraph.strip()
    return words if _scope_pattern().match(words) else None


def _build_tree(text: str, paragraphs: tuple[Paragraph, ...],
                repairs: Optional[list[Warning]] = None) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    last_ordinal: dict[str, int] = {}
    # The open schedule line: (its section's node, (offset, words)). It ends when its
    # section closes or the next schedule line opens.
    scope: Optional[tuple[_Node, tuple[int, str]]] = None
    # An amendment quotes the new wording ('1. Sửa đổi Điều 1 như sau: "Điều 1. Phạm vi …'):
    # the quoted labels nest under the clause that quotes them, as families of their own, until
    # a paragraph ends the quote. `quote` is the stack depth to return to.
    quote: Optional[int] = None

    def open_node(label: LabelMatch, end: int, page: int, inline: bool) -> _Node:
        while stack and any(n.family == label.family for n in stack):
            if stack.pop().family == label.family:
                break
        node = _Node(label.family, label.label, label.ordinal, label.start, label.text_start, end, page, inline)
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            roots.append(node)
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
                while stack and stack[-1].inline:
                    stack.pop()
            current = open_node(label, para.end, para.page, inline=False)
        elif quote is None and _is_closing_formula(text[para.start:para.end]) \
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
            if i == 0:
                current.text_end = item.start
                while stack and stack[-1] is not current:
                    stack.pop()
            end = inline[i + 1].start if i + 1 < len(inline) else para.end
            open_node(item, end, _page_of(paragraphs, item.start), inline=True)
        if quote is not None and _QUOTE_END.search(text, para.start, para.end):
            del stack[quote:]
            quote = None
        elif text[para.start:para.end].rstrip().endswith(_END_MARK):
            stack.clear()  # "Điều 3. … thi hành Quyết định này./.": what follows is an attachment
    return roots


# Quoted wording of an amendment: opened by a quote mark before a label, closed by a quote
# mark ending a paragraph (a full stop, semicolon or "./." may follow it).
_OPEN_QUOTES = "\"“"
_QUOTE_END = regex.compile(r"[\"”]\s*[.;,]?\s*(?:\./\.)?\s*$")
_QUOTED = "quoted:"


# --- task-table rows (SPEC §2b; rows read by extract/tables.py) -----------------------------------
_TABLE_FAMILIES = ("table-group", "table-row")


def _row_under(label: str, parent: str) -> bool:
    """Whether a row's decimal number extends the row above's ("1.2" under "1").

    >>> _row_under("1.2", "1."), _row_under("2", "1")
    (True, False)
    """
    child, above = label.rstrip(". "), parent.rstrip(". ")
    return bool(regex.fullmatch(r"\d+(?:\.\d+)+", child)) and child.startswith(above + ".")


def _row_node(para: Paragraph, stack: list[_Node], roots: list[_Node]) -> bool:
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
    node = _Node(family, para.row.label, None, para.start, para.start, para.end, para.page, False, row=para.row)
    if stack:
        node.parent = stack[-1]
        stack[-1].children.append(node)
    else:
        roots.append(node)
    stack.append(node)
    return True


def _row_kind(node: _Node) -> str:
    """A group row, or a row over numbered rows that names no one and no time, is a heading."""
    assigns = any(role in ("owner", "support", "time") for role, _ in node.row.cells)
    return "heading" if node.row.group or (node.children and not assigns) else "task"


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
        if parts and regex.fullmatch(r"\d+(?:\.\d+)*", bare) and bare.startswith(parts[-1] + "."):
            parts[-1] = bare
        else:
            parts.append(bare)
    return ".".join(parts)


def _freeze(node: _Node, text: str, paragraphs, stem: str, parents: tuple[str, ...],
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
        if node.row is None else _row_kind(node),
        inline=node.inline, children=children, scope_line=node.scope, row=node.row, part=part,
    )


def _numbering_warnings(nodes: list[_Node], paragraphs, parent: Optional[_Node] = None) -> list[Warning]:
    warnings: list[Warning] = []
    previous: dict[str, _Node] = {}
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
        roots = _build_tree(doc.text, group, repairs)
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
