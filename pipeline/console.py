"""The CLI's rich consoles, made on first use: a command that prints only JSON, or nothing,
does not import rich (~30 ms of every process)."""
from __future__ import annotations


class LazyConsole:
    """A `rich.console.Console(**options)` built the first time one of its attributes is read."""

    def __init__(self, **options):
        self._options = options
        self._console = None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)
