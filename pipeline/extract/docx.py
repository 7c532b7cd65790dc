"""DOCX input with python-docx: body paragraphs in order, page 1 throughout.

Word has no page geometry to read, so the same text rules as plain text
(header block, "Nơi nhận:" and signature) split off the furniture. Footnotes
come from word/footnotes.xml. Tables in
the header (issuer | motto) are read cell by cell before the body.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import CorruptFileError
from .layout import Layout
from .text import split_furniture

__all__ = ["docx_layout"]


# The largest real resolutions unpack to a few MB; anything past this is a zip bomb.
MAX_UNPACKED_MB = 256


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse before unpacking: zipfile never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFileError(f"cannot read the Word document ({type(exc).__name__})", path) from exc
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise CorruptFileError(f"the Word document unpacks to {unpacked // (1024 * 1024)} MB, more than "
                               f"{MAX_UNPACKED_MB} MB; it may be a zip bomb", path)


def docx_layout(path: Path) -> Layout:
    """Read a .docx into a Layout (bold when most of a paragraph's runs are bold)."""
    import docx

    _refuse_zip_bomb(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/BadZipFile/ValueError on damaged parts
        raise CorruptFileError(f"cannot read the Word document ({type(exc).__name__})", path) from exc
    paragraphs: list[tuple[str, int]] = []
    bold: dict[int, bool] = {}
    for table in document.tables[:1]:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend((p.text, 1) for p in cell.paragraphs if p.text.strip())
    for para in document.paragraphs:
        if not para.text.strip():
            continue
        bold_chars = sum(len(r.text) for r in para.runs if r.bold)
        bold[len(paragraphs)] = bold_chars * 2 > len(para.text)
        paragraphs.append((para.text, 1))
    split = split_furniture(paragraphs)
    items = [(t, p, bold.get(i, False), "docx") for i, (t, p) in zip(split.origins, split.body)]
    return Layout(split.header, items, _footnotes(document), split.recipients, split.signature, split.parts)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _footnotes(document) -> list[tuple[str, str]]:
    """Word footnotes as (marker, text), numbered as Word shows them: by the order of their
    references in the body (python-docx gives the body text without the reference marks)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external), None)
    if part is None:
        return []
    texts = {}
    for note in parse_xml(part.blob).iter(f"{_W}footnote"):
        if note.get(f"{_W}type") is None:  # not a separator
            texts[note.get(f"{_W}id")] = " ".join("".join(t.text or "" for t in note.iter(f"{_W}t")).split())
    order = [ref.get(f"{_W}id") for ref in document.element.body.iter(f"{_W}footnoteReference")]
    return [(str(n), texts[i]) for n, i in enumerate(dict.fromkeys(order), start=1) if texts.get(i)]
