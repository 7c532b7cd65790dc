"""Reading one body at a position: the longest of its readings.

An office over what it leads ("Giám đốc Sở Tài chính", "Các đồng chí Ủy viên Ban Chấp
hành …"), a chain of registry organs ("Chi bộ cơ quan Ủy ban MTTQ phường"), a group ("các cơ
quan tham mưu giúp việc của Đảng ủy") or an unlisted organ ("Trung tâm Cung ứng dịch vụ công").

>>> from .registry import _registry
>>> _body("Giám đốc Sở Tài chính bố trí kinh phí", 0, _registry()).end
21
"""
from __future__ import annotations

from contextvars import ContextVar
from typing import Optional

import regex

from ...fold import fold
from .registry import _Registry, _words_key
from .spans import _Body, _Part, _after_space
from .names import _chain, _group, _unlisted
from ...patterns import compiled


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
    last = list(regex.finditer(r"[\p{L}\p{N}]+", text[:off[1]], pos=cur))[-1].start()
    organ = reg.organs.match(text, last) if last > cur and text[last].isupper() else None
    shorter = reg.offices.match(text[:last].rstrip(), cur) if organ and organ[1] > off[1] else None
    if shorter and shorter[1] == len(text[:last].rstrip()):
        off = shorter  # "Trưởng | Ban Chỉ đạo": the office's last word begins the organ it leads
    alone = _Body(pos, off[1], parts + [_Part("office", cur, off[1], off[0])], "office")
    standalone = fold(text[cur:off[1]]) in reg.standalone_offices
    after = _after_space(text, off[1])
    if after is None:
        return alone if standalone else None
    # "Trưởng phòng Quản lý công nghiệp": the office's own unit, its head noun in lower case.
    chain = _chain(text, after, reg)
    unlisted = _registry_first(text, chain, _unlisted(text, after, reg, lower_head=True))
    readings = [b for b in (chain, _group(text, after, reg), unlisted) if b]
    led = max(readings, key=lambda b: b.end) if readings else None
    if not led:
        return alone if standalone else None
    led_parts, end = led.parts, led.end
    if led.kind == "group" and led.parts[0].kind == "group":
        led_parts, end = _led_list(text, led, reg)
    return _Body(pos, end, parts + [_Part("office", cur, off[1], off[0])] + led_parts, "office")


_LED_SEPARATOR = compiled(r"[ \t]*,[ \t]*(?:(?i:và)[ \t]+)?|[ \t]+(?i:và)[ \t]+")


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


# A lower-case word after a registry organ ends the organ's name, but "và" before a capital
# joins the next word of a name ("Phòng Kinh tế và Hạ tầng").
_LOWER_WORD_AFTER = compiled(r"[ \t]+(?!(?i:và)[ \t]+\p{Lu})\p{Ll}")


def _registry_first(text: str, chain: Optional[_Body], unlisted: Optional[_Body]) -> Optional[_Body]:
    """`unlisted`, unless the registry's reading of the same words ends before a lower-case word:
    "Sở Tài chính thẩm định", "Giám đốc Sở Y tế trực tiếp chỉ đạo" — the registry knows where
    "Sở Tài chính" ends; an unlisted reading runs on only with a capitalised word ("Ban Quản lý
    Khu du lịch …")."""
    if chain and unlisted and chain.end > unlisted.parts[0].end and _LOWER_WORD_AFTER.match(text, chain.end):
        return None
    return unlisted


# The short names the document being tagged defines, folded ("trung tam" for "(sau đây gọi tắt là
# Trung tâm)"); set by find_bodies for the clause it reads.
DEFINED_SHORT_NAMES: ContextVar[tuple[str, ...]] = ContextVar("defined_short_names", default=())
_NAME_WORD = compiled(r"[\p{L}\p{N}]+")


