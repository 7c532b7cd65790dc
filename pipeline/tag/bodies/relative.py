"""A group named by a relative clause: "cơ quan, tổ chức, đơn vị được giao quản lý tài sản công".

Vietnamese puts a relative clause straight after its noun, with no pronoun, so where a
group's name ends is where the clause's main predicate starts: "Người đứng đầu cơ quan, đơn
vị được giao quản lý kho | quyết định …", "cơ quan, đơn vị tiếp nhận hồ sơ | có trách nhiệm
…". The words that may open such a clause after a group and the predicates that end it are
in models/body_vocabulary.yaml (`relative_openers`, `relative_clause_ends`).

>>> from .registry import _registry
>>> from .names import _group
>>> text = "Cơ quan, đơn vị được giao quản lý kho có trách nhiệm kiểm kê."
>>> b = _with_relative(text, _group(text, 0, _registry()), _registry())
>>> text[b.start:b.end]
'Cơ quan, đơn vị được giao quản lý kho'
"""
from __future__ import annotations

from ...fold import fold
from .cues import _cues
from .registry import _Registry
from .spans import _Body, _Part, _WORD, _after_space
from ...patterns import compiled

# A relative clause stays inside its sentence; a comma may stand in it ("quản lý, sử dụng").
_CLAUSE_LIMIT = compiled(r"[.;:!?\n]")
_RELATIVE_MAX_WORDS = 14
# Words before a predicate that make it one more predicate of the subject, not the end of a
# relative clause ("tổ chức tuyên truyền và chịu trách nhiệm …").
_COORDINATING = frozenset({"va", "hoac", "cung", "roi"})
# Nouns that head a relative clause of their own: "… là người chịu trách nhiệm chính" says who
# the group is, the predicate after "người" is not the group's.
_OWN_CLAUSE_HEADS = frozenset({"nguoi", "noi", "don vi", "co quan", "to chuc", "ca nhan"})


def _is_group(text: str, body: _Body) -> bool:
    """A group (or an office over one) that a relative clause may narrow: "cơ quan, tổ chức,
    đơn vị", "Thủ trưởng các đơn vị thuộc Bộ", the organ of each of a set ("UBND các xã được
    giám sát"), office-holders named as many ("các đồng chí Ủy viên … được phân công …"); not
    one organ, which its name already singles out."""
    return body.kind in ("group", "office") and any(p.kind == "group" for p in body.parts) \
        or any(p.kind == "level" and p.entry.plural for p in body.parts) \
        or body.kind == "office" and body.parts[0].kind == "prefix" \
        and fold(text[body.parts[0].start:body.parts[0].end]).startswith("cac")


def _with_relative(text: str, body: _Body, reg: _Registry) -> _Body:
    """`body` lengthened by the relative clause after it, when a main predicate closes one.

    The clause opens with a word of `relative_openers` ("được giao …", "có tài sản công", "là
    đơn vị dự toán cấp I"), or, for a group written without "các" (the drafting of legal
    rules), with any verb when a predicate only a main clause has closes it ("cơ quan, tổ
    chức, đơn vị tiếp nhận nhà, đất có trách nhiệm …"). A predicate right after a verb
    that takes a verb after it ("được giao chủ trì", `relative_complement_verbs`) is the clause's
    own; one after "và" or a comma is the subject's next.
    """
    if not _is_group(text, body):
        return body
    start = _after_space(text, body.end)
    if start is None or not text[start:start + 1].islower():
        return body
    cues = _cues()
    opener = cues.relative_opener.match(text, start)
    if cues.relative_end.match(text, start):
        return body  # the predicate follows the group at once: no relative clause
    bare_verb = opener is None
    if bare_verb and (any(p.kind == "quantifier" for p in body.parts) or reg.starts_stop(text, start)
                      or reg.intro.match(text, start)):
        return body  # "các đơn vị tổ chức …", "cơ quan, đơn vị căn cứ …": the predicate itself
    limit = _CLAUSE_LIMIT.search(text, start)
    words = list(_WORD.finditer(text, opener.end() if opener else start, limit.start() if limit else len(text)))
    for i in range(1, min(len(words), _RELATIVE_MAX_WORDS)):
        end = cues.relative_end.match(text, words[i].start())
        if not end or bare_verb and " ".join(fold(end.group()).split()) not in cues.strong_ends:
            continue
        before = words[i - 1]
        last_two = " ".join(fold(w.group()) for w in words[max(0, i - 2):i])
        if "," in text[before.end():words[i].start()] or fold(before.group()) in _COORDINATING \
                or {fold(before.group()), last_two} & (_OWN_CLAUSE_HEADS | cues.complement_verbs):
            continue  # "… và chịu trách nhiệm", "… là người chịu …", "được giao chủ trì …"
        return _Body(body.start, before.end(), body.parts + [_Part("relative", start, before.end())], body.kind)
    return body
