"""Plain-words questions (English or Vietnamese, with or without diacritics) → `TaskQuery`.

The question is cut into words; each word is also folded ("Ủy" → "uy") so the
cue phrases below match however the question was typed. Cues pick the slot a
phrase fills: a body after "of/của/belong to…", a date after "due/before/
trước/đến hết…", a directive as a printed number ("57-NQ/TW") or a kind word
plus number ("Nghị quyết 57"). The body phrase keeps the user's own spelling.
"""
from __future__ import annotations

import shlex
from typing import Optional

import regex

from pipeline.errors import QueryError
from pipeline.fold import fold
from pipeline.query import TaskQuery

__all__ = ["FORMS", "describe", "parse_question"]

FORMS = (
    "which tasks belong to the Inspection Committee?",
    "tasks of UBKT due before 2025-12",
    "what is due by the end of 2025",
    "which tasks implement Resolution 57?",
    "what does UBND support?",
    "ongoing tasks of Ủy ban nhân dân",
    "nhiệm vụ của Ủy ban Kiểm tra",
    "việc nào thực hiện Nghị quyết 57?",
    "UBKT phối hợp những việc gì trước tháng 12/2025?",
)

# A word keeps inner hyphens, slashes, dots and apostrophes: "57-NQ/TW", "12/2025", "People's".
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’\-/.][\p{L}\p{N}]+)*")
# A printed document number: digits, a separator, then a code with letters ("57-NQ/TW", "152/NQ-HĐND").
_DOC_NUMBER = regex.compile(r"^\d{1,4}(?:/\d{4})?[-/]\p{L}[\p{L}\p{N}]*(?:[-/][\p{L}\p{N}]+)*$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Cue phrases, folded. Longer phrases first so "due before" wins over "due".
_BODY_CUES = ("belong to", "belongs to", "belonging to", "assigned to", "owned by", "handled by",
              "given to", "of the", "for the", "of", "for", "giao cho", "cua", "thuoc", "giao", "do")
_DUE_CUES = ("due before", "due by", "due in", "due", "by the end of", "by end of", "before the end of",
             "before", "by", "until", "deadline", "han chot", "han", "truoc", "den het", "den",
             "cham nhat", "trong")
_CITE_KINDS = ("nghi quyet", "chi thi", "ket luan", "quyet dinh", "ke hoach", "quy dinh",
               "thong bao", "huong dan", "resolution", "directive", "conclusion", "decision",
               "plan", "regulation", "notice")
_SUPPORT_CUES = ("support", "supports", "supporting", "assist", "assists", "phoi hop", "ho tro")
_OWNER_CUES = ("lead", "leads", "own", "owns", "chu tri", "phu trach")
_ONGOING_CUES = ("ongoing", "continuous", "continuously", "regular", "thuong xuyen", "lien tuc")
# Words that end a body phrase: verbs, question words, other cues.
_STOP = set("""? which what when who tasks task work is are do does must need needs has have
    and or with due before by until in to implement implements implementing ongoing support
    supports lead leads la gi nao phai can co duoc nhung viec nhiem vu lam thuc hien chu tri
    phoi hop ho tro truoc den han trong thuong xuyen lien tuc sau tu ngay thang nam quy""".split())
_MONTH_YEAR = regex.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$")
_QUARTER_YEAR = regex.compile(r"^(?P<q>i{1,3}|iv|[1-4])/(?P<y>\d{4})$", regex.I)
_ISO = regex.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]|Q[1-4]))?$", regex.I)


def _words(text: str) -> tuple[list[str], list[str]]:
    raw = [m.group() for m in _WORD.finditer(text)]
    return raw, [fold(w) for w in raw]


def _starts(folded: list[str], i: int, phrase: str) -> int:
    """Number of words `phrase` covers when it starts at word i, else 0."""
    parts = phrase.split()
    return len(parts) if folded[i:i + len(parts)] == parts else 0


def _cue(folded: list[str], i: int, cues) -> int:
    return next((n for n in (_starts(folded, i, c) for c in cues) if n), 0)


def _date_at(raw: list[str], folded: list[str], i: int) -> tuple[Optional[str], int]:
    """An ISO period starting at word i ("2025-12", "12/2025", "tháng 12 năm 2025",
    "quý III/2025", "năm 2025", "Q3 2025"), with the number of words it spans."""
    word = raw[i] if i < len(raw) else ""
    if _ISO.match(word):
        return word.upper(), 1
    if m := _MONTH_YEAR.match(word):
        if 1 <= int(m["m"]) <= 12:
            return f"{m['y']}-{int(m['m']):02d}", 1
    head = folded[i] if i < len(folded) else ""
    if head in ("thang", "month") and i + 1 < len(raw):
        value, n = _date_at(raw, folded, i + 1)
        if value:
            return value, n + 1
        if raw[i + 1].isdigit() and i + 3 < len(raw) and folded[i + 2] in ("nam", "of") \
                and regex.match(r"^\d{4}$", raw[i + 3]) and 1 <= int(raw[i + 1]) <= 12:
            return f"{raw[i + 3]}-{int(raw[i + 1]):02d}", 4
    if head in ("quy", "quarter") and i + 1 < len(raw):
        if m := _QUARTER_YEAR.match(raw[i + 1]):
            q = _ROMAN.get(m["q"].lower()) or int(m["q"])
            return f"{m['y']}-Q{q}", 2
    if head in ("nam", "year", "end", "cuoi", "het") and i + 1 < len(raw):
        value, n = _date_at(raw, folded, i + 1 + (folded[i + 1:i + 2] in (["of"], ["nam"])))
        if value:
            return value, n + 1 + (folded[i + 1:i + 2] in (["of"], ["nam"]))
    return None, 0


