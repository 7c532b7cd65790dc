"""Character-level fidelity of extraction against the hand-made reference texts.

usage: .venv/bin/python bench/fidelity.py [--scan] [--corpus DIR] [--real DIR]

Measure: difflib.SequenceMatcher(None, ours, reference, autojunk=False).ratio()
on the BODY text. The reference `*_clean.txt` keeps material that `extract()`
deliberately moves out of `text` (header block, footnote lines and their
markers, the "Nơi nhận:" list and the signature), so the reference body is the
reference with those removed by rules stated here, not fitted per document:
  - footnote lines (start with a superscript digit) and superscript markers;
  - everything from the line starting "Nơi nhận" on;
  - leading lines up to the first line that starts our own body text
    (both sides' header blocks differ by design; reported separately as
    "header lines dropped").
Both sides are compared after modern tone marks (the reference keeps "uỷ").

Real PDFs with a reference text beside them (../shared/corpus/real/X.pdf and
X_pdftext.txt, the text the source repository kept) are measured on the whole
page text instead: every line pipeline.extract.pdf.read_pdf gives (text layer,
repair or OCR; header, body and signature alike) against the reference, both
NFC and whitespace-normalised (runs of white space are one space), with the same
SequenceMatcher ratio ("character agreement"; goal ≥ 0.95 for qd1050, whose
text layer is unusable and is read by OCR).
"""
from __future__ import annotations

import argparse
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.extract import extract  # noqa: E402
from pipeline.extract.pdf import read_pdf  # noqa: E402
from pipeline.extract.normalize import modern_tone_marks, nfc  # noqa: E402

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def reference_body(clean: str, ours: str) -> tuple[str, int]:
    lines = [nfc(l) for l in clean.splitlines()]
    lines = [l for l in lines if l and l[0] not in SUPERSCRIPTS]
    cut = next((i for i, l in enumerate(lines) if regex.match(r"Nơi\s+nhận", l)), len(lines))
    lines = lines[:cut]
    first = ours.split("\n", 1)[0][:40]
    start = next((i for i, l in enumerate(lines) if l.startswith(first)), 0)
    body = "\n".join(lines[start:])
    return modern_tone_marks(regex.sub(f"[{SUPERSCRIPTS}]", "", body)), start


def measure(pdf: Path, clean: Path, label: str) -> None:
    t0 = time.perf_counter()
    ex = extract(pdf)
    elapsed = time.perf_counter() - t0
    ref, dropped = reference_body(clean.read_text(encoding="utf-8"), ex.text)
    ratio = SequenceMatcher(None, ex.text, ref, autojunk=False).ratio()
    ocr_pages = sum(s == "ocr" for s in ex.page_sources)
    print(f"{label:<16} ratio={ratio:.4f}  chars={len(ex.text)}/{len(ref)}  paragraphs={len(ex.paragraphs)}"
          f"/{ref.count(chr(10)) + 1}  pages={ex.pages} (ocr {ocr_pages})  {elapsed:.1f}s "
          f"({elapsed / ex.pages * 1000:.0f} ms/page)  header lines dropped={dropped}"
          f"  footnotes={len(ex.footnotes)} warnings={len(ex.warnings)}")


def whitespace_normalised(text: str) -> str:
    """NFC, runs of white space as one space.

    >>> whitespace_normalised("Căn  cứ\\nLuật ")
    'Căn cứ Luật'
    """
    return " ".join(nfc(text).split())


def page_text_agreement(pdf: Path, reference: Path) -> tuple[float, dict[str, int], float]:
    """Character agreement of all page lines with the reference text; page sources; seconds."""
    started = time.perf_counter()
    pages, _ = read_pdf(pdf)
    elapsed = time.perf_counter() - started
    ours = whitespace_normalised(" ".join(line.text for page in pages for line in page.lines))
    ref = whitespace_normalised(reference.read_text(encoding="utf-8"))
    sources = {s: sum(p.source == s for p in pages) for s in ("text", "repair", "ocr")}
    return SequenceMatcher(None, ours, ref, autojunk=False).ratio(), sources, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/work/shared/corpus/pdf")
    parser.add_argument("--scan", action="store_true", help="also OCR the *_scan.pdf files (~1 min per 20 pages)")
    parser.add_argument("--real", default="/work/shared/corpus/real", help="real PDFs with X_pdftext.txt beside them")
    args = parser.parse_args()
    for reference in sorted(Path(args.real).glob("*_pdftext.txt")):
        pdf = reference.with_name(reference.name[: -len("_pdftext.txt")] + ".pdf")
        ratio, sources, elapsed = page_text_agreement(pdf, reference)
        print(f"{pdf.name:<44} agreement={ratio:.4f}  pages text/repair/ocr="
              f"{sources['text']}/{sources['repair']}/{sources['ocr']}  {elapsed:.1f}s")
    corpus = Path(args.corpus)
    for stem in ("000", "004"):
        measure(corpus / f"{stem}_text.pdf", corpus / f"{stem}_clean.txt", f"{stem}_text.pdf")
        if args.scan:
            measure(corpus / f"{stem}_scan.pdf", corpus / f"{stem}_clean.txt", f"{stem}_scan.pdf")


if __name__ == "__main__":
    main()
