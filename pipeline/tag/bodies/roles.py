"""Roles: where in a clause a body is made responsible (SPEC §3).

- owner: the subject list that opens the clause (or a heading), "Giao X …",
  "Đề nghị X …", "Yêu cầu X …" after the issuer, "Đối với X:", "X chủ trì" at a
  sentence start, "do X chủ trì", "Đơn vị chủ trì: X";
- support: "phối hợp (với) X", "với sự phối hợp của X", "X phối hợp",
  "Đơn vị phối hợp: X".

Everything else a clause mentions (issuers of cited documents, objects of
"chỉ đạo"/"giám sát", recipients of "báo cáo"/"tham mưu", bodies in later
sentences) is not responsible.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

import regex

from ...fold import fold
from ...model import BodyRef, DocContext
from .registry import _LEFT, _RIGHT, _Registry, _modern_tones, _registry
from .spans import _Body
from .names import _body
from .lists import _body_list
from .naming import _english, _key, _name, _reading, body_key

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
