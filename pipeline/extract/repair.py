"""Grammar- and registry-constrained repair of OCR text.

Document numbers are fixed where the number grammar leaves one reading; body
names where the registry does ("Chỉ bộ" → "Chi bộ": Tesseract adds and drops tone
marks). Only what the grammar or the registry makes certain is fixed, with the
same length so offsets hold; anything doubtful is left as read, never invented.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import regex

from .normalize import modern_tone_marks
from ..patterns import compiled

__all__ = ["repair_ocr_paragraph", "repair_label_sequence", "repair_line_names", "repair_syllable"]

# OCR confusions inside a number's digit part: letters that look like digits
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})

# "152/NQ-HĐND", "35-NQ/TW" with a digit part OCR'd as letters: "l52/NQ-HĐND", "3S-NQ/TW"
NUMBER_WITH_LOOKALIKES = compiled(
    r"""(?<![\p{L}\d])
        (?P<digits> \d[\dOolIS|B]* | [OolIS|B]\d[\dOolIS|B]* )   # at least one real digit
        (?P<tail> [-/] (?:NQ|QĐ|QĐi|CT|KL|KH|TB|BC|NĐ|TT|HD|CV|CTr) [-/] \p{Lu}[\p{Lu}\d]* )""",
    regex.VERBOSE,
)
# spaces OCR puts around the separators: "35 - NQ/TW", "152/ NQ-HĐND"
SPACED_NUMBER = compiled(
    r"(?<![\p{L}\d])(?P<n>\d{1,4})\s*(?P<s1>[-/])\s+(?P<code>NQ|QĐ|CT|KL|KH|TB|BC|NĐ|HD|CTr)\s*(?P<s2>[-/])\s*(?P<iss>\p{Lu}[\p{Lu}\d]+)\b"
)


def repair_ocr_paragraph(text: str) -> tuple[str, list[str]]:
    """Fix OCR'd document numbers where the grammar leaves one reading; report the fixes.

    >>> repair_ocr_paragraph("Nghị quyết số l52/NQ-HĐND và 35 - NQ/TW")
    ('Nghị quyết số 152/NQ-HĐND và 35-NQ/TW', ["repaired OCR number 'l52/NQ-HĐND' → '152/NQ-HĐND'", "repaired OCR number '35 - NQ/TW' → '35-NQ/TW'"])
    """
    notes: list[str] = []

    def digits(m: regex.Match) -> str:
        fixed = m["digits"].translate(DIGIT_LOOKALIKES) + m["tail"]
        if fixed != m[0]:
            notes.append(f"repaired OCR number {m[0]!r} → {fixed!r}")
        return fixed

    def spaced(m: regex.Match) -> str:
        fixed = f"{m['n']}{m['s1']}{m['code']}{m['s2']}{m['iss']}"
        notes.append(f"repaired OCR number {m[0]!r} → {fixed!r}")
        return fixed

    text = NUMBER_WITH_LOOKALIKES.sub(digits, text)
    text = SPACED_NUMBER.sub(spaced, text)
    text = _repair_body_names(text, notes)
    return text, notes


REGISTRY = Path(__file__).resolve().parents[2] / "models" / "bodies.yaml"


def _base(ch: str) -> str:
    """One character without case or diacritics (length kept: NFC letters are one code point)."""
    if ch in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", ch.lower())
    return decomposed[0] if decomposed else ch


def _bases(text: str) -> str:
    return "".join(_base(ch) for ch in text)


@lru_cache(maxsize=1)
def _registry_names() -> tuple[regex.Pattern, dict[str, str]]:
    """Multi-word organ and group names of the body registry and fixed phrases (models/ocr_phrases.txt),
    by their base letters."""
    import yaml  # here, not at the top: only repairing an OCR page needs it

    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    spellings: dict[str, str] = {}
    for entry in data.get("organs", []) + data.get("group_nouns", []):
        for name in [entry["name"], *(entry.get("aliases") or [])]:
            name = unicodedata.normalize("NFC", name)
            if len(name.split()) >= 2 and any(ch.islower() for ch in name) and len(_bases(name)) == len(name):
                spellings.setdefault(_bases(name), name)
    phrases = REGISTRY.parent / "ocr_phrases.txt"
    for line in phrases.read_text(encoding="utf-8").splitlines():
        phrase = unicodedata.normalize("NFC", line.strip())
        if phrase and not phrase.startswith("#") and len(_bases(phrase)) == len(phrase):
            spellings.setdefault(_bases(phrase), phrase)
    ordered = sorted(spellings, key=len, reverse=True)
    pattern = regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(regex.escape(k) for k in ordered) + r")(?![\p{L}\d])")
    return pattern, spellings


def _repair_body_names(text: str, notes: list[str]) -> str:
    pattern, spellings = _registry_names()
    bases = _bases(text)
    if len(bases) != len(text):
        return text
    out = list(text)
    for m in pattern.finditer(bases):
        read, right = text[m.start():m.end()], spellings[m.group()]
        if modern_tone_marks(read).lower() == modern_tone_marks(right).lower():
            continue  # "uỷ" is the author's older spelling, not an OCR error
        # Same letters, other tone marks: keep the reader's capitals, take the registry's marks.
        fixed = "".join(r if _base(r) == r.lower() == c.lower() else (c.upper() if r.isupper() else c.lower())
                        for r, c in zip(read, right))
        if fixed.lower() != read.lower():
            out[m.start():m.end()] = fixed
            notes.append(f"repaired OCR tone marks {read!r} → {fixed!r}")
    return "".join(out)


# "(i1) … (i2) … (14)": OCR reads the letter of a lettered item as a digit or a like
# shape, or drops it. Only the sequence makes it certain: right after "(i3)", "(14)" is
# "(i4)", and so is "(4)" unless the numbered items have reached "(3)".
_LETTERED_LABEL = compiled(r"^\((?P<letter>[a-zđ])(?P<n>\d{1,2})\)(?P<rest>.*)$")
_NUMBERED_LABEL = compiled(r"^\((?P<n>\d{1,2})\)(?P<rest>.*)$")
_MISREAD_LABEL = compiled(r"^\((?P<letter>[1lI|íì]?)(?P<n>\d)\)(?P<rest>.*)$")
_LETTER_LOOKALIKES = {"i": "1lI|íì"}


def repair_label_sequence(words: list) -> list:
    """Fix OCR'd item labels whose letter was misread or lost, where the sequence is certain.

    `words` are OCR words (layout.Word) in reading order; returns them with "(14)"
    or "(4)" read as "(i4)" when the last lettered label before it was "(i3)" (and
    "(4)" does not go on from a numbered "(3)").

    >>> from pipeline.extract.layout import Word
    >>> words = lambda *texts: [Word(t, 0, 1, 0, 1, 12) for t in texts]
    >>> [w.text for w in repair_label_sequence(words("(i3)", "tiếp", "(14)", "(5)"))]
    ['(i3)', 'tiếp', '(i4)', '(i5)']
    >>> [w.text for w in repair_label_sequence(words("(11)", "(12)", "(1)", "(i1)", "(2)"))]
    ['(11)', '(12)', '(1)', '(i1)', '(2)']
    """
    from dataclasses import replace as replace_field

    lettered: tuple[str, int] | None = None
    numbered = 0
    out = []
    for word in words:
        text = word.text
        misread = _MISREAD_LABEL.match(text)
        if misread and lettered and int(misread["n"]) == lettered[1] + 1:
            letter_lost = not misread["letter"] and int(misread["n"]) != numbered + 1
            letter_misread = bool(misread["letter"]) and misread["letter"] in _LETTER_LOOKALIKES.get(lettered[0], "")
            if letter_lost or letter_misread:
                text = f"({lettered[0]}{misread['n']}){misread['rest']}"
                word = replace_field(word, text=text)
        if (match := _LETTERED_LABEL.match(text)):
            lettered = (match["letter"], int(match["n"]))
        elif (match := _NUMBERED_LABEL.match(text)):
            numbered, lettered = int(match["n"]), None  # a numbered item: its own sequence starts
        out.append(word)
    return out


_LETTERS = compiled(r"\p{L}+")


@lru_cache(maxsize=1)
def _accent_confusions() -> dict[str, str]:
    from .normalize import MODELS, read_table

    return read_table(MODELS / "ocr_accent_confusions.tsv")


def repair_syllable(word: str) -> str:
    """Restore a mark OCR lost, where the syllable grammar leaves exactly one reading.

    >>> repair_syllable("QUYÉT"), repair_syllable("PHÓ"), repair_syllable("Số:")
    ('QUYẾT', 'PHÓ', 'Số:')
    """
    from .legacy import _is_syllable

    confusions = _accent_confusions()

    def fix(m: regex.Match) -> str:
        token = m[0]
        if _is_syllable(token) or not any(ch in confusions for ch in token):
            return token
        readings = {token[:k] + confusions[ch] + token[k + 1:] for k, ch in enumerate(token) if ch in confusions}
        valid = [r for r in readings if _is_syllable(r)]
        return valid[0] if len(valid) == 1 else token

    return _LETTERS.sub(fix, word)


def repair_line_names(words: list) -> list:
    """Registry names and fixed phrases with OCR's tone marks, fixed line by line on OCR words.

    Header and closing lines never reach the paragraph repair, yet they give the issuer
    ("HỘI ĐÓNG NHÂN DÂN / THÀNH PHÓ HÀ NỘI"). Words of one OCR line share their top and
    bottom (ocr.words_from_tsv); the fix keeps every length, so words map back one to one.

    >>> from pipeline.extract.layout import Word
    >>> line = [Word(t, 0, 1, 5, 9, 12) for t in "HỘI ĐÓNG NHÂN DÂN".split()]
    >>> " ".join(w.text for w in repair_line_names(line))
    'HỘI ĐỒNG NHÂN DÂN'
    """
    from dataclasses import replace as replace_field

    out: list = []
    start = 0
    for end in range(1, len(words) + 1):
        if end < len(words) and (words[end].top, words[end].bottom) == (words[start].top, words[start].bottom):
            continue
        line = words[start:end]
        fixed = _repair_body_names(" ".join(w.text for w in line), []).split(" ")
        if len(fixed) == len(line):
            line = [replace_field(w, text=t) if t != w.text else w for w, t in zip(line, fixed)]
        out += line
        start = end
    return out
