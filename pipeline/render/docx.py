"""A corpus document as DOCX (python-docx): the header table, the body with Word footnotes,
the signature block.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.render.source import FOOTNOTE_MARKER, load_source, styled_paragraphs

__all__ = ["render_docx"]

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
    for text, style in styled_paragraphs(src):
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

