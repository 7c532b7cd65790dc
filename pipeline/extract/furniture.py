"""Furniture and annexes: which printed lines are no body text, and where an annex begins.

The vocabulary is models/furniture.yaml; this module compiles it and holds the grammar
shared by every reader (PDF layout, OCR, text, DOCX, markdown) and by segmentation:

- stamp lines ("Ký bởi: …", "Thời gian ký: …", "SAO Y …") are dropped wherever they are;
- a closing block opens with "Nơi nhận:" or a signature line and runs until an annex's
  title block (or the end);
- an annex's title block (its kind in capitals or a "PHỤ LỤC" line, title lines, the
  "(Ban hành kèm theo …)" note) is furniture, and the annex's body follows it (SPEC §2a).

>>> is_stamp_line("Thời gian ký: 28.04.2026 13:50:22 +07:00"), is_stamp_line("Thời gian thực hiện: quý II")
(True, False)
>>> [part.title for _, part in mark_parts(["Điều 1. Ban hành.", "KẾ HOẠCH", "Phòng, chống thiên tai",
...                                        "(Kèm theo Quyết định số 5/QĐ-UBND)", "I. MỤC ĐÍCH"])[0]]
['Kế hoạch phòng, chống thiên tai']
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from ..model import Part
from ..vocab_cache import cached_build
from .normalize import MODELS, nfc, read_table
from ..patterns import compiled

__all__ = ["is_stamp_line", "is_addressee", "addressees", "is_recipients", "is_signature", "is_motto",
           "is_annex_note", "annex_title", "opens_untitled_annex", "letter_kind", "mark_parts", "without_furniture",
           "furniture_rules", "fold_case"]


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def furniture_rules() -> dict:
    """models/furniture.yaml, its patterns compiled (verbose, case-insensitive unless `case: exact`)."""
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    data = yaml.safe_load((MODELS / "furniture.yaml").read_text(encoding="utf-8"))

    def compile_(pattern: str, exact: bool = False) -> "regex.Pattern":
        flags = regex.VERBOSE | (0 if exact else regex.IGNORECASE)
        return regex.compile(r"\s*(?:" + pattern + ")", flags)

    rules = {key: compile_(data[key]) for key in ("recipients", "motto", "annex_note", "letter_subject", "addressee")}
    offices = "(?:PHÓ\\s+)?(?:" + "|".join(r"\s+".join(map(regex.escape, o.split())) for o in data["offices"]) + ")"
    rules["signature"] = compile_(f"(?-i: {data['signature_marks']} | {offices} $ )")
    rules["office_at_end"] = regex.compile(offices + "$")
    rules["appendix"] = compile_(data["appendix"], exact=True)
    rules["stamps"] = [compile_(s["pattern"], s.get("case") == "exact") for s in data["stamp_lines"]]
    rules["letter_kind"] = data["letter_kind"]
    rules["untitled_annex"] = data["untitled_annex"]
    rules["untitled_start"] = compile_(data["untitled_start"], exact=True)
    return rules


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Printed kinds in capitals (models/doc_kinds.tsv), longest first so a prefix finds the fullest."""
    table = read_table(MODELS / "doc_kinds.tsv")
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def is_stamp_line(text: str) -> bool:
    """An e-signature or certified-copy stamp line: never body text, issuer or signer."""
    return any(p.match(nfc(text)) for p in furniture_rules()["stamps"])


def is_recipients(text: str) -> bool:
    # PDF text layers may write "nhận" decomposed (â + combining dot below): compose first
    return bool(furniture_rules()["recipients"].match(nfc(text)))


def is_signature(text: str) -> bool:
    """A line that opens a signature block ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "GIÁM ĐỐC")."""
    return len(text.strip()) <= 80 and bool(furniture_rules()["signature"].match(nfc(text)))


def is_motto(text: str) -> bool:
    return bool(furniture_rules()["motto"].match(nfc(text)))


