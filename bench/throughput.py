"""Parse throughput against pdfplumber's bare text extraction, measured in the same run.

Run: .venv/bin/python bench/throughput.py [--quick] [--workers N] [--ocr] [--no-ocr]

A shared machine makes seconds noisy, so the headline is a RATIO: the whole
pipeline's time (extract, segment, tag, store + graph) over the time
pdfplumber's own `page.extract_text()` takes on the same pages (each page
closed after use), both timed back to back in this process, best of a few
rounds. Goal: at most 2x on text-layer PDFs.

Prints, as Markdown tables:
  1. per input (the shared text PDFs, a 200-page PDF concatenated with pypdf):
     seconds per stage, pages/s, the ratio, and each stage's peak Python memory
     (tracemalloc, in a separate untimed pass: tracing slows code down);
  2. a directory of documents through a multiprocessing pool over `parse()`:
     1 vs N workers on 100 documents, and 25/50/100 documents on N workers;
  3. OCR pages (image-only scan) on their own: a few pages by default, the
     whole scan with --ocr.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pdfplumber
import pypdf

from pipeline import document_from_extracted, parse
from pipeline.extract import extract
from pipeline.graph import build_graph
from pipeline.render import render_corpus, render_pdf
from pipeline.segment import segment
from pipeline.store import Store
from pipeline.tag import tag

SHARED = Path("/work/shared/corpus/pdf")
TEXT_PDFS = [SHARED / "000_text.pdf", SHARED / "004_text.pdf"]
SCAN_PDF = SHARED / "000_scan.pdf"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STAGES = ("extract", "segment", "tag", "store+graph")
OCR_DEFAULT_LIMIT_S = 60.0  # the brief: OCR runs by default unless it would take over a minute


# --- the two things being compared -------------------------------------------------

def bare_extract_text(path: Path) -> int:
    """pdfplumber's own text extraction, page by page, closing each page; returns pages read.

    >>> bare_extract_text(Path("/work/shared/corpus/pdf/004_text.pdf"))   # doctest: +SKIP
    14
    """
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def pipeline_stages(path: Path, clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Run parse()'s stages one by one, plus store.add and build_graph; seconds per stage.

    The same calls `pipeline.parse` makes (the sha256 of the input is part of
    extract), then the document goes into an in-memory store and out as a graph.

    >>> sorted(pipeline_stages(Path("corpus/kh_ubnd_xa.txt")))   # doctest: +SKIP
    ['extract', 'segment', 'store+graph', 'tag']
    """
    import hashlib

    marks = [clock()]
    extracted = extract(path)
    doc = document_from_extracted(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), extracted)
    marks.append(clock())
    doc = segment(doc)
    marks.append(clock())
    doc = tag(doc)
    marks.append(clock())
    with Store(":memory:") as store:
        store.add(doc)
        build_graph(store)
    marks.append(clock())
    return {stage: marks[i + 1] - marks[i] for i, stage in enumerate(STAGES)}


def stage_peaks(path: Path) -> dict[str, float]:
    """Peak Python heap (MB) reached inside each stage, from tracemalloc (untimed pass)."""
    peaks: dict[str, float] = {}
    tracemalloc.start()
    try:
        def clock() -> float:
            # Called at each stage boundary: record the peak of the stage just ended.
            _, peak = tracemalloc.get_traced_memory()
            if clock.stage is not None:
                peaks[STAGES[clock.stage]] = peak / 1e6
            tracemalloc.reset_peak()
            clock.stage = 0 if clock.stage is None else clock.stage + 1
            return 0.0
        clock.stage = None
        pipeline_stages(path, clock)
    finally:
        tracemalloc.stop()
    return peaks


# --- inputs -------------------------------------------------------------------------

def concatenate(sources: list[Path], pages: int, out: Path) -> Path:
    """A PDF of `pages` pages made by repeating `sources` (pypdf), to test long documents."""
    writer = pypdf.PdfWriter()
    readers = [pypdf.PdfReader(s) for s in sources]
    while len(writer.pages) < pages:
        for reader in readers:
            for page in reader.pages:
                if len(writer.pages) < pages:
                    writer.add_page(page)
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


