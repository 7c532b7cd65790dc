"""Layout → `Extracted`: normalise each paragraph, join them, record offsets and pages."""
from __future__ import annotations

from ..model import Extracted, Paragraph, Warning
from .furniture import furniture_rules
from .header import read_header
from .layout import Layout
from .normalize import clean_spaces, modern_tone_marks, nfc
from .repair import repair_ocr_paragraph

__all__ = ["assemble"]


def assemble(layout: Layout, page_sources: list[str]) -> Extracted:
    """Build the Extracted value; `original` keeps the author's tone marks at the same offsets."""
    originals: list[str] = []
    paragraphs: list[Paragraph] = []
    warnings: list[Warning] = list(layout.warnings)  # e.g. table-skipped (tables.py)
    offset = 0
    starts = {index: part.ordinal for index, part in layout.parts}
    part = 0
    for index, (text, page, bold, source) in enumerate(layout.body):
        part = starts.get(index, part)
        text = clean_spaces(nfc(text))
        if not text:
            continue
        if source == "ocr":
            text, notes = repair_ocr_paragraph(text)
            warnings.extend(Warning("ocr-number", note, page) for note in notes)
        originals.append(text)
        paragraphs.append(Paragraph(offset, offset + len(text), page, "body", bold, source,
                                    part=part, row=layout.rows.get(index)))
        offset += len(text) + 1
    original = "\n".join(originals)
    info, header_warnings = read_header(layout.header, layout.signature)
    warnings.extend(header_warnings)
    untitled = [part for _, part in layout.parts if part.kind is None and part.title == furniture_rules()["untitled_annex"]]
    warnings.extend(Warning("annex-untitled", f"annex {part.ordinal} prints no title: called \"{part.title}\"",
                            part.page) for part in untitled)
    footnotes = tuple((m, modern_tone_marks(clean_spaces(nfc(t)))) for m, t in layout.footnotes)
    return Extracted(
        text=modern_tone_marks(original),
        paragraphs=tuple(paragraphs),
        pages=len(page_sources),
        info=info,
        page_sources=tuple(page_sources),
        original=original,
        footnotes=footnotes,
        warnings=tuple(warnings),
        parts=tuple(part for _, part in layout.parts),
    )
