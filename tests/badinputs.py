"""Generators of bad and awkward input files, built at test time from code (no committed binaries).

Each builder writes one file into a directory and returns its path. `CASES`
names every input class with the outcome nqgraph must reach: "parsed", or the
error code of the one-line error it must print. tests/test_robustness.py and
bench/robustness_table.py both run this list, through tests/cli_run.py.

>>> from tests.badinputs import CASES                      # doctest: +SKIP
>>> path = CASES["pdf-truncated-50"].build(tmp_path)       # doctest: +SKIP
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SOURCE = ROOT / "corpus" / "nq_hdnd_thanh_pho.txt"


def resolution_text(n: int) -> str:
    """A small synthetic People's Council resolution, numbered `n` (plain text, one paragraph a line)."""
    year = 2020 + n % 6
    return "\n".join([
        "HỘI ĐỒNG NHÂN DÂN",
        "XÃ THANH BÌNH",
        f"Số: {n}/NQ-HĐND",
        f"Thanh Bình, ngày {1 + n % 28:02d} tháng {1 + n % 12:02d} năm {year}",
        "NGHỊ QUYẾT",
        f"Về nhiệm vụ phát triển giao thông nông thôn số {n}",
        f"Căn cứ Nghị quyết số {100 + n}/NQ-HĐND ngày 15/7/{year - 1} của Hội đồng nhân dân huyện;",
        "QUYẾT NGHỊ:",
        f"Điều 1. Giao Ủy ban nhân dân xã chủ trì, phối hợp với Mặt trận Tổ quốc xã hoàn thành "
        f"{n + 2} km đường giao thông trước năm {year + 5}.",
        "Điều 2. Tổ chức thực hiện",
        "1. Thường trực Hội đồng nhân dân xã giám sát việc thực hiện, định kỳ hằng năm báo cáo kết quả.",
        f"2. Các thôn rà soát danh mục công trình, hoàn thành trong quý III/{year}.",
        "",
    ])


# --- raw PDF bytes -----------------------------------------------------------------

def raw_pdf(objects: list[bytes], *, root: int = 1, info: int | None = None) -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    info_ref = b"" if info is None else b" /Info %d 0 R" % info
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, info_ref, start))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_page_objects(content: bytes = b"BT /F1 12 Tf 72 720 Td (1. Giao UBND xa thuc hien cong trinh giao thong truoc nam 2030.) Tj ET"):
    """Catalog, Pages, one Page with a Helvetica text line, its content stream and font."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


# --- builders ------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _rendered(directory: str) -> Path:
    from pipeline.render import render_pdf

    return render_pdf(CORPUS_SOURCE, Path(directory) / "base_rendered.pdf")


def rendered_pdf(directory: Path) -> Path:
    """The project's own office-style PDF of a corpus resolution: the base for damaged PDFs."""
    return _rendered(str(directory))