def is_addressee(text: str) -> bool:
    """ "Kính gửi:" (with or without the addressee on the same line)."""
    return bool(furniture_rules()["addressee"].match(nfc(text)))


def opens_untitled_annex(text: str) -> bool:
    """Whether a line after a closing block starts an annex that prints no title ("I. MỤC TIÊU", "Điều 1.")."""
    return bool(furniture_rules()["untitled_start"].match(nfc(text)))


def is_annex_note(text: str) -> bool:
    """"(Ban hành kèm theo Quyết định số …)": the line that says what an annex is attached to."""
    text = nfc(text).strip()
    return text.startswith("(") and bool(furniture_rules()["annex_note"].match(text))


def letter_kind(text: str) -> Optional[str]:
    """ "Công văn" for a letter's subject line ("V/v triển khai …"), else None."""
    return furniture_rules()["letter_kind"] if furniture_rules()["letter_subject"].match(nfc(text)) else None


def _caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def annex_title(text: str, after_closing: bool) -> Optional[tuple[str, str]]:
    """(kind, title) when `text` opens an annex's title block, else None.

    A kind alone in capitals always does ("KẾ HOẠCH"); a kind followed by more capitals
    ("CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ") only after a closing block, where no body
    heading can stand ("QUY ĐỊNH CHUNG" inside a regulation is a chapter's title).

    >>> annex_title("PHỤ LỤC II", False), annex_title("QUY ĐỊNH CHUNG", False)
    (('Phụ lục', 'Phụ lục II'), None)
    """
    words = " ".join(nfc(text).replace("*", " ").split()).strip()
    if not words or len(words) > 160:
        return None
    if furniture_rules()["appendix"].match(words):
        head = regex.split(r"\s*[:.–-]\s", words, maxsplit=1)[0].rstrip(":.")
        # "PHỤ LỤC SỐ 03" → "Phụ lục số 03"; the numeral stays as printed ("Phụ lục II")
        head = regex.sub(r"^(?i:phụ\s+lục)(?:\s+(?i:số))?", lambda m: " ".join(m.group().lower().split()).capitalize(),
                         head)
        return "Phụ lục", head
    # "QUYẾT ĐỊNH:" is the enacting formula before the articles, not a title
    if not _caps(words) or words.endswith(":"):
        return None
    upper = words.upper().rstrip(". ")
    for printed, kind in _kinds().items():
        if upper == printed:
            return kind, kind
        if after_closing and upper.startswith(printed + " "):
            from .header import sentence_case

            return kind, sentence_case(upper)
    return None


# a line opening with a clause label ("I. MỤC TIÊU", "Điều 1.", "1. ", "a) ", "- ")
_LABELLED = compiled(r"""^(?: Điều \s+ \d | Chương \s+ [IVXLC\d] | [IVXLC]+ \s? [-./] \s
                                | \d{1,3} (?:\.\d+)* [.)/] \s | [a-zđ] \) \s | [-+•–] \s )""", regex.VERBOSE)


def _title_lines(texts: list[str], start: int) -> tuple[int, list[str]]:
    """End (exclusive) of a title block opening at `start`, and its title lines (note excluded).

    Title lines follow the kind until the "(… kèm theo …)" note, which ends the block; with
    no note, capitals and separators ("-----") go on the title, and the first other line is body.
    """
    lines: list[str] = []
    for k in range(start + 1, min(len(texts), start + 6)):
        text = texts[k].strip()
        if is_annex_note(text):
            return k + 1, lines
        if regex.fullmatch(r"[-_=*.…\s]{3,}", text):
            continue
        if _LABELLED.match(text):
            break  # the annex's first clause: no note is coming
        lines.append(text)
    # no note: keep only the capitals right under the kind (a Phụ lục's "DANH MỤC …")
    caps = []
    for text in lines:
        if not _caps(text):
            break
        caps.append(text)
    end = start + 1
    while end < len(texts) and (texts[end].strip() in caps or regex.fullmatch(r"[-_=*.…\s]{3,}", texts[end])):
        end += 1
    return end, caps


