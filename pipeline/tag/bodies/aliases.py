"""Short names a document defines for a body: "Ủy ban nhân dân các huyện, thị xã, thành phố
(sau đây gọi chung là UBND cấp huyện)". Later mentions of the short name are that body.

>>> short_names("1. Đề nghị Ủy ban nhân dân các huyện, thị xã, thành phố (sau đây gọi chung là UBND cấp huyện):")
(('ubnd cap huyen', 'Ủy ban nhân dân các huyện, thị xã, thành phố'),)
>>> short_names("| 4 | Ra quân | Tổ trật tự đô thị phường (sau đây gọi tắt là Tổ trật tự) |")
(('to trat tu', 'Tổ trật tự đô thị phường'),)
>>> short_names("theo Nghị định số 54/2024/NĐ-CP của Chính phủ (sau đây gọi là việc mua sắm hàng hóa)")
()
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

import regex

from ...fold import fold
from ...model import BodyRef, DocContext
from .lists import _body_list
from .naming import _english, _key, _name, body_key
from .registry import _modern_tones, _registry
from ...patterns import compiled

# "(sau đây gọi chung là …)", "(sau đây gọi tắt là …)", "(sau đây viết tắt là …)", "(gọi tắt là …)".
_DEFINES = compiled(r"[ \t]*\((?:sau[ \t]+đây[ \t]+)?(?:gọi|viết)(?:[ \t]+(?:chung|tắt))?[ \t]+là[ \t]+"
                         r"(?P<short>[^()\n]{1,60})\)")
_REACH = 160  # how far before the bracket the defined body may start
_ITEM = compiled(r"(?:^|[|;:\n]|\.[ \t])[ \t]*(?P<name>\p{Lu}[^|;:\n.()]*?)[ \t]*$")
_ITEM_MAX_WORDS = 8


def short_names(text: str) -> tuple[tuple[str, str], ...]:
    """(folded short name, the body's name as written) for every short name `text` defines."""
    reg = _registry()
    norm = _modern_tones(text)
    out: dict[str, str] = {}
    for m in _DEFINES.finditer(norm):
        short = fold(m.group("short")).strip()
        written = m.group("short").strip()
        if written[:1].islower() and not _body_list(written, 0, reg)[0]:
            continue  # "(sau đây gọi là việc mua sắm …)" names a matter, not a body
        for w in regex.finditer(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]", norm[:m.start()], pos=max(0, m.start() - _REACH)):
            items, _ = _body_list(norm, w.start(), reg)
            # the longest body that ends at the bracket, first of its list (the list may go on after
            # the bracket: "Phòng … (sau đây viết tắt là Phòng PC07) và Đài …")
            if items and items[0].end == m.start():
                out.setdefault(short, text[w.start():m.start()])
                break
        else:
            # A name the grammar cannot read, alone in its cell, item or line: its wording.
            item = _ITEM.search(norm[:m.start()])
            if item and len(item.group("name").split()) <= _ITEM_MAX_WORDS:
                out.setdefault(short, text[item.start("name"):item.end("name")])
    return tuple(out.items())


def with_full_names(refs: list[BodyRef], ctx: Optional[DocContext]) -> list[BodyRef]:
    """Each reference whose whole mention is a short name the document defined, named as the body
    it stands for ("UBND cấp huyện" → "Ủy ban nhân dân các huyện, thị xã, thành phố")."""
    defined = dict(getattr(ctx, "short_names", ()) or ())
    if not defined:
        return refs
    reg = _registry()
    out = []
    for r in refs:
        full = defined.get(fold(r.mention).strip())
        norm = _modern_tones(full) if full else ""
        items, end = _body_list(norm, 0, reg) if full else ([], 0)
        if len(items) == 1 and end == len(norm):
            body = items[0]
            name = _name(norm, body)
            r = replace(r, name=name, en=_english(norm, body, reg), key=_key(norm, body, name, ctx, reg))
        elif full:  # a name the grammar cannot read keeps its wording, in English too (SPEC §3)
            r = replace(r, name=norm, en=norm, key=body_key(norm, ctx))
        out.append(r)
    return out
