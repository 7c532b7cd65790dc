"""Values: the ISO 8601 value of a matched time expression (SPEC §4), read against the
document's date, the year its title names and its term.

    "trong tháng 8/2025"          → due 2025-08
    "trong quý IV" (dated 2025)   → due 2025-Q4
    "6 tháng cuối năm 2026"       → period 2026-07/2026-12
"""
from __future__ import annotations

import calendar
from dataclasses import replace
from typing import Optional

import regex

from ...model import Deadline, DocContext
from .grammar import grammar, named
from ...patterns import compiled

_YEAR_FIRST = compiled(r"(\d{4})")
_YEAR_QUARTER = compiled(r"(\d{4})-Q([1-4])")
_YEAR_MONTH = compiled(r"(\d{4})-(\d{2})")

def document_year(ctx: Optional[DocContext]) -> Optional[int]:
    """The year relative expressions ("Tháng 1", "Quý II", "6 tháng cuối năm") refer to.

    A programme signed late in one year for the next names its year in its title
    ("Chương trình công tác năm 2026"): that year wins over the signing year. Else the
    year of the document's date.

    >>> from pipeline.model import DocInfo
    >>> document_year(DocContext(info=DocInfo(date="2025-08-15")))
    2025
    >>> document_year(DocContext(info=DocInfo(date="2025-12-28", title="công tác năm 2026")))
    2026
    """
    date = ctx.info.date if ctx and ctx.info else None
    m = _YEAR_FIRST.match(date or "")
    signed = int(m.group(1)) if m else None
    named = _title_year(ctx.info.title if ctx and ctx.info else None)
    if named is not None and (signed is None or named >= signed):
        return named
    return signed


def signing_year(date: Optional[str]) -> Optional[int]:
    """The year of a document's date ("2026-04-15", "2026-04", "2026"), None when undated.

    >>> signing_year("2026-04-15")
    2026
    """
    m = _YEAR_FIRST.match(date or "")
    return int(m.group(1)) if m else None


def _title_year(title: Optional[str]) -> Optional[int]:
    """The year a title says the document is for: the latest "năm YYYY" that is no
    date ("ngày 05 tháng 3 năm 2024"), no limit ("đến năm 2030") and no span ("năm 2026 - 2030")."""
    years = [int(m.group("y")) for m in grammar().title_year.finditer(title or "")]
    return max(years, default=None)


def document_term(ctx: Optional[DocContext]) -> Optional[tuple[int, int]]:
    """The term (nhiệm kỳ) the document serves, read from its title, if it names one.

    >>> from pipeline.model import DocInfo
    >>> document_term(DocContext(info=DocInfo(title="thực hiện Nghị quyết Đại hội, nhiệm kỳ 2025 - 2030")))
    (2025, 2030)
    """
    title = ctx.info.title if ctx and ctx.info else None
    m = grammar().term_title.search(title or "")
    return (int(m.group(1)), int(m.group(2))) if m else None



def _month_span(found: str) -> tuple[int, int]:
    """The months of "7 tháng đầu năm 2026" (1, 7) or "ba tháng cuối năm" (10, 12)."""
    v = grammar().vocab
    count, end = regex.match(r"(.+?)\s+tháng\s+(\S+\s+năm)", " ".join(found.lower().split())).groups()
    n = int(count) if count.isdigit() else v["month_counts"][count]
    return (1, n) if v["year_ends"][end] == "first" else (13 - n, 12)


def _quarter(q: str) -> int:
    return int(grammar().vocab["quarters"][q.upper()])


def _tet_date(m: "regex.Match", date: Optional[str]) -> Optional[str]:
    """The day of the Tết in `m`: of its year, of its named year ("Bính Ngọ"), else the
    first Tết on or after the document's `date`; None outside the table or undated."""
    table = grammar().vocab["tet_dates"]
    if named(m, "tet_y"):
        return table.get(int(named(m, "tet_y")), [None])[0]
    if named(m, "tet_name"):
        name = " ".join(named(m, "tet_name").lower().split())
        return next((day for day, n in table.values() if n.lower() == name), None)
    if not date:
        return None
    return next((day for _, (day, _n) in sorted(table.items()) if day >= date[:10]), None)


