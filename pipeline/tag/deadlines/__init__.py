"""Deadlines: when a clause's own action is due, starts, recurs or runs. SPEC §4.

The vocabulary (prepositions, recurrence words, quarters, name heads…) lives in
models/deadline_phrases.yaml; this module holds the grammar that combines it:

    [lead verb] preposition time      "hoàn thành trong tháng 8/2025" → due 2025-08
    [lead verb] từ … đến …            "từ năm 2026 đến năm 2030"     → period 2026/2030
    giai đoạn Y - Y, trong nhiệm kỳ   "giai đoạn 2026-2030"          → period 2026/2030
    recurrence                        "định kỳ hằng năm"             → recurring R/P1Y
    ongoing                           "(thực hiện thường xuyên)"     → ongoing null
    feast                             "trước Tết Nguyên đán Bính Ngọ" → due 2026-02-17
    onward                            "năm 2026 và những năm tiếp theo" → from 2026/..
    schedule line                     "Quý II/2026: giám sát …"      → due 2026-Q2
    time limit                        "trong thời hạn 05 ngày làm việc kể từ …" → due null

and the checks that tell a deadline from a date that only sits in the sentence:
cited documents' dates and titles, plan names ("Quy hoạch … đến năm 2040"), past
findings ("đến hết tháng 6/2023 đã có…"), comparison baselines ("so với năm 2025",
"tính đến ngày 30/11"), an adopted document's scope ("Thông qua nhiệm vụ … 6 tháng
cuối năm 2026"), quoted slogans, and growth rates ("bình quân hằng năm").
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import regex
import yaml

from ..model import Deadline, DocContext

__all__ = ["find_deadlines", "resolve_relative", "document_year", "document_term"]

MODELS = Path(__file__).resolve().parents[2] / "models"

# Years of the documents we read: 1900-2099. Four digits so that "14/16 chỉ tiêu"
# or "1.200 lượt" never read as a year.
YEAR = r"(?:19|20)\d{2}"
# Authors write ranges with a hyphen, an en dash or an em dash, spaced or not
# ("2026-2030", "2025 – 2030", "2026- 2031").
DASH = r"\s*[-–—]\s*"
MONTH = r"(?:0?[1-9]|1[0-2])(?!\d)"
DAY = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
# "giai đoạn 2026 - 2030", "giai đoạn (2022 - 2025)": a span with both years given.
# State plans say "thời kỳ 2021 - 2030" for the same thing; schools run by "năm học 2025-2026".
RANGE = rf"(?P<range> (?: giai \s+ đoạn | thời \s+ kỳ | năm \s+ học ) \s* \(? \s* (?P<r1>{YEAR}) {DASH} (?P<r2>{YEAR}) (?: \s* \) )? )"


def _words(phrases: Sequence[str]) -> str:
    """An alternation of phrases, longest first, any run of spaces between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in ordered)


@dataclass(frozen=True)
class _Grammar:
    vocab: dict
    explicit: "regex.Pattern"   # [lead] preposition time; [lead] từ … đến …
    bare: "regex.Pattern"       # time expressions that stand without a preposition
    recurring: "regex.Pattern"
    ongoing_phrase: "regex.Pattern"
    ongoing_adverb: "regex.Pattern"
    term_title: "regex.Pattern"
    schedule: "regex.Pattern"    # "Tháng 3/2026: kiểm tra …" — a schedule line's own time
    time_limit: "regex.Pattern"  # "trong thời hạn 05 ngày làm việc kể từ …" — no calendar anchor
    title_year: "regex.Pattern"  # "Chương trình công tác năm 2026" — the year a programme is for


def _year_parts(v: dict, *, year_required: bool) -> str:
    """ "6 tháng đầu năm 2026", "cuối năm 2025"; without a year only after a preposition."""
    half, parts = _words(list(v["half_years"])), _words(v["year_parts"])
    year = "" if year_required else "?"
    return rf"""
      (?P<half> (?:{half}) (?: \s+ (?P<hy>{YEAR}) ){year} ) (?! \s* \d)
    | (?P<ypart> (?:{parts}) (?: \s+ (?P<py>{YEAR}) ){year} ) (?! \s* \d)
    """


