"""Markdown copied from web portals → the paragraphs the text reader reads.

Staff paste documents from portals and datasets as markdown: `#` headings, `**bold**` and
`*italic*`, backslash escapes (`\\-`, `\\.`), `<br>`, `<div align="center">` and other HTML
fragments, `---` rules, dataset chunk headings (`# 494_2012_NQ_UBTVQH13_art1`) and pipe
tables. This module strips the markup and hands over one paragraph a line, so the header,
the closing block, the annexes and the clauses are read by the same rules as a text file
(text.py). Pipe tables are read by where they stand and what they hold:

- a task table (tables.py decides) gives one paragraph per row, carrying its TableRow;
- the closing table ("Nơi nhận: - …; - … | KT. CHỦ TỊCH … Name") gives the distribution
  list one recipient a line, then the signature;
- a table before the body (issuer | motto, number | place and date) gives its cells as
  header lines;
- any other table is no body text, and says so with a `table-skipped` warning.

>>> lines = markdown_paragraphs("# NGHỊ QUYẾT\\n\\n**Điều 1.** Tán thành \\\\- nội dung<br>của báo cáo.\\n")
>>> [text for text, _ in lines.paragraphs]
['NGHỊ QUYẾT', 'Điều 1. Tán thành - nội dung', 'của báo cáo.']
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Optional

import regex

from ..model import TableRow, Warning
from .furniture import is_signature
from .tables import is_pipe_row, pipe_table_cells, read_table
from ..patterns import compiled

__all__ = ["markdown_paragraphs", "MarkdownText", "looks_like_markdown"]


@dataclass
class MarkdownText:
    """One paragraph a line (text, TableRow or None), and what was set aside."""
    paragraphs: list[tuple[str, Optional[TableRow]]] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


_COMMENT = compiled(r"<!--.*?-->", regex.DOTALL)
_BREAK = compiled(r"<br\s*/?>", regex.IGNORECASE)
# block-level tags end a paragraph; inline ones (<strong>, <span>) just go
_BLOCK_TAG = compiled(r"</?(?:p|div|center|h[1-6]|section|article|blockquote|li|ul|ol|table|tr)\b[^>]*>",
                           regex.IGNORECASE)
_INLINE_TAG = compiled(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")
_HEADING = compiled(r"^\s{0,3}#{1,6}\s*")
# a dataset's chunk id used as a heading: one token of letters, digits and underscores
_CHUNK_ID = compiled(r"^\s{0,3}#{1,6}\s*[\w.-]*_[\w.-]*\s*$")
_RULE = compiled(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_ESCAPE = compiled(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_STRONG = compiled(r"\*\*|__(?=\S)|(?<=\S)__")
# *italic* / _italic_ around words; a lone "* " opening a line is a bullet, not emphasis
_EMPHASIS = compiled(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")
_LIST_ITEM = compiled(r"^\s*(?:[-+–•]\s|\d{1,3}[.)]\s)")
_SEPARATOR_RUN = compiled(r"\s*[-_=]{3,}\s*")


def looks_like_markdown(text: str) -> bool:
    """Whether plain text carries markdown or HTML markup (headings, emphasis, pipe tables, <br>)."""
    signs = regex.findall(r"(?m)^#{1,6}\s|\*\*\S|^\|.*\|\s*$|<br\s*/?>|<div\b|\\-", text[:20000])
    return len(signs) >= 3


def _inline(text: str) -> str:
    """Emphasis, escapes, entities and inline tags out of one line."""
    text = _INLINE_TAG.sub("", text)
    text = _STRONG.sub("", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text).replace("\u00a0", " ")


def _blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks of raw lines; HTML block tags and <br> end lines too."""
    text = _COMMENT.sub("", text)
    # <br> is a hard line break, as markdown writes one; inside a table row it breaks a cell
    # (tables.pipe_table_cells reads it there)
    text = "\n".join(line if is_pipe_row(line) else _BREAK.sub("  \n", line) for line in text.split("\n"))
    text = _BLOCK_TAG.sub("\n\n", text)
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    return [b for b in blocks if b]


def _prose(block: list[str]) -> list[str]:
    """A block's paragraphs: soft-wrapped lines rejoined; a heading, list item or hard break ends one."""
    out: list[str] = []
    hard_break = True
    for raw in block:
        if raw.lstrip().startswith("|"):
            raw = raw.strip().strip("|")  # a broken table row (a cell over several lines): its words
        if _CHUNK_ID.match(raw) or _RULE.match(raw):
            hard_break = True
            continue
        heading = bool(_HEADING.match(raw))
        line = _HEADING.sub("", raw) if heading else raw
        starts = heading or hard_break or bool(_LIST_ITEM.match(raw)) or not out
        words = _inline(line).strip()
        if words:
            if starts:
                out.append(words)
            else:
                out[-1] = f"{out[-1]} {words}"
        hard_break = heading or raw.endswith("  ") or raw.rstrip().endswith("\\")
    return out


def _closing_table(cells: list[list[str]]) -> list[str]:
    """A closing block laid out as a table: recipients one a line, then the signature cells."""
    lines: list[str] = []
    signature: list[str] = []
    for row in cells:
        for k, cell in enumerate(row):
            words = _inline(cell).strip()
            if regex.match(r"(?i)nơi\s+nhận", words):
                head, _, rest = words.partition(":")
                lines.append(f"{head.strip()}:")
                items = regex.split(r"(?:^|\s)[-–]\s+", rest.strip())
                lines += [f"- {item.strip()}" for item in items if item.strip()]
            elif words and k:
                signature += [w.strip() for w in words.split("\n") if w.strip()]
    return lines + signature


def _header_table(cells: list[list[str]]) -> list[str]:
    """A header laid out as a table: each cell's lines, separator runs ("-------") dropped."""
    out = []
    for row in cells:
        for cell in row:
            for line in _inline(cell).split("\n"):
                words = _SEPARATOR_RUN.sub(" ", line).strip()
                if words:
                    out.append(words)
    return out


def markdown_paragraphs(text: str) -> MarkdownText:
    """Markdown (already decoded, NFC) → paragraphs one a line, task-table rows carried along."""
    result = MarkdownText()
    body_started = False
    for block in _blocks(text):
        table = [line for line in block if is_pipe_row(line)]
        if not table:
            paragraphs = _prose(block)
            result.paragraphs += [(p, None) for p in paragraphs]
            body_started = body_started or any(len(p) > 160 or regex.match(r"(?i)căn\s+cứ|điều\s+\d", p)
                                               for p in paragraphs)
            continue
        prose = [line for line in block if not is_pipe_row(line)]
        result.paragraphs += [(p, None) for p in _prose(prose)]
        cells = pipe_table_cells(table)
        read = read_table(cells)
        if read.is_task_list:
            result.paragraphs += [(row.cell("task") or row.label, row) for row in read.rows]
        elif any(regex.match(r"(?i)\W*nơi\s+nhận", _inline(c)) or is_signature(_inline(c).split("\n")[0])
                 for row in cells for c in row):
            result.paragraphs += [(line, None) for line in _closing_table(cells)]
        elif not body_started:
            result.paragraphs += [(line, None) for line in _header_table(cells)]
        else:
            result.warnings.append(Warning("table-skipped", f"a table of {len(cells)} rows is not a task list: "
                                           f"{read.reason}", 1))
    return result
