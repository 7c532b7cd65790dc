"""DOCX input with python-docx: paragraphs and tables in body order, page 1 throughout.

Word has no page geometry to read, so the same text rules as plain text
(header block, "Nơi nhận:" and signature) split off the furniture. Footnotes
come from word/footnotes.xml. Tables are read where they stand in the body:
the header table (issuer | motto) cell by cell before the body, the closing
table ("Nơi nhận:" | signature) into the closing block, a task table (SPEC §2b,
tables.py) one body paragraph per row, any other table skipped with a warning.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import CorruptFileError
from ..model import TableRow, Warning
from .layout import Layout
from .tables import read_table
from .text import TextLine, split_furniture

__all__ = ["docx_layout"]


# The largest real resolutions unpack to a few MB; anything past this is a zip bomb.
MAX_UNPACKED_MB = 256


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse before unpacking: zipfile never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFileError(f"cannot read the Word document ({type(exc).__name__})", path) from exc
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise CorruptFileError(f"the Word document unpacks to {unpacked // (1024 * 1024)} MB, more than "
                               f"{MAX_UNPACKED_MB} MB; it may be a zip bomb", path)


def docx_layout(path: Path) -> Layout:
    """Read a .docx into a Layout (bold when most of a paragraph's runs are bold)."""
    import docx

    _refuse_zip_bomb(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/BadZipFile/ValueError on damaged parts
        raise CorruptFileError(f"cannot read the Word document ({type(exc).__name__})", path) from exc
    paragraphs: list[tuple[str, int]] = []
    bold: dict[int, bool] = {}
    rows: dict[int, TableRow] = {}
    closing: list[list[str]] = []
    warnings: list[Warning] = []
    numbers = _AutoNumbers(document)
    for kind, item in _body_items(document):
        if kind == "paragraph":
            numbers.see(item._p)
            if not item.text.strip():
                continue
            bold_chars = sum(len(r.text) for r in item.runs if r.bold)
            bold[len(paragraphs)] = bold_chars * 2 > len(item.text)
            paragraphs.append((item.text, 1))
            continue
        cells = _table_cells(item, numbers)
        read = read_table(cells)
        if read.is_task_list:
            for row in read.rows:
                rows[len(paragraphs)] = row
                paragraphs.append((row.cell("task"), 1))
        elif cells and cells[0] and cells[0][0].startswith("Nơi nhận"):
            closing = cells  # "Nơi nhận: … | KT. GIÁM ĐỐC …": the closing block laid out as a table
        elif not paragraphs and not rows:
            # the header (issuer | motto, number | place and date) laid out as a table
            paragraphs.extend((line, 1) for row in cells for cell in row for line in cell.split("\n") if line.strip())
        elif read.roles or sum(1 for row in cells if sum(1 for c in row if c) >= 2) >= 2:
            warnings.append(Warning("table-skipped",
                                    f"a table of {len(cells)} rows is not a task list: {read.reason}", 1))
        # else: a layout table ("Kính gửi:" beside an empty cell) holds no rows of data
    split = split_furniture(paragraphs)
    header, recipients, signature = split.header, split.recipients, split.signature
    items = [(t, p, bold.get(i, False), "docx") for i, (t, p) in zip(split.origins, split.body)]
    table_rows = {k: rows[i] for k, i in enumerate(split.origins) if i in rows}
    for row in closing[:1]:
        recipients += [TextLine(line) for line in row[0].split("\n") if line.strip()]
        signature += [TextLine(line) for cell in row[1:] for line in cell.split("\n") if line.strip()]
    return Layout(header, items, _footnotes(document), recipients, signature, split.parts, rows=table_rows,
                  warnings=warnings)


def _body_items(document):
    """("paragraph" | "table", python-docx object) for each child of the body, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            yield "paragraph", Paragraph(child, document)
        elif child.tag == f"{_W}tbl":
            yield "table", Table(child, document)


def _table_cells(table, numbers: "_AutoNumbers") -> list[list[str]]:
    """Each row's cell texts (a cell's paragraphs one a line); Word's automatic numbering of a
    cell ("1." drawn by Word, not typed) rendered, as the reader sees it."""
    out = []
    for row in table.rows:
        texts = []
        for cell in row.cells:
            lines = []
            for para in cell.paragraphs:
                number = numbers.see(para._p)
                text = para.text.strip()
                lines.append(f"{number} {text}".strip() if number else text)
            texts.append("\n".join(line for line in lines if line))
        out.append(texts)
    return out


class _AutoNumbers:
    """Counters of Word's list numbering (w:numPr), rendered with the level's text ("%1.").

    Only decimal, letter and Roman formats are drawn; bullets draw nothing.
    """
    _FORMATS = {"decimal": str, "lowerLetter": lambda n: "abcdefghiklmnopqrstuvxy"[(n - 1) % 23],
                "upperLetter": lambda n: "ABCDEFGHIKLMNOPQRSTUVXY"[(n - 1) % 23],
                "upperRoman": lambda n: _roman(n), "lowerRoman": lambda n: _roman(n).lower()}

    def __init__(self, document):
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counts: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in numbering.iter(f"{_W}abstractNum")}
        for num in numbering.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            for lvl in definition.iter(f"{_W}lvl") if definition is not None else ():
                fmt, text, start = (lvl.find(f"{_W}{k}") for k in ("numFmt", "lvlText", "start"))
                self.levels[(num.get(f"{_W}numId"), lvl.get(f"{_W}ilvl"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                    int(start.get(f"{_W}val")) if start is not None and start.get(f"{_W}val", "").isdigit() else 1)

    def see(self, p) -> str:
        """Count a paragraph in its list; the number Word draws before it ("" when none)."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            return ""
        num_id, ilvl = (num_pr.find(f"{_W}{k}") for k in ("numId", "ilvl"))
        num_id = num_id.get(f"{_W}val") if num_id is not None else None
        level = int(ilvl.get(f"{_W}val")) if ilvl is not None and ilvl.get(f"{_W}val", "").isdigit() else 0
        if (num_id, str(level)) not in self.levels:
            return ""
        counts = self.counts.setdefault(num_id, {})
        fmt, text, start = self.levels[(num_id, str(level))]
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]  # a new item restarts the levels under it
        draw = self._FORMATS.get(fmt)
        if draw is None:
            return ""
        out = text
        for k in range(level + 1):
            lvl_fmt, _, lvl_start = self.levels.get((num_id, str(k)), (fmt, "", 1))
            value = counts.get(k, lvl_start)
            out = out.replace(f"%{k + 1}", (self._FORMATS.get(lvl_fmt) or str)(value))
        return out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _footnotes(document) -> list[tuple[str, str]]:
    """Word footnotes as (marker, text), numbered as Word shows them: by the order of their
    references in the body (python-docx gives the body text without the reference marks)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external), None)
    if part is None:
        return []
    texts = {}
    for note in parse_xml(part.blob).iter(f"{_W}footnote"):
        if note.get(f"{_W}type") is None:  # not a separator
            texts[note.get(f"{_W}id")] = " ".join("".join(t.text or "" for t in note.iter(f"{_W}t")).split())
    order = [ref.get(f"{_W}id") for ref in document.element.body.iter(f"{_W}footnoteReference")]
    return [(str(n), texts[i]) for n, i in enumerate(dict.fromkeys(order), start=1) if texts.get(i)]
