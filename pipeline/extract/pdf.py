"""Text-layer PDFs: words with font name and size → layout lines.

Two engines read a page's words, with the same result: "pdfium" (the default; pdfium's
character boxes regrouped as pdfplumber groups them, pdfium_words.py) and "pdfplumber"
(`extract_words`, ~7× slower: pdfminer interprets the content stream in Python). pdfminer
opens every file either way (its errors name a damaged or encrypted file); the fast engine
makes pdfplumber's page only for a page it leaves to pdfplumber (pdfminer_pages.py). Ruled tables are
found by pdfplumber's TableFinder, fed by the fast engine from pdfium's paths and characters
(pdfium_tables.py), and asked only about pages whose rules could form a grid (pdf_rules.py).

Pages without a text layer, or with one judged unusable (textlayer.py: glyphs mapped
to wrong code points), are handed to OCR (see ocr.py), so a scan with a typed cover
page still reads; a legacy-font page is repaired by its exact conversion table.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..errors import CorruptFileError, EmptyDocumentError, EncryptedPdfError
from .layout import PageLines, Word
from .lines import lines_from_words
from .pdf_tables import is_table_marker, take_tables
from .pdfium_words import is_bold
from .legacy import convert
from .textlayer import judge_text, legacy_repair

__all__ = ["ENGINES", "ENGINE_VARIABLE", "open_pdf", "pdf_pages", "read_pdf"]

ENGINES = ("pdfium", "pdfplumber")
# The engine a caller that names none gets; `nqgraph parse --engine` sets it for its worker.
ENGINE_VARIABLE = "NQGRAPH_PDF_ENGINE"

# OCR word boxes are tight around the ink and a scan's type size is only estimated: two
# header columns set close ("HỘI ĐỒNG NHÂN DÂN    CỘNG HÒA XÃ HỘI …", 2.0 × the size
# apart on the Hà Nội scan) split at a narrower gap than text-layer lines need.
OCR_COLUMN_GAP = 1.6


def open_pdf(path: Path, *, plumber: bool = True):
    """Open with pdfplumber (or, `plumber` False, with pdfminer alone and pdfplumber's pages
    made on demand: pdfminer_pages.py), turning pdfminer's failures into named errors."""
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError

    try:
        if plumber:
            import pdfplumber

            pdf = pdfplumber.open(path)
        else:
            from .pdfminer_pages import PagesLater

            pdf = PagesLater(path)
        _ = pdf.pages  # forces the page tree: truncated files fail here, not later
    except Exception as exc:  # pdfplumber wraps pdfminer errors in PdfminerException
        cause = exc.args[0] if plumber and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(exc, PDFPasswordIncorrect):
            raise EncryptedPdfError("the PDF is protected by a password", path) from exc
        raise CorruptFileError(f"cannot read the PDF ({type(cause).__name__}: {cause})", path) from exc
    if not pdf.pages:
        pdf.close()
        raise EmptyDocumentError("the PDF has no pages", path)
    return pdf


def page_words(page) -> list[Word]:
    """One pdfplumber extract_words call per page; font attributes split words at style changes."""
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"], is_bold(w.get("fontname", "")))
        for w in page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
        if w["text"].strip()
    ]


def pdf_pages(path: Path, *, ocr: str = "auto", deadline: float | None = None,
              engine: str | None = None) -> list[PageLines]:
    """Every page's lines (see read_pdf)."""
    return read_pdf(path, ocr=ocr, deadline=deadline, engine=engine)[0]


