"""Text-layer PDFs with pdfplumber: words with font name and size → layout lines.

Pages without a text layer are handed to OCR (see ocr.py) page by page, so a
scan with a typed cover page still reads.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CorruptFileError, EmptyDocumentError, EncryptedPdfError
from .layout import PageLines, Word, lines_from_words

__all__ = ["open_pdf", "pdf_pages"]


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
    """Read every page's lines; pages with no text layer go through OCR when allowed.

    `ocr`: "auto" (OCR pages without text), "always", or "never".
    """
    from . import ocr as ocr_module

    pages: list[PageLines] = []
    pdf = open_pdf(path)
    try:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                words = [] if ocr == "always" else page_words(page)
                width, height = float(page.width), float(page.height)
            finally:
                page.close()  # pdfplumber caches layout objects per page; memory stays flat
            if words:
                pages.append(PageLines(number, width, height, lines_from_words(words, number), "text"))
            elif ocr == "never":
                pages.append(PageLines(number, width, height, [], "text"))
            else:
                ocr_module.check_deadline(deadline, path)
                words = ocr_module.ocr_pdf_page(path, number - 1)
                pages.append(PageLines(number, width, height, lines_from_words(words, number), "ocr"))
    finally:
        pdf.close()
    return pages
