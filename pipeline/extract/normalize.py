"""Character-level normalisation shared by every input format.

`modern_tone_marks` rewrites old-style tone placement (uỷ → ủy, hoà → hòa) with a
table of same-length replacements, so the modernised text and the author's
original share offsets. underthesea's `text_normalize` is not used here: it
re-tokenises and splits document numbers (35-NQ/TW → 35 - NQ / TW).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import regex
from ..patterns import compiled

__all__ = ["nfc", "modern_tone_marks", "clean_spaces"]

MODELS = Path(__file__).resolve().parents[2] / "models"


def read_table(path: Path) -> dict[str, str]:
    """Read a two-column TSV (comment lines start with '#') into a dict."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        old, new = line.split("\t")
        table[unicodedata.normalize("NFC", old)] = unicodedata.normalize("NFC", new)
    return table


@lru_cache(maxsize=1)
def _tone_pattern() -> tuple[regex.Pattern, dict[str, str]]:
    table = read_table(MODELS / "tone_marks.tsv")
    alternatives = "|".join(sorted(map(regex.escape, table), key=len, reverse=True))
    pattern = regex.compile(
        r"""
        (?<! [qQ] )            # "quý", "quỳ": the u belongs to the onset "qu"
        (?P<old> %s )
        (?! \p{L} )            # only syllable-final: "hoàng", "toán" are already modern
        """ % alternatives,
        regex.VERBOSE,
    )
    return pattern, table


def nfc(text: str) -> str:
    """Compose decomposed Vietnamese (e + ̂ + ̣ → ệ).

    >>> nfc("Vie\\u0302\\u0323t") == "Việt"
    True
    """
    return unicodedata.normalize("NFC", text)


def modern_tone_marks(text: str) -> str:
    """Move tone marks to the modern position; the result has the same length.

    >>> modern_tone_marks("Đảng uỷ, hoà bình, quý, hoàng")
    'Đảng ủy, hòa bình, quý, hoàng'
    """
    pattern, table = _tone_pattern()
    return pattern.sub(lambda m: table[m["old"]], text)


_SPACES = compiled(r"[\p{Zs}\t]+")
_INVISIBLE = compiled(r"[\u00ad\u200b\u200c\u200d\ufeff]")


def clean_spaces(text: str) -> str:
    """Collapse runs of spaces (incl. no-break) and drop invisible characters.

    >>> clean_spaces("Nghị\\u00a0quyết  số\\u200b 35")
    'Nghị quyết số 35'
    """
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
