"""Annexes (SPEC §2a), closing furniture and real headers, on every input the pipeline reads.

Synthetic documents are ours (tests/data/annex_decision.*, corpus/qd_ubnd_tinh.txt rendered to
PDF and DOCX by pipeline/render/); real documents are read from ../shared at test time.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import parse
from pipeline.extract import extract
from pipeline.extract.furniture import (
    annex_title, is_addressee, is_annex_note, is_motto, is_recipients, is_signature, is_stamp_line,
)
from pipeline.extract.header import read_header
from pipeline.extract.text import TextLine
from pipeline.render import render_docx, render_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REAL = ROOT.parent / "shared" / "corpus" / "real"
GOLD = ROOT.parent / "shared" / "gold" / "real"


def table(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


# --- furniture lines, as a table --------------------------------------------------------------

def _what(line: str) -> str:
    if is_stamp_line(line):
        return "stamp"
    if is_addressee(line):
        return "addressee"
    if is_recipients(line):
        return "recipients"
    if is_signature(line):
        return "signature"
    if is_motto(line):
        return "motto"
    if annex_title(line, after_closing=False):
        return "annex"
    if is_annex_note(line):
        return "note"
    return "body"


@pytest.mark.parametrize("line,expected", table("furniture.tsv"), ids=lambda v: v[:40])
def test_furniture_line(line, expected):
    assert _what(line) == expected


# --- header fields, as a table ----------------------------------------------------------------

@pytest.mark.parametrize("lines,number,kind,date,warning", table("header_lines.tsv"), ids=lambda v: v[:40])
def test_header(lines, number, kind, date, warning):
    info, warnings = read_header([TextLine(t.strip()) for t in lines.split("¦")], [])
    null = lambda v: None if v == "-" else v  # noqa: E731
    assert (info.number, info.kind, info.date) == (null(number), null(kind), null(date))
    assert [w.code for w in warnings] == ([] if warning == "-" else [warning])


# --- a decision with an annexed plan and a Phụ lục, after its closing block -------------------

DECISION_IDS = ["annex_decision/Điều 1", "annex_decision/Điều 2", "annex_decision/Điều 3",
                "annex_decision/A1/I", "annex_decision/A1/I.1", "annex_decision/A1/II",
                "annex_decision/A1/II.1", "annex_decision/A1/II.2", "annex_decision/A2/1", "annex_decision/A2/2"]
PLAN = "Kế hoạch phòng, chống ngập úng mùa mưa năm 2026"


@pytest.mark.parametrize("name", ["annex_decision.txt", "annex_decision.md"])
def test_annexes_after_the_closing_block(name):
    doc = parse(DATA / name)
    assert [c.id for c in doc.walk()] == DECISION_IDS
    assert [(p.ordinal, p.title, p.kind) for p in doc.parts] == [(1, PLAN, "Kế hoạch"), (2, "Phụ lục I", "Phụ lục")]
    parts = {c.id: c.part for c in doc.walk()}
    assert parts["annex_decision/Điều 3"] is None
    assert parts["annex_decision/A1/II.1"] == PLAN
    assert parts["annex_decision/A2/2"] == "Phụ lục I"
    assert [c.path for c in doc.walk()][3:5] == [("I.",), ("I.", "1.")]  # paths start afresh
    # the decision's own closing gives the signer; stamps and the annex's header do not
    assert (doc.info.number, doc.info.kind, doc.info.date) == ("215/QĐ-UBND", "Quyết định", "2026-03-12")
    assert (doc.info.signer.title, doc.info.signer.name) == ("Phó Chủ tịch", "Lê Văn Bình")
    # the annex's note is furniture: the document's own number is no citation, its words no clause text
    assert not any(cit.id == "215/QĐ-UBND" for c in doc.walk() for cit in c.citations)
    assert not any("kèm theo Quyết định số" in c.text or "Ký bởi" in c.text for c in doc.walk())
    json_parts = doc.to_json()["parts"]
    assert [p["title"] for p in json_parts] == [PLAN, "Phụ lục I"]


def test_markdown_task_table_rows_are_clauses_of_their_annex():
    doc = parse(DATA / "annex_decision.md")
    rows = [c for c in doc.walk() if c.part == "Phụ lục I"]
    assert [(c.label, c.kind, c.text[:19]) for c in rows] == [("1", "task", "Nạo vét hệ thống cố"),
                                                              ("2", "task", "Lắp đặt trạm bơm dã")]


# --- an attachment before any closing block, through text, PDF and DOCX ------------------------

QD_IDS = ["qd_ubnd_tinh/Điều 1", "qd_ubnd_tinh/Điều 2", "qd_ubnd_tinh/Điều 3", "qd_ubnd_tinh/A1/I",
          "qd_ubnd_tinh/A1/I.1", "qd_ubnd_tinh/A1/I.2", "qd_ubnd_tinh/A1/II", "qd_ubnd_tinh/A1/II.1"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("annex")
    source = ROOT / "corpus" / "qd_ubnd_tinh.txt"
    return {"text": source, "pdf": render_pdf(source, out / "qd_ubnd_tinh.pdf"),
            "docx": render_docx(source, out / "qd_ubnd_tinh.docx")}


@pytest.mark.parametrize("form", ["text", "pdf", "docx"])
def test_attached_plan_is_a_part_in_every_form(rendered, form):
    doc = parse(rendered[form])
    ids = [c.id for c in doc.walk()]
    assert ids[:len(QD_IDS)] == QD_IDS
    assert [(p.ordinal, p.kind) for p in doc.parts] == [(1, "Kế hoạch")]
    assert doc.parts[0].title.startswith("Kế hoạch nâng cao chất lượng")
    assert all(c.part == doc.parts[0].title for c in doc.walk() if "/A1/" in c.id)
    assert not any("Kèm theo Quyết định" in c.text for c in doc.walk())


def test_attached_plan_keeps_its_gold():
    gold = json.loads((ROOT / "corpus" / "qd_ubnd_tinh.gold.json").read_text(encoding="utf-8"))
    doc = parse(ROOT / "corpus" / "qd_ubnd_tinh.txt")
    assert len(list(doc.walk())) == len(gold["clauses"])


# --- real documents (read from ../shared at test time) -----------------------------------------

def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"../shared/corpus/real/{name} is not here (the shared corpus is read at test time)")
    return path


REAL_HEADERS = [
    ("ubnd_tuyenquang_qd986_2024_ke_hoach_nam_hoc.md", "986/QĐ-UBND", "Quyết định", "2024-08-13"),
    ("ubtvqh_nq494_2012_giam_sat_nguoi_co_cong.md", "494/NQ-UBTVQH13", "Nghị quyết", "2012-05-18"),
    ("hdnd_hanoi_nq12_2025_sua_doi_nq.md", "12/2025/NQ-HĐND", "Nghị quyết", "2025-06-27"),
    ("ubnd_laocai_cv_2026_chi_dao_ccn_dam_hong.docx", None, "Công văn", "2026-06"),
    ("sct_laocai_kh_2026_thuc_hien_de_an_08_nq35_tu.docx", None, "Kế hoạch", "2026-04"),
    ("ubnd_laocai_cv7432_2026_trien_khai_qd1074_pccc.pdf", "7432/UBND-XD", "Công văn", "2026-07-21"),
]


@pytest.mark.parametrize("name,number,kind,date", REAL_HEADERS, ids=lambda v: str(v)[:30])
def test_real_header(name, number, kind, date):
    info = extract(_real(name), ocr="never").info
    assert (info.number, info.kind, info.date) == (number, kind, date)


def test_real_blank_number_warns():
    ex = extract(_real("sct_laocai_kh_2026_thuc_hien_de_an_08_nq35_tu.docx"))
    assert "number-blank" in [w.code for w in ex.warnings]


def test_real_decision_with_annexed_plan():
    doc = parse(_real("ubnd_hanoi_qd2280_2026_ke_hoach_chong_ung_ngap.pdf"), ocr="never")
    assert (doc.info.number, doc.info.kind, doc.info.date) == ("2280/QĐ-UBND", "Quyết định", "2026-04-29")
    assert [(p.ordinal, p.kind, p.page) for p in doc.parts] == [(1, "Kế hoạch", 2)]
    main = [c for c in doc.walk() if c.part is None]
    annex = [c for c in doc.walk() if c.part is not None]
    assert [c.label for c in main] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert len(annex) > 50 and all(c.id.split("/")[1] == "A1" for c in annex)
    assert annex[0].path == ("I.",)
    assert doc.info.signer.name and not is_motto(doc.info.signer.name)


@pytest.mark.parametrize("name,title", [
    ("sct_laocai_kh3957_2026_kiem_tra_cap_gcn.docx", None),
    ("sct_laocai_kh_2026_thuc_hien_de_an_08_nq35_tu.docx", "Phụ lục số 01"),
])
def test_real_annex_titles_match_gold(name, title):
    gold = json.loads((GOLD / (Path(name).stem + ".json")).read_text(encoding="utf-8")) if GOLD.exists() else None
    doc = parse(_real(name))
    wanted = sorted({c.get("part") for c in gold["clauses"]} - {None}) if gold else [title]
    assert [p.title for p in doc.parts] == wanted


def test_furniture_vocabulary_examples():
    """Every pattern of models/furniture.yaml matches its examples and none of its counter-examples."""
    import yaml

    data = yaml.safe_load((ROOT / "models" / "furniture.yaml").read_text(encoding="utf-8"))
    for entry in data["stamp_lines"]:
        assert all(is_stamp_line(e) for e in entry["examples"]), entry["pattern"]
        assert not any(is_stamp_line(e) for e in entry["not"]), entry["pattern"]
    checks = {"signature": is_signature, "appendix": lambda t: annex_title(t, False), "annex_note": is_annex_note}
    for key, check in checks.items():
        assert all(check(e) for e in data[f"{key}_examples"]), key
        assert not any(check(e) for e in data[f"{key}_not"]), key


@pytest.mark.parametrize("markdown,expected", [
    ("Kỷ nguyên mới \\- kỷ nguyên vươn mình", "Kỷ nguyên mới - kỷ nguyên vươn mình"),
    ("**Điều 2.** Giao *Sở Nội vụ* chủ trì&nbsp;thực hiện", "Điều 2. Giao Sở Nội vụ chủ trì thực hiện"),
    ("<p align=\"right\">Dòng một<br>Dòng hai</p>", "Dòng một\nDòng hai"),
    ("# 494_2012_NQ_UBTVQH13_art1\n\n## 1\\. Rà soát", "1. Rà soát"),
    ("Nghi\u0323 quyê\u0301t này", "Nghị quyết này"),
])
def test_markdown_markup_is_stripped(markdown, expected):
    from pipeline.extract.markdown import markdown_paragraphs
    from pipeline.extract.normalize import nfc

    assert "\n".join(t for t, _ in markdown_paragraphs(nfc(markdown)).paragraphs) == expected


def test_letter_addressees_are_no_clauses():
    text = ("ỦY BAN NHÂN DÂN\nSố: 12/UBND-VP\nV/v rà soát hồ sơ\nKính gửi:\n- Sở Nội vụ;\n- Sở Tài chính.\n"
            "Ủy ban nhân dân tỉnh đề nghị các sở thực hiện:\n1. Rà soát hồ sơ trước ngày 10/5/2026.\n")
    from pipeline.extract.text import text_layout

    layout, _ = text_layout(text.encode("utf-8"))
    assert [t for t, *_ in layout.body] == ["Ủy ban nhân dân tỉnh đề nghị các sở thực hiện:",
                                            "1. Rà soát hồ sơ trước ngày 10/5/2026."]


def test_annex_with_no_title_is_still_a_part():
    doc = parse(DATA / "annex_untitled.txt")
    assert [c.id for c in doc.walk()] == ["annex_untitled/Điều 1", "annex_untitled/Điều 2", "annex_untitled/A1/I",
                                          "annex_untitled/A1/I.1", "annex_untitled/A1/II", "annex_untitled/A1/II.1"]
    assert [(p.title, p.kind) for p in doc.parts] == [("Văn bản kèm theo", None)]
    assert "annex-untitled" in [w.code for w in doc.warnings]
    assert doc.info.signer.name == "Lê Văn Bình"


_MARKUP = ["# ", "## ", "**", "*", "\\-", "<br>", "<div>", "</div>", "| a | b |\n|---|---|\n", "| TT | Nhiệm vụ |",
           "Nơi nhận:", "KẾ HOẠCH", "PHỤ LỤC I", "(Kèm theo Quyết định số 1/QĐ-UBND)", "Điều 1. ", "I. ", "- ",
           "Ký bởi: ", "Kính gửi:", "\n", "\n\n", "Số: /KH-UBND", "ngày  tháng 4 năm 2026", "“", "”"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=12)), max_size=40))
def test_any_markdown_or_text_lays_out_without_raising(pieces):
    from pipeline.extract.text import text_layout
    from pipeline.segment import segment
    from pipeline.model import Document

    text = "".join(pieces)
    for markdown in (False, True):
        layout, _ = text_layout(text.encode("utf-8"), markdown=markdown)
        assert all(0 <= index <= len(layout.body) for index, _ in layout.parts)
        assert all(0 <= index < len(layout.body) for index in layout.rows)
    doc = segment(Document("x.txt", "", None, 1, text))
    assert len({c.id for c in doc.walk()}) == len(list(doc.walk()))


def test_e_signature_widgets_fill_the_header_blanks(tmp_path):
    """The signing software writes the number and the day into widgets over the printed blanks."""
    from reportlab.pdfgen import canvas

    from test_extract import H, W  # noqa: F401 - registers the DejaVu font the office PDFs use

    pdf = tmp_path / "signed.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(W, H))
    c.setFont("DV", 13)
    for x, y, words in [(100, 770, "ỦY BAN NHÂN DÂN"), (110, 755, "TỈNH TÂN GIANG"), (104, 730, "Số:"),
                        (160, 730, "/KH-UBND"), (300, 770, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                        (320, 755, "Độc lập - Tự do - Hạnh phúc"), (290, 730, "Tân Giang, ngày"), (420, 730, "tháng"),
                        (475, 730, "năm 2026"), (270, 690, "KẾ HOẠCH"), (200, 672, "Tổ chức lễ hội văn hóa năm 2026"),
                        (121, 640, "Thực hiện Nghị quyết số 12/NQ-HĐND ngày 05/01/2026 của Hội đồng nhân dân tỉnh,"),
                        (85, 624, "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:"), (121, 600, "I. MỤC ĐÍCH"),
                        (121, 584, "1. Quảng bá văn hóa của tỉnh tới du khách trong và ngoài nước.")]:
        c.drawString(x, y, words)
    for name, value, x, width in [("number", "173", 122, 36), ("day", "28", 382, 30), ("month", "4", 455, 18)]:
        c.acroForm.textfield(name=name, value=value, x=x, y=726, width=width, height=18, borderWidth=0,
                             fontName="Helvetica", fontSize=12, fillColor=None, borderColor=None)
    c.save()
    info = extract(pdf).info
    assert (info.number, info.kind, info.date) == ("173/KH-UBND", "Kế hoạch", "2026-04-28")
