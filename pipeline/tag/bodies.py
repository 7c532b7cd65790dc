"""Responsible bodies (SPEC §3): who owns each task, who supports it.

Two halves, as in spaCy's SpanRuler: a *grammar* of Vietnamese organisation
names that reads one body at a position (organs from models/bodies.yaml chained
with level words, places, connectors and modifiers; generic groups; office
holders; unlisted "Trung tâm …" names), and *role rules* that say where in a
clause a body is made responsible:

- owner: the subject list that opens the clause (or a heading), "Giao X …",
  "Đề nghị X …", "Đối với X:", and "X chủ trì" at a sentence start;
- support: "phối hợp (với) X", "với sự phối hợp của X", "X phối hợp".

Everything else a clause mentions (issuers of cited documents, objects of
"chỉ đạo"/"giám sát", recipients of "báo cáo"/"tham mưu", bodies in later
sentences) is not responsible. Inheritance down the tree is the tag stage's job.

Matching runs on a copy of the text with modern tone marks ("uỷ" → "ủy"), same
length, so offsets index the caller's text and mentions stay as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex
import yaml

from ..extract.normalize import modern_tone_marks
from ..fold import fold
from ..model import BodyRef, DocContext

__all__ = ["find_bodies", "lookup_bodies", "body_key", "registry_phrases"]

REGISTRY_PATH = Path(__file__).resolve().parents[2] / "models" / "bodies.yaml"

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

# Old-style tone placement on a final "oa/oe/uy" (hoà, uỷ) → modern (hòa, ủy).
# Same length, so every offset survives. "qu" keeps its tone on the next vowel.
def _modern_tones(text: str) -> str:
    """Tone marks in modern placement, same length (extraction's table, shared).

    >>> _modern_tones("Uỷ ban kiểm tra Đảng uỷ, hoà giải")
    'Ủy ban kiểm tra Đảng ủy, hòa giải'
    """
    return modern_tone_marks(text)


def _phrase(words: str) -> str:
    """A registry phrase as a regex: flexible spaces, dashes and commas."""
    out = []
    for token in regex.split(r"(\s*[-–]\s*|\s*,\s*|\s+)", words.strip()):
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


def _alternation(phrases: list[str], *, abbreviations_exact: bool = True) -> "regex.Pattern":
    """One anchored pattern for a list of phrases, longest first.

    Abbreviations (UBND, CA) match only as written; other phrases in any case.
    """
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        flag = "(?-i:" if abbreviations_exact and _is_abbreviation(p) else "(?i:"
        parts.append(flag + _phrase(p) + ")")
    return regex.compile(_LEFT + "(?:" + "|".join(parts) + ")" + _RIGHT)


def _key_of(surface: str) -> str:
    """Lookup key of a matched phrase: modern tones, lower case, one space, plain dashes."""
    s = _modern_tones(surface).lower()
    s = regex.sub(r"\s*[-–]\s*", " ", s)
    s = regex.sub(r"\s*,\s*", ", ", s)
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


def _entries(raw: list[dict]) -> list[_Entry]:
    out = []
    for r in raw:
        r = dict(r)
        r["aliases"] = tuple(r.get("aliases") or ())
        r["not_before"] = tuple(r.get("not_before") or ())
        r["not_after"] = tuple(r.get("not_after") or ())
        out.append(_Entry(**r))
    return out


@dataclass
class _Lexicon:
    """One kind of registry word: its pattern and the entry behind each phrase."""
    pattern: "regex.Pattern"
    entries: dict[str, _Entry]

    @classmethod
    def build(cls, entries: list[_Entry]) -> "_Lexicon":
        table: dict[str, _Entry] = {}
        phrases = []
        for e in entries:
            for p in (e.name, *e.aliases):
                table.setdefault(_key_of(p), e)
                phrases.append(p)
        return cls(_alternation(phrases), table)

    def match(self, text: str, pos: int) -> Optional[tuple[_Entry, int]]:
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


@lru_cache(maxsize=1)
def _registry() -> _Registry:
    data = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    organs = _entries(data["organs"])
    return _Registry(
        organs=_Lexicon.build(organs),
        levels=_Lexicon.build(_entries(data["levels"])),
        modifiers=_Lexicon.build(_entries(data["modifiers"])),
        groups=_Lexicon.build(_entries(data["group_nouns"])),
        offices=_Lexicon.build(_entries(data["offices"])),
        heads=_Lexicon.build(_entries(data["unlisted_heads"])),
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
    )


# --- the grammar of one body name -------------------------------------------

@dataclass(frozen=True)
class _Part:
    kind: str  # organ | level | place | connector | modifier | group | quantifier | office | prefix | of | head | name
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


_SPACE = regex.compile(_GAP)
_CAP_WORD = regex.compile(r"(?:\p{Lu}[\p{L}]*|\d+)" + _RIGHT)
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_OF = regex.compile(r"(?i:của)" + _RIGHT)
# "thuộc X" ties a group to the organ it belongs to ("các đơn vị thuộc Sở Y tế");
# unlike "của" it never introduces the object of an action, so no modifier is needed.
_BELONGS = regex.compile(r"(?i:thuộc|trong)" + _RIGHT)
# Group nouns joined by commas before one "thuộc X" ("các phòng chuyên môn, đơn vị thuộc …").
_GROUP_COMMA = regex.compile(r"[ \t]*,[ \t]*")


def _after_space(text: str, pos: int) -> Optional[int]:
    m = _SPACE.match(text, pos)
    return m.end() if m else None


# One-syllable stops compared with their tone marks: folded, "tại" (at) and "tải" (in
# "Giao thông vận tải") are one word, and so are "từ" and "tư" ("Sở Tư pháp").
_SPELLED_STOPS = {"tai": "tại", "tu": "từ", "de": "để", "da": "đã", "ve": "về", "la": "là", "den": "đến"}


def _starts_stop(text: str, pos: int, stops: frozenset[str], shortest: int = 1) -> bool:
    """Whether a stop phrase (folded, `shortest` to three words) begins at pos."""
    words, written = [], []
    for m in _WORD.finditer(text, pos, min(len(text), pos + 40)):
        words.append(fold(m.group()))
        written.append(m.group().lower())
        if len(words) == 3:
            break
    if shortest == 1 and words and words[0] in _SPELLED_STOPS and written[0] != _SPELLED_STOPS[words[0]]:
        shortest = 2  # "tải" is no "tại": only a longer stop phrase can start here
    return any(" ".join(words[:n]) in stops for n in range(shortest, 4) if n <= len(words))


def _place(text: str, pos: int, reg: _Registry) -> Optional[_Part]:
    """A proper place name: capitalised words or numbers ("Móng Cái 1")."""
    end = pos
    cur = pos
    while True:
        m = _CAP_WORD.match(text, cur)
        organ = reg.organs.match(text, cur)
        # In capitals "PHƯỜNG HÀ TU" ends in a place word, not the abbreviation of "Tỉnh ủy".
        if organ and cur > pos and text[pos:organ[1]].isupper() and _is_abbreviation(text[cur:organ[1]]):
            organ = None
        # Place words are capitalised: a one-word stop ("từ") cannot be one ("Hà Tu").
        if not m or _starts_stop(text, cur, reg.name_stops, shortest=2) or organ or reg.heads.match(text, cur):
            break
        end = m.end()
        nxt = _after_space(text, end)
        if nxt is None:
            break
        cur = nxt
    return _Part("place", pos, end) if end > pos else None


def _levels(text: str, pos: int, reg: _Registry, parts: list[_Part]) -> int:
    """Level words (each with an optional place) and modifiers after a name."""
    while True:
        nxt = _after_space(text, pos)
        if nxt is None:
            return pos
        lv = reg.levels.match(text, nxt)
        organ = reg.organs.match(text, nxt)
        group = _group(text, nxt, reg) if lv and lv[0].plural and parts[0].kind == "organ" \
            and reg.quantifiers.match(text, nxt) else None
        if group and group.end > lv[1]:
            # "Ban Tuyên giáo và Dân vận các huyện ủy, thị ủy, …": the organ of each of a
            # quantified group, which reads further than the plural level "các huyện".
            parts += group.parts
            return group.end
        if lv and not (organ and organ[1] > lv[1]):  # "Tỉnh ủy" is an organ, not the level "tỉnh"
            parts.append(_Part("level", nxt, lv[1], lv[0]))
            pos = lv[1]
            after = _after_space(text, pos)
            if after is not None and not lv[0].plural:
                place = _place(text, after, reg)
                if place:
                    parts.append(place)
                    pos = place.end
            continue
        md = None if any(p.kind == "modifier" and p.entry.final for p in parts) else reg.modifiers.match(text, nxt)
        # "tham mưu", "chức năng" describe a group noun right before them; after
        # an organ or a level they are the verb ("Chi bộ Quân sự xã tham mưu …").
        if md and (md[0].final or parts[-1].kind in ("group", "modifier")):
            parts.append(_Part("modifier", nxt, md[1], md[0]))
            pos = md[1]
            continue
        return pos


def _chain(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """Organ (organ | connector organ | level place | modifier)* — "Chi bộ cơ quan Ủy ban MTTQ phường"."""
    first = reg.organs.match(text, pos)
    if not first or first[0].complement_only:
        return None
    parts = [_Part("organ", pos, first[1], first[0])]
    end = first[1]
    if first[0].topic_after:
        end = _topic(text, end, reg, parts)
    while True:
        end = _levels(text, end, reg, parts)
        nxt = _after_space(text, end)
        if nxt is None:
            break
        if parts[-1].kind == "organ" and parts[-1].entry.place_after:
            place = _place(text, nxt, reg)
            if place:
                parts.append(place)
                end = place.end
                continue
        conn = reg.connectors.match(text, nxt)
        if conn:
            after = _after_space(text, conn.end())
            organ = reg.organs.match(text, after) if after is not None else None
            if organ:
                parts += [_Part("connector", nxt, conn.end()), _Part("organ", after, organ[1], organ[0])]
                end = organ[1]
                continue
        organ = reg.organs.match(text, nxt)
        if organ:
            parts.append(_Part("organ", nxt, organ[1], organ[0]))
            end = organ[1]
            continue
        # "Chi bộ Trường Trung học cơ sở Hà Tu": a body of an organisation the
        # registry does not list; the name's own grammar ends it.
        unlisted = _unlisted(text, nxt, reg) if text[nxt:nxt + 1].isupper() else None
        if unlisted:
            parts += unlisted.parts
            end = unlisted.end
            continue
        break
    if first[0].leads_list:
        parts, end = _delegation_list(text, parts, end, reg)
    return _Body(pos, end, parts, "organ")


def _topic(text: str, end: int, reg: _Registry, parts: list[_Part]) -> int:
    """The topic a steering committee is named by: "Ban Chỉ đạo chuyển đổi số tỉnh", "Ban Chỉ đạo 35"."""
    at = _after_space(text, end)
    if at is None or reg.levels.match(text, at):
        return end
    topic_end = _topic_to_level(text, at, reg) or _verb_cut(text, at, _name_end(text, at, reg))
    if topic_end <= at:
        return end
    parts.append(_Part("name", at, topic_end))
    return topic_end


# A topic may say what is carried out ("thực hiện Đề án 06") and hold commas
# ("phòng, chống tham nhũng, tiêu cực"), which end other names.
_TOPIC_VERBS = frozenset({"thuc hien", "trien khai", "xay dung", "va"})
_TOPIC_MAX_WORDS = 14
_TOPIC_GAP = regex.compile(r"[ \t]*(?:,|[-–])?[ \t]*")


def _topic_to_level(text: str, at: int, reg: _Registry) -> Optional[int]:
    """End of a topic closed by the level or organ the committee belongs to
    ("Ban Chỉ đạo thực hiện Đề án 06 huyện", "… phòng, chống tham nhũng, tiêu cực tỉnh");
    None when a predicate, a function word or a full stop comes first."""
    end, cur = at, at
    stops = reg.name_stops - _TOPIC_VERBS
    for _ in range(_TOPIC_MAX_WORDS):
        if cur > at and (reg.levels.match(text, cur) or reg.organs.match(text, cur)):
            return end
        m = _WORD.match(text, cur)
        # A capitalised word ("Đề án", folded "de an") is a name, not the stop "để".
        if not m or _starts_stop(text, cur, stops, shortest=2 if text[cur].isupper() else 1):
            return None
        end = m.end()
        gap = _TOPIC_GAP.match(text, end)
        if gap.end() == end or not _WORD.match(text, gap.end()):
            return None
        if "," in gap.group() and not text[gap.end()].islower():
            return end  # ", Ủy ban Kiểm tra …": a comma before a capital starts the next body
        cur = gap.end()
    return None


_DELEGATION_SEPARATOR = regex.compile(r"[ \t]*,[ \t]*|[ \t]+(?i:và)[ \t]+")


def _delegation_list(text: str, parts: list[_Part], end: int, reg: _Registry) -> tuple[list[_Part], int]:
    """A Party delegation over several organisations is one body.

    "Đảng đoàn MTTQ và các tổ chức chính trị - xã hội tỉnh": one delegation leads
    the Front and the mass organisations, the level closing the list is theirs.
    Only when the delegation's organ has no level of its own ("Đảng đoàn HĐND tỉnh
    và các …" ends at "tỉnh") and the next member is a quantified group.
    """
    if len(parts) != 2 or parts[1].kind != "organ":
        return parts, end
    sep = _DELEGATION_SEPARATOR.match(text, end)
    member = _group(text, sep.end(), reg) if sep else None
    if not member or member.parts[0].kind != "quantifier":
        return parts, end
    return parts + [_Part("sep", sep.start(), sep.end())] + member.parts, member.end


def _group(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """[các] group noun modifier* [[của|thuộc] organ chain] level* — "các cơ quan tham mưu giúp việc của Đảng ủy".

    Group nouns joined by commas share a closing "thuộc X": "các phòng chuyên
    môn, đơn vị thuộc Ủy ban nhân dân xã" is one body.
    """
    parts: list[_Part] = []
    cur = pos
    q = reg.quantifiers.match(text, cur)
    if q:
        after = _after_space(text, q.end())
        if after is None:
            return None
        parts.append(_Part("quantifier", cur, q.end()))
        cur = after
    g = reg.groups.match(text, cur)
    if not g or (g[0].quantified and not q):
        return None
    parts.append(_Part("group", cur, g[1], g[0]))
    end = _levels(text, g[1], reg, parts)
    if g[0].takes_group and end == g[1]:
        # "chi ủy các chi bộ cơ sở": the committees of the groups named next.
        after = _after_space(text, end)
        owned = _group(text, after, reg) if after is not None else None
        if owned and owned.parts[0].kind == "quantifier":
            parts += owned.parts
            end = owned.end
    shared, shared_end = _shared_groups(text, end, reg)
    if shared:
        parts, end = parts + shared, shared_end
    # "các Ban Hội đồng nhân dân": a quantified-only noun takes a bare organ like a modifier does.
    complement = _complement(text, end, reg, g[0].quantified or any(p.kind == "modifier" for p in parts))
    if complement:
        parts += complement[0]
        end = complement[1]
    elif shared:
        parts = parts[:len(parts) - len(shared)]
        end = shared[0].start
    return _Body(pos, end, parts, "group")


def _shared_groups(text: str, pos: int, reg: _Registry) -> tuple[list[_Part], int]:
    """More group nouns after commas, kept only when a "thuộc X" closes them all."""
    parts: list[_Part] = []
    end = pos
    while True:
        comma = _GROUP_COMMA.match(text, end)
        g = reg.groups.match(text, comma.end()) if comma else None
        if not g or g[0].quantified:
            break
        more = [_Part("sep", comma.start(), comma.end()), _Part("group", comma.end(), g[1], g[0])]
        end = _levels(text, g[1], reg, more)
        parts += more
    nxt = _after_space(text, end)
    if parts and nxt is not None and _BELONGS.match(text, nxt):
        return parts, end
    return [], pos


def _complement(text: str, pos: int, reg: _Registry, modified: bool) -> Optional[tuple[list[_Part], int]]:
    """The organ a group belongs to: "thuộc X", or "của X" / bare "X" after a modifier."""
    nxt = _after_space(text, pos)
    if nxt is None:
        return None
    link = _BELONGS.match(text, nxt) or (_OF.match(text, nxt) if modified else None)
    of = _OF.match(text, nxt)
    at = _after_space(text, of.end()) if of else None
    level = reg.levels.match(text, at) if at is not None else None
    if level and not level[0].plural and not reg.organs.match(text, at):
        # "các cơ quan báo chí của tỉnh": "của" and a level word place the group.
        parts = [_Part("of", nxt, of.end()), _Part("level", at, level[1], level[0])]
        return parts, level[1]
    if not link and not modified:
        return None
    at = _after_space(text, link.end()) if link else nxt
    chain = _chain(text, at, reg) if at is not None else None
    if not chain:
        return None
    return ([_Part("of", nxt, link.end())] if link else []) + chain.parts, chain.end


def _office(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """[Các đồng chí] office (organ chain | group) — "Bí thư cấp ủy", "Các đồng chí Ủy viên Ban Chấp hành …"."""
    parts: list[_Part] = []
    cur = pos
    pre = reg.office_prefixes.match(text, cur)
    if pre:
        after = _after_space(text, pre.end())
        if after is None:
            return None
        parts.append(_Part("prefix", cur, pre.end()))
        cur = after
    off = reg.offices.match(text, cur)
    if not off:
        return None
    alone = _Body(pos, off[1], parts + [_Part("office", cur, off[1], off[0])], "office")
    standalone = fold(text[cur:off[1]]) in reg.standalone_offices
    after = _after_space(text, off[1])
    if after is None:
        return alone if standalone else None
    led = _chain(text, after, reg) or _group(text, after, reg)
    if not led:
        return alone if standalone else None
    led_parts, end = led.parts, led.end
    if led.kind == "group" and led.parts[0].kind == "group":
        led_parts, end = _led_list(text, led, reg)
    return _Body(pos, end, parts + [_Part("office", cur, off[1], off[0])] + led_parts, "office")


_LED_SEPARATOR = regex.compile(r"[ \t]*,[ \t]*(?:(?i:và)[ \t]+)?|[ \t]+(?i:và)[ \t]+")


def _led_list(text: str, led: _Body, reg: _Registry) -> tuple[list[_Part], int]:
    """An office over an unquantified group leads the whole list after it.

    "người đứng đầu cơ quan nhà nước, Mặt trận Tổ quốc và các tổ chức chính trị
    - xã hội" is one body: the heads of all three. Members with their own level
    ("…, Ủy ban nhân dân các xã") or their own office end the list.
    """
    parts, end = list(led.parts), led.end
    while True:
        sep = _LED_SEPARATOR.match(text, end)
        if not sep:
            return parts, end
        nxt = _chain(text, sep.end(), reg) or _group(text, sep.end(), reg)
        if not nxt or any(p.kind in ("level", "place") for p in nxt.parts) or reg.offices.match(text, sep.end()):
            return parts, end
        parts += [_Part("sep", sep.start(), sep.end())] + nxt.parts
        end = nxt.end


_NAME_MAX_WORDS = 8


# A comma inside an unlisted name: capitalised words after it, closed by "và" and a
# capitalised word before any other punctuation ("Văn hóa, Thể thao và Du lịch").
_NAME_COMMA = regex.compile(r"[ \t]*,[ \t]+(?=\p{Lu}[\p{L} \t]{0,30}?[ \t](?i:và)[ \t]+\p{Lu})")


def _unlisted(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """A capitalised head noun and a capitalised name outside the registry — "Trung tâm Cung ứng dịch vụ công"."""
    head = reg.heads.match(text, pos)
    if not head or not text[pos].isupper():
        return None
    start = _after_space(text, head[1])
    # The first word is capitalised, so a proper name whatever it folds to:
    # "Giáo dục" is not the verb "giao", "Giao thông" is a name ("Sở Giao thông vận tải").
    if start is None or not _CAP_WORD.match(text, start):
        return None
    # "Phòng Tuyên truyền", "Phòng Tổ chức - Hành chính": after a head noun a capitalised
    # word is a name even when it folds like a predicate; a registry organ ("Ban Chỉ đạo")
    # is read by the chain instead.
    organ = reg.organs.match(text, pos)
    first_is_name = not (organ and organ[1] > head[1]) and not text[pos:start].isupper()
    end = _verb_cut(text, start, _name_end(text, start, reg, first_is_name=first_is_name))
    if end <= start:
        return None  # "Ban Chỉ đạo …": the first word was a predicate, no name follows
    parts = [_Part("head", pos, head[1], head[0]), _Part("name", start, end)]
    end = _levels(text, end, reg, parts)
    return _Body(pos, end, parts, "unlisted")


def _name_end(text: str, start: int, reg: _Registry, *, commas: bool = True, first_is_name: bool = False) -> int:
    """Where a proper name starting at `start` ends (before any verb cut).

    `commas=False` reads a distributive list's member, where a comma always ends
    the member ("các Sở: Tài chính, Khoa học và Công nghệ" is two names) and the
    first word is a name whatever it folds to ("các Sở: …, Xây dựng"); so is a
    capitalised first word after a head noun (`first_is_name`: "Phòng Tuyên truyền").
    """
    end, cur, words = start, start, 0
    while words < _NAME_MAX_WORDS:
        m = _WORD.match(text, cur)
        # Stops are lower-case predicates and function words; a capitalised word
        # ("Hà Tu", "Từ Sơn") is part of the name even when it folds like one, but a
        # capitalised two-word predicate ("… Đảng ủy Tiếp tục triển khai") is a new sentence.
        capitalised = text[cur:cur + 1].isupper()
        member_first = (not commas or first_is_name) and words == 0
        if not m or not member_first and (_starts_stop(text, cur, reg.name_stops, shortest=2 if capitalised else 1)
                                          or reg.levels.match(text, cur)):
            break
        end, words = m.end(), words + 1
        dash = regex.compile(_DASH).match(text, end)
        comma = _NAME_COMMA.match(text, end) if commas else None
        if comma and not (reg.heads.match(text, comma.end()) or reg.organs.match(text, comma.end())):
            dash = comma  # "Trung tâm Văn hóa, Thông tin và Thể thao": an enumeration inside the name
        nxt = dash.end() if dash else _after_space(text, end)
        if nxt is None:
            break
        after_va = nxt + 3
        if regex.match(r"(?i:và)" + _GAP, text[nxt:nxt + 4]) and _CAP_WORD.match(text, after_va) \
                and not (reg.organs.match(text, after_va) or reg.heads.match(text, after_va)):
            # "Sở Kế hoạch và Đầu tư": "và" inside a name joins capitalised words;
            # "Văn phòng Đảng ủy và Ban Xây dựng Đảng": before an organ it joins two bodies.
            nxt = after_va
        cur = nxt
    return end


@lru_cache(maxsize=1)
def _pos_tagger():
    from underthesea import pos_tag  # loads its model once (~0.5 s)

    return pos_tag


def _verb_cut(text: str, start: int, end: int) -> int:
    """End an unlisted name before its first lower-case verb, by underthesea's POS tags.

    The stop-word list cannot know every predicate ("Ngân hàng Chính sách xã hội giới
    thiệu hộ kinh doanh …"); Vietnamese word segmentation and tagging can. Capitalised
    words stay in the name whatever their tag ("Cung ứng" in "Trung tâm Cung ứng dịch vụ").
    The name is tagged with the words after it: alone its last word reads as anything
    ("ưu tiên" → M), and a verb-like word right before the predicate stays in the name
    ("Trung tâm Y tế dự phòng triển khai").
    """
    name = text[start:end]
    if all(w[:1].isupper() or w.isdigit() for w in name.split()):
        return end  # a fully capitalised name needs no tagger
    return _predicate_cut(text, start, end)


_CONTEXT = regex.compile(r"[^.;:!?\n]{0,60}")


def _predicate_cut(text: str, start: int, end: int) -> int:
    """The start of the first lower-case verb in text[start:end] that, read in context, takes
    an object or a further verb ("… Công nghệ ưu tiên bố trí", "… Nội vụ biên soạn tài liệu");
    one right before a two-word predicate, a level or punctuation is the name's last word.
    """
    reg = _registry()
    context = text[start:_CONTEXT.match(text, end).end()]
    tagged = []
    cursor = 0
    for word, tag in _pos_tagger()(context):
        at = context.find(word, cursor)
        if at < 0:
            return end
        tagged.append((at, word, tag))
        cursor = at + len(word)
    for i, (at, word, tag) in enumerate(tagged):
        if at >= end - start:
            break
        if at == 0 or tag != "V" or not word[:1].islower() or i + 1 >= len(tagged):
            continue
        nxt_at, nxt, nxt_tag = tagged[i + 1]
        # "thẩm định, bố trí …": a comma before another lower-case word lists predicates.
        listed = nxt == "," and i + 2 < len(tagged) and tagged[i + 2][1][:1].islower()
        if not listed and (nxt_tag == "CH" or _starts_stop(text, start + nxt_at, reg.name_stops, shortest=2)
                           or reg.levels.match(text, start + nxt_at)):
            continue
        return start + len(context[:at].rstrip())
    return end


def _body(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """The longest body name starting exactly at pos."""
    found = [b for b in (_office(text, pos, reg), _chain(text, pos, reg), _group(text, pos, reg),
                         _unlisted(text, pos, reg)) if b]
    return max(found, key=lambda b: b.end) if found else None


# --- distributive lists ---------------------------------------------------------

# "Giám đốc các Sở: Nội vụ, Tài chính": a plural head noun, a colon, then the
# members' own names; each member is one body ("Giám đốc Sở Nội vụ", …).
_DISTRIBUTE = regex.compile(r"[ \t]*:[ \t]*")
_MEMBER_SEP = regex.compile(r"[ \t]*[,;][ \t]*(?:(?i:và)[ \t]+)?|[ \t]+(?i:và)[ \t]+")


def _distributed(text: str, b: _Body, reg: _Registry) -> Optional[tuple[list[_Body], int]]:
    """The members of "[office] các <noun>: A, B và C", each read as "[office] <Noun> A".

    A head noun that starts a proper name ("Sở", "Phòng", "Ban") stays in each
    member's name; a generic one ("cơ quan", "đơn vị") does not: "Thủ trưởng các
    cơ quan: Công an tỉnh, …" gives "Thủ trưởng Công an tỉnh".
    """
    if len(b.parts) < 2 or b.parts[-1].kind != "group" or b.parts[-2].kind != "quantifier":
        return None
    colon = _DISTRIBUTE.match(text, b.end)
    if not colon or not _CAP_WORD.match(text, colon.end()):
        return None
    noun = b.parts[-1]
    head = reg.heads.match(text, noun.start)
    lead = " ".join(_surface(text, p) for p in b.parts[:-2])
    head_kept = bool(head) and head[1] == noun.end
    if head_kept:
        word = _surface(text, noun)
        lead = f"{lead} {word[0].upper()}{word[1:]}".strip()
    spans: list[tuple[int, int]] = []
    by_semicolon: Optional[bool] = None
    cur = colon.end()
    while True:
        end = _registry_member_end(text, cur, lead, reg) \
            or _levels(text, _verb_cut(text, cur, _name_end(text, cur, reg, commas=False)), reg, [])
        if end <= cur:
            break
        spans += _split_joined(text, cur, end, lead, reg)
        sep = _MEMBER_SEP.match(text, end)
        if not sep or not _CAP_WORD.match(text, sep.end()) or reg.offices.match(text, sep.end()):
            break
        if head_kept and _body(text, sep.end(), reg):
            break  # "các Sở: Nội vụ, Tài chính và Ủy ban nhân dân các huyện": a body of its own ends the list
        # ";" separates members only in a list that opened with it ("các Phòng: Nội vụ;
        # Tài chính - Kế hoạch; …"); after commas it ends the list ("…, Tài chính; Chủ tịch …").
        semicolon = ";" in sep.group()
        by_semicolon = semicolon if by_semicolon is None else by_semicolon
        if semicolon != by_semicolon:
            break
        cur = sep.end()
    if not spans:
        return None
    members = [_Body(b.start if i == 0 else s, e, list(b.parts), "distributed", f"{lead} {text[s:e]}".strip())
               for i, (s, e) in enumerate(spans)]
    return members, spans[-1][1]


def _registry_member_end(text: str, pos: int, lead: str, reg: _Registry) -> Optional[int]:
    """Where a member ends when "<lead> <member>" reads as a registry body ("Sở Kế hoạch và Đầu tư").

    The registry knows where such names end better than stop words do.
    """
    if not lead:
        return None
    reading = f"{lead} {text[pos:pos + 120]}"
    found = _chain(reading, 0, reg) or _office(reading, 0, reg)
    if not found or not any(p.kind == "organ" and p.end > len(lead) for p in found.parts):
        return None
    return pos + found.end - len(lead) - 1


def _known(words: str, reg: _Registry) -> bool:
    """Whether the grammar reads `words` whole as one registry body."""
    found = _chain(words, 0, reg) or _office(words, 0, reg)
    return bool(found) and found.end == len(words)


def _split_joined(text: str, start: int, end: int, lead: str, reg: _Registry) -> list[tuple[int, int]]:
    """Split "Tài chính và Xây dựng" at "và" when the left part alone is a known body.

    "và" also joins words inside one name ("Kế hoạch và Đầu tư"), so a member is
    split only when the registry knows "<lead> <left part>" and not the whole.
    """
    va = regex.search(r"[ \t]+(?i:và)[ \t]+", text[start:end])
    if not va or _known(f"{lead} {text[start:end]}", reg) \
            or not _known(f"{lead} {text[start:start + va.start()]}", reg):
        return [(start, end)]
    return [(start, start + va.start()), (start + va.end(), end)]


# --- lists and roles ----------------------------------------------------------

_SEPARATOR = regex.compile(r"[ \t]*[,;][ \t]*(?:(?i:và|cùng)[ \t]+)?|[ \t]+(?i:và|cùng với|cùng)[ \t]+")


def _body_list(text: str, pos: int, reg: _Registry) -> tuple[list[_Body], int]:
    """Bodies in a list at pos ("A, B và C"); people in the list are skipped."""
    items: list[_Body] = []
    cur = end = pos
    while True:
        b = _body(text, cur, reg)
        if b and not items and _bare_group(b):
            b = None  # "Đơn vị chủ trì: …" — a lone group noun opens no list; "…, cơ quan, đơn vị" may end one
        members = _distributed(text, b, reg) if b else None
        if members:
            items += members[0]
            end = members[1]
        elif b:
            items.append(b)
            end = b.end
        else:
            p = reg.people.match(text, cur)
            if not p:
                break
            end = p.end()
        sep = _SEPARATOR.match(text, end)
        nxt = _body(text, sep.end(), reg) if sep else None
        if nxt and ";" in sep.group() and _bare_group(nxt):
            break  # "Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: …" — a new field, not a member
        if not sep or not (nxt or reg.people.match(text, sep.end())):
            break
        cur = sep.end()
    return _share_tail(items, text), end


def _share_tail(items: list[_Body], text: str) -> list[_Body]:
    """Give the list's closing "organ level place" to earlier members that lack a level.

    "Thường trực Hội đồng nhân dân, các Tổ đại biểu và đại biểu Hội đồng nhân dân
    thành phố": every member is of the city's People's Council. A member that
    names the closing organ gets its level and place; a member whose registry
    parent is that organ ("Tổ đại biểu" of a People's Council, "Ban Tổ chức" of
    a Party committee) gets the organ too. Other members are left alone.
    """
    if len(items) < 2:
        return items
    tail = _tail(items[-1])
    if not tail:
        return _share_group_level(items)
    organ = tail[0].entry
    family = organ.is_a or organ.id
    out = []
    for b in items[:-1]:
        if b.kind == "distributed" or any(p.kind in ("level", "place") for p in b.parts):
            out.append(b)
            continue
        named = [p for p in b.parts if p.kind in ("organ", "group") and p.entry]
        if any(p.entry.id == organ.id or organ.name in p.entry.name for p in named if p.kind == "organ"):
            b = _Body(b.start, b.end, b.parts + tail[1:], b.kind)
        elif len(named) == 1 and named[0].entry.parent == family and b.kind != "office":
            b = _Body(b.start, b.end, b.parts + tail, b.kind)
        out.append(b)
    return out + [items[-1]]


def _share_group_level(items: list[_Body]) -> list[_Body]:
    """"Ủy ban MTTQ và các đoàn thể chính trị - xã hội huyện": a closing group's level is
    also that of earlier members that are top organs with no level of their own."""
    last = items[-1]
    levels: list[_Part] = []
    for p in reversed(last.parts):
        if p.kind not in ("level", "place"):
            break
        levels.insert(0, p)
    if last.kind != "group" or not levels:
        return items
    out = []
    for b in items[:-1]:
        organs = [p for p in b.parts if p.kind == "organ"]
        if b.kind == "organ" and len(organs) == len(b.parts) and not any(o.entry.parent for o in organs):
            b = _Body(b.start, b.end, b.parts + levels, b.kind)
        out.append(b)
    return out + [last]


def _tail(body: _Body) -> list[_Part]:
    """The closing organ of a body with the levels and places after it — "Hội đồng nhân dân thành phố"."""
    for i in range(len(body.parts) - 1, -1, -1):
        p = body.parts[i]
        if p.kind == "organ":
            rest = body.parts[i + 1:]
            placed = bool(rest) or p.entry.place_after
            return body.parts[i:] if placed and all(r.kind in ("level", "place") for r in rest) else []
    return []


def _bare_group(b: _Body) -> bool:
    return b.kind == "group" and len(b.parts) == 1


def _next_words(text: str, pos: int) -> str:
    return text[pos:pos + 30].lstrip(" \t,")


_PREDICATE_GIAO = regex.compile(r"(?i:giao)" + _RIGHT)
_PREDICATE_SUPPORT = regex.compile(r"(?i:phối hợp)" + _RIGHT)
# "X phối hợp với Y vận động …": the subject leads and Y supports; "X phối hợp thực hiện" supports.
_PREDICATE_LEADS_WITH = regex.compile(r"(?i:phối hợp(?:[ \t]+(?:chặt chẽ|tốt|thường xuyên|đồng bộ|hiệu quả"
                                      r"|nhịp nhàng))?[ \t]+với)" + _RIGHT)
_PREDICATE_LEAD = regex.compile(r"(?i:chủ trì)" + _RIGHT)
_ASSIGN = regex.compile(_LEFT + r"(?i:giao|đề nghị)(?:[ \t]+(?i:cho))?[ \t]+")
# "phối hợp chặt chẽ với X": a manner adverb may stand between the verb and "với".
_SUPPORT = regex.compile(_LEFT + r"(?i:phối hợp(?:[ \t]+(?:chặt chẽ|tốt|thường xuyên|đồng bộ|hiệu quả|nhịp nhàng))?"
                         r"(?:[ \t]+với)?|với sự phối hợp của|cùng phối hợp với)[ \t]+")
# "…, do Ủy ban nhân dân thành phố chủ trì": the agent of a passive task is its owner
# (not "do X ban hành": the issuer of a document is no owner).
_AGENT = regex.compile(_LEFT + r"(?i:do)[ \t]+")
_AGENT_PREDICATE = regex.compile(r"(?i:chủ trì|phụ trách|đảm nhiệm|thực hiện)" + _RIGHT)
# Table-like assignments: "Đơn vị chủ trì: Phòng Kinh tế", "Cơ quan phối hợp: …".
_FIELD = regex.compile(_LEFT + r"(?i:đơn vị|cơ quan)[ \t]+(?P<role>(?i:chủ trì|phối hợp))[ \t]*:[ \t]*")
_SENTENCE_START = regex.compile(r"(?:[.;:!?]|,)[ \t]+")
# A clause's own short title before a colon: a few words, no sentence inside. Field
# labels of a plan ("Đối tượng: …", "Thành phần: …") name who is inspected or present.
_TITLE_LEAD = regex.compile(r"[^.;:!?]{1,80}")
_FIELD_LABEL = regex.compile(r"[ \t]*(?i:đối tượng|nội dung|thành phần|thời gian|địa điểm|phạm vi|hình thức"
                             r"|phương pháp|kết quả|mục đích|yêu cầu)\b")
_PREDICATE_FOLLOWS = regex.compile(r"[ \t]+\p{Ll}")
_FIRST_SENTENCE_END = regex.compile(r"[.;:](?:[ \t]|$)")
# "bàn giao", "được giao", "chỉ tiêu tỉnh giao" hand something over; they assign no one.
# A break after which "Đề nghị X" opens a new clause of its own.
_CLAUSE_BREAK = regex.compile(r"[.;:!?]")
_NOT_ASSIGNING = regex.compile(r"(?i:bàn|được|chuyển)[ \t]+$")


def _subject_role(text: str, end: int, reg: _Registry) -> Optional[str]:
    """What a subject list's next words make it: owner, support, or nothing."""
    rest = _next_words(text, end)
    if reg.owner_copulas.match(rest):
        return "owner"
    if _PREDICATE_GIAO.match(rest) or reg.not_predicates.match(rest):
        return None
    return _support_or_lead(rest) or "owner"


def _support_or_lead(rest: str) -> Optional[str]:
    """The role "phối hợp" after a subject gives it: support, but owner with a partner named."""
    if _PREDICATE_LEADS_WITH.match(rest):
        return "owner"
    return "support" if _PREDICATE_SUPPORT.match(rest) else None


def _opening_subject(text: str, reg: _Registry) -> tuple[list[_Body], Optional[str]]:
    """The subject list that opens the clause, after "Đối với" or an intro phrase ("Căn cứ …, X …")."""
    start = reg.subject_opener.match(text, 0).end()
    items, end = _body_list(text, start, reg)
    if items:
        return items, _subject_role(text, end, reg)
    if not reg.intro.match(text, start):
        return [], None
    stop = _FIRST_SENTENCE_END.search(text, start)
    limit = stop.start() if stop else len(text)
    for comma in regex.finditer(r",[ \t]+", text[:limit]):
        items, end = _body_list(text, comma.end(), reg)
        if items and not text[end:end + 1] in (",",):
            return items, _subject_role(text, end, reg)
    return [], None


def _role_spans(text: str, reg: _Registry, heading: bool) -> list[tuple[_Body, str]]:
    found: list[tuple[_Body, str]] = []
    items, role = _opening_subject(text, reg)
    if role:
        found += [(b, role) for b in items]
    subject_end = items[-1].end if items and role else None
    for m in _ASSIGN.finditer(text):
        if _NOT_ASSIGNING.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if subject_end is not None and m.start() > subject_end and fold(m.group()).startswith("de nghi") \
                and not _CLAUSE_BREAK.search(text, subject_end, m.start()):
            continue  # "Chi ủy rà soát …, đề nghị Đảng ủy xã xem xét": a proposal the subject makes
        found += [(b, "owner") for b in _body_list(text, m.end(), reg)[0]]
    for m in _SUPPORT.finditer(text):
        found += [(b, "support") for b in _body_list(text, m.end(), reg)[0]]
    for m in _AGENT.finditer(text):
        items, end = _body_list(text, m.end(), reg)
        if items and _AGENT_PREDICATE.match(_next_words(text, end)):
            found += [(b, "owner") for b in items]
    for m in _FIELD.finditer(text):
        role = "owner" if fold(m.group("role")) == "chu tri" else "support"
        found += [(b, role) for b in _body_list(text, m.end(), reg)[0]]
    for m in _SENTENCE_START.finditer(text):
        items, end = _body_list(text, m.end(), reg)
        rest = _next_words(text, end)
        if items and _PREDICATE_LEAD.match(rest):
            found += [(b, "owner") for b in items]
        elif items and _PREDICATE_SUPPORT.match(rest):
            found += [(b, _support_or_lead(rest)) for b in items]
        elif items and m.group().startswith(":") and _TITLE_LEAD.fullmatch(text[:m.start()]) \
                and not _FIELD_LABEL.match(text) and _PREDICATE_FOLLOWS.match(text, end):
            # "Lấy ý kiến bằng văn bản: các cơ quan … có trách nhiệm trả lời": after a short
            # title the subject of the sentence is its owner, as at the clause's start.
            role = _subject_role(text, end, reg)
            found += [(b, role) for b in items] if role else []
    return found


def subject_offset(text: str) -> int:
    """Where a clause's subject may start: after "Đối với", "Trách nhiệm của" …

    >>> subject_offset("Trách nhiệm của Ban Thường vụ Tỉnh ủy")
    16
    """
    return _registry().subject_opener.match(_modern_tones(text), 0).end()


def find_bodies(text: str, ctx: DocContext | None = None, *, heading: bool = False) -> list[BodyRef]:
    """The bodies a clause's own words make responsible, in text order.

    `heading=True` for a title that owns children; its opening bodies are owners
    whatever follows them. Offsets index `text`.

    >>> [(b.name, b.role) for b in find_bodies("Giao Ủy ban Kiểm tra Đảng uỷ chủ trì, phối hợp với các cơ quan liên quan kiểm tra.")]
    [('Ủy ban Kiểm tra Đảng ủy', 'owner'), ('các cơ quan liên quan', 'support')]
    """
    reg = _registry()
    norm = _modern_tones(text)
    seen: dict[tuple[int, int], BodyRef] = {}
    council, council_end = _council_members(norm, ctx, reg)
    for ref in council:
        seen[(ref.start, ref.end)] = replace(ref, mention=text[ref.start:ref.end])
    for body, role in _role_spans(norm, reg, heading):
        if council and body.start < council_end:
            continue  # the members' list is read as a whole above
        span = (body.start, body.end)
        if span in seen and (seen[span].role == "owner" or role == "support"):
            continue
        source, read = (norm, body) if body.reading is None else _reading(body, reg)
        name = _name(source, read)
        seen[span] = BodyRef(mention=text[body.start:body.end], name=name, role=role,
                             en=_english(source, read, reg), key=_key(source, read, name, ctx, reg),
                             start=body.start, end=body.end)
    return _once_per_key(_outermost(sorted(seen.values(), key=lambda b: (b.start, -b.end))))


# "Thường trực, các Ban, Tổ và các đại biểu Hội đồng nhân dân thành phố giám sát …":
# the council's members listed bare, the council named once at the end for all.
_MEMBER = r"(?:các\s+)?(?:Thường\s+trực|Tổ\s+đại\s+biểu|Ban|Tổ|đại\s+biểu)"
_COUNCIL_LIST = regex.compile(
    rf"(?P<items>{_MEMBER}(?:\s*,\s*{_MEMBER})*(?:\s*,?\s+và\s+{_MEMBER}))\s+(?=Hội\s+đồng\s+nhân\s+dân|HĐND)")
_MEMBER_NAMES = {"thuong truc": ("Thường trực", "Standing Committee"),
                 "ban": ("các Ban của", "Committees"), "to": ("các Tổ đại biểu", "Delegate Groups"),
                 "to dai bieu": ("các Tổ đại biểu", "Delegate Groups"), "dai bieu": ("đại biểu", "Delegates")}


def _council_members(text: str, ctx: Optional[DocContext], reg: _Registry) -> tuple[list[BodyRef], int]:
    """The members' list opening a clause, each member with the council named after the list."""
    start = reg.subject_opener.match(text, 0).end()
    assign = _ASSIGN.match(text, start)
    m = _COUNCIL_LIST.match(text, assign.end() if assign else start)
    if not m:
        return [], 0
    council = _body(text, m.end(), reg)
    if council is None or _subject_role(text, council.end, reg) != "owner":
        return [], 0
    council_name, council_en = _name(text, council), _english(text, council, reg)
    refs = []
    for item in regex.finditer(_MEMBER, m.group("items")):
        words = fold(item.group()).removeprefix("cac ")
        member, member_en = _MEMBER_NAMES[words]
        name = f"{member} {council_name}"
        at = m.start("items") + item.start()
        refs.append(BodyRef(mention=item.group(), name=name, role="owner", en=f"{member_en} of the {council_en}",
                            key=body_key(name, ctx), start=at, end=at + len(item.group())))
    return refs, council.end


def _once_per_key(refs: list[BodyRef]) -> list[BodyRef]:
    """One reference per body and role ("Đối với HĐND các xã, phường: Đề nghị HĐND xã, phường …")."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in refs:
        if (r.key, r.role) not in seen:
            seen.add((r.key, r.role))
            out.append(r)
    return out


def _outermost(refs: list[BodyRef]) -> list[BodyRef]:
    """Drop a body found inside another one ("đảng bộ trực thuộc" inside "các chi, đảng bộ trực thuộc")."""
    kept: list[BodyRef] = []
    for r in refs:
        if kept and r.start >= kept[-1].start and r.end <= kept[-1].end:
            continue
        kept.append(r)
    return kept


# --- canonical name, English name, key ------------------------------------------

def _reading(body: _Body, reg: _Registry) -> tuple[str, _Body]:
    """A distributed member parsed from its own reading ("Giám đốc Sở Nội vụ")."""
    text = body.reading
    found = _body(text, 0, reg)
    if found and found.end == len(text):
        return text, found
    office = reg.offices.match(text, 0)
    rest = _unlisted(text, office[1] + 1, reg) if office else None
    if rest and rest.end == len(text):  # "Giám đốc Sở Khoa học và Công nghệ": an office over an unlisted organ
        return text, _Body(0, len(text), [_Part("office", 0, office[1], office[0])] + rest.parts, "office")
    # A member the grammar cannot read whole keeps its reading as one name.
    return text, _Body(0, len(text), [_Part("name", 0, len(text))], "unlisted")

def _surface(text: str, part: _Part) -> str:
    return " ".join(regex.sub(r"\s*[-–]\s*", " - ", text[part.start:part.end]).split())


def _name(text: str, body: _Body) -> str:
    """Canonical Vietnamese name: registry spelling for organs and levels, wording kept elsewhere."""
    words = []
    # A heading in capitals ("TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ") says nothing of casing:
    # common words go to lower case, place names to title case.
    capitals = text[body.start:body.end].isupper()
    for i, p in enumerate(body.parts):
        if capitals and p.kind not in ("organ", "level", "sep"):
            s = _surface(text, p)
            words.append(s.title() if p.kind == "place" else s.lower())
            continue
        if p.kind == "organ":
            organ = _organ_name(_surface(text, p), p.entry)
            if i and body.parts[i - 1].kind == "office" and text[p.start].islower() \
                    and fold(text[p.start:p.end]).split()[0] == fold(organ).split()[0]:
                # "Trưởng phòng Nội vụ": the head noun is part of the office's title, as written.
                organ = organ[0].lower() + organ[1:]
            words.append(organ)
        elif p.kind == "level":
            # The variant written ("các huyện, thành phố"), spelled as the registry spells it;
            # the key still comes from the entry, so both variants are one body.
            written = _words_key(_surface(text, p))
            level = next((c for c in (p.entry.name, *p.entry.aliases) if _words_key(c) == written
                          and not _is_abbreviation(c) and " " in c), p.entry.name)
            words.append(level if level[0].isupper() else level.lower())
        elif p.kind == "sep":  # ", " and "và" between members of one body, as written
            sep = " ".join(text[p.start:p.end].split())
            if sep.startswith(",") and words:
                words[-1] += ","
                sep = sep[1:].strip()
            if sep:
                words.append(sep)
        else:
            s = _surface(text, p)
            if p.kind == "group" and p.entry and any(len(t) > 1 and _is_abbreviation(t) for t in s.split()):
                s = p.entry.name  # "trường THPT" → "trường trung học phổ thông"
            words.append(s[0].lower() + s[1:] if i == 0 and p.kind in ("quantifier", "group", "prefix") else s)
    return " ".join(words)


def _words_key(phrase: str) -> str:
    """The folded words alone: "các xã phường" and "các xã, phường" are one variant."""
    return " ".join(regex.findall(r"[\p{L}\p{N}]+", fold(phrase)))


def _organ_name(surface: str, entry: _Entry) -> str:
    """An organ as the registry spells the variant written: abbreviations expanded,
    casing and tone marks fixed, but a shorter full form kept ("Đoàn Thanh niên"
    stays, it is not lengthened to "Đoàn Thanh niên Cộng sản Hồ Chí Minh")."""
    if any(len(tok) > 1 and _is_abbreviation(tok) for tok in surface.split()):
        # "Ủy ban MTTQ Việt Nam" → "Ủy ban Mặt trận Tổ quốc Việt Nam" when the registry
        # spells that long form; otherwise the registry's name.
        expanded = _key_of(" ".join(_abbreviations().get(tok, tok) for tok in surface.split()))
        return next((c for c in entry.aliases if _key_of(c) == expanded
                     and not any(len(tok) > 1 and _is_abbreviation(tok) for tok in c.split())), entry.name)
    written = _key_of(surface)
    return next((c for c in (entry.name, *entry.aliases) if _key_of(c) == written and not _is_abbreviation(c)),
                entry.name)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """One-word abbreviations of organs and their full names: "MTTQ" → "Mặt trận Tổ quốc"."""
    return {alias: e.name for e in _registry().organ_list for alias in e.aliases
            if " " not in alias and _is_abbreviation(alias)}


def _english(text: str, body: _Body, reg: _Registry) -> str:
    """English name composed from the parts: "Executive Committee of the ward Party Organisation"."""
    segments: list[str] = []
    qualifiers: list[str] = []
    lead = ""
    joined = False
    for p in body.parts:
        if p.kind == "sep":
            joined = bool(segments)
        elif p.kind in ("organ", "head", "group") and joined:
            segments[-1] += " and " + p.entry.en  # members of one body: "divisions and units"
            joined = False
        elif p.kind in ("organ", "head", "group"):
            segments.append(p.entry.en)
        elif p.kind == "name" and segments:
            field = reg.field_names.get(_words_key(_surface(text, p)))
            segments[-1] += f" of {field}" if field else f" ({_surface(text, p)})"
        elif p.kind == "level" and segments:
            segments[-1] = f"{p.entry.en} {segments[-1]}" if not p.entry.plural else f"{segments[-1]} {p.entry.en}"
        elif p.kind == "place" and segments:
            qualifiers.append(_surface(text, p))
        elif p.kind == "modifier" and segments:
            segments[-1] = f"{p.entry.en} {segments[-1]}"
        elif p.kind == "office":
            lead = p.entry.en
            # "Giám đốc Sở Tài chính" is one director; "Giám đốc các Sở", "Các đồng chí Ủy viên" many.
            if not any(q.kind in ("quantifier", "prefix", "group") or (q.entry and q.entry.plural) for q in body.parts):
                lead = regex.sub(r"ies$", "y", lead) if lead.endswith("ies") else regex.sub(r"s$", "", lead)
    organs = " ".join(p.entry.name for p in body.parts if p.kind == "organ")
    en = reg.composites.get(_key_of(organs)) if body.kind == "organ" else None
    en = en or " of the ".join(segments)
    if qualifiers:
        en += " (" + ", ".join(qualifiers) + ")"
    return f"{lead} of the {en}" if lead else en


def _slug(words: str) -> str:
    return fold(words).replace(" ", "-")


@lru_cache(maxsize=256)
def _jurisdiction(issuer: Optional[str], place: Optional[str]) -> str:
    """Where the issuing body sits: "phuong-mong-cai-1" for "Đảng ủy phường Móng Cái 1"."""
    if issuer:
        reg = _registry()
        text = _modern_tones(issuer)
        for m in regex.finditer(_LEFT + r"\p{L}", text):
            b = _chain(text, m.start(), reg)
            if b:
                levels = [p for p in b.parts if p.kind in ("level", "place")]
                if levels:
                    return _slug(" ".join(text[p.start:p.end] for p in levels))
                break
    return _slug(place) if place else ""


def _key(text: str, body: _Body, name: str, ctx: Optional[DocContext], reg: _Registry) -> str:
    info = ctx.info if ctx else None
    home = _jurisdiction(info.issuer if info else None, info.place if info else None)
    organs = [p for p in body.parts if p.kind in ("organ", "head")]
    levels = [p for p in body.parts if p.kind in ("level", "place")]
    own_level = _slug(" ".join(p.entry.name if p.kind == "level" else text[p.start:p.end] for p in levels))
    named_place = any(p.kind == "place" for p in levels)
    self_placed = any(p.entry.place_after for p in organs if p.entry)
    plural = any(p.entry.plural for p in levels if p.kind == "level")
    if self_placed:
        where = own_level  # "Tỉnh ủy" names its own level; the issuer's ward is not its place
    elif named_place or not home:
        where = own_level or home
    elif not levels or home.startswith(own_level + "-"):
        where = home  # "phường" in a ward's document is that ward
    elif plural:
        where = f"{own_level}-{home}"  # "các xã, phường" of this city
    else:
        where = own_level  # another level ("UBND tỉnh" in a city's document): its name is not known
    if body.kind != "organ":
        head = _slug(" ".join(text[p.start:p.end] for p in body.parts if p.kind not in ("level", "place")))
        return f"{head}@{where}" if where else head
    head, rest = organs[0].entry, [p.entry.id for p in organs[1:]]
    if not rest and head.parent:
        rest = [head.parent]
    if head.topic_after:  # each steering committee is its own body: "Ban Chỉ đạo 35", "Ban Chỉ đạo chuyển đổi số"
        topics = [_slug(text[p.start:p.end]) for p in body.parts if p.kind == "name"]
        head_id = "-".join([head.id, *topics])
        scope = "-".join(x for x in (*rest, where) if x)
        return f"{head_id}@{scope}" if scope else head_id
    scope = "-".join(x for x in (*rest, where) if x)
    return f"{head.id}@{scope}" if scope else head.id


def body_key(name: str, ctx: DocContext | None = None) -> str:
    """Canonical key of a body name, qualified by the issuing jurisdiction.

    >>> from pipeline.model import DocInfo
    >>> body_key("Uỷ ban kiểm tra Đảng uỷ", DocContext(info=DocInfo(issuer="Đảng ủy phường Móng Cái 1")))
    'ubkt@dang-uy-phuong-mong-cai-1'
    """
    reg = _registry()
    text = _modern_tones(" ".join(name.split()))
    body = _body(text, 0, reg)
    if body is None or body.end < len(text.rstrip()):
        info = ctx.info if ctx else None
        home = _jurisdiction(info.issuer if info else None, info.place if info else None)
        return f"{_slug(text)}@{home}" if home else _slug(text)
    return _key(text, body, _name(text, body), ctx, reg)


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
