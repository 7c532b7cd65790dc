"""Where an unlisted name ends: at a stop word, a level, a place run (`_name_end`), and
then at its first lower-case verb read in context (`_verb_cut`).

>>> from .registry import _registry
>>> text = "Sở Khoa học và Công nghệ chủ trì"
>>> text[3:_name_end(text, 3, _registry())]
'Khoa học và Công nghệ'
>>> _verb_cut("Trung tâm Y tế xây dựng kế hoạch", 10, 32) <= 16
True
"""
from __future__ import annotations

from typing import Optional

from ...fold import fold
from .registry import _DASH, _GAP, _Registry, _registry, _via_abbreviation, _words_key
from .spans import _CAP_WORD, _WORD, _after_space
from ...patterns import compiled

_DASH_AT = compiled(_DASH)
_VA_GAP = compiled(r"(?i:và)" + _GAP)


def _pos_tagger():
    from .pos import pos_tag  # underthesea's models, loaded once (~0.2 s) on first use

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
    if _known_pieces(text, start, end):
        return end  # nor does one whose lower-case words sit inside names the registry knows
    return _predicate_cut(text, start, end)


# What joins two pieces of one name: a space, a dash, a comma or "và" ("Văn hóa và Thể thao").
_JOIN = compiled(r"[ \t]*(?:[-–,][ \t]*|(?i:và)[ \t]+)?")
_FIELD_WORDS_MAX = 5
_HEAD_REACH = 12  # characters before a name where its head noun may start ("Ủy ban ")


