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
from .spans import _Body, _Part, _after_space
from .reading import DEFINED_SHORT_NAMES, _body
from .lists import _body_list
from .cues import _cues
from .fields import _field_value, _fields
from .aliases import with_full_names
from .naming import _english, _key, _name, _reading, body_key
from ...patterns import compiled

_SPACES_COMMAS = compiled(r"[ \t,]*")

def _next_words(text: str, pos: int) -> str:
    return text[pos:pos + 30].lstrip(" \t,")


_PREDICATE_SUPPORT = compiled(r"(?i:phối hợp)" + _RIGHT)
_SENTENCE_START = compiled(r"(?:[.;:!?]|,)[ \t]*\n[ \t]*|(?:[.;:!?]|,)[ \t]+")
# A clause's own short title before a colon: a few words, no sentence inside.
_TITLE_LEAD = compiled(r"[^.;:!?]{1,80}")
_PREDICATE_FOLLOWS = compiled(r"[ \t]+\p{Ll}")
# "…; đại biểu các tỉnh, thành phố và thành phố Hà Nội theo …": a list going on, no predicate.
_JOINED_ON = compiled(r"[ \t]+(?i:và|hoặc)(?![\p{L}\p{N}])")
_FIRST_SENTENCE_END = compiled(r"[.;:](?:[ \t]|$)")
# A break after which "Đề nghị X" opens a new clause of its own.
_CLAUSE_BREAK = compiled(r"[.;:!?]")
# A title line over the clause's first sentence ("TỔ CHỨC THỰC HIỆN" / "Giao …"): one line
# that does not end a sentence; a title may join its phrases with ";" ("Phát triển hạ tầng số;
# bảo đảm an toàn thông tin").
# A clause that ends with a colon introduces the points under it.
_PREFACE_END = compiled(r"^[^.;!?]*:[ \t]*$")
_TITLE_LINE = compiled(r"[^\n.:!?]{0,159}[^\n.;:!?]\n[ \t]*")


# "X trong công tác / trong việc / trong quá trình …" before the points of a preface names their owner.
_IN_WORK_OF = compiled(r"(?i:trong)[ \t]+(?i:công[ \t]+tác|việc|quá[ \t]+trình)(?![\p{L}\p{N}])")
# "… do X ban hành": the issuer of a document is no owner; only the agent predicates above make one.
_AGENT = compiled(_LEFT + r"(?i:do)[ \t]+")


def _subject_role(text: str, end: int, reg: _Registry) -> Optional[str]:
    """What a subject list's next words make it: owner, support, or nothing."""
    rest = _next_words(text, end)
    if reg.owner_copulas.match(rest):
        return "owner"
    if _IN_WORK_OF.match(rest) and _PREFACE_END.search(text):
        return "owner"  # "X trong công tác triển khai các dự án … gồm:": the points are X's
    if _cues().assigning.match(rest) or reg.not_predicates.match(rest):
        return None
    return _support_or_lead(rest) or "owner"


def _support_or_lead(rest: str) -> Optional[str]:
    """The role "phối hợp" after a subject gives it: support, but owner with a partner named."""
    if _cues().leads_with.match(rest):
        return "owner"
    return "support" if _PREDICATE_SUPPORT.match(rest) else None


def _openings(text: str, reg: _Registry) -> list[int]:
    """Where a clause's subject may stand: its start (after "Đối với", "Trách nhiệm của" …),
    and the start of its second line when the first is a bare title ("TỔ CHỨC THỰC HIỆN")."""
    start = reg.subject_opener.match(text, 0).end()
    title = _TITLE_LINE.match(text, start)
    if title and not _body_list(text, start, reg)[0]:
        return [start, reg.subject_opener.match(text, title.end()).end()]
    return [start]


def _opening_subject(text: str, reg: _Registry) -> tuple[list[_Body], Optional[str], int]:
    """The subject list that opens the clause, after "Đối với" or an intro phrase ("Căn cứ …, X …");
    with the offset where its predicate starts."""
    for start in _openings(text, reg):
        items, end = _body_list(text, start, reg)
        if items:
            return items, _subject_role(text, end, reg), end
        if not reg.intro.match(text, start):
            continue
        stop = _FIRST_SENTENCE_END.search(text, start)
        limit = stop.start() if stop else len(text)
        for comma in regex.finditer(r",[ \t]+", text[:limit]):
            items, end = _body_list(text, comma.end(), reg)
            if items and not text[end:end + 1] in (",",):
                return items, _subject_role(text, end, reg), end
    return [], None, 0


