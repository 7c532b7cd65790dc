"""Tag cited documents: every reference to another directive, parsed and normalised (SPEC §5).

Design after eyecite: the vocabulary is data (models/citation_codes.tsv,
citation_kinds.tsv, issuer_codes.tsv, issuing_bodies.tsv, document_groups.tsv),
the grammar that combines it lives here. A numbered citation is found by its
number ("35-NQ/TW", "152/NQ-HĐND", "73/2023/NĐ-CP"), then grown backwards over
its kind word ("Nghị quyết số") and forwards over its date ("ngày 22/10/2018")
and issuer ("của Bộ Chính trị"); a "về …" subject after it becomes `title`.
Unnumbered references (laws, Central Committee plenums, Party congresses,
named groups) are found by their own shapes and never overlap a numbered one.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from ..fold import fold
from ..model import Citation, DocContext, replace

__all__ = ["find_citations", "normalise_id", "title_key", "issuer_body", "printed_own_number"]

MODELS = Path(__file__).resolve().parents[2] / "models"

# Dashes as typed and as PDF text layers give them back.
DASH = r"[-‐‑–—]"


@dataclass(frozen=True)
class _Lexicon:
    codes: dict  # code → (type, party type or None)
    kinds: dict  # folded kind phrase → type
    unnumbered_kinds: tuple  # kind phrases that name laws ("Luật", "Hiến pháp")
    issuers: dict  # issuer code → body
    bodies: dict  # folded whole name → canonical issuing body
    abbreviations: dict  # abbreviation → expansion ("HĐND" → "Hội đồng nhân dân")
    groups: tuple  # (phrase, ids, type)


def _rows(name: str) -> list[list[str]]:
    """Data rows of a models/ TSV: comments (#) and the header line skipped."""
    lines = (MODELS / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return rows[1:]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    codes = {r[0]: (r[1], r[2] if len(r) > 2 and r[2] else None) for r in _rows("citation_codes.tsv")}
    kind_rows = _rows("citation_kinds.tsv")
    return _Lexicon(
        codes=codes,
        kinds={fold(r[0]): r[1] for r in kind_rows},
        unnumbered_kinds=tuple(r[0] for r in kind_rows if len(r) > 2 and r[2] == "yes"),
        issuers={r[0]: r[1] for r in _rows("issuer_codes.tsv")},
        bodies={fold(r[0]): r[1] for r in _rows("issuing_bodies.tsv") if r[2] == "name"},
        abbreviations={r[0]: r[1] for r in _rows("issuing_bodies.tsv") if r[2] == "word"},
        groups=tuple((r[0], tuple(r[1].split()), r[2]) for r in _rows("document_groups.tsv")),
    )


def _alternation(words) -> str:
    """Longest first, so "QĐi" is tried before "QĐ" and "Kế hoạch hành động" before "Kế hoạch"."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    number: "regex.Pattern"
    lead: "regex.Pattern"
    list_head: "regex.Pattern"
    tail: "regex.Pattern"
    dated: "regex.Pattern"
    title_lead: "regex.Pattern"
    central: "regex.Pattern"
    congress: "regex.Pattern"
    law: "regex.Pattern"
    group: Optional["regex.Pattern"]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = _lexicon()
    code = _alternation(lex.codes)
    kinds = _alternation({k for k in _kind_phrases()})
    # Issuer codes are open-ended (every Party committee and ministry has one),
    # so any capitalised token is accepted: "TW", "TTg", "UBKTTW", "BTC-BNV".
    # A unit may carry "&" ("QLN&PTĐT"); a line join or a typist may leave a space after a
    # dash ("07/TTr-SNV- TCBC"), which only an all-capital unit may follow.
    unit = r"[\p{Lu}][\p{L}\d&]*"
    issuer = rf"{unit}(?:-{unit}|-[ ]?[\p{{Lu}}\d&]{{2,}}(?![\p{{Ll}}]))*"
    year = r"(?:19|20)\d\d"
    known_issuers = _alternation(lex.issuers)
    # Letters may not touch a number ("A3/KH-…" is no citation), except the "số"
    # a text layer sometimes glues on: "số35-NQ/TW".
    number = rf"""
        (?:(?<![\p{{L}}\d/])|(?<=[Ss]ố))
        (?:
            # Party style puts the number first: 35-NQ/TW. A line join may leave
            # "216- QĐ/TU", and some typists drop the dash: "Số 17 CT/TU".
            (?P<num>\d{{1,5}}) (?:\s*{DASH}\s*|\s+) (?P<code>{code}) \s*/\s* (?P<issuer>{issuer})
          |
            # State style puts the number before a slash, the year optionally
            # next: 152/NQ-HĐND, 73/2023/NĐ-CP.
            # An issuer's misprint "15-2024/NQ-CP" is kept as printed: the dash stands for the slash.
            (?P<num>\d{{1,5}}) \s*(?:/|{DASH}(?={year}))\s* (?:(?P<year>{year})\s*/\s*)? (?P<code>{code}) \s*{DASH}\s* (?P<issuer>{issuer})
          |
            # National technical regulations and standards: QCVN 01:2019/BCT, TCVN 5687:2010.
            (?P<code>QCVN|TCVN) \s* (?P<num>\d{{1,3}}(?:-\d{{1,3}})?) \s*:\s* (?P<year>{year}) (?:\s*/\s*(?P<issuer>{issuer}))?
          |
            # Laws and ordinances carry the legislature and its term: 65/2020/QH14.
            (?P<num>\d{{1,5}}) / (?P<year>{year}) / (?P<issuer>(?:UBTV)?QH\d{{1,2}})
          |
            # Official letters print no document code, only issuer and unit: 1234/UBND-VX;
            # after "Công văn số" / "Văn bản số" any issuer code will do: 456/SNV-CCVC.
            (?P<num>\d{{1,5}}) / (?P<issuer>(?:{known_issuers})(?:-[\p{{Lu}}][\p{{L}}\d]*)+)
          |
            # After "Công văn số" / "Văn bản số" any number an office or a company prints will
            # do: 456/SNV-CCVC, 12/YH/KT-TC, 03/2026/VLN/CV-TA, 24.6/GĐN, 93/CT-05.
            # "văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT": a list shares its lead.
            (?<= (?i:công\ văn|văn\ bản|công\ điện|tờ\ trình) \s+ (?i:số) \s*:?\s*
                 (?: \d[\d.]*/[\p{{L}}\d/&-]+ (?:\s*,\s*|\s+và\s+) )* )
            (?P<num>\d{{1,5}}(?:\.\d{{1,4}})?) / (?:(?P<year>{year})/)?
            (?P<issuer>{unit}(?:[/-][\p{{Lu}}\d][\p{{L}}\d&]*)*)
        )
        (?![\p{{L}}\d])
    """
    lead = rf"""
        (?: (?<![\p{{L}}]) (?P<kind>(?i:{kinds})) \s+ )?
        (?: (?P<so>(?i:số)) \s*:?\s* )?
        $
    """
    # "Nghị quyết số 57, 59, 66 và 68-NQ/TW": bare numbers sharing the last one's code.
    list_head = r"(?P<items>(?:\d{1,5}\s*(?:,|;|và)\s*)+)$"
    date_digits = rf"(?P<day>\d{{1,2}})\s*[/.\-]+\s*(?P<month>\d{{1,2}})\s*[/.\-]+\s*(?P<dyear>{year})"
    # Titles set in capitals ("QUYẾT ĐỊNH SỐ 15/2024/QĐ-TTG NGÀY 01/02/2024") date the same way.
    date_words = rf"(?P<day>\d{{1,2}})\s+(?i:tháng)\s+(?P<month>\d{{1,2}})\s+(?i:năm)\s+(?P<dyear>{year})"
    dated = rf"""
        (?: \s*,?\s* (?:(?i:ban\s+hành)\s+)? (?:(?i:ngày)\s+)+ (?:{date_digits}|{date_words})
          | \s+ (?i:năm) \s+ (?P<onlyyear>{year})
            # "Luật Khoa học và Công nghệ (2013)": the year a law was passed, in brackets
          | \s* \( \s* (?P<onlyyear>{year}) \s* \) )
        (?!\d)
    """
    # The issuing body after "của": capitalised first word, then words until a
    # word that starts the rest of the sentence (về, ngày, với …) or punctuation.
    # A lower-case predicate after the name ends it too: "… của Chính phủ quy định chi
    # tiết …", "… của Thủ tướng Chính phủ phê duyệt …".
    name_stop = r"""(?:về|ngày|(?<!thứ[ ])năm|và|với|gắn|theo|thực|triển|nhằm|để|đối|đã|trong|tại|đến|cho|được|là|khóa|khoá
                     |chưa|còn|có|không|đang|sẽ|cần|phải|đạt|bảo\ đảm|đảm\ bảo|tiếp\ tục|tập\ trung|yêu\ cầu
                     |nhiệm|số|tại|trên|quy\ định|hướng\ dẫn|phê\ duyệt|ban\ hành|sửa\ đổi|bổ\ sung
                     |chấp\ thuận|quyết\ định|thông\ qua
                     # a cited title may open in capitals right after the issuer
                     |Quy\ định|Quy\ chế|Phê\ duyệt|Ban\ hành|Về)\b"""
    # Joint issuers are named one after another: "của Bộ Chính trị, Ban Bí thư".
    joint = _alternation(r[0] for r in _rows("issuing_bodies.tsv") if r[2] == "name")
    # "Ban Kinh tế - Xã hội HĐND xã": a spaced dash joins two capitalised words of a name.
    by = rf"""\s*,?\s* (?i:của) \s+ (?P<by>[\p{{Lu}}][\p{{L}}]* (?:(?:[ ]|[ ][-–][ ](?=\p{{Lu}}))(?!{name_stop})[\p{{L}}\d]+){{0,9}}
                                   (?: (?:\s*,\s*|\s+và\s+) (?:{joint}) (?![\p{{L}}]) )* )
              (?:\s*,?\s*kh[oó]a\s+[IVXLC]+\b|\s*\(\s*kh[oó]a\s+[IVXLC]+\s*\))?"""
    tail = rf"(?:{dated})? (?:{by})? (?(dyear)|(?:{dated})?)"
    title_lead = r"\s*,?\s*(?:về|Về)\s+"
    central_kind = r"(?:Nghị\ quyết|Kết\ luận|Chỉ\ thị|Quy\ định)"
    roman = r"[IVXLC]+"
    term = rf"(?:\s*\(\s*kh[oó]a\s+{roman}(?:\s*,\s*{roman})*\s*\)|\s*,?\s*kh[oó]a\s+{roman}(?:\s*,\s*{roman})*\b)"
    central = rf"""
        (?P<kinds>{central_kind}(?:\s*,\s*{central_kind})*) \s+
        (?:
            Hội\ nghị \s+ lần\ thứ \s+ \p{{L}}+ \s+ Ban\ Chấp\ hành\ Trung\ ương (?:\s+Đảng)?
          | (?:Hội\ nghị\s+)? (?:Ban\ Chấp\ hành\s+)? Trung\ ương (?:\s+Đảng)? \s+ \d{{1,2}}
        )
        {term}?
    """
    # A congress resolution must say which congress: "lần thứ I", a Roman
    # ordinal or a term, else "Nghị quyết Đại hội đã đề ra" would count.
    nhiem_ky = rf"nhiệm\ kỳ\s+{year}\s*{DASH}\s*{year}"
    congress = rf"""
        (?P<kinds>{central_kind}) \s+ Đại\ hội
        (?:
            (?:\s+[\p{{L}}\d]+){{0,10}}? \s+ lần\ thứ \s+ (?:{roman}\b|\p{{Ll}}+)
          | (?:\s+[\p{{L}}\d]+){{0,8}}? \s+ {roman}(?=[\s,.;)]|$)
          | (?:\s+[\p{{L}}]+){{1,8}}? (?=\s*,?\s*\(?{nhiem_ky})
        )
        (?: \s*,?\s* {nhiem_ky} | \s*\(\s*{nhiem_ky}\s*\) )?
    """
    law = rf"(?<![\p{{L}}])(?P<kind>{_alternation(lex.unnumbered_kinds)})(?=[ ][\p{{Lu}}\p{{Ll}}])"
    groups = [g[0] for g in lex.groups]
    group = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{_alternation(groups)})(?![\p{{L}}])") if groups else None
    flags = regex.VERBOSE
    return _Grammar(
        number=regex.compile(number, flags),
        lead=regex.compile(lead, flags),
        list_head=regex.compile(list_head),
        tail=regex.compile(tail, flags),
        dated=regex.compile(dated, flags),
        title_lead=regex.compile(title_lead),
        central=regex.compile(central, flags),
        congress=regex.compile(congress, flags),
        law=regex.compile(law),
        group=group,
    )


def _kind_phrases() -> list[str]:
    rows = _rows("citation_kinds.tsv")
    return [r[0] for r in rows]


def normalise_id(raw: str) -> str:
    """A document number as printed, compacted: NFC, one kind of dash, no spaces.

    >>> normalise_id("216- QĐ/TU")
    '216-QĐ/TU'
    """
    text = unicodedata.normalize("NFC", raw).strip()
    text = regex.sub(DASH, "-", text)
    # "Số 17 CT/TU": the dropped Party dash comes back so both spellings are one node.
    text = regex.sub(r"^(\d+)\s+(?=\p{L})", r"\1-", text)
    return regex.sub(r"\s+", "", text)


def title_key(title: str) -> str:
    """Key that merges one unnumbered title however it is spelled or spaced.

    >>> title_key("Luật Thực hiện dân chủ ở  cơ sở")
    'luat thuc hien dan chu o co so'
    """
    return fold(title)


def issuer_body(issuer_code: str) -> Optional[str]:
    """The body an issuer code stands for, from models/issuer_codes.tsv.

    >>> issuer_body("TTg")
    'Thủ tướng Chính phủ'
    """
    return _lexicon().issuers.get(issuer_code)


def _canonical_body(name: str) -> str:
    """Abbreviations expanded, then known whole names canonical; the rest stays as written.

    >>> _canonical_body("BCH Trung ương")
    'Ban Chấp hành Trung ương Đảng'
    """
    lex = _lexicon()
    words = [lex.abbreviations.get(w, w) for w in name.split()]
    name = " ".join(words)
    # A plenum issues in its committee's name: "Hội nghị lần thứ năm Ban Chấp hành Trung
    # ương Đảng", "Hội nghị Trung ương 5" → the Central Committee.
    if _PLENUM.match(name):
        return "Ban Chấp hành Trung ương Đảng"
    return lex.bodies.get(fold(name), name)


_PLENUM = regex.compile(r"Hội\s+nghị\s+(?:lần\s+thứ\s+\p{L}+\s+(?:Ban\s+Chấp\s+hành\s+)?Trung\s+ương"
                        r"|Trung\s+ương\s+\d{1,2}|Ban\s+Chấp\s+hành\s+Trung\s+ương)", regex.IGNORECASE)


def _iso_date(day: str, month: str, year: str) -> Optional[str]:
    d, m, y = int(day), int(month), int(year)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _type_for(kind: Optional[str], code: Optional[str], party: bool) -> Optional[str]:
    """The kind word decides when written; else the code, read by its style (Party -QĐ/TW is Quy định)."""
    lex = _lexicon()
    if kind:
        return lex.kinds.get(fold(kind))
    if code in lex.codes:
        state_type, party_type = lex.codes[code]
        return party_type if party and party_type else state_type
    return None if code else "Công văn"


def _numbered(text: str) -> list[Citation]:
    """Every numbered citation, with its lead, date and issuer, but no title yet."""
    g = _grammar()
    found: list[Citation] = []
    for m in g.number.finditer(text):
        party = bool(m.group("code")) and "/" not in text[m.end("num"):m.start("code")]
        head_start = m.start()
        items = g.list_head.search(text, max(0, head_start - 60), head_start)
        list_start = items.start() if items else head_start
        lead = g.lead.search(text, max(0, list_start - 40), list_start)
        if items and not (lead and lead.group(0)):
            # bare "14, 15 và 16-NQ/TW" without "số" or a kind word is too weak to split
            items = None
            list_start = head_start
            lead = g.lead.search(text, max(0, head_start - 40), head_start)
        start = lead.start() if lead and lead.group(0) else head_start
        kind = lead.group("kind") if lead else None
        tail = g.tail.match(text, m.end())
        end = tail.end() if tail and tail.group(0).strip() else m.end()
        date = year = None
        if tail and tail.group("dyear"):
            date = _iso_date(tail.group("day"), tail.group("month"), tail.group("dyear"))
        if date:
            year = int(date[:4])
        elif m.group("year"):
            year = int(m.group("year"))
        elif tail and tail.group("onlyyear"):
            year = int(tail.group("onlyyear"))
        by = tail.group("by") if tail else None
        code = m.group("code")
        issuer = regex.sub(r"\s+", "", m.group("issuer"))
        common = dict(
            type=_type_for(kind, code, party), code=code, issuer_code=issuer, year=year, date=date,
            issued_by=_canonical_body(by) if by else None,
        )
        suffix = normalise_id(text[m.end("num"):m.end()])  # "-NQ/TW" or "/NQ-HĐND"
        if items:
            first = True
            for n in regex.finditer(r"\d{1,5}", text[items.start():items.end()]):
                s, e = items.start() + n.start(), items.start() + n.end()
                s = start if first else s
                first = False
                found.append(Citation(text=text[s:e], id=n.group(0) + suffix, number=n.group(0),
                                      start=s, end=e, **common))
            start = m.start()
        raw = m.group(0)
        found.append(Citation(text=text[start:end], id=normalise_id(raw), number=m.group("num"),
                              start=start, end=end, **common))
    return found


def _share_dates(cites: list[Citation], text: str) -> list[Citation]:
    """"Quy định số 216-QĐ/TU, Quy định số 217-QĐ/TU ngày 12/10/2023 của Tỉnh ủy": the bare one
    takes the date and issuer of the next one of the same issuer code, when only a comma or
    "và" stands between them."""
    out = list(cites)
    for i in range(len(out) - 2, -1, -1):
        cur, nxt = out[i], out[i + 1]
        if cur.date or cur.issued_by or cur.year or cur.id is None or nxt.id is None:
            continue
        if cur.issuer_code != nxt.issuer_code:
            continue
        if not regex.fullmatch(r"\s*(?:,|;|và)?\s*", text[cur.end:nxt.start]):
            continue
        out[i] = replace(cur, date=nxt.date, year=nxt.year, issued_by=nxt.issued_by)
    return out


# A capitalised body name after a comma opens the sentence's main clause, which no
# title runs into: "… về cải cách hành chính năm 2026, Ủy ban nhân dân huyện ban hành …".
_SUBJECT_AFTER_COMMA = regex.compile(
    r"\s+(?=(?:Ủy|Uỷ)\s+ban|UBND|Hội\s+đồng|HĐND|Ban\s+(?:Thường\s+vụ|Chấp\s+hành)|BTV|BCH|Đảng\s+ủy"
    r"|Tỉnh\s+ủy|Thành\s+ủy|Huyện\s+ủy|Thị\s+ủy|Sở\s+\p{Lu}|Chi\s+bộ)")


def _title_end(text: str, start: int, limit: int) -> int:
    """Where a "về …" subject stops: a closing quote, a semicolon, a sentence end, an unmatched
    parenthesis, the line end or the next citation (`limit`)."""
    if start < len(text) and text[start] in "“\"'":
        close = regex.compile(r"[”\"']").search(text, start + 1, limit)
        if close:
            return close.end()
    depth = 0
    for i in range(start, min(limit, start + 400)):
        ch = text[i]
        if ch == "," and depth == 0 and _SUBJECT_AFTER_COMMA.match(text, i + 1):
            return i  # "Thực hiện Kế hoạch số … về X, Ủy ban nhân dân huyện ban hành …": the main clause
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch in ";\n":
            return i
        elif ch == "." and (i + 1 >= len(text) or text[i + 1].isspace()):
            return i
    return min(limit, start + 400)


def _with_titles(cites: list[Citation], text: str) -> list[Citation]:
    g = _grammar()
    out = []
    for i, c in enumerate(cites):
        lead = g.title_lead.match(text, c.end)
        if c.id is None or not lead:
            out.append(c)
            continue
        limit = cites[i + 1].start if i + 1 < len(cites) else len(text)
        end = _title_end(text, lead.end(), limit)
        title = text[lead.end():end].strip(" ,“”\"'")
        # the next citation's connector ("…về X và Nghị quyết số 68") is not the subject's
        title = regex.sub(r"\s*(?:,|;|và|gắn với|theo)\s*$", "", title)
        out.append(replace(c, title=title or None))
    return out


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and a trailing comma so text[start:end] is the reference itself."""
    while end > start and text[end - 1] in " ,;\t\n":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


# Words that end a law's name and begin the rest of the sentence. Compared with
# diacritics (lower case only): folding would make "cơ" ("cơ sở") the stop word "có".
LAW_NAME_STOPS = frozenset(
    "ngày gắn theo nhằm để tại trong được đã đến cho có là với trên khi sau trước vào về như cùng".split())


def _law_name_end(text: str, pos: int) -> int:
    """End of a law's name: its words until a sentence word, a year, a date or punctuation."""
    kinds = {fold(k) for k in _lexicon().unnumbered_kinds} | set(_lexicon().kinds)
    end = pos
    words = 0
    # "sửa đổi, bổ sung", "cán bộ, công chức", "Phòng, chống tham nhũng", "tiết kiệm, chống
    # lãng phí" are the commas a law's name carries.
    for w in regex.finditer(r"\G(?:[ ]|,[ ](?=bổ sung|công chức|chống\b))([\p{L}\d]+)", text, pos=pos):
        word = w.group(1).lower()
        if word in LAW_NAME_STOPS or word.isdigit():
            break
        if word == "đối" and text[w.end():w.end() + 4] == " với":
            break
        if word in ("năm", "số") and regex.match(r"[ ]*:?[ ]*\d", text[w.end():]):
            break
        if word == "và":
            rest = fold(text[w.end():w.end() + 30])
            if any(rest.startswith(k) for k in kinds):
                break
        end = w.end()
        words += 1
        if words >= 14:
            break
    return end


def _unnumbered(text: str) -> list[Citation]:
    g = _grammar()
    found: list[Citation] = []
    for pattern in (g.central, g.congress):
        for m in pattern.finditer(text):
            s, e = _span(text, m.start(), m.end())
            kind = regex.split(r"\s*,\s*", m.group("kinds"))[0]
            name = " ".join(text[s:e].split())
            found.append(Citation(text=text[s:e], type=_type_for(kind, None, False), title=name, start=s, end=e))
    for m in g.law.finditer(text):
        name_end = _law_name_end(text, m.end())
        if name_end == m.end() and m.group("kind") != "Hiến pháp":
            continue
        tail = g.dated.match(text, name_end)
        date = year = None
        end = name_end
        if tail:
            end = tail.end()
            if tail.group("dyear"):
                date = _iso_date(tail.group("day"), tail.group("month"), tail.group("dyear"))
                year = int(date[:4]) if date else None
            else:
                year = int(tail.group("onlyyear"))
        s, e = _span(text, m.start(), end)
        title = " ".join(text[m.start():name_end].split())
        found.append(Citation(text=text[s:e], type=_type_for(m.group("kind"), None, False), title=title,
                              date=date, year=year, start=s, end=e))
    return found


def _groups(text: str, numbered: list[Citation]) -> list[Citation]:
    """A nickname ("bộ tứ trụ cột") stands for its members, unless they are cited by number too."""
    g = _grammar()
    if g.group is None:
        return []
    cited = {c.id for c in numbered}
    out = []
    for m in g.group.finditer(text):
        for phrase, ids, kind in _lexicon().groups:
            if fold(phrase) != fold(m.group(0)):
                continue
            for i in ids:
                if i in cited:
                    continue
                party = regex.match(r"(\d+)-([^/]+)/(.+)", i)
                out.append(Citation(text=m.group(0), id=i, type=kind,
                                    number=party.group(1) if party else None,
                                    code=party.group(2) if party else None,
                                    issuer_code=party.group(3) if party else None,
                                    title=phrase, start=m.start(), end=m.end()))
    return out


def _overlaps(c: Citation, spans: list[tuple[int, int]]) -> bool:
    return any(c.start < e and s < c.end for s, e in spans)


def _own_number(ctx: Optional[DocContext]) -> Optional[str]:
    if ctx is None:
        return None
    own = ctx.own_number or ctx.info.number
    return normalise_id(own) if own else None


def _on_number_line(text: str, c: Citation) -> bool:
    """Whether `c` is the header's number line: "Số: 12/2025/NQ-HĐND", "Số:173    /KH-UBND"
    (blanks left for the number stamped at issue), with nothing before "Số" on its line.
    That line names the document itself, never another one."""
    return bool(regex.match(r"(?i:số)[ \t]*:", c.text)) and bool(_LINE_START.search(text, 0, c.start))


_LINE_START = regex.compile(r"(?:^|\n)[ \t|]*\Z")


def printed_own_number(text: str) -> Optional[str]:
    """The number on a document's "Số:" header line, normalised; None when it prints none.

    >>> printed_own_number("ỦY BAN NHÂN DÂN\\nSố: 173   /KH-UBND\\nHà Nội, ngày 28 tháng 4 năm 2026")
    '173/KH-UBND'
    """
    head = text[:3000]
    for c in _numbered(head):
        s, e = _span(head, c.start, c.end)
        if _on_number_line(head, replace(c, text=head[s:e], start=s)):
            return c.id
    return None


def find_citations(text: str, ctx: Optional[DocContext] = None) -> list[Citation]:
    """Every document `text` cites, in order, with offsets into `text`.

    >>> [c.id for c in find_citations("theo Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị")]
    ['35-NQ/TW']
    """
    numbered = []
    for c in _numbered(text):
        s, e = _span(text, c.start, c.end)
        numbered.append(replace(c, start=s, end=e, text=text[s:e]))
    own = _own_number(ctx)
    numbered = [c for c in numbered if c.id != own and not _on_number_line(text, c)]
    numbered = _share_dates(numbered, text)
    spans = [(c.start, c.end) for c in numbered]
    others = [c for c in _unnumbered(text) if not _overlaps(c, spans)]
    # a plenum inside a congress match (or the reverse) counts once: keep the longer
    others.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Citation] = []
    for c in others:
        if not _overlaps(c, [(k.start, k.end) for k in kept]):
            kept.append(c)
    cites = sorted(numbered + kept + _groups(text, numbered), key=lambda c: (c.start, c.end))
    return _with_titles(cites, text)
