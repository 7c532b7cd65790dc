"""Finding a body name at a position: the grammar of Vietnamese organ names.

organ (connector organ | level [place] | modifier | unlisted)*  — "Chi bộ cơ quan
Ủy ban MTTQ phường"; [quantifier] group noun modifier* [của|thuộc organ] level* —
"các cơ quan tham mưu giúp việc của Đảng ủy"; a capitalised head noun with a proper name
outside the registry — "Trung tâm Cung ứng dịch vụ công". Offices and the choice among
readings are in reading.py; where an unlisted name ends, in verbs.py.

>>> from .registry import _registry
>>> b = _chain("Ủy ban nhân dân tỉnh Lào Cai chủ trì", 0, _registry())
>>> [p.kind for p in b.parts], b.end
(['organ', 'level', 'place'], 28)
"""
from __future__ import annotations

from typing import Optional

from .registry import _Registry, _via_abbreviation
from .spans import _BELONGS, _Body, _CAP_WORD, _GROUP_COMMA, _OF, _Part, _after_space
from .places import _place, _place_list
from .topics import _topic
from .verbs import _field_run_to_level, _name_end, _verb_cut
from ...patterns import compiled

def _levels(text: str, pos: int, reg: _Registry, parts: list[_Part]) -> int:
    """Level words (each with an optional place) and modifiers after a name."""
    while True:
        nxt = _after_space(text, pos)
        if nxt is None:
            return pos
        lv = reg.levels.match(text, nxt)
        if lv and _via_abbreviation(lv[0], text[nxt:lv[1]]) and text[parts[0].start:nxt].isupper():
            lv = None  # in capitals "PHÒNG TƯ PHÁP" holds a word, not the abbreviation "TƯ"
        organ = reg.organs.match(text, nxt)
        group = _group(text, nxt, reg) if parts[0].kind == "organ" and parts[-1].kind == "organ" \
            and reg.quantifiers.match(text, nxt) else None
        if group and not (lv and lv[0].plural) and not (group.parts[1].entry.member_organs
                                                        and text[parts[0].start].isupper()) \
                and not (len(parts) == 1 and _kinds_of_units(group) > 1):
            # "Ban Thường vụ các đảng ủy cơ sở" and an organ of each of several kinds of unit
            # ("Công an các đơn vị, địa phương"), not "Sở Y tế các đơn vị …"
            group = None
        if group and group.end > (lv[1] if lv else nxt):
            # "Ban Tuyên giáo và Dân vận các huyện ủy, thị ủy, …": the organ of each of a
            # quantified group, which reads further than the plural level "các huyện".
            parts += group.parts
            return group.end
        if lv and lv[0].place_required:
            after = _after_space(text, lv[1])
            if after is None or not (_place(text, after, reg) or reg.levels.match(text, after)):
                lv = None  # "khu vực biên giới": a common noun, not a level
        if lv and not (organ and organ[1] > lv[1]):  # "Tỉnh ủy" is an organ, not the level "tỉnh"
            parts.append(_Part("level", nxt, lv[1], lv[0]))
            pos = lv[1]
            after = _after_space(text, pos)
            if after is not None and not lv[0].plural:
                place = _place(text, after, reg)
                if place:
                    parts.append(place)
                    pos = place.end
            elif lv[0].plural:
                pos = _and_member_units(text, _place_list(text, pos, reg, parts), reg, parts)
            continue
        md = None if any(p.kind == "modifier" and p.entry.final for p in parts) else reg.modifiers.match(text, nxt)
        # "tham mưu", "chức năng" describe a group noun right before them; after
        # an organ or a level they are the verb ("Chi bộ Quân sự xã tham mưu …").
        if md and (md[0].final or parts[-1].kind in ("group", "modifier")):
            parts.append(_Part("modifier", nxt, md[1], md[0]))
            pos = md[1]
            continue
        return pos


def _kinds_of_units(group: _Body) -> int:
    """How many unit nouns a quantified group lists ("các đơn vị, địa phương": 2)."""
    return sum(1 + p.entry.name.count(",") for p in group.parts if p.kind == "group" and p.entry)


_AND = compiled(r"[ \t]+(?i:và)[ \t]+")


