"""Time the way staff say it, both ways: their words → ISO periods, ISO deadlines → their words.

Questions and `tasks` options read "quý I/2026", "31/3/2026", "tháng 6/2026", "6 tháng cuối
năm", "this quarter", "next month" against a given today; answers print a deadline as the
source said it ("hằng quý", "6 tháng đầu năm 2018", "thường xuyên"), never as `R/P3M`.
The words themselves live in models/questions.yaml.

>>> read_period("quý I/2026", date(2026, 12, 6))
'2026-Q1'
>>> say_deadline("recurring", "R/P3M")
'hằng quý'
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from pipeline.fold import fold
from pipeline.vocab_cache import cached_build
from .patterns import compiled

__all__ = ["Words", "period_at", "period_bounds", "read_period", "say_date", "say_deadline"]

MODELS = Path(__file__).resolve().parent.parent / "models"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTH_END = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Numeric shapes one word can take. Day-first, as Vietnamese dates are written.
_ISO = compiled(r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<m>0[1-9]|1[0-2])(?:-(?P<d>\d{2}))?))?$", regex.I)
_DAY_MONTH_YEAR = compiled(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$")
_MONTH_YEAR = compiled(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$")
_QUARTER_YEAR = compiled(r"^(?P<q>i{1,3}|iv|[1-4])/(?P<y>\d{4})$", regex.I)
_YEAR = compiled(r"^(?:19|20)\d{2}$")
# A word keeps inner hyphens, slashes, dots and apostrophes: "57-NQ/TW", "12/2025", "People's".
_TOKEN = compiled(r"[\p{L}\p{N}]+(?:['’\-/.][\p{L}\p{N}]+)*")


@dataclass(frozen=True)
class Words:
    """A question's words three ways: as typed, folded ("quy"), and exact (lower case, modern
    tone marks: "quý"). A word typed with diacritics matches a phrase only exactly, so "Giáo"
    is not the cue "giao" and "Tổ" is not "to"; a word typed without them matches folded.

    >>> Words.of("Phòng Giáo dục").starts(1, "giao"), Words.of("giao cho").starts(0, "giao")
    (0, 1)
    """
    raw: tuple[str, ...]
    folded: tuple[str, ...]
    exact: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Words":
        from pipeline.extract.normalize import modern_tone_marks, nfc

        raw = tuple(_TOKEN.findall(text or ""))
        return cls(raw, tuple(fold(w) for w in raw), tuple(modern_tone_marks(nfc(w)).lower() for w in raw))

    def __len__(self) -> int:
        return len(self.raw)

    def marked(self, i: int) -> bool:
        """Whether word i was typed with Vietnamese diacritics."""
        return self.exact[i] != self.folded[i] and self.exact[i].isalpha()

    def starts(self, i: int, phrase: str) -> int:
        """Words `phrase` covers when it starts at word i, else 0."""
        exact, folded = _phrase_forms(phrase)
        if i + len(exact) > len(self.raw):
            return 0
        for k, (e, f) in enumerate(zip(exact, folded)):
            if (self.exact[i + k] != e) if self.marked(i + k) else (self.folded[i + k] != f):
                return 0
        return len(exact)

    def first(self, i: int, phrases) -> int:
        """Words the longest of `phrases` covers at word i, else 0."""
        return next((n for n in (self.starts(i, p) for p in sorted(phrases, key=lambda p: -len(p.split()))) if n), 0)


@lru_cache(maxsize=4096)
def _phrase_forms(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from pipeline.extract.normalize import modern_tone_marks, nfc

    exact = tuple(modern_tone_marks(nfc(phrase)).lower().split())
    return exact, tuple(fold(w) or w for w in exact)


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def time_words() -> dict:
    """The time vocabulary of models/questions.yaml (month names folded)."""
    import yaml  # only when the vocabulary is built, not in every process that says a date

    data = yaml.safe_load((MODELS / "questions.yaml").read_text(encoding="utf-8"))["time"]
    return {key: {fold(k): v for k, v in words.items()} if isinstance(words, dict) else list(words)
            for key, words in data.items()}


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _relative(unit: str, today: date, by: int) -> str:
    if unit == "month":
        y, m = _shift_month(today.year, today.month, by)
        return f"{y}-{m:02d}"
    if unit == "quarter":
        q = (today.month - 1) // 3 + by
        return f"{today.year + q // 4}-Q{q % 4 + 1}"
    return str(today.year + by)


def _half(which: str, year: int) -> str:
    return f"{year}-01/{year}-06" if which == "first" else f"{year}-07/{year}-12"


def _year_after(w: Words, i: int) -> tuple[Optional[int], int]:
    """A year at word i, alone or after "năm"/"of": (year, words), else (None, 0)."""
    skip = 1 if i < len(w) and (w.first(i, time_words()["year"]) or w.folded[i] == "of") else 0
    j = i + skip
    if j < len(w) and _YEAR.match(w.raw[j]):
        return int(w.raw[j]), skip + 1
    return None, 0


def period_at(w: Words, i: int, today: date) -> tuple[Optional[str], int]:
    """The ISO period that starts at word i of `w`, and how many words it spans; (None, 0) if none.

    >>> period_at(Words.of("tháng 6/2026"), 0, date(2026, 12, 6))
    ('2026-06', 2)
    """
    if i >= len(w):
        return None, 0
    words = time_words()
    word = w.raw[i]
    if m := _ISO.match(word):
        return word.upper(), 1
    if (m := _DAY_MONTH_YEAR.match(word)) and _valid_day(int(m["y"]), int(m["m"]), int(m["d"])):
        return f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}", 1
    if (m := _MONTH_YEAR.match(word)) and 1 <= int(m["m"]) <= 12:
        return f"{m['y']}-{int(m['m']):02d}", 1
    for unit in ("month", "quarter", "year"):
        for shift, key in ((0, f"this_{unit}"), (1, f"next_{unit}"), (-1, f"last_{unit}")):
            if n := w.first(i, words[key]):
                return _relative(unit, today, shift), n
    for which in ("first", "second"):
        if n := w.first(i, words[f"{which}_half"]):
            year, k = _year_after(w, i + n)
            return _half(which, year or today.year), n + k
    if n := w.first(i, words["end_of"]):
        value, k = period_at(w, i + n, today)
        if value and regex.match(r"^\d{4}$", value):
            return value, n + k
        return None, 0
    if w.first(i, words["day"]) and i + 1 < len(w):
        value, n = period_at(w, i + 1, today)
        return (value, n + 1) if value and len(value) == 10 else (None, 0)
    if w.first(i, words["month"]) and i + 1 < len(w):
        value, n = period_at(w, i + 1, today)
        if value and len(value) == 7 and value[4] == "-" and value[5] != "Q":
            return value, n + 1
        if w.raw[i + 1].isdigit() and 1 <= int(w.raw[i + 1]) <= 12:
            year, k = _year_after(w, i + 2)
            if year:
                return f"{year}-{int(w.raw[i + 1]):02d}", 2 + k
        return None, 0
    if w.first(i, words["quarter"]) and i + 1 < len(w):
        if m := _QUARTER_YEAR.match(w.raw[i + 1]):
            return f"{m['y']}-Q{_ROMAN.get(m['q'].lower()) or int(m['q'])}", 2
        q = _ROMAN.get(w.folded[i + 1]) or (int(w.raw[i + 1]) if w.raw[i + 1] in "1234" else None)
        year, k = _year_after(w, i + 2)
        if q and year:
            return f"{year}-Q{q}", 2 + k
        return None, 0
    head = w.folded[i]
    if (m := regex.match(r"^q([1-4])$", head)) and (year := _year_after(w, i + 1))[0]:
        return f"{year[0]}-Q{m[1]}", 1 + year[1]
    if head in words["month_names"] and not w.marked(i):
        year, k = _year_after(w, i + 1)
        if year:
            return f"{year}-{words['month_names'][head]:02d}", 1 + k
    if w.first(i, words["year"]) and i + 1 < len(w) and _YEAR.match(w.raw[i + 1]):
        return w.raw[i + 1], 2
    if _YEAR.match(word):
        return word, 1
    return None, 0


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _MONTH_END[month - 1] and 1900 < year < 2200


def read_period(text: str, today: Optional[date] = None) -> Optional[str]:
    """The ISO period `text` names as a whole, or None when it is not one period.

    >>> read_period("31/3/2026"), read_period("6 tháng cuối năm", date(2026, 12, 6))
    ('2026-03-31', '2026-07/2026-12')
    """
    words = Words.of(text)
    value, n = period_at(words, 0, today or date.today())
    return value if value and n == len(words) else None


def period_bounds(value: str) -> Optional[tuple[str, str]]:
    """First and last day (ISO) of an ISO period, interval or day.

    >>> period_bounds("2026-Q1"), period_bounds("2026-07/2026-12")
    (('2026-01-01', '2026-03-31'), ('2026-07-01', '2026-12-31'))
    """
    if "/" in value:
        first, last = value.split("/", 1)
        a, b = period_bounds(first), period_bounds(last)
        return (a[0], b[1]) if a and b else None
    m = _ISO.match(value)
    if not m:
        return None
    year = int(m["y"])
    if m["d"]:
        return value, value
    if m["m"]:
        month = int(m["m"])
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{_month_end(year, month):02d}"
    if m["q"]:
        q = int(m["q"][1])
        return f"{year}-{3 * q - 2:02d}-01", f"{year}-{3 * q:02d}-{_month_end(year, 3 * q):02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _month_end(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28
    return _MONTH_END[month - 1]


def _say_point(value: str) -> str:
    """One ISO point as staff write it: "năm 2030", "quý III/2025", "tháng 8/2025", "ngày 11/9/2026"."""
    m = _ISO.match(value)
    if not m:
        return value
    if m["d"]:
        return f"ngày {int(m['d'])}/{int(m['m'])}/{m['y']}"
    if m["m"]:
        return f"tháng {int(m['m'])}/{m['y']}"
    if m["q"]:
        return f"quý {_ROMAN_OUT[int(m['q'][1])]}/{m['y']}"
    return f"năm {m['y']}"


_RECURRENCE = {"R/P1Y": "hằng năm", "R/P6M": "6 tháng một lần", "R/P3M": "hằng quý",
               "R/P1M": "hằng tháng", "R/P1W": "hằng tuần", "R/P1D": "hằng ngày"}


def say_deadline(kind: str, value: Optional[str]) -> str:
    """A deadline in the words a Vietnamese office uses.

    >>> say_deadline("period", "2018-01/2018-06"), say_deadline("ongoing", None)
    ('6 tháng đầu năm 2018', 'thường xuyên')
    >>> say_deadline("from", "2025/.."), say_deadline("period", "2026/2030")
    ('từ năm 2025', 'giai đoạn 2026 - 2030')
    """
    if kind == "ongoing" or (not value and kind != "due"):
        return "thường xuyên" if kind in ("ongoing", "recurring") else kind
    if not value:
        return "trong thời hạn quy định"  # a relative limit ("05 ngày làm việc kể từ …")
    if value.startswith("R/"):
        return _RECURRENCE.get(value, "định kỳ")
    if value.endswith("/.."):
        return "từ " + _say_point(value[:-3])
    if "/" in value:
        first, last = value.split("/", 1)
        halves = {("01", "06"): "6 tháng đầu năm", ("07", "12"): "6 tháng cuối năm"}
        if len(first) == 7 and len(last) == 7 and first[:4] == last[:4] and (first[5:], last[5:]) in halves:
            return f"{halves[(first[5:], last[5:])]} {first[:4]}"
        if len(first) == 4 and len(last) == 4:
            return f"giai đoạn {first} - {last}"
        return f"từ {_say_point(first)} đến {_say_point(last)}"
    return _say_point(value)


def say_date(iso: Optional[str]) -> str:
    """A day as Vietnamese offices write it.

    >>> say_date("2026-04-28"), say_date("2025-08"), say_date(None)
    ('28/4/2026', '2025-08', '')
    """
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    return f"{int(day)}/{int(month)}/{year}"
