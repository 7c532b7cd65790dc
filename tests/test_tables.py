"""Task tables (SPEC §2b): the column vocabulary (models/task_columns.yaml with its test table
tests/data/task_columns.tsv), reading rows (tables.py), the three sources (DOCX, PDF, markdown),
the clause tree and the row's own tags. Every example phrase here is invented."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.extract.tables import MODELS, heading_role, read_pipe_table, read_table, rows_from_pipe_table
from pipeline.model import Clause, DocContext, DocInfo, TableRow
from pipeline.tag.table_rows import cell_bodies, cell_deadlines, tag_row

DATA = Path(__file__).parent / "data"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def _cases() -> list[tuple[str, str]]:
    lines = (DATA / "task_columns.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


CASES = _cases()
ENTRIES = yaml.safe_load((MODELS / "task_columns.yaml").read_text(encoding="utf-8"))["roles"]


def test_table_is_big_enough():
    assert len(CASES) >= 50 and {role for _, role in CASES} >= {"label", "task", "owner", "support", "time",
                                                                "output", "note", "report", "-"}


@pytest.mark.parametrize("heading,role", CASES, ids=[c[0][:40] for c in CASES])
def test_heading_role(heading, role):
    assert (heading_role(heading) or "-") == role


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["role"] for e in ENTRIES])
def test_vocabulary_entry_example_and_counter_example(entry):
    assert heading_role(entry["example"]) == entry["role"]
    assert heading_role(entry["counter"]) != entry["role"]


# --- reading a table's rows ----------------------------------------------------------------------

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]


def test_rows_groups_numbers_totals_and_broken_rows():
    read = read_table([
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["I", "Hoàn thiện thể chế", "", "", "", ""],
        ["1", "Xây dựng quy chế phối hợp", "Sở Tư pháp", "Sở Nội vụ; Văn phòng UBND tỉnh", "Quý III/2026",
         "Quyết định"],
        ["", "giữa các sở, ngành", "", "", "", ""],
        ["2", "Rà soát văn bản", "Sở Nội vụ", "", "Thường xuyên", ""],
        ["II.", "Chuyển đổi số", None, None, None, None],
        ["1", "Số hóa hồ sơ", "Sở Khoa học và Công nghệ", "", "2027", "Cơ sở dữ liệu"],
        ["", "Tổng cộng", "", "", "", ""],
    ])
    assert read.is_task_list and read.roles == ("label", "task", "owner", "support", "time", "output")
    assert [(r.label, r.group, r.cell("task")) for r in read.rows] == [
        ("I", True, "Hoàn thiện thể chế"),
        ("1", False, "Xây dựng quy chế phối hợp giữa các sở, ngành"),
        ("2", False, "Rà soát văn bản"),
        ("II.", True, "Chuyển đổi số"),
        ("1", False, "Số hóa hồ sơ"),
    ]
    assert read.rows[1].cells == (("task", "Xây dựng quy chế phối hợp giữa các sở, ngành"), ("owner", "Sở Tư pháp"),
                                  ("support", "Sở Nội vụ; Văn phòng UBND tỉnh"), ("time", "Quý III/2026"),
                                  ("output", "Quyết định"))


def test_two_header_rows_and_merged_cells():
    read = read_table([
        ["TT", "Nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời hạn"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["A. NHIỆM VỤ CHUNG", "A. NHIỆM VỤ CHUNG", "A. NHIỆM VỤ CHUNG", "A. NHIỆM VỤ CHUNG", "A. NHIỆM VỤ CHUNG"],
        ["1", "Tuyên truyền", "Sở Văn hóa", "Sở Văn hóa", "2026"],
        ["Năm 2027", "Năm 2027", "Năm 2027", "Năm 2027", "Năm 2027"],
        ["2", "Tập huấn", "Sở Nội vụ", "Các sở, ngành", "2027"],
    ])
    assert read.roles == ("label", "task", "owner", "support", "time")
    assert [(r.label, r.group, r.cell("task"), r.cell("owner"), r.cell("support")) for r in read.rows] == [
        ("A.", True, "NHIỆM VỤ CHUNG", "", ""),
        ("1", False, "Tuyên truyền", "Sở Văn hóa", "Sở Văn hóa"),
        ("2", False, "Tập huấn", "Sở Nội vụ", "Các sở, ngành"),
    ]


@pytest.mark.parametrize("rows,reason", [
    ([], "empty table"),
    ([["", ""], [None, None]], "empty table"),
    ([["STT", "Tên điểm úng ngập", "Quận"], ["1", "Phố Hoa", "Quận Một"]], "no header row naming task-table columns"),
    ([["TT", "Tên nhiệm vụ", "Vai trò (Chủ trì/ Phối hợp)", "Kết quả thực hiện trong tháng", "Tiến độ"],
      ["1", "", "", "", ""]], "a report form or statistics (columns: label, task, report, report, time)"),
    ([["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì"], ["1", "Tỷ lệ hồ sơ trực tuyến", "%", "80", "Sở A"]],
     "no task column (columns: label, report, owner, output, owner)"),
    ([["STT", "Nội dung", "Ghi chú"], ["1", "Hội nghị", ""]], "no owner or time column (columns: label, task, note)"),
    ([["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"], ["1", "", ""], ["2", "", ""]], "no rows filled in"),
], ids=["empty", "blank", "places", "report-form", "statistics", "no-owner-or-time", "blank-form"])
def test_tables_that_are_not_task_lists(rows, reason):
    read = read_table(rows)
    assert not read.is_task_list and read.rows == [] and read.reason == reason


def test_decimal_rows_nest_under_the_row_they_extend(tmp_path):
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
            ["1", "Hoàn thiện thể chế", "", ""],
            ["1.1", "Sửa đổi quy chế làm việc", "Sở Nội vụ", "6/2026"],
            ["1.2", "Ban hành quy trình", "Sở Tư pháp", "9/2026"],
            ["2", "Tổng kết năm", "Văn phòng", "12/2026"]]
    doc = _parse(_docx(tmp_path / "d.docx", [rows]))
    assert [(c.label, c.kind, c.path) for c in doc.walk() if c.row] == [
        ("1", "heading", ("I.", "1.", "1")), ("1.1", "task", ("I.", "1.", "1", "1.1")),
        ("1.2", "task", ("I.", "1.", "1", "1.2")), ("2", "task", ("I.", "1.", "2"))]


def test_table_without_label_column_and_number_column_without_heading():
    unnumbered = read_table([["Nhiệm vụ", "Đơn vị thực hiện"], ["Họp", "Sở A"], ["Báo cáo", "Sở B"]])
    assert [r.label for r in unnumbered.rows] == ["-", "-"]
    read = read_table([["", "Nội dung công việc", "Người thực hiện"], ["1", "Họp", "Ông A"], ["2", "Báo cáo", "Bà B"]])
    assert read.roles[0] == "label" and [r.label for r in read.rows] == ["1", "2"]


def test_markdown_pipe_table():
    lines = ["| TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian hoàn thành |",
             "|---|---|---|---|---|---|",
             "|  **I.** | Nâng cao nhận thức |  |   |   |   |",
             "| 1.  |  Xây dựng chương trình truyền thông<br>hằng năm | Bộ Văn hóa "
             "| Các bộ, ngành \\| địa phương | Chương trình | 6/2026 |",
             "| 2. | Tổ chức diễn đàn | Bộ Khoa học | | Diễn đàn | Hằng năm |"]
    rows = rows_from_pipe_table(lines)
    assert [(r.label, r.group, r.cell("task")) for r in rows] == [
        ("I.", True, "Nâng cao nhận thức"),
        ("1.", False, "Xây dựng chương trình truyền thông hằng năm"),
        ("2.", False, "Tổ chức diễn đàn")]
    assert rows[1].cell("support") == "Các bộ, ngành | địa phương" and rows[1].cell("output") == "Chương trình"
    assert read_pipe_table(["| a | b |", "|---|---|", "| 1 | 2 |"]).reason == "no header row naming task-table columns"


# --- a row's own tags ---------------------------------------------------------------------------------

CTX = DocContext(info=DocInfo(date="2026-03-01"))


@pytest.mark.parametrize("cell,expected", [
    ("6/2026", [("due", "2026-06")]),
    ("Quý III/2026", [("due", "2026-Q3")]),
    ("2027", [("due", "2027")]),
    ("Thường xuyên", [("ongoing", None)]),
    ("Hằng năm", [("recurring", "R/P1Y")]),
    ("Trước 30/6/2026", [("due", "2026-06-30")]),
    ("2026 - 2030", [("period", "2026/2030")]),
    ("", []),
    ("Theo chỉ đạo", []),
])
def test_time_cell(cell, expected):
    assert [(d.kind, d.value) for d in cell_deadlines(cell, CTX)] == expected


@pytest.mark.parametrize("cell,names", [
    ("Sở Tài chính", ["Sở Tài chính"]),
    ("Sở Tài chính, Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
    ("Các sở, ngành, địa phương", ["Các sở, ngành, địa phương"]),
    ("Đài Phát thanh; các địa phương", ["Đài Phát thanh", "các địa phương"]),
    ("Nguyễn Văn An\nTrần Thị Bình", ["Nguyễn Văn An", "Trần Thị Bình"]),
    ("Sở Xây dựng (chủ trì)", ["Sở Xây dựng"]),
    ("", []),
])
def test_cell_bodies(cell, names):
    bodies = cell_bodies(cell, CTX, "support")
    # the name's casing is the body tagger's to choose ("các sở, ngành …" for a generic group)
    assert [b.name.lower() for b in bodies] == [n.lower() for n in names]
    assert all(b.role == "support" and not b.inherited for b in bodies)


def _row_clause(row: TableRow, text: str) -> Clause:
    return Clause(f"x/{row.label}", row.label, (row.label,), text, 0, len(text), 0, len(text), 1, "task", row=row)


def test_row_tags_come_from_its_cells():
    row = TableRow("3", (("task", "Tổ chức hội nghị sơ kết"), ("owner", "Sở Nội vụ"),
                         ("support", "Sở Tài chính; các địa phương"), ("time", "Quý II/2026"), ("output", "Báo cáo")))
    tagged = tag_row(_row_clause(row, "Tổ chức hội nghị sơ kết"), CTX)
    assert [(b.name, b.role, b.inherited) for b in tagged.bodies] == [
        ("Sở Nội vụ", "owner", False), ("Sở Tài chính", "support", False), ("các địa phương", "support", False)]
    assert [(d.text, d.kind, d.value) for d in tagged.deadlines] == [("Quý II/2026", "due", "2026-Q2")]
    assert tagged.output == "Báo cáo"


# --- the three sources, end to end --------------------------------------------------------------------

def _parse(path: Path):
    from pipeline import parse

    return parse(path)


def _docx(path: Path, tables: list[list[list[str]]], merge: bool = False) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai nhiệm vụ năm 2026")
    document.add_paragraph("I. NHIỆM VỤ")
    document.add_paragraph("1. Các sở, ngành thực hiện các nhiệm vụ sau:")
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max((len(r) for r in rows), default=1))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        if merge and len(rows) > 2:
            table.cell(2, 1).merge(table.cell(2, len(rows[2]) - 1))  # a group row's title across the table
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Giao Sở Nội vụ theo dõi, đôn đốc.")
    document.save(str(path))
    return path


def test_docx_task_table_in_body_order_with_merged_cells(tmp_path):
    rows = [["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời hạn"],
            ["1", "(1)", "(2)", "(3)"],
            ["A", "Công tác tuyên truyền", "", ""],
            ["1", "Tổ chức hội nghị quán triệt", "Sở Nội vụ", "Quý II/2026"],
            ["2", "Biên soạn tài liệu", "Sở Văn hóa", "6/2026"]]
    rows[1] = ["(1)", "(2)", "(3)", "(4)"]
    doc = _parse(_docx(tmp_path / "t.docx", [rows], merge=True))
    clauses = list(doc.walk())
    assert [(c.label, c.kind, c.path) for c in clauses if c.row] == [
        ("A", "heading", ("I.", "1.", "A")),
        ("1", "task", ("I.", "1.", "A", "1")),
        ("2", "task", ("I.", "1.", "A", "2"))]
    first = next(c for c in clauses if c.row and c.label == "1")
    assert first.text == "Tổ chức hội nghị quán triệt" and doc.text[first.start:first.end] == first.text
    assert [(b.name, b.role, b.inherited) for b in first.bodies] == [("Sở Nội vụ", "owner", False)]
    assert [(d.kind, d.value) for d in first.deadlines] == [("due", "2026-Q2")]
    # the paragraph after the table is its own clause, not the last row's text
    assert [c.label for c in doc.clauses] == ["I.", "II."]


def test_docx_empty_table_and_table_that_is_no_task_list(tmp_path):
    doc = _parse(_docx(tmp_path / "e.docx", [[["", ""], ["", ""]],
                                             [["TT", "Tên điểm", "Quận"], ["1", "Phố Hoa", "Quận Một"],
                                              ["2", "Phố Mai", "Quận Hai"]]]))
    assert not any(c.row for c in doc.walk())
    assert [(w.code, w.page) for w in doc.warnings if w.code == "table-skipped"] == [("table-skipped", 1)]


def _pdf(path: Path, data: list[list[str]], *, ruled: bool = True, before_break: int | None = None,
         header: bool = True, spans: tuple[int, ...] = (), second_widths: tuple[float, ...] = ()) -> Path:
    """A plan with a task table (reportlab, the fonts pipeline/render/pdf.py uses)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from pipeline.render.pdf import register_fonts

    register_fonts()
    body = ParagraphStyle("b", fontName="Serif", fontSize=12.5, leading=17, firstLineIndent=1 * cm)
    centre = ParagraphStyle("c", parent=body, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("t", fontName="Serif", fontSize=11, leading=13)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")] + ([("GRID", (0, 0), (-1, -1), 0.5, "black")] if ruled else [])
    style += [("SPAN", (1, row), (-1, row)) for row in spans]  # a group row's title merged across the table

    def table(rows, widths=(1.3, 8, 4, 3.5)):
        t = Table([[Paragraph(c, cell) for c in row] for row in rows], colWidths=[w * cm for w in widths],
                  repeatRows=1 if header else 0)
        t.setStyle(TableStyle(style))
        return t

    story = [Paragraph("ỦY BAN NHÂN DÂN TỈNH AN HÒA", centre), Paragraph("Số: 12/KH-UBND", centre),
             Paragraph("An Hòa, ngày 02 tháng 3 năm 2026", centre), Paragraph("KẾ HOẠCH", centre),
             Paragraph("Triển khai nhiệm vụ năm 2026", centre),
             Paragraph("Căn cứ tình hình thực tế, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", body),
             Paragraph("I. NHIỆM VỤ CỤ THỂ", body),
             Paragraph("Các cơ quan, đơn vị thực hiện các nhiệm vụ theo bảng dưới đây:", body)]
    if before_break is None:
        story.append(table(data))
    else:
        story += [table(data[:before_break]), PageBreak(),
                  table(data[before_break:], second_widths or (1.3, 8, 4, 3.5))]
    story += [Paragraph("II. TỔ CHỨC THỰC HIỆN", body),
              Paragraph("1. Giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này.", body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


PDF_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
QUARTERS = ["I", "II", "III", "IV"]


def _task(i: int) -> list[str]:
    return [str(i), f"Kiểm tra việc thực hiện nội dung thứ {i} của kế hoạch", "Sở Nội vụ",
            f"Quý {QUARTERS[i % 4]}/2026"]


def test_pdf_ruled_table_200_rows_over_pages(tmp_path):
    doc = _parse(_pdf(tmp_path / "long.pdf", [PDF_HEADER] + [_task(i) for i in range(1, 201)]))
    rows = [c for c in doc.walk() if c.row]
    assert doc.pages >= 10
    assert [c.label for c in rows] == [str(i) for i in range(1, 201)]
    assert all(c.text == f"Kiểm tra việc thực hiện nội dung thứ {c.label} của kế hoạch" for c in rows)
    assert all(c.path == ("I.", c.label) and c.kind == "task" for c in rows)
    assert all([(b.name, b.role) for b in c.bodies] == [("Sở Nội vụ", "owner")] for c in rows)
    assert len({c.page for c in rows}) >= 9 and "QQTBL" not in doc.text
    assert [c.label for c in doc.clauses] == ["I.", "II."]
    assert not any(w.code == "table-skipped" for w in doc.warnings)


def test_pdf_merged_group_rows(tmp_path):
    data = [PDF_HEADER, ["I", "Công tác tuyên truyền", "", ""], _task(1), _task(2),
            ["II", "Công tác kiểm tra", "", ""], _task(3)]
    doc = _parse(_pdf(tmp_path / "groups.pdf", data, spans=(1, 4)))
    assert [(c.label, c.kind, c.path) for c in doc.walk() if c.row] == [
        ("I", "heading", ("I.", "I")), ("1", "task", ("I.", "I", "1")), ("2", "task", ("I.", "I", "2")),
        ("II", "heading", ("I.", "II")), ("3", "task", ("I.", "II", "3"))]


def test_pdf_box_around_text_keeps_its_words(tmp_path):
    data = [["Lưu ý", "Các đơn vị gửi báo cáo đúng hạn", "", ""], ["", "Liên hệ Văn phòng khi cần", "", ""]]
    doc = _parse(_pdf(tmp_path / "box.pdf", data))
    assert "Lưu ý Các đơn vị gửi báo cáo đúng hạn" in doc.text and "Liên hệ Văn phòng khi cần" in doc.text
    assert not any(w.code == "table-skipped" for w in doc.warnings) and "QQTBL" not in doc.text


def test_pdf_row_broken_across_a_page_is_joined(tmp_path):
    data = [PDF_HEADER, _task(1), _task(2), ["", "và báo cáo kết quả", "", ""], _task(3)]
    doc = _parse(_pdf(tmp_path / "broken.pdf", data, before_break=3, header=False))
    rows = [c for c in doc.walk() if c.row]
    assert [(c.label, c.text, c.page) for c in rows] == [
        ("1", "Kiểm tra việc thực hiện nội dung thứ 1 của kế hoạch", 1),
        ("2", "Kiểm tra việc thực hiện nội dung thứ 2 của kế hoạch và báo cáo kết quả", 1),
        ("3", "Kiểm tra việc thực hiện nội dung thứ 3 của kế hoạch", 2)]


def test_pdf_rest_of_a_table_cut_into_other_columns_is_lined_up(tmp_path):
    rest = [["", "và báo cáo kết quả", "", "", ""],
            ["3", "Kiểm tra nội dung thứ 3", "Sở Nội vụ", "Sở Tài chính", "Quý IV/2026"]]
    data = [PDF_HEADER, _task(1), _task(2)] + rest
    doc = _parse(_pdf(tmp_path / "cut.pdf", data, before_break=3, header=False, second_widths=(1.3, 8, 2, 2, 3.5)))
    rows = [c for c in doc.walk() if c.row]
    assert [(c.label, c.text, c.row.cell("owner"), c.row.cell("time")) for c in rows] == [
        ("1", "Kiểm tra việc thực hiện nội dung thứ 1 của kế hoạch", "Sở Nội vụ", "Quý II/2026"),
        ("2", "Kiểm tra việc thực hiện nội dung thứ 2 của kế hoạch và báo cáo kết quả", "Sở Nội vụ", "Quý III/2026"),
        ("3", "Kiểm tra nội dung thứ 3", "Sở Nội vụ\nSở Tài chính", "Quý IV/2026")]
    assert [b.name for b in rows[2].bodies] == ["Sở Nội vụ", "Sở Tài chính"]


def test_pdf_unruled_table_under_a_header_line(tmp_path):
    doc = _parse(_pdf(tmp_path / "unruled.pdf", [PDF_HEADER, _task(1), _task(2)], ruled=False))
    rows = [c for c in doc.walk() if c.row]
    assert [(c.label, c.text, [d.value for d in c.deadlines]) for c in rows] == [
        ("1", "Kiểm tra việc thực hiện nội dung thứ 1 của kế hoạch", ["2026-Q2"]),
        ("2", "Kiểm tra việc thực hiện nội dung thứ 2 của kế hoạch", ["2026-Q3"])]


def test_pdf_table_without_header_vocabulary_is_skipped(tmp_path):
    data = [["STT", "Tên điểm", "Địa bàn", "Ghi nhận"], ["1", "Phố Hoa", "Phường Một", "Có"],
            ["2", "Phố Mai", "Phường Hai", "Không"]]
    doc = _parse(_pdf(tmp_path / "places.pdf", data))
    assert not any(c.row for c in doc.walk())
    assert [(w.code, w.page) for w in doc.warnings if w.code == "table-skipped"] == [("table-skipped", 1)]
    assert "Phố Hoa" not in doc.text and [c.label for c in doc.clauses] == ["I.", "II."]


# --- real documents (read from ../shared at test time) ------------------------------------------------

def _real(name: str) -> Path:
    path = REAL / name
    if not REAL.is_dir():
        pytest.skip(f"../shared/corpus/real is absent ({REAL}); the real-document checks need it")
    return path


def test_real_docx_assignment_table():
    doc = _parse(_real("sct_laocai_kh3957_2026_kiem_tra_cap_gcn.docx"))
    rows = [c for c in doc.walk() if c.row]
    assert [c.label for c in rows] == [f"{i}." for i in range(1, 10)]
    assert all(c.kind == "task" and c.bodies and all(b.role == "owner" and not b.inherited for b in c.bodies)
               for c in rows)
    assert [len(c.bodies) for c in rows] == [3, 2, 3, 1, 1, 1, 1, 3, 1]


def test_real_docx_report_forms_are_not_task_lists():
    doc = _parse(_real("sct_laocai_kh_2026_thuc_hien_de_an_08_nq35_tu.docx"))
    assert not any(c.row for c in doc.walk())
    assert len([w for w in doc.warnings if w.code == "table-skipped"]) == 2


def test_real_markdown_task_tables():
    doc = _parse(_real("cp_nq03_2025_phu_luc2_danh_muc_nhiem_vu.md"))
    rows = [c for c in doc.walk() if c.row]
    tasks = [c for c in rows if c.kind == "task"]
    assert len(tasks) >= 140 and len([c for c in rows if c.kind == "heading"]) >= 6
    assert sum(1 for c in tasks if any(b.role == "owner" for b in c.bodies)) >= 0.95 * len(tasks)
    assert sum(1 for c in tasks if c.deadlines) >= 0.9 * len(tasks)
    assert sum(1 for c in tasks if c.output) >= 0.8 * len(tasks)
