"""Extraction: synthetic office-style PDFs built here with reportlab, text files, bad input."""
from __future__ import annotations

import re
import shutil
import zipfile
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.errors import (
    CorruptFileError, EmptyDocumentError, EncryptedPdfError, InputError, UnsupportedFormatError,
)
from pipeline.extract import extract
from pipeline.extract.layout import join_lines
from pipeline.extract.legacy import decode_bytes, fix_legacy
from pipeline.extract.normalize import modern_tone_marks
from pipeline.extract.repair import repair_ocr_paragraph

DATA = Path(__file__).parent / "data"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
pdfmetrics.registerFont(TTFont("DV", FONT))
pdfmetrics.registerFont(TTFont("DVB", BOLD if Path(BOLD).exists() else FONT))

W, H = 595, 842
LEFT, RIGHT, INDENT, SIZE, PITCH = 85, 545, 121, 11, 16
FOOTER = "Văn bản thử nghiệm dùng cho kiểm thử phần mềm nội bộ"


def load_cases(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [l.split("\t") for l in lines if l and not l.startswith("#")]


class OfficePdf:
    """Draws a resolution the way office software does: justified body, running footer."""

    def __init__(self, path: Path):
        self.c = canvas.Canvas(str(path), pagesize=(W, H))
        self.page = 1
        self.y = H - 60
        self.bottom = 190

    def furniture(self):
        self.c.setFont("DV", 9)
        self.c.drawCentredString(W / 2, 40, FOOTER)
        if self.page > 1:
            self.c.setFont("DV", 12)
            self.c.drawCentredString(W / 2, H - 35, str(self.page))

    def new_page(self):
        self.furniture()
        self.c.showPage()
        self.page += 1
        self.y = H - 60

    def text(self, x, s, font="DV", size=SIZE, dy=PITCH):
        self.c.setFont(font, size)
        self.c.drawString(x, self.y, s)
        self.y -= dy

    def centred(self, s, font="DVB", size=SIZE):
        self.c.setFont(font, size)
        self.c.drawCentredString((LEFT + RIGHT) / 2, self.y, s)
        self.y -= PITCH

    def paragraph(self, lines: list[str], font="DV", gap=6, superscript: str | None = None):
        """Lines as given (the test fixes the wrap); all but the last are justified."""
        for i, line in enumerate(lines):
            if self.y < self.bottom:
                self.new_page()
            x0 = INDENT if i == 0 else LEFT
            words = line.split(" ")
            self.c.setFont(font, SIZE)
            if i < len(lines) - 1:
                natural = sum(pdfmetrics.stringWidth(w, font, SIZE) for w in words)
                space = (RIGHT - x0 - natural) / (len(words) - 1)
                assert 2 < space < 12, f"test line does not justify well: {line!r} ({space:.1f})"
            else:
                space = pdfmetrics.stringWidth(" ", font, SIZE)
            x = x0
            for w in words:
                self.c.drawString(x, self.y, w)
                x += pdfmetrics.stringWidth(w, font, SIZE) + space
            if superscript and i == len(lines) - 1:
                self.c.setFont("DV", 7)
                self.c.drawString(x - space + 0.5, self.y + 5, superscript)
            self.y -= PITCH
        self.y -= gap

    def footnote(self, marker: str, s: str):
        self.c.setFont("DV", 7)
        self.c.drawString(LEFT, 96, marker)
        self.c.setFont("DV", 10)
        self.c.drawString(LEFT + 6, 92, s)

    def save(self):
        self.furniture()
        self.c.save()


P_NUMBER = [
    "1. Ủy ban nhân dân huyện chủ trì triển khai thực hiện Quy định số 216-",
    "QĐ/TU ngày 12/10/2023 của Ban Thường vụ Tỉnh ủy, hoàn thành trong tháng",
    "9/2024.",
]
P_LONG = [
    "2. Các cơ quan, đơn vị thuộc huyện tập trung rà soát, bổ sung kế hoạch công",
    "tác năm, bảo đảm mỗi nhiệm vụ có cơ quan chủ trì, cơ quan phối hợp, thời hạn",
    "hoàn thành và sản phẩm cụ thể; định kỳ hằng quý báo cáo kết quả về Văn phòng",
    "Hội đồng nhân dân và Ủy ban nhân dân huyện để tổng hợp, theo dõi, đôn đốc và",
    "kiểm tra việc thực hiện trên địa bàn toàn huyện trong suốt cả năm.",
]


def build_office_pdf(path: Path) -> None:
    pdf = OfficePdf(path)
    pdf.c.setFont("DV", 11)
    pdf.c.drawString(110, pdf.y, "HỘI ĐỒNG NHÂN DÂN")
    pdf.c.setFont("DVB", 11)
    pdf.c.drawString(300, pdf.y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.y -= 15
    pdf.c.drawString(120, pdf.y, "HUYỆN AN LẠC")
    pdf.c.drawString(340, pdf.y, "Độc lập - Tự do - Hạnh phúc")
    pdf.y -= 25
    pdf.c.setFont("DV", 11)
    pdf.c.drawString(115, pdf.y, "Số: 45/NQ-HĐND")
    pdf.c.drawString(330, pdf.y, "An Lạc, ngày 5 tháng 3 năm 2024")
    pdf.y -= 35
    pdf.centred("NGHỊ QUYẾT", size=14)
    pdf.centred("Về nhiệm vụ thử nghiệm năm 2024")
    pdf.y -= 10
    pdf.paragraph(["Căn cứ Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị;"])
    pdf.paragraph(["Điều 1. Nhiệm vụ chung"], font="DVB")
    pdf.paragraph(P_NUMBER, superscript="1")
    pdf.footnote("1", "Theo Kế hoạch số 12/KH-UBND của Ủy ban nhân dân huyện.")
    pdf.bottom = 520  # forces P_LONG over the page break
    pdf.paragraph(P_LONG)  # runs over the page break
    pdf.paragraph(["3. Phòng Tài chính - Kế hoạch phối hợp (thực hiện thường xuyên)."])
    pdf.y -= 10
    pdf.c.setFont("DVB", 11)
    pdf.c.drawString(LEFT, pdf.y, "Nơi nhận:")
    pdf.c.drawString(360, pdf.y, "TM. HỘI ĐỒNG NHÂN DÂN")
    pdf.y -= 14
    pdf.c.setFont("DV", 10)
    pdf.c.drawString(LEFT, pdf.y, "- Như Điều 1;")
    pdf.c.setFont("DVB", 11)
    pdf.c.drawString(395, pdf.y, "CHỦ TỊCH")
    pdf.y -= 14
    pdf.c.setFont("DV", 10)
    pdf.c.drawString(LEFT, pdf.y, "- Lưu: VT.")
    pdf.y -= 40
    pdf.c.setFont("DVB", 12)
    pdf.c.drawString(385, pdf.y, "Trần Văn An")
    pdf.save()


@pytest.fixture(scope="module")
def office_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "nq_45.pdf"
    build_office_pdf(path)
    return path


def test_office_pdf_paragraphs(office_pdf):
    ex = extract(office_pdf)
    assert ex.text.split("\n") == [
        "Căn cứ Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị;",
        "Điều 1. Nhiệm vụ chung",
        " ".join(P_NUMBER).replace("216- QĐ", "216-QĐ"),
        " ".join(P_LONG),
        "3. Phòng Tài chính - Kế hoạch phối hợp (thực hiện thường xuyên).",
    ]
    assert [p.page for p in ex.paragraphs] == [1, 1, 1, 1, 2]
    assert [p.bold for p in ex.paragraphs] == [False, True, False, False, False]
    assert ex.pages == 2 and ex.page_sources == ("text", "text")
    assert FOOTER not in ex.text


def test_office_pdf_offsets_and_original(office_pdf):
    ex = extract(office_pdf)
    assert len(ex.original) == len(ex.text)
    for para, line in zip(ex.paragraphs, ex.text.split("\n")):
        assert ex.text[para.start:para.end] == line


def test_office_pdf_footnote_and_header(office_pdf):
    ex = extract(office_pdf)
    assert ex.footnotes == (("1", "Theo Kế hoạch số 12/KH-UBND của Ủy ban nhân dân huyện."),)
    info = ex.info
    assert (info.number, info.kind, info.issuer, info.place, info.date, info.title) == (
        "45/NQ-HĐND", "Nghị quyết", "Hội đồng nhân dân huyện An Lạc", "An Lạc", "2024-03-05",
        "Về nhiệm vụ thử nghiệm năm 2024")
    assert (info.signer.title, info.signer.name) == ("Chủ tịch", "Trần Văn An")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scanned_page_goes_through_tesseract(tmp_path):
    import pypdfium2 as pdfium

    typed = tmp_path / "typed.pdf"
    c = canvas.Canvas(str(typed), pagesize=(W, H))
    c.setFont("DV", 14)
    c.drawString(INDENT, 700, "Căn cứ Nghị quyết số 35-NQ/TW của Bộ Chính trị;")
    c.drawString(INDENT, 670, "Điều 1. Giao Ủy ban nhân dân huyện chủ trì thực hiện.")
    c.save()
    image = pdfium.PdfDocument(str(typed))[0].render(scale=200 / 72).to_pil()
    png = tmp_path / "page.png"
    image.save(png)
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=(W, H))
    c.drawImage(str(png), 0, 0, W, H)
    c.save()
    ex = extract(scan)
    assert ex.page_sources == ("ocr",)
    assert all(p.source == "ocr" for p in ex.paragraphs)
    expected = "Căn cứ Nghị quyết số 35-NQ/TW của Bộ Chính trị;\nĐiều 1. Giao Ủy ban nhân dân huyện chủ trì thực hiện."
    assert SequenceMatcher(None, ex.text, expected).ratio() > 0.95, ex.text


@pytest.mark.parametrize("old,new", load_cases("extract_tone_marks.tsv"))
def test_tone_marks(old, new):
    assert modern_tone_marks(old) == new
    assert len(modern_tone_marks(old)) == len(old)


@pytest.mark.parametrize("encoding,legacy,unicode", load_cases("extract_legacy.tsv"))
def test_legacy_encodings(encoding, legacy, unicode):
    assert fix_legacy(legacy) == (unicode, encoding)
    assert decode_bytes(legacy.encode("cp1252")) == (unicode, encoding)


def test_unicode_text_is_not_converted():
    text = "Ban Chấp hành Đảng bộ phường ban hành Chương trình hành động."
    assert fix_legacy(text) == (text, None)


@pytest.mark.parametrize("prev,cur,joined", [
    ("Quy định số 216-", "QĐ/TU ngày 12/10/2023", "Quy định số 216-QĐ/TU ngày 12/10/2023"),
    ("Nghị quyết số 152/", "NQ-HĐND", "Nghị quyết số 152/NQ-HĐND"),
    ("nhiệm kỳ 2025 -", "2030", "nhiệm kỳ 2025 - 2030"),
    ("thực hiện thường", "xuyên).", "thực hiện thường xuyên)."),
])
def test_join_lines(prev, cur, joined):
    assert join_lines(prev, cur) == joined


@pytest.mark.parametrize("read,fixed", [
    ("theo Nghị quyết số l52/NQ-HĐND", "theo Nghị quyết số 152/NQ-HĐND"),
    ("Kết luận số 3O-KL/TW", "Kết luận số 30-KL/TW"),
    ("Nghị quyết 35 - NQ/TW", "Nghị quyết 35-NQ/TW"),
    ("Quyết định số ABC/QĐ-UBND", "Quyết định số ABC/QĐ-UBND"),  # no digit at all: not certain
])
def test_ocr_number_repair(read, fixed):
    text, notes = repair_ocr_paragraph(read)
    assert text == fixed
    assert len(notes) == (read != fixed)


def test_wrapped_plain_text_with_footer(tmp_path):
    body = (
        "Thực hiện Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị, Ban \n\n"
        "Thường vụ Huyện ủy xây dựng kế hoạch thực hiện, cụ thể như sau:  \n\n"
        "1. Các cấp ủy, tổ chức đảng quán triệt nghiêm túc nội dung Nghị quyết và \n\n"
        "Ban lưu hành nội bộ, không được sao chụp dưới mọi hình thức\n\n2 \n\n"
        "kế hoạch này (hoàn thành trong quý II/2025).  \n\n"
        "2. Văn phòng Huyện ủy theo dõi, tổng hợp kết quả thực hiện.  \n\n"
        "Ban lưu hành nội bộ, không được sao chụp dưới mọi hình thức\n\n3 \n"
    )
    path = tmp_path / "kh.txt"
    path.write_bytes(body.encode("utf-8"))
    ex = extract(path)
    assert ex.text.split("\n") == [
        "Thực hiện Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị, Ban Thường vụ Huyện ủy xây dựng kế hoạch thực hiện, cụ thể như sau:",
        "1. Các cấp ủy, tổ chức đảng quán triệt nghiêm túc nội dung Nghị quyết và kế hoạch này (hoàn thành trong quý II/2025).",
        "2. Văn phòng Huyện ủy theo dõi, tổng hợp kết quả thực hiện.",
    ]
    assert {p.page for p in ex.paragraphs} == {1}


def test_decomposed_and_old_tone_marks_in_text(tmp_path):
    import unicodedata

    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "Đảng uỷ phường lãnh đạo thực hiện hoà giải."), encoding="utf-8")
    ex = extract(path)
    assert ex.text == "Đảng ủy phường lãnh đạo thực hiện hòa giải."
    assert ex.original == "Đảng uỷ phường lãnh đạo thực hiện hoà giải."


