"""Words of a text-layer PDF page from pypdfium2's character boxes, cut as pdfplumber cuts them.

pdfplumber's `extract_words` costs ~95 % of a parse with the pdfplumber engine (pdfminer
interprets the content stream in Python); pdfium reads the same characters in C. This
module rebuilds pdfplumber's words from them, so layout sees the same input whichever
engine read the page:

- a character's box is pdfminer's: from its origin across its advance width, and from the
  font descriptor's descent (page_objects.py) to one font size above it, measured from the
  page top;
- characters are grouped as pdfplumber groups them: runs of one font name and size, then
  lines (tops within 3 pt of each other), then words (a space, a gap over 3 pt or a step
  back ends a word), ligatures expanded.

>>> [w.text for w in words_from_chars([("a", 0, 5, 10, 20, 10, "F", True), ("b", 5, 9, 10, 20, 10, "F", True),
...                                     (" ", 9, 12, 10, 20, 10, "F", True), ("c", 12, 17, 11, 21, 10, "F", True)])]
['ab', 'c']
"""
from __future__ import annotations

import ctypes
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from .page_objects import PageObjects
from .layout import Word

__all__ = ["pdfium_page_chars", "words_from_chars", "is_bold"]

# pdfplumber's defaults (utils/text.py): x_tolerance, y_tolerance and ligature expansion.
X_TOLERANCE = Y_TOLERANCE = 3
# What pdfium's text holds in place of a hyphen at a line end (CPDF_TextPage's kHyphen).
_HYPHEN_MARKS = "\x02\ufffe"
# pdfium leaves out a text object narrower than this (CPDF_TextPage's kSizeEpsilon): a run of spaces.
_BLANK_WIDTH = 0.01
_NO_GLYPH = float("inf")
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)


def is_bold(fontname: str) -> bool:
    """A font name that says bold (subset prefix ignored).

    >>> is_bold("CAAAAA+LiberationSerif-Bold"), is_bold("Times New Roman")
    (True, False)
    """
    name = fontname.split("+")[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "-bd"))


@lru_cache(maxsize=1)
def _pdfium():
    """pdfium's text functions with plain pointer arguments.

    pypdfium2's typed bindings convert every handle on every call; a page makes ~10,000
    calls, so the per-character ones are bound once more with untyped pointers.
    """
    import pypdfium2.raw  # noqa: F401 - loads the library
    from pypdfium2_raw.bindings import _libs

    library = _libs["pdfium"]
    p, i, d, f = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_float

    def bind(name, restype, *argtypes):
        function = library[name]
        function.restype, function.argtypes = restype, argtypes
        return function

    return {
        "object": bind("FPDFText_GetTextObject", p, p, i),
        "origin": bind("FPDFText_GetCharOrigin", i, p, i, p, p),  # addresses: ~2x faster than byref
        "box": bind("FPDFText_GetLooseCharBox", i, p, i, ctypes.c_void_p),
        "unicode": bind("FPDFText_GetUnicode", ctypes.c_uint, p, i),
        "hyphen": bind("FPDFText_IsHyphen", i, p, i),
        "count": bind("FPDFText_CountChars", i, p),
        "text": bind("FPDFText_GetText", i, p, i, i, ctypes.c_void_p),
        "matrix": bind("FPDFText_GetMatrix", i, p, i, ctypes.c_void_p),
        "object_font": bind("FPDFTextObj_GetFont", p, p),
        "object_size": bind("FPDFTextObj_GetFontSize", i, p, ctypes.POINTER(f)),
        "font_name": bind("FPDFFont_GetBaseFontName", ctypes.c_size_t, p, ctypes.c_char_p, ctypes.c_size_t),
        "font_descent": bind("FPDFFont_GetDescent", i, p, f, ctypes.POINTER(f)),
        "glyph_width": bind("FPDFFont_GetGlyphWidth", i, p, ctypes.c_uint, f, ctypes.POINTER(f)),
        "page_count": bind("FPDFPage_CountObjects", i, p),
        "page_object": bind("FPDFPage_GetObject", p, p, i),
        "form_count": bind("FPDFFormObj_CountObjects", i, p),
        "form_object": bind("FPDFFormObj_GetObject", p, p, ctypes.c_ulong),
        "type": bind("FPDFPageObj_GetType", i, p),
        "object_matrix": bind("FPDFPageObj_GetMatrix", i, p, ctypes.c_void_p),
        "bounds": bind("FPDFPageObj_GetBounds", i, p, ctypes.POINTER(f), ctypes.POINTER(f), ctypes.POINTER(f),
                       ctypes.POINTER(f)),
    }


