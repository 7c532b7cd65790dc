"""Batch ingest: wall time with 1 and 2 workers, and with the old in-order start (a slow file
holding the others back) against the new one (a free worker takes the next file).

Run: .venv/bin/python bench/ingest_workers.py [--copies 2]
The batch is every corpus document rendered to PDF (copies made distinct by a trailing
comment), with the real 20-page decision from ../shared/corpus/real first, as the slow file.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import pipeline.ingest as ingest
from pipeline.render import render_pdf

ROOT = Path(__file__).resolve().parents[1]
SLOW = ROOT.parent / "shared" / "corpus" / "real" / "ubnd_hanoi_qd2280_2026_ke_hoach_chong_ung_ngap.pdf"


def batch(folder: Path, copies: int) -> list[Path]:
    files = [shutil.copy(SLOW, folder / "000_slow.pdf")] if SLOW.exists() else []
    for source in sorted((ROOT / "corpus").glob("*.txt")):
        pdf = render_pdf(source, folder / f"{source.stem}.pdf")
        for k in range(copies):
            copy = folder / f"{source.stem}_{k}.pdf"
            copy.write_bytes(pdf.read_bytes() + f"\n% copy {k}\n".encode())
            files.append(copy)
        pdf.unlink()
    return [Path(f) for f in files]


def run(files: list[Path], workers: int, held: int) -> float:
    ingest.HELD_PER_WORKER = held
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        results = list(ingest.ingest_files(files, Path(tmp) / "s.sqlite", workers=workers))
        seconds = time.perf_counter() - start
    assert [r.path for r in results] == files  # reported in input order
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = batch(Path(tmp), args.copies)
        print(f"{len(files)} PDFs, load average {os.getloadavg()[0]:.1f}")
        one = run(files, 1, 4)
        for held, name in ((1, "in-order start (before)"), (4, "free worker takes the next file")):
            two = run(files, 2, held)
            print(f"  2 workers, {name:32s}: {two:6.1f} s, {one / two:.2f}x one worker ({one:.1f} s)")


if __name__ == "__main__":
    main()
