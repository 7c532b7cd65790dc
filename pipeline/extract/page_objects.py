"""What pdfminer's object reader (no content stream interpreted) tells the fast engine about a page.

- Font descents. pdfminer puts a character's box bottom at the font descriptor's /Descent
  (0 when the descriptor gives none, the AFM value for the standard 14 fonts); pdfium
  invents a descent from the glyphs when the descriptor says 0. The fast engine measures
  boxes as pdfminer does, so it asks this table, read from a page's font dictionaries
  only when the page uses a font not known yet.
- The size of a page's content once inflated. pdfium aborts the whole process when it runs
  out of memory (a 300 MB content stream under a 100 MB cap); pdfminer raises MemoryError,
  which becomes a clear error. A page bigger than CONTENT_LIMIT is left to pdfplumber.

The pages are pdfplumber's own (`page.page_obj`): the file is parsed once.

>>> _stripped("ABCDEE+Times New Roman,Bold"), _stripped("Arial")
('Times New Roman,Bold', 'Arial')
"""
from __future__ import annotations

import zlib

__all__ = ["PageObjects", "CONTENT_LIMIT"]

# No office page holds 16 MB of drawing operators; a bigger one is a bomb or a scan drawn as vectors.
CONTENT_LIMIT = 16 << 20


class PageObjects:
    """pdfminer's font descents by font name, and content sizes, for the pages of one PDF."""

    def __init__(self):
        self._by_name: dict[str, float | None] = {}
        self._seen: set = set()
        self._read_pages: set[int] = set()

    def descent(self, name: str, page) -> float | None:
        """The descent of font `name` (a fraction of the size) on pdfminer page `page`, None
        when no single one is known."""
        if name not in self._by_name and _stripped(name) not in self._by_name and id(page) not in self._read_pages:
            self._read_pages.add(id(page))
            try:
                self._read_resources(page.resources, 0)
            except Exception:  # noqa: BLE001 - a damaged resource tree: pdfium's own descent is used
                pass
        if name in self._by_name:
            return self._by_name[name]
        return self._by_name.get(_stripped(name))

    def _read_resources(self, resources, depth: int) -> None:
        from pdfminer.pdftypes import PDFObjRef, resolve1

        resources = resolve1(resources)
        if not isinstance(resources, dict) or depth > 4:
            return
        fonts = resolve1(resources.get("Font"))
        for ref in (fonts.values() if isinstance(fonts, dict) else ()):
            key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
            if key not in self._seen:
                self._seen.add(key)
                self._add_font(resolve1(ref))
        forms = resolve1(resources.get("XObject"))
        for ref in (forms.values() if isinstance(forms, dict) else ()):
            key = ("form", ref.objid if isinstance(ref, PDFObjRef) else id(ref))
            form = resolve1(ref)
            if key not in self._seen and hasattr(form, "attrs") and "Resources" in form.attrs:
                self._seen.add(key)
                self._read_resources(form.attrs["Resources"], depth + 1)

    def _add_font(self, spec) -> None:
        from pdfminer.pdftypes import resolve1

        if not isinstance(spec, dict):
            return
        names = {_literal(spec.get("BaseFont"))}
        descent = _pdfminer_descent(spec)
        if _literal(spec.get("Subtype")) == "Type0":
            descendants = resolve1(spec.get("DescendantFonts"))
            child = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else {}
            names.add(_literal(child.get("BaseFont")) if isinstance(child, dict) else "")
        for name in names - {""}:
            for key in (name, _stripped(name)):
                if key in self._by_name and self._by_name[key] != descent:
                    self._by_name[key] = None  # two fonts of one name, two descents: ask pdfium
                else:
                    self._by_name[key] = descent


def content_too_big(page, limit: int = CONTENT_LIMIT) -> bool:
    """Whether pdfminer page `page`'s content streams inflate to more than `limit` bytes.

    Flate streams are inflated in pieces and counted, never held whole; a stream under
    another filter counts its stored bytes × 100 (no other filter expands more in practice).
    """
    total = 0
    try:
        for stream in page.contents:
            filters = [getattr(f, "name", f) for f in stream.get_filters()]
            raw = stream.rawdata if stream.rawdata is not None else stream.data or b""
            if filters == ["FlateDecode"]:
                total += _inflated_size(raw, limit - total + 1)
            else:
                total += len(raw) * (100 if filters else 1)
            if total > limit:
                return True
    except Exception:  # noqa: BLE001 - unreadable contents: pdfplumber reads the page and says what is wrong
        return True
    return False


def _inflated_size(raw: bytes, limit: int) -> int:
    inflater = zlib.decompressobj()
    size, data = 0, raw
    while data and size <= limit:
        size += len(inflater.decompress(data, 1 << 20))
        data = inflater.unconsumed_tail
    return size


def _literal(value) -> str:
    from pdfminer.psparser import PSLiteral
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else ""


def _stripped(name: str) -> str:
    """A font name without its subset tag ("ABCDEE+Arial" → "Arial"): pdfium drops it for some fonts."""
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


def _pdfminer_descent(spec: dict) -> float:
    """What pdfminer.pdffont takes for the font's descent, as a fraction of the font size."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1

    def number(value, default=0.0) -> float:
        value = resolve1(value)
        return float(value) if isinstance(value, (int, float)) else default

    subtype = _literal(spec.get("Subtype")) or "Type1"
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts"))
        child = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else {}
        descriptor = resolve1(child.get("FontDescriptor")) if isinstance(child, dict) else None
    elif subtype == "Type3":
        descriptor = resolve1(spec.get("FontDescriptor")) or {"FontBBox": spec.get("FontBBox")}
        bbox = resolve1(descriptor.get("FontBBox")) if isinstance(descriptor, dict) else None
        matrix = resolve1(spec.get("FontMatrix"))
        if not (isinstance(bbox, list) and len(bbox) == 4 and isinstance(matrix, list) and len(matrix) == 6):
            return 0.0
        return number(bbox[1]) * (number(matrix[1]) + number(matrix[3]))
    elif _literal(spec.get("BaseFont")) in FONT_METRICS:
        descriptor = FONT_METRICS[_literal(spec.get("BaseFont"))][0]
    else:
        descriptor = resolve1(spec.get("FontDescriptor"))
    descent = number(descriptor.get("Descent")) if isinstance(descriptor, dict) else 0.0
    return (-descent if descent > 0 else descent) / 1000
