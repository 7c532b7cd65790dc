"""A document's default time budget, and the Tesseract processes its OCR may run at once.

Apart from ocr.py so that a parse whose pages all have text, and the parent that waits for
it, never import the OCR stage (~15 ms of every process).

>>> budget_seconds(4, 0), budget_seconds(22, 22) <= 60 + 22 + 20 * 22
(64.0, True)
"""
from __future__ import annotations

import os
import time

from ..errors import ResourceLimitError

__all__ = ["BUDGET_BASE", "budget_seconds", "check_deadline", "ocr_workers"]

# Default time budget of one document (seconds), see budget_seconds(): a fixed start-up
# cost, a text page, and an OCR page on one loaded core. Measured on the 2-core machine
# with another parse running: 5–9 s per OCR page; 20 s leaves room for a third process.
BUDGET_BASE = 60.0
BUDGET_TEXT_PAGE = 1.0
BUDGET_OCR_PAGE = 20.0


def check_deadline(deadline: float | None, path: object) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ResourceLimitError("extraction ran past its time limit", path)


def ocr_workers(pages: int) -> int:
    """Tesseract processes to run at once: one per usable core, never more than pages."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, pages))


def budget_seconds(pages: int, ocr_pages: int) -> float:
    """Seconds a PDF may take by default: grows with its pages and with the OCR they need."""
    workers = ocr_workers(ocr_pages) if ocr_pages else 1
    return BUDGET_BASE + BUDGET_TEXT_PAGE * pages + BUDGET_OCR_PAGE * ocr_pages / workers