def _onward(v: dict) -> str:
    """ "năm 2026 và những năm tiếp theo": a year and every one after it."""
    return rf"(?P<onward> năm \s+ (?P<oy>{YEAR}) \s+ (?:{_words(v['onward_tails'])}) \b )"


def _tet(v: dict) -> str:
    """ "Tết Nguyên đán Bính Ngọ 2026", "Tết Nguyên đán năm 2026", "Tết Bính Ngọ", "Tết".

    A bare "Tết" must end the phrase: "Tết Trung thu", "Tết trồng cây" are other feasts."""
    kinds = _words(v["tet_kinds"])
    names = _words([name for _, name in v["tet_dates"].values()])
    year = rf"(?: \s+ (?: năm \s+ )? (?P<tet_y>{YEAR}) )"
    return rf"""
      (?P<tet> (?: dịp \s+ )? tết
        (?: \s+ (?:{kinds}) (?: \s+ (?P<tet_name>{names}) )? {year}?
          | \s+ (?P<tet_name>{names}) {year}?
          | {year}
          | (?= \s* (?: [,.;:)\]] | $ | (?: hằng | hàng | và | để ) \b ) ) ) )
    """


def _time_expression(v: dict) -> str:
    """The time point or span after a preposition, each form in its own named group."""
    quarters = _words([str(q) for q in v["quarters"]])
    return rf"""
      {RANGE}
    | {_tet(v)}
    | {_onward(v)}
    | (?P<term_years> nhiệm \s+ kỳ \s+ (?P<t1>{YEAR}) {DASH} (?P<t2>{YEAR}) )
    | (?P<term> nhiệm \s+ kỳ ) (?! \s* \d)
    | {_year_parts(v, year_required=False)}
      # "ngày 30/9/2025", "30/9/2025", "ngày 30/9" (the year comes from the document)
    | (?P<day> (?: ngày \s+ )? (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH}) \s* / \s* (?P<dy>{YEAR})
             | ngày \s+ (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH}) (?! \s* /)
               # a bare "31/12" right after "trước", "đến", "chậm nhất" or a time label's colon,
               # and ending the phrase: "trong 1/2 nhiệm kỳ" is a fraction, not a date
             | (?<= (?: trước | đến | chậm \s+ nhất | : ) \s* ) (?<! \d \s* / \s* \d+ \s+ đến \s* ) (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH})
               (?= \s* (?: [,.;:)\]] | $ | hằng \b | hàng \b | năm \b | và \b | để \b ) )
             | ngày \s+ (?P<dd>{DAY}) \s+ tháng \s+ (?P<dm>{MONTH}) (?: \s+ năm \s+ (?P<dy>{YEAR}) )? )
      # "Tháng 3 và tháng 4", "tháng 5, tháng 6/2026": two months sharing one year, the span they cover
    | (?P<mpair> tháng \s+ (?P<ma>{MONTH}) \s* (?: , | và | {DASH} ) \s* tháng \s+ (?P<mb>{MONTH})
                 (?: \s* [/-] \s* (?P<mpy>{YEAR}) | \s+ năm \s+ (?P<mpy>{YEAR}) )? )
    | (?P<month> tháng \s+ (?P<mm>{MONTH}) (?: \s* [/-] \s* (?P<my>{YEAR}) | \s+ năm \s+ (?P<my>{YEAR}) )? )
      # "Quý III, IV/2026", "quý I và quý II năm 2026": two quarters sharing one year
    | (?P<qpair> quý \s+ (?P<qa>{quarters}) \s* (?: , | và | {DASH} ) \s* (?: quý \s+ )? (?P<qb>{quarters}) \b
                 (?: \s* [/-] \s* | \s+ năm \s+ ) (?P<qpy>{YEAR}) )
    | (?P<quarter> quý \s+ (?P<q>{quarters}) \b (?: \s* [/-] \s* (?P<qy>{YEAR}) | \s+ năm \s+ (?P<qy>{YEAR}) )? )
      # "Thời gian thực hiện: Năm 2026 - 2027": a span of years after a preposition or a time label
    | (?P<years> năm \s+ (?P<ya>{YEAR}) {DASH} (?P<yb>{YEAR}) )
    | (?P<year> năm \s+ (?P<yy>{YEAR}) (?! \s* [-–—/] \s* \d) )
      # "trong năm nay", "trong năm." — relative to the document's year
    | (?P<this_year> năm (?: \s+ nay | (?= \s* [,;.)] ) ) )
    """


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    v = yaml.safe_load((MODELS / "deadline_phrases.yaml").read_text(encoding="utf-8"))
    time = _time_expression(v)
    lead = _words(v["lead_verbs"])
    due = _words(v["due_prepositions"])
    start = _words(v["from_prepositions"])
    term_end = _words(v["term_end_prefixes"])
    half_term = _words([v["term_half_word"]])
    labels = _words(v["time_labels"])
    explicit = rf"""
      (?: (?P<lead>{lead}) \s+ )?
      (?:
          # "từ năm 2026 đến năm 2030": a span, not a start
          (?P<span> từ \s+ (?: năm \s+ )? (?P<s1>{YEAR}) \s+ đến (?: \s+ hết )? \s+ (?: năm \s+ )? (?P<s2>{YEAR}) )
        | (?<! \b {half_term} \s+ ) (?P<term_end> (?:{term_end}) \s+ nhiệm \s+ kỳ ) (?! \s* \d)
        | (?P<start> {start} ) \s+ (?: {time} )
        | (?P<prep> {due} ) \s+ (?: {time} )
      )
      # "(hoàn thành cuối năm)": a lead verb may take a part of the year directly
    | (?P<lead>{lead}) \s+ (?: {_year_parts(v, year_required=False)} )
      # "Thời gian thực hiện: Quý III/2025" — a plan's time line is the task's own note
    | (?P<lead>{labels}) \s* : \s* (?: (?P<prep> {due} ) \s+ )? (?: {time} )
    """
    # Without a preposition only full spans and explicit years read as deadlines, and a
    # yearless half-year that bounds a target ("6 tháng cuối năm đạt 18,5 tỷ đồng").
    targets = _words(v["target_verbs"])
    bare = rf"""{RANGE} | {_onward(v)} | {_year_parts(v, year_required=True)}
              | (?P<half> {_words(list(v["half_years"]))} ) (?= \s+ (?:{targets}) \b )"""
    # A line that opens with a capitalised time and a colon is a schedule entry:
    # "Tháng 3/2026: kiểm tra …", "Quý II/2026: giám sát …", "- 6 tháng cuối năm: …".
    schedule = rf"""(?<= (?: ^ | \n ) [ \t]* (?: [-+•–*] [ \t]* )? ) (?= (?-i: [\p{{Lu}}\d] ) )
                   (?: {time} ) (?= [ \t]* : )"""
    # "trong thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ": a limit counted from an
    # event. The event runs to the next punctuation; "trong 5 năm qua" looks back, so a
    # unit followed by "qua" is refused.
    duration = rf"\d{{1,3}} \s+ (?:{_words(v['duration_units'])}) \b (?! \s+ qua \b )"
    anchor = rf"(?:{_words(v['limit_anchors'])}) \s+ [^,;.:()\n]{{0,79}} [^\s,;.:()\n]"
    time_limit = rf"""
      (?: (?P<lead>{lead}) \s+ )?
      (?: (?:{_words(v["limit_prepositions"])}) \s+ {duration} (?: \s+ {anchor} )?
        | trong \s+ {duration} \s+ {anchor} )
    """
    recur = _words(list(v["recurrences"]))
    periodic = _words([v["periodic_word"]])
    # "định kỳ vào ngày 03 hằng tháng", "trước ngày 20 hằng tháng": the day each period's
    # work falls on belongs to the recurrence; "định kỳ" joins it too.
    anchor = rf"(?P<anchor> (?: (?:{due}) \s+ )? ngày \s+ {DAY} (?! \s* [/.-] \s* \d ) )"
    recurring = rf"""
      (?: (?P<lead>{lead}) \s+ )?
      (?: (?P<periodic>{periodic}) \s+ )? (?: {anchor} \s+ )? (?P<recur>{recur}) \b
      | (?: (?P<lead>{lead}) \s+ )? (?P<periodic>{periodic}) \b
    """
    labels = _words(v["time_labels"])
    # "(thường xuyên)" after a task is its time note, as "(thực hiện thường xuyên)" is.
    ongoing_phrase = rf"""(?: \b (?:{_words(v['ongoing_phrases'])}
                                | (?:{labels}) \s* : \s* {_words([v["ongoing_word"]])}
                                | (?<= \( \s* ) {_words([v["ongoing_word"]])} (?= \s* \) ) ) \b )"""
    blockers = _words(v["ongoing_blockers"])
    # An adverb before the verb it qualifies ("Thường xuyên theo dõi, đôn đốc…").
    ongoing_adverb = rf"""
      (?<! \b (?:{blockers}) \s+ )
      \b (?P<word>{_words([v["ongoing_word"]])}) (?= [ ]+ (?-i:\p{{Ll}}))
      # "nhiệm vụ trọng tâm và thường xuyên hàng năm": an adjective, not an adverb
      (?! \s+ (?:{recur}) )
    """
    flags = regex.IGNORECASE | regex.VERBOSE | regex.VERSION1
    return _Grammar(
        vocab=v,
        explicit=regex.compile(rf"\b(?:{explicit})", flags),
        bare=regex.compile(rf"\b(?:{bare})", flags),
        recurring=regex.compile(rf"\b(?:{recurring})", flags),
        ongoing_phrase=regex.compile(ongoing_phrase, flags),
        ongoing_adverb=regex.compile(ongoing_adverb, flags),
        term_title=regex.compile(rf"nhiệm \s+ kỳ \s+ ({YEAR}) {DASH} ({YEAR})", flags),
        schedule=regex.compile(schedule, flags),
        time_limit=regex.compile(rf"\b(?:{time_limit})", flags),
        title_year=regex.compile(
            rf"""(?<! (?: \d | \b (?:{_words(v["title_year_blockers"])}) ) \s+ )
                 \b năm \s+ (?P<y>{YEAR}) (?! \s* (?: [-–—/] \s* \d | \d ) )""", flags),
    )


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
    m = regex.match(r"(\d{4})", date or "")
    signed = int(m.group(1)) if m else None
    named = _title_year(ctx.info.title if ctx and ctx.info else None)
    if named is not None and (signed is None or named >= signed):
        return named
    return signed


