"""Lists of bodies and distribution: "A, B và C", "Giám đốc các Sở: Nội vụ, Tài chính".

>>> from .registry import _registry
>>> items, end = _body_list("Sở Nội vụ, Sở Tài chính chủ trì", 0, _registry())
>>> len(items), end
(2, 23)
"""
from __future__ import annotations

from typing import Optional

import regex

from .registry import _Registry
from .spans import _Body, _CAP_WORD, _Part, _after_space
from .names import _chain, _group, _levels
from .reading import _body, _office
from .verbs import _name_end, _verb_cut
from .naming import _surface
from .relative import _with_relative
from ...patterns import compiled

# --- distributive lists ---------------------------------------------------------

# "Giám đốc các Sở: Nội vụ, Tài chính": a plural head noun, a colon, then the
# members' own names; each member is one body ("Giám đốc Sở Nội vụ", …).
_DISTRIBUTE = compiled(r"[ \t]*:[ \t]*")
_MEMBER_SEP = compiled(r"[ \t]*[,;][ \t]*(?:(?i:và)[ \t]+)?|[ \t]+(?i:và)[ \t]+")


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
    head_kept = bool(head) and head[1] == noun.end and not head[0].generic
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


def _organ_of_each(text: str, b: _Body, reg: _Registry) -> _Body:
    """An organ before a distributive list is the organ of each member: "Đảng ủy các sở: Xây
    dựng, Công Thương" → "Đảng ủy Sở Xây dựng", "Đảng ủy Sở Công Thương"."""
    at = _after_space(text, b.end) if b.kind == "organ" else None
    group = _group(text, at, reg) if at is not None else None
    if not group or group.parts[0].kind != "quantifier" or len(group.parts) != 2 \
            or not _DISTRIBUTE.match(text, group.end):
        return b
    return _Body(b.start, group.end, b.parts + group.parts, "office")


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

_SEPARATOR = compiled(r"[ \t]*[,;][ \t]*(?:(?i:và|cùng)[ \t]+)?|[ \t]+(?i:và|cùng với|cùng)[ \t]+")
# A member's own note, passed over to the next member: "Phòng Cảnh sát … (sau đây viết tắt là
# Phòng PC07) và Đài Phát thanh …", "Sở Tài chính (cơ quan thường trực), Sở Y tế".
_MEMBER_NOTE = compiled(r"[ \t]*\([^()\n]{1,80}\)")


def _body_list(text: str, pos: int, reg: _Registry, lower_heads: bool = False) -> tuple[list[_Body], int]:
    """Bodies in a list at pos ("A, B và C"); people in the list are skipped.

    `lower_heads` after an assignment or a "phối hợp" cue: "giao phòng Quản lý Công nghiệp".
    """
    items: list[_Body] = []
    cur = end = pos
    while True:
        b = _body(text, cur, reg, lower_heads)
        if b and not items and _bare_group(b):
            # "Đơn vị chủ trì: …" — a lone group noun opens no list; "…, cơ quan, đơn vị" may end one,
            # and a relative clause makes it a body ("Cơ quan được giao … có trách nhiệm").
            narrowed = _with_relative(text, b, reg)
            b = narrowed if narrowed.end > b.end else None
        members = _distributed(text, _organ_of_each(text, b, reg), reg) if b else None
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
        note = _MEMBER_NOTE.match(text, end)
        sep = _SEPARATOR.match(text, note.end() if note else end)
        nxt = _body(text, sep.end(), reg, lower_heads) if sep else None
        if nxt and ";" in sep.group() and _bare_group(nxt):
            break  # "Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: …" — a new field, not a member
        if not sep or not (nxt or reg.people.match(text, sep.end())):
            break
        cur = sep.end()
    if items and end == items[-1].end:
        # "cơ quan, tổ chức, đơn vị được giao quản lý tài sản công có trách nhiệm …"
        items[-1] = _with_relative(text, items[-1], reg)
        end = items[-1].end
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
