"""Citations: every reference found, parsed, normalised; table-driven from tests/data."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import DocContext, DocInfo
from pipeline.tag.citations import find_citations, issuer_body, normalise_id, printed_own_number, title_key

DATA = Path(__file__).resolve().parent / "data"
FIELDS = ("id", "type", "number", "code", "issuer_code", "year", "date", "issued_by", "title")


def load_rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return rows[1:]


def expected(row: list[str]) -> dict:
    values = dict(zip(FIELDS, row[1:] + [""] * (len(FIELDS) + 1 - len(row))))
    out = {k: (v or None) for k, v in values.items()}
    out["year"] = int(out["year"]) if out["year"] else None
    return out


CASES = load_rows("citations.tsv")
NOT_CASES = load_rows("not_citations.tsv")


def test_table_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("row", CASES, ids=[r[0][:50] for r in CASES])
def test_citation_row(row):
    text = row[0].replace("\\n", "\n")
    want = expected(row)
    found = find_citations(text)
    assert found, text
    c = found[0]
    got = {k: getattr(c, k) for k in FIELDS}
    if want["id"] is not None and want["title"] is None:
        got["title"] = None  # numbered rows without a "về …" subject do not check title
    assert got == want
    assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("row", NOT_CASES, ids=[r[0][:40] for r in NOT_CASES])
def test_not_a_citation(row):
    assert find_citations(row[0]) == []


def test_several_numbers_share_one_code():
    text = "Triển khai Nghị quyết số 57, 59, 66 và 68-NQ/TW của Bộ Chính trị về phát triển."
    found = find_citations(text)
    assert [c.id for c in found] == ["57-NQ/TW", "59-NQ/TW", "66-NQ/TW", "68-NQ/TW"]
    assert [c.text for c in found] == ["Nghị quyết số 57", "59", "66", "68-NQ/TW của Bộ Chính trị"]
    assert {c.issued_by for c in found} == {"Bộ Chính trị"}
    assert all(text[c.start:c.end] == c.text for c in found)


def test_bare_number_lists_are_not_split():
    # without "số" or a kind word, "14, 15 và" may be anything; only the full number counts
    assert [c.id for c in find_citations("đạt 14, 15 và 16-NQ/TU")] == ["16-NQ/TU"]


def test_a_bare_citation_takes_the_date_and_issuer_of_the_next():
    text = ("theo Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị, Quy định số 216-QĐ/TU, "
            "Quy định số 217-QĐ/TU ngày 12/10/2023 của Tỉnh ủy Bắc Ninh với")
    found = find_citations(text)
    assert [(c.id, c.date, c.issued_by) for c in found] == [
        ("11-QĐi/TW", "2019-02-18", "Bộ Chính trị"),
        ("216-QĐ/TU", "2023-10-12", "Tỉnh ủy Bắc Ninh"),
        ("217-QĐ/TU", "2023-10-12", "Tỉnh ủy Bắc Ninh"),
    ]
    assert found[1].text == "Quy định số 216-QĐ/TU"


def test_no_sharing_across_a_subject_or_another_issuer_code():
    text = "Nghị quyết số 59-NQ/TW về hội nhập quốc tế; Nghị quyết số 66-NQ/TW ngày 30/4/2025"
    assert [c.date for c in find_citations(text)] == [None, "2025-04-30"]
    text = "Chỉ thị số 05-CT/TW, Chỉ thị số 28-CT/TU ngày 16/11/2021"
    assert [c.date for c in find_citations(text)] == [None, "2021-11-16"]


def test_the_documents_own_number_is_not_a_citation():
    text = "Số: 172/NQ-HĐND\nvề giám sát việc thực hiện Nghị quyết số 152/NQ-HĐND ngày 22/12/2020"
    ctx = DocContext(info=DocInfo(number="172/NQ-HĐND"))
    assert [c.id for c in find_citations(text, ctx)] == ["152/NQ-HĐND"]
    assert [c.id for c in find_citations(text, DocContext(own_number="172/NQ-HĐND"))] == ["152/NQ-HĐND"]
    # The header's "Số:" line names the document itself even when nobody told us its number.
    assert [c.id for c in find_citations(text)] == ["152/NQ-HĐND"]


def test_the_own_number_is_dropped_anywhere_it_is_printed():
    # An annex's "(Ban hành kèm theo …)" line and a closing sentence repeat the number.
    ctx = DocContext(own_number="254/QĐ-UBND")
    text = ("KẾ HOẠCH\nPhòng chống úng ngập năm 2026\n(Ban hành kèm theo Quyết định số 254/QĐ-UBND ngày "
            "05/3/2026 của Ủy ban nhân dân tỉnh)\nThực hiện Kế hoạch số 12/KH-UBND ngày 01/02/2026.")
    assert [c.id for c in find_citations(text, ctx)] == ["12/KH-UBND"]


@pytest.mark.parametrize("head,number", [
    ("ỦY BAN NHÂN DÂN\nSố: 173   /KH-UBND\nHà Nội, ngày 28 tháng 4 năm 2026", "173/KH-UBND"),
    ("HỘI ĐỒNG NHÂN DÂN\nSố: 12/2025/NQ-HĐND\nHà Nội, ngày 27 tháng 6 năm 2025", "12/2025/NQ-HĐND"),
    # a number left blank for the stamp prints no number at all
    ("SỞ CÔNG THƯƠNG\nSố:      /KH-SCT\nLào Cai, ngày   tháng 4 năm 2026", None),
    ("Căn cứ Quyết định số 15/2024/QĐ-TTg ngày 01/02/2024;", None),
])
def test_printed_own_number(head, number):
    assert printed_own_number(head) == number


def test_named_group_stands_for_its_members():
    found = find_citations("Tiếp tục triển khai “bộ tứ trụ cột” của Trung ương.")
    assert [c.id for c in found] == ["57-NQ/TW", "59-NQ/TW", "66-NQ/TW", "68-NQ/TW"]
    assert {c.text for c in found} == {"bộ tứ trụ cột"}


def test_named_group_defers_to_members_cited_by_number():
    text = "triển khai “bộ tứ trụ cột” (gồm Nghị quyết số 57-NQ/TW và Nghị quyết số 59-NQ/TW)"
    found = find_citations(text)
    assert sorted(c.id for c in found) == ["57-NQ/TW", "59-NQ/TW", "66-NQ/TW", "68-NQ/TW"]
    assert [c.text for c in found if c.id == "57-NQ/TW"] == ["Nghị quyết số 57-NQ/TW"]


def test_title_stops_before_the_next_citation():
    text = ("Nghị quyết số 30-NQ/TW ngày 23/11/2022 của Bộ Chính trị về phát triển vùng đồng bằng, "
            "Kết luận số 11-KL/TW về quốc phòng.")
    found = find_citations(text)
    assert [c.title for c in found] == ["phát triển vùng đồng bằng", "quốc phòng"]


def test_laws_in_a_row_are_separate_but_an_amending_law_names_the_laws_it_amends():
    # "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B" is one law, dated once.
    text = ("Căn cứ Luật Tổ chức Chính phủ ngày 19/6/2015; Luật sửa đổi, bổ sung một số điều của "
            "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22/11/2019; Luật Đất đai;")
    found = find_citations(text)
    assert [(c.title, c.date) for c in found] == [
        ("Luật Tổ chức Chính phủ", "2015-06-19"),
        ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
         "2019-11-22"),
        ("Luật Đất đai", None),
    ]


@pytest.mark.parametrize("raw,want", [
    ("216- QĐ/TU", "216-QĐ/TU"),
    ("216-\nQĐ/TU", "216-QĐ/TU"),
    ("17 CT/TU", "17-CT/TU"),
    ("73 / 2023 / NĐ – CP", "73/2023/NĐ-CP"),
    ("152/NQ-HĐND", "152/NQ-HĐND"),
    ("35-NQ/TW", "35-NQ/TW"),
])
def test_normalise_id(raw, want):
    assert normalise_id(raw) == want


def test_normalise_id_composes_decomposed_letters():
    assert normalise_id("35-NQ/TW".replace("Q", "Q")) == "35-NQ/TW"
    decomposed = "152/NQ-H\u0110ND".replace("\u0110", "\u0110")
    assert normalise_id("1129/Q\u0110-TTg") == "1129/QĐ-TTg"
    assert normalise_id(decomposed) == "152/NQ-HĐND"


def test_title_key_merges_spellings():
    assert title_key("Luật Thực hiện dân chủ ở cơ sở") == title_key("luật thực hiện  dân chủ ở cơ sở")
    assert title_key("Nghị quyết Trung ương 6 (khóa XIII)") == "nghi quyet trung uong 6 khoa xiii"


def test_issuer_body():
    assert issuer_body("TTg") == "Thủ tướng Chính phủ"
    assert issuer_body("UBKTTW") == "Ủy ban Kiểm tra Trung ương"
    assert issuer_body("XYZ") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-/ ,.;:()NQĐTWUHCPKLBDiSsốngàyủcvềLuậtNghịquyết", max_size=80))
def test_never_raises_and_offsets_hold(text):
    for c in find_citations(text):
        assert text[c.start:c.end] == c.text
        assert c.start < c.end


def test_a_list_of_office_numbers_shares_its_lead():
    text = "đáp ứng yêu cầu tại văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT; hoàn thành kết nối"
    assert [(c.id, c.type) for c in find_citations(text)] == [("1552/BTTTT-TTH", "Công văn"),
                                                              ("708/BTTTT-CATTT", "Công văn")]


def test_a_document_of_the_readers_kind_named_by_its_issuer_is_itself():
    text = "triển khai Chương trình hành động của Ban Chấp hành Đảng bộ phường và Quyết định của Bộ Xây dựng"
    ctx = DocContext(info=DocInfo(kind="Chương trình hành động"))
    assert [c.title for c in find_citations(text, ctx)] == ["Quyết định của Bộ Xây dựng"]


def test_a_document_named_by_its_issuer_inside_a_subject_is_that_subject():
    text = ("Căn cứ Nghị quyết số 407/NQ-UBTVQH13 ngày 22/3/2012 của Ủy ban thường vụ Quốc hội về "
            "Chương trình hoạt động giám sát của Ủy ban thường vụ Quốc hội năm 2012;")
    assert [c.id for c in find_citations(text)] == ["407/NQ-UBTVQH13"]


def test_a_programme_by_the_readers_own_issuer_is_its_own():
    ctx = DocContext(info=DocInfo(kind="Nghị quyết", issuer="Chính phủ"))
    text = "Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ và Quyết định của Bộ Xây dựng."
    assert [c.title for c in find_citations(text, ctx)] == ["Quyết định của Bộ Xây dựng"]
