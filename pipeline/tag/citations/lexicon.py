"""The citation vocabulary, loaded once from models/: codes, kinds, issuer codes, issuing
bodies and named groups; and the small readers every part of the grammar shares (an
issuer's canonical name, a type from a code or a kind word, an ISO date)."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from ...fold import fold
from ...patterns import compiled

MODELS = Path(__file__).resolve().parents[3] / "models"

# Dashes as typed and as PDF text layers give them back.
DASH = r"[-‐‑–—]"
_DASH = compiled(DASH)
_PARTY_NUMBER_SPACE = compiled(r"^(\d+)\s+(?=\p{L})")
_SPACES = compiled(r"\s+")


@dataclass(frozen=True)
class _Lexicon:
    codes: dict  # code → (type, party type or None)
    kinds: dict  # folded kind phrase → type
    unnumbered_kinds: tuple  # kind phrases that name laws ("Luật", "Hiến pháp")
    issuers: dict  # issuer code → body
    bodies: dict  # folded whole name → canonical issuing body
    abbreviations: dict  # abbreviation → expansion ("HĐND" → "Hội đồng nhân dân")
    groups: tuple  # (phrase, ids, type)


def rows(name: str) -> list[list[str]]:
    """Data rows of a models/ TSV: comments (#) and the header line skipped."""
    lines = (MODELS / name).read_text(encoding="utf-8").splitlines()
    data = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return data[1:]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    codes = {r[0]: (r[1], r[2] if len(r) > 2 and r[2] else None) for r in rows("citation_codes.tsv")}
    kind_rows = rows("citation_kinds.tsv")
    return _Lexicon(
        codes=codes,
        kinds={fold(r[0]): r[1] for r in kind_rows},
        unnumbered_kinds=tuple(r[0] for r in kind_rows if len(r) > 2 and r[2] == "yes"),
        issuers={r[0]: r[1] for r in rows("issuer_codes.tsv")},
        bodies={fold(r[0]): r[1] for r in rows("issuing_bodies.tsv") if r[2] == "name"},
        abbreviations={r[0]: r[1] for r in rows("issuing_bodies.tsv") if r[2] == "word"},
        groups=tuple((r[0], tuple(r[1].split()), r[2]) for r in rows("document_groups.tsv")),
    )


def alternation(words) -> str:
    """Longest first, so "QĐi" is tried before "QĐ" and "Kế hoạch hành động" before "Kế hoạch"."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

def kind_phrases() -> list[str]:
    return [r[0] for r in rows("citation_kinds.tsv")]


def normalise_id(raw: str) -> str:
    """A document number as printed, compacted: NFC, one kind of dash, no spaces.

    >>> normalise_id("216- QĐ/TU")
    '216-QĐ/TU'
    """
    text = unicodedata.normalize("NFC", raw).strip()
    text = _DASH.sub("-", text)
    # "Số 17 CT/TU": the dropped Party dash comes back so both spellings are one node.
    text = _PARTY_NUMBER_SPACE.sub(r"\1-", text)
    return _SPACES.sub("", text)


def title_key(title: str) -> str:
    """Key that merges one unnumbered title however it is spelled or spaced.

    >>> title_key("Luật Thực hiện dân chủ ở  cơ sở")
    'luat thuc hien dan chu o co so'
    """
    return fold(title)


def issuer_body(issuer_code: str) -> Optional[str]:
    """The body an issuer code stands for, from models/issuer_codes.tsv.

    >>> issuer_body("TTg")
    'Thủ tướng Chính phủ'
    """
    return lexicon().issuers.get(issuer_code)


def canonical_body(name: str) -> str:
    """Abbreviations expanded, then known whole names canonical; the rest stays as written.

    >>> canonical_body("BCH Trung ương")
    'Ban Chấp hành Trung ương Đảng'
    """
    lex = lexicon()
    words = [lex.abbreviations.get(w, w) for w in name.split()]
    name = " ".join(words)
    # A plenum issues in its committee's name: "Hội nghị lần thứ năm Ban Chấp hành Trung
    # ương Đảng", "Hội nghị Trung ương 5" → the Central Committee.
    if _PLENUM.match(name):
        return "Ban Chấp hành Trung ương Đảng"
    return lex.bodies.get(fold(name), name)


_PLENUM = compiled(r"Hội\s+nghị\s+(?:lần\s+thứ\s+\p{L}+\s+(?:Ban\s+Chấp\s+hành\s+)?Trung\s+ương"
                        r"|Trung\s+ương\s+\d{1,2}|Ban\s+Chấp\s+hành\s+Trung\s+ương)", regex.IGNORECASE)


def iso_date(day: str, month: str, year: str) -> Optional[str]:
    d, m, y = int(day), int(month), int(year)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def type_for(kind: Optional[str], code: Optional[str], party: bool) -> Optional[str]:
    """The kind word decides when written; else the code, read by its style (Party -QĐ/TW is Quy định)."""
    lex = lexicon()
    if kind:
        return lex.kinds.get(fold(kind))
    if code in lex.codes:
        state_type, party_type = lex.codes[code]
        return party_type if party and party_type else state_type
    return None if code else "Công văn"


