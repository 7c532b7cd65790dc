"""Task tables in text-layer PDFs: pdfplumber's table finder → rows in the body, in place.

While pdf.py has a page open, `take_tables` finds its tables (ruled: `page.find_tables()`;
unruled: read from the words' positions, only below a line naming task-table columns), takes their
words out of the page so they are not read again as body text, and leaves one marker
word where each table stood. After layout, `place_tables` puts each table's rows where
its marker landed, joins a table that runs on over the next page (its rows, and a row
broken across the page break), and reports the tables that are not task lists.

>>> marker("ab")
'QQTBLabQQ'
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from operator import attrgetter
from typing import Optional

from ..fold import fold_word
from ..model import Warning
from .layout import Layout, Line, PageLines, Word
from .tables import TableRead, heading_role, read_table
from ..patterns import compiled

__all__ = ["PdfTable", "take_tables", "place_tables", "marker", "is_table_marker"]

# A marker is plain ASCII letters: it survives line grouping, paragraph joining and any
# font repair unchanged, and no document prints it.
_MARKER = compiled(r"\s*QQTBL(?P<key>[a-z]+)QQ\s*")
# A ruled grid is a table when it has MIN_ROWS rows and one of them fills MIN_COLUMNS cells; less
# is a box drawn around a paragraph or an underline pdfplumber took for a rule.
MIN_ROWS, MIN_COLUMNS = 2, 2


def marker(key: str) -> str:
    return f"QQTBL{key}QQ"


def is_table_marker(word: Word) -> bool:
    """Whether `word` holds a table's place (it leaves the line once the table is placed)."""
    return "QQTBL" in word.text and _MARKER.fullmatch(word.text) is not None


