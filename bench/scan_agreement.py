"""How much of a text twin's clause tree does its scan give? (issue #16: scans as good as text)

usage: .venv/bin/python bench/scan_agreement.py [--cache DIR] [--show]

Pairs: ../shared/corpus/pdf/NNN_scan.pdf with NNN_text.pdf, and the office scan
../shared/corpus/real/hdnd_hanoi_nq12_2025_sua_doi_nq.pdf with its transcription (.md).
Both sides are extracted and segmented (no tagging). Measure, per pair:

  agreement = matched / max(clauses of the twin, clauses of the scan)

where the two clause lists are aligned in document order on their label paths
(difflib over the path tuples, labels without spaces and trailing dots) and an
aligned pair counts as matched when the clause texts, whitespace-normalised,
agree on ≥ 0.8 of their characters (SequenceMatcher ratio: OCR misreads some
tone marks, it must not lose or split clauses). Goal ≥ 0.95 for every pair.

--cache keeps Tesseract's output for each page in DIR, so a change to OCR reading,
paragraph joining or segmentation is measured again in seconds; --show prints unmatched clauses.
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline import document_from_extracted  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.extract import ocr  # noqa: E402
from pipeline.segment import segment  # noqa: E402

SHARED = ROOT.parent / "shared"
TEXT_AGREEMENT = 0.8
TESSERACT = ocr.ocr_pdf_tsv


def pairs() -> list[tuple[Path, Path]]:
    corpus = SHARED / "corpus" / "pdf"
    found = [(corpus / f"{s.name[:-9]}_text.pdf", s) for s in sorted(corpus.glob("*_scan.pdf"))]
    real = SHARED / "corpus" / "real" / "hdnd_hanoi_nq12_2025_sua_doi_nq"
    return found + [(real.with_suffix(".md"), real.with_suffix(".pdf"))]


def cached_tesseract(cache: Path):
    """ocr.ocr_pdf_tsv keeping each page's TSV in `cache` (Tesseract is the slow part)."""
    def read(path: Path, indices: list[int], *, deadline: float | None = None) -> dict[int, str]:
        stored = cache / f"{path.stem}.tsv.pickle"
        known = pickle.loads(stored.read_bytes()) if stored.exists() else {}
        missing = [i for i in indices if i not in known]
        if missing:
            known.update(TESSERACT(path, missing, deadline=deadline))
            stored.write_bytes(pickle.dumps(known))
        return {i: known[i] for i in indices}
    return read


def clauses(path: Path) -> list[tuple[tuple[str, ...], str]]:
    """(normalised label path, whitespace-normalised text) of every clause, in order."""
    extracted = extract(path)
    doc = segment(document_from_extracted(path.name, "", extracted))
    return [(tuple(label.replace(" ", "").rstrip(".").lower() for label in c.path), " ".join(c.text.split()))
            for c in doc.walk()]


def agreement(twin: list, scan: list) -> tuple[float, list, list]:
    """Share of clauses matched; the twin's and the scan's unmatched clauses."""
    matcher = SequenceMatcher(None, [p for p, _ in twin], [p for p, _ in scan], autojunk=False)
    matched, used_twin, used_scan = 0, set(), set()
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            i, j = block.a + k, block.b + k
            if SequenceMatcher(None, twin[i][1], scan[j][1], autojunk=False).ratio() >= TEXT_AGREEMENT:
                matched += 1
                used_twin.add(i)
                used_scan.add(j)
    total = max(len(twin), len(scan)) or 1
    return (matched / total, [c for i, c in enumerate(twin) if i not in used_twin],
            [c for j, c in enumerate(scan) if j not in used_scan])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
        ocr.ocr_pdf_tsv = cached_tesseract(args.cache)
    print(f"{'scan':44s} {'twin':>6s} {'scan':>6s} {'matched':>8s} {'agreement':>10s} {'s':>6s}")
    for twin_path, scan_path in pairs():
        started = time.monotonic()
        twin, scan = clauses(twin_path), clauses(scan_path)
        share, lost, extra = agreement(twin, scan)
        print(f"{scan_path.name:44s} {len(twin):6d} {len(scan):6d} {round(share * max(len(twin), len(scan))):8d}"
              f" {share:10.3f} {time.monotonic() - started:6.1f}", flush=True)
        if args.show:
            for label, (path, text) in [("twin only", c) for c in lost] + [("scan only", c) for c in extra]:
                print(f"    {label}: {'/'.join(path)}  {text[:110]}")


if __name__ == "__main__":
    main()
