"""One row per real document: what nqgraph made of it, then its scores against the hand gold.

usage: .venv/bin/python bench/real_corpus.py [--nqgraph .venv/bin/nqgraph] [--corpus DIR]
                                            [--gold DIR] [--out DIR] [--only STEM ...]

Runs `nqgraph parse FILE --json` on every document of ../shared/corpus/real (the README and the
`*_pdftext.txt` reference texts are not documents) as a process, the way a user would, and prints:
pages, page sources (text/repair/ocr counts), parts, clauses, tasks, tasks with an owner,
deadlines and citations (own, not inherited), the header's number/kind/date, warnings, clauses
whose text is garbage (judged by pipeline.extract.textlayer), seconds. Then, for every document
with gold in ../shared/gold/real, the scores of ../shared/eval/score.py (run as a subprocess):
segmentation, owner, support, deadlines, numbered citations (F1).

Example row:
  sct_laocai_qd1050_2026_kiem_tra_vlncn.pdf   4  0/0/4  1  12 ...
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SCORES = [("segmentation", "seg"), ("owner", "owner"), ("support", "support"),
          ("deadlines_doc", "deadl"), ("citations_numbered_doc", "cit#")]


def documents(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir()
                  if p.is_file() and p.name != "README.md" and not p.name.endswith("_pdftext.txt"))


def garbage_clauses(clauses: list[dict]) -> int:
    """Clauses whose text the text-layer judge rejects (judged from three words up)."""
    from pipeline.extract.textlayer import judge_text

    return sum(not judge_text(c.get("text") or "", min_words=3).usable for c in clauses)


def summary(doc: dict) -> dict:
    clauses = doc.get("clauses") or []
    sources = doc.get("page_sources") or []
    head = doc.get("doc") or {}
    tasks = [c for c in clauses if c.get("kind") == "task"]
    return {
        "pages": doc.get("pages", 0),
        # "text" counts every page read as it is (text layer, DOCX, plain text)
        "sources": "/".join(str(n) for n in (sum(s not in ("repair", "ocr") for s in sources),
                                               sources.count("repair"), sources.count("ocr"))),
        "parts": len(doc.get("parts") or []),
        "clauses": len(clauses),
        "tasks": len(tasks),
        "owned": sum(any(b.get("role") == "owner" for b in c.get("bodies") or []) for c in tasks),
        "deadl": sum(sum(not d.get("inherited") for d in c.get("deadlines") or []) for c in clauses),
        "cites": sum(len(c.get("citations") or []) for c in clauses),
        "header": " ".join(str(head.get(k) or "-") for k in ("number", "kind", "date")),
        "warn": len(doc.get("warnings") or []),
        "garbage": garbage_clauses(clauses),
    }


def gold_scores(system: Path, source: Path, gold_dir: Path) -> dict | None:
    """score.py's figures for `source` against the gold of its stem.

    The scan hdnd_…_nq12.pdf is scored against the gold made on its transcription (.md):
    the same document, so the scan must reach the same figures.
    """
    stem = source.stem
    clause_gold = gold_dir / f"{stem}.json"
    if not clause_gold.exists():
        return None
    golds = [clause_gold] + [g for g in (gold_dir / f"{stem}.citations.json", gold_dir / f"{stem}.deadlines.json")
                             if g.exists()]
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(system), *map(str, golds), "--json"],
                         capture_output=True, text=True)
    merged: dict = {}
    for result in json.loads(run.stdout or "{}").values():
        merged.update(result)
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nqgraph", default=str(ROOT / ".venv" / "bin" / "nqgraph"))
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "real")
    parser.add_argument("--gold", type=Path, default=SHARED / "gold" / "real")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "real_corpus")
    parser.add_argument("--only", nargs="*", default=None, help="file stems to run")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    columns = ["pages", "sources", "parts", "clauses", "tasks", "owned", "deadl", "cites", "warn", "garbage"]
    print(f"{'document':50s} " + " ".join(f"{c:>7s}" for c in columns) + f" {'s':>6s}  header (number kind date)")
    scored: list[tuple[str, dict]] = []
    for path in documents(args.corpus):
        if args.only and path.stem not in args.only:
            continue
        started = time.monotonic()
        run = subprocess.run([args.nqgraph, "parse", str(path), "--json"], capture_output=True, text=True)
        seconds = time.monotonic() - started
        if run.returncode != 0:
            print(f"{path.name[:50]:50s} parse failed (exit {run.returncode}, {seconds:.1f} s): "
                  f"{run.stderr.strip().splitlines()[-1][:100] if run.stderr.strip() else ''}")
            continue
        system = args.out / f"{path.stem}.json"
        system.write_text(run.stdout, encoding="utf-8")
        row = summary(json.loads(run.stdout))
        print(f"{path.name[:50]:50s} " + " ".join(f"{row[c]!s:>7s}" for c in columns)
              + f" {seconds:6.1f}  {row['header']}", flush=True)
        scores = gold_scores(system, path, args.gold)
        if scores is not None:
            scored.append((path.name, scores))
    print()
    print(f"{'scores against gold':50s} " + " ".join(f"{h:>7s}" for _, h in SCORES))
    for name, scores in scored:
        cells = []
        for key, _ in SCORES:
            value = scores.get(key)
            cells.append(f"{value['f1']:7.3f}" if isinstance(value, dict) else f"{'-':>7s}")
        print(f"{name[:50]:50s} " + " ".join(cells))


if __name__ == "__main__":
    main()
