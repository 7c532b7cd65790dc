"""The citation grammar: regex parts built from the vocabulary, compiled once.

Each part is named for the shape it reads ("Party numbers put the number first, State
numbers put it before a slash"); numbered.py and unnumbered.py combine the matches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex

from ...vocab_cache import cached_build
from .lexicon import DASH, alternation, kind_phrases, lexicon, rows

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
    bare_number: "regex.Pattern"
    issued_by: "regex.Pattern"
    named_plan: "regex.Pattern"
    submitted: "regex.Pattern"
    group: Optional["regex.Pattern"]


@cached_build  # compiled once per change of models/ (pipeline/vocab_cache.py)
def grammar() -> _Grammar:
    lex = lexicon()
    code = alternation(lex.codes)
    kinds = alternation({k for k in kind_phrases()})
    # Issuer codes are open-ended (every Party committee and ministry has one),
    # so any capitalised token is accepted: "TW", "TTg", "UBKTTW", "BTC-BNV".
    # A unit may carry "&" ("QLN&PTĐT"); a line join or a typist may leave a space after a
    # dash ("07/TTr-SNV- TCBC"), which only an all-capital unit may follow.
    unit = r"[\p{Lu}][\p{L}\d&]*"
    issuer = rf"{unit}(?:-{unit}|-[ ]?[\p{{Lu}}\d&]{{2,}}(?![\p{{Ll}}]))*"
    year = r"(?:19|20)\d\d"
    known_issuers = alternation(lex.issuers)
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
        # "ký ngày …", "ban hành ngày …", and a date in brackets "(ngày 05/6/2026)"
        (?: \s*,?\s* (?P<paren>\( \s*)? (?:(?i:ban\s+hành|ký)\s+)? (?:(?i:ngày)\s+)+ (?:{date_digits}|{date_words})
            (?(paren) \s* \) )
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
    joint = alternation(r[0] for r in rows("issuing_bodies.tsv") if r[2] == "name")
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
            # "Nghị quyết Đại hội Đảng bộ tỉnh": the congress of a named Party organisation
          | (?:\s+đại\ biểu)? \s+ Đảng\ bộ \s+ (?:tỉnh|thành\ phố|huyện|quận|thị\ xã|xã|phường)
            (?:\s+\p{{Lu}}\p{{Ll}}*)*
        )
        (?: \s*,?\s* {nhiem_ky} | \s*\(\s*{nhiem_ky}\s*\) )?
    """
    law = rf"(?<![\p{{L}}])(?P<kind>{alternation(lex.unnumbered_kinds)})(?=[ ][\p{{Lu}}\p{{Ll}}])"
    # "Đề án số 08 về …", "Văn bản số 35 ngày 24/6/2026": a number printed without its code.
    # The code is what makes an id, so these are referred to by their title.
    bare_number = rf"""(?<![\p{{L}}]) (?P<kind>{kinds}) \s+ số \s+ (?P<num>\d{{1,5}}) (?![\d/.,-]|\s*-\s*\p{{Lu}})"""
    # "Quyết định của Bộ Xây dựng": one document named by its issuer. Not "các văn bản của …"
    # (a class) nor lower case ("quyết định của cấp có thẩm quyền").
    # A few lower-case words may say what it is about: "Báo cáo kết quả giám sát của Đoàn giám sát".
    issued_by = rf"""(?<![\p{{L}}] | (?i:các|những|mọi) \s ) (?P<kind>{kinds}) (?: [ ] \p{{Ll}}+ ){{0,4}} (?={by})"""
    # "Kế hoạch đầu tư công trung hạn giai đoạn 2026-2030": a plan known by its name and span.
    named_plan = rf"""(?<![\p{{L}}] | (?i:các|những|mọi|này) \s ) (?P<kind>Kế\ hoạch|Chương\ trình|Chiến\ lược|Quy\ hoạch|Đề\ án)
                      (?: [ ] \p{{Ll}}+ ){{1,8}} [ ] (?:giai\ đoạn|thời\ kỳ) [ ] {year} \s*{DASH}\s* {year} (?!\d)"""
    # "Xét đề nghị của 19 đơn vị gồm: A tại Văn bản số …; B tại Văn bản ngày 22/6/2026": a
    # letter known by its sender and date.
    submitted = rf"""(?: ^ | (?<= [;:] ) ) \s* (?P<org>\p{{Lu}}[^;:\n]{{3,120}}?) \s+ tại \s+
                     (?P<kind>Văn\ bản|Công\ văn|Tờ\ trình|Báo\ cáo) (?= {dated} | \s* [;.] )"""
    groups = [g[0] for g in lex.groups]
    group = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{alternation(groups)})(?![\p{{L}}])") if groups else None
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
        bare_number=regex.compile(bare_number, flags),
        issued_by=regex.compile(issued_by, flags),
        named_plan=regex.compile(named_plan, flags),
        submitted=regex.compile(submitted, flags | regex.MULTILINE),
        group=group,
    )


