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

__all__ = ["BOM", "neutralise", "spreadsheet_csv", "write_spreadsheet_csv"]

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
