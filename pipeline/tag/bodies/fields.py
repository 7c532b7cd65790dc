"""Field labels: "Đơn vị chủ trì: X", "Cơ quan phối hợp: Y" give their role to the bodies after
the colon (SPEC §3), item by item; `field_lines` finds the labels that open a line.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ...fold import fold
from .cues import _cues
from .reading import _body
from .registry import _Registry, _modern_tones
from .spans import _Body, _Part
from ...patterns import compiled


def _fields(text: str, reg: _Registry) -> list[tuple[_Body, str, int]]:
    """Bodies of field labels ("Đơn vị chủ trì: X", "Cơ quan phối hợp: Y"), with the label's start."""
    cues = _cues()
    out = []
    for m in cues.field.finditer(text):
        role = cues.field_roles[" ".join(fold(m.group("label")).split())]
        out += [(b, role, m.start()) for b in _field_value(text, m.end(), reg)]
    return out


# A field's value runs to the end of its sentence or line, or to the next field ("…; Cơ quan phối hợp: …").
_VALUE_END = compiled(r"[.\n]|;[ \t]*(?=\p{L}[^:;.\n]{0,40}:)")
_ITEM_SEPARATOR = compiled(r"[ \t]*[,;][ \t]*|[ \t]+(?i:và)[ \t]+")
# A short lower-case item after a "các …" item lists more of the same ("các nghệ sĩ, học sinh, sinh viên").
_SHORT_LOWER = compiled(r"\p{Ll}[\p{L}]*(?:[ \t]+\p{Ll}[\p{L}]*){0,2}")
# Lower-case words closing a list item after its name: what the body does or has there.
_LOWER_REST = compiled(r"(?:[ \t]+\p{Ll}[\p{L}]*)+[ \t]*")
_LOWER_GROUP = compiled(r"(?i:các)(?:[ \t,]+\p{Ll}[\p{L}]*)+")


def _field_value(text: str, start: int, reg: _Registry, end: Optional[int] = None) -> list[_Body]:
    """The bodies a field names: every item of its value is one ("Đơn vị phối hợp: Các Đại sứ quán,
    tổ chức quốc tế, các nghệ sĩ, học sinh"). An item the grammar reads is named by the grammar,
    with the lower-case words that close the item ("UBND các phường, xã diễn ra sự kiện": a list
    has no predicate); one it cannot read (people, groups it does not know) keeps its wording
    (SPEC §3). `end`: where the value ends, else at the end of its sentence or line."""
    if end is None:
        end_m = _VALUE_END.search(text, start)
        end = end_m.start() if end_m else len(text)
    items: list[tuple[int, int]] = []
    cur = start
    # "và" separates items only before a body ("các giám tuyển và đơn vị tư vấn"), not inside
    # one ("nhóm nghệ sĩ trong nước và nước ngoài").
    seps = [m for m in _ITEM_SEPARATOR.finditer(text, start, end)
            if "," in m.group() or ";" in m.group() or text[m.end()].isupper() or _body(text, m.end(), reg)
            or reg.quantifiers.match(text, m.end())]
    for sep in [*seps, None]:
        stop = sep.start() if sep else end
        if stop > cur:
            word = text[cur:stop]
            if items and _SHORT_LOWER.fullmatch(word) and not fold(word).startswith("cac ") \
                    and _LOWER_GROUP.fullmatch(text, *items[-1]) and not _body(text, cur, reg):
                items[-1] = (items[-1][0], stop)
            else:
                items.append((cur, stop))
        cur = sep.end() if sep else end
    bodies: list[_Body] = []
    covered = start
    for a, b in items:
        if a < covered:
            continue
        read = _body(text, a, reg, lower_heads=True)
        if read:
            # The item the name ends in ("UBND các phường, xã | diễn ra sự kiện" runs past a comma).
            close = next((y for x, y in items if x <= read.end < y), read.end)
            if close > read.end and _LOWER_REST.fullmatch(text, read.end, close):
                read = _Body(read.start, close, read.parts + [_Part("relative", read.end, close)], read.kind)
        if read and read.end >= b:
            bodies.append(read)
            covered = read.end
        elif not reg.people.match(text, a):
            bodies.append(_Body(a, b, [_Part("name", a, b)], "wording"))
            covered = b
    return bodies


@lru_cache(maxsize=4096)  # tagging asks it of a clause's text several times (its section, its points)
def field_lines(text: str) -> tuple[tuple[int, str], ...]:
    """Start and role of each field label that opens a line ("Đơn vị phối hợp: …").

    >>> field_lines("Tổ chức lễ khai mạc.\\nĐơn vị chủ trì: Sở Y tế.")
    ((21, 'owner'),)
    """
    cues = _cues()
    norm = _modern_tones(text)
    out = []
    for m in cues.field.finditer(norm):
        if m.start() == 0 or norm[:m.start()].rstrip(" \t").endswith("\n"):
            out.append((m.start(), cues.field_roles[" ".join(fold(m.group("label")).split())]))
    return tuple(out)
