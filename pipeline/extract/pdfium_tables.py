"""pdfplumber's ruled-table finder fed from pypdfium2, not from pdfminer's reading of the page.

`TableFinder` asks a page for three things: its `edges` (every straight piece of its lines,
rectangles and curves), its `chars` (to read each cell) and its `bbox`. pdfplumber gets them by
interpreting the content stream in Python (~100 ms a page); pdfium has the same paths and
characters in C. This page gives them as pdfplumber would:

- paths split into subpaths at each move, each subpath one point per operator (a Bézier curve
  by its end point, a close by the start point), a closing line that repeats the start point
  dropped, then read as pdfminer reads them (converter.paint_path): a line for "ml"/"mlh", a
  rectangle for a closed axis-aligned "mlllh", else a curve; and cut into edges as pdfplumber
  cuts them (utils/geometry.py: line_to_edge, rect_to_edges, curve_to_edges);
- characters as pdfium_words reads them, word breaks included (pdfminer's boxes; the words made
  of them are pdfplumber's words), as pdfplumber's char dicts.

tests/test_engines.py holds the tables found this way equal to pdfplumber's own.

>>> [e["orientation"] for e in _edges([("m", (0.0, 0.0)), ("l", (10.0, 0.0))], 100.0)]
['h']
>>> sorted(e["orientation"] for e in _edges(_rectangle(0.0, 0.0, 10.0, 5.0), 100.0))
['h', 'h', 'v', 'v']
"""
from __future__ import annotations

import ctypes

__all__ = ["PdfiumTablePage"]

# pdfium's segment types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


class PdfiumTablePage:
    """What pdfplumber's TableFinder reads of a page, from pdfium: bbox, edges, chars."""

    def __init__(self, page, chars: list[tuple], bbox: tuple[float, float, float, float], paths: list):
        """`paths`: the page's path objects with their matrices (pdf_rules.path_objects)."""
        _, bottom, _, top = page.get_mediabox()
        height = top - bottom
        self.bbox = bbox
        self.edges = [e for path in _subpaths(paths) for e in _edges(path, height)]
        self.chars = [{"text": c[0], "x0": c[1], "x1": c[2], "top": c[3], "doctop": c[3], "bottom": c[4],
                       "size": c[5], "fontname": c[6], "upright": c[7]} for c in chars]

    def find_tables(self):
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables


def _subpaths(paths: list) -> list[list[tuple[str, tuple[float, float]]]]:
    """Every path object's subpaths, as (operator, end point on the page) lists."""
    import pypdfium2.raw as pdfium_c

    found: list[list[tuple[str, tuple[float, float]]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()

    def path_of(obj, matrix) -> None:
        a, b, c, d, e, f = matrix
        ops: list[tuple[str, tuple[float, float]]] = []
        bezier = 0
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = (x.value * a + y.value * c + e, x.value * b + y.value * d + f)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == _MOVETO:
                if ops:
                    found.append(ops)
                ops = [("m", point)]
            elif kind == _BEZIERTO:
                bezier += 1
                if bezier % 3 == 0:  # a curve's two control points, then its end point
                    ops.append(("c", point))
            else:
                ops.append(("l", point))
            if pdfium_c.FPDFPathSegment_GetClose(segment) and ops:
                ops.append(("h", ops[0][1]))
        if ops:
            found.append(ops)

    for obj, matrix in paths:
        path_of(obj, matrix)
    return found


def _rectangle(x0: float, y0: float, x1: float, y1: float) -> list[tuple[str, tuple[float, float]]]:
    """A rectangle as pdfium gives one drawn with `re`."""
    return [("m", (x0, y0)), ("l", (x1, y0)), ("l", (x1, y1)), ("l", (x0, y1)), ("l", (x0, y0)), ("h", (x0, y0))]


def _edges(path: list[tuple[str, tuple[float, float]]], height: float) -> list[dict]:
    """The edges pdfplumber makes of one subpath (page coordinates from the top)."""
    shape = "".join(op for op, _ in path)
    pts = [p for _, p in path]
    if shape[:1] != "m":
        return []
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        return [_edge("line", min(x0, x1), max(x0, x1), top, bottom, "h" if top == bottom else "v")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = height - max(y0, y2), height - min(y0, y2)
            return [_edge("rect_edge", left, right, top, top, "h"), _edge("rect_edge", left, right, bottom, bottom, "h"),
                    _edge("rect_edge", left, left, top, bottom, "v"), _edge("rect_edge", right, right, top, bottom, "v")]
    flipped = [(px, height - py) for px, py in pts]
    return [_edge("curve_edge", min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]),
                  "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None))
            for p, q in zip(flipped, flipped[1:])]


def _edge(kind: str, x0: float, x1: float, top: float, bottom: float, orientation) -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}