class _Fonts:
    """Per pdfium font: its base name, its descent and its advance widths (fractions of the size)."""

    def __init__(self, objects: PageObjects | None, pdfminer_page):
        self._known: dict[int, tuple[str, float]] = {}
        self.widths: dict[int, dict[str, float]] = {}  # per font, so a character's lookup builds no key
        self._objects = objects
        self._pdfminer_page = pdfminer_page

    def get(self, font: int) -> tuple[str, float]:
        known = self._known.get(font)
        if known is None:
            c = _pdfium()
            buffer = ctypes.create_string_buffer(256)
            size = c["font_name"](font, buffer, len(buffer))
            name = buffer.raw[:max(size - 1, 0)].decode("utf-8", "replace")
            descent = self._objects.descent(name, self._pdfminer_page) if self._objects else None
            if descent is None:
                value = ctypes.c_float()
                descent = value.value / 1000 if c["font_descent"](font, 1000.0, ctypes.byref(value)) else 0.0
            known = self._known[font] = (name, descent)
        return known

    @staticmethod
    def glyph_width(font: int, ch: str) -> float:
        """The advance of `ch` (inf when pdfium cannot map it back to a glyph)."""
        value = ctypes.c_float()
        ok = _pdfium()["glyph_width"](font, ord(ch), 1000.0, ctypes.byref(value))
        return value.value / 1000 if ok and value.value > 0 else _NO_GLYPH


class _Rect(ctypes.Structure):
    _fields_ = [("left", ctypes.c_float), ("top", ctypes.c_float), ("right", ctypes.c_float),
                ("bottom", ctypes.c_float)]


class _Matrix(ctypes.Structure):
    _fields_ = [(k, ctypes.c_float) for k in "abcdef"]


def _page_text(textpage: int, count: int) -> str:
    """The page's characters, one per character index (pdfium skips control characters in its
    text, so then they are read one by one)."""
    c = _pdfium()
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = c["text"](textpage, 0, count, buffer)
    if written == count + 1:
        return buffer.raw[:count * 2].decode("utf-16-le", "surrogatepass")
    return "".join(chr(c["unicode"](textpage, i)) for i in range(count))


def _objects_and_origins(textpage: int, count: int) -> tuple[list[int], list[float], list[float]]:
    """Each character's text object (0 for one pdfium generated) and origin, through ctypes
    (~1 µs a character; pdfium_native.c makes the same calls in ~10 ns)."""
    c = _pdfium()
    x, y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.addressof(x), ctypes.addressof(y)
    get_object, get_origin = c["object"], c["origin"]
    objects, xs, ys = [], [], []
    for i in range(count):
        objects.append(get_object(textpage, i) or 0)
        found = get_origin(textpage, i, px, py)
        xs.append(x.value if found else 0.0)
        ys.append(y.value if found else 0.0)
    return objects, xs, ys