def _key(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


@dataclass
class PdfTable:
    """One table as found on one page (a table running over pages is several)."""
    key: str
    page: int
    rows: list[list[Optional[str]]]
    read: TableRead
    lefts: tuple[float, ...] = ()  # each column's left edge, to line up the rest of a table on the next page


def _inside(word: Word, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


_TOP_X0, _X0 = attrgetter("top", "x0"), attrgetter("x0")


def _visual_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines (vertical overlap), each sorted left to right."""
    lines: list[list[Word]] = []
    bottom = 0.0  # the lowest bottom of the last line's words
    for w in sorted(words, key=_TOP_X0):
        if lines and w.top < bottom - 0.3 * w.size:
            lines[-1].append(w)
            bottom = max(bottom, w.bottom)
        else:
            lines.append([w])
            bottom = w.bottom
    return [sorted(line, key=_X0) for line in lines]


def _cells(line: list[Word]) -> list[list[Word]]:
    """A line cut at gaps wider than a word space: the pieces of an unruled row's cells.
    (A cell's padding on both sides of a rule-less column edge is wider than any space.)"""
    cells = [[line[0]]]
    for prev, w in zip(line, line[1:]):
        if w.x0 - prev.x1 > 0.6 * w.size:
            cells.append([])
        cells[-1].append(w)
    return cells


def _gutters(words: list[Word], size: float) -> list[float]:
    """Middles of the vertical strips no word covers: where an unruled table's columns part."""
    spans = sorted((w.x0, w.x1) for w in words)
    cuts, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach > 0.8 * size:
            cuts.append((reach + x0) / 2)
        reach = max(reach, x1)
    return cuts


def _straddles(line: list[Word], bounds: list[float]) -> bool:
    return any(w.x0 < b < w.x1 for w in line for b in bounds)


def _unruled_table(words: list[Word]) -> Optional[tuple[tuple, list[list[str]], tuple[float, ...]]]:
    """(bbox, rows, column left edges) of an unruled table under a line naming two column roles, one a task.

    Columns are cut midway between the header's cells; each visual line is a row (the
    lines of one row are joined by read_table: a line with no number continues the row).
    The table goes on down while its lines follow each other closely, in the header's type
    size, and still leave a gutter between every two columns; a line of running text closes
    them. (A short body line in the table's own type size right under it is read as a row.)
    """
    lines = _visual_lines(words)
    for i, line in enumerate(lines):
        cells = _cells(line)
        if len(cells) < 2:
            continue  # a line of running text: two roles need two cells (and naming them costs a fold each)
        roles = {heading_role(" ".join(x.text for x in c)) for c in cells}
        if len(roles - {None, "report"}) < 2 or "task" not in roles:
            continue
        bounds = [(a[-1].x1 + b[0].x0) / 2 for a, b in zip(cells, cells[1:])]  # for the line above only
        size = statistics.median(w.size for w in line)
        taken = [line]
        if i and not _straddles(lines[i - 1], bounds) \
                and min(w.top for w in line) - max(w.bottom for w in lines[i - 1]) < 0.8 * size:
            taken = [lines[i - 1], line]  # the header's first line ("Thời gian" over "hoàn thành")
        columns = len(cells) - 1
        for below in lines[i + 1:]:
            if min(w.top for w in below) - max(w.bottom for w in taken[-1]) > 2.5 * size \
                    or abs(statistics.median(w.size for w in below) - size) > 1 \
                    or len(_gutters([w for row in taken + [below] for w in row], size)) < columns:
                break  # a gap, another type size, or a line across the columns: the table has ended
            taken.append(below)
        cuts = _gutters([w for row in taken for w in row], size)
        rows = []
        for row in taken:
            texts: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
            for w in row:
                texts[sum(1 for c in cuts if (w.x0 + w.x1) / 2 > c)].append(w.text)
            rows.append([" ".join(t) for t in texts])
        every = [w for row in taken for w in row]
        bbox = (min(w.x0 for w in every), min(w.top for w in every),
                max(w.x1 for w in every), max(w.bottom for w in every))
        return bbox, rows, (bbox[0], *cuts)
    return None


def _full_rows(rows: list[list[Optional[str]]]) -> int:
    return sum(1 for row in rows if sum(1 for c in row if c and c.strip()) >= MIN_COLUMNS)


def _is_grid(rows: list[list[Optional[str]]]) -> bool:
    """Rows of cells, not a box drawn around a paragraph (one filled cell a row) or a single line."""
    return len(rows) >= MIN_ROWS and _full_rows(rows) >= 1  # one full row: the rest of a table from the page before


def _unwrapped(rows: list[list[Optional[str]]]) -> list[list[Optional[str]]]:
    """A PDF cell's line breaks are wraps of the column, not lines of a list: join them."""
    return [[" ".join(c.split()) if c else c for c in row] for row in rows]


def _found(page, words: list[Word], ruled: bool = True) -> list[tuple[tuple, list[list[Optional[str]]], tuple[float, ...]]]:
    """(bbox, rows, column left edges) of the page's tables: ruled ones, else an unruled one
    under a header line. `ruled` False: the page draws no grid (pdf_rules.py)."""
    if not words:
        return []  # no text layer (a scan): nothing to find
    tables = [(t.bbox, _unwrapped(t.extract()), tuple(c.bbox[0] for c in t.columns))
              for t in (page.find_tables() if ruled else [])]
    tables = [(b, rows, lefts) for b, rows, lefts in tables if _is_grid(rows)]
    if tables:
        return tables
    # Unruled: only where a line names the columns (the text strategy alone finds tables everywhere).
    folded = " ".join(f for f in map(fold_word, [w.text for w in words]) if f)
    if "chu tri" not in folded and "thuc hien" not in folded and "thoi gian" not in folded and "thoi han" not in folded:
        return []
    found = _unruled_table(words)
    if found is None or not read_table(found[1]).is_task_list:
        return []
    return [found]


def take_tables(page, number: int, words: list[Word], start: int = 0,
                ruled: bool = True) -> tuple[list[Word], list[PdfTable]]:
    """The page's words without its tables' words, a marker word in each table's place, and
    the tables. `start` numbers the markers on from the tables of earlier pages; `ruled`
    False skips pdfplumber's ruled-table finder (the page draws no grid)."""
    tables: list[PdfTable] = []
    try:
        found = _found(page, words, ruled)
    except Exception:  # pdfplumber's geometry on a damaged page: read the page as text
        return words, []
    if not found:
        return words, []
    size = statistics.median(w.size for w in words) if words else 10.0
    kept = list(words)
    for bbox, rows, lefts in found:
        key = _key(start + len(tables))
        tables.append(PdfTable(key, number, rows, read_table(rows), lefts))
        kept = [w for w in kept if not _inside(w, bbox)]
        x0, top = float(bbox[0]), float(bbox[1])
        kept.append(Word(marker(key), x0, x0 + size, top, top + size, size))
    return kept, tables


# --- after layout -----------------------------------------------------------------------------

def _strip_line(line: Line) -> Optional[Line]:
    words = [w for w in line.words if not _MARKER.fullmatch(w.text)]
    if len(words) == len(line.words):
        return line
    return Line(line.page, words, line.size, line.markers, line.row) if words else None


def _groups(tables: list[PdfTable], adjacent: set[tuple[str, str]]) -> tuple[list[list[PdfTable]], list[PdfTable]]:
    """Tables joined across page breaks, and the tables that are no task list."""
    groups: list[list[PdfTable]] = []
    skipped: list[PdfTable] = []
    for table in tables:
        last = groups[-1][-1] if groups else None
        width = max(map(len, table.rows))
        goes_on = (last is not None and table.page == last.page + 1 and (last.key, table.key) in adjacent
                   and (not table.read.is_task_list or table.read.roles == groups[-1][0].read.roles))
        if goes_on and width != max(map(len, last.rows)):
            # the finder cut this page's part into other columns (a merged cell): line them up
            goes_on = not table.read.roles and bool(table.lefts) and bool(groups[-1][0].lefts)
            if goes_on:
                table.rows = _aligned(table.rows, table.lefts, groups[-1][0].lefts)
        if goes_on:
            groups[-1].append(table)
        elif table.read.is_task_list:
            groups.append([table])
        else:
            skipped.append(table)
    return groups, skipped


def _aligned(rows: list[list[Optional[str]]], lefts: tuple[float, ...],
             target: tuple[float, ...]) -> list[list[Optional[str]]]:
    """Rows moved onto another table's columns: each cell into the column its left edge falls in."""
    def column(x: float) -> int:
        return max((k for k, left in enumerate(target) if left <= x + 2), default=0)

    out = []
    for row in rows:
        cells: list[list[str]] = [[] for _ in target]
        for x, text in zip(lefts, row):
            if text:
                cells[column(x)].append(text)
        out.append(["\n".join(c) for c in cells])  # two cells in one column stay two items
    return out


def _rows_by_page(group: list[PdfTable]):
    """The group's rows read as one table, each with the page its first words are on."""
    rows: list[list[Optional[str]]] = []
    out = []
    done = 0
    for table in group:
        rows += table.rows
        read = read_table(rows)
        out += [(row, table.page) for row in read.rows[done:]]
        # a row continued on this page is replaced, not added: keep the joined version
        out = [(read.rows[i], p) for i, (_, p) in enumerate(out)]
        done = len(read.rows)
    return out


def place_tables(layout: Layout, pages: list[PageLines]) -> Layout:
    """Replace each table's marker in `layout` by its rows (one body paragraph each).

    Paragraph indices held by `layout.parts` and `layout.rows` move with the paragraphs.
    """
    tables = [t for page in pages for t in page.tables]
    if not tables:
        return layout
    by_key = {t.key: t for t in tables}
    # Which markers follow each other with no body text between (a table running over a page).
    order: list[Optional[str]] = []
    for text, *_ in layout.body:
        for piece in _MARKER.split(text):
            if piece in by_key:
                order.append(piece)
            elif piece.strip():
                order.append(None)
    adjacent = {(a, b) for a, b in zip(order, order[1:]) if a and b}
    groups, skipped = _groups(tables, adjacent)
    rows_of = {g[0].key: _rows_by_page(g) for g in groups}
    # A small grid with no column names that continues no table is a box around some text:
    # its words go back where they were, one paragraph a row.
    boxes = {t.key: [" ".join(c for c in row if c) for row in t.rows if any(row)] for t in skipped
             if not t.read.roles and _full_rows(t.rows) < 3}
    skipped = [t for t in skipped if t.key not in boxes]
    body, rows, moved = [], {}, {}
    for index, (text, page, bold, source) in enumerate(layout.body):
        moved[index] = len(body)
        if index in layout.rows:
            rows[len(body)] = layout.rows[index]
        pieces = _MARKER.split(text)
        if len(pieces) == 1:
            body.append((text, page, bold, source))
            continue
        for k, piece in enumerate(pieces):
            if k % 2 == 0:
                if piece.strip():
                    body.append((piece.strip(), page, bold, source))
                continue
            for row, row_page in rows_of.get(piece, []):
                rows[len(body)] = row
                body.append((row.cell("task"), row_page, False, source))
            body += [(words, by_key[piece].page, False, source) for words in boxes.get(piece, [])]
    layout.body = body
    layout.rows = rows
    layout.parts = [(moved.get(i, i), part) for i, part in layout.parts]
    for name in ("header", "recipients", "signature"):
        lines = [_strip_line(line) if isinstance(line, Line) else line for line in getattr(layout, name)]
        setattr(layout, name, [line for line in lines if line is not None])
    layout.footnotes = [(m, _MARKER.sub(" ", t).strip()) for m, t in layout.footnotes]
    placed = {key for key in order if key}
    layout.warnings = list(layout.warnings) + [
        Warning("table-skipped", f"a table of {len(t.rows)} rows is not a task list: {t.read.reason}", t.page)
        for t in skipped] + [
        Warning("table-skipped", f"a task table of {len(g[0].rows)} rows stands outside the body "
                                 "(in the header or the closing block): its rows are not read", g[0].page)
        for g in groups if g[0].key not in placed]
    return layout
