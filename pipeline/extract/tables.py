"""Task tables (SPEC §2b): a table's rows of cell strings → `TableRow`s, or a reason to skip it.

Every source hands over the same thing, a list of rows of cell strings: DOCX
tables (docx.py), markdown pipe tables (`rows_from_pipe_table`), PDF tables found
by pdfplumber (pdf_tables.py). This module finds the header row(s), gives each
column a role from models/task_columns.yaml, decides whether the table is a task
list, and reads its rows:

>>> read = read_table([["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
...                    ["(1)", "(2)", "(3)", "(4)"],
...                    ["I", "Công tác tuyên truyền", "", ""],
...                    ["1", "Tổ chức hội nghị quán triệt", "Sở Nội vụ", "Quý II/2026"],
...                    ["", "cho cán bộ chủ chốt", "", ""]])
>>> [(r.label, r.group, r.cell("task"), r.cell("owner")) for r in read.rows]
[('I', True, 'Công tác tuyên truyền', ''), ('1', False, 'Tổ chức hội nghị quán triệt cho cán bộ chủ chốt', 'Sở Nội vụ')]
>>> read_table([["STT", "Tên điểm úng ngập", "Quận"], ["1", "Phố A", "Quận B"]]).reason
'no header row naming task-table columns'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import regex

from ..fold import fold
from ..model import TableRow
from ..vocab_cache import cached_build
from ..patterns import compiled

__all__ = ["TableRead", "heading_role", "read_table", "read_pipe_table", "rows_from_pipe_table",
           "pipe_table_cells", "is_pipe_row", "MODELS"]

MODELS = Path(__file__).resolve().parents[2] / "models"

# How many rows from the top may hold the header (a title row or two may sit above it).
HEADER_SEARCH_ROWS = 6


@dataclass(frozen=True)
class _Vocabulary:
    rules: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]  # (role, whole phrases, start phrases)
    totals: frozenset[str]
    time_lead_ins: tuple[str, ...]


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def vocabulary() -> _Vocabulary:
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    data = yaml.safe_load((MODELS / "task_columns.yaml").read_text(encoding="utf-8"))
    rules = tuple((r["role"], frozenset(fold(p) for p in r.get("whole", ())),
                   tuple(fold(p) for p in r.get("start", ()))) for r in data["roles"])
    return _Vocabulary(rules, frozenset(fold(t) for t in data["totals"]), tuple(data["time_lead_ins"]))


_REMARK = compiled(r"\([^()]*\)|\[[^\[\]]*\]")  # "Cơ quan chủ trì (1)", "Thời hạn [ghi rõ]"


def heading_role(cell: str) -> Optional[str]:
    """The role a column heading gives its column, or None.

    >>> heading_role("Sở, ngành chủ trì tham mưu"), heading_role("Đơn vị tính"), heading_role("Kết quả thực hiện")
    ('owner', 'report', 'report')
    """
    folded = fold(_REMARK.sub(" ", cell)) or fold(cell)
    if not folded or len(folded) > 80:
        return None
    if _matches(fold(cell), *_report_rule()):
        return "report"  # "Tiến độ (Vượt/ Đạt/ Chậm)": the remark makes it a status to fill in
    # A narrow column wraps its heading inside a word ("ST" / "T"): short headings also read unbroken.
    forms = [folded, folded.replace(" ", "")] if len(folded) <= 6 else [folded]
    for role, whole, starts in vocabulary().rules:
        if any(_matches(form, whole, starts) for form in forms):
            return role
    return None


def _matches(folded: str, whole: frozenset[str], starts: tuple[str, ...]) -> bool:
    return folded in whole or any(folded == s or folded.startswith(s + " ") for s in starts)


def _report_rule() -> tuple[frozenset[str], tuple[str, ...]]:
    return next((whole, starts) for role, whole, starts in vocabulary().rules if role == "report")


_NUMBER = compiled(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _number_column(roles: list[Optional[str]], rows: list[list[str]]) -> list[Optional[str]]:
    """An unnamed first column holding row numbers is the label column."""
    if "label" in roles or not roles or roles[0] is not None:
        return roles
    firsts = [row[0] for row in rows if row and row[0]]
    if firsts and sum(bool(_NUMBER.match(c) or _GROUP_LABEL.match(c)) for c in firsts) * 2 > len(firsts):
        return ["label"] + roles[1:]
    return roles


# --- row shapes --------------------------------------------------------------------------------

# "I", "II.", "A", "B-", "IV/": a group row's label (Roman numeral or capital letter).
_GROUP_LABEL = compiled(r"^(?:[IVXLC]{1,6}|[A-ZĐ])\s*[.\-–/:)]?$")
# The same label opening a merged row's text: "II. NHIỆM VỤ CỤ THỂ".
_GROUP_OPENING = compiled(r"^(?P<label>(?:[IVXLC]{1,6}|[A-ZĐ])\s*[.\-–/:)])\s*(?P<title>\S.*)$", regex.DOTALL)
# A column-number row: "(1) (2) (3)", "1 2 3 4", "(A) (B)".
_COLUMN_NUMBER = compiled(r"^\(?(?:\d{1,2}|[A-Za-z])\)?$")
# Markdown and stray emphasis around a label: "**I.**".
_EMPHASIS = compiled(r"\*\*|__|(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)")


def _clean(cell: Optional[str]) -> str:
    """A cell's text as printed: lines kept (a list of people, one a line), spaces collapsed."""
    if not cell:
        return ""
    lines = [" ".join(_EMPHASIS.sub("", line).split()) for line in str(cell).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_column_numbers(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.match(c) for c in filled)


@dataclass(frozen=True)
class TableRead:
    """What `read_table` made of a table: its rows when it is a task list, else why not."""
    rows: list[TableRow] = field(default_factory=list)
    roles: tuple[Optional[str], ...] = ()
    reason: Optional[str] = None  # set when the table is not read as tasks

    @property
    def is_task_list(self) -> bool:
        return self.reason is None


def _header(rows: list[list[str]]) -> Optional[tuple[int, list[Optional[str]]]]:
    """(index of the first row after the header, the role of each column), or None.

    The header is the first of the top rows naming two roles of the vocabulary. A second
    header row under it ("Chủ trì | Phối hợp" under a merged "Cơ quan thực hiện") refines
    the columns it names.
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = [heading_role(c) for c in row]
        if len({r for r in roles if r}) < 2:
            continue
        end = i + 1
        if end < len(rows):
            sub = [heading_role(c) if c else None for c in rows[end]]
            if any(sub) and not _is_data_row(rows[end]):
                return end + 1, [s or r for r, s in zip(roles, sub)]
        # A heading wrapped over lines the table finder read as rows ("ST" / "T", "Thời gian
        # hoàn" / "thành" in an unruled table): read each column's lines together.
        above = rows[i - 1] if i and not _is_data_row(rows[i - 1]) else [""] * len(row)
        below = rows[end] if end < len(rows) and not _is_data_row(rows[end]) else None
        joined = [" ".join(x for x in (a, c, b) if x) for a, c, b in zip(above, row, below or [""] * len(row))]
        wrapped = [heading_role(c) for c in joined]
        if len({r for r in wrapped if r}) > len({r for r in roles if r}):
            return end + (below is not None), wrapped
        return end, roles
    return None


def _is_data_row(row: Sequence[str]) -> bool:
    """A row that opens with a number or a group label holds data, not headings."""
    first = next((c for c in row if c), "")
    if not row or not row[0]:
        return bool(_COLUMN_NUMBER.match(first))
    # "T" under "ST" is a heading's wrapped tail; "I" with a title beside it opens a group
    return bool(_NUMBER.match(row[0]) or (_GROUP_LABEL.match(row[0]) and len(row) > 1 and row[1]))


def _verdict(roles: Sequence[Optional[str]]) -> Optional[str]:
    """None when the columns make a task list, else the reason they do not."""
    shown = ", ".join(r or "-" for r in roles)
    if sum(r == "report" for r in roles) >= 2:
        return f"a report form or statistics (columns: {shown})"
    if "task" not in roles:
        return f"no task column (columns: {shown})"
    if "owner" not in roles and "time" not in roles:
        return f"no owner or time column (columns: {shown})"
    return None


def _cells_by_role(cells: Sequence[str], roles: Sequence[Optional[str]]) -> dict[str, str]:
    """Join the cells of each role; a merged cell repeated across its columns counts once."""
    out: dict[str, list[str]] = {}
    for role, text in zip(roles, cells):
        if role and role != "report" and text and text not in out.setdefault(role, []):
            out[role].append(text)
    return {role: "\n".join(texts) for role, texts in out.items() if texts}


def _group(cells: Sequence[str], by_role: dict[str, str]) -> Optional[tuple[str, str]]:
    """(label, title) when the row only carries a Roman numeral or letter and a title."""
    label = by_role.get("label", "")
    others = {text for role, text in by_role.items() if role not in ("label", "note")}
    if label and _GROUP_LABEL.match(label) and len(others) == 1:
        return label, _one_line(others.pop())
    filled = {c for c in cells if c}
    if len(filled) == 1 and (m := _GROUP_OPENING.match(filled.pop())):
        return m["label"], _one_line(m["title"])  # a merged row "II. NHIỆM VỤ CỤ THỂ"
    return None


def _is_total(by_role: dict[str, str]) -> bool:
    totals = vocabulary().totals
    return any(fold(by_role.get(role, "")) in totals for role in ("label", "task"))


def _row(label: str, by_role: dict[str, str], group: bool = False) -> TableRow:
    cells = tuple((role, _one_line(text) if role in ("task", "time", "output") else text)
                  for role, text in by_role.items() if role != "label")
    return TableRow(label=label, cells=cells, group=group)


def _continued(row: TableRow, by_role: dict[str, str]) -> TableRow:
    """The row above with a continuation row's cells joined on (a row broken across a page)."""
    cells = dict(row.cells)
    for role, text in by_role.items():
        if role == "label":
            continue
        joiner = " " if role in ("task", "time", "output") else "\n"
        cells[role] = (cells[role] + joiner + (_one_line(text) if joiner == " " else text)) if cells.get(role) \
            else text
    return TableRow(row.label, tuple(cells.items()), row.group)


def read_table(rows: Sequence[Sequence[Optional[str]]], roles: Optional[Sequence[Optional[str]]] = None) -> TableRead:
    """Read a table given as rows of cell strings (None for a cell covered by a merge).

    `roles` reads a table with no header of its own (the rest of a table begun on the
    page before). Rules (docs/rules.md, "Task tables"): header rows, column-number rows,
    repeated headers and totals are skipped; a row whose STT is empty continues the
    row above; a row with only a Roman numeral or letter and a title is a group row.
    """
    table = [[_clean(c) for c in row] for row in rows]
    table = [row for row in table if any(row)]
    if not table:
        return TableRead(reason="empty table")
    start = 0
    if roles is None:
        found = _header(table)
        if found is None:
            return TableRead(reason="no header row naming task-table columns")
        start, found_roles = found
        roles = tuple(_number_column(found_roles, table[start:]))
    roles = tuple(roles)
    if (reason := _verdict(roles)) is not None:
        return TableRead(roles=roles, reason=reason)
    width = len(roles)
    out: list[TableRow] = []
    labelled = sum(1 for row in table[start:] if _cells_by_role(row[:width], roles).get("label"))
    for row in table[start:]:
        cells = (row + [""] * width)[:width]
        if _is_column_numbers(cells) or tuple(heading_role(c) if c else None for c in cells) == roles:
            continue  # "(1) (2) (3)", or the header repeated at the top of a page
        by_role = _cells_by_role(cells, roles)
        if not by_role or _is_total(by_role):
            continue
        if (group := _group(cells, by_role)) is not None:
            out.append(_row(group[0], {"task": group[1]}, group=True))
            continue
        if width > 2 and len({c for c in cells if c}) == 1 and sum(1 for c in cells if c) > 1:
            continue  # an unnumbered title merged across the table ("Năm 2026"): no row of its own
        label = _one_line(by_role.get("label", ""))
        if not label and labelled and out and not out[-1].group:
            out[-1] = _continued(out[-1], by_role)
            continue
        if not by_role.get("task"):
            continue  # a numbered row left blank (a form), or a stray label
        out.append(_row(label or "-", by_role))
    if not out:
        return TableRead(roles=roles, reason="no rows filled in")
    return TableRead(rows=out, roles=roles)


# --- markdown pipe tables -------------------------------------------------------------------------

_PIPE_ROW = compiled(r"^\s*\|.*\|\s*$")
_RULE_CELL = compiled(r"^\s*:?-{2,}:?\s*$")
_BREAK = compiled(r"<br\s*/?>", regex.IGNORECASE)


def is_pipe_row(line: str) -> bool:
    return bool(_PIPE_ROW.match(line))


def pipe_table_cells(lines: Sequence[str]) -> list[list[str]]:
    """Rows of cells of a markdown pipe table; the `|---|---|` rule row dropped, `<br>` a line break.

    >>> pipe_table_cells(["| TT | Nhiệm vụ |", "|---|---|", "| 1. | Rà soát \\\\| bổ sung<br>kế hoạch |"])
    [['TT', 'Nhiệm vụ'], ['1.', 'Rà soát | bổ sung\\nkế hoạch']]
    """
    rows = []
    for line in lines:
        body = line.strip()
        if body.startswith("|"):
            body = body[1:]
        if body.endswith("|") and not body.endswith("\\|"):
            body = body[:-1]
        cells = [c.replace("\\|", "|") for c in regex.split(r"(?<!\\)\|", body)]
        if cells and all(_RULE_CELL.match(c) for c in cells):
            continue
        rows.append([_BREAK.sub("\n", c).replace("\\", "").strip() for c in cells])
    return rows


def read_pipe_table(lines: Sequence[str]) -> TableRead:
    """Read a markdown pipe table (its lines, `|` at both ends) as a task table, or say why not.

    >>> read = read_pipe_table(["| TT | Tên nhiệm vụ | Cơ quan chủ trì |", "|---|---|---|",
    ...                         "| **I.** | Hoàn thiện thể chế | |", "| 1. | Sửa đổi quy chế | Bộ Nội vụ |"])
    >>> [(r.label, r.group, r.cell("task")) for r in read.rows]
    [('I.', True, 'Hoàn thiện thể chế'), ('1.', False, 'Sửa đổi quy chế')]
    """
    return read_table(pipe_table_cells(lines))


def rows_from_pipe_table(lines: Sequence[str]) -> list[TableRow]:
    """The task rows of a markdown pipe table; empty when it is no task list (`read_pipe_table`
    says why). Each row becomes one body paragraph, text `row.cell("task")`, `Layout.rows[i] = row`."""
    return read_pipe_table(lines).rows


def time_lead_ins() -> tuple[str, ...]:
    return vocabulary().time_lead_ins