def _chars(textpage: int, page_height: float, fonts: _Fonts) -> tuple[list[tuple], list[int]]:
    """(text, x0, x1, top, bottom, size, fontname, upright) of every character, in pdfium's order.

    pdfium's text page drops a real space that follows one it generated between two text
    objects (CPDF_TextPage::CloseTempLine), so a generated space stands for a word break;
    its generated line ends are left out. Also returns each character's text object.
    A page has thousands of characters: two pdfium calls each (object, origin), made by
    `_objects_and_origins`; everything else is read once per text object.
    """
    c = _pdfium()
    count = c["count"](textpage)
    if count <= 0:
        return [], []
    text = _page_text(textpage, count)
    box, matrix = _Rect(), _Matrix()
    object_size = ctypes.c_float()
    objects: dict[int, tuple] = {}
    out: list[tuple] = []
    owners: list[int] = []
    append, own = out.append, owners.append
    last = None
    for i, (ch, obj, x0, y) in enumerate(zip(text, *_objects_and_origins(textpage, count))):
        if not obj:  # generated by pdfium: a space stands where the real one was, in its run and line
            if ch == " " and out and out[-1][0] != " ":
                append((" ", x0, x0, *out[-1][3:]))
                own(0)
            continue
        if obj != last:
            info = objects.get(obj)
            if info is None:
                c["object_size"](obj, ctypes.byref(object_size))
                font = c["object_font"](obj)
                c["matrix"](textpage, i, ctypes.byref(matrix))
                name, descent = fonts.get(font)
                font_size, a, b, cc, d = object_size.value, matrix.a, matrix.b, matrix.c, matrix.d
                # pdfminer's box (layout.LTChar): from `descent` to `descent + size` in text space
                info = objects[obj] = (name, font, fonts.widths.setdefault(font, {}), a * font_size if a > 0 else 0.0,
                                       d * descent * font_size, d * font_size, a * d > 0 and b * cc <= 0)
            name, font, widths, advance_scale, descent_offset, rise, upright = info
            last = obj
        if ch in _HYPHEN_MARKS and c["hyphen"](textpage, i):
            ch = "-"  # pdfium marks a hyphen that ends a line; the page holds a plain one
        advance = widths.get(ch) if advance_scale else None
        if advance is None:
            # pdfium's loose box spans the advance, widened to the glyph where the glyph
            # overhangs; a font whose code points are shifted gives glyph widths of the wrong
            # glyphs, so the narrower of the two is the advance. Both are fixed per font and
            # character: read once.
            c["box"](textpage, i, ctypes.byref(box))
            if not advance_scale:
                x1 = box.right
            else:
                advance = widths[ch] = min(fonts.glyph_width(font, ch), (box.right - x0) / advance_scale)
        if advance is not None:
            x1 = x0 + advance_scale * advance
        low = y + descent_offset
        high = low + rise
        if high < low:
            low, high = high, low
        append((ch, x0, x1, page_height - high, page_height - low, high - low, name, upright))
        own(obj)
    return out, owners


