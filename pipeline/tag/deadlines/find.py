"""Finding: every candidate the grammar proposes, judged by the checks, overlaps settled."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Sequence

import regex

from ...model import Deadline, DocContext
from .checks import (adopts_document, contains_phrase, in_name, inside_quotes, lower_words, modifies_noun,
                     past_or_baseline, past_sentence, singled_out)
from .grammar import grammar, phrase_key
from .values import before_document, document_year, explicit_value, limit_end
from ...patterns import compiled


@dataclass(frozen=True)
class _Found:
    deadline: Deadline
    explicit: bool  # opened by a lead verb ("thực hiện …") — the clause's own note
    adverb: bool = False  # a bare adverb, subsumed by an explicit note of the same value
    bare: bool = False  # a time with no preposition or verb: may name an adopted document's scope
    rejected: Optional[str] = None  # the rule that says it is no deadline (see REJECTIONS)


# The rules that refuse a candidate, by the name the audit reports (pipeline/audit.py).
NAME = "name of a plan or cited document"
QUALIFIER = "qualifies a noun"
SINCE = "past event ('từ … đến nay')"
RATE = "growth rate or plan scope"
CITED = "inside a citation"
QUOTED = "inside a quoted title"
HABIT = "past habit"
ADOPTED = "scope of an adopted document"
FOCUS = "singles out part of the span ('nhất là …')"
BEFORE = "ended before the document's date"
RHYTHM_DAY = "a recurrence's day, with no year of its own"


def _line_starts(text: str) -> list[int]:
    starts, at = [0], text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _candidates(text: str, ctx: Optional[DocContext]) -> list[_Found]:
    g = grammar()
    found: list[_Found] = []

    def add(m, kind, value, explicit, adverb=False, bare=False, rejected=None):
        deadline = Deadline(m.group(0), kind, value, start=m.start(), end=m.end())
        found.append(_Found(deadline, explicit, adverb, bare, rejected))

    for m in g.explicit.finditer(text, overlapped=True):
        kind, value = explicit_value(m, ctx)
        lead = bool(m.group("lead"))
        named_prone = m.group("prep") is not None and \
            m.group("prep").lower().startswith(tuple(g.vocab["name_prone_prepositions"]))
        if not lead and (named_prone or m.group("range")) and in_name(text, m.start(), m.end()):
            add(m, kind, value, lead, rejected=NAME)
        elif m.group("start") and regex.match(r"\s+đến\s+nay", text[m.end():]):
            add(m, kind, value, lead, rejected=SINCE)
        else:
            add(m, kind, value, lead)
    for m in g.bare.finditer(text):
        kind, value = explicit_value(m, ctx)
        # "tựu trường ngày 19/8/2024 (thứ Hai)": an event's dated day is its own, whatever it follows
        rule = NAME if in_name(text, m.start(), m.end()) else \
            QUALIFIER if not m.group("day") and modifies_noun(text, m.start()) else None
        add(m, kind, value, False, bare=True, rejected=rule)
    for m in g.schedule.finditer(text):
        add(m, *explicit_value(m, ctx), True)
    # A time list begins at a line's start or at a time label with its colon.
    listed = g.label_colon.search(text) or any(g.time_list.match(text, at) for at in _line_starts(text))
    for line in g.time_list.finditer(text) if listed else ():
        for m in g.list_item.finditer(text, line.start("items"), line.end("items")):
            if m.group("cell_ongoing"):
                add(m, "ongoing", None, True)
            elif not m.group("recur"):  # recurrences are found below, with their anchors
                add(m, *explicit_value(m, ctx), True)
    for m in g.time_limit.finditer(text) if g.may_limit.search(text) else ():
        add(m, "due", limit_end(m, ctx), bool(m.group("lead")))
    rate_words = g.vocab["rate_words"]
    own_end = -1  # end of the last recurrence that is surely the clause's own
    for m in g.recurring.finditer(text) if g.may_recur.search(text) else ():
        if m.group("recur"):
            value = g.vocab["recurrences"][phrase_key(m.group("recur"), "recurrences")]
        elif m.group("every"):
            value = f"R/P{int(m.group('every_n'))}{g.vocab['every_units'][phrase_key(m.group('every_unit'), 'every_units')]}"
        else:
            value = None
        lead = bool(m.group("lead"))
        # "định kỳ 6 tháng và hằng năm": a recurrence joined to a periodic one is the clause's too.
        joined = own_end >= 0 and bool(_RECURRENCE_JOIN.fullmatch(text[own_end:m.start()]))
        if not lead and m.group("recur") and not m.group("periodic") and not m.group("anchor"):
            before = lower_words(text[max(0, m.start() - 40):m.start()])
            if contains_phrase(before[-3:], rate_words) or contains_phrase(before[-3:], g.vocab["scope_pairs"]):
                add(m, "recurring", value, lead, rejected=RATE)
                continue
            if any(" ".join(before[-len(c.split()):]) == c for c in g.vocab["recurrence_compounds"]):
                add(m, "recurring", value, lead, rejected=QUALIFIER)  # "cây hằng năm": annual crops
                continue
        # "định kỳ 6 tháng", "định kỳ hằng năm" say how often the clause's own work recurs;
        # a bare "định kỳ" may still sit inside a cited rule's name.
        periodic = value is not None and (bool(regex.search(r"(?i:định\s+kỳ)", m.group(0))) or bool(m.group("anchor")))
        if not (lead or joined or periodic) \
                and in_name(text, m.start(), m.end(), capitalised=bool(m.group("recur"))):
            add(m, "recurring", value, lead, rejected=NAME)
            continue
        # "thực hiện kiểm toán năng lượng định kỳ;": a bare "định kỳ" after its noun is an
        # adjective (periodic audits), not when the clause's work recurs.
        if not lead and not m.group("recur") and not m.group("every") and _ENDS_PHRASE.match(text, m.end()):
            add(m, "recurring", value, lead, rejected=QUALIFIER)
            continue
        if lead or joined or periodic:
            own_end = m.end()
        add(m, "recurring", value, lead, adverb=not lead)
    for m in g.ongoing_phrase.finditer(text):
        add(m, "ongoing", None, True)
    for m in g.ongoing_adverb.finditer(text):
        add(m, "ongoing", None, False, adverb=True)
    rejected = [f for f in found if f.rejected]
    found = [f for f in found if not f.rejected]
    found += _shared_preposition(found, text, ctx)
    found = _anchored_recurrences(found + _joined_spans(found, text), text)
    return _days_of_a_rhythm(found, text) + rejected


def _days_of_a_rhythm(found: list[_Found], text: str) -> list[_Found]:
    """ "định kỳ 6 tháng báo cáo … trước ngày 15 tháng 6 và trước ngày 01 tháng 12": a day
    with no year, in the sentence of a recurrence with a period, is the day each period's
    work falls on, not a due date of its own (the year would be invented)."""
    rhythms = [f.deadline for f in found if f.deadline.kind == "recurring" and f.deadline.value]
    out = []
    for f in found:
        d = f.deadline
        if d.kind == "due" and _DAY_OR_MONTH.search(d.text) and not regex.search(r"(?:19|20)\d{2}", d.text) \
                and any(not regex.search(r"[.;\n]", text[min(r.end, d.end):max(r.start, d.start)]) for r in rhythms):
            f = replace(f, rejected=RHYTHM_DAY)
        out.append(f)
    return out


_ONWARD = compiled(r"(?i:tiếp\s+theo|trở\s+đi|trở\s+về\s+sau|năm\s+sau)")
_DAY_OR_MONTH = compiled(r"(?i:ngày|tháng)")


# "cuộc họp định kỳ của Ban Chỉ đạo", "bảo dưỡng định kỳ đối với các cửa điều tiết": what
# the noun belongs or applies to ends the phrase too.
_ENDS_PHRASE = compiled(r"\s*(?:[,;.)]|$|của\b|đối\s+với\b)")
# "trước ngày 10/7/2025 (kỳ 6 tháng đầu năm) và 10/01/2026 (kỳ cả năm)": a second date after
# "và" shares the first one's preposition.
_SECOND_DATE = compiled(r"\s*(?:\([^()\n]{0,40}\))?\s*(?:,|và)\s*(?:ngày\s+)?"
                             r"(?P<day>(?P<dd>\d{1,2})\s*/\s*(?P<dm>\d{1,2})\s*/\s*(?P<dy>(?:19|20)\d{2}))(?!\d)")


def _shared_preposition(found: list[_Found], text: str, ctx: Optional[DocContext]) -> list[_Found]:
    out = []
    for f in found:
        d = f.deadline
        if d.kind != "due" or not d.value or len(d.value) != 10:
            continue
        m = _SECOND_DATE.match(text, d.end)
        if m:
            second = Deadline(m.group("day"), "due", explicit_value(m, ctx)[1], start=m.start("day"), end=m.end("day"))
            out.append(_Found(second, f.explicit))
    return out


_RECURRENCE_JOIN = compiled(r"\s*(?:,|và|,\s*và)\s*")


def _anchored_recurrences(found: list[_Found], text: str) -> list[_Found]:
    """"trước ngày 15/12 hằng năm": a day or month that recurs is the recurrence's anchor.

    The point names no year (each year's 15 December), so it is no due date of its
    own: it joins the recurrence that follows it, which keeps its period.
    """
    out = list(found)
    for a in found:
        d = a.deadline
        if d.kind != "due" or regex.search(r"(?:19|20)\d{2}", d.text):
            continue
        for b in found:
            r = b.deadline
            if r.kind == "recurring" and r.start >= d.end and text[d.end:r.start].strip() == "":
                out.remove(a)
                joined = Deadline(text[d.start:r.end], "recurring", r.value, start=d.start, end=r.end)
                out.append(_Found(joined, a.explicit or b.explicit))
                break
    return out


_UNTIL = compiled(r"(?i:đến)\b")


def _joined_spans(found: list[_Found], text: str) -> list[_Found]:
    """A start and an end written as one span: "từ tháng 01/2026 đến tháng 12/2026" → 2026-01/2026-12.

    Years alone are read whole by the grammar ("từ năm 2026 đến năm 2030"); months,
    quarters and days are found as a start and a due date, joined here. The longer
    joined span then wins over its halves.
    """
    joined = []
    for a in found:
        if a.deadline.kind != "from":
            continue
        for b in found:
            d = b.deadline
            if d.kind == "due" and text[a.deadline.end:d.start].strip() == "" and d.start >= a.deadline.end \
                    and _UNTIL.match(d.text):
                first = a.deadline.value.split("/")[0] if a.deadline.value else None
                value = f"{first}/{d.value}" if first and d.value else None
                span = Deadline(text[a.deadline.start:d.end], "period", value, start=a.deadline.start, end=d.end)
                joined.append(_Found(span, a.explicit or b.explicit))
    return joined


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _longest_first(found: list[_Found]) -> list[_Found]:
    """Settle overlaps: the longest match wins, then the earliest."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (-(f.deadline.end - f.deadline.start), f.deadline.start)):
        span = (f.deadline.start, f.deadline.end)
        if not any(_overlaps(span, (k.deadline.start, k.deadline.end)) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.deadline.start)


def _one_rhythm_per_sentence(found: list[_Found], text: str) -> list[_Found]:
    """ "định kỳ hằng quý, trước ngày 20 của tháng cuối quý": one sentence saying the same
    rhythm twice recurs once."""
    kept: list[_Found] = []
    # an explicit note wins over an adverb saying the same, then the earlier one
    for f in sorted(found, key=lambda f: (f.adverb, not f.explicit, f.deadline.start)):
        d = f.deadline
        if d.kind == "recurring" and d.value and any(
                k.deadline.kind == "recurring" and k.deadline.value == d.value
                and not regex.search(r"[.;\n]", text[min(k.deadline.end, d.end):max(k.deadline.start, d.start)])
                for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: f.deadline.start)


def _one_note_per_fact(found: list[_Found], text: str) -> list[_Found]:
    """A clause's explicit note ("(thực hiện thường xuyên)") subsumes adverbs saying the
    same ("Thường xuyên rà soát…"); ongoing has no value, so a clause is ongoing once."""
    found = _one_rhythm_per_sentence(found, text)
    explicit = {(f.deadline.kind, f.deadline.value) for f in found if not f.adverb}
    ongoing = [f for f in found if f.deadline.kind == "ongoing"]
    best_ongoing = min(ongoing, key=lambda f: (f.adverb, not f.explicit, f.deadline.start), default=None)
    return [f for f in found
            if f is best_ongoing
            or (f.deadline.kind != "ongoing"
                and not (f.adverb and (f.deadline.kind, f.deadline.value) in explicit))]


def _rejection(f: _Found, text: str, ctx: Optional[DocContext], avoid: Sequence[tuple[int, int]]) -> Optional[str]:
    """The rule that refuses candidate `f`, or None when it is a deadline of the clause."""
    d = f.deadline
    if any(_overlaps((d.start, d.end), a) for a in avoid):
        return CITED
    if inside_quotes(text, d.start):
        return QUOTED
    if f.adverb and past_sentence(text, d.start):
        return HABIT
    if f.bare and adopts_document(text, d.start):
        return ADOPTED
    if singled_out(text, d.start):
        return FOCUS
    if d.kind in ("due", "from", "period"):
        rule = past_or_baseline(text, d.start, d.end, document_year(ctx) is not None)
        if rule:
            return rule
        # "2025 và những năm tiếp theo" runs on past the document's date: no finding
        if before_document(d.kind, d.value, ctx) and not _ONWARD.search(d.text):
            return BEFORE
    return None


def judge_deadlines(text: str, ctx: DocContext | None = None, *, avoid: Sequence[tuple[int, int]] = ()
                    ) -> tuple[list[Deadline], list[tuple[Deadline, str]]]:
    """The deadlines of `text` (as find_deadlines gives them) and every candidate refused,
    with the name of the rule that refused it — what the audit reports.

    >>> kept, refused = judge_deadlines("Số liệu tính đến ngày 30/11/2025; hoàn thành trong năm 2026.")
    >>> [(d.text, d.value) for d in kept], [(d.text, rule) for d, rule in refused]
    ([('hoàn thành trong năm 2026', '2026')], [('đến ngày 30/11/2025', 'baseline')])
    """
    judged = [f if f.rejected else replace(f, rejected=_rejection(f, text, ctx, avoid))
              for f in _candidates(text, ctx)]
    kept = [f for f in judged if not f.rejected]
    return ([f.deadline for f in _one_note_per_fact(_longest_first(kept), text)],
            [(f.deadline, f.rejected) for f in judged if f.rejected])


def find_deadlines(text: str, ctx: DocContext | None = None, *,
                   avoid: Sequence[tuple[int, int]] = ()) -> list[Deadline]:
    """Deadlines stated in one clause's own text, in text order.

    Offsets are relative to `text` (`text[d.start:d.end] == d.text`). Nothing inside an
    `avoid` span (a citation found by another tagger) is a deadline. Relative expressions
    are resolved against `ctx` (its date and term) where it can, else kept with value None.

    >>> [(d.text, d.kind, d.value) for d in find_deadlines("Quán triệt Nghị quyết (hoàn thành trong tháng 8/2025).")]
    [('hoàn thành trong tháng 8/2025', 'due', '2025-08')]
    """
    return judge_deadlines(text, ctx, avoid=avoid)[0]
