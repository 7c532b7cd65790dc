"""The web page's two languages: Vietnamese by default, English one click away.

Templates write their words in English inside `_()`; messages.yaml beside this file
gives each its Vietnamese. The language comes from `?lang=` (remembered in a cookie),
else the cookie, else Vietnamese. Document text, names and deadlines stay as written.

>>> translator("vi")("Tasks")
'Nhiệm vụ'
>>> translator("en")("Tasks")
'Tasks'
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import yaml

from pipeline.query import TaskQuery

__all__ = ["LANGUAGES", "describe_selection", "language", "messages", "translator"]

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT = "vi"
COOKIE = "nqgraph_lang"


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    """English words → Vietnamese, as written in messages.yaml."""
    return yaml.safe_load((Path(__file__).parent / "messages.yaml").read_text(encoding="utf-8"))


def translator(lang: str) -> Callable[[str], str]:
    """`_(english)` for a page in `lang`; English keys missing a Vietnamese entry show as they are."""
    if lang != "vi":
        return lambda words: words
    table = messages()
    return lambda words: table.get(words, words)


def language(query_lang: Optional[str], cookie_lang: Optional[str]) -> str:
    """The page's language: the one asked for in the address, else the remembered one, else Vietnamese."""
    for lang in (query_lang, cookie_lang):
        if lang in LANGUAGES:
            return lang
    return DEFAULT


def describe_selection(q: TaskQuery, lang: str) -> str:
    """The filters of a selection in words ("cơ quan: Sở Nội vụ · hạn: quý I/2026"), not a command line.

    >>> describe_selection(TaskQuery(body="UBKT", role="owner", due_in="2026-Q1"), "vi")
    'cơ quan: UBKT (chủ trì) · đến hạn trong: quý I/2026'
    """
    from pipeline.periods import say_deadline

    _ = translator(lang)
    parts = []
    if q.body:
        role = f" ({_(ROLE_WORDS[q.role])})" if q.role else ""
        parts.append(f"{_('body')}: {q.body}{role}")
    elif q.role:
        parts.append(f"{_('role')}: {_(ROLE_WORDS[q.role])}")
    if q.cites:
        parts.append(f"{_('implements')}: {q.cites}")
    if q.doc:
        parts.append(f"{_('document')}: {q.doc}")
    for name, value in (("due in", q.due_in), ("due before", q.due_before), ("due after", q.due_after)):
        if value:
            parts.append(f"{_(name)}: {say_deadline('due', value)}")
    if q.overdue:
        parts.append(_("overdue"))
    if q.ongoing:
        parts.append(_("ongoing"))
    return " · ".join(parts)


# The words a role is shown with; the store keeps "owner" / "support".
ROLE_WORDS = {"owner": "lead", "support": "support"}
