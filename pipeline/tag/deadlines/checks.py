"""Checks that tell a deadline from a date that only sits in the sentence.

Cited documents' dates and titles, plan names ("Quy hoạch … đến năm 2040"), past
findings ("đến hết tháng 6/2023 đã có…"), comparison baselines ("so với năm 2025",
"tính đến ngày 30/11"), an adopted document's scope ("Thông qua nhiệm vụ … 6 tháng
cuối năm 2026"), quoted slogans, and growth rates ("bình quân hằng năm").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional, Sequence

import regex

from .grammar import grammar, words
from ...patterns import compiled


_SEGMENT_END = compiled(r"[;:.!?()\n]")


def _segment_before(text: str, start: int) -> str:
    """Text from the last sentence/enumeration boundary up to `start`."""
    cut = max((m.end() for m in _SEGMENT_END.finditer(text, 0, start)), default=0)
    # A dot inside a number ("1.200", "8/2025.") is still a boundary: harmless here.
    return text[cut:start]


# A quoted slogan or title. Authors mix straight and curly quotes ("… phát triển”),
# so any opening mark pairs with the next closing one, within one paragraph.
_QUOTED = compiled(r'[“"][^“”"\n]{0,300}[”"]')


def inside_quotes(text: str, start: int) -> bool:
    return any(m.start() < start < m.end() for m in _QUOTED.finditer(text))


_WORD = compiled(r"[\p{L}\d][\p{L}\d/.-]*")


def lower_words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def contains_phrase(words: list[str], phrases: Sequence[str]) -> bool:
    joined = " " + " ".join(words) + " "
    return any(f" {p.lower()} " in joined for p in phrases)


# A cited document's number ("35-NQ/TW", "152/NQ-HĐND"): what follows its "về" is its title.
_CITED_NUMBER = compiled(r"\d+\s*[-/]\s*\p{Lu}[\p{L}]*\s*[/-]\s*[\p{Lu}\d]")


@lru_cache(maxsize=8)
def _split_heads(heads: tuple[str, ...]) -> list[list[str]]:
    return [head.lower().split() for head in heads]


def _names_head(words: list[str], heads: Sequence[str], capitalised: bool) -> bool:
    """Whether `words` hold a name head; with `capitalised`, the nearest head must be a
    proper name ("vào chương trình kiểm tra hằng năm" after "Nghị quyết" is no name)."""
    lowered = [w.lower() for w in words]
    found = [(i, len(head)) for head in _split_heads(tuple(heads)) for i, w in enumerate(lowered)
             if w == head[0] and lowered[i:i + len(head)] == head]
    if not found:
        return False
    nearest, size = max(found)
    after = lowered[nearest + size:nearest + size + 1]
    # "thực hiện Kế hoạch trong dự toán ngân sách hằng năm": a head followed by one of these
    # is a plain reference ("the plan"); its name, if any, has ended
    if after and after[0] in grammar().vocab["name_enders"]:
        return False
    return not capitalised or words[nearest][:1].isupper()


def modifies_noun(text: str, start: int) -> bool:
    """A bare period right after a noun it qualifies: "nhiệm vụ năm học 2025-2026 của ngành"
    names the school year's tasks; it does not bound the clause's own action."""
    tokens = " ".join(lower_words(text[max(0, start - 30):start])[-3:])
    return any(tokens.endswith(noun) for noun in grammar().vocab["qualified_nouns"])


def singled_out(text: str, start: int) -> bool:
    """A time right after "nhất là"/"đặc biệt là" picks out part of the work's span
    ("…, nhất là vào mùa khô năm 2027"); it is not when the work is due."""
    before = " ".join(lower_words(text[max(0, start - 25):start])[-3:])
    return any(before.endswith(marker) for marker in grammar().vocab["focus_markers"])


def in_name(text: str, start: int, end: int, *, capitalised: bool = False) -> bool:
    """True when the expression is part of a plan's or a cited document's name."""
    v = grammar().vocab
    segment = _segment_before(text, start)
    tokens = _WORD.findall(segment)
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].lower() in v["name_breakers"]:
            tokens = tokens[i + 1:]
            break
    if _names_head(tokens[-v["name_window_words"]:], v["name_heads"], capitalised):
        return True
    tokens = [w.lower() for w in tokens]
    if contains_phrase(tokens[-3:], v["name_continuations"]):
        return True
    cited = _CITED_NUMBER.search(segment)
    if cited and regex.search(r"\bvề\b", segment[cited.end():]):
        return True
    after = text[end:end + 20].lower()
    # "Quy hoạch … đến năm 2030, tầm nhìn đến năm 2045" is a name; a target that opens
    # its sentence with the same words ("Đến năm 2030, tầm nhìn đến năm 2045, tỉnh …") is not.
    opens_sentence = not _WORD.search(segment)
    # "… tới năm 2020 và tầm nhìn năm 2030" joins its horizon with "và" as often as with a comma.
    return not opens_sentence and bool(regex.match(r"\s*(?:,|và)\s*(?:" + words(v["name_continuations"]) + r")\b", after))


def past_or_baseline(text: str, start: int, end: int, dated: bool) -> Optional[str]:
    """ "baseline" ("so với năm 2025", "tính đến ngày 30/11") or "past event" ("… đến nay",
    "… đã có"), else None. With the document's date known, "đã" is left to the date check:
    "đến năm 2030 đã có…" is a target.

    >>> past_or_baseline("tăng 12% so với năm 2025", 17, 24, True)
    'baseline'
    """
    v = grammar().vocab
    # The expression's first word counts too: in "tính đến ngày 30/11" (as of) the
    # baseline word's "đến" is the expression's own preposition.
    before = " ".join(lower_words(text[max(0, start - 30):start])[-3:] + lower_words(text[start:end])[:1])
    if any(w in before for w in v["baseline_words"]):
        return "baseline"
    after = text[end:end + 25].lower()
    past = v["past_after"] + ([] if dated else v["past_after_undated"])
    return "past event" if regex.match(r"[\s,]*(?:" + words(past) + r")\b", after) else None


# Sentences end at a full stop before a capital (not "8/2025." inside a note) or a new line.
_SENTENCE_END = compiled(r"[.!?](?=\s+\p{Lu})|\n")


def past_sentence(text: str, start: int) -> bool:
    """A habit reported in a finding: "đã" earlier in the same sentence ("… đã ban hành Kế
    hoạch …; định kỳ sơ kết …"). Only bare adverbs are judged so; an explicit note
    ("… đã đề ra (thực hiện thường xuyên)") still says when the task runs."""
    cut = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    return bool(regex.search(r"\b(?:" + words(grammar().vocab["past_markers"]) + r")\b",
                             text[cut:start], regex.IGNORECASE))


def adopts_document(text: str, start: int) -> bool:
    """A clause opening "Thông qua nhiệm vụ … 6 tháng cuối năm 2026 với các nội dung sau:"
    adopts a document; a bare time before its first colon or semicolon is that document's
    scope. A preposition ("… trước ngày 30/6") would still date the adoption itself."""
    head = regex.match(r"\s*(?:" + words(grammar().vocab["adoption_verbs"]) + r")\b[^:;\n]*",
                       text, regex.IGNORECASE)
    return bool(head) and start < head.end()