class _PdfiumPages:
    """The fast engine's view of the file: words and a ruling check per page (pypdfium2).

    A page pdfium cannot load, whose boxes it measures otherwise than pdfminer (a rotated
    page, a MediaBox not at the origin), or whose content is too big for it to read safely
    (page_objects.py) is left to pdfplumber.
    """

    # pdfium keeps every object it parsed (page dictionaries, content streams) until the
    # document closes, ~0.4 MB a page; reopening it every so many pages keeps memory flat.
    REOPEN_PAGES = 16

    def __init__(self, path: Path):
        from .page_objects import PageObjects

        self._path = path
        self._document = self._open()
        self._read = 0
        self._objects = PageObjects()

    def _open(self):
        import pypdfium2

        try:
            return pypdfium2.PdfDocument(str(self._path))
        except pypdfium2.PdfiumError:
            return None  # pdfplumber opened it: it reads every page

    def words(self, index: int, plumber_page) -> tuple[list[Word] | None, object]:
        """(the page's words, or None when pdfplumber must read them; what finds its ruled tables:
        pdfium's table page (pdfium_tables.py), or None when its rules form no grid (pdf_rules.py))."""
        from .page_objects import content_too_big
        from .pdf_rules import may_hold_ruled_table, path_objects
        from .pdfium_tables import PdfiumTablePage
        from .pdfium_native import read_page

        if self._document is None or content_too_big(plumber_page.page_obj):
            return None, plumber_page
        self._read += 1
        if self._read % self.REOPEN_PAGES == 0:
            self._document.close()
            self._document = self._open()
            if self._document is None:
                return None, plumber_page
        try:
            page = self._document[index]
        except Exception:  # noqa: BLE001 - pypdfium2 raises PdfiumError or others on a broken page
            return None, plumber_page
        try:
            x0, y0, _, _ = page.get_mediabox()
            if page.get_rotation() or x0 or y0:
                return None, plumber_page
            text = read_page(page, self._objects, plumber_page.page_obj)
            finder = None
            paths = path_objects(page)  # one walk for the grid check and the table finder
            if may_hold_ruled_table(page, paths):
                try:
                    finder = PdfiumTablePage(page, text.chars, plumber_page.bbox, paths)
                except Exception:  # noqa: BLE001 - a path pdfium reads oddly: pdfplumber reads the page
                    finder = plumber_page
            return text.words, finder
        finally:
            page.close()

    def close(self) -> None:
        if self._document is not None:
            self._document.close()


def read_pdf(path: Path, *, ocr: str = "auto", deadline: float | None = None,
             budget: Callable[[float], None] | None = None,
             progress: Callable[[int, int], None] | None = None,
             engine: str | None = None) -> tuple[list[PageLines], list[int]]:
    """Read every page's lines; pages with no usable text layer are repaired or OCRed.

    `engine`: "pdfium" (fast) or "pdfplumber" (the reference), which give the same words;
    None: $NQGRAPH_PDF_ENGINE, else "pdfium".
    `ocr`: "auto" (OCR pages without usable text), "always", or "never". Each page's
    `source` says where its text came from: "text", "repair" (a legacy font mapping
    recovered exactly) or "ocr". Returns the pages and the numbers of the pages whose
    text layer was judged unusable (textlayer.py); with ocr="never" those are left empty.
    `budget` is told the seconds the pages may take (budget.budget_seconds): when they are
    counted, and again when the pages needing OCR are known.
    """
    from .budget import budget_seconds, check_deadline

    pages: list[PageLines] = []
    unusable: list[int] = []
    to_ocr: list[int] = []
    engine = engine or os.environ.get(ENGINE_VARIABLE) or ENGINES[0]
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    fast = engine == "pdfium" and ocr != "always"
    pdf = open_pdf(path, plumber=not fast)
    if budget:
        budget(budget_seconds(len(pdf.pages), 0))
    fast = _PdfiumPages(path) if fast else None
    try:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                words, finder = fast.words(number - 1, page) if fast else (None, page)
                if words is None:
                    words = [] if ocr == "always" else page_words(page)
                # Task tables (pdf_tables.py): their words leave the page, a marker holds their place.
                words, tables = take_tables(finder or page, number, words, sum(len(p.tables) for p in pages),
                                            ruled=finder is not None)
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
            if number > 1:  # page 1's words stay apart: e-signature stamps are slotted into its lines
                for line in result.lines:
                    line.compact(is_table_marker if tables else None)  # markers stand only for tables
            result.tables = tables if result.lines else []
            pages.append(result)
    finally:
        pdf.close()
        if fast:
            fast.close()
    if to_ocr:
        from .ocr import blank_pages

        for index in blank_pages(path, to_ocr):  # nothing drawn: nothing to read
            pages[index].source = "text"
            to_ocr.remove(index)
    if to_ocr:
        if budget:
            budget(budget_seconds(len(pages), len(to_ocr)))
        check_deadline(deadline, path)
        from . import ocr as ocr_module

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
