"""The fast text-layer engine (pypdfium2) gives what the pdfplumber engine gives, document by document.

Every PDF of ../shared/corpus (pdf/ and real/, read at test time), every synthetic corpus
document rendered to PDF, and PDFs with ruled, unruled and page-crossing task tables go
through `extract` with both engines; their Extracted values (text, paragraphs with pages,
offsets, parts and table rows, header info, footnotes, warnings) must be equal. A failure
prints the fields that differ and the first differing paragraphs. OCR is off: scans and
unusable text layers are compared by their errors and by which pages were judged unusable.
"""
from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

from pipeline.errors import NqgraphError
from pipeline.extract import extract
from pipeline.extract.pdf import read_pdf
from pipeline.extract.pdf_rules import may_hold_ruled_table
from pipeline.render import render_corpus
from cli_run import run_cli
from test_tables import PDF_HEADER, _pdf, _task

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SHARED_PDFS = sorted((SHARED / "pdf").glob("*.pdf")) + sorted((SHARED / "real").glob("*.pdf"))


@pytest.fixture(scope="module")
def table_pdfs(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("tables")
    rows = [PDF_HEADER] + [_task(i) for i in range(1, 41)]
    return [_pdf(out / "ruled.pdf", rows), _pdf(out / "unruled.pdf", rows[:4], ruled=False),
            _pdf(out / "broken_row.pdf", rows[:3] + [["", "và báo cáo kết quả", "", ""]] + rows[3:5],
                 before_break=3, header=False),
            _pdf(out / "box.pdf", [["Lưu ý", "Các đơn vị gửi báo cáo đúng hạn", "", ""]])]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Path]:
    return render_corpus(ROOT / "corpus", tmp_path_factory.mktemp("rendered"))


def _extracted(path: Path, engine: str):
    try:
        return extract(path, ocr="never", engine=engine)
    except NqgraphError as error:
        return f"{type(error).__name__}: {error}"


def _differences(reference, fast) -> str:
    """'' when equal, else the differing fields and the first differing paragraph lines."""
    if isinstance(reference, str) or isinstance(fast, str):
        return "" if reference == fast else f"pdfplumber: {reference!r}\npdfium: {fast!r}"
    fields = [f.name for f in dataclasses.fields(reference) if getattr(reference, f.name) != getattr(fast, f.name)]
    if not fields:
        return ""
    lines = [f"fields differ: {fields}"]
    lines += list(difflib.unified_diff(reference.text.splitlines(), fast.text.splitlines(), "pdfplumber", "pdfium",
                                       lineterm="", n=0))[:20]
    pairs = [(a, b) for a, b in zip(reference.paragraphs, fast.paragraphs) if a != b][:3]
    lines += [f"paragraph: {a}\n       vs: {b}" for a, b in pairs]
    return "\n".join(lines)


def _compare(paths: list[Path]) -> None:
    failures = []
    for path in paths:
        difference = _differences(_extracted(path, "pdfplumber"), _extracted(path, "pdfium"))
        if difference:
            failures.append(f"== {path.name}\n{difference}")
            print(failures[-1])
    assert not failures, f"{len(failures)} of {len(paths)} documents differ between the engines (printed above)"


def test_shared_corpus_pdfs_read_the_same_with_both_engines():
    assert len(SHARED_PDFS) >= 9  # two text PDFs, two scans, five real PDFs
    _compare(SHARED_PDFS)


def test_unusable_text_layers_are_judged_the_same_with_both_engines():
    for path in SHARED_PDFS:
        reference, fast = (read_pdf(path, ocr="never", engine=e) for e in ("pdfplumber", "pdfium"))
        assert fast[1] == reference[1], path.name
        assert [p.source for p in fast[0]] == [p.source for p in reference[0]], path.name


def test_pages_opened_without_pdfplumber_have_its_boxes(rendered, table_pdfs):
    """pdfminer_pages.py computes pdfplumber's Page.bbox itself: equal on every page, and
    anything else asked of a page comes from pdfplumber's own Page."""
    import pdfplumber

    from pipeline.extract.pdfminer_pages import PagesLater

    pages = 0
    for path in SHARED_PDFS + rendered + table_pdfs:
        later = PagesLater(path)
        with pdfplumber.open(path) as pdf:
            assert [p.bbox for p in later.pages] == [p.bbox for p in pdf.pages], path.name
            assert [(p.width, p.height) for p in later.pages] == [(p.width, p.height) for p in pdf.pages]
            pages += len(pdf.pages)
        assert later.pages[0].extract_text() == later.plumber().pages[0].extract_text()
        later.close()
    assert pages >= 150


