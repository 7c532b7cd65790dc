"""Tag cited documents: every reference to another directive, parsed and normalised (SPEC §5).

Design after eyecite: the vocabulary is data (models/citation_codes.tsv,
citation_kinds.tsv, issuer_codes.tsv, issuing_bodies.tsv, document_groups.tsv),
the grammar that combines it lives here. A numbered citation is found by its
number ("35-NQ/TW", "152/NQ-HĐND", "73/2023/NĐ-CP"), then grown backwards over
its kind word ("Nghị quyết số") and forwards over its date ("ngày 22/10/2018")
and issuer ("của Bộ Chính trị"); a "về …" subject after it becomes `title`.
Unnumbered references (laws, Central Committee plenums, Party congresses,
named groups) are found by their own shapes and never overlap a numbered one.

Modules: lexicon.py (the vocabulary from models/), grammar.py (the regex parts),
numbered.py (numbers, dates, issuers, titles, the own number), unnumbered.py (laws,
plenums, congresses, named groups).
"""
from __future__ import annotations

from typing import Optional

from ...model import Citation, DocContext, replace
from ...fold import fold
from .lexicon import canonical_body, issuer_body, normalise_id, title_key, type_for
from .numbered import numbered, on_number_line, own_number, printed_own_number, share_dates, span, title_spans, with_titles
from .unnumbered import groups, unnumbered

__all__ = ["find_citations", "normalise_id", "title_key", "issuer_body", "printed_own_number"]


def _overlaps(c: Citation, spans: list[tuple[int, int]]) -> bool:
    return any(c.start < e and s < c.end for s, e in spans)


def _names_itself(c: Citation, ctx: Optional[DocContext]) -> bool:
    """ "Chương trình hành động của Ban Chấp hành Đảng bộ phường" in a programme of action: a
    document of the reader's own kind, or by the reader's own issuer, named by its issuer is
    the document itself (or the programme it issues)."""
    if c.issued_by is None or c.id is not None or ctx is None or ctx.info is None:
        return False
    kind, issuer = ctx.info.kind, ctx.info.issuer
    # "Chương trình hành động của Chính phủ" in the Government's resolution that issues it
    own_issuer = bool(issuer) and fold(canonical_body(c.issued_by)) in fold(issuer)
    return own_issuer or (bool(kind) and c.type == type_for(kind, None, False))


def find_citations(text: str, ctx: Optional[DocContext] = None) -> list[Citation]:
    """Every document `text` cites, in order, with offsets into `text`.

    >>> [c.id for c in find_citations("theo Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị")]
    ['35-NQ/TW']
    """
    found = []
    for c in numbered(text):
        s, e = span(text, c.start, c.end)
        found.append(replace(c, start=s, end=e, text=text[s:e]))
    own = own_number(ctx)
    found = share_dates([c for c in found if c.id != own and not on_number_line(text, c)], text)
    spans = [(c.start, c.end) for c in found]
    # "… số 407/NQ-UBTVQH13 về Chương trình hoạt động giám sát của Ủy ban thường vụ Quốc hội":
    # a document named by its issuer inside a numbered one's subject is that subject.
    subjects = [w for w in title_spans(found, text) if w]
    others = [c for c in unnumbered(text) if not _overlaps(c, spans) and not _names_itself(c, ctx)
              and not (c.issued_by and _overlaps(c, subjects))]
    # a plenum inside a congress match (or the reverse) counts once: keep the longer
    others.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Citation] = []
    for c in others:
        if not _overlaps(c, [(k.start, k.end) for k in kept]):
            kept.append(c)
    cites = sorted(found + kept + groups(text, found), key=lambda c: (c.start, c.end))
    return with_titles(cites, text)
