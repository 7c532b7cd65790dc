"""Clause kinds (SPEC §2): heading | task | target | other, from a clause's shape and the titles above it.

The vocabulary is models/kinds.yaml (section words, openers, findings words); this module holds
the grammar that reads it.

>>> is_findings_title("Một số tồn tại, hạn chế: Đến nay còn 02/16 chỉ tiêu chưa đạt")
True
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .fold import fold
from .vocab_cache import cached_build
from .patterns import compiled

_TITLE_END = compiled(r"[:\n]")
_LEAD_IN = compiled(r"([^\n:]{1,80})(?::|\n)")

__all__ = ["clause_kind", "looks_like_title", "is_findings_title"]

MODELS = Path(__file__).resolve().parent.parent / "models"


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _kind_rules() -> dict:
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    return yaml.safe_load((MODELS / "kinds.yaml").read_text(encoding="utf-8"))


def _all_caps(words: str) -> bool:
    letters = [ch for ch in words if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def looks_like_title(words: str) -> bool:
    rules = _kind_rules()
    words = words.strip()
    if _all_caps(words.split("\n", 1)[0]):
        return True  # an upper-case first line is a title even with a paragraph under it
    if len(words) > rules["title_max_chars"] or words.endswith((".", ";")):
        return False
    if words.endswith(":") and len(words) > rules["colon_title_max_chars"]:
        # A topic word, a body or a section's own name ("Kết quả thực hiện một số
        # chỉ tiêu chủ yếu:") opens a title; anything else is a sentence.
        folded = fold(words)
        section_names = [p for phrases in rules["section_words"].values() for p in phrases]
        return any(folded == p or folded.startswith(p + " ") for p in rules["heading_openers"] + section_names)
    return True


def _section_kind(words: str) -> Optional[str]:
    # Only the title part speaks for a section: the words before ":" or the line end.
    title = _TITLE_END.split(words, maxsplit=1)[0][:120]
    folded = f" {fold(title)} "
    hits = {kind for kind, phrases in _kind_rules()["section_words"].items()
            if any(f" {p} " in folded for p in phrases)}
    return hits.pop() if len(hits) == 1 else None


def is_findings_title(words: str) -> bool:
    """Whether a clause's title part names a findings section ("Kết quả đạt được", "Hạn chế").

    >>> is_findings_title("Một số tồn tại, hạn chế: Đến nay còn 02/16 chỉ tiêu chưa đạt")
    True
    """
    title = _TITLE_END.split(words, maxsplit=1)[0][:120]
    folded = f" {fold(title)} "
    return any(f" {p} " in folded for p in _kind_rules()["findings_words"])


def clause_kind(words: str, child_kinds: list[str], titles_above: list[str], points_inline: bool = False) -> str:
    """heading | task | target | other, from the clause's shape and the titles above it."""
    rules = _kind_rules()
    if child_kinds:
        if looks_like_title(words):
            return "heading"
        # A goal statement over sections is a heading too; one that ends with ":"
        # introduces its children as its own work, and is a task.
        if all(k == "heading" for k in child_kinds) and not words.rstrip().endswith(":"):
            return "heading"
    folded = fold(words)
    early = f" {folded[:60]} "
    if any(folded.startswith(p) for p in rules["other_openers"]) or any(p in folded for p in rules["other_phrases"]) \
            or any(f" {p} " in early for p in rules["other_verbs_early"]):
        return "other"
    # A clause that opens with its own title line or a short "Title:" lead-in
    # ("Một số tồn tại, hạn chế: …") is judged by that title first.
    lead = _LEAD_IN.match(words)
    own_title = [lead.group(1)] if lead and not lead.group(1).rstrip().endswith(".") else []
    # A "Tỷ lệ …" under a findings title reports a result reached, not an indicator to reach.
    in_findings = any(is_findings_title(t) for t in own_title + titles_above)
    if not child_kinds and not in_findings and any(folded.startswith(p) for p in rules["target_openers"]):
        return "target"
    for title in own_title + list(reversed(titles_above)):
        decided = _section_kind(title)
        if decided == "target" and child_kinds:
            decided = "task"  # a clause with points under it assigns them; indicators are leaves
        if decided == "other" and child_kinds and not points_inline and words.rstrip().endswith(":"):
            # Where nothing is assigned, a line introducing points on lines of their
            # own is their title; one running into inline "(i1) …" is a sentence.
            decided = "heading"
        if decided:
            return decided
    return "task"
