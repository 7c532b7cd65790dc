"""Plain-words questions (English or Vietnamese, with or without diacritics) → `TaskQuery`.

The question is cut into words (pipeline.periods.Words); a cue phrase of
models/questions.yaml matches a word typed with diacritics exactly and a word typed
without them folded, so "Giáo" is never the cue "giao" and "giao" still is. A cue picks
the slot the words after it fill: a body after "of/của/giao cho…", a time after
"due in/trong/trước/sau…" (read against today by pipeline.periods), a document
after "văn bản/document", a directive as a printed number ("57-NQ/TW") or a kind
word plus number ("Nghị quyết 57"). A body named first ("Sở Nội vụ phải làm gì?")
is found by its verb. The body phrase keeps the user's own spelling.
"""
from __future__ import annotations

import shlex
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Optional

import regex

from pipeline.errors import QueryError
from pipeline.fold import fold
from pipeline.periods import Words, period_at
from pipeline.query import TaskQuery
from pipeline.vocab_cache import cached_build
from .patterns import compiled

__all__ = ["FORMS", "describe", "directive_in", "parse_question", "role_word"]

FORMS = (
    "which tasks belong to the Inspection Committee?",
    "tasks of UBKT due before 2025-12",
    "what is due this quarter?",
    "which tasks are overdue?",
    "which tasks implement Resolution 57?",
    "what does document 172/NQ-HĐND require?",
    "what does UBND support?",
    "ongoing tasks of Ủy ban nhân dân",
)
FORMS_VI = (
    "nhiệm vụ của Ủy ban Kiểm tra",
    "Sở Nội vụ phải làm gì?",
    "việc nào thực hiện Nghị quyết 57?",
    "nhiệm vụ nào đã quá hạn?",
    "việc nào đến hạn trong quý này?",
    "văn bản 173/KH-UBND giao những việc gì?",
    "UBKT phối hợp những việc gì trước tháng 12/2025?",
    "Sở Tài chính chủ trì việc gì trong quý I/2027?",
)

# A printed document number: digits, a separator, then a code with letters ("57-NQ/TW", "152/NQ-HĐND").
_DOC_NUMBER = compiled(r"^\d{1,4}(?:/\d{4})?[-/]\p{L}[\p{L}\p{N}]*(?:[-/][\p{L}\p{N}&]+)*$")
_VIETNAMESE_LETTER = compiled(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", regex.IGNORECASE)
# Words that join the capitalised words of an English name ("Department of Home Affairs").
_NAME_JOINERS = ("of", "and", "for")


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _cues() -> dict[str, tuple[str, ...]]:
    """The question vocabulary (models/questions.yaml) as written, longest phrase first."""
    import yaml  # only when the vocabulary is built, not each time a question is asked

    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "models" / "questions.yaml")
                          .read_text(encoding="utf-8"))
    return {key: tuple(sorted(words, key=lambda w: -len(w.split())))
            for key, words in data.items() if isinstance(words, list)}


def _cue(w: Words, i: int, group: str) -> int:
    """Words the longest phrase of `group` covers when it starts at word i, else 0."""
    return w.first(i, _cues()[group])


def _is_name_joiner(w: Words, i: int) -> bool:
    """ "of" between two capitalised words joins a name ("Ministry of Finance"): no cue there."""
    raw = w.raw
    return (raw[i].lower() in _NAME_JOINERS and 0 < i < len(raw) - 1
            and raw[i - 1][:1].isupper() and raw[i + 1][:1].isupper())


def _is_stop(w: Words, j: int, english: bool) -> bool:
    if _is_name_joiner(w, j):
        return False
    if english and w.raw[j].lower() in _cues()["stop_en"]:  # as typed: "Tổ" is not "to"
        return True
    return bool(_cue(w, j, "stop"))


def _phrase(w: Words, i: int, today: date, english: bool) -> tuple[str, int]:
    """The body phrase from word i to the next stop (a leading "the" dropped)."""
    if i < len(w) and w.folded[i] == "the":
        i += 1
    j = i
    while j < len(w) and not _DOC_NUMBER.match(w.raw[j]):
        if _is_stop(w, j, english) or period_at(w, j, today)[0]:
            break
        j += 1
    return " ".join(w.raw[i:j]), j


