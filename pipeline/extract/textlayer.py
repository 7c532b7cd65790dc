"""Is a PDF page's text layer real text? Judge it before trusting it.

Word-exported PDFs whose fonts carry no Unicode map extract as "(cid:264)(cid:1236)…"
(pdfminer) or as glyph ids read as code points: capitals for small letters, Cyrillic and
Greek letters, spacing modifiers and combining marks on consonants where Vietnamese
letters should be. Such a page looks like text to a reader that only counts characters,
and its garbage would become clauses and the issuer's name. The judge measures three
things, with limits in models/text_layer.yaml (test table: tests/data/text_layers.tsv):

- the share of tokens holding "(cid:N)";
- the share of "odd" characters among letters (private-use, U+FFFD, non-Latin letters,
  spacing modifiers, combining marks left after NFC, glyph-table leftovers like "‡");
- the share of letter tokens that are Vietnamese syllables (models/vi_syllable.yaml).

A page that fails is repaired when an exact mapping exists (a legacy 8-bit Vietnamese
font, TCVN3 or VNI, read as Windows-1252: the conversion table is one-to-one) and
OCRed otherwise (pdf.py).

>>> judge_text("Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì lập dự toán ngân sách năm sau").usable
True
>>> judge_text("(cid:55)(cid:1228)(cid:49)(cid:43) " * 20).reasons
('cid share 1.00 > 0.05',)
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..model import Warning
from .legacy import _is_syllable, convert
from ..vocab_cache import cached_build
from .normalize import MODELS
from ..patterns import compiled

__all__ = ["Judgement", "judge_text", "legacy_repair", "thresholds", "unusable_warning"]

_CID = compiled(r"\(cid:\d+\)")
_LETTER_TOKEN = compiled(r"[\p{L}\p{M}]+")


@cached_build  # read once per change of models/ (pipeline/vocab_cache.py): no yaml in a PDF's parse
def thresholds() -> dict:
    """The limits of models/text_layer.yaml."""
    import yaml

    return yaml.safe_load((MODELS / "text_layer.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Judgement:
    """The measures of one page's text and whether it may be used as it is."""
    usable: bool
    words: int
    cid_share: float
    odd_share: float
    syllable_share: float
    reasons: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _character_classes() -> tuple[regex.Pattern, regex.Pattern]:
    """(odd characters, letter-like characters), each one character long."""
    symbols = regex.escape(thresholds()["odd_symbols"])
    odd = regex.compile(r"[\p{Co}\p{Mn}\p{Lm}\p{Sk}\uFFFD%s]|[\p{L}--\p{Latin}]" % symbols, regex.V1)
    letters = regex.compile(r"[\p{L}\p{Co}\p{Mn}\p{Sk}\uFFFD%s]" % symbols, regex.V1)
    return odd, letters


_CLASS_OF: dict[str, tuple[bool, bool]] = {}  # character -> (odd, letter-like), asked once each


def _odd_and_letters(text: str) -> tuple[int, int]:
    """How many characters of `text` are odd, and how many letter-like: each distinct
    character is classified once, so a page costs its distinct characters, not its length."""
    odd, letter_like = _character_classes()
    odd_count = letters = 0
    for ch, n in Counter(text).items():
        kind = _CLASS_OF.get(ch)
        if kind is None:
            kind = _CLASS_OF[ch] = (odd.fullmatch(ch) is not None, letter_like.fullmatch(ch) is not None)
        odd_count += n * kind[0]
        letters += n * kind[1]
    return odd_count, letters


def syllable_share(text: str, acronym_max: int | None = None) -> float:
    """Share of the letter tokens of `text` that are Vietnamese syllables (acronyms left out).

    >>> syllable_share("Giao UBND tỉnh"), syllable_share("kBỈI S", acronym_max=0)
    (1.0, 0.0)
    """
    if acronym_max is None:
        acronym_max = thresholds()["acronym_max_letters"]
    counted = valid = 0
    for token in _LETTER_TOKEN.findall(_CID.sub(" ", text)):
        if _is_syllable(token):
            counted += 1
            valid += 1
        elif not (token.isupper() and len(token) <= acronym_max):
            counted += 1
    return valid / counted if counted else 1.0


