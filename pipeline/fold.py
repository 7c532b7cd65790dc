"""Folding Vietnamese text for matching: lower case, no diacritics, đ → d.

Staff type queries without diacritics ("uy ban kiem tra") and OCR drops tone
marks, so every lookup compares folded forms.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .patterns import compiled

_NON_ALNUM = compiled(r"[^0-9a-z]+")
_MARKS = compiled(r"\p{Mn}+")


def _folded_piece(text: str) -> str:
    """What folding makes of `text` before spaces are collapsed: [0-9a-z ]* only."""
    if not text.isascii():  # ASCII (keys, typed queries) has no marks to strip
        text = _MARKS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d")))
    return _NON_ALNUM.sub(" ", text.lower())


class _PieceTable(dict):
    """Character -> its folded piece, made the first time a character is met."""

    def __missing__(self, code: int) -> str:
        piece = self[code] = _folded_piece(chr(code))
        return piece


# Folding goes character by character (marks dropped, case lowered, the rest made a space),
# so one `str.translate` through this table, spaces then collapsed, gives what the regular
# expressions give, ~4x faster on a clause (tests/test_properties.py compares the two).
_PIECES = _PieceTable()


def fold(text: str) -> str:
    """Lower-case ASCII form with single spaces.

    >>> fold("Ủy ban Kiểm tra Đảng uỷ")
    'uy ban kiem tra dang uy'
    """
    return " ".join(text.translate(_PIECES).split())


def fold_by_patterns(text: str) -> str:
    """`fold` through the regular expressions themselves (the reference the tests hold `fold` to)."""
    return " ".join(_folded_piece(text).split())


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """`fold` of one word, kept: a page's words repeat, and folding is per character
    (marks, case, punctuation), so " ".join of the non-empty folded words of a text equals
    fold(" ".join(words)).

    >>> " ".join(f for f in map(fold_word, ["Chủ", "trì,", "—", "phối"]) if f) == fold("Chủ trì, — phối")
    True
    """
    return fold(word)
