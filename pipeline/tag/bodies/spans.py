"""The pieces a body name is read into, and the word-level helpers every reader shares.

>>> _starts_stop("chủ trì thực hiện", 0, frozenset({"chu tri"}))
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ...fold import fold
from .registry import _Entry, _GAP, _RIGHT
from ...patterns import compiled

# --- the grammar of one body name -------------------------------------------

@dataclass(frozen=True)
class _Part:
    kind: str  # organ | level | place | connector | modifier | group | quantifier | office | prefix | of | head | name | units
    start: int
    end: int
    entry: Optional[_Entry] = None


@dataclass
class _Body:
    start: int
    end: int
    parts: list[_Part] = field(default_factory=list)
    kind: str = "organ"  # organ | group | office | unlisted | distributed
    # A distributed member's own reading ("Giám đốc Sở Nội vụ" out of "Giám đốc
    # các Sở: Nội vụ, …"): its name, English name and key are read from this.
    reading: Optional[str] = None


_SPACE = compiled(_GAP)
_CAP_WORD = compiled(r"(?:\p{Lu}[\p{L}]*|\d+)" + _RIGHT)
_WORD = compiled(r"[\p{L}\p{N}]+")
_OF = compiled(r"(?i:của)" + _RIGHT)
# "thuộc X" ties a group to the organ it belongs to ("các đơn vị thuộc Sở Y tế");
# unlike "của" it never introduces the object of an action, so no modifier is needed.
_BELONGS = compiled(r"(?i:thuộc|trong)" + _RIGHT)
# Group nouns joined by commas before one "thuộc X" ("các phòng chuyên môn, đơn vị thuộc …").
_GROUP_COMMA = compiled(r"[ \t]*,[ \t]*")


def _after_space(text: str, pos: int) -> Optional[int]:
    m = _SPACE.match(text, pos)
    return m.end() if m else None


def _starts_stop(text: str, pos: int, stops: frozenset[str], shortest: int = 1,
                 spelled: Optional[dict[str, str]] = None, compounds: frozenset[str] = frozenset()) -> bool:
    """Whether a stop phrase (folded, `shortest` to three words) begins at pos.

    `spelled`: one-syllable stops compared with their tone marks (folded, "tại" and the
    "tải" of "Giao thông vận tải" are one word); `compounds`: nouns that begin with a
    stop ("giao thông" is no "giao").
    """
    words, written = [], []
    for m in _WORD.finditer(text, pos, min(len(text), pos + 40)):
        words.append(fold(m.group()))
        written.append(m.group().lower())
        if len(words) == 3:
            break
    spelled = spelled or {}
    if shortest == 1 and words and words[0] in spelled and written[0] != spelled[words[0]]:
        shortest = 2  # "tải" is no "tại": only a longer stop phrase can start here
    if " ".join(words[:2]) in compounds:
        return False
    return any(" ".join(words[:n]) in stops for n in range(shortest, 4) if n <= len(words))
