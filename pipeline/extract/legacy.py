"""Detect and convert legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258).

Files typed in the 1990s–2000s fonts (.VnTime, VNI-Times) reach us either as
8-bit bytes or already "converted" to Unicode mojibake ("Nghiªn cøu",
"Vieät Nam"). We try each reading and keep the one whose words are most often
valid Vietnamese syllables (a small onset + nucleus + coda grammar).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from ..vocab_cache import cached_build
from .normalize import MODELS, read_table
from ..patterns import compiled

__all__ = ["decode_bytes", "fix_legacy", "vietnamese_score"]


@lru_cache(maxsize=None)
def _converter(name: str) -> tuple[regex.Pattern, dict[str, str]]:
    table = read_table(MODELS / "legacy_encodings" / f"{name}.tsv")
    # longest first: VNI "aá" (ấ) must win over the single byte "á"
    keys = sorted(table, key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, keys))), table


def convert(text: str, encoding: str) -> str:
    """Map legacy-font text (as read through Windows-1252) to Unicode.

    >>> convert("Nghiªn cøu", "tcvn3"), convert("Vieät Nam", "vni")
    ('Nghiên cứu', 'Việt Nam')
    """
    pattern, table = _converter(encoding)
    return pattern.sub(lambda m: table[m[0]], text)


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _syllable() -> regex.Pattern:
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    grammar = yaml.safe_load((MODELS / "vi_syllable.yaml").read_text(encoding="utf-8"))
    alt = lambda items: "|".join(sorted(items, key=len, reverse=True))  # noqa: E731
    return regex.compile(
        r"""
        (?: %s )?      # onset consonant(s), longest first (ngh before ng before n)
        (?: %s )       # vowel nucleus, tone marks stripped before matching
        (?: %s )?      # final consonant
        """ % (alt(grammar["onsets"]), alt(grammar["nuclei"]), alt(grammar["codas"])),
        regex.VERBOSE,
    )


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = compiled(r"[\p{L}\p{M}\u00ad]+")


@lru_cache(maxsize=1 << 16)  # a page repeats a few hundred syllables: judging every page stays cheap
def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(ch in _TONES for ch in decomposed)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return tones <= 1 and _syllable().fullmatch(bare) is not None


def vietnamese_score(text: str, sample: int = 4000) -> float:
    """Share of the words in (a sample of) `text` that are Vietnamese syllables.

    >>> vietnamese_score("Nghiên cứu"), vietnamese_score("Nghiªn cøu")
    (1.0, 0.0)
    """
    words = _WORD.findall(text[:sample])
    if not words:
        return 0.0
    return sum(_is_syllable(w) for w in words) / len(words)


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Convert TCVN3/VNI mojibake to Unicode when that clearly reads better.

    Returns the text and the encoding it was converted from (None if unchanged).

    >>> fix_legacy("Ban ChÊp hµnh §¶ng bé")
    ('Ban Chấp hành Đảng bộ', 'tcvn3')
    """
    best, best_name = text, None
    best_score = vietnamese_score(text)
    for name in ("tcvn3", "vni"):
        candidate = convert(text, name)
        score = vietnamese_score(candidate)
        # a clear margin: Unicode text barely changes under either table
        if score > best_score + 0.05:
            best, best_name, best_score = candidate, name, score
    return best, best_name


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8/UTF-16 (BOM), else the best 8-bit Vietnamese reading.

    Returns (text, encoding name).

    >>> decode_bytes(b"Vi\\xea\\xf2t Nam")
    ('Việt Nam', 'cp1258')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return unicodedata.normalize("NFC", data.decode("utf-16")), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        fixed, legacy = fix_legacy(unicodedata.normalize("NFC", text))
        return fixed, legacy or "utf-8"
    readings = {"cp1258": unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))}
    as_1252 = data.decode("cp1252", errors="replace")
    for name in ("tcvn3", "vni"):
        readings[name] = convert(as_1252, name)
    name = max(readings, key=lambda n: vietnamese_score(readings[n]))
    return readings[name], name