def _title_year(title: Optional[str]) -> Optional[int]:
    """The year a title says the document is for: the latest "năm YYYY" that is no
    date ("ngày 05 tháng 3 năm 2024"), no limit ("đến năm 2030") and no span ("năm 2026 - 2030")."""
    years = [int(m.group("y")) for m in _grammar().title_year.finditer(title or "")]
    return max(years, default=None)


def document_term(ctx: Optional[DocContext]) -> Optional[tuple[int, int]]:
    """The term (nhiệm kỳ) the document serves, read from its title, if it names one.

    >>> from pipeline.model import DocInfo
    >>> document_term(DocContext(info=DocInfo(title="thực hiện Nghị quyết Đại hội, nhiệm kỳ 2025 - 2030")))
    (2025, 2030)
    """
    title = ctx.info.title if ctx and ctx.info else None
    m = _grammar().term_title.search(title or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


# ---------------------------------------------------------------- values

def _quarter(q: str) -> int:
    return int(_grammar().vocab["quarters"][q.upper()])


def _g(m: "regex.Match", name: str) -> Optional[str]:
    """A named group's text, None when unmatched or absent from this pattern."""
    return m.groupdict().get(name)


def _tet_date(m: "regex.Match", date: Optional[str]) -> Optional[str]:
    """The day of the Tết in `m`: of its year, of its named year ("Bính Ngọ"), else the
    first Tết on or after the document's `date`; None outside the table or undated."""
    table = _grammar().vocab["tet_dates"]
    if _g(m, "tet_y"):
        return table.get(int(_g(m, "tet_y")), [None])[0]
    if _g(m, "tet_name"):
        name = " ".join(_g(m, "tet_name").lower().split())
        return next((day for day, n in table.values() if n.lower() == name), None)
    if not date:
        return None
    return next((day for _, (day, _n) in sorted(table.items()) if day >= date[:10]), None)


def _point(m: "regex.Match", year: Optional[int], date: Optional[str] = None) -> Optional[str]:
    """ISO value of the time point in `m`; None when it needs a year nobody gave.
    `date` is the document's date, which a bare "Tết" follows."""
    def y(group: str) -> Optional[int]:
        return int(_g(m, group)) if _g(m, group) else year

    if _g(m, "tet"):
        return _tet_date(m, date)
    if _g(m, "day"):
        yy = y("dy")
        return None if yy is None else f"{yy}-{int(_g(m, 'dm')):02d}-{int(_g(m, 'dd')):02d}"
    if _g(m, "month"):
        yy = y("my")
        return None if yy is None else f"{yy}-{int(_g(m, 'mm')):02d}"
    if _g(m, "quarter"):
        yy = y("qy")
        return None if yy is None else f"{yy}-Q{_quarter(_g(m, 'q'))}"
    if _g(m, "half"):
        yy = y("hy")
        first, last = _grammar().vocab["half_years"][_phrase_key(_g(m, "half"), "half_years")]
        return None if yy is None else f"{yy}-{first}/{yy}-{last}"
    if _g(m, "ypart"):
        yy = y("py")
        return None if yy is None else str(yy)
    if _g(m, "year"):
        return _g(m, "yy")
    if _g(m, "this_year"):
        return None if year is None else str(year)
    return None


def _phrase_key(found: str, table: str) -> str:
    """The vocabulary key a matched phrase came from (spacing and case may differ)."""
    words = " ".join(found.lower().split())
    for key in sorted(_grammar().vocab[table], key=len, reverse=True):
        if words.startswith(key.lower()):
            return key
    raise KeyError(found)


_YEAR_GROUPS = ("dy", "my", "qy", "hy", "py", "yy", "this_year", "tet")


def _month_pair(m: "regex.Match", ctx: Optional[DocContext]) -> Optional[str]:
    """ "tháng 3 và tháng 4" → "2026-03/2026-04", in the printed year or the document's;
    a year-less pair already over when the document was signed is next year's."""
    printed = _g(m, "mpy")
    year = int(printed) if printed else document_year(ctx)
    if year is None:
        return None

    def span(y: int) -> str:
        return f"{y}-{int(_g(m, 'ma')):02d}/{y}-{int(_g(m, 'mb')):02d}"
    return span(year + 1) if not printed and _before_document("period", span(year), ctx) else span(year)


def _explicit_value(m: "regex.Match", ctx: Optional[DocContext]) -> tuple[str, Optional[str]]:
    """(kind, value) of a preposition-led or span match, relative parts read against `ctx`."""
    year, term = document_year(ctx), document_term(ctx)
    if _g(m, "span"):
        return "period", f"{_g(m, 's1')}/{_g(m, 's2')}"
    if _g(m, "term_end"):
        return "due", None if term is None else str(term[1])
    if _g(m, "range"):
        return "period", f"{_g(m, 'r1')}/{_g(m, 'r2')}"
    if _g(m, "term_years"):
        return "period", f"{_g(m, 't1')}/{_g(m, 't2')}"
    if _g(m, "term"):
        return "period", None if term is None else f"{term[0]}/{term[1]}"
    if _g(m, "years"):
        return "period", f"{_g(m, 'ya')}/{_g(m, 'yb')}"
    if _g(m, "mpair"):
        return "period", _month_pair(m, ctx)
    if _g(m, "qpair"):
        qy = _g(m, "qpy")
        return "period", f"{qy}-Q{_quarter(_g(m, 'qa'))}/{qy}-Q{_quarter(_g(m, 'qb'))}"
    if _g(m, "onward"):
        return "from", f"{_g(m, 'oy')}/.."
    date = ctx.info.date if ctx and ctx.info else None
    point = _point(m, year, date)
    # "trong tháng 1" in a resolution of December means next January.
    relative = not any(_g(m, g) for g in _YEAR_GROUPS)
    if point and relative and _before_document("due", point, ctx):
        point = _point(m, year + 1, date)
    if _g(m, "start"):
        return "from", None if point is None else f"{point.split('/')[0]}/.."
    # "6 tháng đầu năm 2026" is an interval: the work runs through it.
    return ("period" if _g(m, "half") or (point and "/" in point) else "due"), point


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
    g = _grammar()
    m = g.explicit.fullmatch(deadline.text) or g.bare.fullmatch(deadline.text)
    if not m:
        return deadline
    kind, value = _explicit_value(m, ctx)
    return replace(deadline, value=value) if kind == deadline.kind else deadline


# ---------------------------------------------------------------- context checks

_SEGMENT_END = regex.compile(r"[;:.!?()\n]")


def _segment_before(text: str, start: int) -> str:
    """Text from the last sentence/enumeration boundary up to `start`."""
    cut = max((m.end() for m in _SEGMENT_END.finditer(text, 0, start)), default=0)
    # A dot inside a number ("1.200", "8/2025.") is still a boundary: harmless here.
    return text[cut:start]


# A quoted slogan or title. Authors mix straight and curly quotes ("… phát triển”),
# so any opening mark pairs with the next closing one, within one paragraph.
_QUOTED = regex.compile(r'[“"][^“”"\n]{0,300}[”"]')


def _inside_quotes(text: str, start: int) -> bool:
    return any(m.start() < start < m.end() for m in _QUOTED.finditer(text))


_WORD = regex.compile(r"[\p{L}\d][\p{L}\d/.-]*")


def _lower_words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def _contains_phrase(words: list[str], phrases: Sequence[str]) -> bool:
    joined = " " + " ".join(words) + " "
    return any(f" {p.lower()} " in joined for p in phrases)


# A cited document's number ("35-NQ/TW", "152/NQ-HĐND"): what follows its "về" is its title.
_CITED_NUMBER = regex.compile(r"\d+\s*[-/]\s*\p{Lu}[\p{L}]*\s*[/-]\s*[\p{Lu}\d]")


def _names_head(words: list[str], heads: Sequence[str], capitalised: bool) -> bool:
    """Whether `words` hold a name head; with `capitalised`, the nearest head must be a
    proper name ("vào chương trình kiểm tra hằng năm" after "Nghị quyết" is no name)."""
    lowered = [w.lower() for w in words]
    found = [i for head in heads for i in range(len(words))
             if lowered[i:i + len(head.split())] == head.lower().split()]
    if not found:
        return False
    return not capitalised or words[max(found)][:1].isupper()


def _modifies_noun(text: str, start: int) -> bool:
    """A bare period right after a noun it qualifies: "nhiệm vụ năm học 2025-2026 của ngành"
    names the school year's tasks; it does not bound the clause's own action."""
    words = " ".join(_lower_words(text[max(0, start - 30):start])[-3:])
    return any(words.endswith(noun) for noun in _grammar().vocab["qualified_nouns"])


def _in_name(text: str, start: int, end: int, *, capitalised: bool = False) -> bool:
    """True when the expression is part of a plan's or a cited document's name."""
    v = _grammar().vocab
    segment = _segment_before(text, start)
    words = _WORD.findall(segment)
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in v["name_breakers"]:
            words = words[i + 1:]
            break
    if _names_head(words[-v["name_window_words"]:], v["name_heads"], capitalised):
        return True
    words = [w.lower() for w in words]
    if _contains_phrase(words[-3:], v["name_continuations"]):
        return True
    cited = _CITED_NUMBER.search(segment)
    if cited and regex.search(r"\bvề\b", segment[cited.end():]):
        return True
    after = text[end:end + 20].lower()
    # "Quy hoạch … đến năm 2030, tầm nhìn đến năm 2045" is a name; a target that opens
    # its sentence with the same words ("Đến năm 2030, tầm nhìn đến năm 2045, tỉnh …") is not.
    opens_sentence = not _WORD.search(segment)
    return not opens_sentence and bool(regex.match(r"\s*,\s*(?:" + _words(v["name_continuations"]) + r")\b", after))


def _is_past_or_baseline(text: str, start: int, end: int, dated: bool) -> bool:
    """Baselines ("so với năm 2025") and past events ("… đến nay", "… đã có"). With the
    document's date known, "đã" is left to the date check: "đến năm 2030 đã có…" is a target."""
    v = _grammar().vocab
    # The expression's first word counts too: in "tính đến ngày 30/11" (as of) the
    # baseline word's "đến" is the expression's own preposition.
    before = " ".join(_lower_words(text[max(0, start - 30):start])[-3:] + _lower_words(text[start:end])[:1])
    if any(w in before for w in v["baseline_words"]):
        return True
    after = text[end:end + 25].lower()
    words = v["past_after"] + ([] if dated else v["past_after_undated"])
    return bool(regex.match(r"[\s,]*(?:" + _words(words) + r")\b", after))


# Sentences end at a full stop before a capital (not "8/2025." inside a note) or a new line.
_SENTENCE_END = regex.compile(r"[.!?](?=\s+\p{Lu})|\n")


def _past_sentence(text: str, start: int) -> bool:
    """A habit reported in a finding: "đã" earlier in the same sentence ("… đã ban hành Kế
    hoạch …; định kỳ sơ kết …"). Only bare adverbs are judged so; an explicit note
    ("… đã đề ra (thực hiện thường xuyên)") still says when the task runs."""
    cut = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    return bool(regex.search(r"\b(?:" + _words(_grammar().vocab["past_markers"]) + r")\b",
                             text[cut:start], regex.IGNORECASE))


def _end_date(value: str) -> Optional[str]:
    """Last day a due/period value covers (ISO), for comparing with the document's date."""
    last = value.split("/")[-1]
    if last == "..":
        return None
    if regex.fullmatch(r"\d{4}", last):
        return f"{last}-12-31"
    if m := regex.fullmatch(r"(\d{4})-Q([1-4])", last):
        month = int(m.group(2)) * 3
        return f"{m.group(1)}-{month:02d}-{calendar.monthrange(int(m.group(1)), month)[1]}"
    if m := regex.fullmatch(r"(\d{4})-(\d{2})", last):
        return f"{last}-{calendar.monthrange(int(m.group(1)), int(m.group(2)))[1]}"
    return last


def _before_document(kind: str, value: Optional[str], ctx: Optional[DocContext]) -> bool:
    """A date that ended before the document was signed is a finding, not a deadline."""
    date = ctx.info.date if ctx and ctx.info else None
    if not value or not date:
        return False
    doc = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]
    if kind == "from":
        return value[:4] < doc[:4]
    end = _end_date(value)
    return end is not None and end < doc


