"""Render a corpus document (front matter + one paragraph per line) as an office-style PDF or DOCX.

The corpus format is described in corpus/README.md. The PDFs imitate what a
ward or provincial office exports from Word: A4, a serif font with Vietnamese
glyphs, the two-column header block on page 1, justified paragraphs with a
first-line indent, bold headings, footnotes at the foot of the page, a running
footer, page numbers from page 2, the signature block and "Nơi nhận:" list.
`scan=True` rasterises the pages into an image-only PDF, like a scanned copy.

    python -m pipeline.render corpus/ -o outputs/corpus_pdf/
"""
from __future__ import annotations

import argparse
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.platypus.flowables import Flowable

from pipeline.errors import InputError

__all__ = ["CorpusSource", "load_source", "paragraph_style", "render_docx", "render_pdf", "main"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf",
              "Serif-Italic": "DejaVuSerif-Italic.ttf", "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf"}

FOOTNOTE_MARKER = re.compile(r"\[\^(?P<n>\d+)\]")

# Paragraphs printed bold: parts, Roman sections, chapters, articles (their labels).
HEADING_LABEL = re.compile(r"""
    ^(?:
        [A-H] \s? [-–.] \s            # part letters: "A- MỤC ĐÍCH"
      | [IVX]+ \s? [-–.] \s           # Roman sections: "II. MỤC TIÊU"
      | Chương \s+ [IVXLC\d]+ \b      # chapters
      | Điều \s+ \d+ \s* [.:]         # articles
    )""", re.VERBOSE)
# A short decimal-numbered line without a final stop is a title: "1.1. Văn phòng Đảng ủy".
DECIMAL_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s*\S[^.;]*$")
ANY_LABEL = re.compile(r"^(?:[A-H]\s?[-–.]\s|[IVX]+\s?[-–.]\s|Chương\s|Điều\s+\d|\d{1,2}\.|\(\w+\)|[a-zđ]\)|[-+•–]\s)")
SHORT_TITLE = 110  # characters; longer numbered lines are running text


@dataclass(frozen=True)
class CorpusSource:
    """One corpus document: its front matter (header, signature, footnotes) and body paragraphs."""
    path: Path
    meta: dict = field(default_factory=dict)
    paragraphs: tuple[str, ...] = ()

    def footnote(self, marker: str) -> str:
        notes = self.meta.get("footnotes") or {}
        return str(notes.get(int(marker), notes.get(marker, "")))


