"""Text layers judged before they are trusted: the judge's table, repair, OCR of unusable pages.

The real Word-exported decision (../shared/corpus/real/sct_laocai_qd1050_2026_kiem_tra_vlncn.pdf)
has fonts that map glyphs to wrong code points; its correct text is read from the `_pdftext.txt`
beside it at test time, never copied here. Two OCR tests only (the machine is shared).
"""
from __future__ import annotations

import shutil
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import pytest
import regex
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.extract import extract
from pipeline.extract.legacy import convert
from pipeline.extract.ocr import fix_lookalikes
from pipeline.extract.pdf import read_pdf
from pipeline.extract.repair import repair_label_sequence, repair_syllable
from pipeline.extract.textlayer import judge_text, legacy_repair, page_sources_line, unusable_warning

DATA = Path(__file__).parent / "data"
REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
QD1050 = REAL / "sct_laocai_qd1050_2026_kiem_tra_vlncn.pdf"
QD1050_TEXT = REAL / "sct_laocai_qd1050_2026_kiem_tra_vlncn_pdftext.txt"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
pdfmetrics.registerFont(TTFont("DVtl", FONT))
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def table() -> list[tuple[str, str, str]]:
    rows = (DATA / "text_layers.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(r.split("\t")) for r in rows if r and not r.startswith("#")]


PROSE = [text for verdict, _, text in table() if verdict == "usable" and len(text.split()) >= 12]


def shifted_glyphs(text: str) -> str:
    """What a reader makes of a font whose glyph ids are taken for code points.

    Times New Roman's glyph order puts "A" at 36: read as a code point, each ASCII
    character lands 29 lower ("C" → "&", "n" → "Q"); precomposed Vietnamese letters
    sit elsewhere in the glyph table and come out as letters of other scripts.
    """
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum() and ord(ch) - 29 > 32:
            out.append(chr(ord(ch) - 29))
        elif not ch.isascii() and ch.isalpha():
            out.append(chr(0x0400 + ord(ch) % 0xF0))  # the Cyrillic block
        else:
            out.append(ch)
    return "".join(out)


def cid_codes(text: str) -> str:
    """pdfminer's rendering of the same font: "(cid:N)" for every glyph it cannot map."""
    return "".join(ch if ch.isspace() else f"(cid:{ord(ch) - 29})" for ch in text)


@pytest.mark.parametrize("verdict,kind,text", table(), ids=[f"{v}-{k}" for v, k, _ in table()])
def test_judgement_table(verdict, kind, text):
    judgement = judge_text(text)
    assert judgement.usable == (verdict == "usable"), (kind, judgement)


@pytest.mark.parametrize("text", PROSE)
def test_derived_garbage_of_good_text_is_unusable(text):
    assert judge_text(text).usable
    assert not judge_text(shifted_glyphs(text)).usable, shifted_glyphs(text)
    assert not judge_text(cid_codes(text)).usable


def test_legacy_font_page_is_repaired_exactly():
    good = PROSE[0]
    legacy = next(t for v, k, t in table() if k.startswith("legacy font"))
    assert legacy_repair(legacy) == "tcvn3"
    assert judge_text(convert(legacy, "tcvn3")).usable
    assert legacy_repair(good) is None or judge_text(good).usable  # good text needs no repair
    assert legacy_repair(cid_codes(good)) is None  # no exact mapping: OCR


def test_ocr_repairs_only_what_is_certain():
    assert fix_lookalikes("(¡1)") == "(i1)" and fix_lookalikes("(ï7)") == "(i7)"
    assert fix_lookalikes("168/BC-ÐGS") == "168/BC-ĐGS"  # Icelandic eth for Đ
    assert repair_syllable("QUYÉT") == "QUYẾT"
    assert repair_syllable("PHÓ") == "PHÓ"  # a word itself ("deputy"): left as read
    from pipeline.extract.layout import Word

    words = [Word(t, 0, 1, 0, 1, 12) for t in ("(i1)", "một", "(12)", "hai", "(3)", "(4)")]
    assert [w.text for w in repair_label_sequence(words)] == ["(i1)", "một", "(i2)", "hai", "(i3)", "(i4)"]


def test_warning_and_page_sources_name_the_pages():
    warning = unusable_warning([2, 3], {1: "text", 2: "ocr", 3: "repair"}, "auto")
    assert warning.code == "text-layer-unusable" and "pages 2, 3" in warning.message
    assert "OCR (page 2)" in warning.message and "(page 3)" in warning.message
    assert page_sources_line(["text", "ocr", "repair"]) == "pages: 3 (text layer 1; OCR 2; repaired font encoding 3)"


def _real_corpus() -> None:
    if not QD1050.exists() or not QD1050_TEXT.exists():
        pytest.skip("../shared/corpus/real is absent (the real corpus lives beside the project)")


def _expected_words(reference: str, count: int = 40) -> list[str]:
    """The reference text's most frequent accented words: they must come through OCR."""
    words = regex.findall(r"\p{L}{3,}", reference)
    accented = Counter(w for w in words if not w.isascii() and w.islower())
    return [w for w, _ in accented.most_common(count)]


def test_qd1050_text_layer_is_judged_unusable_on_every_garbled_page():
    _real_corpus()
    pages, unusable = read_pdf(QD1050, ocr="never")
    assert unusable == [1, 2, 3, 4]
    assert all(not p.lines for p in pages)  # garbage is never kept, even with OCR off


@needs_tesseract
def test_qd1050_read_by_ocr_has_the_reference_words():
    _real_corpus()
    reference = QD1050_TEXT.read_text(encoding="utf-8")
    ex = extract(QD1050)
    assert ex.page_sources == ("ocr",) * 4
    assert ex.warnings[0].code == "text-layer-unusable" and "pages 1, 2, 3, 4" in ex.warnings[0].message
    assert "(cid:" not in ex.text and judge_text(ex.text).usable
    expected = _expected_words(reference)
    found = [w for w in expected if w in ex.text]
    assert len(found) >= 0.9 * len(expected), sorted(set(expected) - set(found))
    pages, _ = read_pdf(QD1050)
    ours = " ".join(" ".join(line.text for page in pages for line in page.lines).split())
    assert SequenceMatcher(None, ours, " ".join(reference.split()), autojunk=False).ratio() >= 0.95


@needs_tesseract
def test_pdf_with_one_good_page_and_one_unusable_page(tmp_path):
    good, hidden = PROSE[0], PROSE[1]
    picture = _picture_of(hidden, tmp_path / "page2.png")

    mixed = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(mixed), pagesize=(595, 842))
    c.setFont("DVtl", 14)
    for k, chunk in enumerate(_wrap(good)):
        c.drawString(85, 700 - 24 * k, chunk)
    c.showPage()
    c.drawImage(str(picture), 0, 0, 595, 842)  # what the reader sees: real text …
    layer = c.beginText(85, 700)
    layer.setTextRenderMode(3)  # … over an invisible text layer of glyph ids
    layer.setFont("DVtl", 14)
    for chunk in _wrap(shifted_glyphs(hidden)):
        layer.textLine(chunk)
    c.drawText(layer)
    c.save()

    ex = extract(mixed)
    assert ex.page_sources == ("text", "ocr")
    assert [w.code for w in ex.warnings if w.code == "text-layer-unusable"] == ["text-layer-unusable"]
    assert "page 2 " in ex.warnings[0].message
    assert SequenceMatcher(None, ex.text, good + "\n" + hidden, autojunk=False).ratio() > 0.9, ex.text
    off = extract(mixed, ocr="never")
    assert off.page_sources == ("text", "text") and "left out" in off.warnings[0].message
    assert off.text == good


