"""Closed-world audit: every time expression and every document number in a parsed
document, and what became of it.

A careful reviewer reads a plan twice: once for what it asks, once to check that no date
and no number was passed over. The audit does the second reading. It scans the whole
text for calendar expressions ("ngày 22/10/2018", "tháng 9/2026", "Quý III", "2030") and
for document numbers ("35-NQ/TW", "1234/SXD-QLN&PTĐT"), and gives each one its fate:

    deadline   a deadline of a clause                    "due 2026-09 of clause <id>"
    citation   part of a citation (its number or date)   "citation 35-NQ/TW"
    rejected   refused by a named rule                   "baseline", "name of a plan or cited document", …
    residue    nothing explains it: what the next rule is written for

>>> from pipeline.model import DocInfo, Document
>>> from pipeline.segment import segment
>>> from pipeline.tag import tag
>>> doc = tag(segment(Document("x.txt", "", DocInfo(date="2026-03-01"), 1,
...     "1. Thực hiện Nghị quyết số 35-NQ/TW ngày 22/10/2018, hoàn thành trong tháng 9/2026.")))
>>> [(m.text, m.fate) for m in audit(doc)]
[('35-NQ/TW', 'citation'), ('ngày 22/10/2018', 'citation'), ('tháng 9/2026', 'deadline')]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex

from .model import Citation, DocContext, Document
from .tag import outside_spans
from .tag.citations import normalise_id, printed_own_number
from .tag.deadlines import judge_deadlines
from .tag.deadlines.grammar import YEAR, grammar, words
from .tag.deadlines.values import before_document
from .patterns import compiled

__all__ = ["Mention", "audit", "residue"]

QUARTER = r"(?:IV|I{1,3}|[1-4])"

# Every calendar expression, longest form first; one token each. Boundaries keep digits of
# other numbers ("1.200", "14/16", "A3") out.
TIME_TOKEN = compiled(rf"""
    (?<![\p{{L}}\d/.,-])
    (?: (?:ngày\s+)? \d{{1,2}} \s*[/.-]\s* \d{{1,2}} \s*[/.-]+\s* {YEAR}
      | ngày \s+ \d{{1,2}} \s+ tháng \s+ \d{{1,2}} (?: \s+ năm \s+ {YEAR} )?
      | ngày \s+ \d{{1,2}} \s*/\s* \d{{1,2}}
      | tháng \s+ \d{{1,2}} (?: \s*[/-]\s* {YEAR} | \s+ năm \s+ {YEAR} )?
      | quý \s+ {QUARTER} \b (?: \s*[/-]\s* {YEAR} | \s+ năm \s+ {YEAR} )?
      | \d{{1,2}} \s*/\s* {YEAR}
      | {YEAR} )
    (?![\p{{L}}\d])
""", regex.IGNORECASE | regex.VERBOSE)

# A document number: digits, a slash or dash, then capitalised units ("35-NQ/TW",
# "73/2023/NĐ-CP", "24.6/GĐN", "Số:173    /KH-UBND").
# A space after the dash is allowed only before a capitalised code ("216- QĐ/TU"), so that
# a label and its first word ("1- Trong quá trình …", "2.1- Đổi mới …") are no number.
CODE = r"[\p{Lu}\d&]{2,}(?![\p{Ll}])"
NUMBER_TOKEN = compiled(rf"""
    (?<![\p{{L}}\d/.-])
    (?: (?:QCVN|TCVN) \s* \d{{1,3}}(?:-\d{{1,3}})? \s*:\s* {YEAR}
      | \d{{1,5}} (?:\.\d{{1,4}})? \s*[-/–] (?: (?=\S) | \s+ (?={CODE}) ) (?:{YEAR}\s*[/-]\s*)?
        \p{{Lu}}[\p{{L}}\d&]* )
    (?: \s?[-/–]\s? [\p{{Lu}}\d][\p{{L}}\d&]* )*
    (?![\p{{L}}\d])