def _defined(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """A short name the document defined, written with its capital: "Trung tâm bố trí địa điểm"
    after "Trung tâm Hoạt động thanh thiếu nhi tỉnh (sau đây gọi tắt là Trung tâm)". Its name is
    the full one (aliases.with_full_names)."""
    if not text[pos:pos + 1].isupper():
        return None
    for short in DEFINED_SHORT_NAMES.get():
        words = list(_NAME_WORD.finditer(text, pos, min(len(text), pos + 4 * len(short))))[:len(short.split())]
        if len(words) == len(short.split()) and words[0].start() == pos \
                and fold(" ".join(w.group() for w in words)) == short:
            end = words[-1].end()
            head = reg.heads.match(text, pos)
            part = _Part("head", pos, end, head[0]) if head and head[1] == end else _Part("name", pos, end)
            return _Body(pos, end, [part], "unlisted")
    return None


def _body(text: str, pos: int, reg: _Registry, lower_heads: bool = False) -> Optional[_Body]:
    """The longest body name starting exactly at pos (`lower_heads`: see `_unlisted`)."""
    chain = _chain(text, pos, reg)
    unlisted = _registry_first(text, chain, _unlisted(text, pos, reg, lower_heads))
    found = [b for b in (_office(text, pos, reg), chain, _group(text, pos, reg), unlisted,
                         _sector(text, pos, reg), _person_in_role(text, pos, reg), _of_each(text, pos, reg),
                         _defined(text, pos, reg)) if b]
    return max(found, key=lambda b: b.end) if found else None


def _of_each(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """"các Đại sứ quán các nước: Ấn Độ, Nhật Bản": "các" before an unlisted organ of each of a set."""
    q = reg.quantifiers.match(text, pos)
    after = _after_space(text, q.end()) if q else None
    found = _unlisted(text, after, reg) if after is not None else None
    if not found or not any(p.kind == "level" and p.entry.plural for p in found.parts):
        return None
    return _Body(pos, found.end, found.parts, found.kind)


_SECTOR = compiled(r"(?i:ngành)[ \t]+")
_FIELD_JOIN = compiled(r"[ \t]*,[ \t]*|[ \t]+(?i:và)[ \t]+|[ \t]*[-–][ \t]*|[ \t]+")


def _sector(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """A sector as a subject: "Ngành y tế", "ngành giáo dục và đào tạo" — "ngành" and words of a
    field the tables know (models/bodies.yaml field_words), in any case."""
    m = _SECTOR.match(text, pos)
    head = reg.heads.match(text, pos) if m else None
    if not head:
        return None
    end, cur = m.end(), m.end()
    while True:
        known = next((j for j in range(min(len(text), cur + 40), cur, -1)
                      if (j == len(text) or not text[j].isalnum()) and _words_key(text[cur:j]) in reg.field_words), None)
        if known is None:
            break
        end = known
        join = _FIELD_JOIN.match(text, end)
        if not join:
            break
        cur = join.end()
    if end == m.end():
        return None
    return _Body(pos, end, [_Part("head", pos, head[1], head[0]), _Part("name", m.end(), end)], "sector")


# "Ông Nguyễn Văn An - Trưởng đoàn", "Bà Lê Thị Hoa, Phó Giám đốc Sở": a person named with the
# office they hold in a team. People by name alone are no body (SPEC §3); with their office,
# the office is.
_HONORIFIC = compiled(r"(?i:ông|bà|đồng chí|đ/c)[ \t]+")
_PERSON = compiled(r"\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){1,3}")
_ROLE_MARK = compiled(r"[ \t]*(?:[-–,:]|\()[ \t]*")


def _person_in_role(text: str, pos: int, reg: _Registry) -> Optional[_Body]:
    """An honorific, a person's name, then the office they hold (with what it leads)."""
    honorific = _HONORIFIC.match(text, pos)
    person = _PERSON.match(text, honorific.end()) if honorific else None
    mark = _ROLE_MARK.match(text, person.end()) if person else None
    if not mark:
        return None
    office = _office(text, mark.end(), reg)
    if office is None:
        return None
    end = office.end + (1 if text[mark.start():mark.end()].strip() == "(" and text[office.end:office.end + 1] == ")" else 0)
    return _Body(pos, end, [_Part("name", person.start(), person.end()), _Part("sep", person.end(), mark.end())]
                 + office.parts, "person")