def long_document(pages: int, out: Path, source: Path = CORPUS / "ctr_dang_uy_phuong.txt") -> Path:
    """One synthetic document of at least `pages` pages: a corpus document's body repeated, rendered.

    A concatenation of whole resolutions ends, for the parser, at the first
    signature block; this one has clauses on every page, so segment and tag see
    all of it.
    """
    _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
    one = render_pdf(source, out.with_suffix(".one.pdf"))
    copies = pages // (page_count(one) - 1) + 2  # the header and signature are not repeated
    text = out.with_suffix(".txt")
    text.write_text(f"---\n{front}---\n" + "\n".join([body.strip("\n")] * copies) + "\n", encoding="utf-8")
    return first_pages(render_pdf(text, out.with_suffix(".full.pdf")), pages, out)


def first_pages(source: Path, pages: int, out: Path) -> Path:
    writer = pypdf.PdfWriter()
    for page in pypdf.PdfReader(source).pages[:pages]:
        writer.add_page(page)
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


def document_folder(sources: list[Path], count: int, out: Path) -> list[Path]:
    """`count` PDFs in `out`, cycling through `sources` (copies: each is parsed in full)."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        source = sources[i % len(sources)]
        files.append(Path(shutil.copy(source, out / f"{i:03d}_{source.name}")))
    return files


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


# --- measurements --------------------------------------------------------------------

@dataclass
class Row:
    name: str
    pages: int
    bare: float
    stages: dict[str, float]
    peaks: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.stages.values())


def measure(name: str, path: Path, rounds: int, memory: bool) -> Row:
    """Bare extract_text and the pipeline back to back, best of `rounds` each."""
    bare, best = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        pages = bare_extract_text(path)
        bare = min(bare, time.perf_counter() - start)
        stages = pipeline_stages(path)
        if best is None or sum(stages.values()) < sum(best.values()):
            best = stages
    return Row(name, pages, bare, best, stage_peaks(path) if memory else {})


def _bare_one(path: str) -> int:
    return bare_extract_text(Path(path))


def _parse_one(path: str) -> int:
    # Only a count comes back: the bench measures parsing, not pickling Documents.
    return len(list(parse(path).walk()))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pool_seconds(files: list[Path], workers: int, work: Callable[[str], int]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the workers) to run `work` over `files` on a fork pool.

    CPU seconds stay put when other jobs share the cores; wall time does not, so
    efficiency = CPU / (wall x workers) tells contention from poor scaling.
    """
    ctx = multiprocessing.get_context("fork")  # workers inherit the warmed-up registries
    cpu, start = _children_cpu(), time.perf_counter()
    pool = ctx.Pool(workers)
    for _ in pool.imap_unordered(work, [str(f) for f in files], chunksize=1):
        pass
    pool.close()
    pool.join()  # reaped workers' CPU time shows up in RUSAGE_CHILDREN
    return time.perf_counter() - start, _children_cpu() - cpu


def warm_up() -> float:
    """First parse in a process: lexicons loaded and regexes compiled (paid once per process)."""
    start = time.perf_counter()
    parse(CORPUS / "kh_ubnd_xa.txt")
    return time.perf_counter() - start


# --- printing ------------------------------------------------------------------------

def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) + " |")
    print()


