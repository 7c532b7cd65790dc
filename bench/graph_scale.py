"""Scale check: synthetic documents → store → queries → GraphML export.

Run: .venv/bin/python bench/graph_scale.py [--docs 1000] [--realistic 1000,10000]
Prints ingest time, median/p95 of `tasks --body` and `ask` queries on a store of --docs
documents, then the whole-store GraphML export at several store sizes, streamed (as
`nqgraph export` does) and through a networkx graph, with each one's peak memory: the
streamed export's should stay flat as the store grows.

--realistic builds stores whose documents look like the corpus's: the bodies and clause
texts of every corpus document, each body localised to one of many communes, districts
and provinces (~11 distinct bodies a document, so the bodies table grows with the store),
and times the queries staff run, in-process and as `nqgraph` processes.
"""
from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import replace
import random
import statistics
import tempfile
import time
import subprocess
import sys
from pathlib import Path
from typing import Optional

from pipeline.ask import parse_question
from pipeline.fold import fold
from pipeline.model import BodyRef, Citation, Clause, Deadline, DocInfo, Document
from pipeline.pages import task_page
from pipeline.query import TaskQuery, find_tasks
from pipeline.store import Store

BODY_WORDS = ["Ủy ban Kiểm tra", "Ủy ban nhân dân", "Ban Tuyên giáo", "Ban Tổ chức", "Văn phòng",
              "Mặt trận Tổ quốc", "Đoàn Thanh niên", "Hội Phụ nữ", "Hội Nông dân", "Công an"]
PLACES = [f"xã {i}" for i in range(40)]
DEADLINES = [("due", "2025-08"), ("due", "2025-Q3"), ("due", "2030"), ("period", "2026/2030"),
             ("recurring", "R/P1Y"), ("ongoing", None)]


def synthetic_document(i: int, rng: random.Random) -> Document:
    place = rng.choice(PLACES)
    stem = f"{i:04d}_nq"
    sections = []
    for s in range(1, 6):
        owner = rng.choice(BODY_WORDS)
        children = []
        for t in range(1, 7):
            kind, value = rng.choice(DEADLINES)
            support = rng.choice(BODY_WORDS)
            n = rng.randrange(1, 200)
            children.append(Clause(
                id=f"{stem}/{s}.({t})", label=f"({t})", path=(f"{s}.", f"({t})"),
                text=f"Chủ trì, phối hợp với {support} thực hiện Nghị quyết số {n}-NQ/TW.",
                start=0, end=1, label_start=0, tree_end=1, page=1, kind="task",
                bodies=(BodyRef(owner, owner, "owner", inherited=True, key=f"{place}/{owner}"),
                        BodyRef(support, support, "support", key=f"{place}/{support}")),
                deadlines=(Deadline("…", kind, value),),
                citations=(Citation(f"Nghị quyết số {n}-NQ/TW", f"{n}-NQ/TW", type="Nghị quyết"),)))
        sections.append(Clause(id=f"{stem}/{s}.", label=f"{s}.", path=(f"{s}.",), text=owner, start=0,
                               end=1, label_start=0, tree_end=1, page=1, kind="heading",
                               bodies=(BodyRef(owner, owner, "owner", key=f"{place}/{owner}"),),
                               children=tuple(children)))
    return Document(source=f"{stem}.pdf", sha256=hashlib.sha256(stem.encode()).hexdigest(),
                    info=DocInfo(number=f"{i}/NQ-HĐND", kind="Nghị quyết", issuer=f"Hội đồng nhân dân {place}"),
                    pages=5, text="", clauses=tuple(sections))


def corpus_pool() -> tuple[list[BodyRef], list[str], list[Citation]]:
    """Bodies, clause texts and citations of every synthetic corpus document, parsed."""
    from pipeline import parse

    bodies, texts, citations = {}, [], {}
    for path in sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt")):
        for clause in parse(path).walk():
            texts.append(clause.text[:600])
            for b in clause.bodies:
                bodies.setdefault(b.name, b)
            for c in clause.citations:
                if c.id:
                    citations.setdefault(c.id, c)
    return list(bodies.values()), texts, list(citations.values())


