"""Defaults every command shares, in a module that imports nothing: the CLI reads them to
build its options before it knows which command runs (the store itself loads only for a
command that opens one)."""
from __future__ import annotations

from pathlib import Path

DEFAULT_DB = Path("outputs/nqgraph.sqlite")
