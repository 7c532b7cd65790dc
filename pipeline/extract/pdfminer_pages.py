"""A PDF's pages as the fast engine needs them: opened by pdfminer alone, pdfplumber's Page made on demand.

The fast engine reads a page's characters from pdfium and asks pdfminer only for the
page object (font descents, content size: page_objects.py) and the page's box. Importing
pdfplumber costs a process ~25 ms on top of pdfminer, a tenth of parsing a short PDF, and
most documents never need it. A `PageLater` has the page object and pdfplumber's `bbox`,
`width` and `height`; anything else (extract_words, find_tables) opens the file with
pdfplumber once and hands over to its Page: a rotated page, a page pdfium cannot read.

The box is pdfplumber's (page.py: the MediaBox's corners sorted, turned by /Rotate,
measured from the top), computed the same way so that both engines give equal pages;
tests/test_engines.py compares it with pdfplumber's on every page of the corpora.
"""
from __future__ import annotations

import numbers
from pathlib import Path

__all__ = ["PagesLater", "PageLater"]


class MalformedPDFException(ValueError):
    """pdfplumber's name for a box that holds no numbers (its error message names the type)."""


class PageLater:
    """One page: `page_obj`, `bbox`, `width`, `height`; the rest from pdfplumber's Page."""

    def __init__(self, book: "PagesLater", index: int, page_obj):
        self._book, self._index, self.page_obj = book, index, page_obj
        self.bbox = _bbox(page_obj)
        self._plumber = None

    @property
    def width(self):
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self):
        return self.bbox[3] - self.bbox[1]

    def __getattr__(self, name: str):
        # only for names not set above: the page pdfplumber would have given
        if name.startswith("_"):
            raise AttributeError(name)
        if self._plumber is None:
            self._plumber = self._book.plumber().pages[self._index]
        return getattr(self._plumber, name)

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()


class PagesLater:
    """The pages of `path` (what `pdfplumber.open(path).pages` gives, made lazily). Raises
    what pdfminer raises on a damaged or encrypted file: the caller names it."""

    def __init__(self, path: Path):
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        self._path = path
        self._stream = open(path, "rb")
        self._plumber = None
        try:
            document = PDFDocument(PDFParser(self._stream), password="")
            self.pages = [PageLater(self, i, page) for i, page in enumerate(PDFPage.create_pages(document))]
        except BaseException:
            self._stream.close()
            raise

    def plumber(self):
        """pdfplumber's reading of the same file, opened on first use."""
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(self._path)
        return self._plumber

    def close(self) -> None:
        self._stream.close()
        if self._plumber is not None:
            self._plumber.close()


def _bbox(page_obj) -> tuple:
    """pdfplumber's Page.bbox of a pdfminer page (pdfplumber/page.py: _normalize_box, _invert_box)."""
    from pdfminer.pdftypes import resolve_all

    rotation = resolve_all(page_obj.attrs.get("Rotate"))
    rotation = (0 if rotation is None else rotation) % 360
    raw = resolve_all(page_obj.attrs.get("MediaBox"))
    if not all(isinstance(x, numbers.Number) for x in raw):
        raise MalformedPDFException(f"Bounding box contains non-number coordinate(s): {raw}")
    x0, x1 = sorted((raw[0], raw[2]))
    y0, y1 = sorted((raw[1], raw[3]))
    box = (y0, x0, y1, x1) if rotation in [90, 270] else (x0, y0, x1, y1)
    height = box[3] - box[1]
    return box[0], height - box[3], box[2], height - box[1]