def _text_objects(page: int) -> list[tuple[int, tuple | None]]:
    """The page's text objects in content-stream order (forms opened), each with its matrix
    on the page when it draws nothing (a run of spaces: pdfium's text page leaves it out)."""
    c = _pdfium()
    found: list[tuple[int, tuple | None]] = []
    m = _Matrix()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def walk(count, get, outer, depth):
        for k in range(count):
            obj = get(k)
            kind = c["type"](obj)
            if kind not in (1, 5):  # FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_FORM
                continue
            c["object_matrix"](obj, ctypes.byref(m))
            a, b, cc, d, e, f = outer
            own = (m.a * a + m.b * cc, m.a * b + m.b * d, m.c * a + m.d * cc, m.c * b + m.d * d,
                   m.e * a + m.f * cc + e, m.e * b + m.f * d + f)
            if kind == 5:
                if depth < 8:
                    walk(c["form_count"](obj), lambda i, o=obj: c["form_object"](o, i), own, depth + 1)
                continue
            c["bounds"](obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
            found.append((obj, own if abs(right.value - left.value) < _BLANK_WIDTH else None))

    walk(c["page_count"](page), lambda i: c["page_object"](page, i), (1, 0, 0, 1, 0, 0), 0)
    return found


def blank_chars(objects: list[tuple[int, tuple | None]], last_char: dict[int, int], page_height: float,
                fonts: _Fonts) -> list[tuple[int, tuple]]:
    """A space for each blank text object of `objects` (_text_objects), with where it goes: after
    the last character of the text object before it (`last_char`: per text object, the index
    of its last character). pdfminer reads such an object's space, which ends a word."""
    inserts: list[tuple[int, tuple]] = []
    previous = -1
    size = ctypes.c_float()
    for obj, matrix in objects:
        if matrix is None:
            previous = last_char.get(obj, previous)
            continue
        inserts.append((previous + 1, blank_char(obj, matrix, page_height, fonts, size)))
    return inserts


def blank_char(obj: int, matrix: tuple, page_height: float, fonts: _Fonts, size: ctypes.c_float) -> tuple:
    """The space a blank text object stands for, at its origin (`size`: the buffer a page's
    blank objects share, so that one whose size pdfium cannot give keeps the one before)."""
    c = _pdfium()
    c["object_size"](obj, ctypes.byref(size))
    name, descent = fonts.get(c["object_font"](obj))
    a, b, cc, d, e, f = matrix
    low = f + d * descent * size.value
    high = low + d * size.value
    if high < low:
        low, high = high, low
    return " ", e, e, page_height - high, page_height - low, high - low, name, a * d > 0 and b * cc <= 0


def _line_clusters(chars: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's cluster_objects on `top`: tops chained within Y_TOLERANCE, each line by x0."""
    cluster: dict[float, int] = {}
    index, last = 0, None
    for top in sorted({c[3] for c in chars}):
        if last is not None and top > last + Y_TOLERANCE:
            index += 1
        cluster[top] = index
        last = top
    ordered = sorted(chars, key=lambda c: cluster[c[3]])
    return [sorted(line, key=itemgetter(1)) for _, line in groupby(ordered, key=lambda c: cluster[c[3]])]


def _word(chars: list[tuple], shared: dict[float, float], bold: dict[str, bool]) -> Word:
    """One Word; its top, bottom and size are the float objects its line's other words hold
    (`shared`: equal values, one object each; a page's words are kept until layout runs)."""
    first = chars[0]
    if len(chars) == 1:
        text, top, bottom, x1 = first[0], first[3], first[4], first[2]
    else:
        text = "".join([c[0] for c in chars])
        top, bottom, x1 = min([c[3] for c in chars]), max([c[4] for c in chars]), max([c[2] for c in chars])
    if not text.isascii():
        text = text.translate(_LIGATURE_TABLE)
    name = first[6]
    font_bold = bold.get(name)
    if font_bold is None:
        font_bold = bold[name] = is_bold(name)
    return Word(text, first[1], x1, shared.setdefault(top, top), shared.setdefault(bottom, bottom),
                shared.setdefault(first[5], first[5]), font_bold)


def words_from_chars(chars: list[tuple]) -> list[Word]:
    """pdfplumber's WordExtractor (no text flow, left to right) over `_chars` tuples."""
    words: list[Word] = []
    shared: dict[float, float] = {}
    bold: dict[str, bool] = {}
    for _, run in groupby(chars, key=itemgetter(7, 6, 5)):
        for line in _line_clusters(list(run)):
            current: list[tuple] = []
            for ch in line:
                if ch[0].isspace():
                    if current:
                        words.append(_word(current, shared, bold))
                    current = []
                elif current and (ch[1] < current[-1][1] or ch[1] > current[-1][2] + X_TOLERANCE
                                  or abs(ch[3] - current[-1][3]) > Y_TOLERANCE):
                    words.append(_word(current, shared, bold))
                    current = [ch]
                else:
                    current.append(ch)
            if current:
                words.append(_word(current, shared, bold))
    return [w for w in words if w.text.strip()]


def pdfium_page_chars(page, objects: PageObjects | None = None, pdfminer_page=None) -> list[tuple]:
    """The characters of a pypdfium2 PdfPage, word breaks included, which `words_from_chars` cuts
    into words as pdfplumber's extract_words cuts them.

    `objects` gives pdfminer's font descents, read from `pdfminer_page` (the same page as
    pdfminer's PDFPage); without them pdfium's descents are used.
    """
    textpage = page.get_textpage()
    try:
        handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        _, bottom, _, top = page.get_mediabox()  # pdfplumber measures from the MediaBox, not the CropBox
        fonts = _Fonts(objects, pdfminer_page)
        chars, owners = _chars(handle, top - bottom, fonts)
        objects = _text_objects(ctypes.cast(page.raw, ctypes.c_void_p).value)
        last_char = {owner: k for k, owner in enumerate(owners)}
        for at, blank in reversed(blank_chars(objects, last_char, top - bottom, fonts)):
            chars.insert(at, blank)
        return chars
    finally:
        textpage.close()
