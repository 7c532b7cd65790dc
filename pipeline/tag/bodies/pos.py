"""underthesea's POS tags, read from its own CRF models without importing the package.

`import underthesea` costs ~0.35 s of CPU before a word is tagged (joblib, numpy, requests,
its text normaliser's rules loaded twice) and its first `pos_tag` another ~0.25 s (joblib's
pure-Python unpickler reads the 72,000-word dictionary). The models themselves are files
in the installed package, read by underthesea_core's CRF tagger: loaded directly, they cost
~0.15 s in all. The steps are underthesea's (9.x): its regex tokenizer and token normaliser,
its word-segmentation CRF over its feature template, then its POS CRF over the segmented words
with the POS model's template. tests/test_pos.py checks that the features equal
underthesea_core's featurizer's and the tags `underthesea.pos_tag`'s on windows of the corpora.

>>> pos_tag("Sở Y tế chuẩn bị nội dung")
[('Sở', 'N'), ('Y tế', 'N'), ('chuẩn bị', 'V'), ('nội dung', 'N')]
"""
from __future__ import annotations

import importlib.util
import pickle
import unicodedata
from functools import lru_cache
from pathlib import Path

import re

_WORD_MODEL = "pipeline/word_tokenize/models/ws_crf_vlsp2013_20230727"
_POS_MODEL = "pipeline/pos_tag/pos_crf_2017_10_11.bin"
_TOKEN_RULES = "pipeline/text_normalize/tn_rules_2023_07_14.bin"

# underthesea's tokens, in its order of priority (regex_tokenize.py); the kinds an
# administrative sentence holds: dotted abbreviations, dates, codes, numbers, punctuation,
# hyphenated words, words, any other mark alone. The standard `re`: its \w, unlike the
# regex module's, leaves out combining marks, as underthesea's tokenizer does.
_U = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_W = _U + _U.lower()
_TOKEN_PATTERN = "|".join([
    r"=\>|==>|->|\.{2,}|-{2,}|>>|\d+x\d+|v\.v\.\.\.|v\.v\.|v\.v|°[CF]",
    r"[A-ZĐ]+&[A-ZĐ]+|T\.Ư", rf"[{_U}]+(?:\.[{_W}]+)+\.?", rf"[{_W}]+['’][{_W}]+",
    r"[A-ZĐ]+\.(?!$)|Tp\.|Mr\.|Mrs\.|Ms\.|Dr\.|ThS\.|Th\.S|Th\.s|e-mail|\d+[A-Z]+\d*-\d+|NĐ-CP",
    r"[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+",
    r"\d{2,}-\d{3,}-\d{3,}",
    r"\d{1,2}/\d{1,2}/\d+|\d{1,2}/\d{1,4}|\d{1,2}-\d{1,2}-\d+|\d{1,2}-\d{1,4}|\d{1,2}\.\d{1,2}\.\d+"
    r"|\d{4}/\d{1,2}/\d{1,2}|\d{2}:\d{2}:\d{2}",
    r"\d+[A-Z]+\d+|\d+[A-Z]+",
    r"\d+(?:\.\d+)+,\d+|\d+(?:\.\d+)+|\d+(?:,\d+)+|\d+(?:[.,_]\d+)?",
    r"[.,()ʺ]",
    r"(?<=\b)\w+-[\w+-]*\w+",
    r"\w+",
    r"[^\w\s]",
])

# The POS model's feature template (underthesea's pos_tag/model_crf.py): T[i] is the word i
# places away, T[i,j] words i..j joined; column 1 is a constant placeholder tag.
_POS_TEMPLATE = [(-2, None, "lower"), (-1, None, "lower"), (0, None, "lower"), (1, None, "lower"),
                 (2, None, "lower"), (0, None, "istitle"), (-1, None, "istitle"), (1, None, "istitle"),
                 (-2, None, None), (-1, None, None), (0, None, None), (1, None, None), (2, None, None),
                 (-2, -1, None), (-1, 0, None), (0, 1, None), (1, 2, None)]
_PLACEHOLDER_TEMPLATE = [(-3, None), (-2, None), (-1, None), (-3, -2), (-2, -1)]


def _name(i: int, j: int | None, column: int = 0, function: str | None = None) -> str:
    name = f"T[{i}]" if j is None else f"T[{i},{j}]"
    return name + (f"[{column}]" if column else "") + (f".{function}" if function else "")


