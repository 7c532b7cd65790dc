"""Grammar-constrained repair of OCR'd document numbers.

Only what the number grammar makes certain is fixed; anything doubtful is left
as read and reported, never invented.
"""
from __future__ import annotations

import regex

__all__ = ["repair_ocr_paragraph"]

# OCR confusions inside a number's digit part: letters that look like digits
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})

# "152/NQ-HĐND", "35-NQ/TW" with a digit part OCR'd as letters: "l52/NQ-HĐND", "3S-NQ/TW"
NUMBER_WITH_LOOKALIKES = regex.compile(
    r"""(?<![\p{L}\d])
        (?P<digits> \d[\dOolIS|B]* | [OolIS|B]\d[\dOolIS|B]* )   # at least one real digit
        (?P<tail> [-/] (?:NQ|QĐ|QĐi|CT|KL|KH|TB|BC|NĐ|TT|HD|CV|CTr) [-/] \p{Lu}[\p{Lu}\d]* )""",
    regex.VERBOSE,
)
# spaces OCR puts around the separators: "35 - NQ/TW", "152/ NQ-HĐND"
SPACED_NUMBER = regex.compile(
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
    return text, notes