""", regex.VERBOSE)

# Rules of the audit itself, for what no tagger proposes.
OWN_NUMBER = "the document's own number"
OWN_DATE = "the document's date"
PAST = "ended before the document's date"
SUPERSEDED = "the clause's time is given elsewhere (its time cell)"
CITED_DATE = "date of the citation before it (unread)"
OUTSIDE = "outside any clause (preamble, closing, signature, annex heading)"
QUALIFIER = "a year that qualifies a noun ('kế hoạch năm 2026')"


@dataclass(frozen=True)
class Mention:
    """One time expression or document number, and its fate."""
    kind: str   # "time" | "number"
    text: str
    start: int
    end: int
    fate: str   # "deadline" | "citation" | "rejected" | "residue"
    why: str = ""


@dataclass(frozen=True)
class _Reason:
    start: int
    end: int
    fate: str
    why: str


def _citations(doc: Document) -> Iterator[Citation]:
    yield from (c for c in doc.document_citations if c.start is not None)
    for clause in doc.walk():
        yield from (c for c in clause.citations if c.start is not None)


def _reasons(doc: Document, ctx: DocContext) -> list[_Reason]:
    """Spans that explain what lies in them, the surest first."""
    out = []
    for clause in doc.walk():
        out += [_Reason(d.start, d.end, "deadline", f"{d.kind} {d.value} of clause {clause.id}")
                for d in clause.deadlines if not d.inherited and d.start is not None]
    out += [_Reason(c.start, c.end, "citation", f"citation {c.id or c.title}") for c in _citations(doc)]
    for clause in doc.walk():
        avoid = [(c.start - clause.start, c.end - clause.start) for c in clause.citations if c.start is not None]
        kept, refused = judge_deadlines(clause.text, ctx, avoid=avoid)
        out += [_Reason(d.start + clause.start, d.end + clause.start, "rejected", rule) for d, rule in refused]
        if clause.deadlines:
            # A task-table row takes its time from its time cell; a time in its task text is
            # then no deadline of its own.
            out += [_Reason(d.start + clause.start, d.end + clause.start, "rejected", SUPERSEDED) for d in kept]
    return out


def _token_value(text: str) -> Optional[str]:
    """ISO value of a time token, as far as it goes ("22/10/2018" → 2018-10-22, "2030" → 2030)."""
    if m := regex.search(rf"(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]+\s*({YEAR})", text):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if m := regex.search(rf"(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})", text, regex.IGNORECASE):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if m := regex.search(rf"(\d{{1,2}})\s*[/-]\s*({YEAR})|tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})", text, regex.IGNORECASE):
        month, year = (m[1], m[2]) if m[1] else (m[3], m[4])
        return f"{year}-{int(month):02d}"
    if m := regex.search(YEAR, text):
        return m[0]
    return None


# "kế hoạch năm 2026", "Festival … năm 2026", "ngân sách năm 2025": a year after a noun says
# which year's thing is meant. After a preposition or a lead verb of the deadline vocabulary
# (models/deadline_phrases.yaml) it would be a time instead.
@lru_cache(maxsize=1)
def _not_a_noun() -> "regex.Pattern":
    v = grammar().vocab
    phrases = v["due_prepositions"] + v["from_prepositions"] + v["lead_verbs"] + ["là", "ngày", "tháng", "quý",
                                                                                   "cuối", "đầu", "giữa", "kể", "sau"]
    return regex.compile(rf"(?i:{words(phrases)})$")


def _qualifies_noun(text: str, start: int) -> bool:
    # "nhiệm kỳ 2026 - 2031", "vụ Đông Xuân 2026 - 2027": a span's second year goes with its first
    first = regex.search(rf"({YEAR})\s*[-–]\s*\Z", text[max(0, start - 12):start])
    if first:
        start -= len(first.group(0))
    before = regex.search(r"([\p{L}]+(?:\s+[\p{L}]+)?)\s+(?:năm\s+)?$", text[max(0, start - 30):start])
    if not before or not regex.match(r"(?i:năm\s+)?" + YEAR, text[start:start + 9]):
        return False
    return not _not_a_noun().search(before.group(1))


# What may stand between a citation and its date when the date itself could not be read:
# "Nghị quyết số 10/2024/NQ-HĐND ngày lŠ tháng 5 năm 2024" (a scan's misread day).
_AFTER_CITATION = compiled(r"[\s,]*(?i:ban\s+hành\s+)?(?i:ngày)?\s*\S{0,3}\s*\Z")


def _audit_rule(kind: str, token: str, start: int, doc: Document, ctx: DocContext,
                outside: list[tuple[int, int]], cited_ends: list[int]) -> Optional[str]:
    """A rule of the audit's own for a token no tagger accounted for."""
    if kind == "number":
        own = ctx.own_number
        return OWN_NUMBER if own and normalise_id(token) == normalise_id(own) else None
    if any(0 <= start - end <= 12 and _AFTER_CITATION.match(doc.text, end, start) for end in cited_ends):
        return CITED_DATE
    value = _token_value(token)
    if value and ctx.info.date and value == ctx.info.date:
        return OWN_DATE
    if value and before_document("due", value, ctx):
        return PAST
    if any(s <= start < e for s, e in outside):
        return OUTSIDE
    if _qualifies_noun(doc.text, start):
        return QUALIFIER
    return None


def audit(doc: Document) -> list[Mention]:
    """Every time expression and document number in a tagged document, in text order,
    each with its fate (see the module's docstring)."""
    info = doc.info
    ctx = DocContext(info=info, own_number=info.number or printed_own_number(doc.text))
    reasons = _reasons(doc, ctx)
    outside = outside_spans(doc)
    cited_ends = [c.end for c in _citations(doc)]
    numbers = [(m.start(), m.end()) for m in NUMBER_TOKEN.finditer(doc.text)]
    tokens = [("number", s, e) for s, e in numbers]
    tokens += [("time", m.start(), m.end()) for m in TIME_TOKEN.finditer(doc.text)
               if not any(s < m.end() and m.start() < e for s, e in numbers)]
    out = []
    for kind, start, end in sorted(tokens, key=lambda t: t[1]):
        token = doc.text[start:end]
        reason = next((r for r in reasons if r.start < end and start < r.end), None)
        if reason:
            out.append(Mention(kind, token, start, end, reason.fate, reason.why))
            continue
        rule = _audit_rule(kind, token, start, doc, ctx, outside, cited_ends)
        out.append(Mention(kind, token, start, end, "rejected" if rule else "residue", rule or ""))
    return out


def residue(mentions: list[Mention]) -> dict[str, int]:
    """How many time expressions and numbers nothing explains.

    >>> residue([Mention("time", "2031", 0, 4, "residue"), Mention("number", "35-NQ/TW", 9, 17, "citation")])
    {'time': 1, 'number': 0}
    """
    return {kind: sum(1 for m in mentions if m.kind == kind and m.fate == "residue") for kind in ("time", "number")}
