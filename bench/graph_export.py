"""Whole-store graph build and GraphML export, timed without and with tracemalloc.

Run: .venv/bin/python bench/graph_export.py [--docs 1000]

bench/graph_scale.py times the export while tracemalloc is tracing every
allocation, which makes Python code several times slower; this bench gives the
plain wall time of each half (build_graph, write_graphml) and, in a second
pass, the peak traced memory, on the same 1,000 synthetic documents.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph_scale import synthetic_document  # noqa: E402  (the same documents as graph_scale)

from pipeline.export import write_graphml  # noqa: E402
from pipeline.graph import build_graph  # noqa: E402
from pipeline.store import Store  # noqa: E402


def export_seconds(store: Store, out: Path) -> tuple[float, float]:
    """(build_graph seconds, write_graphml seconds) for the whole store.

    >>> export_seconds(store, Path("/tmp/all.graphml"))   # doctest: +SKIP
    (1.4, 3.0)
    """
    start = time.perf_counter()
    G = build_graph(store)
    built = time.perf_counter()
    write_graphml(G, out)
    return built - start, time.perf_counter() - built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
        start = time.perf_counter()
        for i in range(args.docs):
            store.add(synthetic_document(i, rng))
        print(f"ingest: {args.docs} documents in {time.perf_counter() - start:.1f} s")
        out = Path(tmp) / "all.graphml"
        build, write = min(export_seconds(store, out) for _ in range(2))
        print(f"untraced (best of 2): build_graph {build:.2f} s + write_graphml {write:.2f} s = {build + write:.2f} s, "
              f"{out.stat().st_size / 1e6:.1f} MB")
        tracemalloc.start()
        build, write = export_seconds(store, out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"under tracemalloc: {build + write:.1f} s, peak Python memory {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