def _adopts_document(text: str, start: int) -> bool:
    """A clause opening "Thông qua nhiệm vụ … 6 tháng cuối năm 2026 với các nội dung sau:"
    adopts a document; a bare time before its first colon or semicolon is that document's
    scope. A preposition ("… trước ngày 30/6") would still date the adoption itself."""
    head = regex.match(r"\s*(?:" + _words(_grammar().vocab["adoption_verbs"]) + r")\b[^:;\n]*",
                       text, regex.IGNORECASE)
    return bool(head) and start < head.end()


# ---------------------------------------------------------------- finding

@dataclass(frozen=True)
class _Found:
    deadline: Deadline
    explicit: bool  # opened by a lead verb ("thực hiện …") — the clause's own note
    adverb: bool = False  # a bare adverb, subsumed by an explicit note of the same value
    bare: bool = False  # a time with no preposition or verb: may name an adopted document's scope


def _candidates(text: str, ctx: Optional[DocContext]) -> list[_Found]:
    g = _grammar()
    found: list[_Found] = []

    def add(m, kind, value, explicit, adverb=False, bare=False):
        found.append(_Found(Deadline(m.group(0), kind, value, start=m.start(), end=m.end()), explicit, adverb, bare))

    for m in g.explicit.finditer(text, overlapped=True):
        kind, value = _explicit_value(m, ctx)
        lead = bool(m.group("lead"))
        named_prone = m.group("prep") is not None and m.group("prep").lower().startswith("đến")
        if not lead and (named_prone or m.group("range")) and _in_name(text, m.start(), m.end()):
            continue
        if m.group("start") and regex.match(r"\s+đến\s+nay", text[m.end():]):
            continue
        add(m, kind, value, lead)
    for m in g.bare.finditer(text):
        kind, value = _explicit_value(m, ctx)
        if _in_name(text, m.start(), m.end()) or _modifies_noun(text, m.start()):
            continue
        add(m, kind, value, False, bare=True)
    for m in g.schedule.finditer(text):
        add(m, *_explicit_value(m, ctx), True)
    for m in g.time_limit.finditer(text):
        add(m, "due", None, bool(m.group("lead")))
    rate_words = g.vocab["rate_words"]
    own_end = -1  # end of the last recurrence that is surely the clause's own
    for m in g.recurring.finditer(text):
        if m.group("recur"):
            value = g.vocab["recurrences"][_phrase_key(m.group("recur"), "recurrences")]
        else:
            value = None
        lead = bool(m.group("lead"))
        # "định kỳ 6 tháng và hằng năm": a recurrence joined to a periodic one is the clause's too.
        joined = own_end >= 0 and bool(_RECURRENCE_JOIN.fullmatch(text[own_end:m.start()]))
        if not lead and m.group("recur") and not m.group("periodic") and not m.group("anchor"):
            before = _lower_words(text[max(0, m.start() - 40):m.start()])
            if _contains_phrase(before[-3:], rate_words) or _contains_phrase(before[-3:], g.vocab["scope_pairs"]):
                continue
        # "định kỳ 6 tháng", "định kỳ hằng năm" say how often the clause's own work recurs;
        # a bare "định kỳ" may still sit inside a cited rule's name.
        periodic = value is not None and (bool(regex.search(r"(?i:định\s+kỳ)", m.group(0))) or bool(m.group("anchor")))
        if not (lead or joined or periodic) \
                and _in_name(text, m.start(), m.end(), capitalised=bool(m.group("recur"))):
            continue
        if lead or joined or periodic:
            own_end = m.end()
        add(m, "recurring", value, lead, adverb=not lead)
    for m in g.ongoing_phrase.finditer(text):
        add(m, "ongoing", None, True)
    for m in g.ongoing_adverb.finditer(text):
        add(m, "ongoing", None, False, adverb=True)
    return _anchored_recurrences(found + _joined_spans(found, text), text)


