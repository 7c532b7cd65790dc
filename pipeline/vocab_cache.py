"""Vocabularies built once per change, not once per process: compiled tables kept on disk.

Loading models/*.yaml and compiling the patterns built from them costs a process about
half a second (the `regex` module compiles in Python; the deadline grammar alone is
tens of kilobytes of pattern), while reading one page takes milliseconds. A builder
decorated with `cached_build` runs once; its result is pickled under the cache
directory, and every later process unpickles it (a compiled `regex` pattern pickles as
its compiled code, so nothing is compiled again).

The key is a fingerprint of every file a builder could read or be written in — each
file under models/ and pipeline/ by path, size and modification time — and of the
Python and `regex` versions. Editing a vocabulary or the code that compiles it
therefore builds afresh; nothing stale is ever served. A cache that cannot be read or
written (a read-only home, a damaged file, a file another user wrote) is a miss, never an
error.

`NQGRAPH_CACHE_DIR` names the directory (default `$XDG_CACHE_HOME/nqgraph`, else
`~/.cache/nqgraph`); set it empty to build in every process.

>>> @cached_build
... def squares() -> dict[int, int]:
...     return {n: n * n for n in range(4)}
>>> squares()[3]
9
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

__all__ = ["cached_build", "cache_dir", "fingerprint", "load_kept", "keep", "MISS"]

T = TypeVar("T")

PACKAGE = Path(__file__).resolve().parent
# The package's code and its vocabularies (models/ sits beside the package in the source tree).
SOURCES = (PACKAGE, PACKAGE.parent / "models")
_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".tsv", ".txt"}


def cache_dir() -> Path | None:
    """Where built vocabularies are kept; None when caching is turned off."""
    named = os.environ.get("NQGRAPH_CACHE_DIR")
    if named is not None:
        return Path(named) if named else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nqgraph"


def fingerprint(roots: Iterable[Path] = SOURCES) -> str:
    """A digest of the files under `roots` (path, size, modification time) and the versions that
    shape a pickled pattern: any edit to code or vocabulary gives another fingerprint."""
    import regex

    digest = hashlib.sha256(f"{sys.version}|{regex.__version__}|{pickle.HIGHEST_PROTOCOL}".encode())
    for root in roots:
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if Path(name).suffix not in _SUFFIXES:
                    continue
                path = os.path.join(directory, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


@functools.lru_cache(maxsize=None)
def fingerprint_of(roots: tuple[Path, ...]) -> str:
    return fingerprint(roots)


def load_kept(path: Path):
    """The value pickled at `path`, or MISS."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return MISS  # unpickling runs code: only a file this user wrote is read
            return pickle.load(handle)
    except Exception:  # missing, damaged, or written by a build this code cannot read: a miss
        return MISS


MISS = object()


def keep(directory: Path, name: str, path: Path, value) -> None:
    """Write atomically (another process may be reading), and drop this builder's stale files."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in directory.glob(f"{name}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{name}-", suffix=".tmp", delete=False)
        with handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        try:
            os.unlink(handle.name)
        except (OSError, NameError, UnboundLocalError):
            pass


def load_or_build(name: str, build: Callable[[], T], roots: tuple[Path, ...] = SOURCES) -> T:
    """`build()`'s value from the cache when the files under `roots` are as they were, else built and kept."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"{name}-{fingerprint_of(tuple(roots))}.pickle"
    value = load_kept(path)
    if value is MISS:
        value = build()
        keep(directory, name, path, value)
    return value


def cached_build(build: Callable[[], T] | None = None, *, roots: tuple[Path, ...] = SOURCES):
    """Decorate a no-argument builder of a vocabulary: built once per process at most (as
    `functools.lru_cache` does), and once per change of the files under `roots` across processes.
    The value must pickle (dataclasses, dicts, compiled `regex` patterns do; lambdas do not)."""
    def decorate(function: Callable[[], T]) -> Callable[[], T]:
        name = f"{function.__module__}.{function.__qualname__}".replace("<", "").replace(">", "")
        return functools.lru_cache(maxsize=1)(functools.wraps(function)(
            lambda: load_or_build(name, function, roots)))

    return decorate(build) if build is not None else decorate
