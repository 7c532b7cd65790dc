"""Unlabelled paragraphs that shape the clause tree: the closing formula that ends the
text ("Nghị quyết này có hiệu lực …"), and schedule lines ("Quý II:") that head the
points after them. Their words are data in models/labels.yaml and models/doc_kinds.tsv.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from .fold import fold
from .vocab_cache import cached_build

__all__ = ["END_MARK", "is_closing_formula", "schedule_line"]

MODELS = Path(__file__).resolve().parent.parent / "models"

# "./." ends a Vietnamese administrative text; a labelled clause carrying it is the last one.
END_MARK = "./."


def is_closing_formula(paragraph: str) -> bool:
    """Whether an unlabelled paragraph is the document's adoption or effect sentence.

    It is known by its words, not by the "./." mark: the last paragraph of an
    attached regulation's article also ends with "./." and is that article's text.

    >>> is_closing_formula("Chỉ thị này được phổ biến đến chi bộ và đảng viên./.")
    True
    >>> is_closing_formula("Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Sở Nội vụ./.")
    False
    """
    folded = fold(paragraph).strip()
    phrases, openers = _closing_words()
    if any(p in folded for p in phrases):
        return True
    # The document speaking of itself ("Nghị quyết này …", "Chỉ thị này được phổ biến …",
    # "Trên đây là Kế hoạch …") in a paragraph that ends the text.
    openers = openers + tuple(k + " nay" for k in _doc_kinds())
    return paragraph.rstrip().endswith(END_MARK) and any(folded.startswith(o + " ") for o in openers)


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _closing_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Phrases that make a paragraph the closing formula anywhere, and openers that do with "./."."""
    import yaml  # here, not at the top: a process that finds its vocabularies cached never loads yaml

    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    return tuple(data["closing_phrases"]), tuple(data["closing_openers"])


@lru_cache(maxsize=1)
def _doc_kinds() -> frozenset[str]:
    """Document kinds (models/doc_kinds.tsv), folded: "Kế hoạch này …" is a document naming itself."""
    return frozenset(
        fold(line.split("\t")[0])
        for line in (MODELS / "doc_kinds.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@cached_build  # built once per change of models/ (pipeline/vocab_cache.py)
def _scope_pattern() -> "regex.Pattern":
    import yaml

    data = yaml.safe_load((MODELS / "labels.yaml").read_text(encoding="utf-8"))
    return regex.compile(data["scope_line"], regex.VERBOSE | regex.IGNORECASE)


def schedule_line(paragraph: str) -> Optional[str]:
    """The words of a schedule line that heads the points after it ("Tháng 3 và tháng 4:"), if it is one.

    >>> schedule_line("Quý II:")
    'Quý II:'
    >>> schedule_line("Quý II: giám sát chuyên đề") is None
    True
    """
    words = paragraph.strip()
    return words if _scope_pattern().match(words) else None
