"""The body vocabulary of models/bodies.yaml, loaded and compiled once.

Organs, levels, modifiers, group nouns, offices and unlisted head nouns become
`_Lexicon`s (one anchored pattern each, longest phrase first, with the entry
behind every phrase); the rest are word lists. Lookups for queries
(`lookup_bodies`) and the spaCy ruler's phrases (`registry_phrases`) read the
same table.

>>> _registry().organs.match("Ủy ban nhân dân tỉnh", 0)[0].id
'ubnd'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from ...extract.normalize import modern_tone_marks
from ...fold import fold
from ...vocab_cache import cached_build
from ...patterns import compiled

_WORDS = compiled(r"[\p{L}\p{N}]+")

MODELS = Path(__file__).resolve().parents[3] / "models"
REGISTRY_PATH = MODELS / "bodies.yaml"
# Head nouns of unlisted organs and the role cues, each with its example and counter-example.
VOCABULARY_PATH = MODELS / "body_vocabulary.yaml"
# Keys of a vocabulary entry that document it (run by tests/test_body_vocabulary.py).
_EXAMPLE_KEYS = ("example", "gives", "counter", "absent")

# A letter or digit on either side means we are inside a word.
_LEFT = r"(?<![\p{L}\p{N}])"
_RIGHT = r"(?![\p{L}\p{N}])"
# Words inside one name are separated by spaces on the same line only.
_GAP = r"[ \t\u00a0]+"
# Dashes in names come spaced or glued ("chính trị- xã hội", "Văn hóa - Thông tin").
_DASH = r"[ \t]*[-–][ \t]*"
# A registry dash may also be left out ("các đoàn thể chính trị xã hội").
_DASH_OR_SPACE = r"(?:[ \t]*[-–][ \t]*|[ \t]+)"
_COMMA = r"[ \t]*,[ \t]*"

def _words_key(phrase: str) -> str:
    """The folded words alone: "các xã phường" and "các xã, phường" are one variant."""
    return " ".join(_WORDS.findall(fold(phrase)))


# Old-style tone placement on a final "oa/oe/uy" (hoà, uỷ) → modern (hòa, ủy).
# Same length, so every offset survives. "qu" keeps its tone on the next vowel.
def _modern_tones(text: str) -> str:
    """Tone marks in modern placement, same length (extraction's table, shared).

    >>> _modern_tones("Uỷ ban kiểm tra Đảng uỷ, hoà giải")
    'Ủy ban kiểm tra Đảng ủy, hòa giải'
    """
    return modern_tone_marks(text)


# What separates the words of a registry phrase: each becomes a flexible gap in its pattern.
_PHRASE_GAPS = compiled(r"(\s*[-–]\s*|\s*,\s*|\s+)")
# How many characters of a name's first word `_Lexicon.match` checks before its pattern runs.
OPENING = 3


def _phrase(words: str) -> str:
    """A registry phrase as a regex: flexible spaces, dashes and commas."""
    out = []
    for token in _PHRASE_GAPS.split(words.strip()):
        if not token:
            continue
        if token.strip() in ("-", "–"):
            out.append(_DASH_OR_SPACE)
        elif token.strip() == ",":
            out.append(_COMMA)
        elif token.isspace():
            out.append(_GAP)
        else:
            out.append(regex.escape(token))
    return "".join(out)


def _is_abbreviation(alias: str) -> bool:
    return not any(ch.islower() for ch in alias)


def _via_abbreviation(entry: "_Entry", surface: str) -> bool:
    """Whether `surface` matched `entry` only through an abbreviation ("TƯ" for "Trung ương"),
    not through a spelled-out form written in capitals ("TỈNH")."""
    written = _key_of(surface)
    return all(_key_of(form) != written for form in (entry.name, *entry.aliases) if not _is_abbreviation(form))


def _alternation(phrases: list[str], *, abbreviations_exact: bool = True) -> "regex.Pattern":
    """One anchored pattern for a list of phrases, longest first.

    Abbreviations (UBND, CA) match only as written; other phrases in any case.
    """
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        flag = "(?-i:" if abbreviations_exact and _is_abbreviation(p) else "(?i:"
        parts.append(flag + _phrase(p) + ")")
    return regex.compile(_LEFT + "(?:" + "|".join(parts) + ")" + _RIGHT)


def _first_characters(phrases: list[str]) -> Optional["regex.Pattern"]:
    """What `_alternation(phrases)` needs at its first OPENING characters (fewer, for a phrase
    whose first word is shorter), under each phrase's case rule."""
    if not all(p.strip()[:1].isalnum() for p in phrases):
        return None
    firsts = {("(?-i:" if _is_abbreviation(p) else "(?i:") + regex.escape(_PHRASE_GAPS.split(p.strip())[0][:OPENING])
              + ")" for p in phrases}
    return regex.compile("|".join(sorted(firsts)))


_KEY_DASH, _KEY_COMMA = compiled(r"\s*[-–]\s*"), compiled(r"\s*,\s*")


@lru_cache(maxsize=8192)  # every lexicon match asks; the same few hundred phrases recur
def _key_of(surface: str) -> str:
    """Lookup key of a matched phrase: modern tones, lower case, one space, plain dashes."""
    s = _modern_tones(surface).lower()
    s = _KEY_COMMA.sub(", ", _KEY_DASH.sub(" ", s))
    return " ".join(s.split())


@dataclass(frozen=True)
class _Entry:
    name: str
    en: str
    id: str = ""
    aliases: tuple[str, ...] = ()
    parent: Optional[str] = None
    place_after: bool = False
    complement_only: bool = False
    plural: bool = False
    group: str = ""
    final: bool = False
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    is_a: str = ""
    quantified: bool = False
    leads_list: bool = False
    topic_after: bool = False
    takes_group: bool = False
    # A head noun that is also a generic group noun ("Cơ quan"): in a distributed list
    # ("Thủ trưởng các cơ quan: Công an tỉnh, …") it is not part of each member's name.
    generic: bool = False
    # A group noun of the state side that may be joined to the one before it ("các sở, ngành, địa phương").
    coordinates: bool = False
    # Party units: an organ right before "các <these>" is the organ of each ("Ban Thường vụ các đảng ủy cơ sở").
    member_organs: bool = False
    # An organ named only with its level ("Thuế tỉnh", "Thống kê tỉnh"): alone its word is a common noun.
    level_only: bool = False
    # A level that places only with a name or number after it ("khu vực VII"; not "khu vực biên giới").
    place_required: bool = False


def _entries(raw: list[dict]) -> list[_Entry]:
    out = []
    for r in raw:
        r = {k: v for k, v in r.items() if k not in _EXAMPLE_KEYS}
        r["aliases"] = tuple(r.get("aliases") or ())
        r["not_before"] = tuple(r.get("not_before") or ())
        r["not_after"] = tuple(r.get("not_after") or ())
        out.append(_Entry(**r))
    return out


@dataclass
class _Lexicon:
    """One kind of registry word: its pattern and the entry behind each phrase.

    Names are looked for at nearly every word of a clause, and the pattern tries its
    hundreds of phrases one by one (~3 µs); `first` (how the phrases' first words begin, each
    with its phrase's case rule) refuses a word no phrase can begin, and what it says of an
    opening is kept in `_starts`.
    """
    pattern: "regex.Pattern"
    entries: dict[str, _Entry]
    first: Optional["regex.Pattern"] = None  # None: some phrase begins with no letter or digit
    _starts: dict[str, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, entries: list[_Entry]) -> "_Lexicon":
        table: dict[str, _Entry] = {}
        phrases = []
        for e in entries:
            for p in (e.name, *e.aliases):
                table.setdefault(_key_of(p), e)
                phrases.append(p)
        return cls(_alternation(phrases), table, _first_characters(phrases))

    def match(self, text: str, pos: int) -> Optional[tuple[_Entry, int]]:
        if self.first is not None:
            opening = text[pos:pos + OPENING]
            starts = self._starts.get(opening)
            if starts is None:
                starts = self._starts[opening] = bool(self.first.match(opening))
            if not starts:
                return None
        m = self.pattern.match(text, pos)
        if not m:
            return None
        entry = self.entries.get(_key_of(m.group()))
        if entry is None:
            return None
        rest = text[m.end():m.end() + 12].lower()
        if any(regex.match(r"\s+" + regex.escape(w) + _RIGHT, rest) for w in entry.not_before):
            return None
        # "nông thôn" is the countryside, not a village ("thôn"); "xã hội" is society.
        before = text[max(0, pos - 12):pos].lower()
        if any(regex.search(r"(?<!\w)" + regex.escape(w) + r"\s+$", before) for w in entry.not_after):
            return None
        return entry, m.end()


@dataclass
class _Registry:
    organs: _Lexicon
    levels: _Lexicon
    modifiers: _Lexicon
    groups: _Lexicon
    offices: _Lexicon
    heads: _Lexicon
    connectors: "regex.Pattern"
    quantifiers: "regex.Pattern"
    office_prefixes: "regex.Pattern"
    people: "regex.Pattern"
    intro: "regex.Pattern"
    subject_opener: "regex.Pattern"
    standalone_offices: frozenset
    not_predicates: "regex.Pattern"
    owner_copulas: "regex.Pattern"
    name_stops: frozenset[str]
    composites: dict[str, str]
    field_names: dict[str, str]
    organ_list: list[_Entry]
    cues: dict[str, list[dict]]
    spelled_stops: dict[str, str]
    not_head: "regex.Pattern"
    field_words: dict[str, str]
    name_compounds: frozenset[str]

    def starts_stop(self, text: str, pos: int, shortest: int = 1, stops: Optional[frozenset[str]] = None) -> bool:
        """Whether a word that ends a name begins at pos ("chủ trì", "của"; not "giao thông")."""
        from .spans import _starts_stop

        return _starts_stop(text, pos, self.name_stops if stops is None else stops, shortest,
                            self.spelled_stops, self.name_compounds)


def _phrases(entries: list[dict]) -> list[str]:
    return [e["phrase"] for e in entries]


def load_vocabulary() -> dict[str, list[dict]]:
    """models/body_vocabulary.yaml as written: head nouns and role cues, with their examples.

    >>> sorted(load_vocabulary())[:3]
    ['agent_predicates', 'allocated_before', 'assign_verbs']
    """
    import yaml  # here, not at the top: a process that finds the registry cached never parses YAML

    return yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))


