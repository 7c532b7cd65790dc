"""The keys rows are filed under: a document's identity, numbers, bodies, directives, deadline ends.

A key is what two printings of the same thing share and two different things
never do. The hard one is a document's: numbers such as `87/KH-UBND` recur in
every commune every year, so a number alone names nothing.
"""
from __future__ import annotations

import unicodedata
from typing import Optional

from pipeline.fold import fold
from pipeline.model import BodyRef, Citation, DocInfo

__all__ = ["body_key", "deadline_end", "directive_key", "document_identity", "issuer_key", "number_key"]


def number_key(number: str) -> str:
    """Folded tokens of a document number, so printing variants compare equal.

    >>> number_key("57-NQ/TW") == number_key("57/NQ-TW")
    True
    """
    return fold(number)


def document_identity(info: DocInfo, sha256: str) -> str:
    """What an office means by "the same document": issuer + number + date.

    Commune B's 87/KH-UBND is not commune A's, nor is next year's; a file whose
    number could not be read is only ever itself (its bytes' sha256), so two
    senders' `scan0001.pdf` never collide.

    >>> a = DocInfo(number="87/KH-UBND", issuer="Ủy ban nhân dân xã An Hòa", date="2026-01-05")
    >>> document_identity(a, "ff00")
    'uy ban nhan dan xa an hoa|87 kh ubnd|2026-01-05'
    >>> document_identity(DocInfo(number="  "), "ff00")
    'sha256:ff00'
    """
    if not (info.number or "").strip():
        return f"sha256:{sha256}"
    return "|".join((fold(info.issuer or ""), number_key(info.number), info.date or ""))


def directive_key(citation: Citation) -> str:
    """The graph node key of a cited directive (SPEC §6).

    >>> directive_key(Citation(text="x", id="35-NQ/TW"))
    'dir:35-NQ/TW'
    """
    if citation.id:
        return "dir:" + "".join(unicodedata.normalize("NFC", citation.id).split())
    return "dir:title:" + fold(citation.title or citation.text)


def body_key(body: BodyRef) -> str:
    """The tagger's canonical key, or one derived from the folded name.

    >>> body_key(BodyRef(mention="UBKT", name="Ủy ban Kiểm tra", role="owner"))
    'uy-ban-kiem-tra'
    """
    return body.key or fold(body.name).replace(" ", "-")


def issuer_key(name: str) -> str:
    """Body key for an issuer known only by name (a document's or a directive's)."""
    return fold(name).replace(" ", "-")


_MONTH_END = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def deadline_end(value: Optional[str]) -> Optional[str]:
    """Last day (ISO) of the period an ISO deadline value names; None if open or recurring.

    Intervals ("2026-01/2026-06", "2026/2030") end where their second half ends;
    open ones ("2025/..") and recurrences ("R/P1Y") have no end.

    >>> deadline_end("2025-Q3"), deadline_end("2026/2030"), deadline_end("R/P1Y")
    ('2025-09-30', '2030-12-31', None)
    """
    if not value or value.startswith("R/"):
        return None
    if "/" in value:
        value = value.split("/", 1)[1]
    parts = value.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    year = parts[0]
    if len(parts) == 1:
        return f"{year}-12-31"
    if parts[1].upper().startswith("Q") and parts[1][1:].isdigit():
        month = 3 * int(parts[1][1:])
    elif parts[1].isdigit():
        month = int(parts[1])
    else:
        return None
    if not 1 <= month <= 12:
        return None
    if len(parts) >= 3 and parts[2].isdigit():
        return f"{year}-{month:02d}-{int(parts[2]):02d}"
    # Feb 29 as month end: comparisons only need an upper bound that sorts right.
    return f"{year}-{month:02d}-{_MONTH_END[month]:02d}"
