"""Page geometry → paragraphs: the logic shared by text-layer PDFs and OCR.

Both readers hand over `Word`s with boxes in PDF points; this module groups
them into lines and column fragments, drops running headers/footers and page
numbers, splits off the page-1 header block, footnotes and the closing block
(signature, "Nơi nhận:"), and rejoins wrapped lines into the author's
paragraphs using the body's margins, indents and line pitch.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import regex

from ..model import Part, TableRow
from .furniture import (
    annex_title, is_addressee, is_motto, is_recipients, is_signature, is_stamp_line, mark_parts, opens_untitled_annex,
    without_furniture,
)
from .running import drop_running_lines
from ..patterns import compiled

__all__ = ["Word", "Line", "PageLines", "Layout", "layout_document"]


# slots: a 500-page document holds ~300,000 words until layout runs; not frozen: a frozen
# dataclass takes 5x as long to build, and a page builds ~600 of them
@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass
class Line:
    """One visual line, or one column fragment of it (header and signature rows)."""
    page: int
    words: list[Word]
    size: float
    markers: list[str] = field(default_factory=list)  # superscript footnote markers removed
    row: int = 0  # fragments of the same visual row share it

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return _joined(self.words, self.size)

    # Counted without spaces: a word holds none, except the runs `compact` merges.
    @property
    def bold_chars(self) -> int:
        return sum(len(w.text) - w.text.count(" ") for w in self.words if w.bold)

    @property
    def chars(self) -> int:
        return sum(len(w.text) - w.text.count(" ") for w in self.words)

    def compact(self, alone: Callable[[Word], bool] | None = None) -> None:
        """Merge the words after the first into one word per run of one style.

        A page's lines are kept until layout runs (a 500-page file: ~300,000 words); layout
        reads a line's first word by itself (a footnote's marker, "Nơi" of "Nơi nhận:" — whose
        interleaved first six words are all kept) and the rest only as text, boxes and counts,
        which the merged words give unchanged. A word `alone` says is not merged (None: none is).
        """
        keep = 6 if self.words[0].text == "Nơi" else 1
        rest = self.words[keep:]
        if len(rest) < 2:
            return
        words = self.words[:keep]
        lone = [alone(w) for w in rest] if alone is not None else None
        start, previous = 0, rest[0]
        for j in range(1, len(rest) + 1):
            word = rest[j] if j < len(rest) else None
            if word is not None and word.bold == previous.bold and word.size == previous.size \
                    and (lone is None or not (lone[j] or lone[j - 1])):
                previous = word
                continue
            if j - start == 1:
                words.append(rest[start])
            else:
                run = rest[start:j]
                words.append(Word(_joined(run, self.size), run[0].x0, run[-1].x1, min([w.top for w in run]),
                                  max([w.bottom for w in run]), run[0].size, run[0].bold))
            start, previous = j, word
        self.words = words


def _joined(words: list[Word], size: float) -> str:
    """The words as one line of text: pdfplumber splits words on font changes too, so two
    words closer than 0.12 × the size are glued back without a space."""
    parts = [words[0].text]
    for prev, word in zip(words, words[1:]):
        parts.append(("" if word.x0 - prev.x1 < 0.12 * size else " ") + word.text)
    return "".join(parts)


@dataclass
class PageLines:
    number: int
    width: float
    height: float
    lines: list[Line]
    source: str = "text"
    tables: list = field(default_factory=list)  # tables found on the page (pdf_tables.PdfTable)


@dataclass
class Layout:
    header: list[Line]
    body: list[tuple[str, int, bool, str]]  # (paragraph text, page, bold, source)
    footnotes: list[tuple[str, str]]
    recipients: list[Line]
    signature: list[Line]
    # Annexes: (index into `body` of the annex's first paragraph, the annex). SPEC §2a.
    parts: list[tuple[int, Part]] = field(default_factory=list)
    # Task-table rows: index into `body` → the row that paragraph stands for. SPEC §2b.
    rows: dict[int, TableRow] = field(default_factory=dict)
    # Problems found while laying out (a table not read as tasks: `table-skipped`, tables.py).
    warnings: list = field(default_factory=list)


SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_MARKER = compiled(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}")


# --- the body's geometry ----------------------------------------------------------

@dataclass(frozen=True)
class Geometry:
    size: float
    left: float
    right: float
    pitch: float
    center: float


def body_geometry(pages: list[PageLines]) -> Geometry:
    """Body font size, left margin, right margin (justified edge) and line pitch."""
    lines = [l for p in pages for l in p.lines]
    sizes = Counter()
    for l in lines:
        sizes[round(l.size * 2) / 2] += l.chars
    size = sizes.most_common(1)[0][0]
    body = [l for l in lines if abs(l.size - size) <= 1]
    # The margin is the leftmost line start that many lines share. The most common
    # start is the first-line indent when most paragraphs fit on one line.
    starts = Counter(round(l.x0) for l in body)
    shared = [x for x, n in starts.items() if n >= max(2, 0.1 * len(body))]
    left = min(shared) if shared else starts.most_common(1)[0][0]
    ends = sorted(l.x1 for l in body if l.x0 < left + 3 * size)
    right = ends[int(0.9 * (len(ends) - 1))] if ends else max(l.x1 for l in body)
    # Membership by identity: `line in body` compared dataclasses field by field,
    # quadratic in the number of lines (a quarter of a second on 22 pages).
    in_body = {id(l) for l in body}
    pitches = [b.bottom - a.bottom for p in pages for a, b in zip(p.lines, p.lines[1:])
               if id(a) in in_body and id(b) in in_body and 0 < b.bottom - a.bottom < 3 * size]
    pitch = statistics.median(pitches) if pitches else 1.25 * size
    return Geometry(size, left, right, pitch, (left + right) / 2)


# --- header, closing and footnotes ------------------------------------------------

_CLAUSE_START = compiled(
    r"""^(?:
        Điều \s+ \d+ \s* [.:]           # articles
      | [A-H] \s? [-–.] \s              # part letters
      | [IVXLC]+ \s? [-–.]              # Roman sections
      | \d+ (?:\.\d+)* \.?\s*[-–.)]?    # decimals 1. 2.1. and "1-"
      | \( [\p{L}\d]{1,4} \)            # (1) (i2) (a)
      | \p{Ll} \)                       # a)
      | [-+–•]                          # bullets
    )""",
    regex.VERBOSE,
)
# A centred line that opens a numbered section belongs to the body, not the header.
_SECTION_TITLE = compiled(
    r"^(?:(?:[IVX]{1,4}|[A-H])\s?[-–./]\s*\p{Lu}|(?:PHẦN|Phần|CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+|thứ)\b)")
_PREAMBLE_START = compiled(r"^(?:Căn cứ|Thực hiện|Xét|Theo|Sau khi|Trên cơ sở|Qua)\b")


def _is_centered(line: Line, geo: Geometry) -> bool:
    if abs(line.x0 - geo.left) < 0.5 * geo.size:
        return False  # it starts at the margin: a body line (a short page's margins are guesses)
    return abs((line.x0 + line.x1) / 2 - geo.center) < 0.6 * geo.size


def body_start(page: PageLines, geo: Geometry) -> int:
    """Index of the first body line on page 1; lines before it are the header block.

    The header is centered or two-column; the body opens with an indented,
    left-aligned line that reaches the right margin, a preamble ("Căn cứ …")
    or a clause label.
    """
    lines = page.lines
    for i, line in enumerate(lines):
        alone = sum(1 for l in lines if l.row == line.row) == 1
        if alone and i > 0 and _is_centered(line, geo) and _SECTION_TITLE.match(line.text):
            return i  # "I/ MỤC TIÊU" centred straight under the title, with no preamble
        if not alone or line.x0 > page.width / 2 or _is_centered(line, geo):
            continue
        text = line.text
        if text[:1].islower():
            continue  # a title's run-on line ("thực hiện Nghị quyết …"): a body paragraph opens with a capital
        # A line in capitals reaching the right margin is the header's two columns run together
        # (OCR closes the gap: "HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI …"), not the body's first line.
        if (line.x1 >= geo.right - 2 * geo.size and not text.isupper()) or _PREAMBLE_START.match(text):
            return i
        if line.x0 > geo.left + 0.5 * geo.size and _CLAUSE_START.match(text) and i > 0:
            return i
    return 0


def _closing_start(line: Line, page: PageLines) -> bool:
    # "Nơi nhận:" set in a smaller italic beside the first recipient shares its row, and the
    # two interleave word by word ("Nơi- Thườngnhận:trực …"): its two words still open the block.
    words = [w.text for w in line.words[:6]]
    if is_recipients(line.text) or (words and words[0] == "Nơi" and any(is_recipients("Nơi " + w) for w in words)):
        return True
    return line.x0 > page.width / 2 and is_signature(line.text)


def _footnote_start(line: Line, geo: Geometry) -> bool:
    """A smaller-type line opening with a number: the marker itself raised/smaller, or the whole line small."""
    first = line.words[0]
    if len(line.words) < 2 or not _MARKER.fullmatch(first.text) or line.size > geo.size - 0.5:
        return False
    return first.size < 0.85 * line.size or line.size < 0.88 * geo.size


# --- paragraphs ---------------------------------------------------------------------

_SENTENCE_END = compiled(r"[.:;!?…)”\"]\s*$")
_NUMBER_TAIL = compiled(r"[\p{L}\d][-/]$")  # "216-" / "152/" : a document number goes on


# OCR gives a line's size from its ink height: a short line ("Điều 3.", "20/11/2015;")
# without accents or descenders reads several points small. Its size says nothing below this.
_OCR_SIZE_MIN_CHARS = 25


def _starts_paragraph(prev: Line | None, cur: Line, geo: Geometry, ocr: bool = False) -> bool:
    if prev is None:
        return True
    if prev.page == cur.page and cur.bottom - prev.bottom > 1.25 * geo.pitch + 0.5:
        return True
    sizes_known = not ocr or min(prev.chars, cur.chars) >= _OCR_SIZE_MIN_CHARS
    if sizes_known and abs(cur.size - prev.size) > 1.5:
        return True
    prev_short = prev.x1 < geo.right - 2.5 * geo.size
    prev_text = prev.text
    if not prev_short and not _SENTENCE_END.search(prev_text) and not _CLAUSE_START.match(cur.text):
        # A full line that stops mid-sentence goes on, whatever the next line's
        # start says: OCR'd line starts wobble around the indent.
        return False
    if cur.x0 > geo.left + 0.5 * geo.size:
        return True  # first-line indent (or a centered line)
    return prev_short and (bool(_SENTENCE_END.search(prev_text)) or bool(_CLAUSE_START.match(cur.text)))


def join_lines(prev: str, cur: str) -> str:
    """Join a wrapped line to its paragraph.

    Vietnamese does not hyphenate syllables, so a line-final "-" or "/" glued to
    a word is part of a number ("Quy định số 216-" / "QĐ/TU") and joins without a space.

    >>> join_lines("Quy định số 216-", "QĐ/TU ngày"), join_lines("nhiệm kỳ 2025 -", "2030")
    ('Quy định số 216-QĐ/TU ngày', 'nhiệm kỳ 2025 - 2030')
    """
    if _NUMBER_TAIL.search(prev[-3:]):  # its match is the last two characters (and a final "\n")
        return prev + cur
    return prev + " " + cur


def paragraphs_from_lines(lines: list[Line], geo: Geometry, sources: dict[int, str]) -> list[tuple[str, int, bool, str]]:
    paragraphs: list[tuple[str, int, bool, str]] = []
    text, page, bold, chars = "", 0, 0, 0
    prev: Line | None = None
    for line in lines:
        if _starts_paragraph(prev, line, geo, ocr="ocr" in (sources[line.page], prev and sources[prev.page])):
            if text:
                paragraphs.append((text, page, bold * 2 > chars, sources[page]))
            text, page, bold, chars = line.text, line.page, line.bold_chars, line.chars
        else:
            text = join_lines(text, line.text)
            bold, chars = bold + line.bold_chars, chars + line.chars
        prev = line
    if text:
        paragraphs.append((text, page, bold * 2 > chars, sources[page]))
    return paragraphs


def layout_document(pages: list[PageLines]) -> Layout:
    """Split pages of lines into header, body paragraphs, footnotes, closing block and annexes.

    After a closing block ("Nơi nhận:", the signature) lines are furniture until an annex's
    title ("KẾ HOẠCH", "PHỤ LỤC I", extract/furniture.py); the body resumes there and the
    annex becomes a part (SPEC §2a). Only the first closing block, up to the national motto
    an annex repeats on its first page, gives the recipients and the signature. Stamp lines
    ("Ký bởi: …", "Thời gian ký: …") are dropped wherever they are.
    """
    drop_running_lines(pages)
    for page in pages:
        page.lines = [line for line in page.lines if not is_stamp_line(line.text)]
    if not any(p.lines for p in pages):
        return Layout([], [], [], [], [])
    geo = body_geometry([p for p in pages if p.lines])
    header: list[Line] = []
    runs: list[list[Line]] = [[]]  # body lines, a new run wherever the body resumes after a closing block
    footnotes: list[tuple[str, str]] = []
    recipients: list[Line] = []
    signature: list[Line] = []
    closing = False
    closings = 0
    for page in pages:
        lines = page.lines
        if page is pages[0]:
            start = body_start(page, geo)
            header, lines = lines[:start], lines[start:]
        in_footnote = False
        for line in lines:
            if closing and (annex_title(line.text, after_closing=True) or opens_untitled_annex(line.text)):
                closing = False
                runs.append([])
            elif not closing and _closing_start(line, page):
                closing, closings = True, closings + 1
            if closing:
                if closings > 1 or is_motto(line.text):
                    closings = max(closings, 2)  # an annex's header or its own closing: furniture
                elif is_recipients(line.text) or line.x0 < page.width / 2:
                    recipients.append(line)
                else:
                    signature.append(line)
                continue
            if not in_footnote and _footnote_start(line, geo) and line.top > page.height / 2:
                in_footnote = True
            if in_footnote:
                if _footnote_start(line, geo):
                    footnotes.append((line.words[0].text, Line(line.page, line.words[1:], line.size).text))
                elif footnotes:
                    footnotes[-1] = (footnotes[-1][0], join_lines(footnotes[-1][1], line.text))
                continue
            runs[-1].append(line)
    sources = {p.number: p.source for p in pages}
    paragraphs: list[tuple[str, int, bool, str]] = []
    resumes: set[int] = set()
    for k, run in enumerate(runs):
        if k:
            resumes.add(len(paragraphs))
        paragraphs += paragraphs_from_lines(run, geo, sources)
    addressed = bool(header) and is_addressee(header[-1].text)  # "Kính gửi:" closed the header block
    parts, title_blocks = mark_parts([p[0] for p in paragraphs], [p[1] for p in paragraphs], resumes, addressed)
    body, parts = without_furniture(paragraphs, parts, title_blocks)
    return Layout(header, body, footnotes, recipients, signature, parts)