def test_synthetic_corpus_reads_the_same_with_both_engines(rendered):
    assert len(rendered) >= 20
    _compare(rendered)


def test_task_tables_read_the_same_with_both_engines(table_pdfs):
    _compare(table_pdfs)
    rows = [p.row for p in extract(table_pdfs[0], engine="pdfium").paragraphs if p.row]
    assert len(rows) == 40  # the ruled table was found (pdfplumber's finder, fed by the fast engine)


def test_the_fast_engine_feeds_the_table_finder_from_pdfium_alike(table_pdfs):
    """On every page of the ruled PDFs the finder reads pdfium's paths and characters, not
    pdfminer's, and finds the same cells with the same text as on pdfplumber's own page."""
    import pdfplumber

    from pipeline.extract.pdf import _PdfiumPages
    from pipeline.extract.pdfium_tables import PdfiumTablePage

    for path in table_pdfs[:2]:
        fast = _PdfiumPages(path)
        with pdfplumber.open(path) as pdf:
            for index, page in enumerate(pdf.pages):
                _, finder = fast.words(index, page)
                if path == table_pdfs[1]:
                    assert finder is None  # an unruled table draws no grid
                    continue
                assert isinstance(finder, PdfiumTablePage)
                ours, theirs = finder.find_tables(), page.find_tables()
                assert [t.extract() for t in ours] == [t.extract() for t in theirs]
                assert [[round(x, 3) for x in t.bbox] for t in ours] == [[round(x, 3) for x in t.bbox] for t in theirs]
        fast.close()


def test_only_pages_drawing_a_grid_are_handed_to_the_table_finder(table_pdfs, rendered):
    ruled, unruled, _, box = table_pdfs
    with pypdfium2.PdfDocument(ruled) as document:
        assert all(may_hold_ruled_table(page) for page in document)
    for path in (unruled, rendered[0]):
        with pypdfium2.PdfDocument(path) as document:
            assert not any(may_hold_ruled_table(page) for page in document), path.name
    with pypdfium2.PdfDocument(box) as document:  # one box: two rules each way, no grid
        assert not may_hold_ruled_table(document[0])


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of"):
        read_pdf(SHARED / "pdf" / "004_text.pdf", engine="mupdf")


def test_parse_command_takes_the_engine_and_gives_the_same_json():
    pdf = str(SHARED / "pdf" / "004_text.pdf")
    fast, reference = run_cli("parse", pdf, "--json"), run_cli("parse", pdf, "--json", "--engine", "pdfplumber")
    assert fast.returncode == reference.returncode == 0, (fast.stderr, reference.stderr)
    assert fast.stdout == reference.stdout
    wrong = run_cli("parse", pdf, "--engine", "mupdf")
    assert wrong.returncode == 2 and "mupdf" in wrong.stderr


def test_the_native_passes_are_built_and_read_what_the_python_passes_read(rendered, table_pdfs):
    """pdfium_native.c (built by `pip install`, which setup.sh gives a C compiler) reads every
    page's words and characters exactly as pdfium_words.py's Python passes read them."""
    from pipeline.extract.page_objects import PageObjects
    from pipeline.extract.pdfium_native import native_library, read_page

    assert native_library() is not None, \
        "pipeline/extract/_pdfium_native*.so is missing: install a C compiler and rerun `pip install -e .`"
    pages = words = blanks = 0
    for path in [p for p in SHARED_PDFS if "scan" not in p.name] + rendered + table_pdfs:
        with pypdfium2.PdfDocument(path) as document, pdfplumber.open(path) as reference:
            objects = PageObjects()
            for number, page in enumerate(document):
                pdfminer_page = reference.pages[number].page_obj
                native, python = read_page(page, objects, pdfminer_page), read_page(page, objects, pdfminer_page,
                                                                                    native=False)
                assert native.words == python.words, (path.name, number + 1)
                assert native.chars == python.chars, (path.name, number + 1)
                pages += bool(native.words)
                words += len(native.words)
                blanks += sum(1 for c in python.chars if c[0] == " " and c[1] == c[2])
                page.close()
    assert pages >= 60 and words >= 20_000 and blanks >= 100, (pages, words, blanks)