def addressees(texts: list[str], addressed: bool = False) -> set[int]:
    """Indices of a letter's addressee lines: "Kính gửi:" and the "- Sở …;" list under it.

    `addressed` says the header already ended with "Kính gửi:" (PDF layout puts it there).

    >>> sorted(addressees(["Kính gửi:", "- Sở Nội vụ;", "- Sở Tài chính.", "Ngày 29/6, Bộ …", "- Rà soát"]))
    [0, 1, 2]
    """
    found: set[int] = set()
    for i, text in enumerate(texts[:40]):
        opens = is_addressee(text)
        if not (opens or (addressed and i == 0)):
            continue
        if opens:
            found.add(i)
        k = i if opens else i - 1
        while k + 1 < len(texts) and regex.match(r"\s*[-+–•]\s", texts[k + 1]):
            k += 1
            found.add(k)
        break
    return found


def without_furniture(items: list, parts: list[tuple[int, Part]], furniture: set[int]):
    """`items` with the furniture indices dropped, and the part starts re-indexed to match.

    >>> without_furniture(["a", "KẾ HOẠCH", "b"], [(2, "part")], {1})
    (['a', 'b'], [(1, 'part')])
    """
    kept = [item for i, item in enumerate(items) if i not in furniture]
    return kept, [(index - sum(1 for f in furniture if f < index), part) for index, part in parts]


def mark_parts(texts: list[str], pages: Optional[list[int]] = None,
               resumes: frozenset[int] | set[int] = frozenset(),
               addressed: bool = False) -> tuple[list[tuple[int, Part]], set[int]]:
    """Find the annexes in body paragraphs: ([(index of the annex's first body paragraph, Part)], furniture).

    `furniture` holds the indices of the title blocks' paragraphs and of a letter's addressee
    lines (`addressees`), which are no body text. `resumes` are the indices where body text
    resumes after a closing block: there the lenient title rule applies (see annex_title).
    """
    parts: list[tuple[int, Part]] = []
    furniture: set[int] = addressees(texts, addressed)
    i = 0
    labelled = False  # a clause of the main text seen: before one, a kind line is the document's own title
    while i < len(texts):
        labelled = labelled or bool(_LABELLED.match(texts[i]))
        found = annex_title(texts[i], after_closing=i in resumes) if labelled or i in resumes else None
        if not found and is_annex_note(texts[i]) and i and _caps(texts[i - 1]) and i - 1 not in furniture:
            # a title in capitals that names no kind ("PHÂN CÔNG NHIỆM VỤ …") over the note: the
            # note makes it an annex's title. A note under prose is a cited document's own note.
            i -= 1
            found = (None, " ".join(texts[i].split()))
        if not found and i in resumes and opens_untitled_annex(texts[i]):
            # body text after a closing block with no title block: an annex all the same
            parts.append((i, Part(len(parts) + 1, furniture_rules()["untitled_annex"], None,
                                  pages[i] if pages else 1)))
            i += 1
            continue
        if not found:
            i += 1
            continue
        kind, title = found
        end, lines = _title_lines(texts, i)
        if lines and kind and title == kind and kind != "Phụ lục":
            first = lines[0]
            title = f"{kind} {first[:1].lower() + first[1:]}" if not _caps(first) else f"{kind} {fold_case(first)}"
        furniture.update(range(i, end))
        page = pages[i] if pages else 1
        parts.append((end, Part(len(parts) + 1, title, kind, page)))
        i = end
    return parts, furniture


def fold_case(caps: str) -> str:
    """Capitals of a title → lower case, as a title reads inside a sentence ("DANH MỤC" → "danh mục")."""
    from .header import sentence_case

    cased = sentence_case(caps)
    return cased[:1].lower() + cased[1:]

