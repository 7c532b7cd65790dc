"""The stages' fixed regular expressions, compiled once per change of the code, not once per process.

The `regex` module compiles in Python: the ~170 patterns the stage modules compile when
they are imported cost a process ~40 ms, more than pdfium takes to read a ten-page PDF's
text. `compiled` is `regex.compile` through a table kept in the vocabulary cache
(pipeline/vocab_cache.py, under the same fingerprint of code and vocabularies): the
table is unpickled once per process (a pickled pattern is its compiled code) and only a
pattern it lacks is compiled. `keep_compiled` writes the table back when this process
compiled something new; `parse` calls it when a document is done.

>>> compiled("[0-9]+").findall("Điều 12, khoản 3"), compiled("[0-9]+") is compiled("[0-9]+")
(['12', '3'], True)
"""
from __future__ import annotations

import unicodedata

import regex

from .vocab_cache import MISS, SOURCES, cache_dir, fingerprint_of, keep, load_kept

__all__ = ["compiled", "keep_compiled", "first_characters"]

_NAME = "pipeline.patterns"
_table: dict[tuple[str, int], "regex.Pattern"] | None = None
_new = 0  # patterns compiled since the table was read or written


def _path():
    directory = cache_dir()
    return (directory, directory / f"{_NAME}-{fingerprint_of(SOURCES)}.pickle") if directory else (None, None)


def compiled(pattern: str, flags: int = 0) -> "regex.Pattern":
    """`regex.compile(pattern, flags)`, from the kept table when it holds the pattern."""
    global _table, _new
    if _table is None:
        _, path = _path()
        kept = load_kept(path) if path else MISS
        _table = kept if isinstance(kept, dict) else {}
    key = (pattern, flags)
    found = _table.get(key)
    if found is None:
        found = _table[key] = regex.compile(pattern, flags)
        _new += 1
    return found


def keep_compiled() -> None:
    """Write the table to the cache if this process compiled patterns it lacked."""
    global _new
    directory, path = _path()
    if _new and _table is not None and directory is not None:
        keep(directory, _NAME, path, dict(_table))
        _new = 0


# Contexts a match may start after: none (the text's start), a letter, a space, a line break.
_BEFORE = ("", "a", " ", "\n")
_PROBED = 0x1F00  # every Latin, Vietnamese and punctuation character below this is probed; the rest pass


def first_characters(pattern: "regex.Pattern") -> str:
    """A case-sensitive class of every character a match of `pattern` can begin with, for a
    lookahead that lets the scan skip all other positions at once (`regex` tests a single
    leading class fast, a leading alternation of words slowly).

    Each character is asked of the pattern itself, as the first character of a partial
    match after each context of _BEFORE (what `\\b`, `^` or `\\A` before it can ask), so the
    class holds every character a match begins with; characters from U+1F00 on are all let
    through. A lookbehind could ask for a context the probe lacks: such a pattern is refused.

    >>> gate = first_characters(regex.compile(r"\\b(?:năm|quý)\\s+\\d", regex.IGNORECASE))
    >>> [c for c in "nNqQxđ1 " if regex.match(gate, c)]
    ['n', 'N', 'q', 'Q']
    """
    if "(?<=" in pattern.pattern or "(?<!" in pattern.pattern:
        raise ValueError("a lookbehind may ask for more context than first_characters probes")
    codes = [c for c in range(_PROBED)
             if any(pattern.match(before + chr(c), len(before), partial=True) for before in _BEFORE)]
    # the decimal digits of every script (what \\d matches) as \\d: one test, not thirty ranges
    digits = {c for c in range(_PROBED) if unicodedata.category(chr(c)) == "Nd"}
    shorthand = "\\d" if digits <= set(codes) else ""
    codes = [c for c in codes if not shorthand or c not in digits] + [_PROBED]
    ranges, first = [], codes[0]
    for previous, code in zip(codes, codes[1:]):
        if code != previous + 1:  # a class of few ranges is tested faster than one of many characters
            ranges.append((first, previous))
            first = code
    ranges.append((first, 0x10FFFF))
    # Case-sensitive: every case of a character was probed, and a class `regex` must fold
    # (under IGNORECASE) up to U+10FFFF is tested slowly.
    spans = "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\U{b:08x}" for a, b in ranges)
    return "(?-i:[" + shorthand + spans + "])"
