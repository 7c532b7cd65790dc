"""The lean POS tagger (pipeline/tag/bodies/pos.py) gives underthesea's own tags.

It reads underthesea's models without importing the package; a name's end depends on
those tags, so any difference from `underthesea.pos_tag` would move bodies. Compared on
windows of every sentence of the development corpus and of the real documents' gold text
(read from ../shared at test time), cut the way `_predicate_cut` cuts its context.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import underthesea

from pipeline.tag.bodies.pos import pos_tag

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _texts() -> list[str]:
    texts = [json.loads(p.read_text(encoding="utf-8")).get("text") or "" for p in sorted((SHARED / "gold" / "real").glob("*.json"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus" / "real").glob("*.md"))]
    return [t for t in texts if t]


def _windows(stride: int = 3) -> list[str]:
    """Pieces of up to 90 characters between sentence marks, every `stride`-th one."""
    found = []
    for text in _texts():
        for sentence in re.split(r"[.;:!?\n]", text):
            sentence = sentence.strip()
            found += [sentence[k:k + 90] for k in range(0, len(sentence), 70)]
    return found[::stride]


def test_tags_equal_underthesea_on_the_corpora():
    windows = _windows()
    assert len(windows) > 2000  # the corpora were found
    differ = [(w, pos_tag(w), theirs) for w in windows
              if pos_tag(w) != (theirs := [tuple(p) for p in underthesea.pos_tag(w)])]
    for window, mine, theirs in differ[:5]:
        print(window, mine, theirs, sep="\n  ")
    assert differ == []


def test_tokens_that_underthesea_reads_its_own_way():
    # dotted abbreviations, dates, codes and hyphenated words are single tokens; a combining mark alone is not
    sentence = "UBND TP. Hà Nội, T.Ư giao ngày 02/5/2025 số 57-NQ/TW và e-mail"
    tagged = pos_tag(sentence)
    assert tagged == [tuple(p) for p in underthesea.pos_tag(sentence)]
    words = [w for w, _ in tagged]
    assert words[:2] == ["UBND", "TP."] and "T.Ư" in words and "02/5/2025" in words and "e-mail" in words
    assert "57" in words and "NQ" in words and "TW" in words
    assert [w for w, _ in pos_tag("\u0301n đường")][:2] == ["\u0301", "n"]
    assert pos_tag("") == [] and pos_tag("  ") == []


def test_word_features_equal_underthesea_cores_featurizer():
    """The word-segmentation features are computed in Python (no featurizer to set up); they must be
    the ones underthesea_core's CRFFeaturizer gives the model, feature for feature."""
    from underthesea_core import CRFFeaturizer

    from pipeline.tag.bodies.pos import _features, _tagger

    tagger = _tagger()
    featurizer = CRFFeaturizer([name for name, *_ in tagger.template], tagger.dictionary)
    windows = _windows()
    differ = []
    for window in windows:
        tokens = tagger.tokens_of(window)
        if tokens and featurizer.process([[[t] for t in tokens]])[0] != _features(tokens, tagger.template, tagger.functions):
            differ.append(window)
    assert len(windows) > 2000 and differ == []