# "… và các cơ sở đào tạo trên địa bàn (Trường A, Phân hiệu B)": a group, then its members in brackets.
_GROUP_THEN_BRACKET = compiled(r"[ \t]*(?:,|[ \t](?i:và))[ \t]+(?i:các)[ \t]+[\p{Ll} \t]{3,60}?\(")


def _bracketed_members(text: str, end: int, reg: _Registry) -> list[_Body]:
    """The members a list's closing group names in brackets, each with the list's role."""
    m = _GROUP_THEN_BRACKET.match(text, end)
    close = text.find(")", m.end()) if m else -1
    if close < 0:
        return []
    return [b for b in _field_value(text, m.end(), reg, end=close) if text[b.start].isupper()]


def _bracket_close(text: str, at: int) -> Optional[int]:
    """Where the bracket `at` stands in closes, when it opened right before a cue ("(phối hợp với …)")."""
    opened = text.rfind("(", 0, at)
    if opened < 0 or text[opened + 1:at].strip() or ")" in text[opened:at]:
        return None
    close = text.find(")", at)
    return close if close > 0 and "(" not in text[at:close] else None


def _continues_a_list(text: str, at: int, reg: _Registry) -> bool:
    """Whether the list of a role cue ("phối hợp với", "Giao") runs up to `at`: "phối hợp với Chủ
    tịch UBND huyện; thủ trưởng các ngành …" goes on listing partners after the semicolon."""
    cues = _cues()
    sentence = max(text.rfind(".", 0, at), text.rfind(";", 0, at))
    return any(_body_list(text, m.end(), reg, lower_heads=True)[1] >= at
               for cue in (cues.support, cues.assign) for m in cue.finditer(text, sentence + 1, at))


def _fronted_subject(text: str, start: int, reg: _Registry) -> tuple[list[_Body], int]:
    """The subject after a sentence's fronted circumstances ("Trường hợp …, X …"): the first body
    list after a comma of the sentence that a predicate of `sentence_owner_predicates` follows."""
    stop = _FIRST_SENTENCE_END.search(text, start)
    for comma in regex.finditer(r",[ \t]+", text[:stop.start() if stop else len(text)], pos=start):
        items, end = _body_list(text, comma.end(), reg)
        if items and _cues().sentence_owner.match(_next_words(text, end)):
            return items, end
    return [], start


def _requested(text: str, reg: _Registry, subject_end: int) -> list[_Body]:
    """The bodies of "yêu cầu X …" at an opening, or right after the speaking subject
    ("Ủy ban Thường vụ Quốc hội yêu cầu Chính phủ …")."""
    cues = _cues()
    if _PREFACE_END.search(text):
        # A preface over numbered points ("…, Thủ tướng Chính phủ yêu cầu X:"): its request
        # assigns wherever it stands.
        return [b for m in cues.request.finditer(text) for b in _body_list(text, m.end(), reg, lower_heads=True)[0]]
    for at in [*_openings(text, reg), subject_end]:
        m = cues.request.match(text, _SPACES_COMMAS.match(text, at).end())
        if m:
            return _body_list(text, m.end(), reg)[0]
    return []


