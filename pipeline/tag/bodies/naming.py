"""Naming and keys: canonical Vietnamese name, English name and canonical key of a body read.

The registry supplies canonical spellings and English for the organs it lists;
everything else keeps its wording, and its English is composed from the parts
(head noun, field, level, place) so that no Vietnamese word is left in it.

>>> body_key("UBND tỉnh")
'ubnd@tinh'
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from ...fold import fold
from ...model import DocContext
from .registry import _Entry, _words_key, _LEFT, _Registry, _is_abbreviation, _key_of, _modern_tones, _registry
from .spans import _Body, _Part
from .names import _chain, _unlisted
from .reading import _body
from ...patterns import compiled

_SPACED_DASH = compiled(r"\s*[-–]\s*")

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

_QUANTIFIED = compiled(r"(?i:các|một số|những)\s")


def _surface(text: str, part: _Part) -> str:
    return " ".join(_SPACED_DASH.sub(" - ", text[part.start:part.end]).split())


def _name(text: str, body: _Body) -> str:
    """Canonical Vietnamese name: registry spelling for organs and levels, wording kept elsewhere."""
    words = []
    # A heading in capitals ("TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ") says nothing of casing:
    # common words go to lower case, place names to title case.
    capitals = text[body.start:body.end].isupper()
    for i, p in enumerate(body.parts):
        if capitals and p.kind not in ("organ", "level", "sep"):
            s = _surface(text, p)
            # An unlisted organ's head and the first word of its name keep a capital ("Phòng Tư pháp").
            first = p.kind == "head" or p.kind == "name" and i and body.parts[i - 1].kind == "head"
            words.append(s.title() if p.kind == "place" else s.capitalize() if first else s.lower())
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
            words.append(level if level[0].isupper() else level[0].lower() + level[1:])
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
            if p.kind == "head" and not (i and body.parts[i - 1].kind == "office"):
                s = s[0].upper() + s[1:]  # "giao phòng Quản lý Công nghiệp": the organ is "Phòng …"
            if i == 0 and (p.kind in ("quantifier", "group", "prefix") or body.kind == "wording" and _QUANTIFIED.match(s)):
                s = s[0].lower() + s[1:]  # "Các Đại sứ quán" at a line's start: "các" is no name
            words.append(s)
    return " ".join(words)




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


def _member_units_at(body: _Body) -> Optional[int]:
    """Where "và các <member units>" joins an organ of each place (names._and_member_units)."""
    return next((i for i, p in enumerate(body.parts) if p.kind == "units"), None)


def _english(text: str, body: _Body, reg: _Registry) -> str:
    """English name composed from the parts: "Executive Committee of the ward Party Organisation"."""
    if body.kind == "wording":  # an item the grammar cannot read: no word of it is translated
        return _name(text, body)
    if body.kind == "person":  # "Nguyễn Văn An - Trưởng đoàn" → "Team Leader (Nguyễn Văn An)"
        office = _Body(body.parts[2].start, body.end, body.parts[2:], "office")
        return f"{_english(text, office, reg)} ({_surface(text, body.parts[0])})"
    if body.kind == "sector":  # "ngành giáo dục và đào tạo" → "Education and Training sector"
        return f"{_field_english(_surface(text, body.parts[-1]), reg)} sector"
    units = _member_units_at(body)
    if units is not None:  # "Ban Thường vụ Đoàn các xã, phường và các đoàn trực thuộc …" (names.py)
        first = _Body(body.start, body.parts[units].start, body.parts[:units], body.kind)
        rest = _Body(body.parts[units + 1].start, body.end, body.parts[units + 1:], "group")
        return f"{_english(text, first, reg)}, and of the {_english(text, rest, reg)}"
    segments: list[str] = []
    qualifiers: list[str] = []
    lead = ""
    joined = untranslated = False
    for p in body.parts:
        if p.kind == "sep":
            joined = bool(segments)
        elif p.kind in ("organ", "head", "group") and joined:
            segments[-1] += " and " + p.entry.en  # members of one body: "divisions and units"
            joined = False
        elif p.kind in ("organ", "head", "group"):
            segments.append(p.entry.en)
        elif p.kind == "name" and segments:
            field = _field_english(_surface(text, p), reg)
            if field is None:
                untranslated = True
            elif fold(_surface(text, p)).startswith("quoc gia"):
                segments[-1] = f"National {segments[-1]}{field[len('National'):]}"  # "Ban Chỉ đạo quốc gia về …"
            else:
                segments[-1] += f" of {field}" if field else ""
        elif p.kind == "level" and segments:
            segments[-1] = f"{p.entry.en} {segments[-1]}" if not p.entry.plural else f"{segments[-1]} {p.entry.en}"
        elif p.kind == "place" and segments:
            qualifiers.append(_surface(text, p))
        elif p.kind == "relative":  # "… được giao quản lý tài sản công": no word-by-word English
            untranslated = True
        elif p.kind == "modifier" and segments:
            segments[-1] = f"{p.entry.en} {segments[-1]}"
        elif p.kind == "office":
            lead = p.entry.en
            # "Giám đốc Sở Tài chính" is one director; "Giám đốc các Sở", "Các đồng chí Ủy viên" many.
            # "Đồng chí Bí thư" is one; "Các đồng chí Ủy viên" many.
            if not any(q.kind in ("quantifier", "group") or (q.entry and q.entry.plural)
                       or q.kind == "prefix" and fold(text[q.start:q.end]).startswith("cac") for q in body.parts):
                lead = regex.sub(r"ies$", "y", lead) if lead.endswith("ies") else regex.sub(r"s$", "", lead)
    organs = " ".join(p.entry.name for p in body.parts if p.kind == "organ")
    en = reg.composites.get(_key_of(organs)) if body.kind == "organ" else None
    en = en or " of the ".join(segments)
    if untranslated:
        # No word-by-word English for a name the tables cannot read: the kind of body in
        # English, then its Vietnamese name ("Centre – Trung tâm Bảo tồn Di sản Thăng Long").
        return f"{en} – {_name(text, body)}" if en else _name(text, body)
    if qualifiers:
        en += " (" + ", ".join(qualifiers) + ")"
    return f"{lead} of the {en}" if lead and en else lead or en


# Joiners inside a field: "Văn hóa, Thể thao và Du lịch", "Lao động - Thương binh và Xã hội".
_FIELD_JOINER = compiled(r"(\s*(?:,|[-–]|(?<![\p{L}])(?i:và)(?![\p{L}]))\s*)")
_DASH_JOINER = compiled(r"\s*[-–]\s*")
# "về" opens the topic of a committee: "quốc gia về chuyển đổi số" → "National … on Digital Transformation".
_ABOUT = compiled(r"\s+(?i:về)\s+")


def _field_english(field: str, reg: _Registry) -> Optional[str]:
    """English for the field of an unlisted organ, or None when a word is unknown.

    >>> from .registry import _registry
    >>> _field_english("Quản lý Công nghiệp", _registry())
    'Industry Management'
    >>> _field_english("quốc gia về chuyển đổi số", _registry())
    'National on Digital Transformation'
    """
    known = reg.field_names.get(_words_key(field))
    if known:
        return known
    about = _ABOUT.split(field, maxsplit=1)
    if len(about) == 2:
        head, topic = (_field_english(x, reg) if x else "" for x in about)
        return None if head is None or topic is None else f"{head} on {topic}".strip()
    tokens = _FIELD_JOINER.split(field)  # piece, joiner, piece, …
    pieces = [tokens[0]]
    for joiner, piece in zip(tokens[1::2], tokens[2::2]):
        if _DASH_JOINER.fullmatch(joiner) and _is_proper(pieces[-1].split()[-1:], reg) and _is_proper(piece.split(), reg):
            pieces[-1] += " - " + piece  # "Thăng Long - Hà Nội" is one place
        else:
            pieces.append(piece)
    pieces = [x for x in pieces if x.strip()]
    english = [_term_english(x, reg) for x in pieces]
    if any(e is None for e in english):
        return None
    if len(english) == 1:
        return english[0]
    return ", ".join(english[:-1]) + " and " + english[-1]


def _is_proper(words: list[str], reg: _Registry) -> bool:
    """Capitalised words that no field table knows: a place or a person's name."""
    return bool(words) and all(w[:1].isupper() or w.isdigit() for w in words) \
        and not any(_words_key(w) in reg.field_words for w in words)