def test_utf16_text(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Điều 1. Giao Ủy ban nhân dân tỉnh chủ trì.".encode("utf-16"))
    assert extract(path).text == "Điều 1. Giao Ủy ban nhân dân tỉnh chủ trì."


# --- bad input ---------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        extract(tmp_path / "none.pdf")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        extract(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="0 bytes"):
        extract(tmp_path / "empty.pdf")


def test_renamed_image_is_not_a_pdf(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(UnsupportedFormatError):
        extract(tmp_path / "scan.pdf")


def test_zip_that_is_not_docx(tmp_path):
    path = tmp_path / "nq.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(UnsupportedFormatError, match="ZIP"):
        extract(path)


def test_truncated_pdf(office_pdf, tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(office_pdf.read_bytes()[:400])
    with pytest.raises(CorruptFileError):
        extract(path)


def _encrypted(source, path, user_password: str):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_encrypted_pdf_with_user_password(office_pdf, tmp_path):
    with pytest.raises(EncryptedPdfError):
        extract(_encrypted(office_pdf, tmp_path / "locked.pdf", "secret"))


def test_owner_password_only_pdf_parses(office_pdf, tmp_path):
    path = _encrypted(office_pdf, tmp_path / "owner.pdf", "")
    assert extract(path).text == extract(office_pdf).text


def test_pdf_without_text_and_ocr_off(tmp_path):
    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.showPage()
    c.save()
    with pytest.raises(EmptyDocumentError, match="no text"):
        extract(path, ocr="never")


@pytest.mark.parametrize("read,expected", [
    ("Chỉ bộ Công an phường chủ trì", "Chi bộ Công an phường chủ trì"),
    ("các chỉ, đảng bộ trực thuộc", "các chi, đảng bộ trực thuộc"),
    ("Uỷ ban kiểm tra Đảng uỷ chỉ đạo", "Uỷ ban kiểm tra Đảng uỷ chỉ đạo"),  # older spelling, not an error
])
def test_ocr_body_names_repaired_from_the_registry(read, expected):
    from pipeline.extract.repair import repair_ocr_paragraph

    fixed, notes = repair_ocr_paragraph(read)
    assert fixed == expected and len(fixed) == len(read)
    assert bool(notes) == (fixed != read)


def test_centred_section_title_under_the_title_is_body_not_header(tmp_path):
    from pipeline.render import render_pdf

    source = tmp_path / "kh_thon.txt"
    source.write_text(
        "---\n"
        'issuer_left: ["ỦY BAN NHÂN DÂN", "XÃ AN HÒA"]\n'
        'motto_right: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]\n'
        'number: "Số: 21/KH-UBND"\nplace_date: "An Hòa, ngày 02 tháng 3 năm 2026"\n'
        'kind: "KẾ HOẠCH"\ntitle: "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026"\n'
        'signer_block: ["CHỦ TỊCH"]\nsigner_name: "Lê Văn Bình"\nfooter: "Xã An Hòa"\n'
        "---\n"
        "I/ MỤC TIÊU\n"
        "1. Phát huy truyền thống đoàn kết của cộng đồng dân cư trên địa bàn xã, gắn với phong trào thi đua.\n"
        "II/ NHIỆM VỤ\n"
        "1. Giao Ban Công tác Mặt trận các thôn chủ trì tổ chức ngày hội, hoàn thành trong tháng 11/2026.\n",
        encoding="utf-8")
    extracted = extract(render_pdf(source, tmp_path / "kh_thon.pdf"))
    assert extracted.text.splitlines()[0] == "I/ MỤC TIÊU"
    assert extracted.info.number == "21/KH-UBND"
    assert extracted.info.title == "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026"


ISSUER_HEADERS = [
    (["HỘI ĐỒNG NHÂN DÂN", "XÃ TÂN LẬP"], "Hội đồng nhân dân xã Tân Lập"),
    (["ĐẢNG BỘ TỈNH TÂN GIANG", "TỈNH ỦY", "*"], "Tỉnh ủy Tân Giang"),
    (["ĐẢNG BỘ TỈNH QUẢNG BÌNH", "THÀNH ỦY ĐỒNG HỚI", "*"], "Thành ủy Đồng Hới"),
    (["ĐẢNG BỘ HUYỆN MINH HÓA", "ỦY BAN KIỂM TRA", "*"], "Ủy ban Kiểm tra Huyện ủy Minh Hóa"),
    (["ĐẢNG BỘ PHƯỜNG AN HẢI", "VĂN PHÒNG"], "Văn phòng Đảng ủy phường An Hải"),
    (["UBND TỈNH KON TUM", "SỞ TÀI CHÍNH"], "Sở Tài chính tỉnh Kon Tum"),
    (["ỦY BAN NHÂN DÂN HUYỆN ĐĂK HÀ", "PHÒNG NỘI VỤ"], "Phòng Nội vụ huyện Đăk Hà"),
    (["TỈNH ỦY KON TUM", "BAN TUYÊN GIÁO VÀ DÂN", "VẬN", "*"], "Ban Tuyên giáo và Dân vận Tỉnh ủy Kon Tum"),
    (["ĐẢNG BỘ XÃ NGỌC HỒI", "CHI BỘ THÔN ĐẮK RẾ", "*"], "Chi bộ thôn Đắk Rế"),
    (["HUYỆN ỦY SA THẦY", "BAN TỔ CHỨC"], "Ban Tổ chức Huyện ủy Sa Thầy"),
]


@pytest.mark.parametrize("left,issuer", ISSUER_HEADERS, ids=[" / ".join(h[0][:2]) for h in ISSUER_HEADERS])
def test_issuer_from_the_left_header_column(left, issuer):
    from pipeline.extract.header import _issuer
    assert _issuer(left) == issuer


@pytest.mark.parametrize("name", ["ctr_dang_uy_phuong", "kh_ubnd_xa", "nq_hdnd_xa", "qd_tinh_uy"])
def test_docx_footnotes_are_read_from_word_footnotes(name, tmp_path):
    from pipeline.render import load_source, render_docx
    source = load_source(Path(__file__).resolve().parent.parent / "corpus" / f"{name}.txt")
    ex = extract(render_docx(source.path, tmp_path / f"{name}.docx"))
    # Word numbers footnotes by the order of their references in the body.
    expected = list(dict.fromkeys(m for p in source.paragraphs for m in re.findall(r"\[\^(\d+)\]", p)))
    assert [m for m, _ in ex.footnotes] == [str(i) for i in range(1, len(expected) + 1)]
    assert [t for _, t in ex.footnotes] == [" ".join(source.footnote(m).split()) for m in expected]
    assert "[^" not in ex.text


def _line(*specs, size=13.0):
    """A Line of words given as (text, x0, bold): each word 6 pt a character, one line high."""
    from pipeline.extract.layout import Line, Word

    return Line(2, [Word(t, x0, x0 + 6 * len(t), 100.0 + k % 2, 113.0 + k % 2, size, bold)
                    for k, (t, x0, bold) in enumerate(specs)], size)


@pytest.mark.parametrize("specs, kept", [
    # a footnote's marker, then body words: the marker and one run
    ([("1", 10, False), ("Nghị", 20, False), ("quyết", 48, False), ("số", 82, False)], ["1", "Nghị quyết số"]),
    # a style change starts a run; words closer than 0.12 x size are glued without a space
    ([("Giao", 10, False), ("Sở", 38, True), ("Nội", 52, True), ("vụ", 76, True), (",", 88, False)],
     ["Giao", "Sở Nội vụ", ","]),
    # "Nơi nhận:" written interleaved with the next column keeps its first six words apart
    ([("Nơi", 10, False), ("-", 30, False), ("Thườngnhận:trực", 40, False), ("a", 140, False),
      ("b", 150, False), ("c", 160, False), ("d", 170, False), ("e", 180, False)],
     ["Nơi", "-", "Thườngnhận:trực", "a", "b", "c", "d e"]),
    # a table's marker stays a word of its own, so that it can leave the line
    ([("Xem", 10, False), ("bảng", 40, False), ("QQTBLaQQ", 80, False), ("sau", 140, False)],
     ["Xem", "bảng", "QQTBLaQQ", "sau"]),
])
def test_compacted_line_keeps_what_layout_reads(specs, kept):
    from pipeline.extract.pdf_tables import is_table_marker

    line, before = _line(*specs), _line(*specs)
    line.compact(is_table_marker)
    assert [w.text for w in line.words] == kept
    assert (line.text, line.x0, line.x1, line.top, line.bottom, line.chars, line.bold_chars) == \
        (before.text, before.x0, before.x1, before.top, before.bottom, before.chars, before.bold_chars)


def test_a_page_that_draws_nothing_is_not_sent_to_ocr(office_pdf, tmp_path):
    # A Word export's closing page holding one space: no words, nothing drawn. It is a text page,
    # not an OCR page (Tesseract would read nothing from it, for a second or more).
    import pypdf

    from pipeline.extract.ocr import blank_pages

    writer = pypdf.PdfWriter(clone_from=office_pdf)
    writer.add_blank_page()
    with_blank = tmp_path / "with_blank.pdf"
    writer.write(with_blank)
    pages = len(writer.pages)
    read = extract(with_blank)
    assert read.page_sources == ("text",) * pages
    assert read.text == extract(office_pdf).text
    # Counter-examples: a page of text, and a scanned page, are not blank.
    scan = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "hdnd_hanoi_nq12_2025_sua_doi_nq.pdf"
    assert blank_pages(with_blank, list(range(pages))) == {pages - 1}
    assert blank_pages(scan, [0, 1]) == set()
