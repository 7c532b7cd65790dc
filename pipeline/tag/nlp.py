"""The spaCy view of a tagged clause: span groups and a displaCy rendering.

The regex grammar in bodies.py is the primary finder (fast, offsets exact);
this module puts its results, and the deadlines and citations, into a spaCy
`Doc` for people who work with spaCy tools. A blank Vietnamese pipeline with
no pyvi dependency tokenises words and punctuation apart; a SpanRuler whose
phrase patterns come from the same registry (models/bodies.yaml) marks every
registry name under the span group "registry".
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import spacy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..model import BodyRef, Citation, Deadline
from .bodies import _modern_tones, registry_phrases
from ..patterns import compiled

__all__ = ["nlp", "to_spacy", "render_html"]

# Words (letters, digits, with inner "/" "-" as in "35-NQ/TW") and single punctuation marks.
_TOKEN = compiled(r"[\p{L}\p{N}]+(?:[/\-][\p{L}\p{N}]+)*|[^\s]")


class _WordTokenizer:
    """Whitespace-and-punctuation tokenizer: "Đảng ủy," → "Đảng", "ủy", ","."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        matches = list(_TOKEN.finditer(text))
        words = [m.group() for m in matches]
        spaces = [bool(i + 1 < len(matches) and matches[i + 1].start() > m.end())
                  for i, m in enumerate(matches)]
        if matches and matches[-1].end() < len(text):
            spaces[-1] = True
        return Doc(self.vocab, words=words, spaces=spaces)


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The blank Vietnamese pipeline with a registry SpanRuler (built once).

    >>> [t.text for t in nlp().make_doc("Đảng ủy, UBND phường.")]
    ['Đảng', 'ủy', ',', 'UBND', 'phường', '.']
    """
    pipe = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipe.tokenizer = _WordTokenizer(pipe.vocab)
    ruler = pipe.add_pipe("span_ruler", config={"spans_key": "registry", "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "BODY", "pattern": phrase, "id": key}
                        for phrase, _, key in registry_phrases()])
    return pipe


def _spans(doc: Doc, items: Iterable, label_of) -> list[Span]:
    out = []
    for item in items:
        if item.start is None or item.end is None:
            continue  # inherited tags have no place in this text
        span = doc.char_span(item.start, item.end, label=label_of(item), alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


def to_spacy(text: str, bodies: Sequence[BodyRef] = (), deadlines: Sequence[Deadline] = (),
             citations: Sequence[Citation] = ()) -> Doc:
    """A spaCy Doc of `text` with span groups "bodies", "deadlines", "citations" (and "registry").

    Offsets of the tags index `text`; tone marks are modernised for the ruler only.

    >>> from pipeline.tag.bodies import find_bodies
    >>> t = "Giao Văn phòng Đảng ủy chủ trì."
    >>> doc = to_spacy(t, find_bodies(t))
    >>> [(s.text, s.label_) for s in doc.spans["bodies"]]
    [('Văn phòng Đảng ủy', 'owner')]
    """
    pipe = nlp()
    doc = pipe.make_doc(text)
    # The ruler's patterns use modern tone marks; run it on the modernised twin
    # (same characters classes, so the same tokens) and copy its spans back.
    ruled = pipe(_modern_tones(text))
    doc.spans["registry"] = [Span(doc, s.start, s.end, label=s.label_, span_id=s.id_)
                             for s in ruled.spans["registry"]]
    doc.spans["bodies"] = _spans(doc, bodies, lambda b: b.role)
    doc.spans["deadlines"] = _spans(doc, deadlines, lambda d: d.kind)
    doc.spans["citations"] = _spans(doc, citations, lambda c: c.type or "citation")
    return doc


def render_html(doc: Doc) -> str:
    """An HTML page showing bodies, deadlines and citations as labelled spans (displaCy "span" style).

    >>> from pipeline.tag.bodies import find_bodies
    >>> t = "Chi bộ Công an phường chủ trì."
    >>> "owner" in render_html(to_spacy(t, find_bodies(t)))
    True
    """
    doc.spans["nqgraph"] = [*doc.spans.get("bodies", []), *doc.spans.get("deadlines", []),
                            *doc.spans.get("citations", [])]
    return displacy.render(doc, style="span", options={"spans_key": "nqgraph"}, page=True)
