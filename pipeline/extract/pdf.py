"""Text-layer PDFs with pdfplumber: words with font name and size → layout lines.

Pages without a text layer, or with one judged unusable (textlayer.py: glyphs mapped
to wrong code points), are handed to OCR (see ocr.py), so a scan with a typed cover
page still reads; a legacy-font page is repaired by its exact conversion table.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..errors import CorruptFileError, EmptyDocumentError, EncryptedPdfError
from .layout import PageLines, Word, lines_from_words
from .pdf_tables import take_tables
from .legacy import convert
from .textlayer import judge_text, legacy_repair

__all__ = ["open_pdf", "pdf_pages", "read_pdf"]

# OCR word boxes are tight around the ink and a scan's type size is only estimated: two
# header columns set close ("HỘI ĐỒNG NHÂN DÂN    CỘNG HÒA XÃ HỘI …", 2.0 × the size
# apart on the Hà Nội scan) split at a narrower gap than text-layer lines need.
OCR_COLUMN_GAP = 1.6


def open_pdf(path: Path):
    """Open with pdfplumber, turning pdfminer's failures into named errors."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError

    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # forces the page tree: truncated files fail here, not later
    except Exception as exc:  # pdfplumber wraps pdfminer errors in PdfminerException
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(exc, PDFPasswordIncorrect):
            raise EncryptedPdfError("the PDF is protected by a password", path) from exc
        raise CorruptFileError(f"cannot read the PDF ({type(cause).__name__}: {cause})", path) from exc
    if not pdf.pages:
        pdf.close()
        raise EmptyDocumentError("the PDF has no pages", path)
    return pdf


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "-bd"))


def page_words(page) -> list[Word]:
    """One extract_words call per page; font attributes split words at style changes."""
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"], _is_bold(w.get("fontname", "")))
        for w in page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
        if w["text"].strip()
    ]


def pdf_pages(path: Path, *, ocr: str = "auto", deadline: float | None = None) -> list[PageLines]:
    """Every page's lines (see read_pdf)."""
    return read_pdf(path, ocr=ocr, deadline=deadline)[0]


def read_pdf(path: Path, *, ocr: str = "auto", deadline: float | None = None,
             budget: Callable[[float], None] | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[list[PageLines], list[int]]:
    """Read every page's lines; pages with no usable text layer are repaired or OCRed.

    `ocr`: "auto" (OCR pages without usable text), "always", or "never". Each page's
    `source` says where its text came from: "text", "repair" (a legacy font mapping
    recovered exactly) or "ocr". Returns the pages and the numbers of the pages whose
    text layer was judged unusable (textlayer.py); with ocr="never" those are left empty.
    `budget` is told the seconds the pages may take (ocr.budget_seconds): when they are
    counted, and again when the pages needing OCR are known.
    """
    from . import ocr as ocr_module

    pages: list[PageLines] = []
    unusable: list[int] = []
    to_ocr: list[int] = []
    pdf = open_pdf(path)
    if budget:
        budget(ocr_module.budget_seconds(len(pdf.pages), 0))
    try:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                words = [] if ocr == "always" else page_words(page)
                # Task tables (pdf_tables.py): their words leave the page, a marker holds their place.
                words, tables = take_tables(page, number, words, sum(len(p.tables) for p in pages))
                width, height = float(page.width), float(page.height)
            finally:
                page.close()  # pdfplumber caches layout objects per page; memory stays flat
            words, source, judged_unusable = _usable_words(words)
            if words or ocr == "never":
                result = PageLines(number, width, height, lines_from_words(words, number), source if words else "text")
            else:
                result = PageLines(number, width, height, [], "ocr")
                to_ocr.append(number - 1)
            if judged_unusable:
                unusable.append(number)
            result.tables = tables if result.lines else []
            pages.append(result)
    finally:
        pdf.close()
    if to_ocr:
        if budget:
            budget(ocr_module.budget_seconds(len(pages), len(to_ocr)))
        ocr_module.check_deadline(deadline, path)
        read = ocr_module.ocr_pdf_pages(path, to_ocr, deadline=deadline, progress=progress)
        for index, words in read.items():
            pages[index].lines = lines_from_words(words, index + 1, column_gap=OCR_COLUMN_GAP)
    return pages, unusable


def _usable_words(words: list[Word]) -> tuple[list[Word], str, bool]:
    """The page's words if its text layer is usable, repaired if exactly repairable, else none.

    Returns (words, source, whether the text layer was judged unusable).
    """
    if not words:
        return words, "text", False
    text = " ".join(w.text for w in words)
    if judge_text(text).usable:
        return words, "text", False
    encoding = legacy_repair(text)
    if encoding:
        return [replace(w, text=convert(w.text, encoding)) for w in words], "repair", True
    return [], "ocr", True
