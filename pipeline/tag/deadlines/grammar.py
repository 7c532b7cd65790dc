"""The time grammar: regex parts built from models/deadline_phrases.yaml, compiled once.

Each form of time expression is a named group, so that values.py can read a match
without re-parsing it: "trong tháng 8/2025" fills `prep`, `month`, `mm` and `my`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import regex

from ...patterns import first_characters
from ...vocab_cache import cached_build

MODELS = Path(__file__).resolve().parents[3] / "models"

# Years of the documents we read: 1900-2099. Four digits so that "14/16 chỉ tiêu"
# or "1.200 lượt" never read as a year.
YEAR = r"(?:19|20)\d{2}"
# Authors write ranges with a hyphen, an en dash or an em dash, spaced or not
# ("2026-2030", "2025 – 2030", "2026- 2031").
DASH = r"\s*[-–—]\s*"
MONTH = r"(?:0?[1-9]|1[0-2])(?!\d)"
DAY = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
# "13h30’ ngày 07/7/2026", "8 giờ 00, ngày …": the hour of a meeting; the value keeps the day.
HOUR = r"(?: \d{1,2} \s* (?: h | giờ ) \s* (?: \d{2} )? \s* ['’]? \s* ,? \s* )"
# "(thứ Hai)", "(Chủ nhật)": a weekday after a date marks an event in the calendar; a cited
# document's date never carries one.
WEEKDAY = r"(?: \s* \( \s* (?: thứ \s+ \p{L}+ | chủ \s+ nhật ) \s* \) )"
# "giai đoạn 2026 - 2030", "giai đoạn (2022 - 2025)": a span with both years given.
# State plans say "thời kỳ 2021 - 2030" for the same thing; schools run by "năm học 2025-2026".
RANGE = rf"(?P<range> (?: giai \s+ đoạn | thời \s+ kỳ | năm \s+ học ) \s* \(? \s* (?P<r1>{YEAR}) {DASH} (?P<r2>{YEAR}) (?: \s* \) )? )"


def words(phrases: Sequence[str]) -> str:
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
    time_list: "regex.Pattern"   # a line (or a time label's rest) that is nothing but times
    list_item: "regex.Pattern"   # one item of such a list: "Tháng 9, 10/2026", "2025", "thường xuyên"
    time_limit: "regex.Pattern"  # "trong thời hạn 05 ngày làm việc kể từ …" — no calendar anchor
    title_year: "regex.Pattern"  # "Chương trình công tác năm 2026" — the year a programme is for
    # What a text must hold for the pattern named to match in it (each alternative's words that
    # every match of it contains): a text without it is not scanned, since most are not.
    may_recur: "regex.Pattern"   # a recurrence, "lần" or "định kỳ"
    may_limit: "regex.Pattern"   # a count of days, months… ("15 ngày")
    label_colon: "regex.Pattern"  # a time label and its colon (time_list's second form)


def month_span(v: dict) -> str:
    """ "6 tháng đầu năm", "chín tháng đầu năm", "3 tháng cuối năm": the first or last N months."""
    return rf"(?: (?: 0?[1-9] | 1[01] | {words(list(v['month_counts']))} ) \s+ tháng \s+ (?:{words(list(v['year_ends']))}) )"


def _year_parts(v: dict, *, year_required: bool) -> str:
    """ "6 tháng đầu năm 2026", "cuối năm 2025"; without a year only after a preposition."""
    half, parts = month_span(v), words(v["year_parts"])
    year = "" if year_required else "?"
    return rf"""
      (?P<half> (?:{half}) (?: \s+ (?P<hy>{YEAR}) ){year} ) (?! \s* \d)
    | (?P<ypart> (?:{parts}) (?: \s+ (?P<py>{YEAR}) ){year} ) (?! \s* \d)
    """


def _onward(v: dict) -> str:
    """ "năm 2026 và những năm tiếp theo": a year and every one after it."""
    return rf"(?P<onward> năm \s+ (?P<oy>{YEAR}) \s+ (?:{words(v['onward_tails'])}) \b )"


def _tet(v: dict) -> str:
    """ "Tết Nguyên đán Bính Ngọ 2026", "Tết Nguyên đán năm 2026", "Tết Bính Ngọ", "Tết".

    A bare "Tết" must end the phrase: "Tết Trung thu", "Tết trồng cây" are other feasts."""
    kinds = words(v["tet_kinds"])
    names = words([name for _, name in v["tet_dates"].values()])
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
    quarters = words([str(q) for q in v["quarters"]])
    return rf"""
      {RANGE}
    | {_tet(v)}
    | {_onward(v)}
    | (?P<term_years> nhiệm \s+ kỳ \s+ (?P<t1>{YEAR}) {DASH} (?P<t2>{YEAR}) )
    | (?P<term> nhiệm \s+ kỳ ) (?! \s* \d)
    | {_year_parts(v, year_required=False)}
      # "ngày 30/9/2025", "30/9/2025", "ngày 30/9" (the year comes from the document)
    | (?P<day> {HOUR}? (?: ngày \s+ )? (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH}) \s* / \s* (?P<dy>{YEAR})
             | ngày \s+ (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH}) (?! \s* /)
               # a bare "31/12" right after "trước", "đến", "chậm nhất" or a time label's colon,
               # and ending the phrase: "trong 1/2 nhiệm kỳ" is a fraction, not a date
             | (?<= (?: trước | đến | chậm \s+ nhất | : ) \s* ) (?<! \d \s* / \s* \d+ \s+ đến \s* ) (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH})
               (?= \s* (?: [,.;:)\]] | $ | hằng \b | hàng \b | năm \b | và \b | để \b ) )
             | ngày \s+ (?P<dd>{DAY}) \s+ tháng \s+ (?P<dm>{MONTH}) (?: \s+ năm \s+ (?P<dy>{YEAR}) )?
               # "trước 30 tháng 9 năm 2026": the long date without "ngày", whole (else "30 tháng" is a duration)
             | (?P<dd>{DAY}) \s+ tháng \s+ (?P<dm>{MONTH}) \s+ năm \s+ (?P<dy>{YEAR}) )
      # "Quý III/2026, Quý I/2027", "tháng 12/2026 - tháng 2/2027": two points, each with its year
      # (a time cell may put the second on its own line, with nothing between)
    | (?P<qspan> quý \s+ (?P<qa>{quarters}) \s* [/-] \s* (?P<qay>{YEAR}) \s* (?: , | và | {DASH} | đến )? \s*
                 quý \s+ (?P<qb>{quarters}) \s* [/-] \s* (?P<qby>{YEAR}) )
    | (?P<mspan> tháng \s+ (?P<ma>{MONTH}) \s* [/-] \s* (?P<may>{YEAR}) \s* (?: , | và | {DASH} | đến )? \s*
                 (?: tháng \s+ )? (?P<mb>{MONTH}) \s* [/-] \s* (?P<mby>{YEAR}) )
      # "Tháng 9, 10/2026", "tháng 9, 10 và 11 năm 2026": months listed under one year are one period
    | (?P<mlist> tháng \s+ (?P<ma>{MONTH}) (?: \s* (?: , | và ) \s* (?: tháng \s+ )? {MONTH} )*?
                 \s* (?: , | và ) \s* (?: tháng \s+ )? (?P<mb>{MONTH}) (?: \s* [/-] \s* | \s+ năm \s+ ) (?P<mpy>{YEAR}) )
      # "Tháng 3 và tháng 4", "tháng 5, tháng 6/2026": two months sharing one year, the span they cover
    | (?P<mpair> tháng \s+ (?P<ma>{MONTH}) \s* (?: , | và | {DASH} ) \s* tháng \s+ (?P<mb>{MONTH})
                 (?: \s* [/-] \s* (?P<mpy>{YEAR}) | \s+ năm \s+ (?P<mpy>{YEAR}) )? )
      # "tuần đầu tháng 7/2026", "cuối tháng 9/2026": within the month, whose value it keeps
    | (?P<month> (?: (?: tuần \s+ )? (?: đầu | cuối | giữa | thứ \s+ \p{{L}}+ ) \s+ )? tháng \s+ (?P<mm>{MONTH}) (?: \s* [/-] \s* (?P<my>{YEAR}) | \s+ năm \s+ (?P<my>{YEAR})
                                               # "Tháng 9" of "Tháng 9, 10/2026" is no month of its own
                                               | (?! \s* (?: , | và ) \s* (?: tháng \s+ )? \d ) ) )
      # "Quý III, IV/2026", "quý I và quý II năm 2026": two quarters sharing one year
    | (?P<qpair> quý \s+ (?P<qa>{quarters}) \s* (?: , | và | {DASH} ) \s* (?: quý \s+ )? (?P<qb>{quarters}) \b
                 (?: \s* [/-] \s* | \s+ năm \s+ ) (?P<qpy>{YEAR}) )
    | (?P<quarter> (?: (?: đầu | cuối | giữa ) \s+ )? quý \s+ (?P<q>{quarters}) \b (?: \s* [/-] \s* (?P<qy>{YEAR}) | \s+ năm \s+ (?P<qy>{YEAR}) )? )
      # "Thời gian thực hiện: Năm 2026 - 2027": a span of years after a preposition or a time label
    | (?P<years> (?: (?: hai | ba | bốn | \d ) \s+ )? năm \s+ (?P<ya>{YEAR}) {DASH} (?P<yb>{YEAR}) )
      # "Năm 2026, 2027": years listed are one period, as listed months are
    | (?P<years> (?: các \s+ )? năm \s+ (?P<ya>{YEAR}) (?: \s* , \s* (?: năm \s+ )? {YEAR} )*? \s* (?: , | và ) \s* (?: năm \s+ )?
                 (?P<yb>{YEAR}) (?! \s* [-–—/] \s* \d | \s+ (?:{words(v['onward_tails'])}) ) )
    | (?P<year> năm \s+ (?P<yy>{YEAR}) (?! \s* [-–—/] \s* \d) )
      # "tầm nhìn đến 2050": a year without "năm" after a preposition, ending the phrase
    | (?P<year> (?P<yy>{YEAR}) (?= \s* (?: [,.;:)\]] | $ | và \b ) ) )
      # "trước mùa mưa năm 2026": a season names its year, never a month we would have to invent
    | (?P<season> (?:{words(v["seasons"])}) \s+ (?: năm \s+ )? (?P<sy>{YEAR}) (?! \s* [-–—/] \s* \d) )
      # "trong năm tiếp theo": the year after the document's
    | (?P<next_year> năm \s+ (?: tiếp \s+ theo | sau | tới ) \b )
      # "trong năm nay", "trong năm." — relative to the document's year
    | (?P<this_year> năm (?: \s+ nay | (?= \s* [,;.)] ) ) )
    """


def _list_item(v: dict, time: str) -> str:
    """One item of a time cell: any time expression, and the bare forms a cell allows
    ("12/2025", "2025", "2025 - 2026", "2025 và những năm tiếp theo"), a recurrence or
    an ongoing word ("Thường xuyên", "Nhiệm vụ thường xuyên")."""
    return rf"""
        (?P<onward> (?: năm \s+ )? (?P<oy>{YEAR}) \s+ (?:{words(v['onward_tails'])}) \b )
      | (?P<years> (?: năm \s+ )? (?P<ya>{YEAR}) {DASH} (?P<yb>{YEAR}) )
      | {time}
      | (?P<month> (?P<mm>{MONTH}) \s* / \s* (?P<my>{YEAR}) )
      | (?P<year> (?P<yy>{YEAR}) ) (?! \s* [-–—/] \s* \d )
      | (?P<recur> (?: {words([v["periodic_word"]])} \s+ )? (?:{words(list(v["recurrences"]))}) )
      | (?P<cell_ongoing> {words(v["ongoing_cells"])} )
    """


@cached_build  # compiled once per change of models/ (pipeline/vocab_cache.py)
def grammar() -> _Grammar:
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    v = yaml.safe_load((MODELS / "deadline_phrases.yaml").read_text(encoding="utf-8"))
    time = _time_expression(v)
    lead = words(v["lead_verbs"])
    due = words(v["due_prepositions"])
    start = words(v["from_prepositions"])
    term_end = words(v["term_end_prefixes"])
    half_term = words([v["term_half_word"]])
    labels = words(v["time_labels"])
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
    targets = words(v["target_verbs"])
    # A date with its weekday is an event of the plan's calendar: "Ngày 05/9/2024 (thứ Năm)".
    event = rf"(?P<day> {HOUR}? (?: ngày \s+ )? (?P<dd>{DAY}) \s* / \s* (?P<dm>{MONTH}) \s* / \s* (?P<dy>{YEAR}) ) (?= {WEEKDAY} )"
    quarters = words([str(q) for q in v["quarters"]])
    # "cuối quý II/2026" stands without a preposition as "cuối năm 2026" does, its year given
    part_quarter = rf"""(?P<quarter> (?: đầu | cuối | giữa ) \s+ quý \s+ (?P<q>{quarters}) \b
                        (?: \s* [/-] \s* (?P<qy>{YEAR}) | \s+ năm \s+ (?P<qy>{YEAR}) ) )"""
    bare = rf"""{RANGE} | {_onward(v)} | {_year_parts(v, year_required=True)} | {event} | {part_quarter}
              | (?P<half> {month_span(v)} ) (?= \s+ (?:{targets}) \b )"""
    # A line that opens with a capitalised time and a colon (or a dash before a capital) is a
    # schedule entry: "Tháng 3/2026: kiểm tra …", "Quý IV/2026 - Tổng kết …", "- 6 tháng cuối năm: …".
    schedule = rf"""(?<= (?: ^ | \n ) [ \t]* (?: [-+•–*] [ \t]* )? ) (?= (?-i: [\p{{Lu}}\d] ) )
                   (?: {time} ) (?= [ \t]* (?: : | [-–] [ \t]+ (?-i: \p{{Lu}} ) ) )"""
    # "trong thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ": a limit counted from an
    # event. The event runs to the next punctuation; "trong 5 năm qua" looks back, so a
    # unit followed by "qua" is refused.
    duration = rf"(?P<count>\d{{1,3}}) \s+ (?P<unit>{words(v['duration_units'])}) \b (?! \s+ qua \b )"
    anchor = rf"(?:{words(v['limit_anchors'])}) \s+ [^,;.:()\n]{{0,79}} [^\s,;.:()\n]"
    time_limit = rf"""
      (?: (?P<lead>{lead}) \s+ )?
      (?: (?:{words(v["limit_prepositions"])}) \s+ {duration} (?: \s+ {anchor} )?
        | trong \s+ {duration} \s+ {anchor} )
    """
    recur = words(list(v["recurrences"]))
    item = _list_item(v, time)
    # A time cell or a line that holds only times ("Quý III/2026", "2025", "Tháng 9, 10/2026,
    # thường xuyên"), or what follows a time label's colon: each item is the row's own time.
    separator = r"(?: \s* [,;] \s* | \s+ và \s+ )"
    time_list = rf"""
      (?: (?<= ^ | \n ) [ \t]* (?: [-+•–*] [ \t]* )? | (?:{labels}) [ \t]* : [ \t]* )
      (?P<items> (?: {item} ) (?: {separator} (?: {item} ) )* ) [ \t]* [.;]? [ \t]* (?= \n | $ )
    """
    periodic = words([v["periodic_word"]])
    # "định kỳ vào ngày 03 hằng tháng", "trước ngày 20 hằng tháng": the day each period's
    # work falls on belongs to the recurrence; "định kỳ" joins it too.
    anchor = rf"(?P<anchor> (?: (?:{due}) \s+ )? ngày \s+ {DAY} (?! \s* [/.-] \s* \d ) )"
    recurring = rf"""
      (?: (?P<lead>{lead}) \s+ )?
      (?: (?P<periodic>{periodic}) \s+ )? (?: {anchor} \s+ )? (?P<recur>{recur}) \b
      # "định kỳ 02 năm một lần", "3 tháng một lần": every n units
      | (?: (?P<lead>{lead}) \s+ )? (?: (?P<periodic>{periodic}) \s+ )?
        (?P<every> (?P<every_n>\d{{1,2}}) \s+ (?P<every_unit>{words(list(v["every_units"]))}) \s+ (?: một \s+ )? lần ) \b
      # "định kỳ 06 tháng", "định kỳ 2 năm": after "định kỳ" the count needs no "một lần"
      | (?: (?P<lead>{lead}) \s+ )? (?P<periodic>{periodic}) \s+
        (?P<every> (?P<every_n>\d{{1,2}}) \s+ (?P<every_unit>{words(list(v["every_units"]))}) (?: \s+ (?: một \s+ )? lần )? ) \b
      | (?: (?P<lead>{lead}) \s+ )? (?P<periodic>{periodic}) \b
    """
    labels = words(v["time_labels"])
    # "(thường xuyên)" after a task is its time note, as "(thực hiện thường xuyên)" is.
    ongoing_phrase = rf"""(?: \b (?:{words(v['ongoing_phrases'])}
                                | (?:{labels}) \s* : \s* {words([v["ongoing_word"]])}
                                | (?<= \( \s* ) {words([v["ongoing_word"]])} (?= \s* \) ) ) \b )"""
    blockers = words(v["ongoing_blockers"])
    # An adverb before the verb it qualifies ("Thường xuyên theo dõi, đôn đốc…").
    # (Both readings begin with the word: the scan looks behind only where it stands.)
    ongoing_adverb = rf"""
      \b (?= {words([v["ongoing_word"]])} )
      (?<! \b (?:{blockers}) \s+ )
      (?: (?P<word>{words([v["ongoing_word"]])}) (?= [ ]+ (?-i:\p{{Ll}}) )
      # or closing the sentence of lower-case words it follows ("cập nhật thông tin thường xuyên.");
      # a heading's "Giám sát thường xuyên" has no stop: it names a kind of work
            | (?<= (?-i:\p{{Ll}}) [ ] ) (?-i: (?P<word>{words([v["ongoing_word"]])}) ) (?= [ ]* [.;] ) )
      # "nhiệm vụ trọng tâm và thường xuyên hàng năm": an adjective, not an adverb
      (?! \s+ (?:{recur}) )
      # "hoạt động thường xuyên của Ban Chỉ đạo": a noun's adjective, its owner follows
      (?! \s+ của \b )
    """
    flags = regex.IGNORECASE | regex.VERBOSE | regex.VERSION1
    return _Grammar(
        vocab=v,
        explicit=regex.compile(rf"\b(?:{explicit})", flags),
        bare=_skipping(regex.compile(rf"\b(?:{bare})", flags)),
        recurring=regex.compile(rf"\b(?:{recurring})", flags),
        ongoing_phrase=regex.compile(ongoing_phrase, flags),
        ongoing_adverb=regex.compile(ongoing_adverb, flags),
        term_title=regex.compile(rf"nhiệm \s+ kỳ \s+ ({YEAR}) {DASH} ({YEAR})", flags),
        schedule=regex.compile(schedule, flags),
        time_list=regex.compile(time_list, flags),
        list_item=regex.compile(rf"\b(?:{item})", flags),
        time_limit=regex.compile(rf"\b(?:{time_limit})", flags),
        may_recur=_skipping(regex.compile(rf"(?:{recur})|lần|(?:{periodic})", flags)),
        may_limit=_skipping(regex.compile(duration, flags)),
        label_colon=_skipping(regex.compile(rf"(?:{labels}) [ \t]* :", flags)),
        title_year=regex.compile(
            rf"""(?<! (?: \d | \b (?:{words(v["title_year_blockers"])}) ) \s+ )
                 \b năm \s+ (?P<y>{YEAR}) (?! \s* (?: [-–—/] \s* \d | \d ) )""", flags),
    )



def _skipping(pattern: "regex.Pattern") -> "regex.Pattern":
    """`pattern` behind a lookahead of the characters its matches begin with: the scan skips
    the rest at once (the bare times: 0.17 s -> 0.10 s over 1,179 clauses; for the other
    patterns here the lookahead measured slower, `regex` skips them well already)."""
    return regex.compile(f"(?={first_characters(pattern)})" + pattern.pattern, pattern.flags)


def named(m: "regex.Match", name: str) -> Optional[str]:
    """A named group's text, None when unmatched or absent from this pattern (looked up by
    name: `groupdict()` builds a dict of the grammar's ~100 groups at every call)."""
    return m.group(name) if name in m.re.groupindex else None


def phrase_key(found: str, table: str) -> str:
    """The vocabulary key a matched phrase came from (spacing and case may differ)."""
    words = " ".join(found.lower().split())
    for key in sorted(grammar().vocab[table], key=len, reverse=True):
        if words.startswith(key.lower()):
            return key
    raise KeyError(found)
