"""Segmentation: exact clause trees for every label family and nesting order."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Document
from pipeline.segment import find_line_label, schedule_line, segment

LABELS = yaml.safe_load((Path(__file__).resolve().parent.parent / "models" / "labels.yaml").read_text("utf-8"))


def tree(text: str) -> list[tuple[str, str, str]]:
    doc = segment(Document("t.txt", "", None, 1, text))
    return [(".".join(c.path), c.kind, c.text) for c in doc.walk()]


@pytest.mark.parametrize("family", LABELS["families"], ids=lambda f: f["name"])
def test_label_family_examples(family):
    for example in family["examples"]:
        found = find_line_label(example)
        assert found is not None, example
        assert found.family.split(":")[0] == family["name"], example
    for counter in family["not"]:
        found = find_line_label(counter)
        assert found is None or found.family.split(":")[0] != family["name"], counter


PARTY_PROGRAMME = """\
Thực hiện Nghị quyết Đại hội, Ban Chấp hành Đảng bộ xã xây dựng Chương trình hành động như sau:
A- MỤC ĐÍCH, YÊU CẦU
1. Các cấp ủy quán triệt sâu sắc Nghị quyết.
B- NỘI DUNG
I- NHIỆM VỤ TRỌNG TÂM
1. Ủy ban Kiểm tra Đảng ủy
(1) Chủ trì kiểm tra việc thực hiện Nghị quyết (thực hiện thường xuyên).
(2) Tham mưu sơ kết Quy định số 22-QĐ/TW (hoàn thành trong tháng 8/2025).
2. Các chi bộ trực thuộc
2.1. Một số chỉ tiêu đến năm 2030
- Về xây dựng Đảng: (1) - Phấn đấu hằng năm 90% tổ chức đảng hoàn thành tốt nhiệm vụ; (2) - Kết nạp 20 đảng viên mới mỗi năm.
- Về kinh tế: (3) - Thu ngân sách tăng 10%/năm."""


def test_party_programme_tree_and_kinds():
    assert tree(PARTY_PROGRAMME) == [
        ("A-", "heading", "MỤC ĐÍCH, YÊU CẦU"),
        ("A-.1.", "other", "Các cấp ủy quán triệt sâu sắc Nghị quyết."),
        ("B-", "heading", "NỘI DUNG"),
        ("B-.I-", "heading", "NHIỆM VỤ TRỌNG TÂM"),
        ("B-.I-.1.", "heading", "Ủy ban Kiểm tra Đảng ủy"),
        ("B-.I-.1..(1)", "task", "Chủ trì kiểm tra việc thực hiện Nghị quyết (thực hiện thường xuyên)."),
        ("B-.I-.1..(2)", "task", "Tham mưu sơ kết Quy định số 22-QĐ/TW (hoàn thành trong tháng 8/2025)."),
        ("B-.I-.2.", "heading", "Các chi bộ trực thuộc"),
        ("B-.I-.2..2.1.", "heading", "Một số chỉ tiêu đến năm 2030"),
        ("B-.I-.2..2.1..-", "heading", "Về xây dựng Đảng:"),
        ("B-.I-.2..2.1..-.(1)", "target", "Phấn đấu hằng năm 90% tổ chức đảng hoàn thành tốt nhiệm vụ;"),
        ("B-.I-.2..2.1..-.(2)", "target", "Kết nạp 20 đảng viên mới mỗi năm."),
        ("B-.I-.2..2.1..-", "heading", "Về kinh tế:"),
        ("B-.I-.2..2.1..-.(3)", "target", "Thu ngân sách tăng 10%/năm."),
    ]


def test_ids_are_unique_and_stable():
    doc = segment(Document("ctr_xa.txt", "", None, 1, PARTY_PROGRAMME))
    ids = [c.id for c in doc.walk()]
    assert len(ids) == len(set(ids))
    assert ids[5] == "ctr_xa/B-.I-.1.(1)"
    assert ids[12] == "ctr_xa/B-.I-.2.1.-~2"


COUNCIL_RESOLUTION = """\
QUYẾT NGHỊ:
Điều 1. Thông qua kết quả giám sát với các nội dung sau:
1. Kết quả đạt được
Đến hết tháng 6/2024 đã có 14/16 chỉ tiêu đạt kế hoạch.
2. Nhiệm vụ, giải pháp
a) Giao Ủy ban nhân dân thành phố chỉ đạo rà soát quy hoạch:
(1) Hoàn thành điều chỉnh quy hoạch trong quý III/2025;
(2) Công khai quy hoạch trên cổng thông tin.
b) Đề nghị Ủy ban Mặt trận Tổ quốc thành phố giám sát việc thực hiện.
Điều 2. Tổ chức thực hiện
Nghị quyết có hiệu lực kể từ ngày ký."""


def test_council_resolution_letters_above_parentheses():
    assert [row[0] for row in tree(COUNCIL_RESOLUTION)] == [
        "Điều 1.", "Điều 1..1.", "Điều 1..2.", "Điều 1..2..a)", "Điều 1..2..a).(1)", "Điều 1..2..a).(2)",
        "Điều 1..2..b)", "Điều 2.",
    ]
    rows = dict((r[0], r) for r in tree(COUNCIL_RESOLUTION))
    assert rows["Điều 1..1."][1] == "other"  # findings, not tasks
    assert rows["Điều 1..1."][2] == "Kết quả đạt được\nĐến hết tháng 6/2024 đã có 14/16 chỉ tiêu đạt kế hoạch."
    assert rows["Điều 1..2..a).(1)"][1] == "task"


REVERSE_NESTING = """\
I. NHIỆM VỤ
(1) Về cải cách hành chính
a) Rà soát thủ tục hành chính;
b) Công khai thủ tục trên cổng dịch vụ công.
(2) Về chuyển đổi số
a) Số hóa hồ sơ."""


def test_parentheses_above_letters():
    assert [row[0] for row in tree(REVERSE_NESTING)] == [
        "I.", "I..(1)", "I..(1).a)", "I..(1).b)", "I..(2)", "I..(2).a)"]


REGULATION = """\
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
1.1.Tăng cường kỷ luật, kỷ cương trong Đảng bộ.
1.2. Các nội dung: (i1) rà soát quy chế làm việc; (i2) kiểm tra việc thực hiện; (i3) báo cáo kết quả.
đ) Nội dung khác do Ban Thường vụ quyết định.
Chương II
TỔ CHỨC THỰC HIỆN
Mục 1. TRÁCH NHIỆM
Điều 2. Các cơ quan tham mưu
+ Ban Tổ chức chủ trì;
• Văn phòng phối hợp."""


def test_regulation_chapters_sections_glued_decimals_inline_i():
    assert [row[0] for row in tree(REGULATION)] == [
        "Chương I", "Chương I.Điều 1.", "Chương I.Điều 1..1.1.", "Chương I.Điều 1..1.2.",
        "Chương I.Điều 1..1.2..(i1)", "Chương I.Điều 1..1.2..(i2)", "Chương I.Điều 1..1.2..(i3)",
        "Chương I.Điều 1..1.2..đ)",
        "Chương II", "Chương II.Mục 1.", "Chương II.Mục 1..Điều 2.", "Chương II.Mục 1..Điều 2..+",
        "Chương II.Mục 1..Điều 2..+.•",
    ]
    rows = tree(REGULATION)
    assert rows[0][2] == "QUY ĐỊNH CHUNG"
    assert rows[2][2] == "Tăng cường kỷ luật, kỷ cương trong Đảng bộ."
    assert rows[3][2] == "Các nội dung:"
    assert rows[4][2] == "rà soát quy chế làm việc;"


@pytest.mark.parametrize("text", [
    "1. Rà soát các quy định (thực hiện thường xuyên) và báo cáo (B/c) Ban Thường vụ.",
    "1. Thực hiện Nghị quyết Trung ương 6 (khóa XIII) đến tháng 8/2025.",
    "1. Đến nay đạt 14/16 chỉ tiêu; (2) chưa đạt.",
    "1. Theo Quyết định số 1129/QĐ-TTg ngày 12/10/2023 (1) của Thủ tướng.",
])
def test_not_labels(text):
    assert [row[0] for row in tree(text)] == ["1."]


def test_numbering_warnings_never_stop_the_parse():
    doc = segment(Document("t.txt", "", None, 1, "1. Một\n(1) Việc một.\n(3) Việc ba.\n3. Ba\n2. Hai"))
    codes = [w.code for w in doc.warnings]
    assert codes == ["numbering-gap", "numbering-gap", "numbering-restart"]
    assert [c.label for c in doc.walk()] == ["1.", "(1)", "(3)", "3.", "2."]


LABEL_BITS = st.sampled_from(["1. ", "1.1. ", "(1) ", "(2) - ", "(i1) ", "a) ", "- ", "+ ", "A- ", "I- ",
                              "Điều 1. ", "Chương I ", "; (2) ", ": (1) - ", "\n", " "])
TEXTS = st.lists(st.one_of(LABEL_BITS, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_segmentation_invariants(text):
    doc = segment(Document("t.txt", "", None, 1, text))
    clauses = list(doc.walk())
    for clause in clauses:
        assert doc.text[clause.start:clause.end] == clause.text
        assert clause.label_start <= clause.start <= clause.end <= clause.tree_end
        for child in clause.children:
            assert clause.label_start <= child.label_start and child.tree_end <= clause.tree_end
    again = segment(Document("t.txt", "", None, 1, text))
    assert [c.id for c in again.walk()] == [c.id for c in clauses]


DECISION_WITH_PLAN = """\
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2026.
Điều 2. Chánh Văn phòng, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành Quyết định này./.
KẾ HOẠCH
Cải cách hành chính năm 2026
(Kèm theo Quyết định số 90/QĐ-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh)
I. MỤC ĐÍCH
1. Giảm thời gian giải quyết hồ sơ.
II. NHIỆM VỤ
1. Rà soát thủ tục hành chính."""


def test_attached_plan_starts_its_own_tree():
    rows = tree(DECISION_WITH_PLAN)
    assert [row[0] for row in rows] == ["Điều 1.", "Điều 2.", "I.", "I..1.", "II.", "II..1."]
    assert rows[1][2].endswith("thi hành Quyết định này./.")


def test_attachment_without_end_mark_still_closes_the_tree():
    text = DECISION_WITH_PLAN.replace("./.", ".")
    assert [row[0] for row in tree(text)] == ["Điều 1.", "Điều 2.", "I.", "I..1.", "II.", "II..1."]


@pytest.mark.parametrize("text,paths", [
    ("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nĐiều 2. Đối tượng",
     ["Chương I", "Chương I.Điều 1.", "Chương I.Điều 2."]),
    ("I. NHIỆM VỤ\n1. Rà soát.\nKẾ HOẠCH năm 2026 được xây dựng sớm.\n2. Tổng hợp.", ["I.", "I..1.", "I..2."]),
])
def test_not_attachment_heads(text, paths):
    assert [row[0] for row in tree(text)] == paths


def test_ocr_roman_numerals_are_repaired_from_the_sequence_with_a_warning():
    from pipeline.model import Paragraph

    text = "I- NHIỆM VỤ\n1. Rà soát.\nII- GIẢI PHÁP\n1. Kiểm tra.\nII- TỔ CHỨC THỰC HIỆN\n1. Báo cáo."
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        paragraphs.append(Paragraph(pos, pos + len(line), 1, source="ocr"))
        pos += len(line) + 1
    doc = segment(Document("scan.pdf", "", None, 1, text, paragraphs=tuple(paragraphs)))
    assert [c.label for c in doc.clauses] == ["I-", "II-", "III-"]
    assert [w.code for w in doc.warnings] == ["ocr-label-repaired"]
    # The same duplicate in a text layer is the author's: kept as printed, flagged as a restart.
    plain = segment(Document("text.pdf", "", None, 1, text))
    assert [c.label for c in plain.clauses] == ["I-", "II-", "II-"]
    assert [w.code for w in plain.warnings] == ["numbering-restart"]


def test_party_resolution_dash_numbers():
    text = ("II- NHIỆM VỤ, GIẢI PHÁP\n1- Tăng cường sự lãnh đạo của cấp ủy\na) Rà soát quy chế làm việc.\n"
            "b) Kiểm tra việc thực hiện.\n2- Đổi mới phương thức lãnh đạo\na) Ban hành quy định mới.")
    assert [row[0] for row in tree(text)] == ["II-", "II-.1-", "II-.1-.a)", "II-.1-.b)", "II-.2-", "II-.2-.a)"]


def test_policy_provisions_are_other_and_implementation_is_task():
    text = ("Điều 2. Nội dung hỗ trợ\n1. Hỗ trợ đào tạo nguồn nhân lực\na) Hỗ trợ 100% chi phí đào tạo, tối đa 5 triệu đồng/người.\n"
            "b) Mỗi hợp tác xã được hỗ trợ không quá 01 lớp.\n2. Hỗ trợ ứng dụng công nghệ: Hỗ trợ 50% chi phí chuyển giao.\n"
            "Điều 3. Tổ chức thực hiện\n1. Giao Ủy ban nhân dân tỉnh tổ chức triển khai thực hiện Nghị quyết.")
    assert [(path, kind) for path, kind, _ in tree(text)] == [
        ("Điều 2.", "heading"), ("Điều 2..1.", "heading"), ("Điều 2..1..a)", "other"), ("Điều 2..1..b)", "other"),
        ("Điều 2..2.", "other"), ("Điều 3.", "heading"), ("Điều 3..1.", "task")]


def test_enacting_article_of_a_decision_is_other():
    text = ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2026.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
            "Điều 3. Giám đốc các Sở: Nội vụ, Tài chính chịu trách nhiệm thi hành Quyết định này./.")
    assert [(path, kind) for path, kind, _ in tree(text)] == [("Điều 1.", "other"), ("Điều 2.", "other"), ("Điều 3.", "task")]


def test_slash_letter_dash_star_and_volume_labels_nest():
    text = ("PHẦN I\nNHIỆM VỤ\nI/ MỤC TIÊU\n1/ Tổ chức quán triệt Nghị quyết.\na/ Ban Thường vụ chỉ đạo.\n"
            "2/ Về kinh tế\na- Phát triển nông nghiệp.\n* Phát triển du lịch.\nPhần thứ hai\nTỔ CHỨC THỰC HIỆN")
    assert [path for path, _, _ in tree(text)] == [
        "PHẦN I", "PHẦN I.I/", "PHẦN I.I/.1/", "PHẦN I.I/.1/.a/", "PHẦN I.I/.2/", "PHẦN I.I/.2/.a-",
        "PHẦN I.I/.2/.a-.*", "Phần thứ hai"]


def test_effect_article_is_other():
    text = ("Điều 3. Tổ chức thực hiện\n1. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện.\n"
            "Điều 4. Hiệu lực thi hành\nNghị quyết này có hiệu lực từ ngày 01/01/2026.")
    assert [(path, kind) for path, kind, _ in tree(text)] == [("Điều 3.", "heading"), ("Điều 3..1.", "task"), ("Điều 4.", "other")]


def ids(text: str) -> list[str]:
    return [c.id for c in segment(Document("t.txt", "", None, 1, text)).walk()]


PARTY_INSPECTION_PROGRAMME = """\
II- NỘI DUNG KIỂM TRA, GIÁM SÁT
1- Kiểm tra việc chấp hành
2- Giám sát chuyên đề
2.1- Giám sát chuyên đề đối với Chi bộ Trường Tiểu học
- Thời gian: Quý III/2026.
2.2- Giám sát chuyên đề đối với Ban Thường vụ Đảng ủy xã
2.2.1- Giám sát việc kê khai tài sản
3- Công tác khác
- 6 tháng đầu năm: Tổng hợp kết quả giám sát.
- 3 đồng chí Ủy viên theo dõi địa bàn."""


def test_party_decimal_dash_labels_nest_like_decimals():
    assert [path for path, _, _ in tree(PARTY_INSPECTION_PROGRAMME)] == [
        "II-", "II-.1-", "II-.2-", "II-.2-.2.1-", "II-.2-.2.1-.-", "II-.2-.2.2-", "II-.2-.2.2-.2.2.1-",
        "II-.3-", "II-.3-.-", "II-.3-.-"]
    rows = tree(PARTY_INSPECTION_PROGRAMME)
    assert rows[2][2] == "Giám sát chuyên đề"
    assert rows[8][2] == "6 tháng đầu năm: Tổng hợp kết quả giám sát."
    assert rows[9][2] == "3 đồng chí Ủy viên theo dõi địa bàn."
    assert segment(Document("t.txt", "", None, 1, PARTY_INSPECTION_PROGRAMME)).warnings == ()


@pytest.mark.parametrize("text,codes", [
    ("1- Kiểm tra\n2.1- Giám sát", ["numbering-prefix"]),
    ("II- NHIỆM VỤ\n2.1- Giám sát", ["level-skip"]),
])
def test_decimal_dash_numbering_warnings(text, codes):
    doc = segment(Document("t.txt", "", None, 1, text))
    assert [w.code for w in doc.warnings] == codes
    assert "2.1-" in doc.warnings[0].message and doc.warnings[0].message.endswith(("2-", "sits under 1-"))


@pytest.mark.parametrize("text,rows", [
    ("1. Tăng trưởng kinh tế\n-5% so với cùng kỳ.", [("1.", "Tăng trưởng kinh tế\n-5% so với cùng kỳ.")]),
    ("1. Thời gian\n- 6 tháng cuối năm: Giám sát.", [("1.", "Thời gian"), ("1..-", "6 tháng cuối năm: Giám sát.")]),
    ("1. Nhiệm vụ\n-Rà soát quy chế.", [("1.", "Nhiệm vụ"), ("1..-", "Rà soát quy chế.")]),
    ("1. Nhiệm vụ\n- - -", [("1.", "Nhiệm vụ\n- - -")]),
])
def test_dash_bullet_before_a_digit(text, rows):
    assert [(path, words) for path, _, words in tree(text)] == rows


ATTACHED_REGULATION_END = """\
Chương IV
TỔ CHỨC THỰC HIỆN
Điều 11. Trách nhiệm thi hành
1. Sở Nội vụ theo dõi việc thực hiện Quy chế.
2. Các cơ quan, đơn vị thực hiện nghiêm Quy chế này.
Điều 12. Sửa đổi, bổ sung
Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan phản ánh về Sở Nội vụ để tổng hợp, báo cáo./.
KT. CHỦ TỊCH"""


def test_a_regulations_last_paragraph_ending_the_text_is_its_articles_words():
    rows = tree(ATTACHED_REGULATION_END)
    assert rows[-1][::2] == ("Chương IV.Điều 12.", "Sửa đổi, bổ sung\nTrong quá trình thực hiện, nếu có vướng mắc, các cơ quan phản ánh "
                        "về Sở Nội vụ để tổng hợp, báo cáo./.")
    assert [path for path, _, _ in rows] == [
        "Chương IV", "Chương IV.Điều 11.", "Chương IV.Điều 11..1.", "Chương IV.Điều 11..2.", "Chương IV.Điều 12."]


@pytest.mark.parametrize("closing", [
    "Nghị quyết này đã được Hội đồng nhân dân xã Tân An khóa I, kỳ họp thứ năm thông qua ngày 10 tháng 7 năm 2026./.",
    "Nghị quyết này đã được HĐND xã Tân An thông qua ngày 10/7/2026 và có hiệu lực từ ngày 20/7/2026./.",
    "Chỉ thị này được phổ biến đến chi bộ và đảng viên./.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Trên đây là Kế hoạch cải cách hành chính năm 2026 của Ủy ban nhân dân xã./.",
])
def test_closing_formula_belongs_to_no_clause(closing):
    # The signature block after it continues nothing.
    text = f"Điều 3. Giao Ủy ban nhân dân xã tổ chức thực hiện.\n{closing}\nTM. HỘI ĐỒNG NHÂN DÂN"
    assert [(path, words) for path, _, words in tree(text)] == [
        ("Điều 3.", "Giao Ủy ban nhân dân xã tổ chức thực hiện.")]


@pytest.mark.parametrize("text,expected", [
    ("Chương IV\nĐiều 11. Trách nhiệm\n1. Sở Nội vụ theo dõi.\n2. Sở Tài chính bố trí kinh phí.",
     ["t/Chương IV", "t/Chương IV.Điều 11", "t/Chương IV.Điều 11.1", "t/Chương IV.Điều 11.2"]),
    ("II. NHIỆM VỤ\n1. Rà soát.\na) Thủ tục.", ["t/II", "t/II.1", "t/II.1.a)"]),
    ("II- NHIỆM VỤ\n2- Giám sát\n2.1- Chi bộ A", ["t/II-", "t/II-.2-", "t/II-.2-.2.1-"]),
])
def test_ids_drop_every_labels_final_dot(text, expected):
    assert ids(text) == expected


FINDINGS_AND_TARGETS = """\
1. Đánh giá chung
- Kết quả thực hiện một số chỉ tiêu chủ yếu trong năm:
+ Thu ngân sách trên địa bàn đạt 1.000 tỷ đồng;
+ Tỷ lệ hộ nghèo giảm còn 1,2%.
2. Chỉ tiêu năm 2026
- Tỷ lệ hộ nghèo giảm còn dưới 1%."""


def test_findings_list_title_and_results_reported():
    assert [(path, kind) for path, kind, _ in tree(FINDINGS_AND_TARGETS)] == [
        ("1.", "heading"), ("1..-", "heading"), ("1..-.+", "other"), ("1..-.+", "other"),
        ("2.", "heading"), ("2..-", "target")]


COORDINATION_CONTENT = """\
Điều 2. Nguyên tắc phối hợp
1. Việc phối hợp phải bảo đảm các yêu cầu sau đây: (i1) đúng thẩm quyền; (i2) kịp thời.
Điều 4. Nội dung phối hợp
1. Phối hợp trong xây dựng, thẩm định và trình phê duyệt các đề án:
a) Đề án vị trí việc làm của các cơ quan hành chính;
b) Kế hoạch biên chế hằng năm.
2. Phối hợp trong kiểm tra việc quản lý, sử dụng biên chế.
Điều 5. Trách nhiệm của Sở Nội vụ
1. Chủ trì thẩm định đề án vị trí việc làm."""


def test_coordination_content_lists_fields_and_assigns_nothing():
    assert [(path, kind) for path, kind, _ in tree(COORDINATION_CONTENT)] == [
        ("Điều 2.", "heading"), ("Điều 2..1.", "other"), ("Điều 2..1..(i1)", "other"), ("Điều 2..1..(i2)", "other"),
        ("Điều 4.", "heading"), ("Điều 4..1.", "heading"), ("Điều 4..1..a)", "other"), ("Điều 4..1..b)", "other"),
        ("Điều 4..2.", "other"), ("Điều 5.", "heading"), ("Điều 5..1.", "task")]


@pytest.mark.parametrize("line", LABELS["scope_line_examples"])
def test_scope_line_examples(line):
    assert schedule_line(line) == line


@pytest.mark.parametrize("line", LABELS["scope_line_not"])
def test_scope_line_counterexamples(line):
    assert schedule_line(line) is None


MONTH_SCHEDULE = """\
II. NHIỆM VỤ
1. Chi ủy lãnh đạo thực hiện các chỉ tiêu.
III. LỊCH CÔNG TÁC
Tháng 1:
- Chi bộ triển khai nhiệm vụ năm.
- Chi ủy phân công đảng viên.
Quý II:
- Chi đoàn ra quân trồng cây.
- Tháng 6/2026: Chi ủy sơ kết 6 tháng.
IV. TỔ CHỨC THỰC HIỆN
- Chi ủy theo dõi, đôn đốc."""


def test_schedule_lines_are_no_clause_and_head_the_points_after_them():
    doc = segment(Document("t.txt", "", None, 1, MONTH_SCHEDULE))
    rows = [(".".join(c.path), c.text, c.scope_line and c.scope_line[1]) for c in doc.walk()]
    assert rows == [
        ("II.", "NHIỆM VỤ", None),
        ("II..1.", "Chi ủy lãnh đạo thực hiện các chỉ tiêu.", None),
        ("III.", "LỊCH CÔNG TÁC", None),
        ("III..-", "Chi bộ triển khai nhiệm vụ năm.", "Tháng 1:"),
        ("III..-", "Chi ủy phân công đảng viên.", "Tháng 1:"),
        ("III..-", "Chi đoàn ra quân trồng cây.", "Quý II:"),
        # A labelled schedule line keeps its time in its own words.
        ("III..-", "Tháng 6/2026: Chi ủy sơ kết 6 tháng.", "Quý II:"),
        # The schedule ends with its section.
        ("IV.", "TỔ CHỨC THỰC HIỆN", None),
        ("IV..-", "Chi ủy theo dõi, đôn đốc.", None),
    ]
    offset, words = doc.clauses[1].children[0].scope_line
    assert MONTH_SCHEDULE[offset:offset + len(words)] == words == "Tháng 1:"
    assert doc.warnings == ()


def test_undotted_decimals_under_slash_numbers_skip_no_level():
    text = "II/ NỘI DUNG\n1/ Tuyên truyền về Đại hội\n1.1 Giới thiệu văn kiện.\n1.2 Phản ánh không khí.\n2/ Khác\n3.1 Lạc số."
    doc = segment(Document("t.txt", "", None, 1, text))
    assert [(w.code, w.message) for w in doc.warnings] == [("level-skip", "3.1 has no parent numbered 3.")]


def test_a_long_title_over_points_is_a_heading():
    # 111-130 characters, no final full stop: the length alone does not make it a sentence.
    title = "Tuyên truyền về cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031"
    assert 110 < len(title) <= 130
    rows = tree(f"1/ {title}\n1.1 Giới thiệu ý nghĩa cuộc bầu cử.")
    assert rows[0] == ("1/", "heading", title)


def test_a_lone_inline_item_at_a_paragraphs_end_keeps_the_lines_after_it():
    """ "1. Về …: a) Sở X chủ trì …" then "- …" lines and "b) …": the one inline item is the
    heading's first item, glued to its line; the dashes are its own, "b)" its sibling."""
    text = ("1. Về công tác tuyên truyền: a) Sở Văn hóa và Thể thao chủ trì tuyên truyền.\n"
            "- Tổ chức hội nghị quán triệt.\n- Phát hành tài liệu.\n"
            "b) Sở Y tế phối hợp thực hiện.\n2. Về công tác kiểm tra.")
    assert [row[0] for row in tree(text)] == ["1.", "1..a)", "1..a).-", "1..a).-", "1..b)", "2."]