LOCAL_HEADS = ("Ủy ban nhân dân", "Hội đồng nhân dân", "Đảng ủy", "Ủy ban Kiểm tra Đảng ủy", "Mặt trận Tổ quốc",
               "Công an", "Đoàn Thanh niên", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Văn phòng")


def realistic_document(i: int, rng: random.Random, pool) -> Document:
    """A document of ~40 clauses and ~11 distinct bodies: some from the corpus, some local
    bodies of its own commune, so the bodies table grows with the store. There are 10,000
    communes (Vietnam has about that many), document i being commune i mod 10,000's: past
    10,000 documents a commune issues several, as communes do, naming its own bodies again."""
    corpus_bodies, texts, citations = pool
    name = random.Random(i % 10_000)
    commune = f"xã {name.choice(SYLLABLES)} {name.choice(SYLLABLES)} {i % 10_000}"
    # Keyed as the bodies tagger keys them: the body's folded name, "@", the place's.
    local = [BodyRef(f"{h} {commune}", f"{h} {commune}", "owner", key=f"{_dashed(h)}@{_dashed(commune)}")
             for h in rng.sample(LOCAL_HEADS, 5)]
    shared = [replace(b, key=None) for b in rng.sample(corpus_bodies, 6)]
    bodies = local + shared
    stem = f"r{i:06d}"
    sections = []
    for s in range(1, 6):
        owner = rng.choice(bodies)
        children = []
        for t in range(1, 8):
            kind, value = rng.choice(DEADLINES + [("due", f"{rng.randrange(2024, 2031)}-Q{rng.randrange(1, 5)}")])
            support = rng.choice(bodies)
            cited = rng.choice(citations)
            children.append(Clause(
                id=f"{stem}/{s}.({t})", label=f"({t})", path=(f"{s}.", f"({t})"), text=rng.choice(texts),
                start=0, end=1, label_start=0, tree_end=1, page=1, kind="task",
                bodies=(replace(owner, role="owner", inherited=True), replace(support, role="support")),
                deadlines=(Deadline("…", kind, value),), citations=(cited,)))
        sections.append(Clause(id=f"{stem}/{s}.", label=f"{s}.", path=(f"{s}.",), text=owner.name, start=0,
                               end=1, label_start=0, tree_end=1, page=1, kind="heading",
                               bodies=(replace(owner, role="owner"),), children=tuple(children)))
    return Document(source=f"{stem}.pdf", sha256=hashlib.sha256(stem.encode()).hexdigest(),
                    info=DocInfo(number=f"{i % 300}/KH-UBND", kind="Kế hoạch", issuer=local[0].name,
                                 date=f"{2020 + i % 7}-0{1 + i % 9}-1{i % 10}"),
                    pages=5, text="", clauses=tuple(sections))


def _dashed(name: str) -> str:
    return fold(name).replace(" ", "-")


SYLLABLES = ("An", "Bình", "Cao", "Đông", "Hà", "Hòa", "Hưng", "Lạc", "Long", "Minh", "Nam", "Phú", "Tân",
             "Thạnh", "Thuận", "Trung", "Vĩnh", "Xuân", "Yên", "Quang")


def realistic_store(size: int, folder: Path, pool) -> Path:
    """`folder`/realistic_SIZE.sqlite, built once and reused: documents 0..size-1, each drawn
    from its own seed, so a bigger store starts as a copy of the biggest smaller one.

    Documents go in through `Store.add_many` (the real insert path, one commit per 1,000
    documents); a build that stops half-way is never reused (it is renamed when complete).
    """
    path = folder / f"realistic_{size}.sqlite"
    if path.exists():
        return path
    building = folder / f"realistic_{size}.building.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    smaller = sorted((int(p.stem.split("_")[1]), p) for p in folder.glob("realistic_*.sqlite")
                     if p.stem.split("_")[1].isdigit() and int(p.stem.split("_")[1]) < size)
    done = 0
    if smaller:
        done, source = smaller[-1]
        # Page by page (not VACUUM, which may renumber the rowids the body index is keyed by).
        with Store(source) as store, Store(building) as copy:
            store.conn.backup(copy.conn)
    start = time.perf_counter()
    with Store(building) as store:
        # The bench's own connection only: a big cache keeps a bulk load's index pages in memory.
        store.conn.execute("PRAGMA cache_size=-500000")
        for first in range(done, size, 1000):
            store.add_many(realistic_document(i, random.Random(i), pool) for i in range(first, min(first + 1000, size)))
            print(f"  built {min(first + 1000, size):,} of {size:,} documents ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr)
    building.rename(path)
    return path


def realistic_queries(sizes: list[int], folder: Optional[Path]) -> None:
    """Median and p95 of the queries staff run, in-process and as processes, per store size."""
    pool = corpus_pool()
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("In-process: task_page (first 50 tasks and the count), as `nqgraph tasks` shows them.")
    print("| documents | bodies | clauses | query | answer | in-process median | p95 | CPU median | process median |")
    print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db = realistic_store(size, folder or Path(tmp), pool)
            with Store(db) as store:
                nbodies = store.conn.execute("SELECT count(*) FROM bodies").fetchone()[0]
                commune = store.conn.execute("SELECT name FROM bodies WHERE name LIKE 'Ủy ban nhân dân xã %'"
                                             " ORDER BY key LIMIT 1").fetchone()[0]
                nclauses = store.conn.execute("SELECT max(rid) FROM clauses").fetchone()[0]
                for name, args in _queries(commune).items():
                    make = _query_maker(args)
                    page = task_page(store, make())  # what `nqgraph tasks` shows: a page and the count
                    cpu: list[float] = []
                    ms = sorted(timed(lambda: task_page(store, make()), 15, cpu))
                    answer = f"{page.total:,}" if page.exact else f"> {page.total:,}"
                    print(f"| {size:,} | {nbodies:,} | {nclauses:,} | {name} | {answer} | {statistics.median(ms):.1f} ms"
                          f" | {ms[int(0.95 * (len(ms) - 1))]:.1f} ms | {statistics.median(cpu):.1f} ms"
                          f" | {_process_ms(db, args):.0f} ms |")


def _queries(commune: str) -> dict[str, list[str]]:
    """The queries staff run, as `nqgraph` arguments."""
    return {"tasks --body (a body of many communes)": ["tasks", "--body", "Ủy ban Kiểm tra"],
            "tasks --body (one commune's committee)": ["tasks", "--body", commune],
            "tasks --body UBND --role chủ trì": ["tasks", "--body", "UBND", "--role", "chủ trì"],
            "tasks --cites": ["tasks", "--cites", "57-NQ/TW"],
            "tasks --due-in": ["tasks", "--due-in", "quý I/2026"],
            "ask": ["ask", "Sở Tài chính phải làm gì trong năm 2026?"]}


def _query_maker(args: list[str]):
    from pipeline.query import staff_query

    if args[0] == "ask":
        return lambda: parse_question(args[1])
    options = {args[i][2:].replace("-", "_"): args[i + 1] for i in range(1, len(args), 2)}
    return lambda: staff_query(**options)


def _process_ms(db: Path, args: list[str]) -> float:
    """Median wall time of the same query as an `nqgraph` process printing its table (start-up included)."""
    exe = str(Path(sys.executable).with_name("nqgraph"))
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([exe, *args, "--db", str(db)], capture_output=True, env={**os.environ, "COLUMNS": "120"})
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def timed(fn, repeat: int, cpu: Optional[list[float]] = None) -> list[float]:
    """Wall milliseconds of `repeat` calls; with `cpu`, their CPU milliseconds go there too
    (this process's, which a loaded machine does not inflate as it does wall time)."""
    out = []
    for _ in range(repeat):
        start, used = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - used) * 1000)
    return out


