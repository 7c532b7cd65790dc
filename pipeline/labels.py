"""Clause labels: the label families of models/labels.yaml, found at a line start or inline.

One reader of the label grammar (families, ordinals, the depth of decimal numbering) that
segmentation asks; nesting is not decided here (segment.py infers it per document).

>>> find_line_label("1.1.Tăng cường kỷ luật").label
'1.1.'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import regex

from .vocab_cache import cached_build
from .patterns import compiled

__all__ = ["LabelMatch", "find_line_label", "inline_labels", "is_multilevel"]

MODELS = Path(__file__).resolve().parent.parent / "models"
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# "một là", "thứ nhất", "thứ tư": the ordinals Party resolutions count solutions with.
_ORDINAL_WORDS = {"một": 1, "nhất": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7,
                  "tám": 8, "chín": 9, "mười": 10}


@dataclass(frozen=True)
class LabelMatch:
    family: str
    label: str
    ordinal: Optional[int]
    start: int  # of the label
    text_start: int  # of the words after the label and its separator


@dataclass(frozen=True)
class _Family:
    name: str
    ordinal_kind: Optional[str]
    pattern: "regex.Pattern"


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _families() -> tuple[tuple[_Family, ...], frozenset[str]]:
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    families = tuple(
        _Family(f["name"], f.get("ordinal"), regex.compile(f["pattern"], regex.VERBOSE))
        for f in data["families"]
    )
    return families, frozenset(data["inline_families"])


def _ordinal(kind: Optional[str], n: Optional[str]) -> Optional[int]:
    if not kind or not n:
        return None
    if kind in ("int", "decimal"):
        return int(n.rsplit(".", 1)[-1])
    if kind == "i_int":
        return int(n[1:])
    if kind == "letter":
        return VIETNAMESE_LETTERS.find(n.lower()) + 1 or None
    if kind == "word":
        return _ORDINAL_WORDS.get(n.lower())
    if kind in ("roman", "roman_or_int"):
        if n.isdigit():
            return int(n)
        total = 0
        for ch, nxt in zip(n, n[1:] + " "):
            value = ROMAN[ch]
            total += -value if ROMAN.get(nxt, 0) > value else value
        return total
    return None


def _family_key(family: _Family, m: "regex.Match") -> str:
    # Each depth of decimal numbering is its own level: "1.1." nests under "1.",
    # "2.1-" under "2-".
    if family.ordinal_kind == "decimal":
        n = m.group("n") or m.groupdict().get("n2")
        return f"{family.name}:{n.count('.') + 1}"
    return family.name


def is_multilevel(family_key: str) -> bool:
    """Whether a family key names one depth of a numbering that nests by its digits ("decimal:2")."""
    return family_key.split(":")[0] in ("decimal", "dash_number") and ":" in family_key


def find_line_label(text: str, pos: int = 0, endpos: Optional[int] = None) -> Optional[LabelMatch]:
    """The clause label opening `text` at `pos`, if any.

    >>> find_line_label("1.1.Tăng cường kỷ luật").label
    '1.1.'
    """
    families, _ = _families()
    for family in families:
        m = family.pattern.match(text, pos, endpos if endpos is not None else len(text))
        if m:
            n = m.groupdict().get("n") or m.groupdict().get("n2")
            label = " ".join(m.group("label").split())
            return LabelMatch(_family_key(family, m), label, _ordinal(family.ordinal_kind, n), m.start(), m.end())
    return None


# An inline label opens after a clause-ending mark or at the start of the words. Where each
# form can begin is known from a few characters of it (`_candidates`, which a new form must
# be added to).
_INLINE_CANDIDATE = compiled(
    r"""(?:(?<=[:;.,]\s{0,3})|(?<=\s))     # after a mark, or a space for later items
        (?=\(\d{1,2}\)|\(i\d{1,2}\)|\([a-zđ]\)|[a-zđ]\)\s
           |(?i:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)[ \t]+là(?![\p{L}\p{N}])
           |(?i:thứ)[ \t]+(?i:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)[ \t]*[,:])""",
    regex.VERBOSE,
)
_AFTER_MARK = compiled(r"[:;.,]\s*$")


# What each form of _INLINE_CANDIDATE holds, a few characters after where it begins.
_COUNTED = compiled(r"[ \t]+là")  # "hai là": the number word ends where the spaces begin
_ORDINAL = compiled(r"(?i:thứ)")  # "thứ nhất,": begins with it


def _candidates(text: str, start: int, end: int) -> list[int]:
    """Where _INLINE_CANDIDATE matches in text[start:end], in order, trying only the places
    its forms allow: the four before each ")" (a label "(i12)" begins four before its
    bracket closes), the four before the spaces of each "là" (a number word has at most
    four letters) and each "thứ"; not every place of the text."""
    tried: set[int] = set()
    close = text.find(")", start, end)
    while close != -1:
        tried.update(range(max(start, close - 4), close))
        close = text.find(")", close + 1, end)
    for m in _COUNTED.finditer(text, start, end):
        tried.update(range(max(start, m.start() - 4), m.start()))
    tried.update(m.start() for m in _ORDINAL.finditer(text, start, end))
    return [pos for pos in sorted(tried) if _INLINE_CANDIDATE.match(text, pos, end)]


def inline_labels(text: str, start: int, end: int, last_ordinal: dict[str, int]) -> list[LabelMatch]:
    """Inline enumeration labels in text[start:end], kept only as unbroken sequences."""
    positions = _candidates(text, start, end)
    if not positions:
        return []
    families, inline = _families()
    by_name = {f.name: f for f in families}
    found: list[LabelMatch] = []
    for pos in positions:
        for name in ("paren_i", "paren_int", "paren_letter", "letter", "ordinal_word"):
            if name not in inline:
                continue
            m = by_name[name].pattern.match(text, pos, end)
            if not m:
                continue
            ordinal = _ordinal(by_name[name].ordinal_kind, m.group("n") or m.groupdict().get("n2"))
            label = LabelMatch(name, m.group("label"), ordinal, m.start(), m.end())
            if found and found[-1].family == name:
                ok = ordinal == found[-1].ordinal + 1
            else:
                # The first item of a run follows a clause-ending mark (or opens the
                # words) and starts a sequence or continues the previous one.
                before = text[max(start, pos - 4):pos]
                opens = pos == start or bool(_AFTER_MARK.search(before))
                ok = opens and not found and ordinal in (1, last_ordinal.get(name, 0) + 1)
            if ok:
                found.append(label)
            break
    return found
