"""underthesea's POS tags, read from its own CRF models without importing the package.

`import underthesea` costs ~0.35 s of CPU before a word is tagged (joblib, numpy, requests,
its text normaliser's rules loaded twice) and its first `pos_tag` another ~0.25 s (joblib's
pure-Python unpickler reads the 72,000-word dictionary). The models themselves are files
in the installed package, in CRFsuite's format: underthesea_core's tagger takes ~0.2 s of CPU
to load them (it rebuilds every feature's table), python-crfsuite (the C library they were
written for) ~6 ms, and it tags the same. The steps are underthesea's (9.x): its regex tokenizer and token normaliser,
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

# Feature templates, in underthesea's notation: T[i] is the token i places away, T[i,j] tokens
# i..j joined by a space, [1] the placeholder column (the tag "X" of every token), .f a function.
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\[(\d)\])?(?:\.(\w+))?")


def _template(names: list[str]) -> list[tuple[str, int, int | None, int, str | None]]:
    """(name, i, j, column, function) of each feature name."""
    out = []
    for name in names:
        i, j, column, function = _TEMPLATE.fullmatch(name).groups()
        out.append((name, int(i), None if j is None else int(j), int(column or 0), function))
    return out


# The POS model's (underthesea's pos_tag/model_crf.py), with its "istitle": every piece's first
# character a title-case letter.
_POS_TEMPLATE = _template(["T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
                           "T[0].istitle", "T[-1].istitle", "T[1].istitle",
                           "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]", "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
                           "T[-3][1]", "T[-2][1]", "T[-1][1]", "T[-3,-2][1]", "T[-2,-1][1]"])
_POS_FUNCTIONS = {"lower": str.lower,
                  "istitle": lambda w: str(bool(w) and all(p and p[0].istitle() for p in w.split(" ")))}


def _features(tokens: list[str], template, functions: dict) -> list[list[str]]:
    """Each token's features: "T[-1,0].lower=sở y"; BOS / EOS past either end."""
    n = len(tokens)
    rows = []
    for k in range(n):
        row = []
        for name, i, j, column, function in template:
            last = i if j is None else j
            if k + i < 0:
                row.append(name + "=BOS")
            elif k + last >= n:
                row.append(name + "=EOS")
            else:
                word = " ".join(["X"] * (last - i + 1) if column else tokens[k + i:k + last + 1])
                row.append(name + "=" + (functions[function](word) if function else word))
        rows.append(row)
    return rows


class _Tagger:
    def __init__(self, home: Path):
        import pycrfsuite

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
        # The word-segmentation model's template (its features.bin), computed here rather than by
        # underthesea_core's featurizer, whose set-up copies the dictionary (~0.04 s); its
        # "istitle" is: no piece begins in lower case. tests/test_pos.py holds the two equal.
        self.template = _template(features)
        self.dictionary = dictionary
        self.functions = {"lower": str.lower, "isdigit": lambda w: str(w.isdigit()),
                          "istitle": lambda w: str(all(p and not p[0].islower() for p in w.split(" "))),
                          "is_in_dict": lambda w: str(w.lower() in dictionary)}
        self.segmenter = pycrfsuite.Tagger()
        self.segmenter.open(str(words / "models.bin"))
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(home / _POS_MODEL))

    def tokens_of(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFC", text).translate(self.characters)
        found = [m.group() for m in self.token.finditer(text)]
        return [t if len(t) > 6 else self.tokens.get(t, t) for t in found]

    def words_of(self, text: str) -> list[str]:
        tokens = self.tokens_of(text)
        if not tokens:
            return []
        tags = self.segmenter.tag(_features(tokens, self.template, self.functions))
        words: list[str] = []
        for k, (tag, token) in enumerate(zip(tags, tokens)):
            if tag == "I-W" and k > 0:
                words[-1] += " " + token
            else:
                words.append(token)
        return words

    def __call__(self, text: str) -> list[tuple[str, str]]:
        words = self.words_of(text)
        return list(zip(words, self.tagger.tag(_features(words, _POS_TEMPLATE, _POS_FUNCTIONS)))) if words else []


@lru_cache(maxsize=1)
def _tagger() -> _Tagger:
    spec = importlib.util.find_spec("underthesea")  # finds the package without running it
    return _Tagger(Path(next(iter(spec.submodule_search_locations))))


def pos_tag(text: str) -> list[tuple[str, str]]:
    """(word, tag) for the words of `text`, as `underthesea.pos_tag(text)` gives them."""
    return _tagger()(text)