def _point(m: "regex.Match", year: Optional[int], date: Optional[str] = None) -> Optional[str]:
    """ISO value of the time point in `m`; None when it needs a year nobody gave.
    `date` is the document's date, which a bare "Tết" follows."""
    def y(group: str) -> Optional[int]:
        return int(named(m, group)) if named(m, group) else year

    if named(m, "tet"):
        return _tet_date(m, date)
    if named(m, "day"):
        yy = y("dy")
        return None if yy is None else f"{yy}-{int(named(m, 'dm')):02d}-{int(named(m, 'dd')):02d}"
    if named(m, "month"):
        yy = y("my")
        return None if yy is None else f"{yy}-{int(named(m, 'mm')):02d}"
    if named(m, "quarter"):
        yy = y("qy")
        return None if yy is None else f"{yy}-Q{_quarter(named(m, 'q'))}"
    if named(m, "half"):
        yy = y("hy")
        first, last = _month_span(named(m, "half"))
        return None if yy is None else f"{yy}-{first:02d}/{yy}-{last:02d}"
    if named(m, "season"):
        return named(m, "sy")
    if named(m, "ypart"):
        yy = y("py")
        return None if yy is None else str(yy)
    if named(m, "year"):
        return named(m, "yy")
    if named(m, "next_year"):
        # "trong năm tiếp theo": the year after the one the document was signed in
        signed = signing_year(date)
        return None if signed is None else str(signed + 1)
    if named(m, "this_year"):
        return None if year is None else str(year)
    return None


_YEAR_GROUPS = ("dy", "my", "qy", "hy", "py", "yy", "sy", "this_year", "next_year", "tet")


def _month_pair(m: "regex.Match", ctx: Optional[DocContext]) -> Optional[str]:
    """ "tháng 3 và tháng 4" → "2026-03/2026-04", in the printed year or the document's;
    a year-less pair already over when the document was signed is next year's."""
    printed = named(m, "mpy")
    year = int(printed) if printed else document_year(ctx)
    if year is None:
        return None

    def span(y: int) -> str:
        return f"{y}-{int(named(m, 'ma')):02d}/{y}-{int(named(m, 'mb')):02d}"
    return span(year + 1) if not printed and before_document("period", span(year), ctx) else span(year)


def explicit_value(m: "regex.Match", ctx: Optional[DocContext]) -> tuple[str, Optional[str]]:
    """(kind, value) of a preposition-led or span match, relative parts read against `ctx`."""
    year, term = document_year(ctx), document_term(ctx)
    if named(m, "span"):
        return "period", f"{named(m, 's1')}/{named(m, 's2')}"
    if named(m, "term_end"):
        return "due", None if term is None else str(term[1])
    if named(m, "range"):
        if named(m, "start") and regex.match(r"(?i:năm\s+học)\b", named(m, "range")):
            return "from", f"{named(m, 'r1')}/.."  # "từ năm học 2026 - 2027": from that school year on
        return "period", f"{named(m, 'r1')}/{named(m, 'r2')}"
    if named(m, "term_years"):
        return "period", f"{named(m, 't1')}/{named(m, 't2')}"
    if named(m, "term"):
        return "period", None if term is None else f"{term[0]}/{term[1]}"
    if named(m, "years"):
        return "period", f"{named(m, 'ya')}/{named(m, 'yb')}"
    if named(m, "qspan"):
        return "period", f"{named(m, 'qay')}-Q{_quarter(named(m, 'qa'))}/{named(m, 'qby')}-Q{_quarter(named(m, 'qb'))}"
    if named(m, "mspan"):
        return "period", (f"{named(m, 'may')}-{int(named(m, 'ma')):02d}"
                          f"/{named(m, 'mby')}-{int(named(m, 'mb')):02d}")
    if named(m, "mpair") or named(m, "mlist"):
        return "period", _month_pair(m, ctx)
    if named(m, "qpair"):
        qy = named(m, "qpy")
        return "period", f"{qy}-Q{_quarter(named(m, 'qa'))}/{qy}-Q{_quarter(named(m, 'qb'))}"
    if named(m, "onward") and regex.match(r"(?i:từ\s+nay)\b", named(m, "prep") or ""):
        # "từ nay đến năm 2030 và những năm tiếp theo": from now on, with no end
        signed = signing_year(ctx.info.date if ctx and ctx.info else None)
        return "from", None if signed is None else f"{signed}/.."
    if named(m, "onward"):
        return "from", f"{named(m, 'oy')}/.."
    date = ctx.info.date if ctx and ctx.info else None
    point = _point(m, year, date)
    # "trong tháng 1" in a resolution of December means next January.
    relative = not any(named(m, g) for g in _YEAR_GROUPS)
    if point and relative and before_document("due", point, ctx):
        point = _point(m, year + 1, date)
    if named(m, "start"):
        return "from", None if point is None else f"{point.split('/')[0]}/.."
    # "6 tháng đầu năm 2026" is an interval: the work runs through it.
    return ("period" if named(m, "half") or (point and "/" in point) else "due"), point


