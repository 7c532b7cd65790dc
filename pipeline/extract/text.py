"""Plain-text input: decode, drop page furniture, rejoin wrapped lines, split off header/closing.

Text exported from Word or copied from a PDF comes in two shapes: one paragraph
per line, or hard-wrapped at a fixed width (often with blank lines between the
wrapped lines and a trailing double space where the author ended a paragraph).
Without geometry, a line ends its paragraph when it is clearly shorter than the
wrap width, carries the trailing double space, or the next line opens a clause.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

import regex

from ..fold import fold
from ..model import Part, TableRow
from .furniture import (
    annex_title, is_addressee, is_annex_note, is_motto, is_recipients, is_signature, is_stamp_line, mark_parts,
    opens_untitled_annex, without_furniture,
)
from .layout import _CLAUSE_START, _PREAMBLE_START, SUPERSCRIPT_DIGITS, Layout, join_lines
from .legacy import decode_bytes
from .markdown import looks_like_markdown, markdown_paragraphs
from .normalize import nfc
from .running import PAGE_NUMBER
from ..patterns import compiled

__all__ = ["text_layout", "TextLine"]


@dataclass(frozen=True)
class TextLine:
    """A header or closing line read from plain text (no geometry)."""
    text: str
    page: int = 1


_SENTENCE_END = compiled(r"[.:;!?…]\s*$|\./\.\s*$")
_FOOTNOTE = compiled(r"^(?P<marker>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(?P<text>.+)$")
_INLINE_MARKER = compiled(r"(?<=[\p{L}\p{P}])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# C0/C1 controls other than tab, line ends and form feed (our page break) carry no text;
# left in, they end up in the store and break XML exports.
_CONTROL = compiled(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HEADERISH = compiled(r"^(?:Số\s*:|.+,\s*ngày\b.+năm\s+\d{4}|[\p{Lu}\s]{6,}$)")


def _running_lines(lines: list[str]) -> set[str]:
    """Footer sentences: repeated lines that sit next to a bare page number."""
    key = lambda s: regex.sub(r"\d+", "#", fold(s))  # noqa: E731
    counts = Counter(key(l) for l in lines if len(l.strip()) >= 25)
    numbered = [i for i, l in enumerate(lines) if PAGE_NUMBER.match(l) and l.strip()]
    near = {key(lines[j]) for i in numbered for j in range(max(0, i - 8), min(len(lines), i + 8))}
    return {k for k in near if counts[k] >= 2}


def _paragraphs(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    lengths = [len(l.rstrip()) for l, _ in lines]
    width = sorted(lengths)[int(0.95 * (len(lengths) - 1))] if lengths else 0
    double_space = sum(l.endswith("  ") for l, _ in lines) >= 3
    out: list[tuple[str, int]] = []
    prev = None
    for raw, page in lines:
        text = raw.strip()
        if prev is not None:
            ends = (
                (double_space and prev.endswith("  "))
                or len(prev.rstrip()) < 0.7 * width
                or (not double_space and _SENTENCE_END.search(prev))
                or (_CLAUSE_START.match(text) and _SENTENCE_END.search(prev))
                or is_annex_note(prev)  # "(Ban hành kèm theo …)" is a line of its own
            )
            if not ends:
                out[-1] = (join_lines(out[-1][0], text), out[-1][1])
                prev = raw
                continue
        out.append((text, page))
        prev = raw
    return out


_FRONT_MATTER = compiled(r"\A---\n(?P<meta>.*?)\n---\n", regex.DOTALL)
_CORPUS_MARKER = compiled(r"\[\^(?P<n>\d+)\]")


def _front_matter_layout(text: str) -> Optional[Layout]:
    """The project's corpus format (corpus/README.md): YAML front matter holding the
    printed header, signature, footnotes and recipients, then one paragraph per line.
    Read as the printed document would be, so `parse corpus/x.txt` matches its PDF."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    import yaml  # here, not at the top: only the corpus format's front matter needs it

    try:
        meta = yaml.safe_load(m["meta"])
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict) or "kind" not in meta:
        return None

    def lines(key: str) -> list[str]:
        value = meta.get(key)
        return [str(x) for x in value] if isinstance(value, list) else [str(value)] if value else []

    header = [TextLine(t) for key in ("issuer_left", "motto_right", "number", "place_date", "kind", "title")
              for t in lines(key)]
    printed = [_CORPUS_MARKER.sub("", line.strip()) for line in text[m.end():].split("\n") if line.strip()]
    kept, parts = without_furniture(printed, *mark_parts(printed))
    body = [(line, 1, False, "plain") for line in kept]
    footnotes = [(str(k), str(v)) for k, v in (meta.get("footnotes") or {}).items()]
    signature = [TextLine(t) for t in lines("signer_block") + lines("signer_name")]
    recipients = [TextLine("Nơi nhận:")] + [TextLine(f"- {t}") for t in lines("recipients")]
    return Layout(header, body, footnotes, recipients, signature, parts)


