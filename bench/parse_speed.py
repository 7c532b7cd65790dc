"""Whole `nqgraph parse` against pdfplumber's bare `extract_text()`, as processes, and parse's peak memory.

Run: .venv/bin/python bench/parse_speed.py [--quick] [--repeat N]

CPU time (user + system of the process and its children, from wait4) is the stable figure on
a shared machine; wall time and the load average are printed beside it. Each input is timed
as processes back to back, in --repeat rounds (medians printed): `nqgraph parse FILE --json` with the default engine (pdfium),
with `--engine pdfplumber`, a bare pdfplumber script (open, `page.extract_text()` on every
page, close) and a bare Python start-up. Inputs: every text-layer PDF of ../shared/corpus
(the scans are OCR, timed by bench/ocr_speed.py), a 200-page PDF concatenated from the two
dev-set text PDFs (bench/throughput.py's), and for memory a 20-page and a 500-page PDF
concatenated from the real PDFs' pages. Goals (issue #21): parse <= 0.5x bare over the
corpus, <= 0.2x on 200 pages; peak RSS at 500 pages within 20 MB of 20 pages.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from throughput import concatenate  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
DEV_TEXT = [SHARED / "pdf" / "000_text.pdf", SHARED / "pdf" / "004_text.pdf"]
REAL_TEXT = [SHARED / "real" / n for n in ("ubnd_hanoi_kh173_2026_festival.pdf",
                                           "ubnd_hanoi_qd2280_2026_ke_hoach_chong_ung_ngap.pdf",
                                           "ubnd_laocai_cv7432_2026_trien_khai_qd1074_pccc.pdf")]
BARE = "import pdfplumber, sys\nwith pdfplumber.open(sys.argv[1]) as pdf:\n" \
       "    for page in pdf.pages:\n        page.extract_text()\n        page.close()\n"
NQGRAPH = [sys.executable, "-m", "pipeline.cli", "parse"]


# Processes run as an installed package does: byte code cached (here under a prefix of its
# own), whatever PYTHONDONTWRITEBYTECODE the shell sets; else each process compiles every
# module it imports, ~0.2 s that no user pays.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENVIRONMENT["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "nqgraph-bench-bytecode")


def run(args: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak RSS MB) of one process and its children."""
    began = time.monotonic()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENVIRONMENT)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    wall = time.monotonic() - began
    if status:
        raise SystemExit(f"failed: {' '.join(args)}\n{child.stderr.read().decode()}")
    child.stderr.close()
    # wait4's usage covers the process and the children it waited for (parse's worker)
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def timings(path: Path, one_page: Path, repeat: int) -> dict[str, tuple[float, float, float]]:
    """Both parses and the bare script on `path`, and their start-ups: parse of a one-paragraph
    text file, and `import pdfplumber`; each the median of `repeat` rounds, the five commands
    run back to back in each round (a shared virtual machine's speed drifts by tens of per
    cent within minutes: one round can be slow throughout)."""
    commands = {"pdfium": NQGRAPH + [str(path), "--json"],
                "pdfplumber": NQGRAPH + [str(path), "--json", "--engine", "pdfplumber"],
                "bare": [sys.executable, "-c", BARE, str(path)],
                "parse start-up": NQGRAPH + [str(one_page), "--json"],
                "bare start-up": [sys.executable, "-c", "import pdfplumber"]}
    rounds = [{name: run(args) for name, args in commands.items()} for _ in range(repeat)]
    return {name: tuple(statistics.median(r[name][k] for r in rounds) for k in range(3)) for name in commands}


def in_process(path: Path) -> tuple[float, float]:
    """(CPU of parse(), CPU of bare extract_text) in this process, after a warm-up parse."""
    import pdfplumber

    from pipeline import parse

    start = time.process_time()
    parse(path)
    parsed = time.process_time() - start
    start = time.process_time()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
    return parsed, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="no 500-page memory run")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per input; medians are printed (default 3)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        long_pdf = concatenate(DEV_TEXT, 200, tmp / "concat_200.pdf")
        one_page = tmp / "one.txt"
        one_page.write_text("Điều 1. Giao Sở Nội vụ chủ trì thực hiện trong quý III năm 2026.\n", encoding="utf-8")
        for warm_up in (NQGRAPH + [str(DEV_TEXT[1]), "--json"], [sys.executable, "-c", BARE, str(DEV_TEXT[1])]):
            run(warm_up)  # byte code and the vocabulary cache written once, as on a user's machine
        print("| input | parse CPU s | --engine pdfplumber CPU s | bare extract_text CPU s | start-ups (parse, bare) "
              "| parse / bare | parse / bare, start-ups off | parse wall s | bare wall s |")
        print("|---|---|---|---|---|---|---|---|---|")
        totals = {k: [0.0, 0.0] for k in ("pdfium", "pdfplumber", "bare", "parse start-up", "bare start-up")}
        for path in DEV_TEXT + REAL_TEXT + [long_pdf]:
            t = timings(path, one_page, args.repeat)
            if path != long_pdf:
                for k in totals:
                    totals[k][0] += t[k][0]
                    totals[k][1] += t[k][1]
            ours, theirs = t["parse start-up"][0], t["bare start-up"][0]
            print(f"| {path.name} | {t['pdfium'][0]:.2f} | {t['pdfplumber'][0]:.2f} | {t['bare'][0]:.2f} | "
                  f"{ours:.2f}, {theirs:.2f} | {t['pdfium'][0] / t['bare'][0]:.2f} | "
                  f"{(t['pdfium'][0] - ours) / (t['bare'][0] - theirs):.2f} | "
                  f"{t['pdfium'][1]:.2f} | {t['bare'][1]:.2f} |", flush=True)
        p, b = totals["pdfium"][0], totals["bare"][0]
        off = (p - totals["parse start-up"][0]) / (b - totals["bare start-up"][0])
        print(f"\n**Corpus text PDFs ({len(DEV_TEXT + REAL_TEXT)} files): parse / bare extract_text = {p / b:.2f}x CPU "
              f"({totals['pdfium'][1] / totals['bare'][1]:.2f}x wall), {off:.2f}x with both start-ups taken off; "
              f"pdfplumber engine {totals['pdfplumber'][0] / b:.2f}x (goal <= 0.5x)**")
        parsed, bare = in_process(DEV_TEXT[1])
        parsed, bare = in_process(long_pdf)
        print(f"\nIn-process (no start-up, models warm), 200 pages: parse() {parsed:.2f} s CPU, bare extract_text "
              f"{bare:.2f} s CPU: {parsed / bare:.2f}x (goal <= 0.2x)")
        if not args.quick:
            print("\n| pages (real pages, concatenated) | parse peak RSS MB | CPU s |")
            print("|---|---|---|")
            for pages in (20, 500):
                cpu, _, peak = run(NQGRAPH + [str(concatenate(REAL_TEXT + DEV_TEXT, pages, tmp / f"real_{pages}.pdf")),
                                              "--json"])
                print(f"| {pages} | {peak:.0f} | {cpu:.1f} |", flush=True)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