def _picture_of(text: str, picture: Path) -> Path:
    """`text` typed on an A4 page and photographed at 200 dpi: what a scanner hands over."""
    import pypdfium2 as pdfium

    typed = picture.with_suffix(".typed.pdf")
    c = canvas.Canvas(str(typed), pagesize=(595, 842))
    c.setFont("DVtl", 14)
    for k, chunk in enumerate(_wrap(text)):
        c.drawString(85, 700 - 24 * k, chunk)
    c.save()
    pdfium.PdfDocument(str(typed))[0].render(scale=200 / 72).to_pil().save(picture)
    return picture


def _wrap(text: str, width: int = 60) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


@needs_tesseract
def test_default_budget_follows_the_ocr_the_pages_need(tmp_path):
    """With no --timeout the parent's limit grows as the parse announces its pages and OCR."""
    from pipeline.extract import ocr
    from pipeline.ingest import parse_isolated

    picture = _picture_of(PROSE[2], tmp_path / "page.png")
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=(595, 842))
    c.drawImage(str(picture), 0, 0, 595, 842)
    c.save()
    announced: list[float] = []
    ex = extract(scan, budget=announced.append)
    assert ex.page_sources == ("ocr",)
    assert announced == [ocr.budget_seconds(1, 0), ocr.budget_seconds(1, 1)]
    assert announced[1] > announced[0]
    assert parse_isolated(scan).page_sources == ("ocr",)  # the worker's messages reach the parent
