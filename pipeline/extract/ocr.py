"""Scanned pages: rasterise with pypdfium2 at 300 dpi, read with `tesseract -l vie` (TSV).

The TSV gives each word's box, so OCR'd pages go through the same layout code
as text-layer pages (margins, indents, footers). Font size is not known to OCR;
the height of each text line stands in for it.

Speed (issue #21): pages are rendered to uncompressed grayscale PGM (saving a
compressed PNG cost 0.84 s a page against 0.13 s), Tesseract's language list is
checked once per process, and pages are read in parallel, one single-threaded
Tesseract per core (OpenMP threads inside one Tesseract fight over two cores:
2.4 s/page single-threaded against 5.4 s).

>>> ocr_workers(1), ocr_workers(40) <= (os.cpu_count() or 1)
(1, True)
"""
from __future__ import annotations

import csv
import ctypes
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

import regex

from ..errors import OcrUnavailableError
from .budget import budget_seconds, check_deadline, ocr_workers  # noqa: F401 - ocr's own API too
from .layout import Word
from .normalize import MODELS, read_table

__all__ = ["ocr_pdf_pages", "ocr_pdf_tsv", "ocr_pdf_page", "ocr_image", "check_deadline", "budget_seconds",
           "ocr_workers", "DPI"]

DPI = 300
PT_PER_PX = 72 / DPI
POLL_SECONDS = 0.02

@lru_cache(maxsize=1)
def tesseract() -> str:
    """Tesseract's path, after checking once per process that it reads Vietnamese."""
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailableError("this PDF has scanned pages but Tesseract is not installed")
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()
    if "vie" not in langs:
        raise OcrUnavailableError("Tesseract has no Vietnamese model (vie)")
    return exe


# --psm 3 (automatic layout). --psm 6 (one uniform block) reads body text a little better
# (qd1050 character agreement 0.967 against 0.959) but runs the two-column closing block
# together: the Hà Nội scan's signer title came out as "&> 28 ty )" instead of "Chủ tịch".
TESSERACT_ARGS = ["-l", "vie", "--psm", "3", "tsv"]


def _command(image: Path, out_base: str) -> list[str]:
    """`out_base` "stdout" prints the TSV; a path writes `out_base`.tsv."""
    return [tesseract(), str(image), out_base, *TESSERACT_ARGS]


def _environment() -> dict[str, str]:
    return dict(os.environ, OMP_THREAD_LIMIT="1")


# A line Tesseract is unsure of (mean word confidence below this) and that holds no
# Vietnamese is a speck, a seal fragment or a misread page number ("S" for "5"):
# dropped. "Nơi nhận:" read at confidence 0 is kept: its words are syllables.
DOUBTFUL_LINE_CONFIDENCE = 40
# Line heights of one type size vary with the letters (no ascender, accent or descender
# in "20/11/2015;"): a line within this share of the page's usual height takes it.
SIZE_SNAP = 0.3


@lru_cache(maxsize=1)
def _lookalikes() -> tuple[regex.Pattern, dict[str, str]]:
    table = read_table(MODELS / "ocr_lookalikes.tsv")
    return regex.compile("|".join(map(regex.escape, table))), table


def fix_lookalikes(text: str) -> str:
    """Replace characters OCR reads that never occur in Vietnamese (models/ocr_lookalikes.tsv).

    >>> fix_lookalikes("(¡1)"), fix_lookalikes("(ï7)"), fix_lookalikes("ấp")
    ('(i1)', '(i7)', 'ấp')
    """
    pattern, table = _lookalikes()
    return pattern.sub(lambda m: table[m[0]], text)


def _doubtful(words: list[tuple[float, str]]) -> bool:
    from .textlayer import syllable_share

    confidence = sum(c for c, _ in words) / len(words)
    text = " ".join(t for _, t in words)
    has_letters = any(ch.isalpha() for ch in text)
    return confidence < DOUBTFUL_LINE_CONFIDENCE and (not has_letters or syllable_share(text, acronym_max=0) < 0.5)


