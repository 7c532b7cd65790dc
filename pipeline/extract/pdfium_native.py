"""A text-layer page's characters and words from pdfium, in C where pdfium_native.c was built.

pdfium_words.py reads a page in Python, ~6 µs a character; pdfium_native.c makes the same
pdfium calls and the same arithmetic in C, and this module hands it what needs Python: each
font's name and descent (pdfminer's, page_objects.py), and the spaces of blank text objects.
`read_page` gives the same words either way (a test compares them on every corpus page);
without the built library (no C compiler at install) it runs pdfium_words.py's passes.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from .layout import Word
from .page_objects import PageObjects
from .pdfium_words import (LIGATURES, _LIGATURE_TABLE, _Fonts, _page_text, _pdfium, blank_char, is_bold,
                           pdfium_page_chars, words_from_chars)

__all__ = ["PageText", "read_page", "native_library"]

# pdfium's functions in the order pdfium_native.c's enums name them.
FUNCTIONS = ("object", "origin", "hyphen", "box", "glyph_width", "object_font", "object_size", "matrix")
WALK_FUNCTIONS = ("page_count", "page_object", "form_count", "form_object", "type", "object_matrix", "bounds")

_int, _double, _code, _pointer = ctypes.c_int, ctypes.c_double, ctypes.c_uint32, ctypes.c_void_p


@lru_cache(maxsize=1)
def native_library():
    """pdfium_native.c built with the package, its three passes typed (else None)."""
    for suffix in EXTENSION_SUFFIXES:
        built = Path(__file__).with_name("_pdfium_native" + suffix)
        if built.exists():
            library = ctypes.CDLL(str(built))
            p = _pointer
            library.nqgraph_scan.argtypes = [p, p, _int] + [p] * 8
            library.nqgraph_chars.argtypes = [p, p, _int, p, p, p, p, _int, p, p, p, p, p, _double] + [p] * 9
            library.nqgraph_words.argtypes = [_int] + [p] * 18
            library.nqgraph_blank_objects.argtypes = [p, p, _int, p, p, _int, p, p, p]
            for function in (library.nqgraph_scan, library.nqgraph_chars, library.nqgraph_words,
                             library.nqgraph_blank_objects):
                function.restype = _int
            return library
    return None


@lru_cache(maxsize=2)
def _function_table(names: tuple[str, ...] = FUNCTIONS):
    c = _pdfium()
    return (_pointer * len(names))(*(ctypes.cast(c[name], _pointer) for name in names))


@dataclass
class PageText:
    """A page's words, and its characters as pdfium_words.py's tuples for the table finder."""
    words: list[Word]
    _chars: object = field(default=None, repr=False)  # the tuples, or what builds them

    @property
    def chars(self) -> list[tuple]:
        if callable(self._chars):
            self._chars = self._chars()
        return self._chars


def read_page(page, objects: PageObjects | None = None, pdfminer_page=None, native: bool = True) -> PageText:
    """The words of a pypdfium2 PdfPage as pdfplumber's extract_words cuts them (see
    pdfium_words.pdfium_page_chars for `objects` and `pdfminer_page`); `native=False`
    reads it in Python."""
    library = native_library() if native else None
    if library is not None:
        textpage = page.get_textpage()
        try:
            read = _native_page(library, page, textpage, objects, pdfminer_page)
        finally:
            textpage.close()
        if read is not None:
            return read
    chars = pdfium_page_chars(page, objects, pdfminer_page)
    return PageText(words_from_chars(chars), chars)


def _array(kind, values):
    return (kind * max(values, 1))()


def _native_page(library, page, textpage, objects: PageObjects | None, pdfminer_page) -> PageText | None:
    """pdfium_native.c's three passes over one page (None: an empty or odd page, read in Python)."""
    c = _pdfium()
    handle = ctypes.cast(textpage.raw, _pointer).value
    count = c["count"](handle)
    text = _page_text(handle, count) if count > 0 else ""
    if count <= 0 or len(text) != count:
        return None
    _, bottom, _, top = page.get_mediabox()  # pdfplumber measures from the MediaBox, not the CropBox
    height = top - bottom
    functions = _function_table()

    codes = (_code * count).from_buffer_copy(text.encode("utf-32-le", "surrogatepass"))
    slot_of, xs, ys = _array(_int, count), _array(_double, count), _array(_double, count)
    slot_object, slot_first, slot_font = _array(_pointer, count), _array(_int, count), _array(_int, count)
    font_handles, font_count = _array(_pointer, count), _int()
    slots = library.nqgraph_scan(functions, handle, count, slot_of, xs, ys, slot_object, slot_first, slot_font,
                                 font_handles, ctypes.byref(font_count))
    if slots < 0:
        raise MemoryError("pdfium_native: out of memory")

    fonts = _Fonts(objects, pdfminer_page)
    names: dict[str, int] = {}
    descents, name_of_font = _array(_double, font_count.value), _array(_int, font_count.value)
    for k in range(font_count.value):
        name, descents[k] = fonts.get(font_handles[k])
        name_of_font[k] = names.setdefault(name, len(names))

    out = [_array(_code, count)] + [_array(_double, count) for _ in range(5)] + \
          [_array(_int, count), _array(ctypes.c_ubyte, count)]
    slot_last = _array(_int, slots)
    n = library.nqgraph_chars(functions, handle, count, codes, slot_of, xs, ys, slots, slot_object, slot_font,
                              font_handles, descents, name_of_font, height, *out, slot_last)
    if n < 0:
        raise MemoryError("pdfium_native: out of memory")

    inserts = _blank_chars(library, page, slots, slot_object, slot_last, height, fonts)
    order = None
    if inserts:
        out = [_grown(array, n, n + len(inserts)) for array in out]
        positions = list(range(n))
        for j, (at, (_, x0, x1, top_, bottom_, size, name, upright)) in enumerate(inserts):
            k = n + j
            out[0][k], out[1][k], out[2][k], out[3][k], out[4][k], out[5][k] = 32, x0, x1, top_, bottom_, size
            out[6][k], out[7][k] = names.setdefault(name, len(names)), upright
        for j in reversed(range(len(inserts))):
            positions.insert(inserts[j][0], n + j)
        order = (_int * len(positions))(*positions)
    total = n + len(inserts)
    name_list = list(names)

    word_codes, word_start, word_end = _array(_code, total), _array(_int, total), _array(_int, total)
    word_boxes = [_array(_double, total) for _ in range(5)]
    word_font = _array(_int, total)
    count_words = library.nqgraph_words(total, order, *out, word_codes, word_start, word_end, *word_boxes, word_font)
    if count_words < 0:
        raise MemoryError("pdfium_native: out of memory")
    words = _words(count_words, word_codes, word_start, word_end, word_boxes, word_font, name_list)
    return PageText(words, lambda: _char_tuples(n, total, order, out, name_list))


