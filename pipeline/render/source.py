"""A corpus document as the renderers read it: front matter, body paragraphs, and how each prints.

The format is described in corpus/README.md; pdf.py and docx.py share this reading,
so a heading is bold in both.

>>> [style for _, style in styled_paragraphs(load_source(Path("corpus/kh_ubnd_xa.txt")))][:2]
['body', 'bold']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.errors import InputError

__all__ = ["CorpusSource", "load_source", "paragraph_style", "styled_paragraphs", "FOOTNOTE_MARKER", "HEADING_LABEL"]

FOOTNOTE_MARKER = re.compile(r"\[\^(?P<n>\d+)\]")

# Paragraphs printed bold: parts, Roman sections, chapters, articles (their labels).
HEADING_LABEL = re.compile(r"""
    ^(?:
        [A-H] \s? [-–.] \s            # part letters: "A- MỤC ĐÍCH"
      | [IVX]+ \s? [-–.] \s           # Roman sections: "II. MỤC TIÊU"
      | Chương \s+ [IVXLC\d]+ \b      # chapters
      | Điều \s+ \d+ \s* [.:]         # articles
    )""", re.VERBOSE)
# A short decimal-numbered line without a final stop is a title: "1.1. Văn phòng Đảng ủy".
DECIMAL_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s*\S[^.;]*$")
ANY_LABEL = re.compile(r"^(?:[A-H]\s?[-–.]\s|[IVX]+\s?[-–.]\s|Chương\s|Điều\s+\d|\d{1,2}\.|\(\w+\)|[a-zđ]\)|[-+•–]\s)")
SHORT_TITLE = 110  # characters; longer numbered lines are running text


@dataclass(frozen=True)
class CorpusSource:
    """One corpus document: its front matter (header, signature, footnotes) and body paragraphs."""
    path: Path
    meta: dict = field(default_factory=dict)
    paragraphs: tuple[str, ...] = ()

    def footnote(self, marker: str) -> str:
        notes = self.meta.get("footnotes") or {}
        return str(notes.get(int(marker), notes.get(marker, "")))


def load_source(path: Path) -> CorpusSource:
    """Read a corpus .txt file: YAML front matter between '---' lines, then one paragraph per line.

    >>> src = load_source(Path("corpus/kh_ubnd_xa.txt"))
    >>> src.meta["kind"], src.paragraphs[1]
    ('KẾ HOẠCH', 'I. MỤC ĐÍCH, YÊU CẦU')
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such corpus file", path)
    raw = path.read_text(encoding="utf-8")
    parts = raw.split("---\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise InputError("no YAML front matter between '---' lines", path,
                         hint="Start the file with the header fields described in corpus/README.md.")
    meta = yaml.safe_load(parts[1]) or {}
    paragraphs = tuple(line.strip() for line in parts[2].splitlines() if line.strip())
    return CorpusSource(path=path, meta=meta, paragraphs=paragraphs)


def paragraph_style(text: str, *, before_first_label: bool, after_chapter: bool) -> str:
    """How a body paragraph prints: "centre" (bold, centred), "bold", "label" (bold label only) or "body".

    >>> paragraph_style("QUYẾT NGHỊ:", before_first_label=True, after_chapter=False)
    'centre'
    >>> paragraph_style("1.1. Văn phòng Đảng ủy", before_first_label=False, after_chapter=False)
    'bold'
    """
    letters = [c for c in text if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    if text.startswith("Chương ") and HEADING_LABEL.match(text):
        return "centre"
    if capitals and (before_first_label or after_chapter) and not ANY_LABEL.match(text):
        return "centre"
    if capitals or (HEADING_LABEL.match(text) and len(text) <= SHORT_TITLE):
        return "bold"
    if HEADING_LABEL.match(text):
        return "label"
    if DECIMAL_TITLE.match(text) and len(text) <= SHORT_TITLE:
        return "bold"
    return "body"


def styled_paragraphs(src: CorpusSource):
    """(text, style) for every body paragraph, in order."""
    seen_label, after_chapter = False, False
    for text in src.paragraphs:
        style = paragraph_style(text, before_first_label=not seen_label, after_chapter=after_chapter)
        after_chapter = text.startswith("Chương ") and style == "centre"
        seen_label = seen_label or bool(ANY_LABEL.match(text))
        yield text, style
