"""OCR cost against the bare tools, and what the second core gives (issue #21).

usage: .venv/bin/python bench/ocr_speed.py [--pdf FILE] [--pages N] [--rounds R]

On the first N pages of a scan (default ../shared/corpus/pdf/000_scan.pdf, 6 pages),
interleaved R times, wall-clock seconds of:
  bare      `pdftoppm -r 300 -gray -f k -l k FILE | tesseract - - -l vie`, page after page
            (OMP_THREAD_LIMIT=1, as ours: one core each);
  ours x1   pipeline.extract.ocr.ocr_pdf_tsv with one Tesseract at a time (render to PGM
            with pypdfium2, TSV output);
  ours x2   the same with one Tesseract per core (the default).
Prints each figure and the ratios ours x1 / bare (goal ≤ 1.15) and ours x2 / ours x1
(goal ≈ 0.5 on 2 idle cores), with the load average, which moves these figures.
Needs poppler-utils (pdftoppm) for the bare line.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.extract import ocr  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (wall time moves with others' load)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare(pdf: Path, pages: int) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    started = time.perf_counter()
    for k in range(1, pages + 1):
        render = subprocess.Popen(["pdftoppm", "-r", "300", "-gray", "-f", str(k), "-l", str(k), str(pdf)],
                                  stdout=subprocess.PIPE)
        subprocess.run(["tesseract", "-", "-", "-l", "vie"], stdin=render.stdout, capture_output=True, env=env)
        render.wait()
    return time.perf_counter() - started


def ours(pdf: Path, pages: int, workers: int) -> float:
    started = time.perf_counter()
    ocr.ocr_pdf_tsv(pdf, list(range(pages)), workers=workers)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf" / "000_scan.pdf")
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("pdftoppm"):
        sys.exit("error: pdftoppm (poppler-utils) is needed for the bare line")
    ocr.tesseract()  # the language check, once, outside the timings
    times: dict[str, list[float]] = {"bare": [], "ours x1": [], "ours x2": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    runs = {"bare": lambda: bare(args.pdf, args.pages), "ours x1": lambda: ours(args.pdf, args.pages, 1),
            "ours x2": lambda: ours(args.pdf, args.pages, 2)}
    for _ in range(args.rounds):
        for name, run in runs.items():
            before = cpu_seconds()
            times[name].append(run())
            cpu[name].append(cpu_seconds() - before)
    best = {k: min(v) for k, v in times.items()}
    print(f"{args.pdf.name}, {args.pages} pages, {args.rounds} round(s), load average {os.getloadavg()[0]:.2f}")
    for name, value in best.items():
        print(f"  {name:8s} {value:6.1f} s wall ({value / args.pages:.2f} s/page)  {min(cpu[name]):6.1f} s CPU")
    print(f"  CPU: ours x1 / bare = {min(cpu['ours x1']) / min(cpu['bare']):.2f}")
    print(f"  ours x1 / bare    = {best['ours x1'] / best['bare']:.2f}")
    print(f"  ours x2 / ours x1 = {best['ours x2'] / best['ours x1']:.2f}")


if __name__ == "__main__":
    main()
