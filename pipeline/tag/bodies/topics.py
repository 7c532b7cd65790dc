"""The topic a committee or a project board is named by, after its head: "Ban Chỉ đạo chuyển đổi
số tỉnh", "Ban Chỉ đạo quốc gia về chuyển đổi số", "Ban Quản lý dự án đầu tư xây dựng các công
trình giao thông tỉnh" (organs marked `topic_after` in models/bodies.yaml; names.py reads the rest).
"""
from __future__ import annotations

from typing import Optional

from .registry import _Registry
from .spans import _OF, _Part, _WORD, _after_space
from .verbs import _name_end, _verb_cut
from ...patterns import compiled


def _topic(text: str, end: int, reg: _Registry, parts: list[_Part]) -> int:
    """The topic a steering committee is named by: "Ban Chỉ đạo chuyển đổi số tỉnh", "Ban Chỉ đạo 35"."""
    at = _after_space(text, end)
    if at is None or reg.levels.match(text, at):
        return end
    topic_end = _topic_to_level(text, at, reg) or _verb_cut(text, at, _name_end(text, at, reg))
    about = _ABOUT.match(text, topic_end) if topic_end > at else None
    if about:
        # "Ban Chỉ đạo quốc gia về chuyển đổi số", "… về phòng, chống tội phạm": "về" names what
        # the committee is about, up to its first predicate.
        topic_end = max(topic_end, _topic_to_stop(text, about.end(), reg))
    if topic_end <= at:
        return end
    parts.append(_Part("name", at, topic_end))
    return topic_end


_ABOUT = compiled(r"[ \t]+(?i:về)[ \t]+(?=\p{L})")
# A topic may say what is carried out ("thực hiện Đề án 06") and hold commas
# ("phòng, chống tham nhũng, tiêu cực"), which end other names.
_TOPIC_VERBS = frozenset({"thuc hien", "trien khai", "xay dung", "va", "ve"})  # "… quốc gia về chuyển đổi số"
_TOPIC_MAX_WORDS = 14
_TOPIC_GAP = compiled(r"[ \t]*(?:,|[-–])?[ \t]*")


def _topic_to_level(text: str, at: int, reg: _Registry) -> Optional[int]:
    """End of a topic closed by the level or organ the committee belongs to
    ("Ban Chỉ đạo thực hiện Đề án 06 huyện", "… phòng, chống tham nhũng, tiêu cực tỉnh");
    None when a predicate, a function word or a full stop comes first."""
    end, cur = at, at
    stops = reg.name_stops - _TOPIC_VERBS
    for _ in range(_TOPIC_MAX_WORDS):
        if cur > at and (reg.levels.match(text, cur) or reg.organs.match(text, cur)):
            return end
        of = _OF.match(text, cur) if cur > at else None
        level = reg.levels.match(text, _after_space(text, of.end()) or of.end()) if of else None
        if level and not level[0].plural:
            return level[1]  # "… chuyên ngành của tỉnh": the level the topic's body belongs to
        m = _WORD.match(text, cur)
        # A capitalised word ("Đề án", folded "de an") is a name, not the stop "để".
        if not m or reg.starts_stop(text, cur, shortest=2 if text[cur].isupper() else 1, stops=stops):
            return None
        end = m.end()
        gap = _TOPIC_GAP.match(text, end)
        if gap.end() == end or not _WORD.match(text, gap.end()):
            return None
        if "," in gap.group() and not text[gap.end()].islower():
            return end  # ", Ủy ban Kiểm tra …": a comma before a capital starts the next body
        cur = gap.end()
    return None


def _topic_to_stop(text: str, at: int, reg: _Registry) -> int:
    """End of a topic after "về": lower-case words, commas before lower-case words ("phòng,
    chống"), up to a predicate, a level, an organ or punctuation."""
    end, cur = at, at
    stops = reg.name_stops - _TOPIC_VERBS
    for _ in range(_TOPIC_MAX_WORDS):
        m = _WORD.match(text, cur)
        if not m or cur > at and (reg.levels.match(text, cur) or reg.organs.match(text, cur)
                                  or reg.starts_stop(text, cur, stops=stops)):
            break
        end = m.end()
        gap = _TOPIC_GAP.match(text, end)
        if gap.end() == end or not text[gap.end():gap.end() + 1].islower():
            break
        cur = gap.end()
    # No verb cut: a topic is made of verbs ("phòng, chống", "xây dựng"); the stops end it.
    return end
