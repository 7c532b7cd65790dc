"""E-signature stamps that fill the header's blanks (text-layer PDFs).

Offices print "Số:      /KH-UBND" and "ngày     tháng    năm 2026" with blanks, and the
signing software writes the number and the day into signature widgets laid over those
blanks. The digits live in the widgets' appearance streams, not in the page's text, so
pdfplumber never sees them ("Số:" and "/KH-UBND" come out with nothing between). This
module renders the appearance streams of page 1's widgets with pdfminer and slots each
word into the printed line whose blank it covers; a stamp word that covers no printed
line (the signature image's caption, a seal) is left out.
"""
from __future__ import annotations

from pathlib import Path

from .layout import Line, PageLines, Word

__all__ = ["stamp_words", "fill_stamp_blanks"]


def _chars(item):
    from pdfminer.layout import LTChar

    if isinstance(item, LTChar):
        yield item
        return
    for child in getattr(item, "_objs", ()) or ():
        yield from _chars(child)


def _words_from_chars(chars, page_height: float) -> list[Word]:
    """Characters in reading order → words, split at spaces and gaps wider than a third of the size."""
    words: list[Word] = []
    text, box = "", None
    for ch in sorted(chars, key=lambda c: (round(-c.y1), c.x0)):
        size = ch.size or (ch.y1 - ch.y0)
        top, bottom = page_height - ch.y1, page_height - ch.y0
        gap = ch.x0 - box[1] if box else 0
        if box and (not ch.get_text().strip() or gap > 0.33 * size or abs(top - box[2]) > 0.5 * size):
            if text.strip():
                words.append(Word(text.strip(), box[0], box[1], box[2], box[3], box[4]))
            text, box = "", None
        if not ch.get_text().strip():
            continue
        text += ch.get_text()
        box = [ch.x0, ch.x1, top, bottom, size] if box is None else [box[0], ch.x1, min(box[2], top),
                                                                   max(box[3], bottom), box[4]]
    if box and text.strip():
        words.append(Word(text.strip(), box[0], box[1], box[2], box[3], box[4]))
    return words


def stamp_words(path: Path, page_index: int = 0) -> list[Word]:
    """The words written by the annotation appearance streams of one page (pdfplumber's boxes).

    Any failure of an unusual annotation yields no words: the stamp is a bonus, never a reason
    to fail the whole document.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    words: list[Word] = []
    try:
        with open(path, "rb") as handle:
            document = PDFDocument(PDFParser(handle))
            page = next((p for i, p in enumerate(PDFPage.create_pages(document)) if i == page_index), None)
            if page is None or not page.annots:
                return []
            # pdfminer's interpreter only for a page with annotations (its import costs ~10 ms)
            from pdfminer.converter import PDFPageAggregator
            from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

            height = page.mediabox[3] - page.mediabox[1]
            manager = PDFResourceManager()
            for annot in resolve1(page.annots) or []:
                annot = resolve1(annot)
                appearance = resolve1((resolve1(annot.get("AP")) or {}).get("N")) if isinstance(annot, dict) else None
                if appearance is None or not hasattr(appearance, "attrs"):
                    continue
                x0, y0, x1, y1 = (float(v) for v in resolve1(annot["Rect"]))
                bx0, by0, bx1, by1 = (float(v) for v in resolve1(appearance.attrs.get("BBox", [0, 0, 1, 1])))
                sx = (x1 - x0) / (bx1 - bx0) if bx1 != bx0 else 1.0
                sy = (y1 - y0) / (by1 - by0) if by1 != by0 else 1.0
                ctm = (sx, 0, 0, sy, min(x0, x1) - bx0 * sx, min(y0, y1) - by0 * sy)
                device = PDFPageAggregator(manager)
                interpreter = PDFPageInterpreter(manager, device)
                device.begin_page(page, (1, 0, 0, 1, 0, 0))
                interpreter.render_contents(resolve1(appearance.attrs.get("Resources")) or {}, [appearance], ctm=ctm)
                device.end_page(page)
                words += _words_from_chars(list(_chars(device.get_result())), height)
    except Exception:  # noqa: BLE001 - a damaged annotation must not cost the document
        return words
    return words


def _covers(word: Word, line: Line) -> bool:
    mid = (word.top + word.bottom) / 2
    return line.top - 0.3 * line.size <= mid <= line.bottom + 0.3 * line.size


def fill_stamp_blanks(page: PageLines, words: list[Word]) -> None:
    """Slot stamp words into the printed lines whose blanks they cover, in place.

    A word lying in the gap between two column fragments of one row fills that gap:
    the fragments and the word become one line ("Số:" + "173" + "/KH-UBND").
    """
    for word in words:
        row = sorted((l for l in page.lines if _covers(word, l)), key=lambda l: l.x0)
        if not row:
            continue
        left = [l for l in row if l.x0 <= word.x0]
        right = [l for l in row if l.x0 > word.x0]
        target = left[-1] if left else right[0]
        if target.x1 < word.x0 - 6 * target.size:
            continue  # far from any printed words on its row: not a blank of this line
        target.words = sorted(target.words + [word], key=lambda w: w.x0)
        if right and left and right[0].row == target.row and right[0].x0 - word.x1 < 6 * target.size:
            target.words = target.words + right[0].words  # the blank joined two fragments
            page.lines.remove(right[0])