_RECURRENCE_JOIN = regex.compile(r"\s*(?:,|và|,\s*và)\s*")


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


_UNTIL = regex.compile(r"(?i:đến)\b")


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


def _one_note_per_fact(found: list[_Found]) -> list[_Found]:
    """A clause's explicit note ("(thực hiện thường xuyên)") subsumes adverbs saying the
    same ("Thường xuyên rà soát…"); ongoing has no value, so a clause is ongoing once."""
    explicit = {(f.deadline.kind, f.deadline.value) for f in found if not f.adverb}
    ongoing = [f for f in found if f.deadline.kind == "ongoing"]
    best_ongoing = min(ongoing, key=lambda f: (f.adverb, not f.explicit, f.deadline.start), default=None)
    return [f for f in found
            if f is best_ongoing
            or (f.deadline.kind != "ongoing"
                and not (f.adverb and (f.deadline.kind, f.deadline.value) in explicit))]


def find_deadlines(text: str, ctx: DocContext | None = None, *,
                   avoid: Sequence[tuple[int, int]] = ()) -> list[Deadline]:
    """Deadlines stated in one clause's own text, in text order.

    Offsets are relative to `text` (`text[d.start:d.end] == d.text`). Nothing inside an
    `avoid` span (a citation found by another tagger) is a deadline. Relative expressions
    are resolved against `ctx` (its date and term) where it can, else kept with value None.

    >>> [(d.text, d.kind, d.value) for d in find_deadlines("Quán triệt Nghị quyết (hoàn thành trong tháng 8/2025).")]
    [('hoàn thành trong tháng 8/2025', 'due', '2025-08')]
    """
    found = []
    for f in _candidates(text, ctx):
        d = f.deadline
        span = (d.start, d.end)
        if any(_overlaps(span, a) for a in avoid) or _inside_quotes(text, d.start):
            continue
        if f.adverb and _past_sentence(text, d.start):
            continue
        if f.bare and _adopts_document(text, d.start):
            continue
        if d.kind in ("due", "from", "period"):
            if _is_past_or_baseline(text, d.start, d.end, document_year(ctx) is not None) or _before_document(d.kind, d.value, ctx):
                continue
        found.append(f)
    return [f.deadline for f in _one_note_per_fact(_longest_first(found))]