def _and_member_units(text: str, pos: int, reg: _Registry, parts: list[_Part]) -> int:
    """ "Ban Thường vụ Đoàn các xã, phường và các đoàn trực thuộc Tỉnh đoàn": an organ of each
    place of a plural level and of each member unit listed after "và" is one body, as the
    document names it (member units: Party organisations, Youth Union branches)."""
    joined = _AND.match(text, pos) if parts[0].kind in ("organ", "head") else None
    group = _group(text, joined.end(), reg) if joined and reg.quantifiers.match(text, joined.end()) else None
    if not group or len(group.parts) < 2 or not group.parts[1].entry or not group.parts[1].entry.member_organs:
        return pos
    parts += [_Part("units", joined.start(), joined.end()), *group.parts]
    return group.end


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
        if first[0].level_only and len(parts) == 1:
            return None  # "Thuế" alone is tax, "Thuế tỉnh" the provincial tax office
        nxt = _after_space(text, end)
        if nxt is None:
            break
        if parts[-1].kind == "organ" and parts[-1].entry.place_after:
            place = _place(text, nxt, reg)
            if place:
                parts.append(place)
                end = place.end
                continue
        of = _OF.match(text, nxt) if parts[-1].kind in ("organ", "name") else None
        top = reg.organs.match(text, _after_space(text, of.end()) or of.end()) if of else None
        if top and not top[0].parent and not top[0].complement_only:
            # "Ủy ban Kinh tế của Quốc hội": a body of a top organ, named with "của".
            at = _after_space(text, of.end())
            parts += [_Part("of", nxt, of.end()), _Part("organ", at, top[1], top[0])]
            end = top[1]
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
        field = _field_run_to_level(text, nxt, reg) if parts[-1].kind == "organ" else None
        if field:  # "Ban Quản lý dự án đầu tư xây dựng phường": the organ's field, then its level
            parts.append(_Part("name", nxt, field))
            end = field
            continue
        break
    if first[0].leads_list:
        parts, end = _delegation_list(text, parts, end, reg)
    return _Body(pos, end, parts, "organ")


_DELEGATION_SEPARATOR = compiled(r"[ \t]*,[ \t]*|[ \t]+(?i:và)[ \t]+")


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
    organ = reg.organs.match(text, cur) if q and text[cur].isupper() else None
    if organ and (not g or organ[1] > g[1]):
        # "các Ban Quản lý dự án …", "các Ủy ban nhân dân xã": a capitalised organ the registry
        # knows, each of several, read as that organ's name (not the group noun "ban", "ủy ban").
        chain = _chain(text, cur, reg)
        if chain:
            return _Body(pos, chain.end, parts + chain.parts, "organ")
    if not g or (g[0].quantified and not q):
        return None
    parts.append(_Part("group", cur, g[1], g[0]))
    end = _levels(text, _coordinated(text, g, reg, parts, bool(q)), reg, parts)
    if any(p.kind == "modifier" and text[p.start].isupper() and not text[p.start:p.end].isupper() for p in parts):
        return None  # "Phòng Tham mưu", "Ban Chuyên trách": a capitalised word names one body, not a kind
    if parts[-1].kind == "modifier" and not parts[-1].entry.final:
        # "các phòng chuyên môn, đơn vị, địa phương": the list goes on after a modifier.
        end = _levels(text, _coordinated(text, (g[0], end), reg, parts, bool(q)), reg, parts)
    if g[0].takes_group and end == g[1]:
        # "chi ủy các chi bộ cơ sở": the committees of the groups named next.
        after = _after_space(text, end)
        owned = _group(text, after, reg) if after is not None else None
        if owned and owned.parts[0].kind == "quantifier":
            parts += owned.parts
            end = owned.end
    if q and end > g[1]:
        end = _repeated(text, end, g[0], reg, parts)
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


# "các sở, ban ngành và địa phương": group nouns of the state side joined by commas or "và".
_COORDINATION = compiled(r"[ \t]*,[ \t]*(?:(?i:và)[ \t]+)?|[ \t]+(?i:và)[ \t]+")


def _coordinated(text: str, first: tuple, reg: _Registry, parts: list[_Part], quantified: bool) -> int:
    """More group nouns joined to the first, each marked `coordinates` in the registry: "các sở,
    ngành, địa phương có liên quan" is one body. A quantified or capitalised member ("…, các
    tỉnh", "…, Ủy ban nhân dân") starts a body of its own; so does a Party group ("cấp ủy")."""
    entry, end = first
    while entry.coordinates:
        sep = _COORDINATION.match(text, end)
        nxt = reg.groups.match(text, sep.end()) if sep else None
        # A noun that is a group only after "các" ("phường, xã") joins a list that has one.
        if not nxt or not nxt[0].coordinates or (nxt[0].quantified and not quantified) \
                or not text[sep.end()].islower():
            break
        parts += [_Part("sep", sep.start(), sep.end()), _Part("group", sep.end(), nxt[1], nxt[0])]
        entry, end = nxt
    return end