def _role_spans(text: str, reg: _Registry, heading: bool) -> list[tuple[_Body, str]]:
    cues = _cues()
    found: list[tuple[_Body, str]] = []
    items, role, predicate_at = _opening_subject(text, reg)
    if role:
        found += [(b, role) for b in items]
    subject_end = items[-1].end if items and role else None
    found += [(b, "owner") for b in _requested(text, reg, predicate_at if items else 0)]
    for m in cues.assign.finditer(text):
        if cues.not_assigning.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if fold(m.group()).startswith("giao") and cues.allocated.search(text[max(0, m.start() - 80):m.start()]):
            continue  # "… dự toán ngân sách nhà nước năm 2027 giao Bộ Y tế": allocated to, not assigned
        if subject_end is not None and m.start() > subject_end and fold(m.group()).startswith(("de nghi", "moi")) \
                and not _CLAUSE_BREAK.search(text, subject_end, m.start()):
            continue  # "Chi ủy rà soát …, đề nghị Đảng ủy xã xem xét": a proposal the subject makes
        found += [(b, "owner") for b in _body_list(text, m.end(), reg, lower_heads=True)[0]]
    for m in cues.support.finditer(text):
        close = _bracket_close(text, m.start())
        # "(phối hợp với Sở X, UBND các phường diễn ra sự kiện và đơn vị tổ chức)": in brackets the
        # partners run to the bracket, item by item, as a field's value does.
        if close:
            found += [(b, "support") for b in _field_value(text, m.end(), reg, end=close)]
            continue
        items, end = _body_list(text, m.end(), reg, lower_heads=True)
        found += [(b, "support") for b in items + (_bracketed_members(text, end, reg) if items else [])]
    for m in cues.parallel.finditer(text):
        # "…; đồng thời Ủy ban nhân dân phường X đề xuất …": a second subject given its own task.
        items, end = _body_list(text, m.end(), reg)
        if items and _subject_role(text, end, reg) == "owner":
            found += [(b, "owner") for b in items]
    for m in cues.main_clause.finditer(text):
        # "Nếu …, … thì cơ quan, đơn vị có tài sản báo cáo …": the main clause's subject.
        items, end = _body_list(text, m.end(), reg)
        if items and _subject_role(text, end, reg) == "owner":
            found += [(b, "owner") for b in items]
    for m in cues.directing.finditer(text):
        # "Chỉ đạo Trung tâm Y tế huyện chủ trì, phối hợp với …": the one directed leads the work
        # ("X chủ trì", SPEC §3); directed to do anything else, X owns nothing.
        items, end = _body_list(text, m.end(), reg, lower_heads=True)
        if items and _next_words(text, end).lower().startswith("chủ trì"):
            found += [(b, "owner") for b in items]
    for m in _AGENT.finditer(text):
        items, end = _body_list(text, m.end(), reg)
        if items and cues.agent_predicate.match(_next_words(text, end)):
            found += [(b, "owner") for b in items]
    found += [(b, role) for b, role, _ in _fields(text, reg)]
    for m in _SENTENCE_START.finditer(text):
        segment = max(text.rfind(";", 0, m.start() + 1), text.rfind(".", 0, m.start() + 1)) + 1
        if ":" in text[segment:m.start() + 1] and cues.not_field.match(text, segment):
            continue  # "…; đối tượng giám sát: UBND tỉnh, Thanh tra tỉnh; …": the objects, not subjects
        items, end = _body_list(text, m.end(), reg)
        if not items and m.group()[0] in ".;" and reg.intro.match(text, m.end()):
            # ". Trường hợp …, sau khi …, cơ quan … có trách nhiệm kê khai": the subject after the
            # fronted circumstances of a later sentence.
            items, end = _fronted_subject(text, m.end(), reg)
        rest = _next_words(text, end)
        if items and (cues.sentence_owner.match(rest) if m.group()[0] == "." else
                      _PREDICATE_FOLLOWS.match(text, end) and not _JOINED_ON.match(text, end)
                      and _subject_role(text, end, reg) == "owner"
                      and not _continues_a_list(text, m.start(), reg) if m.group()[0] == ";" else
                      rest.lower().startswith("chủ trì")):
            # "…; Chánh Thanh tra tỉnh báo cáo …": a task of its own after a semicolon; after a
            # full stop only a predicate of responsibility makes a new subject an owner.
            found += [(b, "owner") for b in items]
        elif items and _PREDICATE_SUPPORT.match(rest):
            found += [(b, _support_or_lead(rest)) for b in items]
        elif items and m.group().startswith(":") and _TITLE_LEAD.fullmatch(text[:m.start()]) \
                and not cues.not_field.match(text) and _PREDICATE_FOLLOWS.match(text, end):
            # "Lấy ý kiến bằng văn bản: các cơ quan … có trách nhiệm trả lời": after a short
            # title the subject of the sentence is its owner, as at the clause's start.
            role = _subject_role(text, end, reg)
            found += [(b, role) for b in items] if role else []
    if heading:
        found = [(_whole_title(text, b), role) for b, role in found]
        # "Sở Nội vụ (Ban Thi đua - Khen thưởng Thành phố)": the unit in brackets does the work too.
        for b, role in list(found):
            bracket = _BRACKETED.match(text, b.end)
            unit = _body(text, bracket.end(), reg) if bracket and role == "owner" else None
            if unit and unit.kind in ("organ", "unlisted") and _BRACKET_END.match(text, unit.end):
                # not an office: "Phó Trưởng ban Thường trực (Phó Chủ tịch UBND tỉnh)" says who holds it
                found.append((unit, "owner"))
    return found


_BRACKETED = compiled(r"[ \t]*\([ \t]*")
_BRACKET_END = compiled(r"[ \t]*\)[ \t.:]*$")


# The rest of a title that is nothing but a name: capitalised words, with commas, dashes and "và".
_TITLE_REST = compiled(r"(?P<sep>[ \t]*[,–-]?[ \t]*)(?P<words>(?:(?i:và)[ \t]+)?\p{Lu}[\p{L}\p{N}]*"
                            r"(?:[ \t]+[\p{L}\p{N}]+)*)[ \t.:;]*$")