def print_inputs(rows: list[Row]) -> None:
    print("### Per stage (seconds, best of the rounds; bare = pdfplumber page.extract_text())\n")
    print_table(
        ["input", "pages", "bare", *STAGES, "pipeline", "pages/s", "bare pages/s", "ratio"],
        [[r.name, str(r.pages), f"{r.bare:.2f}", *(f"{r.stages[s]:.2f}" for s in STAGES), f"{r.total:.2f}",
          f"{r.pages / r.total:.1f}", f"{r.pages / r.bare:.1f}", f"{r.total / r.bare:.2f}x"] for r in rows])
    with_memory = [r for r in rows if r.peaks]
    if with_memory:
        print("### Peak Python memory per stage (MB, tracemalloc)\n")
        print_table(["input", *STAGES],
                    [[r.name, *(f"{r.peaks.get(s, 0):.0f}" for s in STAGES)] for r in with_memory])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one round (about a minute)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="pool size (default: all cores)")
    parser.add_argument("--ocr", action="store_true", help="OCR the whole scan (22 pages, over a minute)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR rows")
    args = parser.parse_args()
    quick = args.quick
    rounds = 1 if quick else 2
    long_pages = 60 if quick else 200
    counts = (5, 10, 20) if quick else (25, 50, 100)

    print(f"cores: {os.cpu_count()}, workers: {args.workers}, rounds: {rounds}{' (quick)' if quick else ''}, "
          f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"first parse in this process (lexicons, regexes): {warm_up():.2f} s\n")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rendered = render_corpus(CORPUS, tmp / "rendered")
        long_pdf = concatenate(TEXT_PDFS, long_pages, tmp / f"long_{long_pages}.pdf")
        long_doc = long_document(long_pages, tmp / f"single_{long_pages}.pdf")

        rows = [measure(p.name, p, rounds, memory=True) for p in TEXT_PDFS]
        rows.append(measure(f"{long_pages}-page concat (pypdf)", long_pdf, 1, memory=not quick))
        rows.append(measure(f"{long_pages}-page single document", long_doc, 1, memory=not quick))
        rows.append(measure(f"{len(rendered)} synthetic (rendered)", rendered[0], rounds, memory=False))
        for extra in rendered[1:]:
            more = measure(extra.name, extra, rounds, memory=False)
            last = rows[-1]
            last.pages += more.pages
            last.bare += more.bare
            last.stages = {s: last.stages[s] + more.stages[s] for s in STAGES}
        print_inputs(rows)
        pages = sum(r.pages for r in rows)
        print(f"**Headline: pipeline / bare extract_text = {sum(r.total for r in rows) / sum(r.bare for r in rows):.2f}x**"
              f" over all {pages} text-layer pages above (goal: at most 2x)\n")

        sources = TEXT_PDFS + rendered
        folder = document_folder(sources, max(counts), tmp / "folder")
        folder_pages = [page_count(f) for f in folder]
        n = max(counts)
        print(f"### A folder of {n} documents ({sum(folder_pages)} pages; cycling {len(sources)} PDFs), "
              "pool over parse()\n")
        scaling = []
        for workers in sorted({1, args.workers}):
            bare, _ = pool_seconds(folder, workers, _bare_one)
            full, cpu = pool_seconds(folder, workers, _parse_one)
            scaling.append((workers, bare, full, cpu))
        base = scaling[0][2]
        print_table(["workers", "bare s", "pipeline s", "docs/s", "pages/s", "speed-up", "ratio", "CPU s",
                     "CPU efficiency"],
                    [[str(w), f"{b:.1f}", f"{f:.1f}", f"{n / f:.2f}", f"{sum(folder_pages) / f:.1f}",
                      f"{base / f:.2f}x", f"{f / b:.2f}x", f"{c:.1f}", f"{c / (f * w):.0%}"]
                     for w, b, f, c in scaling])
        print("CPU efficiency = workers' CPU seconds / (wall seconds x workers): below ~90% the cores were "
              "shared with other jobs, and the speed-up understates the scaling.\n")
        print(f"### Linear in the number of documents ({args.workers} workers)\n")
        by_count = []
        for count in counts:
            seconds, cpu = pool_seconds(folder[:count], args.workers, _parse_one)
            pages = sum(folder_pages[:count])
            by_count.append([str(count), str(pages), f"{seconds:.1f}", f"{count / seconds:.2f}",
                             f"{pages / seconds:.1f}", f"{cpu / count:.2f}"])
        print_table(["documents", "pages", "seconds", "docs/s", "pages/s", "CPU s/doc"], by_count)

        ocr_rows(args, quick, tmp)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_rss:.0f} MB")


def ocr_rows(args, quick: bool, tmp: Path) -> None:
    """OCR timing on its own: never mixed into the text-layer figures."""
    print("### OCR (image-only scan, tesseract vie), reported apart\n")
    if args.no_ocr:
        print("skipped (--no-ocr)\n")
        return
    if shutil.which("tesseract") is None:
        print("skipped: tesseract is not installed\n")
        return
    total = page_count(SCAN_PDF)
    pages = total if args.ocr else (1 if quick else 3)
    scan = first_pages(SCAN_PDF, pages, tmp / f"scan_{pages}.pdf")
    start = time.perf_counter()
    parse(scan)
    seconds = time.perf_counter() - start
    print_table(["input", "pages", "seconds", "s/page", "pages/s"],
                [[f"{SCAN_PDF.name} (first {pages})", str(pages), f"{seconds:.1f}", f"{seconds / pages:.2f}",
                  f"{pages / seconds:.2f}"]])
    if not args.ocr:
        estimate = total * seconds / pages
        why = "it takes over a minute" if estimate > OCR_DEFAULT_LIMIT_S else "a few pages give the rate"
        print(f"The whole scan ({total} pages, about {estimate:.0f} s at this rate) is not run by default "
              f"({why}); pass --ocr to run it.\n")


if __name__ == "__main__":
    main()
