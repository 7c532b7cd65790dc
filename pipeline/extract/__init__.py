"""Extract: a PDF, DOCX or text file → normalised paragraphs with a map back to pages.

>>> from pipeline.extract import extract
>>> ex = extract("tests/data/extract_plain.txt")          # doctest: +SKIP
>>> ex.text.splitlines()[0]                                # doctest: +SKIP
'Thực hiện Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị, …'
"""
from __future__ import annotations

import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..errors import EmptyDocumentError, InputError, UnsupportedFormatError
from ..model import Extracted

__all__ = ["extract", "sniff"]


# C0 bytes that never occur in text (tab, line ends, form feed and ESC do)
_BINARY_BYTES = [b for b in range(32) if b not in (9, 10, 12, 13, 27)]


def sniff(path: Path) -> str:
    """The file's real type from its first bytes: "pdf", "docx" or "text"."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise UnsupportedFormatError("this is a ZIP archive but not a Word document (.docx)", path)
    if head.startswith((b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise UnsupportedFormatError("this is a binary file (old .doc or an image), not PDF/DOCX/text", path)
    with open(path, "rb") as handle:
        sample = handle.read(4096)
    # Binary formats are full of NULs and control bytes; a text file may carry a stray one
    # from a bad copy-paste and should still be read.
    controls = sum(sample.count(bytes([b])) for b in _BINARY_BYTES)
    if (sample.count(b"\x00") * 100 > len(sample) or controls * 20 > len(sample)) \
            and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormatError("this is a binary file, not PDF/DOCX/text", path)
    return "text"


def extract(path: str | Path, *, ocr: str = "auto", timeout: float | None = None,
            budget: Callable[[float], None] | None = None,
            progress: Callable[[int, int], None] | None = None, engine: str | None = None) -> Extracted:
    """Read a resolution into normalised body paragraphs, header info, footnotes.

    Dispatches on the file's magic bytes, not its name. `ocr` is "auto" (OCR
    pages without a text layer), "always" or "never". `timeout` (seconds)
    bounds the OCR loop. `budget`, if given, is told how many seconds the PDF's pages and
    their OCR may take, once the pages are counted and again once OCR is known to be needed.
    `progress(done, total)`, if given, is told each OCR page read. `engine` reads a PDF's
    text layer: "pdfium" (fast) or "pdfplumber" (the reference; extract/pdf.py); None takes
    $NQGRAPH_PDF_ENGINE, else "pdfium".

    >>> extract("missing.pdf")
    Traceback (most recent call last):
    pipeline.errors.InputError: error E001: missing.pdf: file not found. Check the path and the file type (PDF, DOCX or TXT).
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("this is a directory, not a file", path)
    if path.stat().st_size == 0:
        raise EmptyDocumentError("the file is empty (0 bytes)", path)
    if ocr not in ("auto", "always", "never"):
        raise ValueError(f"ocr must be 'auto', 'always' or 'never', not {ocr!r}")
    deadline = None if timeout is None else time.monotonic() + timeout
    kind = sniff(path)
    # Imported here, as each reader below is: a query that only needs normalize.py's tone
    # table (pipeline.tag.bodies) should not load the layout and header readers.
    from .assemble import assemble

    claimed = {".pdf": "pdf", ".docx": "docx"}.get(path.suffix.lower())
    if claimed and claimed != kind:
        # A renamed file is usually the wrong attachment or a failed export:
        # say so rather than quietly reading it as something else.
        looks = {"pdf": "a PDF", "docx": "a Word document", "text": "plain text or HTML"}[kind]
        raise UnsupportedFormatError(f"the name says .{claimed} but the content is {looks}", path)
    if kind == "pdf":
        from .layout import layout_document
        from .pdf import read_pdf
        from .pdf_tables import place_tables

        from .stamps import fill_stamp_blanks, stamp_words

        pages, unusable = read_pdf(path, ocr=ocr, deadline=deadline, budget=budget, progress=progress, engine=engine)
        if pages:
            fill_stamp_blanks(pages[0], stamp_words(path))  # the number and day an e-signature wrote
        extracted = assemble(place_tables(layout_document(pages), pages), [p.source for p in pages])
        if unusable:
            from .textlayer import unusable_warning

            warning = unusable_warning(unusable, {p.number: p.source for p in pages}, ocr)
            extracted = replace(extracted, warnings=(warning, *extracted.warnings))
    elif kind == "docx":
        from .docx import docx_layout

        extracted = assemble(docx_layout(path), ["docx"])
    else:
        from .text import text_layout

        layout, page_count = text_layout(path.read_bytes(), markdown=path.suffix.lower() in (".md", ".markdown"))
        extracted = assemble(layout, ["text"] * page_count)
    if not extracted.text.strip():
        raise EmptyDocumentError("no text found (a scan with OCR turned off, or a blank document)", path)
    return extracted
