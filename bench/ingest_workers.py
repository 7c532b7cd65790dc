"""Batch ingest with 1 and 2 workers: wall time, and where the CPU goes (parent vs workers).

Run: .venv/bin/python bench/ingest_workers.py [--files 40] [--rounds 1]
The batch: the text-layer PDFs of ../shared/corpus/real (2 to 20 pages) and the corpus documents
rendered to PDF, alternately, copies made distinct by a trailing comment, `--files` in all.

The machine is shared, so besides wall time each run reports CPU seconds from getrusage: the
parent's own (and inside it, storing documents, receiving workers' results, starting workers)
and its workers'. Workers run in parallel; the parent's work is serial. With W worker seconds
and P parent seconds, 2 workers on 2 cores cannot beat wall W / max(W/2, P, (W+P)/2) over
one worker's W: that bound is printed beside the measured ratio and the load average, since a
wall-clock ratio only means something on an idle machine.
"""
from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pipeline.ingest as ingest
from pipeline.render import render_pdf
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"
# Text-layer PDFs of the real corpus. Not the scans, nor sct_laocai_qd1050 (its text layer is
# refused and its 4 pages are read by OCR, in parallel on both cores within one worker: a second
# worker cannot double what already uses both cores).
REAL_PDFS = ("ubnd_hanoi_kh173_2026_festival.pdf", "ubnd_hanoi_qd2280_2026_ke_hoach_chong_ung_ngap.pdf",
             "ubnd_laocai_cv7432_2026_trien_khai_qd1074_pccc.pdf")


def batch(folder: Path, count: int) -> list[Path]:
    """`count` distinct PDFs: half real ones (copies), half rendered corpus documents."""
    real = [REAL / name for name in REAL_PDFS if (REAL / name).exists()]
    rendered = [render_pdf(text, folder / "rendered" / f"{text.stem}.pdf") for text in sorted((ROOT / "corpus").glob("*.txt"))]
    files = []
    for k in range(count):
        source = real[(k // 2) % len(real)] if k % 2 == 0 and real else rendered[(k // 2) % len(rendered)]
        copy = folder / f"{k:03d}_{source.stem}.pdf"
        copy.write_bytes(source.read_bytes() + f"\n% copy {k}\n".encode())
        files.append(copy)
    shutil.rmtree(folder / "rendered", ignore_errors=True)
    return files


class Clock:
    """CPU seconds this process spends inside a few functions (wrapped for the run)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.per_call: dict[str, list[float]] = {}  # CPU of each call, and (label + " children") of its reaped workers

    def wrap(self, owner, name: str, label: str):
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            start, wall, reaped = time.process_time(), time.perf_counter(), _children_cpu()
            try:
                return original(*args, **kwargs)
            finally:
                used = time.process_time() - start
                self.seconds[label] = self.seconds.get(label, 0.0) + used
                self.seconds[f"{label} wall"] = self.seconds.get(f"{label} wall", 0.0) + time.perf_counter() - wall
                self.per_call.setdefault(label, []).append(used)
                # a worker's CPU reaches RUSAGE_CHILDREN when it is joined, inside finish_job (worker.py)
                self.per_call.setdefault(f"{label} children", []).append(_children_cpu() - reaped)
        setattr(owner, name, timed)
        return original


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def simulated_wall(work: list[float], store: list[float], workers: int, held: int) -> float:
    """Wall seconds of ingest's schedule on an idle machine with a core for each worker: files
    start in input order while fewer than `workers` run and fewer than `held` × `workers` are
    started but not stored; results are stored in input order, one after another, by the parent
    (which starts nothing while it stores). `work`: each file's worker CPU; `store`: the parent's."""
    clock, started, stored, running, done = 0.0, 0, 0, {}, {}
    while stored < len(work):
        while started < len(work) and len(running) < workers and started - stored < held * workers:
            running[started] = clock + work[started]
            started += 1
        if stored in done:
            clock = max(clock, done.pop(stored)) + store[stored]
            stored += 1
            continue
        index = min(running, key=running.get)
        done[index] = running.pop(index)
        clock = max(clock, done[index])
    return clock


def run(files: list[Path], workers: int) -> dict:
    clock = Clock()
    originals = [(Store, "add", clock.wrap(Store, "add", "store")),
                 (ingest, "finish_job", clock.wrap(ingest, "finish_job", "receive")),
                 (ingest, "start_job", clock.wrap(ingest, "start_job", "start"))]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            self0, children0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            results = list(ingest.ingest_files(files, Path(tmp) / "s.sqlite", workers=workers))
            wall = time.perf_counter() - start
            self1, children1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    assert [r.path for r in results] == files  # reported in input order
    # copies of one document replace each other: stored all the same
    assert all(r.status in ("added", "replaced") for r in results), [r.line() for r in results if r.error]
    cpu = lambda a, b: (b.ru_utime + b.ru_stime) - (a.ru_utime + a.ru_stime)  # noqa: E731
    return {"wall": wall, "parent": cpu(self0, self1), "workers": cpu(children0, children1), **clock.seconds,
            "work": clock.per_call.get("receive children", []), "store each": clock.per_call.get("store", [])}


def bound(r: dict, cores: int = 2) -> float:
    """The best 2-worker wall time the CPU accounts allow, as a ratio over one worker's."""
    w, p = r["workers"], r["parent"]
    return w / max(w / cores, p, (w + p) / cores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=1, help="1-then-2-worker pairs, back to back")
    args = parser.parse_args()
    ingest.warm_up()  # both runs start warm, as a long-lived ingest does after its first file
    with tempfile.TemporaryDirectory() as tmp:
        files = batch(Path(tmp), args.files)
        print(f"{len(files)} PDFs, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
        print("| workers | wall s | load avg | parent CPU s | of which: store (wall) | receive | start | workers CPU s |"
              " wall ratio | CPU bound |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for _ in range(args.rounds):
            one = run(files, 1)
            load_one = os.getloadavg()[0]
            two = run(files, 2)
            load_two = os.getloadavg()[0]
            work, store = one["work"], one["store each"]
            if len(work) == len(store) == len(files):
                for held in sorted({4, ingest.HELD_PER_WORKER}):
                    idle = {n: simulated_wall(work, store, n, held) for n in (1, 2)}
                    print(f"schedule of 2 workers on an idle machine, {held} files held a worker, from each file's"
                          f" measured CPU (worker and parent): {idle[1]:.1f} s / {idle[2]:.1f} s"
                          f" = {idle[1] / idle[2]:.2f}x one worker")
            for n, r, load in ((1, one, load_one), (2, two, load_two)):
                ratios = f"{one['wall'] / r['wall']:.2f}x | {bound(r):.2f}x" if n == 2 else " | "
                print(f"| {n} | {r['wall']:.1f} | {load:.2f} | {r['parent']:.2f} | {r.get('store', 0):.2f}"
                      f" ({r.get('store wall', 0):.2f}) |"
                      f" {r.get('receive', 0):.2f} | {r.get('start', 0):.2f} | {r['workers']:.1f} | {ratios} |")

if __name__ == "__main__":
    main()