def summary(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    print(f"{name}: median {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--export-sizes", default="250,1000,4000",
                        help="store sizes (documents) at which to measure the whole-store export")
    parser.add_argument("--realistic", default="",
                        help="store sizes (documents) for the realistic query table, e.g. 1000,10000; then exit")
    parser.add_argument("--store-dir", type=Path, default=None,
                        help="keep the realistic stores here and reuse them (default: a temporary folder)")
    args = parser.parse_args()
    if args.realistic:
        realistic_queries(sorted(int(n) for n in args.realistic.split(",")), args.store_dir)
        return
    rng = random.Random(1)
    documents = [synthetic_document(i, rng) for i in range(args.docs)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
        start = time.perf_counter()
        for d in documents:
            store.add(d)
        clauses = store.conn.execute("SELECT count(*) FROM clauses").fetchone()[0]
        print(f"ingest: {args.docs} documents, {clauses} clauses in {time.perf_counter() - start:.1f} s")
        bodies = ["UBKT", "Ủy ban nhân dân xã 3", "uy ban kiem tra", "Ban Tuyên giáo"]
        summary("tasks --body", [t for b in bodies for t in timed(lambda: find_tasks(store, TaskQuery(body=b)), 5)])
        summary("tasks --body --due-before", timed(
            lambda: find_tasks(store, TaskQuery(body="Hội Phụ nữ", due_before="2025-12")), 10))
        questions = ["tasks of UBKT due before 2025-12", "việc nào thực hiện Nghị quyết 57?",
                     "nhiệm vụ thường xuyên của Hội Nông dân"]
        summary("ask", [t for q in questions
                        for t in timed(lambda: find_tasks(store, parse_question(q)), 5)])
        print("answer sizes:", [len(find_tasks(store, parse_question(q))) for q in questions])
    print("export of the whole store (each in a fresh process: time, peak RSS, file size):")
    with tempfile.TemporaryDirectory() as tmp:
        added = 0
        for size in sorted(int(n) for n in args.export_sizes.split(",")):
            # Closed before the export, as after `nqgraph ingest`: an open writer keeps a WAL
            # the reading process has to map, which is not the export's own memory.
            with Store(Path(tmp) / "bench.sqlite") as store:
                for d in documents_up_to(size, rng_start=added):
                    store.add(d)
                clauses = store.conn.execute("SELECT count(*) FROM clauses").fetchone()[0]
            added = size
            for method in EXPORT_METHODS:
                seconds, rss, size_mb = export_in_child(Path(tmp) / "bench.sqlite", method, Path(tmp) / "out")
                print(f"  {size:5d} documents ({clauses} clauses), {method:<30} {seconds:5.1f} s, "
                      f"peak RSS {rss:4.0f} MB, {size_mb:.0f} MB written")


# Each runs in its own interpreter so one's peak memory does not hide the other's.
EXPORT_METHODS = {
    "streamed (nqgraph export)": "from pipeline.export import export; from pipeline.graph import StoreGraph\n"
                                 "export(StoreGraph(store), 'graphml', out)",
    "networkx graph, then GraphML": "from pipeline.export import write_graphml; from pipeline.graph import build_graph\n"
                                    "write_graphml(build_graph(store), out)",
}


def export_in_child(db: Path, method: str, out: Path) -> tuple[float, float, float]:
    """Seconds, peak resident MB and MB written by one export of `db` in a fresh process."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
    code = (f"import re, time\nfrom pipeline.store import Store\nout = {str(out)!r}\n"
            f"with Store({str(db)!r}) as store:\n    start = time.perf_counter()\n"
            + "".join(f"    {line}\n" for line in EXPORT_METHODS[method].splitlines())
            + "    seconds = time.perf_counter() - start\n"
            + "print(seconds, re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, rss_kb = done.stdout.split()
    return float(seconds), int(rss_kb) / 1024, out.stat().st_size / 1e6


def documents_up_to(size: int, rng_start: int) -> list[Document]:
    """Documents rng_start..size-1, the same ones whichever sizes are asked for."""
    return [synthetic_document(i, random.Random(i)) for i in range(rng_start, size)]


if __name__ == "__main__":
    main()