def resolve_relative(deadline: Deadline, ctx: Optional[DocContext]) -> Deadline:
    """Fill the value of a relative deadline ("trong tháng 8", "cuối năm", "trong nhiệm kỳ")
    from the document's date and term; a deadline that cannot be resolved keeps value None.

    >>> from pipeline.model import DocInfo
    >>> d = Deadline("hoàn thành trong tháng 8", "due", None)
    >>> resolve_relative(d, DocContext(info=DocInfo(date="2025-07-30"))).value
    '2025-08'
    """
    if deadline.value is not None or deadline.kind not in ("due", "from", "period"):
        return deadline
    g = grammar()
    m = g.explicit.fullmatch(deadline.text) or g.bare.fullmatch(deadline.text)
    if not m:
        return deadline
    kind, value = explicit_value(m, ctx)
    return replace(deadline, value=value) if kind == deadline.kind else deadline


def _end_date(value: str) -> Optional[str]:
    """Last day a due/period value covers (ISO), for comparing with the document's date."""
    last = value.split("/")[-1]
    if last == "..":
        return None
    if _YEAR_FIRST.fullmatch(last):
        return f"{last}-12-31"
    if m := _YEAR_QUARTER.fullmatch(last):
        month = int(m.group(2)) * 3
        return f"{m.group(1)}-{month:02d}-{calendar.monthrange(int(m.group(1)), month)[1]}"
    if m := _YEAR_MONTH.fullmatch(last):
        return f"{last}-{calendar.monthrange(int(m.group(1)), int(m.group(2)))[1]}"
    return last


def before_document(kind: str, value: Optional[str], ctx: Optional[DocContext]) -> bool:
    """A date that ended before the document was signed is a finding, not a deadline."""
    date = ctx.info.date if ctx and ctx.info else None
    if not value or not date:
        return False
    doc = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]
    if kind == "from":
        return value[:4] < doc[:4]
    end = _end_date(value)
    return end is not None and end < doc


# "kể từ ngày ký", "kể từ ngày ban hành": a limit counted from the document's own date.
_FROM_SIGNING = compiled(r"(?i:kể\s+từ|tính\s+từ)\s+ngày\s+(?:ký|ban\s+hành)\b")
_CALENDAR_UNITS = {"ngày": "days", "tuần": "weeks"}


def limit_end(m: "regex.Match", ctx: Optional[DocContext]) -> Optional[str]:
    r"""The last day of a time limit counted from the document's own signing ("trong thời hạn
    30 ngày kể từ ngày ký văn bản này"), when the document's full date is known; else None.
    Working days ("ngày làm việc") and limits counted from other events stay None.

    >>> import regex
    >>> from pipeline.model import DocInfo
    >>> m = regex.match(r"(?P<count>\d+) (?P<unit>ngày) kể từ ngày ký", "30 ngày kể từ ngày ký")
    >>> limit_end(m, DocContext(info=DocInfo(date="2024-09-27")))
    '2024-10-27'
    """
    from datetime import date, timedelta

    signed = ctx.info.date if ctx and ctx.info else None
    unit = " ".join(m.group("unit").lower().split())
    if not signed or len(signed) != 10 or unit not in _CALENDAR_UNITS or not _FROM_SIGNING.search(m.group(0)):
        return None
    end = date.fromisoformat(signed) + timedelta(**{_CALENDAR_UNITS[unit]: int(m.group("count"))})
    return end.isoformat()