def _known_pieces(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a run of pieces that each begin with a capital: a phrase the
    registry knows ("Đảng ủy", "Văn hóa", "Thể thao"; the first may be the end of an organ
    whose head was read apart: "Ban | Thường vụ") or else one capitalised word. A predicate
    begins in lower case outside any known name, so such a name has none, and the POS tagger
    (a second and 100 MB to load) is not asked. Over the real, development and synthetic corpora
    the tagger cut none of the names this lets through.

    >>> _known_pieces("Đảng ủy chủ trì", 0, 7), _known_pieces("Y tế chuẩn bị nội dung", 0, 22)
    (True, False)
    >>> _known_pieces("Ban Thường vụ Đảng ủy", 4, 21)
    True
    """
    reg = _registry()
    lexicons = (reg.organs, reg.levels, reg.offices, reg.heads, reg.groups, reg.modifiers)
    # Organs that begin at the head noun before the name ("Ban Thường vụ" over "Thường vụ").
    heads = [w.start() for w in _WORD.finditer(text, max(0, start - _HEAD_REACH), start)]
    across = [m[1] for m in (reg.organs.match(text, p) for p in heads) if m and start < m[1] <= end]
    pos = start
    while pos < end:
        word = _WORD.match(text, pos)
        if not word or not (text[pos].isupper() or text[pos].isdigit()):
            return False
        known = [m[1] for m in (lex.match(text, pos) for lex in lexicons) if m and m[1] <= end]
        known += across if pos == start else []
        words = list(_WORD.finditer(text, pos, end))[:_FIELD_WORDS_MAX]
        known += [w.end() for w in words[1:] if _words_key(text[pos:w.end()]) in reg.field_words]
        pos = _JOIN.match(text, max([word.end(), *known])).end()
    return True


_CONTEXT = compiled(r"[^.;:!?\n]{0,60}")


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
        if any(_words_key(context[tagged[j][0]:at + len(word)]) in reg.field_words for j in range(max(0, i - 3), i)) \
                and not reg.starts_stop(text, start + at):
            # "Cục Biến đổi khí hậu | cập nhật …": the last word of a field's term, whatever its tag,
            # and the name's last word when a lower-case word follows it.
            if tagged[i + 1][1][:1].islower() and at + len(word) < end - start:
                return start + at + len(word)
            continue
        nxt_at, nxt, nxt_tag = tagged[i + 1]
        # "thẩm định, bố trí …": a comma before another lower-case word lists predicates.
        listed = nxt == "," and i + 2 < len(tagged) and tagged[i + 2][1][:1].islower()
        # "Phòng Quản lý xây dựng và Phòng Kinh tế …": "và" and a capital join the next body.
        joins_body = fold(nxt) == "va" and i + 2 < len(tagged) and tagged[i + 2][1][:1].isupper()
        if not listed and (nxt_tag == "CH" or joins_body or reg.starts_stop(text, start + nxt_at, shortest=2)
                           or reg.levels.match(text, start + nxt_at)):
            continue
        return start + len(context[:at].rstrip())
    return end


_NAME_MAX_WORDS = 12


# A comma inside an unlisted name: capitalised words after it, closed by "và" and a
# capitalised word before any other punctuation ("Văn hóa, Thể thao và Du lịch").
_NAME_COMMA = compiled(r"[ \t]*,[ \t]+(?=\p{Lu}[\p{L} \t]{0,30}?[ \t](?i:và)[ \t]+\p{Lu})")



def _name_end(text: str, start: int, reg: _Registry, *, commas: bool = True, first_is_name: bool = False) -> int:
    """Where a proper name starting at `start` ends (before any verb cut).

    `commas=False` reads a distributive list's member, where a comma always ends
    the member ("các Sở: Tài chính, Khoa học và Công nghệ" is two names) and the
    first word is a name whatever it folds to ("các Sở: …, Xây dựng"); so is a
    capitalised first word after a head noun (`first_is_name`: "Phòng Tuyên truyền").
    """
    end, cur, words = start, start, 0
    previous, proper_run, after_dash = "", 0, False
    while words < _NAME_MAX_WORDS:
        m = _WORD.match(text, cur)
        # Stops are lower-case predicates and function words; a capitalised word
        # ("Hà Tu", "Từ Sơn") is part of the name even when it folds like one, but a
        # capitalised two-word predicate ("… Đảng ủy Tiếp tục triển khai") is a new sentence.
        capitalised = text[cur:cur + 1].isupper() or text[cur:cur + 1].isdigit()
        # After a dash inside a name a capitalised word is the name's ("Phòng Kế hoạch - Tổng hợp").
        member_first = (not commas or first_is_name) and words == 0 or (after_dash and capitalised)
        # "Bộ Ngoại giao"; "Phòng Quản lý xây dựng": a field word after a word of the name is
        # the field's, not a predicate (a predicate taking an object is cut by `_verb_cut`).
        compound = bool(m) and (f"{previous} {fold(m.group())}" in reg.name_compounds
                                or words > 0 and not capitalised and _field_word_at(text, cur, reg))
        level = reg.levels.match(text, cur)
        if level and _via_abbreviation(level[0], text[cur:level[1]]) and text[start:cur + 1].isupper():
            level = None  # in capitals "PHÒNG TƯ PHÁP" holds a word, not the abbreviation "TƯ"
        if not m or not member_first and not compound and (
                reg.starts_stop(text, cur, shortest=2 if capitalised else 1) or level):
            break
        if words and capitalised and reg.organs.match(text, cur):
            break  # "Ban Thường trực | Ủy ban MTTQ tỉnh": the organ it belongs to, read by the chain
        # A proper name of two capitalised words or more ("Việt Nam", "Hà Nội", "Quân khu 2")
        # closes the organ's name: a lower-case word after it is the predicate
        # ("Đài Truyền hình Việt Nam truyền hình trực tiếp"); inner field words are single
        # capitals ("Ngân hàng Chính sách xã hội").
        if not capitalised and proper_run >= 2:
            break
        proper_run = proper_run + 1 if capitalised else 0
        previous = fold(m.group())
        end, words = m.end(), words + 1
        dash = _DASH_AT.match(text, end)
        comma = _NAME_COMMA.match(text, end) if commas else None
        if comma and not (reg.heads.match(text, comma.end()) or reg.organs.match(text, comma.end())):
            dash = comma  # "Trung tâm Văn hóa, Thông tin và Thể thao": an enumeration inside the name
        after_dash = bool(dash) and "-" in dash.group() or bool(dash) and "–" in dash.group()
        nxt = dash.end() if dash else _after_space(text, end)
        if nxt is None:
            break
        after_va = nxt + 3
        if _VA_GAP.match(text[nxt:nxt + 4]) and _CAP_WORD.match(text, after_va) \
                and not (reg.organs.match(text, after_va) or reg.heads.match(text, after_va)
                         or reg.offices.match(text, after_va)):
            # "Sở Kế hoạch và Đầu tư": "và" inside a name joins capitalised words;
            # "Văn phòng Đảng ủy và Ban Xây dựng Đảng": before an organ it joins two bodies.
            nxt = after_va
            proper_run = 0  # "Báo và Phát thanh": each side of "và" is a field of its own
        cur = nxt
    return end


def _field_word_at(text: str, pos: int, reg: _Registry) -> bool:
    """Whether a field word the tables know ("xây dựng", "giáo dục") starts at pos and closes the
    name: punctuation, the end, a level or a lower-case predicate follows ("Phòng Quản lý xây
    dựng:", "… xây dựng chủ trì"), not an object ("Sở Y tế xây dựng Hướng dẫn …")."""
    words = list(_WORD.finditer(text, pos, min(len(text), pos + 30)))[:3]
    for n in range(len(words), 0, -1):
        if fold(" ".join(w.group() for w in words[:n])) in reg.field_words:
            after = _after_space(text, words[n - 1].end())
            return after is None or not text[after].isalpha() or reg.levels.match(text, after) is not None \
                or text[after].islower() and reg.starts_stop(text, after)
    return False


def _field_run_to_level(text: str, pos: int, reg: _Registry) -> Optional[int]:
    """End of lower-case field words that a level closes, after a registry organ: "Ban Quản lý
    dự án | đầu tư xây dựng | phường" — the organ's field, not a predicate, since no object
    follows them; None when anything else comes first ("Ban Quản lý dự án kiểm tra …")."""
    cur, end = pos, None
    while True:
        words = list(_WORD.finditer(text, cur, min(len(text), cur + 30)))[:3]
        n = next((n for n in range(len(words), 0, -1) if text[words[0].start()].islower()
                  and fold(" ".join(w.group() for w in words[:n])) in reg.field_words), 0)
        if not n or words[0].start() != cur:
            return end if end is not None and reg.levels.match(text, cur) else None
        end = words[n - 1].end()
        nxt = _after_space(text, end)
        if nxt is None:
            return None
        cur = nxt
