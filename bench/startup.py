"""Start-up cost of nqgraph's commands as processes: CPU seconds and peak memory (issue #21).

Prints, for a one-page plain-text plan made in a temporary directory, the median over
--runs runs of user+sys CPU seconds and peak RSS (the larger of the process and its
children, as /usr/bin/time reports it) for:

    python -c pass                      the interpreter's floor
    nqgraph --version
    nqgraph parse one.txt --json
    nqgraph tasks --db store --body …
    nqgraph ask --db store "…"
    nqgraph documents --db store, nqgraph show --db store one/1

CPU, not wall clock: the machine is shared, and CPU time barely moves with the load
(printed beside the figures all the same). `--importtime COMMAND` prints the 25 slowest
imports of one command instead (python -X importtime).

Every run has its byte-code (PYTHONPYCACHEPREFIX) and vocabulary (NQGRAPH_CACHE_DIR)
caches in the temporary directory, filled by the untimed ingest that makes the store, as
an installed nqgraph has them; `--no-bytecode` compiles the sources in every process, as
under PYTHONDONTWRITEBYTECODE. `--tree DIR` runs another source tree (a `git archive` of
an earlier commit) with this virtualenv, for before/after figures taken the same way.

    .venv/bin/python bench/startup.py
    .venv/bin/python bench/startup.py --importtime parse
    git archive 3008f1b | tar -x -C /tmp/before && .venv/bin/python bench/startup.py --tree /tmp/before
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TIME = "/usr/bin/time"

# An invented one-page plan: a header, two numbered clauses with a body and a deadline each.
ONE_PAGE = """ĐẢNG BỘ PHƯỜNG AN BÌNH
ĐẢNG ỦY PHƯỜNG
Số: 12-KH/ĐU
An Bình, ngày 3 tháng 2 năm 2025

KẾ HOẠCH
thực hiện công tác kiểm tra, giám sát năm 2025

1. Ủy ban Kiểm tra Đảng ủy chủ trì, phối hợp với Văn phòng Đảng ủy xây dựng chương trình kiểm tra, hoàn thành trước ngày 31/3/2025.

2. Giao Ủy ban nhân dân phường tổ chức rà soát các chi bộ trực thuộc, báo cáo kết quả trong quý II/2025.

Nơi nhận:
- Các chi bộ trực thuộc,
- Lưu VP.
"""

BODY = "Ủy ban Kiểm tra"
QUESTION = "việc nào của Ủy ban Kiểm tra?"


# What the `nqgraph` console script runs, importable from --tree through PYTHONPATH.
ENTRY = "import sys; from pipeline.cli import app; sys.argv[0] = 'nqgraph'; sys.exit(app())"


def _nqgraph(*args: str) -> list[str]:
    return [PYTHON, "-P", "-c", ENTRY, *args]  # -P: the working directory is not on sys.path


def environment(work: Path, tree: Path, bytecode: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NQGRAPH_CACHE_DIR")}
    env.update(PYTHONPATH=str(tree), NQGRAPH_CACHE_DIR=str(work / "vocabulary"))
    if bytecode:
        env["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def commands(work: Path) -> dict[str, list[str]]:
    store = str(work / "store.sqlite")
    return {
        "python -c pass": [PYTHON, "-c", "pass"],
        "nqgraph --version": _nqgraph("--version"),
        "nqgraph parse one.txt --json": _nqgraph("parse", str(work / "one.txt"), "--json"),
        "nqgraph tasks --body": _nqgraph("tasks", "--db", store, "--body", BODY),
        "nqgraph ask": _nqgraph("ask", "--db", store, QUESTION),
        "nqgraph documents": _nqgraph("documents", "--db", store),
        "nqgraph show one/1": _nqgraph("show", "--db", store, "one/1"),
    }


def prepare(work: Path, env: dict[str, str]) -> None:
    """The one-page file, and a store of it and the synthetic corpus for the queries."""
    (work / "one.txt").write_text(ONE_PAGE, encoding="utf-8")
    files = [str(work / "one.txt"), *map(str, sorted((ROOT / "corpus").glob("*.txt")))]
    subprocess.run(_nqgraph("ingest", "--db", str(work / "store.sqlite"), *files), cwd=ROOT,
                   check=True, capture_output=True, env=env)


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds user+sys with children, peak RSS in MB) of one run."""
    done = subprocess.run([TIME, "-f", "%U %S %M", *argv], cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
    user, system, kb = done.stderr.strip().splitlines()[-1].split()
    return float(user) + float(system), int(kb) / 1024


# A fixed amount of pure-Python work: its CPU seconds say how fast this machine runs right now
# (a loaded 2-core machine runs each instruction slower, and CPU time grows with it).
REFERENCE = [PYTHON, "-c", "s = 0\nfor i in range(10**7): s += i"]


def importtime(argv: list[str], env: dict[str, str], top: int = 25) -> None:
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, capture_output=True, text=True,
                          env=env)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            _, cumulative, name = line[len("import time:"):].split("|")
            rows.append((int(cumulative), name.rstrip()))
    for cumulative, name in sorted(rows, reverse=True)[:top]:
        print(f"{cumulative / 1e6:7.3f} s  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--importtime", metavar="COMMAND", help="parse, tasks, ask or version")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to run (default: this one)")
    parser.add_argument("--no-bytecode", dest="bytecode", action="store_false",
                        help="compile the sources in every process (PYTHONDONTWRITEBYTECODE)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = environment(work, args.tree.resolve(), args.bytecode)
        prepare(work, env)
        table = commands(work)
        if args.importtime:
            name = next(n for n in table if args.importtime in n)
            importtime(table[name], env)
            return
        print(f"tree {args.tree}; byte-code cache {'on' if args.bytecode else 'off'}; "
              f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"median of {args.runs} runs; CPU = user+sys incl. children; MB = peak RSS")
        reference = statistics.median(measure(REFERENCE, env)[0] for _ in range(3))
        print(f"reference (10^7 Python additions): {reference:.2f} s CPU; the last column is CPU / reference")
        print(f"{'command':32s} {'CPU s':>7s} {'MB':>7s} {'/ref':>7s}")
        for name, argv in table.items():
            runs = [measure(argv, env) for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in runs)
            mb = statistics.median(r[1] for r in runs)
            print(f"{name:32s} {cpu:7.2f} {mb:7.0f} {cpu / reference:7.2f}", flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