def _repeated(text: str, end: int, noun, reg: _Registry, parts: list[_Part]) -> int:
    """The group noun said again with another qualifier: "các chi bộ ấp, chi bộ cơ quan" is one
    group, the cells of the hamlets and those of the offices (a level or one lower-case word)."""
    while True:
        comma = _GROUP_COMMA.match(text, end)
        again = reg.groups.match(text, comma.end()) if comma else None
        after = _after_space(text, again[1]) if again and again[0] is noun else None
        qualifier = (reg.levels.match(text, after) or reg.groups.match(text, after)) if after is not None else None
        if not qualifier or qualifier[1] == again[1]:
            return end
        parts += [_Part("sep", comma.start(), comma.end()), _Part("group", comma.end(), again[1], again[0]),
                  _Part("name", after, qualifier[1])]
        end = qualifier[1]


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
    of = _OF.match(text, nxt) or _BELONGS.match(text, nxt)
    at = _after_space(text, of.end()) if of else None
    level = reg.levels.match(text, at) if at is not None else None
    if level and not level[0].plural and not reg.organs.match(text, at):
        # "các cơ quan báo chí của tỉnh", "các sở, ngành thuộc thành phố Hà Nội": a level word
        # (and its place) after "của" / "thuộc" place the group.
        parts = [_Part("of", nxt, of.end()), _Part("level", at, level[1], level[0])]
        after = _after_space(text, level[1])
        place = _place(text, after, reg) if after is not None else None
        if place:
            parts.append(place)
        return parts, parts[-1].end
    if not link and not modified:
        return None
    at = _after_space(text, link.end()) if link else nxt
    chain = _chain(text, at, reg) if at is not None else None
    if not chain and link and at is not None:
        chain = _unlisted(text, at, reg)  # "các Vụ, Cục thuộc Bộ Y tế": an organ the registry does not list
        bare = reg.organs.match(text, at) if not chain else None
        if bare and bare[0].complement_only and not _LOWER_NAME_AFTER.match(text, bare[1]):
            # "các đơn vị thuộc Sở", "… thuộc Bộ": the issuing department or ministry
            chain = _Body(at, bare[1], [_Part("organ", at, bare[1], bare[0])], "organ")
    if not chain:
        return None
    return ([_Part("of", nxt, link.end())] if link else []) + chain.parts, chain.end


# A capitalised word right after a bare organ word continues another name ("Sở Y tế").
_LOWER_NAME_AFTER = compiled(r"[ \t]+\p{Lu}")
# A unit's code after its head noun: capitals then digits ("PC07", "PV01", "K02").
_UNIT_CODE = compiled(r"[A-ZĐ]{1,4}\d{1,3}(?![\p{L}\p{N}])")
_QUOTED_NAME = compiled(r"“[^“”\n]{2,60}”|\"[^\"\n]{2,60}\"")


def _unlisted(text: str, pos: int, reg: _Registry, lower_head: bool = False) -> Optional[_Body]:
    """A capitalised head noun and a capitalised name outside the registry — "Trung tâm Cung ứng dịch vụ công".

    `lower_head`: the head may be written in lower case, as after "Giao" ("Giao phòng
    Quản lý Công nghiệp triển khai"), where a capitalised name after it can only be a name.
    """
    head = reg.heads.match(text, pos)
    if not head or not (text[pos].isupper() or lower_head) or reg.not_head.match(text, pos):
        return None  # "BAN HÀNH KÈM THEO …" issues, "HỘI NGHỊ …" meets
    start = _after_space(text, head[1])
    level = reg.levels.match(text, start) if start is not None else None
    if level and _via_abbreviation(level[0], text[start:level[1]]) and text[pos:level[1]].isupper():
        level = None  # "PHÒNG TƯ PHÁP": a word of the name, not the abbreviation "TƯ"
    if level and text[pos].isupper():
        # "Thư viện tỉnh", "Bệnh viện huyện Bảo Yên": the head's own unit of a level; "Đại sứ quán
        # các nước: Ấn Độ, Nhật Bản": of each place listed.
        parts = [_Part("head", pos, head[1], head[0])]
        return _Body(pos, _levels(text, head[1], reg, parts), parts, "unlisted")
    # The first word is capitalised, so a proper name whatever it folds to:
    # "Giáo dục" is not the verb "giao", "Giao thông" is a name ("Sở Giao thông vận tải").
    named = (_UNIT_CODE.match(text, start) or _QUOTED_NAME.match(text, start)) if start is not None else None
    if named and text[pos].isupper():
        # "Phòng PC07": a unit named by its code; "Câu lạc bộ “Thanh niên với chuyển đổi số” tỉnh":
        # a name in quotation marks, whatever its words
        parts = [_Part("head", pos, head[1], head[0]), _Part("name", start, named.end())]
        return _Body(pos, _levels(text, named.end(), reg, parts), parts, "unlisted")
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
    of = _chain(text, _after_space(text, end) or end, reg) if end == parts[1].end else None
    if of:  # "Ban Dân chủ - Pháp luật Ủy ban MTTQ tỉnh": a board of the organ named next
        parts, end = parts + of.parts, of.end
    return _Body(pos, end, parts, "unlisted")
