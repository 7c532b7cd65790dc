"""The corpus renderer: text PDFs carry the title and footer, scans carry no text, DOCX holds the paragraphs."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument

from pipeline.errors import InputError
from pipeline.render import load_source, paragraph_style, render_docx, render_pdf

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOC = CORPUS / "nq_hdnd_thanh_pho.txt"


def squash(text: str) -> str:
    """Whitespace-free text, so words wrapped across lines still compare equal."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory) -> Path:
    return render_pdf(DOC, tmp_path_factory.mktemp("pdf") / "nq.pdf")


def test_text_pdf_has_title_and_footer_on_every_page(text_pdf):
    src = load_source(DOC)
    with pdfplumber.open(text_pdf) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    assert len(pages) >= 2
    assert squash(src.meta["title"]) in squash(pages[0])
    assert "NGHỊ QUYẾT" in pages[0]
    for page in pages:
        assert "Cổng thông tin điện tử thành phố Cẩm Phả" in page
    # page numbers print from page 2, at the top
    assert pages[1].splitlines()[0].strip() == "2"


def test_text_pdf_keeps_labels_and_footnote(text_pdf):
    with pdfplumber.open(text_pdf) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    for label in ("Điều 1.", "Điều 2.", "Điều 3.", "a) Rà soát", "QUYẾT NGHỊ:"):
        assert label in text
    assert squash("Tuyến đường bao biển Cửa Ông - Cẩm Thịnh") in squash(text)
    assert "Nơi nhận:" in text and "Phạm Thị Thu Hà" in text
    assert "[^1]" not in text


def test_scan_has_no_text_layer_and_same_page_count(text_pdf, tmp_path):
    scan = render_pdf(DOC, tmp_path / "nq_scan.pdf", scan=True)
    with pdfplumber.open(text_pdf) as pdf:
        expected = len(pdf.pages)
    with pdfplumber.open(scan) as pdf:
        assert len(pdf.pages) == expected
        assert all((page.extract_text() or "").strip() == "" for page in pdf.pages)
        assert all(len(page.images) == 1 for page in pdf.pages)


def test_docx_has_every_paragraph(tmp_path):
    src = load_source(CORPUS / "kh_ubnd_xa.txt")
    out = render_docx(src.path, tmp_path / "kh.docx")
    doc = DocxDocument(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "KẾ HOẠCH"
    # a footnote marker is a Word footnote reference: no text in the paragraph, the note in
    # word/footnotes.xml, referenced by id
    body = [re.sub(r"\[\^(\d+)\]", "", p) for p in src.paragraphs]
    assert [t for t in texts if t in body] == body
    with zipfile.ZipFile(out) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
    assert '<w:footnote w:id="1">' in notes
    assert "Đến ngày 30/6/2025, trên địa bàn xã có 74 doanh nghiệp và 612 hộ kinh doanh đang hoạt động." in notes
    assert document.count("<w:footnoteReference") == 1
    header = doc.tables[0].rows[0].cells
    assert header[0].paragraphs[-1].text == "Số: 87/KH-UBND"
    assert header[1].paragraphs[-1].text == "Tân Lập, ngày 20 tháng 9 năm 2025"


@pytest.mark.parametrize("text,before,after_chapter,expected", [
    ("QUYẾT NGHỊ:", True, False, "centre"),
    ("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ CẨM PHẢ", True, False, "centre"),
    ("A- MỤC ĐÍCH, YÊU CẦU", True, False, "bold"),
    ("Chương II", False, False, "centre"),
    ("TRÁCH NHIỆM CỤ THỂ", False, True, "centre"),
    ("Điều 3. Tổ chức thực hiện", False, False, "bold"),
    ("Điều 1. " + "Tán thành báo cáo " * 10, False, False, "label"),
    ("1.1. Ban Xây dựng Đảng Đảng ủy", False, False, "bold"),
    ("1.1.Trực tiếp lãnh đạo, chỉ đạo và chịu trách nhiệm.", False, False, "body"),
    ("(1) Chủ trì, phối hợp với Văn phòng Đảng ủy", False, False, "body"),
])
def test_paragraph_style(text, before, after_chapter, expected):
    assert paragraph_style(text, before_first_label=before, after_chapter=after_chapter) == expected


def test_missing_front_matter_is_an_input_error(tmp_path):
    bare = tmp_path / "bare.txt"
    bare.write_text("1. Không có phần đầu.\n", encoding="utf-8")
    with pytest.raises(InputError, match="front matter"):
        load_source(bare)


@pytest.mark.parametrize("gold", sorted(CORPUS.glob("*.gold.json")), ids=lambda p: p.stem)
def test_gold_labels_appear_in_their_document(gold):
    data = json.loads(gold.read_text(encoding="utf-8"))
    body = "\n".join(load_source(CORPUS / data["source"]).paragraphs)
    for clause in data["clauses"]:
        assert clause["path"][-1] == clause["label"]
        assert clause["label"] in body
        assert clause["text_start"][:30] in body.replace("[^1]", "").replace("[^2]", "")