def load_source(path: Path) -> CorpusSource:
    """Read a corpus .txt file: YAML front matter between '---' lines, then one paragraph per line.

    >>> src = load_source(Path("corpus/kh_ubnd_xa.txt"))
    >>> src.meta["kind"], src.paragraphs[1]
    ('KẾ HOẠCH', 'I. MỤC ĐÍCH, YÊU CẦU')
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such corpus file", path)
    raw = path.read_text(encoding="utf-8")
    parts = raw.split("---\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise InputError("no YAML front matter between '---' lines", path,
                         hint="Start the file with the header fields described in corpus/README.md.")
    meta = yaml.safe_load(parts[1]) or {}
    paragraphs = tuple(line.strip() for line in parts[2].splitlines() if line.strip())
    return CorpusSource(path=path, meta=meta, paragraphs=paragraphs)


def paragraph_style(text: str, *, before_first_label: bool, after_chapter: bool) -> str:
    """How a body paragraph prints: "centre" (bold, centred), "bold", "label" (bold label only) or "body".

    >>> paragraph_style("QUYẾT NGHỊ:", before_first_label=True, after_chapter=False)
    'centre'
    >>> paragraph_style("1.1. Văn phòng Đảng ủy", before_first_label=False, after_chapter=False)
    'bold'
    """
    letters = [c for c in text if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    if text.startswith("Chương ") and HEADING_LABEL.match(text):
        return "centre"
    if capitals and (before_first_label or after_chapter) and not ANY_LABEL.match(text):
        return "centre"
    if capitals or (HEADING_LABEL.match(text) and len(text) <= SHORT_TITLE):
        return "bold"
    if HEADING_LABEL.match(text):
        return "label"
    if DECIMAL_TITLE.match(text) and len(text) <= SHORT_TITLE:
        return "bold"
    return "body"


def _styled_paragraphs(src: CorpusSource):
    """(text, style) for every body paragraph, in order."""
    seen_label, after_chapter = False, False
    for text in src.paragraphs:
        style = paragraph_style(text, before_first_label=not seen_label, after_chapter=after_chapter)
        after_chapter = text.startswith("Chương ") and style == "centre"
        seen_label = seen_label or bool(ANY_LABEL.match(text))
        yield text, style


# ---------------------------------------------------------------- PDF

def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Serif" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in FONT_FILES.items():
        if not (FONT_DIR / file).is_file():
            raise InputError(f"font {file} not found", FONT_DIR, hint="Install fonts-dejavu-core.")
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    for bold, italic, name in [(0, 0, "Serif"), (1, 0, "Serif-Bold"), (0, 1, "Serif-Italic"), (1, 1, "Serif-BoldItalic")]:
        addMapping("Serif", bold, italic, name)


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    base = ParagraphStyle("body", fontName="Serif", fontSize=12.5, leading=17, alignment=TA_JUSTIFY,
                          firstLineIndent=1 * cm, spaceAfter=4)
    return {
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName="Serif-Bold", keepWithNext=1),
        "centre": ParagraphStyle("centre", parent=base, fontName="Serif-Bold", alignment=TA_CENTER, firstLineIndent=0,
                                 keepWithNext=1),
        "head": ParagraphStyle("head", parent=base, fontSize=10.5, leading=13, alignment=TA_CENTER,
                               firstLineIndent=0, spaceAfter=0),
        "date": ParagraphStyle("date", parent=base, fontName="Serif-Italic", fontSize=12, alignment=TA_CENTER,
                               firstLineIndent=0),
        "kind": ParagraphStyle("kind", parent=base, fontName="Serif-Bold", fontSize=14, alignment=TA_CENTER,
                               firstLineIndent=0, spaceBefore=14, spaceAfter=2),
        "title": ParagraphStyle("title", parent=base, fontName="Serif-Bold", alignment=TA_CENTER,
                                firstLineIndent=0, leftIndent=30, rightIndent=30, spaceAfter=10),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=12, alignment=TA_LEFT,
                                firstLineIndent=0, spaceAfter=0),
        "recipients_head": ParagraphStyle("rh", parent=base, fontName="Serif-BoldItalic", fontSize=11,
                                          alignment=TA_LEFT, firstLineIndent=0, spaceAfter=0),
        "recipients": ParagraphStyle("rc", parent=base, fontName="Serif-Italic", fontSize=10, leading=12,
                                     alignment=TA_LEFT, firstLineIndent=0, spaceAfter=0),
        "sign": ParagraphStyle("sign", parent=base, fontName="Serif-Bold", fontSize=12.5, alignment=TA_CENTER,
                               firstLineIndent=0, spaceAfter=0),
    }


def _markup(text: str) -> str:
    """Escape for reportlab and turn footnote markers into superscript numbers."""
    return FOOTNOTE_MARKER.sub(lambda m: f"<super>{m['n']}</super>", escape(text))


def _header_table(src: CorpusSource, st):
    from reportlab.platypus import Paragraph, Table, TableStyle

    meta = src.meta
    issuer = list(meta.get("issuer_left") or [])
    left = []
    for i, line in enumerate(issuer):
        # The issuing body prints bold; a superior body above it and the "*" do not.
        bold = (i == len(issuer) - 1 and line != "*") or (i == len(issuer) - 2 and issuer[-1] == "*") \
            or (len(issuer) == 2 and issuer[-1] != "*")
        text = escape(line)
        left.append(Paragraph(f"<b>{text}</b>" if bold else text, st["head"]))
    if meta.get("number"):
        left.append(Paragraph(escape(meta["number"]), st["head"]))
    motto = list(meta.get("motto_right") or [])
    right = [Paragraph(f"<b>{escape(line)}</b>" if i == 0 else f"<b><u>{escape(line)}</u></b>", st["head"])
             for i, line in enumerate(motto)]
    if meta.get("place_date"):
        right.append(Paragraph(escape(meta["place_date"]), st["date"]))
    table = Table([[left, right]], colWidths=["40%", "60%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _signature_table(src: CorpusSource, st):
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    meta = src.meta
    left = [Paragraph("Nơi nhận:", st["recipients_head"])]
    left += [Paragraph("- " + escape(r), st["recipients"]) for r in meta.get("recipients") or []]
    right = [Paragraph(escape(line), st["sign"]) for line in meta.get("signer_block") or []]
    right += [Spacer(1, 60), Paragraph(escape(meta.get("signer_name", "")), st["sign"])]
    table = Table([[left, right]], colWidths=["50%", "50%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


class _FootnoteAnchor(Flowable):
    """Zero-size flowable placed after a paragraph with footnote markers: records the page it lands on."""

    def __init__(self, markers: list[str], registry: dict[int, list[str]]):
        super().__init__()
        self.markers, self.registry = markers, registry

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.registry.setdefault(self.canv.getPageNumber(), []).extend(self.markers)


def render_pdf(source: Path, out: Path, *, scan: bool = False) -> Path:
    """Render a corpus document to an office-style A4 PDF; with `scan=True`, to an image-only PDF.

    >>> render_pdf(Path("corpus/kh_ubnd_xa.txt"), Path("/tmp/kh.pdf"))
    PosixPath('/tmp/kh.pdf')
    """
    src = load_source(source)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if scan:
        with tempfile.TemporaryDirectory() as tmp:
            text_pdf = render_pdf(source, Path(tmp) / "text.pdf")
            return _rasterise(text_pdf, out)
    _build_pdf(src, out)
    return out


def _build_pdf(src: CorpusSource, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer)

    _register_fonts()
    st = _styles()
    footnotes_on: dict[int, list[str]] = {}
    footer = src.meta.get("footer", "")
    width, height = A4
    left, right, top = 3 * cm, 2 * cm, 2 * cm
    footnote_zone = 3.2 * cm  # kept free at the foot of every page for footnotes and the footer line

    def page_end(canvas, doc):
        canvas.saveState()
        page = canvas.getPageNumber()
        if page >= 2:
            canvas.setFont("Serif", 11)
            canvas.drawCentredString(width / 2, height - 1.2 * cm, str(page))
        markers = footnotes_on.get(page, [])
        y = footnote_zone - 0.35 * cm  # footnotes hang from the top of the reserved zone
        if markers:
            canvas.setLineWidth(0.5)
            canvas.line(left, y + 4, left + 5 * cm, y + 4)
        for marker in markers:
            note = Paragraph(f"<super>{marker}</super> {escape(src.footnote(marker))}", st["small"])
            _, h = note.wrap(width - left - right, footnote_zone)
            y -= h
            note.drawOn(canvas, left, y)
        canvas.setFont("Serif-Italic", 9)
        canvas.drawCentredString(width / 2, 0.8 * cm, footer)
        canvas.restoreState()

    frame = Frame(left, footnote_zone, width - left - right, height - top - footnote_zone, id="body")
    doc = BaseDocTemplate(str(out), pagesize=A4, title=src.meta.get("title", ""), author=" ".join(
        src.meta.get("issuer_left") or []), pageTemplates=[PageTemplate("page", [frame], onPageEnd=page_end)])

    story = [_header_table(src, st), Paragraph(escape(src.meta.get("kind", "")), st["kind"]),
             Paragraph(escape(src.meta.get("title", "")), st["title"]), Paragraph("-----", st["head"]),
             Spacer(1, 8)]
    for text, style in _styled_paragraphs(src):
        if style == "label":
            m = HEADING_LABEL.match(text)
            story.append(Paragraph(f"<b>{escape(m.group(0))}</b>{_markup(text[m.end():])}", st["body"]))
        else:
            story.append(Paragraph(_markup(text), st[style]))
        markers = [m["n"] for m in FOOTNOTE_MARKER.finditer(text)]
        if markers:
            story.append(_FootnoteAnchor(markers, footnotes_on))
    story += [Spacer(1, 12), KeepTogether([_signature_table(src, st)])]
    doc.build(story)


def _rasterise(text_pdf: Path, out: Path, dpi: int = 200) -> Path:
    """Rasterise every page and write an image-only PDF (no text layer), with light scanner grain."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops

    pdf = pdfium.PdfDocument(str(text_pdf))
    pages = []
    try:
        for page in pdf:
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            # Near-white speckle; taking the darker pixel keeps the ink black and greys the paper slightly.
            grain = Image.effect_noise(image.size, 18).point(lambda v: 255 - abs(v - 128) // 3)
            pages.append(ImageChops.darker(image, grain))
    finally:
        pdf.close()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return out


# ---------------------------------------------------------------- DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _footnote_reference(paragraph, note_id: int) -> None:
    """A superscript footnote reference run, as Word writes one."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    props.append(align)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(note_id))
    run.extend([props, ref])
    paragraph._p.append(run)


def _add_footnotes_part(doc, texts: list[str]) -> None:
    """word/footnotes.xml with the two separators Word requires, then one note per text."""
    from xml.sax.saxutils import escape as xml_escape

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/>'
        f'</w:r><w:r><w:t xml:space="preserve"> {xml_escape(text)}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(texts, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
           f'</w:p></w:footnote>{notes}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def render_docx(source: Path, out: Path) -> Path:
    """Render a corpus document to DOCX; footnotes are Word footnotes (word/footnotes.xml).

    >>> render_docx(Path("corpus/kh_ubnd_xa.txt"), Path("/tmp/kh.docx"))
    PosixPath('/tmp/kh.docx')
    """
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    src = load_source(source)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.footer.paragraphs[0].text = src.meta.get("footer", "")
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    meta = src.meta
    table = doc.add_table(rows=1, cols=2)
    left_lines = list(meta.get("issuer_left") or []) + ([meta["number"]] if meta.get("number") else [])
    right_lines = list(meta.get("motto_right") or []) + ([meta["place_date"]] if meta.get("place_date") else [])
    for cell, lines in zip(table.rows[0].cells, (left_lines, right_lines)):
        cell.paragraphs[0].text = lines[0] if lines else ""
        for line in lines[1:]:
            cell.add_paragraph(line)
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, size in ((meta.get("kind", ""), 14), (meta.get("title", ""), 13)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = True, Pt(size)

    notes: list[str] = []
    for text, style in _styled_paragraphs(src):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if style == "centre" else WD_ALIGN_PARAGRAPH.JUSTIFY
        if style != "centre":
            p.paragraph_format.first_line_indent = Cm(1)
        pos = 0
        for m in FOOTNOTE_MARKER.finditer(text):
            p.add_run(text[pos:m.start()]).bold = style in ("bold", "centre")
            notes.append(m["n"])
            _footnote_reference(p, len(notes))
            pos = m.end()
        p.add_run(text[pos:]).bold = style in ("bold", "centre")
    if notes:
        _add_footnotes_part(doc, [src.footnote(marker) for marker in notes])

    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").italic = True
    for r in meta.get("recipients") or []:
        left.add_paragraph("- " + r).runs[0].font.size = Pt(10)
    right.paragraphs[0].text = ""
    for line in list(meta.get("signer_block") or []) + ["", "", meta.get("signer_name", "")]:
        q = right.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.add_run(line).bold = True
    doc.save(str(out))
    return out


# ---------------------------------------------------------------- command line

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


if __name__ == "__main__":
    raise SystemExit(main())