def _term_english(term: str, reg: _Registry) -> Optional[str]:
    """One term of a field, longest known words first, in English order ("Bảo tồn Di sản" →
    "Heritage Conservation"); a run of capitalised words no table knows is a proper name."""
    words = term.split()
    out, i = [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            english = reg.field_words.get(_words_key(" ".join(words[i:j])))
            if english:
                out.append(english)
                i = j
                break
        else:
            proper = []
            while i < len(words) and (words[i][:1].isupper() or words[i].isdigit() or words[i] in "-–"):
                proper.append(words[i])
                i += 1
            if not proper:
                return None
            out.append(" ".join(proper))
            if i == len(words) and len(out) > 1:
                # A proper name closing the term is where it is: "Thể thao Hà Nội" → "Sports (Hà Nội)".
                return " ".join(reversed(out[:-1])) + f" ({out[-1]})"
    return " ".join(reversed(out))


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
    units = _member_units_at(body)
    if units is not None:  # the organ of each place, and of the member units named after "và"
        first = _Body(body.start, body.parts[units].start, body.parts[:units], body.kind)
        return f"{_key(text, first, name, ctx, reg)}+{_slug(text[body.parts[units + 1].start:body.end])}"
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


def describe_body(name: str, key: str = "") -> dict:
    """How a body reads: canonical name, the same without its place, level and place
    (`scoped` when the place is the key's slug, not the name's words).

    The level is the first level word of the name, else of the key's scope (where the body
    was found: "hdnd@tinh-lao-cai" is a province's council); the place is the name's own,
    else the rest of the scope after the level, as a slug ("lao-cai").

    >>> d = describe_body("UBND tỉnh Lào Cai")
    >>> d["name"], d["bare"], d["level"], d["place"]
    ('Ủy ban nhân dân tỉnh Lào Cai', 'Ủy ban nhân dân tỉnh', 'tỉnh', 'Lào Cai')
    >>> describe_body("Hội đồng nhân dân tỉnh", "hdnd@tinh-lao-cai")["place"]
    'lao-cai'
    """
    reg = _registry()
    text = _modern_tones(" ".join(name.split()))
    body = _body(text, 0, reg)
    out = {"name": text, "bare": text, "level": "", "place": "", "scoped": False}
    if body is not None and body.end >= len(text.rstrip()):
        out["name"] = _name(text, body)
        places = [p for p in body.parts if p.kind == "place"]
        levels = [p for p in body.parts if p.kind == "level"]
        named = [p for p in body.parts if p.kind == "name"]
        if not places and named and body.parts[-1] is named[-1]:
            # "Sở Văn hóa và Thể thao Hà Nội": capitalised words no field table knows, closing
            # an unlisted name, are its place.
            words = _surface(text, named[-1]).split()
            tail = 0
            while tail < len(words) and _is_proper(words[len(words) - tail - 1:], reg):
                tail += 1
            # Only after a lower-case field word ("… Thể thao Hà Nội"): a name that is a place
            # through and through ("Bảo tàng Hà Nội") keeps it.
            if tail and tail < len(words) and words[-tail - 1].islower() and words[-tail - 1].isalpha():
                out["place"] = " ".join(words[-tail:])
                out["bare"] = out["name"][:len(out["name"]) - len(out["place"])].rstrip(" ,-")
        if places:
            out["place"] = " ".join(_surface(text, p) for p in places)
            bare = _Body(body.start, places[0].start, [p for p in body.parts if p.end <= places[0].start], body.kind)
            out["bare"] = _name(text, bare).rstrip(" ,")
        elif not out["place"]:
            out["bare"] = out["name"]
        if levels:
            out["level"] = levels[0].entry.name
    scope = key.partition("@")[2]
    if scope and not out["level"]:
        out["level"] = next((e.name for e in _level_entries() if scope == _slug(e.name)
                             or scope.startswith(_slug(e.name) + "-") or f"-{_slug(e.name)}-" in f"-{scope}-"), "")
    if scope and not out["place"] and out["level"]:
        level_slug = _slug(out["level"])
        at = f"-{scope}-".find(f"-{level_slug}-")
        out["place"] = scope[at + len(level_slug) + 1:] if at >= 0 else ""
        out["scoped"] = bool(out["place"])
    return out


@lru_cache(maxsize=1)
def _level_entries() -> tuple:
    """Singular level words, longest first ("thị trấn" before "thị xã" before "xã")."""
    return tuple(sorted((e for e in _registry().levels.entries.values() if not e.plural),
                        key=lambda e: len(e.name), reverse=True))