def _grown(array, used: int, size: int):
    """A copy of `array` with room for `size` items, its first `used` kept."""
    grown = (array._type_ * size)()
    ctypes.memmove(grown, array, used * ctypes.sizeof(array._type_))
    return grown


def _blank_chars(library, page, slots: int, slot_object, slot_last, height: float, fonts: _Fonts) -> list[tuple]:
    """pdfium_words.blank_chars from pdfium_native.c's walk of the page's objects."""
    walk = _function_table(WALK_FUNCTIONS)
    handle = ctypes.cast(page.raw, _pointer).value
    capacity = 64
    while True:
        objects, places, matrices = _array(_pointer, capacity), _array(_int, capacity), _array(_double, 6 * capacity)
        found = library.nqgraph_blank_objects(walk, handle, slots, slot_object, slot_last, capacity, objects, places,
                                              matrices)
        if found < 0:
            raise MemoryError("pdfium_native: out of memory")
        if found <= capacity:
            break
        capacity = found  # the walk gives the same objects again
    size = ctypes.c_float()
    values = _values(matrices, 6 * found)
    return [(places[j], blank_char(objects[j], tuple(values[6 * j:6 * j + 6]), height, fonts, size))
            for j in range(found)]


def _values(array, count: int) -> list:
    view = memoryview(array).cast("B")
    return view.cast(array._type_._type_)[:count].tolist()


def _words(count: int, word_codes, word_start, word_end, boxes, word_font, names: list[str]) -> list[Word]:
    if not count:
        return []
    starts, ends = _values(word_start, count), _values(word_end, count)
    text = ctypes.string_at(word_codes, ends[-1] * 4).decode("utf-32-le", "surrogatepass")
    texts = list(map(text.__getitem__, map(slice, starts, ends)))
    if any(ligature in text for ligature in LIGATURES):
        texts = [t.translate(_LIGATURE_TABLE) for t in texts]
    x0s, x1s, tops, bottoms, sizes = (_values(array, count) for array in boxes)
    # Equal values share one float object: a page's words are kept until layout runs.
    shared: dict[float, float] = {}
    tops, bottoms, sizes = (list(map(shared.setdefault, values, values)) for values in (tops, bottoms, sizes))
    bold = [is_bold(name) for name in names]
    return list(map(Word, texts, x0s, x1s, tops, bottoms, sizes, map(bold.__getitem__, _values(word_font, count))))


def _char_tuples(n: int, total: int, order, out, names: list[str]) -> list[tuple]:
    text = ctypes.string_at(out[0], total * 4).decode("utf-32-le", "surrogatepass")
    columns = [_values(array, total) for array in out[1:6]]
    fonts, upright = _values(out[6], total), _values(out[7], total)
    chars = list(zip(text, *columns, map(names.__getitem__, fonts), map(bool, upright)))
    return [chars[k] for k in order] if order is not None else chars
