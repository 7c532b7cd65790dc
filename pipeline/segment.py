"""Segment: a document's normalised paragraphs → the clause tree of SPEC §2.

Labels are found at the start of a paragraph (families in models/labels.yaml) and
inline, as unbroken enumerations inside a paragraph ("…: (1) - Phấn đấu …; (2) - …").
Nesting is inferred from the document itself: a stack holds the families that
are open, a label whose family is open closes everything below it and becomes a
sibling, and a new family opens one level deeper. So a document that puts `a)`
under `1.` and one that puts `(1)` under `a)` both come out right.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex
import yaml

from .fold import fold
from .extract.furniture import mark_parts
from .model import Clause, Document, Paragraph, Part, TableRow, Warning, replace

__all__ = ["segment", "find_line_label", "schedule_line", "is_findings_title", "LabelMatch"]

MODELS = Path(__file__).resolve().parent.parent / "models"
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True)
class LabelMatch:
    family: str
    label: str
    ordinal: Optional[int]
    start: int  # of the label
    text_start: int  # of the words after the label and its separator


@dataclass(frozen=True)
class _Family:
    name: str
    ordinal_kind: Optional[str]
    pattern: "regex.Pattern"


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[_Family, ...], frozenset[str]]:
    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    families = tuple(
        _Family(f["name"], f.get("ordinal"), regex.compile(f["pattern"], regex.VERBOSE))
        for f in data["families"]
    )
    return families, frozenset(data["inline_families"])


@lru_cache(maxsize=1)
def _kind_rules() -> dict:
    return yaml.safe_load((MODELS / "kinds.yaml").read_text(encoding="utf-8"))


def _ordinal(kind: Optional[str], n: Optional[str]) -> Optional[int]:
    if not kind or not n:
        return None
    if kind in ("int", "decimal"):
        return int(n.rsplit(".", 1)[-1])
    if kind == "i_int":
        return int(n[1:])
    if kind == "letter":
        return VIETNAMESE_LETTERS.find(n.lower()) + 1 or None
    if kind in ("roman", "roman_or_int"):
        if n.isdigit():
            return int(n)
        total = 0
        for ch, nxt in zip(n, n[1:] + " "):
            value = ROMAN[ch]
            total += -value if ROMAN.get(nxt, 0) > value else value
        return total
    return None


def _family_key(family: _Family, m: "regex.Match") -> str:
    # Each depth of decimal numbering is its own level: "1.1." nests under "1.",
    # "2.1-" under "2-".
    if family.ordinal_kind == "decimal":
        n = m.group("n") or m.groupdict().get("n2")
        return f"{family.name}:{n.count('.') + 1}"
    return family.name


def _is_multilevel(family_key: str) -> bool:
    """Whether a family key names one depth of a numbering that nests by its digits ("decimal:2")."""
    return family_key.split(":")[0] in ("decimal", "dash_number") and ":" in family_key


def find_line_label(text: str, pos: int = 0, endpos: Optional[int] = None) -> Optional[LabelMatch]:
    """The clause label opening `text` at `pos`, if any.

    >>> find_line_label("1.1.Tăng cường kỷ luật").label
    '1.1.'
    """
    families, _ = _families()
    for family in families:
        m = family.pattern.match(text, pos, endpos if endpos is not None else len(text))
        if m:
            n = m.groupdict().get("n") or m.groupdict().get("n2")
            label = " ".join(m.group("label").split())
            return LabelMatch(_family_key(family, m), label, _ordinal(family.ordinal_kind, n), m.start(), m.end())
    return None


# An inline label opens after a clause-ending mark or at the start of the words.
_INLINE_CANDIDATE = regex.compile(
    r"""(?:(?<=[:;.,]\s{0,3})|(?<=\s))     # after a mark, or a space for later items
        (?=\(\d{1,2}\)|\(i\d{1,2}\)|\([a-zđ]\)|[a-zđ]\)\s)""",
    regex.VERBOSE,
)
_AFTER_MARK = regex.compile(r"[:;.,]\s*$")


def _inline_labels(text: str, start: int, end: int, last_ordinal: dict[str, int]) -> list[LabelMatch]:
    """Inline enumeration labels in text[start:end], kept only as unbroken sequences."""
    families, inline = _families()
    by_name = {f.name: f for f in families}
    found: list[LabelMatch] = []
    for cand in _INLINE_CANDIDATE.finditer(text, start, end):
        pos = cand.start()
        for name in ("paren_i", "paren_int", "paren_letter", "letter"):
            if name not in inline:
                continue
            m = by_name[name].pattern.match(text, pos, end)
            if not m:
                continue
            ordinal = _ordinal(by_name[name].ordinal_kind, m.group("n"))
            label = LabelMatch(name, m.group("label"), ordinal, m.start(), m.end())
            if found and found[-1].family == name:
                ok = ordinal == found[-1].ordinal + 1
            else:
                # The first item of a run follows a clause-ending mark (or opens the
                # words) and starts a sequence or continues the previous one.
                before = text[max(start, pos - 4):pos]
                opens = pos == start or bool(_AFTER_MARK.search(before))
                ok = opens and not found and ordinal in (1, last_ordinal.get(name, 0) + 1)
            if ok:
                found.append(label)
            break
    return found


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
        inline = _inline_labels(text, max(current.text_start, para.start), para.end, last_ordinal)
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


def _row_node(para: Paragraph, stack: list[_Node], roots: list[_Node]) -> bool:
    """Open the clause of a task-table row; True when `para` is one.

    A row nests under the group row above it ("I", "A"), the table under the clause it
    sits in (or at the top of its part). A paragraph after the table closes the table's
    rows, so its words never run on into the last row.
    """
    if para.row is None:
        while stack and stack[-1].family in _TABLE_FAMILIES:
            stack.pop()
        return False
    family = "table-group" if para.row.group else "table-row"
    while stack and (stack[-1].family == "table-row" or (para.row.group and stack[-1].family == "table-group")):
        stack.pop()
    node = _Node(family, para.row.label, None, para.start, para.start, para.end, para.page, False, row=para.row)
    if stack:
        node.parent = stack[-1]
        stack[-1].children.append(node)
    else:
        roots.append(node)
    stack.append(node)
    return True


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


def _all_caps(words: str) -> bool:
    letters = [ch for ch in words if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _looks_like_title(words: str) -> bool:
    rules = _kind_rules()
    words = words.strip()
    if _all_caps(words.split("\n", 1)[0]):
        return True  # an upper-case first line is a title even with a paragraph under it
    if len(words) > rules["title_max_chars"] or words.endswith((".", ";")):
        return False
    if words.endswith(":") and len(words) > rules["colon_title_max_chars"]:
        # A topic word, a body or a section's own name ("Kết quả thực hiện một số
        # chỉ tiêu chủ yếu:") opens a title; anything else is a sentence.
        folded = fold(words)
        section_names = [p for phrases in rules["section_words"].values() for p in phrases]
        return any(folded == p or folded.startswith(p + " ") for p in rules["heading_openers"] + section_names)
    return True


def _section_kind(words: str) -> Optional[str]:
    # Only the title part speaks for a section: the words before ":" or the line end.
    title = regex.split(r"[:\n]", words, maxsplit=1)[0][:120]
    folded = f" {fold(title)} "
    hits = {kind for kind, phrases in _kind_rules()["section_words"].items()
            if any(f" {p} " in folded for p in phrases)}
    return hits.pop() if len(hits) == 1 else None


def is_findings_title(words: str) -> bool:
    """Whether a clause's title part names a findings section ("Kết quả đạt được", "Hạn chế").

    >>> is_findings_title("Một số tồn tại, hạn chế: Đến nay còn 02/16 chỉ tiêu chưa đạt")
    True
    """
    title = regex.split(r"[:\n]", words, maxsplit=1)[0][:120]
    folded = f" {fold(title)} "
    return any(f" {p} " in folded for p in _kind_rules()["findings_words"])


def _kind(words: str, child_kinds: list[str], titles_above: list[str], points_inline: bool = False) -> str:
    """heading | task | target | other, from the clause's shape and the titles above it."""
    rules = _kind_rules()
    if child_kinds:
        if _looks_like_title(words):
            return "heading"
        # A goal statement over sections is a heading too; one that ends with ":"
        # introduces its children as its own work, and is a task.
        if all(k == "heading" for k in child_kinds) and not words.rstrip().endswith(":"):
            return "heading"
    folded = fold(words)
    early = f" {folded[:60]} "
    if any(folded.startswith(p) for p in rules["other_openers"]) or any(p in folded for p in rules["other_phrases"]) \
            or any(f" {p} " in early for p in rules["other_verbs_early"]):
        return "other"
    # A clause that opens with its own title line or a short "Title:" lead-in
    # ("Một số tồn tại, hạn chế: …") is judged by that title first.
    lead = regex.match(r"([^\n:]{1,80})(?::|\n)", words)
    own_title = [lead.group(1)] if lead and not lead.group(1).rstrip().endswith(".") else []
    # A "Tỷ lệ …" under a findings title reports a result reached, not an indicator to reach.
    in_findings = any(is_findings_title(t) for t in own_title + titles_above)
    if not child_kinds and not in_findings and any(folded.startswith(p) for p in rules["target_openers"]):
        return "target"
    for title in own_title + list(reversed(titles_above)):
        decided = _section_kind(title)
        if decided == "target" and child_kinds:
            decided = "task"  # a clause with points under it assigns them; indicators are leaves
        if decided == "other" and child_kinds and not points_inline and words.rstrip().endswith(":"):
            # Where nothing is assigned, a line introducing points on lines of their
            # own is their title; one running into inline "(i1) …" is a sentence.
            decided = "heading"
        if decided:
            return decided
    return "task"


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
    is_title = bool(node.children) and _looks_like_title(words)
    titles = ancestors + [words] if is_title else ancestors
    children = tuple(_freeze(c, text, paragraphs, stem, path, titles, seen, part) for c in node.children)
    return Clause(
        id=f"{stem}/{key}", label=node.label, path=path, text=words, start=start, end=end,
        label_start=node.label_start, tree_end=max(end, node.tree_end()), page=node.page,
        kind=_kind(words, [c.kind for c in children], ancestors, bool(children) and children[0].inline)
        if node.row is None else ("heading" if node.row.group else "task"),
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
        if _is_multilevel(node.family) and not node.family.endswith(":1"):
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