def _directive_at(w: Words, i: int) -> tuple[Optional[str], int]:
    """A directive at word i: a printed number, or a kind word (+ "số") and a number."""
    raw = w.raw
    if i < len(raw) and _DOC_NUMBER.match(raw[i]):
        return raw[i], 1
    if n := _cue(w, i, "directive_kinds"):
        k = i + n + (w.folded[i + n:i + n + 1] in (("so",), ("no",)))
        if k < len(raw) and (raw[k].isdigit() or _DOC_NUMBER.match(raw[k])):
            return raw[k], k - i + 1
    return None, 0


def _time_at(w: Words, i: int, today: date) -> tuple[Optional[str], Optional[str], int]:
    """(slot, ISO period, words) for a time cue and the period after it, longest cue first."""
    best = (None, None, 0)
    for slot in ("due_in", "due_before", "due_after"):
        n = _cue(w, i, slot)
        if n and (value := period_at(w, i + n, today))[0] and n + value[1] > best[2]:
            best = (slot, value[0], n + value[1])
    return best


def _read_slot(w: Words, i: int, today: date, found: dict,
               cite_before: bool, english: bool) -> tuple[int, bool]:
    """Fill the slot a cue at word i opens; (words taken, whether a directive was read)."""
    if n := _cue(w, i, "document"):
        number, m = _directive_at(w, i + n)
        if number and ("/" in number or w.folded[i] in ("document", "doc", "van")):
            found.setdefault("doc", number)
            return n + m, False
    if n := _cue(w, i, "implements"):
        number, m = _directive_at(w, i + n)
        if number:
            found.setdefault("cites", number)
            return n + m, True
    number, m = _directive_at(w, i)
    if number:
        found.setdefault("cites", number)
        return m, True
    slot, value, n = _time_at(w, i, today)
    if slot:
        found.setdefault(slot, value)
        return n, False
    value, n = period_at(w, i, today)
    if value:
        # A time with no cue ("nhiệm vụ năm nay", "việc 6 tháng cuối năm") is when it falls due.
        found.setdefault("due_in", value)
        return n, False
    for flag in ("overdue", "ongoing"):
        if n := _cue(w, i, flag):
            found[flag] = True
            return n, False
    for group, role in (("owner_body_after", "owner"), ("support_body_after", "support")):
        if (n := _cue(w, i, group)) and w.folded[i] != "do" and "body" not in found:
            body, j = _phrase(w, i + n, today, english)
            if body:
                found.update(body=body, role=role)
                return j - i, False
    for role in ("support", "owner"):
        if n := _cue(w, i, role):
            found.setdefault("role", role)
            return n, False
    if (n := _cue(w, i, "body_after")) and not _is_name_joiner(w, i):
        body, j = _phrase(w, i + n, today, english)
        if cite_before and w.folded[i] in ("cua", "of", "thuoc", "do"):
            # "của Bộ Chính trị" right after a citation names its issuer, not a responsible body.
            return j - i, False
        if body and "body" not in found:
            found["body"] = body
            return j - i, False
    return 0, False


def parse_question(text: str, today: Optional[date] = None) -> TaskQuery:
    """The structured query a plain-words question asks, times read against `today`.

    >>> parse_question("tasks of UBKT due before 2025-12").due_before
    '2025-12'
    >>> parse_question("việc nào đến hạn trong quý này?", date(2026, 12, 6)).due_in
    '2026-Q4'
    """
    today = today or date.today()
    w = Words.of(text)
    found: dict = {}
    used: set[int] = set()  # words a slot took; a body named first is looked for in the rest
    english = any(word.lower() in _cues()["english"] for word in w.raw)
    i, cited = 0, False
    while i < len(w):
        n, cited = _read_slot(w, i, today, found, cited, english)
        used.update(range(i, i + n))
        i += max(n, 1)
    if "body" not in found:
        body = _leading_body(w, today, used, english) or (not found and _bare_body(text, list(w.raw)))
        if body:
            found["body"] = body
    if not found:
        raise QueryError(f"cannot read the question {text!r}; " + _nearest_forms(text))
    return TaskQuery(**found)


