"""The errors nqgraph raises on bad input, each with a stable code and a what-to-do message.

The CLI prints `str(error)` as one line and exits 2; the web page shows it on the form.
"""
from __future__ import annotations

import os


def display_path(path: object) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 (a zip made on an
    old Windows machine names its files in cp1258 or cp437) become U+FFFD, never a lone surrogate.

    >>> display_path(os.fsdecode(b"Quy\\xe9t_\\xf0inh.pdf"))
    'Quy�t_�inh.pdf'
    """
    return os.fsencode(os.fspath(path)).decode("utf-8", "replace") if isinstance(path, (str, os.PathLike)) \
        else str(path)


class NqgraphError(Exception):
    """Base of every error a user can act on."""
    code = "E000"
    hint = ""

    def __init__(self, message: str, path: object = None, hint: str | None = None):
        self.path = None if path is None else display_path(path)
        self.message = message
        if hint is not None:
            self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"error {self.code}: {where}{self.message}.{hint}"


class InputError(NqgraphError):
    code = "E001"
    hint = "Check the path and the file type (PDF, DOCX or TXT)."


class UnsupportedFormatError(InputError):
    code = "E002"
    hint = "Give a PDF, DOCX or plain-text file; re-export the document if it was renamed."


class CorruptFileError(InputError):
    code = "E003"
    hint = "The file is damaged or incomplete; download or export it again."


class EncryptedPdfError(InputError):
    code = "E004"
    hint = "Remove the password (print to PDF without protection) and try again."


class EmptyDocumentError(InputError):
    code = "E005"
    hint = "The file holds no pages or no text; check that it is the right file."


class OcrUnavailableError(NqgraphError):
    code = "E006"
    hint = "Install Tesseract with its Vietnamese model: apt-get install tesseract-ocr tesseract-ocr-vie."


class ResourceLimitError(NqgraphError):
    code = "E007"
    hint = "The file took too long or too much memory; raise --timeout/--max-memory or split the file."


class StoreError(NqgraphError):
    code = "E008"
    hint = "Check the --db path; another nqgraph may be writing to it."


class QueryError(NqgraphError):
    code = "E030"
    hint = "Run `nqgraph tasks --help` for the filters and value formats."


class ExportError(NqgraphError):
    code = "E031"
    hint = "Choose a path in a writable directory with -o."
