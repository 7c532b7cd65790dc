"""Long work shows progress: a scan's OCR pages reach the caller of an isolated parse,
and an upload's message, page by page."""
from pathlib import Path

import pytest

from pipeline.ingest import parse_isolated
from pipeline.render import render_pdf
from pipeline.web.uploads import FileOutcome, UploadIndex, ingest_upload

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    """A scanned plan (no text layer) of a few pages, made from a corpus document."""
    return render_pdf(ROOT / "corpus" / "kh_ubnd_xa.txt", tmp_path_factory.mktemp("scan") / "kh_scan.pdf", scan=True)


def test_an_isolated_parse_reports_each_ocr_page(scan):
    seen = []
    doc = parse_isolated(scan, progress=lambda done, total: seen.append((done, total)))
    assert doc.page_sources and set(doc.page_sources) == {"ocr"}
    total = len(doc.page_sources)
    assert seen == [(k, total) for k in range(1, total + 1)]


def test_an_upload_says_which_ocr_page_it_is_reading(scan, tmp_path):
    stored = tmp_path / "uploads" / "0123456789abcdef0123456789abcdef.pdf"
    stored.parent.mkdir()
    stored.write_bytes(scan.read_bytes())
    messages = []
    outcome = ingest_upload(stored, "Kế hoạch 87.pdf", "pdf", tmp_path / "nq.sqlite", UploadIndex(stored.parent),
                            outcome=FileOutcome("Kế hoạch 87.pdf"),
                            progress=lambda o: messages.append((o.status, o.message)))
    assert outcome.status == "added", outcome.message
    assert messages and all(status == "parsing" for status, _ in messages)
    assert messages[-1][1].startswith("Kế hoạch 87.pdf: OCR ") and messages[-1][1].endswith(f"/{len(messages)}")