def _phrase(raw: list[str], folded: list[str], i: int) -> tuple[str, int]:
    """The body phrase from word i to the next stop word (leading "the" dropped)."""
    if i < len(folded) and folded[i] == "the":
        i += 1
    j = i
    while j < len(raw) and folded[j] not in _STOP and not _DOC_NUMBER.match(raw[j]):
        if _date_at(raw, folded, j)[0] or _cue(folded, j, _DUE_CUES + _SUPPORT_CUES) and j > i:
            break
        j += 1
    return " ".join(raw[i:j]), j


def parse_question(text: str) -> TaskQuery:
    """The structured query a plain-words question asks.

    >>> parse_question("tasks of UBKT due before 2025-12")
    TaskQuery(body='UBKT', role=None, cites=None, due_before='2025-12', ongoing=False, doc=None, kinds=('task', 'target'))
    """
    raw, folded = _words(text)
    found: dict = {}
    i = 0
    after_cite = False
    while i < len(raw):
        if _DOC_NUMBER.match(raw[i]):
            found.setdefault("cites", raw[i])
            i, after_cite = i + 1, True
            continue
        if n := _cue(folded, i, _CITE_KINDS):
            k = i + n + (folded[i + n:i + n + 1] == ["so"] or folded[i + n:i + n + 1] == ["no"])
            if k < len(raw) and (raw[k].isdigit() or _DOC_NUMBER.match(raw[k])):
                found.setdefault("cites", raw[k])
                i, after_cite = k + 1, True
                continue
        if n := _cue(folded, i, _DUE_CUES):
            value, m = _date_at(raw, folded, i + n)
            if value:
                found.setdefault("due_before", value)
                i = i + n + m
                continue
        if n := _cue(folded, i, _ONGOING_CUES):
            found["ongoing"] = True
            i += n
            continue
        if n := _cue(folded, i, _SUPPORT_CUES):
            found.setdefault("role", "support")
            i += n
            continue
        if n := _cue(folded, i, _OWNER_CUES):
            found.setdefault("role", "owner")
            i += n
            continue
        # "của Bộ Chính trị" right after a citation names its issuer, not a responsible body.
        if (n := _cue(folded, i, _BODY_CUES)) and not after_cite and "body" not in found:
            body, j = _phrase(raw, folded, i + n)
            if body:
                found["body"] = body
                i = j
                continue
        value, m = _date_at(raw, folded, i)
        if value and "due_before" not in found and i > 0 and folded[i - 1] in ("by", "before"):
            found["due_before"] = value
        after_cite = False
        i += max(m, 1)
    if "body" not in found:
        body = _leading_body(raw, folded) or _bare_body(text)
        if body:
            found["body"] = body
    if not ({"body", "cites", "due_before", "ongoing"} & found.keys()):
        raise QueryError(
            f"cannot read the question {text!r}; ask in one of these forms: " + " | ".join(FORMS))
    return TaskQuery(**found)


def _leading_body(raw: list[str], folded: list[str]) -> Optional[str]:
    """ "UBKT phải làm gì?", "What must UBND do": a body named before its verb."""
    start = 2 if folded[:2] in (["what", "must"], ["what", "does"], ["what", "should"]) else 0
    start = 1 if start == 0 and folded[:1] in (["what"], ["which"]) else start
    body, j = _phrase(raw, folded, start)
    verbs = ("phai", "chu tri", "phoi hop", "co nhiem vu", "can", "must", "do", "support", "lead",
             "has to", "needs to", "lam")
    if body and j < len(folded) and _cue(folded, j, verbs):
        return body
    return None


def _bare_body(text: str) -> Optional[str]:
    """A question that is only a body's name ("UBKT", "Ủy ban Kiểm tra") asks for its tasks."""
    words = text.strip().rstrip("?").strip()
    if not words or len(words.split()) > 8:
        return None
    try:
        from .tag.bodies import lookup_bodies
    except ImportError:
        return None
    return words if lookup_bodies(words) else None


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
    for option, value in (("--body", q.body), ("--role", q.role), ("--cites", q.cites),
                          ("--due-before", q.due_before), ("--doc", q.doc)):
        if value is not None:
            parts += [option, _quote(value)]
    if q.ongoing:
        parts.append("--ongoing")
    return " ".join(parts)