def _leading_body(w: Words, today: date, used: set[int],
                  english: bool) -> Optional[str]:
    """A body named before its verb: "Sở Nội vụ phải làm gì?", "What must UBND do",
    "which tasks does the Department of Finance lead?", "so y te chu tri viec gi"."""
    start = next((k for k, word in enumerate(w.raw) if k not in used and word[:1].isupper()
                  and not _is_stop(w, k, english)
                  and not _cue(w, k, "openers") and not _DOC_NUMBER.match(word)
                  and not _directive_at(w, k)[0]), None)
    if start is None:
        opener = _cue(w, 0, "openers")
        start = opener
    body, j = _phrase(w, start, today, english)
    if not body or used & set(range(start, j)):
        return None
    if _cue(w, j, "body_verbs"):
        return body
    # A name that ends the question ("tasks led by …" aside) must look like one.
    return body if j == len(w) and _bare_body(body, list(w.raw[start:j])) else None


def _bare_body(text: str, raw: list[str]) -> Optional[str]:
    """A question that is only a body's name ("UBKT", "Sở GDĐT", "Department of Finance")."""
    words = text.strip().rstrip("?").strip()
    if not words or len(raw) > 8:
        return None
    if all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in raw):
        return words
    try:
        from .tag.bodies import lookup_bodies
    except ImportError:
        return None
    return words if lookup_bodies(words) else None


def _looks_vietnamese(text: str) -> bool:
    """Vietnamese letters, or Vietnamese function words typed without diacritics."""
    return bool(_VIETNAMESE_LETTER.search(text)) or any(
        w in fold(text).split() for w in ("nhiem", "viec", "cua", "nao", "gi", "han", "phai", "cac", "giao"))


def _nearest_forms(text: str) -> str:
    """The three forms closest to what was typed, in the user's language."""
    vietnamese = _looks_vietnamese(text)
    forms = FORMS_VI if vietnamese else FORMS
    ranked = sorted(forms, key=lambda f: -SequenceMatcher(None, fold(text), fold(f)).ratio())
    lead = "hãy hỏi theo một trong các dạng: " if vietnamese else "ask in one of these forms: "
    return lead + " | ".join(ranked[:3])


def role_word(text: str) -> Optional[str]:
    """ "owner"/"chủ trì"/"lead" → "owner", "support"/"phối hợp" → "support", else None."""
    words = Words.of(text)
    if words.folded in (("owner",), ("support",)):
        return words.folded[0]
    return next((role for role in ("owner", "support")
                 if any(words.starts(0, cue) == len(words) for cue in _cues()[role])), None)


def directive_in(text: str) -> Optional[str]:
    """The directive number a phrase names ("Nghị quyết 57" → "57"), or None."""
    w = Words.of(text)
    number, n = _directive_at(w, 0)
    return number if number and n == len(w) else None


def _quote(value: str) -> str:
    """Double quotes read the same in bash and in Windows shells; shlex only when needed."""
    if regex.fullmatch(r"[\p{L}\p{N}_./:-]+", value):
        return value
    if not regex.search(r'["$`\\!]', value):
        return f'"{value}"'
    return shlex.quote(value)


def describe(q: TaskQuery) -> str:
    """The `nqgraph tasks` command line that runs `q`.

    >>> describe(TaskQuery(body="Ủy ban Kiểm tra", due_before="2025-12"))
    'nqgraph tasks --body "Ủy ban Kiểm tra" --due-before 2025-12'
    """
    parts = ["nqgraph", "tasks"]
    for option, value in (("--body", q.body), ("--role", q.role), ("--cites", q.cites), ("--doc", q.doc),
                          ("--due-in", q.due_in), ("--due-before", q.due_before), ("--due-after", q.due_after)):
        if value is not None:
            parts += [option, _quote(value)]
    for flag, on in (("--overdue", q.overdue), ("--ongoing", q.ongoing)):
        if on:
            parts.append(flag)
    return " ".join(parts)
