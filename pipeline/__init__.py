"""nqgraph: Vietnamese resolutions → a graph of who must do what, by when, under which directive.

The public face is one verb per stage and `parse`, which runs them in order:

>>> from pipeline import parse
>>> doc = parse("corpus/nq_hdnd_thanh_pho.txt")           # doctest: +SKIP
>>> [c.label for c in doc.walk()][:3]                      # doctest: +SKIP
['Điều 1.', '1.', '2.']

A step a user wants to replace is a keyword argument whose default is ours.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from .model import Document, Extracted

__all__ = ["parse", "document_from_extracted"]


def document_from_extracted(source: str, sha256: str, extracted: Extracted) -> Document:
    """Wrap extraction output as an (unsegmented) Document."""
    return Document(
        source=source, sha256=sha256, info=extracted.info, pages=extracted.pages,
        text=extracted.text, warnings=tuple(extracted.warnings), page_sources=tuple(extracted.page_sources),
        footnotes=tuple(extracted.footnotes), paragraphs=tuple(extracted.paragraphs), original=extracted.original,
        parts=tuple(extracted.parts),
    )


def parse(path: str | Path, *, extractor: Callable[..., Extracted] | None = None,
          segmenter: Callable[[Document], Document] | None = None,
          tagger: Callable[[Document], Document] | None = None, **extract_options) -> Document:
    """Extract, segment and tag one file (PDF, DOCX or TXT) into a Document.

    Raises a pipeline.errors.NqgraphError subclass on bad input.
    """
    from .extract import extract
    from .patterns import keep_compiled
    from .segment import segment
    from .tag import tag

    path = Path(path)
    extracted = (extractor or extract)(path, **extract_options)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    doc = document_from_extracted(path.name, digest, extracted)
    doc = (segmenter or segment)(doc)
    doc = (tagger or tag)(doc)
    keep_compiled()  # the next process finds every pattern this one compiled (patterns.py)
    return doc
