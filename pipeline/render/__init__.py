"""Render a corpus document (front matter + one paragraph per line) as an office-style PDF or DOCX.

The corpus format is described in corpus/README.md. source.py reads it and decides
how each paragraph prints; pdf.py prints the PDF an office exports from Word
(`scan=True`: an image-only copy, like a scan), docx.py the Word file.

    python -m pipeline.render corpus/ -o outputs/corpus_pdf/
"""
from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.render.docx import render_docx
from pipeline.render.pdf import render_pdf
from pipeline.render.source import CorpusSource, load_source, paragraph_style

__all__ = ["CorpusSource", "load_source", "paragraph_style", "render_corpus", "render_docx", "render_pdf", "main"]


def render_corpus(source: Path, out: Path, *, scan: bool = False, docx: bool = False) -> list[Path]:
    """Render every corpus .txt in `source` to `out`/<stem>_text.pdf (and the scan and DOCX if asked)."""
    files = sorted(Path(source).glob("*.txt")) if Path(source).is_dir() else [Path(source)]
    written: list[Path] = []
    for file in files:
        written.append(render_pdf(file, Path(out) / f"{file.stem}_text.pdf"))
        if scan:
            written.append(render_pdf(file, Path(out) / f"{file.stem}_scan.pdf", scan=True))
        if docx:
            written.append(render_docx(file, Path(out) / f"{file.stem}.docx"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Render every corpus .txt in a folder to <stem>_text.pdf, <stem>_scan.pdf and <stem>.docx."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.render", description=__doc__.split("\n\n")[0],
                                     epilog="example: python -m pipeline.render corpus/ -o outputs/corpus_pdf/")
    parser.add_argument("source", type=Path, help="a corpus .txt file or a folder of them")
    parser.add_argument("-o", "--out", type=Path, default=Path("outputs/corpus_pdf"), help="output folder")
    parser.add_argument("--no-scan", action="store_true", help="skip the image-only PDFs (faster)")
    args = parser.parse_args(argv)
    files = sorted(args.source.glob("*.txt")) if args.source.is_dir() else [args.source]
    if not files:
        parser.error(f"no .txt files in {args.source}")
    for file in files:
        render_corpus(file, args.out, scan=not args.no_scan, docx=True)
        print(f"rendered {file.name}")
    return 0
