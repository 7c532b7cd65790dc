"""Places in a body's name: "phường Móng Cái 1", and the places a plural level lists ("UBND các
phường: Ba Đình, Hoàn Kiếm và Tây Hồ").

>>> from .registry import _registry
>>> text = "Ủy ban nhân dân các phường: Ba Đình, Hoàn Kiếm chủ trì"
>>> parts = []
>>> end = _place_list(text, 26, _registry(), parts)
>>> text[parts[0].start:end]
'Ba Đình, Hoàn Kiếm'
"""
from __future__ import annotations

from typing import Optional

from .registry import _Registry, _is_abbreviation
from .spans import _CAP_WORD, _Part, _after_space
from ...patterns import compiled

# Words of a country's name written in lower case after a capital ("Cộng hòa Liên bang Nga").
_REPUBLIC = compiled(r"(?:Cộng[ \t]+hòa|Liên[ \t]+bang)(?![\p{L}])")


def _place(text: str, pos: int, reg: _Registry) -> Optional[_Part]:
    """A proper place name: capitalised words or numbers ("Móng Cái 1")."""
    end = pos
    cur = pos
    while True:
        m = _REPUBLIC.match(text, cur) or _CAP_WORD.match(text, cur)  # "Cộng hòa Liên bang Nga"
        organ = reg.organs.match(text, cur)
        # In capitals "PHƯỜNG HÀ TU" ends in a place word, not the abbreviation of "Tỉnh ủy".
        if organ and cur > pos and text[pos:organ[1]].isupper() and _is_abbreviation(text[cur:organ[1]]):
            organ = None
        # Place words are capitalised: a one-word stop ("từ") cannot be one ("Hà Tu").
        if not m or reg.starts_stop(text, cur, shortest=2) or organ or reg.heads.match(text, cur):
            break
        if cur == pos and reg.levels.match(text, cur):
            break  # "chi nhánh Khu vực 5": a level of its own, with its own place
        end = m.end()
        nxt = _after_space(text, end)
        if nxt is None:
            break
        cur = nxt
    return _Part("place", pos, end) if end > pos else None


# "UBND các phường: Ba Đình, Hoàn Kiếm và Tây Hồ": the units a plural level names, one by one.
_PLACE_LIST_OPEN = compiled(r"[ \t]*:?[ \t]*")
_PLACE_SEPARATOR = compiled(r"[ \t]*,[ \t]*|[ \t]+(?i:và)[ \t]+|[ \t]*[-–][ \t]*")


def _place_list(text: str, pos: int, reg: _Registry, parts: list[_Part]) -> int:
    """Places after a plural level ("các phường Yên Bái, Văn Phú"), each a part; returns the end."""
    opener = _PLACE_LIST_OPEN.match(text, pos)
    place = _place(text, opener.end(), reg) if opener.end() > pos else None
    if not place:
        return pos
    parts.append(place)
    end = place.end
    while True:
        sep = _PLACE_SEPARATOR.match(text, end)
        nxt = _place(text, sep.end(), reg) if sep else None
        if not nxt:
            return end
        parts += [_Part("sep", sep.start(), sep.end()), nxt]
        end = nxt.end
