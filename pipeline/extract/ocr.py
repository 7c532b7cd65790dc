"""Scanned pages: rasterise with pypdfium2 at 300 dpi, read with `tesseract -l vie` (TSV).

The TSV gives each word's box, so OCR'd pages go through the same layout code
as text-layer pages (margins, indents, footers). Font size is not known to OCR;
the height of each text line stands in for it.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..errors import OcrUnavailableError, ResourceLimitError
from .layout import Word

__all__ = ["ocr_pdf_page", "ocr_image", "check_deadline", "DPI"]

DPI = 300
PT_PER_PX = 72 / DPI


def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailableError("this PDF has scanned pages but Tesseract is not installed")
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()
    if "vie" not in langs:
        raise OcrUnavailableError("Tesseract has no Vietnamese model (vie)")
    return exe


def check_deadline(deadline: float | None, path: object) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ResourceLimitError("extraction ran past its time limit", path)


def ocr_image(image_path: Path) -> list[Word]:
    """OCR one image file into words with boxes in PDF points (at DPI).

    OMP_THREAD_LIMIT=1: measured 2.4 s/page single-threaded vs 5.4 s with
    OpenMP threads fighting over two cores.
    """
    exe = _tesseract()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    result = subprocess.run(
        [exe, str(image_path), "stdout", "-l", "vie", "--psm", "3", "tsv"],
        capture_output=True, text=True, env=env, check=False,
    )
    if result.returncode != 0:
        raise OcrUnavailableError(f"Tesseract failed: {result.stderr.strip()[:200]}")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))
    line_height: dict[tuple, float] = {}
    for r in rows:
        if r["level"] == "4":
            line_height[(r["block_num"], r["par_num"], r["line_num"])] = int(r["height"]) * PT_PER_PX
    words = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if r["level"] != "5" or not text:
            continue
        x, y, w, h = (int(r[k]) * PT_PER_PX for k in ("left", "top", "width", "height"))
        # a Vietnamese line box (diacritics above, descenders below) is ≈1.25 × the font size
        size = line_height.get((r["block_num"], r["par_num"], r["line_num"]), h) / 1.25
        words.append(Word(text, x, x + w, y, y + h, round(size * 2) / 2))
    return words


def ocr_pdf_page(path: Path, index: int) -> list[Word]:
    """Rasterise page `index` (0-based) of a PDF and OCR it."""
    import pypdfium2 as pdfium

    _tesseract()
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        try:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()
    finally:
        pdf.close()
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        return ocr_image(png)