@cached_build  # compiled once per change of models/ (pipeline/vocab_cache.py)
def _registry() -> _Registry:
    import yaml

    data = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    cues = load_vocabulary()
    organs = _entries(data["organs"])
    return _Registry(
        organs=_Lexicon.build(organs),
        levels=_Lexicon.build(_entries(data["levels"])),
        modifiers=_Lexicon.build(_entries(data["modifiers"])),
        groups=_Lexicon.build(_entries(data["group_nouns"])),
        offices=_Lexicon.build(_entries(data["offices"])),
        heads=_Lexicon.build(_entries(cues["head_nouns"])),
        connectors=_alternation(data["connectors"]),
        quantifiers=_alternation(data["quantifiers"]),
        office_prefixes=_alternation(data["office_prefixes"]),
        people=_alternation(data["people"], abbreviations_exact=False),
        intro=_alternation(data["intro_openers"]),
        subject_opener=regex.compile(r"[ \t]*(?:" + _alternation(data["subject_openers"]).pattern + r"[ \t]+)?"),
        standalone_offices=frozenset(fold(o) for o in data["standalone_offices"]),
        not_predicates=_alternation(data["not_predicates"]),
        owner_copulas=_alternation(data["owner_copulas"]),
        name_stops=frozenset(data["name_stops"]),
        composites={_key_of(c["name"]): c["en"] for c in data["composites"]},
        field_names={_words_key(k): v for k, v in (data.get("field_names") or {}).items()},
        organ_list=organs,
        cues={k: v for k, v in cues.items() if k not in ("head_nouns", "not_heads")},
        not_head=regex.compile(_LEFT + "(?i:" + "|".join(_phrase(e["phrase"]) for e in cues["not_heads"]) + ")" + _RIGHT),
        spelled_stops=dict(data["spelled_stops"]),
        field_words={_words_key(k): v for k, v in data["field_words"].items()},
        name_compounds=frozenset(data["name_compounds"]),
    )



