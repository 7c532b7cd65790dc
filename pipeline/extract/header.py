"""The page-1 header block and the signature → DocInfo.

Header lines are column fragments (see lines.lines_from_words): the issuer on
the left above "Số: …", the national motto on the right, the place and date,
then the kind ("NGHỊ QUYẾT") and the title. A number printed as a placeholder
("Số: …-CTr/ĐU", "Số:   /NQ-HĐND") is not yet assigned: `number` is None.
A date whose day is a placeholder ("ngày … tháng 8 năm 2025") is kept to the
month ("2025-08").
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..fold import fold
from ..model import DocInfo, Signer, Warning
from ..vocab_cache import cached_build
from .furniture import furniture_rules, is_stamp_line, letter_kind
from .normalize import MODELS, clean_spaces, modern_tone_marks, nfc, read_table
from ..patterns import compiled

_BEFORE_MOTTO = compiled(r"\s(?=CỘNG\s+H[OÒ]A\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM)")
_NUMBER_BLANK = compiled(r"^Số\s*:?\s*[\d.…]*$", regex.IGNORECASE)
_CODE_HALF = compiled(r"^[-/]")

__all__ = ["parse_header", "read_header", "sentence_case"]

NUMBER = compiled(r"^Số\s*:?\s*(?P<number>.*?)\s*$", regex.IGNORECASE)
# a real number starts with digits; "…", "..." or nothing before the slash/dash is a blank to fill in
ASSIGNED = compiled(r"^\d+[\p{L}\d]*(?:/\d{4})?[-/]\p{L}")
PLACE_DATE = compiled(
    r"""^(?P<place>[\p{L}\s.]+?) \s*,\s* ngày \s* (?P<day>\d{1,2}|[.…\s]*?|[\w|_]{1,3}?) \s*
        tháng \s* (?P<month>\d{1,2}) \s* năm \s* (?P<year>\d{4})""",
    regex.VERBOSE | regex.IGNORECASE,
)
MOTTO = compiled(r"CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|Độc lập|^\*+$|^[-_=.…]{3,}$", regex.IGNORECASE)
# "HUYỆN NGỌC LẶC" finishes an issuer's name; "HUYỆN ỦY NGỌC LẶC" is an issuer itself.
TERRITORY = compiled(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\b(?!\s+(?:ỦY|UỶ)\b)",
                          regex.IGNORECASE)
BARE_COMMITTEE = compiled(r"^(?:TỈNH|THÀNH|HUYỆN|THỊ|QUẬN)\s+(?:ỦY|UỶ)$|^ĐẢNG\s+(?:ỦY|UỶ)$", regex.IGNORECASE)
PLACE_AFTER = compiled(r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|THÔN|ẤP|BẢN|KHÓM|KHU PHỐ)\s+(\S.*)$",
                            regex.IGNORECASE)
# "THÀNH ỦY BẢO LỘC", "ĐẢNG ỦY XÃ …": a committee already carrying its place.
COMMITTEE_WITH_PLACE = compiled(r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG)\s+(?:ỦY|UỶ)\s+\S", regex.IGNORECASE)
SEPARATOR = compiled(r"^[-_=*.…\s]{3,}$")
# capitals (the office) then a name in title case, on one line
SIGNER_RUN = compiled(r"^(?P<titles>(?:[\p{Lu}\d./]+\s+)+)(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*)+)$")
PERSON_NAME = compiled(r"^\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4}$")
# a place-and-date line cut after its start: "Hà Nội, ngày" / "tháng 4 năm 2026"
DATE_OPENED = compiled(r",\s*ngày\b", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    return read_table(MODELS / "doc_kinds.tsv")


def sentence_case(caps: str) -> str:
    """Capitals → sentence case, keeping place names and "Đảng" capitalised.

    >>> sentence_case("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ MÓNG CÁI"), sentence_case("ĐẢNG ỦY PHƯỜNG MÓNG CÁI 1")
    ('Hội đồng nhân dân thành phố Móng Cái', 'Đảng ủy phường Móng Cái 1')
    >>> _issuer(["ĐẢNG BỘ TỈNH TÂN GIANG", "TỈNH ỦY"])
    'Tỉnh ủy Tân Giang'
    >>> sentence_case("SỞ GIÁO DỤC VÀ ĐÀO TẠO"), sentence_case("HUYỆN ỦY NGỌC LẶC"), sentence_case("PHÓ GIÁM ĐỐC")
    ('Sở Giáo dục và Đào tạo', 'Huyện ủy Ngọc Lặc', 'Phó Giám đốc')
    """
    words = caps.lower().split()
    out = []
    after_territory = False
    for i, word in enumerate(words):
        if i == 0 or after_territory or word == "đảng":
            word = word[:1].upper() + word[1:]
        # what follows "tỉnh", "thành phố", "phường" … is a proper name, but
        # "huyện ủy", "tỉnh ủy" name a Party committee
        if word.lower() in ("tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn", "thôn", "ấp", "bản", "khóm"):
            after_territory = words[i + 1:i + 2] not in (["ủy"], ["uỷ"])
        elif word in ("ủy", "uỷ") and i and words[i - 1] in ("tỉnh", "thành", "thị", "phố", "huyện", "quận",
                                                             "xã", "phường"):
            after_territory = True  # "Thành ủy Bảo Lộc", "Thị ủy …": a place follows
        out.append(word)
    cased = modern_tone_marks(" ".join(out))
    for pattern, written in _casing():
        cased = pattern.sub(lambda m: written if m.start() else m.group()[:1] + written[1:], cased)
    return cased


@cached_build  # compiled once per change of models/ (pipeline/vocab_cache.py), not once per process
def _casing() -> tuple[tuple[regex.Pattern, str], ...]:
    """Each models/header_casing.tsv entry as a whole-word, case-blind pattern and its written form."""
    return tuple((regex.compile(r"(?<!\p{L})" + regex.escape(lower) + r"(?!\p{L})", regex.IGNORECASE), written)
                 for lower, written in read_table(MODELS / "header_casing.tsv").items())


def _issuer(left: list[str]) -> str | None:
    names = [t for t in left if not MOTTO.search(t)]
    if not names:
        return None
    # A long name wraps in the narrow column: "BAN TUYÊN GIÁO VÀ DÂN" / "VẬN". A last line
    # of one word that names no place or committee, or a line ending in "VÀ", continues.
    if len(names) >= 2 and ((len(names[-1].split()) == 1 and not BARE_COMMITTEE.match(names[-1]))
                            or regex.search(r"(?:\s(?:VÀ|và)|[,-])$", names[-2])):
        names = names[:-2] + [f"{names[-2]} {names[-1]}"]
    issuer = names[-1]
    # "HỘI ĐỒNG NHÂN DÂN" / "THÀNH PHỐ MÓNG CÁI": the second line finishes the name
    if len(names) >= 2 and TERRITORY.match(issuer):
        issuer = names[-2] + " " + issuer
    # "ĐẢNG BỘ TỈNH TÂN GIANG" / "TỈNH ỦY": the committee takes the place named above it
    elif len(names) >= 2 and BARE_COMMITTEE.match(issuer) and (place := PLACE_AFTER.search(names[-2])):
        issuer = f"{issuer} {place.group(1)}"
    # "ĐẢNG BỘ HUYỆN ĐÀ BẮC" / "ỦY BAN KIỂM TRA": an organ of the committee named above;
    # "UBND TỈNH NINH BÌNH" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO": a department of that province.
    elif len(names) >= 2 and not PLACE_AFTER.search(issuer) and not COMMITTEE_WITH_PLACE.search(issuer) \
            and (parent := _parent(names[-2])):
        return f"{sentence_case(issuer)} {parent}"
    return sentence_case(issuer)


# The Party committee of a Party organisation ("Đảng bộ huyện" → "Huyện ủy").
_COMMITTEE_OF = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy",
                 "thị xã": "Thị ủy", "xã": "Đảng ủy xã", "phường": "Đảng ủy phường", "thị trấn": "Đảng ủy thị trấn"}
_PARENT = compiled(r"^(?P<org>ĐẢNG\s+BỘ|ỦY\s+BAN\s+NHÂN\s+DÂN|UBND|UỶ\s+BAN\s+NHÂN\s+DÂN)\s+"
                        r"(?P<level>TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|THỊ\s+TRẤN)\s+(?P<place>\S.*)$",
                        regex.IGNORECASE)


def _parent(line: str) -> str | None:
    """What an organ printed under `line` belongs to: "Huyện ủy Đà Bắc", "tỉnh Ninh Bình"."""
    if COMMITTEE_WITH_PLACE.match(line):
        return sentence_case(line)  # "TỈNH ỦY GIA LAI" / "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    m = _PARENT.match(_ocr_level(line))
    if not m:
        return None
    level = " ".join(m["level"].lower().split())
    place = sentence_case(f"{m['level']} {m['place']}").split(" ", len(level.split()))[-1]
    if m["org"].upper().startswith("ĐẢNG"):
        return f"{_COMMITTEE_OF[level]} {place}"
    return f"{level} {place}"


_LEVELS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")


def _ocr_level(line: str) -> str:
    """The territory word after "UBND"/"ĐẢNG BỘ" with an OCR'd tone mark put right ("UBND TĨNH …").

    >>> _ocr_level("UBND TĨNH LÀO CAI"), _ocr_level("SỞ CÔNG THƯƠNG")
    ('UBND TỈNH LÀO CAI', 'SỞ CÔNG THƯƠNG')
    """
    org = regex.match(r"(?:ĐẢNG\s+BỘ|ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN|UBND)\s+", line, regex.IGNORECASE)
    if not org:
        return line
    words = line[org.end():].split()
    for level in _LEVELS:
        span = len(level.split())
        if fold(" ".join(words[:span])) == fold(level) and len(words) > span:
            return line[:org.end()] + " ".join([level] + words[span:])
    return line


def _kind_of(text: str) -> str | None:
    """The kind a header line prints, tone marks aside when OCR misread one ("QUYÉT ĐỊNH").

    >>> _kind_of("QUYÉT ĐỊNH"), _kind_of("QUY ĐỊNH"), _kind_of("Quyết định số 5")
    ('Quyết định', 'Quy định', None)
    """
    if text.upper() in _kinds():
        return _kinds()[text.upper()]
    if not text.isupper():
        return None
    folded = {fold(printed): kind for printed, kind in _kinds().items()}
    return folded.get(fold(text))


# OCR reads digits as look-alike letters ("U6_" for "06"): read a day slot back to digits
_DIGIT_LOOKALIKES = str.maketrans("OoUDQlI|iZzSsGbBgq", "000001111122556689")


def _ocr_day(printed: str) -> str | None:
    """The day of a place-and-date line as digits, or None when it is left blank.

    >>> _ocr_day("28"), _ocr_day("U6_"), _ocr_day("…"), _ocr_day("")
    ('28', '06', None, None)
    """
    digits = regex.sub(r"[^\d]", "", printed.translate(_DIGIT_LOOKALIKES))
    return digits if digits and 1 <= int(digits) <= 31 and len(digits) <= 2 else None


def _ocr_code(number: str) -> str:
    """A number's code with OCR's look-alike and doubled letters undone ("QĐÐ" → "QĐ").

    Only when the code printed is unknown and the mended one is a known code
    (models/citation_codes.tsv): a real code is never rewritten.

    >>> _ocr_code("1050/QĐÐ-SCT"), _ocr_code("173/KH-UBND")
    ('1050/QĐ-SCT', '173/KH-UBND')
    """
    number = number.replace("Ð", "Đ")  # U+00D0 (Icelandic eth) drawn like Đ
    m = regex.match(r"^(?P<head>[\d.]+(?:/\d{4})?[/-])(?P<code>\p{L}+)(?P<tail>.*)$", number)
    if not m or m["code"] in _codes():
        return number
    mended = regex.sub(r"(\p{L})\1", r"\1", m["code"])
    return m["head"] + mended + m["tail"] if mended in _codes() else number


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    rows = (MODELS / "citation_codes.tsv").read_text(encoding="utf-8").splitlines()
    return frozenset(row.split("\t")[0] for row in rows if row.strip() and not row.startswith("#"))


def _joined(texts: list[str]) -> list[str]:
    """Header lines with the pieces of one field put back together.

    Column fragments and web copies split a field over lines: "Số:" / "/KH-UBND" (the number
    left blank between them), "Hà Nội, ngày" / "tháng 4 năm 2026".

    >>> _joined(["Số:", "/KH-UBND", "Hà Nội, ngày", "tháng năm 2026", "KẾ HOẠCH"])
    ['Số: /KH-UBND', 'Hà Nội, ngày tháng năm 2026', 'KẾ HOẠCH']
    """
    out: list[str] = []
    for text in _columns_apart(texts):
        if out and _NUMBER_BLANK.match(out[-1]) and _CODE_HALF.match(text):
            out[-1] = f"{out[-1]} {text}"
        elif out and DATE_OPENED.search(out[-1]) and not PLACE_DATE.match(out[-1]) \
                and regex.match(r"^(?:\d{1,2}\s+)?tháng\b|^\d{1,2}$|^năm\b", text, regex.IGNORECASE):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def _columns_apart(texts: list[str]) -> list[str]:
    """Split a line where OCR ran the two header columns together before the national name.

    >>> _columns_apart(["HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ['HỘI ĐỒNG NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']
    """
    out: list[str] = []
    for text in texts:
        m = _BEFORE_MOTTO.search(text)
        out += [text[:m.start()].strip(), text[m.end():].strip()] if m else [text]
    return out


def read_header(header, signature) -> tuple[DocInfo, list[Warning]]:
    """The header's fields, and the warnings they call for (`number-blank`: "Số: /KH-UBND")."""
    info = parse_header(header, signature)
    warnings: list[Warning] = []
    texts = _joined([clean_spaces(nfc(line.text)) for line in header])
    printed = next((m["number"] for t in texts if (m := NUMBER.match(t))), None)
    if info.number is None and printed is not None and regex.search(r"[-/]\s*\p{L}", printed):
        warnings.append(Warning("number-blank", f"the number is left blank (printed \"Số: {printed}\"): "
                                "the document is not numbered yet", 1))
    return info, warnings


def parse_header(header, signature) -> DocInfo:
    """Read number, kind, issuer, place, date and title from header lines; signer from the signature.

    >>> from pipeline.extract.text import TextLine
    >>> info = parse_header([TextLine(t) for t in ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số:7432    /UBND-XD",
    ...     "Lào Cai, ngày 21     tháng 7    năm 2026", "V/v triển khai thực hiện"]], [])
    >>> info.number, info.kind, info.date
    ('7432/UBND-XD', 'Công văn', '2026-07-21')
    """
    texts = _joined([clean_spaces(nfc(line.text)) for line in header if not is_stamp_line(line.text)])
    number = kind = place = date = title = authority = None
    left: list[str] = []
    title_parts: list[str] = []
    state = "top"
    for text in texts:
        if m := NUMBER.match(text):
            printed = _ocr_code(m["number"].replace(" ", ""))
            number = printed if ASSIGNED.match(printed) else None
            state = "numbered"
            continue
        if m := PLACE_DATE.match(text):
            place = clean_spaces(m["place"])
            day = _ocr_day(m["day"].strip())
            date = f"{m['year']}-{int(m['month']):02d}" + (f"-{int(day):02d}" if day else "")
            continue
        if (printed_kind := _kind_of(text)) and state != "title":
            kind = printed_kind
            state = "title"
            continue
        if kind is None and (letter := letter_kind(text)):
            kind = letter  # a letter's "V/v …" subject line: no kind is printed, the subject is its title
            title_parts.append(regex.sub(r"^V/v\s+", "", text))
            state = "letter"
            continue
        if state == "letter":
            if regex.match(r"^(?:Kính\s+gửi|Căn\s+cứ)\b", text) or text.isupper():
                state = "done"
            else:
                title_parts.append(text)
            continue
        if state == "title":
            if SEPARATOR.match(text) or (title_parts and text.isupper()):
                state = "done"
                if text.isupper() and authority is None:
                    authority = text
                continue
            title_parts.append(text)
        elif state == "done" and authority is None and text.isupper() and not SEPARATOR.match(text):
            authority = text
        elif state == "top" and not MOTTO.search(text):
            left.append(text)
    if title_parts:
        title = modern_tone_marks(" ".join(title_parts))
    issuer = _issuer(left)
    names = [t for t in left if not MOTTO.search(t)]
    if authority and names and authority.upper().startswith(names[-1].upper() + " ") and len(names) == 1:
        # the header's column cut the name short ("ỦY BAN THƯỜNG VỤ"); the authority line under
        # the title prints it whole ("ỦY BAN THƯỜNG VỤ QUỐC HỘI")
        issuer = sentence_case(authority)
    return DocInfo(number=number, kind=kind, issuer=issuer, place=place, date=date,
                   title=title, signer=_signer(signature))


def _signer(signature) -> Signer | None:
    texts: list[str] = []
    for line in signature:
        text = clean_spaces(nfc(line.text))
        if not text or regex.match(r"^[(\[].*[)\]]$", text) or is_stamp_line(text):  # "(Đã ký)", "[đã ký]"
            continue
        # a web copy runs the block into one line: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Việt Phương"
        if m := SIGNER_RUN.match(text):
            texts += [m["titles"].strip(), m["name"]]
        else:
            texts.append(text)
    # The block ends with the signer's name: what follows it (an annex's header) is not the signer's.
    name_at = next((i for i, t in enumerate(texts) if not t.isupper() and regex.match(r"^\p{Lu}\p{Ll}", t)), None)
    if name_at is not None:
        texts = texts[:name_at + 1]
    if not texts:
        return None
    # a person's name is two to five words in title case; OCR of the hand signature ("ZxHCN") is none
    name = texts[-1] if PERSON_NAME.match(texts[-1]) else None
    titles = [t for t in texts if t.isupper() and not regex.match(r"^(?:T/?M|TM|KT|TL|TUQ|Q)\b", t)]
    if not titles:
        # "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" on one line: the office that ends it
        runs = [t for t in texts if t.isupper()]
        titles = [m.group() for m in (furniture_rules()["office_at_end"].search(runs[-1]),) if m] if runs else []
    title = sentence_case(titles[-1]) if titles else None
    return Signer(title=title, name=name)
