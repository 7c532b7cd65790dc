"""Running headers, footers and page numbers: lines that repeat in the margin band of many pages.

Repetition and position decide, never a known sentence: a confidentiality notice at the foot of
every page goes, a heading that happens to sit low on one page stays.

>>> bool(PAGE_NUMBER.match("- 3 -")), bool(PAGE_NUMBER.match("Trang 2/7")), bool(PAGE_NUMBER.match("2026"))
(True, True, False)
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import regex

from ..fold import fold
from ..patterns import compiled

_DIGITS = compiled(r"\d+")

if TYPE_CHECKING:  # layout.py imports this module; the types are only annotations here
    from .layout import Line, PageLines

__all__ = ["PAGE_NUMBER", "drop_running_lines"]

PAGE_NUMBER = compiled(r"^[\s\-–—]*(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?[\s\-–—]*$", regex.IGNORECASE)


def _in_margin_band(line: Line, page: PageLines, band: float = 0.12) -> bool:
    return line.bottom < band * page.height or line.top > (1 - band) * page.height


def drop_running_lines(pages: list[PageLines]) -> None:
    """Remove page numbers and lines repeated (digits aside) in the margin band of many pages.

    Repetition + position, never a known sentence: a confidentiality notice at
    the foot of every page goes, a heading that happens to sit low on one page stays.
    """
    def key(line: Line) -> str:
        # The band is part of the key: a footer repeating the issuer's name must not
        # take the same name out of page 1's header block.
        band = "top" if line.bottom < page_height(line) / 2 else "bottom"
        return band + ":" + _DIGITS.sub("#", fold(line.text))

    heights = {id(l): p.height for p in pages for l in p.lines}

    def page_height(line: Line) -> float:
        return heights[id(line)]

    seen = Counter()
    for page in pages:
        seen.update({key(l) for l in page.lines if _in_margin_band(l, page)})
    need = max(2, (len(pages) + 1) // 2)
    for page in pages:
        page.lines = [
            l for l in page.lines
            if not (_in_margin_band(l, page) and (seen[key(l)] >= need or PAGE_NUMBER.match(l.text)))
        ]
