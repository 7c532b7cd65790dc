"""Small server-side SVG charts for the overview page (no JavaScript, no chart library).

Every label is XML-escaped here; the templates insert the result as markup.
"""
from __future__ import annotations

from typing import Optional, Sequence

from markupsafe import Markup, escape

__all__ = ["bar_chart", "column_chart"]

BAR_HEIGHT = 22
LABEL_WIDTH = 260
CHAR_LIMIT = 42  # labels longer than this are cut, the full text goes in <title>


def _short(label: str) -> str:
    return label if len(label) <= CHAR_LIMIT else label[:CHAR_LIMIT - 1] + "…"


def bar_chart(items: Sequence[tuple[str, int, Optional[str]]], *, width: int = 640,
              title: str = "") -> Markup:
    """Horizontal bars, one per (label, value, link or None), longest bar = largest value.

    >>> "Ủy ban Kiểm tra" in bar_chart([("Ủy ban Kiểm tra", 4, "/tasks?body=UBKT")])
    True
    """
    if not items:
        return Markup('<p class="empty">Nothing to chart yet.</p>')
    top = max(value for _, value, _ in items) or 1
    span = width - LABEL_WIDTH - 50
    height = BAR_HEIGHT * len(items) + 4
    rows = []
    for i, (label, value, href) in enumerate(items):
        y = i * BAR_HEIGHT + 2
        length = max(2, round(span * value / top))
        row = (f'<g class="bar"><title>{escape(label)}: {value}</title>'
               f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(_short(label))}</text>'
               f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{BAR_HEIGHT - 6}" rx="2"/>'
               f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" class="value">{value}</text></g>')
        if href:
            row = f'<a href="{escape(href)}">{row}</a>'
        rows.append(row)
    return Markup(f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
                  f' width="100%" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def column_chart(items: Sequence[tuple[str, int, Optional[str]]], *, width: int = 640, height: int = 180,
                 title: str = "") -> Markup:
    """Vertical columns in order (a time line: one per week or month), label under each.

    >>> column_chart([("2025-08", 3, None), ("2025-09", 0, None)]).count("<rect")
    2
    """
    if not items:
        return Markup('<p class="empty">Nothing to chart yet.</p>')
    top = max(value for _, value, _ in items) or 1
    plot = height - 40
    step = width / len(items)
    cols = []
    for i, (label, value, href) in enumerate(items):
        x = i * step
        tall = round(plot * value / top) if value else 0
        col = (f'<g class="col"><title>{escape(label)}: {value}</title>'
               f'<rect x="{x + step * 0.15:.1f}" y="{plot - tall + 14}" width="{step * 0.7:.1f}"'
               f' height="{max(tall, 1)}" rx="2"/>'
               f'<text x="{x + step / 2:.1f}" y="{plot - tall + 10}" text-anchor="middle" class="value">'
               f'{value if value else ""}</text>'
               f'<text x="{x + step / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text></g>')
        if href and value:
            col = f'<a href="{escape(href)}">{col}</a>'
        cols.append(col)
    return Markup(f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
                  f' width="100%" xmlns="http://www.w3.org/2000/svg">{"".join(cols)}</svg>')