def text_layout(data: bytes, *, markdown: bool = False) -> tuple[Layout, int]:
    """Decode a text file and lay it out; returns the layout and the page count (form feeds).

    `markdown` (a .md file, or text that carries markdown markup) strips the markup first
    (markdown.py), one paragraph a line, task-table rows carried along.
    """
    text, _encoding = decode_bytes(data)
    text = _CONTROL.sub("", nfc(text)).replace("\r\n", "\n").replace("\r", "\n")
    corpus = _front_matter_layout(text)
    if corpus is not None:
        return corpus, 1
    if markdown or looks_like_markdown(text):
        read = markdown_paragraphs(text)
        paragraphs = [(t, 1) for t, _ in read.paragraphs]
        rows = {i: row for i, (_, row) in enumerate(read.paragraphs) if row is not None}
        return _layout(paragraphs, [], rows, read.warnings), 1
    pages = text.split("\f")
    raw = [(line, n) for n, page in enumerate(pages, start=1) for line in page.split("\n")]
    furniture = _running_lines([l for l, _ in raw])
    key = lambda s: regex.sub(r"\d+", "#", fold(s))  # noqa: E731
    footnotes: list[tuple[str, str]] = []
    kept: list[tuple[str, int]] = []
    for line, page in raw:
        stripped = line.strip()
        if not stripped or PAGE_NUMBER.match(stripped) or key(stripped) in furniture:
            continue
        if m := _FOOTNOTE.match(line.strip()):
            footnotes.append((m["marker"].translate(SUPERSCRIPT_DIGITS), m["text"].strip()))
            continue
        kept.append((_INLINE_MARKER.sub("", line), page))
    return _layout(_paragraphs(kept), footnotes, {}, []), len(pages)


def _layout(paragraphs: list[tuple[str, int]], footnotes: list, rows: dict[int, TableRow], warnings: list) -> Layout:
    split = split_furniture(paragraphs)
    body = [(t, p, False, "plain") for t, p in split.body]
    body_rows = {k: rows[i] for k, i in enumerate(split.origins) if i in rows}
    return Layout(split.header, body, footnotes, split.recipients, split.signature, split.parts, body_rows,
                  list(warnings))


@dataclass
class Split:
    """Paragraphs told apart: header lines, body paragraphs (with the index each had in the
    input, so a reader can carry its own per-paragraph facts along), annexes, closing block."""
    header: list[TextLine]
    body: list[tuple[str, int]]
    origins: list[int]
    parts: list[tuple[int, Part]]
    recipients: list[TextLine]
    signature: list[TextLine]


def split_furniture(paragraphs: list[tuple[str, int]]) -> Split:
    """Split paragraphs into header, body, recipients and signature (no geometry), and find the annexes.

    `parts` pairs the index in `body` of each annex's first paragraph with its Part (SPEC
    §2a). After a closing block ("Nơi nhận:", a signature line) everything is furniture until
    an annex's title block; the body resumes after it. Only the first closing block gives
    the recipients and the signature. Stamp lines ("Ký bởi: …") are dropped wherever they are.

    >>> split = split_furniture([("Điều 1. Ban hành Kế hoạch.", 1), ("Nơi nhận:", 1), ("- Như Điều 1;", 1),
    ...                          ("CHỦ TỊCH", 1), ("KẾ HOẠCH", 2), ("(Kèm theo Quyết định số 7/QĐ-UBND)", 2),
    ...                          ("I. MỤC TIÊU", 2)])
    >>> split.body, [(i, p.title) for i, p in split.parts], [l.text for l in split.signature]
    ([('Điều 1. Ban hành Kế hoạch.', 1), ('I. MỤC TIÊU', 2)], [(1, 'Kế hoạch')], ['CHỦ TỊCH'])
    """
    numbered = [(i, t, p) for i, (t, p) in enumerate(paragraphs) if not is_stamp_line(t)]
    start = 0
    if any(_HEADERISH.match(t) for _, t, _ in numbered[:6]):
        start = next((k for k, (_, t, _) in enumerate(numbered[:20])
                      if _PREAMBLE_START.match(t) or _CLAUSE_START.match(t)), 0)
    header = [TextLine(t, p) for _, t, p in numbered[:start]]
    body: list[tuple[int, str, int]] = []
    resumes: set[int] = set()
    recipients: list[TextLine] = []
    signature: list[TextLine] = []
    closings = 0  # closing blocks met so far
    closing = in_list = False
    for i, t, p in numbered[start:]:
        if closing and (annex_title(t, after_closing=True) or opens_untitled_annex(t)):
            closing = False
            resumes.add(len(body))
        elif not closing and (is_recipients(t) or is_signature(t)):
            closing, closings, in_list = True, closings + 1, False
        if not closing:
            body.append((i, t, p))
            continue
        if closings > 1 or is_motto(t):
            closings = max(closings, 2)  # an annex's own header or closing: furniture, not the signer
        elif is_recipients(t):
            in_list = True
            recipients.append(TextLine(t, p))
        elif in_list and regex.match(r"^[-+–•]", t):
            recipients.append(TextLine(t, p))
        else:
            in_list = False
            signature.append(TextLine(t, p))
    addressed = bool(header) and is_addressee(header[-1].text)  # "Kính gửi:" closed the header
    parts, furniture = mark_parts([t for _, t, _ in body], [p for _, _, p in body], resumes, addressed)
    kept, parts = without_furniture(body, parts, furniture)
    return Split(header, [(t, p) for _, t, p in kept], [i for i, _, _ in kept], parts, recipients, signature)
