#!/usr/bin/env python3
"""Residue of the closed-world audit, one row a document: what no rule explains.

    .venv/bin/python bench/audit_residue.py            # ../shared/corpus/real and corpus/*.txt
    .venv/bin/python bench/audit_residue.py --show     # also list each residue with its context

For every real document (../shared/corpus/real; the `_pdftext.txt` twin of a PDF counts as
the document it stands for) and every synthetic one (corpus/*.txt) it parses the file,
runs pipeline.audit, and prints how many time expressions and document numbers it found
and how many are residue. The bar (issue 18): on the real corpus at most 2 time
expressions and 0 numbers of residue per document. The residue is what the next rule
is written for.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import parse  # noqa: E402
from pipeline.audit import audit, residue  # noqa: E402
from pipeline.errors import NqgraphError  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
SUFFIXES = {".pdf", ".docx", ".txt", ".md"}


def documents() -> list[Path]:
    real = sorted(p for p in REAL.glob("*") if p.suffix.lower() in SUFFIXES and p.stem != "README") \
        if REAL.is_dir() else []
    return real + sorted((ROOT / "corpus").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list each residue with its context")
    args = parser.parse_args()
    print(f"{'document':58s} {'time':>5s} {'left':>5s} {'num':>5s} {'left':>5s}")
    worst = {"time": 0, "number": 0}
    for path in documents():
        try:
            doc = parse(path)
        except NqgraphError as error:
            print(f"{path.name[:58]:58s} not parsed: {error}")
            continue
        mentions = audit(doc)
        left = residue(mentions)
        counts = {k: sum(1 for m in mentions if m.kind == k) for k in ("time", "number")}
        print(f"{path.name[:58]:58s} {counts['time']:5d} {left['time']:5d} {counts['number']:5d} {left['number']:5d}")
        if path.parent == REAL:
            worst = {k: max(worst[k], left[k]) for k in worst}
        if args.show:
            for m in mentions:
                if m.fate == "residue":
                    context = doc.text[max(0, m.start - 60):m.end + 30].replace("\n", " ")
                    print(f"    {m.kind:6s} {m.text!r:24s} … {context}")
    print(f"worst residue on the real corpus: {worst['time']} time expressions, {worst['number']} numbers")


if __name__ == "__main__":
    main()