def _whole_title(text: str, body: _Body) -> _Body:
    """A heading that is nothing but an unlisted organ's name keeps all of it ("15. Đề nghị Cơ
    quan Báo và Phát thanh, Truyền hình Hà Nội"): capitalised words after the name read so far
    are still the name, since no predicate follows."""
    rest = _TITLE_REST.fullmatch(text, body.end)
    if body.kind != "unlisted" or not rest or not rest.group("words"):
        return body
    reg = _registry()
    if any(not w.group()[0].isupper() and reg.starts_stop(text, w.start())
           for w in regex.finditer(r"[\p{L}\p{N}]+", text[:rest.end("words")], pos=rest.start("words"))):
        return body  # a predicate follows: the title says what the organ does
    parts = list(body.parts)
    if rest.group("sep").strip():
        parts.append(_Part("sep", rest.start("sep"), rest.end("sep")))
    parts.append(_Part("name", rest.start("words"), rest.end("words")))
    return _Body(body.start, rest.end("words"), parts, body.kind)


def subject_offset(text: str) -> int:
    """Where a clause's subject may start: after "Đối với", "Trách nhiệm của", "Đề nghị" …

    >>> subject_offset("Trách nhiệm của Ban Thường vụ Tỉnh ủy")
    16
    >>> subject_offset("Đề nghị Ban Tuyên giáo Thành ủy")
    8
    """
    reg, cues = _registry(), _cues()
    norm = _modern_tones(text)
    openings = _openings(norm, reg)
    for start in openings:
        items, end = _body_list(norm, start, reg)
        if items:
            # "Ủy ban Thường vụ Quốc hội yêu cầu Chính phủ …": the speaker, then the owners.
            speaks = cues.assigning.match(norm, end + len(norm[end:]) - len(norm[end:].lstrip(" \t,")))
            if not speaks:
                return start
            start = _after_space(norm, speaks.end()) or start
        assign = cues.assign.match(norm, start) or cues.request.match(norm, start)
        if assign:
            return assign.end()
        if items:
            return start
    return openings[0]


def assigned_bodies(text: str, ctx: DocContext | None = None) -> list[BodyRef]:
    """The bodies a preface assigns with "Giao / Đề nghị / Yêu cầu X" (its speaker is none).

    >>> [b.name for b in assigned_bodies("Để làm tốt công tác này, Thủ tướng Chính phủ yêu cầu Bộ Y tế")]
    ['Bộ Y tế']
    """
    reg, cues = _registry(), _cues()
    norm = _modern_tones(text)
    spans = [(b, "owner") for verb in (cues.assign, cues.request) for m in verb.finditer(norm)
             if not cues.not_assigning.search(norm[max(0, m.start() - 12):m.start()])
             for b in _body_list(norm, m.end(), reg, lower_heads=True)[0]]
    return _refs(text, norm, spans, ctx, reg)


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
    defined = DEFINED_SHORT_NAMES.set(tuple(short for short, _ in getattr(ctx, "short_names", ()) or ()))
    try:
        spans = [(b, role) for b, role in _role_spans(norm, reg, heading) if not (council and b.start < council_end)]
    finally:
        DEFINED_SHORT_NAMES.reset(defined)
    return with_full_names(_refs(text, norm, spans, ctx, reg, seen), ctx)


def _refs(text: str, norm: str, spans: list[tuple[_Body, str]], ctx: Optional[DocContext], reg: _Registry,
          seen: Optional[dict[tuple[int, int], BodyRef]] = None) -> list[BodyRef]:
    """BodyRefs of the bodies read, one per span (owner over support), one per key and role."""
    seen = {} if seen is None else seen
    for body, role in spans:
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
_COUNCIL_LIST = compiled(
    rf"(?P<items>{_MEMBER}(?:\s*,\s*{_MEMBER})*(?:\s*,?\s+và\s+{_MEMBER}))\s+(?=Hội\s+đồng\s+nhân\s+dân|HĐND)")
_MEMBER_NAMES = {"thuong truc": ("Thường trực", "Standing Committee"),
                 "ban": ("các Ban của", "Committees"), "to": ("các Tổ đại biểu", "Delegate Groups"),
                 "to dai bieu": ("các Tổ đại biểu", "Delegate Groups"), "dai bieu": ("đại biểu", "Delegates")}


def _council_members(text: str, ctx: Optional[DocContext], reg: _Registry) -> tuple[list[BodyRef], int]:
    """The members' list opening a clause, each member with the council named after the list."""
    start = reg.subject_opener.match(text, 0).end()
    assign = _cues().assign.match(text, start)
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
