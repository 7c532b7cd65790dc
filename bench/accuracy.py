"""Accuracy table: `nqgraph eval`'s figures for every gold file the project can reach.

    .venv/bin/python bench/accuracy.py            # dev set (text PDF) + synthetic corpus
    .venv/bin/python bench/accuracy.py --scan     # also the dev set's scanned PDF (OCR, ~50 s)

The dev set is ../shared/gold/ scored on ../shared/corpus/pdf/000_text.pdf; each
synthetic document in corpus/ is rendered to an office-style PDF and scored
against the gold file written with it. Prints one Markdown row per document.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import parse  # noqa: E402
from pipeline.evaluate import score  # noqa: E402
from pipeline.render import render_pdf  # noqa: E402

SHARED = ROOT.parent / "shared"
FIELDS = ["segmentation", "path_acc", "kind_acc", "owner", "owner_explicit", "owner_inherited", "support",
          "deadlines", "citations_numbered", "citation_date_acc", "citations_unnumbered"]


def _cell(value) -> str:
    if isinstance(value, dict):
        return f"{value['f1']:.3f}"
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scan", action="store_true", help="also score the dev set's scanned PDF (OCR)")
    args = parser.parse_args()
    cases: list[tuple[str, Path, Path]] = []
    for gold in sorted((SHARED / "gold").glob("*.json")):
        cases.append((f"dev {gold.stem} (text PDF)", SHARED / "corpus" / "pdf" / "000_text.pdf", gold))
        if args.scan:
            cases.append((f"dev {gold.stem} (scan, OCR)", SHARED / "corpus" / "pdf" / "000_scan.pdf", gold))
    with tempfile.TemporaryDirectory() as tmp:
        for gold in sorted((ROOT / "corpus").glob("*.gold.json")):
            stem = gold.name.removesuffix(".gold.json")
            cases.append((f"corpus {stem}", render_pdf(ROOT / "corpus" / f"{stem}.txt", Path(tmp) / f"{stem}.pdf"), gold))
        print("| document | " + " | ".join(FIELDS) + " |")
        print("|---" * (len(FIELDS) + 1) + "|")
        for name, pdf, gold in cases:
            figures = score(parse(pdf, timeout=600).to_json(), json.loads(gold.read_text(encoding="utf-8"))).figures
            print(f"| {name} | " + " | ".join(_cell(figures.get(f)) for f in FIELDS) + " |", flush=True)


if __name__ == "__main__":
    main()
