"""Where an unlisted name ends: at its first lower-case verb read in context.

>>> _verb_cut("Trung tâm Y tế xây dựng kế hoạch", 10, 32) <= 16
True
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .registry import _registry

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
        if not listed and (nxt_tag == "CH" or reg.starts_stop(text, start + nxt_at, shortest=2)
                           or reg.levels.match(text, start + nxt_at)):
            continue
        return start + len(context[:at].rstrip())
    return end
