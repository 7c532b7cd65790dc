"""Does a PDF page draw a grid? A cheap look at its rules (pypdfium2) before pdfplumber's table finder.

pdfplumber's ruled-table finder (pdf_tables.py) needs pdfminer's slow reading of the whole
page. The fast engine asks it only for a page whose path objects draw at least three
horizontal and three vertical rules; a page with fewer gives the finder no grid to find
(the header's underlines, a box around a paragraph).

>>> _rules([(100.0, 50.0, 52.0), (100.5, 53.0, 200.0), (300.0, 50.0, 51.0)])
1
"""
from __future__ import annotations

__all__ = ["may_hold_ruled_table", "path_objects"]

# pdfplumber's finder joins collinear rule pieces and drops edges shorter than 3 pt (its snap,
# join and edge_min_length tolerances); a grid of two rows of two cells needs three rules each way.
RULE_TOLERANCE, RULE_MIN_LENGTH, GRID_RULES = 3.0, 2.0, 3


def may_hold_ruled_table(page, paths: list | None = None) -> bool:
    """Whether a pypdfium2 page draws enough horizontal and vertical rules to hold a ruled table.

    Counts the straight segments of its path objects (forms included), joined as pdfplumber
    joins them; a page that answers False gives pdfplumber's ruled-table finder nothing to find,
    so the fast engine skips it. `paths`: the page's `path_objects`, when already read.
    """
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for path, matrix in path_objects(page) if paths is None else paths:
        _segments(path, matrix, horizontal, vertical)
    return _rules(horizontal) >= GRID_RULES and _rules(vertical) >= GRID_RULES


def path_objects(page) -> list[tuple[int, tuple[float, ...]]]:
    """The page's path objects, forms opened, each with its matrix on the page (a, b, c, d, e, f)."""
    import pypdfium2.raw as pdfium_c

    found: list[tuple[int, tuple[float, ...]]] = []

    def walk(count, get, matrix, depth):
        for k in range(count):
            obj = get(k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            m = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(obj, m)
            a, b, c, d, e, f = matrix
            own = (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d,
                   m.e * a + m.f * c + e, m.e * b + m.f * d + f)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                found.append((obj, own))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                walk(pdfium_c.FPDFFormObj_CountObjects(obj), lambda i, o=obj: pdfium_c.FPDFFormObj_GetObject(o, i),
                     own, depth + 1)

    raw = page.raw
    walk(pdfium_c.FPDFPage_CountObjects(raw), lambda i: pdfium_c.FPDFPage_GetObject(raw, i), (1, 0, 0, 1, 0, 0), 0)
    return found


def _segments(path, matrix, horizontal: list, vertical: list) -> None:
    """The path's straight segments (a curve by its chord), sorted into horizontal and vertical."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    start = last = None
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, k)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value * a + y.value * c + e, x.value * b + y.value * d + f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = last = point
            continue
        for p, q in ((last, point), (point, start) if pdfium_c.FPDFPathSegment_GetClose(segment) else (None, None)):
            if p is None or q is None:
                continue
            if abs(p[1] - q[1]) <= 1:
                horizontal.append((p[1], min(p[0], q[0]), max(p[0], q[0])))
            elif abs(p[0] - q[0]) <= 1:
                vertical.append((p[0], min(p[1], q[1]), max(p[1], q[1])))
        last = point


def _rules(segments: list[tuple[float, float, float]]) -> int:
    """How many rules the segments make once collinear pieces within the tolerance are joined."""
    count = 0
    segments = sorted(segments)
    k = 0
    while k < len(segments):
        line = [segments[k]]
        k += 1
        while k < len(segments) and segments[k][0] - line[-1][0] <= RULE_TOLERANCE:
            line.append(segments[k])
            k += 1
        spans = sorted((lo, hi) for _, lo, hi in line)
        lo, hi = spans[0]
        for next_lo, next_hi in spans[1:]:
            if next_lo > hi + RULE_TOLERANCE:
                count += hi - lo >= RULE_MIN_LENGTH
                lo = next_lo
            hi = max(hi, next_hi)
        count += hi - lo >= RULE_MIN_LENGTH
    return count