def words_from_tsv(tsv: str) -> list[Word]:
    """Tesseract's TSV → words with boxes in PDF points (at DPI).

    Each word's size is its line's height over 1.25 (a Vietnamese line box, accents
    above and descenders below, is ≈1.25 × the type size), snapped to the page's usual
    size when close to it; doubtful lines without Vietnamese are dropped.
    """
    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    heights: dict[tuple, float] = {}
    lines: dict[tuple, list[dict]] = {}
    for r in rows:
        key = (r["block_num"], r["par_num"], r["line_num"])
        if r["level"] == "4":
            heights[key] = int(r["height"]) * PT_PER_PX / 1.25
        elif r["level"] == "5" and (r.get("text") or "").strip():
            lines.setdefault(key, []).append(r)
    lines = {k: ws for k, ws in lines.items()
             if not _doubtful([(float(w["conf"]), w["text"].strip()) for w in ws])}
    sizes = sorted(heights[k] for k, ws in lines.items() for _ in ws if k in heights)
    usual = sizes[len(sizes) // 2] if sizes else 0.0
    words = []
    for key, line in lines.items():
        size = heights.get(key, usual)
        if usual and abs(size - usual) <= SIZE_SNAP * usual:
            size = usual
        # Every word of a Tesseract line gets the line's median top and bottom: one word box
        # swollen by ink from the line below ("số", "đồng" 92 px tall among 55) would make
        # the layout take the two lines for one and interleave their words.
        top = statistics.median(int(r["top"]) for r in line) * PT_PER_PX
        bottom = statistics.median(int(r["top"]) + int(r["height"]) for r in line) * PT_PER_PX
        for r in line:
            x, w = int(r["left"]) * PT_PER_PX, int(r["width"]) * PT_PER_PX
            words.append(Word(fix_lookalikes(r["text"].strip()), x, x + w, top, bottom, round(size * 2) / 2))
    return words


def _die_with_parent() -> None:
    """In the Tesseract child: die when the parse worker that started it dies (a worker killed
    with the CLI leaves no Tesseract running on)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker's own group kill is all there is
        pass


def ocr_image(image_path: Path) -> list[Word]:
    """OCR one image file into words with boxes in PDF points (at DPI)."""
    result = subprocess.run(_command(image_path, "stdout"), capture_output=True, text=True, env=_environment(),
                            check=False, preexec_fn=_die_with_parent)
    if result.returncode != 0:
        raise OcrUnavailableError(f"Tesseract failed: {result.stderr.strip()[:200]}")
    return words_from_tsv(result.stdout)


def render_pgm(pdf, index: int, target: Path) -> None:
    """Render page `index` of an open pypdfium2 document as an uncompressed 8-bit PGM."""
    page = pdf[index]
    try:
        image = page.render(scale=DPI / 72, grayscale=True).to_pil()
    finally:
        page.close()
    image.convert("L").save(target, format="PPM")  # mode L writes binary PGM (P5)


# A page that draws nothing: rendered at 72 dpi, no pixel darker than this (anti-aliased text of
# any size leaves darker ones). Tesseract on it finds nothing and costs a second or more.
BLANK_LIGHTEST_INK = 250


def blank_pages(path: Path, indices: list[int]) -> set[int]:
    """The pages among `indices` (0-based) that render blank (a closing page holding one space)."""
    import pypdfium2 as pdfium

    blank: set[int] = set()
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in indices:
            try:
                page = pdf[index]
            except Exception:  # noqa: BLE001 - a page pdfium cannot load goes to OCR, which says why
                continue
            try:
                darkest, _ = page.render(scale=1, grayscale=True).to_pil().convert("L").getextrema()
            except Exception:  # noqa: BLE001 - as above
                continue
            finally:
                page.close()
            if darkest >= BLANK_LIGHTEST_INK:
                blank.add(index)
    finally:
        pdf.close()
    return blank


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rOCR page {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()


def ocr_pdf_pages(path: Path, indices: list[int], *, deadline: float | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[int, list[Word]]:
    """OCR pages `indices` (0-based) of a PDF, one Tesseract per core; words per page index.

    Item labels are repaired across the pages in reading order (repair.repair_label_sequence),
    a mark OCR lost where the syllable grammar leaves one reading (repair.repair_syllable), and
    registry names and fixed phrases line by line (repair.repair_line_names).
    """
    from .repair import repair_label_sequence, repair_line_names, repair_syllable

    tsvs = ocr_pdf_tsv(path, indices, deadline=deadline, progress=progress)
    read = {index: words_from_tsv(tsv) for index, tsv in tsvs.items()}
    ordered = [(index, k) for index in sorted(read) for k in range(len(read[index]))]
    fixed = repair_label_sequence([read[index][k] for index, k in ordered])
    for (index, k), word in zip(ordered, fixed):
        read[index][k] = replace(word, text=repair_syllable(word.text))
    return {index: repair_line_names(words) for index, words in read.items()}


def ocr_pdf_tsv(path: Path, indices: list[int], *, deadline: float | None = None,
                workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> dict[int, str]:
    """Tesseract's TSV for pages `indices` (0-based) of a PDF, one Tesseract per core.

    `progress(done, total)` is told each page read (the web page shows it; a terminal
    gets "OCR page k/n" on stderr either way).

    Pages are rendered in this process as workers free up (rendering is ~20× faster
    than reading), so at most `ocr_workers` images sit on disk at once.
    """
    import pypdfium2 as pdfium

    if not indices:
        return {}
    tesseract()
    workers = workers or ocr_workers(len(indices))
    pending = list(indices)
    running: dict[int, tuple[subprocess.Popen, Path]] = {}
    results: dict[int, str] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="nqgraph-ocr-") as tmp:
            while pending or running:
                check_deadline(deadline, path)
                while pending and len(running) < workers:
                    index = pending.pop(0)
                    image, out_base = Path(tmp) / f"p{index}.pgm", Path(tmp) / f"p{index}"
                    render_pgm(pdf, index, image)
                    process = subprocess.Popen(_command(image, str(out_base)), env=_environment(),
                                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                               preexec_fn=_die_with_parent)
                    running[index] = (process, out_base)
                finished = [i for i, (process, _) in running.items() if process.poll() is not None]
                if not finished:
                    time.sleep(POLL_SECONDS)
                    continue
                for index in finished:
                    process, out_base = running.pop(index)
                    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                    if process.returncode != 0:
                        raise OcrUnavailableError(f"Tesseract failed: {error.strip()[:200]}")
                    results[index] = out_base.with_suffix(".tsv").read_text(encoding="utf-8")
                    out_base.with_suffix(".pgm").unlink(missing_ok=True)
                    _progress(len(results), len(indices))
                    if progress:
                        progress(len(results), len(indices))
    finally:
        for process, _ in running.values():  # a deadline or a failure: stop the others
            process.kill()
            process.wait()
        pdf.close()
    return results


def ocr_pdf_page(path: Path, index: int) -> list[Word]:
    """Rasterise page `index` (0-based) of a PDF and OCR it."""
    return ocr_pdf_pages(path, [index])[index]
