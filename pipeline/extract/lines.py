"""Words into lines: rows by vertical overlap, cut into column fragments at wide gaps.

Every text-layer page goes through here (and every OCR page), so the grouping is written for
speed: a row once closed is skipped where met, a row's medians are taken without `statistics`.
"""
from __future__ import annotations

import statistics
from operator import attrgetter

from .layout import _MARKER, SUPERSCRIPT_DIGITS, Line, Word

__all__ = ["lines_from_words", "median"]


def _is_superscript(word: Word, main: list[Word]) -> bool:
    """A small digit run raised above the baseline of the text around it."""
    if not main or not _MARKER.fullmatch(word.text):
        return False
    size = statistics.median(w.size for w in main)
    baseline = statistics.median(w.bottom for w in main)
    return word.size < 0.8 * size and word.bottom < baseline - 0.15 * size


def median(values: list[float]) -> float:
    """statistics.median of a non-empty list, the same value, ~10x faster on the short lists of
    a line's words (called for every line of every page).

    >>> median([3.0, 1.0, 2.0]), median([4.0, 1.0, 3.0, 2.0])
    (2.0, 2.5)
    """
    n = len(values)
    if n == 1:
        return values[0]
    data = sorted(values)
    if n % 2:
        return data[n // 2]
    return (data[n // 2 - 1] + data[n // 2]) / 2


_TOP_X0, _X0 = attrgetter("top", "x0"), attrgetter("x0")


def lines_from_words(words: list[Word], page: int, column_gap: float = 2.2) -> list[Line]:
    """Group words into lines by vertical overlap, then split rows at wide gaps.

    A gap wider than `column_gap` × font size separates two column fragments
    (the two-column header "ĐẢNG BỘ … | ĐẢNG CỘNG SẢN VIỆT NAM", the signature row).
    """
    rows: list[list[Word]] = []
    spans: list[list[float]] = []
    ordered = sorted(words, key=_TOP_X0)
    # A row whose span ends above the lowest midpoint still to come can take no
    # further word: dropping it keeps the search short (it was rows x words).
    lowest_mid_ahead = [0.0] * len(ordered)
    lowest = float("inf")
    for k in range(len(ordered) - 1, -1, -1):
        mid = (ordered[k].top + ordered[k].bottom) / 2
        if mid < lowest:
            lowest = mid
        lowest_mid_ahead[k] = lowest
    # lowest_mid_ahead only grows and a closed row takes no word, so a row once closed stays
    # closed: closed rows are skipped where met and dropped from the list then.
    open_rows: list[int] = []
    for k, word in enumerate(ordered):
        top, bottom = word.top, word.bottom
        mid = (top + bottom) / 2
        ahead = lowest_mid_ahead[k]
        closed = False
        for i in open_rows:
            span = spans[i]
            if span[1] + 1 < ahead:
                closed = True
                continue
            if span[0] - 1 <= mid <= span[1] + 1:
                rows[i].append(word)
                if top < span[0]:
                    span[0] = top
                if bottom > span[1]:
                    span[1] = bottom
                break
        else:
            open_rows.append(len(rows))
            rows.append([word])
            spans.append([top, bottom])
        if closed:
            open_rows = [i for i in open_rows if spans[i][1] + 1 >= ahead]
    lines: list[Line] = []
    for row_id, row in enumerate(sorted(rows, key=lambda r: median([w.bottom for w in r]))):
        row.sort(key=_X0)
        sizes = [x.size for x in row]
        floor = 0.8 * max(sizes)
        # a raised digit that opens the row is a footnote's own marker: keep it as a word
        markers = [w for w in row[1:] if w.size < floor] if min(sizes) < floor else []
        if markers:
            big = [w for w in row if w.size >= floor]
            markers = [w for w in markers if _is_superscript(w, big)]
        kept = [w for w in row if w not in markers] or row if markers else row
        size = median([w.size for w in kept]) if markers else median(sizes)
        fragments: list[list[Word]] = [[kept[0]]]
        for prev, word in zip(kept, kept[1:]):
            if word.x0 - prev.x1 > column_gap * size:
                fragments.append([])
            fragments[-1].append(word)
        if len(fragments) == 1:
            found = [m.text.translate(SUPERSCRIPT_DIGITS) for m in markers]
            lines.append(Line(page, fragments[0], size, found, row_id))
            continue
        for i, fragment in enumerate(fragments):
            found = [m.text.translate(SUPERSCRIPT_DIGITS) for m in markers] if i == len(fragments) - 1 else []
            lines.append(Line(page, fragment, median([w.size for w in fragment]), found, row_id))
    return lines
