"""CSV for spreadsheets (Excel, LibreOffice): UTF-8 with a byte-order mark, formulas disarmed.

Excel reads a CSV without a BOM in the machine's ANSI code page, which garbles
Vietnamese ("Sá»Ÿ" for "Sở"); the BOM tells it UTF-8. A cell starting with
= + - @ (or tab, CR) is run as a formula when opened, so such cells get a
leading apostrophe, which spreadsheets hide (OWASP "CSV injection"). Only for
people's tables: the Neo4j import files (`pipeline.export.csv`) stay exact.
"""
from __future__ import annotations

import csv
import io
from typing import BinaryIO, Iterable, Sequence

__all__ = ["BOM", "TASK_COLUMNS", "neutralise", "spreadsheet_csv", "task_row", "write_spreadsheet_csv"]

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell that spreadsheets will not evaluate.

    >>> neutralise("=HYPERLINK(1)"), neutralise("- thực hiện"), neutralise("Sở Tài chính")
    ("'=HYPERLINK(1)", "'- thực hiện", 'Sở Tài chính')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The table as spreadsheet CSV bytes: BOM, header, rows; None is an empty cell.

    >>> spreadsheet_csv(["label"], [["- a)"]])
    b"\\xef\\xbb\\xbflabel\\r\\n'- a)\\r\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(str(cell)) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def write_spreadsheet_csv(stream: BinaryIO, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write `spreadsheet_csv(header, rows)` to a binary stream: bytes, so the console's
    encoding cannot change them (flush a text stream over it first).

    >>> write_spreadsheet_csv(sys.stdout.buffer, ["id"], [["012_nq/I-.1."]])   # doctest: +SKIP
    """
    stream.write(spreadsheet_csv(header, rows))
    stream.flush()


# A task as a spreadsheet row: the deadline in the source's own words, and `due` its ISO
# value, which sorts; owners and supporting bodies apart, so each filters.
TASK_COLUMNS = ("id", "document", "label", "kind", "owner", "support", "deadline", "due", "citations", "text")


def _joined(values) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def task_row(task: dict) -> list[str]:
    """One task (a clause as `find_tasks` returns it) as a row under TASK_COLUMNS.

    >>> task_row({"id": "012/I-.1.(1)", "document": {"number": "12-NQ/ĐU", "source": "012.pdf"},
    ...           "label": "(1)", "kind": "task", "text": "Kiểm tra ...", "citations": [],
    ...           "bodies": [{"name": "Ủy ban Kiểm tra", "role": "owner"}],
    ...           "deadlines": [{"text": "trong tháng 8/2025", "value": "2025-08", "kind": "due"}]})[3:]
    ['task', 'Ủy ban Kiểm tra', '', 'trong tháng 8/2025', '2025-08', '', 'Kiểm tra ...']
    """
    bodies, deadlines = task["bodies"], task["deadlines"]
    return [task["id"], task["document"]["number"] or task["document"]["source"], task["label"], task["kind"],
            _joined(b["name"] for b in bodies if b["role"] == "owner"),
            _joined(b["name"] for b in bodies if b["role"] == "support"),
            _joined(d.get("text") for d in deadlines), _joined(d.get("value") for d in deadlines),
            _joined(c.get("id") or c.get("title") or c.get("text") for c in task["citations"]), task["text"]]