def test_an_inline_enumeration_ends_with_its_paragraph():
    # Counter-example: two inline items are an enumeration inside the paragraph; the lines after it
    # belong to the clause that holds it.
    text = ("1. Mục tiêu: a) tăng tỷ lệ hộ dùng nước sạch; b) giảm tỷ lệ hộ nghèo.\n"
            "- Tổ chức hội nghị quán triệt.\n2. Về công tác kiểm tra.")
    assert [row[0] for row in tree(text)] == ["1.", "1..a)", "1..b)", "1..-", "2."]


def test_inline_label_candidates_are_found_where_a_scan_finds_them():
    """labels._candidates tries only the places a label form allows; over every corpus text and
    texts holding every form, in every window, it gives what a scan of each place gives."""
    from pipeline import labels

    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(shared.glob("*.txt")) + sorted((shared / "real").glob("*.md"))]
    texts += ["Nhiệm vụ: a) rà soát; b) báo cáo. (1) tổng hợp, (2) gửi; (i1) một, (i12) hai; (đ) khác",
              "Một là, tăng cường; hai  là, củng cố;\tba\tlà giữ. Thứ nhất, đổi mới; THỨ HAI: sắp xếp; thứ  ba, x"]
    found = 0
    for text in texts:
        for start, end in [(0, len(text)), (len(text) // 3, len(text)), (0, len(text) // 2), (5, 9)]:
            scanned = [m.start() for m in labels._INLINE_CANDIDATE.finditer(text, start, end)]
            assert labels._candidates(text, start, end) == scanned
            found += len(scanned)
    assert found >= 12, found