# --- queries --------------------------------------------------------------------

def lookup_bodies(query: str) -> list[dict]:
    """Registry entries matching a query in Vietnamese, English, abbreviation or without diacritics.

    >>> [e["name"] for e in lookup_bodies("uy ban kiem tra")]
    ['Ủy ban Kiểm tra']
    """
    q = fold(query)
    if not q:
        return []
    exact, partial = [], []
    padded = f" {q} "
    for e, forms in _lookup_forms():
        row = {"name": e.name, "en": e.en, "aliases": list(e.aliases), "id": e.id, "group": e.group}
        if q in forms:
            exact.append(row)
        elif any(padded in f" {f} " for f in forms):
            partial.append(row)
    return exact + partial


@lru_cache(maxsize=1)
def _lookup_forms() -> tuple[tuple[_Entry, tuple[str, ...]], ...]:
    """Each registry organ with its folded name, English name and aliases, folded once."""
    return tuple((e, tuple(fold(x) for x in (e.name, e.en, *e.aliases)))
                 for e in _registry().organ_list if not e.complement_only)


def registry_phrases() -> list[tuple[str, str, str]]:
    """(phrase, canonical name, id) for every organ name and alias — the SpanRuler's patterns."""
    return [(p, e.name, e.id) for e in _registry().organ_list if not e.complement_only
            for p in (e.name, *e.aliases)]