def judge_text(text: str, *, min_words: int | None = None) -> Judgement:
    """Judge one page's (or one clause's) text against models/text_layer.yaml.

    `min_words` overrides the page limit below which text is not judged (a clause is short).

    >>> j = judge_text("Gi\u0361ao nhi\u0363m v\u0369 cho c\u0367c c\u0371 quan " * 3)
    >>> j.usable, j.reasons[0].split()[0]
    (False, 'odd')
    """
    limits = thresholds()
    text = unicodedata.normalize("NFC", text)
    tokens = text.split()
    if len(tokens) < (limits["min_words"] if min_words is None else min_words):
        return Judgement(True, len(tokens), 0.0, 0.0, 1.0)
    if "(cid:" in text:
        cid_share = sum(bool(_CID.search(t)) for t in tokens) / len(tokens)
        plain = _CID.sub("", text)
    else:
        cid_share, plain = 0.0, text
    odd_count, letters = _odd_and_letters(plain)
    odd_share = odd_count / letters if letters else 0.0
    syllables = syllable_share(plain, limits["acronym_max_letters"])
    reasons = []
    if cid_share > limits["max_cid_share"]:
        reasons.append(f"cid share {cid_share:.2f} > {limits['max_cid_share']}")
    if odd_share > limits["max_odd_share"]:
        reasons.append(f"odd characters {odd_share:.2f} > {limits['max_odd_share']}")
    if not cid_share and syllables < limits["min_syllable_share"]:
        reasons.append(f"Vietnamese syllables {syllables:.2f} < {limits['min_syllable_share']}")
    return Judgement(not reasons, len(tokens), cid_share, odd_share, syllables, tuple(reasons))


def legacy_repair(text: str) -> str | None:
    """The legacy font encoding ("tcvn3", "vni") whose exact conversion makes `text` usable.

    Text typed in .VnTime or VNI-Times and exported without a Unicode map reads
    "Nghiªn cøu"; the conversion table is one-to-one, so the repair is exact.

    >>> legacy_repair("Ban ChÊp hµnh §¶ng bé tØnh giao nhiÖm vô cho c¸c së, ngµnh thùc hiÖn kÕ ho¹ch")
    'tcvn3'
    >>> legacy_repair("(cid:55)(cid:1228) " * 20) is None
    True
    """
    if _CID.search(text):
        return None
    for encoding in ("tcvn3", "vni"):
        if judge_text(convert(text, encoding)).usable:
            return encoding
    return None


def unusable_warning(unusable: list[int], sources: dict[int, str], ocr: str) -> Warning:
    """The `text-layer-unusable` warning: which pages, and how their text was read instead.

    >>> unusable_warning([2, 3], {1: "text", 2: "ocr", 3: "ocr"}, "auto").message
    'the text layer of pages 2, 3 is unusable (fonts map glyphs to wrong characters): read by OCR'
    """
    done = {"repair": "repaired from the fonts' legacy encoding", "ocr": "read by OCR"}
    used = [source for source in ("repair", "ocr") if any(sources[n] == source for n in unusable)]
    if ocr == "never" or not used:
        what = "left out (OCR is turned off)"
    elif len(used) == 1:
        what = done[used[0]]
    else:
        what = "; ".join(f"{done[s]} ({_page_list([n for n in unusable if sources[n] == s])})" for s in used)
    return Warning("text-layer-unusable", f"the text layer of {_page_list(unusable)} is unusable "
                   f"(fonts map glyphs to wrong characters): {what}")


def _page_list(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def page_sources_line(sources: tuple[str, ...] | list[str]) -> str:
    """Where each page's text came from, in page ranges, for `nqgraph parse`.

    >>> page_sources_line(["ocr"] * 4)
    'pages: 4 (OCR 1–4)'
    >>> page_sources_line(["text", "text", "ocr", "repair", "text"])
    'pages: 5 (text layer 1–2, 5; OCR 3; repaired font encoding 4)'
    """
    names = {"text": "text layer", "ocr": "OCR", "repair": "repaired font encoding"}
    groups: dict[str, list[list[int]]] = {}
    for number, source in enumerate(sources, start=1):
        runs = groups.setdefault(source, [])
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = "; ".join(f"{names.get(source, source)} " + ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}"
                                                               for r in runs)
                      for source, runs in groups.items())
    return f"pages: {len(sources)} ({shown})"