def truncated_pdf(directory: Path, fraction: float) -> Path:
    data = rendered_pdf(directory).read_bytes()
    path = directory / f"truncated_{round(fraction * 100)}.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def broken_xref_pdf(directory: Path) -> Path:
    """Every xref offset wrong and startxref pointing into the middle of a stream."""
    data = rendered_pdf(directory).read_bytes()
    head, sep, tail = data.rpartition(b"\nxref\n")
    table, trailer_sep, trailer = tail.partition(b"trailer")
    garbled = bytes(ord("9") if 0x30 <= b <= 0x39 else b for b in table)
    trailer = trailer.replace(b"startxref", b"startxref\n" + str(len(head) // 2).encode() + b"\n%")
    path = directory / "broken_xref.pdf"
    path.write_bytes(head + sep + garbled + trailer_sep + trailer)
    return path


def encrypted_pdf(directory: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(rendered_pdf(directory)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-128")
    path = directory / f"encrypted_{'user' if user_password else 'owner_only'}.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def zero_page_pdf(directory: Path) -> Path:
    path = directory / "zero_pages.pdf"
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    return path


@lru_cache(maxsize=2)
def _zeros_deflated(size: int) -> bytes:
    # Fed in 16 MB blocks so building the bomb never holds the inflated image.
    squeeze, block, parts = zlib.compressobj(9), b"\0" * (1 << 24), []
    for done in range(0, size, len(block)):
        parts.append(squeeze.compress(block[: min(len(block), size - done)]))
    parts.append(squeeze.flush())
    return b"".join(parts)


def image_bomb_pdf(directory: Path, side: int = 20000) -> Path:
    """A page whose only content is a side × side 8-bit image: ~400 KB that inflates to 400 MB."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
        _stream(_zeros_deflated(side * side),
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side)),
    ]
    path = directory / "image_bomb.pdf"
    path.write_bytes(raw_pdf(objects))
    return path


def content_bomb_pdf(directory: Path, megabytes: int = 300) -> Path:
    """A text page whose content stream inflates to `megabytes` MB of NUL bytes (~1 KB per MB on disk).

    pdfminer inflates the whole stream, then lexes it byte by byte: minutes of work.
    """
    objects = _text_page_objects()
    objects[3] = _stream(_zeros_deflated(megabytes << 20), b"/Filter /FlateDecode")
    path = directory / "content_bomb.pdf"
    path.write_bytes(raw_pdf(objects))
    return path


def nested_pdf(directory: Path, depth: int = 100_000) -> Path:
    """A text page whose document info holds arrays nested `depth` deep and a 5,000-long reference chain.

    pdfplumber resolves the info dictionary recursively as it opens the file.
    """
    objects = _text_page_objects()
    info, chain_start = len(objects) + 1, len(objects) + 3
    objects.append(b"<< /Title %d 0 R /Subject %d 0 R >>" % (info + 1, chain_start))
    objects.append(b"[" * depth + b"]" * depth)
    for i in range(5000):
        objects.append(b"[%d 0 R]" % (chain_start + i + 1))
    objects.append(b"null")
    path = directory / "nested_objects.pdf"
    path.write_bytes(raw_pdf(objects, info=info))
    return path


def cyclic_pdf(directory: Path) -> Path:
    """A page tree whose Pages node lists itself among its kids, and a page that is its own parent."""
    objects = _text_page_objects()
    objects[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>"
    objects.append(b"<< /Type /Pages /Kids [6 0 R 2 0 R] /Parent 6 0 R /Count 2 >>")
    path = directory / "cyclic_objects.pdf"
    path.write_bytes(raw_pdf(objects))
    return path


def wrong_length_pdf(directory: Path, declared: int = 2_147_483_648, padding: int = 85_000) -> Path:
    """A text page whose content stream declares /Length 2147483648 (2 GB) in an ~85 KB file:
    damaged, not large, and the advice must say so."""
    objects = _text_page_objects()
    content = objects[3].split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    objects[3] = b"<< /Length %d >>\nstream\n" % declared + content + b"\nendstream"
    objects.append(b"(" + b"x" * padding + b")")
    path = directory / "wrong_length.pdf"
    path.write_bytes(raw_pdf(objects))
    return path


def many_pages_pdf(directory: Path, pages: int = 500) -> Path:
    """A long resolution: one clause per page (Vietnamese text in the project's own fonts)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from pipeline.render.pdf import register_fonts

    register_fonts()
    path = directory / f"pages_{pages}.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    owners = ["Ủy ban nhân dân xã", "Mặt trận Tổ quốc xã", "Đoàn Thanh niên", "Hội Nông dân", "Công an xã",
              "Hội Phụ nữ", "Trường Tiểu học", "Trạm Y tế", "Ban Chỉ huy Quân sự", "Hội Cựu chiến binh"]
    actions = ["rà soát", "sửa chữa", "nâng cấp", "kiểm tra", "bàn giao", "nghiệm thu", "vận động", "tuyên truyền"]
    works = ["đường giao thông", "kênh mương", "nhà văn hóa", "trường học", "cầu dân sinh", "điểm sinh hoạt"]
    for n in range(1, pages + 1):
        pdf.setFont("Serif", 13)
        # varied wording: a sentence repeated on every page would be dropped as a running header
        sentence = (f"{n}. {owners[n % 10]} chủ trì {actions[n % 8]} {works[n % 6]} "
                    f"thôn {chr(65 + n % 26)}{n % 7}, hoàn thành trong tháng {1 + n % 12}/{2026 + n % 5}.")
        pdf.drawString(72, 700 - 20 * (n % 9), sentence)
        pdf.setFont("Serif", 11)
        pdf.drawString(290, 40, str(n))
        pdf.showPage()
    pdf.save()
    return path


def _docx_bytes(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def docx_zip_bomb(directory: Path, megabytes: int = 1024) -> Path:
    """A valid .docx package whose word/document.xml inflates to `megabytes` MB (~1 MB on disk)."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    path = directory / "zip_bomb.docx"
    block = b" " * (1 << 24)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                                compresslevel=1) as archive:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, source.read(item.filename))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>')
            for _ in range(megabytes * (1 << 20) // len(block)):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return path


def docx_not_zip(directory: Path) -> Path:
    path = directory / "not_a_zip.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    return path


def renamed_as_pdf(directory: Path, what: str) -> Path:
    """Plain text, HTML or a real DOCX saved under a .pdf name."""
    path = directory / f"{what}_renamed.pdf"
    if what == "text":
        path.write_text(resolution_text(9007), encoding="utf-8")
    elif what == "html":
        path.write_text("<!DOCTYPE html><html><body><p>" + resolution_text(9008).replace("\n", "</p><p>")
                        + "</p></body></html>", encoding="utf-8")
    else:
        path.write_bytes(_docx_bytes(b"<w:document/>"))
    return path


def _tcvn3_bytes(text: str) -> bytes:
    from pipeline.extract.normalize import MODELS, read_table

    table = {new: old for old, new in read_table(MODELS / "legacy_encodings" / "tcvn3.tsv").items()}
    # TCVN3 puts toned capitals in a second font; a plain .txt only ever carries lower case
    lowered = "".join(ch if ch in table or ch.lower() not in table or ch.isascii() else ch.lower() for ch in text)
    return "".join(table.get(ch, ch) for ch in lowered).encode("cp1252")


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_bytes(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ơ ư ă đ precomposed but writes tones as combining marks."""
    import unicodedata

    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS)) + tones)
    return "".join(out).encode("cp1258")


def text_file(directory: Path, encoding: str) -> Path:
    """The synthetic resolution in a legacy or wide encoding: cp1258, tcvn3, utf-16."""
    text = resolution_text(11)
    if encoding == "tcvn3":
        data = _tcvn3_bytes(text)
    elif encoding == "cp1258":
        data = _cp1258_bytes(text)
    else:
        data = text.encode(encoding)
    path = directory / f"text_{encoding}.txt"
    path.write_bytes(data)
    return path


def text_with_controls(directory: Path, *, nul_at_start: bool = False) -> Path:
    """Resolution text with NULs, C0/C1 controls, a BEL and a lone form feed inside clauses."""
    lines = resolution_text(12).split("\n")
    lines[8] = lines[8].replace("chủ trì", "chủ\x00 trì\x07\x1b[31m").replace("phối hợp", "phối\x85 hợp\x0b")
    text = "\n".join(lines) + "\x00" * 3 + "\n"
    path = directory / ("text_nul_head.txt" if nul_at_start else "text_controls.txt")
    path.write_bytes((("\x00" if nul_at_start else "") + text).encode("utf-8"))
    return path


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def fifo(directory: Path) -> Path:
    """A named pipe under a document's name: reading it waits for a writer that never comes."""
    path = directory / "pipe.pdf"
    if not path.exists():
        os.mkfifo(path)
    return path


def non_utf8_name(directory: Path) -> Path:
    """A resolution whose file name is cp1258 bytes, as a zip made on an old Windows machine unpacks it."""
    path = directory / os.fsdecode("Quyết_định_số_5.txt".encode("cp1258", "replace"))
    path.write_text(resolution_text(5), encoding="utf-8")
    return path


def unreadable(directory: Path) -> Path:
    """A resolution without read permission (the CLI runs without root's override: `Case.unprivileged`)."""
    path = directory / "khong_doc_duoc.txt"
    path.write_text(resolution_text(6), encoding="utf-8")
    path.chmod(0)
    return path


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    expect: str  # "parsed", "missing" (no file at all) or an error code such as "E003"
    unprivileged: bool = False  # run the CLI without root's permission override (CAP_DAC_*)


CASES: dict[str, Case] = {
    "missing-path": Case(lambda d: d / "khong_co.pdf", "E001"),
    "directory": Case(lambda d: (d / "thu_muc.pdf").mkdir(exist_ok=True) or d / "thu_muc.pdf", "E001"),
    "empty-file": Case(lambda d: _written(d / "empty.pdf", b""), "E005"),
    "text-renamed-pdf": Case(lambda d: renamed_as_pdf(d, "text"), "E002"),
    "html-renamed-pdf": Case(lambda d: renamed_as_pdf(d, "html"), "E002"),
    "docx-renamed-pdf": Case(lambda d: renamed_as_pdf(d, "docx"), "E002"),
    "pdf-truncated-10": Case(lambda d: truncated_pdf(d, 0.10), "E003"),
    "pdf-truncated-50": Case(lambda d: truncated_pdf(d, 0.50), "E003"),
    "pdf-truncated-90": Case(lambda d: truncated_pdf(d, 0.90), "E003"),
    "pdf-broken-xref": Case(broken_xref_pdf, "parsed"),
    "pdf-user-password": Case(lambda d: encrypted_pdf(d, "mat-khau"), "E004"),
    "pdf-owner-password-only": Case(lambda d: encrypted_pdf(d, ""), "parsed"),
    "pdf-zero-pages": Case(zero_page_pdf, "E005"),
    "pdf-image-bomb-20000px": Case(image_bomb_pdf, "E005"),
    "pdf-nested-objects": Case(nested_pdf, "parsed"),
    "pdf-cyclic-objects": Case(cyclic_pdf, "parsed"),
    "pdf-500-pages": Case(many_pages_pdf, "parsed"),
    "docx-not-zip": Case(docx_not_zip, "E002"),
    "docx-zip-bomb": Case(docx_zip_bomb, "E003"),
    "text-windows-1258": Case(lambda d: text_file(d, "cp1258"), "parsed"),
    "text-tcvn3": Case(lambda d: text_file(d, "tcvn3"), "parsed"),
    "text-utf-16": Case(lambda d: text_file(d, "utf-16"), "parsed"),
    "text-nul-and-controls": Case(text_with_controls, "parsed"),
    "text-nul-first-byte": Case(lambda d: text_with_controls(d, nul_at_start=True), "parsed"),
    "text-really-binary": Case(lambda d: _written(d / "binary.txt", bytes(range(256)) * 16), "E002"),
    "pdf-length-2GB-in-85KB": Case(wrong_length_pdf, "E003"),
    "fifo-named-pdf": Case(fifo, "E001"),
    "device-dev-zero": Case(lambda d: Path("/dev/zero"), "E001"),
    "unreadable-file": Case(unreadable, "E001", unprivileged=True),
    "non-utf8-file-name": Case(non_utf8_name, "parsed"),
}