def _is_title(words: str) -> bool:
    pieces = words.split(" ")
    return bool(words) and all(p and p[0].istitle() for p in pieces)


def _pos_features(words: list[str]) -> list[list[str]]:
    n = len(words)
    rows = []
    for k in range(n):
        row = []
        for i, j, function in _POS_TEMPLATE:
            prefix = _name(i, j, 0, function) + "="
            if k + i < 0:
                row.append(prefix + "BOS")
                continue
            if k + i >= n or (j is not None and k + j >= n):
                row.append(prefix + "EOS")
                continue
            word = words[k + i] if j is None else " ".join(words[k + i:k + j + 1])
            row.append(prefix + (word.lower() if function == "lower" else str(_is_title(word)) if function else word))
        for i, j in _PLACEHOLDER_TEMPLATE:
            prefix = _name(i, j, 1) + "="
            row.append(prefix + ("BOS" if k + i < 0 else "X" if j is None else "X X"))
        rows.append(row)
    return rows


# The word-segmentation model's feature template (its features.bin): "T[-2,-1].lower",
# "T[0].is_in_dict" … Computed here rather than by underthesea_core's featurizer, whose set-up
# copies the 72,000-word dictionary (~0.04 s); tests/test_pos.py holds the two equal.
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")


def _word_features(tokens: list[str], template: list[tuple[str, int, int | None, str | None]],
                   dictionary: set[str]) -> list[list[str]]:
    n = len(tokens)
    rows = []
    for k in range(n):
        row = []
        for name, i, j, function in template:
            if k + i < 0:
                row.append(name + "=BOS")
                continue
            if k + i >= n or (j is not None and k + j >= n):
                row.append(name + "=EOS")
                continue
            word = tokens[k + i] if j is None else " ".join(tokens[k + i:k + j + 1])
            if function == "lower":
                word = word.lower()
            elif function == "isdigit":
                word = str(word.isdigit())
            elif function == "istitle":  # underthesea_core's: no piece begins in lower case
                word = str(all(p and not p[0].islower() for p in word.split(" ")))
            elif function == "is_in_dict":
                word = str(word.lower() in dictionary)
            row.append(name + "=" + word)
        rows.append(row)
    return rows


class _Tagger:
    def __init__(self, home: Path):
        from underthesea_core import CRFTagger

        words = home / _WORD_MODEL
        # joblib wrote these as plain pickles of a list and a set; the C unpickler reads them 15x faster
        with open(words / "features.bin", "rb") as f:
            features = pickle.load(f)
        with open(words / "dictionary.bin", "rb") as f:
            dictionary = pickle.load(f)
        with open(home / _TOKEN_RULES, "rb") as f:
            rules = pickle.load(f)
        self.token = re.compile(_TOKEN_PATTERN)
        self.characters = str.maketrans(rules["character"])
        self.tokens = rules["token"]
        self.template = [(f, int(i), None if j is None else int(j), fn)
                         for f, (i, j, fn) in ((f, _TEMPLATE.fullmatch(f).groups()) for f in features)]
        self.dictionary = dictionary
        self.segmenter = CRFTagger()
        self.segmenter.load(str(words / "models.bin"))
        self.tagger = CRFTagger()
        self.tagger.load(str(home / _POS_MODEL))

    def tokens_of(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFC", text).translate(self.characters)
        found = [m.group() for m in self.token.finditer(text)]
        return [t if len(t) > 6 else self.tokens.get(t, t) for t in found]

    def words_of(self, text: str) -> list[str]:
        tokens = self.tokens_of(text)
        if not tokens:
            return []
        tags = self.segmenter.tag(_word_features(tokens, self.template, self.dictionary))
        words: list[str] = []
        for k, (tag, token) in enumerate(zip(tags, tokens)):
            if tag == "I-W" and k > 0:
                words[-1] += " " + token
            else:
                words.append(token)
        return words

    def __call__(self, text: str) -> list[tuple[str, str]]:
        words = self.words_of(text)
        return list(zip(words, self.tagger.tag(_pos_features(words)))) if words else []


@lru_cache(maxsize=1)
def _tagger() -> _Tagger:
    spec = importlib.util.find_spec("underthesea")  # finds the package without running it
    return _Tagger(Path(next(iter(spec.submodule_search_locations))))


def pos_tag(text: str) -> list[tuple[str, str]]:
    """(word, tag) for the words of `text`, as `underthesea.pos_tag(text)` gives them."""
    return _tagger()(text)
