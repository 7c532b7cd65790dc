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

import regex

from .vocab_cache import MISS, SOURCES, cache_dir, fingerprint_of, keep, load_kept

__all__ = ["compiled", "keep_compiled"]

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
