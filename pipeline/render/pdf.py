"""A corpus document as the PDF a ward or provincial office exports from Word (reportlab).

A4, a serif font with Vietnamese glyphs, the two-column header block on page 1,
justified paragraphs with a first-line indent, bold headings, footnotes at the foot
of the page, a running footer, page numbers from page 2, the signature block and
"Nơi nhận:" list. `scan=True` rasterises the pages into an image-only PDF, like a
scanned copy.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus.flowables import Flowable

from pipeline.errors import InputError
from pipeline.render.source import FOOTNOTE_MARKER, HEADING_LABEL, CorpusSource, load_source, styled_paragraphs

__all__ = ["render_pdf", "register_fonts"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf",
              "Serif-Italic": "DejaVuSerif-Italic.ttf", "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf"}


def register_fonts() -> None:
    """Register the DejaVu serif family with reportlab as "Serif" (once a process); other
    PDFs drawn for tests use it too, for its Vietnamese glyphs.

    >>> register_fonts()
    """
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

    register_fonts()
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
    for text, style in styled_paragraphs(src):
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

